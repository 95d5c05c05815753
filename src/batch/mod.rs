//! `msq batch`: a whole survey round at once.
//!
//! Files are found (folders searched recursively, sorted), each is read in an
//! isolated worker process (`worker`), scheduled on all cores by rayon, and its
//! result stored under a key made of the content's hash in journals kept in
//! `OUT/.msq-cache` (`journal`). Outputs are written meanwhile, atomically,
//! from the journals in sorted input order (`outputs`), so a rerun after an
//! interruption does only what is missing, and the same inputs give the same
//! bytes whatever `-j` and the input order.

pub mod journal;
pub mod outputs;
pub mod worker;

use std::collections::{BTreeSet, VecDeque};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use self::journal::Journals;
use self::outputs::OutputWriter;
use self::worker::{Outcome, Stored, Worker, WorkerCommand};
use crate::Definition;

/// Name of the folder inside OUT where results are kept between runs.
pub const CACHE_DIR: &str = ".msq-cache";

pub struct BatchOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub jobs: usize,
    pub timeout: Duration,
    pub definition: Definition,
    /// Identifies the definition and options in the cache key.
    pub fingerprint: String,
    pub worker: WorkerCommand,
    pub progress: bool,
}

pub struct BatchReport {
    pub summary: outputs::Summary,
    pub reused: usize,
    pub elapsed: Duration,
}

#[derive(Debug)]
pub struct BatchError(pub String);

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One input file and the key its result is kept under.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub key: String,
    /// The content the key was made from; `None` when the file could not be
    /// read then.
    pub content: Option<Content>,
}

/// A file's content as it was hashed for its cache key. The worker reports
/// this digest instead of hashing the same bytes again, provided the file it
/// reads still has this size and modification time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Content {
    pub sha256: String,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl Content {
    fn of(path: &Path) -> std::io::Result<Content> {
        let file = std::fs::File::open(path)?;
        let modified = file.metadata()?.modified().ok();
        // Hashed a block at a time as it is read: the worker reads the file
        // again, so the whole content is never needed here.
        let mut hasher = Sha256::new();
        let len = std::io::copy(
            &mut std::io::BufReader::with_capacity(64 * 1024, file),
            &mut hasher,
        )?;
        Ok(Content {
            sha256: crate::hex(&hasher.finalize()),
            len,
            modified,
        })
    }

    /// Whether `bytes`, just read from `path`, are still this content, as
    /// far as size and modification time tell.
    pub fn still(&self, path: &Path, bytes: &[u8]) -> bool {
        self.len == bytes.len() as u64
            && std::fs::metadata(path).and_then(|m| m.modified()).ok() == self.modified
    }
}

pub fn run(options: &BatchOptions) -> Result<BatchReport, BatchError> {
    let started = Instant::now();
    let cache_dir = options.out.join(CACHE_DIR);
    std::fs::create_dir_all(&cache_dir)
        .map_err(|e| BatchError(format!("{}: cannot create: {e}", cache_dir.display())))?;
    outputs::remove_stale_temporaries(&options.out);
    let files = find_inputs(&options.inputs, &options.out)?;
    let inputs: Vec<Input> = files
        .par_iter()
        .map(|path| {
            let content = Content::of(path);
            Input {
                key: cache_key(path, &content, &options.fingerprint),
                path: path.clone(),
                content: content.ok(),
            }
        })
        .collect();
    let journals = Journals::open(&cache_dir);
    // Indexes of the inputs to read.
    let todo: Vec<usize> = (0..inputs.len())
        .filter(|&k| !journals.has_result(&inputs[k].key))
        .collect();
    let reused = inputs.len() - todo.len();

    let progress = Progress::new(todo.len(), options.progress, reused);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(|e| BatchError(format!("cannot start worker threads: {e}")))?;
    let reading = Reading {
        inputs: &inputs,
        todo: &todo,
        journals: &journals,
        progress: &progress,
        options,
        next: AtomicUsize::new(0),
        spawned: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    };
    let (done, results) = mpsc::channel::<(usize, Result<(), String>)>();
    let mut writer =
        OutputWriter::new(&options.out, inputs.len(), &options.definition).map_err(BatchError)?;
    let written = std::thread::scope(|scope| {
        // The thread owns the sender: should it end early, the loop below
        // hears so instead of waiting.
        let reading = &reading;
        scope.spawn(move || pool.broadcast(|_| reading.read_files(&done)));
        let mut finished: Vec<bool> = vec![true; inputs.len()];
        for &k in &todo {
            finished[k] = false;
        }
        let mut reader = journals.reader();
        let written = inputs.iter().enumerate().try_for_each(|(k, input)| {
            while !finished[k] {
                match results.recv() {
                    Ok((i, Ok(()))) => finished[i] = true,
                    Ok((_, Err(e))) => return Err(e),
                    Err(_) => {
                        return Err("the worker threads ended before every file was read".into())
                    }
                }
            }
            writer.add(input, reader.outcome(&input.key)?)
        });
        if written.is_err() {
            reading.stop.store(true, Ordering::Relaxed);
        }
        written
    });
    progress.finish();
    written.map_err(BatchError)?;
    let summary = writer.finish().map_err(BatchError)?;
    let keys: Vec<&str> = inputs.iter().map(|i| i.key.as_str()).collect();
    journals.compact(&keys).map_err(BatchError)?;
    Ok(BatchReport {
        summary,
        reused,
        elapsed: started.elapsed(),
    })
}

