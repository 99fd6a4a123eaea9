//! The import graph: `scripts/module-cycles` finds no circle among sibling modules of `src/`,
//! and it does find one in a small crate made to have one (so a pass here means something).
//! Needs python3; skipped without it, except in CI.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `scripts/module-cycles` on `src`; `None` (with a note) when python3 is missing outside
/// CI.
fn module_cycles(src: &Path) -> Option<Output> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/module-cycles");
    match Command::new("python3").arg(script).arg(src).output() {
        Ok(output) => Some(output),
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("python3 is required in CI (for scripts/module-cycles)")
        }
        Err(_) => {
            eprintln!("SKIPPED: python3 is not installed (Debian: python3)");
            None
        }
    }
}

fn report(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_modules_import_each_other_without_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let Some(output) = module_cycles(&src) else {
        return;
    };
    assert_eq!(output.status.code(), Some(0), "{}", report(&output));
}

#[test]
fn a_circle_between_siblings_is_found_and_a_use_of_the_parent_is_not_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path();
    let write = |path: &str, text: &str| {
        let path = src.join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(path, text).expect("write");
    };
    write(
        "lib.rs",
        "pub mod a;\npub mod b;\npub struct Shared;\n// crate::b::never() in a comment\n",
    );
    write("a/mod.rs", "pub mod inner;\npub fn f() {}\n");
    write(
        "a/inner.rs",
        "use super::f;\npub fn g() { crate::b::h(); let _ = crate::Shared; }\n",
    );
    write("b.rs", "use crate::a::{self, inner::g};\npub fn h() {}\n");
    let Some(output) = module_cycles(src) else {
        return;
    };
    let text = report(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("cycle among the modules of the crate root") && text.contains(": a, b\n"),
        "{text}"
    );
    assert!(text.contains("a/inner.rs:2: crate::b::h"), "{text}");
    assert!(text.contains("1 cycle(s)"), "{text}");

    // Without the call from `a::inner` to `b`, what is left are uses of parents: no circle.
    write(
        "a/inner.rs",
        "use super::f;\npub fn g() { let _ = crate::Shared; }\n",
    );
    let output = module_cycles(src).expect("python3 ran a moment ago");
    assert_eq!(output.status.code(), Some(0), "{}", report(&output));
}
