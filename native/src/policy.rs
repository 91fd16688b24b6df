//! The allowlist: which elements and attributes may appear in a post, which
//! elements disappear with their content, and which URLs survive. The HTML
//! writer only ever writes what this module allows; the raw-HTML sanitiser
//! asks it about every tag the author typed.

#![forbid(unsafe_code)]

use std::borrow::Cow;

/// Added to every `<a>`: user links must not pass ranking, `window.opener`
/// or the referrer, and are marked as user-generated content.
pub const LINK_REL: &str = "nofollow noopener noreferrer ugc";

/// What the writer adds for assistive technology to every element of a
/// kind, Markdown-made or raw. Authors' own values for these attributes are
/// not allowlisted: these are the only values a post can hold.
///
/// A code block's long lines scroll sideways, which a keyboard can do only
/// in a focusable element; what takes focus needs a role and a name, so a
/// screen reader says what it reached ("Code, group") before reading it.
/// `group`, not `region`: a post's code blocks are not landmarks, and
/// several landmarks of one name would be ambiguous.
pub const PRE_ATTRIBUTES: [(&str, &str); 3] =
    [("tabindex", "0"), ("role", "group"), ("aria-label", "Code")];

/// `PRE_ATTRIBUTES` as the writer writes them after `<pre`.
pub const PRE_ATTRIBUTES_HTML: &str = " tabindex=\"0\" role=\"group\" aria-label=\"Code\"";

/// A task-list checkbox has no label of its own (the item's text is not
/// tied to it), so its name says what its state means.
pub fn task_label(checked: bool) -> &'static str {
    if checked {
        "Completed task"
    } else {
        "Open task"
    }
}

macro_rules! elements {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// The elements that may appear in the output. Anything else typed
        /// as raw HTML is dropped (its text kept) unless `DropWithContent`
        /// says otherwise.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum El { $($variant),* }

        impl El {
            pub fn name(self) -> &'static str {
                match self { $(El::$variant => $name),* }
            }

            pub fn from_name(name: &str) -> Option<El> {
                match name { $($name => Some(El::$variant),)* _ => None }
            }
        }

        #[cfg(test)]
        pub const ALL: &[El] = &[$(El::$variant),*];
    };
}

elements! {
    A = "a", Abbr = "abbr", B = "b", Blockquote = "blockquote", Br = "br", Code = "code",
    Dd = "dd", Del = "del", Details = "details", Div = "div", Dl = "dl", Dt = "dt", Em = "em",
    H1 = "h1", H2 = "h2", H3 = "h3", H4 = "h4", H5 = "h5", H6 = "h6", Hr = "hr", I = "i",
    Img = "img", Input = "input", Ins = "ins", Kbd = "kbd", Li = "li", Mark = "mark", Ol = "ol",
    P = "p", Pre = "pre", Q = "q", S = "s", Samp = "samp", Small = "small", Span = "span",
    Strong = "strong", Sub = "sub", Summary = "summary", Sup = "sup", Table = "table",
    Tbody = "tbody", Td = "td", Tfoot = "tfoot", Th = "th", Thead = "thead", Tr = "tr", U = "u",
    Ul = "ul",
}

impl El {
    /// Elements without content or end tag.
    pub fn is_void(self) -> bool {
        matches!(self, El::Br | El::Hr | El::Img | El::Input)
    }

    /// The HTML parser's "formatting" elements among ours: those it would
    /// re-open in later blocks if they were left open.
    pub fn is_formatting(self) -> bool {
        matches!(
            self,
            El::A | El::B | El::Code | El::Em | El::I | El::S | El::Small | El::Strong | El::U
        )
    }

    pub fn is_heading(self) -> bool {
        matches!(self, El::H1 | El::H2 | El::H3 | El::H4 | El::H5 | El::H6)
    }

    /// The parser's "special" category (the rest of ours are phrasing).
    pub fn is_special(self) -> bool {
        !matches!(
            self,
            El::A
                | El::Abbr
                | El::B
                | El::Code
                | El::Del
                | El::Em
                | El::I
                | El::Ins
                | El::Kbd
                | El::Mark
                | El::Q
                | El::S
                | El::Samp
                | El::Small
                | El::Span
                | El::Strong
                | El::Sub
                | El::Sup
                | El::U
        )
    }

