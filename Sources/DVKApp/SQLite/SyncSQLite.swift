import DVKCore
import FluentKit
import FluentSQL
import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO
import CSQLiteConfig
import Synchronization
import VaporCSQLite

/// What DVK sets in SQLite once for the whole process, before its first connection:
/// DVK's page cache in front of SQLite's own (`dvk_pcache_install`, CSQLiteConfig), which
/// SQLite takes only before it is initialised, then the writer's file layer (`dvk-wal`),
/// whose registration initialises it. Asked by every path that opens a connection.
enum SQLiteProcess {
    /// Whether SQLite took the page cache, and the gathering layer's name (nil: SQLite
    /// refused it, and the writer uses the system's own).
    static let setUp: (pageCache: Bool, gatheringLayer: String?) = {
        let pageCache = dvk_pcache_install() == SQLITE_OK
        return (pageCache, dvk_wal_register() == SQLITE_OK ? "dvk-wal" : nil)
    }()

    /// Cache truncations skipped (no page past the database's size could be held), and
    /// passed to SQLite's cache: read by the tests.
    static var truncations: (skipped: Int64, passed: Int64) { (dvk_pcache_skipped(), dvk_pcache_passed()) }

    /// Writes made to logs through the gathering layer so far, and the writes to the files
    /// they became: read by the tests.
    static var gatheredLogWrites: (gathered: Int64, written: Int64) { (dvk_wal_gathered_writes(), dvk_wal_file_writes()) }

    /// The page cache's calls as SQLite makes them, for the tests. Here because the header's
    /// functions and the methods they call are copied into each module that calls them, and
    /// only this file's copy was installed and holds SQLite's own cache.
    enum PageCache {
        typealias Page = sqlite3_pcache_page
        /// A cache that keeps up to `pages` unpinned pages (as `cache_size` sets it).
        static func create(pageSize: Int32, pages: Int32) -> OpaquePointer? {
            guard let cache = dvk_pcache_create(pageSize, 64, 1) else { return nil }
            dvk_pcache_cachesize(cache, pages)
            return cache
        }
        static func fetch(_ cache: OpaquePointer, _ key: UInt32, create: Bool) -> UnsafeMutablePointer<sqlite3_pcache_page>? {
            dvk_pcache_fetch(cache, key, create ? 2 : 0)
        }
        static func unpin(_ cache: OpaquePointer, _ page: UnsafeMutablePointer<sqlite3_pcache_page>) { dvk_pcache_unpin(cache, page, 0) }
        static func rekey(_ cache: OpaquePointer, _ page: UnsafeMutablePointer<sqlite3_pcache_page>, from: UInt32, to: UInt32) {
            dvk_pcache_rekey(cache, page, from, to)
        }
        static func truncate(_ cache: OpaquePointer, _ limit: UInt32) { dvk_pcache_truncate(cache, limit) }
        static func destroy(_ cache: OpaquePointer) { dvk_pcache_destroy(cache) }
        /// The lock-byte page's number, the highest number kept, the pages parked.
        static func state(_ cache: OpaquePointer) -> (parking: UInt32, highest: UInt32, parked: Int32) {
            let kept = UnsafeMutableRawPointer(cache).assumingMemoryBound(to: dvk_pcache.self).pointee
            return (kept.parking, kept.highest, kept.parked)
        }
    }
}

/// One SQLite connection that runs its statements at once, on the thread of one event
/// loop, with no hop to a thread pool and back. It is the writer's connection: a write
/// transaction is a handful of statements, and with each statement two thread switches
/// away it held the file's write lock for milliseconds on a loaded machine; done in place
/// it holds it for the statements' own microseconds. Prepared statements are kept.
///
/// Every call runs on `loop` (calls from elsewhere are sent there), so the C handle is
/// only ever used by one thread — but for `sqlite3_interrupt`, which SQLite allows from any.
///
/// A read-only one serves reads whose statements each have a budget (`run(budget:)`): a
/// timer interrupts a statement still running when its time is up (this SQLite is built
/// without a progress callback).
final class SyncSQLiteConnection: @unchecked Sendable {
    let loop: any EventLoop
    let path: String
    let readOnly: Bool
    private var handle: OpaquePointer?
    private var statements: [StatementText: Kept] = [:]

