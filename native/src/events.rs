//! The single pass over pulldown-cmark's events before the HTML writer:
//! nesting is capped, raw HTML is budgeted (and each HTML block joined into
//! one piece), and bare URLs become links.

#![forbid(unsafe_code)]

use std::collections::VecDeque;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::autolink;
use crate::nesting::NestingLimiter;
use crate::raw_budget::RawHtmlBudget;

pub struct EventPipeline<'a, I> {
    inner: I,
    /// Events ready for the writer; one input event may yield several.
    ready: VecDeque<Event<'a>>,
    nesting: NestingLimiter,
    raw_budget: RawHtmlBudget,
    /// Inside a link or image: no autolinks there.
    link_depth: usize,
    in_code_block: bool,
    /// Lines of the HTML block being read: the block is judged and
    /// sanitised as a whole, since tags and comments may span its lines.
    html_block: Option<String>,
    /// Consecutive text events, joined before autolinking: pulldown-cmark
    /// splits text at entities, escapes and unmatched delimiters.
    pending_text: Option<PendingText<'a>>,
    /// A dropped block tag separated content: emit one `<br>` before the
    /// next content rather than one per dropped tag.
    pending_break: bool,
}

impl<'a, I: Iterator<Item = Event<'a>>> EventPipeline<'a, I> {
    pub fn new(inner: I) -> Self {
        Self {
            inner,
            ready: VecDeque::new(),
            nesting: NestingLimiter::default(),
            raw_budget: RawHtmlBudget::default(),
            link_depth: 0,
            in_code_block: false,
            pending_break: false,
            pending_text: None,
            html_block: None,
        }
    }

    fn emit(&mut self, event: Event<'a>) {
        if self.pending_break && !matches!(event, Event::End(_)) {
            self.pending_break = false;
            self.ready.push_back(Event::HardBreak);
        }
        self.ready.push_back(event);
    }

    fn process(&mut self, event: Event<'a>) {
        if let Event::Text(text) = event {
            self.pending_text = Some(match self.pending_text.take() {
                None => PendingText::One(text),
                Some(pending) => PendingText::Many(pending.append(&text)),
            });
            return;
        }
        self.flush_text();
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Code(code) => self.emit(Event::Code(code)),
            Event::Html(html) => match &mut self.html_block {
                Some(block) => block.push_str(&html),
                None => self.raw_html(html, Event::Html),
            },
            Event::InlineHtml(html) => self.raw_html(html, Event::InlineHtml),
            other => self.emit(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        let block = is_block(&tag);
        if block {
            self.raw_budget.block_boundary();
        }
        match &tag {
            Tag::Link { .. } | Tag::Image { .. } => self.link_depth += 1,
            Tag::CodeBlock(_) => self.in_code_block = true,
            Tag::HtmlBlock => self.html_block = Some(String::new()),
            _ => {}
        }
        if self.nesting.open(&tag) {
            self.emit(Event::Start(tag));
        } else if block {
            // Dropped block tags still separate their content.
            self.pending_break = true;
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if let (TagEnd::HtmlBlock, Some(html)) = (tag, self.html_block.take()) {
            self.raw_html(CowStr::from(html), Event::Html);
        }
        let block = is_block_end(tag);
        if block {
            self.raw_budget.block_boundary();
        }
        match tag {
            TagEnd::Link | TagEnd::Image => self.link_depth = self.link_depth.saturating_sub(1),
            TagEnd::CodeBlock => self.in_code_block = false,
            _ => {}
        }
        if self.nesting.close() {
            self.emit(Event::End(tag));
        } else if block {
            self.pending_break = true;
        }
    }

    fn flush_text(&mut self) {
        match self.pending_text.take() {
            Some(PendingText::One(text)) => self.text_event(text),
            Some(PendingText::Many(text)) => self.text_event(CowStr::from(text)),
            None => {}
        }
    }

    fn raw_html(&mut self, html: CowStr<'a>, as_markup: fn(CowStr<'a>) -> Event<'a>) {
        if self.raw_budget.admit(&html) {
            self.emit(as_markup(html));
        } else {
            // Over budget: shown literally, escaped by the writer.
            self.emit(Event::Text(html));
        }
    }

    fn text_event(&mut self, text: CowStr<'a>) {
        if self.in_code_block || self.link_depth > 0 {
            self.emit(Event::Text(text));
            return;
        }
        let mut done = 0;
        while let Some(link) = autolink::find(&text, done) {
            if link.range.start > done {
                self.emit(Event::Text(slice(&text, done, link.range.start)));
            }
            self.emit(Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(link.href(&text)),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }));
            self.emit(Event::Text(slice(&text, link.range.start, link.range.end)));
            self.emit(Event::End(TagEnd::Link));
            done = link.range.end;
        }
        if done == 0 {
            self.emit(Event::Text(text));
        } else if done < text.len() {
            self.emit(Event::Text(slice(&text, done, text.len())));
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for EventPipeline<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(event);
            }
            match self.inner.next() {
                Some(event) => self.process(event),
                None if self.pending_text.is_some() => self.flush_text(),
                None => return None,
            }
        }
    }
}

enum PendingText<'a> {
    One(CowStr<'a>),
    Many(String),
}

impl PendingText<'_> {
    /// Grows one buffer, so joining many pieces stays linear.
    fn append(self, more: &str) -> String {
        let mut joined = match self {
            PendingText::One(text) => {
                let mut joined = String::with_capacity(text.len() + more.len());
                joined.push_str(&text);
                joined
            }
            PendingText::Many(joined) => joined,
        };
        joined.push_str(more);
        joined
    }
}

/// A part of a text event, borrowing from the source when the event does.
fn slice<'a>(text: &CowStr<'a>, start: usize, end: usize) -> CowStr<'a> {
    match text {
        CowStr::Borrowed(s) => CowStr::Borrowed(&s[start..end]),
        other => CowStr::from(other[start..end].to_owned()),
    }
}

/// Block-level tags: they separate text, and inline raw HTML ends at them.
pub fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

pub fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}
