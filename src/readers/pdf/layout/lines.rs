//! Glyphs, marks and form-field values into lines of cells, top to bottom.

use compact_str::CompactString;

use super::super::annotations::LinkAnnotation;
use super::super::device::ShownGlyph;
use super::{union, Cell, Line, PageItem, Piece, CELL_GAP, WORD_GAP};
use crate::model::MarkSource;

/// What one glyph contributes to a line.
enum GlyphPiece<'g> {
    /// A symbol-font box (Wingdings …) recognised by its character code.
    Mark(Piece),
    Text(&'g str),
}

/// Borrows the glyph's text rather than moving it: a page has thousands.
fn glyph_piece<'g>(g: &'g ShownGlyph, circle: &'g mut [u8; 4]) -> Option<GlyphPiece<'g>> {
    let mut text = g.text.as_deref();
    // A symbol-font glyph without Unicode: its character code says which box.
    if let Some(font) = g.symbol_font {
        let text_is_box = text
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
            // A radio circle: its Unicode, for the flow builder to judge.
            if let Some(c) = font.radio_glyph(g.code) {
                text = Some(c.encode_utf8(circle));
            }
        }
    }
    let text = text?;
    let control = match text.as_bytes() {
        // Most glyphs show one ASCII character.
        [b] => b.is_ascii_control(),
        _ => text.is_empty() || text.chars().all(|c| c.is_control()),
    };
    (!control).then_some(GlyphPiece::Text(text))
}

/// Whether a glyph's text is all white space, and whether it stands alone.
fn blank_or_alone(text: &str) -> (bool, bool) {
    match text.as_bytes() {
        // One ASCII character: the white space `char::is_whitespace` knows
        // there, and never a box.
        [b] => (matches!(b, b'\t'..=b'\r' | b' '), false),
        _ => (text.chars().all(char::is_whitespace), stands_alone(text)),
    }
}

/// A glyph that the flow builder may turn into a mark keeps a piece of its
/// own, so that the mark gets the glyph's box.
fn stands_alone(text: &str) -> bool {
    // None of these is ASCII, and nearly all text is.
    !text.is_ascii()
        && text.chars().any(|c| {
            crate::readers::boxes::box_char_state(c).is_some()
                || crate::readers::boxes::radio_glyph_state(c).is_some()
                || matches!(c, '\u{FE}' | '\u{FD}' | '\u{A8}')
        })
}

/// Glyphs being joined into one text piece (their text gathered apart, in
/// one buffer for all runs).
struct Run {
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

    /// The run as a piece, its text taken from `text`, which is left empty.
    fn into_piece(self, text: &mut String) -> (f32, f32, Piece) {
        let piece_text = CompactString::from(text.as_str());
        text.clear();
        (
            self.baseline,
            self.size,
            Piece::Text {
                text: expand_ligatures(piece_text),
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
fn expand_ligatures(text: CompactString) -> CompactString {
    if text.is_ascii() || !text.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)) {
        return text;
    }
    let mut out = CompactString::with_capacity(text.len());
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
        text: text.into(),
        bbox,
        size,
        link: link_at(links, &bbox),
    }
}

/// A text piece with the baseline and size of the line it belongs on.
type PlacedText = (f32, f32, Piece);

/// Groups a page's items into lines, top to bottom, each split into cells.
pub(super) fn page_lines(
    glyphs: Vec<ShownGlyph>,
    items: Vec<PageItem>,
    rules: &[[f32; 3]],
    column_rules: &[[f32; 3]],
    links: &[LinkAnnotation],
) -> Vec<Line> {
    let (mut texts, mut marks) = glyph_runs(&glyphs, rules, links);
    let mut field_blocks: Vec<Line> = Vec::new();
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
                let (one_line, block) = field_text(&text, bbox, links);
                texts.extend(one_line);
                field_blocks.extend(block);
            }
        }
    }
    let mut lines = fold_superscripts(lines_by_baseline(texts));
    lines.extend(field_blocks);
    for mark in marks {
        place_mark(&mut lines, mark);
    }
    lines.sort_by(|a, b| b.baseline.total_cmp(&a.baseline));
    for line in &mut lines {
        line.pieces
            .sort_by(|a, b| a.bbox()[0].total_cmp(&b.bbox()[0]));
        line.cells = split_cells(&line.pieces, line.size, line.baseline, column_rules);
    }
    lines
}

