import Crypto
import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Loads a backup into an empty database of either kind: first the whole file is checked
/// (its format, its schema against what this binary knows, every table's row count and
/// hash, the file's hash), then every row is written in one transaction. A damaged file,
/// a newer schema or a database that already holds data is refused and nothing is written.
enum Restore {
    struct Loaded: Sendable {
        var header: BackupFile.Header
        var rows: [(table: String, count: Int)]
        var trail: AuditSeal.Report
    }

    static func run(path: String, knownMigrations: [String], at now: Date, on db: any Database) async throws -> Loaded {
        let header = try verify(path: path, knownMigrations: knownMigrations)
        let (rows, trail) = try await db.write { db in
            // Checked in the transaction that loads: nothing can arrive in between.
            try await requireEmpty(db)
            let rows = try await load(path: path, on: db)
            // A backup from before the trail was sealed is sealed as it loads; any other
            // whose trail does not verify is refused whole.
            if !header.migrations.contains(AddAuditChain().name) { try await AuditSeal.sealUnsealed(on: db) }
            let trail = try await AuditSeal.verify(on: db)
            if !trail.problems.isEmpty {
                throw TrailBroken(problems: trail.problems.map(\.message))
            }
            try await AuditTrail.record([AuditTrail.Entry("backup.restored", .backup, id: "restore", label: (path as NSString).lastPathComponent, unit: nil,
                                                          details: ["Bản sao lưu lúc": header.createdAt, "Từ cơ sở dữ liệu": header.database,
                                                                    "Gốc chuỗi nhật ký": trail.root])], at: now, on: db)
            return (rows, trail)
        }
        return Loaded(header: header, rows: rows, trail: trail)
    }

    struct TrailBroken: Error, CustomStringConvertible {
        var problems: [String]
        var description: String {
            "the audit trail in the backup does not verify (\(problems.count) problems; nothing was restored):\n" + problems.prefix(20).joined(separator: "\n")
        }
    }

