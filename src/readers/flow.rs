//! Builds the document model from a stream of text, marks and links.
//!
//! Every reader walks its format in reading order and calls this builder; the
//! builder keeps offsets right and, when a line ends, lifts the marks that are
//! written as text (box glyphs, private-use symbol characters, a typed "[X]" or a
//! leading "X") out of the text into `marks`. Doing that here means a ☒ typed in a
//! Word file, printed in a PDF or pasted into a text dump is one and the same mark.

use std::sync::LazyLock;

use regex::Regex;

use super::boxes::{private_use_box, radio_glyph_state, unicode_box_state, SymbolFont};
use crate::model::{BBox, Cell, Document, Line, Link, Mark, MarkSource, Source};

struct PendingMark {
    offset: usize,
    checked: Option<bool>,
    source: MarkSource,
    evidence: String,
    bbox: Option<BBox>,
}

impl PendingMark {
    /// The mark, anchored in line `line` of the document.
    fn placed(self, line: usize, page: Option<u32>) -> Mark {
        Mark {
            line,
            offset: self.offset,
            page,
            checked: self.checked,
            source: self.source,
            evidence: self.evidence,
            bbox: self.bbox,
        }
    }
}

struct PendingLink {
    start: usize,
    end: usize,
    url: String,
    bbox: Option<BBox>,
}

pub struct FlowBuilder {
    doc: Document,
    text: String,
    /// Boxes of the current line's text pieces, where the reader knows them:
    /// (byte range in `text`, box). A mark lifted from the text gets its box.
    boxes: Vec<(usize, usize, BBox)>,
    marks: Vec<PendingMark>,
    links: Vec<PendingLink>,
    open_links: Vec<(usize, String, Option<BBox>)>,
    paragraph: u32,
    page: Option<u32>,
    cell: Option<Cell>,
    bbox: Option<BBox>,
    paragraph_has_lines: bool,
    /// Lines that begin with a radio circle standing alone: choices if they
    /// form a column (see `resolve_radio_columns`), bullets otherwise.
    radio_leads: Vec<RadioLead>,
}

/// A line beginning with a radio circle ("● Yes"), kept as text until the
/// lines around it show whether it is a choice.
struct RadioLead {
    line: usize,
    mark: PendingMark,
    /// The circle's length in bytes.
    len: usize,
}

impl FlowBuilder {
    pub fn new(source: Source) -> Self {
        FlowBuilder {
            doc: Document::new(source),
            text: String::new(),
            boxes: Vec::new(),
            marks: Vec::new(),
            links: Vec::new(),
            open_links: Vec::new(),
            paragraph: 0,
            page: None,
            cell: None,
            bbox: None,
            paragraph_has_lines: false,
            radio_leads: Vec::new(),
        }
    }

    pub fn document_mut(&mut self) -> &mut Document {
        &mut self.doc
    }

    pub fn text(&mut self, s: &str) {
        push_plain(&mut self.text, s);
    }

    /// Text whose position on the page is known (a PDF glyph).
    pub fn text_at(&mut self, s: &str, bbox: BBox) {
        let start = self.text.len();
        push_plain(&mut self.text, s);
        self.boxes.push((start, self.text.len(), bbox));
    }

    /// A mark at the current position, for boxes the reader recognised itself
    /// (form fields, content controls, symbol-font characters).
    pub fn mark(&mut self, checked: Option<bool>, source: MarkSource, evidence: String) {
        self.mark_at(checked, source, evidence, None);
    }

    pub fn mark_at(
        &mut self,
        checked: Option<bool>,
        source: MarkSource,
        evidence: String,
        bbox: Option<BBox>,
    ) {
        self.marks.push(PendingMark {
            offset: self.text.len(),
            checked,
            source,
            evidence,
            bbox,
        });
    }

    /// A character of a dingbat font: a mark when it draws a box, its
    /// Unicode circle when it draws a radio button's (returns true for
    /// both), nothing otherwise.
    pub fn symbol_font_box(&mut self, font: SymbolFont, code: u32) -> bool {
        if let Some(state) = font.box_state(code) {
            self.mark(
                Some(state),
                MarkSource::SymbolFont,
                format!("symbol font {} char {:02X}", font.name(), code & 0xFF),
            );
            return true;
        }
        match font.radio_glyph(code) {
            Some(circle) => {
                self.text.push(circle);
                true
            }
            None => false,
        }
    }

