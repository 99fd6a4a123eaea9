//! A stable, indented text dump of the document model (a book in, text out), for snapshot tests
//! and for `inkfold check --dump`: one node per line, with the source `line:col` of each block.

use std::fmt::Write;

use super::*;
use crate::diag::SourceMap;

/// Dumps the whole book.
pub fn dump(book: &Book, map: &SourceMap) -> String {
    let mut d = Dumper {
        out: String::new(),
        map,
        book,
    };
    d.line(
        0,
        format_args!("Book {:?} lang={}", book.meta.title, book.meta.lang),
    );
    for chapter in &book.chapters {
        d.chapter(chapter);
    }
    for asset in &book.assets {
        d.line(
            0,
            format_args!(
                "Asset {} {} {} bytes",
                asset.path,
                asset.media_type.mime(),
                asset.bytes.len()
            ),
        );
    }
    d.out
}

struct Dumper<'a> {
    out: String,
    map: &'a SourceMap,
    book: &'a Book,
}

impl Dumper<'_> {
    fn line(&mut self, depth: usize, args: std::fmt::Arguments<'_>) {
        let _ = writeln!(self.out, "{:width$}{args}", "", width = depth * 2);
    }

    fn at(&self, span: Span) -> String {
        let (line, col) = self.map.get(span.file).line_col(span.start);
        format!("@{line}:{col}")
    }

    fn chapter(&mut self, chapter: &Chapter) {
        self.line(
            0,
            format_args!(
                "Chapter {} {:?} {} {:?}",
                chapter.id, chapter.role, chapter.path, chapter.title
            ),
        );
        self.blocks(1, &chapter.blocks);
        for note in &chapter.notes {
            self.line(
                1,
                format_args!(
                    "Note #{} label={:?} backlink=#{} {}",
                    note.id,
                    note.label,
                    note.ref_id,
                    self.at(note.span)
                ),
            );
            self.blocks(2, &note.blocks);
        }
    }

    fn blocks(&mut self, depth: usize, blocks: &[Block]) {
        for block in blocks {
            self.block(depth, block);
        }
    }

    fn block(&mut self, depth: usize, block: &Block) {
        let at = self.at(block.span);
        match &block.kind {
            BlockKind::Heading(h) => {
                let lang = h
                    .lang
                    .as_ref()
                    .map(|l| format!(" lang={l}"))
                    .unwrap_or_default();
                let explicit = if h.explicit_id { " explicit" } else { "" };
                let look = if h.look == h.level {
                    String::new()
                } else {
                    format!(" (written H{})", h.look.number())
                };
                self.line(
                    depth,
                    format_args!(
                        "Heading H{}{look} #{}{explicit}{lang} {at}",
                        h.level.number(),
                        h.id
                    ),
                );
                self.inlines(depth + 1, &h.content);
            }
            BlockKind::Paragraph(inlines) => {
                self.line(depth, format_args!("Paragraph {at}"));
                self.inlines(depth + 1, inlines);
            }
            BlockKind::Quote(blocks) => {
                self.line(depth, format_args!("Quote {at}"));
                self.blocks(depth + 1, blocks);
            }
            BlockKind::Admonition { kind, blocks } => {
                self.line(depth, format_args!("Admonition {} {at}", kind.name()));
                self.blocks(depth + 1, blocks);
            }
            BlockKind::List(list) => {
                let kind = match list.start {
                    Some(n) => format!("Ordered start={n}"),
                    None => "Bullet".to_string(),
                };
                let tight = if list.tight { " tight" } else { "" };
                self.line(depth, format_args!("List {kind}{tight} {at}"));
                for item in &list.items {
                    match item.task {
                        Some(done) => self.line(depth + 1, format_args!("Item task done={done}")),
                        None => self.line(depth + 1, format_args!("Item")),
                    }
                    self.blocks(depth + 2, &item.blocks);
                }
            }
            BlockKind::Definitions(defs) => {
                self.line(depth, format_args!("Definitions {at}"));
                for def in defs {
                    self.line(depth + 1, format_args!("Term"));
                    self.inlines(depth + 2, &def.term);
                    for details in &def.details {
                        self.line(depth + 1, format_args!("Details"));
                        self.blocks(depth + 2, details);
                    }
                }
            }
            BlockKind::Code {
                lang,
                text,
                highlight,
            } => {
                self.line(depth, format_args!("Code lang={lang:?} {at}"));
                self.line(depth + 1, format_args!("{text:?}"));
                if !highlight.is_empty() {
                    let tokens: Vec<String> = highlight
                        .tokens()
                        .iter()
                        .map(|t| {
                            format!(
                                "{} {:?}",
                                t.kind.name(),
                                text.get(t.range.clone()).unwrap_or_default()
                            )
                        })
                        .collect();
                    self.line(depth + 1, format_args!("Tokens {}", tokens.join(", ")));
                }
            }
            BlockKind::Figure(figure) => {
                self.line(depth, format_args!("Figure {at}"));
                self.image(depth + 1, &figure.image);
                if let Some(caption) = &figure.caption {
                    self.line(depth + 1, format_args!("Caption {caption:?}"));
                }
            }
            BlockKind::Table(table) => {
                let columns: Vec<String> = table.columns.iter().map(|a| format!("{a:?}")).collect();
                self.line(
                    depth,
                    format_args!("Table columns=[{}] {at}", columns.join(",")),
                );
                self.line(depth + 1, format_args!("Head"));
                self.cells(depth + 2, &table.head);
                for row in &table.rows {
                    self.line(depth + 1, format_args!("Row"));
                    self.cells(depth + 2, row);
                }
            }
            BlockKind::Break => self.line(depth, format_args!("Break {at}")),
            BlockKind::Website { content, url } => {
                self.line(depth, format_args!("Website {url} {at}"));
                self.inlines(depth + 1, content);
            }
        }
    }

    fn cells(&mut self, depth: usize, cells: &[Cell]) {
        for cell in cells {
            match cell.role {
                CellRole::Header(scope) => self.line(depth, format_args!("Header scope={scope:?}")),
                CellRole::Data => self.line(depth, format_args!("Data")),
            }
            self.inlines(depth + 1, &cell.content);
        }
    }

    fn image(&mut self, depth: usize, image: &Image) {
        let alt = match &image.alt {
            Alt::Text(text) => format!("alt={text:?}"),
            Alt::Decorative => "decorative".to_string(),
        };
        let asset = match image.asset {
            Some(AssetId(n)) => format!(" -> {}", self.book.assets[n].path),
            None => String::new(),
        };
        self.line(depth, format_args!("Image {:?}{asset} {alt}", image.src));
    }

    fn inlines(&mut self, depth: usize, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(text) => self.line(depth, format_args!("Text {text:?}")),
                Inline::Code(text) => self.line(depth, format_args!("Code {text:?}")),
                Inline::Emph(c) => self.wrapper(depth, "Emph", c),
                Inline::Strong(c) => self.wrapper(depth, "Strong", c),
                Inline::Strike(c) => self.wrapper(depth, "Strike", c),
                Inline::Styled { style, content } => {
                    self.wrapper(depth, &format!("{style:?}"), content)
                }
                Inline::Link(link) => {
                    let target = match &link.target {
                        LinkTarget::Url(url) => url.clone(),
                        LinkTarget::Internal { chapter, id } => format!(
                            "{}#{}",
                            self.book.chapters[*chapter].id,
                            id.as_deref().unwrap_or("")
                        ),
                        LinkTarget::Unresolved(raw) => format!("unresolved {raw}"),
                        LinkTarget::Elsewhere => "elsewhere".to_string(),
                    };
                    self.line(depth, format_args!("Link {target}"));
                    self.inlines(depth + 1, &link.content);
                }
                Inline::NoteRef(r) => self.line(
                    depth,
                    format_args!("NoteRef {} label={:?} #{}", r.number, r.label, r.id),
                ),
                Inline::Image(image) => self.image(depth, image),
                Inline::Anchor { id, .. } => self.line(depth, format_args!("Anchor #{id}")),
                Inline::SoftBreak => self.line(depth, format_args!("SoftBreak")),
                Inline::HardBreak => self.line(depth, format_args!("HardBreak")),
            }
        }
    }

    fn wrapper(&mut self, depth: usize, name: &str, content: &[Inline]) {
        self.line(depth, format_args!("{name}"));
        self.inlines(depth + 1, content);
    }
}
