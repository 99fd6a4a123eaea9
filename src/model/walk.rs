//! The model walker: a tree of blocks (or a whole chapter) in; each of its blocks and inlines,
//! in reading order, handed to a visitor. The one place that knows which blocks and inlines a
//! block holds: the passes, the scans of the book's characters and languages, and plain text
//! all walk the model through it.
//!
//! The order is the reading order, parents before children: a block, then what it holds — a
//! heading's, paragraph's or website's inlines, a quote's or an admonition's blocks, each list item's blocks, each
//! definition's term and then its details, a table's cells (the header row, then each row) —
//! and an inline before the inlines inside it (emphasis, links, `<span>`…). A chapter is its
//! text, then each footnote's, in the order of [`Chapter::notes`] (that of their first
//! reference, once the ids pass has numbered them).
//!
//! A figure's image and caption belong to its block: a visitor finds them on
//! [`BlockKind::Figure`].

use super::{Block, BlockKind, Chapter, Image, Inline};

/// Where the walker stops: at a block, or at an inline of one.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Block(&'a Block),
    Inline(&'a Inline),
}

/// Where the mutable walker stops. Whatever the visitor leaves in a block or inline is what the
/// walk then goes into.
#[derive(Debug)]
pub enum NodeMut<'a> {
    Block(&'a mut Block),
    Inline(&'a mut Inline),
}

/// Both walkers from one description of the model's tree: `$($m)?` is `mut` for the mutable
/// one, so the shape of the tree is written once.
macro_rules! walkers {
    ($tree:ident, $inlines:ident, $node:ident, $($m:tt)?) => {
        /// Calls `f` on every block of a tree and every inline in it, in reading order,
        /// parents before children.
        pub fn $tree(blocks: &$($m)? [Block], f: &mut dyn FnMut($node<'_>)) {
            for block in blocks {
                f($node::Block(&$($m)? *block));
                match &$($m)? block.kind {
                    BlockKind::Heading(heading) => $inlines(&$($m)? heading.content, f),
                    BlockKind::Paragraph(content) | BlockKind::Website { content, .. } => {
                        $inlines(content, f)
                    }
                    BlockKind::Quote(children)
                    | BlockKind::Admonition {
                        blocks: children, ..
                    } => $tree(children, f),
                    BlockKind::List(list) => {
                        for item in &$($m)? list.items {
                            $tree(&$($m)? item.blocks, f);
                        }
                    }
                    BlockKind::Definitions(definitions) => {
                        for definition in definitions {
                            $inlines(&$($m)? definition.term, f);
                            for details in &$($m)? definition.details {
                                $tree(details, f);
                            }
                        }
                    }
                    BlockKind::Table(table) => {
                        for cell in &$($m)? table.head {
                            $inlines(&$($m)? cell.content, f);
                        }
                        for row in &$($m)? table.rows {
                            for cell in row {
                                $inlines(&$($m)? cell.content, f);
                            }
                        }
                    }
                    BlockKind::Code { .. } | BlockKind::Figure(_) | BlockKind::Break => {}
                }
            }
        }

        /// Calls `f` on every inline of a sequence and every inline inside them, in reading
        /// order, parents before children.
        pub fn $inlines(inlines: &$($m)? [Inline], f: &mut dyn FnMut($node<'_>)) {
            for inline in inlines {
                f($node::Inline(&$($m)? *inline));
                match inline {
                    Inline::Emph(content)
                    | Inline::Strong(content)
                    | Inline::Strike(content)
                    | Inline::Styled { content, .. } => $inlines(content, f),
                    Inline::Link(link) => $inlines(&$($m)? link.content, f),
                    Inline::Text(_)
                    | Inline::Code(_)
                    | Inline::NoteRef(_)
                    | Inline::Image(_)
                    | Inline::Anchor { .. }
                    | Inline::SoftBreak
                    | Inline::HardBreak => {}
                }
            }
        }
    };
}

walkers!(tree, inlines, Node,);
walkers!(tree_mut, inlines_mut, NodeMut, mut);

impl Chapter {
    /// Calls `f` on every block and inline of the chapter in reading order: its text, then
    /// each footnote's.
    pub fn walk(&self, f: &mut dyn FnMut(Node<'_>)) {
        tree(&self.blocks, f);
        for note in &self.notes {
            tree(&note.blocks, f);
        }
    }

    /// [`Chapter::walk`], mutably.
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(NodeMut<'_>)) {
        tree_mut(&mut self.blocks, f);
        for note in &mut self.notes {
            tree_mut(&mut note.blocks, f);
        }
    }

    /// Calls `f` on every image of the chapter, figures and inline images, in the order the
    /// book numbers its files (the EPUB names them `image-1`, `image-2`… in it): each
    /// footnote's, then the text's; in each, its figures, then its inline images.
    pub fn images_mut(&mut self, f: &mut dyn FnMut(&mut Image)) {
        let trees = self
            .notes
            .iter_mut()
            .map(|note| &mut note.blocks)
            .chain(std::iter::once(&mut self.blocks));
        for blocks in trees {
            tree_mut(blocks, &mut |node| {
                if let NodeMut::Block(Block {
                    kind: BlockKind::Figure(figure),
                    ..
                }) = node
                {
                    f(&mut figure.image);
                }
            });
            tree_mut(blocks, &mut |node| {
                if let NodeMut::Inline(Inline::Image(image)) = node {
                    f(image);
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{FileId, Span};
    use crate::model::{Cell, CellRole, Definition, List, ListItem, Note, Table};

    fn nowhere() -> Span {
        Span::new(file(), 0..0)
    }

    fn file() -> FileId {
        crate::diag::SourceMap::default().add("c.md".into(), String::new())
    }

    fn block(kind: BlockKind) -> Block {
        Block {
            kind,
            span: nowhere(),
        }
    }

    fn text(t: &str) -> Inline {
        Inline::Text(t.into())
    }

    fn paragraph(t: &str) -> Block {
        block(BlockKind::Paragraph(vec![text(t)]))
    }

    /// The texts of a walk, blocks named by their kind.
    fn names(node: Node<'_>) -> String {
        match node {
            Node::Block(b) => match &b.kind {
                BlockKind::Heading(_) => "heading",
                BlockKind::Paragraph(_) => "p",
                BlockKind::Quote(_) => "quote",
                BlockKind::List(_) => "list",
                BlockKind::Definitions(_) => "dl",
                BlockKind::Table(_) => "table",
                _ => "other",
            }
            .to_string(),
            Node::Inline(Inline::Text(t)) => t.clone(),
            Node::Inline(Inline::Emph(_)) => "em".into(),
            Node::Inline(_) => "inline".into(),
        }
    }

    fn chapter() -> Chapter {
        let cell = |t: &str, role| Cell {
            role,
            content: vec![text(t)],
        };
        let blocks = vec![
            block(BlockKind::Quote(vec![block(BlockKind::List(List {
                start: None,
                tight: true,
                items: vec![ListItem {
                    task: None,
                    blocks: vec![paragraph("item")],
                }],
            }))])),
            block(BlockKind::Definitions(vec![
                Definition {
                    term: vec![text("term 1")],
                    details: vec![vec![paragraph("details 1")]],
                },
                Definition {
                    term: vec![Inline::Emph(vec![text("term 2")])],
                    details: vec![vec![paragraph("details 2")]],
                },
            ])),
        ];
        let note_table = block(BlockKind::Table(Table {
            columns: Vec::new(),
            head: vec![cell("head", CellRole::Data)],
            rows: vec![vec![cell("cell", CellRole::Data)]],
        }));
        Chapter {
            id: String::new(),
            file: file(),
            path: String::new(),
            role: crate::model::ChapterRole::Body,
            title: String::new(),
            blocks,
            notes: vec![Note {
                label: "1".into(),
                id: String::new(),
                ref_id: String::new(),
                blocks: vec![note_table],
                span: nowhere(),
            }],
            lang: None,
            dir: None,
        }
    }

    #[test]
    fn walks_every_block_and_inline_in_reading_order() {
        let mut seen = Vec::new();
        chapter().walk(&mut |node| seen.push(names(node)));
        assert_eq!(
            seen,
            [
                "quote",
                "list",
                "p",
                "item",
                "dl",
                "term 1",
                "p",
                "details 1",
                "em",
                "term 2",
                "p",
                "details 2",
                "table",
                "head",
                "cell",
            ]
        );
    }

    #[test]
    fn the_mutable_walk_visits_the_same_places() {
        let mut chapter = chapter();
        let mut shared = Vec::new();
        chapter.walk(&mut |node| shared.push(names(node)));
        let mut mutable = Vec::new();
        chapter.walk_mut(&mut |node| {
            mutable.push(names(match &node {
                NodeMut::Block(b) => Node::Block(b),
                NodeMut::Inline(i) => Node::Inline(i),
            }));
            if let NodeMut::Inline(Inline::Text(t)) = node {
                t.push('!');
            }
        });
        assert_eq!(mutable, shared);
        let mut changed = Vec::new();
        chapter.walk(&mut |node| changed.push(names(node)));
        assert_eq!(changed[3], "item!");
        assert_eq!(changed[14], "cell!");
    }
}
