//! Paragraph layout: styled pieces of text in, lines of positioned glyph runs out. Pieces are
//! shaped, hyphenated in their language, turned into Knuth–Plass items, broken into lines
//! (justified or ragged), and regrouped into runs per owner, link and hyphenated word.

use super::document::{Anchor, InlinePos, LinkDest, TextRun};
use super::fonts::{FaceId, FontBook, Glyph, Shaped, Style};
use super::hyphenate::Hyphenation;
use super::linebreak::{self, FINISHING_SEQUENCE, Item, Settings as BreakSettings};
use super::tags::NodeId;
use crate::lang::Lang;

/// A stretch of text with one style and one owner in the structure tree.
#[derive(Debug, Clone)]
pub struct Piece {
    pub text: String,
    pub style: Style,
    pub size: f32,
    /// Raise above the baseline (note references), in points.
    pub rise: f32,
    /// How many superscripts and subscripts this text stands in (see `MAX_SCRIPT_LEVELS` in
    /// the measure stage).
    pub script_level: u8,
    pub owner: NodeId,
    /// The link this text belongs to: its target and description.
    pub link: Option<(LinkDest, String)>,
    /// A link target to register at this text's position (a note reference's back-link target).
    pub anchor: Option<Anchor>,
    pub lang: Lang,
    /// Where the text begins in the chapter.
    pub pos: InlinePos,
    /// May be hyphenated (not code, headings or URLs).
    pub hyphenate: bool,
    /// A forced line break after this piece.
    pub break_after: bool,
    /// Underlined, as links in running text are.
    pub underline: bool,
    /// Struck through (deleted text).
    pub strike: bool,
}

/// How to set a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct ParagraphStyle {
    pub width: f32,
    /// Justified; otherwise ragged-right.
    pub justify: bool,
    pub line_height: f32,
    /// Baseline below the top of a line.
    pub baseline: f32,
    /// The paragraph's direction: right to left sets its lines from the right and orders its
    /// words right to left (Unicode's bidirectional algorithm orders mixed text either way).
    pub rtl: bool,
}

impl ParagraphStyle {
    /// Type of `size` points in the profile's line spacing, lines `width` wide; the baseline
    /// centres the text face's ascender and descender in the line.
    pub fn new(
        profile: &crate::profile::Profile,
        fonts: &FontBook,
        size: f32,
        width: f32,
        justify: bool,
    ) -> ParagraphStyle {
        let line_height = profile.line_height(size);
        let face = fonts.face(fonts.face_for(Style::default()));
        let baseline =
            (line_height - (face.ascender - face.descender) * size) / 2.0 + face.ascender * size;
        ParagraphStyle {
            width,
            justify,
            line_height,
            baseline,
            rtl: false,
        }
    }
}

/// A laid-out line: fragments positioned from the line's left edge.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub frags: Vec<Frag>,
    pub width: f32,
    /// Ends inside a word (at an added hyphen, or after a hard hyphen, dash or URL separator)
    /// that continues on the next line.
    pub hyphenated: bool,
    /// Marks drawn as layout, not content (the continuation mark of a wrapped code line); x
    /// from the line start, baseline relative.
    pub marks: Vec<TextRun>,
}

/// Consecutive glyphs of a line with the same owner, link and hyphenation group.
#[derive(Debug, Clone)]
pub struct Frag {
    /// Runs with `x` relative to the line start and `baseline` relative to the baseline.
    pub runs: Vec<TextRun>,
    pub owner: NodeId,
    pub link: Option<(LinkDest, String)>,
    pub underline: bool,
    pub strike: bool,
    pub anchors: Vec<Anchor>,
    /// For the pieces of a word broken across lines: the word's number and whole text.
    pub group: Option<(usize, String)>,
    pub lang: Lang,
    /// Where its first word begins in the chapter.
    pub pos: InlinePos,
    pub x: f32,
    pub width: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AtomKind {
    Word,
    Space {
        stretch: f32,
        shrink: f32,
    },
    /// A hyphenation point inside a word: the width of the hyphen drawn if it breaks here.
    Hyphen {
        width: f32,
    },
    /// A break allowed after a hard hyphen, dash or slash, at no width: the word goes on.
    Break {
        cost: f32,
    },
    /// A break allowed between two words not set apart by a space (text written without
    /// spaces), at no width; a justified line stretches here.
    Between {
        stretch: f32,
    },
    /// A forced line break.
    Forced,
}

struct Atom {
    kind: AtomKind,
    shaped: Slice,
    width: f32,
    piece: usize,
    /// The word this atom is part of (for hyphenation groups).
    word: usize,
    /// Byte offset in the piece's text of the token (word or space) the atom belongs to.
    at: usize,
}

impl Atom {
    /// A break point that draws nothing.
    fn marker(
        kind: AtomKind,
        fonts: &FontBook,
        piece: &Piece,
        piece_index: usize,
        word: usize,
        at: usize,
    ) -> Atom {
        Atom {
            at,
            kind,
            shaped: Slice::empty(fonts.face_for(piece.style)),
            width: 0.0,
            piece: piece_index,
            word,
        }
    }
}

/// The text and glyphs of a paragraph's atoms, each copied once from the shaping cache: an
/// atom names its share ([`Slice`]) instead of owning a copy, and the spaces and hyphens of a
/// style share one.
#[derive(Default)]
struct Arena {
    text: String,
    glyphs: Vec<Glyph>,
    /// The runs of the word being split into atoms.
    runs: Vec<Slice>,
    /// The syllables of the run being split at its hyphenation points.
    syllables: Vec<Slice>,
}

/// An atom's share of the [`Arena`]: text in one face, and its glyphs, whose text ranges count
/// from the start of that text.
#[derive(Debug, Clone, Copy)]
struct Slice {
    face: FaceId,
    text: (usize, usize),
    glyphs: (usize, usize),
}

impl Slice {
    /// Nothing, in `face`.
    fn empty(face: FaceId) -> Slice {
        Slice {
            face,
            text: (0, 0),
            glyphs: (0, 0),
        }
    }
}

impl Arena {
    /// Keeps a copy of shaped text.
    fn push(&mut self, shaped: &Shaped) -> Slice {
        let text = (self.text.len(), self.text.len() + shaped.text.len());
        let glyphs = (self.glyphs.len(), self.glyphs.len() + shaped.glyphs.len());
        self.text.push_str(&shaped.text);
        self.glyphs.extend_from_slice(&shaped.glyphs);
        Slice {
            face: shaped.face,
            text,
            glyphs,
        }
    }

