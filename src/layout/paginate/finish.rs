//! Finishing: the placed pages in; running heads and page numbers (artifacts), link targets
//! resolved to pages, and bookmarks out.

use super::*;
use crate::layout::fonts::Style;
use crate::layout::measure::place_runs;
use crate::model::outline::OutlineEntry;

impl Pager<'_> {
    /// Running heads and page numbers, as artifacts; none on the title page or chapter openings.
    /// Each page's are shaped and placed on the thread pool, idle by now (a long book's page
    /// numbers are each shaped anew: 10 ms of the single-threaded end of a 1 000-page layout),
    /// and added to the pages in order.
    pub(super) fn furniture(&mut self, chapter_pages: &[usize]) {
        use rayon::prelude::*;
        let this = &*self;
        let small = this.profile.small();
        let made: Vec<Vec<(Vec<TextRun>, ArtifactKind)>> = (1..this.doc.pages.len())
            .into_par_iter()
            .map(|page| {
                let number = this.doc.label(page).to_string();
                let left = this.profile.text_left(page);
                let width = this.profile.text_width();
                let footer_baseline = this.profile.page_height - this.profile.margin_bottom / 2.0;
                let mut made = Vec::with_capacity(2);
                made.extend(
                    this.centered_artifact(
                        &number,
                        (left, width),
                        (footer_baseline, small),
                        ArtifactKind::Footer,
                    )
                    .map(|runs| (runs, ArtifactKind::Footer)),
                );
                if page >= this.doc.front_pages
                    && !chapter_pages.contains(&page)
                    && let Some(Some(head)) = this.heads.get(page)
                {
                    let baseline = this.profile.margin_top / 2.0 + small / 2.0;
                    made.extend(
                        this.centered_artifact(
                            head,
                            (left, width),
                            (baseline, small),
                            ArtifactKind::Header,
                        )
                        .map(|runs| (runs, ArtifactKind::Header)),
                    );
                }
                made
            })
            .collect();
        for (page, artifacts) in (1..).zip(made) {
            for (runs, kind) in artifacts {
                self.push_text(page, runs, Owner::Artifact(kind));
            }
        }
    }

    /// Text centred between `left` and `left + width`, as runs of `kind`; `None` if a font
    /// lacks one of its characters.
    fn centered_artifact(
        &self,
        text: &str,
        (left, width): (f32, f32),
        (baseline, size): (f32, f32),
        kind: ArtifactKind,
    ) -> Option<Vec<TextRun>> {
        let shaped = self
            .fonts
            .shape(
                text,
                Style {
                    // The running head is in italics, unless the edition avoids them (large
                    // print).
                    italic: kind == ArtifactKind::Header
                        && self.profile.emphasis == crate::profile::Emphasis::Italic,
                    ..Style::default()
                },
            )
            .ok()?;
        let total: f32 = shaped.iter().map(|s| s.width(size)).sum();
        Some(place_runs(
            shaped,
            left + (width - total).max(0.0) / 2.0,
            baseline,
            size,
        ))
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
                title: crate::model::words::contents(self.lang).text.into(),
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
