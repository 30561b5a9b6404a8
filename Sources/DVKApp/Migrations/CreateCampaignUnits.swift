import FluentKit

struct CreateCampaignUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("campaign_units")
            .id()
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required)
            .field("parent_unit_id", .uuid)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("depth", .int, .required)
            .field("pre", .int, .required)
            .field("last", .int, .required)
            .field("is_target", .bool, .required)
            .field("extended_until", .datetime)
            .unique(on: "campaign_id", "unit_id")
            .create()
        // A subtree is a range of `pre`: this index answers "every unit under X".
        try await database.createIndex("campaign_units_pre", on: "campaign_units", "campaign_id", "pre")
        try await database.createIndex("campaign_units_code", on: "campaign_units", "campaign_id", "code")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("campaign_units").delete()
    }
}
