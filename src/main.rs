//! The `msq` command line: parse arguments, call the library, print.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use msq::{Definition, Limits};

/// Turns filled-in UN E-Government Survey Member States Questionnaires into
/// normalized JSON.
#[derive(Parser)]
#[command(name = "msq", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    },
    /// Print the document model (what the reader saw: lines, marks, links)
    /// as JSON, before any interpretation.
    Inspect {
        /// The file to read.
        file: PathBuf,
    },
}

/// Exit codes: 0 success, 1 the input could not be read, 2 usage error
/// (from clap), 3 the output could not be written.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("msq: {e}");
            ExitCode::from(1)
        }
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
}

fn run(cli: Cli) -> Result<(), Failure> {
    let limits = Limits::default();
    match cli.command {
        Command::Extract {
            file,
            definition,
            output,
        } => {
            let def = match definition {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
                    Definition::from_json(&text).map_err(|e| {
                        Failure::Input(format!("{}: invalid definition: {e}", path.display()))
                    })?
                }
                None => Definition::builtin(),
            };
            let extract = msq::extract_path(&file, &def, &limits)
                .map_err(|e| Failure::Input(format!("{e} [{}]", e.kind.code())))?;
            write_out(output, &extract.to_json())
        }
        Command::Inspect { file } => {
            let (doc, _) = msq::readers::read_path(&file, &limits)
                .map_err(|e| Failure::Input(format!("{e} [{}]", e.kind.code())))?;
            let mut json = serde_json::to_string_pretty(&doc).expect("model serializes");
            json.push('\n');
            write_out(None, &json)
        }
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
