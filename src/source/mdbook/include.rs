//! mdBook's `{{#…}}` directives: a chapter's raw text in (with the project it resolves in), the
//! text with every directive expanded out, as mdBook's built-in `links` preprocessor would give
//! it, and a located problem for each directive that cannot be expanded.
//!
//! The forms, as mdBook 0.5 reads them:
//!
//! - `{{#include path}}`: the file's lines, joined with `\n`, without a final line end;
//!   `path:10` line 10, `path:10:20` lines 10 to 20, `path:10:` line 10 to the end, `path::20`
//!   lines 1 to 20; `path:name` the lines between `ANCHOR: name` and `ANCHOR_END: name`.
//!   An anchor's `ANCHOR` and `ANCHOR_END` lines (of any name) are left out of what it takes; a
//!   whole file or a range of lines comes as it is, as mdBook gives it.
//! - `{{#rustdoc_include path…}}`: the whole file; the lines outside the range or anchor become
//!   hidden Rust lines (`# …`), which print and EPUB drop as mdBook's HTML hides them.
//! - `{{#playground path attr…}}` (and the older `{{#playpen …}}`): the file as a Rust code
//!   block whose info string carries the attributes (`rust,editable`).
//! - `{{#title text}}`: removed (see [`Directive::Title`]).
//! - `\{{#…}}`: printed as written, without the backslash (to the last `}}` of its line).
//! - Any other `{{#name …}}`: left as written.
//!
//! Directives are found in the raw text, inside code blocks too (mdBook's preprocessor is
//! textual). Paths are relative to the folder of the file holding the directive; included text
//! is expanded in turn, relative to the included file, up to [`MAX_DEPTH`] files deep.
//!
//! Where inkfold is stricter than mdBook (which logs a problem and leaves the raw directive in
//! the page, or quietly includes nothing): a file that is missing, unreadable or not UTF-8, an
//! anchor the file does not have, a line range past the file's end and a path outside the
//! book's folder and the version-control checkout holding it are located errors, and the directive is left out of the text, so no raw `{{#include …}}`
//! reaches a book's outputs.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::diag::{Diagnostics, FileId, Severity, Span};
use crate::load::{MAX_MANUSCRIPT_BYTES, MAX_TEXT_BYTES, read_bounded, show_bytes};

/// How many files deep includes may nest (the chapter's own directives are the first level):
/// mdBook's own limit, so a book that builds with mdBook expands here; deeper is almost
/// always a file that includes itself.
pub const MAX_DEPTH: usize = 10;

/// The most text a chapter may hold once its directives are expanded: that of one chapter file,
/// since the expanded text goes through every later stage as one chapter (and nesting could
/// otherwise multiply a file ten levels over).
pub const MAX_EXPANDED_BYTES: u64 = MAX_TEXT_BYTES;

/// The most file text one chapter's directives may read, a file read again counted again: each
/// read costs time in proportion to its size (line ranges and anchors scan the whole file), and
/// this is as much as a whole manuscript may hold, read in well under a second.
const MAX_READ_BYTES: u64 = MAX_MANUSCRIPT_BYTES;

/// The most files one chapter's directives may read, a file read again counted again: the
/// longest chapters of the Rust book include a few dozen listings; ten thousand opens and reads
/// of small files take about a second.
const MAX_READS: usize = 10_000;

/// The project the directives resolve in. Make one per run: the note about files included from
/// outside the book's folder is given once per `Project`.
#[derive(Debug)]
pub struct Project {
    /// The project's folder, canonical.
    pub root: PathBuf,
    /// The chapters' folder (`book.src`), canonical.
    pub src: PathBuf,
    /// The version-control checkout holding the project: the nearest folder, from `root`
    /// upwards, with a `.git` entry.
    checkout: Option<PathBuf>,
    /// Whether the note about a file from outside `root` has been given.
    noted_outside: AtomicBool,
    /// The files included so far (canonical), each once, in the order first read.
    read: Mutex<Vec<PathBuf>>,
}

impl Project {
    /// The project in the folder `root`, its chapters in `src`; both must exist.
    pub fn new(root: &Path, src: &Path) -> std::io::Result<Project> {
        let root = root.canonicalize()?;
        let src = src.canonicalize()?;
        let checkout = root
            .ancestors()
            .find(|dir| dir.join(".git").symlink_metadata().is_ok())
            .map(Path::to_path_buf);
        Ok(Project {
            root,
            src,
            checkout,
            noted_outside: AtomicBool::new(false),
            read: Mutex::new(Vec::new()),
        })
    }

    /// The version-control checkout holding the project, if it is in one: files may be included
    /// from there too.
    pub fn checkout(&self) -> Option<&Path> {
        self.checkout.as_deref()
    }

    /// Every file the directives have included so far (canonical paths, each once), for the
    /// list of files a build read.
    pub fn files_read(&self) -> Vec<PathBuf> {
        self.read
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// A path as shown in messages: relative to the project's folder when inside it.
    fn show(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(relative) => relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            Err(_) => path.display().to_string(),
        }
    }
}

/// Expands the directives of a chapter: `chapter` is its path relative to `project.src`
/// (`/`-separated), `text` its raw text, which the source map holds as `file`. Problems are
/// located at the directive in `text` (for one in an included file, at the chapter's directive
/// that brought that file in); a directive that cannot be expanded is left out.
pub fn expand(
    project: &Project,
    chapter: &str,
    file: FileId,
    text: &str,
    diags: &mut Diagnostics,
) -> String {
    let path = project.src.join(chapter);
    let origin = Origin {
        dir: path.parent().unwrap_or(&project.src).to_path_buf(),
        chain: vec![project.show(&path)],
        at: None,
    };
    let mut expander = Expander {
        project,
        file,
        diags,
        own: text.len() as u64,
        added: 0,
        reads: 0,
        bytes_read: 0,
        stopped: false,
        depth_reported: false,
        reported: HashSet::new(),
    };
    let mut out = String::with_capacity(text.len());
    expander.expand_into(text, &origin, &mut out);
    out
}

