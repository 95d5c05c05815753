//! Tolerant matching of the form's own wording in extracted text.
//!
//! Text is compared as a sequence of normalised words: lower-cased, accents
//! folded, punctuation and superscript footnote markers dropped. A footnote
//! number that lost its superscript in extraction ("e-government2 portal")
//! still matches the plain word.

use std::borrow::Cow;

use compact_str::CompactString;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::Definition;

#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// Inline, not on the heap, up to 24 bytes: nearly every word.
    pub norm: CompactString,
    /// Byte range in the source text.
    pub start: usize,
    pub end: usize,
}

fn is_superscript(c: char) -> bool {
    matches!(
        c,
        '\u{00B9}' | '\u{00B2}' | '\u{00B3}' | '\u{2070}'..='\u{209F}'
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_superscript(c)
}

/// Folds one word: lower case, accents removed.
pub fn fold(word: &str) -> CompactString {
    if word.is_ascii() {
        let mut folded = CompactString::from(word);
        folded.make_ascii_lowercase();
        return folded;
    }
    // Each character decomposed on its own: the canonical reordering a full
    // NFD pass adds only moves combining marks, which are all dropped here.
    let mut folded = CompactString::with_capacity(word.len());
    for c in word.chars() {
        decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                folded.extend(part.to_lowercase());
            }
        });
    }
    folded
}

pub fn words(text: &str) -> Vec<Word> {
    // About one word in six bytes of text: few regrowths, little waste.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    out.extend(word_iter(text));
    out
}

/// The words of `text` one at a time, for a caller that may stop early.
pub fn word_iter(text: &str) -> WordIter<'_> {
    WordIter {
        text,
        at: 0,
        // Nearly every line: bytes are characters, and no ASCII character
        // is a superscript or has an accent to fold.
        ascii: text.is_ascii(),
    }
}

/// See `word_iter`.
pub struct WordIter<'t> {
    text: &'t str,
    /// Where the next word is looked for.
    at: usize,
    ascii: bool,
}

impl Iterator for WordIter<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        let (start, end) = if self.ascii {
            let bytes = &self.text.as_bytes()[self.at..];
            let start = self.at + bytes.iter().position(u8::is_ascii_alphanumeric)?;
            let len = self.text.as_bytes()[start..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(self.text.len() - start);
            (start, start + len)
        } else {
            let rest = &self.text[self.at..];
            let (offset, _) = rest.char_indices().find(|(_, c)| is_word_char(*c))?;
            let start = self.at + offset;
            let end = self.text[start..]
                .char_indices()
                .find(|(_, c)| !is_word_char(*c))
                .map_or(self.text.len(), |(i, _)| start + i);
            (start, end)
        };
        self.at = end;
        Some(Word {
            norm: fold(&self.text[start..end]),
            start,
            end,
        })
    }
}

/// Normalised words only, for phrases from the definition.
pub fn norms(text: &str) -> Vec<String> {
    words(text).into_iter().map(|w| w.norm.into()).collect()
}

