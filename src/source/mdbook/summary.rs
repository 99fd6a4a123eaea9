//! `SUMMARY.md`: its text in, the book's items in reading order out ([`Item`]), read as mdBook
//! reads it, with a located diagnostic for each form mdBook refuses.
//!
//! The grammar, from mdBook's behaviour: CommonMark with no extensions; an optional `# Title`
//! first (after any HTML comments), which is not used; prefix chapters (links, and `---`
//! separators, until the first list or level-1 heading); then the numbered chapters, in lists
//! (nested lists nest them), each part opened by a level-1 heading (its title), numbered
//! continuously through parts, separators and whatever lies between lists; then, after the
//! first paragraph that follows them, the suffix chapters (links and separators, no list).
//! `[Title]()` is a draft chapter: listed, with no file.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::diag::{Diagnostics, FileId, Span};

/// One entry of the SUMMARY, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A chapter (a link), with the chapters nested under it.
    Chapter(Entry),
    /// A part's title (`# Part`): the numbered chapters after it belong to it.
    PartTitle { title: String, span: Span },
    /// A separator (`---`).
    Separator,
}

/// A chapter as the SUMMARY lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The link's text, without its styling: the chapter's name in the contents.
    pub name: String,
    /// The file, relative to the source folder, `%20` read as a space; `None` for a draft
    /// (`[Title]()`).
    pub path: Option<String>,
    /// Its section number (`[1, 2]` shows as "1.2."); `None` for prefix and suffix chapters.
    pub number: Option<Vec<u32>>,
    /// The chapters nested under it.
    pub children: Vec<Item>,
    /// The link in `SUMMARY.md`.
    pub span: Span,
}

/// The deepest nesting of lists read: mdBook has no limit, but chapter headings stop at level
/// 6, no real book nests more than a handful, and the reader recurses once per level.
pub const MAX_NESTING: usize = 32;

/// The number shown before a numbered chapter's name, as mdBook shows it: `1.2. `.
pub fn number_label(number: &[u32]) -> String {
    number.iter().map(|n| format!("{n}.")).collect::<String>() + " "
}

/// Reads the items of `SUMMARY.md` (`text`, the file `file`). Every problem is reported, each
/// where it is; the items read around them are returned.
pub fn parse(file: FileId, text: &str, diags: &mut Diagnostics) -> Vec<Item> {
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new(text).into_offset_iter().collect();
    let mut reader = Reader {
        events,
        at: 0,
        file,
        diags,
    };
    reader.skip_title();
    let mut items = reader.affix(true);
    items.extend(reader.parts());
    items.extend(reader.affix(false));
    let mut seen = HashSet::new();
    duplicates(&items, &mut seen, reader.diags);
    items
}

