import FluentKit
import FluentSQL
import SQLKit

/// The letter of the level above that a campaign answers ("Công văn số 274/LĐLĐ ngày
/// 05/02/2024 của LĐLĐ thành phố Hà Nội"): the issuer's report upwards cites it.
struct AddLetterBasis: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("campaigns").field("basis", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("campaigns").deleteField("basis").update()
    }
}
