//! Text-layer assembly: what the device saw on each page, put into lines and
//! paragraphs in reading order, then written through the flow builder.
//!
//! - Glyphs with a common baseline form a line; gaps become spaces, wide gaps
//!   tabs (table cells, the option grid read row by row).
//! - A line whose pieces sit under the cells of the line above, close below it,
//!   continues those cells (text wrapped inside a table cell).
//! - Superscript digits (footnote markers) are dropped.
//! - Lines repeated at the top or bottom of most pages (running headers and
//!   footers) and page numbers are removed; so is small text below a short
//!   rule at the bottom of a page (footnotes).
//! - Marks (widgets, drawn boxes) and form-field values are placed in the line
//!   they sit on; link annotations cover the glyphs inside their rectangles.

use std::collections::HashMap;

use super::annotations::LinkAnnotation;
use compact_str::CompactString;

use super::device::ShownGlyph;
use super::orientation::Quarter;
use crate::model::MarkSource;
use crate::readers::flow::FlowBuilder;

/// What a page shows besides its glyphs.
pub enum PageItem {
    Mark {
        bbox: [f32; 4],
        checked: bool,
        source: MarkSource,
        evidence: String,
    },
    FieldText {
        bbox: [f32; 4],
        text: String,
    },
}

pub struct PageContent {
    pub number: u32,
    pub height: f32,
    pub bottom: f32,
    /// The turn that made the page's text run left to right: positions are
    /// laid out turned, and reported in user space.
    pub turn: Quarter,
    /// In the order the content shows them.
    pub glyphs: Vec<ShownGlyph>,
    pub items: Vec<PageItem>,
    pub links: Vec<LinkAnnotation>,
    pub rules: Vec<[f32; 3]>,
    pub column_rules: Vec<[f32; 3]>,
}

/// One positioned piece of a line.
#[derive(Debug, Clone)]
enum Piece {
    /// A run of glyphs that touch (a word, with the space after it), or a
    /// box glyph alone: the unit of layout, as pdf.js's text items are.
    Text {
        text: String,
        bbox: [f32; 4],
        size: f32,
        /// Index of the page's link annotation this text lies in.
        link: Option<usize>,
    },
    Mark {
        bbox: [f32; 4],
        checked: bool,
        source: MarkSource,
        evidence: String,
    },
}

impl Piece {
    fn bbox(&self) -> [f32; 4] {
        match self {
            Piece::Text { bbox, .. } | Piece::Mark { bbox, .. } => *bbox,
        }
    }
}

#[derive(Debug, Clone)]
struct Line {
    baseline: f32,
    size: f32,
    pieces: Vec<Piece>,
    bbox: [f32; 4],
    /// Cells: pieces separated by wide gaps or column borders.
    cells: Vec<Cell>,
    /// A line of a multi-line form field: a paragraph of its own, as typed.
    hard_break: bool,
    /// A paragraph starts here: the first line of a table cell read on its
    /// own, or the first line after such a row.
    starts_block: bool,
}

#[derive(Debug, Clone)]
struct Cell {
    x0: f32,
    pieces: Vec<Piece>,
}

/// Gap, in font sizes, above which two glyphs are separate words.
const WORD_GAP: f32 = 0.18;
/// Gap, in font sizes, above which two words are in separate cells/columns.
const CELL_GAP: f32 = 1.6;

fn union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// What one glyph contributes to a line.
enum GlyphPiece {
    /// A symbol-font box (Wingdings …) recognised by its character code.
    Mark(Piece),
    Text {
        text: CompactString,
        bbox: [f32; 4],
        baseline: f32,
        size: f32,
    },
}

fn glyph_piece(g: ShownGlyph) -> Option<GlyphPiece> {
    // A symbol-font glyph without Unicode: its character code says which box.
    if let Some(font) = g.symbol_font {
        let text_is_box = g
            .text
            .as_deref()
            .and_then(|t| t.chars().next())
            .is_some_and(|c| crate::readers::boxes::unicode_box_state(c).is_some());
        if !text_is_box {
            if let Some(state) = font.box_state(g.code) {
                return Some(GlyphPiece::Mark(Piece::Mark {
                    bbox: g.bbox,
                    checked: state,
                    source: MarkSource::SymbolFont,
                    evidence: format!("symbol font {} char {:02X}", font.name(), g.code & 0xFF),
                }));
            }
        }
    }
    let text = g.text?;
    if text.is_empty() || text.chars().all(|c| c.is_control()) {
        return None;
    }
    Some(GlyphPiece::Text {
        text,
        bbox: g.bbox,
        baseline: g.baseline,
        size: g.size,
    })
}

/// A glyph that the flow builder may turn into a mark keeps a piece of its
/// own, so that the mark gets the glyph's box.
fn stands_alone(text: &str) -> bool {
    text.chars().any(|c| {
        crate::readers::boxes::unicode_box_state(c).is_some()
            || crate::readers::boxes::private_use_box_state(c).is_some()
            || matches!(c, '\u{FE}' | '\u{FD}' | '\u{A8}')
    })
}

