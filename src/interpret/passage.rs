//! An answer's passage: the pieces of lines that hold it, with the form's own
//! text (footnotes, hints, placeholders) taken out, turned into normalised text
//! and URLs.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::options::{label_forms, LabelForm};
use super::urls::{continues_url, find_urls, finishes_url};
use crate::definition::{Definition, Question};
use crate::segment::{FlowLine, Region};
use crate::text_match::{common_prefix, norms, word_iter, words};

/// A part of a line: `lines[line].text[from..to]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    pub line: usize,
    pub from: usize,
    pub to: usize,
}

/// Text that belongs to the form and never to an answer, and the option
/// labels as word sequences: prepared once per definition.
pub struct FormText {
    /// Word sequences of footnotes, hints and placeholders: a line made only of
    /// a long enough run of one of them is form text.
    phrases: Vec<Vec<String>>,
    /// Where each word stands in `phrases` (phrase, position): a line's
    /// first word says where it could begin, rather than every window of
    /// every phrase being tried.
    phrase_words: FxHashMap<String, Vec<(usize, usize)>>,
    /// Hints and placeholders removed inside a line ("… (Max. 250 words)"),
    /// as word sequences, longest first.
    inline: Vec<Vec<String>>,
    /// The entries of `inline` by their first word, in `inline`'s order.
    inline_by_first: FxHashMap<String, Vec<usize>>,
    /// The length of the longest of those first words, in bytes.
    longest_first_word: usize,
    /// The bytes those first words start with.
    first_word_starts: [bool; 256],
    /// The words each question's option labels may be written with
    /// (`options::label_forms`), by question id.
    label_forms: FxHashMap<String, Vec<LabelForm>>,
}

/// Fewest words a line must share with a footnote to be taken for part of it,
/// unless it is the whole phrase.
const MIN_SHARED_WORDS: usize = 3;

impl FormText {
    /// Compiles the form's own text once: footnotes, noise, the cover's form
    /// text and every question's hints.
    pub fn new(def: &Definition) -> Self {
        let hints: Vec<&String> = def
            .answer_questions()
            .flat_map(|q| q.hints.iter())
            .collect();
        let mut phrases: Vec<Vec<String>> = Vec::new();
        let all = def
            .footnotes
            .iter()
            .chain(def.noise.iter())
            .chain(def.cover.ignore.iter())
            .chain(hints.iter().copied());
        for p in all {
            let n = norms(p);
            if !n.is_empty() {
                phrases.push(n);
            }
        }
        let mut inline: Vec<Vec<String>> = def
            .noise
            .iter()
            .chain(hints.iter().copied())
            .map(|p| norms(p))
            .filter(|n| !n.is_empty())
            .collect();
        // Longest first, so a hint is removed whole rather than a shorter
        // noise phrase inside it.
        inline.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let mut phrase_words: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
        for (k, phrase) in phrases.iter().enumerate() {
            for (at, word) in phrase.iter().enumerate() {
                phrase_words.entry(word.clone()).or_default().push((k, at));
            }
        }
        let mut inline_by_first: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (k, phrase) in inline.iter().enumerate() {
            inline_by_first
                .entry(phrase[0].clone())
                .or_default()
                .push(k);
        }
        let label_forms = def
            .answer_questions()
            .filter(|q| !q.options.is_empty())
            .map(|q| (q.id.clone(), label_forms(&q.options)))
            .collect();
        FormText {
            phrases,
            phrase_words,
            inline,
            longest_first_word: inline_by_first.keys().map(String::len).max().unwrap_or(0),
            first_word_starts: {
                let mut starts = [false; 256];
                for word in inline_by_first.keys() {
                    if let Some(&b) = word.as_bytes().first() {
                        starts[usize::from(b)] = true;
                    }
                }
                starts
            },
            inline_by_first,
            label_forms,
        }
    }

