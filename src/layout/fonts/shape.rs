//! Shaping: text, a style (or a face) and a language in; runs of glyphs, each in one face, one
//! script and one direction, out. Text is split into runs where its face (as [`super::select`]
//! chooses it), its script or its direction changes, and each run is shaped with rustybuzz.
//! One cache policy holds for all of it: a shape plan is made once per face, direction, script
//! and language, and every text up to [`MAX_CACHED_WORD`] bytes is shaped once per face (and
//! language), so a book's repeated words are shaped once; longer texts are shaped each time,
//! except lines of code, which are shaped a word at a time from the cache.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use rustybuzz::{Direction, Language, Script, ShapePlan, UnicodeBuffer};
use unicode_bidi::Level;

use super::{FaceId, FontBook, Glyph, Shaped, Style, Uncovered, is_joiner, offsets, printable};
use crate::lang::Lang;

/// Longest text (in bytes) the word caches keep. Words repeat; whole lines of code and long
/// URLs rarely do, so caching them would only hold memory (about 1.5 MB at the peak of an
/// 830-page generated book, measured with every text cached).
const MAX_CACHED_WORD: usize = 48;

/// Whether a text is shaped a word at a time ([`FontBook::shape_by_words`]): a line of
/// monospaced ASCII (code) too long for the cache, with spaces to split it at.
fn by_words(text: &str, style: Style) -> bool {
    text.len() > MAX_CACHED_WORD && style.mono && text.is_ascii() && text.contains(' ')
}

/// A text's runs, and the characters no face has.
type ShapedText = (Vec<Shaped>, Vec<char>);

/// A shape plan is made for each of these; rustybuzz makes one per call otherwise.
type PlanKey = (FaceId, Direction, Script, Option<Language>);

/// What shaping keeps while a book is laid out.
#[derive(Default)]
pub(super) struct Caches {
    plans: Mutex<HashMap<PlanKey, Arc<ShapePlan>>>,
    /// Every text shaped in one face by [`FontBook::shape_in`] (hyphens, leaders, spaces).
    words: Words<FaceId, Shaped>,
    /// Every text split into runs and shaped, per style's face and language, with the
    /// characters no face has.
    texts: Words<(FaceId, Option<Lang>), ShapedText>,
}

/// Texts up to [`MAX_CACHED_WORD`] bytes, shaped, per key (a face, or a face and a language: a
/// book has a few of each, so they are found by a look along a list), then by text, so a
/// lookup needs no key of its own. Read far more than written (a book repeats its words), so
/// the threads setting chapters read it at once.
struct Words<K, V> {
    entries: RwLock<Vec<(K, TextMap<V>)>>,
}

/// Shaped texts by their text.
type TextMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

impl<K, V> Default for Words<K, V> {
    fn default() -> Self {
        Words {
            entries: RwLock::default(),
        }
    }
}

impl<K, V> Words<K, V> {
    /// Hands `each` what `text` shapes to under the key `is_key` finds: from the cache, or
    /// shaped by `shape` (and kept, as `key()`'s, if the text is short enough to be).
    fn with<R>(
        &self,
        (is_key, key): (impl Fn(&K) -> bool, impl FnOnce() -> K),
        text: &str,
        shape: impl FnOnce() -> V,
        each: impl FnOnce(&V) -> R,
    ) -> R {
        if text.len() > MAX_CACHED_WORD {
            return each(&shape());
        }
        {
            let entries = read(&self.entries);
            if let Some(found) = entries
                .iter()
                .find(|(k, _)| is_key(k))
                .and_then(|(_, shaped)| shaped.get(text))
            {
                return each(found);
            }
        }
        let shaped = shape();
        let result = each(&shaped);
        let mut entries = write(&self.entries);
        let at = match entries.iter().position(|(k, _)| is_key(k)) {
            Some(at) => at,
            None => {
                entries.push((key(), HashMap::default()));
                entries.len() - 1
            }
        };
        if let Some((_, texts)) = entries.get_mut(at) {
            texts.insert(text.to_string(), shaped);
        }
        result
    }