/// A directive as its text names it.
#[derive(Debug, PartialEq, Eq)]
enum Directive<'t> {
    /// `include` and `rustdoc_include`: a part of a file, the rest of it dropped or hidden.
    Include {
        path: &'t str,
        part: Part<'t>,
        rest: Rest,
    },
    /// `playground`: the file as a Rust code block with these attributes.
    Playground { path: &'t str, attrs: Vec<&'t str> },
    /// `{{#title …}}` sets only the HTML page's `<title>` in mdBook: neither the chapter's name
    /// in the contents nor its heading. Print and EPUB have no such page title, so it has no
    /// effect here and is removed.
    Title,
    /// A name mdBook does not know: left as written.
    Unknown,
}

/// Which lines of a file a directive takes.
#[derive(Debug, PartialEq, Eq)]
enum Part<'t> {
    Whole,
    /// 1-based, inclusive; no end is the file's end.
    Lines {
        first: usize,
        last: Option<usize>,
    },
    /// Between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(&'t str),
}

/// What becomes of the lines a directive does not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rest {
    /// Left out (`include`).
    Dropped,
    /// Kept as hidden Rust lines, `# ` before them (`rustdoc_include`).
    Hidden,
}

/// A problem with a directive, its message and its hint.
#[derive(Debug, PartialEq, Eq)]
struct Fault {
    message: String,
    hint: String,
}

fn fault(message: impl Into<String>, hint: impl Into<String>) -> Fault {
    Fault {
        message: message.into(),
        hint: hint.into(),
    }
}

/// The directive `{{#name args}}`.
fn parse<'t>(name: &str, args: &'t str) -> Result<Directive<'t>, Fault> {
    let mut words = args.split_whitespace();
    let rest = match name {
        "include" => Rest::Dropped,
        "rustdoc_include" => Rest::Hidden,
        "playground" | "playpen" => {
            let path = words.next().ok_or_else(|| no_file(name))?;
            return Ok(Directive::Playground {
                path,
                attrs: words.collect(),
            });
        }
        "title" => return Ok(Directive::Title),
        _ => return Ok(Directive::Unknown),
    };
    // Words after the path are ignored, as mdBook does.
    let target = words.next().ok_or_else(|| no_file(name))?;
    let (path, part) = match target.split_once(':') {
        Some((path, spec)) => (path, parse_part(spec)?),
        None => (target, Part::Whole),
    };
    Ok(Directive::Include { path, part, rest })
}

fn no_file(name: &str) -> Fault {
    fault(
        format!("`{{{{#{name}}}}}` names no file"),
        format!("write `{{{{#{name} path/to/file}}}}`, the path relative to this file's folder"),
    )
}

/// The part of a file named after the path's first `:`: `10`, `10:20`, `10:`, `:20`, or an
/// anchor's name; empty (`path:` or `path::`) is the whole file.
fn parse_part(spec: &str) -> Result<Part<'_>, Fault> {
    const FORMS: &str = "`file:10` is line 10, `file:10:20` lines 10 to 20, `file:10:` line 10 to the end, `file::20` lines 1 to 20, `file:name` the lines of an anchor";
    let mut parts = spec.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    if parts.next().is_some() {
        return Err(fault(
            format!("`{spec}` has more than two `:`-separated parts"),
            FORMS,
        ));
    }
    let start = match line_number(first)? {
        Some(n) => Some(n),
        None if first.is_empty() => None,
        None if second.is_none() => return Ok(Part::Anchor(first)),
        None => {
            return Err(fault(
                format!("an anchor takes no line numbers: `{spec}`"),
                FORMS,
            ));
        }
    };
    let end =
        match second {
            None => {
                return Ok(start.map_or(Part::Whole, |n| Part::Lines {
                    first: n,
                    last: Some(n),
                }));
            }
            Some("") => None,
            Some(text) => Some(line_number(text)?.ok_or_else(|| {
                fault(format!("`{text}` in `{spec}` is not a line number"), FORMS)
            })?),
        };
    match (start, end) {
        (None, None) => Ok(Part::Whole),
        (Some(first), None) => Ok(Part::Lines { first, last: None }),
        (None, Some(last)) => Ok(Part::Lines {
            first: 1,
            last: Some(last),
        }),
        (Some(first), Some(last)) if last < first => Err(fault(
            format!("the range `{spec}` ends before it starts"),
            FORMS,
        )),
        (Some(first), Some(last)) => Ok(Part::Lines {
            first,
            last: Some(last),
        }),
    }
}

/// A 1-based line number written in a range; `None` when `text` is not digits.
fn line_number(text: &str) -> Result<Option<usize>, Fault> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    match text.parse::<usize>() {
        Ok(0) => Err(fault(
            "line 0 does not exist",
            "lines are numbered from 1, as editors show them",
        )),
        Ok(n) => Ok(Some(n)),
        Err(_) => Err(fault(
            format!("the line number `{text}` is too large"),
            "lines are numbered from 1, as editors show them",
        )),
    }
}

/// The lines of `text` that `part` takes, joined with `\n` (no final line end); with
/// [`Rest::Hidden`], the other lines too, as hidden Rust lines. With an anchor, `ANCHOR` lines are left out.
fn select(text: &str, part: &Part, rest: Rest) -> Result<String, Fault> {
    if let Part::Lines { first, last } = *part {
        let count = text.lines().count();
        let hint = format!(
            "the file has {count} lines; `file:{first}:` takes line {first} to the end, whatever its length"
        );
        if first > count {
            return Err(fault(
                format!("the range starts at line {first}, past the file's end"),
                hint,
            ));
        }
        if let Some(last) = last.filter(|&last| last > count) {
            return Err(fault(
                format!("the range ends at line {last}, past the file's end"),
                hint,
            ));
        }
    }
    let mut anchor = Reached::Before;
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.lines().enumerate() {
        let (start, end) = anchor_marks(line);
        let inside = match *part {
            Part::Whole => true,
            Part::Lines {
                last: Some(last), ..
            } if index >= last && rest == Rest::Dropped => break,
            Part::Lines { first, last } => {
                index + 1 >= first && last.is_none_or(|last| index < last)
            }
            Part::Anchor(name) => {
                if anchor == Reached::Before && start == Some(name) {
                    anchor = Reached::Inside;
                } else if anchor == Reached::Inside && end == Some(name) {
                    anchor = Reached::After;
                }
                anchor == Reached::Inside
            }
        };
        // An anchor's own marks are left out when an anchor is taken (as mdBook does); a
        // whole file or a range of lines comes as it is, marks and all.
        if matches!(part, Part::Anchor(_)) && (start.is_some() || end.is_some()) {
            continue;
        }
        if inside {
            out.push_str(line);
        } else if rest == Rest::Hidden {
            out.push_str("# ");
            out.push_str(line);
        } else {
            continue;
        }
        out.push('\n');
    }
    if let Part::Anchor(name) = *part
        && anchor == Reached::Before
    {
        return Err(missing_anchor(text, name));
    }
    if out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// How far the lines read have reached an anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reached {
    Before,
    Inside,
    After,
}

