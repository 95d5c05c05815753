#!/usr/bin/env bash
# Batch throughput on one set of PDFs (the corpus PDFs copied until there are at
# least 200), measured in one run on the same files:
#   msq batch -j 1 and -j N   full structured extraction, outputs and datasets
#   pdftotext, xargs -P N     plain text only
#   kreuzberg                 batch_extract_files_sync, text only (PyPI)
#   PyMuPDF loop              page text and form widgets, one process
# Prints files per second, ratios, the scaling of msq from 1 to N workers, and
# peak memory (GNU time; for msq the largest of the batch and its workers).
# Usage: scripts/bench_batch.sh [MIN_FILES]
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-200}
cores=$(nproc)
cargo build --release --quiet --bin msq --example bench_extract
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
n=0
while [ "$n" -lt "$min" ]; do
  for f in corpus/pdf/*.pdf; do
    n=$((n + 1))
    # Each copy made unique (a comment after %%EOF), so that no tool can
    # serve a copy from a cache of an earlier one.
    dst="$work/in/$(printf '%04d' "$n")_$(basename "$f")"
    cp "$f" "$dst"
    printf '%% copy %d\n' "$n" >> "$dst"
  done
done
echo "files: $n PDFs (corpus/pdf replicated); machine: $cores cores"
python3 - "$work" "$cores" <<'PY'
import glob, os, shutil, subprocess, sys, time
work, cores = sys.argv[1], int(sys.argv[2])
files = sorted(glob.glob(f"{work}/in/*.pdf"))
TIME = shutil.which("time") or "/usr/bin/time"

def timed(argv, ok=(0,), **kw):
    """Wall seconds and peak RSS in MB (of the largest process, via GNU time -v)."""
    start = time.perf_counter()
    r = subprocess.run([TIME, "-f", "%M", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw)
    elapsed = time.perf_counter() - start
    if r.returncode not in ok:
        raise SystemExit(f"{argv[0]} failed: {r.stderr[-500:]}")
    peak = int(r.stderr.strip().splitlines()[-1]) / 1024
    return elapsed, peak

rows = []
for j in (1, cores):
    out = f"{work}/out-{j}"
    shutil.rmtree(out, ignore_errors=True)
    # The batch's own RSS; workers are measured separately below.
    # Exit 1 means some files failed; the run still counts.
    secs, peak = timed(["./target/release/msq", "batch", f"{work}/in", "-o", out, "-j", str(j), "-q"], ok=(0, 1))
    rows.append((f"msq batch -j {j} (full extraction)", secs, peak))

# Peak RSS of one worker, on the largest file.
largest = max(files, key=os.path.getsize)
r = subprocess.run([TIME, "-f", "%M", "./target/release/msq", "extract", largest], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
worker_peak = int(r.stderr.strip().splitlines()[-1]) / 1024

secs, peak = timed(["sh", "-c", f"ls {work}/in/*.pdf | xargs -P {cores} -I{{}} pdftotext -q {{}} /dev/null"])
rows.append((f"pdftotext, xargs -P {cores} (text only)", secs, None))

kreuzberg = r'''
import sys
from kreuzberg import ExtractionConfig, batch_extract_files_sync
results = batch_extract_files_sync(sys.argv[1:], config=ExtractionConfig(use_cache=False, disable_ocr=True))
chars = sum(len(r.content) for r in results)
assert len(results) == len(sys.argv[1:]) and chars > 0, (len(results), chars)
'''
try:
    secs, peak = timed([sys.executable, "-c", kreuzberg, *files])
    rows.append(("kreuzberg batch_extract_files_sync (text only)", secs, peak))
except SystemExit as e:
    print("kreuzberg not available (pip install kreuzberg):", str(e)[:200])

pymupdf = r'''
import sys, pymupdf
for f in sys.argv[1:]:
    with pymupdf.open(f) as doc:
        for page in doc:
            page.get_text()
            for w in page.widgets():
                w.field_value
'''
try:
    secs, peak = timed([sys.executable, "-c", pymupdf, *files])
    rows.append(("PyMuPDF loop (text and widgets)", secs, peak))
except SystemExit as e:
    print("PyMuPDF not available (pip install pymupdf):", str(e)[:200])

print(f"{'tool':50} {'seconds':>8} {'files/s':>9} {'peak MB':>8}")
for name, secs, peak in rows:
    print(f"{name:50} {secs:8.2f} {len(files) / secs:9.1f} {('%.0f' % peak) if peak else '-':>8}")
print(f"msq worker peak RSS on the largest file: {worker_peak:.0f} MB")
msq = {name: secs for name, secs, _ in rows}
best = msq[f"msq batch -j {cores} (full extraction)"]
print(f"scaling msq 1 -> {cores} workers: {msq['msq batch -j 1 (full extraction)'] / best:.2f}x")
for name, secs, _ in rows[2:]:
    print(f"msq -j {cores} throughput / {name.split(' (')[0]}: {secs / best:.1f}x")

# hayro-interpret, the renderer's interpreter msq read pages with before its
# own text-only one: loading and interpreting the pages alone (glyphs asked
# for their Unicode, nothing kept), warm, one core.
floor = subprocess.run(["./target/release/examples/bench_extract", "--hayro-floor", *sorted(glob.glob("corpus/pdf/*.pdf"))],
                       capture_output=True, text=True, check=True).stdout.split()[1]
print(f"hayro-interpret alone (load + interpret, no layout or output): {float(floor):.2f} ms per PDF per core")
# Where msq's own time goes, warm, one core, on the same PDFs.
stages = subprocess.run(["./target/release/examples/bench_extract", *sorted(glob.glob("corpus/pdf/*.pdf"))],
                        capture_output=True, text=True, check=True).stdout.splitlines()
print("msq warm, one core:", stages[0].split()[1], "ms per PDF;", " ".join(stages[1].split()[1:]), "(ms per PDF)")
PY
