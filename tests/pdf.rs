//! The PDF as a reader and a checker see it: the written file read back with lopdf (catalog, structure tree, fonts, links),
//! poppler's `pdffonts` and `pdftotext` when installed (always in CI).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::manuscript::{TestBook, per_book};
use common::*;
use lopdf::{Dictionary, Object};

fn deref<'a>(doc: &'a lopdf::Document, object: &'a Object) -> &'a Object {
    doc.dereference(object).map(|(_, o)| o).unwrap_or(object)
}

fn dict<'a>(doc: &'a lopdf::Document, parent: &'a Dictionary, key: &[u8]) -> &'a Dictionary {
    let object = parent
        .get(key)
        .unwrap_or_else(|_| panic!("{} missing", String::from_utf8_lossy(key)));
    deref(doc, object).as_dict().expect("a dictionary")
}

per_book!(catalog_declares_a_tagged_pdf_ua_document:
    sample => PathBuf::from("manuscript"),
    features => fixture("features"),
);

/// The catalog declares a tagged PDF/UA document: marked, with a structure tree, a language,
/// the title shown, bookmarks, page labels and the PDF/UA identifier in its XMP.
fn catalog_declares_a_tagged_pdf_ua_document(book: &Path) {
    let (_out, path) = build_pdf(book);
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
    let catalog = doc.catalog().expect("catalog");
    let mark_info = dict(&doc, catalog, b"MarkInfo");
    assert!(
        mark_info
            .get(b"Marked")
            .and_then(Object::as_bool)
            .expect("Marked")
    );
    let tree = dict(&doc, catalog, b"StructTreeRoot");
    assert!(
        tree.has(b"K") && tree.has(b"ParentTree"),
        "structure tree has kids and a parent tree"
    );
    let lang = catalog.get(b"Lang").and_then(Object::as_str).expect("Lang");
    assert!(!lang.is_empty());
    let prefs = dict(&doc, catalog, b"ViewerPreferences");
    assert!(
        prefs
            .get(b"DisplayDocTitle")
            .and_then(Object::as_bool)
            .expect("DisplayDocTitle")
    );
    assert!(catalog.has(b"Outlines"), "bookmarks");
    assert!(catalog.has(b"PageLabels"), "page labels");
    let metadata = deref(&doc, catalog.get(b"Metadata").expect("XMP"))
        .as_stream()
        .expect("XMP stream");
    let xmp = String::from_utf8_lossy(&metadata.content).into_owned();
    assert!(
        xmp.contains("pdfuaid:part") && xmp.contains('1'),
        "PDF/UA identifier in XMP"
    );
    assert!(xmp.contains("dc:title"));
}

#[test]
fn fonts_are_embedded_with_unicode_maps_and_links_are_tagged() {
    let (_out, path) = build_pdf(&fixture("features"));
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
    let (mut descriptors, mut fonts, mut links) = (0, 0, 0);
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        match d.get(b"Type").and_then(Object::as_name) {
            Ok(b"FontDescriptor") => {
                descriptors += 1;
                assert!(
                    d.has(b"FontFile2") || d.has(b"FontFile3"),
                    "font program embedded: {d:?}"
                );
            }
            Ok(b"Font")
                if d.get(b"Subtype").and_then(Object::as_name).ok() == Some(&b"Type0"[..]) =>
            {
                fonts += 1;
                assert!(d.has(b"ToUnicode"), "Unicode map: {d:?}");
            }
            Ok(b"Annot") => {
                links += 1;
                assert!(d.has(b"Contents"), "link has /Contents");
                assert!(d.has(b"StructParent"), "link is in the structure tree");
            }
            _ => {}
        }
    }
    assert!(
        descriptors >= 2 && fonts >= 2,
        "{descriptors} descriptors, {fonts} fonts"
    );
    assert!(links > 5, "{links} links");
    for page in doc.get_pages().values() {
        let page = doc
            .get_object(*page)
            .and_then(Object::as_dict)
            .expect("page");
        if page.has(b"Annots") {
            assert_eq!(
                page.get(b"Tabs").and_then(Object::as_name).ok(),
                Some(&b"S"[..])
            );
        }
    }
}

#[test]
fn two_builds_give_identical_pdfs() {
    let (_a, first) = build_pdf(Path::new("manuscript"));
    let (_b, second) = build_pdf(Path::new("manuscript"));
    assert_eq!(
        std::fs::read(first).expect("read"),
        std::fs::read(second).expect("read")
    );
}

/// Runs a poppler tool; `None` (with a note) when it is not installed, except in CI.
fn poppler(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(output) => {
            assert!(
                output.status.success(),
                "{tool} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Some(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Err(_) if std::env::var_os("CI").is_some() => {
            panic!("{tool} is required in CI (poppler-utils)")
        }
        Err(_) => {
            eprintln!("SKIPPED: {tool} is not installed (Debian: poppler-utils)");
            None
        }
    }
}

#[test]
fn pdffonts_shows_every_font_embedded_subset_and_mapped() {
    let (_out, path) = build_pdf(Path::new("manuscript"));
    let Some(listing) = poppler("pdffonts", &[path.to_str().expect("path")]) else {
        return;
    };
    let rows: Vec<&str> = listing
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{listing}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let flags = &columns[columns.len() - 5..columns.len() - 2];
        assert_eq!(flags, ["yes", "yes", "yes"], "emb/sub/uni in {row}");
    }
}

/// The sample manuscript copied with other print settings, so words break in other places.
fn sample_with(pdf_settings: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let chapters = dir.path().join("chapters");
    std::fs::create_dir_all(&chapters).expect("mkdir");
    std::fs::copy(
        root().join("manuscript/chapters/08-conclusion.md"),
        chapters.join("08-conclusion.md"),
    )
    .expect("copy chapter");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("mkdir");
    for file in ["sources.toml", "volunteering.toml"] {
        std::fs::copy(root().join("manuscript/data").join(file), data.join(file))
            .expect("copy data");
    }
    let book = std::fs::read_to_string(root().join("manuscript/book.toml")).expect("book.toml");
    let book = match book.find("[pdf]") {
        Some(at) => format!("{}[pdf]\n{pdf_settings}\n", &book[..at]),
        None => format!("{book}\n[pdf]\n{pdf_settings}\n"),
    };
    std::fs::write(dir.path().join("book.toml"), book).expect("write book.toml");
    dir
}

/// `pdftotext -raw` (content order, no repair of hyphens) gives every paragraph of the book
/// (the chapter and its appendix) in order, every word whole: words broken at a line end, by an
/// added hyphen or after a hard one, come out unbroken through their actual text, and compounds
/// keep their hyphen. Checked at the default settings, on narrow and ragged pages, where far
/// more words break, and in the office-paper and large-print editions: one test each.
mod pdftotext_gives_every_paragraph_whole_and_in_order {
    use super::*;

    #[test]
    fn default_settings() {
        with_settings("");
    }

    #[test]
    fn narrow_pages() {
        with_settings("page-size = \"90mm x 200mm\"\nfont-size = 13");
    }

    #[test]
    fn ragged_lines() {
        with_settings("justify = false\nfont-size = 16");
    }

    #[test]
    fn a4() {
        edition("a4");
    }

    #[test]
    fn letter() {
        edition("letter");
    }

    #[test]
    fn large_print() {
        edition("large-print");
    }

    /// The sample with other `[pdf]` settings.
    fn with_settings(settings: &str) {
        let manuscript = sample_with(settings);
        let (_out, path) = build_pdf(manuscript.path());
        drop(manuscript);
        whole_and_in_order(&path, &format!("[pdf] {settings:?}"));
    }

    /// An edition of the sample itself.
    fn edition(profile: &str) {
        let out = build_with(
            Path::new("manuscript"),
            &["--format", "pdf", "--profile", profile],
        );
        let path = out
            .path()
            .join(format!("child-trafficking-in-todays-society-{profile}.pdf"));
        whole_and_in_order(&path, &format!("--profile {profile}"));
    }

    /// Every paragraph of the sample, the generated appendix included, found whole and in
    /// reading order in the text of `pdf`.
    fn whole_and_in_order(pdf: &Path, settings: &str) {
        let book = inkfold::parse(&inkfold::BookSource::open(Path::new("manuscript")), None)
            .book
            .expect("the sample book");
        let mut paragraphs: Vec<String> = Vec::new();
        for chapter in &book.chapters {
            inkfold::model::walk::tree(&chapter.blocks, &mut |node| {
                if let inkfold::model::walk::Node::Block(block) = node
                    && let inkfold::model::BlockKind::Paragraph(inlines) = &block.kind
                {
                    let text = inkfold::model::plain_text(inlines);
                    paragraphs.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            });
        }
        assert!(paragraphs.len() > 40, "{} paragraphs", paragraphs.len());
        let Some(text) = poppler("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]) else {
            return;
        };
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut from = 0;
        for paragraph in &paragraphs {
            let at = flat[from..].find(paragraph.as_str()).unwrap_or_else(|| {
                panic!("with {settings}, not found whole and in order:\n{paragraph}\n\nin\n{flat}")
            });
            from += at + paragraph.len();
        }
    }
}

#[test]
fn a_character_no_font_covers_is_an_error_with_its_line() {
    let output = inkfold(&[
        "check",
        fixture("err-uncovered-char").to_str().expect("path"),
    ]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("err-uncovered-char/chapters/one.md:5:25"),
        "{err}"
    );
    assert!(err.contains("U+E000"), "{err}");
}

#[test]
fn long_tables_split_between_rows_and_repeat_the_header_as_an_artifact() {
    let doc = pipeline(&fixture("long-table")).expect("a book").doc;
    let dump = inkfold::layout::dump::pages(&doc);
    let pages = dump.lines().filter(|l| l.starts_with("Page ")).count();
    let tagged_headers = dump
        .lines()
        .filter(|l| l.contains("HeaderCell: \"No.\""))
        .count();
    let repeated = dump
        .lines()
        .filter(|l| l.contains("artifact Layout: \"No.\""))
        .count();
    assert!(pages > 3, "{dump}");
    assert_eq!(tagged_headers, 1, "the header is tagged once");
    // Every page after the table's first shows the header again, except the last one if the
    // table ended before it; the front matter is the title page, colophon and contents.
    let front = doc.front_pages;
    assert!(
        repeated >= pages - front - 2,
        "{repeated} repeats over {pages} pages, {front} of them front matter"
    );
    let tags = inkfold::layout::dump::tags(&doc);
    assert_eq!(tags.matches("TableHead").count(), 1);
    assert_eq!(
        tags.matches("TableRow").count(),
        61,
        "header row and 60 body rows"
    );
}

/// The QR codes on the pages of a PDF, decoded with `zbarimg` from pages `pdftoppm` renders into
/// `dir`; `None` when the tools are missing outside CI.
/// Every run of text the layout set, in drawing order: its text, size and baseline.
fn text_runs(doc: &inkfold::layout::Document) -> Vec<(String, f32, f32)> {
    use inkfold::layout::document::DrawKind;
    doc.pages
        .iter()
        .flat_map(|page| &page.draws)
        .filter_map(|d| match &d.kind {
            DrawKind::Text { runs, .. } => Some(runs),
            _ => None,
        })
        .flatten()
        .map(|r| (r.text.clone(), r.size, r.baseline))
        .collect()
}

fn qr_codes(pdf: &Path, dir: &Path) -> Option<Vec<String>> {
    let prefix = dir.join("page");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "150",
            pdf.to_str().expect("path"),
            prefix.to_str().expect("path"),
        ],
    )?;
    let pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("output")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    let mut decoded: Vec<String> = Vec::new();
    for page in pages {
        match Command::new("zbarimg")
            .args(["--raw", "-q"])
            .arg(&page)
            .output()
        {
            Ok(output) => decoded.extend(
                String::from_utf8_lossy(&output.stdout)
                    .lines()
                    .map(str::to_string),
            ),
            Err(_) if std::env::var_os("CI").is_some() => {
                panic!("zbarimg is required in CI (zbar-tools)")
            }
            Err(_) => {
                eprintln!("SKIPPED: zbarimg is not installed (Debian: zbar-tools)");
                return None;
            }
        }
        let _ = std::fs::remove_file(&page);
    }
    Some(decoded)
}

