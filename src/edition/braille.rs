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

/// Braille needs liblouis (`load` finds it, or says why not): without it, a braille edition
/// asked for by name is an error; asked for with `all`, the braille editions are left out with
/// a note.
pub(super) fn drop_without_louis(
    plan: &mut Plan,
    editions: &[Edition],
    all: bool,
    load: impl FnOnce() -> Result<(), String>,
    diags: &mut Diagnostics,
) {
    if plan.brailled.is_empty() {
        return;
    }
    let Err(why) = load() else {
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
            .see(diag::Section::Braille)
            .hint(louis::INSTALL_HINT);
    }
    plan.brailled.clear();
}

/// The files of each braille edition of the plan: `<stem>.brf`, `.pef` and `.ebrl` for the
/// `braille` edition, `<stem>-<name>.…` for the others (`-handout` for the handout's). `pages`
/// is where the print pages begin in the book (the edition the e-book's page-list follows);
/// `counts` gets each file's braille pages.
#[allow(clippy::too_many_arguments)]
pub fn make(
    plan: &Plan,
    book: &Book,
    editions: &[Edition],
    groups: &[Group],
    pages: Option<&PageMap>,
    stem: &str,
    notes: &mut Vec<String>,
    counts: &mut Vec<(String, usize)>,
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
        let (transcription, problems) =
            braille::transcribe(&louis, &edition_book, &settings, &print_pages);
        report(&problems, &edition.name, diags);
        let Some(transcription) = transcription else {
            continue;
        };
        let name = match edition.name.as_str() {
            "braille" => stem.to_string(),
            "braille-handout" => format!("{stem}-handout"),
            other => format!("{stem}-{other}"),
        };
        counts.push((format!("{name}.pef"), transcription.pages.len()));
        match braille::brf::write(&transcription.pages) {
            Ok(bytes) => {
                counts.push((format!("{name}.brf"), transcription.pages.len()));
                outputs.push((format!("{name}.brf"), bytes));
            }
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
                    format!("the `{}` edition's eBraille file is incomplete: {missing}", edition.name),
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
                    .warning(
                        place(at),
                        format!("the `{edition}` edition describes characters {lang} braille has no cell for, each in a transcriber's note with its Unicode name: {shown}"),
                    )
                    .hint("where a passage is in another language, mark it (<span lang=\"…\">) so its own braille code is used; a picture made of characters is best given a text alternative");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Braille, Profile};

    fn editions() -> Vec<Edition> {
        ["book", "braille"]
            .iter()
            .map(|name| Edition {
                name: name.to_string(),
                profile: Profile::default(),
                content: Content::Chapters(None),
                medium: if *name == "braille" {
                    Medium::Braille(Braille::default())
                } else {
                    Medium::Print
                },
            })
            .collect()
    }

    #[test]
    fn without_liblouis_braille_asked_for_is_an_error_and_all_leaves_it_out() {
        let missing = || Err("liblouis is not installed".to_string());
        let mut plan = Plan {
            brailled: vec![1],
            ..Plan::default()
        };
        let mut diags = Diagnostics::default();
        drop_without_louis(&mut plan, &editions(), false, missing, &mut diags);
        let problems = diags.resolve(&crate::diag::SourceMap::default());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .contains("the `braille` edition needs liblouis")
        );
        assert_eq!(problems[0].hint.as_deref(), Some(louis::INSTALL_HINT));
        assert!(plan.brailled.is_empty());

        let mut plan = Plan {
            printed: vec![0],
            brailled: vec![1],
            ..Plan::default()
        };
        let mut diags = Diagnostics::default();
        drop_without_louis(&mut plan, &editions(), true, missing, &mut diags);
        assert!(!diags.has_errors());
        assert_eq!(plan.printed, [0]);
        assert!(plan.brailled.is_empty());
        assert!(plan.notes[0].starts_with("no braille editions: liblouis is not installed"));

        // With liblouis, nothing changes.
        let mut plan = Plan {
            brailled: vec![1],
            ..Plan::default()
        };
        drop_without_louis(&mut plan, &editions(), false, || Ok(()), &mut diags);
        assert_eq!(plan.brailled, [1]);
    }
}
