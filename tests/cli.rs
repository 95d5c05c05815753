//! The `msq` command as users run it: bad input gives one line on standard
//! error that names the file and the problem, and exit code 1; never a panic.
//! Hostile .docx files are built here with the zip crate.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::temp;
use serde_json::Value;

fn msq() -> Command {
    Command::new(env!("CARGO_BIN_EXE_msq"))
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Outcome {
    let out = msq().args(args).output().expect("msq runs");
    Outcome {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn write_zip(path: &Path, parts: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
}

fn document(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .into_bytes()
}

/// Runs `extract` on a bad file and checks the one-line error.
fn refused(path: &Path, kind: &str) {
    let out = run(&["extract", path.to_str().unwrap()]);
    assert_eq!(
        out.code,
        1,
        "{}: exit code; stderr: {}",
        path.display(),
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let line = out.stderr.trim_end();
    assert_eq!(line.lines().count(), 1, "not one line: {line}");
    assert!(
        line.contains(&*path.to_string_lossy()),
        "does not name the file: {line}"
    );
    assert!(
        line.ends_with(&format!("[{kind}]")),
        "expected kind {kind}: {line}"
    );
    assert!(!line.contains("panicked"), "{line}");
}

#[test]
fn missing_file_directory_and_empty_file() {
    let dir = temp("basic");
    refused(&dir.join("nope.docx"), "not_found");
    refused(&dir.0, "is_directory");
    let empty = dir.join("empty.docx");
    std::fs::write(&empty, b"").unwrap();
    refused(&empty, "empty_file");
}

#[test]
fn docx_that_is_not_a_zip_or_is_encrypted() {
    let dir = temp("notzip");
    let junk = dir.join("junk.docx");
    std::fs::write(
        &junk,
        [0x89u8, 0x01, 0x02, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x10],
    )
    .unwrap();
    refused(&junk, "unsupported_format");
    let truncated = dir.join("truncated.docx");
    std::fs::write(&truncated, b"PK\x03\x04\x14\x00\x00\x00\x08\x00").unwrap();
    refused(&truncated, "corrupt");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    let encrypted = root.join("poi/test-data/document/bug53475-password-is-pass.docx");
    if encrypted.exists() {
        refused(&encrypted, "encrypted");
    }
}

#[test]
fn zip_without_main_part_malformed_xml_and_deep_nesting() {
    let dir = temp("structure");
    let no_main = dir.join("no_main.docx");
    write_zip(
        &no_main,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("docProps/app.xml", b"<x/>"),
        ],
    );
    refused(&no_main, "corrupt");

    let not_word = dir.join("photos.docx");
    write_zip(&not_word, &[("a.jpg", b"\xff\xd8\xff")]);
    refused(&not_word, "unsupported_format");

    let malformed = dir.join("malformed.docx");
    write_zip(
        &malformed,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            (
                "word/document.xml",
                b"<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>hi</w:t></w:r></w:p></w:body",
            ),
        ],
    );
    // Unclosed elements at the end of the part: the text read so far is kept.
    let out = run(&["extract", malformed.to_str().unwrap()]);
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);

    let broken = dir.join("broken_tag.docx");
    write_zip(
        &broken,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", b"<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p><!-- cut off here"),
        ],
    );
    refused(&broken, "corrupt");

    let deep = dir.join("deep.docx");
    let nested = format!(
        "{}{}",
        "<w:tbl><w:tr><w:tc>".repeat(400),
        "</w:tc></w:tr></w:tbl>".repeat(400)
    );
    write_zip(
        &deep,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", &document(&nested)),
        ],
    );
    refused(&deep, "limit_exceeded");
}

#[test]
fn entity_expansion_is_not_performed() {
    let dir = temp("entities");
    let laughs = dir.join("laughs.docx");
    let xml = br#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY ext SYSTEM "file:///etc/passwd">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&c;&ext;</w:t></w:r></w:p></w:body></w:document>"#;
    write_zip(
        &laughs,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", xml),
        ],
    );
    let out = run(&["inspect", laughs.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("aaaaaaaaaa"), "an entity was expanded");
    assert!(
        !out.stdout.contains("root:"),
        "an external entity was loaded"
    );
}

#[test]
fn zip_bomb_is_refused_quickly() {
    let bomb =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile/zip_bomb_1gib.docx");
    let start = Instant::now();
    // The default part limit (256 MiB) stops inflating long before 1 GiB.
    refused(&bomb, "limit_exceeded");
    eprintln!("1 GiB zip bomb refused in {:?}", start.elapsed());
}