/// The handout: at most two pages, under the book's title, with every organisation of the
/// appendix's data and a QR code that decodes to its website.
#[test]
fn the_handout_lists_every_organisation_with_its_qr_code() {
    let out = build_with(
        Path::new("manuscript"),
        &["--format", "pdf", "--profile", "handout"],
    );
    let path = out
        .path()
        .join("child-trafficking-in-todays-society-handout.pdf");
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
    let pages = doc.get_pages().len();
    assert!((1..=2).contains(&pages), "{pages} pages");
    let mut websites: Vec<String> = Vec::new();
    for file in ["sources.toml", "volunteering.toml"] {
        let text =
            std::fs::read_to_string(root().join("manuscript/data").join(file)).expect("data");
        let data: toml::Table = text.parse().expect("TOML");
        for org in data["organisation"].as_array().expect("organisations") {
            websites.push(org["website"].as_str().expect("website").to_string());
        }
    }
    assert_eq!(websites.len(), 9);
    if let Some(text) = poppler("pdftotext", &["-raw", path.to_str().expect("path"), "-"]) {
        assert!(
            text.starts_with("Child Trafficking in Today’s Society"),
            "{text}"
        );
        assert!(text.contains("The U.S. Department of State"), "{text}");
    }
    let Some(mut decoded) = qr_codes(&path, out.path()) else {
        return;
    };
    decoded.sort();
    websites.sort();
    assert_eq!(decoded, websites);
}

/// The text lines of each page of a PDF, as `pdftotext -bbox-layout` finds them:
/// `[x_min, y_min, x_max, y_max]`.
fn line_boxes(pdf: &Path) -> Option<Vec<Vec<[f32; 4]>>> {
    let html = poppler(
        "pdftotext",
        &["-bbox-layout", pdf.to_str().expect("path"), "-"],
    )?;
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        let end = at + tag[at..].find('"').expect("quote");
        tag[at..end].parse().expect("number")
    };
    let pages = html
        .split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<line ")
                .skip(1)
                .map(|line| {
                    let tag = &line[..line.find('>').expect("tag end")];
                    ["xMin", "yMin", "xMax", "yMax"].map(|name| attr(tag, name))
                })
                .collect()
        })
        .collect();
    Some(pages)
}

/// A handout entry whose first sentence is many lines long wraps within its entry and pushes
/// the next down: no line of the handout is drawn over another.
#[test]
fn a_long_first_sentence_in_the_handout_overprints_nothing() {
    let book = sample_with("");
    let sources = book.path().join("data/sources.toml");
    let text = std::fs::read_to_string(&sources).expect("data");
    let long = format!(
        "offers = \"The UNODC{} for everyone. More.",
        " offers a great many resources, reports and research papers".repeat(10)
    );
    let text = text.replacen("offers = \"The UNODC provides comprehensive resources, research, and reports on human trafficking, including child trafficking.", &long, 1);
    assert!(text.contains("for everyone. More."));
    std::fs::write(&sources, text).expect("write");
    let out = build_with(book.path(), &["--format", "pdf", "--profile", "handout"]);
    let path = out
        .path()
        .join("child-trafficking-in-todays-society-handout.pdf");
    let Some(pages) = line_boxes(&path) else {
        return;
    };
    for (p, lines) in pages.iter().enumerate() {
        for (i, a) in lines.iter().enumerate() {
            for b in &lines[i + 1..] {
                let x = a[2].min(b[2]) - a[0].max(b[0]);
                let y = a[3].min(b[3]) - a[1].max(b[1]);
                // Glyph boxes of neighbouring lines may touch; overprinted ones share most of
                // a line's height.
                let height = (a[3] - a[1]).min(b[3] - b[1]);
                assert!(
                    x <= 0.0 || y <= height * 0.3,
                    "page {}: lines {a:?} and {b:?} overlap",
                    p + 1
                );
            }
        }
    }
}

/// Every website of the appendix has a QR code that decodes to it (with `zbarimg` from Debian's
/// zbar-tools, on pages rendered by `pdftoppm`), and a link annotation to it.
#[test]
fn qr_codes_decode_to_the_websites() {
    let (out, path) = build_pdf(Path::new("manuscript"));
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
    let mut sites: Vec<String> = Vec::new();
    for object in doc.objects.values() {
        // Link annotations carry their action inline or as a reference.
        if let Ok(annotation) = object.as_dict()
            && let Ok(action) = annotation.get(b"A")
            && let Ok(action) = deref(&doc, action).as_dict()
            && let Ok(uri) = action.get(b"URI").and_then(Object::as_str)
        {
            sites.push(String::from_utf8_lossy(uri).into_owned());
        }
    }
    sites.retain(|u| u.starts_with("https://"));
    sites.sort();
    sites.dedup();
    assert_eq!(sites.len(), 8, "{sites:?}");
    let Some(mut decoded) = qr_codes(&path, out.path()) else {
        return;
    };
    assert_eq!(
        decoded.len(),
        9,
        "nine entries, ECPAT in both lists: {decoded:?}"
    );
    decoded.sort();
    decoded.dedup();
    assert_eq!(decoded, sites);
}

/// `SOURCE_DATE_EPOCH` sets the PDF's dates too; without it they come from book.toml.
mod source_date_epoch_sets_the_pdf_dates {
    #[test]
    fn when_set() {
        super::pdf_dates(Some("1700000000"), "2023-11-14T22:13:20");
    }

    #[test]
    fn when_not_set() {
        super::pdf_dates(None, "2026-11-29T00:00:00");
    }
}

