//! Package documents: the book in; the container file, the OPF package document (metadata with
//! EPUB Accessibility 1.1 properties, manifest, spine) and the navigation document out.

use super::{EpubFile, chapter_file};
use crate::lang::Lang;
use crate::layout::document::{PagePlace, PageStart};
use crate::model::outline::{OutlineEntry, outline};
use crate::model::{Book, ChapterRole, words};
use crate::render::epub::xhtml::{
    MarkerPlace, document_end, document_start, page_markers, push_lang,
};
use crate::render::xml::Xml;

/// `META-INF/container.xml`, pointing at the package document at `package` (`EPUB/package.opf`
/// in the EPUB, `package.opf` in an eBraille file set).
pub fn container(package: &str) -> String {
    let mut x = Xml::new();
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open(
        "container",
        &[
            ("version", "1.0"),
            ("xmlns", "urn:oasis:names:tc:opendocument:xmlns:container"),
        ],
    )
    .newline();
    x.open("rootfiles", &[]).newline();
    x.empty(
        "rootfile",
        &[
            ("full-path", package),
            ("media-type", "application/oebps-package+xml"),
        ],
    )
    .newline();
    x.close("rootfiles").newline().close("container").newline();
    x.finish()
}

/// What the accessibility metadata says about the content.
struct ContentFacts {
    informative_images: bool,
    /// Print page numbers are marked and listed.
    paginated: bool,
}

fn content_facts(book: &Book) -> ContentFacts {
    ContentFacts {
        informative_images: book.assets.iter().any(|a| a.informative),
        paginated: false,
    }
}

/// The summary used when `book.toml` gives none; it states only what inkfold guarantees.
pub fn default_summary(has_images: bool) -> String {
    let images = if has_images {
        " Every informative image has a text alternative, and decorative images are hidden from assistive technology."
    } else {
        ""
    };
    format!(
        "This publication meets EPUB Accessibility 1.1 and WCAG 2.2 Level AA. It has a table of contents, headings in a logical order for structural navigation, and text that can be resized and restyled by the reader.{images}"
    )
}

/// The authors, each a `dc:creator` with the MARC role `aut`.
pub fn creators(x: &mut Xml, authors: &[String]) {
    for (i, author) in authors.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        x.element("dc:creator", &[("id", &id)], author).newline();
        x.element(
            "meta",
            &[
                ("refines", &format!("#{id}")),
                ("property", "role"),
                ("scheme", "marc:relators"),
            ],
            "aut",
        )
        .newline();
    }
}

/// A package document's manifest (every file under `root`, by its path from there) and spine
/// (those in it, in order, with `spine` the spine's attributes).
pub fn manifest_and_spine(x: &mut Xml, files: &[EpubFile], root: &str, spine: &[(&str, &str)]) {
    x.open("manifest", &[]).newline();
    for file in files {
        let Some(href) = file.path.strip_prefix(root) else {
            continue;
        };
        let mut attrs = vec![
            ("id", file.id.as_str()),
            ("href", href),
            ("media-type", file.media_type),
        ];
        if let Some(properties) = file.properties {
            attrs.push(("properties", properties));
        }
        x.empty("item", &attrs).newline();
    }
    x.close("manifest").newline();
    x.open("spine", spine).newline();
    for file in files.iter().filter(|f| f.in_spine) {
        x.empty("itemref", &[("idref", &file.id)]).newline();
    }
    x.close("spine").newline();
}

