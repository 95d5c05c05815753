//! Microsoft Forms 2.0 controls: the ActiveX check boxes, option buttons,
//! text boxes and combo boxes that Word's "Legacy Tools" menu inserts. Their
//! state is not in the document text but in the control's own storage: in a
//! .docx an `activeX/activeXN.bin` compound file holding a `contents` stream,
//! whose MorphDataControl record ([MS-OFORMS] 2.2.5) gives the value and
//! caption, or, for controls saved as a property bag, `ax:ocxPr` entries in
//! `activeXN.xml`. (A .doc keeps the same stream under `ObjectPool`; the .doc
//! reader does not read it yet.)

use std::borrow::Cow;
use std::io::{Cursor, Read};

use crate::model::MarkSource;

/// What kind of control, by class id or, failing that, by display style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlKind {
    CheckBox,
    OptionButton,
    ToggleButton,
    TextBox,
    ComboBox,
    ListBox,
}

impl ControlKind {
    /// The control's class id (`{8BD21D40-…}`), as the .docx control part or
    /// the storage's directory entry gives it.
    pub fn from_class_id(class_id: &str) -> Option<ControlKind> {
        let id = class_id.trim_matches(['{', '}']).to_ascii_uppercase();
        match id.as_str() {
            "8BD21D40-EC42-11CE-9E0D-00AA006002F3" => Some(ControlKind::CheckBox),
            "8BD21D50-EC42-11CE-9E0D-00AA006002F3" => Some(ControlKind::OptionButton),
            "8BD21D60-EC42-11CE-9E0D-00AA006002F3" => Some(ControlKind::ToggleButton),
            "8BD21D10-EC42-11CE-9E0D-00AA006002F3" => Some(ControlKind::TextBox),
            "8BD21D30-EC42-11CE-9E0D-00AA006002F3" => Some(ControlKind::ComboBox),
            "8BD21D20-EC42-11CE-9E0D-00AA006002F3" => Some(ControlKind::ListBox),
            _ => None,
        }
    }

    fn from_display_style(style: u8) -> Option<ControlKind> {
        match style {
            1 => Some(ControlKind::TextBox),
            2 => Some(ControlKind::ListBox),
            3 | 7 => Some(ControlKind::ComboBox),
            4 => Some(ControlKind::CheckBox),
            5 => Some(ControlKind::OptionButton),
            6 => Some(ControlKind::ToggleButton),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ControlKind::CheckBox => "check box",
            ControlKind::OptionButton => "option button",
            ControlKind::ToggleButton => "toggle button",
            ControlKind::TextBox => "text box",
            ControlKind::ComboBox => "combo box",
            ControlKind::ListBox => "list box",
        }
    }
}

/// A control as the document shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FormsControl {
    pub kind: ControlKind,
    pub value: Option<String>,
    pub caption: Option<String>,
}

/// What a reader writes into the flow for a control.
#[derive(Debug, Clone, PartialEq)]
pub enum ControlContent {
    /// A box: its state, the mark's source and evidence, then its caption (the
    /// option's label, which the document text does not repeat).
    Mark {
        checked: Option<bool>,
        source: MarkSource,
        evidence: String,
        caption: Option<String>,
    },
    /// Text typed or chosen in a text box, combo box or list box.
    Text(String),
}

impl FormsControl {
    /// What the control contributes, named `name` in the evidence ("CheckBox1").
    pub fn content(&self, name: &str) -> Option<ControlContent> {
        let value = self.value.as_deref().map(str::trim);
        match self.kind {
            ControlKind::CheckBox | ControlKind::OptionButton | ControlKind::ToggleButton => {
                // No Value at all is the control's default, unticked. A
                // triple-state box left grey stores neither 0 nor 1: unknown.
                let checked = match value {
                    None | Some("0") => Some(false),
                    Some(v) if v == "1" || v == "-1" || v.eq_ignore_ascii_case("true") => {
                        Some(true)
                    }
                    Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
                    Some(_) => None,
                };
                let shown = value.map_or("no value".to_string(), |v| format!("value \"{v}\""));
                Some(ControlContent::Mark {
                    checked,
                    source: MarkSource::LegacyField,
                    evidence: format!("ActiveX {} {name} {shown}", self.kind.name()),
                    caption: self
                        .caption
                        .as_deref()
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string),
                })
            }
            ControlKind::TextBox | ControlKind::ComboBox | ControlKind::ListBox => value
                .filter(|v| !v.is_empty())
                .map(|v| ControlContent::Text(v.to_string())),
        }
    }
}

