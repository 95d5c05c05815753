//! PDF reader: hayro-syntax parses the file (xref and object streams,
//! incremental updates, broken xref recovery, RC4/AES decryption with the empty
//! user password); `content` walks each page's content, Form XObjects and
//! annotation appearances into a `Collector`; the annotation layer
//! (widgets, links) is read from the structure. `layout` then assembles the
//! text layer — lines, paragraphs, reading order — separately, as pdf.js keeps
//! its evaluator apart from text-layer assembly.
//!
//! Marks come from four sources: box glyphs in the text (lifted by the flow
//! builder), symbol-font glyphs without Unicode, AcroForm check box and radio
//! widgets, and boxes drawn with paths.

mod annotations;
mod content;
mod device;
mod layout;
mod orientation;
mod vector;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use hayro_font::hayro_syntax::inflate_limits::{self, Exceeded, InflateLimits};
use hayro_font::hayro_syntax::object::{Array, Dict};
use hayro_font::hayro_syntax::page::Page;
use hayro_font::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};

use self::annotations::{annotation_dicts, page_annotations, PageAnnotations, Widget, WidgetKind};
use self::content::{DocumentResources, PagePart};
use self::device::{Collector, ShownGlyph};
use self::layout::{PageContent, PageItem};
use super::flow::FlowBuilder;
use super::Limits;
use crate::error::{ErrorKind, Result};
use crate::model::{Document, Format, MarkSource, ReaderNote, Source};
use crate::output::WarningCode;

/// Reads a PDF with its streams' inflation limited: a decompression bomb
/// stops inflating at the limit (in the Flate decoder msq's copy of
/// hayro-syntax carries) and the file is refused, whichever stream it is in.
/// Streams nothing asks for (images, attachments) are never inflated.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document> {
    inflate_limits::begin(InflateLimits {
        max_ratio: limits.max_compression_ratio,
        ratio_check_from: limits.ratio_check_from,
        max_stream_bytes: limits.max_part_bytes,
        max_total_bytes: limits.max_unzipped_bytes,
    });
    let read = read_limited(name, bytes, limits);
    match inflate_limits::end() {
        None => read,
        Some(Exceeded::Ratio { compressed }) => Err(ErrorKind::LimitExceeded(format!(
            "a stream of {compressed} bytes inflates to more than {} times its compressed size (a decompression bomb)",
            limits.max_compression_ratio
        ))),
        Some(Exceeded::Size { inflated }) => Err(ErrorKind::LimitExceeded(format!(
            "streams inflate beyond {inflated} bytes (limits: {} per stream, {} per file)",
            limits.max_part_bytes, limits.max_unzipped_bytes
        ))),
    }
}

