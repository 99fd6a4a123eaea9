//! An inkfold manuscript: its folder in (read by [`crate::load`]), the book as written and its
//! settings out ([`Loaded`]).

use std::path::Path;

use super::{Loaded, chapter_title};
use crate::diag::{Diagnostics, Section, SourceMap};
use crate::load;
use crate::model::{Chapter, ChapterRole};

/// An inkfold manuscript: `book.toml`, the chapters it lists, the appendix's data files and
/// the fonts of `fonts/`.
pub(super) fn load(
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
        let parsed = diags.within(Section::Markdown, |diags| {
            crate::markdown::parse_chapter(
                source.file,
                &map.get(source.file).text,
                &crate::markdown::Flavour::Inkfold,
                diags,
            )
        });
        chapters.push(Chapter {
            id,
            file: source.file,
            path: source.path.clone(),
            role: ChapterRole::Body,
            title: chapter_title(&parsed.blocks, source.file, &source.path, diags),
            blocks: parsed.blocks,
            notes: parsed.notes,
            lang: source.lang.clone(),
            dir: source.dir,
        });
    }
    let book = super::book(config.meta, config.cover, chapters);
    let data = super::parse_data(config.appendix.is_some(), &sources.data, map, diags);
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
        highlight: config.highlight,
        dangling: crate::passes::links::Dangling::Error,
        appendix: config.appendix,
        data,
        fonts: sources.fonts,
        files,
    })
}
