//! An mdBook project: its folder in (`book.toml`, `<src>/SUMMARY.md` and the chapter files it
//! lists), the book as written out ([`Loaded`]), read as mdBook reads it and never written to.
//!
//! Reading the project ([`load`]) gathers the SUMMARY's items and each chapter's text (its
//! `{{#…}}` directives expanded); [`loaded_from_items`] turns items whose chapters have their
//! text into the book, whoever read them.

pub mod config;
pub mod include;
pub mod render;
pub mod summary;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Loaded;
use crate::config::{ChapterEntry, Config};
use crate::diag::{Diagnostics, FileId, Location, SourceMap, Span};
use crate::lang::Direction;
use crate::load::{self, Manuscript};
use crate::model::{self, Block, BlockKind, Chapter, ChapterRole, Heading, HeadingLevel, Inline};
use crate::paths::PathProblem;
use summary::Item;

/// Whether `dir` is an mdBook project: its `book.toml` lists no chapters (`[book] chapters`
/// is inkfold's) and its source folder (`[book] src`, by default `src`) holds `SUMMARY.md`.
pub fn is_project(dir: &Path) -> bool {
    let Ok(Some(bytes)) = load::read_bounded(&dir.join("book.toml"), load::MAX_TEXT_BYTES) else {
        return false;
    };
    let Ok(table) = toml::from_str::<toml::Table>(&String::from_utf8_lossy(&bytes)) else {
        return false;
    };
    let book = table.get("book").and_then(|b| b.as_table());
    if book.is_some_and(|b| b.contains_key("chapters")) {
        return false;
    }
    let src = book
        .and_then(|b| b.get("src"))
        .and_then(|s| s.as_str())
        .unwrap_or("src");
    dir.join(src).join("SUMMARY.md").is_file()
}

/// How an mdBook's chapters become the book: settings the SUMMARY's items do not carry.
#[derive(Debug)]
pub struct Settings {
    /// The checked settings of `book.toml`.
    pub config: Config,
    /// The source folder: chapter paths are relative to it, and images resolve in it.
    pub src: Manuscript,
    /// Show mdBook's chapter numbers ("1.2. ") before chapter titles.
    pub section_numbers: bool,
    /// The direction of every chapter's text, when `text-direction` gives one.
    pub direction: Option<Direction>,
    /// How every chapter's Markdown is read (one value for the whole book: it counts the
    /// warnings given once per book).
    pub markdown: crate::markdown::Flavour,
    /// `SUMMARY.md`, where part titles come from.
    pub summary: FileId,
    /// Every file read (canonical paths).
    pub files: Vec<PathBuf>,
    /// The title in `book.toml`, when the file gives no language and mdBook's `en` is assumed.
    pub language_assumed: Option<Span>,
}

/// A project's settings as read, before its chapters: its folder, `book.toml` (read, not yet
/// checked against the chapters) and its source folder.
struct Opened {
    root: Manuscript,
    toml: config::BookToml,
    toml_path: PathBuf,
    src: Manuscript,
}

/// Opens the mdBook project in `dir`: its folder, `book.toml` and source folder; `None` when
/// nothing more can be done (the problems are in `diags`).
fn open(dir: &Path, map: &mut SourceMap, diags: &mut Diagnostics) -> Option<Opened> {
    let root = match Manuscript::open(dir) {
        Ok(root) if dir.is_dir() => root,
        _ => {
            diags
                .error(dir, "the mdBook folder does not exist or is not a folder")
                .hint(
                    "name the folder that holds the book's book.toml: inkfold build path/to/book",
                );
            return None;
        }
    };
    let toml_path = root.canonical.join("book.toml");
    let toml_file = load::read_source(&toml_path, root.display("book.toml"), map, diags)?;
    let text = map.get(toml_file).text.clone();
    let toml = config::read(toml_file, &text, diags)?;
    let src = source_folder(&root, &toml.src, toml.src_span, diags)?;
    Some(Opened {
        root,
        toml,
        toml_path,
        src,
    })
}

