//! Content documents: a chapter (or the title page) of the model in, semantic XHTML out, with
//! DPUB-ARIA roles and `epub:type` for chapters, footnotes and their references.

use super::{asset_href, chapter_file};
use crate::layout::document::{PagePlace, PageStart};
use crate::model::text as counted;
use crate::model::words::Voice;
use crate::model::*;
use crate::render::xml::Xml;

/// The start of every content document, up to and including `<body>`.
/// The document's language sets `lang`/`xml:lang` on its root, and a right-to-left one also
/// `dir="rtl"`, which the style sheet's logical properties follow.
pub fn document_start(x: &mut Xml, lang: &Lang, title: &str, css: &str, body_type: &str) {
    document_start_in(x, lang, lang.direction(), title, css, body_type);
}

/// [`document_start`] with a direction given apart from the language.
pub fn document_start_in(
    x: &mut Xml,
    lang: &Lang,
    dir: crate::lang::Direction,
    title: &str,
    css: &str,
    body_type: &str,
) {
    let rtl = dir == crate::lang::Direction::Rtl;
    html_start(
        x,
        lang.as_str(),
        rtl,
        title,
        css,
        &[("epub:type", body_type)],
    );
}

/// The start of an XHTML document up to its body's opening tag: the language (and `dir="rtl"`
/// when `rtl`), the title, the style sheet at `css`, the body's attributes.
pub fn html_start(
    x: &mut Xml,
    lang: &str,
    rtl: bool,
    title: &str,
    css: &str,
    body: &[(&str, &str)],
) {
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    let mut attrs = vec![
        ("xmlns", "http://www.w3.org/1999/xhtml"),
        ("xmlns:epub", "http://www.idpf.org/2007/ops"),
        ("lang", lang),
        ("xml:lang", lang),
    ];
    if rtl {
        attrs.push(("dir", "rtl"));
    }
    x.open("html", &attrs).newline();
    x.open("head", &[]).newline();
    x.empty("meta", &[("charset", "utf-8")]).newline();
    x.element("title", &[], title).newline();
    x.empty(
        "link",
        &[("rel", "stylesheet"), ("type", "text/css"), ("href", css)],
    )
    .newline();
    x.close("head").newline();
    x.open("body", body).newline();
}

/// The end of every content document.
pub fn document_end(x: &mut Xml) {
    x.close("body").newline().close("html").newline();
}

/// A print page number: where page `label` of the PDF begins. Its id, `page.N`, has a dot, which
/// ids made from headings never have.
pub fn page_marker(x: &mut Xml, label: &str) {
    inline_page_marker(x, label);
    x.newline();
}

/// Adds `lang` and `xml:lang` for text in a language of its own (`None`: the text around it's).
pub(super) fn push_lang<'a>(attrs: &mut Vec<(&'a str, &'a str)>, lang: Option<&'a Lang>) {
    if let Some(lang) = lang {
        attrs.extend([("lang", lang.as_str()), ("xml:lang", lang.as_str())]);
    }
}

/// A page marker inside text (a paragraph, a cell, code), where no line may be added.
fn inline_page_marker(x: &mut Xml, label: &str) {
    x.open(
        "span",
        &[
            ("epub:type", "pagebreak"),
            ("role", "doc-pagebreak"),
            ("id", &crate::id::page_marker(label)),
            ("aria-label", label),
        ],
    )
    .close("span");
}

/// Where in the e-book page-break markers stand between blocks: the title page, the contents,
/// or before a chapter's top-level block (the number of blocks: before its notes) when the page
/// begins with it. A page that begins inside a block has its marker inside the text, before the
/// page's first word (see [`Writer::text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerPlace {
    TitlePage,
    Colophon,
    Contents,
    Block { chapter: usize, block: usize },
}

impl MarkerPlace {
    /// The marker place of a printed page that begins between blocks; `None` for one that
    /// begins inside a block's text.
    pub fn of(place: &PagePlace) -> Option<MarkerPlace> {
        match *place {
            PagePlace::TitlePage => Some(MarkerPlace::TitlePage),
            PagePlace::Colophon => Some(MarkerPlace::Colophon),
            PagePlace::Contents => Some(MarkerPlace::Contents),
            PagePlace::Chapter { chapter, at } => (at.offset == 0).then_some(MarkerPlace::Block {
                chapter,
                block: at.block,
            }),
        }
    }
}

