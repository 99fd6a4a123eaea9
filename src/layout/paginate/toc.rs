//! The contents, placed: the measured entries in, on the pages kept for them, with dot leaders
//! and the page numbers pagination found, each entry one link.

use super::*;
use crate::layout::fonts::Style;
use crate::layout::measure::{TocEntry, place_runs};

impl Pager<'_> {
    fn toc_heading_height(&self) -> f32 {
        let size = self.profile.font_size;
        self.profile
            .line_height(size * self.profile.heading_scale[0])
            + size
    }

    /// Pages the contents need: entries are never split across pages.
    pub(super) fn toc_page_count(&self, front: &FrontGalley) -> usize {
        let line_height = self.profile.line_height(self.profile.font_size);
        let mut pages = 1;
        let mut y = self.toc_heading_height();
        for entry in &front.entries {
            let height = entry.lines.len().max(1) as f32 * line_height;
            if y + height > self.profile.text_height() + 0.01 && y > 0.0 {
                pages += 1;
                y = 0.0;
            }
            y += height;
        }
        pages
    }

    /// Sets the contents on the pages kept for them, from the current page on.
    pub(super) fn toc(&mut self, front: FrontGalley) {
        let size = self.profile.font_size;
        self.mark(&Anchor::Contents);
        self.place_lines(front.toc_title);
        self.y += size;
        let style = ParagraphStyle::new(
            self.profile,
            self.fonts,
            size,
            self.profile.text_width(),
            false,
        );
        for mut entry in front.entries {
            self.doc.tags.attach(self.node(entry.item));
            self.doc.tags.attach(self.node(entry.link));
            let height = entry.lines.len().max(1) as f32 * style.line_height;
            if height > self.room() + 0.01 {
                self.page += 1;
                self.y = self.profile.margin_top;
            }
            let indent = size * crate::layout::measure::INDENT_EMS * entry.depth as f32;
            let last = entry.lines.len().saturating_sub(1);
            for (i, line) in std::mem::take(&mut entry.lines).into_iter().enumerate() {
                let width = line.width;
                self.place_line(line, indent, style);
                if i == last {
                    self.leaders_and_number(indent + width, &entry, style);
                }
                self.y += style.line_height;
            }
        }
    }

    /// Dot leaders (an artifact) from `from` to the page number, set flush right and linked.
    fn leaders_and_number(&mut self, from: f32, entry: &TocEntry, style: ParagraphStyle) {
        let size = self.profile.font_size;
        let link = self.node(entry.link);
        let anchor = entry.anchor();
        let number = self
            .anchors
            .get(&anchor)
            .map(|(page, _)| self.doc.label(*page).to_string())
            .unwrap_or_default();
        let x0 = self.profile.text_left(self.page);
        let baseline = self.y + style.baseline;
        let Ok(number_runs) = self.fonts.shape(&number, Style::default()) else {
            return;
        };
        let number_width: f32 = number_runs.iter().map(|r| r.width(size)).sum();
        let right = x0 + self.profile.text_width();
        let dot = self
            .fonts
            .shape_in(self.fonts.face_for(Style::default()), ". ");
        let dot_width = dot.width(size);
        let start = x0 + from + size * 0.5;
        let end = right - number_width - size * 0.5;
        if dot_width > 0.0 && end > start {
            let count = ((end - start) / dot_width).floor() as usize;
            let mut glyphs = Vec::new();
            let mut text = String::new();
            for _ in 0..count {
                let offset = text.len();
                text.push_str(&dot.text);
                glyphs.extend(dot.glyphs.iter().map(|g| g.shifted(offset)));
            }
            let leaders_x = end - count as f32 * dot_width;
            self.push_text(
                self.page,
                vec![TextRun {
                    x: leaders_x,
                    baseline,
                    face: dot.face,
                    size,
                    text,
                    glyphs,
                    token: None,
                }],
                Owner::Artifact(ArtifactKind::Layout),
            );
        }
        let runs = place_runs(number_runs, right - number_width, baseline, size);
        self.push_text(self.page, runs, Owner::Node(link));
        self.doc.push_link(
            self.page,
            LinkArea {
                x: x0 + from,
                y: self.y,
                width: right - x0 - from,
                height: style.line_height,
                target: LinkDest::Anchor(anchor),
                node: link,
                description: format!("Go to {}", entry.entry.label),
            },
        );
    }
}
