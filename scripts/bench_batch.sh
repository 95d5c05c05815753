#!/usr/bin/env bash
# Batch throughput on one set of PDFs (the corpus PDFs copied until there are at
# least 200), measured in one run on the same files:
#   msq batch -j 1 and -j N   full structured extraction, outputs and datasets
#   pdftotext, xargs -P N     plain text only
#   kreuzberg                 batch_extract_files_sync, text only (PyPI)
#   PyMuPDF loop              page text and form widgets, one process
# Prints files per second, ratios, the scaling of msq from 1 to N workers, and
# peak memory (GNU time; for msq the largest of the batch and its workers).
# Each tool is run ROUNDS times, the tools taking turns; medians are shown,
# and each ratio is the median of the ratios within a round.
# Usage: scripts/bench_batch.sh [MIN_FILES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-200}
rounds=${2:-5}
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
python3 - "$work" "$cores" "$rounds" <<'PY'
import glob, os, shutil, statistics, subprocess, sys, tempfile, time
work, cores, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
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

def msq(j):
    def run():
        # A folder of its own for each run, all removed with the work folder
        # after the runs. A folder removed just before a run has the file
        # system step over the inodes it freed each time it creates a file
        # (ext4 without a journal, as here, does so for a minute or more):
        # the harness's clean-up was charged to msq, 3% of a run's CPU time
        # in a profile.
        out = tempfile.mkdtemp(prefix=f"out-{j}-", dir=work)
        # The batch's own RSS; a worker's is measured separately below.
        # Exit 1 means some files failed; the run still counts.
        return timed(["./target/release/msq", "batch", f"{work}/in", "-o", out, "-j", str(j), "-q"], ok=(0, 1))
    return run

kreuzberg = r"""
import sys
from kreuzberg import ExtractionConfig, batch_extract_files_sync
results = batch_extract_files_sync(sys.argv[1:], config=ExtractionConfig(use_cache=False, disable_ocr=True))
chars = sum(len(r.content) for r in results)
assert len(results) == len(sys.argv[1:]) and chars > 0, (len(results), chars)
"""
pymupdf = r"""
import sys, pymupdf
for f in sys.argv[1:]:
    with pymupdf.open(f) as doc:
        for page in doc:
            page.get_text()
            for w in page.widgets():
                w.field_value
"""
MSQ_J1, MSQ_JN = "msq batch -j 1 (full extraction)", f"msq batch -j {cores} (full extraction)"
tools = [
    (MSQ_J1, msq(1)),
    (MSQ_JN, msq(cores)),
    (f"pdftotext, xargs -P {cores} (text only)",
     lambda: (timed(["sh", "-c", f"ls {work}/in/*.pdf | xargs -P {cores} -I{{}} pdftotext -q {{}} /dev/null"])[0], None)),
    ("kreuzberg batch_extract_files_sync (text only)", lambda: timed([sys.executable, "-c", kreuzberg, *files])),
    ("PyMuPDF loop (text and widgets)", lambda: timed([sys.executable, "-c", pymupdf, *files])),
]

# Rounds of every tool one after the other: a machine whose speed drifts
# (a shared virtual machine) slows all tools of a round alike, so each ratio
# is taken within a round and the median of the rounds is reported.
times = {name: [] for name, _ in tools}
peaks = {name: [] for name, _ in tools}
missing = set()
for _ in range(rounds):
    for name, run in tools:
        if name in missing:
            continue
        try:
            secs, peak = run()
        except (SystemExit, FileNotFoundError) as e:
            print(f"{name.split(' (')[0]} not available (pip install kreuzberg pymupdf; apt-get install poppler-utils):", str(e)[:200])
            missing.add(name)
            continue
        times[name].append(secs)
        if peak:
            peaks[name].append(peak)

# Peak RSS of one worker, on the largest file.
largest = max(files, key=os.path.getsize)
r = subprocess.run([TIME, "-f", "%M", "./target/release/msq", "extract", largest], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
worker_peak = int(r.stderr.strip().splitlines()[-1]) / 1024

print(f"{rounds} rounds; median (min-max) seconds per tool")
print(f"{'tool':50} {'seconds':>8} {'(min-max)':>13} {'files/s':>9} {'peak MB':>8}")
for name, secs in times.items():
    if not secs:
        continue
    med = statistics.median(secs)
    peak = max(peaks[name]) if peaks[name] else None
    spread = f"({min(secs):.2f}-{max(secs):.2f})"
    print(f"{name:50} {med:8.2f} {spread:>13} {len(files) / med:9.1f} {('%.0f' % peak) if peak else '-':>8}")
print(f"msq worker peak RSS on the largest file: {worker_peak:.0f} MB")

def ratio(numerator, denominator):
    """Median over rounds of numerator's seconds / denominator's, and the range."""
    per_round = [a / b for a, b in zip(times[numerator], times[denominator])]
    return statistics.median(per_round), min(per_round), max(per_round)

med, lo, hi = ratio(MSQ_J1, MSQ_JN)
print(f"scaling msq 1 -> {cores} workers: {med:.2f}x (rounds {lo:.2f}-{hi:.2f})")
for name, _ in tools[2:]:
    if times[name]:
        med, lo, hi = ratio(name, MSQ_JN)
        print(f"msq -j {cores} throughput / {name.split(' (')[0]}: {med:.1f}x (rounds {lo:.1f}-{hi:.1f})")

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
