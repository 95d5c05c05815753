//! The operand of `TJ`, read straight from its bytes: strings and the
//! numbers between them, decoded into buffers the lexer reuses. Most of a
//! page's text comes in these arrays; the general object parser reads each
//! one twice (once to find its end, once per item) and allocates per
//! string. Anything that is not a string or a number gives up, and the
//! lexer reads the array with the general parser instead.

use std::ops::Range;

/// One item of a `TJ` array.
pub enum ShowItem {
    /// A string: its decoded bytes' place in the buffer.
    Text(Range<usize>),
    /// A number: how far to move back, in thousandths of the font size.
    Adjust(f32),
}

/// Reads the array whose `[` is at `start` of `data`, appending its items
/// to `items` and their strings' bytes to `bytes`; returns where it ends
/// (after its `]`), or `None` when it holds something other than strings
/// and numbers or is malformed (`items` and `bytes` may then hold part of
/// it). An array read here has the extent the general parser gives it:
/// strings end where it ends them, and numbers are taken only when
/// followed by white space, a string or the end.
pub fn read(
    data: &[u8],
    start: usize,
    items: &mut Vec<ShowItem>,
    bytes: &mut Vec<u8>,
) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match *data.get(i)? {
            b']' => return Some(i + 1),
            b if is_white_space(b) => i += 1,
            open @ (b'(' | b'<') => {
                let text_start = bytes.len();
                i = if open == b'(' {
                    literal(data, i + 1, bytes)?
                } else {
                    hex(data, i + 1, bytes)?
                };
                items.push(ShowItem::Text(text_start..bytes.len()));
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                let end = data[i..]
                    .iter()
                    .position(|b| !matches!(b, b'+' | b'-' | b'.' | b'0'..=b'9'))
                    .map_or(data.len(), |n| i + n);
                items.push(ShowItem::Adjust(number(&data[i..end])?));
                i = end;
            }
            _ => return None,
        }
    }
}

/// PDF white space: NUL, tab, line feed, form feed, carriage return, space.
pub const fn is_white_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// A number of a `TJ` array. The usual ones ("-250", "12.5": at most seven
/// digits, at most ten after the point) are their digits as an integer
/// divided by a power of ten, both exact in `f32`, so the one rounding of
/// the division gives the correctly rounded value, as the general parser
/// does; any other token goes to it.
fn number(token: &[u8]) -> Option<f32> {
    const EXACT: u32 = 1 << 24;
    const POWERS: [f32; 11] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];
    let (negative, digits) = match token.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, token),
    };
    let general = || std::str::from_utf8(token).ok()?.parse().ok();
    let (mut mantissa, mut fraction, mut point, mut seen) = (0u32, 0usize, false, false);
    for &b in digits {
        match b {
            b'0'..=b'9' if mantissa < EXACT => {
                mantissa = mantissa * 10 + u32::from(b - b'0');
                fraction += usize::from(point);
                seen = true;
            }
            b'.' if !point => point = true,
            _ => return general(),
        }
    }
    if !seen || mantissa >= EXACT || fraction >= POWERS.len() {
        return general();
    }
    // Most adjustments are whole numbers: no division (a slow instruction).
    let value = if fraction == 0 {
        mantissa as f32
    } else {
        mantissa as f32 / POWERS[fraction]
    };
    Some(if negative { -value } else { value })
}

/// A literal string's bytes from `i` (after its opening parenthesis) into
/// `out`; returns where it ends (after its closing parenthesis).
pub fn literal(data: &[u8], mut i: usize, out: &mut Vec<u8>) -> Option<usize> {
    let mut depth = 1;
    while i < data.len() {
        // Bytes that stand for themselves are copied a run at a time.
        let plain = data[i..]
            .iter()
            .position(|b| matches!(b, b'(' | b')' | b'\\' | b'\r'))
            .unwrap_or(data.len() - i);
        out.extend_from_slice(&data[i..i + plain]);
        i += plain;
        let Some(&b) = data.get(i) else {
            break;
        };
        i += 1;
        match b {
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
                out.push(b);
            }
            // An end of line in a string is a line feed, however written.
            b'\r' => {
                if data.get(i) == Some(&b'\n') {
                    i += 1;
                }
                out.push(b'\n');
            }
            b'\\' => {
                let next = *data.get(i)?;
                i += 1;
                match next {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0C),
                    // A backslash before an end of line continues the string.
                    b'\r' => {
                        if data.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    b'\n' => {}
                    b'0'..=b'7' => {
                        let mut value = u32::from(next - b'0');
                        for _ in 0..2 {
                            match data.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(value as u8);
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(b),
        }
    }
    None
}

/// What each byte is in a hex string: a digit's value, white space, or
/// anything else.
const HEX: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            d @ b'0'..=b'9' => d - b'0',
            d @ b'a'..=b'f' => d - b'a' + 10,
            d @ b'A'..=b'F' => d - b'A' + 10,
            b if is_white_space(b) => HEX_WHITE,
            _ => NOT_HEX,
        };
        b += 1;
    }
    table
};
const HEX_WHITE: u8 = 0xFE;
const NOT_HEX: u8 = 0xFF;

