import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// The year of a model on the web: each model's page and its steps (progress reports,
/// verification, recognition, nomination upward, commendation, publication), its files,
/// and the federation's page of the year (the funnel, the models, the nominations waiting).
struct YearController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.year("").route, use: yearPage)
        routes.get(SiteURL.yearTable("").route, use: yearTable)
        routes.get(SiteURL.yearDocument(campaign: "", kind: .report, format: .pdf).route, use: yearDocument)
        routes.get(SiteURL.model(campaign: "", unit: "", id: UUID.random()).route, use: page)
        for step in YearFormStep.allCases {
            let route = routes.post(SiteURL.modelStep(campaign: "", unit: "", id: UUID.random(), step: step).route, use: handler(step))
            if step == .progress { route.bodyLimit(.upload) }
        }
        routes.get(SiteURL.modelFile(campaign: "", unit: "", id: UUID.random(), file: UUID.random()).route, use: file)
    }

    func model(_ req: Request) async throws -> YearModel {
        let user = try req.requireUser()
        let found = try await Access.campaign(code: try req.parameters.require("campaign"), unit: try req.parameters.require("unit"),
                                              user: user, read: req.takeReach(), on: req.database)
        guard let id = req.parameters.get("id", as: UUID.self), let unit = found.unit else { throw YearStore.notFound() }
        return try await YearStore.load(view: found.view, unit: unit, id: id, on: req.database)
    }

    @Sendable func page(req: Request) async throws -> Response {
        Layout.response(ModelPage.view(try await ModelPage.query(try await model(req), now: req.now, on: req.database)))
    }

    @Sendable func file(req: Request) async throws -> Response {
        let m = try await model(req)
        guard let fileID = req.parameters.get("fileID", as: UUID.self) else { throw DomainError.notFound("Không tìm thấy tệp này.") }
        let f = try await YearStore.file(fileID, of: m.model.id, publicOnly: false, on: req.database)
        return Self.fileResponse(f, cache: "private, no-store")
    }

    /// A stored file as its sniffed type, under the name DVK made for it: an image shown in
    /// the page, a PDF downloaded; never sniffed by the browser as anything else, and never a
    /// page of the site (a sandbox with no script, whatever the bytes hold).
    static func fileResponse(_ f: (name: String, type: String, data: Data), cache: String) -> Response {
        let response = Download.response(f.data, name: f.name, type: f.type, inline: f.type.hasPrefix("image/"), cache: cache)
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'; img-src 'self'")
        return response
    }

    // MARK: The steps of a model's year, one handler each

    func handler(_ step: YearFormStep) -> @Sendable (Request) async throws -> Response {
        switch step {
        case .progress: progress
        case .verification: verification
        case .recognition: recognition
        case .recognitionWithdraw: recognitionWithdraw
        case .nomination: nomination
        case .nominationWithdraw: nominationWithdraw
        case .commendation: commendation
        case .commendationWithdraw: commendationWithdraw
        case .publication: publication
        case .caption: caption
        }
    }

    /// What a step did: the message shown, and the section of the page it returns to.
    struct Done {
        var message: String
        var fragment: String
    }

    /// Runs one step's form: the model in the user's reach, the step's permission, the form's fields, the step;
    /// then back to the model's page with its message, or — refused — the page again with
    /// the form's problems (422).
    func perform(_ req: Request, _ step: YearFormStep, fields: [String: String]? = nil,
                 _ body: (YearModel, [String: String]) async throws -> Done) async throws -> Response {
        let m = try await model(req)
        try m.require(step.requires)
        // A button's post may carry nothing but its CSRF field: no form is an empty one.
        let form = fields ?? (try? req.content.decode([String: String].self)) ?? [:]
        do {
            let done = try await body(m, form)
            let back = SiteURL.model(campaign: m.campaign.code, unit: m.unit.code, id: m.model.id)
            return Flash.redirect(req, to: back.link(fragment: done.fragment), message: done.message)
        } catch let errors as FieldErrors {
            var shown = try await ModelPage.query(m, now: req.now, on: req.database)
            shown.failed = step
            shown.posted = form
            shown.errors = errors
            return Layout.response(ModelPage.view(shown), status: .unprocessableEntity)
        }
    }

    @Sendable func progress(req: Request) async throws -> Response {
        let upload = try? req.content.decode(ProgressForm.self)
        return try await perform(req, .progress, fields: upload?.fields ?? [:]) { m, form in
            let input = try ProgressInput.check(day: form["day"], text: form["text"], participants: form["participants"],
                                                beneficiaries: form["beneficiaries"], money: form["money"], workdays: form["workdays"])
                .mapError(FieldErrors.init).get()
            let caption = try TextRules.photoCaption.check(form["caption"]).mapError { FieldErrors(messages: ["caption": $0.sentence]) }.get()
            let files = (upload?.files ?? []).filter { $0.data.readableBytes > 0 }.map {
                YearStore.NewFile(name: $0.filename, data: Data($0.data.readableBytesView), isPublic: form["public"] == "on", caption: caption)
            }
            do {
                _ = try await YearStore.report(m, input, files: files, at: req.now, on: req.database)
            } catch DomainError.invalid(let message) {
                throw FieldErrors(messages: ["files": message])
            }
            return Done(message: "Đã ghi báo cáo kết quả ngày \(input.day.vietnamese).", fragment: "tien-do")
        }
    }

    /// One file's caption, from the form beside it on the model's page.
    @Sendable func caption(req: Request) async throws -> Response {
        try await perform(req, .caption) { m, form in
            guard let file = form["file"].flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("Không tìm thấy tệp này.") }
            let caption = try TextRules.photoCaption.check(form["caption"]).mapError { FieldErrors(messages: ["caption": $0.sentence]) }.get()
            try await YearStore.caption(m, file: file, caption: caption, was: form["was"] ?? "", at: req.now, on: req.database)
            return Done(message: caption.isEmpty ? "Đã xóa chú thích của tệp." : "Đã lưu chú thích \(Flash.quoted(caption)).", fragment: "tien-do")
        }
    }

    @Sendable func verification(req: Request) async throws -> Response {
        try await perform(req, .verification) { m, form in
            // "all" = 1: every criterion met, whatever is ticked below it; otherwise the form
            // marks those not met ("x0", …) and every other one is met.
            let allMet = form["all"] == "1"
            let input = try VerificationInput.check(day: form["verifiedOn"], met: m.campaign.criteria.indices.map { allMet || form["x\($0)"] != "on" },
                                                    criteria: m.campaign.criteria.count, comments: form["comments"], verdict: form["verdict"],
                                                    reason: form["reason"])
                .mapError(FieldErrors.init).get()
            try await YearStore.verify(m, input, at: req.now, on: req.database)
            return Done(message: "Đã lưu kết quả thẩm định: \(input.verdict.label.lowercased()).", fragment: "tham-dinh")
        }
    }

    @Sendable func recognition(req: Request) async throws -> Response {
        try await perform(req, .recognition) { m, form in
            let decision = try DecisionInput.check(number: form["decisionNumber"], day: form["decisionDate"]).mapError(FieldErrors.init).get()
            try await YearStore.recognise(m, decision, exemplary: form["exemplary"] == "on", at: req.now, on: req.database)
            return Done(message: "Đã ghi quyết định công nhận số \(decision.number).", fragment: "cong-nhan")
        }
    }

    @Sendable func recognitionWithdraw(req: Request) async throws -> Response {
        try await perform(req, .recognitionWithdraw) { m, _ in
            try await YearStore.withdrawRecognition(m, at: req.now, on: req.database)
            return Done(message: "Đã rút quyết định công nhận.", fragment: "cong-nhan")
        }
    }

    @Sendable func nomination(req: Request) async throws -> Response {
        try await perform(req, .nomination) { m, form in
            let document = try DecisionInput.check(number: form["nominationNumber"], day: form["nominationDate"])
                .mapError { p in FieldErrors(messages: ["nominationNumber": p["decisionNumber"], "nominationDate": p["decisionDate"]].compactMapValues { $0 }) }.get()
            try await YearStore.nominate(m, document: document, at: req.now, on: req.database)
            return Done(message: "Đã đề nghị công đoàn cấp trên công nhận mô hình.", fragment: "de-nghi")
        }
    }

    @Sendable func nominationWithdraw(req: Request) async throws -> Response {
        try await perform(req, .nominationWithdraw) { m, _ in
            try await YearStore.withdrawNomination(m, at: req.now, on: req.database)
            return Done(message: "Đã rút đề nghị.", fragment: "de-nghi")
        }
    }

    @Sendable func commendation(req: Request) async throws -> Response {
        try await perform(req, .commendation) { m, form in
            guard let kind = CommendationForm(rawValue: form["form"] ?? "") else {
                throw FieldErrors(messages: ["form": "Chọn hình thức khen thưởng."])
            }
            let decision = try DecisionInput.check(number: form["commendationNumber"], day: form["commendationDate"])
                .mapError { p in FieldErrors(messages: ["commendationNumber": p["decisionNumber"], "commendationDate": p["decisionDate"]].compactMapValues { $0 }) }.get()
            try await YearStore.commend(m, form: kind, decision, at: req.now, on: req.database)
            return Done(message: "Đã ghi \(kind.label) theo Quyết định số \(decision.number).", fragment: "khen-thuong")
        }
    }

    @Sendable func commendationWithdraw(req: Request) async throws -> Response {
        try await perform(req, .commendationWithdraw) { m, form in
            guard let kind = CommendationForm(rawValue: form["form"] ?? "") else { throw YearStore.notFound() }
            try await YearStore.withdrawCommendation(m, form: kind, at: req.now, on: req.database)
            return Done(message: "Đã rút \(kind.label).", fragment: "khen-thuong")
        }
    }

    @Sendable func publication(req: Request) async throws -> Response {
        try await perform(req, .publication) { m, form in
            let publish = form["published"] == "1"
            try await YearStore.publish(m, publish, at: req.now, on: req.database)
            return Done(message: publish ? "Mô hình đã được công bố trên thư viện mô hình tiêu biểu." : "Đã gỡ mô hình khỏi thư viện.",
                        fragment: "thu-vien")
        }
    }

    /// The progress report's multipart form.
    struct ProgressForm: Content {
        var day: String?
        var text: String?
        var participants: String?
        var beneficiaries: String?
        var money: String?
        var workdays: String?
        var `public`: String?
        var caption: String?
        var files: [File]?

        var fields: [String: String] {
            ["day": day, "text": text, "participants": participants, "beneficiaries": beneficiaries, "money": money,
             "workdays": workdays, "public": `public`, "caption": caption].compactMapValues { $0 }
        }
    }

    // MARK: The federation's year

    @Sendable func yearPage(req: Request) async throws -> Response {
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: try StaffAccess.reader(req), read: req.takeReach(), on: req.database)
        let show = req.queryValue("show").flatMap(YearQueue.Show.init(rawValue:)) ?? .all
        var filter = YearQueue.Filter(search: String((req.queryValue("q") ?? "").prefix(200)))
        if let sector = req.queryValue("sector"), view.campaign.sectors.contains(where: { $0.code == sector }) { filter.sector = sector }
        // A unit of the user's own subtree, by code; any other is not one to narrow to.
        var unitProblem: String?
        if let code = req.queryValue("unit")?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            let unit = try? await CampaignStore.snapshotUnit(campaignID: view.campaign.id, code: String(code.prefix(100)), on: req.database).snapshot
            if let unit, view.contains(unit) { filter.unit = unit } else { unitProblem = "Không có đơn vị mã “\(code.prefix(100))” trong phạm vi của đơn vị mình." }
        }
        var model = try await YearPage.query(view: view, show: show, filter: filter, page: req.queryInt("page"), on: req.database)
        model.unitProblem = unitProblem
        return Layout.response(YearPage.view(model))
    }

    /// The recognised models of the caller's subtree as a workbook (the list annexed to a
    /// decision, or proposed upward).
    @Sendable func yearTable(req: Request) async throws -> Response {
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: try StaffAccess.reader(req), read: req.takeReach(), on: req.database)
        let rows = try await YearQueue.recognisedList(view, on: req.database)
        let sectors = Dictionary(view.campaign.sectors.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let header = ["STT", "Tên mô hình", "Tập thể/Cá nhân", "Tên tập thể/cá nhân", "Đơn vị", "Lĩnh vực",
                      "Công nhận", "Tiêu biểu", "Khen thưởng", "Đề nghị cấp trên"]
        let cells: [[SimpleWorkbook.Cell]] = rows.enumerated().map { index, r in
            [.number(index + 1), .text(r.title, .wrapped), .text(r.kind.label, .plain), .text(r.registrantName, .plain), .text(r.unitName, .plain),
             .text(sectors[r.sectorCode] ?? r.sectorCode, .plain), .text(r.recognitions, .wrapped), .text(r.exemplary ? "x" : "", .plain),
             .text(r.commendations, .wrapped), .text(r.nominations, .wrapped)]
        }
        let data = try await SimpleWorkbook.tableOffLoop(on: req, name: "Mô hình được công nhận", header: header, rows: cells)
        return Download.response(data, name: "mo-hinh-duoc-cong-nhan-\(view.campaign.code)-\(view.scope.code).xlsx")
    }
}

extension YearController {
    /// The federation's documents of the year: `de-nghi.docx|pdf|xlsx`, `quyet-dinh.docx|pdf`
    /// (`?so=` a decision number; the latest when left out), `tong-ket.docx|pdf`.
    @Sendable func yearDocument(req: Request) async throws -> Response {
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: try StaffAccess.reader(req), read: req.takeReach(), on: req.database)
        let file = req.parameters.get("file") ?? ""
        guard let (kind, format): (YearPapers.Kind, DocumentFormat) = FileName.parse(file), format != .xlsx || kind == .nominations
        else { throw DomainError.notFound("Không có văn bản “\(file)”.") }
        let options = CampaignDocuments.Options(now: req.now, config: req.application.dvkConfig)
        let document = try await YearPapers.build(kind, view: view, decision: req.queryValue("so"), options: options, on: req.database)
        return try await DocumentDownload.response(req, document, as: format,
                                                   fileName: "\(kind.rawValue)-\(view.campaign.code)-\(view.user.unitCode).\(format.rawValue)")
    }
}

extension FieldErrors {
    init(_ problems: FieldProblems) { self.init(messages: problems.messages) }
}
