//! msq: filled-in UN E-Government Survey Member States Questionnaires (Word,
//! plain text) to normalized, validated JSON.
//!
//! The pipeline, each stage a module:
//! `readers` (one per format) → [`model::Document`] → `segment` (where each
//! answer lies, found through the questionnaire `definition`) → `interpret`
//! (answers, warnings, evidence) → `output` (the `msq-extract/1` contract).
//! Only the readers know about file formats.

pub mod batch;
pub mod definition;
pub mod error;
pub mod interpret;
pub mod model;
pub mod output;
pub mod readers;
pub mod segment;
pub mod text_match;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use definition::Definition;
pub use error::{Error, ErrorKind};
pub use model::Document;
pub use output::Extract;
pub use readers::Limits;

/// Reads and interprets one file.
pub fn extract_path(path: &Path, def: &Definition, limits: &Limits) -> Result<Extract, Error> {
    let (doc, bytes) = readers::read_path(path, limits)?;
    Ok(interpret::interpret(&doc, def, &sha256_hex(&bytes)))
}

/// Reads and interprets a file already in memory; `name` is what the output
/// calls it.
pub fn extract_bytes(
    name: &str,
    bytes: &[u8],
    def: &Definition,
    limits: &Limits,
) -> Result<Extract, ErrorKind> {
    let doc = readers::read_bytes(name, bytes, limits)?;
    Ok(interpret::interpret(&doc, def, &sha256_hex(bytes)))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hexadecimal digits of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
