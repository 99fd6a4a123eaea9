//! The braille editions built from real books: the sample book and its handout, and the
//! declaration in 16 languages. Each needs liblouis: skipped where it is not installed, a
//! failure in CI.

mod common;

use std::path::{Path, PathBuf};

use common::braille;

/// The files of a build with the given extension.
fn with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the output folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    found.sort();
    found
}

/// The sample book in braille: a BRF, a PEF and an eBraille file; every page within 40 cells
/// and 25 lines; the print pages the EPUB's page-list has (and the PDF's labels, which
/// `tests/pdf.rs` holds equal to it), in order; and liblouis reads back at least 99 % of the
/// book's words.
#[test]
fn the_sample_book_in_braille() {
    if braille::louis().is_none() {
        return;
    }
    let out = common::build_with(Path::new("manuscript"), &["--profile", "braille"]);
    let stem = "child-trafficking-in-todays-society";
    for ext in ["brf", "pef", "ebrl", "epub"] {
        assert!(
            out.path().join(format!("{stem}.{ext}")).is_file(),
            "no {stem}.{ext}"
        );
    }
    let brf = std::fs::read(out.path().join(format!("{stem}.brf"))).expect("BRF");
    let pages = braille::brf_pages(&brf);
    braille::assert_bounds(&pages, 40, 25);
    let print = braille::print_pages(&pages);
    assert!(print.len() > 3, "{print:?}");
    assert_eq!(
        print,
        braille::epub_page_list(&out.path().join(format!("{stem}.epub")))
    );
    let parsed = inkfold::parse(&inkfold::BookSource::open("manuscript"), None);
    let book = parsed.book.expect("the sample book");
    let source = braille::book_words(&book);
    let back = braille::words(&braille::back_translate(
        &pages,
        "en-us-brf.dis,en-ueb-g2.ctb",
    ));
    let recall = braille::assert_read_back(&source, &back, "the sample book");
    eprintln!(
        "the sample book: {} braille pages, {} print pages marked, {:.2} % of {} words read back; missing {:?}",
        pages.len(),
        print.len(),
        recall * 100.0,
        source.len(),
        braille::missing(&source, &back)
    );
}

/// The handout in braille: its own BRF, every organisation's name and address in it.
#[test]
fn the_handout_in_braille() {
    if braille::louis().is_none() {
        return;
    }
    let out = common::build_with(Path::new("manuscript"), &["--profile", "braille-handout"]);
    let brf = with_ext(out.path(), "brf");
    assert_eq!(brf.len(), 1, "{brf:?}");
    assert!(brf[0].to_string_lossy().ends_with("-handout.brf"));
    let pages = braille::brf_pages(&std::fs::read(&brf[0]).expect("BRF"));
    braille::assert_bounds(&pages, 40, 25);
    let parsed = inkfold::parse(&inkfold::BookSource::open("manuscript"), None);
    let book = parsed.book.expect("the sample book");
    let handout = inkfold::edition::handout::book(&book.meta, &parsed.appendix_data);
    let source = braille::book_words(&handout);
    let contracted = braille::words(&braille::back_translate(
        &pages,
        "en-us-brf.dis,en-ueb-g2.ctb",
    ));
    braille::assert_read_back(&source, &contracted, "the handout");
    // The addresses are uncontracted: they read back whole with the uncontracted table.
    let uncontracted =
        braille::back_translate(&pages, "en-us-brf.dis,en-ueb-g1.ctb").replace('\n', "");
    let mut addresses = 0;
    for chapter in &handout.chapters {
        for block in &chapter.blocks {
            if let inkfold::model::BlockKind::Website { url, .. } = &block.kind {
                addresses += 1;
                // Spelled out as the print handout shows it: without the scheme.
                let bare = url
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_lowercase();
                assert!(
                    uncontracted.to_lowercase().contains(&bare),
                    "{bare} is not in the braille handout:\n{uncontracted}"
                );
            }
        }
    }
    assert!(addresses > 3);
}

