//! The structure tree, built in one place: node specifications from the galleys in, the tagged
//! tree the PDF writer reads out. Measuring creates a galley's nodes (numbered from 0 in each
//! galley) and marks where each joins its parent; pagination imports them into the document's
//! [`TagTree`], attaches them in reading order and gives them their content (page drawings and
//! link annotations). A block node joins its parent where the block begins, an inline node
//! (a link, inline code) with its first content, so a tree never holds an empty or orphan node.

/// Index of a node: in a galley, counted from the galley's first node; in a [`TagTree`], from
/// the document root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub usize);

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructKind {
    Document,
    Section,
    Heading(u8),
    P,
    List {
        numbered: bool,
    },
    ListItem,
    Label,
    ListBody,
    Table,
    TableHead,
    TableBody,
    TableRow,
    HeaderCell,
    DataCell,
    Figure,
    Caption,
    BlockQuote,
    /// An admonition (`> [!NOTE]`): a section holding its label's paragraph, then its blocks.
    Admonition,
    Code,
    Note,
    Link,
    Toc,
    TocItem,
    /// An inline span with an expansion (an abbreviation's `/E`).
    Span {
        expanded: String,
    },
}

/// A node as measuring makes it: its kind, its parent (`None`: the galley's parent, the
/// document root) and its attributes.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub kind: StructKind,
    pub parent: Option<NodeId>,
    pub lang: Option<crate::lang::Lang>,
    /// Alternative text (figures).
    pub alt: Option<String>,
    /// The text of a heading, for its tag's title.
    pub title: Option<String>,
}

/// The nodes a galley makes.
#[derive(Debug, Clone, Default)]
pub struct GalleyTags {
    pub nodes: Vec<NodeSpec>,
}

impl GalleyTags {
    /// A new node under `parent` (`None`: the document root).
    pub fn add(&mut self, kind: StructKind, parent: Option<NodeId>) -> NodeId {
        self.nodes.push(NodeSpec {
            kind,
            parent,
            lang: None,
            alt: None,
            title: None,
        });
        NodeId(self.nodes.len() - 1)
    }

    pub fn get_mut(&mut self, id: NodeId) -> &mut NodeSpec {
        &mut self.nodes[id.0]
    }
}

/// A node of the document's structure tree.
#[derive(Debug, Clone)]
pub struct StructNode {
    pub kind: StructKind,
    pub children: Vec<StructChild>,
    pub lang: Option<crate::lang::Lang>,
    pub alt: Option<String>,
    pub title: Option<String>,
    /// Whether it has joined its parent's children yet.
    pub attached: bool,
    pub parent: Option<NodeId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructChild {
    Node(NodeId),
    /// The drawing `draw` of page `page`.
    Content {
        page: usize,
        draw: usize,
    },
    /// The link annotation `link` of page `page`.
    Annotation {
        page: usize,
        link: usize,
    },
}

/// The document's structure tree; node 0 is the Document root.
#[derive(Debug, Default)]
pub struct TagTree {
    pub nodes: Vec<StructNode>,
}

impl TagTree {
    /// A tree holding only its root, in the book's language.
    pub fn new(lang: crate::lang::Lang) -> TagTree {
        TagTree {
            nodes: vec![StructNode {
                kind: StructKind::Document,
                children: Vec::new(),
                lang: Some(lang),
                alt: None,
                title: None,
                attached: true,
                parent: None,
            }],
        }
    }

    pub const ROOT: NodeId = NodeId(0);

    /// Adds a galley's nodes (parentless ones under the root, not yet attached); returns what
    /// to add to a galley's [`NodeId`] to get the document's.
    pub fn import(&mut self, tags: &GalleyTags) -> usize {
        let base = self.nodes.len();
        self.nodes.extend(tags.nodes.iter().map(|spec| StructNode {
            kind: spec.kind.clone(),
            children: Vec::new(),
            lang: spec.lang.clone(),
            alt: spec.alt.clone(),
            title: spec.title.clone(),
            attached: false,
            parent: Some(spec.parent.map_or(Self::ROOT, |p| NodeId(base + p.0))),
        }));
        base
    }

    /// A node made during pagination (the contents' entries), attached at once.
    pub fn add(&mut self, kind: StructKind, parent: NodeId) -> NodeId {
        let id = NodeId(self.nodes.len());
        self.nodes.push(StructNode {
            kind,
            children: Vec::new(),
            lang: None,
            alt: None,
            title: None,
            attached: false,
            parent: Some(parent),
        });
        self.attach(id);
        id
    }

    /// Attaches a node (and any unattached ancestors) to its parent's children.
    pub fn attach(&mut self, id: NodeId) {
        let mut chain = Vec::new();
        let mut current = Some(id);
        while let Some(node) = current {
            if self.nodes[node.0].attached {
                break;
            }
            self.nodes[node.0].attached = true;
            chain.push(node);
            current = self.nodes[node.0].parent;
        }
        for node in chain.into_iter().rev() {
            if let Some(parent) = self.nodes[node.0].parent {
                self.nodes[parent.0].children.push(StructChild::Node(node));
            }
        }
    }

    /// Gives a node a piece of content, attaching it first.
    pub fn push(&mut self, id: NodeId, child: StructChild) {
        self.attach(id);
        self.nodes[id.0].children.push(child);
    }
}
