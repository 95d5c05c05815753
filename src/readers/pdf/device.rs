//! A hayro `Device` that collects what a page shows, in PDF user space: glyphs
//! (text, character code, font, box) and small paths (box outlines, ticks and
//! crosses). Rendering stays hayro's business; this only records.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use hayro_interpret::font::{GlyphIdentifier, GlyphRun};
use hayro_interpret::hayro_cmap::BfString;

use super::orientation::Quarter;
use crate::readers::boxes::SymbolFont;
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point};
use hayro_interpret::{
    BlendMode, ClipPath, Device, DrawMode, DrawProps, Image, ImageDrawProps, SoftMask,
};

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
    /// Bounding boxes of the clip paths in force: what lies outside is not
    /// visible (a form field's text running past its box, for one).
    clips: Vec<[f32; 4]>,
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
    last_filled: Option<(usize, [f64; 6])>,
    /// Whether a glyph's font is a dingbat font, by glyph: asking hayro for
    /// the font's name builds its whole metadata, once per run otherwise.
    symbol_fonts: FxHashMap<GlyphIdentifier, Option<SymbolFont>>,
}

impl Collector {
    /// A collector with room for about `glyphs_expected` glyphs (the previous
    /// page's count): a list grown from empty is copied a dozen times on a
    /// questionnaire page, and one sized for the longest page would hold that
    /// much memory for every page until the layout.
    pub fn for_page(glyphs_expected: usize) -> Self {
        Collector {
            glyphs: Vec::with_capacity(glyphs_expected + glyphs_expected / 4 + 64),
            ..Collector::default()
        }
    }

    fn full(&mut self) -> bool {
        if self.glyphs.len() + self.shapes.len() >= MAX_ITEMS_PER_PAGE {
            self.truncated = true;
        }
        self.truncated
    }
}

fn to_f32(p: Point) -> [f32; 2] {
    [p.x as f32, p.y as f32]
}

impl<'a> Device<'a> for Collector {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        if self.full() {
            return;
        }
        let path = props.transform * path.clone();
        let bounds = hayro_interpret::kurbo::Shape::bounding_box(&path);
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
        let (stroked, filled) = match draw_mode {
            DrawMode::Fill(_) => (false, true),
            DrawMode::Stroke(_) => (true, false),
            DrawMode::FillAndStroke(_, _) => (true, true),
            DrawMode::Invisible => return,
        };
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

