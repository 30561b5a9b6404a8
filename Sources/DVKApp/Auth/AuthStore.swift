import DVKCore
import FluentKit
import Foundation
import SQLKit
import Fluent
import Vapor

/// Sign-in, browser sessions, API tokens and the login throttle, all in the database so
/// several app servers behind one PostgreSQL share them.
enum AuthStore {
    static let sessionLifetime: TimeInterval = 12 * 3600
    static let cookieName = "dvk_session"

    // MARK: Users

    static func createUser(username: String, password: String, role: Role, unitCode: String,
                           displayName: String? = nil, on db: any Database) async throws -> User {
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        guard Code.validate(name) != nil else {
            throw DomainError.invalid("Tên đăng nhập “\(username)” không hợp lệ (chữ không dấu, số, - _ .).")
        }
        guard password.count >= 8 else { throw DomainError.invalid("Mật khẩu cần ít nhất 8 ký tự.") }
        let unit = try await UnitDirectory.find(code: unitCode, on: db)
        if role == .officer, unit.kind != .grassroots {
            throw DomainError.invalid("Cán bộ công đoàn cơ sở phải thuộc một công đoàn cơ sở, không phải “\(unit.code)”.")
        }
        if role == .staff, unit.kind != .federation {
            throw DomainError.invalid("Cán bộ liên đoàn phải thuộc một liên đoàn, không phải “\(unit.code)”.")
        }
        if try await User.query(on: db).filter(\.$username == name).count() > 0 {
            throw DomainError.conflict("Đã có người dùng “\(name)”.")
        }
        let hash = try Bcrypt.hash(password, cost: 10)
        let user = User(username: name, displayName: displayName ?? name, passwordHash: hash, role: role, unitID: unit.id!)
        try await user.create(on: db)
        return user
    }

    // MARK: Throttle

    static let userLimit = 5
    static let addressLimit = 20
    static let window: TimeInterval = 15 * 60

    /// When the account or the address is locked, the instant it opens again.
    static func lockedUntil(username: String, address: String, now: Date, on db: any Database) async throws -> Date? {
        let rows = try await db.sql().select().columns("key", "locked_until").from("login_failures")
            .where("key", .in, ["user:" + username.lowercased(), "ip:" + address]).all()
        let until = try rows.compactMap { try $0.decodeNil(column: "locked_until") ? nil : $0.decode(column: "locked_until", as: Date.self) }
            .filter { $0 > now }.max()
        return until
    }

    static func recordFailure(username: String, address: String, now: Date, on db: any Database) async throws {
        for (key, limit) in [("user:" + username.lowercased(), userLimit), ("ip:" + address, addressLimit)] {
            let sql = try db.sql()
            let row = try await sql.select().columns("failures", "window_start").from("login_failures").where("key", .equal, key).first()
            if let row {
                let start = try row.decode(column: "window_start", as: Date.self)
                var failures = try row.decode(column: "failures", as: Int.self)
                var windowStart = start
                if now.timeIntervalSince(start) > window { failures = 0; windowStart = now }
                failures += 1
                let locked: Date? = failures >= limit ? now.addingTimeInterval(window) : nil
                try await sql.update("login_failures")
                    .set("failures", to: failures).set("window_start", to: windowStart).set("locked_until", to: locked)
                    .where("key", .equal, key).run()
            } else {
                try await sql.insert(into: "login_failures").columns("key", "failures", "window_start", "locked_until")
                    .values(key, 1, now, Optional<Date>.none).run()
            }
        }
    }

    static func clearFailures(username: String, on db: any Database) async throws {
        try await db.sql().delete(from: "login_failures").where("key", .equal, "user:" + username.lowercased()).run()
    }

    // MARK: Sessions

