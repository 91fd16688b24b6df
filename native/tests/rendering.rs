//! What a reader sees: Markdown features, links, raw HTML and statistics.

#![forbid(unsafe_code)]

mod common;

use common::{violations, LINK_REL};
use nuell_native::render::render;

fn html(markdown: &str) -> String {
    render(markdown).html
}

#[test]
fn commonmark_basics() {
    assert_eq!(
        html("# Title\n\nSome *em*, **strong** and `code`.\n\n---\n"),
        "<h1>Title</h1>\n<p>Some <em>em</em>, <strong>strong</strong> and <code>code</code>.</p>\n<hr>\n"
    );
    assert_eq!(
        html("> quoted"),
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
    );
    assert_eq!(
        html("3. three\n4. four"),
        "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"
    );
    assert_eq!(html("a  \nb"), "<p>a<br>\nb</p>\n");
}

#[test]
fn fenced_code_keeps_its_language_class_and_escapes_content() {
    assert_eq!(
        html("```rust\nlet a = \"<b>\";\n```"),
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code class=\"language-rust\">let a = \"&lt;b&gt;\";\n</code></pre>\n"
    );
    // A language name that is not a plain identifier loses the class, not the code.
    assert_eq!(
        html("```x\"onclick\n1\n```"),
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>1\n</code></pre>\n"
    );
}

#[test]
fn gfm_tables_with_alignment_but_no_style() {
    assert_eq!(
        html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |"),
        "<table><thead><tr><th align=\"left\">a</th><th align=\"center\">b</th><th align=\"right\">c</th></tr></thead><tbody>\n\
         <tr><td align=\"left\">1</td><td align=\"center\">2</td><td align=\"right\">3</td></tr>\n</tbody></table>\n"
    );
}

#[test]
fn gfm_strikethrough_and_task_lists() {
    assert_eq!(html("~~gone~~"), "<p><del>gone</del></p>\n");
    assert_eq!(
        html("- [x] done\n- [ ] todo"),
        "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Completed task\">\ndone</li>\n\
         <li><input disabled=\"\" type=\"checkbox\" aria-label=\"Open task\">\ntodo</li>\n</ul>\n"
    );
}

#[test]
fn every_image_has_an_alt_empty_where_the_author_gave_none() {
    // Without an alt, a screen reader reads the file name out; an empty one
    // says the image is decoration.
    assert_eq!(
        html("![](https://example.com/a.png)"),
        "<p><img src=\"https://example.com/a.png\" alt=\"\"></p>\n"
    );
    assert_eq!(
        html("<img src=\"https://example.com/a.png\">"),
        "<img src=\"https://example.com/a.png\" alt=\"\">"
    );
    assert_eq!(
        html("a <image title=t src=https://example.com/a.png> b"),
        "<p>a <img title=\"t\" src=\"https://example.com/a.png\" alt=\"\"> b</p>\n"
    );
    // The author's alt is kept as given, empty or not, and never doubled.
    assert_eq!(
        html("<img alt=\"A cat\" src=\"https://example.com/a.png\" alt=\"x\">"),
        "<img alt=\"A cat\" src=\"https://example.com/a.png\">"
    );
    assert_eq!(html("a <img alt> b"), "<p>a <img alt=\"\"> b</p>\n");
}

#[test]
fn task_list_checkboxes_are_named_by_their_state() {
    // A checkbox has no label of its own; its name says what its state means.
    assert_eq!(
        html("1. [X] shipped\n2. [ ] next"),
        "<ol>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Completed task\">\nshipped</li>\n\
         <li><input disabled=\"\" type=\"checkbox\" aria-label=\"Open task\">\nnext</li>\n</ol>\n"
    );
    // Raw checkboxes too, disabled as Markdown's are (the name describes a
    // state a reader must not be able to change); the author's own names are
    // not kept (the writer's two are the only values a post can hold).
    assert_eq!(
        html("a <input checked aria-label=\"Click me\"> b"),
        "<p>a <input checked=\"\" type=\"checkbox\" disabled=\"\" aria-label=\"Completed task\"> b</p>\n"
    );
    assert_eq!(
        html("a <input type=checkbox aria-labelledby=x> b"),
        "<p>a <input type=\"checkbox\" disabled=\"\" aria-label=\"Open task\"> b</p>\n"
    );
}