    /// A prepared statement kept for its text, with its columns once a run has named them.
    private final class Kept {
        let statement: OpaquePointer
        var columns: RowColumns?
        init(_ statement: OpaquePointer) { self.statement = statement }
    }
    /// A kept statement's text as its key, hashed by its length and sixteen of its bytes,
    /// spread over it, and compared whole. Hashing every byte of a statement (up to a few
    /// kilobytes) at each run was 0.8 % of a unit page's samples; a hot statement's text is
    /// one stored string, so the comparison finds the same storage at once.
    private struct StatementText: Hashable {
        let sql: String

        func hash(into hasher: inout Hasher) {
            var sql = sql
            sql.withUTF8 { bytes in
                hasher.combine(bytes.count)
                guard !bytes.isEmpty else { return }
                for i in 0..<16 { hasher.combine(bytes[(bytes.count - 1) * i / 15]) }
            }
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    /// The budgeted statement running now (0: none), so that a late timer never interrupts
    /// the statement after it.
    private let running = Mutex<UInt64>(0)
    private var serial: UInt64 = 0
    /// How many times SQLite prepared a kept statement again (a schema change, or a plan
    /// that depended on a bound value): read by the tests.
    private(set) var reprepared = 0

    /// Who folds the log into the file after this connection's commits (`SQLiteCheckpointer`);
    /// without one, SQLite's automatic checkpoint does it inside the commit.
    let checkpointer: SQLiteCheckpointer?

    /// A loop's reader, whose statements join their request's read transaction (`ReadSnapshot`).
    let joinsSnapshots: Bool
    /// The request whose read transaction is open on this reader, if any.
    private var snapshot: ReadSnapshot?
    private var fileInWAL = false
    /// Read transactions begun for requests, and how many of them another's statement ended
    /// before their request was done: read by the tests.
    private(set) var snapshotsBegun = 0
    private(set) var snapshotsCutShort = 0

    init(path: String, loop: any EventLoop, readOnly: Bool = false, joinsSnapshots: Bool = false, checkpointer: SQLiteCheckpointer? = nil) {
        self.path = path
        self.loop = loop
        self.readOnly = readOnly
        self.joinsSnapshots = readOnly && joinsSnapshots
        self.checkpointer = checkpointer
    }

    /// How many times code off this connection's loop sent it work: each a hop to the loop
    /// and back. A test holds it at zero for a read-only connection under the pages and the
    /// API, whose code runs on the request's loop (`LoopMiddleware`, `LoopResponder`).
    private let hops = Atomic<Int>(0)
    var hopsToLoop: Int { hops.load(ordering: .relaxed) }

    /// How many databases were made on this connection's loop (`LoopReaders`): one a
    /// request, kept (`Request.database`); a test holds a page and an API read to one.
    private let made = Atomic<Int>(0)
    var databasesMade: Int { made.load(ordering: .relaxed) }
    func madeDatabase() { made.add(1, ordering: .relaxed) }

    /// Runs `body` on the connection's loop, now if already there.
    func onLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> EventLoopFuture<T> {
        if loop.inEventLoop {
            do { return loop.makeSucceededFuture(try body()) } catch { return loop.makeFailedFuture(error) }
        }
        hops.add(1, ordering: .relaxed)
        return loop.submit(body)
    }

    func onLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if loop.inEventLoop { return try body() }
        hops.add(1, ordering: .relaxed)
        return try await loop.submit(body).get()
    }

