import Vapor

extension Request {
    /// The value of the request's cookie `name`, if it sent one. Vapor's `cookies` parses
    /// the whole `Cookie` header on every use, and a page used it twice (the session, the
    /// flash message: 2.5 % of the unit page's samples); the parsed cookies are kept for the
    /// request. `scripts/check-rules` keeps `req.cookies` reads out of the sources.
    func cookie(_ name: String) -> String? {
        if let parsed = storage[RequestCookiesKey.self] { return parsed[name]?.string }
        let parsed = cookies
        storage[RequestCookiesKey.self] = parsed
        return parsed[name]?.string
    }
}

private struct RequestCookiesKey: StorageKey {
    typealias Value = HTTPCookies
}
