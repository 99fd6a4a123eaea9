//! Bidirectional text (Unicode's algorithm, UAX #9): pieces of text in logical order in, their
//! embedding levels and the order they stand in on a line, from the left, out. Each text is
//! analysed once: shaping reads a text on its own ([`char_levels`]) and splits its runs where
//! the direction changes, and a line shaped as one text (running heads, code, page numbers) is
//! placed by the levels its runs keep; a paragraph, whose words are shaped apart, is read whole
//! once ([`levels`]) and its lines placed by the levels of its words.

use unicode_bidi::{BidiClass, BidiInfo, Level};

/// Whether text holds any character that runs right to left (or Arabic digits, which take
/// the direction of the text around them); text without one is left to right throughout and
/// needs no analysis.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        u32::from(c) >= 0x0590
            && matches!(
                unicode_bidi::bidi_class(c),
                BidiClass::R | BidiClass::AL | BidiClass::AN
            )
    })
}

/// The embedding level of each of `pieces` (the level of its first character) when they are
/// read as one paragraph: with base direction right to left if `rtl` is `Some(true)`, left to
/// right if `Some(false)`, or that of the first strong character if `None`. An empty piece
/// takes the level of the piece before it.
pub fn levels<'a>(pieces: impl Iterator<Item = &'a str>, rtl: Option<bool>) -> Vec<Level> {
    let mut text = String::new();
    let starts: Vec<Option<usize>> = pieces
        .map(|piece| {
            (!piece.is_empty()).then(|| {
                let start = text.len();
                text.push_str(piece);
                start
            })
        })
        .collect();
    let base = rtl.map(|rtl| if rtl { Level::rtl() } else { Level::ltr() });
    if !has_rtl(&text) && rtl != Some(true) {
        return vec![Level::ltr(); starts.len()];
    }
    let info = BidiInfo::new(&text, base);
    let mut previous = base.unwrap_or_else(Level::ltr);
    starts
        .into_iter()
        .map(|start| {
            if let Some(level) = start.and_then(|at| info.levels.get(at)) {
                previous = *level;
            }
            previous
        })
        .collect()
}

/// The order in which items at `levels` stand on a line, from the left: every run of items at
/// or above each odd level is reversed, from the highest level down (rule L2).
pub fn visual_order(levels: &[Level]) -> Vec<usize> {
    let number = |i: usize| levels[i].number();
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let highest = levels.iter().map(|l| l.number()).max().unwrap_or(0);
    let lowest_odd = levels
        .iter()
        .map(|l| l.number())
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(highest + 1);
    for at_least in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < order.len() {
            if number(order[i]) >= at_least {
                let start = i;
                while i < order.len() && number(order[i]) >= at_least {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    order
}

/// Where each of a line's items starts, given their widths and levels in logical order: the
/// items laid out left to right in [`visual_order`] from `start`.
pub fn places(start: f32, widths: &[f32], levels: &[Level]) -> Vec<f32> {
    let mut x_of = vec![start; widths.len()];
    let mut x = start;
    for k in visual_order(levels) {
        if let (Some(at), Some(width)) = (x_of.get_mut(k), widths.get(k)) {
            *at = x;
            x += width;
        }
    }
    x_of
}

/// Each character's embedding level in text read on its own (the base direction of its first
/// strong character): odd where it runs right to left. Digits in Arabic or Hebrew text run
/// left to right. Shaping splits runs where the direction changes, and a run keeps the level of
/// its first character, so a line shaped as one text is placed without a second analysis.
pub fn char_levels(text: &str) -> Vec<Level> {
    if !has_rtl(text) {
        return vec![Level::ltr(); text.chars().count()];
    }
    let info = BidiInfo::new(text, None);
    text.char_indices()
        .map(|(i, _)| info.levels.get(i).copied().unwrap_or_else(Level::ltr))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_latin_keep_their_order_inside_right_to_left_text() {
        let words = ["אבג", " ", "123", " ", "xyz", " ", "דהו"];
        let levels = levels(words.iter().copied(), Some(true));
        let order: Vec<&str> = visual_order(&levels)
            .into_iter()
            .map(|i| words[i])
            .collect();
        assert_eq!(order, ["דהו", " ", "xyz", " ", "123", " ", "אבג"]);
        // Left to right, only the Hebrew words turn round.
        let words = ["abc", " ", "אבג", " ", "דהו", " ", "def"];
        let levels = super::levels(words.iter().copied(), Some(false));
        let order: Vec<&str> = visual_order(&levels)
            .into_iter()
            .map(|i| words[i])
            .collect();
        assert_eq!(order, ["abc", " ", "דהו", " ", "אבג", " ", "def"]);
        // The base direction follows the first strong character.
        let levels = super::levels(["שלום", " ", "world"].into_iter(), None);
        assert!(levels[0].is_rtl() && levels[2].is_ltr());
        let rtl: Vec<bool> = char_levels("عام1948").iter().map(|l| l.is_rtl()).collect();
        assert_eq!(rtl, [true, true, true, false, false, false, false]);
        assert!(!has_rtl("plain text 123"));
    }
}