    fn push_clip_path(&mut self, clip: &ClipPath) {
        let b = hayro_interpret::kurbo::Shape::bounding_box(&clip.path);
        let mut r = [b.x0 as f32, b.y0 as f32, b.x1 as f32, b.y1 as f32];
        if let Some(top) = self.clips.last() {
            r = [
                r[0].max(top[0]),
                r[1].max(top[1]),
                r[2].min(top[2]),
                r[3].min(top[3]),
            ];
        }
        self.clips.push(r);
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(
        &mut self,
        run: &GlyphRun<'_, 'a>,
        props: DrawProps<'a>,
        draw_mode: &DrawMode,
    ) {
        let signature = run.glyphs().first().map(|g| {
            (
                run.glyphs().len(),
                (props.transform * g.transform()).as_coeffs(),
            )
        });
        match draw_mode {
            DrawMode::Stroke(_) if signature.is_some() && signature == self.last_filled => {
                self.last_filled = None;
                return;
            }
            DrawMode::Fill(_) => self.last_filled = signature,
            _ => self.last_filled = None,
        }
        // One run is shown in one font: its name is looked up once.
        let symbol_font = run.glyphs().first().and_then(|g| match &**g {
            hayro_interpret::font::Glyph::Outline(o) => {
                *self.symbol_fonts.entry(o.identifier()).or_insert_with(|| {
                    o.font_data()
                        .and_then(|d| d.postscript_name)
                        .and_then(|name| SymbolFont::from_family(&name))
                })
            }
            hayro_interpret::font::Glyph::Type3(_) => None,
        });
        for g in run.glyphs() {
            if self.full() {
                return;
            }
            let t: Affine = props.transform * g.transform();
            let origin = t * Point::new(0.0, 0.0);
            let up = t * Point::new(0.0, 1000.0);
            let size = ((up.x - origin.x).hypot(up.y - origin.y)) as f32;
            if !size.is_finite() || size <= 0.0 {
                continue;
            }
            let advance = match &**g {
                hayro_interpret::font::Glyph::Outline(o) => o.advance_width().unwrap_or(500.0),
                hayro_interpret::font::Glyph::Type3(_) => 500.0,
            };
            let end = t * Point::new(advance as f64, 0.0);
            let text = g.as_unicode().map(|b| match b {
                BfString::Char(c) => CompactString::new(c.encode_utf8(&mut [0; 4])),
                BfString::String(s) => {
                    mended_ligature(&s).unwrap_or_else(|| CompactString::from(s))
                }
            });
            let center = to_f32(t * Point::new(f64::from(advance) / 2.0, 300.0));
            if let Some(c) = self.clips.last() {
                let [cx, cy] = center;
                if cx < c[0] - 1.0 || cx > c[2] + 1.0 || cy < c[1] - 1.0 || cy > c[3] + 1.0 {
                    continue;
                }
            }
            let right = t * Point::new(1000.0, 0.0);
            let mut glyph = ShownGlyph {
                text,
                code: g.char_code(),
                symbol_font,
                bbox: [0.0; 4],
                baseline: 0.0,
                size,
                invisible: matches!(draw_mode, DrawMode::Invisible),
                origin: to_f32(origin),
                end: to_f32(end),
                center,
                quarter: Quarter::of_direction(right.x - origin.x, right.y - origin.y),
            };
            glyph.place(Quarter::None);
            self.glyphs.push(glyph);
        }
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {
        self.clips.pop();
    }
    fn pop_transparency_group(&mut self) {}
}

/// The text of a ligature glyph whose ToUnicode entry was mangled the way
/// Ghostscript's pdfwrite (10.0x) rewrites multi-character entries: each
/// letter's byte lands in the high byte ("fi" as U+6600 U+6900, shown as
/// "昀椀"), and a three-letter ligature keeps its first letter and the sum of
/// the other two ("ffi" as U+6600 U+CF00). Only a glyph mapped to exactly two
/// such characters that decode to letters is mended: no real text maps one
/// glyph to two ideographs that both end in 00, and the first letter must be
/// one that begins the usual ligatures (ff, fi, fl, ffi, ffl, ft, st, ct, Th).
fn mended_ligature(text: &str) -> Option<CompactString> {
    let mut chars = text.chars();
    let (first, second) = (chars.next()?, chars.next()?);
    if chars.next().is_some() {
        return None;
    }
    let high_byte = |c: char| (u32::from(c) & 0xFF == 0).then_some(u32::from(c) >> 8);
    let (first, second) = (high_byte(first)?, high_byte(second)?);
    let letter = |b: u32| {
        u8::try_from(b)
            .ok()
            .filter(u8::is_ascii_alphabetic)
            .map(char::from)
    };
    let first = letter(first).filter(|c| "fstcT".contains(*c))?;
    let mut mended = CompactString::default();
    mended.push(first);
    match letter(second) {
        Some(second) => mended.push(second),
        None => {
            // Three letters: the middle one is the first again (ffi, ffl).
            let last = letter(second.checked_sub(u32::from(first))?)?;
            mended.push(first);
            mended.push(last);
        }
    }
    Some(mended)
}

#[cfg(test)]
mod tests {
    use super::mended_ligature;

    #[test]
    fn ligatures_mangled_by_pdfwrite_are_mended() {
        assert_eq!(mended_ligature("\u{6600}\u{6900}").as_deref(), Some("fi"));
        assert_eq!(mended_ligature("\u{6600}\u{6600}").as_deref(), Some("ff"));
        assert_eq!(mended_ligature("\u{6600}\u{CF00}").as_deref(), Some("ffi"));
        assert_eq!(mended_ligature("\u{6600}\u{D200}").as_deref(), Some("ffl"));
        // Real text is left alone.
        assert_eq!(mended_ligature("fi"), None);
        assert_eq!(mended_ligature("\u{4E00}"), None);
        assert_eq!(mended_ligature("\u{4E00}\u{4E00}"), None);
        assert_eq!(mended_ligature("\u{6600}\u{6900}\u{6900}"), None);
    }
}
