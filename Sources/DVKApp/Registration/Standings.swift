import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Where the target units of a scope stand, from the store: one query for a page of them,
/// a read of one row for a federation's counts (`standing_counts`, kept by differences
/// like `rollup_counts`), and the recount that rebuilds both from the submissions.
enum Standings {
    /// One target unit of a campaign, where it stands, and what lists show of it.
    struct Line: Sendable {
        var unitID: UUID
        var code: String
        var name: String
        var parentCode: String?
        var parentName: String
        var pre: Int
        var row: SubmissionRow?
        var standing: Standing
        /// Its initiatives, counted or not (a returned unit's models still show).
        var initiatives: Int
        /// Today's contacts of the unit (asked for by the reminders).
        var email = ""
        var phone = ""
        /// Its counted models and distinct collectives and individuals, from the maintained
        /// counts: read with a page of the dashboard's table (`TreePageLines`, `PageLines`),
        /// nil otherwise.
        var counted: SummaryQuery.UnitLine?
    }

    /// What the dashboard's table can be narrowed to (the table is DVKCore's).
    typealias Filter = StandingFilter

    enum Order: String, CaseIterable, Sendable {
        /// The tree's order.
        case tree
        /// Longest waiting first: the review queue.
        case waiting
        case name
        case submitted
    }