    /// The words the question's option labels may be written with.
    pub fn label_forms(&self, q: &Question) -> Cow<'_, [LabelForm]> {
        match self.label_forms.get(&q.id) {
            Some(forms) => Cow::Borrowed(forms),
            None => Cow::Owned(label_forms(&q.options)),
        }
    }

    /// True when the text is (part of) a footnote, hint or placeholder. A
    /// footnote's leading number is ignored.
    pub fn is_form_text(&self, text: &str) -> bool {
        // Words are read only as far as a phrase could still match: most
        // texts part from every phrase at their first or second word.
        let mut rest = word_iter(text)
            .skip_while(|w| w.norm.len() <= 2 && w.norm.chars().all(|c| c.is_ascii_digit()));
        let Some(first) = rest.next() else {
            return false;
        };
        let Some(starts) = self.phrase_words.get(first.norm.as_str()) else {
            return false;
        };
        let mut read = vec![first.norm];
        let mut ended = false;
        starts.iter().any(|&(k, at)| {
            let phrase = &self.phrases[k];
            let tail = &phrase[at..];
            let mut j = 0;
            loop {
                if read.len() <= j && !ended {
                    match rest.next() {
                        Some(w) => read.push(w.norm),
                        None => ended = true,
                    }
                }
                // The text is `j` words long, all of them words of the
                // phrase from `at` on.
                if j == read.len() {
                    return j >= MIN_SHARED_WORDS || j == phrase.len();
                }
                if j == tail.len() || tail[j] != read[j] {
                    return false;
                }
                j += 1;
            }
        })
    }

    /// The entries of `inline` whose first word `word` stands for: itself,
    /// or with a footnote number glued to it (see `same_word`).
    fn inline_starting<'s>(&'s self, word: &'s str) -> impl Iterator<Item = usize> + 's {
        let unnumbered = word.trim_end_matches(|c: char| c.is_ascii_digit());
        let glued = (unnumbered.len() < word.len() && !unnumbered.is_empty()).then_some(unnumbered);
        [Some(word), glued]
            .into_iter()
            .flatten()
            .flat_map(|w| self.inline_by_first.get(w).into_iter().flatten().copied())
    }

    /// Whether one of `inline`'s phrases may start in `text`: always for
    /// text that is not ASCII; for ASCII text (nearly all), whether one of
    /// its words, lower-cased, is a phrase's first word, read from the
    /// bytes (an ASCII word's normal form is itself lower-cased) without
    /// folding each word into a new string as `words` does.
    fn may_hold_inline(&self, text: &str) -> bool {
        if !text.is_ascii() {
            return true;
        }
        let mut lower = String::new();
        for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
            // Most words part from every first word at their first letter.
            let Some(&first) = word.as_bytes().first() else {
                continue;
            };
            if !self.first_word_starts[usize::from(first.to_ascii_lowercase())] {
                continue;
            }
            let unnumbered = word.trim_end_matches(|c: char| c.is_ascii_digit());
            for form in [word, unnumbered] {
                if form.is_empty() || form.len() > self.longest_first_word {
                    continue;
                }
                lower.clear();
                lower.push_str(form);
                lower.make_ascii_lowercase();
                if self.inline_by_first.contains_key(&lower) {
                    return true;
                }
            }
        }
        false
    }

    /// Removes hints and placeholders inside a line.
    pub fn strip_inline(&self, text: &str) -> String {
        if !self.may_hold_inline(text) {
            return text.to_string();
        }
        let ws = words(text);
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            // The first in `inline`'s order (longest first) that matches.
            let hit = self
                .inline_starting(&ws[i].norm)
                .filter(|&k| common_prefix(&ws[i..], &self.inline[k]) == self.inline[k].len())
                .min()
                .map(|k| &self.inline[k]);
            match hit {
                Some(p) => {
                    let (mut start, mut end) = (ws[i].start, ws[i + p.len() - 1].end);
                    // The hint's own brackets and trailing punctuation go too.
                    let before = text[..start].trim_end();
                    if before.ends_with('(') {
                        start = before.len() - 1;
                    }
                    let after = &text[end..];
                    let tail = after.len() - after.trim_start_matches([' ', '.', ':', '：']).len();
                    if after[tail..].starts_with(')') {
                        end += tail + 1;
                    } else {
                        end += after.len() - after.trim_start_matches(['.', ':', '：']).len();
                    }
                    cuts.push((start, end));
                    i += p.len();
                }
                None => i += 1,
            }
        }
        if cuts.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut cursor = 0;
        for (s, e) in cuts {
            if s >= cursor {
                out.push_str(&text[cursor..s]);
                out.push(' ');
                cursor = e;
            }
        }
        out.push_str(&text[cursor..]);
        out
    }
}

/// The pieces of a region, with form text left out: whole lines of it, a
/// line that finishes form text dropped before it, and two lines that are
/// form text together.
pub fn region_pieces(lines: &[FlowLine], region: &Region, form: &FormText) -> Vec<Piece> {
    let end = region.end.min(lines.len());
    let piece_text = |i: usize| {
        let text = &lines[i].text;
        let from = if i == region.line { region.from } else { 0 }.min(text.len());
        (from, &text[from..])
    };
    // A line with a tick box is an option, even where its words are also
    // the form's ("☒ United Nations E-Government", a label wrapped where the
    // form's introduction names the Survey too).
    let has_box = |i: usize| lines[i].has_mark_from(piece_text(i).0);
    let mut out = Vec::new();
    let mut dropped: Option<(u32, String)> = None;
    let mut i = region.line;
    while i < end {
        let (from, text) = piece_text(i);
        // A line that finishes form text dropped on the line before.
        let finishes = dropped.as_ref().is_some_and(|(paragraph, prev)| {
            *paragraph == lines[i].paragraph && form.is_form_text(&format!("{prev} {text}"))
        });
        if !has_box(i) && (finishes || form.is_form_text(text)) {
            dropped = Some((lines[i].paragraph, text.to_string()));
            i += 1;
            continue;
        }
        dropped = None;
        // Form text broken over two lines ("… (Maximum" / "250 words)").
        if i + 1 < end
            && !has_box(i)
            && !has_box(i + 1)
            && form.is_form_text(&format!("{text} {}", piece_text(i + 1).1))
        {
            i += 2;
            continue;
        }
        out.push(Piece {
            line: i,
            from,
            to: lines[i].text.len(),
        });
        i += 1;
    }
    out
}

