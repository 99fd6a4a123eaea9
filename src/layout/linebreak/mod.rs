//! Line breaking: the stage that decides where the lines of one paragraph end.
//!
//! **Input**: the paragraph as a list of [`Item`]s in the box/glue/penalty model of Knuth and
//! Plass (boxes are words or pieces of words, glue is interword space, penalties are hyphenation
//! points and forced breaks), and a measure: `line_width(n)`, the width available to line `n`
//! (0-based). **Output**: one [`Break`] per line, naming the item at which the line ends and the
//! adjustment ratio its glue is set to. [`line_ranges`] turns the breaks back into the items each
//! line typesets.
//!
//! # The model
//!
//! * A glue item is a legal break only if the item just before it is a box; a penalty is a legal
//!   break if its cost is below [`INFINITE`], and a cost at or below `-`[`FORCED`] forces one.
//! * A line that ends at a glue item does not include it; a line that ends at a penalty includes
//!   the penalty's width (a hyphen). Everything else between the line's start and its break,
//!   boxes and glue alike, is typeset; a penalty that is not broken at has no width.
//! * After a break, the glue and unforced penalties that follow it, up to the next box or forced
//!   penalty, are discarded: the next line starts at that box (or forced penalty). The first line
//!   starts at item 0 and discards nothing.
//! * Glue with `stretch == f32::INFINITY` is "fil": a line holding it can stretch without limit
//!   and is set at natural width (ratio 0), as the last line of a paragraph usually is.
//!
//! # The algorithm
//!
//! Knuth and Plass's total-fit method (*Breaking Paragraphs into Lines*, 1981): dynamic
//! programming over the legal breakpoints, keeping a list of "active" breakpoints from which a
//! line could still start, and choosing the sequence of breaks with the fewest total demerits.
//! For a line with adjustment ratio `r` (see [`Break::ratio`]):
//!
//! * badness `b = 100·|r|³`, at most 10 000 (a line that must stretch but has no stretch gets
//!   10 000);
//! * fitness class: tight (`r < -0.5`), decent (`-0.5 ≤ r ≤ 0.5`), loose (`0.5 < r ≤ 1`), very
//!   loose (`r > 1`); the line before the first counts as decent;
//! * demerits `(line_penalty + b)²`, plus `p²` for a break at a penalty of cost `p ≥ 0` or minus
//!   `p²` for `p < 0` (nothing for a forced break), plus `flagged_demerits` when this line and
//!   the previous one both end at flagged penalties, plus `fitness_demerits` when their fitness
//!   classes are more than one apart.
//!
//! A line is feasible when it is not overfull (`r ≥ -1`) and `r ≤ tolerance`, and when it does
//! not make more than `max_consecutive_hyphens` lines in a row end at flagged penalties. Active
//! breakpoints are distinguished by fitness class of the line ending there, by how many lines in
//! a row end hyphenated there (so the hyphen limit is exact) and, while the measure still varies,
//! by line number; an active breakpoint is dropped once the material after it no longer fits a
//! line even fully shrunk (in the emergency pass: once such a line takes on another box), or
//! when a forced break is passed. A line never ends among the items discarded after the break
//! it starts from. The measure is asked for at most one width per legal breakpoint, up front, so
//! `line_width` should be a pure function.
//!
//! # When nothing fits
//!
//! [`break_paragraph`] tries, in order, until one succeeds (see [`Pass`]): the settings'
//! tolerance; a looser one (`4 × tolerance`, at least 4); no limit on stretching at all; and
//! finally an emergency pass in which any line is allowed. The emergency pass minimises, in this
//! order of priority: the number of boxes on overfull lines (so an overfull line holds as little
//! as possible: a single box wider than the measure sits on a line alone whenever there is a
//! legal break on each side of it), then how far lines are overfull, then how often the hyphen
//! limit is exceeded, then demerits. It always produces a solution, so [`break_lines`] returns at
//! least one break for every input and never panics.
//!
//! Ragged-right setting ([`Settings::ragged`]) uses the same machinery, but lines are never
//! stretched or shrunk: a line must fit at its natural width, and its badness measures the gap
//! it leaves against a nominal stretch of a third of the measure.