/// The declaration in braille: Thai has no braille code in liblouis, one error at its chapter,
/// and nothing is written; Bengali's and Amharic's codes lack a few characters, which are
/// described in transcriber's notes, one warning for each language listing them.
#[test]
fn a_language_without_braille_is_one_error_naming_it() {
    if braille::louis().is_none() {
        return;
    }
    let out = tempfile::tempdir().expect("temp dir");
    let output = common::inkfold(&[
        "build",
        "tests/cases/system-fonts/declaration",
        "--out",
        out.path().to_str().expect("utf-8"),
        "--profile",
        "braille",
    ]);
    assert!(!output.status.success());
    let stderr = common::stderr(&output);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("text in `th`, and liblouis has no braille code"));
    assert!(stderr.contains("chapters/thai.md:1:1"));
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: the `braille` edition describes"))
        .collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(stderr.contains("Bengali braille has no cell for, each in a transcriber's note with its Unicode name: ় (U+09BC), । (U+0964)"));
    assert!(stderr.contains("Amharic braille has no cell for, each in a transcriber's note with its Unicode name: ፩ (U+1369)"));
    assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 0);
}

/// Every other language of the declaration has its braille: an edition of its chapters but
/// Thai builds, and the French and Russian read back whole.
#[test]
fn every_other_language_of_the_declaration_in_braille() {
    if braille::louis().is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let source = common::root().join("tests/cases/system-fonts/declaration");
    common::copy_dir(&source, dir.path());
    let toml = std::fs::read_to_string(source.join("book.toml")).expect("book.toml");
    let keep = [
        "english", "french", "russian", "greek", "arabic", "urdu", "hebrew", "hindi", "bengali",
        "tamil", "khmer", "amharic", "chinese", "japanese", "korean",
    ];
    let chapters: Vec<String> = keep
        .iter()
        .map(|c| format!("\"chapters/{c}.md\""))
        .collect();
    let profiles = format!(
        "{toml}\n[profiles.world]\nchapters = [{}]\n[profiles.world.braille]\n\n[profiles.french]\nchapters = [\"chapters/french.md\"]\n[profiles.french.braille]\n\n[profiles.russian]\nchapters = [\"chapters/russian.md\"]\n[profiles.russian.braille]\n",
        chapters.join(", ")
    );
    std::fs::write(dir.path().join("book.toml"), profiles).expect("write");
    let out = common::build_with(
        dir.path(),
        &[
            "--profile",
            "world",
            "--profile",
            "french",
            "--profile",
            "russian",
        ],
    );
    let stem = "universal-declaration-of-human-rights";
    // Japanese braille is 8-dot: no BRF of that edition, a PEF and eBraille all the same.
    assert!(!out.path().join(format!("{stem}-world.brf")).exists());
    assert!(out.path().join(format!("{stem}-world.pef")).is_file());
    for (edition, tables, chapter) in [
        ("french", "en-us-brf.dis,fr-bfu-g2.ctb", "french"),
        ("russian", "en-us-brf.dis,ru-litbrl.ctb", "russian"),
    ] {
        let brf = std::fs::read(out.path().join(format!("{stem}-{edition}.brf"))).expect("BRF");
        let pages = braille::brf_pages(&brf);
        braille::assert_bounds(&pages, 40, 25);
        let text = std::fs::read_to_string(dir.path().join(format!("chapters/{chapter}.md")))
            .expect("chapter");
        let source = braille::words(&text.replace('#', ""));
        let back = braille::words(&braille::back_translate(&pages, tables));
        braille::assert_read_back(&source, &back, edition);
    }
}

/// Builds a manuscript's braille edition (`--format braille`) into a new temporary folder; the
/// build must succeed. The folder and what the build said.
fn build_braille(manuscript: &Path) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().expect("temp dir");
    let output = common::inkfold(&[
        "build",
        manuscript.to_str().expect("utf-8"),
        "--out",
        out.path().to_str().expect("utf-8"),
        "--format",
        "braille",
    ]);
    let stderr = common::stderr(&output);
    assert!(output.status.success(), "{stderr}");
    (out, stderr)
}

