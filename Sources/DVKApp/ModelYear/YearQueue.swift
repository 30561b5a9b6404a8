import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The federation's side of the year: the funnel of its subtree, the accepted models with
/// where each stands, and the nominations waiting for it.
enum YearQueue {
    /// Which models the list shows.
    enum Show: String, Sendable, CaseIterable {
        case all, waiting, recognised

        var label: String {
            switch self {
            case .all: "Tất cả mô hình đã duyệt"
            case .waiting: "Cấp dưới đề nghị công nhận"
            case .recognised: "Đã được công nhận"
            }
        }
    }

    struct Row: Sendable, Decodable, Equatable {
        var id: UUID
        var title: String
        var sectorCode: String
        var unitCode: String
        var unitName: String
        var registrantName: String
        var reports: Int
        var myVerdict: String?
        var recognitions: Int
        var mine: Int
        var nominatedToMe: Int
        var published: Int
    }

    /// What the year page's list is narrowed to, besides its tab: words of the model's
    /// title, its registrant or its unit (without diacritics), a sector, a unit (with the
    /// units below it).
    struct Filter: Sendable, Equatable {
        var search = ""
        var sector = ""
        var unit: SnapshotUnit?

        var isEmpty: Bool { Standings.searchPattern(search).isEmpty && sector.isEmpty && unit == nil }
    }

    static func condition(_ view: Access.CampaignView, me: UUID, show: Show, filter: Filter = Filter()) -> SQLQueryString {
        let scope = filter.unit ?? view.scope
        var q: SQLQueryString = "cu.campaign_id = \(bind: view.campaign.id) AND cu.pre BETWEEN \(bind: scope.pre) AND \(bind: scope.last)"
        let key = Standings.searchPattern(filter.search)
        if !key.isEmpty {
            // Stored keys hold letters, digits and spaces; the pattern keeps no LIKE wildcard.
            q.appendInterpolation(" AND (i.search_key LIKE \(bind: "%" + key + "%") OR cu.search_key LIKE \(bind: "%" + key + "%"))" as SQLQueryString)
        }
        if !filter.sector.isEmpty { q.appendInterpolation(" AND i.sector_code = \(bind: filter.sector)" as SQLQueryString) }
        switch show {
        case .all: break
        case .waiting:
            q.appendInterpolation(unsafeRaw: " AND ")
            q.appendInterpolation("""
                EXISTS (SELECT 1 FROM nominations n WHERE n.initiative_id = i.id AND n.to_unit_id = \(bind: me))
                AND NOT EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = i.id AND x.by_unit_id = \(bind: me))
                """ as SQLQueryString)
        case .recognised:
            q.appendInterpolation(unsafeRaw: " AND EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = i.id)")
        }
        return q
    }

    /// The accepted models with their unit and registrant, then `WHERE` and the joins'
    /// conditions, for `condition` to follow after AND. From the scope's units down (CROSS JOIN
    /// keeps that order on SQLite, whose own choice read all the campaign's initiatives first:
    /// 60,000 for a district's 100 units, 235 ms a count).
    static let from = """
        FROM campaign_units cu
        CROSS JOIN submissions s
        CROSS JOIN initiatives i
        JOIN registrants r ON r.id = i.registrant_id
        WHERE s.campaign_id = cu.campaign_id AND s.unit_id = cu.unit_id AND s.status = 'accepted'
          AND i.campaign_id = cu.campaign_id AND i.unit_id = cu.unit_id AND
        """