#[test]
fn code_blocks_can_be_scrolled_from_the_keyboard() {
    // A long line scrolls sideways; only a focusable block lets a keyboard do
    // that, and a role and a name say what took focus.
    assert_eq!(
        html("```\nx\n```"),
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>x\n</code></pre>\n"
    );
    assert_eq!(
        html("    x\n"),
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>x\n</code></pre>\n"
    );
    // Raw <pre> alike, whatever tabindex, role or label the author gave it.
    assert_eq!(
        html("<pre>x</pre>"),
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\">x</pre>"
    );
    assert_eq!(
        html("<pre tabindex=\"-1\" role=\"button\" aria-label=\"Run\">x</pre>\n\n<p tabindex=1 role=button>y</p>"),
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\">x</pre>\n<p>y</p>"
    );
}

#[test]
fn links_get_rel_and_only_absolute_web_or_mail_urls_survive() {
    let a = |href: &str, text: &str| format!("<a href=\"{href}\" rel=\"{LINK_REL}\">{text}</a>");
    assert_eq!(
        html("[x](https://example.com/a?b=1&c=2)"),
        format!("<p>{}</p>\n", a("https://example.com/a?b=1&amp;c=2", "x"))
    );
    assert_eq!(
        html("<mailto:me@example.com>"),
        format!(
            "<p>{}</p>\n",
            a("mailto:me@example.com", "mailto:me@example.com")
        )
    );
    assert_eq!(
        html("<me@example.com>"),
        format!("<p>{}</p>\n", a("mailto:me@example.com", "me@example.com"))
    );
    for relative in [
        "/posts/1",
        "../x",
        "//evil.example/x",
        "#top",
        "?q=1",
        "ftp://example.com/f",
    ] {
        assert_eq!(
            html(&format!("[x]({relative})")),
            format!("<p><a rel=\"{LINK_REL}\">x</a></p>\n"),
            "{relative}"
        );
    }
    assert_eq!(
        html("![cat](https://example.com/cat.png \"Cat\")"),
        "<p><img src=\"https://example.com/cat.png\" alt=\"cat\" title=\"Cat\"></p>\n"
    );
    assert_eq!(html("![cat](/cat.png)"), "<p><img alt=\"cat\"></p>\n");
}

#[test]
fn bare_urls_become_links_outside_code_and_links() {
    let link = |href: &str, text: &str| format!("<a href=\"{href}\" rel=\"{LINK_REL}\">{text}</a>");
    assert_eq!(
        html("Visit www.example.com/docs, or https://example.org."),
        format!(
            "<p>Visit {}, or {}.</p>\n",
            link("http://www.example.com/docs", "www.example.com/docs"),
            link("https://example.org", "https://example.org")
        )
    );
    assert_eq!(
        html("*www.example.com*"),
        format!(
            "<p><em>{}</em></p>\n",
            link("http://www.example.com", "www.example.com")
        )
    );
    assert_eq!(
        html("`www.example.com`"),
        "<p><code>www.example.com</code></p>\n"
    );
    assert_eq!(
        html("    https://example.com\n"),
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>https://example.com\n</code></pre>\n"
    );
    assert_eq!(
        html("[see https://a.example](https://b.example)"),
        format!(
            "<p>{}</p>\n",
            link("https://b.example", "see https://a.example")
        )
    );
    // Text pulldown-cmark splits (at `_` or entities) is joined before matching.
    assert_eq!(
        html("https://a.example/x_y&amp;z"),
        format!(
            "<p>{}</p>\n",
            link("https://a.example/x_y&amp;z", "https://a.example/x_y&amp;z")
        )
    );
}

