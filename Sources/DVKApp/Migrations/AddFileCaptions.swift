import FluentKit
import FluentSQL
import SQLKit

/// A caption per photo or PDF of a progress report: what the library shows under a photo
/// and reads as its text alternative (empty until someone writes one).
struct AddFileCaptions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("model_files").field("caption", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("model_files").deleteField("caption").update()
    }
}