/// Glyphs being joined into one text piece.
struct Run {
    text: String,
    bbox: [f32; 4],
    baseline: f32,
    size: f32,
    link: Option<usize>,
    /// Left edge of the last glyph: the next one must not start before it.
    last_x0: f32,
    /// Ended by white space or a glyph that stands alone.
    closed: bool,
}

impl Run {
    /// Whether a glyph continues this run: same baseline and size, just to
    /// the right of the last glyph (closer than a word gap), in the same link.
    fn continues(&self, bbox: &[f32; 4], baseline: f32, size: f32, link: Option<usize>) -> bool {
        !self.closed
            && (baseline - self.baseline).abs() <= 0.01 * size
            && (size - self.size).abs() <= 0.01 * size
            && bbox[0] >= self.last_x0
            && bbox[0] - self.bbox[2] <= WORD_GAP * size
            && link == self.link
    }

    fn into_piece(self) -> (f32, f32, Piece) {
        (
            self.baseline,
            self.size,
            Piece::Text {
                text: expand_ligatures(self.text),
                bbox: self.bbox,
                size: self.size,
                link: self.link,
            },
        )
    }
}

/// The link annotation whose rectangle holds the centre of `b`.
fn link_at(links: &[LinkAnnotation], b: &[f32; 4]) -> Option<usize> {
    if links.is_empty() {
        return None;
    }
    let c = [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
    links.iter().position(|l| {
        l.rects.iter().any(|r| {
            c[0] >= r[0] - 0.5 && c[0] <= r[2] + 0.5 && c[1] >= r[1] - 0.5 && c[1] <= r[3] + 0.5
        })
    })
}

/// Typographic ligatures (ﬁ, ﬀ, ﬃ …) as the letters they stand for, so that
/// "oﬃcial" is "official".
fn expand_ligatures(text: String) -> String {
    if !text.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            _ => out.push(c),
        }
    }
    out
}

fn field_piece(
    text: &str,
    field: [f32; 4],
    baseline: f32,
    size: f32,
    links: &[LinkAnnotation],
) -> Piece {
    let width = (0.5 * size * text.chars().count() as f32)
        .min(field[2] - field[0] - 2.0)
        .max(size);
    let bbox = [
        field[0] + 2.0,
        baseline - 0.2 * size,
        field[0] + 2.0 + width,
        baseline + 0.8 * size,
    ];
    Piece::Text {
        text: text.to_string(),
        bbox,
        size,
        link: link_at(links, &bbox),
    }
}

