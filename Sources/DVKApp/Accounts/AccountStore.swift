import DVKCore
import FluentKit
import Foundation
import SQLKit
import Vapor

/// Accounts a federation manages: invitations instead of typed passwords, one-time links
/// to set or reset a password, disabling, changing role or unit. Every step asks
/// `AccountRules` (DVKCore), runs in one write transaction and leaves an event in the trail.
enum AccountStore {
    /// A one-time link: its secret (shown or mailed once, only its hash stored).
    struct OneTimeLink: Sendable, Equatable {
        enum Purpose: String, Sendable { case invite, reset }
        var purpose: Purpose
        var token: String
        var userID: UUID
        var expiresAt: Date

        /// Its address: under `DVK_PUBLIC_URL`, or a path of this site without it.
        func url(base: String?) -> String {
            (base ?? "") + (purpose == .invite ? SiteURL.invitation(token) : SiteURL.passwordReset(token)).path
        }
    }

    /// What `invite` made: the account, its link, and whether the link went by email.
    struct Invited: Sendable {
        var userID: UUID
        var username: String
        var link: OneTimeLink
        var emailed: Bool
    }

    /// How long a reset link asked from the sign-in page works.
    static let resetLifetime: TimeInterval = 30 * 60

    static func emailTaken(_ email: String) -> DomainError {
        .conflict("Địa chỉ email \(String(email.prefix(80))) đã dùng cho một tài khoản khác.")
    }

    static let gone = DomainError.notFound("Liên kết này không còn dùng được: đã dùng, đã hết hạn hoặc đã được thay bằng liên kết mới. Vui lòng đề nghị công đoàn cấp trên gửi lại, hoặc dùng “Quên mật khẩu?” ở trang đăng nhập.")

    // MARK: Where a unit stands from someone

    /// `unitID` from `actor`: their unit, below it, or outside. The CLI reaches everything.
    static func reach(of unitID: UUID, from actor: Actor, on db: any Database) async throws -> Reach {
        guard let own = actor.unitID else { return .below }
        if unitID == own { return .own }
        var current = try await Unit.find(unitID, on: db)?.parentID
        var steps = 0
        while let id = current, steps < 64 {
            if id == own { return .below }
            current = try await Unit.find(id, on: db)?.parentID
            steps += 1
        }
        return .outside
    }

    /// A unit by code, if the actor reaches it (an administrator reaches every unit); nil
    /// otherwise, the same as for a code that does not exist.
    static func place(code: String, for actor: Actor, on db: any Database) async throws -> (unit: Unit, reach: Reach)? {
        guard let unit = try await Unit.query(on: db).filter(\.$code == code).first() else { return nil }
        let reach = try await reach(of: try unit.requireID(), from: actor, on: db)
        guard reach != .outside || actor.role == .admin else { return nil }
        return (unit, reach)
    }

    /// An account the actor may act on (its current role and unit within the rule), else
    /// "not found" (outside reach) or "forbidden" (a role above the actor's).
    static func managed(_ userID: UUID, by actor: Actor, on db: any Database) async throws -> (user: User, unit: Unit) {
        guard let user = try await User.find(userID, on: db), let unit = try await Unit.find(user.unitID, on: db) else { throw notFound }
        let reach = try await reach(of: user.unitID, from: actor, on: db)
        if reach == .outside, actor.role != .admin { throw notFound }
        if let refusal = AccountRules.refusal(grant: user.role, at: unit.kind, reach: reach, by: actor.role) {
            throw DomainError.forbidden(refusal)
        }
        return (user, unit)
    }

    static let notFound = DomainError.notFound("Không tìm thấy tài khoản này trong phạm vi quản lý.")

    /// Refuses a unit that was dissolved or merged (`AccountRules.endedUnit`), holding a live
    /// one's row until the transaction ends so that it cannot end meanwhile.
    static func requireLive(_ unit: Unit, on db: any Database) async throws {
        guard try await UnitEditor.holdLive(unit.requireID(), on: db) else {
            guard let ended = try await Unit.find(unit.requireID(), on: db)?.endedAt else {
                throw DomainError.notFound("Không tìm thấy đơn vị “\(unit.name)”.")
            }
            throw DomainError.conflict(AccountRules.endedUnit(unit.name, endedAt: ended) ?? "")
        }
    }

