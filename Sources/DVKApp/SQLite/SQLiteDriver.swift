import Foundation
import FluentKit
import FluentSQLiteDriver
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// SQLite with one writer connection of its own.
///
/// Fluent gives SQLite one connection per event loop, and a transaction holds its loop's
/// connection from `BEGIN` to `COMMIT`: every read of that loop's requests waits behind
/// it, and it waits behind them for the connection. Measured on deadline day's load, a
/// five-statement write then held the file's write lock for 3 ms, almost all of it queued.
/// Here the reads keep the loops' connections, and every write transaction runs on a
/// separate connection (`SyncSQLiteConnection`) on an event loop of its own, its code
/// and its statements on that loop's thread (`EventLoopTaskExecutor`), one writer at a
/// time, the writers waiting committed together (`SQLiteWriterQueue`). In WAL mode the readers never wait for the writer.
struct DVKSQLiteConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    var storage: SQLiteConfiguration
    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    init(_ storage: SQLiteConfiguration) {
        // Before any connection of Fluent's driver can open (`SQLiteProcess`).
        _ = SQLiteProcess.setUp
        self.storage = storage
        base = DatabaseConfigurationFactory.sqlite(storage, sqlLogLevel: .trace).make()
    }

    /// The file SQLiteKit opens for this storage (an "in-memory" database is a temporary
    /// file there, so that several connections share it).
    var path: String {
        switch storage.storage {
        case .file(let path): return path
        case .memory(let identifier):
            let name = "sqlite-kit_memorydb-\(ProcessInfo.processInfo.processIdentifier)-\(identifier).sqlite3"
                .replacingOccurrences(of: "/", with: "-")
            return FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: false).path
        }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        // The writer's thread, and one for each budgeted reader.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1 + DVKSQLiteDriver.budgetedReaders)
        // The file exists from the start (an empty file is an empty database), so that a
        // read-only connection opens it even before the first write creates its tables.
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let loops = Array(group.makeIterator())
        let checkpointer = SQLiteCheckpointer(path: path)
        return DVKSQLiteDriver(base: base.makeDriver(for: databases),
                               writer: SyncSQLiteConnection(path: path, loop: loops[0], checkpointer: checkpointer),
                               readers: loops.dropFirst().map { SyncSQLiteConnection(path: path, loop: $0, readOnly: true) },
                               group: group, local: LoopReaders(path: path), checkpointer: checkpointer, temporary: isMemory ? path : nil)
    }

    private var isMemory: Bool {
        if case .memory = storage.storage { return true }
        return false
    }
}

struct DVKSQLiteDriver: DatabaseDriver {
    /// Read-only connections for reads with a time budget (`Database.boundedReads`): the
    /// public library's searches. Two: as many as the cores a small server has.
    static let budgetedReaders = 2

    var base: any DatabaseDriver
    var writer: SyncSQLiteConnection
    var readers: [SyncSQLiteConnection]
    var group: MultiThreadedEventLoopGroup
    /// A read-only connection on each request loop that has asked for one.
    var local: LoopReaders
    /// Folds the log into the file after the writer's commits, off the writer's thread.
    var checkpointer: SQLiteCheckpointer
    /// The file's one queue of write transactions.
    let queue = SQLiteWriterQueue()
    /// An "in-memory" database's file, removed at shutdown with its WAL and index (the
    /// tests had left thousands in the temporary folder).
    var temporary: String?

    func makeDatabase(with context: DatabaseContext) -> any Database {
        let writerContext = DatabaseContext(configuration: context.configuration, logger: context.logger, eventLoop: writer.loop,
                                            history: context.history, pageSizeLimit: context.pageSizeLimit)
        return WriterBackedDatabase(base: base.makeDatabase(with: context),
                                    writer: SyncSQLiteDatabase(connection: writer, context: writerContext, inTransaction: false),
                                    writerLoop: writer.loop, readers: readers, queue: queue,
                                    local: SyncSQLiteDatabase(connection: local.reader(on: context.eventLoop), context: context, inTransaction: false))
    }

    func shutdown() {
        base.shutdown()
        checkpointer.stop()
        try? writer.loop.submit { writer.close() }.wait()
        for reader in readers + local.all { try? reader.loop.submit { reader.close() }.wait() }
        try? group.syncShutdownGracefully()
        removeTemporary()
    }

    func shutdownAsync() async {
        await base.shutdownAsync()
        await checkpointer.stop()
        try? await writer.loop.submit { writer.close() }.get()
        for reader in readers + local.all { try? await reader.loop.submit { reader.close() }.get() }
        try? await group.shutdownGracefully()
        removeTemporary()
    }

    private func removeTemporary() {
        guard let temporary else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
    }
}

/// The reads of a request run in place on its own event loop, on a read-only connection of
/// that loop: through Fluent's SQLite driver each statement went to a thread pool and its
/// answer came back, two thread switches and a quarter of a page's CPU (`scripts/bench-reads
/// --perf`). A read takes the loop's thread for its statement's time, which on a file a
/// district's data fills is microseconds; the library's searches, which can take longer,
/// keep their budgeted readers.
final class LoopReaders: Sendable {
    let path: String
    private let readers = Mutex<[ObjectIdentifier: SyncSQLiteConnection]>([:])