/// A character the code has no braille for (an emoji, a box-drawing piece) is described in a
/// transcriber's note with its Unicode name, and the build says so; the text around it is
/// translated as ever.
#[test]
fn characters_without_braille_are_described() {
    if braille::louis().is_none() {
        return;
    }
    let dir = common::manuscript::TestBook::new("Shrugs")
        .chapter("one.md", "# One\n\nWe tried it. 🤷‍♀️ Then ┻━┻ again.\n")
        .write();
    let (out, stderr) = build_braille(dir.path());
    assert!(
        stderr.contains("🤷 (U+1F937), ┻ (U+253B), ━ (U+2501)"),
        "{stderr}"
    );
    let brf = with_ext(out.path(), "brf");
    let pages = braille::brf_pages(&std::fs::read(&brf[0]).expect("BRF"));
    braille::assert_bounds(&pages, 40, 25);
    let back = braille::back_translate(&pages, "en-us-brf.dis,en-ueb-g2.ctb").to_lowercase();
    for name in [
        "shrug",
        "box drawings heavy up and horizontal",
        "tried",
        "again",
    ] {
        assert!(back.replace('\n', " ").contains(name), "{name} in {back}");
    }
}

/// The same manuscript gives byte-identical braille files.
#[test]
fn braille_builds_are_deterministic() {
    if braille::louis().is_none() {
        return;
    }
    let args = [
        "--format",
        "braille",
        "--profile",
        "braille",
        "--profile",
        "braille-handout",
    ];
    let first = common::snapshot_dir(common::build_with(Path::new("manuscript"), &args).path());
    let second = common::snapshot_dir(common::build_with(Path::new("manuscript"), &args).path());
    let names = |files: &[(PathBuf, Vec<u8>)]| -> Vec<String> {
        files
            .iter()
            .filter_map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect()
    };
    assert_eq!(names(&first).len(), 6, "{:?}", names(&first));
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{} differs between two builds", name.display());
    }
}

/// Hostile shapes of text: a paragraph of 200 000 characters, a word of 5 000, lists nested 60
/// deep, a table row of 100 cells; each is set within the page's bounds, whole, on a 12-cell
/// display's lines.
#[test]
fn hostile_text_keeps_the_bounds() {
    if braille::louis().is_none() {
        return;
    }
    let long_paragraph = "Every word of this sentence is read. ".repeat(5_400);
    let long_word = "x".repeat(5_000);
    let mut nested = String::new();
    for depth in 0..60 {
        nested.push_str(&format!("{}- level {depth}\n", "  ".repeat(depth)));
    }
    let header: Vec<String> = (0..100).map(|i| format!("h{i}")).collect();
    let row: Vec<String> = (0..100).map(|i| format!("cell {i}")).collect();
    let table = format!(
        "| {} |\n|{}|\n| {} |\n",
        header.join(" | "),
        "---|".repeat(100),
        row.join(" | ")
    );
    let dir = common::manuscript::TestBook::new("Hostile")
        .chapter(
            "one.md",
            format!("# One\n\n{long_paragraph}\n\n{long_word}\n\n{nested}\n{table}"),
        )
        .toml("\n[braille]\ncells = 12\nlines = 4\n")
        .write();
    let (out, _) = build_braille(dir.path());
    let brf = with_ext(out.path(), "brf");
    let pages = braille::brf_pages(&std::fs::read(&brf[0]).expect("BRF"));
    braille::assert_bounds(&pages, 12, 4);
    let text: String = pages
        .iter()
        .flat_map(|p| &p[1..p.len() - 1])
        .map(|l| l.trim().trim_end_matches('-'))
        .collect::<Vec<_>>()
        .join(" ");
    // The long word whole: 5 000 x's in its pieces (BRF's X), no cell lost at a division.
    assert!(text.matches('X').count() >= 5_000);
    assert!(text.contains("CELL #II"), "the table's last cell is set");
    assert!(text.contains("LEVEL #EI"), "the 60th level is set");
}
