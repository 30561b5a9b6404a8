import DVKCore
import Foundation

/// Writes a tabular `Document` as SpreadsheetML (.xlsx) by hand: one sheet laid out on the
/// columns of the document's main table. Paragraphs become merged rows across the sheet,
/// borderless tables (header bands, signatures) are spread over the columns by width,
/// bordered tables map cell for cell with numbers as numbers and, in "Tổng:" rows, SUM
/// formulas that carry their computed value.
enum XLSXWriter {
    static func write(_ document: Document) throws -> Data {
        var sheet = SheetBuilder(document: document)
        sheet.build()
        return try WorkbookPackage.zip(
            [.init(name: document.kind.label, xml: sheet.xml(page: document.page), printTitles: sheet.printTitles)],
            styles: sheet.styles.xml,
            properties: .init(core: DOCXWriter.coreProperties(document), app: DOCXWriter.appProperties),
            date: document.date.stampDate)
    }
}

/// Fonts, borders and cell formats, each written once and referred to by index.
struct SheetStyles {
    struct Font: Hashable { var bold: Bool; var italic: Bool; var size: Double }
    struct Format: Hashable {
        var font: Int
        var bordered: Bool
        var horizontal: String
        var vertical: String
    }

    private(set) var fonts: [Font] = [Font(bold: false, italic: false, size: 12)]
    private(set) var formats: [Format] = []
    private var fontIndex: [Font: Int] = [Font(bold: false, italic: false, size: 12): 0]
    private var formatIndex: [Format: Int] = [:]

    /// The cell format index (0 is the plain default).
    mutating func format(bold: Bool, italic: Bool, size: Double, bordered: Bool, alignment: Alignment, vertical: VerticalAlignment) -> Int {
        let font = Font(bold: bold, italic: italic, size: size)
        let f: Int
        if let known = fontIndex[font] { f = known } else {
            f = fonts.count
            fonts.append(font)
            fontIndex[font] = f
        }
        let horizontal = switch alignment {
        case .left: "left"
        case .center: "center"
        case .right: "right"
        case .justified: "justify"
        }
        let format = Format(font: f, bordered: bordered, horizontal: horizontal, vertical: vertical == .center ? "center" : "top")
        if let known = formatIndex[format] { return known + 1 }
        formats.append(format)
        formatIndex[format] = formats.count - 1
        return formats.count
    }

    var xml: String {
        var out = XML.declaration + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        out += "<fonts count=\"\(fonts.count)\">"
        for font in fonts {
            out += "<font>" + (font.bold ? "<b/>" : "") + (font.italic ? "<i/>" : "")
                + "<sz val=\"\(Self.number(font.size))\"/><name val=\"Times New Roman\"/><family val=\"1\"/></font>"
        }
        out += "</fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        out += "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border>"
        for side in ["left", "right", "top", "bottom"] { out += "<\(side) style=\"thin\"><color auto=\"1\"/></\(side)>" }
        out += "<diagonal/></border></borders>"
        out += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        out += "<cellXfs count=\"\(formats.count + 1)\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        for format in formats {
            out += "<xf numFmtId=\"0\" fontId=\"\(format.font)\" fillId=\"0\" borderId=\"\(format.bordered ? 1 : 0)\" xfId=\"0\" "
                + "applyFont=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"\(format.horizontal)\" "
                + "vertical=\"\(format.vertical)\" wrapText=\"1\"/></xf>"
        }
        out += "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }
}

/// Lays the document's blocks out on sheet rows.
private struct SheetBuilder {
    enum Value { case text(String), number(Int), sum(range: String, cached: Int), subtotal(range: String, cached: Int) }
    struct Cell { var column: Int; var value: Value?; var style: Int }
    struct Row { var cells: [Cell] = []; var height: Double }

    let document: Document
    /// Sheet column widths in points.
    let columnPoints: [Double]
    var rows: [Row] = []
    var merges: [String] = []
    var styles = SheetStyles()
    var printTitles: ClosedRange<Int>?

    init(document: Document) {
        self.document = document
        let width = document.page.contentWidth
        columnPoints = document.mainTable?.columnWidths(for: width) ?? [width]
    }

    var columnCount: Int { columnPoints.count }

    mutating func build() {
        for block in document.blocks {
            switch block {
            case .paragraph(let p): addParagraphRow(p)
            case .table(let t) where t.borders: addDataTable(t)
            case .table(let t): addLayoutTable(t)
            }
        }
    }

    /// Sheet column boundaries for a table's columns, spread by width.
    func boundaries(for table: Table) -> [Int] {
        if table.columnWeights.count == columnCount { return Array(0...columnCount) }
        let total = table.columnWeights.reduce(0, +)
        var out = [0]
        var acc = 0.0
        for (i, weight) in table.columnWeights.enumerated() {
            acc += weight
            let ideal = Int((acc / max(total, 1e-9) * Double(columnCount)).rounded())
            let remainingColumns = table.columnWeights.count - i - 1
            out.append(min(max(ideal, (out.last ?? 0) + 1), columnCount - remainingColumns))
        }
        out[out.count - 1] = columnCount
        return out
    }

