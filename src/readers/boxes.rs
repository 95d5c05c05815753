//! Which characters are tick boxes, and whether they show a tick.
//!
//! Shared by every reader: a box can be a Unicode glyph in any format, and a
//! symbol-font character wherever fonts are known. The symbol-font codes are the
//! glyph positions of Microsoft's dingbat fonts; Word and LibreOffice store them
//! either as the byte itself or moved into the private-use area at U+F000 + byte.

/// State of a Unicode box glyph: `Some(true)` for a ticked box or a tick,
/// `Some(false)` for an empty box, `None` for any other character.
pub fn unicode_box_state(c: char) -> Option<bool> {
    match c {
        '\u{2610}' /* ☐ */ | '\u{25A1}' /* □ */ | '\u{274F}' /* ❏ */ | '\u{2751}' /* ❑ */
        | '\u{2752}' /* ❒ */ | '\u{25FB}' /* ◻ */ | '\u{25A2}' /* ▢ */ | '\u{2B1C}' /* ⬜ */
        | '\u{1F790}' => Some(false),
        '\u{2611}' /* ☑ */ | '\u{2612}' /* ☒ */ | '\u{2713}' /* ✓ */ | '\u{2714}' /* ✔ */
        | '\u{2717}' /* ✗ */ | '\u{2718}' /* ✘ */ | '\u{25A0}' /* ■ */ | '\u{22A0}' /* ⊠ */
        | '\u{2327}' /* ⌧ */ | '\u{2BBD}' | '\u{1F5F5}' | '\u{1F5F7}' | '\u{1F5F8}'
        | '\u{1F5F9}' | '\u{2705}' /* ✅ */ | '\u{25FC}' /* ◼ */ | '\u{25FE}' /* ◾ */
        | '\u{2B1B}' /* ⬛ */ | '\u{25A3}' /* ▣ */ | '\u{221A}' /* √, the tick of many
        Chinese forms */ => Some(true),
        _ => None,
    }
}

/// State of a radio button typed as a glyph: `Some(false)` for an empty
/// circle, `Some(true)` for a filled or dotted one. The same circles are list
/// bullets, so the flow builder takes them for choices only where they stand
/// as such (several on one line, or a column of lines with both kinds).
/// Not "◎" and "○" alone: East Asian forms circle the chosen item with them.
pub fn radio_glyph_state(c: char) -> Option<bool> {
    match c {
        '\u{25CB}' /* ○ */ | '\u{25EF}' /* ◯ */ | '\u{274D}' /* ❍ */ => Some(false),
        '\u{25CF}' /* ● */ | '\u{25C9}' /* ◉ */ | '\u{29BF}' /* ⦿ */ | '\u{1F518}' /* 🔘 */ => {
            Some(true)
        }
        _ => None,
    }
}

/// A dingbat font whose character codes are not Unicode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolFont {
    Wingdings,
    Wingdings2,
    Webdings,
}

impl SymbolFont {
    /// Recognises the font by its family name as Word and PDF producers write it
    /// ("Wingdings", "Wingdings 2", "Wingdings-Regular", "ABCDEF+Wingdings2").
    pub fn from_family(name: &str) -> Option<SymbolFont> {
        let base = name.rsplit('+').next().unwrap_or(name);
        let flat: String = base
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if flat.starts_with("wingdings2") {
            Some(SymbolFont::Wingdings2)
        } else if flat.starts_with("wingdings3") {
            None
        } else if flat.starts_with("wingdings") {
            Some(SymbolFont::Wingdings)
        } else if flat.starts_with("webdings") {
            Some(SymbolFont::Webdings)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SymbolFont::Wingdings => "Wingdings",
            SymbolFont::Wingdings2 => "Wingdings 2",
            SymbolFont::Webdings => "Webdings",
        }
    }

