//! Accessibility lint: the book in, warnings out — empty headings; alt text that is a file name or far too long;
//! links whose text says nothing ("click here", a bare address); tables with an empty header row
//! or a column without a heading. Each check looks at the whole of every chapter: blocks in
//! quotes, lists and definitions, and footnotes.

use crate::diag::Diagnostics;
use crate::model::walk::Node;
use crate::model::{Alt, Block, BlockKind, Book, CellRole, Image, Inline, LinkTarget, plain_text};

/// Alt text longer than this is better given in the text or a caption.
const MAX_ALT_CHARS: usize = 250;

/// Link texts that say nothing about where a link leads.
const VAGUE_LINK_TEXTS: &[&str] = &[
    "click here",
    "here",
    "link",
    "this link",
    "click",
    "read more",
    "more",
    "this",
    "go",
    "click this",
    "this page",
    "website",
];

/// Runs every check.
pub fn check(book: &Book, diags: &mut Diagnostics) {
    for chapter in &book.chapters {
        chapter.walk(&mut |node| match node {
            Node::Block(block) => match &block.kind {
                BlockKind::Heading(h) => heading(&h.content, block, diags),
                BlockKind::Figure(figure) => image(&figure.image, diags),
                BlockKind::Table(t) => table(t, block, diags),
                _ => {}
            },
            Node::Inline(Inline::Image(i)) => image(i, diags),
            Node::Inline(Inline::Link(l)) => link(l, diags),
            Node::Inline(_) => {}
        });
    }
}

/// Warns of an empty heading, or one of only invisible characters (skipped levels are the
/// headings pass's).
fn heading(content: &[Inline], block: &Block, diags: &mut Diagnostics) {
    if crate::chars::is_blank(&plain_text(content)) {
        diags
            .warning(block.span, "this heading is empty")
            .hint("give the heading text, or remove it");
    }
}

fn image(image: &Image, diags: &mut Diagnostics) {
    let Alt::Text(alt) = &image.alt else { return };
    let file_name = crate::paths::file_name(&image.src);
    let lower = alt.to_ascii_lowercase();
    let looks_like_file = lower == file_name.to_ascii_lowercase()
        || [".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"]
            .iter()
            .any(|ext| lower.ends_with(ext));
    if looks_like_file {
        diags
            .warning(
                image.span,
                format!("the alt text of `{}` is a file name", image.src),
            )
            .hint("describe what the image shows, as you would to someone on the phone");
    } else if alt.chars().count() > MAX_ALT_CHARS {
        diags
            .warning(image.span, format!("the alt text of `{}` is {} characters long", image.src, alt.chars().count()))
            .hint(format!("keep alt text under {MAX_ALT_CHARS} characters; give a long description in the text or a caption"));
    }
}

fn link(link: &crate::model::Link, diags: &mut Diagnostics) {
    let text = plain_text(&link.content);
    let text = text.trim();
    let vague = VAGUE_LINK_TEXTS.contains(&text.to_lowercase().trim_end_matches(['.', '!', ':']));
    let bare_url = matches!(&link.target, LinkTarget::Url(url)
        if text == url || text == url.trim_end_matches('/') || (text.contains("://") && !text.contains(' ')));
    // A link without text is the links pass's (`links::name_empty`), run after this.
    if vague {
        diags
            .warning(link.span, format!("the link text `{text}` does not say where it leads"))
            .hint("screen-reader users often list the links of a page; name the destination: [the UNICEF report](https://…)");
    } else if bare_url {
        diags
            .warning(link.span, "the link text is a bare address")
            .hint("name the destination and keep the address for print: [UNICEF (unicef.org)](https://www.unicef.org/)");
    }
}

fn table(table: &crate::model::Table, block: &Block, diags: &mut Diagnostics) {
    let has_header = table.head.iter().any(|cell| {
        matches!(cell.role, CellRole::Header(_)) && !plain_text(&cell.content).trim().is_empty()
    });
    if !has_header {
        diags
            .warning(block.span, "this table has no header row")
            .hint(
                "give every column a heading in the first row, so screen readers can announce it",
            );
        return;
    }
    // A header row with a blank cell: that column is announced without a name.
    let blank: Vec<String> = table
        .head
        .iter()
        .enumerate()
        .filter(|(_, cell)| plain_text(&cell.content).trim().is_empty())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !blank.is_empty() {
        let (noun, verb) = if blank.len() == 1 {
            ("column", "has")
        } else {
            ("columns", "have")
        };
        diags
            .warning(
                block.span,
                format!("{noun} {} of this table {verb} no heading", blank.join(", ")),
            )
            .hint("name every column in the header row, so screen readers can announce each cell's column");
    }
}
