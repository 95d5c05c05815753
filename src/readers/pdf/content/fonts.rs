//! Fonts as text extraction needs them: how a string splits into character
//! codes, each code's advance, its Unicode text and whether the font is a
//! dingbat font. hayro-font reads the font dictionaries (encodings,
//! differences, ToUnicode and predefined CMaps, widths, the standard 14
//! fonts' metrics); what it answers is kept per code, so a code shown a
//! thousand times on a page is looked up once.
//!
//! hayro-font also loads each font's program (the embedded font file,
//! inflated and parsed), which text extraction needs only to name glyphs
//! that no ToUnicode map covers. A simple font whose dictionary has its
//! widths and a ToUnicode map — what Word, LibreOffice and most producers
//! write — is read from the dictionary alone, and handed to hayro-font only
//! if a code shows up that the map does not cover. So is a CID font whose
//! two-byte codes are its CIDs (`Identity-H`) with a ToUnicode map, as
//! browsers and Word write for Unicode text: its text and widths never
//! depend on its program.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use compact_str::CompactString;
use hayro_font::hayro_cmap::{self, BfString, CMap, CMapName, CidFamily};
use hayro_font::hayro_syntax::object::dict::keys::{
    BASE_FONT, CIDSYSTEMINFO, DESCENDANT_FONTS, DW, ENCODING, FIRST_CHAR, FONT_DESC, LAST_CHAR,
    MISSING_WIDTH, ORDERING, REGISTRY, SUBTYPE, TO_UNICODE, W, W2, WIDTHS,
};
use hayro_font::hayro_syntax::object::{Array, Dict, Name, Object, Stream, String as PdfString};
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
    font: FontSource<'a>,
    pub horizontal: bool,
    /// Set for the dingbat fonts whose codes draw check boxes (Wingdings …).
    pub symbol_font: Option<SymbolFont>,
    /// Codes 0–255 (every simple font's, most CID fonts' in use).
    low: RefCell<Vec<Option<Rc<CodeInfo>>>>,
    high: RefCell<FxHashMap<u32, Rc<CodeInfo>>>,
}

enum FontSource<'a> {
    Loaded(Font<'a>, Option<Box<CollectionText>>),
    Simple(Box<SimpleFont<'a>>),
    Identity(Box<IdentityFont>),
}

/// Unicode for a CID font without a ToUnicode map whose glyphs are an Adobe
/// CJK character collection (Japan1, GB1, CNS1, Korea1), as dvipdfmx and
/// some Japanese and Chinese producers write them: code to CID through the
/// font's encoding CMap, CID to Unicode through the collection's predefined
/// UCS-2 CMap, as pdf.js and poppler do. (hayro-font does this only for
/// fonts that are not embedded.)
struct CollectionText {
    encoding: CMap,
    ucs2: CMap,
}

impl CollectionText {
    fn new(dict: &Dict<'_>, loader: &Loader<'_>) -> Option<Self> {
        if dict.get::<Name<'_>>(SUBTYPE)?.as_ref() != b"Type0" || dict.contains_key(TO_UNICODE) {
            return None;
        }
        let (parse, cmap_resolver) = (|data: &[u8]| loader.cmap(data), &loader.cmap_resolver);
        let encoding = match dict.get::<Object<'_>>(ENCODING)? {
            Object::Name(name) => match CMapName::from_bytes(name.as_ref()) {
                CMapName::IdentityH => CMap::identity_h(),
                CMapName::IdentityV => CMap::identity_v(),
                other => parse(cmap_resolver(other)?)?,
            },
            Object::Stream(stream) => parse(&stream.decoded_data().ok()?)?,
            _ => return None,
        };
        let descendant = dict
            .get::<Array<'_>>(DESCENDANT_FONTS)?
            .iter::<Dict<'_>>()
            .next()?;
        let from_font = descendant.get::<Dict<'_>>(CIDSYSTEMINFO).and_then(|info| {
            let registry = info.get::<PdfString<'_>>(REGISTRY)?;
            let ordering = info.get::<PdfString<'_>>(ORDERING)?;
            Some(CidFamily::from_registry_ordering(
                registry.as_bytes(),
                ordering.as_bytes(),
            ))
        });
        let family = encoding
            .metadata()
            .character_collection
            .as_ref()
            .map(|c| c.family.clone())
            .filter(|f| *f != CidFamily::AdobeIdentity)
            .or(from_font)?;
        let ucs2 = parse(cmap_resolver(family.ucs2_cmap()?)?)?;
        Some(CollectionText { encoding, ucs2 })
    }

    fn text(&self, code: u32) -> Option<BfString> {
        let shortest = (4 - code.leading_zeros() / 8).max(1) as u8;
        let cid = (shortest..=4).find_map(|n| self.encoding.lookup_cid_code(code, n))?;
        self.ucs2.lookup_bf_string(cid)
    }
}

