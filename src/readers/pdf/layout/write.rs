//! A line into the flow: its cells' text with spaces for gaps, its marks, and
//! the links its words lie in.

use super::super::annotations::LinkAnnotation;
use super::super::orientation::Quarter;
use super::{Line, Piece, WORD_GAP};
use crate::readers::flow::FlowBuilder;

/// What one output of `cell_text` came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Source {
    /// The piece with this index (a glyph's text, or a mark with no text).
    Piece(usize),
    /// A space inserted for a gap, or between the lines of a wrapped cell.
    Gap,
}

/// Text of a run of pieces: words spaced by gaps, a wrapped cell's lines
/// joined (without a space where a URL or a hyphenated word continues).
pub(super) fn cell_text(pieces: &[Piece]) -> Vec<(Source, &str)> {
    // Each piece, and a gap before most.
    let mut out: Vec<(Source, &str)> = Vec::with_capacity(pieces.len() * 2);
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
                            .find_map(|(src, t)| matches!(src, Source::Piece(_)).then_some(*t))
                            .unwrap_or("");
                        let joins =
                            last.ends_with('/') || (last.ends_with('-') && !last.ends_with(" -"));
                        !joins
                    } else {
                        bbox[0] - pb[2] > WORD_GAP * size.min(psize)
                    };
                    // A space glyph already ends the text before: no second one.
                    if gap && !spaced && !text.starts_with(char::is_whitespace) {
                        out.push((Source::Gap, " "));
                    }
                }
                out.push((Source::Piece(i), text));
                prev = Some((*bbox, *size));
            }
            Piece::Mark { bbox, .. } => {
                out.push((Source::Piece(i), ""));
                prev = Some((*bbox, bbox[3] - bbox[1]));
            }
        }
    }
    out
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
pub(super) fn write_line(
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
                flow.text(text);
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
                    flow.text_at(text, user(bbox));
                }
            }
        }
    }
    if open.is_some() {
        flow.end_link();
    }
}
