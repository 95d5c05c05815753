#!/usr/bin/env python3
"""Writes tests/data/word_checkboxes.json: the check boxes of the real-world Word
files named in shared/corpora/SOURCES.md, read independently of msq with
Python's zipfile and ElementTree, in document order.

Run once by a developer (CI reads the committed file; it needs no Python).
Usage: python3 scripts/expect_word_checkboxes.py [path/to/shared]
"""

import json
import sys
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"

FILES = [
    "docx-form/docx_form_tests/test.docx",
    "open-xml-sdk/test/DocumentFormat.OpenXml.Tests.Assets/assets/TestFiles/Complex01.docx",
    "open-xml-sdk/test/DocumentFormat.OpenXml.Tests.Assets/assets/TestFiles/Strict01.docx",
    "node-word-extractor/__tests__/data/test07.docx",
    "poi/test-data/document/checkboxes.docx",
    "poi/test-data/integration/stress005.docx",
    "pandoc/test/docx/task_list.docx",
]

BOX_GLYPHS = {"☐": False, "☑": True, "☒": True}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def attr(el, name):
    for k, v in el.attrib.items():
        if local(k) == name:
            return v
    return None


def on(value):
    return value is None or value.lower() in ("1", "true", "on")


def main_part(z):
    rels = ET.fromstring(z.read("_rels/.rels"))
    for r in rels:
        if attr(r, "Type").endswith("/officeDocument"):
            return attr(r, "Target").lstrip("/")
    return "word/document.xml"


def bullets(z, part):
    """(numId, ilvl) -> lvlText for list levels whose bullet is a box glyph."""
    folder = part.rsplit("/", 1)[0]
    rels_name = f"{folder}/_rels/{part.rsplit('/', 1)[1]}.rels"
    target = None
    if rels_name in z.namelist():
        for r in ET.fromstring(z.read(rels_name)):
            if attr(r, "Type").endswith("/numbering"):
                target = f"{folder}/{attr(r, 'Target')}"
    if not target or target not in z.namelist():
        return {}
    root = ET.fromstring(z.read(target))
    levels = {}
    for a in root:
        if local(a.tag) == "abstractNum":
            for lvl in a:
                if local(lvl.tag) == "lvl":
                    for c in lvl:
                        if local(c.tag) == "lvlText":
                            levels[(attr(a, "abstractNumId"), attr(lvl, "ilvl"))] = attr(c, "val")
    out = {}
    for n in root:
        if local(n.tag) == "num":
            for c in n:
                if local(c.tag) == "abstractNumId":
                    for (a, l), text in levels.items():
                        if a == attr(c, "val"):
                            out[(attr(n, "numId"), l)] = text
    return out


def boxes(path):
    z = zipfile.ZipFile(path)
    part = main_part(z)
    numbering = bullets(z, part)
    root = ET.fromstring(z.read(part))
    found = []

    def walk(el, in_checkbox_control=False, in_deleted=False):
        name = local(el.tag)
        if name in ("del", "Fallback"):
            return
        if name == "sdt":
            props = next((c for c in el if local(c.tag) == "sdtPr"), None)
            cb = None
            if props is not None:
                for c in props.iter():
                    if local(c.tag) == "checkbox":
                        cb = False
                        for cc in c:
                            if local(cc.tag) == "checked":
                                cb = on(attr(cc, "val"))
            if cb is not None:
                found.append({"checked": cb, "kind": "content_control"})
            for c in el:
                if local(c.tag) == "sdtContent":
                    for cc in c:
                        walk(cc, in_checkbox_control or cb is not None)
            return
        if name == "p":
            ppr = next((c for c in el if local(c.tag) == "pPr"), None)
            if ppr is not None:
                num = {local(c.tag): attr(c, "val") for n in ppr if local(n.tag) == "numPr" for c in n}
                text = numbering.get((num.get("numId"), num.get("ilvl", "0")))
                if text in BOX_GLYPHS:
                    found.append({"checked": BOX_GLYPHS[text], "kind": "list_bullet"})
        if name == "ffData":
            for c in el:
                if local(c.tag) == "checkBox":
                    default = checked = None
                    for cc in c:
                        if local(cc.tag) == "default":
                            default = on(attr(cc, "val"))
                        if local(cc.tag) == "checked":
                            checked = on(attr(cc, "val"))
                    state = checked if checked is not None else bool(default)
                    found.append({"checked": state, "kind": "legacy_field"})
        if name == "t" and not in_checkbox_control and el.text:
            for ch in el.text:
                if ch in BOX_GLYPHS:
                    found.append({"checked": BOX_GLYPHS[ch], "kind": "glyph"})
        for c in el:
            walk(c, in_checkbox_control)

    walk(root)
    return found


def main():
    result = {}
    for rel in FILES:
        states = boxes(SHARED / "corpora" / rel)
        result[rel] = {"count": len(states), "checked": [s["checked"] for s in states],
                       "kinds": sorted({s["kind"] for s in states})}
        print(rel, result[rel]["count"], sum(result[rel]["checked"]))
    out = ROOT / "tests" / "data" / "word_checkboxes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
