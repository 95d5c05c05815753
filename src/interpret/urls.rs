//! Finding and normalising URLs in answer text.
//!
//! linkify finds candidates; the rules of the output contract decide: a URL is
//! absolute (a `www.` address gets `http://`), its host lower-cased, surrounding
//! brackets and trailing sentence punctuation dropped, full-width CJK punctuation
//! ends it, and only http, https and ftp are URLs. A bare file name such as
//! `report.pdf` is not a URL, nor is an e-mail address.

use std::sync::LazyLock;

use linkify::{LinkFinder, LinkKind};

#[derive(Debug, Clone, PartialEq)]
pub struct FoundUrl {
    /// Byte range of the URL as written.
    pub start: usize,
    pub end: usize,
    pub url: String,
}

static FINDER: LazyLock<LinkFinder> = LazyLock::new(|| {
    let mut f = LinkFinder::new();
    f.kinds(&[LinkKind::Url]);
    f.url_must_have_scheme(false);
    f
});

/// Extensions that make `name.ext` a file name rather than a host.
const FILE_EXTENSIONS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "jpg", "jpeg", "png", "gif",
    "zip", "rar", "odt", "ods", "rtf", "xml", "json", "htm", "html", "php", "aspx", "exe", "msi",
];

/// Full-width and CJK punctuation, which ends a URL written in CJK text.
fn ends_url(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF65}' | '\u{2018}'..='\u{201F}')
        || c.is_whitespace()
        || c == '<'
        || c == '>'
}

pub fn find_urls(text: &str) -> Vec<FoundUrl> {
    let mut out: Vec<FoundUrl> = Vec::new();
    for link in FINDER.links(text) {
        let raw = link.as_str();
        let cut = raw.find(ends_url).unwrap_or(raw.len());
        let candidate = trim_trailing(&raw[..cut]);
        if candidate.is_empty() {
            continue;
        }
        if let Some(url) = normalize(candidate) {
            let start = link.start();
            out.push(FoundUrl {
                start,
                end: start + candidate.len(),
                url,
            });
        }
    }
    out
}

fn trim_trailing(s: &str) -> &str {
    let mut s = s;
    loop {
        let Some(last) = s.chars().last() else {
            return s;
        };
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '*' => true,
            ')' => s.matches('(').count() < s.matches(')').count(),
            ']' => s.matches('[').count() < s.matches(']').count(),
            _ => false,
        };
        if !strip {
            return s;
        }
        s = &s[..s.len() - last.len_utf8()];
    }
}

/// Normalises one URL as written; `None` when it is not an http, https or ftp
/// URL (an e-mail address, a file name, another scheme).
pub fn normalize(written: &str) -> Option<String> {
    let s = written
        .trim()
        .trim_start_matches(['<', '(', '['])
        .trim_end_matches(['>']);
    let s = trim_trailing(s);
    if s.is_empty() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let with_scheme = if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("ftp://")
    {
        s.to_string()
    } else if lower.contains("://") || lower.starts_with("mailto:") {
        return None;
    } else if lower.starts_with("www.") || looks_like_bare_host_with_path(&lower) {
        format!("http://{s}")
    } else {
        return None;
    };
    let parsed = url::Url::parse(&with_scheme).ok()?;
    if !matches!(parsed.scheme(), "http" | "https" | "ftp") {
        return None;
    }
    let host = parsed.host_str()?;
    if !host.contains('.') && host != "localhost" {
        return None;
    }
    if !parsed.username().is_empty() {
        // user@host without a scheme is an e-mail address that lost its way.
        return None;
    }
    Some(parsed.to_string())
}

/// `example.gov/path`: a dotted host with an alphabetic top-level label that
/// is not a file extension, followed by a path.
fn looks_like_bare_host_with_path(lower: &str) -> bool {
    let Some(slash) = lower.find('/') else {
        return false;
    };
    let host = &lower[..slash];
    if host.contains('@') {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic())
        && !FILE_EXTENSIONS.contains(&tld)
}

static EMAIL_FINDER: LazyLock<LinkFinder> = LazyLock::new(|| {
    let mut f = LinkFinder::new();
    f.kinds(&[LinkKind::Email]);
    f
});

/// The first e-mail address in `text`.
pub fn first_email(text: &str) -> Option<&str> {
    EMAIL_FINDER.links(text).next().map(|l| l.as_str())
}

/// Replaces every e-mail address in `text` with `replacement`.
pub fn replace_emails(text: &str, replacement: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for link in EMAIL_FINDER.links(text) {
        out.push_str(&text[cursor..link.start()]);
        out.push_str(replacement);
        cursor = link.end();
    }
    out.push_str(&text[cursor..]);
    out
}

