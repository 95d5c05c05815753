//! PDFs nobody on this project wrote: `../shared/corpora` (test suites of
//! pdf.js, pypdf, qpdf, py-pdf sample files, Aspose).
//!
//! - Check box and radio widgets: per page, the states `inspect` reports agree
//!   with pypdf's reading (`tests/data/pdf_checkboxes.json`, made once by
//!   `scripts/expect_pdf_checkboxes.py`) on at least 99% of the widgets.
//! - Every PDF there: read or refused with a clear kind, never a panic, and
//!   none takes more than 5 s (a hang guard, not a speed target: speed is
//!   measured by scripts/bench_pdf.sh).
//! - Named cases: a check box whose "on" state is called /No, a URL wrapped
//!   over lines with its link split into three rectangles, encryption with an
//!   empty user password, files that need a password, leading junk, a CJK
//!   font without a ToUnicode map.

mod common;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Longer than any real file takes to read, even in a debug build on a slow
/// machine: only a reader stuck in a loop takes this long.
const HANG: Duration = Duration::from_secs(120);

use common::{corpora, corpora_text, extract_json, files_with_extensions};
use msq::model::MarkSource;
use msq::readers::{read_path, Limits};
use serde_json::Value;

#[test]
fn widget_states_agree_with_pypdf() {
    let Some(root) = corpora() else { return };
    let expected: Value = serde_json::from_str(include_str!("data/pdf_checkboxes.json")).unwrap();
    let (mut total, mut agree) = (0usize, 0usize);
    let mut differences = Vec::new();
    for (file, pages) in expected.as_object().unwrap() {
        let doc = read_path(&root.join(file), &Limits::default()).map(|(d, _)| d);
        for page in pages.as_array().unwrap() {
            let number = page["page"].as_u64().unwrap() as u32;
            let want: Vec<bool> = page["checked"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_bool().unwrap())
                .collect();
            total += want.len();
            let have: Vec<bool> = match &doc {
                Ok(d) => d
                    .marks
                    .iter()
                    .filter(|m| m.source == MarkSource::FormField && m.page == Some(number))
                    .map(|m| m.checked.unwrap())
                    .collect(),
                Err(_) => Vec::new(),
            };
            // Agreement per page: how many on and off widgets both readers see.
            let count = |v: &[bool], s: bool| v.iter().filter(|&&x| x == s).count();
            let matched = count(&want, true).min(count(&have, true))
                + count(&want, false).min(count(&have, false));
            agree += matched;
            if matched != want.len() || have.len() != want.len() {
                differences.push(format!(
                    "{file} page {number}: pypdf {want:?}, msq {have:?}"
                ));
            }
        }
    }
    let rate = agree as f64 / total as f64;
    eprintln!("{agree} of {total} widgets agree ({:.2}%)", 100.0 * rate);
    assert!(total > 400, "only {total} widgets in the expectations");
    assert!(
        rate >= 0.99,
        "agreement {:.2}% below 99%:\n{}",
        100.0 * rate,
        differences.join("\n")
    );
}

#[test]
fn every_pdf_is_read_or_refused_without_a_panic_or_a_hang() {
    let Some(root) = corpora() else { return };
    let files = files_with_extensions(&root, &["pdf"]);
    assert!(files.len() > 850, "only {} PDFs found", files.len());
    let mut by_kind = BTreeMap::<&str, usize>::new();
    let mut panics = Vec::new();
    let mut slow = Vec::new();
    for f in &files {
        let start = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| read_path(f, &Limits::default()))) {
            Ok(Ok(_)) => *by_kind.entry("read").or_default() += 1,
            Ok(Err(e)) => {
                assert!(
                    e.to_string().contains(&*f.to_string_lossy()),
                    "error does not name the file: {e}"
                );
                *by_kind.entry(e.kind.code()).or_default() += 1;
            }
            Err(_) => panics.push(f.display().to_string()),
        }
        // A hang guard, not a speed target (benchmarks show speed): the
        // slowest of these files takes 0.3 s in a release build and about
        // 20 times that in the debug build tests run in, on a slow machine.
        if start.elapsed() > HANG {
            slow.push(format!("{} ({:?})", f.display(), start.elapsed()));
        }
    }
    eprintln!("{} PDFs: {by_kind:?}", files.len());
    assert!(panics.is_empty(), "panicked on: {panics:?}");
    assert!(slow.is_empty(), "over {HANG:?}: {slow:?}");
    assert!(
        by_kind["read"] * 100 >= files.len() * 90,
        "fewer than 90% read: {by_kind:?}"
    );
}

