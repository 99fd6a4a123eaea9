//! Tests of the line breaker: examples, and properties checked against a brute-force oracle
//! that tries every way of breaking a paragraph.

use super::*;
use proptest::prelude::*;

// ---- building paragraphs ----

fn word(width: f32) -> Item {
    Item::Box { width }
}

/// Interword glue that stretches by half and shrinks by a third of its width.
fn space(width: f32) -> Item {
    Item::Glue {
        width,
        stretch: width / 2.0,
        shrink: width / 3.0,
    }
}

fn hyphen() -> Item {
    Item::Penalty {
        width: 3.0,
        cost: 50.0,
        flagged: true,
    }
}

fn forced() -> Item {
    Item::Penalty {
        width: 0.0,
        cost: f32::NEG_INFINITY,
        flagged: false,
    }
}

fn finished(mut items: Vec<Item>) -> Vec<Item> {
    items.extend(FINISHING_SEQUENCE);
    items
}

/// Words of the given widths separated by `space(5.0)`, finished.
fn words(widths: &[f32]) -> Vec<Item> {
    let mut items = Vec::new();
    for (i, &width) in widths.iter().enumerate() {
        if i > 0 {
            items.push(space(5.0));
        }
        items.push(word(width));
    }
    finished(items)
}

fn fixed(width: f32) -> impl Fn(usize) -> f32 {
    move |_| width
}

fn indices(breaks: &[Break]) -> Vec<usize> {
    breaks.iter().map(|b| b.index).collect()
}

// ---- judging lines, independently, from the documented model ----

/// Sums over one line's items, plus the width of the penalty it breaks at.
#[derive(Debug, Clone, Copy, Default)]
struct Line {
    natural: f64,
    stretch: f64,
    fil: bool,
    shrink: f64,
    boxes: usize,
}

fn measure_line(items: &[Item], range: Range<usize>, end: usize) -> Line {
    let mut line = Line::default();
    for item in &items[range] {
        match *item {
            Item::Box { width } => {
                line.natural += f64::from(width);
                line.boxes += 1;
            }
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                line.natural += f64::from(width);
                if stretch == f32::INFINITY {
                    line.fil = true;
                } else {
                    line.stretch += f64::from(stretch);
                }
                line.shrink += f64::from(shrink);
            }
            Item::Penalty { .. } => {}
        }
    }
    if let Some(Item::Penalty { width, .. }) = items.get(end) {
        line.natural += f64::from(*width);
    }
    line
}

/// The width of a line set with `ratio` applied to its glue.
fn set_width(line: &Line, ratio: f32) -> f64 {
    let r = f64::from(ratio);
    if r > 0.0 {
        if line.fil {
            f64::INFINITY
        } else {
            line.natural + r * line.stretch
        }
    } else if r < 0.0 {
        line.natural + r * line.shrink
    } else {
        line.natural
    }
}

fn legal(items: &[Item], i: usize) -> bool {
    match items[i] {
        Item::Box { .. } => false,
        Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
        Item::Penalty { cost, .. } => cost < INFINITE,
    }
}

/// Whether the box at `i` fits the measure on some line: one that starts at the box and ends
/// at a legal break after it, set as tightly as allowed. Exact, like the line breaker: a box
/// that overfills its tightest line by a hair cannot be placed.
fn fits_somewhere(items: &[Item], i: usize, measure: f64, ragged: bool) -> bool {
    let mut width = 0.0;
    for (e, item) in items.iter().enumerate().skip(i) {
        if e > i && legal(items, e) {
            let hyphen = match *item {
                Item::Penalty { width, .. } => f64::from(width),
                _ => 0.0,
            };
            if width + hyphen <= measure {
                return true;
            }
        }
        match *item {
            Item::Box { width: w } => width += f64::from(w),
            Item::Glue {
                width: w, shrink, ..
            } => width += f64::from(if ragged { w } else { w - shrink }),
            Item::Penalty { .. } => {}
        }
        if width > measure {
            return false;
        }
    }
    false
}

