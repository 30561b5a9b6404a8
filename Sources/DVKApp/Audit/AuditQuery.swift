import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Reading the trail: the audit page, its export, the API, `dvk audit` and the history
/// sections of pages. Every read is scoped by the caller (`subtree`: the root of the live
/// subtree whose events may be read, walked in the query itself, so that the scope of a
/// national federation costs one statement and no list of 100,000 ids; nil for the whole
/// trail) and pages by a cursor on (at, id), newest first, so page 400 costs what page 1
/// does.
enum AuditQuery {
    struct Filter: Sendable, Equatable {
        /// The unit whose live subtree's events may be read (ended units kept); nil: every
        /// event (an administrator, the CLI).
        var subtree: UUID?
        /// Nothing may be read (a filter named something out of reach).
        var nothing = false
        var actorID: UUID?
        var kind: AuditObjectKind?
        var action: String?
        var campaignID: UUID?
        var objectID: String?
        var since: Date?
        var until: Date?
        /// Without diacritics, any part of who, what and the values.
        var search = ""
        /// The last event of the page before (older events follow).
        var before: Cursor?
    }

    /// Where a page ends: its last event's instant (ms) and id.
    struct Cursor: Sendable, Equatable {
        var millis: Int64
        var id: UUID

        var text: String { "\(millis)_\(id.canonicalText)" }

        /// 9999-12-31T23:59:59.999Z.
        static let lastMillis: Int64 = 253_402_300_799_999

        init(millis: Int64, id: UUID) {
            self.millis = millis
            self.id = id
        }

        init?(_ text: String) {
            let parts = text.split(separator: "_")
            // An instant DVK could have written: from 1970 to the end of year 9999. Beyond it,
            // a date the database drivers convert to microseconds would overflow.
            guard parts.count == 2, let m = Int64(parts[0]), (0...Self.lastMillis).contains(m),
                  let id = UUID(uuidString: String(parts[1])) else { return nil }
            millis = m
            self.id = id
        }
    }

    /// An event with the unit it belongs to, as the lists show it.
    struct Line: Sendable, Equatable {
        var event: AuditTrail.Event
        var unitCode: String
        var unitName: String
    }

    static let maxSearch = 100

