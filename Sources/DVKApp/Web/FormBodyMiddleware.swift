import DVKCore
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
///
/// What it costs is bounded before anything reads the fields: more than an ordinary form
/// only for someone signed in (an anonymous post to an upload route gets the `.form`
/// limit), and a multipart body of at most `maxParts` parts.
struct FormBodyMiddleware: LoopMiddleware {
    /// The parts of a multipart form at most: the progress report's fields and six files.
    static let maxParts = 32

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .POST || request.method == .PUT || request.method == .DELETE {
            var limit = (request.route?.userInfo[BodyLimit.key] as? BodyLimit) ?? .form
            if request.currentUser == nil { limit = .form }
            if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit.rawValue {
                throw Abort(.payloadTooLarge)
            }
            if request.body.data == nil {
                _ = try await request.body.collect(max: limit.rawValue).get()
            } else if let data = request.body.data, data.readableBytes > limit.rawValue {
                throw Abort(.payloadTooLarge)
            }
            if let type = request.headers.contentType, type.type == "multipart", let body = request.body.data,
               Self.parts(of: body, boundary: type.parameters["boundary"] ?? "") > Self.maxParts {
                throw DomainError.tooLarge("Biểu mẫu gửi lên có quá nhiều phần (tối đa \(Self.maxParts) phần).")
            }
        }
        return try await next.respond(to: request)
    }

    /// How many times the boundary's delimiter line starts in `body` (a part each, but the
    /// closing one): a scan for "--" + boundary, linear for a boundary of RFC 2046's length.
    static func parts(of body: ByteBuffer, boundary: String) -> Int {
        guard !boundary.isEmpty else { return 0 }  // not a multipart body the decoder will read
        guard boundary.utf8.count <= 70 else { return Int.max }
        let delimiter = Array(("--" + boundary).utf8)
        let bytes = body.readableBytesView
        var count = 0
        var index = bytes.startIndex
        while let dash = bytes[index...].firstIndex(of: UInt8(ascii: "-")) {
            if bytes[dash...].starts(with: delimiter) {
                count += 1
                index = dash + delimiter.count
            } else {
                index = dash + 1
            }
        }
        return count - 1
    }
}
