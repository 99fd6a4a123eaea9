//! Our own eBraille 1.0 conformance checks: the bytes of an `.ebrl` in; a message for each
//! publication rule it breaks out (none: it conforms as far as these rules go).
//!
//! The rules are those of the eBraille 1.0 specification (DAISY, 14 August 2025) on the file set,
//! the package document's metadata, the navigation document and the content documents. Each
//! message begins with the rule it names.

use std::collections::HashMap;
use std::io::Read;

use roxmltree::{Document, Node};

const OPF: &str = "http://www.idpf.org/2007/opf";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const XHTML: &str = "http://www.w3.org/1999/xhtml";
const OPS: &str = "http://www.idpf.org/2007/ops";
const CONTAINER: &str = "urn:oasis:names:tc:opendocument:xmlns:container";

/// The characters a content document's text may hold: braille patterns and white space.
fn allowed(c: char) -> bool {
    matches!(
        c,
        '\u{2800}'..='\u{28FF}' | '\t' | '\n' | '\r' | ' ' | '\u{A0}' | '\u{AD}'
    )
}

/// The entries of the zip, in order, with whether each is stored uncompressed.
struct Entries {
    names: Vec<(String, bool)>,
    bytes: HashMap<String, Vec<u8>>,
}

fn read_zip(ebrl: &[u8]) -> Result<Entries, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(ebrl))
        .map_err(|e| format!("OCF: the file is not a zip ({e})"))?;
    let mut names = Vec::new();
    let mut bytes = HashMap::new();
    for i in 0..zip.len() {
        let mut file = zip
            .by_index(i)
            .map_err(|e| format!("OCF: entry {i} unreadable ({e})"))?;
        let name = file
            .name()
            .map_err(|e| format!("OCF: entry {i} has no name ({e})"))?
            .to_string();
        let stored = file.compression() == zip::CompressionMethod::Stored;
        let mut data = Vec::new();
        file.read_to_end(&mut data)
            .map_err(|e| format!("OCF: {name} unreadable ({e})"))?;
        names.push((name.clone(), stored));
        bytes.insert(name, data);
    }
    Ok(Entries { names, bytes })
}

fn parse(text: &str) -> Result<Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    Document::parse_with_options(text, options)
}

