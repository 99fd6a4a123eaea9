//! Language tags: text in, a checked [`Lang`] out. A leaf module: the settings, the Markdown
//! parser, the model and every backend use it, and it uses none of them.

use std::fmt;

/// A checked BCP 47 language tag such as `en` or `fr-CA`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lang(String);

impl Lang {
    /// Accepts the well-formed shape of a tag: a 2–3 (or 5–8) letter primary subtag, then
    /// subtags of 1–8 letters or digits, separated by `-`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let mut subtags = tag.split('-');
        let primary = subtags.next()?;
        let primary_ok = matches!(primary.len(), 2 | 3 | 5..=8)
            && primary.bytes().all(|b| b.is_ascii_alphabetic());
        let rest_ok = subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
        (primary_ok && rest_ok).then(|| Lang(tag.to_string()))
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
        for good in ["en", "en-GB", "fr", "zh-Hant-TW", "sgn-BE-FR", "und"] {
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
        ] {
            assert!(Lang::parse(bad).is_none(), "{bad}");
        }
    }
}