    private func open() throws -> OpaquePointer {
        if let handle { return handle }
        var opened: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        // The writer's log writes gathered, one write a commit (`dvk_wal_register`, shim.h);
        // the process's setup asked first by every connection (`SQLiteProcess`).
        let layer = SQLiteProcess.setUp.gatheringLayer
        let status = sqlite_nio_sqlite3_open_v2(path, &opened, flags, readOnly ? nil : layer)
        guard status == SQLITE_OK, let opened else {
            if let opened { sqlite_nio_sqlite3_close(opened) }
            throw SyncSQLiteError(code: status, message: "cannot open \(path)")
        }
        sqlite_nio_sqlite3_busy_timeout(opened, 10_000)
        // Plans that do not depend on the values bound: otherwise SQLite prepares a kept
        // statement again whenever a value its planner looked at changes, and it looked at
        // the values of the token's and the campaign's reads, run on every request.
        let stable = dvk_sqlite3_stable_plans(UnsafeMutableRawPointer(opened))
        guard stable == SQLITE_OK else {
            sqlite_nio_sqlite3_close(opened)
            throw SyncSQLiteError(code: stable, message: "cannot make \(path)'s query plans stable")
        }
        handle = opened
        if let checkpointer {
            // Replaces SQLite's automatic checkpoint: each commit reports the log's size. The
            // hook answers SQLITE_OK whatever the checkpoint's outcome, as SQLite's own does:
            // anything else would make the COMMIT report an error for a transaction it kept.
            sqlite_nio_sqlite3_wal_hook(opened, { context, db, _, pages in
                guard let context else { return SQLITE_OK }
                // The pages written to the log since the last commit: this transaction's.
                var written: Int32 = 0
                var unused: Int32 = 0
                sqlite_nio_sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &written, &unused, 1)
                let checkpointer = Unmanaged<SQLiteCheckpointer>.fromOpaque(context).takeUnretainedValue()
                if checkpointer.afterCommit(logPages: pages, written: Int(written)) == .checkpointInPlace {
                    var log: Int32 = -1
                    var copied: Int32 = -1
                    if sqlite_nio_sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) == SQLITE_OK, log >= 0, copied >= 0 {
                        checkpointer.checkpointedInPlace(log: log, copied: copied)
                    }
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(checkpointer).toOpaque())
        }
        // Temporary files in memory: an upsert inside a transaction needs a statement journal,
        // and on disk each was a new file made and removed (two system calls and an inode):
        // the largest single cost of a rush write with the trail's two upserts.
        // The writer's page cache holds a large transaction's pages (an import of 60,000
        // rows spilled its dirty pages to the log mid-way and read them back): 64 MiB.
        // A reader's holds a federation's pages at a city's scale (the default 2 MiB read
        // them again from the file for every year page: 5.9 → 4.6 ms): up to 32 MiB for each
        // reader, one per event loop (a core), emptied whenever a write has changed the file.
        for pragma in readOnly ? ["PRAGMA query_only = 1", "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -32768"]
                               : ["PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA temp_store = MEMORY", "PRAGMA cache_size = -65536"] {
            try execute(opened, pragma, []) { _ in }
        }
        return opened
    }

    /// Prepares (once) and runs one statement; calls `onRow` for each row. On the loop only.
    /// With a budget, a statement still running when it is spent is interrupted (SQLite's
    /// error 9, `SQLITE_INTERRUPT`).
    func run(_ sql: String, _ binds: [SQLiteData], budget: Duration? = nil, _ onRow: (SyncSQLiteRow) throws -> Void) throws {
        let db = try open()
        guard joinsSnapshots else { return try execute(db, sql, binds, budget: budget, onRow) }
        try join(db)
        do {
            try execute(db, sql, binds, budget: budget, onRow)
        } catch {
            if snapshot != nil { endSnapshot(db) }
            throw error
        }
    }

    /// Before a statement: ends the read transaction of a request other than the one asking
    /// (or of one that has since written), and begins the asking request's if it has none.
    private func join(_ db: OpaquePointer) throws {
        let wanted = ReadSnapshot.current.flatMap { $0.isOpen ? $0 : nil }
        if let held = snapshot {
            if held === wanted { return }
            if held.isOpen { snapshotsCutShort += 1 }
            endSnapshot(db)
        }
        guard let wanted, sqlite_nio_sqlite3_get_autocommit(db) != 0, try inWAL(db) else { return }
        try execute(db, "BEGIN", []) { _ in }
        snapshot = wanted
        snapshotsBegun += 1
        wanted.began(on: self)
    }

