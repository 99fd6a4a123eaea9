//! Book sources: where a book comes from in; the book as written (chapters with their titles,
//! in reading order, not yet through the passes), its settings, its appendix data, its font
//! files and the list of every file read out. Loading the files and building the model from
//! them are this one stage, with one entry point: [`BookSource::load`].
//!
//! Today a book comes from an inkfold manuscript: a folder with `book.toml` listing its
//! chapters ([`crate::load`] reads it).

pub mod mdbook;

use std::path::{Path, PathBuf};

use crate::config::{AppendixConfig, EpubOptions};
use crate::data::Group;
use crate::diag::{self, Diagnostics, SourceMap};
use crate::load::{self, ChapterSource, FontSource, Manuscript};
use crate::model::{self, Book, Chapter, ChapterRole, plain_text};
use crate::profile::{Edition, Profile};

/// Where a book comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookSource {
    /// An inkfold manuscript: a folder holding `book.toml`, which lists the chapters.
    Manuscript(PathBuf),
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
    /// The appendix generated from data, if the book has one, and its lists of organisations.
    pub appendix: Option<AppendixConfig>,
    pub data: Vec<Group>,
    /// The font files the book brings.
    pub fonts: Vec<FontSource>,
    /// Every file read (canonical paths); the passes add the images they read.
    pub files: Vec<PathBuf>,
}

impl BookSource {
    /// The book in the folder `dir`.
    pub fn open(dir: impl Into<PathBuf>) -> BookSource {
        BookSource::Manuscript(dir.into())
    }

    /// The folder the book is in, as the user named it.
    pub fn dir(&self) -> &Path {
        match self {
            BookSource::Manuscript(dir) => dir,
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
        match self {
            BookSource::Manuscript(dir) => manuscript(dir, source_date_epoch, map, diags),
        }
    }
}

/// An inkfold manuscript: `book.toml`, the chapters it lists, the appendix's data files and
/// the fonts of `fonts/`.
fn manuscript(
    dir: &Path,
    source_date_epoch: Option<&str>,
    map: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let sources = load::load(dir, source_date_epoch, map, diags)?;
    let config = sources.config;
    let ids = crate::passes::ids::chapter_ids(sources.chapters.iter().map(|c| c.path.as_str()));
    let mut chapters = Vec::new();
    for (source, id) in sources.chapters.iter().zip(ids) {
        let parsed = crate::markdown::parse_chapter(source.file, &map.get(source.file).text, diags);
        chapters.push(Chapter {
            id,
            file: source.file,
            path: source.path.clone(),
            role: ChapterRole::Body,
            title: chapter_title(&parsed.blocks, source, diags),
            blocks: parsed.blocks,
            notes: parsed.notes,
            lang: source.lang.clone(),
            dir: source.dir,
        });
    }
    let book = Book {
        meta: config.meta,
        chapters,
        assets: Vec::new(),
        cover: config.cover.map(|(entry, alt)| model::Image {
            src: entry.path,
            alt: model::Alt::Text(alt),
            asset: None,
            span: entry.span,
        }),
    };
    // The data is read only for an appendix: without one, data files are not the book's.
    let data = if config.appendix.is_some() {
        sources
            .data
            .iter()
            .filter_map(|source| crate::data::parse(source.file, &map.get(source.file).text, diags))
            .collect()
    } else {
        Vec::new()
    };
    let root = &sources.manuscript.canonical;
    let files = std::iter::once(root.join("book.toml"))
        .chain(sources.chapters.iter().map(|c| root.join(&c.path)))
        .chain(sources.data.iter().map(|d| root.join(&d.path)))
        .chain(
            sources
                .fonts
                .iter()
                .map(|f| root.join("fonts").join(&f.name)),
        )
        .collect();
    Some(Loaded {
        book,
        manuscript: sources.manuscript,
        profile: config.profile,
        editions: config.editions,
        epub: config.epub,
        appendix: config.appendix,
        data,
        fonts: sources.fonts,
        files,
    })
}

/// The text of the chapter's title heading (its first, of whatever level); a chapter without
/// one is an error, since a file name is no title to show or speak.
fn chapter_title(
    blocks: &[model::Block],
    source: &ChapterSource,
    diags: &mut Diagnostics,
) -> String {
    let title = model::title_heading(blocks).map(|h| plain_text(&h.content).trim().to_string());
    if title.is_none() {
        diags
            .error(
                diag::Span::new(source.file, 0..0),
                format!("the chapter `{}` has no heading, so it has no title", source.path),
            )
            .hint("begin it with its title as a heading: `# Getting Started`, or `## …` for a part of the chapter before it");
    }
    title.unwrap_or_default()
}
