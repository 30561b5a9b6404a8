import FluentKit
import FluentPostgresDriver
import Foundation
import Synchronization

extension Database {
    /// Runs `body` as one write transaction, the way each database serialises writers:
    ///
    /// - SQLite has one writer per file. Writes of this process queue on one lock before
    ///   they take a connection, so a transaction never finds the file locked by another
    ///   of its own (which SQLite answers with "database is locked" or, for a transaction
    ///   that read first, a busy snapshot no retry can fix).
    /// - PostgreSQL takes row locks (the unit's submission row, see `SubmissionLock`); a
    ///   deadlock or a serialization failure is retried, up to three times.
    ///
    /// Inside a transaction already, `body` simply runs there.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        let started = ContinuousClock.now
        defer { AppMetrics.shared.writeTransaction(ContinuousClock.now - started) }
        if let sqlite = self as? WriterBackedDatabase {
            return try await SQLiteWriter.shared.run { try await sqlite.writeTransaction(body) }
        }
        var attempt = 0
        while true {
            do {
                return try await transaction(body)
            } catch let error as PSQLError where error.isRetryable && attempt < 2 {
                attempt += 1
            }
        }
    }
}

extension PSQLError {
    /// A deadlock or a serialization failure: the transaction lost a race and can run again.
    var isRetryable: Bool {
        guard code == .server, let state = serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }
}

/// The one queue of SQLite writers in this process (see `Database.write`), first come first
/// served. Reentrant: a write inside a write runs at once. A lock, not an actor, so that
/// taking it does not move the task off its event loop.
final class SQLiteWriter: Sendable {
    static let shared = SQLiteWriter()

    @TaskLocal private static var holding = false

    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Writers queued behind the one that holds the lock.
    var waiting: Int { state.withLock { $0.waiting.count } }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if Self.holding { return try await body() }
        await acquire()
        defer { release() }
        return try await Self.$holding.withValue(true) { try await body() }
    }

    private func acquire() async {
        let free = state.withLock { s -> Bool in
            if s.busy { return false }
            s.busy = true
            return true
        }
        if free { return }
        await withCheckedContinuation { continuation in
            let now = state.withLock { s -> Bool in
                if !s.busy { s.busy = true; return true }
                s.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiting.isEmpty { s.busy = false; return nil }
            return s.waiting.removeFirst()
        }
        next?.resume()
    }
}
