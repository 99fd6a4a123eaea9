//! inkfold turns a book (a manuscript folder with `book.toml` and Markdown chapters) into an
//! accessible EPUB 3, a tagged, print-ready PDF/UA-1 and braille (BRF, PEF and eBraille).
//!
//! The pipeline, one public function per stage, each taking the stage before's typed value:
//!
//! ```text
//! BookSource ──source::BookSource::load──▶ Loaded (the book as written, settings, data, fonts,
//!                                           the files read)
//!   ──passes::run──▶ Book (checked and complete)                       [parse() = these two]
//!   ──layout::fonts::for_book──▶ FontBook (bundled, the book's and system faces)
//!   ──edition::plan──▶ Plan (which editions are laid out and printed)
//!   ──edition::lay_out──▶ a Document per edition (layout: measure each chapter into a galley,
//!                         paginate the galleys); the e-book's page edition first, the others
//!                         as they are drawn
//!   ──render::epub::write / edition::finish / edition::braille::make──▶ bytes per output
//!                         (braille: the book through liblouis, set in braille pages, marked
//!                         with the print pages of the e-book's page map), side by side
//!   ──output::check_targets, output::write_all──▶ the output folder, atomically
//! ```
//!
//! This file holds the API and the orchestration only: [`parse`], [`check`] and [`build`]
//! call the stages in that order. Every stage reports problems as [`diag::Diagnostic`]s and
//! carries on, so one run lists them all; nothing is written unless the whole book is free of
//! errors.

pub mod allocator;
pub mod chars;
pub mod config;
pub mod data;
pub mod diag;
pub mod edition;
pub mod fonts;
pub mod id;
pub mod image;
pub mod init;
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
pub mod source;

use std::path::PathBuf;

use config::EpubOptions;
use diag::{Diagnostics, Problem, Severity, SourceMap};
use layout::fonts::SystemFonts;
use model::Book;
use profile::Profile;
pub use source::BookSource;

/// What to build, from where, to where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub source: BookSource,
    pub out_dir: PathBuf,
    pub epub: bool,
    pub pdf: bool,
    /// Braille editions are made (those named; the `braille` one when braille alone is asked
    /// for and no edition is named).
    pub braille: bool,
    /// The editions to print, by profile name (`all` for every one); none is the `book`.
    pub profiles: Vec<String>,
    /// The value of `SOURCE_DATE_EPOCH`, if set.
    pub source_date_epoch: Option<String>,
    /// Where the build says how far it has come, for a progress bar.
    pub progress: Option<std::sync::Arc<Progress>>,
}

/// What a build is doing, step by step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Reading,
    LayingOut,
    Braille,
    Drawing,
    Writing,
}

impl Step {
    /// What the step is doing, as a progress bar says it.
    pub fn doing(self) -> &'static str {
        match self {
            Step::Reading => "reading",
            Step::LayingOut => "laying out",
            Step::Braille => "transcribing into braille",
            Step::Drawing => "drawing",
            Step::Writing => "writing",
        }
    }
}

/// How far a build has come, shared with the thread that shows it: the steps done, the steps
/// it has in all (known once it knows what it makes), and the step under way.
#[derive(Debug, Default)]
pub struct Progress {
    state: std::sync::Mutex<(usize, usize, Option<Step>)>,
}

impl Progress {
    /// Steps done, steps in all (0 while not known), and the step under way.
    pub fn now(&self) -> (usize, usize, Option<Step>) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, f: impl FnOnce(&mut (usize, usize, Option<Step>))) {
        f(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()));
    }
}

/// Reports to `options`' progress, if any, that `step` begins (the one before is done).
fn begin(options: &BuildOptions, step: Step) {
    if let Some(progress) = &options.progress {
        progress.set(|state| {
            *state = match (step, *state) {
                // A new build (`watch` builds again and again).
                (Step::Reading, _) => (0, 0, Some(step)),
                (_, (done, total, doing)) => {
                    (done + usize::from(doing.is_some()), total, Some(step))
                }
            };
        });
    }
}

