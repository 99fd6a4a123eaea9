//! A new book: a folder, today's date and a fresh identifier in; the files of a manuscript to
//! start from out (a commented `book.toml`, a chapter that shows what a chapter can hold, an
//! image, appendix data and a `.gitignore`), each new, none replacing a file.

use crate::model::meta::Timestamp;

/// The files of a new manuscript, as (path inside the folder, bytes): `title` names the book,
/// `today` dates it and `identifier` (a UUID) names it for good.
pub fn files(title: &str, today: &str, identifier: &str) -> Vec<(String, Vec<u8>)> {
    let book_toml = BOOK_TOML
        .replace("{title}", &toml_string(title))
        .replace("{date}", today)
        .replace("{identifier}", identifier)
        .replace("{year}", today.get(..4).unwrap_or(today));
    vec![
        ("book.toml".into(), book_toml.into_bytes()),
        (
            "chapters/01-first-chapter.md".into(),
            CHAPTER.as_bytes().to_vec(),
        ),
        ("images/reach.svg".into(), IMAGE.as_bytes().to_vec()),
        ("data/organisations.toml".into(), DATA.as_bytes().to_vec()),
        (".gitignore".into(), b"/output/\n".to_vec()),
    ]
}

/// The title a book in folder `name` starts with: the folder's name with its hyphens and
/// underscores as spaces and each word capitalised (`my-first-book` → `My First Book`), or "My
/// Book" when it has no letters.
pub fn title_from(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        words.join(" ")
    } else {
        "My Book".into()
    }
}

/// A date as `book.toml` writes it (`2026-12-07`), of the moment `secs` after 1970.
pub fn date_of(secs: i64) -> String {
    Timestamp::from_epoch(secs).date.to_string()
}

/// A version-4 UUID as a URN from 128 bits, `urn:uuid:…`.
pub fn uuid_urn(bits: u128) -> String {
    // The version (4) and variant (10xx) bits, as RFC 9562 sets them.
    let bits = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A TOML basic string's content for `text` (quotes and backslashes escaped, control
/// characters left out).
fn toml_string(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

const BOOK_TOML: &str = r#"# The book's settings. Every key is described in inkfold's README ("book.toml reference").
# Build the book with: inkfold build (in this folder's parent: inkfold build FOLDER)

[book]
title = "{title}"
# subtitle = "A subtitle"
# The language of the text (BCP 47: en, en-GB, fr, zh-Hans…).
language = "en"
# Who wrote the book, e.g. authors = ["A. Author", "B. Author"]. Nothing is made up in their
# place: the EPUB and the eBraille file name no one until you do.
authors = []
# This book's identifier, made for it by inkfold init: keep it as it is across editions.
identifier = "{identifier}"
# The publication date (YYYY-MM-DD).
date = "{date}"
# Who may copy the book, and on what terms: a copyright notice or a licence.
# rights = "© {year} A. Author"
# description = "One or two sentences for catalogues and reading apps."
# The chapters, in reading order.
chapters = [
  "chapters/01-first-chapter.md",
]

# The appendix, generated from the data files (see "Appendix data" in the README): a list of
# organisations, and a one-sheet handout of them (inkfold build --profile handout).
[appendix]
title = "Appendix: Where to Learn More"
data = ["data/organisations.toml"]

# Print settings (all optional; these are the defaults).
[pdf]
page-size = "A5"
font-size = 12

# Braille (all optional; these are the defaults): inkfold build --profile braille.
# [braille]
# cells = 40
# lines = 25
# grade = 2
"#;

const CHAPTER: &str = r#"# A First Chapter

This is your book's first chapter. Write in Markdown: a blank line starts a new paragraph,
*asterisks* set emphasis and **two of them** strong emphasis. Every chapter starts with a
heading, which names it in the contents.

## A figure

An image needs a text alternative, which a screen reader speaks and braille spells out: the
words in the square brackets.

![A bar chart of three bars, rising from left to right.](../images/reach.svg)

## A footnote and another language

A footnote keeps a source out of the way of the text.[^source] A phrase in another language is
marked so that it is spoken in its own voice: the French say
<span lang="fr">bonne lecture</span>.

## A table

| Edition | What it is for |
|---------|----------------|
| EPUB    | e-readers, with the reader's own fonts and colours |
| PDF     | printing, and reading on screen |
| Braille | embossing, and braille displays |

> [!NOTE]
> A note set apart from the text. Replace this chapter with your own, and list every chapter
> in `book.toml`.

[^source]: A source, as you would cite it.
"#;

const IMAGE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120" viewBox="0 0 240 120">
  <rect x="20" y="80" width="50" height="30" fill="#1f5f8b"/>
  <rect x="95" y="50" width="50" height="60" fill="#1f5f8b"/>
  <rect x="170" y="15" width="50" height="95" fill="#1f5f8b"/>
  <rect x="10" y="110" width="220" height="2" fill="#222222"/>
</svg>
"##;

const DATA: &str = r#"# One list of organisations for the appendix (see "Appendix data" in inkfold's README).
# kind = "sources" or "volunteering" says which list this is. Each [[organisation]] block is
# one organisation, in the order the book lists them. Lines starting with # are comments.

kind = "sources"
title = "Where to learn more"
intro = "Replace these entries with the organisations your book recommends."

[[organisation]]
name = "Example Organisation"
short-name = "EO"
offers = "Example Organisation stands in for a real one: say what it offers, in your own words."
website = "https://example.org/"
topics = ["an example", "a topic"]

[[organisation]]
name = "Another Example"
offers = "Another Example shows a second entry, without a short name."
website = "https://example.com/"
topics = ["another topic"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_names_the_book() {
        assert_eq!(title_from("my-first-book"), "My First Book");
        assert_eq!(title_from("newbook"), "Newbook");
        assert_eq!(title_from("état_des_lieux"), "État Des Lieux");
        assert_eq!(title_from("2026"), "My Book");
    }

    #[test]
    fn identifiers_are_version_4_uuids() {
        let urn = uuid_urn(u128::MAX);
        assert_eq!(urn, "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_urn(0), "urn:uuid:00000000-0000-4000-8000-000000000000");
        assert_eq!(date_of(0), "1970-01-01");
    }

    #[test]
    fn the_title_is_a_toml_string() {
        let files = files("A \"Quoted\" \\ Title", "2026-12-07", "urn:uuid:x");
        let toml = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(toml.contains(r#"title = "A \"Quoted\" \\ Title""#));
        assert!(toml.contains("date = \"2026-12-07\""));
        assert!(toml.contains("# rights = \"© 2026 A. Author\""));
    }
}
