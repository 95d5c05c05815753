//! Legacy Word 97-2003 (.doc) reader, native ([MS-DOC]; no converter at run
//! time). The OLE container is read with the cfb crate; then:
//! - the FIB gives the table stream, the main text length and the places of
//!   the piece table (Clx), the character-property pages and the font table;
//! - the piece table maps character positions to 8-bit (Windows-1252) or
//!   UTF-16 runs in the WordDocument stream; only the main document is read,
//!   so footnotes, headers, comments and text boxes stay out of the body;
//! - control characters structure the text: paragraph ends (0x0D), cell and
//!   row ends (0x07), line breaks, and fields (0x13 begin, 0x14 separator,
//!   0x15 end); the paragraph properties (PAPX) say which 0x07 ends a row
//!   (sprmPFTtp) and which paragraphs lie in a table (sprmPFInTable), so an
//!   empty cell and a cell of several paragraphs read as such;
//! - a FORMCHECKBOX field's state is in its FFDATA in the Data stream, found
//!   through the field-begin character's properties (sprmCPicLocation); the
//!   checked value overrides the default, as in Word; HYPERLINK fields become
//!   links; other field codes never reach the text;
//! - symbol characters (sprmCSymbol) and runs in Wingdings-like fonts become
//!   marks when they are boxes;
//! - text deleted with change tracking on (sprmCFRMarkDel) is left out, as
//!   for .docx.

use std::io::{Cursor, Read};

use super::boxes::{unicode_box_state, SymbolFont};
use super::flow::FlowBuilder;
use super::Limits;
use crate::error::{ErrorKind, Result};
use crate::model::{Cell, Document, Format, MarkSource, Source};

const FORMAT: &str = "doc";
/// Word 97 and later; older files (Word 6/95) use another layout.
const MIN_NFIB: u16 = 0x00C1;
const CP_PARAGRAPH: char = '\u{0D}';
const CP_CELL: char = '\u{07}';

fn corrupt(detail: impl Into<String>) -> ErrorKind {
    ErrorKind::corrupt(FORMAT, detail)
}

fn u16_at(b: &[u8], at: usize) -> Result<u16> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| corrupt(format!("structure ends early (offset {at})")))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| corrupt(format!("structure ends early (offset {at})")))
}

