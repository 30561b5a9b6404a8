import DVKCore
import Fluent
import Vapor

/// Getting in without a password at hand: an invitation's link, a reset link, "Quên mật
/// khẩu?", the second step of a sign-in; and setting up two-factor. The anonymous forms
/// carry a CSRF token in a cookie and a field (double submit), as the sign-in form does.
struct AccountLinksController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.invitation("").route, use: linkPage)
        routes.post(SiteURL.invitation("").route, use: useLink)
        routes.get(SiteURL.passwordReset("").route, use: linkPage)
        routes.post(SiteURL.passwordReset("").route, use: useLink)
        routes.get(SiteURL.forgot.route, use: forgotForm)
        routes.post(SiteURL.forgot.route, use: forgot)
        routes.get(SiteURL.loginTwoFactor.route, use: secondStepForm)
        routes.post(SiteURL.loginTwoFactor.route, use: secondStep)
        routes.get(SiteURL.twoFactor.route, use: setupForm)
        routes.post(SiteURL.twoFactor.route, use: setup)
    }

    static let challengeCookie = "dvk_2fa"

    /// A page with an anonymous form: the token in the page and in a cookie.
    static func anonymous(_ req: Request, status: HTTPResponseStatus = .ok, _ page: (String) -> HTMLPage) -> Response {
        let existing = req.cookie(CSRFMiddleware.anonymousCookie) ?? ""
        let token = existing.isEmpty ? Tokens.random() : existing
        let response = Layout.response(page(token), status: status)
        response.cookies[CSRFMiddleware.anonymousCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: "/", isSecure: req.application.dvkConfig.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    /// Signs the person in (a new session), and goes to the home page.
    static func signIn(_ req: Request, userID: UUID, message: String? = nil) async throws -> Response {
        let config = req.application.dvkConfig
        let token = try await AuthStore.openSession(userID: userID, replacing: req.cookie(AuthStore.cookieName), at: req.now,
                                                    policy: config.sessions, on: req.database)
        let response = message.map { Flash.redirect(req, to: .home, message: $0) } ?? req.redirect(to: SiteURL.home.path, redirectType: .normal)
        response.cookies[AuthStore.cookieName] = HTTPCookies.Value(
            string: token, maxAge: Int(config.sessions.lifetime), path: "/",
            isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
        response.cookies[CSRFMiddleware.anonymousCookie] = .expired
        response.cookies[Self.challengeCookie] = .expired
        return response
    }

    // MARK: Invitation and reset links

    @Sendable func linkPage(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let holder = try await AccountStore.holder(of: token, at: req.now, on: req.database)
        return Self.anonymous(req) { SignInPages.link(holder, token: token, error: nil, csrf: $0) }
    }

    struct LinkForm: Content {
        var fullName: String?
        var password: String?
        var confirm: String?
    }

    @Sendable func useLink(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let form = try req.content.decode(LinkForm.self)
        let now = req.now
        let holder = try await AccountStore.holder(of: token, at: now, on: req.database)
        do {
            guard (form.password ?? "") == (form.confirm ?? "") else { throw DomainError.invalid("Mật khẩu nhập lại không khớp.") }
            let userID = try await AccountStore.use(token: token, password: form.password ?? "", displayName: form.fullName,
                                                    address: req.clientAddress, at: now, on: req.database)
            return try await Self.signIn(req, userID: userID, message: holder.purpose == .invite
                ? "Chào mừng đến với DVK. Mật khẩu đã được đặt."
                : "Đã đặt mật khẩu mới. Các phiên đăng nhập khác của tài khoản đã kết thúc.")
        } catch let error as DomainError {
            if case .notFound = error { throw error }
            return Self.anonymous(req, status: DVKErrorMiddleware.describe(error).0) { SignInPages.link(holder, token: token, error: error.message, csrf: $0) }
        }
    }

    // MARK: Forgotten password

    @Sendable func forgotForm(req: Request) async throws -> Response {
        Self.anonymous(req) { SignInPages.forgot(sent: false, sendsMail: req.application.sendsMail, csrf: $0) }
    }

    /// Every answer takes at least this long, so that its time says nothing of the name.
    static let forgotAnswerTime: Duration = .milliseconds(600)

    struct ForgotForm: Content { var name: String? }

    @Sendable func forgot(req: Request) async throws -> Response {
        let started = ContinuousClock.now
        let name = (try? req.content.decode(ForgotForm.self))?.name ?? ""
        // An address past its allowance gets the same answer, and nothing is sent.
        if req.application.forgotLimiter?.take(req.clientAddress) == nil {
            try await AccountStore.requestReset(name, address: req.clientAddress, config: req.application.dvkConfig, at: req.now, on: req.database)
        }
        let left = Self.forgotAnswerTime - (ContinuousClock.now - started)
        if left > .zero { try await Task.sleep(for: left) }
        return Self.anonymous(req) { SignInPages.forgot(sent: true, sendsMail: req.application.sendsMail, csrf: $0) }
    }

    // MARK: The second step of a sign-in

    @Sendable func secondStepForm(req: Request) async throws -> Response {
        guard req.cookie(Self.challengeCookie) != nil else { return req.redirect(to: SiteURL.login.path) }
        return Self.anonymous(req) { SignInPages.secondStep(error: nil, csrf: $0) }
    }

    struct CodeForm: Content { var code: String? }

    @Sendable func secondStep(req: Request) async throws -> Response {
        guard let challenge = req.cookie(Self.challengeCookie), !challenge.isEmpty else { return req.redirect(to: SiteURL.login.path) }
        let code = String(((try? req.content.decode(CodeForm.self))?.code ?? "").prefix(40))
        do {
            let userID = try await TwoFactor.complete(challenge: challenge, code: code, address: req.clientAddress, at: req.now, on: req.database)
            return try await Self.signIn(req, userID: userID)
        } catch let error as AuthError {
            AppMetrics.shared.loginFailed()
            if case .secondFactorExpired = error {
                let response = Self.anonymous(req, status: .unauthorized) { _ in
                    Layout.page(title: "Xác thực hai lớp", user: nil, body: [
                        .div(.class("login card"), .h1("Xác thực hai lớp"), .div(.class("alert error"), .role("alert"), .text(error.message)),
                             .p(.a(.href(.login), "Đăng nhập lại")))])
                }
                response.cookies[Self.challengeCookie] = .expired
                return response
            }
            return Self.anonymous(req, status: .unauthorized) { SignInPages.secondStep(error: error.message, csrf: $0) }
        }
    }

    // MARK: Setting up two-factor

    func setupModel(_ req: Request, _ user: CurrentUser, error: String? = nil) async throws -> SignInPages.SetupModel {
        let secret = try await TwoFactor.pendingSecret(userID: user.id, on: req.database)
        return SignInPages.SetupModel(user: user, uri: secret.map { TOTP.uri(secret: $0, account: user.username) },
                                      secret: secret.map { Base32.encode($0) }, codes: nil,
                                      recoveryLeft: try await TwoFactor.remainingRecoveryCodes(userID: user.id, on: req.database),
                                      required: req.application.dvkConfig.requireTwoFactor.contains(user.role), error: error)
    }

    @Sendable func setupForm(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return Layout.response(SignInPages.setup(try await setupModel(req, user)))
    }

    @Sendable func setup(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.csrf != nil else { throw WebError.forbidden("Xác thực hai lớp chỉ thiết lập được từ trang web, sau khi đăng nhập.") }
        let code = String(((try? req.content.decode(CodeForm.self))?.code ?? "").prefix(20))
        do {
            let codes = try await TwoFactor.confirm(userID: user.id, code: code, by: .person(user, req), at: req.now, on: req.database)
            var enabled = user
            enabled.twoFactor = true
            var model = try await setupModel(req, enabled)
            model.codes = codes
            return Layout.response(SignInPages.setup(model))
        } catch let error as DomainError {
            return Layout.response(SignInPages.setup(try await setupModel(req, user, error: error.message)), status: DVKErrorMiddleware.describe(error).0)
        }
    }
}

/// `DVK_REQUIRE_TWO_FACTOR`: a person of such a role without two-factor reaches only its
/// set-up page (and signing out) until it is on. API tokens are not affected.
struct TwoFactorGate: LoopMiddleware {
    static let open: Set<String> = [SiteURL.twoFactor.path, SiteURL.logout.path, SiteURL.styles.path, SiteURL.script.path]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.currentUser, user.csrf != nil, !user.twoFactor,
              request.application.dvkConfig.requireTwoFactor.contains(user.role), !Self.open.contains(request.url.path)
        else { return try await next.respond(to: request) }
        if request.isAPI { throw WebError.forbidden("Tài khoản cần bật xác thực hai lớp (trang /account/two-factor) trước khi làm việc.") }
        return request.redirect(to: SiteURL.twoFactor.path, redirectType: .normal)
    }
}