/// A simple font (one byte per code) read from its dictionary: widths and
/// ToUnicode map.
struct SimpleFont<'a> {
    /// Advance of each code, thousandths of an em.
    widths: Box<[f32; 256]>,
    to_unicode: CMap,
    /// Type 1 fonts look past a ToUnicode entry of U+0000 (some producers
    /// write them for glyphs they could not name), as hayro-font does.
    skips_nul: bool,
    /// The whole font, loaded the first time a code needs it.
    loaded: OnceCell<Option<Font<'a>>>,
    dict: Dict<'a>,
    loader: Loader<'a>,
}

impl<'a> SimpleFont<'a> {
    /// `None` unless the dictionary holds all text extraction needs.
    fn new(dict: &Dict<'a>, loader: &Loader<'a>) -> Option<Self> {
        let skips_nul = match dict.get::<Name<'_>>(SUBTYPE)?.as_ref() {
            b"Type1" | b"MMType1" => true,
            b"TrueType" | b"OpenType" => false,
            _ => return None,
        };
        let (first, last) = (
            dict.get::<usize>(FIRST_CHAR)?,
            dict.get::<usize>(LAST_CHAR)?,
        );
        let listed = dict.get::<Array<'_>>(WIDTHS)?;
        let count = last.checked_sub(first)?.checked_add(1)?;
        let data = dict.get::<Stream<'_>>(TO_UNICODE)?.decoded_data().ok()?;
        let to_unicode = loader.cmap(&data)?;
        let missing = dict
            .get::<Dict<'_>>(FONT_DESC)
            .and_then(|d| d.get::<f32>(MISSING_WIDTH))
            .unwrap_or(0.0);
        let mut widths = Box::new([missing; 256]);
        for (slot, width) in widths
            .iter_mut()
            .skip(first)
            .zip(listed.iter::<f32>().take(count))
        {
            *slot = width;
        }
        Some(SimpleFont {
            widths,
            to_unicode,
            skips_nul,
            loaded: OnceCell::new(),
            dict: dict.clone(),
            loader: loader.clone(),
        })
    }

    fn text(&self, code: u32) -> Option<BfString> {
        let mapped = self
            .to_unicode
            .lookup_bf_string(code)
            .filter(|t| !(self.skips_nul && *t == BfString::Char('\0')));
        mapped.or_else(|| {
            let font = self.loaded.get_or_init(|| self.loader.load(&self.dict));
            font.as_ref().and_then(|f| unicode(f, code))
        })
    }
}

/// A CID font read from its dictionary: `Identity-H` codes (two bytes, the
/// code is the CID), widths from `DW` and `W`, text from the ToUnicode map.
/// hayro-font reads such a font the same way and answers each code from
/// these alone; it also loads the program (the font file inflated and
/// parsed), which only drawing needs.
struct IdentityFont {
    /// Advance of a CID `W` leaves out, thousandths of an em.
    default_width: f32,
    widths: FxHashMap<u32, f32>,
    to_unicode: CMap,
}