fn read_stream(
    cfb: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Option<Vec<u8>>> {
    if !cfb.exists(name) {
        return Ok(None);
    }
    let mut stream = cfb
        .open_stream(name)
        .map_err(|e| corrupt(format!("stream {name}: {e}")))?;
    let mut data = Vec::new();
    stream
        .by_ref()
        .take(limits.max_part_bytes + 1)
        .read_to_end(&mut data)
        .map_err(|e| corrupt(format!("stream {name}: {e}")))?;
    if data.len() as u64 > limits.max_part_bytes {
        return Err(ErrorKind::LimitExceeded(format!(
            "stream {name} is larger than {} bytes",
            limits.max_part_bytes
        )));
    }
    Ok(Some(data))
}

/// A run of text in the WordDocument stream for a range of positions.
struct Piece {
    cp_start: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

struct DocFile {
    word: Vec<u8>,
    data: Vec<u8>,
    pieces: Vec<Piece>,
    ccp_text: u32,
    chpx_fcs: Vec<u32>,
    chpx_pages: Vec<u32>,
    papx_fcs: Vec<u32>,
    papx_pages: Vec<u32>,
    fonts: Vec<String>,
    /// File ranges of text deleted with change tracking on, sorted.
    deleted: Vec<(u32, u32)>,
}

pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| ErrorKind::corrupt("OLE compound file", e.to_string()))?;
    let word = read_stream(&mut cfb, "/WordDocument", limits)?
        .ok_or_else(|| ErrorKind::Unsupported("OLE file without a WordDocument stream".into()))?;
    let ident = u16_at(&word, 0)?;
    let nfib = u16_at(&word, 2)?;
    if ident == 0xA5DC {
        return Err(ErrorKind::Unsupported(format!(
            "Word 6.0/95 document (nFib {nfib:#x}); save it as Word 97-2003 .doc or .docx"
        )));
    }
    if ident != 0xA5EC {
        return Err(corrupt(
            "the WordDocument stream does not start with a Word FIB",
        ));
    }
    let flags = u16_at(&word, 0x0A)?;
    if flags & 0x0100 != 0 {
        return Err(ErrorKind::Encrypted(
            "password-protected Word 97-2003 document".into(),
        ));
    }
    if nfib < MIN_NFIB {
        return Err(ErrorKind::Unsupported(format!(
            "Word 6/95 or older document (nFib {nfib:#x}); save it as .doc 97-2003 or .docx"
        )));
    }
    let table_name = if flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let table = read_stream(&mut cfb, table_name, limits)?
        .ok_or_else(|| corrupt(format!("the table stream {table_name} is missing")))?;
    let data = read_stream(&mut cfb, "/Data", limits)?.unwrap_or_default();

    // FibRgW97, FibRgLw97, FibRgFcLcb: each preceded by its count.
    let csw = u16_at(&word, 32)? as usize;
    let lw_at = 34 + csw * 2;
    let cslw = u16_at(&word, lw_at)? as usize;
    let lw = lw_at + 2;
    let ccp_text = u32_at(&word, lw + 3 * 4)?;
    let fc_at = lw + cslw * 4;
    let cb_fc_lcb = u16_at(&word, fc_at)? as usize;
    let fc_lcb = |index: usize| -> Result<(u32, u32)> {
        if index >= cb_fc_lcb {
            return Ok((0, 0));
        }
        let at = fc_at + 2 + index * 8;
        Ok((u32_at(&word, at)?, u32_at(&word, at + 4)?))
    };
    let (fc_clx, lcb_clx) = fc_lcb(33)?;
    let pieces = piece_table(slice(&table, fc_clx, lcb_clx, "Clx")?)?;
    let (fc_chpx, lcb_chpx) = fc_lcb(12)?;
    let (chpx_fcs, chpx_pages) = plc_bte(slice(&table, fc_chpx, lcb_chpx, "PlcBteChpx")?)?;
    let (fc_papx, lcb_papx) = fc_lcb(13)?;
    let (papx_fcs, papx_pages) = plc_bte(slice(&table, fc_papx, lcb_papx, "PlcBtePapx")?)?;
    let (fc_ffn, lcb_ffn) = fc_lcb(15)?;
    let fonts = font_names(slice(&table, fc_ffn, lcb_ffn, "SttbfFfn")?);

    let mut file = DocFile {
        word,
        data,
        pieces,
        ccp_text,
        chpx_fcs,
        chpx_pages,
        papx_fcs,
        papx_pages,
        fonts,
        deleted: Vec::new(),
    };
    file.deleted = file.deleted_ranges();
    let mut flow = FlowBuilder::new(Source {
        file: name.to_string(),
        format: Format::Doc,
        pages: None,
        text_layer: true,
    });
    walk_text(&file, &mut flow, limits)?;
    Ok(flow.finish())
}

fn slice<'a>(b: &'a [u8], fc: u32, lcb: u32, what: &str) -> Result<&'a [u8]> {
    let (start, end) = (fc as usize, fc as usize + lcb as usize);
    b.get(start..end)
        .ok_or_else(|| corrupt(format!("{what} at {start}..{end} lies outside its stream")))
}

