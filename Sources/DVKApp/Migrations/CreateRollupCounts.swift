import FluentKit

/// The counts of every federation of a campaign's tree summed over its subtree, kept by
/// `Recount` with the per-unit counts, so a roll-up at any level reads a handful of rows
/// however many units lie below.
struct CreateRollupCounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("rollup_counts")
            .field("campaign_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("sector_code", .string, .required)
            .field("collectives", .int, .required)
            .field("collective_initiatives", .int, .required)
            .field("individuals", .int, .required)
            .field("individual_initiatives", .int, .required)
            .compositeIdentifier(over: "campaign_id", "unit_id", "sector_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rollup_counts").delete()
    }
}
