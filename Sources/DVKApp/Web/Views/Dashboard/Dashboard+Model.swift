import DVKCore
import FluentKit
import Foundation

/// A federation's view of a campaign: where its units stand (cards that open the table
/// filtered), the sector chart, the roll-up, and the table of its units — filtered, sorted
/// and paged in the database, so a national scope is as quick as a district.
enum Dashboard {
    typealias Filter = Standings.Filter

    enum Sort: String, CaseIterable, Sendable {
        case tree, name, submitted
        var label: String {
            switch self {
            case .tree: "Theo đơn vị cấp trên"
            case .name: "Tên đơn vị"
            case .submitted: "Thời điểm nộp"
            }
        }
        var order: Standings.Order {
            switch self {
            case .tree: .tree
            case .name: .name
            case .submitted: .submitted
            }
        }
    }

    struct Query: Sendable {
        var status: String?
        var q: String?
        var sort: String?
        var page: Int?

        init(status: String? = nil, q: String? = nil, sort: String? = nil, page: Int? = nil) {
            self.status = status
            self.q = q
            self.sort = sort
            self.page = page
        }
    }

    struct Row: Sendable {
        var line: Standings.Line
        var counted: SummaryQuery.UnitLine
    }

    struct Model: Sendable {
        var view: Access.CampaignView
        var counts: StandingCounts
        var summary: Summary
        var rows: [Row]
        var paging: Paging
        var filter: Filter
        var sort: Sort
        var search: String
        var now: Date
        /// The federation's notes for its report, when the user may write them (`ReportNotes`).
        var notes: ReportNotes.Notes?
        /// The campaign's own changes, for those who run it ("Lịch sử thay đổi").
        var trail: [AuditTrail.Event]?
    }

    static func query(view: Access.CampaignView, params: Query, now: Date, on db: any Database) async throws -> Model {
        let campaign = view.campaign
        let counts = try await Standings.counts(campaign, scope: view.scope, on: db)
        let filter = Filter(rawValue: params.status ?? "") ?? .all
        let sort = Sort(rawValue: params.sort ?? "") ?? .tree
        let search = params.q ?? ""
        let known = filter.count(in: counts)
        // A page beyond the last lands on the last; with a search the total is counted.
        var paging = Paging(requested: params.page, total: known)
        var result = try await Standings.lines(campaign, scope: view.scope, filter: filter, search: search, order: sort.order,
                                               limit: Paging.perPage, offset: paging.offset, knownTotal: known, on: db)
        if result.total != known {
            paging = Paging(requested: params.page, total: result.total)
            if paging.page != max(1, params.page ?? 1) {
                result = try await Standings.lines(campaign, scope: view.scope, filter: filter, search: search, order: sort.order,
                                                   limit: Paging.perPage, offset: paging.offset, knownTotal: result.total, on: db)
            }
        }
        let zero = SummaryQuery.UnitLine(initiatives: 0, collectives: 0, individuals: 0)
        return Model(view: view, counts: counts, summary: try await SummaryQuery.official(campaign, unit: view.scope, on: db),
                     rows: result.lines.map { Row(line: $0, counted: $0.counted ?? zero) },
                     paging: paging, filter: filter, sort: sort, search: search, now: now,
                     notes: ReportNotes.mayWrite(view) ? try await ReportNotes.load(campaign: campaign.id, unit: view.user.unitID, kind: .registration, on: db) : nil,
                     trail: view.canRun ? try await AuditQuery.history(campaignID: campaign.id, issuerID: campaign.issuerID, kinds: [.campaign, .mail], on: db) : nil)
    }
}