/// The page's glyphs as text pieces (touching glyphs joined into runs) and
/// the symbol-font boxes among them as marks. Glyphs come in the order the
/// content shows them; joining them here keeps the rest of the layout per
/// word rather than per glyph. Struck-through glyphs (deleted text shown
/// with tracked changes) are left out.
fn glyph_runs(
    glyphs: &[ShownGlyph],
    rules: &[[f32; 3]],
    links: &[LinkAnnotation],
) -> (Vec<PlacedText>, Vec<Piece>) {
    // A word is a few glyphs: room for the pieces up front.
    let mut texts: Vec<PlacedText> = Vec::with_capacity(glyphs.len() / 4 + 1);
    let mut marks: Vec<Piece> = Vec::new();
    let rules_by_height = RulesByHeight::new(rules);
    let mut run: Option<Run> = None;
    // The text of `run`: one buffer grown once, not a string per run grown
    // glyph by glyph.
    let mut run_text = String::new();
    let mut circle = [0; 4];
    for g in glyphs {
        if rules_by_height.strike(g) {
            continue;
        }
        match glyph_piece(g, &mut circle) {
            Some(GlyphPiece::Mark(p)) => {
                texts.extend(run.take().map(|r| r.into_piece(&mut run_text)));
                marks.push(p);
            }
            Some(GlyphPiece::Text(text)) => {
                let (bbox, baseline, size) = (g.bbox, g.baseline, g.size);
                let (blank, alone) = blank_or_alone(text);
                let current = run.as_ref().filter(|r| !alone && !r.closed);
                // White space keeps the link it is in.
                let link = match current {
                    Some(r) if blank => r.link,
                    _ => link_at(links, &bbox),
                };
                match run.as_mut() {
                    Some(r) if !alone && r.continues(&bbox, baseline, size, link) => {
                        push_glyph_text(&mut run_text, text);
                        r.bbox = union(r.bbox, bbox);
                        r.last_x0 = bbox[0];
                        r.closed = blank;
                    }
                    _ => {
                        texts.extend(run.take().map(|r| r.into_piece(&mut run_text)));
                        push_glyph_text(&mut run_text, text);
                        run = Some(Run {
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
    texts.extend(run.take().map(|r| r.into_piece(&mut run_text)));
    (texts, marks)
}

/// A glyph's text onto its run's. Most glyphs show one ASCII character:
/// pushed as a byte, not copied as a string (a call to `memcpy` each).
fn push_glyph_text(run_text: &mut String, text: &str) {
    match text.as_bytes() {
        // One byte of UTF-8 is an ASCII character.
        [b] => run_text.push(char::from(*b)),
        _ => run_text.push_str(text),
    }
}

/// A form field's value inside its box `bbox`. One line joins the label
/// beside it ("Name: [value]"): it comes back as a text piece to be laid out
/// with the page's text. Several lines are each a paragraph of their own, as
/// typed: they come back as lines.
fn field_text(
    text: &str,
    bbox: [f32; 4],
    links: &[LinkAnnotation],
) -> (Option<PlacedText>, Vec<Line>) {
    let height = bbox[3] - bbox[1];
    let field_lines: Vec<&str> = text
        .split(['\r', '\n'])
        .filter(|l| !l.trim().is_empty())
        .collect();
    if let [only] = field_lines[..] {
        let size = (height * 0.7).clamp(6.0, 11.0);
        let baseline = bbox[1] + (height - size) / 2.0 + 0.2 * size;
        let piece = field_piece(only, bbox, baseline, size, links);
        return (Some((baseline, size, piece)), Vec::new());
    }
    let pitch = (height / field_lines.len() as f32).min(12.0);
    let size = (pitch / 1.2).clamp(1.0, 10.0);
    let block = field_lines
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let baseline = bbox[3] - (k as f32 + 1.0) * pitch + 0.2 * size;
            let line_box = [
                bbox[0],
                baseline - 0.2 * size,
                bbox[2],
                baseline + 0.8 * size,
            ];
            Line {
                hard_break: true,
                ..Line::new(
                    baseline,
                    size,
                    line_box,
                    vec![field_piece(l, bbox, baseline, size, links)],
                )
            }
        })
        .collect();
    (None, block)
}

/// Text pieces with a common baseline (within a third of their size) as
/// lines, top to bottom and left to right.
fn lines_by_baseline(mut texts: Vec<PlacedText>) -> Vec<Line> {
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
            None => {
                // Room for a line's words and the spaces between them, mostly.
                let mut pieces = Vec::with_capacity(16);
                let bbox = piece.bbox();
                pieces.push(piece);
                lines.push(Line::new(baseline, size, bbox, pieces));
            }
        }
    }
    lines
}

/// A mark goes into the line whose height it shares most; else it is a
/// line of its own.
fn place_mark(lines: &mut Vec<Line>, mark: Piece) {
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
        None => lines.push(Line::new(
            b[1] + 0.2 * (b[3] - b[1]),
            (b[3] - b[1]).max(6.0),
            b,
            vec![mark],
        )),
    }
}

/// A raised line at most this fraction of a line's size beside it is a
/// superscript of that line.
const SUPERSCRIPT_SIZE: f32 = 0.85;

/// Small raised glyphs beside a line (footnote markers, "1st") are folded
/// into that line; digits among them are footnote markers and dropped.
fn fold_superscripts(mut lines: Vec<Line>) -> Vec<Line> {
    // Only a line smaller than the page's largest can be raised beside
    // another: the rest are not compared with every line.
    let largest = lines.iter().map(|l| l.size).fold(0.0, f32::max);
    let mut i = 0;
    while i < lines.len() {
        let small = &lines[i];
        if small.size >= SUPERSCRIPT_SIZE * largest {
            i += 1;
            continue;
        }
        let target = lines.iter().enumerate().position(|(j, l)| {
            j != i
                && small.size < SUPERSCRIPT_SIZE * l.size
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

/// Gap, in font sizes, after which a lone "X" is in a cell of its own: an
/// X typed in the box column beside an option label that nearly fills its
/// own cell, closer to the label than cells usually are.
const LONE_X_GAP: f32 = 1.0;

fn is_lone_x(p: &Piece) -> bool {
    matches!(p, Piece::Text { text, .. } if matches!(text.trim(), "X" | "x"))
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
        let gap_for_cell = if is_lone_x(p) { LONE_X_GAP } else { CELL_GAP };
        let new_cell =
            last_x1.is_none_or(|x1| b[0] - x1 > gap_for_cell * size || border_between(x1, b[0]));
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
struct RulesByHeight {
    rules: Vec<[f32; 3]>,
    /// The rules at the height of the last glyph's middle, by its baseline
    /// and size: the glyphs of a line share them.
    last: std::cell::Cell<(f32, f32, usize, usize)>,
}

impl RulesByHeight {
    fn new(rules: &[[f32; 3]]) -> Self {
        let mut sorted = rules.to_vec();
        sorted.sort_by(|a, b| a[2].total_cmp(&b[2]));
        RulesByHeight {
            rules: sorted,
            last: std::cell::Cell::new((f32::NAN, f32::NAN, 0, 0)),
        }
    }

    /// A glyph with a line through its middle: deleted text of a document
    /// printed with its tracked changes shown.
    fn strike(&self, g: &ShownGlyph) -> bool {
        let (baseline, size, mut first, mut end) = self.last.get();
        if (baseline, size) != (g.baseline, g.size) {
            let (low, high) = (g.baseline + 0.15 * g.size, g.baseline + 0.5 * g.size);
            first = self.rules.partition_point(|r| r[2] <= low);
            end = first + self.rules[first..].partition_point(|r| r[2] < high);
            self.last.set((g.baseline, g.size, first, end));
        }
        let cx = (g.bbox[0] + g.bbox[2]) / 2.0;
        self.rules[first..end]
            .iter()
            .any(|r| r[0] <= cx && r[1] >= cx)
    }
}

#[cfg(test)]
mod tests {
    use super::{blank_or_alone, stands_alone};

    #[test]
    fn one_ascii_character_is_judged_as_any_text_is() {
        for b in 0..=127u8 {
            let text = char::from(b).to_string();
            let general = (text.chars().all(char::is_whitespace), stands_alone(&text));
            assert_eq!(blank_or_alone(&text), general, "{b:#x}");
        }
        assert_eq!(blank_or_alone("\u{a0}"), (true, false));
        assert_eq!(blank_or_alone("☒"), (false, true));
    }
}
