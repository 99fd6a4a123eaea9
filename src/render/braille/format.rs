//! Braille formatting: the transcribed chapters and the words of the title page in; braille
//! pages (lines of cells, with braille and print page numbers) and the chapters as blocks that
//! know where each braille page begins, out. No liblouis here: cells in, cells out.
//!
//! The rules are those of BANA's *Braille Formats* (2016): main headings centred with a blank
//! line before and after, lower headings in cell 5 and then cell 7; paragraphs in cell 3 with
//! runovers in cell 1; list items hanging (cell 1, runovers cell 3; each level of nesting two
//! cells further in), with a blank line before and after a list; tables in listed form, each
//! row an entry in cell 1 with runovers in cell 3; transcriber's notes in cell 7 with runovers
//! in cell 5; the print page number at the right of the first line (with a letter a, b, … on
//! the braille pages a print page continues onto) and a print page change as a line of dots
//! 3-6 ending in the new number; the braille page number at the right of the last line;
//! preliminary pages numbered p1, p2, … A word is never divided unless it is longer than a line.

use super::translate::{Item, Part, Token};
use super::{BLANK, Block, BlockKind, Chapter, Page, PageNumber};

/// The fewest blank cells between text and a page number on the same line, and on either side
/// of a centred heading (BANA: three).
const MARGIN: usize = 3;

/// The cells of a print page change line (dots 3-6), before the page's number.
const PAGE_CHANGE: char = '⠤';

/// A guide dot of the contents (dot 5), between an entry and its page number.
const GUIDE_DOT: char = '⠐';

/// What the title page shows: the title's words, then groups of words each centred apart
/// (the authors, the transcription's note), and the word(s) of the contents' heading.
#[derive(Debug, Clone, Default)]
pub struct Front {
    pub title: Vec<String>,
    pub groups: Vec<Vec<String>>,
    pub contents: Vec<String>,
}

/// The formatted edition: its pages (preliminary, then body) and its chapters as blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    pub pages: Vec<Page>,
    pub chapters: Vec<Chapter>,
}

