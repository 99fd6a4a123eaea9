//! A reproducible manuscript of about N printed pages with the mix of a real technical book,
//! for benchmarks and for tests that need a long book: chapter files and sub-chapter files,
//! headings to level 4, long paragraphs with emphasis and inline code, about 30 % code, nested
//! lists, tables, block quotes, footnotes, links between chapters, PNG and SVG figures with alt
//! text, and phrases in other languages. The same page count writes the same files, byte for
//! byte: the text comes from a fixed word list and a seeded generator.
//!
//! The tests use it as `common::generate`; `examples/generate.rs` runs it from the command line.

use std::fmt::Write as _;
use std::path::Path;

/// Words the prose is made of.
const WORDS: &[&str] = &[
    "the",
    "book",
    "layout",
    "reader",
    "page",
    "line",
    "word",
    "chapter",
    "source",
    "build",
    "output",
    "accessible",
    "structure",
    "heading",
    "paragraph",
    "figure",
    "table",
    "note",
    "and",
    "of",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "with",
    "as",
    "on",
    "by",
    "each",
    "every",
    "which",
    "from",
    "when",
    "where",
    "language",
    "script",
    "font",
    "glyph",
    "shape",
    "break",
    "justify",
    "hyphen",
    "margin",
    "print",
    "screen",
    "tagged",
    "document",
    "manuscript",
    "reproducible",
    "determinism",
    "validation",
    "encoding",
    "character",
    "unicode",
    "parser",
    "renderer",
    "pipeline",
    "stage",
    "value",
    "typed",
    "error",
    "warning",
    "location",
    "column",
    "compile",
    "function",
    "module",
    "interface",
    "contract",
    "invariant",
    "memory",
    "allocation",
    "performance",
    "benchmark",
    "measure",
    "result",
    "careful",
    "simple",
    "complete",
    "whole",
    "reliable",
    "important",
    "different",
    "several",
    "between",
    "without",
    "through",
    "because",
    "organisation",
    "volunteer",
    "community",
    "education",
    "protection",
    "children",
    "support",
    "information",
    "understanding",
    "responsibility",
    "international",
    "development",
    "research",
];

/// Phrases in other languages, each with its tag.
const PHRASES: &[(&str, &str)] = &[
    ("fr", "la mise en page du livre"),
    ("de", "die Gestaltung des Buches"),
    ("es", "el diseño del libro"),
    ("it", "l'impaginazione del libro"),
    ("pt", "o projeto gráfico do livro"),
];

/// A small generator (xorshift64*): the same seed gives the same book on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }

    fn words(&mut self, n: usize) -> String {
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ")
    }

    fn sentence(&mut self) -> String {
        let n = 8 + self.below(14);
        let mut s = self.words(n);
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s.push('.');
        s
    }

    fn paragraph(&mut self) -> String {
        (0..4 + self.below(5))
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Roughly how many words of this mix fill an A5 page, measured on generated books.
const WORDS_PER_PAGE: usize = 135;

/// Writes the book of about `pages` pages into `out` (created if need be).
pub fn write_book(pages: usize, out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(out.join("chapters"))?;
    std::fs::create_dir_all(out.join("images"))?;
    std::fs::write(out.join("images/chart.png"), png_chart()?)?;
    std::fs::write(out.join("images/diagram.svg"), svg_diagram())?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ pages as u64);
    // About ten pages a chapter, a hundred chapters at a thousand pages; every third chapter
    // has a sub-chapter file.
    let chapters = (pages / 10).max(2);
    let words_per_chapter = pages * WORDS_PER_PAGE / chapters;
    let mut entries = Vec::new();
    for c in 1..=chapters {
        let name = format!("chapters/{c:03}.md");
        let (main, sub) = if c % 3 == 0 {
            (words_per_chapter * 2 / 3, words_per_chapter / 3)
        } else {
            (words_per_chapter, 0)
        };
        std::fs::write(out.join(&name), chapter(&mut rng, c, chapters, main))?;
        entries.push(name);
        if sub > 0 {
            let name = format!("chapters/{c:03}-01.md");
            std::fs::write(out.join(&name), sub_chapter(&mut rng, c, sub))?;
            entries.push(name);
        }
    }
    let list = entries
        .iter()
        .map(|e| format!("  \"{e}\","))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        out.join("book.toml"),
        format!(
            "[book]\ntitle = \"A Generated Book of {pages} Pages\"\nlanguage = \"en\"\nauthors = [\"inkfold's generator\"]\nrights = \"CC0 1.0\"\nidentifier = \"urn:uuid:00000000-0000-4000-8000-{pages:012}\"\ndate = \"2026-01-01\"\nchapters = [\n{list}\n]\n"
        ),
    )?;
    Ok(())
}

/// A chapter of about `words` words: its title, sections and subsections, and its notes.
fn chapter(rng: &mut Rng, c: usize, chapters: usize, words: usize) -> String {
    let mut md = format!("# Chapter {c}: {} {{#ch-{c}}}\n\n", title(rng));
    let mut notes = Notes::new(format!("c{c}n"));
    let mut written = 0;
    let mut section = 0;
    while written < words {
        section += 1;
        let _ = write!(md, "## {} {c}.{section}\n\n", title(rng));
        written += body(rng, c, chapters, &mut md, &mut notes, 3);
        let _ = write!(md, "### {} {c}.{section}.1\n\n", title(rng));
        written += body(rng, c, chapters, &mut md, &mut notes, 2);
        let _ = write!(md, "#### {} {c}.{section}.1.1\n\n", title(rng));
        written += body(rng, c, chapters, &mut md, &mut notes, 1);
    }
    notes.write(&mut md);
    md
}

