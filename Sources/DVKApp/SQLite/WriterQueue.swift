import Synchronization

/// The queue of one SQLite file's writers (see `Database.write`), first come first served;
/// its driver owns it. Reentrant: a write inside a write runs at once. A lock, not an
/// actor, so that taking it does not move the task off its event loop.
final class SQLiteWriterQueue: Sendable {
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
