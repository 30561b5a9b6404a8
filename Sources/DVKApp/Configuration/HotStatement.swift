import Synchronization
import FluentKit
import Foundation
import PostgresKit
import PostgresNIO
import SQLKit

/// A value a hot statement binds: both drivers can send it.
typealias HotValue = PostgresThrowingDynamicTypeEncodable & Encodable & Sendable

/// A statement that nearly every request makes: who is asking, and the campaign they reach.
///
/// On PostgreSQL it runs as a named prepared statement, prepared once per connection, so the
/// server parses it once and can keep a generic plan. Every other statement goes unnamed
/// (PostgresNIO under SQLKit), parsed and planned anew on each run: under wrk on the summary
/// API, planning was 16 of PostgreSQL's 38 % of the machine and executing 3 (README,
/// "Where a request's time goes"). SQLite's driver keeps every statement it ran prepared.
protocol HotStatement: Sendable {
    /// The text (PostgreSQL's), its placeholders `$1`…`$n` numbering `binds`.
    static var sql: String { get }
    /// SQLite's text, when it differs (a row lock SQLite does not need).
    static var sqliteSQL: String { get }
    /// The values, nil for NULL.
    var binds: [(any HotValue)?] { get }
}

extension HotStatement {
    static var sqliteSQL: String { sql }

    func all(on db: any Database) async throws -> [any SQLRow] {
        try await all(on: try db.sql())
    }

    func all(on db: any SQLDatabase) async throws -> [any SQLRow] {
        if let postgres = db as? any PostgresDatabase {
            let named = Named(statement: self)
            let logger = db.logger
            return try await postgres.withConnection { connection in
                // On the connection's loop (the request's, with a pool per loop): a plain
                // task ran on Swift's global pool, two thread switches a statement.
                connection.eventLoop.onLoopTask {
                    var rows: [any SQLRow] = []
                    var layout: RowColumns?
                    for try await row in try await connection.execute(named, logger: logger) {
                        let read = HotPostgresRow(row, layout: layout)
                        layout = read.layout
                        rows.append(read)
                    }
                    return rows
                }
            }.get()
        }
        if let sqlite = db as? any HotSQLite, let rows = try await sqlite.hot(HotSQLiteText.of(Self.self), binds) {
            return rows
        }
        return try await db.raw("\(HotText(sql: Self.sqliteSQL, binds: binds))").all()
    }

    func first(on db: any Database) async throws -> (any SQLRow)? {
        try await all(on: db).first
    }

    func first(on db: any SQLDatabase) async throws -> (any SQLRow)? {
        try await all(on: db).first
    }
}

/// PostgresNIO's form of a hot statement: one name per statement type, its qualified Swift
/// name (`DVKApp.AuthStore.SessionUser`). A private type's name holds an address, so hot
/// statements are internal.
private struct Named<Statement: HotStatement>: PostgresPreparedStatement {
    static var name: String { String(reflecting: Statement.self) }
    static var sql: String { Statement.sql }
    typealias Row = PostgresRow

    let statement: Statement

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: statement.binds.count)
        for value in statement.binds {
            if let value { try bindings.append(value) } else { bindings.appendNull() }
        }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// A SQLite database that runs a hot statement's text as it is, its values bound by number
/// (`?n`), without SQLKit's query builder: serialising the same text again on every run was
/// a tenth of a unit page's CPU (`scripts/bench-reads --perf`).
protocol HotSQLite {
    /// The rows, or nil when this database sends the statement the general way.
    func hot(_ text: HotSQLiteText, _ binds: [(any HotValue)?]) async throws -> [any SQLRow]?
}

/// A hot statement's SQLite text, split once per statement type at its placeholders; whether
/// it only reads.
///
/// Without a list its text is made once, each `$n` written `?n` (SQLite's numbered
/// parameter). With one (`IN $n`) the text depends on the list's length: it is put together
/// from the parts on each run, the list's values numbered after the rest, which still costs
/// a tenth of SQLKit's serialiser (4 % of a unit page's samples went there).
struct HotSQLiteText: Sendable {
    enum Part: Sendable, Equatable {
        case text(String)
        /// `$n`: the n-th value.
        case value(Int)
    }

    let parts: [Part]
    /// The text with `?n` for `$n`, for a statement that binds no list.
    let numbered: String
    let isSelect: Bool

    private static let known = Mutex<[ObjectIdentifier: HotSQLiteText]>([:])

