//! What a page shows, as the content interpreter reports it, in page space:
//! glyphs (text, character code, font, box), small paths (box outlines,
//! ticks and crosses) and thin ones (table rules, underlines).

use compact_str::CompactString;
use hayro_font::kurbo::{BezPath, PathEl, Point, Shape as _};

use super::orientation::Quarter;
use crate::readers::boxes::SymbolFont;

/// One glyph as shown on the page.
#[derive(Debug, Clone)]
pub struct ShownGlyph {
    /// Unicode text, when the font maps the glyph to Unicode (one character
    /// mostly: kept inline, not on the heap).
    pub text: Option<CompactString>,
    pub code: u32,
    /// Set when the glyph's font is a dingbat font (Wingdings …).
    pub symbol_font: Option<SymbolFont>,
    /// Box in user space: x0, y0 (descent), x1, y1 (ascent).
    pub bbox: [f32; 4],
    pub baseline: f32,
    pub size: f32,
    pub invisible: bool,
    /// Where the glyph starts and where its advance ends, in user space.
    pub origin: [f32; 2],
    pub end: [f32; 2],
    /// The middle of the glyph in user space, whichever way it runs.
    pub center: [f32; 2],
    /// The direction its text runs in, when along an axis.
    pub quarter: Option<Quarter>,
}

impl ShownGlyph {
    /// Box and baseline, with the page turned by `q` (text along `q` then
    /// runs left to right).
    pub fn place(&mut self, q: Quarter) {
        let (origin, end) = (q.apply(self.origin), q.apply(self.end));
        let baseline = origin[1];
        let (x0, x1) = (origin[0].min(end[0]), origin[0].max(end[0]));
        self.baseline = baseline;
        self.bbox = [
            x0,
            baseline - 0.2 * self.size,
            x1.max(x0 + 0.1 * self.size),
            baseline + 0.8 * self.size,
        ];
    }
}

/// A small path: a candidate box outline, tick or cross.
#[derive(Debug, Clone)]
pub struct Shape {
    pub bbox: [f32; 4],
    /// Straight segments (curves reduced to their end points).
    pub segments: Vec<([f32; 2], [f32; 2])>,
    pub stroked: bool,
    pub filled: bool,
    /// How many of the segments stand for curves (a rounded corner, a
    /// circle's quarter).
    pub curves: usize,
    /// Separate outlines in the path: a frame drawn by filling is two, the
    /// outer and the inner.
    pub subpaths: usize,
}

/// Paths larger than this (points) in either direction are page furniture
/// (table borders, rules), not boxes or ticks.
const MAX_SHAPE: f32 = 40.0;
/// A page showing more than this many glyphs or shapes is not a questionnaire
/// page; the rest is ignored rather than held in memory.
pub const MAX_ITEMS_PER_PAGE: usize = 200_000;

#[derive(Default)]
pub struct Collector {
    pub glyphs: Vec<ShownGlyph>,
    pub shapes: Vec<Shape>,
    /// Thin horizontal strokes (x0, x1, y): footnote separators, table row
    /// borders, underlines, strike-through lines.
    pub rules: Vec<[f32; 3]>,
    /// Thin vertical strokes (x, y0, y1): table column borders.
    pub column_rules: Vec<[f32; 3]>,
    pub truncated: bool,
    /// The last run filled: a run filled and then stroked (text rendering
    /// mode 2, Word's bold for fonts without a bold face) is shown once.
    last_filled: Option<(usize, [f32; 2], [f32; 2])>,
    /// Where the glyphs of the string being shown begin in `glyphs`: they
    /// are pushed there as they come.
    run_start: usize,
}

impl Collector {
    /// A collector with room for about `glyphs_expected` glyphs (the previous
    /// page's count) and a thousand more (a first page of a questionnaire
    /// shows a few thousand): a list grown from empty is copied a dozen times
    /// on a questionnaire page, and one sized for the longest page would hold
    /// that much memory for every page until the layout.
    pub fn for_page(glyphs_expected: usize) -> Self {
        Collector {
            glyphs: Vec::with_capacity(glyphs_expected + glyphs_expected / 4 + 1024),
            ..Collector::default()
        }
    }

    pub fn full(&mut self) -> bool {
        if self.glyphs.len() + self.shapes.len() >= MAX_ITEMS_PER_PAGE {
            self.truncated = true;
        }
        self.truncated
    }
}

fn to_f32(p: Point) -> [f32; 2] {
    [p.x as f32, p.y as f32]
}

/// How a string's glyphs are painted (text rendering modes 0–7).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TextPaint {
    Fill,
    Stroke,
    FillAndStroke,
    Invisible,
}

