import Foundation

/// An RFC 4180 reader: UTF-8 with or without BOM, CRLF or LF, quoted fields holding
/// commas, quotes ("") and line breaks. Each record knows the file line it starts on.
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// Header names as written (cleaned), in file order.
    public var header: [String]
    public var records: [Record]

    public init(data: Data) throws {
        guard var text = String(data: data, encoding: .utf8) else {
            throw DomainError.invalid("Tệp không phải văn bản UTF-8. Hãy lưu tệp dưới dạng “CSV UTF-8”.")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        try self.init(text: text)
    }

    public init(text: String) throws {
        var rows = try Self.parse(text)
        // Lines with nothing at all are skipped, as spreadsheets leave them at the end.
        rows.removeAll { $0.fields.count == 1 && $0.fields[0].isEmpty }
        guard let first = rows.first else { throw DomainError.invalid("Tệp trống: không có dòng tiêu đề.") }
        header = first.fields.map { VietnameseText.clean($0) }
        records = Array(rows.dropFirst())
    }

    /// The index of each column by its lower-cased name.
    public var columns: [String: Int] {
        var map: [String: Int] = [:]
        for (i, name) in header.enumerated() where map[name.lowercased()] == nil { map[name.lowercased()] = i }
        return map
    }

    static func parse(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteOpenedAt = 0
        var atFieldStart = true
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            atFieldStart = true
        }
        func endRecord() {
            endField()
            records.append(Record(line: recordLine, fields: fields))
            fields = []
        }
        while i < scalars.count {
            let c = scalars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(c)
                    // A line ends at "\n" or at a lone "\r".
                    if c == "\n" || (c == "\r" && !(i + 1 < scalars.count && scalars[i + 1] == "\n")) { line += 1 }
                }
            } else {
                switch c {
                case "\"" where atFieldStart:
                    inQuotes = true
                    quoteOpenedAt = line
                    atFieldStart = false
                case ",":
                    endField()
                case "\r", "\n":
                    if c == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.append(c)
                    atFieldStart = false
                }
            }
            i += 1
        }
        if inQuotes {
            throw DomainError.badFile([LineError(line: quoteOpenedAt, reasons: ["dấu ngoặc kép mở ở dòng này không được đóng"])])
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}

extension CSVTable.Record {
    /// The cleaned value of a column, "" when the column is absent or the row is short.
    public func value(_ column: Int?) -> String {
        guard let column, column < fields.count else { return "" }
        return VietnameseText.clean(fields[column])
    }

    /// The field exactly as the file has it, for a `TextRule` to check.
    public func raw(_ column: Int?) -> String {
        guard let column, column < fields.count else { return "" }
        return fields[column]
    }

    /// Like `value` but keeps the line breaks inside a field (long text fields).
    public func text(_ column: Int?) -> String {
        guard let column, column < fields.count else { return "" }
        let nfc = fields[column].precomposedStringWithCanonicalMapping.replacingOccurrences(of: "\r\n", with: "\n")
        return nfc.split(separator: "\n", omittingEmptySubsequences: false)
            .map { VietnameseText.clean(String($0)) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Writes CSV the way spreadsheets read it: quoted where needed, CRLF, optional BOM so
/// Excel shows Vietnamese. A cell that a spreadsheet would take for a formula (one that
/// starts with =, +, -, @, a tab or a carriage return) is written with a leading
/// apostrophe, so it shows as the text it is and never runs.
public enum CSVWriter {
    public static func write(header: [String], rows: [[String]], bom: Bool = false) -> String {
        var out = bom ? "\u{FEFF}" : ""
        for row in [header] + rows { out += row.map(cell).joined(separator: ",") + "\r\n" }
        return out
    }

    public static func cell(_ value: String) -> String {
        var s = value
        if let first = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { s = "'" + s }
        return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