    func width(from start: Int, to end: Int) -> Double {
        columnPoints[start..<max(start, min(end, columnCount))].reduce(0, +)
    }

    /// Row height in points for text in a given width: lines × 1.2 × size, plus padding.
    func height(_ paragraphs: [Paragraph], width: Double) -> Double {
        var h = 0.0
        for p in paragraphs {
            let lines = TextMetrics.lineCount(p.plainText, size: p.size, bold: p.isBold, width: max(10, width - 6))
            h += Double(lines) * p.size * 1.2 + p.spaceBefore + p.spaceAfter
        }
        return max(h, 12) + 3
    }

    mutating func style(_ p: Paragraph?, bordered: Bool, vertical: VerticalAlignment) -> Int {
        let p = p ?? Paragraph("", size: 12)
        return styles.format(bold: p.isBold, italic: p.isItalic, size: p.size, bordered: bordered,
                             alignment: p.alignment, vertical: vertical)
    }

    mutating func addParagraphRow(_ p: Paragraph) {
        let r = rows.count + 1
        let text = p.plainText
        let s = style(p, bordered: false, vertical: .center)
        rows.append(Row(cells: [Cell(column: 0, value: text.isEmpty ? nil : .text(text), style: s)],
                        height: height([p], width: width(from: 0, to: columnCount))))
        if columnCount > 1 { merges.append("A\(r):\(WorkbookPackage.columnName(columnCount - 1))\(r)") }
    }

    /// Header bands and signature blocks: each cell's paragraphs go one per sheet row,
    /// merged over the sheet columns the cell covers.
    mutating func addLayoutTable(_ table: Table) {
        let grid = TableGrid(table)
        let bounds = boundaries(for: table)
        for r in table.rows.indices {
            let placed = grid.starts[r]
            let lines = placed.map(\.cell.paragraphs.count).max() ?? 0
            for line in 0..<lines {
                let sheetRow = rows.count + 1
                var row = Row(height: 12)
                for cell in placed where line < cell.cell.paragraphs.count {
                    let p = cell.cell.paragraphs[line]
                    let start = bounds[cell.column], end = bounds[cell.column + cell.columnSpan]
                    let text = p.plainText
                    row.cells.append(Cell(column: start, value: text.isEmpty ? nil : .text(text),
                                          style: style(p, bordered: false, vertical: .center)))
                    row.height = max(row.height, height([p], width: width(from: start, to: end)))
                    if end - start > 1 {
                        merges.append("\(WorkbookPackage.columnName(start))\(sheetRow):\(WorkbookPackage.columnName(end - 1))\(sheetRow)")
                    }
                }
                rows.append(row)
            }
        }
    }

    /// A bordered table, cell for cell. Every position of a merged range gets a bordered
    /// cell of its own, or spreadsheet programs draw the range without its borders.
    mutating func addDataTable(_ table: Table) {
        let grid = TableGrid(table)
        let bounds = boundaries(for: table)
        let first = rows.count + 1
        if table.headerRowCount > 0, printTitles == nil, table == document.mainTable {
            printTitles = first...(first + table.headerRowCount - 1)
        }
        var bodyRows: [Int] = []
        /// The body rows of the group open now (since its heading or the last "Cộng").
        var groupRows: [Int] = []
        let hasSubtotals = table.rows.contains { $0.role == .subtotal }
        var numbers: [Int: [Int: Int]] = [:]  // sheet row -> sheet column -> value
        for (r, row) in table.rows.enumerated() {
            let sheetRow = first + r
            var sheetCells: [Int: Cell] = [:]
            var rowHeight = 12.0
            for placed in grid.starts[r] {
                let start = bounds[placed.column], end = bounds[placed.column + placed.columnSpan]
                let p = placed.cell.paragraphs.first
                let s = style(p, bordered: true, vertical: placed.cell.verticalAlignment)
                var value: Value?
                if let number = placed.cell.number {
                    if row.role == .subtotal, let low = groupRows.first, let high = groupRows.last {
                        let column = WorkbookPackage.columnName(start)
                        let cached = groupRows.reduce(0) { $0 + (numbers[$1]?[start] ?? 0) }
                        value = .subtotal(range: "\(column)\(low):\(column)\(high)", cached: cached)
                    } else if row.role == .total, !bodyRows.isEmpty, let low = bodyRows.first, let high = bodyRows.last {
                        let column = WorkbookPackage.columnName(start)
                        let cached = bodyRows.reduce(0) { $0 + (numbers[$1]?[start] ?? 0) }
                        value = hasSubtotals ? .subtotal(range: "\(column)\(low):\(column)\(high)", cached: cached)
                            : .sum(range: "\(column)\(low):\(column)\(high)", cached: cached)
                        _ = number
                    } else {
                        value = .number(number)
                        numbers[sheetRow, default: [:]][start] = number
                    }
                } else {
                    let text = placed.cell.paragraphs.map(\.plainText).joined(separator: "\n")
                    value = text.isEmpty ? nil : .text(text)
                }
                for rr in 0..<placed.rowSpan {
                    for c in start..<end {
                        if rr == 0, c == start {
                            sheetCells[c] = Cell(column: c, value: value, style: s)
                        } else if rr == 0 {
                            sheetCells[c] = Cell(column: c, value: nil, style: s)
                        }
                    }
                }
                if placed.rowSpan == 1 {
                    rowHeight = max(rowHeight, height(placed.cell.paragraphs, width: width(from: start, to: end)))
                }
                if end - start > 1 || placed.rowSpan > 1 {
                    merges.append("\(WorkbookPackage.columnName(start))\(sheetRow):\(WorkbookPackage.columnName(end - 1))\(sheetRow + placed.rowSpan - 1)")
                }
            }
            for continuation in grid.continuations[r] {
                let start = bounds[continuation.column], end = bounds[continuation.column + continuation.columnSpan]
                let p = continuation.origin.cell.paragraphs.first
                let s = style(p, bordered: true, vertical: continuation.origin.cell.verticalAlignment)
                for c in start..<end { sheetCells[c] = Cell(column: c, value: nil, style: s) }
            }
            switch row.role {
            case .body:
                bodyRows.append(sheetRow)
                groupRows.append(sheetRow)
            case .group, .subtotal: groupRows = []
            default: break
            }
            rows.append(Row(cells: sheetCells.keys.sorted().compactMap { sheetCells[$0] }, height: rowHeight))
        }
        // Rows spanned by a merged header cell share its height.
        rows.append(Row(height: max(6, table.spaceAfter)))
    }

