#!/usr/bin/env python3
"""Builds the sample corpus in corpus/ from the answer sets in corpus_answers.py.

Producers: python-docx writing real WordprocessingML (content controls, legacy
form fields, symbol fonts, hyperlinks both ways, a footnotes part, tracked
changes), LibreOffice round-tripping some of them into what Word-like writers
emit, and plain-text dumps. Each document gets `<name>.truth.json`, the ground
truth a correct extraction must match.

Needs: python-docx; LibreOffice (soffice) for the round-tripped files.
Usage: python3 scripts/make_corpus.py [--no-libreoffice]
"""

import copy
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_answers import DEFINITION, ROOT, corpus_specs, questions, truth  # noqa: E402

W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
OUT = ROOT / "corpus"

FOOTNOTES = DEFINITION["footnotes"]
# Where the form puts its footnote references: (question or place, word it follows, footnote number).
FOOTNOTE_PLACES = {
    "intro": ("UNDESA", 1), "q1": ("e-government", 2), "q2a": ("E-services", 3),
    "q2b": ("E-participation", 4), "q4": ("(CIO)", 5), "q16": ("body", 9), "q17": ("population", 10),
    "IX": ("Cooperation", 11),
}
INTRO = ("The objective of this questionnaire is to gather information from the Member States in "
         "preparation of the United Nations E-Government Survey 2020. UNDESA assesses national portals "
         "with the assistance of independent researchers. For any questions about this questionnaire, "
         "please contact dpidg@un.org.")
HINT = "(Maximum 250 words)"