/// The outcome of a run that reached the end: its problems (possibly only warnings) and the files
/// it wrote.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub written: Vec<PathBuf>,
    /// What the user should know about what was written (not problems).
    pub notes: Vec<String>,
    /// The pages of the outputs that have them, by file name: a PDF's pages, a BRF's braille
    /// pages.
    pub pages: Vec<(String, usize)>,
    /// The files of the book a build read (canonical paths), for `watch`: none when even its
    /// settings could not be read.
    pub sources: Vec<PathBuf>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Each file written, with its file name and its pages when it has them.
    pub fn outputs(&self) -> impl Iterator<Item = (&PathBuf, String, Option<usize>)> {
        self.written.iter().map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let pages = self.pages.iter().find(|(n, _)| *n == name).map(|&(_, p)| p);
            (path, name, pages)
        })
    }

    /// The report as JSON, for scripts and CI: the problems as `check --format json` gives them,
    /// then `outputs` (each file written, with its pages when it has them) and `notes`.
    pub fn to_json(&self) -> String {
        let mut value = diag::json_value(&self.problems);
        let outputs: Vec<serde_json::Value> = self
            .outputs()
            .map(|(path, _, pages)| {
                serde_json::json!({ "path": path.display().to_string(), "pages": pages })
            })
            .collect();
        if let Some(object) = value.as_object_mut() {
            object.insert("outputs".into(), outputs.into());
            object.insert("notes".into(), self.notes.clone().into());
        }
        format!("{value:#}")
    }

    fn with_sources(self, sources: Vec<PathBuf>) -> Report {
        Report { sources, ..self }
    }

    /// A report of the problems alone: nothing was written.
    fn problems(diags: Diagnostics, map: &SourceMap) -> Report {
        Report {
            problems: diags.resolve(map),
            ..Report::default()
        }
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
    /// The font files the book brings.
    pub fonts: Vec<load::FontSource>,
    /// Every file of the book that was read (canonical paths), which no output may replace.
    pub source_files: Vec<PathBuf>,
    pub map: SourceMap,
    pub diags: Diagnostics,
}

/// Loads a book from its source and takes it through the passes. `book` is `None` when there
/// are errors.
pub fn parse(source: &BookSource, source_date_epoch: Option<&str>) -> Parsed {
    parse_cached(source, source_date_epoch, None)
}

