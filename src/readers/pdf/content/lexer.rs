//! The content-stream lexer: a stream's bytes as the operators the
//! interpreter acts on, each with its operands read and checked. Numbers,
//! names, strings and `TJ` arrays (nearly every token of a page) are read
//! here in one pass, strings decoded into buffers reused from one operator
//! to the next; every other token (dictionaries, odd numbers, inline
//! images, garbage) is left to hayro-syntax's lexer, at the same place, so
//! that a stream reads as hayro-syntax reads it, broken ones included: a
//! test compares the two on every stream of the corpus PDFs. (hayro-syntax's
//! own iterator built a general object for every operand and an instruction
//! for every operator, the ones text extraction ignores as well: 9% of the
//! time of a batch.)

use std::ops::Range;

use hayro_font::hayro_syntax::content::{
    read_content_number, read_content_token, skip_inline_image, ContentToken,
};
use hayro_font::hayro_syntax::object::{Array, Name, Number, Object};

use super::show_array::{self, is_white_space, ShowItem};

/// Operands before one operator, at most (a `scn` of 32 DeviceN
/// components and a pattern); one more ends the stream, as it does for
/// hayro-syntax.
const MAX_OPERANDS: usize = 33;

/// An operand as read.
pub enum Operand<'a> {
    Number(Number),
    Name(Name<'a>),
    /// A string: its decoded bytes' place in the lexer's buffer.
    Text(Range<usize>),
    /// An array of strings and numbers: its items' place.
    Show(Range<usize>),
    /// Anything else, as hayro-syntax reads it.
    Object(Object<'a>),
}

/// What the interpreter acts on, its operands checked as hayro-syntax's
/// typed operators check them (the last ones before the operator taken);
/// `Other` for the rest and for operators whose operands do not fit.
pub enum Op<'l, 'a> {
    Save,
    Restore,
    Transform([Number; 6]),
    MoveTo([Number; 2]),
    LineTo([Number; 2]),
    CubicTo([Number; 6]),
    /// `v`: the first control point is the current point.
    CubicStartTo([Number; 4]),
    /// `y`: the second control point is the end point.
    CubicEndTo([Number; 4]),
    Rect([Number; 4]),
    ClosePath,
    Stroke,
    CloseAndStroke,
    Fill,
    FillAndStroke,
    CloseFillAndStroke,
    EndPath,
    Clip,
    Shading,
    XObject(&'l Name<'a>),
    BeginMarkedContent,
    BeginMarkedContentWithProperties(&'l Operand<'a>),
    EndMarkedContent,
    BeginText,
    EndText,
    TextMatrix([Number; 6]),
    TextFont(&'l Name<'a>, Number),
    GraphicsState(&'l Name<'a>),
    CharSpacing(Number),
    WordSpacing(Number),
    HorizontalScaling(Number),
    Leading(Number),
    Rise(Number),
    RenderMode(Number),
    NextLine([Number; 2]),
    NextLineAndSetLeading([Number; 2]),
    NextLineUsingLeading,
    ShowText(&'l [u8]),
    NextLineAndShowText(&'l [u8]),
    ShowTextWithParameters(Number, Number, &'l [u8]),
    /// A `TJ` array read here: its items, their strings' bytes in the buffer.
    ShowArray(&'l [ShowItem], &'l [u8]),
    /// A `TJ` array the general parser read.
    ShowObjects(&'l Array<'a>),
    /// A path operator without the operands it needs: nothing after it is
    /// read (hayro-syntax stops there rather than draw stray paths).
    BrokenPath,
    Other,
}

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    operator: Name<'a>,
    operands: Vec<Operand<'a>>,
    /// Items of the `TJ` arrays among the operands.
    items: Vec<ShowItem>,
    /// Decoded bytes of the strings among the operands.
    bytes: Vec<u8>,
}

/// One operator and its operands.
pub struct Instruction<'l, 'a> {
    operator: &'l [u8],
    operands: &'l [Operand<'a>],
    items: &'l [ShowItem],
    bytes: &'l [u8],
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lexer {
            data,
            pos: 0,
            operator: Name::new_unescaped(b""),
            operands: Vec::new(),
            items: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// The next operator; `None` at the end of the stream, or where the
    /// stream cannot be read further.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Instruction<'_, 'a>> {
        self.operands.clear();
        self.items.clear();
        self.bytes.clear();
        if self.read_instruction().is_none() {
            // The end, or a place the stream cannot be read past.
            self.pos = self.data.len();
            return None;
        }
        Some(Instruction {
            operator: self.operator.as_ref(),
            operands: &self.operands,
            items: &self.items,
            bytes: &self.bytes,
        })
    }

    fn read_instruction(&mut self) -> Option<()> {
        let data = self.data;
        loop {
            self.skip_white_space_and_comments();
            let first = *data.get(self.pos)?;
            match first {
                b'.' | b'+' | b'-' | b'0'..=b'9' => match read_content_number(data, self.pos) {
                    Some((number, end)) => {
                        self.pos = end;
                        self.push(Operand::Number(number))?;
                    }
                    None => self.general()?,
                },
                b'/' => {
                    let start = self.pos + 1;
                    let end = start
                        + data[start..]
                            .iter()
                            .position(|&b| !is_regular(b))
                            .unwrap_or(data.len() - start);
                    self.pos = end;
                    // A name with a bad escape ends the stream there.
                    self.push(Operand::Name(Name::new(&data[start..end])?))?;
                }
                // A string; `<<` opens a dictionary.
                b'(' | b'<' if first == b'(' || data.get(self.pos + 1) != Some(&b'<') => {
                    let start = self.bytes.len();
                    let end = if first == b'(' {
                        show_array::literal(data, self.pos + 1, &mut self.bytes)
                    } else {
                        show_array::hex(data, self.pos + 1, &mut self.bytes)
                    };
                    match end {
                        Some(end) => {
                            self.pos = end;
                            self.push(Operand::Text(start..self.bytes.len()))?;
                        }
                        None => {
                            self.bytes.truncate(start);
                            self.general()?;
                        }
                    }
                }
                b'[' => {
                    let (items, bytes) = (self.items.len(), self.bytes.len());
                    match show_array::read(data, self.pos, &mut self.items, &mut self.bytes) {
                        Some(end) => {
                            self.pos = end;
                            self.push(Operand::Show(items..self.items.len()))?;
                        }
                        None => {
                            self.items.truncate(items);
                            self.bytes.truncate(bytes);
                            self.general()?;
                        }
                    }
                }
                b'<' => self.general()?,
                _ => return self.read_operator(),
            }
        }
    }

    /// One more operand; `None` past the limit.
    #[inline(always)]
    fn push(&mut self, operand: Operand<'a>) -> Option<()> {
        if self.operands.len() >= MAX_OPERANDS {
            return None;
        }
        self.operands.push(operand);
        Some(())
    }

    /// The token at the current place read by hayro-syntax's lexer.
    fn general(&mut self) -> Option<()> {
        let (token, end) = read_content_token(self.data, self.pos)?;
        self.pos = end;
        match token {
            ContentToken::Operand(object) => self.push(Operand::Object(object)),
            // A token skipped as an operator drops the operands before it.
            ContentToken::Skipped => {
                self.operands.clear();
                Some(())
            }
        }
    }

    fn read_operator(&mut self) -> Option<()> {
        let data = self.data;
        let start = self.pos;
        let end = start
            + data[start..]
                .iter()
                .position(|&b| !is_regular(b))
                .unwrap_or(data.len() - start);
        if end == start {
            return None;
        }
        self.pos = end;
        self.operator = Name::new(&data[start..end])?;
        if self.operator.as_ref() == b"BI" {
            let (end, image) = skip_inline_image(data, self.pos)?;
            if image && self.operands.len() >= MAX_OPERANDS {
                return None;
            }
            self.pos = end;
        }
        Some(())
    }

    fn skip_white_space_and_comments(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                self.pos += self.data[self.pos..]
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(self.data.len() - self.pos);
            } else {
                return;
            }
        }
    }
}

