import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Many accounts at once (the accounts spreadsheet, one per unit without one, `dvk user
/// import`): checked row by row as `AccountImport.plan` reads them, then made in one write
/// transaction, all or none, each with its invitation (mailed when it can be) and its
/// event. Names and addresses already taken are bad lines too.
enum AccountImporter {
    struct Made: Sendable {
        var line: Int
        var draft: AccountDraft
        var unitName: String
        var invited: AccountStore.Invited
    }

    /// Reads `table` with the actor's reach (an administrator's is every unit), and makes
    /// its accounts; `dryRun` checks everything and makes nothing.
    static func run(_ table: CSVTable, by actor: Actor, config: AppConfig, at now: Date, dryRun: Bool = false, once: String? = nil,
                    on db: any Database) async throws -> [Made] {
        let nodes = try await UnitDirectory.allNodes(on: db)
        let inside: Set<UUID>? = actor.unitID.map { UnitEditor.subtree(of: $0, in: nodes) }
        var units: [String: AccountImport.UnitPlace] = [:]
        for node in nodes {
            let reach: Reach = node.id == actor.unitID ? .own : (inside.map { $0.contains(node.id) } ?? true) ? .below : .outside
            if reach == .outside, actor.role != .admin { continue }
            units[node.code] = AccountImport.UnitPlace(kind: node.kind, reach: reach)
        }
        let places = units, role = actor.role
        let rows = try await HeavyWork.rows(table.records.count) { try AccountImport.plan(table, units: places, by: role) }
        return try await make(rows.map { ($0.line, $0.draft) }, by: actor, config: config, at: now, dryRun: dryRun, once: once, on: db)
    }

    /// Makes checked accounts in one transaction; a name or address taken (in the database
    /// or twice here) names its line, and nothing is made.
    static func make(_ rows: [(line: Int, draft: AccountDraft)], by actor: Actor, config: AppConfig, at now: Date, dryRun: Bool = false,
                     once: String? = nil, on db: any Database) async throws -> [Made] {
        let unitsByCode = Dictionary(try await UnitDirectory.allNodes(on: db).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let expires = now.addingTimeInterval(Double(config.invitationDays) * 86_400)
        return try await db.write { db in
            if !dryRun { try await FormOnce.spend(once, at: now, on: db) }
            let sql = try db.sql()
            var usernames = Set(try await sql.raw("SELECT username FROM users").all().map { try $0.decode(column: "username", as: String.self) })
            var emails = Set(try await sql.raw("SELECT email_key FROM users WHERE email_key IS NOT NULL").all()
                .map { try $0.decode(column: "email_key", as: String.self) })
            var made: [Made] = []
            var errors: [LineError] = []
            var users: [[any Encodable & Sendable]] = [], links: [[any Encodable & Sendable]] = [], events: [AuditTrail.Entry] = []
            var mail: [OutboxDraft] = []
            for (line, draft) in rows {
                guard let unit = unitsByCode[draft.unitCode] else { errors.append(LineError(line: line, reasons: ["không có đơn vị \(draft.unitCode)"])); continue }
                var username = draft.username ?? draft.usernameBase
                if draft.username != nil, usernames.contains(username) {
                    errors.append(LineError(line: line, reasons: ["đã có tài khoản tên đăng nhập \(username)"]))
                    continue
                }
                if draft.username == nil, usernames.contains(username) {
                    var n = 2
                    while usernames.contains(username + String(n)) { n += 1 }
                    username += String(n)
                }
                let key = draft.email.lowercased()
                if !key.isEmpty, emails.contains(key) {
                    errors.append(LineError(line: line, reasons: ["email \(draft.email) đã dùng cho một tài khoản khác"]))
                    continue
                }
                usernames.insert(username)
                if !key.isEmpty { emails.insert(key) }
                let userID = UUID.random()
                let link = AccountStore.OneTimeLink(purpose: .invite, token: Tokens.random(), userID: userID, expiresAt: expires)
                users.append([userID, username, draft.fullName, "", draft.role.rawValue, unit.id, false, now, draft.email,
                              key.isEmpty ? nil : key, false, draft.title, draft.phone, 0, Int64(0)])
                links.append([UUID.random(), userID, link.purpose.rawValue, Tokens.hash(link.token), now, expires, actor.label])
                let message = AccountStore.message(link, name: draft.fullName, username: username, email: draft.email, role: draft.role,
                                                   unitName: unit.name, unitID: unit.id, config: config, at: now)
                if let message { mail.append(message) }
                let details = ["Tên đăng nhập": username, "Họ và tên": draft.fullName, "Vai trò": draft.role.label, "Đơn vị": unit.name,
                               "Email": draft.email, "Lời mời": message != nil ? "gửi qua email" : "trao tay (liên kết hoặc thư in)"]
                events.append(AuditTrail.Entry("account.invited", .account, id: userID, label: "\(draft.fullName) (\(username))", unit: unit.id,
                                               details: details))
                made.append(Made(line: line, draft: draft, unitName: unit.name,
                                 invited: AccountStore.Invited(userID: userID, username: username, link: link, emailed: message != nil)))
            }
            if !errors.isEmpty { throw DomainError.badFile(errors) }
            if dryRun { return made }
            try await BulkInsert.run(db, into: "users", columns: ["id", "username", "display_name", "password_hash", "role", "unit_id", "disabled",
                                                                  "created_at", "email", "email_key", "daily_digest", "title", "phone",
                                                                  "login_count", "totp_last_step"], rows: users)
            try await BulkInsert.run(db, into: "invitations", columns: ["id", "user_id", "purpose", "token_hash", "created_at", "expires_at",
                                                                        "created_by"], rows: links)
            try await AuditTrail.record(events, by: actor, at: now, on: db)
            try await Outbox.enqueue(mail, at: now, on: db)
            return made
        }
    }
}
