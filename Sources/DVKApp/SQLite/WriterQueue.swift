import Synchronization

/// The queue of one SQLite file's writers (see `Database.write`), first come first served;
/// its driver owns it. Reentrant: a write inside a write runs at once. A lock, not an
/// actor, so that taking it does not move the task off its event loop.
///
/// Group commit: when writers are waiting as one finishes, its transaction stays open and
/// the next writer's work joins it, each writer in a savepoint of its own (its failure
/// undoes its work alone); the last of the group commits, and every writer of the group
/// returns only after that commit. On deadline day most of a write's cost on SQLite is the
/// pages a commit writes to the WAL (a table's last page, each index's leaf, the counts),
/// and a group writes each page once. A writer alone commits at once, as before.
final class SQLiteWriterQueue: Sendable {
    @TaskLocal private static var holding = false

    /// The most writers one commit holds: bounds how long the first of them waits.
    static let groupLimit = 32

    /// The statements a transaction is made of, run by the writer that holds the queue.
    struct Statements: Sendable {
        var begin: @Sendable () async throws -> Void
        var savepoint: @Sendable () async throws -> Void
        var release: @Sendable () async throws -> Void
        var rollbackToSavepoint: @Sendable () async throws -> Void
        var commit: @Sendable () async throws -> Void
        var rollback: @Sendable () async -> Void
    }

    /// An open transaction: how many writers it holds, and those waiting for its commit.
    private struct Group {
        var members = 0
        var waiting: [CheckedContinuation<Void, any Error>] = []
    }

    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var group: Group?
    }

    private let state = Mutex(State())

    /// Writers queued behind the one that holds the lock.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Transactions committed so far (a group is one).
    var commits: Int { committed.load(ordering: .relaxed) }
    private let committed = Atomic<Int>(0)

    /// Runs `body` as (part of) a write transaction made of `statements`: joins the open
    /// group or begins one, and returns once the work is committed (or throws: its own
    /// error, or the commit's).
    func transaction<T: Sendable>(_ statements: Statements, _ body: @Sendable () async throws -> T) async throws -> T {
        if Self.holding { return try await body() }
        await acquire()
        if state.withLock({ $0.group == nil }) {
            do {
                try await statements.begin()
            } catch {
                release()
                throw error
            }
            state.withLock { $0.group = Group() }
        }
        let result: Result<T, any Error>
        do {
            try await statements.savepoint()
            let value = try await Self.$holding.withValue(true) { try await body() }
            try await statements.release()
            result = .success(value)
        } catch {
            do {
                try await statements.rollbackToSavepoint()
                try await statements.release()
            } catch {
                // The transaction itself is gone (SQLite rolls it back on a full disk or an
                // I/O error): nothing of the group is kept, and each writer is told.
                await statements.rollback()
                end(.failure(error))
                throw error
            }
            result = .failure(error)
        }
        let handOver = state.withLock { s -> Bool in
            s.group?.members += 1
            return !s.waiting.isEmpty && (s.group?.members ?? Self.groupLimit) < Self.groupLimit
        }
        if handOver {
            // The next writer joins; this one's work is committed with the group's.
            guard case .success = result else {
                release()
                return try result.get()
            }
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                state.withLock { $0.group?.waiting.append(continuation) }
                release()
            }
            return try result.get()
        }
        do {
            try await statements.commit()
        } catch {
            await statements.rollback()
            end(.failure(error))
            throw error
        }
        committed.add(1, ordering: .relaxed)
        end(.success(()))
        return try result.get()
    }

    /// Closes the open group with its commit's outcome, and passes the queue on.
    private func end(_ outcome: Result<Void, any Error>) {
        let waiting = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            defer { s.group = nil }
            return s.group?.waiting ?? []
        }
        for continuation in waiting { continuation.resume(with: outcome) }
        release()
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
