import DVKCore
import FluentKit
import Foundation

/// A unit of the trade-union tree as it is now (or as it was when it ended).
final class Unit: Model, @unchecked Sendable {
    static let schema = "units"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: UnitKind
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    /// Who signs the unit's documents when it is not a campaign's issuer (`Signatory`):
    /// a title ("CHỦ TỊCH" when empty) and a name (a blank line when empty).
    @Field(key: "signer_title") var signerTitle: String
    @Field(key: "signer_name") var signerName: String
    /// When the unit was dissolved or merged (`TreeRules`); nil while it is live.
    @OptionalField(key: "ended_at") var endedAt: Date?
    @OptionalField(key: "merged_into_id") var mergedIntoID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, kind: UnitKind, parentID: UUID?, email: String = "", phone: String = "") {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.parentID = parentID
        self.email = email
        self.phone = phone
        self.signerTitle = ""
        self.signerName = ""
    }

    var node: UnitNode { UnitNode(id: id!, code: code, name: name, kind: kind, parentID: parentID) }
}