/// How the glyphs of one shown string map to the page: the linear part of
/// glyph space (thousandths of an em) to page space, the same for all of
/// them, so that their size and direction are worked out once per string.
#[derive(Clone, Copy)]
pub struct GlyphSpace {
    linear: [f64; 4],
    size: f32,
    quarter: Option<Quarter>,
}

impl GlyphSpace {
    /// `None` when the transformation flattens glyphs to nothing.
    pub fn new(linear: [f64; 4]) -> Option<GlyphSpace> {
        let [a, b, c, d] = linear;
        // Once per string shown: a plain square root (libm's `hypot` costs
        // several times more, for a precision the f32 result drops anyway).
        let (c1, d1) = (c * 1000.0, d * 1000.0);
        let size = (c1 * c1 + d1 * d1).sqrt() as f32;
        if !size.is_finite() || size <= 0.0 {
            return None;
        }
        Some(GlyphSpace {
            linear,
            size,
            quarter: Quarter::of_direction(a * 1000.0, b * 1000.0),
        })
    }

    /// A glyph whose origin is at `origin` on the page, `advance` wide.
    pub fn glyph(
        &self,
        origin: Point,
        advance: f32,
        text: Option<CompactString>,
        code: u32,
        symbol_font: Option<SymbolFont>,
        invisible: bool,
    ) -> ShownGlyph {
        let [a, b, c, d] = self.linear;
        let at = |x: f64, y: f64| {
            [
                (origin.x + a * x + c * y) as f32,
                (origin.y + b * x + d * y) as f32,
            ]
        };
        let advance = f64::from(advance);
        let mut glyph = ShownGlyph {
            text,
            code,
            symbol_font,
            bbox: [0.0; 4],
            baseline: 0.0,
            size: self.size,
            invisible,
            origin: to_f32(origin),
            end: at(advance, 0.0),
            center: at(advance / 2.0, 300.0),
            quarter: self.quarter,
        };
        glyph.place(Quarter::None);
        glyph
    }
}

impl Collector {
    /// A path painted, in page space.
    pub fn paint_path(&mut self, path: &BezPath, stroked: bool, filled: bool) {
        if self.full() {
            return;
        }
        let bounds = path.bounding_box();
        let (w, h) = (bounds.width() as f32, bounds.height() as f32);
        if h < 2.0 && w > 2.0 {
            let y = ((bounds.y0 + bounds.y1) / 2.0) as f32;
            self.rules.push([bounds.x0 as f32, bounds.x1 as f32, y]);
        } else if w < 2.0 && h > 4.0 {
            let x = ((bounds.x0 + bounds.x1) / 2.0) as f32;
            self.column_rules
                .push([x, bounds.y0 as f32, bounds.y1 as f32]);
        }
        if w > MAX_SHAPE || h > MAX_SHAPE {
            return;
        }
        let mut segments = Vec::new();
        let (mut curves, mut subpaths) = (0, 0);
        let (mut start, mut last) = (Point::ZERO, Point::ZERO);
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => {
                    start = p;
                    last = p;
                    subpaths += 1;
                }
                PathEl::LineTo(p) => {
                    segments.push((to_f32(last), to_f32(p)));
                    last = p;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                    segments.push((to_f32(last), to_f32(p)));
                    curves += 1;
                    last = p;
                }
                PathEl::ClosePath => {
                    if last != start {
                        segments.push((to_f32(last), to_f32(start)));
                    }
                    last = start;
                }
            }
        }
        self.shapes.push(Shape {
            bbox: [
                bounds.x0 as f32,
                bounds.y0 as f32,
                bounds.x1 as f32,
                bounds.y1 as f32,
            ],
            segments,
            stroked,
            filled,
            curves,
            subpaths,
        });
    }

    /// Ends one shown string (one `Tj` or `TJ`): the glyphs pushed to
    /// `glyphs` since the last call. A string filled and then stroked at the
    /// same place (Word's bold for fonts without a bold face) is kept once.
    pub fn end_run(&mut self, paint: TextPaint) {
        let start = self.run_start.min(self.glyphs.len());
        let run = &self.glyphs[start..];
        let signature = run.first().map(|g| (run.len(), g.origin, g.end));
        let repeated =
            paint == TextPaint::Stroke && signature.is_some() && signature == self.last_filled;
        self.last_filled = match paint {
            TextPaint::Fill => signature,
            _ => None,
        };
        if repeated {
            self.glyphs.truncate(start);
        }
        self.run_start = self.glyphs.len();
    }
}
