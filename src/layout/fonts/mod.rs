//! The font book: font files in (the bundled faces first), shaped glyph runs out. This module
//! holds the types the rest of the crate shares (faces, their data and names, styles, glyphs and
//! shaped runs) and the [`FontBook`] that owns the faces; [`select`] decides which face draws
//! what (bundled, manuscript and system faces, the fallback chain, language forms, with one scan
//! of the system's fonts per build), and [`shape`] shapes text with rustybuzz (kerning and
//! ligatures from the fonts' GPOS and GSUB) under one cache policy for shape plans and words.
//! The PDF writer, the EPUB's style sheet and its manifest read faces and their data from here.

mod check;
mod select;
mod shape;

use std::ops::Range;
use std::sync::Arc;

pub use select::{FigureFamilies, LangForm, SystemFonts, for_book};

/// Index of a face in [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub usize);

/// Which face text asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub mono: bool,
}

/// One shaped glyph; advances and offsets in em units, `text` a byte range of the run's text.
/// A long book holds a million of them until its pages are drawn, so the range takes 32-bit
/// offsets (a run is one line's text): 24 bytes a glyph, not 32.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    pub text: Range<u32>,
}

impl Glyph {
    /// The byte range of its characters in the run's text.
    pub fn range(&self) -> Range<usize> {
        self.text.start as usize..self.text.end as usize
    }

    /// The same glyph with its text range `start..end` of the run's text.
    pub fn with_range(&self, text: Range<usize>) -> Glyph {
        Glyph {
            text: offsets(text),
            ..self.clone()
        }
    }

    /// The same glyph in a run whose text has `bytes` more before it.
    pub fn shifted(&self, bytes: usize) -> Glyph {
        let range = self.range();
        self.with_range(range.start + bytes..range.end + bytes)
    }
}

/// A byte range of a run's text as a glyph holds it.
fn offsets(text: Range<usize>) -> Range<u32> {
    let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
    offset(text.start)..offset(text.end)
}

/// Text shaped in one face, in one direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    pub face: FaceId,
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// The bidirectional embedding level of the run's first character in the text it was
    /// shaped from, read on its own (see [`crate::layout::bidi::char_levels`]): a line shaped
    /// as one text is placed in the order these give, with no second analysis. A paragraph's
    /// words take their levels from the paragraph instead.
    pub level: unicode_bidi::Level,
}

impl Shaped {
    /// Width in points at `size`.
    pub fn width(&self, size: f32) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// The bytes of a font file: compiled into the binary, or found at run time and shared: a
/// manuscript's font read into memory, a system font mapped (the CJK collections are 20 to 30
/// MB each, of which a book prints a few hundred glyphs: only the pages read are loaded). The
/// PDF writer and the SVG reader take the same shared bytes, never a copy.
#[derive(Clone)]
pub enum FontData {
    Static(&'static [u8]),
    Shared(Arc<dyn AsRef<[u8]> + Send + Sync>),
}

impl FontData {
    /// Bytes read into memory.
    pub fn read(bytes: Vec<u8>) -> FontData {
        FontData::Shared(Arc::new(bytes))
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            FontData::Static(bytes) => bytes,
            FontData::Shared(bytes) => (**bytes).as_ref(),
        }
    }
}

impl std::fmt::Debug for FontData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontData({} bytes)", self.bytes().len())
    }
}

/// What a face is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceRole {
    /// Running text, headings and the like.
    Text,
    /// Code.
    Mono,
    /// Characters the style's face lacks (print only).
    Fallback,
    /// A family SVG figures ask for that no other face is (print only; an e-book's figures
    /// take the reading system's fonts).
    Figure,
}

/// Where a fallback face comes from; the chain tries the manuscript's first, then the bundled
/// ones, then the system's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceSource {
    Manuscript,
    Bundled,
    System,
}

/// A face's name and style, as a style sheet names it.
#[derive(Debug, Clone)]
pub struct FaceInfo {
    pub file_name: String,
    pub source: FaceSource,
    pub family: String,
    /// CSS `font-weight`.
    pub weight: u16,
    pub italic: bool,
    pub role: FaceRole,
}

impl FaceInfo {
    /// Embedded in the EPUB: the text and code faces (the fallback and the figures' faces serve
    /// print).
    pub fn in_epub(&self) -> bool {
        matches!(self.role, FaceRole::Text | FaceRole::Mono)
    }
}

self_cell::self_cell!(
    /// Font data and the rustybuzz face parsed from it.
    struct ParsedFace {
        owner: FontData,
        #[covariant]
        dependent: RbFace,
    }
);

