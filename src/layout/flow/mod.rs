//! Pagination: the book in, a paged [`Document`] out. Blocks flow down pages inside the
//! margins: each chapter starts a page, headings keep with what follows, paragraphs split only
//! where both pages keep at least two lines (no widows or orphans), tables split between rows
//! with the header repeated, and figures scale to fit. Running heads and page numbers are
//! artifacts; the table of contents is set once the body's page numbers are known.

use std::collections::HashMap;

mod finish;
mod front;
mod table;

pub use finish::roman;
use front::flatten_toc;

use super::fonts::{FontBook, Style};
use super::hyphenate::Hyphenation;
use super::page::*;
use super::paragraph::{self, Line, ParagraphStyle, Piece};
use crate::config::PdfSettings;
use crate::diag::{Diagnostics, SourceMap, Span};
use crate::model::outline::{OutlineEntry, outline};
use crate::model::{self, *};

/// Lines a paragraph keeps together at the foot and head of a page (no orphans or widows).
const MIN_LINES_ON_PAGE: usize = 2;
/// Heading sizes by level, as multiples of the body size.
const HEADING_SCALE: [f32; 6] = [1.6, 1.3, 1.15, 1.0, 1.0, 1.0];
/// Space after a paragraph, in lines.
const PARAGRAPH_GAP: f32 = 0.5;
/// Indent of list bodies and block quotes, in ems.
const INDENT_EMS: f32 = 1.8;
/// Size of running heads, page numbers, captions and notes, relative to the body.
const SMALL: f32 = 0.85;
/// A figure takes at most this share of the page's text height.
const FIGURE_MAX_HEIGHT: f32 = 0.6;
/// Side of a QR code, in points (about 2 cm: comfortably scanned from a printed page).
const QR_SIDE: f32 = 56.0;
/// Smallest QR module, in points, so long addresses stay scannable.
const QR_MIN_MODULE: f32 = 1.4;
/// Padding inside table cells, in points.
const CELL_PADDING: f32 = 3.0;

/// Where on the page a block is set: an offset from the text block's left edge and a width.
#[derive(Debug, Clone, Copy)]
struct Frame {
    left: f32,
    width: f32,
}

/// The first half of a word hyphenated at a line end, waiting for its second half.
struct PendingWord {
    word: usize,
    page: usize,
    runs: Vec<TextRun>,
    owner: NodeId,
    actual: String,
    lang: Option<String>,
}

struct Flow<'a> {
    book: &'a Book,
    fonts: &'a FontBook,
    hyphenation: Hyphenation,
    s: PdfSettings,
    doc: Document,
    page: usize,
    /// Distance of the next line's top from the page top.
    y: f32,
    /// The running head of each page, if any.
    heads: Vec<Option<String>>,
    anchors: HashMap<String, (usize, f32)>,
    pending: Option<PendingWord>,
    diags: &'a mut Diagnostics,
    map: &'a SourceMap,
    /// The source span of the block being set, for errors.
    span: Option<Span>,
    chapter_title: Option<String>,
    /// The chapter being set.
    chapter: usize,
    /// The word whose first half ended the previous page.
    carried_word: Option<usize>,
    /// The chapter's top-level block being set, while a chapter is set.
    top_block: Option<usize>,
    /// How deep in nested blocks the flow is (1 for a chapter's own blocks).
    depth: usize,
}

