//! Front matter, measured: the book's metadata and outline in; the title page as galley items
//! and the contents' heading and entries set into lines (their page numbers come with
//! pagination) out.

use super::*;
use crate::model::outline::{OutlineEntry, outline};

/// The title page and the contents, measured.
#[derive(Debug, Clone)]
pub struct FrontGalley {
    pub tags: GalleyTags,
    /// The title page.
    pub title_page: Vec<Item>,
    /// The contents' heading node and its list node, joining the tree after the title page.
    pub toc_heading: NodeId,
    pub toc: NodeId,
    /// "Contents", set as a heading.
    pub toc_title: Lines,
    pub entries: Vec<TocEntry>,
    /// The book's outline, for the bookmarks.
    pub outline: Vec<OutlineEntry>,
    pub uncovered: Vec<(Option<Span>, char)>,
}

/// One entry of the contents: a chapter or one of its second-level headings.
#[derive(Debug, Clone)]
pub struct TocEntry {
    pub entry: OutlineEntry,
    /// 0 for a chapter, 1 for a heading in it.
    pub depth: usize,
    /// Its TOCI node and the Link node its label and page number belong to.
    pub item: NodeId,
    pub link: NodeId,
    /// The label, set in the width left by the indent and the page number.
    pub lines: Vec<Line>,
}

impl TocEntry {
    /// Where the entry leads.
    pub fn anchor(&self) -> Anchor {
        Anchor::in_chapter(self.entry.chapter, self.entry.id.as_ref())
    }
}

/// Measures the title page and the contents.
pub fn measure_front(book: &Book, profile: &Profile, fonts: &FontBook) -> FrontGalley {
    let mut hyphenation = Hyphenation::default();
    let mut m = Measurer::new(book, profile, fonts, &mut hyphenation, 0);
    m.title_page();
    let title_page = std::mem::take(&mut m.items);
    let toc_heading = m.tags.add(StructKind::Heading(1), None);
    m.tags.get_mut(toc_heading).title = Some("Contents".into());
    let toc = m.tags.add(StructKind::Toc, None);
    let size = m.size();
    m.text_block(
        &[Inline::Text("Contents".into())],
        toc_heading,
        m.body_frame(),
        size * profile.heading_scale[0],
        TextOptions {
            bold: true,
            hyphenate: false,
            justify: false,
            ..TextOptions::default()
        },
    );
    let toc_title = match m.items.pop() {
        Some(Item::Lines(lines)) => lines,
        _ => Lines {
            lines: Vec::new(),
            style: m.paragraph_style(size, m.profile.text_width(), false),
            left: 0.0,
            width: m.profile.text_width(),
            center: false,
        },
    };
    let outline = outline(book);
    let entries = flatten_toc(&outline)
        .into_iter()
        .map(|(entry, depth)| m.toc_entry(toc, entry, depth))
        .collect();
    FrontGalley {
        tags: m.tags,
        title_page,
        toc_heading,
        toc,
        toc_title,
        entries,
        outline,
        uncovered: m.uncovered,
    }
}

/// Width kept for a page number at the end of a contents entry, in ems.
pub const TOC_NUMBER_EMS: f32 = 3.0;

impl Measurer<'_> {
    fn title_page(&mut self) {
        let meta = &self.book.meta;
        let profile = self.profile;
        self.items.push(Item::MoveTo(
            profile.margin_top + profile.text_height() * 0.25,
        ));
        let frame = self.body_frame();
        let size = self.size();
        let title = self.node(StructKind::Heading(1), None);
        self.tags.get_mut(title).title = Some(meta.title.clone());
        self.plain(title, &meta.title, frame, size * 2.0, true);
        self.items.push(Item::Space(size));
        let lines: Vec<String> = meta
            .subtitle
            .iter()
            .cloned()
            .chain((!meta.authors.is_empty()).then(|| meta.authors.join(", ")))
            .collect();
        for text in lines {
            let p = self.node(StructKind::P, None);
            self.plain(p, &text, frame, size * 1.2, false);
            self.items.push(Item::Space(size * 0.5));
        }
        let bottom: Vec<String> = meta
            .publisher
            .iter()
            .chain(meta.rights.iter())
            .cloned()
            .collect();
        if !bottom.is_empty() {
            self.items.push(Item::MoveToAtLeast(
                profile.text_bottom()
                    - self.line_height(size * self.profile.small_scale)
                        * (bottom.len() as f32 + 1.0),
            ));
            for text in bottom {
                let p = self.node(StructKind::P, None);
                self.plain(p, &text, frame, size * self.profile.small_scale, false);
            }
        }
    }

    /// A centred line (or lines) of unhyphenated text.
    fn plain(&mut self, node: NodeId, text: &str, frame: Frame, size: f32, bold: bool) {
        self.text_block(
            &[Inline::Text(text.to_string())],
            node,
            frame,
            size,
            TextOptions {
                bold,
                center: true,
                hyphenate: false,
                justify: false,
                ..TextOptions::default()
            },
        );
    }

    fn toc_entry(&mut self, toc: NodeId, entry: OutlineEntry, depth: usize) -> TocEntry {
        let size = self.size();
        let width =
            self.profile.text_width() - size * TOC_NUMBER_EMS - size * INDENT_EMS * depth as f32;
        let item = self.tags.add(StructKind::TocItem, Some(toc));
        let link = self.tags.add(StructKind::Link, Some(item));
        let mut entry = TocEntry {
            entry,
            depth,
            item,
            link,
            lines: Vec::new(),
        };
        let mut piece = self.base_piece(link, size, None);
        piece.text = entry.entry.label.clone();
        piece.hyphenate = false;
        piece.style.bold = depth == 0;
        piece.link = Some((
            LinkDest::Anchor(entry.anchor()),
            format!("Go to {}", entry.entry.label),
        ));
        let style = self.paragraph_style(size, width, false);
        entry.lines = self.set_lines(&[piece], style);
        entry
    }
}

/// Outline entries to list in the contents: chapters and their second-level headings.
fn flatten_toc(entries: &[OutlineEntry]) -> Vec<(OutlineEntry, usize)> {
    let mut out = Vec::new();
    for chapter in entries {
        out.push((chapter.clone(), 0));
        for section in &chapter.children {
            out.push((section.clone(), 1));
        }
    }
    out
}
