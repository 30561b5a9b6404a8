import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Dissolving a unit or merging it into another (`TreeRules`): first what it would do, shown
/// and asked, then done in one transaction. The unit's row stays for the campaigns and the
/// trail; its live units move to the unit it merges into; its accounts are disabled and
/// listed to whoever ended it, and to the administrator on the people page.
enum UnitEnds {
    struct Brief: Sendable, Equatable {
        var id: UUID
        var code: String
        var name: String
    }

    struct Account: Sendable, Equatable {
        var id: UUID
        var username: String
        var displayName: String
        var role: Role
        var disabled: Bool
    }

    /// What ending a unit would do.
    struct Plan: Sendable, Equatable {
        var unit: Brief
        var kind: UnitKind
        var target: Brief?
        /// Live units directly below: they move to the target.
        var children: [Brief]
        var accounts: [Account]
        /// Campaigns not archived that count the unit among their targets: their frozen tree
        /// keeps it until the issuer takes the live tree again.
        var campaigns: [(code: String, title: String)]
        /// Why it cannot be done, or nil.
        var refusal: String?

        static func == (a: Plan, b: Plan) -> Bool {
            a.unit == b.unit && a.target == b.target && a.children == b.children && a.accounts == b.accounts
                && a.campaigns.map(\.code) == b.campaigns.map(\.code) && a.refusal == b.refusal
        }
    }

    /// What was done.
    struct Done: Sendable {
        var unit: Brief
        var target: Brief?
        var moved: Int
        var disabled: [Account]
    }

    static func notFound(_ code: String) -> DomainError {
        .notFound("Không tìm thấy đơn vị “\(String(code.prefix(80)))” trong phạm vi quản lý.")
    }

    /// The plan for ending the unit `code`, merged into `into` when given (its code).
    static func plan(code: String, into: String?, by actor: Actor, on db: any Database) async throws -> Plan {
        guard let (unit, reach) = try await AccountStore.place(code: code, for: actor, on: db), unit.endedAt == nil else {
            throw notFound(code)
        }
        let unitID = try unit.requireID()
        let children = try await Unit.query(on: db).filter(\.$parentID == unitID).filter(\.$endedAt == nil).sort(\.$code).all()
        var target: Brief?
        var ending = UnitEnding.dissolve
        let intoCode = VietnameseText.clean(into ?? "")
        if !intoCode.isEmpty {
            guard let (other, otherReach) = try await AccountStore.place(code: intoCode, for: actor, on: db), other.endedAt == nil else {
                throw DomainError.invalid("Không có đơn vị nhận sáp nhập mã “\(String(intoCode.prefix(80)))” trong phạm vi quản lý (hoặc đơn vị đó đã giải thể).")
            }
            let otherID = try other.requireID()
            let inside = try await UnitEditor.chain(from: other, upTo: unitID, on: db) != nil
            ending = .merge(into: UnitEnding.Target(kind: other.kind, reach: actor.role == .admin && otherReach == .outside ? .below : otherReach,
                                                     insideMerged: inside))
            target = Brief(id: otherID, code: other.code, name: other.name)
        }
        // An administrator reaches every unit, as for accounts.
        let unitReach = actor.role == .admin && reach == .outside ? .below : reach
        let refusal = TreeRules.endRefusal(ending, by: actor.role, unitReach: unitReach, unitKind: unit.kind, liveChildren: children.count)
        let accounts = try await User.query(on: db).filter(\.$unitID == unitID).sort(\.$displayName).all().map {
            Account(id: try $0.requireID(), username: $0.username, displayName: $0.displayName, role: $0.role, disabled: $0.disabled)
        }
        let campaigns = try await db.sql().raw("""
            SELECT c.code, c.title FROM campaign_units cu JOIN campaigns c ON c.id = cu.campaign_id
            WHERE cu.unit_id = \(bind: unitID) AND cu.is_target = \(bind: true) AND c.state <> 'archived' ORDER BY c.year DESC, c.code
            """).all().map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "title", as: String.self)) }
        return Plan(unit: Brief(id: unitID, code: unit.code, name: unit.name), kind: unit.kind, target: target,
                    children: try children.map { Brief(id: try $0.requireID(), code: $0.code, name: $0.name) },
                    accounts: accounts, campaigns: campaigns, refusal: refusal)
    }

    /// Ends the unit as planned, in one transaction that first holds both units' rows: two
    /// people ending it at once, or merging two units into each other, end with one winner
    /// and a conflict for the other.
    static func end(code: String, into: String?, by actor: Actor, at now: Date, on db: any Database) async throws -> Done {
        try await db.write { db in
            let plan = try await plan(code: code, into: into, by: actor, on: db)
            if let refusal = plan.refusal { throw DomainError.forbiddenOrInvalid(refusal, actor: actor.role) }
            let held = try await UnitEditor.holdLive(plan.unit.id, on: db)
            let targetHeld = try await plan.target.asyncMap { try await UnitEditor.holdLive($0.id, on: db) } ?? true
            guard held, targetHeld else {
                throw DomainError.conflict("Đơn vị vừa được giải thể hoặc sáp nhập ở nơi khác. Tải lại trang để xem.")
            }
            // Read again under the hold: what changed since the plan is what counts.
            let fresh = try await Self.plan(code: code, into: into, by: actor, on: db)
            if let refusal = fresh.refusal { throw DomainError.conflict(refusal) }
            let sql = try db.sql()
            if let target = fresh.target, !fresh.children.isEmpty {
                try await sql.update(Unit.schema).set("parent_id", to: target.id).set("updated_at", to: now)
                    .where("parent_id", .equal, fresh.unit.id).where(SQLColumn("ended_at"), .is, SQLLiteral.null).run()
            }
            try await sql.update(Unit.schema).set("ended_at", to: now).set("merged_into_id", to: fresh.target?.id).set("updated_at", to: now)
                .where("id", .equal, fresh.unit.id).run()
            let reason = fresh.target.map { "Đơn vị “\(fresh.unit.name)” sáp nhập vào “\($0.name)”" } ?? "Đơn vị “\(fresh.unit.name)” giải thể"
            let disabled = try await AccountStore.disableAll(of: fresh.unit.id, reason: reason, by: actor, at: now, on: db)
            var details = ["Đơn vị": "\(fresh.unit.name) (\(fresh.unit.code))", "Tài khoản bị khóa": VietnameseText.number(disabled.count)]
            if let target = fresh.target {
                details["Sáp nhập vào"] = "\(target.name) (\(target.code))"
                details["Đơn vị trực thuộc chuyển sang"] = VietnameseText.number(fresh.children.count)
            }
            try await AuditTrail.record(fresh.target == nil ? "unit.dissolved" : "unit.merged", kind: "unit", id: fresh.unit.id,
                                        unitID: fresh.unit.id, details: details, by: actor, at: now, on: db)
            return Done(unit: fresh.unit, target: fresh.target, moved: fresh.target == nil ? 0 : fresh.children.count,
                        disabled: disabled.map { Account(id: $0.id, username: $0.username, displayName: $0.displayName, role: $0.role, disabled: true) })
        }
    }
}

extension DomainError {
    /// A rule's refusal: forbidden for a role that may not end units at all, else invalid
    /// (the request named something the rule does not allow).
    static func forbiddenOrInvalid(_ message: String, actor: Role) -> DomainError {
        actor.manages ? .invalid(message) : .forbidden(message)
    }
}
