import DVKCore
import Fluent
import Vapor

/// Sign in and out, and a signed-in person's own account: password, sessions, API tokens.
/// The login form carries a CSRF token in a cookie and a field (double submit), as there
/// is no session yet to keep it in.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.login.route, use: form)
        routes.post(SiteURL.login.route, use: login)
        routes.post(SiteURL.logout.route, use: logout)
        routes.get(SiteURL.account.route, use: account)
        routes.post(SiteURL.password.route, use: changePassword)
        routes.post(SiteURL.signOutEverywhere.route, use: signOutEverywhere)
        routes.post(SiteURL.tokens.route, use: createToken)
        routes.post(SiteURL.tokenRevoke(UUID.random()).route, use: revokeToken)
        routes.post(SiteURL.accountMail.route, use: mailPreferences)
    }

    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: SiteURL.home.path) }
        return loginPage(req: req, error: nil, username: "", next: SafeRedirect.path(req.queryValue("next")))
    }

    func loginPage(req: Request, error: String?, username: String, next: String, status: HTTPResponseStatus = .ok) -> Response {
        let token = Tokens.random()
        let expired = req.cookie(AuthStore.cookieName) != nil && req.currentUser == nil && error == nil
        let html = Layout.page(title: "Đăng nhập", user: nil, body: [
            .div(.class("login card"),
                .h1("Đăng nhập DVK"),
                .if(expired, .div(.class("alert warn"), .role("status"), "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")),
                .unwrap(error) { .div(.class("alert error"), .role("alert"), .text($0)) },
                .form(.class("stack"), .method(.post), .action(.login),
                    Layout.csrfField(token),
                    .hidden("next", next),
                    .label(.for("username"), "Tên đăng nhập hoặc email"),
                    .input(.type(.text), .id("username"), .name("username"), .value(username), .required(), .autofocus(username.isEmpty),
                           .attribute("autocomplete", "username"), .attribute("maxlength", "254")),
                    .label(.for("password"), "Mật khẩu"),
                    .input(.type(.password), .id("password"), .name("password"), .required(), .autofocus(!username.isEmpty),
                           .attribute("autocomplete", "current-password"), .attribute("maxlength", "200")),
                    .div(.class("actions"), .button(.type(.submit), "Đăng nhập"))
                ),
                .p(.a(.href(.forgot), "Quên mật khẩu?"))
            ),
        ])
        let response = Layout.response(html, status: status)
        response.cookies[CSRFMiddleware.anonymousCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: "/", isSecure: req.application.dvkConfig.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable func login(req: Request) async throws -> Response {
        // Each attempt costs a bcrypt: an address has an allowance of them, whatever names it tries.
        if let wait = req.application.loginLimiter?.take(req.clientAddress) { throw RateLimited(retryAfter: wait) }
        let form = try req.content.decode(LoginForm.self)
        let config = req.application.dvkConfig
        let pool = req.password.async
        let next = SafeRedirect.path(form.next)
        do {
            let token = try await AuthStore.login(username: form.username ?? "", password: form.password ?? "", address: req.clientAddress, now: req.now,
                                                  policy: config.sessions, replacing: req.cookie(AuthStore.cookieName),
                                                  verify: { try await pool.verify($0, created: $1) }, on: req.database)
            let response = req.redirect(to: next, redirectType: .normal)
            response.cookies[AuthStore.cookieName] = HTTPCookies.Value(
                string: token, maxAge: Int(config.sessions.lifetime), path: "/",
                isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
            response.cookies[CSRFMiddleware.anonymousCookie] = .expired
            return response
        } catch AuthError.secondFactor(let challenge) {
            // The password was right: the code comes next, on a page of its own.
            let response = req.redirect(to: SiteURL.loginTwoFactor.path, redirectType: .normal)
            response.cookies[AccountLinksController.challengeCookie] = HTTPCookies.Value(
                string: challenge, maxAge: Int(TwoFactor.challengeLifetime), path: "/",
                isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .strict)
            return response
        } catch let error as AuthError {
            AppMetrics.shared.loginFailed()
            let status: HTTPResponseStatus = if case .throttled = error { .tooManyRequests } else { .unauthorized }
            return loginPage(req: req, error: error.message, username: String((form.username ?? "").prefix(64)), next: next, status: status)
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let token = req.cookie(AuthStore.cookieName) {
            try await AuthStore.logout(token: token, on: req.database)
        }
        let response = req.redirect(to: SiteURL.login.path, redirectType: .normal)
        response.cookies[AuthStore.cookieName] = .expired
        return response
    }

    // MARK: The person's own account

    @Sendable func account(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return Layout.response(Account.view(try await Account.query(user: user, newToken: nil, now: req.now, sendsMail: req.application.sendsMail, on: req.database)))
    }

    /// A browser session, not an API token: an account is changed from the pages only.
    private func sessionUser(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard user.csrf != nil else { throw WebError.forbidden("Tài khoản chỉ thay đổi được từ trang web, sau khi đăng nhập.") }
        return user
    }

    struct PasswordForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    @Sendable func changePassword(req: Request) async throws -> Response {
        let user = try sessionUser(req)
        let form = try req.content.decode(PasswordForm.self)
        let pool = req.password.async
        do {
            guard (form.new ?? "") == (form.confirm ?? "") else { throw DomainError.invalid("Mật khẩu nhập lại không khớp với mật khẩu mới.") }
            try await AuthStore.changePassword(userID: user.id, current: form.current ?? "", new: form.new ?? "",
                                               keeping: req.cookie(AuthStore.cookieName), by: .person(user, req), at: req.now,
                                               verify: { try await pool.verify($0, created: $1) }, on: req.database)
            return Flash.redirect(req, to: .account, message: "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.")
        } catch let error as DomainError {
            var model = try await Account.query(user: user, newToken: nil, now: req.now, sendsMail: req.application.sendsMail, on: req.database)
            model.passwordError = error.message
            return Layout.response(Account.view(model), status: .unprocessableEntity)
        }
    }

    @Sendable func signOutEverywhere(req: Request) async throws -> Response {
        let user = try sessionUser(req)
        try await AuthStore.endSessions(userID: user.id, on: req.database)
        let response = req.redirect(to: SiteURL.login.path, redirectType: .normal)
        response.cookies[AuthStore.cookieName] = .expired
        return response
    }

    struct TokenForm: Content {
        var name: String?
        var days: String?
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        let user = try sessionUser(req)
        let form = try req.content.decode(TokenForm.self)
        guard let days = Int(form.days ?? "") else { throw DomainError.invalid("Thời hạn của mã truy cập phải là một số ngày.") }
        let token = try await AuthStore.createToken(userID: user.id, name: form.name ?? "", days: days, now: req.now, on: req.database)
        // The secret is shown on this answer only, never again.
        return Layout.response(Account.view(try await Account.query(user: user, newToken: token, now: req.now, sendsMail: req.application.sendsMail, on: req.database)))
    }

    struct MailForm: Content {
        var email: String?
        var digest: String?
    }

    /// The user's address and whether they get the daily digest (staff and viewers).
    @Sendable func mailPreferences(req: Request) async throws -> Response {
        let user = try sessionUser(req)
        let form = try req.content.decode(MailForm.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let clean = try TextRules.email.validated(email)
            if !clean.isEmpty, Mailbox(address: clean) == nil {
                throw DomainError.invalid("Địa chỉ email “\(clean)” không hợp lệ (ví dụ: ten@ldld.vn).")
            }
            try await AuthStore.setMailPreferences(userID: user.id, email: clean, digest: user.role != .officer && form.digest != nil, on: req.database)
            return Flash.redirect(req, to: .account, message: clean.isEmpty ? "Đã xóa địa chỉ email của tài khoản." : "Đã lưu địa chỉ email.")
        } catch let error as DomainError {
            var model = try await Account.query(user: user, newToken: nil, now: req.now, sendsMail: req.application.sendsMail, on: req.database)
            model.mailError = error.message
            model.email = email
            return Layout.response(Account.view(model), status: .unprocessableEntity)
        }
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        let user = try sessionUser(req)
        guard let id = req.parameters.get("id", as: UUID.self),
              try await AuthStore.revokeToken(id: id, userID: user.id, at: req.now, on: req.database)
        else { throw DomainError.notFound("Không tìm thấy mã truy cập này.") }
        return Flash.redirect(req, to: .account, message: "Đã thu hồi mã truy cập.")
    }
}

/// Where a sign-in may send the browser: a path of this site made of safe characters, or
/// the home page. No scheme, no host, no "//", no backslash, no control character, so
/// neither another site nor a header can be reached through it.
enum SafeRedirect {
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%?=&+#")

    static func path(_ raw: String?) -> String {
        guard let raw, raw.count <= 2_000, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"),
              raw.allSatisfy({ allowed.contains($0) }) else { return SiteURL.home.path }
        return raw
    }
}
