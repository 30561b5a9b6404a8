import Foundation

/// What reading one spreadsheet (CSV or .xlsx) may cost, counted by the reader itself as
/// it goes, never taken from what the file declares. A file past a limit is refused with
/// the limit named; nothing of it is used.
public struct SpreadsheetLimits: Sendable, Hashable {
    /// Bytes of text: the CSV as decoded, or every part of a workbook as inflated.
    public var bytes: Int
    /// Rows (records after the header).
    public var records: Int
    /// The last column a row may fill (1-based).
    public var columns: Int
    /// Characters of one cell: Excel's own limit.
    public var cellLength: Int

    public init(bytes: Int, records: Int, columns: Int, cellLength: Int = 32_767) {
        self.bytes = bytes
        self.records = records
        self.columns = columns
        self.cellLength = cellLength
    }

    /// A file sent to the server (a unit's models, the units list, accounts).
    public static let upload = SpreadsheetLimits(bytes: 50 << 20, records: 100_000, columns: 100)
    /// A file the CLI imports on the server (a whole federation's models).
    public static let file = SpreadsheetLimits(bytes: 512 << 20, records: 1_048_575, columns: 100)

    public var tooManyBytes: DomainError {
        .tooLarge("Tệp quá lớn: nội dung của tệp (sau khi giải nén) vượt quá \(Self.size(bytes)). Vui lòng chia tệp thành nhiều tệp nhỏ hơn.")
    }

    public var tooManyRecords: DomainError {
        .tooLarge("Tệp có quá nhiều dòng: tối đa \(VietnameseText.number(records)) dòng mỗi tệp. Vui lòng chia tệp thành nhiều tệp nhỏ hơn.")
    }

    public func tooManyColumns(line: Int, column: Int) -> DomainError {
        .badFile([LineError(line: line, reasons: ["có dữ liệu ở cột thứ \(VietnameseText.number(column)), quá số cột đọc được (tối đa \(VietnameseText.number(columns)) cột)"])])
    }

    public func cellTooLong(line: Int, column: Int) -> DomainError {
        .badFile([LineError(line: line, reasons: ["ô ở cột thứ \(VietnameseText.number(column)) dài quá \(VietnameseText.number(cellLength)) ký tự (giới hạn một ô của Excel)"])])
    }

    /// "50 MB", "1 GB", "9,8 kB".
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(VietnameseText.number(bytes >> 30)) GB" }
        if bytes >= 1 << 20 { return "\(VietnameseText.number(bytes >> 20)) MB" }
        let tenths = (bytes * 10 + 512) / 1_024
        return "\(tenths / 10),\(tenths % 10) kB"
    }
}
