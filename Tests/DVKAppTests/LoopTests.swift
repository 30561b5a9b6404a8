import DVKCore
import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// A request's middleware and handler run on its own event loop, where its database answers
/// arrive; Vapor's own async bridge would not put them there.
@Suite struct LoopTests {
    /// Says in a header whether its code ran on the request's loop.
    struct LoopProbe: LoopMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let here = request.eventLoop.inEventLoop
            let response = try await next.respond(to: request)
            response.headers.replaceOrAdd(name: "X-Loop-Middleware", value: here && request.eventLoop.inEventLoop ? "on" : "off")
            return response
        }
    }

    /// Announces a big body, as one that turns out big when read, and says where it ran.
    struct Grow: LoopMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let here = request.eventLoop.inEventLoop
            request.headers.replaceOrAdd(name: .contentLength, value: String(300 << 10))
            let response = try await next.respond(to: request)
            response.headers.replaceOrAdd(name: "X-Grow", value: here ? "on" : "off")
            return response
        }
    }

    /// Notes its name on the request, in the order the middleware ran.
    struct Mark: LoopMiddleware {
        struct Key: StorageKey { typealias Value = [String] }
        let name: String
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            request.storage[Key.self] = (request.storage[Key.self] ?? []) + [name]
            return try await next.respond(to: request)
        }
    }

    /// The same through Vapor's `AsyncMiddleware`, which starts its step in `Task {}`.
    struct VaporProbe: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            let here = request.eventLoop.inEventLoop
            let response = try await next.respond(to: request)
            response.headers.replaceOrAdd(name: "X-Vapor-Middleware", value: here ? "on" : "off")
            return response
        }
    }

    @Test func middlewareAndHandlersRunOnTheRequestsLoop() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let token = try await APIFixture.token(app, "lan", .staff, unit: "LB")
            app.loopGrouped(LoopProbe(), VaporProbe()).get("loop-probe") { req async throws -> String in
                let before = req.eventLoop.inEventLoop
                // Still there after a database read has been awaited.
                _ = try await UnitDirectory.allNodes(on: req.db)
                return before && req.eventLoop.inEventLoop ? "on" : "off"
            }
            for _ in 0..<4 {
                let response = try await app.testing().sendRequest(.GET, "/loop-probe", headers: ["Authorization": "Bearer \(token)"])
                #expect(response.status == .ok)
                #expect(response.body.string == "on", "the handler")
                #expect(response.headers.first(name: "X-Loop-Middleware") == "on")
                // Why DVK's middleware and routes do not use Vapor's bridge.
                #expect(response.headers.first(name: "X-Vapor-Middleware") == "off")
            }
            // The app's middleware takes one task, and a route's group middleware (outer group
            // first) and handler another: each in a task of its own, a page took ten.
            app.loopGrouped(Mark(name: "outer")).loopGrouped(Mark(name: "inner")).get("steps-probe") { req async throws -> String in
                "\(req.loopSteps) \(req.storage[Mark.Key.self] ?? [])"
            }
            let steps = try await app.testing().sendRequest(.GET, "/steps-probe", headers: ["Authorization": "Bearer \(token)"])
            #expect(steps.body.string == "2 [\"outer\", \"inner\"]")
            #expect(steps.headers.first(name: "Content-Security-Policy") != nil, "the app's middleware ran")
            // A request with a big body (an upload) runs off the loop: its parsing must not
            // hold the loop's other requests (the hostile-upload tests time the polls).
            app.loopGrouped(LoopProbe()).on(.POST, "loop-probe", body: .collect(maxSize: "1mb")) { req async throws -> String in
                req.eventLoop.inEventLoop ? "on" : "off"
            }
            for (size, expected) in [(100, "on"), (300 << 10, "off")] {
                let response = try await app.testing().sendRequest(.POST, "/loop-probe", headers: ["Content-Type": "application/octet-stream"],
                                                                   body: ByteBuffer(repeating: 0x61, count: size))
                #expect(response.body.string == expected, "\(size) bytes")
                #expect(response.headers.first(name: "X-Loop-Middleware") == expected, "\(size) bytes")
            }
            // A body that turns out big only once read (an upload sent without its length; here
            // the length is announced by a middleware) leaves the loop for the rest of the chain.
            app.loopGrouped(Grow(), LoopProbe()).on(.POST, "grow-probe", body: .collect(maxSize: "1mb")) { req async throws -> String in
                req.eventLoop.inEventLoop ? "on" : "off"
            }
            let grown = try await app.testing().sendRequest(.POST, "/grow-probe", headers: ["Content-Type": "application/octet-stream"],
                                                            body: ByteBuffer(repeating: 0x61, count: 100))
            #expect(grown.headers.first(name: "X-Grow") == "on", "before")
            #expect(grown.headers.first(name: "X-Loop-Middleware") == "off", "after")
            #expect(grown.body.string == "off", "the handler")
            // The pages and the API read on their loop's own connection without a hop to it.
            let readers = app.eventLoopGroup.makeIterator().compactMap { loop in
                (app.databases.database(logger: app.logger, on: loop) as? WriterBackedDatabase)?.local.connection
            }
            if !readers.isEmpty {  // SQLite
                let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
                let hops = readers.map(\.hopsToLoop).reduce(0, +)
                // Each request makes its database once (`Request.database`): Fluent's `db`
                // makes one on every use, through the application's locked storage.
                func made() -> Int { readers.map(\.databasesMade).reduce(0, +) }
                for path in ["/campaigns/DVK-2024", "/campaigns/DVK-2024/units/S1", "/campaigns/DVK-2024/year", "/campaigns"] {
                    let before = made()
                    #expect(try await staff.get(path).status == .ok, "\(path)")
                    #expect(made() - before == 1, "\(path)")
                }
                for path in ["/api/v1/campaigns/DVK-2024/summary?unit=LB", "/api/v1/campaigns/DVK-2024/units/S1/initiatives",
                             "/api/v1/campaigns/DVK-2024/units", "/api/v1/campaigns/DVK-2024/units/S1"] {
                    let before = made()
                    #expect(try await api(app, .GET, path, as: .token(token)).status == .ok, "\(path)")
                    #expect(made() - before == 1, "\(path)")
                }
                #expect(readers.map(\.hopsToLoop).reduce(0, +) == hops, "a read hopped to its loop")
            }
            // DVK's own routes are wrapped: every async one answers through a LoopResponder.
            let asyncLeft = app.routes.all.filter { $0.responder is any AsyncResponder }
            #expect(asyncLeft.isEmpty, "\(asyncLeft.map(\.description).prefix(3))")
            #expect(app.routes.all.contains { $0.responder is LoopResponder })
        }
    }

    /// A request's write transaction sends its statements from its connection's loop, where
    /// their answers arrive: on PostgreSQL, Fluent runs the body in a plain task on Swift's
    /// global pool, two thread switches a statement while the rows are locked. A write begun
    /// off the loop (a command, a request with a big upload, whose import would hold the
    /// loop's other requests) keeps Fluent's way there. (On SQLite every write runs on the
    /// writer's own loop: this test checks the PostgreSQL path when the suite runs on it.)
    @Test func aRequestsWriteTransactionRunsOnItsConnectionsLoop() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let token = try await APIFixture.token(app, "lan", .staff, unit: "LB")
            app.loopGrouped(UserMiddleware()).get("write-probe") { req async throws -> String in
                let (onLoop, read) = try await req.database.write { db in
                    let before = db.eventLoop.inEventLoop
                    let rows = try await db.sql().raw("SELECT 1 AS one").all()
                    return (before && db.eventLoop.inEventLoop, rows.count)
                }
                return onLoop && read == 1 ? "on" : "off"
            }
            for _ in 0..<3 {
                let response = try await app.testing().sendRequest(.GET, "/write-probe", headers: ["Authorization": "Bearer \(token)"])
                #expect(response.body.string == "on")
            }
            let isSQLite = app.databases.database(logger: app.logger, on: app.eventLoopGroup.any()) is WriterBackedDatabase
            let offLoop = try await app.db.write { db in db.eventLoop.inEventLoop }
            #expect(offLoop == isSQLite, "a write begun off the loop")
        }
    }
}
