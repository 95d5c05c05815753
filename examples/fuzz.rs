//! A mutation fuzzer for the readers and the whole extract path, on the stable
//! toolchain (cargo-fuzz needs nightly, which this project's machines lack).
//!
//! Seeds are real files; each iteration mutates one (bit flips, random bytes,
//! inserted, deleted, duplicated or spliced ranges, truncation, format tokens,
//! and for .docx the XML inside the zip, re-zipped) and reads it in-process.
//! A panic saves the input as `crash-<hash>`; a watchdog saves an input that
//! runs longer than `--hang-seconds` as `hang-<hash>` and stops the run.
//! Findings go to `--out`; committed to tests/data/fuzz they become
//! regression tests (tests/fuzz_regressions.rs).
//!
//! Usage: fuzz --target docx|doc|pdf|text|extract --seconds N [--seed S]
//!             [--out DIR] [--hang-seconds N] SEED_DIR...

use std::io::{Cursor, Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use msq::interpret::Interpreter;
use msq::{Definition, Limits};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const PDF_TOKENS: &[&[u8]] = &[
    b"obj",
    b"endobj",
    b"stream\n",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b" R ",
    b"/Length 99999999",
    b"/Kids [1 0 R]",
    b"/Parent 1 0 R",
    b"/Filter /FlateDecode",
    b"/Type /XObject /Subtype /Form",
    b"/Do",
    b" q ",
    b" Q ",
    b"BT",
    b"ET",
    b"Tj",
    b"xref",
    b"trailer",
    b"startxref",
    b"%%EOF",
    b"/AcroForm << /Fields [",
    b"/FT /Btn",
    b"/AS /Yes",
    b"/Annots [",
    b"/URI (javascript:x)",
    b"9999999999",
    b"-1",
    b"0 0 0 0 0 0 cm",
    b"/Encrypt",
    b"/ObjStm",
];
const XML_TOKENS: &[&[u8]] = &[
    b"<w:p>",
    b"</w:p>",
    b"<w:tbl><w:tr><w:tc>",
    b"</w:tc></w:tr></w:tbl>",
    b"<w:r><w:t>X</w:t></w:r>",
    b"<w:fldChar w:fldCharType=\"begin\"/>",
    b"<w:fldChar w:fldCharType=\"separate\"/>",
    b"<w:fldChar w:fldCharType=\"end\"/>",
    b"<w:instrText> HYPERLINK \"",
    b"<w:instrText> FORMCHECKBOX </w:instrText>",
    b"<w:sdt><w:sdtPr><w14:checkbox><w14:checked/></w14:checkbox></w:sdtPr><w:sdtContent>",
    b"</w:sdtContent></w:sdt>",
    b"<w:sym w:font=\"Wingdings\" w:char=\"F0FE\"/>",
    b"<w:hyperlink r:id=\"rId999\">",
    b"</w:hyperlink>",
    b"&amp;",
    b"&#x2612;",
    b"&undefined;",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    b"<![CDATA[",
    b"]]>",
    b"<w:del><w:r><w:delText>x</w:delText></w:r></w:del>",
    b"<w:numPr><w:numId w:val=\"1\"/></w:numPr>",
];
const TEXT_TOKENS: &[&[u8]] = &[
    b"[X]",
    b"[ ]",
    "\u{2612}".as_bytes(),
    "\u{2610}".as_bytes(),
    b"\x0c",
    b"\r\n",
    b"https://",
    b"www.",
    b"javascript:",
    b"](",
    b"**",
    b"\\",
    "\u{F0FE}".as_bytes(),
    b"1. What is the official e-government portal",
    b"Name:\t",
    b"29/02/2019",
    b"Country: ",
];

fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8], tokens: &[&[u8]]) {
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = data.len();
        match rng.below(9) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                data[i] = rng.next() as u8;
            }
            2 => {
                let at = rng.below(len + 1);
                let n = 1 + rng.below(64);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                data.splice(at..at, bytes);
            }
            3 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(256)).min(len);
                data.drain(a..b);
            }
            4 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(1024)).min(len);
                let chunk = data[a..b].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, chunk);
            }
            5 if !other.is_empty() => {
                let cut = rng.below(len + 1);
                let from = rng.below(other.len());
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            6 if len > 0 => data.truncate(rng.below(len)),
            _ => {
                let token = tokens[rng.below(tokens.len())];
                let at = rng.below(len + 1);
                data.splice(at..at, token.iter().copied());
            }
        }
    }
}