use std::cmp::Ordering;
use std::ops::Range;

/// A penalty cost at or above this forbids a break there (Knuth's "infinite" penalty).
pub const INFINITE: f32 = 10_000.0;

/// A penalty cost at or below `-FORCED` forces a break there.
pub const FORCED: f32 = INFINITE;

/// The usual end of a paragraph: glue that can stretch without limit (so the last line is set at
/// its natural width) and a forced break. [`break_lines`] appends it when `items` do not already
/// end at a forced break.
pub const FINISHING_SEQUENCE: [Item; 2] = [
    Item::Glue {
        width: 0.0,
        stretch: f32::INFINITY,
        shrink: 0.0,
    },
    Item::Penalty {
        width: 0.0,
        cost: f32::NEG_INFINITY,
        flagged: false,
    },
];

/// Badness of a line set at adjustment ratio `r` is `BADNESS_SCALE · |r|³` (Knuth's 100).
const BADNESS_SCALE: f64 = 100.0;

/// Badness never exceeds this (TeX's `inf_bad`); a line that must stretch but cannot gets it.
const MAX_BADNESS: f64 = 10_000.0;

/// Lines shrinking by more than this ratio (that is, `r` below its negative) are "tight".
const TIGHT_BEYOND: f64 = 0.5;

/// Lines stretching by at most this ratio are "decent" (if not tight).
const DECENT_UP_TO: f64 = 0.5;

/// Lines stretching by at most this ratio are "loose"; beyond it they are "very loose".
const LOOSE_UP_TO: f64 = 1.0;

/// Ragged-right setting: a line's gap is judged against a nominal stretch of this fraction of the
/// measure, so a line a third of the measure short has ratio 1 (badness 100).
const RAGGED_STRETCH: f64 = 1.0 / 3.0;

/// The second pass allows this many times the settings' tolerance ...
const RETRY_TOLERANCE_FACTOR: f64 = 4.0;

/// ... but at least this ratio.
const RETRY_TOLERANCE_FLOOR: f64 = 4.0;

/// The emergency pass compares how far lines are overfull in steps of this size (1/1024 of a
/// unit), so rounding noise in widths cannot outweigh demerits.
const OVERFLOW_QUANTUM: f64 = 1.0 / 1024.0;

/// Fitness classes, in order, so that classes more than one apart are incompatible neighbours.
const TIGHT: u8 = 0;
const DECENT: u8 = 1;
const LOOSE: u8 = 2;
const VERY_LOOSE: u8 = 3;

/// One item of a paragraph, in the model of Knuth and Plass.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Unbreakable material of a fixed width (a word, or a piece of one).
    Box { width: f32 },
    /// Space that may stretch or shrink; a legal break when it follows a box.
    /// `stretch == f32::INFINITY` makes it "fil" glue (see the module docs).
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A possible break with a cost; `width` is typeset only if the line breaks here (a hyphen).
    /// `flagged` marks hyphen breaks. A cost of `f32::NEG_INFINITY` (or <= -FORCED) forces a break,
    /// `f32::INFINITY` (or >= INFINITE) forbids one. A NaN cost counts as 0.
    Penalty {
        width: f32,
        cost: f32,
        flagged: bool,
    },
}

