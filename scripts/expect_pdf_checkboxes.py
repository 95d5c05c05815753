#!/usr/bin/env python3
"""Writes tests/data/pdf_checkboxes.json: for every PDF in shared/corpora that
has check box or radio button widgets, the widgets per page and whether each is
on, as pypdf (an independent reader) sees them.

A widget is on when its appearance state /AS is not /Off; without /AS, when the
field's value /V names the widget's "on" appearance. Push buttons are not boxes.
Run once by a developer; CI reads the committed file and needs no Python.
Usage: python3 scripts/expect_pdf_checkboxes.py [path/to/shared]
"""

import json
import signal
import sys
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
PUSHBUTTON = 1 << 16
HIDDEN = (1 << 1) | (1 << 5)


def inherited(obj, key, depth=0):
    while obj is not None and depth < 32:
        if key in obj:
            return obj[key]
        parent = obj.get("/Parent")
        obj = parent.get_object() if parent is not None else None
        depth += 1
    return None


def on_name(widget):
    ap = widget.get("/AP")
    if ap is None:
        return None
    normal = ap.get_object().get("/N")
    if normal is None or not hasattr(normal.get_object(), "keys"):
        return None
    names = [k for k in normal.get_object().keys() if k != "/Off"]
    return names[0] if names else None


def boxes(path):
    reader = pypdf.PdfReader(str(path))
    if reader.is_encrypted:
        reader.decrypt("")
    pages = []
    for page in reader.pages:
        states = []
        for ref in page.get("/Annots") or []:
            w = ref.get_object()
            if w.get("/Subtype") != "/Widget" or "/Rect" not in w:
                continue
            if int(w.get("/F", 0)) & HIDDEN:
                continue
            if inherited(w, "/FT") != "/Btn" or int(inherited(w, "/Ff") or 0) & PUSHBUTTON:
                continue
            state = w.get("/AS")
            if state is not None:
                states.append(state != "/Off")
                continue
            value = inherited(w, "/V")
            on = on_name(w)
            states.append(value is not None and value != "/Off" and (on is None or value == on))
        pages.append(states)
    return pages


def main():
    result = {}
    corpora = SHARED / "corpora"
    for path in sorted(corpora.rglob("*")):
        if path.suffix.lower() != ".pdf" or not path.is_file():
            continue
        signal.alarm(20)
        try:
            pages = boxes(path)
        except Exception:
            continue
        finally:
            signal.alarm(0)
        if any(pages):
            rel = str(path.relative_to(corpora))
            result[rel] = [{"page": i + 1, "checked": states} for i, states in enumerate(pages) if states]
    out = ROOT / "tests" / "data" / "pdf_checkboxes.json"
    out.write_text(json.dumps(result, indent=1) + "\n")
    total = sum(len(p["checked"]) for pages in result.values() for p in pages)
    print(f"{len(result)} files, {total} check box and radio widgets")


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError()))
    main()
