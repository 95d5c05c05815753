"""Adds each member state's names in the other five official UN languages
(Arabic, Chinese, French, Russian, Spanish) to schemas/un-member-states.json,
from the Debian iso-codes translations that pycountry ships: respondents write
"Allemagne", "República Dominicana" or "中国" on the cover and in file names.

Usage: pip install pycountry && python3 scripts/country_names.py
"""

import gettext
import json
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / "schemas" / "un-member-states.json"
LANGUAGES = {"ar": "ar", "zh": "zh_CN", "fr": "fr", "ru": "ru", "es": "es"}


def main():
    data = json.loads(PATH.read_text(encoding="utf-8"))
    translations = {
        code: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        for code, locale in LANGUAGES.items()
    }
    for state in data["member_states"]:
        country = pycountry.countries.get(alpha_3=state["iso3"])
        english = [getattr(country, a) for a in ("name", "official_name", "common_name") if hasattr(country, a)]
        names = {}
        for code, translation in translations.items():
            found = []
            for name in english:
                # Vowel marks and shadda are left out: respondents seldom type them.
                local = "".join(c for c in translation.gettext(name) if not "\u064b" <= c <= "\u0652").strip()
                if local and local not in english and local not in found:
                    found.append(local)
            if found:
                names[code] = found
        state["names"] = names
    data["description"] = (
        "The 193 member states of the United Nations: ISO 3166-1 alpha-3 code, UN short name, "
        "spellings respondents use besides those the ISO data already knows, and names in the "
        "other official UN languages (scripts/country_names.py, from Debian's iso-codes)."
    )
    PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("wrote", PATH.relative_to(ROOT))


if __name__ == "__main__":
    main()
