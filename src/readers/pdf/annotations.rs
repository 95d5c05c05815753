//! The annotation layer, read from the document structure (as pdf.js does), not
//! from the painted page: form-field widgets (check boxes, radio buttons, text
//! fields), link annotations with URI actions, and text notes (FreeText
//! annotations, as "add text" tools write answers onto a PDF) that have no
//! appearance to draw.

use hayro_font::hayro_syntax::object::{Array, Dict, Name, Rect, String as PdfString};
use hayro_font::hayro_syntax::page::Page;

/// A form widget on a page.
#[derive(Debug, Clone)]
pub struct Widget {
    pub rect: [f32; 4],
    pub kind: WidgetKind,
}

#[derive(Debug, Clone)]
pub enum WidgetKind {
    /// A check box or radio button, with its state and what it came from.
    Toggle { checked: bool, evidence: String },
    /// A text or choice field's value.
    Value(String),
    /// A push button or an empty text field: nothing to read, but the area is
    /// the widget's, not the page's.
    Other,
}

#[derive(Debug, Clone)]
pub struct LinkAnnotation {
    pub rects: Vec<[f32; 4]>,
    pub url: String,
}

/// Field flags (PDF 32000-1, 12.7.4.2.1).
const FLAG_RADIO: u32 = 1 << 15;
const FLAG_PUSHBUTTON: u32 = 1 << 16;
/// Annotation flags: hidden, no view.
const ANNOTATION_HIDDEN: u32 = 1 << 1;
const ANNOTATION_NO_VIEW: u32 = 1 << 5;
/// How many /Parent links are followed before giving up (cyclic field trees).
const MAX_FIELD_DEPTH: usize = 32;

/// What a page's annotations hold.
#[derive(Default)]
pub struct PageAnnotations {
    pub widgets: Vec<Widget>,
    pub links: Vec<LinkAnnotation>,
    /// Text notes without an appearance: their text, as a field's value, in
    /// their rectangle. (A note with an appearance is drawn with the page.)
    pub notes: Vec<Widget>,
}

/// Annotations read on one page; the rest are left out. Real pages have a
/// few hundred at most; a page listing millions (a hostile file) would have
/// each one's dictionary held while the page is read.
pub const MAX_ANNOTATIONS_PER_PAGE: usize = 10_000;

/// The page's annotations, each resolved once: the reader looks at them
/// twice (here for fields and links, then to draw their appearances), and
/// resolving one parses its dictionary again each time.
pub fn annotation_dicts<'a>(page: &Page<'a>) -> Vec<Dict<'a>> {
    page.raw()
        .get::<Array>(b"Annots".as_slice())
        .map(|annots| {
            annots
                .iter::<Dict>()
                .take(MAX_ANNOTATIONS_PER_PAGE)
                .collect()
        })
        .unwrap_or_default()
}

