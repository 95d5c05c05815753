"""Answer sets for the sample corpus, and the ground truth they imply.

Each corpus document is described by a `DocSpec`: who answers (country, date),
how the form is laid out (box kind, tables or paragraphs, link kinds) and what
the answers are. The same answers are written by every producer (python-docx,
LibreOffice, plain text), and `truth()` states what a correct extraction must
find, independently of msq's own output.
"""

import json
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = json.loads((ROOT / "schemas" / "msq-2020.json").read_text(encoding="utf-8"))


def questions():
    """(section, question) in questionnaire order; groups yield their parts."""
    for section in DEFINITION["sections"]:
        for q in section["questions"]:
            yield section, q


def answer_questions():
    for _, q in questions():
        if q["kind"] == "group":
            yield from q["parts"]
        else:
            yield q


NAMES = ["Amina Diallo", "Jonas Berg", "Mei Tanaka", "Carlos Ruiz", "Sofia Petrova",
         "Liam O'Connor", "Nguyen Van An", "Ayse Yilmaz", "Joao Silva", "Priya Nair"]
TITLES = ["Government CIO", "Director of Digital Services", "Chief Digital Officer",
          "Head of e-Government Unit", "Senior Adviser"]
ORGS = ["Ministry of Digital Affairs", "Cabinet Office", "National ICT Agency",
        "Office of the Prime Minister", "Ministry of Interior"]
SENTENCES = [
    "The strategy sets targets for every ministry and is reviewed each year.",
    "A steering committee chaired by the minister monitors its implementation.",
    "Citizens were consulted online before the plan was adopted.",
    "Open data is published under a national licence on the central portal.",
    "Most services are available on mobile devices and through the national app.",
    "Digital identity is used by more than half of the adult population.",
    "Local governments receive shared platforms for payments and notifications.",
    "An annual report on progress is presented to parliament.",
]
AGENCIES = ["Ministry of Planning", "Ministry of Education", "Ministry of Health",
            "Social Security Agency", "Ministry of Labour", "Environment Agency",
            "Ministry of Energy and Water", "Revenue Authority", "Ministry of Trade"]


@dataclass
class DocSpec:
    name: str
    country: str          # as written on the cover
    iso3: str
    date_written: str
    date_iso: str
    seed: int
    box: str = "glyph"    # content_control, legacy, legacy_default, wingdings, wingdings2,
                          # segoe, symbol_run, glyph, typed
    box_after: bool = False      # "Yes ☒" instead of "☒ Yes"
    tables: bool = False         # options and contacts in tables
    numbered_style: bool = False # numbers by Word list numbering, not typed
    link_mode: str = "relationship"  # relationship, field, text, named
    footnotes: str = "part"      # part (real footnotes), none
    consent: bool = True
    unanswered: tuple = ()       # question ids left empty
    placeholder: bool = False    # empty answers keep Word's placeholder control
    long_answer: bool = False    # q7 over the word limit
    contradictory: bool = False  # q12 with both Yes and No ticked
    tracked_changes: bool = False
    other_text: bool = False
    producer: str = "docx"       # docx (python-docx), browser (Chromium print), reportlab (fillable PDF)
    header_footer: bool = False  # running header and footer with page numbers
    long_urls: bool = False      # URLs long enough to wrap in a PDF line
    answers: dict = field(default_factory=dict)

    def slug(self):
        first = self.country.lower().split(" ")[0]
        folded = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
        return "".join(c for c in folded if c.isalnum())


