import DVKCore
import Fluent
import Foundation
import Vapor

/// Accounts over the API: the same people, scopes and rules as the people page
/// (`AccountRules` through `AccountStore`): staff their subtree, administrators everyone;
/// a new account is invited, never given a password.
struct UsersAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.listUsers, use: list)
        routes.on(.createUser, use: create)
        routes.on(.getUser, use: show)
        routes.on(.updateUser, use: update)
        routes.on(.resendInvitation, use: resend)
    }

    func manager(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard AccountRules.managesAccounts(user.role) else {
            throw DomainError.forbidden("Chỉ cán bộ công đoàn cấp trên và quản trị viên quản lý tài khoản.")
        }
        return user
    }

    @Sendable func list(req: Request) async throws -> [APIUser] {
        let user = try manager(req)
        var filter = PeopleDirectory.Filter()
        filter.unit = String((req.queryValue("unit") ?? "").prefix(64))
        filter.query = String((req.queryValue("q") ?? "").prefix(100))
        // An empty value is no value of the list: refused like any other (leave it out for all).
        if let raw = req.queryValue("status") {
            guard let status = AccountStatus(rawValue: raw) else {
                throw WebError.badRequest("Tham số status là một trong: " + AccountStatus.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            filter.status = status
        }
        if let raw = req.queryValue("role") {
            guard let role = Role(rawValue: raw) else { throw WebError.badRequest("Tham số role là một trong: admin, staff, officer, viewer.") }
            filter.role = role
        }
        let now = req.now
        let all = try await PeopleDirectory.accounts(for: user, on: req.database)
        var unit: Set<UUID>?
        if !filter.unit.isEmpty {
            guard let place = try await AccountStore.place(code: filter.unit, for: .person(user, req), on: req.database) else { return [] }
            unit = try await PeopleDirectory.subtree(of: try place.unit.requireID(), on: req.database)
        }
        return PeopleDirectory.matching(all, filter, subtreeOf: unit, at: now).prefix(1_000).map { APIUser($0, at: now) }
    }

    struct NewUser: Content {
        var fullName: String
        var unit: String
        var role: Role
        var email: String
        var phone: String?
        var title: String?
        var username: String?
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try manager(req)
        let body = try req.decodeJSON(NewUser.self)
        let actor = Actor.person(user, req)
        let input = AccountInput(fullName: body.fullName, unitCode: body.unit, role: body.role.rawValue, email: body.email, phone: body.phone,
                                 title: body.title, username: body.username)
        let place = try await AccountStore.place(code: body.unit, for: actor, on: req.database)
        let draft = try input.check(unitKind: place?.unit.kind).mapError { DomainError.invalid($0.text) }.get()
        let now = req.now
        let invited = try await AccountStore.invite(draft, by: actor, config: req.application.dvkConfig, at: now, on: req.database)
        let person = try await PeopleDirectory.person(invited.userID, for: user, on: req.database)
        var answer = APIUser(person, at: now)
        // The link, once, when nobody else will carry it.
        if !invited.emailed { answer.invitationLink = invited.link.url(base: req.application.dvkConfig.publicURL ?? PeopleController.origin(req)) }
        let response = Response(status: .created)
        try response.content.encode(answer)
        response.headers.replaceOrAdd(name: .location, value: SiteURL.api(.getUser, [invited.userID.canonicalText]).path)
        return response
    }

    func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AccountStore.notFound }
        return id
    }

    @Sendable func show(req: Request) async throws -> APIUser {
        let user = try manager(req)
        return APIUser(try await PeopleDirectory.person(try id(req), for: user, on: req.database), at: req.now)
    }

    /// A change: each field left out keeps its value; none may be null.
    struct Change: Content {
        var status: String?
        var role: Role?
        var unit: String?
        var fullName: String?
        var email: String?
        var phone: String?
        var title: String?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            status = try c.present(.status)
            role = try c.present(.role)
            unit = try c.present(.unit)
            fullName = try c.present(.fullName)
            email = try c.present(.email)
            phone = try c.present(.phone)
            title = try c.present(.title)
        }
    }

    @Sendable func update(req: Request) async throws -> APIUser {
        let user = try manager(req)
        let id = try id(req)
        let body = try req.decodeJSON(Change.self)
        let actor = Actor.person(user, req)
        let now = req.now
        let before = try await PeopleDirectory.person(id, for: user, on: req.database)
        if body.role != nil || body.unit != nil || body.fullName != nil || body.email != nil || body.phone != nil || body.title != nil {
            let input = AccountInput(fullName: body.fullName ?? before.displayName, unitCode: body.unit ?? before.unitCode,
                                     role: (body.role ?? before.role).rawValue, email: body.email ?? before.email,
                                     phone: body.phone ?? before.phone, title: body.title ?? before.title)
            do {
                try await AccountStore.change(id, to: input, by: actor, at: now, on: req.database)
            } catch let problems as AccountProblems {
                throw DomainError.invalid(problems.text)
            }
        }
        switch body.status {
        case nil: break
        case "disabled" where !before.disabled: try await AccountStore.setDisabled(id, true, by: actor, at: now, on: req.database)
        case "active" where before.disabled: try await AccountStore.setDisabled(id, false, by: actor, at: now, on: req.database)
        case "disabled", "active": break
        default: throw DomainError.invalid("status là “active” hoặc “disabled”.")
        }
        return APIUser(try await PeopleDirectory.person(id, for: user, on: req.database), at: req.now)
    }

    @Sendable func resend(req: Request) async throws -> APIUser {
        let user = try manager(req)
        let invited = try await AccountStore.reinvite(try id(req), by: .person(user, req), config: req.application.dvkConfig, at: req.now, on: req.database)
        var answer = APIUser(try await PeopleDirectory.person(invited.userID, for: user, on: req.database), at: req.now)
        if !invited.emailed { answer.invitationLink = invited.link.url(base: req.application.dvkConfig.publicURL ?? PeopleController.origin(req)) }
        return answer
    }
}

/// An account as the API shows it.
struct APIUser: Content {
    var id: UUID
    var username: String
    var fullName: String
    var role: Role
    var unit: APIUnitRef
    var email: String
    var phone: String
    var title: String
    var status: AccountStatus
    @ExplicitNull var lastSignIn: String?
    var signIns: Int
    var twoFactor: Bool
    /// Only in the answer that made the link, when it is not mailed.
    var invitationLink: String?

    init(_ p: PeopleDirectory.Person, at now: Date) {
        id = p.id
        username = p.username
        fullName = p.displayName
        role = p.role
        unit = APIUnitRef(code: p.unitCode, name: p.unitName, kind: p.unitKind)
        email = p.email
        phone = p.phone
        title = p.title
        status = p.status(at: now)
        lastSignIn = p.lastLoginAt.map(VietnamTime.iso)
        signIns = p.loginCount
        twoFactor = p.twoFactor
        invitationLink = nil
    }
}

extension KeyedDecodingContainer {
    /// A field that may be left out but, when given, is not null.
    func present<T: Decodable>(_ key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key],
                                                             debugDescription: "\(key.stringValue) cannot be null; leave it out to keep the value"))
        }
        return try decode(T.self, forKey: key)
    }
}