    /// Start tags the parser lets close an open `<p>` first.
    pub fn closes_p(self) -> bool {
        self.is_heading()
            || matches!(
                self,
                El::Blockquote
                    | El::Details
                    | El::Div
                    | El::Dl
                    | El::Ol
                    | El::Ul
                    | El::P
                    | El::Summary
                    | El::Pre
                    | El::Hr
                    | El::Table
                    | El::Li
                    | El::Dd
                    | El::Dt
            )
    }

    /// Table structure: these only go inside a table.
    pub fn is_table_part(self) -> bool {
        matches!(
            self,
            El::Tbody | El::Thead | El::Tfoot | El::Tr | El::Td | El::Th
        )
    }
}

/// How the content of an element removed with its content is read. The HTML
/// tokenizer reads it differently depending on the element, so the sanitiser
/// tells it, as the HTML parser's tree builder would.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DropWithContent {
    /// `<script>`: script data.
    Script,
    /// Text up to the matching end tag, no entities (`<style>`, `<xmp>`, ...).
    RawText,
    /// Text up to the matching end tag, with entities (`<textarea>`, `<title>`).
    Rcdata,
    /// Everything after it is text (`<plaintext>`).
    Plaintext,
    /// Markup in another namespace (`<svg>`, `<math>`): CDATA sections count.
    Foreign,
    /// Ordinary markup that is removed whole (`<template>`, `<object>`, ...).
    Markup,
}

/// Elements removed together with everything inside them: their content is
/// code, markup for another parser, or chrome that makes no sense as text.
/// (`embed` and `frame` have no content, and the parser ignores `frame` and
/// `frameset` in a post, so those three are simply dropped.)
pub fn drop_with_content(name: &str) -> Option<DropWithContent> {
    Some(match name {
        "script" => DropWithContent::Script,
        // Browsers run with scripting enabled, so `<noscript>` is raw text.
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            DropWithContent::RawText
        }
        "textarea" | "title" => DropWithContent::Rcdata,
        "plaintext" => DropWithContent::Plaintext,
        "svg" | "math" => DropWithContent::Foreign,
        "template" | "object" | "applet" | "select" | "form" => DropWithContent::Markup,
        _ => return None,
    })
}

/// Start tags that make the HTML parser leave `<svg>` or `<math>` content
/// ("breakout" tags of the parsing spec): what follows is HTML again, so a
/// removed `<svg>` or `<math>` ends there. `<font>` does so only with
/// `color`, `face` or `size`.
pub fn breaks_out_of_foreign_content(name: &str, font_attributes: bool) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    ) || name == "font" && font_attributes
}

/// Elements inside `<svg>` or `<math>` whose content the parser reads as
/// HTML: a breakout tag inside them does not leave the foreign content.
pub fn is_integration_point(name: &str) -> bool {
    matches!(
        name,
        "foreignobject" | "desc" | "title" | "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
    )
}

/// The attributes each element may keep, with the check for its value.
/// No generic attributes at all: no `id`/`name` (DOM clobbering), no
/// `style`, no `class` except `language-*` on `<code>`, no event handlers.
pub fn attribute_allowed(el: El, attribute: &str, value: &str, site: Option<&Site>) -> bool {
    match (el, attribute) {
        (El::A, "href") => url_allowed(value, LINK_SCHEMES),
        (El::Img, "src") => image_allowed(value, site),
        (El::A | El::Abbr | El::Img, "title") | (El::Img, "alt") => true,
        (El::Ol, "start") => value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit()),
        (El::Td | El::Th, "align") => matches!(value, "left" | "center" | "right"),
        (El::Td | El::Th, "colspan" | "rowspan") => is_small_number(value),
        (El::Code, "class") => is_language_class(value),
        (El::Details, "open") | (El::Input, "checked" | "disabled") => true,
        // Every <input> is a checkbox (task lists): it cannot take text, and
        // there are no forms to submit to. The writer sets the value.
        (El::Input, "type") => true,
        _ => false,
    }
}

/// Schemes that survive in `<a href>`; `<img src>` only loads from the web.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];
pub const IMAGE_SCHEMES: &[&str] = &["http", "https"];

/// Whether `url` is an absolute URL with one of `schemes`, judged by the URL
/// standard's parser (the one browsers use: it strips leading control
/// characters and spaces, and tabs and newlines anywhere). Relative URLs
/// (`/x`, `../x`, `//host/x`, `#x`, `?x`) are refused too: a post is shown on
/// several pages and in API clients, so a relative URL has no stable
/// meaning, and a same-origin URL would let a post make first-party requests
/// (`<img src="/api/...">`).
pub fn url_allowed(url: &str, schemes: &[&str]) -> bool {
    if is_plain_web_url(url) {
        return schemes.contains(&"http");
    }
    url::Url::parse(url).is_ok_and(|parsed| schemes.contains(&parsed.scheme()))
}