    /// The target units at or under `scope` that pass `filter` and `search`, `limit` of them
    /// from `offset`, with how many pass in all. Paged and filtered in the database. A
    /// caller that knows the total (the maintained counts give it for every filter) passes
    /// it, and no counting query runs unless there is a search.
    static func lines(_ campaign: CampaignInfo, scope: SnapshotUnit, filter: Filter = .all, search: String = "",
                      order: Order = .tree, limit: Int? = nil, offset: Int = 0, knownTotal: Int? = nil, contacts: Bool = false,
                      on db: any Database) async throws -> (lines: [Line], total: Int) {
        let sql = try db.sql()
        let u = SQLIdentifier("u"), s = SQLIdentifier("s"), p = SQLIdentifier("p")
        func col(_ name: String, _ table: SQLIdentifier) -> SQLColumn { SQLColumn(SQLIdentifier(name), table: table) }
        func base(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = select
                .from(SQLAlias(SQLIdentifier(CampaignUnit.schema), as: u))
                .join(SQLAlias(SQLIdentifier(SubmissionRow.table), as: s), method: SQLJoinMethod.left,
                      on: SQLBinaryExpression(
                          SQLBinaryExpression(col("campaign_id", s), .equal, col("campaign_id", u)), .and,
                          SQLBinaryExpression(col("unit_id", s), .equal, col("unit_id", u))))
                .where(col("campaign_id", u), .equal, SQLBind(campaign.id))
                .where(col("is_target", u), .equal, SQLBind(true))
                .where(col("pre", u), .greaterThanOrEqual, SQLBind(scope.pre))
                .where(col("pre", u), .lessThanOrEqual, SQLBind(scope.last))
            // The filter's criterion on the stored standing (a unit without a row has not started).
            let criterion = filter.criterion
            if let phases = criterion.phases {
                let phase = SQLFunction("COALESCE", args: col("phase", s), SQLBind(Standing.Phase.notStarted.rawValue))
                q = q.where(SQLBinaryExpression(phase, .in, SQLBind.group(phases.map(\.rawValue))))
            }
            if let late = criterion.late { q = q.where(col("late", s), .equal, SQLBind(late)) }
            if let again = criterion.resubmittedLate { q = q.where(col("resubmitted_late", s), .equal, SQLBind(again)) }
            // The stored key is the name and code without diacritics, lower-cased; the search
            // keeps letters, digits and spaces, so no LIKE wildcard comes from the user.
            let key = Self.searchPattern(search)
            if !key.isEmpty { q = q.where(col("search_key", u), .like, SQLBind("%" + key + "%")) }
            return q
        }
        var total = knownTotal ?? 0
        if let limit, knownTotal == nil || !searchPattern(search).isEmpty {
            let counted = try await base(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()
            total = try counted?.decode(column: "n", as: Int.self) ?? 0
        }
        if let limit, total == 0 || limit == 0 { return ([], total) }
        func ordered(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            switch order {
            case .tree: return query.orderBy(col("pre", u))
            case .name: return query.orderBy(col("search_key", u)).orderBy(col("pre", u))
            case .waiting, .submitted:
                // Units that never submitted sort last on both databases.
                return query.orderBy(SQLRaw("CASE WHEN s.submitted_at IS NULL THEN 1 ELSE 0 END"))
                    .orderBy(col("submitted_at", s)).orderBy(col("pre", u))
            }
        }
        // A page: first its units' ids alone (the database skips the rows before it without
        // computing anything for them), then what the page shows, for those units only.
        var page: [UUID]?
        if let limit {
            // The page the dashboard opens on (every unit, in the tree's order) is a prepared
            // statement; a filter, a search or another order builds its own.
            if filter == .all && searchPattern(search).isEmpty && order == .tree && !contacts {
                // The page and its lines in one statement.
                let lines = try await TreePageLines(binds: [campaign.id, true, scope.pre, scope.last, limit, offset]).all(on: sql)
                    .map { try Self.line($0, campaign, contacts: false) }
                return (lines, total)
            }
            let rows = try await ordered(base(sql.select().column(col("unit_id", u)))).limit(limit).offset(offset).all()
            page = try rows.map { try $0.decode(column: "unit_id", as: UUID.self) }
            if page?.isEmpty ?? true { return ([], total) }
        }
        // A page of the table (its units known): one statement PostgreSQL keeps prepared,
        // whatever the filter and order that chose the units.
        if let page, !contacts {
            var byUnit: [UUID: Line] = [:]
            for row in try await PageLines(binds: [campaign.id, page]).all(on: sql) {
                let line = try Self.line(row, campaign, contacts: false)
                byUnit[line.unitID] = line
            }
            return (page.compactMap { byUnit[$0] }, total)
        }
        var query = base(sql.select()
            .column(col("unit_id", u)).column(col("code", u)).column(col("name", u)).column(col("pre", u))
            .column(col("code", p), as: "parent_code").column(col("name", p), as: "parent_name")
            .column(SQLRaw("(SELECT COUNT(*) FROM initiatives i WHERE i.campaign_id = u.campaign_id AND i.unit_id = u.unit_id)"), as: "initiatives")
            .columns(SubmissionRow.columns.map { SQLAlias(col($0, s), as: SQLIdentifier("s_" + $0)) }))
            .join(SQLAlias(SQLIdentifier(CampaignUnit.schema), as: p), method: SQLJoinMethod.left,
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(col("campaign_id", p), .equal, col("campaign_id", u)), .and,
                      SQLBinaryExpression(col("unit_id", p), .equal, col("parent_unit_id", u))))
        query = ordered(query)
        if let page { query = query.where(col("unit_id", u), .in, SQLBind.group(page)) }
        if contacts {
            let live = SQLIdentifier("live")
            query = query.column(col("email", live)).column(col("phone", live))
                .join(SQLAlias(SQLIdentifier(Unit.schema), as: live), method: SQLJoinMethod.left, on: col("id", live), .equal, col("unit_id", u))
        }
        let lines = try await query.all().map { try Self.line($0, campaign, contacts: contacts) }
        return (lines, limit == nil ? lines.count : total)
    }

