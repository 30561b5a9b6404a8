import DVKCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Where each unit stands, stored with its submission so that lists filter and page in the
/// database: the first submission time (lateness is decided by it alone), the reviewer's
/// date to resubmit by, the extension (moved here from the frozen tree, so a re-sync never
/// touches it), the phase and flags `Standing` derives, and a version that every write of
/// the unit's submission increments (the row is the unit's lock). `standing_counts` keeps
/// every federation's `StandingCounts` over its subtree, as `rollup_counts` keeps its sums.
struct AddStanding: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds columns one at a time.
        let submissions = { database.schema("submissions") }
        try await submissions().field("first_submitted_at", .datetime).update()
        try await submissions().field("resubmit_by", .datetime).update()
        try await submissions().field("extended_until", .datetime).update()
        try await submissions().field("phase", .string, .required, .sql(.default(Standing.Phase.notStarted.rawValue))).update()
        try await submissions().field("late", .bool, .required, .sql(.default(false))).update()
        try await submissions().field("resubmitted_late", .bool, .required, .sql(.default(false))).update()
        try await submissions().field("version", .int, .required, .sql(.default(0))).update()
        try await database.schema("standing_counts")
            .field("campaign_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("expected", .int, .required)
            .field("not_started", .int, .required)
            .field("draft", .int, .required)
            .field("returned", .int, .required)
            .field("waiting_review", .int, .required)
            .field("accepted", .int, .required)
            .field("no_model", .int, .required)
            .field("on_time", .int, .required)
            .field("late", .int, .required)
            .field("resubmitted_late", .int, .required)
            .compositeIdentifier(over: "campaign_id", "unit_id")
            .create()
        try await database.schema("campaign_units").field("search_key", .string, .required, .sql(.default(""))).update()
        try await database.schema("initiatives").field("review_comment", .string, .required, .sql(.default(""))).update()
        try await database.createIndex("submissions_phase", on: "submissions", "campaign_id", "phase")
        try await backfill(on: database)
    }

    /// Existing rows: the first submission from the history, the extension from the frozen
    /// tree, search keys, then every campaign's standings and counts.
    private func backfill(on database: any Database) async throws {
        let sql = try database.sql()
        let firsts = try await sql.select()
            .column("submission_id").column(SQLFunction("MIN", args: SQLColumn("at")), as: "first")
            .from("submission_events")
            .where("action", .in, [SubmissionAction.submit, .declare, .import].map(\.rawValue))
            .groupBy("submission_id").all()
        for row in firsts {
            try await sql.update("submissions")
                .set("first_submitted_at", to: try row.decode(column: "first", as: Date.self))
                .where("id", .equal, try row.decode(column: "submission_id", as: UUID.self)).run()
        }
        try await sql.raw("""
            UPDATE submissions SET first_submitted_at = submitted_at
            WHERE first_submitted_at IS NULL AND submitted_at IS NOT NULL
            """).run()
        for row in try await sql.select().columns("campaign_id", "unit_id", "extended_until").from("campaign_units")
            .where("extended_until", .isNot, SQLLiteral.null).all() {
            try await sql.update("submissions")
                .set("extended_until", to: try row.decode(column: "extended_until", as: Date.self))
                .where("campaign_id", .equal, try row.decode(column: "campaign_id", as: UUID.self))
                .where("unit_id", .equal, try row.decode(column: "unit_id", as: UUID.self)).run()
        }
        for row in try await sql.select().columns("id", "name", "code").from("campaign_units").all() {
            try await sql.update("campaign_units")
                .set("search_key", to: Standings.searchKey(name: try row.decode(column: "name", as: String.self),
                                                           code: try row.decode(column: "code", as: String.self)))
                .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
        for row in try await sql.select().column("id").from("campaigns").all() {
            try await Standings.recountCampaign(try row.decode(column: "id", as: UUID.self), on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("standing_counts").delete()
        for name in ["first_submitted_at", "resubmit_by", "extended_until", "phase", "late", "resubmitted_late", "version"] {
            try await database.schema("submissions").deleteField(FieldKey(stringLiteral: name)).update()
        }
        try await database.schema("campaign_units").deleteField("search_key").update()
        try await database.schema("initiatives").deleteField("review_comment").update()
    }
}
