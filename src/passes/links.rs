//! Links pass: a book whose internal links are written as in the Markdown in; each one resolved
//! to a chapter and an id, or an error naming the link, out.

use std::collections::HashMap;

use crate::diag::Diagnostics;
use crate::load::join_relative;
use crate::model::{BlockKind, Book, Inline, LinkTarget, visit_blocks};

/// Resolves `#id`, `chapter.md` and `chapter.md#id` links.
pub fn resolve(book: &mut Book, diags: &mut Diagnostics) {
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (index, chapter) in book.chapters.iter().enumerate() {
        visit_blocks(&chapter.blocks, &mut |block| {
            if let BlockKind::Heading(h) = &block.kind {
                ids.insert(h.id.clone(), index);
            }
        });
        for note in &chapter.notes {
            ids.insert(note.id.clone(), index);
        }
    }
    for (index, chapter) in book.chapters.iter_mut().enumerate() {
        chapter.visit_inlines_mut(&mut |inline| {
            if let Inline::Anchor { id, .. } = inline {
                ids.insert(id.clone(), index);
            }
        });
    }
    let paths: HashMap<String, usize> = book
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| (c.path.clone(), i))
        .collect();

    for chapter in &mut book.chapters {
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
                (_, Some(id)) => match ids.get(id) {
                    Some(&index) if chapter_index.is_none_or(|c| c == index) => {
                        Some((index, Some(id.to_string())))
                    }
                    _ => None,
                },
                (None, None) => None,
            };
            match resolved {
                Some((chapter, id)) => link.target = LinkTarget::Internal { chapter, id },
                None => diags
                    .error(link.span, format!("the link target `{dest}` does not exist"))
                    .hint("a heading's id is given with {#my-id} or made from its text: lower case, words joined by hyphens (`inkfold check --dump` lists them)"),
            }
        });
    }
}
