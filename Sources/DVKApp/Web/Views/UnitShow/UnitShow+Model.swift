import DVKCore
import FluentKit
import Foundation
import SQLKit

/// `/units` and `/units/{code}`: a unit of the live tree, the way up to the user's own
/// unit, its children 50 at a time, and (for staff) the form to rename, re-kind or move it.
enum UnitShow {
    struct Crumb: Sendable, Equatable {
        var code: String
        var name: String
    }

    struct Child: Sendable, Equatable {
        var code: String
        var name: String
        var kind: UnitKind
        var children: Int
    }

    struct Model: Sendable {
        var user: CurrentUser
        var code: String
        var name: String
        var kind: UnitKind
        var email: String
        var phone: String
        /// From the user's unit down to this unit's parent.
        var trail: [Crumb]
        var children: [Child]
        var paging: Paging
        var isOwn: Bool
        var canEdit: Bool
        var form: UnitFields
        var errors: FieldErrors
        /// When the unit was dissolved or merged, and into which unit.
        var ended: Ended?
        /// The unit's own events (its dissolution or merger).
        var events: [AuditTrail.Event]
        /// A grassroots union's place in the open campaigns above it.
        var campaigns: [CampaignLine] = []

        /// Staff above the unit may dissolve or merge it (`TreeRules` decides on the page that follows).
        var canEnd: Bool { canEdit && !isOwn && ended == nil }
    }

    struct CampaignLine: Sendable, Equatable {
        var code: String
        var title: String
        var joined: Bool
        /// A campaign of chosen units the user runs: one click adds the unit.
        var canAdd: Bool
    }

    struct Ended: Sendable, Equatable {
        var at: Date
        var into: Crumb?
    }

    static func query(code: String, user: CurrentUser, page: Int?, form: UnitFields? = nil, errors: FieldErrors = FieldErrors(),
                      on db: any Database) async throws -> Model {
        guard let unit = try await Unit.query(on: db).filter(\.$code == code).first(),
              let chain = try await UnitEditor.chain(from: unit, upTo: user.unitID, on: db)
        else { throw DomainError.notFound("Không tìm thấy đơn vị “\(code)” trong phạm vi quản lý của đơn vị.") }
        let unitID = try unit.requireID()
        let trail = chain.dropFirst().reversed().map { Crumb(code: $0.code, name: $0.name) }
        let parentCode = try await UnitEditor.parent(of: unit, on: db)?.code

        let total = try await Unit.query(on: db).filter(\.$parentID == unitID).filter(\.$endedAt == nil).count()
        let paging = Paging(requested: page, total: total)
        // Federations first, then by code: the same order on SQLite and PostgreSQL.
        let rows = try await Unit.query(on: db).filter(\.$parentID == unitID).filter(\.$endedAt == nil)
            .sort(\.$kind).sort(\.$code).range(paging.offset..<(paging.offset + paging.perPage)).all()
        let counts = try await childCounts(rows.compactMap(\.id), on: db)
        let children = rows.map { Child(code: $0.code, name: $0.name, kind: $0.kind, children: $0.id.flatMap { counts[$0] } ?? 0) }

        var ended: Ended?
        if let at = unit.endedAt {
            let into = try await unit.mergedIntoID.asyncMap { try await Unit.find($0, on: db) } ?? nil
            ended = Ended(at: at, into: into.map { Crumb(code: $0.code, name: $0.name) })
        }
        var model = Model(user: user, code: unit.code, name: unit.name, kind: unit.kind, email: unit.email, phone: unit.phone,
                          trail: trail, children: children, paging: paging, isOwn: unitID == user.unitID,
                          canEdit: user.role.manages && unit.endedAt == nil, form: form ?? UnitFields(unit: unit, parentCode: parentCode), errors: errors,
                          ended: ended, events: try await AuditQuery.history(unitID: unitID, on: db))
        if unit.kind == .grassroots, unit.endedAt == nil {
            model.campaigns = try await campaignLines(unitID: unitID, chain: Set(chain.compactMap(\.id)), user: user, on: db)
        }
        return model
    }

    /// The open (or draft) campaigns the user sees whose issuer is above the unit: whether
    /// the unit is in each, and whether the user may add it.
    static func campaignLines(unitID: UUID, chain: Set<UUID>, user: CurrentUser, on db: any Database) async throws -> [CampaignLine] {
        var heads = try await Access.campaignHeads(for: user, in: CampaignState.allCases.filter(\.mayResync), on: db)
        guard !heads.isEmpty else { return [] }
        // Two reads for all of them: the campaigns the unit is a target of, and, of those shown,
        // which take every CĐCS.
        let joinedIDs = Set(try await CampaignUnit.query(on: db).filter(\.$unitID == unitID).filter(\.$isTarget == true).all(\.$campaignID))
        heads.removeAll { !joinedIDs.contains($0.id) && !chain.contains($0.issuerID) }
        guard !heads.isEmpty else { return [] }
        let everyUnit = Set(try await Campaign.query(on: db).filter(\.$id ~~ heads.map(\.id)).filter(\.$allTargets == true).all(\.$id)
            .compactMap { $0 })
        return heads.map { head in
            let joined = joinedIDs.contains(head.id)
            return CampaignLine(code: head.code, title: head.title, joined: joined,
                                canAdd: !joined && !everyUnit.contains(head.id) && head.canRun && chain.contains(head.issuerID))
        }
    }

    /// How many units sit directly under each of `ids`: one grouped query.
    static func childCounts(_ ids: [UUID], on db: any Database) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.sql().select()
            .column("parent_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Unit.schema)
            .where("parent_id", .in, ids)
            .where(SQLColumn("ended_at"), .is, SQLLiteral.null)
            .groupBy("parent_id")
            .all()
        var out: [UUID: Int] = [:]
        for row in rows { out[try row.decode(column: "parent_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self) }
        return out
    }
}
