import FluentKit

struct CreateSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("submissions")
            .id()
            .field("campaign_id", .uuid, .required, .references("campaigns", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("status", .string, .required)
            .field("no_model", .bool, .required)
            .field("submitted_at", .datetime)
            .field("return_reason", .string)
            .field("updated_at", .datetime)
            .unique(on: "campaign_id", "unit_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("submissions").delete()
    }
}