/// Lays out the whole book for print. Errors (characters no font covers) go to `diags`.
pub fn layout(book: &Book, fonts: &FontBook, map: &SourceMap, diags: &mut Diagnostics) -> Document {
    let s = book.meta.pdf.clone();
    let mut flow = Flow {
        book,
        fonts,
        hyphenation: Hyphenation::default(),
        s,
        doc: Document::default(),
        page: 0,
        y: 0.0,
        heads: Vec::new(),
        anchors: HashMap::new(),
        pending: None,
        diags,
        map,
        span: None,
        chapter_title: None,
        chapter: 0,
        carried_word: None,
        top_block: None,
        depth: 0,
    };
    let root = flow.doc.add_node(StructKind::Document, None, true);
    flow.doc.nodes[root.0].lang = Some(book.meta.lang.to_string());

    // Front matter: the title page, then the contents, whose length is known in advance.
    let toc = outline(book);
    let toc_entries = flatten_toc(&toc);
    flow.new_page();
    flow.title_page(root);
    let toc_lines: Vec<Vec<Line>> = toc_entries
        .iter()
        .map(|(entry, depth)| flow.toc_entry_lines(entry, *depth))
        .collect();
    let toc_pages = flow.toc_page_count(&toc_lines);
    let toc_start = flow.doc.pages.len();
    flow.doc.front_pages = toc_start + toc_pages;
    for page in 0..flow.doc.front_pages {
        let place = if page < toc_start {
            PagePlace::TitlePage
        } else {
            PagePlace::Contents
        };
        flow.doc.page_starts.push(PageStart {
            label: roman(page + 1),
            place,
        });
    }
    for _ in 0..toc_pages {
        flow.new_page();
    }
    let toc_heading = flow.doc.add_node(StructKind::Heading(1), Some(root), true);
    let toc_node = flow.doc.add_node(StructKind::Toc, Some(root), true);

    let mut chapter_pages = Vec::new();
    for (index, chapter) in book.chapters.iter().enumerate() {
        flow.flush_pending();
        flow.new_page();
        chapter_pages.push(flow.page);
        flow.chapter(index, chapter, root);
    }
    flow.flush_pending();

    flow.page = toc_start;
    flow.y = flow.s.margin_top;
    flow.toc(toc_heading, toc_node, &toc_entries, toc_lines);
    flow.furniture(&chapter_pages);
    flow.resolve_links();
    flow.doc.outline = flow.outline(&toc, toc_start);
    flow.doc
}

fn anchor_for(chapter: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => id.to_string(),
        None => format!("chapter:{chapter}"),
    }
}