#[test]
fn incremental_update_last_value_wins() {
    // The fillable form, with an update appended that unticks the consent box.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/incremental_update.pdf");
    let original =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/pdf/15_norway_fillable_form.pdf");
    let consent = |p: &Path| {
        let (doc, _) = read_path(p, &Limits::default()).unwrap();
        let m = doc
            .marks
            .iter()
            .find(|m| m.evidence.contains("Check1 "))
            .expect("consent box");
        (m.checked, m.evidence.clone())
    };
    assert_eq!(consent(&original).0, Some(true));
    let (state, evidence) = consent(&path);
    assert_eq!(state, Some(false), "{evidence}");
}

/// The extract of a file, without its `source` (name, hash).
fn answers_of(path: &Path) -> Value {
    let mut json = extract_json(path);
    json.as_object_mut().unwrap().remove("source");
    json
}

#[test]
fn corpus_pdfs_drawn_again_by_another_producer_give_the_same_answers() {
    // pdftocairo re-encodes the fonts, rewrites every path and drops the
    // annotations; these carry no links or widgets, so nothing is lost.
    // Ghostscript's pdfwrite writes the ligatures' ToUnicode entries mangled
    // ("speci昀椀c"), which are mended.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (producer, name) in [
        ("cairo", "01_japan_content_controls"),
        ("cairo", "05_uk_segoe_symbols"),
        ("gs_pdfwrite", "01_japan_content_controls"),
    ] {
        let redrawn = answers_of(&root.join(format!("tests/data/{producer}_{name}.pdf")));
        let original = answers_of(&root.join(format!("corpus/pdf/{name}.pdf")));
        assert!(
            redrawn == original,
            "{producer} {name}: the redrawn PDF reads differently"
        );
    }
}

/// Consent and every check-box option's state, by question and option.
fn box_states(extract: &Value) -> BTreeMap<String, Value> {
    let mut states = BTreeMap::new();
    states.insert("consent".to_string(), extract["consent_to_publish"].clone());
    for (question, answer) in extract["answers"].as_object().unwrap() {
        for (option, state) in answer["options"].as_object().into_iter().flatten() {
            states.insert(format!("{question}.{option}"), state["checked"].clone());
        }
    }
    states
}

#[test]
fn printed_boxes_wrapped_away_from_their_labels_keep_their_states() {
    // LibreOffice PDFs of two corpus .docx: boxes after their labels, a box
    // wrapped onto the next line, a label wrapped before its box, the consent
    // box after a statement that wraps, Wingdings 2 boxes without their font,
    // a box ending a line of a tagged export.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (printed, name) in [
        ("pdf_04_turkiye_wingdings2", "04_turkiye_wingdings2"),
        ("pdf_11_new_zealand_box_after", "11_new_zealand_box_after"),
        ("pdf_tagged_05_uk_segoe_symbols", "05_uk_segoe_symbols"),
    ] {
        let printed = box_states(&answers_of(&root.join(format!("tests/data/{printed}.pdf"))));
        let word = box_states(&answers_of(&root.join(format!("corpus/docx/{name}.docx"))));
        assert!(word.len() > 40, "{name}: {word:?}");
        let differing: Vec<_> = word
            .iter()
            .filter(|(k, v)| printed.get(*k) != Some(v))
            .collect();
        assert!(differing.is_empty(), "{name}: {differing:?}");
    }
}

#[test]
fn web_forms_printed_by_weasyprint_keep_their_states() {
    // The questionnaire as an HTML form printed by WeasyPrint: radio inputs
    // drawn as circles; check-box inputs written as AcroForm fields. The
    // states must be those of the same answers from Chrome and from Word.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (printed, reference) in [
        (
            "weasyprint_radio_14_chile_browser_print",
            "corpus/pdf/14_chile_browser_print.pdf",
        ),
        (
            "weasyprint_form_fields_08_korea_symbol_runs",
            "corpus/docx/08_korea_symbol_runs.docx",
        ),
    ] {
        let printed = answers_of(&root.join(format!("tests/data/{printed}.pdf")));
        let expected = answers_of(&root.join(reference));
        let states = box_states(&printed);
        assert!(states.len() > 40, "{reference}: {states:?}");
        assert_eq!(states, box_states(&expected), "{reference}");
        let entries = |extract: &Value| extract["answers"]["q1"]["entries"].clone();
        assert_eq!(entries(&printed), entries(&expected), "{reference}");
    }
}

