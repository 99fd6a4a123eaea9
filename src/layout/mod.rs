//! Print layout: the document model, a print [`Profile`] and the [`FontBook`] in; a paged,
//! tagged [`Document`] out, in two stages.
//!
//! ```text
//! Book ──measure──▶ ChapterGalley per chapter (+ FrontGalley)   shaped lines and keep rules
//!      ──paginate──▶ Document { pages, tags, page_map, outline }
//! ```
//!
//! [`fonts`] holds the faces and shapes text (with plan and word caches), [`hyphenate`] and
//! [`linebreak`] (Knuth–Plass) serve [`paragraph`] (pieces of text to lines), [`measure`] sets
//! each chapter into a [`galley`] independently of pages, [`paginate`] places galleys on pages,
//! [`tags`] builds the structure tree, and [`document`] is the result the PDF writer draws.

pub mod document;
pub mod dump;
pub mod fonts;
pub mod galley;
pub mod hyphenate;
pub mod linebreak;
pub mod measure;
pub mod paginate;
pub mod paragraph;
pub mod tags;

use crate::diag::{Diagnostics, Location, SourceMap, Span};
use crate::model::Book;
use crate::profile::Profile;
pub use document::Document;
pub use fonts::FontBook;

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
/// (as `missing` says), and paginates.
pub fn layout(
    book: &Book,
    profile: &Profile,
    fonts: &FontBook,
    map: &SourceMap,
    diags: &mut Diagnostics,
    missing: Missing,
) -> Document {
    let front = measure::measure_front(book, profile, fonts);
    let galleys = measure::measure(book, profile, fonts);
    for (span, c) in front
        .uncovered
        .iter()
        .chain(galleys.iter().flat_map(|g| &g.uncovered))
    {
        report_uncovered(*span, *c, map, diags, missing);
    }
    paginate::paginate(front, galleys, profile, fonts, &book.meta.lang)
}

/// A problem for a character no font has, pointing at it when the block's source shows it.
fn report_uncovered(
    span: Option<Span>,
    c: char,
    map: &SourceMap,
    diags: &mut Diagnostics,
    missing: Missing,
) {
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
    let code = u32::from(c);
    let shown = if c.is_control() || c.is_whitespace() || (0xE000..=0xF8FF).contains(&code) {
        format!("U+{code:04X}")
    } else {
        format!("`{c}` (U+{code:04X})")
    };
    let script = unicode_script::UnicodeScript::script(&c).full_name();
    let what = format!("the character {shown} ({script} script) is in no bundled font");
    match missing {
        Missing::Error => diags
            .error(location, format!("{what}, so it cannot be printed"))
            .hint("replace or remove the character; the PDF uses Atkinson Hyperlegible Next with Noto Sans as fallback"),
        Missing::Warning => diags
            .warning(location, format!("{what}: the e-book shows it in the reader's fonts, but a PDF could not print it"))
            .hint("to build the PDF too, replace or remove the character; the PDF uses Atkinson Hyperlegible Next with Noto Sans as fallback"),
    };
}
