import FluentKit
import Foundation
import SQLKit

/// The campaigns a unit is in, by the unit: every page that lists a user's campaigns (home,
/// the campaign list, a unit's numbers over the years) starts from the user's unit's rows of
/// `campaign_units`. Its unique key leads with the campaign, so without this index that
/// lookup read every campaign of the country.
struct AddCampaignUnitIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.createIndex("campaign_units_unit", on: "campaign_units", "unit_id")
    }

    func revert(on database: any Database) async throws {
        try await database.sql().raw("DROP INDEX IF EXISTS campaign_units_unit").run()
    }
}