    /// Forgets every text.
    fn clear(&self) {
        *write(&self.entries) = Vec::new();
    }
}

impl FontBook {
    /// Empties the word caches once layout is done: what they hold (every distinct word of a
    /// long book, shaped) is not needed to draw the pages, and its room then serves the
    /// writers. The shape plans stay.
    pub fn release_caches(&self) {
        self.caches.texts.clear();
        self.caches.words.clear();
    }

    /// Shapes `text` in the face of `style`, splitting it into runs where a character needs a
    /// fallback face. Errs with the first character no face covers.
    pub fn shape(&self, text: &str, style: Style) -> Result<Vec<Shaped>, Uncovered> {
        let mut uncovered = Vec::new();
        let runs = self.shape_all(text, style, &mut uncovered);
        match uncovered.first() {
            Some(&c) => Err(Uncovered(c)),
            None => Ok(runs),
        }
    }

    /// Shapes `text` like [`FontBook::shape`], but never fails: a character no face covers is
    /// added to `uncovered` and set in the style's face (as its blank glyph), so the text still
    /// takes its place on the page (for an e-book's page numbers).
    pub fn shape_all(&self, text: &str, style: Style, uncovered: &mut Vec<char>) -> Vec<Shaped> {
        if by_words(text, style) {
            return self.shape_by_words(text, style, None, uncovered);
        }
        let mut runs = Vec::new();
        self.shape_cached(text, style, None, uncovered, |run| runs.push(run.clone()));
        runs
    }

    /// [`FontBook::shape_all`] for text in `lang`, handing each run to `each` as the cache holds
    /// it (the caller keeps its own copy, a paragraph's arena, rather than a clone). Each run is
    /// shaped with the language (its forms and its conventions, as a font has them), and Han
    /// characters the style's face lacks take the face with the language's forms (see
    /// [`FontBook::lang_face`]) when the book has one and it has them.
    pub fn shape_each_in(
        &self,
        text: &str,
        style: Style,
        lang: &Lang,
        uncovered: &mut Vec<char>,
        each: impl FnMut(&Shaped),
    ) {
        if by_words(text, style) {
            self.shape_by_words(text, style, Some(lang), uncovered)
                .iter()
                .for_each(each);
        } else {
            self.shape_cached(text, style, Some(lang), uncovered, each);
        }
    }

    /// A long line of monospaced ASCII text (code), shaped a word and a run of spaces at a time
    /// from the cache, and joined again into one run per face: a monospaced font neither kerns
    /// nor joins across a space, and code repeats its words where its lines are all different.
    fn shape_by_words(
        &self,
        text: &str,
        style: Style,
        lang: Option<&Lang>,
        uncovered: &mut Vec<char>,
    ) -> Vec<Shaped> {
        let mut runs: Vec<Shaped> = Vec::new();
        let mut rest = text;
        while let Some(first) = rest.chars().next() {
            let space = first == ' ';
            let end = rest
                .find(|c: char| (c == ' ') != space)
                .unwrap_or(rest.len());
            let (token, tail) = rest.split_at(end);
            rest = tail;
            self.shape_cached(token, style, lang, uncovered, |shaped| {
                match runs.last_mut() {
                    Some(last) if last.face == shaped.face => {
                        let offset = last.text.len();
                        last.text.push_str(&shaped.text);
                        last.glyphs
                            .extend(shaped.glyphs.iter().map(|g| g.shifted(offset)));
                    }
                    _ => runs.push(shaped.clone()),
                }
            });
        }
        runs
    }

    /// The runs of `text` in the face of `style` and in `lang` ([`FontBook::split_and_shape`]),
    /// from the cache, handing each to `each` as the cache holds it.
    fn shape_cached(
        &self,
        text: &str,
        style: Style,
        lang: Option<&Lang>,
        uncovered: &mut Vec<char>,
        mut each: impl FnMut(&Shaped),
    ) {
        let primary = self.face_for(style);
        self.caches.texts.with(
            (
                |(face, l): &(FaceId, Option<Lang>)| *face == primary && l.as_ref() == lang,
                || (primary, lang.cloned()),
            ),
            text,
            || {
                let mut missing = Vec::new();
                let runs = self.split_and_shape(text, primary, lang, &mut missing);
                (runs, missing)
            },
            |(runs, missing)| {
                uncovered.extend_from_slice(missing);
                runs.iter().for_each(&mut each);
            },
        );
    }

