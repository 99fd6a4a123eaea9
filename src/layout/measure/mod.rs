//! Measuring: the book, a print profile and the font book in; one [`ChapterGalley`] per chapter
//! (and a [`FrontGalley`] for the title page and contents) out. Blocks become shaped lines,
//! drawings and the keep rules pagination follows: headings keep with what follows, a paragraph
//! ending in ":" keeps with its list, figures scale to fit, tables are set once into rows.
//! Chapters are measured independently of each other and of the pages they will fall on.

use super::cache::{self, GalleyCache};
use super::code_style;
use super::document::{Anchor, ArtifactKind, Draw, DrawKind, InlinePos, LinkDest, Owner, TextRun};
use super::fonts::{FontBook, Shaped, Style};
use super::galley::{ChapterGalley, Item, Lines, Unit, UnitPart};
use super::hyphenate::Hyphenation;
use super::paragraph::{self, Line, ParagraphStyle, Piece};
use super::tags::{GalleyTags, NodeId, StructKind};
use crate::diag::Span;
use crate::lang::Lang;
use crate::model::text as counted;
use crate::model::{self, *};
use crate::profile::{Emphasis, Profile};

mod front;
mod table;

pub use front::{FrontGalley, TocEntry, measure_front};

/// Indent of list bodies and block quotes, in ems.
pub const INDENT_EMS: f32 = 1.8;
/// A figure takes at most this share of the page's text height.
const FIGURE_MAX_HEIGHT: f32 = 0.6;
/// Side of a QR code, in points (about 2 cm: comfortably scanned from a printed page).
const QR_SIDE: f32 = 56.0;
/// Smallest QR module, in points, so long addresses stay scannable.
const QR_MIN_MODULE: f32 = 1.4;
/// Padding inside table cells, in points.
const CELL_PADDING: f32 = 3.0;
/// A wrapped code line's continuations start this many ems in from its indentation, room for
/// the continuation mark.
const HANGING_INDENT_EMS: f32 = 2.0;
/// The mark before a wrapped code line's continuation (drawn as layout, not text).
const CONTINUATION_MARK: &str = "→";
/// Space after a heading, in body lines.
const HEADING_SPACE_AFTER: f32 = 0.3;
/// The room an admonition's rule takes above and below its block, in lines of body text: a
/// rule in the middle of a gap shorter than a blank line sets the note off without breaking
/// the page's rhythm more than a paragraph gap does.
const ADMONITION_RULE_LINES: f32 = 0.6;
/// Superscripts (set at the profile's script scale) are raised by this share of it (their x-height stands near the cap height),
const SUPERSCRIPT_RISE: f32 = 0.35;
/// and subscripts lowered by this share (below the baseline, above the descenders).
const SUBSCRIPT_DROP: f32 = 0.15;
/// How many times superscripts and subscripts in each other shrink and move: the sizes of
/// TeX's script and scriptscript styles. Deeper ones stay at the second level's size.
const MAX_SCRIPT_LEVELS: u8 = 2;
/// Chapters open this share of the text height down the page.
const CHAPTER_DROP: f32 = 0.12;

/// Measures every chapter of the book on the thread pool, handing each galley to `done` with
/// its chapter's index as soon as it is set. Chapters are set independently of each other and
/// of the pages, each thread with its own hyphenation cache; they are taken in the book's order,
/// so galleys come out nearly in order and pagination can follow close behind.
pub fn measure_each(
    book: &Book,
    profile: &Profile,
    fonts: &FontBook,
    cache: Option<&GalleyCache>,
    done: impl Fn(usize, ChapterGalley) + Sync,
) {
    use rayon::prelude::*;
    let shared = cache.map(|_| cache::Shared::of(book, profile, fonts));
    (0..book.chapters.len()).par_bridge().for_each_init(
        Hyphenation::default,
        |hyphenation, index| {
            let mut measure = || measure_chapter(book, index, profile, fonts, hyphenation);
            let galley = match (cache, shared) {
                (Some(cache), Some(shared)) => cache.galley(book, index, shared, measure),
                _ => measure(),
            };
            done(index, galley);
        },
    );
}

/// Measures one chapter: its blocks, then its notes.
pub fn measure_chapter(
    book: &Book,
    index: usize,
    profile: &Profile,
    fonts: &FontBook,
    hyphenation: &mut Hyphenation,
) -> ChapterGalley {
    let chapter = &book.chapters[index];
    // A part of the chapter before it runs on; a chapter opens a little way down a new page.
    let nested = index > 0 && chapter.level() > HeadingLevel::H1;
    let mut m = Measurer::new(book, profile, fonts, hyphenation, index);
    // A chapter in another language than the book's: its section says so, and its text is set
    // and hyphenated in it.
    m.lang = chapter.lang(&book.meta);
    m.rtl = chapter.direction(&book.meta) == crate::lang::Direction::Rtl;
    let section = m.node(StructKind::Section, None);
    if chapter.lang.is_some() {
        m.tags.get_mut(section).lang = chapter.lang.clone();
    }
    // A part that opens with its heading starts where the heading goes (the contents and the
    // bookmarks point there); anything else starts where it is.
    let opens_with_heading = matches!(
        chapter.blocks.first().map(|b| &b.kind),
        Some(BlockKind::Heading(_))
    );
    if nested && opens_with_heading {
        m.start_mark = Some(Anchor::Chapter(index));
    } else {
        m.items.push(Item::Mark(Anchor::Chapter(index)));
    }
    // A leaflet starts at the top of its page.
    if !nested && profile.front_matter {
        m.items
            .push(Item::Space(profile.text_height() * CHAPTER_DROP));
    }
    m.blocks(&chapter.blocks, section, m.body_frame());
    m.top_level(chapter.blocks.len());
    if !chapter.notes.is_empty() {
        m.notes(chapter, section);
    }
    ChapterGalley {
        chapter: index,
        title: chapter.title.clone(),
        nested,
        tags: m.tags,
        items: m.items,
        uncovered: m.uncovered,
    }
}

/// Where on the page a block is set: an offset from the text block's left edge and a width.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    left: f32,
    width: f32,
}