/// The PDF's XMP holds the date `expected` when built with `SOURCE_DATE_EPOCH` set to `epoch`.
fn pdf_dates(epoch: Option<&str>, expected: &str) {
    let out = tempfile::tempdir().expect("temp dir");
    let mut env = Vec::new();
    if let Some(epoch) = epoch {
        env.push(("SOURCE_DATE_EPOCH", epoch));
    }
    let output = inkfold_with_env(
        &[
            "build",
            "manuscript",
            "--out",
            out.path().to_str().expect("path"),
            "--format",
            "pdf",
        ],
        &env,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes =
        std::fs::read(out.path().join("child-trafficking-in-todays-society.pdf")).expect("read");
    let doc = lopdf::Document::load_mem(&bytes).expect("parse");
    let catalog = doc.catalog().expect("catalog");
    let metadata = deref(&doc, catalog.get(b"Metadata").expect("XMP"))
        .as_stream()
        .expect("stream");
    let xmp = String::from_utf8_lossy(&metadata.content).into_owned();
    assert!(xmp.contains(expected), "{expected} not in the XMP:\n{xmp}");
}

/// The EPUB carries the print edition's page numbers: a page-list with one entry per PDF page,
/// in order, each leading to a page-break marker with that number.
#[test]
fn the_epub_page_list_matches_the_pdf_pages() {
    let out = tempfile::tempdir().expect("temp dir");
    let output = inkfold(&[
        "build",
        "manuscript",
        "--out",
        out.path().to_str().expect("path"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = out.path().join("child-trafficking-in-todays-society.pdf");
    let epub = out.path().join("child-trafficking-in-todays-society.epub");
    let doc = lopdf::Document::load_mem(&std::fs::read(&pdf).expect("read")).expect("parse");
    let pages = doc.get_pages().len();
    let nav = zip_text(&epub, "EPUB/nav.xhtml");
    let list = &nav[nav.find("epub:type=\"page-list\"").expect("a page-list")..];
    let hrefs: Vec<&str> = list
        .split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(hrefs.len(), pages, "one entry per printed page");
    let labels: Vec<String> = hrefs
        .iter()
        .map(|h| {
            h.rsplit_once("#page.")
                .map(|(_, l)| l.to_string())
                .unwrap_or_default()
        })
        .collect();
    // The title page, the colophon and the contents, then the chapters.
    assert_eq!(labels[..3], ["i", "ii", "iii"]);
    assert_eq!(
        labels[3..],
        (1..=pages - 3).map(|n| n.to_string()).collect::<Vec<_>>()
    );
    for href in hrefs {
        let (file, id) = href.split_once('#').expect("a fragment");
        let target = zip_text(&epub, &format!("EPUB/{file}"));
        assert!(
            target.contains(&format!(
                "epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{id}\""
            )),
            "no marker {id} in {file}"
        );
    }
    let opf = zip_text(&epub, "EPUB/package.opf");
    assert!(opf.contains(">printPageNumbers<") && opf.contains(">pagination<"));
}

/// The page map says where each printed page begins, in reading order; where a page begins
/// inside a paragraph, its offset leads to the first word printed on that page.
mod the_page_map_locates_each_page_at_its_first_word {
    use super::*;

    /// The sample has pages that begin inside a paragraph.
    #[test]
    fn sample() {
        let inside = pages_located(Path::new("manuscript"));
        assert!(inside > 0, "no page began inside a paragraph");
    }

    #[test]
    fn headings() {
        pages_located(&fixture("headings"));
    }
}

/// Checks the page map of a book against its pages; the number of pages that begin inside a
/// paragraph.
fn pages_located(book: &Path) -> usize {
    use inkfold::layout::document::{DrawKind, Owner, PagePlace};
    use inkfold::model::BlockKind;
    let mut inside_paragraphs = 0;
    let p = pipeline(book).expect("a book");
    let starts = &p.doc.page_map.starts;
    assert_eq!(starts.len(), p.doc.pages.len(), "one start per page");
    let mut previous = None;
    for (page, start) in starts.iter().enumerate() {
        assert_eq!(start.label, p.doc.label(page));
        let PagePlace::Chapter { chapter, at } = start.place else {
            continue;
        };
        let place = (chapter, at.block, at.offset);
        assert!(
            previous < Some(place),
            "page {page} starts before the one before it"
        );
        previous = Some(place);
        let Some(BlockKind::Paragraph(inlines)) = p.book.chapters[chapter]
            .blocks
            .get(at.block)
            .map(|b| &b.kind)
        else {
            continue;
        };
        if at.offset == 0 {
            continue;
        }
        let first_word: String = p.doc.pages[page]
            .draws
            .iter()
            .find_map(|d| match (&d.kind, d.owner) {
                (DrawKind::Text { runs, .. }, Owner::Node(_)) => {
                    Some(runs.iter().map(|r| r.text.as_str()).collect())
                }
                _ => None,
            })
            .expect("text on the page");
        let first_word = first_word.split_whitespace().next().unwrap_or("");
        let text = inkfold::model::text::text(inlines);
        assert!(
            text[at.offset..].starts_with(first_word.trim_end_matches('-')),
            "page {page} begins at {:?}, but prints {first_word:?} first",
            &text[at.offset..(at.offset + 20).min(text.len())]
        );
        inside_paragraphs += 1;
    }
    inside_paragraphs
}

/// An SVG figure as drawing programs write it (with a DOCTYPE naming the SVG DTD) builds, its
/// labels are drawn as text in the book's faces (a Cyrillic one through the fallback), and
/// they come back from `pdftotext`; neither output keeps the DOCTYPE.
#[test]
fn svg_labels_are_text_in_the_pdf_and_the_doctype_is_left_out() {
    let case = fixture("svg-labels");
    let (_out, pdf) = build_pdf(&case);
    let (_out_epub, epub) = build_epub(&case);
    let svg = zip_names(&epub)
        .into_iter()
        .find(|name| name.ends_with(".svg"))
        .expect("the SVG in the EPUB");
    let svg = zip_text(&epub, &svg);
    assert!(svg.contains("<svg") && !svg.contains("DOCTYPE"), "{svg}");
    let Some(text) = poppler("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]) else {
        return;
    };
    assert!(text.contains("Stack Heap Ж"), "{text}");
}

/// A cell of a drawn table: its label, where the label begins, and the cell's left and right.
struct Cell {
    label: String,
    x: f32,
    left: f32,
    right: f32,
}

/// The families a font of Times' widths is installed under (fontconfig's metric aliases).
const TIMES_METRICS: &[&str] = &["LiberationSerif", "Tinos", "NimbusRoman", "TeXGyreTermes"];

/// A figure's labels are set in the fonts its `font-family` asks for, as a browser sets them:
/// a table drawn for Times at 14 px (cells as wide as their widest label and 3 px either side,
/// as Graphviz sizes them) prints in a face of Times' widths, and every label's glyphs, as
/// `pdftotext -bbox` places them, stay inside its cell. In the book's own face (wider), or in
/// Noto Serif, `capacity` runs out of its cell. Graphviz's own drawings beside it print too.
#[test]
fn figure_labels_stay_inside_their_cells_in_the_fonts_asked_for() {
    let Some((_out, pdf)) = build_with_system_fonts("svg-fonts") else {
        return;
    };
    let path = pdf.to_str().expect("path");
    let Some(fonts) = poppler("pdffonts", &[path]) else {
        return;
    };
    if !TIMES_METRICS.iter().any(|f| fonts.contains(f)) {
        assert!(
            std::env::var_os("CI").is_none(),
            "no face of Times widths printed the figures:\n{fonts}"
        );
        eprintln!("SKIPPED: no font with Times' widths installed (Debian: fonts-liberation2)");
        return;
    }
    // The cells and labels as drawn: each <text> follows the <rect> of its cell.
    let svg = std::fs::read_to_string(fixture("svg-fonts").join("chapters/images/table.svg"))
        .expect("the table");
    let attr = |line: &str, key: &str| -> f32 {
        line.split(&format!(" {key}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .expect("a number")
    };
    let mut cells = Vec::new();
    let mut cell = None;
    for line in svg.lines().map(str::trim) {
        if line.starts_with("<rect") {
            cell = Some((attr(line, "x"), attr(line, "x") + attr(line, "width")));
        } else if line.starts_with("<text") {
            let label = line
                .split('>')
                .nth(1)
                .and_then(|r| r.split('<').next())
                .expect("a label");
            let (left, right) = cell.expect("a cell before its label");
            cells.push(Cell {
                label: label.to_string(),
                x: attr(line, "x"),
                left,
                right,
            });
        }
    }
    assert_eq!(cells.len(), 16, "{svg}");
    // The table is the first figure: each label where it is first printed (Graphviz's drawings
    // after it have some of the same).
    let words = word_boxes(&pdf).expect("pdftotext");
    let placed: Vec<(&Cell, &WordBox)> = cells
        .iter()
        .map(|cell| {
            let first = words
                .iter()
                .filter(|w| w.text == cell.label)
                .min_by(|a, b| {
                    (a.page, a.y_min)
                        .partial_cmp(&(b.page, b.y_min))
                        .expect("numbers")
                })
                .unwrap_or_else(|| {
                    panic!(
                        "{:?} is not printed as a word of its own (it runs into its neighbour)",
                        cell.label
                    )
                });
            (cell, first)
        })
        .collect();
    // The figure's scale and place on the page, from where its labels begin (each at its x).
    let n = placed.len() as f32;
    let (sx, sy) = placed
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (c, w)| (sx + c.x, sy + w.x_min));
    let (mx, my) = (sx / n, sy / n);
    let (cov, var) = placed.iter().fold((0.0, 0.0), |(cov, var), (c, w)| {
        (
            cov + (c.x - mx) * (w.x_min - my),
            var + (c.x - mx) * (c.x - mx),
        )
    });
    let scale = cov / var;
    let offset = my - scale * mx;
    assert!(scale > 0.3 && scale < 3.0, "the figure's scale: {scale}");
    let slack = 0.5;
    for (
        Cell {
            label, left, right, ..
        },
        word,
    ) in &placed
    {
        let (from, to) = ((word.x_min - offset) / scale, (word.x_max - offset) / scale);
        assert!(
            from >= left - slack && to <= right + slack,
            "{label:?} runs from {from:.1} to {to:.1}, outside its cell {left}..{right}\n{fonts}"
        );
    }
    // Graphviz's drawings print their labels as text.
    let Some(text) = poppler("pdftotext", &["-raw", path, "-"]) else {
        return;
    };
    for label in ["capacity", "greeting", "Typed book model", "next: Empty"] {
        assert!(text.contains(label), "{label:?} in\n{text}");
    }
}

/// A character the print fonts lack stops a PDF but not an e-book: `--format epub` builds with
/// a warning, and the EPUB still has the print edition's page list.
#[test]
fn an_epub_only_build_is_not_stopped_by_a_character_the_print_fonts_lack() {
    let case = fixture("err-uncovered-char");
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().to_str().expect("path");
    let args = ["build", case.to_str().expect("path"), "--out", dir];
    let pdf = inkfold(&[&args[..], &["--format", "pdf"]].concat());
    assert_eq!(pdf.status.code(), Some(1), "{}", stderr(&pdf));
    let epub = inkfold(&[&args[..], &["--format", "epub"]].concat());
    let err = stderr(&epub);
    assert!(epub.status.success(), "{err}");
    assert!(
        err.contains("warning: the character U+E000 (Unknown script)"),
        "{err}"
    );
    let file = std::fs::read_dir(out.path())
        .expect("output")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "epub"))
        .expect("an EPUB");
    let nav = zip_text(&file, "EPUB/nav.xhtml");
    assert!(nav.contains("epub:type=\"page-list\""), "{nav}");
}

/// Files that open with `##` continue the chapter before them, and no title a reader sees or
/// hears is a file name: not the XHTML title or section label, the contents, the bookmarks or
/// the running heads.
#[test]
fn sub_chapter_files_nest_and_no_title_is_a_file_name() {
    let case = fixture("subchapters");
    let p = pipeline(&case).expect("a book");
    let stems: Vec<&str> = p
        .book
        .chapters
        .iter()
        .map(|c| inkfold::paths::file_stem(&c.path))
        .collect();
    let is_stem = |text: &str| stems.iter().any(|s| text.contains(s));
    let mut seen = Vec::new();
    for file in p.epub_files() {
        if !file.path.ends_with(".xhtml") {
            continue;
        }
        let text = String::from_utf8(file.bytes).expect("utf-8");
        let doc = roxmltree::Document::parse_with_options(&text, xml_options()).expect("XML");
        for node in doc.descendants() {
            let spoken = match node.tag_name().name() {
                "title" | "a" => node.text().unwrap_or_default().to_string(),
                _ => node.attribute("aria-label").unwrap_or_default().to_string(),
            };
            assert!(!is_stem(&spoken), "{}: {spoken:?}", file.path);
            seen.push(spoken);
        }
    }
    assert!(seen.iter().any(|t| t == "Variables"));
    // The PDF: bookmarks nest the parts under their chapter; running heads name the chapter.
    let pages = inkfold::layout::dump::pages(&p.doc);
    for line in pages.lines().filter(|l| l.contains("artifact Header")) {
        assert!(!is_stem(line), "{line}");
    }
    let titles: Vec<(usize, &str)> = {
        fn walk<'a>(
            items: &'a [inkfold::layout::document::OutlineItem],
            depth: usize,
            out: &mut Vec<(usize, &'a str)>,
        ) {
            for item in items {
                out.push((depth, item.title.as_str()));
                walk(&item.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        walk(&p.doc.outline, 0, &mut out);
        out
    };
    assert_eq!(
        titles,
        [
            (0, "Contents"),
            (0, "Introduction"),
            (0, "The Basics"),
            (1, "Variables"),
            (2, "Shadowing"),
            (1, "Types"),
            (2, "A Skipped Level"),
            (0, "The End"),
        ]
    );
    assert!(
        pages.contains("artifact Header: \"The Basics\""),
        "the parts' pages carry their chapter's running head:\n{pages}"
    );
}

/// Builds the PDF of a case that prints with the system's Noto fonts; `None` (the test
/// skipped) when they are missing outside CI.
fn build_with_system_fonts(case: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    build_manuscript_with_system_fonts(&fixture(case))
}

/// Builds a manuscript's PDF with the system's fonts: the output folder and the PDF, or
/// `None` (said to be skipped) when the build fails outside CI for want of those fonts.
fn build_manuscript_with_system_fonts(manuscript: &Path) -> Option<(tempfile::TempDir, PathBuf)> {
    let out = tempfile::tempdir().expect("temp dir");
    let output = inkfold(&[
        "build",
        manuscript.to_str().expect("path"),
        "--out",
        out.path().to_str().expect("path"),
        "--format",
        "pdf",
    ]);
    if !output.status.success() && std::env::var_os("CI").is_none() {
        eprintln!(
            "SKIPPED: the system lacks fonts for some scripts (Debian: fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji)\n{}",
            stderr(&output)
        );
        return None;
    }
    assert!(output.status.success(), "{}", stderr(&output));
    let pdf = std::fs::read_dir(out.path())
        .expect("output")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a PDF");
    Some((out, pdf))
}

/// Words in a dozen scripts, an emoji and box drawing print with the system's Noto fonts (CI
/// installs them): the build finds a font for every character, embeds it, and every word
/// comes back from `pdftotext`. Without those fonts outside CI the test says it is skipped.
#[test]
fn system_fonts_print_every_script() {
    let Some((_out, pdf)) = build_with_system_fonts("scripts") else {
        return;
    };
    let Some(text) = poppler("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]) else {
        return;
    };
    for word in [
        "你好",
        "こんにちは",
        "안녕하세요",
        "नमस्ते",
        "হ্যালো",
        "สวัสดี",
        "Γειά",
        "Здравствуйте",
        "👋",
        "├── main.rs ★",
    ] {
        assert!(text.contains(word), "{word} missing from\n{text}");
    }
}

/// A font in the manuscript's `fonts/` folder is tried before the bundled fallbacks; a file
/// there that is not a font is an error naming it.
#[test]
fn the_manuscripts_fonts_come_first_and_must_be_fonts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manuscript = dir.path().join("book");
    TestBook::new("Fonts")
        .chapter("one.md", "# One\n\nЗдравствуйте.\n")
        .file(
            "fonts/Mine.ttf",
            std::fs::read(root().join("fonts/NotoSansMono-Regular.ttf")).expect("a bundled font"),
        )
        .write_to(&manuscript);
    let p = pipeline_with(&manuscript, true).expect("a book");
    let used: Vec<String> = p
        .doc
        .faces_used()
        .into_iter()
        .map(|f| p.fonts.face(f).info.file_name.clone())
        .collect();
    assert!(used.contains(&"Mine.ttf".to_string()), "{used:?}");
    assert!(
        !used.contains(&"NotoSans-Regular.ttf".to_string()),
        "{used:?}"
    );

    std::fs::write(manuscript.join("fonts/Broken.otf"), b"not a font").expect("write");
    let output = inkfold(&["check", manuscript.to_str().expect("path")]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("`Broken.otf` is not a font file"), "{err}");
}

/// The bundled fonts alone print the sample book: it needs no system font.
#[test]
fn the_bundled_fonts_alone_print_the_sample_book() {
    let p = pipeline(Path::new("manuscript")).expect("the sample book, with bundled fonts only");
    for face in p.doc.faces_used() {
        assert_eq!(
            p.fonts.face(face).info.source,
            inkfold::layout::fonts::FaceSource::Bundled
        );
    }
}

per_book!(heading_tags_never_skip_a_level:
    warn_skipped_heading => fixture("warn-skipped-heading"),
    subchapters => fixture("subchapters"),
    features => fixture("features"),
    ids => fixture("ids"),
);

/// The PDF's structure tree never skips a heading level (PDF/UA, Matterhorn 14-003), even where
/// the source does: such a heading is tagged one level below the heading before it.
fn heading_tags_never_skip_a_level(case: &Path) {
    use inkfold::layout::tags::StructKind;
    let name = case
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a case name");
    let p = pipeline(case).expect("a book");
    let mut previous = 0;
    let mut skipped_in_source = false;
    for node in &p.doc.tags.nodes {
        if let StructKind::Heading(level) = node.kind {
            assert!(level <= previous + 1, "{name}: H{previous} then H{level}");
            previous = level;
        }
    }
    for chapter in &p.book.chapters {
        inkfold::model::walk::tree(&chapter.blocks, &mut |node| {
            if let inkfold::model::walk::Node::Block(b) = node
                && let inkfold::model::BlockKind::Heading(h) = &b.kind
            {
                skipped_in_source |= h.look != h.level;
            }
        });
    }
    if name == "warn-skipped-heading" || name == "subchapters" {
        assert!(skipped_in_source, "{name} skips a level in its source");
    }
}

/// Inline HTML that carries meaning reaches the PDF: superscripts and subscripts are set
/// smaller and raised or lowered (read back from the layout) and come back from `pdftotext`
/// as text; an abbreviation is a Span with its expansion.
#[test]
fn inline_html_is_raised_lowered_and_tagged() {
    let case = fixture("html-inline");
    let p = pipeline(&case).expect("a book");
    let runs = text_runs(&p.doc);
    let find = |text: &str| {
        runs.iter()
            .find(|(t, ..)| t.contains(text))
            .cloned()
            .unwrap_or_else(|| panic!("no run holds {text:?}"))
    };
    let (_, body_size, body_baseline) = find("subsets;");
    let (_, sup_size, sup_baseline) = runs
        .iter()
        .find(|(t, size, _)| t == "n" && *size < body_size)
        .cloned()
        .expect("the superscript n");
    assert!(
        sup_baseline < body_baseline - 2.0,
        "raised: {sup_baseline} vs {body_baseline}"
    );
    assert!(sup_size < body_size);
    let (_, _, sub_baseline) = runs
        .iter()
        .find(|(t, size, _)| t == "2" && *size < body_size)
        .cloned()
        .expect("the subscript 2");
    assert!(
        sub_baseline > body_baseline,
        "lowered: {sub_baseline} vs {body_baseline}"
    );
    assert!(
        inkfold::layout::dump::tags(&p.doc)
            .contains("Span { expanded: \"World Health Organization\" }")
    );
    let (_out, pdf) = build_pdf(&case);
    let Some(text) = poppler("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]) else {
        return;
    };
    assert!(text.contains("has 2n") && text.contains("H2O"), "{text}");
}

/// The real-book fixture (30 chapter files shaped like an mdBook book, CC0): its SVG labels,
/// superscripts, box drawing and words in five scripts come back from `pdftotext`, and no
/// bookmark is a file name. It prints with the system's Noto fonts, which CI installs.
#[test]
fn the_real_book_fixture_prints_whole() {
    let Some((_out, pdf)) = build_with_system_fonts("real-book") else {
        return;
    };
    let doc = lopdf::Document::load_mem(&std::fs::read(&pdf).expect("read")).expect("parse");
    let catalog = doc.catalog().expect("catalog");
    assert!(catalog.has(b"Outlines"));
    let Some(text) = poppler("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]) else {
        return;
    };
    for words in [
        "Manuscript Book",
        "Chapter Section",
        "has 2n",
        "├── book.toml",
        "Γειά σου",
        "Здравствуйте",
        "नमस्ते",
        "你好",
        "こんにちは",
    ] {
        // Text written without spaces may break between any two characters, and pdftotext
        // ends each line with a newline.
        let unbroken = text.replace('\n', "");
        assert!(
            text.contains(words) || unbroken.contains(words),
            "{words} missing from\n{text}"
        );
    }
    assert!(
        !text.contains("03-01-headings-and-levels"),
        "a file name is printed"
    );
}

/// The page labels a viewer shows, read back from the /PageLabels number tree: for each page,
/// the entry at or before it gives the style and the first number.
fn page_labels(doc: &lopdf::Document) -> Vec<String> {
    let catalog = doc.catalog().expect("catalog");
    let tree = dict(doc, catalog, b"PageLabels");
    let nums = deref(doc, tree.get(b"Nums").expect("a flat number tree"))
        .as_array()
        .expect("Nums");
    let entries: Vec<(i64, &Dictionary)> = nums
        .chunks(2)
        .map(|pair| {
            let key = pair[0].as_i64().expect("a page index");
            (key, deref(doc, &pair[1]).as_dict().expect("a label"))
        })
        .collect();
    (0..doc.get_pages().len() as i64)
        .map(|page| {
            let Some((key, label)) = entries.iter().rev().find(|(key, _)| *key <= page) else {
                return String::new();
            };
            let start = label.get(b"St").and_then(Object::as_i64).unwrap_or(1);
            let number = start + page - key;
            match label.get(b"S").and_then(Object::as_name) {
                Ok(b"r") => {
                    inkfold::layout::document::PageLabel::Roman(number as usize).to_string()
                }
                Ok(b"D") => number.to_string(),
                _ => String::new(),
            }
        })
        .collect()
}

/// The braille edition marks the print pages the PDF's labels name: the same numbers, in the
/// same order (the body's pages; the front matter's title page, colophon and contents are
/// braille's own preliminary pages).
#[test]
fn the_braille_print_pages_are_the_pdf_labels() {
    if common::braille::louis().is_none() {
        return;
    }
    let out = build_with(
        Path::new("manuscript"),
        &["--profile", "book", "--profile", "braille"],
    );
    let stem = "child-trafficking-in-todays-society";
    let pdf = std::fs::read(out.path().join(format!("{stem}.pdf"))).expect("the PDF");
    let doc = lopdf::Document::load_mem(&pdf).expect("parse");
    let labels: Vec<String> = page_labels(&doc)
        .into_iter()
        .filter(|l| l.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let brf = std::fs::read(out.path().join(format!("{stem}.brf"))).expect("the BRF");
    let marked = common::braille::print_pages(&common::braille::brf_pages(&brf));
    assert!(labels.len() > 3, "{labels:?}");
    assert_eq!(marked, labels);
}

per_book!(every_page_carries_its_printed_number:
    sample => PathBuf::from("manuscript"),
    long_table => fixture("long-table"),
);

/// Every page's label is its printed number: the front matter i, ii, …, the body 1, 2, …,
/// none empty (a viewer's page box shows it, and "go to page 12" finds the printed 12).
fn every_page_carries_its_printed_number(book: &Path) {
    let (_out, path) = build_pdf(book);
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
    let labels = page_labels(&doc);
    let front = labels
        .iter()
        .take_while(|l| l.chars().all(|c| "ivxlcdm".contains(c)) && !l.is_empty())
        .count();
    assert!(front >= 1 && labels.len() > front + 2, "{labels:?}");
    let expected: Vec<String> = (1..=front)
        .map(|n| inkfold::layout::document::PageLabel::Roman(n).to_string())
        .chain((1..=labels.len() - front).map(|n| n.to_string()))
        .collect();
    assert_eq!(labels, expected, "{}", book.display());
}

/// The forms each of a page's artifacts places (`Do` inside its marked content), for the
/// artifacts whose properties have `key` set to the name `value` (`Subtype` `Header` for the
/// running head, `Type` `Layout` for the contents' leaders).
fn artifact_forms(
    doc: &lopdf::Document,
    page: lopdf::ObjectId,
    (key, value): (&[u8], &[u8]),
) -> Vec<Vec<lopdf::ObjectId>> {
    let content = doc.get_page_content(page);
    let content = lopdf::content::Content::decode(&content).expect("decodable content");
    let page_dict = doc.get_dictionary(page).expect("a page");
    let mut artifacts: Vec<Vec<lopdf::ObjectId>> = Vec::new();
    let mut inside = false;
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" => {
                inside = op.operands.get(1).is_some_and(|props| {
                    deref(doc, props).as_dict().is_ok_and(|d| {
                        d.get(key)
                            .and_then(Object::as_name)
                            .is_ok_and(|n| n == value)
                    })
                });
                if inside {
                    artifacts.push(Vec::new());
                }
            }
            "EMC" => inside = false,
            "Do" if inside => {
                let name = op.operands[0].as_name().expect("a form's name");
                let xobjects = dict(doc, dict(doc, page_dict, b"Resources"), b"XObject");
                let form = xobjects
                    .get(name)
                    .and_then(Object::as_reference)
                    .expect("the form is a resource of the page");
                if let Some(forms) = artifacts.last_mut() {
                    forms.push(form);
                }
            }
            _ => {}
        }
    }
    artifacts
}

/// A chapter's running head is drawn once, as a form each of its pages places, and a leader in
/// the contents is one form (shared by the leaders of its length): not a form for each letter
/// or dot (most of a long book's drawing and of its pages' content).
#[test]
fn running_heads_and_leaders_are_forms_drawn_once() {
    let out = build_with(Path::new("manuscript"), &["--format", "pdf"]);
    let path = out.path().join("child-trafficking-in-todays-society.pdf");
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
    for (what, kind, shared) in [
        ("running head", (&b"Subtype"[..], &b"Header"[..]), true),
        // The sample's few leaders differ in length.
        ("leader", (&b"Type"[..], &b"Layout"[..]), false),
    ] {
        let forms: Vec<Vec<lopdf::ObjectId>> = doc
            .get_pages()
            .values()
            .flat_map(|&page| artifact_forms(&doc, page, kind))
            .filter(|forms| !forms.is_empty())
            .collect();
        assert!(forms.len() > 2, "{what}s: {}", forms.len());
        assert!(
            forms.iter().all(|f| f.len() == 1),
            "forms per {what}: {:?}",
            forms.iter().map(Vec::len).collect::<Vec<_>>()
        );
        let distinct: std::collections::BTreeSet<_> = forms.iter().map(|f| f[0]).collect();
        assert!(
            !shared || distinct.len() < forms.len(),
            "{} {what}s, {} forms: none shared",
            forms.len(),
            distinct.len()
        );
    }
}

/// A paragraph's lines on a page are one marked-content sequence (one MCID, one leaf of the
/// structure tree), not one each: the sample's pages hold sequences of several lines.
#[test]
fn a_paragraphs_lines_on_a_page_share_one_marked_content_sequence() {
    let out = build_with(Path::new("manuscript"), &["--format", "pdf"]);
    let path = out.path().join("child-trafficking-in-todays-society.pdf");
    let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
    let (mut sequences, mut most_lines) = (0, 0);
    for &page in doc.get_pages().values() {
        let content = doc.get_page_content(page);
        let content = lopdf::content::Content::decode(&content).expect("decodable content");
        // The baselines of the text objects in the open sequence, when it has an MCID.
        let mut lines: Option<std::collections::BTreeSet<i64>> = None;
        for op in &content.operations {
            match op.operator.as_str() {
                "BDC" => {
                    let mcid = op.operands.get(1).is_some_and(|props| {
                        deref(&doc, props)
                            .as_dict()
                            .is_ok_and(|d| d.get(b"MCID").is_ok())
                    });
                    lines = mcid.then(Default::default);
                }
                "EMC" => {
                    if let Some(lines) = lines.take() {
                        sequences += 1;
                        most_lines = most_lines.max(lines.len());
                    }
                }
                "Tm" => {
                    if let (Some(lines), Some(y)) = (&mut lines, op.operands.get(5)) {
                        let y = y.as_float().unwrap_or(0.0);
                        lines.insert((y * 10.0).round() as i64);
                    }
                }
                _ => {}
            }
        }
    }
    assert!(sequences > 0, "no marked-content sequence with an MCID");
    assert!(
        most_lines >= 3,
        "the longest of {sequences} sequences holds {most_lines} lines"
    );
}

/// The sizes text is set at on a page, read from its content stream: each `Tf` size times the
/// vertical scale of the text matrix (`Tm`) in force.
fn text_sizes(doc: &lopdf::Document, page: lopdf::ObjectId) -> Vec<f32> {
    let content = doc.get_page_content(page);
    let content = lopdf::content::Content::decode(&content).expect("decodable content");
    let number = |o: &Object| {
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|n| n as f32))
    };
    let (mut size, mut sizes) = (0.0f32, Vec::new());
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => size = op.operands.get(1).and_then(number).unwrap_or(0.0),
            "Tm" => {
                let scale = op.operands.get(3).and_then(number).unwrap_or(1.0).abs();
                sizes.push(size * scale);
            }
            _ => {}
        }
    }
    sizes
}

