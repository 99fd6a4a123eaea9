//! The laid-out document: what the layout stages produce and the PDF writer draws. Pages hold
//! positioned drawings; each drawing belongs either to a node of the structure tree (tagged
//! content) or is an artifact (running heads, page numbers, rules, leaders).

use super::fonts::{FaceId, Glyph};
use crate::model::AssetId;

/// Index of a node in [`Document::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub usize);

/// A laid-out book.
#[derive(Debug, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    /// The structure tree; node 0 is the Document root.
    pub nodes: Vec<StructNode>,
    pub outline: Vec<OutlineItem>,
    /// How many pages are front matter (numbered i, ii, …); the rest are numbered 1, 2, ….
    pub front_pages: usize,
    /// Where each printed page begins in the book, for the EPUB's page-break markers.
    pub page_starts: Vec<PageStart>,
}

/// The beginning of a printed page, located in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    /// The printed number: `i`, `ii`, … in the front matter, `1`, `2`, … in the body.
    pub label: String,
    pub place: PagePlace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePlace {
    TitlePage,
    Contents,
    /// In a chapter, at the top-level block where the page begins (the number of blocks for the
    /// chapter's notes).
    Chapter {
        chapter: usize,
        block: usize,
    },
}

/// A page: its size in points, its drawings in content (reading) order, and its links.
#[derive(Debug, Default)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub draws: Vec<Draw>,
    pub links: Vec<LinkArea>,
}

/// Something drawn, and who owns it.
#[derive(Debug, Clone)]
pub struct Draw {
    pub kind: DrawKind,
    pub owner: Owner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Node(NodeId),
    Artifact(ArtifactKind),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    Header,
    Footer,
    /// Rules, leaders, repeated table headers: layout that carries no content.
    Layout,
}

#[derive(Debug, Clone)]
pub enum DrawKind {
    /// One marked-content sequence of text: usually one run; the two halves of a hyphenated
    /// word share one, with the whole word as its actual text.
    Text {
        runs: Vec<TextRun>,
        actual_text: Option<String>,
        lang: Option<String>,
    },
    Image {
        asset: AssetId,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
    /// Filled black rectangles `[x, y, width, height]`: the modules of a QR code.
    Rects { rects: Vec<[f32; 4]> },
    /// A straight line (`y` grows downwards, as everywhere in layout).
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        thickness: f32,
    },
}

/// Glyphs drawn from a baseline point.
#[derive(Debug, Clone)]
pub struct TextRun {
    pub x: f32,
    pub baseline: f32,
    pub face: FaceId,
    pub size: f32,
    pub text: String,
    pub glyphs: Vec<Glyph>,
}

/// A clickable area and where it leads.
#[derive(Debug, Clone)]
pub struct LinkArea {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub target: LinkDest,
    /// The Link node of the structure tree this area belongs to.
    pub node: NodeId,
    /// What the link does, for assistive technology (the annotation's /Contents).
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LinkDest {
    Url(String),
    /// A place in this document.
    Page {
        page: usize,
        y: f32,
    },
    /// A heading, note or reference by id, resolved to a page once layout is done.
    Anchor(String),
}

/// A node of the structure tree.
#[derive(Debug, Clone)]
pub struct StructNode {
    pub kind: StructKind,
    pub children: Vec<StructChild>,
    pub lang: Option<String>,
    /// Alternative text (figures).
    pub alt: Option<String>,
    /// The text of a heading, for its tag's title.
    pub title: Option<String>,
    /// Whether it has been attached to its parent yet (inline nodes attach with their first content).
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructKind {
    Document,
    Section,
    Heading(u8),
    P,
    List { numbered: bool },
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
    Code,
    Note,
    Link,
    Toc,
    TocItem,
    Span,
}

/// A bookmark.
#[derive(Debug, Clone)]
pub struct OutlineItem {
    pub title: String,
    pub page: usize,
    pub y: f32,
    pub children: Vec<OutlineItem>,
}

impl Document {
    /// A new node under `parent` (or the root's child when `parent` is `None` and the node is
    /// the root itself); block nodes attach at once, inline ones on first content.
    pub fn add_node(
        &mut self,
        kind: StructKind,
        parent: Option<NodeId>,
        attach_now: bool,
    ) -> NodeId {
        let id = NodeId(self.nodes.len());
        self.nodes.push(StructNode {
            kind,
            children: Vec::new(),
            lang: None,
            alt: None,
            title: None,
            attached: false,
            parent,
        });
        if attach_now {
            self.attach(id);
        }
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

    /// Adds a drawing to a page and records it in its owner's children.
    pub fn push_draw(&mut self, page: usize, draw: Draw) {
        let index = self.pages[page].draws.len();
        if let Owner::Node(node) = draw.owner {
            self.attach(node);
            self.nodes[node.0]
                .children
                .push(StructChild::Content { page, draw: index });
        }
        self.pages[page].draws.push(draw);
    }

    /// Adds a link area to a page and records its annotation in the Link node.
    pub fn push_link(&mut self, page: usize, link: LinkArea) {
        let index = self.pages[page].links.len();
        let node = link.node;
        self.attach(node);
        self.nodes[node.0]
            .children
            .push(StructChild::Annotation { page, link: index });
        self.pages[page].links.push(link);
    }
}
