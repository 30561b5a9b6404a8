import DVKCore
import FluentKit
import FluentPostgresDriver
import Foundation

extension Database {
    /// Runs `body` as one write transaction, the way each database serialises writers:
    ///
    /// - SQLite has one writer per file. Writes of this process queue on the file's
    ///   `SQLiteWriterQueue` before they take its writer connection, so a transaction never
    ///   finds the file locked by another of its own (which SQLite answers with "database
    ///   is locked" or, for a transaction that read first, a busy snapshot no retry can fix).
    /// - PostgreSQL takes row locks (the unit's submission row, see `SubmissionLock`); a
    ///   deadlock or a serialization failure is retried, up to three times.
    ///
    /// Inside a transaction already, `body` simply runs there.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        // The transaction may run its body in a task of the driver's: the actor the trail
        // names goes with it.
        let actor = Actor.current
        let body: @Sendable (any Database) async throws -> T = { db in try await Actor.$current.withValue(actor) { try await body(db) } }
        let started = ContinuousClock.now
        defer { AppMetrics.shared.writeTransaction(ContinuousClock.now - started) }
        if let sqlite = self as? WriterBackedDatabase {
            return try await sqlite.writeTransaction(body)
        }
        // Fluent runs a PostgreSQL transaction's body in a plain task, on Swift's global
        // pool: each statement went to the connection's loop and its answer came back, two
        // thread switches a statement while the row locks were held (`scripts/rush --perf`:
        // a quarter of the server's samples on the pool). A request's body runs on the loop.
        // One begun off its loop (a command; a request with a big upload, `Request.step`,
        // whose import would hold the loop's other requests) stays where Fluent puts it.
        let fromLoop = eventLoop.inEventLoop
        let run: @Sendable (any Database) async throws -> T = { db in
            guard fromLoop else { return try await body(db) }
            return try await withTaskExecutorPreference(EventLoopTaskExecutor(db.eventLoop)) { try await body(db) }
        }
        var attempt = 0
        while true {
            do {
                return try await transaction(run)
            } catch let error as PSQLError where error.isRetryable && attempt < 2 {
                attempt += 1
            }
        }
    }
}

extension Database {
    /// Runs reads of which every statement stops after `budget`, answered "busy" (503) when
    /// one does: on PostgreSQL in a read-only transaction with `statement_timeout`, on
    /// SQLite on a budgeted reader connection (`WriterBackedDatabase.budgetedRead`).
    func boundedReads<T: Sendable>(_ budget: Duration, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        do {
            if let sqlite = self as? WriterBackedDatabase {
                return try await sqlite.budgetedRead(budget, body)
            }
            if !inTransaction, (self as? any SQLDatabase)?.dialect.name == "postgresql" {
                let milliseconds = budget.components.seconds * 1_000 + budget.components.attoseconds / 1_000_000_000_000_000
                return try await transaction { db in
                    try await db.sql().raw("SET TRANSACTION READ ONLY").run()
                    try await db.sql().raw("SET LOCAL statement_timeout = \(unsafeRaw: String(milliseconds))").run()
                    return try await body(db)
                }
            }
            return try await body(self)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57014" {
            throw Self.overBudget
        } catch let error as SyncSQLiteError where error.code & 0xFF == 9 {  // SQLITE_INTERRUPT
            throw Self.overBudget
        }
    }

    static var overBudget: DomainError {
        .unavailable("Yêu cầu này cần quá nhiều thời gian để trả lời. Vui lòng thêm từ hoặc bộ lọc để thu hẹp, rồi thử lại.")
    }
}

extension PSQLError {
    /// A deadlock or a serialization failure: the transaction lost a race and can run again.
    var isRetryable: Bool {
        guard code == .server, let state = serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }
}
