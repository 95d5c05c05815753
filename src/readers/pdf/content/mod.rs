//! The content-stream interpreter: walks a page's operators, the Form
//! XObjects it paints and its annotations' appearance streams, keeping only
//! the state that places text and paths (transformation, text state, clip
//! box, optional content), and hands each glyph and path to the `Collector`.
//! Nothing is rendered: fonts are read for their codes, widths and Unicode
//! (`fonts`), never for outlines, and colours, images and shadings are
//! skipped. (msq used hayro-interpret, a renderer's interpreter, until it
//! was measured to spend two thirds of the reading time on what text
//! extraction does not need; README, Benchmarks.)

mod fonts;
mod lexer;
mod optional;
mod show_array;

use std::cell::RefCell;
use std::rc::Rc;

use hayro_font::hayro_syntax::object::dict::keys::{
    AP, AS, BBOX, F, FONT, MATRIX, N, OC, RECT, RESOURCES, SUBTYPE, TYPE,
};
use hayro_font::hayro_syntax::object::{
    dict_or_stream, Array, Dict, Name, Number, Object, ObjectIdentifier, Rect, Stream,
};
use hayro_font::hayro_syntax::page::{Page, Resources};
use hayro_font::kurbo::{Affine, BezPath, PathEl, Point, Shape as _};
use rustc_hash::FxHashMap;

use self::fonts::{FontStore, TextFont, PER_UNIT};
use self::lexer::{Lexer, Op, Operand};
use self::optional::{HiddenGroups, OptionalContent};
use self::show_array::ShowItem;
use super::device::{Collector, GlyphSpace, TextPaint};
use super::layout::union;

/// Form XObjects inside Form XObjects deeper than this are not drawn (a
/// form that paints itself would otherwise never end).
const MAX_FORM_DEPTH: u32 = 32;
/// Graphics states saved (`q`) and not yet restored, at most; further saves
/// are counted but not copied, so a stream of `q`s cannot exhaust memory.
const MAX_SAVED_STATES: usize = 1024;
/// Below this size (points) a filled path has no area: viewers draw it as a
/// hairline, and so is it recorded (as a rule, or a stroke).
const NO_AREA: f64 = 1.0 / 4096.0;

/// What one document's pages share: its fonts, its forms' decoded content,
/// and what each resource dictionary's names stand for (a name is looked up
/// and its object parsed once, not at every `Tf` or `Do`).
pub struct DocumentResources<'a> {
    fonts: FontStore<'a>,
    hidden: HiddenGroups,
    forms: RefCell<FxHashMap<ObjectIdentifier, Option<Rc<[u8]>>>>,
    fonts_by_name: NameCache<Option<Option<Rc<TextFont<'a>>>>>,
    xobjects_by_name: NameCache<Option<Stream<'a>>>,
}

/// Values by resource dictionary and name. A dictionary is known by where
/// its bytes lie: they live as long as the document, so no two
/// dictionaries share a place.
struct NameCache<T>(RefCell<FxHashMap<DictPlace, NamedValues<T>>>);

type NamedValues<T> = FxHashMap<Box<[u8]>, T>;

/// Where a dictionary's bytes start, and how many there are.
type DictPlace = (usize, usize);

impl<T> Default for NameCache<T> {
    fn default() -> Self {
        NameCache(RefCell::default())
    }
}

impl<T: Clone> NameCache<T> {
    fn get(&self, dict: &Dict<'_>, name: &[u8], load: impl FnOnce() -> T) -> T {
        let place = (dict.data().as_ptr() as usize, dict.data().len());
        if let Some(value) = self
            .0
            .borrow()
            .get(&place)
            .and_then(|names| names.get(name))
        {
            return value.clone();
        }
        let value = load();
        self.0
            .borrow_mut()
            .entry(place)
            .or_default()
            .insert(name.into(), value.clone());
        value
    }
}

impl<'a> DocumentResources<'a> {
    /// The resources of the document whose catalog is `catalog`.
    pub fn new(catalog: Option<Dict<'a>>) -> Self {
        DocumentResources {
            fonts: FontStore::default(),
            hidden: HiddenGroups::from_catalog(catalog),
            forms: RefCell::default(),
            fonts_by_name: NameCache::default(),
            xobjects_by_name: NameCache::default(),
        }
    }