impl IdentityFont {
    /// `None` unless the dictionary holds all text extraction needs.
    fn new(dict: &Dict<'_>, loader: &Loader<'_>) -> Option<Self> {
        if dict.get::<Name<'_>>(SUBTYPE)?.as_ref() != b"Type0"
            || dict.get::<Name<'_>>(ENCODING)?.as_ref() != b"Identity-H"
        {
            return None;
        }
        let descendant = dict
            .get::<Array<'_>>(DESCENDANT_FONTS)?
            .iter::<Dict<'_>>()
            .next()?;
        let data = dict.get::<Stream<'_>>(TO_UNICODE)?.decoded_data().ok()?;
        Some(IdentityFont {
            default_width: descendant.get::<f32>(DW).unwrap_or(1000.0),
            widths: descendant
                .get::<Array<'_>>(W)
                .and_then(|w| cid_widths(&w))
                .unwrap_or_default(),
            to_unicode: loader.cmap(&data)?,
        })
    }

    /// hayro-font's reading of two-byte codes: a lone last byte is code 0.
    fn read_code(bytes: &[u8], offset: usize) -> (u32, usize) {
        match bytes.get(offset..offset + 2) {
            Some(&[high, low]) => (u32::from(u16::from_be_bytes([high, low])), 2),
            _ => (0, 1),
        }
    }
}

/// A CID font's `W` array (`c [w1 w2 …]` and `c_first c_last w`), read as
/// hayro-font reads it: nothing at all when a run of widths passes the last
/// CID there is.
fn cid_widths(array: &Array<'_>) -> Option<FxHashMap<u32, f32>> {
    let mut widths = FxHashMap::default();
    let mut items = array.flex_iter();
    loop {
        if let Some((mut cid, run)) = items.next::<(u32, Array<'_>)>() {
            for width in run.iter::<f32>() {
                widths.insert(cid, width);
                cid = cid.checked_add(1)?;
            }
        } else if let Some((first, last, width)) = items.next::<(u32, u32, f32)>() {
            for cid in first..=last {
                widths.insert(cid, width);
            }
        } else {
            return Some(widths);
        }
    }
}

/// What a loaded font says a code's text is. It depends on the code alone,
/// not on the glyph it selects: the glyph (found by name in the font program
/// for some fonts) is not looked up.
fn unicode(font: &Font<'_>, code: u32) -> Option<BfString> {
    match font.glyph(GlyphId::NOTDEF, code) {
        hayro_font::FontGlyph::Outline(g) => g.as_unicode(),
        hayro_font::FontGlyph::Type3(g) => g.as_unicode(),
    }
}

/// Loads fonts through hayro-font, its caches shared by the document.
#[derive(Clone)]
struct Loader<'a> {
    cache: FontCache<'a>,
    font_resolver: FontResolverFn,
    cmap_resolver: CMapResolverFn,
}

impl<'a> Loader<'a> {
    /// A CMap from its bytes, the CMaps it uses found by the resolver.
    fn cmap(&self, data: &[u8]) -> Option<CMap> {
        let resolver = self.cmap_resolver.clone();
        CMap::parse(data, move |name| resolver(name))
    }

    fn load(&self, dict: &Dict<'a>) -> Option<Font<'a>> {
        self.cache
            .font(dict, &self.font_resolver, &self.cmap_resolver)
    }
}

impl<'a> TextFont<'a> {
    fn new(font: FontSource<'a>, dict: Option<&Dict<'a>>) -> Self {
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
            horizontal: match &font {
                FontSource::Loaded(f, _) => f.is_horizontal(),
                FontSource::Simple(_) | FontSource::Identity(_) => true,
            },
            font,
            symbol_font,
            low: RefCell::new(vec![None; 256]),
            high: RefCell::default(),
        }
    }