#[test]
fn pages_turned_into_their_content_read_as_upright_ones() {
    // Corpus PDFs whose pages were rotated into the content (text running up
    // or down in user space, no /Rotate), widgets and links turned with them:
    // the same answers as the upright originals.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (turned, upright) in [
        (
            "tests/data/rotated_90_15_norway_fillable_form.pdf",
            "corpus/pdf/15_norway_fillable_form.pdf",
        ),
        (
            "tests/data/rotated_270_13_ghana_headers_long_urls.pdf",
            "corpus/pdf/13_ghana_headers_long_urls.pdf",
        ),
    ] {
        let (a, b) = (
            answers_of(&root.join(turned)),
            answers_of(&root.join(upright)),
        );
        assert!(a == b, "{turned} reads differently from {upright}");
        // Boxes are reported in user space, on the (landscape) page, not in
        // the turned frame the layout works in.
        let (doc, _) = read_path(&root.join(turned), &Limits::default()).unwrap();
        let on_page = |r: &[f32; 4]| {
            let (cx, cy) = ((r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0);
            (0.0..842.0).contains(&cx) && (0.0..612.0).contains(&cy)
        };
        assert!(doc.lines.iter().filter_map(|l| l.bbox).all(|r| on_page(&r)));
        assert!(doc.marks.iter().filter_map(|m| m.bbox).all(|r| on_page(&r)));
        assert!(doc.links.iter().filter_map(|l| l.bbox).all(|r| on_page(&r)));
        assert!(
            a["warnings"].as_array().unwrap().len() < 5,
            "{turned}: {}",
            a["warnings"]
        );
    }
}

#[test]
fn filled_and_stroked_text_once_and_framed_words_are_not_boxes() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/bold_and_frames.pdf");
    let (doc, _) = read_path(&path, &Limits::default()).unwrap();
    let texts: Vec<&str> = doc.lines.iter().map(|l| l.text.trim()).collect();
    assert_eq!(
        texts,
        [
            "Strategy and Implementation",
            "Reviewed by the minister",
            "Yes\t No"
        ]
    );
    let states: Vec<Option<bool>> = doc.marks.iter().map(|m| m.checked).collect();
    assert_eq!(states, [Some(false), Some(true)], "{:?}", doc.marks);
}

#[test]
fn numbered_table_rows_are_kept_and_footnotes_dropped() {
    // Body-size text under a short rule near the page's foot: a row of a
    // table numbered "23" (left of the rule above it) stays; a footnote
    // numbered "1" starting where its separator starts goes.
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/numbered_rows_and_footnote.pdf");
    let (doc, _) = read_path(&path, &Limits::default()).unwrap();
    let text: String = doc.lines.iter().map(|l| format!("{}\n", l.text)).collect();
    assert!(
        text.contains("23\tDoes the portal offer services"),
        "{text}"
    );
    assert!(text.contains("It does, in two languages."), "{text}");
    assert!(!text.contains("Portals of local governments"), "{text}");
}

#[test]
fn boxes_drawn_every_way_and_bullets_that_are_not_boxes() {
    // Each line's label says what it must read as: "<outline> <tick>" for a
    // box (empty, crossed, ticked with a path, filled inside), "bullet …"
    // for a shape that is no box.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/drawn_box_styles.pdf");
    let (doc, _) = read_path(&path, &Limits::default()).unwrap();
    assert_eq!(doc.lines.len(), 19, "{:?}", doc.lines);
    for (i, line) in doc.lines.iter().enumerate() {
        let label = line.text.trim();
        // The sides of a box drawn as four strokes are no table border
        // between the box and its label.
        assert!(!line.text.contains('\t'), "{:?}", line.text);
        let marks: Vec<_> = doc.marks.iter().filter(|m| m.line == i).collect();
        if label.starts_with("bullet") {
            assert!(marks.is_empty(), "{label}: {marks:?}");
            continue;
        }
        assert_eq!(marks.len(), 1, "{label}: {marks:?}");
        let mark = marks[0];
        assert_eq!(mark.source, MarkSource::Vector, "{label}");
        assert_eq!(
            mark.checked,
            Some(!label.ends_with("empty")),
            "{label}: {}",
            mark.evidence
        );
        let outline = if label.starts_with("circle") {
            "vector circle"
        } else {
            "vector box"
        };
        assert!(
            mark.evidence.starts_with(outline),
            "{label}: {}",
            mark.evidence
        );
    }
}

