//! A budget for raw HTML per document.
//!
//! The sanitiser itself is linear, but its output is parsed again by every
//! browser that shows the post, and the HTML parsing algorithm does work
//! proportional to the number of open elements for many tags (measured with
//! html5ever's tree builder: 20,000 unclosed `<div>` took 0.5 s, 1,000
//! unclosed `<div>` before 300,000 paragraphs 0.9 s). So, per document, raw
//! elements left open may nest at most `MAX_OPEN_RAW_ELEMENTS` deep, and at
//! most `MAX_RAW_TAGS` raw tags are read as markup; raw HTML past either
//! limit is shown as literal text instead. Formatting elements (`<b>`,
//! `<a>`, ...) never outlive their Markdown block (the writer closes them),
//! so they stop counting at the next block boundary.
//!
//! The count of open elements only has to be an upper bound. Tags are read
//! the way the HTML tokenizer reads them (quoted attributes, comments); an
//! end tag lowers the count only when it closes the innermost counted
//! element. Once the tokenizer could be in a state this scanner does not
//! follow (script/style-like elements whose content is text, `<svg>`/`<math>`
//! with CDATA, a tag or comment left unterminated), end tags stop counting.

#![forbid(unsafe_code)]

/// Raw start and end tags parsed as markup per document.
pub const MAX_RAW_TAGS: usize = 2000;
/// Raw elements that may be open at the same time.
pub const MAX_OPEN_RAW_ELEMENTS: usize = 64;

/// The HTML spec's "formatting elements".
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];
/// Elements without content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements the parser closes when a sibling starts (`<li><li>`, `<p><p>`),
/// so a run of them does not nest.
const SELF_LIMITING: &[&str] = &[
    "p", "li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot", "caption", "colgroup",
    "option", "optgroup", "rb", "rp", "rt", "rtc",
];
/// After these, the HTML tokenizer may read tags as text (or vice versa).
const LOSES_TRACK: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "svg",
    "math",
];

pub struct RawHtmlBudget {
    tags_left: usize,
    /// Raw elements believed open, innermost last, lower-cased names.
    open: Vec<String>,
    /// End tags no longer lower the count (see module docs).
    lost_track: bool,
}

impl Default for RawHtmlBudget {
    fn default() -> Self {
        Self {
            tags_left: MAX_RAW_TAGS,
            open: Vec::new(),
            lost_track: false,
        }
    }
}

impl RawHtmlBudget {
    /// Returns whether this piece of raw HTML (an inline tag or a whole HTML
    /// block) may go to the sanitiser as markup; if not, the caller renders
    /// it as escaped text and nothing is counted.
    pub fn admit(&mut self, html: &str) -> bool {
        // Worked out on the side and committed only if it fits: `popped`
        // counts entries taken off `self.open`, `pushed` holds new ones.
        let mut tags = 0;
        let mut popped = 0;
        let mut pushed: Vec<String> = Vec::new();
        let mut lost_track = self.lost_track;
        let mut fits = true;
        let terminated = scan(html, |token| {
            tags += 1;
            match token {
                Token::Start(name) => {
                    let name = name.to_ascii_lowercase();
                    lost_track |= LOSES_TRACK.contains(&name.as_str());
                    if !VOID.contains(&name.as_str()) && !SELF_LIMITING.contains(&name.as_str()) {
                        pushed.push(name);
                    }
                }
                Token::End(name) if !lost_track => {
                    let innermost = match pushed.last() {
                        Some(n) => Some(n.as_str()),
                        None => self
                            .open
                            .len()
                            .checked_sub(popped + 1)
                            .map(|i| self.open[i].as_str()),
                    };
                    if innermost.is_some_and(|n| n.eq_ignore_ascii_case(name))
                        && pushed.pop().is_none()
                    {
                        popped += 1;
                    }
                }
                Token::End(_) => {}
            }
            let open = self.open.len() - popped + pushed.len();
            fits &= tags <= self.tags_left && open <= MAX_OPEN_RAW_ELEMENTS;
        });
        if !fits {
            return false;
        }
        self.tags_left -= tags;
        self.open.truncate(self.open.len() - popped);
        self.open.extend(pushed);
        self.lost_track = lost_track || !terminated;
        true
    }

    /// At a Markdown block boundary: the writer has closed every formatting
    /// element raw HTML opened.
    pub fn block_boundary(&mut self) {
        if self.open.is_empty() {
            return;
        }
        self.open.retain(|n| !FORMATTING.contains(&n.as_str()));
    }
}

enum Token<'h> {
    Start(&'h str),
    End(&'h str),
}

/// Reports the start and end tags in `html` as the HTML tokenizer would see
/// them from its data state. Returns false if `html` ends inside a tag or a
/// comment (then what follows would be read differently).
fn scan<'h>(html: &'h str, mut on_token: impl FnMut(Token<'h>)) -> bool {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let lt = i + offset;
        let Some(&next) = bytes.get(lt + 1) else {
            return false;
        };
        let end = if next.is_ascii_alphabetic() {
            let (name, end) = tag(html, lt + 1);
            on_token(Token::Start(name));
            end
        } else if next == b'/' && bytes.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
            let (name, end) = tag(html, lt + 2);
            on_token(Token::End(name));
            end
        } else if html[lt..].starts_with("<!--") {
            comment_end(html, lt + 4)
        } else if matches!(next, b'!' | b'?' | b'/') {
            // Doctype, CDATA outside foreign content, `<?...>`, `</ ...>`:
            // a "bogus comment" up to the next `>`.
            bytes[lt..]
                .iter()
                .position(|&b| b == b'>')
                .map(|p| lt + p + 1)
        } else {
            Some(lt + 1) // a lone `<` is text
        };
        match end {
            Some(end) => i = end,
            None => return false,
        }
    }
    true
}

