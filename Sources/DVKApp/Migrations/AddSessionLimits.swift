import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Sessions end after a time without use as well as at their absolute lifetime; API tokens
/// have a name, an expiry and a last use, so that they can be listed and revoked.
struct AddSessionLimits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions").field("last_seen_at", .datetime).update()
        try await database.sql().raw("UPDATE sessions SET last_seen_at = created_at").run()
        try await database.schema("api_tokens").field("name", .string, .required, .sql(.default(""))).update()
        try await database.schema("api_tokens").field("expires_at", .datetime).update()
        try await database.schema("api_tokens").field("last_used_at", .datetime).update()
        // Tokens made before had no end: they now last the default time from their creation.
        let sql = try database.sql()
        for row in try await sql.select().columns("id", "created_at").from("api_tokens").all() {
            let created = try row.decode(column: "created_at", as: Date.self)
            try await sql.update("api_tokens").set("expires_at", to: created.addingTimeInterval(Double(AuthStore.defaultTokenDays) * 86_400))
                .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
        try await database.createIndex("sessions_user", on: "sessions", "user_id")
        try await database.createIndex("sessions_expiry", on: "sessions", "expires_at")
        try await database.createIndex("api_tokens_user", on: "api_tokens", "user_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").deleteField("last_seen_at").update()
        for name in ["name", "expires_at", "last_used_at"] {
            try await database.schema("api_tokens").deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