/// Groups a page's items into lines, top to bottom.
fn page_lines(
    glyphs: Vec<ShownGlyph>,
    items: Vec<PageItem>,
    rules: &[[f32; 3]],
    column_rules: &[[f32; 3]],
    links: &[LinkAnnotation],
) -> Vec<Line> {
    let mut texts: Vec<(f32, f32, Piece)> = Vec::new(); // (baseline, size, piece)
    let mut field_blocks: Vec<Line> = Vec::new();
    let mut marks: Vec<Piece> = Vec::new();
    let rules_by_height = RulesByHeight::new(rules);
    // Glyphs come in the order the content shows them; touching ones are
    // joined into runs here, which keeps the rest of the layout per word
    // rather than per glyph.
    let mut run: Option<Run> = None;
    for g in glyphs {
        if rules_by_height.strike(&g) {
            continue;
        }
        match glyph_piece(g) {
            Some(GlyphPiece::Mark(p)) => {
                texts.extend(run.take().map(Run::into_piece));
                marks.push(p);
            }
            Some(GlyphPiece::Text {
                text,
                bbox,
                baseline,
                size,
            }) => {
                let blank = text.trim().is_empty();
                let alone = stands_alone(&text);
                let current = run.as_ref().filter(|r| !alone && !r.closed);
                // White space keeps the link it is in.
                let link = match current {
                    Some(r) if blank => r.link,
                    _ => link_at(links, &bbox),
                };
                match run.as_mut() {
                    Some(r) if !alone && r.continues(&bbox, baseline, size, link) => {
                        r.text.push_str(&text);
                        r.bbox = union(r.bbox, bbox);
                        r.last_x0 = bbox[0];
                        r.closed = blank;
                    }
                    _ => {
                        texts.extend(run.take().map(Run::into_piece));
                        run = Some(Run {
                            text: text.to_string(),
                            bbox,
                            baseline,
                            size,
                            link,
                            last_x0: bbox[0],
                            closed: blank || alone,
                        });
                    }
                }
            }
            None => {}
        }
    }
    texts.extend(run.take().map(Run::into_piece));
    for item in items {
        match item {
            PageItem::Mark {
                bbox,
                checked,
                source,
                evidence,
            } => marks.push(Piece::Mark {
                bbox,
                checked,
                source,
                evidence,
            }),
            PageItem::FieldText { bbox, text } => {
                let height = bbox[3] - bbox[1];
                let field_lines: Vec<&str> = text
                    .split(['\r', '\n'])
                    .filter(|l| !l.trim().is_empty())
                    .collect();
                if field_lines.len() == 1 {
                    // One line: it joins the label beside it ("Name: [value]").
                    let size = (height * 0.7).clamp(6.0, 11.0);
                    let baseline = bbox[1] + (height - size) / 2.0 + 0.2 * size;
                    texts.push((
                        baseline,
                        size,
                        field_piece(field_lines[0], bbox, baseline, size, links),
                    ));
                } else {
                    // Several lines: each is a paragraph, inside the field's box.
                    let pitch = (height / field_lines.len() as f32).min(12.0);
                    let size = (pitch / 1.2).clamp(1.0, 10.0);
                    for (k, l) in field_lines.iter().enumerate() {
                        let baseline = bbox[3] - (k as f32 + 1.0) * pitch + 0.2 * size;
                        field_blocks.push(Line {
                            baseline,
                            size,
                            bbox: [
                                bbox[0],
                                baseline - 0.2 * size,
                                bbox[2],
                                baseline + 0.8 * size,
                            ],
                            pieces: vec![field_piece(l, bbox, baseline, size, links)],
                            cells: Vec::new(),
                            hard_break: true,
                            starts_block: false,
                        });
                    }
                }
            }
        }
    }
    // Top to bottom, then left to right.
    texts.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.2.bbox()[0].total_cmp(&b.2.bbox()[0]))
    });
    let mut lines: Vec<Line> = Vec::new();
    for (baseline, size, piece) in texts {
        let joined = lines
            .iter_mut()
            .rev()
            .take(3)
            .find(|l| (l.baseline - baseline).abs() <= 0.3 * l.size.min(size));
        match joined {
            Some(line) => {
                line.bbox = union(line.bbox, piece.bbox());
                line.size = line.size.max(size);
                line.pieces.push(piece);
            }
            None => lines.push(Line {
                baseline,
                size,
                bbox: piece.bbox(),
                pieces: vec![piece],
                cells: Vec::new(),
                hard_break: false,
                starts_block: false,
            }),
        }
    }
    let mut lines = fold_superscripts(lines);
    lines.extend(field_blocks);
    // Marks go into the line whose height they share most; else they are a
    // line of their own.
    for mark in marks {
        let b = mark.bbox();
        let cy = (b[1] + b[3]) / 2.0;
        let best = lines
            .iter_mut()
            .filter(|l| cy >= l.baseline - 0.45 * l.size && cy <= l.baseline + 1.0 * l.size)
            .min_by(|x, y| {
                let dx = (x.baseline + 0.3 * x.size - cy).abs();
                let dy = (y.baseline + 0.3 * y.size - cy).abs();
                dx.total_cmp(&dy)
            });
        match best {
            Some(line) => {
                line.bbox = union(line.bbox, b);
                line.pieces.push(mark);
            }
            None => lines.push(Line {
                baseline: b[1] + 0.2 * (b[3] - b[1]),
                size: (b[3] - b[1]).max(6.0),
                bbox: b,
                pieces: vec![mark],
                cells: Vec::new(),
                hard_break: false,
                starts_block: false,
            }),
        }
    }
    lines.sort_by(|a, b| b.baseline.total_cmp(&a.baseline));
    for line in &mut lines {
        line.pieces
            .sort_by(|a, b| a.bbox()[0].total_cmp(&b.bbox()[0]));
        line.cells = split_cells(&line.pieces, line.size, line.baseline, column_rules);
    }
    lines
}

/// Small raised glyphs beside a line (footnote markers, "1st") are folded
/// into that line; digits among them are footnote markers and dropped.
fn fold_superscripts(mut lines: Vec<Line>) -> Vec<Line> {
    let mut i = 0;
    while i < lines.len() {
        let small = &lines[i];
        let target = lines.iter().enumerate().position(|(j, l)| {
            j != i
                && small.size < 0.85 * l.size
                && small.baseline > l.baseline
                && small.baseline < l.baseline + 0.75 * l.size
                && small.bbox[0] <= l.bbox[2] + l.size
                && small.bbox[2] >= l.bbox[0] - l.size
        });
        match target {
            Some(t) => {
                let small = lines.remove(i);
                let t = if t > i { t - 1 } else { t };
                for piece in small.pieces {
                    let is_digit = matches!(&piece, Piece::Text { text, .. }
                        if text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '*'));
                    if !is_digit {
                        lines[t].bbox = union(lines[t].bbox, piece.bbox());
                        lines[t].pieces.push(piece);
                    }
                }
            }
            None => i += 1,
        }
    }
    lines
}

