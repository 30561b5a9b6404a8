import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Where each unit of a campaign's subtree stands: one query over the frozen tree and
/// the submissions, for dashboards, reminders and the report's completeness.
struct TargetStatus: Sendable {
    var unitID: UUID
    var code: String
    var name: String
    var parentName: String
    var pre: Int
    var status: SubmissionStatus
    var noModel: Bool
    var submittedAt: Date?
    var extendedUntil: Date?
    /// Counted and submitted at or after its deadline (the unit's extension included).
    var late: Bool

    /// The target units at or under `scope`, in the tree's order.
    static func all(_ campaign: CampaignInfo, scope: SnapshotUnit, on db: any Database) async throws -> [TargetStatus] {
        let rows = try await db.sql().select()
            .column(SQLColumn("unit_id", table: "u")).column(SQLColumn("parent_unit_id", table: "u"))
            .column(SQLColumn("code", table: "u")).column(SQLColumn("name", table: "u"))
            .column(SQLColumn("pre", table: "u")).column(SQLColumn("is_target", table: "u"))
            .column(SQLColumn("extended_until", table: "u"))
            .column(SQLColumn("status", table: "s")).column(SQLColumn("no_model", table: "s")).column(SQLColumn("submitted_at", table: "s"))
            .from(SQLAlias(SQLIdentifier(CampaignUnit.schema), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier(Submission.schema), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(SQLColumn("campaign_id", table: "s"), .equal, SQLColumn("campaign_id", table: "u")), .and,
                      SQLBinaryExpression(SQLColumn("unit_id", table: "s"), .equal, SQLColumn("unit_id", table: "u"))))
            .where(SQLColumn("campaign_id", table: "u"), .equal, SQLBind(campaign.id))
            .where(SQLColumn("pre", table: "u"), .greaterThanOrEqual, SQLBind(scope.pre))
            .where(SQLColumn("pre", table: "u"), .lessThanOrEqual, SQLBind(scope.last))
            .orderBy(SQLColumn("pre", table: "u"))
            .all()
        var names: [UUID: String] = [:]
        var out: [TargetStatus] = []
        var parents: [UUID?] = []
        for row in rows {
            let id = try row.decode(column: "unit_id", as: UUID.self)
            names[id] = try row.decode(column: "name", as: String.self)
            guard try row.decode(column: "is_target", as: Bool.self) else { continue }
            let status = try row.decodeNil(column: "status") ? .notStarted
                : SubmissionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .notStarted
            let submittedAt = try row.decodeNil(column: "submitted_at") ? nil : try row.decode(column: "submitted_at", as: Date.self)
            let extended = try row.decodeNil(column: "extended_until") ? nil : try row.decode(column: "extended_until", as: Date.self)
            out.append(TargetStatus(
                unitID: id, code: try row.decode(column: "code", as: String.self), name: names[id] ?? "", parentName: "",
                pre: try row.decode(column: "pre", as: Int.self), status: status,
                noModel: try row.decodeNil(column: "no_model") ? false : try row.decode(column: "no_model", as: Bool.self),
                submittedAt: submittedAt, extendedUntil: extended,
                late: status.counts && (submittedAt.map { campaign.policy.isLate($0, extendedTo: extended) } ?? false)))
            parents.append(try row.decodeNil(column: "parent_unit_id") ? nil : try row.decode(column: "parent_unit_id", as: UUID.self))
        }
        for i in out.indices { out[i].parentName = parents[i].flatMap { names[$0] } ?? "" }
        return out
    }
}

/// The completeness numbers of a scope.
struct CompletenessCount: Sendable, Equatable {
    var expected = 0, submitted = 0, onTime = 0, late = 0, noModel = 0, pending = 0, returned = 0, accepted = 0

    init(_ rows: [TargetStatus]) {
        for row in rows {
            expected += 1
            if row.status.counts {
                submitted += 1
                if row.late { late += 1 } else { onTime += 1 }
                if row.noModel { noModel += 1 }
                if row.status == .accepted { accepted += 1 }
            } else {
                pending += 1
                if row.status == .returned { returned += 1 }
            }
        }
    }
}
