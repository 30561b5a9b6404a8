import DVKCore
import FluentKit
import Foundation

/// One unit of a campaign's frozen copy of the tree (see `SnapshotUnit`): the names and
/// places its summaries and documents use, whatever happens to the live tree later.
final class CampaignUnit: Model, @unchecked Sendable {
    static let schema = "campaign_units"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @OptionalField(key: "parent_unit_id") var parentUnitID: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: UnitKind
    @Field(key: "depth") var depth: Int
    @Field(key: "pre") var pre: Int
    @Field(key: "last") var last: Int
    @Field(key: "is_target") var isTarget: Bool
    /// A per-unit deadline extension granted by the issuer.
    @OptionalField(key: "extended_until") var extendedUntil: Date?

    init() {}

    var snapshot: SnapshotUnit {
        SnapshotUnit(unitID: unitID, parentID: parentUnitID, code: code, name: name, kind: kind,
                     depth: depth, pre: pre, last: last, isTarget: isTarget)
    }
}
