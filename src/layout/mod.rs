//! Print layout: the document model, a print [`Profile`] and the [`FontBook`] in; a paged,
//! tagged [`Document`] out, in two stages.
//!
//! ```text
//! Book ──measure──▶ ChapterGalley per chapter (+ FrontGalley)   shaped lines and keep rules
//!      ──paginate──▶ Document { pages, tags, page_map, outline }
//! ```
//!
//! [`fonts`] holds the faces and the types shared with the writers: `fonts/select.rs` chooses
//! the face for each character (bundled, manuscript and system faces, the fallback chain and
//! language forms; [`fonts::for_book`] is the build's font policy, with one scan of the system's
//! fonts), and `fonts/shape.rs` shapes text into runs, split where the face, the script or the
//! direction [`bidi`] finds changes, with one cache policy for shape plans and words. A
//! paragraph's levels are found once, over its whole text, to place its words on its lines; a
//! single line shaped as one text is placed by the levels its runs keep. [`hyphenate`] and
//! [`linebreak`] (Knuth–Plass) serve [`paragraph`] (pieces of text to lines), [`measure`] sets
//! each chapter into a [`galley`] independently of pages, [`paginate`] places galleys on pages,
//! [`tags`] builds the structure tree, and [`document`] is the result the PDF writer draws.

pub mod bidi;
pub mod cache;
pub mod code_style;
pub mod document;
pub mod dump;
pub mod fonts;
pub mod galley;
pub mod hyphenate;
pub mod impose;
pub mod linebreak;
pub mod measure;
pub mod paginate;
pub mod paragraph;
pub mod tags;

use crate::diag::{Diagnostics, Location, SourceMap, Span};
use std::collections::BTreeSet;

use crate::lang::Lang;
use crate::model::walk::{self, Node};
use crate::model::{Alt, Block, BlockKind, Book, Figure, Heading, Image, Inline, InlineStyle};
use crate::profile::Profile;
pub use document::Document;
pub use fonts::FontBook;

/// Every language the book's text is in: the book's, then each chapter's own, its headings'
/// and its phrases' (`<span lang>`) — in each of the chapter's text and footnotes, the
/// headings' before the phrases' — each once, in the order first found. The order is the order
/// language forms of fonts are looked for.
pub fn book_langs(book: &Book) -> Vec<Lang> {
    let mut langs = vec![book.meta.lang.clone()];
    let mut add = |lang: &Lang| {
        if !langs.contains(lang) {
            langs.push(lang.clone());
        }
    };
    let mut phrases: Vec<Lang> = Vec::new();
    for chapter in &book.chapters {
        if let Some(lang) = &chapter.lang {
            add(lang);
        }
        let trees = std::iter::once(&chapter.blocks).chain(chapter.notes.iter().map(|n| &n.blocks));
        for blocks in trees {
            walk::tree(blocks, &mut |node| match node {
                Node::Block(Block {
                    kind:
                        BlockKind::Heading(Heading {
                            lang: Some(lang), ..
                        }),
                    ..
                }) => add(lang),
                Node::Inline(Inline::Styled {
                    style:
                        InlineStyle::Span {
                            lang: Some(lang), ..
                        },
                    ..
                }) => phrases.push(lang.clone()),
                _ => {}
            });
            phrases.drain(..).for_each(|lang| add(&lang));
        }
    }
    langs
}

/// Every character the print layout may draw: the chapters' text (headings, paragraphs, code,
/// tables, captions, notes, an image's alt text) and the title page's.
pub fn book_chars(book: &Book) -> BTreeSet<char> {
    // The Basic Multilingual Plane, where nearly all of any book's characters are, in a bitmap
    // (8 KB); a set takes the rest. Adding each character to a set took 6 ms of a 1 000-page
    // book's start.
    let mut plane = vec![0u64; 0x10000 / 64];
    let mut chars = BTreeSet::new();
    let mut add = |text: &str| {
        for c in text.chars() {
            let n = u32::from(c) as usize;
            match plane.get_mut(n / 64) {
                Some(bits) => *bits |= 1 << (n % 64),
                None => {
                    chars.insert(c);
                }
            }
        }
    };
    let meta = &book.meta;
    for text in [&meta.title]
        .into_iter()
        .chain(&meta.subtitle)
        .chain(&meta.authors)
        .chain(&meta.publisher)
        .chain(&meta.rights)
    {
        add(text);
    }
    for chapter in &book.chapters {
        // What `plain_text` takes of each inline, and the blocks' own text.
        chapter.walk(&mut |node| match node {
            Node::Block(block) => match &block.kind {
                BlockKind::Code { text, .. } => add(text),
                BlockKind::Figure(Figure {
                    caption: Some(caption),
                    ..
                }) => add(caption),
                _ => {}
            },
            Node::Inline(Inline::Text(text) | Inline::Code(text)) => add(text),
            Node::Inline(Inline::Image(Image {
                alt: Alt::Text(alt),
                ..
            })) => add(alt),
            Node::Inline(Inline::SoftBreak | Inline::HardBreak) => add(" "),
            Node::Inline(_) => {}
        });
    }
    for (i, &bits) in plane.iter().enumerate().filter(|(_, bits)| **bits != 0) {
        chars.extend(
            (0..64)
                .filter(|b| bits & (1 << b) != 0)
                .filter_map(|b| char::from_u32((i * 64 + b) as u32)),
        );
    }
    chars
}