/// Every rule the file breaks, one message each.
pub fn conformance(ebrl: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let entries = match read_zip(ebrl) {
        Ok(entries) => entries,
        Err(problem) => return vec![problem],
    };
    let text = |name: &str| -> Option<String> {
        entries
            .bytes
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    };

    // OCF.
    match entries.names.first() {
        Some((name, true)) if name == "mimetype" => {
            if text("mimetype").as_deref() != Some("application/epub+zip") {
                problems.push("OCF mimetype: must be exactly application/epub+zip".into());
            }
        }
        _ => problems.push("OCF mimetype: the first entry must be mimetype, stored".into()),
    }
    match text("META-INF/container.xml") {
        None => problems.push("OCF container: META-INF/container.xml is missing".into()),
        Some(container) => match parse(&container) {
            Err(e) => problems.push(format!("OCF container: not well-formed ({e})")),
            Ok(doc) => {
                let roots: Vec<&str> = doc
                    .descendants()
                    .filter(|n| n.has_tag_name((CONTAINER, "rootfile")))
                    .filter_map(|n| n.attribute("full-path"))
                    .collect();
                if roots != ["package.opf"] {
                    problems.push(format!(
                        "file set: the one rootfile must be package.opf at the root, not {roots:?}"
                    ));
                }
            }
        },
    }

    // The package document.
    let Some(opf) = text("package.opf") else {
        problems.push("file set: package.opf must be at the root".into());
        return problems;
    };
    let doc = match parse(&opf) {
        Ok(doc) => doc,
        Err(e) => {
            problems.push(format!("package document: not well-formed ({e})"));
            return problems;
        }
    };
    problems.extend(metadata_problems(&doc));

    let items: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF, "item")))
        .collect();
    let nav_items: Vec<&str> = items
        .iter()
        .filter(|i| {
            i.attribute("properties")
                .is_some_and(|p| p.split_whitespace().any(|p| p == "nav"))
        })
        .filter_map(|i| i.attribute("href"))
        .collect();
    if nav_items != ["index.html"] {
        problems.push(format!(
            "file set: the navigation document must be index.html at the root, not {nav_items:?}"
        ));
    }
    for item in &items {
        let href = item.attribute("href").unwrap_or("");
        if href.contains("://") {
            problems.push(format!("file set: no remote resources ({href})"));
        } else if !entries.bytes.contains_key(href) {
            problems.push(format!("file set: manifest item {href} is not in the zip"));
        }
        if item.attribute("fallback").is_some() {
            problems.push(format!("package document: no fallbacks ({href})"));
        }
        if item.attribute("media-type") == Some("application/x-dtbncx+xml") {
            problems.push("package document: no NCX".into());
        }
        let properties = item.attribute("properties").unwrap_or("");
        for forbidden in ["scripted", "remote-resources"] {
            if properties.split_whitespace().any(|p| p == forbidden) {
                problems.push(format!(
                    "package document: no {forbidden} resources ({href})"
                ));
            }
        }
    }
    if doc
        .descendants()
        .any(|n| n.has_tag_name((OPF, "spine")) && n.attribute("toc").is_some())
    {
        problems.push("package document: no NCX (spine toc)".into());
    }
    for legacy in ["guide", "collection"] {
        if doc.descendants().any(|n| n.has_tag_name((OPF, legacy))) {
            problems.push(format!("package document: no {legacy}"));
        }
    }

    // The navigation document and the content documents.
    let xhtml: Vec<&str> = items
        .iter()
        .filter(|i| i.attribute("media-type") == Some("application/xhtml+xml"))
        .filter_map(|i| i.attribute("href"))
        .collect();
    let mut sources: Vec<(&str, String)> = Vec::new();
    for href in &xhtml {
        if let Some(source) = text(href) {
            sources.push((href, source));
        }
    }
    let ids = ids_of(&sources);
    for (href, source) in &sources {
        let doc = match parse(source) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(format!("content documents: {href} is not XHTML ({e})"));
                continue;
            }
        };
        problems.extend(content_problems(href, &doc));
        if *href == "index.html" {
            problems.extend(navigation_problems(&doc, &ids));
        }
    }

    for item in &items {
        if item.attribute("media-type") == Some("text/css") {
            let href = item.attribute("href").unwrap_or("");
            if let Some(css) = text(href) {
                problems.extend(css_problems(href, &css));
            }
        }
    }
    problems
}

/// The ids of every XHTML document, by path, for the page-list's targets.
fn ids_of(sources: &[(&str, String)]) -> HashMap<String, Vec<String>> {
    sources
        .iter()
        .filter_map(|(href, source)| {
            let doc = parse(source).ok()?;
            let ids = doc
                .descendants()
                .filter_map(|n| n.attribute("id"))
                .map(str::to_string)
                .collect();
            Some((href.to_string(), ids))
        })
        .collect()
}

