//! Check-box options: where each option's label is, and which marks belong to it.
//!
//! A mark belongs to the label beside it: the label right after it ("☒ Yes"),
//! or right before it ("Yes ☒"), or at the start of the next line when the mark
//! ends its line (a box in a cell of its own). When both readings are possible
//! the layout the question uses elsewhere decides, mark-before-label by default.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use super::passage::{FormText, Piece};
use crate::definition::{Definition, OptionDef, Question};
use crate::model::{Mark, MarkSource};
use crate::segment::FlowLine;
use crate::text_match::{common_prefix, norms, same_word, strip_parenthetical, words, Word};

/// Where an option's label was found.
#[derive(Debug, Clone, Copy)]
pub struct LabelHit {
    pub option: usize,
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Default)]
pub struct OptionLayout {
    pub hits: Vec<LabelHit>,
    /// Lines holding option labels (and their wrapped continuations): not part
    /// of the explanation text.
    pub option_lines: HashSet<usize>,
    /// Free text after the "Other" label, per line.
    pub other_text: Vec<(usize, usize)>,
    /// Answers typed after an option's label on a line without boxes.
    pub typed_after: Vec<TypedAfter>,
}

/// An answer typed after an option's label in place of a box: "X" (chosen),
/// or for a checklist the yes/no questions' own labels ("Blockchain: Yes",
/// "Big data\tNo").
#[derive(Debug, Clone)]
pub struct TypedAfter {
    pub option: usize,
    pub checked: bool,
    pub typed: String,
}

impl TypedAfter {
    /// The answer typed after a label, when `rest` (what follows the label on
    /// its line) is nothing but one.
    fn read(option: usize, rest: &str, yes_no: Option<(&str, &str)>) -> Option<TypedAfter> {
        // What the label's words leave: its closing bracket, separators.
        let typed = rest
            .trim_start_matches([')', ']', ' ', '\t', ':', '：', '-', '–', '—', '='])
            .trim();
        let checked = if typed.eq_ignore_ascii_case("x") {
            true
        } else {
            let (yes, no) = yes_no?;
            let said = norms(typed);
            if said.is_empty() {
                return None;
            } else if said == norms(yes) {
                true
            } else if said == norms(no) {
                false
            } else {
                return None;
            }
        };
        Some(TypedAfter {
            option,
            checked,
            typed: typed.to_string(),
        })
    }

    /// An "X" marks the chosen options only: the others are unticked.
    pub fn marks_choices_only(typed: &[TypedAfter]) -> bool {
        typed.iter().any(|t| t.typed.eq_ignore_ascii_case("x"))
    }
}

/// The labels found on one line.
#[derive(Default)]
struct LineMatch {
    hits: Vec<LabelHit>,
    /// Words consumed by labels.
    cursor: usize,
    /// Where the text after the "Other" label begins.
    other_from: Option<usize>,
    /// The form (in `label_forms`) of a label that runs on below the line.
    wrapped: Option<usize>,
}

/// Words of a long label that must match; a label of up to this many words
/// must match whole.
const LABEL_WORDS: usize = 5;

