//! Pagination: the galleys and a print profile in; the paged [`Document`] (pages, structure tree,
//! page map, bookmarks) out. Galley items flow down pages inside the margins: each chapter starts
//! a page, keeps are honoured, lines split only where both pages keep at least two (no widows or
//! orphans), table rows move whole to the next page with the header repeated as layout. Then the
//! contents get their page numbers, every page its running head and number (artifacts), and
//! links and bookmarks their pages.

use std::collections::HashMap;

use super::document::*;
use super::fonts::FontBook;
use super::galley::{ChapterGalley, Item, Lines, Unit, UnitPart};
use super::measure::FrontGalley;
use super::paragraph::{Line, ParagraphStyle};
use super::tags::{NodeId, TagTree};
use crate::lang::Lang;
use crate::profile::Profile;

mod finish;
mod toc;

/// Lines a paragraph keeps together at the foot and head of a page (no orphans or widows).
const MIN_LINES_ON_PAGE: usize = 2;

/// Places the galleys on pages.
///
/// The galleys are consumed: their glyphs move onto the pages.
pub fn paginate(
    mut front: FrontGalley,
    galleys: impl IntoIterator<Item = ChapterGalley>,
    profile: &Profile,
    fonts: &FontBook,
    lang: &Lang,
) -> Document {
    let mut p = Pager {
        profile,
        fonts,
        lang,
        doc: Document {
            tags: TagTree::new(lang.clone()),
            ..Document::default()
        },
        page: 0,
        y: 0.0,
        heads: Vec::new(),
        anchors: HashMap::new(),
        pending: None,
        carried_word: None,
        base: 0,
        chapter: None,
        chapter_title: None,
        refine: None,
    };

    // Front matter: the title page, the colophon, then the contents, whose length is known
    // in advance. A leaflet has none.
    let mut toc_start = None;
    let front_base = if profile.front_matter {
        p.base = p.doc.tags.import(&front.tags);
        p.new_page();
        p.items(std::mem::take(&mut front.title_page));
        let colophon_start = p.doc.pages.len();
        p.new_page();
        p.items(std::mem::take(&mut front.colophon));
        let toc_pages = p.toc_page_count(&front);
        let start = p.doc.pages.len();
        toc_start = Some(start);
        p.doc.front_pages = start + toc_pages;
        for page in 0..p.doc.front_pages {
            let place = if page < colophon_start {
                PagePlace::TitlePage
            } else if page < start {
                PagePlace::Colophon
            } else {
                PagePlace::Contents
            };
            let label = p.doc.label(page);
            p.doc.page_map.starts.push(PageStart { label, place });
        }
        for _ in 0..toc_pages {
            p.new_page();
        }
        p.doc.tags.attach(NodeId(p.base + front.toc_heading.0));
        p.doc.tags.attach(NodeId(p.base + front.toc.0));
        p.base
    } else {
        0
    };

    let mut chapter_pages = Vec::new();
    for galley in galleys {
        if !galley.nested {
            p.flush_pending();
            p.new_page();
            chapter_pages.push(p.page);
        }
        p.chapter(galley);
    }
    p.flush_pending();

    let outline = std::mem::take(&mut front.outline);
    if let Some(start) = toc_start {
        p.page = start;
        p.y = profile.margin_top;
        p.base = front_base;
        p.toc(front);
    }
    p.furniture(&chapter_pages);
    p.resolve_links();
    p.doc.outline = p.outline(&outline, toc_start);
    p.doc
}

/// A line's runs (x from the line start, baseline relative) placed on the page.
fn on_line(runs: Vec<TextRun>, x0: f32, baseline: f32) -> Vec<TextRun> {
    runs.into_iter()
        .map(|r| TextRun {
            x: x0 + r.x,
            baseline: baseline + r.baseline,
            ..r
        })
        .collect()
}