    pub fn begin_link(&mut self, url: String) {
        self.open_links.push((self.text.len(), url, None));
    }

    /// A link whose area on the page is known (a PDF link annotation).
    pub fn begin_link_at(&mut self, url: String, bbox: BBox) {
        self.open_links.push((self.text.len(), url, Some(bbox)));
    }

    pub fn end_link(&mut self) {
        if let Some((start, url, bbox)) = self.open_links.pop() {
            self.links.push(PendingLink {
                start,
                end: self.text.len(),
                url,
                bbox,
            });
        }
    }

    pub fn set_page(&mut self, page: Option<u32>) {
        self.page = page;
    }

    pub fn set_cell(&mut self, cell: Option<Cell>) {
        self.cell = cell;
    }

    pub fn set_bbox(&mut self, bbox: Option<BBox>) {
        self.bbox = bbox;
    }

    /// Ends the current line; the next line continues the same paragraph.
    pub fn line_break(&mut self) {
        // A link still open at a line end continues on the next line.
        let open: Vec<(String, Option<BBox>)> = self
            .open_links
            .iter()
            .map(|(_, u, b)| (u.clone(), *b))
            .collect();
        let depth = self.open_links.len();
        for _ in 0..depth {
            self.end_link();
        }
        self.flush_line();
        for (url, bbox) in open {
            self.open_links.push((self.text.len(), url, bbox));
        }
    }

    /// Ends the current line and paragraph.
    pub fn end_paragraph(&mut self) {
        self.line_break();
        if self.paragraph_has_lines {
            self.paragraph += 1;
            self.paragraph_has_lines = false;
        }
    }

    pub fn finish(mut self) -> Document {
        self.open_links.clear();
        self.end_paragraph();
        resolve_radio_columns(&mut self.doc, std::mem::take(&mut self.radio_leads));
        self.doc.sort_anchors();
        self.doc
    }

    fn flush_line(&mut self) {
        let mut marks = std::mem::take(&mut self.marks);
        let mut links = std::mem::take(&mut self.links);
        // The line's text is copied out of the buffer it was gathered in:
        // that buffer, and the one of its glyph boxes, serve the next line
        // rather than growing again from nothing.
        let lifted = lift_text_marks(&self.text, &mut marks, &mut links, &self.boxes);
        self.text.clear();
        self.boxes.clear();
        let text = lifted.text;
        marks.extend(lifted.marks);
        if text.trim().is_empty() && marks.is_empty() {
            return;
        }
        let line_index = self.doc.lines.len();
        if let Some((mark, len)) = lifted.radio_lead {
            self.radio_leads.push(RadioLead {
                line: line_index,
                mark,
                len,
            });
        }
        for m in marks {
            self.doc.marks.push(m.placed(line_index, self.page));
        }
        for l in links {
            if l.end <= l.start || l.url.trim().is_empty() {
                continue;
            }
            self.doc.links.push(Link {
                line: line_index,
                start: l.start,
                end: l.end,
                page: self.page,
                url: l.url,
                text: text[l.start..l.end].to_string(),
                bbox: l.bbox,
            });
        }
        self.doc.lines.push(Line {
            page: self.page,
            paragraph: self.paragraph,
            text,
            bbox: self.bbox,
            cell: self.cell,
        });
        self.paragraph_has_lines = true;
    }
}

