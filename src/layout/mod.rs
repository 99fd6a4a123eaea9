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

/// Lays out the whole book for print: measures, reports characters no font covers to `diags`,
/// and paginates.
pub fn layout(
    book: &Book,
    profile: &Profile,
    fonts: &FontBook,
    map: &SourceMap,
    diags: &mut Diagnostics,
) -> Document {
    let front = measure::measure_front(book, profile, fonts);
    let galleys = measure::measure(book, profile, fonts);
    for (span, c) in front
        .uncovered
        .iter()
        .chain(galleys.iter().flat_map(|g| &g.uncovered))
    {
        report_uncovered(*span, *c, map, diags);
    }
    paginate::paginate(front, galleys, profile, fonts, &book.meta.lang)
}

/// An error for a character no font has, pointing at it when the block's source shows it.
fn report_uncovered(span: Option<Span>, c: char, map: &SourceMap, diags: &mut Diagnostics) {
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
    diags
        .error(
            location,
            format!("the character {shown} is in no bundled font, so it cannot be printed"),
        )
        .hint("replace or remove the character; the PDF uses Atkinson Hyperlegible Next with Noto Sans as fallback");
}
