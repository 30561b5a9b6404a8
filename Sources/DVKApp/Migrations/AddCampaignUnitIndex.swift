import FluentKit
import Foundation
import SQLKit

/// The campaigns a unit is in, by the unit: every page that lists a user's campaigns (home,
/// the campaign list, a unit's numbers over the years) starts from the user's unit's rows of
/// `campaign_units`. Its unique key leads with the campaign, so without this index that
/// lookup read every campaign of the country. The campaigns a federation sees from above
/// are found by their issuers (`campaigns_issuer`).
struct AddCampaignUnitIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.createIndex("campaign_units_unit", on: "campaign_units", "unit_id")
        try await database.createIndex("campaigns_issuer", on: "campaigns", "issuer_id")
    }

    func revert(on database: any Database) async throws {
        try await database.sql().raw("DROP INDEX IF EXISTS campaign_units_unit").run()
        try await database.sql().raw("DROP INDEX IF EXISTS campaigns_issuer").run()
    }
}