/// Reads the mdBook project in `dir` and builds the book from it; `None` when nothing more
/// can be done (the problems are in `diags`).
pub(super) fn load(
    dir: &Path,
    source_date_epoch: Option<&str>,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let opened = open(dir, map, diags)?;
    let src = &opened.src;
    let project = match include::Project::new(&opened.root.canonical, &src.canonical) {
        Ok(project) => project,
        Err(err) => {
            diags
                .error(
                    Location::Path(PathBuf::from(src.display(""))),
                    format!("the book's folders cannot be read: {err}"),
                )
                .hint("check that the book's folder and its source folder exist and can be read");
            return None;
        }
    };
    let summary_path = src.canonical.join("SUMMARY.md");
    let summary_file = load::read_source(&summary_path, src.display("SUMMARY.md"), map, diags)?;
    let summary_text = map.get(summary_file).text.clone();
    let items = summary::parse(summary_file, &summary_text, diags);

    let mut reading = Reading {
        src,
        project: &project,
        map,
        diags,
        texts: HashMap::new(),
        entries: Vec::new(),
        files: vec![opened.toml_path.clone(), summary_path],
        total: 0,
    };
    reading.chapters(&items);
    let Reading {
        texts,
        entries,
        mut files,
        total,
        ..
    } = reading;
    files.extend(project.files_read());
    load::check_total_text(
        total,
        Location::Path(PathBuf::from(src.display("SUMMARY.md"))),
        diags,
    );
    let read = Read {
        items,
        texts,
        entries,
        files,
        summary: summary_file,
    };
    finish(opened, read, source_date_epoch, map, diags)
}

/// What was read of a book's chapters, by the project reader or from mdBook's render context.
struct Read {
    items: Vec<Item>,
    /// The file holding each chapter's text, by its path relative to the source folder.
    texts: HashMap<String, FileId>,
    /// The chapters, for the settings (the profiles name them).
    entries: Vec<ChapterEntry>,
    /// Every file read (canonical paths).
    files: Vec<PathBuf>,
    /// `SUMMARY.md`, where part titles come from.
    summary: FileId,
}

/// The settings checked against the chapters, the appendix data read, and the book built from
/// the items.
fn finish(
    opened: Opened,
    read: Read,
    source_date_epoch: Option<&str>,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let Opened { mut toml, src, .. } = opened;
    let Read {
        items,
        texts,
        entries,
        mut files,
        summary,
    } = read;
    let section_numbers = toml.section_numbers;
    let direction = toml.direction;
    let language_assumed = toml.language_assumed;
    let markdown = crate::markdown::Flavour::MdBook(std::mem::take(&mut toml.markdown));
    let config = toml.settle(entries, source_date_epoch, diags)?;
    let data = match &config.appendix {
        Some(appendix) => load::read_listed(&src, &appendix.data, "data file", map, diags),
        None => Vec::new(),
    };
    files.extend(data.iter().map(|d| src.canonical.join(&d.path)));
    let data = super::parse_data(config.appendix.is_some(), &data, map, diags);
    let settings = Settings {
        config,
        src,
        section_numbers,
        direction,
        markdown,
        summary,
        files,
        language_assumed,
    };
    Some(loaded_from_items(
        &items, &texts, settings, data, map, diags,
    ))
}