/// Finds the options' labels in the pieces. `yes_no` are the labels a
/// checklist's option may be answered with after its label ("Blockchain:
/// Yes"); `None` for a yes/no question, whose own options they are.
pub fn find_labels(
    lines: &[FlowLine],
    pieces: &[Piece],
    question: &Question,
    yes_no: Option<(&str, &str)>,
    form: &FormText,
) -> OptionLayout {
    let (options, other_option) = (&question.options[..], question.other_option.as_deref());
    let forms = form.label_forms(question);
    let mut layout = OptionLayout::default();
    let mut matched = vec![false; options.len()];
    let mut continuation_lines: HashSet<usize> = HashSet::new();
    for (pi, piece) in pieces.iter().enumerate() {
        if continuation_lines.contains(&piece.line) {
            layout.option_lines.insert(piece.line);
            continue;
        }
        let line = &lines[piece.line];
        let ws: Vec<Word> = words(&line.text[piece.from..piece.to])
            .into_iter()
            .map(|w| Word {
                norm: w.norm,
                start: w.start + piece.from,
                end: w.end + piece.from,
            })
            .collect();
        let has_marks = line.has_mark_from(piece.from);
        let matcher = LabelMatcher {
            forms: &forms,
            matched: &matched,
            options,
            other_option,
            lines,
            below: &pieces[pi + 1..],
            line: piece.line,
            has_marks,
        };
        let mut m = matcher.match_words(&ws);
        let mut typed_after = None;
        let read_whole = |m: &LineMatch, ws: &[Word]| {
            !m.hits.is_empty() && m.hits[0].start == ws[0].start && m.cursor >= ws.len()
        };
        if !has_marks && ws.len() > 1 && !read_whole(&m, &ws) {
            // An answer typed in the cell beside a label that wraps in its
            // own: a PDF reads it at the end of the label's first line,
            // before the rest of the label ("makes specific reference to
            // the use No" / "of social media in the government.").
            let (last, label_words) = ws.split_last().expect("two words or more");
            let retry = matcher.match_words(label_words);
            if let [only] = retry.hits[..] {
                let answer =
                    TypedAfter::read(only.option, &line.text[last.start..last.end], yes_no);
                if answer.is_some() && read_whole(&retry, label_words) {
                    typed_after = answer;
                    m = retry;
                }
            }
        }
        let LineMatch {
            hits,
            cursor,
            mut other_from,
            wrapped,
        } = m;
        if hits.is_empty() {
            continue;
        }
        let all_words_are_labels = cursor >= ws.len() || typed_after.is_some();
        let starts_line = hits[0].start == ws[0].start;
        if typed_after.is_none() {
            typed_after = match hits[..] {
                [only] if !has_marks && starts_line && !all_words_are_labels => {
                    // Form hints between ("Other: (Max. 250 words)\tNo") are no answer.
                    let rest =
                        form.strip_inline(&line.text[only.end..piece.to.min(line.text.len())]);
                    TypedAfter::read(only.option, &rest, yes_no)
                }
                _ => None,
            };
        }
        if typed_after.is_some() {
            // "Other: No" answers the option; it does not name another.
            other_from = None;
        }
        let accepted = has_marks
            || (starts_line && (all_words_are_labels || other_from.is_some()))
            || typed_after.is_some();
        if !accepted {
            continue;
        }
        layout.typed_after.extend(typed_after);
        for h in &hits {
            matched[h.option] = true;
        }
        let mut continued: Vec<LabelHit> = Vec::new();
        if let Some(f) = wrapped {
            // The label runs on over the next lines (a long label, wrapped).
            let (i, label) = &forms[f];
            let i = *i;
            let consumed = hits
                .last()
                .map_or(0, |h| words(&line.text[h.start..h.end]).len());
            let below = continuation(lines, &pieces[pi + 1..], &label[consumed..]);
            for c in &below {
                continuation_lines.insert(c.line);
                // Where the label goes on: a box after it ("… behind ☐")
                // sits on this line.
                continued.push(LabelHit {
                    option: i,
                    line: c.line,
                    start: c.start,
                    end: c.end,
                });
            }
            // An answer typed in the cell beside a label wrapped in its own
            // cell: a PDF reads the row's other cell after the label's lines.
            let after = pieces.get(pi + 1 + below.len());
            let unmarked = !has_marks && below.iter().all(|c| !lines[c.line].has_mark_from(0));
            let answered = layout.typed_after.iter().any(|t| t.option == i);
            if let Some(next) = after.filter(|_| unmarked && !answered && !below.is_empty()) {
                let typed = TypedAfter::read(i, &lines[next.line].text[next.from..next.to], yes_no);
                if typed.is_some() {
                    continuation_lines.insert(next.line);
                    layout.typed_after.extend(typed);
                    other_from = None;
                }
            }
        }
        layout.option_lines.insert(piece.line);
        if let Some(from) = other_from {
            layout.other_text.push((piece.line, from));
        }
        layout.hits.extend(hits);
        layout.hits.extend(continued);
    }
    layout
}

/// Matches option labels against the words of one line.
struct LabelMatcher<'a> {
    forms: &'a [LabelForm],
    /// Options already found on earlier lines.
    matched: &'a [bool],
    options: &'a [OptionDef],
    other_option: Option<&'a str>,
    lines: &'a [FlowLine],
    /// The pieces after the line's, where a wrapped label goes on.
    below: &'a [Piece],
    line: usize,
    has_marks: bool,
}