impl<'l, 'a> Instruction<'l, 'a> {
    /// The operator with its operands checked.
    #[inline]
    pub fn op(&self) -> Op<'l, 'a> {
        use Op as O;
        let numbers2 = || self.numbers::<2>();
        let numbers4 = || self.numbers::<4>();
        let numbers6 = || self.numbers::<6>();
        let number = || self.numbers::<1>().map(|[n]| n);
        let op = match self.operator {
            b"q" => Some(O::Save),
            b"Q" => Some(O::Restore),
            b"cm" => numbers6().map(O::Transform),
            b"m" => Some(numbers2().map_or(O::BrokenPath, O::MoveTo)),
            b"l" => Some(numbers2().map_or(O::BrokenPath, O::LineTo)),
            b"c" => Some(numbers6().map_or(O::BrokenPath, O::CubicTo)),
            b"v" => Some(numbers4().map_or(O::BrokenPath, O::CubicStartTo)),
            b"y" => Some(numbers4().map_or(O::BrokenPath, O::CubicEndTo)),
            b"re" => Some(numbers4().map_or(O::BrokenPath, O::Rect)),
            b"h" => Some(O::ClosePath),
            b"S" => Some(O::Stroke),
            b"s" => Some(O::CloseAndStroke),
            b"f" | b"F" | b"f*" => Some(O::Fill),
            b"B" | b"B*" => Some(O::FillAndStroke),
            b"b" | b"b*" => Some(O::CloseFillAndStroke),
            b"n" => Some(O::EndPath),
            b"W" | b"W*" => Some(O::Clip),
            b"sh" => self.name().map(|_| O::Shading),
            b"Do" => self.name().map(O::XObject),
            b"BMC" => self.name().map(|_| O::BeginMarkedContent),
            b"BDC" => self.last::<2>().and_then(|[tag, properties]| {
                tag.name()
                    .map(|_| O::BeginMarkedContentWithProperties(properties))
            }),
            b"EMC" => Some(O::EndMarkedContent),
            b"BT" => Some(O::BeginText),
            b"ET" => Some(O::EndText),
            b"Tm" => numbers6().map(O::TextMatrix),
            b"Tf" => self
                .last::<2>()
                .and_then(|[name, size]| Some(O::TextFont(name.name()?, size.number()?))),
            b"gs" => self.name().map(O::GraphicsState),
            b"Tc" => number().map(O::CharSpacing),
            b"Tw" => number().map(O::WordSpacing),
            b"Tz" => number().map(O::HorizontalScaling),
            b"TL" => number().map(O::Leading),
            b"Ts" => number().map(O::Rise),
            b"Tr" => number().map(O::RenderMode),
            b"Td" => numbers2().map(O::NextLine),
            b"TD" => numbers2().map(O::NextLineAndSetLeading),
            b"T*" => Some(O::NextLineUsingLeading),
            b"Tj" => self
                .last::<1>()
                .and_then(|[s]| self.text(s))
                .map(O::ShowText),
            b"'" => self
                .last::<1>()
                .and_then(|[s]| self.text(s))
                .map(O::NextLineAndShowText),
            b"\"" => self.last::<3>().and_then(|[w, c, s]| {
                Some(O::ShowTextWithParameters(
                    w.number()?,
                    c.number()?,
                    self.text(s)?,
                ))
            }),
            b"TJ" => match self.last::<1>() {
                Some([Operand::Show(range)]) => {
                    Some(O::ShowArray(&self.items[range.clone()], self.bytes))
                }
                Some([Operand::Object(Object::Array(array))]) => Some(O::ShowObjects(array)),
                _ => None,
            },
            _ => None,
        };
        op.unwrap_or(O::Other)
    }

