//! The font book: font files in (the bundled faces first), shaped glyph runs out. It owns the
//! font data, knows each face's family and style, finds a face for every character through a
//! fallback chain, and shapes text with rustybuzz (kerning and ligatures from the fonts' GPOS and
//! GSUB), keeping a shape plan per face, script, language and direction and every word it has
//! shaped, so a book's repeated words are shaped once. The PDF writer, the EPUB's style sheet and
//! its manifest read faces and their data from here.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use rustybuzz::{Direction, Language, Script, ShapePlan, UnicodeBuffer};

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

/// Text shaped in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    pub face: FaceId,
    pub text: String,
    pub glyphs: Vec<Glyph>,
}

impl Shaped {
    /// Width in points at `size`.
    pub fn width(&self, size: f32) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// The bytes of a font file: compiled into the binary, or read at run time and shared.
#[derive(Clone)]
pub enum FontData {
    Static(&'static [u8]),
    Shared(Arc<Vec<u8>>),
}

impl FontData {
    pub fn bytes(&self) -> &[u8] {
        match self {
            FontData::Static(bytes) => bytes,
            FontData::Shared(bytes) => bytes,
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
    /// Embedded in the EPUB: the text and code faces (the fallback serves the print layout).
    pub fn in_epub(&self) -> bool {
        self.role != FaceRole::Fallback
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

/// Longest text (in bytes) the word cache keeps. Words repeat; whole lines of code and long
/// URLs rarely do, so caching them would only hold memory (about 1.5 MB at the peak of an
/// 830-page generated book, measured with every text cached).
const MAX_CACHED_WORD: usize = 48;

/// Whether a text is shaped a word at a time ([`FontBook::shape_by_words`]): a line of
/// monospaced ASCII (code) too long for the cache, with spaces to split it at.
fn by_words(text: &str, style: Style) -> bool {
    text.len() > MAX_CACHED_WORD && style.mono && text.is_ascii() && text.contains(' ')
}

/// Texts shaped, per style's face and language (a book has a few of each, so they are found
/// by a look along a list), then by text: a lookup needs no key of its own.
type TextCache = Vec<(
    (FaceId, Option<crate::lang::Lang>),
    HashMap<String, ShapedText, foldhash::fast::RandomState>,
)>;

/// A text's runs, and the characters no face has.
type ShapedText = (Vec<Shaped>, Vec<char>);

/// A shape plan is made for each of these; rustybuzz makes one per call otherwise.
type PlanKey = (FaceId, Direction, Script, Option<Language>);

/// The faces, parsed, with the caches shaping fills.
pub struct FontBook {
    faces: Vec<Face>,
    /// Faces tried, in order, for a character the style's face lacks.
    fallback: Vec<FaceId>,
    /// Faces for the letters of a script in the forms a language reads them in (Han characters
    /// in Japanese, Urdu's Nastaliq), tried before the fallback chain for text in that language.
    lang_forms: Vec<(LangForm, FaceId)>,
    plans: Mutex<HashMap<PlanKey, Arc<ShapePlan>>>,
    /// Every text shaped in one face by [`FontBook::shape_in`] (hyphens, leaders, spaces).
    words: Mutex<HashMap<(FaceId, String), Shaped>>,
    /// Every text split into runs and shaped, per style's face and language (the language and
    /// the text in one key), with the characters no face has.
    /// Read far more than written (a book repeats its words), so the threads setting
    /// chapters read it at once.
    texts: RwLock<TextCache>,
}

/// The forms a language reads a script's letters in. Han characters are drawn differently in
/// Japanese, Korean, Simplified and Traditional Chinese, and Hong Kong usage; Urdu is written in
/// Nastaliq, the hanging style of Arabic letters, where Arabic takes the upright Naskh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangForm {
    Japanese,
    Korean,
    Simplified,
    Traditional,
    HongKong,
    Nastaliq,
}

impl LangForm {
    /// The forms text in `lang` reads Han characters or Arabic letters in; `None` for a
    /// language with no forms of its own (its letters take the fallback chain's face).
    pub fn of(lang: &crate::lang::Lang) -> Option<LangForm> {
        let tag = lang.as_str().to_ascii_lowercase();
        let mut parts = tag.split('-');
        let language = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        match language {
            "ja" => Some(LangForm::Japanese),
            // Urdu in Arabic letters (not romanised, `ur-Latn`).
            "ur" if rest.iter().all(|p| p.len() != 4 || *p == "arab") => Some(LangForm::Nastaliq),
            "ko" => Some(LangForm::Korean),
            "zh" | "yue" | "cmn" => Some(
                if rest.contains(&"hant") || rest.contains(&"tw") || rest.contains(&"mo") {
                    if rest.contains(&"hk") {
                        LangForm::HongKong
                    } else {
                        LangForm::Traditional
                    }
                } else if rest.contains(&"hk") {
                    LangForm::HongKong
                } else {
                    LangForm::Simplified
                },
            ),
            _ => None,
        }
    }

    /// The Noto family with these forms: Noto Sans CJK (Debian's fonts-noto-cjk) or Noto
    /// Nastaliq Urdu (fonts-noto-core; taken only from the manuscript's `fonts/`).
    pub fn family(self) -> &'static str {
        match self {
            LangForm::Japanese => "Noto Sans CJK JP",
            LangForm::Korean => "Noto Sans CJK KR",
            LangForm::Simplified => "Noto Sans CJK SC",
            LangForm::Traditional => "Noto Sans CJK TC",
            LangForm::HongKong => "Noto Sans CJK HK",
            LangForm::Nastaliq => "Noto Nastaliq Urdu",
        }
    }
}

/// A character no face in the book has a glyph for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uncovered(pub char);

impl FontBook {
    /// The bundled faces; `None` only if a bundled file is damaged.
    pub fn load() -> Option<FontBook> {
        let mut faces = Vec::new();
        for font in crate::fonts::FONTS {
            let role = if !font.in_epub {
                FaceRole::Fallback
            } else if font.family == crate::fonts::MONO_FAMILY {
                FaceRole::Mono
            } else {
                FaceRole::Text
            };
            let info = FaceInfo {
                file_name: font.file_name.to_string(),
                source: FaceSource::Bundled,
                family: font.family.to_string(),
                weight: font.weight,
                italic: font.italic,
                role,
            };
            faces.push(Face::new(FontData::Static(font.bytes), 0, info)?);
        }
        let fallback: Vec<FaceId> = (0..faces.len())
            .filter(|&i| faces[i].info.role == FaceRole::Fallback)
            .map(FaceId)
            .collect();
        (!fallback.is_empty()).then(|| FontBook {
            faces,
            fallback,
            lang_forms: Vec::new(),
            plans: Mutex::default(),
            words: Mutex::default(),
            texts: RwLock::default(),
        })
    }

    /// Adds a font file the manuscript brings (every face of a collection) to the front of the
    /// fallback chain; `None` when it is not a font.
    pub fn add_manuscript_font(&mut self, file_name: &str, bytes: Vec<u8>) -> Option<usize> {
        let data = FontData::Shared(Arc::new(bytes));
        let count = rustybuzz::ttf_parser::fonts_in_collection(data.bytes()).unwrap_or(1);
        let mut added = Vec::new();
        for index in 0..count {
            let info = FaceInfo {
                file_name: file_name.to_string(),
                source: FaceSource::Manuscript,
                family: file_name.to_string(),
                weight: 400,
                italic: false,
                role: FaceRole::Fallback,
            };
            if let Some(face) = Face::new(data.clone(), index, info) {
                added.push(FaceId(self.faces.len()));
                self.faces.push(face);
            }
        }
        if added.is_empty() {
            return None;
        }
        let at = self
            .fallback
            .iter()
            .take_while(|f| self.faces[f.0].info.source == FaceSource::Manuscript)
            .count();
        let count = added.len();
        self.fallback.splice(at..at, added);
        Some(count)
    }

    /// Whether some face of the book draws `c` (or it is never drawn).
    pub fn covers(&self, c: char) -> bool {
        printable(&c.to_string()).is_empty()
            || is_joiner(c)
            || c.is_whitespace()
            || self
                .face_for_char(self.face_for(Style::default()), c)
                .is_some()
            || self
                .face_for_char(
                    self.face_for(Style {
                        mono: true,
                        ..Style::default()
                    }),
                    c,
                )
                .is_some()
    }

    /// Adds, at the end of the fallback chain, system fonts (fontconfig's folders) for the
    /// characters in `chars` that no face has yet: for each, the first face that has it, Noto
    /// Sans families first, regular before other weights, then by family and file, so the
    /// same machine always chooses the same fonts. Nothing is read when every character is
    /// covered.
    pub fn cover_from_system(&mut self, chars: &std::collections::BTreeSet<char>) {
        let missing: Vec<char> = chars.iter().copied().filter(|&c| !self.covers(c)).collect();
        if missing.is_empty() {
            return;
        }
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        let mut candidates: Vec<&usvg::fontdb::FaceInfo> = db.faces().collect();
        let path = |f: &usvg::fontdb::FaceInfo| match &f.source {
            usvg::fontdb::Source::File(p) | usvg::fontdb::Source::SharedFile(p, _) => {
                p.display().to_string()
            }
            usvg::fontdb::Source::Binary(_) => String::new(),
        };
        candidates.sort_by_cached_key(|f| {
            let family = f
                .families
                .first()
                .map(|(name, _)| name.clone())
                .unwrap_or_default();
            (
                !family.starts_with("Noto Sans"),
                f.weight != usvg::fontdb::Weight::NORMAL,
                f.style != usvg::fontdb::Style::Normal,
                family,
                path(f),
                f.index,
            )
        });
        for c in missing {
            if self.covers(c) {
                continue;
            }
            let found = candidates.iter().find(|f| {
                db.with_face_data(f.id, |data, index| {
                    rustybuzz::ttf_parser::Face::parse(data, index)
                        .ok()
                        .and_then(|face| face.glyph_index(c))
                        .is_some()
                })
                .unwrap_or(false)
            });
            let Some(found) = found else {
                continue;
            };
            let Some(bytes) = db.with_face_data(found.id, |data, _| data.to_vec()) else {
                continue;
            };
            let info = FaceInfo {
                file_name: path(found)
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                source: FaceSource::System,
                family: found
                    .families
                    .first()
                    .map(|(name, _)| name.clone())
                    .unwrap_or_default(),
                weight: found.weight.0,
                italic: found.style != usvg::fontdb::Style::Normal,
                role: FaceRole::Fallback,
            };
            if let Some(face) = Face::new(FontData::Shared(Arc::new(bytes)), found.index, info) {
                self.fallback.push(FaceId(self.faces.len()));
                self.faces.push(face);
            }
        }
    }

    /// Finds, for each of `forms`, a face with those forms: for Han characters the system's
    /// regular Noto Sans CJK face, when it has one (a collection holding several is read once);
    /// for Nastaliq a font of the manuscript's.
    pub fn cover_lang_forms(&mut self, forms: &[LangForm]) {
        let mut wanted: Vec<LangForm> = forms
            .iter()
            .copied()
            .filter(|form| !self.lang_forms.iter().any(|(f, _)| f == form))
            .collect();
        // Nastaliq only from the manuscript's own fonts: at a book's line spacing its tall
        // letters reach into the next line, and its stepped baselines split every word for text
        // extractors, so the system's is not taken unasked.
        if wanted.contains(&LangForm::Nastaliq) {
            wanted.retain(|&f| f != LangForm::Nastaliq);
            if let Some(at) = self.faces.iter().position(|f| {
                f.info.source == FaceSource::Manuscript
                    && (f.info.file_name.to_lowercase().contains("nastaliq")
                        || f.family_name().to_lowercase().contains("nastaliq"))
            }) {
                // Urdu's alone: Arabic and Persian keep their Naskh.
                self.fallback.retain(|f| f.0 != at);
                self.lang_forms.push((LangForm::Nastaliq, FaceId(at)));
            }
        }
        if wanted.is_empty() {
            return;
        }
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        let mut files: HashMap<std::path::PathBuf, Arc<Vec<u8>>> = HashMap::new();
        for form in wanted {
            let found = db.faces().find(|f| {
                f.families.iter().any(|(name, _)| name == form.family())
                    && f.weight == usvg::fontdb::Weight::NORMAL
                    && f.style == usvg::fontdb::Style::Normal
            });
            let Some(found) = found else {
                continue;
            };
            let (usvg::fontdb::Source::File(path) | usvg::fontdb::Source::SharedFile(path, _)) =
                &found.source
            else {
                continue;
            };
            let bytes = match files.get(path) {
                Some(bytes) => bytes.clone(),
                None => {
                    let Some(bytes) = db.with_face_data(found.id, |data, _| data.to_vec()) else {
                        continue;
                    };
                    let bytes = Arc::new(bytes);
                    files.insert(path.clone(), bytes.clone());
                    bytes
                }
            };
            let info = FaceInfo {
                file_name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                source: FaceSource::System,
                family: form.family().to_string(),
                weight: found.weight.0,
                italic: false,
                role: FaceRole::Fallback,
            };
            if let Some(face) = Face::new(FontData::Shared(bytes), found.index, info) {
                self.lang_forms.push((form, FaceId(self.faces.len())));
                self.faces.push(face);
            }
        }
    }

    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id.0]
    }

