//! Right-to-left words whose letters carry marks, arranged for text extractors: a run drawn in
//! page order in; out, the glyphs that carry its text, each letter with its marks, and the marks
//! to draw as outlines.
//!
//! A vowel mark (tanwin, shadda, kasra; Hebrew points) is a glyph of its own, placed over or
//! under its letter, a little off the letter's baseline and overlapping it. poppler
//! (`TextPage::addChar`) starts a new word at a glyph off the baseline or stepping back over
//! the glyph before it, so a vocalised word came back from `pdftotext` in pieces (عقلاً as
//! `ً` `لا` `عق`), and a single-glyph word (لا) came back reversed. Arranged here:
//!
//! - each letter's glyph carries its cluster's text, the letter with its marks, in page order
//!   (as a lam-alef ligature already did), in a run krilla marks `/ReversedChars`, so a reader
//!   reverses the run to read it and a text extractor reads whole words;
//! - the mark glyphs are drawn as outlines, in their place, carrying no text of their own;
//! - a letter whose glyph also carries a zero-width non-joiner (Persian) is drawn so too: a
//!   glyph with two texts would otherwise be given actual text, which splits the run's
//!   reversal in two;
//! - a word that ends (in reading order) with a mark, or is one glyph of several letters, gets
//!   a right-to-left mark (U+200F, invisible) at its end: poppler moves a word's leading
//!   characters that are not right-to-left in front of it (`reorderText`), and a one-glyph run
//!   is never marked reversed;
//! - a glyph maps to one text per font, so such runs are drawn in copies of the face (krilla
//!   tells fonts apart by their data), each run in the first copy where every one of its
//!   glyphs' texts is free or the same; the face itself keeps its plain mappings.

use std::collections::HashMap;
use std::ops::Range;

use unicode_bidi::{BidiClass, bidi_class};

use crate::layout::document::TextRun;
use crate::layout::fonts::Glyph;

/// The right-to-left mark a word is closed with.
const RLM: char = '\u{200F}';

/// How many copies of a face may carry the texts of vocalised words. A copy holds one text for
/// each glyph; a fully vocalised book needs a copy for each way one letter form is marked
/// (some tens); past this many, runs keep krilla's own mapping (actual text).
pub const MAX_VARIANTS: usize = 64;

/// A run as it is drawn: the glyphs that carry the text (page order, their ranges stepping
/// back through `text`), and the marks with the pen position (in ems from the run's start)
/// where each stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Arranged {
    pub glyphs: Vec<Glyph>,
    pub text: String,
    pub marks: Vec<(f32, Glyph)>,
}

/// A cluster: its range of the run's text, and its glyphs with the pen position of each.
type Cluster<'g> = (Range<usize>, Vec<(f32, &'g Glyph)>);

