//! Escaping for the HTML we write, in the conventions of html5ever's
//! serialiser (what stored posts already look like): text escapes `&`, `<`,
//! `>` and U+00A0; attribute values, always double-quoted, also `"`.
//!
//! Both also make the output conforming where the HTML parser would
//! otherwise report an error or change the text: CR and CRLF become LF (as
//! the parser's input preprocessing does), and control characters other than
//! tab and newline, and Unicode noncharacters, become U+FFFD.

#![forbid(unsafe_code)]

/// Bytes that need a look: the escaped ASCII characters, CR, control bytes,
/// and the lead bytes of the multi-byte characters that may be NBSP, a C1
/// control (both `0xC2 ..`) or a noncharacter (`0xEF ..`, `0xF0..=0xF4 ..`).
const fn interesting_bytes(attribute: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = attribute;
    table[0x7F] = true;
    table[0xC2] = true;
    table[0xEF] = true;
    let mut lead = 0xF0;
    while lead <= 0xF4 {
        table[lead] = true;
        lead += 1;
    }
    table
}

static TEXT_BYTES: [bool; 256] = interesting_bytes(false);
static ATTRIBUTE_BYTES: [bool; 256] = interesting_bytes(true);

/// Appends ` name="value"`, the value escaped.
pub fn push_attribute(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_attribute_value(out, value);
    out.push('"');
}

/// Appends `text` escaped for an element's content.
pub fn push_text(out: &mut String, text: &str) {
    push_escaped(out, text, &TEXT_BYTES);
}

/// Appends `value` escaped for a double-quoted attribute value.
pub fn push_attribute_value(out: &mut String, value: &str) {
    push_escaped(out, value, &ATTRIBUTE_BYTES);
}

fn push_escaped(out: &mut String, s: &str, interesting: &[bool; 256]) {
    let bytes = s.as_bytes();
    let mut done = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !interesting[bytes[i] as usize] {
            i += 1;
            continue;
        }
        // Every interesting byte starts a character (lead bytes or ASCII).
        let c = s[i..].chars().next().expect("i is a char boundary");
        let len = c.len_utf8();
        let replacement = match c {
            '&' => Some("&amp;"),
            '<' => Some("&lt;"),
            '>' => Some("&gt;"),
            '"' => Some("&quot;"),
            '\u{a0}' => Some("&nbsp;"),
            '\r' => Some(if bytes.get(i + 1) == Some(&b'\n') {
                ""
            } else {
                "\n"
            }),
            c if is_nonconforming(c) => Some("\u{FFFD}"),
            _ => None,
        };
        if let Some(replacement) = replacement {
            out.push_str(&s[done..i]);
            out.push_str(replacement);
            done = i + len;
        }
        i += len;
    }
    out.push_str(&s[done..]);
}

/// Control characters other than tab, LF and CR (CR is normalised, not
/// replaced), and noncharacters: each is a parse error in HTML.
pub fn is_nonconforming(c: char) -> bool {
    let n = c as u32;
    (n < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7F..=0x9F).contains(&n)
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> String {
        let mut out = String::new();
        push_text(&mut out, s);
        out
    }

    fn attribute(s: &str) -> String {
        let mut out = String::new();
        push_attribute_value(&mut out, s);
        out
    }

    #[test]
    fn escapes_like_html5ever() {
        assert_eq!(
            text("a & b < c > d \"e\" 'f'\u{a0}"),
            "a &amp; b &lt; c &gt; d \"e\" 'f'&nbsp;"
        );
        assert_eq!(attribute("a&\"<>'\u{a0}"), "a&amp;&quot;&lt;&gt;'&nbsp;");
        assert_eq!(text("naïve 東京 😀 ｛ￜ"), "naïve 東京 😀 ｛ￜ");
    }

    #[test]
    fn normalises_newlines_and_replaces_what_html_forbids() {
        assert_eq!(text("a\r\nb\rc\n\td"), "a\nb\nc\n\td");
        assert_eq!(
            text("\u{0}\u{1}\u{b}\u{c}\u{1f}\u{7f}\u{80}\u{9f}"),
            "\u{FFFD}".repeat(8)
        );
        assert_eq!(
            attribute("\u{fdd0}\u{fffe}\u{ffff}\u{1fffe}\u{10ffff}"),
            "\u{FFFD}".repeat(5)
        );
        assert_eq!(
            text("\u{a1}\u{fdcf}\u{fdf0}\u{fffd}"),
            "\u{a1}\u{fdcf}\u{fdf0}\u{fffd}"
        );
    }
}
