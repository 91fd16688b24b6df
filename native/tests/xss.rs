//! Classic XSS payloads (shared with the jest suite) must come out inert.

#![forbid(unsafe_code)]

mod common;

use common::inputs::xss_payloads as payloads;
use common::{violations, LINK_REL};
use nuell_native::render::render;

#[test]
fn the_checker_catches_what_it_is_meant_to_catch() {
    // Guards against a checker that passes everything.
    for bad in [
        r"<script>alert(1)</script>",
        r#"<img src="x" onerror="alert(1)">"#,
        r#"<a href="javascript:alert(1)" rel="nofollow noopener noreferrer ugc">x</a>"#,
        r#"<a href=" &#10;JaVa&#9;script:x" rel="nofollow noopener noreferrer ugc">x</a>"#,
        r#"<a href="	java	script:x" rel="nofollow noopener noreferrer ugc">x</a>"#,
        r#"<img src="data:text/html,x">"#,
        r#"<a href="/relative" rel="nofollow noopener noreferrer ugc">x</a>"#,
        r#"<p style="color:red">x</p>"#,
        r#"<a href="https://example.com">no rel</a>"#,
        r#"<iframe srcdoc="x"></iframe>"#,
        r#"<svg><a xlink:href="https://x">x</a></svg>"#,
    ] {
        assert!(!violations(bad).is_empty(), "checker missed {bad}");
    }
    assert!(violations(&format!(
        r#"<p><a href="https://x.example/?a=1&amp;b" rel="{LINK_REL}">x</a></p>"#
    ))
    .is_empty());
}

#[test]
fn every_payload_renders_inert() {
    let payloads = payloads();
    assert!(payloads.len() >= 300);
    for (name, markdown) in payloads {
        let html = render(&markdown).html;
        let found = violations(&html);
        assert!(found.is_empty(), "{name}: {found:?}\n{html}");
        let lower = html.to_ascii_lowercase();
        for needle in [
            "<script",
            "<style",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<base",
            "<meta",
            "<svg",
            "<math",
            "javascript:",
            "vbscript:",
            "data:",
        ] {
            // Text may mention these words only escaped (`&lt;script`), never as markup or URLs.
            let as_markup_or_url = lower.match_indices(needle).any(|(i, _)| {
                needle.starts_with('<') || lower[..i].rfind('<') > lower[..i].rfind('>')
            });
            assert!(!as_markup_or_url, "{name}: {needle} in\n{html}");
        }
    }
}

#[test]
fn dangerous_links_keep_their_text_but_lose_their_target() {
    for markdown in [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click][x]\n\n[x]: javascript:alert(1)",
    ] {
        let html = render(markdown).html;
        assert_eq!(
            html,
            format!("<p><a rel=\"{LINK_REL}\">click</a></p>\n"),
            "{markdown}"
        );
    }
}

#[test]
fn script_and_style_content_is_removed_not_shown() {
    let html = render("before <script>alert('x')</script> <style>p{}</style> after").html;
    assert!(!html.contains("alert") && !html.contains("p{}"), "{html}");
    assert!(html.contains("before") && html.contains("after"));
}

#[test]
fn raw_inputs_become_checkboxes_without_handlers() {
    assert_eq!(
        render("<input type=text autofocus onfocus=alert(1) value=x name=q>").html,
        "<input type=\"checkbox\" disabled=\"\" aria-label=\"Open task\">"
    );
    assert_eq!(
        render("<input formaction=javascript:alert(1) disabled>").html,
        "<input disabled=\"\" type=\"checkbox\" aria-label=\"Open task\">"
    );
}