    // MARK: Inviting

    /// Makes an account without a password and its invitation; mails it when the person has
    /// an address and DVK sends mail. Two staff inviting the same person at once: one makes
    /// it, the other is told the address (or name) is taken.
    static func invite(_ draft: AccountDraft, by actor: Actor, config: AppConfig, at now: Date, once: String? = nil,
                       on db: any Database) async throws -> Invited {
        guard let (unit, reach) = try await place(code: draft.unitCode, for: actor, on: db) else {
            throw DomainError.invalid("Không có đơn vị mã “\(String(draft.unitCode.prefix(80)))” trong phạm vi quản lý.")
        }
        if let refusal = AccountRules.refusal(grant: draft.role, at: unit.kind, reach: reach, by: actor.role) {
            throw DomainError.forbidden(refusal)
        }
        let unitID = try unit.requireID()
        let token = Tokens.random()
        let expires = now.addingTimeInterval(Double(config.invitationDays) * 86_400)
        do {
            return try await db.write { db in
                try await FormOnce.spend(once, at: now, on: db)
                try await requireLive(unit, on: db)
                let username = try await freeUsername(draft, on: db)
                if !draft.email.isEmpty, try await User.query(on: db).filter(\.$emailKey == draft.email.lowercased()).first() != nil {
                    throw emailTaken(draft.email)
                }
                let user = User(username: username, displayName: draft.fullName, passwordHash: "", role: draft.role, unitID: unitID,
                                passwordSetAt: nil)
                user.email = draft.email
                user.emailKey = draft.email.isEmpty ? nil : draft.email.lowercased()
                user.phone = draft.phone
                user.title = draft.title
                try await user.create(on: db)
                let userID = try user.requireID()
                let link = OneTimeLink(purpose: .invite, token: token, userID: userID, expiresAt: expires)
                try await insert(link, by: actor, at: now, on: db)
                let emailed = try await mail(link, to: user, unitName: unit.name, config: config, at: now, on: db)
                try await AuditTrail.record("account.invited", id: userID, unitID: unitID, details: [
                    "Tên đăng nhập": username, "Họ và tên": draft.fullName, "Vai trò": draft.role.label, "Đơn vị": unit.name,
                    "Email": draft.email, "Lời mời": emailed ? "gửi qua email" : "trao tay (liên kết hoặc thư in)",
                ], by: actor, at: now, on: db)
                return Invited(userID: userID, username: username, link: link, emailed: emailed)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError.conflict("Tài khoản này vừa được tạo ở nơi khác (trùng tên đăng nhập hoặc email). Tải lại danh sách rồi kiểm tra.")
        }
    }

    /// The asked username, or the first free one of its base ("ngoclam", "ngoclam2", …).
    static func freeUsername(_ draft: AccountDraft, on db: any Database) async throws -> String {
        if let asked = draft.username {
            guard try await User.query(on: db).filter(\.$username == asked).first() == nil else {
                throw DomainError.conflict("Đã có tài khoản tên đăng nhập “\(asked)”.")
            }
            return asked
        }
        let base = draft.usernameBase
        let taken = Set(try await db.sql().raw("""
            SELECT username FROM users WHERE username = \(bind: base) OR username LIKE \(bind: Library.likeEscaped(base) + "%") ESCAPE '!'
            """).all().map { try $0.decode(column: "username", as: String.self) })
        if !taken.contains(base) { return base }
        var n = 2
        while taken.contains(base + String(n)) { n += 1 }
        return base + String(n)
    }

    private static func insert(_ link: OneTimeLink, by actor: Actor, at now: Date, on db: any Database) async throws {
        try await db.sql().insert(into: "invitations").columns("id", "user_id", "purpose", "token_hash", "created_at", "expires_at", "created_by")
            .values(UUID.random(), link.userID, link.purpose.rawValue, Tokens.hash(link.token), now, link.expiresAt, actor.label).run()
    }

    /// Queues the link's message, written whole (its token is nowhere else): true when it
    /// will go by email.
    private static func mail(_ link: OneTimeLink, to user: User, unitName: String, config: AppConfig, at now: Date,
                             on db: any Database) async throws -> Bool {
        guard let draft = message(link, name: user.displayName, username: user.username, email: user.email, role: user.role,
                                  unitName: unitName, unitID: user.unitID, config: config, at: now) else { return false }
        try await Outbox.enqueue([draft], at: now, on: db)
        return true
    }

    /// The invitation or reset message of `link`, whole, or nil when it cannot go by email
    /// (no address, or DVK sends none).
    static func message(_ link: OneTimeLink, name: String, username: String, email: String, role: Role, unitName: String, unitID: UUID,
                        config: AppConfig, at now: Date) -> OutboxDraft? {
        guard let settings = config.mail, !email.isEmpty, let to = Mailbox(name: name, address: email) else { return nil }
        let until = VietnamTime.describe(link.expiresAt)
        let signature = settings.from.name.isEmpty ? "DVK" : settings.from.name
        let content: MailContent
        switch link.purpose {
        case .invite:
            content = MailContent(subject: "Lời mời dùng DVK – đăng ký mô hình “Dân vận khéo”",
                                  greeting: "Kính gửi: \(name)",
                                  paragraphs: ["Anh/chị được tạo tài khoản trên DVK, hệ thống đăng ký và theo dõi mô hình “Dân vận khéo” của công đoàn.",
                                               "Mở liên kết dưới đây để đặt mật khẩu và đăng nhập. Liên kết dùng được một lần, đến \(until)."],
                                  facts: [("Tên đăng nhập", username), ("Vai trò", role.label), ("Đơn vị", unitName)],
                                  link: ("Đặt mật khẩu và đăng nhập", Link(base: settings.publicURL, .invitation(link.token))), signature: signature)
        case .reset:
            content = MailContent(subject: "Đặt lại mật khẩu DVK",
                                  greeting: "Kính gửi: \(name)",
                                  paragraphs: ["Có yêu cầu đặt lại mật khẩu cho tài khoản DVK của anh/chị.",
                                               "Mở liên kết dưới đây để đặt mật khẩu mới; các phiên đăng nhập khác sẽ kết thúc. Liên kết dùng được một lần, đến \(until).",
                                               "Nếu anh/chị không yêu cầu, hãy bỏ qua thư này: mật khẩu hiện tại vẫn dùng được."],
                                  facts: [("Tên đăng nhập", username)],
                                  link: ("Đặt mật khẩu mới", Link(base: settings.publicURL, .passwordReset(link.token))), signature: signature)
        }
        let message = MailMessage(from: settings.from, to: [to], subject: content.subject, text: content.text, html: content.html,
                                  date: now, messageID: MailMessage.messageID(UUID.random(), from: settings.from))
        return OutboxDraft(kind: link.purpose == .invite ? .invitation : .passwordReset, campaignID: nil, unitID: unitID, userID: link.userID,
                           toAddress: to.address, toName: to.name, subject: content.subject, message: message.rendered())
    }

    /// A new invitation (the live ones revoked): for an account that has not set its password.
    static func reinvite(_ userID: UUID, by actor: Actor, config: AppConfig, at now: Date, on db: any Database) async throws -> Invited {
        let (user, unit) = try await managed(userID, by: actor, on: db)
        guard user.passwordSetAt == nil else {
            throw DomainError.conflict("Tài khoản đã đặt mật khẩu; dùng “Cấp liên kết đặt lại mật khẩu” nếu người dùng quên.")
        }
        guard !user.disabled else { throw DomainError.conflict("Tài khoản đang bị khóa; mở khóa trước khi mời lại.") }
        return try await newLink(.invite, for: user, unit: unit, recorded: "account.invitation_resent", as: "Lời mời",
                                 by: actor, config: config, at: now, on: db)
    }

    /// A new link of `purpose` for a person, the live ones revoked, mailed when it can be,
    /// recorded as `action` (the trail says under `label` how it went).
    private static func newLink(_ purpose: OneTimeLink.Purpose, for user: User, unit: Unit, recorded action: String, as label: String,
                                by actor: Actor, config: AppConfig, at now: Date, on db: any Database) async throws -> Invited {
        let userID = try user.requireID()
        let link = OneTimeLink(purpose: purpose, token: Tokens.random(), userID: userID,
                               expiresAt: now.addingTimeInterval(Double(config.invitationDays) * 86_400))
        return try await db.write { db in
            try await revokeLinks(userID, at: now, on: db)
            try await insert(link, by: actor, at: now, on: db)
            let emailed = try await mail(link, to: user, unitName: unit.name, config: config, at: now, on: db)
            try await AuditTrail.record(action, id: userID, unitID: user.unitID,
                                        details: [label: emailed ? "gửi qua email" : "trao tay (liên kết hoặc thư in)"], by: actor, at: now, on: db)
            return Invited(userID: userID, username: user.username, link: link, emailed: emailed)
        }
    }

    /// Ends the live invitation: the link stops working.
    static func revokeInvitation(_ userID: UUID, by actor: Actor, at now: Date, on db: any Database) async throws {
        let (user, _) = try await managed(userID, by: actor, on: db)
        try await db.write { db in
            guard try await revokeLinks(userID, at: now, on: db) > 0 else { throw DomainError.conflict("Tài khoản không có lời mời nào đang chờ.") }
            try await AuditTrail.record("account.invitation_revoked", id: userID, unitID: user.unitID, by: actor, at: now, on: db)
        }
    }

    /// Disables every account of a unit that ended, in the ending's transaction: sessions,
    /// pending second steps and links end with it, and each is an event of its trail with
    /// the reason. The accounts disabled, by name.
    static func disableAll(of unitID: UUID, reason: String, by actor: Actor, at now: Date,
                           on db: any Database) async throws -> [(id: UUID, username: String, displayName: String, role: Role)] {
        let sql = try db.sql()
        let rows = try await sql.raw("""
            UPDATE users SET disabled = \(bind: true) WHERE unit_id = \(bind: unitID) AND disabled = \(bind: false)
            RETURNING id, username, display_name, role
            """).all()
        var out: [(id: UUID, username: String, displayName: String, role: Role)] = []
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            try await sql.delete(from: "sessions").where("user_id", .equal, id).run()
            try await sql.delete(from: "login_challenges").where("user_id", .equal, id).run()
            try await revokeLinks(id, at: now, on: db)
            try await AuditTrail.record("account.disabled", id: id, unitID: unitID, details: ["Lý do": reason], by: actor, at: now, on: db)
            out.append((id, try row.decode(column: "username", as: String.self), try row.decode(column: "display_name", as: String.self),
                        Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer))
        }
        return out.sorted { ($0.displayName, $0.username) < ($1.displayName, $1.username) }
    }

