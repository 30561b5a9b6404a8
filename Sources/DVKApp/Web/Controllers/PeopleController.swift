import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// The people page (`/users`) for federation staff and administrators: the accounts of
/// their reach, one person's page and what can be done to the account, new accounts by
/// invitation (one, a spreadsheet of them, or one per unit without one), and the printed
/// invitations for those without email. Every rule is `AccountRules`, through `AccountStore`.
struct PeopleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.people.route, use: list)
        routes.get(SiteURL.peopleXLSX.route, use: export)
        routes.get(SiteURL.peopleEvents.route, use: exportEvents)
        routes.get(SiteURL.personEvents(UUID.random()).route, use: exportPersonEvents)
        routes.get(SiteURL.personNew.route, use: newForm)
        routes.post(SiteURL.personNew.route, use: create)
        routes.get(SiteURL.peopleImport.route, use: importForm)
        routes.post(SiteURL.peopleImport.route, use: importFile).bodyLimit(.upload)
        routes.get(SiteURL.peopleTemplate.route, use: template)
        routes.post(SiteURL.peopleLetters.route, use: letters)
        routes.get(SiteURL.person(UUID.random()).route, use: show)
        routes.post(SiteURL.personAction(UUID.random(), .update).route, use: act)
        routes.get(SiteURL.unitAccounts("").route, use: unitAccountsForm)
        routes.post(SiteURL.unitAccounts("").route, use: unitAccounts)
    }

    static let perPage = Paging.perPage

    func filter(_ req: Request) -> PeopleDirectory.Filter {
        var f = PeopleDirectory.Filter()
        f.unit = String((req.queryValue("unit") ?? "").prefix(64)).trimmingCharacters(in: .whitespaces)
        f.role = req.queryValue("role").flatMap(Role.init(rawValue:))
        f.status = req.queryValue("status").flatMap(AccountStatus.init(rawValue:))
        f.ended = req.queryValue("ended") == "1"
        f.query = String((req.queryValue("q") ?? "").prefix(100))
        f.page = min(max(1, req.queryValue("page").flatMap { $0.count <= 6 ? Int($0) : nil } ?? 1), 100_000)
        return f
    }

    /// The accounts of the filter, in the user's reach.
    func matching(_ req: Request, _ user: CurrentUser, _ f: PeopleDirectory.Filter, now: Date,
                  from read: [PeopleDirectory.Person]? = nil) async throws -> [PeopleDirectory.Person] {
        let all: [PeopleDirectory.Person]
        if let read { all = read } else { all = try await PeopleDirectory.accounts(for: user, on: req.database) }
        var unit: Set<UUID>?
        if !f.unit.isEmpty {
            guard let place = try await AccountStore.place(code: f.unit, for: .person(user, req), on: req.database) else { return [] }
            unit = try await PeopleDirectory.subtree(of: try place.unit.requireID(), on: req.database)
        }
        return PeopleDirectory.matching(all, f, subtreeOf: unit, at: now)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let f = filter(req), now = req.now
        let all = try await PeopleDirectory.accounts(for: user, on: req.database)
        let found = try await matching(req, user, f, now: now, from: all)
        let paging = Paging(requested: f.page, total: found.count)
        let waiting = all.count { $0.unitEnded && $0.disabled }
        return Layout.response(People.list(.init(user: user, filter: f, people: paging.slice(found), paging: paging, now: now, endedWaiting: waiting)))
    }

    @Sendable func export(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let now = req.now
        let found = try await matching(req, user, filter(req), now: now)
        let header = ["Họ và tên", "Tên đăng nhập", "Vai trò", "Mã đơn vị", "Đơn vị", "Chức vụ", "Email", "Số điện thoại", "Trạng thái",
                      "Số lần đăng nhập", "Đăng nhập lần cuối", "Xác thực hai lớp"]
        let rows: [[SimpleWorkbook.Cell]] = found.map { p in
            [.text(p.displayName, .plain), .text(p.username, .plain), .text(p.role.label, .plain), .text(p.unitCode, .plain),
             .text(p.unitName, .plain), .text(p.title, .plain), .text(p.email, .plain), .text(p.phone, .plain),
             .text(p.status(at: now).label, .plain), .number(p.loginCount),
             .text(p.lastLoginAt.map(Format.short) ?? "chưa đăng nhập", .plain), .text(p.twoFactor ? "có" : "không", .plain)]
        }
        return Download.response(try await SimpleWorkbook.tableOffLoop(on: req, name: "Tài khoản", header: header, rows: rows),
                                     name: "tai-khoan-\(user.unitCode)-\(VietnamTime.day(of: now).iso).xlsx")
    }

    /// The trail of the accounts of the filter (or of one person): every event, newest
    /// first, up to `AuditTrail.exportLimit`.
    @Sendable func exportEvents(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let found = try await matching(req, user, filter(req), now: req.now)
        let unfiltered = user.role == .admin && filter(req) == PeopleDirectory.Filter()
        let events = try await AuditTrail.events(ofAccounts: unfiltered ? nil : Set(found.map(\.id)), on: req.database)
        return try await eventsFile(req, events, people: found, name: "nhat-ky-tai-khoan-\(user.unitCode)", today: VietnamTime.day(of: req.now))
    }

    @Sendable func exportPersonEvents(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AccountStore.notFound }
        let person = try await PeopleDirectory.person(id, for: user, on: req.database)
        let events = try await AuditTrail.events(ofAccounts: [id], on: req.database)
        return try await eventsFile(req, events, people: [person], name: "nhat-ky-\(person.username)", today: VietnamTime.day(of: req.now))
    }

    func eventsFile(_ req: Request, _ events: [(object: UUID, event: AuditTrail.Event)], people: [PeopleDirectory.Person], name: String,
                    today: CalendarDay) async throws -> Response {
        let byID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let header = ["Thời điểm", "Tên đăng nhập", "Họ và tên", "Đơn vị", "Việc", "Người thực hiện", "Địa chỉ IP", "Mã yêu cầu", "Chi tiết"]
        var rows: [[SimpleWorkbook.Cell]] = events.map { e in
            let p = byID[e.object]
            return [.text(Format.short(e.event.at), .plain), .text(p?.username ?? e.object.canonicalText, .plain), .text(p?.displayName ?? "", .plain),
                    .text(p?.unitName ?? "", .plain), .text(e.event.label, .plain), .text(e.event.actor, .plain), .text(e.event.address, .plain),
                    .text(e.event.requestID, .plain),
                    .text(e.event.details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "), .plain)]
        }
        if events.count >= AuditTrail.exportLimit {
            rows.append([.text("Tệp dừng ở \(Format.number(AuditTrail.exportLimit)) sự kiện gần nhất; lọc theo đơn vị để xem các sự kiện cũ hơn.", .plain)])
        }
        return Download.response(try await SimpleWorkbook.tableOffLoop(on: req, name: "Nhật ký", header: header, rows: rows),
                                     name: "\(name)-\(today.iso).xlsx")
    }

    struct AccountForm: Content {
        var fullName: String?
        var unitCode: String?
        var role: String?
        var email: String?
        var phone: String?
        var title: String?
        var username: String?

        var input: AccountInput {
            AccountInput(fullName: fullName, unitCode: unitCode, role: role, email: email, phone: phone, title: title, username: username)
        }
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let input = AccountInput(unitCode: req.queryValue("unit").map { String($0.prefix(64)) } ?? "")
        return Layout.response(People.newForm(user: user, input: input, errors: FieldErrors(), sendsMail: req.application.sendsMail))
    }

    static func errors(_ problems: AccountProblems) -> FieldErrors {
        FieldErrors(messages: Dictionary(uniqueKeysWithValues: problems.byField.map { ($0.key.rawValue, $0.value) }))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let input = try req.content.decode(AccountForm.self).input
        let actor = Actor.person(user, req)
        do {
            let place = try await AccountStore.place(code: (input.unitCode ?? "").trimmingCharacters(in: .whitespaces), for: actor, on: req.database)
            let draft = try input.check(unitKind: place?.unit.kind).get()
            let now = req.now
            let invited = try await AccountStore.invite(draft, by: actor, config: req.application.dvkConfig, at: now, once: FormOnce.read(req),
                                                        on: req.database)
            return handover(req, user, title: "Đã tạo tài khoản", items: [
                item(req, invited, name: draft.fullName, unitName: place?.unit.name ?? draft.unitCode, role: draft.role)])
        } catch let problems as AccountProblems {
            return Layout.response(People.newForm(user: user, input: input, errors: Self.errors(problems), sendsMail: req.application.sendsMail),
                                   status: .unprocessableEntity)
        } catch let error as DomainError {
            var errors = FieldErrors()
            errors[FieldErrors.general] = error.message
            return Layout.response(People.newForm(user: user, input: input, errors: errors, sendsMail: req.application.sendsMail),
                                   status: DVKErrorMiddleware.describe(error).0)
        }
    }

    func item(_ req: Request, _ invited: AccountStore.Invited, name: String, unitName: String, role: Role) -> People.Handover {
        People.Handover(userID: invited.userID, name: name, username: invited.username, unitName: unitName, roleLabel: role.label,
                        url: invited.link.url(base: req.application.dvkConfig.publicURL ?? Self.origin(req)), token: invited.link.token,
                        emailed: invited.emailed, purpose: invited.link.purpose, until: invited.link.expiresAt)
    }

    /// Where this server answers, for a link handed over when `DVK_PUBLIC_URL` is not set:
    /// the request's own scheme and host, shown to the staff member who asked, never mailed.
    static func origin(_ req: Request) -> String {
        let host = (req.headers.first(name: .host) ?? "localhost").filter { $0.isASCII && ($0.isLetter || $0.isNumber || ".:-[]".contains($0)) }
        return (req.application.dvkConfig.secureCookies ? "https://" : "http://") + (host.isEmpty ? "localhost" : host)
    }

    func handover(_ req: Request, _ user: CurrentUser, title: String, items: [People.Handover]) -> Response {
        let intro = items.count == 1
            ? "Tài khoản \(items[0].username) (\(items[0].roleLabel), \(items[0].unitName)) chưa có mật khẩu: người dùng tự đặt khi mở liên kết mời."
            : "\(Format.number(items.count)) tài khoản chưa có mật khẩu: mỗi người tự đặt khi mở liên kết mời của mình."
        return Layout.response(People.handover(user: user, title: title, intro: intro, items: items))
    }

    // MARK: One person

    func personModel(_ req: Request, _ user: CurrentUser, _ id: UUID, form: AccountInput? = nil, errors: FieldErrors = FieldErrors()) async throws -> People.PersonModel {
        let now = req.now
        let person = try await PeopleDirectory.person(id, for: user, on: req.database)
        return People.PersonModel(
            user: user, person: person,
            sessions: try await PeopleDirectory.liveSessions(of: id, policy: req.application.dvkConfig.sessions, at: now, on: req.database),
            tokens: try await AuthStore.tokens(userID: id, on: req.database),
            recoveryCodes: try await TwoFactor.remainingRecoveryCodes(userID: id, on: req.database),
            events: try await AuditTrail.events(id: id, on: req.database), now: now,
            form: form ?? AccountInput(fullName: person.displayName, unitCode: person.unitCode, role: person.role.rawValue, email: person.email,
                                       phone: person.phone, title: person.title),
            errors: errors, sendsMail: req.application.sendsMail)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AccountStore.notFound }
        return Layout.response(People.show(try await personModel(req, user, id)))
    }

    @Sendable func act(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        guard let id = req.parameters.get("id", as: UUID.self), let action = req.parameters.get("action").flatMap(PersonAction.init(rawValue:))
        else { throw AccountStore.notFound }
        let actor = Actor.person(user, req)
        let config = req.application.dvkConfig
        let now = req.now
        let back = SiteURL.person(id)
        switch action {
        case .update:
            let input = try req.content.decode(AccountForm.self).input
            do {
                try await AccountStore.change(id, to: input, by: actor, at: now, on: req.database)
                return Flash.redirect(req, to: back, message: "Đã lưu thông tin tài khoản.")
            } catch let problems as AccountProblems {
                return Layout.response(People.show(try await personModel(req, user, id, form: input, errors: Self.errors(problems))), status: .unprocessableEntity)
            } catch let error as DomainError {
                var errors = FieldErrors()
                errors[FieldErrors.general] = error.message
                return Layout.response(People.show(try await personModel(req, user, id, form: input, errors: errors)), status: DVKErrorMiddleware.describe(error).0)
            }
        case .disable, .enable:
            try await AccountStore.setDisabled(id, action == .disable, by: actor, at: now, on: req.database)
            return Flash.redirect(req, to: back, message: action == .disable ? "Đã khóa tài khoản. Mọi phiên đăng nhập và mã truy cập của tài khoản đã dừng." : "Đã mở khóa tài khoản.")
        case .revoke:
            try await AccountStore.revokeInvitation(id, by: actor, at: now, on: req.database)
            return Flash.redirect(req, to: back, message: "Đã thu hồi lời mời.")
        case .invite, .reset:
            let person = try await PeopleDirectory.person(id, for: user, on: req.database)
            let made = action == .invite
                ? try await AccountStore.reinvite(id, by: actor, config: config, at: now, on: req.database)
                : try await AccountStore.issueReset(id, by: actor, config: config, at: now, on: req.database)
            return handover(req, user, title: action == .invite ? "Đã tạo lời mời mới" : "Đã cấp liên kết đặt lại mật khẩu",
                            items: [item(req, made, name: person.displayName, unitName: person.unitName, role: person.role)])
        case .letter:
            // A new link, printed: the invitation (or, for an active account, a reset).
            let person = try await PeopleDirectory.person(id, for: user, on: req.database)
            let made = person.passwordSetAt == nil
                ? try await AccountStore.reinvite(id, by: actor, config: config, at: now, on: req.database)
                : try await AccountStore.issueReset(id, by: actor, config: config, at: now, on: req.database)
            return try await lettersResponse(req, user, [(made.link, person)])
        case .resetTwoFactor:
            _ = try await AccountStore.managed(id, by: actor, on: req.database)
            try await TwoFactor.reset(userID: id, by: actor, at: now, on: req.database)
            return Flash.redirect(req, to: back, message: "Đã đặt lại xác thực hai lớp của tài khoản.")
        }
    }

    // MARK: Printed invitations

    /// Letters for links just handed over (their tokens come back from the page): each must
    /// be a live link of an account the user manages.
    @Sendable func letters(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let tokens = try req.content.get([String].self, at: "token").prefix(1_000)
        guard !tokens.isEmpty else { throw DomainError.invalid("Không có thư mời nào để in.") }
        let actor = Actor.person(user, req)
        let now = req.now
        var items: [(AccountStore.OneTimeLink, PeopleDirectory.Person)] = []
        for token in tokens {
            let holder = try await AccountStore.holder(of: token, at: now, on: req.database)
            _ = try await AccountStore.managed(holder.userID, by: actor, on: req.database)
            let person = try await PeopleDirectory.person(holder.userID, for: user, on: req.database)
            items.append((AccountStore.OneTimeLink(purpose: holder.purpose, token: token, userID: holder.userID, expiresAt: holder.expiresAt), person))
        }
        return try await lettersResponse(req, user, items)
    }

    func lettersResponse(_ req: Request, _ user: CurrentUser, _ items: [(AccountStore.OneTimeLink, PeopleDirectory.Person)]) async throws -> Response {
        let today = VietnamTime.day(of: req.now)
        let base = req.application.dvkConfig.publicURL ?? Self.origin(req)
        let letters = items.map { link, person in
            InvitationLetterInput(issuer: user.unitName, place: CampaignStore.place(from: user.unitName), date: today, purpose: link.purpose == .invite ? .invitation : .reset,
                                  personName: person.displayName, username: person.username, roleLabel: person.role.label,
                                  unitName: person.unitName, link: link.url(base: base), validUntil: VietnamTime.describe(link.expiresAt))
        }
        return try await DocumentDownload.response(req, OfficialDocuments.invitationLetters(letters), as: .pdf,
                                                   fileName: "thu-moi-\(user.unitCode)-\(today.iso).pdf")
    }

    // MARK: Import

    @Sendable func importForm(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        return Layout.response(People.importPage(user: user, error: nil))
    }

    @Sendable func template(req: Request) async throws -> Response {
        _ = try StaffAccess.manager(req)
        let header = AccountImport.columns.map(\.name)
        let example: [SimpleWorkbook.Cell] = [.text("LB-GD-THNL", .plain), .text("Nguyễn Thị Hoa", .plain), .text("Chủ tịch Công đoàn", .plain),
                                             .text("hoa.nguyen@example.vn", .plain), .text("0912 345 678", .plain),
                                             .text(Role.officer.label, .plain), .empty]
        return Download.response(try SimpleWorkbook.table(name: "Tài khoản", header: header, rows: [example]), name: "mau-tai-khoan.xlsx")
    }

    struct Upload: Content { var file: File? }

    @Sendable func importFile(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        guard let file = (try? req.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
            return Layout.response(People.importPage(user: user, error: "Vui lòng chọn tệp Excel (.xlsx) hoặc CSV để tải lên."), status: .unprocessableEntity)
        }
        do {
            let table = try await SpreadsheetUpload.table(req, Data(file.data.readableBytesView))
            let made = try await AccountImporter.run(table, by: .person(user, req), config: req.application.dvkConfig, at: req.now,
                                                     once: FormOnce.read(req), on: req.database)
            return handover(req, user, title: "Đã nhập danh sách tài khoản",
                            items: made.map { item(req, $0.invited, name: $0.draft.fullName, unitName: $0.unitName, role: $0.draft.role) })
        } catch DomainError.badFile(let lines, let total) {
            return Layout.response(People.importPage(user: user, error: nil, lines: lines, total: total), status: .unprocessableEntity)
        } catch let error as DomainError {
            return Layout.response(People.importPage(user: user, error: error.message), status: DVKErrorMiddleware.describe(error).0)
        }
    }

    // MARK: One account per unit

    func federation(_ req: Request, _ user: CurrentUser) async throws -> Unit {
        let code = req.parameters.get("code") ?? ""
        guard let place = try await AccountStore.place(code: code, for: .person(user, req), on: req.database), place.unit.kind == .federation else {
            throw DomainError.notFound("Không tìm thấy công đoàn cấp trên “\(String(code.prefix(64)))” trong phạm vi quản lý.")
        }
        return place.unit
    }

    @Sendable func unitAccountsForm(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let unit = try await federation(req, user)
        let candidates = try await PeopleDirectory.unitsWithoutOfficer(below: try unit.requireID(), on: req.database)
        return Layout.response(People.unitAccounts(user: user, unitCode: unit.code, unitName: unit.name, candidates: candidates,
                                                   sendsMail: req.application.sendsMail))
    }

    @Sendable func unitAccounts(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let unit = try await federation(req, user)
        let chosen = Set((try? req.content.get([String].self, at: "unit")) ?? [])
        let candidates = try await PeopleDirectory.unitsWithoutOfficer(below: try unit.requireID(), on: req.database).filter { chosen.contains($0.code) }
        guard !candidates.isEmpty else { throw DomainError.invalid("Chưa chọn đơn vị nào (hoặc các đơn vị đã chọn vừa có tài khoản).") }
        let drafts = candidates.map { c in
            AccountDraft(fullName: "Cán bộ " + DocumentHeader.grassrootsIssuer(unitName: c.name), unitCode: c.code, role: .officer,
                         email: c.email, phone: "", title: "", username: nil)
        }
        let made = try await AccountImporter.make(drafts.map { (0, $0) }, by: .person(user, req), config: req.application.dvkConfig, at: req.now, on: req.database)
        return handover(req, user, title: "Đã tạo tài khoản cho các đơn vị",
                        items: made.map { item(req, $0.invited, name: $0.draft.fullName, unitName: $0.unitName, role: $0.draft.role) })
    }
}
