import DVKCore
import Fluent
import Vapor

/// The staff's side of email: the messages of a campaign in their scope, sending a failed
/// one again, and reminding the units that have not handed in now.
struct MailController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.mail("").route, use: log)
        routes.post(SiteURL.mailResend("", UUID.random()).route, use: resend)
        routes.post(SiteURL.remindersSend("").route, use: remind)
    }

    @Sendable func log(req: Request) async throws -> Response {
        let view = try await campaign(req, user: StaffAccess.reader(req))
        let status = req.queryValue("status").flatMap(MailStatus.init(rawValue:))
        let model = try await MailLog.query(view, status: status, search: String((req.queryValue("q") ?? "").prefix(200)),
                                            page: req.queryInt("page"),
                                            sendsMail: req.application.sendsMail, now: req.now, on: req.database)
        return Layout.response(MailLog.view(model))
    }

    @Sendable func resend(req: Request) async throws -> Response {
        let view = try await campaign(req, user: StaffAccess.manager(req))
        guard req.application.sendsMail else { throw DomainError.conflict(Self.notSetUp) }
        guard let id = req.parameters.get("id", as: UUID.self), try await MailLog.entry(view, id: id, on: req.database) != nil else {
            throw DomainError.notFound("Không tìm thấy thư này trong phạm vi quản lý của đơn vị.")
        }
        try await Outbox.resend(id, at: req.now, on: req.database)
        return Flash.redirect(req, to: SiteURL.mail(view.campaign.code).link(query: [("status", MailStatus.queued.rawValue)]),
                              message: "Thư sẽ được gửi lại; thư được soạn lại với địa chỉ email hiện tại của đơn vị.")
    }

    /// Reminds now every unit of the user's scope that should get a reminder (the rule is
    /// `ReminderRuns`'): at most one per unit and day, whoever presses and however often.
    @Sendable func remind(req: Request) async throws -> Response {
        let view = try await campaign(req, user: StaffAccess.manager(req))
        guard req.application.sendsMail else { throw DomainError.conflict(Self.notSetUp) }
        guard view.campaign.state == .open else { throw DomainError.conflict("Đợt thi đua không còn mở: không gửi thư nhắc.") }
        let planned = try await ReminderRuns.enqueue(view.campaign, scope: view.scope, at: req.now, on: req.database)
        let queued = planned.filter { if case .queued = $0.outcome { true } else { false } }.count
        let today = planned.filter { $0.outcome == .alreadyToday }.count
        let noEmail = planned.filter { $0.outcome == .noEmail }.count
        var parts = ["Đã xếp \(Format.number(queued)) thư nhắc vào hàng chờ gửi"]
        if today > 0 { parts.append("\(Format.number(today)) đơn vị đã được nhắc hôm nay nên không gửi lại") }
        if noEmail > 0 { parts.append("\(Format.number(noEmail)) đơn vị chưa có email") }
        return Flash.redirect(req, to: .reminders(view.campaign.code), message: parts.joined(separator: "; ") + ".")
    }

    static let notSetUp = "Hệ thống chưa được cấu hình gửi email. Liên hệ quản trị hệ thống."

    private func campaign(_ req: Request, user: CurrentUser) async throws -> Access.CampaignView {
        try await Access.campaign(code: req.parameters.get("campaign") ?? "", user: user, read: req.takeReach(), on: req.database)
    }
}
