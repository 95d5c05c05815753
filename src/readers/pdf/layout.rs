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
use super::device::ShownGlyph;
use crate::model::MarkSource;
use crate::readers::boxes::SymbolFont;
use crate::readers::flow::FlowBuilder;

pub enum PageItem {
    Glyph(ShownGlyph),
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
    pub items: Vec<PageItem>,
    pub links: Vec<LinkAnnotation>,
    pub rules: Vec<[f32; 3]>,
}

/// One positioned piece of a line.
#[derive(Debug, Clone)]
enum Piece {
    Text { text: String, bbox: [f32; 4], size: f32 },
    Mark { bbox: [f32; 4], checked: bool, source: MarkSource, evidence: String },
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
    /// Byte ranges of cells once text is built: (x0 of the cell, text).
    cells: Vec<Cell>,
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
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

fn glyph_text(g: &ShownGlyph) -> Option<Piece> {
    let font = g.font.as_deref().and_then(SymbolFont::from_family);
    // A symbol-font glyph without Unicode: its character code says which box.
    if let Some(font) = font {
        let text_is_box = g
            .text
            .as_deref()
            .and_then(|t| t.chars().next())
            .is_some_and(|c| crate::readers::boxes::unicode_box_state(c).is_some());
        if !text_is_box {
            if let Some(state) = font.box_state(g.code) {
                return Some(Piece::Mark {
                    bbox: g.bbox,
                    checked: state,
                    source: MarkSource::SymbolFont,
                    evidence: format!("symbol font {} char {:02X}", font.name(), g.code & 0xFF),
                });
            }
        }
    }
    let text = g.text.clone()?;
    if text.is_empty() || text.chars().all(|c| c.is_control()) {
        return None;
    }
    Some(Piece::Text {
        text,
        bbox: g.bbox,
        size: g.size,
    })
}

/// Groups a page's items into lines, top to bottom.
fn page_lines(items: Vec<PageItem>) -> Vec<Line> {
    let mut texts: Vec<(f32, f32, Piece)> = Vec::new(); // (baseline, size, piece)
    let mut marks: Vec<Piece> = Vec::new();
    for item in items {
        match item {
            PageItem::Glyph(g) => match glyph_text(&g) {
                Some(p @ Piece::Text { .. }) => texts.push((g.baseline, g.size, p)),
                Some(p @ Piece::Mark { .. }) => marks.push(p),
                None => {}
            },
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
                let size = (height * 0.7).clamp(6.0, 11.0);
                let field_lines: Vec<&str> = text.split(['\r', '\n']).filter(|l| !l.trim().is_empty()).collect();
                for (k, l) in field_lines.iter().enumerate() {
                    let baseline = if field_lines.len() == 1 {
                        bbox[1] + (height - size) / 2.0 + 0.2 * size
                    } else {
                        bbox[3] - (k as f32 + 1.0) * size * 1.2
                    };
                    let width = 0.5 * size * l.chars().count() as f32;
                    texts.push((
                        baseline,
                        size,
                        Piece::Text {
                            text: l.to_string(),
                            bbox: [bbox[0] + 2.0, baseline - 0.2 * size, bbox[0] + 2.0 + width, baseline + 0.8 * size],
                            size,
                        },
                    ));
                }
            }
        }
    }
    // Top to bottom, then left to right.
    texts.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.bbox()[0].total_cmp(&b.2.bbox()[0])));
    let mut lines: Vec<Line> = Vec::new();
    let mut superscripts: Vec<(f32, f32, Piece)> = Vec::new();
    for (baseline, size, piece) in texts {
        let joined = lines.iter_mut().rev().take(3).find(|l| {
            (l.baseline - baseline).abs() <= 0.3 * l.size.min(size)
        });
        match joined {
            Some(line) => {
                line.bbox = union(line.bbox, piece.bbox());
                line.size = line.size.max(size);
                line.pieces.push(piece);
            }
            None => superscripts_or_new(&mut lines, &mut superscripts, baseline, size, piece),
        }
    }
    // Small raised glyphs beside a line: footnote markers when digits,
    // otherwise part of that line.
    for (_, _, piece) in superscripts {
        let b = piece.bbox();
        let target = lines.iter_mut().find(|l| b[1] > l.bbox[1] && b[1] < l.bbox[3] && b[0] <= l.bbox[2] + 2.0 && b[2] >= l.bbox[0] - 2.0);
        let is_digit = matches!(&piece, Piece::Text { text, .. } if text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()));
        match target {
            Some(_) if is_digit => {}
            Some(line) => line.pieces.push(piece),
            None => lines.push(Line {
                baseline: b[1] + 0.2 * (b[3] - b[1]),
                size: b[3] - b[1],
                bbox: b,
                pieces: vec![piece],
                cells: Vec::new(),
            }),
        }
    }
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
            }),
        }
    }
    lines.sort_by(|a, b| b.baseline.total_cmp(&a.baseline));
    for line in &mut lines {
        line.pieces.sort_by(|a, b| a.bbox()[0].total_cmp(&b.bbox()[0]));
        line.cells = split_cells(&line.pieces, line.size);
    }
    lines
}

