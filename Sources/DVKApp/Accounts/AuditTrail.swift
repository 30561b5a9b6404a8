import DVKCore
import FluentKit
import Foundation
import SQLKit
import Vapor

/// Who does something: a signed-in person (named with their role and unit), the person an
/// invitation or a reset link names, or the CLI (with the operating system's user).
struct Actor: Sendable, Equatable {
    var userID: UUID?
    var role: Role
    var unitID: UUID?
    /// As the trail shows it: "Nguyễn Thị Hoa (Cán bộ công đoàn cấp trên, Liên đoàn …)".
    var label: String
    var address: String
    var requestID: String

    static func person(_ user: CurrentUser, _ req: Request) -> Actor {
        Actor(userID: user.id, role: user.role, unitID: user.unitID,
              label: "\(user.displayName) (\(user.role.label), \(user.unitName))", address: req.clientAddress, requestID: req.requestID)
    }

    /// The CLI acts as an administrator: whoever runs it holds the server.
    static var cli: Actor {
        let os = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "?"
        return Actor(userID: nil, role: .admin, unitID: nil, label: "\(Actors.cliLabel) — tài khoản máy chủ \(os)", address: "", requestID: "")
    }
}

/// Who a history line names when no person of DVK acted: the server's command line, or
/// the demo's sample data. One place says how each is shown.
enum Actors {
    /// A step taken by `dvk` on the server's command line (an import, a re-sync).
    static let cli = "dvk-cli"
    /// A step of the demo's sample data (`dvk demo`).
    static let demo = "dvk-demo"
    static let cliLabel = "Quản trị hệ thống (dòng lệnh)"

    /// The name a history shows for `actor`, given the people DVK knows by username.
    static func label(_ actor: String, people: [String: String]) -> String {
        if let name = people[actor] { return name }
        switch actor {
        case cli, "cli": return cliLabel
        case demo, "demo": return "Dữ liệu mẫu (lệnh dvk demo)"
        default: return actor
        }
    }
}

extension Request {
    /// The request's id, as the log and `X-Request-Id` carry it.
    var requestID: String {
        if case .string(let id)? = logger[metadataKey: "request-id"] { return id }
        return ""
    }
}

/// The trail of what people and commands did: one append-only row an event, written in
/// the transaction of the change itself. Accounts' events first (issue 24 grows it).
enum AuditTrail {
    struct Event: Sendable, Equatable {
        var at: Date
        var actor: String
        var address: String
        var requestID: String
        var action: String
        var details: [String: String]

        /// The action in a clerk's words.
        var label: String { AuditTrail.labels[action] ?? action }
    }

    static let labels: [String: String] = [
        "account.created": "Tạo tài khoản (đặt mật khẩu từ dòng lệnh)",
        "account.invited": "Tạo tài khoản và gửi lời mời",
        "account.invitation_resent": "Gửi lại lời mời (liên kết cũ hết hiệu lực)",
        "account.invitation_revoked": "Thu hồi lời mời",
        "account.invitation_accepted": "Nhận lời mời, đặt mật khẩu",
        "account.reset_requested": "Yêu cầu đặt lại mật khẩu (Quên mật khẩu)",
        "account.reset_issued": "Cấp liên kết đặt lại mật khẩu",
        "account.password_reset": "Đặt lại mật khẩu bằng liên kết",
        "account.password_changed": "Đổi mật khẩu",
        "account.disabled": "Khóa tài khoản",
        "account.enabled": "Mở khóa tài khoản",
        "account.changed": "Sửa thông tin tài khoản",
        "account.two_factor_enabled": "Bật xác thực hai lớp",
        "account.two_factor_reset": "Đặt lại xác thực hai lớp",
        "account.recovery_code_used": "Đăng nhập bằng mã khôi phục",
        "unit.dissolved": "Giải thể đơn vị",
        "unit.merged": "Sáp nhập đơn vị",
    ]

    static func record(_ action: String, kind: String = "account", id: UUID, unitID: UUID?, details: [String: String] = [:],
                       by actor: Actor, at now: Date, on db: any Database) async throws {
        let text = details.isEmpty ? "" : String(decoding: (try? JSONCoding.encoder().encode(details)) ?? Data(), as: UTF8.self)
        try await db.sql().insert(into: "audit_events")
            .columns("id", "at", "actor_id", "actor", "address", "request_id", "object_kind", "object_id", "unit_id", "action", "details")
            .values(SQLBind(UUID()), SQLBind(now), SQLBind(actor.userID), SQLBind(actor.label), SQLBind(actor.address), SQLBind(actor.requestID),
                    SQLBind(kind), SQLBind(id.uuidString), SQLBind(unitID), SQLBind(action), SQLBind(text))
            .run()
    }

    /// An object's events, newest first.
    static func events(kind: String = "account", id: UUID, limit: Int = 200, on db: any Database) async throws -> [Event] {
        try await db.sql().raw("""
            SELECT object_id, at, actor, address, request_id, action, details FROM audit_events
            WHERE object_kind = \(bind: kind) AND object_id = \(bind: id.uuidString) ORDER BY at DESC, id LIMIT \(unsafeRaw: String(limit))
            """).all().map { try event($0).event }
    }

    /// The most events an export holds, newest first (the file says when it stops there).
    static let exportLimit = 100_000

    /// The events of the accounts `ids` (every account when nil), newest first, at most
    /// `limit`, each with the account's id.
    static func events(ofAccounts ids: Set<UUID>?, limit: Int = exportLimit, on db: any Database) async throws -> [(object: UUID, event: Event)] {
        let sql = try db.sql()
        let columns = "SELECT object_id, at, actor, address, request_id, action, details FROM audit_events WHERE object_kind = 'account'"
        var out: [(object: UUID, event: Event)] = []
        if let ids {
            // In slices, so that no statement carries more values than a database takes.
            let all = ids.map(\.uuidString).sorted()
            for start in stride(from: 0, to: all.count, by: 500) {
                let slice = all[start..<min(all.count, start + 500)]
                out += try await sql.raw("""
                    \(unsafeRaw: columns) AND object_id IN (\(SQLList(slice.map { SQLBind($0) }))) ORDER BY at DESC LIMIT \(unsafeRaw: String(limit))
                    """).all().map(event)
            }
            out.sort { $0.event.at > $1.event.at }
            return Array(out.prefix(limit))
        }
        return try await sql.raw("\(unsafeRaw: columns) ORDER BY at DESC LIMIT \(unsafeRaw: String(limit))").all().map(event)
    }

    private static func event(_ row: any SQLRow) throws -> (object: UUID, event: Event) {
        let text = try row.decode(column: "details", as: String.self)
        let event = Event(at: try row.decode(column: "at", as: Date.self), actor: try row.decode(column: "actor", as: String.self),
                          address: try row.decode(column: "address", as: String.self), requestID: try row.decode(column: "request_id", as: String.self),
                          action: try row.decode(column: "action", as: String.self),
                          details: (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:])
        return (UUID(uuidString: try row.decode(column: "object_id", as: String.self)) ?? UUID(), event)
    }
}