    /// Splits text into runs of one face, one script and one direction, and shapes each with
    /// its script, its direction and the language: Arabic joins, Indic conjuncts form and vowel
    /// signs reorder, Thai and Khmer marks stack. Punctuation, digits and marks (Unicode's
    /// Common and Inherited scripts) belong to the run around them. The direction is the text's
    /// own, read on its own (a word is shaped once for the whole book, whatever paragraph it
    /// stands in).
    fn split_and_shape(
        &self,
        text: &str,
        primary: FaceId,
        lang: Option<&Lang>,
        uncovered: &mut Vec<char>,
    ) -> Vec<Shaped> {
        let printable = printable(text);
        let text = printable.as_str();
        let lang_face = self.lang_face(lang);
        let scripts = resolved_scripts(text);
        let levels = crate::layout::bidi::char_levels(text);
        // Each run: its face, its script, the level of its first character, its text, and
        // whether it holds only punctuation, digits and spaces so far (it then takes the script
        // of letters that follow in its face). Runs split where the direction changes.
        let mut runs: Vec<(FaceId, unicode_script::Script, Level, Range<usize>)> = Vec::new();
        let mut neutral_only = false;
        for (((i, c), script), level) in text.char_indices().zip(scripts).zip(levels) {
            let end = i + c.len_utf8();
            let neutral = is_neutral(c);
            // A joiner shapes with the letters before it, in their face, and draws nothing.
            if is_joiner(c) {
                match runs.last_mut() {
                    Some((_, _, _, range)) => range.end = end,
                    None => runs.push((primary, script, level, i..end)),
                }
                continue;
            }
            // Kana, Hangul and CJK punctuation too: a Japanese full stop sits elsewhere than a
            // Chinese one.
            let regional = lang_face
                .filter(|&face| !self.faces[primary.0].covers(c) && self.faces[face.0].covers(c));
            let face = regional
                .or_else(|| self.face_for_char(primary, c))
                .unwrap_or_else(|| {
                    uncovered.push(c);
                    primary
                });
            match runs.last_mut() {
                Some((f, s, l, range))
                    if *f == face
                        && l.is_rtl() == level.is_rtl()
                        && (*s == script || neutral_only || neutral) =>
                {
                    if neutral_only && !neutral {
                        *s = script;
                    }
                    range.end = end;
                    neutral_only &= neutral;
                }
                _ => {
                    runs.push((face, script, level, i..end));
                    neutral_only = neutral;
                }
            }
        }
        // The text's cache holds these runs; a second cache per run would only double it.
        let tag = lang.map_or("", Lang::as_str);
        runs.into_iter()
            .map(|(face, script, level, range)| {
                self.shape_run(face, &text[range], Some((script, level)), tag)
            })
            .collect()
    }

    /// Shapes text in one face (characters it lacks become .notdef; callers check coverage),
    /// its script and direction guessed from its first letters.
    pub fn shape_in(&self, face: FaceId, text: &str) -> Shaped {
        self.caches.words.with(
            (|&f: &FaceId| f == face, || face),
            text,
            || self.shape_run(face, text, None, ""),
            Shaped::clone,
        )
    }

