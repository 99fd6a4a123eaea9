//! The limits the README's robustness section lists, each at its boundary: a manuscript at the
//! limit is accepted and one past it is refused with its message. And the growth of the work:
//! a manuscript four times as large takes about four times as long, never sixteen.
//!
//! The manuscripts are generated into temporary folders; the limits on counts are checked
//! without laying the book out, which is what makes a test at 10 000 headings quick.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::manuscript::TestBook;
use inkfold::load::{MAX_FONT_BYTES, MAX_IMAGE_BYTES, MAX_MANUSCRIPT_BYTES, MAX_TEXT_BYTES};
use inkfold::passes::limits::{MAX_HEADINGS, MAX_NOTES, MAX_TABLE_CELLS};

/// The book the limits are tried on, with no chapter yet.
fn limits() -> TestBook {
    TestBook::new("Limits")
}

/// The errors `inkfold::parse` reports for a manuscript.
fn errors(dir: &Path) -> Vec<String> {
    let parsed = inkfold::parse(&inkfold::BookSource::open(dir), None);
    parsed
        .diags
        .resolve(&parsed.map)
        .into_iter()
        .filter(|p| p.severity == inkfold::diag::Severity::Error)
        .map(|p| p.to_string())
        .collect()
}

/// Checks that the manuscript `make(limit)` is accepted and `make(limit + 1)` refused with
/// `message`.
fn at_boundary<T: Copy + std::ops::Add<Output = T> + From<u8> + std::fmt::Display>(
    limit: T,
    message: &str,
    make: impl Fn(&Path, T),
) {
    for (n, allowed) in [(limit, true), (limit + T::from(1), false)] {
        let dir = tempfile::tempdir().expect("temp dir");
        make(dir.path(), n);
        let errors = errors(dir.path());
        if allowed {
            assert!(errors.is_empty(), "{n}: {errors:#?}");
        } else {
            assert!(
                errors.len() == 1 && errors[0].contains(message),
                "{n}: expected one error with {message:?}, got {errors:#?}"
            );
        }
    }
}

/// A chapter of exactly `bytes` bytes: a heading and an HTML comment, which costs nothing to
/// lay out.
fn chapter_of(bytes: u64) -> Vec<u8> {
    let head = b"# One\n\n<!--";
    let tail = b"-->\n";
    let mut text = head.to_vec();
    text.resize(bytes as usize - tail.len(), b'x');
    text.extend_from_slice(tail);
    text
}

#[test]
fn a_chapter_file_of_8_mib() {
    at_boundary(MAX_TEXT_BYTES, "the file is larger than 8 MiB", |dir, n| {
        limits().chapter("one.md", chapter_of(n)).write_to(dir);
    });
}

#[test]
fn chapters_of_32_mib_together() {
    at_boundary(MAX_MANUSCRIPT_BYTES, "more than the 32 MiB", |dir, n| {
        // Four files at the file limit make the book limit; the last gets the extra byte.
        let size = MAX_TEXT_BYTES;
        let names = ["a.md", "b.md", "c.md", "d.md", "e.md"];
        let mut chapters: Vec<(&str, Vec<u8>)> = names[..4]
            .iter()
            .map(|name| (*name, chapter_of(size)))
            .collect();
        if n > 4 * size {
            chapters.push((names[4], chapter_of(n - 4 * size + 20)));
            chapters[0].1 = chapter_of(size - 20);
        }
        let total: u64 = chapters.iter().map(|(_, t)| t.len() as u64).sum();
        assert_eq!(total, n);
        let mut book = limits();
        for (name, text) in chapters {
            book = book.chapter(name, text);
        }
        book.write_to(dir);
    });
}

/// A PNG that decodes, padded after its end to `bytes` bytes.
#[test]
fn a_book_title_of_300_characters() {
    at_boundary(
        inkfold::config::MAX_TITLE_CHARS,
        "the book's title is 301 characters long",
        |dir, n| {
            TestBook::new(&"T".repeat(n))
                .rights("CC0")
                .chapter("one.md", "# One\n\nText.\n")
                .write_to(dir);
        },
    );
}

#[test]
fn a_website_of_213_bytes() {
    at_boundary(
        inkfold::data::MAX_WEBSITE_BYTES,
        "the address is 214 bytes long",
        |dir, n| {
            let website = format!("https://a.org/{}", "a".repeat(n - "https://a.org/".len()));
            limits()
                .rights("CC0")
                .chapter("one.md", "# One\n\nText.\n")
                .toml("\n[appendix]\ntitle = \"Help\"\ndata = [\"data/help.toml\"]\n")
                .file(
                    "data/help.toml",
                    format!("kind = \"sources\"\ntitle = \"Help\"\n\n[[organisation]]\nname = \"A\"\noffers = \"Reports.\"\nwebsite = \"{website}\"\ntopics = [\"help\"]\n"),
                )
                .write_to(dir);
        },
    );
}