/// Mutates the XML parts inside a .docx and zips it again (stored), so the
/// mutations reach the WordprocessingML reader instead of breaking the zip.
fn mutate_docx(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(seed)).ok()?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len().min(64) {
        let mut entry = archive.by_index(i).ok()?;
        let name = entry.name().ok()?.to_string();
        let mut data = Vec::new();
        entry.by_ref().take(4 << 20).read_to_end(&mut data).ok()?;
        parts.push((name, data));
    }
    let xml_parts: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].0.ends_with(".xml") || parts[i].0.ends_with(".rels"))
        .collect();
    if xml_parts.is_empty() {
        return None;
    }
    let target = xml_parts[rng.below(xml_parts.len())];
    mutate_bytes(rng, &mut parts[target].1, other, XML_TOKENS);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in &parts {
        out.start_file(name.as_str(), options).ok()?;
        out.write_all(data).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// Mutates one stream inside a .doc (WordDocument, the table stream or Data)
/// and builds the compound file again, so the mutations reach the [MS-DOC]
/// parser instead of breaking the OLE container.
fn mutate_doc(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Option<Vec<u8>> {
    let mut source = cfb::CompoundFile::open(Cursor::new(seed)).ok()?;
    let names: Vec<String> = source
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect();
    let mut streams = Vec::new();
    for name in &names {
        let mut data = Vec::new();
        source
            .open_stream(name)
            .ok()?
            .take(8 << 20)
            .read_to_end(&mut data)
            .ok()?;
        streams.push((name.clone(), data));
    }
    let targets: Vec<usize> = (0..streams.len())
        .filter(|&i| {
            ["/WordDocument", "/1Table", "/0Table", "/Data"].contains(&streams[i].0.as_str())
        })
        .collect();
    if targets.is_empty() {
        return None;
    }
    let target = targets[rng.below(targets.len())];
    mutate_bytes(rng, &mut streams[target].1, other, TEXT_TOKENS);
    let mut out = cfb::CompoundFile::create(Cursor::new(Vec::new())).ok()?;
    for (name, data) in &streams {
        let path = Path::new(name);
        if let Some(parent) = path.parent() {
            if parent != Path::new("/") && !out.exists(parent) {
                out.create_storage_all(parent).ok()?;
            }
        }
        out.create_stream(path).ok()?.write_all(data).ok()?;
    }
    out.flush().ok()?;
    Some(out.into_inner().into_inner())
}

fn seeds(dirs: &[PathBuf], extensions: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.contains(&x.to_ascii_lowercase().as_str()))
                && e.metadata().is_ok_and(|m| m.len() <= 2 << 20)
            {
                files.push(p);
            }
        }
    }
    files.sort();
    files.truncate(2000);
    files
        .into_iter()
        .filter_map(|p| {
            Some((
                p.file_name()?.to_string_lossy().into_owned(),
                std::fs::read(&p).ok()?,
            ))
        })
        .collect()
}

