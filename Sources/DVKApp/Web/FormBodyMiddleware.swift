import Vapor

/// Collects the body of a signed-in browser's form post before `CSRFMiddleware` reads its
/// `_csrf` field. Vapor hands a handler any body that does not arrive in one network read
/// as a stream, and a streamed body has no fields to read: a long letter, a pasted list of
/// 6,300 unit codes or an uploaded CSV would otherwise be refused as a CSRF failure.
struct FormBodyMiddleware: AsyncMiddleware {
    /// The largest form or upload accepted (a units CSV of the whole country is ~10 MB).
    var maxSize = 16 * 1024 * 1024

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .POST, request.currentUser != nil, request.body.data == nil,
           let type = request.headers.contentType,
           type == .urlEncodedForm || (type.type == "multipart" && type.subType == "form-data") {
            _ = try await request.body.collect(max: maxSize).get()
        }
        return try await next.respond(to: request)
    }
}