/// Where posts are shown. A reader's browser loads a post's images by itself,
/// with the reader's cookies when they come from the site's own host, so an
/// image there is a request made in the reader's name (`/cp/logout`, or
/// anything a GET changes). Images may come from the site only under its
/// public media path; links to the site's pages stay (a click is the
/// reader's choice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// As the URL parser writes it (lower case, punycode): cookies belong to
    /// a host whatever the scheme or port, so neither is compared.
    host: String,
    /// A path prefix such as `/media/`.
    media_path: String,
}

impl Site {
    /// The site at `url` (its host) with public media under `media_path`;
    /// None when `url` is no absolute http(s) URL with a host or the path
    /// does not start and end with `/`.
    pub fn new(url: &str, media_path: &str) -> Option<Site> {
        let parsed = url::Url::parse(url).ok()?;
        let host = parsed.host_str()?.to_owned();
        let valid_path = media_path.starts_with('/') && media_path.ends_with('/');
        (matches!(parsed.scheme(), "http" | "https") && valid_path).then(|| Site {
            host,
            media_path: media_path.to_owned(),
        })
    }

    /// Whether loading `url` by itself would call the site outside its
    /// media path. Judged on the parsed URL, as the browser will see it
    /// (host case, `..` and `%2e%2e` segments, backslashes resolved).
    fn would_call_itself(&self, url: &str) -> bool {
        url::Url::parse(url).is_ok_and(|parsed| {
            parsed.host_str() == Some(self.host.as_str())
                && !parsed.path().starts_with(&self.media_path)
        })
    }
}

/// `<img src>`: a web URL that does not call the site itself (see `Site`).
pub fn image_allowed(url: &str, site: Option<&Site>) -> bool {
    url_allowed(url, IMAGE_SCHEMES) && !site.is_some_and(|site| site.would_call_itself(url))
}

/// A fast yes for the URLs most links are: `http://` or `https://`, then a
/// host made of letter-digit-hyphen labels, then nothing or `/`, `?`, `#`
/// and anything. The URL parser accepts every such URL (the path, query and
/// fragment cannot make it fail), as `url_allowed_agrees_with_the_url_parser`
/// checks; anything else (ports, user info, IP addresses, punycode, other
/// characters) goes to the parser.
fn is_plain_web_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let mut labels = host.split('.').peekable();
    while let Some(label) = labels.next() {
        let bytes = label.as_bytes();
        let plain = !bytes.is_empty()
            && bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
            && !label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
        // A last label that starts with a digit could make the host an IPv4 address.
        let last = labels.peek().is_none();
        if !plain || (last && !bytes[0].is_ascii_alphabetic()) {
            return false;
        }
    }
    true
}

/// `language-rust`, `language-c++`: the class fenced code gets.
pub fn is_language_class(value: &str) -> bool {
    value.strip_prefix("language-").is_some_and(|lang| {
        !lang.is_empty()
            && lang.len() <= 32
            && lang
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'#' | b'.'))
    })
}

fn is_small_number(value: &str) -> bool {
    !value.is_empty() && value.len() <= 3 && value.bytes().all(|b| b.is_ascii_digit())
}