/// The piece table: the Pcdt of the Clx (Prc records before it are skipped).
fn piece_table(clx: &[u8]) -> Result<Vec<Piece>> {
    let mut at = 0;
    while at < clx.len() {
        match clx[at] {
            0x01 => {
                let cb = i16::from_le_bytes([
                    *clx.get(at + 1).unwrap_or(&0),
                    *clx.get(at + 2).unwrap_or(&0),
                ]);
                if cb < 0 {
                    return Err(corrupt("negative Prc size in the Clx"));
                }
                at += 3 + cb as usize;
            }
            0x02 => {
                let lcb = u32_at(clx, at + 1)? as usize;
                let plc = clx
                    .get(at + 5..at + 5 + lcb)
                    .ok_or_else(|| corrupt("piece table ends early"))?;
                // (n + 1) CPs of 4 bytes and n piece descriptors of 8 bytes.
                if lcb < 4 || !(lcb - 4).is_multiple_of(12) {
                    return Err(corrupt("piece table of an impossible size"));
                }
                let n = (lcb - 4) / 12;
                let mut pieces = Vec::with_capacity(n);
                for i in 0..n {
                    let cp_start = u32_at(plc, i * 4)?;
                    let cp_end = u32_at(plc, (i + 1) * 4)?;
                    let pcd = 4 * (n + 1) + i * 8;
                    let raw = u32_at(plc, pcd + 2)?;
                    let compressed = raw & 0x4000_0000 != 0;
                    let fc = raw & 0x3FFF_FFFF;
                    if cp_end < cp_start {
                        return Err(corrupt("piece table positions go backwards"));
                    }
                    pieces.push(Piece {
                        cp_start,
                        cp_end,
                        fc: if compressed { fc / 2 } else { fc },
                        compressed,
                    });
                }
                return Ok(pieces);
            }
            other => return Err(corrupt(format!("unknown Clx record {other:#x}"))),
        }
    }
    Err(corrupt("the Clx has no piece table"))
}

/// A PlcBte: the file positions where each page of properties starts, and
/// the page numbers.
fn plc_bte(plc: &[u8]) -> Result<(Vec<u32>, Vec<u32>)> {
    if plc.len() < 4 || !(plc.len() - 4).is_multiple_of(8) {
        return Ok((Vec::new(), Vec::new()));
    }
    let n = (plc.len() - 4) / 8;
    let fcs = (0..=n)
        .map(|i| u32_at(plc, i * 4))
        .collect::<Result<Vec<_>>>()?;
    let pages = (0..n)
        .map(|i| u32_at(plc, 4 * (n + 1) + i * 4).map(|p| p & 0x003F_FFFF))
        .collect::<Result<Vec<_>>>()?;
    Ok((fcs, pages))
}

/// Font names of the SttbfFfn, by index.
fn font_names(sttb: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let (Ok(count), Ok(_)) = (u16_at(sttb, 2), u16_at(sttb, 4)) else {
        return names;
    };
    let mut at = 6;
    for _ in 0..count {
        let Some(&cb) = sttb.get(at) else { break };
        let ffn = sttb.get(at + 1..at + 1 + cb as usize).unwrap_or(&[]);
        // FFN: 39 bytes of metrics, then the name in UTF-16, NUL-terminated.
        let name: Vec<u16> = ffn
            .get(39..)
            .unwrap_or(&[])
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&c| c != 0)
            .collect();
        names.push(String::from_utf16_lossy(&name));
        at += 1 + cb as usize;
    }
    names
}

/// Character properties of interest at one file position.
#[derive(Default, Debug)]
struct CharProps {
    pic_location: Option<u32>,
    symbol: Option<(u16, u16)>,
    font: Option<u16>,
}

impl DocFile {
    /// The character at a position, and its file position.
    fn char_at(&self, piece: &Piece, cp: u32) -> Option<(char, u32)> {
        let offset = cp - piece.cp_start;
        if piece.compressed {
            let fc = piece.fc + offset;
            let b = *self.word.get(fc as usize)?;
            Some((super::text::windows_1252(b), fc))
        } else {
            let fc = piece.fc + 2 * offset;
            let u = u16::from_le_bytes([
                *self.word.get(fc as usize)?,
                *self.word.get(fc as usize + 1)?,
            ]);
            Some((char::from_u32(u as u32).unwrap_or('\u{FFFD}'), fc))
        }
    }

    /// The formatted-disk-page entry covering a file position: the 512-byte
    /// page, the index of the run in it, and the run count.
    fn fkp_run(&self, fcs: &[u32], pages: &[u32], fc: u32) -> Option<(&[u8], usize, usize)> {
        let i = fcs.partition_point(|&start| start <= fc).checked_sub(1)?;
        if i >= pages.len() || fc >= fcs[i + 1] {
            return None;
        }
        let start = pages[i] as usize * 512;
        let page = self.word.get(start..start + 512)?;
        let crun = page[511] as usize;
        let j = (0..crun).find(|&j| {
            let a = u32_at(page, j * 4).unwrap_or(u32::MAX);
            let b = u32_at(page, (j + 1) * 4).unwrap_or(0);
            a <= fc && fc < b
        })?;
        Some((page, j, crun))
    }