/// Builds the book mdBook hands its renderer (`context`): the settings from the project's
/// `book.toml`, the chapters and their text (mdBook's preprocessors already applied) from the
/// context; `None` when nothing more can be done (the problems are in `diags`).
pub(super) fn load_rendered(
    context: &render::RenderContext,
    source_date_epoch: Option<&str>,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let opened = open(&context.root, map, diags)?;
    let src = &opened.src;
    // The SUMMARY mdBook read, for the places of part titles and drafts in messages.
    let summary_path = src.canonical.join("SUMMARY.md");
    let summary = load::read_source(&summary_path, src.display("SUMMARY.md"), map, diags)?;
    let mut files = vec![opened.toml_path.clone(), summary_path];
    let mut texts = HashMap::new();
    let mut entries = Vec::new();
    let items = render::items(
        &context.book.items,
        &render::Place { src, summary },
        &mut render::Gathered {
            map,
            texts: &mut texts,
            entries: &mut entries,
        },
        diags,
    )?;
    files.sort();
    files.dedup();
    let read = Read {
        items,
        texts,
        entries,
        files,
        summary,
    };
    finish(opened, read, source_date_epoch, map, diags)
}

/// The source folder `src` (relative to the project `root`, written at `at`), which must be
/// a folder inside the project.
fn source_folder(
    root: &Manuscript,
    src: &str,
    at: Span,
    diags: &mut Diagnostics,
) -> Option<Manuscript> {
    let relative = match crate::paths::join_relative("book.toml", src) {
        Ok(relative) => relative,
        Err(problem) => {
            let (message, _) = problem.describe("the source folder", src);
            diags
                .error(at, message)
                .hint("keep the chapters in a folder inside the book's folder: src = \"src\"");
            return None;
        }
    };
    let shown = root.shown.join(&relative);
    match Manuscript::open(&shown) {
        Ok(folder) if folder.canonical.starts_with(&root.canonical) && shown.is_dir() => {
            Some(folder)
        }
        _ => {
            diags
                .error(
                    at,
                    format!("the source folder `{src}` is not a folder inside the book's folder"),
                )
                .hint("name the folder that holds SUMMARY.md, relative to book.toml");
            None
        }
    }
}

/// The chapter files being read: into `map`, their directives expanded.
struct Reading<'a> {
    src: &'a Manuscript,
    project: &'a include::Project,
    map: &'a mut SourceMap,
    diags: &'a mut Diagnostics,
    /// The file holding each chapter's text, by its path (relative to the source folder,
    /// normalised).
    texts: HashMap<String, FileId>,
    /// The chapters, for the settings (the profiles name them).
    entries: Vec<ChapterEntry>,
    /// Every file read (canonical paths).
    files: Vec<PathBuf>,
    /// The bytes of chapter text read so far: past [`load::MAX_MANUSCRIPT_BYTES`] no more is
    /// read (the error is reported once, after reading), so a SUMMARY listing many large
    /// files costs no more than a book at the limit.
    total: u64,
}

impl Reading<'_> {
    /// Reads the file of every chapter in `items` (drafts have none), each once.
    fn chapters(&mut self, items: &[Item]) {
        for item in items {
            let Item::Chapter(entry) = item else {
                continue;
            };
            if let Some(path) = &entry.path {
                match crate::paths::join_relative("SUMMARY.md", path) {
                    Ok(relative) if self.texts.contains_key(&relative) => {}
                    _ => self.chapter(entry, path),
                }
                if let Ok(relative) = crate::paths::join_relative("SUMMARY.md", path) {
                    self.entries.push(ChapterEntry {
                        path: relative,
                        span: entry.span,
                        lang: None,
                        dir: None,
                    });
                }
            }
            self.chapters(&entry.children);
        }
    }

    /// Reads the chapter file `path` of `entry`. One that does not exist is read as
    /// `# {name}`, as `mdbook build` would create it.
    fn chapter(&mut self, entry: &summary::Entry, path: &str) {
        if self.total > load::MAX_MANUSCRIPT_BYTES {
            return;
        }
        let src = self.src;
        let (file, relative) = match src.resolve("SUMMARY.md", path) {
            Ok((absolute, relative)) => {
                let display = src.display(&relative);
                let Some(file) = load::read_source(&absolute, display, self.map, self.diags) else {
                    return;
                };
                self.files.push(absolute);
                (file, relative)
            }
            Err(PathProblem::Missing) => {
                let Ok(relative) = crate::paths::join_relative("SUMMARY.md", path) else {
                    return;
                };
                self.diags
                    .warning(
                        entry.span,
                        format!("the chapter file `{path}` does not exist; it is read as `# {}`, as mdBook would create it", entry.name),
                    )
                    .hint("write the chapter, or make it a draft: `[Title]()` lists it without a file");
                let stub = format!("# {}\n", entry.name);
                (self.map.add(src.display(&relative), stub), relative)
            }
            Err(problem) => {
                let (message, hint) = problem.describe("chapter file", path);
                self.diags.error(entry.span, message).hint(hint);
                return;
            }
        };
        let text = self.map.get(file).text.clone();
        let expanded = include::expand(self.project, &relative, file, &text, self.diags);
        let file = if expanded == text {
            file
        } else {
            // The expanded text is what the chapter's spans point into; the directives' own
            // problems point into the file as written.
            self.map.add(src.display(&relative), expanded)
        };
        self.total += self.map.get(file).text.len() as u64;
        self.texts.insert(relative, file);
    }
}

