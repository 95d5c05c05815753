//! Word .docx reader: WordprocessingML read directly with zip + quick-xml.
//!
//! The crates that wrap .docx (docx-rs, docx-rust, dotext) were tried and all
//! lose the check-box state, which is the information this project exists to
//! recover; so the XML is walked here. What becomes a mark:
//! - content-control check boxes (`w:sdt` with `w14:checkbox`; a `w14:checked`
//!   without a value means checked), whose displayed glyph is not read twice;
//! - legacy `FORMCHECKBOX` fields (`w:ffData/w:checkBox`: `w:checked` overrides
//!   `w:default`, as in Word);
//! - `w:sym` characters and runs in Wingdings, Wingdings 2 and Webdings;
//! - box glyphs and typed marks in the text (lifted by the flow builder).
//!
//! A legacy `FORMDROPDOWN` field has no result text: the entry it shows
//! (`w:ddList`: `w:result`, else `w:default`, else the first) is written as
//! its text.
//!
//! Links come from `w:hyperlink` (`r:id` through the part's relationships) and
//! `HYPERLINK` fields, whose instruction may be split over many runs. Footnotes
//! live in their own part and never enter the body; deleted revisions are
//! dropped and insertions kept; placeholder text of empty content controls is
//! skipped. The main part is found through `_rels/.rels`.

use std::cell::Cell as SharedCount;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::boxes::{unicode_box_state, SymbolFont};
use super::flow::FlowBuilder;
use super::forms_control::{self, ControlContent, FormsControl};
use super::xml::{attr, local_name, on_off, resolve_reference};
use super::Limits;
use crate::error::{ErrorKind, Result};
use crate::model::{Cell, Document, Format, MarkSource, Source};

const FORMAT: &str = "docx";

pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document> {
    let mut package = Package::open(bytes, limits)?;
    let main = package.main_part_name()?;
    let relationships = package.relationships_of(&main)?;
    let xml = package.read_part(&main)?.ok_or_else(|| {
        ErrorKind::corrupt(FORMAT, format!("main document part {main} is missing"))
    })?;
    let numbering = match relationships.get("type:numbering") {
        Some(rel) if !rel.external => match package.read_part(&rel.target)? {
            Some(bytes) => parse_numbering(&bytes),
            None => HashMap::new(),
        },
        _ => HashMap::new(),
    };
    // Most answered forms have no control left showing its placeholder:
    // the styles and glossary parts are read only when one says it does.
    let flag = b"showingPlcHdr";
    let showing_placeholder = if xml.windows(flag.len()).any(|w| w == flag) {
        let mut related_part = |kind: &str| match relationships.get(kind) {
            Some(rel) if !rel.external => package.read_part(&rel.target),
            _ => Ok(None),
        };
        let styles =
            super::docx_placeholders::placeholder_styles(related_part("type:styles")?.as_deref());
        let blocks = super::docx_placeholders::building_blocks(
            related_part("type:glossaryDocument")?.as_deref(),
        );
        super::docx_placeholders::controls_showing_placeholder(&xml, &styles, &blocks)
    } else {
        HashSet::new()
    };
    let mut flow = FlowBuilder::new(Source {
        file: name.to_string(),
        format: Format::Docx,
        pages: None,
        text_layer: true,
    });
    let controls = read_controls(&mut package, &relationships)?;
    let mut walker = BodyWalker::new(&mut flow, &relationships, limits.max_xml_depth);
    walker.numbering = &numbering;
    walker.showing_placeholder = &showing_placeholder;
    walker.activex = &controls;
    walker.walk(&xml, &main)?;
    Ok(flow.finish())
}

/// The zip container with its limits enforced on every read.
struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: &'a Limits,
    unzipped: u64,
}

