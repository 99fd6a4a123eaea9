//! mdBook's renderer protocol: the render context mdBook writes on a renderer's standard input
//! (JSON) in; the book's SUMMARY items, each chapter's text in the source map (mdBook's
//! preprocessors, and any the book configures, already applied), out. mdBook 0.4 names the
//! book's items `sections`, 0.5 `items`; both are read, and fields mdBook adds are ignored.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Deserialize;

use super::summary::{Entry, Item, MAX_NESTING};
use crate::config::ChapterEntry;
use crate::diag::{Diagnostics, FileId, SourceMap, Span};
use crate::load::Manuscript;

/// The most JSON read from standard input: the chapters' text travels in it, so it is bounded
/// as a manuscript's chapters are ([`crate::load::MAX_MANUSCRIPT_BYTES`]), with room for the
/// settings and JSON's escaping.
pub const MAX_CONTEXT_BYTES: u64 = crate::load::MAX_MANUSCRIPT_BYTES + 8 * 1024 * 1024;

/// What mdBook hands a renderer.
#[derive(Debug, Deserialize)]
pub struct RenderContext {
    /// mdBook's version, such as `0.5.4`.
    pub version: String,
    /// The project's folder (holding `book.toml`).
    pub root: PathBuf,
    pub book: BookJson,
    /// Where the renderer writes its outputs.
    pub destination: PathBuf,
}

impl RenderContext {
    /// Reads a render context from mdBook's JSON.
    pub fn from_json(bytes: &[u8]) -> Result<RenderContext, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// Whether the context comes from an mdBook whose render context this reader knows
    /// (0.4 and 0.5).
    pub fn known_version(&self) -> bool {
        self.version.starts_with("0.4.") || self.version.starts_with("0.5.")
    }
}

/// The book's items in SUMMARY.md's order.
#[derive(Debug, Deserialize)]
pub struct BookJson {
    #[serde(alias = "sections")]
    pub items: Vec<ItemJson>,
}

/// One item of the book, as mdBook serialises it.
#[derive(Debug, Deserialize)]
pub enum ItemJson {
    Chapter(ChapterJson),
    Separator,
    PartTitle(String),
}

/// A chapter, its text already through the preprocessors.
#[derive(Debug, Deserialize)]
pub struct ChapterJson {
    pub name: String,
    pub content: String,
    /// Its section number (`[1, 2]` for 1.2.), or none for prefix and suffix chapters.
    pub number: Option<Vec<u32>>,
    pub sub_items: Vec<ItemJson>,
    /// Its page, relative to the book's source folder (a README's is `index.md`); none for a
    /// draft.
    pub path: Option<PathBuf>,
    /// The file it was read from (`README.md` for that index).
    #[serde(default)]
    pub source_path: Option<PathBuf>,
}

/// Where the chapters belong: the source folder (for the names shown in messages) and the
/// SUMMARY, which messages about items point at (the context has no positions).
pub struct Place<'a> {
    pub src: &'a Manuscript,
    pub summary: FileId,
}

/// What reading the items gathers besides them.
pub struct Gathered<'a> {
    pub map: &'a mut SourceMap,
    /// The file holding each chapter's text, by its path relative to the source folder.
    pub texts: &'a mut HashMap<String, FileId>,
    /// The chapters, for the settings (the profiles name them).
    pub entries: &'a mut Vec<ChapterEntry>,
}

/// The SUMMARY items of the context's `items`, each chapter's text added to the source map
/// under its file's name; `None` when they nest deeper than a SUMMARY may (the error is in
/// `diags`).
pub fn items(
    items: &[ItemJson],
    place: &Place,
    gathered: &mut Gathered,
    diags: &mut Diagnostics,
) -> Option<Vec<Item>> {
    let at = Span::new(place.summary, 0..0);
    let converted = convert(items, 0, place, gathered);
    if converted.is_none() {
        diags
            .error(
                at,
                format!("mdBook's chapters nest more than {MAX_NESTING} levels deep"),
            )
            .hint("nest the chapters in SUMMARY.md less deeply");
    }
    converted
}

