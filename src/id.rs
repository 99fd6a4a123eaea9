//! Ids (text in, a checked [`Id`] out) and the rule every id follows. A leaf module: the Markdown
//! parser, the settings and the passes use it, and it uses only the diagnostics.

use std::fmt;

use crate::diag::{Diagnostics, Span};

/// An id a heading, anchor or appendix can be linked to by: a valid XML name, so every output
/// can use it as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(String);

impl Id {
    /// The id, if `text` is a valid one.
    pub fn parse(text: &str) -> Option<Id> {
        is_valid_id(text).then(|| Id(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reports an id that [`is_valid_id`] refuses; returns whether it is valid.
pub fn check_id(id: &str, span: Span, diags: &mut Diagnostics) -> bool {
    let valid = is_valid_id(id);
    if !valid {
        diags
            .error(span, format!("`{id}` cannot be used as an id"))
            .hint("start an id with a letter and use only letters, digits, `-`, `_` and `.`");
    }
    valid
}

/// Ids must be valid XML names so every output can use them.
pub fn is_valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A lower-case, hyphenated form of `text` for ids and file names: letters and digits are kept,
/// apostrophes dropped, anything else becomes one hyphen.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        } else if !matches!(c, '\'' | '’' | '‘') {
            pending_hyphen = true;
        }
    }
    out
}

/// The id a heading's text makes, before it is made unique: its slug, with `h-` in front when
/// the slug does not start with a letter.
pub fn heading_id(text: &str) -> String {
    let base = slug(text);
    if base.starts_with(char::is_alphabetic) {
        base
    } else {
        format!("h-{base}").trim_end_matches('-').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_xml_names() {
        for good in ["intro", "_x", "a.b-c_d", "résumé"] {
            assert_eq!(
                Id::parse(good).map(|i| i.to_string()),
                Some(good.to_string())
            );
        }
        for bad in ["", "1st", "-x", "a b", "a#b"] {
            assert!(Id::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Chapter 8: Conclusion"), "chapter-8-conclusion");
        assert_eq!(
            slug("Child Trafficking in Today’s Society"),
            "child-trafficking-in-todays-society"
        );
        assert_eq!(slug("  Ça va?  Très bien! "), "ça-va-très-bien");
        assert_eq!(slug("***"), "");
    }

    #[test]
    fn heading_ids_start_with_a_letter() {
        assert_eq!(heading_id("Key Insights"), "key-insights");
        assert_eq!(heading_id("2024 in review"), "h-2024-in-review");
        assert_eq!(heading_id("***"), "h");
    }
}
