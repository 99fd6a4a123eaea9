//! `book.toml`: the text of the file in, checked book settings ([`Config`]) out.
//!
//! Unknown keys are errors, and every value that can be wrong carries its span, so a problem
//! points at the line of the bad key.

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostics, FileId, Span};
use crate::model::Lang;

/// The raw shape of `book.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookToml {
    book: BookSection,
    #[serde(default)]
    accessibility: AccessibilitySection,
    #[serde(default)]
    epub: EpubSection,
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
    rights: Option<String>,
    publisher: Option<String>,
    date: Spanned<String>,
    modified: Option<Spanned<String>>,
    chapters: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AccessibilitySection {
    summary: Option<String>,
    hazards: Option<Vec<Spanned<String>>>,
    certified_by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct EpubSection {
    #[serde(default = "yes")]
    embed_fonts: bool,
}

impl Default for EpubSection {
    fn default() -> Self {
        EpubSection { embed_fonts: true }
    }
}

fn yes() -> bool {
    true
}

/// A chapter entry of `book.toml`: the path as written, and where it was written.
#[derive(Debug, Clone)]
pub struct ChapterEntry {
    pub path: String,
    pub span: Span,
}

/// The checked settings of a book.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub subtitle: Option<String>,
    pub authors: Vec<String>,
    pub lang: Lang,
    pub identifier: String,
    pub description: Option<String>,
    pub rights: Option<String>,
    pub publisher: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date: String,
    /// Last modification, `YYYY-MM-DDThh:mm:ssZ`; `SOURCE_DATE_EPOCH` overrides it.
    pub modified: String,
    pub chapters: Vec<ChapterEntry>,
    pub a11y_summary: Option<String>,
    pub hazards: Vec<String>,
    pub certified_by: Option<String>,
    pub embed_fonts: bool,
}

const HAZARDS: &[&str] = &[
    "none",
    "flashing",
    "noFlashingHazard",
    "motionSimulation",
    "noMotionSimulationHazard",
    "sound",
    "noSoundHazard",
    "unknown",
];

