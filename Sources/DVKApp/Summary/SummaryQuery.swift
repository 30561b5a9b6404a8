import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The Biểu tổng hợp from the store.
enum SummaryQuery {
    /// The official summary of a unit, or of a federation's whole subtree: a read of the
    /// few maintained rows of that one unit (`rollup_counts` for a federation).
    static func official(_ campaign: CampaignInfo, unit: SnapshotUnit, on db: any Database) async throws -> Summary {
        let binds: [(any HotValue)?] = [campaign.id, unit.unitID]
        let rows = unit.kind == .federation ? try await RolledUp(binds: binds).all(on: db) : try await Counted(binds: binds).all(on: db)
        return Summary(sectors: campaign.sectors, tally: try UnitTally.grouped(rows)[unit.unitID] ?? UnitTally())
    }

    /// A grassroots unit's maintained counts in a campaign ($1, $2): the summary API and pages.
    struct Counted: HotStatement {
        static let sql = "SELECT \(tallyColumns) FROM summary_counts WHERE campaign_id = $1 AND unit_id = $2"
        let binds: [(any HotValue)?]
    }

    /// A federation's, summed over its subtree.
    struct RolledUp: HotStatement {
        static let sql = "SELECT \(tallyColumns) FROM rollup_counts WHERE campaign_id = $1 AND unit_id = $2"
        let binds: [(any HotValue)?]
    }

    /// The columns `UnitTally.grouped` reads.
    static let tallyColumns = "unit_id, sector_code, collectives, collective_initiatives, individuals, individual_initiatives"

    /// The same numbers counted from the initiatives themselves, without the maintained
    /// counts: the check that they agree (tests, `dvk summary --recount`).
    static func recounted(_ campaign: CampaignInfo, unit: SnapshotUnit, on db: any Database) async throws -> Summary {
        let entries = try await Recount.countedEntries(campaignID: campaign.id, units: nil,
                                                       pre: unit.pre == 0 ? nil : unit.pre...unit.last, on: db)
        return Summary(sectors: campaign.sectors, entries: entries)
    }

    /// A grassroots unit's own preview, drafts included, as it fills in its registrations.
    static func preview(_ campaign: CampaignInfo, unitID: UUID, on db: any Database) async throws -> Summary {
        let rows = try await Initiative.storedWithRegistrants(campaignID: campaign.id, unitID: unitID, on: db)
        return preview(campaign, unitID: unitID, initiatives: rows.map(\.initiative), registrants: rows.compactMap(\.registrant))
    }

    /// The same, of the unit's initiatives and registrants already read (the unit's page).
    static func preview(_ campaign: CampaignInfo, unitID: UUID, initiatives: [StoredInitiative], registrants: some Sequence<StoredRegistrant>) -> Summary {
        let kinds = Dictionary(registrants.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
        let entries = initiatives.compactMap { i in
            kinds[i.registrantID].map {
                SummaryEntry(unitID: unitID, kind: $0, registrantKey: i.registrantID.canonicalText, sectorCode: i.sectorCode)
            }
        }
        return Summary(sectors: campaign.sectors, entries: entries)
    }

    /// The counts of each unit in a subtree (for per-unit tables), keyed by unit id.
    static func perUnit(_ campaign: CampaignInfo, unit: SnapshotUnit, on db: any Database) async throws -> [UUID: UnitTally] {
        let rows = try await db.sql().select()
            .columns("unit_id", "sector_code", "collectives", "collective_initiatives", "individuals", "individual_initiatives")
            .from("summary_counts")
            .where("campaign_id", .equal, campaign.id)
            .where("unit_pre", .greaterThanOrEqual, unit.pre)
            .where("unit_pre", .lessThanOrEqual, unit.last)
            .all()
        return try UnitTally.grouped(rows)
    }

    /// Per unit (a page of the dashboard's table, `Standings.PageLines`): its counted models
    /// and its distinct collectives and individuals, summed in the database.
    struct UnitLine: Sendable {
        var initiatives: Int
        var collectives: Int
        var individuals: Int
    }

    /// The target units at or under a unit of the campaign's tree.
    static func subtreeTargets(_ campaign: CampaignInfo, unit: SnapshotUnit, on db: any Database) async throws -> [UUID] {
        try await db.sql().select().column("unit_id").from(CampaignUnit.schema)
            .where("campaign_id", .equal, campaign.id)
            .where("pre", .greaterThanOrEqual, unit.pre)
            .where("pre", .lessThanOrEqual, unit.last)
            .where("is_target", .equal, true)
            .all()
            .map { try $0.decode(column: "unit_id", as: UUID.self) }
    }
}

extension SQLRow {
    /// A `CAST(SUM(…) AS BIGINT)` column (PostgreSQL's SUM is numeric without the cast).
    func decodeSum(_ column: String) throws -> Int {
        try decode(column: column, as: Int?.self) ?? 0
    }
}
