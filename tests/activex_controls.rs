//! ActiveX check boxes in Word documents (Microsoft Forms 2.0 controls, from
//! Word's Legacy Tools): their state lives in the control's own storage, not
//! in the text.

mod common;

use std::io::{Cursor, Read, Write};

use common::{corpora, root};
use serde_json::Value;

fn inspect(path: &std::path::Path) -> Value {
    let doc = msq::readers::read_path(path, &msq::Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .0;
    serde_json::to_value(&doc).unwrap()
}

#[test]
fn activex_check_boxes_saved_by_word_give_state_and_caption() {
    let Some(corpora) = corpora() else { return };
    let doc = inspect(&corpora.join("aspose-words-net/Examples/Data/ActiveX controls.docx"));
    assert_three_boxes(&doc);
}

/// The same file saved again by LibreOffice, which writes the controls'
/// strings in UTF-16 and more of their properties.
#[test]
fn activex_check_boxes_saved_by_libreoffice_give_state_and_caption() {
    assert_three_boxes(&inspect(
        &root().join("tests/data/activex_libreoffice.docx"),
    ));
}

/// Three check boxes captioned First, Second and Third; the last two ticked.
fn assert_three_boxes(doc: &Value) {
    let marks: Vec<(Option<bool>, String)> = doc["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["checked"].as_bool(),
                m["evidence"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [
            (
                Some(false),
                "ActiveX check box CheckBox1 value \"0\"".to_string()
            ),
            (
                Some(true),
                "ActiveX check box CheckBox2 value \"1\"".to_string()
            ),
            (
                Some(true),
                "ActiveX check box CheckBox3 value \"1\"".to_string()
            ),
        ]
    );
    let lines: Vec<&str> = doc["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap().trim())
        .collect();
    assert_eq!(lines, ["First", "Second", "Third"]);
}

/// A Forms 2.0 `contents` record for a check box: display style "check
/// box", the value, and no caption (the label is the document's text).
fn check_box_record(checked: bool) -> Vec<u8> {
    let mut record = vec![0x00, 0x02, 20, 0x00];
    // Property mask: DisplayStyle (bit 6), Value (bit 22), the reserved bit 31.
    let mask: u64 = (1 << 6) | (1 << 22) | (1 << 31);
    record.extend(mask.to_le_bytes());
    record.extend([4, 0, 0, 0]); // DisplayStyle 4, padding
    record.extend(0x8000_0001u32.to_le_bytes()); // one byte, one per character
    record.extend([if checked { b'1' } else { b'0' }, 0, 0, 0]);
    record
}

/// The compound file Word stores a control in (`activeXN.bin`).
fn control_storage(checked: bool) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    file.create_stream("/contents")
        .unwrap()
        .write_all(&check_box_record(checked))
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

const CHECK_BOX_CLASS: &str = "{8BD21D40-EC42-11CE-9E0D-00AA006002F3}";

/// The Japan questionnaire with every content-control check box replaced by
/// an ActiveX check box of the same state, stored the two ways Word and
/// other producers write them: a binary storage, or a property bag.
fn as_activex(docx: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect();
    let text = |parts: &[(String, Vec<u8>)], name: &str| {
        String::from_utf8(parts.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
    };
    let mut document = text(&parts, "word/document.xml");
    let mut rels = text(&parts, "word/_rels/document.xml.rels");
    let mut added: Vec<(String, Vec<u8>)> = Vec::new();
    let mut n = 0;
    while let Some(at) = document.find("<w14:checkbox>") {
        n += 1;
        let start = document[..at].rfind("<w:sdt>").unwrap();
        let end = at + document[at..].find("</w:sdt>").unwrap() + "</w:sdt>".len();
        let checked = document[start..end].contains("<w14:checked w14:val=\"1\"/>");
        document.replace_range(
            start..end,
            &format!(
                "<w:r><w:object><w:control r:id=\"rIdAx{n}\" w:name=\"CheckBox{n}\"/></w:object></w:r>"
            ),
        );
        rels = rels.replace(
            "</Relationships>",
            &format!(
                "<Relationship Id=\"rIdAx{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/control\" Target=\"activeX/activeX{n}.xml\"/></Relationships>"
            ),
        );
        let ax = "xmlns:ax=\"http://schemas.microsoft.com/office/2006/activeX\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
        if n % 2 == 0 {
            let value = if checked { "1" } else { "0" };
            added.push((
                format!("word/activeX/activeX{n}.xml"),
                format!(
                    "<ax:ocx ax:classid=\"{CHECK_BOX_CLASS}\" ax:persistence=\"persistPropertyBag\" {ax}><ax:ocxPr ax:name=\"Value\" ax:value=\"{value}\"/></ax:ocx>"
                )
                .into_bytes(),
            ));
        } else {
            added.push((
                format!("word/activeX/activeX{n}.xml"),
                format!(
                    "<ax:ocx ax:classid=\"{CHECK_BOX_CLASS}\" ax:persistence=\"persistStorage\" r:id=\"rId1\" {ax}/>"
                )
                .into_bytes(),
            ));
            added.push((
                format!("word/activeX/_rels/activeX{n}.xml.rels"),
                format!(
                    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary\" Target=\"activeX{n}.bin\"/></Relationships>"
                )
                .into_bytes(),
            ));
            added.push((
                format!("word/activeX/activeX{n}.bin"),
                control_storage(checked),
            ));
        }
    }
    assert!(n > 20, "the questionnaire has its check boxes ({n})");
    for (name, bytes) in parts.iter_mut() {
        match name.as_str() {
            "word/document.xml" => *bytes = document.clone().into_bytes(),
            "word/_rels/document.xml.rels" => *bytes = rels.clone().into_bytes(),
            _ => {}
        }
    }
    parts.extend(added);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Answers with the evidence left out: it names the kind of box, which is
/// all that differs.
fn without_evidence(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            map.remove("evidence");
            for value in map.values_mut() {
                *value = without_evidence(value.take());
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                *item = without_evidence(item.take());
            }
        }
        _ => {}
    }
    v
}

#[test]
fn a_questionnaire_answered_with_activex_check_boxes_reads_as_with_content_controls() {
    let original = root().join("corpus/docx/01_japan_content_controls.docx");
    let dir = common::temp("activex");
    let converted = dir.join("01_japan_activex.docx");
    std::fs::write(&converted, as_activex(&std::fs::read(&original).unwrap())).unwrap();

    let marks = inspect(&converted)["marks"].as_array().unwrap().clone();
    assert!(marks.iter().all(|m| m["evidence"]
        .as_str()
        .unwrap()
        .starts_with("ActiveX check box")));
    let expected = common::extract_json(&original);
    let got = common::extract_json(&converted);
    assert_eq!(
        without_evidence(got["answers"].clone()),
        without_evidence(expected["answers"].clone())
    );
    assert_eq!(got["country"], expected["country"]);
}