#[test]
fn answers_written_with_text_notes_and_an_x_in_a_field_over_a_box() {
    // A printed questionnaire filled with a PDF tool: q10 ticked by an "X"
    // note on its box, q12 by an "X" typed into a text field laid over its
    // box, q14 answered by a note. The notes have no appearance to draw.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/text_notes.pdf");
    let answers = extract_json(&path)["answers"].clone();
    assert_eq!(answers["q10"]["value"], "yes", "{}", answers["q10"]);
    assert_eq!(answers["q12"]["value"], "no", "{}", answers["q12"]);
    assert_eq!(
        answers["q14"]["text"], "We answer citizens on Facebook every day.",
        "{}",
        answers["q14"]
    );
}

#[test]
fn box_glyphs_ticked_over_with_a_pdf_tool() {
    // "☐" glyphs printed from Word, ticked afterwards: q10 "Yes" by a drawn
    // tick path, q12 "No" by an "X" note, q13 "Yes" by a "✔" glyph stamped
    // on the box. The other boxes stay empty.
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ticks_over_box_glyphs.pdf");
    let (doc, _) = read_path(&path, &Limits::default()).unwrap();
    let states: Vec<(usize, Option<bool>)> =
        doc.marks.iter().map(|m| (m.line, m.checked)).collect();
    assert_eq!(
        states,
        [
            (2, Some(true)),
            (2, Some(false)),
            (5, Some(false)),
            (5, Some(true)),
            (7, Some(true)),
            (7, Some(false)),
        ],
        "{:?}",
        doc.marks
    );
    let answers = extract_json(&path)["answers"].clone();
    assert_eq!(answers["q10"]["value"], "yes", "{}", answers["q10"]);
    assert_eq!(answers["q12"]["value"], "no", "{}", answers["q12"]);
    // The stamped tick is part of the mark, not text beside it.
    assert!(
        doc.lines.iter().all(|l| !l.text.contains('✔')),
        "{:?}",
        doc.lines
    );
}

#[test]
fn named_cases() {
    let Some(root) = corpora() else { return };
    let read = |f: &str| read_path(&root.join(f), &Limits::default());
    let code = |f: &str| read(f).err().map(|e| e.kind.code());

    // A FreeText note with no appearance stream: its /Contents is the text.
    let d = read("pdf.js/test/pdfs/freetext_no_appearance.pdf")
        .unwrap()
        .0;
    assert!(
        d.lines.iter().any(|l| l.text.contains("الإنترنت")),
        "{:?}",
        d.lines
    );

    // A check box whose "on" appearance is named /No is on when /AS is /No.
    let d = read("pdf.js/test/pdfs/issue15096.pdf").unwrap().0;
    let states: Vec<Option<bool>> = d.marks.iter().map(|m| m.checked).collect();
    assert_eq!(
        states.iter().filter(|s| **s == Some(true)).count(),
        2,
        "{states:?}"
    );

    // The qpdf manual: a URL wrapped over two lines, its link in three areas.
    let d = read("qpdf/qpdf/qtest/qpdf/deterministic-id-in.pdf")
        .unwrap()
        .0;
    let artistic: Vec<&str> = d
        .links
        .iter()
        .filter(|l| l.url == "http://www.opensource.org/licenses/artistic-license-2.0.php")
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        artistic,
        [
            "Version 2.0 of the Artistic License ",
            "http://www.opensource.org/licenses/",
            "artistic-license-2.0.php"
        ]
    );
    assert!(d.links.iter().any(
        |l| l.url == "http://qpdf.sourceforge.net/" && l.text == "http://qpdf.sourceforge.net/"
    ));

    // Encrypted with an empty user password: read; with a real one: refused.
    for f in [
        "pypdf/resources/encryption/r3-empty-password.pdf",
        "pypdf/resources/encryption/r5-empty-password.pdf",
        "pypdf/resources/encryption/r6-empty-password.pdf",
    ] {
        assert!(read(f).is_ok(), "{f}");
    }
    assert_eq!(
        code("pypdf/resources/encryption/r4-aes-user-password.pdf"),
        Some("encrypted")
    );
    assert_eq!(
        code("pypdf/resources/encryption/r2-user-password.pdf"),
        Some("encrypted")
    );
    // Its owner password is empty, which opens it (pypdf agrees).
    assert!(read("pypdf/resources/encryption/r6-user-password.pdf").is_ok());

    // Junk before the header, and files that are not PDFs at all.
    assert!(read("qpdf/qpdf/qtest/qpdf/leading-junk.pdf").is_ok());
    assert!(code("qpdf/qpdf/qtest/qpdf/bad1.pdf").is_some());
}

