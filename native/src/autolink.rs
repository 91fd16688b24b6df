//! GitHub-style "extended autolinks": bare `www.`, `http://` and `https://`
//! URLs in text become links. pulldown-cmark only knows `<...>` autolinks.
//! Rules follow the GFM spec (section 6.9): the link must start a word, needs
//! a valid domain, stops at whitespace or `<`, and trailing punctuation,
//! unbalanced `)` and entity-like `&name;` suffixes are left out.

#![forbid(unsafe_code)]

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

/// A bare URL found in text.
#[derive(Debug, PartialEq, Eq)]
pub struct Autolink {
    /// Byte range of the link text inside the searched string.
    pub range: Range<usize>,
    /// `www.` links get an `http://` prefix, as on GitHub.
    pub needs_scheme: bool,
}

impl Autolink {
    pub fn href(&self, text: &str) -> String {
        let link = &text[self.range.clone()];
        if self.needs_scheme {
            format!("http://{link}")
        } else {
            link.to_owned()
        }
    }
}

/// Finds the first autolink in `text` that starts at or after byte `from`.
/// Candidates are the `www.` and `://` found by a fast substring search
/// (each searched forward only, never twice over the same bytes). Walking a
/// text with repeated calls costs time linear in its length: the candidates
/// in one call share their scans (see `RunEnd`).
pub fn find(text: &str, from: usize) -> Option<Autolink> {
    static WWW: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"www."));
    static SCHEME: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"://"));
    let bytes = text.as_bytes();
    let next = |finder: &Finder<'_>, at: usize| finder.find(&bytes[at..]).map(|o| at + o);
    let mut domain_ends = RunEnd::default();
    let mut path_ends = RunEnd::default();
    let mut next_www = next(&WWW, from);
    let mut next_scheme = next(&SCHEME, from);
    loop {
        let www_first = match (next_www, next_scheme) {
            (None, None) => return None,
            (Some(w), Some(s)) => w < s,
            (www, _) => www.is_some(),
        };
        let start = if www_first {
            let w = next_www.expect("www is next");
            next_www = next(&WWW, w + 1);
            Some(w)
        } else {
            let s = next_scheme.expect("a scheme is next");
            next_scheme = next(&SCHEME, s + 1);
            scheme_start(bytes, s)
        };
        let Some(start) = start.filter(|&start| start >= from) else {
            continue;
        };
        if starts_word(text, start) {
            if let Some(link) = match_at(text, start, &mut domain_ends, &mut path_ends) {
                return Some(link);
            }
        }
    }
}

/// Where `http` or `https` starts right before the `://` at `colon`.
fn scheme_start(bytes: &[u8], colon: usize) -> Option<usize> {
    ["https", "http"].iter().find_map(|scheme| {
        let start = colon.checked_sub(scheme.len())?;
        bytes[start..colon]
            .eq_ignore_ascii_case(scheme.as_bytes())
            .then_some(start)
    })
}

/// The end of a run of characters (a domain, or a URL up to whitespace),
/// remembered: every position inside a scanned run ends where it ends.
#[derive(Default)]
struct RunEnd {
    scanned: Option<(usize, usize)>,
}

impl RunEnd {
    fn find(&mut self, text: &str, from: usize, stop: impl Fn(char) -> bool) -> usize {
        if let Some((start, end)) = self.scanned {
            if (start..=end).contains(&from) {
                return end;
            }
        }
        let end = text[from..].find(stop).map_or(text.len(), |p| from + p);
        self.scanned = Some((from, end));
        end
    }
}

/// GFM: an autolink must follow the start of the text, whitespace, or one of `*_~(`.
fn starts_word(text: &str, i: usize) -> bool {
    match text[..i].chars().next_back() {
        None => true,
        Some(c) => c.is_whitespace() || matches!(c, '*' | '_' | '~' | '('),
    }
}

/// A domain longer than DNS allows is not a link; a URL longer than this is
/// left as text. Both bound the work of one match attempt.
const MAX_DOMAIN_BYTES: usize = 253;
const MAX_LINK_BYTES: usize = 2048;

