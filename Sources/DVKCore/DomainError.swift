import Foundation

/// Errors the domain reports; `message` is Vietnamese and fit to show to a user.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case invalid(String)
    case forbidden(String)
    case conflict(String)
    /// More than a limit DVK sets on what one request or file may cost (413).
    case tooLarge(String)
    /// Not now: the work would take longer than DVK allows it, or the server is busy (503).
    case unavailable(String)
    /// A file that failed validation, nothing written: its first bad lines (at most
    /// `LineError.shown`) and how many there are in all.
    case badFile([LineError], total: Int)

    /// A file with these bad lines (all of them, or the first ones of `total`).
    public static func badFile(_ lines: [LineError]) -> DomainError {
        .badFile(Array(lines.prefix(LineError.shown)), total: lines.count)
    }

    public var message: String {
        switch self {
        case .notFound(let m), .invalid(let m), .forbidden(let m), .conflict(let m), .tooLarge(let m), .unavailable(let m): m
        case .badFile(let lines, let total):
            "Tệp có \(VietnameseText.number(total)) dòng lỗi, không có gì được ghi:\n" + lines.map(\.description).joined(separator: "\n")
                + (total > lines.count ? "\n… và \(VietnameseText.number(total - lines.count)) dòng lỗi khác (chỉ nêu \(VietnameseText.number(lines.count)) dòng đầu)." : "")
        }
    }

    public var description: String { message }
}

/// One bad line of an imported file: its line number in the file (1 = the header) and why.
public struct LineError: Equatable, Sendable, Codable, CustomStringConvertible {
    /// How many bad lines a refusal names; the rest are counted.
    public static let shown = 100

    public var line: Int
    public var reasons: [String]

    public init(line: Int, reasons: [String]) {
        self.line = line
        self.reasons = reasons
    }

    public var description: String { "Dòng \(line): " + reasons.joined(separator: "; ") }
}
