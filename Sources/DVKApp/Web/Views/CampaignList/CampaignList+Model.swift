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
        /// With no campaign: the federation above the user's unit, whom to ask.
        var contact: (name: String, email: String, phone: String)?
    }

    static func query(user: CurrentUser, now: Date, on db: any Database) async throws -> Model {
        var rows: [Row] = []
        for view in try await Access.campaigns(for: user, on: db) {
            var own: Standing?
            if view.scope.isTarget {
                own = try await SubmissionRow.find(campaignID: view.campaign.id, unitID: view.scope.unitID, on: db)?
                    .standing(view.campaign) ?? Standing(policy: view.campaign.policy)
            }
            rows.append(Row(campaign: view.campaign, scopeName: view.scope.name, own: own))
        }
        var model = Model(user: user, rows: rows, now: now)
        if rows.isEmpty, let unit = try await Unit.find(user.unitID, on: db), let parentID = unit.parentID,
           let parent = try await Unit.find(parentID, on: db) {
            model.contact = (parent.name, parent.email, parent.phone)
        }
        return model
    }
}
