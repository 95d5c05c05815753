//! Every input that ever crashed or hung a reader (tests/data/fuzz, found by
//! scripts/fuzz.sh) and every hostile fixture (tests/data/hostile) is read
//! again, through the whole extract path: no panic, a bounded time.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use msq::interpret::Interpreter;
use msq::{Definition, Limits};

#[test]
fn saved_findings_and_hostile_fixtures_are_read_safely() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let def = Definition::builtin();
    let interpreter = Interpreter::new(&def);
    let limits = Limits {
        max_time: Duration::from_secs(10),
        ..Limits::default()
    };
    let mut count = 0;
    for dir in ["fuzz", "hostile"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let start = Instant::now();
            let result = catch_unwind(AssertUnwindSafe(|| {
                if let Ok(doc) = msq::readers::read_bytes(&name, &bytes, &limits) {
                    let _ = interpreter.interpret(&doc, "0").to_json();
                }
            }));
            assert!(result.is_ok(), "{} panics", path.display());
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{} took {:?}",
                path.display(),
                start.elapsed()
            );
            count += 1;
        }
    }
    assert!(count >= 2);
}