/// Judges a sequence of breaks as a pass with `limits` would: `None` if the pass rejects it,
/// else the number of boxes on overfull lines and the total demerits.
fn judge(
    items: &[Item],
    breaks: &[usize],
    widths: &dyn Fn(usize) -> f32,
    settings: &Settings,
    limits: Limits,
) -> Option<(u64, f64)> {
    let mut start = 0;
    let (mut fitness, mut flagged_before, mut run) = (1u8, false, 0usize);
    let (mut overfull_boxes, mut total) = (0u64, 0.0f64);
    for (n, &b) in breaks.iter().enumerate() {
        if b < start {
            return None;
        }
        let line = measure_line(items, start..b, b);
        let m = f64::from(widths(n));
        let (cost, flagged, forced) = match items[b] {
            Item::Penalty { cost, flagged, .. } => (f64::from(cost), flagged, cost <= -FORCED),
            _ => (0.0, false, false),
        };
        let shortfall = m - line.natural;
        let (r, overflow) = if settings.ragged {
            let r = if shortfall <= 0.0 || line.fil {
                0.0
            } else {
                shortfall / (m / 3.0)
            };
            (r, (-shortfall).max(0.0))
        } else if shortfall > 0.0 {
            let r = if line.fil {
                0.0
            } else if line.stretch > 0.0 {
                shortfall / line.stretch
            } else {
                f64::INFINITY
            };
            (r, 0.0)
        } else if shortfall == 0.0 {
            (0.0, 0.0)
        } else if -shortfall <= line.shrink {
            (shortfall / line.shrink, 0.0)
        } else {
            (-1.0, -shortfall - line.shrink)
        };
        run = if flagged { run + 1 } else { 0 };
        if !limits.emergency
            && (overflow > 0.0 || r > limits.tolerance || run > settings.max_consecutive_hyphens)
        {
            return None;
        }
        if overflow > 0.0 {
            overfull_boxes += line.boxes as u64;
        }
        let class: u8 = if r < -0.5 {
            0
        } else if r <= 0.5 {
            1
        } else if r <= 1.0 {
            2
        } else {
            3
        };
        let badness = (100.0 * r.abs().powi(3)).min(10_000.0);
        let mut demerits = (f64::from(settings.line_penalty) + badness).powi(2);
        if !forced {
            demerits += cost * cost.abs();
        }
        if flagged && flagged_before {
            demerits += f64::from(settings.flagged_demerits);
        }
        if class.abs_diff(fitness) > 1 {
            demerits += f64::from(settings.fitness_demerits);
        }
        total += demerits;
        fitness = class;
        flagged_before = flagged;
        start = b + 1;
        while start < items.len()
            && match items[start] {
                Item::Box { .. } => false,
                Item::Glue { .. } => true,
                Item::Penalty { cost, .. } => cost > -FORCED,
            }
        {
            start += 1;
        }
    }
    Some((overfull_boxes, total))
}

/// The best of all sequences of legal breaks ending at the final penalty, judged by `judge`:
/// fewest boxes on overfull lines, then fewest demerits.
fn brute_force(
    items: &[Item],
    widths: &dyn Fn(usize) -> f32,
    settings: &Settings,
    limits: Limits,
) -> Option<(u64, f64)> {
    let last = items.len() - 1;
    let optional: Vec<usize> = (0..last).filter(|&i| legal(items, i)).collect();
    assert!(optional.len() <= 16, "too many breakpoints to try them all");
    let mut best: Option<(u64, f64)> = None;
    for mask in 0u32..(1 << optional.len()) {
        let mut breaks: Vec<usize> = optional
            .iter()
            .enumerate()
            .filter(|(k, _)| mask >> k & 1 == 1)
            .map(|(_, &i)| i)
            .collect();
        breaks.push(last);
        if let Some(cost) = judge(items, &breaks, widths, settings, limits)
            && best.is_none_or(|b| cost.0 < b.0 || (cost.0 == b.0 && cost.1 < b.1))
        {
            best = Some(cost);
        }
    }
    best
}

// ---- unit tests ----