    /// Whether the file is in WAL mode, where a read transaction never holds the writer back;
    /// asked until it is (the file turns to WAL after the migrations' first reads, and stays:
    /// leaving WAL needs the file to itself; a reader opened before learns it at its next
    /// read). Without WAL, a reader's transaction would keep the writer from committing,
    /// even the request's own write, so none is begun.
    private func inWAL(_ db: OpaquePointer) throws -> Bool {
        if fileInWAL { return true }
        var mode = ""
        try execute(db, "PRAGMA journal_mode", []) { mode = try $0.decode(column: "journal_mode", as: String.self) }
        fileInWAL = mode.lowercased() == "wal"
        return fileInWAL
    }

    private func endSnapshot(_ db: OpaquePointer) {
        snapshot = nil
        guard sqlite_nio_sqlite3_get_autocommit(db) == 0 else { return }
        do { try execute(db, "COMMIT", []) { _ in } } catch { try? execute(db, "ROLLBACK", []) { _ in } }
    }

    /// Ends `snapshot`'s read transaction, if this reader still holds it (on the loop).
    func end(_ snapshot: ReadSnapshot) {
        guard self.snapshot === snapshot, let handle else { return }
        endSnapshot(handle)
    }

    /// Whether a transaction is open on this connection now (on the loop).
    var inTransaction: Bool { handle.map { sqlite_nio_sqlite3_get_autocommit($0) == 0 } ?? false }

    private func execute(_ db: OpaquePointer, _ sql: String, _ binds: [SQLiteData], budget: Duration? = nil,
                         _ onRow: (SyncSQLiteRow) throws -> Void) throws {
        var timer: DispatchWorkItem?
        if let budget {
            serial += 1
            let id = serial
            running.withLock { $0 = id }
            nonisolated(unsafe) let handle = db
            let item = DispatchWorkItem { [self] in
                running.withLock { if $0 == id { sqlite_nio_sqlite3_interrupt(handle) } }
            }
            let (seconds, attoseconds) = budget.components
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)),
                                              execute: item)
            timer = item
        }
        defer {
            if let timer {
                running.withLock { $0 = 0 }
                timer.cancel()
            }
        }
        let kept: Kept
        if let cached = statements[StatementText(sql: sql)] {
            kept = cached
        } else {
            var prepared: OpaquePointer?
            let status = sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
            guard status == SQLITE_OK, let prepared else { throw error(db, status) }
            if statements.count >= 128 {
                for (_, old) in statements { sqlite_nio_sqlite3_finalize(old.statement) }
                statements.removeAll()
            }
            kept = Kept(prepared)
            statements[StatementText(sql: sql)] = kept
        }
        let statement = kept.statement
        defer {
            let preparedAgain = Int(sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 1))
            reprepared += preparedAgain
            // What `*` names may have changed, even in a run that returned no row.
            if preparedAgain > 0 { kept.columns = nil }
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (offset, bind) in binds.enumerated() {
            let i = Int32(offset + 1)
            let status: Int32 = switch bind {
            case .integer(let value): sqlite_nio_sqlite3_bind_int64(statement, i, Int64(value))
            case .float(let value): sqlite_nio_sqlite3_bind_double(statement, i, value)
            case .text(let value):
                sqlite_nio_sqlite3_bind_text64(statement, i, value, UInt64(value.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            case .blob(let value):
                value.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, i, $0.baseAddress, UInt64($0.count), Self.transient)
                }
            case .null: sqlite_nio_sqlite3_bind_null(statement, i)
            }
            guard status == SQLITE_OK else { throw error(db, status) }
        }
        var columns: RowColumns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error(db, status) }
            if columns == nil { columns = self.columns(of: kept) }
            let layout = columns!
            try onRow(SyncSQLiteRow(columns: layout, values: (0..<Int32(layout.names.count)).map { value(statement, $0) }))
        }
    }

    /// The columns of a kept statement, named once; again if SQLite prepared it anew in
    /// this run (a schema change can change what `*` names; `run` resets the count).
    private func columns(of kept: Kept) -> RowColumns {
        let count = sqlite_nio_sqlite3_column_count(kept.statement)
        let preparedAgain = sqlite_nio_sqlite3_stmt_status(kept.statement, SQLITE_STMTSTATUS_REPREPARE, 0) > 0
        if !preparedAgain, let known = kept.columns, known.names.count == Int(count) { return known }
        let made = RowColumns((0..<count).map { sqlite_nio_sqlite3_column_name(kept.statement, $0).map { String(cString: $0) } ?? "" })
        kept.columns = made
        return made
    }

    private func value(_ statement: OpaquePointer, _ i: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, i)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, i))
        case SQLITE_TEXT: return .text(sqlite_nio_sqlite3_column_text(statement, i).map { String(cString: $0) } ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, i))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, i) { buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count)) }
            return .blob(buffer)
        default: return .null
        }
    }

    private func error(_ db: OpaquePointer, _ status: Int32) -> SyncSQLiteError {
        SyncSQLiteError(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
    }

    /// Forgets the pages written to the log so far, so that the next commit's count
    /// (`SQLiteCheckpointer`) is its transaction's alone: called as a write transaction
    /// begins, after whatever a rolled-back one spilled.
    func forgetWrittenPages() {
        guard let handle else { return }
        var written: Int32 = 0
        var unused: Int32 = 0
        sqlite_nio_sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_WRITE, &written, &unused, 1)
    }

    /// Closes the handle (on the loop).
    func close() {
        snapshot = nil
        for (_, kept) in statements { sqlite_nio_sqlite3_finalize(kept.statement) }
        statements.removeAll()
        if let handle { sqlite_nio_sqlite3_close(handle) }
        handle = nil
    }
}

