//! Markdown parsing: a chapter's text in, model blocks and footnotes out, each with its source
//! span. This is the only module that touches pulldown-cmark.
//!
//! The event stream is folded with an explicit stack of open containers (no recursion), so
//! deeply nested input cannot exhaust the call stack here.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel as CmLevel, LinkType, Options,
    Parser, Tag,
};

mod code;
mod html;

use crate::diag::{Diagnostics, FileId, Span};
use crate::id::check_id;
use crate::lang::TagPlace;
use crate::model::*;
use html::{Opened, Removed, Safe};

/// The Markdown extensions inkfold reads.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// Which Markdown a chapter is written in: inkfold's own, or mdBook's, which adds hidden lines
/// in code blocks, keeps what a preprocessor would have handled, and may hold math.
#[derive(Debug, Clone, Default)]
pub enum Flavour {
    #[default]
    Inkfold,
    MdBook(MdBookOptions),
}

/// What an mdBook book's `book.toml` says of its Markdown, and what one parse of the book
/// remembers for the next chapter.
#[derive(Debug, Clone, Default)]
pub struct MdBookOptions {
    /// The hidden-line prefix of each language but Rust (`output.html.code.hidelines`, e.g.
    /// `python = "~"`); a code block's own `hidelines=X` comes first.
    pub hidelines: BTreeMap<String, String>,
    /// The book writes math for MathJax (`output.html.mathjax-support`): its delimiters are
    /// kept as text, with a warning.
    pub mathjax: bool,
    /// The names of the HTML elements this book has been warned of (one warning per name per
    /// book, however often the element is written): every chapter of a book is parsed with
    /// the same options.
    pub warned_elements: RefCell<BTreeSet<String>>,
}

/// The only address schemes a link may use: no `javascript:`, `data:`, `file:` or the like.
pub const SAFE_SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// `url` as a link can hold it: the characters RFC 3986 allows nowhere in an address (space,
/// `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}` and controls), a `#` after the one that
/// begins the fragment (Matrix rooms: `https://matrix.to/#/#room:server`) and a `%` that
/// begins no escape are percent-encoded, as browsers encode them before they follow the link;
/// EPUBCheck refuses them as written (RSC-020). Other text, non-ASCII included, is kept.
pub fn escaped_url(url: &str) -> std::borrow::Cow<'_, str> {
    let bytes = url.as_bytes();
    let escape_at = |at: usize, seen_hash: bool| {
        let b = bytes[at];
        match b {
            b'#' => seen_hash,
            b'%' => {
                !(bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit))
            }
            b' ' | b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' => true,
            _ => b.is_ascii_control(),
        }
    };
    let mut seen_hash = false;
    let mut out: Option<String> = None;
    for (at, c) in url.char_indices() {
        let escape = c.is_ascii() && escape_at(at, seen_hash);
        seen_hash |= c == '#';
        match (&mut out, escape) {
            (None, false) => {}
            (None, true) => {
                let mut s = String::with_capacity(url.len() + 8);
                s.push_str(&url[..at]);
                s.push_str(&format!("%{:02X}", c as u32));
                out = Some(s);
            }
            (Some(s), true) => s.push_str(&format!("%{:02X}", c as u32)),
            (Some(s), false) => s.push(c),
        }
    }
    match out {
        Some(s) => std::borrow::Cow::Owned(s),
        None => std::borrow::Cow::Borrowed(url),
    }
}

/// The syntax that marks an image as purely decorative: `![](ornament.svg){.decorative}`.
pub const DECORATIVE_MARKER: &str = "{.decorative}";

/// A parsed chapter: its blocks, and its footnote definitions in source order (not yet numbered).
#[derive(Debug, Default)]
pub struct ParsedChapter {
    pub blocks: Vec<Block>,
    pub notes: Vec<Note>,
}

/// Parses one chapter file, written in `flavour`.
pub fn parse_chapter(
    file: FileId,
    text: &str,
    flavour: &Flavour,
    diags: &mut Diagnostics,
) -> ParsedChapter {
    let mut builder = Builder {
        file,
        flavour,
        math: None,
        diags,
        stack: vec![Frame::new(Container::Root, 0)],
        notes: Vec::new(),
        figure_captions: HashMap::new(),
        skipped_depth: 0,
        html_skip: None,
        html_too_deep: false,
    };
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        builder.event(event, range);
    }
    if let Some(span) = builder.math {
        builder
            .diags
            .warning(span, "math is printed as its source in this chapter")
            .hint("inkfold does not typeset math yet: the TeX between `\\(`, `\\[` or `$$` is printed as written");
    }
    let root = builder.stack.swap_remove(0);
    ParsedChapter {
        blocks: root.blocks,
        notes: builder.notes,
    }
}

/// What an open frame on the stack is.
enum Container {
    Root,
    Paragraph,
    Heading {
        level: HeadingLevel,
        id: Option<String>,
        lang: Option<Lang>,
    },
    Quote,
    Admonition(AdmonitionKind),
    Code {
        lang: Option<String>,
        /// The prefix of this block's hidden lines (mdBook books: `hidelines=X`).
        hidelines: Option<String>,
    },
    Html,
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
        loose: bool,
    },
    Item {
        task: Option<bool>,
        loose: bool,
    },
    Note {
        label: String,
    },
    Table {
        columns: Vec<Align>,
        head: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
    },
    TableHead,
    TableRow,
    TableCell,
    DefinitionList {
        definitions: Vec<Definition>,
    },
    Term,
    Details,
    Emph,
    Strong,
    Strike,
    Link {
        dest: String,
        title: String,
        email: bool,
    },
    Image {
        dest: String,
        title: String,
    },
    /// An inline HTML element that carries meaning, open until its closing tag (or the end of
    /// the Markdown container around it).
    InlineHtml {
        kind: Opened,
        element: String,
    },
}

impl Container {
    /// Whether it adds a level of nesting (see [`MAX_NESTING`]).
    fn nests(&self) -> bool {
        matches!(
            self,
            Container::Quote
                | Container::Admonition(_)
                | Container::List { .. }
                | Container::DefinitionList { .. }
                | Container::Note { .. }
                | Container::Emph
                | Container::Strong
                | Container::Strike
                | Container::Link { .. }
                | Container::Image { .. }
                | Container::InlineHtml { .. }
        )
    }
}

/// An open container with what has been collected inside it so far.
struct Frame {
    container: Container,
    start: usize,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// Where the pending inlines started and ended (for implicit paragraphs of tight lists).
    inline_range: Option<Range<usize>>,
    /// Raw text of code blocks, HTML blocks, and image alt text.
    text: String,
    /// For an HTML block: where each of its lines starts in `text` and in the chapter (the
    /// block's text lacks the indentation and quote markers of the containers around it).
    pieces: Vec<(usize, usize)>,
    cells: Vec<Cell>,
}

impl Frame {
    fn new(container: Container, start: usize) -> Frame {
        Frame {
            container,
            start,
            blocks: Vec::new(),
            inlines: Vec::new(),
            inline_range: None,
            text: String::new(),
            pieces: Vec::new(),
            cells: Vec::new(),
        }
    }

    fn collects_text(&self) -> bool {
        matches!(
            self.container,
            Container::Code { .. } | Container::Html | Container::Image { .. }
        )
    }
}

/// What a closed frame hands to its parent.
enum Node {
    Block(Block),
    Blocks(Vec<Block>),
    Inline(Inline),
    Item(ListItem, bool),
    Cell(Cell),
    HeadRow,
    Row(Vec<Cell>),
    Term(Vec<Inline>),
    Details(Vec<Block>),
    Nothing,
}

struct Builder<'d> {
    file: FileId,
    flavour: &'d Flavour,
    /// Where the chapter's first math delimiter is (mdBook books with MathJax), for its warning.
    math: Option<Span>,
    diags: &'d mut Diagnostics,
    stack: Vec<Frame>,
    notes: Vec<Note>,
    /// Image titles by the image's start offset; a lone image's title becomes its caption.
    figure_captions: HashMap<usize, String>,
    /// A dangerous inline HTML element whose content is being dropped (`<script>` until `</script>`).
    html_skip: Option<String>,
    /// Containers opened beyond [`MAX_NESTING`], ignored (with one error) until they close.
    skipped_depth: usize,
    /// Inline HTML elements opened beyond [`MAX_NESTING`] were reported in this container.
    html_too_deep: bool,
}

/// How deep containers (quotes, lists, emphasis…) may nest: 60 levels are accepted, 61 are an
/// error. The model stays shallow, so no later stage can exhaust the stack on it; and the PDF's
/// structure tree stays within the 200 levels `pdfua-check` reads: a list is three levels of it
/// (L, LI, LBody), so 66 nested lists are the most it passes, and 60 leave room for a table
/// (four levels, not counted here) and the chapter's own levels inside the deepest item.
const MAX_NESTING: usize = 60;