    /// The font a resource name stands for: `None` when the resources have
    /// no such font, `Some(None)` when they have one that cannot be read.
    fn font_named(
        &self,
        resources: &Resources<'a>,
        name: &Name<'_>,
    ) -> Option<Option<Rc<TextFont<'a>>>> {
        self.fonts_by_name.get(&resources.fonts, name.as_ref(), || {
            resources.get_font(name).map(|dict| self.fonts.font(&dict))
        })
    }

    fn xobject_named(&self, resources: &Resources<'a>, name: &Name<'_>) -> Option<Stream<'a>> {
        self.xobjects_by_name
            .get(&resources.x_objects, name.as_ref(), || {
                resources.get_x_object(name)
            })
    }

    fn form_content(&self, stream: &Stream<'a>) -> Option<Rc<[u8]>> {
        let id = stream.obj_id();
        if let Some(content) = self.forms.borrow().get(&id) {
            return content.clone();
        }
        let content: Option<Rc<[u8]>> = stream.decoded_data().ok().map(|d| Rc::from(&*d));
        self.forms.borrow_mut().insert(id, content.clone());
        content
    }
}

/// Which parts of a page are drawn in one pass.
#[derive(Clone, Copy)]
pub enum PagePart<'p, 'a> {
    /// The page's own content streams.
    Content,
    /// The normal appearances of its annotations (form fields, stamps,
    /// notes), the page's `Annots` resolved.
    Annotations(&'p [Dict<'a>]),
}

/// Draws one part of a page into `out`.
pub fn draw<'a>(
    page: &Page<'a>,
    part: PagePart<'_, 'a>,
    resources: &DocumentResources<'a>,
    out: &mut Collector,
) {
    let media = page.media_box();
    let mut walker = Walker {
        resources,
        optional: OptionalContent::new(&resources.hidden),
        out,
        state: State::default(),
        saved: Vec::new(),
        unsaved: 0,
        path: Path::default(),
        depth: 0,
        text_clip: None,
        last_glyph_space: None,
        page_box: [
            media.x0 as f32,
            media.y0 as f32,
            media.x1 as f32,
            media.y1 as f32,
        ],
    };
    match part {
        PagePart::Content => {
            if let Some(content) = page.page_stream() {
                walker.interpret(content, page.resources());
            }
        }
        PagePart::Annotations(annotations) => {
            for annotation in annotations {
                walker.draw_annotation(annotation, page.resources());
            }
        }
    }
}

/// Graphics state, the text state with it.
#[derive(Clone)]
struct State<'a> {
    ctm: Affine,
    /// Bounding box of the clip in force, in user space of the page.
    clip: Option<[f32; 4]>,
    font: Option<Rc<TextFont<'a>>>,
    /// The font is Helvetica standing in for none or a missing one: only
    /// ASCII strings are shown with it.
    stand_in_font: bool,
    font_size: f32,
    char_space: f32,
    word_space: f32,
    /// Horizontal scaling as a factor (`Tz` 100 is 1).
    scaling: f32,
    leading: f32,
    rise: f32,
    render_mode: i64,
    text_matrix: Affine,
    line_matrix: Affine,
}

impl Default for State<'_> {
    fn default() -> Self {
        State {
            ctm: Affine::IDENTITY,
            clip: None,
            font: None,
            stand_in_font: false,
            font_size: 1.0,
            char_space: 0.0,
            word_space: 0.0,
            scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
            text_matrix: Affine::IDENTITY,
            line_matrix: Affine::IDENTITY,
        }
    }
}

/// The path being built, in page space.
#[derive(Default)]
struct Path {
    path: BezPath,
    start: Point,
    last: Point,
    /// `W` or `W*` seen: the path clips once painted.
    clips: bool,
}

