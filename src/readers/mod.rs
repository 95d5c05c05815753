//! Readers: one per input format, each turning a file into the same
//! [`Document`](crate::model::Document). The format is recognised by content
//! (magic bytes), never by the file name.

pub mod boxes;
pub mod doc;
pub mod docx;
mod docx_placeholders;
pub mod flow;
pub mod forms_control;
pub mod pdf;
pub mod text;
pub mod xml;

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Document;

/// Explicit bounds on what one input may cost. Every limit hit is an error for
/// that file (`limit_exceeded`), never a crash or an unbounded allocation.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest input file read at all.
    pub max_input_bytes: u64,
    /// Most entries a .docx zip may have.
    pub max_zip_entries: usize,
    /// Most bytes all parts read from one .docx may inflate to, together.
    pub max_unzipped_bytes: u64,
    /// Most bytes one XML part may inflate to.
    pub max_part_bytes: u64,
    /// Deepest XML element nesting accepted.
    pub max_xml_depth: usize,
    /// A zip entry that inflates to more than this many times its compressed
    /// size, past `ratio_check_from` bytes, is a zip bomb: refused at once,
    /// before it costs memory. Real XML parts stay far below (about 5–50x).
    pub max_compression_ratio: u64,
    pub ratio_check_from: u64,
    /// Most pages a PDF may have.
    pub max_pages: usize,
    /// Longest a reader may work on one file (checked between PDF pages).
    pub max_time: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 * 1024 * 1024,
            max_zip_entries: 10_000,
            max_unzipped_bytes: 512 * 1024 * 1024,
            max_part_bytes: 256 * 1024 * 1024,
            max_xml_depth: 512,
            max_compression_ratio: 200,
            ratio_check_from: 10 * 1024 * 1024,
            max_pages: 2_000,
            max_time: std::time::Duration::from_secs(60),
        }
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    Zip,
    OleCompound,
    Pdf,
    Rtf,
    Text,
    Binary,
}

pub fn detect(bytes: &[u8]) -> Detected {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Detected::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Detected::OleCompound
    } else if bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        Detected::Pdf
    } else if bytes.starts_with(b"{\\rtf") {
        Detected::Rtf
    } else if text::looks_like_text(bytes) {
        Detected::Text
    } else {
        Detected::Binary
    }
}

/// Extensions of the document formats read here, lower case: PDF, Word
/// 2007+ (documents, macro-enabled documents, templates) and Word 97-2003
/// (documents, templates). The content decides the reader; the name only
/// says which files a folder search picks up, and that a file so named holding
/// plain text is broken.
pub const DOCUMENT_EXTENSIONS: &[&str] = &["pdf", "docx", "docm", "dotx", "dotm", "doc", "dot"];

/// Reads the file at `path` into the document model.
pub fn read_path(path: &Path, limits: &Limits) -> Result<(Document, Vec<u8>), Error> {
    let bytes = load(path, limits).map_err(|k| k.at(path))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Content decides the reader; but a file named as a binary document that
    // holds only text is a broken file, not a text dump of a questionnaire.
    let claims_binary = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    if claims_binary && detect(&bytes) == Detected::Text {
        return Err(ErrorKind::corrupt(
            "file",
            format!(
                "named {name} but holds {} bytes of plain text, not that format",
                bytes.len()
            ),
        )
        .at(path));
    }
    let doc = read_bytes(&name, &bytes, limits).map_err(|k| k.at(path))?;
    Ok((doc, bytes))
}

fn load(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ErrorKind::NotFound,
        _ => ErrorKind::Io(e),
    })?;
    if meta.is_dir() {
        return Err(ErrorKind::IsDirectory);
    }
    if meta.len() > limits.max_input_bytes {
        return Err(ErrorKind::LimitExceeded(format!(
            "file is {} bytes, more than the {} byte input limit",
            meta.len(),
            limits.max_input_bytes
        )));
    }
    let bytes = std::fs::read(path)?;
    if bytes.is_empty() {
        return Err(ErrorKind::Empty);
    }
    Ok(bytes)
}

/// Reads a file already in memory; `name` is what the output calls it.
pub fn read_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document> {
    if bytes.is_empty() {
        return Err(ErrorKind::Empty);
    }
    match detect(bytes) {
        Detected::Zip => docx::read(name, bytes, limits),
        Detected::OleCompound => match describe_ole(bytes) {
            OleKind::Word => doc::read(name, bytes, limits),
            OleKind::Refused(e) => Err(e),
        },
        Detected::Pdf => pdf::read(name, bytes, limits),
        Detected::Rtf => Err(ErrorKind::Unsupported("RTF document".into())),
        Detected::Text => Ok(text::read(name, bytes)),
        Detected::Binary => Err(ErrorKind::Unsupported(
            "not a Word, PDF or text file (unrecognised binary content)".into(),
        )),
    }
}

/// What an OLE compound file holds.
enum OleKind {
    Word,
    Refused(ErrorKind),
}

/// An OLE compound file is an encrypted Office file (the .docx is inside,
/// encrypted), a legacy Word document, or something else.
fn describe_ole(bytes: &[u8]) -> OleKind {
    let cursor = std::io::Cursor::new(bytes);
    let Ok(cfb) = cfb::CompoundFile::open(cursor) else {
        return OleKind::Refused(ErrorKind::corrupt(
            "OLE compound file",
            "unreadable directory",
        ));
    };
    if cfb.exists("/EncryptedPackage") || cfb.exists("/EncryptionInfo") {
        OleKind::Refused(ErrorKind::Encrypted(
            "password-protected Office document (OLE EncryptedPackage)".into(),
        ))
    } else if cfb.exists("/WordDocument") {
        OleKind::Word
    } else {
        OleKind::Refused(ErrorKind::Unsupported(
            "OLE compound file that is not a Word document".into(),
        ))
    }
}