impl Builder<'_> {
    fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(_) => self.end(range),
            Event::Text(text) => self.text(&text, range),
            Event::Code(code) => {
                if self.top().collects_text() {
                    self.top().text.push_str(&code);
                } else {
                    self.inline(Inline::Code(code.into_string()), range);
                }
            }
            Event::Html(html) => {
                let top = self.top();
                top.pieces.push((top.text.len(), range.start));
                top.text.push_str(&html);
            }
            Event::InlineHtml(html) => self.inline_html(&html, range),
            Event::FootnoteReference(label) => {
                let span = self.span(range.clone());
                self.inline(
                    Inline::NoteRef(NoteRef {
                        label: label.into_string(),
                        number: 0,
                        id: String::new(),
                        span,
                    }),
                    range,
                );
            }
            Event::SoftBreak => self.inline(Inline::SoftBreak, range),
            Event::HardBreak => self.inline(Inline::HardBreak, range),
            Event::Rule => {
                let span = self.span(range);
                self.block(Block {
                    kind: BlockKind::Break,
                    span,
                });
            }
            Event::TaskListMarker(done) => {
                if let Container::Item { task, .. } = &mut self.top().container {
                    *task = Some(done);
                }
            }
            Event::InlineMath(_) | Event::DisplayMath(_) => {}
        }
    }

    /// How many nesting containers (quotes, lists, emphasis, links…) are open: what
    /// [`MAX_NESTING`] limits. A list's items and a block's paragraph do not add a level.
    fn nesting(&self) -> usize {
        self.stack.iter().filter(|f| f.container.nests()).count()
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let nests = matches!(
            tag,
            Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::DefinitionList
                | Tag::FootnoteDefinition(_)
                | Tag::Emphasis
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
        );
        if self.skipped_depth > 0 || (nests && self.nesting() >= MAX_NESTING) {
            if self.skipped_depth == 0 {
                let span = self.span(range.start..range.start + 1);
                self.diags
                    .error(
                        span,
                        format!("quotes, lists or emphasis nest more than {MAX_NESTING} deep here"),
                    )
                    .hint("flatten the structure; no reader can follow nesting this deep");
            }
            self.skipped_depth += 1;
            return;
        }
        let container = match tag {
            Tag::Paragraph => Container::Paragraph,
            Tag::Heading {
                level, id, attrs, ..
            } => self.heading(level, id.map(|i| i.into_string()), &attrs, range.clone()),
            Tag::BlockQuote(None) => Container::Quote,
            Tag::BlockQuote(Some(kind)) => Container::Admonition(admonition_kind(kind)),
            Tag::CodeBlock(kind) => match kind {
                CodeBlockKind::Fenced(info) => {
                    let info = code::Info::parse(&info);
                    Container::Code {
                        lang: info.lang.map(str::to_string),
                        hidelines: info.hidelines.map(str::to_string),
                    }
                }
                CodeBlockKind::Indented => Container::Code {
                    lang: None,
                    hidelines: None,
                },
            },
            Tag::HtmlBlock => Container::Html,
            Tag::List(start) => Container::List {
                start,
                items: Vec::new(),
                loose: false,
            },
            Tag::Item => Container::Item {
                task: None,
                loose: false,
            },
            Tag::FootnoteDefinition(label) => Container::Note {
                label: label.into_string(),
            },
            Tag::Table(alignments) => Container::Table {
                columns: alignments.iter().map(|a| align(*a)).collect(),
                head: Vec::new(),
                rows: Vec::new(),
            },
            Tag::TableHead => Container::TableHead,
            Tag::TableRow => Container::TableRow,
            Tag::TableCell => Container::TableCell,
            Tag::DefinitionList => Container::DefinitionList {
                definitions: Vec::new(),
            },
            Tag::DefinitionListTitle => Container::Term,
            Tag::DefinitionListDefinition => Container::Details,
            Tag::Emphasis | Tag::Superscript | Tag::Subscript => Container::Emph,
            Tag::Strong => Container::Strong,
            Tag::Strikethrough => Container::Strike,
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => Container::Link {
                dest: dest_url.into_string(),
                title: title.into_string(),
                email: link_type == LinkType::Email,
            },
            Tag::Image {
                dest_url, title, ..
            } => Container::Image {
                dest: dest_url.into_string(),
                title: title.into_string(),
            },
            Tag::MetadataBlock(_) => Container::Html,
        };
        if is_block_container(&container) {
            self.flush_implicit_paragraph();
            if matches!(container, Container::Paragraph)
                && let Container::Item { loose, .. } = &mut self.top().container
            {
                *loose = true;
            }
        }
        self.stack.push(Frame::new(container, range.start));
    }

    fn heading(
        &mut self,
        level: CmLevel,
        id: Option<String>,
        attrs: &[(
            pulldown_cmark::CowStr<'_>,
            Option<pulldown_cmark::CowStr<'_>>,
        )],
        range: Range<usize>,
    ) -> Container {
        let span = self.span(range);
        let mut lang = None;
        for (key, value) in attrs {
            match (key.as_ref(), value) {
                ("lang", Some(tag)) => {
                    lang = crate::lang::checked(tag, span, TagPlace::Heading, self.diags).or(lang)
                }
                (other, _) => self
                    .diags
                    .warning(span, format!("heading attribute `{other}` is ignored"))
                    .hint("headings take an id and a language: {#my-id lang=fr}"),
            }
        }
        let id = id.filter(|id| check_id(id, span, self.diags));
        Container::Heading {
            level: heading_level(level),
            id,
            lang,
        }
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        if self.html_skip.is_some() {
            return;
        }
        if self.top().collects_text() {
            self.top().text.push_str(text);
            return;
        }
        let mut text = text;
        if let Some(rest) = text.strip_prefix(DECORATIVE_MARKER)
            && let Some(Inline::Image(image)) = self.top().inlines.last_mut()
        {
            if image.alt == Alt::Text(String::new()) {
                image.alt = Alt::Decorative;
            } else {
                let span = image.span;
                self.diags
                        .error(span, "an image marked decorative also has alt text")
                        .hint("empty the brackets for a purely decorative image, or remove {.decorative} if it carries meaning");
            }
            text = rest;
        }
        if !text.is_empty() {
            self.inline(Inline::Text(text.to_string()), range.clone());
            self.note_math(text.len(), range);
        }
    }

    /// In an mdBook book with MathJax, notes where the chapter's first math delimiter is: the
    /// text just joined to the paragraph may complete one begun by the text before it (an
    /// escaped `\\` arrives apart from the `(` after it).
    fn note_math(&mut self, added: usize, range: Range<usize>) {
        let Flavour::MdBook(options) = self.flavour else {
            return;
        };
        if !options.mathjax || self.math.is_some() {
            return;
        }
        if let Some(Inline::Text(last)) = self.top().inlines.last() {
            // The text added, with the bytes before it that a two-character delimiter begun
            // in the text before could hold.
            let from = last.len().saturating_sub(added + 2);
            let from = (0..=from)
                .rev()
                .find(|&i| last.is_char_boundary(i))
                .unwrap_or(0);
            if code::has_math_delimiter(&last[from..]) {
                self.math = Some(self.span(range));
            }
        }
    }

    /// Inline HTML arrives one tag at a time; the safe parts join the text.
    fn inline_html(&mut self, html: &str, range: Range<usize>) {
        let span = self.span(range.clone());
        let mut removed = Vec::new();
        let safe = html::sanitize(html, &mut self.html_skip, &mut removed);
        self.report_removed(&removed, span);
        for (_, part) in safe {
            match part {
                Safe::Text(text) | Safe::Caption(text) => self.text(&text, range.clone()),
                Safe::Break => self.inline(Inline::HardBreak, range.clone()),
                Safe::Anchor(id) => self.anchor(id, span, range.clone()),
                Safe::Image { src, alt, title } => {
                    if let Some(title) = title {
                        self.figure_captions.insert(span.start, title);
                    }
                    self.inline(Inline::Image(html_image(src, alt, span)), range.clone());
                }
                Safe::Open(kind, element) => {
                    if self.top().collects_text() {
                        continue;
                    }
                    if self.nesting() < MAX_NESTING {
                        self.stack.push(Frame::new(
                            Container::InlineHtml { kind, element },
                            range.start,
                        ));
                    } else if !self.html_too_deep {
                        // One error for the paragraph; the text stays in the element around.
                        self.html_too_deep = true;
                        self.too_deep_html(&element, span);
                    }
                }
                Safe::Close(element) => {
                    if matches!(&self.top().container,
                        Container::InlineHtml { element: open, .. } if *open == element)
                    {
                        self.close_inline_html(range.clone());
                    }
                }
                // A block element inside a paragraph: its text stays, its tags do not.
                Safe::BlockOpen(_) | Safe::BlockClose(_) => {}
            }
        }
    }

    /// Folds the inline HTML element open on top of the stack into its parent.
    fn close_inline_html(&mut self, range: Range<usize>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let span = Span::new(self.file, frame.start..range.end);
        let node = self.close(frame, span);
        self.attach(node, range);
    }

    fn anchor(&mut self, id: String, span: Span, range: Range<usize>) {
        if check_id(&id, span, self.diags) {
            self.inline(Inline::Anchor { id, span }, range);
        }
    }

    /// Warns of the HTML dropped from a fragment, and reports the language tags that are none.
    fn report_removed(&mut self, removed: &[Removed], span: Span) {
        let mut seen: Vec<&Removed> = Vec::new();
        for item in removed {
            if seen.contains(&item) {
                continue;
            }
            seen.push(item);
            match item {
                Removed::Element(name) => self
                    .diags
                    .warning(span, format!("the HTML element <{name}> is removed with its content"))
                    .hint("scripts, styles, frames, embedded objects and forms never go into a book"),
                Removed::Tag(name) if matches!(self.flavour, Flavour::MdBook(_)) => {
                    self.unknown_element(name, span)
                }
                Removed::Tag(name) => self
                    .diags
                    .warning(span, format!("the HTML tag <{name}> is ignored; its text is kept"))
                    .hint("use Markdown for emphasis and links; of HTML, <img src alt>, <a id>, <br>, and inline elements such as <sup>, <sub>, <kbd>, <code>, <em>, <strong>, <abbr title> and <span lang> are understood"),
                Removed::Lang(bad) => bad.report(span, TagPlace::Phrase, self.diags),
            }
        }
    }

    /// An element of an mdBook book that is not understood: what a preprocessor would have
    /// turned into HTML (`<Listing>`…), or HTML only the web shows. A browser shows its
    /// content, and so does inkfold; one warning per element name per book.
    fn unknown_element(&mut self, name: &str, span: Span) {
        let Flavour::MdBook(options) = self.flavour else {
            return;
        };
        if options
            .warned_elements
            .borrow_mut()
            .insert(name.to_string())
        {
            self.diags
                .warning(span, format!("the HTML element <{name}> is not understood; its content is kept, as a browser shows it"))
                .hint("a preprocessor may give it a meaning only mdBook's HTML has; this warning is given once for each element name in the book");
        }
    }

    fn inline(&mut self, inline: Inline, range: Range<usize>) {
        let top = self.top();
        if top.collects_text() {
            // Alt text: keep only the words.
            match &inline {
                Inline::Text(t) => top.text.push_str(t),
                Inline::SoftBreak | Inline::HardBreak => top.text.push(' '),
                _ => {}
            }
            return;
        }
        top.inline_range = Some(match top.inline_range.take() {
            Some(r) => r.start..range.end,
            None => range,
        });
        if let (Some(Inline::Text(last)), Inline::Text(next)) = (top.inlines.last_mut(), &inline) {
            last.push_str(next);
        } else {
            top.inlines.push(inline);
        }
    }

    fn block(&mut self, block: Block) {
        self.flush_implicit_paragraph();
        self.top().blocks.push(block);
    }

    /// In tight lists and definitions, text sits directly in the item: wrap it in a paragraph.
    fn flush_implicit_paragraph(&mut self) {
        let top = self.top();
        if !matches!(top.container, Container::Item { .. } | Container::Details) {
            return;
        }
        let Some(range) = top.inline_range.take() else {
            return;
        };
        let inlines = std::mem::take(&mut top.inlines);
        let span = Span::new(self.file, range);
        let inlines = self.checked_inlines(inlines);
        if !inlines.is_empty() {
            self.top().blocks.push(Block {
                kind: BlockKind::Paragraph(inlines),
                span,
            });
        }
    }

    /// Drops images that have neither alt text nor a decorative mark, with an error for each.
    fn checked_inlines(&mut self, inlines: Vec<Inline>) -> Vec<Inline> {
        let mut kept = Vec::with_capacity(inlines.len());
        for inline in inlines {
            if let Inline::Image(image) = &inline
                && image.alt == Alt::Text(String::new())
            {
                self.diags
                        .error(image.span, format!("image `{}` has no alt text", image.src))
                        .hint(format!(
                            "describe the image in the brackets, ![A map of …]({}) (on an HTML image, alt=\"A map of …\"), or mark a purely decorative image with ![]({}){DECORATIVE_MARKER} (alt=\"\")",
                            image.src, image.src
                        ));
                continue;
            }
            kept.push(inline);
        }
        kept
    }

    fn end(&mut self, range: Range<usize>) {
        if self.skipped_depth > 0 {
            self.skipped_depth -= 1;
            return;
        }
        // Inline HTML left open ends with the Markdown container around it, reported.
        let around = match self
            .stack
            .iter()
            .rev()
            .map(|f| &f.container)
            .find(|c| !matches!(c, Container::InlineHtml { .. }))
        {
            Some(Container::Paragraph) => "the paragraph",
            Some(Container::Heading { .. }) => "the heading",
            Some(Container::TableCell | Container::TableHead) => "the table cell",
            _ => "the Markdown text around it",
        };
        while let Container::InlineHtml { element, .. } = &self.top().container {
            let element = element.clone();
            let start = self.top().start;
            let span = self.span(start..start + element.len() + 1);
            self.unclosed(&element, around, span);
            self.close_inline_html(range.clone());
        }
        self.html_too_deep = false;
        self.flush_implicit_paragraph();
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if self.stack.is_empty() {
            // An unbalanced end event; keep the root so parsing can go on.
            self.stack.push(frame);
            return;
        }
        let span = Span::new(self.file, frame.start..range.end);
        let node = self.close(frame, span);
        self.attach(node, range);
    }

    fn close(&mut self, frame: Frame, span: Span) -> Node {
        let inlines = self.checked_inlines(frame.inlines);
        let block = |kind| Node::Block(Block { kind, span });
        match frame.container {
            Container::Root => Node::Nothing,
            Container::Paragraph => match lone_image(inlines) {
                Ok(image) => {
                    let caption = self.figure_captions.remove(&image.span.start);
                    block(BlockKind::Figure(Figure { image, caption }))
                }
                Err(inlines) if inlines.is_empty() => Node::Nothing,
                Err(inlines) => block(BlockKind::Paragraph(inlines)),
            },
            Container::Heading { level, id, lang } => block(BlockKind::Heading(Heading {
                level,
                look: level,
                explicit_id: id.is_some(),
                id: id.unwrap_or_else(|| crate::id::heading_id(&plain_text(&inlines))),
                lang,
                content: inlines,
            })),
            Container::Quote => block(BlockKind::Quote(frame.blocks)),
            Container::Admonition(kind) => block(BlockKind::Admonition {
                kind,
                blocks: frame.blocks,
            }),
            Container::Code { lang, hidelines } => {
                let text = match self.flavour {
                    Flavour::Inkfold => frame.text,
                    Flavour::MdBook(options) => {
                        let prefix = hidelines.as_deref().or_else(|| {
                            lang.as_deref()
                                .and_then(|l| options.hidelines.get(l))
                                .map(String::as_str)
                        });
                        code::without_hidden_lines(&frame.text, lang.as_deref(), prefix)
                    }
                };
                block(BlockKind::Code {
                    lang,
                    text,
                    highlight: Highlight::default(),
                })
            }
            Container::Html => self.html_block(&frame.text, &frame.pieces, span),
            Container::List {
                start,
                items,
                loose,
            } => block(BlockKind::List(List {
                start,
                tight: !loose,
                items,
            })),
            Container::Item { task, loose } => Node::Item(
                ListItem {
                    task,
                    blocks: frame.blocks,
                },
                loose,
            ),
            Container::Note { label } => {
                self.notes.push(Note {
                    label,
                    id: String::new(),
                    ref_id: String::new(),
                    blocks: frame.blocks,
                    span,
                });
                Node::Nothing
            }
            Container::Table {
                columns,
                head,
                rows,
            } => block(BlockKind::Table(Table {
                columns,
                head,
                rows,
            })),
            Container::TableHead => {
                // A blank cell of the header row (the corner of a table whose first column
                // names its rows) heads nothing: it stays a data cell, as HTML wants it, and
                // screen readers announce no empty heading (axe's empty-table-header).
                let cells = frame
                    .cells
                    .into_iter()
                    .map(|c| Cell {
                        role: match crate::chars::is_blank(&plain_text(&c.content)) {
                            true => CellRole::Data,
                            false => CellRole::Header(Scope::Col),
                        },
                        ..c
                    })
                    .collect();
                self.table_head(cells);
                Node::HeadRow
            }
            Container::TableRow => Node::Row(frame.cells),
            Container::TableCell => Node::Cell(Cell {
                role: CellRole::Data,
                content: inlines,
            }),
            Container::DefinitionList { definitions } => block(BlockKind::Definitions(definitions)),
            Container::Term => Node::Term(inlines),
            Container::Details => Node::Details(frame.blocks),
            Container::InlineHtml { kind, .. } => Node::Inline(html_inline(kind, inlines)),
            Container::Emph => Node::Inline(Inline::Emph(inlines)),
            Container::Strong => Node::Inline(Inline::Strong(inlines)),
            Container::Strike => Node::Inline(Inline::Strike(inlines)),
            Container::Link { dest, title, email } => self.link(dest, title, email, inlines, span),
            Container::Image { dest, title } => {
                if !title.is_empty() {
                    self.figure_captions.insert(span.start, title);
                }
                Node::Inline(Inline::Image(Image {
                    src: dest,
                    alt: Alt::Text(frame.text.trim().to_string()),
                    asset: None,
                    span,
                }))
            }
        }
    }

    fn table_head(&mut self, cells: Vec<Cell>) {
        if let Container::Table { head, .. } = &mut self.top().container {
            *head = cells;
        }
    }

    /// An HTML block: its images become figures, the rest a paragraph of its safe parts.
    /// `pieces` maps offsets in `html` to offsets in the chapter (see [`Frame::pieces`]).
    fn html_block(&mut self, html: &str, pieces: &[(usize, usize)], span: Span) -> Node {
        let mut removed = Vec::new();
        let mut skipping = None;
        let safe = html::sanitize(html, &mut skipping, &mut removed);
        self.report_removed(&removed, span);
        let at = |offset: usize, len: usize| source_span(pieces, offset, len, span);
        if safe
            .iter()
            .any(|(_, part)| matches!(part, Safe::BlockOpen(_)))
        {
            return self.html_structure(safe, &at, span);
        }
        let only_images = safe.iter().all(|(_, part)| match part {
            Safe::Image { .. } | Safe::Caption(_) => true,
            Safe::Text(text) => text.trim().is_empty(),
            _ => false,
        });
        // A `<figcaption>` captions the block's (first) image.
        let mut figcaption = safe.iter().find_map(|(_, part)| match part {
            Safe::Caption(text) if !text.trim().is_empty() => {
                Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            _ => None,
        });
        let mut blocks = Vec::new();
        let mut root = Vec::new();
        // Inline elements open in the block: what each holds so far, and where it opened.
        let mut open: Vec<(Opened, String, Vec<Inline>, usize)> = Vec::new();
        fn target<'a>(
            open: &'a mut [(Opened, String, Vec<Inline>, usize)],
            root: &'a mut Vec<Inline>,
        ) -> &'a mut Vec<Inline> {
            match open.last_mut() {
                Some((_, _, content, _)) => content,
                None => root,
            }
        }
        let outer = self.nesting();
        let mut too_deep = false;
        for (offset, part) in safe {
            match part {
                Safe::Open(kind, element) => {
                    if outer + open.len() < MAX_NESTING {
                        open.push((kind, element, Vec::new(), offset));
                    } else if !too_deep {
                        too_deep = true;
                        self.too_deep_html(&element, at(offset, element.len() + 1));
                    }
                }
                Safe::Close(element) => {
                    if open.last().is_some_and(|(_, e, _, _)| *e == element)
                        && let Some((kind, _, content, _)) = open.pop()
                    {
                        target(&mut open, &mut root).push(html_inline(kind, content));
                    }
                }
                Safe::BlockOpen(_) | Safe::BlockClose(_) => {}
                Safe::Image { src, alt, title } if only_images => {
                    let image = html_image(src, alt, span);
                    if let Ok(image) = lone_image(self.checked_inlines(vec![Inline::Image(image)]))
                    {
                        blocks.push(Block {
                            kind: BlockKind::Figure(Figure {
                                image,
                                caption: figcaption.take().or(title),
                            }),
                            span,
                        });
                    }
                }
                Safe::Caption(_) if only_images => {}
                Safe::Image { src, alt, .. } => {
                    target(&mut open, &mut root).push(Inline::Image(html_image(src, alt, span)))
                }
                Safe::Text(text) | Safe::Caption(text) => {
                    let inlines = target(&mut open, &mut root);
                    match inlines.last_mut() {
                        Some(Inline::Text(last)) => last.push_str(&text),
                        _ => inlines.push(Inline::Text(text)),
                    }
                }
                Safe::Break => target(&mut open, &mut root).push(Inline::HardBreak),
                Safe::Anchor(id) => {
                    if check_id(&id, span, self.diags) {
                        target(&mut open, &mut root).push(Inline::Anchor { id, span });
                    }
                }
            }
        }
        // Elements left open end with the block, their text kept.
        while let Some((kind, element, content, offset)) = open.pop() {
            self.unclosed(&element, "the HTML block", at(offset, element.len() + 1));
            target(&mut open, &mut root).push(html_inline(kind, content));
        }
        let inlines = root;
        let inlines = self.checked_inlines(inlines);
        let has_content = inlines
            .iter()
            .any(|i| !matches!(i, Inline::Text(t) if t.trim().is_empty()));
        if has_content {
            // Collapse the block's line breaks and indentation like Markdown text: runs of white
            // space become one space, none at the block's ends.
            let mut inlines = inlines;
            collapse_spaces(&mut inlines);
            if let Some(Inline::Text(first)) = inlines.first_mut() {
                *first = first.trim_start().to_string();
            }
            if let Some(Inline::Text(last)) = inlines.last_mut() {
                *last = last.trim_end().to_string();
            }
            blocks.push(Block {
                kind: BlockKind::Paragraph(inlines),
                span,
            });
        }
        Node::Blocks(blocks)
    }

    /// Inline HTML elements nested beyond [`MAX_NESTING`]: one error where the first too many
    /// opens (its text is kept, in the element around it).
    fn too_deep_html(&mut self, element: &str, span: Span) {
        self.diags
            .error(
                span,
                format!("HTML elements nest more than {MAX_NESTING} deep here (<{element}>)"),
            )
            .hint("flatten the structure; no reader can follow nesting this deep");
    }

    /// An HTML element never closed: it ends with the HTML block or paragraph around it (`end`),
    /// as CommonMark ends the block, with its text kept. An unclosed `<pre>` is an error: the
    /// HTML block it opens runs to its `</pre>`, so without one the rest of the chapter —
    /// headings included — is set as preformatted text. Any other element is a warning.
    fn unclosed(&mut self, element: &str, end: &str, span: Span) {
        if element == "pre" {
            self.diags
                .error(span, "the HTML element <pre> is never closed")
                .hint("close it with </pre>: until one, everything after it to the end of the file (headings too) is preformatted text");
        } else {
            self.diags
                .warning(
                    span,
                    format!("the HTML element <{element}> is never closed; it ends with {end}"),
                )
                .hint(format!(
                    "close it with </{element}> where it should end; a blank line ends an HTML block"
                ));
        }
    }

    /// An HTML block with block elements that carry meaning: `<pre>` becomes code as written,
    /// `<dl>` a definition list, a `<details>` element's `<summary>` a paragraph in bold (the
    /// details are printed open); text around them becomes paragraphs. A `<dt>` or `<dd>` ends
    /// at the next one or at `</dl>`, as in HTML; any element left open ends with the block,
    /// reported (see [`Builder::unclosed`]). `at` locates an offset of the block's text.
    fn html_structure(
        &mut self,
        safe: Vec<(usize, Safe)>,
        at: &dyn Fn(usize, usize) -> Span,
        span: Span,
    ) -> Node {
        let mut blocks: Vec<Block> = Vec::new();
        // The definitions of the `<dl>` open (where it opened), each term with where it opened.
        let mut list: Option<usize> = None;
        let mut definitions: Vec<(Definition, Span)> = Vec::new();
        // The block element open (`pre`, `dt`, `dd`, `summary`), where it opened, its text.
        let mut inside: Option<(String, usize)> = None;
        let mut text = String::new();
        let mut inlines: Vec<Inline> = Vec::new();
        let paragraph = |inlines: Vec<Inline>| {
            let mut inlines = inlines;
            collapse_spaces(&mut inlines);
            let empty = plain_text(&inlines).trim().is_empty();
            (!empty).then_some(Block {
                kind: BlockKind::Paragraph(inlines),
                span,
            })
        };
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        // A block made inside a `<dl>` after a definition joins that definition.
        fn emit(block: Block, blocks: &mut Vec<Block>, definitions: &mut [(Definition, Span)]) {
            match definitions
                .last_mut()
                .and_then(|(d, _)| d.details.last_mut())
            {
                Some(details) => details.push(block),
                None => blocks.push(block),
            }
        }
        let finish = |this: &mut Self,
                      name: &str,
                      opened: usize,
                      content: String,
                      blocks: &mut Vec<Block>,
                      definitions: &mut Vec<(Definition, Span)>| {
            match name {
                "pre" => emit(
                    Block {
                        kind: BlockKind::Code {
                            lang: None,
                            text: content.trim_start_matches('\n').to_string(),
                            highlight: Highlight::default(),
                        },
                        span,
                    },
                    blocks,
                    definitions,
                ),
                "summary" => emit(
                    Block {
                        kind: BlockKind::Paragraph(vec![Inline::Strong(vec![Inline::Text(
                            words(&content),
                        )])]),
                        span,
                    },
                    blocks,
                    definitions,
                ),
                "dt" => definitions.push((
                    Definition {
                        term: vec![Inline::Text(words(&content))],
                        details: Vec::new(),
                    },
                    at(opened, 3),
                )),
                "dd" => {
                    let details = paragraph(vec![Inline::Text(content.trim().to_string())]);
                    match definitions.last_mut() {
                        Some((definition, _)) => {
                            definition.details.push(details.into_iter().collect())
                        }
                        None => {
                            this.diags
                                .error(at(opened, 3), "a definition (<dd>) without a term (<dt>) before it")
                                .hint("put the term in a <dt> before its <dd>, both inside one <dl>; a blank line ends an HTML block, and the <dl> with it");
                            blocks.extend(details);
                        }
                    }
                }
                _ => {}
            }
        };
        let end_list = |this: &mut Self,
                        blocks: &mut Vec<Block>,
                        definitions: &mut Vec<(Definition, Span)>| {
            if definitions.is_empty() {
                return;
            }
            for (definition, term) in definitions.iter() {
                if definition.details.is_empty() {
                    this.diags
                        .error(
                            *term,
                            format!(
                                "the term `{}` (<dt>) has no definition (<dd>)",
                                plain_text(&definition.term)
                            ),
                        )
                        .hint("follow each <dt> with its <dd> inside the same <dl>; a blank line ends an HTML block, and the <dl> with it");
                }
            }
            blocks.push(Block {
                kind: BlockKind::Definitions(
                    std::mem::take(definitions)
                        .into_iter()
                        .map(|(d, _)| d)
                        .collect(),
                ),
                span,
            });
        };
        for (offset, part) in safe {
            match part {
                Safe::BlockOpen(name) => {
                    if let Some((open, opened)) = inside.take() {
                        // A `<dt>` or `<dd>` ends at the next block element, as in HTML.
                        if !matches!(open.as_str(), "dt" | "dd") {
                            let end = format!("the <{name}> after it");
                            self.unclosed(&open, &end, at(opened, open.len() + 1));
                        }
                        let content = std::mem::take(&mut text);
                        finish(self, &open, opened, content, &mut blocks, &mut definitions);
                    }
                    if let Some(block) = paragraph(std::mem::take(&mut inlines)) {
                        emit(block, &mut blocks, &mut definitions);
                    }
                    if name == "dl" {
                        end_list(self, &mut blocks, &mut definitions);
                        list = Some(offset);
                    } else {
                        inside = Some((name, offset));
                    }
                }
                Safe::BlockClose(name) => {
                    if let Some((open, opened)) = inside.take() {
                        let implied = open == name || matches!(open.as_str(), "dt" | "dd");
                        if !implied {
                            let end = format!("</{name}>");
                            self.unclosed(&open, &end, at(opened, open.len() + 1));
                        }
                        let content = std::mem::take(&mut text);
                        finish(self, &open, opened, content, &mut blocks, &mut definitions);
                    }
                    if name == "dl" {
                        if let Some(block) = paragraph(std::mem::take(&mut inlines)) {
                            emit(block, &mut blocks, &mut definitions);
                        }
                        end_list(self, &mut blocks, &mut definitions);
                        list = None;
                    }
                }
                Safe::Text(t) | Safe::Caption(t) => {
                    if inside.is_some() {
                        text.push_str(&t);
                    } else {
                        inlines.push(Inline::Text(t));
                    }
                }
                Safe::Break if inside.is_none() => inlines.push(Inline::HardBreak),
                Safe::Anchor(id) if inside.is_none() && check_id(&id, span, self.diags) => {
                    inlines.push(Inline::Anchor { id, span });
                }
                Safe::Image { src, alt, .. } if inside.is_none() => {
                    inlines.push(Inline::Image(html_image(src, alt, span)));
                }
                // Inline elements inside these blocks keep their text only.
                _ => {}
            }
        }
        // What is left open ends with the block, its text kept.
        if let Some((open, opened)) = inside.take() {
            self.unclosed(&open, "the HTML block", at(opened, open.len() + 1));
            finish(self, &open, opened, text, &mut blocks, &mut definitions);
        }
        if let Some(block) = paragraph(std::mem::take(&mut inlines)) {
            emit(block, &mut blocks, &mut definitions);
        }
        if let Some(opened) = list {
            self.unclosed("dl", "the HTML block", at(opened, 3));
        }
        end_list(self, &mut blocks, &mut definitions);
        let blocks = blocks
            .into_iter()
            .map(|mut block| {
                if let BlockKind::Paragraph(inlines) = block.kind {
                    block.kind = BlockKind::Paragraph(self.checked_inlines(inlines));
                }
                block
            })
            .collect();
        Node::Blocks(blocks)
    }

    fn link(
        &mut self,
        dest: String,
        title: String,
        email: bool,
        content: Vec<Inline>,
        span: Span,
    ) -> Node {
        let dest = dest.trim().to_string();
        if dest.is_empty() {
            self.diags
                .error(span, "this link has no target")
                .hint("put the address or `#heading-id` in the parentheses: [text](https://…)");
            return Node::Inline(Inline::Text(plain_text(&content)));
        }
        let target = if email {
            LinkTarget::Url(format!("mailto:{}", escaped_url(&dest)))
        } else if has_scheme(&dest) {
            let scheme = dest.split(':').next().unwrap_or("").to_ascii_lowercase();
            if !SAFE_SCHEMES.contains(&scheme.as_str()) {
                self.diags
                    .error(span, format!("links to `{scheme}:` addresses are not allowed"))
                    .hint("link to an https:// (or http://, mailto:, tel:) address, or to a heading with #id");
                return Node::Inline(Inline::Text(plain_text(&content)));
            }
            LinkTarget::Url(escaped_url(&dest).into_owned())
        } else {
            LinkTarget::Unresolved(dest)
        };
        Node::Inline(Inline::Link(Link {
            target,
            title: (!title.is_empty()).then_some(title),
            content,
            span,
        }))
    }

    fn attach(&mut self, node: Node, range: Range<usize>) {
        match node {
            Node::Nothing | Node::HeadRow => {}
            Node::Block(block) => self.block(block),
            Node::Blocks(blocks) => blocks.into_iter().for_each(|b| self.block(b)),
            Node::Inline(inline) => self.inline(inline, range),
            Node::Item(item, item_loose) => {
                if let Container::List { items, loose, .. } = &mut self.top().container {
                    items.push(item);
                    *loose |= item_loose;
                }
            }
            Node::Cell(cell) => self.top().cells.push(cell),
            Node::Row(cells) => {
                if let Container::Table { rows, .. } = &mut self.top().container {
                    rows.push(cells);
                }
            }
            Node::Term(term) => {
                if let Container::DefinitionList { definitions } = &mut self.top().container {
                    definitions.push(Definition {
                        term,
                        details: Vec::new(),
                    });
                }
            }
            Node::Details(blocks) => {
                if let Container::DefinitionList { definitions } = &mut self.top().container {
                    match definitions.last_mut() {
                        Some(def) => def.details.push(blocks),
                        None => definitions.push(Definition {
                            term: Vec::new(),
                            details: vec![blocks],
                        }),
                    }
                }
            }
        }
    }
}

