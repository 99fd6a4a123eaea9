//! Galleys: what measuring hands to pagination. A galley is a chapter (or the front matter) set
//! into shaped lines and drawings in one long column, with the rules that say where a page may
//! end: keeps, spaces that vanish at a page top, lines that split only two and two, units that
//! never split, and table rows that repeat their header. Positions in a galley are relative:
//! x from the text block's left edge, y from where the item is placed.

use super::document::{Anchor, Draw, InlinePos};
use super::paragraph::{Line, ParagraphStyle};
use super::tags::{GalleyTags, NodeId};
use crate::diag::Span;

/// A chapter, measured.
#[derive(Debug, Clone)]
pub struct ChapterGalley {
    /// Index of the chapter in the book.
    pub chapter: usize,
    /// The running head of its pages.
    pub title: String,
    /// A part of the chapter before it (a file opening with `##`): it runs on from that
    /// chapter's last page, under that chapter's running head.
    pub nested: bool,
    pub tags: GalleyTags,
    pub items: Vec<Item>,
    /// Characters no font covers, with the span of the block they are in.
    pub uncovered: Vec<(Option<Span>, char)>,
}

/// One step of a galley, in reading order.
#[derive(Debug, Clone)]
pub enum Item {
    /// A top-level block of the chapter begins here (the number of blocks for its notes).
    Block(usize),
    /// A node joins its parent in the structure tree here.
    Attach(NodeId),
    /// Move down (up when negative).
    Space(f32),
    /// Move down, unless at the top of a page.
    SpaceUnlessTop(f32),
    /// Keep: start a new page unless this much room is left below (or the page is empty).
    NeedRoom(f32),
    /// Move to this distance from the page top (front matter).
    MoveTo(f32),
    /// Move down to at least this distance from the page top (front matter).
    MoveToAtLeast(f32),
    /// A link target here; the first place given for an anchor wins.
    Mark(Anchor),
    /// A paragraph's lines, split across pages only where both keep two lines.
    Lines(Lines),
    /// A drawing at the current position; it does not move the position.
    Draw(Draw),
    /// Parts that stay together, then a move down by its height.
    Unit(Unit),
    /// A table: its header row, then rows that split between them, the header repeated (as
    /// layout, not content) at the top of each new page.
    Table { head: Unit, rows: Vec<Row> },
}

/// Lines set in a frame.
#[derive(Debug, Clone)]
pub struct Lines {
    pub lines: Vec<Line>,
    pub style: ParagraphStyle,
    /// The frame's offset from the text block's left edge, and its width.
    pub left: f32,
    pub width: f32,
    /// Centre each line in the frame.
    pub center: bool,
}

/// Parts placed at offsets from the unit's top.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub height: f32,
    pub parts: Vec<UnitPart>,
}

#[derive(Debug, Clone)]
pub enum UnitPart {
    Attach(NodeId),
    /// A link target at the unit's top.
    Mark(Anchor),
    /// A line whose top is `dy` below the unit's top, `left` from the text block's edge.
    Line {
        dy: f32,
        left: f32,
        line: Line,
        style: ParagraphStyle,
    },
    /// A drawing, `dy` below the unit's top.
    Draw {
        dy: f32,
        draw: Draw,
    },
}

/// A table row: the room it needs to start on a page, and what it draws.
#[derive(Debug, Clone)]
pub struct Row {
    pub need: f32,
    pub unit: Unit,
}

/// Where a line of a galley begins in the chapter's text.
pub fn line_start(line: &Line) -> Option<InlinePos> {
    line.frags.first().map(|f| f.pos)
}
