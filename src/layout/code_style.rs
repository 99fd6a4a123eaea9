//! How highlighted code looks, for both outputs: a token's kind in, its colour (on a light page
//! or paper, and on a dark page), weight and slant out.
//!
//! Every colour keeps WCAG's 4.5:1 contrast for text against its page (a test computes each),
//! and the two kinds a reader most needs apart keep apart without colour, for greyscale print
//! and readers who do not see the hues: keywords are bold, comments slanted.

use crate::model::TokenKind;

/// A colour as red, green and blue, 0 to 255 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// CSS's `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// A token's colour on a light page and on paper. Hues after Eric Bailey's a11y-light theme
/// (the accessible-pygments set), checked here rather than trusted.
pub fn light(kind: TokenKind) -> Rgb {
    match kind {
        TokenKind::Keyword => Rgb(0x79, 0x28, 0xa1),
        TokenKind::Comment => Rgb(0x69, 0x69, 0x69),
        TokenKind::String => Rgb(0x00, 0x80, 0x00),
        TokenKind::Literal => Rgb(0xaa, 0x5d, 0x00),
        TokenKind::Function => Rgb(0x00, 0x76, 0x9e),
        TokenKind::Type => Rgb(0xd9, 0x1e, 0x18),
        TokenKind::Attribute => Rgb(0x8a, 0x61, 0x00),
    }
}

/// A token's colour on a dark page (a reading system's night theme that says so with
/// `prefers-color-scheme: dark`). After a11y-dark.
pub fn dark(kind: TokenKind) -> Rgb {
    match kind {
        TokenKind::Keyword => Rgb(0xdc, 0xc6, 0xe0),
        TokenKind::Comment => Rgb(0xd4, 0xd0, 0xab),
        TokenKind::String => Rgb(0xab, 0xe3, 0x38),
        TokenKind::Literal => Rgb(0xf5, 0xab, 0x35),
        TokenKind::Function => Rgb(0x00, 0xe0, 0xe0),
        TokenKind::Type => Rgb(0xff, 0xa0, 0x7a),
        TokenKind::Attribute => Rgb(0xff, 0xd7, 0x00),
    }
}

/// The background and text colour of code on a dark page. The dark scheme sets them on the code
/// block itself, so its tokens keep their contrast even where a reading system says it is dark
/// (`prefers-color-scheme`) but leaves the page white (a dark desktop around a day theme). After
/// a11y-dark.
pub const DARK_BACKGROUND: Rgb = Rgb(0x2b, 0x2b, 0x2b);
pub const DARK_TEXT: Rgb = Rgb(0xf8, 0xf8, 0xf2);

/// Whether the kind is set bold.
pub fn bold(kind: TokenKind) -> bool {
    kind == TokenKind::Keyword
}

/// Whether the kind is set slanted (italic in the e-book; in print, the upright monospaced
/// face slanted, as it has no italic).
pub fn slanted(kind: TokenKind) -> bool {
    kind == TokenKind::Comment
}

/// How far a slanted glyph leans: the horizontal shift per unit of height, about 12°, the
/// slant of most obliques.
pub const SLANT: f32 = 0.21;

/// The style sheet's rules for the tokens: a class per kind (`tok-kw`…) with its colour, weight
/// and slant, and under `prefers-color-scheme: dark` the code block's own dark background and
/// the tokens' dark colours.
pub fn css() -> String {
    let mut css = String::new();
    for kind in TokenKind::ALL {
        css.push_str(&format!(
            ".tok-{} {{ color: {};",
            kind.name(),
            light(kind).hex()
        ));
        if bold(kind) {
            css.push_str(" font-weight: bold;");
        }
        if slanted(kind) {
            css.push_str(" font-style: italic;");
        }
        css.push_str(" }\n");
    }
    css.push_str("\n@media (prefers-color-scheme: dark) {\n");
    css.push_str(&format!(
        // The padding keeps the first and last characters off the dark box's edges.
        "  pre {{ background-color: {}; color: {}; padding: 0.4em; }}\n",
        DARK_BACKGROUND.hex(),
        DARK_TEXT.hex()
    ));
    for kind in TokenKind::ALL {
        css.push_str(&format!(
            "  .tok-{} {{ color: {}; }}\n",
            kind.name(),
            dark(kind).hex()
        ));
    }
    css.push_str("}\n");
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2's relative luminance.
    fn luminance(Rgb(r, g, b): Rgb) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG 2's contrast ratio of two colours.
    fn contrast(a: Rgb, b: Rgb) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn the_contrast_is_computed_as_wcag_does() {
        let white = Rgb(255, 255, 255);
        assert!((contrast(Rgb(0, 0, 0), white) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // WebAIM's checker gives #777777 on white 4.48:1, just short.
        assert!((contrast(Rgb(0x77, 0x77, 0x77), white) - 4.48).abs() < 0.01);
    }

    #[test]
    fn every_token_colour_keeps_4_5_to_1_on_its_page() {
        // Light: white paper, and the off-white pages of reading systems' light themes.
        for page in [Rgb(255, 255, 255), Rgb(0xf8, 0xf8, 0xf8)] {
            for kind in TokenKind::ALL {
                let ratio = contrast(light(kind), page);
                assert!(ratio >= 4.5, "{kind:?} on {}: {ratio:.2}", page.hex());
            }
        }
        // Dark: the code block's own background, black, and the greys of night themes.
        for page in [DARK_BACKGROUND, Rgb(0, 0, 0), Rgb(0x44, 0x44, 0x44)] {
            for kind in TokenKind::ALL {
                let ratio = contrast(dark(kind), page);
                assert!(ratio >= 4.5, "{kind:?} on {}: {ratio:.2}", page.hex());
            }
        }
        assert!(contrast(DARK_TEXT, DARK_BACKGROUND) >= 4.5);
    }

    #[test]
    fn keywords_and_comments_differ_without_colour() {
        let plain = |kind| !bold(kind) && !slanted(kind);
        assert!(bold(TokenKind::Keyword) && !slanted(TokenKind::Keyword));
        assert!(slanted(TokenKind::Comment) && !bold(TokenKind::Comment));
        assert!(plain(TokenKind::String));
    }

    #[test]
    fn every_kind_has_a_rule_in_each_scheme() {
        let css = css();
        for kind in TokenKind::ALL {
            assert_eq!(
                css.matches(&format!(".tok-{} ", kind.name())).count(),
                2,
                "{css}"
            );
        }
        assert!(css.contains(".tok-kw { color: #7928a1; font-weight: bold; }"));
        assert!(css.contains(".tok-cm { color: #696969; font-style: italic; }"));
    }
}