fn png_of(bytes: u64) -> Vec<u8> {
    let mut png = include_bytes!("cases/book/features/images/bars.png").to_vec();
    png.resize(bytes as usize, 0);
    png
}

#[test]
fn an_image_file_of_64_mib() {
    at_boundary(MAX_IMAGE_BYTES, "is larger than 64 MiB", |dir, n| {
        limits()
            .chapter("one.md", "# One\n\n![A bar chart](../images/a.png)\n")
            .file("images/a.png", png_of(n))
            .write_to(dir);
    });
}

#[test]
fn a_font_file_of_64_mib() {
    at_boundary(MAX_FONT_BYTES, "is larger than 64 MiB", |dir, n| {
        let mut font = std::fs::read(common::root().join("fonts/NotoSansMono-Regular.ttf"))
            .expect("a bundled font");
        font.resize(n as usize, 0);
        limits()
            .chapter("one.md", "# One\n")
            .file("fonts/Padded.ttf", font)
            .write_to(dir);
    });
}

#[test]
fn ten_thousand_headings() {
    at_boundary(MAX_HEADINGS, "more than 10000 headings", |dir, n| {
        let mut text = String::from("# One\n\n");
        for i in 1..n {
            text.push_str(&format!("## Part {i}\n\n"));
        }
        limits().chapter("one.md", text).write_to(dir);
    });
}

#[test]
fn ten_thousand_footnotes() {
    at_boundary(MAX_NOTES, "more than 10000 footnotes", |dir, n| {
        let mut text = String::from("# One\n\n");
        for i in 0..n {
            text.push_str(&format!("A claim.[^{i}]\n\n"));
        }
        for i in 0..n {
            text.push_str(&format!("[^{i}]: A source.\n"));
        }
        limits().chapter("one.md", text).write_to(dir);
    });
}

#[test]
fn fifty_thousand_cells_in_a_table() {
    // Markdown gives every row the head's number of columns, so the table takes a number of
    // columns that divides the count: 10 × 5 000 at the limit, 3 × 16 667 past it.
    at_boundary(MAX_TABLE_CELLS, "this table has 50001 cells", |dir, n| {
        let columns = (2..=20).find(|c| n % c == 0).expect("a divisor");
        let row = format!("|{}\n", " x |".repeat(columns));
        let mut text = format!("# One\n\n{row}|{}\n", "---|".repeat(columns));
        text.push_str(&row.repeat(n / columns - 1));
        limits().chapter("one.md", text).write_to(dir);
    });
}

/// A manuscript with `n` of each construct whose passes could grow faster than the input:
/// identical headings (made unique by the ids pass), links to them, footnotes, table rows.
fn growth_book(dir: &Path, n: usize) {
    let mut text = String::from("# One\n\n");
    for i in 0..n {
        text.push_str("## Same\n\nA claim[^n");
        text.push_str(&i.to_string());
        text.push_str("] and [a link](#same");
        if i > 0 {
            text.push_str(&format!("-{i}"));
        }
        text.push_str(").\n\n");
    }
    text.push_str("| a | b |\n|---|---|\n");
    for i in 0..n {
        text.push_str(&format!("| {i} | x |\n"));
    }
    for i in 0..n {
        text.push_str(&format!("\n[^n{i}]: A source.\n"));
    }
    limits().chapter("one.md", text).write_to(dir);
}

/// The shortest of three runs of the whole pipeline (parse, passes, layout).
fn best_time(dir: &Path) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let pipeline = common::pipeline(dir).expect("a book without errors");
            let elapsed = start.elapsed();
            assert!(!pipeline.doc.pages.is_empty());
            elapsed
        })
        .min()
        .expect("three runs")
}

/// Linear work: at four times the headings, notes, links and rows the pipeline takes less than
/// eight times as long (a pass that rescans would take sixteen). The bound is generous, so a
/// busy machine does not fail it; a quadratic pass does.
#[test]
fn work_grows_linearly_with_the_manuscript() {
    let (small, large) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    growth_book(small.path(), 400);
    growth_book(large.path(), 1600);
    let (t1, t4) = (best_time(small.path()), best_time(large.path()));
    let ratio = t4.as_secs_f64() / t1.as_secs_f64();
    eprintln!("n = 400: {t1:?}; 4n = 1600: {t4:?}; ratio {ratio:.2}");
    assert!(ratio < 8.0, "4n took {ratio:.2} times as long as n");
}