/// An image from an `<img>` tag: no `alt` is an error later; `alt=""` marks it decorative.
fn html_image(src: String, alt: Option<String>, span: Span) -> Image {
    let alt = match alt {
        Some(alt) if alt.trim().is_empty() => Alt::Decorative,
        Some(alt) => Alt::Text(alt.trim().to_string()),
        None => Alt::Text(String::new()),
    };
    Image {
        src,
        alt,
        asset: None,
        span,
    }
}

fn is_block_container(container: &Container) -> bool {
    !matches!(
        container,
        Container::Emph
            | Container::Strong
            | Container::Strike
            | Container::Link { .. }
            | Container::Image { .. }
            | Container::TableCell
            | Container::TableHead
            | Container::TableRow
            | Container::Term
    )
}

/// A paragraph that holds one image and nothing else (but spaces) is a figure.
fn lone_image(inlines: Vec<Inline>) -> Result<Image, Vec<Inline>> {
    let is_blank = |i: &Inline| matches!(i, Inline::Text(t) if t.trim().is_empty());
    if inlines.iter().filter(|i| !is_blank(i)).count() != 1 {
        return Err(inlines);
    }
    match inlines.iter().position(|i| matches!(i, Inline::Image(_))) {
        Some(at) => match inlines.into_iter().nth(at) {
            Some(Inline::Image(image)) => Ok(image),
            _ => Err(Vec::new()),
        },
        None => Err(inlines),
    }
}

