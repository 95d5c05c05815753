#!/usr/bin/env bash
# Measures the candidate PDF libraries on every PDF in ../shared/corpora, each
# (library, file) in its own process so that a panic, an abort or a stack
# overflow is counted rather than fatal: lopdf (load only), pdf-extract (text),
# hayro-interpret (every page interpreted: glyphs and paths). The figures chose
# the library (README, "Why these libraries").
# Usage: scripts/measure_pdf_libs.sh [CORPORA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=${1:-../shared/corpora}
(cd bench/pdf-libs && cargo build --release --quiet)
find "$corpora" -type f -iname '*.pdf' | sort > /tmp/msq-pdf-list.txt
bench/pdf-libs/target/release/measure-pdf-libs < /tmp/msq-pdf-list.txt > /tmp/msq-pdf-libs.tsv
python3 - /tmp/msq-pdf-libs.tsv <<'PY'
import collections, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
by = collections.defaultdict(list)
for lib, ms, path, out in rows:
    by[lib].append((float(ms), out))
print(f"{'library':12} {'files':>6} {'ok':>5} {'error':>6} {'panic':>6} {'crash':>6} {'timeout':>8} {'total s':>8}")
for lib, v in by.items():
    kinds = collections.Counter(o.split(" ")[0] for _, o in v)
    crash = sum(n for k, n in kinds.items() if k in ("crash", "exit"))
    print(f"{lib:12} {len(v):6} {kinds['ok']:5} {kinds['err']:6} {kinds['panic']:6} {crash:6} "
          f"{kinds['timeout']:8} {sum(ms for ms, _ in v) / 1000:8.1f}")
PY
