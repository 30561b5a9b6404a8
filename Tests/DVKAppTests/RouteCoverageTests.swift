import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Every registered route, enumerated from the router: none answers anything but a refusal
/// to someone not signed in, and none lets an officer of another unit in.
@Suite struct RouteCoverageTests {
    static let open: Set<String> = ["GET /", "GET /health", "GET /ready", "GET /metrics", "GET /styles.css", "GET /app.js", "GET /login", "POST /login", "POST /logout",
                                    "GET /library", "GET /library/feed.atom", "GET /library/:id", "GET /library/:id/files/:fileID",
                                    "GET /api/v1/library", "GET /api/v1/library/:id",
                                    "GET /api/v1/openapi.json",
                                    // Getting in without a password: the pages of a link (404 for a link that is
                                    // not), "Quên mật khẩu?", the second step of a sign-in.
                                    "GET /invite/:token", "GET /reset/:token", "GET /forgot", "GET /login/two-factor"]

    /// A link to an API route (`SiteURL.api`) is the route's OpenAPI path with its values
    /// put in, each percent-encoded: links, Location headers and the document agree.
    @Test func apiLinksFollowTheRouteTable() {
        for route in APIRoute.allCases {
            var template = route.template
            var values: [String] = []
            for case .parameter(let name) in route.segments {
                let value = "v-\(name) ư/?"
                values.append(value)
                template = template.replacingOccurrences(of: "{\(name)}", with: "v-\(name)%20%C6%B0%2F%3F")
            }
            #expect(SiteURL.api(route, values).path == template, "\(route)")
        }
        #expect(SiteURL.api(.openAPI).path == "/api/v1/openapi.json")
    }

    /// A concrete path for a route, with fixture values for its parameters.
    func path(_ route: Route, initiative: UUID) -> String {
        "/" + route.path.map { component -> String in
            switch component {
            case .constant(let c): c
            case .parameter(let name):
                switch name {
                case "campaign": "DVK-2024"
                case "unit", "code": "S1"
                case "id": initiative.uuidString
                case "file": route.path.contains { $0.description == "initiatives" } ? "form.pdf" : "summary.pdf"
                default: name
                }
            case .anything, .catchall: "x"
            }
        }.joined(separator: "/")
    }

    @Test func noRouteServesAnyoneNotSignedIn() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "import", "initiatives", try tempFile(CLITests.initiativesCSV), "--campaign", "DVK-2024")
            let initiative = try #require(try await Initiative.query(on: app.db).first()?.id)
            var checked = 0
            for route in app.routes.all {
                let key = "\(route.method.rawValue) \(path(route, initiative: initiative))"
                let bare = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                guard !Self.open.contains(bare) else { continue }
                let res = try await app.testing().sendRequest(route.method, path(route, initiative: initiative))
                let allowed: Set<UInt> = bare.hasPrefix("\(route.method.rawValue) /api/") ? [401] : [303, 403]
                #expect(allowed.contains(res.status.code), "\(key) answered \(res.status.code) without signing in")
                checked += 1
            }
            #expect(checked >= 40)
        }
    }

    @Test func noRouteOfAnotherUnitLetsAnOfficerIn() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            try await run(app, "import", "initiatives", try tempFile(CLITests.initiativesCSV), "--campaign", "DVK-2024")
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db).id!
            let initiative = try #require(try await Initiative.query(on: app.db).filter(\.$unitID == s1).first()?.id)
            // c1 is the officer of another unit: every route naming S1 must refuse.
            let c1 = try await Browser.signIn(app, "c1")
            let token = try await AuthStore.createToken(username: "c1", now: Date(), on: app.db)
            var checked = 0
            for route in app.routes.all where route.path.contains(where: { $0.description == ":unit" || $0.description == ":code" }) {
                let p = path(route, initiative: initiative)
                var headers = c1.headers
                if p.hasPrefix("/api/") { headers = ["Authorization": "Bearer \(token)"] }
                let res: TestingHTTPResponse
                if route.method == .GET {
                    res = try await app.testing().sendRequest(.GET, p, headers: headers)
                } else {
                    var h = headers
                    h.replaceOrAdd(name: "X-CSRF-Token", value: c1.csrf)
                    h.contentType = p.hasPrefix("/api/") ? .json : .urlEncodedForm
                    res = try await app.testing().sendRequest(route.method, p, headers: h,
                                                              body: ByteBuffer(string: p.hasPrefix("/api/") ? "{}" : "_csrf=\(c1.csrf)"))
                }
                #expect([403, 404].contains(res.status.code), "\(route.method.rawValue) \(p) answered \(res.status.code) to another unit's officer")
                checked += 1
            }
            #expect(checked >= 15)
            // Nothing changed for S1.
            #expect(try await Fixture.summary(app, unit: "S1").grid.last == [2, 2, 1, 2])
        }
    }
}
