import DVKCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the first sheet of an Excel workbook (.xlsx) into a `CSVTable`, each record
/// numbered with the row number Excel shows. Text as typed; a number as Excel shows it
/// without a thousands separator ("0912345678" stays text, 12 is "12", 1.5 is "1.5"); a
/// cell formatted as a date as "dd/mm/yyyy" (and the time, when it has one), whatever the
/// locale of the Excel that wrote it.
public enum XLSXReader {
    /// Whether the bytes are a ZIP file (an .xlsx is one), whatever the file is called.
    public static func isWorkbook(_ data: Data) -> Bool {
        data.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    /// The first sheet, read within `limits`: the parts' inflated bytes are counted as they
    /// come out of the archive (what its headers declare is not trusted), a part with a
    /// document type declaration (entities: "billion laughs") is refused, elements nest at
    /// most `XMLLimits.depth` deep, rows and columns are checked against Excel's range and
    /// the limits before any arithmetic on them.
    public static func table(_ data: Data, limits: SpreadsheetLimits = .upload) throws -> CSVTable {
        let archive: ZIPReader
        do { archive = try ZIPReader(data) } catch { throw unreadable }
        var inflated = 0
        func part(_ path: String) throws -> Data? {
            do {
                return try archive.part(path, inflated: &inflated, limit: limits.bytes, tooLarge: limits.tooManyBytes)
            } catch let error as DomainError {
                throw error
            } catch {
                throw unreadable
            }
        }
        guard let workbook = try part("xl/workbook.xml") else { throw unreadable }
        let sheetPath = try firstSheetPath(workbook: workbook, relations: try part("xl/_rels/workbook.xml.rels"))
        guard let sheet = try part(sheetPath) else { throw unreadable }
        let strings = try part("xl/sharedStrings.xml").map { try SharedStrings.parse($0, limits: limits) } ?? []
        let dates = try part("xl/styles.xml").map(DateStyles.parse) ?? []
        let rows = try SheetRows.parse(sheet, strings: strings, dateStyles: dates, limits: limits)
        return try CSVTable(rows: rows)
    }

    static let unreadable = DomainError.invalid("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải .xlsx. Vui lòng mở bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”, hoặc lưu dưới dạng “CSV UTF-8”.")

    /// The path of the workbook's first sheet (its relationship, or the usual name).
    static func firstSheetPath(workbook: Data, relations: Data?) throws -> String {
        let first = try XMLElements.collect(workbook, names: ["sheet"]).first
        guard let relations, let id = first?["r:id"] ?? first?.first(where: { $0.key.hasSuffix(":id") })?.value else {
            return "xl/worksheets/sheet1.xml"
        }
        let target = try XMLElements.collect(relations, names: ["Relationship"]).first { $0["Id"] == id }?["Target"] ?? "worksheets/sheet1.xml"
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    /// An Excel serial day (1900 system) as a calendar day and time.
    static func date(serial: Double) -> (CalendarDay, hour: Int, minute: Int)? {
        guard serial >= 1, serial < 2_958_466 else { return nil }
        // Day 0 is 30/12/1899 for every serial after Excel's phantom 29/02/1900 (serial 60).
        let seconds = ((serial - 25_569) * 86_400).rounded()
        let f = VietnamTime.fields(Date(timeIntervalSince1970: seconds - 7 * 3600))
        return (CalendarDay(year: f.year, month: f.month, day: f.day), f.hour, f.minute)
    }
}

/// `xl/sharedStrings.xml`: the text of each `<si>` (its `<t>`, or its runs' `<t>`s joined),
/// each at most a cell's length.
enum SharedStrings {
    static func parse(_ data: Data, limits: SpreadsheetLimits) throws -> [String] {
        let handler = Collector(item: "si", text: "t", skip: ["rPh"], maxLength: limits.cellLength)
        try BoundedXML.parse(data, handler)
        return handler.items
    }
}

/// `xl/styles.xml`: which cell styles (`cellXfs` indexes) show a date.
enum DateStyles {
    static func parse(_ data: Data) throws -> Set<Int> {
        let builtIn: Set<Int> = [14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]
        var custom: [Int: String] = [:]
        for format in try XMLElements.collect(data, names: ["numFmt"]) {
            if let id = format["numFmtId"].flatMap(Int.init), let code = format["formatCode"] { custom[id] = code }
        }
        func isDate(_ id: Int) -> Bool {
            if builtIn.contains(id) { return true }
            guard let code = custom[id] else { return false }
            // Quoted text and [colours] aside, a date format has a d, m or y (and no 0 or #).
            var plain = ""
            var quoted = false, bracket = false
            for c in code.lowercased() {
                if c == "\"" { quoted.toggle(); continue }
                if c == "[" { bracket = true; continue }
                if c == "]" { bracket = false; continue }
                if !quoted && !bracket { plain.append(c) }
            }
            return plain.contains(where: { "dmy".contains($0) }) && !plain.contains(where: { "0#".contains($0) })
        }
        var out: Set<Int> = []
        for (index, xf) in try XMLElements.collect(data, names: ["xf"], inside: "cellXfs").enumerated() {
            if let id = xf["numFmtId"].flatMap(Int.init), isDate(id) { out.insert(index) }
        }
        return out
    }
}

/// A worksheet's rows, each cell placed by its reference ("C7" is the third column).
enum SheetRows {
    /// Excel's own range: rows 1…1,048,576, columns A…XFD.
    static let maxRow = 1_048_576
    static let maxColumn = 16_384

    static func parse(_ data: Data, strings: [String], dateStyles: Set<Int>, limits: SpreadsheetLimits) throws -> [CSVTable.Record] {
        let handler = SheetHandler(strings: strings, dateStyles: dateStyles, limits: limits)
        try BoundedXML.parse(data, handler)
        return handler.rows
    }

    /// "AB12" → column 27 (0-based), or nil when the letters are not a column of Excel's range.
    static func column(of reference: String) -> Int? {
        var n = 0
        var letters = 0
        for c in reference.unicodeScalars {
            guard c.value >= 65 && c.value <= 90 else { break }
            letters += 1
            guard letters <= 3 else { return nil }
            n = n * 26 + Int(c.value - 64)
        }
        return letters > 0 && n <= maxColumn ? n - 1 : nil
    }

    /// A row number of Excel's range, or nil.
    static func row(_ text: String) -> Int? {
        guard text.utf8.count <= 7, let n = Int(text), n >= 1, n <= maxRow else { return nil }
        return n
    }

    /// A number as Excel shows it in a general cell: no exponent for what people type.
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var s = String(value)
        if s.contains("e") { s = String(format: "%.15g", value) }
        return s
    }

    final class SheetHandler: BoundedXML.Handler {
        let strings: [String]
        let dateStyles: Set<Int>
        let limits: SpreadsheetLimits
        var rows: [CSVTable.Record] = []
        private var row: [Int: String] = [:]
        private var lastColumn = -1
        private var rowNumber = 0
        private var cellColumn = 0
        private var cellType = ""
        private var cellStyle = 0
        private var buffer = ""
        private var inValue = false
        private var inInline = false
        private var value = ""

        init(strings: [String], dateStyles: Set<Int>, limits: SpreadsheetLimits) {
            self.strings = strings
            self.dateStyles = dateStyles
            self.limits = limits
        }

        override func start(_ name: String, _ attributes: [String: String]) throws {
            switch name {
            case "row":
                // Rows come in order, each of Excel's range; one without a number follows the last.
                let number = try attributes["r"].map { try SheetRows.row($0) ?? { throw XLSXReader.unreadable }() } ?? rowNumber + 1
                guard number > rowNumber, number <= SheetRows.maxRow else { throw XLSXReader.unreadable }
                rowNumber = number
                row = [:]
                lastColumn = -1
                cellColumn = -1
            case "c":
                cellColumn = try attributes["r"].map { try SheetRows.column(of: $0) ?? { throw XLSXReader.unreadable }() } ?? cellColumn + 1
                cellType = attributes["t"] ?? "n"
                cellStyle = attributes["s"].flatMap { $0.utf8.count <= 9 ? Int($0) : nil } ?? 0
                value = ""
            case "v":
                inValue = true
                buffer = ""
            case "is":
                inInline = true
                buffer = ""
            case "t" where inInline:
                inValue = true
            default:
                break
            }
        }

        override func text(_ string: String) throws {
            guard inValue else { return }
            buffer += string
            // Bytes bound characters from above: the exact count only when it may matter.
            if buffer.utf8.count > limits.cellLength, buffer.count > limits.cellLength {
                throw limits.cellTooLong(line: rowNumber, column: cellColumn + 1)
            }
        }

        override func end(_ name: String) throws {
            switch name {
            case "v":
                inValue = false
                value = buffer
            case "t" where inInline:
                inValue = false
            case "is":
                inInline = false
                value = buffer
            case "c":
                // An empty cell (only a style) does not widen the row.
                let text = cellText()
                guard !text.isEmpty else { return }
                guard cellColumn < limits.columns else { throw limits.tooManyColumns(line: rowNumber, column: cellColumn + 1) }
                row[cellColumn] = text
                lastColumn = max(lastColumn, cellColumn)
            case "row":
                let last = lastColumn
                guard last >= 0 else { return }
                guard rows.count < limits.records else { throw limits.tooManyRecords }
                rows.append(CSVTable.Record(line: rowNumber, fields: (0...last).map { row[$0] ?? "" }))
            default:
                break
            }
        }

        private func cellText() -> String {
            switch cellType {
            case "s": return value.utf8.count <= 9 ? Int(value).flatMap { $0 >= 0 && $0 < strings.count ? strings[$0] : nil } ?? "" : ""
            case "inlineStr", "str": return value
            case "b": return value == "1" ? "TRUE" : "FALSE"
            case "e": return value
            default:
                guard let number = Double(value), number.isFinite else { return value }
                if dateStyles.contains(cellStyle), let (day, hour, minute) = XLSXReader.date(serial: number) {
                    return hour == 0 && minute == 0 ? day.vietnamese : String(format: "%@ %02d:%02d", day.vietnamese, hour, minute)
                }
                return SheetRows.text(number)
            }
        }
    }
}

/// Collects the text of repeated items (`<si>` … `<t>`), skipping some subtrees.
private final class Collector: BoundedXML.Handler {
    let item: String, text: String, skip: Set<String>, maxLength: Int
    var items: [String] = []
    private var current: String?
    private var inText = false
    private var skipping = 0

