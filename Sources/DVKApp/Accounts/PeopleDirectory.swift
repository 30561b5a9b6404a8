import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The accounts someone may see: an administrator every account, federation staff those of
/// their unit's subtree. Read whole and filtered in memory (a city's few thousand accounts;
/// a national installation would page in SQL), like the unit search.
enum PeopleDirectory {
    struct Person: Sendable, Equatable {
        var id: UUID
        var username: String
        var displayName: String
        var role: Role
        var unitID: UUID
        var unitCode: String
        var unitName: String
        var unitKind: UnitKind
        /// The unit was dissolved or merged (the account was disabled then).
        var unitEnded: Bool
        var email: String
        var phone: String
        var title: String
        var disabled: Bool
        var passwordSetAt: Date?
        var lastLoginAt: Date?
        var loginCount: Int
        var createdAt: Date?
        /// The end of the live invitation or reset link, if any.
        var linkUntil: Date?
        var twoFactor: Bool

        func status(at now: Date) -> AccountStatus {
            AccountStatus.of(disabled: disabled, passwordSet: passwordSetAt != nil, invitationLiveUntil: linkUntil, now: now)
        }

        /// Never signed in (and active or invited): worth a call.
        var neverUsed: Bool { lastLoginAt == nil }
    }

    struct Filter: Sendable, Equatable {
        var unit = ""
        var role: Role?
        var status: AccountStatus?
        /// Only the accounts of units dissolved or merged.
        var ended = false
        var query = ""
        var page = 1
    }

    /// Every account in `user`'s reach, by unit then name.
    static func accounts(for user: CurrentUser, on db: any Database) async throws -> [Person] {
        let rows = try await db.sql().raw("""
            SELECT u.id, u.username, u.display_name, u.role, u.unit_id, n.code, n.name AS unit_name, n.kind, n.ended_at, u.email, u.phone, u.title,
                   u.disabled, u.password_set_at, u.last_login_at, u.login_count, u.created_at, u.totp_enabled_at,
                   (SELECT MAX(i.expires_at) FROM invitations i WHERE i.user_id = u.id AND i.used_at IS NULL AND i.revoked_at IS NULL) AS link_until
            FROM users u JOIN units n ON n.id = u.unit_id
            """).all()
        let inside: Set<UUID>? = user.role == .admin ? nil : try await subtree(of: user.unitID, on: db)
        var out: [Person] = []
        for row in rows {
            let unitID = try row.decode(column: "unit_id", as: UUID.self)
            if let inside, !inside.contains(unitID) { continue }
            func date(_ column: String) throws -> Date? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: Date.self) }
            out.append(Person(id: try row.decode(column: "id", as: UUID.self), username: try row.decode(column: "username", as: String.self),
                              displayName: try row.decode(column: "display_name", as: String.self),
                              role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer, unitID: unitID,
                              unitCode: try row.decode(column: "code", as: String.self), unitName: try row.decode(column: "unit_name", as: String.self),
                              unitKind: UnitKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .grassroots,
                              unitEnded: try date("ended_at") != nil,
                              email: try row.decode(column: "email", as: String.self), phone: try row.decode(column: "phone", as: String.self),
                              title: try row.decode(column: "title", as: String.self), disabled: try row.decode(column: "disabled", as: Bool.self),
                              passwordSetAt: try date("password_set_at"), lastLoginAt: try date("last_login_at"),
                              loginCount: try row.decode(column: "login_count", as: Int.self), createdAt: try date("created_at"),
                              linkUntil: try date("link_until"), twoFactor: try date("totp_enabled_at") != nil))
        }
        return out.sorted { ($0.unitName, $0.displayName, $0.username) < ($1.unitName, $1.displayName, $1.username) }
    }

    /// A unit and every unit below it.
    static func subtree(of unitID: UUID, on db: any Database) async throws -> Set<UUID> {
        Set(UnitEditor.subtree(of: unitID, in: try await UnitDirectory.allNodes(includingEnded: true, on: db)))
    }

    /// The accounts matching `filter` (the unit's subtree, role, status, a search without
    /// diacritics in the name, username, email and unit).
    static func matching(_ people: [Person], _ filter: Filter, subtreeOf unit: Set<UUID>?, at now: Date) -> [Person] {
        let key = VietnameseText.searchKey(filter.query)
        return people.filter { p in
            if let unit, !unit.contains(p.unitID) { return false }
            if let role = filter.role, p.role != role { return false }
            if let status = filter.status, p.status(at: now) != status { return false }
            if filter.ended, !p.unitEnded { return false }
            if !key.isEmpty {
                let text = VietnameseText.searchKey([p.displayName, p.username, p.email, p.unitName, p.unitCode].joined(separator: " "))
                if !text.contains(key) { return false }
            }
            return true
        }
    }

    /// One account of `user`'s reach, or "not found".
    static func person(_ id: UUID, for user: CurrentUser, on db: any Database) async throws -> Person {
        guard let person = try await accounts(for: user, on: db).first(where: { $0.id == id }) else { throw AccountStore.notFound }
        return person
    }

    /// Sessions still open (neither idle too long nor past their lifetime).
    static func liveSessions(of id: UUID, policy: SessionPolicy, at now: Date, on db: any Database) async throws -> Int {
        try await db.sql().raw("""
            SELECT COUNT(*) AS n FROM sessions WHERE user_id = \(bind: id) AND expires_at > \(bind: now)
              AND last_seen_at > \(bind: now.addingTimeInterval(-policy.idle))
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Grassroots unions below `unitID` that have an email and no officer account yet: what
    /// "Tạo tài khoản cho các đơn vị chưa có tài khoản" offers.
    static func unitsWithoutOfficer(below unitID: UUID, on db: any Database) async throws -> [(id: UUID, code: String, name: String, email: String)] {
        let inside = try await subtree(of: unitID, on: db)
        let rows = try await db.sql().raw("""
            SELECT n.id, n.code, n.name, n.email FROM units n WHERE n.kind = 'grassroots' AND n.email <> '' AND n.ended_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM users u WHERE u.unit_id = n.id AND u.role = 'officer' AND u.disabled = \(bind: false))
            ORDER BY n.name, n.code
            """).all()
        return try rows.compactMap { row in
            let id = try row.decode(column: "id", as: UUID.self)
            guard inside.contains(id) else { return nil }
            return (id, try row.decode(column: "code", as: String.self), try row.decode(column: "name", as: String.self),
                    try row.decode(column: "email", as: String.self))
        }
    }
}
