//! Hyphenation: a word and its language in, the byte offsets where it may break out, from the
//! Knuth–Liang patterns embedded by the `hyphenation` crate (no files at run time).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use hyphenation::{Hyphenator, Language, Load, Standard};

/// Dictionaries found on first use, per language tag, each with the words it has hyphenated:
/// a book repeats its words (a 1 140-page book asked 58 000 times for 4 400 words).
/// A book has a few languages, so they are found by a look along a list.
#[derive(Default)]
pub struct Hyphenation {
    loaded: Vec<(String, Patterns)>,
    /// The breaks of every word kept, one after another; a word's entry names its share.
    breaks: Vec<usize>,
    /// The breaks of the last word too long to keep.
    uncached: Vec<usize>,
}

/// A language's patterns (none when it has none) and the words hyphenated so far, each with
/// where its breaks lie in [`Hyphenation::breaks`].
struct Patterns {
    dictionary: Option<Arc<Standard>>,
    words: HashMap<String, (usize, usize), foldhash::fast::RandomState>,
}

/// A language's patterns, read from the embedded dictionaries once per process: chapters are
/// set on several threads, each with its own [`Hyphenation`], and reading English's patterns
/// again for each took a few milliseconds every time.
fn dictionary(language: Language) -> Option<Arc<Standard>> {
    static READ: LazyLock<Mutex<HashMap<Language, Option<Arc<Standard>>>>> =
        LazyLock::new(Mutex::default);
    let mut read = READ.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    read.entry(language)
        .or_insert_with(|| Standard::from_embedded(language).ok().map(Arc::new))
        .clone()
}

/// Longest word (in bytes) whose breaks are kept; longer ones are rare and not worth holding.
const MAX_CACHED_WORD: usize = 48;

/// Shortest word that is hyphenated at all.
const MIN_WORD_CHARS: usize = 5;

impl Hyphenation {
    /// Break opportunities in `word` (byte offsets, each between two letters), or none when the
    /// language has no patterns or the word is short or not purely letters.
    pub fn breaks(&mut self, lang: &str, word: &str) -> &[usize] {
        if word.chars().count() < MIN_WORD_CHARS || !word.chars().all(char::is_alphabetic) {
            return &[];
        }
        let at = match self.loaded.iter().position(|(tag, _)| tag == lang) {
            Some(at) => at,
            None => {
                let dictionary = language_for(&lang.to_ascii_lowercase()).and_then(dictionary);
                let words = HashMap::default();
                self.loaded
                    .push((lang.to_string(), Patterns { dictionary, words }));
                self.loaded.len() - 1
            }
        };
        let Some((
            _,
            Patterns {
                dictionary: Some(dictionary),
                words,
            },
        )) = self.loaded.get_mut(at)
        else {
            return &[];
        };
        if word.len() > MAX_CACHED_WORD {
            self.uncached = dictionary.hyphenate(word).breaks;
            return &self.uncached;
        }
        let (start, end) = match words.get(word) {
            Some(&share) => share,
            None => {
                let start = self.breaks.len();
                self.breaks.extend(dictionary.hyphenate(word).breaks);
                words.insert(word.to_string(), (start, self.breaks.len()));
                (start, self.breaks.len())
            }
        };
        self.breaks.get(start..end).unwrap_or_default()
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
        let breaks = h.breaks("en", word).to_vec();
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
        // Asked again, the same answer (from the cache).
        assert_eq!(h.breaks("en", word), breaks);
        assert_eq!(h.breaks("EN", word), breaks);
        // A word too long to keep is hyphenated each time it is asked for, the same way.
        let long = word.repeat(4);
        let breaks = h.breaks("en", &long).to_vec();
        assert!(breaks.len() > 4);
        assert_eq!(h.breaks("en", &long), breaks);
    }
}
