import DVKCore
import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Synchronization
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// A new model on PostgreSQL written by one statement on what a read found
/// (`RegistrationStore.SaveAtOnce`): it writes what the locked write writes, and when the
/// unit, its trail, its campaign or its registrant moved after the read it keeps nothing,
/// so the locked write runs instead.
@Suite struct SaveAtOnceTests {
    static func isPostgres(_ app: Application) throws -> Bool { try app.db.sql().dialect.name == "postgresql" }

    static func plan(_ s: RaceTests.Scene, _ draft: InitiativeDraft, version: Int? = nil,
                     seen: (any SQLRow)? = nil) async throws -> RegistrationStore.SaveAtOnce.Plan? {
        let now = Date()
        return try await RegistrationStore.SaveAtOnce.plan(
            draft, campaignID: s.campaign.id, unitID: s.s1, version: version,
            registering: RegistrationStore.registering(unitID: s.s1, draft.kind, draft.registrantName, draft.registrantTitle, at: now),
            titleKey: draft.titleKey, searchKey: VietnameseText.searchKey(draft.title + " " + draft.registrantName), foreseen: nil, seen: seen, at: now,
            on: s.app.db)
    }

    static func draft(_ title: String, name: String = "Tổ 0", kind: RegistrantKind = .collective) -> InitiativeDraft {
        InitiativeDraft(kind: kind, registrantName: name, registrantTitle: "Tổ trưởng", sectorCode: "van-hoa", title: title,
                        purpose: "Mục đích <b>&", content: "Nội dung", startDate: CalendarDay(year: 2024, month: 3, day: 1), personInCharge: "Chị Lan")
    }

