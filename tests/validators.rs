//! The sample book, the fixtures, the mdBook fixtures and the three real mdBook books of
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
    epubcheck_file("EPUBCHECK_JAR", "epubcheck.jar")
}

/// Whether Java runs.
fn java() -> bool {
    Command::new("java").arg("-version").output().is_ok()
}

/// EPUBCheck's jar, when it and Java are installed; `None`, with a note (a failure in CI),
/// when not.
fn epubcheck() -> Option<PathBuf> {
    let jar = epubcheck_jar();
    available(
        "EPUBCheck (java and the EPUBCheck jar)",
        jar.is_some() && java(),
    )
    .then_some(jar)
    .flatten()
}

/// A file of the EPUBCheck package `scripts/install-validators` installs (`relative` to its
/// folder), or the one the environment variable `var` names.
fn epubcheck_file(var: &str, relative: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        return Some(PathBuf::from(path));
    }
    let lib = validators_home().join("venv/lib");
    std::fs::read_dir(lib)
        .ok()?
        .flatten()
        .map(|python| python.path().join("site-packages/epubcheck").join(relative))
        .find(|file| file.is_file())
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

/// What EPUBCheck says of `epub`: each message as `SEVERITY ID message`, and the counts of
/// fatal errors, errors and warnings.
fn epubcheck_report(jar: &Path, epub: &Path) -> (Vec<(String, String, String)>, [u64; 3]) {
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
            "EPUBCheck wrote no report:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let json: serde_json::Value = serde_json::from_str(&text).expect("EPUBCheck JSON");
    let checker = &json["checker"];
    let count = |key: &str| checker[key].as_u64().unwrap_or(u64::MAX);
    let field = |m: &serde_json::Value, key: &str| m[key].as_str().unwrap_or("").to_string();
    let messages = json["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| (field(m, "severity"), field(m, "ID"), field(m, "message")))
        .collect();
    let counts = [count("nFatal"), count("nError"), count("nWarning")];
    eprintln!(
        "EPUBCheck {} on {}: fatal={} errors={} warnings={}",
        checker["checkerVersion"],
        epub.display(),
        counts[0],
        counts[1],
        counts[2]
    );
    (messages, counts)
}

fn run_epubcheck(jar: &Path, epub: &Path) {
    let (messages, counts) = epubcheck_report(jar, epub);
    let messages: Vec<String> = messages
        .iter()
        .map(|(severity, id, message)| format!("{severity} {id} {message}"))
        .collect();
    assert_eq!(
        counts,
        [0, 0, 0],
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

/// A book as `inkfold init` makes it, in a folder of its own under Cargo's temporary folder
/// for integration tests.
fn new_book() -> PathBuf {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("new-book-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let output = common::inkfold(&["init", dir.to_str().expect("utf-8 path")]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    dir
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
                code_highlighting => PathBuf::from("tests/cases/layout/code-highlighting"),
                mdbook_basic => fixture("basic"),
                mdbook_every_form => fixture("every-form"),
                too_many_lists => PathBuf::from("tests/books/too-many-lists"),
                too_many_lists_ru => PathBuf::from("tests/books/too-many-lists-ru"),
                trpl_zh_cn => PathBuf::from("tests/books/trpl-zh-cn"),
                a_new_book => new_book(),
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
    let Some(jar) = epubcheck() else {
        return;
    };
    let (_out, epub) = build_epub(book);
    run_epubcheck(&jar, &epub);
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
    let braille = inkfold::profile::BUILT_IN_BRAILLE.len();
    assert_eq!(pdfs, inkfold::profile::BUILT_IN.len() - braille - 1);
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

/// Jing's jar, which EPUBCheck ships beside its own (`JING_JAR` overrides).
fn jing_jar() -> Option<PathBuf> {
    epubcheck_file("JING_JAR", "lib/jing-20181222.jar")
}

/// Validates `file` against the RELAX NG `schema` with Jing; panics with Jing's messages when
/// it is not valid.
pub fn jing(schema: &Path, file: &Path) {
    let jar = jing_jar().expect("the Jing jar");
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg(schema)
        .arg(file)
        .output()
        .expect("run java");
    assert!(
        output.status.success(),
        "{} is not valid against {}:\n{}{}",
        file.display(),
        schema.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The PEF writer's document is valid PEF 1.0 (`tests/schemas/pef-2008-1.rng`).
#[test]
fn pef_is_valid_against_the_pef_schema() {
    if !available(
        "Jing (java and the jar EPUBCheck ships)",
        jing_jar().is_some() && java(),
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pef = dir.path().join("sample.pef");
    std::fs::write(
        &pef,
        inkfold::render::braille::pef::write(&inkfold::render::braille::sample()),
    )
    .expect("write the PEF");
    jing(&common::root().join("tests/schemas/pef-2008-1.rng"), &pef);
}

/// The eBraille properties EPUBCheck 5 does not know yet (it reports each as `OPF-027
/// Undefined property`): the only messages allowed on an eBraille file.
const EBRAILLE_PROPERTIES: [&str; 5] = [
    "a11y:brailleSystem",
    "a11y:brailleCellType",
    "a11y:completeTranscription",
    "a11y:producer",
    "a11y:tactileGraphics",
];

/// EPUBCheck finds nothing in the eBraille file but its five unknown eBraille properties, and
/// our own conformance checks find nothing.
#[test]
fn ebraille_passes_epubcheck_and_conformance() {
    let ebrl = inkfold::render::braille::ebraille::write(&inkfold::render::braille::sample())
        .expect("the sample's eBraille file");
    check_ebraille(&ebrl, &[]);
}

/// Our conformance checks give exactly the messages that name `expected` (each a rule the book
/// cannot meet, such as a creator it does not name), and EPUBCheck nothing but the five unknown
/// eBraille properties.
fn check_ebraille(ebrl: &[u8], expected: &[&str]) {
    let problems = common::ebraille::conformance(ebrl);
    assert_eq!(
        problems.len(),
        expected.len(),
        "eBraille conformance:\n{}",
        problems.join("\n")
    );
    for (problem, expected) in problems.iter().zip(expected) {
        assert!(problem.contains(expected), "{problem}");
    }
    let Some(jar) = epubcheck() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    // EPUBCheck 5 checks a zip only under the `.epub` extension; an `.ebrl` is an EPUB package.
    let path = dir.path().join("sample.ebrl.epub");
    std::fs::write(&path, ebrl).expect("write the eBraille file");
    let (messages, _) = epubcheck_report(&jar, &path);
    for (severity, id, message) in &messages {
        eprintln!("  {severity} {id} {message}");
    }
    let unexpected: Vec<String> = messages
        .iter()
        .filter(|(_, id, message)| {
            !(id == "OPF-027" && EBRAILLE_PROPERTIES.iter().any(|p| message.contains(p)))
        })
        .map(|(severity, id, message)| format!("{severity} {id} {message}"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "EPUBCheck on the eBraille file:\n{}",
        unexpected.join("\n")
    );
}

/// The braille editions of real books pass the validators: the PEF against its schema, the
/// eBraille file against EPUBCheck and our conformance checks. The sample book names no author,
/// so its eBraille file has no `dc:creator` (the build warns), and that is the one rule it
/// breaks.
#[test]
fn built_braille_editions_pass_the_validators() {
    if common::braille::louis().is_none() {
        return;
    }
    for (book, expected) in [
        (common::fixture("every-block"), &[][..]),
        (PathBuf::from("manuscript"), &["dc:creator"][..]),
    ] {
        let out = common::build_with(&book, &["--profile", "braille"]);
        let find = |ext: &str| {
            std::fs::read_dir(out.path())
                .expect("out")
                .map(|e| e.expect("entry").path())
                .find(|p| p.extension().is_some_and(|e| e == ext))
                .unwrap_or_else(|| panic!("a .{ext}"))
        };
        check_ebraille(&std::fs::read(find("ebrl")).expect("ebrl"), expected);
        if available(
            "Jing (java and the jar EPUBCheck ships)",
            jing_jar().is_some() && java(),
        ) {
            jing(
                &common::root().join("tests/schemas/pef-2008-1.rng"),
                &find("pef"),
            );
        }
    }
}

/// Our conformance checks name the rule each broken file breaks (so an empty list means
/// something): each file is the sample's with one change.
#[test]
fn ebraille_conformance_names_broken_rules() {
    use inkfold::render::braille::ebraille;
    let sample = inkfold::render::braille::sample();
    let broken = |path: &str, from: &str, to: &str| -> Vec<String> {
        let mut files = ebraille::files(&sample);
        let file = files
            .iter_mut()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        let text = String::from_utf8(file.bytes.clone()).expect("UTF-8");
        assert!(text.contains(from), "{path} has no {from:?}");
        file.bytes = text.replacen(from, to, 1).into_bytes();
        let ebrl = inkfold::render::epub::package(&files).expect("zipped");
        common::ebraille::conformance(&ebrl)
    };
    let cases = [
        (
            "package.opf",
            "eBraille 1.0",
            "eBraille 2.0",
            "dc:format must be",
        ),
        (
            "package.opf",
            "<dc:language>en-Brai",
            "<dc:language>en",
            "Brai script",
        ),
        (
            "package.opf",
            "dcterms:dateCopyrighted\">2024",
            "dcterms:dateCopyrighted\">15 March 2024",
            "YYYY[-MM[-DD]]",
        ),
        (
            "package.opf",
            "a11y:brailleCellType\">6",
            "a11y:brailleCellType\">six",
            "a11y:brailleCellType must be",
        ),
        (
            "package.opf",
            "<meta property=\"a11y:producer\">inkfold</meta>",
            "",
            "a11y:producer is required",
        ),
        (
            "package.opf",
            "a11y:tactileGraphics\">none",
            "a11y:tactileGraphics\">GIF",
            "a11y:tactileGraphics must be",
        ),
        (
            "ebraille/chapter-001.html",
            "⠁⠃⠉",
            "abc",
            "braille characters only",
        ),
        (
            "index.html",
            "<li><a href=\"ebraille/chapter-001.html#page-2\"",
            "<li><ol><li>⠁</li></ol><a href=\"ebraille/chapter-001.html#page-2\"",
            "flat",
        ),
        ("index.html", "#page-2", "#page-9", "leads nowhere"),
        ("ebraille/style.css", "2em", "24px", "font-relative units"),
        (
            "META-INF/container.xml",
            "full-path=\"package.opf\"",
            "full-path=\"EPUB/package.opf\"",
            "rootfile must be package.opf",
        ),
    ];
    for (path, from, to, rule) in cases {
        let problems = broken(path, from, to);
        assert!(
            problems.iter().any(|p| p.contains(rule)),
            "{path}: {from:?} → {to:?} should break {rule:?}; found {problems:?}"
        );
    }
}
