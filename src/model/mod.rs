//! The document model: what the Markdown parser produces and every backend reads.
//!
//! Meaning lives in types: a heading has a [`HeadingLevel`], an image an [`Alt`] that is either
//! text or an explicit "decorative", a table cell a [`CellRole`]. Blocks carry source spans so
//! later passes can point at the line of a problem.

pub mod admonition;
pub mod code;
pub mod dump;
pub mod meta;
pub mod outline;
pub mod text;
pub mod walk;
pub mod words;

use crate::diag::{FileId, Span};
pub use crate::lang::Lang;
pub use admonition::AdmonitionKind;
pub use code::{Highlight, Token, TokenKind};
pub use meta::Meta;

/// A whole book: what it says about itself, its chapters in reading order, and the files they
/// embed.
#[derive(Debug, Clone)]
pub struct Book {
    pub meta: Meta,
    pub chapters: Vec<Chapter>,
    pub assets: Vec<Asset>,
    /// The cover image (`cover` and `cover-alt` in book.toml), on the cover page of the PDF
    /// and declared as the EPUB's cover.
    pub cover: Option<Image>,
}

/// What part of the book a chapter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChapterRole {
    Body,
    /// Generated from the appendix data.
    Appendix,
}

/// One chapter file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chapter {
    /// A book-unique name made from the file name, used for the output file and section id.
    pub id: String,
    pub file: FileId,
    /// The path relative to the manuscript folder, with `/` separators.
    pub path: String,
    pub role: ChapterRole,
    /// The text of its title heading (a chapter without a heading is an error).
    pub title: String,
    pub blocks: Vec<Block>,
    /// Footnotes in the order of their first reference.
    pub notes: Vec<Note>,
    /// The language of its text when it is not the book's (`book.toml` gives it).
    pub lang: Option<Lang>,
    /// The direction of its text, when `book.toml` gives one; otherwise its language's.
    pub dir: Option<crate::lang::Direction>,
}

impl Book {
    /// The direction the book reads in, which decides the side its pages turn from: its
    /// written chapters' when every one gives the same (mdBook's `text-direction` gives each),
    /// else its language's.
    pub fn direction(&self) -> crate::lang::Direction {
        let mut given = self
            .chapters
            .iter()
            .filter(|c| c.role == ChapterRole::Body)
            .map(|c| c.dir);
        match given.next().flatten() {
            Some(dir) if given.all(|d| d == Some(dir)) => dir,
            _ => self.meta.lang.direction(),
        }
    }

    /// The book as an edition prints it: only the chapters named (by path), in the book's
    /// order, with the generated appendix; links into a chapter left out keep their text but
    /// lead nowhere. `None` is every chapter: the book itself.
    pub fn edition(&self, chapters: Option<&[String]>) -> std::borrow::Cow<'_, Book> {
        let Some(chosen) = chapters else {
            return std::borrow::Cow::Borrowed(self);
        };
        let kept = |c: &Chapter| c.role == ChapterRole::Appendix || chosen.contains(&c.path);
        let mut new_index = vec![None; self.chapters.len()];
        let mut edition = Book {
            meta: self.meta.clone(),
            chapters: Vec::new(),
            assets: self.assets.clone(),
            cover: self.cover.clone(),
        };
        for (index, chapter) in self.chapters.iter().enumerate() {
            if kept(chapter) {
                new_index[index] = Some(edition.chapters.len());
                edition.chapters.push(chapter.clone());
            }
        }
        for chapter in &mut edition.chapters {
            chapter.walk_mut(&mut |node| {
                if let walk::NodeMut::Inline(Inline::Link(link)) = node
                    && let LinkTarget::Internal { chapter, .. } = &mut link.target
                {
                    match new_index[*chapter] {
                        Some(index) => *chapter = index,
                        None => link.target = LinkTarget::Elsewhere,
                    }
                }
            });
        }
        std::borrow::Cow::Owned(edition)
    }
}

/// The heading that names a chapter: its first heading, of whatever level.
pub fn title_heading(blocks: &[Block]) -> Option<&Heading> {
    blocks.iter().find_map(|b| match &b.kind {
        BlockKind::Heading(h) => Some(h),
        _ => None,
    })
}

impl Chapter {
    /// The language of the chapter's text: its own, or the book's.
    pub fn lang<'a>(&'a self, book: &'a Meta) -> &'a Lang {
        self.lang.as_ref().unwrap_or(&book.lang)
    }

    /// The direction of the chapter's text: as given, or its language's.
    pub fn direction(&self, book: &Meta) -> crate::lang::Direction {
        self.dir.unwrap_or_else(|| self.lang(book).direction())
    }

