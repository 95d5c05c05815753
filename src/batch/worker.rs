//! Crash isolation: each file is read in a child `msq worker` process, as
//! Apache Tika's fork parser does. A worker that panics, aborts, overflows its
//! stack or runs past the time limit costs only the file it was reading: it is
//! killed and a fresh one is started for the next file.
//!
//! Protocol: one JSON line per job on the worker's stdin (`{"path": …,
//! "key": …, "journal": …}`). The worker appends the outcome (`{"ok":
//! <extract>}` or `{"error": {"kind": …, "message": …}}`) to its journal
//! itself (`journal`) and answers with one short line saying where it lies
//! and of what kind it is, so the extract is serialized once and never
//! travels through the batch. The batch keeps the next job waiting in the
//! worker's stdin (see `PIPELINE`), so a worker goes from one file to the
//! next without waiting for the batch to hear its answer.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::journal::{self, Appender, Location};
use super::{Content, Input};
use crate::{Definition, Limits};

#[derive(Serialize, Deserialize)]
struct Job {
    path: PathBuf,
    /// The cache key the outcome is stored under.
    key: String,
    journal: PathBuf,
    /// The content as the batch hashed it.
    content: Option<Content>,
}

/// The worker's answer once the outcome is in its journal: where (the
/// location names the outcome's kind).
#[derive(Serialize, Deserialize)]
struct Reply {
    stored: Option<Location>,
    /// Set when the journal could not be written; the outcome travels here
    /// then.
    outcome: Option<Outcome>,
}

/// What became of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The extract, as the worker serialized it (compact JSON, never parsed
    /// into values: the batch reads from it only what the outputs need).
    Ok(Box<serde_json::value::RawValue>),
    Error {
        kind: String,
        message: String,
    },
}

/// What became of a job the worker answered.
pub enum Stored {
    /// The outcome is in the worker's journal, there.
    Stored(Location),
    /// The worker could not write its journal: the outcome, to store.
    NotStored(Outcome),
}

/// How to start a worker: the msq executable and the options it passes on.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
}

pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    /// The journal this worker appends outcomes to.
    journal: PathBuf,
}

