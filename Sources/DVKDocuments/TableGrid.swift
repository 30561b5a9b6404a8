/// Where each cell of a `Table` sits on the column grid, with merges resolved once for
/// all three renderers (a row lists only the cells that start in it).
struct TableGrid {
    struct Placed {
        var row: Int
        var column: Int
        var cell: TableCell
        var columnSpan: Int { cell.columnSpan }
        var rowSpan: Int { cell.rowSpan }
    }

    /// A position covered by a vertical merge started in an earlier row.
    struct Continuation {
        var column: Int
        var columnSpan: Int
        var origin: Placed
    }

    let columnCount: Int
    /// Per row, the cells starting in it, by column.
    private(set) var starts: [[Placed]]
    /// Per row, the vertically merged cells from above that cover it, by column.
    private(set) var continuations: [[Continuation]]

    init(_ table: Table) {
        columnCount = table.columnWeights.count
        starts = Array(repeating: [], count: table.rows.count)
        continuations = Array(repeating: [], count: table.rows.count)
        // covered[r][c] is true once a cell (or a merge from above) claims it.
        var covered = Array(repeating: Array(repeating: false, count: columnCount), count: table.rows.count)
        for (r, row) in table.rows.enumerated() {
            var column = 0
            for cell in row.cells {
                while column < columnCount, covered[r][column] { column += 1 }
                guard column < columnCount else { break }
                // A span that would run past the grid or the table is cut to fit: bad
                // spans from a caller must not crash a render.
                var span = min(cell.columnSpan, columnCount - column)
                if let blocked = (column..<(column + span)).first(where: { covered[r][$0] }) { span = blocked - column }
                var placedCell = cell
                placedCell.columnSpan = span
                placedCell.rowSpan = min(cell.rowSpan, table.rows.count - r)
                let placed = Placed(row: r, column: column, cell: placedCell)
                starts[r].append(placed)
                for rr in r..<(r + placedCell.rowSpan) {
                    for cc in column..<(column + span) { covered[rr][cc] = true }
                    if rr > r { continuations[rr].append(Continuation(column: column, columnSpan: span, origin: placed)) }
                }
                column += span
            }
        }
    }
}
