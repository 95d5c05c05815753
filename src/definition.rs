//! The questionnaire definition: sections, questions, options, and the form's own
//! text (footnotes, hints, placeholders) that must never leak into answers.
//!
//! It is data (`schemas/msq-2020.json`), not code: another survey edition or the
//! same form in another language is another definition file, loaded with
//! `--definition`. The MSQ 2020 definition is built into the binary.

use std::borrow::Cow;
use std::sync::OnceLock;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::text_match::norms;

pub const MSQ_2020: &str = include_str!("../schemas/msq-2020.json");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub survey: String,
    pub title: String,
    pub language: String,
    pub cover: Cover,
    pub sections: Vec<Section>,
    /// Contact field → the labels respondents put in front of it.
    pub contact_fields: IndexMap<String, Vec<String>>,
    /// Entry field ("name", "url") → the labels of an entry written as
    /// labelled lines ("Name: …" then "URL: …").
    #[serde(default)]
    pub entry_fields: IndexMap<String, Vec<String>>,
    pub footnotes: Vec<String>,
    /// Hints and placeholder texts removed wherever they appear.
    pub noise: Vec<String>,
    /// Lines that end the questionnaire ("Thank you for taking the time …").
    pub closing: Vec<String>,
    /// The normalised words of the texts above, prepared on first use
    /// (`words_of`).
    #[serde(skip)]
    text_words: OnceLock<FxHashMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cover {
    pub country_labels: Vec<String>,
    pub date_labels: Vec<String>,
    pub consent: Consent,
    /// Form text on the cover that is not an answer (title, introduction).
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub id: String,
    pub prompt: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Entries,
    Contact,
    Text,
    YesNo,
    Checklist,
    /// A numbered prompt whose lettered parts are the questions (q2a … q2e).
    Group,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub number: String,
    /// The prompt as printed, without its numbering; `None` when the answer
    /// starts right after the section heading.
    pub prompt: Option<String>,
    pub kind: Kind,
    #[serde(default)]
    pub word_limit: Option<usize>,
    #[serde(default)]
    pub options: Vec<OptionDef>,
    /// Form text inside this question's answer area that is not an answer.
    #[serde(default)]
    pub hints: Vec<String>,
    #[serde(default)]
    pub parts: Vec<Question>,
    /// The option whose label is followed by free text ("Other:").
    #[serde(default)]
    pub other_option: Option<String>,
    /// The text after the options is the "Other" explanation, not a separate
    /// answer text.
    #[serde(default)]
    pub text_is_other: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionDef {
    pub id: String,
    pub label: String,
}

impl Definition {
    pub fn builtin() -> Definition {
        Definition::from_json(MSQ_2020).expect("the built-in definition is valid")
    }

    pub fn from_json(text: &str) -> Result<Definition, String> {
        let def: Definition = serde_json::from_str(text).map_err(|e| e.to_string())?;
        def.check()?;
        Ok(def)
    }

    /// The questions that have answers, in questionnaire order (group prompts
    /// replaced by their parts).
    pub fn answer_questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| {
            s.questions.iter().flat_map(|q| {
                if q.kind == Kind::Group {
                    q.parts.iter().collect::<Vec<_>>()
                } else {
                    vec![q]
                }
            })
        })
    }

    /// The labels a yes/no question's two answers are printed with ("Yes",
    /// "No"), from the first such question: a checklist laid out as a
    /// "Yes | No" column pair heads its columns with them.
    pub fn yes_no_labels(&self) -> Option<(&str, &str)> {
        self.answer_questions()
            .find(|q| q.kind == Kind::YesNo)
            .map(|q| (q.options[0].label.as_str(), q.options[1].label.as_str()))
    }

    /// The normalised words (`text_match::norms`) of one of this
    /// definition's texts (a heading, prompt, label), prepared once for every
    /// document read with it; any other text is normalised on the spot.
    pub fn words_of(&self, text: &str) -> Cow<'_, [String]> {
        let prepared = self
            .text_words
            .get_or_init(|| self.texts().map(|t| (t.to_string(), norms(t))).collect());
        match prepared.get(text) {
            Some(words) => Cow::Borrowed(words),
            None => Cow::Owned(norms(text)),
        }
    }

    /// The texts documents are searched for: headings, prompts, option and
    /// field labels, the cover's labels, closing lines.
    fn texts(&self) -> impl Iterator<Item = &str> {
        let questions = self.sections.iter().flat_map(|s| {
            s.questions
                .iter()
                .chain(s.questions.iter().flat_map(|q| &q.parts))
        });
        let per_question = questions.flat_map(|q| {
            q.prompt
                .iter()
                .map(String::as_str)
                .chain(q.options.iter().map(|o| o.label.as_str()))
        });
        let field_labels = self
            .contact_fields
            .values()
            .chain(self.entry_fields.values())
            .flatten();
        self.sections
            .iter()
            .map(|s| s.heading.as_str())
            .chain(per_question)
            .chain(field_labels.map(String::as_str))
            .chain(self.closing.iter().map(String::as_str))
            .chain(
                self.cover
                    .country_labels
                    .iter()
                    .chain(&self.cover.date_labels)
                    .map(String::as_str),
            )
            .chain([self.cover.consent.prompt.as_str()])
    }

    fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for q in self.answer_questions() {
            if q.kind == Kind::Group {
                return Err(format!("{}: groups cannot nest", q.id));
            }
            if !seen.insert(q.id.as_str()) {
                return Err(format!("question id {} is used twice", q.id));
            }
            if matches!(q.kind, Kind::Checklist | Kind::YesNo) && q.options.is_empty() {
                return Err(format!("{}: a {:?} question needs options", q.id, q.kind));
            }
            if q.kind == Kind::YesNo
                && (q.options.len() != 2 || q.options[0].id != "yes" || q.options[1].id != "no")
            {
                return Err(format!(
                    "{}: yes_no options must be \"yes\" then \"no\"",
                    q.id
                ));
            }
            if let Some(other) = &q.other_option {
                if !q.options.iter().any(|o| &o.id == other) {
                    return Err(format!("{}: other_option {other} is not an option", q.id));
                }
            }
        }
        for field in self.contact_fields.keys() {
            if !["name", "title", "organization", "email", "phone"].contains(&field.as_str()) {
                return Err(format!("unknown contact field {field}"));
            }
        }
        for field in self.entry_fields.keys() {
            if !["name", "url"].contains(&field.as_str()) {
                return Err(format!("unknown entry field {field}"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_every_question_of_the_spec() {
        let def = Definition::builtin();
        let ids: Vec<&str> = def.answer_questions().map(|q| q.id.as_str()).collect();
        assert_eq!(ids.len(), 39);
        assert_eq!(ids[0], "q1");
        assert!(ids.contains(&"q5i"));
        assert_eq!(ids[ids.len() - 1], "x2");
    }

    #[test]
    fn bad_definitions_are_refused() {
        assert!(Definition::from_json("{}").is_err());
        let broken = MSQ_2020.replace("\"id\": \"q3\"", "\"id\": \"q1\"");
        assert!(Definition::from_json(&broken)
            .unwrap_err()
            .contains("twice"));
    }
}