/// The markers of the pages that begin at `place`.
pub fn page_markers(x: &mut Xml, pages: &[PageStart], place: MarkerPlace) {
    for page in pages
        .iter()
        .filter(|p| MarkerPlace::of(&p.place) == Some(place))
    {
        page_marker(x, &page.label.to_string());
    }
}

/// The title page: title, subtitle, authors, publisher and rights.
pub fn title_page(book: &Book, pages: &[PageStart], colophon: &Colophon) -> String {
    let meta = &book.meta;
    let mut x = Xml::new();
    document_start(
        &mut x,
        &meta.lang,
        &meta.title,
        "css/book.css",
        "frontmatter",
    );
    page_markers(&mut x, pages, MarkerPlace::TitlePage);
    x.open(
        "section",
        &[
            ("epub:type", "titlepage"),
            ("class", "titlepage"),
            ("aria-labelledby", "book-title"),
        ],
    )
    .newline();
    x.element(
        "h1",
        &[("id", "book-title"), ("class", "title")],
        &meta.title,
    )
    .newline();
    if let Some(subtitle) = &meta.subtitle {
        x.element("p", &[("class", "subtitle")], subtitle).newline();
    }
    if !meta.authors.is_empty() {
        x.element("p", &[("class", "authors")], &meta.authors.join(", "))
            .newline();
    }
    if let Some(cover) = &book.cover
        && let (Some(asset), Alt::Text(alt)) = (cover.asset, &cover.alt)
    {
        x.open("p", &[("class", "cover")]);
        x.empty("img", &[("src", &asset_href(book, asset)), ("alt", alt)]);
        x.close("p").newline();
    }
    if let Some(publisher) = &meta.publisher {
        x.element("p", &[("class", "publisher")], publisher)
            .newline();
    }
    x.close("section").newline();
    page_markers(&mut x, pages, MarkerPlace::Colophon);
    x.open(
        "section",
        &[
            ("epub:type", "colophon"),
            ("role", "doc-colophon"),
            ("class", "colophon"),
            ("aria-label", "Colophon"),
        ],
    )
    .newline();
    // inkfold's sentences are English in every book: marked so in one in another language.
    for (voice, paragraph) in colophon.paragraphs(book) {
        let lang = voice.lang(&meta.lang);
        let mut attrs = Vec::new();
        push_lang(&mut attrs, lang.as_ref());
        x.element("p", &attrs, &paragraph).newline();
    }
    x.close("section").newline();
    document_end(&mut x);
    x.finish()
}

/// What the e-book's colophon says besides the book's own statements: the fonts it is set in
/// and its accessibility summary.
pub struct Colophon {
    /// The embedded font families; `None` when the reading system's fonts are used.
    pub families: Option<Vec<String>>,
    pub summary: String,
}

impl Colophon {
    /// The colophon's paragraphs: the rights (only if the book states them), the identifier,
    /// publication, fonts and the accessibility summary.
    pub fn paragraphs(&self, book: &Book) -> Vec<(Voice, String)> {
        let fonts = match &self.families {
            Some(families) => format!("Set in {}.", families.join(", ")),
            None => "Its text appears in the fonts your reading system chooses.".to_string(),
        };
        // The summary is the book's words when it gives one.
        let summary = match book.meta.a11y.summary {
            Some(_) => Voice::Book,
            None => Voice::Inkfold,
        };
        let mut paragraphs = book.meta.colophon();
        paragraphs.extend([
            (Voice::Inkfold, fonts),
            (summary, format!("Accessibility: {}", self.summary)),
        ]);
        paragraphs
    }
}