/// [`parse`], with code blocks' highlighting taken from `cache` where it has them.
fn parse_cached(
    source: &BookSource,
    source_date_epoch: Option<&str>,
    cache: Option<&Cache>,
) -> Parsed {
    let mut map = SourceMap::default();
    let mut diags = Diagnostics::default();
    let Some(loaded) = source.load(source_date_epoch, &mut map, &mut diags) else {
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
    let mut book = loaded.book;
    let appendix = loaded
        .appendix
        .as_ref()
        .map(|a| (a, loaded.data.as_slice()));
    passes::run(
        &mut book,
        appendix,
        &loaded.manuscript,
        (
            match loaded.highlight {
                true => passes::Highlighting::On(cache.map(|c| &c.highlights)),
                false => passes::Highlighting::Off,
            },
            loaded.dangling,
        ),
        &mut diags,
    );
    let root = &loaded.manuscript.canonical;
    let mut source_files = loaded.files;
    source_files.extend(book.assets.iter().map(|a| root.join(&a.path)));
    Parsed {
        book: (!diags.has_errors()).then_some(book),
        profile: loaded.profile,
        editions: loaded.editions,
        appendix_data: loaded.data,
        epub: loaded.epub,
        fonts: loaded.fonts,
        source_files,
        map,
        diags,
    }
}

/// Checks a parsed book without writing anything: everything a build checks, including that
/// every character can be printed and that the handout, if the book has one, fits its sheet.
pub fn check(parsed: Parsed) -> Result<Report, Error> {
    let Parsed {
        book,
        profile,
        editions,
        appendix_data,
        fonts,
        map,
        mut diags,
        ..
    } = parsed;
    if let Some(book) = &book {
        let fonts = diags
            .within(diag::Section::Fonts, |diags| {
                layout::fonts::for_book(book, fonts, &mut SystemFonts::default(), diags)
            })
            .ok_or(Error::Fonts)?;
        layout::check(book, &profile, &fonts, &map, &mut diags);
        edition::check_handout(book, &editions, &appendix_data, &fonts, &map, &mut diags);
    }
    Ok(Report::problems(diags, &map))
}

/// Builds the chosen outputs. With errors in the manuscript, the report lists them and nothing
/// is written; otherwise every output is made in memory first, then each is written atomically.
pub fn build(options: &BuildOptions) -> Result<Report, Error> {
    build_cached(options, None)
}

/// What a build keeps for the next build of the same book (`inkfold watch`): the chapters'
/// galleys and the code blocks' highlighting, used again where nothing they depend on has
/// changed. A build with it writes the same bytes as one without.
#[derive(Debug, Default)]
pub struct Cache {
    galleys: layout::cache::GalleyCache,
    highlights: passes::highlight::Memo,
    /// The system's fonts, scanned by the first build that needs them: a font installed while
    /// the watch runs is seen by the next `inkfold watch`.
    system: std::sync::Mutex<SystemFonts>,
}

impl Cache {
    /// How many chapter galleys it holds.
    pub fn galleys(&self) -> usize {
        self.galleys.len()
    }

    /// How many times the builds it served read the system's font folders.
    pub fn system_font_scans(&self) -> usize {
        self.system
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .scans()
    }

    /// How many chapter galleys the last build took from it, and how many it measured.
    pub fn last_build(&self) -> layout::cache::Counts {
        self.galleys.last_build()
    }
}

/// [`build`], with what `cache` kept from the builds before, keeping this one's there.
pub fn build_cached(options: &BuildOptions, cache: Option<&Cache>) -> Result<Report, Error> {
    begin(options, Step::Reading);
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
    } = parse_cached(&options.source, options.source_date_epoch.as_deref(), cache);
    let Some(book) = book else {
        return Ok(Report::problems(diags, &map).with_sources(source_files));
    };
    let formats = edition::Formats {
        epub: options.epub,
        pdf: options.pdf,
        braille: options.braille,
    };
    let plan = diags.within(diag::Section::Editions, |diags| {
        edition::plan(
            &options.profiles,
            formats,
            epub.page_numbers,
            &editions,
            &appendix_data,
            diags,
        )
    });
    if diags.has_errors() {
        return Ok(Report::problems(diags, &map).with_sources(source_files));
    }
    if let Some(progress) = &options.progress {
        // Reading, laying out, braille when made, drawing, writing.
        let steps = 4 + usize::from(!plan.brailled.is_empty());
        progress.set(|(_, total, _)| *total = steps);
    }
    begin(options, Step::LayingOut);
    let stem = output::stem(&book.meta.title);
    let fonts = {
        // The system's fonts, scanned once for all the builds of a watch.
        let mut own = SystemFonts::default();
        let mut kept = cache.map(|c| c.system.lock().unwrap_or_else(|p| p.into_inner()));
        let system = kept.as_deref_mut().unwrap_or(&mut own);
        diags
            .within(diag::Section::Fonts, |diags| {
                layout::fonts::for_book(&book, fonts, system, diags)
            })
            .ok_or(Error::Fonts)?
    };
    let galleys = cache.map(|c| &c.galleys);
    let lay_out = |index: usize| {
        edition::lay_out(
            &plan,
            index,
            &book,
            &editions,
            &appendix_data,
            &fonts,
            &map,
            galleys,
        )
    };
    // The edition whose pages the e-book's page markers and braille's print page numbers
    // follow is laid out first, when one of them is made; the others are laid out as they are
    // drawn, so only the editions being drawn are held at once.
    let page_edition = epub.page_numbers;
    let mut first = ((options.epub || !plan.brailled.is_empty())
        && plan.laid_out.contains(&page_edition))
    .then(|| lay_out(page_edition));
    // With errors nothing is written, so nothing is drawn: not after errors found so far (a
    // file in `fonts/` that is not a font), nor after errors in the page edition's layout, nor
    // from an edition whose own layout has them. (Another edition's found while this one is
    // drawn are reported all the same.)
    let go_on = !diags.has_errors() && first.as_ref().is_none_or(|laid| !laid.has_errors());
    let page_map = first
        .as_ref()
        .filter(|_| go_on)
        .map(edition::Laid::page_map);
    let others: Vec<(usize, Option<edition::Laid>)> = plan
        .laid_out
        .iter()
        .map(|&index| {
            let laid = if index == page_edition {
                first.take()
            } else {
                None
            };
            (index, laid)
        })
        .collect();
    // The word caches serve layout alone; the last layout lets them go, and their room serves
    // the writers.
    let layouts_left = std::sync::atomic::AtomicUsize::new(
        others.iter().filter(|(_, laid)| laid.is_none()).count(),
    );
    let nothing_to_lay_out = layouts_left.load(std::sync::atomic::Ordering::Acquire) == 0;
    let laid_out = || {
        if layouts_left.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1 {
            fonts.release_caches();
        }
    };
    if !plan.brailled.is_empty() {
        begin(options, Step::Braille);
    }
    begin(options, Step::Drawing);
    // Braille beside the drawing: liblouis serves one caller at a time, so it keeps one thread
    // while the e-book is written and the editions are laid out and drawn, two at a time, on
    // the pool that measures their chapters. Each keeps its notes, page counts and problems
    // apart; they are put together in one order after. (With glibc's allocator, a thread of
    // its own took an arena of its own: 20 to 50 MB more at the peak of a 1 000-page book in
    // about one build of three.)
    let (braille, (epub_bytes, done)) = rayon::join(
        || {
            let mut braille_notes = Vec::new();
            let mut braille_pages = Vec::new();
            let mut braille_diags = Diagnostics::default();
            let made = go_on.then(|| {
                braille_diags.within(diag::Section::Braille, |diags| {
                    edition::braille::make(
                        &plan,
                        &book,
                        &editions,
                        &appendix_data,
                        page_map.as_ref(),
                        &stem,
                        &mut braille_notes,
                        &mut braille_pages,
                        diags,
                    )
                })
            });
            (made, braille_notes, braille_pages, braille_diags)
        },
        || {
            rayon::join(
                || {
                    // With nothing left to lay out, the caches go beside the drawing.
                    if nothing_to_lay_out {
                        fonts.release_caches();
                    }
                    page_map
                        .as_ref()
                        .filter(|_| options.epub)
                        .map(|page_map| render::epub::write(&book, &epub, &fonts, page_map))
                },
                || {
                    use rayon::prelude::*;
                    others
                        .into_par_iter()
                        .map(|(index, laid)| {
                            let laid = laid.unwrap_or_else(|| {
                                let laid = lay_out(index);
                                laid_out();
                                laid
                            });
                            edition::finish(laid, go_on, &plan, &editions, &fonts, &stem)
                        })
                        .collect::<Vec<edition::Done>>()
                },
            )
        },
    );
    if let Some(cache) = cache {
        cache.galleys.end_build();
    }
    let pdfs: Vec<_> = done
        .into_iter()
        .map(|edition| edition.report(&mut diags))
        .collect();
    let mut notes = plan.notes.clone();
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut pages: Vec<(String, usize)> = Vec::new();
    if !diags.has_errors() {
        let (braille, braille_notes, braille_pages, braille_diags) = braille;
        diags.append(braille_diags);
        notes.extend(braille_notes);
        pages.extend(braille_pages);
        if let Some(braille) = braille {
            outputs.extend(braille?);
        }
        if let Some(bytes) = epub_bytes {
            outputs.push((format!("{stem}.epub"), bytes?));
        }
        for pdf in pdfs.into_iter().flatten() {
            let pdf = pdf?;
            pages.push((pdf.name.clone(), pdf.pages));
            notes.extend(pdf.note);
            outputs.push((pdf.name, pdf.bytes));
        }
    }
    diags.within(diag::Section::Output, |diags| {
        output::check_targets(&options.out_dir, &outputs, &source_files, diags)
    });
    if diags.has_errors() {
        return Ok(Report::problems(diags, &map).with_sources(source_files));
    }
    let mut report = Report {
        notes,
        pages,
        ..Report::problems(diags, &map).with_sources(source_files)
    };
    // The book and its fonts are let go of on the thread pool while the outputs are written:
    // freeing a long book's many small pieces takes as long as writing its files.
    rayon::spawn(move || drop((book, fonts, map, appendix_data, editions)));
    begin(options, Step::Writing);
    report.written =
        output::write_all(&options.out_dir, &outputs).map_err(|source| Error::Write {
            path: options.out_dir.clone(),
            source,
        })?;
    Ok(report)
}