    /// At most `limit` events matching `filter`, newest first.
    static func lines(_ filter: Filter, limit: Int, on db: any Database) async throws -> [Line] {
        let sql = try db.sql()
        guard !filter.nothing else { return [] }
        var conditions: [SQLQueryString] = []
        var scopeCTE: SQLQueryString = ""
        if let root = filter.subtree {
            switch try await plan(root, sql: sql) {
            case .everyUnit:
                conditions.append("e.unit_id IS NOT NULL")
            case .dense:
                // The live tree, walked down from the root (ended units keep their parent);
                // the newest events by the time index, each one's unit looked up in a hash of
                // the scope (PostgreSQL never turns a NOT IN into a join, so it hashes it; on
                // SQLite the unary + keeps another index from leading).
                scopeCTE = walk(from: root)
                conditions.append(sql.dialect.name == "postgresql" ? "NOT (e.unit_id NOT IN (SELECT id FROM scope))" : "+e.unit_id IN (SELECT id FROM scope)")
            case .chains(let chains):
                // A small scope: its units' chains by the chain index, then the newest of them.
                if sql.dialect.name == "postgresql" {
                    conditions.append("e.chain = ANY(\(bind: chains))")
                } else {
                    conditions.append("e.chain IN (\(SQLList(chains.map { SQLBind($0) })))")
                }
            }
        }
        if let actor = filter.actorID { conditions.append("e.actor_id = \(bind: actor)") }
        if let kind = filter.kind { conditions.append("e.object_kind = \(bind: kind.rawValue)") }
        if let action = filter.action, !action.isEmpty { conditions.append("e.action = \(bind: action)") }
        if let campaign = filter.campaignID { conditions.append("e.campaign_id = \(bind: campaign)") }
        if let object = filter.objectID { conditions.append("e.object_id = \(bind: object)") }
        if let since = filter.since { conditions.append("e.at >= \(bind: since)") }
        if let until = filter.until { conditions.append("e.at < \(bind: until)") }
        let key = VietnameseText.searchKey(String(filter.search.prefix(maxSearch)))
        if !key.isEmpty {
            // The key is matched literally: LIKE's own characters are escaped.
            let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            conditions.append("e.search_key LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'")
        }
        if let before = filter.before {
            let at = Date(timeIntervalSince1970: Double(before.millis) / 1000)
            conditions.append("(e.at < \(bind: at) OR (e.at = \(bind: at) AND e.id < \(bind: before.id)))")
        }
        var whereClause: SQLQueryString = ""
        if !conditions.isEmpty {
            whereClause = "WHERE "
            for (i, c) in conditions.enumerated() {
                if i > 0 { whereClause = whereClause + " AND " }
                whereClause = whereClause + c
            }
        }
        let columns = AuditTrail.readColumns.split(separator: ",").map { "e." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        // The page first, then the units of its lines only.
        let rows = try await sql.raw("""
            \(scopeCTE)
            SELECT \(unsafeRaw: columns), u.code AS unit_code, u.name AS unit_name
            FROM (SELECT * FROM audit_events e \(whereClause) ORDER BY e.at DESC, e.id DESC
                  LIMIT \(unsafeRaw: String(max(1, min(limit, AuditTrail.exportLimit))))) e
            LEFT JOIN units u ON u.id = e.unit_id ORDER BY e.at DESC, e.id DESC
            """).all()
        return try rows.map { row in
            Line(event: try AuditTrail.event(row), unitCode: try row.decodeNil(column: "unit_code") ? "" : try row.decode(column: "unit_code", as: String.self),
                 unitName: try row.decodeNil(column: "unit_name") ? "" : try row.decode(column: "unit_name", as: String.self))
        }
    }

    /// How a subtree is read: every unit (the root of the only tree: no list at all), dense
    /// (a fiftieth of all units or more: the newest events are found by the time index within
    /// a few thousand rows), or its units' chains (a smaller scope: its own events, by the
    /// chain index, fewer than a fiftieth of the trail's). Measured at 126,000 units and
    /// 1,000,000 events on PostgreSQL (`dvk bench audit`): a province (3,621 units) dense
    /// 43 ms against 56 ms by its units; a ward (180) by its chains 23–71 ms against 45 ms
    /// dense and more under a filter; the whole tree as a list of its ids: minutes.
    enum Plan: Equatable {
        case everyUnit
        case dense
        case chains([String])
    }

    static func plan(_ root: UUID, sql: any SQLDatabase) async throws -> Plan {
        let top = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM units WHERE parent_id IS NULL) AS roots,
                   (SELECT COUNT(*) FROM units WHERE id = \(bind: root) AND parent_id IS NULL) AS top
            """).first()
        if try top?.decode(column: "roots", as: Int.self) == 1, try top?.decode(column: "top", as: Int.self) == 1 { return .everyUnit }
        let walk = walk(from: root)
        let size = try await sql.raw("\(walk) SELECT (SELECT COUNT(*) FROM scope) AS s, (SELECT COUNT(*) FROM units) AS t").first()
        let s = try size?.decode(column: "s", as: Int.self) ?? 0, t = try size?.decode(column: "t", as: Int.self) ?? 0
        if s * 50 >= t { return .dense }
        // A chain is its unit's id as text (`AuditTrail.record`).
        return .chains(try await sql.raw("\(walk) SELECT id FROM scope").all().map { try $0.decode(column: "id", as: UUID.self).canonicalText })
    }

    /// `scope(id)`: the live subtree under `root`, walked down `units.parent_id` (ended
    /// units keep their parent), at most 64 levels.
    static func walk(from root: UUID) -> SQLQueryString {
        """
        WITH RECURSIVE scope(id, depth) AS (
            SELECT id, 0 FROM units WHERE id = \(bind: root)
            UNION ALL
            SELECT u.id, scope.depth + 1 FROM units u JOIN scope ON u.parent_id = scope.id WHERE scope.depth < 64
        )
        """
    }

    /// The cursor after a page's last line.
    static func cursor(after line: Line) -> Cursor {
        Cursor(millis: AuditSeal.millis(line.event.at), id: line.event.id)
    }

    /// The root of what `user` may read of the trail: nil for an administrator (everything,
    /// the events of no unit included), else their unit (its live subtree).
    static func scope(of user: CurrentUser) -> UUID? {
        user.role == .admin ? nil : user.unitID
    }

    /// Whether `unitID` is within `user`'s reach of the trail.
    static func reaches(_ unitID: UUID, for user: CurrentUser, on db: any Database) async throws -> Bool {
        user.role == .admin ? true : try await Access.isWithin(unitID, of: user, on: db)
    }

    /// Events of one object (or of a unit in a campaign), newest first: the history sections.
    static func history(kinds: [AuditObjectKind], objectID: String, limit: Int = 100, on db: any Database) async throws -> [AuditTrail.Event] {
        try await db.sql().raw("""
            SELECT \(unsafeRaw: AuditTrail.readColumns) FROM audit_events
            WHERE object_id = \(bind: objectID) AND object_kind IN (\(SQLList(kinds.map { SQLBind($0.rawValue) })))
            ORDER BY at DESC, seq DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map(AuditTrail.event)
    }

