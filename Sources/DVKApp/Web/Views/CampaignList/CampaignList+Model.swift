import DVKCore
import FluentKit
import Foundation

/// The campaigns a person can see, with their own unit's status for officers.
enum CampaignList {
    struct Row: Sendable {
        var campaign: CampaignInfo
        var scopeName: String
        var own: Standing?
    }

    struct Model: Sendable {
        var user: CurrentUser
        var rows: [Row]
        var now: Date
        /// The page shown of the campaigns in view (of `year`'s, when one is chosen).
        var paging: Paging
        /// The year chosen, nil for every year.
        var year: Int?
        /// The years of the campaigns in view, newest first, each with how many.
        var years: [(year: Int, count: Int)]
        /// With no campaign: the federation above the user's unit, whom to ask.
        var contact: (name: String, email: String, phone: String)?
    }

    /// A page of the campaigns in view, newest first: a city's administrator sees every
    /// district's campaign of every year, thousands, so only the page's are read whole.
    static func query(user: CurrentUser, year: Int? = nil, page: Int? = nil, now: Date, on db: any Database) async throws -> Model {
        let heads = try await Access.campaignHeads(for: user, on: db)
        var years: [(year: Int, count: Int)] = []
        for head in heads {
            if years.last?.year == head.year { years[years.count - 1].count += 1 } else { years.append((head.year, 1)) }
        }
        // A year with no campaign in view shows every year, as an unknown page shows the nearest.
        let year = years.contains { $0.year == year } ? year : nil
        let chosen = year.map { y in heads.filter { $0.year == y } } ?? heads
        let paging = Paging(requested: page, total: chosen.count)
        var rows: [Row] = []
        for view in try await Access.views(paging.slice(chosen), on: db) {
            var own: Standing?
            if view.scope.isTarget {
                own = try await SubmissionRow.find(campaignID: view.campaign.id, unitID: view.scope.unitID, on: db)?
                    .standing(view.campaign) ?? Standing(policy: view.campaign.policy)
            }
            rows.append(Row(campaign: view.campaign, scopeName: view.scope.name, own: own))
        }
        var model = Model(user: user, rows: rows, now: now, paging: paging, year: year, years: years)
        if heads.isEmpty, let unit = try await Unit.find(user.unitID, on: db), let parentID = unit.parentID,
           let parent = try await Unit.find(parentID, on: db) {
            model.contact = (parent.name, parent.email, parent.phone)
        }
        return model
    }
}
