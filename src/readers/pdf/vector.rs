//! Boxes drawn with vector graphics: a small square outline (sharp or rounded
//! corners, one path or four separate strokes) or a circle (a radio button),
//! ticked by a cross of two lines, a check-mark path, a filled inner square or
//! dot, or an X or ✓ glyph inside it. This is what LibreOffice makes of Word's
//! legacy form check boxes, what a browser prints for a form's inputs, and how
//! many producers draw boxes that are not fonts.

use super::device::{Shape, ShownGlyph};
use crate::readers::boxes::box_char_state;

/// Side of a box, in points.
const MIN_SIDE: f32 = 4.0;
const MAX_SIDE: f32 = 26.0;
/// Smallest radio circle, in points: hollow list bullets are smaller.
const MIN_CIRCLE: f32 = 6.0;
/// Most separate strokes on a page searched for squares drawn side by side
/// (the search pairs them up); a page with more is not drawing its boxes so.
const MAX_STROKES: usize = 2_000;

#[derive(Debug, Clone)]
pub struct DrawnBox {
    pub bbox: [f32; 4],
    pub checked: bool,
    pub evidence: String,
    /// What was drawn ("vector box 10.0x10.0"), the start of the evidence.
    outline: String,
}

/// Text that ticks a box it is typed in.
pub fn is_tick_text(text: &str) -> bool {
    matches!(text, "X" | "x" | "✓" | "✔" | "✗" | "✘" | "×")
}

impl DrawnBox {
    /// Whether a point lies inside the box (or on its edge).
    pub fn holds(&self, p: [f32; 2]) -> bool {
        inside(p, &self.bbox, 0.5)
    }

    /// Ticks the box by what `how` says.
    pub fn tick_with(&mut self, how: &str) {
        self.checked = true;
        self.evidence = format!("{} with {how}", self.outline);
    }

    /// Whether a thin stroke the device took for a table rule is a side of
    /// this box (a box drawn as four strokes): horizontal rules are (x0, x1,
    /// y), vertical ones (x, y0, y1).
    pub fn has_side(&self, rule: &[f32; 3], vertical: bool) -> bool {
        let [x0, y0, x1, y1] = self.bbox;
        let close = |a: f32, b: f32| (a - b).abs() < 1.0;
        if vertical {
            (close(rule[0], x0) || close(rule[0], x1)) && close(rule[1], y0) && close(rule[2], y1)
        } else {
            (close(rule[2], y0) || close(rule[2], y1)) && close(rule[0], x0) && close(rule[1], x1)
        }
    }
}

fn axis_aligned(a: [f32; 2], b: [f32; 2]) -> bool {
    (a[0] - b[0]).abs() < 0.3 || (a[1] - b[1]).abs() < 0.3
}

