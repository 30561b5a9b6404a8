import DVKCore
import FluentKit
import Foundation

/// Synthetic data at scale for benchmarks: a tree of federations over N grassroots units
/// (about 180 per intermediate union, 20 intermediates per province), one campaign, and
/// M initiatives of submitted units, all written with multi-row inserts.
enum Generator {
    static let campaignCode = "GEN"

    struct Report: Sendable {
        var federations = 0
        var grassroots = 0
        var initiatives = 0
        var submitted = 0
    }

    static func run(units: Int, initiatives: Int, seed: UInt64, at now: Date, on db: any Database) async throws -> Report {
        guard units > 0, initiatives >= 0 else { throw DomainError.invalid("--units must be > 0 and --initiatives ≥ 0") }
        if try await Unit.query(on: db).filter(\.$code == "GEN").count() > 0 {
            throw DomainError.conflict("generated data already exists (unit GEN); use a fresh database")
        }
        var rng = SeededGenerator(seed: seed)
        var report = Report()
        let rootID = UUID.random()
        var unitRows: [[any Encodable & Sendable]] = [[rootID, "GEN", "Tổng Liên đoàn (dữ liệu thử)", UnitKind.federation.rawValue, Optional<UUID>.none, "", "", now, now]]
        let intermediates = max(1, (units + 179) / 180)
        let provinces = max(1, (intermediates + 19) / 20)
        var provinceIDs: [UUID] = []
        for p in 0..<provinces {
            let id = UUID.random()
            provinceIDs.append(id)
            unitRows.append([id, "GEN-P\(p)", "LĐLĐ tỉnh thử nghiệm \(p + 1)", UnitKind.federation.rawValue, rootID, "", "", now, now])
        }
        var intermediateIDs: [UUID] = []
        for i in 0..<intermediates {
            let id = UUID.random()
            intermediateIDs.append(id)
            unitRows.append([id, "GEN-I\(i)", "Công đoàn phường thử nghiệm \(i + 1)", UnitKind.federation.rawValue, provinceIDs[i % provinces], "", "", now, now])
        }
        report.federations = 1 + provinces + intermediates
        var grassrootsIDs: [UUID] = []
        grassrootsIDs.reserveCapacity(units)
        for g in 0..<units {
            let id = UUID.random()
            grassrootsIDs.append(id)
            unitRows.append([id, "GEN-U\(g)", "Công đoàn cơ sở thử nghiệm số \(g + 1)", UnitKind.grassroots.rawValue,
                             intermediateIDs[g % intermediates], "cd\(g)@example.vn", "", now, now])
        }
        report.grassroots = units
        let allUnits = unitRows
        try await db.write { db in
            try await BulkInsert.run(db, into: Unit.schema,
                                     columns: ["id", "code", "name", "kind", "parent_id", "email", "phone", "created_at", "updated_at"],
                                     rows: allUnits)
        }
        let campaign = try await CampaignStore.create(
            CampaignInput(code: campaignCode, issuerCode: "GEN", year: 2025, number: "01/LĐLĐ",
                          issuedOn: CalendarDay(year: 2025, month: 2, day: 6),
                          deadline: VietnamTime.instant(CalendarDay(year: 2025, month: 2, day: 16))),
            at: now, on: db)
        guard initiatives > 0 else { return report }

        // Nine in ten units submit; their initiatives spread over the four sectors.
        let submitting = grassrootsIDs.filter { _ in rng.next(upTo: 10) != 0 }
        let sectors = campaign.sectors.map(\.code)
        var registrantRows: [[any Encodable & Sendable]] = []
        var initiativeRows: [[any Encodable & Sendable]] = []
        var registrantsOfUnit: [UUID: [(UUID, RegistrantKind)]] = [:]
        for (n, unitID) in submitting.enumerated() {
            var list: [(UUID, RegistrantKind)] = []
            for r in 0..<4 {
                let id = UUID.random()
                let kind: RegistrantKind = r < 2 ? .collective : .individual
                let name = kind == .collective ? "Tổ công đoàn \(r + 1)" : "Đoàn viên \(n)-\(r)"
                registrantRows.append([id, unitID, kind.rawValue, name, VietnameseText.nameKey(name), "", now])
                list.append((id, kind))
            }
            registrantsOfUnit[unitID] = list
        }
        for i in 0..<initiatives where !submitting.isEmpty {
            let unitID = submitting[i % submitting.count]
            let (registrantID, _) = registrantsOfUnit[unitID]![rng.next(upTo: 4)]
            let title = "Mô hình thử nghiệm \(i + 1)"
            initiativeRows.append([UUID.random(), campaign.id, unitID, registrantID, sectors[rng.next(upTo: sectors.count)], title,
                                   VietnameseText.nameKey(title), "", "", "", Optional<String>.none, Optional<String>.none, "", "",
                                   Continuity.new.rawValue, Optional<UUID>.none, VietnameseText.searchKey(title), now, now])
        }
        let deadline = campaign.deadline
        let submissionRows: [[any Encodable & Sendable]] = submitting.map { unitID in
            let at = deadline.addingTimeInterval(Double(rng.next(upTo: 200) - 180) * 3600)
            return [UUID.random(), campaign.id, unitID, SubmissionStatus.submitted.rawValue, false, at, at, Optional<String>.none, now, 1]
        }
        let registrants = registrantRows, rows = initiativeRows
        try await db.write { db in
            try await BulkInsert.run(db, into: Registrant.schema,
                                     columns: ["id", "unit_id", "kind", "name", "name_key", "title", "created_at"], rows: registrants)
            try await BulkInsert.run(db, into: Initiative.schema,
                                     columns: ["id", "campaign_id", "unit_id", "registrant_id", "sector_code", "title", "title_key",
                                               "purpose", "content", "scope", "start_date", "end_date", "expected_result",
                                               "person_in_charge", "continuity", "continues_id", "search_key", "created_at", "updated_at"],
                                     rows: rows)
            try await BulkInsert.run(db, into: Submission.schema,
                                     columns: ["id", "campaign_id", "unit_id", "status", "no_model", "submitted_at", "first_submitted_at",
                                               "return_reason", "updated_at", "version"],
                                     rows: submissionRows)
            try await Recount.campaign(campaign.id, on: db)
        }
        report.initiatives = initiativeRows.count
        report.submitted = submitting.count
        return report
    }
}