/// Splits a line into cells at wide gaps and at table column borders.
fn split_cells(pieces: &[Piece], size: f32, baseline: f32, column_rules: &[[f32; 3]]) -> Vec<Cell> {
    let mid = baseline + 0.3 * size;
    let border_between = |a: f32, b: f32| {
        column_rules
            .iter()
            .any(|r| r[0] > a - 0.5 && r[0] < b + 0.5 && r[1] <= mid && r[2] >= mid)
    };
    let mut cells: Vec<Cell> = Vec::new();
    let mut last_x1: Option<f32> = None;
    for p in pieces {
        let b = p.bbox();
        let new_cell =
            last_x1.is_none_or(|x1| b[0] - x1 > CELL_GAP * size || border_between(x1, b[0]));
        if new_cell {
            cells.push(Cell {
                x0: b[0],
                pieces: Vec::new(),
            });
        }
        cells.last_mut().expect("cell").pieces.push(p.clone());
        last_x1 = Some(last_x1.map_or(b[2], |x| x.max(b[2])));
    }
    cells
}

/// A page's horizontal rules sorted by height, to find those crossing a
/// glyph without trying every table border for every glyph.
struct RulesByHeight(Vec<[f32; 3]>);

impl RulesByHeight {
    fn new(rules: &[[f32; 3]]) -> Self {
        let mut sorted = rules.to_vec();
        sorted.sort_by(|a, b| a[2].total_cmp(&b[2]));
        RulesByHeight(sorted)
    }

    /// A glyph with a line through its middle: deleted text of a document
    /// printed with its tracked changes shown.
    fn strike(&self, g: &ShownGlyph) -> bool {
        let (low, high) = (g.baseline + 0.15 * g.size, g.baseline + 0.5 * g.size);
        let first = self.0.partition_point(|r| r[2] <= low);
        let cx = (g.bbox[0] + g.bbox[2]) / 2.0;
        self.0[first..]
            .iter()
            .take_while(|r| r[2] < high)
            .any(|r| r[0] <= cx && r[1] >= cx)
    }
}

/// Joins lines that continue the cells of the line above (text wrapped inside
/// table cells): each of their cells starts where a cell above starts, they
/// follow closely, and no rule separates them.
fn merge_wrapped_cells(
    lines: Vec<Line>,
    rules: &[[f32; 3]],
    column_rules: &[[f32; 3]],
) -> Vec<Line> {
    // The right edge of the text: a line reaching it was full, so a line below
    // it starting at the left margin is that paragraph wrapping, not a column.
    let right_edge = lines.iter().map(|l| l.bbox[2]).fold(f32::MIN, f32::max);
    let mut out: Vec<Line> = Vec::new();
    // The baseline of the last line joined into the line above: a row whose
    // cells wrap is followed line by line.
    let mut bottom = f32::MAX;
    // The lines joined into the last line of `out`, as they were (kept once
    // there are two), and whether one was running text wrapped to the margin.
    let mut row: Vec<Line> = Vec::new();
    let mut row_is_text = false;
    for line in lines {
        if let Some(prev) = out
            .last_mut()
            .filter(|p| continues_row(p, bottom, &line, rules))
        {
            if row.is_empty() {
                row.push(prev.clone());
            }
            row.push(line.clone());
            if wraps_as_running_text(prev, &line, right_edge, column_rules) {
                row_is_text = true;
                // A tab-separated row that wrapped: it continues the last cell.
                let last = prev.cells.last_mut().expect("cells");
                last.pieces
                    .extend(line.cells.into_iter().flat_map(|c| c.pieces));
            } else {
                for c in line.cells {
                    let target = prev
                        .cells
                        .iter_mut()
                        .find(|p| (p.x0 - c.x0).abs() < 3.0)
                        .expect("aligned");
                    target.pieces.extend(c.pieces);
                }
            }
            prev.bbox = union(prev.bbox, line.bbox);
            bottom = line.baseline;
            continue;
        }
        let after_cells = settle_row(
            &mut out,
            std::mem::take(&mut row),
            row_is_text,
            column_rules,
        );
        row_is_text = false;
        bottom = line.baseline;
        out.push(Line {
            starts_block: after_cells,
            ..line
        });
    }
    settle_row(&mut out, row, row_is_text, column_rules);
    out
}

/// Whether `line` continues the table row `prev`, whose last joined line
/// has its baseline at `bottom`: it follows closely, each of its cells
/// starts where a cell of the row starts, and no row border lies between.
fn continues_row(prev: &Line, bottom: f32, line: &Line, rules: &[[f32; 3]]) -> bool {
    let close = bottom - line.baseline <= 1.5 * prev.size.max(line.size);
    // A line with a box starts an option of its own, unless the first cell
    // of the row goes on beside it (a question wrapping beside its options).
    let first_cell_goes_on = line.cells.len() >= 2
        && (line.cells[0].x0 - prev.cells[0].x0).abs() < 3.0
        && !line.cells[0].pieces.iter().any(is_box);
    let aligned = prev.cells.len() >= 2
        && line
            .cells
            .iter()
            .all(|c| prev.cells.iter().any(|p| (p.x0 - c.x0).abs() < 3.0))
        && (first_cell_goes_on || !line.pieces.iter().any(is_box));
    // A row border spans the row; an underline (a link) spans a word.
    let row_width = prev.bbox[2] - prev.bbox[0];
    let ruled = rules.iter().any(|r| {
        r[2] < bottom
            && r[2] > line.baseline + 0.5 * line.size
            && r[0] < line.bbox[2]
            && r[1] > line.bbox[0]
            && r[1] - r[0] > 0.5 * row_width
    });
    close && aligned && !ruled
}