#[test]
fn simple_paragraph_breaks_where_expected() {
    // Six words of 10 and spaces of 5 (stretch 3, shrink 2): three words make 40, which a
    // measure of 39 takes shrunk by a quarter; two words would have to stretch by 14/3, four
    // do not fit even fully shrunk.
    let mut items = Vec::new();
    for i in 0..6 {
        if i > 0 {
            items.push(Item::Glue {
                width: 5.0,
                stretch: 3.0,
                shrink: 2.0,
            });
        }
        items.push(word(10.0));
    }
    let items = finished(items);
    let solution = break_paragraph(&items, &fixed(39.0), &Settings::default());
    assert_eq!(solution.pass, Pass::Normal);
    assert_eq!(indices(&solution.breaks), [5, 12]);
    assert!(
        (solution.breaks[0].ratio + 0.25).abs() < 1e-6,
        "{solution:?}"
    );
    // The last line, with fil glue, must shrink just the same.
    assert!(
        (solution.breaks[1].ratio + 0.25).abs() < 1e-6,
        "{solution:?}"
    );
    assert!(solution.breaks.iter().all(|b| !b.hyphenated));
    assert_eq!(line_ranges(&items, &solution.breaks), [0..5, 6..12]);
}

#[test]
fn each_line_gets_its_own_width() {
    // Ten words of 10: a first line of 40 takes three (exactly), the second of 100 the rest.
    let items = words(&[10.0; 10]);
    let width = |n: usize| if n == 0 { 40.0 } else { 100.0 };
    let breaks = break_lines(&items, &width, &Settings::default());
    assert_eq!(indices(&breaks), [5, 20]);
    for (n, (range, brk)) in line_ranges(&items, &breaks)
        .into_iter()
        .zip(&breaks)
        .enumerate()
    {
        let line = measure_line(&items, range, brk.index);
        assert!(set_width(&line, brk.ratio) <= f64::from(width(n)) + 0.01);
    }
}

#[test]
fn forced_penalty_forces_break() {
    for cost in [f32::NEG_INFINITY, -FORCED, -20_000.0] {
        // "10 10 \\ 10 10": all of it would fit one line of 100.
        let items = vec![
            word(10.0),
            space(5.0),
            word(10.0),
            FINISHING_SEQUENCE[0],
            Item::Penalty {
                width: 0.0,
                cost,
                flagged: false,
            },
            word(10.0),
            space(5.0),
            word(10.0),
            FINISHING_SEQUENCE[0],
            FINISHING_SEQUENCE[1],
        ];
        let solution = break_paragraph(&items, &fixed(100.0), &Settings::default());
        assert_eq!(indices(&solution.breaks), [4, 9], "cost {cost}");
        assert_eq!(solution.pass, Pass::Normal);
    }
    // Without fil glue before it, the short line cannot be justified; it is broken anyway.
    let items = finished(vec![
        word(10.0),
        space(5.0),
        word(10.0),
        forced(),
        word(10.0),
    ]);
    let solution = break_paragraph(&items, &fixed(100.0), &Settings::default());
    assert_eq!(indices(&solution.breaks), [3, 6]);
    assert_eq!(solution.pass, Pass::Unlimited);
}

#[test]
fn infinite_penalty_forbids_break() {
    // Three words of 30; two and a space stretching 5 fill 70 at ratio 1.
    let sp = Item::Glue {
        width: 5.0,
        stretch: 5.0,
        shrink: 5.0 / 3.0,
    };
    let plain = finished(vec![word(30.0), sp, word(30.0), sp, word(30.0)]);
    let breaks = break_lines(&plain, &fixed(70.0), &Settings::default());
    assert_eq!(indices(&breaks), [3, 6]);
    for cost in [f32::INFINITY, INFINITE, 1.0e9] {
        // A tie before the second space: neither it nor the glue after it is a legal break,
        // so the first word has to stand alone.
        let tie = Item::Penalty {
            width: 0.0,
            cost,
            flagged: false,
        };
        let tied = finished(vec![word(30.0), sp, word(30.0), tie, sp, word(30.0)]);
        let breaks = break_lines(&tied, &fixed(70.0), &Settings::default());
        assert_eq!(indices(&breaks), [1, 7], "cost {cost}");
    }
    // Just below INFINITE, a penalty is a legal (if costly) break.
    let almost = Item::Penalty {
        width: 0.0,
        cost: INFINITE - 1.0,
        flagged: false,
    };
    let items = finished(vec![word(30.0), sp, word(30.0), almost, word(30.0)]);
    let solution = break_paragraph(&items, &fixed(70.0), &Settings::default());
    assert_eq!(indices(&solution.breaks), [3, 6]);
    assert_eq!(solution.pass, Pass::Normal);
}

