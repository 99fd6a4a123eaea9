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
//!   validator tests build them;
//! - `braille/`: books made in braille (`--profile braille`): the BRF as text (`brf.snap`),
//!   every page within 40 cells and 25 lines, the print page numbers it marks equal to the
//!   EPUB's page-list, at least 99 % of the book's words read back by liblouis, and the PEF
//!   with the BRF's pages;
//! - `mdbook/`: mdBook projects read as they are: the SUMMARY's tree beside the contents tree
//!   inkfold makes (`contents.snap`), every chapter of the SUMMARY in it, in order, at its
//!   depth, with its number.
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
    ("braille", braille_case),
    ("diagnostics", diagnostics_case),
    ("layout", layout_case),
    ("mdbook", mdbook_case),
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

/// The contents tree as text: each entry on a line, indented by its depth, with its target.
fn contents_tree(
    entries: &[inkfold::model::outline::OutlineEntry],
    depth: usize,
    out: &mut String,
) {
    for entry in entries {
        let target = entry
            .id
            .as_deref()
            .map(|id| format!(" #{id}"))
            .unwrap_or_default();
        out.push_str(&format!("{}{}{target}\n", "  ".repeat(depth), entry.label));
        contents_tree(&entry.children, depth + 1, out);
    }
}

/// The contents tree of a book printed with system fonts: chapters and their parts nested,
/// every entry a title, never a file name.
fn system_fonts_case(case: &Path) {
    let parsed = inkfold::parse(&inkfold::BookSource::open(case), None);
    let book = parsed.book.expect("a book without errors");
    let mut text = String::new();
    contents_tree(&inkfold::model::outline::outline(&book), 0, &mut text);
    for chapter in &book.chapters {
        let stem = inkfold::paths::file_stem(&chapter.path);
        assert!(!text.contains(stem), "{stem} in the contents:\n{text}");
    }
    snapshot(case, "contents", &text);
}