/// Pieces joined where a URL runs on from one line to the next; each unit
/// keeps the links it carries, in its own coordinates.
#[derive(Debug, Clone)]
pub struct Unit {
    pub text: String,
    pub paragraph: u32,
    pub page: Option<u32>,
    pub links: Vec<(usize, usize, String)>,
    /// Lines it was made of.
    pub lines: Vec<usize>,
}

pub fn units(lines: &[FlowLine], pieces: &[Piece]) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for p in pieces {
        let line = &lines[p.line];
        let text = &line.text[p.from..p.to];
        let continues = out.last().is_some_and(|u: &Unit| {
            (u.paragraph == line.paragraph && continues_url(&u.text, text))
                || finishes_url(&u.text, text)
        });
        let links = line
            .links
            .iter()
            .filter(|l| l.end > p.from && l.start < p.to);
        if continues {
            let unit = out.last_mut().expect("checked");
            let trimmed_len = unit.text.trim_end().len();
            unit.text.truncate(trimmed_len);
            let lead = text.len() - text.trim_start().len();
            let shift = unit.text.len() as isize - (p.from + lead) as isize;
            unit.text.push_str(text.trim_start());
            for l in links {
                let s = (l.start.max(p.from + lead) as isize + shift) as usize;
                let e = (l.end.min(p.to).max(p.from + lead) as isize + shift) as usize;
                unit.links.push((s, e, l.url.clone()));
            }
            unit.lines.push(p.line);
        } else {
            out.push(Unit {
                text: text.to_string(),
                paragraph: line.paragraph,
                page: line.page,
                links: links
                    .map(|l| {
                        (
                            l.start.max(p.from) - p.from,
                            l.end.min(p.to) - p.from,
                            l.url.clone(),
                        )
                    })
                    .collect(),
                lines: vec![p.line],
            });
        }
    }
    out
}

/// URLs of a unit in reading order: link targets, and URLs written in the
/// text outside any link (a link's target wins over its visible text).
pub fn unit_urls(unit: &Unit) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = Vec::new();
    for (s, _, url) in &unit.links {
        if let Some(n) = super::urls::normalize(url) {
            found.push((*s, n));
        }
    }
    for u in find_urls(&unit.text) {
        let covered = unit
            .links
            .iter()
            .any(|(s, e, _)| u.start < *e && u.end > *s);
        if !covered {
            found.push((u.start, u.url));
        }
    }
    found.sort_by_key(|(s, _)| *s);
    found
}

pub fn push_unique(list: &mut Vec<String>, url: String) {
    if !list.contains(&url) {
        list.push(url);
    }
}

/// Drops the angle brackets around a URL written as `<https://…>`: they
/// are not text.
fn unbracket_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let lower = after.get(..8).unwrap_or(after).to_ascii_lowercase();
        let is_url = ["http://", "https://", "ftp://", "www."]
            .iter()
            .any(|p| lower.starts_with(p));
        let close = after.find(|c: char| c == '>' || c == '<' || c.is_whitespace());
        match close {
            Some(end) if is_url && after[end..].starts_with('>') => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..end]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whitespace-normalised text of a line piece, without form text and
