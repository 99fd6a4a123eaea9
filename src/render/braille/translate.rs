//! Transcription: an edition's book, the print pages that begin in it and liblouis in; each
//! chapter's items (headings, paragraphs, list items, table rows, code lines, transcriber's
//! notes) as braille words with the print page changes between them out.
//!
//! Each top-level block's text is counted as [`crate::model::text`] counts it for the print
//! layout and the EPUB's page markers, so a print page that begins at an offset in a block
//! begins at the braille word made from the text there. Text is translated a block at a time
//! (contractions depend on the words around them), in the table of its language; emphasis takes
//! the code's indicators, inline code and web addresses are left uncontracted, code blocks are
//! translated uncontracted line by line so that every character survives.

use std::collections::{BTreeMap, VecDeque};

use super::louis::{Louis, typeform};
use super::tables::{self, Code, Grade};
use super::{BLANK, BlockKind};
use crate::diag::Span;
use crate::model::text as counted;
use crate::model::{
    Alt, Block, BlockKind as Kind, Book, Chapter, Figure, Inline, InlineStyle, LinkTarget, List,
    Note, Table,
};

/// A word of braille, or a print page that begins before the next word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(String),
    /// The print page (its label) that begins here.
    Print(String),
}

/// An item of a chapter: what it is and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: BlockKind,
    pub tokens: Vec<Token>,
    /// Blank cells before a code line, as its indentation in the source.
    pub indent: usize,
}

/// A chapter, transcribed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Its title, in print and in braille.
    pub title: String,
    pub braille_title: String,
    /// Opens on a new braille page (a chapter at the top of the outline).
    pub new_page: bool,
    /// Its level in the book's outline (1 for a chapter, 2 for a part of the one before it…).
    pub level: u8,
    pub items: Vec<Item>,
}

/// A print page that begins in a chapter: the top-level block (the number of blocks for the
/// notes), the byte offset in its counted text, and the page's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintPage {
    pub block: usize,
    pub offset: usize,
    pub label: String,
}

/// What a transcription finds: a language without a braille code or liblouis failing stop it;
/// characters described rather than translated do not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A language (its tag) that liblouis has no table for, and where its text first is.
    NoCode {
        tag: String,
        at: Option<Span>,
    },
    Louis(String),
    /// Characters a language's code has no braille for (the language's name), and where the
    /// first of them is: described in transcriber's notes, a warning.
    Undefined {
        lang: String,
        chars: String,
        at: Option<Span>,
    },
}

/// Characters with no braille of their own, left out before translation: the joiners and the
/// variation selectors, which only steer how print shapes or draws the characters around them
/// (a ZWJ emoji sequence is described by its parts' names).
fn invisible(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}' | '\u{fe00}'..='\u{fe0f}')
}

/// The code text in a language without one is translated in, so that every problem of the
/// book is found in one run; its text is not checked again.
static FALLBACK: Code = Code {
    name: "no",
    ..tables::CODES[0]
};

/// The emphasis bits of a table, looked up once.
#[derive(Debug, Clone, Copy, Default)]
struct Forms {
    italic: u16,
    bold: u16,
    transnote: u16,
}

/// Translates the book's chapters; `pages` gives, by chapter index, the print pages that
/// begin in it.
pub struct Transcriber<'a> {
    louis: &'a Louis,
    book: &'a Book,
    grade: Grade,
    forms: BTreeMap<&'static str, Forms>,
    /// The web addresses spelled out already: each once in the book.
    spelled: std::collections::BTreeSet<String>,
    pub problems: Vec<Problem>,
    /// The top-level block being transcribed, for problems.
    at: Option<Span>,
    /// Whether a table (its list) has braille for a character on its own.
    defined: std::collections::HashMap<(String, char), bool>,
}

/// One piece of a block's text: text to translate in one table, or cells made already.
#[derive(Debug)]
enum Piece {
    Text {
        code: &'static Code,
        grade: Grade,
        chars: Vec<char>,
        forms: Vec<u16>,
    },
    Cells(String),
}

/// A block's text as it is gathered: its pieces, where it stands in the counted text, and the
/// print pages still to place.
struct Gather<'p> {
    pieces: Vec<Piece>,
    counted: usize,
    pending: VecDeque<&'p PrintPage>,
    /// Print pages placed: (piece, character in it, label); a piece's end is its length.
    marks: Vec<(usize, usize, String)>,
}

