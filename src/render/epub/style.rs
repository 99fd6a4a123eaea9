//! The style sheet: font settings in, `book.css` out. Relative units only and no colours, so a
//! reading system's and a reader's own fonts, sizes and colours always win.

use crate::fonts::{FONTS, MONO_FAMILY, TEXT_FAMILY};

const BASE: &str = include_str!("book.css");

/// `book.css`, with `@font-face` rules for the embedded fonts when they are embedded.
pub fn css(embed_fonts: bool) -> String {
    let mut css = String::new();
    if embed_fonts {
        for font in FONTS.iter().filter(|f| f.in_epub) {
            css.push_str(&format!(
                "@font-face {{\n  font-family: \"{}\";\n  font-weight: {};\n  font-style: {};\n  src: url(\"../fonts/{}\");\n}}\n\n",
                font.family,
                font.weight,
                if font.italic { "italic" } else { "normal" },
                font.file_name
            ));
        }
        css.push_str(&format!(
            "body {{\n  font-family: \"{TEXT_FAMILY}\", sans-serif;\n}}\n\ncode, pre {{\n  font-family: \"{MONO_FAMILY}\", monospace;\n}}\n\n"
        ));
    } else {
        css.push_str("code, pre {\n  font-family: monospace;\n}\n\n");
    }
    css.push_str(BASE);
    css
}
