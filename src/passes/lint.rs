//! Structure lint: the book in, warnings out, for headings that skip a level, are empty, or
//! are missing where a chapter needs a title.

use crate::diag::{Diagnostics, Span};
use crate::model::{BlockKind, Book, HeadingLevel, plain_text};

/// Checks the heading structure of each chapter.
pub fn check(book: &Book, diags: &mut Diagnostics) {
    for chapter in &book.chapters {
        let mut previous = 0;
        let mut has_title = false;
        for block in &chapter.blocks {
            let BlockKind::Heading(h) = &block.kind else {
                continue;
            };
            let level = h.level.number();
            if h.level == HeadingLevel::H1 {
                has_title = true;
            }
            if level > previous + 1 {
                let message = if previous == 0 {
                    format!("the chapter's first heading is level {level}, not level 1")
                } else {
                    format!("heading level skips from {previous} to {level}")
                };
                diags
                    .warning(block.span, message)
                    .hint("screen-reader users navigate by heading level; use one more `#` than the heading above");
            }
            if plain_text(&h.content).trim().is_empty() {
                diags
                    .warning(block.span, "this heading is empty")
                    .hint("give the heading text, or remove it");
            }
            previous = level;
        }
        if !has_title {
            diags
                .warning(
                    Span::new(chapter.file, 0..0),
                    "the chapter has no level-1 heading; its file name is used as its title",
                )
                .hint("start the chapter with its title: # Chapter 1: …");
        }
    }
}