impl Worker {
    pub fn spawn(command: &WorkerCommand, journal: PathBuf) -> std::io::Result<Worker> {
        let mut child = Command::new(&command.program)
            .arg("worker")
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // A panic message would be noise beside the progress bar: the
            // failure is recorded from the exit status instead.
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            lines,
            journal,
        })
    }

    /// Sends the worker one file to read; it stores the outcome in its
    /// journal under the file's key and answers, in the order the files were
    /// sent. `Err` means the worker is gone (its stdin is closed).
    pub fn send(&mut self, input: &Input) -> std::io::Result<()> {
        let job = serde_json::to_string(&Job {
            path: input.path.clone(),
            key: input.key.clone(),
            journal: self.journal.clone(),
            content: input.content.clone(),
        })
        .expect("job serializes");
        writeln!(self.stdin, "{job}").and_then(|_| self.stdin.flush())
    }

    /// Waits at most `timeout` for the answer about the oldest file sent
    /// and not answered yet.
    /// `Ok` says what was stored (or carries the outcome when the worker could
    /// not store it). `Err` means the worker is gone (crashed, or killed here
    /// at the timeout) and must be replaced; the outcome says why, and is not
    /// stored yet.
    pub fn receive(&mut self, timeout: Duration) -> Result<Stored, Outcome> {
        match self.lines.recv_timeout(timeout) {
            Ok(line) => match serde_json::from_str::<Reply>(&line) {
                Ok(Reply {
                    outcome: Some(outcome),
                    ..
                }) => Ok(Stored::NotStored(outcome)),
                Ok(Reply {
                    stored: Some(location),
                    ..
                }) => Ok(Stored::Stored(location)),
                Ok(Reply { .. }) => Err(Outcome::Error {
                    kind: "worker_protocol".into(),
                    message: "the worker answered without a result".into(),
                }),
                Err(e) => Err(Outcome::Error {
                    kind: "worker_protocol".into(),
                    message: format!("unreadable worker answer: {e}"),
                }),
            },
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Err(Outcome::Error {
                    kind: journal::TIMEOUT_KIND.into(),
                    message: format!(
                        "no result within {} s; the worker was stopped",
                        timeout.as_secs_f64()
                    ),
                })
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.crashed()),
        }
    }

    /// Why the worker is gone, from its exit status.
    pub fn crashed(&mut self) -> Outcome {
        let status = self.child.wait().ok();
        Outcome::Error {
            kind: "crashed".into(),
            message: describe_exit(status),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn describe_exit(status: Option<ExitStatus>) -> String {
    let Some(status) = status else {
        return "the worker process vanished".into();
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let what = match signal {
                6 => "aborted (SIGABRT; a stack overflow ends this way too)",
                9 => "killed (SIGKILL)",
                11 => "crashed (SIGSEGV)",
                _ => "killed by a signal",
            };
            return format!("the worker process {what}, signal {signal}");
        }
    }
    match status.code() {
        Some(101) => "the worker process panicked".into(),
        Some(code) => format!("the worker process exited with code {code}"),
        None => "the worker process ended abnormally".into(),
    }
}

/// The worker side: reads jobs from stdin and answers on stdout until stdin
/// closes. `MSQ_TEST_FAULTS=1` makes it panic, abort, overflow its stack or
/// hang on files whose name says so (`__panic__`, `__abort__`, `__overflow__`,
/// `__hang__`): the batch tests trigger each failure for real.
pub fn serve(def: &Definition, limits: &Limits, redact_contacts: bool) -> std::io::Result<()> {
    watch_parent();
    let interpreter = crate::interpret::Interpreter::new(def);
    let faults = std::env::var_os("MSQ_TEST_FAULTS").is_some();
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    let mut journal: Option<Appender> = None;
    for line in stdin.lock().lines() {
        let line = line?;
        let Ok(job) = serde_json::from_str::<Job>(&line) else {
            continue;
        };
        if faults {
            inject_fault(&job.path);
        }
        // The extract is written as JSON straight from its structure.
        let (failed, json) = match crate::readers::read_path(&job.path, limits) {
            Ok((doc, bytes)) => {
                let sha256 = match &job.content {
                    Some(content) if content.still(&job.path, &bytes) => content.sha256.clone(),
                    _ => crate::sha256_hex(&bytes),
                };
                let mut extract = interpreter.interpret(&doc, &sha256);
                if redact_contacts {
                    extract.redact_contacts();
                }
                let mut json = b"{\"ok\":".to_vec();
                serde_json::to_writer(&mut json, &extract).expect("extract serializes");
                json.push(b'}');
                (None, json)
            }
            Err(e) => {
                let outcome = Outcome::Error {
                    kind: e.kind.code().to_string(),
                    message: e.to_string(),
                };
                let json = serde_json::to_vec(&outcome).expect("outcome serializes");
                (Some(e.kind.code().to_string()), json)
            }
        };
        let appender = match &mut journal {
            Some(j) if j.path() == job.journal => j,
            _ => journal.insert(Appender::new(job.journal.clone())),
        };
        let kind = failed.as_deref().unwrap_or(journal::OK_KIND);
        let reply = match appender.append(&job.key, kind, &json) {
            Ok(location) => Reply {
                stored: Some(location),
                outcome: None,
            },
            Err(_) => Reply {
                stored: None,
                outcome: Some(serde_json::from_slice(&json).expect("outcome parses")),
            },
        };
        writeln!(
            stdout,
            "{}",
            serde_json::to_string(&reply).expect("reply serializes")
        )?;
        stdout.flush()?;
    }
    Ok(())
}

/// Ends this worker when the batch that started it is gone (killed with -9,
/// say): a worker stuck on a file must not outlive it.
fn watch_parent() {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            if std::os::unix::process::parent_id() != parent {
                std::process::exit(3);
            }
        });
    }
}

fn inject_fault(path: &Path) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.contains("__panic__") {
        panic!("test fault: panic on {name}");
    }
    if name.contains("__abort__") {
        std::process::abort();
    }
    if name.contains("__overflow__") {
        // Unbounded recursion, as a self-referencing structure would cause.
        fn recurse(n: u64) -> u64 {
            let pad = std::hint::black_box([n; 64]);
            if pad[0] == u64::MAX {
                return 0;
            }
            recurse(pad[(n % 64) as usize] + 1) + pad[1]
        }
        std::hint::black_box(recurse(0));
    }
    if name.contains("__hang__") {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
}