    @discardableResult
    private static func revokeLinks(_ userID: UUID, at now: Date, on db: any Database) async throws -> Int {
        try await db.sql().raw("""
            UPDATE invitations SET revoked_at = \(bind: now) WHERE user_id = \(bind: userID) AND used_at IS NULL AND revoked_at IS NULL
              AND expires_at > \(bind: now) RETURNING id
            """).all().count
    }

    // MARK: Following a link

    /// What a link's page shows before the password is set: whose it is.
    struct LinkHolder: Sendable {
        var userID: UUID
        var username: String
        var displayName: String
        var email: String
        var role: Role
        var unitName: String
        var purpose: OneTimeLink.Purpose
        var expiresAt: Date
    }

    static func holder(of token: String, at now: Date, on db: any Database) async throws -> LinkHolder {
        guard let row = try await db.sql().raw("""
            SELECT i.user_id, i.purpose, i.expires_at, u.username, u.display_name, u.email, u.role, n.name AS unit_name
            FROM invitations i JOIN users u ON u.id = i.user_id JOIN units n ON n.id = u.unit_id
            WHERE i.token_hash = \(bind: Tokens.hash(token)) AND i.used_at IS NULL AND i.revoked_at IS NULL
              AND i.expires_at > \(bind: now) AND u.disabled = \(bind: false)
            """).first()
        else { throw gone }
        return LinkHolder(userID: try row.decode(column: "user_id", as: UUID.self), username: try row.decode(column: "username", as: String.self),
                          displayName: try row.decode(column: "display_name", as: String.self), email: try row.decode(column: "email", as: String.self),
                          role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
                          unitName: try row.decode(column: "unit_name", as: String.self),
                          purpose: OneTimeLink.Purpose(rawValue: try row.decode(column: "purpose", as: String.self)) ?? .invite,
                          expiresAt: try row.decode(column: "expires_at", as: Date.self))
    }