/// The state of measuring one galley.
pub(crate) struct Measurer<'a> {
    book: &'a Book,
    profile: &'a Profile,
    fonts: &'a FontBook,
    hyphenation: &'a mut Hyphenation,
    /// The chapter being measured (for its notes).
    chapter: usize,
    tags: GalleyTags,
    items: Vec<Item>,
    uncovered: Vec<(Option<Span>, char)>,
    /// The source span of the block being set, for errors.
    span: Option<Span>,
    /// How deep in nested blocks measuring is (1 for a chapter's own blocks).
    depth: usize,
    /// Where the next piece of text begins in the chapter.
    cursor: InlinePos,
    /// Code lines wrapped so far: each one's pieces form a group with the line's text.
    code_wraps: usize,
    /// The language of the text being measured: the chapter's, or the book's.
    lang: &'a Lang,
    /// The text runs right to left (the chapter's direction): lines are set from the right, and
    /// list labels and indents are on the right.
    rtl: bool,
    /// The chapter's start, marked where its opening heading is placed: a part of the chapter
    /// before it runs on, and its heading may be kept with what follows on the next page.
    start_mark: Option<Anchor>,
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

/// Inline content set into lines, with what goes around them.
struct SetText {
    /// Link targets with no text of their own, registered where the text begins.
    marks: Vec<Anchor>,
    lines: Vec<Line>,
    style: ParagraphStyle,
    /// Images inside the text, set as figures after it.
    images: Vec<model::Image>,
}

impl<'a> Measurer<'a> {
    fn new(
        book: &'a Book,
        profile: &'a Profile,
        fonts: &'a FontBook,
        hyphenation: &'a mut Hyphenation,
        chapter: usize,
    ) -> Self {
        Measurer {
            book,
            profile,
            fonts,
            hyphenation,
            chapter,
            tags: GalleyTags::default(),
            items: Vec::new(),
            uncovered: Vec::new(),
            span: None,
            depth: 0,
            cursor: InlinePos::default(),
            code_wraps: 0,
            lang: &book.meta.lang,
            rtl: false,
            start_mark: None,
        }
    }

    // ---- geometry --------------------------------------------------------------------------

    fn size(&self) -> f32 {
        self.profile.font_size
    }

    fn line_height(&self, size: f32) -> f32 {
        self.profile.line_height(size)
    }

    fn body_frame(&self) -> Frame {
        Frame {
            left: 0.0,
            width: self.profile.text_width(),
        }
    }

    fn paragraph_style(&self, size: f32, width: f32, justify: bool) -> ParagraphStyle {
        ParagraphStyle {
            rtl: self.rtl,
            ..ParagraphStyle::new(self.profile, self.fonts, size, width, justify)
        }
    }

    /// A frame indented on both sides, as a quotation or an admonition is set.
    fn inset(&self, frame: Frame) -> Frame {
        let indent = self.size() * INDENT_EMS;
        Frame {
            left: frame.left + indent,
            width: (frame.width - 2.0 * indent).max(self.size() * 8.0),
        }
    }

    /// A frame indented by `indent` at the start of its lines (the right, right to left).
    fn indented(&self, frame: Frame, indent: f32) -> Frame {
        let width = (frame.width - indent).max(self.size() * 8.0);
        Frame {
            left: if self.rtl {
                frame.left
            } else {
                frame.left + indent
            },
            width,
        }
    }

    // ---- tags and items ----------------------------------------------------------------------

    /// A block node, joining its parent here.
    fn node(&mut self, kind: StructKind, parent: Option<NodeId>) -> NodeId {
        let id = self.tags.add(kind, parent);
        self.items.push(Item::Attach(id));
        id
    }

    /// A top-level block begins.
    fn top_level(&mut self, block: usize) {
        self.items.push(Item::Block(block));
        self.cursor = InlinePos { block, offset: 0 };
    }

    // ---- text ------------------------------------------------------------------------------

    fn set_lines(&mut self, pieces: &[Piece], style: ParagraphStyle) -> Vec<Line> {
        let mut uncovered = Vec::new();
        let lines = paragraph::layout(pieces, style, self.fonts, self.hyphenation, &mut uncovered);
        self.note_uncovered(&uncovered);
        lines
    }

    /// Text shaped in a style (code, and the marks set with it); characters no font has are
    /// noted and set blank. In a language with forms of its own for Han characters or Arabic
    /// letters (Japanese, Chinese, Korean, Urdu) the text takes them, as its comments and
    /// strings are written in it; other text is shaped with no language.
    fn shape(&mut self, text: &str, style: Style) -> Vec<Shaped> {
        let mut uncovered = Vec::new();
        let shaped = match self.fonts.lang_face(Some(self.lang)) {
            Some(_) => {
                let mut shaped = Vec::new();
                self.fonts
                    .shape_each_in(text, style, self.lang, &mut uncovered, |run| {
                        shaped.push(run.clone())
                    });
                shaped
            }
            None => self.fonts.shape_all(text, style, &mut uncovered),
        };
        self.note_uncovered(&uncovered);
        shaped
    }

    /// Notes the first character of a text that no font has, for an error where its block is.
    fn note_uncovered(&mut self, uncovered: &[char]) {
        if let Some(&c) = uncovered.first() {
            self.uncovered.push((self.span, c));
        }
    }

    /// A piece of text at the cursor, which moves past it: what [`counted`] says an inline or
    /// a note's number contributes, and nothing else, so the e-book's page markers find it.
    fn piece(&mut self, text: String, owner: NodeId, base: &Piece) -> Piece {
        let pos = self.cursor;
        self.cursor.offset += text.len();
        Piece {
            text,
            owner,
            pos,
            ..base.clone()
        }
    }