/// Whether `line`, continuing the row `prev`, is its last cell's running
/// text wrapped back to the margin: `prev` was full (it reaches the text's
/// right edge, or ends with a box whose label is below) and `line` has only
/// the first column, with no column border drawn beside it (then it is the
/// first cell going on below a full last cell).
fn wraps_as_running_text(
    prev: &Line,
    line: &Line,
    right_edge: f32,
    column_rules: &[[f32; 3]],
) -> bool {
    let dangling_box = prev
        .cells
        .last()
        .and_then(|c| {
            c.pieces
                .iter()
                .rev()
                .find(|p| !matches!(p, Piece::Text { text, .. } if text.trim().is_empty()))
        })
        .is_some_and(is_box);
    let prev_full = prev.bbox[2] >= right_edge - 2.0 * prev.size || dangling_box;
    let only_first_column =
        line.cells.len() == 1 && (line.cells[0].x0 - prev.cells[0].x0).abs() < 3.0;
    let mid = line.baseline + 0.3 * line.size;
    let bordered = column_rules.iter().any(|r| {
        r[0] > prev.cells[0].x0 + 3.0
            && r[0] < prev.cells.last().map_or(0.0, |c| c.x0)
            && r[1] <= mid
            && r[2] >= mid
    });
    prev_full && only_first_column && !bordered
}

/// A table row whose cells hold three lines or more (a question beside a
/// long answer, a list inside a cell) is read cell by cell, each cell's
/// lines in turn, as a Word table's cells are; one wrapping over two lines
/// at most stays one line with its cells side by side ("Name | URL"). The
/// cells are those between the column borders drawn across the row, or
/// without borders the first column and the rest (a tab-separated "Name:
/// value" inside an answer cell stays on its line). True when the row was
/// read cell by cell.
fn settle_row(
    out: &mut Vec<Line>,
    row: Vec<Line>,
    row_is_text: bool,
    column_rules: &[[f32; 3]],
) -> bool {
    if row.len() < 3 || row_is_text {
        return false;
    }
    let first = &row[0];
    let mid = first.baseline + 0.3 * first.size;
    let mut borders: Vec<f32> = column_rules
        .iter()
        .filter(|r| r[1] <= mid && r[2] >= mid && r[0] > first.bbox[0])
        .map(|r| r[0])
        .collect();
    if borders.is_empty() {
        let first_column = row
            .iter()
            .flat_map(|l| l.cells.iter().map(|c| c.x0))
            .fold(f32::MAX, f32::min);
        // Just right of the first column's left edge: every other cell is past it.
        borders.push(first_column + 3.0);
    }
    let block_of = |c: &Cell| borders.iter().filter(|&&b| b < c.x0).count();
    let blocks = borders.len() + 1;
    let lines_in = |block: usize| {
        row.iter()
            .filter(|l| l.cells.iter().any(|c| block_of(c) == block))
            .count()
    };
    let filled = (0..blocks).filter(|&b| lines_in(b) > 0).count();
    if filled < 2 || (0..blocks).all(|b| lines_in(b) < 3) {
        return false;
    }
    out.pop();
    for block in 0..blocks {
        let mut starts_block = true;
        for line in &row {
            let cells: Vec<Cell> = line
                .cells
                .iter()
                .filter(|c| block_of(c) == block)
                .cloned()
                .collect();
            let pieces: Vec<Piece> = cells.iter().flat_map(|c| c.pieces.clone()).collect();
            let Some(bbox) = pieces.iter().map(Piece::bbox).reduce(union) else {
                continue;
            };
            out.push(Line {
                baseline: line.baseline,
                size: line.size,
                pieces,
                bbox,
                cells,
                hard_break: false,
                starts_block,
            });
            starts_block = false;
        }
    }
    true
}

/// What one output of `cell_text` came from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    /// The piece with this index (a glyph's text, or a mark with no text).
    Piece(usize),
    /// A space inserted for a gap, or between the lines of a wrapped cell.
    Gap,
}