/// Reads a tag whose name starts at `start`; returns the name and the index
/// after the closing `>`, or `None` as end if the input ends inside the tag.
/// Attributes follow the HTML tokenizer's states, because only they decide
/// whether a `>` inside the tag ends it: `<a b=">">` does not end at the
/// first `>`, `<a ="x>` does.
fn tag(html: &str, start: usize) -> (&str, Option<usize>) {
    #[derive(Clone, Copy)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Quoted(u8),
        Unquoted,
    }
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ');
    let name_len = bytes[start..]
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .unwrap_or(bytes.len() - start);
    let name = &html[start..start + name_len];

    let mut state = State::BeforeName;
    for (i, &b) in bytes.iter().enumerate().skip(start + name_len) {
        state = match (state, b) {
            (State::Quoted(q), b) if b == q => State::BeforeName,
            (State::Quoted(q), _) => State::Quoted(q),
            (_, b'>') => return (name, Some(i + 1)),
            (State::BeforeValue, b) if is_space(b) => State::BeforeValue,
            (State::BeforeValue, b'"' | b'\'') => State::Quoted(b),
            (State::BeforeValue, _) => State::Unquoted,
            (State::Unquoted, b) if is_space(b) => State::BeforeName,
            (State::Unquoted, _) => State::Unquoted,
            (State::Name | State::AfterName, b'=') => State::BeforeValue,
            (State::Name, b) if is_space(b) => State::AfterName,
            (State::AfterName, b) if is_space(b) => State::AfterName,
            (_, b'/') => State::BeforeName,
            (State::BeforeName, b) if is_space(b) => State::BeforeName,
            // Any other character (an `=` before a name included) is part of a name.
            _ => State::Name,
        };
    }
    (name, None)
}

/// Index after the end of a comment whose content starts at `start`
/// (`<!-->` and `<!--->` end at once, as in the HTML tokenizer).
fn comment_end(html: &str, start: usize) -> Option<usize> {
    let rest = &html[start..];
    if rest.starts_with('>') {
        return Some(start + 1);
    }
    if rest.starts_with("->") {
        return Some(start + 2);
    }
    let close = rest.find("-->").map(|p| p + 3);
    let bang_close = rest.find("--!>").map(|p| p + 4);
    match (close, bang_close) {
        (Some(a), Some(b)) => Some(start + a.min(b)),
        (a, b) => a.or(b).map(|p| start + p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_after(pieces: &[&str]) -> Vec<String> {
        let mut guard = RawHtmlBudget::default();
        for piece in pieces {
            assert!(guard.admit(piece), "{piece}");
        }
        guard.open
    }

    #[test]
    fn balanced_html_leaves_nothing_open() {
        assert!(open_after(&[
            "<div class=\"a>b\">",
            "<span title='</div>'>",
            "</span>",
            "</div>"
        ])
        .is_empty());
        assert!(open_after(&["<div a = \"<b>\" c=d\"e f/>", "</div>"]).is_empty());
        assert!(open_after(&["<p>a<p>b<li>c<br><img src=x>"]).is_empty());
        assert!(open_after(&[
            "<!-- <div> -->",
            "<!-->",
            "<!--->",
            "<?php <div> ?>",
            "<!DOCTYPE html>"
        ])
        .is_empty());
    }

    #[test]
    fn end_tags_count_only_when_they_close_the_innermost_element() {
        assert_eq!(
            open_after(&["<div>", "<section>", "</div>"]),
            ["div", "section"]
        );
        assert_eq!(open_after(&["<DIV>", "</div>"]), Vec::<String>::new());
    }

    #[test]
    fn quotes_only_count_right_after_an_equals_sign() {
        // `="x` starts an attribute *name*: the tag ends at the first `>`, so
        // the divs after it are real and must be counted.
        assert_eq!(
            open_after(&["<a b=c =\"x><div><div>\">"]),
            ["a", "div", "div"]
        );
        assert_eq!(open_after(&["<a \"x><div>\">"]), ["a", "div"]);
    }

    #[test]
    fn end_tags_stop_counting_once_the_tokenizer_may_read_them_as_text() {
        assert_eq!(
            open_after(&["<div>", "<textarea>", "</textarea>", "</div>"]),
            ["div", "textarea"]
        );
        assert_eq!(
            open_after(&["<div>", "<!-- unterminated", "</div>"]),
            ["div"]
        );
        assert_eq!(
            open_after(&["<div>", "<b title=\"unterminated", "</b>"]),
            ["div", "b"]
        );
    }

    #[test]
    fn formatting_elements_stop_counting_at_a_block_boundary() {
        let mut guard = RawHtmlBudget::default();
        assert!(guard.admit("<B class=x><div><em/>"));
        guard.block_boundary();
        assert_eq!(guard.open, ["div"]);
    }

    #[test]
    fn refuses_markup_past_the_limits() {
        let mut guard = RawHtmlBudget::default();
        assert!(!guard.admit(&"<div>".repeat(MAX_OPEN_RAW_ELEMENTS + 1)));
        assert!(guard.open.is_empty(), "a refused piece counts nothing");
        assert!(guard.admit(&"<div>".repeat(MAX_OPEN_RAW_ELEMENTS)));
        assert!(!guard.admit("<span>"));
        assert!(guard.admit("<br></div>"));
        assert!(guard.admit("plain text without tags"));

        let mut guard = RawHtmlBudget::default();
        assert!(guard.admit(&"<i></i>".repeat(MAX_RAW_TAGS / 2)));
        assert!(!guard.admit("<br>"));
    }
}
