//! The batch outputs, written from the cached results in sorted input order:
//! `<ISO3>.json` per document (`<ISO3>.2.json` for a second file of the same
//! country, the file stem when the country is unknown), `dataset.csv`,
//! `dataset.jsonl`, `failures.jsonl` and `summary.json`.
//!
//! Every file is written to a temporary name and renamed, so an interrupted
//! run never leaves a half-written output. Names built from file stems are
//! made safe: no path separators, no leading dots, no device names.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::worker::Outcome;
use super::{Input, CACHE_DIR};
use crate::definition::{Definition, Kind};
use crate::interpret::country::MEMBER_STATES;

const TEMP_PREFIX: &str = "tmp-";
/// The warning a second file of the same country gets.
const DUPLICATE_COUNTRY: &str = "duplicate_country";
const MANIFEST: &str = "outputs.txt";

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub inputs: usize,
    pub processed: usize,
    pub failed: usize,
    pub failures_by_kind: BTreeMap<String, usize>,
    pub warnings_by_code: BTreeMap<String, usize>,
    pub member_states_found: usize,
    pub member_states_missing: Vec<String>,
    pub duplicate_countries: BTreeMap<String, Vec<String>>,
}

/// Writes `bytes` to `path` through a temporary file in the cache folder and
/// a rename, so `path` is either the old file or the whole new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .map_err(|e| format!("{}: cannot write: {e}", file.temp.display()))?;
    file.commit()
}

