import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Accounts a federation manages: the people page's scope, an invitation's whole life, a
/// forgotten password, two-factor sign-in, disabling, the import, and the races.
@Suite struct AccountsTests {
    static let good = "mùa thu Hà Nội đẹp lắm"

    /// The invitation's token of an account, read from the page that hands it over.
    static func token(in page: String, marker: String = "/invite/") throws -> String {
        let start = try #require(page.range(of: marker)).upperBound
        return String(page[start...].prefix { $0 != "<" && $0 != "\"" && $0 != " " })
    }

    /// An anonymous browser: its CSRF cookie and the token the page gave it.
    static func anonymousForm(_ app: Application, _ path: String) async throws -> (status: HTTPStatus, csrf: String, body: String) {
        let page = try await app.testing().sendRequest(.GET, path)
        let csrf = page.headers.setCookie?[CSRFMiddleware.anonymousCookie]?.string ?? ""
        return (page.status, csrf, page.body.string)
    }

    static func postAnonymous(_ app: Application, _ path: String, csrf: String, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        var all = fields
        all["_csrf"] = csrf
        let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await app.testing().sendRequest(.POST, path, headers: ["Cookie": "\(CSRFMiddleware.anonymousCookie)=\(csrf)",
                                                                         "Content-Type": "application/x-www-form-urlencoded"],
                                                   body: ByteBuffer(string: body))
    }

