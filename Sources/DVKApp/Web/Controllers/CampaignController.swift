import DVKCore
import Fluent
import Vapor

/// The campaign list and a campaign's dashboard.
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.campaigns.route, use: list)
        routes.get(SiteURL.campaign("").route, use: dashboard)
        routes.get(SiteURL.queue("").route, use: queue)
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
        let model = try await Dashboard.query(view: view, params: params, now: Date(), on: req.db)
        return Layout.response(Dashboard.view(model))
    }

    /// The units waiting for review, for staff (and viewers, who read it).
    @Sendable func queue(req: Request) async throws -> Response {
        let user = try StaffAccess.reader(req)
        let view = try await Access.campaign(code: try req.parameters.require("campaign"), user: user, on: req.db)
        let model = try await ReviewQueue.query(view, page: req.query[Int.self, at: "page"], now: Date(), on: req.db)
        return Layout.response(ReviewQueue.view(model))
    }
}