impl LabelMatcher<'_> {
    /// The labels in `ws`, left to right. On a line with boxes, words that
    /// are no label are skipped; otherwise matching stops at the first.
    fn match_words(&self, ws: &[Word]) -> LineMatch {
        let mut m = LineMatch::default();
        while m.cursor < ws.len() {
            let cursor = m.cursor;
            // The longest match wins; a label wrapped at the end of the line
            // counts the words it goes on with below, which tells labels
            // apart that begin alike ("makes specific reference to the …").
            let best = self
                .forms
                .iter()
                .enumerate()
                .filter(|(_, (i, _))| !self.matched[*i] && !m.hits.iter().any(|h| h.option == *i))
                .filter_map(|(f, (_, label))| {
                    let n = label_prefix(&ws[cursor..], label);
                    let need = label.len().min(LABEL_WORDS);
                    let runs_to_line_end = cursor + n == ws.len();
                    if !(n == label.len() || n >= need || (runs_to_line_end && n >= 3)) {
                        return None;
                    }
                    let below: usize = if runs_to_line_end && n < label.len() {
                        continuation(self.lines, self.below, &label[n..])
                            .iter()
                            .map(|c| c.words)
                            .sum()
                    } else {
                        0
                    };
                    Some((f, n, n + below))
                })
                .max_by_key(|&(_, _, score)| score)
                .map(|(f, n, _)| (f, n));
            match best {
                Some((f, n)) => {
                    let i = self.forms[f].0;
                    let hit = LabelHit {
                        option: i,
                        line: self.line,
                        start: ws[cursor].start,
                        end: ws[cursor + n - 1].end,
                    };
                    m.hits.push(hit);
                    if n < self.forms[f].1.len() && cursor + n == ws.len() {
                        m.wrapped = Some(f);
                    }
                    m.cursor += n;
                    if self.other_option == Some(self.options[i].id.as_str()) {
                        m.other_from = Some(hit.end);
                        break;
                    }
                }
                None if self.has_marks => m.cursor += 1,
                None => break,
            }
        }
        m
    }
}

/// An option (its index) and words its label may be written with.
pub type LabelForm = (usize, Vec<String>);

/// The words each option's label may be written with, as (option, words):
/// the label as the form prints it; without what it puts in brackets
/// ("Artificial Intelligence" for "Artificial Intelligence (AI)"); and a
/// bracketed abbreviation alone ("IOT").
pub fn label_forms(options: &[OptionDef]) -> Vec<LabelForm> {
    let mut forms = Vec::new();
    for (i, o) in options.iter().enumerate() {
        let printed = norms(&o.label);
        let plain = norms(&strip_parenthetical(&o.label));
        if !plain.is_empty() && plain != printed {
            forms.push((i, plain));
        }
        let bracketed = o.label.split('(').skip(1).filter_map(|b| b.split_once(')'));
        for (b, _) in bracketed {
            let is_abbreviation = b.len() <= 5
                && b.chars().filter(|c| c.is_uppercase()).count() >= 2
                && b.chars().all(char::is_alphanumeric);
            if is_abbreviation {
                forms.push((i, norms(b)));
            }
        }
        forms.push((i, printed));
    }
    forms
}

/// How many words of `label` start `doc`, a word of the document standing
/// for a label word also in the other number ("Smart city", "Smart cities").
fn label_prefix(doc: &[Word], label: &[String]) -> usize {
    doc.iter()
        .zip(label)
        .take_while(|(d, l)| same_word(&d.norm, l) || singular(&d.norm) == singular(l))
        .count()
}

/// An English word without its plural ending: "cities" → "city".
fn singular(word: &str) -> &str {
    if word.len() > 4 && word.ends_with("ies") {
        // "cities" and "city" share "cit".
        &word[..word.len() - 3]
    } else if word.len() > 3
        && (word.ends_with('y') || (word.ends_with('s') && !word.ends_with("ss")))
    {
        &word[..word.len() - 1]
    } else {
        word
    }
}

/// Part of a wrapped label found on a following line.
struct Continued {
    line: usize,
    /// Byte range of the label's words in the line.
    start: usize,
    end: usize,
    words: usize,
}

