import DVKCore
import Fluent
import Foundation
import SQLKit
import Synchronization
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

    /// The same file imported twice at once: between them every row is added once (the
    /// second finds the first's rows or is refused with a 409), each initiative has one
    /// event, the counts hold and the trail verifies.
    @Test func theSameImportTwiceAtOnce() async throws {
        try await withApp { app in
            let s = try await Self.scene(app, initiatives: 0)
            let rows = (0..<600).map { i in "\(["S1", "S2", "P1"][i % 3]),cá nhân,Người \(i % 9),kinh tế,Mô hình đồng thời \(i)" }
            let table = try CSVTable(text: "unit_code,registrant_kind,registrant_name,sector,title\n" + rows.joined(separator: "\n") + "\n")
            let added = Mutex<[Int]>([])
            let results = await Self.race(
                { let r = try await InitiativeImporter.run(table, campaign: s.campaign, actor: "cli", now: Date(), on: app.db); added.withLock { $0.append(r.added) } },
                { let r = try await InitiativeImporter.run(table, campaign: s.campaign, actor: "cli", now: Date(), on: app.db); added.withLock { $0.append(r.added) } })
            for case .failure(let error) in results { #expect(DVKErrorMiddleware.describe(error).0 == .conflict, "\(error)") }
            #expect(added.withLock { $0.sorted() }.last == rows.count && added.withLock { $0.reduce(0, +) } == rows.count)
            #expect(try await Initiative.query(on: app.db).count() == rows.count)
            let events = try await app.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'initiative.imported'").first()?
                .decode(column: "n", as: Int.self)
            #expect(events == rows.count)
            try await Self.expectCountsEqualARecount(app)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
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

    /// Eight new models of one unit at once, each naming the same new person in one of two
    /// spellings: every one is stored, under one registrant named in one of them (the first
    /// committed keeps it), and every answer and every event of the trail names that spelling. (On
    /// PostgreSQL the registrant is written by the statement that takes the unit's row, and
    /// the model by the one that appends its event.)
    @Test func oneNewRegistrantFromManySavesAtOnce() async throws {
        try await withApp { app in
            let s = try await Self.scene(app, initiatives: 0)
            let spellings = ["Nguyễn Thị Thuỷ", "Nguyễn Thị Thủy"]
            let saved = try await withThrowingTaskGroup(of: RegistrationStore.Saved.self) { group in
                for n in 0..<8 {
                    let draft = InitiativeDraft(kind: .individual, registrantName: spellings[n % 2], registrantTitle: n == 7 ? "Tổ trưởng" : "",
                                                sectorCode: "kinh-te", title: "Mô hình \(n)")
                    group.addTask { try await RegistrationStore.save(draft, campaign: s.campaign, unitID: s.s1, actor: "tab\(n)", at: Date(), on: app.db) }
                }
                return try await group.reduce(into: [RegistrationStore.Saved]()) { $0.append($1) }
            }
            let registrants = try await Registrant.query(on: app.db).filter(\.$unitID == s.s1).all()
            #expect(registrants.count == 1)
            let stored = try #require(registrants.first)
            #expect(spellings.contains(stored.name))
            #expect(stored.title == "Tổ trưởng")
            #expect(Set(saved.map(\.registrantID)) == [try stored.requireID()])
            #expect(Set(saved.map(\.registrantName)) == [stored.name])
            let initiatives = try await Initiative.query(on: app.db).filter(\.$unitID == s.s1).all()
            #expect(initiatives.count == 8 && initiatives.allSatisfy { $0.registrantID == stored.id })
            for model in saved {
                let events = try await AuditTrail.events(kind: "initiative", id: model.id, on: app.db)
                #expect(events.map(\.action) == ["initiative.created"])
                #expect(events.first?.changes.first { $0.field == "Tập thể/cá nhân đăng ký" }?.new == "Cá nhân: \(stored.name)")
            }
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// A save refused after the unit's row is taken (a stale version, an unknown model, an
    /// earlier model that is not the unit's) writes no registrant and changes no title: on
    /// PostgreSQL the registrant is written by the statement that takes the row.
    @Test func aRefusedSaveWritesNoRegistrant() async throws {
        try await withApp { app in
            let s = try await Self.scene(app, initiatives: 1)
            let before = try await Registrant.query(on: app.db).filter(\.$unitID == s.s1).sort(\.$name).all().map { "\($0.name)|\($0.title)" }
            let v = try await s.version()
            let stale = InitiativeDraft(kind: .individual, registrantName: "Người Mới", registrantTitle: "Chức vụ", sectorCode: "kinh-te", title: "Mới")
            let retitled = InitiativeDraft(kind: .collective, registrantName: "Tổ 0", registrantTitle: "Tổ mới đặt", sectorCode: "kinh-te", title: "Khác")
            let continuing = InitiativeDraft(kind: .individual, registrantName: "Người Mới", registrantTitle: "Chức vụ", sectorCode: "kinh-te",
                                             title: "Tiếp", continuity: .continues)
            let continuingTitled = InitiativeDraft(kind: .collective, registrantName: "Tổ 0", registrantTitle: "Tổ mới đặt", sectorCode: "kinh-te",
                                                   title: "Tiếp nữa", continuity: .continues)
            let refusals: [@Sendable () async throws -> Void] = [
                { _ = try await RegistrationStore.save(stale, campaign: s.campaign, unitID: s.s1, actor: "t", version: v + 5, at: Date(), on: app.db) },
                { _ = try await RegistrationStore.save(retitled, id: UUID(), campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db) },
                { _ = try await RegistrationStore.save(continuing, continues: UUID(), campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db) },
                { _ = try await RegistrationStore.save(continuingTitled, continues: UUID(), campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db) },
            ]
            for refusal in refusals {
                await #expect(throws: DomainError.self) { try await refusal() }
            }
            let after = try await Registrant.query(on: app.db).filter(\.$unitID == s.s1).sort(\.$name).all().map { "\($0.name)|\($0.title)" }
            #expect(after == before)
            #expect(try await Initiative.query(on: app.db).count() == 1)
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

    // MARK: - Campaign writes against a unit's step

    /// Every stored standing (phase, lateness) is what the rules derive from the row and the
    /// campaign as it is now: nothing was judged against a campaign that has since changed.
    static func expectStoredStandingsFollowTheRules(_ app: Application, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
        let rows = try await app.db.sql().select().columns(SubmissionRow.columns + ["phase", "late", "resubmitted_late"])
            .from(SubmissionRow.table).where("campaign_id", .equal, campaign.id).all()
        #expect(!rows.isEmpty, sourceLocation: sourceLocation)
        for stored in rows {
            let standing = try SubmissionRow(row: stored).standing(campaign)
            #expect(try stored.decode(column: "phase", as: String.self) == standing.phase.rawValue, sourceLocation: sourceLocation)
            #expect(try stored.decode(column: "late", as: Bool.self) == standing.isLate, sourceLocation: sourceLocation)
            #expect(try stored.decode(column: "resubmitted_late", as: Bool.self) == standing.isResubmittedLate, sourceLocation: sourceLocation)
        }
    }

    static func expectBothSucceeded(_ results: [Result<Void, any Error>], sourceLocation: SourceLocation = #_sourceLocation) {
        for case .failure(let error) in results { Issue.record(error, "\(error)", sourceLocation: sourceLocation) }
    }

    /// The letter's deadline is "before 16/02/2024"; the unit submits at noon on the 15th
    /// while staff move the deadline to "before 15/02/2024". In either order the unit has
    /// handed in after the deadline that stands, so it is late, and stored as such.
    @Test(arguments: orders)
    func deadlineEditAgainstSubmit(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let earlier = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 15))
            let noon = earlier.addingTimeInterval(12 * 3_600)
            #expect(noon < s.campaign.deadline, "on time before the edit")
            var edit = CampaignInput(s.campaign, issuerCode: "LB", targets: nil)
            edit.deadline = earlier
            let input = edit
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: noon, on: app.db) },
                { _ = try await CampaignStore.update(code: "DVK-2024", with: input, at: noon, on: app.db) }, swapped: swapped)
            Self.expectBothSucceeded(results)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(campaign.deadline == earlier)
            let row = try #require(try await SubmissionRow.find(campaignID: campaign.id, unitID: s.s1, on: app.db))
            #expect(row.status == .submitted)
            #expect(row.standing(campaign).isLate)
            try await Self.expectStoredStandingsFollowTheRules(app)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// Closing the campaign while a unit submits: the submit lands before the close, or is
    /// refused after it with a 409; never a submission into a closed campaign judged open.
    @Test(arguments: orders)
    func closeAgainstSubmit(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: Date(), on: app.db) },
                { _ = try await CampaignStore.changeState(code: "DVK-2024", to: .closed, at: Date(), on: app.db) }, swapped: swapped)
            guard case .success = results[1] else { Issue.record("the close failed: \(results[1])"); return }
            let submitted: Bool
            switch results[0] {
            case .success: submitted = true
            case .failure(let error):
                submitted = false
                #expect(DVKErrorMiddleware.describe(error).0 == .conflict, "\(error)")
            }
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(campaign.state == .closed)
            let row = try #require(try await SubmissionRow.find(campaignID: campaign.id, unitID: s.s1, on: app.db))
            #expect(row.status == (submitted ? SubmissionStatus.submitted : SubmissionStatus.draft))
            #expect(try await s.events(.submit) == (submitted ? 1 : 0))
            // A late step into the closed campaign is refused in any case.
            await #expect(throws: DomainError.self) {
                try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: Date(), on: app.db)
            }
            try await Self.expectStoredStandingsFollowTheRules(app)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// A re-sync (a new unit joins) while a unit submits: both land, the new unit is a
    /// target, and the counts rebuilt by the re-sync include the submit.
    @Test(arguments: orders)
    func resyncAgainstSubmit(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nS3,Trường Mầm non Thạch Bàn,GD,grassroots\n"))
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: Date(), on: app.db) },
                { _ = try await CampaignStore.resync(code: "DVK-2024", at: Date(), on: app.db) }, swapped: swapped)
            Self.expectBothSucceeded(results)
            #expect(try await CampaignStore.snapshotUnit(campaignID: s.campaign.id, code: "S3", on: app.db).isTarget)
            #expect(try await s.events(.submit) == 1)
            let gd = try await CampaignStore.snapshotUnit(campaignID: s.campaign.id, code: "GD", on: app.db).snapshot
            let counts = try await Standings.counts(s.campaign, scope: gd, on: app.db)
            #expect([counts.expected, counts.late, counts.waitingReview, counts.notStarted] == [Int]([3, 1, 1, 2]), "\(counts)")
            try await Self.expectStoredStandingsFollowTheRules(app)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// A full recount (`Recount.campaign`, as a re-sync or a repair runs it) while a unit
    /// submits: the submit is counted once, neither lost nor doubled.
    @Test(arguments: orders)
    func recountAgainstSubmit(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: Date(), on: app.db) },
                { try await app.db.write { db in try await Recount.campaign(s.campaign.id, on: db) } }, swapped: swapped)
            Self.expectBothSucceeded(results)
            let unit = try await CampaignStore.snapshotUnit(campaignID: s.campaign.id, code: "LB", on: app.db).snapshot
            let total = try await SummaryQuery.official(s.campaign, unit: unit, on: app.db).total
            #expect(total.collectiveInitiatives + total.individualInitiatives == 2)
            try await Self.expectStoredStandingsFollowTheRules(app)
            try await Self.expectCountsEqualARecount(app)
        }
    }

    /// Two submits of one unit where only one tab (or neither) sends the version it showed:
    /// the row lock, not the version check, makes one of them the winner.
    @Test(arguments: orders)
    func submitAgainstSubmitWithoutTheSameVersion(swapped: Bool) async throws {
        for versioned in [true, false] {
            try await withApp { app in
                let s = try await Self.scene(app)
                let v = try await s.version()
                let results = await Self.race(
                    { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1",
                                                          version: versioned ? v : nil, at: Date(), on: app.db) },
                    { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "tab2", at: Date(), on: app.db) },
                    swapped: swapped)
                Self.expectOneWinner(results)
                #expect(try await s.events(.submit) == 1)
                try await Self.expectCountsEqualARecount(app)
            }
        }
    }

    /// A new unit joining the open campaign (the tree taken in again under the campaign's
    /// lock) while another unit submits: both land, and the counts hold.
    @Test(arguments: orders)
    func newUnitAgainstSubmit(swapped: Bool) async throws {
        try await withApp { app in
            let s = try await Self.scene(app)
            let visitor = try await StaffTestKit.visitor(app, "lb", .staff, at: "LB")
            let staff = try #require(try await AuthStore.user(sessionToken: visitor.cookie, now: Date(), policy: SessionPolicy(), on: app.db))
            var fields = UnitFields()
            (fields.code, fields.name, fields.kind, fields.parentCode) = ("S3", "Trường Mầm non Thạch Bàn", "grassroots", "GD")
            let form = fields
            let results = await Self.race(
                { try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "s1", at: Date(), on: app.db) },
                { _ = try await UnitEditor.create(form, user: staff, at: Date(), on: app.db) }, swapped: swapped)
            Self.expectBothSucceeded(results)
            #expect(try await CampaignStore.snapshotUnit(campaignID: s.campaign.id, code: "S3", on: app.db).isTarget)
            #expect(try await s.events(.submit) == 1)
            try await Self.expectStoredStandingsFollowTheRules(app)
            try await Self.expectCountsEqualARecount(app)
        }
    }
}