    struct Damaged: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "the backup file is damaged or incomplete (line \(line)): \(reason); nothing was restored" }
    }

    /// Reads the whole file once, checking everything; returns its header.
    static func verify(path: String, knownMigrations: [String]) throws -> BackupFile.Header {
        let reader = try LineReader(path: path)
        var number = 0
        func next() throws -> Data? { number += 1; return try reader.next() }
        guard let first = try next(), let header = try? JSONDecoder().decode(BackupFile.Header.self, from: first),
              header.format == BackupFile.format else {
            throw Damaged(line: 1, reason: "not a DVK backup (its first line is not a DVK backup header)")
        }
        guard header.version <= BackupFile.version else {
            throw DomainError.invalid("the backup is in format version \(header.version), newer than this DVK reads (\(BackupFile.version)): restore it with a newer DVK")
        }
        let unknown = header.migrations.filter { !knownMigrations.contains($0) }
        guard unknown.isEmpty else {
            throw DomainError.invalid("the backup was made by a newer DVK (its schema has migrations this one does not know: \(unknown.joined(separator: ", "))): restore it with a DVK at least as new")
        }
        var file = SHA256()
        file.update(data: first + Data("\n".utf8))
        var tables = 0
        let spec = Dictionary(uniqueKeysWithValues: BackupTables.all.map { ($0.name, $0) })
        while let line = try next() {
            if let trailer = try? JSONDecoder().decode(BackupFile.Trailer.self, from: line) {
                guard trailer.complete, trailer.tables == tables, trailer.sha256 == BackupFile.hex(file.finalize()) else {
                    throw Damaged(line: number, reason: "the file's checksum does not match its content")
                }
                guard try next() == nil else { throw Damaged(line: number + 1, reason: "lines after the end of the backup") }
                return header
            }
            file.update(data: line + Data("\n".utf8))
            guard let start = try? JSONDecoder().decode(BackupFile.TableStart.self, from: line), let table = spec[start.table] else {
                throw Damaged(line: number, reason: "expected the start of a known table")
            }
            let known = Set(table.columns.map(\.name))
            if let extra = start.columns.first(where: { !known.contains($0) }) {
                throw DomainError.invalid("the backup has a column this DVK does not know (\(start.table).\(extra)): restore it with a DVK at least as new")
            }
            var hash = SHA256()
            var rows = 0
            while true {
                guard let row = try next() else { throw Damaged(line: number, reason: "the file ends inside table \(start.table)") }
                file.update(data: row + Data("\n".utf8))
                if row.first == UInt8(ascii: "[") {
                    hash.update(data: row + Data("\n".utf8))
                    rows += 1
                    continue
                }
                guard let end = try? JSONDecoder().decode(BackupFile.TableEnd.self, from: row), end.end == start.table else {
                    throw Damaged(line: number, reason: "expected a row or the end of table \(start.table)")
                }
                guard end.rows == rows, end.sha256 == BackupFile.hex(hash.finalize()) else {
                    throw Damaged(line: number, reason: "table \(start.table): \(rows) rows read, checksum or count differs from the \(end.rows) written")
                }
                break
            }
            tables += 1
        }
        throw Damaged(line: number, reason: "the file ends before its last line (the backup did not finish)")
    }

    /// Refuses a database that holds any row of the data a backup carries.
    static func requireEmpty(_ db: any Database) async throws {
        for table in BackupTables.all {
            if try await db.sql().select().column(SQLLiteral.numeric("1"), as: "x").from(table.name).limit(1).first() != nil {
                throw DomainError.conflict("the database is not empty (table \(table.name) has rows): restore loads into an empty database only — make a new one, or remove the SQLite file")
            }
        }
    }

    private static func load(path: String, on db: any Database) async throws -> [(table: String, count: Int)] {
        let reader = try LineReader(path: path)
        _ = try reader.next() // the header, checked
        let spec = Dictionary(uniqueKeysWithValues: BackupTables.all.map { ($0.name, $0) })
        let truncatesDates = try db.sql().dialect.name == "postgresql"
        var counts: [(String, Int)] = []
        while let line = try reader.next() {
            guard let start = try? JSONDecoder().decode(BackupFile.TableStart.self, from: line), let table = spec[start.table] else { break }
            let kinds = start.columns.map { name in table.columns.first { $0.name == name }!.kind }
            var pending: [[any Encodable & Sendable]] = []
            var count = 0
            while let row = try reader.next(), row.first == UInt8(ascii: "[") {
                pending.append(try values(row, kinds, truncatesDates: truncatesDates))
                count += 1
                if table.parentColumn == nil, pending.count >= 2_000 {
                    try await BulkInsert.run(db, into: table.name, columns: start.columns, rows: pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            if let parent = table.parentColumn, let at = start.columns.firstIndex(of: parent), let idAt = start.columns.firstIndex(of: "id") {
                pending = parentsFirst(pending, id: idAt, parent: at)
            }
            try await BulkInsert.run(db, into: table.name, columns: start.columns, rows: pending)
            counts.append((table.name, count))
        }
        return counts
    }

    /// Rows of a table that refers to itself, each after the row it names.
    static func parentsFirst(_ rows: [[any Encodable & Sendable]], id: Int, parent: Int) -> [[any Encodable & Sendable]] {
        var children: [UUID?: [Int]] = [:]
        let ids = rows.map { $0[id] as? UUID }
        let known = Set(ids.compactMap { $0 })
        for (index, row) in rows.enumerated() {
            let p = row[parent] as? UUID
            children[p.flatMap { known.contains($0) ? $0 : nil }, default: []].append(index)
        }
        var out: [[any Encodable & Sendable]] = []
        var queue = children[nil] ?? []
        while let index = queue.popLast() {
            out.append(rows[index])
            if let own = ids[index] { queue += children[own] ?? [] }
        }
        return out.count == rows.count ? out : rows
    }

    /// One row line's values, typed by their columns. PostgreSQL's driver truncates an
    /// instant to its microsecond, and a Double near 2026 is only good to a quarter of one:
    /// there an instant is written 0.4 µs late, so that it lands on the microsecond it names.
    static func values(_ line: Data, _ kinds: [BackupTables.Kind], truncatesDates: Bool = false) throws -> [any Encodable & Sendable] {
        guard let array = try JSONSerialization.jsonObject(with: line) as? [Any], array.count == kinds.count else {
            throw DomainError.invalid("a row of the backup does not match its columns")
        }
        return try zip(array, kinds).map { value, kind -> any Encodable & Sendable in
            let isNull = value is NSNull
            switch kind {
            case .uuid:
                if isNull { return UUID?.none }
                guard let text = value as? String, let id = UUID(uuidString: text) else { throw bad(value) }
                return id
            case .text:
                if isNull { return String?.none }
                guard let text = value as? String else { throw bad(value) }
                return text
            case .int:
                if isNull { return Int?.none }
                guard let n = value as? NSNumber else { throw bad(value) }
                return n.intValue
            case .bool:
                if isNull { return Bool?.none }
                guard let b = value as? Bool else { throw bad(value) }
                return b
            case .date:
                if isNull { return Date?.none }
                guard let n = value as? NSNumber else { throw bad(value) }
                return Date(timeIntervalSince1970: n.doubleValue + (truncatesDates ? 0.000_000_4 : 0))
            case .data:
                if isNull { return Data?.none }
                guard let text = value as? String, let data = Data(base64Encoded: text) else { throw bad(value) }
                return data
            }
        }
    }

    private static func bad(_ value: Any) -> any Error {
        DomainError.invalid("a value of the backup has the wrong type: \(value)")
    }
}

/// A file's lines (without their "\n"), read a megabyte at a time; a line longer than
/// `maxLine` bytes is refused as soon as that many bytes are read without its end (a
/// backup's longest line is one stored file: 5 MB, base64-encoded).
final class LineReader {
    static let maxLine = 16 << 20

    private let handle: FileHandle
    private let maxLine: Int
    private var buffer = Data()
    /// How far `buffer` is known to hold no "\n".
    private var scanned = 0
    private var finished = false
    private(set) var lineNumber = 0

    init(path: String, maxLine: Int = LineReader.maxLine) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DomainError.notFound("cannot read \(path)") }
        self.handle = handle
        self.maxLine = maxLine
    }

    deinit { try? handle.close() }

    func next() throws -> Data? {
        while true {
            if let end = buffer[(buffer.startIndex + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Data(buffer[buffer.startIndex..<end])
                buffer = Data(buffer[(end + 1)...])
                scanned = 0
                lineNumber += 1
                return line
            }
            scanned = buffer.count
            guard buffer.count <= maxLine else {
                throw DomainError.tooLarge("line \(lineNumber + 1) of the file is longer than \(maxLine >> 20) MB: not a DVK backup, or a damaged one; nothing was restored")
            }
            if finished {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                lineNumber += 1
                return buffer
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { finished = true } else { buffer.append(chunk) }
        }
    }
}
