//! The style sheet: font settings in, `book.css` out. Relative units only, and no colours but
//! those of highlighted code, in classes of their own, so a reading system's and a reader's own
//! fonts, sizes and colours always win.

use crate::layout::FontBook;
use crate::model::walk::Node;
use crate::model::{BlockKind, Book};

const BASE: &str = include_str!("book.css");

/// The rules for admonitions, added only for a book that has one: a frame and a bold label,
/// which read without colour.
const ADMONITIONS: &str = include_str!("admonitions.css");

/// The rule sets a book's style sheet needs beyond the base: those of the blocks it has.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    pub admonitions: bool,
    /// Highlighted code: the tokens' colours.
    pub tokens: bool,
}

impl Needs {
    pub fn of(book: &Book) -> Needs {
        let mut needs = Needs::default();
        for chapter in &book.chapters {
            chapter.walk(&mut |node| {
                if let Node::Block(block) = node {
                    match &block.kind {
                        BlockKind::Admonition { .. } => needs.admonitions = true,
                        BlockKind::Code { highlight, .. } => needs.tokens |= !highlight.is_empty(),
                        _ => {}
                    }
                }
            });
        }
        needs
    }
}

/// `book.css`, with `@font-face` rules for the font book's EPUB faces when they are embedded,
/// and the admonitions' and code tokens' rules when the book has any.
pub fn css(fonts: Option<&FontBook>, needs: Needs) -> String {
    let mut css = String::new();
    if let Some(fonts) = fonts {
        for (_, face) in fonts.faces().filter(|(_, f)| f.info.in_epub()) {
            let font = &face.info;
            css.push_str(&format!(
                "@font-face {{\n  font-family: \"{}\";\n  font-weight: {};\n  font-style: {};\n  src: url(\"../fonts/{}\");\n}}\n\n",
                font.family,
                font.weight,
                if font.italic { "italic" } else { "normal" },
                font.file_name
            ));
        }
        css.push_str(&format!(
            "body {{\n  font-family: \"{}\", sans-serif;\n}}\n\ncode, pre {{\n  font-family: \"{}\", monospace;\n}}\n\n",
            fonts.text_family(),
            fonts.mono_family()
        ));
    } else {
        css.push_str("code, pre {\n  font-family: monospace;\n}\n\n");
    }
    css.push_str(BASE);
    if needs.admonitions {
        css.push('\n');
        css.push_str(ADMONITIONS);
    }
    if needs.tokens {
        css.push('\n');
        css.push_str(&crate::layout::code_style::css());
    }
    css
}