def make_answers(spec: DocSpec):
    rnd = random.Random(spec.seed)
    host = f"www.{spec.slug()}.gov"
    answers = {}
    for q in answer_questions():
        qid, kind = q["id"], q["kind"]
        if qid in spec.unanswered:
            # Boxes stay on the form, all unticked; nothing is written.
            if kind == "checklist":
                answers[qid] = {"checked": {o["id"]: False for o in q["options"]}, "other": None,
                                "paragraphs": None, "urls": []}
            elif kind == "yes_no":
                answers[qid] = {"value": None, "checked": {"yes": False, "no": False}}
            else:
                answers[qid] = None
            continue
        if kind == "entries":
            n = 2 if qid in ("q3", "q5a", "q5g") else 1
            entries = []
            for k in range(n):
                base = AGENCIES[rnd.randrange(len(AGENCIES))] if qid.startswith("q5") or qid == "q3" \
                    else f"{spec.country} {q['prompt'].rstrip(':').split('?')[0][:24].strip()} portal"
                entries.append({"name": f"{base} {k + 1}" if n > 1 else base,
                                "url": f"https://{host}/{qid}/{k + 1}/index.html"})
            answers[qid] = entries
        elif kind == "contact":
            answers[qid] = {
                "name": NAMES[rnd.randrange(len(NAMES))],
                "title": TITLES[rnd.randrange(len(TITLES))],
                "organization": ORGS[rnd.randrange(len(ORGS))],
                "email": f"{qid}.contact@{spec.slug()}.gov",
                "phone": f"+{rnd.randrange(10, 99)} {rnd.randrange(100, 999)} {rnd.randrange(1000, 9999)}",
            }
            if qid == "respondent":
                answers[qid].pop("phone")
        elif kind == "text":
            count = 2 if qid in ("q6", "q14") else 1
            paragraphs = [" ".join(rnd.sample(SENTENCES, 2)) for _ in range(count)]
            urls = []
            if qid in ("q6", "q7", "q11", "q16", "q22"):
                url = f"https://{host}/docs/{qid}/strategy-2020.pdf"
                paragraphs.append(f"More information: {url}")
                urls.append(url)
            if spec.long_urls and qid in ("q13", "q21"):
                url = (f"https://{host}/statistics/reports/2019/user-satisfaction-survey-results-"
                       f"final-version-approved-by-the-cabinet-{qid}.html?lang=en&format=full&section=summary")
                paragraphs.append(f"The full report is published at {url} for everyone.")
                urls.append(url)
            if qid == "q7" and spec.long_answer:
                long = " ".join(SENTENCES[i % len(SENTENCES)] for i in range(30))
                paragraphs.insert(0, long)
            answers[qid] = {"paragraphs": paragraphs, "urls": urls}
        elif kind == "yes_no":
            value = "yes" if rnd.random() < 0.6 else "no"
            both = spec.contradictory and qid == "q12"
            answers[qid] = {"value": None if both else value,
                            "checked": {"yes": both or value == "yes", "no": both or value == "no"}}
        elif kind == "checklist":
            ids = [o["id"] for o in q["options"]]
            chosen = {i for i in ids if rnd.random() < 0.45}
            has_other = q.get("other_option") and spec.other_text and qid in ("q15", "x2")
            if q.get("other_option"):
                chosen.discard(q["other_option"])
                if has_other:
                    chosen.add(q["other_option"])
            if not chosen:
                chosen.add(ids[0])
            other = None
            if has_other:
                other = "Cloud computing" if qid == "q15" else "A colleague in another ministry"
            text = None
            urls = []
            if qid in ("q8", "q9", "q15"):
                text = [" ".join(rnd.sample(SENTENCES, 2))]
                if qid == "q9":
                    url = f"https://{host}/laws/data-protection-act"
                    text.append(f"Data Protection Act: {url}")
                    urls.append(url)
            answers[qid] = {"checked": {i: i in chosen for i in ids}, "other": other,
                            "paragraphs": text, "urls": urls}
    return answers


