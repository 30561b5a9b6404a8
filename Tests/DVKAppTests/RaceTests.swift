import DVKCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Two people — or two tabs — writing the same unit at the same moment, on SQLite and on
/// PostgreSQL: each race ends with one winner and one clear refusal (a 409), one line of
/// history for the winner's step, and maintained counts equal to a recount.
@Suite struct RaceTests {
    struct Scene {
        var app: Application
        var campaign: CampaignInfo
        var s1: UUID
        var initiatives: [UUID]

        /// The version a page shows now.
        func version() async throws -> Int {
            try await SubmissionRow.find(campaignID: campaign.id, unitID: s1, on: app.db)?.version ?? 0
        }

        func events(_ action: SubmissionAction) async throws -> Int {
            guard let row = try await SubmissionRow.find(campaignID: campaign.id, unitID: s1, on: app.db) else { return 0 }
            return try await SubmissionEvent.query(on: app.db).filter(\.$submissionID == row.id).filter(\.$action == action).count()
        }
    }

    static func scene(_ app: Application, initiatives: Int = 2) async throws -> Scene {
        try await Fixture.load(app)
        let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
        let s1 = try await UnitDirectory.find(code: "S1", on: app.db).requireID()
        var ids: [UUID] = []
        for n in 0..<initiatives {
            let draft = InitiativeDraft(kind: n % 2 == 0 ? .collective : .individual, registrantName: "Tổ \(n)", sectorCode: "kinh-te",
                                        title: "Mô hình \(n)")
            ids.append(try await RegistrationStore.save(draft, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db).id)
        }
        return Scene(app: app, campaign: campaign, s1: s1, initiatives: ids)
    }

    /// Runs both at once, `a` started first or — `swapped` — `b`; returns how each ended, `a`'s first.
    static func race(_ a: @escaping @Sendable () async throws -> Void, _ b: @escaping @Sendable () async throws -> Void,
                     swapped: Bool = false) async -> [Result<Void, any Error>] {
        func run(_ f: @escaping @Sendable () async throws -> Void) async -> Result<Void, any Error> {
            do { try await f(); return .success(()) } catch { return .failure(error) }
        }
        if swapped {
            async let second = run(b)
            async let first = run(a)
            return await [first, second]
        }
        async let first = run(a)
        async let second = run(b)
        return await [first, second]
    }

    /// Each race twice, each side started first once: both orders must end the same way.
    static let orders = [false, true]

    /// One success, and a refusal that is a conflict (409) — never anything else.
    static func expectOneWinner(_ results: [Result<Void, any Error>], sourceLocation: SourceLocation = #_sourceLocation) {
        let wins = results.filter { if case .success = $0 { true } else { false } }.count
        #expect(wins == 1, "\(results)", sourceLocation: sourceLocation)
        for case .failure(let error) in results {
            let status = DVKErrorMiddleware.describe(error).0
            #expect(status == .conflict, "\(error)", sourceLocation: sourceLocation)
        }
    }

