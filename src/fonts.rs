//! The bundled fonts (files under `fonts/`, compiled into the binary so a build needs no font
//! files at run time): Atkinson Hyperlegible Next and Mono, designed for low-vision readers, and
//! Noto Sans and Noto Sans Mono (box drawing, arrows, symbols) as wide-coverage fallbacks. All
//! under the SIL Open Font License.

/// One font file and how CSS names it.
#[derive(Debug)]
pub struct FontFile {
    pub file_name: &'static str,
    pub family: &'static str,
    /// CSS `font-weight`.
    pub weight: u16,
    pub italic: bool,
    /// Embedded in the EPUB (the fallback is only for the print layout).
    pub in_epub: bool,
    pub bytes: &'static [u8],
}

macro_rules! font {
    ($file:literal, $family:literal, $weight:literal, $italic:literal, $in_epub:literal) => {
        FontFile {
            file_name: $file,
            family: $family,
            weight: $weight,
            italic: $italic,
            in_epub: $in_epub,
            bytes: include_bytes!(concat!("../fonts/", $file)),
        }
    };
}

pub const TEXT_FAMILY: &str = "Atkinson Hyperlegible Next";
pub const MONO_FAMILY: &str = "Atkinson Hyperlegible Mono";

/// Every bundled font, text faces first.
pub static FONTS: &[FontFile] = &[
    font!(
        "AtkinsonHyperlegibleNext-Regular.ttf",
        "Atkinson Hyperlegible Next",
        400,
        false,
        true
    ),
    font!(
        "AtkinsonHyperlegibleNext-Italic.ttf",
        "Atkinson Hyperlegible Next",
        400,
        true,
        true
    ),
    font!(
        "AtkinsonHyperlegibleNext-Bold.ttf",
        "Atkinson Hyperlegible Next",
        700,
        false,
        true
    ),
    font!(
        "AtkinsonHyperlegibleNext-BoldItalic.ttf",
        "Atkinson Hyperlegible Next",
        700,
        true,
        true
    ),
    font!(
        "AtkinsonHyperlegibleMono-Regular.ttf",
        "Atkinson Hyperlegible Mono",
        400,
        false,
        true
    ),
    font!(
        "AtkinsonHyperlegibleMono-Bold.ttf",
        "Atkinson Hyperlegible Mono",
        700,
        false,
        true
    ),
    font!("NotoSans-Regular.ttf", "Noto Sans", 400, false, false),
    // Box drawing (the `tree` output in code), arrows and common symbols.
    font!(
        "NotoSansMono-Regular.ttf",
        "Noto Sans Mono",
        400,
        false,
        false
    ),
];
