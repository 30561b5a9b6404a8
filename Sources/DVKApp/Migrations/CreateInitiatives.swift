import FluentKit

struct CreateInitiatives: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("initiatives")
            .id()
            .field("campaign_id", .uuid, .required, .references("campaigns", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("registrant_id", .uuid, .required, .references("registrants", "id"))
            .field("sector_code", .string, .required)
            .field("title", .string, .required)
            .field("title_key", .string, .required)
            .field("purpose", .string, .required)
            .field("content", .string, .required)
            .field("scope", .string, .required)
            .field("start_date", .string)
            .field("end_date", .string)
            .field("expected_result", .string, .required)
            .field("person_in_charge", .string, .required)
            .field("continuity", .string, .required)
            .field("continues_id", .uuid)
            .field("search_key", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            // The natural key of an import: re-importing a row finds it here.
            .unique(on: "campaign_id", "unit_id", "registrant_id", "sector_code", "title_key")
            .create()
        try await database.createIndex("initiatives_registrant", on: "initiatives", "registrant_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("initiatives").delete()
    }
}
