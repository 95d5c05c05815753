//! The results kept between runs: append-only journals in `OUT/.msq-cache`.
//!
//! Each worker process appends one line per file it read to a journal of its
//! own (`results-<batch>-<n>.jsonl`); the batch appends the failures it sees
//! itself (crashes, timeouts) to one more. A line is
//! `<cache key> <outcome kind> <outcome as JSON>\n`, written with one call,
//! so a run killed mid-line leaves at most an unfinished last line, which the
//! next run ignores. One file per worker rather than one per result: creating
//! a file costs a filesystem far more than appending a line (README,
//! Benchmarks).
//!
//! The batch keeps only where each result lies (journal, offset, length) and
//! reads results back one at a time, so its memory does not grow with the
//! results' size. Journals holding mostly results no input needs any more are
//! rewritten into one at the end of a run.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::outputs;
use super::worker::Outcome;

const PREFIX: &str = "results-";
const EXTENSION: &str = "jsonl";
/// The outcome kind of a file read without error.
pub const OK_KIND: &str = "ok";
/// A run ended by the time limit; tried again by the next run.
pub const TIMEOUT_KIND: &str = "timeout";
/// More journal files than this are merged into one at the end of a run.
const MAX_JOURNALS: usize = 64;

/// Where one result lies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Location {
    pub journal: PathBuf,
    pub offset: u64,
    pub len: u64,
    pub kind: String,
}

impl Location {
    /// The failure kind of a file that failed.
    pub fn failure(&self) -> Option<String> {
        (self.kind != OK_KIND).then(|| self.kind.clone())
    }
}

/// The kind a journal line gives an outcome.
pub fn kind_of(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Ok(_) => OK_KIND,
        Outcome::Error { kind, .. } => kind,
    }
}

/// A journal one process appends to, opened on its first line.
pub struct Appender {
    path: PathBuf,
    file: Option<(File, u64)>,
}

impl Appender {
    pub fn new(path: PathBuf) -> Appender {
        Appender { path, file: None }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends an outcome, as JSON, of the given kind under `key`; returns
    /// where it lies.
    pub fn append(&mut self, key: &str, kind: &str, json: &[u8]) -> Result<Location, String> {
        let kind = kind.replace(|c: char| c.is_whitespace(), "_");
        let prefix = format!("{key} {kind} ");
        let mut line = Vec::with_capacity(prefix.len() + json.len() + 1);
        line.extend_from_slice(prefix.as_bytes());
        line.extend_from_slice(json);
        line.push(b'\n');
        let fail = |e: std::io::Error| format!("{}: cannot write: {e}", self.path.display());
        if self.file.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(fail)?;
            let end = file.metadata().map_err(fail)?.len();
            self.file = Some((file, end));
        }
        let (file, end) = self.file.as_mut().expect("journal open");
        let offset = *end + prefix.len() as u64;
        if let Err(e) = file.write_all(&line) {
            // A line cut short spoils the one appended after it too: both
            // files are read again by the next run.
            self.file = None;
            return Err(fail(e));
        }
        *end += line.len() as u64;
        Ok(Location {
            journal: self.path.clone(),
            offset,
            len: json.len() as u64,
            kind,
        })
    }
}

/// The results of earlier runs and of this one, by cache key.
pub struct Journals {
    dir: PathBuf,
    index: Mutex<HashMap<String, Location>>,
    /// The batch's own journal, for the outcomes it records itself.
    own: Mutex<Appender>,
}