/// An SQLite error of the writer's connection; a constraint failure is one for Fluent too.
struct SyncSQLiteError: Error, DatabaseError, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { "SQLite error \(code): \(message)" }
    var isSyntaxError: Bool { code & 0xFF == SQLITE_ERROR }
    var isConstraintFailure: Bool { code & 0xFF == SQLITE_CONSTRAINT }
    var isConnectionClosed: Bool { code & 0xFF == SQLITE_MISUSE }
}

/// One row read by `SyncSQLiteConnection`.
struct SyncSQLiteRow: SQLRow {
    let layout: RowColumns
    let values: [SQLiteData]

    init(columns: RowColumns, values: [SQLiteData]) {
        layout = columns
        self.values = values
    }

    init(columns: [String], values: [SQLiteData]) {
        self.init(columns: RowColumns(columns), values: values)
    }

    var columns: [String] { layout.names }
    var allColumns: [String] { layout.names }
    func contains(column: String) -> Bool { layout.position(of: column) != nil }

    private func value(_ column: String) throws -> SQLiteData {
        guard let i = layout.position(of: column) else {
            throw DecodingError.keyNotFound(SQLCodingKey(stringValue: column)!, .init(codingPath: [], debugDescription: "no column \(column)"))
        }
        return values[i]
    }

    func decodeNil(column: String) throws -> Bool {
        if case .null = try value(column) { return true }
        return false
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let data = try value(column)
        if let kind = DirectKind.of(D.self), let value = Self.read(kind, data) { return value.as(D.self) }
        return try SQLiteDataDecoder().decode(D.self, from: data)
    }

    private static func read(_ kind: DirectKind, _ data: SQLiteData) -> DirectValue? {
        switch kind {
        case .string: return data.string.map(DirectValue.string)
        case .uuid: return uuid(data).map(DirectValue.uuid)
        case .int: if case .integer(let v) = data { return .int(v) } else { return nil }
        case .int64: if case .integer(let v) = data { return .int64(Int64(v)) } else { return nil }
        case .bool: return data.bool.map(DirectValue.bool)
        case .double: return number(data).map(DirectValue.double)
        case .date: return number(data).map { .date(date($0)) }
        case .optionalString: return data == .null ? .optionalString(nil) : data.string.map { .optionalString($0) }
        case .optionalUUID: return data == .null ? .optionalUUID(nil) : uuid(data).map { .optionalUUID($0) }
        case .optionalDate: return data == .null ? .optionalDate(nil) : number(data).map { .optionalDate(date($0)) }
        case .optionalInt:
            if data == .null { return .optionalInt(nil) }
            if case .integer(let v) = data { return .optionalInt(v) }
            return nil
        case .optionalInt64:
            if data == .null { return .optionalInt64(nil) }
            if case .integer(let v) = data { return .optionalInt64(Int64(v)) }
            return nil
        case .optionalBool: return data == .null ? .optionalBool(nil) : data.bool.map { .optionalBool($0) }
        }
    }