/// A hex string's bytes from `i` (after `<`) into `out`; returns where it
/// ends (after `>`). White space is skipped; an odd last digit is followed
/// by 0.
pub fn hex(data: &[u8], mut i: usize, out: &mut Vec<u8>) -> Option<usize> {
    let mut high: Option<u8> = None;
    while i < data.len() {
        // Two digits side by side, as nearly every byte comes.
        if high.is_none() && i + 1 < data.len() {
            let (h, l) = (HEX[usize::from(data[i])], HEX[usize::from(data[i + 1])]);
            if h < 16 && l < 16 {
                out.push(h << 4 | l);
                i += 2;
                continue;
            }
        }
        let b = data[i];
        i += 1;
        match HEX[usize::from(b)] {
            HEX_WHITE => {}
            NOT_HEX if b == b'>' => {
                if let Some(h) = high {
                    out.push(h << 4);
                }
                return Some(i);
            }
            NOT_HEX => return None,
            digit => match high.take() {
                Some(h) => out.push(h << 4 | digit),
                None => high = Some(digit),
            },
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{number, read, ShowItem};

    fn items(data: &[u8]) -> Option<Vec<Result<Vec<u8>, f32>>> {
        let (mut items, mut bytes) = (Vec::new(), Vec::new());
        read(data, 0, &mut items, &mut bytes).map(|_| {
            items
                .into_iter()
                .map(|i| match i {
                    ShowItem::Text(r) => Ok(bytes[r].to_vec()),
                    ShowItem::Adjust(n) => Err(n),
                })
                .collect()
        })
    }

    #[test]
    fn strings_and_numbers() {
        assert_eq!(
            items(b"[(Two) -1000 (w\\(o\\)rds) 12.5 <48 65 6C6c 6>.5]"),
            Some(vec![
                Ok(b"Two".to_vec()),
                Err(-1000.0),
                Ok(b"w(o)rds".to_vec()),
                Err(12.5),
                Ok(b"Hell`".to_vec()),
                Err(0.5),
            ])
        );
    }

    #[test]
    fn hex_strings_in_pairs_or_apart() {
        assert_eq!(items(b"[<>]"), Some(vec![Ok(vec![])]));
        assert_eq!(items(b"[<4>]"), Some(vec![Ok(vec![0x40])]));
        assert_eq!(items(b"[<414>]"), Some(vec![Ok(vec![0x41, 0x40])]));
        assert_eq!(items(b"[< 4\n1\t42 >]"), Some(vec![Ok(vec![0x41, 0x42])]));
        assert_eq!(items(b"[<4 14 2>]"), Some(vec![Ok(vec![0x41, 0x42])]));
        assert_eq!(items(b"[<41"), None);
        assert_eq!(items(b"[<4x>]"), None);
        assert_eq!(items(b"[<41x2>]"), None);
        assert_eq!(
            items(b"[<4142aBfF>]"),
            Some(vec![Ok(vec![0x41, 0x42, 0xAB, 0xFF])])
        );
        // Digits split by white space, after another string in the same
        // buffer.
        assert_eq!(
            items(b"[<41><4 142 >]"),
            Some(vec![Ok(vec![0x41]), Ok(vec![0x41, 0x42])])
        );
    }

    #[test]
    fn escapes_and_line_ends() {
        assert_eq!(
            items(b"[(a\\101\\7b\\\r\nc\r\nd(e)f\\q)]"),
            Some(vec![Ok(b"aA\x07bc\nd(e)fq".to_vec())])
        );
    }

    #[test]
    fn anything_else_is_left_to_the_general_parser() {
        assert_eq!(items(b"[(a) /Name]"), None);
        assert_eq!(items(b"[(unclosed]"), None);
        assert_eq!(items(b"[<4G>]"), None);
        assert_eq!(items(b"[1-]"), None);
    }

    #[test]
    fn numbers_read_exactly_as_the_general_parser_reads_them() {
        let tokens = [
            "0",
            "-0",
            "+3",
            "-250",
            "12.5",
            ".5",
            "5.",
            "-.001",
            "0.1",
            "0.3",
            "1.1",
            "16777215",
            "16777216",
            "16777217",
            "123456789",
            "3.14159265",
            "0.0000000001",
            "0.00000000001",
            "-999.999",
            "1e5",
            "-",
            ".",
            "1.2.3",
            "--5",
            "+-1",
        ];
        for t in tokens {
            let general = t.parse::<f32>().ok();
            let fast = number(t.as_bytes());
            assert_eq!(
                fast.map(f32::to_bits),
                general.map(f32::to_bits),
                "{t}: {fast:?} against {general:?}"
            );
        }
        for n in 0..20_000u32 {
            for t in [
                format!("{n}"),
                format!("-{}.{:03}", n / 1000, n % 1000),
                format!("0.{n:05}"),
            ] {
                let general = t.parse::<f32>().ok().map(f32::to_bits);
                assert_eq!(number(t.as_bytes()).map(f32::to_bits), general, "{t}");
            }
        }
    }
}
