use msq::interpret::Interpreter;
use msq::{Definition, Limits};
use std::time::Instant;
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let files: Vec<(String, Vec<u8>)> = std::env::args()
        .skip(1)
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    let def = Definition::builtin();
    let interpreter = Interpreter::new(&def);
    let limits = Limits::default();
    let (mut tr, mut ti, mut tj, mut th) = (0.0, 0.0, 0.0, 0.0);
    for round in 0..21 {
        for (name, data) in &files {
            let t0 = Instant::now();
            let doc = msq::readers::read_bytes(name, data, &limits).unwrap();
            let t1 = Instant::now();
            let hash = msq::sha256_hex(data);
            let t2 = Instant::now();
            let ex = interpreter.interpret(&doc, &hash);
            let t3 = Instant::now();
            let out = serde_json::to_vec(&serde_json::to_value(&ex).unwrap()).unwrap();
            let t4 = Instant::now();
            std::hint::black_box(out);
            if round > 0 {
                tr += (t1 - t0).as_secs_f64();
                th += (t2 - t1).as_secs_f64();
                ti += (t3 - t2).as_secs_f64();
                tj += (t4 - t3).as_secs_f64();
            }
        }
    }
    let n = (20 * files.len()) as f64 / 1000.0;
    println!(
        "read {:.3} hash {:.3} interpret {:.3} json {:.3} ms/doc",
        tr / n,
        th / n,
        ti / n,
        tj / n
    );
}