    /// The pieces of inline content owned by `owner`.
    fn pieces(
        &mut self,
        inlines: &[Inline],
        owner: NodeId,
        base: &Piece,
        out: &mut Vec<Piece>,
        images: &mut Vec<model::Image>,
    ) {
        for inline in inlines {
            match inline {
                Inline::Text(_) | Inline::SoftBreak => {
                    out.push(self.piece(counted::own_text(inline).into_owned(), owner, base));
                }
                Inline::HardBreak => {
                    if let Some(last) = out.last_mut() {
                        last.break_after = true;
                    }
                }
                Inline::Emph(content) => {
                    let mut style = base.clone();
                    self.emphasize(&mut style);
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
                Inline::Code(_) => {
                    let node = self.tags.add(StructKind::Code, Some(owner));
                    let style = Piece {
                        style: Style {
                            mono: true,
                            ..base.style
                        },
                        hyphenate: false,
                        ..base.clone()
                    };
                    out.push(self.piece(counted::own_text(inline).into_owned(), node, &style));
                }
                Inline::Link(link) if link.target == model::LinkTarget::Elsewhere => {
                    self.pieces(&link.content, owner, base, out, images);
                }
                Inline::Link(link) => {
                    let node = self.tags.add(StructKind::Link, Some(owner));
                    let (target, description) = match &link.target {
                        model::LinkTarget::Url(url) => {
                            (LinkDest::Url(url.clone()), format!("Link to {url}"))
                        }
                        model::LinkTarget::Internal { chapter, id } => (
                            LinkDest::Anchor(Anchor::in_chapter(*chapter, id.as_ref())),
                            format!("Link to {}", plain_text(&link.content)),
                        ),
                        model::LinkTarget::Unresolved(raw) => {
                            (LinkDest::Url(raw.clone()), raw.clone())
                        }
                        model::LinkTarget::Elsewhere => {
                            (LinkDest::Url(String::new()), String::new())
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
                    let node = self.tags.add(StructKind::Link, Some(owner));
                    let note = self.book.chapters[self.chapter].note(r.number);
                    let note_id = note.map(|n| n.id.clone()).unwrap_or_default();
                    let style = Piece {
                        size: base.size * self.profile.script_scale,
                        rise: base.size * SUPERSCRIPT_RISE,
                        link: Some((
                            LinkDest::Anchor(Anchor::Id(self.chapter, note_id)),
                            format!("Note {}", r.number),
                        )),
                        anchor: Some(Anchor::Id(self.chapter, r.id.clone())),
                        hyphenate: false,
                        ..base.clone()
                    };
                    out.push(self.piece(counted::own_text(inline).into_owned(), node, &style));
                }
                Inline::Styled { style, content } => {
                    self.styled_pieces(style, content, owner, base, out, images);
                }
                Inline::Image(image) => images.push(image.clone()),
                // A link target: registered where its paragraph is set.
                Inline::Anchor { id, .. } => out.push(Piece {
                    anchor: Some(Anchor::Id(self.chapter, id.clone())),
                    ..self.piece(String::new(), owner, base)
                }),
            }
        }
    }

    /// The pieces of inline HTML that carries meaning: superscripts and subscripts raised or
    /// lowered and smaller, keys and program text in the code face, titles and terms in italics,
    /// quotations in quotation marks, an abbreviation in a span with its expansion, a phrase
    /// in its own language (for hyphenation and the PDF's /Lang).
    fn styled_pieces(
        &mut self,
        style: &InlineStyle,
        content: &[Inline],
        owner: NodeId,
        base: &Piece,
        out: &mut Vec<Piece>,
        images: &mut Vec<model::Image>,
    ) {
        let mut piece = base.clone();
        let mut owner = owner;
        match style {
            InlineStyle::Superscript | InlineStyle::Subscript => {
                // A script in a script shrinks and moves again (an exponent's exponent), but
                // only for two levels: ten nested `<sup>` at a scale of 0.7 would print at
                // 0.34 pt, far above the line. A deeper script is set as the level around it.
                if base.script_level < MAX_SCRIPT_LEVELS {
                    piece.script_level = base.script_level + 1;
                    piece.size = base.size * self.profile.script_scale;
                    piece.rise = if matches!(style, InlineStyle::Superscript) {
                        base.rise + base.size * SUPERSCRIPT_RISE
                    } else {
                        base.rise - base.size * SUBSCRIPT_DROP
                    };
                }
            }
            InlineStyle::Keyboard | InlineStyle::Sample => {
                piece.style.mono = true;
                piece.hyphenate = false;
            }
            InlineStyle::Variable | InlineStyle::Cite | InlineStyle::Definition => {
                self.emphasize(&mut piece);
            }
            InlineStyle::Mark => piece.style.bold = true,
            InlineStyle::Small => piece.size = base.size * self.profile.small_scale,
            InlineStyle::Inserted => piece.underline = true,
            // Set as text in its quotation marks, below.
            InlineStyle::Quotation => {}
            // Print has no room above the line: an annotation follows its text, at its size
            // (large print keeps it large), in the author's parentheses.
            InlineStyle::Ruby | InlineStyle::RubyText | InlineStyle::RubyParenthesis => {}
            InlineStyle::Abbreviation { title } => {
                if let Some(title) = title {
                    owner = self.tags.add(
                        StructKind::Span {
                            expanded: title.clone(),
                        },
                        Some(owner),
                    );
                }
            }
            InlineStyle::Span { lang, .. } => {
                if let Some(lang) = lang {
                    piece.lang = lang.clone();
                }
            }
        }
        let (open, close) = counted::marks(style);
        if !open.is_empty() {
            out.push(self.piece(open.into(), owner, &piece));
        }
        self.pieces(content, owner, &piece, out, images);
        if !close.is_empty() {
            out.push(self.piece(close.into(), owner, &piece));
        }
    }

    /// Sets a piece in the profile's emphasis: italic, or bold for large print.
    fn emphasize(&self, piece: &mut Piece) {
        match self.profile.emphasis {
            Emphasis::Italic => piece.style.italic = true,
            Emphasis::Bold => piece.style.bold = true,
        }
    }

    fn base_piece(&self, owner: NodeId, size: f32, lang: Option<&Lang>) -> Piece {
        Piece {
            text: String::new(),
            style: Style::default(),
            size,
            rise: 0.0,
            script_level: 0,
            owner,
            link: None,
            anchor: None,
            lang: lang.unwrap_or(self.lang).clone(),
            pos: self.cursor,
            hyphenate: self.profile.hyphenate,
            break_after: false,
            underline: false,
            strike: false,
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

    /// Sets inline content owned by `node` into lines.
    fn set_text(
        &mut self,
        inlines: &[Inline],
        node: NodeId,
        frame: Frame,
        size: f32,
        opts: TextOptions,
    ) -> SetText {
        let mut base = self.base_piece(node, size, opts.lang);
        base.style.bold = opts.bold;
        base.hyphenate &= opts.hyphenate;
        let mut pieces = opts.prefix;
        let mut images = Vec::new();
        self.pieces(inlines, node, &base, &mut pieces, &mut images);
        let style = self.paragraph_style(size, frame.width, opts.justify && self.profile.justify);
        let mut lines = self.set_lines(&pieces, style);
        if opts.center {
            lines = self.balance(&pieces, style, lines);
        }
        let marks = pieces
            .iter()
            .filter(|p| p.text.is_empty())
            .filter_map(|p| p.anchor.clone())
            .collect();
        SetText {
            marks,
            lines,
            style,
            images,
        }
    }

    /// Sets inline content as a paragraph owned by `node`: its lines, then its images.
    fn text_block(
        &mut self,
        inlines: &[Inline],
        node: NodeId,
        frame: Frame,
        size: f32,
        opts: TextOptions,
    ) {
        let center = opts.center;
        let set = self.set_text(inlines, node, frame, size, opts);
        self.items.extend(set.marks.into_iter().map(Item::Mark));
        self.items.push(Item::Lines(Lines {
            lines: set.lines,
            style: set.style,
            left: frame.left,
            width: frame.width,
            center,
        }));
        for image in set.images {
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

    // ---- blocks ----------------------------------------------------------------------------

    fn blocks(&mut self, blocks: &[Block], parent: NodeId, frame: Frame) {
        self.depth += 1;
        for (i, block) in blocks.iter().enumerate() {
            self.span = Some(block.span);
            if self.depth == 1 {
                self.top_level(i);
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
                self.items
                    .push(Item::NeedRoom(3.0 * self.line_height(self.size())));
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
                let node = self.node(StructKind::P, Some(parent));
                self.text_block(inlines, node, frame, size, TextOptions::default());
                self.items.push(Item::Space(
                    self.line_height(size) * self.profile.paragraph_gap,
                ));
            }
            BlockKind::Quote(blocks) => {
                let node = self.node(StructKind::BlockQuote, Some(parent));
                let inner = self.inset(frame);
                self.blocks(blocks, node, inner);
            }
            BlockKind::Admonition { kind, blocks } => self.admonition(*kind, blocks, parent, frame),
            BlockKind::List(list) => self.list(list, parent, frame),
            BlockKind::Definitions(defs) => self.definitions(defs, parent, frame),
            BlockKind::Code {
                text, highlight, ..
            } => self.code(text, highlight, parent, frame),
            BlockKind::Figure(figure) => self.figure(figure, parent, frame),
            BlockKind::Table(table) => self.table(table, parent, frame),
            BlockKind::Website { content, url } => self.website(content, url, parent, frame),
            BlockKind::Break => {
                let line = self.line_height(size);
                self.items.push(Item::NeedRoom(line));
                let y = line / 2.0;
                self.items.push(Item::Draw(Draw::rule(
                    frame.left + frame.width * 0.35,
                    y,
                    frame.left + frame.width * 0.65,
                    y,
                )));
                self.items.push(Item::Space(line));
            }
        }
    }

    /// An admonition: set off by rules above and below and indented like a quote, its label
    /// (the words `model::admonition` gives, counted as text) in bold before its blocks, so it
    /// reads in greyscale. Tagged as a section holding the label's paragraph and the blocks.
    fn admonition(&mut self, kind: AdmonitionKind, blocks: &[Block], parent: NodeId, frame: Frame) {
        let size = self.size();
        let line = self.line_height(size);
        // The rule, the label and two lines of the text stay together.
        self.items
            .push(Item::NeedRoom((ADMONITION_RULE_LINES + 3.0) * line));
        let node = self.node(StructKind::Admonition, Some(parent));
        let inner = self.inset(frame);
        self.admonition_rule(inner);
        let label = kind.label(self.lang);
        let label_node = self.node(StructKind::P, Some(node));
        self.tags.get_mut(label_node).lang = label.lang.clone();
        self.text_block(
            &[Inline::Text(label.text.to_string())],
            label_node,
            inner,
            size,
            TextOptions {
                bold: true,
                justify: false,
                hyphenate: false,
                lang: label.lang.as_ref(),
                ..TextOptions::default()
            },
        );
        self.blocks(blocks, node, inner);
        self.admonition_rule(inner);
        // Apart from what follows as a paragraph is, so two notes' rules do not touch.
        self.items
            .push(Item::Space(line * self.profile.paragraph_gap));
    }

    /// A rule across an admonition's frame, in the middle of [`ADMONITION_RULE_LINES`].
    fn admonition_rule(&mut self, frame: Frame) {
        let gap = ADMONITION_RULE_LINES * self.line_height(self.size());
        let y = gap / 2.0;
        self.items.push(Item::Draw(Draw::rule(
            frame.left,
            y,
            frame.left + frame.width,
            y,
        )));
        self.items.push(Item::Space(gap));
    }

    fn heading(&mut self, h: &Heading, parent: NodeId, frame: Frame, followed: bool) {
        // The size the author chose; the level readers navigate by.
        let size =
            self.size() * self.profile.heading_scale[usize::from(h.look.number() - 1).min(5)];
        let line = self.line_height(size);
        self.items.push(Item::SpaceUnlessTop(line * 0.6));
        // Keep the heading with at least two lines of what follows, and the space between.
        let keep = if followed {
            (2.0 + HEADING_SPACE_AFTER) * self.line_height(self.size())
        } else {
            0.0
        };
        self.items.push(Item::NeedRoom(line + keep));
        if let Some(start) = self.start_mark.take() {
            self.items.push(Item::Mark(start));
        }
        let node = self.node(StructKind::Heading(h.level.number()), Some(parent));
        let spec = self.tags.get_mut(node);
        spec.title = Some(plain_text(&h.content));
        spec.lang = h.lang.clone();
        self.items
            .push(Item::Mark(Anchor::Id(self.chapter, h.id.clone())));
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
        self.items.push(Item::Space(
            self.line_height(self.size()) * HEADING_SPACE_AFTER,
        ));
    }

    fn list(&mut self, list: &List, parent: NodeId, frame: Frame) {
        let size = self.size();
        let node = self.node(
            StructKind::List {
                numbered: list.start.is_some(),
            },
            Some(parent),
        );
        let indent = size * INDENT_EMS;
        let body = self.indented(frame, indent);
        for (i, item) in list.items.iter().enumerate() {
            let label = match (list.start, item.task) {
                (_, Some(true)) => "[x]".to_string(),
                (_, Some(false)) => "[ ]".to_string(),
                (Some(start), None) => format!("{}.", start + i as u64),
                (None, None) => "•".to_string(),
            };
            let li = self.node(StructKind::ListItem, Some(node));
            // Room for three lines, so the first paragraph cannot leave its label behind.
            self.items
                .push(Item::NeedRoom(3.0 * self.line_height(size)));
            self.label(&label, li, frame, indent);
            let lbody = self.node(StructKind::ListBody, Some(li));
            for (k, block) in item.blocks.iter().enumerate() {
                self.span = Some(block.span);
                self.block(block, lbody, body, k + 1 < item.blocks.len());
                if list.tight && matches!(block.kind, BlockKind::Paragraph(_)) {
                    self.items.push(Item::Space(
                        -self.line_height(size) * self.profile.paragraph_gap * 0.6,
                    ));
                }
            }
        }
        self.items.push(Item::Space(
            self.line_height(size) * self.profile.paragraph_gap * 0.6,
        ));
    }

    /// A list label set in the indent against the item's text, on the baseline of the item's
    /// first line.
    fn label(&mut self, label: &str, item: NodeId, frame: Frame, indent: f32) {
        let size = self.size();
        let node = self.node(StructKind::Label, Some(item));
        // Right to left, the number (or letter) and the punctuation after it are placed as a
        // right-to-left paragraph orders them: "1." stands as ".1" from the left, as reading
        // systems show the e-book's list.
        let parts: Vec<&str> = if self.rtl {
            split_alphanumeric(label)
        } else {
            vec![label]
        };
        let mut runs = Vec::new();
        for part in parts {
            let Ok(shaped) = self.fonts.shape(part, Style::default()) else {
                return;
            };
            runs.extend(shaped);
        }
        let width: f32 = runs.iter().map(|r| r.width(size)).sum();
        let style = self.paragraph_style(size, frame.width, false);
        let gap = size * 0.4;
        let x = if self.rtl {
            frame.left + frame.width - indent + gap
        } else {
            frame.left + indent - width - gap
        };
        self.items.push(Item::Draw(Draw {
            kind: text_draw(place_runs_in(runs, x, (style.baseline, size), self.rtl)),
            owner: Owner::Node(node),
        }));
    }

    fn definitions(&mut self, defs: &[Definition], parent: NodeId, frame: Frame) {
        let size = self.size();
        let node = self.node(StructKind::List { numbered: false }, Some(parent));
        let indent = size * INDENT_EMS;
        let body = self.indented(frame, indent);
        for def in defs {
            let item = self.node(StructKind::ListItem, Some(node));
            let label = self.node(StructKind::Label, Some(item));
            self.items
                .push(Item::NeedRoom(3.0 * self.line_height(size)));
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
            let lbody = self.node(StructKind::ListBody, Some(item));
            for details in &def.details {
                self.blocks(details, lbody, body);
            }
        }
    }

    fn code(&mut self, text: &str, highlight: &Highlight, parent: NodeId, frame: Frame) {
        let size = self.size() * 0.9;
        let node = self.node(StructKind::Code, Some(parent));
        let style = self.paragraph_style(size, frame.width, false);
        let mut lines = Vec::new();
        let start = self.cursor;
        self.cursor.offset += counted::code_len(text);
        for (at, source_line) in counted::code_lines(text) {
            let pos = InlinePos {
                offset: start.offset + at,
                ..start
            };
            // Where the line's tokens are, from its start; a line whose pieces would not
            // shape apart as they shape together is set whole, plain.
            let pieces: Vec<CodePiece> = if shapes_apart(source_line) {
                highlight
                    .pieces(at..at + source_line.len())
                    .into_iter()
                    .map(|(range, kind)| (range.start - at..range.end - at, kind))
                    .collect()
            } else {
                vec![(0..source_line.len(), None)]
            };
            let (shaped, kinds) = self.shape_code(source_line, &pieces);
            let width: f32 = shaped.iter().map(|s| s.width(size)).sum();
            if source_line.trim().is_empty() {
                lines.push(Line::default());
                continue;
            }
            if width > frame.width {
                self.wrap_code(
                    source_line,
                    &pieces,
                    node,
                    (pos, size, frame.width),
                    &mut lines,
                );
                continue;
            }
            // As written, indentation and all.
            let runs = place_code_runs(shaped, &kinds, 0.0, size);
            lines.push(self.code_line(runs, node, pos, None));
        }
        self.items.push(Item::Lines(Lines {
            lines,
            style,
            left: frame.left,
            width: frame.width,
            center: false,
        }));
        self.items.push(Item::Space(
            self.line_height(self.size()) * self.profile.paragraph_gap,
        ));
    }

    /// A line of code's pieces (byte ranges of `text` and the kind of token each is), each
    /// shaped in its kind's weight; with each run, the kind of its piece.
    fn shape_code(
        &mut self,
        text: &str,
        pieces: &[CodePiece],
    ) -> (Vec<Shaped>, Vec<Option<TokenKind>>) {
        let mut shaped = Vec::new();
        let mut kinds = Vec::new();
        for (range, kind) in pieces {
            let style = Style {
                mono: true,
                bold: kind.is_some_and(code_style::bold),
                ..Style::default()
            };
            let runs = self.shape(text.get(range.clone()).unwrap_or_default(), style);
            kinds.extend(std::iter::repeat_n(*kind, runs.len()));
            shaped.extend(runs);
        }
        (shaped, kinds)
    }

    /// One line of code set as written.
    fn code_line(
        &self,
        runs: Vec<TextRun>,
        node: NodeId,
        pos: InlinePos,
        group: Option<(usize, String)>,
    ) -> Line {
        let width = runs
            .iter()
            .map(|r| r.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * r.size)
            .sum();
        let x = runs.first().map_or(0.0, |r| r.x);
        Line {
            frags: vec![paragraph::Frag {
                runs,
                owner: node,
                link: None,
                underline: false,
                strike: false,
                anchors: Vec::new(),
                group,
                lang: self.lang.clone(),
                pos,
                x,
                width,
            }],
            width: x + width,
            hyphenated: false,
            marks: Vec::new(),
        }
    }

    /// A code line too wide for the measure, wrapped where it fits (after a space or punctuation
    /// when it can): each continuation keeps the line's indentation plus a hanging indent, with
    /// a continuation mark drawn as layout. The pieces share one actual text, the line as
    /// written, so copying and screen readers get it whole.
    fn wrap_code(
        &mut self,
        source_line: &str,
        pieces: &[CodePiece],
        node: NodeId,
        (pos, size, measure): (InlinePos, f32, f32),
        lines: &mut Vec<Line>,
    ) {
        let mono = Style {
            mono: true,
            ..Style::default()
        };
        let text = super::fonts::printable(source_line);
        // Where each printable character came from in the line as written: (printable offset,
        // source offset), so each piece's position counts the text as the e-book does, and the
        // tokens' pieces find their place in the printable text (which drops some characters).
        let mut sources: Vec<(usize, usize)> = Vec::with_capacity(source_line.len() + 1);
        let mut printed = 0;
        for (source, c) in source_line.char_indices() {
            sources.push((printed, source));
            printed += super::fonts::printable(c.encode_utf8(&mut [0; 4])).len();
        }
        sources.push((printed, source_line.len()));
        let source_of = |printable: usize| {
            let i = sources.partition_point(|&(p, _)| p < printable);
            sources.get(i).map_or(source_line.len(), |&(_, s)| s)
        };
        let printable_of = |source: usize| {
            let i = sources.partition_point(|&(_, s)| s < source);
            sources.get(i).map_or(printed, |&(p, _)| p)
        };
        let printable_pieces: Vec<CodePiece> = pieces
            .iter()
            .map(|(range, kind)| (printable_of(range.start)..printable_of(range.end), *kind))
            .collect();
        // Where each character begins, from the line shaped whole: (byte offset, x).
        let mut starts: Vec<(usize, f32)> = Vec::new();
        let (mut offset, mut x) = (0, 0.0);
        for run in self.shape(&text, mono) {
            for glyph in &run.glyphs {
                starts.push((offset + glyph.range().start, x));
                x += glyph.x_advance * size;
            }
            offset += run.text.len();
        }
        starts.push((text.len(), x));
        let x_at = |byte: usize| {
            let i = starts.partition_point(|(o, _)| *o < byte);
            starts.get(i).map_or(x, |(_, x)| *x)
        };
        let advance = |from: usize, to: usize| x_at(to) - x_at(from);
        let indent_end = text.len() - text.trim_start().len();
        let indent = advance(0, indent_end);
        let continuation = (indent + size * HANGING_INDENT_EMS).min(measure * 0.5);
        self.code_wraps += 1;
        let group = (self.code_wraps, text.clone());
        let mut from = 0;
        let mut first = true;
        while from < text.len() {
            let left = if first { 0.0 } else { continuation };
            let room = measure - left;
            let to = wrap_point(&text, from, |end| advance(from, end) <= room);
            let within: Vec<CodePiece> = printable_pieces
                .iter()
                .filter(|(range, _)| range.start < to && range.end > from)
                .map(|(range, kind)| (range.start.max(from)..range.end.min(to), *kind))
                .collect();
            let (shaped, kinds) = self.shape_code(&text, &within);
            let runs = place_code_runs(shaped, &kinds, left, size);
            let mut line = self.code_line(
                runs,
                node,
                InlinePos {
                    block: pos.block,
                    offset: pos.offset + source_of(from),
                },
                Some(group.clone()),
            );
            if !first {
                let mark = self.shape(CONTINUATION_MARK, mono);
                let mark_width: f32 = mark.iter().map(|s| s.width(size)).sum();
                line.marks = place_runs(mark, continuation - mark_width - size * 0.3, 0.0, size);
            }
            line.hyphenated = to < text.len();
            lines.push(line);
            from = to;
            first = false;
        }
    }

    fn figure(&mut self, figure: &Figure, parent: NodeId, frame: Frame) {
        let sized = figure
            .image
            .asset
            .and_then(|asset| Some((asset, self.book.assets[asset.0].natural_size?)));
        let Some((asset, (w, h))) = sized else {
            // Not printed; its caption (text) still counts, as the e-book writes it.
            self.cursor.offset += figure.caption.as_ref().map_or(0, String::len);
            return;
        };
        let max_h = self.profile.text_height() * FIGURE_MAX_HEIGHT;
        let scale = (frame.width / w).min(max_h / h).min(1.0);
        let (width, height) = (w * scale, h * scale);
        let size = self.size();
        let caption_height = if figure.caption.is_some() {
            self.line_height(size * self.profile.small_scale) * 2.0
        } else {
            0.0
        };
        self.items.push(Item::NeedRoom(height + caption_height));
        let image = DrawKind::Image {
            asset,
            x: frame.left + (frame.width - width) / 2.0,
            y: 0.0,
            width,
            height,
        };
        let (owner, node) = match &figure.image.alt {
            Alt::Text(alt) => {
                let node = self.node(StructKind::Figure, Some(parent));
                self.tags.get_mut(node).alt = Some(alt.clone());
                (Owner::Node(node), Some(node))
            }
            Alt::Decorative => (Owner::Artifact(ArtifactKind::Layout), None),
        };
        self.items.push(Item::Draw(Draw { kind: image, owner }));
        self.items.push(Item::Space(height + size * 0.4));
        if let Some(caption) = &figure.caption {
            let parent = node.unwrap_or(parent);
            let caption_node = self.node(StructKind::Caption, Some(parent));
            self.text_block(
                &[Inline::Text(caption.clone())],
                caption_node,
                frame,
                size * self.profile.small_scale,
                TextOptions {
                    center: true,
                    justify: false,
                    ..TextOptions::default()
                },
            );
        }
        self.items.push(Item::Space(
            self.line_height(size) * self.profile.paragraph_gap,
        ));
    }

    /// A website: its QR code (a figure whose alt text says where it leads) with the linked
    /// address beside it, so a printed page can be scanned. The code and the text beside it
    /// stay together; text taller than the code goes on below it (see [`website_lines_beside`]).
    fn website(&mut self, content: &[Inline], url: &str, parent: NodeId, frame: Frame) {
        let size = self.size();
        let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
            let node = self.node(StructKind::P, Some(parent));
            self.text_block(content, node, frame, size, TextOptions::default());
            return;
        };
        let modules = code.width();
        let side = QR_SIDE.max(modules as f32 * QR_MIN_MODULE);
        let module = side / modules as f32;
        let gap = size;
        self.items.push(Item::NeedRoom(side + gap));
        let text_frame = Frame {
            left: frame.left + side + gap,
            width: (frame.width - side - gap).max(size * 8.0),
        };
        let node = self.tags.add(StructKind::P, Some(parent));
        let mut unit = Unit {
            height: side + gap,
            parts: vec![UnitPart::Attach(node)],
        };
        let set = self.set_text(
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
        unit.parts.extend(set.marks.into_iter().map(UnitPart::Mark));
        let line_height = set.style.line_height;
        let mut lines = set.lines;
        let beside = website_lines_beside(side, line_height, lines.len());
        let rest = lines.split_off(beside.count);
        for (k, line) in lines.into_iter().enumerate() {
            unit.parts.push(UnitPart::Line {
                dy: beside.top + k as f32 * line_height,
                left: text_frame.left,
                line,
                style: set.style,
            });
        }
        unit.height = beside.height + gap;
        let figure = self.tags.add(StructKind::Figure, Some(parent));
        self.tags.get_mut(figure).alt = Some(format!("QR code linking to {url}"));
        unit.parts.push(UnitPart::Attach(figure));
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
                        frame.left + start as f32 * module,
                        row as f32 * module,
                        (col - start) as f32 * module,
                        module,
                    ]);
                } else {
                    col += 1;
                }
            }
        }
        unit.parts.push(UnitPart::Draw {
            dy: 0.0,
            draw: Draw {
                kind: DrawKind::Rects { rects },
                owner: Owner::Node(figure),
            },
        });
        if rest.is_empty() {
            self.items.push(Item::Unit(unit));
            return;
        }
        // The text goes on below the code, in the same column, and may run onto the next
        // page like any paragraph: the unit holds only what stands beside the code.
        unit.height = beside.height;
        self.items.push(Item::Unit(unit));
        self.items.push(Item::Lines(Lines {
            lines: rest,
            style: set.style,
            left: text_frame.left,
            width: text_frame.width,
            center: false,
        }));
        self.items.push(Item::Space(gap));
    }

    fn notes(&mut self, chapter: &Chapter, section: NodeId) {
        let size = self.size() * self.profile.small_scale;
        let line = self.line_height(size);
        self.items.push(Item::NeedRoom(line * 3.0));
        self.items.push(Item::Space(line * 0.5));
        let rule = Draw::rule(0.0, 0.0, self.profile.text_width() * 0.3, 0.0);
        self.items.push(Item::Draw(rule));
        self.items.push(Item::Space(line * 0.5));
        for (i, note) in chapter.notes.iter().enumerate() {
            let node = self.node(StructKind::Note, Some(section));
            self.items
                .push(Item::Mark(Anchor::Id(self.chapter, note.id.clone())));
            let numbered = counted::numbered_block(note);
            for (k, block) in note.blocks.iter().enumerate() {
                self.span = Some(block.span);
                match &block.kind {
                    BlockKind::Paragraph(inlines) => {
                        let p = self.node(StructKind::P, Some(node));
                        let mut prefix = Vec::new();
                        if numbered == Some(k) {
                            // The note's number links back to where the note is referred to.
                            let back = self.tags.add(StructKind::Link, Some(p));
                            let mut label = self.base_piece(back, size, None);
                            label.link = Some((
                                LinkDest::Anchor(Anchor::Id(self.chapter, note.ref_id.clone())),
                                format!("Back to the reference of note {}", i + 1),
                            ));
                            prefix.push(self.piece(counted::note_number(i + 1), back, &label));
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
                        self.items.push(Item::Space(line * 0.3));
                    }
                    _ => self.block(block, node, self.body_frame(), false),
                }
            }
        }
    }
}

/// Where a code line that starts at `from` is broken: after the last space or punctuation mark
/// that still fits, else after the last character that fits (at least one character).
fn wrap_point(text: &str, from: usize, fits: impl Fn(usize) -> bool) -> usize {
    let mut last_fit = None;
    let mut last_break = None;
    for (i, c) in text[from..].char_indices() {
        let end = from + i + c.len_utf8();
        if !fits(end) {
            break;
        }
        last_fit = Some(end);
        if c == ' ' || (c.is_ascii_punctuation() && !matches!(c, '_' | '"' | '\'')) {
            last_break = Some(end);
        }
    }
    if last_fit == Some(text.len()) {
        return text.len();
    }
    let one_character = from + text[from..].chars().next().map_or(0, char::len_utf8);
    last_break.or(last_fit).unwrap_or(one_character)
}

/// A text drawing with no actual text or language of its own.
fn text_draw(runs: Vec<TextRun>) -> DrawKind {
    DrawKind::Text {
        runs,
        actual_text: None,
        lang: None,
    }
}

/// Text cut into its letters and digits and the rest: `"12."` into `"12"` and `"."`.
fn split_alphanumeric(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous = None;
    for (i, c) in text.char_indices() {
        let kind = c.is_alphanumeric();
        if previous.is_some_and(|p| p != kind) {
            parts.push(&text[start..i]);
            start = i;
        }
        previous = Some(kind);
    }
    parts.push(&text[start..]);
    parts
}

/// Whether a line of code, cut into pieces anywhere, shapes and orders as it does whole: it has
/// no right-to-left letter or digit (a piece read alone can take another direction than the
/// line's, and Arabic letters join across a cut), no combining mark (a cut could part it from
/// its letter), and no joiner or directional control (bidirectional classes R, AL, AN, NSM, BN
/// and the embeddings, overrides and isolates). Highlighted code is cut at its tokens only when
/// it does; other lines are set whole, plain, as without highlighting.
fn shapes_apart(line: &str) -> bool {
    use unicode_bidi::BidiClass::*;
    line.chars().all(|c| {
        matches!(
            unicode_bidi::bidi_class(c),
            L | EN | ES | ET | CS | ON | WS | B | S
        )
    })
}

/// A piece of a line of code: a byte range and the kind of token it is (`None`: plain).
type CodePiece = (std::ops::Range<usize>, Option<TokenKind>);

/// Runs of a line of code set from `x` on the baseline, as [`place_runs`] sets them, each
/// marked with the kind of token it draws.
fn place_code_runs(
    shaped: Vec<Shaped>,
    kinds: &[Option<TokenKind>],
    x: f32,
    size: f32,
) -> Vec<TextRun> {
    let mut runs = place_runs(shaped, x, 0.0, size);
    for (run, kind) in runs.iter_mut().zip(kinds) {
        run.token = *kind;
    }
    runs
}

/// Runs of one text, shaped as one ([`FontBook::shape`]), set one after another from `x` on a
/// baseline, in the order they stand on the line (right-to-left text from the right): by the
/// levels shaping gave them, the text read by the direction of its first strong character, so
/// a running head in Arabic reads from the right.
pub fn place_runs(shaped: Vec<Shaped>, x: f32, baseline: f32, size: f32) -> Vec<TextRun> {
    let levels: Vec<unicode_bidi::Level> = shaped.iter().map(|s| s.level).collect();
    set_runs(shaped, x, (baseline, size), &levels)
}

/// Runs of texts shaped apart, set from `x` as [`place_runs`] sets them, in a line of the given
/// direction: the texts are read together to find their levels (shaping read each alone).
pub fn place_runs_in(
    shaped: Vec<Shaped>,
    x: f32,
    (baseline, size): (f32, f32),
    rtl: bool,
) -> Vec<TextRun> {
    let levels = crate::layout::bidi::levels(shaped.iter().map(|s| s.text.as_str()), Some(rtl));
    set_runs(shaped, x, (baseline, size), &levels)
}

/// Runs at `levels` set from `x` in their visual order.
fn set_runs(
    shaped: Vec<Shaped>,
    x: f32,
    (baseline, size): (f32, f32),
    levels: &[unicode_bidi::Level],
) -> Vec<TextRun> {
    let widths: Vec<f32> = shaped.iter().map(|s| s.width(size)).collect();
    let places = crate::layout::bidi::places(x, &widths, levels);
    shaped
        .into_iter()
        .zip(places)
        .map(|(s, x)| TextRun {
            x,
            baseline,
            face: s.face,
            size,
            text: s.text,
            glyphs: s.glyphs,
            token: None,
        })
        .collect()
}

/// Where a website's text stands beside its QR code of side `side`: how many of its `lines`
/// (of `line_height`), from how far below the code's top, and the height they and the code take
/// together.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Beside {
    count: usize,
    top: f32,
    height: f32,
}

/// A short text is centred on the code: one line on its middle (the address of a handout
/// entry), a few lines as a block. A text taller than the code starts at its top, with as many
/// lines beside it as reach its foot (the last may pass it a little); the rest go on below,
/// in the same column, so no line is ever drawn over the next entry.
fn website_lines_beside(side: f32, line_height: f32, lines: usize) -> Beside {
    let block = lines as f32 * line_height;
    let one_line_top = (side - line_height) / 2.0;
    if one_line_top + block <= side {
        return Beside {
            count: lines,
            top: one_line_top,
            height: side,
        };
    }
    if block <= side {
        return Beside {
            count: lines,
            top: (side - block) / 2.0,
            height: side,
        };
    }
    // At least one line, so a line taller than the code still stands beside it.
    let count = ((side / line_height).ceil() as usize).clamp(1, lines);
    Beside {
        count,
        top: 0.0,
        height: (count as f32 * line_height).max(side),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lines_that_shape_alike_in_pieces_are_cut_at_their_tokens() {
        assert!(shapes_apart(
            "    let x = [1, 2]; // \"quoted\" café, ½ → ok"
        ));
        // A right-to-left word in a comment: read alone it would turn the comment around.
        assert!(!shapes_apart("let x = 1; // שלום world"));
        assert!(!shapes_apart("s = \"مرحبا\""));
        // A combining accent, a joiner, a direction mark.
        assert!(!shapes_apart("let cafe\u{301} = 1;"));
        assert!(!shapes_apart("a\u{200d}b"));
        assert!(!shapes_apart("x\u{2067}y"));
    }

    #[test]
    fn code_wraps_after_a_space_or_punctuation_that_fits() {
        let text = "    call(first, second)";
        // Room for 12 characters.
        let fits = |end: usize| end <= 12;
        assert_eq!(wrap_point(text, 0, fits), "    call(".len());
        // Nothing to break at: as much as fits; nothing fits: one character.
        assert_eq!(wrap_point("abcdefghijklmnop", 0, fits), 12);
        assert_eq!(wrap_point("abc", 0, |_| false), 1);
        assert_eq!(wrap_point("abc", 1, |_| true), 3);
    }

    #[test]
    fn a_website_text_never_reaches_past_its_entry() {
        let (side, line) = (56.0, 14.0);
        // One line on the code's middle, as before.
        let one = website_lines_beside(side, line, 1);
        assert_eq!((one.count, one.top, one.height), (1, 21.0, side));
        // Four lines fill the code's height exactly: centred as a block.
        let four = website_lines_beside(side, line, 4);
        assert_eq!((four.count, four.top, four.height), (4, 0.0, side));
        // Every line the unit holds ends within its height, for any number of lines.
        for lines in 1..40 {
            let b = website_lines_beside(side, line, lines);
            assert!(b.count >= 1 && b.count <= lines, "{lines}: {b:?}");
            assert!(
                b.top + b.count as f32 * line <= b.height + 0.01,
                "{lines}: {b:?}"
            );
            assert!(b.height >= side, "{lines}: {b:?}");
        }
        // Ten lines: four beside the code, the rest below.
        assert_eq!(website_lines_beside(side, line, 10).count, 4);
        // A line taller than the code still stands beside it.
        let tall = website_lines_beside(side, 80.0, 3);
        assert_eq!((tall.count, tall.height), (1, 80.0));
    }
}
