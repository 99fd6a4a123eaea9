//! An mdBook's `book.toml`: its text in, the book's settings as written ([`BookToml`]) out, and
//! with the chapters the SUMMARY lists, checked settings ([`BookToml::settle`], a [`Config`]).
//!
//! mdBook's `[book]` gives the title, authors, description, language (`en` when absent, as
//! mdBook), text direction and source folder; `[output.inkfold]` takes every key of inkfold's
//! own `[book]` (bar `chapters`, which the SUMMARY gives) and its tables (`[output.inkfold.pdf]`,
//! `[output.inkfold.profiles.NAME]` …), checked by [`crate::config`] with spans into the real
//! file. Other sections are mdBook's or its plugins' and are not read; an unknown `[book]` key
//! is a warning, since older mdBooks took keys newer ones refuse.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;

use crate::config::{
    AccessibilitySection, AppendixSection, BrailleSection, ChapterEntry, CodeSection, Config,
    EpubSection, PdfSection, Tables, Written,
};
use crate::diag::{Diagnostics, FileId, Span};
use crate::lang::Direction;

/// The shape of an mdBook's `book.toml` that inkfold reads; every other table is left alone.
#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(default)]
    book: BookTable,
    #[serde(default)]
    output: OutputTable,
}

/// mdBook's `[book]`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct BookTable {
    title: Option<Spanned<String>>,
    #[serde(default)]
    authors: Vec<String>,
    description: Option<String>,
    src: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    text_direction: Option<Spanned<String>>,
}

/// The keys of `[book]` mdBook 0.5 knows.
const BOOK_KEYS: [&str; 6] = [
    "title",
    "authors",
    "description",
    "src",
    "language",
    "text-direction",
];

/// The keys of `[book]` as written, each with its span: to warn of those not known.
#[derive(Debug, Deserialize)]
struct BookKeys {
    #[serde(default)]
    book: BTreeMap<Spanned<String>, IgnoredAny>,
}

/// The tables mdBook 0.5 takes at the top of `book.toml`; it refuses any other key there.
const TOP_TABLES: [&str; 5] = ["book", "build", "rust", "output", "preprocessor"];

/// The book's settings as mdBook before 0.5 also read them: at the top of the file, not in
/// `[book]` (`source` for `src`). mdBook 0.4 read them as it read `[book]`'s; 0.5 refuses
/// the file. A value of another type is not read, as mdBook 0.4 left it.
#[derive(Debug, Default, Deserialize)]
struct OldLayout {
    title: Option<Spanned<String>>,
    authors: Option<Vec<String>>,
    description: Option<String>,
    source: Option<Spanned<String>>,
}

/// The old layout's keys, and the `[book]` key each stands for.
const OLD_LAYOUT_KEYS: [(&str, &str); 4] = [
    ("title", "title"),
    ("authors", "authors"),
    ("description", "description"),
    ("source", "src"),
];

/// The book's settings written at the top of the file (mdBook's old layout), each warned of
/// where it stands; other keys there are warned of as not read.
fn old_layout(
    text: &str,
    span: impl Fn(std::ops::Range<usize>) -> Span,
    diags: &mut Diagnostics,
) -> OldLayout {
    let Ok(keys) = toml::from_str::<BTreeMap<Spanned<String>, IgnoredAny>>(text) else {
        return OldLayout::default();
    };
    let mut old = false;
    for key in keys.keys() {
        let name = key.get_ref().as_str();
        if TOP_TABLES.contains(&name) {
            continue;
        }
        match OLD_LAYOUT_KEYS.iter().find(|(top, _)| *top == name) {
            Some((_, in_book)) => {
                old = true;
                diags
                    .warning(
                        span(key.span()),
                        format!("`{name}` at the top of book.toml is mdBook's old layout; it is read as `{in_book}` in [book]"),
                    )
                    .hint(format!("mdBook 0.5 refuses the old layout: move it under [book] as `{in_book}`"));
            }
            None => {
                diags
                    .warning(
                        span(key.span()),
                        format!("`{name}` is not a table of mdBook's book.toml; it is not read"),
                    )
                    .hint(match name {
                        "author" => "mdBook 0.5 refuses it too: write `authors = [\"…\"]` under [book]",
                        _ => "mdBook 0.5 refuses it too: remove it; inkfold's own settings go in [output.inkfold]",
                    });
            }
        }
    }
    if !old {
        return OldLayout::default();
    }
    toml::from_str(text).unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
struct OutputTable {
    html: Option<HtmlTable>,
    inkfold: Option<InkfoldTable>,
}

/// The keys of mdBook's HTML settings inkfold follows: whether chapters show their numbers,
/// which lines of code are hidden, and whether the text holds MathJax math.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct HtmlTable {
    #[serde(default)]
    no_section_label: bool,
    #[serde(default)]
    mathjax_support: bool,
    #[serde(default)]
    code: CodeTable,
}

