import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Keeps the maintained counts equal to a recount of the counted initiatives. Called in
/// the same transaction as every write that changes what counts (a submission's state, an
/// import, a re-sync), for just the units it touched.
///
/// Two tables: `summary_counts` holds each grassroots unit's own numbers (per sector, and
/// its distinct registrants under sector ""); `rollup_counts` holds every federation's sum
/// over its subtree. A unit's change is applied to its federations as a difference, so a
/// roll-up at any level is a read of a few rows.
enum Recount {
    /// `('submitted', 'resubmitted', 'accepted')`: the states whose initiatives count
    /// (`SubmissionStatus.counts`), for a statement's text (the values are the enum's own).
    static let countedStatuses = "(" + SubmissionStatus.counted.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"

    /// Recounts the given units of a campaign. A caller that already has the units'
    /// ancestors passes them (`Ancestors.of`).
    static func units(_ unitIDs: Set<UUID>, campaignID: UUID, ancestors known: [UUID: [UUID]]? = nil,
                      on db: any Database) async throws {
        guard !unitIDs.isEmpty else { return }
        let sql = try db.sql()
        let chains: [UUID: [UUID]]
        if let known { chains = known } else { chains = try await Ancestors.of(Array(unitIDs), campaignID: campaignID, on: db) }
        var deltas: [UUID: UnitTally] = [:]
        for chunk in Array(unitIDs).chunked(500) {
            let before = try await stored(campaignID: campaignID, units: chunk, on: db)
            try await sql.delete(from: "summary_counts")
                .where("campaign_id", .equal, campaignID)
                .where("unit_id", .in, chunk)
                .run()
            let entries = try await countedEntries(campaignID: campaignID, units: chunk, on: db)
            let after = try await write(entries, campaignID: campaignID, units: Set(chunk), on: db)
            for unit in chunk {
                let change = (after[unit] ?? UnitTally()) - (before[unit] ?? UnitTally())
                guard !change.isZero else { continue }
                for ancestor in chains[unit] ?? [] { deltas[ancestor, default: UnitTally()] = deltas[ancestor, default: UnitTally()] + change }
            }
        }
        try await applyRollup(deltas, campaignID: campaignID, on: db)
    }

    /// Recounts a whole campaign (after a re-sync, or to repair).
    static func campaign(_ campaignID: UUID, on db: any Database) async throws {
        // Held alone, so no unit's step adds to the counts while they are rebuilt.
        _ = try await CampaignLock.exclusive(campaignID, on: db)
        let sql = try db.sql()
        try await sql.delete(from: "summary_counts").where("campaign_id", .equal, campaignID).run()
        try await sql.delete(from: "rollup_counts").where("campaign_id", .equal, campaignID).run()
        let entries = try await countedEntries(campaignID: campaignID, units: nil, on: db)
        let tallies = try await write(entries, campaignID: campaignID, units: nil, on: db)
        let tree = try await FederationTree.load(campaignID: campaignID, on: db)
        var sums: [UUID: UnitTally] = [:]
        for (unit, tally) in tallies {
            for ancestor in tree.ancestors(of: unit) { sums[ancestor, default: UnitTally()] = sums[ancestor, default: UnitTally()] + tally }
        }
        try await BulkInsert.run(db, into: "rollup_counts", columns: countColumns(withPre: false),
                                 rows: sums.flatMap { rows(campaignID: campaignID, unitID: $0.key, pre: nil, tally: $0.value) })
        try await Standings.recountCampaign(campaignID, on: db)
    }

    /// The initiatives that count (of submitted, resubmitted or accepted submissions), of
    /// the given units, of the units whose place in the campaign's tree is in `pre`, or all.
    static func countedEntries(campaignID: UUID, units: [UUID]?, pre: ClosedRange<Int>? = nil,
                               on db: any Database) async throws -> [SummaryEntry] {
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
            .where(SQLColumn("status", table: "s"), .in, SQLBind.group(SubmissionStatus.counted.map(\.rawValue)))
        if let units {
            query = query.where(SQLColumn("unit_id", table: "i"), .in, SQLBind.group(units))
        }
        if let pre {
            query = query
                .join(SQLAlias(SQLIdentifier(CampaignUnit.schema), as: SQLIdentifier("u")),
                      on: SQLBinaryExpression(
                          SQLBinaryExpression(SQLColumn("campaign_id", table: "u"), .equal, SQLColumn("campaign_id", table: "i")),
                          .and,
                          SQLBinaryExpression(SQLColumn("unit_id", table: "u"), .equal, SQLColumn("unit_id", table: "i"))))
                .where(SQLColumn("pre", table: "u"), .greaterThanOrEqual, SQLBind(pre.lowerBound))
                .where(SQLColumn("pre", table: "u"), .lessThanOrEqual, SQLBind(pre.upperBound))
        }
        return try await query.all().map { row in
            SummaryEntry(unitID: try row.decode(column: "unit_id", as: UUID.self),
                         kind: RegistrantKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .collective,
                         registrantKey: try row.decode(column: "registrant_id", as: UUID.self).canonicalText,
                         sectorCode: try row.decode(column: "sector_code", as: String.self))
        }
    }

    /// The per-unit counts as stored now.
    private static func stored(campaignID: UUID, units: [UUID], on db: any Database) async throws -> [UUID: UnitTally] {
        let rows = try await db.sql().select()
            .columns("unit_id", "sector_code", "collectives", "collective_initiatives", "individuals", "individual_initiatives")
            .from("summary_counts").where("campaign_id", .equal, campaignID).where("unit_id", .in, units).all()
        return try UnitTally.grouped(rows)
    }