struct Reader<'t, 'd> {
    events: Vec<(Event<'t>, std::ops::Range<usize>)>,
    at: usize,
    file: FileId,
    diags: &'d mut Diagnostics,
}

impl<'t> Reader<'t, '_> {
    fn peek(&self) -> Option<&Event<'t>> {
        self.events.get(self.at).map(|(e, _)| e)
    }

    fn span(&self) -> Span {
        let range = self
            .events
            .get(self.at.saturating_sub(1))
            .map_or(0..0, |(_, r)| r.clone());
        Span::new(self.file, range)
    }

    /// The next event, and moves past it.
    fn next(&mut self) -> Option<Event<'t>> {
        let event = self.events.get(self.at).map(|(e, _)| e.clone());
        self.at += 1;
        event
    }

    /// Moves past the events up to the end of the tag just opened (`tag`), past any of the
    /// same kind nested in it; returns them.
    fn until_end(&mut self, tag: TagEnd) -> Vec<Event<'t>> {
        let mut inner = Vec::new();
        let mut open = 0usize;
        while let Some(event) = self.next() {
            match &event {
                Event::Start(t) if t.to_end() == tag => open += 1,
                Event::End(t) if *t == tag => {
                    if open == 0 {
                        break;
                    }
                    open -= 1;
                }
                _ => {}
            }
            inner.push(event);
        }
        inner
    }

    /// The title (`# Summary`), after any HTML such as a comment, is read and not used.
    fn skip_title(&mut self) {
        while let Some(event) = self.peek() {
            match event {
                Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::HtmlBlock)
                | Event::End(TagEnd::HtmlBlock) => self.at += 1,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    self.at += 1;
                    self.until_end(TagEnd::Heading(HeadingLevel::H1));
                    return;
                }
                _ => return,
            }
        }
    }

    /// The prefix chapters (`prefix`) or the suffix chapters: links and separators, without
    /// numbers. A list or a level-1 heading ends the prefix; after the suffix, it is an error.
    fn affix(&mut self, prefix: bool) -> Vec<Item> {
        let mut items = Vec::new();
        while let Some(event) = self.next() {
            match event {
                Event::Start(
                    tag @ (Tag::List(_)
                    | Tag::Heading {
                        level: HeadingLevel::H1,
                        ..
                    }),
                ) => {
                    if prefix {
                        self.at -= 1;
                        break;
                    }
                    let span = self.span();
                    self.diags
                        .error(span, "the suffix chapters cannot be followed by a list or a part")
                        .hint("numbered chapters and parts come before the chapters listed as plain links at the end; move this up, or make it links without a list");
                    self.until_end(tag.to_end());
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let entry = self.link(&dest_url);
                    items.push(Item::Chapter(entry));
                }
                Event::Rule => items.push(Item::Separator),
                _ => {}
            }
        }
        items
    }

    /// The link just opened, whose address is `dest`.
    fn link(&mut self, dest: &str) -> Entry {
        let span = self.span();
        let name = plain(&self.until_end(TagEnd::Link));
        let path = dest.replace("%20", " ");
        Entry {
            name,
            path: (!path.is_empty()).then_some(path),
            number: None,
            children: Vec::new(),
            span,
        }
    }

    /// The numbered chapters and the parts they are in, until the suffix begins.
    fn parts(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        // The top-level chapters so far, through every part: numbering does not restart.
        let mut numbered = 0;
        loop {
            let title = match self.peek() {
                None | Some(Event::Start(Tag::Paragraph)) => break,
                Some(Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                })) => {
                    self.at += 1;
                    let span = self.span();
                    let title = plain(&self.until_end(TagEnd::Heading(HeadingLevel::H1)));
                    Some(Item::PartTitle { title, span })
                }
                Some(_) => None,
            };
            items.extend(title);
            items.extend(self.numbered(&mut numbered));
        }
        items
    }

    /// One part's numbered chapters: its lists and separators, anything else between them
    /// skipped; a paragraph after the first event, or a level-1 heading, ends it.
    fn numbered(&mut self, numbered: &mut u32) -> Vec<Item> {
        let mut items = Vec::new();
        let mut first = true;
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::Paragraph) if first => {}
                Event::Start(
                    Tag::Paragraph
                    | Tag::Heading {
                        level: HeadingLevel::H1,
                        ..
                    },
                ) => {
                    self.at -= 1;
                    break;
                }
                Event::Start(Tag::List(_)) => {
                    let mut list = self.list(&[], 0);
                    for item in &mut list {
                        renumber(item, *numbered);
                    }
                    *numbered += list
                        .iter()
                        .filter(|i| matches!(i, Item::Chapter(_)))
                        .count() as u32;
                    items.extend(list);
                }
                Event::Start(tag) => {
                    self.until_end(tag.to_end());
                }
                Event::Rule => items.push(Item::Separator),
                _ => {}
            }
            first = false;
        }
        items
    }

    /// The items of the list just opened, numbered under `parent`, at nesting `depth`.
    fn list(&mut self, parent: &[u32], depth: usize) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::Item) => {
                    let mut number = parent.to_vec();
                    number.push(items.len() as u32 + 1);
                    if let Some(entry) = self.item(number) {
                        items.push(Item::Chapter(entry));
                    }
                }
                Event::Start(tag @ Tag::List(_)) => {
                    let span = self.span();
                    let last = items.iter_mut().rev().find_map(|i| match i {
                        Item::Chapter(entry) => Some(entry),
                        _ => None,
                    });
                    match last {
                        Some(_) if depth + 1 >= MAX_NESTING => {
                            self.diags
                                .error(
                                    span,
                                    format!("the chapters nest more than {MAX_NESTING} lists deep"),
                                )
                                .hint("nest chapters a few levels at most; headings stop at six");
                            self.until_end(tag.to_end());
                        }
                        Some(entry) => {
                            let number = entry.number.clone().unwrap_or_default();
                            let children = self.list(&number, depth + 1);
                            // Re-find the entry: the borrow of `items` ended with `number`.
                            if let Some(Item::Chapter(entry)) = items
                                .iter_mut()
                                .rev()
                                .find(|i| matches!(i, Item::Chapter(_)))
                            {
                                entry.children = children;
                            }
                        }
                        // A list before any chapter of this one: its items are read at this
                        // level, as mdBook reads them.
                        None => {}
                    }
                }
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        items
    }

    /// The list item just opened: its link, numbered `number`; `None`, with an error, when it
    /// does not begin with a link (the rest of the item, nested lists too, is skipped).
    fn item(&mut self, number: Vec<u32>) -> Option<Entry> {
        while let Some(event) = self.next() {
            match event {
                Event::Start(Tag::Paragraph) => {}
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let mut entry = self.link(&dest_url);
                    entry.number = Some(number);
                    return Some(entry);
                }
                _ => {
                    let span = self.span();
                    self.diags
                        .error(span, "a numbered chapter's list item must be a link and nothing before it")
                        .hint("write it as `- [Title](file.md)`, or `- [Title]()` for a chapter not written yet");
                    // Back to the item's level: what it holds is skipped with it.
                    if event != Event::End(TagEnd::Item) {
                        self.until_end(TagEnd::Item);
                    }
                    return None;
                }
            }
        }
        None
    }
}