/// `[output.html.code]`: the hidden-line prefix of each language (`hidelines = { python = "~" }`).
#[derive(Debug, Default, Deserialize)]
struct CodeTable {
    #[serde(default)]
    hidelines: BTreeMap<String, String>,
}

/// `[output.inkfold]`: inkfold's own settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct InkfoldTable {
    title: Option<Spanned<String>>,
    subtitle: Option<String>,
    authors: Option<Vec<String>>,
    language: Option<Spanned<String>>,
    identifier: Option<Spanned<String>>,
    description: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    rights: Option<String>,
    publisher: Option<String>,
    cover: Option<Spanned<String>>,
    cover_alt: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    modified: Option<Spanned<String>>,
    /// Show mdBook's chapter numbers ("1.2.") before chapter titles (the default).
    section_numbers: Option<bool>,
    /// mdBook's keys for every renderer: the command to run and whether it may be missing.
    #[allow(dead_code)]
    command: Option<IgnoredAny>,
    #[allow(dead_code)]
    optional: Option<IgnoredAny>,
    #[serde(default)]
    accessibility: AccessibilitySection,
    #[serde(default)]
    epub: EpubSection,
    #[serde(default)]
    pdf: PdfSection,
    #[serde(default)]
    profiles: BTreeMap<Spanned<String>, PdfSection>,
    appendix: Option<AppendixSection>,
    braille: Option<BrailleSection>,
    #[serde(default)]
    code: CodeSection,
}

/// An mdBook's settings as written, before the chapters are known.
#[derive(Debug)]
pub struct BookToml {
    /// The source folder, relative to the project (`src` unless `[book] src` says otherwise),
    /// and where it is written.
    pub src: String,
    pub src_span: Span,
    /// The book's title in `book.toml`, when the file gives the book no language (mdBook's
    /// `en` is used).
    pub language_assumed: Option<Span>,
    /// Show the chapter numbers: not when `output.html.no-section-label = true` or
    /// `[output.inkfold] section-numbers = false` (this one wins).
    pub section_numbers: bool,
    /// The direction of the book's text, when `text-direction` gives one.
    pub direction: Option<Direction>,
    /// How the chapters' Markdown is read: mdBook's hidden lines and math settings.
    pub markdown: crate::markdown::MdBookOptions,
    written: Written,
    file: FileId,
    /// Whether reading the file found errors (a bad direction): then there are no settings.
    read_errors: bool,
}

const REFERENCE_HINT: &str = "see \"From mdBook\" in inkfold's README.md";