/// The large-print edition sets no text on its pages below 18 pt — body, notes, captions,
/// running heads and page numbers alike — read back from the PDF, not from the settings.
#[test]
fn large_print_sets_nothing_below_18_pt() {
    let out = build_with(
        Path::new("manuscript"),
        &[
            "--format",
            "pdf",
            "--profile",
            "large-print",
            "--profile",
            "book",
        ],
    );
    let smallest = |name: &str| {
        let path = out.path().join(name);
        let doc = lopdf::Document::load_mem(&std::fs::read(&path).expect("read")).expect("parse");
        doc.get_pages()
            .values()
            .flat_map(|&page| text_sizes(&doc, page))
            .fold(f32::INFINITY, f32::min)
    };
    let large = smallest("child-trafficking-in-todays-society-large-print.pdf");
    assert!((18.0..100.0).contains(&large), "smallest text {large} pt");
    // The check can fail: the book edition has smaller text (notes, page numbers).
    let book = smallest("child-trafficking-in-todays-society.pdf");
    assert!(book < 12.0, "smallest text of the book {book} pt");
}

/// The last word of a page's body text from `pdftotext -raw`: before the running head (one of
/// `heads`) and the page number, which come last in content order.
fn body_last_word(text: &str, heads: &[String]) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .filter(|line| !heads.iter().any(|head| head == line))
        .filter(|line| {
            !line
                .chars()
                .all(|c| c.is_ascii_digit() || "ivxlcdm".contains(c))
        })
        .filter_map(|line| line.split_whitespace().next_back())
        .next_back()
        .unwrap_or_default()
        .to_string()
}