fn missing_anchor(text: &str, name: &str) -> Fault {
    /// Anchors named in the hint: enough to spot a misspelling, few enough to read.
    const NAMED: usize = 8;
    let mut names: Vec<&str> = Vec::new();
    for line in text.lines() {
        if let (Some(start), _) = anchor_marks(line)
            && !names.contains(&start)
        {
            names.push(start);
            if names.len() == NAMED {
                break;
            }
        }
    }
    let hint = if names.is_empty() {
        format!(
            "the file has no anchors: mark the lines with comments holding `ANCHOR: {name}` before them and `ANCHOR_END: {name}` after"
        )
    } else {
        let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!("the file's anchors: {}", names.join(", "))
    };
    fault(format!("the file has no anchor `{name}`"), hint)
}

/// The names a line opens (`ANCHOR: name`) and closes (`ANCHOR_END: name`), anywhere in the
/// line (in a comment of any language).
fn anchor_marks(line: &str) -> (Option<&str>, Option<&str>) {
    if !line.contains("ANCHOR") {
        return (None, None);
    }
    (mark(line, "ANCHOR:"), mark(line, "ANCHOR_END:"))
}

/// The name after the first `key` that has one: spaces, then word characters and `-`.
fn mark<'t>(line: &'t str, key: &str) -> Option<&'t str> {
    line.match_indices(key).find_map(|(at, _)| {
        let after = line[at + key.len()..].trim_start();
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(after.len());
        (len > 0).then(|| &after[..len])
    })
}

/// The playground block around a file's text.
fn playground(text: &str, attrs: &[&str]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str("```rust");
    for attr in attrs {
        out.push(',');
        out.push_str(attr);
    }
    out.push('\n');
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("```");
    out
}

/// A `{{#…}}` found in a text.
#[derive(Debug, PartialEq, Eq)]
struct Found<'t> {
    /// The bytes it covers.
    range: Range<usize>,
    kind: Kind<'t>,
}

/// What a [`Found`] is.
#[derive(Debug, PartialEq, Eq)]
enum Kind<'t> {
    /// `\{{#…}}`.
    Escaped,
    /// `{{#name args}}`; `args` may be empty or blank.
    Directive { name: &'t str, args: &'t str },
}

/// The directives of a text, in order, as mdBook's pattern finds them: `\{{#` to the last `}}`
/// of its line, or `{{`, spaces, `#`, a name of ASCII letters, digits and `_`, a space, text
/// without `}`, `}}`; also `{{#name}}` with nothing after the name, which mdBook leaves as
/// written (here: an error for a known name). Linear in the text's length: each scan forward
/// is remembered, so no stretch of text is scanned twice.
struct Directives<'t> {
    text: &'t str,
    pos: usize,
    /// The next `}` at or after `.0`: `.1` (none: the text has no more).
    close: (usize, Option<usize>),
    /// The line holding `.0` ends at `.1`, its last `}}` starts at `.2`.
    line: (usize, usize, Option<usize>),
    /// Whitespace runs from `.0` to `.1`.
    blank: (usize, usize),
}

impl<'t> Directives<'t> {
    fn new(text: &'t str) -> Directives<'t> {
        Directives {
            text,
            pos: 0,
            // Nothing remembered yet: each starts past any position asked about.
            close: (usize::MAX, None),
            line: (usize::MAX, 0, None),
            blank: (usize::MAX, 0),
        }
    }

    /// The next `}` at or after `from`.
    fn next_close(&mut self, from: usize) -> Option<usize> {
        // The remembered search holds for `from` when it started at or before it and found
        // nothing before it.
        let (searched, found) = self.close;
        if searched > from || found.is_some_and(|f| f < from) {
            self.close = (from, self.text[from..].find('}').map(|i| from + i));
        }
        self.close.1
    }

    /// The start of the last `}}` on the line holding `at`.
    fn last_close_on_line(&mut self, at: usize) -> Option<usize> {
        let (from, end, _) = self.line;
        if !(from <= at && at < end) {
            let end = self.text[at..]
                .find('\n')
                .map_or(self.text.len(), |i| at + i);
            let last = self.text[at..end].rfind("}}").map(|i| at + i);
            self.line = (at, end, last);
        }
        self.line.2
    }

    /// The end of the whitespace run starting at `at`.
    fn skip_blank(&mut self, at: usize) -> usize {
        let (from, end) = self.blank;
        if !(from <= at && at <= end) {
            let rest = &self.text[at..];
            let len = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            self.blank = (at, at + len);
        }
        self.blank.1
    }

    /// `\{{#…}}` starting at `at` (a backslash), to the last `}}` on its line.
    fn escaped_at(&mut self, at: usize) -> Option<Found<'t>> {
        if !self.text[at + 1..].starts_with("{{#") {
            return None;
        }
        let last = self.last_close_on_line(at)?;
        (last >= at + 4).then_some(Found {
            range: at..last + 2,
            kind: Kind::Escaped,
        })
    }

    /// `{{#name args}}` starting at `at` (a `{`).
    fn directive_at(&mut self, at: usize) -> Option<Found<'t>> {
        if !self.text[at..].starts_with("{{") {
            return None;
        }
        let hash = self.skip_blank(at + 2);
        if self.text.as_bytes().get(hash) != Some(&b'#') {
            return None;
        }
        let name_len = self.text.as_bytes()[hash + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        if name_len == 0 {
            return None;
        }
        let name_end = hash + 1 + name_len;
        let close = self.next_close(name_end)?;
        if !self.text[close..].starts_with("}}") {
            return None;
        }
        let args = &self.text[name_end..close];
        if !args.is_empty() && !args.starts_with(char::is_whitespace) {
            return None;
        }
        Some(Found {
            range: at..close + 2,
            kind: Kind::Directive {
                name: &self.text[hash + 1..name_end],
                args,
            },
        })
    }
}

impl<'t> Iterator for Directives<'t> {
    type Item = Found<'t>;