impl<'p> Gather<'p> {
    fn new(pending: VecDeque<&'p PrintPage>) -> Self {
        Gather {
            pieces: Vec::new(),
            counted: 0,
            pending,
            marks: Vec::new(),
        }
    }

    /// Where the text ends now: the last piece and its length.
    fn end(&self) -> (usize, usize) {
        match self.pieces.last() {
            Some(Piece::Text { chars, .. }) => (self.pieces.len() - 1, chars.len()),
            Some(Piece::Cells(_)) | None => (self.pieces.len(), 0),
        }
    }

    /// Counts `length` bytes of print text that are not written as text here; a page that
    /// begins in them begins here.
    fn skip(&mut self, length: usize) {
        self.counted += length;
        while let Some(page) = self.pending.front() {
            if page.offset >= self.counted {
                break;
            }
            let (piece, at) = self.end();
            self.marks.push((piece, at, page.label.clone()));
            self.pending.pop_front();
        }
    }

    /// Adds text in `code`, with a typeform; `counted` says whether print counts it (the text
    /// is the counted text itself) or not (text braille adds, such as a table's headings).
    fn text(&mut self, code: &'static Code, grade: Grade, text: &str, form: u16, counted: bool) {
        let joinable = matches!(self.pieces.last(), Some(Piece::Text { code: c, grade: g, .. }) if std::ptr::eq(*c, code) && *g == grade);
        if !joinable {
            self.pieces.push(Piece::Text {
                code,
                grade,
                chars: Vec::new(),
                forms: Vec::new(),
            });
        }
        let index = self.pieces.len() - 1;
        let start = self.counted;
        let Some(Piece::Text { chars, forms, .. }) = self.pieces.last_mut() else {
            return;
        };
        for (byte, c) in text.char_indices() {
            if counted {
                while let Some(page) = self.pending.front() {
                    if page.offset > start + byte {
                        break;
                    }
                    self.marks.push((index, chars.len(), page.label.clone()));
                    self.pending.pop_front();
                }
            }
            // Line ends inside a paragraph are spaces in braille; the formatter makes lines.
            if invisible(c) {
                continue;
            }
            chars.push(if c.is_whitespace() { ' ' } else { c });
            forms.push(form);
        }
        if counted {
            self.counted += text.len();
        }
    }

    fn cells(&mut self, cells: &str) {
        self.pieces.push(Piece::Cells(cells.to_string()));
    }

    /// The pages whose places were not reached: after the text.
    fn finish(&mut self) {
        while let Some(page) = self.pending.pop_front() {
            let (piece, at) = self.end();
            self.marks.push((piece, at, page.label.clone()));
        }
    }
}

/// Inline context: the language's code and the emphasis in force.
#[derive(Clone, Copy)]
struct Context {
    code: &'static Code,
    form: u16,
    no_contract: bool,
}

impl Context {
    /// Text in a code, without emphasis, contracted as its grade says.
    fn plain(code: &'static Code) -> Self {
        Context {
            code,
            form: 0,
            no_contract: false,
        }
    }
}

impl<'a> Transcriber<'a> {
    pub fn new(louis: &'a Louis, book: &'a Book, grade: Grade) -> Self {
        Transcriber {
            louis,
            book,
            grade,
            forms: BTreeMap::new(),
            spelled: std::collections::BTreeSet::new(),
            problems: Vec::new(),
            at: None,
            defined: std::collections::HashMap::new(),
        }
    }

