//! The braille edition: a book, its braille settings and where the print pages begin in; the
//! bytes of a BRF, a PEF and an eBraille file out.
//!
//! The stages, each a module: [`tables`] chooses the braille code for each language, [`translate`]
//! turns the book's blocks into braille through liblouis ([`louis`]), [`format`] sets the braille
//! into pages as transcribers do (BANA *Braille Formats* 2016), and [`brf`], [`pef`] and
//! [`ebraille`] write the files.

pub mod brf;
pub mod ebraille;
pub mod format;
pub mod louis;
pub mod pef;
pub mod tables;
pub mod translate;

/// The blank braille cell (no dots), which separates words.
pub const BLANK: char = '\u{2800}';

/// A braille page number: the preliminary pages (title page, contents) are numbered on their
/// own (`p1`, `p2`…), so the contents' length does not move the body's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageNumber {
    Preliminary(usize),
    Body(usize),
}

/// One braille page: its number and its lines of Unicode braille (U+2800…U+28FF), each at
/// most the settings' cells long, without blanks at its end; at most the settings' lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub number: PageNumber,
    pub lines: Vec<String>,
    /// The print page (its label, as the PDF and the EPUB's page-list name it) in effect at the
    /// top of this page, when the book has print pages there.
    pub print: Option<String>,
}

/// What a block of the transcription is, for the eBraille content documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading of level 1 to 6.
    Heading(u8),
    Paragraph,
    /// An item of a list, nested `depth` lists deep (0: a list at the top).
    ListItem {
        depth: u8,
    },
    /// A row of a table, in listed form (each cell with its column's heading).
    TableRow,
    /// A line of code.
    Code,
    /// A transcriber's note (a figure's description).
    Note,
}

/// A block of the transcription, in braille: the words of its text, each of braille cells,
/// and the braille pages that begin inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Its text in Unicode braille, words separated by one [`BLANK`].
    pub text: String,
    /// Braille pages that begin in this block: (byte offset into `text` where the page's first
    /// word begins, index into [`Transcription::pages`]).
    pub page_breaks: Vec<(usize, usize)>,
}

/// A chapter of the transcription: its title, in print and in braille, and its blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub title: String,
    pub braille_title: String,
    pub blocks: Vec<Block>,
}

/// What the braille files say of themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    /// The book's title, in print (as the book gives it).
    pub title: String,
    pub authors: Vec<String>,
    /// The book's identifier (a URN or URL, as `book.toml` gives it).
    pub identifier: String,
    /// The language of the print text, BCP 47 (`en`); the braille's is it with the `Brai`
    /// script (`en-Brai`).
    pub lang: String,
    /// The braille code, as eBraille's registry of codes writes it: `ueb grade2`.
    pub system: String,
    /// The braille cells used: 6 dots, or 8.
    pub dots: u8,
    /// The book's publication date (YYYY-MM-DD), when it gives one.
    pub date: Option<String>,
    /// Last modified, `YYYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
    pub rights: Option<String>,
    pub publisher: Option<String>,
}

/// A braille edition, transcribed and formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcription {
    pub about: About,
    /// The heading of the contents, in braille (the word in the book's language, translated).
    pub contents_title: String,
    /// Cells per line and lines per page.
    pub cells: usize,
    pub lines: usize,
    /// Printed on both sides of the paper.
    pub duplex: bool,
    /// The pages, in order: the preliminary ones, then the body's.
    pub pages: Vec<Page>,
    /// The content as blocks (what eBraille is made of), by chapter; the title page and the
    /// braille contents are not among them.
    pub chapters: Vec<Chapter>,
}

impl PageNumber {
    /// The number as print writes it: `p1`, `12`.
    pub fn print_form(self) -> String {
        match self {
            PageNumber::Preliminary(n) => format!("p{n}"),
            PageNumber::Body(n) => n.to_string(),
        }
    }
}

/// A print page that begins in a chapter of the edition's book: the chapter's index, then
/// where in it (as [`translate::PrintPage`]).
pub type PrintPageAt = (usize, translate::PrintPage);

/// Transcribes and formats an edition's book in braille: `pages` are the print pages that
/// begin in its chapters, in order. With the transcription (none when one of them is an
/// error), every problem found.
pub fn transcribe(
    louis: &louis::Louis,
    book: &crate::model::Book,
    settings: &crate::profile::Braille,
    pages: &[PrintPageAt],
) -> (Option<Transcription>, Vec<translate::Problem>) {
    let lang = book.meta.lang.as_str();
    let mut transcriber = translate::Transcriber::new(louis, book, settings.grade);
    let mut parts = Vec::new();
    for index in 0..book.chapters.len() {
        let in_chapter: Vec<translate::PrintPage> = pages
            .iter()
            .filter(|(chapter, _)| *chapter == index)
            .map(|(_, page)| page.clone())
            .collect();
        parts.push(transcriber.chapter(index, &in_chapter));
    }
    let code = tables::for_lang(lang);
    let system = code.map_or_else(String::new, |c| c.system_name(settings.grade));
    let dots = book
        .chapters
        .iter()
        .filter_map(|c| tables::for_lang(c.lang(&book.meta).as_str()))
        .chain(code)
        .map(|c| c.dots)
        .max()
        .unwrap_or(6);
    let contents = crate::model::words::contents(&book.meta.lang);
    let front = format::Front {
        title: transcriber.words(&book.meta.title, lang),
        groups: [
            (!book.meta.authors.is_empty()).then(|| book.meta.authors.join(", ")),
            code.map(|c| {
                format!(
                    "{} braille, grade {}",
                    c.name,
                    c.grade(settings.grade).number()
                )
            }),
        ]
        .into_iter()
        .flatten()
        .map(|text| {
            transcriber.words(
                &text,
                if text.contains(" braille, grade ") {
                    "en"
                } else {
                    lang
                },
            )
        })
        .collect(),
        contents: transcriber.words(
            contents.text,
            contents.lang.as_ref().map_or(lang, |l| l.as_str()),
        ),
    };
    let problems = std::mem::take(&mut transcriber.problems);
    if problems.iter().any(translate::Problem::is_error) {
        return (None, problems);
    }
    let formatted = format::format(&parts, &front, settings.cells, settings.lines);
    let transcription = Transcription {
        contents_title: front.contents.join(&BLANK.to_string()),
        about: About {
            title: book.meta.title.clone(),
            authors: book.meta.authors.clone(),
            identifier: book.meta.identifier.clone(),
            lang: lang.to_string(),
            system,
            dots,
            date: book.meta.date.map(|d| d.to_string()),
            modified: book.meta.modified.to_string(),
            rights: book.meta.rights.clone(),
            publisher: book.meta.publisher.clone(),
        },
        cells: settings.cells,
        lines: settings.lines,
        duplex: settings.duplex,
        pages: formatted.pages,
        chapters: formatted.chapters,
    };
    (Some(transcription), problems)
}