/// Reads an mdBook's `book.toml` (`text`, the file `file`); `None`, with the problem, when it
/// is not TOML of mdBook's shape.
pub fn read(file: FileId, text: &str, diags: &mut Diagnostics) -> Option<BookToml> {
    let errors_before = diags.has_errors();
    let raw: Raw = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(err) => {
            crate::diag::toml_error(
                diags,
                file,
                text,
                &err,
                "book.toml",
                crate::config::book_toml_hint(REFERENCE_HINT),
            );
            return None;
        }
    };
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    if let Ok(keys) = toml::from_str::<BookKeys>(text) {
        for key in keys.book.keys() {
            if !BOOK_KEYS.contains(&key.get_ref().as_str()) {
                diags
                    .warning(
                        span(key.span()),
                        format!("`{}` is not a key of mdBook's [book]; it is not read", key.get_ref()),
                    )
                    .hint("mdBook 0.5 refuses it too: remove it, or write `authors = [\"…\"]` for `author`; inkfold's own settings go in [output.inkfold]");
            }
        }
    }
    let old = old_layout(text, span, diags);
    let book = BookTable {
        title: raw.book.title.or(old.title),
        authors: match raw.book.authors.is_empty() {
            true => old.authors.unwrap_or_default(),
            false => raw.book.authors,
        },
        description: raw.book.description.or(old.description),
        src: raw.book.src.or(old.source),
        ..raw.book
    };
    let ink = raw.output.inkfold.unwrap_or_default();
    let direction = book.text_direction.and_then(|dir| {
        let parsed = Direction::parse(dir.get_ref());
        if parsed.is_none() {
            diags
                .error(
                    span(dir.span()),
                    format!("`{}` is not a text direction", dir.get_ref()),
                )
                .hint("write text-direction = \"rtl\" or \"ltr\", or leave it out to follow the language");
        }
        parsed
    });
    let html = raw.output.html.unwrap_or_default();
    let section_numbers = ink.section_numbers.unwrap_or(!html.no_section_label);
    let markdown = crate::markdown::MdBookOptions {
        hidelines: html.code.hidelines,
        mathjax: html.mathjax_support,
        ..Default::default()
    };
    let title = ink
        .title
        .or(book.title)
        .unwrap_or_else(|| Spanned::new(0..0, String::new()));
    let authors = ink.authors.unwrap_or(book.authors);
    let identifier = match ink.identifier {
        Some(identifier) => identifier,
        None => {
            let derived = derived_identifier(title.get_ref(), &authors);
            diags
                .warning(
                    span(title.span()),
                    format!("the book gives no identifier; `{derived}`, made from its title and authors, is used"),
                )
                .hint(format!("give the book its own under [output.inkfold]: identifier = \"urn:isbn:…\" for an ISBN, or identifier = \"{derived}\" to keep this one when the title or authors change"));
            Spanned::new(title.span(), derived)
        }
    };
    let (src, src_span) = match book.src {
        Some(src) => (src.get_ref().clone(), span(src.span())),
        None => ("src".to_string(), span(0..0)),
    };
    // Pointed at the title, beside which the language goes.
    let language_assumed =
        (ink.language.is_none() && book.language.is_none()).then(|| span(title.span()));
    let written = Written {
        language: ink
            .language
            .or(book.language)
            .unwrap_or_else(|| Spanned::new(0..0, "en".to_string())),
        title,
        subtitle: ink.subtitle,
        authors,
        identifier,
        description: ink.description.or(book.description),
        keywords: ink.keywords,
        rights: ink.rights,
        publisher: ink.publisher,
        cover: ink.cover,
        cover_alt: ink.cover_alt,
        date: ink.date,
        modified: ink.modified,
        chapters: Vec::new(),
        tables: Tables {
            accessibility: ink.accessibility,
            epub: ink.epub,
            pdf: ink.pdf,
            profiles: ink.profiles,
            appendix: ink.appendix,
            braille: ink.braille,
            code: ink.code,
        },
        table: "[output.inkfold]",
    };
    Some(BookToml {
        src,
        src_span,
        section_numbers,
        direction,
        markdown,
        written,
        file,
        language_assumed,
        read_errors: diags.has_errors() && !errors_before,
    })
}