/// A file written to a temporary name in the cache folder and renamed into
/// place by `commit`: the datasets are streamed through one, so the batch
/// never holds them whole in memory. Dropped without `commit`, the
/// temporary stays behind for the next run to remove.
pub struct AtomicFile {
    path: PathBuf,
    temp: PathBuf,
    writer: BufWriter<File>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<AtomicFile, String> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let cache = if dir.ends_with(CACHE_DIR) {
            dir.to_path_buf()
        } else {
            dir.join(CACHE_DIR)
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = cache.join(format!("{TEMP_PREFIX}{}-{name}", std::process::id()));
        let file = File::create(&temp)
            .or_else(|e| {
                if e.kind() != std::io::ErrorKind::NotFound {
                    return Err(e);
                }
                std::fs::create_dir_all(&cache)?;
                File::create(&temp)
            })
            .map_err(|e| format!("{}: cannot write: {e}", temp.display()))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp,
            writer: BufWriter::new(file),
        })
    }

    pub fn commit(self) -> Result<(), String> {
        let AtomicFile { path, temp, writer } = self;
        writer
            .into_inner()
            .map_err(|e| format!("{}: cannot write: {}", temp.display(), e.error()))?;
        std::fs::rename(&temp, &path).map_err(|e| format!("{}: cannot write: {e}", path.display()))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Removes temporaries left by a run that was killed, and the results
/// earlier versions kept in a file each (`<key>.json`; now in journals).
pub fn remove_stale_temporaries(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out.join(CACHE_DIR)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let old_result = name
            .strip_suffix(".json")
            .is_some_and(|key| key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()));
        if name.starts_with(TEMP_PREFIX) || old_result {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A file name made from a document's file stem: only letters, digits, '-',
/// '_' and '.', no leading dot, no device name, at most 100 characters.
pub fn safe_stem(stem: &str) -> String {
    let mut s: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    s = s.trim_start_matches('.').to_string();
    if s.is_empty() {
        s = "document".into();
    }
    const DEVICES: &[&str] = &[
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let base = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    if DEVICES.contains(&base.as_str()) {
        s.insert(0, '_');
    }
    s
}

/// A CSV cell a spreadsheet would run as a formula is made text.
pub fn neutralize_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The outputs being written, one input after the other in sorted input
/// order: `add` may be called as soon as an input's result is in, while later
/// inputs are still being read.
pub struct OutputWriter<'d> {
    out: PathBuf,
    def: &'d Definition,
    csv: csv::Writer<AtomicFile>,
    jsonl: AtomicFile,
    failures: AtomicFile,
    written: Vec<String>,
    used_names: HashMap<String, usize>,
    by_country: BTreeMap<String, Vec<String>>,
    summary: Summary,
}

impl<'d> OutputWriter<'d> {
    pub fn new(out: &Path, inputs: usize, def: &'d Definition) -> Result<Self, String> {
        let mut csv_file = AtomicFile::create(&out.join("dataset.csv"))?;
        // Excel reads UTF-8 only with a byte-order mark.
        csv_file
            .write_all(&[0xEF, 0xBB, 0xBF])
            .map_err(|e| e.to_string())?;
        let mut csv = csv::WriterBuilder::new().from_writer(csv_file);
        csv.write_record(csv_columns(def))
            .map_err(|e| e.to_string())?;
        Ok(OutputWriter {
            out: out.to_path_buf(),
            def,
            csv,
            jsonl: AtomicFile::create(&out.join("dataset.jsonl"))?,
            failures: AtomicFile::create(&out.join("failures.jsonl"))?,
            written: Vec::new(),
            used_names: HashMap::new(),
            by_country: BTreeMap::new(),
            summary: Summary {
                schema: "msq-batch/1",
                inputs,
                processed: 0,
                failed: 0,
                failures_by_kind: BTreeMap::new(),
                warnings_by_code: BTreeMap::new(),
                member_states_found: 0,
                member_states_missing: Vec::new(),
                duplicate_countries: BTreeMap::new(),
            },
        })
    }

    /// Writes the outputs of the next input.
    pub fn add(&mut self, input: &Input, outcome: Outcome) -> Result<(), String> {
        let file = input.path.display().to_string();
        let summary = &mut self.summary;
        match outcome {
            Outcome::Error { kind, message } => {
                summary.failed += 1;
                *summary.failures_by_kind.entry(kind.clone()).or_default() += 1;
                let line = json!({ "file": file, "kind": kind, "message": message });
                serde_json::to_writer(&mut self.failures, &line).map_err(|e| e.to_string())?;
                self.failures.write_all(b"\n").map_err(|e| e.to_string())?;
            }
            Outcome::Ok(extract) => {
                summary.processed += 1;
                let view: RowView = serde_json::from_str(extract.get())
                    .map_err(|e| format!("{file}: unreadable stored result: {e}"))?;
                let iso3 = view.country.iso3.as_deref();
                let base = match iso3 {
                    Some(code) => code.to_string(),
                    None => safe_stem(
                        input
                            .path
                            .file_stem()
                            .map(|s| s.to_string_lossy())
                            .as_deref()
                            .unwrap_or("document"),
                    ),
                };
                let n = self.used_names.entry(base.clone()).or_insert(0);
                *n += 1;
                let name = if *n == 1 {
                    format!("{base}.json")
                } else {
                    format!("{base}.{n}.json")
                };
                let mut compact = String::from(Box::<str>::from(extract));
                let mut codes: Vec<&str> = view.warnings.iter().map(|w| w.code.as_str()).collect();
                if let Some(code) = iso3 {
                    let others = self.by_country.entry(code.to_string()).or_default();
                    if let Some(first) = others.first() {
                        let warning = json!({
                            "code": DUPLICATE_COUNTRY,
                            "message": format!("{code} also comes from {first}; this file is kept as {name}"),
                        });
                        push_warning(&mut compact, &warning.to_string())
                            .map_err(|e| format!("{file}: {e}"))?;
                        codes.push(DUPLICATE_COUNTRY);
                    }
                    others.push(file.clone());
                }
                for code in &codes {
                    *summary
                        .warnings_by_code
                        .entry(code.to_string())
                        .or_default() += 1;
                }
                write_atomic(&self.out.join(&name), &pretty(&compact)?)?;
                self.written.push(name);
                self.jsonl
                    .write_all(compact.as_bytes())
                    .and_then(|_| self.jsonl.write_all(b"\n"))
                    .map_err(|e| e.to_string())?;
                self.csv
                    .write_record(
                        csv_row(&view, codes.len(), &file, self.def)
                            .iter()
                            .map(|c| neutralize_formula(c)),
                    )
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }

    /// Writes the datasets and the summary in place.
    pub fn finish(self) -> Result<Summary, String> {
        let OutputWriter {
            out,
            csv,
            jsonl,
            failures,
            written,
            by_country,
            mut summary,
            ..
        } = self;
        let found: HashSet<&String> = by_country.keys().collect();
        summary.member_states_found = MEMBER_STATES
            .iter()
            .filter(|s| found.contains(&s.iso3))
            .count();
        summary.member_states_missing = MEMBER_STATES
            .iter()
            .filter(|s| !found.contains(&s.iso3))
            .map(|s| s.iso3.clone())
            .collect();
        summary.member_states_missing.sort();
        summary.duplicate_countries = by_country
            .into_iter()
            .filter(|(_, files)| files.len() > 1)
            .collect();

        csv.into_inner().map_err(|e| e.to_string())?.commit()?;
        jsonl.commit()?;
        failures.commit()?;
        let mut summary_json = serde_json::to_string_pretty(&summary).expect("json");
        summary_json.push('\n');
        write_atomic(&out.join("summary.json"), summary_json.as_bytes())?;
        remove_outputs_of_earlier_runs(&out, &written)?;
        Ok(summary)
    }
}

/// Per-document files of an earlier run that this run did not write (their
/// input is gone, or its country changed) are removed.
fn remove_outputs_of_earlier_runs(out: &Path, written: &[String]) -> Result<(), String> {
    let manifest = out.join(CACHE_DIR).join(MANIFEST);
    let keep: HashSet<&str> = written.iter().map(String::as_str).collect();
    if let Ok(old) = std::fs::read_to_string(&manifest) {
        for name in old.lines().filter(|n| !keep.contains(n)) {
            // Names in the manifest are ones this program wrote: plain file names.
            if !name.contains(['/', '\\']) && !name.starts_with('.') {
                let _ = std::fs::remove_file(out.join(name));
            }
        }
    }
    write_atomic(&manifest, (written.join("\n") + "\n").as_bytes())
}

/// Appends a warning to an extract's compact JSON, whose last member is its
/// warnings array (`…,"warnings":[…]}`), as the worker writes it.
fn push_warning(extract: &mut String, warning: &str) -> Result<(), String> {
    let Some(body) = extract.strip_suffix("]}") else {
        return Err("stored result does not end with its warnings".into());
    };
    let separator = if body.ends_with("\"warnings\":[") {
        ""
    } else {
        ","
    };
    extract.insert_str(body.len(), &format!("{separator}{warning}"));
    Ok(())
}

/// The pretty-printed file of an extract, made from its compact JSON by
/// putting white space between the tokens, as `serde_json::to_writer_pretty`
/// lays them out (two spaces a level, `": "` after a key, `[]` and `{}` for
/// empty ones). Strings and numbers are copied as they are: for JSON that
/// serde_json wrote, they are what it would write again. Parsing the JSON
/// and writing it again (serde-transcode) was the batch process's largest
/// cost after creating the files.
fn pretty(compact: &str) -> Result<Vec<u8>, String> {
    let bytes = compact.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 2);
    let new_line = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + 2 * depth, b' ');
    };
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => {
                let start = i - 1;
                loop {
                    match bytes.get(i) {
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                        None => return Err("unterminated string in a stored result".into()),
                    }
                }
                i += 1;
                out.extend_from_slice(&bytes[start..i]);
            }
            b'{' | b'[' => {
                out.push(b);
                let close = if b == b'{' { b'}' } else { b']' };
                let rest = &bytes[i..];
                let blank = rest.len() - rest.trim_ascii_start().len();
                if rest.get(blank) == Some(&close) {
                    out.push(close);
                    i += blank + 1;
                } else {
                    depth += 1;
                    new_line(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or("unbalanced brackets in a stored result")?;
                new_line(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                new_line(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            b' ' | b'\n' | b'\r' | b'\t' => {}
            _ => out.push(b),
        }
    }
    if depth != 0 {
        return Err("unbalanced brackets in a stored result".into());
    }
    out.push(b'\n');
    Ok(out)
}

/// What a dataset row and the summary need of an extract, read from its
/// JSON; the rest (evidence, pages, positions) is skipped, not built.
#[derive(Deserialize)]
struct RowView {
    country: CountryView,
    #[serde(default)]
    date: Value,
    #[serde(default)]
    consent_to_publish: Value,
    source: SourceView,
    #[serde(default)]
    answers: FxHashMap<String, AnswerView>,
    #[serde(default)]
    warnings: Vec<WarningView>,
}

#[derive(Deserialize)]
struct CountryView {
    #[serde(default)]
    name: Value,
    iso3: Option<String>,
}

#[derive(Deserialize)]
struct SourceView {
    #[serde(default)]
    format: Value,
    #[serde(default)]
    pages: Value,
}

#[derive(Deserialize)]
struct WarningView {
    #[serde(default)]
    code: String,
}

/// An answer's scalar fields, whatever its kind (absent ones are null).
#[derive(Deserialize, Default)]
#[serde(default)]
struct AnswerView {
    entries: Option<Vec<EntryView>>,
    contact: Option<FxHashMap<String, Value>>,
    options: Option<FxHashMap<String, OptionView>>,
    text: Value,
    urls: Value,
    word_count: Value,
    value: Value,
    other_text: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntryView {
    name: Value,
    urls: Option<Vec<Value>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OptionView {
    checked: Value,
}

/// Columns of dataset.csv: the document, then one per scalar answer in
/// questionnaire order.
pub fn csv_columns(def: &Definition) -> Vec<String> {
    let mut cols: Vec<String> = [
        "file",
        "format",
        "pages",
        "country",
        "iso3",
        "date",
        "consent_to_publish",
        "warnings",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for q in def.answer_questions() {
        let id = &q.id;
        match q.kind {
            Kind::Entries | Kind::Group => {
                cols.push(format!("{id}.names"));
                cols.push(format!("{id}.urls"));
            }
            Kind::Contact => {
                for f in ["name", "title", "organization", "email", "phone"] {
                    cols.push(format!("{id}.{f}"));
                }
            }
            Kind::Text => {
                cols.push(format!("{id}.text"));
                cols.push(format!("{id}.urls"));
                cols.push(format!("{id}.word_count"));
            }
            Kind::YesNo => cols.push(id.clone()),
            Kind::Checklist => {
                for o in &q.options {
                    cols.push(format!("{id}.{}", o.id));
                }
                for f in ["other_text", "text", "urls", "word_count"] {
                    cols.push(format!("{id}.{f}"));
                }
            }
        }
    }
    cols
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(" | "),
        Value::Object(_) => v.to_string(),
    }
}

fn csv_row(doc: &RowView, warnings: usize, file: &str, def: &Definition) -> Vec<String> {
    let mut row = vec![
        file.to_string(),
        scalar(&doc.source.format),
        scalar(&doc.source.pages),
        scalar(&doc.country.name),
        doc.country.iso3.clone().unwrap_or_default(),
        scalar(&doc.date),
        scalar(&doc.consent_to_publish),
        warnings.to_string(),
    ];
    let none = AnswerView::default();
    for q in def.answer_questions() {
        let a = doc.answers.get(&q.id).unwrap_or(&none);
        match q.kind {
            Kind::Entries | Kind::Group => {
                let entries = a.entries.as_deref().unwrap_or_default();
                row.push(
                    entries
                        .iter()
                        .map(|e| scalar(&e.name))
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
                row.push(
                    entries
                        .iter()
                        .flat_map(|e| e.urls.iter().flatten())
                        .map(scalar)
                        .collect::<Vec<_>>()
                        .join(" | "),
                );
            }
            Kind::Contact => {
                for f in ["name", "title", "organization", "email", "phone"] {
                    let v = a.contact.as_ref().and_then(|c| c.get(f));
                    row.push(v.map(scalar).unwrap_or_default());
                }
            }
            Kind::Text => {
                row.push(scalar(&a.text));
                row.push(scalar(&a.urls));
                row.push(scalar(&a.word_count));
            }
            Kind::YesNo => row.push(scalar(&a.value)),
            Kind::Checklist => {
                for o in &q.options {
                    let checked = a.options.as_ref().and_then(|m| m.get(&o.id));
                    row.push(checked.map(|c| scalar(&c.checked)).unwrap_or_default());
                }
                for v in [&a.other_text, &a.text, &a.urls, &a.word_count] {
                    row.push(scalar(v));
                }
            }
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe_names() {
        assert_eq!(safe_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_stem("/abs/path"), "_abs_path");
        assert_eq!(safe_stem(".hidden"), "hidden");
        assert_eq!(safe_stem("CON"), "_CON");
        assert_eq!(safe_stem("nul.tar"), "_nul.tar");
        assert_eq!(safe_stem("Japan MSQ 2020"), "Japan_MSQ_2020");
        assert_eq!(safe_stem(""), "document");
    }

    #[test]
    fn a_warning_is_appended_to_the_stored_json_as_to_its_values() {
        let warning = r#"{"code":"duplicate_country","message":"m"}"#;
        for stored in [
            r#"{"answers":{"q1":{"warnings":[]}},"warnings":[]}"#,
            r#"{"answers":{},"warnings":[{"code":"unanswered","message":"é \"x\""}]}"#,
        ] {
            let mut spliced = stored.to_string();
            push_warning(&mut spliced, warning).unwrap();
            let mut value: Value = serde_json::from_str(stored).unwrap();
            value["warnings"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::from_str(warning).unwrap());
            assert_eq!(spliced, value.to_string());
            let mut expected = serde_json::to_string_pretty(&value).unwrap();
            expected.push('\n');
            assert_eq!(pretty(&spliced).unwrap(), expected.as_bytes());
        }
        let mut other = r#"{"warnings":[],"answers":{}}"#.to_string();
        assert!(push_warning(&mut other, warning).is_err());
    }

    #[test]
    fn pretty_is_serde_json_pretty() {
        for json in [
            r#"{"a":1,"b":[1,2.5,-3e-7,null,true],"c":{},"d":[],"e":[{}],"f":[[],[[]]]}"#,
            r#"{"s":"quote \" backslash \\ slash / tab \t nl \n ctl \u001f é 中 {[,:]}"}"#,
            r#"{"nested":{"x":{"y":{"z":[{"k":"v"},{"k":""}]}}},"n":18446744073709551615}"#,
            r#"[]"#,
            r#" { "spaced" : [ 1 , { } ] } "#,
        ] {
            let value: Value = serde_json::from_str(json).unwrap();
            let mut expected = serde_json::to_string_pretty(&value).unwrap();
            expected.push('\n');
            assert_eq!(
                String::from_utf8(pretty(json).unwrap()).unwrap(),
                expected,
                "{json}"
            );
        }
        for broken in [r#"{"a":"#, r#"{"a":[1}"#, r#"]"#, r#"{"a":"x"#] {
            assert!(pretty(broken).is_err(), "{broken}");
        }
    }

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(
            neutralize_formula("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralize_formula("+1"), "'+1");
        assert_eq!(neutralize_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize_formula("plain"), "plain");
    }
}