    /// Every face with its id, in the book's order.
    pub fn faces(&self) -> impl Iterator<Item = (FaceId, &Face)> {
        self.faces.iter().enumerate().map(|(i, f)| (FaceId(i), f))
    }

    /// How to read SVG figures so their text is drawn in the book's faces, falling back like
    /// running text for characters the text face lacks.
    pub fn svg_options(&self) -> usvg::Options<'static> {
        let mut db = usvg::fontdb::Database::new();
        for face in &self.faces {
            let data: Arc<dyn AsRef<[u8]> + Send + Sync> = match face.data() {
                FontData::Static(bytes) => Arc::new(*bytes),
                FontData::Shared(bytes) => bytes.clone(),
            };
            db.load_font_source(usvg::fontdb::Source::Binary(data));
        }
        let family = self.text_family().to_string();
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family.clone());
        db.set_monospace_family(self.mono_family().to_string());
        usvg::Options {
            font_family: family,
            fontdb: Arc::new(db),
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

    /// The face for a style: the family's face of that weight and slant (Mono has no italic; it
    /// keeps its upright face), or the first text face.
    pub fn face_for(&self, style: Style) -> FaceId {
        let role = if style.mono {
            FaceRole::Mono
        } else {
            FaceRole::Text
        };
        let weight = if style.bold { 700 } else { 400 };
        let exact = self.faces.iter().position(|f| {
            f.info.role == role
                && f.info.weight == weight
                && (f.info.italic == style.italic || style.mono)
        });
        FaceId(exact.unwrap_or(0))
    }

    /// The face that draws `c` for text in `primary`: `primary` itself, else the first face of
    /// the fallback chain that has it.
    pub fn face_for_char(&self, primary: FaceId, c: char) -> Option<FaceId> {
        std::iter::once(primary)
            .chain(self.fallback.iter().copied())
            .find(|&face| self.faces[face.0].covers(c))
    }

    /// Empties the shaping caches once layout is done: what they hold (every distinct word of
    /// a long book, shaped) is not needed to draw the pages, and its room then serves the
    /// writers.
    pub fn release_caches(&self) {
        *write(&self.texts) = TextCache::default();
        *lock(&self.words) = HashMap::default();
    }

    /// Shapes `text` in the face of `style`, splitting it into runs where a character needs a
    /// fallback face. Errs with the first character no face covers.
    pub fn shape(&self, text: &str, style: Style) -> Result<Vec<Shaped>, Uncovered> {
        let mut uncovered = Vec::new();
        let runs = self.shape_all(text, style, &mut uncovered);
        match uncovered.first() {
            Some(&c) => Err(Uncovered(c)),
            None => Ok(runs),
        }
    }

    /// Shapes `text` like [`FontBook::shape`], but never fails: a character no face covers is
    /// added to `uncovered` and set in the style's face (as its blank glyph), so the text still
    /// takes its place on the page (for an e-book's page numbers).
    pub fn shape_all(&self, text: &str, style: Style, uncovered: &mut Vec<char>) -> Vec<Shaped> {
        self.shape_runs(text, style, None, uncovered)
    }

    /// [`FontBook::shape_all`] for text in `lang`, handing each run to `each` as the cache holds
    /// it (the caller keeps its own copy, a paragraph's arena, rather than a clone). Each run is
    /// shaped with the language (its forms and its conventions, as a font has them), and Han
    /// characters the style's face lacks take the face with the language's forms (see
    /// [`FontBook::cover_lang_forms`]) when the book has one and it has them.
    pub fn shape_each_in(
        &self,
        text: &str,
        style: Style,
        lang: &crate::lang::Lang,
        uncovered: &mut Vec<char>,
        each: impl FnMut(&Shaped),
    ) {
        if by_words(text, style) {
            self.shape_by_words(text, style, Some(lang), uncovered)
                .iter()
                .for_each(each);
        } else {
            self.shape_cached_each(text, style, Some(lang), uncovered, each);
        }
    }

    /// Splits text into runs of one face and one script and shapes each with its script, its
    /// direction and the language: Arabic joins, Indic conjuncts form and vowel signs reorder,
    /// Thai and Khmer marks stack. Punctuation, digits and marks (Unicode's Common and Inherited
    /// scripts) belong to the run around them.
    fn shape_runs(
        &self,
        text: &str,
        style: Style,
        lang: Option<&crate::lang::Lang>,
        uncovered: &mut Vec<char>,
    ) -> Vec<Shaped> {
        if by_words(text, style) {
            return self.shape_by_words(text, style, lang, uncovered);
        }
        self.shape_cached(text, style, lang, uncovered)
    }

    /// A long line of monospaced ASCII text (code), shaped a word and a run of spaces at a time
    /// from the cache, and joined again into one run per face: a monospaced font neither kerns
    /// nor joins across a space, and code repeats its words where its lines are all different.
    fn shape_by_words(
        &self,
        text: &str,
        style: Style,
        lang: Option<&crate::lang::Lang>,
        uncovered: &mut Vec<char>,
    ) -> Vec<Shaped> {
        let mut runs: Vec<Shaped> = Vec::new();
        let mut rest = text;
        while let Some(first) = rest.chars().next() {
            let space = first == ' ';
            let end = rest
                .find(|c: char| (c == ' ') != space)
                .unwrap_or(rest.len());
            let (token, tail) = rest.split_at(end);
            rest = tail;
            self.shape_cached_each(token, style, lang, uncovered, |shaped| {
                match runs.last_mut() {
                    Some(last) if last.face == shaped.face => {
                        let offset = last.text.len();
                        last.text.push_str(&shaped.text);
                        last.glyphs
                            .extend(shaped.glyphs.iter().map(|g| g.shifted(offset)));
                    }
                    _ => runs.push(shaped.clone()),
                }
            });
        }
        runs
    }

    /// [`FontBook::shape_runs`] from the cache, for a text short enough to be held there.
    fn shape_cached(
        &self,
        text: &str,
        style: Style,
        lang: Option<&crate::lang::Lang>,
        uncovered: &mut Vec<char>,
    ) -> Vec<Shaped> {
        let mut runs = Vec::new();
        self.shape_cached_each(text, style, lang, uncovered, |run| runs.push(run.clone()));
        runs
    }

    /// [`FontBook::shape_cached`], handing each run to `each` as the cache holds it.
    fn shape_cached_each(
        &self,
        text: &str,
        style: Style,
        lang: Option<&crate::lang::Lang>,
        uncovered: &mut Vec<char>,
        mut each: impl FnMut(&Shaped),
    ) {
        let primary = self.face_for(style);
        if text.len() > MAX_CACHED_WORD {
            self.split_and_shape(text, primary, lang, uncovered)
                .iter()
                .for_each(each);
            return;
        }
        let same = |(face, l): &(FaceId, Option<crate::lang::Lang>)| {
            *face == primary && l.as_ref() == lang
        };
        {
            let texts = read(&self.texts);
            if let Some((runs, missing)) = texts
                .iter()
                .find(|(key, _)| same(key))
                .and_then(|(_, shaped)| shaped.get(text))
            {
                uncovered.extend_from_slice(missing);
                runs.iter().for_each(each);
                return;
            }
        }
        let mut missing = Vec::new();
        let runs = self.split_and_shape(text, primary, lang, &mut missing);
        uncovered.extend_from_slice(&missing);
        runs.iter().for_each(&mut each);
        let mut texts = write(&self.texts);
        let at = match texts.iter().position(|(key, _)| same(key)) {
            Some(at) => at,
            None => {
                texts.push(((primary, lang.cloned()), HashMap::default()));
                texts.len() - 1
            }
        };
        if let Some((_, shaped)) = texts.get_mut(at) {
            shaped.insert(text.to_string(), (runs, missing));
        }
    }

    /// [`FontBook::shape_runs`] without the cache.
    fn split_and_shape(
        &self,
        text: &str,
        primary: FaceId,
        lang: Option<&crate::lang::Lang>,
        uncovered: &mut Vec<char>,
    ) -> Vec<Shaped> {
        let printable = printable(text);
        let text = printable.as_str();
        let lang_face = lang.and_then(LangForm::of).and_then(|form| {
            self.lang_forms
                .iter()
                .find(|(f, _)| *f == form)
                .map(|&(_, face)| face)
        });
        let scripts = resolved_scripts(text);
        let directions = crate::layout::bidi::char_directions(text);
        // Each run: its face, its script, its direction, its text, and whether it holds only
        // punctuation, digits and spaces so far (it then takes the script of letters that
        // follow in its face).
        let mut runs: Vec<(FaceId, unicode_script::Script, bool, Range<usize>)> = Vec::new();
        let mut neutral_only = false;
        for (((i, c), script), rtl) in text.char_indices().zip(scripts).zip(directions) {
            let end = i + c.len_utf8();
            let neutral = is_neutral(c);
            // A joiner shapes with the letters before it, in their face, and draws nothing.
            if is_joiner(c) {
                match runs.last_mut() {
                    Some((_, _, _, range)) => range.end = end,
                    None => runs.push((primary, script, rtl, i..end)),
                }
                continue;
            }
            // Kana, Hangul and CJK punctuation too: a Japanese full stop sits elsewhere than a
            // Chinese one.
            let regional = lang_face
                .filter(|&face| !self.faces[primary.0].covers(c) && self.faces[face.0].covers(c));
            let face = regional
                .or_else(|| self.face_for_char(primary, c))
                .unwrap_or_else(|| {
                    uncovered.push(c);
                    primary
                });
            match runs.last_mut() {
                Some((f, s, r, range))
                    if *f == face && *r == rtl && (*s == script || neutral_only || neutral) =>
                {
                    if neutral_only && !neutral {
                        *s = script;
                    }
                    range.end = end;
                    neutral_only &= neutral;
                }
                _ => {
                    runs.push((face, script, rtl, i..end));
                    neutral_only = neutral;
                }
            }
        }
        // The text's cache holds these runs; a second cache per run would only double it.
        let tag = lang.map_or("", crate::lang::Lang::as_str);
        runs.into_iter()
            .map(|(face, script, rtl, range)| {
                self.shape_uncached(face, &text[range], Some((script, rtl)), tag)
            })
            .collect()
    }

    /// Shapes text in one face (characters it lacks become .notdef; callers check coverage),
    /// its script and direction guessed from its first letters.
    pub fn shape_in(&self, face: FaceId, text: &str) -> Shaped {
        if text.len() > MAX_CACHED_WORD {
            return self.shape_uncached(face, text, None, "");
        }
        let key = (face, text.to_string());
        if let Some(shaped) = lock(&self.words).get(&key) {
            return shaped.clone();
        }
        let shaped = self.shape_uncached(face, text, None, "");
        lock(&self.words).insert(key, shaped.clone());
        shaped
    }

    fn shape_uncached(
        &self,
        face: FaceId,
        text: &str,
        script: Option<(unicode_script::Script, bool)>,
        lang: &str,
    ) -> Shaped {
        let f = &self.faces[face.0];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        if let Some((script, rtl)) = script {
            let tag = rustybuzz::ttf_parser::Tag::from_bytes_lossy(script.short_name().as_bytes());
            if let Some(script) =
                Script::from_iso15924_tag(tag).filter(|_| script != unicode_script::Script::Common)
            {
                buffer.set_script(script);
            }
            buffer.set_direction(if rtl {
                Direction::RightToLeft
            } else {
                Direction::LeftToRight
            });
        }
        // Joiners and non-joiners shape the letters around them and then draw nothing.
        buffer.set_flags(rustybuzz::BufferFlags::REMOVE_DEFAULT_IGNORABLES);
        // Right to left, a vowel mark keeps its own character: the run's glyphs then step back
        // through the text one character at a time, which the PDF marks as reversed text that
        // readers turn round, with no actual text needed.
        if buffer.direction() == Direction::RightToLeft {
            buffer.set_cluster_level(rustybuzz::BufferClusterLevel::MonotoneCharacters);
        }
        if let Ok(language) = lang.parse::<Language>() {
            buffer.set_language(language);
        }
        let plan = self.plan(face, &buffer);
        let output = rustybuzz::shape_with_plan(f.rb(), &plan, buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (info, pos) in infos.iter().zip(positions) {
            let start = info.cluster as usize;
            let end = cluster_end(&starts, start, text.len());
            glyphs.push(Glyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x_advance: pos.x_advance as f32 / f.upem,
                x_offset: pos.x_offset as f32 / f.upem,
                y_offset: pos.y_offset as f32 / f.upem,
                text: offsets(start..end),
            });
        }
        Shaped {
            face,
            text: text.to_string(),
            glyphs,
        }
    }

    /// The shape plan for a buffer's face, direction, script and language, made once.
    fn plan(&self, face: FaceId, buffer: &UnicodeBuffer) -> Arc<ShapePlan> {
        let key: PlanKey = (face, buffer.direction(), buffer.script(), buffer.language());
        let mut plans = lock(&self.plans);
        let plan = plans
            .entry(key)
            .or_insert_with_key(|(_, direction, script, language)| {
                Arc::new(ShapePlan::new(
                    self.faces[face.0].rb(),
                    *direction,
                    Some(*script),
                    language.as_ref(),
                    &[],
                ))
            });
        Arc::clone(plan)
    }
}

/// Where the cluster starting at byte `start` ends: at the next cluster start in the text
/// (`starts` sorted; glyphs ascend through the text in left-to-right runs and descend in
/// right-to-left ones), or at the text's end.
fn cluster_end(starts: &[usize], start: usize, len: usize) -> usize {
    starts
        .get(starts.partition_point(|&c| c <= start))
        .copied()
        .unwrap_or(len)
}

/// Punctuation, digits, spaces and marks: characters of no script of their own.
fn is_neutral(c: char) -> bool {
    is_neutral_script(script_of(c))
}

/// The scripts of punctuation, digits, spaces and marks, which take the script around them.
fn is_neutral_script(script: unicode_script::Script) -> bool {
    use unicode_script::Script as Us;
    matches!(script, Us::Common | Us::Inherited | Us::Unknown)
}

/// A character's script, without a table lookup for ASCII (most of most books, and all code).
fn script_of(c: char) -> unicode_script::Script {
    use unicode_script::{Script as Us, UnicodeScript};
    if c.is_ascii() {
        if c.is_ascii_alphabetic() {
            Us::Latin
        } else {
            Us::Common
        }
    } else {
        c.script()
    }
}

/// Each character's script, with punctuation, digits, spaces and combining marks (Common and
/// Inherited) taking the script of the letters before them, or at the start of the text, after.
fn resolved_scripts(text: &str) -> Vec<unicode_script::Script> {
    use unicode_script::Script as Us;
    let own: Vec<Us> = text.chars().map(script_of).collect();
    let first = own
        .iter()
        .copied()
        .find(|&s| !is_neutral_script(s))
        .unwrap_or(Us::Common);
    let mut current = first;
    own.into_iter()
        .map(|s| {
            if !is_neutral_script(s) {
                current = s;
            }
            current
        })
        .collect()
}

/// The zero-width joiner and non-joiner: they change how letters join and draw nothing, so
/// they need no glyph of their own.
pub fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// A cache's lock; a panic elsewhere cannot leave a cache half-written, so a poisoned lock is
/// still good.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// [`lock`], to read a cache many threads read at once.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

/// [`lock`], to write a cache many threads read at once.
fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_forms_follow_the_language() {
        let form = |tag: &str| LangForm::of(&crate::lang::Lang::parse(tag).expect("a tag"));
        assert_eq!(form("ja"), Some(LangForm::Japanese));
        assert_eq!(form("ur"), Some(LangForm::Nastaliq));
        assert_eq!(form("ur-PK"), Some(LangForm::Nastaliq));
        assert_eq!(form("ur-Latn"), None);
        assert_eq!(form("ar"), None);
        assert_eq!(form("ja-JP"), Some(LangForm::Japanese));
        assert_eq!(form("ko"), Some(LangForm::Korean));
        assert_eq!(form("zh"), Some(LangForm::Simplified));
        assert_eq!(form("zh-Hans"), Some(LangForm::Simplified));
        assert_eq!(form("zh-CN"), Some(LangForm::Simplified));
        assert_eq!(form("zh-Hant"), Some(LangForm::Traditional));
        assert_eq!(form("zh-TW"), Some(LangForm::Traditional));
        assert_eq!(form("zh-HK"), Some(LangForm::HongKong));
        assert_eq!(form("zh-Hant-HK"), Some(LangForm::HongKong));
        assert_eq!(form("en"), None);
        assert_eq!(form("vi"), None);
    }

