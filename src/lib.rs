//! inkfold turns a book manuscript (a folder with `book.toml` and Markdown chapters) into an
//! accessible EPUB 3 and a tagged, print-ready PDF/UA-1.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! manuscript/ --load--> Sources --markdown--> Book (model, with source spans)
//!   --passes (appendix from data, ids, links, assets, lint)--> Book --layout--> pages
//!   pages --render::pdf--> <slug>.pdf
//!   Book + where pages begin --render::epub--> <slug>.epub (with print page numbers)
//!   each output --output (atomic write)--> the output folder
//! ```
//!
//! Every stage reports problems as [`diag::Diagnostic`]s and carries on, so one run lists them
//! all; nothing is written unless the whole book is free of errors.

pub mod config;
pub mod data;
pub mod diag;
pub mod fonts;
pub mod id;
pub mod lang;
pub mod layout;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod passes;
pub mod paths;
pub mod profile;
pub mod render;

use std::path::{Path, PathBuf};

use config::EpubOptions;
use diag::{Diagnostics, Problem, Severity, SourceMap};
use layout::{FontBook, Missing};
use model::{Book, Chapter, ChapterRole, plain_text};
use profile::{MAX_HANDOUT_PAGES, Profile};

/// What to build, from where, to where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub manuscript: PathBuf,
    pub out_dir: PathBuf,
    pub epub: bool,
    pub pdf: bool,
    /// The editions to print, by profile name (`all` for every one); none is the `book`.
    pub profiles: Vec<String>,
    /// The value of `SOURCE_DATE_EPOCH`, if set.
    pub source_date_epoch: Option<String>,
}

