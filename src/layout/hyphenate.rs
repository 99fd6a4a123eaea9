//! Hyphenation: a word and its language in, the byte offsets where it may break out, from the
//! Knuth–Liang patterns embedded by the `hyphenation` crate (no files at run time).

use std::collections::HashMap;

use hyphenation::{Hyphenator, Language, Load, Standard};

/// Dictionaries loaded on first use, per language tag.
#[derive(Default)]
pub struct Hyphenation {
    loaded: HashMap<String, Option<Standard>>,
}

/// Shortest word that is hyphenated at all.
const MIN_WORD_CHARS: usize = 5;

impl Hyphenation {
    /// Break opportunities in `word` (byte offsets, each between two letters), or none when the
    /// language has no patterns or the word is short or not purely letters.
    pub fn breaks(&mut self, lang: &str, word: &str) -> Vec<usize> {
        if word.chars().count() < MIN_WORD_CHARS || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let dictionary = self
            .loaded
            .entry(lang.to_ascii_lowercase())
            .or_insert_with_key(|tag| {
                language_for(tag).and_then(|l| Standard::from_embedded(l).ok())
            });
        match dictionary {
            Some(dictionary) => dictionary.hyphenate(word).breaks,
            None => Vec::new(),
        }
    }
}

/// The pattern set for a BCP 47 tag: the full tag if the crate knows it, else its primary
/// language, with the usual defaults (English: US; German: 1996 spelling).
fn language_for(tag: &str) -> Option<Language> {
    if let Some(language) = Language::try_from_code(tag) {
        return Some(language);
    }
    let primary = tag.split('-').next().unwrap_or(tag);
    match primary {
        "en" => Some(Language::EnglishUS),
        "de" => Some(Language::German1996),
        "el" => Some(Language::GreekMono),
        "mn" => Some(Language::Mongolian),
        "sr" => Some(Language::SerbianCyrillic),
        other => Language::try_from_code(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_get_breaks() {
        let mut h = Hyphenation::default();
        let word = "comprehensive";
        let breaks = h.breaks("en", word);
        assert!(!breaks.is_empty());
        let pieces: Vec<&str> = std::iter::once(0)
            .chain(breaks.iter().copied())
            .zip(breaks.iter().copied().chain(std::iter::once(word.len())))
            .map(|(a, b)| &word[a..b])
            .collect();
        assert_eq!(pieces.concat(), word);
        assert!(h.breaks("en", "well-being").is_empty());
        assert!(h.breaks("en", "cat").is_empty());
        assert!(h.breaks("x-unknown", "comprehensive").is_empty());
        assert!(!h.breaks("fr", "gouvernement").is_empty());
    }
}