    #[test]
    fn runs_split_where_script_or_direction_changes() {
        let book = FontBook::load().expect("fonts");
        let texts = |text: &str| -> Vec<String> {
            book.shape_all(text, Style::default(), &mut Vec::new())
                .into_iter()
                .map(|r| r.text)
                .collect()
        };
        // Digits in Arabic run left to right: a run of their own.
        assert_eq!(texts("عام1948"), ["عام", "1948"]);
        // A Greek word inside Latin: one face, two scripts.
        assert_eq!(texts("alpha-αβγ"), ["alpha-", "αβγ"]);
        // Punctuation goes with the letters before it.
        assert_eq!(texts("Hello, world."), ["Hello, world."]);
        // Right to left, the glyphs run from the end of the text to its start.
        let runs = book.shape_all("שלום", Style::default(), &mut Vec::new());
        let starts: Vec<usize> = runs[0].glyphs.iter().map(|g| g.range().start).collect();
        assert!(starts.windows(2).all(|w| w[0] > w[1]), "{starts:?}");
    }

    #[test]
    fn shapes_with_kerning_and_falls_back() {
        let book = FontBook::load().expect("fonts");
        let runs = book.shape("AV", Style::default()).expect("covered");
        assert_eq!(runs.len(), 1);
        let kerned = runs[0].width(10.0);
        let a = book.shape_in(runs[0].face, "A").width(10.0);
        let v = book.shape_in(runs[0].face, "V").width(10.0);
        assert!(kerned < a + v, "AV is kerned: {kerned} vs {}", a + v);
        // Cyrillic is not in Atkinson Hyperlegible Next; Noto Sans has it.
        let runs = book.shape("a Ж b", Style::default()).expect("covered");
        assert_eq!(runs.len(), 3);
        assert_ne!(runs[1].face, runs[0].face);
        assert_eq!(
            book.shape("\u{10FFFD}", Style::default()),
            Err(Uncovered('\u{10FFFD}'))
        );
    }

