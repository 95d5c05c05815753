//! Table rows: lines that continue the cells of the line above (text wrapped
//! inside a cell), rows read cell by cell, and rows split by a page break.

use super::write::cell_text;
use super::{is_box, union, Cell, Line, PageContent, Piece};

/// Joins lines that continue the cells of the line above (text wrapped inside
/// table cells): each of their cells starts where a cell above starts, they
/// follow closely, and no rule separates them.
pub(super) fn merge_wrapped_cells(
    lines: Vec<Line>,
    rules: &[[f32; 3]],
    column_rules: &[[f32; 3]],
) -> Vec<Line> {
    // The right edge of the text: a line reaching it was full, so a line below
    // it starting at the left margin is that paragraph wrapping, not a column.
    let right_edge = lines.iter().map(|l| l.bbox[2]).fold(f32::MIN, f32::max);
    let mut out: Vec<Line> = Vec::new();
    // The baseline of the last line joined into the line above: a row whose
    // cells wrap is followed line by line.
    let mut bottom = f32::MAX;
    // The lines joined into the last line of `out`, as they were (kept once
    // there are two), and whether one was running text wrapped to the margin.
    let mut row: Vec<Line> = Vec::new();
    let mut row_is_text = false;
    for line in lines {
        if let Some(prev) = out
            .last_mut()
            .filter(|p| continues_row(p, bottom, &line, rules))
        {
            if row.is_empty() {
                row.push(prev.clone());
            }
            row.push(line.clone());
            if wraps_as_running_text(prev, &line, right_edge, column_rules) {
                row_is_text = true;
                // A tab-separated row that wrapped: it continues the last cell.
                let last = prev.cells.last_mut().expect("cells");
                last.pieces
                    .extend(line.cells.into_iter().flat_map(|c| c.pieces));
            } else {
                for c in line.cells {
                    let target = prev
                        .cells
                        .iter_mut()
                        .find(|p| (p.x0 - c.x0).abs() < 3.0)
                        .expect("aligned");
                    target.pieces.extend(c.pieces);
                }
            }
            prev.bbox = union(prev.bbox, line.bbox);
            bottom = line.baseline;
            continue;
        }
        let after_cells = settle_row(
            &mut out,
            std::mem::take(&mut row),
            row_is_text,
            column_rules,
        );
        row_is_text = false;
        bottom = line.baseline;
        out.push(Line {
            starts_block: after_cells,
            ..line
        });
    }
    settle_row(&mut out, row, row_is_text, column_rules);
    out
}

/// Whether `line` continues the table row `prev`, whose last joined line
/// has its baseline at `bottom`: it follows closely, each of its cells
/// starts where a cell of the row starts, and no row border lies between.
fn continues_row(prev: &Line, bottom: f32, line: &Line, rules: &[[f32; 3]]) -> bool {
    let close = bottom - line.baseline <= 1.5 * prev.size.max(line.size);
    // A line with a box starts an option of its own, unless the first cell
    // of the row goes on beside it (a question wrapping beside its options).
    let first_cell_goes_on = line.cells.len() >= 2
        && (line.cells[0].x0 - prev.cells[0].x0).abs() < 3.0
        && !line.cells[0].pieces.iter().any(is_box);
    let aligned = prev.cells.len() >= 2
        && line
            .cells
            .iter()
            .all(|c| prev.cells.iter().any(|p| (p.x0 - c.x0).abs() < 3.0))
        && (first_cell_goes_on || !line.pieces.iter().any(is_box));
    // A row border spans the row; an underline (a link) spans a word.
    let row_width = prev.bbox[2] - prev.bbox[0];
    let ruled = rules.iter().any(|r| {
        r[2] < bottom
            && r[2] > line.baseline + 0.5 * line.size
            && r[0] < line.bbox[2]
            && r[1] > line.bbox[0]
            && r[1] - r[0] > 0.5 * row_width
    });
    close && aligned && !ruled
}

/// Whether `line`, continuing the row `prev`, is its last cell's running
/// text wrapped back to the margin: `prev` was full (it reaches the text's
/// right edge, or ends with a box whose label is below) and `line` has only
/// the first column, with no column border drawn beside it (then it is the
/// first cell going on below a full last cell).
fn wraps_as_running_text(
    prev: &Line,
    line: &Line,
    right_edge: f32,
    column_rules: &[[f32; 3]],
) -> bool {
    let dangling_box = prev
        .cells
        .last()
        .and_then(|c| {
            c.pieces
                .iter()
                .rev()
                .find(|p| !matches!(p, Piece::Text { text, .. } if text.trim().is_empty()))
        })
        .is_some_and(is_box);
    let prev_full = prev.bbox[2] >= right_edge - 2.0 * prev.size || dangling_box;
    let only_first_column =
        line.cells.len() == 1 && (line.cells[0].x0 - prev.cells[0].x0).abs() < 3.0;
    let mid = line.baseline + 0.3 * line.size;
    let bordered = column_rules.iter().any(|r| {
        r[0] > prev.cells[0].x0 + 3.0
            && r[0] < prev.cells.last().map_or(0.0, |c| c.x0)
            && r[1] <= mid
            && r[2] >= mid
    });
    prev_full && only_first_column && !bordered
}