/// Schemes that run code or reach the reader's own machine when clicked:
/// never emitted as URLs, and reported.
const UNSAFE_SCHEMES: &[&str] = &["javascript:", "vbscript:", "file:", "data:"];

/// The unsafe scheme a link target or a word starts with, if any. A word
/// that is the scheme's name and its colon alone is a label ("Big data:
/// Yes", "File: report.pdf"), not a link.
pub fn unsafe_scheme(text: &str) -> Option<&'static str> {
    let t = text.trim().trim_start_matches(['<', '(', '[', '"', '\'']);
    UNSAFE_SCHEMES
        .iter()
        .copied()
        .find(|s| t.len() > s.len() && t.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes()))
}

/// True when `next` continues a URL that `previous` ends with: a URL broken
/// across lines. A next line that starts a new sentence word or a new URL does
/// not continue it. Works on the tokens as written, since a URL may break
/// right after a character that ends sentences too ("…index.html?" / "lang=en").
pub fn continues_url(previous: &str, next: &str) -> bool {
    let Some(last) = previous.split_whitespace().last() else {
        return false;
    };
    let last = last.trim_start_matches(['<', '(', '[']);
    let is_url = find_urls(last).first().is_some_and(|u| u.start == 0);
    if !is_url {
        return false;
    }
    let Some(token) = next.split_whitespace().next() else {
        return false;
    };
    let lower = token.to_ascii_lowercase();
    if lower.starts_with("http") || lower.starts_with("www.") {
        return false;
    }
    let url_chars = |c: char| matches!(c, '/' | '?' | '=' | '&' | '%' | '#' | '_' | '~');
    if last.ends_with(['/', '-', '_', '=', '?', '&', '.', '%', '#', ':']) {
        return token
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || url_chars(c));
    }
    token.chars().any(url_chars)
        || (token.contains('.') && !token.ends_with('.') && !token.chars().any(char::is_uppercase))
}

/// True when `next` is nothing but the rest of a URL that `previous` ends
/// with, after a separator: safe to join even across a page or paragraph.
pub fn finishes_url(previous: &str, next: &str) -> bool {
    let next = next.trim();
    !next.is_empty()
        && !next.contains(char::is_whitespace)
        && previous
            .split_whitespace()
            .last()
            .is_some_and(|l| l.ends_with(['/', '-', '_', '=', '?', '&']))
        && continues_url(previous, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(t: &str) -> Vec<String> {
        find_urls(t).into_iter().map(|u| u.url).collect()
    }

    #[test]
    fn contract_rules() {
        assert_eq!(
            urls("<https://www.e-gov.go.jp/>"),
            ["https://www.e-gov.go.jp/"]
        );
        assert_eq!(urls("see www.Data.GO.jp."), ["http://www.data.go.jp/"]);
        assert_eq!(urls("(http://x.org/a_(b))."), ["http://x.org/a_(b)"]);
        assert_eq!(
            urls("mail akihisa.miwa@cas.go.jp now"),
            Vec::<String>::new()
        );
        assert_eq!(urls("see report.pdf and annex.docx"), Vec::<String>::new());
        assert_eq!(
            urls("参照：https://cio.go.jp/node/2422。次"),
            ["https://cio.go.jp/node/2422"]
        );
        assert_eq!(urls("cio.go.jp/node/2422"), ["http://cio.go.jp/node/2422"]);
        assert_eq!(
            urls("javascript:alert(1) file:///etc/passwd"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn unsafe_schemes_are_links_not_labels() {
        assert_eq!(unsafe_scheme("javascript:alert(1)"), Some("javascript:"));
        assert_eq!(unsafe_scheme("<DATA:text/html,x>"), Some("data:"));
        assert_eq!(unsafe_scheme("data:"), None);
        assert_eq!(unsafe_scheme("File:"), None);
    }

    #[test]
    fn wrapped_urls() {
        assert!(continues_url(
            "see https://elaws.e-gov.go.jp/search/",
            "elawsSearch/lsg0500"
        ));
        assert!(continues_url(
            "https://x.org/detail?lawId=",
            "415AC0000000057"
        ));
        assert!(!continues_url("https://x.org/a", "The next sentence"));
        assert!(!continues_url("https://x.org/a", "https://y.org/"));
        assert!(!continues_url("https://x.org/a then words", "more/words"));
        assert!(continues_url(
            "https://x.org/r.html?",
            "lang=en&format=full for all"
        ));
        assert!(finishes_url("portal\thttps://x.org/q2c/1/", "index.html"));
        assert!(!finishes_url("https://x.org/q2c/1/", "Next question"));
    }
}