#[test]
fn no_line_ends_among_the_items_discarded_after_a_break() {
    // After a break at the space, the attractive penalty right after it is discarded: it
    // cannot end an empty line. Breaking at the penalty instead overfills the first line
    // (the space before it counts), so the space it is, and the penalty goes unused.
    let items = finished(vec![
        word(20.0),
        Item::Glue {
            width: 5.0,
            stretch: 0.0,
            shrink: 0.0,
        },
        Item::Penalty {
            width: 0.0,
            cost: -5000.0,
            flagged: false,
        },
        word(20.0),
    ]);
    let solution = break_paragraph(&items, &fixed(22.0), &Settings::default());
    assert_eq!(indices(&solution.breaks), [1, 5]);
    assert_eq!(solution.pass, Pass::Unlimited);
    assert_eq!(line_ranges(&items, &solution.breaks), [0..1, 3..5]);
    // Ragged, an empty line there would only be 3 nominal stretches short (badness 2700),
    // and the penalty's bonus would pay for it; it is still not a line.
    let ragged = Settings {
        ragged: true,
        tolerance: 4.0,
        ..Settings::default()
    };
    let solution = break_paragraph(&items, &fixed(22.0), &ragged);
    assert_eq!(indices(&solution.breaks), [1, 5]);
    assert_eq!(solution.pass, Pass::Normal);
}

#[test]
fn empty_input_returns_one_break() {
    for width in [100.0, 0.0, -10.0] {
        let breaks = break_lines(&[], &fixed(width), &Settings::default());
        assert_eq!(breaks.len(), 1);
        assert_eq!(breaks[0].index, 1, "the appended forced penalty");
        assert_eq!(breaks[0].ratio, 0.0);
        assert_eq!(line_ranges(&[], &breaks), vec![0..0]);
    }
    let breaks = break_lines(&FINISHING_SEQUENCE, &fixed(100.0), &Settings::default());
    assert_eq!(indices(&breaks), [1]);
    assert_eq!(line_ranges(&FINISHING_SEQUENCE, &breaks), vec![0..1]);
}

#[test]
fn missing_finishing_sequence_is_appended() {
    let items = vec![word(10.0), space(5.0), word(10.0)];
    let breaks = break_lines(&items, &fixed(100.0), &Settings::default());
    assert_eq!(indices(&breaks), [4]);
    assert_eq!(line_ranges(&items, &breaks), vec![0..3]);
    let explicit = break_lines(&finished(items), &fixed(100.0), &Settings::default());
    assert_eq!(breaks, explicit);
}

#[test]
fn box_wider_than_measure_is_alone_on_an_overfull_line() {
    let items = words(&[10.0, 10.0, 10.0, 120.0, 10.0, 10.0]);
    let solution = break_paragraph(&items, &fixed(50.0), &Settings::default());
    assert_eq!(solution.pass, Pass::Emergency);
    let ranges = line_ranges(&items, &solution.breaks);
    let wide = ranges.iter().position(|r| r.contains(&6)).unwrap();
    assert_eq!(ranges[wide], 6..7, "{ranges:?}");
    for (k, (range, brk)) in ranges.into_iter().zip(&solution.breaks).enumerate() {
        assert!(brk.ratio >= -1.0);
        let line = measure_line(&items, range, brk.index);
        assert_eq!(k == wide, set_width(&line, brk.ratio) > 50.0, "line {k}");
    }

    // A syllable too wide even before its hyphen goes alone too, hyphen and all, rather than
    // taking the next syllable along.
    let items = finished(vec![
        word(10.0),
        space(5.0),
        word(45.0),
        hyphen(),
        word(0.5),
        space(5.0),
        word(10.0),
    ]);
    let solution = break_paragraph(&items, &fixed(40.0), &Settings::default());
    assert_eq!(solution.pass, Pass::Emergency);
    let ranges = line_ranges(&items, &solution.breaks);
    assert!(ranges.contains(&(2..3)), "{ranges:?}");

    // Boxes with no legal break between them stay together.
    let items = finished(vec![word(10.0), space(5.0), word(30.0), word(30.0)]);
    let breaks = break_lines(&items, &fixed(40.0), &Settings::default());
    assert_eq!(line_ranges(&items, &breaks), [0..1, 2..5]);
}