fn read_limited(name: &str, bytes: &[u8], limits: &Limits) -> Result<Document> {
    let pdf = load(bytes)?;
    let page_count = pdf.pages().len();
    if page_count > limits.max_pages {
        return Err(ErrorKind::LimitExceeded(format!(
            "{page_count} pages, more than the limit of {}",
            limits.max_pages
        )));
    }
    let started = Instant::now();
    let resources = DocumentResources::new(pdf.xref().get::<Dict<'_>>(pdf.xref().root_id()));
    let mut pages: Vec<PageContent> = Vec::with_capacity(page_count);
    for (index, page) in pdf.pages().iter().enumerate() {
        if started.elapsed() > limits.max_time {
            return Err(ErrorKind::LimitExceeded(format!(
                "reading took longer than {} s (stopped at page {})",
                limits.max_time.as_secs(),
                index + 1
            )));
        }
        // Pages of one document show about as many glyphs each.
        let glyphs_expected = pages.last().map_or(0, |p| p.glyphs.len());
        pages.push(read_page(page, index, &resources, glyphs_expected)?);
    }
    let has_text = pages.iter().any(|p| {
        p.glyphs.iter().any(|g| {
            g.text
                .as_deref()
                .is_some_and(|t| t.chars().any(char::is_alphanumeric))
        }) || p
            .items
            .iter()
            .any(|i| matches!(i, PageItem::FieldText { .. }))
    });
    let mut flow = FlowBuilder::new(Source {
        file: name.to_string(),
        format: Format::Pdf,
        pages: Some(page_count as u32),
        text_layer: has_text,
    });
    layout::assemble(&mut flow, pages);
    let doc = flow.document_mut();
    if !has_text && page_count > 0 {
        doc.notes.push(ReaderNote {
            code: WarningCode::NoTextLayer,
            message: "the PDF has no text layer (a scan?): answers cannot be read".into(),
        });
    }
    if xfa_only(&pdf) {
        doc.notes.push(ReaderNote {
            code: WarningCode::XfaFormUnsupported,
            message:
                "the form is an XFA form without AcroForm fields; its field values are not read"
                    .into(),
        });
    }
    Ok(flow.finish())
}

/// One page: what it draws and what its annotations hold, with its boxes
/// found, turned upright.
fn read_page<'a>(
    page: &Page<'a>,
    index: usize,
    resources: &DocumentResources<'a>,
    glyphs_expected: usize,
) -> Result<PageContent> {
    let media = page.media_box();
    let annotations = annotation_dicts(page);
    let PageAnnotations {
        widgets,
        links,
        notes,
    } = page_annotations(&annotations);
    let (collector, shapes_of_content) = draw_page(page, &annotations, resources, glyphs_expected)
        .ok_or_else(|| {
            ErrorKind::corrupt(
                "pdf",
                format!("the content of page {} could not be interpreted", index + 1),
            )
        })?;
    let Collector {
        mut glyphs,
        shapes,
        mut rules,
        mut column_rules,
        ..
    } = collector;
    // What is drawn inside a form widget is the widget's appearance: its
    // state or value is read from the structure instead. So is a box
    // printed under a check box. A box printed under a text field stays:
    // an X typed into the field ticks it.
    let in_widget = |c: [f32; 2], toggles_only: bool| {
        widgets.iter().any(|w| {
            (!toggles_only || matches!(w.kind, WidgetKind::Toggle { .. }))
                && vector::inside(c, &w.rect, 0.0)
        })
    };
    // In place: nearly all glyphs stay, and moving each costs.
    glyphs.retain(|g| (!g.invisible || g.text.is_some()) && !in_widget(g.center, false));
    let mut shapes: Vec<_> = shapes
        .into_iter()
        .enumerate()
        .filter(|(k, s)| !in_widget(vector::center(&s.bbox), *k < shapes_of_content))
        .map(|(_, s)| s)
        .collect();
    // Notes draw nothing: what lies under them stays. From here on they
    // are values placed like a text field's.
    let (mut widgets, mut links) = (widgets, links);
    widgets.extend(notes);
    let mut media = [
        media.x0 as f32,
        media.y0 as f32,
        media.x1 as f32,
        media.y1 as f32,
    ];
    let quarter = orientation::dominant(&glyphs);
    orientation::PageGeometry {
        glyphs: &mut glyphs,
        shapes: &mut shapes,
        rules: &mut rules,
        column_rules: &mut column_rules,
        widgets: &mut widgets,
        links: &mut links,
        media: &mut media,
    }
    .turn(quarter);
    let (mut boxes, tick_glyphs) = vector::find_boxes(&shapes, &glyphs);
    let mut ticked_glyphs = vector::ticked_box_glyphs(&shapes, &glyphs);
    ticks_typed_over_boxes(&mut widgets, &mut boxes, &glyphs, &mut ticked_glyphs);
    // The sides of a box drawn as four strokes are not table rules.
    rules.retain(|r| !boxes.iter().any(|b| b.has_side(r, false)));
    column_rules.retain(|r| !boxes.iter().any(|b| b.has_side(r, true)));
    let mut items: Vec<PageItem> = Vec::new();
    for b in boxes {
        items.push(PageItem::Mark {
            bbox: b.bbox,
            checked: b.checked,
            source: MarkSource::Vector,
            evidence: b.evidence,
        });
    }
    for t in &ticked_glyphs {
        items.push(PageItem::Mark {
            bbox: glyphs[t.glyph].bbox,
            checked: true,
            source: MarkSource::Glyph,
            evidence: t.evidence.clone(),
        });
    }
    // A tick inside a drawn box is part of that box; a box glyph ticked
    // over is a mark now, and its tick with it.
    let taken: std::collections::HashSet<usize> = tick_glyphs
        .iter()
        .copied()
        .chain(
            ticked_glyphs
                .iter()
                .flat_map(|t| [Some(t.glyph), t.tick_glyph])
                .flatten(),
        )
        .collect();
    let mut position = 0;
    glyphs.retain(|_| {
        position += 1;
        !taken.contains(&(position - 1))
    });
    for w in widgets {
        match w.kind {
            WidgetKind::Toggle { checked, evidence } => items.push(PageItem::Mark {
                bbox: w.rect,
                checked,
                source: MarkSource::FormField,
                evidence,
            }),
            WidgetKind::Value(text) => items.push(PageItem::FieldText { bbox: w.rect, text }),
            WidgetKind::Other => {}
        }
    }
    Ok(PageContent {
        number: index as u32 + 1,
        height: (media[3] - media[1]).abs(),
        bottom: media[1].min(media[3]),
        turn: quarter,
        glyphs,
        items,
        links,
        rules,
        column_rules,
    })
}