impl BookToml {
    /// The checked settings, the book's chapters being `chapters` (paths relative to the
    /// source folder, as the SUMMARY lists them); `None` when they have errors. Problems found
    /// since reading the file (in the SUMMARY) do not stop them: the chapters are still read.
    pub fn settle(
        self,
        chapters: Vec<ChapterEntry>,
        source_date_epoch: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Option<Config> {
        let written = Written {
            chapters,
            ..self.written
        };
        let errors_before = diags.has_errors() && !self.read_errors;
        crate::config::settle(written, errors_before, self.file, source_date_epoch, diags)
            .filter(|_| !self.read_errors)
    }
}

/// A `urn:uuid:` made from the title and authors: the same for the same book on every
/// machine and at every build. Its 128 bits are FNV-1a's (a published hash, fixed here, unlike
/// the standard library's), marked as a UUID of version 8 (RFC 9562: made by its own method).
fn derived_identifier(title: &str, authors: &[String]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash = OFFSET;
    let text = std::iter::once(title.trim())
        .chain(authors.iter().map(|a| a.trim()))
        .collect::<Vec<_>>()
        .join("\n");
    for byte in text.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    // Version 8 in bits 48–51, variant 0b10 in bits 64–65, counted from the most significant.
    let hash = (hash & !(0xF << 76) | (0x8 << 76)) & !(0b11 << 62) | (0b10 << 62);
    let hex = format!("{hash:032x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

    /// The source folder, section numbers and direction read, the settings checked with one
    /// chapter, `intro.md`, and the problems as `line:column: message`.
    type Settled = ((String, bool, Option<Direction>), Config);

    fn settle(text: &str, epoch: Option<&str>) -> (Option<Settled>, Vec<String>) {
        let mut map = SourceMap::default();
        let file = map.add("book.toml".into(), text.into());
        let mut diags = Diagnostics::default();
        let result = read(file, text, &mut diags).and_then(|toml| {
            let chapters = vec![ChapterEntry {
                path: "intro.md".into(),
                span: Span::new(file, 0..0),
                lang: None,
                dir: None,
            }];
            let read = (toml.src.clone(), toml.section_numbers, toml.direction);
            toml.settle(chapters, epoch, &mut diags).map(|c| (read, c))
        });
        let problems = diags
            .resolve(&map)
            .into_iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect();
        (result, problems)
    }

    const MDBOOK: &str = "[book]\ntitle = \"A Guide\"\nauthors = [\"Ann\", \"Bo\"]\n\n[output.html]\ngit-repository-url = \"https://example.org\"\n\n[preprocessor.admonish]\ncommand = \"mdbook-admonish\"\n\n[build]\ncreate-missing = false\n";

    #[test]
    fn a_plain_mdbook_builds_with_defaults_and_says_what_it_made_up() {
        let (result, problems) = settle(MDBOOK, Some("1700000000"));
        let (toml, config) = result.expect("settings");
        assert_eq!(config.meta.lang.as_str(), "en");
        assert_eq!(config.meta.authors, ["Ann", "Bo"]);
        assert_eq!(
            config.meta.date.map(|d| d.to_string()).as_deref(),
            Some("2023-11-14")
        );
        assert!(config.meta.identifier.starts_with("urn:uuid:"));
        assert_eq!((toml.0.as_str(), toml.1), ("src", true));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("2:9: the book gives no identifier; `urn:uuid:"));
        assert!(problems[1].starts_with("2:9: the book states no rights"));
        // Stable: the same title and authors give the same identifier, others another.
        let (again, _) = settle(MDBOOK, None);
        assert_eq!(
            again.expect("settings").1.meta.identifier,
            config.meta.identifier
        );
        let (other, _) = settle(&MDBOOK.replace("\"Bo\"", "\"Cy\""), None);
        assert_ne!(
            other.expect("settings").1.meta.identifier,
            config.meta.identifier
        );
    }

    #[test]
    fn the_identifier_is_a_version_8_uuid() {
        let id = derived_identifier("A Guide", &["Ann".into()]);
        let uuid = id.strip_prefix("urn:uuid:").expect("a urn:uuid:");
        let groups: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('8'), "{id}");
        assert!(
            matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
            "{id}"
        );
    }

    #[test]
    fn without_a_date_or_source_date_epoch_the_build_is_not_reproducible() {
        let (result, problems) = settle(MDBOOK, None);
        // No publication date is made up.
        assert_eq!(result.map(|c| c.1.meta.date), Some(None));
        assert!(
            problems
                .iter()
                .any(|p| p.contains("the book gives no date and SOURCE_DATE_EPOCH is not set")),
            "{problems:?}"
        );
    }

