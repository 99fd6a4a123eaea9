//! Heading structure: the book in, with every heading at a level its readers can navigate
//! (`Heading::level`) and a warning where the source skips levels, out. A heading that skips
//! (a level-4 heading under a level-1 one) is marked up and tagged one level below the heading
//! before it, so the EPUB and the PDF keep a valid heading order, while it keeps the look the
//! author chose (`Heading::look`). Levels run on across chapter files: a file opening with `##`
//! continues the chapter before it.

use crate::diag::Diagnostics;
use crate::model::walk::{self, NodeMut};
use crate::model::{Block, BlockKind, Book, HeadingLevel};

/// Runs the pass over the whole book, in reading order: the headings of the chapters' text, in
/// quotes and lists too (a footnote's headings are not part of the structure).
pub fn structure(book: &mut Book, diags: &mut Diagnostics) {
    // The structural level of the heading before; 0 before the first.
    let mut previous = 0u8;
    for chapter in &mut book.chapters {
        walk::tree_mut(&mut chapter.blocks, &mut |node| {
            let NodeMut::Block(Block {
                kind: BlockKind::Heading(h),
                span,
            }) = node
            else {
                return;
            };
            let written = h.look.number();
            let allowed = previous + 1;
            if written > allowed {
                let message = if previous == 0 {
                    format!("the book's first heading is level {written}, not level 1")
                } else {
                    format!("heading level skips from {previous} to {written}")
                };
                diags
                    .warning(*span, format!("{message}; it is marked up as level {allowed}, keeping its look"))
                    .hint("screen-reader users navigate by heading level; use one more `#` than the heading above");
            }
            h.level = level(written.min(allowed));
            previous = h.level.number();
        });
    }
}

fn level(n: u8) -> HeadingLevel {
    match n {
        0 | 1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

    #[test]
    fn skipped_levels_are_marked_up_one_below_the_heading_before() {
        let mut map = SourceMap::default();
        let text = "# A\n\n#### B\n\n##### C\n\n## D\n";
        let file = map.add("a.md".into(), text.into());
        let mut diags = Diagnostics::default();
        let parsed = crate::markdown::parse_chapter(file, text, &Default::default(), &mut diags);
        let next = "### E\n";
        let file2 = map.add("b.md".into(), next.into());
        let parsed2 = crate::markdown::parse_chapter(file2, next, &Default::default(), &mut diags);
        let chapter = |file, blocks| crate::model::Chapter {
            id: String::new(),
            file,
            path: String::new(),
            role: crate::model::ChapterRole::Body,
            title: String::new(),
            blocks,
            notes: Vec::new(),
            lang: None,
            dir: None,
        };
        let mut book = Book {
            meta: crate::config::parse(
                map.add("book.toml".into(), String::new()),
                "[book]\ntitle = \"T\"\nrights = \"CC0\"\nlanguage = \"en\"\nidentifier = \"urn:x\"\ndate = \"2026-01-01\"\nchapters = [\"a.md\"]\n",
                None,
                &mut diags,
            )
            .expect("settings")
            .meta,
            chapters: vec![chapter(file, parsed.blocks), chapter(file2, parsed2.blocks)],
            assets: Vec::new(),
            cover: None,
        };
        structure(&mut book, &mut diags);
        let levels: Vec<(u8, u8)> = book
            .chapters
            .iter()
            .flat_map(|c| &c.blocks)
            .filter_map(|b| match &b.kind {
                BlockKind::Heading(h) => Some((h.level.number(), h.look.number())),
                _ => None,
            })
            .collect();
        assert_eq!(levels, [(1, 1), (2, 4), (3, 5), (2, 2), (3, 3)]);
        let problems = diags.resolve(&map);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0]
                .message
                .starts_with("heading level skips from 1 to 4")
        );
        assert!(
            problems[1]
                .message
                .starts_with("heading level skips from 2 to 5")
        );
    }
}