    /// The heading that names the chapter: its first heading, of whatever level.
    pub fn title_heading(&self) -> Option<&Heading> {
        title_heading(&self.blocks)
    }

    /// Where the chapter stands in the book's outline: the level of its title heading. A file
    /// that opens with `##` (a sub-chapter, as mdBook writes them) continues the chapter before
    /// it.
    pub fn level(&self) -> HeadingLevel {
        self.title_heading().map_or(HeadingLevel::H1, |h| h.level)
    }

    /// The id of the heading that names the chapter, if it has one.
    pub fn title_id(&self) -> Option<&str> {
        self.title_heading().map(|h| h.id.as_str())
    }

    /// The footnote a reference's number (1-based) points to.
    pub fn note(&self, number: usize) -> Option<&Note> {
        self.notes.get(number.wrapping_sub(1))
    }
}

/// A block with the source range it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Heading(Heading),
    Paragraph(Vec<Inline>),
    Quote(Vec<Block>),
    /// A note set apart from the text, with a label saying what kind it is (`> [!NOTE]`).
    Admonition {
        kind: AdmonitionKind,
        blocks: Vec<Block>,
    },
    List(List),
    Definitions(Vec<Definition>),
    Code {
        lang: Option<String>,
        text: String,
        /// Its tokens, when the book highlights code and the language is known.
        highlight: Highlight,
    },
    Figure(Figure),
    Table(Table),
    /// A thematic break.
    Break,
    /// An organisation's website: a paragraph with the link, and in print a QR code beside it.
    Website {
        content: Vec<Inline>,
        url: String,
    },
}

/// Heading levels 1 to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeadingLevel {
    H1 = 1,
    H2,
    H3,
    H4,
    H5,
    H6,
}

