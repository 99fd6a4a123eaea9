//! Reading braille back: a BRF's pages, their bounds, the print page numbers they carry, and
//! the words liblouis' back-translator recovers from them.

use std::path::Path;

use inkfold::model::{Alt, BlockKind, Book, Inline, walk::Node};

/// liblouis, or `None` with a note where it is not installed; CI installs it, and there a
/// missing liblouis fails the test.
pub fn louis() -> Option<std::sync::MutexGuard<'static, inkfold::render::braille::louis::Louis>> {
    match inkfold::render::braille::louis::get() {
        Ok(louis) => Some(louis),
        Err(why) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED: {why}; install liblouis20 and liblouis-data to test braille");
            None
        }
        Err(why) => panic!("{why} (CI installs liblouis)"),
    }
}

/// The pages of a BRF: form feeds between pages, CR LF after each line.
pub fn brf_pages(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).expect("a BRF is ASCII");
    text.split('\x0c')
        .map(|page| {
            let lines: Vec<&str> = page.split("\r\n").collect();
            let (last, lines) = lines.split_last().expect("a page");
            assert!(last.is_empty(), "a line without CR LF at its end: {last:?}");
            lines.iter().map(|l| l.to_string()).collect()
        })
        .collect()
}

/// Every page has exactly `lines` lines of at most `cells` cells, each a character of North
/// American ASCII braille, with no blank at a line's end.
pub fn assert_bounds(pages: &[Vec<String>], cells: usize, lines: usize) {
    const BRF: &str = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)=";
    for (n, page) in pages.iter().enumerate() {
        assert!(page.len() <= lines, "page {n}: {} lines", page.len());
        for line in page {
            assert!(
                line.len() <= cells,
                "page {n}: {} cells: {line}",
                line.len()
            );
            assert!(
                !line.ends_with(' '),
                "page {n}: a blank at the end of {line:?}"
            );
            assert!(
                line.chars().all(|c| BRF.contains(c)),
                "page {n}: not ASCII braille: {line:?}"
            );
        }
    }
}

/// A braille number (`#AB`) as print writes it (`12`).
fn digits(braille: &str) -> Option<String> {
    let rest = braille.strip_prefix('#')?;
    rest.chars()
        .map(|c| match c {
            'A'..='I' => Some(char::from(b'1' + (c as u8 - b'A'))),
            'J' => Some('0'),
            _ => None,
        })
        .collect()
}

/// The print pages a BRF marks, in order: a number alone in the top corner of a page (a
/// continuation has a letter before it), and the number at the end of a page change line of
/// dashes.
pub fn print_pages(pages: &[Vec<String>]) -> Vec<String> {
    let mut found = Vec::new();
    for page in pages {
        if let Some(top) = page.first()
            && let Some(corner) = top.split(' ').next_back()
            && let Some(number) = digits(corner)
        {
            found.push(number);
        }
        for line in page {
            if let Some(at) = line.find('#')
                && line.len() > 3
                && line[..at].chars().all(|c| c == '-')
                && at > 2
                && let Some(number) = digits(&line[at..])
            {
                found.push(number);
            }
        }
    }
    found
}

/// The labels of an EPUB's page-list that are arabic numbers (the pages of the chapters; the
/// front matter's roman ones are the title page, colophon and contents braille replaces).
pub fn epub_page_list(epub: &Path) -> Vec<String> {
    let nav = super::zip_text(epub, "EPUB/nav.xhtml");
    let doc = roxmltree::Document::parse_with_options(&nav, super::xml_options()).expect("nav");
    let list = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("nav")
                && n.attributes()
                    .any(|a| a.name() == "type" && a.value() == "page-list")
        })
        .expect("a page-list");
    list.descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| a.text().unwrap_or_default().to_string())
        .filter(|label| label.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The words of a text: runs of letters and digits, in lower case.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words a book's chapters give a reader: their text, headings, captions and alt text.
pub fn book_words(book: &Book) -> Vec<String> {
    let mut text = String::new();
    for chapter in &book.chapters {
        chapter.walk(&mut |node| match node {
            Node::Inline(Inline::Text(t) | Inline::Code(t)) => {
                text.push_str(t);
                text.push(' ');
            }
            Node::Inline(Inline::Image(image)) => {
                if let Alt::Text(alt) = &image.alt {
                    text.push_str(alt);
                    text.push(' ');
                }
            }
            Node::Block(block) => match &block.kind {
                BlockKind::Code { text: code, .. } => {
                    text.push_str(code);
                    text.push(' ');
                }
                BlockKind::Figure(figure) => {
                    if let Alt::Text(alt) = &figure.image.alt {
                        text.push_str(alt);
                        text.push(' ');
                    }
                    if let Some(caption) = &figure.caption {
                        text.push_str(caption);
                        text.push(' ');
                    }
                }
                _ => {}
            },
            _ => {}
        });
    }
    words(&text)
}

/// The text liblouis reads back from a BRF's pages, with a table list for BRF input
/// (`en-us-brf.dis,en-ueb-g2.ctb`): each page's lines between its first (the print page
/// number) and its last (the braille page number).
pub fn back_translate(pages: &[Vec<String>], tables: &str) -> String {
    let Some(louis) = louis() else {
        return String::new();
    };
    let mut out = String::new();
    for page in pages {
        let body = &page[1.min(page.len())..page.len().saturating_sub(1)];
        for line in body {
            let chars: Vec<char> = line.chars().collect();
            let text = louis
                .back_translate(tables, &chars)
                .expect("back-translation");
            out.push_str(&text);
            out.push('\n');
        }
    }
    out
}

/// The share of the source's words (counted with repeats) found in the back-translation.
pub fn recall(source: &[String], back: &[String]) -> f64 {
    let found = source.len() - missing(source, back).len();
    found as f64 / source.len().max(1) as f64
}

/// Asserts that `back` holds at least 99 % of `source`'s words (naming the missing ones when
/// not); returns the share.
pub fn assert_read_back(source: &[String], back: &[String], what: &str) -> f64 {
    let recall = recall(source, back);
    assert!(
        recall >= 0.99,
        "{what}: liblouis reads back {:.2} % of the words; missing {:?}",
        recall * 100.0,
        missing(source, back)
    );
    recall
}

/// The words of `source` missing from `back`, for a failure's message.
pub fn missing(source: &[String], back: &[String]) -> Vec<String> {
    let mut left: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for word in back {
        *left.entry(word.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for word in source {
        match left.get_mut(word.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(word.clone()),
        }
    }
    out
}
