//! The laid-out document: what pagination produces and the PDF writer draws. Pages hold
//! positioned drawings; each drawing belongs either to a node of the structure tree (tagged
//! content) or is an artifact (running heads, page numbers, rules, leaders). The [`PageMap`]
//! says where in the book each printed page begins, for the EPUB's page-break markers.

use std::collections::BTreeSet;
use std::fmt;

use super::fonts::{FaceId, Glyph};
use super::tags::{NodeId, StructChild, TagTree};
use crate::lang::Lang;
use crate::model::AssetId;

/// A laid-out book.
#[derive(Debug, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    pub tags: TagTree,
    pub outline: Vec<OutlineItem>,
    /// How many pages are front matter (numbered i, ii, …); the rest are numbered 1, 2, ….
    pub front_pages: usize,
    /// Where each printed page begins in the book.
    pub page_map: PageMap,
}

impl Document {
    /// The printed number of a page (0-based index): roman in the front matter, arabic after.
    pub fn label(&self, page: usize) -> PageLabel {
        if page < self.front_pages {
            PageLabel::Roman(page + 1)
        } else {
            PageLabel::Arabic(page - self.front_pages + 1)
        }
    }

    /// The faces the pages draw text with.
    pub fn faces_used(&self) -> BTreeSet<FaceId> {
        self.pages
            .iter()
            .flat_map(|p| &p.draws)
            .filter_map(|d| match &d.kind {
                DrawKind::Text { runs, .. } => Some(runs.iter().map(|r| r.face)),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// Adds a drawing to a page and records it in its owner's children.
    pub fn push_draw(&mut self, page: usize, draw: Draw) {
        let index = self.pages[page].draws.len();
        if let Owner::Node(node) = draw.owner {
            self.tags
                .push(node, StructChild::Content { page, draw: index });
        }
        self.pages[page].draws.push(draw);
    }

    /// Adds a link area to a page and records its annotation in the Link node.
    pub fn push_link(&mut self, page: usize, link: LinkArea) {
        let index = self.pages[page].links.len();
        self.tags
            .push(link.node, StructChild::Annotation { page, link: index });
        self.pages[page].links.push(link);
    }
}

/// A printed page number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLabel {
    /// Front matter: i, ii, iii, …
    Roman(usize),
    /// The body: 1, 2, 3, …
    Arabic(usize),
}

impl fmt::Display for PageLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PageLabel::Roman(n) => f.write_str(&roman(n)),
            PageLabel::Arabic(n) => write!(f, "{n}"),
        }
    }
}

/// Lower-case roman numerals for front-matter page numbers.
fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// Where each printed page begins, in page order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMap {
    pub starts: Vec<PageStart>,
}

/// The beginning of a printed page, located in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    pub label: PageLabel,
    pub place: PagePlace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePlace {
    TitlePage,
    Colophon,
    Contents,
    /// In a chapter.
    Chapter {
        chapter: usize,
        at: InlinePos,
    },
}

/// A place in a chapter's text: a top-level block (the number of blocks for the chapter's
/// notes) and a byte offset into the text it contributes as [`crate::model::text`] counts it,
/// nested blocks included, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct InlinePos {
    pub block: usize,
    pub offset: usize,
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

impl Draw {
    /// A thin straight line, as layout (rules under headers, underlines, breaks).
    pub fn rule(x1: f32, y1: f32, x2: f32, y2: f32) -> Draw {
        Draw {
            kind: DrawKind::Rule {
                x1,
                y1,
                x2,
                y2,
                thickness: 0.5,
            },
            owner: Owner::Artifact(ArtifactKind::Layout),
        }
    }
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
        lang: Option<Lang>,
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

impl DrawKind {
    /// The same drawing moved by `dx`, `dy`.
    pub fn translated(mut self, dx: f32, dy: f32) -> DrawKind {
        match &mut self {
            DrawKind::Text { runs, .. } => {
                for run in runs {
                    run.x += dx;
                    run.baseline += dy;
                }
            }
            DrawKind::Image { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            DrawKind::Rects { rects } => {
                for rect in rects {
                    rect[0] += dx;
                    rect[1] += dy;
                }
            }
            DrawKind::Rule { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }
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
    /// The kind of code token it draws, coloured and styled as [`super::code_style`] says.
    pub token: Option<crate::model::TokenKind>,
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
    /// A heading, note, chapter or the contents, resolved to a page once layout is done.
    Anchor(Anchor),
}

/// A place links and bookmarks lead to, before pages are known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The start of a chapter (by index in the book).
    Chapter(usize),
    /// A heading, note, note reference or `<a id>` target: its chapter and its id there.
    Id(usize, String),
    /// The table of contents.
    Contents,
}

impl Anchor {
    /// A place in a chapter: a heading or other target by id, or the chapter's start.
    pub fn in_chapter(chapter: usize, id: Option<&String>) -> Anchor {
        match id {
            Some(id) => Anchor::Id(chapter, id.clone()),
            None => Anchor::Chapter(chapter),
        }
    }
}

/// A bookmark.
#[derive(Debug, Clone)]
pub struct OutlineItem {
    pub title: String,
    pub page: usize,
    pub y: f32,
    pub children: Vec<OutlineItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_number_front_matter_in_roman() {
        let doc = Document {
            front_pages: 2,
            ..Document::default()
        };
        let labels: Vec<String> = (0..4).map(|p| doc.label(p).to_string()).collect();
        assert_eq!(labels, ["i", "ii", "1", "2"]);
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(1999), "mcmxcix");
    }
}
