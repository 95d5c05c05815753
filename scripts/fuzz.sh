#!/usr/bin/env bash
# Runs the five fuzz targets (docx, doc, pdf, text, extract) for SECONDS each, two at
# a time, seeded from corpus/ and ../shared/corpora. Findings (crash-*, hang-*)
# land in fuzz-findings/; copy them to tests/data/fuzz/ to make them
# regression tests. Exit 1 if anything was found.
# Usage: scripts/fuzz.sh [SECONDS] [SEED]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
seed=${2:-$(date +%s)}
cargo build --release --quiet --example fuzz || exit 2
seeds=(corpus)
[ -d ../shared/corpora ] && seeds+=(../shared/corpora)
status=0
run() {
  ./target/release/examples/fuzz --target "$1" --seconds "$seconds" --seed "$seed" --out fuzz-findings "${seeds[@]}"
}
for pair in "docx pdf" "text extract" "doc"; do
  set -- $pair
  run "$1" & a=$!
  if [ $# -gt 1 ]; then run "$2" & b=$!; wait $b || status=1; fi
  wait $a || status=1
done
[ -d fuzz-findings ] && ls fuzz-findings
exit $status
