import DVKCore
import DVKDocuments
import Fluent
import SQLKit
import Vapor

struct UserCommands: AsyncCommandGroup {
    var help: String { "Invite people (one, or a spreadsheet of them), create users; make, list and revoke their API tokens" }
    var commands: [String: any AnyAsyncCommand] {
        ["create": UserCreateCommand(), "invite": UserInviteCommand(), "import": UserImportCommand(),
         "token": UserTokenCommand(), "tokens": UserTokensCommand(), "revoke-token": RevokeTokenCommand()]
    }
}

struct UserCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
        @Option(name: "password", help: "For scripts only: the shell's history and the process list keep it; prefer the prompt or --password-stdin")
        var password: String?
        @Flag(name: "password-stdin", help: "Read the password from standard input (its first line)") var passwordStdin: Bool
        @Option(name: "role", help: "admin, staff, officer or viewer") var role: String?
        @Option(name: "unit", help: "The unit's code") var unit: String?
        @Option(name: "name", help: "Display name") var name: String?
    }

    var help: String { "Create a user bound to a unit with a password typed here (the first administrator); everyone else: dvk user invite" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let roleText = try signature.role.required("role")
        guard let role = Role(rawValue: roleText) else { throw DomainError.invalid("--role must be admin, staff, officer or viewer") }
        let password: String
        if let given = signature.password {
            password = given
        } else if signature.passwordStdin {
            password = readLine(strippingNewline: true) ?? ""
        } else {
            context.console.print("Mật khẩu (\(PasswordPolicy.rule)): ", newLine: false)
            let first = context.console.input(isSecure: true)
            context.console.print("Nhập lại mật khẩu: ", newLine: false)
            guard context.console.input(isSecure: true) == first else { throw DomainError.invalid("the two passwords differ") }
            password = first
        }
        let user = try await AuthStore.createUser(username: try signature.username.required("username"), password: password, role: role,
                                                  unitCode: try signature.unit.required("unit"), displayName: signature.name,
                                                  at: context.application.clock.now(), on: context.application.db)
        context.console.print("user \(user.username) created (\(role.rawValue))")
    }
}

/// Invites one person: an account without a password, its one-time link mailed, or printed
/// here when DVK sends no mail (or the person has no address).
struct UserInviteCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "unit", help: "The unit's code") var unit: String?
        @Option(name: "name", help: "The person's full name") var name: String?
        @Option(name: "role", help: "officer, staff, viewer or admin (default: officer for a grassroots union)") var role: String?
        @Option(name: "email") var email: String?
        @Option(name: "phone") var phone: String?
        @Option(name: "title", help: "Chức vụ") var title: String?
        @Option(name: "username", help: "Default: from the email, or the unit's code") var username: String?
    }

    var help: String { "Invite a person to DVK: the link goes by email, or is printed when no mail is configured" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let input = AccountInput(fullName: signature.name, unitCode: signature.unit, role: signature.role, email: signature.email,
                                 phone: signature.phone, title: signature.title, username: signature.username)
        let kind = try await Unit.query(on: db).filter(\.$code == (signature.unit ?? "")).first()?.kind
        let draft: AccountDraft
        switch input.check(unitKind: kind) {
        case .success(let d): draft = d
        case .failure(let problems): throw DomainError.invalid(problems.text)
        }
        let config = context.application.dvkConfig
        let invited = try await AccountStore.invite(draft, by: .cli, config: config, at: context.application.clock.now(), on: db)
        context.console.print("user \(invited.username) invited (\(draft.role.rawValue), \(draft.unitCode))")
        if invited.emailed {
            let outcome = try await deliverInvitations(context.application, to: [invited.userID])[invited.userID]
            context.console.print("invitation to \(draft.email): \(outcome ?? "queued, taken by a running server")")
        } else {
            context.console.print("invitation link (one use, until \(VietnamTime.iso(invited.link.expiresAt))):")
            context.console.print(invited.link.url(base: config.publicURL))
        }
    }
}

/// The accounts spreadsheet, as the people page imports it: all or nothing.
struct UserImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "XLSX or CSV with the columns Mã đơn vị, Họ và tên, Chức vụ, Email, Số điện thoại, Vai trò")
        var file: String
        @Flag(name: "dry-run", help: "Check every line and make nothing") var dryRun: Bool
    }

    var help: String { "Invite the people of a spreadsheet (all or nothing, every bad line named)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let table = try SpreadsheetFile.table(try readFile(signature.file, max: SpreadsheetLimits.file.bytes), limits: .file)
        let config = context.application.dvkConfig
        let made = try await AccountImporter.run(table, by: .cli, config: config, at: context.application.clock.now(), dryRun: signature.dryRun, on: context.application.db)
        if signature.dryRun {
            context.console.print("\(made.count) accounts checked, none made (--dry-run)")
            return
        }
        context.console.print("\(made.count) accounts invited, \(made.filter(\.invited.emailed).count) by email")
        let outcomes = try await deliverInvitations(context.application, to: made.filter(\.invited.emailed).map(\.invited.userID))
        for m in made {
            let how = m.invited.emailed ? (outcomes[m.invited.userID] ?? "queued, taken by a running server") : m.invited.link.url(base: config.publicURL)
            context.console.print([m.invited.username, m.draft.unitCode, how].joined(separator: "\t"))
        }
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
                                                              days: signature.days ?? AuthStore.defaultTokenDays, now: context.application.clock.now(),
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
        let now = context.application.clock.now()
        for t in tokens {
            let expires = t.expiresAt.map { VietnamTime.iso($0) + ($0 <= now ? " (expired)" : "") } ?? "-"
            context.console.print([t.id.canonicalText, t.name, VietnamTime.iso(t.createdAt), expires,
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
        guard try await AuthStore.revokeToken(id: id, at: context.application.clock.now(), on: context.application.db) else {
            throw DomainError.notFound("no token with id \(id)")
        }
        context.console.print("token \(id) revoked")
    }
}

/// Sends the invitations just queued for `userIDs` before the command exits, as `dvk remind`
/// does: what happened to each, by person (a message left for a retry goes with `dvk serve`).
func deliverInvitations(_ app: Application, to userIDs: [UUID]) async throws -> [UUID: String] {
    guard let sender = app.mailSender, !userIDs.isEmpty else { return [:] }
    var owners: [UUID: UUID] = [:]
    for chunk in userIDs.chunked(500) {
        let rows = try await app.db.sql().raw("""
            SELECT id, user_id FROM outbox WHERE kind = 'invitation' AND status = 'queued' AND user_id IN (\(SQLList(chunk.map { SQLBind($0) })))
            """).all()
        for row in rows { owners[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "user_id", as: UUID.self) }
    }
    var out: [UUID: String] = [:]
    let now = app.clock.now()
    for chunk in Array(owners.keys).chunked(500) {
        for report in try await sender.deliverDue(app, at: now, ids: chunk) {
            guard let user = owners[report.id] else { continue }
            out[user] = switch report.outcome {
            case .sent(let answer): "sent (\(answer))"
            case .retry(let answer): "not yet sent, will be retried by `dvk serve` (\(answer))"
            case .failed(let answer, _): "failed (\(answer))"
            }
        }
    }
    return out
}