/// A piece that starts no line: a superscript waits to be placed beside a
/// line; anything else starts a new line.
fn superscripts_or_new(
    lines: &mut Vec<Line>,
    superscripts: &mut Vec<(f32, f32, Piece)>,
    baseline: f32,
    size: f32,
    piece: Piece,
) {
    let b = piece.bbox();
    let raised_beside = lines.iter().rev().take(3).any(|l| {
        size < 0.85 * l.size && baseline > l.baseline && baseline < l.baseline + 0.8 * l.size
            && b[0] <= l.bbox[2] + 2.0
    });
    if raised_beside {
        superscripts.push((baseline, size, piece));
        return;
    }
    lines.push(Line {
        baseline,
        size,
        bbox: b,
        pieces: vec![piece],
        cells: Vec::new(),
    });
}

fn split_cells(pieces: &[Piece], size: f32) -> Vec<Cell> {
    let mut cells: Vec<Cell> = Vec::new();
    let mut last_x1: Option<f32> = None;
    for p in pieces {
        let b = p.bbox();
        let new_cell = last_x1.is_none_or(|x1| b[0] - x1 > CELL_GAP * size);
        if new_cell {
            cells.push(Cell { x0: b[0], pieces: Vec::new() });
        }
        cells.last_mut().expect("cell").pieces.push(p.clone());
        last_x1 = Some(last_x1.map_or(b[2], |x| x.max(b[2])));
    }
    cells
}