/// The outcome of a run that reached the end: its problems (possibly only warnings) and the files
/// it wrote.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub written: Vec<PathBuf>,
    /// What the user should know about what was written (not problems).
    pub notes: Vec<String>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// A failure that is not the manuscript's fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot package the EPUB: {0}")]
    Package(#[from] zip::result::ZipError),
    #[error("cannot write the PDF: {0}")]
    Pdf(#[from] render::pdf::PdfError),
    #[error("a bundled font is damaged; reinstall inkfold")]
    Fonts,
}

/// A parsed, checked book and how to render it, or the problems that stop it; warnings come
/// with either.
pub struct Parsed {
    pub book: Option<Book>,
    /// The print profile `[pdf]` gives (the default one when the book has errors).
    pub profile: Profile,
    /// Every edition the book can be printed in, the `book` first.
    pub editions: Vec<profile::Edition>,
    /// The appendix's lists of organisations, from which the handout is made.
    pub appendix_data: Vec<data::Group>,
    pub epub: EpubOptions,
    /// The font files the manuscript brings.
    pub fonts: Vec<load::FontSource>,
    /// Every file of the manuscript that was read (canonical paths), which no output may replace.
    pub source_files: Vec<PathBuf>,
    pub map: SourceMap,
    pub diags: Diagnostics,
}

/// Loads, parses and checks a manuscript. `book` is `None` when there are errors.
pub fn parse(manuscript: &Path, source_date_epoch: Option<&str>) -> Parsed {
    let mut map = SourceMap::default();
    let mut diags = Diagnostics::default();
    let Some(sources) = load::load(manuscript, source_date_epoch, &mut map, &mut diags) else {
        return Parsed {
            book: None,
            profile: Profile::default(),
            epub: EpubOptions {
                embed_fonts: true,
                page_numbers: 0,
            },
            editions: Vec::new(),
            appendix_data: Vec::new(),
            fonts: Vec::new(),
            source_files: Vec::new(),
            map,
            diags,
        };
    };
    let config = sources.config;
    let ids = passes::ids::chapter_ids(sources.chapters.iter().map(|c| c.path.as_str()));
    let mut chapters = Vec::new();
    for (source, id) in sources.chapters.iter().zip(ids) {
        let parsed = markdown::parse_chapter(source.file, &map.get(source.file).text, &mut diags);
        chapters.push(Chapter {
            id,
            file: source.file,
            path: source.path.clone(),
            role: ChapterRole::Body,
            title: chapter_title(&parsed.blocks, source, &mut diags),
            blocks: parsed.blocks,
            notes: parsed.notes,
            lang: source.lang.clone(),
            dir: source.dir,
        });
    }
    let mut book = Book {
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
    let mut appendix_data = Vec::new();
    if let Some(appendix) = &config.appendix {
        appendix_data = sources
            .data
            .iter()
            .filter_map(|source| data::parse(source.file, &map.get(source.file).text, &mut diags))
            .collect();
        passes::appendix::insert(&mut book, appendix, &appendix_data, &mut diags);
    }
    passes::limits::check(&book, &mut diags);
    passes::headings::structure(&mut book, &mut diags);
    passes::ids::assign(&mut book, &mut diags);
    passes::links::resolve(&mut book, &mut diags);
    passes::assets::resolve(&mut book, &sources.manuscript, &mut diags);
    passes::lint::check(&book, &mut diags);
    passes::links::name_empty(&mut book, &mut diags);
    let root = &sources.manuscript.canonical;
    let source_files = std::iter::once(root.join("book.toml"))
        .chain(sources.chapters.iter().map(|c| root.join(&c.path)))
        .chain(sources.data.iter().map(|d| root.join(&d.path)))
        .chain(
            sources
                .fonts
                .iter()
                .map(|f| root.join("fonts").join(&f.name)),
        )
        .chain(book.assets.iter().map(|a| root.join(&a.path)))
        .collect();
    let book = (!diags.has_errors()).then_some(book);
    Parsed {
        book,
        profile: config.profile,
        editions: config.editions,
        appendix_data,
        epub: config.epub,
        fonts: sources.fonts,
        source_files,
        map,
        diags,
    }
}

/// The fonts a book is printed with: the bundled faces, the font files of the manuscript's
/// `fonts/` folder (tried first for characters the text faces lack), and system fonts for the
/// characters neither has.
pub fn font_book(
    book: &Book,
    fonts: Vec<load::FontSource>,
    diags: &mut Diagnostics,
) -> Result<FontBook, Error> {
    let mut font_book = FontBook::load().ok_or(Error::Fonts)?;
    for font in fonts {
        if font_book
            .add_manuscript_font(&font.name, font.bytes)
            .is_none()
        {
            diags
                .error(
                    diag::Location::Path(PathBuf::from(&font.display)),
                    format!("`{}` is not a font file inkfold can read", font.name),
                )
                .hint("use a TrueType or OpenType font (.ttf, .otf or .ttc), or remove the file from fonts/");
        }
    }
    let chars = layout::book_chars(book);
    // Han characters in Japanese, Korean or Chinese text take the forms that language reads;
    // Urdu takes the manuscript's Nastaliq. Then the system covers what no face has.
    if chars.iter().any(|&c| {
        matches!(
            unicode_script::UnicodeScript::script(&c),
            unicode_script::Script::Han | unicode_script::Script::Arabic
        )
    }) {
        let forms: Vec<layout::fonts::LangForm> = layout::book_langs(book)
            .iter()
            .filter_map(layout::fonts::LangForm::of)
            .collect();
        font_book.cover_lang_forms(&forms);
    }
    font_book.cover_from_system(&chars);
    Ok(font_book)
}

/// The text of the chapter's title heading (its first, of whatever level); a chapter without
/// one is an error, since a file name is no title to show or speak.
fn chapter_title(
    blocks: &[model::Block],
    source: &load::ChapterSource,
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

/// Checks a manuscript without writing anything: everything a build checks, including that
/// every character can be printed.
pub fn check(manuscript: &Path, source_date_epoch: Option<&str>) -> Result<Report, Error> {
    let Parsed {
        book,
        profile,
        fonts,
        map,
        mut diags,
        ..
    } = parse(manuscript, source_date_epoch);
    if let Some(book) = &book {
        let fonts = font_book(book, fonts, &mut diags)?;
        layout::check(book, &profile, &fonts, &map, &mut diags);
    }
    Ok(Report {
        problems: diags.resolve(&map),
        written: Vec::new(),
        notes: Vec::new(),
    })
}

/// Longest output file name stem, in bytes: with its extension and the temporary file's
/// prefix and suffix it stays well inside the 255 bytes file systems allow.
const MAX_STEM_BYTES: usize = 120;

/// The output file name for a book: its title as a slug, at most [`MAX_STEM_BYTES`] (cut
/// between words where it can), or `book` when the title has no letters or digits.
pub fn output_stem(book: &Book) -> String {
    stem_of(&book.meta.title)
}

fn stem_of(title: &str) -> String {
    let mut stem = id::slug(title);
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

/// The editions named on the command line, by index into `editions`, in the order of
/// `editions`; `all` names every one, and none names the `book`. An unknown name is an error.
fn chosen_editions(
    names: &[String],
    editions: &[profile::Edition],
    diags: &mut Diagnostics,
) -> Vec<usize> {
    if names.is_empty() {
        return vec![0];
    }
    if names.iter().any(|n| n == "all") {
        return (0..editions.len()).collect();
    }
    for name in names {
        if !editions.iter().any(|e| e.name == *name) {
            let known: Vec<&str> = editions.iter().map(|e| e.name.as_str()).collect();
            diags
                .error(
                    diag::Location::Path(PathBuf::from("--profile")),
                    format!("there is no profile named `{name}`"),
                )
                .hint(format!(
                    "use one of {} or all; a book defines its own in book.toml as [profiles.NAME]",
                    known.join(", ")
                ));
        }
    }
    (0..editions.len())
        .filter(|&i| names.contains(&editions[i].name))
        .collect()
}

/// Builds the chosen outputs. With errors in the manuscript, the report lists them and nothing
/// is written; otherwise every output is made in memory first, then each is written atomically.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    let Parsed {
        book,
        epub,
        editions,
        appendix_data,
        fonts,
        source_files,
        map,
        mut diags,
        ..
    } = parse(&options.manuscript, options.source_date_epoch.as_deref());
    let Some(book) = book else {
        return Ok(Report {
            problems: diags.resolve(&map),
            written: Vec::new(),
            notes: Vec::new(),
        });
    };
    let mut report_notes = Vec::new();
    let mut printed = if options.pdf {
        chosen_editions(&options.profiles, &editions, &mut diags)
    } else {
        Vec::new()
    };
    // The handout lists the appendix's organisations: a book without them has none.
    if appendix_data.is_empty()
        && let Some(at) = printed
            .iter()
            .position(|&i| editions[i].content == profile::Content::Handout)
    {
        printed.remove(at);
        if options.profiles.iter().any(|n| n == "all") {
            report_notes.push("no handout: it lists the organisations of the appendix's data, and the book has none".into());
        } else {
            diags
                .error(
                    diag::Location::Path(PathBuf::from("--profile")),
                    "the handout lists the organisations of the appendix's data, and the book has none",
                )
                .hint("add an [appendix] with data files to book.toml (see \"Appendix data\" in the README)");
        }
    }
    if diags.has_errors() {
        return Ok(Report {
            problems: diags.resolve(&map),
            written: Vec::new(),
            notes: Vec::new(),
        });
    }
    let stem = output_stem(&book);
    let fonts = font_book(&book, fonts, &mut diags)?;
    // Each printed edition is laid out, and the one the EPUB's page numbers follow even when
    // its PDF is not asked for: the EPUB marks where its pages begin.
    let mut laid_out: Vec<usize> = printed.clone();
    if options.epub && !laid_out.contains(&epub.page_numbers) {
        laid_out.push(epub.page_numbers);
    }
    let mut docs: Vec<(usize, std::borrow::Cow<Book>, layout::Document)> = Vec::new();
    for &index in &laid_out {
        let edition = &editions[index];
        let edition_book = match edition.content {
            profile::Content::Chapters(_) => book.edition(edition.chapters()),
            profile::Content::Handout => {
                std::borrow::Cow::Owned(passes::appendix::handout(&book.meta, &appendix_data))
            }
        };
        // A character no font has stops a PDF, not an e-book.
        let missing = if printed.contains(&index) {
            Missing::Error
        } else {
            Missing::Warning
        };
        // Every edition finds the same missing characters; each is reported once.
        let mut found = Diagnostics::default();
        let doc = layout::layout(
            &edition_book,
            &edition.profile,
            &fonts,
            &map,
            &mut found,
            missing,
        );
        diags.absorb_new(found);
        if edition.content == profile::Content::Handout && doc.pages.len() > MAX_HANDOUT_PAGES {
            diags
                .error(
                    diag::Location::Path(PathBuf::from("--profile")),
                    format!(
                        "the handout takes {} pages; it must fit on {MAX_HANDOUT_PAGES} (one sheet, both sides)",
                        doc.pages.len()
                    ),
                )
                .hint("shorten the first sentence of what the organisations offer in the data files, or make the type smaller or the paper larger in [profiles.handout]");
        }
        docs.push((index, edition_book, doc));
    }
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    if !diags.has_errors() {
        // The e-book is written while the PDFs are drawn, both on the thread pool that measured
        // the chapters (with glibc's allocator, a thread of its own took an arena of its own:
        // 20 to 50 MB more at the peak of a 1 000-page book in about one build of three); each
        // PDF takes its laid-out edition and lets go of its pages as it draws them.
        let epub_pages = docs
            .iter()
            .find(|(i, _, _)| *i == epub.page_numbers)
            .filter(|_| options.epub)
            .map(|(_, _, doc)| doc.page_map.clone());
        let (epub_bytes, pdfs) = rayon::join(
            || {
                // Drawing needs no shaping: the caches' room goes to the writers.
                fonts.release_caches();
                epub_pages
                    .as_ref()
                    .map(|page_map| render::epub::write(&book, &epub, &fonts, page_map))
            },
            || print_editions(docs, &printed, &editions, &fonts, &stem, &mut report_notes),
        );
        if let Some(bytes) = epub_bytes {
            outputs.push((format!("{stem}.epub"), bytes?));
        }
        outputs.extend(pdfs?);
    }
    // An output folder inside the manuscript must not hold a source under an output's name.
    for (name, _) in &outputs {
        let target = options.out_dir.join(name);
        if let Ok(canonical) = target.canonicalize()
            && source_files.contains(&canonical)
        {
            diags
                .error(
                    diag::Location::Path(target),
                    format!("the output `{name}` would replace a file of the manuscript"),
                )
                .hint("build into another folder (--out), or rename the manuscript's file");
        }
    }
    let mut report = Report {
        problems: diags.resolve(&map),
        written: Vec::new(),
        notes: report_notes,
    };
    if report.has_errors() {
        report.notes.clear();
        return Ok(report);
    }
    // The book and its fonts are let go of on the thread pool while the outputs are written:
    // freeing a long book's many small pieces takes as long as writing its files.
    rayon::spawn(move || drop((book, fonts, map, appendix_data, editions)));
    report.written =
        output::write_all(&options.out_dir, &outputs).map_err(|source| Error::Write {
            path: options.out_dir.clone(),
            source,
        })?;
    Ok(report)
}

/// The PDF of each printed edition, named after the book (and the edition, but for the first).
fn print_editions(
    docs: Vec<(usize, std::borrow::Cow<Book>, layout::Document)>,
    printed: &[usize],
    editions: &[profile::Edition],
    fonts: &FontBook,
    stem: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut outputs = Vec::new();
    for (index, edition_book, doc) in docs {
        if !printed.contains(&index) {
            continue;
        }
        let edition = &editions[index];
        let bytes = match edition.profile.sheet {
            Some(sheet) => {
                notes.push(format!(
                    "the `{}` PDF is for the printer: its pages imposed for a folded booklet, without the structure a screen reader needs; the accessible copy is the PDF of any other edition",
                    edition.name
                ));
                render::pdf::write_booklet(&edition_book, &doc, fonts, sheet)?
            }
            None => render::pdf::write_owned(&edition_book, doc, fonts)?,
        };
        let name = if index == 0 {
            format!("{stem}.pdf")
        } else {
            format!("{stem}-{}.pdf", edition.name)
        };
        outputs.push((name, bytes));
    }
    Ok(outputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_slugs_of_bounded_length() {
        assert_eq!(
            stem_of("Child Trafficking in Today’s Society"),
            "child-trafficking-in-todays-society"
        );
        assert_eq!(stem_of("???"), "book");
        let long = "Übersetzung ".repeat(60);
        let stem = stem_of(&long);
        assert!(
            stem.len() <= MAX_STEM_BYTES && stem.len() > MAX_STEM_BYTES / 2,
            "{stem}"
        );
        assert!(stem.ends_with("übersetzung"), "cut between words: {stem}");
        let one_word = "ж".repeat(500);
        assert!(stem_of(&one_word).len() <= MAX_STEM_BYTES);
    }
}
