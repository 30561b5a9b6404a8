import DVKCore
import Fluent
import Vapor

/// The live unit tree: browse and search (staff, administrators, viewers), add, edit,
/// move and import (staff and administrators), always inside the user's own subtree.
struct UnitsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.units.route, use: index)
        routes.get(SiteURL.unitNew.route, use: newForm)
        routes.post(SiteURL.unitNew.route, use: create)
        routes.get(SiteURL.unitsImport.route, use: importForm)
        routes.post(SiteURL.unitsImport.route, use: importFile).bodyLimit(.upload)
        routes.get(SiteURL.unit("").route, use: show)
        routes.post(SiteURL.unit("").route, use: update)
        routes.get(SiteURL.unitEnd("").route, use: endPlan)
        routes.post(SiteURL.unitEnd("").route, use: end)
        routes.post(SiteURL.unitJoin("", "").route, use: join)
    }

    /// What dissolving (no `into`) or merging the unit would do, asked before it is done.
    @Sendable func endPlan(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let plan = try await UnitEnds.plan(code: req.parameters.get("code") ?? "", into: Self.into(req, query: true),
                                           by: .person(user, req), on: req.database)
        return Layout.response(UnitEndPages.plan(user: user, plan), status: plan.refusal == nil ? .ok : .unprocessableEntity)
    }

    @Sendable func end(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let done = try await UnitEnds.end(code: req.parameters.get("code") ?? "", into: Self.into(req, query: false),
                                          by: .person(user, req), at: req.now, on: req.database)
        return Layout.response(UnitEndPages.done(user: user, done))
    }

    static func into(_ req: Request, query: Bool) -> String? {
        let raw = query ? req.queryValue("into") : try? req.content.get(String.self, at: "into")
        return raw.map { String($0.prefix(64)).trimmingCharacters(in: .whitespaces) }
    }

    /// The user's own unit, or search results when there is a query.
    @Sendable func index(req: Request) async throws -> Response {
        let user = try StaffAccess.reader(req)
        let page = req.queryInt("page")
        if let text = req.queryValue("q"), !VietnameseText.searchKey(text).isEmpty {
            let model = try await UnitSearch.query(text, user: user, page: page, on: req.database)
            return Layout.response(UnitSearch.view(model))
        }
        let model = try await UnitShow.query(code: user.unitCode, user: user, page: page, on: req.database)
        return Layout.response(UnitShow.view(model))
    }

    @Sendable func show(req: Request) async throws -> Response {
        let user = try StaffAccess.reader(req)
        let model = try await UnitShow.query(code: req.parameters.get("code") ?? "", user: user,
                                             page: req.queryInt("page"), on: req.database)
        return Layout.response(UnitShow.view(model))
    }

    @Sendable func update(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let code = req.parameters.get("code") ?? ""
        let fields = UnitFields(form: try req.content.decode([String: String].self))
        do {
            let unit = try await UnitEditor.update(code: code, fields, user: user, at: req.now, on: req.database)
            return Flash.redirect(req, to: .unit(unit.code), message: "Đã lưu thông tin đơn vị \(Flash.quoted(unit.name)).")
        } catch let errors as FieldErrors {
            let model = try await UnitShow.query(code: code, user: user, page: nil, form: fields, errors: errors, on: req.database)
            return Layout.response(UnitShow.view(model), status: .unprocessableEntity)
        }
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        var fields = UnitFields()
        fields.parentCode = req.queryValue("parent") ?? user.unitCode
        let model = try await UnitNew.query(user: user, form: fields, on: req.database)
        return Layout.response(UnitNew.view(model))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let fields = UnitFields(form: try req.content.decode([String: String].self))
        do {
            let (unit, joined) = try await UnitEditor.create(fields, user: user, at: req.now, on: req.database)
            let message = "Đã thêm đơn vị \(Flash.quoted(unit.name))."
                + (joined.isEmpty ? "" : " Đơn vị đã được đưa vào " + joined.map { "đợt \(Flash.quoted($0.title))" }.joined(separator: ", ") + ".")
            return Flash.redirect(req, to: .unit(unit.code), message: message)
        } catch let errors as FieldErrors {
            let model = try await UnitNew.query(user: user, form: fields, errors: errors, on: req.database)
            return Layout.response(UnitNew.view(model), status: .unprocessableEntity)
        }
    }

    /// Adds a grassroots union of the user's subtree to an open campaign of chosen units the user runs.
    @Sendable func join(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let code = try req.parameters.require("code")
        guard let unit = try await Unit.query(on: req.database).filter(\.$code == code).first(),
              try await UnitEditor.chain(from: unit, upTo: user.unitID, on: req.database) != nil
        else { throw DomainError.notFound("Không tìm thấy đơn vị “\(code)” trong phạm vi quản lý của đơn vị.") }
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, read: req.takeReach(), on: req.database)
        try StaffAccess.requireRun(view)
        let campaign = try await CampaignStore.addTarget(code: view.campaign.code, unitID: try unit.requireID(), actor: user.username,
                                                         at: req.now, on: req.database)
        return Flash.redirect(req, to: .unit(unit.code), message: "Đã thêm \(Flash.quoted(unit.name)) vào đợt \(Flash.quoted(campaign.title)).")
    }

    @Sendable func importForm(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        return Layout.response(UnitsImport.view(.init(user: user)))
    }

    struct Upload: Content {
        var file: File?
    }

    @Sendable func importFile(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        var model = UnitsImport.Model(user: user)
        guard let file = (try? req.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
            model.problem = "Vui lòng chọn tệp Excel (.xlsx) hoặc CSV để tải lên."
            return Layout.response(UnitsImport.view(model), status: .unprocessableEntity)
        }
        var status = HTTPResponseStatus.unprocessableEntity
        do {
            model.result = try await UnitEditor.importUnits(try await SpreadsheetUpload.table(req, Data(file.data.readableBytesView)),
                                                            user: user, at: req.now, on: req.database)
            await PlannerStatistics.refresh(after: req)
            return Layout.response(UnitsImport.view(model))
        } catch DomainError.badFile(let lines, let total) {
            model.lines = lines
            model.badLines = total
        } catch let error as DomainError {
            model.problem = error.message
            status = DVKErrorMiddleware.describe(error).0
        }
        return Layout.response(UnitsImport.view(model), status: status)
    }
}
