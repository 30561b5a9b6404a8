import DVKCore
import FluentKit
import Foundation
import SQLKit
import Vapor

/// Two-factor sign-in (TOTP, RFC 6238) for the accounts that can do harm: set up with one
/// code, confirmed at each sign-in on a second step (a code within a step of drift, never
/// the same step twice, or a recovery code, once), reset by an administrator.
enum TwoFactor {
    static let recoveryCodes = 10
    /// How long the second step of a sign-in waits for its code, and how many wrong codes it takes.
    static let challengeLifetime: TimeInterval = 5 * 60
    static let challengeAttempts = 5

    // MARK: Setting up

    /// The secret being set up (a new one the first time, kept until confirmed), or nil
    /// when two-factor is on already.
    static func pendingSecret(userID: UUID, on db: any Database) async throws -> Data? {
        guard let user = try await User.find(userID, on: db), user.totpEnabledAt == nil else { return nil }
        if let stored = user.totpSecret, let secret = Base32.decode(stored), secret.count == 20 { return secret }
        let secret = TOTP.newSecret()
        try await db.write { db in
            try await db.sql().update("users").set("totp_secret", to: Base32.encode(secret))
                .where("id", .equal, userID).where("totp_enabled_at", .is, SQLLiteral.null).run()
        }
        return secret
    }

    /// Turns two-factor on when `code` is the secret's: returns the recovery codes (shown
    /// once, kept as hashes). Two tabs confirming at once: one wins, the other is told.
    static func confirm(userID: UUID, code: String, by actor: Actor, at now: Date, on db: any Database) async throws -> [String] {
        guard let user = try await User.find(userID, on: db) else { throw DomainError.notFound("Không có tài khoản này.") }
        guard user.totpEnabledAt == nil else { throw DomainError.conflict("Xác thực hai lớp đã được bật cho tài khoản này.") }
        guard let stored = user.totpSecret, let secret = Base32.decode(stored), let step = TOTP.matchingStep(code, secret: secret, at: now) else {
            throw DomainError.invalid("Mã không đúng. Nhập mã 6 chữ số ứng dụng xác thực đang hiện (mã đổi sau mỗi 30 giây).")
        }
        let codes = (0..<recoveryCodes).map { _ in newRecoveryCode() }
        try await db.write { db in
            let sql = try db.sql()
            let turned = try await sql.raw("""
                UPDATE users SET totp_enabled_at = \(bind: now), totp_last_step = \(bind: step)
                WHERE id = \(bind: userID) AND totp_enabled_at IS NULL AND totp_secret = \(bind: stored) RETURNING id
                """).first()
            guard turned != nil else { throw DomainError.conflict("Xác thực hai lớp vừa được bật ở một cửa sổ khác.") }
            try await sql.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
            for code in codes {
                try await sql.insert(into: "recovery_codes").columns("id", "user_id", "code_hash").values(UUID.random(), userID, Tokens.hash(normal(code))).run()
            }
            try await AuditTrail.record("account.two_factor_enabled", id: userID, unitID: user.unitID, by: actor, at: now, on: db)
        }
        return codes
    }

