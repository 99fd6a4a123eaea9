//! PEF 1.0: a transcription in; the bytes of a Portable Embosser Format document (its pages as
//! rows of Unicode braille, in one volume) out.

use super::{PageNumber, Transcription};
use crate::render::xml::Xml;

/// The namespace of PEF 1.0.
pub const NAMESPACE: &str = "http://www.daisy.org/ns/2008/pef";
const DC: &str = "http://purl.org/dc/elements/1.1/";

/// The PEF document: the book's metadata in `head`, then one volume holding a section for the
/// preliminary pages (when there are any) and one for the body. Each page's lines are its rows;
/// an empty line is an empty `<row/>`. The same transcription always gives the same bytes.
pub fn write(t: &Transcription) -> Vec<u8> {
    let about = &t.about;
    let mut x = Xml::new();
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.open("pef", &[("version", "2008-1"), ("xmlns", NAMESPACE)])
        .newline();
    x.open("head", &[]).newline();
    x.open("meta", &[("xmlns:dc", DC)]).newline();
    x.element("dc:format", &[], "application/x-pef+xml")
        .newline();
    x.element("dc:identifier", &[], &about.identifier).newline();
    x.element("dc:title", &[], &about.title).newline();
    for author in &about.authors {
        x.element("dc:creator", &[], author).newline();
    }
    x.element("dc:language", &[], &about.braille_lang())
        .newline();
    if let Some(date) = &about.date {
        x.element("dc:date", &[], date).newline();
    }
    if let Some(publisher) = &about.publisher {
        x.element("dc:publisher", &[], publisher).newline();
    }
    if let Some(rights) = &about.rights {
        x.element("dc:rights", &[], rights).newline();
    }
    // PEF has no element of its own for the braille code; the description says it.
    x.element("dc:description", &[], &description(t)).newline();
    x.close("meta").newline();
    x.close("head").newline();

    x.open("body", &[]).newline();
    let cols = t.cells.max(1).to_string();
    let rows = t.lines.max(1).to_string();
    x.open(
        "volume",
        &[
            ("cols", &cols),
            ("rows", &rows),
            ("rowgap", "0"),
            ("duplex", if t.duplex { "true" } else { "false" }),
        ],
    )
    .newline();
    let (preliminary, body): (Vec<_>, Vec<_>) = t
        .pages
        .iter()
        .partition(|p| matches!(p.number, PageNumber::Preliminary(_)));
    // A volume holds at least one section, and a section at least one page.
    let sections: Vec<_> = [preliminary, body]
        .into_iter()
        .filter(|pages| !pages.is_empty())
        .collect();
    if sections.is_empty() {
        x.open("section", &[]).empty("page", &[]).close("section");
        x.newline();
    }
    for pages in sections {
        x.open("section", &[]).newline();
        for page in pages {
            x.open("page", &[]).newline();
            for line in &page.lines {
                if line.is_empty() {
                    x.empty("row", &[]);
                } else {
                    x.element("row", &[], line);
                }
                x.newline();
            }
            x.close("page").newline();
        }
        x.close("section").newline();
    }
    x.close("volume").newline();
    x.close("body").newline();
    x.close("pef").newline();
    x.finish().into_bytes()
}

/// What `dc:description` says of the braille: its code, cells and page size.
fn description(t: &Transcription) -> String {
    format!(
        "Braille code: {}; {}-dot cells; {} cells by {} lines.",
        t.about.system, t.about.dots, t.cells, t.lines
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::braille::sample;

    fn parsed(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    }

    #[test]
    fn well_formed_with_the_pages_and_rows() {
        let t = sample();
        let text = parsed(&write(&t));
        let doc = roxmltree::Document::parse(&text).expect("well-formed PEF");
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some(NAMESPACE));
        assert_eq!(root.attribute("version"), Some("2008-1"));
        let volume = root
            .descendants()
            .find(|n| n.has_tag_name((NAMESPACE, "volume")))
            .expect("a volume");
        assert_eq!(volume.attribute("cols"), Some("40"));
        assert_eq!(volume.attribute("rows"), Some("25"));
        assert_eq!(volume.attribute("rowgap"), Some("0"));
        assert_eq!(volume.attribute("duplex"), Some("true"));
        let sections: Vec<Vec<Vec<String>>> = volume
            .children()
            .filter(|n| n.has_tag_name((NAMESPACE, "section")))
            .map(|section| {
                section
                    .children()
                    .filter(|n| n.has_tag_name((NAMESPACE, "page")))
                    .map(|page| {
                        page.children()
                            .filter(|n| n.has_tag_name((NAMESPACE, "row")))
                            .map(|row| row.text().unwrap_or("").to_string())
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let lines = |range: std::ops::Range<usize>| -> Vec<Vec<String>> {
            t.pages[range].iter().map(|p| p.lines.clone()).collect()
        };
        assert_eq!(sections, vec![lines(0..2), lines(2..5)]);
        assert!(text.contains("<row/>"), "an empty line is an empty row");
    }

    #[test]
    fn metadata_in_the_head() {
        let text = parsed(&write(&sample()));
        let doc = roxmltree::Document::parse(&text).expect("well-formed PEF");
        let dc = |name: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.has_tag_name((DC, name)))
                .map(|n| n.text().unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(dc("format"), ["application/x-pef+xml"]);
        assert_eq!(
            dc("identifier"),
            ["urn:uuid:6f1c9a52-2b7e-4c1a-9d3e-2f8b1e0a4c11"]
        );
        assert_eq!(dc("title"), ["A Small Book & Co"]);
        assert_eq!(dc("creator"), ["Ann Author", "Bo Writer"]);
        assert_eq!(dc("language"), ["en-Brai"]);
        assert_eq!(dc("date"), ["2024-03-15"]);
        assert_eq!(dc("publisher"), ["Small Press"]);
        assert_eq!(dc("rights"), ["© 2024 Ann Author"]);
        assert!(dc("description")[0].contains("ueb grade2"));
    }

    #[test]
    fn optional_metadata_left_out_and_no_pages_still_a_page() {
        let mut t = sample();
        t.about.date = None;
        t.about.rights = None;
        t.about.publisher = None;
        t.about.authors.clear();
        t.pages.clear();
        let text = parsed(&write(&t));
        roxmltree::Document::parse(&text).expect("well-formed PEF");
        for absent in ["dc:date", "dc:rights", "dc:publisher", "dc:creator"] {
            assert!(!text.contains(absent), "{absent} should be left out");
        }
        assert!(text.contains("<section><page/></section>"));
    }

    #[test]
    fn deterministic() {
        assert_eq!(write(&sample()), write(&sample()));
    }
}
