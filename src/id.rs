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
}