    fn next(&mut self) -> Option<Found<'t>> {
        while let Some(offset) = self.text[self.pos..].find(['{', '\\']) {
            let at = self.pos + offset;
            let found = if self.text.as_bytes()[at] == b'\\' {
                self.escaped_at(at)
            } else {
                self.directive_at(at)
            };
            match found {
                Some(found) => {
                    self.pos = found.range.end;
                    return Some(found);
                }
                None => self.pos = at + 1,
            }
        }
        self.pos = self.text.len();
        None
    }
}

/// Where a text being expanded comes from.
struct Origin {
    /// The folder its relative paths resolve in (as joined, symbolic links not resolved, as
    /// mdBook does).
    dir: PathBuf,
    /// The files from the chapter down to this text, as shown to the user.
    chain: Vec<String>,
    /// The chapter's directive that brought this text in; `None` for the chapter's own text.
    at: Option<Range<usize>>,
}

/// A file a directive includes.
struct Included {
    /// The path as joined (its folder is where the file's own directives resolve).
    path: PathBuf,
    /// As shown to the user.
    shown: String,
    text: String,
}

/// The state of one chapter's expansion.
struct Expander<'a> {
    project: &'a Project,
    file: FileId,
    diags: &'a mut Diagnostics,
    /// The length of the chapter's own text, and of the text its directives added so far.
    own: u64,
    added: u64,
    reads: usize,
    bytes_read: u64,
    /// A limit was reached: the directives after it are left out, unread.
    stopped: bool,
    depth_reported: bool,
    /// What has been reported, so a file included many times reports its problems once.
    reported: HashSet<(bool, Range<usize>, String)>,
}

impl Expander<'_> {
    /// Appends `text` to `out`, its directives expanded.
    fn expand_into(&mut self, text: &str, origin: &Origin, out: &mut String) {
        let mut done = 0;
        for found in Directives::new(text) {
            self.push(out, &text[done..found.range.start], origin);
            let at = origin.at.clone().unwrap_or(found.range.clone());
            match found.kind {
                Kind::Escaped => {
                    self.push(out, &text[found.range.start + 1..found.range.end], origin)
                }
                Kind::Directive { name, args } => match parse(name, args) {
                    Ok(Directive::Unknown) => self.push(out, &text[found.range.clone()], origin),
                    Ok(Directive::Title) => {}
                    Ok(directive) => self.expand_directive(&directive, at, origin, out),
                    Err(fault) => self.report(Severity::Error, at, origin, fault),
                },
            }
            done = found.range.end;
        }
        self.push(out, &text[done..], origin);
    }

    /// Appends a piece of text; one from an included file only while the chapter's own text and
    /// all included so far stay within [`MAX_EXPANDED_BYTES`].
    fn push(&mut self, out: &mut String, piece: &str, origin: &Origin) {
        if let Some(at) = &origin.at
            && self.own + self.added + piece.len() as u64 > MAX_EXPANDED_BYTES
        {
            if !self.stopped {
                self.stopped = true;
                let fault = fault(
                    format!(
                        "with its included files the chapter is larger than {}; the directives after this one are not expanded",
                        show_bytes(MAX_EXPANDED_BYTES)
                    ),
                    "include parts of files (`file:10:20`, `file:anchor`), or split the chapter",
                );
                self.report(Severity::Error, at.clone(), &top_level(), fault);
            }
            return;
        }
        if origin.at.is_some() {
            self.added += piece.len() as u64;
        }
        out.push_str(piece);
    }

    fn expand_directive(
        &mut self,
        directive: &Directive,
        at: Range<usize>,
        origin: &Origin,
        out: &mut String,
    ) {
        if self.stopped {
            return;
        }
        let path = match directive {
            Directive::Include { path, .. } | Directive::Playground { path, .. } => *path,
            Directive::Title | Directive::Unknown => return,
        };
        if origin.chain.len() > MAX_DEPTH {
            if !self.depth_reported {
                self.depth_reported = true;
                let chain: Vec<String> = origin.chain.iter().map(|f| format!("`{f}`")).collect();
                let fault = fault(
                    format!(
                        "includes nest more than {MAX_DEPTH} files deep: {} → `{path}`",
                        chain.join(" → ")
                    ),
                    "a file that includes itself, directly or through others, never ends: break the cycle",
                );
                self.report(Severity::Error, at, &top_level(), fault);
            }
            return;
        }
        let Some(included) = self.read(path, origin, &at) else {
            return;
        };
        let piece = match directive {
            Directive::Include { part, rest, .. } => match select(&included.text, part, *rest) {
                Ok(piece) => piece,
                Err(mut fault) => {
                    fault.message = format!("`{path}`: {}", fault.message);
                    self.report(Severity::Error, at, origin, fault);
                    return;
                }
            },
            Directive::Playground { attrs, .. } => playground(&included.text, attrs),
            Directive::Title | Directive::Unknown => return,
        };
        let mut chain = origin.chain.clone();
        chain.push(included.shown);
        let inner = Origin {
            dir: included.path.parent().unwrap_or(&origin.dir).to_path_buf(),
            chain,
            at: Some(at),
        };
        self.expand_into(&piece, &inner, out);
    }

    /// Reads the file a directive in `origin` names, checking where it is.
    fn read(&mut self, written: &str, origin: &Origin, at: &Range<usize>) -> Option<Included> {
        let path = origin.dir.join(written);
        let canonical = match path.canonicalize() {
            Ok(canonical) => canonical,
            Err(err) => {
                let folder = origin.dir.canonicalize().map_or_else(
                    |_| origin.dir.display().to_string(),
                    |d| self.project.show(&d),
                );
                let message = if err.kind() == std::io::ErrorKind::NotFound {
                    format!("cannot find `{written}`")
                } else {
                    format!("cannot find `{written}`: {err}")
                };
                let hint = format!(
                    "the path is relative to the folder of the file holding the directive (`{folder}`)"
                );
                self.report(Severity::Error, at.clone(), origin, fault(message, hint));
                return None;
            }
        };
        if !self.contained(written, &canonical, origin, at) {
            return None;
        }
        let shown = self.project.show(&canonical);
        if !canonical.is_file() {
            let fault = fault(
                format!("`{written}` is not a file"),
                "name a file, not a folder",
            );
            self.report(Severity::Error, at.clone(), origin, fault);
            return None;
        }
        self.reads += 1;
        if self.reads > MAX_READS {
            self.stop(
                at,
                format!("the chapter's directives read more than {MAX_READS} files"),
            );
            return None;
        }
        let bytes = match read_bounded(&canonical, MAX_TEXT_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                let fault = fault(
                    format!("`{written}` is larger than {}", show_bytes(MAX_TEXT_BYTES)),
                    "split the file, or include a part of it from a smaller one",
                );
                self.report(Severity::Error, at.clone(), origin, fault);
                return None;
            }
            Err(err) => {
                let fault = fault(
                    format!("cannot read `{written}`: {err}"),
                    "check that the file is readable",
                );
                self.report(Severity::Error, at.clone(), origin, fault);
                return None;
            }
        };
        self.bytes_read += bytes.len() as u64;
        if self.bytes_read > MAX_READ_BYTES {
            self.stop(
                at,
                format!(
                    "the chapter's directives read more than {} of files",
                    show_bytes(MAX_READ_BYTES)
                ),
            );
            return None;
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(err) => {
                let fault = fault(
                    format!(
                        "`{written}` is not UTF-8 text (at byte {})",
                        err.valid_up_to()
                    ),
                    "save the file as UTF-8 text",
                );
                self.report(Severity::Error, at.clone(), origin, fault);
                return None;
            }
        };
        let mut read = self
            .project
            .read
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !read.contains(&canonical) {
            read.push(canonical);
        }
        Some(Included { path, shown, text })
    }

    /// Whether the file at `canonical` may be included: inside the project's folder, or inside
    /// the version-control checkout holding it (with a note, once per project).
    fn contained(
        &mut self,
        written: &str,
        canonical: &Path,
        origin: &Origin,
        at: &Range<usize>,
    ) -> bool {
        let project = self.project;
        if canonical.starts_with(&project.root) {
            return true;
        }
        if let Some(checkout) = &project.checkout
            && canonical.starts_with(checkout)
        {
            if !project.noted_outside.swap(true, Ordering::Relaxed) {
                let note = fault(
                    format!(
                        "`{written}` ({}) is outside the book's folder; it is included because it is inside the version-control checkout holding the book, `{}`",
                        canonical.display(),
                        checkout.display()
                    ),
                    "this is said once per build: other files from the checkout are included without a note",
                );
                self.report(Severity::Warning, at.clone(), origin, note);
            }
            return true;
        }
        let hint = match &project.checkout {
            Some(checkout) => format!(
                "files can be included from the book's folder and from the version-control checkout holding it (`{}`); copy the file into one of them",
                checkout.display()
            ),
            None => format!(
                "files can be included from the book's folder (`{}`), and from the version-control checkout holding it when it is in one; copy the file into the book's folder",
                project.root.display()
            ),
        };
        let fault = fault(
            format!(
                "`{written}` is {}, outside the book's folder: a manuscript must not pull in files from elsewhere on the machine",
                canonical.display()
            ),
            hint,
        );
        self.report(Severity::Error, at.clone(), origin, fault);
        false
    }

    /// Reports that a limit on the chapter's expansion was reached, and stops it.
    fn stop(&mut self, at: &Range<usize>, message: String) {
        self.stopped = true;
        let fault = fault(
            format!("{message}; the directives after this one are not expanded"),
            "include fewer or smaller files, or split the chapter",
        );
        self.report(Severity::Error, at.clone(), &top_level(), fault);
    }

    /// Reports a problem at the chapter's directive `at`, naming the included file it is in.
    fn report(&mut self, severity: Severity, at: Range<usize>, origin: &Origin, fault: Fault) {
        let message = if origin.chain.len() > 1 {
            let files: Vec<String> = origin.chain[1..].iter().map(|f| format!("`{f}`")).collect();
            format!(
                "in {} (included here): {}",
                files.join(" → "),
                fault.message
            )
        } else {
            fault.message
        };
        if !self
            .reported
            .insert((severity == Severity::Error, at.clone(), message.clone()))
        {
            return;
        }
        let span = Span::new(self.file, at);
        let diagnostic = match severity {
            Severity::Error => self.diags.error(span, message),
            Severity::Warning => self.diags.warning(span, message),
        };
        diagnostic.hint(fault.hint);
    }
}