/// What a character no font has means for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A PDF is being made: it cannot print the character.
    Error,
    /// Only the e-book is made, and reading systems use their own fonts: the layout still
    /// gives its page numbers.
    Warning,
}

/// Lays out the whole book for print: measures, reports characters no font covers to `diags`
/// (as `missing` says), and paginates. Each chapter is paginated as soon as it and the chapters
/// before it are measured, while the rest are still being measured.
pub fn layout(
    book: &Book,
    profile: &Profile,
    fonts: &FontBook,
    map: &SourceMap,
    diags: &mut Diagnostics,
    missing: Missing,
) -> Document {
    layout_cached(book, profile, fonts, (map, diags), missing, None)
}

/// [`layout`], taking each chapter's galley from `cache` when it was measured from what it
/// would be measured from now, and keeping the others there.
pub fn layout_cached(
    book: &Book,
    profile: &Profile,
    fonts: &FontBook,
    (map, diags): (&SourceMap, &mut Diagnostics),
    missing: Missing,
    cache: Option<&cache::GalleyCache>,
) -> Document {
    // A book that reads from right to left is bound on the right: its pages' margins mirror.
    let bound = match book.direction() {
        crate::lang::Direction::Rtl => std::borrow::Cow::Owned(profile.bound_on_the_right()),
        crate::lang::Direction::Ltr => std::borrow::Cow::Borrowed(profile),
    };
    measure_all(
        book,
        (profile, fonts),
        (map, diags),
        missing,
        cache,
        |front, galleys| paginate::paginate(front, galleys, &bound, fonts, &book.meta.lang),
    )
}

/// What `check` needs of the print layout: the book measured, so that every character no
/// font covers is reported to `diags` just as a build reports it; the pages are not made.
pub fn check(
    book: &Book,
    profile: &Profile,
    fonts: &FontBook,
    map: &SourceMap,
    diags: &mut Diagnostics,
) {
    measure_all(
        book,
        (profile, fonts),
        (map, diags),
        Missing::Error,
        None,
        |_, _| {},
    );
}

/// The front matter and the chapters measured into galleys and handed to `then` (the chapters
/// in their order, each as soon as it is measured), with the characters no font covers
/// reported (as `missing` says) once all are measured.
fn measure_all<R>(
    book: &Book,
    (profile, fonts): (&Profile, &FontBook),
    (map, diags): (&SourceMap, &mut Diagnostics),
    missing: Missing,
    cache: Option<&cache::GalleyCache>,
    then: impl FnOnce(measure::FrontGalley, &mut dyn Iterator<Item = galley::ChapterGalley>) -> R,
) -> R {
    let mut uncovered: Vec<Uncovered> = Vec::new();
    let (sender, receiver) = std::sync::mpsc::channel();
    let measure_chapters = move || {
        measure::measure_each(book, profile, fonts, cache, |index, galley| {
            // The receiver goes only once every chapter has come.
            let _ = sender.send((index, galley));
        });
    };
    let result = rayon::in_place_scope(|scope| {
        let front = if rayon::current_thread_index().is_some() {
            // On the pool already, nothing may wait for the pool: the chapters are measured
            // (beside the front matter) before any is handed on.
            rayon::join(
                || measure::measure_front(book, profile, fonts),
                measure_chapters,
            )
            .0
        } else {
            // The pool measures the chapters while this thread sets the front matter, then
            // paginates each chapter as it comes.
            scope.spawn(move |_| measure_chapters());
            measure::measure_front(book, profile, fonts)
        };
        uncovered.extend_from_slice(&front.uncovered);
        let mut galleys = InOrder {
            receiver,
            next: 0,
            waiting: std::collections::BTreeMap::new(),
            uncovered: &mut uncovered,
        };
        let result = then(front, &mut galleys);
        galleys.for_each(drop);
        result
    });
    // One problem per script, at its first place: a chapter in a script no font has would
    // otherwise give one per paragraph.
    let mut scripts: Vec<(unicode_script::Script, Vec<Uncovered>)> = Vec::new();
    for &(span, c) in &uncovered {
        let script = unicode_script::UnicodeScript::script(&c);
        match scripts.iter_mut().find(|(s, _)| *s == script) {
            Some((_, places)) => places.push((span, c)),
            None => scripts.push((script, vec![(span, c)])),
        }
    }
    for (_, places) in &scripts {
        diags.within(crate::diag::Section::Fonts, |diags| {
            report_uncovered(places, map, diags, missing)
        });
    }
    result
}