/// A word as both texts give it: without the punctuation around it (the quotation marks of
/// `<q>` are text only in print).
fn bare_word(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// In the EPUB, the first word after each printed page's marker, by page label, in the
/// order of the page-list.
fn words_after_markers(epub: &Path) -> Vec<(String, String)> {
    let nav = zip_text(epub, "EPUB/nav.xhtml");
    let labels: Vec<String> = nav
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .filter_map(|href| {
            href.split_once("#page.")
                .map(|(_, label)| label.to_string())
        })
        .collect();
    let mut text = String::new();
    for name in zip_names(epub) {
        if name.ends_with(".xhtml") {
            text.push_str(&zip_text(epub, &name));
        }
    }
    labels
        .into_iter()
        .map(|label| {
            let marker = format!("id=\"page.{label}\"");
            let after = text
                .split_once(&marker)
                .map(|(_, after)| after)
                .unwrap_or_else(|| panic!("no marker for page {label}"));
            // The text after the marker, its tags dropped, up to the first word.
            let mut plain = String::new();
            let mut in_tag = true; // still inside the marker's own tag
            let mut tag = String::new();
            for c in after.chars() {
                match c {
                    '<' => {
                        in_tag = true;
                        tag.clear();
                    }
                    '>' => {
                        in_tag = false;
                        // Block elements and table cells separate words; inline ones do not.
                        let name = tag.trim_start_matches('/');
                        let name = name.split([' ', '/']).next().unwrap_or("");
                        if !matches!(
                            name,
                            "em" | "strong"
                                | "a"
                                | "span"
                                | "code"
                                | "q"
                                | "del"
                                | "sup"
                                | "sub"
                                | "abbr"
                                | "b"
                                | "i"
                                | "u"
                                | "s"
                                | "small"
                                | "mark"
                                | "kbd"
                                | "samp"
                                | "var"
                                | "cite"
                                | "dfn"
                                | "ins"
                        ) {
                            plain.push(' ');
                        }
                    }
                    c if in_tag => tag.push(c),
                    c => plain.push(c),
                }
                if plain
                    .split_whitespace()
                    .filter(|w| !bare_word(w).is_empty())
                    .count()
                    > 1
                {
                    break;
                }
            }
            // The first word with a letter or digit (code's `#` and a dash are no words).
            let word = plain
                .split_whitespace()
                .find(|w| !bare_word(w).is_empty())
                .unwrap_or("");
            let word = word
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            (label, word)
        })
        .collect()
}

per_book!(each_page_marker_stands_before_the_first_word_of_its_page:
    sample => PathBuf::from("manuscript"),
    narrow_sample => sample_with("page-size = \"90mm x 200mm\"\nfont-size = 13").path(),
    long_table => fixture("long-table"),
    notes => fixture("notes"),
    admonitions => fixture("admonitions"),
    generated => generated_book(30).path(),
);

/// A generated book of about `pages` pages, in a temporary folder.
fn generated_book(pages: usize) -> tempfile::TempDir {
    let generated = tempfile::tempdir().expect("temp dir");
    common::generate::write_book(pages, generated.path()).expect("a generated book");
    generated
}

/// Each page-break marker of the e-book stands where its printed page begins: the word after
/// it is the first word `pdftotext` finds on that page of the PDF (whose page labels it
/// follows), for pages that begin between blocks and inside paragraphs, quotations, lists,
/// notes, tables and code alike.
fn each_page_marker_stands_before_the_first_word_of_its_page(book: &Path) {
    let mut checked = 0;
    let parsed = inkfold::parse(&inkfold::BookSource::open(book), None)
        .book
        .expect("a book");
    let heads: Vec<String> = parsed
        .chapters
        .iter()
        .map(|c| c.title.clone())
        .chain([parsed.meta.title.clone()])
        .collect();
    let (_epub_out, epub) = build_epub(book);
    let (_pdf_out, pdf) = build_pdf(book);
    let pdf_path = pdf.to_str().expect("path");
    let markers = words_after_markers(&epub);
    let pages = lopdf::Document::load_mem(&std::fs::read(&pdf).expect("read"))
        .expect("parse")
        .get_pages()
        .len();
    assert_eq!(
        markers.len(),
        pages,
        "{}: one marker per page",
        book.display()
    );
    let mut previous_last = String::new();
    for (index, (label, word)) in markers.iter().enumerate() {
        let page = (index + 1).to_string();
        let Some(text) = poppler(
            "pdftotext",
            &["-raw", "-f", &page, "-l", &page, pdf_path, "-"],
        ) else {
            return;
        };
        // Body text comes first in content order; the running head and page number after.
        // List labels (•, 1., [x]) are text in print but not in the e-book.
        let is_label = |w: &&str| {
            bare_word(w).is_empty()
                || (w.ends_with('.') && w[..w.len() - 1].chars().all(|c| c.is_ascii_digit()))
        };
        let first = text.split_whitespace().find(|w| !is_label(w)).unwrap_or("");
        // A page that begins inside a hyphenated word: the word comes back whole from the
        // page before (through its actual text), and the marker stands before the word.
        let split_word =
            bare_word(word) == bare_word(&previous_last) && !bare_word(word).is_empty();
        assert!(
            bare_word(word) == bare_word(first) || split_word,
            "{}: page {label} (page {page} of the PDF) begins with {first:?}, its marker stands before {word:?}",
            book.display()
        );
        previous_last = body_last_word(&text, &heads);
        checked += 1;
    }
    // Every page is checked, and each book has pages that begin after its first.
    assert!(
        checked == pages && pages > 1,
        "{}: {checked} of {pages} pages checked",
        book.display()
    );
}

/// The colophon says only what is true of its edition: the rights only when the book states
/// them (the sample does not), and an accessibility statement with the edition's own type
/// size; the cover image is a figure with its alt text on the title page.
#[test]
fn the_colophon_states_what_each_edition_offers() {
    let out = build_with(
        Path::new("manuscript"),
        &[
            "--format",
            "pdf",
            "--profile",
            "book",
            "--profile",
            "large-print",
        ],
    );
    let check = inkfold(&["check", "manuscript"]);
    assert!(
        stderr(&check).contains("the book states no rights"),
        "{}",
        stderr(&check)
    );
    for (name, needles) in [
        (
            "child-trafficking-in-todays-society.pdf",
            vec!["tagged (PDF/UA-1)", "at 12 pt."],
        ),
        (
            "child-trafficking-in-todays-society-large-print.pdf",
            vec![
                "tagged (PDF/UA-1)",
                "at 18 pt, and no text is smaller",
                "emphasis in bold",
            ],
        ),
    ] {
        let path = out.path().join(name);
        let Some(text) = poppler(
            "pdftotext",
            &["-f", "2", "-l", "2", path.to_str().expect("path"), "-"],
        ) else {
            return;
        };
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Set in Atkinson Hyperlegible Next"),
            "{name}: {flat}"
        );
        for needle in needles {
            assert!(flat.contains(needle), "{name}: {needle:?} not in {flat}");
        }
        assert!(!flat.contains("rights reserved"), "{name}: {flat}");
    }
    let pipeline = pipeline(&fixture("features")).expect("the features book");
    let tags = inkfold::layout::dump::tags(&pipeline.doc);
    assert!(
        tags.contains("Figure alt=\"A small photograph used as the cover of a test book\""),
        "{tags}"
    );
    let pages = inkfold::layout::dump::pages(&pipeline.doc);
    let first_page = pages.split("Page 2").next().expect("page 1");
    assert!(
        first_page.contains("Figure: image") && first_page.contains("Fixture Press"),
        "the cover and the publisher on the title page: {first_page}"
    );
}

