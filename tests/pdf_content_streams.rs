//! The PDF content interpreter on small hand-written files: each test builds
//! a one-page PDF whose content stream uses one feature, and checks the text
//! msq reads from it.

mod common;

use common::pdf;
use msq::Limits;

fn stream(dict: &str, content: &str) -> String {
    format!(
        "<< {dict} /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
}

/// A page whose resources are `resources` showing `content`, with any
/// further objects after it (numbered from 5; 4 is the content stream).
fn page_pdf(catalog_extra: &str, resources: &str, content: &str, more: &[String]) -> Vec<u8> {
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources {resources} /Contents 4 0 R >>"
        ),
        stream("", content),
    ];
    objects.extend_from_slice(more);
    pdf(&objects)
}

fn text_of(bytes: &[u8]) -> Vec<String> {
    let doc = msq::readers::read_bytes("test.pdf", bytes, &Limits::default()).expect("reads");
    doc.lines.into_iter().map(|l| l.text).collect()
}

const HELVETICA: &str =
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

#[test]
fn fonts_written_in_place_are_told_apart() {
    // Two fonts written inside the same resource dictionary (no object
    // numbers of their own): the second maps code 65 to "B".
    let second = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
                  /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [65 /B] >> >>";
    let resources = format!("<< /Font << /F1 {HELVETICA} /F2 {second} >> >>");
    let content = "BT /F1 12 Tf 72 700 Td (AAA) Tj ET BT /F2 12 Tf 72 600 Td (AAA) Tj ET";
    assert_eq!(
        text_of(&page_pdf("", &resources, content, &[])),
        ["AAA", "BBB"]
    );
}

#[test]
fn codes_a_to_unicode_map_leaves_out_are_named_by_the_encoding() {
    // The map covers "A" (as "X"); "B" is left to the font's encoding,
    // which names it "C".
    let to_unicode = stream(
        "",
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T def \
         1 begincodespacerange <00> <FF> endcodespacerange \
         1 beginbfchar <41> <0058> endbfchar \
         endcmap CMapName currentdict /CMap defineresource pop end end",
    );
    let resources = "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
                     /FirstChar 65 /LastChar 66 /Widths [600 600] \
                     /Encoding << /Differences [66 /C] >> /ToUnicode 5 0 R >> >> >>";
    let content = "BT /F1 12 Tf 72 700 Td (ABBA) Tj ET";
    assert_eq!(
        text_of(&page_pdf("", resources, content, &[to_unicode])),
        ["XCCX"]
    );
}

#[test]
fn hidden_optional_content_is_not_read() {
    let catalog = "/OCProperties << /OCGs [5 0 R 6 0 R] /D << /OFF [6 0 R] >> >>";
    let resources =
        format!("<< /Font << /F1 {HELVETICA} >> /Properties << /On 5 0 R /Off 6 0 R >> >>");
    let content = "/OC /On BDC BT /F1 12 Tf 72 700 Td (Shown) Tj ET EMC \
                   /OC /Off BDC BT /F1 12 Tf 72 600 Td (Hidden) Tj ET EMC \
                   BT /F1 12 Tf 72 500 Td (After) Tj ET";
    let groups = [
        "<< /Type /OCG /Name (on) >>".to_string(),
        "<< /Type /OCG /Name (off) >>".to_string(),
    ];
    assert_eq!(
        text_of(&page_pdf(catalog, &resources, content, &groups)),
        ["Shown", "After"]
    );
}

#[test]
fn forms_are_drawn_where_their_matrix_puts_them_and_clipped_to_their_box() {
    // The form shows "Inside" at its origin and "Outside" beyond its box;
    // it is painted twice, 100 points apart.
    let form = stream(
        &format!(
            "/Type /XObject /Subtype /Form /BBox [0 -5 200 20] /Matrix [1 0 0 1 72 0] \
             /Resources << /Font << /F1 {HELVETICA} >> >>"
        ),
        "BT /F1 12 Tf 0 0 Td (Inside) Tj 300 0 Td (Outside) Tj ET",
    );
    let content = "q 1 0 0 1 0 700 cm /Fm1 Do Q q 1 0 0 1 0 600 cm /Fm1 Do Q";
    let text = text_of(&page_pdf(
        "",
        "<< /XObject << /Fm1 5 0 R >> >>",
        content,
        &[form],
    ));
    assert_eq!(text, ["Inside", "Inside"]);
}