    /// The code of a language, or a problem naming it (once).
    fn code(&mut self, tag: &str) -> &'static Code {
        match tables::for_lang(tag) {
            Some(code) => code,
            None => {
                let known = self
                    .problems
                    .iter()
                    .any(|p| matches!(p, Problem::NoCode { tag: t, .. } if t == tag));
                if !known {
                    self.problems.push(Problem::NoCode {
                        tag: tag.to_string(),
                        at: self.at,
                    });
                }
                &FALLBACK
            }
        }
    }

    fn forms(&mut self, table: &'static str) -> Forms {
        let louis = self.louis;
        *self.forms.entry(table).or_insert_with(|| {
            let list = tables::list(table);
            Forms {
                italic: louis.emphasis(&list, "italic"),
                bold: louis.emphasis(&list, "bold"),
                transnote: louis.emphasis(&list, "transnote"),
            }
        })
    }

    /// Translates text alone in a language (a title, a label): its words.
    pub fn words(&mut self, text: &str, tag: &str) -> Vec<String> {
        let code = self.code(tag);
        let mut gather = Gather::new(VecDeque::new());
        gather.text(code, code.grade(self.grade), text, 0, false);
        let tokens = self.render(gather);
        tokens
            .into_iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w),
                Token::Print(_) => None,
            })
            .collect()
    }

    /// Transcribes a chapter; `pages` are the print pages that begin in it, in order.
    pub fn chapter(&mut self, index: usize, pages: &[PrintPage]) -> Part {
        let book = self.book;
        let chapter = &book.chapters[index];
        let tag = chapter.lang(&book.meta).as_str().to_string();
        self.at = chapter.blocks.first().map(|b| b.span);
        let code = self.code(&tag);
        let mut items = Vec::new();
        let pending = |block: usize| -> VecDeque<&PrintPage> {
            pages.iter().filter(|p| p.block == block).collect()
        };
        for (b, block) in chapter.blocks.iter().enumerate() {
            self.at = Some(block.span);
            let mut gather = Gather::new(pending(b));
            self.block(chapter, code, block, 0, &mut gather, &mut items);
            gather.finish();
            self.flush(&mut gather, BlockKind::Paragraph, &mut items);
        }
        if !chapter.notes.is_empty() {
            let label = crate::model::words::english("Notes", &chapter.lang(&book.meta).clone());
            let notes_code = match &label.lang {
                Some(lang) => self.code(lang.as_str()),
                None => code,
            };
            let mut gather = Gather::new(VecDeque::new());
            gather.text(
                notes_code,
                notes_code.grade(self.grade),
                label.text,
                0,
                false,
            );
            let tokens = self.render(gather);
            items.push(Item {
                kind: BlockKind::Heading(2),
                tokens,
                indent: 0,
            });
            let mut gather = Gather::new(pending(chapter.blocks.len()));
            for (i, note) in chapter.notes.iter().enumerate() {
                self.note(chapter, code, note, i + 1, &mut gather, &mut items);
            }
            gather.finish();
            self.flush(&mut gather, BlockKind::Paragraph, &mut items);
        }
        let braille_title = self.words(&chapter.title, &tag).join(&BLANK.to_string());
        Part {
            title: chapter.title.clone(),
            braille_title,
            new_page: chapter.level() == crate::model::HeadingLevel::H1,
            level: chapter.level().number(),
            items,
        }
    }

    /// Ends an item: what was gathered becomes its words (nothing gathered, and no print page
    /// to place, makes no item).
    fn flush(&mut self, gather: &mut Gather, kind: BlockKind, items: &mut Vec<Item>) {
        if gather.pieces.is_empty() && gather.marks.is_empty() {
            return;
        }
        let taken = Gather {
            pieces: std::mem::take(&mut gather.pieces),
            counted: gather.counted,
            pending: VecDeque::new(),
            marks: std::mem::take(&mut gather.marks),
        };
        let tokens = self.render(taken);
        if tokens.is_empty() {
            return;
        }
        // A print page alone (its text is in another item) goes before the next item's words.
        items.push(Item {
            kind,
            tokens,
            indent: 0,
        });
    }

    fn block(
        &mut self,
        chapter: &Chapter,
        code: &'static Code,
        block: &Block,
        depth: u8,
        gather: &mut Gather,
        items: &mut Vec<Item>,
    ) {
        let grade = code.grade(self.grade);
        let plain = Context::plain(code);
        match &block.kind {
            Kind::Heading(h) => {
                let code = match &h.lang {
                    Some(lang) => self.code(lang.as_str()),
                    None => code,
                };
                self.inlines(&h.content, Context { code, ..plain }, gather);
                self.flush(gather, BlockKind::Heading(h.level.number()), items);
            }
            Kind::Paragraph(inlines) => {
                self.inlines(inlines, plain, gather);
                let kind = if depth > 0 {
                    BlockKind::ListItem { depth: depth - 1 }
                } else {
                    BlockKind::Paragraph
                };
                self.flush(gather, kind, items);
            }
            Kind::Quote(blocks) => {
                for b in blocks {
                    self.block(chapter, code, b, depth, gather, items);
                }
            }
            Kind::Admonition { kind, blocks } => {
                let label = kind.label(chapter.lang(&self.book.meta));
                let label_code = match &label.lang {
                    Some(lang) => self.code(lang.as_str()),
                    None => code,
                };
                gather.text(
                    label_code,
                    label_code.grade(self.grade),
                    label.text,
                    0,
                    true,
                );
                self.flush(gather, BlockKind::Paragraph, items);
                for b in blocks {
                    self.block(chapter, code, b, depth, gather, items);
                }
            }
            Kind::List(list) => self.list(chapter, code, list, depth, gather, items),
            Kind::Definitions(definitions) => {
                for definition in definitions {
                    self.inlines(&definition.term, plain, gather);
                    self.flush(gather, BlockKind::ListItem { depth }, items);
                    for details in &definition.details {
                        for b in details {
                            self.block(chapter, code, b, depth + 2, gather, items);
                        }
                    }
                }
            }
            Kind::Code { text, .. } => {
                let uncontracted = Grade::Uncontracted;
                let mut at = 0;
                for (start, line) in counted::code_lines(text) {
                    let body = line.trim_start();
                    let lead = &line[..line.len() - body.len()];
                    gather.skip(start + lead.len() - at);
                    gather.text(code, uncontracted, body, 0, true);
                    at = start + line.len();
                    let before = items.len();
                    self.flush(gather, BlockKind::Code, items);
                    if let Some(item) = items.get_mut(before) {
                        // A tab indents as far as four spaces.
                        item.indent = lead.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
                    }
                }
                gather.skip(counted::code_len(text) - at);
            }
            Kind::Figure(figure) => self.figure(code, figure, gather, items),
            Kind::Table(table) => self.table(code, table, gather, items),
            Kind::Break => {
                // A transcriber's separator: a row of dots 2-5, set as a paragraph.
                gather.cells("⠒⠒⠒⠒⠒⠒");
                self.flush(gather, BlockKind::Paragraph, items);
            }
            Kind::Website { content, url } => {
                self.inlines(content, plain, gather);
                if !shows_address(&counted::text(content), url) && self.spelled.insert(url.clone())
                {
                    gather.text(code, grade, " ", 0, false);
                    self.address(code, url, gather);
                }
                self.flush(gather, BlockKind::Paragraph, items);
            }
        }
    }

    fn list(
        &mut self,
        chapter: &Chapter,
        code: &'static Code,
        list: &List,
        depth: u8,
        gather: &mut Gather,
        items: &mut Vec<Item>,
    ) {
        let grade = code.grade(self.grade);
        for (i, item) in list.items.iter().enumerate() {
            let mut marker = String::new();
            if let Some(start) = list.start {
                marker = format!("{}. ", start.saturating_add(i as u64));
            }
            if let Some(done) = item.task {
                marker.push_str(if done { "[x] " } else { "[ ] " });
            }
            if !marker.is_empty() {
                gather.text(code, grade, &marker, 0, false);
            }
            for block in &item.blocks {
                self.block(chapter, code, block, depth + 1, gather, items);
            }
            self.flush(gather, BlockKind::ListItem { depth }, items);
        }
    }

    fn figure(
        &mut self,
        code: &'static Code,
        figure: &Figure,
        gather: &mut Gather,
        items: &mut Vec<Item>,
    ) {
        let alt = match &figure.image.alt {
            Alt::Text(alt) => Some(alt.as_str()),
            Alt::Decorative => None,
        };
        if alt.is_none() && figure.caption.is_none() {
            return;
        }
        let grade = code.grade(self.grade);
        let note = self.forms(code.table(grade)).transnote;
        if let Some(alt) = alt {
            gather.text(code, grade, alt.trim(), note, false);
        }
        if let Some(caption) = &figure.caption {
            if alt.is_some() {
                gather.text(code, grade, " ", note, false);
            }
            gather.text(code, grade, caption, note, true);
        }
        self.flush(gather, BlockKind::Note, items);
    }

    fn table(
        &mut self,
        code: &'static Code,
        table: &Table,
        gather: &mut Gather,
        items: &mut Vec<Item>,
    ) {
        let grade = code.grade(self.grade);
        let plain = Context::plain(code);
        // The headings are counted where print sets them, above the rows; in listed form they
        // stand before each entry instead.
        let headings: Vec<String> = table
            .head
            .iter()
            .map(|c| counted::text(&c.content))
            .collect();
        gather.skip(headings.iter().map(String::len).sum());
        for row in &table.rows {
            for (i, cell) in row.iter().enumerate() {
                let heading = headings.get(i).map(|h| h.trim()).unwrap_or_default();
                let lead = match (i, heading.is_empty()) {
                    (0, true) => String::new(),
                    (0, false) => format!("{heading}: "),
                    (_, true) => "; ".to_string(),
                    (_, false) => format!("; {heading}: "),
                };
                if !lead.is_empty() {
                    gather.text(code, grade, &lead, 0, false);
                }
                self.inlines(&cell.content, plain, gather);
            }
            self.flush(gather, BlockKind::TableRow, items);
        }
    }

    fn note(
        &mut self,
        chapter: &Chapter,
        code: &'static Code,
        note: &Note,
        number: usize,
        gather: &mut Gather,
        items: &mut Vec<Item>,
    ) {
        let numbered = counted::numbered_block(note);
        for (i, block) in note.blocks.iter().enumerate() {
            if Some(i) == numbered {
                let label = counted::note_number(number);
                gather.text(code, code.grade(self.grade), &label, 0, true);
            }
            self.block(chapter, code, block, 0, gather, items);
        }
    }

    fn address(&mut self, code: &'static Code, url: &str, gather: &mut Gather) {
        gather.text(code, Grade::Uncontracted, url, 0, false);
    }

    fn inlines(&mut self, inlines: &[Inline], context: Context, gather: &mut Gather) {
        for inline in inlines {
            self.inline(inline, context, gather);
        }
    }

    fn inline(&mut self, inline: &Inline, context: Context, gather: &mut Gather) {
        let code = context.code;
        let grade = code.grade(self.grade);
        let forms = self.forms(code.table(grade));
        let form = context.form
            | if context.no_contract {
                typeform::NO_CONTRACT
            } else {
                0
            };
        match inline {
            Inline::Text(text) => gather.text(code, grade, text, form, true),
            Inline::Code(text) => {
                gather.text(code, grade, text, form | typeform::NO_CONTRACT, true);
            }
            Inline::SoftBreak | Inline::HardBreak => {
                let own = counted::own_text(inline);
                if own.is_empty() {
                    gather.text(code, grade, " ", form, false);
                } else {
                    gather.text(code, grade, &own, form, true);
                }
            }
            Inline::NoteRef(r) => {
                // A note reference is raised in print: in UEB, the superscript indicator
                // (dots 3-5) before its number.
                if code.system == "ueb" {
                    gather.cells("⠔");
                }
                gather.text(code, Grade::Uncontracted, &r.number.to_string(), 0, true);
            }
            Inline::Emph(content) => self.inlines(
                content,
                Context {
                    form: context.form | forms.italic,
                    ..context
                },
                gather,
            ),
            Inline::Strong(content) => self.inlines(
                content,
                Context {
                    form: context.form | forms.bold,
                    ..context
                },
                gather,
            ),
            Inline::Strike(content) => self.inlines(content, context, gather),
            Inline::Link(link) => {
                let shown = counted::text(&link.content);
                let address = match &link.target {
                    LinkTarget::Url(url) => Some(url),
                    _ => None,
                };
                // Text that is the address is left uncontracted, as an address is spelled.
                let shows = address.is_some_and(|url| shows_address(&shown, url));
                let inner = Context {
                    no_contract: context.no_contract || shows,
                    ..context
                };
                self.inlines(&link.content, inner, gather);
                if let Some(url) = address
                    && !shows
                    && self.spelled.insert(url.clone())
                {
                    gather.text(code, grade, " (", 0, false);
                    self.address(code, url.strip_prefix("mailto:").unwrap_or(url), gather);
                    gather.text(code, grade, ")", 0, false);
                }
            }
            Inline::Image(image) => {
                if let Alt::Text(alt) = &image.alt {
                    gather.text(code, grade, alt.trim(), forms.transnote, false);
                }
            }
            Inline::Styled { style, content } => {
                let (open, close) = counted::marks(style);
                let inner = match style {
                    InlineStyle::Span {
                        lang: Some(lang), ..
                    } => Context {
                        code: self.code(lang.as_str()),
                        ..context
                    },
                    InlineStyle::Keyboard | InlineStyle::Sample | InlineStyle::Variable => {
                        Context {
                            no_contract: true,
                            ..context
                        }
                    }
                    InlineStyle::Cite | InlineStyle::Definition => Context {
                        form: context.form | forms.italic,
                        ..context
                    },
                    _ => context,
                };
                gather.text(code, grade, open, form, true);
                self.inlines(content, inner, gather);
                gather.text(code, grade, close, form, true);
            }
            Inline::Anchor { .. } => {}
        }
    }

    /// Translates the gathered pieces and places the print pages between the words.
    fn render(&mut self, gather: Gather) -> Vec<Token> {
        let mut cells: Vec<char> = Vec::new();
        // Where each mark lands in `cells`, in order.
        let mut placed: Vec<(usize, String)> = Vec::new();
        let mut marks = gather.marks.into_iter().peekable();
        for (index, piece) in gather.pieces.iter().enumerate() {
            let offset = cells.len();
            match piece {
                Piece::Cells(text) => {
                    while let Some((_, _, label)) = marks.next_if(|m| m.0 == index) {
                        placed.push((offset, label));
                    }
                    cells.extend(text.chars());
                }
                Piece::Text {
                    code,
                    grade,
                    chars,
                    forms,
                } => {
                    let Some((translation, moved)) =
                        self.translate_piece(code, *grade, chars, forms)
                    else {
                        continue;
                    };
                    while let Some((_, at, label)) = marks.next_if(|m| m.0 == index) {
                        let cell = moved
                            .get(at)
                            .and_then(|&at| translation.positions.get(at))
                            .copied()
                            .unwrap_or(translation.braille.len());
                        placed.push((offset + cell, label));
                    }
                    cells.extend(translation.braille.iter().map(|&c| match c {
                        ' ' => BLANK,
                        c => c,
                    }));
                }
            }
        }
        for (_, _, label) in marks {
            placed.push((cells.len(), label));
        }
        tokens(&cells, placed)
    }

    /// Translates a piece of text. A character the code has no braille for comes out of liblouis
    /// as an escape of 8-dot cells, which no embosser reading 6-dot braille can show: such
    /// characters (emoji, box drawing, a letter of another script) are described instead, each
    /// run of them in a transcriber's note giving their Unicode names (`person shrugging`), and
    /// the language's problem lists them. Also returns where each character of `chars` went in
    /// the text translated (a description moves what follows it).
    fn translate_piece(
        &mut self,
        code: &'static Code,
        grade: Grade,
        chars: &[char],
        forms: &[u16],
    ) -> Option<(super::louis::Translation, Vec<usize>)> {
        let table = tables::list(code.table(grade));
        let first = match self.louis.translate(&table, chars, forms, false) {
            Ok(t) => t,
            Err(why) => {
                self.problems.push(Problem::Louis(why));
                return None;
            }
        };
        let identity = || (0..chars.len()).collect();
        if code.dots == 8
            || std::ptr::eq(code, &FALLBACK)
            || !first.braille.iter().any(|&c| u32::from(c) >= 0x2840)
        {
            return Some((first, identity()));
        }
        let undefined: Vec<char> = {
            let mut found = Vec::new();
            for &c in chars {
                if !c.is_whitespace() && !found.contains(&c) && !self.defined(&table, c) {
                    found.push(c);
                }
            }
            found
        };
        if undefined.is_empty() {
            return Some((first, identity()));
        }
        let note = self.forms(code.table(grade)).transnote;
        let mut text = Vec::with_capacity(chars.len());
        let mut typeforms = Vec::with_capacity(chars.len());
        let mut moved = Vec::with_capacity(chars.len());
        let mut i = 0;
        while i < chars.len() {
            moved.push(text.len());
            if !undefined.contains(&chars[i]) {
                text.push(chars[i]);
                typeforms.push(forms.get(i).copied().unwrap_or(0));
                i += 1;
                continue;
            }
            let mut names = Vec::new();
            let start = i;
            while i < chars.len() && undefined.contains(&chars[i]) {
                names.push(char_name(chars[i]));
                if i > start {
                    moved.push(text.len());
                }
                i += 1;
            }
            let description = names.join(", ");
            for c in description.chars() {
                text.push(c);
                typeforms.push(note);
            }
        }
        self.note_undefined(code, &undefined);
        match self.louis.translate(&table, &text, &typeforms, true) {
            Ok(t) => Some((t, moved)),
            Err(why) => {
                self.problems.push(Problem::Louis(why));
                None
            }
        }
    }

    /// Whether a table has braille for a character on its own (remembered per table).
    fn defined(&mut self, table: &str, c: char) -> bool {
        let key = (table.to_string(), c);
        if let Some(&known) = self.defined.get(&key) {
            return known;
        }
        let known = self
            .louis
            .translate(table, &[c], &[0], false)
            .is_ok_and(|t| t.braille.iter().all(|&b| u32::from(b) < 0x2840));
        self.defined.insert(key, known);
        known
    }

    /// One problem per language, with every character it has no braille for.
    fn note_undefined(&mut self, code: &Code, undefined: &[char]) {
        let known = self.problems.iter_mut().find_map(|p| match p {
            Problem::Undefined { lang, chars, .. } if lang == code.name => Some(chars),
            _ => None,
        });
        match known {
            Some(chars) => {
                for &c in undefined {
                    if !chars.contains(c) {
                        chars.push(c);
                    }
                }
            }
            None => self.problems.push(Problem::Undefined {
                lang: code.name.to_string(),
                chars: undefined.iter().collect(),
                at: self.at,
            }),
        }
    }
}

