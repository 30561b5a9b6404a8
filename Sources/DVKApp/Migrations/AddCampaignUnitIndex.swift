import FluentKit
import Foundation
import SQLKit

/// The campaigns a unit is in, by the unit: every page that lists a user's campaigns (home,
/// the campaign list, a unit's numbers over the years) starts from the user's unit's rows of
/// `campaign_units`. Its unique key leads with the campaign, so without this index that
/// lookup read every campaign of the country. The campaigns a federation sees from above are
/// found down its federations (`units_parent_kind`), then by their issuer (`campaigns_issuer`).
/// `IF NOT EXISTS`: Fluent runs a migration's statements outside a transaction, so one
/// stopped halfway can run again.
struct AddCampaignUnitIndex: AsyncMigration {
    static let indexes = [("campaign_units_unit", "campaign_units", "unit_id"), ("campaigns_issuer", "campaigns", "issuer_id"),
                          ("units_parent_kind", "units", "parent_id, kind")]

    func prepare(on database: any Database) async throws {
        for (name, table, columns) in Self.indexes {
            try await database.sql().raw("CREATE INDEX IF NOT EXISTS \(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _, _) in Self.indexes {
            try await database.sql().raw("DROP INDEX IF EXISTS \(unsafeRaw: name)").run()
        }
    }
}
