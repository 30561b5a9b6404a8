import DVKCore
import FluentKit
import Foundation

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
    @Field(key: "email") var email: String
    /// The email in lower case (unique), nil without one: people sign in with it too.
    @OptionalField(key: "email_key") var emailKey: String?
    @Field(key: "title") var title: String
    @Field(key: "phone") var phone: String
    @Field(key: "login_count") var loginCount: Int
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    /// When the person set a password; nil while an invitation waits.
    @OptionalField(key: "password_set_at") var passwordSetAt: Date?
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @OptionalField(key: "totp_enabled_at") var totpEnabledAt: Date?

    init() {}

    init(username: String, displayName: String, passwordHash: String, role: Role, unitID: UUID, passwordSetAt: Date?) {
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.unitID = unitID
        self.disabled = false
        self.email = ""
        self.emailKey = nil
        self.title = ""
        self.phone = ""
        self.loginCount = 0
        self.passwordSetAt = passwordSetAt
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
    /// Whether the person confirms sign-in with a second factor.
    var twoFactor = false
}
