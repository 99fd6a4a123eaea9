//! Characters that show nothing: text in, whether any of it would show out. A leaf module: the
//! settings and the lint use it.

/// Whether `c` prints no mark: white space, a control character, or a default-ignorable code
/// point (Unicode's `Default_Ignorable_Code_Point`: soft hyphen, zero-width space and joiners,
/// direction marks and embeddings, word joiner, variation selectors, the byte-order mark, tags…).
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{ad}'
                | '\u{34f}'
                | '\u{61c}'
                | '\u{115f}'..='\u{1160}'
                | '\u{17b4}'..='\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{206f}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e0fff}'
        )
}

/// Whether `text` would show nothing at all (empty, or only [`is_invisible`] characters).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_invisible)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_shows_nothing() {
        for blank in [
            "",
            "  ",
            "\u{200b}",
            "\u{feff}\u{200d} \u{2060}",
            "\u{ad}\u{fe0f}",
        ] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for shown in ["a", "\u{200b}a", "·", "\u{2014}", "🙂"] {
            assert!(!is_blank(shown), "{shown:?}");
        }
    }
}
