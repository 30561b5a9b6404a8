import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The Biểu tổng hợp from the store.
enum SummaryQuery {
    /// The official summary of a unit or of a federation's subtree: one index range scan
    /// over the maintained counts of the units whose `pre` falls in the subtree's range.
    static func official(_ campaign: CampaignInfo, unit: SnapshotUnit, on db: any Database) async throws -> Summary {
        let rows = try await db.sql().select()
            .column("sector_code")
            .column(SQLRaw("CAST(SUM(collectives) AS BIGINT)"), as: "c")
            .column(SQLRaw("CAST(SUM(collective_initiatives) AS BIGINT)"), as: "ci")
            .column(SQLRaw("CAST(SUM(individuals) AS BIGINT)"), as: "n")
            .column(SQLRaw("CAST(SUM(individual_initiatives) AS BIGINT)"), as: "ni")
            .from("summary_counts")
            .where("campaign_id", .equal, campaign.id)
            .where("unit_pre", .greaterThanOrEqual, unit.pre)
            .where("unit_pre", .lessThanOrEqual, unit.last)
            .groupBy("sector_code")
            .all()
        var tally = UnitTally()
        for row in rows {
            let t = Tally(collectives: try row.decodeSum("c"), collectiveInitiatives: try row.decodeSum("ci"),
                          individuals: try row.decodeSum("n"), individualInitiatives: try row.decodeSum("ni"))
            let sector = try row.decode(column: "sector_code", as: String.self)
            if sector.isEmpty {
                tally.distinct = DistinctRegistrants(collectives: t.collectives, individuals: t.individuals)
            } else {
                tally.bySector[sector] = t
            }
        }
        return Summary(sectors: campaign.sectors, tally: tally)
    }

    /// The same numbers counted from the initiatives themselves, without the maintained
    /// counts: the check that they agree (tests, `dvk summary --recount`).
    static func recounted(_ campaign: CampaignInfo, unit: SnapshotUnit, on db: any Database) async throws -> Summary {
        let units = try await subtreeTargets(campaign, unit: unit, on: db)
        var entries: [SummaryEntry] = []
        for chunk in units.chunked(500) {
            entries += try await Recount.countedEntries(campaignID: campaign.id, units: chunk, on: db)
        }
        return Summary(sectors: campaign.sectors, entries: entries)
    }

    /// A grassroots unit's own preview, drafts included, as it fills in its registrations.
    static func preview(_ campaign: CampaignInfo, unitID: UUID, on db: any Database) async throws -> Summary {
        let initiatives = try await Initiative.query(on: db)
            .filter(\.$campaignID == campaign.id).filter(\.$unitID == unitID).all()
        let registrants = try await Registrant.query(on: db).filter(\.$unitID == unitID).all()
        let kinds = Dictionary(uniqueKeysWithValues: registrants.map { ($0.id!, $0.kind) })
        let entries = initiatives.compactMap { i in
            kinds[i.registrantID].map {
                SummaryEntry(unitID: unitID, kind: $0, registrantKey: i.registrantID.uuidString, sectorCode: i.sectorCode)
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
        var out: [UUID: UnitTally] = [:]
        for row in rows {
            let id = try row.decode(column: "unit_id", as: UUID.self)
            let sector = try row.decode(column: "sector_code", as: String.self)
            let t = Tally(collectives: try row.decode(column: "collectives", as: Int.self),
                          collectiveInitiatives: try row.decode(column: "collective_initiatives", as: Int.self),
                          individuals: try row.decode(column: "individuals", as: Int.self),
                          individualInitiatives: try row.decode(column: "individual_initiatives", as: Int.self))
            if sector.isEmpty {
                out[id, default: UnitTally()].distinct = DistinctRegistrants(collectives: t.collectives, individuals: t.individuals)
            } else {
                out[id, default: UnitTally()].bySector[sector] = t
            }
        }
        return out
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
        try decodeNil(column: column) ? 0 : decode(column: column, as: Int.self)
    }
}
