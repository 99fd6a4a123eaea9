//! Face selection: the bundled faces, the manuscript's font files and the system's fonts in; a
//! [`FontBook`] whose every character has a face out. It holds the font policy of a build
//! ([`for_book`]): the manuscript's fonts go first in the fallback chain, the scripts a book
//! writes choose which language forms are looked for, and the system covers what no face has
//! yet, all from one scan of the system's fonts ([`SystemFonts`]). Shaping asks it which face
//! draws a character ([`FontBook::face_for`], [`FontBook::face_for_char`],
//! [`FontBook::lang_face`]).

use std::collections::BTreeSet;

use super::check::{self, Refusal};
use super::{
    Face, FaceId, FaceInfo, FaceRole, FaceSource, FontBook, FontData, Style, is_joiner, printable,
};
use crate::diag::{Diagnostics, Location};
use crate::lang::Lang;
use crate::model::{Book, FontFamily};

/// The fonts a book is printed with: the bundled faces, the font files of the manuscript's
/// `fonts/` folder (tried first for characters the text faces lack; a file that is not a font
/// is an error), the faces with the forms the book's languages read Han characters and Arabic
/// letters in, and system fonts for the characters none of them has, from `system` (scanned
/// at most once for all the builds it serves). `None` only if a bundled file is damaged.
pub fn for_book(
    book: &Book,
    fonts: Vec<crate::load::FontSource>,
    system: &mut SystemFonts,
    diags: &mut Diagnostics,
) -> Option<FontBook> {
    let mut font_book = FontBook::load()?;
    let chars = crate::layout::book_chars(book);
    let printed: Vec<char> = chars.iter().copied().collect();
    for font in fonts {
        if let Err(refusal) = font_book.add_manuscript_font(&font.name, font.bytes, &printed) {
            diags
                .error(
                    Location::Path(std::path::PathBuf::from(&font.display)),
                    refusal.message(&font.name),
                )
                .hint(refusal.hint());
        }
    }
    // Han characters in Japanese, Korean or Chinese text take the forms that language reads;
    // Urdu takes the manuscript's Nastaliq. Then the system covers what no face has.
    if chars.iter().any(|&c| {
        matches!(
            unicode_script::UnicodeScript::script(&c),
            unicode_script::Script::Han | unicode_script::Script::Arabic
        )
    }) {
        let forms: Vec<LangForm> = crate::layout::book_langs(book)
            .iter()
            .filter_map(LangForm::of)
            .collect();
        font_book.cover_lang_forms(&forms, system);
    }
    font_book.cover_from_system(&chars, system);
    let mut asked: Vec<&[FontFamily]> = Vec::new();
    for families in book.assets.iter().flat_map(|a| &a.font_families) {
        if !asked.contains(&families.as_slice()) {
            asked.push(families);
        }
    }
    font_book.cover_figures(&asked, system);
    Some(font_book)
}

/// Families a browser takes, through fontconfig's metric aliases, for a font a drawing names
/// that the system lacks: faces drawn to the same widths, so labels measured in Times or
/// Helvetica by the program that drew them (Graphviz, drawing programs) fit as drawn.
const METRIC_ALIASES: &[(&[&str], &[&str])] = &[
    (
        &["times", "times new roman", "times-roman", "tinos"],
        &[
            "Liberation Serif",
            "Tinos",
            "Nimbus Roman",
            "TeX Gyre Termes",
        ],
    ),
    (
        &["helvetica", "arial", "arimo"],
        &["Liberation Sans", "Arimo", "Nimbus Sans", "TeX Gyre Heros"],
    ),
    (
        &["courier", "courier new", "cousine"],
        &[
            "Liberation Mono",
            "Cousine",
            "Nimbus Mono PS",
            "TeX Gyre Cursor",
        ],
    ),
];

/// The faces CSS's generic families are taken from, the first installed: Noto's (Debian's
/// fonts-noto-core and fonts-noto-mono), then the families most systems have.
const SERIF: &[&str] = &[
    "Noto Serif",
    "DejaVu Serif",
    "Liberation Serif",
    "FreeSerif",
];
const SANS_SERIF: &[&str] = &["Noto Sans", "DejaVu Sans", "Liberation Sans", "FreeSans"];
const MONOSPACE: &[&str] = &[
    "Noto Sans Mono",
    "DejaVu Sans Mono",
    "Liberation Mono",
    "FreeMono",
];