/// The metadata rules: the elements and properties eBraille requires, how many, and their values.
fn metadata_problems(doc: &Document) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(metadata) = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF, "metadata")))
    else {
        return vec!["package document: no metadata".into()];
    };
    let dc = |name: &str| -> Vec<String> {
        metadata
            .children()
            .filter(|n| n.has_tag_name((DC, name)))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    };
    let meta = |property: &str| -> Vec<String> {
        metadata
            .children()
            .filter(|n| n.has_tag_name((OPF, "meta")))
            .filter(|n| n.attribute("refines").is_none())
            .filter(|n| n.attribute("property") == Some(property))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    };
    let mut count = |what: &str, values: &[String], exactly_one: bool| -> bool {
        if values.is_empty() {
            problems.push(format!("metadata: {what} is required"));
            false
        } else if exactly_one && values.len() > 1 {
            problems.push(format!(
                "metadata: exactly one {what}, not {}",
                values.len()
            ));
            false
        } else {
            true
        }
    };
    let identifiers = dc("identifier");
    count("dc:identifier", &identifiers, false);
    count("dc:title", &dc("title"), false);
    let languages = dc("language");
    count("dc:language", &languages, false);
    count("dc:creator", &dc("creator"), false);
    count("dc:date", &dc("date"), true);
    let formats = dc("format");
    let format_ok = count("dc:format", &formats, true);
    count("dcterms:modified", &meta("dcterms:modified"), true);
    let copyrighted = meta("dcterms:dateCopyrighted");
    let copyrighted_ok = count("dcterms:dateCopyrighted", &copyrighted, true);
    let cell_type = meta("a11y:brailleCellType");
    let cell_type_ok = count("a11y:brailleCellType", &cell_type, true);
    count("a11y:brailleSystem", &meta("a11y:brailleSystem"), false);
    let complete = meta("a11y:completeTranscription");
    let complete_ok = count("a11y:completeTranscription", &complete, true);
    count("a11y:producer", &meta("a11y:producer"), false);
    let tactile = meta("a11y:tactileGraphics");
    let tactile_ok = count("a11y:tactileGraphics", &tactile, true);

    for language in &languages {
        if !has_braille_script(language) {
            problems.push(format!(
                "metadata: dc:language must carry the Brai script subtag, not {language:?}"
            ));
        }
    }
    if format_ok && formats[0] != "eBraille 1.0" {
        problems.push(format!(
            "metadata: dc:format must be \"eBraille 1.0\", not {:?}",
            formats[0]
        ));
    }
    if copyrighted_ok && !is_simple_date(&copyrighted[0]) {
        problems.push(format!(
            "metadata: dcterms:dateCopyrighted must be YYYY[-MM[-DD]], not {:?}",
            copyrighted[0]
        ));
    }
    if cell_type_ok {
        let cells: Vec<&str> = cell_type[0].split(',').map(str::trim).collect();
        if !matches!(cells.as_slice(), ["6"] | ["8"] | ["6", "8"] | ["8", "6"]) {
            problems.push(format!(
                "metadata: a11y:brailleCellType must be 6, 8, \"6, 8\" or \"8, 6\", not {:?}",
                cell_type[0]
            ));
        }
    }
    if complete_ok && !matches!(complete[0].as_str(), "true" | "false") {
        problems.push(format!(
            "metadata: a11y:completeTranscription must be true or false, not {:?}",
            complete[0]
        ));
    }
    if tactile_ok
        && tactile[0] != "none"
        && !tactile[0]
            .split(',')
            .all(|t| matches!(t.trim(), "JPG" | "PNG" | "SVG" | "PDF"))
    {
        problems.push(format!(
            "metadata: a11y:tactileGraphics must be none or a list of JPG, PNG, SVG, PDF, not {:?}",
            tactile[0]
        ));
    }
    if meta("rendition:layout")
        .iter()
        .any(|l| l == "pre-paginated")
    {
        problems.push("package document: no fixed layout (rendition:layout)".into());
    }
    for fixed in ["rendition:orientation", "rendition:spread"] {
        if !meta(fixed).is_empty() {
            problems.push(format!("package document: no fixed layout ({fixed})"));
        }
    }
    let unique = doc
        .root_element()
        .attribute("unique-identifier")
        .unwrap_or("");
    if !metadata
        .children()
        .any(|n| n.has_tag_name((DC, "identifier")) && n.attribute("id") == Some(unique))
    {
        problems.push("package document: unique-identifier must name a dc:identifier".into());
    }
    problems
}

/// A BCP 47 tag with the `Brai` script: the first four-letter subtag after the language.
fn has_braille_script(tag: &str) -> bool {
    tag.split('-')
        .skip(1)
        .take_while(|s| s.len() <= 4)
        .find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .is_some_and(|s| s.eq_ignore_ascii_case("Brai"))
}

