import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// Creating and editing campaigns, moving them through their states, re-syncing their tree.
struct CampaignAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.campaignNew.route, use: newForm)
        routes.post(SiteURL.campaignNew.route, use: create).bodyLimit(.longForm)
        routes.get(SiteURL.campaignEdit("").route, use: editForm)
        routes.post(SiteURL.campaignEdit("").route, use: update).bodyLimit(.longForm)
        routes.post(SiteURL.campaignState("").route, use: changeState)
        routes.post(SiteURL.campaignSync("").route, use: sync)
        routes.post(SiteURL.campaignPreview.route, use: preview).bodyLimit(.longForm)
    }

    /// The letter as the form stands, as a PDF in a new tab: nothing is saved. A new
    /// campaign's issuer must be one the user may launch from; an existing campaign (the edit
    /// form sends its code) must be one the user runs, and prints the names it froze, as its
    /// download does.
    @Sendable func preview(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let form = try req.content.decode([String: String].self)
        let values = CampaignForm.Values(form: form)
        let names: (issuer: String, superior: String)
        if let code = form["campaign"], !code.isEmpty {
            let view = try await Access.campaign(code: code, user: user, read: req.takeReach(), on: req.database)
            try StaffAccess.requireRun(view)
            names = (view.campaign.issuerName, view.campaign.superiorName)
        } else {
            let issuers = try await CampaignForm.issuers(for: user, on: req.database)
            guard let issuer = issuers.first(where: { $0.code == values.issuer }),
                  let unit = try await Unit.find(issuer.id, on: req.database) else {
                throw DomainError.forbidden("Chọn đơn vị phát động trong phạm vi của tài khoản.")
            }
            var superior = ""
            if let parentID = unit.parentID { superior = try await Unit.find(parentID, on: req.database)?.name ?? "" }
            names = (unit.name, superior)
        }
        let document = try CampaignForm.previewLetter(values, issuerName: names.issuer, superiorName: names.superior,
                                                      showNationalMotto: req.application.dvkConfig.showNationalMotto,
                                                      today: VietnamTime.day(of: req.now))
        return try await DocumentDownload.response(req, document, as: .pdf, fileName: "xem-truoc-cong-van.pdf", inline: true)
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let model = if let from = req.queryValue("from"), !from.isEmpty {
            try await CampaignForm.copyModel(user: user, code: String(from.prefix(100)), now: req.now, on: req.database)
        } else {
            try await CampaignForm.newModel(user: user, now: req.now, on: req.database)
        }
        return Layout.response(CampaignForm.view(model))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let values = CampaignForm.Values(form: try req.content.decode([String: String].self))
        let issuers = try await CampaignForm.issuers(for: user, on: req.database)
        do {
            let input = try await CampaignForm.validate(values, isNew: true, issuers: issuers, editing: nil, on: req.database)
            let campaign = try await CampaignStore.create(input, at: req.now, on: req.database)
            await PlannerStatistics.refresh(after: req)
            return Flash.redirect(req, to: .campaign(campaign.code),
                                  message: "Đã tạo đợt thi đua “\(campaign.title)” (\(campaign.state.label.lowercased())).")
        } catch let errors as FieldErrors {
            return try await newForm(req, user: user, values: values, errors: errors)
        } catch let error as DomainError {
            return try await newForm(req, user: user, values: values, errors: FieldErrors(messages: [FieldErrors.general: error.message]),
                                     status: DVKErrorMiddleware.describe(error).0)
        }
    }

    private func newForm(_ req: Request, user: CurrentUser, values: CampaignForm.Values, errors: FieldErrors,
                         status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
        let model = try await CampaignForm.newModel(user: user, values: values, errors: errors, now: req.now, on: req.database)
        return Layout.response(CampaignForm.view(model), status: status)
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let view = try await campaign(req, user: try StaffAccess.reader(req))
        let model = try await CampaignForm.editModel(view, now: req.now, on: req.database)
        return Layout.response(CampaignForm.view(model))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let view = try await campaign(req, user: try StaffAccess.manager(req))
        try StaffAccess.requireRun(view)
        let values = CampaignForm.Values(form: try req.content.decode([String: String].self))
        do {
            let input = try await CampaignForm.validate(values, isNew: false, issuers: [], editing: view.campaign, on: req.database)
            let campaign = try await CampaignStore.update(code: view.campaign.code, with: input, at: req.now, on: req.database)
            return Flash.redirect(req, to: .campaign(campaign.code), message: "Đã lưu thay đổi của đợt thi đua.")
        } catch let errors as FieldErrors {
            return try await editForm(req, view: view, values: values, errors: errors)
        } catch let error as DomainError {
            // A rule of the campaign (a sector in use, an archived campaign): the form comes
            // back as typed, with the reason on top and the status the error carries.
            return try await editForm(req, view: view, values: values, errors: FieldErrors(messages: [FieldErrors.general: error.message]),
                                      status: DVKErrorMiddleware.describe(error).0)
        }
    }

    private func editForm(_ req: Request, view: Access.CampaignView, values: CampaignForm.Values, errors: FieldErrors,
                          status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
        let model = try await CampaignForm.editModel(view, values: values, errors: errors, now: req.now, on: req.database)
        return Layout.response(CampaignForm.view(model), status: status)
    }

    struct StateForm: Content {
        var to: String
    }

    @Sendable func changeState(req: Request) async throws -> Response {
        let view = try await campaign(req, user: try StaffAccess.manager(req))
        try StaffAccess.requireRun(view)
        let form = try req.content.decode(StateForm.self)
        guard let next = CampaignState(rawValue: form.to) else {
            throw WebError.badRequest("Trạng thái “\(form.to)” không hợp lệ.")
        }
        let campaign = try await CampaignStore.changeState(code: view.campaign.code, to: next, at: req.now, on: req.database)
        if CampaignStore.takesTree(from: view.campaign.state, to: next) { await PlannerStatistics.refresh(after: req) }
        let message = switch (view.campaign.state, next) {
        case (.draft, .open): "Đã mở đợt thi đua; các đơn vị bắt đầu đăng ký được."
        case (.closed, .open): "Đã mở lại đợt thi đua."
        case (_, .closed): "Đã đóng đợt thi đua."
        default: "Đợt thi đua đã chuyển sang “\(next.label)”."
        }
        return Flash.redirect(req, to: .campaign(campaign.code), message: message)
    }

    @Sendable func sync(req: Request) async throws -> Response {
        let view = try await campaign(req, user: try StaffAccess.manager(req))
        try StaffAccess.requireRun(view)
        let campaign = try await CampaignStore.resync(code: view.campaign.code, at: req.now, on: req.database)
        await PlannerStatistics.refresh(after: req)
        let targets = try await CampaignUnit.query(on: req.database).filter(\.$campaignID == campaign.id).filter(\.$isTarget == true).count()
        return Flash.redirect(req, to: .campaign(campaign.code),
                              message: "Đã cập nhật danh sách đơn vị hiện tại vào đợt thi đua: \(Format.number(targets)) công đoàn cơ sở tham gia.")
    }

    private func campaign(_ req: Request, user: CurrentUser) async throws -> Access.CampaignView {
        let code = req.parameters.get("campaign") ?? ""
        return try await Access.campaign(code: code, user: user, read: req.takeReach(), on: req.database)
    }
}
