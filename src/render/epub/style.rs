//! The style sheet: font settings in, `book.css` out. Relative units only and no colours, so a
//! reading system's and a reader's own fonts, sizes and colours always win.

use crate::layout::FontBook;
use crate::model::walk::Node;
use crate::model::{BlockKind, Book};

const BASE: &str = include_str!("book.css");

/// The rules for admonitions, added only for a book that has one: a frame and a bold label,
/// which read without colour.
const ADMONITIONS: &str = include_str!("admonitions.css");

/// Whether a book has an admonition anywhere, so its style sheet needs their rules.
pub fn has_admonitions(book: &Book) -> bool {
    let mut found = false;
    for chapter in &book.chapters {
        chapter.walk(&mut |node| {
            found |= matches!(node, Node::Block(b) if matches!(b.kind, BlockKind::Admonition { .. }));
        });
    }
    found
}

/// `book.css`, with `@font-face` rules for the font book's EPUB faces when they are embedded,
/// and the admonitions' rules when the book has any.
pub fn css(fonts: Option<&FontBook>, admonitions: bool) -> String {
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
    if admonitions {
        css.push('\n');
        css.push_str(ADMONITIONS);
    }
    css
}