/// `EPUB/package.opf`. `files` are the publication resources besides the package document.
pub fn opf(book: &Book, files: &[EpubFile], paginated: bool) -> String {
    let meta = &book.meta;
    let facts = ContentFacts {
        paginated,
        ..content_facts(book)
    };
    let mut x = Xml::new();
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open(
        "package",
        &[
            ("xmlns", "http://www.idpf.org/2007/opf"),
            ("version", "3.0"),
            ("unique-identifier", "book-id"),
            ("xml:lang", meta.lang.as_str()),
        ],
    )
    .newline();
    x.open(
        "metadata",
        &[("xmlns:dc", "http://purl.org/dc/elements/1.1/")],
    )
    .newline();
    x.element("dc:identifier", &[("id", "book-id")], &meta.identifier)
        .newline();
    x.element("dc:title", &[("id", "title")], &meta.title)
        .newline();
    x.element(
        "meta",
        &[("refines", "#title"), ("property", "title-type")],
        "main",
    )
    .newline();
    if let Some(subtitle) = &meta.subtitle {
        x.element("dc:title", &[("id", "subtitle")], subtitle)
            .newline();
        x.element(
            "meta",
            &[("refines", "#subtitle"), ("property", "title-type")],
            "subtitle",
        )
        .newline();
    }
    x.element("dc:language", &[], meta.lang.as_str()).newline();
    creators(&mut x, &meta.authors);
    if let Some(publisher) = &meta.publisher {
        x.element("dc:publisher", &[], publisher).newline();
    }
    if let Some(date) = meta.date {
        x.element("dc:date", &[], &date.to_string()).newline();
    }
    x.element(
        "meta",
        &[("property", "dcterms:modified")],
        &meta.modified.to_string(),
    )
    .newline();
    if let Some(description) = &meta.description {
        x.element("dc:description", &[], description).newline();
    }
    for keyword in &meta.keywords {
        x.element("dc:subject", &[], keyword).newline();
    }
    if let Some(rights) = &meta.rights {
        x.element("dc:rights", &[], rights).newline();
    }
    if facts.paginated {
        // The page numbers are those of the print edition, made from the same manuscript.
        x.element("dc:source", &[("id", "print-source")], &meta.identifier)
            .newline();
        x.element(
            "meta",
            &[("refines", "#print-source"), ("property", "source-of")],
            "pagination",
        )
        .newline();
    }
    accessibility_metadata(&mut x, book, &facts);
    x.close("metadata").newline();

    // A book that reads from right to left turns its pages the other way.
    let progression: &[(&str, &str)] = if book.direction() == crate::lang::Direction::Rtl {
        &[("page-progression-direction", "rtl")]
    } else {
        &[]
    };
    manifest_and_spine(&mut x, files, "EPUB/", progression);
    x.close("package").newline();
    x.finish()
}

fn accessibility_metadata(x: &mut Xml, book: &Book, facts: &ContentFacts) {
    let meta = &book.meta;
    let mut property = |name: &str, value: &str| {
        x.element("meta", &[("property", name)], value).newline();
    };
    property("schema:accessMode", "textual");
    if facts.informative_images {
        property("schema:accessMode", "visual");
    }
    property("schema:accessModeSufficient", "textual");
    if facts.informative_images {
        property("schema:accessModeSufficient", "textual,visual");
    }
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ];
    if facts.informative_images {
        features.push("alternativeText");
    }
    if facts.paginated {
        features.extend(["printPageNumbers", "pageBreakMarkers", "pageNavigation"]);
    }
    for feature in features {
        property("schema:accessibilityFeature", feature);
    }
    for hazard in &meta.a11y.hazards {
        property("schema:accessibilityHazard", hazard.as_str());
    }
    let summary = meta
        .a11y
        .summary
        .clone()
        .unwrap_or_else(|| default_summary(facts.informative_images));
    property("schema:accessibilitySummary", &summary);
    property(
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
    );
    if let Some(certifier) = &meta.a11y.certified_by {
        property("a11y:certifiedBy", certifier);
    }
}