#[test]
fn ragged_lines_have_zero_ratio_and_fit() {
    let widths = [
        30.0, 12.0, 25.0, 8.0, 40.0, 17.0, 22.0, 9.0, 33.0, 14.0, 28.0,
    ];
    let items = words(&widths);
    let ragged = Settings {
        ragged: true,
        ..Settings::default()
    };
    let solution = break_paragraph(&items, &fixed(80.0), &ragged);
    assert_eq!(solution.pass, Pass::Normal);
    assert!(solution.breaks.len() > 2);
    let ranges = line_ranges(&items, &solution.breaks);
    for (range, brk) in ranges.into_iter().zip(&solution.breaks) {
        assert_eq!(brk.ratio, 0.0);
        assert!(measure_line(&items, range, brk.index).natural <= 80.0);
    }
    // Justified, the same paragraph does stretch or shrink lines.
    let justified = break_lines(&items, &fixed(80.0), &Settings::default());
    assert!(justified.iter().any(|b| b.ratio != 0.0));
}

#[test]
fn hyphenation_respects_the_limit() {
    // "20 15-15 20" at 43: the hyphen makes a perfect first line.
    let items = finished(vec![
        word(20.0),
        space(5.0),
        word(15.0),
        hyphen(),
        word(15.0),
        space(5.0),
        word(20.0),
    ]);
    let solution = break_paragraph(&items, &fixed(43.0), &Settings::default());
    assert_eq!(solution.pass, Pass::Normal);
    assert_eq!(indices(&solution.breaks), [3, 8]);
    assert!(solution.breaks[0].hyphenated);
    // With no hyphens allowed it makes do with short unjustifiable lines.
    let none = Settings {
        max_consecutive_hyphens: 0,
        ..Settings::default()
    };
    let solution = break_paragraph(&items, &fixed(43.0), &none);
    assert_eq!(solution.pass, Pass::Unlimited);
    assert_eq!(indices(&solution.breaks), [1, 5, 8]);

    // "30-30-30-30" at 40: every syllable needs its own line, so three hyphens in a row; that
    // is an emergency when the limit is 2, but no line is overfull.
    let items = finished(vec![
        word(30.0),
        hyphen(),
        word(30.0),
        hyphen(),
        word(30.0),
        hyphen(),
        word(30.0),
    ]);
    let solution = break_paragraph(&items, &fixed(40.0), &Settings::default());
    assert_eq!(solution.pass, Pass::Emergency);
    assert_eq!(indices(&solution.breaks), [1, 3, 5, 8]);
    let three = Settings {
        max_consecutive_hyphens: 3,
        ..Settings::default()
    };
    let solution = break_paragraph(&items, &fixed(40.0), &three);
    assert_eq!(solution.pass, Pass::Unlimited);
    assert_eq!(indices(&solution.breaks), [1, 3, 5, 8]);
}

#[test]
fn degenerate_input_does_not_panic() {
    let measures = [
        0.0,
        -10.0,
        1.0e30,
        f32::MAX,
        f32::INFINITY,
        f32::NAN,
        f32::MIN_POSITIVE,
    ];
    let paragraphs = [
        words(&[10.0, 20.0]),
        words(&[1.0e30, 10.0, 1.0e30]),
        words(&[f32::MAX, f32::MAX, 1.0]),
        finished(vec![word(f32::INFINITY), space(f32::MAX), word(f32::NAN)]),
        vec![word(-5.0), space(-3.0), word(10.0)],
        vec![space(5.0); 4],
        vec![forced(); 3],
        vec![
            hyphen(),
            hyphen(),
            word(4.0),
            hyphen(),
            forced(),
            space(1.0),
        ],
        vec![Item::Penalty {
            width: f32::NAN,
            cost: f32::NAN,
            flagged: true,
        }],
    ];
    let odd = [
        Settings::default(),
        Settings {
            ragged: true,
            ..Settings::default()
        },
        Settings {
            tolerance: f32::NAN,
            line_penalty: f32::INFINITY,
            flagged_demerits: f32::NAN,
            fitness_demerits: -1.0e30,
            max_consecutive_hyphens: usize::MAX,
            ragged: false,
        },
        Settings {
            tolerance: -5.0,
            max_consecutive_hyphens: 0,
            ..Settings::default()
        },
        Settings {
            tolerance: f32::INFINITY,
            ..Settings::default()
        },
    ];
    for items in &paragraphs {
        let last = match items.last() {
            Some(Item::Penalty { cost, .. }) if *cost <= -FORCED => items.len() - 1,
            _ => items.len() + 1,
        };
        for &measure in &measures {
            for settings in &odd {
                let breaks = break_lines(items, &fixed(measure), settings);
                assert!(!breaks.is_empty());
                assert!(breaks.windows(2).all(|w| w[0].index < w[1].index));
                assert_eq!(breaks.last().map(|b| b.index), Some(last));
                assert!(
                    breaks
                        .iter()
                        .all(|b| b.ratio.is_finite() && b.ratio >= -1.0)
                );
                assert_eq!(line_ranges(items, &breaks).len(), breaks.len());
            }
        }
    }
}