/// The files to read and what reading them shares between the pool's
/// threads.
struct Reading<'a> {
    inputs: &'a [Input],
    /// Indexes of the inputs to read, in input order.
    todo: &'a [usize],
    journals: &'a Journals,
    progress: &'a Progress,
    options: &'a BatchOptions,
    /// The next entry of `todo` to take.
    next: AtomicUsize,
    /// Worker processes started so far: each gets a journal of its own.
    spawned: AtomicUsize,
    /// Set when the outputs cannot be written: reading more is pointless.
    stop: AtomicBool,
}

impl Reading<'_> {
    /// One of the pool's threads: drives a worker process, taking the next
    /// file in input order, so that results come in about that order and the
    /// outputs are written meanwhile, in exactly that order. Says on `done`
    /// which input is finished.
    fn read_files(&self, done: &mpsc::Sender<(usize, Result<(), String>)>) {
        let mut worker: Option<Worker> = None;
        // Inputs sent to the worker and not answered yet, oldest first.
        let mut sent: VecDeque<usize> = VecDeque::new();
        // Inputs to send before taking new ones: sent to a worker that died
        // before it came to them.
        let mut resend: VecDeque<usize> = VecDeque::new();
        while !self.stop.load(Ordering::Relaxed) {
            while sent.len() < PIPELINE {
                let Some(k) = resend.pop_front().or_else(|| self.take()) else {
                    break;
                };
                match self.send(&mut worker, k) {
                    Ok(()) => sent.push_back(k),
                    Err(SendFailed::Gone) if !sent.is_empty() => {
                        // Died on an earlier file: its answer says so.
                        resend.push_back(k);
                        break;
                    }
                    Err(SendFailed::Gone) => {
                        let mut gone = worker.take().expect("a worker was started");
                        let result = self.store(k, &gone.crashed());
                        self.finish(done, k, result);
                    }
                    Err(SendFailed::NoWorker(e)) => self.finish(done, k, Err(e)),
                }
            }
            let Some(k) = sent.pop_front() else {
                break;
            };
            let w = worker.as_mut().expect("a worker holds the files sent");
            let result = match w.receive(self.options.timeout) {
                Ok(Stored::Stored(location)) => {
                    let failed = location.failure();
                    self.journals.record(&self.inputs[k].key, location);
                    Ok(failed)
                }
                Ok(Stored::NotStored(outcome)) => self.store(k, &outcome),
                Err(failure) => {
                    // The worker is gone; the files sent after this one were
                    // never begun and go to a fresh one.
                    worker = None;
                    resend.extend(sent.drain(..));
                    self.store(k, &failure)
                }
            };
            self.finish(done, k, result);
        }
    }

    /// The next input to read, if any is left.
    fn take(&self) -> Option<usize> {
        self.todo
            .get(self.next.fetch_add(1, Ordering::Relaxed))
            .copied()
    }

    /// Sends input `k` to this thread's worker, started with a journal of
    /// its own first if there is none (none yet, or the last one died).
    fn send(&self, slot: &mut Option<Worker>, k: usize) -> Result<(), SendFailed> {
        let command = &self.options.worker;
        if slot.is_none() {
            let journal = self
                .journals
                .worker_journal(self.spawned.fetch_add(1, Ordering::Relaxed));
            let worker = Worker::spawn(command, journal).map_err(|e| {
                let program = command.program.display();
                SendFailed::NoWorker(format!("cannot start a worker ({program}): {e}"))
            })?;
            *slot = Some(worker);
        }
        let worker = slot.as_mut().expect("worker present");
        worker.send(&self.inputs[k]).map_err(|_| SendFailed::Gone)
    }

    /// Stores an outcome the worker did not store itself. Returns the
    /// failure kind of a file that failed.
    fn store(&self, k: usize, outcome: &Outcome) -> Result<Option<String>, String> {
        Ok(self
            .journals
            .append(&self.inputs[k].key, outcome)?
            .failure())
    }

    fn finish(
        &self,
        done: &mpsc::Sender<(usize, Result<(), String>)>,
        k: usize,
        result: Result<Option<String>, String>,
    ) {
        if let Ok(failed) = &result {
            self.progress.done(&self.inputs[k].path, failed.as_deref());
        }
        let _ = done.send((k, result.map(|_| ())));
    }
}

/// How many files a worker is sent ahead of its answers: one being read
/// and one waiting. Without the second, a worker sat idle after each file
/// until the batch had heard its answer and sent the next: 10 µs mostly,
/// but a millisecond or more when the batch's threads waited for a core the
/// workers held (1-3% of a worker's time over 210 PDFs on 2 cores; 0.06%
/// with the file waiting).
const PIPELINE: usize = 2;

