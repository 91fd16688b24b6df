//! The elements the writer has open, and where the HTML parser would put the
//! next one.
//!
//! The writer only ever writes a start tag where a browser's parser would
//! insert that element as a child of the current node and do nothing else:
//! no implied end tags, no foster parenting, no re-opened formatting
//! elements. Then the tree a browser builds from the output is exactly the
//! tree the writer meant, and re-parsing it changes nothing. Every element
//! is closed with an explicit end tag, innermost first, so end tags never
//! trigger the parser's repairs either. These rules are the tree
//! construction rules of the HTML standard ("in body", "in table", "in table
//! body", "in row", "in cell"), cut down to the elements of the allowlist.

#![forbid(unsafe_code)]

use crate::policy::El;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Origin {
    /// Written for a Markdown construct.
    Markdown,
    /// Typed by the author as raw HTML, in an inline run or an HTML block.
    Raw { inline: bool },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shown {
    Written,
    /// A Markdown element that was not written (inside removed content, or
    /// where its parent cannot hold it): its end tag is not written either.
    Hidden,
    /// A Markdown paragraph that raw HTML ended early, as a browser ends a
    /// `<p>` at a `<div>`.
    ClosedEarly,
}

#[derive(Clone, Copy, Debug)]
pub struct Open {
    pub el: El,
    pub origin: Origin,
    pub shown: Shown,
}

/// Where the parser would put a start tag for an element.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Placement {
    /// As a child of the current node, with no other effect.
    Accept,
    /// It would first close the element at this stack index, and every
    /// element inside it (`<p>` before a block, `<li>` before `<li>`, a
    /// cell before a cell, a heading before a heading, `<a>` before `<a>`).
    Closes(usize),
    /// In a table: the parser would insert a `<tbody>` (or `<tr>`) first.
    NeedsTbody,
    NeedsTr,
    /// Anywhere else: it would move it, close other elements, or ignore it.
    Reject,
}

#[derive(Default)]
pub struct OpenElements {
    stack: Vec<Open>,
}

impl OpenElements {
    pub fn push(&mut self, open: Open) {
        self.stack.push(open);
    }

    pub fn pop(&mut self) -> Option<Open> {
        self.stack.pop()
    }

    pub fn last(&self) -> Option<&Open> {
        self.stack.last()
    }

    pub fn last_mut(&mut self) -> Option<&mut Open> {
        self.stack.last_mut()
    }

    pub fn get(&self, index: usize) -> Option<&Open> {
        self.stack.get(index)
    }

    pub fn len(&self) -> usize {
        self.stack.len()
    }

    /// Index of the innermost Markdown element (written or not): raw
    /// elements above it belong to its content, its "container".
    pub fn innermost_markdown(&self) -> Option<usize> {
        self.stack
            .iter()
            .rposition(|o| o.origin == Origin::Markdown)
    }

