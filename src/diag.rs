//! Diagnostics: source files and spans in, problems out, printed as `file:line:col` with the
//! source line, a caret under the fault, and a hint saying what to do.
//!
//! Stages record [`Diagnostic`]s against byte [`Span`]s; [`Diagnostics::resolve`] turns them into
//! [`Problem`]s with line and column numbers, which the CLI prints.

use std::fmt;
use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(usize);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: range.start,
            end: range.end,
        }
    }
}

/// A text file read for the book: `book.toml`, a chapter, a data file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to the user (the manuscript folder as given, joined with the file).
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// The text of a 1-based line, without its line end.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every text file of a build, so spans can be turned into lines and columns.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, display: String, text: String) -> FileId {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        self.files.push(SourceFile {
            display,
            text,
            line_starts,
        });
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }
}

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// Where a problem is: a span in a file we read, or a path we could not read.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    Span(Span),
    Path(PathBuf),
}

/// The section of the README that explains what a problem is about, which its report points
/// at (`= see: README.md#book-toml-reference`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    BookToml,
    AppendixData,
    Markdown,
    Editions,
    FromMdBook,
    Fonts,
    Languages,
    Braille,
    Limits,
    Accessibility,
    Output,
}

impl Section {
    pub const ALL: [Section; 11] = [
        Section::BookToml,
        Section::AppendixData,
        Section::Markdown,
        Section::Editions,
        Section::FromMdBook,
        Section::Fonts,
        Section::Languages,
        Section::Braille,
        Section::Limits,
        Section::Accessibility,
        Section::Output,
    ];

    /// The section's heading in the README.
    pub fn heading(self) -> &'static str {
        match self {
            Section::BookToml => "`book.toml` reference",
            Section::AppendixData => "Appendix data",
            Section::Markdown => "Markdown",
            Section::Editions => "Editions",
            Section::FromMdBook => "From mdBook",
            Section::Fonts => "Fonts",
            Section::Languages => "Languages and scripts",
            Section::Braille => "Braille",
            Section::Limits => "Limits",
            Section::Accessibility => "Accessibility warnings",
            Section::Output => "The output folder",
        }
    }

    /// The heading's anchor.
    pub fn anchor(self) -> String {
        anchor(self.heading())
    }
}

/// A heading's anchor, as GitHub and most Markdown viewers make it: lower case, spaces to
/// hyphens, other punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// A problem found by a stage, with its location as a span.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    pub hint: Option<String>,
    /// The README's section on what the stage that found it reads.
    pub see: Option<Section>,
}

/// The problems of one run; stages push into it and carry on, so a run reports them all.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// The section the problems pushed now belong to ([`Diagnostics::within`]).
    section: Option<Section>,
}

impl Diagnostics {
    /// Runs a stage whose problems are about what `section` explains, so each points there.
    pub fn within<R>(&mut self, section: Section, stage: impl FnOnce(&mut Self) -> R) -> R {
        let outer = self.section.replace(section);
        let result = stage(self);
        self.section = outer;
        result
    }

