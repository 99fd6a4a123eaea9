//! Output files: named bytes in, files in the output folder out. The names come from the book's
//! title ([`stem`]); none may replace a file of the book ([`check_targets`]). Each is written to a temporary
//! file created anew beside its target (never opened through a link or over a file already
//! there), and only when every output is complete are they renamed into place, so a failed or
//! concurrent build never leaves half a file, nor one new output beside an old one, and nothing
//! outside the output folder is ever written.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::{self, Diagnostics};

/// Longest output file name stem, in bytes: with its extension and the temporary file's
/// prefix and suffix it stays well inside the 255 bytes file systems allow.
const MAX_STEM_BYTES: usize = 120;

/// The output file name for a book of `title`: the title as a slug, at most [`MAX_STEM_BYTES`]
/// (cut between words where it can), or `book` when the title has no letters or digits.
pub fn stem(title: &str) -> String {
    let mut stem = crate::id::slug(title);
    if stem.len() > MAX_STEM_BYTES {
        let mut cut = MAX_STEM_BYTES;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
        if let Some(hyphen) = stem.rfind('-').filter(|&h| h > MAX_STEM_BYTES / 2) {
            stem.truncate(hyphen);
        }
    }
    if stem.is_empty() {
        "book".to_string()
    } else {
        stem
    }
}

/// An output folder inside the book's folder must not hold one of the book's files (`files`,
/// canonical paths) under an output's name: each such output is an error.
pub fn check_targets(
    dir: &Path,
    files: &[(String, Vec<u8>)],
    sources: &[PathBuf],
    diags: &mut Diagnostics,
) {
    for (name, _) in files {
        let target = dir.join(name);
        if let Ok(canonical) = target.canonicalize()
            && sources.contains(&canonical)
        {
            diags
                .error(
                    diag::Location::Path(target),
                    format!("the output `{name}` would replace a file of the manuscript"),
                )
                .hint("build into another folder (--out), or rename the manuscript's file");
        }
    }
}

/// How many temporary names are tried before giving up (a name is taken only while another
/// build writes, or by something that should not be there).
const TEMPORARY_NAMES: usize = 100;

/// Writes every `(name, bytes)` into `dir` (created if needed); the old files stay until all new
/// ones are complete. Returns the paths written.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut temporaries: Vec<PathBuf> = Vec::new();
    let written = (|| {
        // Each file is written and synced on a thread of its own: the disk takes most of the
        // time (18 ms to sync a 1 000-page book's PDF, 8 ms its EPUB), and it can take them at
        // once.
        let results: Vec<std::io::Result<PathBuf>> = std::thread::scope(|scope| {
            let threads: Vec<_> = files
                .iter()
                .skip(1)
                .map(|(name, bytes)| scope.spawn(move || write_temporary(dir, name, bytes)))
                .collect();
            let first = files
                .first()
                .map(|(name, bytes)| write_temporary(dir, name, bytes));
            first
                .into_iter()
                .chain(threads.into_iter().map(|t| {
                    t.join()
                        .unwrap_or_else(|_| Err(std::io::Error::other("a writing thread failed")))
                }))
                .collect()
        });
        // Every temporary made is removed if any failed.
        let mut failed = None;
        for result in results {
            match result {
                Ok(path) => temporaries.push(path),
                Err(err) => failed = failed.or(Some(err)),
            }
        }
        if let Some(err) = failed {
            return Err(err);
        }
        // A folder at a target's name would stop its rename half-way through the outputs.
        if let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).is_dir()) {
            return Err(std::io::Error::other(format!("{name} is a folder")));
        }
        let mut targets = Vec::new();
        for ((name, _), temporary) in files.iter().zip(&temporaries) {
            let target = dir.join(name);
            // A rename replaces a link at the target itself; it never writes through it.
            std::fs::rename(temporary, &target)?;
            targets.push(target);
        }
        Ok(targets)
    })();
    if written.is_err() {
        for temporary in &temporaries {
            let _ = std::fs::remove_file(temporary);
        }
    }
    written
}