const REFERENCE_HINT: &str = "see the book.toml reference in README.md";

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
            let span = err.span().unwrap_or(0..0);
            let message = err.message().trim_end().to_string();
            let hint = if message.starts_with("unknown field") {
                format!("remove the key or correct its spelling; {REFERENCE_HINT}")
            } else if message.starts_with("missing field") {
                format!("add the key; {REFERENCE_HINT}")
            } else {
                REFERENCE_HINT.to_string()
            };
            diags
                .error(Span::new(file, span), format!("book.toml: {message}"))
                .hint(hint);
            return None;
        }
    };
    let span = |s: std::ops::Range<usize>| Span::new(file, s);
    let book = raw.book;
    let errors_before = diags.has_errors();

    if book.title.get_ref().trim().is_empty() {
        diags
            .error(span(book.title.span()), "the book has an empty title")
            .hint("give the title as it appears on the cover");
    }
    let lang = match Lang::parse(book.language.get_ref()) {
        Some(lang) => lang,
        None => {
            diags
                .error(
                    span(book.language.span()),
                    format!("`{}` is not a valid language tag", book.language.get_ref()),
                )
                .hint("use a BCP 47 tag such as `en`, `en-GB` or `fr`");
            Lang::parse("und").unwrap_or_default()
        }
    };
    if book.identifier.get_ref().trim().is_empty() {
        diags
            .error(
                span(book.identifier.span()),
                "the book has an empty identifier",
            )
            .hint("use a stable identifier such as `urn:uuid:…` or `urn:isbn:…`");
    }
    if !is_date(book.date.get_ref()) {
        diags
            .error(
                span(book.date.span()),
                format!(
                    "`{}` is not a date of the form YYYY-MM-DD",
                    book.date.get_ref()
                ),
            )
            .hint("write the publication date as e.g. 2026-11-29");
    }
    let modified = match (source_date_epoch, &book.modified) {
        (Some(epoch), _) => match epoch.trim().parse::<i64>() {
            Ok(secs) => timestamp_from_epoch(secs),
            Err(_) => {
                diags
                    .error(
                        std::path::Path::new("SOURCE_DATE_EPOCH"),
                        format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"),
                    )
                    .hint("set it to whole seconds since 1970-01-01, or unset it");
                String::new()
            }
        },
        (None, Some(modified)) => {
            if !is_timestamp(modified.get_ref()) {
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
            modified.get_ref().clone()
        }
        (None, None) => format!("{}T00:00:00Z", book.date.get_ref()),
    };
    if book.chapters.get_ref().is_empty() {
        diags
            .error(span(book.chapters.span()), "the book lists no chapters")
            .hint("list the chapter files in reading order, e.g. chapters = [\"chapters/01.md\"]");
    }
    let chapters = book
        .chapters
        .into_inner()
        .into_iter()
        .map(|entry| ChapterEntry {
            span: span(entry.span()),
            path: entry.into_inner(),
        })
        .collect();
    let mut hazards = Vec::new();
    for hazard in raw.accessibility.hazards.unwrap_or_default() {
        if !HAZARDS.contains(&hazard.get_ref().as_str()) {
            diags
                .error(
                    span(hazard.span()),
                    format!("`{}` is not a known accessibility hazard", hazard.get_ref()),
                )
                .hint(format!("use one of: {}", HAZARDS.join(", ")));
        }
        hazards.push(hazard.into_inner());
    }
    if hazards.is_empty() {
        hazards.push("none".to_string());
    }

    if diags.has_errors() && !errors_before {
        return None;
    }
    Some(Config {
        title: book.title.into_inner(),
        subtitle: book.subtitle,
        authors: book.authors,
        lang,
        identifier: book.identifier.into_inner(),
        description: book.description,
        rights: book.rights,
        publisher: book.publisher,
        date: book.date.into_inner(),
        modified,
        chapters,
        a11y_summary: raw.accessibility.summary,
        hazards,
        certified_by: raw.accessibility.certified_by,
        embed_fonts: raw.epub.embed_fonts,
    })
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    matches!(parts.as_slice(), [y, m, d]
        if y.len() == 4 && m.len() == 2 && d.len() == 2 && digits(y) && digits(m) && digits(d)
        && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&d.parse::<u32>().unwrap_or(0)))
}

fn is_timestamp(s: &str) -> bool {
    let Some((date, time)) = s.split_once('T') else {
        return false;
    };
    let Some(time) = time.strip_suffix('Z') else {
        return false;
    };
    let parts: Vec<&str> = time.split(':').collect();
    is_date(date)
        && matches!(parts.as_slice(), [h, m, s]
            if [h, m, s].iter().all(|p| p.len() == 2 && digits(p)))
}

/// `YYYY-MM-DDThh:mm:ssZ` for seconds since the Unix epoch (proleptic Gregorian, UTC).
pub fn timestamp_from_epoch(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

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
identifier = "urn:uuid:1"
date = "2026-01-02"
chapters = ["a.md"]
"#;

    #[test]
    fn good_config_parses_with_defaults() {
        let (config, problems) = parse_text(GOOD, None);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config.expect("config");
        assert_eq!(config.modified, "2026-01-02T00:00:00Z");
        assert_eq!(config.hazards, ["none"]);
        assert!(config.embed_fonts);
        assert_eq!(config.chapters[0].path, "a.md");
    }

    #[test]
    fn source_date_epoch_sets_modified() {
        let (config, _) = parse_text(GOOD, Some("1700000000"));
        assert_eq!(config.expect("config").modified, "2023-11-14T22:13:20Z");
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let (config, problems) = parse_text(&format!("{GOOD}colour = \"red\"\n"), None);
        assert!(config.is_none());
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("7:1: book.toml: unknown field `colour`"),
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
    fn epoch_conversion_handles_leap_years() {
        assert_eq!(timestamp_from_epoch(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp_from_epoch(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp_from_epoch(-1), "1969-12-31T23:59:59Z");
    }
}
