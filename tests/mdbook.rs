//! inkfold as mdBook's renderer: `mdbook build` (mdBook 0.5.4, which `.ci/run` installs) on a
//! copy of each mdBook book with `[output.inkfold]` in its `book.toml` runs `mdbook-inkfold`,
//! which writes the EPUB and the PDF into mdBook's output folder — byte for byte the files
//! `inkfold build` makes of the same project, since mdBook's own preprocessing (includes,
//! anchors, line ranges) and inkfold's read the book alike.
//!
//! Without `mdbook` on the `PATH` the tests say so and pass as skipped, except in CI (`CI`
//! set), where a missing `mdbook` is a failure.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::fixture;
use common::manuscript::per_book;

/// The `mdbook` command, if one is installed.
fn mdbook() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("mdbook"))
            .find(|path| path.is_file())
    });
    if found.is_none() {
        let message = "SKIPPED: mdbook is not installed; `cargo install mdbook --version 0.5.4 --locked --no-default-features` installs it";
        if std::env::var_os("CI").is_some() {
            panic!("{message} (CI must run mdBook)");
        }
        eprintln!("{message}");
    }
    found
}

/// The files of a folder, by name, with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("a file"))
        })
        .collect();
    files.sort();
    files
}

// `tests/books/too-many-lists` is not among them: its `book.toml` says `author =` (mdBook 0.4
// ignored the unknown key; 0.5.4 refuses the file), so `mdbook build` itself stops on it.
// inkfold reads it with a warning; the validators build it directly.
per_book!(mdbook_build_writes_what_inkfold_build_writes:
    basic => fixture("basic"),
    every_form => fixture("every-form"),
    too_many_lists_ru => PathBuf::from("tests/books/too-many-lists-ru"),
);

/// `mdbook build` of a copy of `book` (with `[output.inkfold]` added when it has none) writes
/// an EPUB and a PDF into `book/inkfold/`, identical to what `inkfold build` writes of it.
fn mdbook_build_writes_what_inkfold_build_writes(book: &Path) {
    let Some(mdbook) = mdbook() else {
        return;
    };
    let project = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&common::root().join(book), project.path());
    let toml_path = project.path().join("book.toml");
    let toml = std::fs::read_to_string(&toml_path).expect("book.toml");
    if !toml.contains("[output.inkfold]") {
        // The one line the README tells mdBook users to add (and `[output.html]`, so mdBook
        // still writes its HTML beside).
        let html = if toml.contains("[output.html]") {
            ""
        } else {
            "\n[output.html]\n"
        };
        std::fs::write(&toml_path, format!("{toml}{html}\n[output.inkfold]\n")).expect("write");
    }
    let renderer = Path::new(env!("CARGO_BIN_EXE_mdbook-inkfold"))
        .parent()
        .expect("the binaries' folder");
    let path = std::env::join_paths(std::iter::once(renderer.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("a PATH");
    let output = Command::new(&mdbook)
        .arg("build")
        .current_dir(project.path())
        .env("PATH", path)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run mdbook");
    assert!(
        output.status.success(),
        "{}: mdbook build failed:\n{}",
        book.display(),
        common::stderr(&output)
    );
    let rendered = files(&project.path().join("book/inkfold"));
    let names: Vec<&str> = rendered.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        names.len() == 2 && names[0].ends_with(".epub") && names[1].ends_with(".pdf"),
        "{}: mdbook-inkfold wrote {names:?}",
        book.display()
    );
    let direct = tempfile::tempdir().expect("temp dir");
    let output = common::inkfold_with_env(
        &[
            "build",
            project.path().to_str().expect("utf-8 path"),
            "--out",
            direct.path().to_str().expect("utf-8 path"),
        ],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert!(output.status.success(), "{}", common::stderr(&output));
    let built = files(direct.path());
    for ((name, a), (_, b)) in built.iter().zip(&rendered) {
        assert!(
            a == b,
            "{}: {name} from mdbook build differs from inkfold build's",
            book.display()
        );
    }
    assert_eq!(built.len(), rendered.len());
}

/// The renderer refuses to run by hand (a terminal or arguments), and explains itself.
#[test]
fn mdbook_inkfold_says_what_it_is_when_run_by_hand() {
    let output = Command::new(env!("CARGO_BIN_EXE_mdbook-inkfold"))
        .arg("--help")
        .output()
        .expect("run mdbook-inkfold");
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("[output.inkfold]"));
}

/// A render context that is not JSON is a failure with a message, not a crash.
#[test]
fn a_broken_render_context_is_refused() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-inkfold"))
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mdbook-inkfold");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"{\"version\": 1")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("render context cannot be read"));
}
