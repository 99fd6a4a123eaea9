//! Loading: a manuscript folder in, its settings and chapter texts out ([`Sources`]).
//!
//! Every path the manuscript names is resolved here or with [`Manuscript::resolve`], which
//! refuses anything that leads outside the manuscript folder, through `..`, an absolute path or
//! a symbolic link.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diag::{Diagnostics, FileId, Location, SourceMap, Span};
use crate::paths::{PathProblem, join_relative};

/// The manuscript folder: as the user named it (for messages) and as a canonical path (for checks).
#[derive(Debug, Clone)]
pub struct Manuscript {
    pub shown: PathBuf,
    pub canonical: PathBuf,
}

/// A chapter file, read.
#[derive(Debug, Clone)]
pub struct ChapterSource {
    pub file: FileId,
    /// Relative to the manuscript folder, with `/` separators.
    pub path: String,
    /// The language and direction `book.toml` gives the chapter, if any.
    pub lang: Option<crate::lang::Lang>,
    pub dir: Option<crate::lang::Direction>,
}

/// Everything read from the manuscript folder.
#[derive(Debug)]
pub struct Sources {
    pub manuscript: Manuscript,
    pub config: Config,
    pub chapters: Vec<ChapterSource>,
    /// The appendix's data files, in the order book.toml lists them.
    pub data: Vec<ChapterSource>,
    /// The font files of the manuscript's `fonts/` folder, by name.
    pub fonts: Vec<FontSource>,
}

