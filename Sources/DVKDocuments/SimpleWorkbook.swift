import DVKCore
import Foundation

/// Small workbooks for lists people open in Excel (the registration template, the units
/// table, the reminder list): sheets of text and numbers, a bold header that stays on top,
/// column widths, dates shown as dd/mm/yyyy. Text goes in inline strings, never in a
/// formula, so a cell that starts with "=" is shown as typed and never runs.
public enum SimpleWorkbook {
    public enum Style: Int, Sendable { case plain = 0, header = 1, date = 2, wrapped = 3 }

    public enum Cell: Sendable {
        case text(String, Style)
        case number(Int)
        case empty
    }

    public struct Sheet: Sendable {
        public var name: String
        public var columns: [(width: Double, style: Style)]
        public var rows: [[Cell]]
        /// XML after the sheet's data (data validations, an autofilter).
        public var tail: String
        public var frozenHeader: Bool

        public init(name: String, columns: [(width: Double, style: Style)], rows: [[Cell]], tail: String = "", frozenHeader: Bool = false) {
            self.name = name
            self.columns = columns
            self.rows = rows
            self.tail = tail
            self.frozenHeader = frozenHeader
        }
    }

    /// A list: one sheet, a bold header row that stays on top and filters, widths from the content.
    public static func table(name: String, header: [String], rows: [[Cell]]) throws -> Data {
        var widths = header.map { Double(min(60, max(10, $0.count + 2))) }
        for row in rows.prefix(500) {
            for (i, cell) in row.enumerated() where i < widths.count {
                if case .text(let t, _) = cell { widths[i] = min(60, max(widths[i], Double(t.count + 2))) }
            }
        }
        let last = reference(max(0, header.count - 1), rows.count + 1)
        return try package([Sheet(name: name, columns: widths.map { ($0, .plain) }, rows: [header.map { .text($0, .header) }] + rows,
                                  tail: "<autoFilter ref=\"A1:\(last)\"/>", frozenHeader: true)])
    }

    /// "C7", or "$C$7".
    static func reference(_ column: Int, _ row: Int, absolute: Bool = false) -> String {
        let name = WorkbookPackage.columnName(column)
        return absolute ? "$\(name)$\(row)" : "\(name)\(row)"
    }

    static func sheetXML(_ sheet: Sheet) -> String {
        var rows = ""
        for (r, row) in sheet.rows.enumerated() where !row.isEmpty {
            rows += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = reference(c, r + 1)
                switch cell {
                case .text(let value, let style):
                    rows += "<c r=\"\(ref)\" t=\"inlineStr\"\(style == .plain ? "" : " s=\"\(style.rawValue)\"")><is><t xml:space=\"preserve\">\(XML.escape(value))</t></is></c>"
                case .number(let n):
                    rows += "<c r=\"\(ref)\"><v>\(n)</v></c>"
                case .empty:
                    break
                }
            }
            rows += "</row>"
        }
        let cols = sheet.columns.enumerated().map { i, c in
            "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.width)\"\(c.style == .plain ? "" : " style=\"\(c.style.rawValue)\"") customWidth=\"1\"/>"
        }.joined()
        return XML.declaration + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + (sheet.frozenHeader ? "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>" : "")
            + (cols.isEmpty ? "" : "<cols>\(cols)</cols>") + "<sheetData>\(rows)</sheetData>\(sheet.tail)</worksheet>"
    }

    /// The package of the sheets, with the four styles.
    static func package(_ sheets: [Sheet]) throws -> Data {
        try WorkbookPackage.zip(sheets.map { .init(name: $0.name, xml: sheetXML($0)) }, styles: styles,
                                date: Date(timeIntervalSince1970: 1_704_067_200))
    }

    /// The four `Style`s: plain, bold header (wrapped), date dd/mm/yyyy, wrapped text.
    static let styles = XML.declaration + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
        + "<fonts count=\"2\"><font><sz val=\"12\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"12\"/><name val=\"Times New Roman\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"center\"/></xf>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
}