    fn text(&self, slice: Slice) -> &str {
        self.text
            .get(slice.text.0..slice.text.1)
            .unwrap_or_default()
    }

    fn glyphs(&self, slice: Slice) -> &[Glyph] {
        self.glyphs
            .get(slice.glyphs.0..slice.glyphs.1)
            .unwrap_or_default()
    }

    /// Width in points at `size`.
    fn width(&self, slice: Slice, size: f32) -> f32 {
        self.glyphs(slice).iter().map(|g| g.x_advance).sum::<f32>() * size
    }
}

/// Cost of breaking at a hyphenation point (TeX's \hyphenpenalty is 50).
const HYPHEN_COST: f32 = 50.0;
/// Cost of breaking after a hard hyphen or dash (TeX's \exhyphenpenalty is 50).
const HARD_HYPHEN_COST: f32 = 50.0;
/// Cost of breaking a URL after `/` or `.`: possible, but rather not.
const URL_BREAK_COST: f32 = 200.0;
/// A justified line of text written without spaces spreads between its characters (or, in
/// Thai, Khmer, Lao and Burmese, its words) by up to a quarter em each at ratio 1, about as far
/// as a Latin line's spaces stretch; it never squeezes them.
const BETWEEN_STRETCH: f32 = 0.25;
/// Inter-word space may stretch by half and shrink by a third of its width.
const SPACE_STRETCH: f32 = 0.5;
const SPACE_SHRINK: f32 = 1.0 / 3.0;

/// Lays out a paragraph. Characters no font covers are added to `uncovered` (and set as blank
/// glyphs, so the lines still take their room).
pub fn layout(
    pieces: &[Piece],
    style: ParagraphStyle,
    fonts: &FontBook,
    hyphenation: &mut Hyphenation,
    uncovered: &mut Vec<char>,
) -> Vec<Line> {
    let (atoms, arena) = atomize(pieces, fonts, hyphenation, uncovered);
    if atoms.is_empty() {
        return Vec::new();
    }
    let mut items: Vec<Item> = Vec::with_capacity(atoms.len() + 2);
    let mut atom_of_item: Vec<Option<usize>> = Vec::with_capacity(atoms.len() + 2);
    for (i, atom) in atoms.iter().enumerate() {
        match atom.kind {
            AtomKind::Word => items.push(Item::Box { width: atom.width }),
            AtomKind::Space { stretch, shrink } => items.push(Item::Glue {
                width: atom.width,
                stretch,
                shrink,
            }),
            AtomKind::Hyphen { width } => items.push(Item::Penalty {
                width,
                cost: HYPHEN_COST,
                flagged: true,
            }),
            AtomKind::Break { cost } => items.push(Item::Penalty {
                width: 0.0,
                cost,
                flagged: false,
            }),
            AtomKind::Between { stretch } => items.push(Item::Glue {
                width: 0.0,
                stretch,
                shrink: 0.0,
            }),
            // A forced break ends its line as a paragraph ends: unjustified.
            AtomKind::Forced => {
                items.extend(FINISHING_SEQUENCE);
                atom_of_item.push(None);
            }
        }
        atom_of_item.push(Some(i));
    }
    items.extend(FINISHING_SEQUENCE);
    atom_of_item.extend([None, None]);

    let settings = BreakSettings {
        ragged: !style.justify,
        ..BreakSettings::default()
    };
    let breaks = linebreak::break_lines(&items, &|_| style.width, &settings);
    let ranges = linebreak::line_ranges(&items, &breaks);

    let levels = atom_levels(&atoms, &arena, style.rtl);
    let mut lines = Vec::with_capacity(ranges.len());
    let mut word_breaks: Vec<usize> = Vec::new();
    let mut positioned: Vec<(usize, f32)> = Vec::new();
    for (range, brk) in ranges.iter().zip(&breaks) {
        // The atom at which the line ends, when a word goes on to the next line: at an added
        // hyphen, or after a hard hyphen, dash or URL separator.
        let word_end = atom_of_item.get(brk.index).copied().flatten().filter(|&a| {
            matches!(
                atoms[a].kind,
                AtomKind::Hyphen { .. } | AtomKind::Break { .. }
            )
        });
        let r = brk.ratio;
        positioned.clear();
        for item_index in range.clone() {
            let Some(atom_index) = atom_of_item[item_index] else {
                continue;
            };
            let atom = &atoms[atom_index];
            let width = match atom.kind {
                AtomKind::Word => atom.width,
                AtomKind::Space { stretch, shrink } => {
                    atom.width + if r >= 0.0 { r * stretch } else { r * shrink }
                }
                AtomKind::Between { stretch } => r.max(0.0) * stretch,
                _ => continue,
            };
            positioned.push((atom_index, width));
        }
        if let Some(end) = word_end {
            if let AtomKind::Hyphen { width } = atoms[end].kind {
                positioned.push((end, width));
            }
            word_breaks.push(atoms[end].word);
        }
        let width = positioned.iter().map(|&(_, w)| w).sum();
        let placed = visual_positions(&positioned, &levels);
        lines.push((placed, width, word_end.is_some()));
    }
    let broken_words = broken_word_texts(&atoms, &arena, &word_breaks);
    lines
        .into_iter()
        .map(|(placed, width, hyphenated)| Line {
            hyphenated,
            ..build_line(&placed, width, (&atoms, &arena), pieces, &broken_words)
        })
        .collect()
}

/// Each atom's embedding level by Unicode's bidirectional algorithm (UAX #9), run once over the
/// paragraph's text as it is drawn: even levels run left to right, odd ones right to left. A
/// hyphen added at a break and a break point take the level of the atom before them.
///
/// These levels place the words on their lines; they are not handed to shaping. A word is
/// shaped once for the whole book (the font book's word cache), read on its own, whatever
/// paragraph it stands in: shaping it at the paragraph's levels would make its glyphs depend on
/// its neighbours (a bracket beside digits in right-to-left text would be mirrored, and split
/// from them into a run of its own), which changes the output and defeats the cache.
fn atom_levels(atoms: &[Atom], arena: &Arena, rtl: bool) -> Vec<unicode_bidi::Level> {
    let text = |atom: &Atom| match atom.kind {
        AtomKind::Word | AtomKind::Space { .. } => arena.text(atom.shaped),
        _ => "",
    };
    // Most paragraphs run left to right throughout (as `levels` finds, without gathering their
    // text first).
    if !rtl && !atoms.iter().any(|atom| super::bidi::has_rtl(text(atom))) {
        return vec![unicode_bidi::Level::ltr(); atoms.len()];
    }
    super::bidi::levels(atoms.iter().map(text), Some(rtl))
}

/// The atoms of a line in their logical order, each with its x from the line's start and its
/// width, laid out left to right in visual order.
fn visual_positions(
    positioned: &[(usize, f32)],
    levels: &[unicode_bidi::Level],
) -> Vec<(usize, f32, f32)> {
    let level = |atom: usize| {
        levels
            .get(atom)
            .copied()
            .unwrap_or_else(unicode_bidi::Level::ltr)
    };
    // A line all left to right stands in its logical order (as `places` would find).
    if positioned
        .iter()
        .all(|&(atom, _)| level(atom) == unicode_bidi::Level::ltr())
    {
        let mut x = 0.0;
        return positioned
            .iter()
            .map(|&(atom, width)| {
                let at = x;
                x += width;
                (atom, at, width)
            })
            .collect();
    }
    let line_levels: Vec<unicode_bidi::Level> =
        positioned.iter().map(|&(atom, _)| level(atom)).collect();
    let widths: Vec<f32> = positioned.iter().map(|&(_, width)| width).collect();
    positioned
        .iter()
        .zip(super::bidi::places(0.0, &widths, &line_levels))
        .map(|(&(atom, width), x)| (atom, x, width))
        .collect()
}

/// Groups a line's atoms, in logical order with their places, into fragments and runs. A
/// fragment spans from its leftmost to its rightmost glyph.
fn build_line(
    placed: &[(usize, f32, f32)],
    width: f32,
    (atoms, arena): (&[Atom], &Arena),
    pieces: &[Piece],
    broken_words: &[(usize, String)],
) -> Line {
    let mut frags: Vec<Frag> = Vec::new();
    // The text and glyphs still to place: a run starts with room for them all (most lines are
    // one run), and gives back what it does not use at the end.
    let mut rest = placed.iter().fold((0, 0), |(text, glyphs), &(atom, ..)| {
        let shaped = atoms[atom].shaped;
        (
            text + arena.text(shaped).len(),
            glyphs + arena.glyphs(shaped).len(),
        )
    });
    for &(atom_index, x, advance) in placed {
        let atom = &atoms[atom_index];
        let room = rest;
        rest.0 -= arena.text(atom.shaped).len();
        rest.1 -= arena.glyphs(atom.shaped).len();
        if arena.glyphs(atom.shaped).is_empty() {
            continue;
        }

        let piece = &pieces[atom.piece];
        let group = broken_word(broken_words, atom.word)
            .filter(|_| !matches!(atom.kind, AtomKind::Space { .. }))
            .map(|text| (atom.word, text.to_string()));
        let is_space = matches!(atom.kind, AtomKind::Space { .. });
        // A space goes with the text before it when both have one owner and link; it never
        // joins a hyphenated word, whose actual text must not swallow it.
        let same = frags.last().is_some_and(|f: &Frag| {
            f.owner == piece.owner
                && f.link == piece.link
                && f.underline == piece.underline
                && f.strike == piece.strike
                && if is_space {
                    f.group.is_none()
                } else {
                    f.group.as_ref().map(|g| g.0) == group.as_ref().map(|g| g.0)
                }
        });
        if !same {
            frags.push(Frag {
                runs: Vec::new(),
                owner: piece.owner,
                link: piece.link.clone(),
                underline: piece.underline,
                strike: piece.strike,
                anchors: Vec::new(),
                group: group.clone(),
                lang: piece.lang.clone(),
                pos: InlinePos {
                    block: piece.pos.block,
                    offset: piece.pos.offset + atom.at,
                },
                x,
                width: 0.0,
            });
        }
        let Some(frag) = frags.last_mut() else {
            continue;
        };
        if let Some(anchor) = &piece.anchor
            && !frag.anchors.contains(anchor)
        {
            frag.anchors.push(anchor.clone());
        }
        append_run(frag, (atom, arena), piece, (x, advance), room);
        let end = (frag.x + frag.width).max(x + advance);
        frag.x = frag.x.min(x);
        frag.width = end - frag.x;
    }
    // Runs grew word by word; a book keeps every line until its pages are made, so each run
    // keeps only the room it uses.
    for run in frags.iter_mut().flat_map(|f| &mut f.runs) {
        run.glyphs.shrink_to_fit();
        run.text.shrink_to_fit();
    }
    Line {
        frags,
        width,
        hyphenated: false,
        marks: Vec::new(),
    }
}

/// Adds an atom's glyphs to the fragment, continuing the last run when face, size and rise
/// match; a space's advance is stretched to its justified width. A new run has `room` for
/// that much text and that many glyphs.
fn append_run(
    frag: &mut Frag,
    (atom, arena): (&Atom, &Arena),
    piece: &Piece,
    (x, advance): (f32, f32),
    room: (usize, usize),
) {
    let size = piece.size;
    let glyphs = arena.glyphs(atom.shaped);
    let text = arena.text(atom.shaped);
    let extra = (matches!(atom.kind, AtomKind::Space { .. }) && !glyphs.is_empty()).then(|| {
        let natural: f32 = glyphs.iter().map(|g| g.x_advance).sum();
        (advance / size - natural) / glyphs.len() as f32
    });
    // A space's glyphs take its justified width; a word's are as shaped.
    let stretched = |g: &Glyph, offset: usize| {
        let mut g = g.shifted(offset);
        if let Some(extra) = extra {
            g.x_advance += extra;
        }
        g
    };
    let baseline = -piece.rise;
    // A run goes on where it ended: right-to-left text in logical order steps leftwards, so
    // each of its words starts a run of its own.
    if let Some(run) = frag.runs.last_mut()
        && run.face == atom.shaped.face
        && run.size == size
        && run.baseline == baseline
        && (run.x + run.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size - x).abs() < 0.01
    {
        let offset = run.text.len();
        run.text.push_str(text);
        run.glyphs
            .extend(glyphs.iter().map(|g| stretched(g, offset)));
        return;
    }
    let mut run = TextRun {
        x,
        baseline,
        face: atom.shaped.face,
        size,
        text: String::with_capacity(room.0),
        glyphs: Vec::with_capacity(room.1),
        token: None,
    };
    run.text.push_str(text);
    run.glyphs.extend(glyphs.iter().map(|g| stretched(g, 0)));
    frag.runs.push(run);
}

/// The whole text of each word broken across lines, without the hyphens added by breaking, by
/// word number (`broken` is in the order of the lines). A paragraph breaks a few words, and
/// each of its atoms asks whether its word is one: a short sorted list answers faster than a
/// hashed map.
fn broken_word_texts(atoms: &[Atom], arena: &Arena, broken: &[usize]) -> Vec<(usize, String)> {
    let mut texts: Vec<(usize, String)> = broken.iter().map(|&w| (w, String::new())).collect();
    texts.sort_by_key(|&(w, _)| w);
    texts.dedup_by_key(|&mut (w, _)| w);
    if texts.is_empty() {
        return texts;
    }
    for atom in atoms.iter().filter(|a| matches!(a.kind, AtomKind::Word)) {
        if let Ok(at) = texts.binary_search_by_key(&atom.word, |&(w, _)| w) {
            texts[at].1.push_str(arena.text(atom.shaped));
        }
    }
    texts
}

/// The whole text of word `word`, when it is broken across lines.
fn broken_word(broken: &[(usize, String)], word: usize) -> Option<&str> {
    broken
        .binary_search_by_key(&word, |&(w, _)| w)
        .ok()
        .map(|at| broken[at].1.as_str())
}

/// Splits pieces into words, spaces and break points, shaped.
fn atomize(
    pieces: &[Piece],
    fonts: &FontBook,
    hyphenation: &mut Hyphenation,
    uncovered: &mut Vec<char>,
) -> (Vec<Atom>, Arena) {
    let mut atoms: Vec<Atom> = Vec::new();
    let mut arena = Arena::default();
    let mut word = 0;
    // A paragraph's spaces, shaped once per style (with what no face has of them), and its
    // hyphens, once per face.
    let mut spaces: Vec<(Style, Vec<Slice>, Vec<char>)> = Vec::new();
    let mut hyphens: Vec<Slice> = Vec::new();
    // The segments of the token being split, in a buffer every token reuses.
    let mut found: Vec<&str> = Vec::new();
    for (piece_index, piece) in pieces.iter().enumerate() {
        let mut rest = piece.text.as_str();
        while !rest.is_empty() {
            let at = piece.text.len() - rest.len();
            let is_space = rest.starts_with(char::is_whitespace);
            let end = rest
                .find(|c: char| c.is_whitespace() != is_space)
                .unwrap_or(rest.len());
            let (token, tail) = rest.split_at(end);
            rest = tail;
            if is_space {
                word += 1;
                // One space, however many were typed.
                let at = spaces
                    .iter()
                    .position(|(style, ..)| *style == piece.style)
                    .unwrap_or_else(|| {
                        let mut missing = Vec::new();
                        let shaped = fonts.shape_all(" ", piece.style, &mut missing);
                        let shaped = shaped.iter().map(|s| arena.push(s)).collect();
                        spaces.push((piece.style, shaped, missing));
                        spaces.len() - 1
                    });
                let (_, space, missing) = &spaces[at];
                uncovered.extend_from_slice(missing);
                for &shaped in space {
                    let width = arena.width(shaped, piece.size);
                    atoms.push(Atom {
                        kind: AtomKind::Space {
                            stretch: width * SPACE_STRETCH,
                            shrink: width * SPACE_SHRINK,
                        },
                        shaped,
                        width,
                        piece: piece_index,
                        word,
                        at,
                    });
                }
                continue;
            }
            // Text written without spaces (Chinese, Japanese, Thai) breaks inside its tokens.
            segments(token, &mut found);
            for (k, &segment) in found.iter().enumerate() {
                let offset = segment.as_ptr() as usize - token.as_ptr() as usize;
                if k > 0 {
                    // A break between words, as a space is: this segment is a word of its own,
                    // never the second half of the one before.
                    atoms.push(Atom::marker(
                        AtomKind::Between {
                            stretch: piece.size * BETWEEN_STRETCH,
                        },
                        fonts,
                        piece,
                        piece_index,
                        word,
                        at + offset,
                    ));
                    word += 1;
                }
                word_atoms(
                    segment,
                    piece,
                    (piece_index, word, at + offset),
                    (fonts, hyphenation, uncovered),
                    (&mut atoms, &mut arena, &mut hyphens),
                );
            }
        }
        if piece.break_after {
            word += 1;
            atoms.push(Atom::marker(
                AtomKind::Forced,
                fonts,
                piece,
                piece_index,
                word,
                piece.text.len(),
            ));
        }
    }
    // Drop spaces at the very start and end.
    while atoms
        .first()
        .is_some_and(|a| matches!(a.kind, AtomKind::Space { .. }))
    {
        atoms.remove(0);
    }
    while atoms
        .last()
        .is_some_and(|a| matches!(a.kind, AtomKind::Space { .. }))
    {
        atoms.pop();
    }
    (atoms, arena)
}

/// A token cut where a line may break inside it without a space, by Unicode's line-breaking
/// rules (UAX #14, with ICU's dictionaries for Thai, Lao, Khmer and Burmese words): between
/// Chinese and Japanese characters, between Thai words, after an Ethiopic word space. The
/// Chinese and Japanese line-start and line-end rules hold on top: no break before closing
/// brackets and punctuation, small kana and the prolonged sound mark, none after an opening
/// bracket. Tokens in other scripts stay whole (their hyphens and dashes break elsewhere).
/// The segments go into `segments`, which is cleared first.
fn segments<'a>(token: &'a str, segments: &mut Vec<&'a str>) {
    segments.clear();
    if !token.chars().any(breaks_inside_words) {
        segments.push(token);
        return;
    }
    static SEGMENTER: std::sync::LazyLock<icu_segmenter::LineSegmenterBorrowed<'static>> =
        std::sync::LazyLock::new(|| {
            icu_segmenter::LineSegmenter::new_dictionary(Default::default())
        });
    let mut start = 0;
    for at in SEGMENTER.segment_str(token) {
        if at == 0 || at >= token.len() {
            continue;
        }
        let next = token[at..].chars().next();
        let previous = token[..at].chars().next_back();
        if next.is_some_and(|c| NO_LINE_START.contains(c))
            || previous.is_some_and(|c| NO_LINE_END.contains(c))
        {
            continue;
        }
        segments.push(&token[start..at]);
        start = at;
    }
    segments.push(&token[start..]);
}

