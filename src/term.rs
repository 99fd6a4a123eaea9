//! What a run prints on the terminal: a [`Report`] in; its problems, the files written, the notes
//! and a closing line out (problems and notes on standard error, the files on standard output).
//! Shared by the `inkfold` command and mdBook's renderer, `mdbook-inkfold`, whose `main`s own
//! the exit status.

use inkfold::Report;
use inkfold::diag::Severity;

/// Prints the report of a `what` (`build` or `check`); whether it has errors.
pub fn print(report: &Report, what: &str) -> bool {
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    let errors = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = report.problems.len() - errors;
    for path in &report.written {
        println!("wrote {}", path.display());
    }
    if !report.written.is_empty() {
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        let nothing = if what == "build" {
            "; nothing was written"
        } else {
            ""
        };
        eprintln!(
            "{what} failed: {}, {}{nothing}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
        true
    } else {
        if warnings > 0 || what == "check" {
            eprintln!("{what} finished: 0 errors, {}", plural(warnings, "warning"));
        }
        false
    }
}
