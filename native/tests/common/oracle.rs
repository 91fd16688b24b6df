//! The oracle: ammonia, the tree sanitiser the engine used before, with the
//! same allowlist (restated here, not imported, so a change to either side
//! shows), and the previous pipeline built from it.
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{html, Alignment, CowStr, Event, Tag, TagEnd};

use super::dom::Tree;
use super::{allowed_tags, LINK_REL};

const DROP_WITH_CONTENT: &[&str] = &[
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

static TAGS: LazyLock<Vec<String>> = LazyLock::new(allowed_tags);

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::empty();
    builder
        .add_tags(TAGS.iter().map(String::as_str))
        .clean_content_tags(DROP_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
                .collect::<HashMap<_, HashSet<_>>>(),
        )
        .set_tag_attribute_value("input", "type", "checkbox")
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .strip_comments(true)
        .attribute_filter(filter_attribute_value);
    builder
});

fn filter_attribute_value<'a>(
    element: &str,
    attribute: &str,
    value: &'a str,
) -> Option<Cow<'a, str>> {
    let keep = match (element, attribute) {
        ("code", "class") => value.strip_prefix("language-").is_some_and(|lang| {
            !lang.is_empty()
                && lang.len() <= 32
                && lang
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_+#.".contains(&b))
        }),
        (_, "align") => matches!(value, "left" | "center" | "right"),
        (_, "colspan" | "rowspan") => {
            !value.is_empty() && value.len() <= 3 && value.bytes().all(|b| b.is_ascii_digit())
        }
        ("ol", "start") => value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit()),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

/// The tree sanitiser's output for `html`.
pub fn ammonia_clean(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// What the writer adds for assistive technology, restated (see
/// `src/policy.rs`): every `<pre>` can take focus, so a keyboard can scroll
/// it, and says what it is when it does; every checkbox is disabled and
/// named by its state; every `<img>` has an alt, empty where the author gave none.
pub const PRE_ATTRIBUTES: [(&str, &str); 3] = [
    ("|tabindex", "0"),
    ("|role", "group"),
    ("|aria-label", "Code"),
];
pub fn task_label(checked: bool) -> (&'static str, &'static str) {
    (
        "|aria-label",
        if checked {
            "Completed task"
        } else {
            "Open task"
        },
    )
}

/// `trees` with exactly what the writer adds for assistive technology.
/// ammonia, with version 1's allowlist, removes `tabindex`, `role` and `aria-label`
/// and adds no alt, and version 1 wrote none of them, so the proofs add
/// these to the trees they compare ours with (the cleaned one, the previous
/// engine's) rather than widening ammonia's allowlist: a `tabindex` of
/// another value, a label or role of other wording, any attribute an author typed,
/// or an element that lacks one of them still differs, and the
/// sanitising proven is the same as before.
pub fn with_accessibility(trees: Vec<Tree>) -> Vec<Tree> {
    trees
        .into_iter()
        .map(|node| match node {
            Tree::Element {
                name,
                mut attrs,
                children,
            } => {
                let has = |attrs: &[(String, String)], n: &str| attrs.iter().any(|(a, _)| a == n);
                let added: Vec<(&str, &str)> = match name
                    .strip_prefix("http://www.w3.org/1999/xhtml|")
                {
                    Some("pre") => PRE_ATTRIBUTES.to_vec(),
                    Some("input") => vec![("|disabled", ""), task_label(has(&attrs, "|checked"))],
                    Some("img") if !has(&attrs, "|alt") => vec![("|alt", "")],
                    _ => Vec::new(),
                };
                if !added.is_empty() {
                    for (attribute, value) in added {
                        attrs.retain(|(a, _)| a != attribute);
                        attrs.push((attribute.to_owned(), value.to_owned()));
                    }
                    attrs.sort();
                }
                Tree::Element {
                    name,
                    attrs,
                    children: with_accessibility(children),
                }
            }
            other => other,
        })
        .collect()
}

/// The previous engine: the same Markdown events through pulldown-cmark's
/// HTML writer (table alignment as `align`, and formatting elements left open
/// by raw HTML closed at the next block boundary, as before), then ammonia.
pub fn previous_engine(markdown: &str) -> String {
    let mut alignments: Vec<Alignment> = Vec::new();
    let mut in_head = false;
    let mut column = 0;
    let mut raw_open: Vec<String> = Vec::new();
    let events = nuell_native::render::markdown_events(markdown).flat_map(|event| {
        let closers = match &event {
            Event::Html(html) | Event::InlineHtml(html) => {
                track_raw_elements(html, &mut raw_open);
                None
            }
            Event::Start(tag) if !is_inline(tag) => take_closers(&mut raw_open),
            Event::End(tag) if !is_inline_end(*tag) => take_closers(&mut raw_open),
            _ => None,
        };
        let event = match event {
            Event::Start(Tag::Table(a)) => {
                alignments.clone_from(&a);
                Event::Start(Tag::Table(a))
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                column = 0;
                Event::Start(Tag::TableHead)
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                Event::End(TagEnd::TableHead)
            }
            Event::Start(Tag::TableRow) => {
                column = 0;
                Event::Start(Tag::TableRow)
            }
            Event::Start(Tag::TableCell) => {
                let name = if in_head { "th" } else { "td" };
                let align = match alignments.get(column) {
                    Some(Alignment::Left) => " align=\"left\"",
                    Some(Alignment::Center) => " align=\"center\"",
                    Some(Alignment::Right) => " align=\"right\"",
                    _ => "",
                };
                column += 1;
                Event::Html(CowStr::from(format!("<{name}{align}>")))
            }
            Event::End(TagEnd::TableCell) => {
                Event::Html(CowStr::Borrowed(if in_head { "</th>" } else { "</td>" }))
            }
            other => other,
        };
        // Closers went right before a block's start or end tag.
        match closers {
            Some(c) => vec![Event::Html(c.into()), event],
            None => vec![event],
        }
    });
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, events);
    ammonia_clean(&unsafe_html)
}

const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];
const VOID_OR_SELF_LIMITING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot",
    "caption", "colgroup", "option", "optgroup", "rb", "rp", "rt", "rtc",
];

/// The raw elements believed open, as the previous engine counted them.
fn track_raw_elements(html: &str, open: &mut Vec<String>) {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::RefCell;
    struct Tags<'o>(RefCell<&'o mut Vec<String>>);
    impl TokenSink for Tags<'_> {
        type Handle = ();
        fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
            if let Token::TagToken(tag) = token {
                let mut open = self.0.borrow_mut();
                let name = tag.name.to_string();
                match tag.kind {
                    TagKind::StartTag if !VOID_OR_SELF_LIMITING.contains(&name.as_str()) => {
                        open.push(name);
                    }
                    TagKind::EndTag if open.last() == Some(&name) => {
                        open.pop();
                    }
                    _ => {}
                }
            }
            TokenSinkResult::Continue
        }
    }
    let tokenizer = Tokenizer::new(Tags(RefCell::new(open)), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
}

fn take_closers(open: &mut Vec<String>) -> Option<String> {
    let closers: String = open
        .iter()
        .rev()
        .filter(|n| FORMATTING.contains(&n.as_str()))
        .flat_map(|n| ["</", n.as_str(), ">"])
        .collect();
    open.retain(|n| !FORMATTING.contains(&n.as_str()));
    (!closers.is_empty()).then_some(closers)
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. }
    )
}

fn is_inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
    )
}
