import DVKCore
import Fluent
import Foundation
import Synchronization
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Accounts under attack: the throttle under parallel guesses, the same answer time for
/// unknown users, sessions that end, tokens that expire and can be revoked, redirects
/// that stay on the site, and the limits every request is held to.
@Suite struct AccountSecurityTests {
    /// A value tasks may share.
    final class Shared<T: Sendable>: Sendable {
        let value: Mutex<T>
        init(_ value: T) { self.value = Mutex(value) }
        func update(_ change: (inout T) -> Void) { value.withLock { change(&$0) } }
        var current: T { value.withLock { $0 } }
    }

    static func setUp(_ app: Application) async throws {
        try await Fixture.load(app)
        _ = try await AuthStore.createUser(username: "s1", password: "mat-khau-thu-nghiem", role: .officer, unitCode: "S1", at: Date(), on: app.db)
    }

    /// A login form post with the form's double-submit token, from `address` when the
    /// server believes a proxy's `X-Forwarded-For`.
    static func loginPost(_ app: Application, _ username: String, _ password: String, next: String = "",
                          forwardedFor: String? = nil, overNetwork network: Bool = false) async throws -> NetworkResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded", "Cookie": "\(CSRFMiddleware.anonymousCookie)=t0k"]
        if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
        let body = "username=\(username)&password=\(Link.encode(password))&next=\(Link.encode(next))&_csrf=t0k"
        // Over a real socket the peer is 127.0.0.1, as a local proxy would be.
        if network { return try await overNetwork(app, .POST, "/login", headers: headers, body: ByteBuffer(string: body)) }
        let response = try await app.testing().sendRequest(.POST, "/login", headers: headers, body: ByteBuffer(string: body))
        return NetworkResponse(status: response.status, headers: response.headers, body: response.body)
    }

    @Test func aHundredParallelGuessesCheckAtMostFivePasswords() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let checked = Shared(0)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        do {
                            _ = try await AuthStore.login(username: "s1", password: "wrong-guess", address: "10.9.9.9", now: Date(), policy: SessionPolicy(),
                                                          verify: { password, hash in
                                                              checked.update { $0 += 1 }
                                                              return try Bcrypt.verify(password, created: hash)
                                                          }, on: app.db)
                            return "signed in"
                        } catch let error as AuthError {
                            if case .throttled = error { return "throttled" }
                            return "refused"
                        }
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(checked.current == AuthStore.attempts)
            #expect(outcomes == ["refused": AuthStore.attempts, "throttled": 100 - AuthStore.attempts])
        }
    }

    @Test func parallelWrongPasswordsOverHTTPAreNever500() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<40 { group.addTask { try await Self.loginPost(app, "s1", "wrong-guess").status.code } }
                return try await group.reduce(into: [UInt: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [401: AuthStore.attempts, 429: 40 - AuthStore.attempts])
        }
    }

    @Test func anUnknownAccountIsCheckedLikeAKnownOne() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let hashes = Shared<[String]>([])
            for name in ["s1", "khong-co-ai"] {
                await #expect(throws: AuthError.badCredentials) {
                    _ = try await AuthStore.login(username: name, password: "wrong-guess", address: "10.1.1.1", now: Date(), policy: SessionPolicy(),
                                                  verify: { password, hash in
                                                      hashes.update { $0.append(hash) }
                                                      return try Bcrypt.verify(password, created: hash)
                                                  }, on: app.db)
                }
            }
            // Both ran bcrypt, at the same cost: the answer takes as long either way.
            let seen = hashes.current
            #expect(seen.count == 2 && seen.allSatisfy { $0.hasPrefix("$2b$10$") })
        }
    }

    /// The lock is on an account from an address: behind a trusted proxy, the address is the
    /// client's; without one, a forwarded-for header is ignored.
    @Test func theLockFollowsTheClientBehindATrustedProxyOnly() async throws {
        try await withApp({ $0.trustedProxies = ["127.0.0.1"] }) { app in
            try await Self.setUp(app)
            for _ in 0..<AuthStore.attempts { _ = try await Self.loginPost(app, "s1", "wrong", forwardedFor: "203.0.113.7", overNetwork: true) }
            #expect(try await Self.loginPost(app, "s1", "wrong", forwardedFor: "203.0.113.7", overNetwork: true).status == .tooManyRequests)
            // (The network client follows the redirect of a sign-in that went through.)
            let other = try await Self.loginPost(app, "s1", "mat-khau-thu-nghiem", forwardedFor: "203.0.113.8", overNetwork: true).status
            #expect(other != .tooManyRequests && other != .unauthorized)
        }
        try await withApp { app in
            try await Self.setUp(app)
            for i in 0..<AuthStore.attempts { _ = try await Self.loginPost(app, "s1", "wrong", forwardedFor: "203.0.113.\(i)", overNetwork: true) }
            #expect(try await Self.loginPost(app, "s1", "mat-khau-thu-nghiem", forwardedFor: "198.51.100.1", overNetwork: true).status == .tooManyRequests)
        }
    }

    @Test func theRedirectAfterSignInStaysOnThisSite() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            for (next, expected) in [("/%0D%0ASet-Cookie:%20pwn=1", "/"), ("/\r\nSet-Cookie: pwn=1", "/"),
                                     ("//evil.example", "/"), ("https://evil.example", "/"), ("/\\evil", "/"), ("/\tx", "/"),
                                     ("/campaigns/DVK-2024?status=late#cac-don-vi", "/campaigns/DVK-2024?status=late#cac-don-vi")] {
                let res = try await Self.loginPost(app, "s1", "mat-khau-thu-nghiem", next: next)
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == expected, "\(next)")
                #expect(!res.headers.contains(where: { $0.value.contains("pwn=1") && $0.name.lowercased() == "set-cookie" }))
            }
        }
    }

    @Test func sessionsEndWhenIdleOrOldAndEverywhereOnRequest() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let policy = SessionPolicy(idle: 2 * 3600, lifetime: 12 * 3600)
            let verify: @Sendable (String, String) async throws -> Bool = { try Bcrypt.verify($0, created: $1) }
            let start = Date().addingTimeInterval(-20 * 3600)
            let token = try await AuthStore.login(username: "s1", password: "mat-khau-thu-nghiem", address: "a", now: start, policy: policy,
                                                  verify: verify, on: app.db)
            #expect(try await AuthStore.user(sessionToken: token, now: start.addingTimeInterval(3600), policy: policy, on: app.db) != nil)
            // Used an hour in: idle from there, it ends two hours later.
            #expect(try await AuthStore.user(sessionToken: token, now: start.addingTimeInterval(3 * 3600 - 60), policy: policy, on: app.db) != nil)
            #expect(try await AuthStore.user(sessionToken: token, now: start.addingTimeInterval(5.5 * 3600), policy: policy, on: app.db) == nil)
            // Kept busy, it still ends at its lifetime.
            let busy = try await AuthStore.login(username: "s1", password: "mat-khau-thu-nghiem", address: "a", now: start, policy: policy,
                                                 verify: verify, on: app.db)
            for hour in stride(from: 1.0, through: 11.5, by: 1.5) {
                #expect(try await AuthStore.user(sessionToken: busy, now: start.addingTimeInterval(hour * 3600), policy: policy, on: app.db) != nil)
            }
            #expect(try await AuthStore.user(sessionToken: busy, now: start.addingTimeInterval(12 * 3600 + 1), policy: policy, on: app.db) == nil)

            // Signing in anew replaces the browser's old session; "everywhere" ends them all.
            let a = try await Browser.signIn(app, "s1")
            let b = try await Browser.signIn(app, "s1")
            let res = try await a.post("/account/sessions/end")
            #expect(res.status == .seeOther && res.headers.first(name: .location) == "/login")
            #expect(try await AuthStore.user(sessionToken: b.cookie, now: Date(), policy: policy, on: app.db) == nil)
            #expect(try await AuthStore.user(sessionToken: a.cookie, now: Date(), policy: policy, on: app.db) == nil)
            let old = try await Browser.signIn(app, "s1")
            let replaced = try await AuthStore.login(username: "s1", password: "mat-khau-thu-nghiem", address: "b", now: Date(), policy: policy, replacing: old.cookie,
                                                     verify: verify, on: app.db)
            #expect(try await AuthStore.user(sessionToken: old.cookie, now: Date(), policy: policy, on: app.db) == nil)
            #expect(try await AuthStore.user(sessionToken: replaced, now: Date(), policy: policy, on: app.db) != nil)
            // An expired session's page says so.
            let expired = try await app.testing().sendRequest(.GET, "/login", headers: ["Cookie": "\(AuthStore.cookieName)=\(old.cookie)"])
            #expect(expired.body.string.contains("Phiên làm việc đã hết hạn"))
        }
    }

    @Test func aPasswordChangeNeedsTheCurrentOneAndEndsOtherSessions() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let here = try await Browser.signIn(app, "s1")
            let elsewhere = try await Browser.signIn(app, "s1", address: "10.0.0.9")
            let wrong = try await here.post("/account/password", ["current": "sai", "new": "mua-thu-ha-noi-dep-lam", "confirm": "mua-thu-ha-noi-dep-lam"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("Mật khẩu hiện tại không đúng."))
            let mismatch = try await here.post("/account/password", ["current": "mat-khau-thu-nghiem", "new": "mua-thu-ha-noi-dep-lam", "confirm": "khac"])
            #expect(mismatch.status == .unprocessableEntity)
            let ok = try await here.post("/account/password", ["current": "mat-khau-thu-nghiem", "new": "mua-thu-ha-noi-dep-lam", "confirm": "mua-thu-ha-noi-dep-lam"])
            #expect(ok.status == .seeOther)
            #expect(try await AuthStore.user(sessionToken: here.cookie, now: Date(), policy: SessionPolicy(), on: app.db) != nil)
            #expect(try await AuthStore.user(sessionToken: elsewhere.cookie, now: Date(), policy: SessionPolicy(), on: app.db) == nil)
            _ = try await Browser.signIn(app, "s1", password: "mua-thu-ha-noi-dep-lam", address: "10.0.0.10")
        }
    }

    @Test func anExpiredOrRevokedTokenIsUnauthenticated() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let token = try await AuthStore.createToken(username: "s1", name: "Phần mềm A", days: 30, now: Date(), on: app.db)
            let old = try await AuthStore.createToken(username: "s1", name: "Cũ", days: 1, now: Date().addingTimeInterval(-2 * 86_400), on: app.db)
            #expect(try await api(app, .GET, "/api/v1/me", as: .token(token)).status == .ok)
            #expect(try await api(app, .GET, "/api/v1/me", as: .token(old)).status == .unauthorized)
            let listed = try await run(app, "user", "tokens", "s1")
            #expect(listed.contains("Phần mềm A") && listed.contains("(expired)") && !listed.contains(token))
            let id = try #require(try await AuthStore.tokens(username: "s1", on: app.db).first { $0.name == "Phần mềm A" }?.id)
            #expect(try await run(app, "user", "revoke-token", id.uuidString).contains("revoked"))
            #expect(try await api(app, .GET, "/api/v1/me", as: .token(token)).status == .unauthorized)
            // From the account page: made once, shown once, revoked by its owner only.
            let page = try await Browser.signIn(app, "s1")
            let made = try await page.post("/account/tokens", ["name": "Báo cáo", "days": "7"])
            #expect(made.status == .ok && made.body.string.contains("dvk_"))
            let mine = try #require(try await AuthStore.tokens(username: "s1", on: app.db).first { $0.name == "Báo cáo" })
            _ = try await AuthStore.createUser(username: "c1", password: "mat-khau-thu-nghiem", role: .officer, unitCode: "C1", at: Date(), on: app.db)
            let other = try await Browser.signIn(app, "c1")
            #expect(try await other.post("/account/tokens/\(mine.id)/revoke").status == .notFound)
            #expect(try await page.post("/account/tokens/\(mine.id)/revoke").status == .seeOther)
        }
    }

    @Test func secureCookiesComeWithHSTS() async throws {
        try await withApp({ $0.secureCookies = true }) { app in
            let res = try await app.testing().sendRequest(.GET, "/login")
            #expect(res.headers.first(name: "Strict-Transport-Security") == "max-age=31536000; includeSubDomains")
            #expect(res.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self';") == true)
            #expect(res.headers.setCookie?[CSRFMiddleware.anonymousCookie]?.isSecure == true)
        }
        try await withApp { app in
            let plain = try await app.testing().sendRequest(.GET, "/login")
            #expect(plain.headers.first(name: "Strict-Transport-Security") == nil)
        }
    }

    @Test func anUndeclaredMethodIs405WithAllow() async throws {
        try await withApp { app in
            let page = try await app.testing().sendRequest(.PUT, "/campaigns")
            #expect(page.status == .methodNotAllowed && page.headers.first(name: .allow) == "GET, HEAD")
            let api = try await app.testing().sendRequest(.DELETE, "/api/v1/campaigns/DVK-2024/units/S1/submit")
            #expect(api.status == .methodNotAllowed && api.headers.first(name: .allow) == "POST")
            #expect(api.body.string.contains("\"method_not_allowed\""))
            #expect(try await app.testing().sendRequest(.GET, "/khong-co").status == .notFound)
        }
    }

    @Test func aFormBiggerThanItsRouteNeedsIsRefusedUnread() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            _ = try await AuthStore.createUser(username: "canbo", password: "mat-khau-thu-nghiem", role: .staff, unitCode: "LB", at: Date(), on: app.db)
            let staff = try await Browser.signIn(app, "canbo")
            let big = try await staff.post("/units/new", ["name": String(repeating: "a", count: 300_000), "code": "X1"])
            #expect(big.status == .payloadTooLarge)
            #expect(try await UnitDirectory.allNodes(on: app.db).allSatisfy { $0.code != "X1" })
        }
    }

    @Test func nullIsEmptyWhereTheDocumentSaysNullableAndRefusedWhereNot() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            let path = "/api/v1/campaigns/DVK-2024/units/S1/initiatives"
            let nullable = try await api(app, .POST, path, as: .token(token), json: APIFixture.initiativeJSON(extra: #""purpose": null, "startDate": null"#))
            #expect(nullable.status == .created && nullable.json?["purpose"]?.string == "")
            let required = try await api(app, .POST, path, as: .token(token), json: #"{"kind": "collective", "registrantName": null, "sector": "kinh-te", "title": "A"}"#)
            #expect(required.status == .unprocessableEntity && required.errorMessage?.contains("(registrantName)") == true)
        }
    }

    /// An officer's upload says the same of a unit outside their reach as of one that does
    /// not exist: nothing to learn about the tree from it.
    @Test func anUploadTellsNothingAboutUnitsOutsideReach() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let s1 = try await Browser.signIn(app, "s1")
            let csv = "unit_code,registrant_kind,registrant_name,sector,title\nC1,tập thể,Tổ,kinh tế,A\nKHONGCO,tập thể,Tổ,kinh tế,B\n"
            let res = try await s1.upload("/campaigns/DVK-2024/units/S1/import", file: csv)
            #expect(res.status == .unprocessableEntity)
            let body = res.body.string
            #expect(body.contains("Dòng 2: không có đơn vị mã “C1” trong các đơn vị được phép nhập"))
            #expect(body.contains("Dòng 3: không có đơn vị mã “KHONGCO” trong các đơn vị được phép nhập"))
        }
    }

    /// A file of thousands of bad rows: the first hundred are named, the rest counted.
    @Test func aFileOfBadRowsNamesTheFirstHundred() async throws {
        try await withApp { app in
            try await Self.setUp(app)
            let s1 = try await Browser.signIn(app, "s1")
            let rows = (1...5_000).map { "S1,nhóm,Tổ \($0),kinh tế,Mô hình \($0)" }
            let res = try await s1.upload("/campaigns/DVK-2024/units/S1/import",
                                          file: "unit_code,registrant_kind,registrant_name,sector,title\n" + rows.joined(separator: "\n"))
            #expect(res.status == .unprocessableEntity)
            let body = res.body.string
            #expect(body.contains("Tệp có 5.000 dòng lỗi") && body.contains("Dòng 101:") && !body.contains("Dòng 102:"))
            #expect(body.contains("… và 4.900 dòng lỗi khác"))
            #expect(body.utf8.count < 100_000)
        }
    }
}
