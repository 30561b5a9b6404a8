import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import TestPrograms
import Vapor
import VaporTesting
@testable import DVKApp

/// The trail: one event per change with old → new, none for a refused change, chains in
/// commit order that `dvk audit verify` checks, and reads scoped to the reader's subtree.
@Suite struct AuditTests {
    static let hoa = Actor(userID: nil, role: .officer, unitID: nil, label: "Nguyễn Thị Hoa (Cán bộ công đoàn cơ sở, Trường Tiểu học S1)",
                           address: "10.0.0.7", requestID: "req-1")

    static func count(_ app: Application) async throws -> Int {
        try await app.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func scene(_ app: Application) async throws -> (CampaignInfo, UUID) {
        try await Fixture.load(app)
        try await People.create(app)
        return (try await CampaignStore.info(code: "DVK-2024", on: app.db), try await UnitDirectory.find(code: "S1", on: app.db).requireID())
    }

    @Test func eachChangeWritesOneEventWithOldAndNew() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            // The CLI made the campaign: its event names the command line.
            let created = try await AuditTrail.events(kind: "campaign", id: campaign.id, on: app.db)
            #expect(created.map(\.action) == ["campaign.created"] && created.first?.actor.contains("dòng lệnh") == true)
            #expect(created.first?.changes.contains { $0.field == "Hạn nộp" && $0.old.isEmpty && $0.new.contains("16/02/2024") } == true)

            var draft = InitiativeDraft(kind: .collective, registrantName: "Tổ Văn phòng", sectorCode: "kinh-te", title: "Tủ sách pháp luật")
            draft.expectedResult = "Hai trăm lượt mượn"
            let saved = try await Actor.$current.withValue(Self.hoa) {
                try await RegistrationStore.save(draft, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            }
            var events = try await AuditTrail.events(kind: "initiative", id: saved.id, on: app.db)
            #expect(events.map(\.action) == ["initiative.created"])
            #expect(events.first?.actor == Self.hoa.label && events.first?.address == "10.0.0.7" && events.first?.requestID == "req-1")
            #expect(events.first?.changes.contains(AuditChange("Tên mô hình", old: "", new: "Tủ sách pháp luật")) == true)

            // One field edited: one event, that field old → new, nothing else.
            draft.expectedResult = "Ba trăm lượt mượn"
            let before = try await Self.count(app)
            try await Actor.$current.withValue(Self.hoa) {
                _ = try await RegistrationStore.save(draft, id: saved.id, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            }
            #expect(try await Self.count(app) == before + 1)
            events = try await AuditTrail.events(kind: "initiative", id: saved.id, on: app.db)
            #expect(events.first?.action == "initiative.changed")
            #expect(events.first?.changes == [AuditChange("Kết quả dự kiến", old: "Hai trăm lượt mượn", new: "Ba trăm lượt mượn")])
            // The same save again changes nothing and records nothing.
            _ = try await RegistrationStore.save(draft, id: saved.id, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            #expect(try await Self.count(app) == before + 1)

            // Refused (a stale version, a rule): nothing recorded.
            let stale = try await SubmissionRow.find(campaignID: campaign.id, unitID: s1, on: app.db)!.version - 2
            draft.title = "Tên khác"
            await #expect(throws: DomainError.self) {
                try await RegistrationStore.save(draft, id: saved.id, campaign: campaign, unitID: s1, actor: "s1", version: stale, at: Date(), on: app.db)
            }
            await #expect(throws: DomainError.self) {
                try await RegistrationStore.perform(.accept, campaign: campaign, unitID: s1, actor: "staff", at: Date(), on: app.db)
            }
            #expect(try await Self.count(app) == before + 1)

            // A step: the status old → new.
            try await RegistrationStore.perform(.submit, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            let steps = try await AuditQuery.history(campaignID: campaign.id, unitID: s1, on: app.db)
            #expect(steps.first?.action == "submission.submit")
            #expect(steps.first?.changes.first == AuditChange("Trạng thái", old: SubmissionStatus.draft.label, new: SubmissionStatus.submitted.label))

            // A unit renamed through its form: the name old → new, by the signed-in person.
            let staff = try await Browser.signIn(app, "staff")
            let form = ["name": "Trường Tiểu học Số Một", "kind": "grassroots", "parent": "GD", "email": "s1@example.vn", "phone": "",
                        "signer_title": "", "signer_name": ""]
            #expect(try await staff.post("/units/S1", form).status == .seeOther)
            let unitEvents = try await AuditTrail.events(kind: "unit", id: s1, on: app.db)
            #expect(unitEvents.first?.action == "unit.changed" && unitEvents.first?.actor.hasPrefix("staff") == true)
            #expect(unitEvents.first?.changes.contains { $0.field == "Tên đơn vị" && $0.new == "Trường Tiểu học Số Một" } == true)
            #expect(unitEvents.first?.changes.count == 1)

            // And every chain verifies.
            let report = try await AuditSeal.verify(on: app.db)
            let total = try await Self.count(app)
            #expect(report.problems.isEmpty && report.events == total)
        }
    }

    /// Every event's search key is `AuditTrail.search` of the event as stored, for a new
    /// model whose words were folded before its write and for those folded as sealed: its
    /// registrant stored under an earlier spelling, a long value, an edit.
    @Test func everySearchKeyIsTheStoredEventsWords() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            var draft = InitiativeDraft(kind: .collective, registrantName: "Tổ Văn phòng", sectorCode: "kinh-te", title: "Tủ sách pháp luật")
            draft.content = String(repeating: "Đọc sách mỗi tuần, ", count: 20)
            let first = try await Actor.$current.withValue(Self.hoa) {
                try await RegistrationStore.save(draft, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            }
            // The same registrant spelt otherwise: the trail names it as first spelt.
            draft.registrantName = "TỔ VĂN PHÒNG"
            draft.title = "Góc đọc sách"
            let second = try await Actor.$current.withValue(Self.hoa) {
                try await RegistrationStore.save(draft, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            }
            #expect(second.registrantName == "Tổ Văn phòng")
            draft.title = "Góc đọc sách mới"
            _ = try await RegistrationStore.save(draft, id: second.id, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            let rows = try await app.db.sql().raw("""
                SELECT \(unsafeRaw: AuditTrail.readColumns), search_key FROM audit_events WHERE object_kind = 'initiative' ORDER BY seq
                """).all()
            #expect(rows.count == 3)
            for row in rows {
                let event = try AuditTrail.event(row)
                #expect(try row.decode(column: "search_key", as: String.self) == AuditTrail.search(event), "\(event.action) \(event.objectLabel)")
            }
            let keys = try rows.map { try $0.decode(column: "search_key", as: String.self) }
            #expect(keys[0].contains("tu sach phap luat") && keys[0].contains("to van phong") && keys[0].contains("doc sach moi tuan"))
            #expect(try rows[0].decode(column: "object_id", as: String.self) == first.id.canonicalText)

            // Words foreseen are used only for the very entry they were made for.
            let entry = AuditTrail.Entry("initiative.created", .initiative, id: first.id, label: "A", unit: s1, changes: [AuditChange("Tên mô hình", old: "", new: "A")])
            let foreseen = AuditTrail.Entry.foreseen(label: "A", changes: entry.changes)
            #expect(foreseen.words(for: entry) == AuditTrail.words("A", entry.changes, [:]))
            var other = entry
            other.changes[0].new = "B"
            #expect(foreseen.words(for: other) == nil)
            other = entry
            other.details = ["Lý do": "x"]
            #expect(foreseen.words(for: other) == nil)
        }
    }

    @Test func editingTheTrailInTheDatabaseIsNamed() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            var ids: [UUID] = []
            for n in 0..<4 {
                let draft = InitiativeDraft(kind: .individual, registrantName: "Người \(n)", sectorCode: "kinh-te", title: "Mô hình \(n)")
                ids.append(try await RegistrationStore.save(draft, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db).id)
            }
            #expect(try await run(app, "audit", "verify").contains("the audit trail verifies"))
            let sql = try app.db.sql()
            let chain = s1.uuidString
            func event(_ seq: Int) async throws -> UUID {
                try #require(try await sql.raw("SELECT id FROM audit_events WHERE chain = \(bind: chain) AND seq = \(bind: Int64(seq))").first()?
                    .decode(column: "id", as: UUID.self))
            }
            // Changed: a value rewritten.
            let second = try await event(2)
            try await sql.raw("UPDATE audit_events SET object_label = 'Đã sửa lén' WHERE id = \(bind: second)").run()
            var report = try await AuditSeal.verify(on: app.db)
            #expect(report.problems.map(\.kind) == [.changed] && report.problems.first?.eventID == second.uuidString)
            await #expect(throws: (any Error).self) { _ = try await run(app, "audit", "verify") }
            // Removed: the third event deleted (the second still changed).
            let third = try await event(3)
            try await sql.raw("DELETE FROM audit_events WHERE id = \(bind: third)").run()
            report = try await AuditSeal.verify(on: app.db)
            #expect(report.problems.map(\.kind) == [.changed, .removed])
            // Inserted: a row past the chain's head, copied from a real one.
            try await sql.raw("""
                INSERT INTO audit_events (id, at, actor, address, request_id, object_kind, object_id, action, details, actor_role, object_label, changes,
                                          search_key, chain, seq, prev_hash, hash)
                SELECT \(bind: UUID()), at, actor, address, request_id, object_kind, object_id, action, details, actor_role, object_label, changes,
                       search_key, chain, 99, prev_hash, hash FROM audit_events WHERE chain = \(bind: chain) AND seq = 1
                """).run()
            report = try await AuditSeal.verify(on: app.db)
            #expect(report.problems.contains { $0.kind == .inserted && $0.seq == 99 })
            #expect(ids.count == 4)
        }
    }

    @Test func concurrentEditsChainInTheOrderTheyCommitted() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<8 {
                    group.addTask {
                        let draft = InitiativeDraft(kind: .collective, registrantName: "Tổ \(n)", sectorCode: "kinh-te", title: "Mô hình song song \(n)")
                        _ = try await RegistrationStore.save(draft, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
                    }
                }
                try await group.waitForAll()
            }
            let seqs = try await app.db.sql().raw("SELECT seq FROM audit_events WHERE chain = \(bind: s1.uuidString) ORDER BY seq").all()
                .map { try $0.decode(column: "seq", as: Int64.self) }
            // Eight creations (and the steps they caused), numbered from 1 without a gap.
            #expect(seqs == Array(1...Int64(seqs.count)) && seqs.count >= 8)
            let report = try await AuditSeal.verify(on: app.db)
            #expect(report.problems.isEmpty)
        }
    }

    /// A unit's write takes its chain's head with its first statement (PostgreSQL): every
    /// append of the transaction numbers on from it, an append to another chain takes that
    /// chain's own, and the trail verifies.
    @Test func appendsFromAHeldHeadContinueTheChain() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            let chain = s1.canonicalText
            let entry = { @Sendable (n: Int, unit: UUID?) in
                AuditTrail.Entry("initiative.changed", .initiative, id: UUID(), label: "Mô hình \(n)", unit: unit, campaign: campaign.id)
            }
            let start = Int64(try await app.db.sql().raw("SELECT COUNT(*) AS n FROM audit_events WHERE chain = \(bind: chain)").first()?
                .decode(column: "n", as: Int.self) ?? -1)
            for round in Int64(0)..<2 {
                let held = try await app.db.write { db in
                    let took = try await SubmissionLock.take(campaignID: campaign.id, unitID: s1, on: db)
                    let (taken, row, head) = (took.campaign, took.row, took.head)
                    #expect(taken.id == campaign.id && row.unitID == s1)
                    if (try db.sql()).dialect.name == "postgresql" {
                        #expect(head?.chain == chain && head?.seq == start + round * 3)
                    } else {
                        #expect(head == nil)  // SQLite reads the head when it appends
                    }
                    var held = head
                    try await AuditTrail.record([entry(1, s1)], by: Self.hoa, at: Date(), on: db, holding: &held)
                    try await AuditTrail.record([entry(2, s1), entry(3, s1)], by: Self.hoa, at: Date(), on: db, holding: &held)
                    try await AuditTrail.record([entry(4, nil)], by: Self.hoa, at: Date(), on: db, holding: &held)
                    return held
                }
                if let held { #expect(held.chain == chain && held.seq == start + round * 3 + 3) }
            }
            let rows = try await app.db.sql().raw("SELECT seq, hash FROM audit_events WHERE chain = \(bind: chain) ORDER BY seq").all()
            #expect(try rows.map { try $0.decode(column: "seq", as: Int64.self) } == Array(1...(start + 6)))
            let head = try await app.db.sql().raw("SELECT seq, hash FROM audit_chains WHERE chain = \(bind: chain)").first()
            #expect(try head?.decode(column: "seq", as: Int64.self) == start + 6)
            #expect(try head?.decode(column: "hash", as: String.self) == rows.last?.decode(column: "hash", as: String.self))
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    /// An import writes one event for the file and one per new initiative, a chunk at a
    /// time: more rows than a chunk, units interleaved in the file, each unit's events in
    /// its file order and numbered on without a gap; the file's hash is the SHA-256 of its
    /// cells as `sha256sum` computes it.
    @Test func anImportWritesAnEventPerNewInitiativeInTheFilesOrder() async throws {
        try await withApp { app in
            let (campaign, _) = try await Self.scene(app)
            let units = ["S1", "S2", "P1", "C1"]
            let header = ["unit_code", "registrant_kind", "registrant_name", "sector", "title"]
            let records = (0..<2_300).map { i in [units[i % units.count], "cá nhân", "Người \(i % 7)", "kinh tế", "Mô hình số \(i)"] }
            let csv = ([header] + records).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
            let file = try tempFile(csv)
            let before = try await Self.count(app)
            _ = try await run(app, "import", "initiatives", file, "--campaign", "DVK-2024")

            let sql = try app.db.sql()
            let imported = try await sql.raw("""
                SELECT chain, seq, object_label, unit_id, details FROM audit_events
                WHERE action = 'initiative.imported' ORDER BY chain, seq
                """).all()
            #expect(imported.count == records.count)
            for code in units {
                let unit = try await UnitDirectory.find(code: code, on: app.db).requireID()
                let own = try imported.filter { try $0.decode(column: "unit_id", as: UUID.self) == unit }
                let titles = try own.map { try $0.decode(column: "object_label", as: String.self) }
                #expect(titles == records.filter { $0[0] == code }.map { $0[4] }, "\(code)")
                let lines = try own.map { try JSONDecoder().decode([String: String].self, from: Data($0.decode(column: "details", as: String.self).utf8))["Dòng trong tệp"] }
                #expect(lines == records.indices.filter { records[$0][0] == code }.map { String($0 + 2) }, "\(code)")
                let seqs = try await sql.raw("SELECT seq FROM audit_events WHERE chain = \(bind: unit.canonicalText) ORDER BY seq").all()
                #expect(try seqs.map { try $0.decode(column: "seq", as: Int64.self) } == Array(1...Int64(seqs.count)), "\(code)")
            }
            #expect(try await Self.count(app) > before + records.count)

            // The file's own event: its hash, rows and what it made.
            var bytes = Data()
            for record in [header] + records {
                for cell in record { bytes.append(contentsOf: Array("\(cell.utf8.count):\(cell)".utf8)) }
                bytes.append(UInt8(ascii: "\n"))
            }
            let cells = try tempFile("")
            try bytes.write(to: URL(fileURLWithPath: cells))
            let sum = try Program.run("/usr/bin/sha256sum", [cells])
            #expect(sum.succeeded, "sha256sum \(sum.ending): \(sum.errors)")
            let expected = sum.output.prefix(64)
            let fileEvents = try await AuditTrail.events(kind: "import", objectID: "sha256:" + expected, on: app.db)
            #expect(fileEvents.count == 1)
            #expect(fileEvents.first?.details["SHA-256 của dữ liệu tệp"] == String(expected))
            #expect(fileEvents.first?.details["Số dòng"] == "2300" && fileEvents.first?.details["Số bản ghi tạo mới"] == "2300")
            #expect(fileEvents.first?.campaignID == campaign.id)

            // The same file again: nothing new, one more event for the file, none per row.
            _ = try await run(app, "import", "initiatives", file, "--campaign", "DVK-2024")
            let again = try await sql.raw("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'initiative.imported'").first()?.decode(column: "n", as: Int.self)
            #expect(again == records.count)
            let files = try await AuditTrail.events(kind: "import", objectID: "sha256:" + expected, on: app.db)
            #expect(files.compactMap { $0.details["Số bản ghi tạo mới"] }.sorted() == ["0", "2300"])
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    /// The pipeline an import writes through: chunks made in order, each from the state the
    /// one before left, and used in order; a failure in making or in using stops it there.
    @Test func aPipelineMakesAndUsesEveryChunkInOrderAndStopsAtAFailure() async throws {
        struct Stop: Error, Equatable { var at: Int }
        final class Used: @unchecked Sendable { var chunks: [Int] = [] }
        let used = Used()
        let end = try await HeavyWork.pipelined(10, from: 100, make: { index, state in (index * 1_000 + state, state + 1) }, use: { used.chunks.append($0) })
        #expect(end == 110)
        #expect(used.chunks == (0..<10).map { $0 * 1_000 + 100 + $0 })
        used.chunks = []
        await #expect(throws: Stop(at: 3)) {
            try await HeavyWork.pipelined(10, make: { $0 }, use: { chunk in
                if chunk == 3 { throw Stop(at: 3) }
                used.chunks.append(chunk)
            })
        }
        #expect(used.chunks == [0, 1, 2])
        used.chunks = []
        await #expect(throws: Stop(at: 5)) {
            try await HeavyWork.pipelined(10, make: { index in
                if index == 5 { throw Stop(at: 5) }
                return index
            }, use: { used.chunks.append($0) })
        }
        #expect(used.chunks == [0, 1, 2, 3, 4])
        used.chunks = []
        await #expect(throws: Stop(at: 0)) {
            try await HeavyWork.pipelined(3, make: { index in
                if index == 0 { throw Stop(at: 0) }
                return index
            }, use: { used.chunks.append($0) })
        }
        #expect(used.chunks == [])
        #expect(try await HeavyWork.pipelined(1, from: 1, make: { index, state in (index, state * 10) }, use: { used.chunks.append($0) }) == 10)
        #expect(used.chunks == [0])
        #expect(try await HeavyWork.pipelined(0, from: 7, make: { _, _ in Issue.record("made"); return (0, 0) }, use: { _ in }) == 7)
    }

    /// A chunked append (an import's trail): its chains numbered on across chunks from where
    /// they stood; when the chunks hold other counts than announced, the transaction fails
    /// and nothing of it is kept.
    @Test func aChunkedAppendContinuesItsChainsOrKeepsNothing() async throws {
        try await withApp { app in
            _ = try await Self.scene(app)
            let unit = try await UnitDirectory.find(code: "S1", on: app.db).requireID(), other = UUID()
            let chains = [unit.canonicalText: 5, other.canonicalText: 2]
            let entries: @Sendable (Int) -> [AuditTrail.Entry] = { index in
                // Chunk 0: three of the unit's, one of the other; chunk 1: the rest.
                let mine = index == 0 ? 0..<3 : 3..<5, theirs = index == 0 ? 0..<1 : 1..<2
                return mine.map { AuditTrail.Entry("test.append", .unit, id: unit, label: "S1 \($0)", unit: unit) }
                    + theirs.map { AuditTrail.Entry("test.append", .unit, id: other, label: "other \($0)", unit: other) }
            }
            let before = try await Self.count(app)
            let sql = try app.db.sql()
            let start = try await sql.raw("SELECT seq FROM audit_chains WHERE chain = \(bind: unit.canonicalText)").first()?.decode(column: "seq", as: Int64.self) ?? 0
            await #expect(throws: AuditTrail.AuditStreamError.self) {
                try await app.db.write { db in
                    try await AuditTrail.record(chunks: 1, counts: chains, at: Date(), sql: try db.sql(), make: { index in ((), entries(index)) }, store: { _ in })
                }
            }
            #expect(try await Self.count(app) == before)
            final class Stored: @unchecked Sendable { var rows: [Int] = [] }
            let stored = Stored()
            try await app.db.write { db in
                try await AuditTrail.record(chunks: 2, counts: chains, at: Date(), sql: try db.sql(), make: { index in (index, entries(index)) },
                                            store: { stored.rows.append($0) })
            }
            #expect(stored.rows == [0, 1])
            let mine = try await sql.raw("SELECT seq, object_label FROM audit_events WHERE chain = \(bind: unit.canonicalText) AND action = 'test.append' ORDER BY seq").all()
            #expect(try mine.map { try $0.decode(column: "seq", as: Int64.self) } == Array(start + 1...start + 5))
            #expect(try mine.map { try $0.decode(column: "object_label", as: String.self) } == (0..<5).map { "S1 \($0)" })
            let theirs = try await sql.raw("SELECT seq FROM audit_events WHERE chain = \(bind: other.canonicalText) ORDER BY seq").all()
            #expect(try theirs.map { try $0.decode(column: "seq", as: Int64.self) } == [1, 2])
            #expect(try await sql.raw("SELECT seq FROM audit_chains WHERE chain = \(bind: unit.canonicalText)").first()?.decode(column: "seq", as: Int64.self) == start + 5)
            #expect(try await AuditSeal.verify(on: app.db).problems.isEmpty)
        }
    }

    @Test func theAuditPageTheAPIAndTheCLIReadOnlyTheirSubtree() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            let c1 = try await UnitDirectory.find(code: "C1", on: app.db).requireID()
            let attack = "<script>alert(1)</script>\"'&"
            for (unit, title) in [(s1, "Sổ tay " + attack), (c1, "Mô hình của C1")] {
                let draft = InitiativeDraft(kind: .collective, registrantName: "Tổ A", sectorCode: "kinh-te", title: title)
                _ = try await RegistrationStore.save(draft, campaign: campaign, unitID: unit, actor: "x", at: Date(), on: app.db)
            }
            // GD's staff: S1 (below GD) yes, C1 (beside) no; the attack string is text.
            let gd = try await Browser.signIn(app, "gdstaff")
            let page = try await gd.get("/audit")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Sổ tay &lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert(1)"))
            #expect(!html.contains("Mô hình của C1"))
            // Search without diacritics, and a unit outside reach is refused in words.
            #expect(try await gd.get("/audit?q=so%20tay").body.string.contains("Sổ tay"))
            #expect(!(try await gd.get("/audit?q=khong%20co%20gi").body.string.contains("Sổ tay")))
            #expect(try await gd.get("/audit?unit=C1").body.string.contains("Không có đơn vị mã “C1” trong phạm vi quản lý."))
            // LB's staff sees both; an officer and a viewer are refused.
            let lb = try await Browser.signIn(app, "staff")
            let all = try await lb.get("/audit?kind=initiative").body.string
            #expect(all.contains("Mô hình của C1") && all.contains("Sổ tay"))
            #expect(try await Browser.signIn(app, "s1").get("/audit").status == .forbidden)
            #expect(try await Browser.signIn(app, "viewer").get("/audit").status == .forbidden)
            // The export holds the same events.
            let xlsx = try await gd.get("/audit.xlsx")
            #expect(xlsx.status == .ok && xlsx.headers.contentType?.subType.contains("spreadsheetml") == true)

            // The API: scoped, paged with a cursor, refused outside.
            let token = Caller.token(try await AuthStore.createToken(username: "gdstaff", now: Date(), on: app.db))
            let answer = try await api(app, .GET, "/api/v1/audit?kind=initiative&limit=1", as: token)
            #expect(answer.status == .ok)
            let events = answer.json?["events"]?.array ?? []
            #expect(events.count == 1 && events.first?["objectLabel"]?.string == "Sổ tay " + attack)
            #expect(try await api(app, .GET, "/api/v1/audit?unit=C1", as: token).status == .notFound)
            #expect(try await api(app, .GET, "/api/v1/audit?kind=nope", as: token).status == .badRequest)
            let officer = Caller.token(try await AuthStore.createToken(username: "s1", now: Date(), on: app.db))
            #expect(try await api(app, .GET, "/api/v1/audit", as: officer).status == .forbidden)

            // The CLI: a unit's subtree, as JSON lines.
            let json = try await run(app, "audit", "--unit", "GD", "--kind", "initiative", "--format", "json")
            let lines = json.split(separator: "\n").filter { $0.hasPrefix("{") }
            #expect(lines.count == 1 && lines.first?.contains("Sổ tay") == true)
            #expect(try await run(app, "audit", "--since", "01/01/2000").contains("events"))
        }
    }

    /// The initiative's edit form and the campaign's dashboard carry their history: the
    /// officer reads who changed a field of their model; those who run the campaign read
    /// its changes; staff of a federation below it do not.
    @Test func theEditFormAndTheDashboardShowTheirHistory() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            var draft = InitiativeDraft(kind: .collective, registrantName: "Tổ Văn phòng", sectorCode: "kinh-te", title: "Góc đọc sách")
            let saved = try await RegistrationStore.save(draft, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            draft.title = "Góc đọc sách <b>công nhân</b>"
            try await Actor.$current.withValue(Self.hoa) {
                _ = try await RegistrationStore.save(draft, id: saved.id, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            }
            let form = try await Browser.signIn(app, "s1").get("/campaigns/DVK-2024/units/S1/initiatives/\(saved.id)/edit").body.string
            #expect(form.contains("Lịch sử thay đổi (2)"))
            #expect(form.contains("Nguyễn Thị Hoa") && form.contains("Góc đọc sách &lt;b&gt;công nhân&lt;/b&gt;") && !form.contains("<b>công nhân"))
            // A new initiative has no history yet.
            #expect(!(try await Browser.signIn(app, "s1").get("/campaigns/DVK-2024/units/S1/initiatives/new").body.string.contains("Lịch sử thay đổi")))

            let staff = try await Browser.signIn(app, "staff")
            var edit = StaffTestKit.campaignForm(code: "DVK-2024")
            edit["title"] = "Đợt thi đua đã sửa tên"
            edit["year"] = "2024"
            edit["deadline_date"] = "2024-02-16"
            edit["issued_on"] = "2024-02-06"
            #expect(try await staff.post("/campaigns/DVK-2024/edit", edit).status == .seeOther)
            let dashboard = try await staff.get("/campaigns/DVK-2024").body.string
            #expect(dashboard.contains("Lịch sử thay đổi của đợt") && dashboard.contains("Đợt thi đua đã sửa tên"))
            #expect(!(try await Browser.signIn(app, "gdstaff").get("/campaigns/DVK-2024").body.string.contains("Lịch sử thay đổi của đợt")))
        }
    }

    /// Huge, malformed and hostile filters cost what a normal one does: each is cut or
    /// refused in words, never a 5xx.
    @Test func worstCaseFiltersAreBoundedAndRefusedInWords() async throws {
        try await withApp { app in
            _ = try await Self.scene(app)
            let staff = try await Browser.signIn(app, "staff")
            let huge = String(repeating: "ạ%_\\'\"", count: 20_000)
            let query = Link.encode(huge)
            for name in ["q", "unit", "person", "kind", "action", "from", "to", "before"] {
                let res = try await staff.get("/audit?\(name)=\(query)")
                #expect(res.status == .ok, "\(name)")
                #expect(!res.body.string.contains(String(huge.prefix(200))), "\(name) is cut")
            }
            #expect(try await staff.get("/audit.xlsx?q=\(query)&unit=\(query)").status == .ok)
            let token = Caller.token(try await AuthStore.createToken(username: "staff", now: Date(), on: app.db))
            for (name, status) in [("unit", HTTPStatus.notFound), ("since", .badRequest), ("kind", .badRequest), ("before", .badRequest), ("limit", .badRequest)] {
                #expect(try await api(app, .GET, "/api/v1/audit?\(name)=\(query)", as: token).status == status, "\(name)")
            }
            #expect(try await api(app, .GET, "/api/v1/audit?limit=9223372036854775807", as: token).status == .badRequest)
            // A cursor past year 9999 would overflow the drivers' microseconds (it did, on PostgreSQL): refused.
            for millis in ["9223372036854775807", "-9223372036854775808", "253402300800000", "-1"] {
                #expect(try await api(app, .GET, "/api/v1/audit?before=\(millis)_\(UUID().uuidString)", as: token).status == .badRequest, "\(millis)")
                #expect(try await staff.get("/audit?before=\(millis)_\(UUID().uuidString)").status == .ok, "\(millis)")
            }
            #expect(try await api(app, .GET, "/api/v1/audit?before=253402300799999_\(UUID().uuidString)", as: token).status == .ok)
        }
    }

    @Test func theTrailIsOffOnlyWhenABenchmarkSaysSo() throws {
        #expect(try AppConfig.fromEnvironment([:]).auditTrail)
        #expect(try !AppConfig.fromEnvironment(["DVK_BENCH_WITHOUT_AUDIT_TRAIL": "1"]).auditTrail)
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["DVK_BENCH_WITHOUT_AUDIT_TRAIL": "perhaps"]) }
    }

    /// A scope of a fiftieth of the units or less is read by its units' chains, a larger one
    /// by the time index, the whole tree with no list: each plan gives the same events.
    @Test func everyPlanReadsTheSameScope() async throws {
        try await withApp { app in
            let (campaign, s1) = try await Self.scene(app)
            let gd = try await UnitDirectory.find(code: "GD", on: app.db).requireID()
            let c1 = try await UnitDirectory.find(code: "C1", on: app.db).requireID()
            for (unit, title) in [(s1, "Mô hình của S1"), (c1, "Mô hình của C1")] {
                let draft = InitiativeDraft(kind: .collective, registrantName: "Tổ A", sectorCode: "kinh-te", title: title)
                _ = try await RegistrationStore.save(draft, campaign: campaign, unitID: unit, actor: "x", at: Date(), on: app.db)
            }
            let sql = try app.db.sql()
            let dense = try await AuditQuery.plan(s1, sql: sql)
            var filter = AuditQuery.Filter()
            filter.subtree = s1
            let before = try await AuditQuery.lines(filter, limit: 100, on: app.db).map(\.event.id)
            // Sixty more units under GD: S1 alone is now under a fiftieth of the tree.
            let now = Date()
            let rows: [[any Encodable & Sendable]] = (0..<60).map { i in
                [UUID(), "EXTRA-\(i)", "Công đoàn thêm \(i)", UnitKind.grassroots.rawValue, gd, "", "", now, now]
            }
            try await BulkInsert.run(app.db, into: "units", columns: ["id", "code", "name", "kind", "parent_id", "email", "phone", "created_at", "updated_at"], rows: rows)
            let sparse = try await AuditQuery.plan(s1, sql: sql)
            #expect(dense == .dense && sparse == .chains([s1.uuidString]))
            let after = try await AuditQuery.lines(filter, limit: 100, on: app.db)
            #expect(after.map(\.event.id) == before && !before.isEmpty)
            #expect(after.allSatisfy { $0.event.unitID == s1 && $0.unitCode == "S1" })
            // The root of the only tree reads every unit's events with no list.
            let root = try #require(try await sql.raw("SELECT id FROM units WHERE parent_id IS NULL").first()).decode(column: "id", as: UUID.self)
            #expect(try await AuditQuery.plan(root, sql: sql) == .everyUnit)
            filter.subtree = root
            let all = try await AuditQuery.lines(filter, limit: 1_000, on: app.db)
            #expect(all.contains { $0.event.unitID == c1 } && all.contains { $0.event.unitID == s1 } && all.allSatisfy { $0.event.unitID != nil })
            // Event ids are time-ordered (version 7): the primary key grows at its end.
            let a = AuditSeal.timeOrderedID(Date(timeIntervalSince1970: 1_700_000_000)), b = AuditSeal.timeOrderedID(Date(timeIntervalSince1970: 1_700_000_001))
            #expect(a.uuidString < b.uuidString && a.uuidString.dropFirst(14).first == "7" && "89AB".contains(a.uuidString.dropFirst(19).first!))
        }
    }
}