/// A font file the manuscript brings.
#[derive(Debug, Clone)]
pub struct FontSource {
    /// The path as shown to the user.
    pub display: String,
    /// The file name.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The largest font file read (the largest Noto CJK collections are about 20 MB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// The most font files `fonts/` may hold: a book needs a few (a script or two the bundled
/// fonts lack, a Nastaliq face); each is read and parsed, so a folder of hundreds is refused.
pub const MAX_FONT_FILES: usize = 64;

/// The most bytes the font files of `fonts/` may hold together: a dozen of the largest CJK
/// collections (about 20 MB each). Every file is held in memory through the build; 40 large
/// fonts once took 830 MB.
pub const MAX_FONTS_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// The largest text file read (a chapter, a data file, `book.toml`): 8 MiB holds a 4 000-page
/// book in one file (the whole King James Bible is 4.3 MB), and every stage's time and memory
/// grow with it (a build takes about 80 bytes of memory per byte of prose).
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// The most text a manuscript's chapters may hold together: four files at the limit, some
/// 16 000 pages, which builds in well under a minute and under 3 GB.
pub const MAX_MANUSCRIPT_BYTES: u64 = 4 * MAX_TEXT_BYTES;

/// The largest image file read: a 50-million-pixel PNG (the pixel limit) of a photograph is
/// about this size; a larger file holds more than its pixels.
pub const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads at most `max` bytes of a file; a larger file is `None`, without reading more than
/// one byte past the limit (so a file that grows or lies about its size costs no more).
pub fn read_bounded(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

/// A byte count for messages: whole MiB when it is, bytes otherwise.
pub fn show_bytes(bytes: u64) -> String {
    if bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

impl Manuscript {
    pub fn open(dir: &Path) -> std::io::Result<Manuscript> {
        Ok(Manuscript {
            shown: dir.to_path_buf(),
            canonical: dir.canonicalize()?,
        })
    }

    /// The path to show for a file given relative to the manuscript folder.
    pub fn display(&self, relative: &str) -> String {
        self.shown.join(relative).display().to_string()
    }

    /// Resolves `path`, written in the file at `from` (relative to the manuscript folder), to a
    /// file inside the manuscript folder; returns its absolute and its manuscript-relative path.
    pub fn resolve(&self, from: &str, path: &str) -> Result<(PathBuf, String), PathProblem> {
        // Lexically first, so `../../x` is "outside" whether or not it exists.
        let lexical = join_relative(from, path)?;
        // Then the real file, through any symbolic links.
        let absolute = self
            .canonical
            .join(&lexical)
            .canonicalize()
            .map_err(|_| PathProblem::Missing)?;
        let relative = absolute
            .strip_prefix(&self.canonical)
            .map_err(|_| PathProblem::Outside)?;
        if !absolute.is_file() {
            return Err(PathProblem::NotAFile);
        }
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        Ok((absolute, relative))
    }
}

/// Reads `book.toml` and the chapters it lists. Returns `None` when nothing more can be done.
pub fn load(
    dir: &Path,
    source_date_epoch: Option<&str>,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Sources> {
    let manuscript = match Manuscript::open(dir) {
        Ok(m) if dir.is_dir() => m,
        _ => {
            diags
                .error(dir, "the manuscript folder does not exist or is not a folder")
                .hint("run inkfold in the folder that holds `manuscript/` or in the book's own folder (holding book.toml), or name the manuscript folder: inkfold build path/to/manuscript");
            return None;
        }
    };
    let toml_path = manuscript.canonical.join("book.toml");
    if !toml_path.is_file() {
        diags
            .error(
                Location::Path(dir.join("book.toml")),
                "the manuscript folder has no book.toml",
            )
            .hint("create book.toml with the book's title, language and chapters; see the README");
        return None;
    }
    let book_file = read_source(&toml_path, manuscript.display("book.toml"), map, diags)?;
    let text = map.get(book_file).text.clone();
    let config = config::parse(book_file, &text, source_date_epoch, diags)?;

    let chapters = read_listed(&manuscript, &config.chapters, "chapter file", map, diags);
    let total: u64 = chapters
        .iter()
        .map(|c| map.get(c.file).text.len() as u64)
        .sum();
    check_total_text(
        total,
        Location::Path(PathBuf::from(manuscript.display("book.toml"))),
        diags,
    );
    let data_entries = config
        .appendix
        .as_ref()
        .map(|a| a.data.as_slice())
        .unwrap_or_default();
    let data = read_listed(&manuscript, data_entries, "data file", map, diags);
    let fonts = diags.within(crate::diag::Section::Fonts, |diags| {
        read_fonts(&manuscript, diags)
    });
    Some(Sources {
        manuscript,
        config,
        chapters,
        data,
        fonts,
    })
}

/// Reports chapters that hold more than [`MAX_MANUSCRIPT_BYTES`] of text together (`total`),
/// at the file that lists them (`at`).
pub(crate) fn check_total_text(total: u64, at: Location, diags: &mut Diagnostics) {
    if total > MAX_MANUSCRIPT_BYTES {
        diags
            .error(
                at,
                format!(
                    "the chapters hold {total} bytes of text together, more than the {} inkfold builds at once",
                    show_bytes(MAX_MANUSCRIPT_BYTES)
                ),
            )
            .hint("make several books of it (one book.toml each), such as one per volume");
    }
}

/// Reads the font files (`.ttf`, `.otf`, `.ttc`) of the manuscript's `fonts/` folder, in name
/// order; each must stay inside the manuscript and be at most [`MAX_FONT_BYTES`].
fn read_fonts(manuscript: &Manuscript, diags: &mut Diagnostics) -> Vec<FontSource> {
    let Ok(entries) = std::fs::read_dir(manuscript.canonical.join("fonts")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            [".ttf", ".otf", ".ttc"]
                .iter()
                .any(|ext| lower.ends_with(ext))
        })
        .collect();
    names.sort();
    if names.len() > MAX_FONT_FILES {
        diags
            .error(
                Location::Path(PathBuf::from(manuscript.display("fonts"))),
                format!(
                    "`fonts/` holds {} font files, more than the {MAX_FONT_FILES} a book may bring",
                    names.len()
                ),
            )
            .hint("keep in fonts/ only the fonts the book needs");
        return Vec::new();
    }
    let mut fonts = Vec::new();
    let mut total: u64 = 0;
    for name in names {
        let relative = format!("fonts/{name}");
        let display = manuscript.display(&relative);
        let left = MAX_FONTS_TOTAL_BYTES.saturating_sub(total);
        let read = manuscript
            .resolve("book.toml", &relative)
            .map_err(|problem| problem.describe("font file", &relative))
            .and_then(
                |(absolute, _)| match read_bounded(&absolute, MAX_FONT_BYTES.min(left)) {
                    Ok(Some(bytes)) => Ok(bytes),
                    Ok(None) if left < MAX_FONT_BYTES => Err((
                        format!(
                            "font file `{relative}` takes the fonts in fonts/ past {} together",
                            show_bytes(MAX_FONTS_TOTAL_BYTES)
                        ),
                        "keep in fonts/ only the fonts the book needs".into(),
                    )),
                    Ok(None) => Err((
                        format!(
                            "font file `{relative}` is larger than {}",
                            show_bytes(MAX_FONT_BYTES)
                        ),
                        "use a font file of the script you need rather than a large collection"
                            .into(),
                    )),
                    Err(err) => Err((
                        format!("cannot read font file `{relative}`: {err}"),
                        "check that the file is readable".into(),
                    )),
                },
            );
        match read {
            Ok(bytes) => {
                total += bytes.len() as u64;
                fonts.push(FontSource {
                    display,
                    name,
                    bytes,
                });
            }
            Err((message, hint)) => {
                diags
                    .error(Location::Path(PathBuf::from(display)), message)
                    .hint(hint);
            }
        }
    }
    fonts
}

/// Reads the files `book.toml` lists (chapters, data files), each once.
pub(crate) fn read_listed(
    manuscript: &Manuscript,
    entries: &[crate::config::ChapterEntry],
    what: &str,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Vec<ChapterSource> {
    let mut sources: Vec<ChapterSource> = Vec::new();
    for entry in entries {
        match manuscript.resolve("book.toml", &entry.path) {
            Ok((absolute, relative)) => {
                if sources.iter().any(|c| c.path == relative) {
                    diags
                        .error(
                            entry.span,
                            format!("{what} `{}` is listed twice", entry.path),
                        )
                        .hint("list each file once");
                    continue;
                }
                if let Some(file) =
                    read_source(&absolute, manuscript.display(&relative), map, diags)
                {
                    sources.push(ChapterSource {
                        file,
                        path: relative,
                        lang: entry.lang.clone(),
                        dir: entry.dir,
                    });
                }
            }
            Err(problem) => {
                let (message, hint) = problem.describe(what, &entry.path);
                diags.error(entry.span, message).hint(hint);
            }
        }
    }
    sources
}

/// Reads a UTF-8 text file into the source map; a byte-order mark is dropped.
pub(crate) fn read_source(
    path: &Path,
    display: String,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<FileId> {
    let bytes = match read_bounded(path, MAX_TEXT_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            diags
                .error(
                    Location::Path(PathBuf::from(&display)),
                    format!("the file is larger than {}", show_bytes(MAX_TEXT_BYTES)),
                )
                .hint("split it into several chapter files, listed in order in book.toml (a file that opens with `##` continues the chapter before it)");
            return None;
        }
        Err(err) => {
            diags
                .error(
                    Location::Path(PathBuf::from(&display)),
                    format!("cannot read the file: {err}"),
                )
                .hint("check that the file exists and is readable");
            return None;
        }
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(map.add(display, text.to_string())),
        Err(err) => {
            let offset = err.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let file = map.add(display, lossy);
            diags
                .error(Span::new(file, offset..offset + 1), "the file is not valid UTF-8")
                .hint("save the file as UTF-8 text (most editors offer this under \"Save As\" or \"Encoding\")");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manuscript() -> (tempfile::TempDir, Manuscript) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ms/chapters")).unwrap();
        std::fs::write(dir.path().join("ms/chapters/a.md"), "# A\n").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        let ms = Manuscript::open(&dir.path().join("ms")).expect("manuscript");
        (dir, ms)
    }

    #[test]
    fn paths_resolve_inside_only() {
        let (_dir, ms) = manuscript();
        assert_eq!(
            ms.resolve("book.toml", "chapters/a.md").map(|r| r.1),
            Ok("chapters/a.md".to_string())
        );
        assert_eq!(
            ms.resolve("chapters/a.md", "./a.md").map(|r| r.1),
            Ok("chapters/a.md".to_string())
        );
        assert_eq!(
            ms.resolve("book.toml", "../secret.txt"),
            Err(PathProblem::Outside)
        );
        assert_eq!(
            ms.resolve("chapters/a.md", "../../../../etc/passwd"),
            Err(PathProblem::Outside)
        );
        assert_eq!(
            ms.resolve("book.toml", "/etc/passwd"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(
            ms.resolve("book.toml", "nope.md"),
            Err(PathProblem::Missing)
        );
        assert_eq!(
            ms.resolve("book.toml", "chapters"),
            Err(PathProblem::NotAFile)
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_manuscript_are_refused() {
        let (dir, ms) = manuscript();
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            dir.path().join("ms/link.txt"),
        )
        .expect("symlink");
        assert_eq!(
            ms.resolve("book.toml", "link.txt"),
            Err(PathProblem::Outside)
        );
    }
}