/// The book from mdBook's items, in reading order, each chapter's text in `map` under the
/// file `texts` gives for its path (relative to the source folder): a chapter's headings move
/// down by its depth in the SUMMARY (so a nested chapter nests), a part title becomes a
/// chapter of one level-1 heading (the part's chapters one level further down), a draft is
/// skipped with a warning (its children take its place), and a numbered chapter's title shows
/// its number unless the settings turn numbers off.
pub fn loaded_from_items(
    items: &[Item],
    texts: &HashMap<String, FileId>,
    settings: Settings,
    data: Vec<crate::data::Group>,
    map: &SourceMap,
    diags: &mut Diagnostics,
) -> Loaded {
    let mut builder = BookBuilder {
        texts,
        settings: &settings,
        map,
        diags,
        chapters: Vec::new(),
        ids: Vec::new(),
        built: Default::default(),
    };
    builder.items(items, 0, 0);
    let BookBuilder {
        mut chapters, ids, ..
    } = builder;
    for (chapter, id) in chapters.iter_mut().zip(crate::passes::ids::chapter_ids(
        ids.iter().map(String::as_str),
    )) {
        chapter.id = id;
    }
    if let Some(span) = settings.language_assumed {
        warn_of_assumed_language(&chapters, span, diags);
    }
    let config = settings.config;
    let book = super::book(config.meta, config.cover, chapters);
    Loaded {
        book,
        manuscript: settings.src,
        profile: config.profile,
        editions: config.editions,
        epub: config.epub,
        highlight: config.highlight,
        // mdBook writes such links as they are; the book is built as mdBook builds it.
        dangling: crate::passes::links::Dangling::Warn,
        appendix: config.appendix,
        data,
        fonts: Vec::new(),
        files: settings.files,
    }
}

/// How many letters a book's text needs before its script says anything of its language.
const LETTERS_TO_JUDGE: usize = 200;

