//! Front matter: the book's settings and outline in; the title page and the table of contents
//! (entries with dot leaders, page numbers and links) out.

use super::*;

impl Flow<'_> {
    pub(super) fn title_page(&mut self, root: NodeId) {
        let meta = &self.book.meta;
        self.y = self.s.margin_top + self.text_height() * 0.25;
        let frame = self.body_frame();
        let size = self.size();
        let title = self.doc.add_node(StructKind::Heading(1), Some(root), true);
        self.doc.nodes[title.0].title = Some(meta.title.clone());
        self.plain(title, &meta.title, frame, size * 2.0, true);
        self.y += size;
        let lines: Vec<String> = meta
            .subtitle
            .iter()
            .cloned()
            .chain((!meta.authors.is_empty()).then(|| meta.authors.join(", ")))
            .collect();
        for text in lines {
            let p = self.doc.add_node(StructKind::P, Some(root), true);
            self.plain(p, &text, frame, size * 1.2, false);
            self.y += size * 0.5;
        }
        let bottom: Vec<String> = meta
            .publisher
            .iter()
            .chain(meta.rights.iter())
            .cloned()
            .collect();
        if !bottom.is_empty() {
            self.y = self.y.max(
                self.text_bottom() - self.line_height(size * SMALL) * (bottom.len() as f32 + 1.0),
            );
            for text in bottom {
                let p = self.doc.add_node(StructKind::P, Some(root), true);
                self.plain(p, &text, frame, size * SMALL, false);
            }
        }
    }

    /// A centred line (or lines) of unhyphenated text.
    fn plain(&mut self, node: NodeId, text: &str, frame: Frame, size: f32, bold: bool) {
        self.text_block(
            &[Inline::Text(text.to_string())],
            node,
            frame,
            size,
            TextOptions {
                bold,
                center: true,
                hyphenate: false,
                justify: false,
                ..TextOptions::default()
            },
        );
    }

    pub(super) fn toc_entry_lines(&mut self, entry: &OutlineEntry, depth: usize) -> Vec<Line> {
        let size = self.size();
        let width = self.text_width() - self.toc_number_width() - size * INDENT_EMS * depth as f32;
        let mut piece = self.base_piece(NodeId(0), size, None);
        piece.text = entry.label.clone();
        piece.hyphenate = false;
        piece.style.bold = depth == 0;
        let style = self.paragraph_style(size, width, false);
        self.set_lines(&[piece], style)
    }

    fn toc_number_width(&self) -> f32 {
        self.size() * 3.0
    }

    fn toc_heading_height(&self) -> f32 {
        self.line_height(self.size() * HEADING_SCALE[0]) + self.size()
    }

    /// Pages the contents need: entries are never split across pages.
    pub(super) fn toc_page_count(&self, entries: &[Vec<Line>]) -> usize {
        let line_height = self.line_height(self.size());
        let mut pages = 1;
        let mut y = self.toc_heading_height();
        for lines in entries {
            let height = lines.len().max(1) as f32 * line_height;
            if y + height > self.text_height() + 0.01 && y > 0.0 {
                pages += 1;
                y = 0.0;
            }
            y += height;
        }
        pages
    }

    pub(super) fn toc(
        &mut self,
        heading: NodeId,
        toc: NodeId,
        entries: &[(OutlineEntry, usize)],
        lines: Vec<Vec<Line>>,
    ) {
        let size = self.size();
        self.doc.nodes[heading.0].title = Some("Contents".into());
        self.anchors.insert("contents".into(), (self.page, self.y));
        self.text_block(
            &[Inline::Text("Contents".into())],
            heading,
            self.body_frame(),
            size * HEADING_SCALE[0],
            TextOptions {
                bold: true,
                hyphenate: false,
                justify: false,
                ..TextOptions::default()
            },
        );
        self.y += size;
        let style = self.paragraph_style(size, self.text_width(), false);
        for ((entry, depth), mut entry_lines) in entries.iter().zip(lines) {
            let item = self.doc.add_node(StructKind::TocItem, Some(toc), true);
            let link = self.doc.add_node(StructKind::Link, Some(item), true);
            let anchor = anchor_for(entry.chapter, entry.id.as_deref());
            let height = entry_lines.len().max(1) as f32 * style.line_height;
            if height > self.room() + 0.01 {
                self.page += 1;
                self.y = self.s.margin_top;
            }
            for line in &mut entry_lines {
                for frag in &mut line.frags {
                    frag.owner = link;
                    frag.link = Some((
                        LinkDest::Anchor(anchor.clone()),
                        format!("Go to {}", entry.label),
                    ));
                }
            }
            let indent = size * INDENT_EMS * *depth as f32;
            let last = entry_lines.len().saturating_sub(1);
            for (i, line) in entry_lines.iter().enumerate() {
                self.place_line(line, indent, style);
                if i == last {
                    let number = self
                        .anchors
                        .get(&anchor)
                        .map(|(page, _)| self.page_label(*page))
                        .unwrap_or_default();
                    self.toc_leaders_and_number(
                        indent + line.width,
                        &number,
                        link,
                        style,
                        &entry.label,
                        &anchor,
                    );
                }
                self.y += style.line_height;
            }
        }
    }

    /// Dot leaders (an artifact) from `from` to the page number, set flush right and linked.
    fn toc_leaders_and_number(
        &mut self,
        from: f32,
        number: &str,
        link: NodeId,
        style: ParagraphStyle,
        label: &str,
        anchor: &str,
    ) {
        let size = self.size();
        let x0 = self.text_left(self.page);
        let baseline = self.y + style.baseline;
        let Ok(number_runs) = self.fonts.shape(number, Style::default()) else {
            return;
        };
        let number_width: f32 = number_runs.iter().map(|r| r.width(size)).sum();
        let right = x0 + self.text_width();
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
                glyphs.extend(dot.glyphs.iter().map(|g| crate::layout::fonts::Glyph {
                    text: g.text.start + offset..g.text.end + offset,
                    ..g.clone()
                }));
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
                target: LinkDest::Anchor(anchor.to_string()),
                node: link,
                description: format!("Go to {label}"),
            },
        );
    }
}

/// Outline entries to list in the contents: chapters and their second-level headings.
pub(super) fn flatten_toc(entries: &[OutlineEntry]) -> Vec<(OutlineEntry, usize)> {
    let mut out = Vec::new();
    for chapter in entries {
        out.push((chapter.clone(), 0));
        for section in &chapter.children {
            out.push((section.clone(), 1));
        }
    }
    out
}