/// One chapter as a content document, with the print page numbers where its pages begin.
pub fn chapter(book: &Book, index: usize, pages: &[PageStart]) -> String {
    let chapter = &book.chapters[index];
    let (body_type, section_type, role) = match chapter.role {
        ChapterRole::Body => ("bodymatter", "chapter", "doc-chapter"),
        ChapterRole::Appendix => ("backmatter", "appendix", "doc-appendix"),
    };
    let mut x = Xml::new();
    document_start_in(
        &mut x,
        chapter.lang(&book.meta),
        chapter.direction(&book.meta),
        &chapter.title,
        "../css/book.css",
        body_type,
    );
    let label = match chapter.title_id() {
        Some(id) => ("aria-labelledby", id),
        None => ("aria-label", chapter.title.as_str()),
    };
    x.open(
        "section",
        &[("epub:type", section_type), ("role", role), label],
    )
    .newline();
    let writer = Writer {
        book,
        index,
        cursor: std::cell::RefCell::new(TextCursor::default()),
        ruby: std::cell::Cell::new(0),
        in_annotation: std::cell::Cell::new(false),
        in_parenthesis: std::cell::Cell::new(false),
    };
    for (block_index, block) in chapter.blocks.iter().enumerate() {
        let place = MarkerPlace::Block {
            chapter: index,
            block: block_index,
        };
        page_markers(&mut x, pages, place);
        writer.begin_block(pages, block_index);
        writer.block(&mut x, block, false);
        writer.end_block(&mut x);
    }
    let notes_place = MarkerPlace::Block {
        chapter: index,
        block: chapter.blocks.len(),
    };
    page_markers(&mut x, pages, notes_place);
    writer.begin_block(pages, chapter.blocks.len());
    for (i, note) in chapter.notes.iter().enumerate() {
        writer.note(&mut x, note, i + 1);
    }
    writer.end_block(&mut x);
    x.close("section").newline();
    document_end(&mut x);
    x.finish()
}

/// Writes the blocks and inlines of one chapter.
struct Writer<'a> {
    book: &'a Book,
    /// The chapter being written, for links within it.
    index: usize,
    cursor: std::cell::RefCell<TextCursor>,
    /// How many `<ruby>` are open: XHTML has `<rt>` and `<rp>` only in a ruby, and no ruby
    /// in another, so outside one they, and inside one a ruby, are written as their text.
    ruby: std::cell::Cell<usize>,
    /// Inside a ruby's `<rt>` or `<rp>`, which hold no other.
    in_annotation: std::cell::Cell<bool>,
    /// Inside an `<rp>`, which holds text alone: the elements in it are written as their
    /// text, and a page that begins there has its marker at the text after it.
    in_parenthesis: std::cell::Cell<bool>,
}

/// Where the writer is in a top-level block's text ([`crate::layout::document::InlinePos`]),
/// counted with [`counted`] as the print layout counts it; and the pages that begin further on
/// in the block.
#[derive(Debug, Default)]
struct TextCursor {
    offset: usize,
    /// Offsets where pages begin and their labels, in order.
    pages: std::collections::VecDeque<(usize, String)>,
}

