//! Editions: the book's editions (from `book.toml`) and the ones a run asks for in; which are
//! laid out and printed ([`Plan`]), each edition's book and paged document with the problems
//! its layout found ([`Laid`]), and each printed edition's PDF, by name ([`Printed`]), out.
//! The handout's own rules are in [`handout`].

pub mod braille;
pub mod handout;

use std::borrow::Cow;
use std::path::PathBuf;

use crate::data::Group;
use crate::diag::{self, Diagnostics, Section, SourceMap};
use crate::layout::{self, Document, FontBook, Missing};
use crate::model::Book;
use crate::profile::{Content, Edition, Medium};
use crate::render::pdf::PdfError;

/// Which editions a run lays out and prints, by index into the book's editions.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The editions whose PDFs are made, in the order of the book's editions.
    pub printed: Vec<usize>,
    /// The editions made in braille (never laid out for print).
    pub brailled: Vec<usize>,
    /// The editions laid out: the printed ones, then the one the e-book's page numbers follow
    /// when the e-book is made and that edition is not printed.
    pub laid_out: Vec<usize>,
    /// What the user should know of the choice (not problems).
    pub notes: Vec<String>,
}

/// The kinds of output a run makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    pub epub: bool,
    pub pdf: bool,
    pub braille: bool,
}

/// What a run asks for: the editions named on the command line (`all` for every one; none is
/// the `book`, or the `braille` edition when braille alone is made), printed when PDFs are made
/// (`pdf`) and in braille when braille is (`braille`); the edition
/// whose pages the e-book's page numbers follow (`page_edition`), laid out when the e-book is
/// made (`epub`) or a braille edition of the book marks them. An unknown name, or a handout for
/// a book without appendix data (`groups`), is an error.
pub fn plan(
    names: &[String],
    Formats { pdf, epub, braille }: Formats,
    page_edition: usize,
    editions: &[Edition],
    groups: &[Group],
    diags: &mut Diagnostics,
) -> Plan {
    let mut plan = Plan::default();
    let braille_alone = braille && !pdf && !epub && names.is_empty();
    let named = if braille_alone {
        chosen(&["braille".to_string()], editions, diags)
    } else {
        chosen(names, editions, diags)
    };
    let (brailled, printed): (Vec<usize>, Vec<usize>) = named
        .into_iter()
        .partition(|&i| matches!(editions[i].medium, Medium::Braille(_)));
    if pdf {
        plan.printed = printed;
    }
    if braille {
        plan.brailled = brailled;
    }
    let all = names.iter().any(|n| n == "all");
    handout::drop_without_data(&mut plan, editions, groups, all, diags);
    let load = || crate::render::braille::louis::get().map(drop);
    braille::drop_without_louis(&mut plan, editions, all, load, diags);
    plan.laid_out = plan.printed.clone();
    // The e-book and the braille editions of the book mark where the pages of its edition
    // begin, so that edition is laid out even when its PDF is not asked for.
    let marks_pages = epub
        || plan
            .brailled
            .iter()
            .any(|&i| editions[i].content != Content::Handout);
    if marks_pages && !plan.laid_out.contains(&page_edition) {
        plan.laid_out.push(page_edition);
    }
    plan
}

/// The editions named, by index into `editions`, in the order of `editions`; `all` names every
/// one, and none names the `book`. An unknown name is an error.
fn chosen(names: &[String], editions: &[Edition], diags: &mut Diagnostics) -> Vec<usize> {
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

/// An edition laid out: its index among the book's editions, the book it prints (the chapters
/// it holds, or the handout) and its pages.
pub struct LaidOut<'a> {
    pub index: usize,
    pub book: Cow<'a, Book>,
    pub doc: Document,
}

/// What an edition's layout found, kept apart from the run's problems until
/// [`Done::report`] puts them there: editions are laid out side by side, and their problems are
/// reported in the plan's order.
#[derive(Default)]
struct Problems {
    /// What measuring and paging found (a character no font has…).
    found: Diagnostics,
    /// Whether the handout fits its sheet.
    fits: Diagnostics,
}

impl Problems {
    fn has_errors(&self) -> bool {
        self.found.has_errors() || self.fits.has_errors()
    }

    /// Now the run's: each is reported once, though every edition finds it.
    fn report(self, diags: &mut Diagnostics) {
        diags.absorb_new(self.found);
        diags.append(self.fits);
    }
}

/// One edition laid out, with the problems its layout found.
pub struct Laid<'a> {
    pub laid: LaidOut<'a>,
    problems: Problems,
}

impl Laid<'_> {
    /// Whether its layout found an error: it is not drawn.
    pub fn has_errors(&self) -> bool {
        self.problems.has_errors()
    }

    /// Where the pages begin (the e-book's page markers and braille's print page numbers
    /// follow one edition's).
    pub fn page_map(&self) -> layout::document::PageMap {
        self.laid.doc.page_map.clone()
    }
}