/// A chapter in another language is a section with its /Lang in the structure tree, so a screen
/// reader switches voice for it (the book's other text takes the document's language).
#[test]
fn a_chapter_in_another_language_is_a_section_with_its_lang() {
    let Some((_out, pdf)) = build_with_system_fonts("languages") else {
        return;
    };
    let doc = lopdf::Document::load_mem(&std::fs::read(&pdf).expect("read")).expect("parse");
    let catalog = doc.catalog().expect("catalog");
    let root = dict(&doc, catalog, b"StructTreeRoot");
    let mut stack = vec![deref(&doc, root.get(b"K").expect("K")).clone()];
    let mut sections = Vec::new();
    while let Some(object) = stack.pop() {
        match deref(&doc, &object) {
            Object::Array(kids) => stack.extend(kids.iter().cloned()),
            Object::Dictionary(node) => {
                if node.get(b"S").and_then(Object::as_name).ok() == Some(b"Sect".as_slice()) {
                    let lang = node
                        .get(b"Lang")
                        .and_then(Object::as_str)
                        .map(|l| String::from_utf8_lossy(l).into_owned())
                        .unwrap_or_default();
                    sections.push(lang);
                }
                if let Ok(kids) = node.get(b"K") {
                    stack.push(kids.clone());
                }
            }
            _ => {}
        }
    }
    sections.sort();
    assert_eq!(sections, ["", "ar", "fr", "he"], "the sections' /Lang");
}

/// Han characters take the forms of their text's language: the same characters in Japanese,
/// Simplified Chinese and Korean chapters print from the Noto Sans CJK face of each.
#[test]
fn han_characters_print_in_the_forms_of_their_language() {
    let Some((_out, pdf)) = build_with_system_fonts("han") else {
        return;
    };
    let fonts = base_fonts(&pdf);
    for form in ["CJKjp", "CJKsc", "CJKkr"] {
        assert!(
            fonts.iter().any(|f| f.contains(form)),
            "no {form} face in {fonts:?}"
        );
    }
}

/// The BaseFont names of a PDF's fonts.
fn base_fonts(pdf: &std::path::Path) -> Vec<String> {
    let doc = lopdf::Document::load_mem(&std::fs::read(pdf).expect("read")).expect("parse");
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font".as_slice()))
        .filter_map(|d| d.get(b"BaseFont").and_then(Object::as_name).ok())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect()
}

/// Code in a Japanese book, its comments and strings in Japanese, takes the Japanese forms
/// too: before, code was shaped with no language and its Han characters took the first Noto
/// Sans CJK face by name, Hong Kong's (as in the Rust book's Japanese translation).
#[test]
fn code_takes_the_han_forms_of_its_language() {
    let dir = TestBook::new("コード")
        .rights("CC0")
        .lang("ja")
        .chapter(
            "one.md",
            "# 直す\n\n写真と骨。\n\n```rust\n// 直す: 骨の写真\nlet s = \"直\";\n```\n",
        )
        .write();
    let Some((_out, pdf)) = build_manuscript_with_system_fonts(dir.path()) else {
        return;
    };
    let cjk: Vec<String> = base_fonts(&pdf)
        .into_iter()
        .filter(|f| f.contains("CJK"))
        .collect();
    assert!(!cjk.is_empty(), "no CJK face");
    assert!(
        cjk.iter().all(|f| f.contains("CJKjp")),
        "a face of other forms: {cjk:?}"
    );
}

/// A paragraph of Chinese, which has no spaces, breaks between its characters (never before
/// closing punctuation): its lines stay inside the text block, and `pdftotext` gives the text
/// back in order once the line ends are joined.
#[test]
fn text_without_spaces_breaks_inside_the_margins() {
    let paragraph = "这是一个很长的中文段落，没有空格。".repeat(20);
    let dir = TestBook::new("CJK")
        .rights("CC0")
        .lang("zh-Hans")
        .chapter("one.md", format!("# 第一章\n\n{paragraph}\n"))
        .write();
    let Some((_out, pdf)) = build_manuscript_with_system_fonts(dir.path()) else {
        return;
    };
    let Some(text) = poppler("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]) else {
        return;
    };
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains('这') || l.contains('段'))
        .collect();
    assert!(lines.len() > 4, "{text}");
    assert!(
        lines.iter().all(|l| !l.starts_with(['，', '。'])),
        "a line starts with closing punctuation:\n{text}"
    );
    assert!(text.replace('\n', "").contains(&paragraph), "{text}");
    // Every glyph inside the page: the text block ends at the right margin.
    let page_width = 419.53f32;
    for word in word_boxes(&pdf).expect("pdftotext") {
        assert!(
            word.x_max <= page_width - 30.0,
            "{word:?} runs into the margin"
        );
    }
}

/// The words of a text as the extraction test counts them: its tokens between spaces, without
/// the punctuation at their ends (extractors place a right-to-left word's closing comma before
/// it or apart from it).
fn counted_words(text: &str) -> std::collections::HashMap<String, usize> {
    let mut words = std::collections::HashMap::new();
    for token in text.split_whitespace() {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        if !word.is_empty() {
            *words.entry(word.to_string()).or_insert(0) += 1;
        }
    }
    words
}

/// The characters of a text written without spaces, as the extraction test counts them.
fn counted_chars(text: &str) -> std::collections::HashMap<String, usize> {
    let mut chars = std::collections::HashMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *chars.entry(c.to_string()).or_insert(0) += 1;
    }
    chars
}

/// The share of `source`'s items found in `extracted` (each as often as it occurs).
fn kept(
    source: &std::collections::HashMap<String, usize>,
    extracted: &std::collections::HashMap<String, usize>,
) -> f64 {
    let total: usize = source.values().sum();
    let found: usize = source
        .iter()
        .map(|(item, &n)| n.min(extracted.get(item).copied().unwrap_or(0)))
        .sum();
    found as f64 / total.max(1) as f64
}

/// A fixture book built with the system's fonts (its folder and PDF), each of whose chapters
/// [`chapters_extract_whole`]; the shares printed. `None` when a tool or font is missing.
fn built_extracting_whole(case_name: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let (out, pdf) = build_with_system_fonts(case_name)?;
    let report = chapters_extract_whole(case_name, &pdf)?;
    eprintln!("{}", report.join(", "));
    Some((out, pdf))
}

/// Checks that each chapter of a fixture book comes back from `pdftotext -raw` of its pages
/// (found by the outline): words, or characters for the scripts written without spaces, at
/// least 99 % of them, and 99.5 % in Arabic script; the share of each, by language.
fn chapters_extract_whole(case_name: &str, pdf: &Path) -> Option<Vec<String>> {
    let case = fixture(case_name);
    let parsed = inkfold::parse(&inkfold::BookSource::open(&case), None);
    let book = parsed.book.expect("a book");
    let doc = lopdf::Document::load(pdf).expect("parse");
    let toc = doc.get_toc().expect("an outline").toc;
    let pages = doc.get_pages().len();
    let path = pdf.to_str().expect("path");
    let mut report = Vec::new();
    for chapter in &book.chapters {
        let source = std::fs::read_to_string(case.join(&chapter.path)).expect("chapter");
        let title = source.lines().next().unwrap_or("").trim_start_matches("# ");
        let first = toc
            .iter()
            .position(|t| t.level == 1 && t.title == title)
            .unwrap_or_else(|| panic!("{title} is not in the outline"));
        let from = toc[first].page;
        let to = toc[first + 1..]
            .iter()
            .find(|t| t.level == 1)
            .map_or(pages, |next| next.page.saturating_sub(1).max(from));
        let lang = chapter
            .lang
            .as_ref()
            .unwrap_or(&book.meta.lang)
            .as_str()
            .to_string();
        let (from, to) = (from.to_string(), to.to_string());
        let args = ["-raw", "-f", from.as_str(), "-l", to.as_str(), path, "-"];
        let text = poppler("pdftotext", &args)?;
        let body = source.replace('#', " ");
        let without_spaces = ["th", "km", "am", "zh-Hans", "ja"].contains(&lang.as_str());
        let (source, extracted) = if without_spaces {
            (counted_chars(&body), counted_chars(&text))
        } else {
            (counted_words(&body), counted_words(&text))
        };
        let share = kept(&source, &extracted);
        let mut lost: Vec<&String> = source
            .iter()
            .filter(|(item, n)| extracted.get(*item).copied().unwrap_or(0) < **n)
            .map(|(item, _)| item)
            .collect();
        lost.sort();
        report.push(format!("{lang}: {:.1} %", share * 100.0));
        let least = match lang.as_str() {
            "ar" | "ur" | "fa" => 0.995,
            _ => 0.99,
        };
        assert!(
            share >= least,
            "{lang} keeps {:.1} % of its text; lost {lost:?} from\n{text}",
            share * 100.0
        );
    }
    Some(report)
}

/// A font's ToUnicode map: each 2-byte code's text (krilla writes `bfchar` entries; `bfrange`
/// ones are read too).
fn to_unicode(doc: &lopdf::Document, font: &Dictionary) -> std::collections::HashMap<u16, String> {
    let mut map = std::collections::HashMap::new();
    let Ok(Object::Reference(id)) = font.get(b"ToUnicode") else {
        return map;
    };
    let Ok(stream) = doc.get_object(*id).and_then(Object::as_stream) else {
        return map;
    };
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let cmap = String::from_utf8_lossy(&bytes);
    let hex = |h: &str| -> Vec<u8> {
        (0..h.len() / 2)
            .filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok())
            .collect()
    };
    let utf16 = |b: Vec<u8>| -> String {
        let units: Vec<u16> = b
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    let code = |b: Vec<u8>| -> u16 { b.iter().fold(0u16, |n, &x| n << 8 | u16::from(x)) };
    let mut section = "";
    for line in cmap.lines().map(str::trim) {
        if line.ends_with("beginbfchar") || line.ends_with("beginbfrange") {
            section = if line.ends_with("beginbfchar") {
                "char"
            } else {
                "range"
            };
            continue;
        }
        if line.starts_with("endbf") {
            section = "";
            continue;
        }
        let fields: Vec<&str> = line
            .split(['<', '>'])
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        match (section, fields.as_slice()) {
            ("char", [from, to]) => {
                map.insert(code(hex(from)), utf16(hex(to)));
            }
            ("range", [low, high, to]) => {
                let (low, high) = (code(hex(low)), code(hex(high)));
                let first = hex(to);
                for (i, c) in (low..=high).enumerate() {
                    let mut text = first.clone();
                    if let Some(last) = text.last_mut() {
                        *last = last.wrapping_add(i as u8);
                    }
                    map.insert(c, utf16(text));
                }
            }
            _ => {}
        }
    }
    map
}