/// Whether a character belongs to a script whose words run on without spaces (Chinese,
/// Japanese, Thai, Lao, Khmer, Burmese), or separates words by a mark of its own (Ethiopic).
fn breaks_inside_words(c: char) -> bool {
    is_cjk(c) || is_southeast_asian(c) || matches!(u32::from(c), 0x1200..=0x139F | 0x2D80..=0x2DDF)
}

/// Thai, Lao, Khmer and Burmese: written without spaces between words, broken between words
/// found by dictionary, and never hyphenated.
fn is_southeast_asian(c: char) -> bool {
    matches!(u32::from(c),
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x19E0..=0x19FF // Khmer symbols
        | 0xA9E0..=0xA9FF // Myanmar extended B
        | 0xAA60..=0xAA7F // Myanmar extended A
    )
}

/// Characters a line may not start with (Japanese kinsoku and Chinese line-start rules).
const NO_LINE_START: &str = "、。，．・：；？！゛゜ヽヾゝゞ々ー’”）〕］｝〉》」』】〙〗〟｠»ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ‐゠–〜～!),.:;?]}％";

/// Characters a line may not end with: opening brackets and quotation marks.
const NO_LINE_END: &str = "‘“（〔［｛〈《「『【〘〖〝｟«([{";

/// Whether a character belongs to text written without spaces between words: Han, kana,
/// Bopomofo, and CJK symbols, punctuation and full-width forms. (Korean separates words with
/// spaces, so Hangul breaks there.)
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x2FDF // radicals
        | 0x3000..=0x303F // CJK symbols and punctuation
        | 0x3040..=0x30FF // hiragana, katakana
        | 0x3100..=0x312F // bopomofo
        | 0x31A0..=0x31FF // bopomofo extended, katakana phonetic extensions
        | 0x3400..=0x4DBF // extension A
        | 0x4E00..=0x9FFF // unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF00..=0xFF60 // full-width forms
        | 0x20000..=0x3FFFF // extensions B and beyond
    )
}

