//! The words inkfold itself writes into a book (a language in; the words, and their language
//! when it is not the book's, out): labels and the headings of the parts it generates. Where a
//! table below has the book's language, its words; otherwise the English ones, marked as
//! English so a screen reader speaks them with an English voice, not the book's.

use crate::lang::Lang;

/// Words in a language: the text, and its language when it is not the text around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub text: &'static str,
    pub lang: Option<Lang>,
}

/// The row of `table` for `lang`'s primary subtag, or the first row (English, marked as such).
/// Every table's first row is English.
pub fn pick<const N: usize>(
    table: &[(&str, [&'static str; N])],
    index: usize,
    lang: &Lang,
) -> Label {
    let primary = lang.as_str().split('-').next().unwrap_or_default();
    let found = table
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(primary));
    match (found, table.first()) {
        (Some((_, words)), _) => Label {
            text: words[index],
            lang: None,
        },
        (None, Some((english, words))) => Label {
            text: words[index],
            lang: Lang::parse(english),
        },
        (None, None) => Label {
            text: "",
            lang: None,
        },
    }
}

/// English words that have no table (the colophon's sentences, the hidden navigation's
/// headings): marked as English in a book in any other language.
pub fn english(text: &'static str, lang: &Lang) -> Label {
    pick(&[("en", [text])], 0, lang)
}

/// The heading of the contents: shown in the PDF and the EPUB, and the bookmark's name. Kept to
/// languages whose usual word is certain; the rest get "Contents", marked as English.
const CONTENTS: &[(&str, [&str; 1])] = &[
    ("en", ["Contents"]),
    ("de", ["Inhalt"]),
    ("es", ["Índice"]),
    ("fr", ["Table des matières"]),
    ("it", ["Indice"]),
    ("nl", ["Inhoud"]),
    ("pt", ["Sumário"]),
    ("ru", ["Содержание"]),
    ("uk", ["Зміст"]),
];

/// The heading of the contents in `lang`.
pub fn contents(lang: &Lang) -> Label {
    pick(CONTENTS, 0, lang)
}

/// Who wrote a piece of generated text: the book (its own words, as its rights statement,
/// in its language) or inkfold (English sentences such as the colophon's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Book,
    Inkfold,
}

impl Voice {
    /// The language to mark the text with in a book in `lang`: inkfold's English sentences are
    /// marked as English in a book in any other language; the book's words need no mark.
    pub fn lang(self, lang: &Lang) -> Option<Lang> {
        match self {
            Voice::Book => None,
            Voice::Inkfold => english("", lang).lang,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str) -> Lang {
        Lang::parse(tag).expect("a language tag")
    }

    #[test]
    fn the_books_words_or_english_marked_as_english() {
        assert_eq!(contents(&lang("ru")).text, "Содержание");
        assert_eq!(contents(&lang("ru")).lang, None);
        assert_eq!(contents(&lang("pt-BR")).text, "Sumário");
        assert_eq!(contents(&lang("en-GB")).lang, None);
        let fallback = contents(&lang("ja"));
        assert_eq!(fallback.text, "Contents");
        assert_eq!(fallback.lang, Some(lang("en")));
        assert_eq!(Voice::Inkfold.lang(&lang("en-US")), None);
        assert_eq!(Voice::Inkfold.lang(&lang("ar")), Some(lang("en")));
        assert_eq!(Voice::Book.lang(&lang("ar")), None);
    }
}