def truth(spec: DocSpec):
    """What a correct extraction finds: the contract's fields, by question."""
    expected = {
        "country": {"iso3": spec.iso3},
        "date": spec.date_iso,
        "consent_to_publish": spec.consent,
        "answers": {},
    }
    for q in answer_questions():
        qid, kind = q["id"], q["kind"]
        a = spec.answers[qid]
        if kind == "entries":
            expected["answers"][qid] = {"entries": [] if a is None else
                                        [{"name": e["name"], "urls": [e["url"]]} for e in a]}
        elif kind == "contact":
            c = {k: None for k in ("name", "title", "organization", "email", "phone")}
            if a:
                c.update(a)
            expected["answers"][qid] = {"contact": c}
        elif kind == "text":
            if a is None:
                expected["answers"][qid] = {"text": None, "urls": []}
            else:
                expected["answers"][qid] = {"text": "\n".join(a["paragraphs"]), "urls": a["urls"]}
        elif kind == "yes_no":
            if a is None:
                expected["answers"][qid] = {"value": None}
            else:
                expected["answers"][qid] = {"value": a["value"], "checked": a["checked"]}
        elif kind == "checklist":
            entry = {"checked": a["checked"], "urls": a["urls"]}
            if q.get("text_is_other"):
                entry["other_text"] = a["other"]
            else:
                entry["other_text"] = a["other"]
                entry["text"] = "\n".join(a["paragraphs"]) if a["paragraphs"] else None
            expected["answers"][qid] = entry
    return expected


def corpus_specs():
    """The documents of the sample corpus: each box kind, layout and edge case."""
    specs = [
        DocSpec("01_japan_content_controls", "Japan", "JPN", "29/03/2019", "2019-03-29", 1,
                box="content_control", link_mode="relationship"),
        DocSpec("02_kenya_legacy_fields", "Kenya", "KEN", "2019-04-12", "2019-04-12", 2,
                box="legacy", tables=True, link_mode="field"),
        DocSpec("03_viet_nam_wingdings", "Viet Nam", "VNM", "12 April 2019", "2019-04-12", 3,
                box="wingdings", link_mode="text", unanswered=("q2d", "q13", "q21")),
        DocSpec("04_turkiye_wingdings2", "Türkiye", "TUR", "March 5, 2019", "2019-03-05", 4,
                box="wingdings2", box_after=True, link_mode="named"),
        DocSpec("05_uk_segoe_symbols", "United Kingdom of Great Britain and Northern Ireland", "GBR",
                "15.04.2019", "2019-04-15", 5, box="segoe", numbered_style=True),
        DocSpec("06_brazil_glyph_text", "Brazil", "BRA", "05/03/2019", "2019-03-05", 6,
                box="glyph", tables=True, contradictory=True, long_answer=True),
        DocSpec("07_estonia_typed_x", "Estonia", "EST", "2 May 2019", "2019-05-02", 7,
                box="typed", consent=True, link_mode="text"),
        DocSpec("08_korea_symbol_runs", "Republic of Korea", "KOR", "2019/05/20", "2019-05-20", 8,
                box="symbol_run", footnotes="none", other_text=True),
        DocSpec("09_cote_divoire_legacy_default", "Côte d'Ivoire", "CIV", "20/05/2019", "2019-05-20", 9,
                box="legacy_default", placeholder=True, unanswered=("q4", "q11", "q18", "q2e"),
                consent=False),
        DocSpec("10_bolivia_tracked_changes", "Bolivia (Plurinational State of)", "BOL",
                "June 3, 2019", "2019-06-03", 10, box="content_control", tracked_changes=True,
                tables=True, link_mode="field", other_text=True),
        DocSpec("11_new_zealand_box_after", "New Zealand", "NZL", "7 June 2019", "2019-06-07", 11,
                box="glyph", box_after=True, link_mode="named", footnotes="none"),
        DocSpec("13_ghana_headers_long_urls", "Ghana", "GHA", "18/06/2019", "2019-06-18", 13,
                box="glyph", header_footer=True, long_urls=True, link_mode="text"),
        DocSpec("14_chile_browser_print", "Chile", "CHL", "1 July 2019", "2019-07-01", 14,
                box="glyph", link_mode="named", other_text=True, producer="browser", footnotes="none"),
        DocSpec("15_norway_fillable_form", "Norway", "NOR", "2019-07-05", "2019-07-05", 15,
                box="form_field", link_mode="text", footnotes="none", producer="reportlab"),
        DocSpec("12_france_all_unanswered_checklists", "France", "FRA", "10/06/2019", "2019-06-10", 12,
                box="legacy", unanswered=("q8", "q9", "q15", "x1", "x2", "q10", "q12")),
    ]
    for s in specs:
        s.answers = make_answers(s)
    return specs
