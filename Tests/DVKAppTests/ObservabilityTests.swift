import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

@Suite struct ObservabilityTests {
    func value(_ text: String, _ series: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    static let token = "a-scrapers-secret-of-32-or-more-characters"
    static let scraper: HTTPHeaders = ["Authorization": "Bearer " + token]

    @Test func metricsCountRequestsByRouteAndStatusAndLoginFailures() async throws {
        try await withApp({ $0.metrics.token = Self.token }) { app in
            try await Fixture.load(app)
            let before = try await app.testing().sendRequest(.GET, "/metrics", headers: Self.scraper).body.string
            _ = try await app.testing().sendRequest(.GET, "/campaigns/DVK-2024")
            _ = try await app.testing().sendRequest(.GET, "/campaigns/DVK-2024")
            _ = try await app.testing().sendRequest(.POST, "/login", headers: ["Cookie": "dvk_csrf=t", "Content-Type": "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "username=ai&password=sai&_csrf=t"))
            let after = try await app.testing().sendRequest(.GET, "/metrics", headers: Self.scraper)
            #expect(after.headers.contentType?.description.hasPrefix("text/plain") == true)
            let text = after.body.string
            let page = #"dvk_http_requests_total{method="GET",route="/campaigns/:campaign",status="303"}"#
            // Other tests of this process ask too (one registry per process): at least these two.
            #expect(value(text, page) - value(before, page) >= 2)
            #expect(value(text, "dvk_login_failures_total") - value(before, "dvk_login_failures_total") >= 1)
            #expect(text.contains(#"dvk_outbox_messages{status="queued"} 0"#))
            #expect(text.contains("dvk_db_up 1.0"))
            #expect(text.contains("dvk_db_write_transaction_seconds_count"))
        }
    }

    @Test func readyWhenTheDatabaseAnswersAndIsMigrated() async throws {
        try await withApp { app in
            let ready = try await app.testing().sendRequest(.GET, "/ready")
            #expect(ready.status == .ok && ready.body.string == "ready\n")
            // One migration forgotten (the row put back after: PostgreSQL's test database is shared).
            let sql = try app.db.sql()
            try await sql.raw("UPDATE _fluent_migrations SET name = 'DVKApp.AddMail.hidden' WHERE name = 'DVKApp.AddMail'").run()
            let pending = try await app.testing().sendRequest(.GET, "/ready")
            try await sql.raw("UPDATE _fluent_migrations SET name = 'DVKApp.AddMail' WHERE name = 'DVKApp.AddMail.hidden'").run()
            // Not ready, and nothing more to whoever asks (the reason is in the log).
            #expect(pending.status == .serviceUnavailable && pending.body.string == "not ready\n")
        }
    }

    @Test func everyAnswerCarriesARequestIdAndABadOneIsReplaced() async throws {
        try await withApp { app in
            let given = try await app.testing().sendRequest(.GET, "/health", headers: ["X-Request-Id": "abc-123"])
            #expect(given.headers.first(name: "X-Request-Id") == "abc-123")
            let bad = try await app.testing().sendRequest(.GET, "/health", headers: ["X-Request-Id": "<script>\"x"])
            let id = try #require(bad.headers.first(name: "X-Request-Id"))
            #expect(UUID(uuidString: id) != nil)
        }
    }

    /// A request's time in its log line: milliseconds to a tenth, as `%.1f` writes them
    /// (but for halves, rounded up here).
    @Test func theLogSaysMillisecondsToATenth() {
        for ms in [0, 0.04, 0.06, 1, 9.94, 9.96, 12.34, 123.45678, 99_999.99, 3_600_000] {
            #expect(RequestLogMiddleware.tenths(ms) == String(format: "%.1f", (ms * 10).rounded() / 10), "\(ms)")
        }
        #expect(RequestLogMiddleware.tenths(12.34) == "12.3")
        #expect(RequestLogMiddleware.tenths(9.96) == "10.0")
        #expect(RequestLogMiddleware.tenths(0) == "0.0")
        // What no clock gives, written without a trap.
        #expect(RequestLogMiddleware.tenths(.nan) == "nan")
        #expect(RequestLogMiddleware.tenths(.infinity) == "inf")
        #expect(RequestLogMiddleware.tenths(-1.5) == "-1.5")
        #expect(RequestLogMiddleware.tenths(1e300) == "1e+300")
    }
}