/// A number in braille: the number sign, then a letter of a–j for each digit (`12`: `⠼⠁⠃`).
pub fn braille_number(n: usize) -> String {
    format::number(&n.to_string())
}

impl PageNumber {
    /// The number in braille, as the page-list and the page's own line write it: `⠼⠁⠃` for
    /// page 12, `⠏⠼⠁` (a `p`, then the number) for the first preliminary page.
    pub fn braille(self) -> String {
        match self {
            PageNumber::Preliminary(n) => format!("⠏{}", braille_number(n)),
            PageNumber::Body(n) => braille_number(n),
        }
    }
}

impl About {
    /// The language of the braille, BCP 47 with the `Brai` script: `en-Brai`.
    pub fn braille_lang(&self) -> String {
        format!("{}-Brai", self.lang)
    }
}

/// A small transcription for the writers' tests: two preliminary pages (title page and
/// contents), three body pages with print page labels, and two chapters whose blocks show every
/// kind, a nested list, and body pages beginning at a block's start and inside a block.
///
/// Public (and hidden from the documentation) so the integration tests check the writers'
/// files with the same transcription as the unit tests.
#[doc(hidden)]
pub fn sample() -> Transcription {
    let page = |number, lines: &[&str], print: Option<&str>| Page {
        number,
        lines: lines.iter().map(|l| l.to_string()).collect(),
        print: print.map(str::to_string),
    };
    let block = |kind, text: &str, page_breaks: Vec<(usize, usize)>| Block {
        kind,
        text: text.to_string(),
        page_breaks,
    };
    // Each cell is 3 bytes in UTF-8: in "⠁⠃⠉⠀⠙⠑" the second word begins at byte 12.
    Transcription {
        contents_title: "⠒⠞⠢⠞⠎".into(),
        about: About {
            title: "A Small Book & Co".into(),
            authors: vec!["Ann Author".into(), "Bo Writer".into()],
            identifier: "urn:uuid:6f1c9a52-2b7e-4c1a-9d3e-2f8b1e0a4c11".into(),
            lang: "en".into(),
            system: "ueb grade2".into(),
            dots: 6,
            date: Some("2024-03-15".into()),
            modified: "2026-01-02T03:04:05Z".into(),
            rights: Some("© 2024 Ann Author".into()),
            publisher: Some("Small Press".into()),
        },
        cells: 40,
        lines: 25,
        duplex: true,
        pages: vec![
            page(
                PageNumber::Preliminary(1),
                &["⠁⠀⠎⠍⠁⠇⠇⠀⠃⠕⠕⠅", "", "⠁⠝⠝"],
                None,
            ),
            page(PageNumber::Preliminary(2), &["⠒⠞⠢⠞⠎"], None),
            page(PageNumber::Body(1), &["⠁⠃⠉⠀⠙⠑"], Some("1")),
            page(PageNumber::Body(2), &["⠙⠑", "", "⠋⠛"], Some("ii")),
            page(PageNumber::Body(3), &["⠓⠊"], None),
        ],
        chapters: vec![
            Chapter {
                title: "One".into(),
                braille_title: "⠠⠕⠝⠑".into(),
                blocks: vec![
                    block(BlockKind::Heading(1), "⠠⠕⠝⠑", vec![(0, 2)]),
                    block(BlockKind::Paragraph, "⠁⠃⠉⠀⠙⠑", vec![(12, 3)]),
                    block(BlockKind::ListItem { depth: 0 }, "⠁", vec![]),
                    block(BlockKind::ListItem { depth: 1 }, "⠃", vec![]),
                    block(BlockKind::ListItem { depth: 0 }, "⠉", vec![]),
                ],
            },
            Chapter {
                title: "Two".into(),
                braille_title: "⠠⠞⠺⠕".into(),
                blocks: vec![
                    block(BlockKind::Heading(1), "⠠⠞⠺⠕", vec![(0, 4)]),
                    block(BlockKind::TableRow, "⠁⠒⠀⠃", vec![]),
                    block(BlockKind::Code, "⠭⠀⠶⠀⠼⠁", vec![]),
                    block(BlockKind::Note, "⠋⠛", vec![]),
                ],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_braille() {
        assert_eq!(braille_number(0), "⠼⠚");
        assert_eq!(braille_number(1234567890), "⠼⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚");
        assert_eq!(PageNumber::Preliminary(1).braille(), "⠏⠼⠁");
        assert_eq!(PageNumber::Body(12).braille(), "⠼⠁⠃");
    }
}