    /// Shapes one run in one face with rustybuzz: in its script and at its bidirectional level
    /// when they are known, else as rustybuzz guesses them from its first letters.
    fn shape_run(
        &self,
        face: FaceId,
        text: &str,
        script: Option<(unicode_script::Script, Level)>,
        lang: &str,
    ) -> Shaped {
        let f = &self.faces[face.0];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        if let Some((script, level)) = script {
            let tag = rustybuzz::ttf_parser::Tag::from_bytes_lossy(script.short_name().as_bytes());
            if let Some(script) =
                Script::from_iso15924_tag(tag).filter(|_| script != unicode_script::Script::Common)
            {
                buffer.set_script(script);
            }
            buffer.set_direction(if level.is_rtl() {
                Direction::RightToLeft
            } else {
                Direction::LeftToRight
            });
        }
        let level = script.map_or_else(
            || {
                if buffer.direction() == Direction::RightToLeft {
                    Level::rtl()
                } else {
                    Level::ltr()
                }
            },
            |(_, level)| level,
        );
        // Joiners and non-joiners shape the letters around them and then draw nothing.
        buffer.set_flags(rustybuzz::BufferFlags::REMOVE_DEFAULT_IGNORABLES);
        // Right to left, a vowel mark keeps its own character: the run's glyphs then step back
        // through the text one character at a time, which the PDF marks as reversed text that
        // readers turn round, with no actual text needed.
        if buffer.direction() == Direction::RightToLeft {
            buffer.set_cluster_level(rustybuzz::BufferClusterLevel::MonotoneCharacters);
        }
        if let Ok(language) = lang.parse::<Language>() {
            buffer.set_language(language);
        }
        let plan = self.plan(face, &buffer);
        let output = rustybuzz::shape_with_plan(f.rb(), &plan, buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (info, pos) in infos.iter().zip(positions) {
            let start = info.cluster as usize;
            let end = cluster_end(&starts, start, text.len());
            glyphs.push(Glyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x_advance: pos.x_advance as f32 / f.upem,
                x_offset: pos.x_offset as f32 / f.upem,
                y_offset: pos.y_offset as f32 / f.upem,
                text: offsets(start..end),
            });
        }
        divide_long_clusters(&mut glyphs, text);
        Shaped {
            face,
            text: text.to_string(),
            glyphs,
            level,
        }
    }

    /// The shape plan for a buffer's face, direction, script and language, made once.
    fn plan(&self, face: FaceId, buffer: &UnicodeBuffer) -> Arc<ShapePlan> {
        let key: PlanKey = (face, buffer.direction(), buffer.script(), buffer.language());
        let mut plans = lock(&self.caches.plans);
        let plan = plans
            .entry(key)
            .or_insert_with_key(|(_, direction, script, language)| {
                Arc::new(ShapePlan::new(
                    self.faces[face.0].rb(),
                    *direction,
                    Some(*script),
                    language.as_ref(),
                    &[],
                ))
            });
        Arc::clone(plan)
    }
}

/// Clusters whose text is longer than this many bytes share it out among their glyphs (see
/// [`divide_long_clusters`]). Real clusters — an Indic conjunct, a family emoji of 25 bytes —
/// are far shorter.
const LONG_CLUSTER: usize = 256;

/// Gives each glyph of a long cluster its own consecutive share of the cluster's text (at least
/// one character each, in the glyphs' order; every character kept), where the font draws it as
/// many glyphs: a sequence of 100 000 emoji joined by zero-width joiners is one grapheme, and a
/// font without its ligature draws each emoji. Every glyph of a cluster otherwise carries the
/// whole cluster's text, and the PDF writer compares and copies that text once per glyph:
/// time quadratic in the sequence's length. A cluster with more glyphs than characters keeps
/// its text whole.
fn divide_long_clusters(glyphs: &mut [Glyph], text: &str) {
    let mut i = 0;
    while i < glyphs.len() {
        let range = glyphs[i].text.clone();
        let count = glyphs[i..]
            .iter()
            .take_while(|g| g.text == range)
            .count()
            .max(1);
        let (start, end) = (range.start as usize, range.end as usize);
        let cluster = text.get(start..end).unwrap_or("");
        if count > 1 && cluster.len() > LONG_CLUSTER {
            let bounds: Vec<usize> = cluster
                .char_indices()
                .map(|(at, _)| start + at)
                .chain(std::iter::once(end))
                .collect();
            let chars = bounds.len() - 1;
            if chars >= count {
                // Right to left, glyphs step back through the text.
                let rtl = glyphs
                    .get(i.wrapping_sub(1))
                    .is_some_and(|g| g.text.start >= range.end)
                    || glyphs
                        .get(i + count)
                        .is_some_and(|g| g.text.end <= range.start && g.text != range);
                for k in 0..count {
                    let share = if rtl { count - 1 - k } else { k };
                    let from = bounds[share * chars / count];
                    let to = bounds[(share + 1) * chars / count];
                    glyphs[i + k].text = offsets(from..to);
                }
            }
        }
        i += count;
    }
}