    /// "k7m2-q9xd-4fpa": ten characters from an alphabet without look-alikes.
    static func newRecoveryCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(chars[0..<4]) + "-" + String(chars[4..<8]) + "-" + String(chars[8..<12])
    }

    static func normal(_ code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    /// An administrator turns it off for someone who lost their phone and codes; they set
    /// it up again (their role may require it at the next sign-in).
    static func reset(userID: UUID, by actor: Actor, at now: Date, on db: any Database) async throws {
        guard AccountRules.mayResetTwoFactor(actor.role) else {
            throw DomainError.forbidden("Chỉ quản trị viên đặt lại xác thực hai lớp của một tài khoản.")
        }
        try await db.write { db in
            let sql = try db.sql()
            guard let row = try await sql.raw("""
                UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0 WHERE id = \(bind: userID) RETURNING unit_id
                """).first() else { throw DomainError.notFound("Không có tài khoản này.") }
            try await sql.delete(from: "recovery_codes").where("user_id", .equal, userID).run()
            try await sql.delete(from: "login_challenges").where("user_id", .equal, userID).run()
            try await AuditTrail.record("account.two_factor_reset", id: userID, unitID: try row.decode(column: "unit_id", as: UUID.self),
                                        by: actor, at: now, on: db)
        }
    }

    // MARK: Signing in

    /// The pending second step after a right password: its token (a cookie), valid a few minutes.
    static func challenge(userID: UUID, at now: Date, on db: any Database) async throws -> String {
        let token = Tokens.random()
        try await db.write { db in
            let sql = try db.sql()
            try await sql.delete(from: "login_challenges").where("expires_at", .lessThan, now).run()
            try await sql.insert(into: "login_challenges").columns("token_hash", "user_id", "expires_at", "failures")
                .values(Tokens.hash(token), userID, now.addingTimeInterval(challengeLifetime), 0).run()
        }
        return token
    }

    /// The second step: a code of the authenticator (within a step of drift, each step once)
    /// or an unused recovery code. Returns the user to open a session for. A wrong code is
    /// counted against the step (`challengeAttempts`), and both paths are atomic, so two
    /// tabs with the same code end in one sign-in.
    static func complete(challenge token: String, code: String, address: String, at now: Date, on db: any Database) async throws -> UUID {
        let hash = Tokens.hash(token)
        guard let row = try await db.sql().raw("""
            SELECT c.user_id, c.failures, u.totp_secret, u.unit_id, u.disabled FROM login_challenges c JOIN users u ON u.id = c.user_id
            WHERE c.token_hash = \(bind: hash) AND c.expires_at > \(bind: now)
            """).first(),
              try row.decode(column: "failures", as: Int.self) < challengeAttempts,
              try !row.decode(column: "disabled", as: Bool.self)
        else { throw AuthError.secondFactorExpired }
        let userID = try row.decode(column: "user_id", as: UUID.self)
        let unitID = try row.decode(column: "unit_id", as: UUID.self)
        let secret = (try? row.decode(column: "totp_secret", as: String?.self)).flatMap { $0 }.flatMap(Base32.decode) ?? Data()
        let actor = Actor(userID: userID, role: .officer, unitID: unitID, label: "(đăng nhập)", address: address, requestID: "")
        let accepted: Bool = try await db.write { db in
            let sql = try db.sql()
            if let step = TOTP.matchingStep(code, secret: secret, at: now) {
                return try await sql.raw("""
                    UPDATE users SET totp_last_step = \(bind: step) WHERE id = \(bind: userID) AND totp_last_step < \(bind: step) RETURNING id
                    """).first() != nil
            }
            let normal = normal(code)
            guard normal.count == 12 else { return false }
            let used = try await sql.raw("""
                UPDATE recovery_codes SET used_at = \(bind: now)
                WHERE user_id = \(bind: userID) AND code_hash = \(bind: Tokens.hash(normal)) AND used_at IS NULL RETURNING id
                """).first() != nil
            if used { try await AuditTrail.record("account.recovery_code_used", id: userID, unitID: unitID, by: actor, at: now, on: db) }
            return used
        }
        try await db.write { db in
            let sql = try db.sql()
            if accepted {
                try await sql.delete(from: "login_challenges").where("token_hash", .equal, hash).run()
            } else {
                try await sql.raw("UPDATE login_challenges SET failures = failures + 1 WHERE token_hash = \(bind: hash)").run()
            }
        }
        guard accepted else { throw AuthError.badSecondFactor }
        return userID
    }

    static func remainingRecoveryCodes(userID: UUID, on db: any Database) async throws -> Int {
        try await db.sql().raw("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = \(bind: userID) AND used_at IS NULL")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
