//! Code blocks as mdBook writes them: a fence's info string in, its language and hidden-line
//! prefix out; a block's text in, the lines a reader sees (hidden lines removed) out. Also the
//! math delimiters of MathJax, which mdBook books may write.

/// What a fence's info string says: `rust,ignore,should_panic` is Rust code; `hidelines=~`
/// sets the prefix of the block's hidden lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info<'a> {
    /// The first word: the language, for every book.
    pub lang: Option<&'a str>,
    /// A `hidelines=X` word (read for mdBook books only).
    pub hidelines: Option<&'a str>,
}

impl<'a> Info<'a> {
    /// Splits the info string at commas, spaces and tabs, as mdBook does.
    pub fn parse(info: &'a str) -> Info<'a> {
        let mut words = info.split([',', ' ', '\t']).filter(|word| !word.is_empty());
        let lang = words.next();
        let hidelines = words
            .find_map(|word| word.strip_prefix("hidelines="))
            .filter(|prefix| !prefix.is_empty());
        Info { lang, hidelines }
    }
}

/// A code block's text without its hidden lines. In Rust, a line whose first non-blank is `#`
/// followed by a space or nothing is hidden, `##` shows as `#` (the escape), and `#[…]` and
/// `#!` show; in another language, a line whose first non-blank text is `prefix` is hidden.
pub fn without_hidden_lines(text: &str, lang: Option<&str>, prefix: Option<&str>) -> String {
    let rust = lang == Some("rust");
    if !rust && prefix.is_none() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let start = body.trim_start();
        let indent = &line[..body.len() - start.len()];
        if rust {
            if let Some(after) = start.strip_prefix('#') {
                match after.chars().next() {
                    None | Some(' ') => continue,
                    Some('#') => {
                        out.push_str(indent);
                        out.push_str(&line[indent.len() + 1..]);
                        continue;
                    }
                    Some(_) => {}
                }
            }
        } else if let Some(prefix) = prefix
            && start.starts_with(prefix)
        {
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Whether text holds a MathJax delimiter as mdBook books write them (the Markdown source's
/// `\\(`, `\\[` arrive as `\(` and `\[`), or `$$`.
pub fn has_math_delimiter(text: &str) -> bool {
    text.contains("\\(") || text.contains("\\[") || text.contains("$$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings_split_at_commas_spaces_and_tabs() {
        let info = Info::parse("rust,ignore,should_panic,edition2021");
        assert_eq!(info.lang, Some("rust"));
        assert_eq!(Info::parse("rust ,ignore").lang, Some("rust"));
        assert_eq!(Info::parse("python\thidelines=~").hidelines, Some("~"));
        assert_eq!(
            Info::parse(""),
            Info {
                lang: None,
                hidelines: None
            }
        );
        assert_eq!(Info::parse("text hidelines=").hidelines, None);
    }

    #[test]
    fn rust_hidden_lines() {
        let code = "# use std::io;\n#\n#[derive(Debug)]\n#![allow(x)]\n    # fn main() {\nlet a = 1;\n## not hidden\n  ##x\n#x\n# }\n";
        assert_eq!(
            without_hidden_lines(code, Some("rust"), None),
            "#[derive(Debug)]\n#![allow(x)]\nlet a = 1;\n# not hidden\n  #x\n#x\n"
        );
        // Not Rust, no prefix: nothing is hidden.
        assert_eq!(without_hidden_lines(code, Some("text"), None), code);
    }

    #[test]
    fn prefixed_hidden_lines() {
        let code = "~import os\n  ~ hidden\nprint(1)\n# shown\n";
        assert_eq!(
            without_hidden_lines(code, Some("python"), Some("~")),
            "print(1)\n# shown\n"
        );
    }

    #[test]
    fn math_delimiters() {
        assert!(has_math_delimiter("where \\(x^2\\) is"));
        assert!(has_math_delimiter("$$ a $$"));
        assert!(!has_math_delimiter("costs $5 and (x)"));
    }
}
