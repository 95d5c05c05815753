//! Word files nobody on this project wrote: `../shared/corpora` (test suites of
//! POI, pandoc, Open-XML-SDK, Aspose, node-word-extractor, docx-form).
//!
//! - The check-box files named in SOURCES.md: every box found, right state, in
//!   order, as an independent reader saw them (`tests/data/word_checkboxes.json`,
//!   made once by `scripts/expect_word_checkboxes.py`).
//! - Every Word file there: read without a panic; each refusal is a clear error
//!   kind; hostile files get the kind they deserve.
//!
//! The corpora sit beside the checkout (`../shared`); without them these tests
//! say so and pass, so a bare clone still builds.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use common::{corpora, corpora_text, extract_json, files_with_extensions};

use msq::model::MarkSource;
use msq::readers::{read_path, Limits};
use serde_json::Value;

#[test]
fn named_checkbox_files_match_an_independent_reader() {
    let Some(root) = corpora() else { return };
    let expected: Value = serde_json::from_str(include_str!("data/word_checkboxes.json")).unwrap();
    for (file, want) in expected.as_object().unwrap() {
        let (doc, _) =
            read_path(&root.join(file), &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let boxes: Vec<bool> = doc
            .marks
            .iter()
            .filter(|m| m.source != MarkSource::Typed)
            .map(|m| m.checked.expect("Word boxes have a state"))
            .collect();
        let want_states: Vec<bool> = want["checked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_bool().unwrap())
            .collect();
        assert_eq!(boxes, want_states, "{file}: check-box states differ");
    }
}

#[test]
fn named_hyperlink_files() {
    let Some(root) = corpora() else { return };
    let read = |f: &str| read_path(&root.join(f), &Limits::default()).unwrap().0;
    // 296 w:hyperlink elements and 10 HYPERLINK fields.
    assert_eq!(
        read("poi/test-data/document/bug59058.docx").links.len(),
        306
    );
    let d = read("pandoc/test/docx/instrText_hyperlink.docx");
    assert_eq!(d.links.len(), 2);
    assert!(d.links[0]
        .url
        .starts_with("https://books.google.com/books?id=sp_Zcb9ot90C"));
    assert_eq!(d.links[0].text, "Foundations of Analysis, 2nd Edition");
    let d = read("pandoc/test/docx/nested_instrText.docx");
    assert_eq!(d.links.len(), 2);
    assert!(!d.lines[0].text.contains("HYPERLINK") && !d.lines[0].text.contains("CREATEDATE"));
}

#[test]
fn tracked_changes_keep_insertions_and_drop_deletions() {
    let Some(text) = corpora_text("poi/test-data/document/delins.docx") else {
        return;
    };
    assert!(
        text.contains("March 2009: Apache Tika Release"),
        "inserted text lost"
    );
    assert!(
        text.contains("Apache Tika 0.3 has been released."),
        "inserted text lost"
    );
    assert!(
        !text.contains("Also known as Maang Tika."),
        "deleted text kept"
    );
    assert!(
        !text.contains("A pendant worn in place of the red spot"),
        "deleted text kept"
    );
}

#[test]
fn main_part_is_found_through_the_package_relationships() {
    let Some(root) = corpora() else { return };
    let (doc, _) = read_path(
        &root.join("pandoc/test/docx/alternate_document_path.docx"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(doc.lines[0].text, "Test");
}

#[test]
fn every_word_file_is_read_or_refused_with_a_kind() {
    let Some(root) = corpora() else { return };
    let files = files_with_extensions(&root, &["docx", "doc", "dotx", "docm"]);
    assert!(files.len() > 600, "only {} Word files found", files.len());
    let mut panics = Vec::new();
    let mut by_kind = std::collections::BTreeMap::<&str, usize>::new();
    for f in &files {
        match catch_unwind(AssertUnwindSafe(|| read_path(f, &Limits::default()))) {
            Ok(Ok(_)) => *by_kind.entry("read").or_default() += 1,
            Ok(Err(e)) => {
                let message = e.to_string();
                assert!(
                    message.contains(&*f.to_string_lossy()),
                    "error does not name the file: {message}"
                );
                *by_kind.entry(e.kind.code()).or_default() += 1;
            }
            Err(_) => panics.push(f.display().to_string()),
        }
    }
    eprintln!("{} Word files: {by_kind:?}", files.len());
    assert!(panics.is_empty(), "panicked on: {panics:?}");
    let kind = |f: &str| {
        read_path(&root.join(f), &Limits::default())
            .err()
            .map(|e| e.kind.code())
    };
    assert_eq!(
        kind("poi/test-data/document/bug53475-password-is-pass.docx"),
        Some("encrypted")
    );
    assert_eq!(
        kind("poi/test-data/integration/stress025.docx"),
        Some("unsupported_format")
    );
    assert_eq!(
        kind("poi/test-data/document/clusterfuzz-testcase-minimized-POIXWPFFuzzer-5569740188549120.docx"),
        Some("corrupt")
    );
}

#[test]
fn doc_check_boxes_match_what_libreoffice_shows() {
    let Some(root) = corpora() else { return };
    let expected: Value = serde_json::from_str(include_str!("data/doc_checkboxes.json")).unwrap();
    for (file, want) in expected.as_object().unwrap() {
        let (doc, _) =
            read_path(&root.join(file), &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let states: Vec<bool> = doc
            .marks
            .iter()
            .map(|m| m.checked.expect("a state from FFDATA"))
            .collect();
        let want: Vec<bool> = want["checked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_bool().unwrap())
            .collect();
        assert_eq!(states, want, "{file}");
    }
}

#[test]
fn test07_doc_and_its_docx_twin_give_the_same_45_states() {
    let Some(root) = corpora() else { return };
    let states = |f: &str| -> Vec<Option<bool>> {
        read_path(&root.join(f), &Limits::default())
            .unwrap()
            .0
            .marks
            .iter()
            .map(|m| m.checked)
            .collect()
    };
    let doc = states("node-word-extractor/__tests__/data/test07.doc");
    assert_eq!(doc.len(), 45);
    assert_eq!(
        doc,
        states("node-word-extractor/__tests__/data/test07.docx")
    );
}

#[test]
fn legacy_drop_downs_show_their_entry_in_doc_and_docx() {
    // test07's six drop-downs: two set (to "Co-applicant", to
    // "Co-ordinator"), four left on their first entry, as Word shows them.
    let Some(root) = corpora() else { return };
    let entries = ["Co-applicant", "Co-ordinator", "Choose from list"];
    let shown = |f: &str| -> Vec<String> {
        read_path(&root.join(f), &Limits::default())
            .unwrap()
            .0
            .lines
            .iter()
            .map(|l| l.text.trim().to_string())
            .filter(|t| entries.contains(&t.as_str()))
            .collect()
    };
    let expected = [
        "Co-applicant",
        "Choose from list",
        "Choose from list",
        "Choose from list",
        "Co-ordinator",
        "Choose from list",
    ];
    for f in ["test07.doc", "test07.docx"] {
        let path = format!("node-word-extractor/__tests__/data/{f}");
        assert_eq!(shown(&path), expected, "{f}");
    }
}

#[test]
fn doc_table_cells_follow_the_paragraph_properties() {
    // An empty cell before a row's last cell, and a cell of two paragraphs:
    // the .doc export gives the same cells as its .docx source.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let cells = |name: &str| {
        let (doc, _) = read_path(&dir.join(name), &Limits::default()).unwrap();
        doc.lines
            .iter()
            .map(|l| (l.cell.map(|c| (c.row, c.col)), l.text.clone()))
            .collect::<Vec<_>>()
    };
    let from_doc = cells("table_cells.doc");
    assert_eq!(from_doc, cells("table_cells.docx"));
    assert!(from_doc.contains(&(Some((1, 2)), "https://health.example.gov".to_string())));
    assert!(from_doc.contains(&(Some((2, 0)), "Education first paragraph".to_string())));
}

#[test]
fn doc_tracked_deletions_stay_out_as_in_the_docx() {
    // The corpus .docx with tracked changes, saved as .doc by LibreOffice:
    // the same extract (deleted text left out, insertions kept).
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let answers = |p: &str| {
        let mut json = extract_json(&root.join(p));
        // What a box was made of differs (a content control becomes a glyph).
        for answer in json["answers"].as_object_mut().unwrap().values_mut() {
            for option in answer["options"].as_object_mut().into_iter().flatten() {
                option.1.as_object_mut().unwrap().remove("evidence");
            }
        }
        json["answers"].clone()
    };
    let from_doc = answers("tests/data/tracked_changes.doc");
    assert_eq!(
        from_doc,
        answers("corpus/docx/10_bolivia_tracked_changes.docx")
    );
    assert!(!from_doc.to_string().contains("This sentence was deleted"));
}

#[test]
fn legacy_doc_refusals_are_clear() {
    let Some(root) = corpora() else { return };
    let kind = |f: &str| {
        read_path(&root.join(f), &Limits::default())
            .err()
            .map(|e| e.kind.code())
    };
    assert_eq!(
        kind("poi/test-data/document/password_tika_binaryrc4.doc"),
        Some("encrypted")
    );
    // A .doc holding something else is read by the right reader or refused.
    let every_doc: Vec<PathBuf> = files_with_extensions(&root, &["doc"]);
    let read = every_doc
        .iter()
        .filter(|p| read_path(p, &Limits::default()).is_ok())
        .count();
    eprintln!("{read} of {} .doc files read", every_doc.len());
    assert!(
        read * 10 >= every_doc.len() * 7,
        "fewer than 70% of the .doc files read"
    );
}