/// The origin of a problem about the chapter as a whole, reported without an included file's
/// name.
fn top_level() -> Origin {
    Origin {
        dir: PathBuf::new(),
        chain: Vec::new(),
        at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Problem, SourceMap};

    /// A project in a fresh folder holding `files` (paths relative to it; `src/` is the
    /// chapters' folder).
    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), files);
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        let project = Project::new(dir.path(), &dir.path().join("src")).unwrap();
        (dir, project)
    }

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    /// The chapter `src/{chapter}` expanded, and the problems found.
    fn run(project: &Project, chapter: &str, text: &str) -> (String, Vec<Problem>) {
        let mut map = SourceMap::default();
        let file = map.add(format!("src/{chapter}"), text.to_string());
        let mut diags = Diagnostics::default();
        let out = expand(project, chapter, file, text, &mut diags);
        (out, diags.resolve(&map))
    }

    /// The chapter expanded, with no problem found.
    fn clean(project: &Project, chapter: &str, text: &str) -> String {
        let (out, problems) = run(project, chapter, text);
        assert!(problems.is_empty(), "{problems:#?}");
        out
    }

    /// The one problem found, and the text expanded.
    fn one_problem(project: &Project, chapter: &str, text: &str) -> (String, Problem) {
        let (out, mut problems) = run(project, chapter, text);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        (out, problems.remove(0))
    }

    const LINES: &str = "one\ntwo\nthree\nfour\nfive\n";

    #[test]
    fn a_whole_file_is_its_lines_without_a_final_line_end() {
        let (_dir, p) = project(&[("src/a.txt", LINES), ("src/crlf.txt", "a\r\nb\r\n")]);
        assert_eq!(
            clean(&p, "ch.md", "x\n{{#include a.txt}}\ny"),
            "x\none\ntwo\nthree\nfour\nfive\ny"
        );
        assert_eq!(clean(&p, "ch.md", "{{#include crlf.txt}}"), "a\nb");
        // Spaces inside the braces, and words after the path, as mdBook reads them.
        assert_eq!(clean(&p, "ch.md", "{{ #include  a.txt:2 extra }}"), "two");
        assert_eq!(
            p.files_read(),
            vec![p.src.join("a.txt"), p.src.join("crlf.txt")]
        );
    }

    #[test]
    fn line_ranges_take_the_lines_they_name() {
        let (_dir, p) = project(&[("src/a.txt", LINES)]);
        let take = |spec: &str| clean(&p, "ch.md", &format!("{{{{#include a.txt{spec}}}}}"));
        assert_eq!(take(":2"), "two");
        assert_eq!(take(":2:4"), "two\nthree\nfour");
        assert_eq!(take(":4:"), "four\nfive");
        assert_eq!(take("::2"), "one\ntwo");
        assert_eq!(take(":5:5"), "five");
        assert_eq!(take(":"), LINES.trim_end());
        assert_eq!(take("::"), LINES.trim_end());
    }

    const ANCHORED: &str = "\
use std::io;
// ANCHOR: all
// ANCHOR: main
fn main() {
    // ANCHOR_END: all
    println!();
}
// ANCHOR_END: main
# ANCHOR:other-name
tail
";

    #[test]
    fn anchors_take_their_lines_without_anchor_lines() {
        let (_dir, p) = project(&[("src/a.rs", ANCHORED)]);
        assert_eq!(
            clean(&p, "ch.md", "{{#include a.rs:main}}"),
            "fn main() {\n    println!();\n}"
        );
        assert_eq!(clean(&p, "ch.md", "{{#include a.rs:all}}"), "fn main() {");
        // An anchor never closed runs to the file's end.
        assert_eq!(clean(&p, "ch.md", "{{#include a.rs:other-name}}"), "tail");
        // A whole file and a line range come as they are, anchor lines and all (mdBook 0.5
        // does the same).
        assert_eq!(clean(&p, "ch.md", "{{#include a.rs}}"), ANCHORED.trim_end());
        assert_eq!(
            clean(&p, "ch.md", "{{#include a.rs:1:3}}"),
            "use std::io;\n// ANCHOR: all\n// ANCHOR: main"
        );
    }

    #[test]
    fn rustdoc_include_hides_the_lines_it_does_not_take() {
        let (_dir, p) = project(&[("src/a.rs", ANCHORED)]);
        assert_eq!(
            clean(&p, "ch.md", "{{#rustdoc_include a.rs:main}}"),
            "# use std::io;\nfn main() {\n    println!();\n}\n# tail"
        );
        assert_eq!(
            clean(&p, "ch.md", "{{#rustdoc_include a.rs:4:5}}"),
            "# use std::io;\n# // ANCHOR: all\n# // ANCHOR: main\nfn main() {\n    // ANCHOR_END: all\n#     println!();\n# }\n# // ANCHOR_END: main\n# # ANCHOR:other-name\n# tail"
        );
        assert_eq!(
            clean(&p, "ch.md", "{{#rustdoc_include a.rs}}"),
            ANCHORED.trim_end()
        );
    }

    #[test]
    fn playground_makes_a_rust_block() {
        let (_dir, p) = project(&[("src/a.rs", "fn main() {}"), ("src/b.rs", "fn main() {}\n")]);
        assert_eq!(
            clean(&p, "ch.md", "{{#playground a.rs editable no_run}}"),
            "```rust,editable,no_run\nfn main() {}\n```"
        );
        assert_eq!(
            clean(&p, "ch.md", "{{#playground b.rs}}"),
            "```rust\nfn main() {}\n```"
        );
        assert_eq!(
            clean(&p, "ch.md", "{{#playpen b.rs}}"),
            "```rust\nfn main() {}\n```"
        );
    }

    #[test]
    fn titles_go_escapes_print_as_written_and_unknown_names_stay() {
        let (_dir, p) = project(&[("src/a.txt", "A")]);
        assert_eq!(clean(&p, "ch.md", "{{#title My Page}}# Ch\n"), "# Ch\n");
        assert_eq!(clean(&p, "ch.md", "{{#title}}# Ch"), "# Ch");
        assert_eq!(
            clean(&p, "ch.md", r"Write \{{#include a.txt}} to include."),
            "Write {{#include a.txt}} to include."
        );
        // The escape runs to the last `}}` of its line, as mdBook's pattern does.
        assert_eq!(
            clean(
                &p,
                "ch.md",
                "\\{{#include a.txt}} and {{#include a.txt}}\n{{#include a.txt}}"
            ),
            "{{#include a.txt}} and {{#include a.txt}}\nA"
        );
        assert_eq!(
            clean(
                &p,
                "ch.md",
                "{{#tabs x}} {{#Include a.txt}} {{#foo}} {{ not }} {{#include a.txt}"
            ),
            "{{#tabs x}} {{#Include a.txt}} {{#foo}} {{ not }} {{#include a.txt}"
        );
        assert_eq!(clean(&p, "ch.md", "{{{#include a.txt}}}"), "{A}");
    }

    #[test]
    fn directives_in_code_blocks_are_expanded() {
        let (_dir, p) = project(&[("src/a.rs", "fn f() {}\n")]);
        assert_eq!(
            clean(
                &p,
                "ch.md",
                "```rust\n{{#include a.rs}}\n```\n\n    {{#include a.rs}}\n"
            ),
            "```rust\nfn f() {}\n```\n\n    fn f() {}\n"
        );
    }

    #[test]
    fn paths_are_relative_to_the_file_holding_the_directive() {
        let (_dir, p) = project(&[
            (
                "src/part/inc/a.md",
                "a[{{#include ../../../listings/b.rs}}]",
            ),
            ("listings/b.rs", "b[{{#include c.rs}}]"),
            ("listings/c.rs", "c"),
        ]);
        assert_eq!(clean(&p, "part/ch.md", "{{#include inc/a.md}}"), "a[b[c]]");
    }

    #[test]
    fn includes_nest_ten_files_deep_and_no_more() {
        let mut files: Vec<(String, String)> = (1..=10)
            .map(|n| {
                (
                    format!("src/{n}.md"),
                    format!("{n} {{{{#include {}.md}}}}", n + 1),
                )
            })
            .collect();
        files.push(("src/11.md".into(), "end".into()));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (_dir, p) = project(&files[..9]);
        write(&p.root, &[("src/10.md", "10")]);
        assert_eq!(
            clean(&p, "ch.md", "{{#include 1.md}}"),
            "1 2 3 4 5 6 7 8 9 10"
        );
        write(&p.root, &files[9..]);
        let (out, problem) = one_problem(&p, "ch.md", "x {{#include 1.md}}");
        assert_eq!(out, "x 1 2 3 4 5 6 7 8 9 10 ");
        assert!(
            problem.message.contains("more than 10 files deep"),
            "{problem:?}"
        );
        assert!(
            problem.message.contains("`src/ch.md` → `src/1.md` →")
                && problem.message.ends_with("`src/10.md` → `11.md`"),
            "{problem:?}"
        );
        assert_eq!((problem.line, problem.column), (1, 3));
    }

    #[test]
    fn a_cycle_is_one_error_naming_the_chain() {
        let (_dir, p) = project(&[
            ("src/a.md", "a {{#include b.md}}{{#include b.md}}"),
            ("src/b.md", "{{#include a.md}}"),
        ]);
        let (_, problem) = one_problem(&p, "ch.md", "{{#include a.md}}");
        assert!(
            problem
                .message
                .contains("`src/a.md` → `src/b.md` → `src/a.md`"),
            "{problem:?}"
        );
        assert!(problem.hint.unwrap().contains("cycle"));
    }

    #[test]
    fn each_problem_is_an_error_at_its_directive_and_the_directive_goes() {
        let (_dir, p) = project(&[
            ("src/a.rs", ANCHORED),
            ("src/bad.txt", ""),
            ("src/inc.md", "before {{#include nowhere.md}} after"),
            ("src/folder/x", ""),
        ]);
        std::fs::write(p.src.join("bad.txt"), b"ok\xff").unwrap();
        let cases = [
            (
                "{{#include missing.rs}}",
                "cannot find `missing.rs`",
                "relative to the folder",
            ),
            (
                "{{#include a.rs:nope}}",
                "`a.rs`: the file has no anchor `nope`",
                "`all`, `main`, `other-name`",
            ),
            (
                "{{#include a.rs:9:12}}",
                "the range ends at line 12, past the file's end",
                "has 10 lines",
            ),
            (
                "{{#include a.rs:11}}",
                "starts at line 11, past the file's end",
                "`file:11:`",
            ),
            (
                "{{#include a.rs:0}}",
                "line 0 does not exist",
                "numbered from 1",
            ),
            (
                "{{#include a.rs:5:2}}",
                "ends before it starts",
                "`file:10:20`",
            ),
            (
                "{{#include a.rs:2:x}}",
                "`x` in `2:x` is not a line number",
                "`file:10:`",
            ),
            ("{{#include a.rs:1:2:3}}", "more than two", "`file:name`"),
            (
                "{{#include a.rs:all:3}}",
                "an anchor takes no line numbers",
                "`file:name`",
            ),
            (
                "{{#include }}",
                "`{{#include}}` names no file",
                "{{#include path/to/file}}",
            ),
            (
                "{{#rustdoc_include}}",
                "`{{#rustdoc_include}}` names no file",
                "path",
            ),
            ("{{#playground}}", "`{{#playground}}` names no file", "path"),
            (
                "{{#include bad.txt}}",
                "`bad.txt` is not UTF-8 text",
                "UTF-8",
            ),
            (
                "{{#include folder}}",
                "`folder` is not a file",
                "not a folder",
            ),
            (
                "{{#include inc.md}}",
                "in `src/inc.md` (included here): cannot find `nowhere.md`",
                "`src`",
            ),
        ];
        for (directive, message, hint) in cases {
            let text = format!("# Ch\n\nSee  {directive} here.\n");
            let (out, problem) = one_problem(&p, "ch.md", &text);
            assert_eq!(problem.severity, Severity::Error, "{directive}");
            assert!(
                problem.message.contains(message),
                "{directive}: {problem:?}"
            );
            assert!(
                problem.hint.as_deref().unwrap_or("").contains(hint),
                "{directive}: {problem:?}"
            );
            assert_eq!(
                (problem.path.as_str(), problem.line, problem.column),
                ("src/ch.md", 3, 6),
                "{directive}"
            );
            assert_eq!(
                problem.excerpt.unwrap().width,
                directive.chars().count(),
                "{directive}"
            );
            assert!(!out.contains("{{#"), "{directive}: {out}");
        }
        // What the included file holds around a failing directive stays.
        let (out, _) = run(&p, "ch.md", "{{#include inc.md}}");
        assert_eq!(out, "before  after");
    }

    #[test]
    fn every_problem_of_a_chapter_is_reported() {
        let (_dir, p) = project(&[("src/a.txt", "A")]);
        let (out, problems) = run(
            &p,
            "ch.md",
            "{{#include x}}\n{{#include a.txt}}\n{{#include a.txt:3}}\n",
        );
        assert_eq!(out, "\nA\n\n");
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 3]);
    }

    #[test]
    fn a_file_too_large_is_an_error() {
        let (_dir, p) = project(&[]);
        let big = vec![b'a'; MAX_TEXT_BYTES as usize + 1];
        std::fs::write(p.src.join("big.txt"), big).unwrap();
        let (_, problem) = one_problem(&p, "ch.md", "{{#include big.txt}}");
        assert!(
            problem.message.contains("is larger than 8 MiB"),
            "{problem:?}"
        );
    }

    #[test]
    fn the_expanded_chapter_is_bounded() {
        // Each level includes the next twice: 2^9 copies of a 64 KiB file is 32 MiB.
        let mut files: Vec<(String, String)> = (1..=9)
            .map(|n| {
                (
                    format!("src/{n}.md"),
                    format!("{{{{#include {0}.md}}}}{{{{#include {0}.md}}}}", n + 1),
                )
            })
            .collect();
        files.push(("src/10.md".into(), "x".repeat(64 * 1024)));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (_dir, p) = project(&files);
        let (out, problems) = run(&p, "ch.md", "{{#include 1.md}} {{#include 1.md}}");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].message.contains("larger than 8 MiB"),
            "{problems:?}"
        );
        assert!(out.len() as u64 <= MAX_EXPANDED_BYTES, "{}", out.len());
    }

    #[test]
    fn the_files_a_chapter_reads_are_bounded() {
        let (_dir, p) = project(&[("src/a.txt", "A")]);
        let text = "{{#include a.txt}}\n".repeat(MAX_READS + 2);
        let (out, problems) = run(&p, "ch.md", &text);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].message.contains("more than 10000 files"),
            "{problems:?}"
        );
        assert_eq!(problems[0].line, MAX_READS + 1);
        assert_eq!(out, "A\n".repeat(MAX_READS) + "\n\n");

        // A quarter of the bytes a chapter may read, so the fifth read is one too many.
        let quarter = "x\n".repeat((MAX_READ_BYTES / 8) as usize);
        write(&p.root, &[("src/big.txt", &quarter)]);
        let (out, problems) = run(&p, "ch.md", &"{{#include big.txt:1}}\n".repeat(6));
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].message.contains("more than 32 MiB of files"),
            "{problems:?}"
        );
        assert_eq!(problems[0].line, 5);
        assert_eq!(out, "x\n".repeat(4) + "\n\n");
    }

    #[test]
    fn scanning_is_linear_in_the_text() {
        let (_dir, p) = project(&[]);
        // Each of these would make a backtracking scan read the rest of the text again.
        for unit in ["{{#a ", "\\{{#a ", "{{ ", "{{#a }"] {
            let text = unit.repeat(200_000);
            let start = std::time::Instant::now();
            assert_eq!(clean(&p, "ch.md", &text), text);
            assert!(
                start.elapsed() < std::time::Duration::from_secs(5),
                "{unit}"
            );
        }
    }

    #[test]
    fn the_scanner_finds_what_mdbooks_pattern_finds() {
        let found: Vec<(Range<usize>, String)> =
            Directives::new("a {{#include x}} b \\{{#y}} }} c\n{{\n #n\targs\nmore}}{{#z-}}")
                .map(|f| {
                    let what = match f.kind {
                        Kind::Escaped => "escaped".to_string(),
                        Kind::Directive { name, args } => format!("{name}:{args}"),
                    };
                    (f.range, what)
                })
                .collect();
        assert_eq!(
            found,
            [
                (2..16, "include: x".to_string()),
                (19..29, "escaped".to_string()),
                (32..50, "n:\targs\nmore".to_string()),
            ]
        );
    }

    #[test]
    fn files_outside_the_book_need_its_checkout() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        write(
            &top,
            &[
                ("elsewhere.rs", "secret"),
                ("repo/listings/a.rs", "A"),
                ("repo/listings/b.rs", "B"),
                ("repo/book/src/ch.md", ""),
            ],
        );
        // Without a checkout, the book's folder is the bound.
        let book = top.join("repo/book");
        let p = Project::new(&book, &book.join("src")).unwrap();
        assert_eq!(
            p.checkout(),
            None,
            "the temporary folder is inside a checkout"
        );
        let (out, problem) = one_problem(&p, "ch.md", "{{#include ../../listings/a.rs}}");
        assert_eq!(out, "");
        assert!(
            problem
                .message
                .contains("must not pull in files from elsewhere"),
            "{problem:?}"
        );
        assert!(problem.hint.unwrap().contains("version-control checkout"));

        // In a checkout (`.git` a folder or, in a worktree, a file), files of the checkout can
        // be included, with one note per project.
        std::fs::write(top.join("repo/.git"), "gitdir: elsewhere").unwrap();
        let p = Project::new(&book, &book.join("src")).unwrap();
        assert_eq!(p.checkout(), Some(top.join("repo").as_path()));
        let (out, problems) = run(
            &p,
            "ch.md",
            "{{#include ../../listings/a.rs}} {{#include ../../listings/b.rs}}",
        );
        assert_eq!(out, "A B");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert_eq!(problems[0].severity, Severity::Warning);
        assert!(
            problems[0].message.contains("`../../listings/a.rs`"),
            "{problems:?}"
        );
        assert_eq!(
            clean(&p, "other.md", "{{#include ../../listings/b.rs}}"),
            "B"
        );

        // Beyond the checkout: an error, however the path gets there.
        let (_, problem) = one_problem(&p, "ch.md", "{{#include ../../../elsewhere.rs}}");
        assert!(
            problem
                .message
                .contains("must not pull in files from elsewhere"),
            "{problem:?}"
        );
        assert!(
            problem
                .hint
                .unwrap()
                .contains(&top.join("repo").display().to_string())
        );
        let (_, problem) = one_problem(
            &p,
            "ch.md",
            &format!("{{{{#include {}}}}}", top.join("elsewhere.rs").display()),
        );
        assert!(problem.message.contains("must not pull in"), "{problem:?}");
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_followed_before_the_check() {
        let (_dir, p) = project(&[("src/inside.txt", "in")]);
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), p.src.join("link.txt"))
            .unwrap();
        std::os::unix::fs::symlink(p.src.join("inside.txt"), p.src.join("ok.txt")).unwrap();
        let (out, problem) = one_problem(&p, "ch.md", "{{#include link.txt}}");
        assert_eq!(out, "");
        assert!(problem.message.contains("must not pull in"), "{problem:?}");
        assert_eq!(clean(&p, "ch.md", "{{#include ok.txt}}"), "in");
    }

    #[test]
    fn parts_parse() {
        assert_eq!(parse_part("a-b_c"), Ok(Part::Anchor("a-b_c")));
        assert_eq!(
            parse_part("3"),
            Ok(Part::Lines {
                first: 3,
                last: Some(3)
            })
        );
        assert_eq!(
            parse_part(":4"),
            Ok(Part::Lines {
                first: 1,
                last: Some(4)
            })
        );
        assert_eq!(
            parse_part("3:"),
            Ok(Part::Lines {
                first: 3,
                last: None
            })
        );
        assert!(parse_part("99999999999999999999999").is_err());
        assert_eq!(
            parse("playground", " a.rs  editable "),
            Ok(Directive::Playground {
                path: "a.rs",
                attrs: vec!["editable"]
            })
        );
        assert_eq!(
            parse("rustdoc_include", " a.rs:x"),
            Ok(Directive::Include {
                path: "a.rs",
                part: Part::Anchor("x"),
                rest: Rest::Hidden
            })
        );
    }

    #[test]
    fn anchor_marks_are_found_anywhere_in_a_line() {
        assert_eq!(anchor_marks("  // ANCHOR: here"), (Some("here"), None));
        assert_eq!(anchor_marks("<!-- ANCHOR_END:x -->"), (None, Some("x")));
        assert_eq!(anchor_marks("ANCHOR: ! ANCHOR: y"), (Some("y"), None));
        assert_eq!(anchor_marks("ANCHOR:"), (None, None));
        assert_eq!(anchor_marks("no anchor"), (None, None));
    }
}
