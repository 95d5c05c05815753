#!/usr/bin/env bash
# CPU time per .docx questionnaire: msq's full structured extraction (warm, as in
# a batch, and cold, one `msq extract` process per file) against python-docx
# reading paragraph and table text only, on the same files in the same run.
# Usage: scripts/bench_docx.sh [FILES...]   (default: corpus/docx/*.docx)
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(corpus/docx/*.docx)
cargo build --release --quiet --bin msq --example bench_extract
echo "files: ${#files[@]} .docx questionnaires; machine: $(nproc) cores"

warm=$(./target/release/examples/bench_extract "${files[@]}")
echo "$warm"
warm_ms=$(echo "$warm" | head -1 | awk '{print $2}')

# Cold: one process per file, user+sys CPU time.
cold_ms=$(python3 - "${files[@]}" <<'PY'
import os, resource, subprocess, sys
files = sys.argv[1:]
rounds = 5
before = resource.getrusage(resource.RUSAGE_CHILDREN)
for _ in range(rounds):
    for f in files:
        subprocess.run(["./target/release/msq", "extract", f], stdout=subprocess.DEVNULL, check=True)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(f"{cpu * 1000 / (rounds * len(files)):.3f}")
PY
)
echo "msq_cold_cli_cpu_ms_per_doc $cold_ms (process start, definition compile, read, interpret, write)"

if python3 -c "import docx" 2>/dev/null; then
  peer_ms=$(python3 - "${files[@]}" <<'PY'
import sys, time
import docx
files = sys.argv[1:]
def text(path):
    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)
for f in files:
    text(f)
rounds = 5
start = time.process_time()
for _ in range(rounds):
    for f in files:
        text(f)
print(f"{(time.process_time() - start) * 1000 / (rounds * len(files)):.3f}")
PY
)
  echo "python_docx_text_only_cpu_ms_per_doc $peer_ms (no boxes, no links, no structure)"
  python3 -c "print(f'ratio python-docx text / msq warm full extraction: {float(\"$peer_ms\")/float(\"$warm_ms\"):.1f}x')"
else
  echo "python-docx not installed (pip install python-docx): peer skipped"
fi
