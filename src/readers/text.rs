//! Plain-text reader: text dumps of a questionnaire ("Save as plain text",
//! pdftotext output, Markdown conversions such as the seed).
//!
//! Each line is a paragraph of its own, as Word writes one paragraph per line.
//! Form feeds separate pages. Markdown emphasis, escapes and inline links are
//! cleaned; a link's target becomes a link in the model.

use std::sync::LazyLock;

use regex::Regex;

use super::flow::FlowBuilder;
use crate::model::{Document, Format, Source};

/// True when the bytes decode as text: a UTF-16 byte-order mark, or no NUL and
/// few control characters in the first few kilobytes.
pub fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    control * 100 <= head.len()
}

/// Decodes UTF-8 (with or without BOM) or UTF-16 (with BOM); anything else is
/// read as Windows-1252, which is what Word writes by default for ".txt".
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, true);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// UTF-16 without its byte-order mark; a dangling odd byte is dropped.
pub(crate) fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        })
        .collect();
    String::from_utf16_lossy(&units)
}

pub(crate) fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// `[text](target)`, the target allowed one level of balanced parentheses
/// (`…/Foo_(bar)`, `javascript:alert(1)`).
static MD_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[([^\]]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)").expect("valid regex")
});
/// A target with a scheme (`https:`, `mailto:`, `javascript:` …) or `www.`:
/// a link; the interpreter decides which schemes are URLs.
static LINK_TARGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|www\.)").expect("valid regex"));
static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#{1,6}\s+").expect("valid regex"));

pub fn read(name: &str, bytes: &[u8]) -> Document {
    let text = decode(bytes);
    let has_pages = text.contains('\u{0C}');
    let mut flow = FlowBuilder::new(Source {
        file: name.to_string(),
        format: Format::Text,
        pages: None,
        text_layer: true,
    });
    let mut page = 1u32;
    if has_pages {
        flow.set_page(Some(page));
    }
    for (i, chunk) in text.split('\u{0C}').enumerate() {
        if i > 0 {
            page += 1;
            flow.end_paragraph();
            flow.set_page(Some(page));
        }
        for raw_line in chunk.split('\n') {
            let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
            push_markdown_line(&mut flow, line);
            flow.end_paragraph();
        }
    }
    let mut doc = flow.finish();
    if has_pages {
        doc.source.pages = Some(page);
    }
    doc
}

/// Pushes one line, turning Markdown inline links into model links and dropping
/// emphasis markers and backslash escapes.
fn push_markdown_line(flow: &mut FlowBuilder, line: &str) {
    let line = MD_HEADING.replace(line, "");
    let mut cursor = 0;
    for m in MD_LINK.captures_iter(&line) {
        let whole = m.get(0).expect("match");
        flow.text(&clean_markdown(&line[cursor..whole.start()]));
        let label = clean_markdown(m.get(1).map_or("", |g| g.as_str()));
        let target = m.get(2).map_or("", |g| g.as_str());
        let absolute = LINK_TARGET.is_match(target);
        if absolute {
            flow.begin_link(target.to_string());
        }
        flow.text(&label);
        if absolute {
            flow.end_link();
        }
        cursor = whole.end();
    }
    flow.text(&clean_markdown(&line[cursor..]));
}

fn clean_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars.next().expect("peeked"));
            }
            '*' | '_' if chars.peek() == Some(&c) => {
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_cleaned_and_links_kept() {
        let d = read(
            "x.md",
            b"6. Is there a **national development strategy** incorporating the [SDGs \\(x\\)](https://sdgs.un.org/)?\r\n",
        );
        assert_eq!(
            d.lines[0].text,
            "6. Is there a national development strategy incorporating the SDGs (x)?"
        );
        assert_eq!(d.links[0].url, "https://sdgs.un.org/");
        assert_eq!(d.links[0].text, "SDGs (x)");
    }

    #[test]
    fn form_feeds_make_pages() {
        let d = read("x.txt", b"one\x0ctwo\n");
        assert_eq!(d.source.pages, Some(2));
        assert_eq!(d.lines[1].page, Some(2));
    }

    #[test]
    fn windows_1252_fallback() {
        assert_eq!(decode(b"caf\xe9 \x93x\x94"), "café “x”");
    }

    #[test]
    fn utf16_with_bom() {
        assert_eq!(decode(&[0xFF, 0xFE, b'h', 0, b'i', 0]), "hi");
    }
}