/// Whether a link's text already shows its address (`www.unodc.org` for
/// `https://www.unodc.org/`), so spelling it out again would only repeat it.
fn shows_address(text: &str, url: &str) -> bool {
    let bare = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("mailto:"))
        .unwrap_or(url)
        .trim_end_matches('/');
    let bare = bare.strip_prefix("www.").unwrap_or(bare);
    !bare.is_empty() && text.to_lowercase().contains(&bare.to_lowercase())
}

/// A character's Unicode name in lower case (`person shrugging`), or its code point when it has
/// none.
fn char_name(c: char) -> String {
    match unicode_names2::name(c) {
        Some(name) => name.to_string().to_lowercase(),
        None => format!("U+{:04X}", u32::from(c)),
    }
}

/// Words of cells, split at blanks, with each print page before the word its cell begins, or
/// after the word its cell is inside of (a page that begins inside a word print hyphenated).
fn tokens(cells: &[char], placed: Vec<(usize, String)>) -> Vec<Token> {
    let mut out = Vec::new();
    let mut placed = placed.into_iter().peekable();
    let mut word = String::new();
    let mut word_start = 0;
    let mut after_word: Vec<String> = Vec::new();
    for (i, &c) in cells.iter().enumerate() {
        if c == BLANK {
            if !word.is_empty() {
                out.push(Token::Word(std::mem::take(&mut word)));
                out.extend(after_word.drain(..).map(Token::Print));
            }
            word_start = i + 1;
            continue;
        }
        while let Some((_, label)) = placed.next_if(|(at, _)| *at <= i) {
            if word.is_empty() || i == word_start {
                out.push(Token::Print(label));
            } else {
                after_word.push(label);
            }
        }
        word.push(c);
    }
    if !word.is_empty() {
        out.push(Token::Word(word));
    }
    out.extend(after_word.into_iter().map(Token::Print));
    out.extend(placed.map(|(_, label)| Token::Print(label)));
    out
}

impl Problem {
    /// Whether it stops the edition (all but characters described in their place).
    pub fn is_error(&self) -> bool {
        !matches!(self, Problem::Undefined { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_the_text_shows_is_not_spelled_again() {
        assert!(shows_address(
            "UNODC website (www.unodc.org)",
            "https://www.unodc.org/"
        ));
        assert!(shows_address("https://example.org", "https://example.org"));
        assert!(shows_address("write to a@b.org", "mailto:a@b.org"));
        assert!(!shows_address("the project", "https://example.org/inkfold"));
        assert!(!shows_address("example.org", "https://example.org/inkfold"));
    }

    #[test]
    fn print_pages_go_between_words() {
        let cells: Vec<char> = "⠁⠃⠀⠉⠙⠀⠑".chars().collect();
        let tokens = tokens(
            &cells,
            vec![
                (0, "1".into()),
                (3, "2".into()),
                (4, "3".into()),
                (7, "4".into()),
            ],
        );
        let w = |s: &str| Token::Word(s.into());
        let p = |s: &str| Token::Print(s.into());
        assert_eq!(
            tokens,
            vec![p("1"), w("⠁⠃"), p("2"), w("⠉⠙"), p("3"), w("⠑"), p("4")]
        );
    }
}
