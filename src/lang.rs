//! Language tags: text in, a checked [`Lang`] out, or a located error where the tag is written
//! (`book.toml`'s book and chapters, a heading's `{lang=…}`, `<span lang>`), worded in one
//! place. Nearly a leaf module: the settings, the Markdown parser, the model and every backend
//! use it, and it uses only the diagnostics.

use std::fmt;

use crate::diag::{Diagnostics, Location};

/// The longest tag accepted: RFC 5646 (section 4.4.1) asks for room for 35 characters, and
/// no tag a book needs comes near 64; the crate's duplicate-variant check is quadratic in a
/// tag's length.
pub const MAX_TAG_BYTES: usize = 64;

/// A checked BCP 47 language tag such as `en` or `fr-CA`. Shared, not copied: every piece of
/// text and every line laid out carries its language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Lang(std::sync::Arc<str>);

impl Lang {
    /// Accepts a tag valid by RFC 5646 (BCP 47), checked by the `language-tags` crate:
    /// well-formed (language, script, region, variants, extensions and private use in their
    /// places, so `en-GB-GB-GB`, a region repeated, is refused), every subtag in the IANA
    /// registry with its required prefix, no variant or extension twice; its language subtag
    /// two or three letters, so not a private-use tag (`x-…`) or a grandfathered one such as
    /// `i-klingon` (which Ace refuses; the error names `tlh`, its current form). At most
    /// [`MAX_TAG_BYTES`] long.
    pub fn parse(tag: &str) -> Option<Lang> {
        Lang::check(tag).ok()
    }

    /// As [`Lang::parse`], with the reason a tag is refused, for messages.
    pub fn check(tag: &str) -> Result<Lang, BadTag> {
        let refuse = |why: String| BadTag {
            tag: tag.to_string(),
            why,
        };
        if tag.len() > MAX_TAG_BYTES {
            return Err(refuse(format!(
                "it is longer than {MAX_TAG_BYTES} characters"
            )));
        }
        let parsed = language_tags::LanguageTag::parse(tag).map_err(|_| {
            refuse("it is not written as BCP 47 asks (a language, then a script, region or variant, joined by `-`)".to_string())
        })?;
        parsed.validate().map_err(|e| refuse(e.to_string()))?;
        // Valid BCP 47, but naming no language a reading system or a screen reader knows, and
        // refused by Ace (`html-lang-valid`): a private-use tag (`x-…`) and a grandfathered one
        // without a language subtag (`i-klingon`), whose current form is named when it has one.
        let primary = tag.split('-').next().unwrap_or_default();
        if !(2..=3).contains(&primary.len()) {
            let current = parsed
                .canonicalize()
                .ok()
                .map(|c| c.to_string())
                .filter(|c| c != tag && Lang::check(c).is_ok());
            return Err(refuse(match current {
                Some(current) => format!(
                    "it is an old form that reading systems do not know; its current form is `{current}`"
                ),
                None => "it names no language that reading systems know (a private-use or old tag); begin it with the language's own subtag, as `en-x-…`".to_string(),
            }));
        }
        Ok(Lang(tag.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A language tag as written at `at`: checked, or `None` with the error [`BadTag::report`]
/// gives.
pub fn checked(
    tag: &str,
    at: impl Into<Location>,
    place: TagPlace,
    diags: &mut Diagnostics,
) -> Option<Lang> {
    Lang::check(tag)
        .map_err(|bad| bad.report(at, place, diags))
        .ok()
}

/// A tag [`Lang::check`] refuses: as written, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTag {
    pub tag: String,
    pub why: String,
}

impl BadTag {
    /// The error for the tag, at the place it is written: the same message wherever a tag
    /// appears, and a hint showing good tags as that place writes them.
    pub fn report(&self, at: impl Into<Location>, place: TagPlace, diags: &mut Diagnostics) {
        diags
            .error(
                at,
                format!("`{}` is not a valid language tag: {}", self.tag, self.why),
            )
            .see(crate::diag::Section::Languages)
            .hint(format!("use a BCP 47 tag such as {}", place.examples()));
    }
}

/// Where a language tag is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagPlace {
    /// The book's `language` in `book.toml`.
    Book,
    /// A chapter's `lang` in `book.toml`.
    Chapter,
    /// A heading's attributes: `{#id lang=fr}`.
    Heading,
    /// A phrase's HTML: `<span lang="fr">` (or `<bdi>`, `<bdo>`).
    Phrase,
}

impl TagPlace {
    /// Good tags for the place, written as it writes them: a book's own language, another
    /// chapter's (often in another script), or a heading's or a phrase's with its markup.
    fn examples(self) -> &'static str {
        match self {
            TagPlace::Book => "`en`, `en-GB` or `fr`",
            TagPlace::Chapter => "`ar`, `zh-Hant` or `pt-BR`",
            TagPlace::Heading => "`fr` or `pt-BR`: {#my-id lang=fr}",
            TagPlace::Phrase => "`fr` or `pt-BR`: <span lang=\"fr\">…</span>",
        }
    }
}

/// The direction a text runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    /// `ltr` or `rtl`, as `book.toml` and HTML write it.
    pub fn parse(text: &str) -> Option<Direction> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Languages written right to left in their usual script: Arabic, Hebrew, Persian, Urdu,
/// Pashto, Sindhi, Uyghur, Central Kurdish, Yiddish, Syriac, Dhivehi (Thaana) and N'Ko.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "ckb", "yi", "syr", "dv", "nqo",
];

