//! Passes over the parsed book: each takes the model, completes or checks one aspect of it, and
//! reports what it finds as diagnostics. [`run`] owns their order.

pub mod appendix;
pub mod assets;
pub mod headings;
pub mod highlight;
pub mod ids;
pub mod limits;
pub mod links;
pub mod lint;

use crate::config::AppendixConfig;
use crate::data::Group;
use crate::diag::{Diagnostics, Section};
use crate::load::Manuscript;
use crate::model::Book;

/// Whether code is highlighted, and what earlier builds' highlighting is kept in.
#[derive(Debug, Clone, Copy)]
pub enum Highlighting<'a> {
    Off,
    On(Option<&'a highlight::Memo>),
}

/// Takes the book as its source gives it through every pass, in this order (each step's reason
/// for its place):
///
/// 1. `appendix`: the appendix generated from the data (`appendix`: its settings and lists,
///    when the book has one), first, so every later pass checks it as it does a chapter;
/// 2. `limits`: too many headings, notes or table cells are refused before any later pass
///    spends time on them;
/// 3. `headings`: each heading's navigable level;
/// 4. `ids`: heading and footnote ids, and notes numbered;
/// 5. `links`: internal links resolved to those ids;
/// 6. `assets`: images read and checked, relative to `manuscript`;
/// 7. `lint`: the accessibility warnings, on the finished model;
/// 8. `links::name_empty`: a link without text is given where it leads as its text, after the
///    lint, which would otherwise take that address for a bare one;
/// 9. `highlight`: code blocks' tokens (when `highlight`), last, on a book without errors only:
///    nothing checks them, and a book that will not be built needs none.
pub fn run(
    book: &mut Book,
    appendix: Option<(&AppendixConfig, &[Group])>,
    manuscript: &Manuscript,
    (highlighting, dangling): (Highlighting, links::Dangling),
    diags: &mut Diagnostics,
) {
    if let Some((config, groups)) = appendix {
        diags.within(Section::AppendixData, |diags| {
            appendix::insert(book, config, groups, diags)
        });
    }
    diags.within(Section::Limits, |diags| limits::check(book, diags));
    diags.within(Section::Markdown, |diags| {
        headings::structure(book, diags);
        ids::assign(book, diags);
        links::resolve(book, dangling, diags);
        assets::resolve(book, manuscript, diags);
    });
    diags.within(Section::Accessibility, |diags| lint::check(book, diags));
    diags.within(Section::Markdown, |diags| links::name_empty(book, diags));
    if let Highlighting::On(memo) = highlighting
        && !diags.has_errors()
    {
        diags.within(Section::Limits, |diags| highlight::run(book, memo, diags));
    }
}
