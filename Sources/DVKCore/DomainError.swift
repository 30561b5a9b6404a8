import Foundation

/// Errors the domain reports; `message` is Vietnamese and fit to show to a user.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case invalid(String)
    case forbidden(String)
    case conflict(String)
    /// A file that failed validation: every bad line, nothing written.
    case badFile([LineError])

    public var message: String {
        switch self {
        case .notFound(let m), .invalid(let m), .forbidden(let m), .conflict(let m): m
        case .badFile(let lines):
            "Tệp có \(lines.count) dòng lỗi, không có gì được ghi:\n" + lines.map(\.description).joined(separator: "\n")
        }
    }

    public var description: String { message }
}

/// One bad line of an imported file: its line number in the file (1 = the header) and why.
public struct LineError: Equatable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var reasons: [String]

    public init(line: Int, reasons: [String]) {
        self.line = line
        self.reasons = reasons
    }

    public var description: String { "Dòng \(line): " + reasons.joined(separator: "; ") }
}
