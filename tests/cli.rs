//! The `inkfold` command as a user runs it: exit statuses, messages that name file and line,
//! outputs left untouched on error, byte-identical rebuilds, and a well-formed EPUB package.

mod common;

use common::manuscript::{TestBook, per_book};
use common::*;

/// Each bad manuscript a test of its own (`bad_manuscripts_exit_1_…::err_broken_link`):
/// `test: "case" at "file:line:column", "message";`.
macro_rules! bad_manuscripts {
    ($($test:ident: $case:literal at $location:literal, $message:literal;)+) => {
        mod bad_manuscripts_exit_1_name_the_line_and_leave_output_alone {
            $(
                #[test]
                fn $test() {
                    super::bad_manuscript($case, $location, $message);
                }
            )+
        }
    };
}

bad_manuscripts! {
    err_unknown_key: "err-unknown-key" at "book.toml:4:1", "unknown field `colour`";
    err_missing_chapter: "err-missing-chapter" at "book.toml:9:3", "does not exist";
    err_image_no_alt: "err-image-no-alt" at "chapters/one.md:5:1", "has no alt text";
    err_image_outside: "err-image-outside" at "chapters/one.md:3:1", "outside the manuscript";
    err_missing_image: "err-missing-image" at "chapters/one.md:3:1", "does not exist";
    err_broken_link: "err-broken-link" at "chapters/one.md:3:5", "does not exist";
    err_duplicate_id: "err-duplicate-id" at "chapters/one.md:3:1", "used twice";
    err_bad_values: "err-bad-values" at "book.toml:4:12", "not a valid language tag";
}

