//! Nothing msq writes can hurt the analyst who opens it: hostile file names
//! stay inside OUT, spreadsheet formulas in answers are neutralized in the CSV,
//! `javascript:`/`file:`/`data:` links are never emitted as URLs, and
//! `--redact-contacts` removes personal data from every output.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{root, temp};
use serde_json::Value;

fn msq(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_msq"))
        .args(args)
        .env_remove("MSQ_TEST_FAULTS")
        .output()
        .unwrap()
}

const HOSTILE: &str = "Country: =HYPERLINK(\"http://evil.example/\",\"click\")\n\
Date: 2019-05-01\n\
I. Institutional Framework\n\
1. What is the official e-government portal at the national level? If more than one, please list all.\n\
+SUM(1,2) portal https://portal.example.gov/\n\
@cmd portal [open](javascript:alert(document.cookie))\n\
-2+3 data:text/html;base64,PHNjcmlwdD4= and file:///etc/passwd\n\
4. Does your country have a Chief Information Officer (CIO) to manage national cross-agency e-government programs/strategies?\n\
Name: Jane Official\n\
E-mail: jane.official@ministry.example.gov\n\
Phone: +1 555 0100\n\
6. Is there a national development strategy incorporating the Sustainable Development Goals (SDGs)?\n\
Write to jane.official@ministry.example.gov for details.\n";

#[test]
fn hostile_names_and_values() {
    let input = temp("in");
    let out = temp("out");
    // File stems that would be paths, devices or hidden files if used as is.
    for name in ["CON.txt", "..%2f..%2fetc.txt", "=cmd|calc.txt", "a b;c.txt"] {
        std::fs::write(input.0.join(name), HOSTILE).unwrap();
    }
    let result = msq(&[
        "batch",
        input.0.to_str().unwrap(),
        "-o",
        out.0.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(&out.0)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for n in &names {
        assert!(
            !n.starts_with("CON.") && !n.contains(['|', ';', ' ', '=', '%']),
            "unsafe output name {n}"
        );
    }
    assert!(names.iter().any(|n| n == "_CON.json"), "{names:?}");
    // Nothing was written outside OUT.
    assert!(!out.0.parent().unwrap().join("etc.json").exists());

    // CSV: no cell starts with a formula character.
    let csv_bytes = std::fs::read(out.0.join("dataset.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&csv_bytes[3..]);
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    let csv_text = String::from_utf8_lossy(&csv_bytes);
    assert!(
        csv_text.contains("'=HYPERLINK"),
        "the formula is kept as text"
    );

    // URLs: only http(s); the unsafe ones are reported.
    let doc: Value =
        serde_json::from_slice(&std::fs::read(out.0.join("_CON.json")).unwrap()).unwrap();
    let urls: Vec<&str> = doc["answers"]["q1"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| {
            e["urls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u.as_str().unwrap())
        })
        .collect();
    assert_eq!(urls, ["https://portal.example.gov/"]);
    let warning = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "unsafe_url_scheme")
        .expect("unsafe_url_scheme warning");
    for scheme in ["javascript:", "data:", "file:"] {
        assert!(
            warning["message"].as_str().unwrap().contains(scheme),
            "{warning}"
        );
    }
}

fn contains_personal_data(text: &str) -> bool {
    text.contains("jane.official@") || text.contains("Jane Official") || text.contains("555 0100")
}

#[test]
fn redact_contacts_in_extract_and_batch() {
    let input = temp("redact-in");
    let out = temp("redact-out");
    let file = input.0.join("hostile.txt");
    std::fs::write(&file, HOSTILE).unwrap();

    let plain = msq(&["extract", file.to_str().unwrap()]);
    assert!(
        contains_personal_data(&String::from_utf8_lossy(&plain.stdout)),
        "the test needs personal data to remove"
    );
    let redacted = msq(&["extract", "--redact-contacts", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&redacted.stdout);
    assert!(!contains_personal_data(&text), "{text}");
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["source"]["redacted"], true);
    assert!(doc["answers"]["q4"]["contact"]
        .as_object()
        .unwrap()
        .values()
        .all(Value::is_null));
    assert!(doc["answers"]["q6"]["text"]
        .as_str()
        .unwrap()
        .contains("[e-mail removed]"));

    let result = msq(&[
        "batch",
        input.0.to_str().unwrap(),
        "-o",
        out.0.to_str().unwrap(),
        "-q",
        "--redact-contacts",
    ]);
    assert_eq!(result.status.code(), Some(0));
    for entry in std::fs::read_dir(&out.0).unwrap().flatten() {
        if entry.file_type().unwrap().is_file() {
            let content =
                String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
            assert!(
                !contains_personal_data(&content),
                "{} keeps personal data",
                entry.path().display()
            );
        }
    }
}

#[test]
fn batch_over_all_corpora_reads_or_lists_every_file() {
    let corpora = root().join("../shared/corpora");
    if !corpora.is_dir() {
        eprintln!("skipped: no ../shared/corpora");
        return;
    }
    let out = temp("corpora");
    let result = msq(&[
        "batch",
        corpora.to_str().unwrap(),
        "-o",
        out.0.to_str().unwrap(),
        "-q",
        "--timeout",
        "60",
    ]);
    assert!(
        matches!(result.status.code(), Some(0) | Some(1)),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.0.join("summary.json")).unwrap()).unwrap();
    let inputs = summary["inputs"].as_u64().unwrap();
    assert!(inputs > 1400, "{summary}");
    assert_eq!(
        summary["processed"].as_u64().unwrap() + summary["failed"].as_u64().unwrap(),
        inputs
    );
    let known = [
        "unsupported_format",
        "encrypted",
        "corrupt",
        "limit_exceeded",
        "empty_file",
        "io_error",
    ];
    for (kind, _) in summary["failures_by_kind"].as_object().unwrap() {
        assert!(
            known.contains(&kind.as_str()),
            "failure kind {kind} (no crash, no timeout expected): {summary}"
        );
    }
    let failures = std::fs::read_to_string(out.0.join("failures.jsonl")).unwrap();
    assert_eq!(
        failures.lines().count() as u64,
        summary["failed"].as_u64().unwrap()
    );
    assert!(failures.lines().all(|l| {
        let f: Value = serde_json::from_str(l).unwrap();
        !f["message"].as_str().unwrap().is_empty()
            && Path::new(f["file"].as_str().unwrap()).exists()
    }));
}