static BRACKET_MARK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[ ?([xX✓✔✗✘])? ?\]").expect("valid regex"));
/// A box typed with parentheses, "( )" or "(X)", standing as a word. "(x)"
/// is also a roman numeral, so a ticked one counts only at the line start or
/// beside an empty "( )" on the same line.
static PAREN_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[ \t])(\( ?([xX✓✔✗✘])? ?\))(?:$|[ \t])").expect("valid regex")
});
/// Where an "X" is typed in front of an option or alone in a cell: at the
/// start of the line or of a tab-separated cell (a table as a PDF or a text
/// dump lays it out, "Blockchain\tX"), followed by a word or by the cell's
/// end; or after a gap of spaces in the line ("Yes   X No", options set
/// side by side with spaces), followed by a capitalised label of a few words.
/// An X after a label ("Yes X   No") could be that label's or the next
/// one's and is left alone. Returns the X's offset and the end of what to
/// remove with it: the spaces after it, and at the line start the tabs too;
/// a tab between two cells stays, it still separates them.
fn typed_x_cells(raw: &str) -> Vec<(usize, usize)> {
    /// Words an option label set beside others may have.
    const SIDE_BY_SIDE_WORDS: usize = 6;
    let mut found = Vec::new();
    for (at, after_gap) in cell_starts(raw) {
        if !raw[at..].starts_with(['x', 'X']) {
            continue;
        }
        let line_start = raw[..at].trim().is_empty();
        let after = &raw[at + 1..];
        let gap = if line_start {
            after.len() - after.trim_start_matches([' ', '\t']).len()
        } else {
            after.len() - after.trim_start_matches(' ').len()
        };
        let next = after[gap..].chars().next();
        let word_or_cell_end = next.is_none_or(|c| c == '\t' || c.is_alphabetic() || c == '(');
        if !((gap > 0 || next.is_none_or(|c| c == '\t')) && word_or_cell_end) {
            continue;
        }
        if after_gap && !line_start {
            let label = after[gap..].split('\t').next().unwrap_or_default();
            let label = label.split("  ").next().unwrap_or_default();
            let capitalised = next.is_some_and(|c| c.is_uppercase() || c == '(');
            if gap == 0 || !capitalised || label.split_whitespace().count() > SIDE_BY_SIDE_WORDS {
                continue;
            }
        }
        found.push((at, at + 1 + gap));
    }
    found
}

