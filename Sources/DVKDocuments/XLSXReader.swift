import DVKCore
import Foundation
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the first sheet of an Excel workbook (.xlsx) into a `CSVTable`, each record
/// numbered with the row number Excel shows. Text as typed; a number as Excel shows it
/// without a thousands separator ("0912345678" stays text, 12 is "12", 1.5 is "1.5"); a
/// cell formatted as a date as "dd/mm/yyyy" (and the time, when it has one), whatever the
/// locale of the Excel that wrote it.
public enum XLSXReader {
    /// Parts bigger than this are refused (a zip bomb, or not a registration file).
    static let partLimit = 200 * 1024 * 1024

    /// Whether the bytes are a ZIP file (an .xlsx is one), whatever the file is called.
    public static func isWorkbook(_ data: Data) -> Bool {
        data.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    public static func table(_ data: Data) throws -> CSVTable {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw unreadable }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= partLimit else { throw unreadable }
            var out = Data()
            _ = try archive.extract(entry, skipCRC32: false) { out.append($0) }
            return out
        }
        guard let workbook = try part("xl/workbook.xml") else { throw unreadable }
        let sheetPath = try firstSheetPath(workbook: workbook, relations: try part("xl/_rels/workbook.xml.rels"))
        guard let sheet = try part(sheetPath) else { throw unreadable }
        let strings = try part("xl/sharedStrings.xml").map(SharedStrings.parse) ?? []
        let dates = try part("xl/styles.xml").map(DateStyles.parse) ?? []
        let rows = try SheetRows.parse(sheet, strings: strings, dateStyles: dates)
        return try CSVTable(rows: rows)
    }

    static let unreadable = DomainError.invalid("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải .xlsx. Vui lòng mở bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”, hoặc lưu dưới dạng “CSV UTF-8”.")

    /// The path of the workbook's first sheet (its relationship, or the usual name).
    static func firstSheetPath(workbook: Data, relations: Data?) throws -> String {
        let first = XMLElements.collect(workbook, names: ["sheet"]).first
        guard let relations, let id = first?["r:id"] ?? first?.first(where: { $0.key.hasSuffix(":id") })?.value else {
            return "xl/worksheets/sheet1.xml"
        }
        let target = XMLElements.collect(relations, names: ["Relationship"]).first { $0["Id"] == id }?["Target"] ?? "worksheets/sheet1.xml"
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

/// `xl/sharedStrings.xml`: the text of each `<si>` (its `<t>`, or its runs' `<t>`s joined).
enum SharedStrings {
    static func parse(_ data: Data) throws -> [String] {
        let handler = Collector(item: "si", text: "t", skip: ["rPh"])
        let parser = XMLParser(data: data)
        parser.delegate = handler
        guard parser.parse() else { throw XLSXReader.unreadable }
        return handler.items
    }
}

/// `xl/styles.xml`: which cell styles (`cellXfs` indexes) show a date.
enum DateStyles {
    static func parse(_ data: Data) throws -> Set<Int> {
        let builtIn: Set<Int> = [14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]
        var custom: [Int: String] = [:]
        for format in XMLElements.collect(data, names: ["numFmt"]) {
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
        for (index, xf) in XMLElements.collect(data, names: ["xf"], inside: "cellXfs").enumerated() {
            if let id = xf["numFmtId"].flatMap(Int.init), isDate(id) { out.insert(index) }
        }
        return out
    }
}

/// A worksheet's rows, each cell placed by its reference ("C7" is the third column).
enum SheetRows {
    static func parse(_ data: Data, strings: [String], dateStyles: Set<Int>) throws -> [CSVTable.Record] {
        let handler = SheetHandler(strings: strings, dateStyles: dateStyles)
        let parser = XMLParser(data: data)
        parser.delegate = handler
        guard parser.parse() else { throw XLSXReader.unreadable }
        if let error = handler.error { throw error }
        return handler.rows
    }

    /// "AB12" → column 27 (0-based), or nil.
    static func column(of reference: String) -> Int? {
        var n = 0
        var letters = 0
        for c in reference.unicodeScalars {
            guard c.value >= 65 && c.value <= 90 else { break }
            n = n * 26 + Int(c.value - 64)
            letters += 1
        }
        return letters > 0 && letters <= 3 ? n - 1 : nil
    }

    /// A number as Excel shows it in a general cell: no exponent for what people type.
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        var s = String(value)
        if s.contains("e") { s = String(format: "%.15g", value) }
        return s
    }

    final class SheetHandler: NSObject, XMLParserDelegate {
        let strings: [String]
        let dateStyles: Set<Int>
        var rows: [CSVTable.Record] = []
        var error: DomainError?
        private var row: [Int: String] = [:]
        private var rowNumber = 0
        private var cellColumn = 0
        private var cellType = ""
        private var cellStyle = 0
        private var buffer = ""
        private var inValue = false
        private var inInline = false
        private var value = ""

        init(strings: [String], dateStyles: Set<Int>) {
            self.strings = strings
            self.dateStyles = dateStyles
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "row":
                rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
                row = [:]
            case "c":
                cellColumn = attributes["r"].flatMap(SheetRows.column(of:)) ?? (row.keys.max().map { $0 + 1 } ?? 0)
                cellType = attributes["t"] ?? "n"
                cellStyle = attributes["s"].flatMap(Int.init) ?? 0
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

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { buffer += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
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
                row[cellColumn] = cellText()
            case "row":
                guard let last = row.keys.max() else { return }
                guard last < 1_000 else {
                    error = DomainError.invalid("Dòng \(rowNumber) của tệp Excel có quá nhiều cột.")
                    parser.abortParsing()
                    return
                }
                rows.append(CSVTable.Record(line: rowNumber, fields: (0...last).map { row[$0] ?? "" }))
            default:
                break
            }
        }

        private func cellText() -> String {
            switch cellType {
            case "s": return Int(value).flatMap { $0 >= 0 && $0 < strings.count ? strings[$0] : nil } ?? ""
            case "inlineStr", "str": return value
            case "b": return value == "1" ? "TRUE" : "FALSE"
            case "e": return value
            default:
                guard let number = Double(value) else { return value }
                if dateStyles.contains(cellStyle), let (day, hour, minute) = XLSXReader.date(serial: number) {
                    return hour == 0 && minute == 0 ? day.vietnamese : String(format: "%@ %02d:%02d", day.vietnamese, hour, minute)
                }
                return SheetRows.text(number)
            }
        }
    }
}

/// Collects the text of repeated items (`<si>` … `<t>`), skipping some subtrees.
private final class Collector: NSObject, XMLParserDelegate {
    let item: String, text: String, skip: Set<String>
    var items: [String] = []
    private var current: String?
    private var inText = false
    private var skipping = 0

    init(item: String, text: String, skip: Set<String>) {
        self.item = item
        self.text = text
        self.skip = skip
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if skip.contains(name) { skipping += 1 }
        if name == item { current = "" }
        if name == text && skipping == 0 { inText = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText, skipping == 0 { current? += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if skip.contains(name) { skipping -= 1 }
        if name == text { inText = false }
        if name == item, let done = current { items.append(done); current = nil }
    }
}

/// The attributes of every element of some names (optionally only inside one element).
enum XMLElements {
    static func collect(_ data: Data, names: Set<String>, inside: String? = nil) -> [[String: String]] {
        let handler = Handler(names: names, inside: inside)
        let parser = XMLParser(data: data)
        parser.delegate = handler
        _ = parser.parse()
        return handler.found
    }

    private final class Handler: NSObject, XMLParserDelegate {
        let names: Set<String>
        let inside: String?
        var found: [[String: String]] = []
        private var depth = 0

        init(names: Set<String>, inside: String?) {
            self.names = names
            self.inside = inside
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if name == inside { depth += 1 }
            if names.contains(name), inside == nil || depth > 0 { found.append(attributes) }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == inside { depth -= 1 }
        }
    }
}

/// A file someone uploads or imports: an Excel workbook (by its content, whatever its
/// name) or a CSV.
public enum SpreadsheetFile {
    public static func table(_ data: Data) throws -> CSVTable {
        XLSXReader.isWorkbook(data) ? try XLSXReader.table(data) : try CSVTable(data: data)
    }
}