/// Adds `by` to the top-level number of `item` and of everything nested in it: a list numbers
/// from 1, and the chapters before it in the numbered part come first.
fn renumber(item: &mut Item, by: u32) {
    if let Item::Chapter(entry) = item {
        if let Some(first) = entry.number.as_mut().and_then(|n| n.first_mut()) {
            *first += by;
        }
        for child in &mut entry.children {
            renumber(child, by);
        }
    }
}

/// The text of inline events without their styling: text and code, a line break as a space.
fn plain(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
            Event::SoftBreak => Some(" "),
            _ => None,
        })
        .collect()
}

/// Reports each file listed a second time (paths compare as the files they name).
fn duplicates(items: &[Item], seen: &mut HashSet<String>, diags: &mut Diagnostics) {
    for item in items {
        let Item::Chapter(entry) = item else {
            continue;
        };
        if let Some(path) = &entry.path {
            let named =
                crate::paths::join_relative("SUMMARY.md", path).unwrap_or_else(|_| path.clone());
            if !seen.insert(named) {
                diags
                    .error(entry.span, format!("the file `{path}` is listed twice"))
                    .hint("list each chapter file once; link to it from other chapters instead");
            }
        }
        duplicates(&entry.children, seen, diags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

    /// The items as lines: a chapter as `number name (path)`, nested by indent.
    fn read(text: &str) -> (String, Vec<String>) {
        fn write(items: &[Item], depth: usize, out: &mut String) {
            for item in items {
                let indent = "  ".repeat(depth);
                match item {
                    Item::Chapter(e) => {
                        let number = e.number.as_deref().map(number_label).unwrap_or_default();
                        let path = e.path.as_deref().unwrap_or("draft");
                        out.push_str(&format!("{indent}{number}{} ({path})\n", e.name));
                        write(&e.children, depth + 1, out);
                    }
                    Item::PartTitle { title, .. } => out.push_str(&format!("{indent}# {title}\n")),
                    Item::Separator => out.push_str(&format!("{indent}---\n")),
                }
            }
        }
        let mut map = SourceMap::default();
        let file = map.add("SUMMARY.md".into(), text.into());
        let mut diags = Diagnostics::default();
        let items = parse(file, text, &mut diags);
        let mut out = String::new();
        write(&items, 0, &mut out);
        let problems = diags
            .resolve(&map)
            .into_iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect();
        (out, problems)
    }

    #[test]
    fn every_section_in_order() {
        let (items, problems) = read(
            "# Summary\n\n[Preface](preface.md)\n\n---\n\n- [One](one.md)\n  - [One A](one/a.md)\n  - [Later]()\n- [Two](two.md)\n\n---\n\n[Thanks](thanks.md)\n[Index](<index page.md>)\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            items,
            "Preface (preface.md)\n---\n1. One (one.md)\n  1.1. One A (one/a.md)\n  1.2. Later (draft)\n2. Two (two.md)\n---\nThanks (thanks.md)\nIndex (index page.md)\n"
        );
    }

    #[test]
    fn numbering_runs_on_through_parts_separators_and_comments() {
        let (items, problems) = read(
            "# Summary\n\n# Part A\n\n- [One](one.md)\n\n<!-- between -->\n\n- [Two](two.md)\n\n---\n\n- [Three](three.md)\n\n## A subheading\n\n- [Four](four.md)\n    - [Four A](four-a.md)\n\n# Part B\n\n# Part C\n\n- [Five](five.md)\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            items,
            "# Part A\n1. One (one.md)\n2. Two (two.md)\n---\n3. Three (three.md)\n4. Four (four.md)\n  4.1. Four A (four-a.md)\n# Part B\n# Part C\n5. Five (five.md)\n"
        );
    }

    #[test]
    fn a_first_heading_is_the_title_not_a_part() {
        let (items, _) = read("<!-- a comment -->\n# Part One\n\n- [One](one.md)\n");
        assert_eq!(items, "1. One (one.md)\n");
        let (items, _) = read("# Summary\n# Part One\n\n- [One](one.md)\n");
        assert_eq!(items, "# Part One\n1. One (one.md)\n");
    }

    #[test]
    fn names_lose_their_styling_and_paths_their_escapes() {
        let (items, problems) = read(
            "- [The `main` *function*\n  again](my%20file.md)\n- [Draft **one**]()\n  - [Under a draft](u.md)\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            items,
            "1. The main function again (my file.md)\n2. Draft one (draft)\n  2.1. Under a draft (u.md)\n"
        );
    }

    #[test]
    fn deep_nesting_numbers_each_level() {
        let (items, _) = read(
            "- [A](a.md)\n  - [B](b.md)\n    - [C](c.md)\n    - [D](d.md)\n  - [E](e.md)\n- [F](f.md)\n",
        );
        assert_eq!(
            items,
            "1. A (a.md)\n  1.1. B (b.md)\n    1.1.1. C (c.md)\n    1.1.2. D (d.md)\n  1.2. E (e.md)\n2. F (f.md)\n"
        );
    }

    #[test]
    fn a_list_item_that_is_not_a_link_is_an_error_where_it_is() {
        let (items, problems) = read(
            "- [One](one.md)\n- Layout (layout.md)\n  - [Nested](n.md)\n- [Two](two.md)\n- Also plain\n",
        );
        assert_eq!(
            problems,
            [
                "2:3: a numbered chapter's list item must be a link and nothing before it",
                "5:3: a numbered chapter's list item must be a link and nothing before it"
            ]
        );
        // The rest is still read, numbered as mdBook would had the items been links.
        assert!(items.contains("1. One (one.md)\n"), "{items}");
        assert!(items.contains("Two (two.md)"), "{items}");
    }

    #[test]
    fn a_list_or_part_after_the_suffix_is_an_error() {
        let (items, problems) =
            read("- [One](one.md)\n\n[Appendix](app.md)\n\n- [Two](two.md)\n\n# Part\n");
        assert_eq!(
            problems,
            [
                "5:1: the suffix chapters cannot be followed by a list or a part",
                "7:1: the suffix chapters cannot be followed by a list or a part"
            ]
        );
        assert_eq!(items, "1. One (one.md)\nAppendix (app.md)\n");
    }

    #[test]
    fn the_same_file_twice_is_an_error_at_the_second() {
        let (_, problems) = read(
            "[Intro](intro.md)\n\n- [One](one.md)\n  - [Again](./intro.md)\n- [Draft]()\n- [Draft]()\n",
        );
        assert_eq!(problems, ["4:5: the file `./intro.md` is listed twice"]);
    }

    #[test]
    fn prefix_items_do_not_nest_and_headings_below_one_are_skipped() {
        let (items, problems) = read(
            "[A](a.md)\n## Not a part\n[B](b.md)\n\n- [C](c.md)\n##### - [Skipped](s.md)\n- [D](d.md)\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(items, "A (a.md)\nB (b.md)\n1. C (c.md)\n2. D (d.md)\n");
    }

    #[test]
    fn words_after_a_part_title_and_loose_lists_are_read_as_mdbook_reads_them() {
        // A paragraph just after a part's title is passed over, not taken for the suffix.
        let (items, problems) = read(
            "# Summary\n\n# Part\n\nWhat this part is about.\n\n- [A](a.md)\n\n- [B](b.md)\n\n  - [B1](b1.md)\n\n[S](s.md)\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            items,
            "# Part\n1. A (a.md)\n2. B (b.md)\n  2.1. B1 (b1.md)\nS (s.md)\n"
        );
        // Text after an item's link is not read.
        let (items, _) = read("- [A](a.md) (the first)\n");
        assert_eq!(items, "1. A (a.md)\n");
    }

    #[test]
    fn nesting_is_bounded() {
        let text: String = (0..40)
            .map(|i| format!("{}- [L{i}](l{i}.md)\n", "  ".repeat(i)))
            .collect();
        let (_, problems) = read(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("more than 32 lists deep"),
            "{problems:?}"
        );
    }

    #[test]
    fn numbers_show_as_mdbook_shows_them() {
        assert_eq!(number_label(&[1, 2]), "1.2. ");
        assert_eq!(number_label(&[10]), "10. ");
    }
}