/// Where the rest of a label wrapped at the end of its line goes on, over
/// the `following` pieces: each must begin with the next words of `rest`
/// (two at least, or all that is left); a line that holds more than the
/// label's words ends it.
fn continuation(lines: &[FlowLine], following: &[Piece], rest: &[String]) -> Vec<Continued> {
    let mut out = Vec::new();
    let mut consumed = 0;
    for next in following {
        let rest = &rest[consumed..];
        if rest.is_empty() {
            break;
        }
        let next_words = words(&lines[next.line].text[next.from..next.to]);
        let n = common_prefix(&next_words, rest);
        if n < rest.len().min(2) {
            break;
        }
        out.push(Continued {
            line: next.line,
            start: next.from + next_words[0].start,
            end: next.from + next_words[n - 1].end,
            words: n,
        });
        consumed += n;
        if n < next_words.len() {
            break;
        }
    }
    out
}

/// The option a respondent typed as the answer instead of ticking a box
/// ("Yes", "No, not yet.", or a drop-down's value): the answer's first line
/// begins with one option's whole label, followed by nothing or by
/// punctuation, and no box is in the answer at all. Returns the option and
/// the label as typed.
pub fn typed_choice(
    lines: &[FlowLine],
    pieces: &[Piece],
    def: &Definition,
    options: &[OptionDef],
) -> Option<(usize, String)> {
    if pieces.iter().any(|p| lines[p.line].has_mark_from(p.from)) {
        return None;
    }
    let labels: Vec<Cow<[String]>> = options.iter().map(|o| def.words_of(&o.label)).collect();
    let texts: Vec<&str> = pieces
        .iter()
        .map(|p| &lines[p.line].text[p.from..p.to])
        .collect();
    // The first piece with words: the prompt's own "?" may come first.
    let (first, text, ws) = texts.iter().enumerate().find_map(|(k, text)| {
        let ws = words(text);
        (!ws.is_empty()).then_some((k, *text, ws))
    })?;
    let mut typed = labels.iter().enumerate().filter_map(|(i, label)| {
        if label.is_empty() || common_prefix(&ws, label) != label.len() {
            return None;
        }
        let (start, end) = (ws[0].start, ws[label.len() - 1].end);
        let after = text[end..].trim_start();
        let ends_answer =
            after.is_empty() || after.starts_with(['.', ',', ';', ':', '!', '-', '–', '—']);
        ends_answer.then(|| (i, text[start..end].to_string()))
    });
    let choice = typed.next()?;
    // Two labels fit ("No" and "No, not yet" both typed as options): no choice.
    if typed.next().is_some() {
        return None;
    }
    // Another option's label alone on a later line (or with an X after
    // it): the options listed one to a line, not one typed.
    let listed = texts[first + 1..].iter().any(|text| {
        let ws = words(text);
        labels.iter().enumerate().any(|(i, label)| {
            let rest = ws.get(label.len()..).unwrap_or_default();
            i != choice.0
                && !label.is_empty()
                && common_prefix(&ws, label) == label.len()
                && (rest.is_empty() || (rest.len() == 1 && rest[0].norm == "x"))
        })
    });
    (!listed).then_some(choice)
}

/// The state of one option, from the marks given to it.
#[derive(Debug, Clone, Default)]
pub struct OptionMarks {
    pub marks: Vec<usize>,
    /// Where each mark sits: its flow line (a table row's cells are one)
    /// and its offset there.
    pub places: Vec<(usize, usize)>,
}

impl OptionMarks {
    /// The option's two marks when they sit side by side on one line (a
    /// row of a "Yes | No" column pair), in reading order.
    pub fn side_by_side(&self) -> Option<(usize, usize)> {
        let ([a, b], [(line_a, at_a), (line_b, at_b)]) = (&self.marks[..], &self.places[..]) else {
            return None;
        };
        (line_a == line_b).then(|| if at_a <= at_b { (*a, *b) } else { (*b, *a) })
    }
}

