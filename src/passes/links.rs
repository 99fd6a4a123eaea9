//! Links pass: a book whose internal links are written as in the Markdown in; each one resolved
//! to a chapter and an id, or an error naming the link, out. A link without text is given where
//! it leads as its text (with a warning), so that no link is left without a name to read.

use std::collections::{HashMap, HashSet};

use crate::diag::Diagnostics;
use crate::model::walk::{self, Node, NodeMut};
use crate::model::{Block, BlockKind, Book, Inline, LinkTarget, plain_text};
use crate::paths::join_relative;

/// What becomes of a link to a place the book does not have: a chapter it does not hold (a
/// path out of the book, a chapter left out of the SUMMARY) or an id no heading, note or
/// anchor has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dangling {
    /// An error: an inkfold manuscript's links are checked, and the book is built only when
    /// every one leads somewhere.
    Error,
    /// A warning, and the link kept as well as it can be: to its chapter's start when only the
    /// id is missing, else its text without the link. mdBook writes such links as they are
    /// (a translated heading's id, a page of the site the book is part of, `../std/…`), and
    /// an mdBook project is built as mdBook builds it.
    Warn,
}

const CHAPTER_HINT: &str = "link to a chapter file listed in book.toml (relative to this file), to `#heading-id`, or to a full https:// address";

const ID_HINT: &str = "a heading's id is given with {#my-id} or made from its text as on GitHub: lower case, spaces as hyphens, punctuation dropped (`inkfold check --dump` lists them)";

/// Resolves `#id`, `chapter.md` and `chapter.md#id` links: `chapter.md#id` to the id in that
/// chapter, `#id` to the id in the chapter the link is in, else in the first chapter that has
/// it. A chapter is also found as mdBook's HTML names it ([`chapter_at`]). A link that leads
/// nowhere is an error or a warning, as `dangling` says.
pub fn resolve(book: &mut Book, dangling: Dangling, diags: &mut Diagnostics) {
    // Every id of every chapter, and the first chapter of each id.
    let mut ids: HashSet<(usize, String)> = HashSet::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut add = |chapter: usize, id: &str| {
        ids.insert((chapter, id.to_string()));
        first.entry(id.to_string()).or_insert(chapter);
    };
    for (index, chapter) in book.chapters.iter_mut().enumerate() {
        walk::tree(&chapter.blocks, &mut |node| {
            if let Node::Block(Block {
                kind: BlockKind::Heading(h),
                ..
            }) = node
            {
                add(index, &h.id);
            }
        });
        for note in &chapter.notes {
            add(index, &note.id);
        }
        chapter.walk(&mut |node| {
            if let Node::Inline(Inline::Anchor { id, .. }) = node {
                add(index, id);
            }
        });
    }
    let paths: HashMap<String, usize> = book
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.path.clone(), i))
        .collect();

    let readmes = readmes(&paths);
    for (current, chapter) in book.chapters.iter_mut().enumerate() {
        let from = chapter.path.clone();
        chapter.walk_mut(&mut |node| {
            let NodeMut::Inline(Inline::Link(link)) = node else {
                return;
            };
            let LinkTarget::Unresolved(dest) = &link.target else {
                return;
            };
            let (path, fragment) = match dest.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (dest.as_str(), None),
            };
            let chapter_index = if path.is_empty() {
                None
            } else {
                match join_relative(&from, path).ok().and_then(|p| chapter_at(&paths, &readmes, &p)) {
                    Some(index) => Some(index),
                    None => {
                        match dangling {
                            Dangling::Error => {
                                diags
                                    .error(link.span, format!("the link target `{dest}` is not a chapter of this book"))
                                    .hint(CHAPTER_HINT);
                            }
                            Dangling::Warn => {
                                diags
                                    .warning(link.span, format!("the link target `{dest}` is not a chapter of this book; its text is kept, without the link"))
                                    .hint(CHAPTER_HINT);
                                link.target = LinkTarget::Elsewhere;
                            }
                        }
                        return;
                    }
                }
            };
            let resolved = match (chapter_index, fragment) {
                (Some(index), None | Some("")) => Some((index, None)),
                (Some(index), Some(id)) => ids
                    .contains(&(index, id.to_string()))
                    .then(|| (index, Some(id.to_string()))),
                (None, Some(id)) => {
                    let here = ids.contains(&(current, id.to_string()));
                    let index = if here { Some(current) } else { first.get(id).copied() };
                    index.map(|index| (index, Some(id.to_string())))
                }
                (None, None) => None,
            };
            match (resolved, dangling, chapter_index) {
                (Some((chapter, id)), _, _) => link.target = LinkTarget::Internal { chapter, id },
                (None, Dangling::Error, _) => {
                    diags
                        .error(link.span, format!("the link target `{dest}` does not exist"))
                        .hint(ID_HINT);
                }
                (None, Dangling::Warn, Some(chapter)) => {
                    diags
                        .warning(link.span, format!("the link target `{dest}` does not exist; the link goes to the start of its chapter"))
                        .hint(ID_HINT);
                    link.target = LinkTarget::Internal { chapter, id: None };
                }
                (None, Dangling::Warn, None) => {
                    diags
                        .warning(link.span, format!("the link target `{dest}` does not exist; its text is kept, without the link"))
                        .hint(ID_HINT);
                    link.target = LinkTarget::Elsewhere;
                }
            }
        });
    }
}

