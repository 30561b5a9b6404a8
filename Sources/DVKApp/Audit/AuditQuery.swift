import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Reading the trail: the audit page, its export, the API, `dvk audit` and the history
/// sections of pages. Every read is scoped by the caller (`units`: the live subtree of the
/// caller's unit, nil for the whole trail) and pages by a cursor on (at, id), newest first,
/// so page 400 costs what page 1 does.
enum AuditQuery {
    struct Filter: Sendable, Equatable {
        /// The units whose events may be read; nil: every event (an administrator, the CLI).
        var units: [UUID]?
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

        var text: String { "\(millis)_\(id.uuidString)" }

        init(millis: Int64, id: UUID) {
            self.millis = millis
            self.id = id
        }

        init?(_ text: String) {
            let parts = text.split(separator: "_")
            guard parts.count == 2, let m = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else { return nil }
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
        var conditions: [SQLQueryString] = []
        if let units = filter.units {
            guard !units.isEmpty else { return [] }
            if sql.dialect.name == "postgresql" {
                conditions.append("e.unit_id = ANY(\(bind: units))")
            } else {
                conditions.append("e.unit_id IN (\(SQLList(units.map { SQLBind($0) })))")
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
        let rows = try await sql.raw("""
            SELECT \(unsafeRaw: columns), u.code AS unit_code, u.name AS unit_name
            FROM audit_events e LEFT JOIN units u ON u.id = e.unit_id
            \(whereClause) ORDER BY e.at DESC, e.id DESC LIMIT \(unsafeRaw: String(max(1, min(limit, AuditTrail.exportLimit))))
            """).all()
        return try rows.map { row in
            Line(event: try AuditTrail.event(row), unitCode: try row.decodeNil(column: "unit_code") ? "" : try row.decode(column: "unit_code", as: String.self),
                 unitName: try row.decodeNil(column: "unit_name") ? "" : try row.decode(column: "unit_name", as: String.self))
        }
    }

    /// The cursor after a page's last line.
    static func cursor(after line: Line) -> Cursor {
        Cursor(millis: AuditSeal.millis(line.event.at), id: line.event.id)
    }

    /// The units `user` may read the trail of: nil for an administrator (everything, the
    /// events of no unit included), else the live subtree of their unit (ended units kept).
    static func scope(of user: CurrentUser, on db: any Database) async throws -> [UUID]? {
        if user.role == .admin { return nil }
        return Array(try await PeopleDirectory.subtree(of: user.unitID, on: db)).sorted { $0.uuidString < $1.uuidString }
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
        try await db.sql().raw("""
            SELECT \(unsafeRaw: AuditTrail.readColumns) FROM audit_events
            WHERE campaign_id = \(bind: campaignID) AND unit_id = \(bind: unitID)
            ORDER BY at DESC, seq DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map(AuditTrail.event)
    }

    /// A unit's own events (its fields, its accounts), newest first.
    static func history(unitID: UUID, limit: Int = 100, on db: any Database) async throws -> [AuditTrail.Event] {
        try await db.sql().raw("""
            SELECT \(unsafeRaw: AuditTrail.readColumns) FROM audit_events
            WHERE unit_id = \(bind: unitID) AND campaign_id IS NULL
            ORDER BY at DESC, seq DESC LIMIT \(unsafeRaw: String(limit))
            """).all().map(AuditTrail.event)
    }
}
