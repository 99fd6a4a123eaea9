//! The fixture books under `tests/cases/<area>/<case>/`, each a manuscript beside the snapshots
//! of what inkfold makes of it, run by one runner per area:
//!
//! - `book/`: the document model (`model.snap`) and every XHTML and package file of the EPUB
//!   (`epub-<file>.snap`);
//! - `layout/`: the print pages (`pages.snap`) and the PDF's structure tree (`tags.snap`), one
//!   small book per feature;
//! - `diagnostics/`: what `inkfold check` reports (`diagnostics.snap`);
//! - `system-fonts/`: books printed with the system's fonts (Debian's Noto fonts, installed in
//!   CI): their contents tree (`contents.snap`) here, since it needs no fonts; the PDF and
//!   validator tests build them.
//!
//! A new case is a new folder. Review changes with `cargo insta review` (or run with
//! `INSTA_UPDATE=always` and read the diff).

mod common;

use std::path::{Path, PathBuf};

/// The cases of an area, in name order.
fn cases(area: &str) -> Vec<PathBuf> {
    let dir = Path::new("tests/cases").join(area);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(common::root().join(&dir))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| dir.join(entry.expect("a case").file_name()))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    cases
}

/// Compares `text` with the case's snapshot `name.snap`.
fn snapshot(case: &Path, name: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => common::root().join(case),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// No SVG of the package holds a script, handler, instruction or outside reference.
fn assert_clean_svgs(case: &Path, files: &[inkfold::render::epub::EpubFile]) {
    let leaks = common::svg_leaks_in(files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())));
    assert!(leaks.is_empty(), "{}: {leaks:#?}", case.display());
}

/// The text files of a package worth reading: content documents, navigation and package.
fn readable(path: &str) -> Option<String> {
    let name = path.strip_prefix("EPUB/")?;
    (name.ends_with(".xhtml") || name.ends_with(".opf")).then(|| {
        format!(
            "epub-{}",
            name.replace('/', "-")
                .replace(".xhtml", "")
                .replace(".opf", "")
        )
    })
}

#[test]
fn book_cases() {
    for case in cases("book") {
        let pipeline = common::pipeline(&case)
            .unwrap_or_else(|problems| panic!("{}: {problems:#?}", case.display()));
        snapshot(
            &case,
            "model",
            &inkfold::model::dump::dump(&pipeline.book, &pipeline.map),
        );
        let files = pipeline.epub_files();
        assert_clean_svgs(&case, &files);
        for file in files {
            if let Some(name) = readable(&file.path) {
                let text = String::from_utf8(file.bytes).expect("utf-8");
                snapshot(&case, &name, &text);
            }
        }
    }
}

#[test]
fn layout_cases() {
    for case in cases("layout") {
        let pipeline = common::pipeline(&case)
            .unwrap_or_else(|problems| panic!("{}: {problems:#?}", case.display()));
        assert_clean_svgs(&case, &pipeline.epub_files());
        snapshot(&case, "pages", &inkfold::layout::dump::pages(&pipeline.doc));
        snapshot(&case, "tags", &inkfold::layout::dump::tags(&pipeline.doc));
    }
}

/// The contents tree of the books printed with system fonts: chapters and their parts nested,
/// every entry a title, never a file name.
#[test]
fn system_font_books_contents() {
    fn write(entries: &[inkfold::model::outline::OutlineEntry], depth: usize, out: &mut String) {
        for entry in entries {
            let target = entry
                .id
                .as_deref()
                .map(|id| format!(" #{id}"))
                .unwrap_or_default();
            out.push_str(&format!("{}{}{target}\n", "  ".repeat(depth), entry.label));
            write(&entry.children, depth + 1, out);
        }
    }
    for case in cases("system-fonts") {
        let parsed = inkfold::parse(&inkfold::BookSource::open(&case), None);
        let book = parsed.book.expect("a book without errors");
        let mut text = String::new();
        write(&inkfold::model::outline::outline(&book), 0, &mut text);
        for chapter in &book.chapters {
            let stem = inkfold::paths::file_stem(&chapter.path);
            assert!(!text.contains(stem), "{stem} in the contents:\n{text}");
        }
        snapshot(&case, "contents", &text);
    }
}

#[test]
fn diagnostics_cases() {
    for case in cases("diagnostics") {
        let text = inkfold::check(inkfold::parse(&inkfold::BookSource::open(&case), None))
            .expect("check runs")
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!text.is_empty(), "{} reports no problem", case.display());
        snapshot(&case, "diagnostics", &text);
    }
}

/// The check every built SVG passes can fail: it finds each kind of leak.
#[test]
fn the_svg_leak_check_finds_leaks() {
    let clean =
        r##"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#g)"/><use href="#g"/></svg>"##;
    assert_eq!(common::svg_leaks(clean), Vec::<String>::new());
    for leak in [
        r#"<?xml-stylesheet href="a.css"?><svg xmlns="http://www.w3.org/2000/svg"/>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><set to="javascript:x"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import "a.css";</style></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:URL(a.png)"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="a.png"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9IngoKSIvPg=="/></svg>"#,
    ] {
        assert!(!common::svg_leaks(leak).is_empty(), "{leak}");
    }
}