    @Test func thePeoplePageIsScopedLikeEverythingElse() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            // Officers and viewers: 403.
            for name in ["s1", "viewer"] {
                #expect(try await Browser.signIn(app, name).get("/users").status == .forbidden)
            }
            // GD's staff see GD's subtree only; LB's staff see theirs; the admin sees all.
            let gd = try await Browser.signIn(app, "gdstaff").get("/users").body.string
            #expect(gd.contains(">s1<") && !gd.contains(">c1<") && !gd.contains(">staff<"))
            let lb = try await Browser.signIn(app, "staff").get("/users").body.string
            #expect(lb.contains(">s1<") && lb.contains(">c1<") && !lb.contains(">admin<"))
            #expect(try await Browser.signIn(app, "admin").get("/users").body.string.contains(">admin<"))
            // A person beyond reach is "not found", by page and by id.
            let admin = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first()?.id)
            #expect(try await Browser.signIn(app, "gdstaff").get("/users/\(admin.uuidString)").status == .notFound)
            // Search without diacritics, and the export.
            let found = try await Browser.signIn(app, "staff").get("/users?q=ngoc+lam").body.string
            #expect(found.contains(">s1<") && !found.contains(">c1<"))
            let xlsx = try await Browser.signIn(app, "staff").get("/users.xlsx?role=officer")
            #expect(xlsx.status == .ok && xlsx.headers.contentType?.description.contains("spreadsheetml") == true)
        }
    }

    @Test func whoMayGiveWhichAccount() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let gd = try await Browser.signIn(app, "gdstaff")
            func make(_ by: Browser, unit: String, role: String, email: String) async throws -> HTTPStatus {
                try await by.post("/users/new", ["fullName": "Người Mới", "unitCode": unit, "role": role, "email": email]).status
            }
            #expect(try await make(gd, unit: "S1", role: "officer", email: "a@x.vn") == .ok)             // below
            #expect(try await make(gd, unit: "GD", role: "viewer", email: "b@x.vn") == .ok)              // own unit, viewer
            #expect(try await make(gd, unit: "GD", role: "staff", email: "c@x.vn") == .forbidden)       // a peer: not for staff
            #expect(try await make(gd, unit: "LB", role: "viewer", email: "d@x.vn") == .unprocessableEntity) // above: not in reach
            #expect(try await make(gd, unit: "C1", role: "officer", email: "e@x.vn") == .unprocessableEntity) // beside
            #expect(try await make(gd, unit: "S1", role: "admin", email: "f@x.vn") == .forbidden)
            let lb = try await Browser.signIn(app, "staff")
            #expect(try await make(lb, unit: "GD", role: "staff", email: "g@x.vn") == .ok)               // a federation strictly below
            #expect(try await make(lb, unit: "S1", role: "staff", email: "h@x.vn") == .unprocessableEntity) // staff at a grassroots union
            // Changing an account: not above the changer either.
            let s1 = try #require(try await User.query(on: app.db).filter(\.$username == "s1").first()?.id)
            let up = try await gd.post("/users/\(s1.uuidString)/update", ["fullName": "s1", "unitCode": "S1", "role": "admin", "email": ""])
            #expect(up.status == .forbidden)
            #expect(try await User.find(s1, on: app.db)?.role == .officer)
            // Nothing was made by the refusals.
            #expect(try await User.query(on: app.db).filter(\.$email ~~ "@x.vn").count() == 3)
        }
    }

    @Test func anInvitationsWholeLife() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let lb = try await Browser.signIn(app, "staff")
            let made = try await lb.post("/users/new", ["fullName": "Nguyễn Thị Hoa", "unitCode": "S1", "email": "", "title": "Chủ tịch"])
            #expect(made.status == .ok)
            let token = try Self.token(in: made.body.string)
            #expect(made.body.string.contains("<svg"))
            let user = try #require(try await User.query(on: app.db).filter(\.$displayName == "Nguyễn Thị Hoa").first())
            #expect(user.passwordHash.isEmpty && user.passwordSetAt == nil && user.role == .officer)
            // Only the hash is stored.
            #expect(try await app.db.sql().raw("SELECT 1 AS x FROM invitations WHERE token_hash = \(bind: token)").first() == nil)
            // Not yet a sign-in.
            await #expect(throws: AuthError.self) { _ = try await Browser.signIn(app, user.username, password: "") }
            // The link's page names the person; a weak password is refused and the link lives on.
            let form = try await Self.anonymousForm(app, "/invite/\(token)")
            #expect(form.status == .ok && form.body.contains("Nguyễn Thị Hoa") && form.body.contains("Trường Tiểu học Ngọc Lâm"))
            let weak = try await Self.postAnonymous(app, "/invite/\(token)", csrf: form.csrf, ["password": "matkhau123", "confirm": "matkhau123"])
            #expect(weak.status == .unprocessableEntity)
            let set = try await Self.postAnonymous(app, "/invite/\(token)", csrf: form.csrf, ["password": Self.good, "confirm": Self.good])
            #expect(set.status == .seeOther)
            let session = try #require(set.headers.setCookie?[AuthStore.cookieName]?.string)
            #expect(try await AuthStore.user(sessionToken: session, now: Date(), policy: SessionPolicy(), on: app.db)?.username == user.username)
            // Used: dead.
            #expect(try await app.testing().sendRequest(.GET, "/invite/\(token)").status == .notFound)
            let again = try await Self.postAnonymous(app, "/invite/\(token)", csrf: form.csrf, ["password": Self.good, "confirm": Self.good])
            #expect(again.status == .notFound)
            #expect(try await Browser.signIn(app, user.username, password: Self.good).cookie.count > 0)
            // The trail tells it.
            let actions = try await AuditTrail.events(id: try user.requireID(), on: app.db).map(\.action)
            #expect(actions == ["account.invitation_accepted", "account.invited"])
        }
    }

    @Test func anInvitationExpiresIsSentAgainAndRevoked() async throws {
        try await withApp({ $0.invitationDays = 2 }) { app in
            try await Fixture.load(app)
            try await People.create(app)
            let lb = try await Browser.signIn(app, "staff")
            let first = try Self.token(in: try await lb.post("/users/new", ["fullName": "Lê Văn Bình", "unitCode": "C1"]).body.string)
            let user = try #require(try await User.query(on: app.db).filter(\.$displayName == "Lê Văn Bình").first())
            let id = try user.requireID()
            // Three days on, the link is dead and the account says so.
            let later = Date().addingTimeInterval(3 * 86_400)
            await #expect(throws: DomainError.self) { _ = try await AccountStore.holder(of: first, at: later, on: app.db) }
            let person = try await PeopleDirectory.person(id, for: try #require(try await AuthStore.user(sessionToken: lb.cookie, now: Date(), policy: SessionPolicy(), on: app.db)), on: app.db)
            #expect(person.status(at: later) == .invitationExpired)
            // Sent again: the old link dies, the new one works.
            let resent = try await lb.post("/users/\(id.uuidString)/invite")
            let second = try Self.token(in: resent.body.string)
            #expect(second != first)
            #expect(try await app.testing().sendRequest(.GET, "/invite/\(first)").status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/invite/\(second)").status == .ok)
            // Revoked: dead too.
            #expect(try await lb.post("/users/\(id.uuidString)/revoke").status == .seeOther)
            #expect(try await app.testing().sendRequest(.GET, "/invite/\(second)").status == .notFound)
            #expect(try await lb.post("/users/\(id.uuidString)/revoke").status == .conflict)
            // A printed letter makes a new link and carries it (its QR code is in the PDF).
            let letter = try await lb.post("/users/\(id.uuidString)/letter")
            #expect(letter.status == .ok && letter.headers.contentType?.description == "application/pdf")
            #expect(try await app.db.sql().raw("SELECT COUNT(*) AS n FROM invitations WHERE user_id = \(bind: id) AND used_at IS NULL AND revoked_at IS NULL")
                .first()?.decode(column: "n", as: Int.self) == 1)
        }
    }

    @Test func aForgottenPasswordIsTheSameAnswerForAnyNameAndTheLinkEndsOtherSessions() async throws {
        try await withApp(MailAppTests.mailOn) { app in
            try await Fixture.load(app)
            try await People.create(app)
            let s1 = try #require(try await User.query(on: app.db).filter(\.$username == "s1").first())
            try await AuthStore.setMailPreferences(userID: try s1.requireID(), email: "s1.officer@example.vn", digest: false, on: app.db)
            let other = try await Browser.signIn(app, "s1")
            func ask(_ name: String) async throws -> TestingHTTPResponse {
                let form = try await Self.anonymousForm(app, "/forgot")
                return try await Self.postAnonymous(app, "/forgot", csrf: form.csrf, ["name": name])
            }
            let known = try await ask("S1.OFFICER@example.vn"), unknown = try await ask("khong-co-ai")
            #expect(known.status == unknown.status && known.status == .ok)
            func strip(_ page: String) -> String { page.replacingOccurrences(of: #"value="[^"]*""#, with: "", options: .regularExpression) }
            #expect(strip(known.body.string) == strip(unknown.body.string))
            let mails = try await app.db.sql().raw("SELECT to_address, message FROM outbox WHERE kind = 'password_reset'").all()
            #expect(mails.count == 1)
            let raw = String(decoding: try mails[0].decode(column: "message", as: Data.self), as: UTF8.self)
            // The parts are base64: the text as a reader sees it.
            let message = raw.components(separatedBy: "\r\n\r\n").compactMap {
                Data(base64Encoded: String($0.prefix { $0 != "-" }).replacingOccurrences(of: "\r\n", with: ""), options: .ignoreUnknownCharacters)
                    .map { String(decoding: $0, as: UTF8.self) }
            }.joined(separator: "\n")
            let link = try #require(message.range(of: "/reset/"))
            let token = String(message[link.upperBound...].prefix { (c: Character) -> Bool in c.isLetter || c.isNumber || c == "-" || c == "_" })
            // The link: a new password, every other session over, signed in.
            let form = try await Self.anonymousForm(app, "/reset/\(token)")
            #expect(form.status == .ok)
            let done = try await Self.postAnonymous(app, "/reset/\(token)", csrf: form.csrf, ["password": Self.good, "confirm": Self.good])
            #expect(done.status == .seeOther)
            #expect(try await AuthStore.user(sessionToken: other.cookie, now: Date(), policy: SessionPolicy(), on: app.db) == nil)
            #expect(try await Browser.signIn(app, "s1", password: Self.good).cookie.count > 0)
            #expect(try await app.testing().sendRequest(.GET, "/reset/\(token)").status == .notFound)
            // At most three links an hour for one account.
            for _ in 0..<5 { _ = try await ask("s1") }
            #expect(try await app.db.sql().raw("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'password_reset'").first()?.decode(column: "n", as: Int.self) == 3)
        }
    }

    @Test func twoFactorSignInWithACodeOrARecoveryCodeOnce() async throws {
        try await withApp({ $0.requireTwoFactor = [.staff, .admin] }) { app in
            try await Fixture.load(app)
            try await People.create(app)
            let staff = try await Browser.signIn(app, "staff")
            // Required: every page leads to the set-up until it is on.
            let gated = try await staff.get("/campaigns")
            #expect(gated.status == .seeOther && gated.headers.first(name: .location) == "/account/two-factor")
            let setup = try await staff.get("/account/two-factor")
            let page = setup.body.string
            let secretText = try #require(page.range(of: "secret=").map { String(page[$0.upperBound...].prefix { $0.isLetter || $0.isNumber }) })
            let secret = try #require(Base32.decode(secretText))
            #expect(try await staff.post("/account/two-factor", ["code": "000000"]).status == .unprocessableEntity)
            let on = try await staff.post("/account/two-factor", ["code": TOTP.code(secret: secret, step: TOTP.step(at: Date()))])
            #expect(on.status == .ok)
            let codes = on.body.string.components(separatedBy: "<li><code>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            #expect(codes.count == 10)
            // Signing in now needs the second step.
            await #expect(throws: AuthError.self) { _ = try await Browser.signIn(app, "staff") }
            func challenge() async throws -> String {
                do {
                    _ = try await AuthStore.login(username: "staff", password: "mat-khau-thu-nghiem", address: "127.0.0.1", now: Date(), policy: SessionPolicy(),
                                                  verify: { try Bcrypt.verify($0, created: $1) }, on: app.db)
                } catch AuthError.secondFactor(let token) { return token }
                Issue.record("no second step")
                return ""
            }
            // The same step twice: once only (the code was used to turn it on).
            let reused = try await challenge()
            let confirmed = try #require(try await app.db.sql().raw("SELECT totp_last_step FROM users WHERE username = 'staff'").first()?
                .decode(column: "totp_last_step", as: Int64.self))
            await #expect(throws: AuthError.badSecondFactor) {
                _ = try await TwoFactor.complete(challenge: reused, code: TOTP.code(secret: secret, step: confirmed), address: "x", at: Date(), on: app.db)
            }
            let next = try await challenge()
            let later = Date().addingTimeInterval(30)
            #expect(try await TwoFactor.complete(challenge: next, code: TOTP.code(secret: secret, step: TOTP.step(at: later)), address: "x", at: later, on: app.db)
                    == (try await User.query(on: app.db).filter(\.$username == "staff").first()?.id))
            // A recovery code works once.
            let r1 = try await challenge()
            #expect(try await TwoFactor.complete(challenge: r1, code: codes[0].uppercased(), address: "x", at: Date(), on: app.db) != UUID())
            let r2 = try await challenge()
            await #expect(throws: AuthError.badSecondFactor) { _ = try await TwoFactor.complete(challenge: r2, code: codes[0], address: "x", at: Date(), on: app.db) }
            // Five wrong codes end the step.
            let w = try await challenge()
            for _ in 0..<TwoFactor.challengeAttempts { _ = try? await TwoFactor.complete(challenge: w, code: "999999", address: "x", at: Date(), on: app.db) }
            await #expect(throws: AuthError.secondFactorExpired) {
                _ = try await TwoFactor.complete(challenge: w, code: TOTP.code(secret: secret, step: TOTP.step(at: Date()) + 1), address: "x", at: Date(), on: app.db)
            }
            // An admin resets it, and it is recorded.
            let id = try #require(try await User.query(on: app.db).filter(\.$username == "staff").first()?.id)
            let admin = try await AuthStore.openSession(userID: try #require(try await User.query(on: app.db).filter(\.$username == "admin").first()?.id),
                                                        at: Date(), policy: SessionPolicy(), on: app.db)
            let adminUser = try #require(try await AuthStore.user(sessionToken: admin, now: Date(), policy: SessionPolicy(), on: app.db))
            let adminBrowser = Browser(app: app, cookie: admin, csrf: adminUser.csrf ?? "")
            #expect(try await adminBrowser.get("/campaigns").status == .seeOther, "the admin must set it up too")
            try await TwoFactor.reset(userID: id, by: Actor(userID: adminUser.id, role: .admin, unitID: adminUser.unitID, label: "admin",
                                                            address: "", requestID: ""), at: Date(), on: app.db)
            #expect(try await User.find(id, on: app.db)?.totpEnabledAt == nil)
            #expect(try await AuditTrail.events(id: id, on: app.db).map(\.action).contains("account.two_factor_reset"))
            // Staff cannot reset anyone's.
            let gdUser = try #require(try await AuthStore.user(sessionToken: try await Browser.signIn(app, "gdstaff").cookie, now: Date(), policy: SessionPolicy(), on: app.db))
            await #expect(throws: DomainError.self) {
                try await TwoFactor.reset(userID: id, by: Actor(userID: gdUser.id, role: .staff, unitID: gdUser.unitID, label: "gd", address: "", requestID: ""),
                                          at: Date(), on: app.db)
            }
        }
    }

    @Test func aDisabledPersonsSessionsAndTokensStopAtOnce() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let s1 = try await Browser.signIn(app, "s1")
            let token = try await AuthStore.createToken(username: "s1", now: Date(), on: app.db)
            #expect(try await s1.get("/campaigns").status == .ok)
            let id = try #require(try await User.query(on: app.db).filter(\.$username == "s1").first()?.id)
            let lb = try await Browser.signIn(app, "staff")
            #expect(try await lb.post("/users/\(id.uuidString)/disable").status == .seeOther)
            #expect(try await s1.get("/campaigns").status == .seeOther)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]).status == .unauthorized)
            await #expect(throws: AuthError.self) { _ = try await Browser.signIn(app, "s1") }
            #expect(try await lb.post("/users/\(id.uuidString)/disable").status == .conflict)
            #expect(try await lb.post("/users/\(id.uuidString)/enable").status == .seeOther)
            #expect(try await Browser.signIn(app, "s1").get("/campaigns").status == .ok)
            // Nobody disables themselves.
            let me = try #require(try await User.query(on: app.db).filter(\.$username == "staff").first()?.id)
            #expect(try await lb.post("/users/\(me.uuidString)/disable").status == .conflict)
            let events = try await AuditTrail.events(id: id, on: app.db)
            #expect(events.map(\.action) == ["account.enabled", "account.disabled", "account.created"])
            #expect(events[1].actor.contains("staff"))
        }
    }

    @Test func theImportIsAllOrNothingAndMakesThousands() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let lb = try await Browser.signIn(app, "staff")
            let bad = "Mã đơn vị,Họ và tên,Email,Vai trò\nS1,Hoa,hoa@x.vn,\nOTHER,Lan,lan@x.vn,\nC1,Nam,hoa@x.vn,\n"
            let refused = try await lb.upload("/users/import", file: bad, name: "tai-khoan.csv")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Dòng 3") && refused.body.string.contains("Dòng 4") && !refused.body.string.contains("Dòng 2:"))
            #expect(try await User.query(on: app.db).filter(\.$email ~~ "@x.vn").count() == 0)
            // 6,300 grassroots unions under LB, one officer each, in one file.
            var units = "code,name,parent_code,kind,email,phone\n"
            var people = "Mã đơn vị,Họ và tên,Chức vụ,Email,Số điện thoại,Vai trò\n"
            for i in 0..<6_300 {
                units += "G\(i),Công đoàn cơ sở số \(i),LB,grassroots,,\n"
                people += "G\(i),Cán bộ số \(i),Chủ tịch,cb\(i)@x.vn,,\n"
            }
            try await run(app, "import", "units", try tempFile(units))
            let made = try await lb.upload("/users/import", file: people, name: "tai-khoan.csv")
            #expect(made.status == .ok)
            #expect(try await User.query(on: app.db).filter(\.$email ~~ "@x.vn").count() == 6_300)
            #expect(try await app.db.sql().raw("SELECT COUNT(*) AS n FROM invitations").first()?.decode(column: "n", as: Int.self) == 6_300)
            // The same file again: every address taken, nothing made.
            let twice = try await lb.upload("/users/import", file: people, name: "tai-khoan.csv")
            #expect(twice.status == .unprocessableEntity && twice.body.string.contains("đã dùng cho một tài khoản khác"))
        }
    }

    @Test func oneAccountPerUnitWithoutOne() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let lb = try await Browser.signIn(app, "staff")
            // S1 has an officer already; S2, P1, C1 have no email but S1; so only units with email and no officer.
            try await app.db.sql().raw("UPDATE units SET email = 's2@example.vn' WHERE code = 'S2'").run()
            let page = try await lb.get("/units/LB/accounts")
            #expect(page.body.string.contains("Trường THCS Gia Thụy") && !page.body.string.contains("Trường Tiểu học Ngọc Lâm ("))
            let made = try await lb.post("/units/LB/accounts", ["unit": "S2"])
            #expect(made.status == .ok)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "s2@example.vn").first())
            #expect(user.role == .officer && user.passwordSetAt == nil)
            #expect(!(try await lb.get("/units/LB/accounts")).body.string.contains("Trường THCS Gia Thụy ("))
            #expect(try await Browser.signIn(app, "gdstaff").get("/units/LB/accounts").status == .notFound)
        }
    }

    @Test func racesEndWithOneWinner() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let lb = try await Browser.signIn(app, "staff"), lb2 = try await Browser.signIn(app, "staff")
            // Two staff inviting the same person at once, three rounds.
            for round in 0..<3 {
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group -> [HTTPStatus] in
                    for b in [lb, lb2] {
                        group.addTask { try await b.post("/users/new", ["fullName": "Trùng \(round)", "unitCode": "S2", "email": "same\(round)@x.vn"]).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict], "\(statuses)")
            }
            #expect(try await User.query(on: app.db).filter(\.$email ~~ "same").count() == 3)
            // The same form sent twice (a reload of the page that shows the link, a double
            // click): one account, the second told so.
            let page = try await lb.get("/users/new").body.string
            let once = try #require(page.range(of: #"name="_once" value=""#).map { String(page[$0.upperBound...].prefix(32)) })
            let sent = ["fullName": "Gửi Hai Lần", "unitCode": "S2", FormOnce.field: once]
            let twice = try await withThrowingTaskGroup(of: HTTPStatus.self) { group -> [HTTPStatus] in
                for _ in 0..<2 { group.addTask { try await lb.post("/users/new", sent).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(twice.sorted { $0.code < $1.code } == [.ok, .conflict])
            #expect(try await lb.post("/users/new", sent).status == .conflict)
            #expect(try await User.query(on: app.db).filter(\.$displayName == "Gửi Hai Lần").count() == 1)
            // One invitation used in two tabs at once.
            let token = try Self.token(in: try await lb.post("/users/new", ["fullName": "Hai Tab", "unitCode": "S2"]).body.string)
            let form = try await Self.anonymousForm(app, "/invite/\(token)")
            let uses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group -> [HTTPStatus] in
                for _ in 0..<2 {
                    group.addTask { try await Self.postAnonymous(app, "/invite/\(token)", csrf: form.csrf, ["password": Self.good, "confirm": Self.good]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(uses.filter { $0 == .seeOther }.count == 1)
            #expect(uses.allSatisfy { [.seeOther, .conflict, .notFound].contains($0) })
            // One reset link used twice at once: one new password, and it is the winner's.
            let s1 = try #require(try await User.query(on: app.db).filter(\.$username == "s1").first()?.id)
            let handed = try await lb.post("/users/\(s1.uuidString)/reset", [:]).body.string
            let reset = try Self.token(in: handed, marker: "/reset/")
            let resetForm = try await Self.anonymousForm(app, "/reset/\(reset)")
            let passwords = ["mùa thu Hà Nội đẹp lắm", "hoa sữa thơm ngát phố"]
            let resets = try await withThrowingTaskGroup(of: (String, HTTPStatus).self) { group -> [(String, HTTPStatus)] in
                for p in passwords {
                    group.addTask { (p, try await Self.postAnonymous(app, "/reset/\(reset)", csrf: resetForm.csrf, ["password": p, "confirm": p]).status) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = resets.filter { $0.1 == .seeOther }
            #expect(winners.count == 1, "\(resets)")
            #expect(resets.allSatisfy { [.seeOther, .conflict, .notFound].contains($0.1) })
            if let winner = winners.first {
                #expect(try await Browser.signIn(app, "s1", password: winner.0).cookie.count > 0)
                let loser = passwords.first { $0 != winner.0 }!
                await #expect(throws: AuthError.self) { _ = try await Browser.signIn(app, "s1", password: loser) }
            }
        }
    }

    @Test func theUsersAPIFollowsTheSameRules() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let gd = Caller.token(try await AuthStore.createToken(username: "gdstaff", now: Date(), on: app.db))
            let s1 = Caller.token(try await AuthStore.createToken(username: "s1", now: Date(), on: app.db))
            let made = try await api(app, .POST, "/api/v1/users", as: gd,
                                     json: #"{"fullName": "Phạm Thu Hà", "unit": "S2", "role": "officer", "email": "thuha@x.vn", "title": "Chủ tịch"}"#)
            #expect(made.status == .created)
            #expect(made.json?["status"]?.string == "invited" && made.json?["username"]?.string == "thuha")
            #expect(made.json?["invitationLink"]?.string?.contains("/invite/") == true)
            let id = try #require(made.json?["id"]?.string)
            #expect(try await api(app, .POST, "/api/v1/users", as: gd,
                                  json: #"{"fullName": "X", "unit": "LB", "role": "viewer", "email": "x@x.vn"}"#).status == .unprocessableEntity)
            #expect(try await api(app, .POST, "/api/v1/users", as: gd,
                                  json: #"{"fullName": "X", "unit": "S2", "role": "admin", "email": "y@x.vn"}"#).status == .forbidden)
            #expect(try await api(app, .POST, "/api/v1/users", as: gd,
                                  json: #"{"fullName": "Y", "unit": "S2", "role": "officer", "email": "THUHA@x.vn"}"#).status == .conflict)
            #expect(try await api(app, .GET, "/api/v1/users", as: s1).status == .forbidden)
            let listed = try await api(app, .GET, "/api/v1/users?status=invited&q=pham+thu", as: gd)
            #expect(listed.json?.array?.compactMap { $0["id"]?.string } == [id])
            #expect(try await api(app, .GET, "/api/v1/users?status=nonsense", as: gd).status == .badRequest)
            #expect(try await api(app, .GET, "/api/v1/users/\(id)", as: gd).json?["unit"]?["code"]?.string == "S2")
            let disabled = try await api(app, .PATCH, "/api/v1/users/\(id)", as: gd, json: #"{"status": "disabled"}"#)
            #expect(disabled.json?["status"]?.string == "disabled")
            #expect(try await api(app, .POST, "/api/v1/users/\(id)/invitation", as: gd).status == .conflict)
            // Disabling ended the invitation: enabled, it waits for a new one.
            #expect(try await api(app, .PATCH, "/api/v1/users/\(id)", as: gd, json: #"{"status": "active"}"#).json?["status"]?.string == "invitation_expired")
            let again = try await api(app, .POST, "/api/v1/users/\(id)/invitation", as: gd)
            #expect(again.json?["invitationLink"]?.string != made.json?["invitationLink"]?.string)
            // Out of reach: not found.
            let admin = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first()?.id)
            #expect(try await api(app, .GET, "/api/v1/users/\(admin.uuidString)", as: gd).status == .notFound)
            #expect(try await api(app, .PATCH, "/api/v1/users/\(admin.uuidString)", as: gd, json: #"{"status": "disabled"}"#).status == .notFound)
        }
    }
}

/// Every new page and route, for every role: who gets in, who is turned away, and how.
@Suite struct AccountsAccessMatrixTests {
    @Test func everyAccountsPageForEveryRole() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            func id(_ name: String) async throws -> String {
                try #require(try await User.query(on: app.db).filter(\.$username == name).first()?.id).uuidString
            }
            let s1 = try await id("s1"), c1 = try await id("c1"), admin = try await id("admin")
            // path → status for admin, staff (LB), gdstaff (GD), s1 (officer S1), c1 (officer C1), viewer
            let matrix: [(String, [UInt])] = [
                ("/users", [200, 200, 200, 403, 403, 403]),
                ("/users?role=officer&status=active&unit=S1&q=ngoc&page=2", [200, 200, 200, 403, 403, 403]),
                ("/users.xlsx", [200, 200, 200, 403, 403, 403]),
                ("/users/new", [200, 200, 200, 403, 403, 403]),
                ("/users/import", [200, 200, 200, 403, 403, 403]),
                ("/users/import/template.xlsx", [200, 200, 200, 403, 403, 403]),
                ("/users/\(s1)", [200, 200, 200, 403, 403, 403]),
                ("/users/\(c1)", [200, 200, 404, 403, 403, 403]),
                ("/users/\(admin)", [200, 404, 404, 403, 403, 403]),
                ("/users/\(UUID().uuidString)", [404, 404, 404, 403, 403, 403]),
                ("/users/not-an-id", [404, 404, 404, 403, 403, 403]),
                ("/units/GD/accounts", [200, 200, 200, 403, 403, 403]),
                ("/units/LB/accounts", [200, 200, 404, 403, 403, 403]),
                ("/account/two-factor", [200, 200, 200, 200, 200, 200]),
                ("/users/events.xlsx", [200, 200, 200, 403, 403, 403]),
                ("/users/\(c1)/events.xlsx", [200, 200, 404, 403, 403, 403]),
                ("/units/P1/end", [200, 200, 404, 403, 403, 403]),
                ("/units/GD/end?into=C1", [422, 422, 422, 403, 403, 403]),
                // The trail: staff and administrators, over their reach (a unit beyond it is said, not shown).
                ("/audit", [200, 200, 200, 403, 403, 403]),
                ("/audit?unit=C1&kind=initiative&q=mo%20hinh&from=01/01/2024&to=31/12/2030", [200, 200, 200, 403, 403, 403]),
                ("/audit.xlsx", [200, 200, 200, 403, 403, 403]),
            ]
            let users = ["admin", "staff", "gdstaff", "s1", "c1", "viewer"]
            var browsers: [Browser] = []
            for u in users { browsers.append(try await Browser.signIn(app, u)) }
            for (path, expected) in matrix {
                for (i, browser) in browsers.enumerated() {
                    #expect(try await browser.get(path).status.code == expected[i], "\(users[i]) GET \(path)")
                }
            }
            // The actions: nobody acts on an account beyond reach, officers and viewers on none.
            let actions: [(String, [String: String], [UInt])] = [
                ("/users/\(c1)/disable", [:], [0, 0, 404, 403, 403, 403]),
                ("/users/\(admin)/disable", [:], [0, 404, 404, 403, 403, 403]),
                ("/users/\(c1)/reset", [:], [0, 0, 404, 403, 403, 403]),
                ("/users/\(c1)/two-factor-reset", [:], [0, 403, 404, 403, 403, 403]),
                ("/users/\(c1)/update", ["fullName": "Đổi", "unitCode": "C1", "role": "officer"], [0, 0, 404, 403, 403, 403]),
                ("/units/LB/accounts", [:], [0, 0, 404, 403, 403, 403]),
                ("/units/C1/end", [:], [0, 0, 404, 403, 403, 403]),
                ("/units/LB/end", [:], [0, 422, 404, 403, 403, 403]),
            ]
            for (path, form, expected) in actions {
                for (i, browser) in browsers.enumerated() where expected[i] != 0 {
                    #expect(try await browser.post(path, form).status.code == expected[i], "\(users[i]) POST \(path)")
                }
            }
            // Nothing the refusals touched changed.
            let c1User = try #require(try await User.query(on: app.db).filter(\.$username == "c1").first())
            #expect(!c1User.disabled && c1User.displayName != "Đổi")
            #expect(try await User.query(on: app.db).filter(\.$username == "admin").first()?.disabled == false)
            #expect(try await DVKApp.Unit.query(on: app.db).filter(\.$endedAt != nil).count() == 0)
        }
    }

    @Test(arguments: Role.allCases)
    func theUsersAPIForEveryRole(role: Role) async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            // The caller sits at GD (the officer at S1): S1 is below, C1 beside, LB above.
            let caller = Caller.token(try await APIFixture.token(app, "user-\(role.rawValue)", role, unit: role == .officer ? "S1" : "GD"))
            func id(_ name: String) async throws -> String {
                try #require(try await User.query(on: app.db).filter(\.$username == name).first()?.id).uuidString
            }
            let s1 = try await id("s1"), c1 = try await id("c1")
            let manages = role == .admin || role == .staff
            let own: UInt = manages ? 0 : 403
            let beside: UInt = role == .admin ? 0 : (manages ? 404 : 403)
            let cases: [(HTTPMethod, String, String?, UInt, UInt)] = [
                (.GET, "/api/v1/users", nil, 200, own),
                (.GET, "/api/v1/users?unit=S1&status=active&q=s1", nil, 200, own),
                (.GET, "/api/v1/users/\(s1)", nil, 200, own),
                (.GET, "/api/v1/users/\(c1)", nil, 200, beside),
                (.POST, "/api/v1/users", #"{"fullName": "Người Mới", "unit": "S1", "role": "viewer", "email": "moi-\#(role.rawValue)@x.vn"}"#, 201, own),
                (.PATCH, "/api/v1/users/\(s1)", #"{"status": "disabled"}"#, 200, own),
                (.PATCH, "/api/v1/users/\(c1)", #"{"status": "disabled"}"#, 200, beside),
                // An active account has no invitation to send again.
                (.POST, "/api/v1/users/\(c1)/invitation", nil, 409, beside),
            ]
            for (method, path, body, ok, refused) in cases {
                let response = try await api(app, method, path, as: caller, json: body)
                let expected = refused == 0 ? ok : refused
                #expect(response.status.code == expected, "\(role) \(method) \(path): \(response.errorMessage ?? "")")
            }
            #expect(try await User.query(on: app.db).filter(\.$username == "c1").first()?.disabled == (role == .admin))
            // The one made above (by those who may), invited again: a new link.
            if manages, let made = try await User.query(on: app.db).filter(\.$email == "moi-\(role.rawValue)@x.vn").first() {
                let again = try await api(app, .POST, "/api/v1/users/\(try made.requireID())/invitation", as: caller)
                #expect(again.status == .ok && again.json?["invitationLink"]?.string?.contains("/invite/") == true)
            } else {
                #expect(!manages)
            }
        }
    }
}

/// The CLI's way in: one invitation, a spreadsheet of them, each link printed or mailed.
@Suite struct AccountCommandsTests {
    @Test func inviteAndImportFromTheShell() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let one = try await run(app, "user", "invite", "--unit", "S1", "--name", "Nguyễn Thị Hoa", "--email", "hoa@truong.vn")
            #expect(one.contains("user hoa invited (officer, S1)") && one.contains("/invite/"))
            // A role above what the unit takes, and a bad line: precise errors, nothing made.
            await #expect(throws: DomainError.self) { _ = try await run(app, "user", "invite", "--unit", "S1", "--name", "X", "--role", "staff") }
            let bad = try tempFile("Mã đơn vị,Họ và tên,Chức vụ,Email,Số điện thoại,Vai trò\nS2,Lê Văn Tám,,tam@x.vn,,\nNOPE,Ai Đó,,,,\n")
            await #expect(throws: DomainError.self) { _ = try await run(app, "user", "import", bad) }
            let good = try tempFile("Mã đơn vị,Họ và tên,Chức vụ,Email,Số điện thoại,Vai trò\nS2,Lê Văn Tám,,tam@x.vn,,\nGD,Trần Thu,,,,staff\n")
            #expect(try await run(app, "user", "import", good, "--dry-run").contains("2 accounts checked, none made"))
            #expect(try await User.query(on: app.db).count() == 1)
            let made = try await run(app, "user", "import", good)
            #expect(made.contains("2 accounts invited, 0 by email") && made.components(separatedBy: "/invite/").count == 3)
            #expect(try await User.query(on: app.db).count() == 3)
        }
    }

    @Test func withMailTheInvitationIsSentBeforeTheCommandEnds() async throws {
        try await withApp(MailAppTests.mailOn) { app in
            try await Fixture.load(app)
            // The test's mail server refuses connections: the command says so, and the
            // message waits for `dvk serve`.
            let out = try await run(app, "user", "invite", "--unit", "S1", "--name", "Nguyễn Thị Hoa", "--email", "hoa@truong.vn")
            #expect(out.contains("invitation to hoa@truong.vn: not yet sent, will be retried by `dvk serve`"))
            #expect(!out.contains("/invite/"))
            let waiting = try await app.db.sql().raw("SELECT status, attempts FROM outbox WHERE kind = 'invitation'").all()
            let attempts = try waiting.map { try $0.decode(column: "attempts", as: Int.self) }
            #expect(attempts == [1])
        }
    }
}
