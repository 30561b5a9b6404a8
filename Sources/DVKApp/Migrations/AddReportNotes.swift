import FluentKit
import FluentSQL
import SQLKit

/// What a federation's clerk writes into its reports before downloading them: "Đánh giá
/// chung" and "Đề xuất, kiến nghị", one pair per campaign, unit and report.
struct AddReportNotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("report_notes")
            .id()
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("kind", .string, .required)
            .field("assessment", .string, .required)
            .field("proposals", .string, .required)
            .field("version", .int, .required)
            .field("author", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "campaign_id", "unit_id", "kind")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("report_notes").delete()
    }
}
