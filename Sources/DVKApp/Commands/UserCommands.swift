import DVKCore
import Fluent
import Vapor

struct UserCommands: AsyncCommandGroup {
    var help: String { "Create users and API tokens" }
    var commands: [String: any AnyAsyncCommand] { ["create": UserCreateCommand(), "token": UserTokenCommand()] }
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
    }

    var help: String { "Print a new API bearer token for a user" }

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.print(try await AuthStore.createToken(username: signature.username, on: context.application.db))
    }
}
