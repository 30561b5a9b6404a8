import DVKCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `dvk bench audit`: fills the trail up to N events over the grassroots units of the
/// database's tree (a year of officers' edits, steps and reports, written by the trail's
/// own writer, so chained and sealed as DVK writes them), then times the audit page's
/// queries for the staff of a federation: the first page, a page deep in the cursor, each
/// filter and the search. It prints the bytes the trail takes per event.
struct BenchAuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "events", help: "How many events the trail should hold (default 1000000)") var events: Int?
        @Option(name: "unit", help: "The federation whose staff reads (default: the first unit under the root, GEN-P0 after `dvk generate`)")
        var unit: String?
        @Option(name: "iterations") var iterations: Int?
    }

    var help: String { "Fill the audit trail to N events and time /audit's queries for a federation's staff" }

    static let titles = ["Tủ sách pháp luật đoàn viên", "Bữa cơm nghĩa tình", "Tổ hòa giải ở cơ sở", "Vườn rau sạch", "Camera an ninh khu nhà trọ",
                         "Quỹ tương trợ công nhân", "Góc đọc sách thiếu nhi", "Chuyển đổi số trong sinh hoạt công đoàn"]

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let sql = try db.sql()
        let target = max(1, signature.events ?? 1_000_000)
        let units = try await sql.raw("SELECT id, name FROM units WHERE kind = 'grassroots' ORDER BY code").all().map {
            (id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self))
        }
        guard !units.isEmpty else { throw DomainError.invalid("no grassroots units: run `dvk generate --units 126000 --initiatives 0` first") }
        let have = try await Self.count(sql)
        let sizeBefore = try await Self.bytes(sql)
        if have < target {
            try await fill(target - have, units: units, now: context.application.clock.now(), db: db, console: context.console)
            let added = target - have
            let sizeAfter = try await Self.bytes(sql)
            if let before = sizeBefore, let after = sizeAfter, after > before {
                context.console.print(String(format: "the trail took %.0f bytes per added event (%@ for %d events, indexes included)",
                                             Double(after - before) / Double(added), Self.megabytes(after - before), added))
            }
        }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("ANALYZE audit_events").run()
            try await sql.raw("ANALYZE units").run()
            if let size = try await Self.bytes(sql) {
                let n = try await Self.count(sql)
                context.console.print(String(format: "audit_events with its indexes: %@ for %d events, %.0f bytes per event", Self.megabytes(size), n, Double(size) / Double(max(1, n))))
            }
        } else {
            try await sql.raw("ANALYZE").run()
        }

        // Who reads: the staff of a federation (its live subtree), of the root, of a ward.
        let root = try await sql.raw("SELECT id, code FROM units WHERE parent_id IS NULL ORDER BY code LIMIT 1").first()
        guard let root else { return }
        let rootID = try root.decode(column: "id", as: UUID.self)
        let federation: Unit
        if let code = signature.unit {
            federation = try await UnitDirectory.find(code: code, on: db)
        } else {
            guard let first = try await Unit.query(on: db).filter(\.$parentID == rootID).sort(\.$code).first() else { return }
            federation = first
        }
        let federationID = try federation.requireID()
        let subtreeSize = try await PeopleDirectory.subtree(of: federationID, on: db).count
        let ward = try await Unit.query(on: db).filter(\.$parentID == federationID).filter(\.$kind == .federation).sort(\.$code).first()
        let someone = try await sql.raw("""
            SELECT e.actor_id FROM audit_events e WHERE e.actor_id IS NOT NULL AND e.unit_id IN (SELECT id FROM units WHERE parent_id = \(bind: ward?.id ?? federationID))
            LIMIT 1
            """).first().map { try $0.decode(column: "actor_id", as: UUID.self) }
        let n = max(3, signature.iterations ?? 20)
        context.console.print("\(try await Self.count(sql)) events; \(federation.code) “\(federation.name)” holds \(subtreeSize) units; \(n) runs each after a warm-up:")

        func filter(_ root: UUID?) -> AuditQuery.Filter {
            var f = AuditQuery.Filter()
            f.subtree = root
            return f
        }
        var cases: [(String, AuditQuery.Filter)] = []
        cases.append(("\(federation.code): page 1", filter(federationID)))
        var kind = filter(federationID); kind.kind = .submission
        cases.append(("\(federation.code): kind submission", kind))
        var action = filter(federationID); action.action = "model.report"
        cases.append(("\(federation.code): action model.report", action))
        var week = filter(federationID)
        week.since = context.application.clock.now().addingTimeInterval(-7 * 86_400)
        cases.append(("\(federation.code): last 7 days", week))
        var common = filter(federationID); common.search = "tu sach"
        cases.append(("\(federation.code): search “tu sach”", common))
        var rare = filter(federationID); rare.search = "so 4242 "
        cases.append(("\(federation.code): search “so 4242 ” (rare)", rare))
        var none = filter(federationID); none.search = "khong co dau"
        cases.append(("\(federation.code): search matching nothing", none))
        if let someone {
            var person = filter(federationID); person.actorID = someone
            cases.append(("\(federation.code): one person", person))
        }
        if let ward {
            cases.append(("\(ward.code) (a ward): page 1", filter(try ward.requireID())))
            var wardRare = filter(try ward.requireID()); wardRare.kind = AuditObjectKind.unit
            cases.append(("\(ward.code): kind unit", wardRare))
        }
        cases.append(("\(try root.decode(column: "code", as: String.self)) (the whole tree): page 1", filter(rootID)))
        cases.append(("administrator: page 1", filter(nil)))

        for (name, f) in cases {
            var times: [Double] = []
            var found = 0
            for i in 0..<(n + 2) {
                let start = ContinuousClock.now
                found = try await AuditQuery.lines(f, limit: Paging.perPage + 1, on: db).count
                if i >= 2 { times.append((ContinuousClock.now - start) / .milliseconds(1)) }
            }
            times.sort()
            context.console.print(String(format: "  %-46@ median %7.2f ms  p95 %7.2f ms  (%d lines)", name as NSString,
                                         times[times.count / 2], times[min(times.count - 1, times.count * 95 / 100)], found))
        }
        // Page 21: twenty pages followed by their cursors, the last one timed.
        var deep = filter(federationID)
        for _ in 0..<20 {
            let page = try await AuditQuery.lines(deep, limit: Paging.perPage + 1, on: db)
            guard page.count > Paging.perPage else { break }
            deep.before = AuditQuery.cursor(after: page[Paging.perPage - 1])
        }
        var times: [Double] = []
        for _ in 0..<n {
            let start = ContinuousClock.now
            _ = try await AuditQuery.lines(deep, limit: Paging.perPage + 1, on: db)
            times.append((ContinuousClock.now - start) / .milliseconds(1))
        }
        times.sort()
        context.console.print(String(format: "  %-46@ median %7.2f ms  p95 %7.2f ms", "\(federation.code): page 21 (by cursor)" as NSString,
                                     times[times.count / 2], times[min(times.count - 1, times.count * 95 / 100)]))
    }

    /// Adds `count` events: officers' sessions of 20 changes at one instant, spread over the
    /// year before `now`, 2,000 events a transaction.
    private func fill(_ count: Int, units: [(id: UUID, name: String)], now: Date, db: any Database, console: any Console) async throws {
        let began = ContinuousClock.now
        var rng = SeededGenerator(seed: 24)
        let sessions = (count + 19) / 20
        let yearStart = now.addingTimeInterval(-365 * 86_400)
        var written = 0
        var session = 0
        while written < count {
            // 100 sessions of one officer each, written in one transaction.
            var batch: [(actor: Actor, at: Date, entries: [AuditTrail.Entry])] = []
            var inTransaction = 0
            while inTransaction < 2_000, written < count {
                let u = rng.next(upTo: units.count)
                let unit = units[u]
                let actor = Actor(userID: Self.person(u), role: .officer, unitID: unit.id,
                                  label: "Cán bộ số \(u) (Cán bộ công đoàn cơ sở, \(unit.name))", address: "10.\(u % 250).\(u / 250 % 250).7",
                                  requestID: "bench-\(session)")
                let at = yearStart.addingTimeInterval(365 * 86_400 * Double(session) / Double(max(1, sessions)))
                var entries: [AuditTrail.Entry] = []
                for _ in 0..<min(20, count - written) {
                    entries.append(Self.entry(&rng, unit: unit.id, number: written + entries.count))
                }
                batch.append((actor, at, entries))
                written += entries.count
                inTransaction += entries.count
                session += 1
            }
            let sessionsOfTransaction = batch
            try await db.write { db in
                let sql = try db.sql()
                for s in sessionsOfTransaction { try await AuditTrail.record(s.entries, by: s.actor, at: s.at, sql: sql) }
            }
            if written % 100_000 < 2_000 {
                console.print("  \(written) events written (\(String(format: "%.0f", (ContinuousClock.now - began) / .seconds(1))) s)")
            }
        }
        console.print(String(format: "added %d events in %.1f s", count, (ContinuousClock.now - began) / .seconds(1)))
    }

    /// One officer per unit, the same id every run.
    static func person(_ index: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-%012x", index)) ?? UUID.random()
    }

    /// What officers do in a year, roughly: mostly edits, then new initiatives, steps and reports.
    static func entry(_ rng: inout SeededGenerator, unit: UUID, number: Int) -> AuditTrail.Entry {
        let title = "\(titles[rng.next(upTo: titles.count)]) số \(number % 9_973)"
        let expected = "Duy trì sinh hoạt hằng tháng, thu hút trên \(20 + rng.next(upTo: 200)) đoàn viên tham gia; tổ chức ít nhất \(2 + rng.next(upTo: 10)) buổi "
            + "tuyên truyền, vận động trong năm; kết quả được đánh giá, biểu dương tại hội nghị tổng kết."
        switch rng.next(upTo: 20) {
        case 0..<10:
            return .init("initiative.changed", .initiative, id: UUID.random(), label: title, unit: unit, campaign: nil, changes: [
                AuditChange("Kết quả dự kiến", old: expected, new: expected + " Có sổ theo dõi."),
                AuditChange("Thời gian kết thúc", old: "30/11/2025", new: "31/12/2025")])
        case 10..<15:
            return .init("initiative.created", .initiative, id: UUID.random(), label: title, unit: unit, changes: [
                AuditChange("Tên mô hình", old: "", new: title), AuditChange("Lĩnh vực", old: "", new: "Văn hóa - xã hội"),
                AuditChange("Kết quả dự kiến", old: "", new: expected)])
        case 15..<17:
            return .init("submission.submit", .submission, id: UUID.random(), label: "Hồ sơ đăng ký", unit: unit, changes: [
                AuditChange("Trạng thái", old: "Đang soạn", new: "Đã nộp, chờ duyệt")])
        case 17..<19:
            return .init("model.report", .model, id: UUID.random(), label: title, unit: unit, changes: [
                AuditChange("Tiến độ", old: "", new: "Đã tổ chức \(1 + rng.next(upTo: 9)) buổi sinh hoạt, \(10 + rng.next(upTo: 90)) đoàn viên tham gia.")])
        default:
            return .init("unit.changed", .unit, id: unit, label: "Công đoàn cơ sở", unit: unit, changes: [
                AuditChange("Điện thoại", old: "0243\(rng.next(upTo: 999_999))", new: "0243\(rng.next(upTo: 999_999))")])
        }
    }

    static func count(_ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM audit_events").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The trail's bytes on disk: the table and its indexes on PostgreSQL, the whole file's
    /// used pages on SQLite (what an added event costs is the difference).
    static func bytes(_ sql: any SQLDatabase) async throws -> Int? {
        if sql.dialect.name == "postgresql" {
            return try await sql.raw("SELECT pg_total_relation_size('audit_events') AS n").first()?.decode(column: "n", as: Int.self)
        }
        let pages = try await sql.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self) ?? 0
        let free = try await sql.raw("PRAGMA freelist_count").first()?.decode(column: "freelist_count", as: Int.self) ?? 0
        let size = try await sql.raw("PRAGMA page_size").first()?.decode(column: "page_size", as: Int.self) ?? 0
        return (pages - free) * size
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
}