#[derive(Debug, Clone)]
struct Relationship {
    target: String,
    external: bool,
    /// The type's last segment ("hyperlink", "control").
    kind: String,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Self> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ErrorKind::corrupt(FORMAT, format!("not a readable zip archive ({e})")))?;
        if archive.len() > limits.max_zip_entries {
            return Err(ErrorKind::LimitExceeded(format!(
                "zip has {} entries, more than the limit of {}",
                archive.len(),
                limits.max_zip_entries
            )));
        }
        Ok(Package {
            archive,
            limits,
            unzipped: 0,
        })
    }

    /// Reads a part, or `None` when the package has no such part. The size is
    /// checked on the inflated bytes as they come, not on what the zip claims.
    fn read_part(&mut self, name: &str) -> Result<Option<Vec<u8>>> {
        let name = name.trim_start_matches('/');
        let index = match self.archive.index_for_name(name) {
            Some(i) => i,
            None => {
                // Part names are case-insensitive in OPC.
                let lower = name.to_ascii_lowercase();
                match (0..self.archive.len()).find(|&i| {
                    self.archive
                        .name_for_index(i)
                        .is_some_and(|n| n.is_ok_and(|n| n.to_ascii_lowercase() == lower))
                }) {
                    Some(i) => i,
                    None => return Ok(None),
                }
            }
        };
        let budget = self
            .limits
            .max_part_bytes
            .min(self.limits.max_unzipped_bytes.saturating_sub(self.unzipped));
        let entry = self
            .archive
            .by_index_raw(index)
            .map_err(|e| ErrorKind::corrupt(FORMAT, format!("zip entry {name}: {e}")))?;
        let method = entry.compression();
        // Inflated here, not by the zip crate, to watch the ratio of bytes out
        // to compressed bytes in as it grows: a bomb is stopped after a few
        // megabytes, whatever sizes its headers claim.
        let consumed = Rc::new(SharedCount::new(0u64));
        let counted = CountingReader {
            inner: entry,
            count: Rc::clone(&consumed),
        };
        let mut source: Box<dyn Read> = match method {
            zip::CompressionMethod::Stored => Box::new(counted),
            zip::CompressionMethod::Deflated => {
                Box::new(flate2::read::DeflateDecoder::new(counted))
            }
            other => {
                return Err(ErrorKind::Unsupported(format!(
                    "zip entry {name} uses compression {other:?}"
                )))
            }
        };
        let mut data = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = source
                .read(&mut chunk)
                .map_err(|e| ErrorKind::corrupt(FORMAT, format!("cannot inflate {name}: {e}")))?;
            if n == 0 {
                break;
            }
            data.extend_from_slice(&chunk[..n]);
            let out = data.len() as u64;
            if out > budget {
                return Err(ErrorKind::LimitExceeded(format!(
                    "part {name} inflates beyond {budget} bytes (limits: {} per part, {} per file)",
                    self.limits.max_part_bytes, self.limits.max_unzipped_bytes
                )));
            }
            if out > self.limits.ratio_check_from
                && out
                    > consumed
                        .get()
                        .saturating_mul(self.limits.max_compression_ratio)
            {
                return Err(ErrorKind::LimitExceeded(format!(
                    "part {name} inflates to more than {} times its compressed size (a zip bomb)",
                    self.limits.max_compression_ratio
                )));
            }
        }
        self.unzipped += data.len() as u64;
        Ok(Some(data))
    }

    fn main_part_name(&mut self) -> Result<String> {
        if let Some(rels) = self.read_part("_rels/.rels")? {
            let rels = parse_relationships(&rels, "_rels/.rels", "")?;
            if let Some(target) = rels.get("type:officeDocument") {
                return Ok(target.target.clone());
            }
        }
        if self.archive.index_for_name("word/document.xml").is_some() {
            return Ok("word/document.xml".into());
        }
        let is_office = self.archive.index_for_name("[Content_Types].xml").is_some();
        Err(if is_office {
            ErrorKind::corrupt(FORMAT, "package has no main document part")
        } else {
            ErrorKind::Unsupported("zip archive that is not a Word document".into())
        })
    }

    /// Relationships of a part, keyed by id (and for the package, by type).
    fn relationships_of(&mut self, part: &str) -> Result<HashMap<String, Relationship>> {
        let (dir, file) = match part.rfind('/') {
            Some(i) => (&part[..i], &part[i + 1..]),
            None => ("", part),
        };
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        match self.read_part(&rels_name)? {
            Some(bytes) => parse_relationships(&bytes, &rels_name, dir),
            None => Ok(HashMap::new()),
        }
    }
}

/// Counts the compressed bytes read from a zip entry.
struct CountingReader<R> {
    inner: R,
    count: Rc<SharedCount<u64>>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Parses a relationships part. Entries are keyed by `Id`, and the first of
/// each type also by `type:` and the type's last segment ("type:numbering"),
/// which is the same in Transitional and Strict OOXML.
fn parse_relationships(
    bytes: &[u8],
    part: &str,
    base_dir: &str,
) -> Result<HashMap<String, Relationship>> {
    let mut reader = Reader::from_reader(bytes);
    let mut map = HashMap::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if local_name(&e) == b"Relationship" => {
                let id = attr(&e, b"Id").unwrap_or_default();
                let target = attr(&e, b"Target").unwrap_or_default();
                let kind = attr(&e, b"Type").unwrap_or_default();
                let external = attr(&e, b"TargetMode").is_some_and(|m| m == "External");
                let resolved = if external {
                    target
                } else {
                    resolve_part_name(base_dir, &target)
                };
                let suffix = kind.rsplit('/').next().unwrap_or_default().to_string();
                let rel = Relationship {
                    target: resolved,
                    external,
                    kind: suffix.clone(),
                };
                map.entry(format!("type:{suffix}"))
                    .or_insert_with(|| rel.clone());
                map.insert(id, rel);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(ErrorKind::corrupt(
                    FORMAT,
                    format!(
                        "malformed XML in {part} at byte {}: {e}",
                        reader.error_position()
                    ),
                ))
            }
        }
    }
    Ok(map)
}

