#!/usr/bin/env bash
# Extracts every document of the sample corpus into OUT (default: out/), one
# JSON file per document, and prints one line per file.
# Usage: scripts/extract_corpus.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
mkdir -p "$out"
cargo build --release --quiet --bin msq
status=0
for f in corpus/docx/*.docx corpus/text/*.txt; do
  name=$(basename "$f")
  if ./target/release/msq extract "$f" -o "$out/${name%.*}.json"; then
    python3 - "$out/${name%.*}.json" "$name" <<'PY' 2>/dev/null || echo "ok    $name"
import json, sys
d = json.load(open(sys.argv[1]))
checked = sum(1 for a in d["answers"].values() for o in a.get("options", {}).values() if o["checked"])
print(f"ok    {sys.argv[2]:52} {d['country']['iso3'] or '---'}  {checked:3} boxes ticked  {len(d['warnings']):2} warnings")
PY
  else
    status=1
  fi
done
echo "outputs in $out/"
exit $status