/// A table row whose cells hold three lines or more (a question beside a
/// long answer, a list inside a cell) is read cell by cell, each cell's
/// lines in turn, as a Word table's cells are; one wrapping over two lines
/// at most stays one line with its cells side by side ("Name | URL"). The
/// cells are those between the column borders drawn across the row, or
/// without borders the first column and the rest (a tab-separated "Name:
/// value" inside an answer cell stays on its line). True when the row was
/// read cell by cell.
fn settle_row(
    out: &mut Vec<Line>,
    row: Vec<Line>,
    row_is_text: bool,
    column_rules: &[[f32; 3]],
) -> bool {
    if row.len() < 3 || row_is_text {
        return false;
    }
    let first = &row[0];
    let mid = first.baseline + 0.3 * first.size;
    let mut borders: Vec<f32> = column_rules
        .iter()
        .filter(|r| r[1] <= mid && r[2] >= mid && r[0] > first.bbox[0])
        .map(|r| r[0])
        .collect();
    if borders.is_empty() {
        let first_column = row
            .iter()
            .flat_map(|l| l.cells.iter().map(|c| c.x0))
            .fold(f32::MAX, f32::min);
        // Just right of the first column's left edge: every other cell is past it.
        borders.push(first_column + 3.0);
    }
    let block_of = |c: &Cell| borders.iter().filter(|&&b| b < c.x0).count();
    let blocks = borders.len() + 1;
    let lines_in = |block: usize| {
        row.iter()
            .filter(|l| l.cells.iter().any(|c| block_of(c) == block))
            .count()
    };
    let filled = (0..blocks).filter(|&b| lines_in(b) > 0).count();
    if filled < 2 || (0..blocks).all(|b| lines_in(b) < 3) {
        return false;
    }
    out.pop();
    for block in 0..blocks {
        let mut starts_block = true;
        for line in &row {
            let cells: Vec<Cell> = line
                .cells
                .iter()
                .filter(|c| block_of(c) == block)
                .cloned()
                .collect();
            let pieces: Vec<Piece> = cells.iter().flat_map(|c| c.pieces.clone()).collect();
            let Some(bbox) = pieces.iter().map(Piece::bbox).reduce(union) else {
                continue;
            };
            out.push(Line {
                baseline: line.baseline,
                size: line.size,
                pieces,
                bbox,
                cells,
                hard_break: false,
                starts_block,
            });
            starts_block = false;
        }
    }
    true
}

/// A table row split by a page break: the first line of a page continues the
/// cells of the last line of the page before when the columns line up and a
/// cell goes on mid-sentence (lower case) or mid-URL. A new row would start a
/// new entry, in capitals.
pub(super) fn continue_cells_across_pages(laid: &mut [(PageContent, Vec<Line>)]) {
    for k in 1..laid.len() {
        let (before, after) = laid.split_at_mut(k);
        let (Some(prev), Some(next)) = (before[k - 1].1.last_mut(), after[0].1.first()) else {
            continue;
        };
        if prev.cells.len() < 2 || next.cells.len() < 2 || next.pieces.iter().any(is_box) {
            continue;
        }
        let aligned = next
            .cells
            .iter()
            .all(|c| prev.cells.iter().any(|p| (p.x0 - c.x0).abs() < 3.0));
        if !aligned {
            continue;
        }
        let continues = next.cells.iter().any(|c| {
            let Some(p) = prev.cells.iter().find(|p| (p.x0 - c.x0).abs() < 3.0) else {
                return false;
            };
            let prev_text: String = cell_text(&p.pieces).into_iter().map(|(_, t)| t).collect();
            let next_text: String = cell_text(&c.pieces).into_iter().map(|(_, t)| t).collect();
            let prev_end = prev_text.trim_end();
            let starts_lower = next_text
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            (starts_lower && !prev_end.ends_with(['.', '!', '?', ':']))
                || prev_end.ends_with(['/', '-', '_', '=', '&'])
        });
        if !continues {
            continue;
        }
        let next = after[0].1.remove(0);
        for c in next.cells {
            if let Some(target) = prev.cells.iter_mut().find(|p| (p.x0 - c.x0).abs() < 3.0) {
                target.pieces.extend(c.pieces);
            }
        }
    }
}