    /// The last `N` operands, when there are that many.
    fn last<const N: usize>(&self) -> Option<&'l [Operand<'a>; N]> {
        let from = self.operands.len().checked_sub(N)?;
        self.operands[from..].try_into().ok()
    }

    fn numbers<const N: usize>(&self) -> Option<[Number; N]> {
        let operands = self.last::<N>()?;
        let mut numbers = [Number::from_i32(0); N];
        for (number, operand) in numbers.iter_mut().zip(operands) {
            *number = operand.number()?;
        }
        Some(numbers)
    }

    fn name(&self) -> Option<&'l Name<'a>> {
        self.last::<1>()?[0].name()
    }

    /// A string operand's decoded bytes.
    fn text(&self, operand: &'l Operand<'a>) -> Option<&'l [u8]> {
        match operand {
            Operand::Text(range) => Some(&self.bytes[range.clone()]),
            Operand::Object(Object::String(s)) => Some(s.as_bytes()),
            _ => None,
        }
    }
}

impl<'a> Operand<'a> {
    fn number(&self) -> Option<Number> {
        match self {
            Operand::Number(n) | Operand::Object(Object::Number(n)) => Some(*n),
            _ => None,
        }
    }

    fn name(&self) -> Option<&Name<'a>> {
        match self {
            Operand::Name(name) | Operand::Object(Object::Name(name)) => Some(name),
            _ => None,
        }
    }
}

