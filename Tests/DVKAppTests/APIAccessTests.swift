import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import DVKApp

/// Who may do what through the API: every unit route for each role, on a unit in the
/// caller's scope and on one outside it; ids guessed across units; CSRF for sessions.
@Suite struct APIAccessTests {
    static let campaign = "/api/v1/campaigns/DVK-2024"

    /// Puts a unit's submission back to an editable state with `initiatives` fresh initiatives,
    /// submitted when asked: every case of the matrix starts from the state it needs.
    @discardableResult
    static func prepare(_ app: Application, unit code: String, initiatives: Int, submitted: Bool = false) async throws -> [UUID] {
        let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
        let unitID = try await UnitDirectory.find(code: code, on: app.db).requireID()
        let status = try await SubmissionRow.find(campaignID: campaign.id, unitID: unitID, on: app.db)?.status ?? .notStarted
        if status.counts {
            try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: campaign, unitID: unitID, actor: "test", reason: "Sửa lại", at: Date(), on: app.db)
        }
        for old in try await Initiative.query(on: app.db).filter(\.$unitID == unitID).all() {
            try await RegistrationStore.delete(initiativeID: try old.requireID(), campaign: campaign, unitID: unitID, actor: "test", at: Date(), on: app.db)
        }
        var ids: [UUID] = []
        for n in 0..<initiatives {
            let draft = InitiativeDraft(kind: .collective, registrantName: "Tổ \(code)", sectorCode: "kinh-te", title: "Mô hình \(n + 1)")
            ids.append(try await RegistrationStore.save(draft, campaign: campaign, unitID: unitID, actor: "test", at: Date(), on: app.db).id)
        }
        if submitted { try await RegistrationStore.perform(.submit, campaign: campaign, unitID: unitID, actor: "test", at: Date(), on: app.db) }
        return ids
    }

    /// The campaign and unit a path names, read with the user by the request's first
    /// statement (`Access.Read`), reach exactly what the campaign's own statement reaches:
    /// for every role at every level, every unit (in the tree, outside it, unknown, none)
    /// and a campaign that does not exist, through a token and through a session.
    @Test func theReachReadWithTheUserIsTheReachReadAlone() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            func outcome(_ code: String, _ unit: String?, _ user: CurrentUser, _ read: Access.Read?) async -> String {
                do {
                    let found = try await Access.campaign(code: code, unit: unit, user: user, read: read, on: app.db)
                    return "\(found.view.campaign.id) \(found.view.scope) \(String(describing: found.unit))"
                } catch {
                    return "\(DVKErrorMiddleware.describe(error))"
                }
            }
            func ids(_ row: (any SQLRow)?, _ column: String) throws -> UUID? {
                guard let row, !(try row.decodeNil(column: column)) else { return nil }
                return try row.decode(column: column, as: UUID.self)
            }
            var compared = 0, reached = 0
            for role in Role.allCases {
                for home in ["HN", "LB", "GD", "S1", "P1", "OTHER"] {
                    let name = "\(role.rawValue)-\(home)".lowercased()
                    guard let token = try? await APIFixture.token(app, name, role, unit: home) else { continue }
                    let session = try await APIFixture.session(app, name)
                    for code in ["DVK-2024", "KHONG-CO"] {
                        for unit in [nil, "LB", "GD", "S1", "S2", "P1", "OTHER", "KHONG-CO"] {
                            let codes = (code: code, unit: unit ?? "")
                            let byToken = try #require(try await AuthStore.user(apiToken: token, now: Date(), reaching: codes, on: app.db))
                            let bySession = try #require(try await AuthStore.user(sessionToken: session.cookie, now: Date(), policy: SessionPolicy(),
                                                                                 reaching: codes, on: app.db))
                            let alone = await outcome(code, unit, byToken.user, nil)
                            #expect(await outcome(code, unit, byToken.user, byToken.read) == alone, "\(name) \(code) \(unit ?? "-")")
                            #expect(await outcome(code, unit, bySession.user, bySession.read) == alone, "\(name) \(code) \(unit ?? "-")")
                            // The same rows, the user's own place included (which a wrong join
                            // would leave to a slower read with the same outcome).
                            let row = try await Access.CampaignReach(binds: [code, byToken.user.unitID, unit ?? ""]).first(on: app.db)
                            for read in [byToken.read, bySession.read] {
                                for column in ["c_id", "own_id", "t_id"] {
                                    #expect(try ids(read?.row, column) == (try ids(row, column)), "\(name) \(code) \(unit ?? "-") \(column)")
                                }
                            }
                            // A read for other codes is not used.
                            let read = try #require(byToken.read)
                            let other = Access.Read(userID: read.userID, code: code, unit: unit == "S1" ? "S2" : "S1", row: read.row)
                            #expect(await outcome(code, unit, byToken.user, other) == alone)
                            // Nor one for another campaign, or for another user.
                            let elsewhere = Access.Read(userID: read.userID, code: code == "DVK-2024" ? "KHONG-CO" : "DVK-2024", unit: read.unit, row: read.row)
                            #expect(await outcome(code, unit, byToken.user, elsewhere) == alone)
                            compared += 1
                            if !alone.hasPrefix("(") { reached += 1 }
                        }
                    }
                }
            }
            // Nor one read for another user: LB's staff reaches P1, S1's officer does not.
            let staffToken = try await AuthStore.createToken(username: "staff-lb", now: Date(), on: app.db)
            let officerToken = try await AuthStore.createToken(username: "officer-s1", now: Date(), on: app.db)
            let staff = try #require(try await AuthStore.user(apiToken: staffToken, now: Date(), reaching: ("DVK-2024", "P1"), on: app.db))
            let officer = try #require(try await AuthStore.user(apiToken: officerToken, now: Date(), on: app.db))
            #expect(await outcome("DVK-2024", "P1", staff.user, staff.read).hasPrefix("(") == false)
            #expect(await outcome("DVK-2024", "P1", officer, staff.read) == (await outcome("DVK-2024", "P1", officer, nil)))
            #expect(await outcome("DVK-2024", "P1", officer, nil).hasPrefix("("))
            // Both outcomes were met many times.
            #expect(compared > 100 && reached > 20 && compared - reached > 20, "\(compared) \(reached)")
        }
    }

    /// Through HTTP: a path whose codes are percent-encoded is read by the route itself, and
    /// answers as the plain one; a unit outside the caller's part is "not found" either way.
    @Test func encodedCodesAnswerAsPlainOnes() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await Self.prepare(app, unit: "S1", initiatives: 2)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            let plain = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/S1/initiatives", as: .token(token))
            let encoded = try await api(app, .GET, "/api/v1/campaigns/DVK%2D2024/units/S%31/initiatives", as: .token(token))
            #expect(plain.status == .ok && plain.json?.array?.count == 2)
            #expect(encoded.status == plain.status && encoded.body == plain.body)
            for path in ["/api/v1/campaigns/DVK-2024/units/S2/initiatives", "/api/v1/campaigns/DVK-2024/units/S%32/initiatives"] {
                #expect(try await api(app, .GET, path, as: .token(token)).status == .notFound, "\(path)")
            }
        }
    }

    /// The codes a path names: under `/api/v1` or not, the query's unit when the path has
    /// none, nothing that would need decoding, bounded.
    @Test func theCodesAPathNames() {
        func codes(_ path: String, _ query: String? = nil) -> String? {
            Access.codes(inTarget: path + (query.map { "?" + $0 } ?? "")).map { "\($0.code) \($0.unit)" }
        }
        #expect(codes("/api/v1/campaigns/DVK-2024/units/S1/initiatives") == "DVK-2024 S1")
        #expect(codes("/api/v1/campaigns/DVK-2024/units/S1/initiatives", "unit=S2") == "DVK-2024 S1")
        #expect(codes("/campaigns/DVK-2024/units/LB-GD-THNL") == "DVK-2024 LB-GD-THNL")
        #expect(codes("/campaigns/DVK-2024/dashboard") == "DVK-2024 ")
        #expect(codes("/campaigns/DVK-2024/") == "DVK-2024 ")
        #expect(codes("/api/v1/campaigns/DVK-2024") == "DVK-2024 ")
        #expect(codes("/api/v1/campaigns/DVK-2024/summary", "unit=LB") == "DVK-2024 LB")
        #expect(codes("/api/v1/campaigns/DVK-2024/summary", "x=1&unit=LB&unit=GD") == "DVK-2024 GD")
        #expect(codes("/campaigns/DVK-2024/units/", "unit=S1") == "DVK-2024 S1")
        #expect(codes("/api/v1/campaigns/DVK-2024/summary", "unit=L%42") == "DVK-2024 ")
        #expect(codes("/api/v1/campaigns/DVK-2024/summary", "units=LB") == "DVK-2024 ")
        #expect(codes("/campaigns/DVK-2024/units") == "DVK-2024 ")
        #expect(codes("/campaigns/DVK-2024/units/") == "DVK-2024 ")
        for path in ["/", "/campaigns", "/campaigns/", "/campaigns//units/S1", "/api/v1/campaigns", "/api/v1campaigns/X", "/library/campaigns/X", "/api/v2/campaigns/X",
                     "/campaigns/" + String(repeating: "A", count: 101), "/campaigns/X/units/" + String(repeating: "A", count: 101),
                     "/campaigns/DVK%2D2024/units/S1", "/campaigns/X/units/S%31", "/campaigns/A+B"] {
            #expect(codes(path) == nil, "\(path)")
        }
        // A request's target as sent: its query after the first `?`, no fragment.
        func target(_ target: String) -> String? { Access.codes(inTarget: target).map { "\($0.code) \($0.unit)" } }
        #expect(target("/api/v1/campaigns/DVK-2024/summary?unit=LB") == "DVK-2024 LB")
        #expect(target("/api/v1/campaigns/DVK-2024/summary?x=1&unit=LB&unit=GD#unit=S1") == "DVK-2024 GD")
        #expect(target("/api/v1/campaigns/DVK-2024/summary?x=?&unit=LB") == "DVK-2024 LB")
        #expect(target("/campaigns/DVK-2024/units/S1?unit=S2") == "DVK-2024 S1")
        #expect(target("/campaigns/DVK-2024/units/S1#top") == "DVK-2024 S1")
        #expect(target("/campaigns/DVK-2024#x?unit=S1") == "DVK-2024 ")
        #expect(target("/campaigns/DVK-2024/summary") == "DVK-2024 ")
        for absolute in ["http://host/campaigns/DVK-2024/units/S1", "", "?unit=S1", "#/campaigns/X"] {
            #expect(target(absolute) == nil, "\(absolute)")
        }
    }


    /// Admin, staff and viewer sit at GD (S1 and S2 below it); the officer at S1. P1 is in
    /// the campaign but outside every one of them.
    @Test(arguments: Role.allCases)
    func accessMatrix(role: Role) async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let caller = Caller.token(try await APIFixture.token(app, "user-\(role.rawValue)", role, unit: role == .officer ? "S1" : "GD"))
            let register: UInt = role == .viewer ? 403 : 0  // 0: the route's success status
            let review: UInt = role.manages ? 0 : 403
            let c = Self.campaign
            let p1 = try await Self.prepare(app, unit: "P1", initiatives: 1)[0]
            typealias Case = (method: HTTPMethod, path: String, body: String?, ok: UInt, expected: UInt, state: (initiatives: Int, submitted: Bool))
            // "{id}" stands for an initiative of the unit; `state` is what the case starts from.
            func cases(_ unit: String) -> [Case] {
                let base = "\(c)/units/\(unit)"
                return [
                    (.GET, "/api/v1/units/\(unit)", nil, 200, 0, (1, false)),
                    (.GET, base, nil, 200, 0, (1, false)),
                    (.GET, "\(c)/summary?unit=\(unit)", nil, 200, 0, (1, false)),
                    (.GET, "\(base)/initiatives", nil, 200, 0, (1, false)),
                    (.GET, "\(base)/initiatives/{id}", nil, 200, 0, (1, false)),
                    (.POST, "\(base)/initiatives", APIFixture.initiativeJSON(), 201, register, (1, false)),
                    (.PUT, "\(base)/initiatives/{id}", APIFixture.initiativeJSON(title: "Đổi tên"), 200, register, (1, false)),
                    (.DELETE, "\(base)/initiatives/{id}", nil, 204, register, (1, false)),
                    (.POST, "\(base)/submit", nil, 200, register, (1, false)),
                    (.POST, "\(base)/declare", nil, 200, register, (0, false)),
                    (.POST, "\(base)/accept", nil, 200, review, (1, true)),
                    (.POST, "\(base)/return", #"{"reason": "Thiếu nội dung"}"#, 200, review, (1, true)),
                ]
            }

            // Own scope: reads for everyone; writes by role.
            for test in cases("S1") {
                let ids = try await Self.prepare(app, unit: "S1", initiatives: test.state.initiatives, submitted: test.state.submitted)
                let path = test.path.replacingOccurrences(of: "{id}", with: ids.first?.uuidString ?? "")
                let expected = test.expected == 0 ? test.ok : test.expected
                let response = try await api(app, test.method, path, as: caller, json: test.body)
                #expect(response.status.code == expected, "\(role) \(test.method) \(path): \(response.errorMessage ?? "")")
                if expected == 403 { #expect(response.errorCode == "forbidden") }
            }
            // Outside the scope: 404 for every route and role, whatever the unit's data.
            for test in cases("P1") {
                let path = test.path.replacingOccurrences(of: "{id}", with: p1.uuidString)
                let response = try await api(app, test.method, path, as: caller, json: test.body)
                #expect(response.status == .notFound, "\(role) \(test.method) \(path)")
                #expect(response.errorCode == "not_found")
            }
            let stillThere = try await Initiative.find(p1, on: app.db)
            #expect(stillThere?.title == "Mô hình 1")
        }
    }

    @Test func aCampaignOutsideTheUsersTreeDoesNotExistForThem() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let outsider = Caller.token(try await APIFixture.token(app, "other", .officer, unit: "OTHER"))

            let list = try await api(app, .GET, "/api/v1/campaigns", as: outsider)
            let one = try await api(app, .GET, Self.campaign, as: outsider)
            let summary = try await api(app, .GET, "\(Self.campaign)/summary", as: outsider)
            let units = try await api(app, .GET, "/api/v1/units", as: outsider)
            let lb = try await api(app, .GET, "/api/v1/units/LB", as: outsider)

            #expect(list.json?.array?.isEmpty == true)
            #expect(one.status == .notFound && summary.status == .notFound && lb.status == .notFound)
            #expect(units.json?.array?.compactMap { $0["code"]?.string } == ["OTHER"])
        }
    }

    /// A token for S1 cannot reach S2's initiative by its id, through S2's path or its own.
    @Test func idsOfAnotherUnitCannotBeGuessed() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let s1 = Caller.token(try await APIFixture.token(app, "hang", .officer, unit: "S1"))
            let theirID = try await Self.prepare(app, unit: "S2", initiatives: 1)[0]
            let theirs = theirID.uuidString
            try await Self.prepare(app, unit: "S1", initiatives: 1)

            var answers: [HTTPResponseStatus] = []
            for unit in ["S1", "S2"] {
                let path = "\(Self.campaign)/units/\(unit)/initiatives/\(theirs)"
                answers.append(try await api(app, .GET, path, as: s1).status)
                answers.append(try await api(app, .PUT, path, as: s1, json: APIFixture.initiativeJSON()).status)
                answers.append(try await api(app, .DELETE, path, as: s1).status)
            }
            let list = try await api(app, .GET, "\(Self.campaign)/units/S2/initiatives", as: s1)
            let notAnID = try await api(app, .GET, "\(Self.campaign)/units/S1/initiatives/not-a-uuid", as: s1)

            #expect(answers == Array(repeating: .notFound, count: 6))
            #expect(list.status == .notFound && notAnID.status == .notFound)
            let untouched = try await Initiative.find(theirID, on: app.db)
            #expect(untouched?.title == "Mô hình 1")
        }
    }

    @Test func aSessionMustSendItsCSRFTokenToChangeAnything() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            let session = try await APIFixture.session(app, "hang")
            let path = "\(Self.campaign)/units/S1/initiatives"

            let read = try await api(app, .GET, path, as: .session(cookie: session.cookie, csrf: nil))
            let withoutToken = try await api(app, .POST, path, as: .session(cookie: session.cookie, csrf: nil),
                                             json: APIFixture.initiativeJSON())
            let wrongToken = try await api(app, .POST, path, as: .session(cookie: session.cookie, csrf: "x" + session.csrf),
                                           json: APIFixture.initiativeJSON())
            let afterRefusals = try await api(app, .GET, path, as: .token(token))
            let withToken = try await api(app, .POST, path, as: .session(cookie: session.cookie, csrf: session.csrf),
                                          json: APIFixture.initiativeJSON())
            let bearer = try await api(app, .POST, path, as: .token(token),
                                       json: APIFixture.initiativeJSON(title: "Mô hình thứ hai"))

            #expect(read.status == .ok)
            #expect(withoutToken.status == .forbidden && withoutToken.errorCode == "csrf")
            #expect(wrongToken.status == .forbidden && wrongToken.errorCode == "csrf")
            #expect(afterRefusals.json?.array?.isEmpty == true)
            #expect(withToken.status == .created)
            #expect(bearer.status == .created)  // a bearer token carries no ambient credential
        }
    }
}