    pub fn error(
        &mut self,
        location: impl Into<Location>,
        message: impl Into<String>,
    ) -> Hinted<'_> {
        self.push(Severity::Error, location.into(), message.into())
    }

    pub fn warning(
        &mut self,
        location: impl Into<Location>,
        message: impl Into<String>,
    ) -> Hinted<'_> {
        self.push(Severity::Warning, location.into(), message.into())
    }

    fn push(&mut self, severity: Severity, location: Location, message: String) -> Hinted<'_> {
        self.items.push(Diagnostic {
            severity,
            location,
            message,
            hint: None,
            see: self.section,
        });
        let last = self.items.len() - 1;
        Hinted(&mut self.items[last])
    }

    /// Takes over every problem of `other`, after this run's (a stage that ran beside
    /// another, with problems of its own).
    pub fn append(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Takes over the problems of `other` that this run has not reported yet (another
    /// edition's layout finds the same characters missing).
    pub fn absorb_new(&mut self, other: Diagnostics) {
        for item in other.items {
            let known = self.items.iter().any(|d| {
                d.severity == item.severity
                    && d.location == item.location
                    && d.message == item.message
            });
            if !known {
                self.items.push(item);
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns the spans into lines and columns, errors first, each group in source order.
    pub fn resolve(self, map: &SourceMap) -> Vec<Problem> {
        let mut problems: Vec<Problem> = self.items.into_iter().map(|d| d.resolve(map)).collect();
        problems.sort_by(|a, b| {
            (a.severity, &a.path, a.line, a.column).cmp(&(b.severity, &b.path, b.line, b.column))
        });
        problems
    }
}

/// Lets a caller add a hint to the diagnostic it just pushed.
pub struct Hinted<'a>(&'a mut Diagnostic);

impl<'a> Hinted<'a> {
    pub fn hint(self, hint: impl Into<String>) {
        self.0.hint = Some(hint.into());
    }

    /// Points the problem at another section of the README than its stage's (before its
    /// hint: `.see(Section::Fonts).hint("…")`).
    pub fn see(self, section: Section) -> Hinted<'a> {
        self.0.see = Some(section);
        self
    }
}

impl From<Span> for Location {
    fn from(span: Span) -> Location {
        Location::Span(span)
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::Path(path.to_path_buf())
    }
}

impl Diagnostic {
    fn resolve(self, map: &SourceMap) -> Problem {
        let (path, line, column, excerpt) = match self.location {
            Location::Path(path) => (path.display().to_string(), 0, 0, None),
            Location::Span(span) => {
                let file = map.get(span.file);
                let (line, column) = file.line_col(span.start);
                let text = file.line_text(line);
                let (end_line, end_col) = file.line_col(span.end);
                let width = if end_line == line && end_col > column {
                    end_col - column
                } else {
                    text.chars().count().saturating_sub(column - 1).max(1)
                };
                (
                    file.display.clone(),
                    line,
                    column,
                    Some(Excerpt {
                        text: text.to_string(),
                        width,
                    }),
                )
            }
        };
        Problem {
            severity: self.severity,
            path,
            line,
            column,
            message: self.message,
            hint: self.hint,
            see: self.see,
            excerpt,
        }
    }
}

/// A problem with its place as file, line and column, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub path: String,
    /// 1-based; 0 when the problem concerns a whole file.
    pub line: usize,
    /// 1-based, in characters; 0 when the problem concerns a whole file.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The README's section that explains it.
    pub see: Option<Section>,
    pub excerpt: Option<Excerpt>,
}

/// The source line of a problem and how many characters the caret underlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    pub width: usize,
}

impl fmt::Display for Problem {
    /// ```text
    /// error: unknown key `colour` in book.toml
    ///   --> manuscript/book.toml:3:1
    ///    |
    ///  3 | colour = "red"
    ///    | ^^^^^^
    ///    = hint: remove the key, or check its spelling
    /// ```
    ///
    /// Paths, messages, hints and source lines print with their control characters escaped
    /// (see [`escape_controls`]), so no file name can forge a line of the report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = escape_controls(&self.message);
        writeln!(f, "{}: {message}", self.severity)?;
        let gutter = " ".repeat(self.line.to_string().len());
        let path = escape_controls(&self.path);
        if self.line == 0 {
            writeln!(f, "{gutter} --> {path}")?;
        } else {
            writeln!(f, "{gutter} --> {path}:{}:{}", self.line, self.column)?;
        }
        if let Some(excerpt) = &self.excerpt {
            let shown = |text: &str| escape_controls(&text.replace('\t', " ")).into_owned();
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{} | {}", self.line, shown(&excerpt.text))?;
            // The caret stays under the fault when escapes before it widen the line.
            let before: String = excerpt.text.chars().take(self.column - 1).collect();
            let under: String = excerpt
                .text
                .chars()
                .skip(self.column - 1)
                .take(excerpt.width)
                .collect();
            let pad = " ".repeat(shown(&before).chars().count());
            let width = shown(&under).chars().count().max(excerpt.width);
            writeln!(f, "{gutter} | {pad}{}", "^".repeat(width))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{gutter} = hint: {}", escape_controls(hint))?;
        }
        if let Some(section) = self.see {
            writeln!(f, "{gutter} = see: README.md#{}", section.anchor())?;
        }
        Ok(())
    }
}

/// `text` with its control characters (C0 and C1, including line ends and ESC) and the
/// bidirectional overrides and isolates, which reorder a terminal line, written as Rust escapes
/// (`\u{1b}`): a file name holding them cannot clear the screen or print a line of its own
/// ("error: …") in a report. Other text, in any script, is left as it is.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The problems as JSON, for CI: `{"errors": n, "warnings": n, "problems": [{…}]}`, each
/// problem with its severity, file, line, column, message and hint.
pub fn to_json(problems: &[Problem]) -> String {
    format!("{:#}", json_value(problems))
}