    /// The next character code in `bytes` from `offset`, and its length.
    pub fn read_code(&self, bytes: &[u8], offset: usize) -> (u32, usize) {
        match &self.font {
            FontSource::Loaded(f, _) => f.read_code(bytes, offset),
            FontSource::Simple(_) => (u32::from(bytes[offset]), 1),
            FontSource::Identity(_) => IdentityFont::read_code(bytes, offset),
        }
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
        let (advance, displacement, text) = match &self.font {
            FontSource::Loaded(f, collection) => {
                let (a, d) = (f.code_advance(code), f.origin_displacement(code));
                let text =
                    unicode(f, code).or_else(|| collection.as_ref().and_then(|c| c.text(code)));
                ([a.x as f32, a.y as f32], [d.x as f32, d.y as f32], text)
            }
            FontSource::Simple(f) => {
                let width = f.widths[(code & 0xFF) as usize];
                ([width, 0.0], [0.0, 0.0], f.text(code))
            }
            FontSource::Identity(f) => {
                let width = f.widths.get(&code).copied().unwrap_or(f.default_width);
                (
                    [width, 0.0],
                    [0.0, 0.0],
                    f.to_unicode.lookup_bf_string(code),
                )
            }
        };
        let text = text.map(|b| match b {
            BfString::Char(c) => CompactString::new(c.encode_utf8(&mut [0; 4])),
            BfString::String(s) => mended_ligature(&s).unwrap_or_else(|| CompactString::from(s)),
        });
        CodeInfo {
            text,
            advance,
            displacement,
        }
    }
}

/// Scale from font units (thousandths of an em) to text space.
pub const PER_UNIT: f32 = 1.0 / UNITS_PER_EM;

/// The fonts of one document, each read once.
pub struct FontStore<'a> {
    loader: Loader<'a>,
    /// By the dictionary's bytes: a font written in place in a resource
    /// dictionary has no object number of its own.
    by_dict: RefCell<FxHashMap<&'a [u8], Option<Rc<TextFont<'a>>>>>,
    fallback: RefCell<Option<Option<Rc<TextFont<'a>>>>>,
}

impl Default for FontStore<'_> {
    fn default() -> Self {
        FontStore {
            loader: Loader {
                cache: FontCache::new(),
                // Fonts a PDF names without embedding them (the standard 14)
                // are read with the metrics and programs hayro-font carries.
                font_resolver: Arc::new(|query| match query {
                    FontQuery::Standard(s) => Some(s.get_font_data()),
                    FontQuery::Fallback(f) => Some(f.pick_standard_font().get_font_data()),
                }),
                cmap_resolver: Arc::new(hayro_cmap::load_embedded),
            },
            by_dict: RefCell::default(),
            fallback: RefCell::default(),
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
        let source = if let Some(simple) = SimpleFont::new(dict, &self.loader) {
            Some(FontSource::Simple(Box::new(simple)))
        } else if !cid_widths_within_limit(dict) {
            None
        } else if let Some(identity) = IdentityFont::new(dict, &self.loader) {
            Some(FontSource::Identity(Box::new(identity)))
        } else {
            self.loader.load(dict).map(|f| {
                let collection = CollectionText::new(dict, &self.loader);
                FontSource::Loaded(f, collection.map(Box::new))
            })
        };
        let font = source.map(|f| Rc::new(TextFont::new(f, Some(dict))));
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
            .loader
            .cache
            .standard_font(StandardFont::Helvetica, &self.loader.font_resolver)
            .map(|f| Rc::new(TextFont::new(FontSource::Loaded(f, None), None)));
        *self.fallback.borrow_mut() = Some(font.clone());
        font
    }
}

/// CIDs a CID font's width arrays (`W`, `W2`) may give widths for, at most.
/// hayro-font stores a width per CID a range covers, so a damaged or hostile
/// `[0 4000000000 500]` would fill gigabytes; real fonts cover at most the
/// 65,536 CIDs there are.
const MAX_CID_WIDTHS: u64 = 1 << 20;

