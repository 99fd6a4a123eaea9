//! What a run prints on the terminal: a [`Report`] in; its problems, the files written, the notes
//! and a closing line out (problems and notes on standard error, the files on standard output).
//! Shared by the `inkfold` command and mdBook's renderer, `mdbook-inkfold`, whose `main`s own
//! the exit status.

use std::io::Write;

use inkfold::Report;
use inkfold::diag::{Severity, escape_controls};

/// Writes `text` to standard output: `Ok(false)` when its reader has gone (a closed pipe, as
/// `inkfold check --dump | head -1` closes it), which is no failure: there is no one left to
/// tell. Rust's `print!` panics there.
pub fn out(text: &str) -> std::io::Result<bool> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(err) => Err(err),
    }
}

/// Writes a line to standard error; a closed standard error is ignored (`eprintln!` panics).
pub fn err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Prints the report of a `what` (`build`, `check` or `init`); whether it has errors. Problems print
/// with the control characters of paths and messages escaped (see [`escape_controls`]).
pub fn print(report: &Report, what: &str) -> bool {
    for problem in &report.problems {
        err(&problem.to_string());
    }
    let errors = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = report.problems.len() - errors;
    for path in &report.written {
        // A closed standard output stops no build: the files are written.
        let _ = out(&format!(
            "wrote {}\n",
            escape_controls(&path.display().to_string())
        ));
    }
    if !report.written.is_empty() {
        for note in &report.notes {
            err(&format!("note: {}", escape_controls(note)));
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        let nothing = if what == "build" || what == "init" {
            "; nothing was written"
        } else {
            ""
        };
        err(&format!(
            "{what} failed: {}, {}{nothing}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
        true
    } else {
        if warnings > 0 || what == "check" {
            err(&format!(
                "{what} finished: 0 errors, {}",
                plural(warnings, "warning")
            ));
        }
        false
    }
}