    /// The character properties (CHPX) in force at a file position.
    fn props_at(&self, fc: u32) -> CharProps {
        let mut props = CharProps::default();
        let Some((page, j, crun)) = self.fkp_run(&self.chpx_fcs, &self.chpx_pages, fc) else {
            return props;
        };
        for (sprm, operand) in sprms(chpx_grpprl(page, crun, j)) {
            match sprm {
                0x6A03 if operand.len() == 4 => props.pic_location = u32_at(operand, 0).ok(),
                0x6A09 if operand.len() == 4 => {
                    props.symbol = Some((
                        u16_at(operand, 0).unwrap_or(0),
                        u16_at(operand, 2).unwrap_or(0),
                    ))
                }
                0x4A4F if operand.len() == 2 => props.font = u16_at(operand, 0).ok(),
                _ => {}
            }
        }
        props
    }

    /// File ranges whose character properties say "deleted" (sprmCFRMarkDel):
    /// a tracked deletion, shown struck through by Word, not part of the text.
    fn deleted_ranges(&self) -> Vec<(u32, u32)> {
        let mut ranges = Vec::new();
        for &pn in &self.chpx_pages {
            let start = pn as usize * 512;
            let Some(page) = self.word.get(start..start + 512) else {
                continue;
            };
            let crun = page[511] as usize;
            for j in 0..crun {
                let deleted = sprms(chpx_grpprl(page, crun, j))
                    .any(|(sprm, op)| sprm == 0x0800 && matches!(op.first(), Some(1 | 0x81)));
                if let (true, Ok(a), Ok(b)) =
                    (deleted, u32_at(page, j * 4), u32_at(page, (j + 1) * 4))
                {
                    ranges.push((a, b));
                }
            }
        }
        ranges.sort_unstable();
        ranges
    }

    fn is_deleted(&self, fc: u32) -> bool {
        let i = self.deleted.partition_point(|&(a, _)| a <= fc);
        i > 0 && fc < self.deleted[i - 1].1
    }

    /// The table properties of the paragraph holding a file position, from
    /// its PAPX; `None` when the file has none there (then the text decides).
    fn paragraph_at(&self, fc: u32) -> Option<ParagraphProps> {
        let (page, j, crun) = self.fkp_run(&self.papx_fcs, &self.papx_pages, fc)?;
        // rgfc, then one 13-byte BxPap per run: its first byte is the offset.
        let offset = *page.get(4 * (crun + 1) + 13 * j)? as usize * 2;
        let mut props = ParagraphProps::default();
        if offset == 0 || offset >= 511 {
            return Some(props);
        }
        // PapxInFkp: cb; a zero cb is followed by the real count, in words.
        let (start, len) = match page[offset] as usize {
            0 => (offset + 2, 2 * *page.get(offset + 1)? as usize),
            cb => (offset + 1, 2 * cb - 1),
        };
        let grpprl_and_istd = page.get(start..(start + len).min(511))?;
        for (sprm, operand) in sprms(grpprl_and_istd.get(2..).unwrap_or(&[])) {
            let on = operand.first().is_some_and(|&b| b != 0);
            match sprm {
                0x2416 => props.in_table = on,
                0x2417 | 0x244C => props.row_end |= on,
                _ => {}
            }
        }
        Some(props)
    }

    fn symbol_font(&self, index: u16) -> Option<SymbolFont> {
        self.fonts
            .get(index as usize)
            .and_then(|n| SymbolFont::from_family(n))
    }