    /// A unit's events in one campaign (its registration, its initiatives, its models).
    static func history(campaignID: UUID, unitID: UUID, limit: Int = 100, on db: any Database) async throws -> [AuditTrail.Event] {
        try await UnitInCampaign(binds: [unitID.canonicalText, campaignID, limit]).all(on: db).map(AuditTrail.event)
    }

    /// A unit's chain ($1) in a campaign ($2), newest first, at most $3: the unit page.
    struct UnitInCampaign: HotStatement {
        static let sql = "SELECT \(AuditTrail.readColumns) FROM audit_events WHERE chain = $1 AND campaign_id = $2 ORDER BY seq DESC LIMIT $3"
        let binds: [(any HotValue)?]
    }

    /// A campaign's own events, in its issuer's chain (its fields, state, tree, report notes,
    /// the issuer's reminder runs), newest first.
    static func history(campaignID: UUID, issuerID: UUID, kinds: [AuditObjectKind], limit: Int = 100, on db: any Database) async throws -> [AuditTrail.Event] {
        try await CampaignOwn(binds: [issuerID.canonicalText, campaignID, kinds.map(\.rawValue), limit]).all(on: db).map(AuditTrail.event)
    }

    /// A campaign's ($2) events in its issuer's chain ($1) of the kinds $3 (a list), newest
    /// first, at most $4.
    struct CampaignOwn: HotStatement {
        private static let select = "SELECT \(AuditTrail.readColumns) FROM audit_events WHERE chain = $1 AND campaign_id = $2 AND object_kind"
        static let sql = select + " = ANY($3) ORDER BY seq DESC LIMIT $4"
        static let sqliteSQL = select + " IN $3 ORDER BY seq DESC LIMIT $4"
        let binds: [(any HotValue)?]
    }

    /// A unit's own events (its fields, its accounts), newest first.
    static func history(unitID: UUID, limit: Int = 100, on db: any Database) async throws -> [AuditTrail.Event] {
        try await db.sql().raw("""
            SELECT \(unsafeRaw: AuditTrail.readColumns) FROM audit_events
            WHERE chain = \(bind: unitID.canonicalText) AND campaign_id IS NULL
            ORDER BY seq DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map(AuditTrail.event)
    }
}
