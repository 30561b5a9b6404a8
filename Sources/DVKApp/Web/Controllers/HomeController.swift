import DVKCore
import Fluent
import Vapor

/// "/" sends each person where their work is; the anonymous see what DVK is.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home.route, use: home)
    }

    @Sendable func home(req: Request) async throws -> Response {
        guard let user = req.currentUser else { return Layout.response(HomePage.html()) }
        let open = try await Access.campaignHeads(for: user, in: [.open], on: req.database)
        if user.role == .officer {
            // An officer lands on their unit's page of the newest open campaign.
            for head in open where head.scope.isTarget {
                return req.redirect(to: SiteURL.unitPage(campaign: head.code, unit: user.unitCode).path)
            }
        } else if open.count == 1 {
            // Staff and viewers with one open campaign land on its dashboard: no list of one.
            return req.redirect(to: SiteURL.campaign(open[0].code).path)
        }
        return req.redirect(to: SiteURL.campaigns.path)
    }
}