/// The ActiveX controls the main part refers to, by relationship id. A
/// control's state is in parts of its own: the control part (`activeXN.xml`,
/// class id and, for a property bag, the properties) and the binary storage it
/// refers to. A control whose parts are missing or unreadable is left out:
/// the document reads without it.
fn read_controls(
    package: &mut Package,
    relationships: &HashMap<String, Relationship>,
) -> Result<HashMap<String, FormsControl>> {
    let mut controls = HashMap::new();
    // In id order, so that a limit hit names the same part on every run.
    let mut ids: Vec<&String> = relationships.keys().collect();
    ids.sort();
    for id in ids {
        let rel = &relationships[id];
        if rel.kind != "control" || rel.external || id.starts_with("type:") {
            continue;
        }
        let Some(xml) = package.read_part(&rel.target)? else {
            continue;
        };
        let part = ControlPart::parse(&xml);
        let control = if part.persistence.as_deref() == Some("persistPropertyBag") {
            let property = |name: &str| {
                part.properties
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
            };
            forms_control::from_properties(
                part.class_id.as_deref(),
                property("Value"),
                property("Caption"),
            )
        } else {
            let storage = part
                .storage_id
                .as_ref()
                .and_then(|sid| package.relationships_of(&rel.target).ok()?.remove(sid))
                .filter(|r| !r.external);
            match storage {
                Some(storage) => package.read_part(&storage.target)?.and_then(|bytes| {
                    forms_control::read_storage(
                        &bytes,
                        part.class_id.as_deref(),
                        package.limits.max_part_bytes,
                    )
                }),
                None => None,
            }
        };
        if let Some(control) = control {
            controls.insert(id.clone(), control);
        }
    }
    Ok(controls)
}

/// What an ActiveX control part (`ax:ocx`) says.
#[derive(Debug, Default)]
struct ControlPart {
    class_id: Option<String>,
    persistence: Option<String>,
    /// Relationship id of the binary storage.
    storage_id: Option<String>,
    /// `ax:ocxPr` name and value pairs (property-bag persistence).
    properties: Vec<(String, String)>,
}

impl ControlPart {
    fn parse(xml: &[u8]) -> ControlPart {
        let mut part = ControlPart::default();
        let mut reader = Reader::from_reader(xml);
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match local_name(&e).as_slice() {
                    b"ocx" => {
                        part.class_id = attr(&e, b"classid");
                        part.persistence = attr(&e, b"persistence");
                        part.storage_id = attr(&e, b"id");
                    }
                    b"ocxPr" => {
                        if let (Some(n), Some(v)) = (attr(&e, b"name"), attr(&e, b"value")) {
                            part.properties.push((n, v));
                        }
                    }
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
        }
        part
    }
}

/// The bullet of a list level: its text and the font it is drawn in.
#[derive(Debug, Clone, Default)]
struct ListBullet {
    text: String,
    font: Option<String>,
}

/// Reads the numbering part into (numId, level) → bullet. Word draws check-box
/// lists ("☐ item") with such bullets, so a bullet can be a tick box. A broken
/// numbering part only loses bullets, never the document.
fn parse_numbering(bytes: &[u8]) -> HashMap<(String, String), ListBullet> {
    let mut abstract_levels: HashMap<(String, String), ListBullet> = HashMap::new();
    let mut num_to_abstract: Vec<(String, String)> = Vec::new();
    let mut reader = Reader::from_reader(bytes);
    let (mut abstract_id, mut level, mut num_id) = (None::<String>, None::<String>, None::<String>);
    let mut stack: Vec<Vec<u8>> = Vec::new();
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(_)) => {
                stack.pop();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let name = local_name(&e);
        let parent = stack.last().map(Vec::as_slice).unwrap_or(b"");
        match name.as_slice() {
            b"abstractNum" => abstract_id = attr(&e, b"abstractNumId"),
            b"lvl" if parent == b"abstractNum" => level = attr(&e, b"ilvl"),
            b"lvlText" => {
                if let (Some(a), Some(l)) = (&abstract_id, &level) {
                    abstract_levels
                        .entry((a.clone(), l.clone()))
                        .or_default()
                        .text = attr(&e, b"val").unwrap_or_default();
                }
            }
            b"rFonts" if stack.iter().any(|n| n == b"lvl") => {
                if let (Some(a), Some(l)) = (&abstract_id, &level) {
                    abstract_levels
                        .entry((a.clone(), l.clone()))
                        .or_default()
                        .font = attr(&e, b"ascii").or_else(|| attr(&e, b"hAnsi"));
                }
            }
            b"num" => num_id = attr(&e, b"numId"),
            b"abstractNumId" if parent == b"num" => {
                if let (Some(n), Some(a)) = (&num_id, attr(&e, b"val")) {
                    num_to_abstract.push((n.clone(), a));
                }
            }
            _ => {}
        }
        if !empty {
            stack.push(name);
        }
    }
    let mut out = HashMap::new();
    for (num, abs) in num_to_abstract {
        for ((a, l), bullet) in &abstract_levels {
            if *a == abs {
                out.insert((num.clone(), l.clone()), bullet.clone());
            }
        }
    }
    out
}