/// How to judge lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Largest acceptable adjustment ratio (not badness) on a first pass: a line may stretch its
    /// glue by up to `tolerance` times its stretchability (shrinking is always limited to 1, the
    /// full shrinkability). Knuth's tolerance of 200 in badness is a ratio of about 1.26.
    pub tolerance: f32,
    /// Ragged-right setting: lines are not stretched; choose breaks that minimise raggedness instead.
    pub ragged: bool,
    /// At most this many hyphenated (flagged-penalty) lines in a row; a hard limit (use 2).
    pub max_consecutive_hyphens: usize,
    /// Extra demerits for two flagged breaks in a row (Knuth's alpha, e.g. 3000).
    pub flagged_demerits: f32,
    /// Extra demerits when adjacent lines' fitness classes differ by more than one (Knuth's gamma).
    pub fitness_demerits: f32,
    /// Knuth's line penalty added to the badness (e.g. 10).
    pub line_penalty: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            // Lines may stretch up to twice their stretchability (badness 800) before the looser
            // passes are tried; demerits still prefer much tighter lines when they exist.
            tolerance: 2.0,
            ragged: false,
            // Three hyphenated lines in a row start to look like a ladder.
            max_consecutive_hyphens: 2,
            // Knuth and Plass's alpha: two hyphens in a row cost as much as a line of badness ~45.
            flagged_demerits: 3000.0,
            // Knuth and Plass's gamma: a mild nudge against a tight line next to a loose one.
            fitness_demerits: 100.0,
            // Plain TeX's \linepenalty: each extra line costs a little, favouring fewer lines.
            line_penalty: 10.0,
        }
    }
}

/// Where a line ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Index of the glue or penalty item at which the line ends (the last line ends at the final forced penalty index).
    pub index: usize,
    /// Adjustment ratio of the line that ends here: >0 stretch, <0 shrink, 0 natural; for the
    /// last line and ragged lines, 0 or the ratio actually to apply (document it). Never below -1.0
    /// unless the line is overfull (an unbreakable box wider than the measure).
    ///
    /// This is always the ratio actually to apply: each glue item of the line is set to
    /// `width + ratio * stretch` when `ratio > 0` and `width + ratio * shrink` when `ratio < 0`.
    /// It is 0 for every line in ragged-right setting, for lines holding fil glue (such as the
    /// last), for lines that fall short but have no stretch, and for overfull lines with no
    /// shrink. It is never below -1.0: an overfull line is set fully shrunk (-1.0) and still sticks
    /// out past the measure.
    pub ratio: f32,
    /// The line ends at a flagged penalty (hyphen).
    pub hyphenated: bool,
}

/// Which attempt produced a solution; later passes are tried only when earlier ones find none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Every line within [`Settings::tolerance`].
    Normal,
    /// Every line within `4 × tolerance` (at least 4).
    Loose,
    /// Lines may stretch without limit (or fall short with no stretch at all); none is overfull.
    Unlimited,
    /// Some line is overfull, or the hyphen limit could not be kept (see the module docs).
    Emergency,
}

/// The breaks chosen for a paragraph and the pass that found them.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// One per line, in order; never empty.
    pub breaks: Vec<Break>,
    /// The pass that found them.
    pub pass: Pass,
}

/// Breaks `items` into lines of width `line_width(line_number)` (0-based line number).
///
/// The caller ends `items` with [`FINISHING_SEQUENCE`]: glue with infinite (or huge) stretch and
/// a forced penalty. If `items` do not end at a forced penalty, this function acts as if
/// [`FINISHING_SEQUENCE`] were appended: the last break then has index `items.len() + 1`, past the
/// end of `items` (and [`line_ranges`] clips it).
///
/// Always returns at least one break and never panics; see the module docs for the passes tried
/// when no line arrangement fits within the tolerance. NaN widths count as 0 and infinite ones as
/// `f32::MAX`.
pub fn break_lines(
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    settings: &Settings,
) -> Vec<Break> {
    break_paragraph(items, line_width, settings).breaks
}