impl Flow<'_> {
    // ---- geometry --------------------------------------------------------------------------

    fn size(&self) -> f32 {
        self.s.font_size
    }

    fn line_height(&self, size: f32) -> f32 {
        size * self.s.line_spacing
    }

    /// The left edge of the text block: the inner margin on recto (odd-numbered) pages.
    fn text_left(&self, page: usize) -> f32 {
        if page.is_multiple_of(2) {
            self.s.margin_inner
        } else {
            self.s.margin_outer
        }
    }

    fn text_width(&self) -> f32 {
        self.s.page_width - self.s.margin_inner - self.s.margin_outer
    }

    fn text_bottom(&self) -> f32 {
        self.s.page_height - self.s.margin_bottom
    }

    fn text_height(&self) -> f32 {
        self.text_bottom() - self.s.margin_top
    }

    fn body_frame(&self) -> Frame {
        Frame {
            left: 0.0,
            width: self.text_width(),
        }
    }

    fn at_page_top(&self) -> bool {
        self.y <= self.s.margin_top + 0.01
    }

    fn room(&self) -> f32 {
        self.text_bottom() - self.y
    }

    fn new_page(&mut self) {
        // A word broken across the page break: its first half says the whole word.
        self.carried_word = self.pending.as_ref().map(|p| p.word);
        self.flush_pending();
        self.doc.pages.push(Page {
            width: self.s.page_width,
            height: self.s.page_height,
            ..Page::default()
        });
        self.heads.push(self.chapter_title.clone());
        self.page = self.doc.pages.len() - 1;
        self.y = self.s.margin_top;
        if let Some(block) = self.top_block {
            let place = PagePlace::Chapter {
                chapter: self.chapter,
                block,
            };
            self.page_start(place);
        }
    }

    fn page_start(&mut self, place: PagePlace) {
        let label = self.page_label(self.page);
        self.doc.page_starts.push(PageStart { label, place });
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    fn ensure_room(&mut self, height: f32) {
        if height > self.room() + 0.01 && !self.at_page_top() {
            self.new_page();
        }
    }

    // ---- text ------------------------------------------------------------------------------

    fn paragraph_style(&self, size: f32, width: f32, justify: bool) -> ParagraphStyle {
        let line_height = self.line_height(size);
        let face = self.fonts.face(self.fonts.face_for(Style::default()));
        let baseline =
            (line_height - (face.ascender - face.descender) * size) / 2.0 + face.ascender * size;
        ParagraphStyle {
            width,
            justify,
            line_height,
            baseline,
        }
    }

    fn set_lines(&mut self, pieces: &[Piece], style: ParagraphStyle) -> Vec<Line> {
        match paragraph::layout(pieces, style, self.fonts, &mut self.hyphenation) {
            Ok(lines) => lines,
            Err(uncovered) => {
                self.report_uncovered(uncovered.0);
                Vec::new()
            }
        }
    }

    fn report_uncovered(&mut self, c: char) {
        let location = match self.span {
            // Point at the character itself when the block's source shows it.
            Some(span) => {
                let text = &self.map.get(span.file).text;
                let at = text
                    .get(span.start..span.end)
                    .and_then(|block| block.find(c))
                    .map(|offset| span.start + offset);
                crate::diag::Location::Span(match at {
                    Some(at) => Span::new(span.file, at..at + c.len_utf8()),
                    None => span,
                })
            }
            None => crate::diag::Location::Path("book.toml".into()),
        };
        let code = u32::from(c);
        let shown = if c.is_control() || c.is_whitespace() || (0xE000..=0xF8FF).contains(&code) {
            format!("U+{code:04X}")
        } else {
            format!("`{c}` (U+{code:04X})")
        };
        self.diags
            .error(
                location,
                format!("the character {shown} is in no bundled font, so it cannot be printed"),
            )
            .hint("replace or remove the character; the PDF uses Atkinson Hyperlegible Next with Noto Sans as fallback");
    }

    /// The pieces of inline content owned by `owner`.
    fn pieces(
        &mut self,
        inlines: &[Inline],
        owner: NodeId,
        base: &Piece,
        out: &mut Vec<Piece>,
        images: &mut Vec<Image>,
    ) {
        for inline in inlines {
            match inline {
                Inline::Text(text) => out.push(Piece {
                    text: text.clone(),
                    owner,
                    ..base.clone()
                }),
                Inline::SoftBreak => out.push(Piece {
                    text: " ".into(),
                    owner,
                    ..base.clone()
                }),
                Inline::HardBreak => {
                    if let Some(last) = out.last_mut() {
                        last.break_after = true;
                    }
                }
                Inline::Emph(content) => {
                    let mut style = base.clone();
                    style.style.italic = true;
                    self.pieces(content, owner, &style, out, images);
                }
                Inline::Strong(content) => {
                    let mut style = base.clone();
                    style.style.bold = true;
                    self.pieces(content, owner, &style, out, images);
                }
                Inline::Strike(content) => {
                    let style = Piece {
                        strike: true,
                        ..base.clone()
                    };
                    self.pieces(content, owner, &style, out, images);
                }
                Inline::Code(code) => {
                    let node = self.doc.add_node(StructKind::Code, Some(owner), false);
                    out.push(Piece {
                        text: code.clone(),
                        owner: node,
                        style: Style {
                            mono: true,
                            ..base.style
                        },
                        hyphenate: false,
                        ..base.clone()
                    });
                }
                Inline::Link(link) => {
                    let node = self.doc.add_node(StructKind::Link, Some(owner), false);
                    let (target, description) = match &link.target {
                        model::LinkTarget::Url(url) => {
                            (LinkDest::Url(url.clone()), format!("Link to {url}"))
                        }
                        model::LinkTarget::Internal { chapter, id } => (
                            LinkDest::Anchor(anchor_for(*chapter, id.as_deref())),
                            format!("Link to {}", plain_text(&link.content)),
                        ),
                        model::LinkTarget::Unresolved(raw) => {
                            (LinkDest::Url(raw.clone()), raw.clone())
                        }
                    };
                    let style = Piece {
                        link: Some((target, description)),
                        underline: true,
                        ..base.clone()
                    };
                    self.pieces(&link.content, node, &style, out, images);
                }
                Inline::NoteRef(r) => {
                    let node = self.doc.add_node(StructKind::Link, Some(owner), false);
                    let note_id = self
                        .book
                        .chapters
                        .get(self.chapter)
                        .and_then(|c| c.notes.get(r.number.wrapping_sub(1)))
                        .map(|n| n.id.clone())
                        .unwrap_or_default();
                    out.push(Piece {
                        text: r.number.to_string(),
                        owner: node,
                        size: base.size * 0.7,
                        rise: base.size * 0.35,
                        link: Some((LinkDest::Anchor(note_id), format!("Note {}", r.number))),
                        anchor: Some(r.id.clone()),
                        hyphenate: false,
                        ..base.clone()
                    });
                }
                Inline::Image(image) => images.push(image.clone()),
                // A link target: registered where its paragraph is set.
                Inline::Anchor { id, .. } => out.push(Piece {
                    text: String::new(),
                    owner,
                    anchor: Some(id.clone()),
                    ..base.clone()
                }),
            }
        }
    }

    fn base_piece(&self, owner: NodeId, size: f32, lang: Option<&Lang>) -> Piece {
        Piece {
            text: String::new(),
            style: Style::default(),
            size,
            rise: 0.0,
            owner,
            link: None,
            anchor: None,
            lang: lang.unwrap_or(&self.book.meta.lang).to_string(),
            hyphenate: self.s.hyphenate,
            break_after: false,
            underline: false,
            strike: false,
        }
    }

    /// Places lines, moving to new pages as needed, without leaving fewer than two lines of the
    /// paragraph at the foot or head of a page.
    fn place_lines(&mut self, lines: &[Line], style: ParagraphStyle, frame: Frame, center: bool) {
        let n = lines.len();
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
            for line in &lines[i..i + take] {
                let shift = if center {
                    ((frame.width - line.width) / 2.0).max(0.0)
                } else {
                    0.0
                };
                self.place_line(line, frame.left + shift, style);
                self.y += style.line_height;
            }
            i += take;
            if i < n {
                self.new_page();
            }
        }
    }

    fn place_line(&mut self, line: &Line, left: f32, style: ParagraphStyle) {
        let x0 = self.text_left(self.page) + left;
        let top = self.y;
        let count = line.frags.len();
        for (k, frag) in line.frags.iter().enumerate() {
            for anchor in &frag.anchors {
                self.anchors
                    .entry(anchor.clone())
                    .or_insert((self.page, top));
            }
            let runs: Vec<TextRun> = frag
                .runs
                .iter()
                .map(|r| TextRun {
                    x: x0 + r.x,
                    baseline: top + style.baseline + r.baseline,
                    ..r.clone()
                })
                .collect();
            let lang = (frag.lang != self.book.meta.lang.as_str()).then(|| frag.lang.clone());
            if let Some((target, description)) = &frag.link {
                self.doc.push_link(
                    self.page,
                    LinkArea {
                        x: x0 + frag.x,
                        y: top,
                        width: frag.width,
                        height: style.line_height,
                        target: target.clone(),
                        node: frag.owner,
                        description: description.clone(),
                    },
                );
            }
            let size = frag.runs.first().map_or(self.size(), |r| r.size);
            for (drawn, offset) in [(frag.underline, 0.15), (frag.strike, -0.3)] {
                if drawn {
                    let y = top + style.baseline + size * offset;
                    self.rule(x0 + frag.x, y, x0 + frag.x + frag.width, y);
                }
            }
            match &frag.group {
                None => self.doc.push_draw(
                    self.page,
                    Draw {
                        kind: DrawKind::Text {
                            runs,
                            actual_text: None,
                            lang,
                        },
                        owner: Owner::Node(frag.owner),
                    },
                ),
                Some((word, text)) => {
                    let continues = matches!(&self.pending, Some(p) if p.word == *word)
                        || self.carried_word == Some(*word);
                    if continues && self.pending.as_ref().is_some_and(|p| p.page == self.page) {
                        if let Some(p) = &mut self.pending {
                            p.runs.extend(runs);
                        }
                    } else {
                        self.flush_pending();
                        self.pending = Some(PendingWord {
                            word: *word,
                            page: self.page,
                            runs,
                            owner: frag.owner,
                            // The second half on a new page: the first half already said it all.
                            actual: if continues {
                                String::new()
                            } else {
                                text.clone()
                            },
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

    /// Centred text (titles, captions) set in lines of even length: the narrowest measure that
    /// keeps the same number of lines, so no word is left alone on the last one.
    fn balance(&mut self, pieces: &[Piece], style: ParagraphStyle, lines: Vec<Line>) -> Vec<Line> {
        if lines.len() < 2 {
            return lines;
        }
        let (mut low, mut high) = (style.width * 0.3, style.width);
        let mut best = lines;
        for _ in 0..8 {
            let width = (low + high) / 2.0;
            let candidate = self.set_lines(pieces, ParagraphStyle { width, ..style });
            if candidate.len() == best.len() && candidate.iter().all(|l| l.width <= width + 0.01) {
                high = width;
                best = candidate;
            } else {
                low = width;
            }
        }
        best
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

    /// Sets inline content as a paragraph owned by `node`.
    fn text_block(
        &mut self,
        inlines: &[Inline],
        node: NodeId,
        frame: Frame,
        size: f32,
        opts: TextOptions,
    ) {
        let mut base = self.base_piece(node, size, opts.lang);
        base.style.bold = opts.bold;
        base.hyphenate &= opts.hyphenate;
        let mut pieces = opts.prefix;
        let mut images = Vec::new();
        self.pieces(inlines, node, &base, &mut pieces, &mut images);
        let style = self.paragraph_style(size, frame.width, opts.justify && self.s.justify);
        let mut lines = self.set_lines(&pieces, style);
        if opts.center {
            lines = self.balance(&pieces, style, lines);
        }
        for anchor in pieces
            .iter()
            .filter(|p| p.text.is_empty())
            .filter_map(|p| p.anchor.clone())
        {
            self.anchors.entry(anchor).or_insert((self.page, self.y));
        }
        self.place_lines(&lines, style, frame, opts.center);
        for image in images {
            self.figure(
                &Figure {
                    image,
                    caption: None,
                },
                node,
                frame,
            );
        }
    }

    // ---- front matter ----------------------------------------------------------------------

    // ---- body ------------------------------------------------------------------------------

    fn chapter(&mut self, index: usize, chapter: &Chapter, root: NodeId) {
        self.chapter = index;
        self.chapter_title = Some(chapter.title.clone());
        if let Some(head) = self.heads.last_mut() {
            *head = None;
        }
        self.anchors
            .insert(anchor_for(index, None), (self.page, self.s.margin_top));
        let section = self.doc.add_node(StructKind::Section, Some(root), true);
        self.page_start(PagePlace::Chapter {
            chapter: index,
            block: 0,
        });
        self.top_block = Some(0);
        // Chapters open a little way down the page.
        self.y += self.text_height() * 0.12;
        self.blocks(&chapter.blocks, section, self.body_frame());
        self.top_block = Some(chapter.blocks.len());
        if !chapter.notes.is_empty() {
            self.notes(chapter, section);
        }
        self.top_block = None;
    }

    fn blocks(&mut self, blocks: &[Block], parent: NodeId, frame: Frame) {
        self.depth += 1;
        for (i, block) in blocks.iter().enumerate() {
            self.span = Some(block.span);
            if self.depth == 1 && self.top_block.is_some() {
                self.top_block = Some(i);
            }
            let next = blocks.get(i + 1);
            // A paragraph that introduces a list ("Volunteer roles:") stays with its first items.
            if let (
                BlockKind::Paragraph(inlines),
                Some(Block {
                    kind: BlockKind::List(_),
                    ..
                }),
            ) = (&block.kind, next)
                && plain_text(inlines).trim_end().ends_with(':')
            {
                self.ensure_room(3.0 * self.line_height(self.size()));
            }
            self.block(block, parent, frame, next.is_some());
        }
        self.depth -= 1;
    }

    fn block(&mut self, block: &Block, parent: NodeId, frame: Frame, followed: bool) {
        let size = self.size();
        match &block.kind {
            BlockKind::Heading(h) => self.heading(h, parent, frame, followed),
            BlockKind::Paragraph(inlines) => {
                let node = self.doc.add_node(StructKind::P, Some(parent), true);
                self.text_block(inlines, node, frame, size, TextOptions::default());
                self.y += self.line_height(size) * PARAGRAPH_GAP;
            }
            BlockKind::Quote(blocks) => {
                let node = self
                    .doc
                    .add_node(StructKind::BlockQuote, Some(parent), true);
                let indent = size * INDENT_EMS;
                let inner = Frame {
                    left: frame.left + indent,
                    width: (frame.width - 2.0 * indent).max(size * 8.0),
                };
                self.blocks(blocks, node, inner);
            }
            BlockKind::List(list) => self.list(list, parent, frame),
            BlockKind::Definitions(defs) => self.definitions(defs, parent, frame),
            BlockKind::Code { text, .. } => self.code(text, parent, frame),
            BlockKind::Figure(figure) => self.figure(figure, parent, frame),
            BlockKind::Table(table) => self.table(table, parent, frame),
            BlockKind::Website { content, url } => self.website(content, url, parent, frame),
            BlockKind::Break => {
                let line = self.line_height(size);
                self.ensure_room(line);
                let x0 = self.text_left(self.page) + frame.left;
                let y = self.y + line / 2.0;
                self.rule(x0 + frame.width * 0.35, y, x0 + frame.width * 0.65, y);
                self.y += line;
            }
        }
    }

    /// A website: its QR code (a figure whose alt text says where it leads) with the linked
    /// address beside it, so a printed page can be scanned.
    fn website(&mut self, content: &[Inline], url: &str, parent: NodeId, frame: Frame) {
        let size = self.size();
        let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
            let node = self.doc.add_node(StructKind::P, Some(parent), true);
            self.text_block(content, node, frame, size, TextOptions::default());
            return;
        };
        let modules = code.width();
        let side = QR_SIDE.max(modules as f32 * QR_MIN_MODULE);
        let module = side / modules as f32;
        let gap = size;
        self.ensure_room(side + gap);
        let top = self.y;
        let x0 = self.text_left(self.page) + frame.left;
        let text_frame = Frame {
            left: frame.left + side + gap,
            width: (frame.width - side - gap).max(size * 8.0),
        };
        let node = self.doc.add_node(StructKind::P, Some(parent), true);
        self.y = top + (side - self.line_height(size)) / 2.0;
        self.text_block(
            content,
            node,
            text_frame,
            size,
            TextOptions {
                justify: false,
                hyphenate: false,
                ..TextOptions::default()
            },
        );
        let figure = self.doc.add_node(StructKind::Figure, Some(parent), true);
        self.doc.nodes[figure.0].alt = Some(format!("QR code linking to {url}"));
        let colors = code.to_colors();
        let mut rects = Vec::new();
        for (row, line) in colors.chunks(modules).enumerate() {
            // One rectangle per run of dark modules in a row.
            let mut col = 0;
            while col < line.len() {
                if line[col] == qrcode::Color::Dark {
                    let start = col;
                    while col < line.len() && line[col] == qrcode::Color::Dark {
                        col += 1;
                    }
                    rects.push([
                        x0 + start as f32 * module,
                        top + row as f32 * module,
                        (col - start) as f32 * module,
                        module,
                    ]);
                } else {
                    col += 1;
                }
            }
        }
        self.doc.push_draw(
            self.page,
            Draw {
                kind: DrawKind::Rects { rects },
                owner: Owner::Node(figure),
            },
        );
        self.y = top + side + gap;
    }

    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.doc.push_draw(
            self.page,
            Draw {
                kind: DrawKind::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    thickness: 0.5,
                },
                owner: Owner::Artifact(ArtifactKind::Layout),
            },
        );
    }

    fn heading(&mut self, h: &Heading, parent: NodeId, frame: Frame, followed: bool) {
        let size = self.size() * HEADING_SCALE[usize::from(h.level.number() - 1).min(5)];
        let line = self.line_height(size);
        if !self.at_page_top() {
            self.y += line * 0.6;
        }
        // Keep the heading with at least two lines of what follows.
        let keep = if followed {
            2.0 * self.line_height(self.size())
        } else {
            0.0
        };
        self.ensure_room(line + keep);
        let node = self
            .doc
            .add_node(StructKind::Heading(h.level.number()), Some(parent), true);
        self.doc.nodes[node.0].title = Some(plain_text(&h.content));
        self.doc.nodes[node.0].lang = h.lang.as_ref().map(ToString::to_string);
        self.anchors.insert(h.id.clone(), (self.page, self.y));
        self.text_block(
            &h.content,
            node,
            frame,
            size,
            TextOptions {
                bold: true,
                hyphenate: false,
                justify: false,
                lang: h.lang.as_ref(),
                ..TextOptions::default()
            },
        );
        self.y += self.line_height(self.size()) * 0.3;
    }

    fn list(&mut self, list: &List, parent: NodeId, frame: Frame) {
        let size = self.size();
        let node = self.doc.add_node(
            StructKind::List {
                numbered: list.start.is_some(),
            },
            Some(parent),
            true,
        );
        let indent = size * INDENT_EMS;
        let body = Frame {
            left: frame.left + indent,
            width: (frame.width - indent).max(size * 8.0),
        };
        for (i, item) in list.items.iter().enumerate() {
            let label = match (list.start, item.task) {
                (_, Some(true)) => "[x]".to_string(),
                (_, Some(false)) => "[ ]".to_string(),
                (Some(start), None) => format!("{}.", start + i as u64),
                (None, None) => "•".to_string(),
            };
            let li = self.doc.add_node(StructKind::ListItem, Some(node), true);
            // Room for three lines, so the first paragraph cannot leave its label behind.
            self.ensure_room(3.0 * self.line_height(size));
            self.label(&label, li, frame, indent);
            let lbody = self.doc.add_node(StructKind::ListBody, Some(li), true);
            for (k, block) in item.blocks.iter().enumerate() {
                self.span = Some(block.span);
                self.block(block, lbody, body, k + 1 < item.blocks.len());
                if list.tight && matches!(block.kind, BlockKind::Paragraph(_)) {
                    self.y -= self.line_height(size) * PARAGRAPH_GAP * 0.6;
                }
            }
        }
        self.y += self.line_height(size) * PARAGRAPH_GAP * 0.6;
    }

    /// A list label set right-aligned in the indent, on the baseline of the item's first line.
    fn label(&mut self, label: &str, item: NodeId, frame: Frame, indent: f32) {
        let size = self.size();
        let node = self.doc.add_node(StructKind::Label, Some(item), true);
        let Ok(runs) = self.fonts.shape(label, Style::default()) else {
            return;
        };
        let width: f32 = runs.iter().map(|r| r.width(size)).sum();
        let style = self.paragraph_style(size, frame.width, false);
        let x = self.text_left(self.page) + frame.left + indent - width - size * 0.4;
        let runs = place_runs(runs, x, self.y + style.baseline, size);
        self.push_text(self.page, runs, Owner::Node(node));
    }

    fn definitions(&mut self, defs: &[Definition], parent: NodeId, frame: Frame) {
        let size = self.size();
        let node = self
            .doc
            .add_node(StructKind::List { numbered: false }, Some(parent), true);
        let indent = size * INDENT_EMS;
        let body = Frame {
            left: frame.left + indent,
            width: (frame.width - indent).max(size * 8.0),
        };
        for def in defs {
            let item = self.doc.add_node(StructKind::ListItem, Some(node), true);
            let label = self.doc.add_node(StructKind::Label, Some(item), true);
            self.ensure_room(3.0 * self.line_height(size));
            self.text_block(
                &def.term,
                label,
                frame,
                size,
                TextOptions {
                    bold: true,
                    justify: false,
                    ..TextOptions::default()
                },
            );
            let lbody = self.doc.add_node(StructKind::ListBody, Some(item), true);
            for details in &def.details {
                self.blocks(details, lbody, body);
            }
        }
    }

    fn code(&mut self, text: &str, parent: NodeId, frame: Frame) {
        let size = self.size() * 0.9;
        let node = self.doc.add_node(StructKind::Code, Some(parent), true);
        let style = self.paragraph_style(size, frame.width, false);
        let mono = Style {
            mono: true,
            ..Style::default()
        };
        let mut lines = Vec::new();
        for source_line in text.trim_end_matches('\n').split('\n') {
            let shaped = match self.fonts.shape(source_line, mono) {
                Ok(shaped) => shaped,
                Err(uncovered) => {
                    self.report_uncovered(uncovered.0);
                    continue;
                }
            };
            let width: f32 = shaped.iter().map(|s| s.width(size)).sum();
            if source_line.trim().is_empty() {
                lines.push(Line::default());
                continue;
            }
            if width > frame.width {
                // Too wide for the page: wrap it like text, without hyphens.
                let mut piece = self.base_piece(node, size, None);
                piece.style = mono;
                piece.hyphenate = false;
                piece.text = source_line.to_string();
                lines.extend(self.set_lines(&[piece], style));
                continue;
            }
            // As written, indentation and all.
            let runs = place_runs(shaped, 0.0, 0.0, size);
            lines.push(Line {
                frags: vec![paragraph::Frag {
                    runs,
                    owner: node,
                    link: None,
                    underline: false,
                    strike: false,
                    anchors: Vec::new(),
                    group: None,
                    lang: self.book.meta.lang.to_string(),
                    x: 0.0,
                    width,
                }],
                width,
                hyphenated: false,
            });
        }
        self.place_lines(&lines, style, frame, false);
        self.y += self.line_height(self.size()) * PARAGRAPH_GAP;
    }

    fn figure(&mut self, figure: &Figure, parent: NodeId, frame: Frame) {
        let Some(asset) = figure.image.asset else {
            return;
        };
        let Some((w, h)) = image_size(&self.book.assets[asset.0]) else {
            return;
        };
        let max_h = self.text_height() * FIGURE_MAX_HEIGHT;
        let scale = (frame.width / w).min(max_h / h).min(1.0);
        let (width, height) = (w * scale, h * scale);
        let size = self.size();
        let caption_height = if figure.caption.is_some() {
            self.line_height(size * SMALL) * 2.0
        } else {
            0.0
        };
        self.ensure_room(height + caption_height);
        let x = self.text_left(self.page) + frame.left + (frame.width - width) / 2.0;
        let image = DrawKind::Image {
            asset,
            x,
            y: self.y,
            width,
            height,
        };
        let (owner, node) = match &figure.image.alt {
            Alt::Text(alt) => {
                let node = self.doc.add_node(StructKind::Figure, Some(parent), true);
                self.doc.nodes[node.0].alt = Some(alt.clone());
                (Owner::Node(node), Some(node))
            }
            Alt::Decorative => (Owner::Artifact(ArtifactKind::Layout), None),
        };
        self.doc.push_draw(self.page, Draw { kind: image, owner });
        self.y += height + size * 0.4;
        if let Some(caption) = &figure.caption {
            let parent = node.unwrap_or(parent);
            let caption_node = self.doc.add_node(StructKind::Caption, Some(parent), true);
            self.text_block(
                &[Inline::Text(caption.clone())],
                caption_node,
                frame,
                size * SMALL,
                TextOptions {
                    center: true,
                    justify: false,
                    ..TextOptions::default()
                },
            );
        }
        self.y += self.line_height(size) * PARAGRAPH_GAP;
    }

    fn notes(&mut self, chapter: &Chapter, section: NodeId) {
        let size = self.size() * SMALL;
        let line = self.line_height(size);
        self.ensure_room(line * 3.0);
        let x0 = self.text_left(self.page);
        self.y += line * 0.5;
        self.rule(x0, self.y, x0 + self.text_width() * 0.3, self.y);
        self.y += line * 0.5;
        for (i, note) in chapter.notes.iter().enumerate() {
            let node = self.doc.add_node(StructKind::Note, Some(section), true);
            self.anchors.insert(note.id.clone(), (self.page, self.y));
            let mut numbered = false;
            for block in &note.blocks {
                self.span = Some(block.span);
                match &block.kind {
                    BlockKind::Paragraph(inlines) => {
                        let p = self.doc.add_node(StructKind::P, Some(node), true);
                        let mut prefix = Vec::new();
                        if !numbered {
                            // The note's number links back to where the note is referred to.
                            let back = self.doc.add_node(StructKind::Link, Some(p), false);
                            let mut label = self.base_piece(back, size, None);
                            label.text = format!("{}. ", i + 1);
                            label.link = Some((
                                LinkDest::Anchor(note.ref_id.clone()),
                                format!("Back to the reference of note {}", i + 1),
                            ));
                            prefix.push(label);
                            numbered = true;
                        }
                        self.text_block(
                            inlines,
                            p,
                            self.body_frame(),
                            size,
                            TextOptions {
                                prefix,
                                ..TextOptions::default()
                            },
                        );
                        self.y += line * 0.3;
                    }
                    _ => self.block(block, node, self.body_frame(), false),
                }
            }
        }
    }

    // ---- finishing -------------------------------------------------------------------------
}

/// Options of a text block; the default is body text, justified and hyphenated.
struct TextOptions<'a> {
    bold: bool,
    center: bool,
    /// `false` forces ragged-right.
    justify: bool,
    hyphenate: bool,
    lang: Option<&'a Lang>,
    /// Pieces set before the content (a note's number).
    prefix: Vec<Piece>,
}

impl Default for TextOptions<'_> {
    fn default() -> Self {
        TextOptions {
            bold: false,
            center: false,
            justify: true,
            hyphenate: true,
            lang: None,
            prefix: Vec::new(),
        }
    }
}

/// Shaped runs set one after another from `x` on a baseline.
fn place_runs(
    shaped: Vec<super::fonts::Shaped>,
    mut x: f32,
    baseline: f32,
    size: f32,
) -> Vec<TextRun> {
    shaped
        .into_iter()
        .map(|s| {
            let width = s.width(size);
            let run = TextRun {
                x,
                baseline,
                face: s.face,
                size,
                text: s.text,
                glyphs: s.glyphs,
            };
            x += width;
            run
        })
        .collect()
}

/// The natural size of an image in points (pixels at 96 per inch; SVG user units as points).
pub fn image_size(asset: &Asset) -> Option<(f32, f32)> {
    match asset.media_type {
        MediaType::Png | MediaType::Jpeg => {
            let size = imagesize::blob_size(&asset.bytes).ok()?;
            Some((size.width as f32 * 0.75, size.height as f32 * 0.75))
        }
        MediaType::Svg => {
            let tree = usvg::Tree::from_data(&asset.bytes, &usvg::Options::default()).ok()?;
            Some((tree.size().width(), tree.size().height()))
        }
    }
    .filter(|(w, h)| *w > 0.0 && *h > 0.0)
}