/// The text of a page as a screen reader reads its marked content: each glyph's ToUnicode
/// text, a `/ReversedChars` sequence's characters reversed, a span's `/ActualText` in place of
/// its glyphs', and a space after each text object (the layout's words are each one).
fn reader_text(doc: &lopdf::Document, page: lopdf::ObjectId) -> String {
    let fonts: std::collections::HashMap<Vec<u8>, std::collections::HashMap<u16, String>> = doc
        .get_page_fonts(page)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, font)| (name, to_unicode(doc, font)))
        .collect();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).expect("operations");
    let mut text = String::new();
    // Open marked content: whether it reverses, its actual text, and what it gathered.
    let mut open: Vec<(bool, Option<String>, String)> = Vec::new();
    let mut font: Option<&std::collections::HashMap<u16, String>> = None;
    let push =
        |open: &mut Vec<(bool, Option<String>, String)>, text: &mut String, s: &str| match open
            .last_mut()
        {
            Some((_, _, gathered)) => gathered.push_str(s),
            None => text.push_str(s),
        };
    for op in &content.operations {
        match op.operator.as_str() {
            "BMC" | "BDC" => {
                let reversed = op.operands.first().and_then(|o| o.as_name().ok())
                    == Some(b"ReversedChars".as_slice());
                let actual = op
                    .operands
                    .get(1)
                    .and_then(|o| o.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|t| t.as_str().ok())
                    .map(|b| {
                        if b.starts_with(&[0xFE, 0xFF]) {
                            let units: Vec<u16> = b[2..]
                                .chunks(2)
                                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                                .collect();
                            String::from_utf16_lossy(&units)
                        } else {
                            String::from_utf8_lossy(b).into_owned()
                        }
                    });
                open.push((reversed, actual, String::new()));
            }
            "EMC" => {
                if let Some((reversed, actual, gathered)) = open.pop() {
                    let read = match actual {
                        Some(actual) => actual,
                        None if reversed => gathered.chars().rev().collect(),
                        None => gathered,
                    };
                    push(&mut open, &mut text, &read);
                }
            }
            "Tf" => {
                font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| fonts.get(n));
            }
            "Tj" | "TJ" => {
                let strings: Vec<&[u8]> = match op.operator.as_str() {
                    "Tj" => op.operands.iter().filter_map(|o| o.as_str().ok()).collect(),
                    _ => op
                        .operands
                        .first()
                        .and_then(|o| o.as_array().ok())
                        .map(|a| a.iter().filter_map(|o| o.as_str().ok()).collect())
                        .unwrap_or_default(),
                };
                for bytes in strings {
                    for pair in bytes.chunks(2) {
                        let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                        let glyph = font.and_then(|f| f.get(&code)).map_or("", String::as_str);
                        push(&mut open, &mut text, glyph);
                    }
                }
            }
            "ET" => push(&mut open, &mut text, " "),
            _ => {}
        }
    }
    text
}

/// The structure tree's text of the Arabic-script chapters reads in logical order: every word
/// of the Arabic, Urdu (declaration) and Persian chapters comes back whole from the pages'
/// marked content as a screen reader reads it, its vowel marks on their letters, a Persian
/// word with a zero-width non-joiner in one piece (its letter's glyph carrying the joiner had
/// actual text, which split the word's reversal in two: `بهره‌مند` read as `ندم‌بهره`).
#[test]
fn arabic_script_reads_in_logical_order_from_the_tagged_text() {
    for (case, chapters) in [
        ("declaration", &["arabic.md", "urdu.md"][..]),
        ("persian", &["persian.md"][..]),
    ] {
        let Some((_out, pdf)) = build_with_system_fonts(case) else {
            return;
        };
        let doc = lopdf::Document::load(&pdf).expect("parse");
        let read: String = doc
            .get_pages()
            .values()
            .map(|&page| reader_text(&doc, page))
            .collect::<Vec<_>>()
            .join(" ");
        // The right-to-left marks that close some words are not the text's.
        let extracted = counted_words(&read.replace('\u{200F}', ""));
        for chapter in chapters {
            let source = std::fs::read_to_string(fixture(case).join("chapters").join(chapter))
                .expect("chapter");
            let source = counted_words(&source.replace('#', " "));
            let share = kept(&source, &extracted);
            let lost: Vec<&String> = source
                .iter()
                .filter(|(w, n)| extracted.get(*w).copied().unwrap_or(0) < **n)
                .map(|(w, _)| w)
                .collect();
            assert!(
                share >= 0.995,
                "{chapter}: {:.1} %; lost {lost:?}",
                share * 100.0
            );
        }
    }
}

/// Persian, a third language in Arabic script with its own letters and marks (hamza above at
/// a word's end, zero-width non-joiners), comes back from `pdftotext -raw` with 99.5 % of its
/// words; its lines stay inside the text block of a book bound on the right.
#[test]
fn persian_extracts_whole() {
    let Some((_out, pdf)) = built_extracting_whole("persian") else {
        return;
    };
    let profile = inkfold::parse(&inkfold::BookSource::open(fixture("persian")), None).profile;
    let bound = profile.bound_on_the_right();
    for word in word_boxes(&pdf).expect("pdftotext") {
        let left = bound.text_left(word.page - 1);
        assert!(
            word.x_min >= left - 1.0 && word.x_max <= left + bound.text_width() + 1.0,
            "{word:?} outside the text block"
        );
    }
}

/// The Universal Declaration of Human Rights in 16 languages and 13 scripts (the
/// `declaration` fixture) prints whole: each chapter's text comes back from `pdftotext -raw`
/// with at least 99 % of its words (of its characters, for Thai, Khmer, Chinese, Japanese and
/// the Ethiopic word space), Arabic and Urdu with 99.5 % (every word, today: a letter carries
/// its vowel marks' text and the marks are drawn apart, see `render/pdf/marks.rs`), and no
/// word lies outside the text block.
#[test]
fn sixteen_languages_extract_whole_and_stay_inside_the_text_block() {
    let Some((_out, pdf)) = built_extracting_whole("declaration") else {
        return;
    };

    // Every word inside the text block, on the left or right page.
    let Some(words) = word_boxes(&pdf) else {
        return;
    };
    let profile = inkfold::parse(&inkfold::BookSource::open(fixture("declaration")), None).profile;
    let slack = 1.0;
    for word in &words {
        let left = profile.text_left(word.page - 1);
        let right = left + profile.text_width();
        assert!(
            word.x_min >= left - slack && word.x_max <= right + slack,
            "{word:?} outside {left}..{right}"
        );
    }
}

/// Urdu is set in Nastaliq when the manuscript brings a Nastaliq font, and in the system's
/// Naskh otherwise; Arabic-script text in other languages keeps the fallback chain's face.
#[test]
fn urdu_takes_the_manuscripts_nastaliq() {
    let nastaliq = Path::new("/usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf");
    if !nastaliq.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs fonts-noto-core"
        );
        eprintln!("SKIPPED: no Noto Nastaliq Urdu (Debian: fonts-noto-core)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let manuscript = dir.path().join("book");
    TestBook::new("Urdu")
        .lang("ur")
        .chapter(
            "one.md",
            "# انسانی حقوق\n\nتمام انسان آزاد اور حقوق و عزت کے اعتبار سے برابر پیدا ہوئے ہیں۔\n\n<span lang=\"ar\">يولد جميع الناس أحرارًا</span>\n",
        )
        .write_to(&manuscript);
    let files = |p: &common::Pipeline| -> Vec<String> {
        p.doc
            .faces_used()
            .into_iter()
            .map(|f| p.fonts.face(f).info.file_name.clone())
            .collect()
    };
    let naskh = files(&pipeline_with(&manuscript, true).expect("a book"));
    assert!(!naskh.iter().any(|f| f.contains("Nastaliq")), "{naskh:?}");

    std::fs::create_dir_all(manuscript.join("fonts")).expect("dirs");
    std::fs::copy(
        nastaliq,
        manuscript.join("fonts/NotoNastaliqUrdu-Regular.ttf"),
    )
    .expect("copy");
    let used = files(&pipeline_with(&manuscript, true).expect("a book"));
    assert!(
        used.contains(&"NotoNastaliqUrdu-Regular.ttf".to_string()),
        "{used:?}"
    );
    // The Arabic phrase keeps the Naskh face.
    assert!(used.iter().any(|f| f.contains("Arabic")), "{used:?}");
}

/// A word's box on its page, from `pdftotext -bbox`.
#[derive(Debug)]
struct WordBox {
    page: usize,
    text: String,
    x_min: f32,
    x_max: f32,
    y_min: f32,
}

fn word_boxes(pdf: &Path) -> Option<Vec<WordBox>> {
    let bbox = poppler("pdftotext", &["-bbox", pdf.to_str().expect("path"), "-"])?;
    let mut page = 0;
    let mut words = Vec::new();
    for line in bbox.lines() {
        if line.contains("<page ") {
            page += 1;
        }
        if !line.contains("<word") {
            continue;
        }
        let value = |key: &str| -> f32 {
            line.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.parse().ok())
                .expect("a coordinate")
        };
        let text = line
            .split('>')
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap_or("")
            .to_string();
        words.push(WordBox {
            page,
            text,
            x_min: value("xMin"),
            x_max: value("xMax"),
            y_min: value("yMin"),
        });
    }
    Some(words)
}

/// A book that reads from right to left is bound on the right, so its pages' margins mirror a
/// left-bound book's: a recto page (the first, third, …) stands left of the spine with its inner
/// margin on its right, a verso's inner margin is on its left. Its right-aligned lines show
/// where the text block ends.
#[test]
fn right_to_left_books_keep_their_inner_margin_at_the_spine() {
    let dir = TestBook::arabic().write();
    let Some((_out, pdf)) = build_manuscript_with_system_fonts(dir.path()) else {
        return;
    };
    let profile = inkfold::parse(&inkfold::BookSource::open(dir.path()), None).profile;
    assert!(profile.two_sided && profile.margin_inner != profile.margin_outer);
    let Some(words) = word_boxes(&pdf) else {
        return;
    };
    let pages = words.iter().map(|w| w.page).max().expect("words");
    let mut checked = 0;
    // The body pages: after the title page, the colophon and the contents.
    for page in 4..=pages {
        let Some(right) = words
            .iter()
            .filter(|w| w.page == page)
            .map(|w| w.x_max)
            .reduce(f32::max)
        else {
            continue;
        };
        let recto = (page - 1) % 2 == 0;
        let margin = if recto {
            profile.margin_inner
        } else {
            profile.margin_outer
        };
        let edge = profile.page_width - margin;
        assert!(
            (right - edge).abs() < 1.0,
            "page {page}: lines end at {right}, the text block at {edge}"
        );
        checked += 1;
    }
    assert!(checked >= 2, "{checked} pages");
}

