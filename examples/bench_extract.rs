//! Times full structured extraction (read + segment + interpret + JSON) of the
//! files given, warm: files in memory, one Interpreter reused, as a batch runs.
//! Prints per-document milliseconds. Used by scripts/bench_docx.sh.
//!
//! `--hayro-floor PDF...` times hayro-interpret, the renderer's interpreter
//! msq read pages with before its own text-only one: load each PDF and
//! interpret every page into a device that keeps nothing but asks each glyph
//! for its Unicode text. No layout, no interpretation, no output: the least a
//! reader built on it pays (scripts/bench_batch.sh prints it beside msq's
//! own reading time).

use std::time::Instant;

use msq::interpret::Interpreter;
use msq::{Definition, Limits};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--hayro-floor") {
        return hayro_floor::run(std::env::args().skip(2).collect());
    }
    let files: Vec<(String, Vec<u8>)> = std::env::args()
        .skip(1)
        .map(|p| (p.clone(), std::fs::read(&p).expect("readable file")))
        .collect();
    assert!(!files.is_empty(), "usage: bench_extract FILE...");
    let def = Definition::builtin();
    let interpreter = Interpreter::new(&def);
    let limits = Limits::default();
    // Seconds spent reading, interpreting and writing JSON, summed over files.
    let run = |files: &[(String, Vec<u8>)], stages: &mut [f64; 3]| {
        let mut bytes = 0;
        for (name, data) in files {
            let t0 = Instant::now();
            let doc = msq::readers::read_bytes(name, data, &limits).expect("corpus file reads");
            let t1 = Instant::now();
            let result = interpreter.interpret(&doc, &msq::sha256_hex(data));
            let t2 = Instant::now();
            bytes += result.to_json().len();
            let t3 = Instant::now();
            for (stage, (a, b)) in stages.iter_mut().zip([(t0, t1), (t1, t2), (t2, t3)]) {
                *stage += (b - a).as_secs_f64();
            }
        }
        bytes
    };
    run(&files, &mut [0.0; 3]); // warm-up: lazy tables, page cache
    let rounds = rounds();
    let mut stages = [0.0; 3];
    let start = Instant::now();
    let mut sink = 0;
    for _ in 0..rounds {
        sink += run(&files, &mut stages);
    }
    let docs = (rounds * files.len()) as f64;
    let per_doc = start.elapsed().as_secs_f64() * 1000.0 / docs;
    println!(
        "msq_warm_ms_per_doc {per_doc:.3} ({} files x {rounds} rounds, {sink} bytes of JSON)",
        files.len()
    );
    println!(
        "stages_ms_per_doc read {:.3} interpret {:.3} json {:.3}",
        stages[0] * 1000.0 / docs,
        stages[1] * 1000.0 / docs,
        stages[2] * 1000.0 / docs
    );
}

/// Timed rounds over the files (after one warm-up round): 20, or
/// `MSQ_BENCH_ROUNDS` (fewer for a run under valgrind).
fn rounds() -> usize {
    std::env::var("MSQ_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20)
}

mod hayro_floor {
    use std::time::Instant;

    use hayro_interpret::font::GlyphRun;
    use hayro_interpret::hayro_syntax::Pdf;
    use hayro_interpret::kurbo::{Affine, BezPath, Rect};
    use hayro_interpret::{
        interpret_page, BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image,
        ImageDrawProps, InterpreterCache, InterpreterSettings, SoftMask,
    };

    /// Counts glyphs that have Unicode text, so the lookup is not optimised away.
    struct Counter(usize);

    impl<'a> Device<'a> for Counter {
        fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
        fn push_clip_path(&mut self, _: &ClipPath) {}
        fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
        fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, _: DrawProps<'a>, _: &DrawMode) {
            self.0 += run
                .glyphs()
                .iter()
                .filter(|g| g.as_unicode().is_some())
                .count();
        }
        fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
        fn pop_clip(&mut self) {}
        fn pop_transparency_group(&mut self) {}
    }

    pub fn run(paths: Vec<String>) {
        let files: Vec<Vec<u8>> = paths
            .iter()
            .map(|p| std::fs::read(p).expect("readable file"))
            .collect();
        assert!(
            !files.is_empty(),
            "usage: bench_extract --hayro-floor PDF..."
        );
        let pass = || {
            let mut glyphs = 0;
            for data in &files {
                let Ok(pdf) = Pdf::new(data.clone()) else {
                    continue;
                };
                let cache = InterpreterCache::new();
                let mut device = Counter(0);
                for page in pdf.pages().iter() {
                    let m = page.media_box();
                    let mut ctx = Context::new(
                        Affine::IDENTITY,
                        Rect::new(m.x0, m.y0, m.x1, m.y1),
                        &cache,
                        pdf.xref(),
                        InterpreterSettings::default(),
                    );
                    interpret_page(page, &mut ctx, &mut device);
                }
                glyphs += device.0;
            }
            glyphs
        };
        pass();
        let rounds = super::rounds();
        let start = Instant::now();
        let mut glyphs = 0;
        for _ in 0..rounds {
            glyphs += pass();
        }
        let per_doc = start.elapsed().as_secs_f64() * 1000.0 / (rounds * files.len()) as f64;
        println!(
            "hayro_floor_ms_per_doc {per_doc:.3} ({} files x {rounds} rounds, {} glyphs per round)",
            files.len(),
            glyphs / rounds
        );
    }
}