/// The first half of a word hyphenated at a line end, waiting for its second half.
struct PendingWord {
    word: usize,
    page: usize,
    runs: Vec<TextRun>,
    owner: NodeId,
    actual: String,
    lang: Option<Lang>,
}

/// The state of pagination.
struct Pager<'a> {
    profile: &'a Profile,
    fonts: &'a FontBook,
    /// The book's language: text in another is tagged with its own.
    lang: &'a Lang,
    doc: Document,
    page: usize,
    /// Distance of the next line's top from the page top.
    y: f32,
    /// The running head of each page, if any.
    heads: Vec<Option<String>>,
    anchors: HashMap<Anchor, (usize, f32)>,
    pending: Option<PendingWord>,
    /// The word whose first half ended the previous page.
    carried_word: Option<usize>,
    /// What turns the galley's node numbers into the document's.
    base: usize,
    /// The chapter being placed, and its top-level block being placed.
    chapter: Option<(usize, usize)>,
    /// The title of the chapter placed last: the running head of new pages.
    chapter_title: Option<String>,
    /// The page-map entry waiting for the first line of its page.
    refine: Option<usize>,
}

impl Pager<'_> {
    fn node(&self, local: NodeId) -> NodeId {
        NodeId(self.base + local.0)
    }

    fn at_page_top(&self) -> bool {
        self.y <= self.profile.margin_top + 0.01
    }

    fn room(&self) -> f32 {
        self.profile.text_bottom() - self.y
    }

    fn new_page(&mut self) {
        // A word broken across the page break: its first half says the whole word.
        self.carried_word = self.pending.as_ref().map(|p| p.word);
        self.flush_pending();
        self.doc.pages.push(Page {
            width: self.profile.page_width,
            height: self.profile.page_height,
            ..Page::default()
        });
        self.heads.push(self.chapter_title.clone());
        self.page = self.doc.pages.len() - 1;
        self.y = self.profile.margin_top;
        if let Some((chapter, block)) = self.chapter {
            self.page_start(chapter, block);
        }
    }

    /// Records where the current page begins; its first line makes the place exact.
    fn page_start(&mut self, chapter: usize, block: usize) {
        let label = self.doc.label(self.page);
        self.refine = Some(self.doc.page_map.starts.len());
        self.doc.page_map.starts.push(PageStart {
            label,
            place: PagePlace::Chapter {
                chapter,
                at: InlinePos { block, offset: 0 },
            },
        });
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    fn ensure_room(&mut self, height: f32) {
        if height > self.room() + 0.01 && !self.at_page_top() {
            self.new_page();
        }
    }

    fn mark(&mut self, anchor: &Anchor) {
        self.anchors
            .entry(anchor.clone())
            .or_insert((self.page, self.y));
    }

    /// Places a chapter's galley from the top of a new page, or, for a part of the chapter
    /// before it, where that chapter ends.
    fn chapter(&mut self, galley: ChapterGalley) {
        self.base = self.doc.tags.import(&galley.tags);
        self.chapter = Some((galley.chapter, 0));
        if !galley.nested {
            if let Some(head) = self.heads.last_mut() {
                // No running head on a chapter's opening page; its title heads the pages after.
                *head = None;
            }
            self.page_start(galley.chapter, 0);
            self.chapter_title = Some(galley.title);
        }
        self.items(galley.items);
        self.chapter = None;
    }

    fn items(&mut self, items: Vec<Item>) {
        for item in items {
            match item {
                Item::Block(block) => {
                    if let Some((_, current)) = &mut self.chapter {
                        *current = block;
                    }
                }
                Item::Attach(node) => self.doc.tags.attach(self.node(node)),
                Item::Space(d) => self.y += d,
                Item::SpaceUnlessTop(d) => {
                    if !self.at_page_top() {
                        self.y += d;
                    }
                }
                Item::NeedRoom(height) => self.ensure_room(height),
                Item::MoveTo(y) => self.y = y,
                Item::MoveToAtLeast(y) => self.y = self.y.max(y),
                Item::Mark(anchor) => self.mark(&anchor),
                Item::Lines(lines) => self.place_lines(lines),
                Item::Draw(draw) => {
                    // A page that begins with a figure's image begins with its block.
                    if matches!(draw.kind, DrawKind::Image { .. }) {
                        self.refine = None;
                    }
                    let draw = self.positioned(draw, 0.0);
                    self.doc.push_draw(self.page, draw);
                }
                Item::Unit(unit) => self.unit(unit, false),
                Item::Table { head, rows } => {
                    self.unit(head.clone(), false);
                    for row in rows {
                        if row.need > self.room() + 0.01 && !self.at_page_top() {
                            self.new_page();
                            // The header again, as layout: it is in the structure tree once.
                            self.unit(head.clone(), true);
                        }
                        self.unit(row.unit, false);
                    }
                }
            }
        }
    }

    /// A galley drawing placed at the current position, `dy` lower, with its owner's node.
    fn positioned(&self, draw: Draw, dy: f32) -> Draw {
        let kind = draw
            .kind
            .translated(self.profile.text_left(self.page), self.y + dy);
        let owner = match draw.owner {
            Owner::Node(node) => Owner::Node(self.node(node)),
            artifact => artifact,
        };
        Draw { kind, owner }
    }

    /// Places a unit at the cursor and moves below it; `artifact` draws it as layout only (a
    /// repeated table header).
    fn unit(&mut self, unit: Unit, artifact: bool) {
        let top = self.y;
        for part in unit.parts {
            match part {
                UnitPart::Attach(node) => {
                    if !artifact {
                        self.doc.tags.attach(self.node(node));
                    }
                }
                UnitPart::Mark(anchor) => {
                    self.y = top;
                    self.mark(&anchor);
                }
                UnitPart::Line {
                    dy,
                    left,
                    line,
                    style,
                } => {
                    self.y = top + dy;
                    if artifact {
                        self.place_artifact_line(line, left, style);
                    } else {
                        self.place_line(line, left, style);
                    }
                }
                UnitPart::Draw { dy, draw } => {
                    self.y = top;
                    let mut draw = self.positioned(draw, dy);
                    if artifact {
                        draw.owner = Owner::Artifact(ArtifactKind::Layout);
                    }
                    self.doc.push_draw(self.page, draw);
                }
            }
        }
        self.y = top + unit.height;
    }

    /// Places lines, moving to new pages as needed, without leaving fewer than two lines of the
    /// paragraph at the foot or head of a page.
    fn place_lines(&mut self, set: Lines) {
        let Lines {
            lines,
            style,
            left,
            width,
            center,
        } = set;
        let n = lines.len();
        let mut lines = lines.into_iter();
        let mut i = 0;
        while i < n {
            let fit = (self.room() / style.line_height + 0.001).floor().max(0.0) as usize;
            let rest = n - i;
            let take = if rest <= fit {
                rest
            } else {
                let take = fit.min(rest.saturating_sub(MIN_LINES_ON_PAGE));
                if take < MIN_LINES_ON_PAGE.min(rest) && !self.at_page_top() {
                    self.new_page();
                    continue;
                }
                take.max(1)
            };
            for line in lines.by_ref().take(take) {
                let shift = if center {
                    ((width - line.width) / 2.0).max(0.0)
                } else if style.rtl {
                    (width - line.width).max(0.0)
                } else {
                    0.0
                };
                self.place_line(line, left + shift, style);
                self.y += style.line_height;
            }
            i += take;
            if i < n {
                self.new_page();
            }
        }
    }

    /// Places one line at the cursor: its text (a word hyphenated across lines or pages as one
    /// marked-content sequence with the whole word as actual text), link areas, underlines and
    /// link targets.
    fn place_line(&mut self, line: Line, left: f32, style: ParagraphStyle) {
        // The page's first line with text makes its place exact (a blank code line has none).
        if let Some(index) = self.refine
            && let Some(start) = super::galley::line_start(&line)
        {
            self.refine = None;
            if let Some(PageStart {
                place: PagePlace::Chapter { at, .. },
                ..
            }) = self.doc.page_map.starts.get_mut(index)
                && start.block == at.block
            {
                *at = start;
            }
        }
        let x0 = self.profile.text_left(self.page) + left;
        let top = self.y;
        if !line.marks.is_empty() {
            let marks = on_line(line.marks, x0, top + style.baseline);
            self.push_text(self.page, marks, Owner::Artifact(ArtifactKind::Layout));
        }
        let count = line.frags.len();
        for (k, frag) in line.frags.into_iter().enumerate() {
            for anchor in frag.anchors {
                self.anchors.entry(anchor).or_insert((self.page, top));
            }
            let owner = self.node(frag.owner);
            let size = frag.runs.first().map_or(self.profile.font_size, |r| r.size);
            let runs = on_line(frag.runs, x0, top + style.baseline);
            let lang = (frag.lang != *self.lang).then_some(frag.lang);
            if let Some((target, description)) = frag.link {
                self.doc.push_link(
                    self.page,
                    LinkArea {
                        x: x0 + frag.x,
                        y: top,
                        width: frag.width,
                        height: style.line_height,
                        target,
                        node: owner,
                        description,
                    },
                );
            }
            for (drawn, offset) in [(frag.underline, 0.15), (frag.strike, -0.3)] {
                if drawn {
                    let y = top + style.baseline + size * offset;
                    self.rule(x0 + frag.x, y, x0 + frag.x + frag.width, y);
                }
            }
            match frag.group {
                None => self.doc.push_draw(
                    self.page,
                    Draw {
                        kind: DrawKind::Text {
                            runs,
                            actual_text: None,
                            lang,
                        },
                        owner: Owner::Node(owner),
                    },
                ),
                Some((word, text)) => {
                    let continues = matches!(&self.pending, Some(p) if p.word == word)
                        || self.carried_word == Some(word);
                    if continues && self.pending.as_ref().is_some_and(|p| p.page == self.page) {
                        if let Some(p) = &mut self.pending {
                            p.runs.extend(runs);
                        }
                    } else {
                        self.flush_pending();
                        self.pending = Some(PendingWord {
                            word,
                            page: self.page,
                            runs,
                            owner,
                            // The second half on a new page: the first half already said it all.
                            actual: if continues { String::new() } else { text },
                            lang,
                        });
                    }
                    if k + 1 < count {
                        self.flush_pending();
                    }
                }
            }
        }
        // A word broken at this line's end goes on; any other is complete.
        if !line.hyphenated {
            self.flush_pending();
            self.carried_word = None;
        }
    }

    /// A line drawn as layout (a repeated table header): no content, links or targets.
    fn place_artifact_line(&mut self, line: Line, left: f32, style: ParagraphStyle) {
        let x0 = self.profile.text_left(self.page) + left;
        let top = self.y;
        for frag in line.frags {
            let runs = on_line(frag.runs, x0, top + style.baseline);
            self.push_text(self.page, runs, Owner::Artifact(ArtifactKind::Layout));
        }
    }

    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.doc.push_draw(self.page, Draw::rule(x1, y1, x2, y2));
    }

    /// Text with no actual text or language of its own.
    fn push_text(&mut self, page: usize, runs: Vec<TextRun>, owner: Owner) {
        self.doc.push_draw(
            page,
            Draw {
                kind: DrawKind::Text {
                    runs,
                    actual_text: None,
                    lang: None,
                },
                owner,
            },
        );
    }

    fn flush_pending(&mut self) {
        if let Some(p) = self.pending.take() {
            self.doc.push_draw(
                p.page,
                Draw {
                    kind: DrawKind::Text {
                        runs: p.runs,
                        actual_text: Some(p.actual),
                        lang: p.lang,
                    },
                    owner: Owner::Node(p.owner),
                },
            );
        }
    }
}
