//! Each stage of a build on its own: parse (manuscript in, checked model out), layout (model in,
//! paged document out), PDF and EPUB (bytes out), on generated books of 50, 200 and 1 000 pages
//! (`tests/common/generate.rs`, written once under the target folder).
//!
//! `cargo bench --bench stages` (divan; `-- layout` runs one stage).
//!
//! The `many_*` benchmarks build a chapter of N headings, N notes or N table rows (of five
//! cells) whole, from parse to both outputs' bytes, at N and 4 N: every pass must stay linear
//! in them, so the second takes about four times the first.

#[path = "../tests/common/generate.rs"]
mod generate;

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use divan::Bencher;
use inkfold::diag::Diagnostics;
use inkfold::layout::{self, Missing};

/// The allocator the `inkfold` command uses, so stage times match a build's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// Book sizes in pages: a long chapter's worth, a short book, a long book.
const PAGES: &[usize] = &[50, 200, 1000];

/// The generated book of `pages` pages, written on first use.
fn book(pages: usize) -> PathBuf {
    static WRITTEN: OnceLock<Mutex<Vec<usize>>> = OnceLock::new();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("stages-{pages}"));
    let mut written = WRITTEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !written.contains(&pages) {
        let _ = std::fs::remove_dir_all(&dir);
        generate::write_book(pages, &dir).expect("the generated book is written");
        written.push(pages);
    }
    dir
}

/// The parsed book, its fonts and its laid-out document, as a build makes them.
struct Laid {
    parsed: inkfold::Parsed,
    book: inkfold::model::Book,
    fonts: layout::FontBook,
}

fn parsed(pages: usize) -> Laid {
    parsed_from(&book(pages))
}

fn parsed_from(dir: &std::path::Path) -> Laid {
    let mut parsed = inkfold::parse(&inkfold::BookSource::open(dir), None);
    let book = parsed.book.take().expect("the generated book parses");
    assert!(
        !parsed.diags.has_errors(),
        "the generated book has no errors"
    );
    let sources = std::mem::take(&mut parsed.fonts);
    let mut diags = Diagnostics::default();
    let mut system = inkfold::layout::fonts::SystemFonts::default();
    let fonts = inkfold::layout::fonts::for_book(&book, sources, &mut system, &mut diags)
        .expect("the fonts load");
    Laid {
        parsed,
        book,
        fonts,
    }
}

fn laid_out(laid: &Laid) -> layout::Document {
    lay_out(&laid.book, &laid.parsed, &laid.fonts)
}

/// The print layout of a parsed book, as a build makes it.
fn lay_out(
    book: &inkfold::model::Book,
    parsed: &inkfold::Parsed,
    fonts: &layout::FontBook,
) -> layout::Document {
    let mut diags = Diagnostics::default();
    let doc = layout::layout(
        book,
        &parsed.profile,
        fonts,
        &parsed.map,
        &mut diags,
        Missing::Error,
    );
    assert!(!diags.has_errors(), "every character is covered");
    doc
}

#[divan::bench(args = PAGES, sample_count = 10)]
fn parse(bencher: Bencher, pages: usize) {
    let dir = book(pages);
    bencher.bench(|| inkfold::parse(&inkfold::BookSource::open(&dir), None));
}

#[divan::bench(args = PAGES, sample_count = 10)]
fn layout(bencher: Bencher, pages: usize) {
    let laid = parsed(pages);
    // Each run starts with empty shaping caches, as a build does.
    bencher.bench(|| {
        laid.fonts.release_caches();
        laid_out(&laid)
    });
}

#[divan::bench(args = PAGES, sample_count = 10)]
fn pdf(bencher: Bencher, pages: usize) {
    let laid = parsed(pages);
    let doc = laid_out(&laid);
    bencher.bench(|| inkfold::render::pdf::write(&laid.book, &doc, &laid.fonts));
}

#[divan::bench(args = PAGES, sample_count = 10)]
fn epub(bencher: Bencher, pages: usize) {
    let laid = parsed(pages);
    let doc = laid_out(&laid);
    bencher.bench(|| {
        inkfold::render::epub::write(&laid.book, &laid.parsed.epub, &laid.fonts, &doc.page_map)
    });
}

