//! Helpers shared by the integration tests: running the binary, building fixture books, and
//! reading files back out of an EPUB.

#![allow(dead_code)]

pub mod braille;
pub mod ebraille;
pub mod generate;
pub mod manuscript;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The package root; fixture paths are relative to it so messages in snapshots are stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder of the case `name` (under `tests/cases/<area>/`), relative to the package root.
pub fn fixture(name: &str) -> PathBuf {
    let cases = Path::new("tests/cases");
    std::fs::read_dir(root().join(cases))
        .expect("tests/cases")
        .map(|area| cases.join(area.expect("an area").file_name()).join(name))
        .find(|case| root().join(case).is_dir())
        .unwrap_or_else(|| panic!("no case named {name} in tests/cases"))
}

/// A manuscript taken through the whole pipeline in memory: parsed, checked and laid out, ready
/// for either backend.
pub struct Pipeline {
    pub book: inkfold::model::Book,
    pub map: inkfold::diag::SourceMap,
    pub epub_options: inkfold::config::EpubOptions,
    pub fonts: inkfold::layout::FontBook,
    pub doc: inkfold::layout::Document,
    /// Warnings (a pipeline with errors is not made).
    pub problems: Vec<inkfold::diag::Problem>,
}

/// Parses and lays out a manuscript with the bundled fonts only; the problems when it has
/// errors.
pub fn pipeline(manuscript: &Path) -> Result<Pipeline, Vec<inkfold::diag::Problem>> {
    pipeline_with(manuscript, false)
}

/// Parses and lays out a manuscript, with the bundled fonts only or (`book_fonts`) with the
/// fonts a build uses: the manuscript's `fonts/` and the system's.
pub fn pipeline_with(
    manuscript: &Path,
    book_fonts: bool,
) -> Result<Pipeline, Vec<inkfold::diag::Problem>> {
    let mut parsed = inkfold::parse(&inkfold::BookSource::open(manuscript), None);
    let Some(book) = parsed.book.take() else {
        return Err(parsed.diags.resolve(&parsed.map));
    };
    let fonts = if book_fonts {
        let fonts = std::mem::take(&mut parsed.fonts);
        inkfold::layout::fonts::for_book(
            &book,
            fonts,
            &mut inkfold::layout::fonts::SystemFonts::default(),
            &mut parsed.diags,
        )
        .expect("fonts")
    } else {
        inkfold::layout::FontBook::load().expect("the bundled fonts load")
    };
    let doc = inkfold::layout::layout(
        &book,
        &parsed.profile,
        &fonts,
        &parsed.map,
        &mut parsed.diags,
        inkfold::layout::Missing::Error,
    );
    let problems = parsed.diags.resolve(&parsed.map);
    if problems
        .iter()
        .any(|p| p.severity == inkfold::diag::Severity::Error)
    {
        return Err(problems);
    }
    Ok(Pipeline {
        book,
        map: parsed.map,
        epub_options: parsed.epub,
        fonts,
        doc,
        problems,
    })
}

impl Pipeline {
    /// Every file of the EPUB package, with the print page numbers.
    pub fn epub_files(&self) -> Vec<inkfold::render::epub::EpubFile> {
        inkfold::render::epub::files(
            &self.book,
            &self.epub_options,
            &self.fonts,
            &self.doc.page_map.starts,
        )
    }

    /// One file of the EPUB package as text.
    pub fn epub_text(&self, path: &str) -> String {
        let file = self
            .epub_files()
            .into_iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} in the package"));
        String::from_utf8(file.bytes).expect("utf-8")
    }

    /// The PDF's bytes.
    pub fn pdf(&self) -> Vec<u8> {
        inkfold::render::pdf::write(&self.book, &self.doc, &self.fonts).expect("a PDF")
    }
}

/// Runs `inkfold` with `args` in the package root.
pub fn inkfold(args: &[&str]) -> Output {
    inkfold_with_env(args, &[])
}

pub fn inkfold_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inkfold"));
    command
        .args(args)
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run inkfold")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds one format of a manuscript into a new temporary folder; returns the folder and the
/// file written.
pub fn build(manuscript: &Path, format: &str) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("temp dir");
    let output = inkfold(&[
        "build",
        manuscript.to_str().expect("utf-8 path"),
        "--out",
        out.path().to_str().expect("utf-8 path"),
        "--format",
        format,
    ]);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        stderr(&output)
    );
    let file = std::fs::read_dir(out.path())
        .expect("read output")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == format))
        .unwrap_or_else(|| panic!("a .{format} in the output folder"));
    (out, file)
}

