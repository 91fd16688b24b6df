//! Plain text, excerpt, word count and reading time of a rendered document.

#![forbid(unsafe_code)]

/// Longest excerpt, in Unicode scalar values (what JS `[...s].length` counts).
pub const EXCERPT_MAX_CHARS: usize = 200;
/// Appended when the excerpt is cut; counted within `EXCERPT_MAX_CHARS`.
pub const ELLIPSIS: char = '…';
/// Reading speed used for `reading_time_minutes`.
pub const WORDS_PER_MINUTE: usize = 200;

/// Accumulates the plain text of a document while its events stream by.
/// Blocks end with a newline; inline breaks become spaces or newlines.
#[derive(Default)]
pub struct TextCollector {
    text: String,
}

impl TextCollector {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            text: String::with_capacity(capacity),
        }
    }

    pub fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// A word separator that does not start a new line (soft breaks, cells).
    pub fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.text.push(' ');
        }
    }

    /// The end of a block or a hard line break.
    pub fn newline(&mut self) {
        if self.text.ends_with(' ') {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    pub fn finish(mut self) -> String {
        let trimmed_len = self.text.trim_end().len();
        self.text.truncate(trimmed_len);
        self.text
    }
}

/// Words are whitespace-separated runs holding at least one letter or digit,
/// so stray punctuation ("-", "|", "—") is not counted. Scripts written
/// without spaces (Chinese, Japanese) count one word per run: a known limit.
pub fn word_count(text: &str) -> usize {
    // One pass, no allocation: a word is counted at its first letter or
    // digit. ASCII bytes are judged directly (most text is ASCII, and the
    // Unicode tables cost several times more); other characters by the
    // Unicode properties.
    let bytes = text.as_bytes();
    let mut words = 0;
    let mut counted = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            if matches!(b, b'\t'..=b'\r' | b' ') {
                counted = false;
            } else if !counted && b.is_ascii_alphanumeric() {
                counted = true;
                words += 1;
            }
            continue;
        }
        let c = text[i..].chars().next().expect("i is a char boundary");
        i += c.len_utf8();
        if c.is_whitespace() {
            counted = false;
        } else if !counted && c.is_alphanumeric() {
            counted = true;
            words += 1;
        }
    }
    words
}

/// `ceil(words / 200)`, and at least one minute, also for an empty post.
pub fn reading_time_minutes(words: usize) -> usize {
    words.div_ceil(WORDS_PER_MINUTE).max(1)
}

/// The start of `text` on one line (whitespace runs collapsed to one space),
/// at most `EXCERPT_MAX_CHARS` characters. A longer text is cut at the last
/// word boundary that leaves room for "…", which is then appended; a single
/// word longer than that is cut inside the word. Reads only about the first
/// 200 characters of `text`.
pub fn excerpt(text: &str) -> String {
    // One more character than fits tells whether a cut is needed.
    let mut collapsed: Vec<char> = Vec::with_capacity(EXCERPT_MAX_CHARS + 1);
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !collapsed.is_empty();
            continue;
        }
        if pending_space {
            collapsed.push(' ');
            pending_space = false;
            if collapsed.len() > EXCERPT_MAX_CHARS {
                break;
            }
        }
        collapsed.push(c);
        if collapsed.len() > EXCERPT_MAX_CHARS {
            break;
        }
    }
    if collapsed.len() <= EXCERPT_MAX_CHARS {
        return collapsed.into_iter().collect();
    }

    let room = EXCERPT_MAX_CHARS - 1; // keep one character for the ellipsis
    let cut = if collapsed[room] == ' ' {
        room // a word ends exactly at the limit
    } else {
        collapsed[..room]
            .iter()
            .rposition(|&c| c == ' ')
            .unwrap_or(room)
    };
    let mut out: String = collapsed[..cut].iter().collect();
    // "word, …" reads badly; drop separators left dangling before the ellipsis.
    let kept = out
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—')
        })
        .len();
    out.truncate(kept);
    out.push(ELLIPSIS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole_and_collapsed() {
        assert_eq!(excerpt("  a\n\n b\tc  "), "a b c");
        assert_eq!(excerpt(""), "");
    }

    #[test]
    fn text_of_exactly_200_chars_is_not_cut() {
        let text = "ab ".repeat(66) + "ab"; // 200 chars
        assert_eq!(text.chars().count(), 200);
        assert_eq!(excerpt(&text), text);
    }

    #[test]
    fn long_text_is_cut_at_a_word_boundary_with_ellipsis() {
        let text = "word ".repeat(100);
        let e = excerpt(&text);
        assert!(e.ends_with("word…"), "{e}");
        assert!(e.chars().count() <= 200);
        assert!(!e.contains("wor…"));
    }

    #[test]
    fn counts_chars_not_bytes() {
        let text = "ééé ".repeat(100);
        let e = excerpt(&text);
        // 50 words of 3 chars + 49 spaces = 199 chars (599 bytes), then "…".
        assert_eq!(e.chars().count(), 200);
        assert!(e.ends_with("ééé…"));
    }

    #[test]
    fn a_single_huge_word_is_hard_cut() {
        let e = excerpt(&"x".repeat(1000));
        assert_eq!(e.chars().count(), 200);
        assert!(e.ends_with("x…"));
    }

    #[test]
    fn dangling_punctuation_is_dropped_before_the_ellipsis() {
        let text = format!("{} tail, {}", "a".repeat(190), "b".repeat(50));
        assert_eq!(excerpt(&text), format!("{} tail…", "a".repeat(190)));
    }

    #[test]
    fn words_and_reading_time() {
        assert_eq!(word_count("Hello, world — 42 | -"), 3);
        assert_eq!(word_count("naïve\u{a0}café\u{2003}東京\x0bx\ty\u{85}z"), 6);
        assert_eq!(reading_time_minutes(0), 1);
        assert_eq!(reading_time_minutes(200), 1);
        assert_eq!(reading_time_minutes(201), 2);
    }
}
