//! Book sources: where a book comes from in; the book as written (chapters with their titles,
//! in reading order, not yet through the passes), its settings, its appendix data, its font
//! files and the list of every file read out. Loading the files and building the model from
//! them are this one stage, with one entry point: [`BookSource::load`].
//!
//! A book comes from an inkfold manuscript, a folder with `book.toml` listing its chapters
//! ([`manuscript`], with [`crate::load`]), or from an mdBook project, a folder with `book.toml`
//! and `src/SUMMARY.md` ([`mdbook`]).

mod manuscript;
pub mod mdbook;

use std::path::{Path, PathBuf};

use crate::config::{AppendixConfig, EpubOptions};
use crate::data::Group;
use crate::diag::FileId;
use crate::diag::{self, Diagnostics, Section, SourceMap};
use crate::load::{FontSource, Manuscript};
use crate::model::{self, Book, plain_text};
use crate::profile::{Edition, Profile};

/// Where a book comes from.
#[derive(Debug, Clone)]
pub enum BookSource {
    /// An inkfold manuscript: a folder holding `book.toml`, which lists the chapters.
    Manuscript(PathBuf),
    /// An mdBook project: a folder holding `book.toml` and, in its source folder, `SUMMARY.md`,
    /// which lists the chapters.
    MdBook(PathBuf),
    /// An mdBook project as `mdbook build` hands it to its renderer: the chapters' text (every
    /// preprocessor applied) in the render context, the settings in the project's `book.toml`.
    MdBookRender(std::sync::Arc<mdbook::render::RenderContext>),
}

/// A book as its source gives it: the model built from the files, before the passes check and
/// complete it, and everything else read with it.
#[derive(Debug)]
pub struct Loaded {
    /// The chapters with their titles, in reading order; the passes come next.
    pub book: Book,
    /// The folder the book's relative paths (images) resolve in.
    pub manuscript: Manuscript,
    /// The `[pdf]` settings: the default print profile, that of the `book` edition.
    pub profile: Profile,
    /// Every edition the book can be printed in, the `book` first.
    pub editions: Vec<Edition>,
    pub epub: EpubOptions,
    /// Code blocks with a language are highlighted.
    pub highlight: bool,
    /// What becomes of a link to a place the book does not have.
    pub dangling: crate::passes::links::Dangling,
    /// The appendix generated from data, if the book has one, and its lists of organisations.
    pub appendix: Option<AppendixConfig>,
    pub data: Vec<Group>,
    /// The font files the book brings.
    pub fonts: Vec<FontSource>,
    /// Every file read (canonical paths); the passes add the images they read.
    pub files: Vec<PathBuf>,
}

impl BookSource {
    /// The book in the folder `dir`: an mdBook project when its `book.toml` lists no chapters
    /// and its source folder (`[book] src`, by default `src`) holds `SUMMARY.md`; otherwise an
    /// inkfold manuscript (whose problems loading reports).
    pub fn open(dir: impl Into<PathBuf>) -> BookSource {
        let dir = dir.into();
        if mdbook::is_project(&dir) {
            BookSource::MdBook(dir)
        } else {
            BookSource::Manuscript(dir)
        }
    }

    /// The folder the book is in, as the user named it.
    pub fn dir(&self) -> &Path {
        match self {
            BookSource::Manuscript(dir) | BookSource::MdBook(dir) => dir,
            BookSource::MdBookRender(context) => &context.root,
        }
    }

    /// Reads the book's files into `map` and builds the model from them; `None` when nothing
    /// more can be done (the problems are in `diags`). `source_date_epoch` is the value of
    /// `SOURCE_DATE_EPOCH`, if set.
    pub fn load(
        &self,
        source_date_epoch: Option<&str>,
        map: &mut SourceMap,
        diags: &mut Diagnostics,
    ) -> Option<Loaded> {
        // What is wrong in loading is wrong in the settings, unless a stage says otherwise.
        match self {
            BookSource::Manuscript(dir) => diags.within(Section::BookToml, |diags| {
                manuscript::load(dir, source_date_epoch, map, diags)
            }),
            BookSource::MdBook(dir) => diags.within(Section::FromMdBook, |diags| {
                mdbook::load(dir, source_date_epoch, map, diags)
            }),
            BookSource::MdBookRender(context) => diags.within(Section::FromMdBook, |diags| {
                mdbook::load_rendered(context, source_date_epoch, map, diags)
            }),
        }
    }
}

/// The appendix's lists of organisations from its data files (`sources`, read into `map`);
/// without an appendix (`appendix` false), data files are not the book's, and none is read.
fn parse_data(
    appendix: bool,
    sources: &[crate::load::ChapterSource],
    map: &SourceMap,
    diags: &mut Diagnostics,
) -> Vec<Group> {
    if !appendix {
        return Vec::new();
    }
    diags.within(Section::AppendixData, |diags| {
        sources
            .iter()
            .filter_map(|source| crate::data::parse(source.file, &map.get(source.file).text, diags))
            .collect()
    })
}

/// The book a source read: its chapters under the settings' metadata, with the cover image
/// `book.toml` names (its path and alt text), before the passes.
fn book(
    meta: model::meta::Meta,
    cover: Option<(crate::config::ChapterEntry, String)>,
    chapters: Vec<model::Chapter>,
) -> Book {
    Book {
        meta,
        chapters,
        assets: Vec::new(),
        cover: cover.map(|(entry, alt)| model::Image {
            src: entry.path,
            alt: model::Alt::Text(alt),
            asset: None,
            span: entry.span,
        }),
    }
}

/// The text of the chapter's title heading (its first, of whatever level); a chapter without
/// one is an error, since a file name is no title to show or speak.
fn chapter_title(
    blocks: &[model::Block],
    file: FileId,
    path: &str,
    diags: &mut Diagnostics,
) -> String {
    let title = model::title_heading(blocks).map(|h| plain_text(&h.content).trim().to_string());
    if title.is_none() {
        diags
            .error(
                diag::Span::new(file, 0..0),
                format!("the chapter `{path}` has no heading, so it has no title"),
            )
            .see(Section::Markdown)
            .hint("begin it with its title as a heading: `# Getting Started`, or `## …` for a part of the chapter before it");
    }
    title.unwrap_or_default()
}
