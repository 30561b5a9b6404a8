import FluentKit
import Foundation

/// A unit dissolved or merged leaves the live tree but keeps its row, for the campaigns and
/// the trail that name it: when it ended, and the unit it merged into (no foreign key, so a
/// backup loads its units in any order). And the one-time keys of forms (`FormOnce`).
struct AddUnitEnds: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("units").field("ended_at", .datetime).update()
        try await database.schema("units").field("merged_into_id", .uuid).update()
        try await database.schema("form_keys")
            .field("key", .string, .identifier(auto: false))
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("form_keys").delete()
        try await database.schema("units").deleteField("merged_into_id").update()
        try await database.schema("units").deleteField("ended_at").update()
    }
}
