//! eBraille 1.0: a transcription in; the bytes of an `.ebrl` file set (an EPUB 3 package of braille content documents) out.
//!
//! The file set, in zip order: `mimetype`, `META-INF/container.xml`, `package.opf` and the
//! navigation document `index.html` at the root, then one XHTML content document per chapter
//! and a style sheet under `ebraille/`. Zipped by the EPUB writer's [`package`], so the same
//! transcription always gives the same bytes.

use std::collections::HashSet;
use std::fmt;

use super::{Block, BlockKind, Chapter, Transcription};
use crate::render::epub::{EpubFile, package};
use crate::render::xml::Xml;

const XHTML: &str = "application/xhtml+xml";
/// The style sheet's path inside the file set.
const CSS_PATH: &str = "ebraille/style.css";

/// The required eBraille metadata the book does not give: the file is not written rather than
/// written with metadata made up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// Each missing property as the package document names it (`dc:creator`, `dc:date`,
    /// `dcterms:dateCopyrighted`), with what in the book would give it.
    pub properties: Vec<(&'static str, &'static str)>,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "eBraille requires metadata the book does not give:")?;
        for (i, (property, from)) in self.properties.iter().enumerate() {
            let sep = if i == 0 { " " } else { "; " };
            write!(f, "{sep}{property} (from {from})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Missing {}

/// The `.ebrl` file: the files of [`files`] zipped with `mimetype` first and stored. Metadata
/// the book does not give is left out ([`missing`] says which eBraille requires).
pub fn write(t: &Transcription) -> zip::result::ZipResult<Vec<u8>> {
    package(&files(t))
}

/// The metadata eBraille requires that the book does not give, if any: the file is written
/// without it (never with metadata made up), and the build asks for it with a warning.
pub fn missing(t: &Transcription) -> Option<Missing> {
    let properties = required_metadata(t).1;
    (!properties.is_empty()).then_some(Missing { properties })
}

/// Every file of the file set, in zip order.
pub fn files(t: &Transcription) -> Vec<EpubFile> {
    let (required, _) = required_metadata(t);
    let file = EpubFile::new;
    let marked = marked_pages(t);
    let mut resources = vec![EpubFile {
        properties: Some("nav"),
        ..file(
            "index.html".into(),
            "nav".into(),
            XHTML,
            navigation(t, &marked).into_bytes(),
        )
    }];
    for (index, chapter) in t.chapters.iter().enumerate() {
        resources.push(EpubFile {
            in_spine: true,
            ..file(
                chapter_path(index),
                chapter_id(index),
                XHTML,
                content_document(t, chapter, index).into_bytes(),
            )
        });
    }
    if t.chapters.is_empty() {
        // A spine holds at least one document: with no chapters, the navigation document.
        resources[0].in_spine = true;
    }
    resources.push(file(
        CSS_PATH.into(),
        "css".into(),
        "text/css",
        STYLE.as_bytes().to_vec(),
    ));
    let mut files = vec![
        file(
            "mimetype".into(),
            String::new(),
            "",
            b"application/epub+zip".to_vec(),
        ),
        file(
            "META-INF/container.xml".into(),
            String::new(),
            "",
            crate::render::epub::container("package.opf").into_bytes(),
        ),
        file(
            "package.opf".into(),
            String::new(),
            "",
            opf(t, &required, &resources).into_bytes(),
        ),
    ];
    files.extend(resources);
    files
}

/// The metadata eBraille requires that the book may lack.
struct Required<'a> {
    date: Option<&'a str>,
    /// The year of the date, for `dcterms:dateCopyrighted`.
    year: Option<&'a str>,
}

fn required_metadata(t: &Transcription) -> (Required<'_>, Vec<(&'static str, &'static str)>) {
    let mut properties = Vec::new();
    if t.about.authors.is_empty() {
        properties.push(("dc:creator", "the book's authors"));
    }
    let date = t.about.date.as_deref();
    let year = date
        .and_then(|d| d.get(..4))
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
    let required = match (date, year) {
        (Some(date), Some(year)) => Required {
            date: Some(date),
            year: Some(year),
        },
        _ => {
            properties.push(("dc:date", "the book's date"));
            properties.push(("dcterms:dateCopyrighted", "the year of the book's date"));
            Required {
                date: None,
                year: None,
            }
        }
    };
    (required, properties)
}

/// The path of chapter `index`'s content document.
fn chapter_path(index: usize) -> String {
    format!("ebraille/{}.html", chapter_id(index))
}

fn chapter_id(index: usize) -> String {
    format!("chapter-{:03}", index + 1)
}

/// A page marker's id: `page-12`, `page-p1`.
fn page_id(t: &Transcription, page: usize) -> Option<String> {
    t.pages
        .get(page)
        .map(|p| format!("page-{}", p.number.print_form()))
}

/// The pages that begin in the chapters, in order: (index into the pages, chapter index). A page
/// named twice is marked where it is first named.
fn marked_pages(t: &Transcription) -> Vec<(usize, usize)> {
    let mut seen = HashSet::new();
    let mut marked = Vec::new();
    for (index, chapter) in t.chapters.iter().enumerate() {
        for block in &chapter.blocks {
            for &(_, page) in &block.page_breaks {
                if page < t.pages.len() && seen.insert(page) {
                    marked.push((page, index));
                }
            }
        }
    }
    marked
}

/// `package.opf`: the metadata eBraille requires and EPUB Accessibility's, the manifest and the
/// spine. The metadata's text is the print book's, so the package's language is the print one.
fn opf(t: &Transcription, required: &Required<'_>, files: &[EpubFile]) -> String {
    let about = &t.about;
    let mut x = Xml::new();
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open(
        "package",
        &[
            ("xmlns", "http://www.idpf.org/2007/opf"),
            ("version", "3.0"),
            ("unique-identifier", "book-id"),
            ("xml:lang", &about.lang),
        ],
    )
    .newline();
    x.open(
        "metadata",
        &[("xmlns:dc", "http://purl.org/dc/elements/1.1/")],
    )
    .newline();
    x.element("dc:identifier", &[("id", "book-id")], &about.identifier)
        .newline();
    x.element("dc:title", &[], &about.title).newline();
    x.element("dc:language", &[], &about.braille_lang())
        .newline();
    crate::render::epub::creators(&mut x, &about.authors);
    if let Some(publisher) = &about.publisher {
        x.element("dc:publisher", &[], publisher).newline();
    }
    if let Some(date) = required.date {
        x.element("dc:date", &[], date).newline();
    }
    x.element("dc:format", &[], "eBraille 1.0").newline();
    if let Some(rights) = &about.rights {
        x.element("dc:rights", &[], rights).newline();
    }
    let mut property = |name: &str, value: &str| {
        x.element("meta", &[("property", name)], value).newline();
    };
    property("dcterms:modified", &about.modified);
    if let Some(year) = required.year {
        property("dcterms:dateCopyrighted", year);
    }
    // eBraille's properties, in the reserved `a11y:` prefix (so not declared).
    property("a11y:brailleSystem", &about.system);
    property("a11y:brailleCellType", &about.dots.to_string());
    property("a11y:completeTranscription", "true");
    property("a11y:producer", "inkfold");
    property("a11y:tactileGraphics", "none");
    // EPUB Accessibility's, as the EPUB writer gives them.
    property("schema:accessMode", "textual");
    property("schema:accessModeSufficient", "textual");
    for feature in [
        "braille",
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "pageBreakMarkers",
        "pageNavigation",
    ] {
        property("schema:accessibilityFeature", feature);
    }
    property("schema:accessibilityHazard", "none");
    property("schema:accessibilitySummary", SUMMARY);
    x.close("metadata").newline();

    crate::render::epub::manifest_and_spine(&mut x, files, "", &[]);
    x.close("package").newline();
    x.finish()
}

/// The accessibility summary: what the file set is, in terms the writer guarantees.
const SUMMARY: &str = "A braille transcription of the whole book in Unicode braille, for reading on a refreshable braille display or embossing. It has a table of contents, headings for structural navigation, and a list of the braille pages with a marker where each begins.";

/// The start of every XHTML document of the file set: language `<lang>-Brai`, its title, the
/// style sheet at `css`.
fn document_start(x: &mut Xml, t: &Transcription, title: &str, css: &str) {
    crate::render::epub::html_start(x, &t.about.braille_lang(), false, title, css, &[]);
}

/// `index.html`: the chapters (their braille titles), then every braille page with a marker,
/// each named by its braille number, with the print page in effect as its `title`.
fn navigation(t: &Transcription, marked: &[(usize, usize)]) -> String {
    let mut x = Xml::new();
    let contents = t.contents_title.as_str();
    document_start(&mut x, t, contents, CSS_PATH);
    x.open("nav", &[("epub:type", "toc"), ("role", "doc-toc")])
        .newline();
    x.element("h1", &[], contents).newline();
    x.open("ol", &[]).newline();
    for (index, chapter) in t.chapters.iter().enumerate() {
        x.open("li", &[]);
        x.element(
            "a",
            &[("href", &chapter_path(index))],
            &chapter_title(chapter, index),
        );
        x.close("li").newline();
    }
    x.close("ol").newline();
    x.close("nav").newline();

    x.open(
        "nav",
        &[
            ("epub:type", "page-list"),
            ("role", "doc-pagelist"),
            ("hidden", "hidden"),
        ],
    )
    .newline();
    x.open("ol", &[]).newline();
    for &(page, chapter) in marked {
        let (Some(id), Some(p)) = (page_id(t, page), t.pages.get(page)) else {
            continue;
        };
        let href = format!("{}#{id}", chapter_path(chapter));
        let mut attrs = vec![("href", href.as_str())];
        if let Some(print) = &p.print {
            attrs.push(("title", print.as_str()));
        }
        x.open("li", &[]);
        x.element("a", &attrs, &p.number.braille());
        x.close("li").newline();
    }
    x.close("ol").newline();
    x.close("nav").newline();
    crate::render::epub::document_end(&mut x);
    x.finish()
}

/// A chapter's title in braille; its number, when it has none.
fn chapter_title(chapter: &Chapter, index: usize) -> String {
    if chapter.braille_title.is_empty() {
        super::braille_number(index + 1)
    } else {
        chapter.braille_title.clone()
    }
}

/// A chapter's content document: each block an element, lists nested by depth, and a page
/// marker where each braille page begins.
fn content_document(t: &Transcription, chapter: &Chapter, index: usize) -> String {
    let mut x = Xml::new();
    document_start(&mut x, t, &chapter_title(chapter, index), "style.css");
    // How many lists are open, each with an item open in it.
    let mut open_lists = 0;
    for block in &chapter.blocks {
        match block.kind {
            BlockKind::ListItem { depth } => {
                let target = usize::from(depth) + 1;
                close_lists(&mut x, &mut open_lists, target);
                if open_lists == target {
                    x.close("li").newline();
                    x.open("li", &[]);
                }
                while open_lists < target {
                    x.open("ul", &[]).newline().open("li", &[]);
                    open_lists += 1;
                }
                block_text(&mut x, t, block);
            }
            kind => {
                close_lists(&mut x, &mut open_lists, 0);
                let (name, attrs): (String, &[(&str, &str)]) = match kind {
                    BlockKind::Heading(level) => (format!("h{}", level.clamp(1, 6)), &[]),
                    BlockKind::Paragraph => ("p".into(), &[]),
                    BlockKind::TableRow => ("p".into(), &[("class", "row")]),
                    BlockKind::Code => ("pre".into(), &[]),
                    BlockKind::Note => ("aside".into(), &[("role", "note")]),
                    // Written as list items above; never reached.
                    BlockKind::ListItem { .. } => ("p".into(), &[]),
                };
                // A page that begins with the block is marked before it, outside a heading.
                let starts_page = block.page_breaks.iter().any(|&(at, _)| at == 0);
                if starts_page {
                    for &(_, page) in block.page_breaks.iter().filter(|&&(at, _)| at == 0) {
                        page_marker(&mut x, t, page);
                    }
                    x.newline();
                }
                x.open(&name, attrs);
                if kind == BlockKind::Note {
                    x.open("p", &[]);
                }
                let rest = Block {
                    page_breaks: block
                        .page_breaks
                        .iter()
                        .copied()
                        .filter(|&(at, _)| at != 0)
                        .collect(),
                    ..block.clone()
                };
                block_text(&mut x, t, &rest);
                if kind == BlockKind::Note {
                    x.close("p");
                }
                x.close(&name).newline();
            }
        }
    }
    close_lists(&mut x, &mut open_lists, 0);
    crate::render::epub::document_end(&mut x);
    x.finish()
}

/// Closes lists (and the item open in each) until `target` are open.
fn close_lists(x: &mut Xml, open: &mut usize, target: usize) {
    while *open > target {
        x.close("li").newline().close("ul").newline();
        *open -= 1;
    }
}

/// A block's text, split where its pages begin, with a marker there.
fn block_text(x: &mut Xml, t: &Transcription, block: &Block) {
    let text = block.text.as_str();
    let mut breaks: Vec<(usize, usize)> = block
        .page_breaks
        .iter()
        .map(|&(at, page)| {
            // An offset inside a cell moves to the cell's end; one past the text, to its end.
            let at = (at.min(text.len())..=text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            (at, page)
        })
        .collect();
    breaks.sort();
    let mut from = 0;
    for (at, page) in breaks {
        x.text(&text[from..at]);
        page_marker(x, t, page);
        from = at;
    }
    x.text(&text[from..]);
}

/// The marker where braille page `page` begins; its label is the page's braille number.
fn page_marker(x: &mut Xml, t: &Transcription, page: usize) {
    let (Some(id), Some(p)) = (page_id(t, page), t.pages.get(page)) else {
        return;
    };
    x.open(
        "span",
        &[
            ("epub:type", "pagebreak"),
            ("role", "doc-pagebreak"),
            ("id", &id),
            ("aria-label", &p.number.braille()),
        ],
    )
    .close("span");
}

/// The style sheet: font-relative units only, so the reader's size and layout prevail.
const STYLE: &str = "\
body { margin: 0 1em; }
h1, h2, h3, h4, h5, h6 { font-size: 1em; font-weight: normal; margin: 1em 0 0.5em; }
p { margin: 0; text-indent: 2em; }
p.row { text-indent: 0; padding-left: 2em; }
ul { list-style: none; margin: 0; padding-left: 2em; }
pre { margin: 0; white-space: pre-wrap; }
aside { margin: 0.5em 0; }
";

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::render::braille::sample;

    /// The entries of a zip, in order: (name, stored, text).
    fn entries(bytes: &[u8]) -> Vec<(String, bool, String)> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        (0..zip.len())
            .map(|i| {
                let mut file = zip.by_index(i).expect("an entry");
                let mut text = String::new();
                file.read_to_string(&mut text).expect("UTF-8 text");
                let stored = file.compression() == zip::CompressionMethod::Stored;
                (file.name().expect("a name").to_string(), stored, text)
            })
            .collect()
    }

    /// An XHTML document parsed (it has a doctype).
    fn xhtml(text: &str) -> roxmltree::Document<'_> {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(text, options).expect("well-formed XHTML")
    }

    fn entry(bytes: &[u8], name: &str) -> String {
        entries(bytes)
            .into_iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, text)| text)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn the_files_in_order() {
        let bytes = write(&sample()).expect("an eBraille file");
        let names: Vec<(String, bool)> = entries(&bytes)
            .into_iter()
            .map(|(name, stored, _)| (name, stored))
            .collect();
        let expected = [
            ("mimetype", true),
            ("META-INF/container.xml", false),
            ("package.opf", false),
            ("index.html", false),
            ("ebraille/chapter-001.html", false),
            ("ebraille/chapter-002.html", false),
            ("ebraille/style.css", false),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|&(n, s)| (n.to_string(), s)).collect();
        assert_eq!(names, expected);
        assert_eq!(entry(&bytes, "mimetype"), "application/epub+zip");
        assert!(entry(&bytes, "META-INF/container.xml").contains("full-path=\"package.opf\""));
        assert_eq!(bytes, write(&sample()).expect("again"), "deterministic");
    }

    #[test]
    fn metadata_present() {
        let bytes = write(&sample()).expect("an eBraille file");
        let opf = entry(&bytes, "package.opf");
        let doc = roxmltree::Document::parse(&opf).expect("well-formed OPF");
        let dc = |name: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.has_tag_name(("http://purl.org/dc/elements/1.1/", name)))
                .map(|n| n.text().unwrap_or("").to_string())
                .collect()
        };
        let meta = |property: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.has_tag_name("meta") && n.attribute("property") == Some(property))
                .filter(|n| n.attribute("refines").is_none())
                .map(|n| n.text().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(
            dc("identifier"),
            ["urn:uuid:6f1c9a52-2b7e-4c1a-9d3e-2f8b1e0a4c11"]
        );
        assert_eq!(dc("title"), ["A Small Book & Co"]);
        assert_eq!(dc("language"), ["en-Brai"]);
        assert_eq!(dc("creator"), ["Ann Author", "Bo Writer"]);
        assert_eq!(dc("date"), ["2024-03-15"]);
        assert_eq!(dc("format"), ["eBraille 1.0"]);
        assert_eq!(meta("dcterms:modified"), ["2026-01-02T03:04:05Z"]);
        assert_eq!(meta("dcterms:dateCopyrighted"), ["2024"]);
        assert_eq!(meta("a11y:brailleSystem"), ["ueb grade2"]);
        assert_eq!(meta("a11y:brailleCellType"), ["6"]);
        assert_eq!(meta("a11y:completeTranscription"), ["true"]);
        assert_eq!(meta("a11y:producer"), ["inkfold"]);
        assert_eq!(meta("a11y:tactileGraphics"), ["none"]);
        assert_eq!(meta("schema:accessMode"), ["textual"]);
        assert_eq!(meta("schema:accessibilityHazard"), ["none"]);
        assert!(meta("schema:accessibilityFeature").contains(&"pageNavigation".to_string()));
        assert!(!opf.contains("prefix="), "a11y: is reserved, not declared");
        let spine: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("itemref"))
            .filter_map(|n| n.attribute("idref"))
            .collect();
        assert_eq!(
            spine,
            ["chapter-001", "chapter-002"],
            "index.html not in it"
        );
    }

    #[test]
    fn page_list_names_the_marked_pages() {
        let bytes = write(&sample()).expect("an eBraille file");
        let nav = entry(&bytes, "index.html");
        let doc = xhtml(&nav);
        let ops = "http://www.idpf.org/2007/ops";
        let page_list = doc
            .descendants()
            .find(|n| n.attribute((ops, "type")) == Some("page-list"))
            .expect("a page-list");
        let entries: Vec<(String, Option<String>, String)> = page_list
            .descendants()
            .filter(|n| n.has_tag_name("a"))
            .map(|a| {
                (
                    a.attribute("href").unwrap_or("").to_string(),
                    a.attribute("title").map(str::to_string),
                    a.text().unwrap_or("").to_string(),
                )
            })
            .collect();
        let expected = [
            ("ebraille/chapter-001.html#page-1", Some("1"), "⠼⠁"),
            ("ebraille/chapter-001.html#page-2", Some("ii"), "⠼⠃"),
            ("ebraille/chapter-002.html#page-3", None, "⠼⠉"),
        ];
        let expected: Vec<(String, Option<String>, String)> = expected
            .iter()
            .map(|&(h, t, n)| (h.to_string(), t.map(str::to_string), n.to_string()))
            .collect();
        assert_eq!(entries, expected, "preliminary pages have no marker");
        let toc: Vec<&str> = doc
            .descendants()
            .find(|n| n.attribute((ops, "type")) == Some("toc"))
            .expect("a toc")
            .descendants()
            .filter(|n| n.has_tag_name("a"))
            .filter_map(|a| a.text())
            .collect();
        assert_eq!(toc, ["⠠⠕⠝⠑", "⠠⠞⠺⠕"]);
    }

    #[test]
    fn blocks_and_markers_in_the_content() {
        let bytes = write(&sample()).expect("an eBraille file");
        let one = entry(&bytes, "ebraille/chapter-001.html");
        xhtml(&one);
        assert!(one.contains("lang=\"en-Brai\" xml:lang=\"en-Brai\""));
        let marker = |id: &str, label: &str| {
            format!(
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\" \
                 aria-label=\"{label}\"></span>"
            )
        };
        assert!(one.contains(&format!("{}\n<h1>⠠⠕⠝⠑</h1>", marker("page-1", "⠼⠁"))));
        assert!(one.contains(&format!("<p>⠁⠃⠉⠀{}⠙⠑</p>", marker("page-2", "⠼⠃"))));
        assert!(one.contains("<ul>\n<li>⠁<ul>\n<li>⠃</li>\n</ul>\n</li>\n<li>⠉</li>\n</ul>"));
        let two = entry(&bytes, "ebraille/chapter-002.html");
        xhtml(&two);
        assert!(two.contains("<p class=\"row\">⠁⠒⠀⠃</p>"));
        assert!(two.contains("<pre>⠭⠀⠶⠀⠼⠁</pre>"));
        assert!(two.contains("<aside role=\"note\"><p>⠋⠛</p></aside>"));
        let css = entry(&bytes, "ebraille/style.css");
        for unit in ["px", "pt", "cm", "mm", "in;"] {
            assert!(!css.contains(unit), "{unit} in the style sheet");
        }
    }

    #[test]
    fn missing_metadata_is_named_not_invented() {
        let mut t = sample();
        t.about.authors.clear();
        t.about.date = None;
        let Some(missing) = super::missing(&t) else {
            panic!("authors and date are required");
        };
        // Written all the same, without them.
        let opf = String::from_utf8(files(&t)[2].bytes.clone()).expect("utf-8");
        assert!(!opf.contains("dc:creator") && !opf.contains("dc:date"));
        assert!(!opf.contains("dateCopyrighted"));
        let names: Vec<&str> = missing.properties.iter().map(|(p, _)| *p).collect();
        assert_eq!(names, ["dc:creator", "dc:date", "dcterms:dateCopyrighted"]);
        assert!(missing.to_string().contains("dc:creator"));

        let mut t = sample();
        t.about.authors.clear();
        let Some(missing) = super::missing(&t) else {
            panic!("authors are required");
        };
        assert_eq!(missing.properties.len(), 1);
    }
}