/// superscript footnote markers.
pub fn clean(form: &FormText, text: &str) -> String {
    let stripped: String = form
        .strip_inline(text)
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{00B9}' | '\u{00B2}' | '\u{00B3}' | '\u{2070}'..='\u{2079}'
            )
        })
        .collect();
    unbracket_urls(&stripped)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The answer text: lines of a paragraph joined with a space (a hyphen at a
/// line end joined back), paragraphs with "\n". `None` when empty.
pub fn passage_text(form: &FormText, units: &[Unit]) -> Option<String> {
    // Lines of a paragraph are joined before cleaning, so a hint broken over
    // two lines ("(Maximum" / "250 words)") is still recognised.
    let mut raw: Vec<String> = Vec::new();
    let mut last_paragraph = None;
    for u in units {
        let t = u.text.trim();
        if t.is_empty() {
            continue;
        }
        if last_paragraph == Some(u.paragraph) {
            let current = raw.last_mut().expect("paragraph open");
            let hyphenated = current.ends_with('-')
                && current[..current.len() - 1]
                    .chars()
                    .last()
                    .is_some_and(char::is_alphabetic)
                && t.chars().next().is_some_and(char::is_lowercase);
            if hyphenated {
                current.pop();
            } else {
                current.push(' ');
            }
            current.push_str(t);
        } else {
            raw.push(t.to_string());
            last_paragraph = Some(u.paragraph);
        }
    }
    let paragraphs: Vec<String> = raw
        .iter()
        .map(|p| {
            clean(form, p)
                .trim_start_matches([
                    ':', '?', ')', '.', ';', ',', '：', '？', '）', '。', '；', '，',
                ])
                .trim()
                .to_string()
        })
        .filter(|t| t.chars().any(char::is_alphanumeric) || t.contains("://"))
        .collect();
    if paragraphs.is_empty() {
        None
    } else {
        Some(paragraphs.join("\n"))
    }
}

/// Words as Word counts them: runs between white space that hold a letter or
/// digit, except that Chinese and Japanese, written without spaces, count
/// each ideograph and kana as a word.
pub fn word_count(text: Option<&str>) -> usize {
    text.map_or(0, |t| t.split_whitespace().map(words_in_token).sum())
}

fn words_in_token(token: &str) -> usize {
    let mut words = 0;
    let mut run_has_word = false;
    for c in token.chars() {
        if is_ideograph_or_kana(c) {
            words += 1 + usize::from(run_has_word);
            run_has_word = false;
        } else {
            run_has_word |= c.is_alphanumeric();
        }
    }
    words + usize::from(run_has_word)
}

fn is_ideograph_or_kana(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // hiragana, katakana
        | '\u{31F0}'..='\u{31FF}'   // katakana extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}'   // half-width katakana
        | '\u{20000}'..='\u{3134F}' // extensions B to G
    ) && c != '\u{30FB}' // the katakana middle dot is punctuation
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level test agrees with the words `strip_inline` reads: a
    /// text may hold a hint exactly when one of its words starts one.
    #[test]
    fn a_hint_is_looked_for_only_where_a_word_may_start_one() {
        let def = Definition::builtin();
        let form = FormText::new(&def);
        let texts = [
            "Our answer (Max. 250 words) continues",
            "MAXIMUM3 250 words",
            "Please specify",
            "A specific, unified, certified answer",
            "clicking here",
            "3maximum",
            "",
            "   ",
            "Yes. No. N/A",
            "If applicable, describe",
        ];
        for text in texts {
            let by_words = words(text)
                .iter()
                .any(|w| form.inline_starting(&w.norm).next().is_some());
            assert_eq!(form.may_hold_inline(text), by_words, "{text:?}");
        }
        assert!(form.may_hold_inline("Máximo"));
        assert!(!form.may_hold_inline("A specific, unified, certified answer"));
        assert!(form.may_hold_inline("MAXIMUM3 250 words"));
    }

    #[test]
    fn form_text_is_recognised_and_stripped() {
        let def = Definition::builtin();
        let form = FormText::new(&def);
        assert!(form.is_form_text("⁶ Poor, immigrants, older persons, persons with disabilities,"));
        assert!(form.is_form_text("10 Related to SDG Indicator 16.6.2 Proportion of population"));
        assert!(form.is_form_text("Click or tap here to enter text."));
        assert!(!form.is_form_text("We publish open government data on the portal."));
        // Part of a phrase, from any of its words, when three words or more.
        assert!(form.is_form_text("or tap here to"));
        assert!(!form.is_form_text("tap here"));
        // A phrase followed by more words is no longer the phrase.
        assert!(!form.is_form_text("Click or tap here to enter text. We did"));
        assert!(!form.is_form_text("12"));
        assert_eq!(
            clean(&form, "Our answer (Max. 250 words) continues"),
            "Our answer continues"
        );
        assert_eq!(clean(&form, "Other: (Maximum 250 words)"), "Other:");
        assert_eq!(clean(&form, "see <https://x.org/a>"), "see https://x.org/a");
        // A footnote number glued to a hint's first word, and hints one
        // after the other: the longest hint found at each word.
        assert_eq!(
            form.strip_inline("Answer Maximum3 250 words. Click here to enter text. Done"),
            "Answer     Done"
        );
    }

    #[test]
    fn word_counts() {
        assert_eq!(word_count(Some("One two, three - 4")), 4);
        assert_eq!(word_count(None), 0);
        // Chinese and Japanese count by character, Korean by spaced word.
        assert_eq!(word_count(Some("日本政府はデジタル庁を設立しました。")), 17);
        assert_eq!(word_count(Some("国家电子政务战略")), 8);
        assert_eq!(word_count(Some("AI技術とIoT, 2020年")), 7);
        assert_eq!(word_count(Some("전자정부 포털을 운영합니다")), 3);
    }
}