/// Warns when a book that gives no language (so is taken as English, as mdBook takes it) is
/// mostly written in letters English is not: its readers' screen readers would read it in an
/// English voice, and Han characters would take no language's forms. The warning names the
/// script and the languages usually written in it.
fn warn_of_assumed_language(chapters: &[Chapter], span: Span, diags: &mut Diagnostics) {
    use unicode_script::{Script, UnicodeScript};
    let mut counts: HashMap<Script, usize> = HashMap::new();
    for chapter in chapters {
        chapter.walk(&mut |node| {
            if let model::walk::Node::Inline(Inline::Text(text)) = node {
                for c in text.chars().filter(|c| c.is_alphabetic()) {
                    *counts.entry(c.script()).or_default() += 1;
                }
            }
        });
    }
    let letters: usize = counts.values().sum();
    let latin = counts.get(&Script::Latin).copied().unwrap_or(0);
    if letters < LETTERS_TO_JUDGE || latin * 2 >= letters {
        return;
    }
    let count = |s: Script| counts.get(&s).copied().unwrap_or(0);
    let kana = count(Script::Hiragana) + count(Script::Katakana);
    let Some((&script, _)) = counts
        .iter()
        .filter(|(s, _)| !matches!(s, Script::Common | Script::Inherited | Script::Unknown))
        .max_by_key(|&(s, n)| (*n, std::cmp::Reverse(s.full_name())))
    else {
        return;
    };
    let examples = match script {
        _ if kana * 10 >= letters => "ja",
        Script::Han => "zh-CN for Simplified Chinese, zh-TW for Traditional, ja",
        Script::Hangul => "ko",
        Script::Cyrillic => "ru, uk, bg, sr",
        Script::Arabic => "ar, fa, ur",
        Script::Greek => "el",
        Script::Hebrew => "he",
        Script::Devanagari => "hi, mr, ne",
        Script::Thai => "th",
        _ => "its BCP 47 tag",
    };
    diags
        .warning(
            span,
            format!(
                "the book gives no language, so mdBook's `en` is used, but most of its letters are {}",
                script.full_name()
            ),
        )
        .hint(format!(
            "give it in [book]: language = \"…\" ({examples}); reading systems and screen readers then read the text in that language, and Han characters take its forms"
        ));
}

struct BookBuilder<'a, 'd> {
    texts: &'a HashMap<String, FileId>,
    settings: &'a Settings,
    map: &'a SourceMap,
    diags: &'d mut Diagnostics,
    chapters: Vec<Chapter>,
    /// What each chapter's id is made from: its path, or a part's title.
    ids: Vec<String>,
    /// The paths of the chapters built.
    built: std::collections::HashSet<String>,
}

impl BookBuilder<'_, '_> {
    /// The chapters of `items`, nested `depth` deep in the SUMMARY, under `part` part titles
    /// (0 or 1).
    fn items(&mut self, items: &[Item], depth: usize, mut part: usize) {
        for item in items {
            match item {
                Item::Separator => {}
                Item::PartTitle { title, span } => {
                    self.part(title, *span);
                    part = 1;
                }
                // A chapter without a number after the parts is a suffix chapter: in no part.
                Item::Chapter(entry) if entry.number.is_none() => {
                    part = 0;
                    self.entry(entry, depth, part);
                }
                Item::Chapter(entry) => self.entry(entry, depth, part),
            }
        }
    }

    /// A chapter and those nested under it, `depth` deep in the SUMMARY, in `part` parts.
    fn entry(&mut self, entry: &summary::Entry, depth: usize, part: usize) {
        match &entry.path {
            None => {
                self.diags
                    .warning(
                        entry.span,
                        format!(
                            "the draft chapter `{}` is skipped: it has no file",
                            entry.name
                        ),
                    )
                    .hint("give it a file when it is written: `[Title](file.md)`");
                self.items(&entry.children, depth, part);
            }
            Some(path) => {
                self.chapter(entry, path, depth + part);
                self.items(&entry.children, depth + 1, part);
            }
        }
    }

    /// A part title: a chapter of one level-1 heading, its id made from its title.
    fn part(&mut self, title: &str, span: Span) {
        let heading = Heading {
            level: HeadingLevel::H1,
            look: HeadingLevel::H1,
            id: crate::id::heading_id(title),
            explicit_id: false,
            lang: None,
            content: vec![Inline::Text(title.to_string())],
        };
        self.chapters.push(Chapter {
            id: String::new(),
            file: self.settings.summary,
            path: "SUMMARY.md".to_string(),
            role: ChapterRole::Body,
            title: title.to_string(),
            blocks: vec![Block {
                kind: BlockKind::Heading(heading),
                span,
            }],
            notes: Vec::new(),
            lang: None,
            dir: self.settings.direction,
        });
        self.ids.push(format!("{}.part", crate::id::slug(title)));
    }

