//! Interpreting: document model + questionnaire definition in, answers and
//! warnings out. Pure: no files, no formats, no clock.

pub mod country;
pub mod dates;
mod options;
mod passage;
pub mod urls;

use std::borrow::Cow;

use indexmap::IndexMap;

use self::options::{
    answer_columns, assign_marks, column_state, combine, find_labels, only_choices_marked,
    typed_choice, unlabelled_column_pair, ColumnState, TypedAfter,
};
use self::passage::{
    clean, passage_text, push_unique, region_pieces, unit_urls, units, word_count, FormText, Piece,
    Unit,
};
use crate::definition::{Definition, Kind, OptionDef, Question};
use crate::model::Document;
use crate::output::{
    Answer, Contact, Country, Entry, Extract, OptionState, SourceInfo, Warning, WarningCode, YesNo,
    SCHEMA_ID,
};
use crate::segment::{flow_lines, segment, FlowLine, Region};
use crate::text_match::{common_prefix, words, FieldLabels, LABEL_SEPARATORS};

/// Interprets documents against one questionnaire definition; what can be
/// prepared once per definition (the form-text matcher) is prepared here, so a
/// batch builds one and reuses it.
pub struct Interpreter<'d> {
    def: &'d Definition,
    form: FormText,
}

impl<'d> Interpreter<'d> {
    pub fn new(def: &'d Definition) -> Self {
        Interpreter {
            def,
            form: FormText::new(def),
        }
    }

    pub fn interpret(&self, doc: &Document, sha256: &str) -> Extract {
        interpret_with(doc, self.def, &self.form, sha256)
    }
}

/// Interprets one document (prepares the definition for this call alone).
pub fn interpret(doc: &Document, def: &Definition, sha256: &str) -> Extract {
    Interpreter::new(def).interpret(doc, sha256)
}

fn interpret_with(doc: &Document, def: &Definition, form: &FormText, sha256: &str) -> Extract {
    let lines = flow_lines(doc);
    let segments = segment(&lines, def);
    let mut ctx = Context {
        doc,
        def,
        lines: &lines,
        form,
        warnings: doc
            .notes
            .iter()
            .map(|n| Warning {
                code: n.code,
                question: None,
                message: n.message.clone(),
            })
            .collect(),
        marks_visible: !doc.marks.is_empty(),
        only_choices_marked: only_choices_marked(&doc.marks),
    };
    let cover = ctx.cover(segments.cover_end);
    let mut answers = IndexMap::new();
    for q in def.answer_questions() {
        let answer = match segments.regions.get(&q.id) {
            Some(region) => ctx.answer(q, region),
            None => {
                if doc.source.text_layer {
                    ctx.warn(
                        WarningCode::QuestionNotFound,
                        Some(&q.id),
                        format!(
                            "the prompt of {} (question {}) was not found",
                            q.id, q.number
                        ),
                    );
                }
                empty_answer(q)
            }
        };
        answers.insert(q.id.clone(), answer);
    }
    Extract {
        schema: SCHEMA_ID,
        survey: def.survey.clone(),
        country: cover.country,
        date: cover.date,
        consent_to_publish: cover.consent,
        source: SourceInfo {
            file: doc.source.file.clone(),
            sha256: sha256.to_string(),
            format: doc.source.format.as_str(),
            pages: doc.source.pages,
            text_layer: doc.source.text_layer,
            redacted: false,
        },
        answers,
        warnings: ctx.warnings,
    }
}

struct Context<'a> {
    doc: &'a Document,
    def: &'a Definition,
    lines: &'a [FlowLine],
    form: &'a FormText,
    warnings: Vec<Warning>,
    /// The source can show marks at all (a plain-text dump without any cannot).
    marks_visible: bool,
    /// Only the chosen options carry a mark (see `only_choices_marked`).
    only_choices_marked: bool,
}

struct Cover {
    country: Country,
    date: Option<String>,
    consent: Option<bool>,
}