/// Resolves a relationship target against the folder of its source part.
fn resolve_part_name(base_dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// A field (`w:fldChar` begin … separate … end, or `w:fldSimple`).
struct Field {
    instruction: String,
    in_result: bool,
    checkbox: Option<LegacyCheckBox>,
    drop_down: Option<LegacyDropDown>,
    link_open: bool,
    /// Its check box's mark or its drop-down's entry is written.
    value_emitted: bool,
}

#[derive(Default)]
struct LegacyCheckBox {
    name: Option<String>,
    default: Option<bool>,
    checked: Option<bool>,
}

#[derive(Default)]
struct LegacyDropDown {
    entries: Vec<String>,
    result: Option<usize>,
    default: Option<usize>,
}

/// A structured document tag (content control).
#[derive(Default)]
struct ContentControl {
    checkbox: Option<bool>,
    /// Flagged as showing its placeholder (`w:showingPlcHdr`).
    flagged: bool,
    id: Option<String>,
    tag: Option<String>,
    suppresses_content: bool,
}

#[derive(Clone, Copy)]
struct TablePosition {
    id: u32,
    row: Option<u32>,
    col: u32,
}

static NO_PLACEHOLDERS: std::sync::LazyLock<HashSet<String>> =
    std::sync::LazyLock::new(HashSet::new);
static NO_NUMBERING: std::sync::LazyLock<HashMap<(String, String), ListBullet>> =
    std::sync::LazyLock::new(HashMap::new);
static NO_CONTROLS: std::sync::LazyLock<HashMap<String, FormsControl>> =
    std::sync::LazyLock::new(HashMap::new);

struct BodyWalker<'f> {
    flow: &'f mut FlowBuilder,
    relationships: &'f HashMap<String, Relationship>,
    max_depth: usize,
    /// Local names of the open elements.
    stack: Vec<Vec<u8>>,
    /// While set, everything below the element at this depth is ignored.
    skip_below: Option<usize>,
    in_text: bool,
    in_instruction: bool,
    run_font: Option<String>,
    fields: Vec<Field>,
    controls: Vec<ContentControl>,
    suppressed: usize,
    hyperlinks: Vec<bool>,
    tables: Vec<TablePosition>,
    next_table: u32,
    paragraph_depth: usize,
    numbering: &'f HashMap<(String, String), ListBullet>,
    /// The `w:id`s of the content controls that show their placeholder.
    showing_placeholder: &'f HashSet<String>,
    /// The current paragraph's list (numId, level).
    list: (Option<String>, Option<String>),
    /// ActiveX controls by relationship id.
    activex: &'f HashMap<String, FormsControl>,
}

impl<'f> BodyWalker<'f> {
    fn new(
        flow: &'f mut FlowBuilder,
        relationships: &'f HashMap<String, Relationship>,
        max_depth: usize,
    ) -> Self {
        BodyWalker {
            flow,
            relationships,
            max_depth,
            stack: Vec::new(),
            skip_below: None,
            in_text: false,
            in_instruction: false,
            run_font: None,
            fields: Vec::new(),
            controls: Vec::new(),
            suppressed: 0,
            hyperlinks: Vec::new(),
            tables: Vec::new(),
            next_table: 0,
            paragraph_depth: 0,
            numbering: &NO_NUMBERING,
            showing_placeholder: &NO_PLACEHOLDERS,
            list: (None, None),
            activex: &NO_CONTROLS,
        }
    }