/// Text of a run of pieces: words spaced by gaps, a wrapped cell's lines
/// joined (without a space where a URL or a hyphenated word continues).
fn cell_text(pieces: &[Piece]) -> Vec<(Source, String)> {
    let mut out: Vec<(Source, String)> = Vec::new();
    let mut prev: Option<([f32; 4], f32)> = None;
    for (i, p) in pieces.iter().enumerate() {
        match p {
            Piece::Text {
                text, bbox, size, ..
            } => {
                let spaced = out
                    .last()
                    .is_some_and(|(_, t)| t.ends_with(char::is_whitespace));
                if spaced && text.trim().is_empty() {
                    // Space glyphs in a row show as one space.
                    continue;
                }
                if let Some((pb, psize)) = prev {
                    // Below, or back to the left: the next line of a wrapped
                    // cell (possibly on the next page).
                    let next_line = bbox[3] < pb[1] + 0.5 * psize || bbox[0] < pb[0] - 0.5 * psize;
                    let gap = if next_line {
                        let last = out
                            .iter()
                            .rev()
                            .find_map(|(src, t)| {
                                matches!(src, Source::Piece(_)).then_some(t.as_str())
                            })
                            .unwrap_or("");
                        let joins =
                            last.ends_with('/') || (last.ends_with('-') && !last.ends_with(" -"));
                        !joins
                    } else {
                        bbox[0] - pb[2] > WORD_GAP * size.min(psize)
                    };
                    // A space glyph already ends the text before: no second one.
                    if gap && !spaced && !text.starts_with(char::is_whitespace) {
                        out.push((Source::Gap, " ".to_string()));
                    }
                }
                out.push((Source::Piece(i), text.clone()));
                prev = Some((*bbox, *size));
            }
            Piece::Mark { bbox, .. } => {
                out.push((Source::Piece(i), String::new()));
                prev = Some((*bbox, bbox[3] - bbox[1]));
            }
        }
    }
    out
}

fn normalized_furniture(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn plain_text(line: &Line) -> String {
    line.pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Text { text, .. } => Some(text.as_str()),
            Piece::Mark { .. } => None,
        })
        .collect()
}

fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    digits(t)
        || t.strip_prefix("page").is_some_and(|r| {
            let r = r.trim();
            digits(r)
                || r.split_once("of")
                    .is_some_and(|(a, b)| digits(a.trim()) && digits(b.trim()))
        })
        || t.split_once('/')
            .is_some_and(|(a, b)| digits(a.trim()) && digits(b.trim()))
}

