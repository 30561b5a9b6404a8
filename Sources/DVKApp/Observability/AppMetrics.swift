import FluentKit
import Foundation
import Prometheus
import SQLKit

/// The process's metrics in the Prometheus text format (`GET /metrics`): requests by route
/// and status with their latency, write transactions, sign-in failures, and at each scrape
/// the database's answer time, the SQLite writers waiting and the outbox by status. One
/// registry per process, as Prometheus scrapes processes.
final class AppMetrics: Sendable {
    static let shared = AppMetrics()

    let registry = PrometheusCollectorRegistry()
    private let loginFailures: Counter
    private let writes: DurationHistogram

    static let latencyBuckets: [Duration] = [.milliseconds(1), .microseconds(2_500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                             .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                             .microseconds(2_500_000), .seconds(5), .seconds(10)]

    private init() {
        loginFailures = registry.makeCounter(name: "dvk_login_failures_total", help: "Sign-ins refused: a wrong name or password, or a throttled account")
        writes = registry.makeDurationHistogram(name: "dvk_db_write_transaction_seconds", buckets: Self.latencyBuckets,
                                                help: "Write transactions, from asking for the writer (SQLite) or a connection (PostgreSQL) to the commit")
    }

    func request(method: String, route: String, status: UInt, duration: Duration) {
        registry.makeCounter(name: "dvk_http_requests_total", labels: [("method", method), ("route", route), ("status", String(status))],
                             help: "HTTP requests answered, by route (its pattern) and status").increment()
        registry.makeDurationHistogram(name: "dvk_http_request_duration_seconds", labels: [("method", method), ("route", route)],
                                       buckets: Self.latencyBuckets, help: "Time to answer an HTTP request").record(duration)
    }

    func loginFailed() { loginFailures.increment() }

    func writeTransaction(_ duration: Duration) { writes.record(duration) }

    /// A new model the one statement was tried for (`RegistrationStore.SaveAtOnce`): written
    /// by it, or left to the locked write. Models never tried that way (a unit's first, a
    /// version other than the one asked, returned work, a continued or replicated model) are
    /// not counted.
    func savedAtOnce(_ written: Bool) {
        registry.makeCounter(name: "dvk_new_models_at_once_total", labels: [("outcome", written ? "written" : "locked")],
                             help: "New models the one statement was tried for on PostgreSQL: written by it (written), or left to the locked write (locked): the unit, its trail or its campaign moved or was held by another write since the request's read, the registrant is stored under another spelling, or a retryable error").increment()
    }

    /// The text to serve, after reading what is measured at the scrape.
    func scrape(on db: any Database) async -> String {
        let up = registry.makeGauge(name: "dvk_db_up", help: "1 when the database answered the scrape's query")
        let ping = registry.makeGauge(name: "dvk_db_ping_seconds", help: "How long the database took to answer SELECT 1 at the scrape")
        let started = ContinuousClock.now
        do {
            _ = try await db.sql().raw("SELECT 1 AS one").first()
            let elapsed = ContinuousClock.now - started
            ping.set(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            up.set(1.0)
            var counts: [String: Int] = [:]
            for row in try await db.sql().raw("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").all() {
                counts[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            for status in MailStatus.allCases {
                registry.makeGauge(name: "dvk_outbox_messages", labels: [("status", status.rawValue)],
                                   help: "Messages in the outbox by status (queued ones wait for a sender)").set(Double(counts[status.rawValue] ?? 0))
            }
        } catch {
            up.set(0.0)
        }
        registry.makeGauge(name: "dvk_sqlite_writers_waiting", help: "Write transactions waiting for SQLite's one writer (0 on PostgreSQL)")
            .set(Double((db as? WriterBackedDatabase)?.queue.waiting ?? 0))
        return registry.emitToString()
    }
}
