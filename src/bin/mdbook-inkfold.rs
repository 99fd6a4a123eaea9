//! `mdbook-inkfold`: inkfold as an mdBook renderer. `mdbook build` runs it for a book whose
//! `book.toml` has an `[output.inkfold]` table, with the render context (JSON) on standard
//! input; it writes the book's EPUB and PDF into the folder mdBook names, with every
//! preprocessor the book configures already applied by mdBook. Owns its exit status: 0 on
//! success, 1 when the book has errors, 2 on any other failure.

// The renderer runs under mdBook, which shows its own progress: no spinner here.
#[allow(dead_code)]
#[path = "../term.rs"]
mod term;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::sync::Arc;

use inkfold::source::mdbook::render::{MAX_CONTEXT_BYTES, RenderContext};
use inkfold::{BookSource, BuildOptions};

const BOOK_ERRORS: u8 = 1;
const INTERNAL_FAILURE: u8 = 2;

/// The allocator of the `inkfold` command (see there).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    inkfold::allocator::tune();
    let stdin = std::io::stdin();
    if std::env::args_os().len() > 1 || stdin.is_terminal() {
        eprintln!(
            "mdbook-inkfold is run by `mdbook build` for a book whose book.toml has an [output.inkfold] table; it reads mdBook's render context on standard input.\nTo build an mdBook project yourself: inkfold build path/to/book"
        );
        return ExitCode::from(INTERNAL_FAILURE);
    }
    let mut bytes = Vec::new();
    if let Err(err) = stdin.take(MAX_CONTEXT_BYTES + 1).read_to_end(&mut bytes) {
        eprintln!("error: cannot read mdBook's render context: {err}");
        return ExitCode::from(INTERNAL_FAILURE);
    }
    if bytes.len() as u64 > MAX_CONTEXT_BYTES {
        eprintln!(
            "error: mdBook's render context is larger than the {} MiB a book may hold",
            MAX_CONTEXT_BYTES / (1024 * 1024)
        );
        return ExitCode::from(BOOK_ERRORS);
    }
    let context = match RenderContext::from_json(&bytes) {
        Ok(context) => context,
        Err(err) => {
            eprintln!("error: mdBook's render context cannot be read: {err}");
            return ExitCode::from(INTERNAL_FAILURE);
        }
    };
    if !context.known_version() {
        eprintln!(
            "warning: mdBook {} is newer than the 0.4 and 0.5 this renderer knows; the book is read as 0.5 writes it",
            context.version
        );
    }
    let options = BuildOptions {
        out_dir: context.destination.clone(),
        source: BookSource::MdBookRender(Arc::new(context)),
        epub: true,
        pdf: true,
        braille: true,
        profiles: Vec::new(),
        source_date_epoch: std::env::var("SOURCE_DATE_EPOCH").ok(),
        progress: None,
    };
    match inkfold::build(&options) {
        Ok(report) if term::print(&report, "build", None) => ExitCode::from(BOOK_ERRORS),
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(INTERNAL_FAILURE)
        }
    }
}
