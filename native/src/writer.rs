//! The HTML writer: Markdown events in, safe HTML out, with no tree and no
//! second pass.
//!
//! What Markdown makes is safe by construction: the writer escapes text and
//! attribute values itself, writes only allowlisted elements and attributes,
//! checks every URL and adds the link `rel`. Its output is byte for byte what
//! the previous engine (pulldown-cmark's HTML writer followed by a tree
//! sanitiser) produced for documents without raw HTML, serialisation
//! conventions included. Raw HTML typed by the author goes to `sanitize`,
//! the writer's child module: it writes through the writer's own private
//! methods, so one stack of open elements (`tree`) decides where every
//! element may go, and nothing outside the writer can write past it.
//!
//! Raw elements belong to the Markdown element that holds them (their
//! container): an HTML block's elements to the enclosing blockquote, list
//! item or document, an inline tag's to its paragraph, heading or cell. A raw
//! end tag only closes an element of the same container; whatever is still
//! open when the container ends is closed then. Elements opened by inline
//! HTML, and formatting elements (`<b>`, `<a>`, ...), never outlive their
//! block.

#![forbid(unsafe_code)]

mod sanitize;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Tag, TagEnd};

use crate::escape::{push_attribute, push_text};
use crate::events::{is_block, is_block_end};
use crate::policy::{
    breaks_out_of_foreign_content, image_allowed, is_integration_point, is_language_class,
    markdown_destination, task_label, url_allowed, DropWithContent, El, Site, LINK_REL,
    LINK_SCHEMES, PRE_ATTRIBUTES_HTML,
};
use crate::stats::TextCollector;
use crate::tree::{Open, OpenElements, Origin, Placement, Shown};

pub struct HtmlWriter {
    out: String,
    text: TextCollector,
    open: OpenElements,
    table: TableState,
    /// Inside an element removed with its content (see `Dropping`).
    dropping: Option<Dropping>,
    /// A `<pre>` start tag was just written: the parser drops a newline that
    /// follows it, so the writer never writes one there.
    pre_start: bool,
    /// Where the post is shown, for the images it may load (None: anywhere).
    site: Option<Site>,
}

/// Raw HTML opened an element that is removed with everything inside it
/// (`<script>`, `<svg>`, ...): nothing is written until its end tag, until
/// its container ends, or, for `<svg>` and `<math>`, until a tag that the
/// parser would not keep inside foreign content.
struct Dropping {
    /// The removed elements still open, outermost first.
    names: Vec<(String, DropWithContent)>,
    /// Stack index of the Markdown element it belongs to (`None`: the document).
    container: Option<usize>,
    /// Opened by inline HTML: it also ends with its block.
    inline: bool,
}

impl Dropping {
    /// A breakout tag (`name`) arrives: the parser pops the open `<svg>` and
    /// `<math>` content unless it is inside an HTML integration point, and
    /// reads the tag as HTML. True when nothing is removed any more.
    fn break_out(&mut self, name: &str, font_attributes: bool) -> bool {
        let in_foreign = self.names.last().is_some_and(|(open, kind)| {
            *kind == DropWithContent::Foreign && !is_integration_point(open)
        });
        if in_foreign && breaks_out_of_foreign_content(name, font_attributes) {
            while self
                .names
                .last()
                .is_some_and(|(_, kind)| *kind == DropWithContent::Foreign)
            {
                self.names.pop();
            }
        }
        self.names.is_empty()
    }
}

#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

pub struct Written {
    pub html: String,
    pub text: String,
}

impl HtmlWriter {
    pub fn new(source_len: usize, site: Option<Site>) -> Self {
        Self {
            // HTML is about 1.5 times its Markdown: one allocation, no copy.
            out: String::with_capacity(source_len + source_len / 2 + 64),
            text: TextCollector::with_capacity(source_len),
            open: OpenElements::default(),
            table: TableState::default(),
            dropping: None,
            pre_start: false,
            site,
        }
    }