#[test]
fn raw_html_is_allowed_through_the_allowlist() {
    assert_eq!(
        html("Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O"),
        "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O</p>\n"
    );
    assert_eq!(
        html("<details><summary>More</summary>\n\nHidden **text**\n\n</details>"),
        "<details><summary>More</summary>\n<p>Hidden <strong>text</strong></p>\n</details>"
    );
    assert_eq!(
        html("<span class=\"x\" id=\"y\" title=\"t\">s</span>"),
        "<p><span>s</span></p>\n"
    );
    assert_eq!(html("<!-- hidden -->visible"), "visible");
}

#[test]
fn raw_formatting_left_open_is_closed_at_the_end_of_its_block() {
    assert_eq!(
        html("a <b>bold\n\nnext"),
        "<p>a <b>bold</b></p>\n<p>next</p>\n"
    );
}

#[test]
fn plain_text_and_statistics() {
    let r = render("# Hello\n\nThis is *one* paragraph with `code`.\n\n- item one\n- item two\n\n| a | b |\n|---|---|\n| c | d |\n\n<div>raw html is not text</div>\n");
    assert_eq!(
        r.text,
        "Hello\nThis is one paragraph with code.\nitem one\nitem two\na b\nc d"
    );
    assert_eq!(
        r.excerpt,
        "Hello This is one paragraph with code. item one item two a b c d"
    );
    assert_eq!(r.word_count, 15);
    assert_eq!(r.reading_time_minutes, 1);
}

#[test]
fn content_the_sanitiser_drops_is_not_plain_text_either() {
    let r = render("before <script>alert(1)</script> <style>p{}</style> after");
    assert_eq!(r.text, "before   after");
    assert_eq!(r.word_count, 2);
}

#[test]
fn empty_input() {
    let r = render("");
    assert_eq!(
        (
            r.html.as_str(),
            r.text.as_str(),
            r.excerpt.as_str(),
            r.word_count,
            r.reading_time_minutes
        ),
        ("", "", "", 0, 1)
    );
}

#[test]
fn reading_time_rounds_up() {
    assert_eq!(render(&"word ".repeat(200)).reading_time_minutes, 1);
    assert_eq!(render(&"word ".repeat(201)).reading_time_minutes, 2);
    assert_eq!(render(&"word ".repeat(1000)).word_count, 1000);
}

#[test]
fn long_posts_get_an_excerpt_of_at_most_200_chars_cut_between_words() {
    let r = render(&format!("# Ünïcödé\n\n{}", "naïve café ".repeat(100)));
    assert!(r.excerpt.starts_with("Ünïcödé naïve café"));
    assert!(r.excerpt.chars().count() <= 200);
    assert!(
        r.excerpt.ends_with("naïve…") || r.excerpt.ends_with("café…"),
        "{}",
        r.excerpt
    );
}

#[test]
fn output_is_deterministic_and_inert_for_a_realistic_post() {
    let post = "# Release notes\n\nWe shipped **v2** today — see https://example.com/blog.\n\n\
                | Feature | Status |\n|---|:-:|\n| Search | ✅ |\n\n```js\nconsole.log('<hi>')\n```\n\n\
                > Quote with [a link](https://example.org \"Title\").\n\n- [x] done\n- [ ] <b>todo</b>\n";
    let first = render(post);
    assert_eq!(first, render(post));
    assert!(violations(&first.html).is_empty(), "{}", first.html);
}

#[test]
fn raw_html_is_rebuilt_where_a_browser_would_put_it() {
    // A browser inserts the <tbody> itself; the output says so.
    assert_eq!(
        html("<table><tr><td>x</td></tr></table>"),
        "<table><tbody><tr><td>x</td></tr></tbody></table>"
    );
    // A block tag ends the paragraph, as in a browser (which then makes an
    // empty paragraph of the paragraph's own end tag).
    assert_eq!(html("a <div>b</div> c"), "<p>a </p><div>b</div> c<p></p>\n");
    // Nothing is written where its parent cannot hold it: a browser would
    // move the image out of the table.
    assert_eq!(
        html("- <table><caption><svg><style><img src=x onerror=alert(1)>"),
        "<ul>\n<li><table></table></li>\n</ul>\n"
    );
    // End tags a browser implies are written out.
    assert_eq!(html("<ul><li>a<li>b</ul>"), "<ul><li>a</li><li>b</li></ul>");
    assert_eq!(
        html("<table><tr><td>a<td>b<tr><td>c</table>"),
        "<table><tbody><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></tbody></table>"
    );
}

