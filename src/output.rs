//! The normalized output (`msq-extract/1`): one JSON document per questionnaire.
//!
//! Field names are the contract with analysts (`shared/spec/output-contract.md`,
//! `schemas/msq-extract-1.schema.json`). Keys are written in a fixed order and
//! nothing depends on the time or the machine, so the same input always gives
//! byte-identical JSON.

use indexmap::IndexMap;
use serde::Serialize;

pub const SCHEMA_ID: &str = "msq-extract/1";

#[derive(Debug, Clone, Serialize)]
pub struct Extract {
    pub schema: &'static str,
    pub survey: String,
    pub country: Country,
    pub date: Option<String>,
    pub consent_to_publish: Option<bool>,
    pub source: SourceInfo,
    pub answers: IndexMap<String, Answer>,
    /// Last, so that `msq batch` can append a warning to the stored JSON in
    /// place (`batch::outputs::push_warning`).
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Country {
    /// The name as written in the document.
    pub name: Option<String>,
    pub iso3: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    pub file: String,
    pub sha256: String,
    pub format: &'static str,
    pub pages: Option<u32>,
    pub text_layer: bool,
    /// Contacts and e-mail addresses were removed (`--redact-contacts`).
    pub redacted: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    Entries {
        entries: Vec<Entry>,
        page: Option<u32>,
    },
    Contact {
        contact: Contact,
        page: Option<u32>,
    },
    Text {
        text: Option<String>,
        urls: Vec<String>,
        word_count: usize,
        page: Option<u32>,
    },
    YesNo {
        value: Option<YesNo>,
        options: IndexMap<String, OptionState>,
        page: Option<u32>,
    },
    Checklist {
        options: IndexMap<String, OptionState>,
        other_text: Option<String>,
        text: Option<String>,
        urls: Vec<String>,
        word_count: usize,
        page: Option<u32>,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub name: Option<String>,
    pub urls: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Contact {
    pub name: Option<String>,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OptionState {
    pub checked: Option<bool>,
    pub evidence: Option<String>,
}

/// The closed list of warning codes; README documents each.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// The source cannot show check-box states (plain text without marks).
    CheckboxStateUnknown,
    /// Both Yes and No are ticked.
    ContradictoryAnswer,
    /// The answer is longer than the form's word limit.
    WordLimitExceeded,
    /// The question's prompt was not found in the document.
    QuestionNotFound,
    /// An option's label was not found in its question's answer area.
    OptionNotFound,
    /// The question was found but has no answer.
    Unanswered,
    /// No UN member state could be recognised.
    CountryUnknown,
    /// The country was taken from the file name, not the document.
    CountryFromFileName,
    /// No date could be read from the cover.
    DateUnknown,
    /// dd/mm/yyyy where mm/dd/yyyy is also a valid, different date.
    AmbiguousDate,
    /// A PDF without a text layer (a scan).
    NoTextLayer,
    /// A PDF form in XFA only, which this version does not read.
    XfaFormUnsupported,
    /// Another file of the batch has the same country (set by `msq batch`).
    DuplicateCountry,
    /// A link or word with a `javascript:`, `file:` or `data:` scheme was left out.
    UnsafeUrlScheme,
}

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub code: WarningCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub message: String,
}

impl Extract {
    /// Removes personal data for publishing: every contact block is emptied
    /// and e-mail addresses in free text are replaced.
    pub fn redact_contacts(&mut self) {
        const REMOVED: &str = "[e-mail removed]";
        let scrub = |t: &mut Option<String>| {
            if let Some(s) = t {
                *s = crate::interpret::urls::replace_emails(s, REMOVED);
            }
        };
        for answer in self.answers.values_mut() {
            match answer {
                Answer::Contact { contact, .. } => *contact = Contact::default(),
                Answer::Text { text, .. } => scrub(text),
                Answer::Checklist {
                    text, other_text, ..
                } => {
                    scrub(text);
                    scrub(other_text);
                }
                Answer::Entries { entries, .. } => {
                    for e in entries {
                        scrub(&mut e.name);
                    }
                }
                Answer::YesNo { .. } => {}
            }
        }
        self.source.redacted = true;
    }

    /// Pretty JSON with a final newline, as written to files and stdout.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("output serializes");
        s.push('\n');
        s
    }
}
