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
    }

    var node: UnitNode { UnitNode(id: id!, code: code, name: name, kind: kind, parentID: parentID) }
}