    /// Sets the password a link asks for and ends the link (and the account's other live
    /// links; for a reset, its other sessions too). Two tabs using one link: one sets the
    /// password, the other is told the link is used. Returns the account, to sign it in.
    static func use(token: String, password: String, displayName: String?, address: String, at now: Date,
                    on db: any Database) async throws -> UUID {
        let holder = try await holder(of: token, at: now, on: db)
        if let problem = PasswordPolicy.problem(password, username: holder.username, unitName: holder.unitName, email: holder.email) {
            throw DomainError.invalid(problem)
        }
        var typedName = holder.displayName
        if let typed = displayName, !typed.trimmingCharacters(in: .whitespaces).isEmpty { typedName = try AccountInput.nameRule.validated(typed) }
        let name = typedName
        let hash = try await AuthStore.hashPassword(password)
        let actor = Actor(userID: holder.userID, role: holder.role, unitID: nil, label: "\(name) (\(holder.role.label), \(holder.unitName))",
                          address: address, requestID: "")
        try await db.write { db in
            let sql = try db.sql()
            guard try await sql.raw("""
                UPDATE invitations SET used_at = \(bind: now) WHERE token_hash = \(bind: Tokens.hash(token)) AND used_at IS NULL
                  AND revoked_at IS NULL AND expires_at > \(bind: now) RETURNING id
                """).first() != nil
            else { throw DomainError.conflict("Liên kết này vừa được dùng ở một cửa sổ khác. Hãy đăng nhập bằng mật khẩu vừa đặt.") }
            try await revokeLinks(holder.userID, at: now, on: db)
            try await sql.update("users").set("password_hash", to: hash).set("password_set_at", to: now).set("display_name", to: name)
                .where("id", .equal, holder.userID).run()
            if holder.purpose == .reset { try await sql.delete(from: "sessions").where("user_id", .equal, holder.userID).run() }
            try await AuditTrail.record(holder.purpose == .invite ? "account.invitation_accepted" : "account.password_reset",
                                        id: holder.userID, unitID: nil, by: actor, at: now, on: db)
        }
        return holder.userID
    }

