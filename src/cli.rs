//! Command-line arguments: what the user typed in, checked commands out. `main.rs` runs them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Turns a book manuscript into an accessible EPUB 3, a tagged PDF/UA-1 for print and braille.
#[derive(Debug, Parser)]
#[command(name = "inkfold", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the book's outputs into the output folder.
    ///
    /// Nothing is written when the manuscript has errors; an existing output is replaced only by
    /// a complete new one.
    Build {
        #[command(flatten)]
        what: BuildArgs,
        /// How to report: readable text on stderr (and the files written on stdout), or JSON
        /// on stdout (problems, files written with their pages, notes) for scripts and CI.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        report: ReportFormat,
        /// Print only the problems: not the files written, the notes or the closing line.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Build the book, then build it again each time one of its files changes (a chapter, an
    /// included file, data, an image, a font, book.toml); an edit with errors is reported and
    /// the last good outputs stay. Runs until interrupted (Ctrl-C).
    Watch {
        #[command(flatten)]
        what: BuildArgs,
    },
    /// Make a new book to start from: a commented book.toml, a sample chapter, an image,
    /// appendix data and a .gitignore. Never replaces a file.
    Init {
        /// The folder to make it in (created if needed).
        #[arg(default_value = "manuscript")]
        dir: PathBuf,
    },
    /// Print the completions of inkfold's commands and options for a shell (e.g. `inkfold
    /// completions bash > /etc/bash_completion.d/inkfold`).
    Completions {
        /// The shell: bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
    /// Print inkfold's manual page, in roff (e.g. `inkfold man > inkfold.1; man ./inkfold.1`).
    Man,
    /// Load, parse and check the manuscript (structure, links, images, data, printable
    /// characters, accessibility), and report every problem; writes nothing.
    Check {
        /// The manuscript folder (holding book.toml) [default: manuscript, or the current
        /// folder when it holds book.toml and has no manuscript folder].
        dir: Option<PathBuf>,
        /// Also print the document model as an indented tree (ids, spans, targets).
        #[arg(long)]
        dump: bool,
        /// How to report the problems: readable text on stderr, or JSON on stdout for CI.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
}

/// What `build` and `watch` make, and from where to where.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The manuscript folder (holding book.toml) [default: manuscript, or the current folder
    /// when it holds book.toml and has no manuscript folder].
    pub dir: Option<PathBuf>,
    /// Where to write the outputs.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Which outputs to build.
    #[arg(long, value_enum, default_value_t = Format::All)]
    pub format: Format,
    /// Which editions to make: a built-in profile (book, a4, letter, large-print, booklet,
    /// handout, braille, braille-handout), one of the book's own ([profiles.NAME] in
    /// book.toml), or all. Repeatable; the default is book. Each printed one writes
    /// <title>-<profile>.pdf (book keeps <title>.pdf); braille ones .brf, .pef and .ebrl.
    #[arg(long = "profile", value_name = "NAME")]
    pub profiles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// EPUB 3 for e-readers.
    Epub,
    /// Tagged PDF/UA-1 for print.
    Pdf,
    /// BRF, PEF and eBraille of the braille editions (the `braille` edition unless --profile
    /// names others); needs liblouis.
    Braille,
    /// Every output of the editions chosen (braille only for braille editions named).
    All,
}

/// The folder a command reads when none is named: `manuscript` where there is one (the sample's
/// layout), else the current folder when it holds a book's `book.toml` (a book made by `inkfold
/// init`, or an mdBook project, worked on from inside, as `mdbook build` is). Otherwise
/// `manuscript`, whose absence the build reports with a hint.
pub fn manuscript_dir(named: Option<PathBuf>) -> PathBuf {
    let default = PathBuf::from("manuscript");
    match named {
        Some(dir) => dir,
        None if !default.is_dir() && std::path::Path::new("book.toml").is_file() => {
            PathBuf::from(".")
        }
        None => default,
    }
}