/// Writes all pages into the flow.
pub fn assemble(flow: &mut FlowBuilder, pages: Vec<PageContent>) {
    let page_count = pages.len();
    let mut laid: Vec<(PageContent, Vec<Line>)> = pages
        .into_iter()
        .map(|mut p| {
            let glyphs = std::mem::take(&mut p.glyphs);
            let items = std::mem::take(&mut p.items);
            let lines = merge_wrapped_cells(
                page_lines(glyphs, items, &p.rules, &p.column_rules, &p.links),
                &p.rules,
                &p.column_rules,
            );
            (p, lines)
        })
        .collect();

    // Running headers and footers: the same text (digits aside) near the top
    // or bottom of several pages.
    let margin = |p: &PageContent, l: &Line| {
        let top = p.bottom + p.height;
        l.baseline > top - 0.08 * p.height || l.baseline < p.bottom + 0.08 * p.height
    };
    // Keyed by margin and text: a header repeats at the top, a footer at the
    // bottom, of at least half the pages.
    let zone_key = |p: &PageContent, l: &Line| {
        let top = l.baseline > p.bottom + 0.5 * p.height;
        format!(
            "{}{}",
            if top { "top:" } else { "bottom:" },
            normalized_furniture(&plain_text(l))
        )
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (p, lines) in &laid {
        let mut on_page: Vec<String> = lines
            .iter()
            .filter(|l| margin(p, l) && !plain_text(l).trim().is_empty())
            .map(|l| zone_key(p, l))
            .collect();
        on_page.sort();
        on_page.dedup();
        for t in on_page {
            *seen.entry(t).or_default() += 1;
        }
    }
    let repeated = |key: &str| {
        page_count >= 2
            && seen
                .get(key)
                .is_some_and(|&n| n >= 2 && n * 2 >= page_count)
    };

    for (p, lines) in &mut laid {
        lines.retain(|l| {
            if !margin(p, l) {
                return true;
            }
            let text = plain_text(l);
            let has_marks = l.pieces.iter().any(is_box);
            has_marks || !(repeated(&zone_key(p, l)) || is_page_number(&text))
        });
        drop_footnotes(p, lines);
    }

    continue_cells_across_pages(&mut laid);

    let mut last_of_page: Option<Line> = None;
    for (p, lines) in laid {
        if let (Some(last), Some(first)) = (&last_of_page, lines.first()) {
            // A paragraph running on over the page break: the sentence is
            // open at the foot of the page and goes on in lower case.
            let last_text = plain_text(last);
            let first_text = plain_text(first);
            let open_sentence = !last_text.trim_end().ends_with(['.', '!', '?', ':', ';']);
            let lower = first_text
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            let breaks = last.hard_break || first.hard_break || first.pieces.iter().any(is_box);
            if open_sentence && lower && !breaks {
                flow.line_break();
            } else {
                flow.end_paragraph();
            }
        }
        flow.set_page(Some(p.number));
        let pitch = LinePitch::of(&lines);
        let mut prev: Option<&Line> = None;
        for line in &lines {
            if let Some(pl) = prev {
                let gap = pl.baseline - line.baseline;
                let size = pl.size.max(line.size);
                let limit = match pitch.between(pl, line) {
                    Some(p) => p + (0.15 * size).max(1.5),
                    None => LINE_LIKE_PITCH * size,
                };
                let starts_with_mark = line.pieces.first().is_some_and(is_box);
                // A line above the one before: the next cell of a table row.
                if gap > limit
                    || gap < 0.0
                    || line.starts_block
                    || starts_with_mark
                    || line.hard_break
                    || pl.hard_break
                    || (pl.size - line.size).abs() > 1.5
                {
                    flow.end_paragraph();
                } else {
                    flow.line_break();
                }
            }
            write_line(flow, line, &p.links, p.turn.inverse());
            prev = Some(line);
        }
        if let Some(l) = lines.last() {
            last_of_page = Some(l.clone());
        }
    }
    flow.end_paragraph();
}

/// A table row split by a page break: the first line of a page continues the
/// cells of the last line of the page before when the columns line up and a
/// cell goes on mid-sentence (lower case) or mid-URL. A new row would start a
/// new entry, in capitals.
fn continue_cells_across_pages(laid: &mut [(PageContent, Vec<Line>)]) {
    for k in 1..laid.len() {
        let (before, after) = laid.split_at_mut(k);
        let (Some(prev), Some(next)) = (before[k - 1].1.last_mut(), after[0].1.first()) else {
            continue;
        };
        if prev.cells.len() < 2 || next.cells.len() < 2 || next.pieces.iter().any(is_box) {
            continue;
        }
        let aligned = next
            .cells
            .iter()
            .all(|c| prev.cells.iter().any(|p| (p.x0 - c.x0).abs() < 3.0));
        if !aligned {
            continue;
        }
        let continues = next.cells.iter().any(|c| {
            let Some(p) = prev.cells.iter().find(|p| (p.x0 - c.x0).abs() < 3.0) else {
                return false;
            };
            let prev_text: String = cell_text(&p.pieces).into_iter().map(|(_, t)| t).collect();
            let next_text: String = cell_text(&c.pieces).into_iter().map(|(_, t)| t).collect();
            let prev_end = prev_text.trim_end();
            let starts_lower = next_text
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            (starts_lower && !prev_end.ends_with(['.', '!', '?', ':']))
                || prev_end.ends_with(['/', '-', '_', '=', '&'])
        });
        if !continues {
            continue;
        }
        let next = after[0].1.remove(0);
        for c in next.cells {
            if let Some(target) = prev.cells.iter_mut().find(|p| (p.x0 - c.x0).abs() < 3.0) {
                target.pieces.extend(c.pieces);
            }
        }
    }
}

/// Line pitches, in font sizes, up to which a pitch can be the spacing of
/// lines within a paragraph (single to 1.15 spacing); above it, the gap
/// between one-line paragraphs.
const LINE_LIKE_PITCH: f32 = 1.45;

/// The usual distance between the baselines of consecutive lines within a
/// paragraph. Clearly more than that is a paragraph break.
struct LinePitch {
    /// The smallest gap that recurs on the page.
    page: Option<f32>,
    /// The same among lines starting at one left edge (2-point buckets):
    /// table cells and body text of one page may be spaced differently.
    by_left_edge: HashMap<i32, f32>,
}

impl LinePitch {
    fn of(lines: &[Line]) -> LinePitch {
        let mut page: HashMap<i32, usize> = HashMap::new();
        let mut by_left_edge: HashMap<i32, HashMap<i32, usize>> = HashMap::new();
        for w in lines.windows(2) {
            if w[0].hard_break || w[1].hard_break {
                continue;
            }
            let gap = w[0].baseline - w[1].baseline;
            if gap > 0.5 * w[0].size && gap < 3.0 * w[0].size && (w[0].size - w[1].size).abs() < 0.5
            {
                let half_points = (gap * 2.0).round() as i32;
                *page.entry(half_points).or_default() += 1;
                if let Some(edge) = shared_left_edge(&w[0], &w[1]) {
                    *by_left_edge
                        .entry(edge)
                        .or_default()
                        .entry(half_points)
                        .or_default() += 1;
                }
            }
        }
        LinePitch {
            page: smallest_recurring(&page),
            by_left_edge: by_left_edge
                .iter()
                .filter_map(|(&edge, gaps)| Some((edge, smallest_recurring(gaps)?)))
                .collect(),
        }
    }

    /// The pitch two consecutive lines are measured against: that of their
    /// shared left edge when it is line-like, else the page's.
    fn between(&self, above: &Line, below: &Line) -> Option<f32> {
        let size = above.size.max(below.size);
        shared_left_edge(above, below)
            .and_then(|edge| self.by_left_edge.get(&edge).copied())
            .filter(|&p| p <= LINE_LIKE_PITCH * size)
            .or(self.page)
    }
}

/// The 2-point bucket of the left edge two lines share, if they do.
fn shared_left_edge(above: &Line, below: &Line) -> Option<i32> {
    ((above.bbox[0] - below.bbox[0]).abs() < 2.0).then(|| (above.bbox[0] / 2.0).round() as i32)
}

/// The smallest gap (in half points) seen at least twice. In a form of
/// one-line paragraphs the paragraph gap is the most common one, the line
/// pitch still the smallest.
fn smallest_recurring(counts: &HashMap<i32, usize>) -> Option<f32> {
    counts
        .iter()
        .filter(|&(_, &n)| n >= 2)
        .map(|(&g, _)| g)
        .min()
        .map(|half_points| half_points as f32 / 2.0)
}

/// Drops small text below a short rule near the bottom of the page: footnotes.
fn drop_footnotes(p: &PageContent, lines: &mut Vec<Line>) {
    if lines.is_empty() {
        return;
    }
    let mut sizes: Vec<f32> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f32::total_cmp);
    let body = sizes[sizes.len() / 2];
    let separator = p
        .rules
        .iter()
        .filter(|r| r[1] - r[0] > 60.0 && r[1] - r[0] < 250.0 && r[2] < p.bottom + 0.35 * p.height)
        // An underline sits just below a line's baseline; a separator does not.
        .filter(|r| {
            !lines.iter().any(|l| {
                l.baseline >= r[2]
                    && l.baseline - r[2] < 0.4 * l.size
                    && l.bbox[0] < r[1]
                    && l.bbox[2] > r[0]
            })
        })
        .filter(|r| {
            let below: Vec<&Line> = lines.iter().filter(|l| l.baseline < r[2]).collect();
            let Some(first) = below.first() else {
                return false;
            };
            // Footnotes hold no tick boxes; a form's lower part does.
            if below.iter().any(|l| l.pieces.iter().any(is_box)) {
                return false;
            }
            let near = r[2] - first.baseline < 3.0 * first.size;
            let t = plain_text(first);
            let t = t.trim_start();
            let digits = t
                .chars()
                .take_while(|c| c.is_ascii_digit() || is_superscript_digit(*c))
                .count();
            let after = t.chars().nth(digits);
            let numbered = ((1..=3).contains(&digits) && after != Some('.') && after != Some(')'))
                || t.starts_with('*');
            near && (numbered || below.iter().all(|l| l.size < body - 0.5))
        })
        .map(|r| r[2])
        .fold(None, |acc: Option<f32>, y| {
            Some(acc.map_or(y, |a| a.max(y)))
        });
    if let Some(y) = separator {
        lines.retain(|l| l.baseline > y);
    }
}

