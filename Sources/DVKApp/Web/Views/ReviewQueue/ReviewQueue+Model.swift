import DVKCore
import FluentKit
import Foundation

/// `/campaigns/{code}/queue`: the units of the reviewer's scope waiting for review, the one
/// that has waited longest first, 50 a page; searched by name or code without diacritics.
enum ReviewQueue {
    struct Model: Sendable {
        var view: Access.CampaignView
        var lines: [Standings.Line]
        var paging: Paging
        var counts: StandingCounts
        var search: String
        /// How many waiting units the search finds (all of them without one).
        var found: Int
        var now: Date
    }

    static func query(_ view: Access.CampaignView, page: Int?, search: String = "", now: Date, on db: any Database) async throws -> Model {
        let counts = try await Standings.counts(view.campaign, scope: view.scope, on: db)
        let searching = !Standings.searchPattern(search).isEmpty
        // Without a search the maintained count pages the queue; with one, the search counts.
        var found = counts.waitingReview
        if searching {
            found = try await Standings.lines(view.campaign, scope: view.scope, filter: .waitingReview, search: search, order: .waiting,
                                              limit: 0, on: db).total
        }
        let paging = Paging(requested: page, total: found)
        let lines = try await Standings.lines(view.campaign, scope: view.scope, filter: .waitingReview, search: search, order: .waiting,
                                              limit: Paging.perPage, offset: paging.offset, knownTotal: found, on: db).lines
        return Model(view: view, lines: lines, paging: paging, counts: counts, search: search, found: found, now: now)
    }

    /// The unit to review after `unitID`: the longest waiting of the others, if any.
    static func next(_ view: Access.CampaignView, after unitID: UUID, on db: any Database) async throws -> Standings.Line? {
        try await Standings.lines(view.campaign, scope: view.scope, filter: .waitingReview, order: .waiting, limit: 2, knownTotal: 2, on: db)
            .lines.first { $0.unitID != unitID }
    }
}
