//! Where paragraphs break: measured against the page's usual line pitch, and
//! over page breaks.

use rustc_hash::FxHashMap;

use super::{is_box, plain_text, Line};

/// Whether the last line of a page and the first of the next are one
/// paragraph running on over the page break: the sentence is open at the
/// foot of the page and goes on in lower case.
pub(super) fn runs_over_page_break(last: &Line, first: &Line) -> bool {
    let last_text = plain_text(last);
    let first_text = plain_text(first);
    let open_sentence = !last_text.trim_end().ends_with(['.', '!', '?', ':', ';']);
    let lower = first_text
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    let breaks = last.hard_break || first.hard_break || first.pieces.iter().any(is_box);
    open_sentence && lower && !breaks
}

/// Line pitches, in font sizes, up to which a pitch can be the spacing of
/// lines within a paragraph (single to 1.15 spacing); above it, the gap
/// between one-line paragraphs.
const LINE_LIKE_PITCH: f32 = 1.45;

/// The usual distance between the baselines of consecutive lines within a
/// paragraph. Clearly more than that is a paragraph break.
pub(super) struct LinePitch {
    /// The smallest gap that recurs on the page.
    page: Option<f32>,
    /// The same among lines starting at one left edge (2-point buckets):
    /// table cells and body text of one page may be spaced differently.
    by_left_edge: FxHashMap<i32, f32>,
}

impl LinePitch {
    pub(super) fn of(lines: &[Line]) -> LinePitch {
        let mut page: FxHashMap<i32, usize> = FxHashMap::default();
        let mut by_left_edge: FxHashMap<i32, FxHashMap<i32, usize>> = FxHashMap::default();
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

    /// Whether a paragraph ends between two consecutive lines of a page:
    /// they are further apart than the pitch (or the second is above the
    /// first: the next cell of a table row), a box or a table block starts
    /// the second, one is a line of a multi-line form field, or their sizes
    /// differ.
    pub(super) fn breaks_paragraph(&self, above: &Line, line: &Line) -> bool {
        let gap = above.baseline - line.baseline;
        let size = above.size.max(line.size);
        let limit = match self.between(above, line) {
            Some(p) => p + (0.15 * size).max(1.5),
            None => LINE_LIKE_PITCH * size,
        };
        gap > limit
            || gap < 0.0
            || line.starts_block
            || line.pieces.first().is_some_and(is_box)
            || line.hard_break
            || above.hard_break
            || (above.size - line.size).abs() > 1.5
    }
}

/// The 2-point bucket of the left edge two lines share, if they do.
fn shared_left_edge(above: &Line, below: &Line) -> Option<i32> {
    ((above.bbox[0] - below.bbox[0]).abs() < 2.0).then(|| (above.bbox[0] / 2.0).round() as i32)
}

/// The smallest gap (in half points) seen at least twice. In a form of
/// one-line paragraphs the paragraph gap is the most common one, the line
/// pitch still the smallest.
fn smallest_recurring(counts: &FxHashMap<i32, usize>) -> Option<f32> {
    counts
        .iter()
        .filter(|&(_, &n)| n >= 2)
        .map(|(&g, _)| g)
        .min()
        .map(|half_points| half_points as f32 / 2.0)
}