/// A mark, or a box glyph that the flow builder will make one: a line with a
/// box starts an option of its own, it never continues a cell.
fn is_box(p: &Piece) -> bool {
    match p {
        Piece::Mark { .. } => true,
        Piece::Text { text, .. } => text.chars().any(|c| {
            crate::readers::boxes::unicode_box_state(c).is_some()
                || crate::readers::boxes::private_use_box_state(c).is_some()
        }),
    }
}

fn is_superscript_digit(c: char) -> bool {
    matches!(
        c,
        '\u{00B9}' | '\u{00B2}' | '\u{00B3}' | '\u{2070}'..='\u{2079}'
    )
}

/// The rectangle of a link annotation that holds a glyph (a link split over
/// lines has one per line).
fn link_area(link: &LinkAnnotation, glyph: &[f32; 4]) -> [f32; 4] {
    let c = [(glyph[0] + glyph[2]) / 2.0, (glyph[1] + glyph[3]) / 2.0];
    link.rects
        .iter()
        .copied()
        .find(|r| {
            c[0] >= r[0] - 0.5 && c[0] <= r[2] + 0.5 && c[1] >= r[1] - 0.5 && c[1] <= r[3] + 0.5
        })
        .unwrap_or(link.rects[0])
}

/// Writes one line; `to_user_space` takes the page's boxes back from the
/// turned frame of the layout.
fn write_line(
    flow: &mut FlowBuilder,
    line: &Line,
    links: &[LinkAnnotation],
    to_user_space: Quarter,
) {
    let user = |b: &[f32; 4]| to_user_space.apply_rect(*b);
    flow.set_bbox(Some(user(&line.bbox)));
    let mut open: Option<usize> = None;
    for (k, cell) in line.cells.iter().enumerate() {
        if k > 0 {
            if open.take().is_some() {
                flow.end_link();
            }
            flow.text("\t");
        }
        for (source, text) in cell_text(&cell.pieces) {
            let Source::Piece(i) = source else {
                flow.text(&text);
                continue;
            };
            match &cell.pieces[i] {
                Piece::Mark {
                    bbox,
                    checked,
                    source,
                    evidence,
                } => flow.mark_at(Some(*checked), *source, evidence.clone(), Some(user(bbox))),
                Piece::Text { bbox, link, .. } => {
                    // Spaces keep the link they are in; other text says.
                    if !text.trim().is_empty() && *link != open {
                        if open.is_some() {
                            flow.end_link();
                        }
                        if let Some(l) = *link {
                            let area = link_area(&links[l], bbox);
                            flow.begin_link_at(links[l].url.clone(), user(&area));
                        }
                        open = *link;
                    }
                    flow.text_at(&text, user(bbox));
                }
            }
        }
    }
    if open.is_some() {
        flow.end_link();
    }
}