/// The atoms of one token (text between spaces): its parts between hard hyphens, dashes and URL
/// separators, each hyphenated where the language allows.
fn word_atoms(
    token: &str,
    piece: &Piece,
    (piece_index, word, at): (usize, usize, usize),
    (fonts, hyphenation, uncovered): (&FontBook, &mut Hyphenation, &mut Vec<char>),
    (atoms, arena, hyphens): (&mut Vec<Atom>, &mut Arena, &mut Vec<Slice>),
) {
    let is_url = token.contains("://") || token.starts_with("www.");
    let compound = parts(token, is_url).nth(1).is_some();
    for (part, break_cost) in parts(token, is_url) {
        let before = uncovered.len();
        let mut runs = std::mem::take(&mut arena.runs);
        runs.clear();
        fonts.shape_each_in(part, piece.style, &piece.lang, uncovered, |shaped| {
            runs.push(arena.push(shaped));
        });
        let covered = uncovered.len() == before;
        // A word is hyphenated only where each glyph stands for its own characters in order:
        // the broken word's actual text cannot hold a reordered cluster's own (Indic vowel
        // signs drawn before their consonant), and Thai, Lao, Khmer and Burmese break between
        // words without a hyphen.
        let simple = runs.iter().all(|&r| {
            arena
                .glyphs(r)
                .windows(2)
                .all(|w| w[0].text.start < w[1].text.start)
        }) && !part.chars().any(is_southeast_asian);
        let breaks =
            if piece.hyphenate && !compound && !is_url && covered && simple && runs.len() == 1 {
                let (lead, core, _) = split_punctuation(part);
                hyphenation
                    .breaks(piece.lang.as_str(), core)
                    .iter()
                    .map(|b| b + lead)
                    .collect()
            } else {
                Vec::new()
            };
        let mut syllables = std::mem::take(&mut arena.syllables);
        for &shaped in &runs {
            let face = shaped.face;
            split_at_breaks(shaped, &breaks, arena, &mut syllables);
            let last = syllables.len().saturating_sub(1);
            for (k, &syllable) in syllables.iter().enumerate() {
                let width = arena.width(syllable, piece.size);
                atoms.push(Atom {
                    kind: AtomKind::Word,
                    shaped: syllable,
                    width,
                    piece: piece_index,
                    word,
                    at,
                });
                if k < last {
                    let hyphen = match hyphens.iter().find(|h| h.face == face) {
                        Some(&hyphen) => hyphen,
                        None => {
                            let hyphen = arena.push(&fonts.shape_in(face, "-"));
                            hyphens.push(hyphen);
                            hyphen
                        }
                    };
                    let width = arena.width(hyphen, piece.size);
                    atoms.push(Atom {
                        kind: AtomKind::Hyphen { width },
                        shaped: hyphen,
                        width,
                        piece: piece_index,
                        word,
                        at,
                    });
                }
            }
        }
        arena.runs = runs;
        arena.syllables = syllables;
        if let Some(cost) = break_cost {
            atoms.push(Atom::marker(
                AtomKind::Break { cost },
                fonts,
                piece,
                piece_index,
                word,
                at,
            ));
        }
    }
}