/// A Markdown link or image destination as an attribute value: characters
/// outside a URL's safe set are percent-encoded (UTF-8 bytes, spaces,
/// quotes, `<>`, `[]`, `{}`, `|`, `\`, backquote), as CommonMark
/// renderers do; `&` and `'` stay as they are (the attribute escaping
/// handles `&`).
pub fn markdown_destination(dest: &str) -> Cow<'_, str> {
    let needs_encoding = |b: u8| {
        !(b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b':'
                    | b';'
                    | b'='
                    | b'?'
                    | b'@'
                    | b'^'
                    | b'_'
                    | b'~'
            ))
    };
    if !dest.bytes().any(needs_encoding) {
        return Cow::Borrowed(dest);
    }
    let mut encoded = String::with_capacity(dest.len() + 8);
    for b in dest.bytes() {
        if needs_encoding(b) {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            encoded.push('%');
            encoded.push(HEX[usize::from(b >> 4)] as char);
            encoded.push(HEX[usize::from(b & 0xF)] as char);
        } else {
            encoded.push(b as char);
        }
    }
    Cow::Owned(encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_names_round_trip() {
        for &el in ALL {
            assert_eq!(El::from_name(el.name()), Some(el));
        }
        assert_eq!(ALL.len(), 48);
        assert_eq!(El::from_name("script"), None);
    }

    #[test]
    fn urls_are_judged_after_the_url_parser_cleans_them() {
        for ok in [
            "https://x.example/a?b=1&c",
            "HTTP://X.EXAMPLE",
            " https://x.example",
            "mailto:a@b",
        ] {
            assert!(url_allowed(ok, LINK_SCHEMES), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,x",
            "/x",
            "//evil.example/x",
            "#x",
            "ftp://x.example",
            "http://exa mple.com",
        ] {
            assert!(!url_allowed(bad, LINK_SCHEMES), "{bad}");
        }
        assert!(!url_allowed("mailto:a@b", IMAGE_SCHEMES));
    }

    #[test]
    fn url_allowed_agrees_with_the_url_parser() {
        for url in [
            "https://example.com",
            "http://a.b-c.example/x?y#z",
            "https://EXAMPLE.com/ä space\t\\x",
            "https://example.com./",
            "https://a..b/",
            "https://-a.example/",
            "https://a-.example/",
            "https://xn--bcher-kva.example/",
            "https://xn--invalid.example/",
            "https://1.2.3.4/",
            "https://1.2.3.999/",
            "https://example.0x1/",
            "https://example.123/",
            "https://example.com:8080/",
            "https://example.com:99999/",
            "https://user@example.com/",
            "https://exa_mple.com/",
            "https://exa%41mple.com/",
            "https:///x",
            "https://",
            "http://a",
            "https://[::1]/",
            "https://[::1/",
        ] {
            let parsed =
                url::Url::parse(url).is_ok_and(|u| u.scheme() == "https" || u.scheme() == "http");
            if is_plain_web_url(url) {
                assert!(parsed, "{url}: the fast path says yes, the parser no");
            }
            assert_eq!(url_allowed(url, LINK_SCHEMES), parsed, "{url}");
        }
        assert!(is_plain_web_url("https://docs.example.org/page/3?q=1"));
        assert!(!is_plain_web_url("https://1.2.3.4/"));
    }

    #[test]
    fn images_never_call_the_site_outside_its_media_path() {
        let site = Site::new("https://Example.com:8443/app", "/media/").unwrap();
        for own in [
            "https://example.com/cp/logout",
            "http://example.com/api/v1/auth/logout",
            "https://EXAMPLE.com:9999/x",
            "https://example.com/media/../cp/logout",
            "https://example.com/media/%2e%2e/cp/logout",
            "https://example.com\\cp\\logout",
            " https://example.com/",
            "https://example.com",
        ] {
            assert!(!image_allowed(own, Some(&site)), "{own}");
            assert!(
                image_allowed(own, None),
                "{own}: allowed where no site is given"
            );
        }
        for other in [
            "https://example.com/media/2026/cat.webp",
            "https://cdn.example.com/cp/logout",
            "https://example.com.evil.test/x",
            "https://other.test/media/x",
        ] {
            assert!(image_allowed(other, Some(&site)), "{other}");
        }
        // Links to the site stay: a click is the reader's choice.
        assert!(attribute_allowed(
            El::A,
            "href",
            "https://example.com/cp",
            Some(&site)
        ));
        assert!(!attribute_allowed(
            El::Img,
            "src",
            "https://example.com/cp",
            Some(&site)
        ));
    }

    #[test]
    fn a_site_needs_a_web_address_and_a_media_directory() {
        assert!(Site::new("https://example.com", "/media/").is_some());
        assert!(Site::new("mailto:a@example.com", "/media/").is_none());
        assert!(Site::new("/relative", "/media/").is_none());
        assert!(Site::new("https://example.com", "media/").is_none());
        assert!(Site::new("https://example.com", "/media").is_none());
    }

    #[test]
    fn destinations_are_percent_encoded_like_commonmark() {
        assert_eq!(
            markdown_destination("https://x/a b\"<>`é"),
            "https://x/a%20b%22%3C%3E%60%C3%A9"
        );
        assert_eq!(
            markdown_destination("https://x/?a=1&b='c'"),
            "https://x/?a=1&b='c'"
        );
    }
}
