//! Small helpers over quick-xml shared by the XML-based readers.
//!
//! Elements are matched by local name only, so Transitional and Strict OOXML
//! (same local names, other namespace URIs) read alike whatever the prefixes.
//! quick-xml does not load DTDs or external entities; unknown entity references
//! are kept as written, so a "billion laughs" document cannot expand.

use quick_xml::events::{BytesRef, BytesStart};

/// The local name of an element (`w:checkBox` → `checkBox`).
pub fn local_name(e: &BytesStart) -> Vec<u8> {
    e.local_name().as_ref().to_vec()
}

/// Value of the attribute whose local name is `name` (`w:val` → `val`).
pub fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        if a.key.local_name().as_ref() == name {
            Some(
                a.unescape_value()
                    .map(|v| v.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned()),
            )
        } else {
            None
        }
    })
}

/// The text of an entity or character reference: the five XML entities and
/// numeric references; anything else is kept as written.
pub fn resolve_reference(r: &BytesRef) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = String::from_utf8_lossy(r.as_ref()).into_owned();
    match name.as_str() {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => format!("&{name};"),
    }
}

/// Interprets an OOXML on/off attribute: absent or "1"/"true"/"on" is on.
pub fn on_off(value: Option<&str>) -> bool {
    match value {
        None => true,
        Some(v) => matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "on"),
    }
}