/// Makes a new manuscript in `dir` (created if needed): a commented `book.toml` titled after
/// the folder, dated today (or `SOURCE_DATE_EPOCH`'s day), with a new identifier, a sample
/// chapter, an image, appendix data and a `.gitignore`. A file already at one of those paths is
/// an error, and then nothing is written.
pub fn init(dir: &std::path::Path, source_date_epoch: Option<&str>) -> Result<Report, Error> {
    let secs = source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let files = init::files(
        &init::title_from(&name),
        &init::date_of(secs),
        &fresh_uuid(dir),
    );
    let mut diags = Diagnostics::default();
    for (path, _) in &files {
        let target = dir.join(path);
        if target.symlink_metadata().is_ok() {
            diags
                .error(
                    diag::Location::Path(target),
                    "a file is already here, and init never replaces one",
                )
                .hint(
                    "choose a new folder for the book (inkfold init FOLDER), or move the file away",
                );
        }
    }
    let map = SourceMap::default();
    if diags.has_errors() {
        return Ok(Report::problems(diags, &map));
    }
    let written = output::create_new_all(dir, &files).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let shown = dir.display().to_string();
    let next = if shown.contains(char::is_whitespace) {
        format!("inkfold build \"{shown}\"")
    } else {
        format!("inkfold build {shown}")
    };
    Ok(Report {
        written,
        notes: vec![format!("a new book is ready; build it with: {next}")],
        ..Report::problems(diags, &map)
    })
}

/// 128 bits no other book is likely to have, for a new book's identifier: the clock to the
/// nanosecond, the process and the folder, through the standard library's randomly keyed hash.
fn fresh_uuid(dir: &std::path::Path) -> String {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let half = |salt: u8| {
        std::collections::hash_map::RandomState::new().hash_one((
            salt,
            nanos,
            std::process::id(),
            dir,
        ))
    };
    init::uuid_urn(u128::from(half(1)) << 64 | u128::from(half(2)))
}