    /// The written elements, innermost first, with their stack indices:
    /// the parser's stack of open elements.
    fn written(&self) -> impl Iterator<Item = (usize, &Open)> {
        self.stack
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, o)| o.shown == Shown::Written)
    }

    /// The parser's current node (`None`: the fragment's root, a `<div>`).
    pub fn current(&self) -> Option<(usize, El)> {
        self.written().next().map(|(i, o)| (i, o.el))
    }

    pub fn placement(&self, el: El) -> Placement {
        let current = self.current();
        match current.map(|(_, el)| el) {
            Some(El::Table) => match el {
                El::Thead | El::Tbody | El::Tfoot => Placement::Accept,
                El::Tr | El::Td | El::Th => Placement::NeedsTbody,
                _ => Placement::Reject,
            },
            Some(El::Thead | El::Tbody | El::Tfoot) => match el {
                El::Tr => Placement::Accept,
                El::Td | El::Th => Placement::NeedsTr,
                El::Thead | El::Tbody | El::Tfoot => Placement::Closes(current.expect("some").0),
                _ => Placement::Reject,
            },
            Some(El::Tr) => match el {
                El::Td | El::Th => Placement::Accept,
                El::Tr | El::Thead | El::Tbody | El::Tfoot => {
                    Placement::Closes(current.expect("some").0)
                }
                _ => Placement::Reject,
            },
            _ => self.placement_in_body(el, current),
        }
    }

    fn placement_in_body(&self, el: El, current: Option<(usize, El)>) -> Placement {
        if el.is_table_part() {
            // Ignored outside a table; inside a cell it closes the cell.
            return match self.enclosing_cell() {
                Some(cell) => Placement::Closes(cell),
                None => Placement::Reject,
            };
        }
        if let Some((index, current)) = current {
            if el.is_heading() && current.is_heading() {
                return Placement::Closes(index);
            }
        }
        let list_item_peer: &[El] = match el {
            El::Li => &[El::Li],
            El::Dd | El::Dt => &[El::Dd, El::Dt],
            _ => &[],
        };
        if !list_item_peer.is_empty() {
            // The parser closes an open item of the same kind unless a
            // special element (other than div and p) stands in between.
            let item = self.in_scope(
                |el| list_item_peer.contains(&el),
                |el| el.is_special() && !matches!(el, El::Div | El::P),
            );
            if let Some(item) = item {
                return Placement::Closes(item);
            }
        }
        if el == El::A {
            if let Some(a) = self.active_a() {
                return Placement::Closes(a);
            }
        }
        if el.closes_p() {
            if let Some(p) = self.p_in_button_scope() {
                return Placement::Closes(p);
            }
        }
        Placement::Accept
    }

    /// The table cell the current node is in, if no table stands between.
    fn enclosing_cell(&self) -> Option<usize> {
        self.in_scope(|el| matches!(el, El::Td | El::Th), |el| el == El::Table)
    }

    /// A `<p>` the parser would find "in button scope" (not behind a table
    /// or a cell), by stack index.
    fn p_in_button_scope(&self) -> Option<usize> {
        self.in_scope(
            |el| el == El::P,
            |el| matches!(el, El::Table | El::Td | El::Th),
        )
    }

    /// An open `<a>` since the last table cell: a new `<a>` would close it.
    fn active_a(&self) -> Option<usize> {
        self.in_scope(|el| el == El::A, |el| matches!(el, El::Td | El::Th))
    }

    /// The stack index of the innermost written element that is a `target`,
    /// unless one that `stops` the search comes first: the parser's "has an
    /// element in scope", for each scope the rules above need.
    fn in_scope(&self, target: impl Fn(El) -> bool, stops: impl Fn(El) -> bool) -> Option<usize> {
        for (i, open) in self.written() {
            if target(open.el) {
                return Some(i);
            }
            if stops(open.el) {
                return None;
            }
        }
        None
    }

    /// Whether the parser would put this text in the current node: inside
    /// table structure (not in a cell), only whitespace stays; other text is
    /// moved before the table.
    pub fn accepts_text(&self, text: &str) -> bool {
        match self.current().map(|(_, el)| el) {
            // Form feed is whitespace too, but the writer replaces it.
            Some(El::Table | El::Thead | El::Tbody | El::Tfoot | El::Tr) => text
                .bytes()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stack(els: &[El]) -> OpenElements {
        let mut stack = OpenElements::default();
        for &el in els {
            stack.push(Open {
                el,
                origin: Origin::Raw { inline: false },
                shown: Shown::Written,
            });
        }
        stack
    }

    #[test]
    fn block_elements_close_an_open_paragraph() {
        assert_eq!(stack(&[El::P]).placement(El::Div), Placement::Closes(0));
        assert_eq!(
            stack(&[El::P, El::Em]).placement(El::Ul),
            Placement::Closes(0)
        );
        assert_eq!(
            stack(&[El::P, El::Em]).placement(El::Span),
            Placement::Accept
        );
        // A table cell hides the paragraph outside it.
        assert_eq!(
            stack(&[El::P, El::Table, El::Tbody, El::Tr, El::Td]).placement(El::Div),
            Placement::Accept
        );
    }

    #[test]
    fn list_items_close_their_open_peer() {
        assert_eq!(
            stack(&[El::Ul, El::Li, El::Div]).placement(El::Li),
            Placement::Closes(1)
        );
        assert_eq!(
            stack(&[El::Ul, El::Li, El::Ul]).placement(El::Li),
            Placement::Accept
        );
        assert_eq!(
            stack(&[El::Dl, El::Dt]).placement(El::Dd),
            Placement::Closes(1)
        );
    }

    #[test]
    fn tables_take_only_their_parts() {
        assert_eq!(stack(&[El::Table]).placement(El::Tr), Placement::NeedsTbody);
        assert_eq!(stack(&[El::Table]).placement(El::Img), Placement::Reject);
        assert_eq!(
            stack(&[El::Table, El::Tbody]).placement(El::Td),
            Placement::NeedsTr
        );
        assert_eq!(stack(&[El::Td]).placement(El::Tr), Placement::Closes(0));
        assert_eq!(stack(&[El::Div]).placement(El::Td), Placement::Reject);
        assert_eq!(
            stack(&[El::Table, El::Tbody, El::Tr]).placement(El::Tr),
            Placement::Closes(2)
        );
        assert!(stack(&[El::Table]).accepts_text("\n "));
        assert!(!stack(&[El::Tr]).accepts_text("x"));
        assert!(stack(&[El::Tr, El::Td]).accepts_text("x"));
    }

    #[test]
    fn links_and_headings_do_not_nest() {
        assert_eq!(
            stack(&[El::A, El::B]).placement(El::A),
            Placement::Closes(0)
        );
        assert_eq!(
            stack(&[El::A, El::Table, El::Tbody, El::Tr, El::Td]).placement(El::A),
            Placement::Accept
        );
        assert_eq!(stack(&[El::H1]).placement(El::H2), Placement::Closes(0));
    }
}