    /// Checks the password and opens a session; returns the cookie token.
    static func login(username: String, password: String, address: String, now: Date = Date(),
                      verify: @Sendable (String, String) async throws -> Bool,
                      on db: any Database) async throws -> String {
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        if let until = try await lockedUntil(username: name, address: address, now: now, on: db) {
            throw AuthError.throttled(until)
        }
        guard let user = try await User.query(on: db).filter(\.$username == name).first(), !user.disabled,
              try await verify(password, user.passwordHash)
        else {
            try await recordFailure(username: name, address: address, now: now, on: db)
            throw AuthError.badCredentials
        }
        try await clearFailures(username: name, on: db)
        let token = Tokens.random()
        try await db.sql().insert(into: "sessions")
            .columns("id", "token_hash", "user_id", "csrf", "created_at", "expires_at")
            .values(UUID(), Tokens.hash(token), user.id!, Tokens.random(), now, now.addingTimeInterval(sessionLifetime))
            .run()
        return token
    }

    static func logout(token: String, on db: any Database) async throws {
        try await db.sql().delete(from: "sessions").where("token_hash", .equal, Tokens.hash(token)).run()
    }

    /// The user of a session cookie: one indexed query joining the user and their unit.
    static func user(sessionToken token: String, now: Date = Date(), on db: any Database) async throws -> CurrentUser? {
        let row = try await userQuery(on: db)
            .column(SQLColumn("csrf", table: "s"))
            .join(SQLAlias(SQLIdentifier("sessions"), as: SQLIdentifier("s")), on: SQLColumn("user_id", table: "s"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("token_hash", table: "s"), .equal, SQLBind(Tokens.hash(token)))
            .where(SQLColumn("expires_at", table: "s"), .greaterThan, SQLBind(now))
            .first()
        return try row.map { try currentUser($0, csrf: try $0.decode(column: "csrf", as: String.self)) }
    }

    // MARK: API tokens

    static func createToken(username: String, on db: any Database) async throws -> String {
        guard let user = try await User.query(on: db).filter(\.$username == username.lowercased()).first() else {
            throw DomainError.notFound("Không có người dùng “\(username)”.")
        }
        let token = "dvk_" + Tokens.random()
        try await db.sql().insert(into: "api_tokens").columns("id", "token_hash", "user_id", "created_at")
            .values(UUID(), Tokens.hash(token), user.id!, Date()).run()
        return token
    }

    static func user(apiToken token: String, on db: any Database) async throws -> CurrentUser? {
        let row = try await userQuery(on: db)
            .join(SQLAlias(SQLIdentifier("api_tokens"), as: SQLIdentifier("t")), on: SQLColumn("user_id", table: "t"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("token_hash", table: "t"), .equal, SQLBind(Tokens.hash(token)))
            .first()
        return try row.map { try currentUser($0, csrf: nil) }
    }

    private static func userQuery(on db: any Database) throws -> SQLSelectBuilder {
        try db.sql().select()
            .column(SQLColumn("id", table: "u"), as: "user_id")
            .column(SQLColumn("username", table: "u"))
            .column(SQLColumn("display_name", table: "u"))
            .column(SQLColumn("role", table: "u"))
            .column(SQLColumn("id", table: "n"), as: "unit_id")
            .column(SQLColumn("code", table: "n"))
            .column(SQLColumn("name", table: "n"))
            .column(SQLColumn("kind", table: "n"))
            .from(SQLAlias(SQLIdentifier("users"), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("n")), on: SQLColumn("id", table: "n"), .equal, SQLColumn("unit_id", table: "u"))
            .where(SQLColumn("disabled", table: "u"), .equal, SQLBind(false))
    }

    private static func currentUser(_ row: any SQLRow, csrf: String?) throws -> CurrentUser {
        CurrentUser(id: try row.decode(column: "user_id", as: UUID.self),
                    username: try row.decode(column: "username", as: String.self),
                    displayName: try row.decode(column: "display_name", as: String.self),
                    role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
                    unitID: try row.decode(column: "unit_id", as: UUID.self),
                    unitCode: try row.decode(column: "code", as: String.self),
                    unitName: try row.decode(column: "name", as: String.self),
                    unitKind: UnitKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .grassroots,
                    csrf: csrf)
    }
}

enum AuthError: Error, Equatable {
    case badCredentials
    case throttled(Date)

    var message: String {
        switch self {
        case .badCredentials: "Tên đăng nhập hoặc mật khẩu không đúng."
        case .throttled(let until):
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(VietnamTime.describe(until))."
        }
    }
}