    fn walk(mut self, xml: &[u8], part: &str) -> Result<()> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().check_end_names = false;
        let mut saw_root = false;
        loop {
            let event = reader.read_event().map_err(|e| {
                ErrorKind::corrupt(
                    FORMAT,
                    format!(
                        "malformed XML in {part} at byte {}: {e}",
                        reader.error_position()
                    ),
                )
            })?;
            match event {
                Event::Start(e) => {
                    if !saw_root {
                        saw_root = true;
                        self.check_root(&e)?;
                    }
                    self.stack.push(local_name(&e));
                    if self.stack.len() > self.max_depth {
                        return Err(ErrorKind::LimitExceeded(format!(
                            "XML in {part} nests deeper than {} elements",
                            self.max_depth
                        )));
                    }
                    if self.skip_below.is_none() {
                        self.start(&e);
                    }
                }
                Event::Empty(e) => {
                    if !saw_root {
                        saw_root = true;
                        self.check_root(&e)?;
                    }
                    if self.skip_below.is_none() {
                        self.stack.push(local_name(&e));
                        self.start(&e);
                        if self.skip_below == Some(self.stack.len()) {
                            // An empty element has nothing below it to skip.
                            self.skip_below = None;
                        } else {
                            self.end();
                        }
                        self.stack.pop();
                    }
                }
                Event::End(_) => {
                    if self.skip_below == Some(self.stack.len()) {
                        self.skip_below = None;
                    } else if self.skip_below.is_none() {
                        self.end();
                    }
                    self.stack.pop();
                }
                Event::Text(t) if self.skip_below.is_none() => {
                    let s = t
                        .xml_content()
                        .map(|c| c.into_owned())
                        .unwrap_or_else(|_| String::from_utf8_lossy(&t).into_owned());
                    self.characters(&s);
                }
                Event::CData(t) if self.skip_below.is_none() => {
                    self.characters(&String::from_utf8_lossy(&t));
                }
                Event::GeneralRef(r) if self.skip_below.is_none() => {
                    self.characters(&resolve_reference(&r));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(ErrorKind::corrupt(
                FORMAT,
                format!("{part} holds no XML element"),
            ));
        }
        Ok(())
    }

    fn check_root(&self, e: &BytesStart) -> Result<()> {
        let name = local_name(e);
        if name == b"document" || name == b"glossaryDocument" {
            Ok(())
        } else {
            Err(ErrorKind::Unsupported(format!(
                "Office package whose main part is <{}>, not a Word document",
                String::from_utf8_lossy(&name)
            )))
        }
    }

    fn parent(&self) -> &[u8] {
        let n = self.stack.len();
        if n >= 2 {
            &self.stack[n - 2]
        } else {
            b""
        }
    }

    fn start(&mut self, e: &BytesStart) {
        let name = local_name(e);
        match name.as_slice() {
            // Deleted revisions, the VML fallback of drawings, and parts that are
            // not body text are skipped whole.
            b"del" | b"moveFrom" | b"Fallback" | b"footnoteReference" | b"endnoteReference"
            | b"commentReference" | b"sectPr" | b"pPrChange" | b"rPrChange" => {
                self.skip_below = Some(self.stack.len());
            }
            b"p" => {
                if self.paragraph_depth > 0 {
                    self.flow.line_break();
                }
                self.paragraph_depth += 1;
                self.list = (None, None);
            }
            b"numId" if self.parent() == b"numPr" => self.list.0 = attr(e, b"val"),
            b"ilvl" if self.parent() == b"numPr" => self.list.1 = attr(e, b"val"),
            b"tbl" => {
                self.flow.end_paragraph();
                self.tables.push(TablePosition {
                    id: self.next_table,
                    row: None,
                    col: 0,
                });
                self.next_table += 1;
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(t.row.map_or(0, |r| r + 1));
                    t.col = 0;
                }
            }
            b"tc" => {
                self.flow.end_paragraph();
                if let Some(t) = self.tables.last() {
                    self.flow.set_cell(Some(Cell {
                        table: t.id,
                        row: t.row.unwrap_or(0),
                        col: t.col,
                    }));
                }
            }
            b"r" => self.run_font = None,
            b"rFonts" if self.parent() == b"rPr" => {
                self.run_font = attr(e, b"ascii")
                    .or_else(|| attr(e, b"hAnsi"))
                    .or_else(|| attr(e, b"cs"));
            }
            b"t" => self.in_text = true,
            b"instrText" => self.in_instruction = true,
            b"tab" if self.parent() == b"r" => self.characters_raw("\t"),
            b"br" | b"cr" => self.flow.line_break(),
            b"noBreakHyphen" => self.characters_raw("-"),
            b"sym" => self.symbol(e),
            b"hyperlink" => {
                let anchor = attr(e, b"anchor").filter(|a| !a.is_empty());
                let target = attr(e, b"id")
                    .and_then(|id| self.relationships.get(&id))
                    .filter(|r| r.external)
                    .map(|r| match &anchor {
                        Some(a) if !r.target.contains('#') => format!("{}#{a}", r.target),
                        _ => r.target.clone(),
                    });
                let open = target.is_some() && self.suppressed == 0;
                if let Some(url) = target.filter(|_| open) {
                    self.flow.begin_link(url);
                }
                self.hyperlinks.push(open);
            }
            b"fldChar" => self.field_char(e),
            b"name" if self.parent() == b"ffData" => {
                if let Some(f) = self.fields.last_mut() {
                    let cb = f.checkbox.get_or_insert_with(LegacyCheckBox::default);
                    cb.name = attr(e, b"val");
                }
            }
            b"checkBox" if self.parent() == b"ffData" => {
                if let Some(f) = self.fields.last_mut() {
                    f.checkbox.get_or_insert_with(LegacyCheckBox::default);
                }
            }
            b"default" if self.parent() == b"checkBox" => {
                if let Some(cb) = self.fields.last_mut().and_then(|f| f.checkbox.as_mut()) {
                    cb.default = Some(on_off(attr(e, b"val").as_deref()));
                }
            }
            b"checked" if self.parent() == b"checkBox" => {
                if let Some(cb) = self.fields.last_mut().and_then(|f| f.checkbox.as_mut()) {
                    cb.checked = Some(on_off(attr(e, b"val").as_deref()));
                }
            }
            b"ddList" if self.parent() == b"ffData" => {
                if let Some(f) = self.fields.last_mut() {
                    f.drop_down.get_or_insert_with(LegacyDropDown::default);
                }
            }
            b"listEntry" if self.parent() == b"ddList" => {
                if let Some(dd) = self.drop_down() {
                    dd.entries.push(attr(e, b"val").unwrap_or_default());
                }
            }
            b"result" if self.parent() == b"ddList" => {
                if let Some(dd) = self.drop_down() {
                    dd.result = attr(e, b"val").and_then(|v| v.parse().ok());
                }
            }
            b"default" if self.parent() == b"ddList" => {
                if let Some(dd) = self.drop_down() {
                    dd.default = attr(e, b"val").and_then(|v| v.parse().ok());
                }
            }
            b"fldSimple" => {
                let instruction = attr(e, b"instr").unwrap_or_default();
                self.fields.push(Field {
                    instruction,
                    in_result: false,
                    checkbox: None,
                    drop_down: None,
                    link_open: false,
                    value_emitted: false,
                });
                self.field_separate();
            }
            b"sdt" => self.controls.push(ContentControl::default()),
            b"checkbox" if self.parent() == b"sdtPr" => {
                if let Some(c) = self.controls.last_mut() {
                    c.checkbox = Some(false);
                }
            }
            b"checked" if self.parent() == b"checkbox" => {
                if let Some(c) = self.controls.last_mut() {
                    c.checkbox = Some(on_off(attr(e, b"val").as_deref()));
                }
            }
            b"showingPlcHdr" if self.parent() == b"sdtPr" => {
                if let Some(c) = self.controls.last_mut() {
                    c.flagged = on_off(attr(e, b"val").as_deref());
                }
            }
            b"id" if self.parent() == b"sdtPr" => {
                if let Some(c) = self.controls.last_mut() {
                    c.id = attr(e, b"val");
                }
            }
            b"tag" | b"alias" if self.parent() == b"sdtPr" => {
                if let Some(c) = self.controls.last_mut() {
                    if c.tag.is_none() {
                        c.tag = attr(e, b"val").filter(|v| !v.is_empty());
                    }
                }
            }
            b"sdtContent" => self.content_control_content(),
            b"control" => self.activex_control(e),
            _ => {}
        }
    }