    /// A chapter listed at `path`, its headings moved `shift` levels down.
    fn chapter(&mut self, entry: &summary::Entry, path: &str, shift: usize) {
        let Ok(relative) = crate::paths::join_relative("SUMMARY.md", path) else {
            return;
        };
        // A file that could not be read was reported when reading, one listed twice by the
        // SUMMARY's parser.
        let Some(&file) = self.texts.get(&relative) else {
            return;
        };
        if !self.built.insert(relative.clone()) {
            return;
        }
        let (map, markdown) = (&self.map, &self.settings.markdown);
        let parsed = self.diags.within(crate::diag::Section::Markdown, |diags| {
            crate::markdown::parse_chapter(file, &map.get(file).text, markdown, diags)
        });
        let mut blocks = parsed.blocks;
        if model::title_heading(&blocks).is_none() {
            self.diags
                .warning(Span::new(file, 0..0), format!("the chapter `{relative}` has no heading; its name in SUMMARY.md, `{}`, is its title", entry.name))
                .hint(format!("begin it with its title: `# {}`", entry.name));
            blocks.insert(
                0,
                Block {
                    kind: BlockKind::Heading(Heading {
                        level: HeadingLevel::H1,
                        look: HeadingLevel::H1,
                        id: crate::id::heading_id(&entry.name),
                        explicit_id: false,
                        lang: None,
                        content: vec![Inline::Text(entry.name.clone())],
                    }),
                    span: Span::new(file, 0..0),
                },
            );
        }
        shift_headings(&mut blocks, shift);
        if self.settings.section_numbers
            && let Some(number) = &entry.number
            && let Some(heading) = blocks.iter_mut().find_map(|b| match &mut b.kind {
                BlockKind::Heading(h) => Some(h),
                _ => None,
            })
        {
            heading
                .content
                .insert(0, Inline::Text(summary::number_label(number)));
        }
        // The chapter's name in the contents, the navigation and the running heads is its
        // name in SUMMARY.md, numbered, as mdBook's sidebar and page title give it; its own
        // heading opens its text as written. (The title heading is there: one was added above.)
        let number = match (&entry.number, self.settings.section_numbers) {
            (Some(number), true) => summary::number_label(number),
            _ => String::new(),
        };
        let title = format!("{number}{}", entry.name.trim());
        self.ids.push(relative.clone());
        self.chapters.push(Chapter {
            id: String::new(),
            file,
            path: relative,
            role: ChapterRole::Body,
            title,
            blocks,
            notes: parsed.notes,
            lang: None,
            dir: self.settings.direction,
        });
    }
}