#[test]
fn text_state_places_words() {
    // TJ adjustments wide enough for a space, word spacing, T* with a
    // leading, and a font set by a graphics state (one that shows "c" as "k").
    let resources = format!(
        "<< /Font << /F1 {HELVETICA} >> /ExtGState << /GS1 << /Font [<< /Type /Font /Subtype /Type1 \
         /BaseFont /Courier /Encoding << /Differences [99 /k] >> >> 10] >> >> >>"
    );
    let content = "BT /F1 12 Tf 40 TL 72 700 Td [(Two) -1000 (words)] TJ \
                   T* 4 Tw (spaced out) Tj /GS1 gs T* (courier) Tj ET";
    assert_eq!(
        text_of(&page_pdf("", &resources, content, &[])),
        ["Two words", "spaced out", "kourier"]
    );
}

#[test]
fn an_unbalanced_or_endless_content_stream_is_survived() {
    let resources = format!("<< /Font << /F1 {HELVETICA} >> /XObject << /Me 5 0 R >> >>");
    // Restores without saves, a form that paints itself, and saves never
    // restored.
    let me = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources 6 0 R",
        "/Me Do",
    );
    let own_resources = "<< /XObject << /Me 5 0 R >> >>".to_string();
    let content = format!(
        "Q Q BT /F1 12 Tf 72 700 Td (Still) Tj ET /Me Do {} BT /F1 12 Tf 72 600 Td (here) Tj ET",
        "q ".repeat(5000)
    );
    assert_eq!(
        text_of(&page_pdf("", &resources, &content, &[me, own_resources])),
        ["Still", "here"]
    );
}

#[test]
fn field_attributes_are_inherited_and_a_cyclic_parent_chain_ends() {
    // Two check boxes beside their labels. The first is a kid of a field
    // that says it is a button and is checked (`/V /Yes`; the widget has no
    // `/AS`); the second's parents point at each other.
    let resources = format!("<< /Font << /F1 {HELVETICA} >> >>");
    let content = "BT /F1 12 Tf 120 700 Td (Blockchain) Tj 0 -40 Td (Cloud) Tj ET";
    let appearance = "<< /N << /Yes 9 0 R /Off 9 0 R >> >>";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 8 0 R] >> >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources {resources} \
             /Contents 4 0 R /Annots [5 0 R 7 0 R] >>"
        ),
        stream("", content),
        format!(
            "<< /Type /Annot /Subtype /Widget /Rect [100 698 112 710] /Parent 6 0 R /AP {appearance} >>"
        ),
        "<< /FT /Btn /T (q1) /V /Yes /Kids [5 0 R] /Parent 10 0 R >>".to_string(),
        format!(
            "<< /Type /Annot /Subtype /Widget /Rect [100 658 112 670] /FT /Btn /T (q2) /AS /Off \
             /Parent 8 0 R /AP {appearance} >>"
        ),
        "<< /T (b) /Parent 11 0 R >>".to_string(),
        stream("/Type /XObject /Subtype /Form /BBox [0 0 12 12]", ""),
        "<< /T (form) >>".to_string(),
        "<< /T (a) /Parent 8 0 R >>".to_string(),
    ];
    let doc =
        msq::readers::read_bytes("test.pdf", &pdf(&objects), &Limits::default()).expect("reads");
    let states: Vec<(Option<bool>, &str)> = doc
        .marks
        .iter()
        .map(|m| (m.checked, m.evidence.as_str()))
        .collect();
    assert_eq!(states.len(), 2, "{states:?}");
    assert_eq!(states[0], (Some(true), "acroform field form.q1 /V /Yes"));
    // The chain ends where a parent would come round again.
    assert_eq!(states[1], (Some(false), "acroform field a.b.q2 /AS /Off"));
}
