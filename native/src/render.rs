//! Markdown in, sanitised HTML and text statistics out, in one pass:
//! pulldown-cmark's events go through `events` (limits, autolinks) to the
//! HTML writer, which sanitises raw HTML as it meets it.

#![forbid(unsafe_code)]

use pulldown_cmark::{Options, Parser};

use crate::events::EventPipeline;
pub use crate::policy::Site;
use crate::stats;
use crate::writer::HtmlWriter;

/// Must change whenever the output for the same input can change: a change
/// in this crate's rules or an upgrade of pulldown-cmark, html5ever or url
/// (Cargo.lock). Stored content is re-rendered when it differs.
pub const RENDERER_VERSION: u32 = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub text: String,
    pub excerpt: String,
    pub word_count: usize,
    pub reading_time_minutes: usize,
}

/// CommonMark plus the GitHub extensions the product promises. Bare-URL
/// autolinks are added by `events` (pulldown-cmark has no such option).
fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Renders a post shown anywhere (no site: every web image is kept).
pub fn render(source: &str) -> Rendered {
    render_for(source, None)
}

/// Renders a post shown on `site`, whose own URLs its images may not load.
pub fn render_for(source: &str, site: Option<&Site>) -> Rendered {
    let parser = Parser::new_ext(source, markdown_options());
    let written = HtmlWriter::new(source.len(), site.cloned()).run(EventPipeline::new(parser));
    let word_count = stats::word_count(&written.text);
    Rendered {
        html: written.html,
        excerpt: stats::excerpt(&written.text),
        reading_time_minutes: stats::reading_time_minutes(word_count),
        word_count,
        text: written.text,
    }
}

/// The events the HTML writer renders (after limits and autolinks). The
/// tests' oracle feeds them to pulldown-cmark's own HTML writer and the tree
/// sanitiser, to compare with what this crate writes.
pub fn markdown_events(source: &str) -> impl Iterator<Item = pulldown_cmark::Event<'_>> {
    EventPipeline::new(Parser::new_ext(source, markdown_options()))
}
