//! Rebuilds with what the build before kept ([`inkfold::Cache`], as `inkfold watch` does):
//! after an edit to one chapter, every fixture book's outputs are byte for byte those of a
//! build from nothing, and only the edited chapter is measured again. Also the steps a build
//! reports to a progress bar.

mod common;

use std::path::{Path, PathBuf};

use inkfold::{BookSource, BuildOptions, Cache};

/// Builds `book` into `out`, with `cache` when given; `None` when the book has errors.
fn build(book: &Path, out: &Path, profiles: &[&str], cache: Option<&Cache>) -> Option<()> {
    let options = BuildOptions {
        source: BookSource::open(book),
        out_dir: out.to_path_buf(),
        epub: true,
        pdf: true,
        braille: false,
        profiles: profiles.iter().map(|p| p.to_string()).collect(),
        // A book without a date records the time of its build: two builds a second apart differ.
        source_date_epoch: Some("1767225600".into()),
        progress: None,
    };
    let report = inkfold::build_cached(&options, cache).expect("no I/O failure");
    (!report.has_errors()).then_some(())
}

/// The Markdown files of a book, in name order, but for an mdBook's SUMMARY.md and the
/// fixtures' notes on what they expect and where their files come from.
fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            markdown_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "md")
            && !["SUMMARY.md", "EXPECTED.md", "SOURCES.md"]
                .iter()
                .any(|name| path.ends_with(name))
        {
            found.push(path);
        }
    }
}

/// Builds a copy of `fixture` with a cache, edits its last chapter file (the last in name order,
/// so most books have chapters before it to reuse), builds again with the cache, and compares
/// with a build of the edited book from nothing. A description of what went wrong, if anything.
fn rebuild_matches(fixture: &Path, profiles: &[&str]) -> Result<bool, String> {
    let work = tempfile::tempdir().expect("temp dir");
    let book = work.path().join("book");
    common::copy_dir(fixture, &book);
    let cache = Cache::default();
    let (first, second, cold) = (
        work.path().join("first"),
        work.path().join("second"),
        work.path().join("cold"),
    );
    if build(&book, &first, profiles, Some(&cache)).is_none() {
        // A fixture of diagnostics: nothing to rebuild.
        return Ok(false);
    }
    let measured_first = cache.last_build().measured;
    let mut chapters = Vec::new();
    markdown_files(&book, &mut chapters);
    let Some(edited) = chapters.last() else {
        return Ok(false);
    };
    let mut text = std::fs::read_to_string(edited).expect("read chapter");
    text.push_str("\nA paragraph added by the rebuild test, *with emphasis*.\n");
    std::fs::write(edited, text).expect("write chapter");

    let name = fixture.display();
    build(&book, &second, profiles, Some(&cache)).ok_or(format!("{name}: rebuild failed"))?;
    let counts = cache.last_build();
    build(&book, &cold, profiles, None).ok_or(format!("{name}: cold build failed"))?;
    let (rebuilt, built) = (common::snapshot_dir(&second), common::snapshot_dir(&cold));
    let names = |files: &[(PathBuf, Vec<u8>)]| -> Vec<PathBuf> {
        files
            .iter()
            .filter_map(|(p, _)| p.file_name())
            .map(PathBuf::from)
            .collect()
    };
    if names(&rebuilt) != names(&built) {
        return Err(format!("{name}: other files {:?}", names(&rebuilt)));
    }
    for ((path, a), (_, b)) in rebuilt.iter().zip(&built) {
        if a != b {
            return Err(format!(
                "{name}: {} differs from a cold build",
                path.display()
            ));
        }
    }
    // The edited chapter (in each edition that prints it) is measured again; the others are
    // not, and the first build measured every one.
    if counts.measured + counts.reused != measured_first || counts.measured == 0 {
        return Err(format!(
            "{name}: first build measured {measured_first}, rebuild {counts:?}"
        ));
    }
    if measured_first > 1 && counts.reused == 0 {
        return Err(format!(
            "{name}: nothing reused of {measured_first} galleys"
        ));
    }
    if cache.system_font_scans() > 1 {
        return Err(format!(
            "{name}: the system's fonts were read {} times",
            cache.system_font_scans()
        ));
    }
    Ok(true)
}

/// Every fixture book that builds, the sample and the real books, edited in one chapter.
#[test]
fn a_rebuild_after_an_edit_is_byte_identical_to_a_cold_build() {
    let mut books: Vec<PathBuf> = vec![
        PathBuf::from("manuscript"),
        PathBuf::from("tests/books/too-many-lists"),
    ];
    for area in ["book", "layout", "mdbook", "braille", "system-fonts"] {
        let mut cases: Vec<PathBuf> = std::fs::read_dir(Path::new("tests/cases").join(area))
            .expect("cases")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_dir())
            .collect();
        cases.sort();
        books.extend(cases);
    }
    let mut rebuilt = 0;
    let mut failures = Vec::new();
    for book in &books {
        match rebuild_matches(book, &[]) {
            Ok(built) => rebuilt += usize::from(built),
            Err(why) => failures.push(why),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(rebuilt >= 20, "only {rebuilt} books rebuilt");
}

/// A book that needs the system's fonts (16 languages in 13 scripts) reads their folders once
/// for all the builds of a watch, and a book that needs none reads nothing.
#[test]
fn the_system_fonts_are_read_once_for_all_builds() {
    let work = tempfile::tempdir().expect("temp dir");
    let cache = Cache::default();
    let book = Path::new("tests/cases/system-fonts/declaration");
    for out in ["one", "two", "three"] {
        assert_eq!(
            build(book, &work.path().join(out), &[], Some(&cache)),
            Some(())
        );
    }
    assert_eq!(cache.system_font_scans(), 1);
    let plain = Cache::default();
    assert_eq!(
        build(
            Path::new("manuscript"),
            &work.path().join("plain"),
            &[],
            Some(&plain)
        ),
        Some(())
    );
    assert_eq!(plain.system_font_scans(), 0);
}

/// Every edition at once: the galleys of each are kept apart (their profiles differ).
#[test]
fn a_rebuild_of_every_edition_is_byte_identical_to_a_cold_build() {
    assert_eq!(rebuild_matches(Path::new("manuscript"), &["all"]), Ok(true));
}

/// A build says how far it has come: after it, every step but the last (writing) is done, and
/// the steps were those it had (no braille: four).
#[test]
fn a_build_reports_its_steps() {
    let out = tempfile::tempdir().expect("temp dir");
    let progress = std::sync::Arc::new(inkfold::Progress::default());
    let options = BuildOptions {
        source: BookSource::open("manuscript"),
        out_dir: out.path().to_path_buf(),
        epub: true,
        pdf: true,
        braille: false,
        profiles: Vec::new(),
        source_date_epoch: None,
        progress: Some(progress.clone()),
    };
    assert_eq!(progress.now(), (0, 0, None));
    let report = inkfold::build(&options).expect("builds");
    assert!(!report.has_errors());
    assert_eq!(progress.now(), (3, 4, Some(inkfold::Step::Writing)));
    // A second build starts again from the first step.
    inkfold::build(&options).expect("builds");
    assert_eq!(progress.now(), (3, 4, Some(inkfold::Step::Writing)));
}
