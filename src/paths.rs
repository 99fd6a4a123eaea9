//! Path helpers for manuscript paths written with `/` separators (a path in; a part of it, or
//! the path normalised against the file that names it, out). A leaf module.

use std::path::{Component, Path};

/// The file name without its folders: `images/map.png` → `map.png`.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The file name without folders or extension: `chapters/08-conclusion.md` → `08-conclusion`.
pub fn file_stem(path: &str) -> &str {
    let name = file_name(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Why a path named in the manuscript cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub enum PathProblem {
    Absolute,
    Outside,
    Missing,
    NotAFile,
}

impl PathProblem {
    /// A message naming what was looked for, and a hint.
    pub fn describe(&self, what: &str, path: &str) -> (String, String) {
        match self {
            PathProblem::Absolute => (
                format!("{what} `{path}` is an absolute path"),
                "use a path relative to the file that names it, inside the manuscript folder".into(),
            ),
            PathProblem::Outside => (
                format!("{what} `{path}` is outside the manuscript folder"),
                "keep every file of the book inside the manuscript folder and refer to it from there".into(),
            ),
            PathProblem::Missing => (
                format!("{what} `{path}` does not exist"),
                "check the spelling of the path; it is relative to the file that names it".into(),
            ),
            PathProblem::NotAFile => (
                format!("{what} `{path}` is not a file"),
                "name a file, not a folder".into(),
            ),
        }
    }
}

/// Joins `path`, written in the file at `from`, to a normalised path relative to the manuscript
/// folder (`/`-separated), without touching the file system.
pub fn join_relative(from: &str, path: &str) -> Result<String, PathProblem> {
    if Path::new(path).is_absolute() || path.starts_with(['/', '\\']) {
        return Err(PathProblem::Absolute);
    }
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let mut parts: Vec<String> = Vec::new();
    for component in base.join(path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop().ok_or(PathProblem::Outside)?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return Err(PathProblem::Absolute),
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(file_stem("chapters/08-conclusion.md"), "08-conclusion");
        assert_eq!(file_stem("a.b.md"), "a.b");
        assert_eq!(file_stem("README"), "README");
    }

    #[test]
    fn paths_join_against_the_file_that_names_them() {
        assert_eq!(
            join_relative("chapters/a.md", "../images/map.png"),
            Ok("images/map.png".to_string())
        );
        assert_eq!(
            join_relative("book.toml", "./chapters//a.md"),
            Ok("chapters/a.md".to_string())
        );
        assert_eq!(
            join_relative("chapters/a.md", "../../secret.txt"),
            Err(PathProblem::Outside)
        );
        assert_eq!(
            join_relative("book.toml", "/etc/passwd"),
            Err(PathProblem::Absolute)
        );
    }
}