fn length(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

pub fn center(b: &[f32; 4]) -> [f32; 2] {
    [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]
}

pub fn inside(p: [f32; 2], b: &[f32; 4], margin: f32) -> bool {
    p[0] >= b[0] - margin && p[0] <= b[2] + margin && p[1] >= b[1] - margin && p[1] <= b[3] + margin
}

/// A square outline: all segments on the bounding box's edges, axis-aligned
/// but for rounded corners (a curve across each corner): a stroked
/// rectangle, a rounded one, or a filled frame of an outer and an inner square.
fn is_square_outline(s: &Shape) -> bool {
    let [x0, y0, x1, y1] = s.bbox;
    let (w, h) = (x1 - x0, y1 - y0);
    if !(MIN_SIDE..=MAX_SIDE).contains(&w) || !(MIN_SIDE..=MAX_SIDE).contains(&h) {
        return false;
    }
    if (w - h).abs() > 0.25 * w.max(h) {
        return false;
    }
    let segments: Vec<_> = s
        .segments
        .iter()
        .filter(|(a, b)| length(*a, *b) > 0.01)
        .collect();
    let straight = segments
        .iter()
        .filter(|(a, b)| axis_aligned(*a, *b))
        .count();
    let corners = segments.len() - straight;
    let short = |(a, b): &&([f32; 2], [f32; 2])| length(*a, *b) < 0.5 * w.max(h);
    let rounded_corners_only = corners <= s.curves
        && segments
            .iter()
            .filter(|seg| !axis_aligned(seg.0, seg.1))
            .all(short);
    if straight < 4 || !rounded_corners_only {
        return false;
    }
    let near_edge = |p: [f32; 2]| {
        let tol = 0.2 * w.max(h);
        (p[0] - x0).abs() < tol
            || (p[0] - x1).abs() < tol
            || (p[1] - y0).abs() < tol
            || (p[1] - y1).abs() < tol
    };
    let on_edges = segments.iter().all(|(a, b)| near_edge(*a) && near_edge(*b));
    on_edges && is_outline_not_solid(s)
}

/// A filled shape is an outline only as a frame (an outer and an inner
/// path); a solid square or disc is a bullet or a decoration.
fn is_outline_not_solid(s: &Shape) -> bool {
    !s.filled || s.stroked || s.subpaths >= 2
}

/// A circle outline, a radio button: as wide as high, drawn with curves only.
fn is_circle_outline(s: &Shape) -> bool {
    let [x0, y0, x1, y1] = s.bbox;
    let (w, h) = (x1 - x0, y1 - y0);
    if !(MIN_CIRCLE..=MAX_SIDE).contains(&w) || (w - h).abs() > 0.1 * w.max(h) {
        return false;
    }
    // Every segment of some length is a curve's (a closing one has none).
    let drawn = s
        .segments
        .iter()
        .filter(|(a, b)| length(*a, *b) > 0.05 * w)
        .count();
    s.curves >= 4 && drawn <= s.curves && is_outline_not_solid(s)
}

/// Squares drawn as four separate strokes, one per side: the two horizontal
/// ones as long as they are apart, the two vertical ones joining their ends.
fn squares_of_strokes(shapes: &[Shape]) -> Vec<Shape> {
    let side_stroke = |s: &&Shape| {
        s.stroked
            && s.segments.len() == 1
            && axis_aligned(s.segments[0].0, s.segments[0].1)
            && (MIN_SIDE..=MAX_SIDE).contains(&length(s.segments[0].0, s.segments[0].1))
    };
    let strokes: Vec<&Shape> = shapes.iter().filter(side_stroke).collect();
    if strokes.len() < 4 || strokes.len() > MAX_STROKES {
        return Vec::new();
    }
    let (horizontal, vertical): (Vec<[f32; 4]>, Vec<[f32; 4]>) = strokes
        .iter()
        .map(|s| s.bbox)
        .partition(|b| b[2] - b[0] > b[3] - b[1]);
    let close = |a: f32, b: f32| (a - b).abs() < 0.75;
    let mut squares = Vec::new();
    for (i, low) in horizontal.iter().enumerate() {
        for high in &horizontal[i + 1..] {
            let (bottom, top) = if low[1] < high[1] {
                (low, high)
            } else {
                (high, low)
            };
            let (x0, x1, y0, y1) = (bottom[0], bottom[2], bottom[1], top[1]);
            let width = x1 - x0;
            if !close(top[0], x0) || !close(top[2], x1) || (y1 - y0 - width).abs() > 0.25 * width {
                continue;
            }
            let side_at = |x: f32| {
                vertical
                    .iter()
                    .any(|v| close(v[0], x) && close(v[1], y0) && close(v[3], y1))
            };
            if side_at(x0) && side_at(x1) {
                let corners = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
                squares.push(Shape {
                    bbox: [x0, y0, x1, y1],
                    segments: (0..4).map(|k| (corners[k], corners[(k + 1) % 4])).collect(),
                    stroked: true,
                    filled: false,
                    curves: 0,
                    subpaths: 1,
                });
            }
        }
    }
    squares
}

/// Finds drawn boxes and what ticks them. Returns the boxes and which glyphs
/// were used as ticks (they are marks, not text).
pub fn find_boxes(shapes: &[Shape], glyphs: &[ShownGlyph]) -> (Vec<DrawnBox>, Vec<usize>) {
    let mut boxes: Vec<DrawnBox> = Vec::new();
    let mut used_glyphs = Vec::new();
    let assembled = squares_of_strokes(shapes);
    let shapes: Vec<&Shape> = shapes.iter().chain(&assembled).collect();
    let outlines: Vec<(usize, &str)> = (0..shapes.len())
        .filter_map(|i| {
            if is_square_outline(shapes[i]) {
                Some((i, "box"))
            } else if is_circle_outline(shapes[i]) {
                Some((i, "circle"))
            } else {
                None
            }
        })
        .collect();
    let mut is_outline = vec![false; shapes.len()];
    for &(i, _) in &outlines {
        is_outline[i] = true;
    }
    for &(i, kind) in &outlines {
        let b = shapes[i].bbox;
        // The same box drawn twice (a white fill, then the stroke) is one box.
        if boxes
            .iter()
            .any(|o| (0..4).all(|k| (o.bbox[k] - b[k]).abs() < 1.0))
        {
            continue;
        }
        let side = (b[2] - b[0]).max(b[3] - b[1]);
        let drawn = drawn_tick(&shapes, &is_outline, b);
        let mut glyph_tick = None;
        let mut holds_text = false;
        for (g, glyph) in glyphs.iter().enumerate() {
            let Some(t) = glyph.text.as_deref() else {
                continue;
            };
            if !inside(center(&glyph.bbox), &b, 0.1 * side) {
                continue;
            }
            if is_tick_text(t) {
                glyph_tick.get_or_insert((g, t.to_string()));
            } else if t.chars().any(char::is_alphanumeric) {
                holds_text = true;
                break;
            }
        }
        // A frame around a word (a highlighted placeholder, a boxed number)
        // is not a box to tick.
        if holds_text {
            continue;
        }
        let what = format!("vector {kind} {:.1}x{:.1}", b[2] - b[0], b[3] - b[1]);
        let (checked, evidence) = if let Some(how) = drawn {
            (true, format!("{what} {how}"))
        } else if let Some((g, t)) = &glyph_tick {
            used_glyphs.push(*g);
            (true, format!("{what} with \"{t}\" typed inside"))
        } else {
            (false, format!("{what}, empty"))
        };
        boxes.push(DrawnBox {
            bbox: b,
            checked,
            evidence,
            outline: what,
        });
    }
    (boxes, used_glyphs)
}

/// What is drawn inside the area `b` that ticks it, if anything: two
/// strokes crossing it, a tick path, or a filled square or dot. Shapes
/// marked in `skip` (the boxes themselves) are passed over.
fn drawn_tick(shapes: &[&Shape], skip: &[bool], b: [f32; 4]) -> Option<String> {
    let side = (b[2] - b[0]).max(b[3] - b[1]);
    let mut diagonals = 0;
    let mut tick_paths = 0;
    let mut inner_fill: Option<&str> = None;
    for (j, s) in shapes.iter().enumerate() {
        if skip.get(j).copied().unwrap_or(false) || !inside(center(&s.bbox), &b, 0.1 * side) {
            continue;
        }
        let sw = s.bbox[2] - s.bbox[0];
        let sh = s.bbox[3] - s.bbox[1];
        if sw > 1.6 * side || sh > 1.6 * side {
            continue;
        }
        let diag = s
            .segments
            .iter()
            .filter(|(a, c)| !axis_aligned(*a, *c) && length(*a, *c) > 0.3 * side)
            .count();
        let fills_inside = s.filled && sw > 0.25 * side && sh > 0.25 * side && sw < 0.95 * side;
        // A stroke or two apart is a cross; joined ones are a tick.
        let joined = s.segments.len() == 2 && length(s.segments[0].1, s.segments[1].0) < 0.5;
        if s.filled && !s.stroked && s.curves > 0 {
            if fills_inside {
                inner_fill = Some("dot");
            }
        } else if diag > 0 {
            if s.segments.len() <= 2 && !joined {
                diagonals += diag;
            } else {
                tick_paths += 1;
            }
        } else if fills_inside {
            inner_fill = Some("square");
        }
    }
    if diagonals >= 2 {
        Some(format!("crossed by {diagonals} lines"))
    } else if tick_paths > 0 || diagonals == 1 {
        Some("with a tick path".into())
    } else {
        inner_fill.map(|fill| format!("with a filled {fill} inside"))
    }
}

/// An empty box glyph (☐, a dingbat font's empty box) ticked by something
/// drawn or typed over it, as a PDF tool's check-mark stamp or an "X" note
/// ticks a box printed from Word.
#[derive(Debug)]
pub struct TickedGlyph {
    pub glyph: usize,
    /// The tick glyph typed over it, which is part of the mark, not text.
    pub tick_glyph: Option<usize>,
    pub evidence: String,
}

/// How an empty box glyph is named in evidence, if `g` is one.
#[inline(always)]
pub fn empty_box_glyph(g: &ShownGlyph) -> Option<String> {
    // Asked of every glyph of a page: the usual answer, a glyph of a text
    // font with ASCII text (or none), is given without a call.
    if g.symbol_font.is_none() && g.text.as_deref().is_none_or(str::is_ascii) {
        return None;
    }
    box_glyph_evidence(g)
}

#[inline(never)]
fn box_glyph_evidence(g: &ShownGlyph) -> Option<String> {
    if let Some(font) = g.symbol_font {
        if font.box_state(g.code) == Some(false) {
            return Some(format!(
                "symbol font {} char {:02X}",
                font.name(),
                g.code & 0xFF
            ));
        }
    }
    let text = g.text.as_deref()?;
    // No box is ASCII, and nearly every glyph is.
    if text.is_ascii() {
        return None;
    }
    let mut chars = text.chars();
    let c = chars.next()?;
    let empty = chars.next().is_none() && box_char_state(c) == Some(false);
    empty.then(|| format!("glyph U+{:04X}", c as u32))
}

/// The empty box glyphs that a drawn tick or cross, or a tick glyph, lies on.
pub fn ticked_box_glyphs(shapes: &[Shape], glyphs: &[ShownGlyph]) -> Vec<TickedGlyph> {
    // Shapes and glyphs that may tick, gathered once; the shapes by the x
    // of their centre, so that each box looks only at those near it.
    let mut tick_shapes: Vec<&Shape> = shapes
        .iter()
        .filter(|s| s.filled || s.segments.iter().any(|(a, b)| !axis_aligned(*a, *b)))
        .collect();
    tick_shapes.sort_by(|a, b| center(&a.bbox)[0].total_cmp(&center(&b.bbox)[0]));
    let tick_glyphs: Vec<usize> = (0..glyphs.len())
        .filter(|&k| glyphs[k].text.as_deref().is_some_and(is_tick_text))
        .collect();
    let mut ticked = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        let Some(what) = empty_box_glyph(g) else {
            continue;
        };
        let margin = 0.1 * (g.bbox[2] - g.bbox[0]).max(g.bbox[3] - g.bbox[1]);
        let from = tick_shapes.partition_point(|s| center(&s.bbox)[0] < g.bbox[0] - margin);
        let to = tick_shapes.partition_point(|s| center(&s.bbox)[0] <= g.bbox[2] + margin);
        if let Some(how) = drawn_tick(&tick_shapes[from..to.max(from)], &[], g.bbox) {
            ticked.push(TickedGlyph {
                glyph: i,
                tick_glyph: None,
                evidence: format!("{what} {how} over it"),
            });
            continue;
        }
        let typed = tick_glyphs
            .iter()
            .map(|&k| (k, &glyphs[k]))
            .find(|(k, t)| *k != i && inside(center(&t.bbox), &g.bbox, 0.0));
        if let Some((k, t)) = typed {
            ticked.push(TickedGlyph {
                glyph: i,
                tick_glyph: Some(k),
                evidence: format!(
                    "{what} with \"{}\" over it",
                    t.text.as_deref().unwrap_or("")
                ),
            });
        }
    }
    ticked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, s: f32) -> Shape {
        let p = [[x, y], [x + s, y], [x + s, y + s], [x, y + s]];
        Shape {
            bbox: [x, y, x + s, y + s],
            segments: vec![(p[0], p[1]), (p[1], p[2]), (p[2], p[3]), (p[3], p[0])],
            stroked: true,
            filled: false,
            curves: 0,
            subpaths: 1,
        }
    }

    fn line(a: [f32; 2], b: [f32; 2]) -> Shape {
        Shape {
            bbox: [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[0].max(b[0]),
                a[1].max(b[1]),
            ],
            segments: vec![(a, b)],
            stroked: true,
            filled: false,
            curves: 0,
            subpaths: 1,
        }
    }

    #[test]
    fn crossed_and_empty_boxes() {
        let shapes = vec![
            rect(10.0, 10.0, 10.0),
            line([10.0, 10.0], [20.0, 20.0]),
            line([10.0, 20.0], [20.0, 10.0]),
            rect(50.0, 10.0, 10.0),
            rect(100.0, 10.0, 200.0), // a table cell, not a box
        ];
        let (boxes, _) = find_boxes(&shapes, &[]);
        assert_eq!(boxes.len(), 2);
        assert!(boxes[0].checked, "{}", boxes[0].evidence);
        assert!(!boxes[1].checked);
    }
}