    /// A line of the table from a row with the columns of `lines` (`PageLines`).
    private static func line(_ row: any SQLRow, _ campaign: CampaignInfo, contacts: Bool) throws -> Line {
        let submission = try row.decodeNil(column: "s_id") ? nil : try SubmissionRow(row: row, prefix: "s_")
        return Line(unitID: try row.decode(column: "unit_id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    parentCode: try row.decode(column: "parent_code", as: String?.self),
                    parentName: try row.decode(column: "parent_name", as: String?.self) ?? "",
                    pre: try row.decode(column: "pre", as: Int.self), row: submission,
                    standing: submission?.standing(campaign) ?? Standing(policy: campaign.policy),
                    initiatives: try row.decode(column: "initiatives", as: Int.self),
                    email: contacts ? try row.decode(column: "email", as: String?.self) ?? "" : "",
                    phone: contacts ? try row.decode(column: "phone", as: String?.self) ?? "" : "",
                    counted: row.contains(column: "m")
                        ? SummaryQuery.UnitLine(initiatives: try row.decodeSum("m"), collectives: try row.decodeSum("c"), individuals: try row.decodeSum("n"))
                        : nil)
    }

    /// The columns of a line of the dashboard's table, from the campaign's tree (`u`) with the
    /// unit's submission and parent: its initiatives, counted or not, and its counted models
    /// (`models`, an expression) and distinct registrants from the maintained counts (`m`,
    /// `c`, `n`, as `SummaryQuery.UnitLine`), by the counts' key.
    private static func pageLineColumns(models: String) -> String {
        """
        SELECT u.unit_id, u.code, u.name, u.pre, p.code AS parent_code, p.name AS parent_name,
               (SELECT COUNT(*) FROM initiatives i WHERE i.campaign_id = u.campaign_id AND i.unit_id = u.unit_id) AS initiatives,
               \(models) AS m, z.collectives AS c, z.individuals AS n,
               \(SubmissionRow.columns.map { "s.\($0) AS s_\($0)" }.joined(separator: ", "))
        """
    }

    /// Counted models summed over rows of the counts (`x`).
    private static let modelsSum = "CAST(SUM(x.collective_initiatives + x.individual_initiatives) AS BIGINT)"

    /// SQLite: a unit's counted models, summed over its rows of the counts by their key.
    private static let unitModels = """
        (SELECT \(modelsSum) FROM summary_counts x WHERE x.campaign_id = u.campaign_id AND x.unit_id = u.unit_id)
        """

    /// PostgreSQL: the counted models of a page's units (`units`, an array), summed in one
    /// pass, to join as `mm`. As a subquery for each unit (`unitModels`), a small table (the
    /// demo's 134 rows of counts) was scanned whole for each of the page's units: 0.30 of the
    /// dashboard statement's 0.62 ms; at 6,300 units, where each is an index seek, the two
    /// cost the same.
    private static func pageModels(units: String) -> String {
        """
        LEFT JOIN (SELECT x.unit_id, \(modelsSum) AS m
                   FROM summary_counts x WHERE x.campaign_id = $1 AND x.unit_id = ANY(\(units)) GROUP BY x.unit_id) mm
               ON mm.unit_id = u.unit_id
        """
    }

    /// The unit's submission, parent and distinct registrants (the maintained counts' row of
    /// sector "", its key), joined to `u`: each at most one row.
    private static let pageLineJoins = """
        LEFT JOIN \(SubmissionRow.table) s ON s.campaign_id = u.campaign_id AND s.unit_id = u.unit_id
        LEFT JOIN summary_counts z ON z.campaign_id = u.campaign_id AND z.unit_id = u.unit_id AND z.sector_code = ''
        LEFT JOIN \(CampaignUnit.schema) p ON p.campaign_id = u.campaign_id AND p.unit_id = u.parent_unit_id
        """

    /// The lines of a page of a campaign's ($1) target units ($2: true) at or under a unit
    /// (`pre` from $3 to $4), in the tree's order: $5 of them after the first $6. The page's
    /// units are chosen first, by their ids alone, and only they are read whole. On
    /// PostgreSQL the page is an array computed once (a materialized `WITH`, used twice; as
    /// `PageLines` binds one): joined as a table, its generic plan read the campaign's tree
    /// again for each of the page's units (2.6 ms for the demo's 44), and written out twice
    /// it was chosen twice (OFFSET 3,000 at 6,300 units: 2.0 ms, not 1.1). On SQLite the
    /// page is a table walked first (CROSS JOIN keeps that order): its own plan for
    /// `IN (the page)` walked every unit of the campaign. The join to the submissions adds
    /// no row: a unit has at most one per campaign.
    struct TreePageLines: HotStatement {
        private static let page = """
            SELECT t.unit_id, t.pre FROM \(CampaignUnit.schema) t
            WHERE t.campaign_id = $1 AND t.is_target = $2 AND t.pre >= $3 AND t.pre <= $4
            ORDER BY t.pre LIMIT $5 OFFSET $6
            """
        /// The page's ids as one array value: without the cast, `ANY((SELECT ids FROM page))`
        /// is `ANY (subquery)`, whose rows are arrays (uuid = uuid[] is refused).
        private static let units = "CAST((SELECT ids FROM page) AS uuid[])"
        static let sql = """
            WITH page AS MATERIALIZED (SELECT ARRAY(SELECT unit_id FROM (\(page)) chosen) AS ids)
            \(pageLineColumns(models: "mm.m"))
            FROM \(CampaignUnit.schema) u
            \(pageLineJoins)
            \(pageModels(units: units))
            WHERE u.campaign_id = $1 AND u.unit_id = ANY(\(units))
            ORDER BY u.pre
            """
        static let sqliteSQL = """
            \(pageLineColumns(models: unitModels))
            FROM (\(page)) page
            CROSS JOIN \(CampaignUnit.schema) u
            \(pageLineJoins)
            WHERE u.campaign_id = $1 AND u.unit_id = page.unit_id
            ORDER BY page.pre
            """
        let binds: [(any HotValue)?]
    }

    /// The table's lines of a campaign ($1) for the units of a page ($2, a list), in no
    /// order (the page's is its ids').
    struct PageLines: HotStatement {
        private static let from = " FROM \(CampaignUnit.schema) u " + pageLineJoins
        static let sql = pageLineColumns(models: "mm.m") + from + " " + pageModels(units: "$2") + " WHERE u.campaign_id = $1 AND u.unit_id = ANY($2)"
        static let sqliteSQL = pageLineColumns(models: unitModels) + from + " WHERE u.campaign_id = $1 AND u.unit_id IN $2"
        let binds: [(any HotValue)?]
    }

    /// The diacritic-free words of a search, for a LIKE on `campaign_units.search_key`.
    static func searchPattern(_ text: String) -> String {
        VietnameseText.searchKey(text).filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "." }
            .split(separator: " ").joined(separator: " ")
    }