    #[test]
    fn cached_shaping_equals_fresh_shaping() {
        let book = FontBook::load().expect("fonts");
        let face = book.face_for(Style::default());
        for text in ["office", "AVAST", "Знание", "naïve café"] {
            let face = if text.starts_with('З') {
                book.face_for_char(face, 'З').expect("fallback")
            } else {
                face
            };
            let first = book.shape_in(face, text);
            let cached = book.shape_in(face, text);
            let mut buffer = UnicodeBuffer::new();
            buffer.push_str(text);
            let plain = rustybuzz::shape(book.face(face).rb(), &[], buffer);
            let ids: Vec<u16> = plain
                .glyph_infos()
                .iter()
                .map(|g| g.glyph_id as u16)
                .collect();
            assert_eq!(first, cached);
            assert_eq!(first.glyphs.iter().map(|g| g.id).collect::<Vec<_>>(), ids);
        }
    }

    #[test]
    fn invisible_characters_are_not_shaped() {
        let book = FontBook::load().expect("fonts");
        let runs = book
            .shape("a\u{feff}b\u{200b}c\u{ad}d\te", Style::default())
            .expect("covered");
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "abcd e");
    }

    #[test]
    fn styles_pick_faces() {
        let book = FontBook::load().expect("fonts");
        let bold_italic = book.face_for(Style {
            bold: true,
            italic: true,
            mono: false,
        });
        assert_eq!(
            book.face(bold_italic).info.file_name,
            "AtkinsonHyperlegibleNext-BoldItalic.ttf"
        );
        let mono = book.face_for(Style {
            bold: false,
            italic: true,
            mono: true,
        });
        assert_eq!(
            book.face(mono).info.file_name,
            "AtkinsonHyperlegibleMono-Regular.ttf"
        );
        assert_eq!(book.text_family(), "Atkinson Hyperlegible Next");
        assert_eq!(book.mono_family(), "Atkinson Hyperlegible Mono");
    }
}
