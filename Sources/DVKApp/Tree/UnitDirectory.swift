import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Reads and writes the live unit tree.
enum UnitDirectory {
    /// Every live unit, as tree nodes (one query; 126,000 rows is a few hundred ms on
    /// PostgreSQL). With `includingEnded`, also the units dissolved or merged, where they
    /// last stood: the reach of whoever manages what they left behind (their accounts).
    static func allNodes(includingEnded: Bool = false, on db: any Database) async throws -> [UnitNode] {
        var query = try db.sql().select().columns("id", "code", "name", "kind", "parent_id").from(Unit.schema)
        if !includingEnded { query = query.where(SQLColumn("ended_at"), .is, SQLLiteral.null) }
        let rows = try await query.all()
        return try rows.map { row in
            let kindText = try row.decode(column: "kind", as: String.self)
            return UnitNode(id: try row.decode(column: "id", as: UUID.self),
                            code: try row.decode(column: "code", as: String.self),
                            name: try row.decode(column: "name", as: String.self),
                            kind: UnitKind(rawValue: kindText) ?? .grassroots,
                            parentID: try row.decodeNil(column: "parent_id") ? nil : row.decode(column: "parent_id", as: UUID.self))
        }
    }

    static func find(code: String, on db: any Database) async throws -> Unit {
        guard let unit = try await Unit.query(on: db).filter(\.$code == code).first() else {
            throw DomainError.notFound("Không có đơn vị mã “\(code)”.")
        }
        return unit
    }

    struct ImportResult: Sendable, Equatable {
        var created = 0
        var updated = 0
        var unchanged = 0
        /// The open campaigns the new grassroots unions joined (`CampaignStore.joinNewUnits`).
        var joined: [String] = []
    }

    /// Upserts units by code from a checked CSV, all or nothing; the new grassroots unions
    /// join the open campaigns that take every one under their issuer.
    static func importUnits(_ table: CSVTable, actor: String, at now: Date, on db: any Database) async throws -> ImportResult {
        try await db.write { db in
            let existing = try await Unit.query(on: db).all()
            let byID = Dictionary(uniqueKeysWithValues: existing.map { ($0.id!, $0) })
            var byCode = Dictionary(uniqueKeysWithValues: existing.map { ($0.code, $0) })
            let known = byCode.mapValues { unit in
                (kind: unit.kind, parentCode: unit.parentID.flatMap { byID[$0]?.code })
            }
            let rows = try UnitImport.plan(table, existing: known)
            // The accounts of a unit must fit its kind, as the unit form requires.
            var clashes: [LineError] = []
            for row in rows {
                guard let unit = byCode[row.code], unit.kind != row.kind,
                      let problem = try await UnitEditor.accountsProblem(unit, becoming: row.kind, on: db) else { continue }
                clashes.append(LineError(line: row.line, reasons: [problem]))
            }
            // A unit that ended stays ended: it is neither changed nor given units.
            var endedLines: [LineError] = []
            for row in rows {
                let ended = [row.code, row.parentCode].compactMap { $0 }.compactMap { byCode[$0] }.filter { $0.endedAt != nil }
                guard !ended.isEmpty else { continue }
                endedLines.append(LineError(line: row.line, reasons: ended.map {
                    "đơn vị “\($0.code)” đã giải thể hoặc sáp nhập, không nhận thay đổi hay đơn vị trực thuộc"
                }))
            }
            clashes = UnitEditor.merge(clashes, endedLines)
            if !clashes.isEmpty { throw DomainError.badFile(clashes) }
            var result = ImportResult()
            var created: [UUID] = []
            var trail: [AuditTrail.Entry] = []
            var codeOf = Dictionary(existing.compactMap { u in u.id.map { ($0, u.code) } }, uniquingKeysWith: { a, _ in a })
            for row in rows {
                let parentID = row.parentCode.flatMap { byCode[$0]?.id }
                if let unit = byCode[row.code] {
                    let was = UnitAudit.fields(unit, parentCode: unit.parentID.flatMap { codeOf[$0] } ?? "")
                    let changed = unit.name != row.name || unit.kind != row.kind || unit.parentID != parentID
                        || unit.email != row.email || unit.phone != row.phone
                    guard changed else { result.unchanged += 1; continue }
                    unit.name = row.name
                    unit.kind = row.kind
                    unit.parentID = parentID
                    unit.email = row.email
                    unit.phone = row.phone
                    try await unit.save(on: db)
                    trail += UnitAudit.changed(unit, was: was, now: UnitAudit.fields(unit, parentCode: row.parentCode ?? ""), imported: true)
                    result.updated += 1
                } else {
                    let unit = Unit(code: row.code, name: row.name, kind: row.kind, parentID: parentID, email: row.email, phone: row.phone)
                    try await unit.create(on: db)
                    byCode[row.code] = unit
                    codeOf[try unit.requireID()] = unit.code
                    result.created += 1
                    created.append(try unit.requireID())
                    var entry = UnitAudit.created(unit, parentCode: row.parentCode ?? "")
                    entry.action = "unit.imported"
                    trail.append(entry)
                }
            }
            let root = rows.first.flatMap { row in row.parentCode.flatMap { byCode[$0]?.id } }
            trail.insert(AuditTrail.importEntry("import.units", table, made: result.created, unit: root,
                                                label: "\(result.created) đơn vị mới, \(result.updated) đơn vị sửa"), at: 0)
            try await AuditTrail.record(trail, at: now, on: db)
            result.joined = try await CampaignStore.joinNewUnits(created, actor: actor, at: now, on: db).map(\.title)
            return result
        }
    }
}