    /// Where the FFDATA of a legacy form field of `kind` at `location` in
    /// the Data stream starts, and its iRes (the state or selected entry;
    /// 25 means "the default").
    fn form_field_data(&self, location: u32, kind: u16) -> Option<(usize, u16)> {
        // NilPICFAndBinData: lcb (4), cbHeader (2, = 0x44), then FFData.
        let base = location as usize;
        if u16_at(&self.data, base + 4).ok()? != 0x44 {
            return None;
        }
        let ff = base + 0x44;
        let bits = u16_at(&self.data, ff + 4).ok()?;
        (bits & 0x3 == kind).then_some((ff, (bits >> 2) & 0x1F))
    }

    /// The entry a legacy drop-down shows, from its FFDATA: the selected
    /// one (iRes), else the default (wDef), from the list (hsttbDropList).
    fn drop_down_entry(&self, location: u32) -> Option<String> {
        let (ff, res) = self.form_field_data(location, FIELD_DROP_DOWN)?;
        let (_name, at) = xstz(&self.data, ff + 10)?;
        let default = u16_at(&self.data, at).ok()? as usize;
        // Format, help, status, entry and exit macro: skipped.
        let mut at = at + 2;
        for _ in 0..5 {
            at = xstz(&self.data, at)?.1;
        }
        // hsttbDropList: fExtend (0xFFFF), cData, cbExtra, then the strings
        // (a count and UTF-16 units each, no NUL).
        if u16_at(&self.data, at).ok()? != 0xFFFF {
            return None;
        }
        let count = u16_at(&self.data, at + 2).ok()? as usize;
        let mut at = at + 6;
        let mut entries = Vec::with_capacity(count.min(64));
        for _ in 0..count.min(1024) {
            let cch = u16_at(&self.data, at).ok()? as usize;
            entries.push(utf16_at(&self.data, at + 2, cch)?);
            at += 2 + 2 * cch;
        }
        let shown = if res == 25 { default } else { usize::from(res) };
        entries
            .into_iter()
            .nth(shown)
            .filter(|e| !e.trim().is_empty())
    }

    /// State of a legacy check box from its FFDATA: (checked, evidence).
    fn checkbox(&self, location: u32) -> Option<(bool, String)> {
        let (ff, res) = self.form_field_data(location, FIELD_CHECK_BOX)?;
        // xstzName, then wDef.
        let (name, default) = match xstz(&self.data, ff + 10) {
            Some((name, at)) => (name, u16_at(&self.data, at).ok().unwrap_or(0)),
            None => (String::new(), 0),
        };
        let (state, from) = match res {
            25 => (default != 0, "default"),
            r => (r != 0, "checked"),
        };
        let name = if name.is_empty() {
            "(unnamed)".to_string()
        } else {
            name
        };
        let word = if state { "checked" } else { "unchecked" };
        Some((
            state,
            format!("legacy form field {name} {word} ({from} value, FFDATA)"),
        ))
    }
}

/// FFDATA's iType of a check box and of a drop-down.
const FIELD_CHECK_BOX: u16 = 1;
const FIELD_DROP_DOWN: u16 = 2;

/// `cch` UTF-16 units at `at` in `data`, as a string.
fn utf16_at(data: &[u8], at: usize, cch: usize) -> Option<String> {
    let units: Vec<u16> = (0..cch)
        .map(|k| u16_at(data, at + 2 * k).ok())
        .collect::<Option<_>>()?;
    Some(String::from_utf16_lossy(&units))
}

/// An Xstz at `at` in `data`: a count of UTF-16 units, the units, and a
/// NUL. Returns the string and where the next field starts.
fn xstz(data: &[u8], at: usize) -> Option<(String, usize)> {
    let cch = u16_at(data, at).ok()? as usize;
    Some((utf16_at(data, at + 2, cch)?, at + 2 + 2 * cch + 2))
}

/// Table properties of a paragraph.
#[derive(Default, Debug, Clone, Copy)]
struct ParagraphProps {
    /// sprmPFInTable: the paragraph is in a table cell.
    in_table: bool,
    /// sprmPFTtp or sprmPFInnerTtp: the paragraph is a row-end mark.
    row_end: bool,
}

