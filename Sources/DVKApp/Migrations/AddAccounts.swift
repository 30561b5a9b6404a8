import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Accounts a federation manages: who a person is (title, phone), when they last signed
/// in, their two-factor secret and recovery codes; invitations and password resets as
/// one-time links (only their hash kept); the pending second step of a sign-in; and the
/// trail of events (who did what, to which object, from where), accounts' first.
struct AddAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for (name, type, constraint) in [
            ("title", DatabaseSchema.DataType.string, DatabaseSchema.FieldConstraint.sql(.default(""))),
            ("phone", .string, .sql(.default(""))),
            ("login_count", .int, .sql(.default(0))),
        ] {
            try await database.schema("users").field(FieldKey(stringLiteral: name), type, .required, constraint).update()
        }
        try await database.schema("users").field("last_login_at", .datetime).update()
        try await database.schema("users").field("password_set_at", .datetime).update()
        try await database.schema("users").field("totp_secret", .string).update()
        try await database.schema("users").field("totp_enabled_at", .datetime).update()
        try await database.schema("users").field("totp_last_step", .int64, .required, .sql(.default(0))).update()
        // People sign in with their email too: one account an address (its lower case, NULL
        // for none). Where two accounts gave the same address, the older keeps it.
        try await database.schema("users").field("email_key", .string).update()
        try await database.sql().raw("""
            UPDATE users SET email_key = LOWER(email) WHERE email <> '' AND NOT EXISTS (
                SELECT 1 FROM users o WHERE LOWER(o.email) = LOWER(users.email) AND o.created_at < users.created_at)
            """).run()
        // Everyone who exists already set a password.
        try await database.sql().raw("UPDATE users SET password_set_at = created_at WHERE password_hash <> ''").run()
        try await database.createIndex("users_unit", on: "users", "unit_id")
        try await database.createIndex("users_email_key", on: "users", "email_key", unique: true)

        try await database.schema("invitations")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_by", .string, .required, .sql(.default("")))
            .unique(on: "token_hash")
            .create()
        try await database.createIndex("invitations_user", on: "invitations", "user_id", "created_at")

        try await database.schema("recovery_codes")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .unique(on: "code_hash")
            .create()
        try await database.createIndex("recovery_codes_user", on: "recovery_codes", "user_id")

        try await database.schema("login_challenges")
            .field("token_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .field("failures", .int, .required, .sql(.default(0)))
            .field("next", .string, .required, .sql(.default("/")))
            .create()

        try await database.schema("audit_events")
            .id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor", .string, .required)
            .field("address", .string, .required, .sql(.default("")))
            .field("request_id", .string, .required, .sql(.default("")))
            .field("object_kind", .string, .required)
            .field("object_id", .string, .required)
            .field("unit_id", .uuid)
            .field("campaign_id", .uuid)
            .field("action", .string, .required)
            .field("details", .string, .required, .sql(.default("")))
            .create()
        try await database.createIndex("audit_events_object", on: "audit_events", "object_kind", "object_id", "at")
        try await database.createIndex("audit_events_unit", on: "audit_events", "unit_id", "at")
    }

    func revert(on database: any Database) async throws {
        for table in ["audit_events", "login_challenges", "recovery_codes", "invitations"] { try await database.schema(table).delete() }
        for name in ["email_key", "title", "phone", "login_count", "last_login_at", "password_set_at", "totp_secret", "totp_enabled_at", "totp_last_step"] {
            try await database.schema("users").deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