    fn end(&mut self) {
        let name = self.stack.last().cloned().unwrap_or_default();
        match name.as_slice() {
            b"p" => {
                self.paragraph_depth = self.paragraph_depth.saturating_sub(1);
                if self.paragraph_depth == 0 {
                    self.flow.end_paragraph();
                } else {
                    self.flow.line_break();
                }
            }
            b"tbl" => {
                self.flow.end_paragraph();
                self.tables.pop();
                let cell = self.tables.last().map(|t| Cell {
                    table: t.id,
                    row: t.row.unwrap_or(0),
                    col: t.col,
                });
                self.flow.set_cell(cell);
            }
            b"tc" => {
                self.flow.end_paragraph();
                if let Some(t) = self.tables.last_mut() {
                    t.col += 1;
                }
                self.flow.set_cell(None);
            }
            b"t" => self.in_text = false,
            b"instrText" => self.in_instruction = false,
            b"pPr" => self.list_bullet(),
            b"hyperlink" if self.hyperlinks.pop() == Some(true) => {
                self.flow.end_link();
            }
            b"fldSimple" => self.field_end(),
            b"sdtContent" if self.controls.last().is_some_and(|c| c.suppresses_content) => {
                self.suppressed = self.suppressed.saturating_sub(1);
            }
            b"sdt" => {
                self.controls.pop();
            }
            _ => {}
        }
    }

    fn characters(&mut self, s: &str) {
        if self.in_instruction {
            if let Some(f) = self.fields.last_mut() {
                if !f.in_result {
                    f.instruction.push_str(s);
                }
            }
        } else if self.in_text {
            self.characters_raw(s);
        }
    }

    /// Text of the document body, unless it is hidden by a field code or an
    /// empty content control's placeholder.
    fn characters_raw(&mut self, s: &str) {
        if self.suppressed > 0 {
            return;
        }
        // Result text of a field nested in another field's code is part of the
        // outer instruction (a computed URL), not of the body.
        if let Some(outer) = self.fields.iter_mut().rev().find(|f| !f.in_result) {
            outer.instruction.push_str(s);
            return;
        }
        match self.run_font.as_deref().and_then(SymbolFont::from_family) {
            Some(font) => {
                for c in s.chars() {
                    // Other dingbats are bullets and ornaments: not words.
                    if !self.flow.symbol_font_box(font, c as u32) && c.is_whitespace() {
                        self.flow.text(&c.to_string());
                    }
                }
            }
            None => self.flow.text(s),
        }
    }

