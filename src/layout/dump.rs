//! Text dumps of a laid-out document (pages in, text out) for snapshot tests: every drawing of
//! every page in content order with its position; the structure tree.

use std::fmt::Write;

use super::document::*;
use super::tags::{NodeId, StructChild};

/// Every page with its drawings in content order and its links.
pub fn pages(doc: &Document) -> String {
    let mut out = String::new();
    for (index, page) in doc.pages.iter().enumerate() {
        let label = doc.label(index);
        let _ = writeln!(
            out,
            "Page {} ({label}) {:.1}x{:.1}",
            index + 1,
            page.width,
            page.height
        );
        for draw in &page.draws {
            let owner = match draw.owner {
                Owner::Node(id) => format!("{:?}", doc.tags.nodes[id.0].kind),
                Owner::Artifact(kind) => format!("artifact {kind:?}"),
            };
            match &draw.kind {
                DrawKind::Text {
                    runs, actual_text, ..
                } => {
                    let text: String = runs.iter().map(|r| r.text.as_str()).collect();
                    let y = runs.first().map_or(0.0, |r| r.baseline);
                    let actual = actual_text
                        .as_ref()
                        .map(|t| format!(" actual={t:?}"))
                        .unwrap_or_default();
                    // Highlighted code's runs, each with its kind of token.
                    let tokens: Vec<String> = runs
                        .iter()
                        .filter_map(|r| Some(format!("{} {:?}", r.token?.name(), r.text)))
                        .collect();
                    let tokens = if tokens.is_empty() {
                        String::new()
                    } else {
                        format!(" tokens=[{}]", tokens.join(", "))
                    };
                    let _ = writeln!(out, "  {y:6.1} {owner}: {text:?}{actual}{tokens}");
                }
                DrawKind::Image {
                    asset,
                    x,
                    y,
                    width,
                    height,
                } => {
                    let _ = writeln!(
                        out,
                        "  {y:6.1} {owner}: image {} at x={x:.1} {width:.1}x{height:.1}",
                        asset.0
                    );
                }
                DrawKind::Rects { rects } => {
                    let y = rects.first().map_or(0.0, |r| r[1]);
                    let _ = writeln!(out, "  {y:6.1} {owner}: {} rectangles", rects.len());
                }
                DrawKind::Rule { x1, y1, x2, .. } => {
                    let _ = writeln!(out, "  {y1:6.1} {owner}: rule {x1:.1}..{x2:.1}");
                }
            }
        }
        for link in &page.links {
            let target = match &link.target {
                LinkDest::Url(url) => url.clone(),
                LinkDest::Page { page, y } => format!("page {} y={y:.1}", page + 1),
                LinkDest::Anchor(anchor) => format!("unresolved {anchor:?}"),
            };
            let _ = writeln!(out, "  link {:?} -> {target}", link.description);
        }
    }
    out
}

/// The structure tree: each node with its language, alternative text and content (page.drawing).
pub fn tags(doc: &Document) -> String {
    let mut out = String::from("Tags\n");
    if !doc.tags.nodes.is_empty() {
        tree(doc, NodeId(0), 1, &mut out);
    }
    out
}

fn tree(doc: &Document, id: NodeId, depth: usize, out: &mut String) {
    let node = &doc.tags.nodes[id.0];
    let mut line = format!("{:?}", node.kind);
    if let Some(lang) = &node.lang {
        let _ = write!(line, " lang={lang}");
    }
    if let Some(alt) = &node.alt {
        let _ = write!(line, " alt={alt:?}");
    }
    let contents: Vec<String> = node
        .children
        .iter()
        .filter_map(|c| match c {
            StructChild::Content { page, draw } => Some(format!("{}.{}", page + 1, draw)),
            StructChild::Annotation { page, link } => Some(format!("annot {}.{}", page + 1, link)),
            StructChild::Node(_) => None,
        })
        .collect();
    if !contents.is_empty() {
        let _ = write!(line, " [{}]", contents.join(" "));
    }
    let _ = writeln!(out, "{:width$}{line}", "", width = depth * 2);
    for child in &node.children {
        if let StructChild::Node(child) = child {
            tree(doc, *child, depth + 1, out);
        }
    }
}