/// Scripts written right to left (ISO 15924): Arabic, Hebrew, Syriac, Thaana, N'Ko, Adlam,
/// Hanifi Rohingya, Samaritan, Mandaic.
const RTL_SCRIPTS: &[&str] = &[
    "arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "samr", "mand",
];

impl Lang {
    /// The direction of text in this language: its script subtag's, or else its usual
    /// script's (`az-Arab` runs right to left, `ku-Latn` left to right).
    pub fn direction(&self) -> Direction {
        let mut parts = self.0.split('-');
        let language = parts.next().unwrap_or("").to_ascii_lowercase();
        let script = parts
            .take_while(|p| p.len() != 1)
            .find(|p| p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()))
            .map(str::to_ascii_lowercase);
        let rtl = match script {
            Some(script) => RTL_SCRIPTS.contains(&script.as_str()),
            None => RTL_LANGUAGES.contains(&language.as_str()),
        };
        if rtl { Direction::Rtl } else { Direction::Ltr }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        let private = ["a1234567"; 6].join("-");
        let (at_limit, past) = (
            format!("en-x-{private}-abcde"),
            format!("en-x-{private}-abcdef"),
        );
        assert_eq!(
            (at_limit.len(), past.len()),
            (MAX_TAG_BYTES, MAX_TAG_BYTES + 1)
        );
        assert!(Lang::parse(&at_limit).is_some());
        assert!(Lang::parse(&past).is_none());
        for good in [
            "en",
            "en-GB",
            "fr",
            "zh-Hant-TW",
            "sgn-BE-FR",
            "und",
            "en-GB-oed",
            "de-CH-1996",
            "en-x-private",
        ] {
            assert!(Lang::parse(good).is_some(), "{good}");
        }
        let why = |tag: &str| {
            Lang::check(tag)
                .err()
                .map(|bad| bad.why)
                .unwrap_or_default()
        };
        assert!(why("i-klingon").contains("`tlh`"), "{}", why("i-klingon"));
        assert!(why("x-private").contains("names no language"));
        assert!(why("X-Private").contains("names no language"));
        for bad in [
            "",
            "e",
            "english language",
            "en_GB",
            "en-",
            "123",
            "en-toolongsubtag",
            "en-GB-GB-GB",
            "de-1996-1996-x",
            "en-a",
            // Well-formed, but not in the registry, or in the wrong place.
            "xx",
            "en-UK",
            "en-Xxxx",
            "fr-oed",
            "de-1996-1996",
        ] {
            assert!(Lang::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_bad_tag_is_one_error_with_a_hint_for_its_place() {
        use crate::diag::{SourceMap, Span};
        let mut map = SourceMap::default();
        let file = map.add("book.toml".into(), "language = \"en_GB\"\n".into());
        let mut diags = Diagnostics::default();
        assert_eq!(
            checked("en", Span::new(file, 12..14), TagPlace::Book, &mut diags),
            Lang::parse("en")
        );
        assert_eq!(
            checked("en_GB", Span::new(file, 11..18), TagPlace::Book, &mut diags),
            None
        );
        let problems = diags.resolve(&map);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (1, 12));
        assert!(
            problems[0].message.starts_with(
                "`en_GB` is not a valid language tag: it is not written as BCP 47 asks"
            )
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("use a BCP 47 tag such as `en`, `en-GB` or `fr`")
        );
        // Elsewhere, the same message with the hint written for the place.
        let mut diags = Diagnostics::default();
        checked(
            "en_GB",
            Span::new(file, 11..18),
            TagPlace::Phrase,
            &mut diags,
        );
        let problems = diags.resolve(&map);
        assert!(
            problems[0]
                .message
                .starts_with("`en_GB` is not a valid language tag")
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("use a BCP 47 tag such as `fr` or `pt-BR`: <span lang=\"fr\">…</span>")
        );
    }

    #[test]
    fn directions_follow_the_script() {
        let dir = |tag: &str| Lang::parse(tag).expect("a tag").direction();
        for rtl in [
            "ar", "ar-EG", "he", "fa-IR", "ur", "syr", "dv", "nqo", "az-Arab", "pa-Arab",
        ] {
            assert_eq!(dir(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in [
            "en",
            "ru",
            "hi",
            "zh-Hans",
            "ku-Latn",
            "ar-Latn",
            "en-x-private",
        ] {
            assert_eq!(dir(ltr), Direction::Ltr, "{ltr}");
        }
        assert_eq!(Direction::parse(" RTL"), Some(Direction::Rtl));
        assert_eq!(Direction::parse("up"), None);
    }
}