/// The grpprl of run `j` in a CHPX formatted disk page of `crun` runs (empty
/// when the run has no properties of its own).
fn chpx_grpprl(page: &[u8], crun: usize, j: usize) -> &[u8] {
    let offset = *page.get(4 * (crun + 1) + j).unwrap_or(&0) as usize * 2;
    if offset == 0 || offset >= 511 {
        return &[];
    }
    let cb = page[offset] as usize;
    page.get(offset + 1..(offset + 1 + cb).min(511))
        .unwrap_or(&[])
}

/// The single property modifiers (sprm, operand) of a grpprl.
fn sprms(grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at + 2 > grpprl.len() {
            return None;
        }
        let sprm = u16::from_le_bytes([grpprl[at], grpprl[at + 1]]);
        at += 2;
        // The operand's size is in the sprm's top three bits (spra).
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => 1 + *grpprl.get(at).unwrap_or(&0) as usize,
        };
        let operand = grpprl.get(at..at + size).unwrap_or(&[]);
        at += size;
        Some((sprm, operand))
    })
}

/// A field being read: its instruction so far, and what it has become.
struct Field {
    instruction: String,
    in_result: bool,
    /// File positions of the field's begin mark and of the 0x01 placeholders
    /// in its instruction: the form-field data is referenced by one of them.
    anchors: Vec<u32>,
    link_open: bool,
}

impl Field {
    /// Where the field's form-field data (FFDATA) may be, latest anchor first.
    fn data_locations<'a>(&'a self, file: &'a DocFile) -> impl Iterator<Item = u32> + 'a {
        self.anchors
            .iter()
            .rev()
            .filter_map(|&at| file.props_at(at).pic_location)
    }
}

