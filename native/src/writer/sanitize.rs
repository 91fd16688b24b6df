//! The sanitiser for raw HTML typed by the author: html5ever's tokenizer
//! reads it (so tags, attributes and character references are read exactly
//! as a browser reads them), and each token is judged on its own against the
//! allowlist, with no tree. Allowlisted start and end tags are written again
//! through the HTML writer, with their allowlisted attributes (values
//! decoded by the tokenizer, checked, escaped again, always quoted); the
//! writer's stack of open elements decides whether they fit where they
//! stand. Every other tag is dropped, keeping its text, except the elements
//! of `DROP_WITH_CONTENT`, which go with everything inside them. Comments,
//! doctypes, processing instructions and CDATA sections are dropped.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::{RawKind, State};
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::HtmlWriter;
use crate::escape::push_attribute;
use crate::policy::{
    attribute_allowed, drop_with_content, is_integration_point, task_label, DropWithContent, El,
    Site, LINK_REL, PRE_ATTRIBUTES,
};

/// Sanitises one piece of raw HTML (an inline tag or a whole HTML block)
/// into `writer`. Each piece is read on its own from the tokenizer's data
/// state, unless it continues removed raw-text content (`<style>…`), which
/// the tokenizer then reads on as the browser would.
pub(super) fn raw_html(writer: &mut HtmlWriter, html: &str, inline: bool) {
    let mut opts = TokenizerOpts::default();
    if let Some((name, kind)) = writer.dropping.as_ref().and_then(|d| d.names.last()) {
        if let Some(state) = tokenizer_state(*kind) {
            opts.initial_state = Some(state);
            opts.last_start_tag_name = Some(name.clone());
        }
    }
    let tokenizer = Tokenizer::new(
        RawSink {
            writer: RefCell::new(writer),
            inline,
        },
        opts,
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
}

fn tokenizer_state(kind: DropWithContent) -> Option<State> {
    match kind {
        DropWithContent::Script => Some(State::RawData(RawKind::ScriptData)),
        DropWithContent::RawText => Some(State::RawData(RawKind::Rawtext)),
        DropWithContent::Rcdata => Some(State::RawData(RawKind::Rcdata)),
        DropWithContent::Plaintext => Some(State::Plaintext),
        DropWithContent::Foreign | DropWithContent::Markup => None,
    }
}

/// What the tree builder would tell the tokenizer after such a start tag.
fn sink_result(kind: DropWithContent) -> TokenSinkResult<()> {
    match kind {
        DropWithContent::Script => TokenSinkResult::RawData(RawKind::ScriptData),
        DropWithContent::RawText => TokenSinkResult::RawData(RawKind::Rawtext),
        DropWithContent::Rcdata => TokenSinkResult::RawData(RawKind::Rcdata),
        DropWithContent::Plaintext => TokenSinkResult::Plaintext,
        DropWithContent::Foreign | DropWithContent::Markup => TokenSinkResult::Continue,
    }
}

struct RawSink<'w> {
    writer: RefCell<&'w mut HtmlWriter>,
    inline: bool,
}

impl TokenSink for RawSink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut writer = self.writer.borrow_mut();
        match token {
            Token::TagToken(tag) => tag_token(&mut writer, &tag, self.inline),
            Token::CharacterTokens(text) => {
                writer.write_text(&text);
                TokenSinkResult::Continue
            }
            // NUL is ignored by the parser in content; comments, doctypes,
            // processing instructions and CDATA never reach the output.
            _ => TokenSinkResult::Continue,
        }
    }

    /// Inside removed `<svg>` or `<math>`, `<![CDATA[` starts a CDATA section.
    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.writer.borrow().dropping.as_ref().is_some_and(|d| {
            d.names
                .last()
                .is_some_and(|(_, kind)| *kind == DropWithContent::Foreign)
        })
    }
}