/// A bad manuscript: exit status 1, a message naming the file and line (`location` in the
/// case's folder), and an output folder that is exactly as it was.
fn bad_manuscript(name: &str, location: &str, message: &str) {
    let location = format!("{name}/{location}");
    let out = tempfile::tempdir().expect("temp dir");
    std::fs::write(out.path().join("fixture.epub"), b"previous build").expect("write");
    let before = snapshot_dir(out.path());
    let output = inkfold(&[
        "build",
        fixture(name).to_str().expect("path"),
        "--out",
        out.path().to_str().expect("path"),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{name}: {err}");
    assert!(
        err.contains(&location),
        "{name}: expected {location} in\n{err}"
    );
    assert!(
        err.contains(message),
        "{name}: expected {message:?} in\n{err}"
    );
    assert!(err.contains("hint:"), "{name}: no hint in\n{err}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert_eq!(
        snapshot_dir(out.path()),
        before,
        "{name} changed the output folder"
    );
}

#[test]
fn a_failed_build_does_not_create_the_output_folder() {
    let parent = tempfile::tempdir().expect("temp dir");
    let out = parent.path().join("new-output");
    let output = inkfold(&[
        "build",
        fixture("err-image-no-alt").to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists(), "the output folder was created");
}

#[test]
fn all_problems_of_a_run_are_reported() {
    let output = inkfold(&["check", fixture("err-broken-link").to_str().expect("path")]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(err.matches("error:").count(), 3, "{err}");
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn warnings_do_not_fail_the_build() {
    let (_out, epub) = build_epub(&fixture("warn-skipped-heading"));
    assert!(epub.exists());
    let output = inkfold(&[
        "check",
        fixture("warn-skipped-heading").to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("warning: heading level skips from 1 to 3"));
}

#[test]
fn check_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manuscript = dir.path().join("manuscript");
    copy_dir(&root().join(fixture("features")), &manuscript);
    let before = snapshot_dir(dir.path());
    let output = inkfold(&["check", manuscript.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(snapshot_dir(dir.path()), before);
}

#[test]
fn missing_manuscript_folder_is_a_manuscript_error() {
    let output = inkfold(&["check", "tests/cases/no-such-book"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("tests/cases/no-such-book"));
}

/// `--format` selects the outputs: one test per value.
mod format_selects_the_outputs {
    use super::names_written;

    #[test]
    fn pdf() {
        assert_eq!(
            names_written(&["--format", "pdf"]),
            ["child-trafficking-in-todays-society.pdf"]
        );
    }

    #[test]
    fn epub() {
        assert_eq!(
            names_written(&["--format", "epub"]),
            ["child-trafficking-in-todays-society.epub"]
        );
    }

    #[test]
    fn all() {
        assert_eq!(
            names_written(&["--format", "all"]),
            [
                "child-trafficking-in-todays-society.epub",
                "child-trafficking-in-todays-society.pdf",
            ]
        );
    }
}

/// The names of the files a build of the sample with `args` writes, in order.
fn names_written(args: &[&str]) -> Vec<String> {
    let out = build_with(std::path::Path::new("manuscript"), args);
    let mut names: Vec<String> = snapshot_dir(out.path())
        .into_iter()
        .filter_map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    names
}

/// `--profile` chooses the editions: each writes `<slug>-<profile>.pdf` (the book keeps
/// `<slug>.pdf`); `all` writes every built-in one and the book's own; an unknown name is an
/// error that writes nothing. One test per choice.
mod profiles_select_the_editions {
    use super::*;

    /// The PDFs written with `--profile` `profiles`, and their names from the slug on.
    fn check(profiles: &[&str], expected: &[&str]) {
        let mut args = vec!["--format", "pdf"];
        for profile in profiles {
            args.extend(["--profile", profile]);
        }
        let expected: Vec<String> = expected
            .iter()
            .map(|end| format!("child-trafficking-in-todays-society{end}"))
            .collect();
        assert_eq!(names_written(&args), expected, "{profiles:?}");
    }

    #[test]
    fn a4() {
        check(&["a4"], &["-a4.pdf"]);
    }

    #[test]
    fn letter_and_book() {
        check(&["letter", "book"], &["-letter.pdf", ".pdf"]);
    }

    #[test]
    fn all() {
        check(
            &["all"],
            &[
                "-a4.pdf",
                "-booklet.pdf",
                "-handout.pdf",
                "-large-print.pdf",
                "-letter.pdf",
                ".pdf",
            ],
        );
    }

    #[test]
    fn an_unknown_name_writes_nothing() {
        let out = tempfile::tempdir().expect("temp dir");
        let output = inkfold(&[
            "build",
            "manuscript",
            "--profile",
            "pamphlet",
            "--out",
            out.path().to_str().expect("path"),
        ]);
        assert_eq!(output.status.code(), Some(1));
        assert!(
            stderr(&output).contains("there is no profile named `pamphlet`")
                && stderr(&output).contains("book, a4, letter, large-print, booklet, handout"),
            "{}",
            stderr(&output)
        );
        assert!(snapshot_dir(out.path()).is_empty());
    }
}

/// A book's own profile prints the chapters it names with its own settings; a link into a
/// chapter it leaves out keeps its text and leads nowhere.
#[test]
fn a_book_profile_prints_its_chapters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    let two_parts = |page_size: &str| {
        TestBook::new("Two Parts")
            .chapter("one.md", "# First Part\n\nOnly in the book.\n")
            .chapter("two.md", "# Second Part\n\nSee [the first part](one.md) for more.\n")
            .toml(&format!(
                "\n[profiles.second]\nchapters = [\"chapters/two.md\"]\npage-size = \"{page_size}\"\n"
            ))
    };
    two_parts("A6").write_to(&book);
    let out = dir.path().join("out");
    let output = inkfold(&[
        "build",
        book.to_str().expect("path"),
        "--profile",
        "second",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "A6 is no known size: {}",
        stderr(&output)
    );
    two_parts("105mm x 148mm").write_to(&book);
    let output = inkfold(&[
        "build",
        book.to_str().expect("path"),
        "--profile",
        "second",
        "--out",
        out.to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let parsed = inkfold::parse(&inkfold::BookSource::open(&book), None);
    let whole = parsed.book.expect("a book");
    let edition = whole.edition(Some(&["chapters/two.md".to_string()]));
    assert_eq!(edition.chapters.len(), 1);
    let mut targets = Vec::new();
    edition.chapters[0].walk(&mut |node| {
        if let inkfold::model::walk::Node::Inline(inkfold::model::Inline::Link(link)) = node {
            targets.push(link.target.clone());
        }
    });
    assert_eq!(targets, [inkfold::model::LinkTarget::Elsewhere]);
    let pdf = out.join("two-parts-second.pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if let Ok(text) = text {
        assert!(
            text.contains("Second Part") && text.contains("the first part"),
            "{text}"
        );
        assert!(!text.contains("Only in the book"), "{text}");
    }
    let bytes = std::fs::read(&pdf).expect("read");
    let doc = lopdf::Document::load_mem(&bytes).expect("parse");
    let first = doc.get_pages().values().next().copied().expect("a page");
    let (width, height) = page_size(&doc, first);
    assert!(
        (width - 297.64).abs() < 0.1 && (height - 419.53).abs() < 0.1,
        "{width} x {height}"
    );
}

/// A PDF page's size, width × height in points, from its MediaBox.
fn page_size(doc: &lopdf::Document, page: lopdf::ObjectId) -> (f32, f32) {
    let page = doc.get_dictionary(page).expect("page");
    let media = page
        .get(b"MediaBox")
        .and_then(lopdf::Object::as_array)
        .expect("MediaBox");
    let n = |o: &lopdf::Object| {
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|v| v as f32))
            .expect("number")
    };
    (n(&media[2]) - n(&media[0]), n(&media[3]) - n(&media[1]))
}

/// The booklet: the book's pages two to a side of landscape A4 sheets, padded to a multiple of
/// four, so it has half as many pages as the padded book; the build says what it is for.
#[test]
fn the_booklet_imposes_the_book_on_landscape_sheets() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = inkfold(&[
        "build",
        "manuscript",
        "--format",
        "pdf",
        "--profile",
        "book",
        "--profile",
        "booklet",
        "--out",
        out.path().to_str().expect("path"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("note: the `booklet` PDF is for the printer"));
    let load = |name: &str| {
        lopdf::Document::load_mem(&std::fs::read(out.path().join(name)).expect("read"))
            .expect("parse")
    };
    let book = load("child-trafficking-in-todays-society.pdf");
    let booklet = load("child-trafficking-in-todays-society-booklet.pdf");
    let pages = book.get_pages().len();
    assert_eq!(booklet.get_pages().len(), pages.div_ceil(4) * 4 / 2);
    for &page in booklet.get_pages().values() {
        let (width, height) = page_size(&booklet, page);
        assert!(
            (width - 841.89).abs() < 0.1 && (height - 595.28).abs() < 0.1,
            "{width} x {height}"
        );
    }
}

/// The text `pdftotext -raw` finds in a PDF page (in the order it is drawn), or in a part of it
/// (`x`, `width` in points from the left), without white space or hyphens (the booklet, untagged,
/// keeps the hyphens of words broken at a line's end that the tagged pages mark as not the
/// text's); `None` without poppler outside CI.
fn page_text(pdf: &std::path::Path, page: usize, part: Option<(f32, f32)>) -> Option<String> {
    let page = page.to_string();
    let mut args: Vec<String> = ["-raw", "-r", "72", "-f", &page, "-l", &page]
        .iter()
        .map(|a| a.to_string())
        .collect();
    if let Some((x, width)) = part {
        args.extend(
            [
                "-x",
                &format!("{x:.0}"),
                "-y",
                "0",
                "-W",
                &format!("{width:.0}"),
                "-H",
                "2000",
            ]
            .iter()
            .map(|a| a.to_string()),
        );
    }
    args.push(pdf.to_str().expect("path").to_string());
    args.push("-".to_string());
    match std::process::Command::new("pdftotext").args(&args).output() {
        Ok(output) => {
            assert!(output.status.success(), "pdftotext {args:?}");
            Some(
                String::from_utf8_lossy(&output.stdout)
                    .chars()
                    .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'))
                    .collect(),
            )
        }
        Err(_) if std::env::var_os("CI").is_some() => panic!("pdftotext is required in CI"),
        Err(_) => {
            eprintln!("SKIPPED: pdftotext is not installed (Debian: poppler-utils)");
            None
        }
    }
}

/// Checks that a booklet's sheets carry the book's pages where a folded booklet needs them:
/// for a left-bound book, side 1 shows the last page on its left half and the first on its
/// right, side 2 the second and the second-to-last, and so on inwards, sheet by sheet; a
/// right-bound book shows every side mirrored. Each half begins with the text of its page of the
/// book (the booklet edition is laid out like the book, on the same page size).
fn assert_sheets_carry_the_pages(pages: &std::path::Path, booklet: &std::path::Path, rtl: bool) {
    let count = lopdf::Document::load(pages)
        .expect("pages")
        .get_pages()
        .len();
    let sheet = lopdf::Document::load(booklet).expect("booklet");
    let sides = sheet.get_pages();
    let padded = count.div_ceil(4) * 4;
    assert_eq!(sides.len(), padded / 2);
    let (width, _) = page_size(&sheet, *sides.values().next().expect("a side"));
    let half = width / 2.0;
    for side in 0..padded / 2 {
        let s = side / 2;
        // 1-based page numbers, left half then right, of a left-bound booklet.
        let mut shown = if side % 2 == 0 {
            [padded - 2 * s, 2 * s + 1]
        } else {
            [2 * s + 2, padded - 1 - 2 * s]
        };
        if rtl {
            shown.reverse();
        }
        for (slot, number) in shown.into_iter().enumerate() {
            let Some(on_sheet) = page_text(booklet, side + 1, Some((slot as f32 * half, half)))
            else {
                return;
            };
            let expected = if number <= count {
                page_text(pages, number, None).expect("pdftotext")
            } else {
                String::new()
            };
            // The booklet's colophon says what the booklet is; a page begins as the book's.
            let start = |text: &str| text.chars().take(40).collect::<String>();
            assert_eq!(
                start(&on_sheet),
                start(&expected),
                "side {} {} half: page {number} of {count}",
                side + 1,
                ["left", "right"][slot]
            );
        }
    }
}

/// A booklet binds on the edge its book reads from: the sample book (English) on the left, a
/// book in Arabic on the right, where an Arabic booklet opens, so the folded sheets read from
/// right to left.
#[test]
fn booklets_bind_on_the_edge_their_book_reads_from() {
    let out = tempfile::tempdir().expect("temp dir");
    let build = |manuscript: &str, out: &std::path::Path| {
        inkfold(&[
            "build",
            manuscript,
            "--format",
            "pdf",
            "--profile",
            "book",
            "--profile",
            "booklet",
            "--out",
            out.to_str().expect("path"),
        ])
    };
    let ltr = out.path().join("ltr");
    let output = build("manuscript", &ltr);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_sheets_carry_the_pages(
        &ltr.join("child-trafficking-in-todays-society.pdf"),
        &ltr.join("child-trafficking-in-todays-society-booklet.pdf"),
        false,
    );

    let arabic = TestBook::arabic().write();
    let rtl = out.path().join("rtl");
    let output = build(arabic.path().to_str().expect("path"), &rtl);
    if output.status.code() != Some(0) && std::env::var_os("CI").is_none() {
        eprintln!(
            "SKIPPED: no Arabic font (Debian: fonts-noto-core)\n{}",
            stderr(&output)
        );
        return;
    }
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pdfs: Vec<std::path::PathBuf> = std::fs::read_dir(&rtl)
        .expect("output")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    let booklet = pdfs
        .iter()
        .find(|p| p.to_string_lossy().ends_with("-booklet.pdf"))
        .expect("the booklet");
    let pages = pdfs.iter().find(|p| *p != booklet).expect("the pages");
    assert_sheets_carry_the_pages(pages, booklet, true);
}

/// A handout that cannot fit on one sheet is an error that says so, and writes nothing; a book
/// without appendix data has no handout to make.
#[test]
fn a_handout_must_fit_on_one_sheet() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    let many_helpers = TestBook::new("Many Helpers")
        .rights("CC0")
        .chapter("one.md", "# One\n\nText.\n");
    many_helpers.clone().write_to(&book);
    let run = |out: &std::path::Path| {
        inkfold(&[
            "build",
            book.to_str().expect("path"),
            "--format",
            "pdf",
            "--profile",
            "handout",
            "--out",
            out.to_str().expect("path"),
        ])
    };
    let out = dir.path().join("out");
    let output = run(&out);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the book has none"),
        "{}",
        stderr(&output)
    );
    let mut data = String::from("kind = \"sources\"\ntitle = \"Helpers\"\n");
    for i in 0..40 {
        data.push_str(&format!(
            "\n[[organisation]]\nname = \"Helper {i}\"\noffers = \"Helper {i} offers a great deal of help to a great many people in a great many places. More.\"\nwebsite = \"https://helper{i}.example.org/\"\ntopics = [\"help\"]\n"
        ));
    }
    many_helpers
        .file("data/helpers.toml", data)
        .toml("\n[appendix]\ntitle = \"Helpers\"\ndata = [\"data/helpers.toml\"]\n")
        .write_to(&book);
    let output = run(&out);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the handout takes")
            && stderr(&output).contains("it must fit on 2"),
        "{}",
        stderr(&output)
    );
    assert!(snapshot_dir(&out).is_empty());
    // `check` lays the handout out too, and fails as the build does.
    let output = inkfold(&["check", book.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the handout takes"),
        "{}",
        stderr(&output)
    );
}

/// A chapter's language, given in `book.toml`, is its document's `lang`, and a right-to-left
/// one (by its script, or `dir`) sets `dir="rtl"`; a book whose own language is right to left
/// turns its pages that way. Built as an e-book only, which needs no fonts for the scripts.
#[test]
fn chapters_in_other_languages_and_directions() {
    let case = fixture("languages");
    let out = build_with(&case, &["--format", "epub"]);
    let epub = out.path().join("welcome-in-four-languages.epub");
    let root = |name: &str| {
        let text = zip_text(&epub, &format!("EPUB/text/{name}.xhtml"));
        let start = text.find("<html").expect("a root");
        text[start..start + text[start..].find('>').expect("its end")].to_string()
    };
    assert!(root("english").contains("xml:lang=\"en\"") && !root("english").contains("dir="));
    assert!(root("french").contains("xml:lang=\"fr\"") && !root("french").contains("dir="));
    assert!(
        root("arabic").contains("xml:lang=\"ar\" dir=\"rtl\""),
        "{}",
        root("arabic")
    );
    assert!(
        root("hebrew").contains("xml:lang=\"he\" dir=\"rtl\""),
        "{}",
        root("hebrew")
    );
    assert!(zip_text(&epub, "EPUB/package.opf").contains("<spine>"));
    let css = zip_text(&epub, "EPUB/css/book.css");
    for physical in [
        "margin-left",
        "margin-right",
        "padding-left",
        "padding-right",
        "align: left",
        "align: right",
        "float",
    ] {
        assert!(!css.contains(physical), "{physical} in the style sheet");
    }
    assert!(css.contains("padding-inline-start"));
    // The same book in Arabic.
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in [
        "book.toml",
        "chapters/english.md",
        "chapters/french.md",
        "chapters/arabic.md",
        "chapters/hebrew.md",
    ] {
        let to = dir.path().join(entry);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(root_path(&case).join(entry), &to).expect("copy");
    }
    let toml = std::fs::read_to_string(dir.path().join("book.toml")).expect("read");
    std::fs::write(
        dir.path().join("book.toml"),
        toml.replace("language = \"en\"", "language = \"ar\""),
    )
    .expect("write");
    let out = build_with(dir.path(), &["--format", "epub"]);
    let opf = zip_text(
        &out.path().join("welcome-in-four-languages.epub"),
        "EPUB/package.opf",
    );
    assert!(
        opf.contains("<spine page-progression-direction=\"rtl\">"),
        "{opf}"
    );
}

/// A fixture's folder as a path from here.
fn root_path(case: &std::path::Path) -> std::path::PathBuf {
    common::root().join(case)
}

#[test]
fn help_and_version() {
    let help = inkfold(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("build") && text.contains("check"), "{text}");
    let version = inkfold(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn sample_book_builds_to_its_slug() {
    let (_out, epub) = build_epub(std::path::Path::new("manuscript"));
    assert_eq!(
        epub.file_name().and_then(|n| n.to_str()),
        Some("child-trafficking-in-todays-society.epub")
    );
}

per_book!(two_builds_are_byte_identical:
    sample => std::path::PathBuf::from("manuscript"),
    features => fixture("features"),
);

fn two_builds_are_byte_identical(book: &std::path::Path) {
    let (_a, first) = build_epub(book);
    let (_b, second) = build_epub(book);
    assert_eq!(
        std::fs::read(first).expect("read"),
        std::fs::read(second).expect("read"),
        "{} built twice differs",
        book.display()
    );
}

#[test]
fn source_date_epoch_sets_the_modified_date() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = inkfold_with_env(
        &[
            "build",
            "manuscript",
            "--out",
            out.path().to_str().expect("path"),
            "--format",
            "epub",
        ],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let epub = out.path().join("child-trafficking-in-todays-society.epub");
    let opf = zip_text(&epub, "EPUB/package.opf");
    assert!(opf.contains(">2023-11-14T22:13:20Z<"), "{opf}");
}

#[test]
fn package_layout_mimetype_first_and_stored() {
    let (_out, epub) = build_epub(&fixture("features"));
    let bytes = std::fs::read(&epub).expect("read");
    // A stored `mimetype` entry at offset 0: local header, name, then the bare media type.
    assert_eq!(&bytes[0..4], b"PK\x03\x04");
    assert_eq!(
        u16::from_le_bytes([bytes[8], bytes[9]]),
        0,
        "mimetype is compressed"
    );
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..58], b"application/epub+zip");
    let names = zip_names(&epub);
    assert_eq!(names[0], "mimetype");
    assert_eq!(names[1], "META-INF/container.xml");
    assert!(
        names.contains(&"EPUB/images/1-bars.png".to_string()),
        "{names:?}"
    );
    // embed-fonts = false in this fixture; the sample book embeds them.
    assert!(!names.iter().any(|n| n.starts_with("EPUB/fonts/")));
    let (_out, sample) = build_epub(std::path::Path::new("manuscript"));
    assert!(
        zip_names(&sample)
            .iter()
            .any(|n| n.ends_with("AtkinsonHyperlegibleNext-Regular.ttf"))
    );
}

per_book!(every_xml_file_in_the_package_is_well_formed:
    sample => std::path::PathBuf::from("manuscript"),
    features => fixture("features"),
);

fn every_xml_file_in_the_package_is_well_formed(book: &std::path::Path) {
    let (_out, epub) = build_epub(book);
    for name in zip_names(&epub) {
        if name.ends_with(".xhtml") || name.ends_with(".opf") || name.ends_with(".xml") {
            let text = zip_text(&epub, &name);
            if let Err(err) = roxmltree::Document::parse_with_options(&text, xml_options()) {
                panic!("{name} in {} is not well-formed: {err}", book.display());
            }
        }
    }
}

/// The author's text, published as written: every sentence of the seed appears word for word
/// in the EPUB — the chapter's paragraphs in the chapter, its lists and closing advice in the
/// appendix generated from the data — less the web-page leftovers (the title line, which becomes
/// the book title and chapter heading, "Leave a Reply", and the remnants of the lost links).
#[test]
fn every_sentence_of_the_chapter_appears_word_for_word() {
    let seed = std::fs::read_to_string(root().join("tests/data/seed-chapter-8.txt")).expect("seed");
    let (_out, epub) = build_epub(std::path::Path::new("manuscript"));
    let mut blocks: Vec<String> = Vec::new();
    for name in zip_names(&epub)
        .iter()
        .filter(|n| n.starts_with("EPUB/text/"))
    {
        let xhtml = zip_text(&epub, name);
        assert!(!xhtml.contains("Leave a Reply"));
        let doc =
            roxmltree::Document::parse_with_options(&xhtml, xml_options()).expect("well-formed");
        for node in doc
            .descendants()
            .filter(|n| matches!(n.tag_name().name(), "p" | "li" | "h1" | "h2" | "h3"))
        {
            let text: String = node
                .descendants()
                .filter(|d| d.is_text())
                .map(|d| d.text().unwrap_or(""))
                .collect();
            blocks.push(text);
        }
    }
    let mut checked = 0;
    for line in seed.lines().skip(1) {
        let line = line.trim();
        if line.is_empty() || line == "Leave a Reply" {
            continue;
        }
        // A list item: "N. Organisation: what it offers…:" — its name heads its entry.
        let (name, text) = match line.split_once(". ") {
            Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => match rest.split_once(": ")
            {
                Some((name, text)) => (Some(name), text),
                None => (None, rest),
            },
            _ => (None, line),
        };
        if let Some(name) = name {
            assert!(
                blocks.iter().any(|b| b.starts_with(name)),
                "no entry headed {name:?}"
            );
        }
        let text = text
            .trim_end_matches(":–en/index.htm")
            .trim_end_matches(':');
        for sentence in text.split_inclusive(". ").map(str::trim) {
            let sentence = sentence.trim_end_matches('.');
            assert!(
                blocks.iter().any(|b| b.contains(sentence)),
                "not found word for word in the EPUB:\n{sentence}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked} sentences checked");
    assert!(blocks.iter().any(|b| b == "Chapter 8: Conclusion"));
}

/// Both outputs carry the appendix with all eight organisations (ECPAT in both lists), each
/// with a working https link.
#[test]
fn the_appendix_names_every_organisation_with_a_link() {
    let (_out, epub) = build_epub(std::path::Path::new("manuscript"));
    let xhtml = zip_text(&epub, "EPUB/text/appendix.xhtml");
    assert!(xhtml.contains("epub:type=\"appendix\"") && xhtml.contains("role=\"doc-appendix\""));
    let sites = [
        "https://www.unodc.org/",
        "https://www.ilo.org/",
        "https://www.unicef.org/",
        "https://ecpat.org/",
        "https://www.state.gov/",
        "https://www.ijm.org/",
        "https://love146.org/",
        "https://www.antislavery.org/",
    ];
    for site in sites {
        assert!(xhtml.contains(&format!("href=\"{site}\"")), "{site}");
    }
    assert_eq!(
        xhtml.matches("href=\"https://ecpat.org/\"").count(),
        2,
        "ECPAT in both lists"
    );
    assert_eq!(
        xhtml.matches("<h3").count(),
        10,
        "nine entries and the advice"
    );
    let nav = zip_text(&epub, "EPUB/nav.xhtml");
    assert!(
        nav.contains("epub:type=\"appendix\" href=\"text/appendix.xhtml\""),
        "landmark"
    );
    assert!(
        nav.contains(">Appendix: Where to Learn More and How to Help</a>"),
        "toc entry"
    );
}

#[test]
fn an_output_that_cannot_be_written_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"a file where the output folder should be").expect("write");
    let output = inkfold(&[
        "build",
        "manuscript",
        "--out",
        blocker.to_str().expect("path"),
        "--format",
        "epub",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
}

/// `inkfold check --format json` lists every known problem of a fixture with its location, and
/// exits non-zero because some are errors.
#[test]
fn check_json_lists_each_accessibility_problem_with_its_location() {
    let output = inkfold(&[
        "check",
        "tests/cases/diagnostics/a11y-problems",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let problems: Vec<(String, u64, u64, String)> = json["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["severity"].as_str().unwrap_or("").to_string(),
                p["line"].as_u64().unwrap_or(0),
                p["column"].as_u64().unwrap_or(0),
                p["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let expected = [
        ("error", 17, 1, "is not a valid language tag"),
        (
            "error",
            19,
            3,
            "links to `javascript:` addresses are not allowed",
        ),
        ("warning", 3, 1, "is a file name"),
        ("warning", 5, 1, "characters long"),
        ("warning", 7, 13, "`click here` does not say where it leads"),
        ("warning", 7, 61, "bare address"),
        ("warning", 9, 1, "heading level skips from 1 to 3"),
        ("warning", 11, 1, "this heading is empty"),
        ("warning", 13, 1, "no header row"),
        ("warning", 21, 1, "column 2 of this table has no heading"),
        ("warning", 25, 22, "no text; its address is shown"),
        (
            "warning",
            25,
            56,
            "no text; the heading it leads to is shown",
        ),
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for ((severity, line, column, message), got) in expected.iter().zip(&problems) {
        assert_eq!(
            (severity.to_string(), *line, *column),
            (got.0.clone(), got.1, got.2),
            "{got:?}"
        );
        assert!(got.3.contains(message), "{got:?} lacks {message:?}");
    }
    for p in json["problems"].as_array().expect("problems") {
        assert!(
            p["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("a11y-problems/chapters/one.md"))
        );
    }
    assert_eq!(json["errors"], 2);
    assert_eq!(json["warnings"], 10);
}

/// Two builds at once into the same folder: both succeed, and what is left is whole and the
/// same as a build alone (each writes a temporary file of its own, then renames it).
#[test]
fn two_builds_at_once_into_one_folder_leave_whole_files() {
    let out = tempfile::tempdir().expect("temp dir");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_inkfold"))
            .args(["build", "manuscript", "--out"])
            .arg(out.path())
            .current_dir(root())
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn inkfold")
    };
    let (mut first, mut second) = (spawn(), spawn());
    assert!(first.wait().expect("wait").success());
    assert!(second.wait().expect("wait").success());
    let alone = tempfile::tempdir().expect("temp dir");
    let output = inkfold(&[
        "build",
        "manuscript",
        "--out",
        alone.path().to_str().expect("path"),
    ]);
    assert!(output.status.success());
    let left = snapshot_dir(out.path());
    let names: Vec<_> = left.iter().filter_map(|(p, _)| p.file_name()).collect();
    assert_eq!(
        names.len(),
        2,
        "only the two outputs, no temporary files: {names:?}"
    );
    assert_eq!(
        left.iter().map(|(_, b)| b).collect::<Vec<_>>(),
        snapshot_dir(alone.path())
            .iter()
            .map(|(_, b)| b)
            .collect::<Vec<_>>()
    );
}

/// The outputs do not depend on where the manuscript lies (no paths leak into them): the same
/// manuscript in two differently named folders builds byte-identical files.
#[test]
fn outputs_do_not_depend_on_the_manuscript_folder() {
    let mut built = Vec::new();
    for name in ["first-copy", "a/much/deeper/second copy"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let manuscript = dir.path().join(name);
        copy_dir(&root().join("manuscript"), &manuscript);
        let out = dir.path().join("out");
        let output = inkfold(&[
            "build",
            manuscript.to_str().expect("path"),
            "--out",
            out.to_str().expect("path"),
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        built.push(
            snapshot_dir(&out)
                .into_iter()
                .map(|(_, bytes)| bytes)
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(built[0].len(), 2);
    assert!(built[0] == built[1], "the outputs differ between folders");
}

/// An output folder inside the manuscript that holds a source file under an output's name is
/// refused: the source stays as it was and nothing is written.
#[test]
fn an_output_never_replaces_a_file_of_the_manuscript() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("book");
    // A chapter whose file name is the EPUB's name.
    let chapter = b"# Pic\n\nText.\n";
    TestBook::new("Pic")
        .chapter("pic.epub", chapter)
        .write_to(&book);
    let out = book.join("chapters");
    let output = inkfold(&[
        "build",
        book.to_str().expect("path"),
        "--out",
        out.to_str().expect("path"),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("would replace a file of the manuscript"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(book.join("chapters/pic.epub")).expect("read"),
        chapter
    );
    assert!(!out.join("pic.pdf").exists(), "nothing is written");
}

/// `inkfold check --dump | head -1`: the reader closes the pipe after one line, and inkfold
/// ends quietly with status 0 rather than panicking on the closed pipe (status 101). The dump
/// is larger than a pipe's buffer, so the write does meet the closed pipe.
#[test]
fn a_dump_into_a_closed_pipe_ends_quietly() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let text: String = (0..5000)
        .map(|i| format!("Paragraph number {i} of the book.\n\n"))
        .collect();
    let dir = TestBook::new("Pipe")
        .chapter("one.md", format!("# One\n\n{text}"))
        .write();
    let mut child = Command::new(env!("CARGO_BIN_EXE_inkfold"))
        .args(["check", "--dump", dir.path().to_str().expect("path")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run inkfold");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a line");
    // The reader goes: the pipe closes.
    let output = child.wait_with_output().expect("inkfold ends");
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(first.starts_with("Book \"Pipe\""), "{first}");
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// `inkfold init` makes a book that builds (with a note saying how), titled after its folder;
/// made again over it, it replaces nothing, names every file in the way and writes nothing.
#[test]
fn init_makes_a_book_that_builds_and_never_replaces_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("field-notes");
    let book_arg = book.to_str().expect("utf-8 path");
    let output = inkfold(&["init", book_arg]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!("build it with: inkfold build {book_arg}")),
        "{}",
        stderr(&output)
    );
    let toml = std::fs::read_to_string(book.join("book.toml")).expect("book.toml");
    assert!(toml.contains("title = \"Field Notes\""));
    assert_eq!(
        std::fs::read_to_string(book.join(".gitignore")).expect(".gitignore"),
        "/output/\n"
    );
    let built = build_with(&book, &[]);
    let mut names: Vec<String> = snapshot_dir(built.path())
        .into_iter()
        .filter_map(|(p, _)| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names, ["field-notes.epub", "field-notes.pdf"]);
    let chapter = book.join("chapters/01-first-chapter.md");
    std::fs::write(&chapter, "# Mine\n\nMy own text.\n").expect("edit");
    let before = snapshot_dir(&book);
    let again = inkfold(&["init", book_arg]);
    assert_eq!(again.status.code(), Some(1));
    let errors = stderr(&again)
        .lines()
        .filter(|l| l.starts_with("error: a file is already here"))
        .count();
    assert_eq!(errors, 5, "{}", stderr(&again));
    assert_eq!(snapshot_dir(&book), before, "init changed the book");
}

/// Inside a book's own folder (one `init` made), `inkfold build` and `inkfold check` with no
/// folder named read that book, and the outputs go to its `output/`, which its `.gitignore`
/// keeps out of version control; in a folder with neither a book nor `manuscript/`, the
/// problem names `manuscript` and says where else inkfold looks.
#[test]
fn build_and_check_read_the_book_they_are_run_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("field-notes");
    let made = inkfold(&["init", book.to_str().expect("utf-8 path")]);
    assert!(made.status.success(), "{}", stderr(&made));
    let run_in = |folder: &std::path::Path, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_inkfold"))
            .args(args)
            .current_dir(folder)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("run inkfold")
    };
    let checked = run_in(&book, &["check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let built = run_in(&book, &["build"]);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    for name in ["field-notes.epub", "field-notes.pdf"] {
        assert!(
            book.join("output").join(name).is_file(),
            "{name} is missing"
        );
    }
    let elsewhere = run_in(dir.path(), &["build"]);
    assert_eq!(elsewhere.status.code(), Some(1));
    let err = stderr(&elsewhere);
    assert!(err.contains("--> manuscript"), "{err}");
    assert!(
        err.contains("the book's own folder (holding book.toml)"),
        "{err}"
    );
    assert!(!dir.path().join("output").exists(), "a failed build wrote");
}

/// The Rust book's Chinese translation of 2017–2019 (`tests/books/trpl-zh-cn`, MIT) builds as
/// it is: its `book.toml` in mdBook's old layout is read, its links to ids the Chinese headings
/// no longer make and to chapters not kept are warnings, and so is its missing language.
#[test]
fn an_mdbook_of_its_time_builds_as_it_is_with_warnings() {
    let output = inkfold(&["check", "tests/books/trpl-zh-cn"]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    for expected in [
        "warning: `title` at the top of book.toml is mdBook's old layout",
        "warning: `author` is not a table of mdBook's book.toml",
        "warning: the book gives no language, so mdBook's `en` is used, but most of its letters are Han",
        "warning: the link target `ch01-01-installation.html#troubleshooting` does not exist; the link goes to the start of its chapter",
        "warning: the link target `../std/num/struct.Wrapping.html` is not a chapter of this book; its text is kept",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}

/// `inkfold completions SHELL` prints a completion script that knows every command (bash reads
/// it without a syntax error), and `inkfold man` a manual page in roff.
#[test]
fn completions_and_the_manual_page_are_generated() {
    let output = inkfold(&["completions", "bash"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let script = String::from_utf8(output.stdout).expect("utf-8");
    for command in ["init", "build", "check", "completions", "man", "--profile"] {
        assert!(script.contains(command), "{command} is not completed");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("inkfold.bash");
    std::fs::write(&file, &script).expect("write");
    let bash = std::process::Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .expect("bash");
    assert!(
        bash.status.success(),
        "{}",
        String::from_utf8_lossy(&bash.stderr)
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let output = inkfold(&["completions", shell]);
        assert!(
            output.status.success() && !output.stdout.is_empty(),
            "{shell}"
        );
    }
    let man = inkfold(&["man"]);
    assert!(man.status.success());
    let page = String::from_utf8(man.stdout).expect("utf-8");
    assert!(page.contains(".TH inkfold 1"), "{page}");
    assert!(page.contains("braille"), "{page}");
    assert_eq!(inkfold(&["completions", "tcsh"]).status.code(), Some(2));
}

/// A build ends with one line naming the files written with their pages, the time and the
/// warnings; on a pipe (not a terminal) nothing is coloured.
#[test]
fn a_build_ends_with_its_summary_and_pipes_get_no_colour() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = inkfold(&[
        "build",
        "manuscript",
        "--out",
        out.path().to_str().expect("utf-8 path"),
    ]);
    assert!(output.status.success());
    let stderr = stderr(&output);
    let last = stderr.lines().last().expect("a closing line");
    assert!(
        last.starts_with(
            "build finished: child-trafficking-in-todays-society.epub, child-trafficking-in-todays-society.pdf ("
        ) && last.contains(" pages); 0 errors, 1 warning (")
            && last.ends_with(" s)"),
        "{last}"
    );
    assert!(!stderr.contains('\x1b'), "colour on a pipe:\n{stderr}");
}

/// `build --report json` prints the problems, each file written with its pages, and the notes
/// as JSON on stdout; `--quiet` prints the problems alone.
#[test]
fn build_reports_as_json_or_quietly() {
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().to_str().expect("utf-8 path");
    let output = inkfold(&["build", "manuscript", "--out", dir, "--report", "json"]);
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 1);
    let outputs = report["outputs"].as_array().expect("outputs");
    assert_eq!(outputs.len(), 2);
    assert!(
        outputs[0]["path"]
            .as_str()
            .expect("a path")
            .ends_with(".epub")
    );
    assert!(outputs[0]["pages"].is_null());
    assert!(outputs[1]["pages"].as_u64().expect("PDF pages") > 3);
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));

    let quiet = inkfold(&["build", "manuscript", "--out", dir, "--quiet"]);
    assert!(quiet.status.success());
    assert!(quiet.stdout.is_empty());
    let said = stderr(&quiet);
    assert!(
        said.starts_with("warning: the book states no rights"),
        "{said}"
    );
    assert!(
        !said.contains("build finished") && !said.contains("wrote"),
        "{said}"
    );
}

/// A running `inkfold watch` of `book` into `out` (EPUB only, dated by a fixed
/// `SOURCE_DATE_EPOCH`), with what it says on standard error line by line.
struct Watcher {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Watcher {
    fn start(book: &std::path::Path, out: &std::path::Path) -> Watcher {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_inkfold"))
            .arg("watch")
            .arg(book)
            .args(["--format", "epub", "--out"])
            .arg(out)
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run inkfold watch");
        let stderr = child.stderr.take().expect("stderr");
        let (send, lines) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watcher { child, lines }
    }

    /// The lines of the next build, up to its "watching" line; a failure after a minute.
    fn next_build(&self) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match self.lines.recv_timeout(std::time::Duration::from_secs(60)) {
                Ok(line) if line.starts_with("watching ") => return seen,
                Ok(line) => seen.push(line),
                Err(_) => panic!("no build within a minute; saw {seen:?}"),
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A cold build of `book`'s EPUB with the watcher's date: its bytes.
fn cold_epub(book: &std::path::Path, name: &str) -> Vec<u8> {
    let cold = tempfile::tempdir().expect("temp dir");
    let output = inkfold_with_env(
        &[
            "build",
            book.to_str().expect("utf-8"),
            "--format",
            "epub",
            "--out",
            cold.path().to_str().expect("utf-8"),
        ],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::read(cold.path().join(name)).expect("cold EPUB")
}

/// `inkfold watch` builds, rebuilds when a chapter changes (byte-identical to a cold build of
/// the edited book), and when `book.toml` is broken reports it and keeps the last good outputs.
#[test]
fn watch_rebuilds_after_an_edit_and_keeps_the_last_good_outputs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("watched");
    let out = dir.path().join("out");
    assert!(
        inkfold(&["init", book.to_str().expect("utf-8")])
            .status
            .success()
    );
    let watcher = Watcher::start(&book, &out);
    let epub = out.join("watched.epub");
    let first_build = watcher.next_build();
    let first = std::fs::read(&epub).expect("the first build's EPUB");
    assert!(first_build.iter().any(|l| l.starts_with("build finished")));

    let chapter = book.join("chapters/01-first-chapter.md");
    let mut text = std::fs::read_to_string(&chapter).expect("chapter");
    text.push_str("\nA paragraph added while watching.\n");
    std::fs::write(&chapter, &text).expect("edit");
    watcher.next_build();
    let rebuilt = std::fs::read(&epub).expect("the rebuilt EPUB");
    assert_ne!(rebuilt, first, "the edit is in the EPUB");
    assert_eq!(
        cold_epub(&book, "watched.epub"),
        rebuilt,
        "a rebuild is byte-identical to a cold build"
    );

    std::fs::write(book.join("book.toml"), "[book\n").expect("break book.toml");
    let broken = watcher.next_build();
    assert!(
        broken.iter().any(|l| l.starts_with("build failed")),
        "{broken:?}"
    );
    assert_eq!(
        std::fs::read(&epub).expect("the EPUB"),
        rebuilt,
        "the last good output stays"
    );
}

/// `inkfold watch` on an mdBook project rebuilds when a file its chapters include changes.
#[test]
fn watch_rebuilds_after_an_edit_to_an_included_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("project");
    let source = root().join("tests/cases/mdbook/every-form");
    let copy = std::process::Command::new("cp")
        .arg("-r")
        .arg(&source)
        .arg(&book)
        .status()
        .expect("cp");
    assert!(copy.success());
    let out = dir.path().join("out");
    let watcher = Watcher::start(&book, &out);
    let name = "every-form-of-an-mdbook.epub";
    watcher.next_build();
    let first = std::fs::read(out.join(name)).expect("the first build's EPUB");
    let listing = book.join("src/listings/hello.rs");
    let mut text = std::fs::read_to_string(&listing).expect("listing");
    text.push_str("// A line added while watching.\n");
    std::fs::write(&listing, text).expect("edit the included file");
    watcher.next_build();
    let rebuilt = std::fs::read(out.join(name)).expect("the rebuilt EPUB");
    assert_ne!(rebuilt, first, "the included file's edit is in the EPUB");
    assert_eq!(cold_epub(&book, name), rebuilt);
}

/// The commands of the README's "Your first book in five minutes", run as written in an empty
/// folder: `init` and `build` make the files the comments beside them name, and `watch` builds
/// and watches.
#[test]
fn the_readmes_first_book_commands_work_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme
        .split("## Your first book in five minutes")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the section");
    let mut commands: Vec<(Vec<String>, String)> = Vec::new();
    let mut in_shell = false;
    for line in section.lines() {
        if line.starts_with("```") {
            in_shell = line == "```sh";
            continue;
        }
        if in_shell && line.starts_with("inkfold ") {
            let (command, comment) = line.split_once('#').unwrap_or((line, ""));
            let words = command
                .split_whitespace()
                .skip(1)
                .map(String::from)
                .collect();
            commands.push((words, comment.trim().to_string()));
        }
    }
    let verbs: Vec<&str> = commands.iter().map(|(w, _)| w[0].as_str()).collect();
    assert_eq!(verbs, ["init", "build", "watch"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |words: &[String]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_inkfold"))
            .args(words)
            .current_dir(dir.path())
            .output()
            .expect("run inkfold")
    };
    for (words, comment) in &commands[..2] {
        let output = run(words);
        assert!(output.status.success(), "{words:?}: {}", stderr(&output));
        // The files the comment names, where it names them.
        for named in comment
            .split_whitespace()
            .map(|w| w.trim_end_matches(','))
            .filter(|w| w.contains('/'))
        {
            assert!(
                dir.path().join(named).is_file(),
                "{words:?} made no {named}"
            );
        }
    }
    assert!(dir.path().join("my-book/book.toml").is_file());
    // `watch` builds, then watches, until it is stopped.
    let mut watch = std::process::Command::new(env!("CARGO_BIN_EXE_inkfold"))
        .args(&commands[2].0)
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run inkfold watch");
    let stderr = watch.stderr.take().expect("stderr");
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let watching = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with("watching "));
    let _ = watch.kill();
    let _ = watch.wait();
    assert!(watching.is_some(), "watch never watched");
}
