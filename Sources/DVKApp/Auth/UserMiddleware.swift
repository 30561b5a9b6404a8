import DVKCore
import Fluent
import SQLKit
import Vapor

/// Finds who is asking: a session cookie (browser) or a bearer token (API).
struct UserMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The campaign the path names is read with the user (`Access.Read`), when the route
        // will read it at once: not after collecting a large body (an upload), during which
        // the campaign may change.
        var codes: (code: String, unit: String)? {
            guard request.method == .GET || request.method == .HEAD || request.body.data != nil
                || (request.headers.first(name: .contentLength).flatMap { Int($0) }.map { $0 <= 1 << 20 } ?? false) else { return nil }
            return Access.codes(inTarget: request.url.string)
        }
        // A new model's call or form also reads what its write assumes (`SaveAtOnce`).
        var seeing: Bool { RegistrationStore.SaveAtOnce.createsModel(request.method, target: request.url.string) }
        if let bearer = request.headers.bearerAuthorization {
            // A request that carries a token carries no ambient credential: no CSRF check,
            // and a bad token is simply "not signed in".
            let found = try await AuthStore.user(apiToken: bearer.token, now: request.now, reaching: codes, seeing: seeing, on: request.database)
            request.storage[CurrentUserKey.self] = found?.user
            request.storage[ReachReadKey.self] = found?.read
            request.storage[ViaTokenKey.self] = true
        } else if let cookie = request.cookie(AuthStore.cookieName), !cookie.isEmpty {
            let found = try await AuthStore.user(sessionToken: cookie, now: request.now, policy: request.application.dvkConfig.sessions,
                                                 reaching: codes, seeing: seeing, on: request.database)
            request.storage[CurrentUserKey.self] = found?.user
            request.storage[ReachReadKey.self] = found?.read
        }
        // Every store that writes the trail names this actor.
        let actor = request.currentUser.map { Actor.person($0, request) } ?? .anonymous(request)
        return try await Actor.$current.withValue(actor) { try await next.respond(to: request) }
    }
}

/// Refuses a state-changing request without the session's CSRF token (form field `_csrf`
/// or header `X-CSRF-Token`). Bearer-token API calls carry no ambient credential and pass.
struct CSRFMiddleware: LoopMiddleware {
    static let anonymousCookie = "dvk_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method), request.storage[ViaTokenKey.self] != true else {
            return try await next.respond(to: request)
        }
        let sent = request.headers.first(name: "X-CSRF-Token") ?? (try? request.content.get(String.self, at: "_csrf"))
        let expected = request.currentUser?.csrf ?? request.cookie(Self.anonymousCookie)
        guard let sent, let expected, !expected.isEmpty, Tokens.equal(sent, expected) else {
            throw WebError.csrf
        }
        return try await next.respond(to: request)
    }
}

struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
struct ViaTokenKey: StorageKey { typealias Value = Bool }
struct ReachReadKey: StorageKey { typealias Value = Access.Read }

extension Request {
    var currentUser: CurrentUser? { storage[CurrentUserKey.self] }

    /// The campaign the path names, read with the user (see `Access.Read`), given once: a
    /// later read in the same request, perhaps after its writes, reads the campaign again.
    /// The row `takeReach` will give, left in place (a new model's write reads what it assumes there).
    var reachRow: (any SQLRow)? { storage[ReachReadKey.self]?.row }

    func takeReach() -> Access.Read? {
        defer { storage[ReachReadKey.self] = nil }
        return storage[ReachReadKey.self]
    }

    /// The signed-in user, or a redirect to the login page (an error for the API).
    func requireUser() throws -> CurrentUser {
        guard let user = currentUser else { throw WebError.unauthenticated }
        return user
    }

    var isAPI: Bool { url.path.hasPrefix("/api/") }

    /// Who is asking, by address: the peer's, or — when the peer is a proxy named in
    /// `DVK_TRUSTED_PROXIES` — the nearest address in `X-Forwarded-For` that is not one.
    /// Without that setting the header is ignored, as anyone can send it.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        let trusted = application.dvkConfig.trustedProxies
        guard trusted.contains(peer) else { return peer }
        let chain = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return chain.reversed().first { !trusted.contains($0) && !$0.isEmpty } ?? peer
    }
}

/// Refusals of the web layer; `ErrorMiddleware` words them for people and programs.
enum WebError: Error {
    case unauthenticated
    case csrf
    case forbidden(String)
    case badRequest(String)
}