/// YYYY, YYYY-MM or YYYY-MM-DD.
fn is_simple_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse().unwrap_or(0)),
        [y, m, d] => {
            digits(y, 4)
                && digits(m, 2)
                && digits(d, 2)
                && (1..=12).contains(&m.parse().unwrap_or(0))
                && (1..=31).contains(&d.parse().unwrap_or(0))
        }
        _ => false,
    }
}

/// The rules for every XHTML document: XHTML, braille language, no scripts, braille text only
/// (the page-list's `title` attributes, which name print pages, excepted).
fn content_problems(href: &str, doc: &Document) -> Vec<String> {
    let mut problems = Vec::new();
    let root = doc.root_element();
    if !root.has_tag_name((XHTML, "html")) {
        problems.push(format!("content documents: {href} must be XHTML"));
    }
    let lang = root
        .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
        .or_else(|| root.attribute("lang"))
        .unwrap_or("");
    if !has_braille_script(lang) {
        problems.push(format!(
            "content documents: {href}'s language must carry the Brai script, not {lang:?}"
        ));
    }
    if doc.descendants().any(|n| n.has_tag_name((XHTML, "script"))) {
        problems.push(format!("content documents: no scripts ({href})"));
    }
    let in_page_list = |node: Node| {
        node.ancestors().any(|a| {
            a.has_tag_name((XHTML, "nav")) && a.attribute((OPS, "type")) == Some("page-list")
        })
    };
    for node in doc.descendants() {
        if node.is_text() {
            let text = node.text().unwrap_or("");
            if let Some(c) = text.chars().find(|&c| !allowed(c)) {
                problems.push(format!(
                    "content documents: braille characters only; {href} has {c:?} in {text:?}"
                ));
            }
        }
        if node.is_element() {
            for name in ["title", "aria-label", "alt"] {
                if name == "title" && in_page_list(node) {
                    continue;
                }
                if let Some(value) = node.attribute(name)
                    && let Some(c) = value.chars().find(|&c| !allowed(c))
                {
                    problems.push(format!(
                        "content documents: braille characters only; {href} has {c:?} in {name}={value:?}"
                    ));
                }
            }
        }
    }
    problems
}

/// The navigation document's rules: a table of contents, and one flat page-list whose entries
/// lead to page markers that exist.
fn navigation_problems(doc: &Document, ids: &HashMap<String, Vec<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    let navs = |kind: &str| -> Vec<Node> {
        doc.descendants()
            .filter(|n| n.has_tag_name((XHTML, "nav")) && n.attribute((OPS, "type")) == Some(kind))
            .collect()
    };
    if navs("toc").len() != 1 {
        problems.push("navigation document: exactly one toc nav".into());
    }
    let page_lists = navs("page-list");
    let [page_list] = page_lists.as_slice() else {
        problems.push(format!(
            "navigation document: exactly one page-list nav, not {}",
            page_lists.len()
        ));
        return problems;
    };
    if page_list
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "ol")))
        .count()
        != 1
    {
        problems.push("navigation document: the page-list must be flat (one ol)".into());
    }
    for link in page_list
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
    {
        let href = link.attribute("href").unwrap_or("");
        let (file, id) = href.split_once('#').unwrap_or((href, ""));
        if !ids.get(file).is_some_and(|ids| ids.iter().any(|i| i == id)) {
            problems.push(format!(
                "navigation document: page-list entry {href} leads nowhere"
            ));
        }
    }
    problems
}

/// Style sheets use font-relative units only (no px, pt, pc, cm, mm, in, Q).
fn css_problems(href: &str, css: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let chars: Vec<char> = css.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphabetic()) {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                j += 1;
            }
            let mut k = j;
            while k < chars.len() && chars[k].is_ascii_alphabetic() {
                k += 1;
            }
            let unit: String = chars[j..k].iter().collect::<String>().to_ascii_lowercase();
            if matches!(unit.as_str(), "px" | "pt" | "pc" | "cm" | "mm" | "in" | "q") {
                problems.push(format!(
                    "style sheets: font-relative units only; {href} uses {unit}"
                ));
            }
            i = k.max(i + 1);
        } else {
            i += 1;
        }
    }
    problems
}