    pub fn run<'a>(mut self, events: impl Iterator<Item = Event<'a>>) -> Written {
        let mut events = events;
        while let Some(event) = events.next() {
            match event {
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => self.image(&dest_url, &title, &mut events),
                Event::Start(tag) => self.start(tag),
                Event::End(tag) => self.end(tag),
                Event::Text(text) => {
                    if self.dropping.is_none() {
                        self.text.push_str(&text);
                    }
                    self.write_text(&text);
                }
                Event::Code(code) => self.code(&code),
                Event::Html(html) => self.raw(&html, false),
                Event::InlineHtml(html) => self.raw(&html, true),
                Event::SoftBreak => {
                    self.text.space();
                    self.write_text("\n");
                }
                Event::HardBreak => {
                    self.text.newline();
                    self.write_void(El::Br, "<br>");
                    self.write_text("\n");
                }
                Event::Rule => {
                    self.text.newline();
                    if !self.ends_line() {
                        self.write_text("\n");
                    }
                    self.write_void(El::Hr, "<hr>");
                    self.write_text("\n");
                }
                Event::TaskListMarker(checked) => {
                    let mut input = String::from("<input disabled=\"\" type=\"checkbox\"");
                    if checked {
                        input.push_str(" checked=\"\"");
                    }
                    push_attribute(&mut input, "aria-label", task_label(checked));
                    input.push('>');
                    self.write_void(El::Input, &input);
                    self.write_text("\n");
                }
                // Not enabled in the Markdown options.
                Event::FootnoteReference(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {}
            }
        }
        self.dropping = None;
        while self.open.len() > 0 {
            self.close_top();
        }
        Written {
            html: self.out,
            text: self.text.finish(),
        }
    }

    fn ends_line(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn start(&mut self, tag: Tag<'_>) {
        if is_block(&tag) {
            self.block_boundary(matches!(tag, Tag::TableCell));
        }
        let newline = if self.ends_line() { "" } else { "\n" };
        match tag {
            Tag::HtmlBlock => {} // its raw HTML follows as one event
            Tag::Paragraph => self.open_markdown(El::P, &[newline, "<p>"]),
            Tag::Heading { level, .. } => {
                let el = match level as usize {
                    1 => El::H1,
                    2 => El::H2,
                    3 => El::H3,
                    4 => El::H4,
                    5 => El::H5,
                    _ => El::H6,
                };
                self.open_markdown(el, &[newline, "<", el.name(), ">"]);
            }
            Tag::Table(alignments) => {
                self.table.alignments = alignments;
                self.open_markdown(El::Table, &["<table>"]);
            }
            Tag::TableHead => {
                self.table.in_head = true;
                self.table.column = 0;
                self.open_markdown(El::Thead, &["<thead>"]);
                self.open_markdown(El::Tr, &["<tr>"]);
            }
            Tag::TableRow => {
                self.table.column = 0;
                self.open_markdown(El::Tr, &["<tr>"]);
            }
            Tag::TableCell => {
                let (el, name) = if self.table.in_head {
                    (El::Th, "<th")
                } else {
                    (El::Td, "<td")
                };
                let align = match self.table.alignments.get(self.table.column) {
                    Some(Alignment::Left) => " align=\"left\">",
                    Some(Alignment::Center) => " align=\"center\">",
                    Some(Alignment::Right) => " align=\"right\">",
                    _ => ">",
                };
                self.table.column += 1;
                self.open_markdown(el, &[name, align]);
            }
            Tag::BlockQuote(_) => self.open_markdown(El::Blockquote, &[newline, "<blockquote>\n"]),
            Tag::CodeBlock(kind) => {
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                self.open_markdown(El::Pre, &[newline, "<pre", PRE_ATTRIBUTES_HTML, ">"]);
                if !lang.is_empty() && is_language_class(&format!("language-{lang}")) {
                    // The class is checked to hold no character that needs escaping.
                    self.open_markdown(El::Code, &["<code class=\"language-", lang, "\">"]);
                } else {
                    self.open_markdown(El::Code, &["<code>"]);
                }
            }
            Tag::List(Some(1)) => self.open_markdown(El::Ol, &[newline, "<ol>\n"]),
            Tag::List(Some(start)) => {
                let start = start.to_string();
                self.open_markdown(El::Ol, &[newline, "<ol start=\"", &start, "\">\n"]);
            }
            Tag::List(None) => self.open_markdown(El::Ul, &[newline, "<ul>\n"]),
            Tag::Item => self.open_markdown(El::Li, &[newline, "<li>"]),
            Tag::Emphasis => self.open_markdown(El::Em, &["<em>"]),
            Tag::Strong => self.open_markdown(El::Strong, &["<strong>"]),
            Tag::Strikethrough => self.open_markdown(El::Del, &["<del>"]),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let mut href = markdown_destination(&dest_url);
                if link_type == LinkType::Email {
                    href = format!("mailto:{href}").into();
                }
                let mut attributes = String::with_capacity(href.len() + title.len() + 64);
                if url_allowed(&href, LINK_SCHEMES) {
                    push_attribute(&mut attributes, "href", &href);
                }
                if !title.is_empty() {
                    push_attribute(&mut attributes, "title", &title);
                }
                push_attribute(&mut attributes, "rel", LINK_REL);
                self.open_markdown(El::A, &["<a", &attributes, ">"]);
            }
            // Images are handled in `run`; the rest is not enabled.
            Tag::Image { .. }
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => self.push_hidden(El::Span),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if is_block_end(tag) {
            self.block_boundary(tag == TagEnd::TableCell);
        }
        match tag {
            TagEnd::HtmlBlock => {}
            TagEnd::Paragraph => self.close_markdown("</p>\n"),
            TagEnd::Heading(level) => {
                let end = [
                    "</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n",
                ];
                self.close_markdown(end[(level as usize).clamp(1, 6) - 1]);
            }
            TagEnd::Table => {
                self.close_markdown("</tbody>");
                self.close_markdown("</table>\n");
            }
            TagEnd::TableHead => {
                self.close_markdown("</tr>");
                self.close_markdown("</thead>");
                self.table.in_head = false;
                self.open_markdown(El::Tbody, &["<tbody>"]);
                self.write_text("\n");
            }
            TagEnd::TableRow => self.close_markdown("</tr>\n"),
            TagEnd::TableCell => {
                self.close_markdown(if self.table.in_head { "</th>" } else { "</td>" });
            }
            TagEnd::BlockQuote(_) => self.close_markdown("</blockquote>\n"),
            TagEnd::CodeBlock => {
                self.close_markdown("</code>");
                self.close_markdown("</pre>\n");
            }
            TagEnd::List(true) => self.close_markdown("</ol>\n"),
            TagEnd::List(false) => self.close_markdown("</ul>\n"),
            TagEnd::Item => self.close_markdown("</li>\n"),
            TagEnd::Emphasis => self.close_markdown("</em>"),
            TagEnd::Strong => self.close_markdown("</strong>"),
            TagEnd::Strikethrough => self.close_markdown("</del>"),
            TagEnd::Link => self.close_markdown("</a>"),
            TagEnd::Image
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => self.close_markdown(""),
        }
    }

    /// Raw elements opened by inline HTML, and raw formatting elements, do
    /// not outlive their block (the parser would otherwise re-open
    /// formatting elements in every later block); content removed by inline
    /// HTML ends with its block too.
    fn block_boundary(&mut self, table_cell: bool) {
        if table_cell {
            self.text.space();
        } else {
            self.text.newline();
        }
        if self.dropping.as_ref().is_some_and(|d| d.inline) {
            self.dropping = None;
        }
        while let Some(top) = self.open.last() {
            match top.origin {
                Origin::Raw { inline } if inline || top.el.is_formatting() => self.close_top(),
                _ => break,
            }
        }
    }

    fn code(&mut self, code: &str) {
        if self.dropping.is_none() {
            self.text.push_str(code);
        }
        self.open_markdown(El::Code, &["<code>"]);
        self.write_text(code);
        self.close_markdown("</code>");
    }

    /// `![alt](src "title")`: the alt text is the plain text of the nested
    /// events, as CommonMark renderers write it.
    fn image<'a>(&mut self, dest: &str, title: &str, events: &mut impl Iterator<Item = Event<'a>>) {
        let mut alt = String::new();
        let mut nesting = 0usize;
        let collect = self.dropping.is_none();
        for event in events.by_ref() {
            match event {
                Event::Start(_) => nesting += 1,
                Event::End(_) if nesting == 0 => break,
                Event::End(_) => nesting -= 1,
                Event::Text(text) | Event::Code(text) => {
                    if collect {
                        self.text.push_str(&text);
                    }
                    alt.push_str(&text);
                }
                Event::InlineHtml(html) => alt.push_str(&html),
                Event::SoftBreak | Event::HardBreak => {
                    if collect {
                        self.text.space();
                    }
                    alt.push(' ');
                }
                Event::Rule => alt.push(' '),
                Event::TaskListMarker(true) => alt.push_str("[x]"),
                Event::TaskListMarker(false) => alt.push_str("[ ]"),
                _ => {}
            }
        }
        let src = markdown_destination(dest);
        let mut attributes = String::with_capacity(src.len() + alt.len() + title.len() + 32);
        if image_allowed(&src, self.site.as_ref()) {
            push_attribute(&mut attributes, "src", &src);
        }
        push_attribute(&mut attributes, "alt", &alt);
        if !title.is_empty() {
            push_attribute(&mut attributes, "title", title);
        }
        self.write_void(El::Img, &format!("<img{attributes}>"));
    }

    fn raw(&mut self, html: &str, inline: bool) {
        sanitize::raw_html(self, html, inline);
    }

    // --- Writing elements -------------------------------------------------

    /// Opens a Markdown element whose start tag is the concatenation of
    /// `html`. Where its parent cannot hold it, raw elements of the current
    /// container are closed first; if that is not enough, or inside removed
    /// content, it is not written (its content still is, where it fits).
    fn open_markdown(&mut self, el: El, html: &[&str]) {
        self.break_out_for(el);
        if self.dropping.is_some() || !self.make_room_for(el) {
            self.push_hidden(el);
            return;
        }
        for part in html {
            // A newline written right after `<pre>` would be eaten by the parser.
            if !(self.pre_start && *part == "\n") {
                self.out.push_str(part);
            }
        }
        self.pre_start = el == El::Pre;
        self.open.push(Open {
            el,
            origin: Origin::Markdown,
            shown: Shown::Written,
        });
    }

    fn write_void(&mut self, el: El, html: &str) {
        self.break_out_for(el);
        if self.dropping.is_none() && self.make_room_for(el) {
            self.pre_start = false;
            self.out.push_str(html);
        }
    }

    /// A Markdown element is HTML the parser reads after what raw HTML left
    /// open: a paragraph or a heading after an unclosed `<svg>` shows.
    fn break_out_for(&mut self, el: El) {
        if self
            .dropping
            .as_mut()
            .is_some_and(|d| d.break_out(el.name(), false))
        {
            self.dropping = None;
        }
    }

    /// Closes raw elements of the current container until `el` can go where
    /// the parser would put it; false if it still cannot.
    fn make_room_for(&mut self, el: El) -> bool {
        loop {
            if self.open.placement(el) == Placement::Accept {
                return true;
            }
            if !self.top_is_raw() {
                return false;
            }
            self.close_top();
        }
    }

    fn top_is_raw(&self) -> bool {
        self.open
            .last()
            .is_some_and(|o| matches!(o.origin, Origin::Raw { .. }))
    }

    fn push_hidden(&mut self, el: El) {
        self.open.push(Open {
            el,
            origin: Origin::Markdown,
            shown: Shown::Hidden,
        });
    }

    /// Closes the innermost Markdown element, and first the raw elements
    /// still open inside it.
    fn close_markdown(&mut self, html: &str) {
        let Some(index) = self.open.innermost_markdown() else {
            return;
        };
        if self
            .dropping
            .as_ref()
            .is_some_and(|d| d.container == Some(index))
        {
            self.dropping = None;
        }
        let mut closed_raw_p = false;
        while self.open.len() > index + 1 {
            closed_raw_p |= self.open.last().is_some_and(|o| o.el == El::P);
            self.close_top();
        }
        let Some(open) = self.open.pop() else {
            return;
        };
        match open.shown {
            Shown::Written => {
                self.pre_start = false;
                self.out.push_str(html);
            }
            Shown::Hidden => {}
            Shown::ClosedEarly => {
                // A browser makes an empty paragraph of the `</p>` of a
                // paragraph that raw HTML already ended.
                if !closed_raw_p && self.make_room_for(El::P) {
                    self.out.push_str("<p></p>");
                }
                self.write_text("\n");
            }
        }
    }

    /// Closes the innermost open element, writing its end tag if it was written.
    fn close_top(&mut self) {
        if let Some(open) = self.open.pop() {
            if open.shown == Shown::Written {
                self.pre_start = false;
                self.out.push_str("</");
                self.out.push_str(open.el.name());
                self.out.push('>');
            }
        }
    }

    /// Writes text into the current node, escaped, if the parser would keep
    /// it there.
    fn write_text(&mut self, text: &str) {
        if self.dropping.is_some() {
            return;
        }
        let mut text = text;
        if self.out.is_empty() {
            // The parser drops a byte order mark at the very start.
            text = text.trim_start_matches('\u{feff}');
        }
        if self.pre_start {
            // The parser drops one newline right after `<pre>`; html5ever's
            // serialiser does not write it back, so none is written there.
            text = text.trim_start_matches(['\n', '\r']);
            if text.is_empty() {
                return;
            }
            self.pre_start = false;
        }
        if !text.is_empty() && self.open.accepts_text(text) {
            push_text(&mut self.out, text);
        }
    }

    // --- Raw HTML, for `sanitize` ------------------------------------------

    /// A raw start tag of an allowlisted element, with its attributes
    /// already checked and escaped (`attributes` is empty or starts with a
    /// space).
    fn raw_start(&mut self, el: El, attributes: &str, inline: bool) {
        loop {
            match self.open.placement(el) {
                Placement::Accept => break,
                Placement::Closes(index) => {
                    let frame_start = self.open.innermost_markdown().map_or(0, |i| i + 1);
                    if index >= frame_start {
                        // Raw elements of this container: closed as the parser would.
                        while self.open.len() > index {
                            self.close_top();
                        }
                    } else if Some(index) == self.open.innermost_markdown()
                        && self
                            .open
                            .current()
                            .is_some_and(|(i, el)| i == index && el == El::P)
                    {
                        // `text <div>`: the paragraph ends here, as in a browser.
                        self.pre_start = false;
                        self.out.push_str("</p>");
                        if let Some(open) = self.open.last_mut() {
                            open.shown = Shown::ClosedEarly;
                        }
                    } else {
                        return; // it would close Markdown structure
                    }
                }
                Placement::NeedsTbody => self.raw_open(El::Tbody, "", inline),
                Placement::NeedsTr => self.raw_open(El::Tr, "", inline),
                Placement::Reject => return,
            }
        }
        self.raw_open(el, attributes, inline);
    }

    fn raw_open(&mut self, el: El, attributes: &str, inline: bool) {
        self.out.push('<');
        self.out.push_str(el.name());
        self.out.push_str(attributes);
        self.out.push('>');
        self.pre_start = el == El::Pre;
        if !el.is_void() {
            self.open.push(Open {
                el,
                origin: Origin::Raw { inline },
                shown: Shown::Written,
            });
        }
    }

    /// A raw end tag: closes the innermost raw element of that name in the
    /// current container (and the raw elements inside it); otherwise ignored.
    fn raw_end(&mut self, el: El) {
        let frame_start = self.open.innermost_markdown().map_or(0, |i| i + 1);
        let found = (frame_start..self.open.len())
            .rev()
            .find(|&i| self.open.get(i).is_some_and(|o| o.el == el));
        if let Some(index) = found {
            while self.open.len() > index {
                self.close_top();
            }
        }
    }

    fn start_dropping(&mut self, name: &str, kind: DropWithContent, inline: bool) {
        self.dropping = Some(Dropping {
            names: vec![(name.to_owned(), kind)],
            container: self.open.innermost_markdown(),
            inline,
        });
    }
}