/// One grapheme of `2n` emoji joined by zero-width joiners (`n` pairs of man and woman), which
/// the font, lacking a ligature for it, draws one glyph each.
fn emoji_sequence_book(dir: &Path, n: usize) {
    let sequence = "\u{1F468}\u{200D}\u{1F469}\u{200D}".repeat(n);
    limits()
        .chapter("one.md", format!("# One\n\n{sequence}\u{1F469} end.\n"))
        .write_to(dir);
}

/// The shortest of three runs of the pipeline and the PDF writer, with the system's fonts
/// (the emoji font: Debian's fonts-noto-color-emoji, which CI installs).
fn best_time_with_pdf(dir: &Path) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let pipeline = common::pipeline_with(dir, true).expect("a book without errors");
            let pdf = pipeline.pdf();
            let elapsed = start.elapsed();
            assert!(!pdf.is_empty());
            elapsed
        })
        .min()
        .expect("three runs")
}

/// Linear work in one long cluster: a ZWJ sequence of pairs four times as long takes at most five times
/// as long to lay out and print (every glyph of a cluster carrying the whole cluster's text
/// made the PDF writer quadratic: 100 000 pairs took ten times as long as 25 000).
#[test]
fn a_long_emoji_sequence_grows_linearly() {
    let (small, large) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    emoji_sequence_book(small.path(), 10_000);
    emoji_sequence_book(large.path(), 40_000);
    let (t1, t4) = (
        best_time_with_pdf(small.path()),
        best_time_with_pdf(large.path()),
    );
    let ratio = t4.as_secs_f64() / t1.as_secs_f64();
    eprintln!("n = 10 000 pairs: {t1:?}; 4n = 40 000: {t4:?}; ratio {ratio:.2}");
    assert!(ratio <= 5.0, "4n took {ratio:.2} times as long as n");
}

/// A chapter of `blocks` Python blocks, each of `lines` lines of `MAX_LINE` bytes (its line end
/// included): each line costs `MAX_LINE²` of the highlighting budget.
fn code_chapter(blocks: usize, lines: usize) -> String {
    use inkfold::passes::highlight::MAX_LINE;
    let line = format!("{:<width$}\n", "x = 1  # a comment", width = MAX_LINE - 1);
    let mut md = String::from("# Code\n\n");
    for _ in 0..blocks {
        md.push_str(&format!("```python\n{}```\n\n", line.repeat(lines)));
    }
    md
}

/// Whether each code block of a parsed book is highlighted, in order, and its warnings about
/// code.
fn highlighted(dir: &Path) -> (Vec<bool>, Vec<String>) {
    let mut parsed = inkfold::parse(&inkfold::BookSource::open(dir), None);
    let book = parsed.book.take().expect("the book parses");
    let mut found = Vec::new();
    for chapter in &book.chapters {
        chapter.walk(&mut |node| {
            if let inkfold::model::walk::Node::Block(block) = node
                && let inkfold::model::BlockKind::Code { highlight, .. } = &block.kind
            {
                found.push(!highlight.is_empty());
            }
        });
    }
    let warnings = parsed
        .diags
        .resolve(&parsed.map)
        .into_iter()
        .filter(|p| p.severity == inkfold::diag::Severity::Warning)
        .map(|p| p.to_string())
        .filter(|w| w.contains("code"))
        .collect();
    (found, warnings)
}

/// Highlighting stops at its budget: a book's code within it is highlighted whole, without a
/// word; past it, the blocks from the first one over are set plain, with one warning there.
#[test]
fn code_highlighting_stops_at_its_budget() {
    use inkfold::passes::highlight::{BUDGET, MAX_LINE};
    let per_block = 100 * (MAX_LINE * MAX_LINE) as u64;
    let fit = (BUDGET / per_block) as usize;
    let within = limits().chapter("code.md", code_chapter(fit, 100)).write();
    let (blocks, warnings) = highlighted(within.path());
    assert_eq!(blocks, vec![true; fit]);
    assert!(warnings.is_empty(), "{warnings:#?}");
    let past = limits()
        .chapter("code.md", code_chapter(fit + 2, 100))
        .write();
    let (blocks, warnings) = highlighted(past.path());
    let mut expected = vec![true; fit];
    expected.extend([false, false]);
    assert_eq!(blocks, expected);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("more code than inkfold highlights")
            && warnings[0].contains("= see: README.md#limits"),
        "{}",
        warnings[0]
    );
}