#[test]
fn pruning_keeps_candidates_with_fewer_hyphens_in_a_row() {
    // Found by `total_fit_matches_brute_force` against a pruning that let a cheaper
    // candidate with more hyphenated lines in a row (so fewer options later) win.
    let para = Para {
        words: vec![
            (vec![7.0], 4.0),
            (vec![4.6532373, 31.346764], 5.1822667),
            (vec![4.8253, 14.1747], 4.1337423),
            (vec![21.864758, 12.135242], 5.2622137),
        ],
        measure: 51.48716,
        settings: Settings {
            tolerance: 0.5,
            ..Settings::default()
        },
        fil: f32::INFINITY,
        hyphen_cost: 50.0,
    };
    check_total_fit(&para, 1).unwrap();
}

#[test]
fn line_numbers_are_told_apart_while_the_measure_varies() {
    // Found by `total_fit_matches_brute_force` against a version that merged breakpoints
    // reached with different line counts, with alternating line widths.
    let para = Para {
        words: vec![(vec![1.0], 4.0), (vec![2.712959, 30.28704], 6.8752913)],
        measure: 37.359962,
        settings: Settings {
            tolerance: 0.5,
            max_consecutive_hyphens: 1,
            ..Settings::default()
        },
        fil: f32::INFINITY,
        hyphen_cost: 50.0,
    };
    check_total_fit(&para, 2).unwrap();
}

// ---- property tests ----

/// A paragraph of words (each a list of syllable widths, with the space after it), set at
/// one measure.
#[derive(Debug, Clone)]
struct Para {
    words: Vec<(Vec<f32>, f32)>,
    measure: f32,
    settings: Settings,
    /// Stretch of the finishing glue: infinite or merely huge.
    fil: f32,
    /// Cost of every hyphen penalty.
    hyphen_cost: f32,
}

impl Para {
    fn items(&self) -> Vec<Item> {
        let mut items = Vec::new();
        for (i, (syllables, gap)) in self.words.iter().enumerate() {
            if i > 0 {
                items.push(space(*gap));
            }
            for (j, &width) in syllables.iter().enumerate() {
                if j > 0 {
                    items.push(Item::Penalty {
                        width: 3.0,
                        cost: self.hyphen_cost,
                        flagged: true,
                    });
                }
                items.push(word(width));
            }
        }
        items.push(Item::Glue {
            width: 0.0,
            stretch: self.fil,
            shrink: 0.0,
        });
        items.push(forced());
        items
    }

    fn width(&self, n: usize, shape: u8) -> f32 {
        match shape {
            0 => self.measure,
            1 if n == 0 => self.measure * 0.6,
            1 => self.measure,
            _ if n.is_multiple_of(2) => self.measure,
            _ => self.measure * 0.8,
        }
    }
}

/// A word 1..=`max` wide, split into 2..=`max_syllables` syllables with probability `split`.
fn syllables(max: u32, max_syllables: usize, split: f64) -> impl Strategy<Value = Vec<f32>> {
    (
        1..=max,
        prop::collection::vec(0.0f32..1.0, 1..max_syllables),
        prop::bool::weighted(split),
    )
        .prop_map(|(width, mut cuts, split)| {
            let width = width as f32;
            if !split {
                return vec![width];
            }
            cuts.sort_by(f32::total_cmp);
            let mut pieces = Vec::new();
            let mut done = 0.0;
            for cut in cuts {
                let at = width * cut;
                if at > done && at < width {
                    pieces.push(at - done);
                    done = at;
                }
            }
            pieces.push(width - done);
            pieces
        })
}