    init(item: String, text: String, skip: Set<String>, maxLength: Int) {
        self.item = item
        self.text = text
        self.skip = skip
        self.maxLength = maxLength
    }

    override func start(_ name: String, _ attributes: [String: String]) throws {
        if skip.contains(name) { skipping += 1 }
        if name == item { current = "" }
        if name == text && skipping == 0 { inText = true }
    }

    override func text(_ string: String) throws {
        guard inText, skipping == 0, current != nil else { return }
        current! += string
        if current!.utf8.count > maxLength, current!.count > maxLength {
            throw DomainError.badFile([LineError(line: 0, reasons: ["một ô của tệp dài quá \(VietnameseText.number(maxLength)) ký tự (giới hạn một ô của Excel)"])])
        }
    }

    override func end(_ name: String) throws {
        if skip.contains(name) { skipping -= 1 }
        if name == text { inText = false }
        if name == item, let done = current { items.append(done); current = nil }
    }
}

/// The attributes of every element of some names (optionally only inside one element).
enum XMLElements {
    static func collect(_ data: Data, names: Set<String>, inside: String? = nil) throws -> [[String: String]] {
        let handler = Handler(names: names, inside: inside)
        try BoundedXML.parse(data, handler)
        return handler.found
    }

    private final class Handler: BoundedXML.Handler {
        let names: Set<String>
        let inside: String?
        var found: [[String: String]] = []
        private var depth = 0

