//! For each PDF: load with lopdf; extract text with pdf-extract; interpret every
//! page with hayro-interpret collecting glyphs and paths. Each (library, file)
//! runs in a child process with a time limit, so a panic, an abort or a stack
//! overflow is counted, not fatal. Prints one TSV line per (library, file).

use std::process::Command;
use std::time::{Duration, Instant};

use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::kurbo::BezPath;
use hayro_interpret::font::GlyphRun;
use hayro_interpret::*;

struct Count {
    glyphs: usize,
    paths: usize,
}

impl<'a> Device<'a> for Count {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {
        self.paths += 1;
    }
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, _: DrawProps<'a>, _: &DrawMode) {
        for g in run.glyphs() {
            if g.as_unicode().is_some() {
                self.glyphs += 1;
            }
        }
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

fn one(lib: &str, path: &str) -> String {
    let data = std::fs::read(path).unwrap();
    match lib {
        "lopdf" => match lopdf::Document::load_mem(&data) {
            Ok(d) => format!("ok pages={}", d.get_pages().len()),
            Err(e) => format!("err {e}"),
        },
        "pdf-extract" => match pdf_extract::extract_text_from_mem(&data) {
            Ok(t) => format!("ok chars={}", t.chars().count()),
            Err(e) => format!("err {e}"),
        },
        _ => match Pdf::new(data) {
            Ok(pdf) => {
                let cache = InterpreterCache::new();
                let mut dev = Count { glyphs: 0, paths: 0 };
                for page in pdf.pages().iter() {
                    let (w, h) = page.render_dimensions();
                    let mut ctx = Context::new(
                        page.initial_transform(true).to_kurbo(),
                        kurbo::Rect::new(0.0, 0.0, w as f64, h as f64),
                        &cache,
                        pdf.xref(),
                        InterpreterSettings::default(),
                    );
                    interpret_page(&page, &mut ctx, &mut dev);
                }
                format!("ok pages={} glyphs={} paths={}", pdf.pages().len(), dev.glyphs, dev.paths)
            }
            Err(e) => format!("err {e:?}"),
        },
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 4 && args[1] == "one" {
        println!("{}", one(&args[2], &args[3]));
        return;
    }
    let me = std::env::current_exe().unwrap();
    for path in std::io::stdin().lines().map_while(Result::ok) {
        for lib in ["lopdf", "pdf-extract", "hayro"] {
            let start = Instant::now();
            let mut child = Command::new(&me)
                .args(["one", lib, &path])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let limit = Duration::from_secs(20);
            let status = loop {
                if let Some(s) = child.try_wait().unwrap() {
                    break Some(s);
                }
                if start.elapsed() > limit {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                std::thread::sleep(Duration::from_millis(2));
            };
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            let out = {
                use std::io::Read;
                let mut s = String::new();
                child.stdout.take().unwrap().read_to_string(&mut s).unwrap();
                s.trim().replace('\t', " ")
            };
            let outcome = match status {
                None => "timeout".to_string(),
                Some(s) if s.success() => out,
                Some(s) => match s.code() {
                    Some(101) => "panic".into(),
                    Some(c) => format!("exit {c}"),
                    None => "crash (signal)".into(),
                },
            };
            println!("{lib}\t{ms:.1}\t{path}\t{outcome}");
        }
    }
}