    static func of<Statement: HotStatement>(_ type: Statement.Type) -> HotSQLiteText {
        let key = ObjectIdentifier(type)
        if let made = known.withLock({ $0[key] }) { return made }
        let made = HotSQLiteText(Statement.sqliteSQL)
        known.withLock { $0[key] = made }
        return made
    }

    init(_ sql: String) {
        var parts: [Part] = []
        var text: [UInt8] = [], numbered: [UInt8] = []
        let bytes = Array(sql.utf8)
        var index = 0
        while index < bytes.count {
            var end = index + 1
            while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
            // `$` and at most 9 digits: a longer number is no statement's, and stays text.
            if bytes[index] == UInt8(ascii: "$"), end > index + 1, end - index <= 10,
               let number = Int(String(decoding: bytes[(index + 1)..<end], as: UTF8.self)), number > 0 {
                if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
                text.removeAll(keepingCapacity: true)
                parts.append(.value(number))
                numbered.append(UInt8(ascii: "?"))
                numbered.append(contentsOf: bytes[(index + 1)..<end])
                index = end
            } else {
                text.append(bytes[index])
                numbered.append(bytes[index])
                index += 1
            }
        }
        if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        self.parts = parts
        self.numbered = String(decoding: numbered, as: UTF8.self)
        isSelect = WriterBackedDatabase.isSelect(sql)
    }

    /// The text for these values and the values in its parameters' order: a list (`HotList`)
    /// is its values in parentheses, an empty one `()` (SQLite's empty list, matching
    /// nothing). A `$n` beyond the values is left as it is, for SQLite to refuse.
    func bound<Value>(_ binds: [(any HotValue)?], _ value: (any Encodable & Sendable) throws -> Value, null: Value) throws -> (sql: String, values: [Value]) {
        // A value of a common type (`DirectKind`, by identity) is no list: the cast to the
        // protocol is asked only of the others.
        guard binds.contains(where: { $0.map { DirectValue($0) == nil && $0 is any HotList } ?? false }) else {
            return (numbered, try binds.map { try $0.map(value) ?? null })
        }
        var sql = "", values: [Value] = []
        sql.reserveCapacity(numbered.utf8.count + 8 * binds.count)
        // A value used twice is bound once: its placeholder, made where it first comes, again.
        var placeholders = [String?](repeating: nil, count: binds.count)
        for part in parts {
            switch part {
            case .text(let text):
                sql += text
            case .value(let n) where !binds.indices.contains(n - 1):
                sql += "$\(n)"
            case .value(let n):
                if placeholders[n - 1] == nil {
                    if let list = binds[n - 1] as? any HotList {
                        let numbers = try list.elements.map { values.append(try value($0)); return "?\(values.count)" }
                        placeholders[n - 1] = "(" + numbers.joined(separator: ", ") + ")"
                    } else {
                        values.append(try binds[n - 1].map(value) ?? null)
                        placeholders[n - 1] = "?\(values.count)"
                    }
                }
                sql += placeholders[n - 1] ?? ""
            }
        }
        return (sql, values)
    }
}

/// A hot statement's text for SQLKit (SQLite): each `$n` becomes the dialect's placeholder
/// bound to the n-th value, so the one text serves both databases.
struct HotText: SQLExpression {
    let sql: String
    let binds: [(any HotValue)?]

    /// The text of a one-row insert of `columns`, its values `$first`… in their order.
    static func insert(into table: String, columns: [String], from first: Int = 1) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\((first..<first + columns.count).map { "$\($0)" }.joined(separator: ", ")))"
    }

    func serialize(to serializer: inout SQLSerializer) {
        var text = Substring(sql)
        while let dollar = text.firstIndex(of: "$") {
            serializer.write(String(text[..<dollar]))
            let digits = text[text.index(after: dollar)...].prefix { $0.isASCII && $0.isNumber }
            guard let number = Int(digits), binds.indices.contains(number - 1) else {
                serializer.write("$")
                text = text[text.index(after: dollar)...]
                continue
            }
            if let list = binds[number - 1] as? any HotList {
                // SQLite has no arrays: a list is its values in parentheses (`IN $n`).
                serializer.write("(")
                for (index, element) in list.elements.enumerated() {
                    if index > 0 { serializer.write(", ") }
                    serializer.write(bind: element)
                }
                serializer.write(")")
            } else {
                serializer.write(bind: binds[number - 1].encodable)
            }
            text = text[digits.endIndex...]
        }
        serializer.write(String(text))
    }
}