/// [`break_lines`], also telling which [`Pass`] found the breaks.
pub fn break_paragraph(
    items: &[Item],
    line_width: &dyn Fn(usize) -> f32,
    settings: &Settings,
) -> Solution {
    let mut pieces: Vec<Piece> = items.iter().map(Piece::new).collect();
    if !matches!(pieces.last(), Some(Piece::Penalty { forced: true, .. })) {
        pieces.extend(FINISHING_SEQUENCE.iter().map(Piece::new));
    }
    let paragraph = Paragraph {
        starts: line_starts(&pieces),
        measure: Measure::new(&pieces, line_width),
        params: Params::new(settings),
        pieces: &pieces,
    };
    for (pass, tolerance) in pass_tolerances(settings.tolerance) {
        let limits = Limits {
            tolerance,
            emergency: false,
        };
        if let Some(breaks) = paragraph.run(limits) {
            return Solution { breaks, pass };
        }
    }
    let limits = Limits {
        tolerance: f64::INFINITY,
        emergency: true,
    };
    let breaks = paragraph.run(limits).unwrap_or_else(|| {
        // Not reachable (the emergency pass keeps a line open to every breakpoint), but the
        // contract is one break at least, so: everything on one line.
        vec![Break {
            index: pieces.len().saturating_sub(1),
            ratio: 0.0,
            hyphenated: false,
        }]
    });
    Solution {
        breaks,
        pass: Pass::Emergency,
    }
}

/// For each line, the range of `items` it typesets: from the first item after the glue and
/// unforced penalties that follow the previous break (item 0 for the first line), up to but
/// excluding the item it breaks at. Ranges are clipped to `items.len()`, so a break past the end
/// (an appended [`FINISHING_SEQUENCE`]) ends its line at the end of `items`.
pub fn line_ranges(items: &[Item], breaks: &[Break]) -> Vec<Range<usize>> {
    let mut start = 0;
    breaks
        .iter()
        .map(|brk| {
            let end = brk.index.min(items.len());
            let range = start.min(end)..end;
            start = brk.index.saturating_add(1);
            while let Some(item) = items.get(start)
                && discarded(item)
            {
                start += 1;
            }
            range
        })
        .collect()
}

/// Whether `item` is dropped when it follows a break.
fn discarded(item: &Item) -> bool {
    match *item {
        Item::Box { .. } => false,
        Item::Glue { .. } => true,
        Item::Penalty { cost, .. } => !is_forced(cost),
    }
}

fn is_forced(cost: f32) -> bool {
    cost <= -FORCED
}

/// A finite `f64` for a width: NaN becomes 0, infinities become `±f32::MAX`.
fn finite(x: f32) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        f64::from(x.clamp(-f32::MAX, f32::MAX))
    }
}

/// The passes to try before the emergency one, with their tolerances (ratios).
fn pass_tolerances(tolerance: f32) -> Vec<(Pass, f64)> {
    let first = if tolerance.is_nan() {
        0.0
    } else {
        f64::from(tolerance.max(0.0))
    };
    let mut passes = vec![(Pass::Normal, first)];
    let loose = (first * RETRY_TOLERANCE_FACTOR).max(RETRY_TOLERANCE_FLOOR);
    if loose > first {
        passes.push((Pass::Loose, loose));
    }
    if loose.is_finite() {
        passes.push((Pass::Unlimited, f64::INFINITY));
    }
    passes
}

/// An item with its values made finite and its kind of break worked out.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Box {
        width: f64,
    },
    Glue {
        width: f64,
        stretch: f64,
        fil: bool,
        shrink: f64,
    },
    Penalty {
        width: f64,
        /// Clamped to `[-INFINITE, INFINITE]`; unused when forced.
        cost: f64,
        flagged: bool,
        forced: bool,
        allowed: bool,
    },
}

impl Piece {
    fn new(item: &Item) -> Piece {
        match *item {
            Item::Box { width } => Piece::Box {
                width: finite(width),
            },
            Item::Glue {
                width,
                stretch,
                shrink,
            } => {
                let fil = stretch.is_infinite() && stretch > 0.0;
                Piece::Glue {
                    width: finite(width),
                    stretch: if fil { 0.0 } else { finite(stretch) },
                    fil,
                    shrink: finite(shrink),
                }
            }
            Item::Penalty {
                width,
                cost,
                flagged,
            } => {
                let cost = if cost.is_nan() { 0.0 } else { cost };
                Piece::Penalty {
                    width: finite(width),
                    cost: f64::from(cost.clamp(-INFINITE, INFINITE)),
                    flagged,
                    forced: is_forced(cost),
                    allowed: cost < INFINITE,
                }
            }
        }
    }
}