fn save(out: &Path, kind: &str, name: &str, data: &[u8]) -> PathBuf {
    let hash = msq::sha256_hex(data);
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("bin");
    let path = out.join(format!("{kind}-{}.{ext}", &hash[..16]));
    let _ = std::fs::create_dir_all(out);
    let _ = std::fs::write(&path, data);
    path
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut target = "extract".to_string();
    let mut seconds = 60u64;
    let mut seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    let mut out = PathBuf::from("fuzz-findings");
    let mut hang_seconds = 10u64;
    let mut dirs = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--target" => target = value,
            "--seconds" => seconds = value.parse().expect("seconds"),
            "--seed" => seed = value.parse().expect("seed"),
            "--out" => out = PathBuf::from(value),
            "--hang-seconds" => hang_seconds = value.parse().expect("seconds"),
            other => {
                dirs.push(PathBuf::from(other));
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    let (extensions, tokens): (&[&str], &[&[u8]]) = match target.as_str() {
        "docx" => (&["docx", "dotx", "docm"], XML_TOKENS),
        "pdf" => (&["pdf"], PDF_TOKENS),
        "text" => (&["txt", "md"], TEXT_TOKENS),
        "doc" => (&["doc"], TEXT_TOKENS),
        "extract" => (&["docx", "doc", "pdf", "txt"], PDF_TOKENS),
        other => panic!("unknown target {other}"),
    };
    let corpus = seeds(&dirs, extensions);
    assert!(!corpus.is_empty(), "no seeds found in {dirs:?}");
    let def = Definition::builtin();
    let interpreter = Interpreter::new(&def);
    let limits = Limits {
        max_time: Duration::from_secs(hang_seconds / 2 + 1),
        ..Limits::default()
    };

    // The watchdog: an input running past the limit is saved, and the run stops.
    let started_at = Arc::new(AtomicU64::new(0));
    let current: Arc<Mutex<(String, Vec<u8>)>> = Arc::new(Mutex::new((String::new(), Vec::new())));
    let epoch = Instant::now();
    {
        let started_at = Arc::clone(&started_at);
        let current = Arc::clone(&current);
        let out = out.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(250));
            let s = started_at.load(Ordering::Relaxed);
            if s > 0 && (epoch.elapsed().as_millis() as u64).saturating_sub(s) > hang_seconds * 1000
            {
                let (name, data) = current.lock().map(|c| c.clone()).unwrap_or_default();
                let path = save(&out, "hang", &name, &data);
                eprintln!("fuzz: hang over {hang_seconds} s, saved {}", path.display());
                std::process::exit(3);
            }
        });
    }
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut iterations, mut crashes) = (0u64, 0u64);
    while Instant::now() < deadline {
        let (name, data) = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())].1;
        let input = if name.ends_with(".docx") && rng.below(3) > 0 {
            mutate_docx(&mut rng, data, other).unwrap_or_else(|| data.clone())
        } else if name.ends_with(".doc") && rng.below(4) > 0 {
            mutate_doc(&mut rng, data, other).unwrap_or_else(|| data.clone())
        } else {
            let mut d = data.clone();
            mutate_bytes(&mut rng, &mut d, other, tokens);
            d
        };
        if let Ok(mut c) = current.lock() {
            *c = (name.clone(), input.clone());
        }
        started_at.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::Relaxed);
        let result = catch_unwind(AssertUnwindSafe(|| {
            if let Ok(doc) = msq::readers::read_bytes(name, &input, &limits) {
                if target == "extract" {
                    let mut extract = interpreter.interpret(&doc, "0");
                    extract.redact_contacts();
                    std::hint::black_box(extract.to_json());
                }
            }
        }));
        started_at.store(0, Ordering::Relaxed);
        iterations += 1;
        if result.is_err() {
            crashes += 1;
            let path = save(&out, "crash", name, &input);
            eprintln!("fuzz: panic, saved {}", path.display());
        }
    }
    println!(
        "fuzz target={target} seed={seed} seeds={} iterations={iterations} crashes={crashes} hangs=0 seconds={seconds} ({:.0} execs/s)",
        corpus.len(),
        iterations as f64 / seconds as f64
    );
    if crashes > 0 {
        std::process::exit(1);
    }
}