/// An mdBook project: read as one, built without errors; its SUMMARY's tree and the contents
/// tree inkfold makes of it match the snapshot, and every chapter the SUMMARY lists (drafts
/// aside: they are skipped) is in the contents in the SUMMARY's order, at its depth (a part's
/// chapters one deeper, a draft's children at its place), its title led by its number.
fn mdbook_case(case: &Path) {
    use inkfold::model::outline::{OutlineEntry, outline};
    use inkfold::source::mdbook::{config, summary};
    let source = inkfold::BookSource::open(case);
    assert!(
        matches!(source, inkfold::BookSource::MdBook(_)),
        "{} is not read as an mdBook project",
        case.display()
    );
    let parsed = inkfold::parse(&source, Some("1700000000"));
    let Some(book) = parsed.book else {
        panic!(
            "{}: {:#?}",
            case.display(),
            parsed.diags.resolve(&parsed.map)
        );
    };

    // The SUMMARY as the parser reads it: (depth, path, number) of each chapter, and as text.
    let mut map = inkfold::diag::SourceMap::default();
    let mut diags = inkfold::diag::Diagnostics::default();
    let root = common::root().join(case);
    let read = |path: &Path| {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let toml_text = read(&root.join("book.toml"));
    let toml_file = map.add("book.toml".into(), toml_text.clone());
    let toml = config::read(toml_file, &toml_text, &mut diags).expect("book.toml reads");
    let summary_text = read(&root.join(&toml.src).join("SUMMARY.md"));
    let summary_file = map.add("SUMMARY.md".into(), summary_text.clone());
    let items = summary::parse(summary_file, &summary_text, &mut diags);
    /// Each item as a line of `text`, indented by its depth in the SUMMARY; each chapter with
    /// a file in `expected` at its depth in the contents: `place` deep (a draft's children
    /// take its place), one deeper in a part, a suffix chapter in none.
    fn walk(
        items: &[summary::Item],
        (depth, place, mut part): (usize, usize, usize),
        expected: &mut Vec<(usize, String, String)>,
        text: &mut String,
    ) {
        for item in items {
            let indent = "  ".repeat(depth);
            match item {
                summary::Item::Separator => text.push_str(&format!("{indent}---\n")),
                summary::Item::PartTitle { title, .. } => {
                    text.push_str(&format!("{indent}# {title}\n"));
                    expected.push((0, "SUMMARY.md".into(), title.clone()));
                    part = 1;
                }
                summary::Item::Chapter(entry) => {
                    let number = entry
                        .number
                        .as_deref()
                        .map(summary::number_label)
                        .unwrap_or_default();
                    if entry.number.is_none() {
                        part = 0;
                    }
                    let path = entry.path.as_deref().unwrap_or("draft");
                    text.push_str(&format!("{indent}{number}{} ({path})\n", entry.name));
                    let below = match &entry.path {
                        Some(path) => {
                            let path = inkfold::paths::join_relative("SUMMARY.md", path)
                                .expect("a path inside");
                            expected.push((place + part, path, number));
                            place + 1
                        }
                        None => place,
                    };
                    walk(&entry.children, (depth + 1, below, part), expected, text);
                }
            }
        }
    }
    let mut expected = Vec::new();
    let mut summary_tree = String::new();
    walk(&items, (0, 0, 0), &mut expected, &mut summary_tree);

    // The contents: (depth among chapters, path, title) of each chapter's entry.
    fn chapters(
        entries: &[OutlineEntry],
        depth: usize,
        book: &inkfold::model::Book,
        out: &mut Vec<(usize, String, String)>,
    ) {
        for entry in entries {
            let is_chapter = entry.id.is_none();
            if is_chapter {
                let chapter = &book.chapters[entry.chapter];
                out.push((depth, chapter.path.clone(), chapter.title.clone()));
            }
            chapters(&entry.children, depth + usize::from(is_chapter), book, out);
        }
    }
    let contents = outline(&book);
    let mut found = Vec::new();
    chapters(&contents, 0, &book, &mut found);
    let shown = |list: &[(usize, String, String)]| {
        list.iter()
            .map(|(d, p, _)| format!("{d} {p}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shown(&found),
        shown(&expected),
        "{}: chapters, in order, at their depth",
        case.display()
    );
    for ((_, path, number), (_, _, title)) in expected.iter().zip(&found) {
        if path == "SUMMARY.md" {
            assert_eq!(title, number, "a part's title");
        } else if toml.section_numbers {
            assert!(
                title.starts_with(number.as_str()),
                "{path}: `{title}` does not begin with `{number}`"
            );
        }
    }
    let mut contents_text = String::new();
    contents_tree(&contents, 0, &mut contents_text);
    snapshot(
        case,
        "contents",
        &format!("SUMMARY.md:\n{summary_tree}\ncontents:\n{contents_text}"),
    );
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

/// A braille case: the BRF matches its snapshot, keeps its bounds and marks the print pages of
/// the EPUB's page-list; liblouis reads back at least 99 % of the book's words from it; the
/// PEF has the same pages.
fn braille_case(case: &Path) {
    use common::braille;
    if braille::louis().is_none() {
        return;
    }
    let out = common::build_with(case, &["--profile", "braille"]);
    let file = |ext: &str| {
        std::fs::read_dir(out.path())
            .expect("the output folder")
            .map(|e| e.expect("an entry").path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap_or_else(|| panic!("a .{ext} in the output folder"))
    };
    let brf = std::fs::read(file("brf")).expect("the BRF");
    let pages = braille::brf_pages(&brf);
    braille::assert_bounds(&pages, 40, 25);
    let mut text = String::new();
    for (n, page) in pages.iter().enumerate() {
        text.push_str(&format!("--- page {}\n", n + 1));
        for line in page {
            text.push_str(line);
            text.push('\n');
        }
    }
    snapshot(case, "brf", &text);
    assert_eq!(
        braille::print_pages(&pages),
        braille::epub_page_list(&file("epub")),
        "the print pages the BRF marks"
    );
    let parsed = inkfold::parse(&inkfold::BookSource::open(case), None);
    let book = parsed.book.expect("a book without errors");
    let source = braille::book_words(&book);
    let back = braille::words(&braille::back_translate(
        &pages,
        "en-us-brf.dis,en-ueb-g2.ctb",
    ));
    let recall = braille::assert_read_back(&source, &back, &case.display().to_string());
    eprintln!(
        "{}: {:.2} % of {} words read back",
        case.display(),
        recall * 100.0,
        source.len()
    );
}
