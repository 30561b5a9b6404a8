import Synchronization
import Vapor

/// Counts the requests being answered, so that shutting down (SIGTERM) waits for them
/// before the databases close: a handler that reaches `req.database` after Fluent shut down
/// would otherwise crash the process (seen on PostgreSQL under load).
final class InFlightRequests: LoopMiddleware, LifecycleHandler, Sendable {
    private struct State {
        var running = 0
        var closing = false
    }

    private let state = Mutex(State())
    /// How long shutdown waits for answers still being written.
    let patience: Duration

    init(patience: Duration = .seconds(20)) {
        self.patience = patience
    }

    var current: Int { state.withLock { $0.running } }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Checked and counted under one lock: once closing, nothing new reaches the database.
        let admitted = state.withLock { s in
            if s.closing { return false }
            s.running += 1
            return true
        }
        guard admitted else {
            let response = Response(status: .serviceUnavailable, body: .init(string: "Máy chủ đang dừng, vui lòng thử lại sau ít giây."))
            response.headers.replaceOrAdd(name: .retryAfter, value: "5")
            response.headers.replaceOrAdd(name: .connection, value: "close")
            return response
        }
        defer { state.withLock { $0.running -= 1 } }
        return try await next.respond(to: request)
    }

    func shutdownAsync(_ application: Application) async {
        state.withLock { $0.closing = true }
        let deadline = ContinuousClock.now + patience
        while current > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if current > 0 { application.logger.warning("shutting down with \(current) requests still running") }
    }
}

extension Application {
    /// Registered after the databases, so lifecycle shutdown (in reverse order) drains
    /// requests before Fluent closes its connections.
    func useGracefulShutdown() -> InFlightRequests {
        let tracker = InFlightRequests()
        lifecycle.use(tracker)
        return tracker
    }
}