#[test]
fn raw_elements_stay_inside_their_markdown_container() {
    // Closed at the end of the list item that opened it...
    assert_eq!(
        html("- <div>\n  a\n\nb"),
        "<ul>\n<li><div>\na\n</div></li>\n</ul>\n<p>b</p>\n"
    );
    // ...and an end tag in another container closes nothing there.
    assert_eq!(
        html("> <span>\n\n</span>"),
        "<blockquote>\n<span>\n</span></blockquote>\n"
    );
    // Inline tags end with their block; HTML blocks may span Markdown blocks.
    assert_eq!(html("<i>a\n\nb"), "<p><i>a</i></p>\n<p>b</p>\n");
}

#[test]
fn content_of_removed_elements_is_removed_across_markdown_blocks() {
    assert_eq!(
        html("<div>\n<script>\n\nalert(1)\n\n</script>\n</div>\n\nafter"),
        "<div>\n\n</div>\n<p>after</p>\n"
    );
    assert_eq!(
        html("<svg><![CDATA[</svg><img src=x onerror=alert(1)>]]></svg>ok"),
        "<p>ok</p>\n"
    );
    let r = render("a <style>p{}</style> b <template><p>t</p></template> c");
    assert_eq!(r.html, "<p>a  b  c</p>\n");
    assert_eq!(r.text, "a  b  c");
}

#[test]
fn output_has_no_characters_html_forbids() {
    assert_eq!(
        html("a\u{1}b\u{c}c\u{7f}d\u{85}e\u{fdd0}f\u{fffe}g\u{10ffff}\r\nh"),
        "<p>a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd}f\u{fffd}g\u{fffd}\nh</p>\n"
    );
    assert_eq!(html("&#x1; &#127;"), "<p>\u{fffd} \u{fffd}</p>\n");
}

#[test]
fn images_load_only_from_the_web() {
    assert_eq!(
        html("![a](mailto:a@example.com) <img src=mailto:a@example.com alt=b>"),
        "<p><img alt=\"a\"> <img alt=\"b\"></p>\n"
    );
    assert_eq!(
        html("<img src=\"https://example.com/a.png\" onerror=x>"),
        "<img src=\"https://example.com/a.png\" alt=\"\">"
    );
}

#[test]
fn an_unclosed_svg_or_math_ends_where_the_parser_leaves_foreign_content() {
    // A paragraph, a heading or a list after an unclosed <svg> is HTML to a browser: it shows.
    assert_eq!(
        html("<svg onload=alert(1)>\n\nhello *md*"),
        "<p>hello <em>md</em></p>\n"
    );
    assert_eq!(
        html("<svg onload=alert(1)>\n\n<a href=\"https://ok.example\" onmouseover=\"alert(1)\">ok</a>"),
        "<p><a href=\"https://ok.example\" rel=\"nofollow noopener noreferrer ugc\">ok</a></p>\n"
    );
    assert_eq!(
        html("<math>\n\n# Title\n\n- item"),
        "<h1>Title</h1>\n<ul>\n<li>item</li>\n</ul>\n"
    );
    // Inside one piece of raw HTML, a breakout tag leaves it too; an integration point keeps it.
    assert_eq!(
        html("<div><svg><g><p>shown</p></g></svg></div>"),
        "<div><p>shown</p></div>"
    );
    assert_eq!(
        html("<div><svg><foreignObject><p>hidden</p></foreignObject></svg>after</div>"),
        "<div>after</div>"
    );
    // Raw-text elements still swallow what follows, as they do in a browser.
    assert_eq!(
        html("<title>\n\nhello *md*\n\n</title>\n\nshown"),
        "\n<p>shown</p>\n"
    );
}