fn empty_answer(q: &Question) -> Answer {
    let options = || {
        q.options
            .iter()
            .map(|o| {
                (
                    o.id.clone(),
                    OptionState {
                        checked: None,
                        evidence: None,
                    },
                )
            })
            .collect()
    };
    match q.kind {
        Kind::Entries | Kind::Group => Answer::Entries {
            entries: Vec::new(),
            page: None,
        },
        Kind::Contact => Answer::Contact {
            contact: Contact::default(),
            page: None,
        },
        Kind::Text => Answer::Text {
            text: None,
            urls: Vec::new(),
            word_count: 0,
            page: None,
        },
        Kind::YesNo => Answer::YesNo {
            value: None,
            options: options(),
            page: None,
        },
        Kind::Checklist => Answer::Checklist {
            options: options(),
            other_text: None,
            text: None,
            urls: Vec::new(),
            word_count: 0,
            page: None,
        },
    }
}

impl<'a> Context<'a> {
    fn warn(&mut self, code: WarningCode, question: Option<&str>, message: String) {
        self.warnings.push(Warning {
            code,
            question: question.map(str::to_string),
            message,
        });
    }

    fn answer(&mut self, q: &Question, region: &Region) -> Answer {
        let form = self.form;
        let pieces = region_pieces(self.lines, region, form);
        self.warn_unsafe_urls(q, &pieces);
        // Where the answer starts; where its prompt is when there is none.
        let page = pieces
            .first()
            .map_or(self.lines[region.prompt_line].page, |p| {
                self.lines[p.line].page
            });
        let answer = match q.kind {
            Kind::Entries | Kind::Group => {
                let entries = self.entries(form, &pieces);
                Answer::Entries { entries, page }
            }
            Kind::Contact => Answer::Contact {
                contact: self.contact(form, &pieces),
                page,
            },
            Kind::Text => {
                let us = units(self.lines, &pieces);
                let text = passage_text(form, &us);
                let urls = collect_urls(&us);
                let word_count = word_count(text.as_deref());
                self.check_limit(q, word_count);
                Answer::Text {
                    text,
                    urls,
                    word_count,
                    page,
                }
            }
            Kind::YesNo | Kind::Checklist => self.options_answer(q, form, &pieces, page),
        };
        if is_unanswered(&answer, self.marks_visible) {
            self.warn(
                WarningCode::Unanswered,
                Some(&q.id),
                format!("{} (question {}) has no answer", q.id, q.number),
            );
        }
        answer
    }

    /// Links and words with a scheme that runs code or opens local files
    /// (`javascript:`, `file:`, `data:`) are never URLs of the output; they
    /// are reported once per question.
    fn warn_unsafe_urls(&mut self, q: &Question, pieces: &[Piece]) {
        let mut found: Vec<&'static str> = Vec::new();
        for p in pieces {
            let line = &self.lines[p.line];
            let words = line.text[p.from..p.to].split_whitespace();
            let targets = line.links.iter().map(|l| l.url.as_str());
            for scheme in words.chain(targets).filter_map(urls::unsafe_scheme) {
                if !found.contains(&scheme) {
                    found.push(scheme);
                }
            }
        }
        if !found.is_empty() {
            self.warn(
                WarningCode::UnsafeUrlScheme,
                Some(&q.id),
                format!(
                    "{}: links with the scheme {} were left out",
                    q.id,
                    found.join(", ")
                ),
            );
        }
    }

    fn check_limit(&mut self, q: &Question, count: usize) {
        if let Some(limit) = q.word_limit {
            if count > limit {
                self.warn(
                    WarningCode::WordLimitExceeded,
                    Some(&q.id),
                    format!("{} has {count} words; the form allows {limit}", q.id),
                );
            }
        }
    }