    func xml(page: PageSetup) -> String {
        let last = WorkbookPackage.columnName(max(0, columnCount - 1))
        var out = XML.declaration + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        out += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr><dimension ref=\"A1:\(last)\(max(1, rows.count))\"/>"
        out += "<sheetViews><sheetView workbookViewId=\"0\" showGridLines=\"0\"/></sheetViews><sheetFormatPr defaultRowHeight=\"15.75\"/>"
        out += "<cols>"
        for (i, points) in columnPoints.enumerated() {
            // Column width is in characters of the default font's digit (Times New Roman
            // 12 pt: 6 pt), plus the cell's padding.
            out += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(String(format: "%.2f", points / 6 + 0.7))\" customWidth=\"1\"/>"
        }
        out += "</cols><sheetData>"
        for (index, row) in rows.enumerated() {
            let r = index + 1
            out += "<row r=\"\(r)\" ht=\"\(String(format: "%.2f", row.height))\" customHeight=\"1\">"
            for cell in row.cells {
                let ref = "\(WorkbookPackage.columnName(cell.column))\(r)"
                switch cell.value {
                case .none:
                    out += "<c r=\"\(ref)\" s=\"\(cell.style)\"/>"
                case .text(let text)?:
                    out += "<c r=\"\(ref)\" s=\"\(cell.style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XML.escape(text))</t></is></c>"
                case .number(let n)?:
                    out += "<c r=\"\(ref)\" s=\"\(cell.style)\"><v>\(n)</v></c>"
                case let .sum(range, cached)?:
                    out += "<c r=\"\(ref)\" s=\"\(cell.style)\"><f>SUM(\(range))</f><v>\(cached)</v></c>"
                case let .subtotal(range, cached)?:
                    // 9: a sum that leaves out the SUBTOTALs inside its range.
                    out += "<c r=\"\(ref)\" s=\"\(cell.style)\"><f>SUBTOTAL(9,\(range))</f><v>\(cached)</v></c>"
                }
            }
            out += "</row>"
        }
        out += "</sheetData>"
        if !merges.isEmpty {
            out += "<mergeCells count=\"\(merges.count)\">" + merges.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        }
        let inch = { (millimetres: Double) in String(format: "%.3f", millimetres / 25.4) }
        out += "<printOptions horizontalCentered=\"1\"/>"
        out += "<pageMargins left=\"\(inch(page.leftMM))\" right=\"\(inch(page.rightMM))\" top=\"\(inch(page.topMM))\" "
            + "bottom=\"\(inch(page.bottomMM))\" header=\"\(inch(10))\" footer=\"\(inch(10))\"/>"
        out += "<pageSetup paperSize=\"9\" orientation=\"\(page.orientation.rawValue)\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        // Page numbers from page 2, centred at the top, as in the Word and PDF forms.
        out += "<headerFooter differentFirst=\"1\"><oddHeader>\(XML.escape("&C&\"Times New Roman,Regular\"&14&P"))</oddHeader>"
            + "<firstHeader></firstHeader></headerFooter>"
        out += "</worksheet>"
        return out
    }
}