/// What the families SVG figures ask for stand for in a build: the family each generic one
/// was mapped to, and the metric-compatible family taken for a name the system lacks (by the
/// name's lower case). `None`: the book's own face.
#[derive(Debug, Clone, Default)]
pub struct FigureFamilies {
    pub serif: Option<String>,
    pub sans_serif: Option<String>,
    pub monospace: Option<String>,
    pub aliases: Vec<(String, String)>,
}

impl FigureFamilies {
    /// The family a generic one was mapped to; `None` for a name, `cursive` or `fantasy`.
    fn generic(&mut self, family: &FontFamily) -> Option<&mut Option<String>> {
        match family {
            FontFamily::Serif => Some(&mut self.serif),
            FontFamily::SansSerif => Some(&mut self.sans_serif),
            FontFamily::Monospace => Some(&mut self.monospace),
            _ => None,
        }
    }
}

/// The system's fonts (fontconfig's folders), scanned when a face is first wanted from them and
/// then kept: the language forms and the characters no face has are looked for in one scan,
/// and a build that needs neither reads nothing. `inkfold watch` keeps one for all its builds.
#[derive(Default)]
pub struct SystemFonts {
    db: Option<usvg::fontdb::Database>,
    /// How many times the system's folders were read.
    scans: usize,
}

impl std::fmt::Debug for SystemFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.db {
            Some(db) => write!(f, "SystemFonts({} faces)", db.len()),
            None => f.write_str("SystemFonts(not scanned)"),
        }
    }
}

/// The file a scanned face is in (`None` for one given as bytes, which a scan never makes).
fn file_of(face: &usvg::fontdb::FaceInfo) -> Option<&std::path::Path> {
    match &face.source {
        usvg::fontdb::Source::File(path) | usvg::fontdb::Source::SharedFile(path, _) => Some(path),
        usvg::fontdb::Source::Binary(_) => None,
    }
}

/// A system face the fallback chain may take, in the order they are tried.
struct Candidate {
    id: usvg::fontdb::ID,
    family: String,
    file_name: String,
    weight: u16,
    italic: bool,
}

impl SystemFonts {
    /// The scanned fonts, scanning them the first time.
    fn db(&mut self) -> &mut usvg::fontdb::Database {
        self.db.get_or_insert_with(|| {
            self.scans += 1;
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            db
        })
    }

    /// How many times the system's folders were read: at most once.
    pub fn scans(&self) -> usize {
        self.scans
    }

    /// Every face, in the order they are tried for a character no face has: Noto Sans
    /// families first, regular before other weights, upright before slanted, normal width
    /// before condensed or expanded, then by family, file and index in the file.
    fn candidates(&mut self) -> Vec<Candidate> {
        let path = |f: &usvg::fontdb::FaceInfo| {
            file_of(f).map_or_else(String::new, |p| p.display().to_string())
        };
        let mut faces: Vec<(_, Candidate)> = self
            .db()
            .faces()
            .map(|f| {
                let family = f
                    .families
                    .first()
                    .map(|(name, _)| name.clone())
                    .unwrap_or_default();
                let path = path(f);
                let key = (
                    !family.starts_with("Noto Sans"),
                    f.weight != usvg::fontdb::Weight::NORMAL,
                    f.style != usvg::fontdb::Style::Normal,
                    // fonts-noto-extra has every family in condensed and other widths too, in
                    // files whose names sort before the regular one's.
                    f.stretch != usvg::fontdb::Stretch::Normal,
                    family.clone(),
                    path.clone(),
                    f.index,
                );
                let candidate = Candidate {
                    id: f.id,
                    family,
                    file_name: path.rsplit('/').next().unwrap_or_default().to_string(),
                    weight: f.weight.0,
                    italic: f.style != usvg::fontdb::Style::Normal,
                };
                (key, candidate)
            })
            .collect();
        faces.sort_by(|a, b| a.0.cmp(&b.0));
        faces.into_iter().map(|(_, candidate)| candidate).collect()
    }

