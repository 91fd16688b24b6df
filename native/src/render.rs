//! Markdown in, sanitised HTML and text statistics out.

use pulldown_cmark::{html, Options, Parser};

use crate::events::EventPipeline;
use crate::sanitize::sanitize;
use crate::stats;

/// Must change whenever the output for the same input can change: a change
/// in this crate's rules or an upgrade of pulldown-cmark, ammonia or
/// html5ever (Cargo.lock). Stored content is re-rendered when it differs.
pub const RENDERER_VERSION: u32 = 1;

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

pub fn render(source: &str) -> Rendered {
    let parser = Parser::new_ext(source, markdown_options());
    let mut events = EventPipeline::new(parser, source.len());
    let mut unsafe_html = String::with_capacity(source.len() + source.len() / 2 + 16);
    html::push_html(&mut unsafe_html, &mut events);
    let text = events.into_text();

    // The sanitiser is the last step: nothing touches `html` after it.
    let html = sanitize(&unsafe_html);

    let word_count = stats::word_count(&text);
    Rendered {
        html,
        excerpt: stats::excerpt(&text),
        reading_time_minutes: stats::reading_time_minutes(word_count),
        word_count,
        text,
    }
}