/// Draws a page into a collector in two passes, the page's own content and
/// then the annotations' appearances, so that what a widget's appearance
/// draws is told from what is printed. Returns the collector and how many of
/// its shapes the content drew; `None` when the interpreter panics on the
/// page (a bug in it or in a library it uses: the page is reported, the
/// batch goes on).
fn draw_page<'a>(
    page: &Page<'a>,
    annotations: &[Dict<'a>],
    resources: &DocumentResources<'a>,
    glyphs_expected: usize,
) -> Option<(Collector, usize)> {
    let mut collector = Collector::for_page(glyphs_expected);
    let mut shapes_of_content = 0;
    catch_unwind(AssertUnwindSafe(|| {
        content::draw(page, PagePart::Content, resources, &mut collector);
        shapes_of_content = collector.shapes.len();
        content::draw(
            page,
            PagePart::Annotations(annotations),
            resources,
            &mut collector,
        );
    }))
    .ok()?;
    Some((collector, shapes_of_content))
}

/// A field or note holding only a tick, over a drawn box or an empty box
/// glyph, ticks it (an X typed into a text field laid over a printed box,
/// or written on it with a PDF tool) and is no text of its own.
fn ticks_typed_over_boxes(
    widgets: &mut Vec<Widget>,
    boxes: &mut [vector::DrawnBox],
    glyphs: &[ShownGlyph],
    ticked_glyphs: &mut Vec<vector::TickedGlyph>,
) {
    widgets.retain(|w| {
        let WidgetKind::Value(text) = &w.kind else {
            return true;
        };
        let typed = text.trim();
        if !vector::is_tick_text(typed) {
            return true;
        }
        let center = vector::center(&w.rect);
        let how = format!("\"{typed}\" typed in a field or note over it");
        if let Some(b) = boxes.iter_mut().find(|b| b.holds(center)) {
            b.tick_with(&how);
            return false;
        }
        let under = glyphs.iter().enumerate().find_map(|(i, g)| {
            let holds = vector::inside(center, &g.bbox, 0.0);
            let free = !ticked_glyphs.iter().any(|t| t.glyph == i);
            if !(holds && free) {
                return None;
            }
            vector::empty_box_glyph(g).map(|what| (i, what))
        });
        let Some((glyph, what)) = under else {
            return true;
        };
        ticked_glyphs.push(vector::TickedGlyph {
            glyph,
            tick_glyph: None,
            evidence: format!("{what} with {how}"),
        });
        false
    });
}

fn load(bytes: &[u8]) -> Result<Pdf> {
    // Producers and mail gateways put junk before the header; the parser wants
    // the file to start at "%PDF-".
    let start = bytes
        .windows(5)
        .take(1024)
        .position(|w| w == b"%PDF-")
        .unwrap_or(0);
    let data = bytes[start..].to_vec();
    match catch_unwind(AssertUnwindSafe(|| Pdf::new(data))) {
        Ok(Ok(pdf)) => Ok(pdf),
        Ok(Err(LoadPdfError::Decryption(e))) => Err(match e {
            DecryptionError::PasswordProtected => {
                ErrorKind::Encrypted("the PDF needs a password to open".into())
            }
            other => ErrorKind::Encrypted(format!("unsupported PDF encryption ({other:?})")),
        }),
        Ok(Err(_)) => Err(ErrorKind::corrupt(
            "pdf",
            "no readable cross-reference table or pages",
        )),
        Err(_) => Err(ErrorKind::corrupt(
            "pdf",
            "the file structure could not be parsed",
        )),
    }
}

/// True when the catalog's form is XFA with no AcroForm fields to fall back on.
fn xfa_only(pdf: &Pdf) -> bool {
    let xref = pdf.xref();
    let Some(catalog) = xref.get::<Dict>(xref.root_id()) else {
        return false;
    };
    let Some(form) = catalog.get::<Dict>(b"AcroForm".as_slice()) else {
        return false;
    };
    // Asked in this order, a form without XFA (nearly all) has none of its
    // fields resolved, and an XFA one only its first.
    form.contains_key(b"XFA".as_slice())
        && form
            .get::<Array>(b"Fields".as_slice())
            .is_none_or(|fields| fields.iter::<Dict>().next().is_none())
}