/// Whether a line may end at `pieces[i]`.
fn is_breakpoint(pieces: &[Piece], i: usize) -> bool {
    match pieces.get(i) {
        Some(Piece::Glue { .. }) => i > 0 && matches!(pieces.get(i - 1), Some(Piece::Box { .. })),
        Some(Piece::Penalty { allowed, .. }) => *allowed,
        _ => false,
    }
}

/// `starts[i]`: the first piece at or after `i` that is a box or a forced penalty (or
/// `pieces.len()`), so a line after a break at `b` starts at `starts[b + 1]`.
fn line_starts(pieces: &[Piece]) -> Vec<usize> {
    let mut starts = vec![pieces.len(); pieces.len() + 1];
    for i in (0..pieces.len()).rev() {
        starts[i] = match pieces[i] {
            Piece::Box { .. } | Piece::Penalty { forced: true, .. } => i,
            _ => starts[i + 1],
        };
    }
    starts
}

/// The width of each line, asked once up front.
struct Measure {
    widths: Vec<f64>,
    /// From this line number on, every line has the same width, so line numbers at or past it
    /// need not be told apart.
    constant_from: usize,
}

impl Measure {
    fn new(pieces: &[Piece], line_width: &dyn Fn(usize) -> f32) -> Measure {
        // A paragraph has at most one line per legal breakpoint.
        let lines = (0..pieces.len())
            .filter(|&i| is_breakpoint(pieces, i))
            .count()
            .max(1);
        let widths: Vec<f64> = (0..lines).map(|line| finite(line_width(line))).collect();
        let mut constant_from = widths.len().saturating_sub(1);
        while constant_from > 0 && widths[constant_from - 1] == widths[constant_from] {
            constant_from -= 1;
        }
        Measure {
            widths,
            constant_from,
        }
    }

    fn width(&self, line: usize) -> f64 {
        self.widths
            .get(line)
            .or(self.widths.last())
            .copied()
            .unwrap_or(0.0)
    }

    fn key(&self, line: usize) -> usize {
        line.min(self.constant_from)
    }
}

/// The settings, sanitised.
struct Params {
    ragged: bool,
    max_hyphens: usize,
    /// Hyphen counts above the limit are all alike; they are stored as this.
    hyphen_cap: usize,
    flagged_demerits: f64,
    fitness_demerits: f64,
    line_penalty: f64,
}

impl Params {
    fn new(settings: &Settings) -> Params {
        Params {
            ragged: settings.ragged,
            max_hyphens: settings.max_consecutive_hyphens,
            hyphen_cap: settings.max_consecutive_hyphens.saturating_add(1),
            flagged_demerits: finite(settings.flagged_demerits),
            fitness_demerits: finite(settings.fitness_demerits),
            line_penalty: finite(settings.line_penalty),
        }
    }
}

/// What one pass accepts.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// Largest adjustment ratio of a feasible line.
    tolerance: f64,
    /// Accept every line (overfull ones, and ones beyond the hyphen limit) at a cost.
    emergency: bool,
}

/// The cost of a sequence of lines, compared field by field in order. Outside the emergency pass
/// only `demerits` is ever nonzero.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    /// Boxes on overfull lines.
    overfull_boxes: u64,
    /// Total overflow, in [`OVERFLOW_QUANTUM`]s.
    overflow: u64,
    /// Lines that exceed the hyphen limit.
    violations: u64,
    demerits: f64,
}

impl Cost {
    fn plus(self, other: Cost) -> Cost {
        Cost {
            overfull_boxes: self.overfull_boxes.saturating_add(other.overfull_boxes),
            overflow: self.overflow.saturating_add(other.overflow),
            violations: self.violations.saturating_add(other.violations),
            demerits: self.demerits + other.demerits,
        }
    }

