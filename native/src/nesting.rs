//! Caps how deeply Markdown elements nest before HTML is generated.
//!
//! `>>>>…`, `- - - …` or `*****x*****` can nest tens of thousands of levels.
//! The HTML parser inside the sanitiser does work proportional to the depth
//! of open elements for many tags (measured: 100,000 nested blockquotes took
//! 20 s), and deep trees risk stack overflows in anything recursive. Beyond
//! `MAX_NESTING` levels, tags are dropped and only their content is kept.

#![forbid(unsafe_code)]

use pulldown_cmark::Tag;

/// Deeper than any real post; flattening below it loses only indentation.
pub const MAX_NESTING: usize = 32;

#[derive(Default)]
pub struct NestingLimiter {
    /// One entry per open tag: whether it was kept. Lives on the heap, so
    /// even 100,000 levels cost no stack.
    open: Vec<bool>,
    depth: usize,
}

impl NestingLimiter {
    /// Called for every start tag; returns whether to emit it.
    pub fn open(&mut self, tag: &Tag<'_>) -> bool {
        let parent_kept = self.open.last().copied().unwrap_or(true);
        // A kept list or table always gets its items, rows and cells, so the
        // HTML structure stays valid; that adds at most two levels.
        let structural_child = matches!(
            tag,
            Tag::Item | Tag::TableHead | Tag::TableRow | Tag::TableCell
        );
        let keep = parent_kept && (self.depth < MAX_NESTING || structural_child);
        self.open.push(keep);
        if keep {
            self.depth += 1;
        }
        keep
    }

    /// Called for every end tag; returns whether its start tag was emitted.
    pub fn close(&mut self) -> bool {
        let kept = self.open.pop().unwrap_or(false);
        if kept {
            self.depth -= 1;
        }
        kept
    }
}
