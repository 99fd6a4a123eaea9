//! Links pass: a book whose internal links are written as in the Markdown in; each one resolved
//! to a chapter and an id, or an error naming the link, out.

use std::collections::{HashMap, HashSet};

use crate::diag::Diagnostics;
use crate::load::join_relative;
use crate::model::{BlockKind, Book, Inline, LinkTarget, visit_blocks};

/// Resolves `#id`, `chapter.md` and `chapter.md#id` links: `chapter.md#id` to the id in that
/// chapter, `#id` to the id in the chapter the link is in, else in the first chapter that has
/// it.
pub fn resolve(book: &mut Book, diags: &mut Diagnostics) {
    // Every id of every chapter, and the first chapter of each id.
    let mut ids: HashSet<(usize, String)> = HashSet::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut add = |chapter: usize, id: &str| {
        ids.insert((chapter, id.to_string()));
        first.entry(id.to_string()).or_insert(chapter);
    };
    for (index, chapter) in book.chapters.iter_mut().enumerate() {
        visit_blocks(&chapter.blocks, &mut |block| {
            if let BlockKind::Heading(h) = &block.kind {
                add(index, &h.id);
            }
        });
        for note in &chapter.notes {
            add(index, &note.id);
        }
        chapter.visit_inlines_mut(&mut |inline| {
            if let Inline::Anchor { id, .. } = inline {
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

    for (current, chapter) in book.chapters.iter_mut().enumerate() {
        let from = chapter.path.clone();
        chapter.visit_inlines_mut(&mut |inline| {
            let Inline::Link(link) = inline else { return };
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
                match join_relative(&from, path).ok().and_then(|p| paths.get(&p)) {
                    Some(&index) => Some(index),
                    None => {
                        diags
                            .error(link.span, format!("the link target `{dest}` is not a chapter of this book"))
                            .hint("link to a chapter file listed in book.toml (relative to this file), to `#heading-id`, or to a full https:// address");
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
            match resolved {
                Some((chapter, id)) => link.target = LinkTarget::Internal { chapter, id },
                None => diags
                    .error(link.span, format!("the link target `{dest}` does not exist"))
                    .hint("a heading's id is given with {#my-id} or made from its text as on GitHub: lower case, spaces as hyphens, punctuation dropped (`inkfold check --dump` lists them)"),
            }
        });
    }
}