/// The folder of a path and its file name.
fn split_folder(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// The chapter that is each folder's index as mdBook makes it: its `README.md` (any case).
fn readmes(paths: &HashMap<String, usize>) -> HashMap<String, usize> {
    paths
        .iter()
        .filter_map(|(path, &index)| {
            let (folder, name) = split_folder(path);
            name.eq_ignore_ascii_case("readme.md")
                .then(|| (folder.to_string(), index))
        })
        .collect()
}

/// The chapter a link's path (relative to the book, normalised) leads to: the chapter of that
/// path, or as mdBook's HTML names chapters, `x.html` for `x.md`, and `index.html` (or
/// `index.md`) for the `README.md` of its folder (`readmes`), which mdBook makes the folder's
/// index.
fn chapter_at(
    paths: &HashMap<String, usize>,
    readmes: &HashMap<String, usize>,
    path: &str,
) -> Option<usize> {
    if let Some(&index) = paths.get(path) {
        return Some(index);
    }
    let stem = path
        .strip_suffix(".html")
        .or_else(|| path.strip_suffix(".md"))?;
    if let Some(&index) = paths.get(&format!("{stem}.md")) {
        return Some(index);
    }
    match split_folder(stem) {
        (folder, "index") => readmes.get(folder).copied(),
        _ => None,
    }
}

/// Gives each link without text (`[](https://…)`, or a link around a decorative image) where it
/// leads as its text: its address, or the title of the chapter it goes to. A reading system
/// announces a link by its text, and one without is a link no one can tell from another (and
/// fails the EPUB's accessibility check); in print, its address is what a reader can follow.
/// Runs after the lint, which would otherwise take the address for a bare one.
pub fn name_empty(book: &mut Book, diags: &mut Diagnostics) {
    let titles: Vec<String> = book.chapters.iter().map(|c| c.title.clone()).collect();
    let mut headings: HashMap<(usize, String), String> = HashMap::new();
    for (index, chapter) in book.chapters.iter().enumerate() {
        walk::tree(&chapter.blocks, &mut |node| {
            if let Node::Block(Block {
                kind: BlockKind::Heading(h),
                ..
            }) = node
            {
                headings.insert((index, h.id.clone()), plain_text(&h.content));
            }
        });
    }
    for chapter in &mut book.chapters {
        chapter.walk_mut(&mut |node| {
            let NodeMut::Inline(Inline::Link(link)) = node else {
                return;
            };
            if !plain_text(&link.content).trim().is_empty() {
                return;
            }
            let (text, what) = match &link.target {
                LinkTarget::Url(url) => {
                    let shown = ["mailto:", "tel:"]
                        .iter()
                        .find_map(|scheme| url.strip_prefix(scheme))
                        .unwrap_or(url);
                    (shown.to_string(), "its address")
                }
                LinkTarget::Internal { chapter, id } => {
                    let heading = id
                        .as_ref()
                        .and_then(|id| headings.get(&(*chapter, id.clone())))
                        .filter(|text| !text.trim().is_empty());
                    match (heading, titles.get(*chapter)) {
                        (Some(heading), _) => (heading.clone(), "the heading it leads to"),
                        (None, Some(title)) => (title.clone(), "the title of its chapter"),
                        (None, None) => return,
                    }
                }
                LinkTarget::Unresolved(_) | LinkTarget::Elsewhere => return,
            };
            diags
                .warning(
                    link.span,
                    format!("this link has no text; {what} is shown as its text"),
                )
                .hint("say where the link leads: [the UNICEF report on child labour](https://…)");
            link.content.push(Inline::Text(text));
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_are_found_as_mdbook_names_them() {
        let paths: HashMap<String, usize> = [
            ("README.md", 0),
            ("guide/intro.md", 1),
            ("guide/Readme.md", 2),
        ]
        .into_iter()
        .map(|(p, i)| (p.to_string(), i))
        .collect();
        for (path, chapter) in [
            ("README.md", Some(0)),
            ("index.html", Some(0)),
            ("index.md", Some(0)),
            ("guide/intro.md", Some(1)),
            ("guide/intro.html", Some(1)),
            ("guide/index.html", Some(2)),
            ("guide/other.html", None),
            ("intro.html", None),
            ("guide/intro.htm", None),
        ] {
            assert_eq!(
                chapter_at(&paths, &readmes(&paths), path),
                chapter,
                "{path}"
            );
        }
    }
}