/// Reads a control from its storage: a compound file holding a `contents`
/// stream (how Word saves Forms 2.0 controls), or that stream's bytes alone
/// (`persistStream`). `class_id` is the one the document gives, if any; the
/// storage's own class id or the control's display style stand in otherwise.
/// `None` when the bytes are no Forms 2.0 control this module reads.
pub fn read_storage(bytes: &[u8], class_id: Option<&str>, max_bytes: u64) -> Option<FormsControl> {
    let (contents, storage_class) = if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
        let storage_class = cfb.root_entry().clsid().to_string();
        let mut contents = Vec::new();
        cfb.open_stream("/contents")
            .ok()?
            .take(max_bytes)
            .read_to_end(&mut contents)
            .ok()?;
        (Cow::Owned(contents), Some(storage_class))
    } else {
        (Cow::Borrowed(bytes), None)
    };
    read_contents(
        &contents,
        class_id.and_then(ControlKind::from_class_id).or_else(|| {
            storage_class
                .as_deref()
                .and_then(ControlKind::from_class_id)
        }),
    )
}

/// A control saved as a property bag: its `Value` and `Caption` properties.
pub fn from_properties(
    class_id: Option<&str>,
    value: Option<String>,
    caption: Option<String>,
) -> Option<FormsControl> {
    Some(FormsControl {
        kind: class_id.and_then(ControlKind::from_class_id)?,
        value,
        caption,
    })
}

/// Properties of the MorphData data block in the order they are stored, as
/// (bit of the property mask, size in bytes). Each is aligned to its size.
/// The value, caption and group name are string lengths here; their text
/// follows in the extra data block.
const DATA_BLOCK: [(u32, usize); 28] = [
    (0, 4),  // VariousPropertyBits
    (1, 4),  // BackColor
    (2, 4),  // ForeColor
    (3, 4),  // MaxLength
    (4, 1),  // BorderStyle
    (5, 1),  // ScrollBars
    (6, 1),  // DisplayStyle
    (7, 1),  // MousePointer
    (9, 2),  // PasswordChar
    (10, 4), // ListWidth
    (11, 2), // BoundColumn
    (12, 2), // TextColumn
    (13, 2), // ColumnCount
    (14, 2), // ListRows
    (15, 2), // cColumnInfo
    (16, 1), // MatchEntry
    (17, 1), // ListStyle
    (18, 1), // ShowDropButtonWhen
    (20, 1), // DropButtonStyle
    (21, 1), // MultiSelect
    (22, 4), // Value
    (23, 4), // Caption
    (24, 4), // PicturePosition
    (25, 4), // BorderColor
    (26, 4), // SpecialEffect
    (27, 2), // MouseIcon
    (28, 2), // Picture
    (29, 2), // Accelerator
];
const DISPLAY_STYLE: u32 = 6;
const SIZE: u32 = 8;
const VALUE: u32 = 22;
const CAPTION: u32 = 23;
const GROUP_NAME: u32 = 32;