/// Where the cluster starting at byte `start` ends: at the next cluster start in the text
/// (`starts` sorted; glyphs ascend through the text in left-to-right runs and descend in
/// right-to-left ones), or at the text's end.
fn cluster_end(starts: &[usize], start: usize, len: usize) -> usize {
    starts
        .get(starts.partition_point(|&c| c <= start))
        .copied()
        .unwrap_or(len)
}

/// Punctuation, digits, spaces and marks: characters of no script of their own.
fn is_neutral(c: char) -> bool {
    is_neutral_script(script_of(c))
}

/// The scripts of punctuation, digits, spaces and marks, which take the script around them.
fn is_neutral_script(script: unicode_script::Script) -> bool {
    use unicode_script::Script as Us;
    matches!(script, Us::Common | Us::Inherited | Us::Unknown)
}

/// A character's script, without a table lookup for ASCII (most of most books, and all code).
fn script_of(c: char) -> unicode_script::Script {
    use unicode_script::{Script as Us, UnicodeScript};
    if c.is_ascii() {
        if c.is_ascii_alphabetic() {
            Us::Latin
        } else {
            Us::Common
        }
    } else {
        c.script()
    }
}

/// Each character's script, with punctuation, digits, spaces and combining marks (Common and
/// Inherited) taking the script of the letters before them, or at the start of the text, after.
fn resolved_scripts(text: &str) -> Vec<unicode_script::Script> {
    use unicode_script::Script as Us;
    let own: Vec<Us> = text.chars().map(script_of).collect();
    let first = own
        .iter()
        .copied()
        .find(|&s| !is_neutral_script(s))
        .unwrap_or(Us::Common);
    let mut current = first;
    own.into_iter()
        .map(|s| {
            if !is_neutral_script(s) {
                current = s;
            }
            current
        })
        .collect()
}

/// A cache's lock; a panic elsewhere cannot leave a cache half-written, so a poisoned lock is
/// still good.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// [`lock`], to read a cache many threads read at once.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

