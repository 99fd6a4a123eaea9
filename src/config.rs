//! `book.toml`: the text of the file in, checked book settings ([`Config`]) out.
//!
//! Unknown keys are errors, and every value that can be wrong carries its span, so a problem
//! points at the line of the bad key.

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostics, FileId, Span, TomlFault};
use crate::id::Id;
use crate::lang::{Direction, Lang, TagPlace};
use crate::model::meta::{Accessibility, Date, Hazard, Meta, Timestamp};
use crate::profile::{BUILT_IN, Content, Edition, PAGE_SIZES, Profile, built_in};

/// The raw shape of `book.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookToml {
    book: BookSection,
    #[serde(default)]
    accessibility: AccessibilitySection,
    #[serde(default)]
    epub: EpubSection,
    #[serde(default)]
    pdf: PdfSection,
    /// Named editions: `[profiles.NAME]`, each the `[pdf]` settings it changes.
    #[serde(default)]
    profiles: std::collections::BTreeMap<Spanned<String>, PdfSection>,
    appendix: Option<AppendixSection>,
    braille: Option<BrailleSection>,
    #[serde(default)]
    code: CodeSection,
}

/// The tables of settings besides the book's own keys, as written: in inkfold's `book.toml`
/// at the top, in an mdBook's under `[output.inkfold]`.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub accessibility: AccessibilitySection,
    pub epub: EpubSection,
    pub pdf: PdfSection,
    pub profiles: std::collections::BTreeMap<Spanned<String>, PdfSection>,
    pub appendix: Option<AppendixSection>,
    pub braille: Option<BrailleSection>,
    pub code: CodeSection,
}

/// What a book says about itself and how to render it, as written, whichever file holds it;
/// [`settle`] checks it into a [`Config`].
#[derive(Debug)]
pub(crate) struct Written {
    pub title: Spanned<String>,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub language: Spanned<String>,
    pub identifier: Spanned<String>,
    pub description: Option<String>,
    pub keywords: Vec<String>,
    pub rights: Option<String>,
    pub publisher: Option<String>,
    pub cover: Option<Spanned<String>>,
    pub cover_alt: Option<Spanned<String>>,
    /// The publication date; `None` (an mdBook that gives none) takes `SOURCE_DATE_EPOCH`'s,
    /// or today's with a warning that the build is not reproducible.
    pub date: Option<Spanned<String>>,
    pub modified: Option<Spanned<String>>,
    /// The chapters, checked: the files the profiles may name.
    pub chapters: Vec<ChapterEntry>,
    pub tables: Tables,
    /// The table that holds the book's keys, for hints: `[book]` or `[output.inkfold]`.
    pub table: &'static str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct AppendixSection {
    title: Spanned<String>,
    id: Option<Spanned<String>>,
    data: Spanned<Vec<Spanned<String>>>,
    after: Option<Spanned<String>>,
}

/// `[code]`: how code blocks are set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct CodeSection {
    /// Code with a language is highlighted (on unless turned off).
    #[serde(default = "yes")]
    highlight: bool,
}

