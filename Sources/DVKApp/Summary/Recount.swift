import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Keeps `summary_counts` equal to a recount of the counted initiatives. Called in the
/// same transaction as every write that changes what counts (a submission's state, an
/// import, a re-sync), for just the units it touched.
enum Recount {
    /// Recounts the given units of a campaign.
    static func units(_ unitIDs: Set<UUID>, campaignID: UUID, on db: any Database) async throws {
        guard !unitIDs.isEmpty else { return }
        let sql = try db.sql()
        for chunk in Array(unitIDs).chunked(500) {
            try await sql.delete(from: "summary_counts")
                .where("campaign_id", .equal, campaignID)
                .where("unit_id", .in, chunk)
                .run()
            let entries = try await countedEntries(campaignID: campaignID, units: chunk, on: db)
            try await write(entries, campaignID: campaignID, units: Set(chunk), on: db)
        }
    }

    /// Recounts a whole campaign (after a re-sync, or to repair).
    static func campaign(_ campaignID: UUID, on db: any Database) async throws {
        let sql = try db.sql()
        try await sql.delete(from: "summary_counts").where("campaign_id", .equal, campaignID).run()
        let entries = try await countedEntries(campaignID: campaignID, units: nil, on: db)
        try await write(entries, campaignID: campaignID, units: nil, on: db)
    }

    /// The initiatives that count (of submitted, resubmitted or accepted submissions).
    static func countedEntries(campaignID: UUID, units: [UUID]?, on db: any Database) async throws -> [SummaryEntry] {
        let sql = try db.sql()
        var query = sql.select()
            .column(SQLColumn("unit_id", table: "i"))
            .column(SQLColumn("registrant_id", table: "i"))
            .column(SQLColumn("kind", table: "r"))
            .column(SQLColumn("sector_code", table: "i"))
            .from(SQLAlias(SQLIdentifier(Initiative.schema), as: SQLIdentifier("i")))
            .join(SQLAlias(SQLIdentifier(Registrant.schema), as: SQLIdentifier("r")), on: SQLColumn("id", table: "r"), .equal, SQLColumn("registrant_id", table: "i"))
            .join(SQLAlias(SQLIdentifier(Submission.schema), as: SQLIdentifier("s")),
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(SQLColumn("campaign_id", table: "s"), .equal, SQLColumn("campaign_id", table: "i")),
                      .and,
                      SQLBinaryExpression(SQLColumn("unit_id", table: "s"), .equal, SQLColumn("unit_id", table: "i"))))
            .where(SQLColumn("campaign_id", table: "i"), .equal, SQLBind(campaignID))
            .where(SQLColumn("status", table: "s"), .in, SQLBind.group(SubmissionStatus.allCases.filter(\.counts).map(\.rawValue)))
        if let units {
            query = query.where(SQLColumn("unit_id", table: "i"), .in, SQLBind.group(units))
        }
        return try await query.all().map { row in
            SummaryEntry(unitID: try row.decode(column: "unit_id", as: UUID.self),
                         kind: RegistrantKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .collective,
                         registrantKey: try row.decode(column: "registrant_id", as: UUID.self).uuidString,
                         sectorCode: try row.decode(column: "sector_code", as: String.self))
        }
    }

    private static func write(_ entries: [SummaryEntry], campaignID: UUID, units: Set<UUID>?, on db: any Database) async throws {
        let byUnit = Dictionary(grouping: entries, by: \.unitID)
        guard !byUnit.isEmpty else { return }
        let sql = try db.sql()
        var pre: [UUID: Int] = [:]
        var query = sql.select().columns("unit_id", "pre").from(CampaignUnit.schema)
            .where("campaign_id", .equal, campaignID)
        if let units { query = query.where("unit_id", .in, Array(units)) }
        for row in try await query.all() {
            pre[try row.decode(column: "unit_id", as: UUID.self)] = try row.decode(column: "pre", as: Int.self)
        }
        var rows: [[any Encodable & Sendable]] = []
        for (unitID, unitEntries) in byUnit {
            // A unit outside the campaign's tree (removed by a re-sync) no longer counts.
            guard let unitPre = pre[unitID] else { continue }
            let tally = UnitTally(entries: unitEntries)
            for (sector, t) in tally.bySector {
                rows.append([campaignID, unitID, unitPre, sector, t.collectives, t.collectiveInitiatives, t.individuals, t.individualInitiatives])
            }
            rows.append([campaignID, unitID, unitPre, "", tally.distinct.collectives, 0, tally.distinct.individuals, 0])
        }
        try await BulkInsert.run(db, into: "summary_counts",
                                 columns: ["campaign_id", "unit_id", "unit_pre", "sector_code", "collectives",
                                           "collective_initiatives", "individuals", "individual_initiatives"],
                                 rows: rows)
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min(count, $0 + size)]) }
    }
}