    fn plus_demerits(self, demerits: f64) -> Cost {
        Cost {
            demerits: self.demerits + demerits,
            ..self
        }
    }

    fn compare(&self, other: &Cost) -> Ordering {
        self.overfull_boxes
            .cmp(&other.overfull_boxes)
            .then(self.overflow.cmp(&other.overflow))
            .then(self.violations.cmp(&other.violations))
            .then(self.demerits.total_cmp(&other.demerits))
    }
}

/// A chosen break: the end of the best sequence of lines found to reach it with its key.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The piece broken at; `None` for the start of the paragraph.
    index: Option<usize>,
    /// How many lines end at or before this break (so the next line's number).
    line: usize,
    fitness: u8,
    /// How many lines in a row end hyphenated here, at most `Params::hyphen_cap`.
    hyphens: usize,
    flagged: bool,
    ratio: f32,
    cost: Cost,
    prev: Option<usize>,
}

/// A node from which a line may still start, with the totals of the material after it so far.
#[derive(Debug, Clone, Copy)]
struct Active {
    node: usize,
    /// The first piece of the line that starts here.
    start: usize,
    totals: Totals,
    /// Emergency pass: the number of boxes the line held when it first became hopeless.
    hopeless_boxes: Option<usize>,
}

/// Sums over the pieces of a line, so far.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    width: f64,
    stretch: f64,
    shrink: f64,
    fil: usize,
    boxes: usize,
}

impl Totals {
    fn add(&mut self, piece: &Piece) {
        match *piece {
            Piece::Box { width } => {
                self.width += width;
                self.boxes = self.boxes.saturating_add(1);
            }
            Piece::Glue {
                width,
                stretch,
                fil,
                shrink,
            } => {
                self.width += width;
                self.stretch += stretch;
                self.shrink += shrink;
                self.fil = self.fil.saturating_add(usize::from(fil));
            }
            Piece::Penalty { .. } => {}
        }
    }
}

/// How a line fits its measure.
#[derive(Debug, Clone, Copy)]
struct Fit {
    /// The ratio to report and apply (see [`Break::ratio`]).
    ratio: f32,
    /// The ratio to judge the line by: badness, fitness class and tolerance.
    judged: f64,
    /// How far the line sticks out past the measure, set as tightly as allowed (0 if it fits).
    overflow: f64,
    /// Even without the break's own width the material is too wide; so is every longer line.
    hopeless: bool,
}

fn fit(totals: &Totals, break_width: f64, measure: f64, ragged: bool) -> Fit {
    let natural = totals.width + break_width;
    let shortfall = measure - natural;
    if ragged {
        let judged = if shortfall <= 0.0 || totals.fil > 0 {
            0.0
        } else {
            let nominal = measure * RAGGED_STRETCH;
            if nominal > 0.0 {
                shortfall / nominal
            } else {
                f64::INFINITY
            }
        };
        return Fit {
            ratio: 0.0,
            judged,
            overflow: (-shortfall).max(0.0),
            hopeless: totals.width > measure,
        };
    }
    let stretch = totals.stretch.max(0.0);
    let shrink = totals.shrink.max(0.0);
    let hopeless = totals.width - shrink > measure;
    let (ratio, judged, overflow) = if shortfall > 0.0 {
        if totals.fil > 0 {
            (0.0, 0.0, 0.0)
        } else if stretch > 0.0 {
            let r = shortfall / stretch;
            ((r as f32).min(f32::MAX), r, 0.0)
        } else {
            (0.0, f64::INFINITY, 0.0)
        }
    } else if shortfall < 0.0 {
        if -shortfall <= shrink {
            let r = shortfall / shrink;
            (r as f32, r, 0.0)
        } else {
            let ratio = if shrink > 0.0 { -1.0 } else { 0.0 };
            (ratio, -1.0, -shortfall - shrink)
        }
    } else {
        (0.0, 0.0, 0.0)
    };
    Fit {
        ratio,
        judged,
        overflow,
        hopeless,
    }
}

