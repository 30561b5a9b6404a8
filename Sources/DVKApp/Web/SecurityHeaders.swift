import Vapor

/// Headers every answer carries: no framing, no MIME sniffing, no referrer leaving the
/// site, and a content policy that allows only this site's own styles and script: no
/// inline script or handler runs, whatever reached a page.
struct SecurityHeadersMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        var headers = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
        ]
        // Behind HTTPS (DVK_SECURE_COOKIES): browsers keep to HTTPS for a year.
        if request.application.dvkConfig.secureCookies {
            headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        }
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }
}