fn match_at(
    text: &str,
    start: usize,
    domain_ends: &mut RunEnd,
    path_ends: &mut RunEnd,
) -> Option<Autolink> {
    let rest = &text[start..];
    let (domain_start, needs_scheme) = if rest.starts_with("www.") {
        (start, true)
    } else if starts_with_ignore_case(rest, "https://") {
        (start + "https://".len(), false)
    } else if starts_with_ignore_case(rest, "http://") {
        (start + "http://".len(), false)
    } else {
        return None;
    };

    let domain_end = domain_ends.find(text, domain_start, |c| {
        !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
    });
    if domain_end - domain_start > MAX_DOMAIN_BYTES {
        return None;
    }
    let domain = &text[domain_start..domain_end];
    // Trailing dots/underscores may still be trimmed off below; fail early
    // only when no trimming can make the domain valid.
    if !is_valid_domain(domain) && !is_valid_domain(domain.trim_end_matches(['.', '_'])) {
        return None;
    }
    let path_end = path_ends.find(text, domain_end, |c| c.is_whitespace() || c == '<');
    if path_end - start > MAX_LINK_BYTES {
        return None;
    }

    let end = trim_trailing(text, start, path_end);
    let domain = &text[domain_start..domain_end.min(end)];
    (end > domain_start && is_valid_domain(domain)).then_some(Autolink {
        range: start..end,
        needs_scheme,
    })
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Segments of letters, digits, `_` and `-` separated by dots; at least one
/// dot; no `_` in the last two segments (GFM); no empty last two segments.
fn is_valid_domain(domain: &str) -> bool {
    let mut segments = domain.rsplit('.');
    let last = segments.next().unwrap_or("");
    let Some(second_last) = segments.next() else {
        return false;
    };
    [last, second_last]
        .iter()
        .all(|s| !s.is_empty() && !s.contains('_'))
}

/// Shortens `start..end` by the GFM trailing rules and returns the new end.
fn trim_trailing(text: &str, start: usize, mut end: usize) -> usize {
    // Counted only if the link ends in `)`; then kept up to date.
    let mut parens: Option<(usize, usize)> = None;
    while end > start {
        let last = text.as_bytes()[end - 1];
        match last {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'"' | b'\'' => end -= 1,
            b')' => {
                let (open, close) = parens.get_or_insert_with(|| {
                    let link = &text.as_bytes()[start..end];
                    let count = |p| link.iter().filter(|&&b| b == p).count();
                    (count(b'('), count(b')'))
                });
                if *close <= *open {
                    break;
                }
                *close -= 1;
                end -= 1;
            }
            b';' => match entity_start(&text[start..end - 1]) {
                Some(amp) => end = start + amp,
                None => break,
            },
            _ => break,
        }
    }
    end
}

/// If `s` ends with `&` followed by one or more ASCII letters/digits, returns
/// the offset of that `&` (the `;` was already stripped by the caller).
fn entity_start(s: &str) -> Option<usize> {
    let name_len = s
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    let amp = s.len().checked_sub(name_len + 1)?;
    (name_len > 0 && s.as_bytes()[amp] == b'&').then_some(amp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(link) = find(text, from) {
            out.push((text[link.range.clone()].to_owned(), link.href(text)));
            from = link.range.end;
        }
        out
    }

    fn one(text: &str) -> Option<String> {
        links(text).into_iter().next().map(|(_, href)| href)
    }

    /// Each text's first link, by its href (`None`: no link at all).
    fn assert_first_links(cases: &[(&str, Option<&str>)]) {
        for &(text, href) in cases {
            assert_eq!(one(text).as_deref(), href, "in {text:?}");
        }
    }

    #[test]
    fn finds_links_in_order_past_other_schemes() {
        let text = "a://b ftp://c https://x.com www.y.com http://z.com";
        let found: Vec<_> = links(text).into_iter().map(|(t, _)| t).collect();
        assert_eq!(found, ["https://x.com", "www.y.com", "http://z.com"]);
        assert_eq!(one("xhttps://a.com"), None);
    }

    #[test]
    fn finds_www_and_http_links() {
        assert_first_links(&[
            (
                "see www.commonmark.org now",
                Some("http://www.commonmark.org"),
            ),
            (
                "https://example.com/a?b=c#d",
                Some("https://example.com/a?b=c#d"),
            ),
            ("HTTP://EXAMPLE.COM", Some("HTTP://EXAMPLE.COM")),
        ]);
        assert_eq!(links("a http://a.io b www.b.io").len(), 2);
    }

    #[test]
    fn needs_a_word_start_and_a_valid_domain() {
        assert_first_links(&[
            ("xwww.example.com", None),
            ("http://localhost/x", None),
            ("www.exa_mple.com", None),
            ("www.example.c_m", None),
            ("www.", None),
            ("(www.example.com)", Some("http://www.example.com")),
            ("*www.example.com*", Some("http://www.example.com")),
        ]);
    }

    #[test]
    fn trailing_punctuation_and_parens() {
        assert_first_links(&[
            (
                "Visit www.commonmark.org.",
                Some("http://www.commonmark.org"),
            ),
            (
                "www.commonmark.org/a.b?!",
                Some("http://www.commonmark.org/a.b"),
            ),
            (
                "www.google.com/search?q=Markup+(business)",
                Some("http://www.google.com/search?q=Markup+(business)"),
            ),
            (
                "(www.google.com/search?q=Markup+(business)))",
                Some("http://www.google.com/search?q=Markup+(business)"),
            ),
            (
                "www.google.com/search?q=(business))+ok",
                Some("http://www.google.com/search?q=(business))+ok"),
            ),
            (
                "www.google.com/search?q=commonmark&hl;",
                Some("http://www.google.com/search?q=commonmark"),
            ),
            (
                "www.google.com/search?q=commonmark&hl=en",
                Some("http://www.google.com/search?q=commonmark&hl=en"),
            ),
            (
                "www.commonmark.org/he<lp",
                Some("http://www.commonmark.org/he"),
            ),
        ]);
    }

    #[test]
    fn unicode_text_is_walked_safely() {
        assert_first_links(&[
            ("é www.é.com ü", Some("http://www.é.com")),
            (
                "日本 https://例え.jp/パス。",
                Some("https://例え.jp/パス。"),
            ),
        ]);
    }
}
