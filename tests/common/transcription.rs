//! A small braille transcription built from the public types, for the braille writers'
//! integration tests (the library's own `sample()` is test-only and not visible here).

use inkfold::render::braille::{About, Block, BlockKind, Chapter, Page, PageNumber, Transcription};

/// Two preliminary pages, three body pages (two with print page labels), and two chapters whose
/// blocks show every kind, a nested list, and pages beginning at a block's start and inside one.
pub fn sample() -> Transcription {
    let page = |number, lines: &[&str], print: Option<&str>| Page {
        number,
        lines: lines.iter().map(|l| l.to_string()).collect(),
        print: print.map(str::to_string),
    };
    let block = |kind, text: &str, page_breaks: Vec<(usize, usize)>| Block {
        kind,
        text: text.to_string(),
        page_breaks,
    };
    Transcription {
        contents_title: "⠒⠞⠢⠞⠎".into(),
        about: About {
            title: "A Small Book & Co".into(),
            authors: vec!["Ann Author".into(), "Bo Writer".into()],
            identifier: "urn:uuid:6f1c9a52-2b7e-4c1a-9d3e-2f8b1e0a4c11".into(),
            lang: "en".into(),
            system: "ueb grade2".into(),
            dots: 6,
            date: Some("2024-03-15".into()),
            modified: "2026-01-02T03:04:05Z".into(),
            rights: Some("© 2024 Ann Author".into()),
            publisher: Some("Small Press".into()),
        },
        cells: 40,
        lines: 25,
        duplex: true,
        pages: vec![
            page(
                PageNumber::Preliminary(1),
                &["⠁⠀⠎⠍⠁⠇⠇⠀⠃⠕⠕⠅", "", "⠁⠝⠝"],
                None,
            ),
            page(PageNumber::Preliminary(2), &["⠒⠞⠢⠞⠎"], None),
            page(PageNumber::Body(1), &["⠁⠃⠉⠀⠙⠑"], Some("1")),
            page(PageNumber::Body(2), &["⠙⠑", "", "⠋⠛"], Some("ii")),
            page(PageNumber::Body(3), &["⠓⠊"], None),
        ],
        chapters: vec![
            Chapter {
                title: "One".into(),
                braille_title: "⠠⠕⠝⠑".into(),
                blocks: vec![
                    block(BlockKind::Heading(1), "⠠⠕⠝⠑", vec![(0, 2)]),
                    // Each cell is 3 bytes: the second word begins at byte 12.
                    block(BlockKind::Paragraph, "⠁⠃⠉⠀⠙⠑", vec![(12, 3)]),
                    block(BlockKind::ListItem { depth: 0 }, "⠁", vec![]),
                    block(BlockKind::ListItem { depth: 1 }, "⠃", vec![]),
                    block(BlockKind::ListItem { depth: 0 }, "⠉", vec![]),
                ],
            },
            Chapter {
                title: "Two".into(),
                braille_title: "⠠⠞⠺⠕".into(),
                blocks: vec![
                    block(BlockKind::Heading(1), "⠠⠞⠺⠕", vec![(0, 4)]),
                    block(BlockKind::TableRow, "⠁⠒⠀⠃", vec![]),
                    block(BlockKind::Code, "⠭⠀⠶⠀⠼⠁", vec![]),
                    block(BlockKind::Note, "⠋⠛", vec![]),
                ],
            },
        ],
    }
}
