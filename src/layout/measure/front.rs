//! Front matter, measured: the book's metadata and outline in; the title page as galley items
//! and the contents' heading and entries set into lines (their page numbers come with
//! pagination) out.

use super::*;
use crate::model::outline::{OutlineEntry, outline};
use crate::model::words::{self, Voice};

/// The title page and the contents, measured.
#[derive(Debug, Clone)]
pub struct FrontGalley {
    pub tags: GalleyTags,
    /// The title page.
    pub title_page: Vec<Item>,
    /// The colophon, the page after it.
    pub colophon: Vec<Item>,
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

/// Measures the title page, the colophon and the contents.
pub fn measure_front(book: &Book, profile: &Profile, fonts: &FontBook) -> FrontGalley {
    let mut hyphenation = Hyphenation::default();
    let mut m = Measurer::new(book, profile, fonts, &mut hyphenation, 0);
    m.title_page();
    let title_page = std::mem::take(&mut m.items);
    m.colophon();
    let colophon = std::mem::take(&mut m.items);
    let contents = words::contents(&book.meta.lang);
    let toc_heading = m.tags.add(StructKind::Heading(1), None);
    m.tags.get_mut(toc_heading).title = Some(contents.text.into());
    m.tags.get_mut(toc_heading).lang = contents.lang.clone();
    let toc = m.tags.add(StructKind::Toc, None);
    let size = m.size();
    m.text_block(
        &[Inline::Text(contents.text.into())],
        toc_heading,
        m.body_frame(),
        size * profile.heading_scale[0],
        TextOptions {
            bold: true,
            hyphenate: false,
            justify: false,
            lang: contents.lang.as_ref(),
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
        colophon,
        toc_heading,
        toc,
        toc_title,
        entries,
        outline,
        uncovered: m.uncovered,
    }
}

/// The cover image takes at most this share of the title page's text height, below the title:
/// with the title moved up, room remains for a three-line title, the authors and the publisher.
const COVER_MAX_HEIGHT: f32 = 0.4;

/// What an edition offers readers, true of it: a tagged PDF (or, imposed, a file for the
/// printer that is not), its type size, and the large-print settings where it has them.
pub fn accessibility_statement(profile: &Profile, family: &str) -> String {
    if profile.sheet.is_some() {
        return "This booklet is imposed for printing and folding, and is not tagged for assistive technology; the book's other PDF editions are.".to_string();
    }
    let mut text = format!(
        "Accessibility: this PDF is tagged (PDF/UA-1). Its headings, lists, tables, figures with text descriptions, links, reading order and language are marked, so screen readers can read it aloud and it can be reflowed and searched. Text is set in {family} at {} pt",
        profile.font_size
    );
    if profile.small_scale >= 1.0 {
        text.push_str(", and no text is smaller");
    }
    if profile.line_spacing >= 1.5 {
        text.push_str(&format!(
            ", with lines {} times the type size apart",
            profile.line_spacing
        ));
    }
    if !profile.justify {
        text.push_str(", ragged right");
    }
    if !profile.hyphenate {
        text.push_str(", without hyphenation");
    }
    if profile.emphasis == crate::profile::Emphasis::Bold {
        text.push_str(", with emphasis in bold rather than italics");
    }
    text.push('.');
    text
}

/// Width kept for a page number at the end of a contents entry, in ems.
pub const TOC_NUMBER_EMS: f32 = 3.0;

impl Measurer<'_> {
    fn title_page(&mut self) {
        let meta = &self.book.meta;
        let profile = self.profile;
        // A quarter down the page; higher when a cover image comes below the title.
        let drop = if self.book.cover.is_some() {
            0.08
        } else {
            0.25
        };
        self.items.push(Item::MoveTo(
            profile.margin_top + profile.text_height() * drop,
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
        self.cover(frame);
        let bottom: Vec<String> = meta.publisher.iter().cloned().collect();
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

    /// The cover image, centred below the title, as a figure with its alt text; at most
    /// [`COVER_MAX_HEIGHT`] of the text block high.
    fn cover(&mut self, frame: Frame) {
        let Some(cover) = &self.book.cover else {
            return;
        };
        let Some(asset) = cover.asset else {
            return;
        };
        let Some((w, h)) = self.book.assets[asset.0].natural_size else {
            return;
        };
        let max_h = self.profile.text_height() * COVER_MAX_HEIGHT;
        let scale = (frame.width / w).min(max_h / h);
        let (width, height) = (w * scale, h * scale);
        self.items.push(Item::Space(self.size()));
        let node = self.node(StructKind::Figure, None);
        self.tags.get_mut(node).alt = match &cover.alt {
            Alt::Text(alt) => Some(alt.clone()),
            Alt::Decorative => None,
        };
        self.items.push(Item::Draw(Draw {
            kind: DrawKind::Image {
                asset,
                x: frame.left + (frame.width - width) / 2.0,
                y: 0.0,
                width,
                height,
            },
            owner: Owner::Node(node),
        }));
        self.items.push(Item::Space(height));
    }

    /// The colophon: the rights, the identifier, when and by whom the book was published, the
    /// fonts it is set in, and what this edition offers readers, in small type at the foot of
    /// the page (or from its top, when it is longer than a page).
    fn colophon(&mut self) {
        let meta = &self.book.meta;
        let frame = self.body_frame();
        let size = self.size() * self.profile.small_scale;
        let start = self.items.len();
        let mut paragraphs = meta.colophon();
        paragraphs.extend([
            (
                Voice::Inkfold,
                format!("Set in {}.", self.families().join(", ")),
            ),
            (
                Voice::Inkfold,
                accessibility_statement(self.profile, self.fonts.text_family()),
            ),
        ]);
        // inkfold's sentences are English in every book: marked so in one in another language.
        for (voice, text) in paragraphs {
            let lang = voice.lang(&meta.lang);
            let p = self.node(StructKind::P, None);
            self.tags.get_mut(p).lang = lang.clone();
            self.text_block(
                &[Inline::Text(text)],
                p,
                frame,
                size,
                TextOptions {
                    justify: false,
                    lang: lang.as_ref(),
                    ..TextOptions::default()
                },
            );
            self.items.push(Item::Space(size * 0.6));
        }
        let height: f32 = self.items[start..]
            .iter()
            .map(|item| match item {
                Item::Lines(lines) => lines.lines.len() as f32 * lines.style.line_height,
                Item::Space(d) => *d,
                _ => 0.0,
            })
            .sum();
        let top = (self.profile.text_bottom() - height).max(self.profile.margin_top);
        self.items.insert(start, Item::MoveTo(top));
    }

    /// The font families the book's text is set in: the text face's, the monospaced one's
    /// where there is code, and those that supply characters the text face lacks.
    fn families(&self) -> Vec<String> {
        let mut families = vec![self.fonts.text_family().to_string()];
        let mut has_code = false;
        for chapter in &self.book.chapters {
            chapter.walk(&mut |node| {
                has_code |= match node {
                    model::walk::Node::Block(block) => matches!(block.kind, BlockKind::Code { .. }),
                    model::walk::Node::Inline(inline) => matches!(
                        inline,
                        Inline::Code(_)
                            | Inline::Styled {
                                style: InlineStyle::Keyboard | InlineStyle::Sample,
                                ..
                            }
                    ),
                };
            });
        }
        if has_code {
            families.push(self.fonts.mono_family().to_string());
        }
        let text = self.fonts.face_for(Style::default());
        for c in crate::layout::book_chars(self.book) {
            if c.is_whitespace() || self.fonts.face(text).covers(c) {
                continue;
            }
            if let Some(face) = self.fonts.face_for_char(text, c) {
                let family = &self.fonts.face(face).info.family;
                if !families.contains(family) {
                    families.push(family.clone());
                }
            }
        }
        families
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

/// Outline entries to list in the contents, each with its depth: every chapter, however deeply
/// it nests (an mdBook's SUMMARY can nest chapters many levels deep, and each is listed), and
/// the sections of the outermost chapters (their second-level headings).
fn flatten_toc(entries: &[OutlineEntry]) -> Vec<(OutlineEntry, usize)> {
    fn walk(entries: &[OutlineEntry], depth: usize, out: &mut Vec<(OutlineEntry, usize)>) {
        for entry in entries {
            let chapter = entry.id.is_none();
            if chapter || depth <= 1 {
                out.push((entry.clone(), depth));
            }
            walk(&entry.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(entries, 0, &mut out);
    out
}
