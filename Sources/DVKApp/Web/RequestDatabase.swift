import Fluent
import Vapor

extension Request {
    /// The request's database, made on first use and kept for the rest of the request.
    /// Fluent's `req.db` makes it anew on every use, each time through the application's
    /// locked storage (the two event loops waited on that lock): three uses were 6 % of the
    /// summary API's CPU (`scripts/bench-reads --perf`). `scripts/check-rules` keeps
    /// `req.db` out of the sources.
    var database: any Database {
        if let made = storage[RequestDatabaseKey.self] { return made }
        let made = db(nil)
        storage[RequestDatabaseKey.self] = made
        return made
    }
}

private struct RequestDatabaseKey: StorageKey {
    typealias Value = any Database
}