    init(path: String) { self.path = path }

    func reader(on loop: any EventLoop) -> SyncSQLiteConnection {
        let reader = readers.withLock { readers in
            let key = ObjectIdentifier(loop as AnyObject)
            if let known = readers[key] { return known }
            let made = SyncSQLiteConnection(path: path, loop: loop, readOnly: true, joinsSnapshots: true)
            readers[key] = made
            return made
        }
        reader.madeDatabase()
        return reader
    }

    var all: [SyncSQLiteConnection] { readers.withLock { Array($0.values) } }
}

/// A loop's SQLite database that sends its write transactions to the writer connection.
struct WriterBackedDatabase: Database, SQLDatabase, HotSQLite {
    let base: any Database
    let writer: SyncSQLiteDatabase
    let writerLoop: any EventLoop
    let readers: [SyncSQLiteConnection]
    let queue: SQLiteWriterQueue
    /// The read-only connection of this database's event loop (`LoopReaders`).
    let local: SyncSQLiteDatabase

    private var sql: any SQLDatabase { base as! any SQLDatabase }

    var context: DatabaseContext { base.context }
    var inTransaction: Bool { base.inTransaction }

    /// Reads on the loop's own connection; anything else through Fluent's driver.
    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> ()) -> EventLoopFuture<Void> {
        switch query.action {
        case .read, .aggregate: return local.execute(query: query, onOutput: onOutput)
        default:
            ReadSnapshot.wrote()
            return base.execute(query: query, onOutput: onOutput)
        }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        ReadSnapshot.wrote()
        return base.execute(schema: schema)
    }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        ReadSnapshot.wrote()
        return base.transaction(closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        ReadSnapshot.wrote()
        return base.withConnection(closure)
    }

    /// Reads on a budgeted reader (one of them at random), each statement at most `budget`;
    /// the code on the reader's loop.
    func budgetedRead<T: Sendable>(_ budget: Duration, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let reader = readers.randomElement() else { return try await body(self) }
        let context = DatabaseContext(configuration: base.context.configuration, logger: base.context.logger, eventLoop: reader.loop,
                                      history: base.context.history, pageSizeLimit: base.context.pageSizeLimit)
        let db = SyncSQLiteDatabase(connection: reader, context: context, inTransaction: false, statementBudget: budget)
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(reader.loop)) { try await body(db) }
    }

    /// One write transaction on the writer connection in its turn, its code on the
    /// writer's loop; committed with the writers queued behind it (`SQLiteWriterQueue`).
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        ReadSnapshot.wrote()
        let connection = writer.connection
        let inside = SyncSQLiteDatabase(connection: connection, context: writer.context, inTransaction: true)
        func statement(_ sql: String) -> @Sendable () async throws -> Void {
            { try await connection.onLoop { try connection.run(sql, []) { _ in } } }
        }
        let statements = SQLiteWriterQueue.Statements(
            begin: {
                try await connection.onLoop {
                    connection.forgetWrittenPages()
                    try connection.run("BEGIN IMMEDIATE", []) { _ in }
                }
            },
            savepoint: statement("SAVEPOINT dvk_write"), release: statement("RELEASE dvk_write"),
            rollbackToSavepoint: statement("ROLLBACK TO dvk_write"), commit: statement("COMMIT"),
            rollback: { _ = try? await connection.onLoop { try connection.run("ROLLBACK", []) { _ in } } })
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(writerLoop)) {
            try await queue.transaction(statements) { try await body(inside) }
        }
    }

    // SQLDatabase
    var logger: Logger { sql.logger }
    var eventLoop: any EventLoop { sql.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var dialect: any SQLDialect { sql.dialect }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    /// A `SELECT` on the loop's own connection (a read-only one: a statement that would
    /// write fails there instead of writing); anything else through Fluent's driver.
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        let (text, binds) = local.serialize(query)
        guard Self.isSelect(text) else {
            ReadSnapshot.wrote()
            return sql.execute(sql: query, onRow)
        }
        return local.execute(serialized: text, binds, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        let (text, binds) = local.serialize(query)
        guard Self.isSelect(text) else {
            ReadSnapshot.wrote()
            return try await sql.execute(sql: query, onRow)
        }
        try await local.execute(serialized: text, binds, onRow).get()
    }

    /// A read on the loop's own connection; anything else as `execute(sql:)` sends it.
    func hot(_ text: HotSQLiteText, _ binds: [(any HotValue)?]) async throws -> [any SQLRow]? {
        guard text.isSelect else { return nil }
        return try await local.hot(text, binds)
    }

    /// Whether a statement only reads: it begins with SELECT.
    static func isSelect(_ sql: String) -> Bool {
        let head = sql.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "(") }.prefix(7)
        return String(decoding: head, as: UTF8.self).uppercased() == "SELECT "
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        ReadSnapshot.wrote()
        return try await sql.withSession(closure)
    }
}