    /// The common types as the driver's decoder reads them, without it: it makes a
    /// `JSONDecoder` for every value, and reads a UUID through a nested decoder. Nil when
    /// the type or the value is not one of these, for the driver to decode (or to name the
    /// mismatch).
    static func direct<D>(_ type: D.Type, _ data: SQLiteData) -> D? {
        guard let kind = DirectKind.of(D.self), let value = read(kind, data) else { return nil }
        return value.as(D.self)
    }

    private static func uuid(_ data: SQLiteData) -> UUID? {
        guard case .text(let text) = data else { return nil }
        return uuid(text)
    }

    /// A UUID from its 36 characters, read here by bytes: Foundation's parser on Linux calls
    /// `sscanf`, 4 % of a dashboard's time (every id SQLite holds is text). Anything but 32
    /// hex digits with the four hyphens in place goes to Foundation, whose answer it keeps.
    static func uuid(_ text: String) -> UUID? {
        var bytes = (UInt64(0), UInt64(0))
        let parsed = text.utf8.withContiguousStorageIfAvailable { chars -> Bool in
            guard chars.count == 36 else { return false }
            var digits = 0
            for (i, char) in chars.enumerated() {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard char == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard let nibble = char.hexDigitValue else { return false }
                if digits < 16 { bytes.0 = bytes.0 << 4 | UInt64(nibble) } else { bytes.1 = bytes.1 << 4 | UInt64(nibble) }
                digits += 1
            }
            return true
        } ?? false
        guard parsed else { return UUID(uuidString: text) }
        func byte(_ half: UInt64, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: half >> UInt64(56 - 8 * i)) }
        let (a, b) = bytes
        return UUID(uuid: (byte(a, 0), byte(a, 1), byte(a, 2), byte(a, 3), byte(a, 4), byte(a, 5), byte(a, 6), byte(a, 7),
                           byte(b, 0), byte(b, 1), byte(b, 2), byte(b, 3), byte(b, 4), byte(b, 5), byte(b, 6), byte(b, 7)))
    }

    private static func number(_ data: SQLiteData) -> Double? {
        switch data {
        case .float(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }

    /// As the driver: rounded to the microsecond, from the reference date.
    private static func date(_ seconds: Double) -> Date {
        let sinceReference = seconds - Date.timeIntervalBetween1970AndReferenceDate
        return Date(timeIntervalSinceReferenceDate: (sinceReference * 1e6).rounded() / 1e6)
    }
}

private struct SQLCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Fluent and SQLKit over `SyncSQLiteConnection`: models, query builders and raw SQL all
/// run in place on the writer's loop.
struct SyncSQLiteDatabase: Database, SQLDatabase, HotSQLite {
    let connection: SyncSQLiteConnection
    let context: DatabaseContext
    let inTransaction: Bool
    /// How long each statement may run (a budgeted reader), or no limit.
    var statementBudget: Duration? = nil

    private struct Delegate: SQLConverterDelegate {
        func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? {
            switch dataType {
            case .string, .enum: SQLRaw("TEXT")
            case .datetime: SQLRaw("REAL")
            case .int64: SQLRaw("INTEGER")
            default: nil
            }
        }
    }

    private struct Output: DatabaseOutput {
        let row: any SQLRow
        let schema: String?
        var description: String { "\(row)" }
        private func column(_ key: FieldKey) -> String { (schema.map { .prefix(.prefix(.string($0), "_"), key) } ?? key).description }
        func schema(_ schema: String) -> any DatabaseOutput { Output(row: row, schema: schema) }
        func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }
        func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }
        func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T { try row.decode(column: column(key), as: T.self) }
    }

    /// A bind as Fluent's SQLite driver writes it (`SQLiteDataEncoder`), the common types
    /// first by a cast to each: the encoder's own path, a lookup of a protocol's conformance
    /// and a `JSONEncoder` made per statement, was most of a write's binding.
    static func data(_ value: any Encodable & Sendable) throws -> SQLiteData {
        guard let direct = DirectValue(value) else { return try SQLiteDataEncoder().encode(value) }
        return switch direct {
        case .string(let v), .optionalString(let v?): .text(v)
        case .uuid(let v), .optionalUUID(let v?): .text(v.canonicalText)
        case .int(let v), .optionalInt(let v?): .integer(v)
        case .int64(let v), .optionalInt64(let v?): .integer(Int(v))
        case .date(let v), .optionalDate(let v?): .float(v.timeIntervalSince1970)
        case .bool(let v), .optionalBool(let v?): .integer(v ? 1 : 0)
        case .double(let v): .float(v)
        case .optionalString(nil), .optionalUUID(nil), .optionalInt(nil), .optionalInt64(nil), .optionalDate(nil), .optionalBool(nil): .null
        }
    }

    /// Runs a statement already serialised, on the connection's loop (in place when there).
    func execute(serialized sql: String, _ binds: [any Encodable & Sendable], _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        connection.onLoop { try run(sql, binds, onRow) }
    }

    /// A multi-row INSERT (`BulkInsert`) run in place, its values made ready by `BulkInsert.prepare`.
    func insert(_ sql: String, values: [SQLiteData]) async throws {
        try await connection.onLoop { [values] in try connection.run(sql, values) { _ in } }
    }

    /// A hot statement's text run in place, its values bound by number.
    func hot(_ text: HotSQLiteText, _ binds: [(any HotValue)?]) async throws -> [any SQLRow]? {
        let (sql, values) = try text.bound(binds, Self.data, null: .null)
        return try await connection.onLoop { [statementBudget] in
            var rows: [any SQLRow] = []
            try connection.run(sql, values, budget: statementBudget) { rows.append($0) }
            return rows
        }
    }

    /// Runs an SQL expression in place.
    private func perform(_ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) throws {
        let (sql, binds) = serialize(query)
        try run(sql, binds, onRow)
    }

    /// Runs a serialised statement in place; the binds as Fluent's SQLite driver writes them.
    private func run(_ sql: String, _ binds: [any Encodable & Sendable], _ onRow: @escaping @Sendable (any SQLRow) -> ()) throws {
        try connection.run(sql, try binds.map(Self.data), budget: statementBudget) { onRow($0) }
    }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> ()) -> EventLoopFuture<Void> {
        var expression = SQLQueryConverter(delegate: Delegate()).convert(query)
        if case .create = query.action, query.customIDKey != .string("") {
            expression = SQLKit.SQLList([expression, SQLReturning(.init((query.customIDKey ?? .id).description))], separator: SQLRaw(" "))
        }
        let sql = expression
        return connection.onLoop { try perform(sql) { onOutput(Output(row: $0, schema: nil)) } }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        let sql = SQLSchemaConverter(delegate: Delegate()).convert(schema)
        return connection.onLoop { try perform(sql) { _ in } }
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        connection.loop.makeSucceededFuture(())
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if inTransaction { return closure(self) }
        let inside = SyncSQLiteDatabase(connection: connection, context: context, inTransaction: true)
        return connection.onLoop { try connection.run("BEGIN IMMEDIATE", []) { _ in } }.flatMap {
            closure(inside).flatMap { value in
                connection.onLoop { try connection.run("COMMIT", []) { _ in } }.map { value }
            }.flatMapError { error in
                connection.onLoop { try? connection.run("ROLLBACK", []) { _ in } }.flatMapThrowing { throw error }
            }
        }
    }

    func transaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await closure(self) }
        let inside = SyncSQLiteDatabase(connection: connection, context: context, inTransaction: true)
        try await connection.onLoop { try connection.run("BEGIN IMMEDIATE", []) { _ in } }
        do {
            let value = try await closure(inside)
            try await connection.onLoop { try connection.run("COMMIT", []) { _ in } }
            return value
        } catch {
            try? await connection.onLoop { try connection.run("ROLLBACK", []) { _ in } }
            throw error
        }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }

    // SQLDatabase
    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { connection.loop }
    var dialect: any SQLDialect { SQLiteDialect() }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        connection.onLoop { try perform(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await connection.onLoop { try perform(query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