/// Gives each mark in the pieces to the option label beside it: the marks of
/// each option, by option index.
pub fn assign_marks(
    lines: &[FlowLine],
    pieces: &[Piece],
    layout: &OptionLayout,
    form: &FormText,
) -> BTreeMap<usize, OptionMarks> {
    // Form hints between a label and its box ("Other: (Max. 250 words) ☐")
    // separate them no more than spaces do.
    let only_separators = |line: usize, a: usize, b: usize| -> bool {
        let text = &lines[line].text;
        a <= b
            && !form
                .strip_inline(&text[a.min(text.len())..b.min(text.len())])
                .chars()
                .any(char::is_alphanumeric)
    };
    // (mark index, following label, preceding label)
    let mut candidates: Vec<(usize, Option<usize>, Option<usize>)> = Vec::new();
    // Where each candidate's mark sits: (flow line, offset).
    let mut places: Vec<(usize, usize)> = Vec::new();
    for (pi, piece) in pieces.iter().enumerate() {
        let line = &lines[piece.line];
        for &(offset, mark) in &line.marks {
            if offset < piece.from {
                continue;
            }
            let on_line: Vec<&LabelHit> = layout
                .hits
                .iter()
                .filter(|h| h.line == piece.line)
                .collect();
            // A box inside a label's words: the label wrapped in its table
            // cell and the PDF's reading order put the boxes of the row
            // after its first line ("… digital development ☐ ☒ strategy.").
            if let Some(h) = on_line.iter().find(|h| h.start < offset && offset < h.end) {
                candidates.push((mark, Some(h.option), Some(h.option)));
                places.push((piece.line, offset));
                continue;
            }
            let mut following = on_line
                .iter()
                .find(|h| h.start >= offset && only_separators(piece.line, offset, h.start))
                .map(|h| h.option);
            if following.is_none()
                && only_separators(piece.line, offset, line.text.len())
                && only_separators(piece.line, piece.from, offset)
            {
                // A box alone on its line: the label starts the next.
                if let Some(next) = pieces.get(pi + 1) {
                    following = layout
                        .hits
                        .iter()
                        .find(|h| {
                            h.line == next.line && only_separators(next.line, next.from, h.start)
                        })
                        .map(|h| h.option);
                }
            }
            let mut preceding = on_line
                .iter()
                .rev()
                .find(|h| h.end <= offset && only_separators(piece.line, h.end, offset))
                .map(|h| h.option);
            if preceding.is_none() && only_separators(piece.line, piece.from, offset) && pi > 0 {
                // A box first on its line, the label before it ending the line
                // above with no box of its own: the box wrapped ("Smart
                // cities" / "☐").
                let prev = &pieces[pi - 1];
                let prev_line = &lines[prev.line];
                let end = prev.to.min(prev_line.text.len());
                preceding = layout
                    .hits
                    .iter()
                    .filter(|h| h.line == prev.line && h.end <= end)
                    .max_by_key(|h| h.end)
                    .filter(|h| {
                        only_separators(prev.line, h.end, end)
                            && !prev_line
                                .marks
                                .iter()
                                .any(|(o, _)| *o >= h.end && *o <= end)
                    })
                    .map(|h| h.option);
            }
            candidates.push((mark, following, preceding));
            places.push((piece.line, offset));
        }
    }
    let before = candidates
        .iter()
        .filter(|c| c.1.is_some() && c.2.is_none())
        .count();
    let after = candidates
        .iter()
        .filter(|c| c.1.is_none() && c.2.is_some())
        .count();
    let mut by_option: BTreeMap<usize, OptionMarks> = BTreeMap::new();
    for ((mark, following, preceding), place) in candidates.iter().zip(places) {
        let chosen = match (following, preceding) {
            (Some(f), Some(p)) => Some(if after > before { *p } else { *f }),
            (Some(f), None) => Some(*f),
            (None, Some(p)) => Some(*p),
            (None, None) => None,
        };
        if let Some(option) = chosen {
            let marks = by_option.entry(option).or_default();
            marks.marks.push(*mark);
            marks.places.push(place);
        }
    }
    by_option
}

/// A checklist laid out as a "Yes | No" column pair: a header line naming
/// the two answers, then each option's row with a box under each.
pub struct AnswerColumns {
    /// The header and its repeats (a table's header row is repeated on each
    /// page it runs over): form text, not answer text.
    pub header_lines: Vec<usize>,
    /// The "Yes" column comes first.
    pub yes_first: bool,
}

/// Words a "Yes | No" header may have before the two labels: the label
/// column's own heading ("Technology", "Legal framework").
const HEADER_LEAD_WORDS: usize = 3;

