import Crypto
import DVKCore
import FluentKit
import Foundation
import SQLKit
import Synchronization

/// The backup file: JSON lines, the same whichever database wrote it.
///
///     {"format":"dvk-backup","version":1,"createdAt":"…","database":"sqlite","migrations":[…]}
///     {"table":"units","columns":["id","code",…]}
///     ["7F3A…","LB","Liên đoàn …",…]                      one line per row
///     {"end":"units","rows":44,"sha256":"…"}             the hash of the table's row lines
///     …                                                  every table of `BackupTables.all`
///     {"complete":true,"tables":14,"sha256":"…"}         the hash of every line above
///
/// Values: UUIDs and text as strings, whole numbers, booleans, instants as seconds since
/// 1970 to the microsecond (a number), bytes as base64, null for none. Rows come in the
/// order of their key, so the same data makes the same lines from either database.
enum BackupFile {
    static let format = "dvk-backup"
    static let version = 1

    struct Header: Codable, Sendable {
        var format: String
        var version: Int
        var createdAt: String
        var database: String
        /// The migrations the database had run: the schema the rows are in.
        var migrations: [String]
    }

    struct TableStart: Codable, Sendable {
        var table: String
        var columns: [String]
    }

    struct TableEnd: Codable, Sendable {
        var end: String
        var rows: Int
        var sha256: String
    }

    struct Trailer: Codable, Sendable {
        var complete: Bool
        var tables: Int
        var sha256: String
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// A JSON string literal.
    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Writes a backup: every table read in one transaction that sees one moment of the
/// database (a read transaction on SQLite's WAL, REPEATABLE READ on PostgreSQL), so that
/// a backup taken while people work restores to a consistent state. The file is written
/// beside its name and renamed when complete: a backup that stops half-way never takes
/// the name of a good one.
enum Backup {
    struct Written: Sendable {
        var rows: [(table: String, count: Int)]
        var bytes: Int
    }

    /// SHA-256 of a file, read in pieces.
    static func fileHash(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DomainError.notFound("cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return AuditSeal.hex(hash.finalize())
    }

    static func write(to path: String, migrations: [String], at now: Date, on db: any Database) async throws -> Written {
        let partial = path + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil) else {
            throw DomainError.invalid("cannot write \(partial)")
        }
        let out = try LineWriter(path: partial)
        do {
            let isPostgres = try db.sql().dialect.name == "postgresql"
            let counts = try await db.transaction { tx in
                let sql = try tx.sql()
                if isPostgres { try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run() }
                let header = BackupFile.Header(format: BackupFile.format, version: BackupFile.version,
                                               createdAt: VietnamTime.iso(now), database: isPostgres ? "postgresql" : "sqlite",
                                               migrations: migrations)
                try out.line(String(decoding: try JSONEncoder.sorted.encode(header), as: UTF8.self))
                var counts: [(String, Int)] = []
                for table in BackupTables.all {
                    try out.line(String(decoding: try JSONEncoder.sorted.encode(BackupFile.TableStart(table: table.name, columns: table.columns.map(\.name))), as: UTF8.self))
                    out.startTable()
                    let failure = Mutex<(any Error)?>(nil)
                    var select = sql.select().columns(table.columns.map(\.name)).from(table.name)
                    for column in table.order { select = select.orderBy(column) }
                    try await select.run { row in
                        do { try out.row(Self.encode(row, table)) } catch { failure.withLock { $0 = $0 ?? error } }
                    }
                    if let error = failure.withLock({ $0 }) { throw error }
                    let (rows, digest) = out.endTable()
                    try out.line(String(decoding: try JSONEncoder.sorted.encode(BackupFile.TableEnd(end: table.name, rows: rows, sha256: digest)), as: UTF8.self))
                    counts.append((table.name, rows))
                }
                return counts
            }
            let trailer = BackupFile.Trailer(complete: true, tables: counts.count, sha256: out.fileDigest)
            try out.line(String(decoding: try JSONEncoder.sorted.encode(trailer), as: UTF8.self), hashed: false)
            let bytes = try out.close()
            _ = try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            return Written(rows: counts, bytes: bytes)
        } catch {
            _ = try? out.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// One row as a JSON array, each value by its column's kind.
    static func encode(_ row: any SQLRow, _ table: BackupTables.Table) throws -> String {
        var out = "["
        for (index, column) in table.columns.enumerated() {
            if index > 0 { out += "," }
            if try row.decodeNil(column: column.name) { out += "null"; continue }
            switch column.kind {
            case .uuid: out += "\"" + (try row.decode(column: column.name, as: UUID.self)).canonicalText + "\""
            case .text: BackupFile.quote(try row.decode(column: column.name, as: String.self), into: &out)
            case .int: out += String(try row.decode(column: column.name, as: Int.self))
            case .bool: out += (try row.decode(column: column.name, as: Bool.self)) ? "true" : "false"
            case .date:
                // To the microsecond, PostgreSQL's precision: the same instant reads the same from either database.
                out += ((try row.decode(column: column.name, as: Date.self)).timeIntervalSince1970 * 1_000_000).rounded().divided(by: 1_000_000).description
            case .data: out += "\"" + (try row.decode(column: column.name, as: Data.self)).base64EncodedString() + "\""
            }
        }
        return out + "]"
    }
}

/// Lines to a file, buffered, with the hashes the format keeps. Used by one writer at a
/// time (the rows of a query arrive one after another), hence unchecked.
final class LineWriter: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer = Data()
    private var file = SHA256()
    private var table = SHA256()
    private var rows = 0
    private var written = 0

    init(path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw DomainError.invalid("cannot write \(path)") }
        self.handle = handle
    }

    func line(_ text: String, hashed: Bool = true) throws {
        let data = Data((text + "\n").utf8)
        if hashed { file.update(data: data) }
        buffer.append(data)
        if buffer.count > 1 << 20 { try flush() }
    }

    func startTable() {
        table = SHA256()
        rows = 0
    }

    func row(_ text: String) throws {
        let data = Data((text + "\n").utf8)
        table.update(data: data)
        rows += 1
        try line(text)
    }

    func endTable() -> (Int, String) { (rows, BackupFile.hex(table.finalize())) }

    var fileDigest: String { BackupFile.hex(file.finalize()) }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs to the disk and closes; returns the bytes written.
    func close() throws -> Int {
        try flush()
        try handle.synchronize()
        try handle.close()
        return written
    }
}

extension JSONEncoder {
    /// Keys in a fixed order: the same data gives the same bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension Double {
    fileprivate func divided(by other: Double) -> Double { self / other }
}