    /// The stored search key of a unit of a campaign's tree.
    static func searchKey(name: String, code: String) -> String {
        VietnameseText.searchKey(name + " " + code)
    }

    /// The counts of a scope: the maintained row of a federation; a grassroots unit's own.
    static func counts(_ campaign: CampaignInfo, scope: SnapshotUnit, on db: any Database) async throws -> StandingCounts {
        guard scope.kind == .federation else {
            guard scope.isTarget else { return StandingCounts() }
            let row = try await SubmissionRow.find(campaignID: campaign.id, unitID: scope.unitID, on: db)
            return StandingCounts(row?.standing(campaign) ?? Standing(policy: campaign.policy))
        }
        guard let row = try await FederationCounts(binds: [campaign.id, scope.unitID]).first(on: db) else { return StandingCounts() }
        return StandingCounts(columns: try StandingCounts.columnNames.map { try row.decode(column: $0, as: Int.self) })
    }

    /// A federation's ($2) standing counts in a campaign ($1): every dashboard's cards.
    struct FederationCounts: HotStatement {
        static let sql = "SELECT \(StandingCounts.columnNames.joined(separator: ", ")) FROM standing_counts WHERE campaign_id = $1 AND unit_id = $2"
        let binds: [(any HotValue)?]
    }

    /// Adds each unit's change to every federation above it in the campaign's tree: one
    /// upsert, rows in a fixed order so that concurrent writers never deadlock.
    static func apply(_ deltas: [UUID: StandingCounts], campaignID: UUID, ancestors known: [UUID: [UUID]]? = nil,
                      on db: any Database) async throws {
        var sums: [UUID: StandingCounts] = [:]
        let chains: [UUID: [UUID]]
        if let known { chains = known } else { chains = try await Ancestors.of(Array(deltas.keys), campaignID: campaignID, on: db) }
        for (unit, delta) in deltas where !delta.isZero {
            for federation in chains[unit] ?? [] { sums[federation, default: StandingCounts()] = sums[federation, default: StandingCounts()] + delta }
        }
        let rows = sums.filter { !$0.value.isZero }.sorted { UUID.inTextOrder($0.key, $1.key) }
        guard !rows.isEmpty else { return }
        let names = StandingCounts.columnNames
        let updates = names.map { "\($0) = standing_counts.\($0) + excluded.\($0)" }.joined(separator: ", ")
        for chunk in rows.chunked(max(1, 30_000 / (names.count + 2))) {
            let tuples = chunk.map { unit, counts in
                SQLGroupExpression([SQLBind(campaignID), SQLBind(unit)] + counts.columns.map { SQLBind($0) as any SQLExpression })
            }
            try await db.sql().raw("""
                INSERT INTO standing_counts (campaign_id, unit_id, \(unsafeRaw: names.joined(separator: ", "))) VALUES \(SQLList(tuples))
                ON CONFLICT (campaign_id, unit_id) DO UPDATE SET \(unsafeRaw: updates)
                """).run()
        }
    }