/// Joins lines that continue the cells of the line above (text wrapped inside
/// table cells): each of their cells starts where a cell above starts, they
/// follow closely, and no rule separates them.
fn merge_wrapped_cells(lines: Vec<Line>, rules: &[[f32; 3]]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for line in lines {
        if let Some(prev) = out.last_mut() {
            let close = prev.baseline - line.baseline <= 1.5 * prev.size.max(line.size);
            let aligned = prev.cells.len() >= 2
                && line.cells.iter().all(|c| prev.cells.iter().any(|p| (p.x0 - c.x0).abs() < 3.0))
                && !line.cells.iter().any(|c| c.pieces.iter().any(|p| matches!(p, Piece::Mark { .. })));
            let ruled = rules
                .iter()
                .any(|r| r[2] < prev.baseline && r[2] > line.baseline + 0.5 * line.size && r[0] < line.bbox[2] && r[1] > line.bbox[0]);
            if close && aligned && !ruled {
                for c in line.cells {
                    let target = prev
                        .cells
                        .iter_mut()
                        .find(|p| (p.x0 - c.x0).abs() < 3.0)
                        .expect("aligned");
                    target.pieces.extend(c.pieces);
                }
                prev.bbox = union(prev.bbox, line.bbox);
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// Text of a run of pieces: words spaced by gaps, a wrapped cell's lines
/// joined (without a space where a URL or a hyphenated word continues).
fn cell_text(pieces: &[Piece]) -> Vec<(Option<usize>, String)> {
    // (index of the mark piece, or None for text) in order, text already spaced.
    let mut out: Vec<(Option<usize>, String)> = Vec::new();
    let mut prev: Option<([f32; 4], f32)> = None;
    for (i, p) in pieces.iter().enumerate() {
        match p {
            Piece::Text { text, bbox, size } => {
                let sep = match prev {
                    None => "",
                    Some((pb, psize)) => {
                        let lower = bbox[3] < pb[1] + 0.5 * psize;
                        if lower {
                            // The next line of a wrapped cell.
                            let last = out.iter().rev().find_map(|(m, t)| m.is_none().then_some(t.as_str())).unwrap_or("");
                            if last.ends_with('/') || last.ends_with('-') && !last.ends_with(" -") {
                                ""
                            } else {
                                " "
                            }
                        } else if bbox[0] - pb[2] > WORD_GAP * size.min(psize) {
                            " "
                        } else {
                            ""
                        }
                    }
                };
                if !sep.is_empty() {
                    out.push((None, sep.to_string()));
                }
                out.push((None, text.clone()));
                prev = Some((*bbox, *size));
            }
            Piece::Mark { bbox, .. } => {
                out.push((Some(i), String::new()));
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
            digits(r) || r.split_once("of").is_some_and(|(a, b)| digits(a.trim()) && digits(b.trim()))
        })
        || t.split_once('/').is_some_and(|(a, b)| digits(a.trim()) && digits(b.trim()))
}

/// Writes all pages into the flow.
pub fn assemble(flow: &mut FlowBuilder, pages: Vec<PageContent>) {
    let page_count = pages.len();
    let mut laid: Vec<(PageContent, Vec<Line>)> = pages
        .into_iter()
        .map(|mut p| {
            let items = std::mem::take(&mut p.items);
            let lines = merge_wrapped_cells(page_lines(items), &p.rules);
            (p, lines)
        })
        .collect();

    // Running headers and footers: the same text (digits aside) near the top
    // or bottom of several pages.
    let margin = |p: &PageContent, l: &Line| {
        let top = p.bottom + p.height;
        l.baseline > top - 0.08 * p.height || l.baseline < p.bottom + 0.08 * p.height
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (p, lines) in &laid {
        let mut on_page: Vec<String> = lines
            .iter()
            .filter(|l| margin(p, l))
            .map(|l| normalized_furniture(&plain_text(l)))
            .filter(|t| !t.is_empty())
            .collect();
        on_page.dedup();
        for t in on_page {
            *seen.entry(t).or_default() += 1;
        }
    }
    let repeated = |t: &str| page_count >= 2 && seen.get(t).is_some_and(|&n| n >= 2 && n * 5 >= page_count * 2);

    for (p, lines) in &mut laid {
        lines.retain(|l| {
            if !margin(p, l) {
                return true;
            }
            let text = plain_text(l);
            let has_marks = l.pieces.iter().any(|x| matches!(x, Piece::Mark { .. }));
            has_marks || !(repeated(&normalized_furniture(&text)) || is_page_number(&text))
        });
        drop_footnotes(p, lines);
    }

    for (p, lines) in laid {
        flow.set_page(Some(p.number));
        let mut prev: Option<&Line> = None;
        for line in &lines {
            if let Some(pl) = prev {
                let gap = pl.baseline - line.baseline;
                let starts_with_mark = line.pieces.first().is_some_and(|x| matches!(x, Piece::Mark { .. }));
                if gap > 1.45 * pl.size.max(line.size) || starts_with_mark || (pl.size - line.size).abs() > 1.5 {
                    flow.end_paragraph();
                } else {
                    flow.line_break();
                }
            }
            write_line(flow, line, &p.links);
            prev = Some(line);
        }
        flow.end_paragraph();
    }
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
        .filter(|r| r[1] - r[0] < 250.0 && r[2] < p.bottom + 0.5 * p.height)
        .filter(|r| {
            let below: Vec<&Line> = lines.iter().filter(|l| l.baseline < r[2]).collect();
            !below.is_empty() && below.iter().all(|l| l.size < body - 0.5)
        })
        .map(|r| r[2])
        .fold(None, |acc: Option<f32>, y| Some(acc.map_or(y, |a| a.max(y))));
    if let Some(y) = separator {
        lines.retain(|l| l.baseline > y);
    }
}

fn write_line(flow: &mut FlowBuilder, line: &Line, links: &[LinkAnnotation]) {
    flow.set_bbox(Some(line.bbox));
    let link_at = |b: &[f32; 4]| {
        let c = [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
        links.iter().position(|l| {
            l.rects
                .iter()
                .any(|r| c[0] >= r[0] - 0.5 && c[0] <= r[2] + 0.5 && c[1] >= r[1] - 0.5 && c[1] <= r[3] + 0.5)
        })
    };
    let mut open: Option<usize> = None;
    for (k, cell) in line.cells.iter().enumerate() {
        if k > 0 {
            if open.take().is_some() {
                flow.end_link();
            }
            flow.text("\t");
        }
        let pieces = cell_text(&cell.pieces);
        let mut text_index = 0;
        for (mark, text) in pieces {
            match mark {
                Some(i) => {
                    if let Piece::Mark { bbox, checked, source, evidence } = &cell.pieces[i] {
                        flow.mark_at(Some(*checked), *source, evidence.clone(), Some(*bbox));
                    }
                }
                None => {
                    // Separators carry no position; glyph pieces do.
                    let is_separator = text == " " || text.is_empty();
                    let bbox = if is_separator {
                        None
                    } else {
                        let b = cell
                            .pieces
                            .iter()
                            .filter(|p| matches!(p, Piece::Text { .. }))
                            .nth(text_index)
                            .map(Piece::bbox);
                        text_index += 1;
                        b
                    };
                    let link = bbox.as_ref().and_then(|b| link_at(b));
                    if !is_separator && link != open {
                        if open.is_some() {
                            flow.end_link();
                        }
                        if let Some(l) = link {
                            flow.begin_link(links[l].url.clone());
                        }
                        open = link;
                    }
                    flow.text(&text);
                }
            }
        }
    }
    if open.is_some() {
        flow.end_link();
    }
}