/// Neither white space nor a delimiter: a byte of a name or an operator.
fn is_regular(b: u8) -> bool {
    !is_white_space(b)
        && !matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use hayro_font::hayro_syntax::content::ops::TypedInstruction as I;
    use hayro_font::hayro_syntax::content::TypedIter;
    use hayro_font::hayro_syntax::object::dict::keys::SUBTYPE;
    use hayro_font::hayro_syntax::object::{Name, Object, Stream};
    use hayro_font::hayro_syntax::Pdf;

    use super::super::show_array::{self, ShowItem};
    use super::{Lexer, Op, Operand};

    /// What the interpreter is given, written out: one line per operator
    /// it acts on.
    fn ours(content: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        let mut lexer = Lexer::new(content);
        while let Some(instruction) = lexer.next() {
            let line = match instruction.op() {
                Op::BrokenPath => break,
                Op::Other => continue,
                Op::Save => "q".into(),
                Op::Restore => "Q".into(),
                Op::Transform(m) => format!("cm {m:?}"),
                Op::MoveTo(m) => format!("m {m:?}"),
                Op::LineTo(m) => format!("l {m:?}"),
                Op::CubicTo(m) => format!("c {m:?}"),
                Op::CubicStartTo(m) => format!("v {m:?}"),
                Op::CubicEndTo(m) => format!("y {m:?}"),
                Op::Rect(m) => format!("re {m:?}"),
                Op::ClosePath => "h".into(),
                Op::Stroke => "S".into(),
                Op::CloseAndStroke => "s".into(),
                Op::Fill => "f".into(),
                Op::FillAndStroke => "B".into(),
                Op::CloseFillAndStroke => "b".into(),
                Op::EndPath => "n".into(),
                Op::Clip => "W".into(),
                Op::Shading => "sh".into(),
                Op::XObject(name) => format!("Do {name:?}"),
                Op::BeginMarkedContent => "BMC".into(),
                Op::BeginMarkedContentWithProperties(properties) => {
                    let properties = match properties {
                        Operand::Name(name) => properties_of(&Object::Name(name.clone())),
                        Operand::Object(object) => properties_of(object),
                        _ => "other".into(),
                    };
                    format!("BDC {properties}")
                }
                Op::EndMarkedContent => "EMC".into(),
                Op::BeginText => "BT".into(),
                Op::EndText => "ET".into(),
                Op::TextMatrix(m) => format!("Tm {m:?}"),
                Op::TextFont(name, size) => format!("Tf {name:?} {size:?}"),
                Op::GraphicsState(name) => format!("gs {name:?}"),
                Op::CharSpacing(n) => format!("Tc {n:?}"),
                Op::WordSpacing(n) => format!("Tw {n:?}"),
                Op::HorizontalScaling(n) => format!("Tz {n:?}"),
                Op::Leading(n) => format!("TL {n:?}"),
                Op::Rise(n) => format!("Ts {n:?}"),
                Op::RenderMode(n) => format!("Tr {n:?}"),
                Op::NextLine(m) => format!("Td {m:?}"),
                Op::NextLineAndSetLeading(m) => format!("TD {m:?}"),
                Op::NextLineUsingLeading => "T*".into(),
                Op::ShowText(text) => format!("Tj {text:?}"),
                Op::NextLineAndShowText(text) => format!("' {text:?}"),
                Op::ShowTextWithParameters(w, c, text) => format!("\" {w:?} {c:?} {text:?}"),
                Op::ShowArray(items, bytes) => format!("TJ {}", show_items(items, bytes)),
                Op::ShowObjects(array) => format!("TJ {}", objects(array)),
            };
            lines.push(line);
        }
        lines
    }

    /// The same from hayro-syntax's typed iterator, with the `TJ` arrays
    /// read as the interpreter read them from it.
    fn theirs(content: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        let mut ops = TypedIter::new(content);
        while let Some(op) = ops.next() {
            let line = match op {
                I::SaveState(_) => "q".into(),
                I::RestoreState(_) => "Q".into(),
                I::Transform(t) => format!("cm {:?}", [t.0, t.1, t.2, t.3, t.4, t.5]),
                I::MoveTo(t) => format!("m {:?}", [t.0, t.1]),
                I::LineTo(t) => format!("l {:?}", [t.0, t.1]),
                I::CubicTo(t) => format!("c {:?}", [t.0, t.1, t.2, t.3, t.4, t.5]),
                I::CubicStartTo(t) => format!("v {:?}", [t.0, t.1, t.2, t.3]),
                I::CubicEndTo(t) => format!("y {:?}", [t.0, t.1, t.2, t.3]),
                I::RectPath(t) => format!("re {:?}", [t.0, t.1, t.2, t.3]),
                I::ClosePath(_) => "h".into(),
                I::StrokePath(_) => "S".into(),
                I::CloseAndStrokePath(_) => "s".into(),
                I::FillPathNonZero(_)
                | I::FillPathNonZeroCompatibility(_)
                | I::FillPathEvenOdd(_) => "f".into(),
                I::FillAndStrokeNonZero(_) | I::FillAndStrokeEvenOdd(_) => "B".into(),
                I::CloseFillAndStrokeNonZero(_) | I::CloseFillAndStrokeEvenOdd(_) => "b".into(),
                I::EndPath(_) => "n".into(),
                I::ClipNonZero(_) | I::ClipEvenOdd(_) => "W".into(),
                I::Shading(_) => "sh".into(),
                I::XObject(x) => format!("Do {:?}", x.0),
                I::BeginMarkedContent(_) => "BMC".into(),
                I::BeginMarkedContentWithProperties(b) => format!("BDC {}", properties_of(b.1)),
                I::EndMarkedContent(_) => "EMC".into(),
                I::BeginText(_) => "BT".into(),
                I::EndText(_) => "ET".into(),
                I::SetTextMatrix(t) => format!("Tm {:?}", [t.0, t.1, t.2, t.3, t.4, t.5]),
                I::TextFont(t) => format!("Tf {:?} {:?}", t.0, t.1),
                I::SetGraphicsState(g) => format!("gs {:?}", g.0),
                I::CharacterSpacing(n) => format!("Tc {:?}", n.0),
                I::WordSpacing(n) => format!("Tw {:?}", n.0),
                I::HorizontalScaling(n) => format!("Tz {:?}", n.0),
                I::TextLeading(n) => format!("TL {:?}", n.0),
                I::TextRise(n) => format!("Ts {:?}", n.0),
                I::TextRenderingMode(n) => format!("Tr {:?}", n.0),
                I::NextLine(t) => format!("Td {:?}", [t.0, t.1]),
                I::NextLineAndSetLeading(t) => format!("TD {:?}", [t.0, t.1]),
                I::NextLineUsingLeading(_) => "T*".into(),
                I::ShowText(s) => format!("Tj {:?}", s.0.as_bytes()),
                I::NextLineAndShowText(s) => format!("' {:?}", s.0.as_bytes()),
                I::ShowTextWithParameters(t) => {
                    format!("\" {:?} {:?} {:?}", t.0, t.1, t.2.as_bytes())
                }
                I::ShowTexts(s) => {
                    let data = s.0.data();
                    let inner = data.strip_prefix(b"[").unwrap_or(data);
                    let inner = inner.strip_suffix(b"]").unwrap_or(inner);
                    let bracketed = [b"[", inner, b"]"].concat();
                    let (mut items, mut bytes) = (Vec::new(), Vec::new());
                    match show_array::read(&bracketed, 0, &mut items, &mut bytes) {
                        Some(end) if end == bracketed.len() => {
                            format!("TJ {}", show_items(&items, &bytes))
                        }
                        _ => format!("TJ {}", objects(s.0)),
                    }
                }
                _ => continue,
            };
            lines.push(line);
        }
        lines
    }

    fn properties_of(object: &Object<'_>) -> String {
        match object {
            Object::Name(name) => format!("{name:?}"),
            Object::Dict(dict) => format!("{:?}", dict.keys().collect::<Vec<_>>()),
            _ => "other".into(),
        }
    }

    fn show_items(items: &[ShowItem], bytes: &[u8]) -> String {
        let items: Vec<String> = items
            .iter()
            .map(|item| match item {
                ShowItem::Text(range) => format!("{:?}", &bytes[range.clone()]),
                ShowItem::Adjust(n) => format!("{}", n.to_bits()),
            })
            .collect();
        items.join(" ")
    }

    fn objects(array: &hayro_font::hayro_syntax::object::Array<'_>) -> String {
        let items: Vec<String> = array
            .iter::<Object<'_>>()
            .filter_map(|item| match item {
                Object::Number(n) => Some(format!("{}", n.as_f32().to_bits())),
                Object::String(s) => Some(format!("{:?}", s.as_bytes())),
                _ => None,
            })
            .collect();
        items.join(" ")
    }

    fn same(content: &[u8], what: &str) {
        let (ours, theirs) = (ours(content), theirs(content));
        if ours != theirs {
            let at = ours.iter().zip(&theirs).position(|(a, b)| a != b);
            let at = at.unwrap_or(ours.len().min(theirs.len()));
            panic!(
                "{what}: operator {at} differs: {:?} against hayro-syntax's {:?} ({} and {} operators)",
                ours.get(at),
                theirs.get(at),
                ours.len(),
                theirs.len()
            );
        }
    }

    #[test]
    fn reads_odd_and_broken_streams_as_hayro_syntax_does() {
        let streams: &[&[u8]] = &[
            b"BT /F1 12 Tf 72 700 Td (Hello) Tj [(W) -250 <6F72> 12.5 (ld)] TJ ET",
            b"q 1 0 0 1 0 0 cm 0 0 m 10 10 l h S Q",
            // Operands of a path operator missing: nothing after is read.
            b"0 0 m 10 l 5 5 m (never) Tj",
            // Other operators with operands missing or of the wrong kind.
            b"BT 12 Tf /F1 Tj (x) 3 Tf (y) Tj /F1 9 Tf (z) Tj ET",
            // Extra operands: the last ones count.
            b"1 2 3 4 5 6 7 cm 9 /F2 8 Tf (a) (b) Tj",
            // A number run into a letter is skipped with what came before.
            b"1 2 3abc 4 5 Td (t) Tj",
            // Numbers of odd forms.
            b"+.5 -3. 0000000000000000000001 12345678901234567890 Td 1e3 2 Td --1 2 Td",
            // Escapes, nested parentheses, line ends, octal.
            b"(a\\(b\\)c (nested) \\101\\7\\\r\nd\r\ne\\q) Tj <48 65 6c6C 6> Tj <> Tj <4G> Tj",
            // Names with escapes, a bad escape, an empty name.
            b"/F#31 9 Tf (a) Tj / 9 Tf (b) Tj /Im#20x Do /Bad#zz Do (c) Tj",
            // Arrays that are not simple, nested, or with names.
            b"[(a) /N (b)] TJ [[1] (c)] TJ [(d) % comment\n -5 (e)] TJ [1-2 (f)] TJ",
            // Dictionaries and marked content.
            b"/OC /L1 BDC EMC /Span << /ActualText (x) /MCID 3 >> BDC EMC /P BMC EMC 3 BMC",
            // An inline image, its data holding 'EI' and binary bytes.
            b"q BI /W 2 /H 2 /CS /G /BPC 8 ID \x00EI\xff\x01 EI Q (after) Tj",
            // Booleans, null and braces.
            b"true false null (t) Tj { 1 2 Td } (u) Tj",
            // Stray delimiters end the stream.
            b"(a) Tj ) (b) Tj",
            b"(a) Tj ] (b) Tj",
            b"(a) Tj > (b) Tj",
            // Unterminated tokens.
            b"(a) Tj (open",
            b"(a) Tj <41",
            b"(a) Tj [(x) 2",
            b"(a) Tj << /A 1",
            // Comments anywhere.
            b"%c\r(a)%c\nTj%c",
            // The 33-operand limit.
            &[&b"1 "[..]; 40].concat(),
            &[&[&b"1 "[..]; 32].concat()[..], b"(ok) Tj"].concat(),
            &[&[&b"1 "[..]; 33].concat()[..], b"BI /W 1 ID x EI (ok) Tj"].concat(),
            b"",
            b"   ",
        ];
        for content in streams {
            same(content, &String::from_utf8_lossy(content));
        }
    }

    #[test]
    fn reads_random_token_soup_as_hayro_syntax_does() {
        // Streams made of pieces of tokens, valid or not, in any order: a
        // small xorshift generator, seeded, so that a failure repeats.
        const PIECES: &[&[u8]] = &[
            b" ",
            b"\n",
            b"\r",
            b"\t",
            b"\0",
            b"%c\n",
            b"0",
            b"12",
            b"-3.5",
            b".5",
            b"+",
            b"-",
            b"1.2.3",
            b"1e5",
            b"99999999999999999999",
            b"/F1",
            b"/A#41",
            b"/B#zz",
            b"/",
            b"(",
            b")",
            b"(ab)",
            b"(a\\)b)",
            b"\\",
            b"<",
            b">",
            b"<41>",
            b"<4 1>",
            b"<4G>",
            b"<<",
            b">>",
            b"[",
            b"]",
            b"[(a) -20 (b)]",
            b"{",
            b"}",
            b"Tf",
            b"Tj",
            b"TJ",
            b"'",
            b"\"",
            b"cm",
            b"m",
            b"l",
            b"c",
            b"v",
            b"y",
            b"re",
            b"h",
            b"S",
            b"f*",
            b"W",
            b"n",
            b"q",
            b"Q",
            b"BT",
            b"ET",
            b"Td",
            b"TD",
            b"Tm",
            b"T*",
            b"Tc",
            b"Tw",
            b"Tz",
            b"TL",
            b"Ts",
            b"Tr",
            b"Do",
            b"gs",
            b"sh",
            b"BMC",
            b"BDC",
            b"EMC",
            b"BI",
            b"ID",
            b"EI",
            b"true",
            b"null",
            b"T#6a",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let len = 1 + next() % 40;
            let mut content = Vec::new();
            for _ in 0..len {
                content.extend_from_slice(PIECES[(next() % PIECES.len() as u64) as usize]);
                if next() % 3 > 0 {
                    content.push(b' ');
                }
            }
            same(&content, &String::from_utf8_lossy(&content));
        }
    }

    /// The page content streams, and the forms they paint, of every PDF in
    /// `dir` (and below).
    fn pdf_streams(dir: &Path, visit: &mut dyn FnMut(&Path, &[u8])) {
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(_) => return,
        };
        paths.sort();
        for path in paths {
            if path.is_dir() {
                pdf_streams(&path, visit);
                continue;
            }
            if !path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                continue;
            }
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let Ok(pdf) = std::panic::catch_unwind(|| Pdf::new(data)) else {
                continue;
            };
            let Ok(pdf) = pdf else {
                continue;
            };
            for page in pdf.pages().iter().take(50) {
                if let Some(content) = page.page_stream() {
                    visit(&path, content);
                }
                let forms = &page.resources().x_objects;
                for name in forms.keys().collect::<Vec<Name<'_>>>() {
                    let Some(form) = forms.get::<Stream<'_>>(&name) else {
                        continue;
                    };
                    let is_form = form
                        .dict()
                        .get::<Name<'_>>(SUBTYPE)
                        .is_some_and(|s| s.as_ref() == b"Form");
                    if let (true, Ok(content)) = (is_form, form.decoded_data()) {
                        visit(&path, &content);
                    }
                }
            }
        }
    }

    #[test]
    fn reads_every_stream_of_the_corpus_pdfs_as_hayro_syntax_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut streams = 0;
        for dir in ["corpus", "tests/data", "../shared/corpora"] {
            pdf_streams(&root.join(dir), &mut |path, content| {
                streams += 1;
                same(content, &path.display().to_string());
            });
        }
        assert!(streams > 100, "{streams} streams");
    }
}
