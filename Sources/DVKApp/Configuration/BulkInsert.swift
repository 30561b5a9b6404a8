import FluentKit
import SQLKit
import SQLiteNIO

/// Multi-row INSERTs in chunks that stay under both databases' bind limits
/// (SQLite 32,766, PostgreSQL 65,535): thousands of rows in a few round-trips.
enum BulkInsert {
    static func run(_ db: any Database, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        try await run(try db.sql(), into: table, columns: columns, rows: rows)
    }

    static func run(_ sql: any SQLDatabase, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        try await run(sql, try prepare(sql, into: table, columns: columns, rows: rows))
    }

    /// Rows ready for their database's INSERTs: on SQLite's writer each statement's text and
    /// its values converted for binding, the work of whoever prepares them (another core,
    /// in a pipeline: `HeavyWork.pipelined`), so that the writer only binds and steps;
    /// elsewhere the rows as they are, for SQLKit.
    struct Prepared: Sendable {
        fileprivate var statements: [(text: String, values: [SQLiteData])] = []
        fileprivate var table = "", columns: [String] = [], rows: [[any Encodable & Sendable]] = []
    }

    /// Prepares `rows` for `sql`: pure work, safe on any thread.
    static func prepare(_ sql: any SQLDatabase, into table: String, columns: [String], rows: [[any Encodable & Sendable]]) throws -> Prepared {
        guard sql is SyncSQLiteDatabase else { return Prepared(table: table, columns: columns, rows: rows) }
        return Prepared(statements: try rows.chunked(rowsPerStatement(columns: columns.count)).map { chunk in
            var values: [SQLiteData] = []
            values.reserveCapacity(chunk.count * columns.count)
            for row in chunk {
                for value in row { values.append(try SyncSQLiteDatabase.data(value)) }
            }
            return (text(table: table, columns: columns, rows: chunk.count), values)
        })
    }

    static func run(_ sql: any SQLDatabase, _ prepared: Prepared) async throws {
        if let sqlite = sql as? SyncSQLiteDatabase {
            for statement in prepared.statements { try await sqlite.insert(statement.text, values: statement.values) }
            return
        }
        guard !prepared.rows.isEmpty else { return }
        for chunk in prepared.rows.chunked(rowsPerStatement(columns: prepared.columns.count)) {
            try await sql.execute(sql: Rows(table: prepared.table, columns: prepared.columns, rows: chunk)) { _ in }
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