/// A token's parts, each ending where a line may break inside the token without a hyphen
/// being added (after a hard hyphen or dash, or a URL's separators), with the cost of breaking
/// there; the last part has none.
fn parts(token: &str, is_url: bool) -> impl Iterator<Item = (&str, Option<f32>)> {
    let mut chars = token.char_indices();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        for (i, c) in chars.by_ref() {
            let end = i + c.len_utf8();
            let cost = match c {
                '-' | '‐' | '–' | '—' if end < token.len() && i > 0 => HARD_HYPHEN_COST,
                '/' | '.' | '?' | '&' if is_url && end < token.len() => URL_BREAK_COST,
                _ => continue,
            };
            start = Some(end);
            return Some((token.get(from..end).unwrap_or_default(), Some(cost)));
        }
        start = None;
        Some((token.get(from..).unwrap_or_default(), None))
    })
}

/// Leading punctuation length, the letters, and trailing punctuation of a token.
fn split_punctuation(token: &str) -> (usize, &str, &str) {
    let start = token
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(token.len(), |(i, _)| i);
    let end = token
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(start, |(i, c)| i + c.len_utf8());
    let end = end.max(start);
    (start, &token[start..end], &token[end..])
}

/// Splits shaped text at byte offsets that fall on glyph-cluster boundaries (a break inside a
/// ligature is skipped) into `parts`. Each part's glyphs then count their text from the part's
/// start.
fn split_at_breaks(shaped: Slice, breaks: &[usize], arena: &mut Arena, parts: &mut Vec<Slice>) {
    parts.clear();
    if breaks.is_empty() {
        parts.push(shaped);
        return;
    }
    let glyphs = arena.glyphs(shaped);
    let (glyph_base, text_base) = (shaped.glyphs.0, shaped.text.0);
    let mut glyph_start = 0;
    let mut text_start = 0;
    for &b in breaks {
        let Some(glyph_end) = glyphs.iter().position(|g| g.range().start == b) else {
            continue;
        };
        if glyph_end <= glyph_start {
            continue;
        }
        parts.push(Slice {
            face: shaped.face,
            text: (text_base + text_start, text_base + b),
            glyphs: (glyph_base + glyph_start, glyph_base + glyph_end),
        });
        glyph_start = glyph_end;
        text_start = b;
    }
    parts.push(Slice {
        face: shaped.face,
        text: (text_base + text_start, shaped.text.1),
        glyphs: (glyph_base + glyph_start, shaped.glyphs.1),
    });
    for part in parts.iter() {
        let from = part.text.0 - text_base;
        if let Some(glyphs) = arena.glyphs.get_mut(part.glyphs.0..part.glyphs.1) {
            for g in glyphs {
                let range = g.range();
                *g = g.with_range(range.start.saturating_sub(from)..range.end.saturating_sub(from));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str) -> Piece {
        Piece {
            text: text.to_string(),
            style: Style::default(),
            size: 12.0,
            rise: 0.0,
            script_level: 0,
            owner: NodeId(1),
            link: None,
            anchor: None,
            lang: Lang::parse("en").expect("a tag"),
            pos: InlinePos::default(),
            hyphenate: true,
            break_after: false,
            underline: false,
            strike: false,
        }
    }

    fn style(width: f32) -> ParagraphStyle {
        ParagraphStyle {
            width,
            justify: true,
            line_height: 16.0,
            baseline: 12.0,
            rtl: false,
        }
    }

    fn line_text(line: &Line) -> String {
        line.frags
            .iter()
            .flat_map(|f| f.runs.iter().map(|r| r.text.as_str()))
            .collect()
    }

    /// The segments of `token`, as [`segments`] finds them.
    fn segmented(token: &str) -> Vec<&str> {
        let mut found = Vec::new();
        segments(token, &mut found);
        found
    }

    const TEXT: &str = "Understanding the root causes and drivers of child trafficking is crucial in developing effective strategies to combat this crime. Socioeconomic factors, political instability, gender inequality, and the demand for cheap labor contribute to the vulnerability of children.";

    #[test]
    fn text_without_spaces_breaks_between_characters_but_not_before_closing_punctuation() {
        assert_eq!(segmented("中文。好"), ["中", "文。", "好"]);
        assert_eq!(segmented("「直」と"), ["「直」", "と"]);
        assert_eq!(segmented("Rust语言"), ["Rust", "语", "言"]);
        assert_eq!(segmented("English"), ["English"]);
        assert_eq!(segmented("한국어"), ["한국어"]);
        let text = "这是一个很长的中文段落，没有空格。".repeat(12);
        let fonts = FontBook::load().expect("fonts");
        let mut h = Hyphenation::default();
        let lines = layout(
            &[piece(&text)],
            style(200.0),
            &fonts,
            &mut h,
            &mut Vec::new(),
        );
        assert!(lines.len() > 3, "{} lines", lines.len());
        let mut rejoined = String::new();
        for line in &lines {
            let line_text = line_text(line);
            assert!(line.width <= 200.5, "{line_text:?} is {} wide", line.width);
            assert!(
                !line_text.starts_with(['，', '。']),
                "a line starts with closing punctuation: {line_text:?}"
            );
            rejoined.push_str(&line_text);
        }
        assert_eq!(rejoined, text);
        // Justified: every line but the last spreads between its characters to the full width.
        for line in &lines[..lines.len() - 1] {
            assert!((line.width - 200.0).abs() < 0.5, "{} wide", line.width);
        }
    }

    #[test]
    fn thai_khmer_and_ethiopic_break_between_words() {
        assert_eq!(
            segmented("มนุษย์ทั้งหลายเกิดมามีอิสระ"),
            ["มนุษย์", "ทั้ง", "หลาย", "เกิด", "มา", "มี", "อิสระ"]
        );
        assert_eq!(
            segmented("ស្វាគមន៍មកកាន់ប្រទេសកម្ពុជា"),
            ["ស្វាគមន៍", "មកកាន់", "ប្រទេស", "កម្ពុជា"]
        );
        assert_eq!(segmented("የሰው፡ልጅ፡ሁሉ"), ["የሰው፡", "ልጅ፡", "ሁሉ"]);
        // Thai lines break between words, never with a hyphen, and rejoin to the text.
        let text = "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ ".repeat(4);
        let fonts = FontBook::load().expect("fonts");
        let thai = Piece {
            lang: Lang::parse("th").expect("a tag"),
            ..piece(text.trim_end())
        };
        let lines = layout(
            &[thai],
            style(120.0),
            &fonts,
            &mut Hyphenation::default(),
            &mut Vec::new(),
        );
        assert!(lines.len() > 3, "{} lines", lines.len());
        assert!(lines.iter().all(|l| !l.hyphenated));
        let rejoined: String = lines.iter().map(line_text).collect::<Vec<_>>().join(" ");
        assert_eq!(rejoined.replace(' ', ""), text.replace(' ', ""));
    }

    /// Where each word of a line stands, from the left.
    fn word_places(line: &Line) -> Vec<(String, f32)> {
        line.frags
            .iter()
            .flat_map(|f| &f.runs)
            .filter(|r| !r.text.trim().is_empty())
            .map(|r| (r.text.trim().to_string(), r.x))
            .collect()
    }

    #[test]
    fn right_to_left_lines_run_from_the_right_with_numbers_and_latin_left_to_right() {
        let fonts = FontBook::load().expect("fonts");
        let hebrew = Piece {
            lang: Lang::parse("he").expect("a tag"),
            ..piece("אבג דהו 123 xyz.")
        };
        let rtl = ParagraphStyle {
            rtl: true,
            justify: false,
            ..style(400.0)
        };
        let lines = layout(
            std::slice::from_ref(&hebrew),
            rtl,
            &fonts,
            &mut Hyphenation::default(),
            &mut Vec::new(),
        );
        let places = word_places(&lines[0]);
        let x = |word: &str| {
            places
                .iter()
                .find(|(w, _)| w == word)
                .map(|&(_, x)| x)
                .unwrap_or_else(|| panic!("{word} not in {places:?}"))
        };
        // Logical order in the content; visual order on the page, right to left.
        let order: Vec<&str> = places.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(order, ["אבג", "דהו", "123", "xyz."]);
        assert!(x("xyz.") < x("123"), "{places:?}");
        assert!(x("123") < x("דהו"), "{places:?}");
        assert!(x("דהו") < x("אבג"), "{places:?}");
        // Left to right, the same words keep their order.
        let lines = layout(
            &[hebrew],
            style(400.0),
            &fonts,
            &mut Hyphenation::default(),
            &mut Vec::new(),
        );
        let places = word_places(&lines[0]);
        assert!(places.windows(2).any(|w| w[0].1 > w[1].1), "{places:?}");
        assert!(places.iter().any(|(w, _)| w == "123"));
    }

    #[test]
    fn lines_fit_and_rejoin_to_the_text() {
        let fonts = FontBook::load().expect("fonts");
        let mut h = Hyphenation::default();
        let lines = layout(
            &[piece(TEXT)],
            style(200.0),
            &fonts,
            &mut h,
            &mut Vec::new(),
        );
        assert!(lines.len() > 3);
        let mut rejoined = String::new();
        for line in &lines {
            let text = line_text(line);
            assert!(line.width <= 200.5, "{text:?} is {} wide", line.width);
            let groups: Vec<_> = line.frags.iter().filter_map(|f| f.group.clone()).collect();
            let text = match (text.strip_suffix('-'), groups.last()) {
                (Some(head), Some(_)) if !line.frags.is_empty() => head.to_string(),
                _ => format!("{text} "),
            };
            rejoined.push_str(&text);
        }
        assert_eq!(rejoined.trim_end(), TEXT);
    }

    #[test]
    fn hyphenated_word_pieces_share_a_group_with_the_whole_word() {
        let fonts = FontBook::load().expect("fonts");
        let mut h = Hyphenation::default();
        // A narrow measure forces hyphenation somewhere.
        let lines = layout(
            &[piece(TEXT)],
            style(120.0),
            &fonts,
            &mut h,
            &mut Vec::new(),
        );
        let groups: Vec<(usize, String)> = lines
            .iter()
            .flat_map(|l| l.frags.iter().filter_map(|f| f.group.clone()))
            .collect();
        assert!(!groups.is_empty(), "no word was hyphenated at 120pt");
        for (_, word) in &groups {
            assert!(TEXT.contains(word.as_str()), "{word}");
            assert!(!word.contains('-'));
        }
    }

    #[test]
    fn uncovered_character_is_reported() {
        let fonts = FontBook::load().expect("fonts");
        let mut h = Hyphenation::default();
        let mut uncovered = Vec::new();
        let lines = layout(
            &[piece("a \u{E000} b")],
            style(200.0),
            &fonts,
            &mut h,
            &mut uncovered,
        );
        assert_eq!(uncovered, ['\u{E000}']);
        // The line is still set, the character as a blank glyph in its place.
        assert_eq!(lines.len(), 1);
        assert_eq!(line_text(&lines[0]), "a \u{E000} b");
    }

    #[test]
    fn compounds_keep_their_hyphen() {
        let (lead, core, tail) = split_punctuation("“well,");
        assert_eq!((lead, core, tail), ("“".len(), "well", ","));
    }
}