/// Where the cells of a line begin: the line start, after each tab, and
/// after each run of two or more spaces (true for those).
fn cell_starts(raw: &str) -> Vec<(usize, bool)> {
    let bytes = raw.as_bytes();
    let skip_spaces = |mut i: usize| {
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        i
    };
    let mut starts = vec![(skip_spaces(0), false)];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\t' => {
                starts.push((skip_spaces(i + 1), false));
                i += 1;
            }
            b' ' if bytes.get(i + 1) == Some(&b' ') && i > 0 => {
                let end = skip_spaces(i);
                if bytes.get(end) != Some(&b'\t') && end < bytes.len() {
                    starts.push((end, true));
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    starts.dedup_by_key(|s| s.0);
    starts
}

/// A Wingdings box printed without the Wingdings font shows its raw code as a
/// Latin-1 letter: "þ" (0xFE, ticked), "ý" (0xFD, crossed), "¨" (0xA8, empty).
/// Only such a character standing alone as a word is taken for a box.
fn substituted_wingdings(text: &str, at: usize, c: char) -> Option<bool> {
    let state = match c {
        '\u{FE}' | '\u{FD}' => true,
        '\u{A8}' => false,
        _ => return None,
    };
    // "¨" never ends a word; "þ" and "ý" do in Icelandic and Czech.
    let before_ok = c == '\u{A8}'
        || text[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
    let after_ok = text[at + c.len_utf8()..]
        .chars()
        .next()
        .is_none_or(char::is_whitespace);
    (before_ok && after_ok).then_some(state)
}

/// A line's text with its typed marks lifted out.
struct LiftedLine {
    text: String,
    marks: Vec<PendingMark>,
    /// A radio circle beginning the line, left in the text (its mark and
    /// length): whether it is a choice depends on the lines around it.
    radio_lead: Option<(PendingMark, usize)>,
}

/// The radio circles standing as words in `raw` (a circle with a space or
/// the line's edge before it, and a space, the edge or a letter after it):
/// offset, state, character. A Wingdings circle printed without the
/// Wingdings font shows its code as a Latin-1 character ("l" filled, "¡"
/// empty, as with the boxes of `substituted_wingdings`): such a character
/// counts only as a word of its own.
fn radio_circles(raw: &str) -> Vec<(usize, bool, char)> {
    // Told from the bytes first: nearly every line is ASCII, where only a
    // Wingdings code shown as a letter ("l", "m") after white space or at
    // the start can be one.
    let bytes = raw.as_bytes();
    let may_hold_one = bytes.iter().enumerate().any(|(i, &b)| {
        !b.is_ascii()
            || (SymbolFont::Wingdings.radio_glyph(u32::from(b)).is_some()
                && (i == 0 || char::from(bytes[i - 1]).is_whitespace()))
    });
    if !may_hold_one {
        return Vec::new();
    }
    raw.char_indices()
        .filter_map(|(i, c)| {
            // Read as Wingdings: its private-use U+F0xx, or its byte shown
            // as a Latin-1 character.
            let wingdings = SymbolFont::Wingdings.radio_glyph(c as u32);
            let substituted = wingdings.filter(|_| u32::from(c) <= 0xFF);
            let state = radio_glyph_state(c).or_else(|| wingdings.and_then(radio_glyph_state))?;
            let before = raw[..i].chars().next_back();
            let after = raw[i + c.len_utf8()..].chars().next();
            let word_after = substituted.is_none() && after.is_some_and(char::is_alphabetic);
            let alone = before.is_none_or(char::is_whitespace)
                && (after.is_none_or(char::is_whitespace) || word_after);
            alone.then_some((i, state, c))
        })
        .collect()
}

/// Removes marks written as text from `raw`, returning the clean text and the
/// new marks; offsets of the existing `marks` and `links` are moved to match.
fn lift_text_marks(
    raw: &str,
    marks: &mut [PendingMark],
    links: &mut [PendingLink],
    boxes: &[(usize, usize, BBox)],
) -> LiftedLine {
    let box_at = |offset: usize| {
        boxes
            .iter()
            .find(|(s, e, _)| *s <= offset && offset < *e)
            .map(|b| b.2)
    };
    // A box typed as text ("[X]", "( )"): its byte range and its mark.
    let typed_box = |whole: regex::Match, checked: bool| {
        (
            whole.start(),
            whole.end(),
            Some(PendingMark {
                offset: whole.start(),
                checked: Some(checked),
                source: MarkSource::Typed,
                evidence: format!("typed {}", whole.as_str()),
                bbox: box_at(whole.start()),
            }),
        )
    };
    // (byte range to remove, mark it stands for)
    let mut removals: Vec<(usize, usize, Option<PendingMark>)> = Vec::new();
    // Most lines have no bracket at all: told before a regex is run.
    if raw.contains('[') {
        for m in BRACKET_MARK.captures_iter(raw) {
            removals.push(typed_box(m.get(0).expect("match"), m.get(1).is_some()));
        }
    }
    let paren_marks: Vec<_> = if raw.contains('(') {
        PAREN_MARK
            .captures_iter(raw)
            .map(|m| (m.get(1).expect("box"), m.get(2).is_some()))
            .collect()
    } else {
        Vec::new()
    };
    let has_empty_paren = paren_marks.iter().any(|(_, checked)| !checked);
    for (whole, checked) in paren_marks {
        let at_line_start = raw[..whole.start()].trim().is_empty();
        if checked && !at_line_start && !has_empty_paren {
            continue;
        }
        removals.push(typed_box(whole, checked));
    }
    // Box glyphs, substituted Wingdings and private-use boxes are none of
    // them ASCII.
    for (i, c) in raw.char_indices().filter(|(_, c)| !c.is_ascii()) {
        if removals.iter().any(|(s, e, _)| i >= *s && i < *e) {
            continue;
        }
        let (state, source, evidence) = if let Some(s) = substituted_wingdings(raw, i, c) {
            (
                s,
                MarkSource::SymbolFont,
                format!(
                    "Wingdings char {:02X} shown as \"{c}\" (font substituted)",
                    c as u32
                ),
            )
        } else if let Some(s) = unicode_box_state(c) {
            (s, MarkSource::Glyph, format!("glyph U+{:04X}", c as u32))
        } else if let Some((s, font)) = private_use_box(c) {
            (
                s,
                MarkSource::SymbolFont,
                format!("symbol font {} U+{:04X}", font.name(), c as u32),
            )
        } else {
            continue;
        };
        removals.push((
            i,
            i + c.len_utf8(),
            Some(PendingMark {
                offset: i,
                checked: Some(state),
                source,
                evidence,
                bbox: box_at(i),
            }),
        ));
    }
    let radio_mark = |at: usize, state: bool, c: char| PendingMark {
        offset: at,
        checked: Some(state),
        source: MarkSource::Glyph,
        evidence: format!("radio glyph U+{:04X}", c as u32),
        bbox: box_at(at),
    };
    let circles: Vec<_> = radio_circles(raw)
        .into_iter()
        .filter(|(at, _, _)| !removals.iter().any(|(s, e, _)| at >= s && at < e))
        .collect();
    let mut radio_lead = None;
    if circles.len() >= 2 && circles.iter().any(|(_, state, _)| !state) {
        // Choices side by side ("● Yes ○ No"): bullets come one to a line.
        for &(at, state, c) in &circles {
            removals.push((at, at + c.len_utf8(), Some(radio_mark(at, state, c))));
        }
    } else if let [(at, state, c)] = circles[..] {
        if raw[..at].trim().is_empty() && removals.is_empty() && marks.is_empty() {
            radio_lead = Some((radio_mark(at, state, c), c.len_utf8()));
        }
    }
    let has_box = !removals.is_empty() || !marks.is_empty();
    if !has_box {
        for (at, end) in typed_x_cells(raw) {
            removals.push((
                at,
                end,
                Some(PendingMark {
                    offset: at,
                    checked: Some(true),
                    source: MarkSource::Typed,
                    evidence: format!("typed \"{}\"", &raw[at..at + 1]),
                    bbox: box_at(at),
                }),
            ));
        }
    }
    if removals.is_empty() {
        return LiftedLine {
            text: raw.to_string(),
            marks: Vec::new(),
            radio_lead,
        };
    }
    removals.sort_by_key(|r| r.0);
    let mut text = String::with_capacity(raw.len());
    let mut cursor = 0;
    for (s, e, _) in &removals {
        if *s >= cursor {
            text.push_str(&raw[cursor..*s]);
            cursor = *e;
        }
    }
    text.push_str(&raw[cursor..]);
    let spans: Vec<(usize, usize)> = removals.iter().map(|(s, e, _)| (*s, *e)).collect();
    let shift = |old: usize| -> usize {
        let removed: usize = spans
            .iter()
            .map(|(s, e)| {
                if old >= *e {
                    e - s
                } else if old > *s {
                    old - s
                } else {
                    0
                }
            })
            .sum();
        old - removed
    };
    for m in marks.iter_mut() {
        m.offset = shift(m.offset);
    }
    for l in links.iter_mut() {
        l.start = shift(l.start);
        l.end = shift(l.end);
    }
    let lifted = removals
        .into_iter()
        .filter_map(|(_, _, m)| m)
        .map(|mut m| {
            m.offset = shift(m.offset);
            m
        })
        .collect();
    LiftedLine {
        text,
        marks: lifted,
        radio_lead: None,
    }
}

/// Lines beginning with a radio circle are choices when they form a column:
/// two or more such lines one after the other (a wrapped label's own lines
/// may come between), their circles at one left edge where positions are
/// known, with both an empty and a filled circle among them. A bulleted list
/// uses one kind of circle per level, and a second level is indented. The
/// circles of such a column leave the text and become marks.
fn resolve_radio_columns(doc: &mut Document, leads: Vec<RadioLead>) {
    const SAME_EDGE: f32 = 3.0;
    let left = |doc: &Document, line: usize| doc.lines[line].bbox.map(|b| b[0]);
    let mut columns: Vec<Vec<RadioLead>> = Vec::new();
    for lead in leads {
        let joins = columns.last().and_then(|c| c.last()).is_some_and(|prev| {
            let between = prev.line + 1..lead.line;
            let wrapped = between
                .clone()
                .all(|l| doc.lines[l].paragraph == doc.lines[prev.line].paragraph);
            let aligned = match (left(doc, prev.line), left(doc, lead.line)) {
                (Some(a), Some(b)) => (a - b).abs() <= SAME_EDGE,
                _ => true,
            };
            lead.line > prev.line
                && wrapped
                && doc.lines[prev.line].page == doc.lines[lead.line].page
                && aligned
        });
        match columns.last_mut() {
            Some(column) if joins => column.push(lead),
            _ => columns.push(vec![lead]),
        }
    }
    for column in columns {
        let states = |want: bool| column.iter().any(|l| l.mark.checked == Some(want));
        if column.len() < 2 || !states(true) || !states(false) {
            continue;
        }
        for lead in column {
            remove_from_line(doc, lead.line, lead.mark.offset, lead.len);
            let page = doc.lines[lead.line].page;
            doc.marks.push(lead.mark.placed(lead.line, page));
        }
    }
}

/// Removes `len` bytes at `at` from a finished line's text, moving the marks
/// and links anchored after it.
fn remove_from_line(doc: &mut Document, line: usize, at: usize, len: usize) {
    doc.lines[line].text.replace_range(at..at + len, "");
    let shift = |o: usize| if o >= at + len { o - len } else { o.min(at) };
    for m in doc.marks.iter_mut().filter(|m| m.line == line) {
        m.offset = shift(m.offset);
    }
    for l in doc.links.iter_mut().filter(|l| l.line == line) {
        l.start = shift(l.start);
        l.end = shift(l.end);
    }
}

/// Appends `s` with the typographic spaces as plain spaces (the no-break
/// space French puts before a colon, "Pays\u{A0}: France"; the ideographic
/// space) and the invisible formatting characters left out (zero-width
/// space, word joiner, byte-order mark), so that labels,
/// words and URLs read alike whoever typed them.
fn push_plain(text: &mut String, s: &str) {
    // None of the characters replaced or left out is ASCII.
    if s.is_ascii() {
        text.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                text.push(' ')
            }
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {}
            c => text.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    fn build(lines: &[&str]) -> Document {
        let mut b = FlowBuilder::new(Source {
            file: "t".into(),
            format: Format::Text,
            pages: None,
            text_layer: true,
        });
        for l in lines {
            b.text(l);
            b.end_paragraph();
        }
        b.finish()
    }

    #[test]
    fn glyphs_become_marks_and_leave_the_text() {
        let d = build(&["☒ Yes ☐ No"]);
        assert_eq!(d.lines[0].text, " Yes  No");
        assert_eq!(d.marks.len(), 2);
        assert_eq!(d.marks[0].checked, Some(true));
        assert_eq!(d.marks[0].offset, 0);
        assert_eq!(d.marks[1].checked, Some(false));
        assert_eq!(d.marks[1].offset, 5);
        assert_eq!(d.marks[1].evidence, "glyph U+2610");
    }

    #[test]
    fn typographic_spaces_are_spaces_and_invisible_characters_go() {
        let d = build(&[
            "Pays\u{A0}: France",
            "www.gov\u{200B}.fr\u{2060}/a\u{3000}b",
        ]);
        assert_eq!(d.lines[0].text, "Pays : France");
        assert_eq!(d.lines[1].text, "www.gov.fr/a b");
    }

    #[test]
    fn bracket_and_typed_marks() {
        let d = build(&[
            "[X] Blockchain [ ] Robotics",
            "X Big data",
            "X-ray machines",
            "x",
        ]);
        assert_eq!(d.lines[0].text, " Blockchain  Robotics");
        assert_eq!(d.marks.len(), 4);
        assert_eq!(d.marks[0].checked, Some(true));
        assert_eq!(d.marks[1].checked, Some(false));
        assert_eq!(d.lines[1].text, "Big data");
        assert_eq!(d.marks[2].source, MarkSource::Typed);
        assert_eq!(d.lines[2].text, "X-ray machines");
        assert_eq!(d.marks[3].line, 3);
    }

    #[test]
    fn an_x_at_the_start_of_a_tab_separated_cell_is_a_mark() {
        let d = build(&[
            "Blockchain\tX",
            "Big data\t",
            "AI\tX Blockchain\tBig data",
            "Windows X\tsupported\tX-ray",
            "\tX\tRobotics",
        ]);
        let states: Vec<_> = d.marks.iter().map(|m| (m.line, m.offset)).collect();
        assert_eq!(states, [(0, 11), (2, 3), (4, 1)]);
        assert_eq!(d.lines[0].text, "Blockchain\t");
        assert_eq!(d.lines[2].text, "AI\tBlockchain\tBig data");
        assert_eq!(d.lines[3].text, "Windows X\tsupported\tX-ray");
        assert_eq!(d.lines[4].text, "\tRobotics");
    }

    #[test]
    fn an_x_typed_before_an_option_set_beside_others_is_a_mark() {
        let d = build(&[
            "Yes   X No",
            "X Yes    No",
            "Yes X   No",
            "Platform  X is used by all agencies of the government today",
            "Generation  x users",
            "Yes    X No, not yet",
        ]);
        let states: Vec<_> = d.marks.iter().map(|m| (m.line, m.offset)).collect();
        assert_eq!(states, [(0, 6), (1, 0), (5, 7)]);
        assert_eq!(d.lines[0].text, "Yes   No");
        assert_eq!(d.lines[2].text, "Yes X   No");
        assert_eq!(d.lines[4].text, "Generation  x users");
    }

    #[test]
    fn parenthesised_typed_marks() {
        let d = build(&[
            "(X) Blockchain",
            "Yes (x) No ( )",
            "as listed in item (x) above",
            "call f() or (X)",
        ]);
        let states: Vec<_> = d.marks.iter().map(|m| (m.line, m.checked)).collect();
        assert_eq!(states, [(0, Some(true)), (1, Some(true)), (1, Some(false))]);
        assert_eq!(d.lines[0].text, " Blockchain");
        assert_eq!(d.lines[1].text, "Yes  No ");
        assert_eq!(d.lines[2].text, "as listed in item (x) above");
        assert_eq!(d.lines[3].text, "call f() or (X)");
    }

    #[test]
    fn radio_circles_side_by_side_are_choices() {
        let d = build(&["● Yes ○ No", "◉ Yes\t◯ No ◯ Not sure", "● one ● two"]);
        let states: Vec<_> = d.marks.iter().map(|m| (m.line, m.checked)).collect();
        assert_eq!(
            states,
            [
                (0, Some(true)),
                (0, Some(false)),
                (1, Some(true)),
                (1, Some(false)),
                (1, Some(false))
            ]
        );
        assert_eq!(d.lines[0].text, " Yes  No");
        assert_eq!(d.marks[1].evidence, "radio glyph U+25CB");
        // Filled circles only: bullets, left in the text.
        assert_eq!(d.lines[2].text, "● one ● two");
    }

    #[test]
    fn radio_circles_in_a_column_are_choices_bullets_are_not() {
        let d = build(&[
            "○ Yes",
            "● No",
            "Some text",
            "● first point",
            "● second point",
            "Text",
            "○ only empty",
            "○ circles",
            "Text",
            "\u{F06C} Wingdings filled",
            "\u{F0A1} Wingdings empty",
            "l Wingdings substituted",
            "\u{A1} empty",
            "like \u{A1}Hola l",
        ]);
        let states: Vec<_> = d.marks.iter().map(|m| (m.line, m.checked)).collect();
        assert_eq!(
            states,
            [
                (0, Some(false)),
                (1, Some(true)),
                (9, Some(true)),
                (10, Some(false)),
                (11, Some(true)),
                (12, Some(false))
            ]
        );
        assert_eq!(d.lines[1].text, " No");
        assert_eq!(d.lines[3].text, "● first point");
        assert_eq!(d.lines[6].text, "○ only empty");
    }

    #[test]
    fn an_indented_level_of_circles_is_a_bulleted_list() {
        let mut b = FlowBuilder::new(Source {
            file: "t".into(),
            format: Format::Pdf,
            pages: Some(1),
            text_layer: true,
        });
        for (x, text) in [(72.0, "● Portal"), (90.0, "○ Services"), (72.0, "● Data")] {
            b.set_bbox(Some([x, 700.0, 300.0, 710.0]));
            b.text(text);
            b.end_paragraph();
        }
        let d = b.finish();
        assert!(d.marks.is_empty());
        assert_eq!(d.lines[1].text, "○ Services");
    }

    #[test]
    fn wingdings_printed_without_the_font() {
        let d = build(&[
            "þ has an implementation plan.",
            "¨ is aligned",
            "Þingvellir þjóðgarður",
        ]);
        assert_eq!(d.marks.len(), 2);
        assert_eq!(d.marks[0].checked, Some(true));
        assert_eq!(d.marks[1].checked, Some(false));
        assert_eq!(d.lines[2].text, "Þingvellir þjóðgarður");
    }

    #[test]
    fn links_shift_with_removed_glyphs() {
        let mut b = FlowBuilder::new(Source {
            file: "t".into(),
            format: Format::Docx,
            pages: None,
            text_layer: true,
        });
        b.text("☒ see ");
        b.begin_link("https://example.org/".into());
        b.text("portal");
        b.end_link();
        let d = b.finish();
        assert_eq!(d.links[0].text, "portal");
    }

    #[test]
    fn empty_lines_are_dropped_but_marks_keep_theirs() {
        let d = build(&["", "   ", "☐"]);
        assert_eq!(d.lines.len(), 1);
        assert_eq!(d.marks[0].line, 0);
    }
}
