import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The audit trail grows from accounts' events to every change (issue 24): each event now
/// names the actor's role and unit, the object's name, the fields it changed (old → new)
/// and a search key, and is sealed into its unit's chain (`chain`, `seq`, `prev_hash`,
/// `hash`, heads in `audit_chains`). Events already written are sealed here, in the order
/// they were written.
struct AddAuditChain: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for (name, type) in [("actor_role", DatabaseSchema.DataType.string), ("object_label", .string), ("changes", .string), ("search_key", .string),
                             ("chain", .string), ("prev_hash", .string), ("hash", .string)] {
            try await database.schema("audit_events").field(FieldKey(stringLiteral: name), type, .required, .sql(.default(""))).update()
        }
        try await database.schema("audit_events").field("actor_unit_id", .uuid).update()
        try await database.schema("audit_events").field("seq", .int64, .required, .sql(.default(0))).update()
        try await database.schema("audit_chains")
            .field("chain", .string, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        try await AuditSeal.sealUnsealed(on: database)
        try await database.createIndex("audit_events_chain", on: "audit_events", "chain", "seq", unique: true)
        try await database.createIndex("audit_events_at", on: "audit_events", "at")
        try await database.createIndex("audit_events_campaign", on: "audit_events", "campaign_id", "at")
        try await database.createIndex("audit_events_actor", on: "audit_events", "actor_id", "at")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_chains").delete()
        for index in ["audit_events_chain", "audit_events_at", "audit_events_campaign", "audit_events_actor"] {
            try await database.sql().raw("DROP INDEX IF EXISTS \(unsafeRaw: index)").run()
        }
        for name in ["actor_role", "object_label", "changes", "search_key", "chain", "prev_hash", "hash", "actor_unit_id", "seq"] {
            try await database.schema("audit_events").deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
