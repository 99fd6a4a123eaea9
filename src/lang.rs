//! Language tags: text in, a checked [`Lang`] out. A leaf module: the settings, the Markdown
//! parser, the model and every backend use it, and it uses none of them.

use std::fmt;

/// The longest tag accepted: RFC 5646 (section 4.4.1) asks for room for 35 characters, and
/// no tag a book needs comes near 64; the crate's duplicate-variant check is quadratic in a
/// tag's length.
pub const MAX_TAG_BYTES: usize = 64;

/// A checked BCP 47 language tag such as `en` or `fr-CA`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lang(String);

impl Lang {
    /// Accepts a tag valid by RFC 5646 (BCP 47), checked by the `language-tags` crate:
    /// well-formed (language, script, region, variants, extensions and private use in their
    /// places, so `en-GB-GB-GB`, a region repeated, is refused), every subtag in the IANA
    /// registry with its required prefix, no variant or extension twice; grandfathered tags
    /// such as `i-klingon` and private-use tags are valid as they are. At most
    /// [`MAX_TAG_BYTES`] long.
    pub fn parse(tag: &str) -> Option<Lang> {
        Lang::check(tag).ok()
    }

    /// As [`Lang::parse`], with the reason a tag is refused, for messages.
    pub fn check(tag: &str) -> Result<Lang, String> {
        if tag.len() > MAX_TAG_BYTES {
            return Err(format!("it is longer than {MAX_TAG_BYTES} characters"));
        }
        let parsed = language_tags::LanguageTag::parse(tag).map_err(|_| {
            "it is not written as BCP 47 asks (a language, then a script, region or variant, joined by `-`)".to_string()
        })?;
        parsed.validate().map_err(|e| e.to_string())?;
        Ok(Lang(tag.to_string()))
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
}
