import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Email: the outbox every message is written to in the transaction of the step that
/// causes it, the markers of scheduled runs (one reminder run per campaign and day, one
/// digest run per day), each campaign's reminder schedule, and the staff's address and
/// wish for a daily digest.
struct AddMail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("outbox")
            .id()
            .field("kind", .string, .required)
            .field("campaign_id", .uuid)
            .field("unit_id", .uuid)
            .field("user_id", .uuid)
            .field("to_address", .string, .required, .sql(.default("")))
            .field("to_name", .string, .required, .sql(.default("")))
            .field("subject", .string, .required, .sql(.default("")))
            .field("note", .string, .required, .sql(.default("")))
            .field("dedupe_key", .string)
            .field("status", .string, .required)
            .field("attempts", .int, .required, .sql(.default(0)))
            .field("next_attempt_at", .datetime, .required)
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .field("last_answer", .string, .required, .sql(.default("")))
            .field("address_refused", .bool, .required, .sql(.default(false)))
            .field("message", .data)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .unique(on: "dedupe_key", name: "outbox_dedupe")
            .create()
        try await database.createIndex("outbox_due", on: "outbox", "status", "next_attempt_at")
        try await database.createIndex("outbox_campaign", on: "outbox", "campaign_id", "created_at")
        try await database.createIndex("outbox_unit", on: "outbox", "unit_id")
        try await database.schema("mail_runs")
            .field("key", .string, .identifier(auto: false))
            .field("at", .datetime, .required)
            .create()
        try await database.schema("campaigns").field("reminder_days", .string, .required, .sql(.default("7, 3, 1, -1"))).update()
        try await database.schema("campaigns").field("reminder_time", .string, .required, .sql(.default("08:00"))).update()
        try await database.schema("users").field("email", .string, .required, .sql(.default(""))).update()
        try await database.schema("users").field("daily_digest", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox").delete()
        try await database.schema("mail_runs").delete()
        try await database.schema("campaigns").deleteField("reminder_days").update()
        try await database.schema("campaigns").deleteField("reminder_time").update()
        try await database.schema("users").deleteField("email").update()
        try await database.schema("users").deleteField("daily_digest").update()
    }
}
