//! Hostile input must render with output of bounded size, safe, and without
//! deep recursion: each case runs on a thread with a 256 KiB stack. How long
//! it takes, and how that grows with size, is the benchmark's business
//! (`bench/render.bench.mjs`): timing assertions do not belong in tests.

#![forbid(unsafe_code)]

mod common;

use common::{on_small_stack, violations};
use nuell_native::render::render;

/// Inputs of about 100 KB to 1 MB, named for failure messages.
#[allow(clippy::format_collect)] // built once per run: clarity over an allocation
pub fn cases() -> Vec<(&'static str, String)> {
    let n = 100_000;
    vec![
        ("nested blockquotes", ">".repeat(n) + " deep"),
        ("nested blockquotes, spaced", "> ".repeat(n) + "deep"),
        ("nested brackets", "[".repeat(n) + "x"),
        ("unclosed links", "[a](".repeat(n)),
        ("nested images", "![".repeat(n) + "x" + &"](y)".repeat(n)),
        ("star run", "*".repeat(n) + "x" + &"*".repeat(n)),
        ("underscore run", "_".repeat(n) + "x" + &"_".repeat(n)),
        ("alternating emphasis", "*a **b ".repeat(n / 4)),
        ("mixed delimiters", "***_~~".repeat(n)),
        ("backtick run", "`".repeat(n) + "x"),
        (
            "backtick ladder",
            (1..1000).map(|i| "`".repeat(i) + "a").collect(),
        ),
        ("one 1 MB line", "word ".repeat(200_000)),
        ("one 1 MB word", "a".repeat(1_000_000)),
        ("nested list markers", "- ".repeat(n) + "x"),
        (
            "indented nested lists",
            (0..1000).map(|i| " ".repeat(2 * i) + "- x\n").collect(),
        ),
        ("nested ordered lists", "1. ".repeat(n) + "x"),
        (
            "many table columns",
            format!(
                "{}\n{}\n{}\n",
                "|a".repeat(n / 4),
                "|-".repeat(n / 4),
                "|b".repeat(n / 4)
            ),
        ),
        ("entities", "&amp;&#x41;&#65;".repeat(n / 2)),
        ("nul bytes", "\0".repeat(n)),
        ("raw nested divs", "<div>".repeat(n)),
        ("raw nested bold", "<b>".repeat(n)),
        (
            "raw distinct bold then paragraphs",
            (0..20_000)
                .map(|i| format!("<b x={i}>"))
                .collect::<String>()
                + &"a\n\n".repeat(20_000),
        ),
        (
            "raw bold then inline </p>",
            (0..60).map(|i| format!("<b x={i}>")).collect::<String>() + &"</p>a".repeat(n),
        ),
        (
            "raw divs then paragraphs",
            "<div>".repeat(63) + "\n\n" + &"a\n\n".repeat(n),
        ),
        ("raw tables", "<table>".repeat(n)),
        (
            "raw details",
            "<details><summary>s</summary>\n\n".repeat(n / 10),
        ),
        (
            "raw unterminated comment",
            "<!--".to_owned() + &"<div>".repeat(n),
        ),
        ("raw svg nesting", "<svg><g>".repeat(n / 2)),
        ("raw formatting per paragraph", "x <b x=1>a\n\n".repeat(n)),
        ("almost-autolinks", "www._".repeat(200_000)),
        ("almost-autolinks with parens", "(http://a.b_".repeat(n)),
        (
            "autolink domains ending in _",
            "www.a.com_/_".repeat(90_000),
        ),
        (
            "one long autolink",
            "https://example.com/".to_owned() + &"a".repeat(1_000_000),
        ),
        ("many autolinks", "www.example.com ".repeat(n / 2)),
        // What the writer adds for assistive technology, per byte of input.
        ("many done tasks", "- [x] a\n".repeat(n / 8)),
        ("many empty code blocks", "```\n```\n".repeat(n / 8)),
        (
            "many raw checked checkboxes",
            "<input checked>".repeat(n / 15),
        ),
        ("many raw images", "<img>".repeat(n / 5)),
    ]
    .into_iter()
    .chain(entity_runs(1_000_000))
    .collect()
}

/// Text full of `&` (one paragraph, and a code block): html5ever's tree
/// builder was quadratic on such text runs (3.7 s for 1 MB with the
/// previous engine); the benchmark watches how their time grows.
fn entity_runs(bytes: usize) -> Vec<(&'static str, String)> {
    vec![
        ("`& ` in a paragraph", "& ".repeat(bytes / 2)),
        ("`&x;` in a paragraph", "&x;".repeat(bytes / 3)),
        (
            "`& ` in a code block",
            format!("```\n{}\n```", "& ".repeat(bytes / 2)),
        ),
        (
            "`&x;` in a code block",
            format!("```\n{}\n```", "&x;".repeat(bytes / 3)),
        ),
    ]
}

#[test]
fn pathological_inputs_render_safely_and_compactly() {
    for (name, input) in cases() {
        let len = input.len();
        let rendered = on_small_stack(move || render(&input));
        assert!(
            rendered.html.len() <= 16 * len + 1024,
            "{name}: {} bytes of HTML from {len}",
            rendered.html.len()
        );
        assert!(rendered.excerpt.chars().count() <= 200, "{name}");
        assert!(rendered.reading_time_minutes >= 1, "{name}");
        let found = violations(&rendered.html);
        assert!(
            found.is_empty(),
            "{name}: {:?}",
            &found[..found.len().min(5)]
        );
    }
}

#[test]
fn deep_nesting_is_flattened_not_dropped() {
    let rendered = on_small_stack(|| render(&(">".repeat(100_000) + " deep")));
    assert_eq!(rendered.html.matches("<blockquote>").count(), 32);
    assert!(rendered.html.contains("deep"));
    assert_eq!(rendered.text, "deep");
}

#[test]
fn raw_html_past_the_budget_is_shown_as_text() {
    // Each paragraph leaves a <span> open; after 64 the rest is text.
    let rendered = render(&"x <span>s\n\n".repeat(100));
    assert_eq!(rendered.html.matches("<span>").count(), 64);
    assert_eq!(rendered.html.matches("&lt;span&gt;").count(), 36);
    // An HTML block is judged whole.
    let rendered = render(&"<div>".repeat(100));
    assert_eq!(rendered.html, "&lt;div&gt;".repeat(100));
}
