import FluentKit

/// The counted numbers of each grassroots unit, per sector, kept equal to a recount of
/// its submitted initiatives on every write (`Recount`). A row with sector "" holds the
/// unit's distinct registrants over all sectors. `unit_pre` copies the unit's place in the
/// campaign's tree, so a roll-up is one index range scan with no join.
struct CreateSummaryCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("summary_counts")
            .field("campaign_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("unit_pre", .int, .required)
            .field("sector_code", .string, .required)
            .field("collectives", .int, .required)
            .field("collective_initiatives", .int, .required)
            .field("individuals", .int, .required)
            .field("individual_initiatives", .int, .required)
            .compositeIdentifier(over: "campaign_id", "unit_id", "sector_code")
            .create()
        try await database.createIndex("summary_counts_range", on: "summary_counts", "campaign_id", "unit_pre")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("summary_counts").delete()
    }
}
