//! Tables: a model table in; rows of cells set in columns out, split between rows across pages
//! with the header row repeated (as an artifact) on each new page.

use super::*;

impl Flow<'_> {
    pub(super) fn table(&mut self, table: &Table, parent: NodeId, frame: Frame) {
        let size = self.size() * 0.9;
        let columns = table.columns.len().max(table.head.len()).max(1);
        let style_for = |flow: &Self, width: f32| flow.paragraph_style(size, width, false);
        // Natural and minimal widths of each column.
        let mut natural = vec![size * 2.0; columns];
        let mut minimal = vec![size * 2.0; columns];
        for (row_index, row) in std::iter::once(&table.head).chain(&table.rows).enumerate() {
            for (c, cell) in row.iter().enumerate().take(columns) {
                let pieces = self.cell_pieces(cell, NodeId(0), size, row_index == 0);
                let one_line = self.set_lines(&pieces, style_for(self, 1.0e6));
                let wide = one_line.iter().map(|l| l.width).fold(0.0, f32::max);
                let narrow = self.set_lines(&pieces, style_for(self, 1.0));
                let word = narrow.iter().map(|l| l.width).fold(0.0, f32::max);
                // A point to spare, so rounding never wraps a cell that fits.
                natural[c] = natural[c].max(wide + 2.0 * CELL_PADDING + 1.0);
                minimal[c] = minimal[c].max(word + 2.0 * CELL_PADDING);
            }
        }
        let widths = column_widths(&natural, &minimal, frame.width);
        let grid = Grid {
            widths: &widths,
            aligns: &table.columns,
            size,
            frame,
        };
        let node = self.doc.add_node(StructKind::Table, Some(parent), true);
        let head = self.doc.add_node(StructKind::TableHead, Some(node), true);
        let body = self.doc.add_node(StructKind::TableBody, Some(node), true);
        self.y += size * 0.3;
        self.table_row(&table.head, &grid, head, true, true);
        for row in &table.rows {
            let height = self.row_height(row, &widths, size);
            if height > self.room() + 0.01 && !self.at_page_top() {
                self.new_page();
                // The header again, as layout: it is in the structure tree once.
                self.table_row(&table.head, &grid, head, true, false);
            }
            self.table_row(row, &grid, body, false, true);
        }
        self.y += self.line_height(self.size()) * PARAGRAPH_GAP;
    }

    fn cell_pieces(&mut self, cell: &Cell, owner: NodeId, size: f32, header: bool) -> Vec<Piece> {
        let mut base = self.base_piece(owner, size, None);
        base.style.bold = header;
        base.hyphenate = false;
        let mut pieces = Vec::new();
        let mut images = Vec::new();
        self.pieces(&cell.content, owner, &base, &mut pieces, &mut images);
        pieces
    }

    fn row_height(&mut self, row: &[Cell], widths: &[f32], size: f32) -> f32 {
        let style = self.paragraph_style(size, 1.0, false);
        let mut lines = 1;
        for (cell, width) in row.iter().zip(widths) {
            let pieces = self.cell_pieces(cell, NodeId(0), size, false);
            let cell_style = ParagraphStyle {
                width: width - 2.0 * CELL_PADDING,
                ..style
            };
            lines = lines.max(self.set_lines(&pieces, cell_style).len());
        }
        lines as f32 * style.line_height + 2.0 * CELL_PADDING
    }

    /// One table row; `tagged` is false for a header repeated on a new page.
    fn table_row(
        &mut self,
        row: &[Cell],
        grid: &Grid<'_>,
        parent: NodeId,
        header: bool,
        tagged: bool,
    ) -> f32 {
        if !tagged {
            // Draw the repeat into a throwaway node, then make its drawings artifacts.
            let first = self.doc.pages[self.page].draws.len();
            let scratch = self.doc.add_node(StructKind::TableRow, None, false);
            let height = self.row_contents(row, grid, scratch, header);
            for draw in &mut self.doc.pages[self.page].draws[first..] {
                draw.owner = Owner::Artifact(ArtifactKind::Layout);
            }
            self.doc.nodes[scratch.0].children.clear();
            return height;
        }
        let tr = self.doc.add_node(StructKind::TableRow, Some(parent), true);
        self.row_contents(row, grid, tr, header)
    }

    fn row_contents(&mut self, row: &[Cell], grid: &Grid<'_>, tr: NodeId, header: bool) -> f32 {
        let Grid {
            widths,
            aligns,
            size,
            frame,
        } = *grid;
        let style = self.paragraph_style(size, 1.0, false);
        let top = self.y;
        let mut bottom = top;
        let mut x = frame.left;
        for (c, (cell, width)) in row.iter().zip(widths).enumerate() {
            let kind = if header {
                StructKind::HeaderCell
            } else {
                StructKind::DataCell
            };
            let cell_node = self.doc.add_node(kind, Some(tr), true);
            let pieces = self.cell_pieces(cell, cell_node, size, header);
            let cell_style = ParagraphStyle {
                width: width - 2.0 * CELL_PADDING,
                ..style
            };
            let lines = self.set_lines(&pieces, cell_style);
            self.y = top + CELL_PADDING;
            for line in &lines {
                let slack = (cell_style.width - line.width).max(0.0);
                let shift = match aligns.get(c) {
                    Some(Align::Right) => slack,
                    Some(Align::Center) => slack / 2.0,
                    _ => 0.0,
                };
                self.place_line(line, x + CELL_PADDING + shift, cell_style);
                self.y += cell_style.line_height;
            }
            bottom = bottom.max(self.y + CELL_PADDING);
            x += width;
        }
        let x0 = self.text_left(self.page) + frame.left;
        let x1 = x0 + widths.iter().sum::<f32>();
        if header {
            self.rule(x0, top, x1, top);
        }
        self.rule(x0, bottom, x1, bottom);
        self.y = bottom;
        bottom - top
    }
}

/// The columns of a table being set.
#[derive(Clone, Copy)]
struct Grid<'t> {
    widths: &'t [f32],
    aligns: &'t [Align],
    size: f32,
    frame: Frame,
}

/// Column widths: natural widths when they fit, else shares between minimal and natural.
fn column_widths(natural: &[f32], minimal: &[f32], available: f32) -> Vec<f32> {
    let total_natural: f32 = natural.iter().sum();
    if total_natural <= available {
        return natural.to_vec();
    }
    let total_min: f32 = minimal.iter().sum();
    if total_min >= available {
        return minimal.iter().map(|m| m * available / total_min).collect();
    }
    let share = (available - total_min) / (total_natural - total_min);
    natural
        .iter()
        .zip(minimal)
        .map(|(n, m)| m + (n - m).max(0.0) * share)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_share_the_width() {
        assert_eq!(
            column_widths(&[10.0, 20.0], &[5.0, 5.0], 100.0),
            vec![10.0, 20.0]
        );
        let w = column_widths(&[100.0, 100.0], &[10.0, 30.0], 100.0);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 0.01);
        assert!(w[1] > w[0]);
    }
}