enum SendFailed {
    /// The worker's stdin is closed: it has died.
    Gone,
    /// No worker could be started.
    NoWorker(String),
}

/// The cache key: the file's content, its name (the output names it) and the
/// definition and options in force.
fn cache_key(path: &Path, content: &std::io::Result<Content>, fingerprint: &str) -> String {
    let mut h = Sha256::new();
    match content {
        Ok(content) => h.update(content.sha256.as_bytes()),
        // Unreadable now: never cached as a success (the worker reports why).
        Err(e) => h.update(format!("unreadable {e} {}", std::process::id()).as_bytes()),
    }
    h.update([0]);
    h.update(
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .as_bytes(),
    );
    h.update([0]);
    h.update(fingerprint.as_bytes());
    crate::hex(&h.finalize()[..16])
}

/// Files to read: given files as they are, folders searched recursively for
/// the known extensions; sorted, without duplicates, and never OUT itself.
pub fn find_inputs(inputs: &[PathBuf], out: &Path) -> Result<Vec<PathBuf>, BatchError> {
    let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let mut found = BTreeSet::new();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .map_err(|e| BatchError(format!("{}: {e}", input.display())))?;
        if meta.is_file() {
            found.insert(input.clone());
            continue;
        }
        let mut stack = vec![input.clone()];
        while let Some(dir) = stack.pop() {
            if dir.canonicalize().is_ok_and(|d| d == out) {
                continue;
            }
            let entries = std::fs::read_dir(&dir)
                .map_err(|e| BatchError(format!("{}: {e}", dir.display())))?;
            for entry in entries.flatten() {
                let path = entry.path();
                // Hidden files, and the owner files Word leaves beside a
                // document it has open ("~$pan.docx": a user name, not a
                // document).
                let hidden = path.file_name().is_some_and(|n| {
                    let n = n.to_string_lossy();
                    n.starts_with('.') || n.starts_with("~$")
                });
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if hidden {
                    continue;
                }
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file()
                    && path
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(is_input_extension)
                {
                    found.insert(path);
                }
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// Whether a folder search picks up a file with this extension: the
/// document formats, and text (a response pasted or converted to text).
fn is_input_extension(extension: &str) -> bool {
    let lower = extension.to_ascii_lowercase();
    lower == "txt" || crate::readers::DOCUMENT_EXTENSIONS.contains(&lower.as_str())
}

/// A progress bar on a terminal; plain log lines otherwise; nothing when
/// asked to be quiet.
enum ProgressMode {
    Bar(ProgressBar),
    Lines,
    Quiet,
}

struct Progress {
    mode: ProgressMode,
    total: usize,
    done: AtomicUsize,
    failed: AtomicUsize,
}

impl Progress {
    fn new(total: usize, show: bool, reused: usize) -> Progress {
        let mode = if !show {
            ProgressMode::Quiet
        } else if std::io::stderr().is_terminal() && total > 0 {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} files  {per_sec}  ETA {eta}  {msg}",
                )
                .expect("valid template"),
            );
            bar.set_message("0 failed");
            ProgressMode::Bar(bar)
        } else {
            ProgressMode::Lines
        };
        if show && reused > 0 {
            eprintln!("msq: {reused} files unchanged since the last run, taken from the cache");
        }
        Progress {
            mode,
            total,
            done: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
        }
    }

    fn done(&self, path: &Path, failed_kind: Option<&str>) {
        let failed = failed_kind.is_some();
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let f = self
            .failed
            .fetch_add(usize::from(failed), Ordering::Relaxed)
            + usize::from(failed);
        match &self.mode {
            ProgressMode::Bar(bar) => {
                bar.inc(1);
                bar.set_message(format!("{f} failed"));
            }
            ProgressMode::Lines => {
                let what = match failed_kind {
                    None => "ok".to_string(),
                    Some(kind) => format!("failed: {kind}"),
                };
                eprintln!("[{n}/{}] {} {what}", self.total, path.display());
            }
            ProgressMode::Quiet => {}
        }
    }

    fn finish(&self) {
        if let ProgressMode::Bar(bar) = &self.mode {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Content;

    #[test]
    fn a_content_digest_stands_only_while_the_file_is_unchanged() {
        let path = std::env::temp_dir().join(format!("msq-content-{}.txt", std::process::id()));
        std::fs::write(&path, b"first").unwrap();
        let content = Content::of(&path).unwrap();
        assert_eq!(content.sha256, crate::sha256_hex(b"first"));
        assert!(content.still(&path, b"first"));
        // Other bytes read (the file rewritten meanwhile): hashed again.
        assert!(!content.still(&path, b"second, longer"));
        std::fs::write(&path, b"other").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert!(!content.still(&path, b"other"), "same size, newer time");
        std::fs::remove_file(&path).unwrap();
    }
}
