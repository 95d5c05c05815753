//! `msq batch`: a whole survey round at once.
//!
//! Files are found (folders searched recursively, sorted), each is read in an
//! isolated worker process (`worker`), scheduled on all cores by rayon, and its
//! result stored under a key made of the content's hash in journals kept in
//! `OUT/.msq-cache` (`journal`). Outputs are then written, atomically, from
//! the journals in sorted input order
//! (`outputs`), so a rerun after an interruption does only what is missing, and
//! the same inputs give the same bytes whatever `-j` and the input order.

pub mod journal;
pub mod outputs;
pub mod worker;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use self::journal::Journals;
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
        .map(|path| Input {
            key: cache_key(path, &options.fingerprint),
            path: path.clone(),
        })
        .collect();
    let journals = Journals::open(&cache_dir);
    let todo: Vec<&Input> = inputs
        .iter()
        .filter(|i| !journals.has_result(&i.key))
        .collect();
    let reused = inputs.len() - todo.len();

    let progress = Progress::new(todo.len(), options.progress, reused);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(|e| BatchError(format!("cannot start worker threads: {e}")))?;
    let spawn_error: Mutex<Option<String>> = Mutex::new(None);
    let spawned = AtomicUsize::new(0);
    pool.install(|| {
        todo.par_iter().for_each(|input| {
            let result = WORKER.with(|slot| {
                let mut slot = slot.borrow_mut();
                if slot.is_none() {
                    let journal = journals.worker_journal(spawned.fetch_add(1, Ordering::Relaxed));
                    let worker = Worker::spawn(&options.worker, journal).map_err(|e| {
                        let program = options.worker.program.display();
                        format!("cannot start a worker ({program}): {e}")
                    })?;
                    *slot = Some(worker);
                }
                run_in_worker(&mut slot, &journals, input, options.timeout)
            });
            match result {
                Ok(failed) => progress.done(&input.path, failed.as_deref()),
                Err(e) => *spawn_error.lock().expect("lock") = Some(e),
            }
        });
        // Workers live in thread-locals: end them with the pool's threads.
        rayon::broadcast(|_| WORKER.with(|slot| slot.borrow_mut().take()));
    });
    progress.finish();
    if let Some(e) = spawn_error.into_inner().expect("lock") {
        return Err(BatchError(e));
    }
    let summary = outputs::write_all(&options.out, &inputs, &journals, &options.definition)
        .map_err(BatchError)?;
    let keys: Vec<&str> = inputs.iter().map(|i| i.key.as_str()).collect();
    journals.compact(&keys).map_err(BatchError)?;
    Ok(BatchReport {
        summary,
        reused,
        elapsed: started.elapsed(),
    })
}

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Reads one file in this thread's worker (replaced after a crash or
/// timeout) and makes sure its outcome is in a journal. Returns the failure
/// kind of a file that failed.
fn run_in_worker(
    slot: &mut Option<Worker>,
    journals: &Journals,
    input: &Input,
    timeout: Duration,
) -> Result<Option<String>, String> {
    let worker = slot.as_mut().expect("worker present");
    let outcome = match worker.run(&input.path, &input.key, timeout) {
        Ok(Stored::Stored { failed, location }) => {
            journals.record(&input.key, location);
            return Ok(failed);
        }
        Ok(Stored::NotStored(outcome)) => outcome,
        Err(failure) => {
            // The worker is gone; the next file gets a fresh one.
            *slot = None;
            failure
        }
    };
    let failed = match &outcome {
        Outcome::Ok(_) => None,
        Outcome::Error { kind, .. } => Some(kind.clone()),
    };
    journals.append(&input.key, &outcome)?;
    Ok(failed)
}

/// The cache key: the file's content, its name (the output names it) and the
/// definition and options in force.
fn cache_key(path: &Path, fingerprint: &str) -> String {
    let mut h = Sha256::new();
    match std::fs::read(path) {
        Ok(bytes) => h.update(&bytes),
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
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
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