/// A right-to-left chapter is set from the right: its paragraphs' lines end at the right edge
/// of the text block (a short last line too), list labels stand right of their items, and a
/// table's first column is on the right.
#[test]
fn right_to_left_chapters_are_set_from_the_right() {
    let Some((_out, pdf)) = build_with_system_fonts("languages") else {
        return;
    };
    let Some(words) = word_boxes(&pdf) else {
        return;
    };
    // `pdftotext -bbox` gives right-to-left words as they stand, reversed.
    let find = |text: &str| {
        let reversed: String = text.chars().rev().collect();
        words
            .iter()
            .rev()
            .find(|w| {
                let bare = w.text.trim_matches(|c: char| !c.is_alphanumeric());
                bare == text || bare == reversed
            })
            .unwrap_or_else(|| panic!("{text} not found in {words:#?}"))
    };
    let page = find("ראשון").page;
    let profile = inkfold::parse(&inkfold::BookSource::open(fixture("languages")), None).profile;
    let right = profile.text_left(page - 1) + profile.text_width();
    let left = profile.text_left(page - 1);
    let on_line = |word: &WordBox| -> Vec<&WordBox> {
        words
            .iter()
            .filter(|w| w.page == word.page && (w.y_min - word.y_min).abs() < 2.0)
            .collect()
    };
    let line_right = |word: &WordBox| on_line(word).iter().map(|w| w.x_max).fold(0.0, f32::max);
    let line_left = |word: &WordBox| {
        on_line(word)
            .iter()
            .map(|w| w.x_min)
            .fold(f32::MAX, f32::min)
    };
    // A full line and a short last line both end at the right edge.
    for word in ["הספר", "לשמאל", "ראו"] {
        let end = line_right(find(word));
        assert!(
            (end - right).abs() < 1.5,
            "{word}'s line ends at {end}, not {right}"
        );
    }
    assert!(
        line_left(find("לשמאל")) > left + 100.0,
        "the short line is not on the right"
    );
    // List labels on the right of their items, ordered as the line is: "1." stands as ".1"
    // from the left, its period against the number's left side.
    let item = find("ראשון");
    let number = words
        .iter()
        .find(|w| w.page == page && w.text == "1" && (w.y_min - item.y_min).abs() < 2.0)
        .expect("the label's number on the item's line");
    assert!(
        number.x_min > item.x_max,
        "{number:?} is not right of {item:?}"
    );
    let period = words
        .iter()
        .find(|w| w.page == page && w.text == "." && (w.y_min - item.y_min).abs() < 2.0)
        .expect("the label's period");
    assert!(
        (period.x_max - number.x_min).abs() < 1.0,
        "the period {period:?} is not just left of the number {number:?}"
    );
    // The table's first column on the right.
    assert!(find("שם").x_min > find("שנה").x_max);
}

/// A part of a chapter (a file opening with `##`) whose heading is kept with its first lines on
/// the next page: its bookmark, and so its line in the contents, point at the page the heading
/// is on, for every length of the chapter before it (some push the heading over, some do not).
#[test]
fn a_part_pushed_to_the_next_page_is_found_there() {
    let sentence = "This sentence is here to fill the page with ordinary running text. ";
    let mut pushed = 0;
    for paragraphs in 4..16 {
        let chapter: String = std::iter::once("# One\n\n".to_string())
            .chain((0..paragraphs).map(|i| format!("Paragraph {i}. {}\n\n", sentence.repeat(6))))
            .collect();
        let dir = TestBook::new("Parts")
            .author("A. Author")
            .date("2026-01-01")
            .rights("CC0 1.0")
            .chapter("one.md", chapter)
            .chapter(
                "one-part.md",
                format!(
                    "## The Part\n\n{}\n\n{}\n",
                    sentence.repeat(6),
                    sentence.repeat(6)
                ),
            )
            .write();
        let p = pipeline(dir.path()).expect("a book");
        let prints = |page: usize, text: &str| {
            p.doc.pages[page].draws.iter().any(|d| {
                matches!(&d.kind, inkfold::layout::document::DrawKind::Text { runs, .. }
                    if runs.iter().any(|r| r.text.contains(text)))
            })
        };
        let heading_page = (p.doc.front_pages..p.doc.pages.len())
            .find(|&page| prints(page, "Part"))
            .expect("the part's heading is printed");
        let bookmark = p
            .doc
            .outline
            .iter()
            .flat_map(|item| &item.children)
            .find(|item| item.title == "The Part")
            .expect("the part's bookmark");
        assert_eq!(
            bookmark.page, heading_page,
            "{paragraphs} paragraphs before the part"
        );
        let last_of_chapter = (p.doc.front_pages..heading_page)
            .rev()
            .find(|&page| prints(page, "Paragraph"));
        if last_of_chapter == Some(heading_page - 1) && !prints(heading_page, "Paragraph") {
            pushed += 1;
        }
    }
    assert!(
        pushed > 0,
        "some lengths push the part's heading to a new page"
    );
}

/// Chapters are paginated as the thread pool measures them, while the rest are measured; a
/// layout asked for on the pool itself (where nothing may wait for the pool) measures them all
/// first. Both make the same PDF, and the one on a pool of one thread finishes.
#[test]
fn a_book_laid_out_on_the_thread_pool_is_the_same_book() {
    let generated = tempfile::tempdir().expect("temp dir");
    common::generate::write_book(60, generated.path()).expect("a generated book");
    let outside = common::pipeline(generated.path()).expect("a book without errors");
    assert!(outside.book.chapters.len() > 5, "several chapters");
    let (sender, receiver) = std::sync::mpsc::channel();
    let dir = generated.path().to_path_buf();
    std::thread::spawn(move || {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a pool");
        let pdf = pool.install(|| common::pipeline(&dir).map(|p| p.pdf()));
        let _ = sender.send(pdf);
    });
    let inside = receiver
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the layout on the pool finishes")
        .expect("a book without errors");
    assert!(
        outside.pdf() == inside,
        "the same PDF on the pool and off it"
    );
}

/// Superscripts in superscripts shrink and rise for two levels, then stop: ten nested `<sup>`
/// print at the second level's size (0.7² of the body at the default scale), not at 0.34 pt,
/// and no higher than the second level.
#[test]
fn nested_superscripts_stop_shrinking_at_two_levels() {
    let chapter = format!(
        "# One\n\nBody text x<sup>alpha<sup>beta{}omega{}</sup></sup> end.\n",
        "<sup>".repeat(8),
        "</sup>".repeat(8)
    );
    let dir = common::manuscript::TestBook::new("Scripts")
        .chapter("one.md", chapter)
        .write();
    let p = pipeline(dir.path()).expect("a book");
    let runs = text_runs(&p.doc);
    let find = |text: &str| {
        runs.iter()
            .find(|(t, ..)| t.contains(text))
            .cloned()
            .unwrap_or_else(|| panic!("no run holds {text:?} in {runs:?}"))
    };
    let (_, body, _) = find("Body");
    let (_, one, _) = find("alpha");
    let (_, two, two_baseline) = find("beta");
    let (_, ten, ten_baseline) = find("omega");
    assert!(one < body && two < one, "{body} {one} {two}");
    assert!(
        (ten - two).abs() < 0.01 && (ten_baseline - two_baseline).abs() < 0.01,
        "the tenth level is set as the second: {ten} at {ten_baseline}, {two} at {two_baseline}"
    );
    assert!(ten >= body * 0.45, "{ten} pt is too small to read");
}

/// A copy of the `code-highlighting` layout case with `[code] highlight` set as given.
fn code_case(highlight: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        Path::new("tests/cases/layout/code-highlighting"),
        dir.path(),
    );
    let settings = dir.path().join("book.toml");
    let mut toml = std::fs::read_to_string(&settings).expect("book.toml");
    toml.push_str(&format!("\n[code]\nhighlight = {highlight}\n"));
    std::fs::write(&settings, toml).expect("write book.toml");
    dir
}

/// The operators of every page's content stream, with their operands.
fn operations(pdf: &Path) -> Vec<lopdf::content::Operation> {
    let doc = lopdf::Document::load_mem(&std::fs::read(pdf).expect("read")).expect("parse");
    doc.get_pages()
        .values()
        .flat_map(|&page| {
            let content = doc.get_page_content(page);
            lopdf::content::Content::decode(&content)
                .expect("decodable content")
                .operations
        })
        .collect()
}

/// Highlighting colours code and sets its keywords bold and its comments slanted, and changes
/// nothing else: the same lines in the same places (so the large-print edition keeps its
/// sizes), the same structure tree, the same extracted text, each line as written.
#[test]
fn highlighted_code_keeps_its_text_tags_and_places() {
    let (on, off) = (code_case(true), code_case(false));
    let (laid_on, laid_off) = (
        pipeline(on.path()).expect("builds"),
        pipeline(off.path()).expect("builds"),
    );
    let tags = inkfold::layout::dump::tags;
    assert_eq!(tags(&laid_on.doc), tags(&laid_off.doc));
    // The pages' dumps differ only by the tokens named on highlighted lines.
    let pages = |doc| -> String {
        inkfold::layout::dump::pages(doc)
            .lines()
            .map(|line| line.split(" tokens=[").next().unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(pages(&laid_on.doc), pages(&laid_off.doc));
    assert!(inkfold::layout::dump::pages(&laid_on.doc).contains("tokens=[kw \"pub fn\""));
    assert!(!inkfold::layout::dump::pages(&laid_off.doc).contains("tokens="));

    let (_a, pdf_on) = build_pdf(on.path());
    let (_b, pdf_off) = build_pdf(off.path());
    if let (Some(text_on), Some(text_off)) = (
        poppler("pdftotext", &["-raw", pdf_on.to_str().expect("path"), "-"]),
        poppler("pdftotext", &["-raw", pdf_off.to_str().expect("path"), "-"]),
    ) {
        assert_eq!(text_on, text_off);
        for line in [
            "// Counts the words of a line.",
            "pub fn count(line: &str) -> usize {",
            "def greet(name: str) -> None:",
            "    print(f\"Hello, {name}!\")  # 42 times",
            "title = \"Field Notes\"   # the title",
            "<p class=\"note\" lang=\"fr\">Bonjour <!-- greeting --></p>",
        ] {
            // pdftotext writes a run of spaces as one.
            let words = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
            let found = text_on.lines().any(|l| words(l) == words(line));
            assert!(found, "{line:?} whole in:\n{text_on}");
        }
    }

    // Colour, and a slant for comments, only where highlighting is on.
    let skews = |pdf: &Path| {
        operations(pdf)
            .iter()
            .filter(|op| op.operator == "cm")
            .filter(|op| {
                op.operands
                    .get(2)
                    .and_then(|o| o.as_float().ok())
                    .is_some_and(|k| k != 0.0)
            })
            .count()
    };
    let colours = |pdf: &Path| {
        operations(pdf)
            .iter()
            .filter(|op| op.operator == "rg")
            .count()
    };
    assert!(skews(&pdf_on) >= 4 && colours(&pdf_on) >= 5);
    assert_eq!((skews(&pdf_off), colours(&pdf_off)), (0, 0));
    // Keywords are drawn in the monospaced bold face.
    let listing = poppler("pdffonts", &[pdf_on.to_str().expect("path")]);
    if let Some(listing) = listing {
        assert!(
            listing.contains("AtkinsonHyperlegibleMono-Bold"),
            "{listing}"
        );
    }
}