impl Default for CodeSection {
    fn default() -> Self {
        CodeSection { highlight: true }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct PdfSection {
    page_size: Option<Spanned<String>>,
    margins: Option<Spanned<Margins>>,
    font_size: Option<Spanned<f32>>,
    line_spacing: Option<Spanned<f32>>,
    justify: Option<bool>,
    hyphenate: Option<bool>,
    two_sided: Option<bool>,
    /// In a profile: the paper its pages are imposed on as a booklet.
    sheet: Option<Spanned<String>>,
    /// In a profile: the chapters it prints, by path (every chapter when absent).
    chapters: Option<Spanned<Vec<Spanned<String>>>>,
    /// In a profile: makes it a braille edition, with these settings over `[braille]`'s.
    braille: Option<Spanned<BrailleSection>>,
}

/// `[braille]`: how the braille editions are formatted and which grade they are in.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct BrailleSection {
    cells: Option<Spanned<i64>>,
    lines: Option<Spanned<i64>>,
    grade: Option<Spanned<i64>>,
    duplex: Option<bool>,
}

/// Cells per line a braille edition may have: from a 12-cell braille display's line to the
/// widest embossers' 80 (the page numbers need 12: a number and three blank cells before it).
const BRAILLE_CELLS: std::ops::RangeInclusive<i64> = 12..=80;

/// Lines per braille page: a page keeps its first line for the print page number and its
/// last for the braille page number, so 4 leaves two of text; 60 is beyond any embosser's.
const BRAILLE_LINES: std::ops::RangeInclusive<i64> = 4..=60;

/// `base` with a `[braille]` section's settings applied.
fn apply_braille(
    raw: &BrailleSection,
    base: crate::profile::Braille,
    file: FileId,
    diags: &mut Diagnostics,
) -> crate::profile::Braille {
    let mut settings = base;
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    let mut bounded = |value: &Option<Spanned<i64>>,
                       range: std::ops::RangeInclusive<i64>,
                       what: &str,
                       hint: &str|
     -> Option<usize> {
        let value = value.as_ref()?;
        if range.contains(value.get_ref()) {
            usize::try_from(*value.get_ref()).ok()
        } else {
            diags
                .error(
                    span(value.span()),
                    format!("{} {what} is out of range", value.get_ref()),
                )
                .hint(hint.to_string());
            None
        }
    };
    if let Some(cells) = bounded(
        &raw.cells,
        BRAILLE_CELLS,
        "cells per line",
        "use 12 to 80 cells; 40 is the default, for 11 x 11.5 inch braille paper",
    ) {
        settings.cells = cells;
    }
    if let Some(lines) = bounded(
        &raw.lines,
        BRAILLE_LINES,
        "lines per page",
        "use 4 to 60 lines; 25 is the default, for 11 x 11.5 inch braille paper",
    ) {
        settings.lines = lines;
    }
    if let Some(grade) = &raw.grade {
        match grade.get_ref() {
            1 => settings.grade = crate::profile::BrailleGrade::Uncontracted,
            2 => settings.grade = crate::profile::BrailleGrade::Contracted,
            other => {
                diags
                    .error(span(grade.span()), format!("there is no braille grade {other}"))
                    .hint("use grade = 2 for contracted braille (the default) or grade = 1 for uncontracted");
            }
        }
    }
    settings.duplex = raw.duplex.unwrap_or(settings.duplex);
    settings
}

/// `margins = "15mm"`, or each side: `margins = { top = "15mm", bottom = "20mm", inner = "18mm", outer = "15mm" }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Margins {
    All(String),
    Sides {
        top: String,
        bottom: String,
        inner: String,
        outer: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BookSection {
    title: Spanned<String>,
    subtitle: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    language: Spanned<String>,
    identifier: Spanned<String>,
    description: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    rights: Option<String>,
    publisher: Option<String>,
    cover: Option<Spanned<String>>,
    cover_alt: Option<Spanned<String>>,
    date: Spanned<String>,
    modified: Option<Spanned<String>>,
    chapters: Spanned<Vec<Spanned<ChapterItemOrPath>>>,
}

/// A `chapters` entry as written: a path alone, or a table.
#[derive(Debug)]
struct ChapterItemOrPath(ChapterItem);

/// A `chapters` entry: a path, or a table with the chapter's language and direction:
/// `{ path = "chapters/ar.md", lang = "ar", dir = "rtl" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChapterItem {
    path: String,
    lang: Option<Spanned<String>>,
    dir: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for ChapterItemOrPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Item;
        impl<'de> serde::de::Visitor<'de> for Item {
            type Value = ChapterItemOrPath;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a chapter's path, or a table such as { path = \"chapters/ar.md\", lang = \"ar\" }")
            }
            fn visit_str<E: serde::de::Error>(self, path: &str) -> Result<Self::Value, E> {
                Ok(ChapterItemOrPath(ChapterItem {
                    path: path.to_string(),
                    lang: None,
                    dir: None,
                }))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                ChapterItem::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(ChapterItemOrPath)
            }
        }
        deserializer.deserialize_any(Item)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct AccessibilitySection {
    summary: Option<String>,
    hazards: Option<Vec<Spanned<String>>>,
    certified_by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct EpubSection {
    #[serde(default = "yes")]
    embed_fonts: bool,
    /// The profile whose pages the e-book's page-list follows.
    page_numbers: Option<Spanned<String>>,
}

impl Default for EpubSection {
    fn default() -> Self {
        EpubSection {
            embed_fonts: true,
            page_numbers: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// A file `book.toml` names: the path as written, and where it was written; for a chapter,
/// the language and direction of its text when they differ from the book's.
#[derive(Debug, Clone)]
pub struct ChapterEntry {
    pub path: String,
    pub span: Span,
    /// The chapter's language (`None`: the book's).
    pub lang: Option<Lang>,
    /// The direction of its text, when given (`None`: its language's).
    pub dir: Option<Direction>,
}

/// The appendix generated from data files.
#[derive(Debug, Clone)]
pub struct AppendixConfig {
    pub title: String,
    /// The id of the appendix heading, for links such as `[the appendix](#appendix)`.
    pub id: Id,
    /// Data files in the order their lists appear.
    pub data: Vec<ChapterEntry>,
    /// The chapter it follows; `None` for the end of the book.
    pub after: Option<ChapterEntry>,
    pub span: Span,
}

/// The checked settings of a book: what the book says about itself (the model's [`Meta`]), its
/// chapters, and how to render it.
#[derive(Debug, Clone)]
pub struct Config {
    pub meta: Meta,
    pub chapters: Vec<ChapterEntry>,
    pub epub: EpubOptions,
    /// The `[pdf]` settings: the default print profile, that of the `book` edition.
    pub profile: Profile,
    /// Every edition the book can be printed in: the built-in ones (the `book` first), then
    /// the book's own, in name order.
    pub editions: Vec<Edition>,
    pub appendix: Option<AppendixConfig>,
    /// The cover image: its path (relative to book.toml) and alt text.
    pub cover: Option<(ChapterEntry, String)>,
    /// Code blocks with a language are highlighted (`[code] highlight`).
    pub highlight: bool,
}

/// How the EPUB is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpubOptions {
    /// Embed the bundled text fonts.
    pub embed_fonts: bool,
    /// The index in [`Config::editions`] of the edition whose printed pages the e-book's
    /// page-list and page-break markers follow.
    pub page_numbers: usize,
}

/// A length such as `15mm`, `1.5cm`, `0.75in` or `36pt`, in points.
fn length(text: &str) -> Option<f32> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let value: f32 = number.trim().parse().ok()?;
    let factor = match unit {
        "mm" => 72.0 / 25.4,
        "cm" => 72.0 / 2.54,
        "in" => 72.0,
        "pt" => 1.0,
        _ => return None,
    };
    (value.is_finite() && value >= 0.0).then_some(value * factor)
}

/// The most characters a title may have: the book's, the appendix's, and the titles and names
/// of the appendix's data. The longest titles of real books, subtitle and all, run to some 200
/// characters; 300 is ten lines of a heading on an A5 page. A title is set as a heading, a
/// running head, a bookmark and the handout's heading, each shaped and broken as one paragraph,
/// so an unbounded one is work without bound (a 1 MiB title took 7 GB in the handout).
pub const MAX_TITLE_CHARS: usize = 300;

/// A title of more than [`MAX_TITLE_CHARS`] characters is an error at `span`; `what` names it
/// ("the book's title", "field `name`").
pub(crate) fn check_title(title: &str, span: Span, what: &str, diags: &mut Diagnostics) {
    let chars = title.chars().count();
    if chars > MAX_TITLE_CHARS {
        diags
            .error(
                span,
                format!("{what} is {chars} characters long; a title may have at most {MAX_TITLE_CHARS}"),
            )
            .hint("shorten it: a title is printed as a heading, a running head and a bookmark; say the rest in the text");
    }
}

/// The longest side a page may have, in points: 200 inches, the largest page PDF viewers
/// display (ISO 32000-1, annex C), and a bound on the work of breaking one line.
pub const MAX_PAGE_SIDE: f32 = 14_400.0;

/// The shortest side a page or a booklet's sheet may have, in points: one inch. PDF's own
/// minimum is 3 pt (ISO 32000-1, annex C), but no printer feeds or folds a smaller sheet, and
/// a page's text needs more still (the margins' check asks for ten ems of width).
pub const MIN_PAGE_SIDE: f32 = 72.0;

/// A page size: a name from [`PAGE_SIZES`] or `WIDTH x HEIGHT` lengths.
/// A page's or sheet's width and height from `value`; `None`, with an error at `at`, when it
/// is not a size (`kind` names what it should be) or a side is larger than a PDF page can be
/// (`what` names the thing measured).
fn bounded_size(
    value: &str,
    at: Span,
    (what, kind): (&str, &str),
    hint: &str,
    diags: &mut Diagnostics,
) -> Option<(f32, f32)> {
    match page_size(value) {
        Some((w, h)) if w > MAX_PAGE_SIDE || h > MAX_PAGE_SIDE => {
            diags
                .error(
                    at,
                    format!("a {what} of `{value}` is larger than a PDF page can be"),
                )
                .hint(format!(
                    "use at most {MAX_PAGE_SIDE} pt (200 in, 5.08 m) a side"
                ));
            None
        }
        Some((w, h)) if w < MIN_PAGE_SIDE || h < MIN_PAGE_SIDE => {
            diags
                .error(
                    at,
                    format!("a {what} of `{value}` is smaller than a printer can take"),
                )
                .hint(format!(
                    "use at least {MIN_PAGE_SIDE} pt (1 in, 25.4 mm) a side"
                ));
            None
        }
        Some(size) => Some(size),
        None => {
            diags
                .error(at, format!("`{value}` is not a {kind}"))
                .hint(hint);
            None
        }
    }
}

fn page_size(text: &str) -> Option<(f32, f32)> {
    if let Some((_, size)) = PAGE_SIZES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(text.trim()))
    {
        return Some(*size);
    }
    let (w, h) = text.split_once(['x', '×'])?;
    Some((length(w)?, length(h)?)).filter(|(w, h)| *w > 0.0 && *h > 0.0)
}

fn appendix_config(
    raw: AppendixSection,
    file: FileId,
    diags: &mut Diagnostics,
) -> Option<AppendixConfig> {
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    let entry = |e: Spanned<String>| ChapterEntry {
        span: span(e.span()),
        path: e.into_inner(),
        lang: None,
        dir: None,
    };
    check_title(
        raw.title.get_ref(),
        span(raw.title.span()),
        "the appendix's title",
        diags,
    );
    if crate::chars::is_blank(raw.title.get_ref()) {
        diags
            .error(span(raw.title.span()), "the appendix has an empty title")
            .hint("give the appendix a title, e.g. title = \"Appendix: Where to Learn More\"");
    }
    let id = match raw.id {
        Some(id) => {
            crate::id::check_id(id.get_ref(), span(id.span()), diags);
            Id::parse(id.get_ref())
        }
        None => Id::parse("appendix"),
    };
    if raw.data.get_ref().is_empty() {
        diags
            .error(span(raw.data.span()), "the appendix lists no data files")
            .hint("list the data files, e.g. data = [\"data/sources.toml\"]");
    }
    Some(AppendixConfig {
        title: raw.title.get_ref().trim().to_string(),
        span: span(raw.title.span()),
        id: id?,
        data: raw.data.into_inner().into_iter().map(entry).collect(),
        after: raw.after.map(entry),
    })
}

/// `base` with the settings of a `[pdf]` or `[profiles.NAME]` section applied; `name` is
/// the profile's, for messages.
fn apply_settings(
    raw: &PdfSection,
    base: Profile,
    name: &str,
    file: FileId,
    diags: &mut Diagnostics,
) -> Profile {
    let mut settings = base;
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    if let Some(size) = &raw.page_size
        && let Some(wh) = bounded_size(
            size.get_ref(),
            span(size.span()),
            ("page", "page size"),
            "use A5, A4, B5, Letter or Legal, or WIDTH x HEIGHT such as \"6in x 9in\"",
            diags,
        )
    {
        (settings.page_width, settings.page_height) = wh;
    }
    if let Some(margins) = &raw.margins {
        let sides = match margins.get_ref() {
            Margins::All(all) => length(all).map(|m| [m; 4]),
            Margins::Sides {
                top,
                bottom,
                inner,
                outer,
            } => match (length(top), length(bottom), length(inner), length(outer)) {
                (Some(t), Some(b), Some(i), Some(o)) => Some([t, b, i, o]),
                _ => None,
            },
        };
        match sides {
            Some([t, b, i, o]) => {
                settings.margin_top = t;
                settings.margin_bottom = b;
                settings.margin_inner = i;
                settings.margin_outer = o;
            }
            None => diags
                .error(span(margins.span()), "the margins are not lengths")
                .hint("write lengths with a unit (mm, cm, in or pt): margins = \"15mm\""),
        }
    }
    if let Some(size) = &raw.font_size {
        if (6.0..=36.0).contains(size.get_ref()) {
            settings.font_size = *size.get_ref();
        } else {
            diags
                .error(span(size.span()), format!("a font size of {} pt is out of range", size.get_ref()))
                .hint("use a body size from 6 to 36 points; 12 is the default, 14 or more suits large print");
        }
    }
    if let Some(spacing) = &raw.line_spacing {
        if (1.0..=3.0).contains(spacing.get_ref()) {
            settings.line_spacing = *spacing.get_ref();
        } else {
            diags
                .error(
                    span(spacing.span()),
                    format!("a line spacing of {} is out of range", spacing.get_ref()),
                )
                .hint("use a multiple of the font size from 1.0 to 3.0; 1.4 is the default");
        }
    }
    settings.justify = raw.justify.unwrap_or(settings.justify);
    settings.hyphenate = raw.hyphenate.unwrap_or(settings.hyphenate);
    settings.two_sided = raw.two_sided.unwrap_or(settings.two_sided);
    if let Some(sheet) = &raw.sheet
        && let Some(wh) = bounded_size(
            sheet.get_ref(),
            span(sheet.span()),
            ("sheet", "paper size"),
            "use A4 or Letter (printed landscape), or WIDTH x HEIGHT",
            diags,
        )
    {
        settings.sheet = Some(wh);
    }
    let body_width = settings.page_width - settings.margin_inner - settings.margin_outer;
    let body_height = settings.page_height - settings.margin_top - settings.margin_bottom;
    if body_width < settings.font_size * 10.0
        || body_height < settings.font_size * settings.line_spacing * 8.0
    {
        // At the setting that most likely leaves the room short: the margins, else the page
        // size, else the type size, as this section gives them (an edition built only from
        // another's settings has none: its section's first key, else the file's start).
        let at = raw
            .margins
            .as_ref()
            .map(|m| m.span())
            .or_else(|| raw.page_size.as_ref().map(|p| p.span()))
            .or_else(|| raw.font_size.as_ref().map(|f| f.span()))
            .or_else(|| raw.line_spacing.as_ref().map(|l| l.span()))
            .unwrap_or(0..0);
        diags
            .error(
                span(at),
                format!("the margins leave too little room for text on the page of the `{name}` edition"),
            )
            .hint("make the margins smaller or the page larger ([pdf] or [profiles.NAME] in book.toml)");
    }
    settings
}

/// The most profiles a book may define besides the built-in ones: `--profile all` lays the
/// book out once for each, so their number bounds the work of a build.
pub const MAX_OWN_PROFILES: usize = 24;

/// The editions: each built-in profile derived from the book's, changed by its
/// `[profiles.NAME]` section if the book has one, then the book's own profiles, derived from
/// `[pdf]`. A profile's chapters must be chapters of the book.
fn editions(
    pdf: &PdfSection,
    braille: crate::profile::Braille,
    mut sections: std::collections::BTreeMap<Spanned<String>, PdfSection>,
    chapters: &[ChapterEntry],
    file: FileId,
    diags: &mut Diagnostics,
) -> Vec<Edition> {
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    if let Some(listed) = &pdf.chapters {
        diags
            .error(span(listed.span()), "[pdf] settings apply to every chapter")
            .hint("choose chapters in a profile: [profiles.NAME] with chapters = [...]");
    }
    if let Some(sheet) = &pdf.sheet {
        diags
            .error(
                span(sheet.span()),
                "[pdf] is the book's own pages, not a booklet",
            )
            .hint("impose the pages in a profile: [profiles.NAME] with sheet = \"A4\"");
    }
    if let Some(section) = &pdf.braille {
        diags
            .error(span(section.span()), "[pdf] is the book's print settings")
            .hint("set braille in [braille], or make a braille edition of your own: [profiles.NAME.braille]");
    }
    let braille_of = |section: Option<&PdfSection>, diags: &mut Diagnostics| {
        section
            .and_then(|s| s.braille.as_ref())
            .map(|b| apply_braille(b.get_ref(), braille, file, diags))
    };
    let book = apply_settings(pdf, Profile::default(), "book", file, diags);
    let chosen = |section: &PdfSection, diags: &mut Diagnostics| {
        let listed = section.chapters.as_ref()?;
        let mut paths = Vec::new();
        // Paths compare as the files they name (`./chapters/a.md` is `chapters/a.md`), and are
        // kept so, as the book's chapters know them.
        let file = |path: &str| crate::paths::join_relative("book.toml", path).ok();
        for entry in listed.get_ref() {
            let named = file(entry.get_ref());
            if let Some(path) =
                named.filter(|n| chapters.iter().any(|c| file(&c.path).as_ref() == Some(n)))
            {
                paths.push(path);
            } else {
                diags
                    .error(
                        span(entry.span()),
                        format!("`{}` is not one of the book's chapters", entry.get_ref()),
                    )
                    .hint("list chapters as [book] chapters lists them");
            }
        }
        if listed.get_ref().is_empty() {
            diags
                .error(span(listed.span()), "the profile prints no chapter")
                .hint("list the chapters it prints, or leave chapters out to print them all");
        }
        Some(paths)
    };
    let mut editions = Vec::new();
    for name in BUILT_IN {
        let base = built_in(name, &book);
        let section = sections.remove(name);
        let (profile, chapters) = match &section {
            Some(section) => (
                apply_settings(section, base, name, file, diags),
                chosen(section, diags),
            ),
            None => (base, None),
        };
        let in_braille = crate::profile::BUILT_IN_BRAILLE.contains(&name);
        let medium = match braille_of(section.as_ref(), diags) {
            Some(settings) if in_braille => crate::profile::Medium::Braille(settings),
            None if in_braille => crate::profile::Medium::Braille(braille),
            Some(_) => {
                if let Some(b) = section.as_ref().and_then(|s| s.braille.as_ref()) {
                    diags
                        .error(
                            span(b.span()),
                            format!("the `{name}` edition is printed, not in braille"),
                        )
                        .hint("make a braille edition of your own: [profiles.NAME.braille]");
                }
                crate::profile::Medium::Print
            }
            None => crate::profile::Medium::Print,
        };
        let content = if name == "handout" || name == "braille-handout" {
            if let Some(listed) = section.as_ref().and_then(|s| s.chapters.as_ref()) {
                diags
                    .error(span(listed.span()), "the handout lists the appendix's organisations, not chapters")
                    .hint("remove chapters from [profiles.handout], or make a profile of your own for those chapters");
            }
            Content::Handout
        } else {
            Content::Chapters(chapters)
        };
        editions.push(Edition {
            name: name.to_string(),
            profile,
            content,
            medium,
        });
    }
    if sections.len() > MAX_OWN_PROFILES
        && let Some((name, _)) = sections.iter().nth(MAX_OWN_PROFILES)
    {
        diags
            .error(
                span(name.span()),
                format!("the book defines more than {MAX_OWN_PROFILES} profiles of its own"),
            )
            .hint("keep the editions you print; each one is laid out again by --profile all");
    }
    for (name, section) in sections.into_iter().take(MAX_OWN_PROFILES) {
        let valid = !name.get_ref().is_empty()
            && name.get_ref().len() <= 40
            && name
                .get_ref()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid || name.get_ref() == "all" {
            diags
                .error(
                    span(name.span()),
                    format!("`{}` cannot name a profile", name.get_ref()),
                )
                .hint("name it with lower-case letters, digits and hyphens (it becomes part of the PDF's file name), e.g. [profiles.pocket]");
            continue;
        }
        let profile = apply_settings(&section, book.clone(), name.get_ref(), file, diags);
        let chapters = chosen(&section, diags);
        let medium = match braille_of(Some(&section), diags) {
            Some(settings) => crate::profile::Medium::Braille(settings),
            None => crate::profile::Medium::Print,
        };
        editions.push(Edition {
            name: name.into_inner(),
            profile,
            content: Content::Chapters(chapters),
            medium,
        });
    }
    editions
}

/// The moment of the build, to the second (a clock before 1970 reads as 1970).
fn now() -> Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Timestamp::from_epoch(i64::try_from(secs).unwrap_or(0))
}

/// A UUID as URNs write it: 8-4-4-4-12 hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

const REFERENCE_HINT: &str = "see the book.toml reference in README.md";

/// The hint for a `book.toml` that does not read as TOML of its shape (inkfold's or mdBook's),
/// ending with where its keys are described (`reference`).
pub(crate) fn book_toml_hint(reference: &'static str) -> impl Fn(TomlFault) -> String {
    move |fault| match fault {
        TomlFault::UnknownField => format!("remove the key or correct its spelling; {reference}"),
        TomlFault::MissingField => format!("add the key; {reference}"),
        TomlFault::InvalidType | TomlFault::Other => reference.to_string(),
    }
}

/// Parses and checks `book.toml`. `source_date_epoch` is the value of `SOURCE_DATE_EPOCH`, if set.
pub fn parse(
    file: FileId,
    text: &str,
    source_date_epoch: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let raw: BookToml = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            crate::diag::toml_error(
                diags,
                file,
                text,
                &err,
                "book.toml",
                book_toml_hint(REFERENCE_HINT),
            );
            return None;
        }
    };
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    let book = raw.book;
    let errors_before = diags.has_errors();
    if book.chapters.get_ref().is_empty() {
        diags
            .error(span(book.chapters.span()), "the book lists no chapters")
            .hint("list the chapter files in reading order, e.g. chapters = [\"chapters/01.md\"]");
    }
    let mut chapters: Vec<ChapterEntry> = Vec::new();
    for entry in book.chapters.into_inner() {
        let entry_span = span(entry.span());
        let ChapterItemOrPath(item) = entry.into_inner();
        let lang = item.lang.and_then(|tag| {
            crate::lang::checked(tag.get_ref(), span(tag.span()), TagPlace::Chapter, diags)
        });
        let dir = item.dir.and_then(|dir| {
            let parsed = Direction::parse(dir.get_ref());
            if parsed.is_none() {
                diags
                    .error(span(dir.span()), format!("`{}` is not a direction", dir.get_ref()))
                    .hint("write dir = \"rtl\" or dir = \"ltr\", or leave it out to follow the language");
            }
            parsed
        });
        chapters.push(ChapterEntry {
            span: entry_span,
            path: item.path,
            lang,
            dir,
        });
    }
    let written = Written {
        title: book.title,
        subtitle: book.subtitle,
        authors: book.authors,
        language: book.language,
        identifier: book.identifier,
        description: book.description,
        keywords: book.keywords,
        rights: book.rights,
        publisher: book.publisher,
        cover: book.cover,
        cover_alt: book.cover_alt,
        date: Some(book.date),
        modified: book.modified,
        chapters,
        tables: Tables {
            accessibility: raw.accessibility,
            epub: raw.epub,
            pdf: raw.pdf,
            profiles: raw.profiles,
            appendix: raw.appendix,
            braille: raw.braille,
            code: raw.code,
        },
        table: "[book]",
    };
    settle(written, errors_before, file, source_date_epoch, diags)
}

