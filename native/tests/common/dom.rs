//! A small DOM for html5ever's tree builder, so tests can compare the trees
//! a browser would build from two pieces of HTML, and serialise a tree the
//! way html5ever does.
#![allow(dead_code)]

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::serialize::{serialize, Serialize, SerializeOpts, Serializer, TraversalScope};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, parse_fragment, Attribute, ExpandedName, ParseOpts, QualName};

pub struct Node {
    data: Data,
    parent: Cell<Option<Weak<Node>>>,
    children: RefCell<Vec<Rc<Node>>>,
}

enum Data {
    Document,
    Element {
        name: QualName,
        attrs: RefCell<Vec<Attribute>>,
        template_contents: Option<Rc<Node>>,
    },
    Text(RefCell<String>),
    Comment(String),
    Other,
}

type Handle = Rc<Node>;

fn node(data: Data) -> Handle {
    Rc::new(Node {
        data,
        parent: Cell::new(None),
        children: RefCell::new(Vec::new()),
    })
}

fn parent_of(target: &Handle) -> Option<Handle> {
    let weak = target.parent.take();
    let parent = weak.as_ref().and_then(Weak::upgrade);
    target.parent.set(weak);
    parent
}

fn detach(target: &Handle) {
    if let Some(parent) = parent_of(target) {
        parent
            .children
            .borrow_mut()
            .retain(|c| !Rc::ptr_eq(c, target));
    }
    target.parent.set(None);
}

/// Appends, merging adjacent text as the DOM does.
fn insert(parent: &Handle, index: usize, child: NodeOrText<Handle>) {
    let mut children = parent.children.borrow_mut();
    match child {
        NodeOrText::AppendText(text) => {
            if index > 0 {
                if let Data::Text(existing) = &children[index - 1].data {
                    existing.borrow_mut().push_str(&text);
                    return;
                }
            }
            let text_node = node(Data::Text(RefCell::new(text.to_string())));
            text_node.parent.set(Some(Rc::downgrade(parent)));
            children.insert(index, text_node);
        }
        NodeOrText::AppendNode(child) => {
            child.parent.set(Some(Rc::downgrade(parent)));
            children.insert(index, child);
        }
    }
}

pub struct Sink {
    document: Handle,
}

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Handle;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Handle {
        self.document
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {}
    fn get_document(&self) -> Handle {
        self.document.clone()
    }
    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        match &target.data {
            Data::Element { name, .. } => name.expanded(),
            _ => panic!("not an element"),
        }
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        node(Data::Element {
            name,
            attrs: RefCell::new(attrs),
            template_contents: flags.template.then(|| node(Data::Document)),
        })
    }
    fn create_comment(&self, text: StrTendril) -> Handle {
        node(Data::Comment(text.to_string()))
    }
    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        node(Data::Other)
    }
    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let len = parent.children.borrow().len();
        insert(parent, len, child);
    }
    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        if parent_of(element).is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }
    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}
    fn get_template_contents(&self, target: &Handle) -> Handle {
        match &target.data {
            Data::Element {
                template_contents: Some(contents),
                ..
            } => contents.clone(),
            _ => panic!("not a template"),
        }
    }
    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }
    fn set_quirks_mode(&self, _mode: QuirksMode) {}
    fn append_before_sibling(&self, sibling: &Handle, child: NodeOrText<Handle>) {
        let parent = parent_of(sibling).expect("sibling has a parent");
        let index = parent
            .children
            .borrow()
            .iter()
            .position(|c| Rc::ptr_eq(c, sibling))
            .expect("sibling among its parent's children");
        if let NodeOrText::AppendNode(child) = &child {
            detach(child);
        }
        insert(&parent, index, child);
    }
    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        if let Data::Element {
            attrs: existing, ..
        } = &target.data
        {
            let mut existing = existing.borrow_mut();
            for attr in attrs {
                if !existing.iter().any(|a| a.name == attr.name) {
                    existing.push(attr);
                }
            }
        }
    }
    fn remove_from_parent(&self, target: &Handle) {
        detach(target);
    }
    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let children = std::mem::take(&mut *node.children.borrow_mut());
        for child in children {
            child.parent.set(None);
            let len = new_parent.children.borrow().len();
            insert(new_parent, len, NodeOrText::AppendNode(child));
        }
    }
}

/// Parses `html` as a fragment in a `<div>`, as `innerHTML` does; returns
/// the fragment's root (an `<html>` element holding the nodes).
pub fn parse(html: &str) -> Handle {
    let document = parse_fragment(
        Sink {
            document: node(Data::Document),
        },
        ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    )
    .one(html);
    let root = document.children.borrow()[0].clone();
    root
}

/// A node as tests compare it: attributes sorted (their order carries no
/// meaning), namespaces spelled out.
#[derive(Debug, PartialEq, Eq, Clone)]
pub enum Tree {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Tree>,
    },
    Text(String),
    Comment(String),
}

pub fn tree_of(handle: &Handle) -> Vec<Tree> {
    handle
        .children
        .borrow()
        .iter()
        .filter_map(|child| match &child.data {
            Data::Element {
                name,
                attrs,
                template_contents,
            } => {
                let mut attrs: Vec<_> = attrs
                    .borrow()
                    .iter()
                    .map(|a| {
                        (
                            format!("{}|{}", &*a.name.ns, &*a.name.local),
                            a.value.to_string(),
                        )
                    })
                    .collect();
                attrs.sort();
                let children = match template_contents {
                    Some(contents) => tree_of(contents),
                    None => tree_of(child),
                };
                Some(Tree::Element {
                    name: format!("{}|{}", &*name.ns, &*name.local),
                    attrs,
                    children,
                })
            }
            Data::Text(text) => Some(Tree::Text(text.borrow().clone())),
            Data::Comment(text) => Some(Tree::Comment(text.clone())),
            Data::Document | Data::Other => None,
        })
        .collect()
}

/// The tree a browser builds from `html` inserted with `innerHTML`.
pub fn tree(html: &str) -> Vec<Tree> {
    tree_of(&parse(html))
}

struct Serializable(Handle);

impl Serialize for Serializable {
    fn serialize<S: Serializer>(
        &self,
        serializer: &mut S,
        _: TraversalScope,
    ) -> std::io::Result<()> {
        fn walk<S: Serializer>(handle: &Handle, serializer: &mut S) -> std::io::Result<()> {
            for child in handle.children.borrow().iter() {
                match &child.data {
                    Data::Element {
                        name,
                        attrs,
                        template_contents,
                    } => {
                        let attrs = attrs.borrow();
                        serializer.start_elem(
                            name.clone(),
                            attrs.iter().map(|a| (&a.name, &a.value[..])),
                        )?;
                        walk(template_contents.as_ref().unwrap_or(child), serializer)?;
                        serializer.end_elem(name.clone())?;
                    }
                    Data::Text(text) => serializer.write_text(&text.borrow())?,
                    Data::Comment(text) => serializer.write_comment(text)?,
                    Data::Document | Data::Other => {}
                }
            }
            Ok(())
        }
        walk(&self.0, serializer)
    }
}

/// What html5ever writes for the tree it builds from `html`.
pub fn reserialize(html: &str) -> String {
    let mut out = Vec::new();
    serialize(
        &mut out,
        &Serializable(parse(html)),
        SerializeOpts::default(),
    )
    .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("html5ever writes UTF-8")
}
