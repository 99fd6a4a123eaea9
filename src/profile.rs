//! Print profiles: the print settings as a value (page size, margins, type size, spacing,
//! justification, hyphenation) that the layout takes, so several editions can be laid out from
//! one parsed book, and the [`Edition`]s they make (a profile and what it prints). `[pdf]` in
//! `book.toml` gives the default profile. A leaf module: which editions a run makes, and how,
//! is `crate::edition`'s.

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
    /// Printed on both sides of the paper: the inner (binding) margin alternates sides. Single-
    /// sided pages keep the inner margin on the left.
    pub two_sided: bool,
    /// Heading sizes by level, as multiples of the body size.
    pub heading_scale: [f32; 6],
    /// Space after a paragraph, in lines.
    pub paragraph_gap: f32,
    /// Size of running heads, page numbers, captions and notes, relative to the body.
    pub small_scale: f32,
    /// Size of superscripts and subscripts, relative to the text they stand in.
    pub script_scale: f32,
    /// How emphasis (`*text*`, `<em>`, `<cite>`…) is set.
    pub emphasis: Emphasis,
    /// For a booklet: the paper (width × height, printed landscape) the pages are imposed on,
    /// two to a side in saddle-stitch order. `None` prints the pages as they are.
    pub sheet: Option<(f32, f32)>,
    /// A book has a title page, a colophon and contents, and its chapters open a little way
    /// down a page; a leaflet (the handout) has none of them and starts at the top.
    pub front_matter: bool,
}

/// How emphasis is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    Italic,
    /// Bold, for readers who find italics hard (large print guidance asks for it).
    Bold,
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
            two_sided: true,
            heading_scale: [1.6, 1.3, 1.15, 1.0, 1.0, 1.0],
            paragraph_gap: 0.5,
            small_scale: 0.85,
            // Superscript digits at 0.7 of the text stay legible at 12 pt and clearly raised.
            script_scale: 0.7,
            emphasis: Emphasis::Italic,
            sheet: None,
            front_matter: true,
        }
    }
}

/// A named edition of the book: how it is printed and which chapters it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    /// `book`, `a4`, … or a name of the book's own; the PDF of every edition but `book` is
    /// named `<slug>-<name>.pdf`.
    pub name: String,
    pub profile: Profile,
    pub content: Content,
    /// In print (the profile sets its pages) or in braille.
    pub medium: Medium,
}

/// What an edition is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// A PDF, laid out by the profile.
    Print,
    /// BRF, PEF and eBraille files, formatted by these settings (the profile is not used).
    Braille(Braille),
}

/// A braille edition's settings: `[braille]` in book.toml, changed by a profile's own
/// `[profiles.NAME.braille]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Braille {
    /// Cells per line: 40 on the 11 × 11.5 in paper braille is embossed on in North America.
    pub cells: usize,
    /// Lines per page: 25 on that paper.
    pub lines: usize,
    pub grade: BrailleGrade,
    /// Embossed on both sides of the paper (interpoint).
    pub duplex: bool,
}

impl Default for Braille {
    fn default() -> Self {
        Braille {
            cells: 40,
            lines: 25,
            grade: BrailleGrade::Contracted,
            duplex: false,
        }
    }
}

/// Contracted braille (grade 2, where the language has it) or uncontracted (grade 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrailleGrade {
    Uncontracted,
    Contracted,
}

impl BrailleGrade {
    pub fn number(self) -> u8 {
        match self {
            BrailleGrade::Uncontracted => 1,
            BrailleGrade::Contracted => 2,
        }
    }
}

/// What an edition prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The book: every chapter (`None`), or those named, by path as `book.toml` lists them.
    Chapters(Option<Vec<String>>),
    /// A leaflet of the organisations of the appendix's data: what each offers, its address and
    /// a QR code, under the book's title.
    Handout,
}

impl Edition {
    /// The chapters an edition of the book prints (`None`: every one, or not the book).
    pub fn chapters(&self) -> Option<&[String]> {
        match &self.content {
            Content::Chapters(chapters) => chapters.as_deref(),
            Content::Handout => None,
        }
    }
}