/// Creates every `(path, bytes)` under `dir` (a path may hold `/`; the folders are made as
/// needed), each file created exclusively: none replaces a file or follows a link already there.
/// When one cannot be made, those made before it are removed, so a new manuscript is whole or
/// absent. Returns the paths written.
pub fn create_new_all(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<PathBuf>> {
    let mut made: Vec<PathBuf> = Vec::new();
    let result = (|| {
        for (name, bytes) in files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            made.push(path.clone());
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(made),
        Err(err) => {
            for path in &made {
                let _ = std::fs::remove_file(path);
            }
            Err(err)
        }
    }
}

/// A new temporary file beside `dir/name` holding `bytes`, created exclusively (`O_EXCL`): an
/// existing file or link at the name is never opened.
fn write_temporary(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let mut last = None;
    for n in 0..TEMPORARY_NAMES {
        let path = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let result = file.write_all(bytes).and_then(|()| file.sync_all());
                if let Err(err) = result {
                    let _ = std::fs::remove_file(&path);
                    return Err(err);
                }
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => last = Some(err),
            Err(err) => return Err(err),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no temporary file name is free")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_slugs_of_bounded_length() {
        assert_eq!(
            stem("Child Trafficking in Today’s Society"),
            "child-trafficking-in-todays-society"
        );
        assert_eq!(stem("???"), "book");
        let long = "Übersetzung ".repeat(60);
        let cut = stem(&long);
        assert!(
            cut.len() <= MAX_STEM_BYTES && cut.len() > MAX_STEM_BYTES / 2,
            "{cut}"
        );
        assert!(cut.ends_with("übersetzung"), "cut between words: {cut}");
        let one_word = "ж".repeat(500);
        assert!(stem(&one_word).len() <= MAX_STEM_BYTES);
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn new_files_never_replace_and_a_failure_leaves_none() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("a/b.txt".to_string(), b"1".to_vec()),
            ("c.txt".to_string(), b"2".to_vec()),
        ];
        let paths = create_new_all(dir.path(), &files).unwrap();
        assert_eq!(std::fs::read(&paths[0]).unwrap(), b"1");
        // Made again: c.txt is there, so a/b.txt (already there too) fails first, and nothing
        // of the second run stays.
        std::fs::remove_file(&paths[0]).unwrap();
        assert!(create_new_all(dir.path(), &files).is_err());
        assert!(
            !paths[0].exists(),
            "the file made before the failure is removed"
        );
        assert_eq!(std::fs::read(&paths[1]).unwrap(), b"2");
    }

    #[test]
    fn replaces_the_files_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &[("a.epub".into(), b"one".to_vec())]).unwrap();
        let paths = write_all(
            &out,
            &[
                ("a.epub".into(), b"two".to_vec()),
                ("a.pdf".into(), b"2".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(std::fs::read(&paths[0]).unwrap(), b"two");
        assert_eq!(names(&out), ["a.epub", "a.pdf"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_at_temporary_or_target_names_never_lead_outside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let outside = dir.path().join("outside.txt");
        std::fs::write(&outside, b"keep").unwrap();
        // A link where the first temporary file would go, and one at the target itself.
        let temporary = out.join(format!(".a.epub.{}.0.tmp", std::process::id()));
        std::os::unix::fs::symlink(&outside, &temporary).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("a.pdf")).unwrap();
        write_all(
            &out,
            &[
                ("a.epub".into(), b"new".to_vec()),
                ("a.pdf".into(), b"new".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(std::fs::read(&outside).unwrap(), b"keep");
        assert_eq!(std::fs::read(out.join("a.epub")).unwrap(), b"new");
        assert!(!out.join("a.pdf").is_symlink());
        assert_eq!(std::fs::read(out.join("a.pdf")).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_fails_leaves_every_old_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(
            &out,
            &[
                ("a.epub".into(), b"old".to_vec()),
                ("a.pdf".into(), b"old".to_vec()),
            ],
        )
        .unwrap();
        // The second output cannot be renamed into place: a folder stands at its name.
        std::fs::remove_file(out.join("a.pdf")).unwrap();
        std::fs::create_dir(out.join("a.pdf")).unwrap();
        std::fs::write(out.join("a.pdf").join("x"), b"").unwrap();
        let result = write_all(
            &out,
            &[
                ("a.epub".into(), b"new".to_vec()),
                ("a.pdf".into(), b"new".to_vec()),
            ],
        );
        assert!(result.is_err());
        assert_eq!(names(&out), ["a.epub", "a.pdf"]);
        assert_eq!(std::fs::read(out.join("a.epub")).unwrap(), b"old");
    }
}
