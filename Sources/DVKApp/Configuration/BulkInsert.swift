import FluentKit
import SQLKit

/// Multi-row INSERTs in chunks that stay under both databases' bind limits
/// (SQLite 32,766, PostgreSQL 65,535): thousands of rows in a few round-trips.
enum BulkInsert {
    static func run(_ db: any Database, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        try await run(try db.sql(), into: table, columns: columns, rows: rows)
    }

    static func run(_ sql: any SQLDatabase, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        for chunk in rows.chunked(rowsPerStatement(columns: columns.count)) {
            if let sqlite = sql as? SyncSQLiteDatabase {
                try await sqlite.insert(text(table: table, columns: columns, rows: chunk.count), chunk)
            } else {
                try await sql.execute(sql: Rows(table: table, columns: columns, rows: chunk)) { _ in }
            }
        }
    }

    /// SQLite's text of `Rows`, its values numbered `?1`… row by row: made here, without
    /// SQLKit's serialiser (a twentieth of an import's samples), for the writer's connection.
    static func text(table: String, columns: [String], rows: Int) -> String {
        func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var text = "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES "
        text.reserveCapacity(text.utf8.count + rows * columns.count * 8)
        var number = 0
        for row in 0..<rows {
            text += row == 0 ? "(" : ", ("
            for column in columns.indices {
                number += 1
                text += column == 0 ? "?\(number)" : ", ?\(number)"
            }
            text += ")"
        }
        return text
    }

    /// How many rows of `columns` values one INSERT takes.
    static func rowsPerStatement(columns: Int) -> Int { max(1, 30_000 / max(1, columns)) }

    /// One multi-row INSERT, its text written directly: SQLKit's general builder wraps every
    /// value in its own expressions (a twelfth of a 60,000-row import's time).
    struct Rows: SQLExpression {
        var table: String
        var columns: [String]
        var rows: [[any Encodable & Sendable]]

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("INSERT INTO ")
            SQLIdentifier(table).serialize(to: &serializer)
            serializer.write(" (")
            for (i, column) in columns.enumerated() {
                if i > 0 { serializer.write(", ") }
                SQLIdentifier(column).serialize(to: &serializer)
            }
            serializer.write(") VALUES ")
            for (r, row) in rows.enumerated() {
                serializer.write(r == 0 ? "(" : ", (")
                for (i, value) in row.enumerated() {
                    if i > 0 { serializer.write(", ") }
                    serializer.write(bind: value)
                }
                serializer.write(")")
            }
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
