//! Finishing: the laid-out body in; running heads and page numbers (artifacts), resolved link
//! targets, printed page labels and bookmarks out.

use super::*;

impl Flow<'_> {
    /// The printed number of a page: roman in the front matter, arabic in the body.
    pub(super) fn page_label(&self, page: usize) -> String {
        if page < self.doc.front_pages {
            roman(page + 1)
        } else {
            (page - self.doc.front_pages + 1).to_string()
        }
    }

    /// Running heads and page numbers, as artifacts; none on the title page or chapter openings.
    pub(super) fn furniture(&mut self, chapter_pages: &[usize]) {
        let small = self.size() * SMALL;
        for page in 1..self.doc.pages.len() {
            let number = self.page_label(page);
            let left = self.text_left(page);
            let width = self.text_width();
            let footer_baseline = self.s.page_height - self.s.margin_bottom / 2.0;
            self.centered_artifact(
                page,
                &number,
                left,
                width,
                footer_baseline,
                small,
                ArtifactKind::Footer,
            );
            if page >= self.doc.front_pages
                && !chapter_pages.contains(&page)
                && let Some(Some(head)) = self.heads.get(page).cloned()
            {
                let baseline = self.s.margin_top / 2.0 + small / 2.0;
                self.centered_artifact(
                    page,
                    &head,
                    left,
                    width,
                    baseline,
                    small,
                    ArtifactKind::Header,
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn centered_artifact(
        &mut self,
        page: usize,
        text: &str,
        left: f32,
        width: f32,
        baseline: f32,
        size: f32,
        kind: ArtifactKind,
    ) {
        let Ok(shaped) = self.fonts.shape(
            text,
            Style {
                italic: kind == ArtifactKind::Header,
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
    pub(super) fn outline(&self, entries: &[OutlineEntry], toc_page: usize) -> Vec<OutlineItem> {
        fn convert(flow: &Flow<'_>, entry: &OutlineEntry) -> OutlineItem {
            let (page, y) = flow
                .anchors
                .get(&anchor_for(entry.chapter, entry.id.as_deref()))
                .copied()
                .unwrap_or((0, 0.0));
            OutlineItem {
                title: entry.label.clone(),
                page,
                y,
                children: entry.children.iter().map(|c| convert(flow, c)).collect(),
            }
        }
        let mut items = vec![OutlineItem {
            title: "Contents".into(),
            page: toc_page,
            y: self.s.margin_top,
            children: Vec::new(),
        }];
        items.extend(entries.iter().map(|e| convert(self, e)));
        items
    }
}

/// Lower-case roman numerals for front-matter page numbers.
pub fn roman(mut n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
    }
}