type RbFace<'a> = rustybuzz::Face<'a>;

/// A loaded face: its data, its name and style, and its metrics.
pub struct Face {
    parsed: ParsedFace,
    /// The face's index in its file (a font collection holds several).
    pub index: u32,
    pub info: FaceInfo,
    pub upem: f32,
    /// Ascender and descender in em units (descender negative).
    pub ascender: f32,
    pub descender: f32,
    /// Which ASCII characters the face has, a bit each, read once from its character map.
    ascii: u128,
}

impl Face {
    /// Parses a font file; `None` if it is not a font rustybuzz reads.
    pub fn new(data: FontData, index: u32, info: FaceInfo) -> Option<Face> {
        let parsed = ParsedFace::try_new(data, |data| {
            rustybuzz::Face::from_slice(data.bytes(), index).ok_or(())
        })
        .ok()?;
        let rb = parsed.borrow_dependent();
        let upem = rb.units_per_em() as f32;
        let ascii = (0u8..128)
            .filter(|&b| rb.glyph_index(char::from(b)).is_some())
            .fold(0u128, |bits, b| bits | 1 << b);
        Some(Face {
            ascii,
            ascender: f32::from(rb.ascender()) / upem,
            descender: f32::from(rb.descender()) / upem,
            upem,
            index,
            info,
            parsed,
        })
    }

    pub fn data(&self) -> &FontData {
        self.parsed.borrow_owner()
    }

    fn rb(&self) -> &rustybuzz::Face<'_> {
        self.parsed.borrow_dependent()
    }

    /// The face's glyph for `c`, if it has one.
    pub fn glyph_of(&self, c: char) -> Option<u16> {
        self.rb().glyph_index(c).map(|g| g.0)
    }

    pub fn covers(&self, c: char) -> bool {
        match u8::try_from(c) {
            Ok(b) if b < 128 => self.ascii & (1 << b) != 0,
            _ => self.rb().glyph_index(c).is_some(),
        }
    }

    /// The family name the font file gives (its name table), or "".
    pub fn family_name(&self) -> String {
        self.rb()
            .names()
            .into_iter()
            .filter(|n| n.name_id == rustybuzz::ttf_parser::name_id::FAMILY && n.is_unicode())
            .find_map(|n| n.to_string())
            .unwrap_or_default()
    }
}

/// The faces, parsed, with the caches shaping fills.
pub struct FontBook {
    faces: Vec<Face>,
    /// Faces tried, in order, for a character the style's face lacks.
    fallback: Vec<FaceId>,
    /// Faces for the letters of a script in the forms a language reads them in (Han characters
    /// in Japanese, Urdu's Nastaliq), tried before the fallback chain for text in that language.
    lang_forms: Vec<(LangForm, FaceId)>,
    /// What SVG figures' `font-family` names and generic families stand for
    /// ([`FontBook::cover_figures`]).
    figures: select::FigureFamilies,
    /// Shape plans and shaped words, kept while the book is laid out.
    caches: shape::Caches,
    /// [`FontBook::fingerprint`], taken once, when first asked for (only rebuilds ask).
    fingerprint: std::sync::OnceLock<u64>,
}

/// A character no face in the book has a glyph for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uncovered(pub char);

