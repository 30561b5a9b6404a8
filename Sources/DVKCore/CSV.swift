import Foundation

/// A table read from a spreadsheet file: a header and records, each record with the line
/// (or, from an .xlsx, the row number) a person sees it on.
///
/// As CSV it reads RFC 4180: UTF-8 with or without BOM (or UTF-16 with its BOM, as Excel's
/// "Unicode Text" saves), CRLF or LF, quoted fields holding the delimiter, quotes ("") and
/// line breaks. The delimiter is the one the header line uses: a comma, a semicolon (what
/// Excel saves under a Vietnamese locale) or a tab.
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// Header names as written (cleaned), in file order.
    public var header: [String]
    public var records: [Record]

    public init(data: Data, limits: SpreadsheetLimits = .upload) throws {
        guard data.count <= limits.bytes else { throw limits.tooManyBytes }
        try self.init(text: try Self.decode(data), limits: limits)
    }

    /// A table someone else read (an .xlsx, within its limits): the first record is the header.
    public init(rows: [Record]) throws {
        let kept = rows.filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        guard let first = kept.first else { throw DomainError.invalid("Tệp trống: không có dòng tiêu đề.") }
        header = first.fields.map { VietnameseText.clean($0) }
        records = Array(kept.dropFirst())
    }

    /// The file's text: UTF-8 (a BOM or not) or UTF-16 with a BOM. Anything else is refused
    /// naming what it probably is, with how to save it right.
    static func decode(_ data: Data) throws -> String {
        let bytes = [UInt8](data.prefix(3))
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else {
                throw DomainError.invalid("Tệp UTF-16 bị hỏng. Vui lòng lưu lại tệp dưới dạng “CSV UTF-8” hoặc tải lên tệp Excel (.xlsx).")
            }
            return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw DomainError.invalid("Tệp không ở bảng mã UTF-8 (có thể là Windows-1258, TCVN3 hoặc VNI của các phần mềm cũ), nên chữ có dấu sẽ bị sai. Vui lòng mở tệp bằng Excel rồi lưu lại dưới dạng “CSV UTF-8 (Comma delimited)”, hoặc tải lên thẳng tệp Excel (.xlsx).")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    public init(text: String, limits: SpreadsheetLimits = .upload) throws {
        guard text.utf8.count <= limits.bytes else { throw limits.tooManyBytes }
        var rows = try Self.parse(text, delimiter: Self.delimiter(of: text), limits: limits)
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

    /// The table with its header written as column codes: a Vietnamese name from `names`
    /// (any case, with or without diacritics, either tone placement) becomes its code; a
    /// code stays; anything else is kept as written, for the caller to refuse.
    public func named(_ names: [String: String]) -> CSVTable {
        // Letters and digits only: "Tập thể / Cá nhân" is "Tập thể/Cá nhân", "unit code" is "unit_code".
        func key(_ text: String) -> String { String(VietnameseText.searchKey(text).filter { $0.isLetter || $0.isNumber }) }
        var keyed: [String: String] = [:]
        for (name, code) in names {
            keyed[key(name)] = code
            keyed[key(code)] = code
        }
        var copy = self
        copy.header = header.map { keyed[key($0)] ?? $0 }
        return copy
    }

    /// The delimiter the header line uses most, outside quotes: comma, semicolon or tab.
    static func delimiter(of text: String) -> UInt8 {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var inQuotes = false
        // The header line's first 64 kB say it: a longer line is refused by the reader anyway.
        for c in text.unicodeScalars.prefix(65_536) {
            if c == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == "\n" || c == "\r" { break }
            if counts[c] != nil { counts[c]! += 1 }
        }
        let best = counts.max { ($0.value, $0.key == "," ? 1 : 0) < ($1.value, $1.key == "," ? 1 : 0) }!
        return UInt8(ascii: best.value > 0 ? best.key : ",")
    }

    /// The records of `text`, each field and record counted against `limits` as it is read.
    ///
    /// Read as UTF-8 bytes: the delimiter, the quote and the line breaks are ASCII, and no
    /// byte of a longer character is ASCII, so a field's bytes are copied as they come and
    /// its length is counted in characters (Unicode scalars: every byte that does not
    /// continue one). `delimiter` is one of the ASCII delimiters `delimiter(of:)` answers.
    static func parse(_ text: String, delimiter: UInt8 = UInt8(ascii: ","), limits: SpreadsheetLimits = .upload) throws -> [Record] {
        var text = text
        return try text.withUTF8 { try parse(bytes: $0, delimiter: delimiter, limits: limits) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, limits: SpreadsheetLimits) throws -> [Record] {
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var fieldLength = 0
        var column = 1
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteOpenedAt = 0
        var atFieldStart = true
        var index = 0
        let end = bytes.count
        func append(_ byte: UInt8) throws {
            if byte & 0xC0 != 0x80 {
                fieldLength += 1
                guard fieldLength <= limits.cellLength else { throw limits.cellTooLong(line: recordLine, column: column) }
            }
            field.append(byte)
        }
        func endField() throws {
            if column <= limits.columns {
                fields.append(String(decoding: field, as: UTF8.self))
            } else if !field.isEmpty {
                throw limits.tooManyColumns(line: recordLine, column: column)
            } // else an empty cell past the last column a row may fill: dropped
            column += 1
            field.removeAll(keepingCapacity: true)
            fieldLength = 0
            atFieldStart = true
        }
        func endRecord() throws {
            try endField()
            // The header and the records after it.
            guard records.count <= limits.records else { throw limits.tooManyRecords }
            records.append(Record(line: recordLine, fields: fields))
            fields = []
            column = 1
        }
        while index < end {
            let c = bytes[index]
            index += 1
            let next: UInt8? = index < end ? bytes[index] : nil
            if inQuotes {
                if c == quote {
                    if next == quote {
                        index += 1
                        try append(quote)
                    } else {
                        inQuotes = false
                    }
                } else {
                    try append(c)
                    // A line ends at "\n" or at a lone "\r".
                    if c == lf || (c == cr && next != lf) { line += 1 }
                }
            } else if c == quote && atFieldStart {
                inQuotes = true
                quoteOpenedAt = line
                atFieldStart = false
            } else if c == delimiter {
                try endField()
            } else if c == cr || c == lf {
                if c == cr, next == lf { index += 1 }
                try endRecord()
                line += 1
                recordLine = line
            } else {
                try append(c)
                atFieldStart = false
            }
        }
        if inQuotes {
            throw DomainError.badFile([LineError(line: quoteOpenedAt, reasons: ["dấu ngoặc kép mở ở dòng này không được đóng"])])
        }
        if !field.isEmpty || !fields.isEmpty { try endRecord() }
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