    fn entries(&self, form: &FormText, pieces: &[Piece]) -> Vec<Entry> {
        let labels = FieldLabels::new(self.def, &self.def.entry_fields);
        let mut entries: Vec<Entry> = Vec::new();
        for unit in join_paragraphs(units(self.lines, pieces)) {
            for part in split_at_bullets(&unit) {
                let urls = unit_urls(&part);
                let mut name_text = part.text.clone();
                // The URL's own text is not a name; a link's visible words are.
                let mut spans: Vec<(usize, usize)> = urls::find_urls(&part.text)
                    .into_iter()
                    .map(|u| (u.start, u.end))
                    .collect();
                for (s, e, _) in &part.links {
                    let shown = &part.text[*s..*e];
                    if urls::normalize(shown).is_some() {
                        spans.push((*s, *e));
                    }
                }
                spans.sort();
                for (s, e) in spans.into_iter().rev() {
                    if e <= name_text.len()
                        && name_text.is_char_boundary(s)
                        && name_text.is_char_boundary(e)
                    {
                        // The separator before the URL ("Name - URL") goes too,
                        // and brackets around it ("Name (URL)").
                        let before = name_text[..s].trim_end();
                        let after = name_text[e..].trim_start();
                        let (s, e) = match (before.chars().last(), after.chars().next()) {
                            (Some('('), Some(')'))
                            | (Some('['), Some(']'))
                            | (Some('<'), Some('>')) => {
                                (before.len() - 1, name_text.len() - after.len() + 1)
                            }
                            _ => match before.strip_suffix(['-', '–', '—', ':', '：']) {
                                Some(rest) => (rest.trim_end().len(), e),
                                None => (s, e),
                            },
                        };
                        name_text.replace_range(s..e, " ");
                    }
                }
                let name = clean(form, &name_text);
                let name = trim_entry_name(&name);
                // "Name: …" names the entry; "URL:" alone is the label of
                // the URL taken out of it, no name.
                let name = match labels.field_at(&name) {
                    Some((_, end)) => trim_entry_name(&name[end..]),
                    None => name,
                };
                let name =
                    (!name.is_empty() && name.chars().any(char::is_alphanumeric)).then_some(name);
                let url_list: Vec<String> = urls.into_iter().map(|(_, u)| u).collect();
                match (name, entries.last_mut()) {
                    (None, _) if url_list.is_empty() => {}
                    (None, Some(last)) => {
                        for u in url_list {
                            push_unique(&mut last.urls, u);
                        }
                    }
                    (name, _) => {
                        let mut list = Vec::new();
                        for u in url_list {
                            push_unique(&mut list, u);
                        }
                        entries.push(Entry { name, urls: list });
                    }
                }
            }
        }
        entries
    }

    fn contact(&self, form: &FormText, pieces: &[Piece]) -> Contact {
        let labels = FieldLabels::new(self.def, &self.def.contact_fields);
        // (field, value) pairs found in order.
        let mut contact = Contact::default();
        let texts: Vec<String> = pieces
            .iter()
            .map(|p| self.lines[p.line].text[p.from..p.to].to_string())
            .collect();
        let label_of = |text: &str| labels.field_at(text);
        let mut i = 0;
        while i < texts.len() {
            let Some((field, end)) = label_of(&texts[i]) else {
                i += 1;
                continue;
            };
            let mut value = clean(
                form,
                texts[i][end..].trim_start_matches(|c| c == ' ' || LABEL_SEPARATORS.contains(&c)),
            );
            if value.is_empty() && i + 1 < texts.len() && label_of(&texts[i + 1]).is_none() {
                value = clean(form, &texts[i + 1]);
                i += 1;
            }
            let value = value.trim_start_matches("mailto:").trim().to_string();
            if !value.is_empty() {
                let slot = match field {
                    "name" => &mut contact.name,
                    "title" => &mut contact.title,
                    "organization" => &mut contact.organization,
                    "email" => &mut contact.email,
                    _ => &mut contact.phone,
                };
                if slot.is_none() {
                    *slot = Some(value);
                }
            }
            i += 1;
        }
        // An address written without its label ("Mei Tanaka, CDO,
        // mei@gov.example") is still the contact's e-mail, in a block as
        // short as a contact's: a longer one is not only the contact.
        if contact.email.is_none() && texts.len() <= CONTACT_LINES {
            contact.email = texts
                .iter()
                .find_map(|t| urls::first_email(t))
                .map(str::to_string);
        }
        contact
    }