#[test]
fn a_word_file_that_is_not_the_questionnaire_gives_valid_json_with_warnings() {
    let dir = temp("other");
    let other = dir.join("letter.docx");
    write_zip(
        &other,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", &document("<w:p><w:r><w:t>Dear colleague, please find the report attached.</w:t></w:r></w:p>")),
        ],
    );
    let out = run(&["extract", other.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let not_found = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "question_not_found")
        .count();
    assert_eq!(not_found, 39);
    assert_eq!(v["answers"].as_object().unwrap().len(), 39);
    assert_eq!(
        v["answers"]["q8"]["options"]["aligned_sdgs"]["checked"],
        Value::Null
    );
}

#[test]
fn help_explains_each_command_and_usage_errors_exit_2() {
    let out = run(&["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("extract") && out.stdout.contains("inspect"));
    let out = run(&["extract", "--help"]);
    assert!(out.stdout.contains("definition"));
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["extract"]).code, 2);
}

#[test]
fn extract_writes_to_a_file_and_inspect_prints_the_model() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/docx/01_japan_content_controls.docx");
    let dir = temp("out");
    let target = dir.join("jpn.json");
    let out = run(&[
        "extract",
        corpus.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(v["country"]["iso3"], "JPN");
    let out = run(&["inspect", corpus.to_str().unwrap()]);
    let model: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(model["source"]["format"], "docx");
    assert!(model["marks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["source"] == "content_control"));
    assert!(model["lines"].as_array().unwrap().len() > 100);
}

#[test]
fn inspect_on_a_pdf_gives_pages_and_boxes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for file in [
        "corpus/pdf/01_japan_content_controls.pdf",
        "corpus/pdf/02_kenya_legacy_fields.pdf",
        "corpus/pdf/14_chile_browser_print.pdf",
        "corpus/pdf/15_norway_fillable_form.pdf",
    ] {
        let out = run(&["inspect", root.join(file).to_str().unwrap()]);
        let model: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(model["source"]["format"], "pdf");
        for kind in ["lines", "marks", "links"] {
            for item in model[kind].as_array().unwrap() {
                assert!(
                    item["page"].as_u64().is_some_and(|p| p >= 1),
                    "{file}: {kind} without a page: {item}"
                );
                let bbox = item["bbox"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{file}: {kind} without a bbox: {item}"));
                assert_eq!(bbox.len(), 4);
            }
        }
        assert!(
            !model["marks"].as_array().unwrap().is_empty(),
            "{file}: no marks"
        );
    }
}

#[test]
fn entries_one_per_line_in_one_paragraph_stay_apart() {
    // Lines (w:br) that each end with their URL are entries of their own,
    // though in one paragraph (a typed list, values of a flattened form); a
    // name wrapped before its URL stays one entry, and so do words after the
    // last URL.
    let dir = temp("entries");
    let path = dir.join("entries.docx");
    let run = |t: &str| format!("<w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r>");
    let br = "<w:r><w:br/></w:r>";
    let body = format!(
        "<w:p>{}</w:p><w:p>{}{br}{}{br}{}{br}{}{br}{}</w:p><w:p>{}</w:p>",
        run("3. Please provide name(s) and URL(s) of the government agency/department/ministry at the national level in charge of e-government."),
        run("Social Security Agency - https://ssa.example.gov"),
        run("Ministry of Planning and"),
        run("Development - https://planning.example.gov"),
        run("https://planning.example.gov/en"),
        run("(in charge since 2019)"),
        run("4. Does your country have a Chief Information Officer (CIO) to manage national cross-agency e-government programs/strategies?"),
    );
    write_zip(
        &path,
        &[
            ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
            ("_rels/.rels", ROOT_RELS.as_bytes()),
            ("word/document.xml", &document(&body)),
        ],
    );
    let json = common::extract_json(&path);
    assert_eq!(
        json["answers"]["q3"]["entries"],
        serde_json::json!([
            { "name": "Social Security Agency", "urls": ["https://ssa.example.gov/"] },
            {
                "name": "Ministry of Planning and Development (in charge since 2019)",
                "urls": ["https://planning.example.gov/", "https://planning.example.gov/en"]
            }
        ])
    );
}

#[test]
fn entries_written_as_labelled_lines_or_numbered_keep_only_their_names() {
    // "Name:" then "URL:" lines are one entry; a list number, and the
    // brackets that held a URL, are not part of the name.
    let json = common::extract_text(
        "entry-labels",
        "I. Institutional Framework\n\
         1. What is the official e-government portal at the national level? If more than one, please list all.\n\
         Name: State portal\n\
         URL: https://www.eesti.ee\n\
         2) Business portal (https://business.eesti.ee)\n\
         Website: https://www.riik.ee\n\
         2. Please also provide URLs for below specific portals, if exists:\n",
    );
    assert_eq!(
        json["answers"]["q1"]["entries"],
        serde_json::json!([
            { "name": "State portal", "urls": ["https://www.eesti.ee/"] },
            {
                "name": "Business portal",
                "urls": ["https://business.eesti.ee/", "https://www.riik.ee/"]
            }
        ])
    );
}

#[test]
fn contact_labels_joined_or_abbreviated_and_an_unlabelled_address() {
    let q4 = "4. Does your country have a Chief Information Officer (CIO) to manage national cross-agency e-government programs/strategies? If yes, please provide the name and contact information of the CIO.";
    let q5 = "5. Please provide name(s) and URL(s) of the government agency/department/ministry at the national level in charge of:";
    let contact_of = |block: &str, name: &str| {
        let text = format!("I. Institutional Framework\n{q4}\n{block}\n{q5}\n");
        common::extract_text(name, &text)["answers"]["q4"]["contact"].clone()
    };
    assert_eq!(
        contact_of(
            "Full name: Mei Tanaka\nPosition/Title: CDO\nMinistry / Agency: Digital Agency\nTel. +81 3 1234\nMobile: +81 90 1234",
            "contact-labels"
        ),
        serde_json::json!({
            "name": "Mei Tanaka", "title": "CDO", "organization": "Digital Agency",
            "email": null, "phone": "+81 3 1234"
        })
    );
    assert_eq!(
        contact_of(
            "Mei Tanaka, CDO, mei.tanaka@digital.go.example",
            "contact-unlabelled"
        )["email"],
        "mei.tanaka@digital.go.example"
    );
}

/// `msq extract` of a response in tests/data with a definition from
/// tests/data/definitions, as JSON; the command must succeed.
fn extract_with_definition(response: &str, definition: &str) -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let out = run(&[
        "extract",
        root.join(response).to_str().unwrap(),
        "--definition",
        root.join("definitions").join(definition).to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn another_language_is_another_definition_file() {
    // A Spanish definition (tests/data/definitions) and a response in
    // Spanish: prompts, option labels, contact labels and the date's month
    // come from the definition and the text, not from code.
    let v = extract_with_definition("respuesta_es.txt", "msq-mini-es.json");
    assert_eq!(v["survey"], "msq-mini-es");
    assert_eq!(v["country"]["iso3"], "URY");
    assert_eq!(v["date"], "2019-05-15");
    assert_eq!(v["consent_to_publish"], true);
    let answers = &v["answers"];
    assert_eq!(
        answers["q1"]["entries"][0]["urls"][0],
        "https://www.gub.uy/"
    );
    let contact = &answers["q4"]["contact"];
    assert_eq!(contact["name"], "Ana Pérez");
    assert_eq!(contact["organization"], "AGESIC");
    assert_eq!(contact["email"], "ana.perez@agesic.gub.uy");
    assert_eq!(answers["q10"]["value"], "yes");
    let states: Vec<&Value> = ["ai", "blockchain", "big_data"]
        .iter()
        .map(|o| &answers["q15"]["options"][o]["checked"])
        .collect();
    assert_eq!(states, [false, true, true]);
    assert_eq!(
        answers["q15"]["text"],
        "La estrategia de datos se publicó en 2019."
    );
    assert_eq!(
        v["warnings"].as_array().unwrap().len(),
        0,
        "{}",
        v["warnings"]
    );
}

#[test]
fn a_language_written_without_spaces_reads_the_same_way() {
    // Chinese: full-width colons after the labels, the country named in
    // Chinese, an answer counted by character as Word counts it.
    let v = extract_with_definition("response_zh.txt", "msq-mini-zh.json");
    assert_eq!(v["country"]["iso3"], "CHN");
    assert_eq!(v["date"], "2019-05-15");
    let answers = &v["answers"];
    assert_eq!(answers["q1"]["entries"][0]["name"], "中国政府网");
    assert_eq!(answers["q4"]["contact"]["name"], "王芳");
    assert_eq!(answers["q4"]["contact"]["organization"], "国家数据局");
    assert_eq!(answers["q10"]["value"], "yes");
    assert_eq!(answers["q15"]["options"]["blockchain"]["checked"], true);
    assert_eq!(answers["q15"]["text"], "数据战略已于2019年发布。");
    assert_eq!(answers["q15"]["word_count"], 10);
    assert_eq!(
        v["warnings"].as_array().unwrap().len(),
        0,
        "{}",
        v["warnings"]
    );
}