/// Whether a character is right-to-left (Hebrew, Arabic and their kin).
fn rtl(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Whether a character is a zero-width joiner or non-joiner (boundary neutral).
fn joiner(c: char) -> bool {
    bidi_class(c) == BidiClass::BN
}

/// Whether a character is a mark drawn on the letter before it.
fn mark(c: char) -> bool {
    bidi_class(c) == BidiClass::NSM
}

/// Arranges a right-to-left run whose letters carry marks, or that is one glyph of several
/// letters; `None` for every other run, which is drawn as it is. `zero_width` is the face's
/// glyph for U+200F, if it has one.
pub fn arrange(run: &TextRun, zero_width: Option<u16>) -> Option<Arranged> {
    // Every run of every page comes here: first the tests that cost nothing, glyphs stepping
    // back through the text and more than one glyph or one of several characters, then the
    // text's direction.
    let steps_back = run
        .glyphs
        .windows(2)
        .all(|w| w[0].text.start >= w[1].text.start);
    let several = run.glyphs.len() > 1
        || run
            .text
            .get(run.glyphs.first()?.range())
            .is_some_and(|t| t.chars().nth(1).is_some());
    if !steps_back || !several || !run.text.chars().any(rtl) {
        return None;
    }
    // The clusters in page order: glyphs sharing one text range, with their pen positions.
    let mut clusters: Vec<Cluster<'_>> = Vec::new();
    let mut pen = 0.0;
    for g in &run.glyphs {
        match clusters.last_mut() {
            Some((range, glyphs)) if *range == g.range() => glyphs.push((pen, g)),
            _ => clusters.push((g.range(), vec![(pen, g)])),
        }
        pen += g.x_advance;
    }
    // Right to left: each cluster before the one to its left in the text.
    if !clusters.windows(2).all(|w| w[0].0.start >= w[1].0.end) {
        return None;
    }
    // A mark shaped as a cluster of its own (a zero-width glyph of mark characters) joins the
    // letter it follows in the text, the cluster to its right on the page.
    let mut joined: Vec<Cluster<'_>> = Vec::with_capacity(clusters.len());
    let mut pending: Option<Cluster<'_>> = None;
    for (range, glyphs) in clusters {
        let (range, glyphs) = match pending.take() {
            Some((marks, mut marked)) if marks.start == range.end => {
                marked.extend(glyphs);
                (range.start..marks.end, marked)
            }
            Some(unjoined) => {
                joined.push(unjoined);
                (range, glyphs)
            }
            None => (range, glyphs),
        };
        let only_marks = glyphs.iter().all(|(_, g)| g.x_advance == 0.0)
            && run
                .text
                .get(range.clone())
                .is_some_and(|t| !t.is_empty() && t.chars().all(mark));
        if only_marks {
            pending = Some((range, glyphs));
        } else {
            joined.push((range, glyphs));
        }
    }
    joined.extend(pending);
    let clusters = joined;
    // A joiner (the zero-width non-joiner of Persian) shares its letter's glyph: the glyph's
    // text is then not the letter's alone, and krilla would give it actual text, breaking the
    // run's reversal in two.
    let marked = clusters.iter().any(|(range, glyphs)| {
        glyphs.len() > 1
            || run
                .text
                .get(range.clone())
                .is_some_and(|t| t.chars().count() > 1 && t.chars().any(joiner))
    });
    let one_glyph = clusters.len() == 1
        && clusters[0].1.len() == 1
        && run
            .text
            .get(clusters[0].0.clone())?
            .chars()
            .nth(1)
            .is_some();
    if !marked && !one_glyph {
        return None;
    }
    let mut bases = Vec::with_capacity(clusters.len());
    let mut marks = Vec::new();
    let mut texts: Vec<String> = Vec::with_capacity(clusters.len());
    let mut word_start = true;
    for (range, glyphs) in &clusters {
        // The letter: the one glyph that advances; a cluster of several that advance (a
        // ligature broken up) is left to krilla.
        let advancing: Vec<usize> = (0..glyphs.len())
            .filter(|&i| glyphs[i].1.x_advance != 0.0)
            .collect();
        let base = match advancing.as_slice() {
            [one] => *one,
            [] => 0,
            _ => return None,
        };
        let cluster = run.text.get(range.clone())?;
        let mut text: String = cluster.chars().rev().collect();
        if word_start && text.starts_with(mark) {
            text.insert(0, RLM);
        }
        word_start = cluster.chars().all(char::is_whitespace);
        for (i, (at, g)) in glyphs.iter().enumerate() {
            if i == base {
                bases.push((*g).clone());
            } else {
                marks.push((*at, (*g).clone()));
            }
        }
        texts.push(text);
    }
    // The one-glyph word: a zero-width glyph before it (in page order) carries the mark that
    // closes it, so the run has two glyphs and is marked reversed.
    if one_glyph {
        let zero_width = zero_width?;
        bases.insert(
            0,
            Glyph {
                id: zero_width,
                x_advance: 0.0,
                x_offset: 0.0,
                y_offset: 0.0,
                text: 0..0,
            },
        );
        texts.insert(0, RLM.to_string());
    }
    // The text in reading order, each cluster's characters in page order: the ranges step back.
    let mut text = String::new();
    let mut ranges = vec![0..0; texts.len()];
    for (i, piece) in texts.iter().enumerate().rev() {
        let start = text.len();
        text.push_str(piece);
        ranges[i] = start..text.len();
    }
    let glyphs = bases
        .iter()
        .zip(ranges)
        .map(|(g, range)| g.with_range(range))
        .collect();
    Some(Arranged {
        glyphs,
        text,
        marks,
    })
}

/// The copies of faces that arranged runs are drawn in, and the text each copy maps each glyph
/// to; copy 0 is none (the face itself).
#[derive(Debug, Default)]
pub struct Variants {
    maps: HashMap<(crate::layout::fonts::FaceId, usize), HashMap<u16, String>>,
}

impl Variants {
    /// The first copy (1, 2, …) of `face` in which each of `glyphs` maps to its text in `text`,
    /// or has no text yet; the glyphs' texts are taken there. `None` past [`MAX_VARIANTS`].
    pub fn choose(
        &mut self,
        face: crate::layout::fonts::FaceId,
        glyphs: &[Glyph],
        text: &str,
    ) -> Option<usize> {
        let wanted: Vec<(u16, &str)> = glyphs
            .iter()
            .map(|g| (g.id, text.get(g.range()).unwrap_or("")))
            .collect();
        // One glyph, one text within the run too, or no copy can take it.
        if !wanted
            .iter()
            .all(|(id, t)| wanted.iter().all(|(other, u)| other != id || u == t))
        {
            return None;
        }
        for variant in 1..=MAX_VARIANTS {
            let map = self.maps.entry((face, variant)).or_default();
            if wanted
                .iter()
                .all(|(id, t)| map.get(id).is_none_or(|m| m == t))
            {
                for (id, t) in &wanted {
                    map.entry(*id).or_insert_with(|| t.to_string());
                }
                return Some(variant);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FaceId;

    fn glyph(id: u16, advance: f32, text: Range<usize>) -> Glyph {
        Glyph {
            id,
            x_advance: advance,
            x_offset: 0.0,
            y_offset: 0.0,
            text: text.start as u32..text.end as u32,
        }
    }

    fn run(text: &str, glyphs: Vec<Glyph>) -> TextRun {
        TextRun {
            x: 0.0,
            baseline: 0.0,
            face: FaceId(0),
            size: 10.0,
            text: text.to_string(),
            glyphs,
            token: None,
        }
    }

    /// عقلاً drawn as the shaper gives it, in page order: tanwin and lam-alef (one cluster),
    /// qaf, ain. The lam-alef carries the cluster's text in page order after the mark that
    /// closes the word; the tanwin is drawn apart; a reader reversing the run reads the word.
    #[test]
    fn a_vocalised_word_is_carried_by_its_letters() {
        let text = "عقلاً";
        // ع 0..2, ق 2..4, لاً 4..10
        let r = run(
            text,
            vec![
                glyph(9, 0.0, 4..10),
                glyph(8, 0.5, 4..10),
                glyph(7, 0.4, 2..4),
                glyph(6, 0.45, 0..2),
            ],
        );
        let arranged = arrange(&r, Some(1)).expect("arranged");
        assert_eq!(arranged.marks.len(), 1);
        assert_eq!(arranged.marks[0].1.id, 9);
        let ids: Vec<u16> = arranged.glyphs.iter().map(|g| g.id).collect();
        assert_eq!(ids, [8, 7, 6]);
        let shown: String = arranged
            .glyphs
            .iter()
            .map(|g| &arranged.text[g.range()])
            .collect();
        assert_eq!(shown, "\u{200F}\u{064B}\u{0627}\u{0644}\u{0642}\u{0639}");
        let read: String = shown.chars().rev().collect();
        assert_eq!(read, format!("{text}\u{200F}"));
        assert!(
            arranged
                .glyphs
                .windows(2)
                .all(|w| w[0].text.start >= w[1].text.end)
        );
    }

    /// لا alone, one glyph: a zero-width glyph before it carries the closing mark, so the run
    /// is reversed; a face without one leaves the run as it is. Left-to-right runs and
    /// right-to-left runs without marks are drawn as they are.
    #[test]
    fn only_marked_or_single_glyph_right_to_left_runs_are_arranged() {
        let la = run("لا", vec![glyph(5, 0.5, 0..4)]);
        let arranged = arrange(&la, Some(1)).expect("arranged");
        let ids: Vec<u16> = arranged.glyphs.iter().map(|g| g.id).collect();
        assert_eq!(ids, [1, 5]);
        assert_eq!(&arranged.text[arranged.glyphs[1].range()], "ال");
        assert_eq!(&arranged.text[arranged.glyphs[0].range()], "\u{200F}");
        assert_eq!(arrange(&la, None), None);
        let plain = run("عق", vec![glyph(7, 0.4, 2..4), glyph(6, 0.45, 0..2)]);
        assert_eq!(arrange(&plain, Some(1)), None);
        let latin = run("é", vec![glyph(3, 0.5, 0..3), glyph(4, 0.0, 0..3)]);
        assert_eq!(arrange(&latin, Some(1)), None);
    }

    /// A glyph keeps one text in each copy of its face: a second text takes the next copy.
    #[test]
    fn a_glyph_with_another_text_takes_another_copy() {
        let mut variants = Variants::default();
        let face = FaceId(2);
        let text = "مّم";
        let first = [glyph(4, 0.5, 0..4)];
        let second = [glyph(4, 0.5, 4..6)];
        assert_eq!(variants.choose(face, &first, text), Some(1));
        assert_eq!(variants.choose(face, &first, text), Some(1));
        assert_eq!(variants.choose(face, &second, text), Some(2));
        assert_eq!(variants.choose(FaceId(3), &second, text), Some(1));
    }
}
