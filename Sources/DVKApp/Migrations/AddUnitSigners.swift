import FluentKit
import FluentSQL
import SQLKit

/// Who signs a unit's documents when it is not the campaign's issuer: the title and name
/// set on the unit's page (empty: "CHỦ TỊCH" over a blank line for a handwritten name).
struct AddUnitSigners: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("units").field("signer_title", .string, .required, .sql(.default(""))).update()
        try await database.schema("units").field("signer_name", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("units").deleteField("signer_name").update()
        try await database.schema("units").deleteField("signer_title").update()
    }
}
