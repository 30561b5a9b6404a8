import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// A grassroots unit's work in a campaign: its page, initiatives, submission, upload,
/// and the reviewer's accept / return / extension on the same unit.
struct RegistrationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let unit = SiteURL.unitPage(campaign: "", unit: "")
        routes.get(unit.route, use: page)
        routes.get(SiteURL.initiativeNew(campaign: "", unit: "").route, use: newForm)
        // Four texts of up to 20,000 characters each, percent-encoded: more than a plain form.
        routes.post(SiteURL.initiativeNew(campaign: "", unit: "").route, use: create).bodyLimit(.longForm)
        routes.get(SiteURL.initiativeEdit(campaign: "", unit: "", id: UUID.random()).route, use: editForm)
        routes.post(SiteURL.initiativeEdit(campaign: "", unit: "", id: UUID.random()).route, use: update).bodyLimit(.longForm)
        routes.post(SiteURL.initiativeDelete(campaign: "", unit: "", id: UUID.random()).route, use: delete)
        routes.get(SiteURL.submit(campaign: "", unit: "").route, use: confirmSubmit)
        routes.post(SiteURL.submit(campaign: "", unit: "").route, use: submit)
        routes.post(SiteURL.declare(campaign: "", unit: "").route, use: declare)
        routes.post(SiteURL.review(campaign: "", unit: "").route, use: review).bodyLimit(.longForm)  // a comment on every model
        routes.post(SiteURL.extend(campaign: "", unit: "").route, use: extend)
        routes.get(SiteURL.upload(campaign: "", unit: "").route, use: uploadForm)
        routes.post(SiteURL.upload(campaign: "", unit: "").route, use: upload).bodyLimit(.upload)
        routes.get(SiteURL.uploadTemplate(campaign: "", unit: "", format: .xlsx).route, use: uploadTemplate)
    }

    /// The campaign as the user sees it and the unit of the URL, both inside their scope.
    struct Context {
        var user: CurrentUser
        var view: Access.CampaignView
        var unit: SnapshotUnit
    }

    func context(_ req: Request) async throws -> Context {
        let user = try req.requireUser()
        let found = try await Access.campaign(code: try req.parameters.require("campaign"), unit: try req.parameters.require("unit"),
                                              user: user, read: req.takeReach(), on: req.database)
        let view = found.view, unit = found.unit!
        guard unit.isTarget else { throw DomainError.notFound("Đơn vị “\(unit.code)” không đăng ký trong đợt thi đua này.") }
        return Context(user: user, view: view, unit: unit)
    }

    func model(_ ctx: Context, _ req: Request) async throws -> UnitPage.Model {
        try await UnitPage.query(view: ctx.view, unit: ctx.unit, now: req.now, on: req.database)
    }

    func requireRegister(_ ctx: Context) throws {
        guard ctx.view.canRegister(ctx.unit) else {
            throw WebError.forbidden("Chỉ cán bộ công đoàn cơ sở của đơn vị (hoặc cán bộ công đoàn cấp trên) mới đăng ký, sửa, nộp được.")
        }
    }

    func requireReview(_ ctx: Context) throws {
        guard ctx.view.canReview(ctx.unit) else {
            throw WebError.forbidden("Chỉ cán bộ công đoàn cấp trên phụ trách đơn vị mới duyệt, trả lại hoặc gia hạn được.")
        }
    }

    /// Back to the unit's page with a message.
    func back(_ req: Request, _ ctx: Context, _ message: String, fragment: String? = nil) -> Response {
        Flash.redirect(req, to: SiteURL.unitPage(campaign: ctx.view.campaign.code, unit: ctx.unit.code).link(fragment: fragment), message: message)
    }

    /// The version the page showed, sent back by its form (absent: no check; not a version
    /// a row can have: -1, which no row has, so the write answers 409).
    func version(_ req: Request) -> Int? {
        guard let form = try? req.content.get(String.self, at: "version") else { return nil }
        guard form.utf8.count <= 18, let version = Int(form), version >= 0 else { return -1 }
        return version
    }

    @Sendable func page(req: Request) async throws -> Response {
        Layout.response(UnitPage.view(try await model(try await context(req), req)))
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        return Layout.response(InitiativeForm.view(try await InitiativeForm.query(
            view: ctx.view, unit: ctx.unit, editing: nil, posted: nil,
            continuing: req.queryValue("continues").flatMap(UUID.init(uuidString:)),
            replicating: req.queryValue("replicates").flatMap(UUID.init(uuidString:)), on: req.database)))
    }

    @Sendable func editForm(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        let id = try req.parameters.require("id", as: UUID.self)
        return Layout.response(InitiativeForm.view(try await InitiativeForm.query(view: ctx.view, unit: ctx.unit, editing: id, posted: nil, on: req.database)))
    }

    @Sendable func create(req: Request) async throws -> Response { try await save(req: req, id: nil) }
    @Sendable func update(req: Request) async throws -> Response { try await save(req: req, id: try req.parameters.require("id", as: UUID.self)) }

    func save(req: Request, id: UUID?) async throws -> Response {
        let seen = id == nil ? req.reachRow : nil
        let ctx = try await context(req)
        try requireRegister(ctx)
        let posted = InitiativeForm.Posted(try req.content.decode([String: String].self))
        func again(_ errors: FieldErrors) async throws -> Response {
            let model = try await InitiativeForm.query(view: ctx.view, unit: ctx.unit, editing: id, posted: posted, errors: errors, on: req.database)
            return Layout.response(InitiativeForm.view(model), status: .unprocessableEntity)
        }
        switch posted.input.draft(sectors: ctx.view.campaign.sectors) {
        case .failure(let problems):
            return try await again(InitiativeForm.errors(problems))
        case .success(let draft):
            do {
                let saved = try await RegistrationStore.save(draft, id: id, continues: posted.continuesID,
                                                             replicates: id == nil ? posted.replicatesID : nil, campaign: ctx.view.campaign,
                                                             unitID: ctx.unit.unitID, actor: ctx.user.username, seen: seen, at: req.now, on: req.database)
                return back(req, ctx, id == nil ? "Đã thêm mô hình \(Flash.quoted(draft.title))." : "Đã lưu mô hình \(Flash.quoted(draft.title)).",
                            fragment: "mo-hinh-\(saved.id.canonicalText.lowercased())")
            } catch let error as DomainError {
                var errors = FieldErrors()
                errors[FieldErrors.general] = error.message
                return try await again(errors)
            }
        }
    }

    @Sendable func delete(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        try await RegistrationStore.delete(initiativeID: try req.parameters.require("id", as: UUID.self), campaign: ctx.view.campaign,
                                           unitID: ctx.unit.unitID, actor: ctx.user.username, version: version(req), at: req.now, on: req.database)
        return back(req, ctx, "Đã xóa mô hình.")
    }

    @Sendable func confirmSubmit(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        return Layout.response(SubmitPage.view(try await model(ctx, req)))
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        let row = try await RegistrationStore.perform(.submit, campaign: ctx.view.campaign, unitID: ctx.unit.unitID, actor: ctx.user.username,
                                                      version: version(req), at: req.now, notify: req.application.sendsMail, on: req.database)
        return back(req, ctx, row.status == .resubmitted ? "Đã nộp lại hồ sơ đăng ký." : "Đã nộp hồ sơ đăng ký. Công đoàn cấp trên sẽ xem xét.")
    }

    @Sendable func declare(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireRegister(ctx)
        try await RegistrationStore.perform(.declare, campaign: ctx.view.campaign, unitID: ctx.unit.unitID, actor: ctx.user.username,
                                            version: version(req), at: req.now, notify: req.application.sendsMail, on: req.database)
        return back(req, ctx, "Đã ghi nhận: đơn vị không đăng ký mô hình năm nay.")
    }

    @Sendable func review(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireReview(ctx)
        let form = try req.content.decode([String: String].self)
        let step: RegistrationStore.Step
        var comments: [UUID: String] = [:]
        switch form["decision"] {
        case "accept":
            step = .accept
        case "return":
            var by: Date?
            if let text = form["resubmit_by"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
                by = try DeadlineInput.throughDay.read(text, field: "Ngày nộp lại").get()
            }
            for (key, text) in form where key.hasPrefix("comment-") {
                if let id = UUID(uuidString: String(key.dropFirst("comment-".count))) { comments[id] = text }
            }
            step = .return(resubmitBy: by)
        default:
            throw WebError.badRequest("Quyết định không hợp lệ.")
        }
        try await RegistrationStore.perform(step, campaign: ctx.view.campaign, unitID: ctx.unit.unitID, actor: ctx.user.username,
                                            reason: form["reason"] ?? "", comments: comments, version: version(req), at: req.now,
                                            notify: req.application.sendsMail, on: req.database)
        let done = step == .accept ? "Đã duyệt hồ sơ của \(ctx.unit.name)." : "Đã trả lại hồ sơ của \(ctx.unit.name) kèm lý do."
        guard form["next"] == "1" else { return back(req, ctx, done) }
        let next = try await ReviewQueue.next(ctx.view, after: ctx.unit.unitID, on: req.database)
        guard let next else {
            return Flash.redirect(req, to: SiteURL.queue(ctx.view.campaign.code).link(), message: done + " Hàng chờ duyệt đã hết.")
        }
        return Flash.redirect(req, to: SiteURL.unitPage(campaign: ctx.view.campaign.code, unit: next.code).link(),
                              message: done + " Tiếp theo: \(Flash.quoted(next.name)).")
    }

    @Sendable func extend(req: Request) async throws -> Response {
        let ctx = try await context(req)
        try requireReview(ctx)
        let form = try req.content.decode([String: String].self)
        var until: Date?
        if form["remove"] != "1" {
            until = try DeadlineInput.throughDay.read(form["date"] ?? "", field: "Ngày gia hạn").get()
        }
        try await RegistrationStore.perform(.extend(until: until), campaign: ctx.view.campaign, unitID: ctx.unit.unitID,
                                            actor: ctx.user.username, version: version(req), at: req.now, on: req.database)
        return back(req, ctx, until.map { "Đã gia hạn nộp \(DeadlineText.through($0))." } ?? "Đã bỏ gia hạn của đơn vị.")
    }

    /// The template to fill: `template.xlsx` (drop-down lists, dates as dd/mm/yyyy, a sheet
    /// of instructions) or `template.csv` (the header line).
    @Sendable func uploadTemplate(req: Request) async throws -> Response {
        let ctx = try await context(req)
        let campaign = ctx.view.campaign
        let file = req.parameters.get("file") ?? ""
        guard let format: TemplateFormat = FileName.format(of: file, named: "template") else {
            throw DomainError.notFound("Không có mẫu “\(file)”.")
        }
        let body: Data, type: String
        switch format {
        case .xlsx:
            body = try TemplateWorkbook.initiatives(sectors: campaign.sectors, unitCodes: [ctx.unit.code],
                                                    title: "Mẫu đăng ký mô hình “Dân vận khéo” — \(campaign.title) — \(ctx.unit.name)")
            type = DocumentFormat.xlsx.contentType
        case .csv:
            body = Data(TemplateWorkbook.initiativesCSV(sectors: campaign.sectors, unitCodes: [ctx.unit.code]).utf8)
            type = "text/csv; charset=utf-8"
        }
        return Download.response(body, name: "\(campaign.code)_mau-dang-ky_\(ctx.unit.code).\(format.rawValue)",
                                     type: type)
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
        // Refused before the file is read, by the rule an edit obeys (`Standing.after(.edit)`).
        _ = try model.standing.after(.edit, at: req.now).get()
        do {
            guard let form = try? req.content.decode(UploadForm.self), form.file.data.readableBytes > 0 else {
                throw DomainError.invalid("Chọn một tệp Excel (.xlsx) hoặc CSV để tải lên.")
            }
            let table = try await SpreadsheetUpload.table(req, Data(form.file.data.readableBytesView))
            let r = try await InitiativeImporter.run(table, campaign: ctx.view.campaign, actor: ctx.user.username, now: req.now,
                                                     restrictTo: ctx.unit.unitID, submit: false, version: version(req), on: req.database)
            var message = "Đã nhập \(Format.number(r.added)) mô hình mới từ \(Format.number(r.rows)) dòng"
            if r.alreadyThere > 0 { message += ", \(Format.number(r.alreadyThere)) mô hình đã có" }
            if !r.repeatedInFile.isEmpty { message += ", dòng trùng: " + r.repeatedInFile.prefix(20).map(String.init).joined(separator: ", ") }
            return back(req, ctx, message + ". Kiểm tra rồi bấm “Nộp hồ sơ đăng ký”.")
        } catch let error as DomainError {
            // 413 for a file past a limit, 422 for a bad one: the page says which.
            return Layout.response(UploadPage.view(model, error: error.message), status: DVKErrorMiddleware.describe(error).0)
        }
    }
}