fn paragraph() -> impl Strategy<Value = Para> {
    (
        prop::collection::vec((syllables(60, 4, 0.5), 4.0f32..=8.0), 1..=200),
        40.0f32..=400.0,
        any::<bool>(),
        0usize..=3,
        prop_oneof![Just(f32::INFINITY), Just(1.0e6f32)],
    )
        .prop_map(|(words, measure, ragged, max_hyphens, fil)| Para {
            words,
            measure,
            settings: Settings {
                ragged,
                max_consecutive_hyphens: max_hyphens,
                ..Settings::default()
            },
            fil,
            hyphen_cost: 50.0,
        })
}

/// Paragraphs small enough to try every sequence of breaks, with a line-width shape: 0
/// constant, 1 a narrower first line, 2 alternating.
fn small_paragraph() -> impl Strategy<Value = (Para, u8)> {
    (
        prop::collection::vec((syllables(40, 2, 0.8), 4.0f32..=8.0), 1..=6),
        20.0f32..=120.0,
        any::<bool>(),
        0usize..=3,
        prop_oneof![Just(0.5f32), Just(1.0), Just(2.0), Just(3.0)],
        prop_oneof![Just(100.0f32), Just(10_000.0)],
        prop_oneof![Just(3000.0f32), Just(1.0e6)],
        (
            prop_oneof![Just(f32::INFINITY), Just(1.0e6f32)],
            prop_oneof![Just(50.0f32), Just(-500.0)],
        ),
        0u8..3,
    )
        .prop_map(
            |(
                words,
                measure,
                ragged,
                max_hyphens,
                tolerance,
                gamma,
                alpha,
                (fil, hyphen_cost),
                shape,
            )| {
                let settings = Settings {
                    ragged,
                    max_consecutive_hyphens: max_hyphens,
                    tolerance,
                    fitness_demerits: gamma,
                    flagged_demerits: alpha,
                    ..Settings::default()
                };
                let para = Para {
                    words,
                    measure,
                    settings,
                    fil,
                    hyphen_cost,
                };
                (para, shape)
            },
        )
}

/// Checks a paragraph's solution against every possible sequence of breaks: the first pass
/// with any feasible sequence is the pass reported, and no sequence has fewer demerits; in an
/// emergency, none has fewer boxes on overfull lines.
fn check_total_fit(para: &Para, shape: u8) -> Result<(), TestCaseError> {
    let items = para.items();
    let settings = &para.settings;
    let widths = |n: usize| para.width(n, shape);
    let solution = break_paragraph(&items, &widths, settings);
    let ours = indices(&solution.breaks);
    let mut found = false;
    for (pass, tolerance) in pass_tolerances(settings.tolerance) {
        let limits = Limits {
            tolerance,
            emergency: false,
        };
        if let Some((_, best)) = brute_force(&items, &widths, settings, limits) {
            prop_assert_eq!(solution.pass, pass);
            let judged = judge(&items, &ours, &widths, settings, limits);
            prop_assert!(judged.is_some(), "{:?} infeasible in {:?}", ours, pass);
            let (_, got) = judged.unwrap();
            prop_assert!(
                (got - best).abs() <= 1e-9 * best.abs().max(1.0),
                "demerits {} but {} possible",
                got,
                best
            );
            found = true;
            break;
        }
    }
    if !found {
        prop_assert_eq!(solution.pass, Pass::Emergency);
        // Shortening one line moves the later ones to other widths, so with alternating
        // widths the emergency pass's search is not exhaustive.
        if shape != 2 {
            let limits = Limits {
                tolerance: f64::INFINITY,
                emergency: true,
            };
            let best = brute_force(&items, &widths, settings, limits).unwrap();
            let got = judge(&items, &ours, &widths, settings, limits).unwrap();
            prop_assert_eq!(got.0, best.0, "boxes on overfull lines");
        }
    }
    Ok(())
}

#[test]
fn pruning_keeps_candidates_that_fitness_demerits_could_still_favour() {
    // Found by `total_fit_matches_brute_force` against a pruning that ignored the fitness
    // demerits a candidate might still incur on the next line.
    let para = Para {
        words: vec![
            (vec![13.0], 4.0),
            (vec![0.5052244, 2.4947755], 6.5414934),
            (vec![32.0], 4.0),
            (vec![9.0], 5.1519747),
        ],
        measure: 45.26499,
        settings: Settings {
            tolerance: 0.5,
            ragged: true,
            max_consecutive_hyphens: 1,
            fitness_demerits: 10_000.0,
            ..Settings::default()
        },
        fil: 1.0e6,
        hyphen_cost: 50.0,
    };
    check_total_fit(&para, 0).unwrap();
}

