import DVKCore
import FluentKit
import Foundation
import SQLKit

/// A unit's submission as stored: what its `Standing` is made of, the return reason, and
/// the version every write of the unit's registration increments.
struct SubmissionRow: Sendable, Equatable {
    var id: UUID
    var campaignID: UUID
    var unitID: UUID
    var status: SubmissionStatus = .notStarted
    var noModel = false
    /// The latest submission.
    var submittedAt: Date?
    var firstSubmittedAt: Date?
    var resubmitBy: Date?
    var extendedUntil: Date?
    var returnReason: String?
    var version = 0

    static let table = "submissions"
    /// The columns a row is read from (`Names`' own, unprefixed).
    static let columns = Names.plain.all

    init(id: UUID = UUID.random(), campaignID: UUID, unitID: UUID) {
        self.id = id
        self.campaignID = campaignID
        self.unitID = unitID
    }

    /// A row selected with `columns` (optionally prefixed, for joins).
    init(row: any SQLRow, prefix: String = "") throws {
        let n = prefix.isEmpty ? Names.plain : prefix == Names.joined.prefix ? Names.joined : Names(prefix: prefix)
        id = try row.decode(column: n.id, as: UUID.self)
        campaignID = try row.decode(column: n.campaignID, as: UUID.self)
        unitID = try row.decode(column: n.unitID, as: UUID.self)
        status = SubmissionStatus(rawValue: try row.decode(column: n.status, as: String.self)) ?? .notStarted
        noModel = try row.decode(column: n.noModel, as: Bool.self)
        submittedAt = try row.decode(column: n.submittedAt, as: Date?.self)
        firstSubmittedAt = try row.decode(column: n.firstSubmittedAt, as: Date?.self)
        resubmitBy = try row.decode(column: n.resubmitBy, as: Date?.self)
        extendedUntil = try row.decode(column: n.extendedUntil, as: Date?.self)
        returnReason = try row.decode(column: n.returnReason, as: String?.self)
        version = try row.decode(column: n.version, as: Int.self)
    }

    /// The columns' names with a prefix, made once for the two prefixes statements use, not
    /// again for every column of every row.
    private struct Names: Sendable {
        let prefix, id, campaignID, unitID, status, noModel, submittedAt, firstSubmittedAt, resubmitBy, extendedUntil, returnReason, version: String

        init(prefix: String) {
            self.prefix = prefix
            (id, campaignID, unitID, status) = (prefix + "id", prefix + "campaign_id", prefix + "unit_id", prefix + "status")
            (noModel, submittedAt, firstSubmittedAt) = (prefix + "no_model", prefix + "submitted_at", prefix + "first_submitted_at")
            (resubmitBy, extendedUntil) = (prefix + "resubmit_by", prefix + "extended_until")
            (returnReason, version) = (prefix + "return_reason", prefix + "version")
        }

        var all: [String] {
            [id, campaignID, unitID, status, noModel, submittedAt, firstSubmittedAt, resubmitBy, extendedUntil, returnReason, version]
        }

        static let plain = Names(prefix: ""), joined = Names(prefix: "s_")
    }

    func standing(_ campaign: CampaignInfo) -> Standing {
        Standing(status: status, noModel: noModel, firstSubmittedAt: firstSubmittedAt, lastSubmittedAt: submittedAt,
                 resubmitBy: resubmitBy, extendedUntil: extendedUntil, policy: campaign.policy)
    }

    /// This row moved to `standing` (the columns a step can change).
    func with(_ standing: Standing) -> SubmissionRow {
        var row = self
        row.status = standing.status
        row.noModel = standing.noModel
        row.submittedAt = standing.lastSubmittedAt
        row.firstSubmittedAt = standing.firstSubmittedAt
        row.resubmitBy = standing.resubmitBy
        row.extendedUntil = standing.extendedUntil
        return row
    }

    /// The unit's submission as it stands now, if it has one.
    static func find(campaignID: UUID, unitID: UUID, on db: any Database) async throws -> SubmissionRow? {
        try await OfUnit(binds: [campaignID, unitID]).first(on: db).map { try SubmissionRow(row: $0) }
    }

    /// A unit's ($2) submission in a campaign ($1): the unit page and every step.
    struct OfUnit: HotStatement {
        static let sql = "SELECT \(columns.joined(separator: ", ")) FROM submissions WHERE campaign_id = $1 AND unit_id = $2"
        let binds: [(any HotValue)?]
    }
}

/// One line of a submission's history, as written.
struct SubmissionEventDraft: Sendable {
    var action: SubmissionAction
    var from: SubmissionStatus
    var to: SubmissionStatus
    var note: String = ""
}
