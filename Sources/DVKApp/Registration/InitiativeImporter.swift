import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Imports a CSV of initiatives into a campaign: every row checked first, then all
/// written in one transaction with multi-row inserts; never deletes; idempotent by the
/// natural key (campaign, unit, kind, registrant, sector, title).
enum InitiativeImporter {
    struct Result: Sendable, Equatable {
        var rows = 0
        var added = 0
        var alreadyThere = 0
        var repeatedInFile: [Int] = []
        var registrantsAdded = 0
        var unitsSubmitted = 0
    }

    /// `submit`: imported rows count as submitted by their units (the CLI); the web upload
    /// passes false, leaving them as the unit's draft to check and submit.
    /// `version`: the one unit's submission version the uploader saw; refused (409) if it moved.
    static func run(_ table: CSVTable, campaign: CampaignInfo, actor: String, now: Date,
                    restrictTo onlyUnit: UUID? = nil, submit: Bool = true, version: Int? = nil, on db: any Database) async throws -> Result {
        let sql = try db.sql()
        // Every unit by code; the campaign's targets are the ones rows may name.
        var refs: [String: UnitRef] = [:]
        for row in try await sql.select().columns("id", "code").from(Unit.schema).all() {
            refs[try row.decode(column: "code", as: String.self)] = UnitRef(id: try row.decode(column: "id", as: UUID.self), isTarget: false)
        }
        for row in try await sql.select().columns("unit_id", "code").from(CampaignUnit.schema)
            .where("campaign_id", .equal, campaign.id).where("is_target", .equal, true).all() {
            let id = try row.decode(column: "unit_id", as: UUID.self)
            let allowed = onlyUnit == nil || onlyUnit == id
            refs[try row.decode(column: "code", as: String.self)] = UnitRef(id: id, isTarget: allowed)
        }
        // An upload for one unit needs no unit column: its rows are that unit's.
        let defaultUnit = onlyUnit.flatMap { id in refs.first { $0.value.id == id && $0.value.isTarget }?.key }
        let sectors = campaign.sectors, units = refs
        let plan = try await HeavyWork.rows(table.records.count) {
            try InitiativeImport.plan(table, sectors: sectors, units: units, defaultUnit: defaultUnit)
        }
        let base = Result(rows: table.records.count, repeatedInFile: plan.repeated.map(\.line))
        let planned = campaign
        return try await db.write { db in
            // The campaign as it is under the lock (see `CampaignLock`): the rows were
            // checked against its sectors, and its state and deadline judge each unit.
            let campaign = try await CampaignLock.shared(planned.id, on: db)
            guard campaign.state == .open || onlyUnit == nil else {
                throw DomainError.conflict("Đợt thi đua không còn mở để đăng ký.")
            }
            guard campaign.sectors == planned.sectors else {
                throw DomainError.conflict("Các lĩnh vực của đợt thi đua vừa được sửa trong lúc đọc tệp. Chưa có mô hình nào được nhập; vui lòng tải tệp lên lại.")
            }
            var result = base
            let unitIDs = Array(Set(plan.rows.map(\.unitID)))
            // Every unit the file touches is held for the whole import (see `SubmissionLock`).
            let locked = try await SubmissionLock.lock(campaignID: campaign.id, units: unitIDs, on: db)
            if let version, let onlyUnit, let row = locked[onlyUnit], row.version - 1 != version {
                throw DomainError.conflict(SubmissionLock.staleMessage)
            }
            if !submit {
                // The same rule as an edit on the page (`Standing.after(.edit)`).
                for row in locked.values { _ = try row.standing(campaign).after(.edit, at: now).get() }
            }
            let registrants = try await registrantIDs(units: unitIDs, on: db)
            var known = registrants
            var newRegistrants: [[any Encodable & Sendable]] = []
            for row in plan.rows {
                let key = RegistrantKey(unit: row.unitID, kind: row.draft.kind, name: row.key.registrantKey)
                guard known[key] == nil else { continue }
                let id = UUID.random()
                known[key] = id
                newRegistrants.append([id, row.unitID, row.draft.kind.rawValue, row.draft.registrantName,
                                       row.key.registrantKey, row.draft.registrantTitle, now])
            }
            try await BulkInsert.run(db, into: Registrant.schema,
                                     columns: ["id", "unit_id", "kind", "name", "name_key", "title", "created_at"],
                                     rows: newRegistrants)
            result.registrantsAdded = newRegistrants.count

            // Which rows are new, decided before anything is written: the initiatives and
            // their trail are then written a chunk at a time, so an import's memory stays
            // bounded by the file, not by three copies of it.
            let existing = try await initiativeKeys(campaignID: campaign.id, units: unitIDs, on: db)
            var fresh: [(row: Int, id: UUID, registrant: UUID)] = []
            var addedPerUnit: [UUID: (count: Int, latest: Date)] = [:]
            for (index, row) in plan.rows.enumerated() {
                let registrantID = known[RegistrantKey(unit: row.unitID, kind: row.draft.kind, name: row.key.registrantKey)]!
                let key = StoredKey(unit: row.unitID, registrant: registrantID, sector: row.draft.sectorCode, title: row.key.titleKey)
                if existing.contains(key) { result.alreadyThere += 1; continue }
                fresh.append((index, UUID.random(), registrantID))
                let at = row.submittedAt ?? now
                let previous = addedPerUnit[row.unitID]
                addedPerUnit[row.unitID] = ((previous?.count ?? 0) + 1, max(previous?.latest ?? at, at))
            }
            let columns = ["id", "campaign_id", "unit_id", "registrant_id", "sector_code", "title", "title_key",
                           "purpose", "content", "scope", "start_date", "end_date", "expected_result",
                           "person_in_charge", "continuity", "continues_id", "search_key", "created_at", "updated_at"]
            result.added = fresh.count
            // The trail: the import, then an event per new initiative, unit by unit (each
            // unit's in the file's order). The initiatives (in the file's order) and their
            // events are written a statement's rows at a time, each chunk of both made and
            // sealed on another core while the writer inserts the chunk before it.
            try await AuditTrail.record([AuditTrail.importEntry("import.initiatives", table, made: result.added, unit: onlyUnit ?? campaign.issuerID,
                                                                campaign: campaign.id, label: "Đợt \(campaign.code): \(result.added) mô hình mới")],
                                        at: now, on: db)
            let byUnit = Dictionary(grouping: fresh) { plan.rows[$0.row].unitID }
            let inUnitOrder = byUnit.keys.sorted(by: UUID.inTextOrder).flatMap { byUnit[$0] ?? [] }
            let size = BulkInsert.rowsPerStatement(columns: columns.count)
            let statements = fresh.chunked(size), events = inUnitOrder.chunked(size)
            let counts = Dictionary(uniqueKeysWithValues: byUnit.map { ($0.key.canonicalText, $0.value.count) })
            let open = campaign, sql = try db.sql()
            try await AuditTrail.record(chunks: statements.count, counts: counts, at: now, sql: sql, make: { index in
                let rows = try BulkInsert.prepare(sql, into: Initiative.schema, columns: columns, rows: statements[index].map { new -> [any Encodable & Sendable] in
                    let row = plan.rows[new.row], d = row.draft
                    return [new.id, open.id, row.unitID, new.registrant, d.sectorCode, d.title, row.key.titleKey,
                            d.purpose, d.content, d.scope, d.startDate?.iso, d.endDate?.iso, d.expectedResult,
                            d.personInCharge, d.continuity.rawValue, Optional<UUID>.none,
                            VietnameseText.stripDiacritics(row.key.titleKey + " " + row.key.registrantKey), now, now]
                })
                let entries = events[index].map { new in
                    let row = plan.rows[new.row], d = row.draft
                    let fields = RegistrationStore.auditFields(registrant: RegistrationStore.registrantLabel(kind: d.kind.rawValue, name: d.registrantName),
                                                               campaign: open) { RegistrationStore.stored(d, $0) }.map { ($0.0, "", $0.1) }
                    return AuditTrail.Entry("initiative.imported", .initiative, id: new.id, label: d.title, unit: row.unitID, campaign: open.id,
                                            changes: AuditChange.diff(fields), details: ["Dòng trong tệp": String(row.line)])
                }
                return (rows, entries)
            }, store: { rows in
                try await BulkInsert.run(sql, rows)
            })
            // Each unit that gained initiatives takes its step: submitted by the file (the
            // CLI), or a draft for its officer to check and submit (the web upload); its
            // counts are recounted from the rows just written.
            var changes: [(before: SubmissionRow, after: SubmissionRow, events: [SubmissionEventDraft], countsChanged: Bool)] = []
            for (unitID, info) in addedPerUnit {
                guard let before = locked[unitID] else { continue }
                let step: SubmissionStep = submit ? .import(at: info.latest) : .edit
                let standing = try before.standing(campaign).after(step, at: now).get()
                let after = before.with(standing)
                var events: [SubmissionEventDraft] = []
                if submit || before.status == .notStarted || before.noModel {
                    events.append(SubmissionEventDraft(action: submit ? .import : .edit, from: before.status, to: after.status,
                                                       note: "Nhập \(VietnameseText.number(info.count)) mô hình từ tệp"))
                }
                if submit, before.status != after.status { result.unitsSubmitted += 1 }
                changes.append((before, after, events, after.status.counts))
            }
            try await SubmissionLock.persist(changes, campaign: campaign, actor: actor, at: now, on: db)
            return result
        }
    }

