//! Word content controls as tools other than Word leave them: a form filled
//! by a program sets the control's text and often keeps `w:showingPlcHdr`,
//! the flag Word clears when someone types. The placeholder is the text in
//! Word's "Placeholder Text" style (under a localised id in a localised
//! Word); anything else in the control is the answer.

use std::io::{Cursor, Write};

use msq::readers::{read_bytes, Limits};

const ROOT_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT_RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
/// A German Word's id for "Placeholder Text".
const STYLES: &str = r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="character" w:styleId="Platzhaltertext"><w:name w:val="Placeholder Text"/></w:style></w:styles>"#;

/// A paragraph holding a label and a control (with the id Word gives every
/// control) that claims to show its placeholder, with one run of `text` in
/// `style`.
fn control(id: u32, label: &str, text: &str, style: Option<&str>) -> String {
    let run_style = style
        .map(|s| format!(r#"<w:rPr><w:rStyle w:val="{s}"/></w:rPr>"#))
        .unwrap_or_default();
    format!(
        r#"<w:p><w:r><w:t xml:space="preserve">{label} </w:t></w:r><w:sdt><w:sdtPr><w:id w:val="{id}"/><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent><w:r>{run_style}<w:t>{text}</w:t></w:r></w:sdtContent></w:sdt></w:p>"#
    )
}

fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in [
        ("_rels/.rels", ROOT_RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn text_set_by_a_tool_is_read_and_placeholders_are_not() {
    let body = [
        control(1, "Portal:", "https://www.gov.example", None),
        control(
            2,
            "Name:",
            "Click or tap here to enter text.",
            Some("PlaceholderText"),
        ),
        control(
            3,
            "Date:",
            "Klicken Sie hier, um ein Datum einzugeben.",
            Some("Platzhaltertext"),
        ),
        control(4, "Ministry:", "Ministry of the Interior", Some("Strong")),
    ]
    .concat();
    let doc = read_bytes("filled_by_a_tool.docx", &docx(&body), &Limits::default()).unwrap();
    let texts: Vec<&str> = doc.lines.iter().map(|l| l.text.trim()).collect();
    assert_eq!(
        texts,
        [
            "Portal: https://www.gov.example",
            "Name:",
            "Date:",
            "Ministry: Ministry of the Interior"
        ]
    );
}
