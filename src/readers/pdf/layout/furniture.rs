//! Page furniture: running headers and footers, page numbers and footnotes,
//! which are not part of the answers.

use rustc_hash::FxHashMap;

use super::{is_box, plain_text, Line, PageContent};

/// Drops running headers and footers (the same text, digits aside, near the
/// top or bottom of at least half the pages) and page numbers. A line with a
/// tick box is never furniture.
pub(super) fn drop_running_furniture(laid: &mut [(PageContent, Vec<Line>)]) {
    let page_count = laid.len();
    let margin = |p: &PageContent, l: &Line| {
        let top = p.bottom + p.height;
        l.baseline > top - 0.08 * p.height || l.baseline < p.bottom + 0.08 * p.height
    };
    // Keyed by margin and text: a header repeats at the top, a footer at the
    // bottom.
    let zone_key = |p: &PageContent, l: &Line| {
        let top = l.baseline > p.bottom + 0.5 * p.height;
        format!(
            "{}{}",
            if top { "top:" } else { "bottom:" },
            normalized_furniture(&plain_text(l))
        )
    };
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    for (p, lines) in laid.iter() {
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
    for (p, lines) in laid.iter_mut() {
        lines.retain(|l| {
            if !margin(p, l) {
                return true;
            }
            let has_marks = l.pieces.iter().any(is_box);
            has_marks || !(repeated(&zone_key(p, l)) || is_page_number(&plain_text(l)))
        });
    }
}

fn normalized_furniture(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
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

/// Drops small text below a short rule near the bottom of the page: footnotes.
pub(super) fn drop_footnotes(p: &PageContent, lines: &mut Vec<Line>) {
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
            // Footnotes start where their separator does; a numbered line
            // starting left of the rule is a table's next row ("23  Does
            // your country …" under a field's underline), and a whole
            // question would go with it.
            let aligned = first.bbox[0] >= r[0] - 3.0 && first.bbox[0] <= r[0] + 20.0;
            near && ((numbered && aligned) || below.iter().all(|l| l.size < body - 0.5))
        })
        .map(|r| r[2])
        .fold(None, |acc: Option<f32>, y| {
            Some(acc.map_or(y, |a| a.max(y)))
        });
    if let Some(y) = separator {
        lines.retain(|l| l.baseline > y);
    }
}

fn is_superscript_digit(c: char) -> bool {
    matches!(
        c,
        '\u{00B9}' | '\u{00B2}' | '\u{00B3}' | '\u{2070}'..='\u{2079}'
    )
}
