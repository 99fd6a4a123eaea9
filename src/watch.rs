//! `inkfold watch`: build options in; a build now, and another each time a file of the book
//! changes (a chapter, an included file, data, an image, a font, `book.toml`), each reported as
//! a build is, until interrupted. A build with errors writes nothing, so the last good outputs
//! stay while an edit is broken. What a build measured and highlighted is kept for the next
//! ([`inkfold::Cache`]): an edit to one chapter sets that chapter again, not the book.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use inkfold::BuildOptions;

use crate::term;

/// How often the files are looked at: often enough that a rebuild follows a save at once,
/// rarely enough that looking costs nothing (a few hundred `stat` calls).
const POLL: Duration = Duration::from_millis(200);

/// How long the files must stay unchanged before a rebuild: an editor's save, or a `git
/// checkout`, writes several files one after another.
const SETTLE: Duration = Duration::from_millis(150);

/// What is known of a file: when it was last modified and how long it is (`None`: missing).
type Stamp = Option<(SystemTime, u64)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn stamps(files: &[PathBuf]) -> BTreeMap<PathBuf, Stamp> {
    files.iter().map(|f| (f.clone(), stamp(f))).collect()
}

/// Builds, then rebuilds whenever a file the last build read changes, forever. `settings` are
/// the book's settings files, watched even when a build could not read them.
pub fn run(options: &BuildOptions, settings: &[PathBuf]) -> ! {
    let mut watched: Vec<PathBuf> = settings.to_vec();
    let cache = inkfold::Cache::default();
    let progress = std::sync::Arc::new(inkfold::Progress::default());
    let options = BuildOptions {
        progress: Some(progress.clone()),
        ..options.clone()
    };
    loop {
        let started = Instant::now();
        let started_at = SystemTime::now();
        let bar = term::ProgressBar::start(progress.clone());
        let built = inkfold::build_cached(&options, Some(&cache));
        drop(bar);
        match built {
            Ok(report) => {
                term::print(&report, "build", Some(started.elapsed()));
                if !report.sources.is_empty() {
                    watched = report.sources;
                    for file in settings {
                        if !watched.contains(file) {
                            watched.push(file.clone());
                        }
                    }
                }
            }
            Err(err) => term::err(&format!(
                "error: {}",
                inkfold::diag::escape_controls(&err.to_string())
            )),
        }
        // The files as they are now, before saying so: an edit made once the line is out is a
        // change. One saved while the build ran (modified since it began, but not in the
        // future, which a skewed clock could make of every file) is built at once.
        let before = stamps(&watched);
        let now = SystemTime::now();
        let edited_while_building = before
            .values()
            .flatten()
            .any(|(modified, _)| *modified >= started_at && *modified <= now);
        term::err(&format!(
            "watching {} files for changes (Ctrl-C to stop)",
            watched.len()
        ));
        if edited_while_building {
            continue;
        }
        loop {
            std::thread::sleep(POLL);
            let now = stamps(&watched);
            if now == before {
                continue;
            }
            // Changed: wait until the writing is over.
            let mut last = now;
            loop {
                std::thread::sleep(SETTLE);
                let again = stamps(&watched);
                if again == last {
                    break;
                }
                last = again;
            }
            break;
        }
    }
}