fn badness(ratio: f64) -> f64 {
    (BADNESS_SCALE * ratio.abs().powi(3)).min(MAX_BADNESS)
}

fn fitness_class(ratio: f64) -> u8 {
    if ratio < -TIGHT_BEYOND {
        TIGHT
    } else if ratio <= DECENT_UP_TO {
        DECENT
    } else if ratio <= LOOSE_UP_TO {
        LOOSE
    } else {
        VERY_LOOSE
    }
}

/// A possible new node at the breakpoint being tried.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    fitness: u8,
    hyphens: usize,
    line_key: usize,
    node: Node,
}

impl Candidate {
    fn same_key(&self, other: &Candidate) -> bool {
        self.fitness == other.fitness
            && self.hyphens == other.hyphens
            && self.line_key == other.line_key
    }
}

/// A paragraph ready to be broken.
struct Paragraph<'a> {
    pieces: &'a [Piece],
    starts: Vec<usize>,
    measure: Measure,
    params: Params,
}

impl Paragraph<'_> {
    /// One pass of the algorithm; `None` if no sequence of feasible lines reaches the end.
    fn run(&self, limits: Limits) -> Option<Vec<Break>> {
        let mut nodes = vec![Node {
            index: None,
            line: 0,
            fitness: DECENT,
            hyphens: 0,
            flagged: false,
            ratio: 0.0,
            cost: Cost::default(),
            prev: None,
        }];
        let mut active = vec![Active {
            node: 0,
            start: 0,
            totals: Totals::default(),
            hopeless_boxes: None,
        }];
        let mut kept = Vec::new();
        let mut candidates = Vec::new();
        for (b, piece) in self.pieces.iter().enumerate() {
            if is_breakpoint(self.pieces, b) {
                self.try_break(b, limits, &nodes, &mut active, &mut kept, &mut candidates);
                if !candidates.is_empty() {
                    self.prune(&mut candidates);
                    let start = self.starts.get(b + 1).copied().unwrap_or(self.pieces.len());
                    for candidate in candidates.drain(..) {
                        active.push(Active {
                            node: nodes.len(),
                            start,
                            totals: Totals::default(),
                            hopeless_boxes: None,
                        });
                        nodes.push(candidate.node);
                    }
                }
                if active.is_empty() {
                    return None;
                }
            }
            for a in &mut active {
                if a.start <= b {
                    a.totals.add(piece);
                }
            }
        }
        // The last piece is a forced break, so every node left active ends there.
        let last = self.pieces.len().checked_sub(1)?;
        let best = active
            .iter()
            .map(|a| &nodes[a.node])
            .filter(|node| node.index == Some(last))
            .min_by(|x, y| x.cost.compare(&y.cost))?;
        let mut breaks = Vec::new();
        let mut node = Some(best);
        while let Some(n) = node {
            if let Some(index) = n.index {
                breaks.push(Break {
                    index,
                    ratio: n.ratio,
                    hyphenated: n.flagged,
                });
            }
            node = n.prev.and_then(|p| nodes.get(p));
        }
        breaks.reverse();
        Some(breaks)
    }

    /// Tries ending a line at breakpoint `b` from every active node: collects the best candidate
    /// per key in `candidates` and drops the active nodes no line can start from any more.
    fn try_break(
        &self,
        b: usize,
        limits: Limits,
        nodes: &[Node],
        active: &mut Vec<Active>,
        kept: &mut Vec<Active>,
        candidates: &mut Vec<Candidate>,
    ) {
        let p = &self.params;
        let (break_width, cost, flagged, forced) = match self.pieces.get(b) {
            Some(&Piece::Penalty {
                width,
                cost,
                flagged,
                forced,
                ..
            }) => (width, cost, flagged, forced),
            _ => (0.0, 0.0, false, false),
        };
        kept.clear();
        for mut a in active.drain(..) {
            if b < a.start {
                // `b` lies among the items discarded after `a`'s break: no line from `a` ends
                // there. (A forced break is never discarded, so `forced` is false here.)
                if !forced {
                    kept.push(a);
                }
                continue;
            }
            let from = &nodes[a.node];
            let fit = fit(
                &a.totals,
                break_width,
                self.measure.width(from.line),
                p.ragged,
            );
            let hyphens = if flagged {
                from.hyphens.saturating_add(1)
            } else {
                0
            };
            let violation = flagged && hyphens > p.max_hyphens;
            let feasible = limits.emergency
                || (!violation && fit.overflow <= 0.0 && fit.judged <= limits.tolerance);
            if feasible {
                let fitness = fitness_class(fit.judged);
                let mut demerits = (p.line_penalty + badness(fit.judged)).powi(2);
                if !forced {
                    demerits += cost * cost.abs();
                }
                if flagged && from.flagged {
                    demerits += p.flagged_demerits;
                }
                if fitness.abs_diff(from.fitness) > 1 {
                    demerits += p.fitness_demerits;
                }
                let overfull = fit.overflow > 0.0;
                let step = Cost {
                    overfull_boxes: if overfull { a.totals.boxes as u64 } else { 0 },
                    overflow: if overfull {
                        (fit.overflow / OVERFLOW_QUANTUM).ceil() as u64
                    } else {
                        0
                    },
                    violations: u64::from(violation),
                    demerits,
                };
                let line = from.line.saturating_add(1);
                offer(
                    candidates,
                    Candidate {
                        fitness,
                        hyphens: hyphens.min(p.hyphen_cap),
                        line_key: self.measure.key(line),
                        node: Node {
                            index: Some(b),
                            line,
                            fitness,
                            hyphens: hyphens.min(p.hyphen_cap),
                            flagged,
                            ratio: fit.ratio,
                            cost: from.cost.plus(step),
                            prev: Some(a.node),
                        },
                    },
                );
            }
            // Lines from `a` only get longer. Outside the emergency pass a hopeless line is never
            // feasible again. In the emergency pass it stays open until it takes on another box
            // (so it can still reach, say, the final penalty past some glue), and every line
            // dropped has just been offered, so a node is never dropped without a successor.
            let keep = if forced {
                false
            } else if !fit.hopeless {
                true
            } else if limits.emergency {
                let first = *a.hopeless_boxes.get_or_insert(a.totals.boxes);
                a.totals.boxes <= first
            } else {
                false
            };
            if keep {
                kept.push(a);
            }
        }
        std::mem::swap(active, kept);
    }

    /// Drops candidates that can never beat another candidate at the same breakpoint: one with
    /// the same line key, no more hyphens in a row, and a cost lower even after adding the most
    /// that the fitness and flag differences could cost it on the next line.
    fn prune(&self, candidates: &mut Vec<Candidate>) {
        let gamma = self.params.fitness_demerits.abs();
        let alpha = self.params.flagged_demerits.abs();
        let dominated: Vec<bool> = candidates
            .iter()
            .map(|c| {
                candidates.iter().any(|d| {
                    let margin = if d.fitness == c.fitness { 0.0 } else { gamma }
                        + if d.node.flagged == c.node.flagged {
                            0.0
                        } else {
                            alpha
                        };
                    d.line_key == c.line_key
                        && d.hyphens <= c.hyphens
                        && d.node.cost.plus_demerits(margin).compare(&c.node.cost) == Ordering::Less
                })
            })
            .collect();
        let mut flags = dominated.into_iter();
        candidates.retain(|_| !flags.next().unwrap_or(false));
    }
}

/// Keeps `candidate` if it is the first with its key or cheaper than the one kept so far.
fn offer(candidates: &mut Vec<Candidate>, candidate: Candidate) {
    match candidates.iter_mut().find(|c| c.same_key(&candidate)) {
        Some(c) => {
            if candidate.node.cost.compare(&c.node.cost) == Ordering::Less {
                *c = candidate;
            }
        }
        None => candidates.push(candidate),
    }
}

#[cfg(test)]
mod tests;