/// A whole build (`inkfold build`: EPUB and PDF written to a folder), `cold` from nothing, or
/// (`rebuild`) as `inkfold watch` rebuilds after an edit to one chapter, with what the build
/// before kept ([`inkfold::Cache`]).
fn bench_build(bencher: Bencher, pages: usize, cached: bool) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("rebuild-{pages}"));
    let _ = std::fs::remove_dir_all(&dir);
    generate::write_book(pages, &dir).expect("the generated book is written");
    let options = inkfold::BuildOptions {
        source: inkfold::BookSource::open(&dir),
        out_dir: dir.join("output"),
        epub: true,
        pdf: true,
        braille: false,
        profiles: Vec::new(),
        source_date_epoch: None,
        progress: None,
    };
    let cache = inkfold::Cache::default();
    let cache = cached.then_some(&cache);
    inkfold::build_cached(&options, cache).expect("the book builds");
    // The edited chapter: the middle one, a paragraph added or taken away in turn.
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(dir.join("chapters"))
        .expect("chapters")
        .map(|e| e.expect("entry").path())
        .collect();
    chapters.sort();
    let edited = chapters[chapters.len() / 2].clone();
    let original = std::fs::read_to_string(&edited).expect("the chapter");
    let mut turn = false;
    bencher.bench_local(|| {
        turn = !turn;
        let text = if turn {
            format!("{original}\nA paragraph added while the book is watched.\n")
        } else {
            original.clone()
        };
        std::fs::write(&edited, text).expect("the chapter is written");
        inkfold::build_cached(&options, cache).expect("the book builds")
    });
}

#[divan::bench(args = [1000], sample_count = 10)]
fn build_cold(bencher: Bencher, pages: usize) {
    bench_build(bencher, pages, false);
}

#[divan::bench(args = [1000], sample_count = 10)]
fn rebuild_one_chapter(bencher: Bencher, pages: usize) {
    bench_build(bencher, pages, true);
}

/// A book of one chapter holding `body`, written once under the target folder.
fn chapter_book(name: &str, body: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("chapters")).expect("the book's folder is made");
    std::fs::write(
        dir.join("book.toml"),
        format!(
            "[book]\ntitle = \"{name}\"\nlanguage = \"en\"\nauthors = [\"inkfold's benchmarks\"]\n\
             rights = \"CC0 1.0\"\nidentifier = \"urn:uuid:00000000-0000-4000-8000-000000000000\"\n\
             date = \"2026-01-01\"\nchapters = [\"chapters/one.md\"]\n"
        ),
    )
    .expect("book.toml is written");
    std::fs::write(dir.join("chapters/one.md"), body).expect("the chapter is written");
    dir
}

/// Times parse, layout, PDF and EPUB of a book, in memory (its fonts found once, before).
fn bench_whole_build(bencher: Bencher, dir: &std::path::Path) {
    let fonts = parsed_from(dir).fonts;
    bencher.bench(|| {
        fonts.release_caches();
        let mut parsed = inkfold::parse(&inkfold::BookSource::open(dir), None);
        let book = parsed.book.take().expect("the book parses");
        let doc = lay_out(&book, &parsed, &fonts);
        divan::black_box(
            inkfold::render::epub::write(&book, &parsed.epub, &fonts, &doc.page_map)
                .expect("the EPUB is written"),
        );
        divan::black_box(
            inkfold::render::pdf::write(&book, &doc, &fonts).expect("the PDF is written"),
        );
    });
}

/// How many headings, notes or table rows: a long book's worth, and four times it.
const COUNTS: &[usize] = &[1000, 4000];

#[divan::bench(args = COUNTS, sample_count = 5)]
fn many_headings(bencher: Bencher, count: usize) {
    let body: String = std::iter::once("# Headings\n\n".to_string())
        .chain((0..count).map(|i| format!("## Section {i}\n\nText of section {i}.\n\n")))
        .collect();
    bench_whole_build(bencher, &chapter_book(&format!("headings-{count}"), &body));
}

#[divan::bench(args = COUNTS, sample_count = 5)]
fn many_notes(bencher: Bencher, count: usize) {
    let body: String = std::iter::once("# Notes\n\n".to_string())
        .chain((0..count).map(|i| format!("Sentence {i} has a note.[^n{i}]\n\n")))
        .chain((0..count).map(|i| format!("[^n{i}]: The text of note {i}.\n")))
        .collect();
    bench_whole_build(bencher, &chapter_book(&format!("notes-{count}"), &body));
}

#[divan::bench(args = COUNTS, sample_count = 5)]
fn many_table_rows(bencher: Bencher, count: usize) {
    let body: String =
        std::iter::once("# Table\n\n| a | b | c | d | e |\n|---|---|---|---|---|\n".to_string())
            .chain((0..count).map(|i| format!("| {i} | x{i} | y | z | w |\n")))
            .collect();
    bench_whole_build(bencher, &chapter_book(&format!("table-{count}"), &body));
}