impl Writer<'_> {
    /// A top-level block begins (the number of blocks: the notes): the pages that begin inside
    /// its text are waiting for their places.
    fn begin_block(&self, pages: &[PageStart], block: usize) {
        let mut cursor = self.cursor.borrow_mut();
        cursor.offset = 0;
        cursor.pages = pages
            .iter()
            .filter_map(|page| match page.place {
                PagePlace::Chapter { chapter, at }
                    if chapter == self.index && at.block == block && at.offset > 0 =>
                {
                    Some((at.offset, page.label.to_string()))
                }
                _ => None,
            })
            .collect();
    }

    /// The block ends: a page whose place its text did not reach still gets its marker, after
    /// the block.
    fn end_block(&self, x: &mut Xml) {
        for (_, label) in std::mem::take(&mut self.cursor.borrow_mut().pages) {
            page_marker(x, &label);
        }
    }

    /// Writes text, with the marker of each page that begins inside it before that page's
    /// first character.
    fn text(&self, x: &mut Xml, text: &str) {
        let mut cursor = self.cursor.borrow_mut();
        let start = cursor.offset;
        if self.in_parenthesis.get() {
            // The markers waiting here stand before the next text written.
            x.text(text);
            cursor.offset = start + text.len();
            return;
        }
        let mut written = 0;
        while let Some(&(at, _)) = cursor.pages.front() {
            if at >= start + text.len() {
                break;
            }
            let split = at.saturating_sub(start).max(written);
            if !text.is_char_boundary(split) {
                break;
            }
            x.text(&text[written..split]);
            written = split;
            if let Some((_, label)) = cursor.pages.pop_front() {
                inline_page_marker(x, &label);
            }
        }
        x.text(&text[written..]);
        cursor.offset = start + text.len();
    }

    /// Counts text the print layout sets but the e-book does not write as text (a soft break's
    /// space, a note reference's number, the quotation marks `<q>` stands for, a note's
    /// number); a page that begins in it has its marker here.
    fn skip(&self, x: &mut Xml, length: usize) {
        let mut cursor = self.cursor.borrow_mut();
        cursor.offset += length;
        if self.in_parenthesis.get() {
            return;
        }
        while cursor
            .pages
            .front()
            .is_some_and(|&(at, _)| at < cursor.offset)
        {
            if let Some((_, label)) = cursor.pages.pop_front() {
                inline_page_marker(x, &label);
            }
        }
    }

    fn blocks(&self, x: &mut Xml, blocks: &[Block], tight: bool) {
        for block in blocks {
            self.block(x, block, tight);
        }
    }

    fn block(&self, x: &mut Xml, block: &Block, tight: bool) {
        match &block.kind {
            BlockKind::Heading(h) => {
                let name = format!("h{}", h.level.number());
                let mut attrs = vec![("id", h.id.as_str())];
                // A heading moved up a level where the source skips keeps its look.
                let look = format!("look-{}", h.look.number());
                if h.look != h.level {
                    attrs.push(("class", &look));
                }
                push_lang(&mut attrs, h.lang.as_ref());
                x.open(&name, &attrs);
                self.inlines(x, &h.content);
                x.close(&name).newline();
            }
            BlockKind::Paragraph(inlines) if tight => self.inlines(x, inlines),
            BlockKind::Paragraph(inlines) => {
                x.open("p", &[]);
                self.inlines(x, inlines);
                x.close("p").newline();
            }
            BlockKind::Quote(blocks) => {
                x.open("blockquote", &[]).newline();
                self.blocks(x, blocks, false);
                x.close("blockquote").newline();
            }
            BlockKind::Admonition { kind, blocks } => {
                // A note, not a landmark: its visible label is the first thing read in it.
                let class = format!("admonition {}", kind.name());
                x.open("aside", &[("class", &class), ("role", "note")])
                    .newline();
                let chapter = &self.book.chapters[self.index];
                let label = kind.label(chapter.lang(&self.book.meta));
                let mut attrs = vec![("class", "admonition-label")];
                push_lang(&mut attrs, label.lang.as_ref());
                x.open("p", &attrs);
                self.text(x, label.text);
                x.close("p").newline();
                self.blocks(x, blocks, false);
                x.close("aside").newline();
            }
            BlockKind::List(list) => self.list(x, list),
            BlockKind::Definitions(defs) => {
                x.open("dl", &[]).newline();
                for def in defs {
                    x.open("dt", &[]);
                    self.inlines(x, &def.term);
                    x.close("dt").newline();
                    for details in &def.details {
                        x.open("dd", &[]);
                        self.blocks(x, details, false);
                        x.close("dd").newline();
                    }
                }
                x.close("dl").newline();
            }
            BlockKind::Code {
                lang,
                text,
                highlight,
            } => {
                let class = lang.as_deref().map(|l| format!("language-{}", css_name(l)));
                let attrs: Vec<(&str, &str)> =
                    class.iter().map(|c| ("class", c.as_str())).collect();
                x.open("pre", &[]).open("code", &attrs);
                // The lines print sets, through the cursor, each token in a span of its
                // class (the colours are the style sheet's, which a reading system's themes
                // may override); then the blank lines after them, which the e-book keeps but
                // print drops; then the last line's end, which print counts but the e-book
                // does not write.
                let set = counted::code_text(text);
                for (range, kind) in highlight.pieces(0..set.len()) {
                    let piece = set.get(range).unwrap_or_default();
                    match kind {
                        Some(kind) => {
                            let class = format!("tok-{}", kind.name());
                            x.open("span", &[("class", class.as_str())]);
                            self.text(x, piece);
                            x.close("span");
                        }
                        None => self.text(x, piece),
                    }
                }
                let kept = text.strip_suffix('\n').unwrap_or(text);
                x.text(kept.get(set.len()..).unwrap_or_default());
                self.skip(x, counted::code_len(text) - set.len());
                x.close("code").close("pre").newline();
            }
            BlockKind::Figure(figure) => self.figure(x, figure),
            BlockKind::Table(table) => self.table(x, table),
            BlockKind::Break => {
                x.empty("hr", &[]).newline();
            }
            // E-readers follow the link itself; the QR code is for print.
            BlockKind::Website { content, .. } => {
                x.open("p", &[("class", "website")]);
                self.inlines(x, content);
                x.close("p").newline();
            }
        }
    }

    fn list(&self, x: &mut Xml, list: &List) {
        let start = list.start.filter(|&n| n != 1).map(|n| n.to_string());
        let (name, attrs): (&str, Vec<(&str, &str)>) = match (&list.start, &start) {
            (None, _) => ("ul", vec![]),
            (Some(_), Some(n)) => ("ol", vec![("start", n.as_str())]),
            (Some(_), None) => ("ol", vec![]),
        };
        x.open(name, &attrs).newline();
        for item in &list.items {
            match item.task {
                Some(done) => {
                    x.open("li", &[("class", "task")]);
                    let (mark, label) = if done {
                        ("☑", "done")
                    } else {
                        ("☐", "not done")
                    };
                    x.element("span", &[("role", "img"), ("aria-label", label)], mark)
                        .text(" ");
                }
                None => {
                    x.open("li", &[]);
                }
            }
            for (i, block) in item.blocks.iter().enumerate() {
                let inline = list.tight && matches!(block.kind, BlockKind::Paragraph(_));
                if i > 0 && !inline {
                    x.newline();
                }
                self.block(x, block, list.tight);
            }
            x.close("li").newline();
        }
        x.close(name).newline();
    }

    fn figure(&self, x: &mut Xml, figure: &Figure) {
        let decorative = figure.image.alt == Alt::Decorative && figure.caption.is_none();
        if decorative {
            x.open("div", &[("class", "decoration")]);
            self.image(x, &figure.image);
            x.close("div").newline();
            return;
        }
        x.open("figure", &[]).newline();
        self.image(x, &figure.image);
        x.newline();
        if let Some(caption) = &figure.caption {
            x.open("figcaption", &[]);
            self.text(x, caption);
            x.close("figcaption").newline();
        }
        x.close("figure").newline();
    }

    fn image(&self, x: &mut Xml, image: &Image) {
        let src = image
            .asset
            .map(|id| format!("../{}", asset_href(self.book, id)))
            .unwrap_or_default();
        match &image.alt {
            Alt::Text(alt) => x.empty("img", &[("src", &src), ("alt", alt)]),
            Alt::Decorative => x.empty(
                "img",
                &[("src", &src), ("alt", ""), ("role", "presentation")],
            ),
        };
    }

    fn table(&self, x: &mut Xml, table: &Table) {
        x.open("table", &[]).newline();
        x.open("thead", &[]).newline().open("tr", &[]);
        self.cells(x, &table.head, &table.columns);
        x.close("tr").newline().close("thead").newline();
        x.open("tbody", &[]).newline();
        for row in &table.rows {
            x.open("tr", &[]);
            self.cells(x, row, &table.columns);
            x.close("tr").newline();
        }
        x.close("tbody").newline().close("table").newline();
    }

    fn cells(&self, x: &mut Xml, cells: &[Cell], columns: &[Align]) {
        for (i, cell) in cells.iter().enumerate() {
            let mut attrs = Vec::new();
            let name = match cell.role {
                CellRole::Header(Scope::Col) => {
                    attrs.push(("scope", "col"));
                    "th"
                }
                CellRole::Data => "td",
            };
            match columns.get(i) {
                Some(Align::Left) => attrs.push(("class", "align-left")),
                Some(Align::Center) => attrs.push(("class", "align-center")),
                Some(Align::Right) => attrs.push(("class", "align-right")),
                _ => {}
            }
            x.open(name, &attrs);
            self.inlines(x, &cell.content);
            x.close(name);
        }
    }

    fn note(&self, x: &mut Xml, note: &Note, number: usize) {
        x.open(
            "aside",
            &[
                ("id", &note.id),
                ("class", "footnote"),
                ("epub:type", "footnote"),
                ("role", "doc-footnote"),
            ],
        )
        .newline();
        let backlink_href = format!("#{}", crate::id::fragment(&note.ref_id));
        let backlink = |x: &mut Xml| {
            x.element(
                "a",
                &[("href", &backlink_href), ("role", "doc-backlink")],
                &format!("{number}."),
            )
            .text(" ");
        };
        // The print layout sets the number before the note's first paragraph.
        let numbered = counted::numbered_block(note);
        let count_number = |x: &mut Xml| self.skip(x, counted::note_number(number).len());
        match note.blocks.split_first() {
            Some((
                Block {
                    kind: BlockKind::Paragraph(inlines),
                    ..
                },
                rest,
            )) => {
                x.open("p", &[]);
                backlink(x);
                count_number(x);
                self.inlines(x, inlines);
                x.close("p").newline();
                self.blocks(x, rest, false);
            }
            _ => {
                x.open("p", &[]);
                backlink(x);
                x.close("p").newline();
                for (k, block) in note.blocks.iter().enumerate() {
                    if numbered == Some(k) {
                        count_number(x);
                    }
                    self.block(x, block, false);
                }
            }
        }
        x.close("aside").newline();
    }

    fn inlines(&self, x: &mut Xml, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(x, inline);
        }
    }

    fn inline(&self, x: &mut Xml, inline: &Inline) {
        match inline {
            Inline::Text(_) => self.text(x, &counted::own_text(inline)),
            Inline::Emph(c) => self.wrap(x, "em", c),
            Inline::Strong(c) => self.wrap(x, "strong", c),
            Inline::Strike(c) => self.wrap(x, "del", c),
            Inline::Styled { style, content } => {
                let in_ruby = self.ruby.get() > 0;
                let annotation =
                    matches!(style, InlineStyle::RubyText | InlineStyle::RubyParenthesis);
                let own_element = match style {
                    InlineStyle::Ruby => !in_ruby,
                    _ if annotation => in_ruby && !self.in_annotation.get(),
                    _ => !self.in_parenthesis.get(),
                };
                if !own_element {
                    self.inlines(x, content);
                    return;
                }
                let opens_ruby = matches!(style, InlineStyle::Ruby);
                self.ruby.set(self.ruby.get() + usize::from(opens_ruby));
                let parenthesis = matches!(style, InlineStyle::RubyParenthesis);
                if annotation {
                    self.in_annotation.set(true);
                }
                if parenthesis {
                    self.in_parenthesis.set(true);
                }
                let mut attrs: Vec<(&str, &str)> = Vec::new();
                match style {
                    InlineStyle::Abbreviation { title: Some(title) } => {
                        attrs.push(("title", title));
                    }
                    InlineStyle::Span { lang, rtl } => {
                        push_lang(&mut attrs, lang.as_ref());
                        match rtl {
                            Some(true) => attrs.push(("dir", "rtl")),
                            Some(false) => attrs.push(("dir", "ltr")),
                            None => {}
                        }
                    }
                    _ => {}
                }
                // The print layout sets the quotation marks `<q>` stands for as text.
                let (open, close) = counted::marks(style);
                x.open(style.element(), &attrs);
                self.skip(x, open.len());
                self.inlines(x, content);
                self.skip(x, close.len());
                x.close(style.element());
                if annotation {
                    self.in_annotation.set(false);
                }
                if parenthesis {
                    self.in_parenthesis.set(false);
                }
                self.ruby.set(self.ruby.get() - usize::from(opens_ruby));
            }
            Inline::Code(_) => {
                x.open("code", &[]);
                self.text(x, &counted::own_text(inline));
                x.close("code");
            }
            Inline::Link(link) if link.target == LinkTarget::Elsewhere => {
                self.inlines(x, &link.content);
            }
            Inline::Link(link) => {
                let href = self.href(&link.target);
                x.open("a", &[("href", &href)]);
                self.inlines(x, &link.content);
                x.close("a");
            }
            Inline::NoteRef(r) => {
                let number = counted::own_text(inline);
                let note_id = self.book.chapters[self.index]
                    .note(r.number)
                    .map(|n| format!("#{}", crate::id::fragment(&n.id)))
                    .unwrap_or_default();
                x.element(
                    "a",
                    &[
                        ("href", &note_id),
                        ("id", &r.id),
                        ("class", "noteref"),
                        ("epub:type", "noteref"),
                        ("role", "doc-noteref"),
                    ],
                    &number,
                );
                self.skip(x, number.len());
            }
            Inline::Image(image) => self.image(x, image),
            Inline::Anchor { id, .. } => {
                x.open("span", &[("id", id)]).close("span");
            }
            Inline::SoftBreak => {
                x.newline();
                self.skip(x, counted::own_text(inline).len());
            }
            Inline::HardBreak => {
                x.empty("br", &[]).newline();
            }
        }
    }

    fn wrap(&self, x: &mut Xml, name: &str, content: &[Inline]) {
        x.open(name, &[]);
        self.inlines(x, content);
        x.close(name);
    }

    fn href(&self, target: &LinkTarget) -> String {
        match target {
            LinkTarget::Url(url) => url.clone(),
            LinkTarget::Internal { chapter, id } => match id {
                Some(id) if *chapter == self.index => format!("#{}", crate::id::fragment(id)),
                Some(id) => format!(
                    "{}#{}",
                    chapter_file(&self.book.chapters[*chapter]),
                    crate::id::fragment(id)
                ),
                None => chapter_file(&self.book.chapters[*chapter]),
            },
            LinkTarget::Unresolved(raw) => raw.clone(),
            LinkTarget::Elsewhere => String::new(),
        }
    }
}

