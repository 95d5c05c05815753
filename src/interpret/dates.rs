//! Dates as respondents write them, to ISO 8601. Day-first is assumed for
//! dd/mm/yyyy (the form is international); when month-first would also be a
//! valid, different date the result is flagged ambiguous.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDate {
    pub date: NaiveDate,
    pub ambiguous: bool,
}

static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b").expect("valid regex")
});
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\b(\d{1,2})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{4}|\d{2})\b")
        .expect("valid regex")
});
// A month name is any word here (`month_number` judges it): a bounded
// repetition of a Unicode class, or a case-insensitive one, compiles ten
// times slower, and every worker and `msq extract` pays for it at start.
static DAY_MONTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b([0-9]{1,2})(?i:st|nd|rd|th|er|º|°)?(?:\s+(?i:of|de|del)\s+|[\s\-/.]+)(\p{L}+)\.?(?:,?\s+(?i:de\s+|del\s+)?|[\-/.])([0-9]{4})\b",
    )
    .expect("valid regex")
});
/// 2019年3月29日, as Chinese, Japanese and Korean forms (년 월 일) write dates.
static CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?").expect("valid regex")
});
static MONTH_NAME_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\p{L}+)\.?\s+([0-9]{1,2})(?i:st|nd|rd|th)?,?\s+([0-9]{4})\b")
        .expect("valid regex")
});

/// Month names in the languages member states answer in (English, French,
/// Spanish, Portuguese, German, Russian in the genitive a date uses), with
/// and without accents. A name may be cut short ("Sept", "dic.") as long as
/// it still names one month.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january",
        "janvier",
        "enero",
        "janeiro",
        "januar",
        "jänner",
        "января",
    ],
    &[
        "february",
        "février",
        "fevrier",
        "febrero",
        "fevereiro",
        "februar",
        "февраля",
    ],
    &[
        "march",
        "mars",
        "marzo",
        "março",
        "marco",
        "märz",
        "marz",
        "марта",
    ],
    &["april", "avril", "abril", "апреля"],
    &["may", "mai", "mayo", "maio", "мая"],
    &["june", "juin", "junio", "junho", "juni", "июня"],
    &["july", "juillet", "julio", "julho", "juli", "июля"],
    &["august", "août", "aout", "agosto", "августа"],
    &[
        "september",
        "septembre",
        "septiembre",
        "setiembre",
        "setembro",
        "сентября",
    ],
    &[
        "october",
        "octobre",
        "octubre",
        "outubro",
        "oktober",
        "октября",
    ],
    &["november", "novembre", "noviembre", "novembro", "ноября"],
    &[
        "december",
        "décembre",
        "decembre",
        "diciembre",
        "dezembro",
        "dezember",
        "декабря",
    ],
];

fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    if n.chars().count() < 3 {
        return None;
    }
    let mut months = (1..=12u32).filter(|&m| {
        MONTH_NAMES[m as usize - 1]
            .iter()
            .any(|full| full.starts_with(&n))
    });
    let month = months.next()?;
    // "jui" is June or July: a prefix of two months names neither.
    months.next().is_none().then_some(month)
}

fn year(y: &str) -> Option<i32> {
    let v: i32 = y.parse().ok()?;
    Some(if y.len() == 2 { 2000 + v } else { v })
}

pub fn parse_date(text: &str) -> Option<ParsedDate> {
    // The pattern, with its Unicode digits and spaces, is compiled (in every
    // worker) only for a text that has the year character it needs.
    let has_year_character = text.contains(['年', '년']);
    if let Some(c) = has_year_character.then(|| CJK.captures(text)).flatten() {
        let d =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        return Some(ParsedDate {
            date: d,
            ambiguous: false,
        });
    }
    if let Some(c) = YMD.captures(text) {
        let d =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        return Some(ParsedDate {
            date: d,
            ambiguous: false,
        });
    }
    if let Some(c) = DMY.captures(text) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let y = year(&c[3])?;
        let day_first = NaiveDate::from_ymd_opt(y, b, a);
        let month_first = NaiveDate::from_ymd_opt(y, a, b);
        return match (day_first, month_first) {
            (Some(d), Some(m)) => Some(ParsedDate {
                date: d,
                ambiguous: d != m,
            }),
            (Some(d), None) => Some(ParsedDate {
                date: d,
                ambiguous: false,
            }),
            (None, Some(m)) => Some(ParsedDate {
                date: m,
                ambiguous: false,
            }),
            (None, None) => None,
        };
    }
    for c in DAY_MONTH_NAME.captures_iter(text) {
        if let Some(m) = month_number(&c[2]) {
            if let Some(d) = NaiveDate::from_ymd_opt(year(&c[3])?, m, c[1].parse().ok()?) {
                return Some(ParsedDate {
                    date: d,
                    ambiguous: false,
                });
            }
        }
    }
    for c in MONTH_NAME_DAY.captures_iter(text) {
        if let Some(m) = month_number(&c[1]) {
            if let Some(d) = NaiveDate::from_ymd_opt(year(&c[3])?, m, c[2].parse().ok()?) {
                return Some(ParsedDate {
                    date: d,
                    ambiguous: false,
                });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(t: &str) -> Option<(String, bool)> {
        parse_date(t).map(|p| (p.date.to_string(), p.ambiguous))
    }

    #[test]
    fn formats() {
        assert_eq!(iso("29/03/2019"), Some(("2019-03-29".into(), false)));
        assert_eq!(iso("05/03/2019"), Some(("2019-03-05".into(), true)));
        assert_eq!(iso("03/29/2019"), Some(("2019-03-29".into(), false)));
        assert_eq!(iso("2019-03-29"), Some(("2019-03-29".into(), false)));
        assert_eq!(
            iso("Date: 29 March 2019"),
            Some(("2019-03-29".into(), false))
        );
        assert_eq!(iso("March 29th, 2019"), Some(("2019-03-29".into(), false)));
        assert_eq!(iso("1st of Sept 2019"), Some(("2019-09-01".into(), false)));
        assert_eq!(iso("12.04.19"), Some(("2019-04-12".into(), true)));
        assert_eq!(iso("2019年3月29日"), Some(("2019-03-29".into(), false)));
        assert_eq!(iso("29-Mar-2019"), Some(("2019-03-29".into(), false)));
        assert_eq!(iso("29 Mar. 2019"), Some(("2019-03-29".into(), false)));
        assert_eq!(iso("2019년 3월 29일"), Some(("2019-03-29".into(), false)));
        assert_eq!(
            iso("15 de mayo de 2019"),
            Some(("2019-05-15".into(), false))
        );
        assert_eq!(iso("1er avril 2019"), Some(("2019-04-01".into(), false)));
        assert_eq!(iso("3 décembre 2019"), Some(("2019-12-03".into(), false)));
        assert_eq!(
            iso("12 de março de 2019"),
            Some(("2019-03-12".into(), false))
        );
        assert_eq!(iso("7. Oktober 2019"), Some(("2019-10-07".into(), false)));
        assert_eq!(iso("15 мая 2019 г."), Some(("2019-05-15".into(), false)));
        assert_eq!(iso("4 dic. 2019"), Some(("2019-12-04".into(), false)));
        assert_eq!(iso("4 jui 2019"), None, "June or July");
        assert_eq!(iso("no date here"), None);
        assert_eq!(iso("31/31/2019"), None);
    }
}