/// Measured chapters in the book's order, as they come from the threads that measure them
/// (nearly in order), with the characters no font covers taken aside.
struct InOrder<'a> {
    receiver: std::sync::mpsc::Receiver<(usize, galley::ChapterGalley)>,
    next: usize,
    waiting: std::collections::BTreeMap<usize, galley::ChapterGalley>,
    uncovered: &'a mut Vec<Uncovered>,
}

impl Iterator for InOrder<'_> {
    type Item = galley::ChapterGalley;

    fn next(&mut self) -> Option<galley::ChapterGalley> {
        let mut galley = loop {
            if let Some(galley) = self.waiting.remove(&self.next) {
                break galley;
            }
            // Every sender gone: every chapter has come.
            let (index, galley) = self.receiver.recv().ok()?;
            self.waiting.insert(index, galley);
        };
        self.next += 1;
        self.uncovered.append(&mut galley.uncovered);
        Some(galley)
    }
}

/// A character no font has, and the block where it stands (if it is in a chapter).
type Uncovered = (Option<Span>, char);

/// A problem for the characters of one script that no font has, pointing at the first when
/// the block's source shows it, and saying how many other places there are.
fn report_uncovered(
    places: &[Uncovered],
    map: &SourceMap,
    diags: &mut Diagnostics,
    missing: Missing,
) {
    let Some(&(span, c)) = places.first() else {
        return;
    };
    let location = match span {
        Some(span) => {
            let text = &map.get(span.file).text;
            let at = text
                .get(span.start..span.end)
                .and_then(|block| block.find(c))
                .map(|offset| span.start + offset);
            Location::Span(match at {
                Some(at) => Span::new(span.file, at..at + c.len_utf8()),
                None => span,
            })
        }
        None => Location::Path("book.toml".into()),
    };
    let script = unicode_script::UnicodeScript::script(&c);
    let mut chars: Vec<char> = places.iter().map(|&(_, c)| c).collect();
    chars.sort_unstable();
    chars.dedup();
    let name = |c: char| {
        let code = u32::from(c);
        if c.is_control() || c.is_whitespace() || (0xE000..=0xF8FF).contains(&code) {
            format!("U+{code:04X}")
        } else {
            format!("`{c}` (U+{code:04X})")
        }
    };
    let (subject, pronoun) = match chars.len() {
        1 => (format!("the character {}", name(c)), "it"),
        _ => (
            format!(
                "the characters {}{}",
                chars
                    .iter()
                    .take(5)
                    .map(|&c| name(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                if chars.len() > 5 { ", …" } else { "" }
            ),
            "they",
        ),
    };
    let (verb, appear) = if chars.len() == 1 {
        ("is", "appears")
    } else {
        ("are", "appear")
    };
    let places_note = match places.len() {
        1 => String::new(),
        n => format!("; {pronoun} {appear} here and in {} more places", n - 1),
    };
    let what = format!(
        "{subject} ({} script) {verb} in no font: not the bundled ones, the manuscript's fonts/ or the system's{places_note}",
        script.full_name()
    );
    let remedy = match font_for(c, script) {
        Some((font, package)) => format!(
            "install {font} (Debian: {package}) or put a font that has it in the manuscript's fonts/ folder; or replace the character"
        ),
        None => {
            "put a font that has it in the manuscript's fonts/ folder, or replace the character"
                .into()
        }
    };
    match missing {
        Missing::Error => diags
            .error(location, format!("{what}, so {pronoun} cannot be printed"))
            .hint(remedy),
        Missing::Warning => diags
            .warning(location, format!("{what}: the e-book shows it in the reader's fonts, but a PDF could not print it"))
            .hint(format!("to build the PDF too: {remedy}")),
    };
}

/// A font that has a character of a script, and the Debian package that installs it.
fn font_for(c: char, script: unicode_script::Script) -> Option<(String, &'static str)> {
    use unicode_script::Script;
    let emoji = matches!(u32::from(c), 0x1F000..=0x1FAFF | 0x2600..=0x27BF);
    Some(match script {
        _ if emoji => ("Noto Color Emoji".into(), "fonts-noto-color-emoji"),
        Script::Han | Script::Bopomofo => ("Noto Sans CJK SC".into(), "fonts-noto-cjk"),
        Script::Hiragana | Script::Katakana => ("Noto Sans CJK JP".into(), "fonts-noto-cjk"),
        Script::Hangul => ("Noto Sans CJK KR".into(), "fonts-noto-cjk"),
        Script::Arabic => ("Noto Naskh Arabic".into(), "fonts-noto-core"),
        Script::Common | Script::Inherited => ("Noto Sans Symbols 2".into(), "fonts-noto-core"),
        Script::Unknown => return None,
        other => (
            format!("Noto Sans {}", other.full_name().replace('_', " ")),
            "fonts-noto-core",
        ),
    })
}
