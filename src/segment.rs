//! Segmenting: where each question's answer lies in the document.
//!
//! Works on the document model only. First the lines are put into a flow of
//! logical lines (the cells of a table row side by side become one line when
//! each cell holds one line, so "☐ | label" and "Name: | value" read as they are
//! seen). Then the definition's anchors (section headings, question prompts,
//! closing lines) are found in order by tolerant word matching; a question's
//! answer is everything from the end of its prompt to the next anchor found.
//! Lettered parts (q2a … q2e) are searched only inside their group, so a short
//! label such as "Health" cannot be taken from another question's answer.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::definition::{Definition, Kind, Question};
use crate::model::{Document, Link};
use crate::text_match::{is_numbering, same_word, words, FieldLabels, Word, LABEL_SEPARATORS};

#[derive(Debug, Clone)]
pub struct FlowLine {
    pub text: String,
    pub page: Option<u32>,
    pub paragraph: u32,
    /// Indices into `Document::marks`, with their offsets in this line.
    pub marks: Vec<(usize, usize)>,
    /// Byte ranges in this line and the link they carry.
    pub links: Vec<FlowLink>,
}

impl FlowLine {
    /// Whether a mark (a tick box) sits in the line at or after byte `from`.
    pub fn has_mark_from(&self, from: usize) -> bool {
        self.marks.iter().any(|(offset, _)| *offset >= from)
    }
}

#[derive(Debug, Clone)]
pub struct FlowLink {
    pub start: usize,
    pub end: usize,
    pub url: String,
}