/// Answers without their evidence and page numbers, runs of white space as
/// one space: what a response says, whichever way it was laid out.
fn said(extract: &Value) -> Value {
    fn strip(v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(s.split_whitespace().collect::<Vec<_>>().join(" ")),
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "evidence" | "page"))
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(&extract["answers"])
}

#[test]
fn a_questionnaire_laid_out_in_tables_reads_as_its_text() {
    // The Estonia text response as a Word file of tables (a long prompt
    // wrapping in a narrow cell, options as box | label rows) and its PDF,
    // where cell lines are spaced closer than the body's wrapped lines.
    assert_both_read_as_the_text("table_layout");
}

#[test]
fn an_x_typed_in_the_cell_after_each_label_reads_as_its_text() {
    // Another producer's layout: each option a borderless table row, label
    // then an "X" typed in the next cell (in the PDF the X sits close to a
    // label that nearly fills its cell); q10 and q12 reworded around their
    // printed numbers.
    assert_both_read_as_the_text("typed_x_cells");
}

#[test]
fn a_yes_no_column_pair_per_option_reads_as_its_text() {
    // Another producer's layout: each checklist a table whose header row
    // names a "Yes" and a "No" column (the second checklist "No | Yes"), a
    // box under each in every option's row. In the PDF, labels wrapped in
    // their cells are read with the row's boxes after their first line.
    assert_both_read_as_the_text("yes_no_columns");
}

#[test]
fn radio_circles_typed_for_boxes_read_as_their_text() {
    // Another producer's boxes: "◉ Yes   ○ No" side by side, checklists one
    // option to a paragraph led by Wingdings' filled or empty circle; in the
    // PDF (made without the Wingdings font) those show as "l" and "¡". A
    // "●" bulleted list stays text.
    assert_both_read_as_the_text("radio_glyphs");
}

#[test]
fn answers_typed_beside_labels_read_as_their_text() {
    // No boxes at all: checklists as "Technology | Yes/No" tables with the
    // answer typed beside each option (in the PDF, long labels wrap in
    // their cells and the answer is read at the end of their first line or
    // after their last), yes/no questions as their options one to a line
    // with an "X" after the chosen one.
    assert_both_read_as_the_text("typed_answers");
}

/// Asserts that the fixture `tests/data/<name>.docx` and its PDF both read
/// as the Estonia text response they were laid out from.
fn assert_both_read_as_the_text(name: &str) {
    for laid_out in [
        format!("tests/data/{name}.docx"),
        format!("tests/data/{name}.pdf"),
    ] {
        let differing = read_differently_from_the_text(&laid_out);
        assert!(differing.is_empty(), "{laid_out}: {differing:?}");
    }
}

/// The questions whose answers in `laid_out` differ from those of the
/// Estonia text response it was laid out from.
fn read_differently_from_the_text(laid_out: &str) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = said(&answers_of(
        &root.join("corpus/text/t01_estonia_brackets_crlf.txt"),
    ));
    let answers = said(&answers_of(&root.join(laid_out)));
    text.as_object()
        .unwrap()
        .iter()
        .filter(|(id, a)| answers.get(id.as_str()) != Some(a))
        .map(|(id, _)| id.clone())
        .collect()
}

#[test]
fn a_question_beside_its_answer_in_a_table_reads_as_its_text() {
    // Each question a table row: number and prompt on the left, the whole
    // answer on the right (paragraphs, option lists, lettered parts, contact
    // lines). The PDF's rows are read cell by cell, also where the question's
    // cell runs on below a shorter answer; in its narrow answer cells, option
    // labels that begin alike wrap (one over a page break), and a label
    // wraps where its first line is words of the form's introduction.
    assert_both_read_as_the_text("question_beside_answer");
}

#[test]
fn cjk_fonts_without_a_to_unicode_map_read_through_their_character_collection() {
    // dvipdfmx writes an embedded Adobe-Japan1 font with Identity-H and no
    // ToUnicode map: its text comes from the collection's UCS-2 map.
    let Some(text) = corpora_text("pdf.js/test/pdfs/issue16538.pdf") else {
        return;
    };
    assert!(text.contains("マーケットモデルは"), "{text}");
    assert!(text.contains("リスク中立確率"), "{text}");
}
