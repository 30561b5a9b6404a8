import FluentKit
import SQLKit

/// Multi-row INSERTs in chunks that stay under both databases' bind limits
/// (SQLite 32,766, PostgreSQL 65,535): thousands of rows in a few round-trips.
enum BulkInsert {
    static func run(_ db: any Database, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        let sql = try db.sql()
        let perChunk = max(1, 30_000 / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perChunk)
            var insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { insert = insert.values(row) }
            try await insert.run()
            start = end
        }
    }
}

extension Database {
    /// The SQL side of a Fluent database; both drivers DVK uses have one.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw StoreError.noSQL }
        return sql
    }
}

enum StoreError: Error, CustomStringConvertible {
    case noSQL
    var description: String { "the configured database does not speak SQL" }
}