/// The problems as a JSON value: `errors`, `warnings` and `problems` (each with its severity,
/// file, line, column, message and hint).
pub fn json_value(problems: &[Problem]) -> serde_json::Value {
    let items: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "severity": p.severity.to_string(),
                "file": p.path,
                "line": p.line,
                "column": p.column,
                "message": p.message,
                "hint": p.hint,
                "see": p.see.map(|s| format!("README.md#{}", s.anchor())),
            })
        })
        .collect();
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    serde_json::json!({
        "errors": errors,
        "warnings": problems.len() - errors,
        "problems": items,
    })
}

/// What kind of mistake made a TOML file fail to read into its expected shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TomlFault {
    MissingField,
    UnknownField,
    InvalidType,
    Other,
}

/// Reports a TOML file that does not read into its expected shape: the parser's message in
/// plain words (lists and tables, the field whose value has the wrong type), prefixed with
/// `what` ("book.toml", "appendix data"), at its span, with the hint `hint` gives for the fault.
pub fn toml_error(
    diags: &mut Diagnostics,
    file: FileId,
    text: &str,
    err: &toml::de::Error,
    what: &str,
    hint: impl Fn(TomlFault) -> String,
) {
    let range = err.span().unwrap_or(0..0);
    let message = err
        .message()
        .trim_end()
        .replace("a sequence", "a list")
        .replace("a map", "a table");
    let fault = if message.starts_with("missing field") {
        TomlFault::MissingField
    } else if message.starts_with("unknown field") {
        TomlFault::UnknownField
    } else if message.starts_with("invalid type") {
        TomlFault::InvalidType
    } else {
        TomlFault::Other
    };
    // Name the field whose value has the wrong type: the key before `=` on its line.
    let message = match field_before(text, range.start) {
        Some(field) if fault == TomlFault::InvalidType => format!("field `{field}`: {message}"),
        _ => message,
    };
    diags
        .error(Span::new(file, range), format!("{what}: {message}"))
        .hint(hint(fault));
}