/// Moves every heading `by` levels down, to level 6 at most.
fn shift_headings(blocks: &mut [Block], by: usize) {
    if by == 0 {
        return;
    }
    model::walk::tree_mut(blocks, &mut |node| {
        if let model::walk::NodeMut::Block(Block {
            kind: BlockKind::Heading(h),
            ..
        }) = node
        {
            let level = (usize::from(h.look.number()) + by).min(6);
            h.look = match level {
                1 => HeadingLevel::H1,
                2 => HeadingLevel::H2,
                3 => HeadingLevel::H3,
                4 => HeadingLevel::H4,
                5 => HeadingLevel::H5,
                _ => HeadingLevel::H6,
            };
            h.level = h.look;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A project in a temporary folder: `book.toml`, and the files given under `src/`.
    fn project(toml: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("book.toml"), toml).expect("book.toml");
        for (path, text) in files {
            let path = dir.path().join("src").join(path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
            std::fs::write(path, text).expect("a file");
        }
        dir
    }

    fn load_project(dir: &Path) -> (Option<Loaded>, Vec<String>) {
        let mut map = SourceMap::default();
        let mut diags = Diagnostics::default();
        let loaded = load(dir, Some("0"), &mut map, &mut diags);
        let problems = diags
            .resolve(&map)
            .into_iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    p.path.rsplit('/').next().unwrap_or_default(),
                    p.message
                )
            })
            .collect();
        (loaded, problems)
    }

    const TOML: &str = "[book]\ntitle = \"T\"\n\n[output.inkfold]\nidentifier = \"urn:isbn:1\"\nrights = \"CC0\"\n";

    #[test]
    fn detection_needs_a_summary_and_no_chapters_key() {
        let dir = project(TOML, &[("SUMMARY.md", "- [A](a.md)\n")]);
        assert!(is_project(dir.path()));
        std::fs::write(dir.path().join("book.toml"), "[book]\nchapters = []\n").expect("write");
        assert!(!is_project(dir.path()));
        let dir = project("[book]\nsrc = \"pages\"\n", &[("SUMMARY.md", "")]);
        assert!(!is_project(dir.path()));
        std::fs::rename(dir.path().join("src"), dir.path().join("pages")).expect("rename");
        assert!(is_project(dir.path()));
    }

    #[test]
    fn chapters_nest_and_number_as_the_summary_says() {
        let dir = project(
            TOML,
            &[
                (
                    "SUMMARY.md",
                    "[Intro](README.md)\n\n# Basics\n\n- [Install](install.md)\n  - [Linux](install/linux.md)\n  - [Later]()\n    - [Orphan](orphan.md)\n- [Missing](missing.md)\n",
                ),
                ("README.md", "# Welcome\n"),
                ("install.md", "# Install\n\n## Steps\n"),
                ("install/linux.md", "# Linux {#on-linux}\n"),
                ("orphan.md", "Text without a heading.\n"),
            ],
        );
        let (loaded, problems) = load_project(dir.path());
        let book = loaded.expect("a book").book;
        let shown: Vec<String> = book
            .chapters
            .iter()
            .map(|c| {
                let h = c.title_heading().expect("a heading");
                format!("{} {} #{} ({})", h.look.number(), c.title, h.id, c.path)
            })
            .collect();
        assert_eq!(
            shown,
            [
                "1 Intro #welcome (README.md)",
                "1 Basics #basics (SUMMARY.md)",
                "2 1. Install #install (install.md)",
                "3 1.1. Linux #on-linux (install/linux.md)",
                "3 1.2.1. Orphan #orphan (orphan.md)",
                "2 2. Missing #missing (missing.md)",
            ]
        );
        assert_eq!(
            problems,
            [
                "SUMMARY.md: the draft chapter `Later` is skipped: it has no file",
                "SUMMARY.md: the chapter file `missing.md` does not exist; it is read as `# Missing`, as mdBook would create it",
                "orphan.md: the chapter `orphan.md` has no heading; its name in SUMMARY.md, `Orphan`, is its title",
            ]
        );
        // Nothing was written into the project.
        assert!(!dir.path().join("src/missing.md").exists());
    }

    #[test]
    fn numbers_can_be_turned_off() {
        let dir = project(
            &format!("{TOML}section-numbers = false\n"),
            &[("SUMMARY.md", "- [One](one.md)\n"), ("one.md", "# One\n")],
        );
        let (loaded, problems) = load_project(dir.path());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(loaded.expect("a book").book.chapters[0].title, "One");
    }

    #[test]
    fn chapter_files_stay_inside_the_source_folder() {
        let dir = project(
            TOML,
            &[(
                "SUMMARY.md",
                "- [Out](../book.toml)\n- [Abs](/etc/passwd)\n",
            )],
        );
        let (_, problems) = load_project(dir.path());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains("is outside the manuscript folder"),
            "{problems:?}"
        );
        assert!(problems[1].contains("is an absolute path"), "{problems:?}");
    }
}
