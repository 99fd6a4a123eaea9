//! Tables: a model table in; its header row and body rows, each set once into a [`Unit`] of
//! cells in columns, out. Column widths come from each cell's natural and narrowest widths.

use super::*;
use crate::layout::galley::Row;

/// A cell ready to set: its node and its pieces of text.
struct CellText {
    node: NodeId,
    pieces: Vec<Piece>,
}

impl Measurer<'_> {
    pub(super) fn table(&mut self, table: &Table, parent: NodeId, frame: Frame) {
        let size = self.size() * 0.9;
        let columns = table.columns.len().max(table.head.len()).max(1);
        let node = self.node(StructKind::Table, Some(parent));
        let head_node = self.node(StructKind::TableHead, Some(node));
        let body_node = self.node(StructKind::TableBody, Some(node));
        let measure_style = |m: &Self, width: f32| m.paragraph_style(size, width, false);
        // Every cell's pieces, made once; then the natural and minimal width of each column.
        let mut natural = vec![size * 2.0; columns];
        let mut minimal = vec![size * 2.0; columns];
        let mut rows: Vec<(NodeId, Vec<CellText>)> = Vec::new();
        for (row_index, row) in std::iter::once(&table.head).chain(&table.rows).enumerate() {
            let header = row_index == 0;
            let tr = self.tags.add(
                StructKind::TableRow,
                Some(if header { head_node } else { body_node }),
            );
            let mut cells = Vec::new();
            for (c, cell) in row.iter().enumerate().take(columns) {
                let kind = if header {
                    StructKind::HeaderCell
                } else {
                    StructKind::DataCell
                };
                let cell_node = self.tags.add(kind, Some(tr));
                let pieces = self.cell_pieces(cell, cell_node, size, header);
                let one_line = self.set_lines(&pieces, measure_style(self, 1.0e6));
                let wide = one_line.iter().map(|l| l.width).fold(0.0, f32::max);
                let narrow = self.set_lines(&pieces, measure_style(self, 1.0));
                let word = narrow.iter().map(|l| l.width).fold(0.0, f32::max);
                // A point to spare, so rounding never wraps a cell that fits.
                natural[c] = natural[c].max(wide + 2.0 * CELL_PADDING + 1.0);
                minimal[c] = minimal[c].max(word + 2.0 * CELL_PADDING);
                cells.push(CellText {
                    node: cell_node,
                    pieces,
                });
            }
            rows.push((tr, cells));
        }
        let widths = column_widths(&natural, &minimal, frame.width);
        self.items.push(Item::Space(size * 0.3));
        let mut rows = rows.into_iter();
        let head = match rows.next() {
            Some((tr, cells)) => self.row(tr, cells, &widths, &table.columns, size, frame, true),
            None => Row {
                need: 0.0,
                unit: Unit::default(),
            },
        };
        let body = rows
            .map(|(tr, cells)| self.row(tr, cells, &widths, &table.columns, size, frame, false))
            .collect();
        self.items.push(Item::Table {
            head: head.unit,
            rows: body,
        });
        self.items.push(Item::Space(
            self.line_height(self.size()) * self.profile.paragraph_gap,
        ));
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

    /// One row set in its columns: the cells' lines, the rules, and the room it needs.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        tr: NodeId,
        cells: Vec<CellText>,
        widths: &[f32],
        aligns: &[Align],
        size: f32,
        frame: Frame,
        header: bool,
    ) -> Row {
        let style = self.paragraph_style(size, 1.0, false);
        let mut unit = Unit {
            height: 0.0,
            parts: vec![UnitPart::Attach(tr)],
        };
        let mut most_lines = 1;
        // Right to left, the first column is on the right and the table stands at the right.
        let total: f32 = widths.iter().sum();
        let table_left = if self.rtl {
            frame.left + (frame.width - total).max(0.0)
        } else {
            frame.left
        };
        let mut x = if self.rtl {
            table_left + total
        } else {
            frame.left
        };
        for (c, (cell, width)) in cells.into_iter().zip(widths).enumerate() {
            if self.rtl {
                x -= width;
            }
            unit.parts.push(UnitPart::Attach(cell.node));
            let cell_style = ParagraphStyle {
                width: width - 2.0 * CELL_PADDING,
                ..style
            };
            let lines = self.set_lines(&cell.pieces, cell_style);
            most_lines = most_lines.max(lines.len());
            let mut dy = CELL_PADDING;
            for line in lines {
                let slack = (cell_style.width - line.width).max(0.0);
                let shift = match aligns.get(c) {
                    Some(Align::Right) => slack,
                    Some(Align::Center) => slack / 2.0,
                    Some(Align::Left) => 0.0,
                    // At the start of the line: the right, right to left.
                    _ if self.rtl => slack,
                    _ => 0.0,
                };
                unit.parts.push(UnitPart::Line {
                    dy,
                    left: x + CELL_PADDING + shift,
                    line,
                    style: cell_style,
                });
                dy += cell_style.line_height;
            }
            unit.height = unit.height.max(dy + CELL_PADDING);
            if !self.rtl {
                x += width;
            }
        }
        let x1 = table_left + total;
        if header {
            unit.parts.push(UnitPart::Draw {
                dy: 0.0,
                draw: Draw::rule(table_left, 0.0, x1, 0.0),
            });
        }
        unit.parts.push(UnitPart::Draw {
            dy: unit.height,
            draw: Draw::rule(table_left, 0.0, x1, 0.0),
        });
        Row {
            // At least one line's room, even for an empty row.
            need: most_lines as f32 * style.line_height + 2.0 * CELL_PADDING,
            unit,
        }
    }
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
