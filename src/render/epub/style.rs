//! The style sheet: font settings in, `book.css` out. Relative units only and no colours, so a
//! reading system's and a reader's own fonts, sizes and colours always win.

use crate::layout::FontBook;

const BASE: &str = include_str!("book.css");

/// `book.css`, with `@font-face` rules for the font book's EPUB faces when they are embedded.
pub fn css(fonts: Option<&FontBook>) -> String {
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
    css
}
