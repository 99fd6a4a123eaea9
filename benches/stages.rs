//! Each stage of a build on its own: parse (manuscript in, checked model out), layout (model in,
//! paged document out), PDF and EPUB (bytes out), on generated books of 50, 200 and 1 000 pages
//! (`tests/common/generate.rs`, written once under the target folder).
//!
//! `cargo bench --bench stages` (divan; `-- layout` runs one stage).

#[path = "../tests/common/generate.rs"]
mod generate;

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use divan::Bencher;
use inkfold::diag::Diagnostics;
use inkfold::layout::{self, Missing};

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
    let mut parsed = inkfold::parse(&book(pages), None);
    let book = parsed.book.take().expect("the generated book parses");
    assert!(
        !parsed.diags.has_errors(),
        "the generated book has no errors"
    );
    let sources = std::mem::take(&mut parsed.fonts);
    let mut diags = Diagnostics::default();
    let fonts = inkfold::font_book(&book, sources, &mut diags).expect("the fonts load");
    Laid {
        parsed,
        book,
        fonts,
    }
}

fn laid_out(laid: &Laid) -> layout::Document {
    let mut diags = Diagnostics::default();
    let doc = layout::layout(
        &laid.book,
        &laid.parsed.profile,
        &laid.fonts,
        &laid.parsed.map,
        &mut diags,
        Missing::Error,
    );
    assert!(!diags.has_errors(), "every character is covered");
    doc
}

#[divan::bench(args = PAGES, sample_count = 10)]
fn parse(bencher: Bencher, pages: usize) {
    let dir = book(pages);
    bencher.bench(|| inkfold::parse(&dir, None));
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
