import DVKCore
import FluentKit
import Foundation
import SQLKit
import Fluent
import Vapor

/// Sign-in, browser sessions, API tokens and the login throttle, all in the database so
/// several app servers behind one PostgreSQL share them.
enum AuthStore {
    static let cookieName = "dvk_session"

    // MARK: Users

    /// An account with a password typed at the server (`dvk user create`, the demo, tests);
    /// everyone else is invited (`AccountStore.invite`).
    static func createUser(username: String, password: String, role: Role, unitCode: String,
                           displayName: String? = nil, by actor: Actor = .cli, at now: Date, on db: any Database) async throws -> User {
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        guard Code.validate(name) != nil else {
            throw DomainError.invalid("Tên đăng nhập “\(username)” không hợp lệ (chữ không dấu, số, - _ .).")
        }
        let shown = try TextRules.personName.validated(displayName ?? name)
        let unit = try await UnitDirectory.find(code: unitCode, on: db)
        if let misfit = AccountRules.misfit(role, unit.kind) { throw DomainError.invalid(misfit) }
        if let problem = PasswordPolicy.problem(password, username: name, unitName: unit.name) { throw DomainError.invalid(problem) }
        let hash = try await hashPassword(password)
        let user = User(username: name, displayName: shown.isEmpty ? name : shown, passwordHash: hash, role: role, unitID: unit.id!,
                        passwordSetAt: now)
        do {
            try await db.write { db in
                try await user.create(on: db)
                try await AuditTrail.record("account.created", id: try user.requireID(), unitID: unit.id,
                                            details: ["Vai trò": role.label, "Đơn vị": unit.name], by: actor, at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError.conflict("Đã có người dùng “\(name)”.")
        }
        return user
    }

    /// bcrypt (cost 10, about 50 ms of a core) on the thread pool, never on an event loop.
    static func hashPassword(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try Bcrypt.hash(password, cost: 10) }
    }

    // MARK: Throttle

    /// Wrong passwords allowed per account and address in a window; the lock is on the pair,
    /// so nobody can lock an account out for everyone else, or everyone behind one proxy.
    static let attempts = 5
    static let window: TimeInterval = 15 * 60

    /// Takes one attempt for the pair, atomically, before any password is checked: the
    /// attempt's number in the window and when the window ends. Concurrent attempts each
    /// get their own number, so at most `attempts` are ever checked in a window.
    static func takeAttempt(username: String, address: String, now: Date, on db: any Database) async throws -> (number: Int, until: Date) {
        let key = throttleKey(username: username, address: address)
        let cutoff = now.addingTimeInterval(-window)
        let row = try await db.write { db in
            try await db.sql().raw("""
                INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES (\(bind: key), 1, \(bind: now), NULL)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN login_failures.window_start <= \(bind: cutoff) THEN 1 ELSE login_failures.failures + 1 END,
                    window_start = CASE WHEN login_failures.window_start <= \(bind: cutoff) THEN \(bind: now) ELSE login_failures.window_start END
                RETURNING failures, window_start
                """).first()
        }
        guard let row else { throw AuthError.throttled(now.addingTimeInterval(window)) }
        return (try row.decode(column: "failures", as: Int.self),
                try row.decode(column: "window_start", as: Date.self).addingTimeInterval(window))
    }

    static func clearAttempts(username: String, address: String, on db: any Database) async throws {
        try await db.write { db in
            try await db.sql().delete(from: "login_failures").where("key", .equal, throttleKey(username: username, address: address)).run()
        }
    }

    private static func throttleKey(username: String, address: String) -> String {
        "pair:" + username.lowercased() + "|" + address
    }

    // MARK: Sessions

    /// A bcrypt hash of nothing anyone knows, checked for an unknown or disabled account so
    /// that its answer takes as long as a known one's.
    static let decoyHash: String = (try? Bcrypt.hash(Tokens.random(), cost: 10)) ?? ""

    /// Checks the password and opens a session; returns the cookie token. The attempt is
    /// counted before the check, and the password of an unknown account is "checked" too.
    /// People sign in with their username or their email. An account with two-factor
    /// sign-in gets no session here: `AuthError.secondFactor` carries the pending step's
    /// token (`TwoFactor.complete` opens the session).
    static func login(username: String, password: String, address: String, now: Date, policy: SessionPolicy,
                      replacing old: String? = nil, verify: @Sendable (String, String) async throws -> Bool,
                      on db: any Database) async throws -> String {
        // Bounded in bytes before any work: no throttle row or bcrypt for what cannot be an account.
        guard username.utf8.count <= 254, password.utf8.count <= 1_024 else { throw AuthError.badCredentials }
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, name.count <= 254, password.count <= 200 else { throw AuthError.badCredentials }
        let attempt = try await takeAttempt(username: name, address: address, now: now, on: db)
        guard attempt.number <= attempts else { throw AuthError.throttled(attempt.until) }
        let user = try await account(named: name, on: db)
        // An invited person has no password yet: no sign-in, at the same cost as a wrong one.
        let known = user.map { !$0.disabled && !$0.passwordHash.isEmpty } ?? false
        let matches = try await verify(password, known ? user!.passwordHash : decoyHash)
        guard known, matches, let user else { throw AuthError.badCredentials }
        try await clearAttempts(username: name, address: address, on: db)
        if user.totpEnabledAt != nil {
            throw AuthError.secondFactor(try await TwoFactor.challenge(userID: try user.requireID(), at: now, on: db))
        }
        return try await openSession(userID: try user.requireID(), replacing: old, at: now, policy: policy, on: db)
    }

    /// The account a person names at sign-in: by username, or by email.
    static func account(named name: String, on db: any Database) async throws -> User? {
        let key = name.lowercased()
        if let user = try await User.query(on: db).filter(\.$username == key).first() { return user }
        guard key.contains("@") else { return nil }
        return try await User.query(on: db).filter(\.$emailKey == key).first()
    }

    /// A new browser session for a person who proved who they are; the browser's old one
    /// ends, and so does every session past its time. Counts the sign-in.
    static func openSession(userID: UUID, replacing old: String? = nil, at now: Date, policy: SessionPolicy,
                            on db: any Database) async throws -> String {
        let token = Tokens.random()
        try await db.write { db in
            let sql = try db.sql()
            if let old { try await sql.delete(from: "sessions").where("token_hash", .equal, Tokens.hash(old)).run() }
            try await sql.delete(from: "sessions")
                .where("expires_at", .lessThan, now)
                .orWhere("last_seen_at", .lessThan, now.addingTimeInterval(-policy.idle))
                .run()
            try await sql.delete(from: "login_failures").where("window_start", .lessThan, now.addingTimeInterval(-window)).run()
            try await sql.insert(into: "sessions")
                .columns("id", "token_hash", "user_id", "csrf", "created_at", "expires_at", "last_seen_at")
                .values(UUID.random(), Tokens.hash(token), userID, Tokens.random(), now, now.addingTimeInterval(policy.lifetime), now)
                .run()
            try await sql.raw("UPDATE users SET login_count = login_count + 1, last_login_at = \(bind: now) WHERE id = \(bind: userID)").run()
        }
        return token
    }

    static func logout(token: String, on db: any Database) async throws {
        try await db.write { db in try await db.sql().delete(from: "sessions").where("token_hash", .equal, Tokens.hash(token)).run() }
    }

    /// Ends every session of a user ("đăng xuất khỏi mọi thiết bị"), but `keeping` one.
    static func endSessions(userID: UUID, keeping token: String? = nil, on db: any Database) async throws {
        try await db.write { db in
            var delete = try db.sql().delete(from: "sessions").where("user_id", .equal, userID)
            if let token { delete = delete.where("token_hash", .notEqual, Tokens.hash(token)) }
            try await delete.run()
        }
    }

    /// How often a session's last use is written: not on every request.
    static let touchEvery: TimeInterval = 60

    /// The user of a live session cookie (neither idle too long nor past its lifetime): one
    /// indexed query joining the user and their unit; its last use is written at most once
    /// a minute.
    static func user(sessionToken token: String, now: Date, policy: SessionPolicy, on db: any Database) async throws -> CurrentUser? {
        try await user(sessionToken: token, now: now, policy: policy, reaching: nil, on: db)?.user
    }

    /// As `user(sessionToken:now:policy:on:)`, with the campaign and unit of `codes` read in
    /// the same statement (`Access.Read`).
    /// `seeing`: a new model's form (`RegistrationStore.SaveAtOnce.createsModel`), which on
    /// PostgreSQL also reads what its write assumes (`SessionUserReachSeen`).
    static func user(sessionToken token: String, now: Date, policy: SessionPolicy, reaching codes: (code: String, unit: String)?,
                     seeing: Bool = false, on db: any Database) async throws -> (user: CurrentUser, read: Access.Read?)? {
        let hash = Tokens.hash(token)
        let binds: [(any HotValue)?] = [hash, now, now.addingTimeInterval(-policy.idle)]
        let row: (any SQLRow)?
        if let codes, try sees(seeing, codes, on: db) {
            row = try await SessionUserReachSeen(binds: binds + [codes.code, codes.unit]).first(on: db)
        } else if let codes {
            row = try await SessionUserReach(binds: binds + [codes.code, codes.unit]).first(on: db)
        } else {
            row = try await SessionUser(binds: binds).first(on: db)
        }
        guard let row else { return nil }
        let seen = try row.decode(column: "last_seen_at", as: Date.self)
        if now.timeIntervalSince(seen) > touchEvery {
            try await db.write { db in
                try await db.sql().update("sessions").set("last_seen_at", to: now).where("token_hash", .equal, hash).run()
            }
        }
        let user = try currentUser(row, csrf: try row.decode(column: "csrf", as: String.self))
        return (user, codes.map { Access.Read(userID: user.id, code: $0.code, unit: $0.unit, row: row) })
    }

    /// Changes a signed-in user's password after checking the current one; every other
    /// session of theirs ends.
    static func changePassword(userID: UUID, current: String, new: String, keeping token: String?, by actor: Actor, at now: Date,
                               verify: @Sendable (String, String) async throws -> Bool, on db: any Database) async throws {
        guard let user = try await User.find(userID, on: db), try await verify(current, user.passwordHash) else {
            throw DomainError.invalid("Mật khẩu hiện tại không đúng.")
        }
        let unitName = try await Unit.find(user.unitID, on: db)?.name ?? ""
        if let problem = PasswordPolicy.problem(new, username: user.username, unitName: unitName, email: user.email) {
            throw DomainError.invalid(problem)
        }
        guard new != current else { throw DomainError.invalid("Mật khẩu mới cần khác mật khẩu hiện tại.") }
        let hash = try await hashPassword(new)
        try await db.write { db in
            try await db.sql().update("users").set("password_hash", to: hash).set("password_set_at", to: now).where("id", .equal, userID).run()
            try await endSessions(userID: userID, keeping: token, on: db)
            try await AuditTrail.record("account.password_changed", id: userID, unitID: user.unitID, by: actor, at: now, on: db)
        }
    }

    // MARK: API tokens

    /// One API token as listed: never the secret itself.
    struct TokenInfo: Sendable, Equatable {
        var id: UUID
        var name: String
        var createdAt: Date
        var expiresAt: Date?
        var lastUsedAt: Date?
    }

    static let defaultTokenDays = 90

    /// A new token for a user, named, expiring after `days`; the secret is shown once.
    static func createToken(username: String, name: String = "", days: Int = defaultTokenDays, now: Date,
                            on db: any Database) async throws -> String {
        try await createToken(userID: try await userID(named: username, on: db), name: name, days: days, now: now, on: db)
    }

    static func createToken(userID: UUID, name: String, days: Int, now: Date, on db: any Database) async throws -> String {
        guard (1...3650).contains(days) else { throw DomainError.invalid("Thời hạn của mã truy cập là từ 1 đến 3.650 ngày.") }
        let label = try TextRules.tokenName.validated(name.isEmpty ? "API" : name)
        let token = "dvk_" + Tokens.random()
        try await db.write { db in
            let id = UUID.random()
            let expires = now.addingTimeInterval(Double(days) * 86_400)
            try await db.sql().insert(into: "api_tokens").columns("id", "token_hash", "user_id", "created_at", "name", "expires_at")
                .values(id, Tokens.hash(token), userID, now, label, expires).run()
            let owner = try await db.sql().raw("SELECT username, unit_id FROM users WHERE id = \(bind: userID)").first()
            try await AuditTrail.record([AuditTrail.Entry("token.created", .token, id: id, label: label, unit: try owner?.decode(column: "unit_id", as: UUID?.self),
                                                          changes: [AuditChange("Hết hạn", old: "", new: VietnamTime.describe(expires))],
                                                          details: ["Tài khoản": try owner?.decode(column: "username", as: String.self) ?? ""])],
                                        at: now, on: db)
        }
        return token
    }

    static func tokens(userID: UUID, on db: any Database) async throws -> [TokenInfo] {
        try await db.sql().select().columns("id", "name", "created_at", "expires_at", "last_used_at").from("api_tokens")
            .where("user_id", .equal, userID).orderBy("created_at", .descending).all().map { row in
                TokenInfo(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                          createdAt: try row.decode(column: "created_at", as: Date.self),
                          expiresAt: try row.decodeNil(column: "expires_at") ? nil : try row.decode(column: "expires_at", as: Date.self),
                          lastUsedAt: try row.decodeNil(column: "last_used_at") ? nil : try row.decode(column: "last_used_at", as: Date.self))
            }
    }

    static func tokens(username: String, on db: any Database) async throws -> [TokenInfo] {
        try await tokens(userID: try await userID(named: username, on: db), on: db)
    }

    private static func userID(named username: String, on db: any Database) async throws -> UUID {
        guard let user = try await User.query(on: db).filter(\.$username == username.lowercased()).first() else {
            throw DomainError.notFound("Không có người dùng “\(username)”.")
        }
        return try user.requireID()
    }

    /// Revokes a token by id (of `userID` only, when given); false when there was none.
    @discardableResult
    static func revokeToken(id: UUID, userID: UUID? = nil, at now: Date, on db: any Database) async throws -> Bool {
        try await db.write { db in
            var delete = try db.sql().delete(from: "api_tokens").where("id", .equal, id)
            if let userID { delete = delete.where("user_id", .equal, userID) }
            guard let gone = try await delete.returning("name", "user_id").first() else { return false }
            let owner = try await db.sql().raw("SELECT username, unit_id FROM users WHERE id = \(bind: try gone.decode(column: "user_id", as: UUID.self))").first()
            try await AuditTrail.record([AuditTrail.Entry("token.revoked", .token, id: id, label: try gone.decode(column: "name", as: String.self),
                                                          unit: try owner?.decode(column: "unit_id", as: UUID?.self),
                                                          details: ["Tài khoản": try owner?.decode(column: "username", as: String.self) ?? ""])],
                                        at: now, on: db)
            return true
        }
    }

    /// The user of a live token (not expired, not revoked); its last use is written at most
    /// once a minute.
    static func user(apiToken token: String, now: Date, on db: any Database) async throws -> CurrentUser? {
        try await user(apiToken: token, now: now, reaching: nil, on: db)?.user
    }

    /// As `user(apiToken:now:on:)`, with the campaign and unit of `codes` read in the same
    /// statement (`Access.Read`).
    /// `seeing`: a new model's call (`RegistrationStore.SaveAtOnce.createsModel`), which on
    /// PostgreSQL also reads what its write assumes (`TokenUserReachSeen`).
    static func user(apiToken token: String, now: Date, reaching codes: (code: String, unit: String)?, seeing: Bool = false,
                     on db: any Database) async throws -> (user: CurrentUser, read: Access.Read?)? {
        let hash = Tokens.hash(token)
        let row: (any SQLRow)?
        if let codes, try sees(seeing, codes, on: db) {
            row = try await TokenUserReachSeen(binds: [hash, now, codes.code, codes.unit]).first(on: db)
        } else if let codes {
            row = try await TokenUserReach(binds: [hash, now, codes.code, codes.unit]).first(on: db)
        } else {
            row = try await TokenUser(binds: [hash, now]).first(on: db)
        }
        guard let row else { return nil }
        let used = try row.decodeNil(column: "last_used_at") ? nil : try row.decode(column: "last_used_at", as: Date.self)
        if used.map({ now.timeIntervalSince($0) > touchEvery }) ?? true {
            try await db.write { db in
                try await db.sql().update("api_tokens").set("last_used_at", to: now).where("token_hash", .equal, hash).run()
            }
        }
        let user = try currentUser(row, csrf: nil)
        return (user, codes.map { Access.Read(userID: user.id, code: $0.code, unit: $0.unit, row: row) })
    }

    /// The staff and viewers who asked for a daily digest and gave an address, with it.
    static func digestReaders(on db: any Database) async throws -> [(user: CurrentUser, email: String)] {
        try await db.sql().raw("""
            \(unsafeRaw: userColumns), u.email AS user_email \(unsafeRaw: userTables)
            WHERE NOT u.disabled AND u.daily_digest AND u.role <> \(bind: Role.officer.rawValue)
            """)
            .all().map { (try currentUser($0, csrf: nil), try $0.decode(column: "user_email", as: String.self)) }
    }

    /// A user's address and whether they want the daily digest.
    static func mailPreferences(userID: UUID, on db: any Database) async throws -> (email: String, digest: Bool) {
        guard let row = try await db.sql().select().columns("email", "daily_digest").from("users").where("id", .equal, userID).first() else {
            return ("", false)
        }
        return (try row.decode(column: "email", as: String.self), try row.decode(column: "daily_digest", as: Bool.self))
    }

    /// Sets them: an empty address turns the digest off. An address is one account's (people
    /// sign in with it): another account's is refused.
    static func setMailPreferences(userID: UUID, email: String, digest: Bool, on db: any Database) async throws {
        do {
            try await db.write { db in
                try await db.sql().update("users").set("email", to: email).set("email_key", to: email.isEmpty ? nil : email.lowercased())
                    .set("daily_digest", to: digest && !email.isEmpty).where("id", .equal, userID).run()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AccountStore.emailTaken(email)
        }
    }

    /// The columns `currentUser(_:csrf:)` reads, and the tables they come from.
    fileprivate static let userColumns = """
        SELECT u.id AS user_id, u.username, u.display_name, u.role, u.totp_enabled_at, n.id AS unit_id, n.code, n.name, n.kind
        """
    fileprivate static let userTables = "FROM users u JOIN units n ON n.id = u.unit_id"

    /// The live session of a token hash ($1), neither past its lifetime ($2: now) nor idle
    /// since $3, with its enabled user: every signed-in page outside a campaign asks it
    /// (`SessionUserReach` inside one).
    struct SessionUser: HotStatement {
        static let sql = AuthStore.sessionUser(reaching: false)
        let binds: [(any HotValue)?]
    }

    /// `SessionUser` and `Access.CampaignReach` of the campaign code $4 and unit code $5
    /// ("" for none) in one statement: the campaign's columns are NULL when there is none.
    struct SessionUserReach: HotStatement {
        static let sql = AuthStore.sessionUser(reaching: true)
        let binds: [(any HotValue)?]
    }

    /// `SessionUserReach` and, for the unit $5 (PostgreSQL), what a new model's write assumes.
    struct SessionUserReachSeen: HotStatement {
        static let sql = AuthStore.sessionUser(reaching: true, seeing: true)
        let binds: [(any HotValue)?]
    }

    private static func sessionUser(reaching: Bool, seeing: Bool = false) -> String {
        let reach = reach(reaching, seeing: seeing, code: "$4", unit: "$5")
        return """
        \(userColumns), s.csrf, s.last_seen_at\(reach.columns) \(userTables) JOIN sessions s ON s.user_id = u.id\(reach.joins)
        WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT u.disabled
        """
    }

    /// The live API token of a hash ($1), not expired at $2, with its enabled user: every API
    /// call outside a campaign asks it (`TokenUserReach` inside one).
    struct TokenUser: HotStatement {
        static let sql = AuthStore.tokenUser(reaching: false)
        let binds: [(any HotValue)?]
    }

    /// `TokenUser` and `Access.CampaignReach` of the campaign code $3 and unit code $4 (""
    /// for none) in one statement: the campaign's columns are NULL when there is none.
    struct TokenUserReach: HotStatement {
        static let sql = AuthStore.tokenUser(reaching: true)
        let binds: [(any HotValue)?]
    }

    /// `TokenUserReach` and, for the unit $4 (PostgreSQL), what a new model's write assumes
    /// (`RegistrationStore.SaveAtOnce.seenColumns`): one round trip fewer for the write.
    struct TokenUserReachSeen: HotStatement {
        static let sql = AuthStore.tokenUser(reaching: true, seeing: true)
        let binds: [(any HotValue)?]
    }

    private static func tokenUser(reaching: Bool, seeing: Bool = false) -> String {
        let reach = reach(reaching, seeing: seeing, code: "$3", unit: "$4")
        return """
        \(userColumns), t.last_used_at\(reach.columns) \(userTables) JOIN api_tokens t ON t.user_id = u.id\(reach.joins)
        WHERE t.token_hash = $1 AND t.expires_at > $2 AND NOT u.disabled
        """
    }

    /// Whether a user's statement also reads what a new model's write assumes: asked
    /// (`seeing`), for a unit, on PostgreSQL (`RegistrationStore.SaveAtOnce`).
    private static func sees(_ seeing: Bool, _ codes: (code: String, unit: String), on db: any Database) throws -> Bool {
        guard seeing, !codes.unit.isEmpty else { return false }
        return try db.sql().dialect.name == "postgresql"
    }

    /// What a user's statement adds, when `reaching`, to read `Access.CampaignReach` of the
    /// codes `code` and `unit` (placeholders) from the user's unit `n`: columns and joins;
    /// with `seeing` (PostgreSQL), what a new model's write of that unit assumes
    /// (`RegistrationStore.SaveAtOnce.seenColumns`): one round trip fewer for the write.
    private static func reach(_ reaching: Bool, seeing: Bool = false, code: String, unit: String) -> (columns: String, joins: String) {
        guard reaching else { return ("", "") }
        var reach = (columns: ", " + Access.reachColumns, joins: " LEFT JOIN campaigns c ON c.code = \(code) " + Access.reachJoins(own: "n.id", unit: unit))
        if seeing {
            reach.columns += RegistrationStore.SaveAtOnce.seenColumns
            reach.joins += RegistrationStore.SaveAtOnce.seenJoins(unit: "tu.unit_id", chain: "upper(tu.unit_id::text)")
        }
        return reach
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
                    csrf: csrf, twoFactor: !(try row.decodeNil(column: "totp_enabled_at")))
    }
}

enum AuthError: Error, Equatable {
    case badCredentials
    case throttled(Date)
    /// The password was right; the account confirms sign-in with a second factor: the
    /// pending step's token.
    case secondFactor(String)
    /// The second step is gone: too late, too many wrong codes, or never there.
    case secondFactorExpired
    case badSecondFactor

    var message: String {
        switch self {
        case .badCredentials: "Tên đăng nhập hoặc mật khẩu không đúng."
        case .secondFactor: "Nhập mã xác thực hai lớp để hoàn tất đăng nhập."
        case .secondFactorExpired: "Bước xác thực hai lớp đã hết hạn hoặc đã nhập sai quá nhiều lần. Vui lòng đăng nhập lại từ đầu."
        case .badSecondFactor: "Mã không đúng. Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực, hoặc một mã khôi phục."
        case .throttled(let until):
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(VietnamTime.describe(until))."
        }
    }
}
