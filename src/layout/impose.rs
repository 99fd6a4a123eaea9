//! Imposition: a page count in; out, the sides of the sheets a saddle-stitched booklet is
//! printed on, each with the pages it carries left and right. A pure function of the count.
//!
//! The pages are padded with blanks to a multiple of four; each sheet is printed on both sides,
//! folded once and nested in the others, so sheet 1's front carries the last page and the
//! first, its back the second and the second-to-last, and so on inwards. A book read from left
//! to right is bound on the left edge: the first page is the right half of the first side. One
//! read from right to left (Arabic, Hebrew, Urdu) is bound on the right, every side mirrored:
//! the first page is the left half, and the folded booklet opens from the left as such a book
//! does.

/// One side of a sheet: the page (0-based) on its left half and on its right half; `None` is a
/// blank page added to make the count a multiple of four.
pub type Side = [Option<usize>; 2];

/// The edge a booklet is bound on: where its pages turn from, as its script reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// Left to right: the spine on the left of the closed booklet.
    Left,
    /// Right to left: the spine on the right.
    Right,
}

impl Binding {
    /// The binding of a book whose main direction is `direction`.
    pub fn of(direction: crate::lang::Direction) -> Binding {
        match direction {
            crate::lang::Direction::Rtl => Binding::Right,
            crate::lang::Direction::Ltr => Binding::Left,
        }
    }
}

/// The sides of every sheet in printing order (front, back, front, back, …), for a booklet of
/// `pages` pages bound on `binding`'s edge. No pages give no sides.
pub fn saddle_stitch(pages: usize, binding: Binding) -> Vec<Side> {
    let padded = pages.div_ceil(4) * 4;
    let page = |n: usize| (n < pages).then_some(n);
    let mut sides = Vec::with_capacity(padded / 2);
    for sheet in 0..padded / 4 {
        let (outer, inner) = (2 * sheet, padded - 1 - 2 * sheet);
        // Front: the higher page on the left, as the folded sheet shows it.
        sides.push([page(inner), page(outer)]);
        // Back: the next page on the left, its partner on the right.
        sides.push([page(outer + 1), page(inner - 1)]);
    }
    if binding == Binding::Right {
        for side in &mut sides {
            side.reverse();
        }
    }
    sides
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A booklet bound on the left.
    fn stitch(pages: usize) -> Vec<Side> {
        saddle_stitch(pages, Binding::Left)
    }

    /// The pages a side shows as 1-based numbers, 0 for a blank.
    fn numbers(sides: &[Side]) -> Vec<[usize; 2]> {
        sides
            .iter()
            .map(|side| side.map(|p| p.map_or(0, |n| n + 1)))
            .collect()
    }

    #[test]
    fn small_booklets_are_padded_to_a_sheet() {
        assert!(stitch(0).is_empty());
        assert_eq!(numbers(&stitch(1)), [[0, 1], [0, 0]]);
        assert_eq!(numbers(&stitch(2)), [[0, 1], [2, 0]]);
        assert_eq!(numbers(&stitch(3)), [[0, 1], [2, 3]]);
        assert_eq!(numbers(&stitch(4)), [[4, 1], [2, 3]]);
        assert_eq!(numbers(&stitch(5)), [[0, 1], [2, 0], [0, 3], [4, 5]]);
        assert_eq!(numbers(&stitch(8)), [[8, 1], [2, 7], [6, 3], [4, 5]]);
        assert_eq!(numbers(&stitch(6)), [[0, 1], [2, 0], [6, 3], [4, 5]]);
        assert_eq!(numbers(&stitch(7)), [[0, 1], [2, 7], [6, 3], [4, 5]]);
        assert_eq!(
            numbers(&stitch(9)),
            [[0, 1], [2, 0], [0, 3], [4, 9], [8, 5], [6, 7]]
        );
        assert_eq!(
            numbers(&stitch(16)),
            [
                [16, 1],
                [2, 15],
                [14, 3],
                [4, 13],
                [12, 5],
                [6, 11],
                [10, 7],
                [8, 9]
            ]
        );
    }

    /// For every count: half as many sides as padded pages, each page once, each side's two
    /// pages facing each other once folded (their numbers add up to the padded count plus one;
    /// a page beside a blank has its partner among the padding), an even page on the left and an odd one on
    /// the right, and the sheets nested: the outermost pages first.
    #[test]
    fn every_page_is_printed_once_facing_its_partner() {
        for pages in 1..=64 {
            let sides = stitch(pages);
            let padded = pages.div_ceil(4) * 4;
            assert_eq!(sides.len(), padded / 2, "{pages}");
            let mut seen: Vec<usize> = sides.iter().flatten().flatten().copied().collect();
            seen.sort_unstable();
            assert_eq!(seen, (0..pages).collect::<Vec<_>>(), "{pages}");
            let mut outermost = Vec::new();
            for side in &sides {
                let [left, right] = side.map(|p| p.unwrap_or(usize::MAX));
                let known = [left, right].iter().filter(|&&p| p != usize::MAX).count();
                if known == 2 {
                    assert_eq!(left + right + 2, padded + 1, "{pages}: {side:?}");
                    assert!(left % 2 == 1 && right % 2 == 0, "{pages}: {side:?}");
                }
                if known == 1 {
                    let page = left.min(right);
                    let partner = padded - 1 - page;
                    assert!(partner >= pages, "{pages}: {side:?}");
                }
                outermost.push(left.min(right));
            }
            assert!(
                outermost.windows(2).all(|w| w[0] <= w[1]),
                "{pages}: {outermost:?}"
            );
        }
    }

    /// Bound on the right, every side is the left-bound side mirrored: the first page is the
    /// left half of the first side (the front cover as a right-to-left book has it), the second
    /// page the right half of the second side, and the last page faces the first.
    #[test]
    fn right_to_left_booklets_are_bound_on_the_right() {
        let right = |pages| numbers(&saddle_stitch(pages, Binding::Right));
        assert_eq!(right(4), [[1, 4], [3, 2]]);
        assert_eq!(right(8), [[1, 8], [7, 2], [3, 6], [5, 4]]);
        assert_eq!(right(3), [[1, 0], [3, 2]]);
        for pages in 1..=64 {
            let left = stitch(pages);
            let right = saddle_stitch(pages, Binding::Right);
            assert_eq!(left.len(), right.len());
            for (l, r) in left.iter().zip(&right) {
                assert_eq!([l[1], l[0]], *r, "{pages}");
            }
        }
        assert_eq!(Binding::of(crate::lang::Direction::Rtl), Binding::Right);
        assert_eq!(Binding::of(crate::lang::Direction::Ltr), Binding::Left);
    }
}
