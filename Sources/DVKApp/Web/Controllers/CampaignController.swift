import DVKCore
import Fluent
import Vapor

/// The campaign list and a campaign's dashboard.
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("campaigns", use: list)
        routes.get("campaigns", ":campaign", use: dashboard)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return Layout.response(CampaignList.view(try await CampaignList.query(user: user, now: Date(), on: req.db)))
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, on: req.db)
        // A grassroots user's campaign is their own unit's page.
        if view.scope.isTarget {
            return req.redirect(to: SiteURL.unitPage(campaign: view.campaign.code, unit: view.scope.code).path)
        }
        let params = try req.query.decode(Dashboard.Query.self)
        let model = try await Dashboard.query(view: view, params: params, now: Date(), flash: req.query[String.self, at: "ok"], on: req.db)
        return Layout.response(Dashboard.view(model))
    }
}
