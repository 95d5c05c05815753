#!/usr/bin/env bash
# Per-document time and peak memory on the PDF corpus, in one run:
#   msq extract   one process per file: full structured extraction to JSON (text
#                 layer, boxes of every kind, form fields, links, answers)
#   msq warm      the same work in one process, files in memory (as a batch runs)
#   pdftotext     one process per file: plain text dump only (poppler-utils)
#   PyMuPDF       one Python process: page text and form widgets, no interpretation
# Usage: scripts/bench_pdf.sh [FILES...]   (default: corpus/pdf/*.pdf)
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(corpus/pdf/*.pdf)
cargo build --release --quiet --bin msq --example bench_extract
echo "files: ${#files[@]} PDFs; machine: $(nproc) cores"
python3 - "${files[@]}" <<'PY'
import os, shutil, subprocess, sys, time

files = sys.argv[1:]
ROUNDS = 5

TIME = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)

def per_process(argv_for):
    """Best-of-rounds wall ms per document, and the largest peak RSS (MB) of any
    one process, running one process per file. Memory is read by GNU time:
    the rusage of a child forked from Python counts Python's own pages."""
    best = None
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for f in files:
            subprocess.run(argv_for(f), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ms = (time.perf_counter() - start) * 1000 / len(files)
        best = ms if best is None else min(best, ms)
    peak = None
    if TIME:
        peak = 0
        for f in files:
            r = subprocess.run([TIME, "-f", "%M", *argv_for(f)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
            peak = max(peak, int(r.stderr.strip().splitlines()[-1]))
        peak /= 1024
    return best, peak

rows = []
rows.append(("msq extract, full extraction, process per file",
             *per_process(lambda f: ["./target/release/msq", "extract", f])))
warm = subprocess.run(["./target/release/examples/bench_extract", *files],
                      capture_output=True, text=True, check=True).stdout.split()
rows.append(("msq, full extraction, warm in one process", float(warm[1]), None))
if shutil.which("pdftotext"):
    rows.append(("pdftotext, plain text only, process per file",
                 *per_process(lambda f: ["pdftotext", "-q", f, "-"])))
else:
    print("pdftotext not installed (apt-get install poppler-utils): skipped")

peer = r'''
import resource, sys, time
import pymupdf
files = sys.argv[1:]
def read(f):
    with pymupdf.open(f) as doc:
        for page in doc:
            page.get_text()
            for w in page.widgets():
                w.field_value
for f in files:
    read(f)
best = None
for _ in range(5):
    start = time.perf_counter()
    for f in files:
        read(f)
    ms = (time.perf_counter() - start) * 1000 / len(files)
    best = ms if best is None else min(best, ms)
print(best, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
'''
out = subprocess.run([sys.executable, "-c", peer, *files], capture_output=True, text=True)
if out.returncode == 0:
    ms, mb = map(float, out.stdout.split())
    rows.append(("PyMuPDF, text and widgets, warm in one process", ms, mb))
else:
    print("PyMuPDF not installed (pip install pymupdf): skipped")

print(f"{'tool':52} {'ms/doc':>8} {'peak RSS MB':>12}")
for name, ms, mb in rows:
    print(f"{name:52} {ms:8.2f} {('%.1f' % mb) if mb else '-':>12}")
msq_cold = rows[0][1]
msq_warm = rows[1][1]
for name, ms, _ in rows[2:]:
    base = msq_cold if "process per file" in name else msq_warm
    print(f"ratio {name.split(',')[0]} / msq ({'process per file' if base is msq_cold else 'warm'}): {ms / base:.2f}x")
PY
