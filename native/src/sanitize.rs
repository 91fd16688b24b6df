//! The HTML allowlist. Everything the renderer produces, Markdown-made or raw
//! HTML typed by the user, passes through `sanitize` as the very last step;
//! nothing touches the HTML after it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};

/// Added to every `<a>`: user links must not pass ranking, `window.opener`
/// or the referrer, and are marked as user-generated content.
pub const LINK_REL: &str = "nofollow noopener noreferrer ugc";

/// Elements that may appear in the output. Anything else is unwrapped (its
/// children survive) unless it is listed in `DROP_WITH_CONTENT`.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Elements removed together with everything inside them: their content is
/// code, markup for another parser, or chrome that makes no sense as text.
pub const DROP_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "noscript",
    "noembed",
    "noframes",
    "textarea",
    "title",
    "xmp",
    "plaintext",
    "select",
    "svg",
    "math",
    "form",
];

/// Per-element attributes. No generic attributes at all: no `id`/`name`
/// (DOM clobbering), no `style`, no `class` except `language-*` on `<code>`,
/// no event handlers.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "title"]),
    ("abbr", &["title"]),
    ("img", &["src", "alt", "title"]),
    ("ol", &["start"]),
    ("td", &["align", "colspan", "rowspan"]),
    ("th", &["align", "colspan", "rowspan"]),
    ("code", &["class"]),
    ("details", &["open"]),
    ("input", &["type", "checked", "disabled"]),
];

/// Only these schemes survive in `href`/`src`.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto"];

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(build_sanitizer);

fn build_sanitizer() -> Builder<'static> {
    let mut builder = Builder::empty();
    builder
        .add_tags(TAGS)
        .clean_content_tags(DROP_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
                .collect::<HashMap<_, HashSet<_>>>(),
        )
        // Task-list checkboxes: any <input> is forced to be a checkbox, which
        // cannot take text or submit anything (there are no forms). Only one
        // attribute is forced, because ammonia adds several in hash order,
        // and the output must be byte-for-byte stable.
        .set_tag_attribute_value("input", "type", "checkbox")
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        // Relative URLs (`/x`, `../x`, `//host/x`, `#x`) are dropped: a post is
        // shown on several pages and in API clients, so a relative URL has no
        // stable meaning, and same-origin URLs would let a post make
        // first-party requests (e.g. `<img src="/api/...">`).
        .url_relative(UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .attribute_filter(filter_attribute_value);
    builder
}

/// Value checks for the few attributes whose content is not a URL.
fn filter_attribute_value<'a>(
    element: &str,
    attribute: &str,
    value: &'a str,
) -> Option<Cow<'a, str>> {
    let keep = match (element, attribute) {
        ("code", "class") => is_language_class(value),
        (_, "align") => matches!(value, "left" | "center" | "right"),
        (_, "colspan" | "rowspan") => is_small_number(value),
        ("ol", "start") => value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

/// `language-rust`, `language-c++`: the class pulldown-cmark puts on fenced code.
fn is_language_class(value: &str) -> bool {
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

/// Sanitises an HTML fragment with the allowlist above.
pub fn sanitize(html: &str) -> String {
    let document = SANITIZER.clean(html);
    let mut out = Vec::with_capacity(html.len() + html.len() / 8);
    document
        .write_to(&mut out)
        .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("html5ever serialises UTF-8")
}