/// Whether a font's CID width arrays stay within `MAX_CID_WIDTHS` (a font
/// past it is not read: its text is not shown, as for any unreadable font).
fn cid_widths_within_limit(dict: &Dict<'_>) -> bool {
    let Some(descendant) = dict
        .get::<Array<'_>>(DESCENDANT_FONTS)
        .and_then(|a| a.iter::<Dict<'_>>().next())
    else {
        return true;
    };
    let covered = |key: &[u8], values_per_cid: u64| -> u64 {
        let Some(widths) = descendant.get::<Array<'_>>(key) else {
            return 0;
        };
        let mut items = widths.flex_iter();
        let mut total: u64 = 0;
        loop {
            if let Some((_, list)) = items.next::<(u32, Array<'_>)>() {
                total += list.iter::<f32>().count() as u64 / values_per_cid;
            } else if let Some((first, last)) = items.next::<(u32, u32)>() {
                total += u64::from(last.saturating_sub(first)) + 1;
                // The range's width (or its three values) follow.
                for _ in 0..values_per_cid {
                    if items.next::<f32>().is_none() {
                        break;
                    }
                }
            } else {
                return total;
            }
            if total > MAX_CID_WIDTHS {
                return total;
            }
        }
    };
    covered(W, 1) + covered(W2, 3) <= MAX_CID_WIDTHS
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
    use hayro_font::hayro_syntax::object::FromBytes;

    use super::*;

    /// Every Identity-H font with a ToUnicode map on `pdf`'s pages, as its
    /// dictionary.
    fn identity_fonts<'a>(pdf: &'a hayro_syntax::Pdf) -> Vec<Dict<'a>> {
        let mut found = Vec::new();
        for page in pdf.pages().iter() {
            let fonts = &page.resources().fonts;
            for name in fonts.keys() {
                let Some(dict) = fonts.get::<Dict<'a>>(name.as_ref()) else {
                    continue;
                };
                let identity = dict
                    .get::<Name<'_>>(ENCODING)
                    .is_some_and(|e| e.as_ref() == b"Identity-H");
                if identity && dict.contains_key(TO_UNICODE) {
                    found.push(dict);
                }
            }
        }
        found
    }

    #[test]
    fn identity_fonts_read_from_the_dictionary_as_hayro_font_reads_them() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/pdf/14_chile_browser_print.pdf"
        ))
        .expect("corpus PDF");
        let pdf = hayro_syntax::Pdf::new(data).expect("readable PDF");
        let store = FontStore::default();
        let fonts = identity_fonts(&pdf);
        assert!(!fonts.is_empty(), "the PDF has Identity-H fonts");
        for dict in &fonts {
            let from_dict = IdentityFont::new(dict, &store.loader).expect("dictionary holds all");
            let from_dict = TextFont::new(FontSource::Identity(Box::new(from_dict)), Some(dict));
            let loaded = store.loader.load(dict).expect("hayro-font reads it");
            let loaded = TextFont::new(FontSource::Loaded(loaded, None), Some(dict));
            assert_eq!(from_dict.horizontal, loaded.horizontal);
            for code in 0..=0xFFFF_u32 {
                let (a, b) = (from_dict.look_up(code), loaded.look_up(code));
                assert_eq!(a.text, b.text, "code {code:04X}");
                assert_eq!(a.advance, b.advance, "code {code:04X}");
                assert_eq!(a.displacement, b.displacement, "code {code:04X}");
            }
            for bytes in [&[0x00, 0x2A, 0x01][..], &[0x12], &[0xFF, 0xFF, 0x00, 0x03]] {
                for offset in 0..bytes.len() {
                    assert_eq!(
                        from_dict.read_code(bytes, offset),
                        loaded.read_code(bytes, offset),
                        "{bytes:?} at {offset}"
                    );
                }
            }
        }
    }

    #[test]
    fn cid_widths_as_runs_and_ranges() {
        let widths = |w: &[u8]| {
            let array: Array<'_> = FromBytes::from_bytes(w).expect("an array");
            let mut pairs: Vec<(u32, f32)> = cid_widths(&array)?.into_iter().collect();
            pairs.sort_by_key(|p| p.0);
            Some(pairs)
        };
        assert_eq!(
            widths(b"[1 [500 600] 10 12 250]"),
            Some(vec![
                (1, 500.0),
                (2, 600.0),
                (10, 250.0),
                (11, 250.0),
                (12, 250.0)
            ])
        );
        assert_eq!(widths(b"[]"), Some(vec![]));
        // A run past the last CID there is: no widths at all, as hayro-font.
        assert_eq!(widths(b"[4294967295 [500 600]]"), None);
    }

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