/// The built-in editions, in the order `--profile all` builds them.
pub const BUILT_IN: [&str; 8] = [
    "book",
    "a4",
    "letter",
    "large-print",
    "booklet",
    "handout",
    "braille",
    "braille-handout",
];

/// The built-in editions in braille.
pub const BUILT_IN_BRAILLE: [&str; 2] = ["braille", "braille-handout"];

/// A built-in edition's profile, derived from the book's own (`[pdf]`): `book` is that
/// profile; `a4` and `letter` set it on office paper, printed single-sided; `large-print`
/// follows large-print guidance (see the README): A4, body text of at least 18 pt with
/// nothing smaller, headings larger, at least 1.5 line spacing, wide paragraph spacing, ragged
/// right, no hyphenation, and emphasis in bold rather than italics; `booklet` imposes the book's
/// pages on A4 sheets.
pub fn built_in(name: &str, book: &Profile) -> Profile {
    let office = |(page_width, page_height): (f32, f32), margin: f32| Profile {
        page_width,
        page_height,
        margin_top: margin,
        margin_bottom: margin * 1.1,
        margin_inner: margin,
        margin_outer: margin,
        two_sided: false,
        ..book.clone()
    };
    match name {
        // Office printers cannot print to the edge; 20 mm (¾ in) clears any printer's margin.
        "a4" => office(page_size("A4"), mm(20.0)),
        "letter" => office(page_size("Letter"), 54.0),
        // A leaflet on office paper, ragged right, without hyphens, that starts at the top.
        "handout" => Profile {
            justify: false,
            hyphenate: false,
            front_matter: false,
            ..office(page_size("A4"), mm(15.0))
        },
        // The book's pages two-up on A4: an A5 page is half an A4 sheet, so they keep their size.
        "booklet" => Profile {
            sheet: Some(page_size("A4")),
            ..book.clone()
        },
        "large-print" => Profile {
            font_size: book.font_size.max(LARGE_PRINT_SIZE),
            line_spacing: book.line_spacing.max(1.5),
            justify: false,
            hyphenate: false,
            heading_scale: [1.5, 1.3, 1.2, 1.1, 1.1, 1.1],
            paragraph_gap: 1.0,
            small_scale: 1.0,
            script_scale: 1.0,
            emphasis: Emphasis::Bold,
            ..office(page_size("A4"), mm(20.0))
        },
        _ => book.clone(),
    }
}

/// The body size of large print: the smallest size large-print guidance accepts.
pub const LARGE_PRINT_SIZE: f32 = 18.0;

/// The size of a named page.
pub fn page_size(name: &str) -> (f32, f32) {
    PAGE_SIZES
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(PAGE_SIZES[0].1, |(_, size)| *size)
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

    /// The size of small text (captions, notes, running heads, page numbers).
    pub fn small(&self) -> f32 {
        self.font_size * self.small_scale
    }

    /// The size of a heading of `level` (1 to 6; deeper levels as 6).
    pub fn heading_size(&self, level: u8) -> f32 {
        self.font_size * self.heading_scale[usize::from(level.clamp(1, 6) - 1)]
    }

    /// The same pages for a book bound on its right edge (one that reads from right to left):
    /// its recto pages stand left of the spine, so their inner margin is on their right, and a
    /// verso's on its left. Single-sided pages are unchanged.
    pub fn bound_on_the_right(&self) -> Profile {
        let mut mirrored = self.clone();
        if self.two_sided {
            mirrored.margin_inner = self.margin_outer;
            mirrored.margin_outer = self.margin_inner;
        }
        mirrored
    }

    /// The left edge of the text block on page `page` (0-based): the inner margin on recto
    /// (odd-numbered) pages, the outer one on verso pages; the inner one on every page printed
    /// single-sided.
    pub fn text_left(&self, page: usize) -> f32 {
        if page.is_multiple_of(2) || !self.two_sided {
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