/// `EPUB/nav.xhtml`: the table of contents (nested by heading level), the landmarks, and the
/// list of print pages.
pub fn nav(book: &Book, pages: &[PageStart]) -> String {
    let mut x = Xml::new();
    let contents = words::contents(&book.meta.lang);
    document_start(
        &mut x,
        &book.meta.lang,
        contents.text,
        "css/book.css",
        "frontmatter",
    );
    page_markers(&mut x, pages, MarkerPlace::Contents);
    x.open(
        "nav",
        &[
            ("epub:type", "toc"),
            ("role", "doc-toc"),
            ("id", "toc"),
            ("aria-labelledby", "toc-title"),
        ],
    )
    .newline();
    x.element(
        "h1",
        &with_lang(vec![("id", "toc-title")], &contents),
        contents.text,
    )
    .newline();
    toc_list(&mut x, book, &outline(book));
    x.close("nav").newline();

    // The hidden navigation's words are English, marked so in a book in another language
    // (the appendix's title among the landmarks is the book's, so marked back).
    let english = words::english("", &book.meta.lang);
    x.open(
        "nav",
        &with_lang(
            vec![
                ("epub:type", "landmarks"),
                ("id", "landmarks"),
                ("aria-labelledby", "landmarks-title"),
                ("hidden", "hidden"),
            ],
            &english,
        ),
    )
    .newline();
    x.element("h2", &[("id", "landmarks-title")], "Landmarks")
        .newline();
    x.open("ol", &[]).newline();
    let book_lang = english.lang.as_ref().map(|_| &book.meta.lang);
    let mut landmark = |kind: &str, href: &str, label: &str, lang: Option<&Lang>| {
        x.open("li", &[]);
        let mut attrs = vec![("epub:type", kind), ("href", href)];
        push_lang(&mut attrs, lang);
        x.element("a", &attrs, label);
        x.close("li").newline();
    };
    landmark("titlepage", "title.xhtml", "Title page", None);
    landmark("toc", "nav.xhtml#toc", "Contents", None);
    if let Some(first) = book.chapters.iter().find(|c| c.role == ChapterRole::Body) {
        landmark(
            "bodymatter",
            &format!("text/{}", chapter_file(first)),
            "Start of content",
            None,
        );
    }
    for appendix in book
        .chapters
        .iter()
        .filter(|c| c.role == ChapterRole::Appendix)
    {
        landmark(
            "appendix",
            &format!("text/{}", chapter_file(appendix)),
            &appendix.title,
            book_lang,
        );
    }
    x.close("ol").newline().close("nav").newline();
    if !pages.is_empty() {
        page_list(&mut x, book, pages);
    }
    document_end(&mut x);
    x.finish()
}

/// The page-list: every print page, in order, linked to its marker.
fn page_list(x: &mut Xml, book: &Book, pages: &[PageStart]) {
    let english = words::english("", &book.meta.lang);
    x.open(
        "nav",
        &with_lang(
            vec![
                ("epub:type", "page-list"),
                ("role", "doc-pagelist"),
                ("id", "page-list"),
                ("aria-labelledby", "page-list-title"),
                ("hidden", "hidden"),
            ],
            &english,
        ),
    )
    .newline();
    x.element("h2", &[("id", "page-list-title")], "Pages")
        .newline();
    x.open("ol", &[]).newline();
    for page in pages {
        let file = match page.place {
            PagePlace::TitlePage | PagePlace::Colophon => "title.xhtml".to_string(),
            PagePlace::Contents => "nav.xhtml".to_string(),
            PagePlace::Chapter { chapter, .. } => match book.chapters.get(chapter) {
                Some(chapter) => format!("text/{}", chapter_file(chapter)),
                None => continue,
            },
        };
        let label = page.label.to_string();
        x.open("li", &[]);
        x.element(
            "a",
            &[(
                "href",
                &format!("{file}#{}", crate::id::page_marker(&label)),
            )],
            &label,
        );
        x.close("li").newline();
    }
    x.close("ol").newline().close("nav").newline();
}

fn toc_list(x: &mut Xml, book: &Book, entries: &[OutlineEntry]) {
    x.open("ol", &[]).newline();
    for entry in entries {
        let file = format!("text/{}", chapter_file(&book.chapters[entry.chapter]));
        let href = match &entry.id {
            Some(id) => format!("{file}#{}", crate::id::fragment(id)),
            None => file,
        };
        x.open("li", &[]);
        x.element("a", &[("href", &href)], &entry.label);
        if !entry.children.is_empty() {
            x.newline();
            toc_list(x, book, &entry.children);
        }
        x.close("li").newline();
    }
    x.close("ol").newline();
}

/// `attrs` with `lang` and `xml:lang` added when `label` is in a language of its own.
fn with_lang<'a>(
    mut attrs: Vec<(&'a str, &'a str)>,
    label: &'a words::Label,
) -> Vec<(&'a str, &'a str)> {
    push_lang(&mut attrs, label.lang.as_ref());
    attrs
}