fn field_before(text: &str, offset: usize) -> Option<&str> {
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let (key, _) = text.get(line_start..offset)?.split_once('=')?;
    Some(key.trim()).filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchors of the README's headings (outside code blocks), as [`Section::anchor`]
    /// makes them; a repeated heading's second anchor gets `-1`, as on GitHub.
    fn readme_anchors() -> Vec<String> {
        let readme = include_str!("../README.md");
        let mut anchors: Vec<String> = Vec::new();
        let mut in_code = false;
        for line in readme.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            if in_code || !line.starts_with('#') {
                continue;
            }
            let anchor = anchor(line.trim_start_matches('#').trim());
            let repeats = anchors.iter().filter(|a| **a == anchor).count();
            anchors.push(if repeats == 0 {
                anchor
            } else {
                format!("{anchor}-{repeats}")
            });
        }
        anchors
    }

    #[test]
    fn every_section_a_problem_points_at_is_in_the_readme() {
        let anchors = readme_anchors();
        for section in Section::ALL {
            assert!(
                anchors.contains(&section.anchor()),
                "{section:?}: #{} is not a heading of the README",
                section.anchor()
            );
        }
        assert_eq!(Section::BookToml.anchor(), "booktoml-reference");
        assert_eq!(Section::FromMdBook.anchor(), "from-mdbook");
    }

    #[test]
    fn every_link_within_the_readme_reaches_a_heading() {
        let anchors = readme_anchors();
        let mut links = 0;
        let mut in_code = false;
        for line in include_str!("../README.md").lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            }
            // Links in the text, not examples in code.
            for (at, _) in line.match_indices("](#").filter(|_| !in_code) {
                if line[..at].matches('`').count() % 2 == 1 {
                    continue;
                }
                let rest = &line[at + 3..];
                let anchor = &rest[..rest.find(')').unwrap_or(rest.len())];
                assert!(
                    anchors.iter().any(|a| a == anchor),
                    "#{anchor} is no heading"
                );
                links += 1;
            }
        }
        assert!(links >= 20, "{links} links");
    }

    #[test]
    fn a_problem_points_at_the_section_of_its_stage_unless_told_otherwise() {
        let mut map = SourceMap::default();
        let file = map.add("book.toml".into(), "x = 1\n".into());
        let mut diags = Diagnostics::default();
        diags.within(Section::BookToml, |diags| {
            diags.error(Span::new(file, 0..1), "a");
            diags
                .error(Span::new(file, 0..1), "b")
                .see(Section::Languages)
                .hint("c");
            diags.within(Section::Fonts, |diags| {
                diags.warning(Span::new(file, 0..1), "d");
            });
            diags.error(Span::new(file, 0..1), "e");
        });
        diags.error(Span::new(file, 0..1), "f");
        let problems = diags.resolve(&map);
        let see: Vec<(&str, Option<Section>)> = problems
            .iter()
            .map(|p| (p.message.as_str(), p.see))
            .collect();
        assert_eq!(
            see,
            [
                ("a", Some(Section::BookToml)),
                ("b", Some(Section::Languages)),
                ("e", Some(Section::BookToml)),
                ("f", None),
                ("d", Some(Section::Fonts)),
            ]
        );
        assert!(
            problems[1]
                .to_string()
                .ends_with("= hint: c\n  = see: README.md#languages-and-scripts\n")
        );
    }

    #[test]
    fn json_lists_each_problem_with_its_place() {
        let mut map = SourceMap::default();
        let id = map.add("a.md".into(), "x\ny\n".into());
        let mut diags = Diagnostics::default();
        diags.error(Span::new(id, 2..3), "bad \"y\"").hint("fix it");
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&diags.resolve(&map))).expect("JSON");
        assert_eq!(json["errors"], 1);
        assert_eq!(json["problems"][0]["line"], 2);
        assert_eq!(json["problems"][0]["message"], "bad \"y\"");
        assert_eq!(json["problems"][0]["file"], "a.md");
    }

    #[test]
    fn line_and_column_count_characters() {
        let mut map = SourceMap::default();
        let id = map.add("a.md".into(), "first\nsé cond\nthird".into());
        let file = map.get(id);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(6), (2, 1));
        // "sé " is 4 bytes but 3 characters.
        assert_eq!(file.line_col(10), (2, 4));
        assert_eq!(file.line_text(2), "sé cond");
        assert_eq!(file.line_col(100), (3, 6));
    }

    #[test]
    fn problem_prints_location_caret_and_hint() {
        let mut map = SourceMap::default();
        let id = map.add("book/book.toml".into(), "[book]\ncolour = \"red\"\n".into());
        let mut diags = Diagnostics::default();
        diags
            .error(Span::new(id, 7..13), "unknown key `colour`")
            .hint("remove it");
        assert!(diags.has_errors());
        let problems = diags.resolve(&map);
        assert_eq!(
            problems[0].to_string(),
            "error: unknown key `colour`\n  --> book/book.toml:2:1\n  |\n2 | colour = \"red\"\n  | ^^^^^^\n  = hint: remove it\n"
        );
    }

    #[test]
    fn control_characters_in_paths_and_messages_print_escaped() {
        let mut map = SourceMap::default();
        let id = map.add(
            "a\u{1b}[2J\nerror: forged.md".into(),
            "x\u{1b}y bad\n".into(),
        );
        let mut diags = Diagnostics::default();
        diags
            .error(Span::new(id, 4..7), "font `f\u{7}\n.ttf` is bad")
            .hint("rename \u{202e}it");
        let printed = diags.resolve(&map)[0].to_string();
        assert_eq!(
            printed,
            "error: font `f\\u{7}\\u{a}.ttf` is bad\n  --> a\\u{1b}[2J\\u{a}error: forged.md:1:5\n  |\n1 | x\\u{1b}y bad\n  |          ^^^\n  = hint: rename \\u{202e}it\n"
        );
        assert_eq!(
            printed.lines().filter(|l| l.starts_with("error:")).count(),
            1
        );
        assert_eq!(escape_controls("naïve אב"), "naïve אב");
    }

    #[test]
    fn errors_sort_before_warnings() {
        let mut map = SourceMap::default();
        let id = map.add("a.md".into(), "x\ny\n".into());
        let mut diags = Diagnostics::default();
        diags.warning(Span::new(id, 0..1), "w");
        diags.error(Span::new(id, 2..3), "e");
        let problems = diags.resolve(&map);
        assert_eq!(problems[0].severity, Severity::Error);
        assert_eq!(problems[1].severity, Severity::Warning);
    }
}