/// [`lock`], to write a cache many threads read at once.
fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(ranges: &[std::ops::Range<usize>]) -> Vec<Glyph> {
        ranges
            .iter()
            .map(|r| Glyph {
                id: 1,
                x_advance: 1.0,
                x_offset: 0.0,
                y_offset: 0.0,
                text: offsets(r.clone()),
            })
            .collect()
    }

    #[test]
    fn a_long_cluster_shares_its_text_out_in_order_and_a_short_one_keeps_it() {
        // "ab" then a cluster of 300 characters drawn as 3 glyphs, then "c".
        let text = format!("ab{}c", "x".repeat(300));
        let mut g = glyphs(&[0..2, 2..302, 2..302, 2..302, 302..303]);
        divide_long_clusters(&mut g, &text);
        let ranges: Vec<_> = g.iter().map(Glyph::range).collect();
        assert_eq!(ranges, [0..2, 2..102, 102..202, 202..302, 302..303]);
        // Right to left the glyphs step back through the text.
        let mut g = glyphs(&[302..303, 2..302, 2..302, 2..302, 0..2]);
        divide_long_clusters(&mut g, &text);
        let ranges: Vec<_> = g.iter().map(Glyph::range).collect();
        assert_eq!(ranges, [302..303, 202..302, 102..202, 2..102, 0..2]);
        // A short cluster, and one with more glyphs than characters, keep their text whole.
        let short = "xyz";
        let mut g = glyphs(&[0..3, 0..3]);
        divide_long_clusters(&mut g, short);
        assert!(g.iter().all(|g| g.range() == (0..3)));
    }

    #[test]
    fn runs_split_where_script_or_direction_changes() {
        let book = FontBook::load().expect("fonts");
        let texts = |text: &str| -> Vec<String> {
            book.shape_all(text, Style::default(), &mut Vec::new())
                .into_iter()
                .map(|r| r.text)
                .collect()
        };
        // Digits in Arabic run left to right: a run of their own.
        assert_eq!(texts("عام1948"), ["عام", "1948"]);
        // A Greek word inside Latin: one face, two scripts.
        assert_eq!(texts("alpha-αβγ"), ["alpha-", "αβγ"]);
        // Punctuation goes with the letters before it.
        assert_eq!(texts("Hello, world."), ["Hello, world."]);
        // Right to left, the glyphs run from the end of the text to its start.
        let runs = book.shape_all("שלום", Style::default(), &mut Vec::new());
        let starts: Vec<usize> = runs[0].glyphs.iter().map(|g| g.range().start).collect();
        assert!(starts.windows(2).all(|w| w[0] > w[1]), "{starts:?}");
    }

    #[test]
    fn runs_keep_the_levels_their_line_is_placed_by() {
        let book = FontBook::load().expect("fonts");
        for text in [
            "abc שלום 123",
            "שלום, world 42!",
            "عام1948 (نعم)",
            "plain text",
        ] {
            // Shaped, then again from the cache.
            for _ in 0..2 {
                let runs = book.shape_all(text, Style::default(), &mut Vec::new());
                let kept: Vec<Level> = runs.iter().map(|r| r.level).collect();
                let read = crate::layout::bidi::levels(runs.iter().map(|r| r.text.as_str()), None);
                assert_eq!(kept, read, "{text}");
            }
        }
        // Digits after Hebrew in a left-to-right line stand two levels up, not at the line's.
        let runs = book.shape_all("abc שלום 123", Style::default(), &mut Vec::new());
        let numbers: Vec<u8> = runs.iter().map(|r| r.level.number()).collect();
        assert_eq!(numbers, [0, 1, 2]);
    }

    #[test]
    fn shapes_with_kerning_and_falls_back() {
        let book = FontBook::load().expect("fonts");
        let runs = book.shape("AV", Style::default()).expect("covered");
        assert_eq!(runs.len(), 1);
        let kerned = runs[0].width(10.0);
        let a = book.shape_in(runs[0].face, "A").width(10.0);
        let v = book.shape_in(runs[0].face, "V").width(10.0);
        assert!(kerned < a + v, "AV is kerned: {kerned} vs {}", a + v);
        // Cyrillic is not in Atkinson Hyperlegible Next; Noto Sans has it.
        let runs = book.shape("a Ж b", Style::default()).expect("covered");
        assert_eq!(runs.len(), 3);
        assert_ne!(runs[1].face, runs[0].face);
        assert_eq!(
            book.shape("\u{10FFFD}", Style::default()),
            Err(Uncovered('\u{10FFFD}'))
        );
    }

    #[test]
    fn cached_shaping_equals_fresh_shaping() {
        let book = FontBook::load().expect("fonts");
        let face = book.face_for(Style::default());
        for text in ["office", "AVAST", "Знание", "naïve café"] {
            let face = if text.starts_with('З') {
                book.face_for_char(face, 'З').expect("fallback")
            } else {
                face
            };
            let first = book.shape_in(face, text);
            let cached = book.shape_in(face, text);
            let mut buffer = UnicodeBuffer::new();
            buffer.push_str(text);
            let plain = rustybuzz::shape(book.face(face).rb(), &[], buffer);
            let ids: Vec<u16> = plain
                .glyph_infos()
                .iter()
                .map(|g| g.glyph_id as u16)
                .collect();
            assert_eq!(first, cached);
            assert_eq!(first.glyphs.iter().map(|g| g.id).collect::<Vec<_>>(), ids);
        }
    }

    #[test]
    fn invisible_characters_are_not_shaped() {
        let book = FontBook::load().expect("fonts");
        let runs = book
            .shape("a\u{feff}b\u{200b}c\u{ad}d\te", Style::default())
            .expect("covered");
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "abcd e");
    }
}