impl Journals {
    /// Indexes the complete lines of every journal in `dir`. A line whose
    /// JSON does not parse is left out (its file is read again).
    pub fn open(dir: &Path) -> Journals {
        let mut index: HashMap<String, Location> = HashMap::new();
        for journal in journal_files(dir) {
            let Ok(file) = File::open(&journal) else {
                continue;
            };
            let mut reader = BufReader::new(file);
            let mut offset = 0u64;
            let mut buf = Vec::new();
            while let Ok(n) = reader.read_until(b'\n', &mut buf) {
                if n == 0 {
                    break;
                }
                if let Some((key, kind, json_at)) = parse_line(&buf) {
                    let json = &buf[json_at..buf.len() - 1];
                    if serde_json::from_slice::<serde::de::IgnoredAny>(json).is_ok() {
                        let location = Location {
                            journal: journal.clone(),
                            offset: offset + json_at as u64,
                            len: json.len() as u64,
                            kind,
                        };
                        // A timeout recorded by the batch does not hide a
                        // result its worker wrote just before being stopped.
                        let keep_old = index.get(&key).is_some_and(|old| {
                            location.kind == TIMEOUT_KIND && old.kind != TIMEOUT_KIND
                        });
                        if !keep_old {
                            index.insert(key, location);
                        }
                    }
                }
                offset += n as u64;
                buf.clear();
            }
        }
        Journals {
            dir: dir.to_path_buf(),
            index: Mutex::new(index),
            own: Mutex::new(Appender::new(journal_path(dir, "batch"))),
        }
    }

    /// A result for `key` that stands: any but a timeout (the machine may
    /// have been busy; it is tried again).
    pub fn has_result(&self, key: &str) -> bool {
        self.index
            .lock()
            .expect("lock")
            .get(key)
            .is_some_and(|l| l.kind != TIMEOUT_KIND)
    }

    pub fn record(&self, key: &str, location: Location) {
        self.index
            .lock()
            .expect("lock")
            .insert(key.to_string(), location);
    }

    /// Appends an outcome the batch itself determined to its own journal.
    pub fn append(&self, key: &str, outcome: &Outcome) -> Result<Location, String> {
        let json = serde_json::to_vec(outcome).expect("outcome serializes");
        let location = self
            .own
            .lock()
            .expect("lock")
            .append(key, kind_of(outcome), &json)?;
        self.record(key, location.clone());
        Ok(location)
    }

    /// A journal path for the `n`th worker this batch starts.
    pub fn worker_journal(&self, n: usize) -> PathBuf {
        journal_path(&self.dir, &n.to_string())
    }

    /// A reader of results, keeping journals open between reads.
    pub fn reader(&self) -> ResultReader<'_> {
        ResultReader {
            journals: self,
            open: HashMap::new(),
        }
    }

    /// Rewrites the journals into one when most of what they hold is no
    /// longer needed by `live` keys, or when there are many of them.
    pub fn compact(&self, live: &[&str]) -> Result<(), String> {
        let files = journal_files(&self.dir);
        let index = self.index.lock().expect("lock");
        let live: HashSet<&str> = live.iter().copied().collect();
        let needed: u64 = live
            .iter()
            .filter_map(|k| index.get(*k))
            .map(|l| l.len + 64)
            .sum();
        let held: u64 = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        if files.len() <= MAX_JOURNALS && held <= 2 * needed + (1 << 20) {
            return Ok(());
        }
        drop(index);
        let merged = journal_path(&self.dir, "merged");
        let mut out = outputs::AtomicFile::create(&merged)?;
        let mut reader = self.reader();
        let mut keys: Vec<&str> = live.into_iter().collect();
        keys.sort_unstable();
        for key in keys {
            let Some(location) = self.index.lock().expect("lock").get(key).cloned() else {
                continue;
            };
            let json = reader.read_json(&location)?;
            write!(out, "{key} {} ", location.kind)
                .and_then(|_| out.write_all(&json))
                .and_then(|_| out.write_all(b"\n"))
                .map_err(|e| format!("{}: cannot write: {e}", merged.display()))?;
        }
        drop(reader);
        out.commit()?;
        for f in files.into_iter().filter(|f| *f != merged) {
            let _ = std::fs::remove_file(f);
        }
        Ok(())
    }
}

/// Reads results back from the journals.
pub struct ResultReader<'j> {
    journals: &'j Journals,
    open: HashMap<PathBuf, File>,
}

