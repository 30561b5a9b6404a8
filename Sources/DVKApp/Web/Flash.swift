import Foundation
import Vapor

/// A one-time message carried across a redirect ("Đã mở đợt thi đua") in a short-lived
/// cookie. `FlashMiddleware` makes it `Flash.current` for the next page, so any page that
/// renders through `Layout.page` shows it without its handler knowing, and clears it there.
enum Flash {
    static let cookieName = "dvk_flash"

    /// The message to show on the page being rendered, if one was carried here.
    @TaskLocal static var current: String?

    /// A message's length at most: messages are DVK's sentences, quoting a person's text
    /// only through `quoted`, so a cookie stays a few hundred bytes whatever was typed.
    static let maxLength = 400

    /// A person's text inside a message: its first words, in quotes (“Mô hình …”).
    static func quoted(_ text: String) -> String {
        "“" + excerpt(text, 80) + "”"
    }

    /// `CharacterSet.alphanumerics` is every script's letters and marks: a cookie needs ASCII.
    static let asciiAlphanumerics = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func excerpt(_ text: String, _ max: Int) -> String {
        guard text.count > max else { return text }
        return String(text.prefix(max - 1)) + "…"
    }

    /// A 303 to `url` that shows `message` on the page it lands on. The only way a page gets
    /// a message to show: never from the URL, so a link cannot make DVK say anything.
    static func redirect(_ req: Request, to url: SiteURL, message: String) -> Response {
        redirect(req, to: url.link(), message: message)
    }

    static func redirect(_ req: Request, to link: Link, message: String) -> Response {
        let response = req.redirect(to: link.value, redirectType: .normal)
        // Cookies carry ASCII only: the Vietnamese message travels percent-encoded.
        let value = excerpt(message, maxLength).addingPercentEncoding(withAllowedCharacters: asciiAlphanumerics) ?? ""
        response.cookies[cookieName] = HTTPCookies.Value(
            string: value, maxAge: 120, path: "/",
            isSecure: req.application.dvkConfig.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

/// Reads the flash cookie into `Flash.current` for the request, and clears it once a page
/// that is not itself a redirect has been answered (the page that showed it).
struct FlashMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let raw = request.cookie(Flash.cookieName), !raw.isEmpty,
              let message = raw.removingPercentEncoding, !message.isEmpty
        else { return try await next.respond(to: request) }
        let response = try await Flash.$current.withValue(message) { try await next.respond(to: request) }
        let isRedirect = (300..<400).contains(response.status.code)
        if !isRedirect, response.cookies[Flash.cookieName] == nil {
            response.cookies[Flash.cookieName] = .expired
        }
        return response
    }
}
