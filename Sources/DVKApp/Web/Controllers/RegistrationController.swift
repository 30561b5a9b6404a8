import DVKCore
import Fluent
import Plot
import Vapor

/// A grassroots unit's work in a campaign: its page, initiatives, submission, upload,
/// and the reviewer's accept / return / extension on the same unit.
struct RegistrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let unit = routes.grouped("campaigns", ":campaign", "units", ":unit")
        unit.get(use: page)
        unit.get("initiatives", "new", use: newForm)
        unit.post("initiatives", "new", use: create)
        unit.get("initiatives", ":id", "edit", use: editForm)
        unit.post("initiatives", ":id", "edit", use: update)
        unit.post("initiatives", ":id", "delete", use: delete)
        unit.get("submit", use: confirmSubmit)
        unit.post("submit", use: submit)
        unit.post("declare", use: declare)
        unit.post("review", use: review)
        unit.post("extension", use: extend)
        unit.get("import", use: uploadForm)
        unit.on(.POST, "import", body: .collect(maxSize: "10mb"), use: upload)
    }

    /// The campaign as the user sees it and the unit of the URL, both inside their scope.
    struct Context {
        var user: CurrentUser
        var view: Access.CampaignView
        var unit: CampaignUnit
    }

    func context(_ req: Request) async throws -> Context {
        let user = try req.requireUser()
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, on: req.db)
        let unit = try await Access.snapshotUnit(view, code: try req.parameters.require("unit"), on: req.db)
        guard unit.isTarget else { throw DomainError.notFound("Đơn vị “\(unit.code)” không đăng ký trong đợt thi đua này.") }
        return Context(user: user, view: view, unit: unit)
    }

    func model(_ ctx: Context, _ req: Request) async throws -> UnitPage.Model {
        try await UnitPage.query(view: ctx.view, unit: ctx.unit, now: Date(), flash: req.query[String.self, at: "ok"], on: req.db)
    }

    func requireRegister(_ ctx: Context) throws {
        guard ctx.view.canRegister(ctx.unit.snapshot) else {
            throw WebError.forbidden("Chỉ cán bộ công đoàn cơ sở của đơn vị (hoặc cán bộ liên đoàn) mới đăng ký, sửa, nộp được.")
        }
    }

    func back(_ ctx: Context, _ message: String) -> Response {
        Response(status: .seeOther, headers: ["Location": SiteURL.unitPage(campaign: ctx.view.campaign.code, unit: ctx.unit.code).path
            + "?ok=" + (message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")])
    }

    @Sendable func page(req: Request) async throws -> Response {
        Layout.response(UnitPage.view(try await model(try await context(req), req)))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        return Layout.response(InitiativeForm.view(try await InitiativeForm.query(view: ctx.view, unit: ctx.unit, editing: nil, input: nil, error: nil, on: req.db)))
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        let id = try req.parameters.require("id", as: UUID.self)
        return Layout.response(InitiativeForm.view(try await InitiativeForm.query(view: ctx.view, unit: ctx.unit, editing: id, input: nil, error: nil, on: req.db)))
    }

    @Sendable func create(req: Request) async throws -> Response { try await save(req: req, id: nil) }
    @Sendable func update(req: Request) async throws -> Response { try await save(req: req, id: try req.parameters.require("id", as: UUID.self)) }

    func save(req: Request, id: UUID?) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        let input = try req.content.decode(InitiativeForm.Input.self)
        do {
            let (draft, continues) = try input.draft(sectors: ctx.view.campaign.sectors).get()
            try await RegistrationStore.save(draft, id: id, continues: continues, campaign: ctx.view.campaign,
                                             unitID: ctx.unit.unitID, actor: ctx.user.username, on: req.db)
            return back(ctx, id == nil ? "Đã thêm mô hình “\(draft.title)”." : "Đã lưu mô hình “\(draft.title)”.")
        } catch let error as DomainError {
            let model = try await InitiativeForm.query(view: ctx.view, unit: ctx.unit, editing: id, input: input, error: error.message, on: req.db)
            return Layout.response(InitiativeForm.view(model), status: .unprocessableEntity)
        }
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        try await RegistrationStore.delete(initiativeID: try req.parameters.require("id", as: UUID.self), campaign: ctx.view.campaign,
                                           unitID: ctx.unit.unitID, on: req.db)
        return back(ctx, "Đã xóa mô hình.")
    }

    @Sendable func confirmSubmit(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        return Layout.response(SubmitPage.view(try await model(ctx, req)))
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        let s = try await RegistrationStore.perform(.submit, campaign: ctx.view.campaign, unitID: ctx.unit.unitID, actor: ctx.user.username,
                                                    extendedUntil: ctx.unit.extendedUntil, on: req.db)
        return back(ctx, s.status == .resubmitted ? "Đã nộp lại đăng ký." : "Đã nộp đăng ký. Liên đoàn sẽ xem xét.")
    }

    @Sendable func declare(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        try await RegistrationStore.perform(.declare, campaign: ctx.view.campaign, unitID: ctx.unit.unitID, actor: ctx.user.username,
                                            extendedUntil: ctx.unit.extendedUntil, on: req.db)
        return back(ctx, "Đã ghi nhận: đơn vị không đăng ký mô hình năm nay.")
    }

    struct ReviewForm: Content {
        var decision: String
        var reason: String?
    }

    @Sendable func review(req: Request) async throws -> Response {
        let ctx = try await context(req)
        guard ctx.view.canReview(ctx.unit.snapshot) else { throw WebError.forbidden("Chỉ cán bộ liên đoàn mới duyệt hoặc trả lại hồ sơ.") }
        let form = try req.content.decode(ReviewForm.self)
        let action: SubmissionAction
        switch form.decision {
        case "accept": action = .accept
        case "return": action = .return
        default: throw WebError.badRequest("Quyết định không hợp lệ.")
        }
        try await RegistrationStore.perform(action, campaign: ctx.view.campaign, unitID: ctx.unit.unitID, actor: ctx.user.username,
                                            reason: form.reason ?? "", on: req.db)
        return back(ctx, action == .accept ? "Đã duyệt hồ sơ." : "Đã trả lại hồ sơ kèm lý do.")
    }

    struct ExtensionForm: Content {
        var date: String
        var time: String?
    }

    @Sendable func extend(req: Request) async throws -> Response {
        let ctx = try await context(req)
        guard ctx.view.canReview(ctx.unit.snapshot) else { throw WebError.forbidden("Chỉ cán bộ liên đoàn mới gia hạn được.") }
        let form = try req.content.decode(ExtensionForm.self)
        guard let until = InstantParser.parse(form.date + "T" + ((form.time ?? "").isEmpty ? "00:00" : form.time!)) else {
            throw DomainError.invalid("Ngày giờ gia hạn không hợp lệ.")
        }
        guard until > ctx.view.campaign.deadline else {
            throw DomainError.invalid("Hạn gia hạn phải sau hạn chung (\(VietnamTime.describe(ctx.view.campaign.deadline))).")
        }
        ctx.unit.extendedUntil = until
        try await ctx.unit.save(on: req.db)
        return back(ctx, "Đã gia hạn đến \(VietnamTime.describe(until)).")
    }

    @Sendable func uploadForm(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        return Layout.response(UploadPage.view(try await model(ctx, req)))
    }

    struct UploadForm: Content {
        var file: File
    }

    @Sendable func upload(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        let model = try await model(ctx, req)
        guard model.status.isEditable else { throw DomainError.conflict("Hồ sơ đã nộp, không tải lên thêm được.") }
        do {
            let form = try req.content.decode(UploadForm.self)
            let table = try CSVTable(data: Data(form.file.data.readableBytesView))
            let r = try await InitiativeImporter.run(table, campaign: ctx.view.campaign, actor: ctx.user.username,
                                                     restrictTo: ctx.unit.unitID, submit: false, on: req.db)
            var message = "Đã nhập \(r.added) mô hình mới từ \(r.rows) dòng"
            if r.alreadyThere > 0 { message += ", \(r.alreadyThere) mô hình đã có" }
            if !r.repeatedInFile.isEmpty { message += ", dòng trùng: " + r.repeatedInFile.map(String.init).joined(separator: ", ") }
            return back(ctx, message + ". Kiểm tra rồi bấm “Nộp đăng ký”.")
        } catch let error as DomainError {
            return Layout.response(UploadPage.view(model, error: error.message), status: .unprocessableEntity)
        }
    }
}
