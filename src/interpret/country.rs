//! Country names to ISO 3166-1 alpha-3 codes, for the 193 UN member states.
//!
//! The member list with UN short names ("Viet Nam", "Türkiye", "Bolivia
//! (Plurinational State of)") and extra spellings is data
//! (`schemas/un-member-states.json`); the ISO names and English aliases come
//! from the celes crate; the names in Arabic, Chinese, French, Russian and
//! Spanish from Debian's iso-codes (`scripts/country_names.py`). Matching
//! ignores case, accents, punctuation and "the"; other scripts are compared
//! through their transliteration.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::text_match::{fold, strip_parenthetical};

pub const UN_MEMBER_STATES: &str = include_str!("../../schemas/un-member-states.json");

#[derive(Debug, Clone, Deserialize)]
pub struct MemberState {
    pub iso3: String,
    pub name: String,
    #[serde(default)]
    pub variants: Vec<String>,
    /// Names in the other official UN languages, by language code.
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct MemberFile {
    member_states: Vec<MemberState>,
}

pub static MEMBER_STATES: LazyLock<Vec<MemberState>> = LazyLock::new(|| {
    serde_json::from_str::<MemberFile>(UN_MEMBER_STATES)
        .expect("built-in member state list is valid")
        .member_states
});

static INDEX: LazyLock<HashMap<String, usize>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for (i, state) in MEMBER_STATES.iter().enumerate() {
        let mut names: Vec<String> = vec![state.name.clone()];
        names.extend(state.variants.iter().cloned());
        names.extend(state.names.values().flatten().cloned());
        if let Ok(iso) = celes::Country::from_alpha3(&state.iso3) {
            names.push(iso.long_name.to_string());
            names.extend(celes::LookupTable::iter(&iso.aliases).map(|a| a.to_string()));
        }
        for name in names {
            let plain = name
                .contains(['(', ')'])
                .then(|| key(&strip_parenthetical(&name)));
            for key in std::iter::once(key(&name)).chain(plain) {
                if !key.is_empty() {
                    index.entry(key).or_insert(i);
                }
            }
        }
    }
    index
});

fn key(name: &str) -> String {
    let folded = fold(name);
    // The words are the runs of letters and digits, "&" standing for "and".
    let words = folded.split('&').enumerate().flat_map(|(k, part)| {
        (k > 0)
            .then_some("and")
            .into_iter()
            .chain(part.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
    });
    let mut key = String::with_capacity(folded.len() + 8);
    for (k, word) in words.enumerate() {
        match word {
            "the" if k == 0 => {}
            "st" => key.push_str("saint"),
            word => key.push_str(word),
        }
    }
    key
}

/// The member state a name stands for, as `(UN name, ISO3)`.
pub fn lookup(name: &str) -> Option<&'static MemberState> {
    let name = name.trim();
    if name.is_empty() || name.len() > 120 {
        return None;
    }
    let exact = INDEX
        .get(&key(name))
        .or_else(|| INDEX.get(&key(&strip_parenthetical(name))));
    if let Some(&i) = exact {
        return Some(&MEMBER_STATES[i]);
    }
    // "Government of the Republic of Kenya", "Kingdom of Saudi Arabia": the
    // state's form in front of its name.
    let mut rest = name;
    for _ in 0..3 {
        rest = strip_state_form(rest)?;
        if let Some(&i) = INDEX.get(&key(rest)) {
            return Some(&MEMBER_STATES[i]);
        }
    }
    None
}

/// Words that say what form a state or its government takes, as official
/// names put them before "of": "Federal Republic of", "Sultanate of".
const STATE_FORM_WORDS: &[&str] = &[
    "arab",
    "bolivarian",
    "commonwealth",
    "cooperative",
    "democratic",
    "duchy",
    "emirate",
    "federal",
    "federation",
    "government",
    "grand",
    "hashemite",
    "independent",
    "islamic",
    "kingdom",
    "oriental",
    "people",
    "peoples",
    "plurinational",
    "principality",
    "republic",
    "socialist",
    "state",
    "sultanate",
    "union",
    "united",
];

/// `name` without the state-form words and "of (the)" in front of it, if
/// it starts with them.
fn strip_state_form(name: &str) -> Option<&str> {
    let mut rest = name.trim_start();
    let mut form_words = 0;
    loop {
        let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        let word = fold(&rest[..end]);
        let word = word
            .trim_end_matches("'s")
            .trim_matches(|c: char| !c.is_alphanumeric());
        let after = rest[end..].trim_start();
        if word == "of" && form_words > 0 {
            let after = after.strip_prefix("the ").unwrap_or(after);
            return (!after.is_empty()).then_some(after);
        }
        if !STATE_FORM_WORDS.contains(&word) || after.is_empty() {
            return None;
        }
        form_words += 1;
        rest = after;
    }
}