    /// A yes/no answer typed rather than ticked: the typed option is true,
    /// the others false.
    fn typed_yes_no(&self, q: &Question, chosen: usize, typed: &str, page: Option<u32>) -> Answer {
        let evidence = format!("typed answer \"{typed}\"");
        let options: IndexMap<String, OptionState> = q
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let state = OptionState {
                    checked: Some(i == chosen),
                    evidence: Some(evidence.clone()),
                };
                (o.id.clone(), state)
            })
            .collect();
        let value = match yes_and_no(&options) {
            (Some(true), _) => Some(YesNo::Yes),
            (_, Some(true)) => Some(YesNo::No),
            _ => None,
        };
        Answer::YesNo {
            value,
            options,
            page,
        }
    }

    /// An option's state read from a "Yes | No" column pair, with a warning
    /// when its row says nothing clear.
    fn column_option_state(
        &mut self,
        q: &Question,
        o: &OptionDef,
        column: ColumnState,
    ) -> OptionState {
        let code = if column.contradiction {
            Some(WarningCode::ContradictoryAnswer)
        } else {
            column
                .checked
                .is_none()
                .then_some(WarningCode::CheckboxStateUnknown)
        };
        if let Some(code) = code {
            let message = format!("{}.{}: {}", q.id, o.id, column.evidence);
            self.warn(code, Some(&q.id), message);
        }
        OptionState {
            checked: column.checked,
            evidence: Some(column.evidence),
        }
    }

    fn options_answer(
        &mut self,
        q: &Question,
        form: &FormText,
        pieces: &[Piece],
        page: Option<u32>,
    ) -> Answer {
        if q.kind == Kind::YesNo {
            if let Some((chosen, typed)) = typed_choice(self.lines, pieces, self.def, &q.options) {
                return self.typed_yes_no(q, chosen, &typed, page);
            }
        }
        // A yes/no question's own labels are its options, never a header
        // or an answer typed after a label.
        let yes_no = (q.kind != Kind::YesNo)
            .then(|| self.def.yes_no_labels())
            .flatten();
        let mut layout = find_labels(self.lines, pieces, q, yes_no, form);
        let by_option = assign_marks(self.lines, pieces, &layout, form);
        let columns =
            yes_no.and_then(|labels| answer_columns(self.lines, pieces, self.def, &layout, labels));
        let typed_choices_only = TypedAfter::marks_choices_only(&layout.typed_after);
        let unlabelled_pairs =
            yes_no.is_some() && columns.is_none() && unlabelled_column_pair(&by_option);
        if unlabelled_pairs {
            self.warn(
                WarningCode::CheckboxStateUnknown,
                Some(&q.id),
                format!(
                    "{}: two boxes on each option's row and no \"Yes | No\" header saying which is which; their states are null",
                    q.id
                ),
            );
        }
        if let Some(c) = &columns {
            layout.option_lines.extend(&c.header_lines);
        }
        let mut states: IndexMap<String, OptionState> = IndexMap::new();
        let mut unknown = false;
        for (i, o) in q.options.iter().enumerate() {
            let found = layout.hits.iter().any(|h| h.option == i);
            let by_column = by_option
                .get(&i)
                .zip(columns.as_ref())
                .and_then(|(m, c)| column_state(c, m, &self.doc.marks));
            let typed = layout.typed_after.iter().find(|t| t.option == i);
            let state = match (by_option.get(&i), by_column, typed) {
                (_, Some(column), _) => self.column_option_state(q, o, column),
                (Some(m), None, _) if unlabelled_pairs => OptionState {
                    checked: None,
                    evidence: Some(format!(
                        "two boxes side by side, columns unknown ({})",
                        m.marks
                            .iter()
                            .map(|&i| self.doc.marks[i].evidence.as_str())
                            .collect::<Vec<_>>()
                            .join("; ")
                    )),
                },
                (Some(m), None, _) => {
                    let (checked, evidence) = combine(&m.marks, &self.doc.marks);
                    OptionState { checked, evidence }
                }
                (None, None, Some(typed)) => OptionState {
                    checked: Some(typed.checked),
                    evidence: Some(format!("typed \"{}\" after the label", typed.typed)),
                },
                (None, None, None) if (typed_choices_only || self.only_choices_marked) && found => {
                    OptionState {
                        checked: Some(false),
                        evidence: Some(
                            "no mark beside the label (only chosen options are marked)".into(),
                        ),
                    }
                }
                (None, None, None) if !self.marks_visible => {
                    unknown = true;
                    OptionState {
                        checked: None,
                        evidence: None,
                    }
                }
                (None, None, None) => {
                    if found {
                        unknown = true;
                    }
                    OptionState {
                        checked: None,
                        evidence: None,
                    }
                }
            };
            if !found && self.marks_visible {
                self.warn(
                    WarningCode::OptionNotFound,
                    Some(&q.id),
                    format!("the label of option {}.{} was not found", q.id, o.id),
                );
            }
            states.insert(o.id.clone(), state);
        }
        if unknown {
            let message = if self.marks_visible {
                format!(
                    "{}: no box was seen beside some options; their states are null",
                    q.id
                )
            } else {
                "the source has no checkbox marks (plain text): states are null".to_string()
            };
            self.warn(WarningCode::CheckboxStateUnknown, Some(&q.id), message);
        }
        let other_text = {
            let parts: Vec<String> = layout
                .other_text
                .iter()
                .map(|&(line, from)| clean(form, &self.lines[line].text[from..]))
                .map(|t| t.trim_start_matches([':', '：', ' ']).trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        };
        let text_pieces: Vec<Piece> = pieces
            .iter()
            .copied()
            .filter(|p| !layout.option_lines.contains(&p.line))
            .collect();
        let us = units(self.lines, &text_pieces);
        let mut text = passage_text(form, &us);
        let urls = collect_urls(&us);
        if q.kind == Kind::YesNo {
            let value = match yes_and_no(&states) {
                (Some(true), Some(true)) => {
                    self.warn(
                        WarningCode::ContradictoryAnswer,
                        Some(&q.id),
                        format!("{}: both Yes and No are ticked", q.id),
                    );
                    None
                }
                (Some(true), _) => Some(YesNo::Yes),
                (_, Some(true)) => Some(YesNo::No),
                _ => None,
            };
            return Answer::YesNo {
                value,
                options: states,
                page,
            };
        }
        let mut other_text = other_text;
        if q.text_is_other {
            other_text = match (other_text, text.take()) {
                (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
                (a, b) => a.or(b),
            };
        }
        let counted = if q.text_is_other {
            other_text.as_deref()
        } else {
            text.as_deref()
        };
        let word_count = word_count(counted);
        self.check_limit(q, word_count);
        Answer::Checklist {
            options: states,
            other_text,
            text,
            urls,
            word_count,
            page,
        }
    }

    fn cover(&mut self, cover_end: usize) -> Cover {
        let def = self.def;
        let cover_lines: Vec<usize> = (0..cover_end.min(self.lines.len()))
            .filter(|&i| !self.form.is_form_text(&self.lines[i].text))
            .collect();
        let consent_words = def.words_of(&def.cover.consent.prompt);
        let consent_line = (0..self.lines.len()).find(|&i| {
            let ws = words(&self.lines[i].text);
            (0..ws.len().min(3))
                .any(|s| common_prefix(&ws[s..], &consent_words) >= consent_words.len().min(6))
        });

        // Country: a labelled value, else a line that is a country name.
        let label_words = |labels: &'a [String]| -> Vec<Cow<'a, [String]>> {
            labels.iter().map(|l| def.words_of(l)).collect()
        };
        let country_labels = label_words(&def.cover.country_labels);
        let date_labels = label_words(&def.cover.date_labels);
        let labelled = |i: usize, labels: &[Cow<[String]>]| -> Option<String> {
            let text = &self.lines[i].text;
            let ws = words(text);
            labels.iter().find_map(|l| {
                (common_prefix(&ws, l) == l.len()).then(|| {
                    let end = ws[l.len() - 1].end;
                    clean(
                        self.form,
                        text[end..].trim_start_matches([':', '：', ' ', '\t', '-']),
                    )
                })
            })
        };
        let mut country = Country {
            name: None,
            iso3: None,
        };
        let mut date: Option<String> = None;
        let mut ambiguous = None;
        for &i in &cover_lines {
            if Some(i) == consent_line {
                continue;
            }
            let text = clean(self.form, &self.lines[i].text);
            if country.name.is_none() {
                // A labelled value; or the value after any "Label:" that names
                // a member state ("Name of the country: Republic of Korea").
                let candidate = labelled(i, &country_labels)
                    .filter(|v| !v.is_empty())
                    .or_else(|| {
                        text.split_once([':', '：'])
                            .map(|(_, v)| v.trim().to_string())
                            .filter(|v| country::lookup(v).is_some())
                    });
                let state = match &candidate {
                    Some(v) => country::lookup(v).or_else(|| country::find_in(v)),
                    None => country::lookup(&text),
                };
                if candidate.is_some() || state.is_some() {
                    country = Country {
                        name: Some(candidate.unwrap_or(text.clone())),
                        iso3: state.map(|s| s.iso3.clone()),
                    };
                    continue;
                }
            }
            if date.is_none() {
                let labelled_date = labelled(i, &date_labels);
                let source = labelled_date.as_deref().unwrap_or(&text);
                if labelled_date.is_some() || text.chars().count() <= 40 {
                    if let Some(d) = dates::parse_date(source) {
                        date = Some(d.date.format("%Y-%m-%d").to_string());
                        if d.ambiguous {
                            ambiguous = Some(source.to_string());
                        }
                    }
                }
            }
        }
        if country.iso3.is_none() {
            let stem = self
                .doc
                .source
                .file
                .rsplit_once('.')
                .map_or(self.doc.source.file.as_str(), |(s, _)| s);
            match country::find_in(&stem.replace(['_', '-', '.'], " ")) {
                Some(s) if country.name.is_none() => {
                    country = Country {
                        name: Some(s.name.clone()),
                        iso3: Some(s.iso3.clone()),
                    };
                    self.warn(
                        WarningCode::CountryFromFileName,
                        None,
                        format!(
                            "no country on the cover; \"{}\" taken from the file name",
                            s.name
                        ),
                    );
                }
                _ => self.warn(
                    WarningCode::CountryUnknown,
                    None,
                    match &country.name {
                        Some(n) => format!("\"{n}\" is not a UN member state name"),
                        None => "no country name found on the cover".into(),
                    },
                ),
            }
        }
        match (&date, ambiguous) {
            (None, _) if self.doc.source.text_layer => self.warn(
                WarningCode::DateUnknown,
                None,
                "no date found on the cover".into(),
            ),
            (Some(d), Some(written)) => self.warn(
                WarningCode::AmbiguousDate,
                None,
                format!("\"{written}\" read day first as {d}; month first is also a valid date"),
            ),
            _ => {}
        }
        let consent = self.consent(consent_line);
        Cover {
            country,
            date,
            consent,
        }
    }

    fn consent(&mut self, line: Option<usize>) -> Option<bool> {
        let id = self.def.cover.consent.id.clone();
        let line = line?;
        // The box is on the consent line, or alone on the line before it, or
        // after the statement where it wraps onto the next line of its
        // paragraph ("… as deemed" / "necessary. ☒").
        let mut marks: Vec<usize> = self.lines[line].marks.iter().map(|&(_, m)| m).collect();
        if marks.is_empty() && line > 0 {
            let prev = &self.lines[line - 1];
            if prev.text.trim().is_empty() {
                marks = prev.marks.iter().map(|&(_, m)| m).collect();
            }
        }
        if marks.is_empty() {
            let paragraph = self.lines[line].paragraph;
            marks = self.lines[line + 1..]
                .iter()
                .take(2)
                .take_while(|l| l.paragraph == paragraph)
                .map(|l| l.marks.iter().map(|&(_, m)| m).collect::<Vec<_>>())
                .find(|found| !found.is_empty())
                .unwrap_or_default();
        }
        if !marks.is_empty() {
            return combine(&marks, &self.doc.marks).0;
        }
        if self.only_choices_marked {
            return Some(false);
        }
        let message = if self.marks_visible {
            "no box was seen beside the consent statement".to_string()
        } else {
            "the source has no checkbox marks (plain text): consent is null".to_string()
        };
        self.warn(WarningCode::CheckboxStateUnknown, Some(&id), message);
        None
    }
}

/// The most lines a contact block without labels has: a name, a title,
/// an organization, an address of a few lines, e-mail and phone.
const CONTACT_LINES: usize = 10;

/// Strips bullets, separators and brackets left around an entry's name once
/// its URLs are gone; a bracket is kept when its partner is in the name.
fn trim_entry_name(name: &str) -> String {
    let mut s = name;
    loop {
        let before = s;
        s = s.trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '◇' | '◆'
                        | '•'
                        | '▪'
                        | '●'
                        | '○'
                        | '-'
                        | '–'
                        | '—'
                        | '*'
                        | ':'
                        | '：'
                        | '<'
                        | '>'
                        | '|'
                        | ','
                        | ';'
                        | '·'
                        | '※'
                )
        });
        if s.ends_with(')') && s.matches('(').count() < s.matches(')').count() {
            s = &s[..s.len() - 1];
        }
        // Punctuation left over from the prompt on the same line.
        s = strip_list_number(s.trim_start_matches(['.', '?']));
        if s.starts_with('(') && s.matches('(').count() > s.matches(')').count() {
            s = &s[1..];
        }
        if s.ends_with('(') {
            s = &s[..s.len() - 1];
        }
        if s == before {
            return s.to_string();
        }
    }
}