    static func expectCountsEqualARecount(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
        for code in ["S1", "GD", "LB"] {
            let unit = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: code, on: app.db).snapshot
            let kept = try await SummaryQuery.official(campaign, unit: unit, on: app.db)
            let counted = try await SummaryQuery.recounted(campaign, unit: unit, on: app.db)
            #expect(kept == counted, "summary of \(code)", sourceLocation: sourceLocation)
            let standings = try await Standings.counts(campaign, scope: unit, on: app.db)
            let lines = try await Standings.lines(campaign, scope: unit, on: app.db).lines
            #expect(standings == lines.reduce(StandingCounts()) { $0 + StandingCounts($1.standing) }, "standings of \(code)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: orders)
    func submitAgainstDelete(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let v = try await s.version()
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", version: v, at: Date(), on: app.db) },
                { try await RegistrationStore.delete(initiativeID: s.initiatives[0], campaign: s.campaign, unitID: s.s1, actor: "tab2",
                                                     version: v, at: Date(), on: app.db) }, swapped: swapped)
            Self.expectOneWinner(results)
            let submitted = if case .success = results[0] { true } else { false }
            #expect(try await s.events(.submit) == (submitted ? 1 : 0))
            #expect(try await Initiative.query(on: app.db).count() == (submitted ? 2 : 1))
            try await Self.expectCountsEqualARecount(app)
        }
    }

    @Test(arguments: orders)
    func submitAgainstSave(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let v = try await s.version()
            let draft = InitiativeDraft(kind: .individual, registrantName: "Lê An", sectorCode: "kinh-te", title: "Mô hình mới")
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", version: v, at: Date(), on: app.db) },
                { try await RegistrationStore.save(draft, campaign: s.campaign, unitID: s.s1, actor: "tab2", version: v, at: Date(), on: app.db) }, swapped: swapped)
            Self.expectOneWinner(results)
            #expect(try await s.events(.submit) + (try await Initiative.query(on: app.db).count() - 2) == 1)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    @Test(arguments: orders)
    func submitAgainstSubmit(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let v = try await s.version()
            let submit: @Sendable () async throws -> Void = {
                try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", version: v, at: Date(), on: app.db)
            }
            Self.expectOneWinner(await Self.race(submit, submit, swapped: swapped))
            #expect(try await s.events(.submit) == 1)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    @Test(arguments: orders)
    func acceptAgainstReturn(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: Date(), on: app.db)
            let v = try await s.version()
            let results = await Self.race(
                { try await RegistrationStore.perform(.accept, campaign: s.campaign, unitID: s.s1, actor: "staff", version: v, at: Date(), on: app.db) },
                { try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: s.campaign, unitID: s.s1, actor: "gdstaff",
                                                      reason: "Thiếu kết quả dự kiến", version: v, at: Date(), on: app.db) }, swapped: swapped)
            Self.expectOneWinner(results)
            #expect(try await s.events(.accept) + (try await s.events(.return)) == 1)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    @Test(arguments: orders)
    func uploadAgainstSubmit(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let v = try await s.version()
            let table = try CSVTable(text: "unit_code,registrant_kind,registrant_name,sector,title\nS1,cá nhân,Bình,kinh tế,Từ tệp\n")
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", version: v, at: Date(), on: app.db) },
                { _ = try await InitiativeImporter.run(table, campaign: s.campaign, actor: "tab2", now: Date(), restrictTo: s.s1, submit: false,
                                                       version: v, on: app.db) }, swapped: swapped)
            Self.expectOneWinner(results)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// The CLI's import of submitted rows racing the unit's own submit: both may win (they
    /// do not contradict each other), but never twice the same step, and the counts hold.
    @Test func cliImportAgainstSubmit() async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let table = try CSVTable(text: "unit_code,registrant_kind,registrant_name,sector,title\nS1,cá nhân,Bình,kinh tế,Từ tệp\n")
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: Date(), on: app.db) },
                { _ = try await InitiativeImporter.run(table, campaign: s.campaign, actor: "cli", now: Date(), on: app.db) })
            for case .failure(let error) in results { #expect(DVKErrorMiddleware.describe(error).0 == .conflict, "\(error)") }
            #expect(try await s.events(.submit) <= 1)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// Eight submits of one unit through the API at once, without `If-Match`: one 200,
    /// seven 409, one line of history.
    @Test func eightSubmitsAtOnce() async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        var headers = HTTPHeaders()
                        headers.bearerAuthorization = BearerAuthorization(token: token)
                        return try await app.testing().sendRequest(.POST, "/api/v1/campaigns/DVK-2024/units/S1/submit", headers: headers).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 409, 409, 409, 409, 409, 409, 409])
            #expect(try await s.events(.submit) == 1)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// Two creates of the same initiative through the API: one 201, one 409 that says why.
    @Test func theSameInitiativeTwiceAtOnce() async throws {
        try await withApp { app in
            _ = try await Self.scene(app, initiatives: 0)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            let body = APIFixture.initiativeJSON()
            let results = try await withThrowingTaskGroup(of: APIResult.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/initiatives", as: .token(token), json: body) }
                }
                return try await group.reduce(into: [APIResult]()) { $0.append($1) }
            }
            #expect(results.map(\.status.code).sorted() == [201, 409])
            #expect(results.first { $0.status == .conflict }?.errorMessage?.contains("đã đăng ký mô hình") == true)
            #expect(try await Initiative.query(on: app.db).count() == 1)
        }
    }

    /// A page's version sent back with `If-Match`: a step refused when the unit was
    /// written since, with nothing changed.
    @Test func ifMatchRefusesAStaleStep() async throws {
        try await withApp { app in
            _ = try await Self.scene(app)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            let unit = "/api/v1/campaigns/DVK-2024/units/S1"
            let seen = try await api(app, .GET, unit, as: .token(token))
            let etag = try #require(seen.headers.first(name: .eTag))
            #expect(etag == "\"\(try #require(seen.json?["version"]?.int))\"")
            try await api(app, .POST, unit + "/initiatives", as: .token(token), json: APIFixture.initiativeJSON())
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            headers.replaceOrAdd(name: .ifMatch, value: etag)
            let stale = try await app.testing().sendRequest(.POST, unit + "/submit", headers: headers)
            #expect(stale.status == .conflict)
            #expect(try await api(app, .GET, unit, as: .token(token)).json?["status"]?.string == "draft")
            let fresh = try await api(app, .GET, unit, as: .token(token))
            headers.replaceOrAdd(name: .ifMatch, value: try #require(fresh.headers.first(name: .eTag)))
            #expect(try await app.testing().sendRequest(.POST, unit + "/submit", headers: headers).status == .ok)
        }
    }
}
