//! `msq batch` as analysts run it: outputs and their validity, the same bytes
//! whatever `-j` and the input order, each failure kind triggered for real
//! (`MSQ_TEST_FAULTS` makes workers panic, abort, overflow or hang on marked
//! files), resuming by content hash, and an interruption with `kill -9`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::{root, temp};
use serde_json::Value;

fn batch(args: &[&str], faults: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_msq"));
    cmd.arg("batch").args(args);
    if faults {
        cmd.env("MSQ_TEST_FAULTS", "1");
    } else {
        cmd.env_remove("MSQ_TEST_FAULTS");
    }
    cmd.output().expect("msq runs")
}

/// All output files (not the cache) and their bytes.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn copy(from: &str, to: &Path) {
    std::fs::copy(root().join(from), to).unwrap();
}

#[test]
fn corpus_batch_outputs_are_complete_and_valid() {
    let out = temp("corpus");
    let result = batch(
        &[
            root().join("corpus").to_str().unwrap(),
            "-o",
            out.0.to_str().unwrap(),
            "-q",
        ],
        false,
    );
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let files = outputs(&out.0);
    let summary: Value = serde_json::from_slice(&files["summary.json"]).unwrap();
    let documents = summary["inputs"].as_u64().unwrap();
    assert!(documents >= 35);
    assert_eq!(summary["processed"], summary["inputs"]);
    assert_eq!(summary["failed"], 0);
    assert_eq!(
        summary["member_states_missing"].as_array().unwrap().len() as u64,
        193 - summary["member_states_found"].as_u64().unwrap()
    );
    assert!(
        summary["duplicate_countries"]["JPN"]
            .as_array()
            .unwrap()
            .len()
            >= 5
    );

    // One JSON per document, each valid against the contract's schema.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/msq-extract-1.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let per_document: Vec<&String> = files
        .keys()
        .filter(|n| {
            !n.starts_with("dataset") && !n.starts_with("failures") && !n.starts_with("summary")
        })
        .collect();
    assert_eq!(per_document.len() as u64, documents);
    for name in &per_document {
        let doc: Value = serde_json::from_slice(&files[*name]).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    assert!(files.contains_key("JPN.json") && files.contains_key("JPN.2.json"));
    let second: Value = serde_json::from_slice(&files["JPN.2.json"]).unwrap();
    assert!(second["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "duplicate_country"));

    // The dataset: one row per document, a column per scalar answer.
    let csv_bytes = &files["dataset.csv"];
    assert!(
        csv_bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 byte-order mark for Excel"
    );
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    for column in [
        "file",
        "iso3",
        "q1.urls",
        "q8.implementation_plan",
        "q10",
        "q6.word_count",
        "warnings",
    ] {
        assert!(
            headers.iter().any(|h| h == column),
            "missing column {column}"
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, documents);
    assert!(rows.iter().all(|r| r.len() == headers.len()));
    let jsonl = String::from_utf8(files["dataset.jsonl"].clone()).unwrap();
    assert_eq!(jsonl.lines().count() as u64, documents);
    assert!(files["failures.jsonl"].is_empty());
}

#[test]
fn same_outputs_whatever_the_jobs_and_input_order() {
    let mut inputs: Vec<String> = ["docx", "pdf", "text"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(root().join("corpus").join(d))
                .unwrap()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| !p.to_string_lossy().ends_with(".json"))
        .map(|p| p.display().to_string())
        .collect();
    inputs.sort();
    let one = temp("j1");
    let two = temp("j2");
    let mut args: Vec<&str> = inputs.iter().map(String::as_str).collect();
    args.extend(["-o", one.0.to_str().unwrap(), "-j", "1", "-q"]);
    assert_eq!(batch(&args, false).status.code(), Some(0));
    let mut reversed: Vec<&str> = inputs.iter().rev().map(String::as_str).collect();
    reversed.extend(["-o", two.0.to_str().unwrap(), "-j", "2", "-q"]);
    assert_eq!(batch(&reversed, false).status.code(), Some(0));
    let (a, b) = (outputs(&one.0), outputs(&two.0));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between -j 1 and -j 2 with the inputs reversed"
        );
    }
}

#[test]
fn each_failure_costs_only_its_file() {
    let input = temp("faults-in");
    let out = temp("faults-out");
    for kind in ["panic", "abort", "overflow", "hang"] {
        copy(
            "corpus/docx/01_japan_content_controls.docx",
            &input.0.join(format!("x__{kind}__.docx")),
        );
    }
    copy(
        "corpus/docx/02_kenya_legacy_fields.docx",
        &input.0.join("kenya.docx"),
    );
    copy(
        "corpus/pdf/06_brazil_glyph_text.pdf",
        &input.0.join("brazil.pdf"),
    );
    std::fs::write(input.0.join("broken.pdf"), b"%PDF-1.7\nnot really").unwrap();
    // Last in input order: waiting in a worker's queue behind a failing file,
    // it is sent again to a fresh worker.
    copy(
        "corpus/docx/03_viet_nam_wingdings.docx",
        &input.0.join("z_after_the_faults.docx"),
    );
    let start = Instant::now();
    let result = batch(
        &[
            input.0.to_str().unwrap(),
            "-o",
            out.0.to_str().unwrap(),
            "--timeout",
            "2",
            "-j",
            "2",
            "-q",
        ],
        true,
    );
    assert_eq!(result.status.code(), Some(1), "some files failed: exit 1");
    assert!(start.elapsed() < Duration::from_secs(30));
    let failures: Vec<Value> = std::fs::read_to_string(out.0.join("failures.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kind_of = |name: &str| {
        failures
            .iter()
            .find(|f| f["file"].as_str().unwrap().ends_with(name))
            .map(|f| f["kind"].as_str().unwrap().to_string())
    };
    assert_eq!(kind_of("x__panic__.docx").as_deref(), Some("crashed"));
    assert_eq!(kind_of("x__abort__.docx").as_deref(), Some("crashed"));
    assert_eq!(kind_of("x__overflow__.docx").as_deref(), Some("crashed"));
    assert_eq!(kind_of("x__hang__.docx").as_deref(), Some("timeout"));
    assert_eq!(kind_of("broken.pdf").as_deref(), Some("corrupt"));
    assert!(out.0.join("KEN.json").exists() && out.0.join("BRA.json").exists());
    assert!(out.0.join("VNM.json").exists());
    assert_eq!(failures.len(), 5, "{failures:?}");
}

#[test]
fn a_rerun_does_only_what_changed() {
    let input = temp("resume-in");
    let out = temp("resume-out");
    for f in [
        "01_japan_content_controls.docx",
        "02_kenya_legacy_fields.docx",
        "03_viet_nam_wingdings.docx",
    ] {
        copy(&format!("corpus/docx/{f}"), &input.0.join(f));
    }
    let args = [input.0.to_str().unwrap(), "-o", out.0.to_str().unwrap()];
    assert_eq!(batch(&args, false).status.code(), Some(0));
    let before = outputs(&out.0);
    // Replace one file's content: only it is read again.
    copy(
        "corpus/docx/06_brazil_glyph_text.docx",
        &input.0.join("03_viet_nam_wingdings.docx"),
    );
    let again = batch(&args, false);
    let log = String::from_utf8_lossy(&again.stderr);
    assert!(log.contains("2 files unchanged"), "{log}");
    assert_eq!(log.matches(" ok").count(), 1, "{log}");
    let after = outputs(&out.0);
    assert!(
        after.contains_key("BRA.json") && !after.contains_key("VNM.json"),
        "the old country's file is gone"
    );
    assert_eq!(before["JPN.json"], after["JPN.json"]);
}

#[test]
fn a_folder_search_finds_word_variants_in_any_case_and_skips_lock_and_hidden_files() {
    let input = temp("find-in");
    let out = temp("find-out");
    std::fs::create_dir_all(input.0.join("late replies")).unwrap();
    copy(
        "corpus/docx/01_japan_content_controls.docx",
        &input.0.join("JAPAN.DOCX"),
    );
    copy(
        "corpus/docx/02_kenya_legacy_fields.docx",
        &input.0.join("kenya.docm"),
    );
    copy(
        "corpus/doc/03_viet_nam_wingdings.doc",
        &input.0.join("late replies/viet nam.dot"),
    );
    copy(
        "corpus/pdf/05_uk_segoe_symbols.pdf",
        &input.0.join(".~lock.uk.pdf"),
    );
    std::fs::write(input.0.join("notes.md"), "not a response").unwrap();
    // The owner file Word keeps beside a document it has open.
    let mut owner = b"\x0canalyst".to_vec();
    owner.resize(162, 0);
    std::fs::write(input.0.join("~$JAPAN.DOCX"), owner).unwrap();
    let result = batch(
        &[
            input.0.to_str().unwrap(),
            "-o",
            out.0.to_str().unwrap(),
            "-q",
        ],
        false,
    );
    assert_eq!(result.status.code(), Some(0));
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.0.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["inputs"], 3, "{summary}");
    let written = outputs(&out.0);
    for country in ["JPN.json", "KEN.json", "VNM.json"] {
        assert!(
            written.contains_key(country),
            "{country}: {:?}",
            written.keys()
        );
    }
}

#[test]
fn an_interrupted_batch_leaves_no_partial_file_and_resumes() {
    let input = temp("kill-in");
    let out = temp("kill-out");
    for f in [
        "01_japan_content_controls.docx",
        "02_kenya_legacy_fields.docx",
    ] {
        copy(&format!("corpus/docx/{f}"), &input.0.join(f));
    }
    // Sorted last: with one worker, the first two are done before it hangs.
    copy(
        "corpus/docx/03_viet_nam_wingdings.docx",
        &input.0.join("zz__hang__.docx"),
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_msq"))
        .args([
            "batch",
            input.0.to_str().unwrap(),
            "-o",
            out.0.to_str().unwrap(),
            "-j",
            "1",
            "--timeout",
            "60",
            "-q",
        ])
        .env("MSQ_TEST_FAULTS", "1")
        .spawn()
        .unwrap();
    let cache = out.0.join(".msq-cache");
    let deadline = Instant::now() + Duration::from_secs(30);
    // Two results in the workers' journals (a line each).
    let results = || {
        std::fs::read_dir(&cache).map_or(0, |d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("results-"))
                .map(|e| {
                    std::fs::read(e.path()).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
                })
                .sum::<usize>()
        })
    };
    while results() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // No output is half-written: the documents read before the kill may be
    // written, each whole; the datasets, written to the end, are not there.
    let written = outputs(&out.0);
    for (name, bytes) in &written {
        assert!(
            name.ends_with(".json") && !name.starts_with("summary"),
            "{name}"
        );
        serde_json::from_slice::<serde_json::Value>(bytes)
            .unwrap_or_else(|e| panic!("{name} is not whole: {e}"));
    }
    assert!(!written.contains_key("VNM.json"));
    let again = batch(
        &[input.0.to_str().unwrap(), "-o", out.0.to_str().unwrap()],
        false,
    );
    let log = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(0), "{log}");
    assert!(log.contains("2 files unchanged"), "{log}");
    assert!(out.0.join("VNM.json").exists());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(batch(&[], false).status.code(), Some(2));
    assert_eq!(batch(&["x"], false).status.code(), Some(2));
}