/// A number in braille: the number sign and the letters a–j for the digits (the rule of UEB
/// and most 6-dot codes); any other character of a label (a roman numeral) as its letter.
pub fn number(label: &str) -> String {
    const DIGITS: [char; 10] = ['⠚', '⠁', '⠃', '⠉', '⠙', '⠑', '⠋', '⠛', '⠓', '⠊'];
    const LETTERS: &str = "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵";
    let mut out = String::new();
    let mut in_number = false;
    for c in label.chars() {
        if let Some(d) = c.to_digit(10) {
            if !in_number {
                out.push('⠼');
                in_number = true;
            }
            out.push(DIGITS[d as usize]);
        } else {
            in_number = false;
            let lower = c.to_ascii_lowercase();
            if lower.is_ascii_lowercase() {
                out.extend(LETTERS.chars().nth(usize::from(lower as u8 - b'a')));
            }
        }
    }
    out
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// Sets lines into pages: the first line keeps the print page number, the last the braille
/// page number; the lines between hold text.
struct Pager {
    cells: usize,
    lines: usize,
    pages: Vec<Page>,
    text: Vec<String>,
    number: PageNumber,
    /// The print page in effect now, and on how many braille pages it has gone on so far.
    print: Option<(String, usize)>,
    /// The print page number at the top of the page being filled.
    top: Option<String>,
    /// A page began and its first word is still to come (for the blocks' page breaks).
    fresh: bool,
}

impl Pager {
    fn new(cells: usize, lines: usize, number: PageNumber) -> Self {
        Pager {
            cells,
            lines,
            pages: Vec::new(),
            text: Vec::new(),
            number,
            print: None,
            top: None,
            fresh: true,
        }
    }

    /// The lines of text a page holds.
    fn capacity(&self) -> usize {
        self.lines.saturating_sub(2).max(1)
    }

    fn room(&self) -> usize {
        self.capacity() - self.text.len()
    }

    fn at_top(&self) -> bool {
        self.text.is_empty()
    }

    fn line(&mut self, line: String) {
        if self.room() == 0 {
            self.finish_page();
        }
        self.text.push(line.trim_end_matches(BLANK).to_string());
    }

    /// A blank line, but not at the top of a page.
    fn blank(&mut self) {
        if !self.at_top() && self.text.last().is_some_and(|l| !l.is_empty()) {
            if self.room() <= 1 {
                self.finish_page();
            } else {
                self.text.push(String::new());
            }
        }
    }

    fn new_page(&mut self) {
        if !self.at_top() {
            self.finish_page();
        }
    }

    fn finish_page(&mut self) {
        let cells = self.cells;
        let right = |text: &str| {
            let pad = cells.saturating_sub(width(text));
            format!("{}{text}", BLANK.to_string().repeat(pad))
        };
        let mut lines = Vec::with_capacity(self.lines);
        lines.push(self.top.as_deref().map(right).unwrap_or_default());
        lines.append(&mut self.text);
        while lines.len() + 1 < self.lines {
            lines.push(String::new());
        }
        lines.push(right(&self.number.braille()));
        self.pages.push(Page {
            number: self.number,
            lines,
            print: self.top.take().map(|t| {
                self.print
                    .as_ref()
                    .map_or(t, |(label, _)| label.to_string())
            }),
        });
        self.number = match self.number {
            PageNumber::Preliminary(n) => PageNumber::Preliminary(n + 1),
            PageNumber::Body(n) => PageNumber::Body(n + 1),
        };
        // The next page goes on with the print page in effect: a letter says so.
        if let Some((label, continued)) = &mut self.print {
            *continued += 1;
            let letter = number_letter(*continued);
            let top = format!("{letter}{}", number(label));
            // A print page that goes on for more braille pages than letters fit in the corner
            // keeps its number there alone.
            self.top = Some(if width(&top) <= self.cells {
                top
            } else {
                number(label)
            });
        }
        self.fresh = true;
    }

    /// A print page begins: at the top of a braille page its number goes in the corner;
    /// elsewhere a line of dots 3-6 ending in the number marks the change.
    fn print_page(&mut self, label: &str) {
        self.print = Some((label.to_string(), 0));
        let braille = number(label);
        if self.at_top() {
            self.top = Some(braille);
            return;
        }
        let dashes = self.cells.saturating_sub(width(&braille));
        let line = format!("{}{braille}", PAGE_CHANGE.to_string().repeat(dashes));
        if self.room() == 0 {
            self.finish_page();
            // At the top after all: the number goes in the corner.
            self.print = Some((label.to_string(), 0));
            self.top = Some(braille);
            return;
        }
        self.text.push(line);
    }

    fn finish(mut self) -> Vec<Page> {
        if !self.at_top() || self.pages.is_empty() {
            self.finish_page();
        }
        self.pages
    }
}

/// The letter of a continuation (1: a, 2: b, … 26: z, then aa…): letters alone, as BANA's
/// continuation letters are written.
fn number_letter(n: usize) -> String {
    const LETTERS: [char; 26] = [
        '⠁', '⠃', '⠉', '⠙', '⠑', '⠋', '⠛', '⠓', '⠊', '⠚', '⠅', '⠇', '⠍', '⠝', '⠕', '⠏', '⠟', '⠗',
        '⠎', '⠞', '⠥', '⠧', '⠺', '⠭', '⠽', '⠵',
    ];
    let letter = LETTERS[(n - 1) % 26];
    letter.to_string().repeat((n - 1) / 26 + 1)
}

/// The indents of an item: its first line's and its runovers' (0 = cell 1), and whether it is
/// centred.
fn indents(kind: BlockKind) -> (usize, usize, bool) {
    match kind {
        BlockKind::Heading(1) => (0, 0, true),
        BlockKind::Heading(2) => (4, 4, false),
        BlockKind::Heading(_) => (6, 6, false),
        BlockKind::Paragraph => (2, 0, false),
        BlockKind::ListItem { depth } => {
            let depth = usize::from(depth).min(8);
            (2 * depth, 2 * depth + 2, false)
        }
        BlockKind::TableRow | BlockKind::Code => (0, 2, false),
        BlockKind::Note => (6, 4, false),
    }
}

/// Whether items of a kind are set apart by a blank line before and after a run of them.
fn in_a_run(kind: BlockKind) -> bool {
    run_kind(kind) != 0
}

/// Words set into lines of `cells` with the given indents; a word longer than a line is divided
/// with a hyphen (dots 3-6) at the line's end. Each line with the index of the word it begins
/// with.
fn wrap(words: &[&str], cells: usize, first: usize, runover: usize) -> Vec<(String, usize)> {
    // However deep the nesting, half a line is left for the words.
    let (first, runover) = (first.min(cells / 2), runover.min(cells / 2));
    let mut lines = Vec::new();
    let mut line = BLANK.to_string().repeat(first);
    let mut begins = 0;
    let mut has_word = false;
    for (i, word) in words.iter().enumerate() {
        let w = width(word);
        let needed = if has_word { w + 1 } else { w };
        if width(&line) + needed > cells && has_word {
            lines.push((std::mem::take(&mut line), begins));
            line = BLANK.to_string().repeat(runover);
            has_word = false;
        }
        if !has_word {
            begins = i;
        }
        if has_word {
            line.push(BLANK);
        }
        let available = cells.saturating_sub(width(&line));
        if w > available {
            // Longer than a line: divided, each part but the last ending in a hyphen.
            let chars: Vec<char> = word.chars().collect();
            let mut rest = &chars[..];
            loop {
                let available = cells.saturating_sub(width(&line)).max(2);
                if rest.len() <= available {
                    line.extend(rest);
                    break;
                }
                let (part, tail) = rest.split_at(available - 1);
                line.extend(part);
                line.push(PAGE_CHANGE);
                lines.push((std::mem::take(&mut line), begins));
                line = BLANK.to_string().repeat(runover);
                rest = tail;
            }
        } else {
            line.push_str(word);
        }
        has_word = true;
    }
    if has_word {
        lines.push((line, begins));
    }
    lines
}

/// Centres words in lines with at least [`MARGIN`] blank cells on either side.
fn centred(words: &[&str], cells: usize) -> Vec<(String, usize)> {
    let inner = cells.saturating_sub(2 * MARGIN).max(cells / 2).max(1);
    wrap(words, inner, 0, 0)
        .into_iter()
        .map(|(line, begins)| {
            let pad = (cells - width(&line).min(cells)) / 2;
            (format!("{}{line}", BLANK.to_string().repeat(pad)), begins)
        })
        .collect()
}

/// Formats the transcription: the body's pages from 1, then the title page and contents as
/// preliminary pages before them.
pub fn format(parts: &[Part], front: &Front, cells: usize, lines: usize) -> Formatted {
    let mut pager = Pager::new(cells, lines, PageNumber::Body(1));
    let mut chapters = Vec::new();
    // The body page each chapter begins on.
    let mut starts = Vec::new();
    for part in parts {
        if part.new_page {
            pager.new_page();
        }
        starts.push(pager.pages.len());
        let mut blocks = Vec::new();
        let mut previous: Option<BlockKind> = None;
        for item in &part.items {
            let kind = item.kind;
            let run = in_a_run(kind);
            let same_run = previous.is_some_and(|p| run && run_kind(p) == run_kind(kind));
            if previous.is_some_and(in_a_run) && !same_run {
                pager.blank();
            }
            if run && !same_run {
                pager.blank();
            }
            blocks.push(set_item(&mut pager, item, cells));
            previous = Some(kind);
        }
        if previous.is_some_and(in_a_run) {
            pager.blank();
        }
        chapters.push(Chapter {
            title: part.title.clone(),
            braille_title: part.braille_title.clone(),
            blocks,
        });
    }
    let body = pager.finish();
    // The preliminary pages: the title page, then the contents.
    let mut pre = Pager::new(cells, lines, PageNumber::Preliminary(1));
    for _ in 0..2 {
        pre.text.push(String::new());
    }
    for (line, _) in centred(&strs(&front.title), cells) {
        pre.line(line);
    }
    for group in &front.groups {
        pre.blank();
        pre.line(String::new());
        for (line, _) in centred(&strs(group), cells) {
            pre.line(line);
        }
    }
    pre.new_page();
    if !parts.is_empty() {
        for (line, _) in centred(&strs(&front.contents), cells) {
            pre.line(line);
        }
        pre.line(String::new());
        for (part, start) in parts.iter().zip(&starts) {
            let number = body.get(*start).map_or(PageNumber::Body(1), |p| p.number);
            let indent = (2 * usize::from(part.level.saturating_sub(1))).min(cells / 4);
            contents_entry(
                &mut pre,
                &part.braille_title,
                &number.braille(),
                indent,
                cells,
            );
        }
    }
    let mut pages = pre.finish();
    let offset = pages.len();
    for chapter in &mut chapters {
        for block in &mut chapter.blocks {
            for (_, page) in &mut block.page_breaks {
                *page += offset;
            }
        }
    }
    pages.extend(body);
    Formatted { pages, chapters }
}

/// The kind of run items of a kind make (list items of any depth one); 0 for items that make
/// none.
fn run_kind(kind: BlockKind) -> u8 {
    match kind {
        BlockKind::ListItem { .. } => 1,
        BlockKind::TableRow => 2,
        BlockKind::Code => 3,
        _ => 0,
    }
}

fn strs(words: &[String]) -> Vec<&str> {
    words.iter().map(String::as_str).collect()
}

/// An entry of the contents: the title in cell 1 (two cells further in for each level below
/// the chapters), runovers two cells further in, then guide dots and the braille page number
/// at the right margin.
fn contents_entry(pager: &mut Pager, title: &str, number: &str, indent: usize, cells: usize) {
    let words: Vec<&str> = title.split(BLANK).filter(|w| !w.is_empty()).collect();
    // Room for at least two guide dots, a blank either side and the number.
    let tail = width(number) + 4;
    let mut lines = wrap(&words, cells, indent, indent + 2);
    let last = lines.last().map_or(0, |(l, _)| width(l));
    if last + tail > cells || lines.is_empty() {
        lines.push((BLANK.to_string().repeat(indent + 2), 0));
    }
    let count = lines.len();
    for (i, (mut line, _)) in lines.into_iter().enumerate() {
        if i + 1 == count {
            let dots = cells.saturating_sub(width(&line) + width(number) + 2);
            line.push(BLANK);
            line.extend(std::iter::repeat_n(GUIDE_DOT, dots));
            line.push(BLANK);
            line.push_str(number);
        }
        pager.line(line);
    }
}

/// Sets one item: its lines, and the print page changes among its words. Returns it as a
/// block, with the braille pages that begin inside it.
fn set_item(pager: &mut Pager, item: &Item, cells: usize) -> Block {
    let (kind, tokens) = (item.kind, item.tokens.as_slice());
    let (mut first, mut runover, centre) = indents(kind);
    if kind == BlockKind::Code {
        // A code line keeps its indentation (up to half a line), its runovers two cells in.
        first = item.indent.min(cells / 2);
        runover = first + 2;
    }
    let heading = matches!(kind, BlockKind::Heading(_));
    // The block's text, each word's byte offset in it.
    let mut text = String::new();
    let mut offsets = Vec::new();
    for token in tokens {
        if let Token::Word(word) = token {
            if !text.is_empty() {
                text.push(BLANK);
            }
            offsets.push(text.len());
            text.push_str(word);
        }
    }
    let mut block = Block {
        kind,
        text,
        page_breaks: Vec::new(),
    };
    if heading {
        let words: Vec<&str> = tokens
            .iter()
            .filter_map(|t| match t {
                Token::Word(w) => Some(w.as_str()),
                Token::Print(_) => None,
            })
            .collect();
        let lines = if centre {
            centred(&words, cells)
        } else {
            wrap(&words, cells, first, runover)
        };
        // A heading is not left at the foot of a page: it keeps a line of text after it.
        let needed = lines.len() + 2 + usize::from(kind == BlockKind::Heading(1));
        if pager.room() < needed {
            pager.new_page();
        }
        for token in tokens {
            if let Token::Print(label) = token {
                pager.print_page(label);
            }
        }
        if matches!(kind, BlockKind::Heading(1 | 2)) {
            pager.blank();
        }
        for (line, begins) in lines {
            mark_page(pager, &mut block, offsets.get(begins).copied().unwrap_or(0));
            pager.line(line);
        }
        if centre {
            pager.blank();
        }
        return block;
    }
    // Words between print page changes are set as runs; the first run starts the item.
    let mut run: Vec<(&str, usize)> = Vec::new();
    let mut started = false;
    let mut word_index = 0;
    let mut flush = |pager: &mut Pager, run: &mut Vec<(&str, usize)>, started: &mut bool| {
        if run.is_empty() {
            return;
        }
        let words: Vec<&str> = run.iter().map(|(w, _)| *w).collect();
        let indent = if *started { runover } else { first };
        for (line, begins) in wrap(&words, cells, indent, runover) {
            let offset = run.get(begins).map_or(0, |(_, o)| *o);
            mark_page(pager, &mut block, offset);
            pager.line(line);
        }
        *started = true;
        run.clear();
    };
    for token in tokens {
        match token {
            Token::Word(word) => {
                run.push((word.as_str(), offsets.get(word_index).copied().unwrap_or(0)));
                word_index += 1;
            }
            Token::Print(label) => {
                flush(pager, &mut run, &mut started);
                pager.print_page(label);
            }
        }
    }
    flush(pager, &mut run, &mut started);
    block
}

/// Notes the braille page that begins at a line (whose first word is at `offset`) when it is
/// the first line of its page.
fn mark_page(pager: &mut Pager, block: &mut Block, offset: usize) {
    if pager.room() == 0 {
        pager.finish_page();
    }
    if pager.fresh {
        block.page_breaks.push((offset, pager.pages.len()));
        pager.fresh = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(n: usize) -> String {
        "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚".chars().take(n.clamp(1, 10)).collect()
    }

    fn part(items: Vec<Item>) -> Part {
        Part {
            title: "T".into(),
            braille_title: "⠞".into(),
            new_page: true,
            level: 1,
            items,
        }
    }

    fn para(words: usize) -> Item {
        Item {
            kind: BlockKind::Paragraph,
            tokens: (0..words).map(|i| Token::Word(word(i % 7 + 1))).collect(),
            indent: 0,
        }
    }

    fn bounds(f: &Formatted, cells: usize, lines: usize) {
        for page in &f.pages {
            assert_eq!(page.lines.len(), lines, "{:?}", page.number);
            for line in &page.lines {
                assert!(width(line) <= cells, "{line}");
                assert!(!line.ends_with(BLANK));
                assert!(line.chars().all(|c| ('\u{2800}'..='\u{28ff}').contains(&c)));
            }
        }
    }

    fn any_item() -> impl proptest::strategy::Strategy<Value = Item> {
        use proptest::prelude::*;
        let kind = prop_oneof![
            (1u8..=6).prop_map(BlockKind::Heading),
            Just(BlockKind::Paragraph),
            (0u8..=40).prop_map(|depth| BlockKind::ListItem { depth }),
            Just(BlockKind::TableRow),
            Just(BlockKind::Code),
            Just(BlockKind::Note),
        ];
        let token = prop_oneof![
            8 => (1usize..=120).prop_map(|n| Token::Word("⠁".repeat(n))),
            1 => (1usize..=3000).prop_map(|n| Token::Print(n.to_string())),
        ];
        (kind, proptest::collection::vec(token, 0..60), 0usize..200).prop_map(
            |(kind, tokens, indent)| Item {
                kind,
                tokens,
                indent,
            },
        )
    }

    proptest::proptest! {
        /// Whatever the items and the page's size, no line is longer than the cells, no page
        /// longer than the lines, and every word is set.
        #[test]
        fn every_page_keeps_its_bounds(
            items in proptest::collection::vec(any_item(), 0..30),
            cells in 12usize..=80,
            lines in 4usize..=60,
            title in 0usize..=100,
        ) {
            let front = Front {
                title: vec!["⠞".repeat(title.max(1))],
                groups: vec![vec!["⠁".repeat(title / 2 + 1); 3]],
                contents: vec!["⠒⠞⠢⠞⠎".into()],
            };
            let words: usize = items
                .iter()
                .flat_map(|i| &i.tokens)
                .filter(|t| matches!(t, Token::Word(_)))
                .map(|t| match t {
                    Token::Word(w) => w.chars().count(),
                    Token::Print(_) => 0,
                })
                .sum();
            let f = format(&[part(items)], &front, cells, lines);
            bounds(&f, cells, lines);
            let body_cells: usize = f
                .pages
                .iter()
                .filter(|p| matches!(p.number, PageNumber::Body(_)))
                .flat_map(|p| &p.lines[1..p.lines.len() - 1])
                .filter(|l| !l.starts_with('⠤'))
                .map(|l| l.chars().filter(|&c| c == '⠁').count())
                .sum();
            proptest::prop_assert_eq!(body_cells, words);
        }
    }

    #[test]
    fn numbers_are_in_braille() {
        assert_eq!(number("12"), "⠼⠁⠃");
        assert_eq!(number("iv"), "⠊⠧");
        assert_eq!(PageNumber::Preliminary(3).braille(), "⠏⠼⠉");
        assert_eq!(number_letter(1), "⠁");
        assert_eq!(number_letter(27), "⠁⠁");
    }

    #[test]
    fn paragraphs_indent_in_cell_3_and_pages_keep_their_bounds() {
        let items = vec![
            Item {
                kind: BlockKind::Heading(1),
                tokens: vec![Token::Print("1".into()), Token::Word(word(5))],
                indent: 0,
            },
            para(200),
            Item {
                kind: BlockKind::Paragraph,
                tokens: vec![
                    Token::Word(word(3)),
                    Token::Print("2".into()),
                    Token::Word(word(4)),
                ],
                indent: 0,
            },
            para(300),
        ];
        let f = format(&[part(items)], &Front::default(), 40, 25);
        bounds(&f, 40, 25);
        let body: Vec<&Page> = f
            .pages
            .iter()
            .filter(|p| matches!(p.number, PageNumber::Body(_)))
            .collect();
        // Page 1: the print page in the corner, the heading centred, the paragraph in cell 3.
        assert_eq!(body[0].lines[0], format!("{}⠼⠁", "⠀".repeat(38)));
        assert!(body[0].lines[1].starts_with("⠀⠀⠀"));
        assert!(body[0].lines[3].starts_with("⠀⠀⠁"));
        assert!(body[0].lines[4].starts_with('⠁'));
        assert_eq!(body[0].lines[24], format!("{}⠼⠁", "⠀".repeat(38)));
        // The print page goes on: a letter on the next braille page.
        assert_eq!(body[1].lines[0], format!("{}⠁⠼⠁", "⠀".repeat(37)));
        // The change of print page is a line of dots 3-6 ending in the new number.
        let change = format!("{}⠼⠃", "⠤".repeat(38));
        assert!(body.iter().any(|p| p.lines.contains(&change)));
        // The contents list the chapter at body page 1.
        let contents = &f.pages[1];
        assert!(
            contents
                .lines
                .iter()
                .any(|l| l.starts_with('⠞') && l.ends_with("⠐⠀⠼⠁"))
        );
        // The blocks know where each braille page begins.
        let breaks: Vec<usize> = f.chapters[0]
            .blocks
            .iter()
            .flat_map(|b| b.page_breaks.iter().map(|(_, p)| *p))
            .collect();
        assert_eq!(breaks, (2..f.pages.len()).collect::<Vec<_>>());
    }

    #[test]
    fn lists_hang_and_long_words_divide() {
        let item = |depth, n| Item {
            kind: BlockKind::ListItem { depth },
            tokens: std::iter::once(Token::Word("⠿".repeat(usize::from(depth) + 1)))
                .chain((1..n).map(|i| Token::Word(word(i % 9 + 1))))
                .collect(),
            indent: 0,
        };
        let long = Item {
            kind: BlockKind::Paragraph,
            tokens: vec![Token::Word("⠁".repeat(95))],
            indent: 0,
        };
        let f = format(
            &[part(vec![para(3), item(0, 30), item(1, 30), para(3), long])],
            &Front::default(),
            40,
            25,
        );
        bounds(&f, 40, 25);
        let lines = &f.pages[2].lines;
        let at = lines.iter().position(|l| l.starts_with("⠿⠀")).unwrap() - 1;
        assert!(lines[at].is_empty());
        // A blank line before the list; its item in cell 1, runovers in cell 3; the nested
        // one in cell 3, runovers in cell 5.
        assert!(lines[at + 1].starts_with("⠿⠀"));
        assert!(lines[at + 2].starts_with("⠀⠀⠁") && !lines[at + 2].starts_with("⠀⠀⠀"));
        let nested = lines.iter().position(|l| l.starts_with("⠀⠀⠿⠿")).unwrap();
        assert!(lines[nested + 1].starts_with("⠀⠀⠀⠀⠁"));
        assert!(lines.iter().any(|l| l.ends_with("⠁⠤")));
    }
}
