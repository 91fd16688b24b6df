//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::thread;

pub mod dom;
pub mod inputs;
pub mod oracle;

pub const LINK_REL: &str = "nofollow noopener noreferrer ugc";

/// The elements the sanitiser may let through, restated (not imported from the crate) so a change
/// to the allowlist is a visible test change. The jest suite and the benchmark read the same file.
pub fn allowed_tags() -> Vec<String> {
    serde_json::from_str(include_str!("../fixtures/allowed-tags.json"))
        .expect("valid allowed-tags fixture")
}

/// Runs `f` on a thread with a small stack (256 KiB, far below the 8 MiB of
/// Node's main and libuv threads): deep input must not need deep stacks.
pub fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn test thread")
        .join()
        .expect("renderer panicked or overflowed")
}

#[derive(Debug)]
pub struct StartTag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

/// Start tags of sanitiser output. html5ever serialises every attribute
/// value in double quotes and escapes `"` and every `<` in text, so each `<`
/// followed by a letter starts a tag.
pub fn start_tags(html: &str) -> Vec<StartTag> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i += 1;
        let name_start = i;
        while i < b.len() && !matches!(b[i], b' ' | b'>' | b'/') {
            i += 1;
        }
        let mut tag = StartTag {
            name: html[name_start..i].to_ascii_lowercase(),
            attrs: Vec::new(),
        };
        loop {
            while i < b.len() && matches!(b[i], b' ' | b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let attr_start = i;
            while i < b.len() && !matches!(b[i], b'=' | b' ' | b'>') {
                i += 1;
            }
            let name = html[attr_start..i].to_ascii_lowercase();
            let mut value = String::new();
            if b.get(i) == Some(&b'=') && b.get(i + 1) == Some(&b'"') {
                let value_start = i + 2;
                let len = html[value_start..].find('"').expect("closing quote");
                value = decode_entities(&html[value_start..value_start + len]);
                i = value_start + len + 1;
            }
            tag.attrs.push((name, value));
        }
        tags.push(tag);
    }
    tags
}

fn decode_entities(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// What a browser would take as the scheme: it ignores leading whitespace and
/// control characters and drops tabs and newlines anywhere.
fn url_scheme(url: &str) -> String {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match cleaned.find(':') {
        Some(colon) if !cleaned[..colon].contains(['/', '?', '#']) => {
            cleaned[..colon].to_ascii_lowercase()
        }
        _ => String::new(),
    }
}

/// Every way `html` could run script or leave the allowlist; empty if inert.
pub fn violations(html: &str) -> Vec<String> {
    let allowed = allowed_tags();
    let mut found = Vec::new();
    for tag in start_tags(html) {
        if !allowed.iter().any(|name| name == &tag.name) {
            found.push(format!("element <{}>", tag.name));
        }
        for (name, value) in &tag.attrs {
            let forbidden = name.starts_with("on")
                || matches!(
                    name.as_str(),
                    "style"
                        | "srcdoc"
                        | "formaction"
                        | "action"
                        | "id"
                        | "name"
                        | "target"
                        | "xlink:href"
                );
            if forbidden {
                found.push(format!("attribute {name} on <{}>", tag.name));
            }
            if matches!(name.as_str(), "href" | "src" | "cite" | "data" | "poster")
                && !matches!(url_scheme(value).as_str(), "http" | "https" | "mailto")
            {
                found.push(format!("{name}={value:?} on <{}>", tag.name));
            }
        }
        if tag.name == "a" && !tag.attrs.iter().any(|(n, v)| n == "rel" && v == LINK_REL) {
            found.push("<a> without the required rel".into());
        }
    }
    found
}
