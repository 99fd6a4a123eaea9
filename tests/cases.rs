//! The fixture books under `tests/cases/<area>/<case>/`, each a manuscript beside the snapshots
//! of what inkfold makes of it, each case a test of its own named `<area>::<case>`, checked by
//! its area's runner:
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
//! A new case is a new folder. Run one by name (`cargo test --test cases han`, or
//! `-- --exact layout::lists`); a failing case does not stop the others. Review changes with
//! `cargo insta review` (or run with `INSTA_UPDATE=always` and read the diff).

mod common;

use std::path::Path;

use libtest_mimic::{Arguments, Failed, Trial};

/// A runner: checks one case of its area, panicking (through an assertion) when it fails.
type Runner = fn(&Path);

/// Each area's runner, by the name of its folder.
const AREAS: &[(&str, Runner)] = &[
    ("book", book_case),
    ("diagnostics", diagnostics_case),
    ("layout", layout_case),
    ("system-fonts", system_fonts_case),
];

fn main() {
    let args = Arguments::from_args();
    let mut trials = fixture_trials();
    trials.push(Trial::test("the_svg_leak_check_finds_leaks", || {
        the_svg_leak_check_finds_leaks();
        Ok(())
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// One trial per case folder, `<area>::<case>`, in name order. An area folder without a
/// runner, or without cases, and a runner without its folder, are each a failing trial, so
/// none goes unnoticed.
fn fixture_trials() -> Vec<Trial> {
    let cases = Path::new("tests/cases");
    let areas: Vec<String> = folders(cases)
        .iter()
        .map(|area| area.to_string_lossy().into_owned())
        .collect();
    let mut trials = Vec::new();
    let failing = |name: String, why: String| Trial::test(name, move || Err(Failed::from(why)));
    for (area, _) in AREAS
        .iter()
        .filter(|(area, _)| !areas.iter().any(|a| a == area))
    {
        trials.push(failing(
            format!("{area}::missing"),
            format!("tests/cases/{area} is missing"),
        ));
    }
    for area in areas {
        let found = folders(&cases.join(&area));
        let Some(&(_, runner)) = AREAS.iter().find(|(name, _)| *name == area) else {
            trials.push(failing(
                format!("{area}::no-runner"),
                format!("tests/cases/{area} has no runner in tests/cases.rs"),
            ));
            continue;
        };
        if found.is_empty() {
            trials.push(failing(
                format!("{area}::no-cases"),
                format!("no cases in tests/cases/{area}"),
            ));
        }
        for case in found {
            let path = cases.join(&area).join(&case);
            trials.push(Trial::test(
                format!("{area}::{}", case.to_string_lossy()),
                move || {
                    runner(&path);
                    Ok(())
                },
            ));
        }
    }
    trials
}

/// The names of the folders in `dir` (relative to the package root), in name order.
fn folders(dir: &Path) -> Vec<std::ffi::OsString> {
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(common::root().join(dir))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a folder entry"))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.file_name())
        .collect();
    names.sort();
    names
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

/// A book case: its model and the readable files of its EPUB match their snapshots, and no
/// SVG of the package leaks.
fn book_case(case: &Path) {
    let pipeline = common::pipeline(case)
        .unwrap_or_else(|problems| panic!("{}: {problems:#?}", case.display()));
    snapshot(
        case,
        "model",
        &inkfold::model::dump::dump(&pipeline.book, &pipeline.map),
    );
    let files = pipeline.epub_files();
    assert_clean_svgs(case, &files);
    for file in files {
        if let Some(name) = readable(&file.path) {
            let text = String::from_utf8(file.bytes).expect("utf-8");
            snapshot(case, &name, &text);
        }
    }
}

/// A layout case: its print pages and structure tree match their snapshots, and no SVG of
/// its EPUB leaks.
fn layout_case(case: &Path) {
    let pipeline = common::pipeline(case)
        .unwrap_or_else(|problems| panic!("{}: {problems:#?}", case.display()));
    assert_clean_svgs(case, &pipeline.epub_files());
    snapshot(case, "pages", &inkfold::layout::dump::pages(&pipeline.doc));
    snapshot(case, "tags", &inkfold::layout::dump::tags(&pipeline.doc));
}

/// The contents tree of a book printed with system fonts: chapters and their parts nested,
/// every entry a title, never a file name.
fn system_fonts_case(case: &Path) {
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
    let parsed = inkfold::parse(&inkfold::BookSource::open(case), None);
    let book = parsed.book.expect("a book without errors");
    let mut text = String::new();
    write(&inkfold::model::outline::outline(&book), 0, &mut text);
    for chapter in &book.chapters {
        let stem = inkfold::paths::file_stem(&chapter.path);
        assert!(!text.contains(stem), "{stem} in the contents:\n{text}");
    }
    snapshot(case, "contents", &text);
}

/// A diagnostics case: `inkfold check` reports at least one problem, and its report matches
/// the snapshot.
fn diagnostics_case(case: &Path) {
    let text = inkfold::check(inkfold::parse(&inkfold::BookSource::open(case), None))
        .expect("check runs")
        .problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!text.is_empty(), "{} reports no problem", case.display());
    snapshot(case, "diagnostics", &text);
}

/// The check every built SVG passes can fail: it finds each kind of leak.
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
