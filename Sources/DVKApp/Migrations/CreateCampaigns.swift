import FluentKit

struct CreateCampaigns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("campaigns")
            .id()
            .field("code", .string, .required)
            .field("issuer_id", .uuid, .required, .references("units", "id"))
            .field("year", .int, .required)
            .field("title", .string, .required)
            .field("number", .string, .required)
            .field("issued_on", .string, .required)
            .field("place", .string, .required)
            .field("subject", .string, .required)
            .field("addressees", .string, .required)
            .field("recipients", .string, .required)
            .field("body", .string, .required)
            .field("sectors", .string, .required)
            .field("deadline", .datetime, .required)
            .field("accepts_late", .bool, .required)
            .field("all_targets", .bool, .required)
            .field("signer_authority", .string, .required)
            .field("signer_title", .string, .required)
            .field("signer_name", .string, .required)
            .field("state", .string, .required)
            .field("issuer_name", .string, .required)
            .field("superior_name", .string, .required)
            .field("synced_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("campaigns").delete()
    }
}
