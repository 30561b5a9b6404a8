import DVKCore
import FluentKit
import Foundation
import SQLKit

/// `/account`: the signed-in person's own account — password, sessions, API tokens.
enum Account {
    struct Model: Sendable {
        var user: CurrentUser
        var sessions: Int
        var tokens: [AuthStore.TokenInfo]
        /// A token just made, shown this once.
        var newToken: String?
        var passwordError: String?
        var now: Date
        /// The user's address, whether they get the daily digest, and whether DVK sends email.
        var email = ""
        var digest = false
        var sendsMail = false
        var mailError: String?
    }

    static func query(user: CurrentUser, newToken: String?, now: Date, sendsMail: Bool = false,
                      on db: any Database) async throws -> Model {
        let sessions = try await db.sql().select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sessions")
            .where("user_id", .equal, user.id).where("expires_at", .greaterThan, now).first()?.decode(column: "n", as: Int.self) ?? 0
        let mail = try await AuthStore.mailPreferences(userID: user.id, on: db)
        return Model(user: user, sessions: sessions, tokens: try await AuthStore.tokens(userID: user.id, on: db),
                     newToken: newToken, passwordError: nil, now: now, email: mail.email, digest: mail.digest, sendsMail: sendsMail)
    }
}