    /// State of the box drawn by character `code` (the byte, or U+F000 + byte).
    pub fn box_state(self, code: u32) -> Option<bool> {
        match (self, font_byte(code)) {
            (SymbolFont::Wingdings, 0x6F | 0x71 | 0x72 | 0xA8) => Some(false),
            (SymbolFont::Wingdings, 0x78 | 0xFB | 0xFC | 0xFD | 0xFE) => Some(true),
            (SymbolFont::Wingdings2, 0xA3) => Some(false),
            (SymbolFont::Wingdings2, 0x4F..=0x54) => Some(true),
            (SymbolFont::Webdings, 0x61 | 0x63) => Some(true),
            _ => None,
        }
    }

    /// The Unicode circle that character `code` draws, when it draws a radio
    /// button's circle: readers put it in the text for the flow builder to
    /// judge (see [`radio_glyph_state`]).
    pub fn radio_glyph(self, code: u32) -> Option<char> {
        match (self, font_byte(code)) {
            (SymbolFont::Wingdings, 0x6C) => Some('\u{25CF}'),
            (SymbolFont::Wingdings, 0x6D) => Some('\u{274D}'),
            (SymbolFont::Wingdings, 0xA1) => Some('\u{25CB}'),
            (SymbolFont::Wingdings, 0xA4) => Some('\u{25C9}'),
            _ => None,
        }
    }
}

/// A dingbat font's character code as its byte: producers write it as the
/// byte itself or moved into the private-use area at U+F000 + byte.
fn font_byte(code: u32) -> u32 {
    if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    }
}

/// A private-use character U+F0xx met without font information: producers put
/// Wingdings there far more than anything else (LibreOffice exports, Word's
/// "Insert Symbol"), so it is read as Wingdings; failing that, as Wingdings 2,
/// whose box codes (0x4F-0x54, 0xA3) are flags, planes and snowflakes in
/// Wingdings, nothing a questionnaire shows beside an option.
pub fn private_use_box_state(c: char) -> Option<bool> {
    private_use_box(c).map(|(state, _)| state)
}

/// The state of a box character, Unicode or private-use.
pub fn box_char_state(c: char) -> Option<bool> {
    unicode_box_state(c).or_else(|| private_use_box_state(c))
}

/// Whether a text holds a box character. None is ASCII, and nearly all
/// text is: that is told first.
pub fn has_box_char(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(|c| box_char_state(c).is_some())
}

/// The state of a private-use box character and the font it was read in.
pub fn private_use_box(c: char) -> Option<(bool, SymbolFont)> {
    let code = c as u32;
    if !(0xF000..=0xF0FF).contains(&code) {
        return None;
    }
    [SymbolFont::Wingdings, SymbolFont::Wingdings2]
        .into_iter()
        .find_map(|font| font.box_state(code).map(|state| (state, font)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_boxes() {
        assert_eq!(unicode_box_state('☐'), Some(false));
        assert_eq!(unicode_box_state('☒'), Some(true));
        assert_eq!(unicode_box_state('☑'), Some(true));
        assert_eq!(unicode_box_state('✔'), Some(true));
        assert_eq!(unicode_box_state('a'), None);
    }

    #[test]
    fn symbol_fonts() {
        assert_eq!(
            SymbolFont::from_family("Wingdings 2"),
            Some(SymbolFont::Wingdings2)
        );
        assert_eq!(
            SymbolFont::from_family("ABCDEF+Wingdings-Regular"),
            Some(SymbolFont::Wingdings)
        );
        assert_eq!(SymbolFont::from_family("Wingdings 3"), None);
        assert_eq!(SymbolFont::from_family("Arial"), None);
        assert_eq!(SymbolFont::Wingdings.box_state(0xF0FE), Some(true));
        assert_eq!(SymbolFont::Wingdings.box_state(0xA8), Some(false));
        assert_eq!(SymbolFont::Wingdings2.box_state(0x54), Some(true));
        assert_eq!(SymbolFont::Wingdings2.box_state(0xA3), Some(false));
        assert_eq!(private_use_box_state('\u{F0A8}'), Some(false));
        assert_eq!(private_use_box_state('\u{F0B7}'), None);
        // Wingdings 2's crossed box, its font lost on the way to a PDF.
        assert_eq!(
            private_use_box('\u{F054}'),
            Some((true, SymbolFont::Wingdings2))
        );
    }
}
