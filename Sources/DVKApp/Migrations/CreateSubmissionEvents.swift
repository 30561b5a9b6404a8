import FluentKit

struct CreateSubmissionEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("submission_events")
            .id()
            .field("submission_id", .uuid, .required, .references("submissions", "id"))
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .field("note", .string, .required)
            .create()
        try await database.createIndex("submission_events_submission", on: "submission_events", "submission_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("submission_events").delete()
    }
}
