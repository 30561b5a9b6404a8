import DVKCore
import Fluent
import Vapor

/// Sign in and out. The login form carries a CSRF token in a cookie and a field
/// (double submit), as there is no session yet to keep it in.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.login.route, use: form)
        routes.post(SiteURL.login.route, use: login)
        routes.post(SiteURL.logout.route, use: logout)
    }

    struct LoginForm: Content {
        var username: String
        var password: String
        var next: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.home.path) }
        return loginPage(req: req, error: nil, username: "", next: req.query[String.self, at: "next"])
    }

    func loginPage(req: Request, error: String?, username: String, next: String?, status: HTTPResponseStatus = .ok) -> Response {
        let token = Tokens.random()
        let html = Layout.page(title: "Đăng nhập", user: nil, body: [
            .div(.class("login card"),
                .h1("Đăng nhập DVK"),
                .unwrap(error) { .div(.class("alert error"), .attribute("role", "alert"), .text($0)) },
                .form(.class("stack"), .method(.post), .action(.login),
                    Layout.csrfField(token),
                    .input(.type(.hidden), .name("next"), .value(next ?? "")),
                    .label(.for("username"), "Tên đăng nhập"),
                    .input(.type(.text), .id("username"), .name("username"), .value(username), .required(true), .autofocus(username.isEmpty),
                           .attribute("autocomplete", "username")),
                    .label(.for("password"), "Mật khẩu"),
                    .input(.type(.password), .id("password"), .name("password"), .required(true), .autofocus(!username.isEmpty),
                           .attribute("autocomplete", "current-password")),
                    .div(.class("actions"), .button(.type(.submit), "Đăng nhập"))
                )
            ),
        ])
        let response = Layout.response(html, status: status)
        response.cookies[CSRFMiddleware.anonymousCookie] = HTTPCookies.Value(
            string: token, expires: Date().addingTimeInterval(3600), path: "/", isSecure: req.application.dvkConfig.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let address = req.remoteAddress?.ipAddress ?? "unknown"
        let pool = req.password.async
        do {
            let token = try await AuthStore.login(username: form.username, password: form.password, address: address,
                                                  verify: { try await pool.verify($0, created: $1) }, on: req.db)
            // Only same-site paths: never an open redirect.
            let next = form.next.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.contains("\\") ? $0 : nil } ?? SiteURL.home.path
            let response = req.redirect(to: next)
            response.cookies[AuthStore.cookieName] = HTTPCookies.Value(
                string: token, expires: Date().addingTimeInterval(AuthStore.sessionLifetime), path: "/",
                isSecure: req.application.dvkConfig.secureCookies, isHTTPOnly: true, sameSite: .lax)
            response.cookies[CSRFMiddleware.anonymousCookie] = .expired
            return response
        } catch let error as AuthError {
            let status: HTTPResponseStatus = if case .throttled = error { .tooManyRequests } else { .unauthorized }
            return loginPage(req: req, error: error.message, username: form.username, next: form.next, status: status)
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let token = req.cookies[AuthStore.cookieName]?.string {
            try await AuthStore.logout(token: token, on: req.db)
        }
        let response = req.redirect(to: SiteURL.login.path)
        response.cookies[AuthStore.cookieName] = .expired
        return response
    }
}