    private struct RegistrantKey: Hashable { var unit: UUID; var kind: RegistrantKind; var name: String }
    private struct StoredKey: Hashable { var unit: UUID; var registrant: UUID; var sector: String; var title: String }

    private static func registrantIDs(units: [UUID], on db: any Database) async throws -> [RegistrantKey: UUID] {
        var out: [RegistrantKey: UUID] = [:]
        for chunk in units.chunked(500) {
            let rows = try await db.sql().select().columns("id", "unit_id", "kind", "name_key").from(Registrant.schema)
                .where("unit_id", .in, chunk).all()
            for row in rows {
                let key = RegistrantKey(unit: try row.decode(column: "unit_id", as: UUID.self),
                                        kind: RegistrantKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .collective,
                                        name: try row.decode(column: "name_key", as: String.self))
                out[key] = try row.decode(column: "id", as: UUID.self)
            }
        }
        return out
    }

    private static func initiativeKeys(campaignID: UUID, units: [UUID], on db: any Database) async throws -> Set<StoredKey> {
        var out: Set<StoredKey> = []
        for chunk in units.chunked(500) {
            let rows = try await db.sql().select().columns("unit_id", "registrant_id", "sector_code", "title_key")
                .from(Initiative.schema).where("campaign_id", .equal, campaignID).where("unit_id", .in, chunk).all()
            for row in rows {
                out.insert(StoredKey(unit: try row.decode(column: "unit_id", as: UUID.self),
                                     registrant: try row.decode(column: "registrant_id", as: UUID.self),
                                     sector: try row.decode(column: "sector_code", as: String.self),
                                     title: try row.decode(column: "title_key", as: String.self)))
            }
        }
        return out
    }
}
