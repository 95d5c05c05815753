//! Pages whose text runs up, down or upside down in user space.
//!
//! A landscape page printed onto portrait paper, or a page rotated into its
//! content (rather than with /Rotate), draws its text along the y axis. The
//! layout reads lines along x, so such a page is turned, as a whole, by the
//! quarter turn that makes most of its text run left to right: glyph boxes,
//! paths, rules, widgets and links alike. Pages that already read left to
//! right (nearly all) are left untouched.

use super::annotations::{LinkAnnotation, Widget};
use super::device::{Shape, ShownGlyph};

/// A rotation by a multiple of 90 degrees, counter-clockwise, in user space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quarter {
    None,
    /// Text running up the page (+y).
    Up,
    /// Text upside down (-x).
    Half,
    /// Text running down the page (-y).
    Down,
}

impl Quarter {
    /// The quarter turn of a text direction, when it is within 10 degrees of
    /// one.
    pub fn of_direction(dx: f64, dy: f64) -> Option<Quarter> {
        // tan(10°): no trigonometry per glyph.
        const SLOPE: f64 = 0.176_327;
        if !(dx.is_finite() && dy.is_finite()) || (dx == 0.0 && dy == 0.0) {
            return None;
        }
        if dx.abs() >= dy.abs() {
            (dy.abs() <= SLOPE * dx.abs()).then_some(if dx > 0.0 {
                Quarter::None
            } else {
                Quarter::Half
            })
        } else {
            (dx.abs() <= SLOPE * dy.abs()).then_some(if dy > 0.0 {
                Quarter::Up
            } else {
                Quarter::Down
            })
        }
    }

    /// Maps a point so that text in this direction runs along +x.
    pub fn apply(self, [x, y]: [f32; 2]) -> [f32; 2] {
        match self {
            Quarter::None => [x, y],
            Quarter::Up => [y, -x],
            Quarter::Half => [-x, -y],
            Quarter::Down => [-y, x],
        }
    }

    /// The turn that undoes this one.
    pub fn inverse(self) -> Quarter {
        match self {
            Quarter::Up => Quarter::Down,
            Quarter::Down => Quarter::Up,
            other => other,
        }
    }

    pub fn apply_rect(self, r: [f32; 4]) -> [f32; 4] {
        let a = self.apply([r[0], r[1]]);
        let b = self.apply([r[2], r[3]]);
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[0].max(b[0]),
            a[1].max(b[1]),
        ]
    }
}

/// The direction most of a page's text runs in.
pub fn dominant(glyphs: &[ShownGlyph]) -> Quarter {
    let mut counts = [0usize; 4];
    for g in glyphs.iter().filter(|g| g.text.is_some()) {
        match g.quarter {
            Some(Quarter::None) => counts[0] += 1,
            Some(Quarter::Up) => counts[1] += 1,
            Some(Quarter::Half) => counts[2] += 1,
            Some(Quarter::Down) => counts[3] += 1,
            None => {}
        }
    }
    let best = (0..4).max_by_key(|&k| (counts[k], k == 0)).unwrap_or(0);
    if counts[best] <= counts[0] {
        return Quarter::None;
    }
    [Quarter::None, Quarter::Up, Quarter::Half, Quarter::Down][best]
}

/// Everything collected on one page, to be turned together.
pub struct PageGeometry<'a> {
    pub glyphs: &'a mut [ShownGlyph],
    pub shapes: &'a mut [Shape],
    /// Horizontal rules (x0, x1, y) and vertical ones (x, y0, y1): a quarter
    /// turn makes the one the other.
    pub rules: &'a mut Vec<[f32; 3]>,
    pub column_rules: &'a mut Vec<[f32; 3]>,
    pub widgets: &'a mut [Widget],
    pub links: &'a mut [LinkAnnotation],
    /// The media box, as x0, y0, x1, y1.
    pub media: &'a mut [f32; 4],
}

impl PageGeometry<'_> {
    pub fn turn(self, q: Quarter) {
        if q == Quarter::None {
            return;
        }
        for g in self.glyphs.iter_mut() {
            g.place(q);
        }
        for s in self.shapes.iter_mut() {
            s.bbox = q.apply_rect(s.bbox);
            for (a, b) in &mut s.segments {
                *a = q.apply(*a);
                *b = q.apply(*b);
            }
        }
        let mut horizontal = Vec::new();
        let mut vertical = Vec::new();
        let segments = self
            .rules
            .iter()
            .map(|r| ([r[0], r[2]], [r[1], r[2]]))
            .chain(
                self.column_rules
                    .iter()
                    .map(|r| ([r[0], r[1]], [r[0], r[2]])),
            );
        for (a, b) in segments {
            let (a, b) = (q.apply(a), q.apply(b));
            if (a[1] - b[1]).abs() < (a[0] - b[0]).abs() {
                horizontal.push([a[0].min(b[0]), a[0].max(b[0]), a[1]]);
            } else {
                vertical.push([a[0], a[1].min(b[1]), a[1].max(b[1])]);
            }
        }
        *self.rules = horizontal;
        *self.column_rules = vertical;
        for w in self.widgets.iter_mut() {
            w.rect = q.apply_rect(w.rect);
        }
        for l in self.links.iter_mut() {
            for r in &mut l.rects {
                *r = q.apply_rect(*r);
            }
        }
        *self.media = q.apply_rect(*self.media);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_turns_bring_text_direction_to_plus_x() {
        for (dx, dy) in [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)] {
            let q = Quarter::of_direction(dx, dy).expect("axis direction");
            let [x, y] = q.apply([dx as f32, dy as f32]);
            assert!((x - 1.0).abs() < 1e-6 && y.abs() < 1e-6, "{q:?}");
        }
        assert_eq!(Quarter::of_direction(1.0, 1.0), None);
        assert_eq!(Quarter::of_direction(1.0, 0.1), Some(Quarter::None));
        assert_eq!(Quarter::of_direction(1.0, 0.2), None);
        assert_eq!(Quarter::of_direction(-0.1, -1.0), Some(Quarter::Down));
        assert_eq!(Quarter::of_direction(-1.0, 0.05), Some(Quarter::Half));
    }

    #[test]
    fn inverse_turns_back() {
        for q in [Quarter::None, Quarter::Up, Quarter::Half, Quarter::Down] {
            let r = [10.0, 20.0, 30.0, 60.0];
            assert_eq!(q.inverse().apply_rect(q.apply_rect(r)), r, "{q:?}");
        }
    }

    #[test]
    fn rects_stay_ordered() {
        let r = Quarter::Up.apply_rect([10.0, 20.0, 30.0, 60.0]);
        assert_eq!(r, [20.0, -30.0, 60.0, -10.0]);
    }
}
