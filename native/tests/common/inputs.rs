//! The inputs the proofs run on: the CommonMark spec examples, the
//! benchmark's corpus, the XSS payloads, and a seeded generator.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

/// The examples of the CommonMark spec (from the `commonmark-spec` npm
/// package, a dev-dependency of this workspace), tabs restored.
pub fn commonmark_examples() -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/commonmark-spec/spec.txt");
    let spec = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run npm install at the repository root)",
            path.display()
        )
    });
    let fence = "`".repeat(32);
    let mut examples = Vec::new();
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if line == format!("{fence} example") {
            let mut markdown = String::new();
            for line in lines.by_ref() {
                if line == "." {
                    break;
                }
                markdown.push_str(line);
                markdown.push('\n');
            }
            examples.push(markdown.replace('→', "\t"));
        }
    }
    assert!(examples.len() > 600, "found {} examples", examples.len());
    examples
}

/// The benchmark's corpus, all three sizes, made by the benchmark's own
/// generator (`bench/corpus.mjs`) so both always measure the same documents.
pub fn benchmark_corpus() -> Vec<(String, Vec<String>)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/corpus.mjs");
    let output = Command::new("node")
        .arg(&script)
        .arg("--json")
        .output()
        .expect("node runs (the tests use the benchmark's corpus generator)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("corpus JSON")
}

pub fn xss_payloads() -> Vec<(String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/xss-payloads.json")).expect("valid fixture");
    json.as_array()
        .expect("array")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().expect("name").to_owned(),
                p["markdown"].as_str().expect("markdown").to_owned(),
            )
        })
        .collect()
}

/// splitmix64: small, seeded, the same on every machine.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("a remainder below n, a usize")
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const MARKDOWN: &[&str] = &[
    "*",
    "**",
    "_",
    "__",
    "~~",
    "`",
    "```",
    "```js\n",
    "\n",
    "\n\n",
    "  \n",
    "> ",
    "- ",
    "* ",
    "1. ",
    "3) ",
    "# ",
    "## ",
    "    ",
    "\t",
    "---\n",
    "***",
    "[",
    "]",
    "(",
    ")",
    "](",
    "[x](",
    "![",
    "!",
    "[a](https://example.com/a?b=1&c=2 \"t\")",
    "![i](https://example.com/i.png)",
    "[r]",
    "[r]: ",
    "\n[r]: https://example.com\n",
    "\n[r]: javascript:alert(1)\n",
    "<https://example.com>",
    "<mailto:a@example.com>",
    "<javascript:alert(1)>",
    "www.example.com",
    "https://example.com/x_(y)",
    "| a | b |\n|---|:-:|\n| c | d |\n",
    "|",
    "- [ ] ",
    "- [x] ",
    "\\",
    "\\*",
    "word",
    "two words",
    "<",
    ">",
    "\"",
    "'",
    "=",
    "&",
    "/",
];

const HTML: &[&str] = &[
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<span title=\"t\">",
    "</span>",
    "<a href=\"https://example.com\">",
    "<a href=javascript:alert(1)>",
    "</a>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"https://example.com/i.png\" alt=a>",
    "<br>",
    "</br>",
    "<hr>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td align=center colspan=2>",
    "</td>",
    "<th>",
    "<tbody>",
    "<thead>",
    "<ul>",
    "<ol start=3>",
    "<li>",
    "</li>",
    "</ul>",
    "<dl>",
    "<dt>",
    "<dd>",
    "<pre>",
    "</pre>",
    "<code class=language-js>",
    "</code>",
    "<details open>",
    "<summary>",
    "</summary>",
    "</details>",
    "<h1>",
    "</h1>",
    "<h3>",
    "<input type=text>",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<svg>",
    "</svg>",
    "<math>",
    "</math>",
    "<template>",
    "</template>",
    "<noscript>",
    "</noscript>",
    "<textarea>",
    "</textarea>",
    "<title>",
    "<xmp>",
    "</xmp>",
    "<iframe srcdoc=x>",
    "</iframe>",
    "<object>",
    "</object>",
    "<select>",
    "<form>",
    "<plaintext>",
    "<!--",
    "-->",
    "<!-- c -->",
    "<![CDATA[",
    "]]>",
    "<?php ?>",
    "<!DOCTYPE html>",
    "<image src=https://e.x/i>",
    "<svg/>",
    "<q>",
    "<kbd>",
    "<abbr title=x>",
    "<mark>",
    "<sub>",
    "<sup>",
    "<ins>",
    "<del>",
    "<s>",
    "<u>",
    "<small>",
    "<em>",
    "<strong>",
    "<caption>",
    "<section>",
    "<button>",
    "<font>",
];

const TEXT: &[&str] = &[
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&nbsp;",
    "&#0;",
    "&#9;",
    "&#x09;",
    "&#10;",
    "&#13;",
    "&#x6A;",
    "&#106",
    "&bogus;",
    "&copy",
    "&Tab;",
    "&NewLine;",
    "&colon;",
    "\0",
    "\u{1}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\r",
    "\r\n",
    "\u{1f}",
    "\u{7f}",
    "\u{80}",
    "\u{85}",
    "\u{9f}",
    "\u{a0}",
    "\u{ad}",
    "\u{200b}",
    "\u{202e}",
    "\u{fdd0}",
    "\u{feff}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{1fffe}",
    "\u{10ffff}",
    "é",
    "e\u{301}",
    "東京",
    "😀",
    "javascript:",
    "java\tscript:",
    " onerror=",
    "alert(1)",
];

/// A small document mixing Markdown syntax, raw HTML (tags above and the
/// XSS payloads), entities and Unicode edge cases.
pub fn generated(random: &mut Random, payloads: &[(String, String)]) -> String {
    let mut doc = String::new();
    for _ in 0..=random.below(24) {
        match random.below(10) {
            0..=2 => doc.push_str(random.pick::<&str>(MARKDOWN)),
            3..=5 => doc.push_str(random.pick::<&str>(HTML)),
            6 => {
                let payload = &random.pick(payloads).1;
                // A whole payload, or a piece of it cut at a character boundary.
                let cut = payload
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(random.below(payload.chars().count() + 1));
                doc.push_str(&payload[..cut.unwrap_or(payload.len())]);
            }
            7 | 8 => doc.push_str(random.pick::<&str>(TEXT)),
            _ => doc.push(' '),
        }
    }
    doc
}
