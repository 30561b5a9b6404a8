import DVKCore
import FluentKit
import Foundation

/// A collective or individual of a grassroots unit that registers initiatives;
/// one per (unit, kind, normalised name), kept across campaigns.
final class Registrant: Model, @unchecked Sendable {
    static let schema = "registrants"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "kind") var kind: RegistrantKind
    @Field(key: "name") var name: String
    @Field(key: "name_key") var nameKey: String
    @Field(key: "title") var title: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, unitID: UUID, kind: RegistrantKind, name: String, title: String) {
        self.id = id
        self.unitID = unitID
        self.kind = kind
        self.name = VietnameseText.clean(name)
        self.nameKey = VietnameseText.nameKey(name)
        self.title = VietnameseText.clean(title)
    }
}
