//! Ids pass: a parsed book in; chapters with output names, headings with unique ids, and
//! footnotes numbered in the order of their first reference out.

use std::collections::{HashMap, HashSet};

use crate::diag::{Diagnostics, Span};
use crate::id::slug;
use crate::model::walk::{self, Node, NodeMut};
use crate::model::{Block, BlockKind, Book, Chapter, Inline};

/// Ids already given out, and a way to make a new one unique.
#[derive(Default)]
struct Taken {
    ids: HashSet<String>,
    /// For each base, the suffix to try next, so a thousand repeats of one heading take a
    /// thousand steps, not half a million.
    next: HashMap<String, usize>,
}

impl Taken {
    fn new(ids: HashSet<String>) -> Taken {
        Taken {
            ids,
            next: HashMap::new(),
        }
    }

    /// `base`, or `base-1`, `base-2`, … : the first not taken.
    fn unique(&mut self, base: &str) -> String {
        let mut n = self.next.get(base).copied().unwrap_or(0);
        let mut candidate = if n == 0 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        while self.ids.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.next.insert(base.to_string(), n + 1);
        self.ids.insert(candidate.clone());
        candidate
    }
}

/// Output names for chapter files, in reading order: each file's name without its extension,
/// as a slug, made unique in the book.
pub fn chapter_ids<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut names = Taken::default();
    paths
        .into_iter()
        .map(|path| match slug(crate::paths::file_stem(path)) {
            s if s.is_empty() => names.unique("chapter"),
            s => names.unique(&s),
        })
        .collect()
}

/// An output name for a generated chapter, unique among the book's chapters.
pub fn unique_chapter_id(book: &Book, base: &str) -> String {
    let mut names = Taken::new(book.chapters.iter().map(|c| c.id.clone()).collect());
    names.unique(base)
}

/// Runs the pass over the whole book.
pub fn assign(book: &mut Book, diags: &mut Diagnostics) {
    for chapter in &mut book.chapters {
        assign_in_chapter(chapter, diags);
    }
}

/// Ids are unique within a chapter file, as on the web: notes first, then the ids the author
/// gave (headings' `{#id}` and HTML anchors), so made ones never take a name an author chose;
/// then made ids, with `-1`, `-2` for repeats.
fn assign_in_chapter(chapter: &mut Chapter, diags: &mut Diagnostics) {
    let mut taken = Taken::default();
    number_notes(chapter, &mut taken, diags);
    let mut explicit: HashMap<String, Span> = HashMap::new();
    let mut claim = |id: &str, span: Span, diags: &mut Diagnostics| {
        if explicit.contains_key(id) || taken.ids.contains(id) {
            diags
                .error(span, format!("the id `{id}` is used twice in this chapter"))
                .hint("give each heading and anchor of a chapter file its own id");
        } else {
            explicit.insert(id.to_string(), span);
        }
    };
    // The headings of the chapter's text; a heading in a footnote keeps the id it was parsed
    // with.
    walk::tree(&chapter.blocks, &mut |node| {
        if let Node::Block(Block {
            kind: BlockKind::Heading(h),
            span,
        }) = node
            && h.explicit_id
        {
            claim(&h.id, *span, diags);
        }
    });
    chapter.walk(&mut |node| {
        if let Node::Inline(Inline::Anchor { id, span }) = node {
            claim(id, *span, diags);
        }
    });
    taken.ids.extend(explicit.into_keys());
    walk::tree_mut(&mut chapter.blocks, &mut |node| {
        if let NodeMut::Block(Block {
            kind: BlockKind::Heading(h),
            ..
        }) = node
            && !h.explicit_id
        {
            h.id = taken.unique(&h.id);
        }
    });
}

/// Numbers a chapter's footnotes by first reference, gives notes and references ids, and drops
/// notes that nothing refers to.
fn number_notes(chapter: &mut Chapter, taken: &mut Taken, diags: &mut Diagnostics) {
    let mut defined: HashMap<String, usize> = HashMap::new();
    for (index, note) in chapter.notes.iter().enumerate() {
        if defined.insert(note.label.clone(), index).is_some() {
            diags
                .warning(
                    note.span,
                    format!("footnote `{}` is defined twice", note.label),
                )
                .hint("give each footnote its own label; the first definition is used");
        }
    }
    let mut order: Vec<usize> = Vec::new();
    let mut ref_counts: HashMap<usize, usize> = HashMap::new();
    let mut ref_ids: HashMap<usize, String> = HashMap::new();
    let chapter_id = chapter.id.clone();
    chapter.walk_mut(&mut |node| {
        let NodeMut::Inline(Inline::NoteRef(r)) = node else {
            return;
        };
        let Some(&index) = defined.get(&r.label) else {
            diags
                .error(r.span, format!("footnote `{}` is not defined", r.label))
                .hint(format!(
                    "add a definition line: [^{}]: The note's text.",
                    r.label
                ));
            return;
        };
        let number = match order.iter().position(|&i| i == index) {
            Some(pos) => pos + 1,
            None => {
                order.push(index);
                order.len()
            }
        };
        let count = ref_counts.entry(index).or_insert(0);
        *count += 1;
        r.number = number;
        r.id = match *count {
            1 => taken.unique(&format!("noteref-{chapter_id}-{number}")),
            n => taken.unique(&format!("noteref-{chapter_id}-{number}-{n}")),
        };
        ref_ids.entry(index).or_insert_with(|| r.id.clone());
    });
    let mut notes: Vec<Option<_>> = std::mem::take(&mut chapter.notes)
        .into_iter()
        .map(Some)
        .collect();
    for (position, &index) in order.iter().enumerate() {
        if let Some(mut note) = notes[index].take() {
            note.id = taken.unique(&format!("note-{chapter_id}-{}", position + 1));
            note.ref_id = ref_ids.get(&index).cloned().unwrap_or_default();
            chapter.notes.push(note);
        }
    }
    for note in notes.into_iter().flatten() {
        if !ref_counts.contains_key(&defined[&note.label]) {
            diags
                .warning(
                    note.span,
                    format!("footnote `{}` is never referred to", note.label),
                )
                .hint(format!(
                    "refer to it in the text with [^{}], or remove it",
                    note.label
                ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_get_suffixes() {
        let mut taken = Taken::default();
        assert_eq!(taken.unique("a"), "a");
        assert_eq!(taken.unique("a"), "a-1");
        assert_eq!(taken.unique("a"), "a-2");
        // An id given by the author is skipped, as the first free name always was.
        let mut taken = Taken::new(["b-2".to_string()].into_iter().collect());
        let made: Vec<String> = (0..4).map(|_| taken.unique("b")).collect();
        assert_eq!(made, ["b", "b-1", "b-3", "b-4"]);
        assert_eq!(taken.unique("b-1"), "b-1-1");
    }
}
