//! The handout: the appendix's lists of organisations in; a one-sheet leaflet's book out (each
//! organisation's name, the first sentence of what it offers and its address, beside a QR code
//! of its website in print), and the rules that make it an edition: a book without appendix
//! data has none, and it must fit on one sheet.

use std::path::PathBuf;

use super::Plan;
use crate::data::Group;
use crate::diag::{self, Diagnostics};
use crate::layout::Document;
use crate::model::*;
use crate::passes::appendix::{heading, text};
use crate::profile::{Content, Edition};

/// The most pages a handout may take: one sheet, printed on both sides.
pub const MAX_HANDOUT_PAGES: usize = 2;

/// The handout lists the organisations of the appendix's data: a book without them has none.
/// Asked for by name it is an error; asked for with `all` (`all`), it is left out with a note.
pub(super) fn drop_without_data(
    plan: &mut Plan,
    editions: &[Edition],
    groups: &[Group],
    all: bool,
    diags: &mut Diagnostics,
) {
    if !groups.is_empty() {
        return;
    }
    let handout = |i: &usize| editions[*i].content == Content::Handout;
    let asked = plan.printed.iter().chain(&plan.brailled).any(handout);
    if !asked {
        return;
    }
    plan.printed.retain(|i| !handout(i));
    plan.brailled.retain(|i| !handout(i));
    if all {
        plan.notes.push(
            "no handout: it lists the organisations of the appendix's data, and the book has none"
                .into(),
        );
    } else {
        diags
            .error(
                diag::Location::Path(PathBuf::from("--profile")),
                "the handout lists the organisations of the appendix's data, and the book has none",
            )
            .hint("add an [appendix] with data files to book.toml (see \"Appendix data\" in the README)");
    }
}

/// A handout laid out on more than [`MAX_HANDOUT_PAGES`] is an error, at the entry of the data
/// files (or the list's heading) that begins the first page too many: what no longer fits.
pub(super) fn check_fits(doc: &Document, handout: &Book, diags: &mut Diagnostics) {
    if doc.pages.len() > MAX_HANDOUT_PAGES {
        let first_too_many = doc
            .page_map
            .starts
            .iter()
            .filter_map(|start| match start.place {
                crate::layout::document::PagePlace::Chapter { chapter, at } => {
                    Some((chapter, at.block))
                }
                _ => None,
            })
            .nth(MAX_HANDOUT_PAGES)
            .and_then(|(chapter, block)| handout.chapters.get(chapter)?.blocks.get(block));
        let at = match first_too_many {
            Some(block) => diag::Location::from(block.span),
            None => diag::Location::Path(PathBuf::from("--profile")),
        };
        diags
            .error(
                at,
                format!(
                    "the handout takes {} pages; it must fit on {MAX_HANDOUT_PAGES} (one sheet, both sides), and page {} begins here",
                    doc.pages.len(),
                    MAX_HANDOUT_PAGES + 1
                ),
            )
            .hint("list fewer organisations or shorten the first sentence of what they offer in the data files, or make the type smaller or the paper larger in [profiles.handout]; `inkfold check` runs this test too");
    }
}

/// The handout's book: a one-chapter book under the book's title, with each list of the appendix's
/// data as a section and each organisation as one paragraph — its name, the first sentence of
/// what it offers, and its address — beside a QR code of its website in print.
pub fn book(meta: &crate::model::meta::Meta, groups: &[Group]) -> Book {
    let Some(first) = groups.first() else {
        return Book {
            meta: meta.clone(),
            chapters: Vec::new(),
            assets: Vec::new(),
            cover: None,
        };
    };
    let mut blocks = vec![heading(HeadingLevel::H1, &meta.title, None, first.span)];
    for group in groups {
        blocks.push(heading(HeadingLevel::H2, &group.title, None, group.span));
        for org in &group.organisations {
            let span = org.span;
            blocks.push(Block {
                kind: BlockKind::Website {
                    content: vec![
                        Inline::Strong(vec![text(&org.display_name())]),
                        text(&format!(": {} ", first_sentence(&org.offers))),
                        Inline::Link(Link {
                            target: LinkTarget::Url(
                                crate::markdown::escaped_url(&org.website).into_owned(),
                            ),
                            title: None,
                            content: vec![text(org.website_host())],
                            span,
                        }),
                    ],
                    url: org.website.clone(),
                },
                span,
            });
        }
    }
    Book {
        meta: meta.clone(),
        chapters: vec![Chapter {
            id: "handout".to_string(),
            file: first.span.file,
            path: "handout".to_string(),
            role: ChapterRole::Appendix,
            title: meta.title.clone(),
            blocks,
            notes: Vec::new(),
            lang: None,
            dir: None,
        }],
        assets: Vec::new(),
        cover: None,
    }
}

/// The first sentence of a text, or all of it: it ends at a `.`, `!` or `?` followed by a
/// space and a capital letter, unless the word before the stop is an abbreviation (`U.S.`,
/// `Dr.`: a word with another stop in it, or of three letters or fewer that begins with a
/// capital).
fn first_sentence(text: &str) -> &str {
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = &text[i + 1..];
        let next_is_capital = rest
            .strip_prefix(' ')
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_uppercase);
        if !next_is_capital {
            continue;
        }
        let word = text[..i].rsplit(' ').next().unwrap_or("");
        let abbreviation = c == '.'
            && (word.contains('.')
                || (word.chars().count() <= 3 && word.starts_with(char::is_uppercase)));
        if !abbreviation {
            return &text[..i + 1];
        }
    }
    text.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_sentence_stops_at_a_sentence_end_not_an_abbreviation() {
        assert_eq!(first_sentence("One thing. Another."), "One thing.");
        assert_eq!(
            first_sentence("The U.S. Department of State's office reports. It helps."),
            "The U.S. Department of State's office reports."
        );
        assert_eq!(
            first_sentence("Ask Dr. Who about it? Yes."),
            "Ask Dr. Who about it?"
        );
        assert_eq!(
            first_sentence("Version 2.0 is out. Next."),
            "Version 2.0 is out."
        );
        assert_eq!(first_sentence("No stop at all"), "No stop at all");
    }
}