    /// A list whose bullet is a box: a mark at the start of the paragraph.
    fn list_bullet(&mut self) {
        let (Some(num), level) = self.list.clone() else {
            return;
        };
        let key = (num, level.unwrap_or_else(|| "0".into()));
        let Some(bullet) = self.numbering.get(&key) else {
            return;
        };
        let mut chars = bullet.text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return;
        };
        let symbol_font = bullet.font.as_deref().and_then(SymbolFont::from_family);
        let (state, source, evidence) = match symbol_font
            .and_then(|f| f.box_state(c as u32).map(|s| (f, s)))
        {
            Some((font, state)) => (
                state,
                MarkSource::SymbolFont,
                format!(
                    "list bullet in {} char {:02X}",
                    font.name(),
                    c as u32 & 0xFF
                ),
            ),
            None => match unicode_box_state(c).or_else(|| super::boxes::private_use_box_state(c)) {
                Some(state) => (
                    state,
                    MarkSource::Glyph,
                    format!("list bullet glyph U+{:04X}", c as u32),
                ),
                None => return,
            },
        };
        if self.suppressed == 0 {
            self.flow.mark(Some(state), source, evidence);
        }
    }

    fn symbol(&mut self, e: &BytesStart) {
        if self.suppressed > 0 {
            return;
        }
        let font = attr(e, b"font").unwrap_or_default();
        let Some(code) = attr(e, b"char").and_then(|c| u32::from_str_radix(c.trim(), 16).ok())
        else {
            return;
        };
        if let Some(symbol_font) = SymbolFont::from_family(&font) {
            self.flow.symbol_font_box(symbol_font, code);
            return;
        }
        // Unicode-capable fonts (Segoe UI Symbol, MS Gothic) carry real code points.
        if let Some(c) = char::from_u32(code) {
            if unicode_box_state(c).is_some() || !(0xF000..=0xF0FF).contains(&code) {
                self.characters_raw(&c.to_string());
            }
        }
    }

    fn field_char(&mut self, e: &BytesStart) {
        match attr(e, b"fldCharType").as_deref() {
            Some("begin") => self.fields.push(Field {
                instruction: String::new(),
                in_result: false,
                checkbox: None,
                drop_down: None,
                link_open: false,
                value_emitted: false,
            }),
            Some("separate") => self.field_separate(),
            Some("end") => self.field_end(),
            _ => {}
        }
    }

    fn field_separate(&mut self) {
        let suppressed = self.suppressed > 0;
        let Some(field) = self.fields.last_mut() else {
            return;
        };
        if field.in_result {
            return;
        }
        field.in_result = true;
        let instruction = field.instruction.clone();
        let keyword = field_keyword(&instruction);
        if keyword == "HYPERLINK" && !suppressed {
            if let Some(url) = hyperlink_target(&instruction) {
                field.link_open = true;
                self.flow.begin_link(url);
            }
        }
        self.emit_legacy_form_field();
    }

    fn field_end(&mut self) {
        let Some(top) = self.fields.last() else {
            return;
        };
        if !top.in_result {
            // A field with no result part (FORMCHECKBOX usually has none).
            self.field_separate();
        }
        self.emit_legacy_form_field();
        if let Some(field) = self.fields.pop() {
            if field.link_open {
                self.flow.end_link();
            }
        }
    }

    /// The drop-down list of the innermost open field, if it has one.
    fn drop_down(&mut self) -> Option<&mut LegacyDropDown> {
        self.fields.last_mut().and_then(|f| f.drop_down.as_mut())
    }

    /// A legacy form field's value, once: a check box's mark, or the entry a
    /// drop-down shows, as text.
    fn emit_legacy_form_field(&mut self) {
        let suppressed = self.suppressed > 0;
        let Some(field) = self.fields.last_mut() else {
            return;
        };
        let keyword = field_keyword(&field.instruction);
        let is_value = matches!(keyword.as_str(), "FORMCHECKBOX" | "FORMDROPDOWN");
        if field.value_emitted || !is_value || suppressed {
            return;
        }
        field.value_emitted = true;
        if keyword == "FORMDROPDOWN" {
            let dd = field.drop_down.take().unwrap_or_default();
            let shown = dd.result.or(dd.default).unwrap_or(0);
            if let Some(entry) = dd.entries.get(shown).filter(|e| !e.trim().is_empty()) {
                self.characters_raw(entry);
            }
            return;
        }
        let cb = field.checkbox.take().unwrap_or_default();
        let (state, from) = match (cb.checked, cb.default) {
            (Some(c), _) => (Some(c), "w:checked"),
            (None, Some(d)) => (Some(d), "w:default"),
            (None, None) => (Some(false), "no w:checked or w:default"),
        };
        let name = cb
            .name
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "(unnamed)".into());
        let word = if state == Some(true) {
            "checked"
        } else {
            "unchecked"
        };
        self.flow.mark(
            state,
            MarkSource::LegacyField,
            format!("legacy form field {name} {word} ({from})"),
        );
    }

    /// An ActiveX control (`w:control` in a `w:object`): a check box's mark
    /// and caption, or a text box's value.
    fn activex_control(&mut self, e: &BytesStart) {
        let Some(control) = attr(e, b"id").and_then(|id| self.activex.get(&id)) else {
            return;
        };
        let name = attr(e, b"name").unwrap_or_else(|| "(unnamed)".into());
        match control.content(&name) {
            Some(ControlContent::Mark {
                checked,
                source,
                evidence,
                caption,
            }) => {
                if self.suppressed == 0 {
                    self.flow.mark(checked, source, evidence);
                }
                if let Some(caption) = caption {
                    self.characters_raw(&format!(" {caption} "));
                }
            }
            Some(ControlContent::Text(value)) => self.characters_raw(&value),
            None => {}
        }
    }

    fn content_control_content(&mut self) {
        let suppressed = self.suppressed > 0;
        let Some(control) = self.controls.last_mut() else {
            return;
        };
        if let Some(state) = control.checkbox {
            if !suppressed {
                let name = control
                    .tag
                    .clone()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default();
                let word = if state { "checked" } else { "unchecked" };
                self.flow.mark(
                    Some(state),
                    MarkSource::ContentControl,
                    format!("content control{name} w14:checkbox {word}"),
                );
            }
            // The box glyph shown inside is the same mark: not read again.
            control.suppresses_content = true;
        } else if control.flagged {
            // A control without an id cannot be told apart: flagged, it is
            // taken at its word.
            control.suppresses_content = control
                .id
                .as_ref()
                .is_none_or(|id| self.showing_placeholder.contains(id));
        }
        if control.suppresses_content {
            self.suppressed += 1;
        }
    }
}

