//! Errors are values that say which file, and what was wrong with it.
//!
//! A bad input is never a panic: every reader turns what it cannot read into an
//! `ErrorKind`, and the caller gets an `Error` that names the file. `kind.code()`
//! is the stable machine-readable name used in exit reports and batch failure lists.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Error {
    pub path: PathBuf,
    pub kind: ErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("file not found")]
    NotFound,
    #[error("is a directory, not a file")]
    IsDirectory,
    #[error("empty file")]
    Empty,
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("encrypted: {0}")]
    Encrypted(String),
    #[error("corrupt {format}: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
}

impl ErrorKind {
    /// Stable identifier of the error kind, for machine-readable reports.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not_found",
            ErrorKind::IsDirectory => "is_directory",
            ErrorKind::Empty => "empty_file",
            ErrorKind::Io(_) => "io_error",
            ErrorKind::Unsupported(_) => "unsupported_format",
            ErrorKind::Encrypted(_) => "encrypted",
            ErrorKind::Corrupt { .. } => "corrupt",
            ErrorKind::LimitExceeded(_) => "limit_exceeded",
        }
    }

    pub fn corrupt(format: &'static str, detail: impl Into<String>) -> Self {
        ErrorKind::Corrupt {
            format,
            detail: detail.into(),
        }
    }

    pub fn at(self, path: &Path) -> Error {
        Error {
            path: path.to_path_buf(),
            kind: self,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}

pub type Result<T, E = ErrorKind> = std::result::Result<T, E>;
