//! Every documented limit, hit on purpose: each gives a `limit_exceeded` error
//! for that file, quickly and without the memory the input asks for.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use msq::readers::{read_path, Limits};

fn corpus(path: &str) -> PathBuf {
    common::root().join(path)
}

fn refused(path: &str, limits: &Limits) -> String {
    let err = read_path(&corpus(path), limits).expect_err("the limit should refuse this file");
    assert_eq!(err.kind.code(), "limit_exceeded", "{err}");
    err.to_string()
}

#[test]
fn input_size() {
    let limits = Limits {
        max_input_bytes: 1000,
        ..Limits::default()
    };
    assert!(refused("corpus/docx/01_japan_content_controls.docx", &limits).contains("input limit"));
}

#[test]
fn zip_entries_part_size_and_total() {
    let entries = Limits {
        max_zip_entries: 3,
        ..Limits::default()
    };
    assert!(refused("corpus/docx/01_japan_content_controls.docx", &entries).contains("entries"));
    let part = Limits {
        max_part_bytes: 10_000,
        ..Limits::default()
    };
    assert!(
        refused("corpus/docx/01_japan_content_controls.docx", &part).contains("inflates beyond")
    );
    let total = Limits {
        max_unzipped_bytes: 20_000,
        ..Limits::default()
    };
    assert!(
        refused("corpus/docx/01_japan_content_controls.docx", &total).contains("inflates beyond")
    );
}

#[test]
fn xml_depth() {
    let limits = Limits {
        max_xml_depth: 5,
        ..Limits::default()
    };
    assert!(
        refused("corpus/docx/01_japan_content_controls.docx", &limits).contains("nests deeper")
    );
}

#[test]
fn inflation_ratio_zip_and_pdf_bombs() {
    for bomb in [
        "tests/data/hostile/zip_bomb_1gib.docx",
        "tests/data/hostile/flate_bomb_1gib.pdf",
    ] {
        let start = Instant::now();
        let message = refused(bomb, &Limits::default());
        assert!(message.contains("times its compressed size"), "{message}");
        // Stopped after a few megabytes, not after inflating a gigabyte.
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{bomb}: {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn pdf_pages_and_time() {
    let pages = Limits {
        max_pages: 2,
        ..Limits::default()
    };
    assert!(refused("corpus/pdf/01_japan_content_controls.pdf", &pages).contains("pages"));
    let time = Limits {
        max_time: Duration::ZERO,
        ..Limits::default()
    };
    assert!(refused("corpus/pdf/01_japan_content_controls.pdf", &time).contains("longer than"));
}

#[test]
fn self_referencing_xobject_ends() {
    // A Form XObject that draws itself: the interpreter's nesting limit ends
    // the recursion; the page's own text is still read.
    let start = Instant::now();
    let (doc, _) = read_path(
        &corpus("tests/data/hostile/self_referencing_xobject.pdf"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(doc.lines[0].text, "Self-referencing form");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn annotations_past_the_page_limit_are_left_out() {
    // A page listing one more checked box than the limit: the boxes up to
    // it are read, the last is left out rather than held with the others.
    let boxes = 10_001;
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [{}] >>",
            (0..boxes)
                .map(|i| format!("{} 0 R", 4 + i))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    for i in 0..boxes {
        let (x, y) = (10 + (i % 50) * 11, 10 + (i / 50) * 3);
        objects.push(format!(
            "<< /Type /Annot /Subtype /Widget /Rect [{x} {y} {} {}] /FT /Btn /AS /Yes >>",
            x + 8,
            y + 8
        ));
    }
    let doc = msq::readers::read_bytes("boxes.pdf", &common::pdf(&objects), &Limits::default())
        .expect("reads");
    assert_eq!(doc.marks.len(), 10_000);
    assert!(doc.marks.iter().all(|m| m.checked == Some(true)));
}
