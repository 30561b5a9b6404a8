import DVKCore
import FluentKit
import Foundation

/// `/campaigns/{code}/queue`: the units of the reviewer's scope waiting for review, the one
/// that has waited longest first, 50 a page.
enum ReviewQueue {
    struct Model: Sendable {
        var view: Access.CampaignView
        var lines: [Standings.Line]
        var paging: Paging
        var counts: StandingCounts
        var now: Date
    }

    static func query(_ view: Access.CampaignView, page: Int?, now: Date, on db: any Database) async throws -> Model {
        let counts = try await Standings.counts(view.campaign, scope: view.scope, on: db)
        let paging = Paging(requested: page, total: counts.waitingReview)
        let lines = try await Standings.lines(view.campaign, scope: view.scope, filter: .waitingReview, order: .waiting,
                                              limit: Paging.perPage, offset: paging.offset, knownTotal: counts.waitingReview, on: db).lines
        return Model(view: view, lines: lines, paging: paging, counts: counts, now: now)
    }

    /// The unit to review after `unitID`: the longest waiting of the others, if any.
    static func next(_ view: Access.CampaignView, after unitID: UUID, on db: any Database) async throws -> Standings.Line? {
        try await Standings.lines(view.campaign, scope: view.scope, filter: .waitingReview, order: .waiting, limit: 2, knownTotal: 2, on: db)
            .lines.first { $0.unitID != unitID }
    }
}