fn convert(
    items: &[ItemJson],
    depth: usize,
    place: &Place,
    gathered: &mut Gathered,
) -> Option<Vec<Item>> {
    if depth > MAX_NESTING {
        return None;
    }
    let at = Span::new(place.summary, 0..0);
    let mut converted = Vec::new();
    for item in items {
        converted.push(match item {
            ItemJson::Separator => Item::Separator,
            ItemJson::PartTitle(title) => Item::PartTitle {
                title: title.clone(),
                span: at,
            },
            ItemJson::Chapter(chapter) => {
                // The file the chapter was read from, as SUMMARY.md names it.
                let written = chapter.source_path.as_ref().or(chapter.path.as_ref());
                let path = written
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .and_then(|p| crate::paths::join_relative("SUMMARY.md", &p).ok());
                if let Some(path) = &path
                    && !gathered.texts.contains_key(path)
                {
                    let file = gathered
                        .map
                        .add(place.src.display(path), chapter.content.clone());
                    gathered.texts.insert(path.clone(), file);
                    gathered.entries.push(ChapterEntry {
                        path: path.clone(),
                        span: at,
                        lang: None,
                        dir: None,
                    });
                }
                Item::Chapter(Entry {
                    name: chapter.name.clone(),
                    path,
                    number: chapter.number.clone(),
                    children: convert(&chapter.sub_items, depth + 1, place, gathered)?,
                    span: at,
                })
            }
        });
    }
    Some(converted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context as mdBook 0.5 writes it (`items`), and one as 0.4 does (`sections`, with its
    /// `__non_exhaustive` field): both read, with their nesting and numbers.
    #[test]
    fn reads_both_versions_of_the_context() {
        let listed = r##"[
            {"Chapter":{"name":"Intro","content":"# Intro\n","number":null,"sub_items":[],
                        "path":"index.md","source_path":"README.md","parent_names":[]}},
            {"PartTitle":"Basics"},
            {"Chapter":{"name":"One","content":"# One\n","number":[1],"sub_items":[
                {"Chapter":{"name":"Later","content":"","number":[1,1],"sub_items":[],
                            "path":null,"source_path":null,"parent_names":["One"]}}],
                        "path":"one.md","source_path":"one.md","parent_names":[]}},
            "Separator"]"##;
        for book in [
            format!(r#"{{"items":{listed}}}"#),
            format!(r#"{{"sections":{listed},"__non_exhaustive":null}}"#),
        ] {
            let json = format!(
                r#"{{"version":"0.5.4","root":"/b","book":{book},"config":{{}},"destination":"/b/book"}}"#
            );
            let context = RenderContext::from_json(json.as_bytes()).expect("a context");
            assert!(context.known_version());
            let mut map = SourceMap::default();
            let summary = map.add("src/SUMMARY.md".into(), String::new());
            let src = Manuscript {
                shown: PathBuf::from("src"),
                canonical: PathBuf::from("/b/src"),
            };
            let (mut texts, mut entries) = (HashMap::new(), Vec::new());
            let mut diags = Diagnostics::default();
            let read = items(
                &context.book.items,
                &Place { src: &src, summary },
                &mut Gathered {
                    map: &mut map,
                    texts: &mut texts,
                    entries: &mut entries,
                },
                &mut diags,
            )
            .expect("items");
            let names: Vec<String> = read
                .iter()
                .map(|item| match item {
                    Item::Chapter(entry) => format!(
                        "{} {:?} {:?} {}",
                        entry.name,
                        entry.path,
                        entry.number,
                        entry.children.len()
                    ),
                    Item::PartTitle { title, .. } => format!("part {title}"),
                    Item::Separator => "---".to_string(),
                })
                .collect();
            assert_eq!(
                names,
                [
                    "Intro Some(\"README.md\") None 0",
                    "part Basics",
                    "One Some(\"one.md\") Some([1]) 1",
                    "---"
                ]
            );
            assert_eq!(map.get(texts["one.md"]).text, "# One\n");
            assert_eq!(entries.len(), 2);
        }
    }

    /// Items nested past the SUMMARY's limit are an error, not a deep recursion.
    #[test]
    fn nesting_is_bounded() {
        let mut json = String::from("[]");
        for _ in 0..MAX_NESTING + 2 {
            json = format!(
                r#"[{{"Chapter":{{"name":"x","content":"","number":null,"sub_items":{json},"path":null}}}}]"#
            );
        }
        let items_json: Vec<ItemJson> = serde_json::from_str(&json).expect("items");
        let mut map = SourceMap::default();
        let summary = map.add("src/SUMMARY.md".into(), String::new());
        let src = Manuscript {
            shown: PathBuf::from("src"),
            canonical: PathBuf::from("/b/src"),
        };
        let mut diags = Diagnostics::default();
        let read = items(
            &items_json,
            &Place { src: &src, summary },
            &mut Gathered {
                map: &mut map,
                texts: &mut HashMap::new(),
                entries: &mut Vec::new(),
            },
            &mut diags,
        );
        assert!(read.is_none() && diags.has_errors());
    }
}
