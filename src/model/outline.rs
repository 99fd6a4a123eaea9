//! The book's outline (a book in, a tree of headings out): the table of contents of the EPUB
//! navigation document and, later, the PDF bookmarks.

use super::{BlockKind, Book, plain_text};

/// One entry of the outline: a chapter or a heading in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineEntry {
    pub label: String,
    /// Index of the chapter in [`Book::chapters`].
    pub chapter: usize,
    /// The heading's id; `None` for the start of the chapter.
    pub id: Option<String>,
    pub children: Vec<OutlineEntry>,
}

/// The chapters in reading order, each with its headings nested by level. A chapter's title
/// heading names the chapter entry itself, at the chapter's level, so a file that opens with
/// `##` nests under the chapter before it; headings inside quotes and lists are not listed.
pub fn outline(book: &Book) -> Vec<OutlineEntry> {
    let mut flat = Vec::new();
    for (index, chapter) in book.chapters.iter().enumerate() {
        let title_id = chapter.title_id();
        flat.push((
            chapter.level().number(),
            OutlineEntry {
                label: chapter.title.clone(),
                chapter: index,
                id: None,
                children: Vec::new(),
            },
        ));
        for block in &chapter.blocks {
            if let BlockKind::Heading(h) = &block.kind {
                if Some(h.id.as_str()) == title_id {
                    continue;
                }
                flat.push((
                    h.level.number(),
                    OutlineEntry {
                        label: plain_text(&h.content),
                        chapter: index,
                        id: Some(h.id.clone()),
                        children: Vec::new(),
                    },
                ));
            }
        }
    }
    nest(flat)
}

/// Turns `(level, entry)` pairs in document order into a tree: each entry becomes a child of
/// the nearest earlier entry with a lower level.
fn nest(flat: Vec<(u8, OutlineEntry)>) -> Vec<OutlineEntry> {
    let mut roots = Vec::new();
    let mut open: Vec<(u8, OutlineEntry)> = Vec::new();
    for (level, entry) in flat {
        close_while(&mut open, &mut roots, |open_level| open_level >= level);
        open.push((level, entry));
    }
    close_while(&mut open, &mut roots, |_| true);
    roots
}

fn close_while(
    open: &mut Vec<(u8, OutlineEntry)>,
    roots: &mut Vec<OutlineEntry>,
    should_close: impl Fn(u8) -> bool,
) {
    while let Some((level, _)) = open.last() {
        if !should_close(*level) {
            break;
        }
        let Some((_, done)) = open.pop() else { break };
        match open.last_mut() {
            Some((_, parent)) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str) -> OutlineEntry {
        OutlineEntry {
            label: label.into(),
            chapter: 0,
            id: None,
            children: Vec::new(),
        }
    }

    fn shape(entries: &[OutlineEntry]) -> String {
        entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.label.clone()
                } else {
                    format!("{}({})", e.label, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_by_level_and_tolerates_skips() {
        let flat = vec![
            (1, entry("a")),
            (2, entry("b")),
            (4, entry("c")),
            (2, entry("d")),
            (1, entry("e")),
            (3, entry("f")),
        ];
        assert_eq!(shape(&nest(flat)), "a(b(c) d) e(f)");
    }
}