    /// Writes the per-unit counts of the entries; returns them by unit.
    private static func write(_ entries: [SummaryEntry], campaignID: UUID, units: Set<UUID>?,
                              on db: any Database) async throws -> [UUID: UnitTally] {
        let byUnit = Dictionary(grouping: entries, by: \.unitID)
        guard !byUnit.isEmpty else { return [:] }
        var pre: [UUID: Int] = [:]
        var query = try db.sql().select().columns("unit_id", "pre").from(CampaignUnit.schema)
            .where("campaign_id", .equal, campaignID)
        if let units { query = query.where("unit_id", .in, Array(units)) }
        for row in try await query.all() {
            pre[try row.decode(column: "unit_id", as: UUID.self)] = try row.decode(column: "pre", as: Int.self)
        }
        var tallies: [UUID: UnitTally] = [:]
        var rows: [[any Encodable & Sendable]] = []
        for (unitID, unitEntries) in byUnit {
            // A unit outside the campaign's tree (removed by a re-sync) no longer counts.
            guard let unitPre = pre[unitID] else { continue }
            let tally = UnitTally(entries: unitEntries)
            tallies[unitID] = tally
            rows += Self.rows(campaignID: campaignID, unitID: unitID, pre: unitPre, tally: tally)
        }
        try await BulkInsert.run(db, into: "summary_counts", columns: countColumns(withPre: true), rows: rows)
        return tallies
    }

    /// Adds differences to the federations' sums: one multi-row upsert, the same SQL on
    /// SQLite (3.24+) and PostgreSQL, its rows in a fixed order so that two writers never
    /// wait on each other's rows (a deadlock on PostgreSQL).
    private static func applyRollup(_ deltas: [UUID: UnitTally], campaignID: UUID, on db: any Database) async throws {
        let values = deltas.sorted { UUID.inTextOrder($0.key, $1.key) }
            .flatMap { rows(campaignID: campaignID, unitID: $0.key, pre: nil, tally: $0.value).sorted { "\($0[2])" < "\($1[2])" } }
        guard !values.isEmpty else { return }
        let columns = countColumns(withPre: false)
        for chunk in values.chunked(max(1, 30_000 / columns.count)) {
            let tuples = chunk.map { row in SQLGroupExpression(row.map { SQLBind($0) as any SQLExpression }) }
            let numbers = ["collectives", "collective_initiatives", "individuals", "individual_initiatives"]
            let updates = numbers.map { "\($0) = rollup_counts.\($0) + excluded.\($0)" }.joined(separator: ", ")
            try await db.sql().raw("""
                INSERT INTO rollup_counts (\(unsafeRaw: columns.joined(separator: ", "))) VALUES \(SQLList(tuples))
                ON CONFLICT (campaign_id, unit_id, sector_code) DO UPDATE SET \(unsafeRaw: updates)
                """).run()
        }
    }

    private static func countColumns(withPre: Bool) -> [String] {
        ["campaign_id", "unit_id"] + (withPre ? ["unit_pre"] : [])
            + ["sector_code", "collectives", "collective_initiatives", "individuals", "individual_initiatives"]
    }

    private static func rows(campaignID: UUID, unitID: UUID, pre: Int?, tally: UnitTally) -> [[any Encodable & Sendable]] {
        let head: [any Encodable & Sendable] = pre.map { [campaignID, unitID, $0] } ?? [campaignID, unitID]
        var out = tally.bySector.map { sector, t in head + [sector, t.collectives, t.collectiveInitiatives, t.individuals, t.individualInitiatives] as [any Encodable & Sendable] }
        out.append(head + ["", tally.distinct.collectives, 0, tally.distinct.individuals, 0] as [any Encodable & Sendable])
        return out
    }
}

/// The federations of a campaign's frozen tree and every unit's parent, to walk up.
struct FederationTree: Sendable {
    var parent: [UUID: UUID]

    static func load(campaignID: UUID, on db: any Database) async throws -> FederationTree {
        var parent: [UUID: UUID] = [:]
        for row in try await db.sql().select().columns("unit_id", "parent_unit_id").from(CampaignUnit.schema)
            .where("campaign_id", .equal, campaignID).all() where !(try row.decodeNil(column: "parent_unit_id")) {
            parent[try row.decode(column: "unit_id", as: UUID.self)] = try row.decode(column: "parent_unit_id", as: UUID.self)
        }
        return FederationTree(parent: parent)
    }

    /// The federations above `unit`, nearest first.
    func ancestors(of unit: UUID) -> [UUID] {
        parent[unit].map(chain(from:)) ?? []
    }

    /// `start` and its ancestors inside the campaign's tree.
    func chain(from start: UUID) -> [UUID] {
        var out = [start]
        var current = start
        while let next = parent[current], out.count < 64 {
            out.append(next)
            current = next
        }
        return out
    }
}

extension UnitTally {
    static func - (a: UnitTally, b: UnitTally) -> UnitTally {
        var out = a
        for (sector, t) in b.bySector {
            let x = out.bySector[sector] ?? .zero
            out.bySector[sector] = Tally(collectives: x.collectives - t.collectives, collectiveInitiatives: x.collectiveInitiatives - t.collectiveInitiatives,
                                         individuals: x.individuals - t.individuals, individualInitiatives: x.individualInitiatives - t.individualInitiatives)
        }
        out.distinct = DistinctRegistrants(collectives: a.distinct.collectives - b.distinct.collectives,
                                           individuals: a.distinct.individuals - b.distinct.individuals)
        return out
    }

    var isZero: Bool { bySector.values.allSatisfy { $0 == .zero } && distinct == DistinctRegistrants() }

    /// Rows of (unit_id, sector_code, the four numbers) grouped into tallies by unit.
    static func grouped(_ rows: [any SQLRow]) throws -> [UUID: UnitTally] {
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
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min(count, $0 + size)]) }
    }
}