proptest! {
    /// (a) Every line, with its ratio applied, fits the measure, except a line holding a
    /// single box that fits on no line at all.
    #[test]
    fn lines_fit_the_measure_unless_a_lone_box_cannot(para in paragraph()) {
        let items = para.items();
        let m = f64::from(para.measure);
        let breaks = break_lines(&items, &|_| para.measure, &para.settings);
        for (range, brk) in line_ranges(&items, &breaks).into_iter().zip(&breaks) {
            prop_assert!(brk.ratio >= -1.0, "ratio {} below -1", brk.ratio);
            if para.settings.ragged {
                prop_assert_eq!(brk.ratio, 0.0);
            }
            let line = measure_line(&items, range.clone(), brk.index);
            if set_width(&line, brk.ratio) > m + 0.01 {
                prop_assert_eq!(line.boxes, 1, "overfull line {:?}", range);
                let b = range.clone().find(|&i| matches!(items[i], Item::Box { .. })).unwrap();
                prop_assert!(
                    !fits_somewhere(&items, b, m, para.settings.ragged),
                    "overfull line {:?} holds a box that fits elsewhere", range
                );
            }
        }
    }

    /// (b) Rejoining the lines gives back every box, in order, once.
    #[test]
    fn lines_give_back_every_box_in_order(para in paragraph()) {
        let items = para.items();
        let breaks = break_lines(&items, &|_| para.measure, &para.settings);
        let boxes = |items: &[Item]| -> Vec<u32> {
            items
                .iter()
                .filter_map(|item| match item {
                    Item::Box { width } => Some(width.to_bits()),
                    _ => None,
                })
                .collect()
        };
        let rejoined: Vec<u32> = line_ranges(&items, &breaks)
            .into_iter()
            .flat_map(|range| boxes(&items[range]))
            .collect();
        prop_assert_eq!(rejoined, boxes(&items));
    }

    /// (c) At most `max_consecutive_hyphens` hyphenated lines in a row, and no overfull line,
    /// unless in an emergency; and no emergency when every whole word fits the measure.
    #[test]
    fn hyphen_limit_holds_outside_emergency(para in paragraph()) {
        let items = para.items();
        let m = f64::from(para.measure);
        let solution = break_paragraph(&items, &|_| para.measure, &para.settings);
        let every_word_fits = para
            .words
            .iter()
            .all(|(syllables, _)| syllables.iter().map(|&w| f64::from(w)).sum::<f64>() <= m);
        if every_word_fits {
            prop_assert_ne!(solution.pass, Pass::Emergency);
        }
        for brk in &solution.breaks {
            let flagged = matches!(items[brk.index], Item::Penalty { flagged: true, .. });
            prop_assert_eq!(brk.hyphenated, flagged);
        }
        if solution.pass != Pass::Emergency {
            let mut run = 0;
            for brk in &solution.breaks {
                run = if brk.hyphenated { run + 1 } else { 0 };
                prop_assert!(run <= para.settings.max_consecutive_hyphens);
            }
            let ranges = line_ranges(&items, &solution.breaks);
            for (range, brk) in ranges.into_iter().zip(&solution.breaks) {
                let line = measure_line(&items, range, brk.index);
                prop_assert!(set_width(&line, brk.ratio) <= m + 0.01);
            }
        }
    }

    /// (d) Break indices strictly increase, are legal breaks, and the last is the final
    /// forced penalty.
    #[test]
    fn breaks_increase_and_end_at_the_final_penalty(para in paragraph()) {
        let items = para.items();
        let breaks = break_lines(&items, &|_| para.measure, &para.settings);
        prop_assert!(!breaks.is_empty());
        prop_assert!(breaks.windows(2).all(|w| w[0].index < w[1].index), "{:?}", breaks);
        prop_assert_eq!(breaks.last().map(|b| b.index), Some(items.len() - 1));
        for brk in &breaks {
            prop_assert!(legal(&items, brk.index), "break at {}", brk.index);
        }
    }

    /// The solution is optimal: see `check_total_fit`.
    #[test]
    fn total_fit_matches_brute_force((para, shape) in small_paragraph()) {
        check_total_fit(&para, shape)?;
    }
}
