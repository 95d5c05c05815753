//! Times full structured extraction (read + segment + interpret + JSON) of the
//! files given, warm: files in memory, one Interpreter reused, as a batch runs.
//! Prints per-document milliseconds. Used by scripts/bench_docx.sh.

use std::time::Instant;

use msq::interpret::Interpreter;
use msq::{Definition, Limits};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let files: Vec<(String, Vec<u8>)> = std::env::args()
        .skip(1)
        .map(|p| (p.clone(), std::fs::read(&p).expect("readable file")))
        .collect();
    assert!(!files.is_empty(), "usage: bench_extract FILE...");
    let def = Definition::builtin();
    let interpreter = Interpreter::new(&def);
    let limits = Limits::default();
    let run = |files: &[(String, Vec<u8>)]| {
        let mut bytes = 0;
        for (name, data) in files {
            let doc = msq::readers::read_bytes(name, data, &limits).expect("corpus file reads");
            let out = interpreter
                .interpret(&doc, &msq::sha256_hex(data))
                .to_json();
            bytes += out.len();
        }
        bytes
    };
    run(&files); // warm-up: lazy tables, page cache
    let rounds = 20;
    let start = Instant::now();
    let mut sink = 0;
    for _ in 0..rounds {
        sink += run(&files);
    }
    let per_doc = start.elapsed().as_secs_f64() * 1000.0 / (rounds * files.len()) as f64;
    println!(
        "msq_warm_ms_per_doc {per_doc:.3} ({} files x {rounds} rounds, {sink} bytes of JSON)",
        files.len()
    );
}
