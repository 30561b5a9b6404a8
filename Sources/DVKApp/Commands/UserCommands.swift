import DVKCore
import Fluent
import Vapor

struct UserCommands: AsyncCommandGroup {
    var help: String { "Create users; make, list and revoke their API tokens" }
    var commands: [String: any AnyAsyncCommand] {
        ["create": UserCreateCommand(), "token": UserTokenCommand(), "tokens": UserTokensCommand(), "revoke-token": RevokeTokenCommand()]
    }
}

struct UserCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
        @Option(name: "password") var password: String?
        @Option(name: "role", help: "admin, staff, officer or viewer") var role: String?
        @Option(name: "unit", help: "The unit's code") var unit: String?
        @Option(name: "name", help: "Display name") var name: String?
    }

    var help: String { "Create a user bound to a unit" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let roleText = try signature.role.required("role")
        guard let role = Role(rawValue: roleText) else { throw DomainError.invalid("--role must be admin, staff, officer or viewer") }
        let user = try await AuthStore.createUser(username: try signature.username.required("username"),
                                                  password: try signature.password.required("password"), role: role,
                                                  unitCode: try signature.unit.required("unit"), displayName: signature.name,
                                                  on: context.application.db)
        context.console.print("user \(user.username) created (\(role.rawValue))")
    }
}

struct UserTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "username") var username: String
        @Option(name: "name", help: "What the token is for (shown by `dvk user tokens`)") var name: String?
        @Option(name: "days", help: "Days until it expires (default 90)") var days: Int?
    }

    var help: String { "Print a new API bearer token for a user (it expires; `dvk user tokens` lists them)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.print(try await AuthStore.createToken(username: signature.username, name: signature.name ?? "CLI",
                                                              days: signature.days ?? AuthStore.defaultTokenDays,
                                                              on: context.application.db))
    }
}

struct UserTokensCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "username") var username: String
    }

    var help: String { "List a user's API tokens: id, name, created, expires, last used (never the secret)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let tokens = try await AuthStore.tokens(username: signature.username, on: context.application.db)
        let now = Date()
        for t in tokens {
            let expires = t.expiresAt.map { VietnamTime.iso($0) + ($0 <= now ? " (expired)" : "") } ?? "-"
            context.console.print([t.id.uuidString, t.name, VietnamTime.iso(t.createdAt), expires,
                                   t.lastUsedAt.map(VietnamTime.iso) ?? "never used"].joined(separator: "\t"))
        }
        if tokens.isEmpty { context.console.print("no tokens") }
    }
}

struct RevokeTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "id") var id: String
    }

    var help: String { "Revoke an API token by its id (from `dvk user tokens USERNAME`)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let id = UUID(uuidString: signature.id) else { throw DomainError.invalid("“\(signature.id)” is not a token id") }
        guard try await AuthStore.revokeToken(id: id, on: context.application.db) else {
            throw DomainError.notFound("no token with id \(id)")
        }
        context.console.print("token \(id) revoked")
    }
}