impl FontBook {
    /// A hash of the faces, in order: each one's name, style, role and bytes (a bundled face's
    /// bytes are part of the program and cannot change, so its name stands for them). Two font
    /// books with one fingerprint set text alike.
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| self.hash_faces())
    }

    fn hash_faces(&self) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut hasher = foldhash::fast::FixedState::with_seed(0).build_hasher();
        for face in &self.faces {
            format!("{:?}", face.info).hash(&mut hasher);
            face.index.hash(&mut hasher);
            match face.data() {
                FontData::Static(bytes) => bytes.len().hash(&mut hasher),
                FontData::Shared(bytes) => (**bytes).as_ref().hash(&mut hasher),
            }
        }
        format!("{:?} {:?}", self.fallback, self.lang_forms).hash(&mut hasher);
        hasher.finish()
    }

    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id.0]
    }

    /// Every face with its id, in the book's order.
    pub fn faces(&self) -> impl Iterator<Item = (FaceId, &Face)> {
        self.faces.iter().enumerate().map(|(i, f)| (FaceId(i), f))
    }

    /// How to read SVG figures so their text is drawn as a browser would draw it: each family of
    /// a `font-family` list in turn, a name found among the book's faces (the manuscript's
    /// fonts among them) or the faces [`FontBook::cover_figures`] took for it, a generic family
    /// as it mapped it, and the book's text face last. A character the face lacks falls back
    /// through the book's faces, like running text.
    pub fn svg_options(&self) -> usvg::Options<'static> {
        let mut db = usvg::fontdb::Database::new();
        for face in &self.faces {
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = match face.data() {
                FontData::Static(bytes) => Arc::new(*bytes),
                FontData::Shared(bytes) => bytes.clone(),
            };
            db.load_font_source(usvg::fontdb::Source::Binary(data));
        }
        let text = self.text_family().to_string();
        let mono = self.mono_family().to_string();
        let figures = &self.figures;
        db.set_serif_family(figures.serif.clone().unwrap_or_else(|| text.clone()));
        db.set_sans_serif_family(figures.sans_serif.clone().unwrap_or_else(|| text.clone()));
        db.set_monospace_family(figures.monospace.clone().unwrap_or(mono));
        db.set_cursive_family(text.clone());
        db.set_fantasy_family(text.clone());
        // The names the faces answer to, by their lower case (CSS compares names so), and the
        // names a figure's metric-compatible stand-ins were taken for.
        let mut names: std::collections::HashMap<String, String> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
            .map(|name| (name.to_lowercase(), name))
            .collect();
        for (asked, taken) in &figures.aliases {
            names.entry(asked.clone()).or_insert_with(|| taken.clone());
        }
        let last = text.clone();
        let select_font: usvg::FontSelectionFn<'static> = Box::new(move |font, db| {
            use usvg::fontdb::Family;
            let mut families: Vec<Family<'_>> = font
                .families()
                .iter()
                .filter_map(|family| match family {
                    usvg::FontFamily::Named(name) => {
                        names.get(&name.to_lowercase()).map(|n| Family::Name(n))
                    }
                    usvg::FontFamily::Serif => Some(Family::Serif),
                    usvg::FontFamily::SansSerif => Some(Family::SansSerif),
                    usvg::FontFamily::Monospace => Some(Family::Monospace),
                    usvg::FontFamily::Cursive | usvg::FontFamily::Fantasy => None,
                })
                .collect();
            families.push(Family::Name(&last));
            let style = match font.style() {
                usvg::FontStyle::Normal => usvg::fontdb::Style::Normal,
                usvg::FontStyle::Italic => usvg::fontdb::Style::Italic,
                usvg::FontStyle::Oblique => usvg::fontdb::Style::Oblique,
            };
            let stretch = match font.stretch() {
                usvg::FontStretch::UltraCondensed => usvg::fontdb::Stretch::UltraCondensed,
                usvg::FontStretch::ExtraCondensed => usvg::fontdb::Stretch::ExtraCondensed,
                usvg::FontStretch::Condensed => usvg::fontdb::Stretch::Condensed,
                usvg::FontStretch::SemiCondensed => usvg::fontdb::Stretch::SemiCondensed,
                usvg::FontStretch::Normal => usvg::fontdb::Stretch::Normal,
                usvg::FontStretch::SemiExpanded => usvg::fontdb::Stretch::SemiExpanded,
                usvg::FontStretch::Expanded => usvg::fontdb::Stretch::Expanded,
                usvg::FontStretch::ExtraExpanded => usvg::fontdb::Stretch::ExtraExpanded,
                usvg::FontStretch::UltraExpanded => usvg::fontdb::Stretch::UltraExpanded,
            };
            db.query(&usvg::fontdb::Query {
                families: &families,
                weight: usvg::fontdb::Weight(font.weight()),
                stretch,
                style,
            })
        });
        usvg::Options {
            font_family: text,
            fontdb: Arc::new(db),
            font_resolver: usvg::FontResolver {
                select_font,
                select_fallback: usvg::FontResolver::default_fallback_selector(),
            },
            ..usvg::Options::default()
        }
    }

    /// The family of running text.
    pub fn text_family(&self) -> &str {
        self.family_of(FaceRole::Text)
    }

    /// The family of code.
    pub fn mono_family(&self) -> &str {
        self.family_of(FaceRole::Mono)
    }

    fn family_of(&self, role: FaceRole) -> &str {
        self.faces
            .iter()
            .find(|f| f.info.role == role)
            .map_or("", |f| f.info.family.as_str())
    }
}

/// The zero-width joiner and non-joiner: they change how letters join and draw nothing, so
/// they need no glyph of their own.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// The text as it is printed: tabs become spaces, and characters that draw nothing (controls,
/// byte-order marks, zero-width spaces, direction marks, soft hyphens, variation selectors) are
/// left out, since they have no glyph to draw or to map back to text. Zero-width joiners and
/// non-joiners stay: they decide how the letters around them are shaped.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}' => None,
            c => Some(c),
        })
        .collect()
}