fn tag_token(writer: &mut HtmlWriter, tag: &Tag, inline: bool) -> TokenSinkResult<()> {
    let name: &str = &tag.name;
    if let Some(dropping) = writer.dropping.as_mut() {
        let in_foreign = dropping
            .names
            .last()
            .is_some_and(|(_, kind)| *kind == DropWithContent::Foreign);
        // `<p>` (and `</p>`, `</br>`) after an unclosed `<svg>` is HTML again.
        let breakout = tag.kind == TagKind::StartTag || matches!(name, "p" | "br");
        let font_attributes = tag
            .attrs
            .iter()
            .any(|a| matches!(&*a.name.local, "color" | "face" | "size"));
        if in_foreign && breakout && dropping.break_out(name, font_attributes) {
            writer.dropping = None;
            return tag_token(writer, tag, inline);
        }
        match tag.kind {
            TagKind::StartTag => {
                if in_foreign && is_integration_point(name) && !tag.self_closing {
                    // Its content is HTML to the parser, but still inside the removed element.
                    dropping
                        .names
                        .push((name.to_owned(), DropWithContent::Foreign));
                    return TokenSinkResult::Continue;
                }
                let Some(kind) = drop_with_content(name) else {
                    return TokenSinkResult::Continue;
                };
                if in_foreign && kind != DropWithContent::Foreign
                    || kind == DropWithContent::Foreign && tag.self_closing
                {
                    return TokenSinkResult::Continue;
                }
                dropping.names.push((name.to_owned(), kind));
                return sink_result(kind);
            }
            TagKind::EndTag => {
                if dropping.names.last().is_some_and(|(open, _)| open == name) {
                    dropping.names.pop();
                    if dropping.names.is_empty() {
                        writer.dropping = None;
                    }
                }
                return TokenSinkResult::Continue;
            }
        }
    }

    match tag.kind {
        TagKind::StartTag => {
            if let Some(kind) = drop_with_content(name) {
                // `<svg/>` has no content to remove.
                if !(kind == DropWithContent::Foreign && tag.self_closing) {
                    writer.start_dropping(name, kind, inline);
                    return sink_result(kind);
                }
                return TokenSinkResult::Continue;
            }
            // The parser reads `<image>` as `<img>`.
            let el = if name == "image" {
                Some(El::Img)
            } else {
                El::from_name(name)
            };
            if let Some(el) = el {
                let attributes = attributes(el, tag, writer.site.as_ref());
                writer.raw_start(el, &attributes, inline);
            }
        }
        TagKind::EndTag => match El::from_name(name) {
            // The parser reads `</br>` as `<br>`.
            Some(El::Br) => writer.raw_start(El::Br, "", inline),
            Some(el) => writer.raw_end(el),
            None => {}
        },
    }
    TokenSinkResult::Continue
}

/// The allowlisted attributes of a raw start tag, in source order, checked
/// and escaped, then what the writer adds: `<input>` is always a disabled
/// checkbox named by its state (enabled, a reader could untick a box the
/// name calls completed, and there is no form it would change), `<a>` gets the link rel, `<img>` an alt (empty where
/// the author gave none) and `<pre>` a tabindex, a role and a name, as
/// Markdown's get them.
fn attributes(el: El, tag: &Tag, site: Option<&Site>) -> String {
    let mut out = String::new();
    let (mut has_type, mut has_alt, mut checked, mut disabled) = (false, false, false, false);
    for attribute in &tag.attrs {
        let name: &str = &attribute.name.local;
        if !attribute.name.ns.is_empty() || !attribute_allowed(el, name, &attribute.value, site) {
            continue;
        }
        has_alt |= name == "alt";
        checked |= name == "checked";
        disabled |= name == "disabled";
        if el == El::Input && name == "type" {
            has_type = true;
            push_attribute(&mut out, name, "checkbox");
        } else {
            push_attribute(&mut out, name, &attribute.value);
        }
    }
    match el {
        El::Input => {
            if !has_type {
                push_attribute(&mut out, "type", "checkbox");
            }
            if !disabled {
                push_attribute(&mut out, "disabled", "");
            }
            push_attribute(&mut out, "aria-label", task_label(checked));
        }
        El::A => push_attribute(&mut out, "rel", LINK_REL),
        El::Img if !has_alt => push_attribute(&mut out, "alt", ""),
        El::Pre => {
            for (name, value) in PRE_ATTRIBUTES {
                push_attribute(&mut out, name, value);
            }
        }
        _ => {}
    }
    out
}