/// Builds the logical lines of a document.
pub fn flow_lines(doc: &Document) -> Vec<FlowLine> {
    let mut marks_by_line: FxHashMap<usize, Vec<(usize, usize)>> = FxHashMap::default();
    for (i, m) in doc.marks.iter().enumerate() {
        marks_by_line.entry(m.line).or_default().push((m.offset, i));
    }
    let mut links_by_line: FxHashMap<usize, Vec<&Link>> = FxHashMap::default();
    for l in &doc.links {
        links_by_line.entry(l.line).or_default().push(l);
    }
    let single = |i: usize| -> FlowLine {
        let line = &doc.lines[i];
        FlowLine {
            text: line.text.clone(),
            page: line.page,
            paragraph: line.paragraph,
            marks: marks_by_line.get(&i).cloned().unwrap_or_default(),
            links: links_by_line
                .get(&i)
                .map(|ls| {
                    ls.iter()
                        .map(|l| FlowLink {
                            start: l.start,
                            end: l.end,
                            url: l.url.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    };
    let mut out = Vec::with_capacity(doc.lines.len());
    let mut i = 0;
    while i < doc.lines.len() {
        let Some(cell) = doc.lines[i].cell else {
            out.push(single(i));
            i += 1;
            continue;
        };
        // The run of lines belonging to this table row.
        let mut j = i;
        while j < doc.lines.len()
            && doc.lines[j]
                .cell
                .is_some_and(|c| c.table == cell.table && c.row == cell.row)
        {
            j += 1;
        }
        let cells: Vec<u32> = doc.lines[i..j]
            .iter()
            .map(|l| l.cell.expect("cell").col)
            .collect();
        let one_line_per_cell = cells.windows(2).all(|w| w[0] != w[1]);
        if j - i > 1 && one_line_per_cell {
            let mut merged = single(i);
            for k in i + 1..j {
                let next = single(k);
                merged.text.push('\t');
                let shift = merged.text.len();
                merged.text.push_str(&next.text);
                merged
                    .marks
                    .extend(next.marks.into_iter().map(|(o, m)| (o + shift, m)));
                merged
                    .links
                    .extend(next.links.into_iter().map(|l| FlowLink {
                        start: l.start + shift,
                        end: l.end + shift,
                        url: l.url,
                    }));
            }
            out.push(merged);
        } else {
            out.extend((i..j).map(single));
        }
        i = j;
    }
    out
}

/// Where in the flow an answer starts and ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// First line of the answer, and the byte offset in it where the answer
    /// starts (after the prompt when the answer shares its line).
    pub line: usize,
    pub from: usize,
    /// One past the last line.
    pub end: usize,
    /// Line where the prompt starts.
    pub prompt_line: usize,
}

#[derive(Debug, Clone)]
pub struct Segments {
    /// Lines before the first section: the cover page.
    pub cover_end: usize,
    pub regions: FxHashMap<String, Region>,
}

/// The position just after a matched prompt.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PromptEnd {
    line: usize,
    offset: usize,
}

enum Anchor<'d> {
    Section(&'d str),
    Question(&'d Question),
    Closing(&'d str),
}

struct Matcher<'a> {
    lines: &'a [FlowLine],
    words: Vec<Vec<Word>>,
}

/// Words that may stand before a heading's or a prompt's own words, with the
/// numbering: "Section II: …", "Part 2", "Question 1:".
const LEAD_WORDS: &[&str] = &["question", "section", "part"];

/// Prompts up to this many words must fill their line (a heading, "Health");
/// longer prompts may be followed by an answer on the same line.
const SHORT_PROMPT: usize = 4;
/// How many words of a long prompt must match.
const MATCH_WORDS: usize = 6;
/// How many lines one prompt may be broken over (more for a prompt of more
/// than twice as many words).
const PROMPT_LINES: usize = 4;

impl<'a> Matcher<'a> {
    fn new(lines: &'a [FlowLine]) -> Self {
        Matcher {
            lines,
            words: lines.iter().map(|l| words(&l.text)).collect(),
        }
    }

    /// Matches `prompt` at the start of line `i` (after list numbering).
    fn match_at(&self, i: usize, prompt: &[String], whole_line: bool) -> Option<PromptEnd> {
        if prompt.is_empty() {
            return None;
        }
        let first = &self.words[i];
        let mut wi = 0;
        while wi < first.len().min(3)
            && (is_numbering(&first[wi].norm) || LEAD_WORDS.contains(&first[wi].norm.as_str()))
            && !same_word(&first[wi].norm, &prompt[0])
        {
            wi += 1;
        }
        let need = if prompt.len() <= SHORT_PROMPT {
            prompt.len()
        } else {
            MATCH_WORDS.min(prompt.len())
        };
        let mut li = i;
        let mut pos = 0;
        let mut last: Option<PromptEnd> = None;
        let mut broke_mid_line = false;
        loop {
            let ws = &self.words[li];
            if wi >= ws.len() {
                // A narrow table cell breaks a long prompt over many lines.
                let max_lines = PROMPT_LINES.max(prompt.len() / 2);
                if pos == prompt.len() || li + 1 >= self.lines.len() || li + 1 - i >= max_lines {
                    break;
                }
                li += 1;
                wi = 0;
                continue;
            }
            if pos == prompt.len() {
                break;
            }
            if same_word(&ws[wi].norm, &prompt[pos]) {
                last = Some(PromptEnd {
                    line: li,
                    offset: ws[wi].end,
                });
                pos += 1;
                wi += 1;
            } else {
                broke_mid_line = last.is_some_and(|l| l.line == li);
                break;
            }
        }
        let end = last?;
        if pos < need {
            return None;
        }
        let rest = &self.lines[end.line].text[end.offset..];
        if prompt.len() <= SHORT_PROMPT || whole_line {
            // A short prompt is a label on its own line, maybe followed by the
            // answer after a colon or a tab.
            let rest_words = words(rest);
            let only_trailing_marks = rest_words
                .iter()
                .all(|w| w.norm.chars().all(|c| c.is_ascii_digit()));
            let separated = rest
                .trim_start_matches([' ', '?', '.', ')', '？', '）'])
                .starts_with(LABEL_SEPARATORS);
            if !(only_trailing_marks || (!whole_line && separated)) {
                return None;
            }
        }
        if pos < prompt.len() && broke_mid_line {
            // The printed prompt differs from the definition's wording here:
            // the rest of this line is still prompt.
            return Some(PromptEnd {
                line: end.line,
                offset: self.lines[end.line].text.len(),
            });
        }
        Some(end)
    }

    /// The question number printed at the start of line `i` ("13." or
    /// "Q13"), if any.
    fn printed_number(&self, i: usize) -> Option<&str> {
        let first = self.words[i].first()?;
        let digits = first.norm.strip_prefix('q').unwrap_or(&first.norm);
        (!digits.is_empty() && digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit()))
            .then_some(digits)
    }

    fn find(
        &self,
        from: usize,
        to: usize,
        prompt: &[String],
        whole_line: bool,
    ) -> Option<(usize, PromptEnd)> {
        (from..to).find_map(|i| self.match_at(i, prompt, whole_line).map(|e| (i, e)))
    }

    /// A prompt reworded a little (a word added, dropped or changed, as
    /// respondents and other editions of the form do): most of its first
    /// words, in order, at the start of line `i` or of the lines after it.
    ///
    /// A line printed with the question's own number (`number`) needs only
    /// half of those words, anywhere in its first half: the number says
    /// which question it is, the words that it is a question and not a
    /// numbered item of an answer.
    fn match_fuzzy(&self, i: usize, prompt: &[String], number: &str) -> Option<(usize, PromptEnd)> {
        if prompt.len() <= SHORT_PROMPT {
            return None;
        }
        let key = &prompt[..prompt.len().min(FUZZY_WORDS)];
        // The words of up to three lines, each with its line.
        let mut window: Vec<(usize, &Word)> = Vec::new();
        for li in i..(i + 3).min(self.lines.len()) {
            window.extend(self.words[li].iter().map(|w| (li, w)));
            if window.len() >= key.len() + FUZZY_WORDS / 2 {
                break;
            }
        }
        let skip = window
            .iter()
            .take(3)
            .take_while(|(_, w)| is_numbering(&w.norm) || LEAD_WORDS.contains(&w.norm.as_str()))
            .count();
        let window = &window[skip..window.len().min(skip + key.len() + FUZZY_WORDS / 2)];
        // Longest common subsequence of the key and the window.
        let (n, m) = (key.len(), window.len());
        let mut table = vec![vec![0usize; m + 1]; n + 1];
        for a in 0..n {
            for b in 0..m {
                table[a + 1][b + 1] = if same_word(&window[b].1.norm, &key[a]) {
                    table[a][b] + 1
                } else {
                    table[a][b + 1].max(table[a + 1][b])
                };
            }
        }
        let numbered = self.printed_number(i) == Some(number);
        let enough = if numbered {
            table[n][m] * 2 >= n
        } else {
            table[n][m] * 4 >= n * 3
        };
        if !enough {
            return None;
        }
        // The last window word in the common subsequence ends the match; the
        // first must be near the start of the line (the question starts it).
        let (mut a, mut b) = (n, m);
        let mut last = None;
        let mut first = usize::MAX;
        while a > 0 && b > 0 {
            if same_word(&window[b - 1].1.norm, &key[a - 1])
                && table[a][b] == table[a - 1][b - 1] + 1
            {
                last.get_or_insert(b - 1);
                first = b - 1;
                a -= 1;
                b -= 1;
            } else if table[a - 1][b] >= table[a][b - 1] {
                a -= 1;
            } else {
                b -= 1;
            }
        }
        if first > if numbered { n / 2 } else { 2 } {
            return None;
        }
        let (line, word) = window[last?];
        // The rest of a longer prompt fills the rest of its line.
        let offset = if prompt.len() > key.len() {
            self.lines[line].text.len()
        } else {
            word.end
        };
        // The prompt starts on the line of its first word matched, which
        // may be the line after `i`.
        Some((window[first].0, PromptEnd { line, offset }))
    }

    fn find_fuzzy(
        &self,
        from: usize,
        to: usize,
        prompt: &[String],
        number: &str,
    ) -> Option<(usize, PromptEnd)> {
        (from..to).find_map(|i| self.match_fuzzy(i, prompt, number))
    }
}

/// Words of a prompt compared when it is matched loosely; three quarters of
/// them must be there, in order.
const FUZZY_WORDS: usize = 12;
/// How far past the last anchor a loosely matched prompt is looked for.
const FUZZY_REACH: usize = 80;

pub fn segment(lines: &[FlowLine], def: &Definition) -> Segments {
    let matcher = Matcher::new(lines);
    let mut anchors: Vec<Anchor> = Vec::new();
    for s in &def.sections {
        anchors.push(Anchor::Section(&s.heading));
        for q in &s.questions {
            anchors.push(Anchor::Question(q));
        }
    }
    for c in &def.closing {
        anchors.push(Anchor::Closing(c));
    }

    // The prompts by question number, to know another question's printed
    // prompt ("If yes, do you publish results online …" follows both q10
    // and q12; q19 and q20 differ in their last words).
    let prompts_by_number: FxHashMap<&str, Cow<[String]>> = def
        .sections
        .iter()
        .flat_map(|s| &s.questions)
        .filter_map(|q| Some((q.number.as_str(), def.words_of(q.prompt.as_deref()?))))
        .collect();
    // Found anchors in document order: (start line, end of prompt, question).
    let mut found: Vec<(usize, PromptEnd, Option<&Question>)> = Vec::new();
    let mut cursor = 0;
    let mut last_end: Option<PromptEnd> = None;
    for anchor in &anchors {
        let hit = match anchor {
            Anchor::Section(h) => matcher
                .find(cursor, lines.len(), &def.words_of(h), true)
                .map(|(s, e)| (s, e, None)),
            Anchor::Closing(c) => {
                let phrase = def.words_of(c);
                matcher
                    .find(
                        cursor,
                        lines.len(),
                        &phrase[..phrase.len().min(MATCH_WORDS)],
                        false,
                    )
                    .map(|(s, e)| (s, e, None))
            }
            Anchor::Question(q) => match &q.prompt {
                Some(p) => {
                    let prompt = def.words_of(p);
                    // The prompt comes before the next question's: the search
                    // ends at a line printed with another question's number
                    // and prompt, however much that reads like this one.
                    let fence = (cursor..lines.len())
                        .find(|&i| {
                            matcher.printed_number(i).is_some_and(|n| {
                                n != q.number
                                    && prompts_by_number.get(n).is_some_and(|other| {
                                        matcher.match_at(i, other, false).is_some()
                                    })
                            })
                        })
                        .unwrap_or(lines.len());
                    let reach = (cursor + FUZZY_REACH).min(fence);
                    matcher
                        .find(cursor, fence, &prompt, false)
                        .or_else(|| matcher.find_fuzzy(cursor, reach, &prompt, &q.number))
                        // A loose match may start on a line after the one tried.
                        .filter(|&(start, _)| start < fence)
                        .map(|(s, e)| (s, e, Some(*q)))
                }
                // No prompt of its own: the answer starts after the heading;
                // a contact block whose heading was left out starts at its
                // first labelled line ("Name: …").
                None => last_end
                    .filter(|e| e.line >= cursor.saturating_sub(1))
                    .or_else(|| {
                        (q.kind == Kind::Contact)
                            .then(|| {
                                let to = (cursor + FUZZY_REACH).min(lines.len());
                                first_contact_line(&lines[cursor..to], def)
                            })
                            .flatten()
                            .map(|i| PromptEnd {
                                line: cursor + i,
                                offset: 0,
                            })
                    })
                    .map(|e| (e.line, e, Some(*q))),
            },
        };
        if let Some((start, end, q)) = hit {
            found.push((start, end, q));
            cursor = end.line + 1;
            last_end = Some(end);
        } else if matches!(anchor, Anchor::Section(_)) {
            last_end = None;
        }
    }

    let cover_end = found.first().map_or(lines.len(), |f| f.0);
    let mut regions = FxHashMap::default();
    for (k, (start, end, q)) in found.iter().enumerate() {
        let Some(q) = q else { continue };
        let next_start = found
            .iter()
            .skip(k + 1)
            .map(|f| f.0)
            .find(|&s| s > end.line)
            .unwrap_or(lines.len());
        let region = Region {
            line: end.line,
            from: end.offset,
            end: next_start.max(end.line + 1),
            prompt_line: *start,
        };
        if q.kind == Kind::Group {
            segment_parts(&matcher, def, q, region, &mut regions);
        } else {
            regions.insert(q.id.clone(), region);
        }
    }
    Segments { cover_end, regions }
}

/// The first of `lines` that starts with a contact field's label and a colon
/// or tab ("Name:", "E-mail\t…").
fn first_contact_line(lines: &[FlowLine], def: &Definition) -> Option<usize> {
    let labels = FieldLabels::new(def, &def.contact_fields);
    lines.iter().position(|line| {
        labels.field_at(&line.text).is_some_and(|(_, end)| {
            let rest = &line.text[end..];
            rest.trim_start_matches(' ').starts_with([':', '：', '\t'])
        })
    })
}

/// Finds the lettered parts of a group inside the group's region.
fn segment_parts(
    matcher: &Matcher,
    def: &Definition,
    group: &Question,
    region: Region,
    out: &mut FxHashMap<String, Region>,
) {
    let mut hits: Vec<(usize, PromptEnd, &Question)> = Vec::new();
    let mut cursor = region.line + usize::from(region.from > 0);
    for part in &group.parts {
        let Some(prompt) = &part.prompt else { continue };
        if let Some((s, e)) = matcher.find(cursor, region.end, &def.words_of(prompt), false) {
            hits.push((s, e, part));
            cursor = e.line + 1;
        }
    }
    for (k, (start, end, part)) in hits.iter().enumerate() {
        let next = hits.get(k + 1).map_or(region.end, |h| h.0);
        out.insert(
            part.id.clone(),
            Region {
                line: end.line,
                from: end.offset,
                end: next.max(end.line + 1),
                prompt_line: *start,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readers::text;

    fn regions(dump: &str) -> FxHashMap<String, Region> {
        let doc = text::read("t.txt", dump.as_bytes());
        segment(&flow_lines(&doc), &Definition::builtin()).regions
    }

    #[test]
    fn reworded_prompts_are_still_found() {
        let r = regions(
            "I. Institutional Framework\n\
             1. Which is the official e-government portal at national level? Please list all.\n\
             portal https://gov.example/\n\
             3. Please provide the name(s) and URL(s) of the government agency in charge of e-government.\n\
             agency https://agency.example/\n",
        );
        assert_eq!(r["q1"].line, 1, "{r:?}");
        assert_eq!(r["q3"].line, 3, "{r:?}");
    }

    #[test]
    fn a_prompt_reworded_more_is_found_by_its_printed_number() {
        // Half of q10's words, after three new ones: found beside "10.";
        // the same words in an answer, under another number, are not q12.
        let r = regions(
            "IV. Usage of online services\n\
             10. Does your government collect usage statistics of e-government services?\n\
             Yes\n\
             11. If yes, do you publish results online and share those with the public institutions concerned?\n\
             3. Does the ministry measure satisfaction of citizens?\n\
             V. User satisfaction\n\
             12. Is the satisfaction of citizens with e-government services measured?\n\
             No\n",
        );
        assert_eq!(r["q10"].prompt_line, 1, "{r:?}");
        assert_eq!(r["q10"].end, 3, "{r:?}");
        assert_eq!(r["q12"].prompt_line, 6, "{r:?}");
    }

    #[test]
    fn headings_with_section_words_bound_the_answers() {
        let r = regions(
            "SECTION I: INSTITUTIONAL FRAMEWORK\n\
             1. What is the official e-government portal at the national level? If more than one, please list all.\n\
             portal https://gov.example/\n\
             SECTION II: STRATEGY AND IMPLEMENTATION\n\
             6. Is there a national development strategy incorporating the Sustainable Development Goals (SDGs)?\n",
        );
        assert_eq!(r["q1"].end, 3, "the heading ends q1's answer: {r:?}");
        assert_eq!(r["q6"].prompt_line, 4);
    }

    #[test]
    fn answers_quoting_a_prompt_do_not_take_its_place() {
        // The prompt's words far into a line of an answer are not a prompt.
        let r = regions(
            "I. Institutional Framework\n\
             1. What is the official e-government portal at the national level? If more than one, please list all.\n\
             We were asked what is the official e-government portal at the national level and answered.\n",
        );
        assert_eq!(r["q1"].prompt_line, 1);
    }

    #[test]
    fn a_contact_block_without_its_heading_starts_at_its_first_label() {
        let r = regions(
            "24. Are there any ongoing public-private partnerships and multistakeholder partnerships, focusing on e-government?\n\
             Funding and skills.\n\
             Name: Liam O'Connor\n\
             Title: Government CIO\n",
        );
        assert_eq!(r["q24"].end, 2, "{r:?}");
        assert_eq!((r["respondent"].line, r["respondent"].from), (2, 0));
    }

    #[test]
    fn a_prompt_two_questions_share_goes_by_its_printed_number() {
        // q11 and q13 print the same prompt; with q11 left out, "13." is
        // q13's, and q12 before it is still found.
        let r = regions(
            "10. Do you collect usage statistics of e-government services?\n\
             Yes\n\
             12. Do you measure satisfaction of citizens on e-government services?\n\
             No\n\
             13. If yes, do you publish results online and share those with the public institutions concerned?\n\
             We do.\n",
        );
        assert!(!r.contains_key("q11"), "{r:?}");
        assert_eq!(r["q12"].prompt_line, 2, "{r:?}");
        assert_eq!(r["q13"].prompt_line, 4, "{r:?}");
    }

    #[test]
    fn a_left_out_question_is_not_found_in_the_next_ones_prompt() {
        // q19 left out: q20's prompt reads nearly as q19's, but "20." is
        // q20's; and q6 left out is not found among q8's option labels.
        let r = regions(
            "18. What percentage of your GDP is allocated for ICT investment in the public sector?\n\
             Yes.\n\
             20. What is the proportion of persons employed in central government organizations routinely using the Internet? (Maximum 250 words)\n\
             Most of them.\n",
        );
        assert!(!r.contains_key("q19"), "{r:?}");
        assert_eq!(r["q20"].prompt_line, 2, "{r:?}");
        let r = regions(
            "II. Strategy and Implementation\n\
             7. Is there a national e-government strategy/digital readiness strategy or equivalent? (Maximum 250 words)\n\
             A strategy.\n\
             8. Please check whichever applies.\n\
             [X] is aligned with the national development strategy\n\
             [X] is aligned with the Sustainable Development Goals (SDGs).\n",
        );
        assert!(!r.contains_key("q6"), "{r:?}");
        assert_eq!((r["q7"].prompt_line, r["q8"].prompt_line), (1, 3), "{r:?}");
    }
}
