//! Language tags: text in, a checked [`Lang`] out. A leaf module: the settings, the Markdown
//! parser, the model and every backend use it, and it uses none of them.

use std::fmt;

/// A checked BCP 47 language tag such as `en` or `fr-CA`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lang(String);

impl Lang {
    /// Accepts a tag well-formed by RFC 5646 (BCP 47), checked by the `language-tags` crate:
    /// language, script, region, variants, extensions and private use in their places (so
    /// `en-GB-GB-GB`, a region repeated, is refused), and the grandfathered tags such as
    /// `i-klingon`. Well-formed is what EPUB and PDF readers need.
    pub fn parse(tag: &str) -> Option<Lang> {
        language_tags::LanguageTag::parse(tag)
            .is_ok()
            .then(|| Lang(tag.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
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
        for good in [
            "en",
            "en-GB",
            "fr",
            "zh-Hant-TW",
            "sgn-BE-FR",
            "und",
            "i-klingon",
            "en-GB-oed",
            "de-CH-1996",
            "x-private",
        ] {
            assert!(Lang::parse(good).is_some(), "{good}");
        }
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
        ] {
            assert!(Lang::parse(bad).is_none(), "{bad}");
        }
    }
}