/// Reads a MorphDataControl record: version 2.0, the size of what follows,
/// a 64-bit property mask, the data block, then the extra data block with
/// the control's size and strings.
fn read_contents(contents: &[u8], kind: Option<ControlKind>) -> Option<FormsControl> {
    let (&[minor, major], rest) = contents.split_first_chunk::<2>()?;
    if (minor, major) != (0, 2) {
        return None;
    }
    let size = usize::from(u16::from_le_bytes(*rest.first_chunk::<2>()?));
    let record = rest.get(2..2 + size)?;
    let mask = u64::from_le_bytes(*record.first_chunk::<8>()?);
    let has = |bit: u32| mask & (1 << bit) != 0;
    let data = &record[8..];

    let mut at: usize = 0;
    let mut display_style = None;
    let (mut value_size, mut caption_size, mut group_size) = (None, None, None);
    let properties = DATA_BLOCK.iter().chain([(GROUP_NAME, 4)].iter());
    for &(bit, width) in properties {
        if !has(bit) {
            continue;
        }
        at = at.next_multiple_of(width);
        let field = data.get(at..at + width)?;
        match bit {
            DISPLAY_STYLE => display_style = Some(field[0]),
            VALUE => value_size = Some(u32::from_le_bytes(field.try_into().ok()?)),
            CAPTION => caption_size = Some(u32::from_le_bytes(field.try_into().ok()?)),
            GROUP_NAME => group_size = Some(u32::from_le_bytes(field.try_into().ok()?)),
            _ => {}
        }
        at += width;
    }
    at = at.next_multiple_of(4);
    if has(SIZE) {
        at += 8;
    }
    let mut string = |size: Option<u32>| -> Option<Option<String>> {
        let Some(size) = size else {
            return Some(None);
        };
        let (text, used) = fm_string(data.get(at..)?, size)?;
        at += used;
        Some(Some(text))
    };
    let value = string(value_size)?;
    let caption = string(caption_size)?;
    let _group = string(group_size)?;
    Some(FormsControl {
        kind: kind.or_else(|| display_style.and_then(ControlKind::from_display_style))?,
        value,
        caption,
    })
}

/// A string of the extra data block: its length and whether it is stored
/// one byte per character come with the size; it is padded to four bytes.
/// Returns the text and the bytes it takes.
fn fm_string(bytes: &[u8], size: u32) -> Option<(String, usize)> {
    let compressed = size & 0x8000_0000 != 0;
    let len = (size & 0x7FFF_FFFF) as usize;
    let raw = bytes.get(..len)?;
    let text = if compressed {
        raw.iter().map(|&b| char::from(b)).collect()
    } else {
        super::text::decode_utf16(raw, false)
    };
    Some((text, len.next_multiple_of(4)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `contents` stream of a check box saved by Word: caption "First",
    /// value "0", back and fore colour, display style and size set.
    const UNTICKED: &str = "00 02 30 00 46 01 c0 80 00 00 00 00 ff ff ff 00 00 00 00 00 \
        04 00 00 00 01 00 00 80 05 00 00 80 e2 0e 00 00 e5 02 00 00 30 00 64 00 \
        46 69 72 73 74 00 00 00";

    fn bytes(hex: &str) -> Vec<u8> {
        hex.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    #[test]
    fn a_check_box_record_gives_value_and_caption() {
        let control = read_contents(&bytes(UNTICKED), None).unwrap();
        assert_eq!(control.kind, ControlKind::CheckBox);
        assert_eq!(control.value.as_deref(), Some("0"));
        assert_eq!(control.caption.as_deref(), Some("First"));
        let ticked = UNTICKED.replacen("30 00 64 00", "31 00 00 00", 1);
        let control = read_contents(&bytes(&ticked), None).unwrap();
        assert_eq!(
            control.content("CheckBox1"),
            Some(ControlContent::Mark {
                checked: Some(true),
                source: MarkSource::LegacyField,
                evidence: "ActiveX check box CheckBox1 value \"1\"".into(),
                caption: Some("First".into()),
            })
        );
    }

    #[test]
    fn a_text_box_value_in_utf16_is_text() {
        // Mask: Value only (bit 22) and the reserved bit 31; "Oui" in UTF-16.
        let record = "00 02 14 00 00 00 40 80 00 00 00 00 06 00 00 00 \
            4f 00 75 00 69 00 00 00";
        let control = read_contents(
            &bytes(record),
            ControlKind::from_class_id("{8BD21D10-EC42-11CE-9E0D-00AA006002F3}"),
        )
        .unwrap();
        assert_eq!(
            control.content("TextBox1"),
            Some(ControlContent::Text("Oui".into()))
        );
    }

    #[test]
    fn truncated_or_foreign_records_are_refused() {
        let full = bytes(UNTICKED);
        for cut in 0..full.len() {
            assert!(read_contents(&full[..cut], None).is_none(), "cut at {cut}");
        }
        assert!(read_contents(b"\x01\x00\x30\x00", None).is_none());
    }
}
