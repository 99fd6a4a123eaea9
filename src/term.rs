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

/// Whether standard error gets colour: a terminal, and `NO_COLOR` unset or empty
/// (no-color.org).
fn colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A problem as printed: its severity word in red or yellow (bold), its hint's and its
/// section's marks in cyan,
/// when `colour`; the text is the same either way.
fn painted(problem: &str, colour: bool) -> String {
    if !colour {
        return problem.to_string();
    }
    let mut out = String::with_capacity(problem.len() + 32);
    for (i, line) in problem.split_inclusive('\n').enumerate() {
        let painted = if i == 0 {
            line.strip_prefix("error:")
                .map(|rest| format!("\x1b[1;31merror\x1b[0m:{rest}"))
                .or_else(|| {
                    line.strip_prefix("warning:")
                        .map(|rest| format!("\x1b[1;33mwarning\x1b[0m:{rest}"))
                })
        } else {
            // A mark begins its line after the gutter's spaces; the same words in a quoted
            // source line are left alone.
            ["= hint", "= see"].iter().find_map(|mark| {
                let gutter = line.len() - line.trim_start().len();
                let rest = line[gutter..].strip_prefix(mark)?.strip_prefix(':')?;
                Some(format!("{}\x1b[36m{mark}\x1b[0m:{rest}", &line[..gutter]))
            })
        };
        out.push_str(painted.as_deref().unwrap_or(line));
    }
    out
}

/// Prints the report of a `what` (`build`, `check` or `init`), with the time it took when
/// given; whether it has errors. Problems print with the control characters of paths and
/// messages escaped (see [`escape_controls`]), in colour on a terminal (see [`colour`]). A build
/// ends with a line naming what it wrote, each file's pages, the time and the warnings.
pub fn print(report: &Report, what: &str, elapsed: Option<std::time::Duration>) -> bool {
    let colour = colour();
    for problem in &report.problems {
        err(&painted(&problem.to_string(), colour));
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
    let time = elapsed
        .map(|t| format!(" ({:.2} s)", t.as_secs_f64()))
        .unwrap_or_default();
    if what == "quiet" {
        return errors > 0;
    }
    if errors > 0 {
        let nothing = if what == "build" || what == "init" {
            "; nothing was written"
        } else {
            ""
        };
        err(&format!(
            "{what} failed: {}, {}{nothing}{time}",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
        true
    } else {
        if what == "build" && !report.written.is_empty() {
            let files: Vec<String> = report
                .outputs()
                .map(|(_, name, pages)| match pages {
                    Some(pages) => {
                        format!("{} ({})", escape_controls(&name), plural(pages, "page"))
                    }
                    None => escape_controls(&name).into_owned(),
                })
                .collect();
            err(&format!(
                "{what} finished: {}; 0 errors, {}{time}",
                files.join(", "),
                plural(warnings, "warning")
            ));
        } else if warnings > 0 || what == "check" {
            err(&format!(
                "{what} finished: 0 errors, {}{time}",
                plural(warnings, "warning")
            ));
        }
        false
    }
}

/// A progress bar on standard error while a build runs: the build's steps done of its steps, what
/// it is doing and the time so far, shown only when the build takes more than half a second and
/// standard error is a terminal; cleared when dropped.
pub struct ProgressBar {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// How long a build runs before the bar shows: shorter builds end before anyone waits.
const BAR_AFTER: std::time::Duration = std::time::Duration::from_millis(500);

impl ProgressBar {
    pub fn start(progress: std::sync::Arc<inkfold::Progress>) -> ProgressBar {
        use std::io::IsTerminal;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let mut shown = false;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    let elapsed = started.elapsed();
                    if elapsed < BAR_AFTER {
                        continue;
                    }
                    shown = true;
                    let _ = write!(
                        std::io::stderr().lock(),
                        "\r\x1b[2K{}",
                        bar(progress.now(), elapsed)
                    );
                }
                if shown {
                    // The line is cleared for what the build prints next.
                    let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
                }
            })
        });
        ProgressBar { stop, thread }
    }
}

/// Cells of the progress bar: with its step count, what it is doing and the time, the line
/// stays within 60 columns, well inside an 80-column terminal.
const BAR_CELLS: usize = 20;

/// The progress bar's line: `[#########-----------] 2/5 laying out… 1.2 s`.
fn bar(
    (done, total, doing): (usize, usize, Option<inkfold::Step>),
    elapsed: std::time::Duration,
) -> String {
    let filled = (done * BAR_CELLS)
        .checked_div(total)
        .unwrap_or(0)
        .min(BAR_CELLS);
    let steps = if total > 0 {
        format!(" {}/{total}", (done + 1).min(total))
    } else {
        String::new()
    };
    format!(
        "[{}{}]{steps} {}… {:.1} s",
        "#".repeat(filled),
        "-".repeat(BAR_CELLS - filled),
        doing.map_or("building", |d| d.doing()),
        elapsed.as_secs_f64()
    )
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_steps_done() {
        let second = std::time::Duration::from_millis(1200);
        assert_eq!(
            bar((0, 0, Some(inkfold::Step::Reading)), second),
            "[--------------------] reading… 1.2 s"
        );
        assert_eq!(
            bar((2, 4, Some(inkfold::Step::Drawing)), second),
            "[##########----------] 3/4 drawing… 1.2 s"
        );
        assert_eq!(
            bar((9, 4, None), second),
            "[####################] 4/4 building… 1.2 s"
        );
    }

    #[test]
    fn colour_marks_the_severity_the_hint_and_the_section_only() {
        let problem = "error: a thing\n  --> a.md:1:1\n  = hint: do this\n  = see: README.md#x";
        assert_eq!(painted(problem, false), problem);
        let coloured = painted(problem, true);
        assert!(coloured.starts_with("\x1b[1;31merror\x1b[0m: a thing\n"));
        assert!(coloured.contains("  \x1b[36m= hint\x1b[0m: do this\n"));
        assert!(coloured.ends_with("  \x1b[36m= see\x1b[0m: README.md#x"));
        // Quoted source text that happens to hold a mark is not painted.
        let quoted = "error: a thing\n  --> a.md:1:1\n1 | a = see: b\n";
        assert!(!painted(quoted, true).contains("\x1b[36m"));
        let plain: String = coloured
            .replace("\x1b[1;31m", "")
            .replace("\x1b[36m", "")
            .replace("\x1b[0m", "");
        assert_eq!(plain, problem);
    }
}