    /// A page of the accepted models of the view's subtree.
    static func models(_ view: Access.CampaignView, show: Show, filter: Filter = Filter(), page: Int?,
                       on db: any Database) async throws -> (rows: [Row], paging: Paging, counts: [Show: Int]) {
        let sql = try db.sql()
        let me = view.user.unitID
        var counts: [Show: Int] = [:]
        for s in Show.allCases {
            counts[s] = try await sql.raw("SELECT COUNT(*) AS n \(unsafeRaw: from) \(condition(view, me: me, show: s, filter: filter))")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let paging = Paging(requested: page, total: counts[show] ?? 0)
        let rows = try await sql.raw("""
            SELECT i.id, i.title, i.sector_code, cu.code AS unit_code, cu.name AS unit_name, r.name AS registrant_name,
                   (SELECT COUNT(*) FROM progress_reports p WHERE p.initiative_id = i.id) AS reports,
                   (SELECT v.verdict FROM verifications v WHERE v.initiative_id = i.id AND v.by_unit_id = \(bind: me)) AS my_verdict,
                   (SELECT COUNT(*) FROM recognitions x WHERE x.initiative_id = i.id) AS recognitions,
                   (SELECT COUNT(*) FROM recognitions x WHERE x.initiative_id = i.id AND x.by_unit_id = \(bind: me)) AS mine,
                   (SELECT COUNT(*) FROM nominations n WHERE n.initiative_id = i.id AND n.to_unit_id = \(bind: me)) AS nominated_to_me,
                   (SELECT COUNT(*) FROM library l WHERE l.initiative_id = i.id) AS published
            \(unsafeRaw: from) \(condition(view, me: me, show: show, filter: filter))
            ORDER BY cu.pre, i.title, i.id LIMIT \(unsafeRaw: String(paging.perPage)) OFFSET \(unsafeRaw: String(paging.offset))
            """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return (rows, paging, counts)
    }

    /// The funnel's columns after "registered", summed over the rows of initiatives `i`: each
    /// model counted once per column (the year page, the report and its table per unit).
    /// The funnel's columns after "registered", for the federation `unit` reporting:
    /// proposals are counted by who made them (to it from below, by it upward).
    static func stages(_ unit: UUID) -> SQLQueryString {
        """
        SUM(CASE WHEN EXISTS (SELECT 1 FROM verifications v WHERE v.initiative_id = i.id) THEN 1 ELSE 0 END) AS verified,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM verifications v WHERE v.initiative_id = i.id AND v.verdict = 'passed') THEN 1 ELSE 0 END) AS passed,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = i.id) THEN 1 ELSE 0 END) AS recognised,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = i.id AND x.exemplary = \(bind: true)) THEN 1 ELSE 0 END) AS exemplary,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM commendations k WHERE k.initiative_id = i.id) THEN 1 ELSE 0 END) AS commended,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM nominations n WHERE n.initiative_id = i.id AND n.to_unit_id = \(bind: unit)) THEN 1 ELSE 0 END) AS below,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM nominations n WHERE n.initiative_id = i.id AND n.from_unit_id = \(bind: unit)) THEN 1 ELSE 0 END) AS nominated
        """
    }

    /// The funnel of the view's subtree, a row per sector in the campaign's order:
    /// registered counts what the Biểu tổng hợp counts (submitted, resubmitted, accepted).
    static func funnel(_ view: Access.CampaignView, on db: any Database) async throws -> [FunnelRow] {
        let rows = try await db.sql().raw("""
            SELECT i.sector_code, COUNT(*) AS registered,
              \(stages(view.scope.unitID))
            FROM initiatives i
            JOIN submissions s ON s.campaign_id = i.campaign_id AND s.unit_id = i.unit_id AND s.status IN \(unsafeRaw: Recount.countedStatuses)
            JOIN campaign_units cu ON cu.campaign_id = i.campaign_id AND cu.unit_id = i.unit_id
            WHERE i.campaign_id = \(bind: view.campaign.id) AND cu.pre BETWEEN \(bind: view.scope.pre) AND \(bind: view.scope.last)
            GROUP BY i.sector_code
            """).all()
        var bySector: [String: StageCounts] = [:]
        for row in rows { bySector[try row.decode(column: "sector_code", as: String.self)] = try StageCounts(row) }
        return view.campaign.sectors.map { sector in
            (bySector[sector.code] ?? StageCounts()).row(sector: sector.code, name: sector.name)
        }
    }

    /// One row of the funnel's columns as a query sums them (`registered` + `stages`).
    struct StageCounts: Decodable {
        var registered: Int?
        var verified: Int?
        var passed: Int?
        var recognised: Int?
        var exemplary: Int?
        var commended: Int?
        var below: Int?
        var nominated: Int?

        init() {}
        init(_ row: any SQLRow) throws { self = try row.decode(model: StageCounts.self) }

        func row(sector: String, name: String) -> FunnelRow {
            var row = FunnelRow(sector: sector, name: name)
            row.registered = registered ?? 0
            row.verified = verified ?? 0
            row.passed = passed ?? 0
            row.proposedBelow = below ?? 0
            row.recognised = recognised ?? 0
            row.exemplary = exemplary ?? 0
            row.commended = commended ?? 0
            row.nominated = nominated ?? 0
            return row
        }
    }

    struct Nomination: Sendable, Decodable, Equatable {
        var initiativeId: UUID
        var title: String
        var unitCode: String
        var unitName: String
        var fromCode: String
        var fromName: String
        var createdAt: Date
    }

    /// The nominations to the caller's own unit in the campaign, not yet recognised by it.
    static func nominations(_ view: Access.CampaignView, on db: any Database) async throws -> [Nomination] {
        let me = view.user.unitID
        return try await db.sql().raw("""
            SELECT n.initiative_id, i.title, cu.code AS unit_code, cu.name AS unit_name, f.code AS from_code, f.name AS from_name, n.created_at
            FROM nominations n JOIN initiatives i ON i.id = n.initiative_id
            JOIN campaign_units cu ON cu.campaign_id = i.campaign_id AND cu.unit_id = i.unit_id
            JOIN units f ON f.id = n.from_unit_id
            WHERE n.campaign_id = \(bind: view.campaign.id) AND n.to_unit_id = \(bind: me)
              AND cu.pre BETWEEN \(bind: view.scope.pre) AND \(bind: view.scope.last)
              AND NOT EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = n.initiative_id AND x.by_unit_id = \(bind: me))
            ORDER BY n.created_at, i.title
            """).all(decoding: Nomination.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}

extension YearQueue {
    /// A recognised model of the subtree, with its decisions in words (the workbook).
    struct Recognised: Sendable {
        var title: String
        var kind: RegistrantKind
        var registrantName: String
        var unitName: String
        var sectorCode: String
        var recognitions: String
        var exemplary: Bool
        var commendations: String
        var nominations: String
    }

    static func recognisedList(_ view: Access.CampaignView, on db: any Database) async throws -> [Recognised] {
        struct Row: Decodable {
            var id: UUID; var title: String; var registrantKind: String; var registrantName: String; var unitName: String; var sectorCode: String
        }
        let rows = try await db.sql().raw("""
            SELECT i.id, i.title, r.kind AS registrant_kind, r.name AS registrant_name, cu.name AS unit_name, i.sector_code
            \(unsafeRaw: from) \(condition(view, me: view.user.unitID, show: .recognised))
            ORDER BY cu.pre, i.sector_code, i.title, i.id
            """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        let ids = rows.map(\.id)
        let recognitions = try await YearStore.recognitions(of: ids, on: db)
        var commendations: [UUID: [String]] = [:], nominations: [UUID: [String]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let list = SQLList(chunk.map { SQLBind($0) })
            for row in try await db.sql().raw("""
                SELECT initiative_id, by_name, form, decision_number, decision_date FROM commendations WHERE initiative_id IN (\(list))
                ORDER BY decision_date
                """).all() {
                let form = CommendationForm(rawValue: try row.decode(column: "form", as: String.self))?.label ?? ""
                let day = CalendarDay(parsing: try row.decode(column: "decision_date", as: String.self))?.vietnamese ?? ""
                commendations[try row.decode(column: "initiative_id", as: UUID.self), default: []]
                    .append("\(form) của \(try row.decode(column: "by_name", as: String.self)) (QĐ số \(try row.decode(column: "decision_number", as: String.self)) ngày \(day))")
            }
            for row in try await db.sql().raw("""
                SELECT n.initiative_id, t.name FROM nominations n JOIN units t ON t.id = n.to_unit_id WHERE n.initiative_id IN (\(list))
                """).all() {
                nominations[try row.decode(column: "initiative_id", as: UUID.self), default: []].append(try row.decode(column: "name", as: String.self))
            }
        }
        return rows.map { r in
            let recs = recognitions[r.id] ?? []
            return Recognised(title: r.title, kind: RegistrantKind(rawValue: r.registrantKind) ?? .collective, registrantName: r.registrantName,
                              unitName: r.unitName, sectorCode: r.sectorCode,
                              recognitions: recs.map { "\($0.byName) (QĐ số \($0.decisionNumber) ngày \($0.day?.vietnamese ?? $0.decisionDate))" }.joined(separator: "; "),
                              exemplary: recs.contains(where: \.exemplary),
                              commendations: (commendations[r.id] ?? []).joined(separator: "; "),
                              nominations: (nominations[r.id] ?? []).joined(separator: "; "))
        }
    }
}

extension YearQueue {
    /// The funnel of each unit directly below the view's top unit, over its subtree, in the
    /// tree's order (the year-end report's table per unit).
    static func funnelByChild(_ view: Access.CampaignView, on db: any Database) async throws -> [FunnelRow] {
        let rows = try await db.sql().raw("""
            SELECT c.code, c.name,
              SUM(CASE WHEN i.id IS NULL THEN 0 ELSE 1 END) AS registered,
              \(stages(view.scope.unitID))
            FROM campaign_units c
            LEFT JOIN campaign_units cu ON cu.campaign_id = c.campaign_id AND cu.pre BETWEEN c.pre AND c.last
            LEFT JOIN submissions s ON s.campaign_id = cu.campaign_id AND s.unit_id = cu.unit_id AND s.status IN \(unsafeRaw: Recount.countedStatuses)
            LEFT JOIN initiatives i ON i.campaign_id = s.campaign_id AND i.unit_id = s.unit_id
            WHERE c.campaign_id = \(bind: view.campaign.id) AND c.parent_unit_id = \(bind: view.scope.unitID)
            GROUP BY c.code, c.name, c.pre ORDER BY c.pre
            """).all()
        return try rows.map { row in
            try StageCounts(row).row(sector: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self))
        }
    }
}

extension YearQueue {
    /// One campaign's numbers for a unit (its subtree for a federation), per sector name.
    struct YearNumbers: Sendable {
        var year: Int
        var campaign: String
        /// Sector name → (registered, recognised), in the campaign's order.
        var sectors: [(name: String, registered: Int, recognised: Int)]
        var registered: Int { sectors.reduce(0) { $0 + $1.registered } }
        var recognised: Int { sectors.reduce(0) { $0 + $1.recognised } }
    }

    /// The unit's registered models (as the Biểu tổng hợp counts them) and recognised models,
    /// per sector, in every campaign the user sees whose tree holds the unit, oldest first.
    static func overYears(unitID: UUID, user: CurrentUser, on db: any Database) async throws -> [YearNumbers] {
        // Two statements whatever the number of campaigns: the campaigns in view whose tree
        // holds the unit in the user's part (their heads, no letters) with the unit in each
        // and the campaign's sectors, then its maintained counts (its own, or its subtree's as
        // a federation) and its recognised models, each over every campaign at once.
        let holding = try await Access.campaignHeads(for: user, holding: unitID, on: db).map { found in
            (head: found.head, unit: found.unit, sectors: SectorList.decode(found.sectors))
        }
        guard !holding.isEmpty else { return [] }
        var counted: [String: [UUID: [String: Int]]] = [:]
        for row in try await CountsOverYears(binds: [holding.map(\.head.id), unitID]).all(on: db) {
            counted[try row.decode(column: "what", as: String.self), default: [:]][try row.decode(column: "campaign_id", as: UUID.self), default: [:]][
                try row.decode(column: "sector_code", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let own = counted["own"] ?? [:], rolled = counted["rolled"] ?? [:], recognised = counted["recognised"] ?? [:]
        var out: [YearNumbers] = []
        for (head, unit, sectors) in holding {
            let registered = (unit.kind == .federation ? rolled : own)[head.id] ?? [:]
            let recognisedHere = recognised[head.id] ?? [:]
            out.append(YearNumbers(year: head.year, campaign: head.code, sectors: sectors.map {
                (name: $0.name, registered: registered[$0.code] ?? 0, recognised: recognisedHere[$0.code] ?? 0)
            }))
        }
        return out.sorted { ($0.year, $0.campaign) < ($1.year, $1.campaign) }
    }
}

extension YearQueue {
    /// `overYears`' second statement: the unit's ($2) own counts, its subtree's (a federation's) and
    /// its recognised models, over every campaign ($1, a list) at once. The recognised ones
    /// are walked from the unit down its subtree to its initiatives, in that order (CROSS JOIN
    /// keeps it on SQLite): SQLite's own choice began at the campaign's initiatives, all
    /// 60,000 of a city's for one CĐCS's page (140 ms).
    struct CountsOverYears: HotStatement {
        private static func text(_ inCampaigns: String) -> String {
            func registered(_ what: String, _ table: String) -> String {
                """
                SELECT '\(what)' AS what, campaign_id, sector_code, collective_initiatives + individual_initiatives AS n FROM \(table)
                WHERE campaign_id \(inCampaigns) AND unit_id = $2 AND sector_code <> ''
                """
            }
            return """
                \(registered("own", "summary_counts"))
                UNION ALL
                \(registered("rolled", "rollup_counts"))
                UNION ALL
                SELECT 'recognised' AS what, i.campaign_id, i.sector_code, COUNT(DISTINCT i.id) AS n
                FROM campaign_units me CROSS JOIN campaign_units cu CROSS JOIN initiatives i
                WHERE me.campaign_id \(inCampaigns) AND me.unit_id = $2
                  AND cu.campaign_id = me.campaign_id AND cu.pre BETWEEN me.pre AND me.last
                  AND i.campaign_id = cu.campaign_id AND i.unit_id = cu.unit_id
                  AND EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = i.id)
                GROUP BY i.campaign_id, i.sector_code
                """
        }
        static let sql = text("= ANY($1)")
        static let sqliteSQL = text("IN $1")
        let binds: [(any HotValue)?]
    }
}

extension YearQueue {
    /// A unit's models recognised in campaigns of earlier years, newest first: what it is
    /// offered to continue when a new campaign opens.
    static func recognisedEarlier(unitID: UUID, before campaign: CampaignInfo, on db: any Database) async throws -> [(id: UUID, year: Int, title: String)] {
        try await RecognisedEarlier(binds: [unitID, campaign.year]).all(on: db).map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "year", as: Int.self), try $0.decode(column: "title", as: String.self)) }
    }

    /// A unit's ($1) models recognised in campaigns before a year ($2): the unit page. From
    /// the unit's places in campaigns' trees (`campaign_units_unit`; a unit registers only in
    /// a campaign whose tree holds it, and a tree's rows are never deleted) to its initiatives
    /// there: no index leads with `initiatives.unit_id`, and the whole table was read (20 ms
    /// at 60,000 initiatives).
    struct RecognisedEarlier: HotStatement {
        static let sql = """
            SELECT i.id, c.year, i.title FROM campaign_units cu CROSS JOIN campaigns c CROSS JOIN initiatives i
            WHERE cu.unit_id = $1 AND c.id = cu.campaign_id AND c.year < $2
              AND i.campaign_id = cu.campaign_id AND i.unit_id = $1
              AND EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = i.id)
            ORDER BY c.year DESC, i.title LIMIT 50
            """
        let binds: [(any HotValue)?]
    }
}
