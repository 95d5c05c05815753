#!/usr/bin/env python3
"""The text msq reads from PDFs against pdftotext's, word by word.

For every PDF under the folders given (default: ../shared/corpora), counts
the words (case-folded \\w+ runs, first 30 pages) of `pdftotext` and of
`msq inspect`, and lists the files where msq has less than 60% of
pdftotext's words (recall) or pdftotext less than 60% of msq's (precision;
usually pdftotext's own text is garbled there). Files with fewer than 30
words in pdftotext's text are left out. Needs poppler-utils and a release
build (cargo build --release).

Usage: scripts/compare_text_with_pdftotext.py [FOLDER...]
"""
import json
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MSQ = ROOT / "target" / "release" / "msq"
MIN_WORDS, THRESHOLD = 30, 0.6


def words(text):
    return Counter(re.findall(r"\w+", text.lower()))


def compare(path):
    try:
        ref = subprocess.run(["pdftotext", "-q", "-l", "30", str(path), "-"],
                             capture_output=True, timeout=60).stdout.decode("utf-8", "replace")
        out = subprocess.run([str(MSQ), "inspect", str(path)], capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        return None
    lines = json.loads(out.stdout)["lines"]
    ours = words("\n".join(l["text"] for l in lines if l.get("page", 1) <= 30))
    theirs = words(ref)
    shared = sum((ours & theirs).values())
    return path, sum(theirs.values()), sum(ours.values()), shared


def main():
    folders = [Path(a) for a in sys.argv[1:]] or [ROOT.parent / "shared" / "corpora"]
    pdfs = sorted(p for f in folders for p in f.rglob("*") if p.suffix.lower() == ".pdf")
    with ThreadPoolExecutor() as pool:
        results = [r for r in pool.map(compare, pdfs) if r]
    compared = [r for r in results if r[1] >= MIN_WORDS]
    low = []
    for path, theirs, ours, shared in compared:
        recall, precision = shared / theirs, shared / max(ours, 1)
        if min(recall, precision) < THRESHOLD:
            low.append((min(recall, precision), recall, precision, theirs, ours, path))
    print(f"{len(pdfs)} PDFs, {len(results)} read by msq, {len(compared)} with "
          f"{MIN_WORDS}+ words in pdftotext's text; below {THRESHOLD:.0%}: {len(low)}")
    for _, recall, precision, theirs, ours, path in sorted(low):
        print(f"  recall {recall:.2f}  precision {precision:.2f}  words {theirs} vs {ours}  {path}")


if __name__ == "__main__":
    main()