fn admonition_kind(kind: BlockQuoteKind) -> AdmonitionKind {
    match kind {
        BlockQuoteKind::Note => AdmonitionKind::Note,
        BlockQuoteKind::Tip => AdmonitionKind::Tip,
        BlockQuoteKind::Important => AdmonitionKind::Important,
        BlockQuoteKind::Warning => AdmonitionKind::Warning,
        BlockQuoteKind::Caution => AdmonitionKind::Caution,
    }
}

fn heading_level(level: CmLevel) -> HeadingLevel {
    match level {
        CmLevel::H1 => HeadingLevel::H1,
        CmLevel::H2 => HeadingLevel::H2,
        CmLevel::H3 => HeadingLevel::H3,
        CmLevel::H4 => HeadingLevel::H4,
        CmLevel::H5 => HeadingLevel::H5,
        CmLevel::H6 => HeadingLevel::H6,
    }
}

fn align(alignment: Alignment) -> Align {
    match alignment {
        Alignment::None => Align::Default,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

/// `https:`, `mailto:` and the like; a Windows drive letter is not a scheme.
pub fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Runs of white space in text become one space, in nested inlines too.
fn collapse_spaces(inlines: &mut [Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => {
                let mut out = String::with_capacity(text.len());
                let mut space = false;
                for c in text.chars() {
                    if c.is_whitespace() {
                        space = true;
                    } else {
                        if space {
                            out.push(' ');
                            space = false;
                        }
                        out.push(c);
                    }
                }
                if space {
                    out.push(' ');
                }
                *text = out;
            }
            Inline::Emph(c) | Inline::Strong(c) | Inline::Strike(c) => collapse_spaces(c),
            Inline::Styled { content, .. } => collapse_spaces(content),
            _ => {}
        }
    }
}

/// The span of `len` bytes at `offset` in an HTML block's text, by its `pieces` (see
/// [`Frame::pieces`]); the block's `span` when the offset cannot be placed.
fn source_span(pieces: &[(usize, usize)], offset: usize, len: usize, span: Span) -> Span {
    let index = pieces.partition_point(|&(text, _)| text <= offset);
    match index.checked_sub(1).and_then(|i| pieces.get(i)) {
        Some(&(text, source)) => {
            let start = source + (offset - text);
            Span::new(span.file, start..start + len)
        }
        None => span,
    }
}

/// The inline an HTML element that carries meaning becomes.
fn html_inline(kind: Opened, content: Vec<Inline>) -> Inline {
    match kind {
        Opened::Emph => Inline::Emph(content),
        Opened::Strong => Inline::Strong(content),
        Opened::Strike => Inline::Strike(content),
        Opened::Code => Inline::Code(plain_text(&content)),
        Opened::Styled(InlineStyle::Ruby) => Inline::Styled {
            style: InlineStyle::Ruby,
            content: with_ruby_parentheses(content),
        },
        Opened::Styled(style) => Inline::Styled { style, content },
    }
}

/// A ruby's content with `<rp>` parentheses around each annotation the author gave none: where
/// ruby is not shown above its text (print, reading systems without it) the annotation
/// follows the text, and without them `<ruby>漢<rt>かん</rt></ruby>` would read 漢かん.
fn with_ruby_parentheses(content: Vec<Inline>) -> Vec<Inline> {
    let is = |inline: Option<&Inline>, wanted: &InlineStyle| matches!(inline, Some(Inline::Styled { style, .. }) if style == wanted);
    let parenthesis = |mark: &str| Inline::Styled {
        style: InlineStyle::RubyParenthesis,
        content: vec![Inline::Text(mark.to_string())],
    };
    let mut out = Vec::with_capacity(content.len());
    let mut items = content.into_iter().peekable();
    while let Some(inline) = items.next() {
        let annotation = is(Some(&inline), &InlineStyle::RubyText);
        if annotation && !is(out.last(), &InlineStyle::RubyParenthesis) {
            out.push(parenthesis("("));
        }
        out.push(inline);
        if annotation && !is(items.peek(), &InlineStyle::RubyParenthesis) {
            out.push(parenthesis(")"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What RFC 3986 allows nowhere, a second `#` and a stray `%` are escaped; the rest of an
    /// address, non-ASCII included, is kept as written.
    #[test]
    fn addresses_are_escaped_where_readers_refuse_them() {
        for (written, kept) in [
            (
                "https://matrix.to/#/#esp-rs:matrix.org",
                "https://matrix.to/#/%23esp-rs:matrix.org",
            ),
            (
                "https://x.org/a b?q=\"1\"|{2}",
                "https://x.org/a%20b?q=%221%22%7C%7B2%7D",
            ),
            ("https://x.org/100%", "https://x.org/100%25"),
            ("https://x.org/%41%zz", "https://x.org/%41%25zz"),
            (
                "https://ja.wikipedia.org/wiki/東京#歴史",
                "https://ja.wikipedia.org/wiki/東京#歴史",
            ),
            (
                "https://x.org/a?b=1&c=2#frag",
                "https://x.org/a?b=1&c=2#frag",
            ),
        ] {
            assert_eq!(escaped_url(written), kept);
        }
    }
    use crate::diag::SourceMap;

    fn parse(text: &str) -> (ParsedChapter, Vec<String>) {
        parse_as(&[text], &Flavour::Inkfold).swap_remove(0)
    }

    /// Parses each text as one chapter of a book written in `flavour`; each chapter's
    /// problems come with it.
    fn parse_as(texts: &[&str], flavour: &Flavour) -> Vec<(ParsedChapter, Vec<String>)> {
        let mut map = SourceMap::default();
        texts
            .iter()
            .map(|text| {
                let file = map.add("c.md".into(), text.to_string());
                let mut diags = Diagnostics::default();
                let parsed = parse_chapter(file, text, flavour, &mut diags);
                let problems = diags
                    .resolve(&map)
                    .into_iter()
                    .map(|p| format!("{}:{}:{} {}", p.severity, p.line, p.column, p.message))
                    .collect();
                (parsed, problems)
            })
            .collect()
    }

    fn mdbook(hidelines: &[(&str, &str)], mathjax: bool) -> Flavour {
        Flavour::MdBook(MdBookOptions {
            hidelines: hidelines
                .iter()
                .map(|(l, p)| (l.to_string(), p.to_string()))
                .collect(),
            mathjax,
            ..MdBookOptions::default()
        })
    }

    fn code(block: &Block) -> (Option<&str>, &str) {
        match &block.kind {
            BlockKind::Code { lang, text, .. } => (lang.as_deref(), text),
            other => panic!("a code block: {other:?}"),
        }
    }

    #[test]
    fn fence_attributes_leave_the_language_in_every_book() {
        let text = "```rust,ignore,should_panic\n# hidden\nshown\n```\n\n```rust ,ignore\nx\n```\n";
        let (parsed, _) = parse(text);
        // An inkfold manuscript has no hidden lines.
        assert_eq!(code(&parsed.blocks[0]), (Some("rust"), "# hidden\nshown\n"));
        assert_eq!(code(&parsed.blocks[1]).0, Some("rust"));
        let (parsed, _) = &parse_as(&[text], &mdbook(&[], false))[0];
        assert_eq!(code(&parsed.blocks[0]), (Some("rust"), "shown\n"));
    }

    #[test]
    fn hidden_lines_by_the_block_prefix_or_the_book_prefix() {
        let text = "```python\n~import os\nprint(1)\n```\n\n```sh hidelines=%\n%set -e\n~ls\n```\n\n```text\n~x\n```\n";
        let (parsed, _) = &parse_as(&[text], &mdbook(&[("python", "~")], false))[0];
        assert_eq!(code(&parsed.blocks[0]).1, "print(1)\n");
        assert_eq!(code(&parsed.blocks[1]), (Some("sh"), "~ls\n"));
        assert_eq!(code(&parsed.blocks[2]).1, "~x\n");
    }

    #[test]
    fn admonitions_are_blocks_of_their_own_in_every_book() {
        let (parsed, problems) = parse(
            "> [!WARNING]\n> Hot.\n>\n> - a\n\n> [!TIP]\n> Try.\n\n> [!NONSENSE]\n> Quote.\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let BlockKind::Admonition { kind, blocks } = &parsed.blocks[0].kind else {
            panic!("an admonition: {:?}", parsed.blocks[0].kind);
        };
        assert_eq!(*kind, AdmonitionKind::Warning);
        assert!(matches!(&blocks[0].kind, BlockKind::Paragraph(i) if plain_text(i) == "Hot."));
        assert!(matches!(blocks[1].kind, BlockKind::List(_)));
        assert!(matches!(
            parsed.blocks[1].kind,
            BlockKind::Admonition {
                kind: AdmonitionKind::Tip,
                ..
            }
        ));
        // An unknown kind is a quote as written.
        let BlockKind::Quote(blocks) = &parsed.blocks[2].kind else {
            panic!("a quote: {:?}", parsed.blocks[2].kind);
        };
        assert!(
            matches!(&blocks[0].kind, BlockKind::Paragraph(i) if plain_text(i).starts_with("[!NONSENSE]"))
        );
    }

    #[test]
    fn unknown_elements_keep_their_content_with_one_warning_per_name_per_book() {
        let flavour = mdbook(&[], false);
        let chapters = parse_as(
            &[
                "<Listing number=\"1-1\">\n\n```rust\nfn main() {}\n```\n\n</Listing>\n\nSee <Listing>this</Listing> and <custom-tag>that</custom-tag>.\n",
                "<Listing>\n\nAgain.\n\n</Listing>\n",
            ],
            &flavour,
        );
        let (first, problems) = &chapters[0];
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("<listing>"), "{problems:?}");
        assert!(problems[1].contains("<custom-tag>"), "{problems:?}");
        assert!(problems.iter().all(|p| p.starts_with("warning")));
        assert_eq!(code(&first.blocks[0]).1, "fn main() {}\n");
        assert!(
            matches!(&first.blocks[1].kind, BlockKind::Paragraph(i) if plain_text(i) == "See this and that.")
        );
        let (second, problems) = &chapters[1];
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            matches!(&second.blocks[0].kind, BlockKind::Paragraph(i) if plain_text(i) == "Again.")
        );
    }

    #[test]
    fn math_is_kept_as_text_with_one_warning_per_chapter() {
        let text = "Let \\\\(x^2\\\\) be.\n\n$$\na + b\n$$\n\n```sh\necho $$\n```\n";
        let chapters = parse_as(&[text, "No math: `\\(x\\)`, $5.\n"], &mdbook(&[], true));
        let (parsed, problems) = &chapters[0];
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("warning:1:"), "{problems:?}");
        assert!(
            matches!(&parsed.blocks[0].kind, BlockKind::Paragraph(i) if plain_text(i) == "Let \\(x^2\\) be.")
        );
        assert!(chapters[1].1.is_empty(), "{:?}", chapters[1].1);
        // A delimiter split by an escape, before text that smart punctuation lengthens.
        let split = parse_as(&["It's \\\\(it's\\\\).\n"], &mdbook(&[], true));
        assert_eq!(split[0].1.len(), 1, "{:?}", split[0].1);
        // Without MathJax, dollars are only dollars.
        assert!(parse_as(&[text], &mdbook(&[], false))[0].1.is_empty());
    }

    #[test]
    fn lone_image_with_title_is_a_figure_with_caption() {
        let (parsed, problems) = parse("![A red square](red.png \"Figure 1. Red.\")\n");
        assert!(problems.is_empty(), "{problems:?}");
        let BlockKind::Figure(figure) = &parsed.blocks[0].kind else {
            panic!("expected a figure, got {:?}", parsed.blocks[0].kind);
        };
        assert_eq!(figure.image.alt, Alt::Text("A red square".into()));
        assert_eq!(figure.caption.as_deref(), Some("Figure 1. Red."));
    }

    #[test]
    fn image_without_alt_is_an_error_and_dropped() {
        let (parsed, problems) = parse("Text\n\n![](x.png)\n");
        assert_eq!(problems, ["error:3:1 image `x.png` has no alt text"]);
        assert_eq!(parsed.blocks.len(), 1);
    }

    #[test]
    fn decorative_marker_is_explicit() {
        let (parsed, problems) = parse("![](flourish.svg){.decorative}\n");
        assert!(problems.is_empty(), "{problems:?}");
        let BlockKind::Figure(figure) = &parsed.blocks[0].kind else {
            panic!("expected a figure");
        };
        assert_eq!(figure.image.alt, Alt::Decorative);
        let (_, problems) = parse("![words](flourish.svg){.decorative}\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn tight_list_items_get_paragraphs_with_spans() {
        let (parsed, _) = parse("- one\n- two *b*\n");
        let BlockKind::List(list) = &parsed.blocks[0].kind else {
            panic!("expected a list");
        };
        assert!(list.tight);
        assert_eq!(list.items.len(), 2);
        assert_eq!(list.items[1].blocks[0].span.start, 8);
        let (parsed, _) = parse("- one\n\n- two\n");
        let BlockKind::List(list) = &parsed.blocks[0].kind else {
            panic!("expected a list");
        };
        assert!(!list.tight);
    }

    #[test]
    fn heading_attributes_give_id_and_language() {
        let (parsed, problems) = parse("## Résumé {#resume lang=fr}\n");
        assert!(problems.is_empty(), "{problems:?}");
        let BlockKind::Heading(h) = &parsed.blocks[0].kind else {
            panic!("expected a heading");
        };
        assert_eq!(h.id, "resume");
        assert!(h.explicit_id);
        assert_eq!(h.lang.as_ref().map(Lang::as_str), Some("fr"));
        // Any HTML id is accepted (`1st` too); a bad language tag is not.
        let (parsed, problems) = parse("## X {#1st lang=not_a_tag}\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("not a valid language tag"),
            "{problems:?}"
        );
        let BlockKind::Heading(h) = &parsed.blocks[0].kind else {
            panic!("expected a heading");
        };
        assert_eq!(h.id, "1st");
    }

    #[test]
    fn a_phrase_with_a_bad_language_tag_is_an_error_where_it_is_written() {
        let (parsed, problems) = parse(
            "Say <span lang=\"fr\">oui</span>, <span lang=\"french\">non</span> and <span lang=\"\">?</span>.\n\n<p><span lang=\"en_GB\">yes</span></p>\n",
        );
        assert_eq!(
            problems,
            [
                "error:1:33 `french` is not a valid language tag: the primary language is not in the IANA Language Subtag Registry",
                "error:3:1 `en_GB` is not a valid language tag: it is not written as BCP 47 asks (a language, then a script, region or variant, joined by `-`)",
            ]
        );
        // The good tag is kept; the bad one and the empty one (HTML's "unknown") open nothing.
        let BlockKind::Paragraph(inlines) = &parsed.blocks[0].kind else {
            panic!("expected a paragraph");
        };
        let spans: Vec<Option<&str>> = inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Styled {
                    style: InlineStyle::Span { lang, .. },
                    ..
                } => Some(lang.as_ref().map(Lang::as_str)),
                _ => None,
            })
            .collect();
        assert_eq!(spans, [Some("fr")]);
    }

    #[test]
    fn links_are_classified() {
        let (parsed, _) = parse("[a](https://x.org) [b](#sec) <me@x.org>\n");
        let BlockKind::Paragraph(inlines) = &parsed.blocks[0].kind else {
            panic!("expected a paragraph");
        };
        let targets: Vec<&LinkTarget> = inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Link(l) => Some(&l.target),
                _ => None,
            })
            .collect();
        assert_eq!(
            targets,
            [
                &LinkTarget::Url("https://x.org".into()),
                &LinkTarget::Unresolved("#sec".into()),
                &LinkTarget::Url("mailto:me@x.org".into()),
            ]
        );
    }

    #[test]
    fn html_comments_vanish_and_unknown_tags_keep_their_text() {
        let (parsed, problems) =
            parse("<!-- note -- with dashes -->\n\nA <blink>b</blink> <b>c</b>\n");
        assert_eq!(parsed.blocks.len(), 1);
        let BlockKind::Paragraph(inlines) = &parsed.blocks[0].kind else {
            panic!("a paragraph");
        };
        assert_eq!(plain_text(inlines), "A b c");
        assert!(
            matches!(inlines.last(), Some(Inline::Strong(_))),
            "{inlines:?}"
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn html_images_become_figures_and_anchors_targets() {
        let (parsed, problems) = parse(
            "<figure><img src=\"a.png\" alt=\"A chart\"><figcaption>Fig. 1</figcaption></figure>\n\nText <a id=\"here\"></a>and <img src=\"b.png\" alt=\"\">.\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let BlockKind::Figure(figure) = &parsed.blocks[0].kind else {
            panic!("a figure: {:?}", parsed.blocks[0].kind);
        };
        assert_eq!(figure.image.alt, Alt::Text("A chart".into()));
        assert_eq!(figure.caption.as_deref(), Some("Fig. 1"));
        let BlockKind::Paragraph(inlines) = &parsed.blocks[1].kind else {
            panic!("a paragraph");
        };
        assert!(
            inlines
                .iter()
                .any(|i| matches!(i, Inline::Anchor { id, .. } if id == "here")),
            "{inlines:?}"
        );
        assert!(inlines.iter().any(|i| matches!(
            i,
            Inline::Image(Image {
                alt: Alt::Decorative,
                ..
            })
        )));
        let (_, problems) = parse("<img src=\"c.png\">\n");
        assert_eq!(problems, ["error:1:1 image `c.png` has no alt text"]);
    }

    #[test]
    fn scripts_are_dropped_inline_and_in_blocks() {
        let (parsed, problems) = parse(
            "<script>alert(1)</script>\n\nA <script>evil()</script> b <span onclick=\"x\">c</span>\n",
        );
        let text: String = parsed
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Paragraph(inlines) => Some(plain_text(inlines)),
                _ => None,
            })
            .collect();
        assert!(
            !text.contains("alert") && !text.contains("evil") && !text.contains("onclick"),
            "{text}"
        );
        assert!(
            problems.iter().any(|p| p.contains("<script> is removed")),
            "{problems:?}"
        );
    }

    #[test]
    fn deep_nesting_is_one_error_and_a_shallow_model() {
        let text = ">".repeat(10_000) + " deep\n";
        let (parsed, problems) = parse(&text);
        assert_eq!(parsed.blocks.len(), 1);
        assert_eq!(
            problems,
            ["error:1:61 quotes, lists or emphasis nest more than 60 deep here"]
        );
        let mut depth = 0;
        let mut blocks = &parsed.blocks;
        while let Some(Block {
            kind: BlockKind::Quote(inner),
            ..
        }) = blocks.first()
        {
            depth += 1;
            blocks = inner;
        }
        assert_eq!(depth, MAX_NESTING);
    }

    /// The limit is the README's: 60 levels of quotes or lists are accepted, 61 refused.
    #[test]
    fn nesting_is_limited_at_60_levels() {
        fn depth(blocks: &[Block]) -> usize {
            match blocks.first().map(|b| &b.kind) {
                Some(BlockKind::Quote(inner)) => 1 + depth(inner),
                Some(BlockKind::List(list)) => {
                    1 + list
                        .items
                        .first()
                        .map_or(0, |item| depth(item.blocks.get(1..).unwrap_or(&[])))
                }
                _ => 0,
            }
        }
        for levels in [MAX_NESTING, MAX_NESTING + 1] {
            let quotes = ">".repeat(levels) + " deep\n";
            let (parsed, problems) = parse(&quotes);
            assert_eq!(
                problems.is_empty(),
                levels == MAX_NESTING,
                "{levels}: {problems:?}"
            );
            assert_eq!(depth(&parsed.blocks), levels.min(MAX_NESTING));
            let lists: String = (0..levels)
                .map(|k| format!("{}- item {k}\n", "  ".repeat(k)))
                .collect();
            let (parsed, problems) = parse(&lists);
            assert_eq!(
                problems.is_empty(),
                levels == MAX_NESTING,
                "{levels}: {problems:?}"
            );
            assert_eq!(depth(&parsed.blocks), levels.min(MAX_NESTING));
        }
    }

    #[test]
    fn unsafe_link_schemes_are_errors() {
        for dest in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "file:///etc/passwd",
            "vbscript:x",
        ] {
            let (parsed, problems) = parse(&format!("[a]({dest})\n"));
            assert_eq!(problems.len(), 1, "{dest}: {problems:?}");
            assert!(problems[0].contains("not allowed"), "{problems:?}");
            let BlockKind::Paragraph(inlines) = &parsed.blocks[0].kind else {
                panic!("a paragraph");
            };
            assert!(!inlines.iter().any(|i| matches!(i, Inline::Link(_))));
        }
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://a"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("C:/x"));
        assert!(!has_scheme("chapter.md#x"));
    }

    #[test]
    fn html_blocks_that_carry_meaning() {
        let (parsed, problems) = parse(
            "<details>\n<summary>More</summary>\n\nHidden **text**.\n\n</details>\n\n<pre>\n  a &lt; b\n    c\n</pre>\n\n<dl>\n<dt>Term</dt>\n<dd>Its meaning.</dd>\n</dl>\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let kinds: Vec<&BlockKind> = parsed.blocks.iter().map(|b| &b.kind).collect();
        assert!(
            matches!(kinds[0], BlockKind::Paragraph(i) if matches!(&i[0], Inline::Strong(_)) && plain_text(i) == "More"),
            "{kinds:?}"
        );
        assert!(matches!(kinds[1], BlockKind::Paragraph(i) if plain_text(i) == "Hidden text."));
        assert!(
            matches!(kinds[2], BlockKind::Code { text, .. } if text == "  a < b\n    c\n"),
            "{kinds:?}"
        );
        assert!(
            matches!(kinds[3], BlockKind::Definitions(d) if plain_text(&d[0].term) == "Term" && d[0].details.len() == 1),
            "{kinds:?}"
        );
    }

    #[test]
    fn an_unclosed_pre_keeps_the_rest_of_the_file_with_an_error_at_its_line() {
        let (parsed, problems) = parse("# One\n\nText.\n\n<pre>\ncode\n\n## Two\n\nMore.\n");
        assert_eq!(
            problems,
            ["error:5:1 the HTML element <pre> is never closed"]
        );
        let code = parsed.blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Code { text, .. } => Some(text.as_str()),
            _ => None,
        });
        assert_eq!(code, Some("code\n\n## Two\n\nMore.\n"));
    }

    #[test]
    fn unclosed_elements_end_with_their_block_text_kept_and_reported() {
        let (parsed, problems) = parse(
            "<dl>\n<dt>Term</dt>\n<dd>Its meaning\n\nAfter.\n\nText <sup>up\n\n<div><em>kept\n</div>\n",
        );
        assert_eq!(
            problems,
            [
                "warning:1:1 the HTML element <dl> is never closed; it ends with the HTML block",
                "warning:3:1 the HTML element <dd> is never closed; it ends with the HTML block",
                "warning:7:6 the HTML element <sup> is never closed; it ends with the paragraph",
                "warning:9:6 the HTML element <em> is never closed; it ends with the HTML block",
            ]
        );
        let text: Vec<String> = parsed
            .blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Definitions(d) => d
                    .iter()
                    .flat_map(|d| &d.details)
                    .flatten()
                    .map(|b| match &b.kind {
                        BlockKind::Paragraph(i) => plain_text(i),
                        _ => String::new(),
                    })
                    .collect(),
                BlockKind::Paragraph(i) => plain_text(i).trim().to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(text, ["Its meaning", "After.", "Text up", "kept"]);
        let (_, problems) = parse("# Title <sup>up\n\n*a <sub>b* c\n");
        assert_eq!(
            problems,
            [
                "warning:1:9 the HTML element <sup> is never closed; it ends with the heading",
                "warning:3:4 the HTML element <sub> is never closed; it ends with the Markdown text around it",
            ]
        );
        // A `<dt>` or `<dd>` ends at the next one, as in HTML, with no report.
        let (parsed, problems) = parse("<dl><dt>A<dd>a<dt>B<dd>b<dd>b2</dl>\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            matches!(&parsed.blocks[0].kind, BlockKind::Definitions(d) if d.len() == 2 && d[1].details.len() == 2)
        );
    }

    #[test]
    fn a_term_without_definition_and_a_definition_without_term_are_errors() {
        let (_, problems) = parse("<dl>\n<dt>Alone</dt>\n</dl>\n\n<dl>\n<dd>Orphan</dd>\n</dl>\n");
        assert_eq!(
            problems,
            [
                "error:2:1 the term `Alone` (<dt>) has no definition (<dd>)",
                "error:6:1 a definition (<dd>) without a term (<dt>) before it",
            ]
        );
        // A blank line ends the HTML block, and the list with it.
        let (_, problems) = parse("<dl>\n<dt>Term</dt>\n\n<dd>Meaning</dd>\n</dl>\n");
        assert!(
            problems.contains(&"error:2:1 the term `Term` (<dt>) has no definition (<dd>)".into()),
            "{problems:?}"
        );
    }

    #[test]
    fn html_nested_beyond_the_limit_is_an_error_where_it_starts() {
        for (open, close) in [
            ("<sup>", "</sup>"),
            ("<em>", "</em>"),
            ("<span lang=fr>", "</span>"),
        ] {
            for (levels, before) in [(MAX_NESTING, "x "), (MAX_NESTING + 1, "x "), (200, "<div>")] {
                let text = format!(
                    "{before}{}deep{}\n",
                    open.repeat(levels),
                    close.repeat(levels)
                );
                let (parsed, problems) = parse(&text);
                let column = before.len() + MAX_NESTING * open.len() + 1;
                if levels > MAX_NESTING {
                    let element = &open[1..open.find([' ', '>']).unwrap_or(open.len())];
                    assert_eq!(
                        problems,
                        [format!(
                            "error:1:{column} HTML elements nest more than {MAX_NESTING} deep here (<{element}>)"
                        )]
                    );
                } else {
                    assert!(problems.is_empty(), "{problems:?}");
                }
                let all: String = parsed
                    .blocks
                    .iter()
                    .map(|b| match &b.kind {
                        BlockKind::Paragraph(i) => plain_text(i),
                        _ => String::new(),
                    })
                    .collect();
                assert!(all.contains("deep"), "{text}: {all}");
            }
        }
    }
}
