//! Finishing: the placed pages in; running heads and page numbers (artifacts), link targets
//! resolved to pages, and bookmarks out.

use super::*;
use crate::layout::fonts::Style;
use crate::layout::measure::place_runs;
use crate::model::outline::OutlineEntry;

impl Pager<'_> {
    /// Running heads and page numbers, as artifacts; none on the title page or chapter openings.
    pub(super) fn furniture(&mut self, chapter_pages: &[usize]) {
        let small = self.profile.small();
        for page in 1..self.doc.pages.len() {
            let number = self.doc.label(page).to_string();
            let left = self.profile.text_left(page);
            let width = self.profile.text_width();
            let footer_baseline = self.profile.page_height - self.profile.margin_bottom / 2.0;
            self.centered_artifact(
                page,
                &number,
                (left, width),
                footer_baseline,
                small,
                ArtifactKind::Footer,
            );
            if page >= self.doc.front_pages
                && !chapter_pages.contains(&page)
                && let Some(Some(head)) = self.heads.get(page).cloned()
            {
                let baseline = self.profile.margin_top / 2.0 + small / 2.0;
                self.centered_artifact(
                    page,
                    &head,
                    (left, width),
                    baseline,
                    small,
                    ArtifactKind::Header,
                );
            }
        }
    }

    /// Text centred between `left` and `left + width`.
    fn centered_artifact(
        &mut self,
        page: usize,
        text: &str,
        (left, width): (f32, f32),
        baseline: f32,
        size: f32,
        kind: ArtifactKind,
    ) {
        let Ok(shaped) = self.fonts.shape(
            text,
            Style {
                // The running head is in italics, unless the edition avoids them (large print).
                italic: kind == ArtifactKind::Header
                    && self.profile.emphasis == crate::profile::Emphasis::Italic,
                ..Style::default()
            },
        ) else {
            return;
        };
        let total: f32 = shaped.iter().map(|s| s.width(size)).sum();
        let runs = place_runs(
            shaped,
            left + (width - total).max(0.0) / 2.0,
            baseline,
            size,
        );
        self.push_text(page, runs, Owner::Artifact(kind));
    }

    /// Turns anchor targets into page positions.
    pub(super) fn resolve_links(&mut self) {
        for page in &mut self.doc.pages {
            for link in &mut page.links {
                if let LinkDest::Anchor(anchor) = &link.target {
                    let (page, y) = self.anchors.get(anchor).copied().unwrap_or((0, 0.0));
                    link.target = LinkDest::Page { page, y };
                }
            }
        }
    }

    /// Bookmarks: the contents, then every chapter and heading.
    /// The bookmarks: the contents (when there are any) and the book's outline.
    pub(super) fn outline(
        &self,
        entries: &[OutlineEntry],
        toc_page: Option<usize>,
    ) -> Vec<OutlineItem> {
        fn convert(pager: &Pager<'_>, entry: &OutlineEntry) -> OutlineItem {
            let anchor = Anchor::in_chapter(entry.chapter, entry.id.as_ref());
            let (page, y) = pager.anchors.get(&anchor).copied().unwrap_or((0, 0.0));
            OutlineItem {
                title: entry.label.clone(),
                page,
                y,
                children: entry.children.iter().map(|c| convert(pager, c)).collect(),
            }
        }
        let mut items: Vec<OutlineItem> = toc_page
            .map(|page| OutlineItem {
                title: "Contents".into(),
                page,
                y: self.profile.margin_top,
                children: Vec::new(),
            })
            .into_iter()
            .collect();
        items.extend(entries.iter().map(|e| convert(self, e)));
        items
    }
}