class Writer:
    """Writes one questionnaire as .docx with python-docx plus raw WordprocessingML."""

    def __init__(self, spec):
        self.spec = spec
        self.doc = Document()
        self.footnotes = []  # (id, text)
        self.field_counter = 0

    # -- low-level pieces -------------------------------------------------
    def run(self, p, text, bold=False, font=None):
        r = p.add_run(text)
        r.bold = bold
        if font:
            r.font.name = font
        return r

    def raw(self, p, xml):
        el = parse_xml(xml)
        p._p.append(el)
        return el

    def footnote_ref(self, p, number):
        if self.spec.footnotes != "part":
            return
        fid = len(self.footnotes) + 1
        self.footnotes.append((fid, FOOTNOTES[number - 1]))
        self.raw(p, f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{fid}"/></w:r>')

    def text_with_footnote(self, p, text, place, bold=False):
        where = FOOTNOTE_PLACES.get(place)
        if where and where[0] in text and self.spec.footnotes == "part":
            word, number = where
            i = text.index(word) + len(word)
            self.run(p, text[:i], bold=bold)
            self.footnote_ref(p, number)
            self.run(p, text[i:], bold=bold)
        else:
            self.run(p, text, bold=bold)

    def hyperlink_rel(self, p, url, shown):
        rid = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        self.raw(p, f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:rPr>'
                    f'<w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>'
                    f'<w:t xml:space="preserve">{esc(shown)}</w:t></w:r></w:hyperlink>')

    def hyperlink_field(self, p, url, shown):
        # Word splits long instructions over several runs; so do we.
        half = len(url) // 2
        parts = [' HYPERLINK "', url[:half], url[half:], '" \\o "link" ']
        xml = [f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>']
        xml += [f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve">{esc(t)}</w:instrText></w:r>'
                for t in parts]
        xml.append(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>')
        xml.append(f'<w:r {nsdecls("w")}><w:rPr><w:u w:val="single"/></w:rPr>'
                   f'<w:t xml:space="preserve">{esc(shown)}</w:t></w:r>')
        xml.append(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>')
        for x in xml:
            self.raw(p, x)

    def url(self, p, url, shown=None):
        shown = shown or url
        mode = self.spec.link_mode
        if mode in ("relationship", "named"):
            self.hyperlink_rel(p, url, shown)
        elif mode == "field":
            self.hyperlink_field(p, url, shown)
        else:
            self.run(p, shown)

    def box(self, p, checked):
        kind = self.spec.box
        self.field_counter += 1
        n = self.field_counter
        if kind == "content_control":
            glyph = "☒" if checked else "☐"
            self.raw(p, f'<w:sdt {nsdecls("w")} {W14}><w:sdtPr><w:alias w:val="Check{n}"/><w:id w:val="{1000 + n}"/>'
                        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
                        f'<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
                        f'<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
                        f'<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" '
                        f'w:hAnsi="MS Gothic"/></w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')
        elif kind in ("legacy", "legacy_default"):
            if kind == "legacy":
                # Word writes <w:checked/> with no value for a ticked box.
                state = "<w:default w:val=\"0\"/>" + ("<w:checked/>" if checked else "")
            else:
                # The default is on for every box; unticked ones override it.
                state = "<w:default w:val=\"1\"/>" + ("" if checked else "<w:checked w:val=\"0\"/>")
            self.raw(p, f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check{n}"/>'
                        f'<w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{state}</w:checkBox>'
                        f'</w:ffData></w:fldChar></w:r>')
            self.raw(p, f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>')
            self.raw(p, f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>')
        elif kind == "wingdings":
            self.raw(p, f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings" w:char="{"F0FE" if checked else "F0A8"}"/></w:r>')
        elif kind == "wingdings2":
            self.raw(p, f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings 2" w:char="{"F054" if checked else "F0A3"}"/></w:r>')
        elif kind == "segoe":
            self.raw(p, f'<w:r {nsdecls("w")}><w:sym w:font="Segoe UI Symbol" w:char="{"2612" if checked else "2610"}"/></w:r>')
        elif kind == "symbol_run":
            # Text typed in the Wingdings font: 0xFE is a ticked box, 0xA8 an empty one.
            self.run(p, "\u00fe" if checked else "\u00a8", font="Wingdings")
        elif kind == "glyph":
            self.run(p, "☒" if checked else "☐")
        elif kind == "typed":
            if checked:
                self.run(p, "X")
        else:
            raise ValueError(kind)

    def option(self, container_p, label, checked, trailing=None):
        """Box and label in one paragraph, box before or after the label."""
        p = container_p
        if self.spec.box_after and self.spec.box != "typed":
            self.run(p, label + " ")
            self.box(p, checked)
        else:
            self.box(p, checked)
            if not (self.spec.box == "typed" and not checked):
                self.run(p, " ")
            self.run(p, label)
        if trailing:
            self.run(p, " " + trailing)

    def para(self, text="", style=None):
        p = self.doc.add_paragraph(style=style)
        if text:
            self.run(p, text)
        return p

    def placeholder(self):
        p = self.para()
        self.raw(p, f'<w:sdt {nsdecls("w")}><w:sdtPr><w:id w:val="77"/><w:showingPlcHdr/></w:sdtPr>'
                    f'<w:sdtContent><w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
                    f'<w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt>')

    # -- the form --------------------------------------------------------
    def header_footer(self):
        section = self.doc.sections[0]
        section.header.paragraphs[0].text = (
            f"UN E-Government Survey 2020 - Member States Questionnaire - {self.spec.country}")
        p = section.footer.paragraphs[0]
        self.run(p, "Page ")
        self.raw(p, f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        self.run(p, " of ")
        self.raw(p, f'<w:fldSimple {nsdecls("w")} w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>')

    def build(self):
        s = self.spec
        if s.header_footer:
            self.header_footer()
        self.para().add_run(DEFINITION["title"]).bold = True
        p = self.para()
        self.text_with_footnote(p, INTRO, "intro")
        if s.tables:
            t = self.doc.add_table(rows=2, cols=2)
            t.style = "Table Grid"
            t.cell(0, 0).text = "Country:"
            t.cell(0, 1).text = s.country
            t.cell(1, 0).text = "Date:"
            t.cell(1, 1).text = s.date_written
        else:
            self.para(s.country)
            self.para(s.date_written)
        p = self.para()
        self.option(p, DEFINITION["cover"]["consent"]["prompt"], s.consent)
        for section, q in questions():
            if q is section["questions"][0]:
                p = self.doc.add_paragraph(style="Heading 1")
                self.text_with_footnote(p, f"{section['id']}. {section['heading']}", section["id"])
            self.question(q)
        self.para("Thank you for taking the time to fill out the Member States Questionnaire (MSQ) 2020.")
        self.para("We appreciate your participation.")

    def prompt(self, q, number=None):
        style = "List Number" if self.spec.numbered_style and number else None
        p = self.doc.add_paragraph(style=style)
        if number and not style:
            self.run(p, f"{number}. ")
        text = q["prompt"]
        self.text_with_footnote(p, text, q["id"], bold=True)
        if q["kind"] == "text":
            self.run(p, " " + HINT)
        return p

    def question(self, q):
        kind = q["kind"]
        if q["id"] == "respondent":
            self.contact(self.spec.answers["respondent"])
            return
        number = q["number"].split(".")[-1] if q["id"].startswith("x") else q["number"]
        self.prompt(q, number)
        if kind == "group":
            for part in q["parts"]:
                p = self.para()
                self.run(p, f"{part['number'][-1]}. ")
                self.text_with_footnote(p, part["prompt"], part["id"])
                self.entries(self.spec.answers[part["id"]])
            return
        a = self.spec.answers[q["id"]]
        if kind == "entries":
            self.entries(a)
        elif kind == "contact":
            self.contact(a)
        elif kind == "text":
            self.text_answer(q["id"], a)
        elif kind == "yes_no":
            self.yes_no(a)
        elif kind == "checklist":
            self.checklist(q, a)

    def empty(self):
        if self.spec.placeholder:
            self.placeholder()

    def entries(self, entries):
        if entries is None:
            self.empty()
            return
        if self.spec.tables and self.spec.link_mode != "named":
            t = self.doc.add_table(rows=0, cols=2)
            t.style = "Table Grid"
            for e in entries:
                row = t.add_row()
                row.cells[0].paragraphs[0].add_run(e["name"])
                self.url(row.cells[1].paragraphs[0], e["url"])
            return
        for e in entries:
            p = self.para()
            self.run(p, "◇ ")
            if self.spec.link_mode == "named":
                self.url(p, e["url"], shown=e["name"])
            else:
                self.run(p, e["name"])
                self.url(self.para(), e["url"])

    def contact(self, c):
        labels = [("Name", "name"), ("Title", "title"), ("Organization", "organization"),
                  ("E-mail", "email"), ("Phone", "phone")]
        if c is None:
            for label, _ in labels:
                self.para(f"{label}:")
            return
        labels = [(l, k) for l, k in labels if k in c]
        if self.spec.tables:
            t = self.doc.add_table(rows=0, cols=2)
            t.style = "Table Grid"
            for label, key in labels:
                row = t.add_row()
                row.cells[0].text = f"{label}:"
                row.cells[1].text = c[key]
        else:
            for label, key in labels:
                self.para(f"{label}:\t{c[key]}")

    def text_answer(self, qid, a):
        if a is None:
            self.empty()
            return
        for k, text in enumerate(a["paragraphs"]):
            p = self.para()
            if self.spec.tracked_changes and qid == "q14" and k == 0:
                first, second = text.split(". ", 1)
                self.run(p, first + ". ")
                self.raw(p, f'<w:del {nsdecls("w")} w:id="901" w:author="Reviewer" w:date="2019-03-01T00:00:00Z">'
                            f'<w:r><w:delText xml:space="preserve">This sentence was deleted. </w:delText></w:r></w:del>')
                self.raw(p, f'<w:ins {nsdecls("w")} w:id="902" w:author="Reviewer" w:date="2019-03-01T00:00:00Z">'
                            f'<w:r><w:t xml:space="preserve">{esc(second)}</w:t></w:r></w:ins>')
                continue
            url = next((u for u in a["urls"] if u in text), None)
            if url:
                before, after = text.split(url, 1)
                self.run(p, before)
                self.url(p, url)
                if after:
                    self.run(p, after)
            else:
                self.run(p, text)

    def yes_no(self, a):
        checked = a["checked"]
        if self.spec.box == "typed":
            self.option(self.para(), "Yes", checked["yes"])
            self.option(self.para(), "No", checked["no"])
        elif self.spec.tables:
            t = self.doc.add_table(rows=1, cols=4)
            cells = t.rows[0].cells
            self.box(cells[0].paragraphs[0], checked["yes"])
            cells[1].paragraphs[0].add_run("Yes")
            self.box(cells[2].paragraphs[0], checked["no"])
            cells[3].paragraphs[0].add_run("No")
        else:
            p = self.para()
            self.option(p, "Yes", checked["yes"])
            self.run(p, "\t")
            self.option(p, "No", checked["no"])

    def checklist(self, q, a):
        qid = q["id"]
        options = q["options"]
        other_id = q.get("other_option")
        if qid == "q8":
            self.para("National e-government strategy or equivalent:")
        if qid == "q15" and self.spec.box != "typed":
            if self.spec.tables:
                t = self.doc.add_table(rows=0, cols=4)
                for i in range(0, len(options), 4):
                    row = t.add_row()
                    for j, o in enumerate(options[i:i + 4]):
                        trailing = a["other"] if o["id"] == other_id else None
                        self.option(row.cells[j].paragraphs[0], o["label"], a["checked"][o["id"]], trailing)
            else:
                for i in range(0, len(options), 4):
                    p = self.para()
                    for j, o in enumerate(options[i:i + 4]):
                        if j:
                            self.run(p, "\t")
                        trailing = a["other"] if o["id"] == other_id else None
                        self.option(p, o["label"], a["checked"][o["id"]], trailing)
        else:
            for o in options:
                label = o["label"]
                if o["id"] == other_id and q.get("text_is_other"):
                    label = "Other: (Max. 250 words)"
                trailing = a["other"] if o["id"] == other_id and not q.get("text_is_other") else None
                footnote = {"leave_no_one_behind": ("groups", 6), "new_technologies": ("technologies", 7),
                            "expenditure_publishing": ("expenditure", 8)}.get(o["id"])
                if self.spec.tables and self.spec.box != "typed":
                    t = self.doc.add_table(rows=1, cols=2)
                    self.box(t.rows[0].cells[0].paragraphs[0], a["checked"][o["id"]])
                    cp = t.rows[0].cells[1].paragraphs[0]
                    self.label_with_footnote(cp, label, footnote)
                    if trailing:
                        self.run(cp, " " + trailing)
                else:
                    p = self.para()
                    if self.spec.box_after and self.spec.box != "typed":
                        self.label_with_footnote(p, label, footnote)
                        self.run(p, " ")
                        self.box(p, a["checked"][o["id"]])
                    else:
                        self.box(p, a["checked"][o["id"]])
                        if not (self.spec.box == "typed" and not a["checked"][o["id"]]):
                            self.run(p, " ")
                        self.label_with_footnote(p, label, footnote)
                    if trailing:
                        self.run(p, " " + trailing)
            if q.get("text_is_other") and a["other"]:
                self.para(a["other"])
        for hint in q.get("hints", []):
            if hint.startswith("("):
                self.para(hint)
        if a["paragraphs"]:
            self.text_answer(qid, {"paragraphs": a["paragraphs"], "urls": a["urls"]})

    def label_with_footnote(self, p, label, footnote):
        if footnote and self.spec.footnotes == "part" and footnote[0] in label:
            i = label.index(footnote[0]) + len(footnote[0])
            self.run(p, label[:i])
            self.footnote_ref(p, footnote[1])
            self.run(p, label[i:])
        else:
            self.run(p, label)

    def save(self, path):
        if self.footnotes:
            body = "".join(
                f'<w:footnote w:id="{fid}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {esc(text)}</w:t></w:r></w:p></w:footnote>'
                for fid, text in self.footnotes)
            xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>'
                   '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                   '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                   f'</w:r></w:p></w:footnote>{body}</w:footnotes>')
            part = Part(PackURI("/word/footnotes.xml"),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                        xml.encode("utf-8"), self.doc.part.package)
            self.doc.part.relate_to(part, RT.FOOTNOTES)
        self.doc.save(str(path))
        normalize_docx(path)


def normalize_docx(path):
    """Rewrites a .docx with fixed zip timestamps and document dates, so that
    rebuilding the corpus gives the same bytes."""
    import re
    import zipfile
    entries = []
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2019-01-01T00:00:00Z", data)
            entries.append((info.filename, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# -- plain text -------------------------------------------------------------

def text_dump(spec, box_style, newline="\n", page_breaks=True):
    """A plain-text rendering as Word's "Save as text" writes it, with marks typed
    as [X] / [ ] or box glyphs, and the footnotes where the page ended."""
    def mark(checked):
        if box_style == "brackets":
            return "[X]" if checked else "[ ]"
        return "☒" if checked else "☐"

    lines = [DEFINITION["title"], "", INTRO, "", spec.country, spec.date_written, "",
             f"{mark(spec.consent)} {DEFINITION['cover']['consent']['prompt']}", ""]
    for section, q in questions():
        if q is section["questions"][0]:
            if page_breaks and section["id"] != "I":
                lines.append("\f")
            lines += [f"{section['id']}. {section['heading']}", ""]
        if q["id"] == "respondent":
            c = spec.answers["respondent"]
            lines += [f"Name:\t{c['name']}", f"Title:\t{c['title']}", f"Email:\t{c['email']}",
                      f"Organization:\t{c['organization']}", ""]
            continue
        number = q["number"].split(".")[-1] if q["id"].startswith("x") else q["number"]
        hint = f" {HINT}" if q["kind"] == "text" else ""
        lines += [f"{number}. {q['prompt']}{hint}", ""]
        parts = q["parts"] if q["kind"] == "group" else [q]
        for part in parts:
            if q["kind"] == "group":
                lines += [f"{part['number'][-1]}. {part['prompt']}", ""]
            a = spec.answers[part["id"]]
            kind = part["kind"]
            if kind == "entries" and a:
                for e in a:
                    lines += [f"◇ {e['name']}", e["url"]]
                lines.append("")
            elif kind == "contact" and a:
                for label, key in [("Name", "name"), ("Title", "title"), ("Organization", "organization"),
                                   ("E-mail", "email"), ("Phone", "phone")]:
                    lines.append(f"{label}:\t{a[key]}")
                lines.append("")
            elif kind == "text" and a:
                lines += a["paragraphs"] + [""]
            elif kind == "yes_no":
                lines += [f"{mark(a['checked']['yes'])} Yes {mark(a['checked']['no'])} No", ""]
            elif kind == "checklist":
                other_id = part.get("other_option")
                if part["id"] == "q15":
                    row = []
                    for o in part["options"]:
                        cell = f"{mark(a['checked'][o['id']])} {o['label']}"
                        if o["id"] == other_id and a["other"]:
                            cell += " " + a["other"]
                        row.append(cell)
                    lines += ["\t".join(row[0:4]), "\t".join(row[4:8]), "\t".join(row[8:]), ""]
                else:
                    for o in part["options"]:
                        label = "Other: (Max. 250 words)" if o["id"] == other_id and part.get("text_is_other") else o["label"]
                        extra = f" {a['other']}" if o["id"] == other_id and a["other"] and not part.get("text_is_other") else ""
                        lines.append(f"{mark(a['checked'][o['id']])} {label}{extra}")
                    if part.get("text_is_other") and a["other"]:
                        lines.append(a["other"])
                    lines.append("")
                for hint in part.get("hints", []):
                    if hint.startswith("("):
                        lines += [hint, ""]
                if a["paragraphs"]:
                    lines += a["paragraphs"] + [""]
    lines += ["Thank you for taking the time to fill out the Member States Questionnaire (MSQ) 2020.",
              "We appreciate your participation."]
    # Footnotes land where the page ended, between answers (as in the seed).
    notes = [f"{i + 1} {t}" for i, t in enumerate(FOOTNOTES[:4])]
    cut = lines.index("I. Institutional Framework") + 6
    lines[cut:cut] = [""] + notes + [""]
    return newline.join(lines) + newline


def write_truth(path, spec):
    t = truth(spec)
    path.write_text(json.dumps(t, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def libreoffice_convert(src, dst, target, extension):
    """Converts with LibreOffice (its own profile, headless) and moves the
    result to dst."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", target, "--outdir", str(out), str(src)],
                       check=True, capture_output=True, timeout=180)
        shutil.move(str(out / (src.stem + extension)), dst)


def libreoffice_roundtrip(src, dst):
    libreoffice_convert(src, dst, "docx:MS Word 2007 XML", ".docx")


def to_doc_with_libreoffice(src, dst):
    libreoffice_convert(src, dst, "doc:MS Word 97", ".doc")


def to_pdf_with_libreoffice(src, dst):
    libreoffice_convert(src, dst, "pdf", ".pdf")


def main():
    use_lo = "--no-libreoffice" not in sys.argv and shutil.which("soffice")
    for sub in ("docx", "text", "pdf"):
        (OUT / sub).mkdir(parents=True, exist_ok=True)
    specs = corpus_specs()
    by_name = {s.name: s for s in specs}
    for spec in specs:
        if spec.producer != "docx":
            continue
        w = Writer(spec)
        w.build()
        path = OUT / "docx" / f"{spec.name}.docx"
        w.save(path)
        write_truth(OUT / "docx" / f"{spec.name}.truth.json", spec)
        print("wrote", path.relative_to(ROOT))
    if use_lo:
        for spec in specs:
            if spec.name[:2] not in ("01", "02", "05", "08"):
                continue
            lo = copy.copy(spec)
            lo.name = spec.name + "_libreoffice"
            dst = OUT / "docx" / f"{lo.name}.docx"
            tmp_src = Path(tempfile.mkdtemp()) / f"{lo.name}.docx"
            shutil.copy(OUT / "docx" / f"{spec.name}.docx", tmp_src)
            libreoffice_roundtrip(tmp_src, dst)
            normalize_docx(dst)
            write_truth(OUT / "docx" / f"{lo.name}.truth.json", lo)
            print("wrote", dst.relative_to(ROOT))
        # PDF exports, as ministries print their Word answers to PDF.
        for name in ("01_japan_content_controls", "02_kenya_legacy_fields", "03_viet_nam_wingdings",
                     "05_uk_segoe_symbols", "06_brazil_glyph_text", "08_korea_symbol_runs",
                     "09_cote_divoire_legacy_default", "10_bolivia_tracked_changes", "13_ghana_headers_long_urls"):
            dst = OUT / "pdf" / f"{name}.pdf"
            to_pdf_with_libreoffice(OUT / "docx" / f"{name}.docx", dst)
            write_truth(OUT / "pdf" / f"{name}.truth.json", by_name[name])
            print("wrote", dst.relative_to(ROOT))
        qpdf_rewrites(by_name)
        # Word 97-2003 files, as ministries still save them: LibreOffice's .doc writer.
        (OUT / "doc").mkdir(parents=True, exist_ok=True)
        for name in ("01_japan_content_controls", "02_kenya_legacy_fields", "03_viet_nam_wingdings",
                     "06_brazil_glyph_text", "09_cote_divoire_legacy_default", "12_france_all_unanswered_checklists"):
            dst = OUT / "doc" / f"{name}.doc"
            to_doc_with_libreoffice(OUT / "docx" / f"{name}.docx", dst)
            write_truth(OUT / "doc" / f"{name}.truth.json", by_name[name])
            print("wrote", dst.relative_to(ROOT))
    browser_print(by_name["14_chile_browser_print"])
    fillable_form(by_name["15_norway_fillable_form"])
    scanned_pdf()
    xfa_only_pdf()
    incremental_update_fixture()
    rotated_fixtures()
    doc_table_fixture()
    table_layout_fixture()
    question_beside_answer_fixture()
    typed_x_cells_fixture()
    yes_no_columns_fixture()
    radio_glyphs_fixture()
    typed_answers_fixture()
    bold_and_frames_fixture()
    numbered_rows_and_footnote_fixture()
    drawn_box_styles_fixture()
    text_notes_fixture()
    ticks_over_box_glyphs_fixture()
    cairo_fixtures()
    weasyprint_fixtures(by_name)
    box_layout_pdf_fixtures()
    tracked_changes_doc_fixture()
    text_docs = [
        ("t01_estonia_brackets_crlf", by_name["07_estonia_typed_x"], "brackets", "\r\n", "utf-8"),
        ("t02_kenya_glyphs_utf16", by_name["02_kenya_legacy_fields"], "glyphs", "\n", "utf-16"),
    ]
    for name, spec, style, newline, encoding in text_docs:
        path = OUT / "text" / f"{name}.txt"
        path.write_bytes(text_dump(spec, style, newline).encode(encoding))
        write_truth(OUT / "text" / f"{name}.truth.json", spec)
        print("wrote", path.relative_to(ROOT))


def qpdf_rewrites(by_name):
    """Object streams and encryption with an empty user password, by qpdf."""
    if not shutil.which("qpdf"):
        print("qpdf not found: encrypted PDFs not rebuilt")
        return
    src = OUT / "pdf" / "01_japan_content_controls.pdf"
    for suffix, args in (("qpdf_objstm_aes256", ["--encrypt", "", "owner-secret", "256", "--"]),
                         ("qpdf_aes128", ["--encrypt", "", "owner-secret", "128", "--use-aes=y", "--"])):
        dst = OUT / "pdf" / f"01_japan_content_controls_{suffix}.pdf"
        subprocess.run(["qpdf", "--object-streams=generate", "--static-id", "--static-aes-iv", *args, str(src), str(dst)],
                       check=True)
        write_truth(OUT / "pdf" / f"{dst.stem}.truth.json", by_name["01_japan_content_controls"])
        print("wrote", dst.relative_to(ROOT))


def html_page(spec):
    """The questionnaire as a web page: ☑/☐ glyphs and links whose text is a name."""
    h = ["<!doctype html><html><head><meta charset='utf-8'><style>",
         "body{font-family:'DejaVu Sans',sans-serif;font-size:11pt;margin:0}",
         "h1{font-size:14pt}h2{font-size:12pt;margin:14pt 0 4pt}p{margin:3pt 0}",
         "table{border-collapse:collapse}td{padding:2pt 8pt 2pt 0;vertical-align:top}</style></head><body>"]
    e = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    box = lambda c: "☑" if c else "☐"
    h.append(f"<h1>{e(DEFINITION['title'])}</h1><p>{e(INTRO)}</p>")
    h.append(f"<p>{e(spec.country)}</p><p>{e(spec.date_written)}</p>")
    h.append(f"<p>{box(spec.consent)} {e(DEFINITION['cover']['consent']['prompt'])}</p>")
    for section, q in questions():
        if q is section["questions"][0]:
            h.append(f"<h2>{section['id']}. {e(section['heading'])}</h2>")
        if q["id"] == "respondent":
            c = spec.answers["respondent"]
            h.append("<table>" + "".join(f"<tr><td>{l}:</td><td>{e(c[k])}</td></tr>" for l, k in
                     [("Name", "name"), ("Title", "title"), ("Email", "email"), ("Organization", "organization")])
                     + "</table>")
            continue
        number = q["number"].split(".")[-1] if q["id"].startswith("x") else q["number"]
        hint = f" {HINT}" if q["kind"] == "text" else ""
        h.append(f"<p><b>{number}. {e(q['prompt'])}</b>{hint}</p>")
        for part in (q["parts"] if q["kind"] == "group" else [q]):
            if q["kind"] == "group":
                h.append(f"<p>{part['number'][-1]}. {e(part['prompt'])}</p>")
            a = spec.answers[part["id"]]
            kind = part["kind"]
            if kind == "entries" and a:
                h += [f"<p>◇ <a href='{e(x['url'])}'>{e(x['name'])}</a></p>" for x in a]
            elif kind == "contact" and a:
                h.append("<table>" + "".join(f"<tr><td>{l}:</td><td>{e(a[k])}</td></tr>" for l, k in
                         [("Name", "name"), ("Title", "title"), ("Organization", "organization"),
                          ("E-mail", "email"), ("Phone", "phone")]) + "</table>")
            elif kind == "text" and a:
                for para in a["paragraphs"]:
                    url = next((u for u in a["urls"] if u in para), None)
                    if url:
                        para = e(para).replace(e(url), f"<a href='{e(url)}'>{e(url)}</a>")
                        h.append(f"<p>{para}</p>")
                    else:
                        h.append(f"<p>{e(para)}</p>")
            elif kind == "yes_no":
                h.append(f"<p>{box(a['checked']['yes'])} Yes &nbsp;&nbsp;&nbsp; {box(a['checked']['no'])} No</p>")
            elif kind == "checklist":
                other_id = part.get("other_option")
                if part["id"] == "q8":
                    h.append("<p>National e-government strategy or equivalent:</p>")
                for o in part["options"]:
                    label = "Other: (Max. 250 words)" if o["id"] == other_id and part.get("text_is_other") else o["label"]
                    extra = f" {e(a['other'])}" if o["id"] == other_id and a["other"] and not part.get("text_is_other") else ""
                    h.append(f"<p>{box(a['checked'][o['id']])} {e(label)}{extra}</p>")
                if part.get("text_is_other") and a["other"]:
                    h.append(f"<p>{e(a['other'])}</p>")
                for hint_text in part.get("hints", []):
                    if hint_text.startswith("("):
                        h.append(f"<p>{e(hint_text)}</p>")
                for para in a["paragraphs"] or []:
                    url = next((u for u in a["urls"] if u in para), None)
                    if url:
                        para_html = e(para).replace(e(url), f"<a href='{e(url)}'>{e(url)}</a>")
                    else:
                        para_html = e(para)
                    h.append(f"<p>{para_html}</p>")
    h.append("<p>Thank you for taking the time to fill out the Member States Questionnaire (MSQ) 2020.</p>")
    h.append("<p>We appreciate your participation.</p></body></html>")
    return "\n".join(h)


def browser_print(spec):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("chromium not found: browser-printed PDF not rebuilt")
        return
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "msq.html"
        page.write_text(html_page(spec), encoding="utf-8")
        dst = OUT / "pdf" / f"{spec.name}.pdf"
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                        f"--print-to-pdf={dst}", page.as_uri()],
                       check=True, capture_output=True, timeout=180)
    write_truth(OUT / "pdf" / f"{spec.name}.truth.json", spec)
    print("wrote", dst.relative_to(ROOT))


def fillable_form(spec):
    """A PDF form filled in a viewer: the page shows only the questions; every
    answer lives in a form field (check boxes and text fields)."""
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
    except ImportError:
        print("reportlab not found: fillable PDF not rebuilt")
        return
    import textwrap
    dst = OUT / "pdf" / f"{spec.name}.pdf"
    c = canvas.Canvas(str(dst), pagesize=A4, invariant=1)
    form = c.acroForm
    width, height = A4
    y = height - 50
    counter = [0]

    def need(h):
        nonlocal y
        if y - h < 50:
            c.showPage()
            y = height - 50

    def text(t, size=10, bold=False, indent=50):
        nonlocal y
        for line in textwrap.wrap(t, 95) or [""]:
            need(size + 4)
            c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
            c.drawString(indent, y, line)
            y -= size + 4

    def field(value, lines=1, indent=50, w=480):
        nonlocal y
        h = 16 * lines + 4
        need(h + 4)
        counter[0] += 1
        flags = "multiline" if lines > 1 else ""
        form.textfield(name=f"Text{counter[0]}", value=value, x=indent, y=y - h + 12, width=w, height=h,
                       fieldFlags=flags, borderWidth=0.5, fontSize=9)
        y -= h + 4

    def checkbox(label, checked, indent=50):
        nonlocal y
        need(16)
        counter[0] += 1
        form.checkbox(name=f"Check{counter[0]}", x=indent, y=y - 3, size=11, checked=checked,
                      buttonStyle="check", borderWidth=0.5)
        c.setFont("Helvetica", 10)
        c.drawString(indent + 16, y, label)
        y -= 16

    text(DEFINITION["title"], 12, True)
    text(INTRO)
    c.setFont("Helvetica", 10)
    c.drawString(50, y, "Country:")
    form.textfield(name="Country", value=spec.country, x=110, y=y - 4, width=200, height=16, fontSize=9)
    y -= 20
    c.drawString(50, y, "Date:")
    form.textfield(name="Date", value=spec.date_written, x=110, y=y - 4, width=200, height=16, fontSize=9)
    y -= 20
    checkbox(DEFINITION["cover"]["consent"]["prompt"], spec.consent)
    for section, q in questions():
        if q is section["questions"][0]:
            y -= 6
            text(f"{section['id']}. {section['heading']}", 11, True)
        if q["id"] == "respondent":
            a = spec.answers["respondent"]
            for label, key in [("Name", "name"), ("Title", "title"), ("Email", "email"), ("Organization", "organization")]:
                need(20)
                c.setFont("Helvetica", 10)
                c.drawString(50, y, f"{label}:")
                counter[0] += 1
                form.textfield(name=f"Text{counter[0]}", value=a[key], x=140, y=y - 4, width=300, height=16, fontSize=9)
                y -= 20
            continue
        number = q["number"].split(".")[-1] if q["id"].startswith("x") else q["number"]
        hint = f" {HINT}" if q["kind"] == "text" else ""
        text(f"{number}. {q['prompt']}{hint}", 10, True)
        for part in (q["parts"] if q["kind"] == "group" else [q]):
            if q["kind"] == "group":
                text(f"{part['number'][-1]}. {part['prompt']}")
            a = spec.answers[part["id"]]
            kind = part["kind"]
            if kind == "entries":
                value = "\n".join(f"{x['name']} - {x['url']}" for x in a) if a else ""
                field(value, lines=max(1, len(a or [])))
            elif kind == "contact":
                for label, key in [("Name", "name"), ("Title", "title"), ("Organization", "organization"),
                                   ("E-mail", "email"), ("Phone", "phone")]:
                    need(20)
                    c.setFont("Helvetica", 10)
                    c.drawString(50, y, f"{label}:")
                    counter[0] += 1
                    form.textfield(name=f"Text{counter[0]}", value=(a or {}).get(key, ""), x=140, y=y - 4,
                                   width=300, height=16, fontSize=9)
                    y -= 20
            elif kind == "text":
                paragraphs = a["paragraphs"] if a else []
                field("\n".join(paragraphs), lines=max(1, sum(1 + len(p) // 95 for p in paragraphs)))
            elif kind == "yes_no":
                checkbox("Yes", a["checked"]["yes"])
                checkbox("No", a["checked"]["no"])
            elif kind == "checklist":
                other_id = part.get("other_option")
                for o in part["options"]:
                    label = o["label"]
                    if o["id"] == other_id:
                        label = "Other: (Max. 250 words)" if part.get("text_is_other") else "Other:"
                    checkbox(label, a["checked"][o["id"]])
                    if o["id"] == other_id and not part.get("text_is_other") and a["other"]:
                        y += 16
                        counter[0] += 1
                        form.textfield(name=f"Text{counter[0]}", value=a["other"], x=110, y=y - 4, width=300,
                                       height=16, fontSize=9)
                        y -= 16
                if part.get("text_is_other") and a["other"]:
                    field(a["other"])
                for hint_text in part.get("hints", []):
                    if hint_text.startswith("("):
                        text(hint_text)
                if a["paragraphs"]:
                    field("\n".join(a["paragraphs"]), lines=sum(1 + len(p) // 95 for p in a["paragraphs"]))
    text("Thank you for taking the time to fill out the Member States Questionnaire (MSQ) 2020.")
    text("We appreciate your participation.")
    c.save()
    write_truth(OUT / "pdf" / f"{spec.name}.truth.json", spec)
    print("wrote", dst.relative_to(ROOT))


def unreadable_truth(path, warnings):
    """Ground truth for a file whose answers cannot be read: nothing is
    claimed, and the warning that says why must be there."""
    truth_doc = {"country": {"iso3": None}, "date": None, "consent_to_publish": None,
                 "answers": {}, "warnings": warnings}
    path.write_text(json.dumps(truth_doc, indent=1) + "\n")


def scanned_pdf():
    """A scan: page images only, no text layer (pdftoppm renders, reportlab wraps)."""
    src = OUT / "pdf" / "01_japan_content_controls.pdf"
    if not (shutil.which("pdftoppm") and src.exists()):
        print("pdftoppm not found: scanned PDF not rebuilt")
        return
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-jpeg", "-r", "60", "-f", "1", "-l", "2", str(src), f"{tmp}/page"], check=True)
        dst = OUT / "pdf" / "16_scan_without_text_layer.pdf"
        c = canvas.Canvas(str(dst), pagesize=A4, invariant=1)
        for image in sorted(Path(tmp).glob("page*.jpg")):
            c.drawImage(str(image), 0, 0, width=A4[0], height=A4[1])
            c.showPage()
        c.save()
    unreadable_truth(OUT / "pdf" / "16_scan_without_text_layer.truth.json", ["no_text_layer"])
    print("wrote", dst.relative_to(ROOT))


def incremental_update_fixture():
    """tests/data/incremental_update.pdf: the fillable form with an incremental
    update appended that unticks the consent box (Check1): the last value wins."""
    try:
        import pypdf
        from pypdf.generic import NameObject
    except ImportError:
        print("pypdf not found: incremental update fixture not rebuilt")
        return
    src = OUT / "pdf" / "15_norway_fillable_form.pdf"
    writer = pypdf.PdfWriter(str(src), incremental=True)
    for ref in writer.pages[0].get("/Annots") or []:
        widget = ref.get_object()
        if widget.get("/T") == "Check1":
            widget[NameObject("/AS")] = NameObject("/Off")
            widget[NameObject("/V")] = NameObject("/Off")
    dst = ROOT / "tests" / "data" / "incremental_update.pdf"
    with open(dst, "wb") as f:
        writer.write(f)
    print("wrote", dst.relative_to(ROOT))


def tracked_changes_doc_fixture():
    """tests/data/tracked_changes.doc: the .docx with tracked insertions and
    deletions saved as Word 97 by LibreOffice; deleted text must stay out."""
    dst = ROOT / "tests" / "data" / "tracked_changes.doc"
    to_doc_with_libreoffice(OUT / "docx" / "10_bolivia_tracked_changes.docx", dst)
    print("wrote", dst.relative_to(ROOT))


def box_layout_pdf_fixtures():
    """tests/data/pdf_*.pdf: LibreOffice PDFs of the .docx files whose boxes
    sit after their labels (New Zealand) or are Wingdings 2 characters that
    reach the PDF without their font (Türkiye), and a tagged PDF/A export. Printing wraps boxes away
    from their labels; their states must still be those of the .docx."""
    for name in ("04_turkiye_wingdings2", "11_new_zealand_box_after"):
        dst = ROOT / "tests" / "data" / f"pdf_{name}.pdf"
        to_pdf_with_libreoffice(OUT / "docx" / f"{name}.docx", dst)
        print("wrote", dst.relative_to(ROOT))
    # A tagged PDF/A-2b export lays the option grid out a little differently
    # (a box ends a line, its label wraps to the next).
    tagged = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
              '"SelectPdfVersion":{"type":"long","value":"2"}}')
    dst = ROOT / "tests" / "data" / "pdf_tagged_05_uk_segoe_symbols.pdf"
    libreoffice_convert(OUT / "docx" / "05_uk_segoe_symbols.docx", dst, tagged, ".pdf")
    print("wrote", dst.relative_to(ROOT))


def cairo_fixtures():
    """tests/data/cairo_*.pdf and gs_pdfwrite_*.pdf: corpus PDFs drawn again
    by other producers (poppler's pdftocairo: other font programs and
    encodings, paths written its own way; Ghostscript's pdfwrite); their
    answers must not change."""
    if shutil.which("pdftocairo") is None:
        print("pdftocairo not found: cairo fixtures not rebuilt")
        return
    for name in ("01_japan_content_controls", "05_uk_segoe_symbols"):
        dst = ROOT / "tests" / "data" / f"cairo_{name}.pdf"
        subprocess.run(["pdftocairo", "-pdf", str(OUT / "pdf" / f"{name}.pdf"), str(dst)],
                       check=True, capture_output=True, timeout=120)
        print("wrote", dst.relative_to(ROOT))
    # Ghostscript's pdfwrite (as in "print to PDF" through it) rewrites the
    # ToUnicode maps, mangling the entries of ligatures (fi, ff, ffl).
    if shutil.which("gs") is None:
        print("gs not found: pdfwrite fixture not rebuilt")
        return
    name = "01_japan_content_controls"
    dst = ROOT / "tests" / "data" / f"gs_pdfwrite_{name}.pdf"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={dst}", str(OUT / "pdf" / f"{name}.pdf")],
                   check=True, capture_output=True, timeout=120)
    print("wrote", dst.relative_to(ROOT))


def weasyprint_fixtures(by_name):
    """tests/data/weasyprint_*.pdf: the questionnaire as a web form printed
    by WeasyPrint (58 or later draws form inputs): radio inputs drawn as
    circles, and check-box inputs written as AcroForm fields (--pdf-forms).
    Their box states must be those of the same answers from other producers."""
    weasyprint = shutil.which("weasyprint")
    version = subprocess.run([weasyprint, "--version"], capture_output=True, text=True).stdout if weasyprint else ""
    major = int(re.search(r"(\d+)\.", version).group(1)) if re.search(r"(\d+)\.", version) else 0
    if major < 58:
        print("weasyprint 58 or later not found: WeasyPrint fixtures not rebuilt")
        return
    for name, kind, args, label in (("14_chile_browser_print", "radio", [], "radio"),
                                    ("08_korea_symbol_runs", "checkbox", ["--pdf-forms"], "form_fields")):
        page = html_page(by_name[name])
        page = page.replace("☑", f"<input type='{kind}' checked>").replace("☐", f"<input type='{kind}'>")
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "msq.html"
            src.write_text(page, encoding="utf-8")
            dst = ROOT / "tests" / "data" / f"weasyprint_{label}_{name}.pdf"
            subprocess.run([weasyprint, *args, str(src), str(dst)], check=True, capture_output=True, timeout=300)
        print("wrote", dst.relative_to(ROOT))


def bold_and_frames_fixture():
    """tests/data/bold_and_frames.pdf: text shown filled and stroked (Word's
    bold for a font without a bold face), a word framed by a drawn square,
    and two drawn check boxes, one crossed."""
    from reportlab.pdfgen import canvas

    dst = ROOT / "tests" / "data" / "bold_and_frames.pdf"
    c = canvas.Canvas(str(dst), pagesize=(400, 200))
    t = c.beginText(40, 160)
    t.setFont("Helvetica", 12)
    t.setTextRenderMode(2)
    t.textOut("Strategy and Implementation")
    c.drawText(t)
    c.setFont("Helvetica", 12)
    c.drawString(40, 120, "Reviewed by")
    c.rect(112, 116, 16, 14)  # a frame around the word "the"
    c.drawString(114, 120, "the")
    c.drawString(136, 120, "minister")
    c.rect(40, 76, 10, 10)
    c.drawString(56, 78, "Yes")
    c.rect(100, 76, 10, 10)
    c.line(100, 76, 110, 86)
    c.line(100, 86, 110, 76)
    c.drawString(116, 78, "No")
    c.save()
    print("wrote", dst.relative_to(ROOT))


def numbered_rows_and_footnote_fixture():
    """tests/data/numbered_rows_and_footnote.pdf: the lower part of a form
    laid out as a table whose rows are numbered without a dot, an answer's
    underline just above a row, all in body size; then a real footnote under
    a short separator at the text's left edge, also in body size."""
    from reportlab.pdfgen import canvas

    dst = ROOT / "tests" / "data" / "numbered_rows_and_footnote.pdf"
    c = canvas.Canvas(str(dst), pagesize=(500, 400))
    c.setFont("Helvetica", 10)
    c.setLineWidth(0.5)
    c.drawString(60, 370, "Questions about the portal and its services")
    c.drawString(60, 350, "Answer every question in the space given.")
    c.drawString(30, 150, "22")
    c.drawString(60, 150, "Name of the national portal")
    c.drawString(60, 132, "Gov.example portal")
    c.line(60, 128, 220, 128)  # the answer's underline
    c.drawString(30, 115, "23")
    c.drawString(60, 115, "Does the portal offer services in more languages?")
    c.drawString(60, 100, "It does, in two languages.")
    c.line(60, 60, 180, 60)  # the footnote separator
    c.drawString(60, 48, "1 Portals of local governments are not counted.")
    c.save()
    print("wrote", dst.relative_to(ROOT))


def drawn_box_styles_fixture():
    """tests/data/drawn_box_styles.pdf: boxes drawn as paths in the ways
    producers draw them (a rectangle, a rounded one as browsers print form
    inputs, four separate strokes, a circle for a radio button), each empty,
    crossed, ticked with a path, or filled inside; then shapes that are not
    boxes (a filled disc and a small hollow circle as list bullets, a filled
    square). Each label says what the line must read as."""
    from reportlab.pdfgen import canvas

    dst = ROOT / "tests" / "data" / "drawn_box_styles.pdf"
    c = canvas.Canvas(str(dst), pagesize=(300, 560))
    c.setLineWidth(0.8)
    y = 530
    x, s = 30, 10

    def outline(kind):
        if kind == "rectangle":
            c.rect(x, y - 1, s, s)
        elif kind == "rounded":
            c.roundRect(x, y - 1, s, s, 2)
        elif kind == "strokes":
            c.line(x, y - 1, x + s, y - 1)
            c.line(x + s, y - 1, x + s, y - 1 + s)
            c.line(x + s, y - 1 + s, x, y - 1 + s)
            c.line(x, y - 1 + s, x, y - 1)
        elif kind == "circle":
            c.circle(x + s / 2, y - 1 + s / 2, s / 2)

    def tick(kind, how):
        if how == "crossed":
            c.line(x + 2, y + 1, x + s - 2, y - 3 + s)
            c.line(x + 2, y - 3 + s, x + s - 2, y + 1)
        elif how == "ticked":
            p = c.beginPath()
            p.moveTo(x + 2, y + 4)
            p.lineTo(x + 4, y + 1)
            p.lineTo(x + s - 1, y + s - 2)
            c.drawPath(p, stroke=1, fill=0)
        elif how == "filled" and kind == "circle":
            c.circle(x + s / 2, y - 1 + s / 2, s / 4, stroke=0, fill=1)
        elif how == "filled":
            c.rect(x + 2.5, y + 1.5, s - 5, s - 5, stroke=0, fill=1)

    for kind in ("rectangle", "rounded", "strokes", "circle"):
        for how in ("empty", "crossed", "ticked", "filled"):
            outline(kind)
            tick(kind, how)
            c.setFont("Helvetica", 11)
            c.drawString(46, y, f"{kind} {how}")
            y -= 22
    c.circle(x + 5, y + 3, 2.5, stroke=0, fill=1)
    c.drawString(46, y, "bullet disc")
    y -= 22
    c.circle(x + 5, y + 3, 2, stroke=1, fill=0)
    c.drawString(46, y, "bullet hollow")
    y -= 22
    c.rect(x, y - 1, s, s, stroke=0, fill=1)
    c.drawString(46, y, "bullet square")
    c.save()
    print("wrote", dst.relative_to(ROOT))


def text_notes_fixture():
    """tests/data/text_notes.pdf: a printed questionnaire filled in with a
    PDF tool's "add text" (FreeText annotations without an appearance) and
    with an X typed into a text field laid over a printed box: q10 ticked
    "Yes" by a note, q12 ticked "No" by a field, q14 answered by a note."""
    try:
        from pypdf import PdfReader, PdfWriter
        from pypdf.annotations import FreeText
        from reportlab.pdfgen import canvas
    except ImportError:
        print("pypdf or reportlab not found: text-notes PDF not rebuilt")
        return
    dst = ROOT / "tests" / "data" / "text_notes.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        printed = Path(tmp) / "printed.pdf"
        c = canvas.Canvas(str(printed), pagesize=(595, 842))
        c.setFont("Helvetica", 11)
        c.drawString(50, 780, "IV. Usage of online services")
        c.drawString(50, 755, "10. Do you collect usage statistics of e-government services?")
        for x, label in ((50, "Yes"), (110, "No")):
            c.rect(x, 728, 10, 10)
            c.drawString(x + 15, 730, label)
        c.drawString(50, 700, "V. User satisfaction")
        c.drawString(50, 675, "12. Do you measure satisfaction of citizens on e-government services?")
        for x, label in ((50, "Yes"), (110, "No")):
            c.rect(x, 648, 10, 10)
            c.drawString(x + 15, 650, label)
        c.acroForm.textfield(name="q12_no", value="X", x=110, y=648, width=10, height=10,
                             fontSize=8, borderWidth=0)
        c.drawString(50, 620, "VI. Social Media")
        c.drawString(50, 595, "14. How does your government use social media at the national level to")
        c.drawString(50, 581, "interact with and engage people in e-government activities? (Maximum 250 words)")
        c.save()
        writer = PdfWriter()
        writer.append(PdfReader(str(printed)))
        for text, rect in (("X", (50, 727, 61, 739)),
                           ("We answer citizens on Facebook every day.", (50, 540, 400, 560))):
            note = FreeText(text=text, rect=rect, font="Arial", font_size="10pt",
                            border_color=None, background_color=None)
            writer.add_annotation(page_number=0, annotation=note)
        writer.write(str(dst))
    print("wrote", dst.relative_to(ROOT))


def ticks_over_box_glyphs_fixture():
    """tests/data/ticks_over_box_glyphs.pdf: "☐" boxes printed as glyphs (as
    Word prints them), ticked afterwards with a PDF tool: q10 "Yes" by a
    drawn tick path, q12 "No" by an "X" note (a FreeText annotation), q13
    "Yes" by a "✔" glyph stamped over the box."""
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    try:
        from pypdf import PdfReader, PdfWriter
        from pypdf.annotations import FreeText
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
    except ImportError:
        print("pypdf or reportlab not found: ticks-over-box-glyphs PDF not rebuilt")
        return
    if not font.exists():
        print(f"{font} not found: ticks-over-box-glyphs PDF not rebuilt")
        return
    pdfmetrics.registerFont(TTFont("DejaVu", str(font)))
    dst = ROOT / "tests" / "data" / "ticks_over_box_glyphs.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        printed = Path(tmp) / "printed.pdf"
        c = canvas.Canvas(str(printed), pagesize=(595, 842))
        questions = [
            (780, "IV. Usage of online services",
             "10. Do you collect usage statistics of e-government services?"),
            (700, "V. User satisfaction",
             "12. Do you measure satisfaction of citizens on e-government services?"),
            (640, None, "13. If yes, do you publish results online?"),
        ]
        for y, heading, prompt in questions:
            c.setFont("Helvetica", 11)
            if heading:
                c.drawString(50, y, heading)
            c.drawString(50, y - 25, prompt)
            for x, label in ((50, "Yes"), (110, "No")):
                c.setFont("DejaVu", 11)
                c.drawString(x, y - 50, "\u2610")
                c.setFont("Helvetica", 11)
                c.drawString(x + 14, y - 50, label)
        c.setLineWidth(1.2)
        tick = c.beginPath()
        tick.moveTo(51.5, 733)
        tick.lineTo(54, 730)
        tick.lineTo(59, 738)
        c.drawPath(tick, stroke=1, fill=0)
        c.setFont("DejaVu", 9)
        c.drawString(51.2, 591.5, "\u2714")
        c.save()
        writer = PdfWriter()
        writer.append(PdfReader(str(printed)))
        note = FreeText(text="X", rect=(110, 647, 119, 659), font="Arial", font_size="10pt",
                        border_color=None, background_color=None)
        writer.add_annotation(page_number=0, annotation=note)
        writer.write(str(dst))
    print("wrote", dst.relative_to(ROOT))


def doc_table_fixture():
    """tests/data/table_cells.docx and its LibreOffice .doc export: a table
    with an empty cell before a row's last cell and a cell of two
    paragraphs, which the .doc reader must place by the paragraph properties."""
    import docx

    d = docx.Document()
    d.add_paragraph("Before the table")
    t = d.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(0, 2).text = "Name", "Ministry", "URL"
    t.cell(1, 0).text, t.cell(1, 2).text = "Health", "https://health.example.gov"
    cell = t.cell(2, 0)
    cell.text = "Education first paragraph"
    cell.add_paragraph("Education second paragraph")
    t.cell(2, 2).text = "https://education.example.gov"
    d.add_paragraph("After the table")
    dst = ROOT / "tests" / "data" / "table_cells.docx"
    d.save(dst)
    to_doc_with_libreoffice(dst, dst.with_suffix(".doc"))
    print("wrote", dst.relative_to(ROOT), "and its .doc")


def table_layout_fixture():
    """tests/data/table_layout.docx and its LibreOffice PDF: corpus/text's
    Estonia response laid out another way, each question a table row (number |
    prompt, so a long prompt wraps in a narrow cell), each option a row (box |
    label), answers as paragraphs between the tables. Must read as the text."""
    import re

    import docx

    src = (OUT / "text" / "t01_estonia_brackets_crlf.txt").read_text(encoding="utf-8")
    d = docx.Document()

    def box(s):
        return s.replace("[X]", "\u2612").replace("[ ]", "\u2610")

    for line in src.replace("\r\n", "\n").replace("\f", "").split("\n"):
        numbered = re.match(r"^(\d{1,2})\. (.*)$", line)
        if numbered:
            t = d.add_table(rows=1, cols=2)
            t.style = "Table Grid"
            t.cell(0, 0).text = numbered.group(1) + "."
            t.cell(0, 1).text = numbered.group(2)
            continue
        options = [p for p in line.split("\t") if re.match(r"^\[[X ]\]\s", p)]
        if options and not re.match(r"^\[[X ]\] (Yes|I/We)", line):
            t = d.add_table(rows=0, cols=2)
            for option in options:
                row = t.add_row()
                row.cells[0].text, row.cells[1].text = box(option[:3]), option[3:].strip()
            continue
        if line.strip():
            d.add_paragraph(box(line))
    dst = ROOT / "tests" / "data" / "table_layout.docx"
    d.save(dst)
    to_pdf_with_libreoffice(dst, dst.with_suffix(".pdf"))
    print("wrote", dst.relative_to(ROOT), "and its PDF")


def question_beside_answer_fixture():
    """tests/data/question_beside_answer.docx and its LibreOffice PDF: the
    Estonia text response as a two-column table per section, the question
    (number and prompt) on the left and its whole answer on the right:
    several paragraphs, option lists and lettered parts in one cell."""
    import re

    import docx

    src = (OUT / "text" / "t01_estonia_brackets_crlf.txt").read_text(encoding="utf-8")
    d = docx.Document()
    table = cell = None
    first = True
    for line in src.replace("\r\n", "\n").replace("\f", "").split("\n"):
        line = line.replace("[X]", "\u2612").replace("[ ]", "\u2610")
        if re.match(r"^[IVX]+\. ", line):
            table = cell = None
            d.add_paragraph(line)
            continue
        if re.match(r"^\d{1,2}\. ", line):
            if table is None:
                table = d.add_table(rows=0, cols=2)
                table.style = "Table Grid"
            row = table.add_row()
            row.cells[0].text = line
            cell, first = row.cells[1], True
            continue
        # Blank lines, and the footnotes Word's text export put at page ends.
        if not line.strip() or (re.match(r"^\d+ \S", line) and len(line) > 60):
            continue
        if cell is None:
            d.add_paragraph(line)
            continue
        one_per_line = "\u2612 Yes" not in line and "\u2610 Yes" not in line
        for part in (p for p in line.split("\t") if p.strip()) if one_per_line else [line]:
            if first:
                cell.paragraphs[0].text, first = part, False
            else:
                cell.add_paragraph(part)
    dst = ROOT / "tests" / "data" / "question_beside_answer.docx"
    d.save(dst)
    to_pdf_with_libreoffice(dst, dst.with_suffix(".pdf"))
    print("wrote", dst.relative_to(ROOT), "and its PDF")


def bracketed_options(line):
    """The options of a line of corpus/text's Estonia response, each "[X]
    label" or "[ ] label" (tab- or space-separated), in order."""
    parts = re.split(r"\t|(?<=\S) (?=\[[X ]\] )", line)
    return [p.strip() for p in parts if re.match(r"^\[[X ]\]\s", p.strip())]


def typed_x_cells_fixture():
    """tests/data/typed_x_cells.docx and its LibreOffice PDF: corpus/text's
    Estonia response as another producer might lay it out: each option a
    borderless table row (label | "X" typed in the cell after it, or
    nothing), and some prompts reworded around their printed number. Must
    read as the text."""
    import re

    import docx

    src = (OUT / "text" / "t01_estonia_brackets_crlf.txt").read_text(encoding="utf-8")
    reworded = {
        "10": "Does your government collect usage statistics of e-government services?",
        "12": "Is the satisfaction of citizens with e-government services measured?",
    }
    d = docx.Document()
    for line in src.replace("\r\n", "\n").replace("\f", "").split("\n"):
        numbered = re.match(r"^(\d{1,2})\. ", line)
        if numbered and numbered.group(1) in reworded:
            d.add_paragraph(f"{numbered.group(1)}. {reworded[numbered.group(1)]}")
            continue
        options = bracketed_options(line)
        if not options or line.startswith("[X] I/We"):
            if line.strip():
                d.add_paragraph(line.replace("[X]", "\u2612").replace("[ ]", "\u2610"))
            continue
        t = d.add_table(rows=0, cols=2)
        for option in options:
            row = t.add_row()
            row.cells[0].text = option[3:].strip()
            row.cells[1].text = "X" if option.startswith("[X]") else ""
    dst = ROOT / "tests" / "data" / "typed_x_cells.docx"
    d.save(dst)
    to_pdf_with_libreoffice(dst, dst.with_suffix(".pdf"))
    print("wrote", dst.relative_to(ROOT), "and its PDF")


def yes_no_columns_fixture():
    """tests/data/yes_no_columns.docx and its LibreOffice PDF: corpus/text's
    Estonia response with each checklist laid out as a "Yes | No" column
    pair: a table with a header row naming the columns, then a row per
    option with a box under each, the one under "Yes" ticked for a chosen
    option and the one under "No" for the others. The second checklist has
    its columns the other way round ("No | Yes"). Yes/no questions stay as
    they were. Must read as the text."""
    import docx
    from docx.shared import Inches

    src = (OUT / "text" / "t01_estonia_brackets_crlf.txt").read_text(encoding="utf-8")
    d = docx.Document()
    checklists = 0
    table = None
    for line in src.replace("\r\n", "\n").replace("\f", "").split("\n"):
        options = bracketed_options(line)
        labels = [o[3:].strip() for o in options]
        if not options or line.startswith("[X] I/We") or labels == ["Yes", "No"]:
            table = None
            if line.strip():
                d.add_paragraph(line.replace("[X]", "\u2612").replace("[ ]", "\u2610"))
            continue
        if table is None:
            checklists += 1
            table = d.add_table(rows=0, cols=3)
            table.autofit = False
            header = table.add_row()
            columns = ("No", "Yes") if checklists == 2 else ("Yes", "No")
            header.cells[1].text, header.cells[2].text = columns
        for option, label in zip(options, labels):
            chosen = option.startswith("[X]")
            yes, no = ("\u2612", "\u2610") if chosen else ("\u2610", "\u2612")
            row = table.add_row()
            row.cells[0].text = label
            row.cells[1].text, row.cells[2].text = (no, yes) if checklists == 2 else (yes, no)
        # LibreOffice reads the grid's widths, Word the cells'.
        widths = (Inches(5.0), Inches(0.6), Inches(0.6))
        for column, width in zip(table.columns, widths):
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
    dst = ROOT / "tests" / "data" / "yes_no_columns.docx"
    d.save(dst)
    to_pdf_with_libreoffice(dst, dst.with_suffix(".pdf"))
    print("wrote", dst.relative_to(ROOT), "and its PDF")


def radio_glyphs_fixture():
    """tests/data/radio_glyphs.docx and its LibreOffice PDF: corpus/text's
    Estonia response with its boxes typed as radio circles, as another
    producer might: options side by side as "◉ Yes   ○ No" (Unicode
    circles), and checklists one option to a paragraph, each led by
    Wingdings' filled circle "l" or empty circle 0xA1 as Word's Insert Symbol
    writes them. Other paragraphs of the response keep a "●" bulleted list
    as a bullet. Must read as the text."""
    import docx

    src = (OUT / "text" / "t01_estonia_brackets_crlf.txt").read_text(encoding="utf-8")
    d = docx.Document()
    d.add_paragraph("Notes on this response:")
    for point in ("\u25cf Figures are for 2019.", "\u25cf Links checked in May."):
        d.add_paragraph(point)
    for line in src.replace("\r\n", "\n").replace("\f", "").split("\n"):
        options = bracketed_options(line)
        labels = [o[3:].strip() for o in options]
        if not options or line.startswith("[X] I/We"):
            if line.strip():
                d.add_paragraph(line.replace("[X]", "\u2612").replace("[ ]", "\u2610"))
            continue
        if len(options) <= 3:
            circles = ("\u25c9" if o.startswith("[X]") else "\u25cb" for o in options)
            d.add_paragraph("   ".join(f"{c} {label}" for c, label in zip(circles, labels)))
            continue
        for option, label in zip(options, labels):
            p = d.add_paragraph()
            circle = p.add_run("l" if option.startswith("[X]") else "\u00a1")
            circle.font.name = "Wingdings"
            p.add_run(f" {label}")
    dst = ROOT / "tests" / "data" / "radio_glyphs.docx"
    d.save(dst)
    to_pdf_with_libreoffice(dst, dst.with_suffix(".pdf"))
    print("wrote", dst.relative_to(ROOT), "and its PDF")


def typed_answers_fixture():
    """tests/data/typed_answers.docx and its LibreOffice PDF: corpus/text's
    Estonia response with no boxes at all, answered by typing: each
    checklist a table headed "Technology | Yes/No" with "Yes" or "No" typed
    beside every option, each yes/no question its options one to a line
    with an "X" typed after the chosen one. Must read as the text."""
    import docx

    src = (OUT / "text" / "t01_estonia_brackets_crlf.txt").read_text(encoding="utf-8")
    d = docx.Document()
    table = None
    for line in src.replace("\r\n", "\n").replace("\f", "").split("\n"):
        options = bracketed_options(line)
        labels = [o[3:].strip() for o in options]
        if not options or line.startswith("[X] I/We"):
            table = None
            if line.strip():
                d.add_paragraph(line.replace("[X]", "\u2612").replace("[ ]", "\u2610"))
            continue
        chosen = [o.startswith("[X]") for o in options]
        if labels == ["Yes", "No"]:
            table = None
            for label, tick in zip(labels, chosen):
                d.add_paragraph(f"{label}  X" if tick else label)
            continue
        if table is None:
            table = d.add_table(rows=1, cols=2)
            table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Technology", "Yes/No"
        for label, tick in zip(labels, chosen):
            row = table.add_row()
            row.cells[0].text, row.cells[1].text = label, "Yes" if tick else "No"
    dst = ROOT / "tests" / "data" / "typed_answers.docx"
    d.save(dst)
    to_pdf_with_libreoffice(dst, dst.with_suffix(".pdf"))
    print("wrote", dst.relative_to(ROOT), "and its PDF")


def rotated_fixtures():
    """tests/data/rotated_*.pdf: corpus PDFs turned into their content (no
    /Rotate left), so their text runs up or down the page: the fillable form
    (widgets) by 90 degrees, the one with long linked URLs by 270."""
    try:
        import pypdf
    except ImportError:
        print("pypdf not found: rotated fixtures not rebuilt")
        return
    from pypdf.generic import ArrayObject, FloatObject, NameObject

    def turned(points, degrees, width, height):
        # The turn transfer_rotation_to_content gives the content (clockwise,
        # then moved back onto the page); pypdf leaves annotations alone.
        out = []
        for x, y in points:
            if degrees == 90:
                out.append((y, width - x))
            elif degrees == 180:
                out.append((width - x, height - y))
            else:
                out.append((height - y, x))
        return out

    for name, degrees in (("15_norway_fillable_form", 90), ("13_ghana_headers_long_urls", 270)):
        writer = pypdf.PdfWriter(clone_from=str(OUT / "pdf" / f"{name}.pdf"))
        for page in writer.pages:
            box = page.mediabox
            width, height = float(box.width), float(box.height)
            page.rotate(degrees)
            page.transfer_rotation_to_content()
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                (a, b), (c, d) = turned([(x0, y0), (x1, y1)], degrees, width, height)
                annot[NameObject("/Rect")] = ArrayObject(
                    FloatObject(v) for v in (min(a, c), min(b, d), max(a, c), max(b, d))
                )
                if "/QuadPoints" in annot:
                    q = [float(v) for v in annot["/QuadPoints"]]
                    pts = turned(list(zip(q[0::2], q[1::2])), degrees, width, height)
                    annot[NameObject("/QuadPoints")] = ArrayObject(
                        FloatObject(v) for p in pts for v in p
                    )
                # The appearances turn with the page, as a producer that
                # rotates the page draws them (/Matrix of each stream).
                matrix = [0, -1, 1, 0, 0, 0] if degrees == 90 else [0, 1, -1, 0, 0, 0]
                for ap in (annot.get("/AP") or {}).values():
                    ap = ap.get_object()
                    streams = [ap] if hasattr(ap, "get_data") else [v.get_object() for v in ap.values()]
                    for stream in streams:
                        stream[NameObject("/Matrix")] = ArrayObject(FloatObject(v) for v in matrix)
        dst = ROOT / "tests" / "data" / f"rotated_{degrees}_{name}.pdf"
        with open(dst, "wb") as f:
            writer.write(f)
        print("wrote", dst.relative_to(ROOT))


def xfa_only_pdf():
    """An XFA form: the answers live in the XFA data, the AcroForm has no fields."""
    try:
        import pypdf
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
        from reportlab.pdfgen import canvas
    except ImportError:
        print("pypdf/reportlab not found: XFA PDF not rebuilt")
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.pdf"
        c = canvas.Canvas(str(base), invariant=1)
        c.drawString(72, 720, "Please wait... If this message is not eventually replaced by the proper contents")
        c.drawString(72, 705, "of the document, your PDF viewer may not be able to display this type of document.")
        c.save()
        writer = pypdf.PdfWriter(clone_from=str(base))
        xfa = writer._add_object(pypdf.generic.DecodedStreamObject())
        xfa.set_data(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><xfa:datasets '
                     b'xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form>'
                     b'<country>Norway</country></form></xfa:data></xfa:datasets></xdp:xdp>')
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject({
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): ArrayObject([TextStringObject("datasets"), xfa]),
        })
        dst = OUT / "pdf" / "17_xfa_only_form.pdf"
        with open(dst, "wb") as f:
            writer.write(f)
    unreadable_truth(OUT / "pdf" / "17_xfa_only_form.truth.json", ["xfa_form_unsupported"])
    print("wrote", dst.relative_to(ROOT))


if __name__ == "__main__":
    main()