/// A sub-chapter file: it opens with a level-2 heading and nests under the chapter before it.
fn sub_chapter(rng: &mut Rng, c: usize, words: usize) -> String {
    let mut md = format!("## {} {{#ch-{c}-part}}\n\n", title(rng));
    let mut notes = Notes::new(format!("c{c}s"));
    let mut written = 0;
    while written < words {
        written += body(rng, c, 1, &mut md, &mut notes, 2);
    }
    notes.write(&mut md);
    md
}

/// A file's notes, labelled uniquely in the whole book (so that tools joining the files into
/// one, as pandoc does, find no duplicates).
struct Notes {
    prefix: String,
    texts: Vec<String>,
}

impl Notes {
    fn new(prefix: String) -> Notes {
        Notes {
            prefix,
            texts: Vec::new(),
        }
    }

    fn write(&self, md: &mut String) {
        for (n, note) in self.texts.iter().enumerate() {
            let _ = write!(md, "[^{}{}]: {note}\n\n", self.prefix, n + 1);
        }
    }
}

fn title(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    let words = rng.words(n);
    words[..1].to_uppercase() + &words[1..]
}

/// A run of blocks: paragraphs, and one of code, a list, a table or a figure. Returns the
/// number of words written (code lines count as words too, about as they fill the page).
fn body(
    rng: &mut Rng,
    c: usize,
    chapters: usize,
    md: &mut String,
    notes: &mut Notes,
    paragraphs: usize,
) -> usize {
    let mut words = 0;
    for _ in 0..paragraphs {
        let mut p = rng.paragraph();
        // Now and then a phrase in another language, a note or a link to another chapter.
        match rng.below(6) {
            0 => {
                let (lang, phrase) = PHRASES[rng.below(PHRASES.len())];
                let _ = write!(p, " In other words, <span lang=\"{lang}\">{phrase}</span>.");
            }
            1 => {
                notes.texts.push(rng.sentence());
                let _ = write!(p, "[^{}{}]", notes.prefix, notes.texts.len());
            }
            2 => {
                let target = 1 + rng.below(chapters);
                let _ = write!(p, " See [chapter {target}](#ch-{target}).");
            }
            3 => {
                let (a, b, c) = (rng.word(), rng.word(), rng.word());
                let _ = write!(p, " Note *{a}*, **{b}** and `{c}()`.");
            }
            _ => {}
        }
        words += p.split_whitespace().count();
        md.push_str(&p);
        md.push_str("\n\n");
    }
    match rng.below(10) {
        // About 30 % of the text is code.
        0..=3 => {
            let lines = 8 + rng.below(16);
            md.push_str("```rust\n");
            for i in 0..lines {
                let _ = writeln!(
                    md,
                    "{}let {}_{i} = {}(\"{}\");",
                    "    ".repeat(i % 3),
                    rng.word(),
                    rng.word(),
                    rng.words(3)
                );
            }
            md.push_str("```\n\n");
            words += lines * 8;
        }
        4 | 5 => {
            for _ in 0..3 {
                let _ = writeln!(md, "- {}", rng.sentence());
                let _ = writeln!(md, "  - {}", rng.sentence());
            }
            md.push('\n');
            words += 6 * 15;
        }
        6 => {
            md.push_str("| Stage | What goes in | What comes out |\n|---|---|---|\n");
            for _ in 0..4 {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} |",
                    rng.word(),
                    rng.words(4),
                    rng.words(5)
                );
            }
            md.push('\n');
            words += 4 * 10;
        }
        7 => {
            let _ = write!(
                md,
                "![A bar chart of {} by {}](../images/chart.png \"Figure {c}. {}.\")\n\n",
                rng.word(),
                rng.word(),
                title(rng)
            );
            words += 120;
        }
        8 => {
            let _ = write!(
                md,
                "![A diagram of the {} stage](../images/diagram.svg)\n\n",
                rng.word()
            );
            words += 120;
        }
        _ => {
            let _ = write!(md, "> {}\n>\n> {}\n\n", rng.paragraph(), rng.sentence());
            words += 80;
        }
    }
    words
}

/// A 240 × 120 bar chart, as PNG.
fn png_chart() -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (240u32, 120u32);
    let mut pixels = vec![255u8; (width * height * 3) as usize];
    for bar in 0..6u32 {
        let top = height - 15 - bar * 15;
        for y in top..height {
            for x in (bar * 40 + 5)..(bar * 40 + 35) {
                let at = ((y * width + x) * 3) as usize;
                pixels[at..at + 3].copy_from_slice(&[40, 90, 160]);
            }
        }
    }
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(&pixels)?;
    Ok(bytes)
}

/// A small diagram of three boxes joined by arrows, with labels as text.
fn svg_diagram() -> String {
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 80\" width=\"300\" height=\"80\">\n",
    );
    for (i, label) in ["parse", "layout", "write"].iter().enumerate() {
        let x = 10 + i * 100;
        let _ = writeln!(
            svg,
            "  <rect x=\"{x}\" y=\"20\" width=\"80\" height=\"40\" fill=\"none\" stroke=\"black\"/>\n  <text x=\"{}\" y=\"45\" font-size=\"14\" text-anchor=\"middle\">{label}</text>",
            x + 40
        );
        if i < 2 {
            let _ = writeln!(
                svg,
                "  <line x1=\"{}\" y1=\"40\" x2=\"{}\" y2=\"40\" stroke=\"black\"/>",
                x + 80,
                x + 100
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}