impl HeadingLevel {
    pub fn number(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Heading {
    /// Its level in the book's structure: the level written, or the next one below the
    /// heading before it where the source skips levels (the headings pass sets it).
    pub level: HeadingLevel,
    /// The level the author wrote, which sets how it looks.
    pub look: HeadingLevel,
    /// Given by `{#id}`, or made from the text when parsed; the ids pass makes made ones
    /// unique in the book.
    pub id: String,
    pub explicit_id: bool,
    pub lang: Option<Lang>,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct List {
    /// The first number of an ordered list; `None` for a bulleted list.
    pub start: Option<u64>,
    /// A tight list's paragraphs are set without paragraph spacing.
    pub tight: bool,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListItem {
    /// `Some(done)` for a task-list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

/// A term of a definition list and its definitions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Definition {
    pub term: Vec<Inline>,
    pub details: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Figure {
    pub image: Image,
    pub caption: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    /// The path as written in the Markdown.
    pub src: String,
    pub alt: Alt,
    /// Set by the assets pass once the file is found and read.
    pub asset: Option<AssetId>,
    pub span: Span,
}

/// An image's text alternative; an image without one cannot exist in the model.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Alt {
    Text(String),
    /// Marked `{.decorative}` by the author: hidden from assistive technology.
    Decorative,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Table {
    pub columns: Vec<Align>,
    pub head: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Align {
    Default,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cell {
    pub role: CellRole,
    pub content: Vec<Inline>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellRole {
    Header(Scope),
    Data,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A header for the cells below it.
    Col,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Inline {
    Text(String),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Link(Link),
    NoteRef(NoteRef),
    Image(Image),
    /// Inline HTML that carries meaning (`<sup>`, `<kbd>`, `<abbr title>`, `<span lang>`…).
    Styled {
        style: InlineStyle,
        content: Vec<Inline>,
    },
    /// A link target from HTML's `<a id>`.
    Anchor {
        id: String,
        span: Span,
    },
    SoftBreak,
    HardBreak,
}

/// What an inline HTML element means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InlineStyle {
    /// `<sup>`: raised, smaller.
    Superscript,
    /// `<sub>`: lowered, smaller.
    Subscript,
    /// `<kbd>`: keys to press.
    Keyboard,
    /// `<samp>`: a program's output.
    Sample,
    /// `<var>`: a variable's name.
    Variable,
    /// `<mark>`: highlighted.
    Mark,
    /// `<small>`: side comments, fine print.
    Small,
    /// `<ins>`, `<u>`: inserted or underlined.
    Inserted,
    /// `<q>`: a quotation, set in quotation marks.
    Quotation,
    /// `<cite>`: the title of a work.
    Cite,
    /// `<dfn>`: the term being defined.
    Definition,
    /// `<abbr title>`: an abbreviation and, when given, its expansion.
    Abbreviation { title: Option<String> },
    /// `<ruby>`: text with its reading or meaning above it (Japanese furigana, Chinese
    /// pinyin), its annotations in [`InlineStyle::RubyText`].
    Ruby,
    /// `<rt>`: a ruby's annotation. Where ruby is not shown above the line (print, a reading
    /// system without it) it follows its text, in the parentheses of
    /// [`InlineStyle::RubyParenthesis`] when the author gave them.
    RubyText,
    /// `<rp>`: the parentheses around a ruby's annotation, shown only where ruby is not.
    RubyParenthesis,
    /// `<span lang dir>`: a phrase in another language or direction.
    Span {
        lang: Option<Lang>,
        rtl: Option<bool>,
    },
}

impl InlineStyle {
    /// The HTML element that writes it.
    pub fn element(&self) -> &'static str {
        match self {
            InlineStyle::Superscript => "sup",
            InlineStyle::Subscript => "sub",
            InlineStyle::Keyboard => "kbd",
            InlineStyle::Sample => "samp",
            InlineStyle::Variable => "var",
            InlineStyle::Mark => "mark",
            InlineStyle::Small => "small",
            InlineStyle::Inserted => "ins",
            InlineStyle::Quotation => "q",
            InlineStyle::Cite => "cite",
            InlineStyle::Definition => "dfn",
            InlineStyle::Abbreviation { .. } => "abbr",
            InlineStyle::Ruby => "ruby",
            InlineStyle::RubyText => "rt",
            InlineStyle::RubyParenthesis => "rp",
            InlineStyle::Span { .. } => "span",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    pub target: LinkTarget,
    pub title: Option<String>,
    pub content: Vec<Inline>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// An absolute URL such as `https://…` or `mailto:…`.
    Url(String),
    /// A place in the book: a chapter, and an id in it (none for the chapter's start).
    Internal { chapter: usize, id: Option<String> },
    /// As written in the Markdown, before the links pass resolves it.
    Unresolved(String),
    /// A place in a chapter the edition leaves out: its text is printed, without a link.
    Elsewhere,
}

/// A footnote reference; the notes pass numbers it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NoteRef {
    pub label: String,
    /// 1-based number of the note in its chapter.
    pub number: usize,
    /// The id of this reference (a note referenced twice has two).
    pub id: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Note {
    pub label: String,
    pub id: String,
    /// The id of the first reference, for the back link.
    pub ref_id: String,
    pub blocks: Vec<Block>,
    pub span: Span,
}

/// Index into [`Book::assets`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AssetId(pub usize);

/// A file the book embeds, such as an image.
#[derive(Debug, Clone)]
pub struct Asset {
    /// The path relative to the manuscript folder, with `/` separators.
    pub path: String,
    pub media_type: MediaType,
    pub bytes: Vec<u8>,
    /// Its size in points, read once (`None` when it has none, such as an SVG of zero width).
    pub natural_size: Option<(f32, f32)>,
    /// Used at least once with alt text (not only as a decoration).
    pub informative: bool,
    /// The `font-family` lists an SVG's text asks for, each once, in the order first asked
    /// (empty for other images and for a drawing without text).
    pub font_families: Vec<Vec<FontFamily>>,
}

/// A family in an SVG's `font-family` list: a font's name, or one of CSS's generic families.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontFamily {
    Named(String),
    Serif,
    SansSerif,
    Monospace,
    Cursive,
    Fantasy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Png,
    Jpeg,
    /// A GIF: an animation keeps moving in the e-book; print shows its first frame.
    Gif,
    Svg,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Gif => "image/gif",
            MediaType::Svg => "image/svg+xml",
        }
    }
}

/// The text of inline content with all markup dropped, as a screen reader or a nav label needs it.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    walk::inlines(inlines, &mut |node| match node {
        walk::Node::Inline(Inline::Text(t) | Inline::Code(t)) => out.push_str(t),
        walk::Node::Inline(Inline::Image(Image {
            alt: Alt::Text(alt),
            ..
        })) => out.push_str(alt),
        walk::Node::Inline(Inline::SoftBreak | Inline::HardBreak) => out.push(' '),
        _ => {}
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup() {
        let inlines = vec![
            Inline::Text("A ".into()),
            Inline::Emph(vec![Inline::Text("b".into())]),
            Inline::SoftBreak,
            Inline::Code("c".into()),
        ];
        assert_eq!(plain_text(&inlines), "A b c");
    }
}