/// Lays out the edition `index` of the plan. A character no font has is an error for a
/// printed edition and a warning for the e-book's alone (reading systems bring their own
/// fonts).
#[allow(clippy::too_many_arguments)]
pub fn lay_out<'a>(
    plan: &Plan,
    index: usize,
    book: &'a Book,
    editions: &[Edition],
    groups: &[Group],
    fonts: &FontBook,
    map: &SourceMap,
    cache: Option<&layout::cache::GalleyCache>,
) -> Laid<'a> {
    let edition = &editions[index];
    let edition_book = match edition.content {
        Content::Chapters(_) => book.edition(edition.chapters()),
        Content::Handout => Cow::Owned(handout::book(&book.meta, groups)),
    };
    let missing = if plan.printed.contains(&index) {
        Missing::Error
    } else {
        Missing::Warning
    };
    let mut problems = Problems::default();
    let doc = layout::layout_cached(
        &edition_book,
        &edition.profile,
        fonts,
        (map, &mut problems.found),
        missing,
        cache,
    );
    if edition.content == Content::Handout {
        problems.fits.within(Section::Editions, |diags| {
            handout::check_fits(&doc, &edition_book, diags)
        });
    }
    Laid {
        laid: LaidOut {
            index,
            book: edition_book,
            doc,
        },
        problems,
    }
}

/// What an edition's layout left for the run once it is drawn (or, not printed, let go of):
/// its problems, and its PDF when it is printed.
pub struct Done {
    problems: Problems,
    pdf: Option<Result<Printed, PdfError>>,
}

impl Done {
    /// Puts its problems among the run's, and hands over its PDF.
    pub fn report(self, diags: &mut Diagnostics) -> Option<Result<Printed, PdfError>> {
        self.problems.report(diags);
        self.pdf
    }
}

/// An edition's PDF: its file name, its pages (a booklet's: its book pages), the note that
/// comes with it (a booklet is for the printer) and its bytes.
pub struct Printed {
    pub name: String,
    pub pages: usize,
    pub note: Option<String>,
    pub bytes: Vec<u8>,
}

/// Draws a laid-out edition when the plan prints it, the run may `go_on` and its layout found
/// no error, letting go of its pages as they are drawn.
pub fn finish(
    laid: Laid,
    go_on: bool,
    plan: &Plan,
    editions: &[Edition],
    fonts: &FontBook,
    stem: &str,
) -> Done {
    let pdf = (go_on && plan.printed.contains(&laid.laid.index) && !laid.has_errors())
        .then(|| print(laid.laid, editions, fonts, stem));
    Done {
        problems: laid.problems,
        pdf,
    }
}

/// What `check` does of the handout: when the book has one (a `handout` edition and appendix
/// data), it is laid out and must fit, as a build of it would find; nothing is drawn.
pub fn check_handout(
    book: &Book,
    editions: &[Edition],
    groups: &[Group],
    fonts: &FontBook,
    map: &SourceMap,
    diags: &mut Diagnostics,
) {
    if groups.is_empty() {
        return;
    }
    let Some(edition) = editions.iter().find(|e| e.content == Content::Handout) else {
        return;
    };
    let handout = handout::book(&book.meta, groups);
    let mut found = Diagnostics::default();
    let doc = layout::layout(
        &handout,
        &edition.profile,
        fonts,
        map,
        &mut found,
        Missing::Error,
    );
    diags.absorb_new(found);
    diags.within(Section::Editions, |diags| {
        handout::check_fits(&doc, &handout, diags)
    });
}

/// The PDF of a printed edition, named after the book (`stem`) and the edition, but for the
/// first.
fn print(
    LaidOut { index, book, doc }: LaidOut,
    editions: &[Edition],
    fonts: &FontBook,
    stem: &str,
) -> Result<Printed, PdfError> {
    let edition = &editions[index];
    let name = if index == 0 {
        format!("{stem}.pdf")
    } else {
        format!("{stem}-{}.pdf", edition.name)
    };
    let pages = doc.pages.len();
    Ok(match edition.profile.sheet {
        Some(sheet) => Printed {
            name,
            pages,
            note: Some(format!(
                "the `{}` PDF is for the printer: its pages imposed for a folded booklet, without the structure a screen reader needs; the accessible copy is the PDF of any other edition",
                edition.name
            )),
            bytes: crate::render::pdf::write_booklet(&book, &doc, fonts, sheet)?,
        },
        None => Printed {
            name,
            pages,
            note: None,
            bytes: crate::render::pdf::write_owned(&book, doc, fonts)?,
        },
    })
}
