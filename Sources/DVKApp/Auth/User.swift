import DVKCore
import FluentKit
import Foundation

/// What a person may do, always within their own unit's subtree.
enum Role: String, Codable, Sendable, CaseIterable {
    case admin, staff, officer, viewer

    var label: String {
        switch self {
        case .admin: "Quản trị"
        case .staff: "Cán bộ công đoàn cấp trên"
        case .officer: "Cán bộ công đoàn cơ sở"
        case .viewer: "Theo dõi (chỉ xem)"
        }
    }

    /// Staff and administrators run campaigns, review and edit the tree.
    var manages: Bool { self == .admin || self == .staff }
}

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: Role
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "disabled") var disabled: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(username: String, displayName: String, passwordHash: String, role: Role, unitID: UUID) {
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.unitID = unitID
        self.disabled = false
    }
}

/// The signed-in person of a request, with their unit.
struct CurrentUser: Sendable, Equatable {
    var id: UUID
    var username: String
    var displayName: String
    var role: Role
    var unitID: UUID
    var unitCode: String
    var unitName: String
    var unitKind: UnitKind
    /// The CSRF token of the browser session (nil for API tokens).
    var csrf: String?
}
