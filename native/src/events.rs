//! The single pass over pulldown-cmark's events. On their way to the HTML
//! writer, events are made safe to turn into HTML (nesting capped, raw HTML
//! budgeted), bare URLs become links, table alignment is expressed without
//! `style`, and the plain text of the document is collected.

use std::collections::VecDeque;

use pulldown_cmark::{Alignment, CowStr, Event, LinkType, Tag, TagEnd};

use crate::autolink;
use crate::nesting::NestingLimiter;
use crate::raw_html::RawHtmlGuard;
use crate::sanitize::DROP_WITH_CONTENT;
use crate::stats::TextCollector;

pub struct EventPipeline<'a, I> {
    inner: I,
    /// Events ready for the writer; one input event may yield several.
    ready: VecDeque<Event<'a>>,
    nesting: NestingLimiter,
    raw_html: RawHtmlGuard,
    text: TextCollector,
    /// Inside a link or image: no autolinks there.
    link_depth: usize,
    in_code_block: bool,
    table: TableCells,
    /// Lines of the HTML block being read: the block is judged as a whole,
    /// since tags and comments may span its lines.
    html_block: Option<String>,
    /// Inside inline raw HTML like `<script>…</script>`: the sanitiser drops
    /// the content, so the plain text leaves it out too.
    hidden_by: Option<&'static str>,
    /// Consecutive text events, joined before autolinking: pulldown-cmark
    /// splits text at entities, escapes and unmatched delimiters.
    pending_text: Option<PendingText<'a>>,
    /// A dropped block tag separated content: emit one `<br>` before the
    /// next content rather than one per dropped tag.
    pending_break: bool,
}

impl<'a, I: Iterator<Item = Event<'a>>> EventPipeline<'a, I> {
    pub fn new(inner: I, source_len: usize) -> Self {
        Self {
            inner,
            ready: VecDeque::new(),
            nesting: NestingLimiter::default(),
            raw_html: RawHtmlGuard::default(),
            text: TextCollector::with_capacity(source_len),
            link_depth: 0,
            in_code_block: false,
            table: TableCells::default(),
            pending_break: false,
            pending_text: None,
            html_block: None,
            hidden_by: None,
        }
    }

    /// The plain text collected so far (all of it once the writer is done).
    pub fn into_text(self) -> String {
        self.text.finish()
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
            Event::Code(code) => {
                if self.hidden_by.is_none() {
                    self.text.push_str(&code);
                }
                self.emit(Event::Code(code));
            }
            Event::Html(html) => match &mut self.html_block {
                Some(block) => block.push_str(&html),
                None => self.raw_html(html, Event::Html),
            },
            Event::InlineHtml(html) => self.raw_html(html, Event::InlineHtml),
            Event::SoftBreak => {
                self.text.space();
                self.emit(Event::SoftBreak);
            }
            Event::HardBreak => {
                self.text.newline();
                self.emit(Event::HardBreak);
            }
            Event::Rule => {
                self.text.newline();
                self.emit(Event::Rule);
            }
            other => self.emit(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>) {
        let block = is_block(&tag);
        if block {
            self.block_boundary(matches!(tag, Tag::TableCell));
        }
        match &tag {
            Tag::Link { .. } | Tag::Image { .. } => self.link_depth += 1,
            Tag::CodeBlock(_) => self.in_code_block = true,
            Tag::HtmlBlock => self.html_block = Some(String::new()),
            Tag::Table(alignments) => self.table.start_table(alignments),
            Tag::TableHead => self.table.start_head(),
            Tag::TableRow => self.table.start_row(),
            _ => {}
        }
        if self.nesting.open(&tag) {
            match tag {
                Tag::TableCell => {
                    let cell = self.table.open_cell();
                    self.emit(Event::Html(CowStr::Borrowed(cell)));
                }
                tag => self.emit(Event::Start(tag)),
            }
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
            self.block_boundary(tag == TagEnd::TableCell);
        }
        match tag {
            TagEnd::Link | TagEnd::Image => self.link_depth = self.link_depth.saturating_sub(1),
            TagEnd::CodeBlock => self.in_code_block = false,
            TagEnd::TableHead => self.table.end_head(),
            _ => {}
        }
        if self.nesting.close() {
            match tag {
                TagEnd::TableCell => {
                    let cell = self.table.close_cell();
                    self.emit(Event::Html(CowStr::Borrowed(cell)));
                }
                tag => self.emit(Event::End(tag)),
            }
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

    /// Separates blocks in the plain text and closes formatting elements
    /// that raw HTML left open, before the next block starts.
    fn block_boundary(&mut self, table_cell: bool) {
        self.hidden_by = None;
        if table_cell {
            self.text.space();
        } else {
            self.text.newline();
        }
        if let Some(closers) = self.raw_html.take_closers() {
            self.emit(Event::Html(CowStr::from(closers)));
        }
    }

    fn raw_html(&mut self, html: CowStr<'a>, as_markup: fn(CowStr<'a>) -> Event<'a>) {
        if self.raw_html.admit(&html) {
            self.track_hidden_content(&html);
            self.emit(as_markup(html));
        } else {
            // Over budget: shown literally, escaped by the writer.
            self.emit(Event::Text(html));
        }
    }

    fn track_hidden_content(&mut self, html: &str) {
        let tag_name = |prefix: &str| {
            let name = html.strip_prefix(prefix)?;
            let len = name
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(name.len());
            Some(&name[..len])
        };
        match self.hidden_by {
            None => {
                self.hidden_by = tag_name("<").and_then(|name| {
                    DROP_WITH_CONTENT
                        .iter()
                        .copied()
                        .find(|t| t.eq_ignore_ascii_case(name))
                });
            }
            Some(hider) => {
                if tag_name("</").is_some_and(|name| name.eq_ignore_ascii_case(hider)) {
                    self.hidden_by = None;
                }
            }
        }
    }

    fn text_event(&mut self, text: CowStr<'a>) {
        if self.hidden_by.is_none() {
            self.text.push_str(&text);
        }
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

fn is_block(tag: &Tag<'_>) -> bool {
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

fn is_block_end(tag: TagEnd) -> bool {
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

/// Table cells are written here rather than by pulldown-cmark, whose
/// `style="text-align: …"` the sanitiser would strip; `align` is allowed.
#[derive(Default)]
struct TableCells {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl TableCells {
    fn start_table(&mut self, alignments: &[Alignment]) {
        self.alignments = alignments.to_vec();
    }

    fn start_head(&mut self) {
        self.in_head = true;
        self.column = 0;
    }

    fn end_head(&mut self) {
        self.in_head = false;
    }

    fn start_row(&mut self) {
        self.column = 0;
    }

    fn open_cell(&mut self) -> &'static str {
        let alignment = self.alignments.get(self.column).copied();
        self.column += 1;
        match (self.in_head, alignment) {
            (true, Some(Alignment::Left)) => "<th align=\"left\">",
            (true, Some(Alignment::Center)) => "<th align=\"center\">",
            (true, Some(Alignment::Right)) => "<th align=\"right\">",
            (true, _) => "<th>",
            (false, Some(Alignment::Left)) => "<td align=\"left\">",
            (false, Some(Alignment::Center)) => "<td align=\"center\">",
            (false, Some(Alignment::Right)) => "<td align=\"right\">",
            (false, _) => "<td>",
        }
    }

    fn close_cell(&self) -> &'static str {
        if self.in_head {
            "</th>"
        } else {
            "</td>"
        }
    }
}