/// A name without the list number in front of it ("1) ", "2. ", "(3) ",
/// "a) "): the numbering of the respondent's list, not part of the name.
fn strip_list_number(name: &str) -> &str {
    let t = name.strip_prefix('(').unwrap_or(name);
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let len = match digits {
        0 if t.starts_with(|c: char| c.is_ascii_lowercase()) => 1,
        1 | 2 => digits,
        _ => return name,
    };
    match t[len..].strip_prefix([')', '.']) {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest,
        _ => name,
    }
}

fn collect_urls(us: &[Unit]) -> Vec<String> {
    let mut list = Vec::new();
    for u in us {
        for (_, url) in unit_urls(u) {
            push_unique(&mut list, url);
        }
    }
    list
}

/// Joins the units of one paragraph: an entry's name wrapped over two lines
/// is one name. (Each line of a text file, and each Word paragraph, is a
/// paragraph of its own.)
fn join_paragraphs(units: Vec<Unit>) -> Vec<Unit> {
    let shapes: Vec<UrlShape> = units.iter().map(UrlShape::of).collect();
    // Whether a URL comes in this unit or a later one of its paragraph.
    let mut url_ahead = vec![false; units.len()];
    for i in (0..units.len()).rev() {
        let later = units
            .get(i + 1)
            .is_some_and(|n| n.paragraph == units[i].paragraph && url_ahead[i + 1]);
        url_ahead[i] = later || shapes[i].any;
    }
    let mut out: Vec<Unit> = Vec::new();
    // Whether the last unit of `out` ends with a URL (its last line does).
    let mut last_ends_with_url = false;
    for ((u, shape), url_follows) in units.into_iter().zip(shapes).zip(url_ahead) {
        match out.last_mut() {
            // A line ending with its URL closes an entry: when more URLs
            // follow in the paragraph, the next line starts another entry
            // (entries typed one per line, values of a flattened form); a
            // URL alone on it still joins that entry below, and words with no
            // URL after them are that entry's description.
            Some(last)
                if last.paragraph == u.paragraph
                    && (!(last_ends_with_url && url_follows) || shape.only) =>
            {
                last.text.push(' ');
                let shift = last.text.len();
                last.text.push_str(&u.text);
                last.links.extend(
                    u.links
                        .into_iter()
                        .map(|(s, e, url)| (s + shift, e + shift, url)),
                );
                last.lines.extend(u.lines);
            }
            _ => out.push(u),
        }
        last_ends_with_url = shape.at_end;
    }
    out
}