/// The header of a "Yes | No" column pair: a line before the first option
/// label, without marks, that ends with the yes and the no label (in either
/// order) after at most `HEADER_LEAD_WORDS` words ("Technology | Yes | No").
pub fn answer_columns(
    lines: &[FlowLine],
    pieces: &[Piece],
    def: &Definition,
    layout: &OptionLayout,
    (yes, no): (&str, &str),
) -> Option<AnswerColumns> {
    let first_label_line = layout.hits.iter().map(|h| h.line).min()?;
    let (yes, no) = (def.words_of(yes), def.words_of(no));
    let yes_no = [&yes[..], &no[..]].concat();
    let no_yes = [&no[..], &yes[..]].concat();
    // (line, whether "Yes" comes first)
    let headers: Vec<(usize, bool)> = pieces
        .iter()
        .filter(|p| !lines[p.line].has_mark_from(p.from))
        .filter_map(|p| {
            let ws = norms(&lines[p.line].text[p.from..p.to]);
            if ws.len() > yes_no.len() + HEADER_LEAD_WORDS {
                None
            } else if ws.ends_with(&yes_no) {
                Some((p.line, true))
            } else if ws.ends_with(&no_yes) {
                Some((p.line, false))
            } else {
                None
            }
        })
        .collect();
    let &(first_header, yes_first) = headers.first()?;
    (first_header < first_label_line).then(|| AnswerColumns {
        header_lines: headers.iter().map(|&(line, _)| line).collect(),
        yes_first,
    })
}

/// An option's state read from its row under a "Yes | No" header: the box
/// under "Yes" says it, unless both are ticked. A row with one mark (an X
/// typed under one of the columns) has no state: which column the mark is
/// in is not known from the text, and "ticked" would read an X under "No"
/// as the option chosen. `None` (read the marks as usual) unless the option
/// has one mark, or two on one line.
pub fn column_state(
    columns: &AnswerColumns,
    option: &OptionMarks,
    all: &[Mark],
) -> Option<ColumnState> {
    let state = |checked, evidence, contradiction| ColumnState {
        checked,
        evidence,
        contradiction,
    };
    if let [only] = option.marks[..] {
        let evidence = format!(
            "one mark under a Yes | No header, in an unknown column ({})",
            all[only].evidence
        );
        return Some(state(None, evidence, false));
    }
    let (first, second) = option.side_by_side()?;
    let (yes, no) = if columns.yes_first {
        (&all[first], &all[second])
    } else {
        (&all[second], &all[first])
    };
    Some(match (yes.checked, no.checked) {
        (Some(true), Some(true)) => state(
            None,
            format!("both the Yes and the No box ticked ({})", yes.evidence),
            true,
        ),
        (_, Some(true)) => state(Some(false), format!("No column: {}", no.evidence), false),
        (checked, _) => state(checked, format!("Yes column: {}", yes.evidence), false),
    })
}

/// True when every option with boxes has two side by side on its row, two
/// options at least: a "Yes | No" column pair whose header was not found
/// (worded otherwise, an image, left out). Which box is "Yes" is then not
/// known, and "ticked if either is" would tick every option.
pub fn unlabelled_column_pair(by_option: &BTreeMap<usize, OptionMarks>) -> bool {
    by_option.len() >= 2
        && by_option
            .values()
            .all(|m| m.side_by_side().is_some() && m.places[0] != m.places[1])
}

/// An option's state read from a "Yes | No" column pair.
pub struct ColumnState {
    pub checked: Option<bool>,
    pub evidence: String,
    /// Both boxes are ticked.
    pub contradiction: bool,
}

/// Combines the marks of one option: ticked if any is ticked.
pub fn combine(marks: &[usize], all: &[Mark]) -> (Option<bool>, Option<String>) {
    let states: Vec<&Mark> = marks.iter().map(|&i| &all[i]).collect();
    if let Some(m) = states.iter().find(|m| m.checked == Some(true)) {
        return (Some(true), Some(m.evidence.clone()));
    }
    if let Some(m) = states.iter().find(|m| m.checked == Some(false)) {
        return (Some(false), Some(m.evidence.clone()));
    }
    (None, states.first().map(|m| m.evidence.clone()))
}

/// True when the respondent marked only the chosen options: every mark of
/// the document was typed as text ("[X]", an "X" before the label) or is a
/// tick ("✓ Blockchain" with nothing before the other labels). Then an
/// option with no mark beside it is unticked.
pub fn only_choices_marked(all: &[Mark]) -> bool {
    !all.is_empty()
        && all
            .iter()
            .all(|m| m.source == MarkSource::Typed || m.checked == Some(true))
}