    #[test]
    fn output_inkfold_takes_inkfold_settings_with_spans_into_the_file() {
        let text = format!(
            "{MDBOOK}\n[output.inkfold]\nidentifier = \"urn:isbn:9780000000002\"\ndate = \"2026-01-02\"\nrights = \"CC BY 4.0\"\nlanguage = \"de\"\n\n[output.inkfold.pdf]\nfont-size = 11\n\n[output.inkfold.profiles.pocket]\nchapters = [\"intro.md\"]\n"
        );
        let (result, problems) = settle(&text, None);
        assert!(problems.is_empty(), "{problems:?}");
        let (_, config) = result.expect("settings");
        assert_eq!(config.meta.identifier, "urn:isbn:9780000000002");
        assert_eq!(
            config.meta.date.map(|d| d.to_string()).as_deref(),
            Some("2026-01-02")
        );
        assert_eq!(config.meta.lang.as_str(), "de");
        assert_eq!(config.profile.font_size, 11.0);
        assert!(config.editions.iter().any(|e| e.name == "pocket"));
        // The shared checks, at the line in the real file.
        let (result, problems) = settle(
            &text
                .replace("font-size = 11", "font-size = 90")
                .replace("\"intro.md\"", "\"nope.md\""),
            None,
        );
        assert!(result.is_none());
        assert_eq!(
            problems,
            [
                "21:13: a font size of 90 pt is out of range",
                "24:13: `nope.md` is not one of the book's chapters"
            ]
        );
        let (result, problems) = settle(&format!("{text}colour = 1\n"), None);
        assert!(result.is_none());
        assert!(
            problems[0].starts_with("25:1: book.toml: unknown field `colour`"),
            "{problems:?}"
        );
    }

    #[test]
    fn section_labels_follow_mdbook_unless_inkfold_says() {
        let off = MDBOOK.replace(
            "[output.html]\n",
            "[output.html]\nno-section-label = true\n",
        );
        let (result, _) = settle(&off, None);
        assert!(!result.expect("settings").0.1);
        let (result, _) = settle(
            &format!("{off}\n[output.inkfold]\nsection-numbers = true\n"),
            None,
        );
        assert!(result.expect("settings").0.1);
    }

    #[test]
    fn old_book_keys_are_warned_of_and_bad_directions_refused() {
        let text = "[book]\ntitle = \"T\"\nauthor = \"Aria\"\nmultilingual = false\nsrc = \"pages\"\ntext-direction = \"rtl\"\n";
        let (result, problems) = settle(text, Some("0"));
        let (toml, _) = result.expect("settings");
        assert_eq!((toml.0.as_str(), toml.2), ("pages", Some(Direction::Rtl)));
        for expected in [
            "3:1: `author` is not a key of mdBook's [book]",
            "4:1: `multilingual` is not a key",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(expected)),
                "{problems:?}"
            );
        }
        let (result, problems) = settle(&text.replace("\"rtl\"", "\"up\""), Some("0"));
        assert!(result.is_none());
        assert!(
            problems[0].contains("`up` is not a text direction"),
            "{problems:?}"
        );
    }

    /// mdBook before 0.5 also read the book's title, authors, description and source folder
    /// from the top of the file (books of that time still have them there, such as the Rust
    /// book's Chinese translation): they are read as mdBook 0.4 read them, each warned of where
    /// it stands, and [book] wins over them. Other keys at the top are warned of, not read.
    #[test]
    fn the_old_layout_is_read_as_mdbook_0_4_read_it() {
        let text = "title = \"Old\"\nauthor = \"Ann\"\nauthors = [\"Bo\"]\ndescription = \"D\"\nsource = \"pages\"\n\n[output.html]\ndestination = \"mdbook\"\n";
        let (result, problems) = settle(text, Some("0"));
        let (toml, config) = result.expect("settings");
        assert_eq!(config.meta.title, "Old");
        assert_eq!(config.meta.authors, ["Bo"]);
        assert_eq!(config.meta.description.as_deref(), Some("D"));
        assert_eq!(toml.0, "pages");
        for expected in [
            "1:1: `title` at the top of book.toml is mdBook's old layout; it is read as `title` in [book]",
            "2:1: `author` is not a table of mdBook's book.toml; it is not read",
            "3:1: `authors` at the top",
            "4:1: `description` at the top",
            "5:1: `source` at the top of book.toml is mdBook's old layout; it is read as `src` in [book]",
        ] {
            assert!(
                problems.iter().any(|p| p.starts_with(expected)),
                "{expected}: {problems:?}"
            );
        }
        assert!(
            !problems.iter().any(|p| p.contains("empty title")),
            "{problems:?}"
        );
        let both = format!("{text}\n[book]\ntitle = \"New\"\n");
        let (result, _) = settle(&both, Some("0"));
        assert_eq!(result.expect("settings").1.meta.title, "New");
        let (_, problems) = settle(MDBOOK, Some("0"));
        assert!(
            !problems
                .iter()
                .any(|p| p.contains("top of book.toml") || p.contains("not a table")),
            "{problems:?}"
        );
    }
}