    // MARK: Resets

    /// "Quên mật khẩu?": the same for a name that exists and one that does not (the page
    /// says the same; the caller makes it take the same time). A link goes only to an
    /// active account with an address, at most `resetsPerHour` an hour.
    static let resetsPerHour = 3

    static func requestReset(_ nameOrEmail: String, address: String, config: AppConfig, at now: Date, on db: any Database) async throws {
        let name = nameOrEmail.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.utf8.count <= 254, config.mail != nil,
              let user = try await AuthStore.account(named: name, on: db),
              !user.disabled, user.passwordSetAt != nil, !user.email.isEmpty,
              let unit = try await Unit.find(user.unitID, on: db)
        else { return }
        let userID = try user.requireID()
        let actor = Actor(userID: nil, role: .viewer, unitID: nil, label: "(trang Quên mật khẩu)", address: address, requestID: "")
        try await db.write { db in
            let recent = try await db.sql().raw("""
                SELECT COUNT(*) AS n FROM invitations WHERE user_id = \(bind: userID) AND purpose = 'reset' AND created_at > \(bind: now.addingTimeInterval(-3600))
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard recent < resetsPerHour else { return }
            let link = OneTimeLink(purpose: .reset, token: Tokens.random(), userID: userID, expiresAt: now.addingTimeInterval(resetLifetime))
            try await insert(link, by: actor, at: now, on: db)
            _ = try await mail(link, to: user, unitName: unit.name, config: config, at: now, on: db)
            try await AuditTrail.record("account.reset_requested", id: userID, unitID: user.unitID, by: actor, at: now, on: db)
        }
    }

    /// A reset link staff hand over (mailed when they can): it lasts as an invitation does.
    static func issueReset(_ userID: UUID, by actor: Actor, config: AppConfig, at now: Date, on db: any Database) async throws -> Invited {
        let (user, unit) = try await managed(userID, by: actor, on: db)
        guard user.passwordSetAt != nil else { throw DomainError.conflict("Tài khoản chưa nhận lời mời: dùng “Gửi lại lời mời”.") }
        guard !user.disabled else { throw DomainError.conflict("Tài khoản đang bị khóa; mở khóa trước.") }
        return try await newLink(.reset, for: user, unit: unit, recorded: "account.reset_issued", as: "Liên kết",
                                 by: actor, config: config, at: now, on: db)
    }

    // MARK: Changing an account

    /// Disables (every session and token stops at the next request) or enables an account.
    static func setDisabled(_ userID: UUID, _ disabled: Bool, by actor: Actor, at now: Date, on db: any Database) async throws {
        guard userID != actor.userID else { throw DomainError.conflict("Không tự khóa hay mở khóa tài khoản của chính mình.") }
        let (user, _) = try await managed(userID, by: actor, on: db)
        try await db.write { db in
            let sql = try db.sql()
            guard try await sql.raw("""
                UPDATE users SET disabled = \(bind: disabled) WHERE id = \(bind: userID) AND disabled = \(bind: !disabled) RETURNING id
                """).first() != nil
            else { throw DomainError.conflict(disabled ? "Tài khoản đã bị khóa." : "Tài khoản đang hoạt động.") }
            if !disabled, let unit = try await Unit.find(user.unitID, on: db) { try await requireLive(unit, on: db) }
            if disabled {
                try await sql.delete(from: "sessions").where("user_id", .equal, userID).run()
                try await sql.delete(from: "login_challenges").where("user_id", .equal, userID).run()
                try await revokeLinks(userID, at: now, on: db)
            }
            try await AuditTrail.record(disabled ? "account.disabled" : "account.enabled", id: userID, unitID: user.unitID, by: actor, at: now, on: db)
        }
    }

    /// Changes a person's name, contacts, role or unit, within the rule for the account as
    /// it is and as it becomes.
    static func change(_ userID: UUID, to input: AccountInput, by actor: Actor, at now: Date, on db: any Database) async throws {
        let (user, unit) = try await managed(userID, by: actor, on: db)
        let code = input.unitCode ?? unit.code
        let target = try await place(code: code, for: actor, on: db)
        let draft = try input.check(unitKind: target?.unit.kind).get()
        guard let (newUnit, reach) = target else { throw DomainError.invalid("Không có đơn vị mã “\(code)” trong phạm vi quản lý.") }
        if userID == actor.userID, draft.role != user.role || newUnit.id != user.unitID {
            throw DomainError.forbidden("Không tự đổi vai trò hay đơn vị của chính mình.")
        }
        if let refusal = AccountRules.refusal(grant: draft.role, at: newUnit.kind, reach: reach, by: actor.role) { throw DomainError.forbidden(refusal) }
        var changes: [String: String] = [:]
        func note(_ label: String, _ old: String, _ new: String) { if old != new { changes[label] = "\(old) → \(new)" } }
        note("Họ và tên", user.displayName, draft.fullName)
        note("Vai trò", user.role.label, draft.role.label)
        note("Đơn vị", unit.name, newUnit.name)
        note("Email", user.email, draft.email)
        note("Số điện thoại", user.phone, draft.phone)
        note("Chức vụ", user.title, draft.title)
        guard !changes.isEmpty else { return }
        let details = changes
        do {
            try await db.write { db in
                if newUnit.id != unit.id { try await requireLive(newUnit, on: db) }
                try await db.sql().update("users").set("display_name", to: draft.fullName).set("role", to: draft.role.rawValue)
                    .set("unit_id", to: try newUnit.requireID()).set("email", to: draft.email)
                    .set("email_key", to: draft.email.isEmpty ? nil : draft.email.lowercased())
                    .set("phone", to: draft.phone).set("title", to: draft.title).where("id", .equal, userID).run()
                try await AuditTrail.record("account.changed", id: userID, unitID: newUnit.id, details: details, by: actor, at: now, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw emailTaken(draft.email)
        }
    }
}
