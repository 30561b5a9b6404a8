import DVKCore
import Foundation

/// Small workbooks for lists people open in Excel (the registration template, the units
/// table, the reminder list): sheets of text and numbers, a bold header that stays on top,
/// column widths, dates shown as dd/mm/yyyy. Text goes in inline strings, never in a
/// formula, so a cell that starts with "=" is shown as typed and never runs.
public enum SimpleWorkbook {
    public enum Style: Int, Sendable { case plain = 0, header = 1, date = 2, wrapped = 3, dateTime = 4, title = 5 }

    public enum Cell: Sendable {
        case text(String, Style)
        case number(Int)
        /// An instant, as Vietnam's wall-clock time "dd/mm/yyyy hh:mm": a real date cell,
        /// so Excel sorts and filters it as one.
        case instant(Date)
        case empty
    }

    public struct Sheet: Sendable {
        public var name: String
        public var columns: [(width: Double, style: Style)]
        public var rows: [[Cell]]
        /// XML after the sheet's data (data validations, an autofilter).
        public var tail: String
        /// Rows kept in view when scrolling (a title and the header); 0: none.
        public var frozenRows: Int

        public init(name: String, columns: [(width: Double, style: Style)], rows: [[Cell]], tail: String = "", frozenHeader: Bool = false,
                    frozenRows: Int? = nil) {
            self.name = name
            self.columns = columns
            self.rows = rows
            self.tail = tail
            self.frozenRows = frozenRows ?? (frozenHeader ? 1 : 0)
        }
    }

    /// A list: one sheet, a bold header row that stays on top and filters, widths from the
    /// content. `title` lines (what the list holds, its scope, its moment) go above the
    /// header, bold, with an empty row between.
    public static func table(name: String, title: [String] = [], header: [String], rows: [[Cell]]) throws -> Data {
        var widths = header.map { Double(min(60, max(10, $0.count + 2))) }
        for row in rows.prefix(500) {
            for (i, cell) in row.enumerated() where i < widths.count {
                switch cell {
                case .text(let t, _): widths[i] = min(60, max(widths[i], Double(t.count + 2)))
                case .instant: widths[i] = max(widths[i], 17)
                default: break
                }
            }
        }
        let above: [[Cell]] = title.isEmpty ? [] : title.map { [.text($0, .title)] } + [[]]
        let headerRow = above.count + 1
        let last = reference(max(0, header.count - 1), headerRow + rows.count)
        return try package([Sheet(name: name, columns: widths.map { ($0, .plain) }, rows: above + [header.map { .text($0, .header) }] + rows,
                                  tail: "<autoFilter ref=\"A\(headerRow):\(last)\"/>", frozenRows: headerRow)])
    }

    /// An instant as an Excel serial day (1900 system) of its Vietnam wall-clock time, to the
    /// second. Instants outside Excel's years 1900–9999 have none.
    static func serial(_ instant: Date) -> Double? {
        let days = (instant.timeIntervalSince1970 + Double(VietnamTime.offsetSeconds)) / 86_400 + 25_569
        guard days.isFinite, days >= 1, days < 2_958_466 else { return nil }
        return (days * 86_400).rounded() / 86_400
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
                case .instant(let date):
                    if let serial = serial(date) { rows += "<c r=\"\(ref)\" s=\"\(Style.dateTime.rawValue)\"><v>\(serial)</v></c>" }
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
            + (sheet.frozenRows > 0 ? "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(sheet.frozenRows)\" topLeftCell=\"A\(sheet.frozenRows + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>" : "")
            + (cols.isEmpty ? "" : "<cols>\(cols)</cols>") + "<sheetData>\(rows)</sheetData>\(sheet.tail)</worksheet>"
    }

    /// The package of the sheets, with the six styles.
    static func package(_ sheets: [Sheet]) throws -> Data {
        try WorkbookPackage.zip(sheets.map { .init(name: $0.name, xml: sheetXML($0)) }, styles: styles,
                                date: Date(timeIntervalSince1970: 1_704_067_200))
    }

    /// The six `Style`s: plain, bold header (wrapped), date dd/mm/yyyy, wrapped text, date and
    /// time dd/mm/yyyy hh:mm, bold title.
    static let styles = XML.declaration + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        + "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/><numFmt numFmtId=\"165\" formatCode=\"dd/mm/yyyy hh:mm\"/></numFmts>"
        + "<fonts count=\"2\"><font><sz val=\"12\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"12\"/><name val=\"Times New Roman\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"6\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"center\"/></xf>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf>"
        + "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
}
