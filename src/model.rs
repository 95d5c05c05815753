//! The document model: the one representation every reader produces.
//!
//! A reader turns a file into lines of text in reading order, marks (anything that
//! can be a tick box, with its state and the evidence for it) and links (targets
//! with the text they cover). Everything downstream (segmenting, interpreting,
//! output) works on this model only and never learns which format it came from.
//!
//! Marks and links are anchored in the text flow by `(line, offset)`, where `offset`
//! is a byte offset into that line's `text`. A box glyph that a reader recognised as
//! a mark is removed from the text, so the text holds only words.

use serde::Serialize;

/// Position on a page in PDF user space: points, origin bottom-left,
/// `[x0, y0, x1, y1]`.
pub type BBox = [f32; 4];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Docx,
    Text,
    Pdf,
    Doc,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Text => "text",
            Format::Pdf => "pdf",
            Format::Doc => "doc",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub file: String,
    pub format: Format,
    /// Number of pages where the format has pages (PDF, text with form feeds).
    pub pages: Option<u32>,
    /// False for a PDF without a text layer (a scan).
    pub text_layer: bool,
}

/// Where a line sits in a table: lines of the same row are cells side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub table: u32,
    pub row: u32,
    pub col: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    /// 1-based page, `None` where the format has no pages.
    pub page: Option<u32>,
    /// Lines with the same paragraph number belong to one paragraph (a PDF
    /// paragraph wrapped over several lines, or a Word paragraph with line breaks).
    pub paragraph: u32,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<Cell>,
}

/// What a mark was made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkSource {
    /// A Unicode box glyph in the text (☐ ☒ ☑ ✓ …).
    Glyph,
    /// A character of a symbol font (Wingdings, Wingdings 2, Webdings), or its
    /// private-use code point U+F0xx.
    SymbolFont,
    /// A PDF AcroForm check box or radio button widget.
    FormField,
    /// A box drawn with vector graphics.
    Vector,
    /// A Word content control check box (`w14:checkbox`).
    ContentControl,
    /// A Word legacy form field (`FORMCHECKBOX`).
    LegacyField,
    /// A mark typed as text: "X", "[X]", "[ ]".
    Typed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub line: usize,
    /// Byte offset into the line's text where the mark sits.
    pub offset: usize,
    pub page: Option<u32>,
    /// `None` when the reader saw a box but cannot tell its state.
    pub checked: Option<bool>,
    pub source: MarkSource,
    /// What was seen, for a human: "glyph U+2612", "legacy form field Check3 checked".
    pub evidence: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub line: usize,
    /// Byte range of the covered text in the line.
    pub start: usize,
    pub end: usize,
    pub page: Option<u32>,
    pub url: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
}

/// Something a reader noticed about the whole file that the output must report,
/// such as a PDF without a text layer.
#[derive(Debug, Clone, Serialize)]
pub struct ReaderNote {
    pub code: crate::output::WarningCode,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub source: Source,
    pub lines: Vec<Line>,
    pub marks: Vec<Mark>,
    pub links: Vec<Link>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<ReaderNote>,
}

impl Document {
    pub fn new(source: Source) -> Self {
        Document {
            source,
            lines: Vec::new(),
            marks: Vec::new(),
            links: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Puts marks and links in flow order, which the interpreter relies on.
    pub fn sort_anchors(&mut self) {
        self.marks.sort_by_key(|m| (m.line, m.offset));
        self.links.sort_by_key(|l| (l.line, l.start));
    }
}