/// A list bound as one value: an array on PostgreSQL (`= ANY($n)`, so the text does not
/// change with its length and the statement stays prepared), its values one by one on
/// SQLite (`IN $n`). A statement that takes one has its own `sqliteSQL`.
protocol HotList {
    var elements: [any Encodable & Sendable] { get }
}

/// What a `HotList` holds: both drivers bind it, PostgreSQL in an array.
protocol HotListElement: PostgresArrayEncodable, Encodable, Sendable {}
extension UUID: HotListElement {}
extension String: HotListElement {}

extension Array: HotList where Element: HotListElement {
    var elements: [any Encodable & Sendable] { map { $0 } }
}

extension Optional where Wrapped == any HotValue {
    /// The value for SQLKit's binds: nil is an untyped NULL, so PostgreSQL takes its type
    /// from the column (a `String?.none` would be a text NULL, refused for a uuid column).
    var encodable: any Encodable & Sendable { self ?? UntypedNull() }
}

/// NULL without a type: it encodes nil and nothing else.
struct UntypedNull: Encodable, Sendable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encodeNil()
    }
}

/// A row of a hot statement on PostgreSQL. The common types are read by their own
/// `PostgresDecodable` conformance, as PostgresKit's row reads them in the end; on the way
/// it builds a coding path and a dictionary and tests Fluent's enum and decimal cases for
/// every value: 4.6 % of a rush write's server samples went to the campaign's 26 columns,
/// read twice. Anything else (and a missing column) goes to PostgresKit's row.
struct HotPostgresRow: SQLRow {
    let layout: RowColumns
    let cells: PostgresRandomAccessRow
    let row: PostgresRow

    /// A row of a result whose column names (`layout`) were read from its first row.
    init(_ row: PostgresRow, layout: RowColumns? = nil) {
        self.row = row
        cells = PostgresRandomAccessRow(row)
        self.layout = layout ?? RowColumns(cells.map(\.columnName), lastOfAName: true)
    }

    var allColumns: [String] { layout.names }
    func contains(column: String) -> Bool { layout.position(of: column) != nil }
    func decodeNil(column: String) throws -> Bool { layout.position(of: column).map { cells[$0].bytes == nil } ?? true }

    /// A common type (or its optional) from a column of its own type, not one PostgresKit
    /// reads another way (a user-defined type as a string), is read here. Nothing of the
    /// generic `D` is made on the way (a `D?` asked the runtime for its metadata).
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        if let i = layout.position(of: column), let kind = DirectKind.of(D.self), let value = try Self.read(kind, cells[i]) {
            return value.as(D.self)
        }
        return try row.sql().decode(column: column, as: D.self)
    }

    private static func read(_ kind: DirectKind, _ cell: PostgresCell) throws -> DirectValue? {
        let type = cell.dataType, null = cell.bytes == nil
        switch kind {
        case .string: return texts.contains(type) ? .string(try cell.decode(String.self)) : nil
        case .optionalString: return texts.contains(type) ? .optionalString(null ? nil : try cell.decode(String.self)) : nil
        case .uuid: return type == .uuid ? .uuid(try cell.decode(UUID.self)) : nil
        case .optionalUUID: return type == .uuid ? .optionalUUID(null ? nil : try cell.decode(UUID.self)) : nil
        case .int: return integers.contains(type) ? .int(try cell.decode(Int.self)) : nil
        case .optionalInt: return integers.contains(type) ? .optionalInt(null ? nil : try cell.decode(Int.self)) : nil
        case .int64: return integers.contains(type) ? .int64(try cell.decode(Int64.self)) : nil
        case .optionalInt64: return integers.contains(type) ? .optionalInt64(null ? nil : try cell.decode(Int64.self)) : nil
        case .bool: return type == .bool ? .bool(try cell.decode(Bool.self)) : nil
        case .optionalBool: return type == .bool ? .optionalBool(null ? nil : try cell.decode(Bool.self)) : nil
        case .date: return dates.contains(type) ? .date(try cell.decode(Date.self)) : nil
        case .optionalDate: return dates.contains(type) ? .optionalDate(null ? nil : try cell.decode(Date.self)) : nil
        case .double: return nil
        }
    }

    private static let texts: [PostgresDataType] = [.text, .varchar, .bpchar, .name]
    private static let integers: [PostgresDataType] = [.int2, .int4, .int8]
    private static let dates: [PostgresDataType] = [.timestamptz, .timestamp]
}
