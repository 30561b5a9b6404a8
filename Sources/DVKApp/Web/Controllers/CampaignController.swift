import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// The campaign list and a campaign's dashboard.
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.campaigns.route, use: list)
        routes.get(SiteURL.campaign("").route, use: dashboard)
        routes.get(SiteURL.queue("").route, use: queue)
        routes.get(SiteURL.unitsTable("").route, use: unitsTable)
    }

    /// The dashboard's table of units, as filtered there, for Excel (staff and viewers).
    @Sendable func unitsTable(req: Request) async throws -> Response {
        let user = try StaffAccess.reader(req)
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, read: req.takeReach(), on: req.database)
        let filter = Standings.Filter(rawValue: req.queryValue("status") ?? "") ?? .all
        let lines = try await Standings.lines(view.campaign, scope: view.scope, filter: filter, search: req.queryValue("q") ?? "",
                                              contacts: true, on: req.database).lines
        let header = ["Mã đơn vị", "Tên đơn vị", "Cấp trên", "Trạng thái", "Nộp lần đầu", "Nộp gần nhất", "Nộp muộn", "Số mô hình", "Email", "Điện thoại"]
        let rows: [[SimpleWorkbook.Cell]] = lines.map { l in
            [.text(l.code, .plain), .text(l.name, .plain), .text(l.parentName, .plain), .text(l.standing.phase.label, .plain),
             l.standing.firstSubmittedAt.map(SimpleWorkbook.Cell.instant) ?? .empty,
             l.standing.lastSubmittedAt.map(SimpleWorkbook.Cell.instant) ?? .empty,
             .text(l.standing.isLate ? "có" : "", .plain), .number(l.initiatives), .text(l.email, .plain), .text(l.phone, .plain)]
        }
        let counts = try await Standings.counts(view.campaign, scope: view.scope, on: req.database)
        let what = filter == .all ? "Danh sách đơn vị" : "Danh sách đơn vị: \(filter.label.lowercased())"
        let data = try await SimpleWorkbook.tableOffLoop(on: req, name: "Đơn vị", title: Reminders.title(view, counts: counts, now: req.now, what: what),
                                            header: header, rows: rows)
        return Download.response(data, name: Download.listName(filter == .all ? "Đơn vị" : "Đơn vị \(filter.label)", campaign: view.campaign.code,
                                                               scope: view.scope.code, at: req.now, format: "xlsx"))
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return Layout.response(CampaignList.view(try await CampaignList.query(user: user, year: req.queryInt("year"), page: req.queryInt("page"),
                                                                              now: req.now, on: req.database)))
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, read: req.takeReach(), on: req.database)
        // A grassroots user's campaign is their own unit's page.
        if view.scope.isTarget {
            return req.redirect(to: SiteURL.unitPage(campaign: view.campaign.code, unit: view.scope.code).path)
        }
        let params = Dashboard.Query(status: req.queryValue("status"), q: req.queryValue("q").map { String($0.prefix(200)) },
                                     sort: req.queryValue("sort"), page: req.queryInt("page"))
        let model = try await Dashboard.query(view: view, params: params, now: req.now, on: req.database)
        return Layout.response(Dashboard.view(model))
    }

    /// The units waiting for review, for staff (and viewers, who read it).
    @Sendable func queue(req: Request) async throws -> Response {
        let user = try StaffAccess.reader(req)
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, read: req.takeReach(), on: req.database)
        let model = try await ReviewQueue.query(view, page: req.queryInt("page"),
                                                search: String((req.queryValue("q") ?? "").prefix(200)), now: req.now, on: req.database)
        return Layout.response(ReviewQueue.view(model))
    }
}
