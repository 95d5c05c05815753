//! Which Word content controls show their placeholder ("Click or tap here to
//! enter text.", a template's "[Type your e-mail address]") rather than an
//! answer.
//!
//! Word flags such a control `w:showingPlcHdr` and clears the flag when
//! someone types; tools that fill a form's controls set the text and often
//! leave the flag. So a flagged control is taken to show its placeholder
//! only when its text is the placeholder: all of it in Word's "Placeholder
//! Text" style, or the same as the text of the building block
//! (`w:placeholder/w:docPart`) that the glossary part keeps for it.
//!
//! The document is scanned once before it is read, and controls are known by
//! their `w:id`; the reader then skips the text of those.

use std::collections::{HashMap, HashSet};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::xml::{attr, local_name, on_off, resolve_reference};

/// Word's style for placeholder text, by its usual id; a localised Word
/// gives it another id, found by its name in the styles part.
const PLACEHOLDER_STYLE: &str = "PlaceholderText";

/// Ids of the character styles that are Word's "Placeholder Text". A broken
/// styles part only loses the localised ones.
pub fn placeholder_styles(styles_part: Option<&[u8]>) -> HashSet<String> {
    let mut ids = HashSet::from([PLACEHOLDER_STYLE.to_string()]);
    let Some(bytes) = styles_part else {
        return ids;
    };
    let mut reader = Reader::from_reader(bytes);
    let mut style_id: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match local_name(&e).as_slice() {
                b"style" => style_id = attr(&e, b"styleId"),
                b"name" => {
                    let named = attr(&e, b"val")
                        .is_some_and(|n| n.eq_ignore_ascii_case("Placeholder Text"));
                    if let Some(id) = style_id.take().filter(|_| named) {
                        ids.insert(id);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    ids
}

/// The text of each building block of the glossary part, by name.
pub fn building_blocks(glossary_part: Option<&[u8]>) -> HashMap<String, String> {
    let mut blocks = HashMap::new();
    let Some(bytes) = glossary_part else {
        return blocks;
    };
    let mut reader = Reader::from_reader(bytes);
    let mut current: Option<(Option<String>, String)> = None;
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match local_name(&e).as_slice() {
                b"docPart" => current = Some((None, String::new())),
                b"t" => in_text = true,
                _ => {}
            },
            Ok(Event::Empty(e)) if local_name(&e) == b"name" => {
                if let Some((name @ None, _)) = current.as_mut() {
                    *name = attr(&e, b"val");
                }
            }
            Ok(Event::Text(t)) if in_text => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&resolve_reference(&r));
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"docPart" => {
                    if let Some((Some(name), text)) = current.take() {
                        blocks.insert(name, text);
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    blocks
}

/// A content control as the scan sees it.
#[derive(Default)]
struct Scanned {
    id: Option<String>,
    flagged: bool,
    building_block: Option<String>,
    text: String,
    /// Some text is in another style than the placeholder's.
    other_style: bool,
}

/// The `w:id`s of the controls that show their placeholder.
pub fn controls_showing_placeholder(
    document: &[u8],
    styles: &HashSet<String>,
    blocks: &HashMap<String, String>,
) -> HashSet<String> {
    let mut showing = HashSet::new();
    let mut reader = Reader::from_reader(document);
    reader.config_mut().check_end_names = false;
    let mut open: Vec<Scanned> = Vec::new();
    let mut parent: Vec<Vec<u8>> = Vec::new();
    let (mut in_text, mut run_is_placeholder) = (false, false);
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = local_name(e);
                let in_properties = parent.last().is_some_and(|p| p == b"sdtPr");
                match name.as_slice() {
                    b"sdt" => open.push(Scanned::default()),
                    b"id" if in_properties => {
                        if let Some(c) = open.last_mut() {
                            c.id = attr(e, b"val");
                        }
                    }
                    b"showingPlcHdr" if in_properties => {
                        if let Some(c) = open.last_mut() {
                            c.flagged = on_off(attr(e, b"val").as_deref());
                        }
                    }
                    b"docPart" if parent.last().is_some_and(|p| p == b"placeholder") => {
                        if let Some(c) = open.last_mut() {
                            c.building_block = attr(e, b"val");
                        }
                    }
                    b"r" => run_is_placeholder = false,
                    b"rStyle" => {
                        run_is_placeholder = attr(e, b"val").is_some_and(|s| styles.contains(&s));
                    }
                    b"t" => in_text = true,
                    _ => {}
                }
                if matches!(event, Event::Start(_)) {
                    parent.push(name);
                }
            }
            Event::Text(t) if in_text => {
                let text = String::from_utf8_lossy(&t);
                for c in open.iter_mut() {
                    c.text.push_str(&text);
                    c.other_style |= !run_is_placeholder && !text.trim().is_empty();
                }
            }
            Event::GeneralRef(r) if in_text => {
                let text = resolve_reference(&r);
                for c in open.iter_mut() {
                    c.text.push_str(&text);
                    c.other_style |= !run_is_placeholder;
                }
            }
            Event::End(e) => {
                parent.pop();
                match e.local_name().as_ref() {
                    b"t" => in_text = false,
                    b"sdt" => {
                        let Some(c) = open.pop() else { continue };
                        let block = c.building_block.as_ref().and_then(|b| blocks.get(b));
                        let is_placeholder =
                            !c.other_style || block.is_some_and(|b| same_text(b, &c.text));
                        if let (true, true, Some(id)) = (c.flagged, is_placeholder, c.id) {
                            showing.insert(id);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    showing
}

fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn control(id: u32, block: &str, style: &str, text: &str) -> String {
        format!(
            r#"<w:sdt><w:sdtPr><w:id w:val="{id}"/><w:placeholder><w:docPart w:val="{block}"/></w:placeholder><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:t>{text}</w:t></w:r></w:p></w:sdtContent></w:sdt>"#
        )
    }

    #[test]
    fn flagged_controls_show_their_placeholder_only_when_the_text_is_it() {
        let glossary = format!(
            r#"<w:glossaryDocument {W}><w:docParts><w:docPart><w:docPartPr><w:name w:val="B1"/></w:docPartPr><w:docPartBody><w:p><w:r><w:t>[Type your e-mail address]</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>"#
        );
        let blocks = building_blocks(Some(glossary.as_bytes()));
        assert_eq!(blocks["B1"], "[Type your e-mail address]");
        let document = format!(
            "<w:document {W}><w:body>{}{}{}{}</w:body></w:document>",
            // A template's placeholder, in no special style.
            control(1, "B1", "Normal", "[Type your e-mail address]"),
            // The same control filled by a tool that left the flag.
            control(2, "B1", "Normal", "ict@gov.example"),
            // Word's own placeholder style.
            control(
                3,
                "B9",
                "PlaceholderText",
                "Click or tap here to enter text."
            ),
            control(4, "B9", "Strong", "Ministry of the Interior"),
        );
        let styles = placeholder_styles(None);
        let showing = controls_showing_placeholder(document.as_bytes(), &styles, &blocks);
        let mut ids: Vec<&str> = showing.iter().map(String::as_str).collect();
        ids.sort();
        assert_eq!(ids, ["1", "3"]);
    }
}