/// The field type: the instruction's first word, upper-cased ("HYPERLINK",
/// "FORMCHECKBOX").
pub(crate) fn field_keyword(instruction: &str) -> String {
    instruction
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}

/// The URL of a `HYPERLINK` field instruction, or `None` for a link to a
/// bookmark inside the document (`\l`).
pub(crate) fn hyperlink_target(instruction: &str) -> Option<String> {
    let rest = instruction.trim_start();
    let rest = rest.get("HYPERLINK".len()..)?.trim();
    let mut tokens = Vec::new();
    let mut chars = rest.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '\u{201C}' || c == '\u{201D}' {
            chars.next();
            let mut t = String::new();
            for c in chars.by_ref() {
                if c == '"' || c == '\u{201C}' || c == '\u{201D}' {
                    break;
                }
                t.push(c);
            }
            tokens.push((t, true));
        } else {
            let mut t = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                t.push(c);
                chars.next();
            }
            tokens.push((t, false));
        }
    }
    let mut url: Option<String> = None;
    let mut anchor: Option<String> = None;
    let mut i = 0;
    while i < tokens.len() {
        let (t, quoted) = &tokens[i];
        if !quoted && t.starts_with('\\') {
            // Switches with an argument: \l bookmark, \o tooltip, \t frame, \m coords.
            if matches!(t.as_str(), "\\l" | "\\o" | "\\t" | "\\m") {
                if t == "\\l" {
                    anchor = tokens.get(i + 1).map(|(a, _)| a.clone());
                }
                i += 1;
            }
        } else if url.is_none() {
            let u = t.trim().replace("\\\\", "\\");
            if !u.is_empty() {
                url = Some(u);
            }
        }
        i += 1;
    }
    // Word opens URL#bookmark when both are given; a bookmark alone stays
    // inside the document and is no URL.
    url.map(|u| match anchor {
        Some(a) if !a.is_empty() && !u.contains('#') => format!("{u}#{a}"),
        _ => u,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperlink_instructions() {
        assert_eq!(
            hyperlink_target(r#" HYPERLINK "https://www.e-gov.go.jp/" \o "portal" "#).as_deref(),
            Some("https://www.e-gov.go.jp/")
        );
        assert_eq!(hyperlink_target(r#"HYPERLINK \l "_Toc1""#), None);
        assert_eq!(
            hyperlink_target(r#"HYPERLINK \o "tip" http://x.org/a"#).as_deref(),
            Some("http://x.org/a")
        );
        assert_eq!(
            hyperlink_target(r#"HYPERLINK "https://b.org/x?id=1" \l "v=onepage""#).as_deref(),
            Some("https://b.org/x?id=1#v=onepage")
        );
    }

    #[test]
    fn part_names_resolve() {
        assert_eq!(
            resolve_part_name("word", "document.xml"),
            "word/document.xml"
        );
        assert_eq!(
            resolve_part_name("", "/word/document2.xml"),
            "word/document2.xml"
        );
        assert_eq!(resolve_part_name("word/sub", "../x.xml"), "word/x.xml");
    }
}
