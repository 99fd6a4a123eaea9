//! Test manuscripts written from code: a `TestBook` (title, language, chapters, images, data,
//! fonts, more `book.toml` tables) in, a folder holding `book.toml` and those files out; and
//! `per_book!`, one test per book for a check run on several.
//!
//! The `book.toml` it writes always has the same shape, so a test may name a line of it:
//!
//! ```toml
//! [book]
//! title = "…"            # line 2
//! language = "en"        # line 3
//! identifier = "urn:…"   # line 4
//! date = "2024-01-01"    # line 5
//! authors = […]          # only when given, then rights
//! chapters = [ "chapters/one.md", … ]
//! …                      # the tables given to `toml`, as written
//! ```

use std::path::Path;

/// A manuscript to write: its `book.toml` settings and its files.
#[derive(Debug, Clone)]
pub struct TestBook {
    title: String,
    language: String,
    identifier: Option<String>,
    date: String,
    authors: Vec<String>,
    rights: Option<String>,
    /// The chapter paths `book.toml` lists, in order.
    chapters: Vec<String>,
    /// Every file besides `book.toml` (chapters included), as a path in the manuscript.
    files: Vec<(String, Vec<u8>)>,
    /// TOML written after the `[book]` table, as given.
    extra: String,
    /// `book.toml` word for word, in place of the one made from the settings.
    raw: Option<String>,
}

impl TestBook {
    /// A book in Arabic, which reads from right to left: the declaration fixture's Arabic
    /// chapter twice, seven pages with the bundled faces and the system's Arabic one.
    pub fn arabic() -> Self {
        let chapter = std::fs::read(
            super::root().join("tests/cases/system-fonts/declaration/chapters/arabic.md"),
        )
        .expect("the Arabic chapter");
        TestBook::new("الإعلان العالمي لحقوق الإنسان")
            .lang("ar")
            .rights("free of copyright")
            .chapter("one.md", chapter.clone())
            .chapter("two.md", chapter)
    }

    /// A book titled `title`, in English, dated 2024-01-01, with an identifier made from its
    /// title, and no chapters yet.
    pub fn new(title: &str) -> Self {
        TestBook {
            title: title.to_string(),
            language: "en".to_string(),
            identifier: None,
            date: "2024-01-01".to_string(),
            authors: Vec::new(),
            rights: None,
            chapters: Vec::new(),
            files: Vec::new(),
            extra: String::new(),
            raw: None,
        }
    }

    /// The book's language tag (written as given, valid or not).
    pub fn lang(mut self, tag: &str) -> Self {
        self.language = tag.to_string();
        self
    }

    /// The book's identifier, in place of the one made from its title.
    pub fn identifier(mut self, identifier: &str) -> Self {
        self.identifier = Some(identifier.to_string());
        self
    }

    /// The publication date (written as given, valid or not).
    pub fn date(mut self, date: &str) -> Self {
        self.date = date.to_string();
        self
    }

    /// One more author.
    pub fn author(mut self, name: &str) -> Self {
        self.authors.push(name.to_string());
        self
    }

    /// The rights statement.
    pub fn rights(mut self, rights: &str) -> Self {
        self.rights = Some(rights.to_string());
        self
    }

    /// A chapter: the file `chapters/<name>` with `text` (bytes, so that a test may write text
    /// that is not UTF-8), listed in `book.toml` after the chapters before it.
    pub fn chapter(mut self, name: &str, text: impl Into<Vec<u8>>) -> Self {
        let path = format!("chapters/{name}");
        self.chapters.push(path.clone());
        self.files.push((path, text.into()));
        self
    }

    /// A chapter path listed in `book.toml` with no file written for it: a missing chapter, or
    /// one outside the manuscript.
    pub fn list(mut self, path: &str) -> Self {
        self.chapters.push(path.to_string());
        self
    }

    /// Any other file (an image, a data file, a font…) at `path` in the manuscript.
    pub fn file(mut self, path: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.push((path.to_string(), bytes.into()));
        self
    }

    /// More of `book.toml` (tables such as `[pdf]`, `[appendix]`, `[profiles.<name>]`), written
    /// after the `[book]` table exactly as given.
    pub fn toml(mut self, text: &str) -> Self {
        self.extra.push_str(text);
        self
    }

    /// `book.toml` word for word, for a test whose point is a file the settings cannot make
    /// (malformed TOML, say); the other settings are then left out of it.
    pub fn raw_toml(mut self, text: &str) -> Self {
        self.raw = Some(text.to_string());
        self
    }

    /// The text of `book.toml`.
    pub fn toml_text(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.clone();
        }
        let identifier = self.identifier.clone().unwrap_or_else(|| {
            // FNV-1a of the title: each book its own identifier, the same in every run.
            let hash = self.title.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            format!(
                "urn:uuid:00000000-0000-4000-8000-{:012x}",
                hash & 0xffff_ffff_ffff
            )
        });
        let mut toml = format!(
            "[book]\ntitle = {}\nlanguage = {}\nidentifier = {}\ndate = {}\n",
            quoted(&self.title),
            quoted(&self.language),
            quoted(&identifier),
            quoted(&self.date),
        );
        if !self.authors.is_empty() {
            toml.push_str(&format!("authors = {}\n", list(&self.authors)));
        }
        if let Some(rights) = &self.rights {
            toml.push_str(&format!("rights = {}\n", quoted(rights)));
        }
        toml.push_str(&format!("chapters = {}\n", list(&self.chapters)));
        toml.push_str(&self.extra);
        toml
    }

    /// Writes the manuscript into `dir` (made if missing), replacing files of the same names.
    pub fn write_to(&self, dir: &Path) {
        std::fs::create_dir_all(dir).expect("make the manuscript folder");
        std::fs::write(dir.join("book.toml"), self.toml_text()).expect("write book.toml");
        for (path, bytes) in &self.files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().expect("a folder"))
                .unwrap_or_else(|e| panic!("make the folder of {}: {e}", path.display()));
            std::fs::write(&path, bytes)
                .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        }
    }

    /// Writes the manuscript into a new temporary folder, which it returns.
    pub fn write(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        self.write_to(dir.path());
        dir
    }
}

/// A TOML basic string holding `text`.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML array of strings on one line.
fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| quoted(item)).collect();
    format!("[{}]", items.join(", "))
}

/// Makes the module `$check` holding one test per book, each calling the function `$check`
/// (of the module it is used in) with that book's folder, so one book can be run by name
/// (`$check::$name`) and a failing one does not hide the others:
///
/// ```ignore
/// per_book!(two_builds_are_byte_identical:
///     sample => PathBuf::from("manuscript"),
///     features => fixture("features"),
/// );
/// ```
///
/// A book's expression may make a temporary folder (`TestBook::write().path()`): it lives
/// until the test's call returns.
#[allow(unused_macros)] // not every test file runs a check on several books
macro_rules! per_book {
    ($check:ident: $($name:ident => $book:expr),+ $(,)?) => {
        mod $check {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    super::$check(&$book);
                }
            )+
        }
    };
}
#[allow(unused_imports)]
pub(crate) use per_book;
