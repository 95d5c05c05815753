//! Boxes drawn with vector graphics: a small square outline, ticked by a cross
//! of two lines, a check-mark path, a filled inner square, or an X or ✓ glyph
//! inside it. This is what LibreOffice makes of Word's legacy form check boxes,
//! and how many producers draw boxes that are not fonts.

use super::device::{Shape, ShownGlyph};

/// Side of a box, in points.
const MIN_SIDE: f32 = 4.0;
const MAX_SIDE: f32 = 26.0;

#[derive(Debug, Clone)]
pub struct DrawnBox {
    pub bbox: [f32; 4],
    pub checked: bool,
    pub evidence: String,
}

fn axis_aligned(a: [f32; 2], b: [f32; 2]) -> bool {
    (a[0] - b[0]).abs() < 0.3 || (a[1] - b[1]).abs() < 0.3
}

fn length(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn center(b: &[f32; 4]) -> [f32; 2] {
    [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]
}

fn inside(p: [f32; 2], b: &[f32; 4], margin: f32) -> bool {
    p[0] >= b[0] - margin && p[0] <= b[2] + margin && p[1] >= b[1] - margin && p[1] <= b[3] + margin
}

/// A square outline: all segments axis-aligned and on the bounding box's edges
/// (a stroked rectangle, or a filled frame of an outer and an inner square).
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
    if segments.len() < 4 || !segments.iter().all(|(a, b)| axis_aligned(*a, *b)) {
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
    // A filled outline must be a frame (outer and inner square), not a solid square.
    let frame = !s.filled || s.stroked || segments.len() >= 8;
    on_edges && frame
}

/// Finds drawn boxes and what ticks them. Returns the boxes and which glyphs
/// were used as ticks (they are marks, not text).
pub fn find_boxes(shapes: &[Shape], glyphs: &[ShownGlyph]) -> (Vec<DrawnBox>, Vec<usize>) {
    let mut boxes: Vec<DrawnBox> = Vec::new();
    let mut used_glyphs = Vec::new();
    let outlines: Vec<usize> = (0..shapes.len())
        .filter(|&i| is_square_outline(&shapes[i]))
        .collect();
    for &i in &outlines {
        let b = shapes[i].bbox;
        // The same box drawn twice (a white fill, then the stroke) is one box.
        if boxes
            .iter()
            .any(|o| (0..4).all(|k| (o.bbox[k] - b[k]).abs() < 1.0))
        {
            continue;
        }
        let side = (b[2] - b[0]).max(b[3] - b[1]);
        let mut diagonals = 0;
        let mut tick_paths = 0;
        let mut inner_fill = false;
        for (j, s) in shapes.iter().enumerate() {
            if j == i || outlines.contains(&j) {
                continue;
            }
            if !inside(center(&s.bbox), &b, 0.1 * side) {
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
            if diag > 0 {
                if s.segments.len() <= 2 {
                    diagonals += diag;
                } else {
                    tick_paths += 1;
                }
            } else if s.filled && sw > 0.3 * side && sh > 0.3 * side && sw < 0.95 * side {
                inner_fill = true;
            }
        }
        let mut glyph_tick = None;
        let mut holds_text = false;
        for (g, glyph) in glyphs.iter().enumerate() {
            let Some(t) = glyph.text.as_deref() else {
                continue;
            };
            if !inside(center(&glyph.bbox), &b, 0.1 * side) {
                continue;
            }
            if matches!(t, "X" | "x" | "✓" | "✔" | "✗" | "✘" | "×") {
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
        let size = format!("{:.1}x{:.1}", b[2] - b[0], b[3] - b[1]);
        let (checked, evidence) = if diagonals >= 2 {
            (
                true,
                format!("vector box {size} crossed by {diagonals} lines"),
            )
        } else if tick_paths > 0 || diagonals == 1 {
            (true, format!("vector box {size} with a tick path"))
        } else if inner_fill {
            (
                true,
                format!("vector box {size} with a filled square inside"),
            )
        } else if let Some((g, t)) = &glyph_tick {
            used_glyphs.push(*g);
            (true, format!("vector box {size} with \"{t}\" typed inside"))
        } else {
            (false, format!("vector box {size}, empty"))
        };
        boxes.push(DrawnBox {
            bbox: b,
            checked,
            evidence,
        });
    }
    (boxes, used_glyphs)
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
