//! The sample corpus end to end: every document in `corpus/` is extracted and
//! compared with its ground truth (`*.truth.json`, field by field, 100% required)
//! and with its reviewed snapshot (`corpus/expected/*.json`, byte for byte), its
//! output is validated against the JSON Schema, and extracting twice must give
//! identical bytes.
//!
//! After an intended change of output, `MSQ_BLESS=1 cargo test --test corpus`
//! rewrites the snapshots; review them with `git diff corpus/expected`.

use std::path::{Path, PathBuf};

use msq::{Definition, Limits};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every corpus document that has a ground truth, sorted.
fn corpus_documents() -> Vec<(PathBuf, PathBuf)> {
    let mut docs = Vec::new();
    for dir in ["docx", "text", "pdf", "doc"] {
        let Ok(entries) = std::fs::read_dir(root().join("corpus").join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".truth.json") {
                continue;
            }
            let stem = name
                .rsplit_once('.')
                .map_or(name.as_str(), |(s, _)| s)
                .to_string();
            let truth = path.with_file_name(format!("{stem}.truth.json"));
            if truth.exists() {
                docs.push((path, truth));
            }
        }
    }
    docs.sort();
    docs
}

fn extract(path: &Path) -> (String, Value) {
    let extract = msq::extract_path(path, &Definition::builtin(), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let json = extract.to_json();
    let value = serde_json::from_str(&json).unwrap();
    (json, value)
}

/// Compares one truth value with the output, counting fields.
fn compare(
    path: &str,
    expected: &Value,
    actual: &Value,
    fields: &mut usize,
    errors: &mut Vec<String>,
) {
    *fields += 1;
    if expected != actual {
        errors.push(format!("{path}: expected {expected}, got {actual}"));
    }
}

fn check_truth(truth: &Value, out: &Value, fields: &mut usize, errors: &mut Vec<String>) {
    compare(
        "country.iso3",
        &truth["country"]["iso3"],
        &out["country"]["iso3"],
        fields,
        errors,
    );
    compare("date", &truth["date"], &out["date"], fields, errors);
    compare(
        "consent_to_publish",
        &truth["consent_to_publish"],
        &out["consent_to_publish"],
        fields,
        errors,
    );
    // Warnings the document must carry (a scan, an XFA form).
    if let Some(codes) = truth.get("warnings").and_then(Value::as_array) {
        for code in codes {
            let present = out["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| &w["code"] == code);
            compare(
                &format!("warning {code}"),
                &Value::Bool(true),
                &Value::Bool(present),
                fields,
                errors,
            );
        }
    }
    for (qid, expected) in truth["answers"].as_object().unwrap() {
        let answer = &out["answers"][qid];
        for (key, value) in expected.as_object().unwrap() {
            if key == "checked" {
                for (option, state) in value.as_object().unwrap() {
                    compare(
                        &format!("{qid}.{option}"),
                        state,
                        &answer["options"][option]["checked"],
                        fields,
                        errors,
                    );
                }
            } else if key == "contact" {
                for (field, v) in value.as_object().unwrap() {
                    compare(
                        &format!("{qid}.{field}"),
                        v,
                        &answer["contact"][field],
                        fields,
                        errors,
                    );
                }
            } else {
                compare(&format!("{qid}.{key}"), value, &answer[key], fields, errors);
            }
        }
    }
}

#[test]
fn corpus_matches_ground_truth_field_by_field() {
    let docs = corpus_documents();
    assert!(
        docs.len() >= 15,
        "the corpus has only {} documents",
        docs.len()
    );
    let mut total_fields = 0;
    let mut report = Vec::new();
    for (path, truth_path) in &docs {
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(truth_path).unwrap()).unwrap();
        let (_, out) = extract(path);
        let mut fields = 0;
        let mut errors = Vec::new();
        check_truth(&truth, &out, &mut fields, &mut errors);
        total_fields += fields;
        for e in errors {
            report.push(format!(
                "{}: {e}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    let wrong = report.len();
    eprintln!(
        "corpus: {} documents, {total_fields} fields, {} correct ({:.2}%)",
        docs.len(),
        total_fields - wrong,
        100.0 * (total_fields - wrong) as f64 / total_fields as f64
    );
    assert!(
        report.is_empty(),
        "{wrong} fields differ from the ground truth:\n{}",
        report.join("\n")
    );
}

#[test]
fn corpus_outputs_are_schema_valid_complete_and_deterministic() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/msq-extract-1.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let ids: Vec<String> = Definition::builtin()
        .answer_questions()
        .map(|q| q.id.clone())
        .collect();
    for (path, _) in corpus_documents() {
        let (first, value) = extract(&path);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: schema errors: {errors:?}",
            path.display()
        );
        let keys: Vec<&String> = value["answers"].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ids.iter().collect::<Vec<_>>(),
            "{}: answers are not complete",
            path.display()
        );
        let (second, _) = extract(&path);
        assert_eq!(first, second, "{}: two runs differ", path.display());
    }
}

#[test]
fn corpus_outputs_match_reviewed_snapshots() {
    let bless = std::env::var_os("MSQ_BLESS").is_some();
    let dir = root().join("corpus/expected");
    std::fs::create_dir_all(&dir).unwrap();
    let mut stale = Vec::new();
    for (path, _) in corpus_documents() {
        let (json, _) = extract(&path);
        let snapshot = dir.join(format!(
            "{}.json",
            path.file_name().unwrap().to_string_lossy()
        ));
        if bless {
            std::fs::write(&snapshot, &json).unwrap();
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == json => {}
            Ok(_) => stale.push(format!("{} differs", snapshot.display())),
            Err(_) => stale.push(format!("{} is missing", snapshot.display())),
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots out of date (review, then MSQ_BLESS=1 cargo test --test corpus):\n{}",
        stale.join("\n")
    );
}
