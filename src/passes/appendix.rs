//! Appendix pass: the checked data groups and the `[appendix]` settings in; an appendix chapter
//! of ordinary model blocks (headings, paragraphs, lists, links, websites) out, inserted where
//! `book.toml` says. Every output renders it like any other chapter.

use crate::config::AppendixConfig;
use crate::data::{Group, Kind, Organisation};
use crate::diag::{Diagnostics, Span};
use crate::model::*;
use crate::paths::join_relative;

/// Builds the appendix and inserts it after its chapter (or at the end of the book).
pub fn insert(book: &mut Book, config: &AppendixConfig, groups: &[Group], diags: &mut Diagnostics) {
    let position = match &config.after {
        None => book.chapters.len(),
        Some(after) => {
            let wanted = join_relative("book.toml", &after.path).unwrap_or_default();
            match book.chapters.iter().position(|c| c.path == wanted) {
                Some(index) => index + 1,
                None => {
                    diags
                        .error(after.span, format!("`{}` is not a chapter of this book", after.path))
                        .hint("name one of the files listed in `chapters`, or remove `after` to put the appendix at the end");
                    return;
                }
            }
        }
    };
    let mut blocks = vec![heading(
        HeadingLevel::H1,
        &config.title,
        Some(config.id.as_str()),
        config.span,
    )];
    for group in groups {
        group_blocks(group, &mut blocks);
    }
    let id = crate::passes::ids::unique_chapter_id(book, "appendix");
    book.chapters.insert(
        position,
        Chapter {
            id,
            file: config.span.file,
            path: "appendix".to_string(),
            role: ChapterRole::Appendix,
            title: config.title.clone(),
            blocks,
            notes: Vec::new(),
            lang: None,
            dir: None,
        },
    );
}

fn group_blocks(group: &Group, blocks: &mut Vec<Block>) {
    blocks.push(heading(HeadingLevel::H2, &group.title, None, group.span));
    if let Some(intro) = &group.intro {
        blocks.push(paragraph(vec![text(intro)], group.span));
    }
    for org in &group.organisations {
        organisation_blocks(group.kind, org, blocks);
    }
    if let Some(advice) = &group.advice {
        blocks.push(heading(HeadingLevel::H3, &advice.title, None, advice.span));
        blocks.push(paragraph(vec![text(&advice.text)], advice.span));
        if !advice.points.is_empty() {
            blocks.push(list(&advice.points, advice.span));
        }
    }
}

fn organisation_blocks(kind: Kind, org: &Organisation, blocks: &mut Vec<Block>) {
    let span = org.span;
    blocks.push(heading(HeadingLevel::H3, &org.display_name(), None, span));
    blocks.push(paragraph(vec![text(&org.offers)], span));
    if !org.topics.is_empty() {
        blocks.push(paragraph(
            vec![
                Inline::Strong(vec![text("Topics:")]),
                text(&format!(" {}.", org.topics.join(", "))),
            ],
            span,
        ));
    }
    if kind == Kind::Volunteering {
        if !org.roles.is_empty() {
            blocks.push(paragraph(
                vec![Inline::Strong(vec![text("Volunteer roles:")])],
                span,
            ));
            blocks.push(list(&org.roles, span));
        }
        if let Some(how) = &org.get_involved {
            blocks.push(paragraph(
                vec![
                    Inline::Strong(vec![text("How to get involved:")]),
                    text(&format!(" {how}")),
                ],
                span,
            ));
        }
    }
    let name = org.short_name.as_deref().unwrap_or(&org.name);
    blocks.push(Block {
        kind: BlockKind::Website {
            content: vec![
                Inline::Strong(vec![text("Website:")]),
                text(" "),
                Inline::Link(Link {
                    target: LinkTarget::Url(
                        crate::markdown::escaped_url(&org.website).into_owned(),
                    ),
                    title: None,
                    content: vec![text(&format!("{name} website ({})", org.website_host()))],
                    span,
                }),
            ],
            url: org.website.clone(),
        },
        span,
    });
}

/// A run of plain text.
pub(crate) fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

/// A heading of `title`, with the id given or one made from the title.
pub(crate) fn heading(level: HeadingLevel, title: &str, id: Option<&str>, span: Span) -> Block {
    Block {
        kind: BlockKind::Heading(Heading {
            level,
            look: level,
            id: id.map_or_else(|| crate::id::heading_id(title), str::to_string),
            explicit_id: id.is_some(),
            lang: None,
            content: vec![text(title)],
        }),
        span,
    }
}

fn paragraph(content: Vec<Inline>, span: Span) -> Block {
    Block {
        kind: BlockKind::Paragraph(content),
        span,
    }
}

fn list(items: &[String], span: Span) -> Block {
    Block {
        kind: BlockKind::List(List {
            start: None,
            tight: true,
            items: items
                .iter()
                .map(|item| ListItem {
                    task: None,
                    blocks: vec![paragraph(vec![text(item)], span)],
                })
                .collect(),
        }),
        span,
    }
}
