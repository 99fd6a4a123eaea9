//! The braille editions: the plan, the book, the appendix's data and where the print pages
//! begin in; each braille edition's BRF, PEF and eBraille files, by name, out. The rules that
//! make braille an edition: liblouis must be installed, and a language needs a braille code.

use std::path::PathBuf;

use super::Plan;
use crate::data::Group;
use crate::diag::{self, Diagnostics};
use crate::layout::document::{PageMap, PagePlace};
use crate::model::Book;
use crate::profile::{Content, Edition, Medium};
use crate::render::braille::{self, louis, translate};

/// Braille needs liblouis: without it, a braille edition asked for by name is an error;
/// asked for with `all`, the braille editions are left out with a note.
pub(super) fn drop_without_louis(
    plan: &mut Plan,
    editions: &[Edition],
    all: bool,
    diags: &mut Diagnostics,
) {
    if plan.brailled.is_empty() {
        return;
    }
    let Err(why) = louis::get().map(drop) else {
        return;
    };
    if all {
        plan.notes.push(format!(
            "no braille editions: {why}; to make them, {}",
            louis::INSTALL_HINT
        ));
    } else {
        let names: Vec<&str> = plan
            .brailled
            .iter()
            .map(|&i| editions[i].name.as_str())
            .collect();
        diags
            .error(
                diag::Location::Path(PathBuf::from("--profile")),
                format!(
                    "the `{}` edition needs liblouis, and {why}",
                    names.join("`, `")
                ),
            )
            .hint(louis::INSTALL_HINT);
    }
    plan.brailled.clear();
}

/// The files of each braille edition of the plan: `<stem>.brf`, `.pef` and `.ebrl` for the
/// `braille` edition, `<stem>-<name>.…` for the others (`-handout` for the handout's). `pages`
/// is where the print pages begin in the book (the edition the e-book's page-list follows).
#[allow(clippy::too_many_arguments)]
pub fn make(
    plan: &Plan,
    book: &Book,
    editions: &[Edition],
    groups: &[Group],
    pages: Option<&PageMap>,
    stem: &str,
    notes: &mut Vec<String>,
    diags: &mut Diagnostics,
) -> zip::result::ZipResult<Vec<(String, Vec<u8>)>> {
    let mut outputs = Vec::new();
    if plan.brailled.is_empty() {
        return Ok(outputs);
    }
    let louis = match louis::get() {
        Ok(louis) => louis,
        Err(why) => {
            diags
                .error(diag::Location::Path(PathBuf::from("--profile")), why)
                .hint(louis::INSTALL_HINT);
            return Ok(outputs);
        }
    };
    for &index in &plan.brailled {
        let edition = &editions[index];
        let Medium::Braille(settings) = edition.medium else {
            continue;
        };
        let (edition_book, print_pages) = match &edition.content {
            Content::Chapters(chosen) => {
                let edition_book = book.edition(chosen.as_deref());
                let print_pages = print_pages(book, &edition_book, pages);
                (edition_book, print_pages)
            }
            Content::Handout => (
                std::borrow::Cow::Owned(super::handout::book(&book.meta, groups)),
                Vec::new(),
            ),
        };
        let transcription =
            match braille::transcribe(&louis, &edition_book, &settings, &print_pages) {
                Ok(t) => t,
                Err(problems) => {
                    report(&problems, &edition.name, diags);
                    continue;
                }
            };
        let name = match edition.name.as_str() {
            "braille" => stem.to_string(),
            "braille-handout" => format!("{stem}-handout"),
            other => format!("{stem}-{other}"),
        };
        match braille::brf::write(&transcription.pages) {
            Ok(bytes) => outputs.push((format!("{name}.brf"), bytes)),
            Err(_) => notes.push(format!(
                "no BRF of the `{}` edition: its braille code has 8-dot cells, which BRF cannot hold; the PEF and eBraille files have them",
                edition.name
            )),
        }
        outputs.push((format!("{name}.pef"), braille::pef::write(&transcription)));
        if let Some(missing) = braille::ebraille::missing(&transcription) {
            diags
                .warning(
                    diag::Location::Path(PathBuf::from("book.toml")),
                    format!("the `{}` edition's eBraille file lacks what eBraille requires: {missing}", edition.name),
                )
                .hint("add authors = [...] and date = \"YYYY-MM-DD\" to the book's settings in book.toml; nothing is made up in their place");
        }
        outputs.push((
            format!("{name}.ebrl"),
            braille::ebraille::write(&transcription)?,
        ));
    }
    Ok(outputs)
}

/// The print pages that begin in the chapters of an edition's book, by its chapter index:
/// `pages` locates them in `book` (all its chapters), and a chapter is the same chapter in
/// both when its id is.
fn print_pages(
    book: &Book,
    edition_book: &Book,
    pages: Option<&PageMap>,
) -> Vec<braille::PrintPageAt> {
    let Some(pages) = pages else {
        return Vec::new();
    };
    pages
        .starts
        .iter()
        .filter_map(|start| match start.place {
            PagePlace::Chapter { chapter, at } => {
                let id = &book.chapters.get(chapter)?.id;
                let index = edition_book.chapters.iter().position(|c| &c.id == id)?;
                Some((
                    index,
                    translate::PrintPage {
                        block: at.block,
                        offset: at.offset,
                        label: start.label.to_string(),
                    },
                ))
            }
            PagePlace::TitlePage | PagePlace::Colophon | PagePlace::Contents => None,
        })
        .collect()
}

/// What stops an edition's transcription, as diagnostics.
fn report(problems: &[translate::Problem], edition: &str, diags: &mut Diagnostics) {
    let place = |span: &Option<crate::diag::Span>| match span {
        Some(span) => diag::Location::from(*span),
        None => diag::Location::Path(PathBuf::from("book.toml")),
    };
    let at = || diag::Location::Path(PathBuf::from("book.toml"));
    for problem in problems {
        match problem {
            translate::Problem::NoCode { tag, at } => {
                diags
                    .error(place(at), format!("the `{edition}` edition has text in `{tag}`, and liblouis has no braille code for that language"))
                    .hint("leave the chapters in that language out of the braille edition ([profiles.braille] chapters = [...]), or build the other editions");
            }
            translate::Problem::Undefined { lang, chars, at } => {
                let shown: Vec<String> = chars
                    .chars()
                    .take(12)
                    .map(|c| format!("{c} (U+{:04X})", u32::from(c)))
                    .collect();
                let shown = shown.join(", ");
                diags
                    .error(
                        place(at),
                        format!("the `{edition}` edition has characters {lang} braille has no cell for: {shown}"),
                    )
                    .hint("mark the passage with its language (<span lang=\"…\">) so its own braille code is used, or leave the chapter out of the braille edition");
            }
            translate::Problem::Louis(why) => {
                diags
                    .error(
                        at(),
                        format!("liblouis could not translate the `{edition}` edition: {why}"),
                    )
                    .hint(louis::INSTALL_HINT);
            }
        }
    }
}