struct Walker<'a, 'w> {
    resources: &'w DocumentResources<'a>,
    optional: OptionalContent<'w>,
    out: &'w mut Collector,
    state: State<'a>,
    saved: Vec<State<'a>>,
    unsaved: usize,
    path: Path,
    depth: u32,
    /// Bounding box of the glyphs shown in a clipping text mode since `BT`.
    text_clip: Option<[f32; 4]>,
    page_box: [f32; 4],
    /// The glyph space of the last string shown, by its linear map: the
    /// strings of a line, and mostly of a page, share one.
    last_glyph_space: Option<([f64; 4], Option<GlyphSpace>)>,
}

impl<'a> Walker<'a, '_> {
    fn interpret(&mut self, content: &[u8], resources: &Resources<'a>) {
        let outer_state = self.state.clone();
        let outer_saved = self.saved.len();
        let outer_unsaved = self.unsaved;
        let mut lexer = Lexer::new(content);
        while let Some(instruction) = lexer.next() {
            match instruction.op() {
                Op::BrokenPath => break,
                op => self.apply(op, resources),
            }
        }
        // Neither a path nor saved states outlive the stream they began in.
        self.path = Path::default();
        self.saved.truncate(outer_saved);
        self.unsaved = outer_unsaved;
        self.state = outer_state;
    }

    fn apply(&mut self, op: Op<'_, '_>, resources: &Resources<'a>) {
        let point = |[x, y]: [Number; 2]| Point::new(x.as_f64(), y.as_f64());
        match op {
            Op::Save => self.save(),
            Op::Restore => self.restore(),
            Op::Transform(m) => self.state.ctm *= matrix(m),
            Op::MoveTo(m) => self.move_to(point(m)),
            Op::LineTo(l) => {
                let p = self.state.ctm * point(l);
                if !self.path.path.elements().is_empty() {
                    self.path.path.line_to(p);
                    self.path.last = p;
                }
            }
            Op::CubicTo([x1, y1, x2, y2, x3, y3]) => {
                self.curve_to(Some(point([x1, y1])), point([x2, y2]), point([x3, y3]))
            }
            Op::CubicStartTo([x2, y2, x3, y3]) => {
                self.curve_to(None, point([x2, y2]), point([x3, y3]))
            }
            Op::CubicEndTo([x1, y1, x3, y3]) => {
                let end = point([x3, y3]);
                self.curve_to(Some(point([x1, y1])), end, end);
            }
            Op::Rect(r) => {
                let [x, y, w, h] = r.map(|n| n.as_f64());
                let ctm = self.state.ctm;
                let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                    .map(|(x, y)| ctm * Point::new(x, y));
                self.path.path.move_to(corners[0]);
                for c in &corners[1..] {
                    self.path.path.line_to(*c);
                }
                self.path.path.close_path();
                self.path.start = corners[0];
                self.path.last = corners[0];
            }
            Op::ClosePath => self.close_path(),
            Op::Stroke => self.paint(true, false),
            Op::CloseAndStroke => {
                self.close_path();
                self.paint(true, false);
            }
            Op::Fill => self.paint(false, true),
            Op::FillAndStroke => self.paint(true, true),
            Op::CloseFillAndStroke => {
                self.close_path();
                self.paint(true, true);
            }
            Op::EndPath => self.paint(false, false),
            Op::Clip => self.path.clips = true,
            Op::Shading => {
                // A shading fills the clip: a gradient box is a box.
                if let (Some(c), true) = (self.state.clip, self.optional.is_visible()) {
                    let mut path = BezPath::new();
                    path.move_to((f64::from(c[0]), f64::from(c[1])));
                    path.line_to((f64::from(c[2]), f64::from(c[1])));
                    path.line_to((f64::from(c[2]), f64::from(c[3])));
                    path.line_to((f64::from(c[0]), f64::from(c[3])));
                    path.close_path();
                    self.out.paint_path(&path, false, true);
                }
            }
            Op::XObject(name) => {
                if let Some(stream) = self.resources.xobject_named(resources, name) {
                    let is_form = stream
                        .dict()
                        .get::<Name<'_>>(SUBTYPE)
                        .is_some_and(|s| s.as_ref() == b"Form");
                    if is_form {
                        self.draw_form(&stream, resources);
                    }
                }
            }
            Op::BeginMarkedContentWithProperties(properties) => {
                self.begin_marked_content(properties, resources)
            }
            Op::BeginMarkedContent => self.optional.begin(),
            Op::EndMarkedContent => self.optional.end(),
            Op::BeginText => {
                self.state.text_matrix = Affine::IDENTITY;
                self.state.line_matrix = Affine::IDENTITY;
                self.text_clip = None;
            }
            Op::EndText => {
                if let Some(clip) = self.text_clip.take() {
                    self.clip_to(clip);
                }
            }
            Op::TextMatrix(m) => {
                let m = matrix(m);
                self.state.text_matrix = m;
                self.state.line_matrix = m;
            }
            Op::TextFont(name, size) => {
                let font = match self.resources.font_named(resources, name) {
                    Some(font) => {
                        self.state.stand_in_font = false;
                        font
                    }
                    None => {
                        self.state.stand_in_font = true;
                        self.resources.fonts.fallback()
                    }
                };
                self.state.font = font;
                self.state.font_size = size.as_f32();
            }
            Op::GraphicsState(name) => {
                // Of a graphics state's parameters only its font places text.
                let font = resources
                    .get_ext_g_state(name)
                    .and_then(|gs| gs.get::<Array<'_>>(FONT));
                if let Some(font) = font {
                    let mut entries = font.iter::<Object<'_>>();
                    if let (Some(Object::Dict(dict)), Some(Object::Number(size))) =
                        (entries.next(), entries.next())
                    {
                        self.state.font = self.resources.fonts.font(&dict);
                        self.state.stand_in_font = false;
                        self.state.font_size = size.as_f32();
                    }
                }
            }
            Op::CharSpacing(c) => self.state.char_space = c.as_f32(),
            Op::WordSpacing(w) => self.state.word_space = w.as_f32(),
            Op::HorizontalScaling(h) => self.state.scaling = h.as_f32() / 100.0,
            Op::Leading(l) => self.state.leading = l.as_f32(),
            Op::Rise(r) => self.state.rise = r.as_f32(),
            Op::RenderMode(r) => self.state.render_mode = r.as_i64(),
            Op::NextLine([x, y]) => self.next_line(x.as_f64(), y.as_f64()),
            Op::NextLineAndSetLeading([x, y]) => {
                self.state.leading = -y.as_f32();
                self.next_line(x.as_f64(), y.as_f64());
            }
            Op::NextLineUsingLeading => self.next_line(0.0, -f64::from(self.state.leading)),
            Op::ShowText(text) => self.show(text),
            Op::NextLineAndShowText(text) => {
                self.next_line(0.0, -f64::from(self.state.leading));
                self.show(text);
            }
            Op::ShowTextWithParameters(word_space, char_space, text) => {
                self.state.word_space = word_space.as_f32();
                self.state.char_space = char_space.as_f32();
                self.next_line(0.0, -f64::from(self.state.leading));
                self.show(text);
            }
            Op::ShowArray(items, bytes) => {
                self.ensure_font();
                self.append(items, bytes);
                self.end_run();
            }
            Op::ShowObjects(array) => {
                // An array of other things besides (rare): its strings and
                // numbers as a `TJ` array read by the lexer would give them.
                self.ensure_font();
                let (mut items, mut bytes) = (Vec::new(), Vec::new());
                for item in array.iter::<Object<'_>>() {
                    match item {
                        Object::Number(n) => items.push(ShowItem::Adjust(n.as_f32())),
                        Object::String(text) => {
                            let start = bytes.len();
                            bytes.extend_from_slice(text.as_bytes());
                            items.push(ShowItem::Text(start..bytes.len()));
                        }
                        _ => {}
                    }
                }
                self.append(&items, &bytes);
                self.end_run();
            }
            Op::BrokenPath | Op::Other => {}
        }
    }

    fn save(&mut self) {
        if self.saved.len() < MAX_SAVED_STATES {
            self.saved.push(self.state.clone());
        } else {
            self.unsaved += 1;
        }
    }

    fn restore(&mut self) {
        if self.unsaved > 0 {
            self.unsaved -= 1;
        } else if let Some(state) = self.saved.pop() {
            self.state = state;
        }
    }

    fn move_to(&mut self, p: Point) {
        let p = self.state.ctm * p;
        self.path.path.move_to(p);
        self.path.start = p;
        self.path.last = p;
    }

    /// A cubic curve; `first` is `None` for `v`, whose first control point
    /// is the current point.
    fn curve_to(&mut self, first: Option<Point>, second: Point, end: Point) {
        if self.path.path.elements().is_empty() {
            return;
        }
        let ctm = self.state.ctm;
        let first = first.map_or(self.path.last, |p| ctm * p);
        let end = ctm * end;
        self.path.path.curve_to(first, ctm * second, end);
        self.path.last = end;
    }

    fn close_path(&mut self) {
        let elements = self.path.path.elements();
        if !elements.is_empty() && elements.last() != Some(&PathEl::ClosePath) {
            self.path.path.close_path();
            self.path.last = self.path.start;
        }
    }

    /// Paints the path (or only ends it) and applies a pending clip.
    fn paint(&mut self, stroke: bool, fill: bool) {
        let path = std::mem::take(&mut self.path);
        if path.path.elements().is_empty() {
            return;
        }
        let bounds = path.path.bounding_box();
        if self.optional.is_visible() {
            if fill {
                if bounds.width() <= NO_AREA || bounds.height() <= NO_AREA {
                    let mut line = BezPath::new();
                    line.move_to((bounds.x0, bounds.y0));
                    line.line_to((bounds.x1, bounds.y1));
                    self.out.paint_path(&line, true, false);
                } else {
                    self.out.paint_path(&path.path, false, true);
                }
            }
            if stroke {
                self.out.paint_path(&path.path, true, false);
            }
        }
        if path.clips {
            self.clip_to([
                bounds.x0 as f32,
                bounds.y0 as f32,
                bounds.x1 as f32,
                bounds.y1 as f32,
            ]);
        }
    }

    /// Narrows the clip to a box; a box holding the whole page (or the
    /// clip already in force) changes nothing.
    fn clip_to(&mut self, b: [f32; 4]) {
        let current = self.state.clip.unwrap_or(self.page_box);
        let covers = b[0] <= current[0] + 0.01
            && b[1] <= current[1] + 0.01
            && b[2] >= current[2] - 0.01
            && b[3] >= current[3] - 0.01;
        if covers {
            return;
        }
        self.state.clip = Some(match self.state.clip {
            Some(c) => [
                c[0].max(b[0]),
                c[1].max(b[1]),
                c[2].min(b[2]),
                c[3].min(b[3]),
            ],
            None => b,
        });
    }

    fn next_line(&mut self, tx: f64, ty: f64) {
        let m = self.state.line_matrix * Affine::translate((tx, ty));
        self.state.line_matrix = m;
        self.state.text_matrix = m;
    }

    /// Text shown before any font is set is shown in Helvetica, as Acrobat does.
    fn ensure_font(&mut self) {
        if self.state.font.is_none() {
            self.state.font = self.resources.fonts.fallback();
            self.state.stand_in_font = true;
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        self.ensure_font();
        self.append(&[ShowItem::Text(0..bytes.len())], bytes);
        self.end_run();
    }

    /// Places the glyphs of one shown string, or of the strings of a `TJ`
    /// array with the numbers between them (`items`, their bytes in
    /// `bytes`), and moves the text position past them.
    fn append(&mut self, items: &[ShowItem], bytes: &[u8]) {
        let Some(font) = self.state.font.clone() else {
            return;
        };
        // Helvetica standing in for a missing font would turn a CID font's
        // two-byte codes into garbage.
        let stand_in = self.state.stand_in_font;
        let visible = self.optional.is_visible();
        let mode = self.state.render_mode;
        let invisible = mode == 3 || mode == 7;
        let clips = (4..=7).contains(&mode);
        let s = &self.state;
        let (size, scaling) = (f64::from(s.font_size), f64::from(s.scaling));
        // Within one string, or one array, the text matrix only moves: glyph
        // space maps to the page by one linear part, and each glyph's origin
        // is the pen position, in text space, mapped to the page.
        let text_to_page = s.ctm * s.text_matrix;
        let per_unit = f64::from(PER_UNIT);
        let linear =
            text_to_page * Affine::scale_non_uniform(size * scaling * per_unit, size * per_unit);
        let [a, b, c, d, _, _] = linear.as_coeffs();
        let glyph_space = match self.last_glyph_space {
            Some((last, space)) if last == [a, b, c, d] => space,
            _ => {
                let space = GlyphSpace::new([a, b, c, d]);
                self.last_glyph_space = Some(([a, b, c, d], space));
                space
            }
        };
        let (char_space, word_space, rise) = (s.char_space, s.word_space, f64::from(s.rise));
        let font_size = s.font_size;
        let mut pen = (0.0f64, 0.0f64);
        for item in items {
            let text = match item {
                ShowItem::Text(range) => &bytes[range.clone()],
                // A number: moves the next glyph back (thousandths of the
                // font size).
                ShowItem::Adjust(amount) => {
                    let shift = f64::from(-amount * PER_UNIT * font_size);
                    if font.horizontal {
                        pen.0 += shift * scaling;
                    } else {
                        pen.1 += shift;
                    }
                    continue;
                }
            };
            let shown = (!stand_in || text.is_ascii()) && visible;
            let mut offset = 0;
            while offset < text.len() {
                let (code, length) = font.read_code(text, offset);
                offset += length.max(1);
                let info = font.code(code);
                if let Some(glyph_space) =
                    glyph_space.as_ref().filter(|_| shown && !self.out.full())
                {
                    let at = Point::new(
                        pen.0 + size * scaling * per_unit * f64::from(info.displacement[0]),
                        pen.1 + rise + size * per_unit * f64::from(info.displacement[1]),
                    );
                    let glyph = glyph_space.glyph(
                        text_to_page * at,
                        info.advance[0],
                        info.text.clone(),
                        code,
                        font.symbol_font,
                        invisible,
                    );
                    if clips {
                        let b = glyph.bbox;
                        self.text_clip = Some(self.text_clip.map_or(b, |c| union(c, b)));
                    }
                    if self.in_clip(glyph.center) {
                        self.out.glyphs.push(glyph);
                    }
                }
                let word_space = if code == 32 && length == 1 {
                    word_space
                } else {
                    0.0
                };
                let step = |advance: f32| advance * PER_UNIT * font_size + char_space + word_space;
                if font.horizontal {
                    pen.0 += f64::from(step(info.advance[0])) * scaling;
                } else {
                    pen.1 += f64::from(step(info.advance[1]));
                }
            }
        }
        self.state.text_matrix *= Affine::translate(pen);
    }

    fn in_clip(&self, [x, y]: [f32; 2]) -> bool {
        self.state.clip.is_none_or(|c| {
            x >= c[0] - 1.0 && x <= c[2] + 1.0 && y >= c[1] - 1.0 && y <= c[3] + 1.0
        })
    }

    fn end_run(&mut self) {
        let paint = match self.state.render_mode {
            1 | 5 => TextPaint::Stroke,
            2 | 6 => TextPaint::FillAndStroke,
            3 | 7 => TextPaint::Invisible,
            _ => TextPaint::Fill,
        };
        self.out.end_run(paint);
    }

    fn begin_marked_content(&mut self, properties: &Operand<'_>, resources: &Resources<'a>) {
        // The properties are named in the resources or written in place;
        // optional content is an `OC` group or membership dictionary.
        let group = match properties {
            Operand::Name(name) | Operand::Object(Object::Name(name)) => {
                resources.properties.get::<Dict<'_>>(name).map(|d| {
                    let id = resources.properties.get_ref(name.as_ref()).map(Into::into);
                    (d, id)
                })
            }
            Operand::Object(object) => dict_or_stream(object).and_then(|(props, _)| {
                let id = props.get_ref(OC).map(Into::into);
                props.get::<Dict<'_>>(OC).map(|d| (d, id))
            }),
            _ => None,
        };
        match group {
            Some((dict, id)) if id.is_some() || is_membership(&dict) => {
                self.optional.begin_group(&dict, id)
            }
            _ => self.optional.begin(),
        }
    }

    fn draw_form(&mut self, stream: &Stream<'a>, parent: &Resources<'a>) {
        if !self.optional.is_visible() || self.depth >= MAX_FORM_DEPTH {
            return;
        }
        let dict = stream.dict();
        let optional = dict.get::<Dict<'_>>(OC).map(|oc| {
            let id = dict.get_ref(OC).map(Into::into);
            self.optional.begin_group(&oc, id);
        });
        if self.optional.is_visible() {
            if let Some(content) = self.resources.form_content(stream) {
                let outer = self.state.clone();
                if let Some(m) = dict.get::<[f64; 6]>(MATRIX) {
                    self.state.ctm *= Affine::new(m);
                }
                if let Some(b) = dict.get::<[f64; 4]>(BBOX) {
                    let r = bounds(self.state.ctm, b);
                    self.clip_to(r.map(|v| v as f32));
                }
                let resources = dict.get::<Dict<'_>>(RESOURCES).map(Resources::new);
                self.depth += 1;
                self.interpret(&content, resources.as_ref().unwrap_or(parent));
                self.depth -= 1;
                self.state = outer;
            }
        }
        if optional.is_some() {
            self.optional.end();
        }
    }

    /// An annotation's normal appearance, placed in its rectangle as the
    /// specification says (12.5.5): the form's box, transformed by its
    /// matrix, is scaled and moved onto the rectangle.
    fn draw_annotation(&mut self, annotation: &Dict<'a>, page_resources: &Resources<'a>) {
        const HIDDEN: u32 = 1 << 1;
        const NO_VIEW: u32 = 1 << 5;
        if annotation.get::<u32>(F).unwrap_or(0) & (HIDDEN | NO_VIEW) != 0 {
            return;
        }
        let Some(appearance) = normal_appearance(annotation) else {
            return;
        };
        let (Some(rect), Some(bbox)) = (
            annotation.get::<Rect>(RECT),
            appearance.dict().get::<[f64; 4]>(BBOX),
        ) else {
            return;
        };
        let matrix = Affine::new(
            appearance
                .dict()
                .get::<[f64; 6]>(MATRIX)
                .unwrap_or([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
        );
        let shown = bounds(matrix, bbox);
        let (width, height) = (shown[2] - shown[0], shown[3] - shown[1]);
        if width <= 0.0 || height <= 0.0 {
            return;
        }
        let (x0, x1) = (rect.x0.min(rect.x1), rect.x0.max(rect.x1));
        let (y0, y1) = (rect.y0.min(rect.y1), rect.y0.max(rect.y1));
        let sx = (x1 - x0) / width;
        let sy = (y1 - y0) / height;
        let onto_rect = Affine::new([sx, 0.0, 0.0, sy, x0 - sx * shown[0], y0 - sy * shown[1]]);
        self.state = State {
            ctm: onto_rect,
            ..State::default()
        };
        self.draw_form(&appearance, page_resources);
    }
}

/// The matrix six operands (`cm`, `Tm`) give.
fn matrix(operands: [Number; 6]) -> Affine {
    Affine::new(operands.map(|n| n.as_f64()))
}

fn is_membership(dict: &Dict<'_>) -> bool {
    dict.get::<Name<'_>>(TYPE)
        .is_some_and(|t| t.as_ref() == b"OCMD")
}

/// The upright box holding rectangle `r` transformed by `m`.
fn bounds(m: Affine, r: [f64; 4]) -> [f64; 4] {
    let corners =
        [(r[0], r[1]), (r[2], r[1]), (r[2], r[3]), (r[0], r[3])].map(|(x, y)| m * Point::new(x, y));
    corners.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, p| [b[0].min(p.x), b[1].min(p.y), b[2].max(p.x), b[3].max(p.y)],
    )
}

/// The appearance an annotation shows: its one normal appearance, or the
/// one its state (`AS`) names, or "Off".
fn normal_appearance<'a>(annotation: &Dict<'a>) -> Option<Stream<'a>> {
    match annotation.get::<Dict<'_>>(AP)?.get::<Object<'_>>(N)? {
        Object::Stream(stream) => Some(stream),
        Object::Dict(states) => annotation
            .get::<Name<'_>>(AS)
            .and_then(|state| states.get::<Stream<'_>>(state))
            .or_else(|| states.get::<Stream<'_>>(b"Off")),
        _ => None,
    }
}