/// `s` without what it puts in brackets: "Bolivia (Plurinational State of)"
/// is "Bolivia ".
pub fn strip_parenthetical(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// True when a word of the document stands for a word of the form, allowing a
/// footnote number glued to its end.
pub fn same_word(doc: &str, form: &str) -> bool {
    if doc == form {
        return true;
    }
    doc.len() > form.len()
        && doc.starts_with(form)
        && doc[form.len()..].chars().all(|c| c.is_ascii_digit())
        && !form.chars().last().is_some_and(|c| c.is_ascii_digit())
}

/// List numbering in front of a prompt: "1", "a", "iv", "q1", "x".
pub fn is_numbering(word: &str) -> bool {
    let w = word;
    (w.len() <= 3 && w.chars().all(|c| c.is_ascii_digit()))
        || (w.len() == 1 && w.chars().all(|c| c.is_alphabetic()))
        || (w.len() <= 5 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
        || (w.len() <= 4
            && w.starts_with('q')
            && w.len() > 1
            && w[1..].chars().all(|c| c.is_ascii_digit()))
}

/// What may end a label before its value: a colon (also the full-width one
/// Chinese and Japanese type), a tab, a dash.
pub const LABEL_SEPARATORS: [char; 5] = [':', '：', '\t', '-', '–'];

/// The labels of a definition's fields (a contact's "Name", "E-mail
/// address"; an entry's "URL"), matched at the start of a line.
pub struct FieldLabels<'d> {
    fields: Vec<(&'d str, Vec<Cow<'d, [String]>>)>,
}

impl<'d> FieldLabels<'d> {
    /// The labels of `fields`, one of `def`'s field maps.
    pub fn new(def: &'d Definition, fields: &'d indexmap::IndexMap<String, Vec<String>>) -> Self {
        FieldLabels {
            fields: fields
                .iter()
                .map(|(field, labels)| {
                    (
                        field.as_str(),
                        labels.iter().map(|l| def.words_of(l)).collect(),
                    )
                })
                .collect(),
        }
    }

    /// The field whose label (the longest that fits) starts `text`, and the
    /// byte offset where the label ends, when a separator (":", a tab, a
    /// dash) or nothing follows it.
    ///
    /// A label may be abbreviated ("Tel.:") or joined to another label by a
    /// slash ("Position/Title:", "Ministry / Agency"): the first one names
    /// the field, the label ends after the last.
    pub fn field_at(&self, text: &str) -> Option<(&'d str, usize)> {
        let (field, mut end) = self.label_at(text)?;
        loop {
            let rest = &text[end..];
            let after_dot = rest.strip_prefix('.').unwrap_or(rest);
            let Some(next) = after_dot.trim_start().strip_prefix('/') else {
                break;
            };
            let next_at = text.len() - next.len();
            match self.label_at(next) {
                Some((_, e)) => end = next_at + e,
                None => break,
            }
        }
        // An abbreviation's dot ends the label as a colon would ("Tel. 555").
        let abbreviated = text[end..].starts_with('.');
        if abbreviated {
            end += 1;
        }
        let rest = &text[end..];
        let separated = abbreviated
            || rest.trim_start().is_empty()
            || rest.trim_start().starts_with(LABEL_SEPARATORS)
            || rest.starts_with('\t');
        separated.then_some((field, end))
    }

    /// The field whose label (the longest) starts `text`, and where it ends.
    fn label_at(&self, text: &str) -> Option<(&'d str, usize)> {
        let ws = words(text);
        let mut best: Option<(&'d str, usize, usize)> = None;
        for (field, labels) in &self.fields {
            for label in labels {
                if common_prefix(&ws, label) == label.len()
                    && best.is_none_or(|b| label.len() > b.2)
                {
                    best = Some((field, ws[label.len() - 1].end, label.len()));
                }
            }
        }
        best.map(|(f, e, _)| (f, e))
    }
}

/// Length of the common prefix of `doc` words and `form` words.
pub fn common_prefix(doc: &[Word], form: &[String]) -> usize {
    doc.iter()
        .zip(form)
        .take_while(|(d, f)| same_word(&d.norm, f))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fold` as its definition reads: full canonical decomposition, marks
    /// dropped, lower-cased.
    fn fold_by_nfd(word: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        word.nfd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    }

    #[test]
    fn fold_is_nfd_without_marks_lowercased() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let word = c.to_string();
            assert_eq!(fold(&word), fold_by_nfd(&word), "U+{:04X}", u32::from(c));
        }
        // Marks in any order, precomposed and decomposed letters, scripts
        // that do not decompose.
        for word in [
            "Côte d’Ivoire",
            "Ca\u{0301}fe\u{0327}\u{0301}",
            "a\u{0323}\u{0302}\u{0301}ẬẦ",
            "Türkiye İSTANBUL",
            "Российская Федерация й",
            "中华人民共和国",
            "الصين",
            "한국 대한민국",
            "ΆΈΉ ΐ",
        ] {
            assert_eq!(fold(word), fold_by_nfd(word), "{word}");
        }
    }

    #[test]
    fn words_fold_and_drop_markers() {
        let w = words("the **e-government² portal** Café");
        let n: Vec<&str> = w.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(n, ["the", "e", "government", "portal", "cafe"]);
        assert_eq!(
            &"the **e-government² portal** Café"[w[2].start..w[2].end],
            "government"
        );
    }

    #[test]
    fn glued_footnote_numbers() {
        assert!(same_word("government2", "government"));
        assert!(!same_word("governments", "government"));
        assert!(!same_word("2019", "201"));
    }

    #[test]
    fn labels_joined_by_a_slash_or_abbreviated() {
        let fields: indexmap::IndexMap<String, Vec<String>> = [
            ("title", vec!["Title", "Position"]),
            ("organization", vec!["Ministry", "Agency"]),
            ("phone", vec!["Tel", "Phone"]),
        ]
        .into_iter()
        .map(|(f, l)| (f.to_string(), l.into_iter().map(String::from).collect()))
        .collect();
        let def = Definition::builtin();
        let labels = FieldLabels::new(&def, &fields);
        assert_eq!(labels.field_at("Position/Title: CDO"), Some(("title", 14)));
        assert_eq!(
            labels.field_at("Ministry / Agency\tDigital"),
            Some(("organization", 17))
        );
        assert_eq!(labels.field_at("Tel.: +81 3"), Some(("phone", 4)));
        assert_eq!(labels.field_at("Tel. +81 3"), Some(("phone", 4)));
        assert_eq!(labels.field_at("Position papers were written"), None);
    }

    #[test]
    fn numbering() {
        for n in ["1", "24", "a", "iv", "x", "q10"] {
            assert!(is_numbering(n), "{n}");
        }
        for n in ["what", "please", "2019"] {
            assert!(!is_numbering(n), "{n}");
        }
    }
}