        init(names: Set<String>, inside: String?) {
            self.names = names
            self.inside = inside
        }

        override func start(_ name: String, _ attributes: [String: String]) throws {
            if name == inside { depth += 1 }
            if names.contains(name), inside == nil || depth > 0 { found.append(attributes) }
        }

        override func end(_ name: String) throws {
            if name == inside { depth -= 1 }
        }
    }
}

/// Foundation's XMLParser (libxml2's SAX reader) with its cost bounded by the caller's
/// handler: no document type declaration (so no entity can expand), elements at most
/// `maxDepth` deep, and any error a handler throws ends the parse and is rethrown.
enum BoundedXML {
    static let maxDepth = 64

    class Handler: NSObject, XMLParserDelegate {
        fileprivate var nesting = 0
        fileprivate var failure: (any Error)?

        func start(_ name: String, _ attributes: [String: String]) throws {}
        func text(_ string: String) throws {}
        func end(_ name: String) throws {}

        private func guarded(_ parser: XMLParser, _ body: () throws -> Void) {
            guard failure == nil else { return }
            do { try body() } catch {
                failure = error
                parser.abortParsing()
            }
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            guarded(parser) {
                nesting += 1
                guard nesting <= BoundedXML.maxDepth else { throw XLSXReader.unreadable }
                try start(name, attributes)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guarded(parser) { try text(string) }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guarded(parser) {
                nesting -= 1
                try end(name)
            }
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            guarded(parser) { throw XLSXReader.unreadable }
        }
    }

    static func parse(_ data: Data, _ handler: Handler) throws {
        guard data.range(of: Data("<!DOCTYPE".utf8)) == nil else { throw XLSXReader.unreadable }
        // Fed as a stream, in chunks: libxml2 refuses a single chunk over 10 MB ("huge input
        // lookup"), which a sheet of a few thousand rows can pass.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.delegate = handler
        let ok = parser.parse()
        if let failure = handler.failure { throw failure }
        guard ok else { throw XLSXReader.unreadable }
    }
}

/// A file someone uploads or imports: an Excel workbook (by its content, whatever its
/// name) or a CSV.
public enum SpreadsheetFile {
    public static func table(_ data: Data, limits: SpreadsheetLimits = .upload) throws -> CSVTable {
        XLSXReader.isWorkbook(data) ? try XLSXReader.table(data, limits: limits) : try CSVTable(data: data, limits: limits)
    }
}