    /// Derives every submission's stored standing again (after the deadline, the targets or
    /// the tree changed) and rebuilds the federations' counts.
    static func recountCampaign(_ campaignID: UUID, on db: any Database) async throws {
        guard let campaign = try await CampaignLock.exclusive(campaignID, on: db) else { return }
        let info = CampaignInfo(campaign)
        let sql = try db.sql()
        let rows = try await sql.select().columns(SubmissionRow.columns).from(SubmissionRow.table)
            .where("campaign_id", .equal, campaignID).all().map { try SubmissionRow(row: $0) }
        // Each row's derived standing, written by the one function that writes it.
        try await SubmissionLock.store(rows, campaign: info, touching: nil, on: db)
        let byUnit = Dictionary(rows.map { ($0.unitID, $0.standing(info)) }, uniquingKeysWith: { a, _ in a })
        try await sql.delete(from: "standing_counts").where("campaign_id", .equal, campaignID).run()
        let tree = try await FederationTree.load(campaignID: campaignID, on: db)
        var deltas: [UUID: StandingCounts] = [:]
        var chains: [UUID: [UUID]] = [:]
        for row in try await sql.select().column("unit_id").from(CampaignUnit.schema)
            .where("campaign_id", .equal, campaignID).where("is_target", .equal, true).all() {
            let unit = try row.decode(column: "unit_id", as: UUID.self)
            deltas[unit] = StandingCounts(byUnit[unit] ?? Standing(policy: info.policy))
            chains[unit] = tree.ancestors(of: unit)
        }
        try await apply(deltas, campaignID: campaignID, ancestors: chains, on: db)
    }
}

/// The federations above units in a campaign's frozen tree, nearest first.
enum Ancestors {
    /// A few units: walked up with a recursive query each (a handful of indexed reads);
    /// many: from the whole tree at once.
    static func of(_ units: [UUID], campaignID: UUID, on db: any Database) async throws -> [UUID: [UUID]] {
        if units.count > 16 {
            let tree = try await FederationTree.load(campaignID: campaignID, on: db)
            return Dictionary(uniqueKeysWithValues: units.map { ($0, tree.ancestors(of: $0)) })
        }
        var out: [UUID: [UUID]] = [:]
        for unit in units {
            let rows = try await db.sql().raw("""
                WITH RECURSIVE up(unit_id, parent_unit_id, depth) AS (
                    SELECT unit_id, parent_unit_id, 0 FROM campaign_units WHERE campaign_id = \(bind: campaignID) AND unit_id = \(bind: unit)
                    UNION ALL
                    SELECT c.unit_id, c.parent_unit_id, up.depth + 1 FROM campaign_units c
                    JOIN up ON c.campaign_id = \(bind: campaignID) AND c.unit_id = up.parent_unit_id
                    WHERE up.depth < 64
                )
                SELECT unit_id, depth FROM up WHERE depth > 0 ORDER BY depth
                """).all()
            out[unit] = try rows.map { try $0.decode(column: "unit_id", as: UUID.self) }
        }
        return out
    }
}
