//! Limits pass: the parsed book in; an error where it has more headings, footnotes or table
//! cells than inkfold builds. With the size limits of the files (in `load`) and of the page
//! (in `config`), these keep every later stage's time and memory bounded; each stage is
//! linear in them.

use crate::diag::Diagnostics;
use crate::model::walk::Node;
use crate::model::{BlockKind, Book};

/// The most headings a book may have: a 1 000-page technical book has about 2 000, and the
/// print contents lists every one (10 000 headings build in about 8 s).
pub const MAX_HEADINGS: usize = 10_000;

/// The most footnotes a book may have: the most annotated scholarly editions have a few
/// thousand.
pub const MAX_NOTES: usize = 10_000;

/// The most cells one table may have: 5 000 rows of 10 columns, some 150 printed pages, build
/// in about 2 s; a larger table is data better published as a file of its own.
pub const MAX_TABLE_CELLS: usize = 50_000;

/// Reports the first heading and footnote past their limits, and every table past its limit.
pub fn check(book: &Book, diags: &mut Diagnostics) {
    let mut headings = 0;
    let mut notes = 0;
    for chapter in &book.chapters {
        chapter.walk(&mut |node| {
            let Node::Block(block) = node else { return };
            match &block.kind {
                BlockKind::Heading(_) => {
                    headings += 1;
                    if headings == MAX_HEADINGS + 1 {
                        diags
                            .error(
                                block.span,
                                format!("the book has more than {MAX_HEADINGS} headings"),
                            )
                            .hint(
                                "make several books of it, or turn minor headings into bold paragraphs",
                            );
                    }
                }
                BlockKind::Table(table) => {
                    let cells = table.head.len() + table.rows.iter().map(Vec::len).sum::<usize>();
                    if cells > MAX_TABLE_CELLS {
                        diags
                            .error(
                                block.span,
                                format!("this table has {cells} cells, more than the {MAX_TABLE_CELLS} a table may have"),
                            )
                            .hint("split it into several tables, or publish the data as a file of its own and link to it");
                    }
                }
                _ => {}
            }
        });
        for note in &chapter.notes {
            notes += 1;
            if notes == MAX_NOTES + 1 {
                diags
                    .error(
                        note.span,
                        format!("the book has more than {MAX_NOTES} footnotes"),
                    )
                    .hint("make several books of it, or move notes into the text");
            }
        }
    }
}