/// Keeps letters, digits, `-` and `_`, so a name is safe as a CSS class.
fn css_name(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::document::{InlinePos, PageLabel};

    /// A chapter's content document with a page beginning at each of `starts` (block, offset).
    fn with_pages(book: &Book, starts: &[(usize, usize)]) -> String {
        let pages: Vec<PageStart> = starts
            .iter()
            .enumerate()
            .map(|(i, &(block, offset))| PageStart {
                label: PageLabel::Arabic(i + 1),
                place: PagePlace::Chapter {
                    chapter: 0,
                    at: InlinePos { block, offset },
                },
            })
            .collect();
        chapter(book, 0, &pages)
    }

    /// The book of one chapter, `one.md`, holding `text`.
    fn book_of(text: &str) -> Book {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("chapters")).expect("chapters");
        std::fs::write(
            dir.path().join("book.toml"),
            "[book]\ntitle = \"Counting\"\nlanguage = \"en\"\nrights = \"CC0\"\n\
             identifier = \"urn:uuid:00000000-0000-4000-8000-000000000099\"\n\
             date = \"2024-01-01\"\nchapters = [\"chapters/one.md\"]\n",
        )
        .expect("book.toml");
        std::fs::write(dir.path().join("chapters/one.md"), text).expect("chapter");
        crate::parse(&crate::BookSource::open(dir.path()), None)
            .book
            .expect("a book")
    }

    /// Each marker stands right before the text that begins at its offset as the counted text
    /// gives it: after a code block inside a list, after a note reference, `<q>` and a soft
    /// break, and in a note that opens with a list.
    #[test]
    fn markers_stand_where_the_counted_text_puts_them() {
        let book = book_of(
            "# One\n\n- First.\n\n  ```\n  let a = 1;\n  ```\n\n  Second paragraph.\n\n\
             He said <q>go</q>[^n] and\nleft.\n\n[^n]: - item\n\n    Note text.\n",
        );
        let blocks = &book.chapters[0].blocks;
        let BlockKind::Paragraph(said) = &blocks[2].kind else {
            panic!("a paragraph: {:?}", blocks[2].kind);
        };
        let said = counted::text(said);
        let second = "First.".len() + counted::code_len("let a = 1;\n");
        let left = said.find("left").expect("left");
        let note = "item".len() + counted::note_number(1).len();
        let xhtml = with_pages(&book, &[(1, second), (2, left), (blocks.len(), note)]);
        let marker = |label: usize| {
            format!(
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page.{label}\" \
                 aria-label=\"{label}\"></span>"
            )
        };
        for (label, word) in [(1, "Second"), (2, "left"), (3, "Note")] {
            assert!(
                xhtml.contains(&format!("{}{word}", marker(label))),
                "page {label} should begin at {word:?}:\n{xhtml}"
            );
        }
    }

    /// A page that begins at a ruby's parenthesis (a line may break before it) has its marker
    /// at the annotation: `<rp>` holds text alone, and EPUBCheck refuses a marker in it.
    #[test]
    fn a_page_beginning_at_a_ruby_parenthesis_is_marked_after_it() {
        let book =
            book_of("# One\n\nIn <ruby>Kyoto<rp>(</rp><rt>capital</rt><rp>)</rp></ruby> now.\n");
        let xhtml = with_pages(&book, &[(1, "In Kyoto".len())]);
        assert!(
            xhtml.contains("<rp>(</rp><rt><span epub:type=\"pagebreak\""),
            "{xhtml}"
        );
    }
}