    /// The one statement stores the model, its registrant, the unit's next version and a
    /// sealed event, as the locked write does: the same rows, the same trail.
    @Test func aNewModelIsWrittenAsTheLockedWriteWritesIt() async throws {
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 1)
            let v = try await s.version()
            let draft = Self.draft("Sân chơi <thiếu nhi>")
            let plan = try await Self.plan(s, draft)
            guard try Self.isPostgres(app) else {
                #expect(plan == nil, "SQLite writes every model locked")
                return
            }
            let made = try #require(plan)
            let saved = try #require(try await RegistrationStore.SaveAtOnce.write(made, refusing: RegistrationStore.duplicate(draft), on: app.db))
            #expect(saved.id == made.id && saved.registrantName == "Tổ 0" && saved.registrantTitle == "Tổ trưởng")
            #expect(try await s.version() == v + 1)
            let stored = try #require(try await Initiative.find(saved.id, on: app.db))
            #expect(stored.title == "Sân chơi <thiếu nhi>" && stored.purpose == "Mục đích <b>&" && stored.sectorCode == "van-hoa")
            #expect(stored.registrantID == saved.registrantID && stored.campaignID == s.campaign.id && stored.unitID == s.s1)
            #expect(stored.startDate == "2024-03-01" && stored.personInCharge == "Chị Lan" && stored.changedFields == "")
            #expect(stored.titleKey == draft.titleKey)
            // The locked write's model of the same form, for comparison.
            let locked = try await RegistrationStore.save(Self.draft("Sân chơi 2"), campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db)
            let a = try #require(try await AuditTrail.events(kind: "initiative", id: saved.id, on: app.db).first)
            let b = try #require(try await AuditTrail.events(kind: "initiative", id: locked.id, on: app.db).first)
            #expect(a.action == "initiative.created" && a.unitID == s.s1 && a.campaignID == s.campaign.id)
            #expect(a.changes.map(\.field) == b.changes.map(\.field))
            #expect(a.changes.first { $0.field == "Tập thể/cá nhân đăng ký" }?.new == "Tập thể: Tổ 0")
            #expect(a.changes.first { $0.field == "Tên mô hình" }?.new == "Sân chơi <thiếu nhi>")
            let key = try #require(try await app.db.sql().raw("SELECT search_key FROM audit_events WHERE id = \(bind: a.id)").first())
            #expect(try key.decode(column: "search_key", as: String.self) == AuditTrail.search(a))
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
            try await RaceTests.expectCountsEqualARecount(app)
        }
    }

    /// A plan made, then the unit moved before its write: each kind of move makes the write
    /// keep nothing (not the version, the head, the registrant or the model), and the save
    /// made again, locked, stores it.
    @Test(arguments: ["save", "version", "head", "campaign", "spelling"])
    func aPlanTheUnitMovedUnderKeepsNothing(move: String) async throws {
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 1)
            guard try Self.isPostgres(app) else { return }
            let draft = Self.draft("Mô hình mới", name: "Nguyễn Thị Thuỷ", kind: .individual)
            let made = try #require(try await Self.plan(s, draft))
            switch move {
            case "save":
                _ = try await RegistrationStore.save(Self.draft("Khác"), campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db)
            case "version":
                try await app.db.sql().raw("UPDATE submissions SET version = version + 1 WHERE unit_id = \(bind: s.s1)").run()
            case "head":
                try await AuditTrail.record([AuditTrail.Entry("unit.changed", .unit, id: s.s1, label: "S1", unit: s.s1)], at: Date(), on: app.db)
            case "campaign":
                try await app.db.sql().raw("UPDATE campaigns SET code = code WHERE id = \(bind: s.campaign.id)").run()
            default:
                _ = try await RegistrationStore.save(Self.draft("Khác", name: "Nguyễn Thị Thủy", kind: .individual), campaign: s.campaign, unitID: s.s1,
                                                     actor: "t", at: Date(), on: app.db)
            }
            let v = try await s.version()
            let registrants = try await Registrant.query(on: app.db).filter(\.$unitID == s.s1).all().map { "\($0.name)|\($0.title)" }.sorted()
            let models = try await Initiative.query(on: app.db).count()
            let head = try await app.db.sql().raw("SELECT seq, hash FROM audit_chains WHERE chain = \(bind: s.s1.canonicalText)").first()
            let locked = await Self.atOnce("locked", app)
            #expect(try await RegistrationStore.SaveAtOnce.write(made, refusing: RegistrationStore.duplicate(draft), on: app.db) == nil)
            #expect(await Self.atOnce("locked", app) > locked, "counted as left to the locked write")
            #expect(try await s.version() == v)
            #expect(try await Registrant.query(on: app.db).filter(\.$unitID == s.s1).all().map { "\($0.name)|\($0.title)" }.sorted() == registrants)
            #expect(try await Initiative.query(on: app.db).count() == models)
            let after = try await app.db.sql().raw("SELECT seq, hash FROM audit_chains WHERE chain = \(bind: s.s1.canonicalText)").first()
            #expect(try after?.decode(column: "seq", as: Int64.self) == head?.decode(column: "seq", as: Int64.self))
            #expect(try after?.decode(column: "hash", as: String.self) == head?.decode(column: "hash", as: String.self))
            // Saved again: locked, or at once on the state as it now is.
            let saved = try await RegistrationStore.save(draft, campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db)
            let event = try #require(try await AuditTrail.events(kind: "initiative", id: saved.id, on: app.db).first)
            #expect(event.changes.first { $0.field == "Tập thể/cá nhân đăng ký" }?.new == "Cá nhân: \(saved.registrantName)")
            #expect(saved.registrantName == (move == "spelling" ? "Nguyễn Thị Thủy" : "Nguyễn Thị Thuỷ"))
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    /// A model its registrant already has in the sector is refused with the locked write's
    /// conflict, and the unit's version does not move.
    @Test func aDuplicateIsRefusedAndKeepsNothing() async throws {
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 1)
            guard try Self.isPostgres(app) else { return }
            let draft = Self.draft("Mô hình trùng")
            _ = try await RegistrationStore.save(draft, campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db)
            let v = try await s.version()
            let made = try #require(try await Self.plan(s, draft))
            await #expect(throws: DomainError.conflict("Tập thể “Tổ 0” đã đăng ký mô hình “Mô hình trùng” trong lĩnh vực này.")) {
                _ = try await RegistrationStore.SaveAtOnce.write(made, refusing: RegistrationStore.duplicate(draft), on: app.db)
            }
            #expect(try await s.version() == v)
            #expect(try await Initiative.query(on: app.db).filter(\.$title == "Mô hình trùng").count() == 1)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    /// What this path does not take: a unit that has not started (its first save adds a
    /// line of history), a version other than the one asked, returned work.
    @Test func aStepThatChangesTheRowIsLeftToTheLockedWrite() async throws {
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 0)
            guard try Self.isPostgres(app) else { return }
            #expect(try await Self.plan(s, Self.draft("Đầu tiên")) == nil, "not started: no row yet")
            _ = try await RegistrationStore.save(Self.draft("Đầu tiên"), campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db)
            let v = try await s.version()
            #expect(try await Self.plan(s, Self.draft("Hai"), version: v + 1) == nil)
            #expect(try await Self.plan(s, Self.draft("Hai"), version: v) != nil)
            // A model replicated or continued is checked under the locks: the locked write's.
            await #expect(throws: DomainError.invalid("Mô hình được nhân rộng phải là mô hình của đơn vị khác đã công bố trên thư viện.")) {
                _ = try await RegistrationStore.save(Self.draft("Nhân rộng"), replicates: UUID(), campaign: s.campaign, unitID: s.s1, actor: "t",
                                                     at: Date(), on: app.db)
            }
            try await RegistrationStore.perform(.submit, campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db)
            #expect(try await Self.plan(s, Self.draft("Hai")) == nil, "submitted: the edit is refused, by the locked write")
            try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: s.campaign, unitID: s.s1, actor: "t", reason: "Bổ sung nội dung",
                                                at: Date(), on: app.db)
            #expect(try await Self.plan(s, Self.draft("Hai")) == nil, "returned work: each change is a line of history")
        }
    }

    /// Sixteen new models of a started unit at once, half naming a new person in one
    /// spelling and half in another: every one is stored, all under the spelling first
    /// committed, each event names it, the chain verifies, and the unit's version moved
    /// once a model.
    @Test func sixteenNewModelsAtOnce() async throws {
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 1)
            let v = try await s.version()
            let spellings = ["Lê Văn Thuỵ", "Lê Văn Thụy"]
            let saved = try await withThrowingTaskGroup(of: RegistrationStore.Saved.self) { group in
                for n in 0..<16 {
                    let draft = Self.draft("Mô hình \(n)", name: spellings[n % 2], kind: .individual)
                    group.addTask { try await RegistrationStore.save(draft, campaign: s.campaign, unitID: s.s1, actor: "tab\(n)", at: Date(), on: app.db) }
                }
                return try await group.reduce(into: [RegistrationStore.Saved]()) { $0.append($1) }
            }
            #expect(saved.count == 16)
            let person = try await Registrant.query(on: app.db).filter(\.$unitID == s.s1).filter(\.$kind == .individual).all()
            #expect(person.count == 1)
            let name = try #require(person.first?.name)
            #expect(Set(saved.map(\.registrantName)) == [name])
            for model in saved {
                let events = try await AuditTrail.events(kind: "initiative", id: model.id, on: app.db)
                #expect(events.map(\.action) == ["initiative.created"])
                #expect(events.first?.changes.first { $0.field == "Tập thể/cá nhân đăng ký" }?.new == "Cá nhân: \(name)")
            }
            #expect(try await Initiative.query(on: app.db).filter(\.$unitID == s.s1).count() == 17)
            #expect(try await s.version() == v + 16)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
            try await RaceTests.expectCountsEqualARecount(app)
        }
    }

    /// An API call that creates a model reads, with its token, what the write assumes (on
    /// PostgreSQL): the unit's version and its chain's head as they are, so its write is the
    /// call's second statement.
    @Test func aCreateCallReadsWhatItsWriteAssumesWithItsToken() async throws {
        typealias At = RegistrationStore.SaveAtOnce
        #expect(At.createsModel(.POST, target: "/api/v1/campaigns/DVK-2024/units/S1/initiatives"))
        #expect(At.createsModel(.POST, target: "/api/v1/campaigns/DVK-2024/units/S1/initiatives?x=1#y"))
        #expect(!At.createsModel(.GET, target: "/api/v1/campaigns/DVK-2024/units/S1/initiatives"))
        #expect(!At.createsModel(.POST, target: "/api/v1/campaigns/DVK-2024/units/S1/initiatives/1"))
        #expect(!At.createsModel(.POST, target: "/campaigns/DVK-2024/units/S1/initiatives"))
        #expect(!At.createsModel(.POST, target: "/api/v1/campaigns/DVK-2024/units/S1/submit"))
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 1)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            guard try Self.isPostgres(app) else { return }
            let found = try #require(try await AuthStore.user(apiToken: token, now: Date(), reaching: ("DVK-2024", "S1"), seeing: true, on: app.db))
            let row = try #require(found.read?.row)
            let version = try await s.version()
            #expect(try row.decode(column: "s_version", as: Int.self) == version)
            let head = try #require(try await app.db.sql().raw("SELECT seq, hash FROM audit_chains WHERE chain = \(bind: s.s1.canonicalText)").first())
            #expect(try row.decode(column: "h_seq", as: Int64.self) == head.decode(column: "seq", as: Int64.self))
            #expect(try row.decode(column: "h_hash", as: String.self) == head.decode(column: "hash", as: String.self))
            let draft = Self.draft("Qua API")
            let given = try #require(try await Self.plan(s, draft, seen: row))
            let own = try #require(try await Self.plan(s, draft))
            #expect(given.binds[0] as? String == own.binds[0] as? String && given.binds[1] as? Int == own.binds[1] as? Int)
            // Another unit's row is not taken for this one.
            let other = try #require(try await AuthStore.user(apiToken: token, now: Date(), reaching: ("DVK-2024", "GD"), seeing: true, on: app.db))
            #expect(try await Self.plan(s, draft, seen: other.read?.row) != nil)
            let v = try await s.version()
            let written = await Self.atOnce("written", app)
            let created = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/initiatives", as: .token(token), json: APIFixture.initiativeJSON())
            #expect(created.status == .created)
            #expect(await Self.atOnce("written", app) > written, "written by the one statement")
            #expect(try await s.version() == v + 1)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    /// The one statement's model is acknowledged when its answer comes, which PostgreSQL
    /// sends with the commit's ReadyForQuery: no constraint of the schema may wait for the
    /// commit (a deferred one could refuse it after the answer).
    @Test func noConstraintWaitsForTheCommit() async throws {
        try await withApp { app in
            guard try Self.isPostgres(app) else { return }
            func count(_ filter: String) async throws -> Int {
                try await app.db.sql().raw("""
                    SELECT COUNT(*) AS n FROM pg_constraint WHERE connamespace = current_schema()::regnamespace\(unsafeRaw: filter)
                    """).first()?.decode(column: "n", as: Int.self) ?? -1
            }
            #expect(try await count(" AND contype = 'f'") > 5, "the schema's foreign keys are read")
            #expect(try await count(" AND condeferrable") == 0)
        }
    }

    /// The form of a new model reads, with its session, what the write assumes (on
    /// PostgreSQL), and is saved as the API's call is.
    @Test func aNewModelsFormReadsWhatItsWriteAssumesWithItsSession() async throws {
        typealias At = RegistrationStore.SaveAtOnce
        #expect(At.createsModel(.POST, target: "/campaigns/DVK-2024/units/S1/initiatives/new"))
        #expect(!At.createsModel(.GET, target: "/campaigns/DVK-2024/units/S1/initiatives/new"))
        #expect(!At.createsModel(.POST, target: "/campaigns/DVK-2024/units/S1/initiatives/1/edit"))
        #expect(!At.createsModel(.POST, target: "/api/v1/campaigns/DVK-2024/units/S1/initiatives/new"))
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 1)
            try await People.create(app)
            let officer = try await Browser.signIn(app, "s1")
            guard try Self.isPostgres(app) else { return }
            let found = try #require(try await AuthStore.user(sessionToken: officer.cookie, now: Date(), policy: SessionPolicy(),
                                                              reaching: ("DVK-2024", "S1"), seeing: true, on: app.db))
            let row = try #require(found.read?.row)
            let v = try await s.version()
            #expect(try row.decode(column: "s_version", as: Int.self) == v)
            let head = try #require(try await app.db.sql().raw("SELECT seq FROM audit_chains WHERE chain = \(bind: s.s1.canonicalText)").first())
            #expect(try row.decode(column: "h_seq", as: Int64.self) == head.decode(column: "seq", as: Int64.self))
            let saved = try await officer.post("/campaigns/DVK-2024/units/S1/initiatives/new", [
                "kind": "collective", "registrantName": "Tổ Công đoàn", "sector": "kinh-te", "title": "Qua trang", "continuity": "new"])
            #expect(saved.status == .seeOther)
            #expect(try await s.version() == v + 1)
            #expect(try await Initiative.query(on: app.db).filter(\.$title == "Qua trang").count() == 1)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    /// A unit's row, head or campaign held by another write (its move not yet committed):
    /// the write does not wait for it but keeps nothing at once, and the locked write,
    /// which waits its turn, stores the model after it.
    @Test(arguments: ["version", "head", "campaign"])
    func aUnitHeldByAnotherWriteIsLeftToTheLockedWrite(move: String) async throws {
        try await withApp { app in
            let s = try await RaceTests.scene(app, initiatives: 1)
            guard try Self.isPostgres(app) else { return }
            let draft = Self.draft("Đang bị giữ")
            let made = try #require(try await Self.plan(s, draft))
            let (held, heldSignal) = AsyncStream.makeStream(of: Void.self)
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await app.db.transaction { db in
                    switch move {
                    case "version":
                        try await db.sql().raw("UPDATE submissions SET version = version + 1 WHERE unit_id = \(bind: s.s1)").run()
                    case "head":
                        try await AuditTrail.record([AuditTrail.Entry("unit.changed", .unit, id: s.s1, label: "S1", unit: s.s1)], at: Date(), on: db)
                    default:
                        _ = try await CampaignLock.exclusive(s.campaign.id, on: db)
                    }
                    heldSignal.yield(())
                    for await _ in gate { break }
                }
            }
            for await _ in held { break }
            let finished = Mutex(false)
            let writing = Task {
                defer { finished.withLock { $0 = true } }
                return try await RegistrationStore.SaveAtOnce.write(made, refusing: RegistrationStore.duplicate(draft), on: app.db)
            }
            // It ends while the other write still holds its rows; should it wait for them
            // instead, it is let go (the test would otherwise wait for itself).
            var waited = false
            while !finished.withLock({ $0 }) && !waited {
                waited = try await app.db.sql().raw("""
                    SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """).first()?.decode(column: "n", as: Int.self) ?? 0 > 0
                if !waited { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(!waited, "the write waited for the held row")
            if waited { open.finish() }
            let answer = try await writing.value
            open.finish()
            try await holder.value
            #expect(answer == nil)
            #expect(try await Initiative.query(on: app.db).filter(\.$title == "Đang bị giữ").count() == 0)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
            _ = try await RegistrationStore.save(draft, campaign: s.campaign, unitID: s.s1, actor: "t", at: Date(), on: app.db)
            #expect(try await Initiative.query(on: app.db).filter(\.$title == "Đang bị giữ").count() == 1)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    /// `dvk_expect` answers true, or raises the state `write` reads as "keep nothing".
    @Test func theExpectationRaisesTheStateTheWriteKnows() async throws {
        try await withApp { app in
            guard try Self.isPostgres(app) else { return }
            #expect(try await app.db.sql().raw("SELECT dvk_expect(true) AS ok").first()?.decode(column: "ok", as: Bool.self) == true)
            do {
                _ = try await app.db.sql().raw("SELECT dvk_expect(1 = 2) AS ok").first()
                Issue.record("dvk_expect(false) answered")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.sqlState] == AddWriteExpectation.state)
            }
        }
    }

    /// The one statement's count at `/metrics`.
    static func atOnce(_ outcome: String, _ app: Application) async -> Int {
        let text = await AppMetrics.shared.scrape(on: app.db)
        let prefix = "dvk_new_models_at_once_total{outcome=\"\(outcome)\"} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }
}