/// Where a unit's URLs stand, from one search of its text.
struct UrlShape {
    /// It has a URL (written or linked).
    any: bool,
    /// Its text ends with a URL.
    at_end: bool,
    /// It is nothing but one URL: another address of the entry before.
    only: bool,
}

impl UrlShape {
    fn of(unit: &Unit) -> UrlShape {
        let found = urls::find_urls(&unit.text);
        let end = unit.text.trim_end().len();
        let start = unit.text.len() - unit.text.trim_start().len();
        UrlShape {
            any: !unit.links.is_empty() || !found.is_empty(),
            at_end: end > 0
                && (unit.links.iter().any(|(_, e, _)| *e >= end)
                    || found.last().is_some_and(|u| u.end >= end)),
            only: found.len() == 1 && found[0].start <= start && found[0].end >= end,
        }
    }
}

/// Splits a unit where an entry bullet ("◇", "•", "◆") starts a new entry in
/// the middle of it.
fn split_at_bullets(unit: &Unit) -> Vec<Unit> {
    let cuts: Vec<usize> = unit
        .text
        .char_indices()
        .filter(|(i, c)| *i > 0 && matches!(c, '◇' | '◆' | '•' | '▪'))
        .filter(|(i, _)| unit.text[..*i].chars().any(char::is_alphanumeric))
        .map(|(i, _)| i)
        .collect();
    if cuts.is_empty() {
        return vec![unit.clone()];
    }
    let mut bounds = vec![0];
    bounds.extend(cuts);
    bounds.push(unit.text.len());
    bounds
        .windows(2)
        .map(|w| Unit {
            text: unit.text[w[0]..w[1]].to_string(),
            paragraph: unit.paragraph,
            page: unit.page,
            links: unit
                .links
                .iter()
                .filter(|(s, e, _)| *s < w[1] && *e > w[0])
                .map(|(s, e, u)| ((*s).max(w[0]) - w[0], (*e).min(w[1]) - w[0], u.clone()))
                .collect(),
            lines: unit.lines.clone(),
        })
        .collect()
}

fn is_unanswered(answer: &Answer, marks_visible: bool) -> bool {
    match answer {
        Answer::Entries { entries, .. } => entries.is_empty(),
        Answer::Contact { contact, .. } => *contact == Contact::default(),
        Answer::Text { text, urls, .. } => text.is_none() && urls.is_empty(),
        Answer::YesNo { value, options, .. } => {
            marks_visible && value.is_none() && !options.values().all(|o| o.checked == Some(true))
        }
        Answer::Checklist {
            options,
            other_text,
            text,
            ..
        } => {
            // A box seen whose state is unknown is an answer not read, not
            // no answer.
            marks_visible
                && text.is_none()
                && other_text.is_none()
                && !options.values().any(|o| {
                    o.checked == Some(true) || (o.checked.is_none() && o.evidence.is_some())
                })
        }
    }
}

/// The states of a yes/no question's "yes" and "no" options.
fn yes_and_no(states: &IndexMap<String, OptionState>) -> (Option<bool>, Option<bool>) {
    let state = |id: &str| states.get(id).and_then(|s| s.checked);
    (state("yes"), state("no"))
}
