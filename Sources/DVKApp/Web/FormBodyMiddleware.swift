import Vapor

/// How large a browser's form post may be, by what the route needs: every route answers a
/// larger body with 413 before anything reads it.
enum BodyLimit: Int, Sendable {
    /// Ordinary forms: a sign-in, a review with its comments, a unit. 256 kB.
    case form = 262_144
    /// A registration form (four texts of up to 20,000 characters, percent-encoded) or a
    /// campaign (its letter, a pasted list of unit codes). 1 MB.
    case longForm = 1_048_576
    /// A CSV upload. 10 MB: about 60,000 rows of initiatives.
    case upload = 10_485_760

    static let key = "dvk.bodyLimit"

    var megabytes: String { self == .upload ? "10 MB" : self == .longForm ? "1 MB" : "256 kB" }
}

extension Route {
    /// Lets this route's form posts reach `limit` (the default is `.form`).
    @discardableResult
    func bodyLimit(_ limit: BodyLimit) -> Route {
        userInfo[BodyLimit.key] = limit
        return self
    }
}

/// Collects the body of a browser's form post, up to its route's `BodyLimit`, before
/// `CSRFMiddleware` reads its `_csrf` field. Vapor hands a handler any body that does not
/// arrive in one network read as a stream, and a streamed body has no fields to read: a
/// long letter or an uploaded CSV would otherwise be refused as a CSRF failure.
struct FormBodyMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .POST || request.method == .PUT || request.method == .DELETE {
            let limit = (request.route?.userInfo[BodyLimit.key] as? BodyLimit) ?? .form
            if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit.rawValue {
                throw Abort(.payloadTooLarge)
            }
            if request.body.data == nil {
                _ = try await request.body.collect(max: limit.rawValue).get()
            } else if let data = request.body.data, data.readableBytes > limit.rawValue {
                throw Abort(.payloadTooLarge)
            }
        }
        return try await next.respond(to: request)
    }
}