impl ResultReader<'_> {
    /// The outcome stored under `key`.
    pub fn outcome(&mut self, key: &str) -> Result<Outcome, String> {
        let location = self
            .journals
            .index
            .lock()
            .expect("lock")
            .get(key)
            .cloned()
            .ok_or_else(|| format!("no result recorded for cache key {key}"))?;
        let json = self.read_json(&location)?;
        serde_json::from_slice(&json).map_err(|e| format!("{}: {e}", location.journal.display()))
    }

    fn read_json(&mut self, location: &Location) -> Result<Vec<u8>, String> {
        let fail = |e: std::io::Error| format!("{}: {e}", location.journal.display());
        let file = match self.open.entry(location.journal.clone()) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(File::open(&location.journal).map_err(fail)?)
            }
        };
        let mut json = vec![0; location.len as usize];
        file.seek(SeekFrom::Start(location.offset))
            .and_then(|_| file.read_exact(&mut json))
            .map_err(fail)?;
        Ok(json)
    }
}

/// `<key> <kind> {…}\n`: the key, the kind and where the JSON starts.
fn parse_line(line: &[u8]) -> Option<(String, String, usize)> {
    let line = line.strip_suffix(b"\n")?;
    let text = std::str::from_utf8(line.get(..line.iter().position(|&b| b == b'{')?)?).ok()?;
    let mut parts = text.split(' ');
    let key = parts.next()?;
    let kind = parts.next()?;
    let valid_key = key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit());
    (valid_key && !kind.is_empty() && parts.next() == Some("") && parts.next().is_none())
        .then(|| (key.to_string(), kind.to_string(), text.len()))
}

fn journal_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{PREFIX}{}-{name}.{EXTENSION}", std::process::id()))
}

/// The journal files in `dir`, sorted by name.
fn journal_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(PREFIX) && n.ends_with(EXTENSION)
            })
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(text: &str) -> Outcome {
        let json = serde_json::json!({ "text": text }).to_string();
        Outcome::Ok(serde_json::value::RawValue::from_string(json).unwrap())
    }

    fn append(appender: &mut Appender, key: &str, outcome: &Outcome) {
        let json = serde_json::to_vec(outcome).unwrap();
        appender.append(key, kind_of(outcome), &json).unwrap();
    }

    #[test]
    fn results_survive_reopening_and_unfinished_lines_are_ignored() {
        let dir = std::env::temp_dir().join(format!("msq-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let key_a = "a".repeat(32);
        let key_b = "b".repeat(32);
        let mut appender = Appender::new(dir.join("results-1-0.jsonl"));
        append(&mut appender, &key_a, &outcome("first\nline"));
        append(
            &mut appender,
            &key_b,
            &Outcome::Error {
                kind: TIMEOUT_KIND.into(),
                message: "slow".into(),
            },
        );
        // A run killed in the middle of a line.
        let mut f = OpenOptions::new()
            .append(true)
            .open(appender.path())
            .unwrap();
        f.write_all(format!("{} ok {{\"ok\":", "c".repeat(32)).as_bytes())
            .unwrap();

        let journals = Journals::open(&dir);
        assert!(journals.has_result(&key_a));
        assert!(!journals.has_result(&key_b), "a timeout is tried again");
        assert!(!journals.has_result(&"c".repeat(32)));
        let mut reader = journals.reader();
        match reader.outcome(&key_a).unwrap() {
            Outcome::Ok(raw) => {
                let v: serde_json::Value = serde_json::from_str(raw.get()).unwrap();
                assert_eq!(v["text"], "first\nline");
            }
            other => panic!("{other:?}"),
        }
        drop(reader);

        // Results no input needs any more are dropped by compaction.
        let big = "x".repeat(3 << 20);
        journals.append(&key_b, &outcome(&big)).unwrap();
        journals.compact(&[key_a.as_str()]).unwrap();
        let files = journal_files(&dir);
        assert_eq!(files.len(), 1, "{files:?}");
        let reopened = Journals::open(&dir);
        assert!(reopened.has_result(&key_a));
        assert!(!reopened.has_result(&key_b));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
