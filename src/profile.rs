//! Print profiles: the print settings as a value (page size, margins, type size, spacing,
//! justification, hyphenation) that the layout takes, so several editions can be laid out from
//! one parsed book. `[pdf]` in `book.toml` gives the default profile. A leaf module.

/// A print profile; lengths in PostScript points.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub page_width: f32,
    pub page_height: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    /// The binding side: left on odd (recto) pages, right on even ones.
    pub margin_inner: f32,
    pub margin_outer: f32,
    pub font_size: f32,
    /// Line height as a multiple of the font size.
    pub line_spacing: f32,
    pub justify: bool,
    pub hyphenate: bool,
}

impl Default for Profile {
    /// A5, 12 pt type on 1.4 line spacing, justified and hyphenated.
    fn default() -> Self {
        let (page_width, page_height) = PAGE_SIZES[0].1;
        Profile {
            page_width,
            page_height,
            margin_top: mm(15.0),
            margin_bottom: mm(18.0),
            margin_inner: mm(16.0),
            margin_outer: mm(14.0),
            font_size: 12.0,
            line_spacing: 1.4,
            justify: true,
            hyphenate: true,
        }
    }
}

/// Millimetres in points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// Named page sizes, width × height in points.
pub const PAGE_SIZES: &[(&str, (f32, f32))] = &[
    ("A5", (419.53, 595.28)),
    ("A4", (595.28, 841.89)),
    ("B5", (498.9, 708.66)),
    ("Letter", (612.0, 792.0)),
    ("Legal", (612.0, 1008.0)),
];

impl Profile {
    /// Line height for type of `size` points.
    pub fn line_height(&self, size: f32) -> f32 {
        size * self.line_spacing
    }

    /// The left edge of the text block on page `page` (0-based): the inner margin on recto
    /// (odd-numbered) pages, the outer one on verso pages.
    pub fn text_left(&self, page: usize) -> f32 {
        if page.is_multiple_of(2) {
            self.margin_inner
        } else {
            self.margin_outer
        }
    }

    pub fn text_width(&self) -> f32 {
        self.page_width - self.margin_inner - self.margin_outer
    }

    /// Distance of the text block's foot from the page top.
    pub fn text_bottom(&self) -> f32 {
        self.page_height - self.margin_bottom
    }

    pub fn text_height(&self) -> f32 {
        self.text_bottom() - self.margin_top
    }
}