/// A member state named anywhere in `text` as whole words ("Government of
/// Japan"), the longest name winning.
pub fn find_in(text: &str) -> Option<&'static MemberState> {
    let folded: Vec<String> = fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut best: Option<(usize, usize)> = None;
    for start in 0..folded.len() {
        for len in (1..=8.min(folded.len() - start)).rev() {
            let candidate = folded[start..start + len].join(" ");
            if let Some(&i) = INDEX.get(&key(&candidate)) {
                if best.is_none_or(|(_, l)| len > l) {
                    best = Some((i, len));
                }
                break;
            }
        }
    }
    best.map(|(i, _)| &MEMBER_STATES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(name: &str) -> Option<&'static str> {
        lookup(name).map(|s| s.iso3.as_str())
    }

    #[test]
    fn official_long_forms() {
        assert_eq!(iso("Kingdom of Saudi Arabia"), Some("SAU"));
        assert_eq!(iso("Government of the Republic of Kenya"), Some("KEN"));
        assert_eq!(iso("Sultanate of Oman"), Some("OMN"));
        assert_eq!(iso("People's Republic of Bangladesh"), Some("BGD"));
        assert_eq!(iso("Republic of Korea"), Some("KOR"));
        assert_eq!(iso("Democratic People's Republic of Korea"), Some("PRK"));
        assert_eq!(iso("Republic of the Congo"), Some("COG"));
        assert_eq!(iso("Ministry of Interior"), None);
        assert_eq!(iso("Government of"), None);
    }

    #[test]
    fn all_member_states_by_un_name() {
        assert_eq!(MEMBER_STATES.len(), 193);
        for s in MEMBER_STATES.iter() {
            assert_eq!(iso(&s.name), Some(s.iso3.as_str()), "{}", s.name);
        }
    }

    #[test]
    fn common_variants() {
        assert_eq!(iso("Viet Nam"), Some("VNM"));
        assert_eq!(iso("Vietnam"), Some("VNM"));
        assert_eq!(iso("Türkiye"), Some("TUR"));
        assert_eq!(iso("Turkey"), Some("TUR"));
        assert_eq!(
            iso("United Kingdom of Great Britain and Northern Ireland"),
            Some("GBR")
        );
        assert_eq!(iso("the Netherlands"), Some("NLD"));
        assert_eq!(iso("Republic of Korea"), Some("KOR"));
        assert_eq!(iso("Côte d’Ivoire"), Some("CIV"));
        assert_eq!(iso("BOLIVIA"), Some("BOL"));
        assert_eq!(iso("St. Lucia"), Some("LCA"));
        assert_eq!(iso("Atlantis"), None);
    }

    #[test]
    fn names_in_the_official_un_languages() {
        for (name, code) in [
            ("Allemagne", "DEU"),
            ("Cameroun", "CMR"),
            ("Maroc", "MAR"),
            ("République dominicaine", "DOM"),
            ("República Dominicana", "DOM"),
            ("España", "ESP"),
            ("Brasil", "BRA"),
            ("Российская Федерация", "RUS"),
            ("Казахстан", "KAZ"),
            ("中国", "CHN"),
            ("中华人民共和国", "CHN"),
            ("日本", "JPN"),
            ("مصر", "EGY"),
            ("الصين", "CHN"),
        ] {
            assert_eq!(iso(name), Some(code), "{name}");
        }
        assert_eq!(
            find_in("Réponse du Maroc au questionnaire").map(|s| s.iso3.as_str()),
            Some("MAR")
        );
    }

    #[test]
    fn no_name_stands_for_two_states() {
        // A translated name that read like another state's name would
        // silently give the wrong country: every key has one state.
        let mut owner: HashMap<String, &str> = HashMap::new();
        for state in MEMBER_STATES.iter() {
            let names = std::iter::once(&state.name)
                .chain(&state.variants)
                .chain(state.names.values().flatten());
            for name in names {
                let k = key(name);
                let first = *owner.entry(k.clone()).or_insert(&state.iso3);
                assert_eq!(first, state.iso3, "{name} ({k})");
            }
        }
    }

    #[test]
    fn names_inside_text() {
        assert_eq!(
            find_in("Government of Japan").map(|s| s.iso3.as_str()),
            Some("JPN")
        );
        assert_eq!(
            find_in("Republic of South Sudan, Ministry").map(|s| s.iso3.as_str()),
            Some("SSD")
        );
    }
}