/// Checks the settings a book gives (`book`, written in `file`) into a [`Config`]: every
/// problem is reported; `None` when there are errors and there were none before
/// (`errors_before`). `source_date_epoch` is the value of `SOURCE_DATE_EPOCH`, if set.
pub(crate) fn settle(
    book: Written,
    errors_before: bool,
    file: FileId,
    source_date_epoch: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Config> {
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    let raw = book.tables;
    let chapters = book.chapters;
    check_title(
        book.title.get_ref(),
        span(book.title.span()),
        "the book's title",
        diags,
    );
    if crate::chars::is_blank(book.title.get_ref()) {
        diags
            .error(
                span(book.title.span()),
                "the book has an empty title (nothing in it shows)",
            )
            .hint("give the title as it appears on the cover");
    }
    let lang = crate::lang::checked(
        book.language.get_ref(),
        span(book.language.span()),
        TagPlace::Book,
        diags,
    )
    .unwrap_or_else(|| Lang::parse("und").unwrap_or_default());
    if let Some(uuid) = book.identifier.get_ref().trim().strip_prefix("urn:uuid:")
        && !is_uuid(uuid)
    {
        diags
            .error(
                span(book.identifier.span()),
                format!("`{uuid}` is not a UUID"),
            )
            .hint("a urn:uuid: identifier holds 32 hexadecimal digits in groups of 8-4-4-4-12, e.g. urn:uuid:d0b83c6b-4b9e-4d4c-9a61-3c6d0d2f7e01");
    }
    if book.identifier.get_ref().trim().is_empty() {
        diags
            .error(
                span(book.identifier.span()),
                "the book has an empty identifier",
            )
            .hint("use a stable identifier such as `urn:uuid:…` or `urn:isbn:…`");
    }
    let epoch = source_date_epoch.map(|epoch| match epoch.trim().parse::<i64>() {
        Ok(secs) if Timestamp::from_epoch(secs).date.is_valid() => {
            Some(Timestamp::from_epoch(secs))
        }
        Ok(_) => {
            diags
                .error(
                    std::path::Path::new("SOURCE_DATE_EPOCH"),
                    format!("SOURCE_DATE_EPOCH `{epoch}` is a moment outside the years 0 to 9999"),
                )
                .hint("set it to whole seconds since 1970-01-01 of a date the outputs can write, or unset it");
            None
        }
        Err(_) => {
            diags
                .error(
                    std::path::Path::new("SOURCE_DATE_EPOCH"),
                    format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"),
                )
                .hint("set it to whole seconds since 1970-01-01, or unset it");
            None
        }
    });
    // The publication date: `None` when it is wrong (the error is reported), `Some(None)` when
    // the book gives none and nothing stands in for it.
    let date: Option<Option<Date>> = match &book.date {
        Some(date) => {
            let parsed = Date::parse(date.get_ref());
            if parsed.is_none() {
                diags
                    .error(
                        span(date.span()),
                        format!("`{}` is not a date of the form YYYY-MM-DD", date.get_ref()),
                    )
                    .hint("write the publication date as e.g. 2026-11-29: a day of the calendar, in the years 0 to 9999");
            }
            parsed.map(Some)
        }
        None => match epoch {
            Some(moment) => moment.map(|m| Some(m.date)),
            None => {
                diags
                    .warning(
                        span(book.title.span()),
                        "the book gives no date and SOURCE_DATE_EPOCH is not set: the outputs state no publication date, and they record the time of the build, so no two builds are the same",
                    )
                    .hint(format!("add date = \"YYYY-MM-DD\" (the publication date) to {}, or set SOURCE_DATE_EPOCH, for outputs that are the same at every build", book.table));
                Some(None)
            }
        },
    };
    let modified = match (epoch, &book.modified) {
        (Some(moment), _) => moment,
        (None, Some(modified)) => {
            let parsed = Timestamp::parse(modified.get_ref());
            if parsed.is_none() {
                diags
                    .error(
                        span(modified.span()),
                        format!(
                            "`{}` is not a timestamp of the form YYYY-MM-DDThh:mm:ssZ",
                            modified.get_ref()
                        ),
                    )
                    .hint("write e.g. 2026-11-29T12:00:00Z, in UTC");
            }
            parsed
        }
        (None, None) => date.map(|date| date.map_or_else(now, Date::at_midnight)),
    };
    let mut hazards = Vec::new();
    for hazard in raw.accessibility.hazards.unwrap_or_default() {
        match Hazard::parse(hazard.get_ref()) {
            Some(known) => hazards.push(known),
            None => {
                let names: Vec<&str> = Hazard::ALL.iter().map(|h| h.as_str()).collect();
                diags
                    .error(
                        span(hazard.span()),
                        format!("`{}` is not a known accessibility hazard", hazard.get_ref()),
                    )
                    .hint(format!("use one of: {}", names.join(", ")));
            }
        }
    }
    if hazards.is_empty() {
        hazards.push(Hazard::None);
    }

    // Where `[profiles.book]` chooses chapters, for the error below.
    let book_chapters = raw
        .profiles
        .iter()
        .find(|(name, _)| name.get_ref() == "book")
        .and_then(|(_, section)| section.chapters.as_ref().map(|c| c.span()));
    let braille = apply_braille(
        &raw.braille.unwrap_or_default(),
        crate::profile::Braille::default(),
        file,
        diags,
    );
    let editions = editions(&raw.pdf, braille, raw.profiles, &chapters, file, diags);
    if book.rights.as_deref().is_none_or(|r| r.trim().is_empty()) {
        diags
            .warning(
                span(book.title.span()),
                "the book states no rights: who may copy it, and on what terms",
            )
            .hint(format!("add rights = \"…\" to {}: a copyright notice (\"© 2026 Name\") or a licence (\"CC BY 4.0\"); the colophon prints it, and without it nothing is said", book.table));
    }
    let cover = match (book.cover, book.cover_alt) {
        (Some(path), Some(alt)) if !alt.get_ref().trim().is_empty() => Some((
            ChapterEntry {
                span: span(path.span()),
                path: path.into_inner(),
                lang: None,
                dir: None,
            },
            alt.into_inner().trim().to_string(),
        )),
        (Some(path), _) => {
            diags
                .error(span(path.span()), "the cover image has no alt text")
                .hint("describe the cover for readers who cannot see it: cover-alt = \"A child's hand in an adult's, on a blue ground\"");
            None
        }
        (None, Some(alt)) => {
            diags
                .error(
                    span(alt.span()),
                    "`cover-alt` describes a cover the book does not have",
                )
                .hint("add cover = \"images/cover.jpg\", or remove cover-alt");
            None
        }
        (None, None) => None,
    };
    let page_numbers = match &raw.epub.page_numbers {
        None => 0,
        Some(name) => match editions.iter().position(|e| e.name == *name.get_ref()) {
            Some(index) => index,
            None => {
                let names: Vec<&str> = editions.iter().map(|e| e.name.as_str()).collect();
                diags
                    .error(
                        span(name.span()),
                        format!(
                            "there is no profile `{}` for the e-book's page numbers",
                            name.get_ref()
                        ),
                    )
                    .hint(format!("name one of: {}", names.join(", ")));
                0
            }
        },
    };
    if let (Some(edition), Some(name)) = (editions.get(page_numbers), &raw.epub.page_numbers)
        && edition.content != Content::Chapters(None)
    {
        diags
            .error(
                span(name.span()),
                format!("the profile `{}` does not print every chapter", name.get_ref()),
            )
            .hint("the e-book's page numbers follow an edition of every chapter; name one without chapters = [...] (not the handout)");
    }
    // Unnamed, they follow the `book` edition: it must print every chapter too, or the
    // chapters it leaves out would have no page markers under the e-book's page list.
    if raw.epub.page_numbers.is_none()
        && let Some(edition) = editions.first()
        && edition.content != Content::Chapters(None)
    {
        diags
            .error(
                span(book_chapters.unwrap_or(0..0)),
                format!("the `{}` edition does not print every chapter, and the e-book's page numbers follow it", edition.name),
            )
            .hint("name an edition of every chapter for them in book.toml, [epub] page-numbers = \"a4\", or let [profiles.book] print every chapter");
    }
    let appendix = raw.appendix.map(|a| appendix_config(a, file, diags));
    if diags.has_errors() && !errors_before {
        return None;
    }
    Some(Config {
        meta: Meta {
            title: book.title.into_inner(),
            subtitle: book.subtitle,
            authors: book.authors,
            lang,
            identifier: book.identifier.into_inner(),
            description: book.description,
            keywords: book.keywords,
            rights: book.rights,
            publisher: book.publisher,
            date: date?,
            modified: modified?,
            a11y: Accessibility {
                summary: raw.accessibility.summary,
                hazards,
                certified_by: raw.accessibility.certified_by,
            },
        },
        chapters,
        epub: EpubOptions {
            embed_fonts: raw.epub.embed_fonts,
            page_numbers,
        },
        profile: editions[0].profile.clone(),
        editions,
        cover,
        highlight: raw.code.highlight,
        appendix: match appendix {
            Some(appendix) => Some(appendix?),
            None => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;
    use crate::profile::Medium;

    fn parse_text(text: &str, epoch: Option<&str>) -> (Option<Config>, Vec<String>) {
        let mut map = SourceMap::default();
        let file = map.add("book.toml".into(), text.into());
        let mut diags = Diagnostics::default();
        let config = parse(file, text, epoch, &mut diags);
        let problems = diags
            .resolve(&map)
            .into_iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect();
        (config, problems)
    }

    const GOOD: &str = r#"[book]
title = "A Book"
language = "en"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
date = "2026-01-02"
chapters = ["a.md"]
rights = "CC BY 4.0"
"#;

    #[test]
    fn profiles_derive_from_the_book_and_change_what_they_name() {
        let text = format!(
            "{GOOD}\n[pdf]\nfont-size = 11\n\n[profiles.large-print]\nfont-size = 22\n\n[profiles.pocket]\npage-size = \"4in x 6in\"\nmargins = \"10mm\"\nfont-size = 10\ntwo-sided = false\nchapters = [\"./a.md\"]\n\n[epub]\npage-numbers = \"pocket\"\n"
        );
        let (config, problems) = parse_text(&text, None);
        assert_eq!(
            problems,
            ["23:16: the profile `pocket` does not print every chapter"],
            "page numbers must follow a whole edition"
        );
        assert!(config.is_none());
        let (config, problems) = parse_text(&text.replace("\"pocket\"\n", "\"a4\"\n"), None);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.expect("config");
        let names: Vec<&str> = config.editions.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "book",
                "a4",
                "letter",
                "large-print",
                "booklet",
                "handout",
                "braille",
                "braille-handout",
                "pocket"
            ]
        );
        let [
            book,
            a4,
            letter,
            large,
            booklet,
            handout,
            braille,
            braille_handout,
            pocket,
        ] = &config.editions[..]
        else {
            panic!("nine editions");
        };
        let defaults = Medium::Braille(crate::profile::Braille::default());
        assert_eq!(
            (braille.medium, braille_handout.medium),
            (defaults, defaults)
        );
        assert_eq!(braille_handout.content, Content::Handout);
        assert!(
            [book, a4, letter, large, booklet, handout, pocket]
                .iter()
                .all(|e| e.medium == Medium::Print)
        );
        assert_eq!(handout.content, Content::Handout);
        assert!(!handout.profile.front_matter && book.profile.front_matter);
        assert_eq!(booklet.profile.sheet, Some((595.28, 841.89)));
        assert_eq!(booklet.profile.font_size, book.profile.font_size);
        assert!(book.profile.sheet.is_none() && pocket.profile.sheet.is_none());
        assert_eq!(config.epub.page_numbers, 1);
        assert_eq!(
            (book.profile.font_size, book.profile.page_width),
            (11.0, 419.53)
        );
        assert!(book.profile.two_sided && book.content == Content::Chapters(None));
        // Office paper: the book's type, single-sided.
        assert_eq!(
            (a4.profile.page_width, a4.profile.font_size),
            (595.28, 11.0)
        );
        assert!(!a4.profile.two_sided && !letter.profile.two_sided);
        assert_eq!(a4.profile.text_left(0), a4.profile.text_left(1));
        assert_eq!(letter.profile.page_width, 612.0);
        // Large print: the book's own section raises the size further; the rest stays.
        assert_eq!(large.profile.font_size, 22.0);
        assert!(large.profile.line_spacing >= 1.5 && !large.profile.justify);
        assert!(!large.profile.hyphenate && large.profile.small_scale >= 1.0);
        assert_eq!(large.profile.emphasis, crate::profile::Emphasis::Bold);
        assert_eq!(
            (pocket.profile.page_width, pocket.profile.font_size),
            (288.0, 10.0)
        );
        assert_eq!(pocket.chapters(), Some(&["a.md".to_string()][..]));
        for (bad, message) in [
            ("[profiles.Big]\n", "`Big` cannot name a profile"),
            ("[profiles.all]\n", "`all` cannot name a profile"),
            (
                "[profiles.x]\nchapters = [\"b.md\"]\n",
                "`b.md` is not one of the book's chapters",
            ),
            (
                "[profiles.x]\nchapters = []\n",
                "the profile prints no chapter",
            ),
            ("[profiles.x]\ncolour = true\n", "unknown field `colour`"),
            (
                "[pdf]\nchapters = [\"a.md\"]\n",
                "[pdf] settings apply to every chapter",
            ),
            ("[epub]\npage-numbers = \"x\"\n", "there is no profile `x`"),
            ("[pdf]\nsheet = \"A4\"\n", "[pdf] is the book's own pages"),
            (
                "[profiles.x]\nsheet = \"A0-ish\"\n",
                "`A0-ish` is not a paper size",
            ),
        ] {
            let (config, problems) = parse_text(&format!("{GOOD}{bad}"), None);
            assert!(config.is_none(), "{bad}");
            assert!(
                problems.iter().any(|p| p.contains(message)),
                "{bad}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_book_without_rights_is_warned_of_and_a_cover_needs_its_alt_text() {
        let (config, problems) = parse_text(&GOOD.replace("rights = \"CC BY 4.0\"\n", ""), None);
        assert!(config.is_some());
        assert_eq!(
            problems,
            ["2:9: the book states no rights: who may copy it, and on what terms"]
        );
        let with_cover = GOOD.replace("[book]\n", "[book]\ncover = \"images/cover.png\"\n");
        let (config, problems) = parse_text(&with_cover, None);
        assert!(config.is_none());
        assert_eq!(problems, ["2:9: the cover image has no alt text"]);
        let (config, problems) = parse_text(
            &with_cover.replace("[book]\n", "[book]\ncover-alt = \"A red door\"\n"),
            None,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let (entry, alt) = config.and_then(|c| c.cover).expect("a cover");
        assert_eq!(
            (entry.path.as_str(), alt.as_str()),
            ("images/cover.png", "A red door")
        );
        let (_, problems) = parse_text(
            &GOOD.replace("[book]\n", "[book]\ncover-alt = \"A red door\"\n"),
            None,
        );
        assert_eq!(
            problems,
            ["2:13: `cover-alt` describes a cover the book does not have"]
        );
    }

    #[test]
    fn braille_settings_apply_to_the_braille_editions_and_are_checked() {
        let text = format!(
            "{GOOD}\n[braille]\ncells = 32\ngrade = 1\n\n[profiles.braille]\nchapters = [\"a.md\"]\n\n[profiles.display.braille]\nlines = 9\nduplex = true\n"
        );
        let (config, problems) = parse_text(&text, None);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.expect("config");
        let medium = |name: &str| {
            config
                .editions
                .iter()
                .find(|e| e.name == name)
                .map(|e| e.medium)
        };
        let from_book = crate::profile::Braille {
            cells: 32,
            grade: crate::profile::BrailleGrade::Uncontracted,
            ..crate::profile::Braille::default()
        };
        assert_eq!(medium("braille"), Some(Medium::Braille(from_book)));
        assert_eq!(
            medium("display"),
            Some(Medium::Braille(crate::profile::Braille {
                lines: 9,
                duplex: true,
                ..from_book
            }))
        );
        for (bad, message) in [
            (
                "[braille]\ncells = 81\n",
                "81 cells per line is out of range",
            ),
            ("[braille]\nlines = 3\n", "3 lines per page is out of range"),
            ("[braille]\ngrade = 3\n", "there is no braille grade 3"),
            ("[braille]\nwidth = 3\n", "unknown field `width`"),
            ("[pdf.braille]\n", "[pdf] is the book's print settings"),
            (
                "[profiles.a4.braille]\n",
                "the `a4` edition is printed, not in braille",
            ),
        ] {
            let (_, problems) = parse_text(&format!("{GOOD}\n{bad}"), None);
            assert!(
                problems.iter().any(|p| p.contains(message)),
                "{bad}: {problems:?}"
            );
        }
    }

    #[test]
    fn a_book_defines_at_most_24_profiles() {
        let profiles = |n: usize| -> String {
            (0..n)
                .map(|i| format!("\n[profiles.p{i:02}]\nfont-size = 11\n"))
                .collect()
        };
        let (config, problems) = parse_text(&format!("{GOOD}{}", profiles(MAX_OWN_PROFILES)), None);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            config.expect("config").editions.len(),
            BUILT_IN.len() + MAX_OWN_PROFILES
        );
        let (config, problems) =
            parse_text(&format!("{GOOD}{}", profiles(MAX_OWN_PROFILES + 1)), None);
        assert!(config.is_none());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("more than 24 profiles"),
            "{problems:?}"
        );
    }

    #[test]
    fn chapters_may_give_their_language_and_direction() {
        let text = GOOD.replace(
            "chapters = [\"a.md\"]",
            "chapters = [\"a.md\", { path = \"b.md\", lang = \"ar\" }, { path = \"c.md\", lang = \"he\", dir = \"RTL\" }, { path = \"d.md\", dir = \"ltr\" }]",
        );
        let (config, problems) = parse_text(&text, None);
        assert!(problems.is_empty(), "{problems:?}");
        let chapters = config.expect("config").chapters;
        let given: Vec<(&str, Option<&str>, Option<Direction>)> = chapters
            .iter()
            .map(|c| (c.path.as_str(), c.lang.as_ref().map(Lang::as_str), c.dir))
            .collect();
        assert_eq!(
            given,
            [
                ("a.md", None, None),
                ("b.md", Some("ar"), None),
                ("c.md", Some("he"), Some(Direction::Rtl)),
                ("d.md", None, Some(Direction::Ltr)),
            ]
        );
        for (entry, message) in [
            (
                "{ path = \"b.md\", lang = \"english\" }",
                "`english` is not a valid language tag",
            ),
            (
                "{ path = \"b.md\", dir = \"up\" }",
                "`up` is not a direction",
            ),
            (
                "{ path = \"b.md\", language = \"fr\" }",
                "unknown field `language`",
            ),
            ("{ lang = \"fr\" }", "missing field `path`"),
            ("42", "a chapter's path, or a table"),
        ] {
            let text = GOOD.replace("chapters = [\"a.md\"]", &format!("chapters = [{entry}]"));
            let (config, problems) = parse_text(&text, None);
            assert!(config.is_none(), "{entry}");
            assert!(
                problems
                    .iter()
                    .any(|p| p.contains(message) && p.starts_with("6:")),
                "{entry}: {problems:?}"
            );
        }
    }

    #[test]
    fn good_config_parses_with_defaults() {
        let (config, problems) = parse_text(GOOD, None);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.expect("config");
        assert_eq!(config.meta.modified.to_string(), "2026-01-02T00:00:00Z");
        assert_eq!(config.meta.a11y.hazards, [Hazard::None]);
        assert!(config.epub.embed_fonts);
        assert_eq!(config.chapters[0].path, "a.md");
    }

    #[test]
    fn source_date_epoch_sets_modified() {
        let (config, _) = parse_text(GOOD, Some("1700000000"));
        assert_eq!(
            config.expect("config").meta.modified.to_string(),
            "2023-11-14T22:13:20Z"
        );
    }

    #[test]
    fn the_book_and_appendix_titles_have_at_most_300_characters() {
        let with = |book: usize, appendix: usize| {
            let text = GOOD.replace("A Book", &"B".repeat(book));
            let text = format!(
                "{text}\n[appendix]\ntitle = \"{}\"\ndata = [\"d.toml\"]\n",
                "A".repeat(appendix)
            );
            parse_text(&text, None)
        };
        let (config, problems) = with(MAX_TITLE_CHARS, MAX_TITLE_CHARS);
        assert!(config.is_some(), "{problems:?}");
        let (config, problems) = with(MAX_TITLE_CHARS + 1, MAX_TITLE_CHARS + 1);
        assert!(config.is_none());
        assert_eq!(
            problems,
            [
                "2:9: the book's title is 301 characters long; a title may have at most 300",
                "10:9: the appendix's title is 301 characters long; a title may have at most 300",
            ]
        );
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let (config, problems) = parse_text(&format!("{GOOD}colour = \"red\"\n"), None);
        assert!(config.is_none());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("8:1: book.toml: unknown field `colour`"),
            "{problems:?}"
        );
    }

    #[test]
    fn bad_values_are_all_reported() {
        let text = GOOD
            .replace("\"en\"", "\"e n\"")
            .replace("2026-01-02", "2 Jan 2026");
        let (config, problems) = parse_text(&text, None);
        assert!(config.is_none());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("3:12:"));
        assert!(problems[1].starts_with("5:8:"));
    }

    #[test]
    fn pdf_settings_parse_lengths_and_sizes() {
        let text = format!(
            "{GOOD}\n[pdf]\npage-size = \"6in x 9in\"\nmargins = {{ top = \"1cm\", bottom = \"20mm\", inner = \"0.5in\", outer = \"36pt\" }}\nfont-size = 14\njustify = false\n"
        );
        let (config, problems) = parse_text(&text, None);
        assert!(problems.is_empty(), "{problems:?}");
        let pdf = config.expect("config").profile;
        assert_eq!((pdf.page_width, pdf.page_height), (432.0, 648.0));
        assert!((pdf.margin_top - 28.346).abs() < 0.01);
        assert_eq!((pdf.margin_inner, pdf.margin_outer), (36.0, 36.0));
        assert_eq!(pdf.font_size, 14.0);
        assert!(!pdf.justify && pdf.hyphenate);
        let (config, problems) = parse_text(
            &format!("{GOOD}\n[pdf]\npage-size = \"A7 or so\"\nfont-size = 90\n"),
            None,
        );
        assert!(config.is_none());
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn the_page_numbers_follow_an_edition_of_every_chapter_named_or_not() {
        let text = |epub: &str| {
            format!(
                "{}\n[profiles.book]\nchapters = [\"a.md\"]\n{epub}",
                GOOD.replace("chapters = [\"a.md\"]", "chapters = [\"a.md\", \"b.md\"]")
            )
        };
        let (config, problems) = parse_text(&text(""), None);
        assert!(config.is_none());
        assert!(
            problems[0].contains("the `book` edition does not print every chapter"),
            "{problems:?}"
        );
        let (config, problems) = parse_text(&text("\n[epub]\npage-numbers = \"a4\"\n"), None);
        assert!(config.is_some(), "{problems:?}");
    }

    #[test]
    fn sheets_are_at_least_an_inch_a_side() {
        for (sheet, allowed) in [
            ("72pt x 72pt", true),
            ("1in x 1in", true),
            ("71pt x 600pt", false),
            ("600pt x 71pt", false),
            ("1pt x 1pt", false),
        ] {
            let (config, problems) = parse_text(
                &format!("{GOOD}\n[profiles.booklet]\nsheet = \"{sheet}\"\n"),
                None,
            );
            assert_eq!(config.is_some(), allowed, "{sheet}: {problems:?}");
            assert!(
                allowed || problems[0].contains("smaller than a printer can take"),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn a_margin_error_is_at_the_margins() {
        let (config, problems) = parse_text(
            &format!("{GOOD}\n[pdf]\npage-size = \"A5\"\nmargins = \"70mm\"\n"),
            None,
        );
        assert!(config.is_none());
        let line = GOOD.lines().count() + 4;
        assert!(
            problems[0].starts_with(&format!("{line}:")) && problems[0].contains("too little room"),
            "{problems:?}"
        );
    }

    #[test]
    fn pages_are_at_most_200_inches_a_side() {
        for (size, allowed) in [
            ("14400pt x 600pt", true),
            ("14401pt x 600pt", false),
            ("600pt x 14400pt", true),
            ("600pt x 14401pt", false),
            ("100000in x 11in", false),
        ] {
            let (config, problems) =
                parse_text(&format!("{GOOD}\n[pdf]\npage-size = \"{size}\"\n"), None);
            assert_eq!(config.is_some(), allowed, "{size}: {problems:?}");
            assert!(
                allowed || problems[0].contains("larger than a PDF page"),
                "{problems:?}"
            );
        }
    }

    #[test]
    fn impossible_dates_and_identifiers_are_refused() {
        let text = GOOD.replace("2026-01-02", "2026-02-31").replace(
            "urn:uuid:00000000-0000-4000-8000-000000000001",
            "urn:uuid:not-a-uuid",
        );
        let (config, problems) = parse_text(&text, None);
        assert!(config.is_none());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("`not-a-uuid` is not a UUID"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("`2026-02-31` is not a date"))
        );
        let (config, problems) = parse_text(GOOD, Some("253402300800"));
        assert!(config.is_none());
        assert!(
            problems[0].contains("outside the years 0 to 9999"),
            "{problems:?}"
        );
        assert!(parse_text(GOOD, Some("253402300799")).0.is_some());
    }
}
