//! Ids (text in, a checked [`Id`] out) and the rule every id follows. A leaf module: the Markdown
//! parser, the settings and the passes use it, and it uses only the diagnostics.

use std::fmt;

use crate::diag::{Diagnostics, Span};

/// An id a heading, anchor or appendix can be linked to by: any HTML id (see [`is_valid_id`]).
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

/// The EPUB's page-break markers are `page.` and the printed page's label (`page.12`,
/// `page.iv`): ids with this beginning are theirs, so an author's would be a duplicate id.
pub const PAGE_MARKER_PREFIX: &str = "page.";

/// The id of the marker where the printed page labelled `label` begins.
pub fn page_marker(label: &str) -> String {
    format!("{PAGE_MARKER_PREFIX}{label}")
}

/// Reports an id that [`is_valid_id`] refuses; returns whether it is valid.
pub fn check_id(id: &str, span: Span, diags: &mut Diagnostics) -> bool {
    let valid = is_valid_id(id);
    if !valid && id.starts_with(PAGE_MARKER_PREFIX) {
        diags
            .error(
                span,
                format!("the id `{id}` is kept for the e-book's print page markers"),
            )
            .hint(format!(
                "choose an id that does not begin with `{PAGE_MARKER_PREFIX}`, such as `{}`",
                id.replacen('.', "-", 1)
            ));
    } else if !valid {
        diags
            .error(span, format!("`{id}` cannot be used as an id"))
            .hint("an id is a word without spaces, such as `intro` or `step-2`");
    }
    valid
}

/// Any HTML id: not empty, no white space (nor other invisible characters), at most 200
/// bytes, and not one of the page markers' ([`PAGE_MARKER_PREFIX`]).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with(PAGE_MARKER_PREFIX)
        && id.len() <= 200
        && !id.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
        })
}

/// An id as the fragment of a link: characters a URL does not carry as they are (`%`, `#`,
/// quotes, brackets, …) percent-encoded, so any id links to itself.
pub fn fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii() && !c.is_ascii_alphanumeric() && !"-._~!$&'()*+,;=:@/?".contains(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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

/// The id a heading's text makes, before it is made unique, as GitHub, mdBook and pandoc's
/// gfm make it, so links written for them keep working: lower case; letters, digits, `-` and
/// `_` kept; each space a `-`; everything else dropped; hyphens never collapsed. A heading with
/// none of these gets `section`.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            id.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            id.push('-');
        }
    }
    if id.is_empty() {
        id.push_str("section");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse() {
        for good in [
            "intro", "_x", "a.b-c_d", "résumé", "-x", "page-1", "pages.1",
        ] {
            assert_eq!(
                Id::parse(good).map(|i| i.to_string()),
                Some(good.to_string())
            );
        }
        for bad in ["", "a b", "page.1", "page.iv"] {
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

    /// The GitHub / mdBook / pandoc-gfm rule, pinned on headings with punctuation, code,
    /// non-ASCII letters and repeats (the repeats get `-1`, `-2` from the ids pass; see
    /// `tests/cases/book/ids`).
    #[test]
    fn heading_ids_follow_the_web() {
        let table = [
            ("Key Insights", "key-insights"),
            ("Where’s the `->` Operator?", "wheres-the---operator"),
            ("Shared Access to `Mutex<T>`", "shared-access-to-mutext"),
            (
                "Concatenating with `+` or `format!`",
                "concatenating-with--or-format",
            ),
            ("2024 in Review", "2024-in-review"),
            ("Chapter 8: Conclusion", "chapter-8-conclusion"),
            ("Research & Reports", "research--reports"),
            ("Résumé", "résumé"),
            ("Ça va? Très bien!", "ça-va-très-bien"),
            ("Здравствуй, мир", "здравствуй-мир"),
            ("你好 世界", "你好-世界"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("  Spaces  around  ", "spaces--around"),
            ("C++ / C#", "c--c"),
            ("Version 1.2.3", "version-123"),
            ("***", "section"),
            ("The `?` Operator", "the--operator"),
        ];
        for (text, id) in table {
            assert_eq!(heading_id(text), id, "{text}");
        }
    }

    #[test]
    fn any_html_id_links_to_itself() {
        for good in ["-bindings", "1st", "a.b", "résumé", "x%y", "a#b"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in ["", "a b", "tab\there", "a\u{200b}"] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        assert_eq!(fragment("-bindings"), "-bindings");
        assert_eq!(fragment("x%y#z\"q\""), "x%25y%23z%22q%22");
        assert_eq!(fragment("résumé"), "résumé");
    }
}
