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
//!
//! The stages, in order: `lines` (glyphs, marks and field values into lines
//! of cells), `cells` (table rows wrapped over several lines), `furniture`
//! (headers, footers, page numbers, footnotes), `paragraphs` (where a
//! paragraph breaks), `write` (a line's text, marks and links into the flow).

mod cells;
mod furniture;
mod lines;
mod paragraphs;
mod write;

use compact_str::CompactString;

use super::annotations::LinkAnnotation;
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
        /// Inline, not on the heap, up to 24 bytes: nearly every word.
        text: CompactString,
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

impl Line {
    /// A line of running text, not yet split into cells.
    fn new(baseline: f32, size: f32, bbox: [f32; 4], pieces: Vec<Piece>) -> Line {
        Line {
            baseline,
            size,
            pieces,
            bbox,
            cells: Vec::new(),
            hard_break: false,
            starts_block: false,
        }
    }
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

pub(super) fn union(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
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

/// Writes all pages into the flow.
pub fn assemble(flow: &mut FlowBuilder, pages: Vec<PageContent>) {
    let mut laid: Vec<(PageContent, Vec<Line>)> = pages
        .into_iter()
        .map(|mut p| {
            let glyphs = std::mem::take(&mut p.glyphs);
            let items = std::mem::take(&mut p.items);
            let lines = cells::merge_wrapped_cells(
                lines::page_lines(glyphs, items, &p.rules, &p.column_rules, &p.links),
                &p.rules,
                &p.column_rules,
            );
            (p, lines)
        })
        .collect();
    furniture::drop_running_furniture(&mut laid);
    for (p, lines) in &mut laid {
        furniture::drop_footnotes(p, lines);
    }
    cells::continue_cells_across_pages(&mut laid);

    let mut last_of_page: Option<Line> = None;
    for (p, lines) in laid {
        if let (Some(last), Some(first)) = (&last_of_page, lines.first()) {
            if paragraphs::runs_over_page_break(last, first) {
                flow.line_break();
            } else {
                flow.end_paragraph();
            }
        }
        flow.set_page(Some(p.number));
        let pitch = paragraphs::LinePitch::of(&lines);
        let mut prev: Option<&Line> = None;
        for line in &lines {
            if let Some(above) = prev {
                if pitch.breaks_paragraph(above, line) {
                    flow.end_paragraph();
                } else {
                    flow.line_break();
                }
            }
            write::write_line(flow, line, &p.links, p.turn.inverse());
            prev = Some(line);
        }
        if let Some(l) = lines.last() {
            last_of_page = Some(l.clone());
        }
    }
    flow.end_paragraph();
}

/// A mark, or a box glyph that the flow builder will make one: a line with a
/// box starts an option of its own, it never continues a cell.
fn is_box(p: &Piece) -> bool {
    match p {
        Piece::Mark { .. } => true,
        Piece::Text { text, .. } => crate::readers::boxes::has_box_char(text),
    }
}
