import FluentKit

struct CreateRegistrants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("registrants")
            .id()
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("title", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "unit_id", "kind", "name_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("registrants").delete()
    }
}
