//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A scratch folder, removed when the test ends.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

/// A fresh, empty scratch folder named after the test binary and `name`.
pub fn temp(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("msq-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpora`, when it is there (CI has it beside the checkout).
pub fn corpora() -> Option<PathBuf> {
    let dir = root().join("../shared/corpora");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is not there", dir.display());
        None
    }
}

/// The text of a file of `../shared/corpora` as msq reads it, a line per
/// line; `None` when the corpora are not there.
#[allow(dead_code)]
pub fn corpora_text(relative: &str) -> Option<String> {
    let (doc, _) =
        msq::readers::read_path(&corpora()?.join(relative), &msq::readers::Limits::default())
            .unwrap_or_else(|e| panic!("{relative}: {e}"));
    let lines: Vec<&str> = doc.lines.iter().map(|l| l.text.as_str()).collect();
    Some(lines.join("\n"))
}

/// Every file below `dir` whose extension is one of `extensions`, sorted.
pub fn files_with_extensions(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.contains(&x.to_ascii_lowercase().as_str()))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `msq extract` of a file with the built-in definition, as JSON.
pub fn extract_json(path: &Path) -> serde_json::Value {
    let extract = msq::extract_path(path, &msq::Definition::builtin(), &msq::Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&extract.to_json()).unwrap()
}

/// `msq extract` of a plain-text response `text`, written to a scratch
/// folder named `name`, as JSON.
pub fn extract_text(name: &str, text: &str) -> serde_json::Value {
    let dir = temp(name);
    let path = dir.join("response.txt");
    std::fs::write(&path, text).unwrap();
    extract_json(&path)
}

/// A PDF of the given objects (numbered from 1; object 1 the catalog), with
/// a correct cross-reference table.
pub fn pdf(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}
