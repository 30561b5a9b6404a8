import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// The list of target units that have not handed in, as a page and as a CSV.
struct RemindersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.reminders("").route, use: page)
        routes.get(SiteURL.remindersCSV("").route, use: csv)
        routes.get(SiteURL.remindersXLSX("").route, use: xlsx)
    }

    @Sendable func xlsx(req: Request) async throws -> Response {
        let view = try await campaign(req)
        let rows = try await Reminders.rows(view, search: req.queryValue("q") ?? "", on: req.database)
        let counts = try await Standings.counts(view.campaign, scope: view.scope, on: req.database)
        let data = try await SimpleWorkbook.tableOffLoop(on: req, name: "Đơn vị chưa nộp", title: Reminders.title(view, counts: counts, now: req.now),
                                            header: Reminders.csvHeader,
                                            rows: rows.map { Reminders.cells($0, campaign: view.campaign, now: req.now).map { .text($0, .plain) } })
        return Download.response(data, name: Download.listName("Đơn vị chưa nộp", campaign: view.campaign.code, scope: view.scope.code,
                                                               at: req.now, format: "xlsx"))
    }

    @Sendable func page(req: Request) async throws -> Response {
        let view = try await campaign(req)
        let model = try await Reminders.query(view, search: req.queryValue("q") ?? "",
                                              page: req.queryInt("page"), now: req.now,
                                              sendsMail: req.application.sendsMail, on: req.database)
        return Layout.response(Reminders.view(model))
    }

    @Sendable func csv(req: Request) async throws -> Response {
        let view = try await campaign(req)
        let rows = try await Reminders.rows(view, search: req.queryValue("q") ?? "", on: req.database)
        return Download.response(Data(Reminders.csv(rows, campaign: view.campaign, now: req.now).utf8),
                                 name: Download.listName("Đơn vị chưa nộp", campaign: view.campaign.code, scope: view.scope.code,
                                                         at: req.now, format: "csv"),
                                 type: "text/csv; charset=utf-8")
    }

    /// Staff, administrators and viewers over part of the campaign; officers are refused.
    private func campaign(_ req: Request) async throws -> Access.CampaignView {
        let user = try StaffAccess.reader(req)
        return try await Access.campaign(code: req.parameters.get("campaign") ?? "", user: user, read: req.takeReach(), on: req.database)
    }
}