    /// Which of `chars` the face `id` has, from one reading of its character map (all false
    /// if it cannot be read): its Unicode subtables are found once, and a character is the
    /// face's if one of them maps it, as `ttf_parser::Face::glyph_index` asks.
    fn coverage(&mut self, id: usvg::fontdb::ID, chars: &[char]) -> Vec<bool> {
        self.db()
            .with_face_data(id, |data, index| {
                let face = rustybuzz::ttf_parser::Face::parse(data, index).ok()?;
                let unicode: Vec<_> = face
                    .tables()
                    .cmap?
                    .subtables
                    .into_iter()
                    .filter(|table| table.is_unicode())
                    .collect();
                Some(
                    chars
                        .iter()
                        .map(|&c| {
                            unicode
                                .iter()
                                .any(|t| t.glyph_index(u32::from(c)).is_some())
                        })
                        .collect(),
                )
            })
            .flatten()
            .unwrap_or_else(|| vec![false; chars.len()])
    }

    /// The face `id`'s file, and its index in it: mapped (once for all faces of a collection)
    /// when the system installed it, under `/usr`; read when it is a user's (`~/.fonts`,
    /// `~/.local/share/fonts`).
    fn shared(&mut self, id: usvg::fontdb::ID) -> Option<(FontData, u32)> {
        let db = self.db();
        let face = db.face(id)?;
        let index = face.index;
        let path = match &face.source {
            usvg::fontdb::Source::File(path) | usvg::fontdb::Source::SharedFile(path, _) => {
                path.clone()
            }
            usvg::fontdb::Source::Binary(data) => {
                return Some((FontData::Shared(data.clone()), index));
            }
        };
        if !path.starts_with("/usr/") {
            return Some((FontData::read(std::fs::read(&path).ok()?), index));
        }
        // SAFETY: the file is mapped, not read, so a change made to it on disk while the
        // mapping lives (a build, or all the builds of a watch) would be seen, and a file cut
        // short would stop the process. Only files under /usr are mapped: the package manager
        // installs and replaces them whole (a new file renamed into place), which leaves a
        // mapping of the old one intact. A user's own fonts are read.
        let (data, index) = unsafe { db.make_shared_face_data(id) }?;
        Some((FontData::Shared(data), index))
    }
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
    pub fn of(lang: &Lang) -> Option<LangForm> {
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
            figures: FigureFamilies::default(),
            caches: super::shape::Caches::default(),
            fingerprint: std::sync::OnceLock::new(),
        })
    }

    /// Adds the faces of a font file the manuscript brings (every face of a collection, each
    /// distinct face once) that have any of the book's characters `chars` to the front of the
    /// fallback chain, each checked first ([`check::check_face`]); the number added, or why the
    /// file is refused. A face the book prints nothing in is let go of unchecked.
    pub fn add_manuscript_font(
        &mut self,
        file_name: &str,
        bytes: Vec<u8>,
        chars: &[char],
    ) -> Result<usize, Refusal> {
        // The faces change: a fingerprint taken before no longer holds.
        self.fingerprint.take();
        let data = FontData::read(bytes);
        let indices = check::face_indices(data.bytes())?;
        let mut added = Vec::new();
        let mut fonts = 0;
        for index in indices {
            let info = FaceInfo {
                file_name: file_name.to_string(),
                source: FaceSource::Manuscript,
                family: file_name.to_string(),
                weight: 400,
                italic: false,
                role: FaceRole::Fallback,
            };
            let Some(face) = Face::new(data.clone(), index, info) else {
                continue;
            };
            fonts += 1;
            let has: Vec<char> = chars.iter().copied().filter(|&c| face.covers(c)).collect();
            if has.is_empty() {
                continue;
            }
            check::check_face(face.rb(), &has)?;
            added.push(FaceId(self.faces.len()));
            self.faces.push(face);
        }
        if fonts == 0 {
            return Err(Refusal::NotAFont);
        }
        if added.is_empty() {
            return Ok(0);
        }
        let at = self
            .fallback
            .iter()
            .take_while(|f| self.faces[f.0].info.source == FaceSource::Manuscript)
            .count();
        let count = added.len();
        self.fallback.splice(at..at, added);
        Ok(count)
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
    /// characters in `chars` that no face has yet: for each, the first face that has it in the
    /// order of [`SystemFonts::candidates`], so the same machine always chooses the same fonts.
    /// Each face tried is read once and asked for the characters no face before it had; the
    /// faces taken are mapped (the system's, under /usr) or read (a user's). The system's fonts are not scanned when every
    /// character is covered.
    pub fn cover_from_system(&mut self, chars: &BTreeSet<char>, system: &mut SystemFonts) {
        // The faces change: a fingerprint taken before no longer holds.
        self.fingerprint.take();
        let missing: Vec<char> = chars.iter().copied().filter(|&c| !self.covers(c)).collect();
        if missing.is_empty() {
            return;
        }
        let candidates = system.candidates();
        // The first candidate with each missing character: the candidates are read in order,
        // once each, each asked only for the characters no candidate before it had, until every
        // one is found (a character no face has is asked of every candidate, as it would be
        // alone).
        let mut first: Vec<Option<usize>> = vec![None; missing.len()];
        let mut unknown: Vec<usize> = (0..missing.len()).collect();
        for (i, candidate) in candidates.iter().enumerate() {
            if unknown.is_empty() {
                break;
            }
            let asked: Vec<char> = unknown.iter().map(|&k| missing[k]).collect();
            let mut has = system.coverage(candidate.id, &asked).into_iter();
            unknown.retain(|&k| {
                let found = has.next().unwrap_or(false);
                if found {
                    first[k] = Some(i);
                }
                !found
            });
        }
        for (at, &c) in missing.iter().enumerate() {
            if self.covers(c) {
                continue;
            }
            let Some(found) = first[at].map(|i| &candidates[i]) else {
                continue;
            };
            let Some((data, index)) = system.shared(found.id) else {
                continue;
            };
            let info = FaceInfo {
                file_name: found.file_name.clone(),
                source: FaceSource::System,
                family: found.family.clone(),
                weight: found.weight,
                italic: found.italic,
                role: FaceRole::Fallback,
            };
            if let Some(face) = Face::new(data, index, info) {
                self.fallback.push(FaceId(self.faces.len()));
                self.faces.push(face);
            }
        }
    }

    /// Finds faces for the `font-family` lists of SVG figures, as a browser reads them: each
    /// list's families in turn until one is found. A name is found among the book's faces (its
    /// manuscript's fonts among them), else among the system's (all of the family's faces of
    /// normal width), else as a metric-compatible family ([`METRIC_ALIASES`]); a generic family
    /// takes the first installed of its list ([`SERIF`], [`SANS_SERIF`], [`MONOSPACE`]);
    /// `cursive` and `fantasy` are passed over. What no family finds is drawn in the book's
    /// text face. The system's fonts are scanned only for a name the book's faces lack.
    pub fn cover_figures(&mut self, asked: &[&[FontFamily]], system: &mut SystemFonts) {
        // The faces change: a fingerprint taken before no longer holds.
        self.fingerprint.take();
        for families in asked {
            for family in families.iter() {
                if self.figure_family(family, system) {
                    break;
                }
            }
        }
    }

    /// Finds one family of a figure's list; whether it was found.
    fn figure_family(&mut self, family: &FontFamily, system: &mut SystemFonts) -> bool {
        let generic = match family {
            FontFamily::Named(name) => {
                let lower = name.to_lowercase();
                if self.has_family(name) || self.figures.aliases.iter().any(|(a, _)| *a == lower) {
                    return true;
                }
                if self.add_figure_family(name, system) {
                    return true;
                }
                let Some((_, stand_ins)) = METRIC_ALIASES
                    .iter()
                    .find(|(names, _)| names.contains(&lower.as_str()))
                else {
                    return false;
                };
                for stand_in in *stand_ins {
                    if self.has_family(stand_in) || self.add_figure_family(stand_in, system) {
                        self.figures.aliases.push((lower, stand_in.to_string()));
                        return true;
                    }
                }
                return false;
            }
            FontFamily::Serif => SERIF,
            FontFamily::SansSerif => SANS_SERIF,
            FontFamily::Monospace => MONOSPACE,
            FontFamily::Cursive | FontFamily::Fantasy => return false,
        };
        if self
            .figures
            .generic(family)
            .is_some_and(|taken| taken.is_some())
        {
            return true;
        }
        let Some(found) = generic
            .iter()
            .find(|name| self.has_family(name) || self.add_figure_family(name, system))
        else {
            return false;
        };
        if let Some(taken) = self.figures.generic(family) {
            *taken = Some(found.to_string());
        }
        true
    }

    /// Whether a face of the book has this family name (as CSS compares names, in any case).
    fn has_family(&self, name: &str) -> bool {
        self.faces.iter().any(|f| {
            f.info.family.eq_ignore_ascii_case(name) || f.family_name().eq_ignore_ascii_case(name)
        })
    }

    /// Adds the system's faces of a family, of normal width (every weight and slant, so a bold
    /// label is bold), for figures only; whether it had any.
    fn add_figure_family(&mut self, name: &str, system: &mut SystemFonts) -> bool {
        let mut found: Vec<_> = system
            .db()
            .faces()
            .filter(|f| {
                f.stretch == usvg::fontdb::Stretch::Normal
                    && f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
            })
            .filter_map(|f| {
                let file = file_of(f)?;
                Some((
                    f.weight.0,
                    f.style != usvg::fontdb::Style::Normal,
                    file.display().to_string(),
                    f.index,
                    f.id,
                ))
            })
            .collect();
        // The scan's order is the folders' order on disk; the faces are taken in one of their own.
        found.sort_by(|a, b| (a.0, a.1, &a.2, a.3).cmp(&(b.0, b.1, &b.2, b.3)));
        let mut added = false;
        for (weight, italic, path, _, id) in found {
            let Some((data, index)) = system.shared(id) else {
                continue;
            };
            let info = FaceInfo {
                file_name: path.rsplit('/').next().unwrap_or_default().to_string(),
                source: FaceSource::System,
                family: name.to_string(),
                weight,
                italic,
                role: FaceRole::Figure,
            };
            if let Some(face) = Face::new(data, index, info) {
                self.faces.push(face);
                added = true;
            }
        }
        added
    }

    /// Finds, for each of `forms`, a face with those forms: for Han characters the system's
    /// regular Noto Sans CJK face, when it has one (a collection holding several is mapped
    /// once); for Nastaliq a font of the manuscript's.
    pub fn cover_lang_forms(&mut self, forms: &[LangForm], system: &mut SystemFonts) {
        // The faces change: a fingerprint taken before no longer holds.
        self.fingerprint.take();
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
        for form in wanted {
            let found = system.db().faces().find_map(|f| {
                let file = file_of(f)?;
                (f.families.iter().any(|(name, _)| name == form.family())
                    && f.weight == usvg::fontdb::Weight::NORMAL
                    && f.style == usvg::fontdb::Style::Normal)
                    .then(|| {
                        (
                            f.id,
                            f.weight.0,
                            file.file_name().map(|n| n.to_string_lossy().into_owned()),
                        )
                    })
            });
            let Some((id, weight, file_name)) = found else {
                continue;
            };
            let Some((data, index)) = system.shared(id) else {
                continue;
            };
            let info = FaceInfo {
                file_name: file_name.unwrap_or_default(),
                source: FaceSource::System,
                family: form.family().to_string(),
                weight,
                italic: false,
                role: FaceRole::Fallback,
            };
            if let Some(face) = Face::new(data, index, info) {
                self.lang_forms.push((form, FaceId(self.faces.len())));
                self.faces.push(face);
            }
        }
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

    /// The face with the forms `lang` reads its script's letters in, when the book has one.
    pub fn lang_face(&self, lang: Option<&Lang>) -> Option<FaceId> {
        let form = LangForm::of(lang?)?;
        self.lang_forms
            .iter()
            .find(|(f, _)| *f == form)
            .map(|&(_, face)| face)
    }
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
    fn the_system_is_scanned_only_for_what_no_face_has() {
        let mut book = FontBook::load().expect("fonts");
        let mut system = SystemFonts::default();
        book.cover_from_system(&"Plain text, 123.".chars().collect(), &mut system);
        book.cover_lang_forms(&[LangForm::Nastaliq], &mut system);
        assert!(system.db.is_none(), "nothing was missing, nothing scanned");
    }

    /// The faces the system gives are those a search character by character would choose:
    /// for each character no face has yet, in order, the first candidate whose character map
    /// has it. Scripts from several Noto families, emoji, Han, and a private-use character no
    /// font has (asked of every candidate).
    #[test]
    fn system_faces_are_those_a_search_per_character_finds() {
        let chars: BTreeSet<char> = "漢字 ทดสอบ ሰላም ខ្មែរ தமிழ் 😀 ╯ \u{E000} ಥ 한국어 あ"
            .chars()
            .collect();
        let mut book = FontBook::load().expect("fonts");
        let mut system = SystemFonts::default();
        book.cover_from_system(&chars, &mut system);
        let chosen: Vec<(String, u32)> = book
            .faces()
            .filter(|(_, f)| f.info.source == FaceSource::System)
            .map(|(_, f)| (f.info.file_name.clone(), f.index))
            .collect();

        let reference = FontBook::load().expect("fonts");
        let candidates = system.candidates();
        let mut expected: Vec<(String, u32)> = Vec::new();
        let mut ids = Vec::new();
        let has = |system: &mut SystemFonts, id, c| {
            system
                .db()
                .with_face_data(id, |data, index| {
                    rustybuzz::ttf_parser::Face::parse(data, index)
                        .ok()
                        .and_then(|face| face.glyph_index(c))
                        .is_some()
                })
                .unwrap_or(false)
        };
        for c in chars {
            if reference.covers(c) || ids.iter().any(|&id| has(&mut system, id, c)) {
                continue;
            }
            if let Some(found) = candidates.iter().find(|f| has(&mut system, f.id, c)) {
                let index = system.db().face(found.id).map_or(0, |f| f.index);
                expected.push((found.file_name.clone(), index));
                ids.push(found.id);
            }
        }
        assert!(
            !expected.is_empty(),
            "the system has fonts for these scripts"
        );
        assert_eq!(chosen, expected);
        assert_eq!(system.scans(), 1);
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

    /// A figure's families the book's faces have (its text face by name, `sans-serif` as the
    /// bundled Noto Sans) are found without a scan of the system; `cursive` alone finds
    /// nothing and leaves the text face; a name no system has, with `serif` after it, is
    /// looked for among the system's fonts.
    #[test]
    fn figure_families_the_book_has_need_no_scan() {
        let mut book = FontBook::load().expect("fonts");
        let mut system = SystemFonts::default();
        let text = [FontFamily::Named("atkinson hyperlegible next".into())];
        let sans = [FontFamily::SansSerif];
        let cursive = [FontFamily::Cursive];
        book.cover_figures(&[&text, &sans, &cursive], &mut system);
        assert_eq!(system.scans(), 0);
        assert_eq!(book.figures.sans_serif.as_deref(), Some("Noto Sans"));
        assert!(book.figures.serif.is_none() && book.figures.aliases.is_empty());
        assert!(book.faces().all(|(_, f)| f.info.role != FaceRole::Figure));
        let unknown = [
            FontFamily::Named("No Such Family Anywhere".into()),
            FontFamily::Serif,
        ];
        book.cover_figures(&[&unknown], &mut system);
        assert_eq!(system.scans(), 1);
        // Whatever the system has for `serif`, a face of its family was taken for figures only.
        if let Some(serif) = &book.figures.serif {
            assert!(
                book.faces()
                    .any(|(_, f)| f.info.role == FaceRole::Figure && f.info.family == *serif),
                "{serif}"
            );
            assert!(
                book.faces()
                    .all(|(_, f)| f.info.role != FaceRole::Figure || !f.info.in_epub())
            );
        }
    }
}