pub fn page_annotations(annots: &[Dict]) -> PageAnnotations {
    let mut found = PageAnnotations::default();
    for annot in annots {
        let flags = annot.get::<u32>(b"F".as_slice()).unwrap_or(0);
        if flags & (ANNOTATION_HIDDEN | ANNOTATION_NO_VIEW) != 0 {
            continue;
        }
        let Some(rect) = annot.get::<Rect>(b"Rect".as_slice()).map(normalise) else {
            continue;
        };
        match name_of(annot, b"Subtype").as_deref() {
            Some("Widget") => {
                if let Some(w) = widget(annot, rect) {
                    found.widgets.push(w);
                }
            }
            Some("Link") => {
                if let Some(url) = link_uri(annot) {
                    let rects = quad_rects(annot).unwrap_or_else(|| vec![rect]);
                    found.links.push(LinkAnnotation { rects, url });
                }
            }
            Some("FreeText") if !has_appearance(annot) => {
                let text = annot
                    .get::<PdfString>(b"Contents".as_slice())
                    .map(|s| text_string(s.as_bytes()))
                    .filter(|t| !t.trim().is_empty());
                if let Some(text) = text {
                    found.notes.push(Widget {
                        rect,
                        kind: WidgetKind::Value(text),
                    });
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether an annotation carries a normal appearance that hayro draws.
fn has_appearance(annot: &Dict) -> bool {
    annot
        .get::<Dict>(b"AP".as_slice())
        .is_some_and(|ap| ap.contains_key(b"N".as_slice()))
}

fn normalise(r: Rect) -> [f32; 4] {
    let (x0, x1) = (r.x0.min(r.x1), r.x0.max(r.x1));
    let (y0, y1) = (r.y0.min(r.y1), r.y0.max(r.y1));
    [x0 as f32, y0 as f32, x1 as f32, y1 as f32]
}

fn name_of(d: &Dict, key: &[u8]) -> Option<String> {
    d.get::<Name>(key).map(|n| n.as_str().to_string())
}

/// A widget and the fields above it, up its /Parent links, each resolved
/// once: its attributes are inherited, each looked for up the chain, and
/// resolving a parent parses its dictionary again each time.
fn field_chain<'a>(widget: &Dict<'a>) -> Vec<Dict<'a>> {
    let mut chain = vec![widget.clone()];
    while chain.len() < MAX_FIELD_DEPTH {
        let Some(parent) = chain
            .last()
            .and_then(|d| d.get::<Dict>(b"Parent".as_slice()))
        else {
            break;
        };
        chain.push(parent);
    }
    chain
}

/// An inheritable field attribute: on the widget, or up its chain.
fn inherited<'a, T>(chain: &[Dict<'a>], get: impl Fn(&Dict<'a>) -> Option<T>) -> Option<T> {
    chain.iter().find_map(get)
}

/// The fully qualified field name: partial names joined with dots.
fn field_name(chain: &[Dict]) -> String {
    let parts: Vec<String> = chain
        .iter()
        .rev()
        .filter_map(|d| d.get::<PdfString>(b"T".as_slice()))
        .map(|t| text_string(t.as_bytes()))
        .collect();
    if parts.is_empty() {
        "(unnamed)".into()
    } else {
        parts.join(".")
    }
}

fn widget(annot: &Dict, rect: [f32; 4]) -> Option<Widget> {
    let chain = field_chain(annot);
    let field = field_name(&chain);
    let kind = match inherited(&chain, |d| d.get::<Name>(b"FT".as_slice()))
        .as_ref()
        .map(|n| n.as_str())
    {
        Some("Btn") => {
            let flags = inherited(&chain, |d| d.get::<u32>(b"Ff".as_slice())).unwrap_or(0);
            if flags & FLAG_PUSHBUTTON != 0 {
                WidgetKind::Other
            } else {
                toggle(&chain, &field, flags & FLAG_RADIO != 0)
            }
        }
        Some("Tx") | Some("Ch") => match field_value(&chain) {
            Some(v) if !v.trim().is_empty() => WidgetKind::Value(v),
            _ => WidgetKind::Other,
        },
        _ => WidgetKind::Other,
    };
    Some(Widget { rect, kind })
}

/// State of a check box or radio widget. Any appearance state other than
/// /Off is on, whatever its name (/Yes, /On, /1, /Ja, even /No).
fn toggle(chain: &[Dict], field: &str, radio: bool) -> WidgetKind {
    let annot = &chain[0];
    let on_name = annot
        .get::<Dict>(b"AP".as_slice())
        .and_then(|ap| ap.get::<Dict>(b"N".as_slice()))
        .and_then(|n| {
            n.keys()
                .map(|k| k.as_str().to_string())
                .find(|k| k != "Off")
        });
    if let Some(state) = name_of(annot, b"AS") {
        return WidgetKind::Toggle {
            checked: state != "Off",
            evidence: format!("acroform field {field} /AS /{state}"),
        };
    }
    let value =
        inherited(chain, |d| d.get::<Name>(b"V".as_slice())).map(|n| n.as_str().to_string());
    let checked = match (&value, &on_name) {
        (Some(v), Some(on)) => v == on,
        (Some(v), None) => v != "Off" && !radio,
        (None, _) => false,
    };
    let shown = value.as_deref().unwrap_or("Off");
    WidgetKind::Toggle {
        checked,
        evidence: format!("acroform field {field} /V /{shown}"),
    }
}

fn field_value(chain: &[Dict]) -> Option<String> {
    if let Some(s) = inherited(chain, |d| d.get::<PdfString>(b"V".as_slice())) {
        return Some(text_string(s.as_bytes()));
    }
    // A choice field may hold several selected values.
    let values = inherited(chain, |d| d.get::<Array>(b"V".as_slice()))?;
    let joined: Vec<String> = values
        .iter::<PdfString>()
        .map(|s| text_string(s.as_bytes()))
        .collect();
    Some(joined.join("; "))
}

fn link_uri(annot: &Dict) -> Option<String> {
    let action = annot.get::<Dict>(b"A".as_slice())?;
    if name_of(&action, b"S").as_deref() != Some("URI") {
        return None;
    }
    let uri = action.get::<PdfString>(b"URI".as_slice())?;
    // URIs are 7-bit ASCII by the spec; producers put UTF-8 there too.
    let text = String::from_utf8_lossy(uri.as_bytes()).trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// A link split over lines: one rectangle per quadrilateral.
fn quad_rects(annot: &Dict) -> Option<Vec<[f32; 4]>> {
    let quads = annot.get::<Array>(b"QuadPoints".as_slice())?;
    let numbers: Vec<f32> = quads.iter::<f32>().collect();
    if numbers.len() < 8 {
        return None;
    }
    Some(
        numbers
            .chunks_exact(8)
            .map(|q| {
                let xs = [q[0], q[2], q[4], q[6]];
                let ys = [q[1], q[3], q[5], q[7]];
                [
                    xs.iter().copied().fold(f32::MAX, f32::min),
                    ys.iter().copied().fold(f32::MAX, f32::min),
                    xs.iter().copied().fold(f32::MIN, f32::max),
                    ys.iter().copied().fold(f32::MIN, f32::max),
                ]
            })
            .collect(),
    )
}

/// Decodes a PDF text string: UTF-16BE with BOM, UTF-8 with BOM, or
/// PDFDocEncoding (Latin-1 for the characters forms use).
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return crate::readers::text::decode_utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings() {
        assert_eq!(text_string(&[0xFE, 0xFF, 0, b'J', 0, b'a']), "Ja");
        assert_eq!(text_string(b"Caf\xe9"), "Café");
    }
}
