//! Fonts as text extraction needs them: how a string splits into character
//! codes, each code's advance, its Unicode text and whether the font is a
//! dingbat font. hayro-font reads the font dictionaries (encodings,
//! differences, ToUnicode and predefined CMaps, widths, the standard 14
//! fonts' metrics); what it answers is kept per code, so a code shown a
//! thousand times on a page is looked up once.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use compact_str::CompactString;
use hayro_font::hayro_cmap::{self, BfString};
use hayro_font::hayro_syntax::object::dict::keys::{BASE_FONT, SUBTYPE};
use hayro_font::hayro_syntax::object::{Dict, Name};
use hayro_font::{CMapResolverFn, Font, FontCache, FontQuery, FontResolverFn, GlyphId};
use hayro_font::{StandardFont, UNITS_PER_EM};
use rustc_hash::FxHashMap;

use crate::readers::boxes::SymbolFont;

/// What a font says about one character code.
#[derive(Debug, Clone)]
pub struct CodeInfo {
    /// Unicode text (one character mostly: kept inline, not on the heap).
    pub text: Option<CompactString>,
    /// Advance in text space, thousandths of the font size: x for fonts
    /// written horizontally, y for vertical ones.
    pub advance: [f32; 2],
    /// Where the glyph's origin sits from the current point (vertical
    /// writing puts it above the glyph's middle).
    pub displacement: [f32; 2],
}

/// A font in use on a page.
pub struct TextFont<'a> {
    font: Font<'a>,
    pub horizontal: bool,
    /// Set for the dingbat fonts whose codes draw check boxes (Wingdings …).
    pub symbol_font: Option<SymbolFont>,
    /// Codes 0–255 (every simple font's, most CID fonts' in use).
    low: RefCell<Vec<Option<Rc<CodeInfo>>>>,
    high: RefCell<FxHashMap<u32, Rc<CodeInfo>>>,
}

impl<'a> TextFont<'a> {
    fn new(font: Font<'a>, dict: Option<&Dict<'a>>) -> Self {
        let symbol_font = dict.and_then(|d| {
            // A Type 3 font's name says nothing about the glyphs it draws.
            let type3 = d
                .get::<Name<'_>>(SUBTYPE)
                .is_some_and(|s| s.as_ref() == b"Type3");
            let name = d.get::<Name<'_>>(BASE_FONT)?;
            (!type3)
                .then(|| SymbolFont::from_family(name.as_str()))
                .flatten()
        });
        TextFont {
            horizontal: font.is_horizontal(),
            font,
            symbol_font,
            low: RefCell::new(vec![None; 256]),
            high: RefCell::default(),
        }
    }

    /// The next character code in `bytes` from `offset`, and its length.
    pub fn read_code(&self, bytes: &[u8], offset: usize) -> (u32, usize) {
        self.font.read_code(bytes, offset)
    }

    pub fn code(&self, code: u32) -> Rc<CodeInfo> {
        if let Ok(index) = usize::try_from(code) {
            if index < 256 {
                if let Some(info) = &self.low.borrow()[index] {
                    return info.clone();
                }
                let info = Rc::new(self.look_up(code));
                self.low.borrow_mut()[index] = Some(info.clone());
                return info;
            }
        }
        if let Some(info) = self.high.borrow().get(&code) {
            return info.clone();
        }
        let info = Rc::new(self.look_up(code));
        self.high.borrow_mut().insert(code, info.clone());
        info
    }

    fn look_up(&self, code: u32) -> CodeInfo {
        let advance = self.font.code_advance(code);
        let displacement = self.font.origin_displacement(code);
        // The Unicode text depends on the code alone, not on the glyph it
        // selects: the glyph (found by name in the font program for some
        // fonts) is not looked up.
        let text = match self.font.glyph(GlyphId::NOTDEF, code) {
            hayro_font::FontGlyph::Outline(g) => g.as_unicode(),
            hayro_font::FontGlyph::Type3(g) => g.as_unicode(),
        }
        .map(|b| match b {
            BfString::Char(c) => CompactString::new(c.encode_utf8(&mut [0; 4])),
            BfString::String(s) => mended_ligature(&s).unwrap_or_else(|| CompactString::from(s)),
        });
        CodeInfo {
            text,
            advance: [advance.x as f32, advance.y as f32],
            displacement: [displacement.x as f32, displacement.y as f32],
        }
    }
}

/// Scale from font units (thousandths of an em) to text space.
pub const PER_UNIT: f32 = 1.0 / UNITS_PER_EM;

/// The fonts of one document, each read once.
pub struct FontStore<'a> {
    cache: FontCache<'a>,
    /// By the dictionary's bytes: a font written in place in a resource
    /// dictionary has no object number of its own.
    by_dict: RefCell<FxHashMap<&'a [u8], Option<Rc<TextFont<'a>>>>>,
    fallback: RefCell<Option<Option<Rc<TextFont<'a>>>>>,
    font_resolver: FontResolverFn,
    cmap_resolver: CMapResolverFn,
}

impl Default for FontStore<'_> {
    fn default() -> Self {
        FontStore {
            cache: FontCache::new(),
            by_dict: RefCell::default(),
            fallback: RefCell::default(),
            // Fonts a PDF names without embedding them (the standard 14)
            // are read with the metrics and programs hayro-font carries.
            font_resolver: Arc::new(|query| match query {
                FontQuery::Standard(s) => Some(s.get_font_data()),
                FontQuery::Fallback(f) => Some(f.pick_standard_font().get_font_data()),
            }),
            cmap_resolver: Arc::new(hayro_cmap::load_embedded),
        }
    }
}

impl<'a> FontStore<'a> {
    /// The font a font dictionary describes; `None` when it cannot be read
    /// (its text is then not shown, as viewers do).
    pub fn font(&self, dict: &Dict<'a>) -> Option<Rc<TextFont<'a>>> {
        let key = dict.data();
        if let Some(font) = self.by_dict.borrow().get(key) {
            return font.clone();
        }
        let font = self
            .cache
            .font(dict, &self.font_resolver, &self.cmap_resolver)
            .map(|f| Rc::new(TextFont::new(f, Some(dict))));
        self.by_dict.borrow_mut().insert(key, font.clone());
        font
    }

    /// Helvetica, for text shown before any font is chosen or in a font the
    /// resources do not hold (what Acrobat does).
    pub fn fallback(&self) -> Option<Rc<TextFont<'a>>> {
        if let Some(font) = &*self.fallback.borrow() {
            return font.clone();
        }
        let font = self
            .cache
            .standard_font(StandardFont::Helvetica, &self.font_resolver)
            .map(|f| Rc::new(TextFont::new(f, None)));
        *self.fallback.borrow_mut() = Some(font.clone());
        font
    }
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