fn walk_text(file: &DocFile, flow: &mut FlowBuilder, limits: &Limits) -> Result<()> {
    let started = std::time::Instant::now();
    let mut fields: Vec<Field> = Vec::new();
    let mut table_row: Option<(u32, u32)> = None; // (row, column)
    let mut rows = 0u32;
    let mut last_was_cell_end = false;
    let mut in_cell = false;
    let mut cp: u32 = 0;
    for piece in &file.pieces {
        if piece.cp_start >= file.ccp_text {
            break;
        }
        if started.elapsed() > limits.max_time {
            return Err(ErrorKind::LimitExceeded(format!(
                "reading took longer than {} s",
                limits.max_time.as_secs()
            )));
        }
        let end = piece.cp_end.min(file.ccp_text);
        cp = cp.max(piece.cp_start);
        while cp < end {
            let Some((c, fc)) = file.char_at(piece, cp) else {
                return Err(corrupt(format!(
                    "piece at file position {} lies outside the WordDocument stream",
                    piece.fc
                )));
            };
            cp += 1;
            // Deleted text is skipped; a cell mark stays, to keep the table.
            if c != CP_CELL && file.is_deleted(fc) {
                continue;
            }
            let hidden = fields.iter().any(|f| !f.in_result);
            match c {
                '\u{13}' => fields.push(Field {
                    instruction: String::new(),
                    in_result: false,
                    anchors: vec![fc],
                    link_open: false,
                }),
                '\u{14}' => {
                    if let Some(field) = fields.last_mut() {
                        field.in_result = true;
                        let keyword = super::docx::field_keyword(&field.instruction);
                        if keyword == "HYPERLINK"
                            && !fields[..fields.len() - 1].iter().any(|f| !f.in_result)
                        {
                            if let Some(url) = super::docx::hyperlink_target(
                                &fields.last().expect("field").instruction,
                            ) {
                                flow.begin_link(url);
                                fields.last_mut().expect("field").link_open = true;
                            }
                        }
                    }
                }
                '\u{15}' => {
                    if let Some(field) = fields.pop() {
                        if field.link_open {
                            flow.end_link();
                        }
                        let keyword = super::docx::field_keyword(&field.instruction);
                        let outer_hidden = fields.iter().any(|f| !f.in_result);
                        if keyword == "FORMDROPDOWN" && !outer_hidden {
                            let entry = field
                                .data_locations(file)
                                .find_map(|l| file.drop_down_entry(l));
                            if let Some(entry) = entry {
                                flow.text(&entry);
                            }
                        }
                        if keyword == "FORMCHECKBOX" && !outer_hidden {
                            let state = field.data_locations(file).find_map(|l| file.checkbox(l));
                            match state {
                                Some((checked, evidence)) => {
                                    flow.mark(Some(checked), MarkSource::LegacyField, evidence)
                                }
                                None => flow.mark(
                                    None,
                                    MarkSource::LegacyField,
                                    "legacy form field without readable FFDATA".into(),
                                ),
                            }
                        }
                    }
                }
                _ if hidden => {
                    if let Some(field) = fields.iter_mut().rev().find(|f| !f.in_result) {
                        if c == '\u{01}' {
                            field.anchors.push(fc);
                        } else {
                            field.instruction.push(c);
                        }
                    }
                }
                CP_PARAGRAPH => {
                    flow.end_paragraph();
                    last_was_cell_end = false;
                }
                CP_CELL => {
                    let row_end = match file.paragraph_at(fc) {
                        Some(p) => p.row_end,
                        None => last_was_cell_end,
                    };
                    if row_end {
                        // The row-end mark after the row's last cell.
                        flow.end_paragraph();
                        table_row = None;
                        flow.set_cell(None);
                        in_cell = false;
                        last_was_cell_end = false;
                        continue;
                    }
                    flow.end_paragraph();
                    if let Some((_, col)) = table_row.as_mut() {
                        *col += 1;
                    }
                    last_was_cell_end = true;
                    in_cell = false;
                    continue;
                }
                '\u{0B}' => flow.line_break(),
                '\u{0C}' => flow.end_paragraph(),
                '\u{1E}' => flow.text("-"),
                c if (c as u32) < 0x20 && c != '\t' => {}
                '\t' => flow.text("\t"),
                _ => {
                    if !in_cell
                        && (table_row.is_some()
                            || file
                                .paragraph_at(fc)
                                .map_or_else(|| cell_follows(file, piece, cp, end), |p| p.in_table))
                    {
                        let (row, col) = *table_row.get_or_insert_with(|| {
                            rows += 1;
                            (rows - 1, 0)
                        });
                        flow.set_cell(Some(Cell { table: 0, row, col }));
                        in_cell = true;
                    }
                    let props = if c == '(' || (c as u32) >= 0x80 {
                        Some(file.props_at(fc))
                    } else {
                        None
                    };
                    match props.as_ref().and_then(|p| p.symbol) {
                        Some((font, code)) => symbol(file, flow, font, code),
                        None => {
                            let font = props
                                .as_ref()
                                .and_then(|p| p.font)
                                .and_then(|f| file.symbol_font(f));
                            let boxed = font.is_some_and(|f| flow.symbol_font_box(f, c as u32));
                            if !boxed {
                                flow.text(c.encode_utf8(&mut [0u8; 4]));
                            }
                        }
                    }
                }
            }
            if !matches!(c, CP_CELL) {
                last_was_cell_end = false;
            }
        }
    }
    Ok(())
}

/// True when a cell-end mark comes before the next paragraph end: the text
/// from here is in a table cell.
fn cell_follows(file: &DocFile, piece: &Piece, from: u32, end: u32) -> bool {
    let mut cp = from - 1;
    let limit = (cp + 4096).min(end);
    while cp < limit {
        match file.char_at(piece, cp).map(|(c, _)| c) {
            Some(CP_CELL) => return true,
            Some(CP_PARAGRAPH) | None => return false,
            _ => cp += 1,
        }
    }
    false
}

/// A symbol character (Insert Symbol): a box in a dingbat font is a mark; a
/// Unicode font's character is text.
fn symbol(file: &DocFile, flow: &mut FlowBuilder, font: u16, code: u16) {
    let code = code as u32;
    if let Some(f) = file.symbol_font(font) {
        flow.symbol_font_box(f, code);
        return;
    }
    if let Some(c) = char::from_u32(code) {
        if unicode_box_state(c).is_some() || !(0xF000..=0xF0FF).contains(&code) {
            flow.text(c.encode_utf8(&mut [0u8; 4]));
        }
    }
}
