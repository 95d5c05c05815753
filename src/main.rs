//! The `msq` command line: parse arguments, call the library, print.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use msq::{Definition, Limits};

// Extraction allocates many small strings and vectors per page; mimalloc
// serves them faster than the system allocator (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns filled-in UN E-Government Survey Member States Questionnaires into
/// normalized JSON.
#[derive(Parser)]
#[command(name = "msq", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct BatchArgs {
    /// Files and folders to read.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// Worker processes to run at once [default: the number of cores].
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Seconds a file may take before its worker is stopped.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    timeout: f64,
    /// A questionnaire definition to use instead of the built-in MSQ 2020.
    #[arg(long, value_name = "JSON")]
    definition: Option<PathBuf>,
    /// No progress bar or per-file lines; only the summary.
    #[arg(short, long)]
    quiet: bool,
    /// Remove contact blocks and e-mail addresses from every output.
    #[arg(long)]
    redact_contacts: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Extract the answers of one questionnaire (.docx or text) as
    /// normalized JSON (the msq-extract/1 contract) on standard output.
    Extract {
        /// The questionnaire file.
        file: PathBuf,
        /// A questionnaire definition to use instead of the built-in MSQ 2020.
        #[arg(long, value_name = "JSON")]
        definition: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Remove the names, e-mail addresses and phone numbers of the contact
        /// blocks, and e-mail addresses anywhere, for publishing.
        #[arg(long)]
        redact_contacts: bool,
    },
    /// Print the document model (what the reader saw: lines, marks, links)
    /// as JSON, before any interpretation.
    Inspect {
        /// The file to read.
        file: PathBuf,
    },
    /// Extract a whole survey round: every .docx, .pdf, .txt and .doc in the
    /// given files and folders (searched recursively), in parallel, each file
    /// isolated in a worker process. Writes OUT/<ISO3>.json per document,
    /// dataset.csv, dataset.jsonl, failures.jsonl and summary.json. A rerun
    /// does only what is missing or changed.
    Batch(BatchArgs),
    /// (internal) Read files named on standard input, one JSON result per line.
    #[command(hide = true)]
    Worker {
        #[arg(long, value_name = "JSON")]
        definition: Option<PathBuf>,
        #[arg(long)]
        redact_contacts: bool,
    },
}

/// Exit codes: 0 success, 1 the input could not be read (for `batch`: some
/// files failed), 2 usage error (from clap), 3 the output could not be written.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("msq: {e}");
            ExitCode::from(1)
        }
        Err(Failure::Partial) => ExitCode::from(1),
        Err(Failure::Output(e)) => {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("msq: cannot write output: {e}");
            ExitCode::from(3)
        }
    }
}

enum Failure {
    Input(String),
    Output(std::io::Error),
    /// A batch that finished with some files failed (already reported).
    Partial,
}

fn load_definition(path: Option<&PathBuf>) -> Result<Definition, Failure> {
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
            Definition::from_json(&text)
                .map_err(|e| Failure::Input(format!("{}: invalid definition: {e}", path.display())))
        }
        None => Ok(Definition::builtin()),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let limits = Limits::default();
    match cli.command {
        Command::Extract {
            file,
            definition,
            output,
            redact_contacts,
        } => {
            let def = load_definition(definition.as_ref())?;
            let mut extract = msq::extract_path(&file, &def, &limits)
                .map_err(|e| Failure::Input(format!("{e} [{}]", e.kind.code())))?;
            if redact_contacts {
                extract.redact_contacts();
            }
            write_out(output, &extract.to_json())
        }
        Command::Inspect { file } => {
            let (doc, _) = msq::readers::read_path(&file, &limits)
                .map_err(|e| Failure::Input(format!("{e} [{}]", e.kind.code())))?;
            let mut json = serde_json::to_string_pretty(&doc).expect("model serializes");
            json.push('\n');
            write_out(None, &json)
        }
        Command::Batch(args) => batch(args),
        Command::Worker {
            definition,
            redact_contacts,
        } => {
            let def = load_definition(definition.as_ref())?;
            msq::batch::worker::serve(&def, &limits, redact_contacts).map_err(Failure::Output)
        }
    }
}

fn batch(args: BatchArgs) -> Result<(), Failure> {
    let BatchArgs {
        inputs,
        output,
        jobs,
        timeout,
        definition,
        quiet,
        redact_contacts,
    } = args;
    let def = load_definition(definition.as_ref())?;
    if !(timeout > 0.0 && timeout.is_finite()) {
        return Err(Failure::Input(format!(
            "--timeout must be a positive number of seconds, not {timeout}"
        )));
    }
    let definition_text = match &definition {
        Some(p) => std::fs::read_to_string(p).unwrap_or_default(),
        None => msq::definition::MSQ_2020.to_string(),
    };
    let mut args = Vec::new();
    if let Some(p) = &definition {
        let absolute = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        args.push("--definition".to_string());
        args.push(absolute.display().to_string());
    }
    if redact_contacts {
        args.push("--redact-contacts".to_string());
    }
    let program = std::env::current_exe().map_err(Failure::Output)?;
    let options = msq::batch::BatchOptions {
        inputs,
        out: output.clone(),
        jobs: jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
        timeout: std::time::Duration::from_secs_f64(timeout),
        fingerprint: format!(
            "{} {}",
            env!("CARGO_PKG_VERSION"),
            msq::sha256_hex(definition_text.as_bytes())
        ),
        definition: def,
        worker: msq::batch::worker::WorkerCommand { program, args },
        progress: !quiet,
    };
    let report = msq::batch::run(&options).map_err(|e| Failure::Input(e.to_string()))?;
    let s = &report.summary;
    eprintln!(
        "msq: {} files: {} extracted, {} failed ({} from the cache) in {:.1} s; outputs in {}",
        s.inputs,
        s.processed,
        s.failed,
        report.reused,
        report.elapsed.as_secs_f64(),
        output.display()
    );
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !s.failures_by_kind.is_empty() {
        eprintln!(
            "msq: failures: {} (see failures.jsonl)",
            counts(&s.failures_by_kind)
        );
    }
    if !s.warnings_by_code.is_empty() {
        eprintln!("msq: warnings: {}", counts(&s.warnings_by_code));
    }
    eprintln!(
        "msq: {} of 193 member states present; missing: {}",
        s.member_states_found,
        if s.member_states_missing.len() > 20 {
            format!(
                "{} states (see summary.json)",
                s.member_states_missing.len()
            )
        } else {
            s.member_states_missing.join(" ")
        }
    );
    // A few names say which files to look at; summary.json lists them all.
    const SHOWN: usize = 3;
    for (iso3, files) in &s.duplicate_countries {
        let more = files.len().saturating_sub(SHOWN);
        eprintln!(
            "msq: {iso3} came {} times: {}{}",
            files.len(),
            files[..files.len().min(SHOWN)].join(", "),
            if more > 0 {
                format!(" and {more} more (see summary.json)")
            } else {
                String::new()
            }
        );
    }
    if s.failed > 0 {
        Err(Failure::Partial)
    } else {
        Ok(())
    }
}

fn write_out(path: Option<PathBuf>, text: &str) -> Result<(), Failure> {
    match path {
        Some(p) => std::fs::write(&p, text).map_err(Failure::Output),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).map_err(Failure::Output)?;
            out.flush().map_err(Failure::Output)
        }
    }
}