/// Builds a manuscript with more arguments (`--profile`, `--format`…) into a new temporary
/// folder, which it returns; the build must succeed.
pub fn build_with(manuscript: &Path, args: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let mut all = vec![
        "build",
        manuscript.to_str().expect("utf-8 path"),
        "--out",
        out.path().to_str().expect("utf-8 path"),
    ];
    all.extend(args);
    let output = inkfold(&all);
    assert!(
        output.status.success(),
        "build {args:?} failed:\n{}",
        stderr(&output)
    );
    out
}

/// Copies the folder `from` into `to`, recursively, leaving out snapshots (`.snap`): a copy of
/// a fixture is its manuscript.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.path().extension().is_none_or(|e| e != "snap") {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn build_epub(manuscript: &Path) -> (tempfile::TempDir, PathBuf) {
    build(manuscript, "epub")
}

pub fn build_pdf(manuscript: &Path) -> (tempfile::TempDir, PathBuf) {
    build(manuscript, "pdf")
}

/// Options to parse XHTML (which starts with `<!DOCTYPE html>`) with roxmltree.
pub fn xml_options<'input>() -> roxmltree::ParsingOptions<'input> {
    roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: u32::MAX,
        ..Default::default()
    }
}

/// The names of the entries of a zip, in order.
pub fn zip_names(epub: &Path) -> Vec<String> {
    let file = std::fs::File::open(epub).expect("open epub");
    let mut zip = zip::ZipArchive::new(file).expect("read zip");
    (0..zip.len())
        .map(|i| {
            zip.by_index(i)
                .expect("entry")
                .name()
                .expect("entry name")
                .to_string()
        })
        .collect()
}

/// One entry of a zip as text.
pub fn zip_text(epub: &Path, name: &str) -> String {
    let file = std::fs::File::open(epub).expect("open epub");
    let mut zip = zip::ZipArchive::new(file).expect("read zip");
    let mut entry = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the EPUB"));
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("utf-8 entry");
    text
}

/// Every file under a folder with its bytes, for "nothing changed" checks.
pub fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(snapshot_dir(&path));
            } else {
                files.push((path.clone(), std::fs::read(&path).expect("read file")));
            }
        }
    }
    files.sort();
    files
}

/// What an SVG in an EPUB must never hold, found by parsing it: a processing instruction, a
/// comment, a script, an event handler, a `foreignObject`, animation, or a reference that is
/// not to a `#fragment` of itself, a web address on a link, or an embedded PNG, JPEG or SVG
/// (which is checked the same way). Empty when the SVG is clean.
pub fn svg_leaks(svg: &str) -> Vec<String> {
    use base64::Engine as _;
    let doc = match roxmltree::Document::parse(svg) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("not well-formed: {e}")],
    };
    let mut leaks = Vec::new();
    for node in doc.descendants() {
        if node.is_pi() || node.is_comment() {
            leaks.push(format!("{:?}", node.node_type()));
        }
        let name = node.tag_name().name().to_ascii_lowercase();
        if node.is_element()
            && (name == "script"
                || name == "foreignobject"
                || name.starts_with("animate")
                || name == "set")
        {
            leaks.push(format!("<{name}>"));
        }
        let style_sheet = if name == "style" { node.text() } else { None };
        let values = node
            .attributes()
            .map(|a| (a.name().to_ascii_lowercase(), a.value()))
            .chain(style_sheet.map(|t| (String::from("style"), t)));
        for (key, value) in values {
            let lower = value.to_ascii_lowercase();
            if key.starts_with("on") {
                leaks.push(format!("handler {key}"));
            }
            if lower.contains('\\') && key == "style" || lower.contains("@import") {
                leaks.push(format!("escape or import in {value}"));
            }
            for (at, _) in lower.match_indices("url(") {
                let argument = lower[at + 4..].trim_start_matches([' ', '"', '\'']);
                if !argument.starts_with('#') {
                    leaks.push(format!("url() in {value}"));
                }
            }
            if key != "href" {
                continue;
            }
            let value = value.trim();
            if value.starts_with('#')
                || (name == "a" && (value.starts_with("https:") || value.starts_with("mailto:")))
            {
                continue;
            }
            let embedded = value
                .strip_prefix("data:image/svg+xml;base64,")
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
            match embedded {
                Some(bytes) => leaks.extend(svg_leaks(&String::from_utf8_lossy(&bytes))),
                None if value.starts_with("data:image/png;base64,")
                    || value.starts_with("data:image/jpeg;base64,") => {}
                None => leaks.push(format!("reference {value}")),
            }
        }
    }
    leaks
}

/// The leaks of every SVG among a package's files.
pub fn svg_leaks_in<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<String> {
    files
        .into_iter()
        .filter(|(path, _)| path.ends_with(".svg"))
        .flat_map(|(path, bytes)| {
            svg_leaks(&String::from_utf8_lossy(bytes))
                .into_iter()
                .map(move |leak| format!("{path}: {leak}"))
        })
        .collect()
}
