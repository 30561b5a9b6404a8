import DVKCore
import Fluent
import FluentKit
import Foundation
import SQLKit
import Vapor

/// Campaigns, where each unit stands, and the Biểu tổng hợp.
struct CampaignsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.listCampaigns, use: list)
        routes.on(.getCampaign, use: show)
        routes.on(.listSubmissions, use: submissions)
        routes.on(.getSubmission, use: submission)
        routes.on(.getSummary, use: summary)
    }

    /// Every campaign the caller can see, newest first; `?year=` and `?state=` choose among
    /// them before any is read whole.
    @Sendable func list(req: Request) async throws -> [APICampaign] {
        var states: [CampaignState]?
        if let raw = req.queryValue("state") {
            guard let state = CampaignState(rawValue: raw) else {
                throw WebError.badRequest("Tham số state là một trong: " + CampaignState.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            states = [state]
        }
        var year: Int?
        if let raw = req.queryValue("year") {
            guard raw.utf8.count == 4, raw.utf8.allSatisfy({ (48...57).contains($0) }), let four = Int(raw) else {
                throw WebError.badRequest("Tham số year là một năm, bốn chữ số (ví dụ 2024).")
            }
            year = four
        }
        // Both checked before any is read.
        var heads = try await Access.campaignHeads(for: try req.requireUser(), in: states, on: req.database)
        if let year { heads.removeAll { $0.year != year } }
        let views = try await Access.views(heads, on: req.database)
        guard !views.isEmpty else { return [] }
        let issuers = try await Self.issuers(of: views.map(\.campaign.id), on: req.database)
        return views.compactMap { view in issuers[view.campaign.id].map { APICampaign(view, issuer: $0) } }
    }

    /// The issuing unit, the root of each campaign's tree, by campaign id.
    static func issuers(of campaignIDs: [UUID], on db: any Database) async throws -> [UUID: SnapshotUnit] {
        guard !campaignIDs.isEmpty else { return [:] }
        var issuers: [UUID: SnapshotUnit] = [:]
        for row in try await Roots(binds: [campaignIDs]).all(on: db) {
            if let root = try Access.snapshot(row, prefix: "") { issuers[try row.decode(column: "campaign_id", as: UUID.self)] = root }
        }
        return issuers
    }

    /// The roots of the trees of the campaigns $1 (a list): the list above read them as Fluent
    /// models, filled by reflection (a city's 3,000 took a third of it).
    struct Roots: HotStatement {
        private static let select = "SELECT \(Access.unitColumns.joined(separator: ", ")) FROM campaign_units WHERE pre = 0 AND campaign_id"
        static let sql = select + " = ANY($1)"
        static let sqliteSQL = select + " IN $1"
        let binds: [(any HotValue)?]
    }

    @Sendable func show(req: Request) async throws -> APICampaign {
        let view = try await req.apiCampaign()
        let issuer = view.isWhole ? view.scope : try await Self.issuer(of: view.campaign, on: req.database)
        return APICampaign(view, issuer: issuer)
    }

    /// The target units in the caller's scope, in tree order, with where each stands.
    @Sendable func submissions(req: Request) async throws -> [APISubmissionRow] {
        let view = try await req.apiCampaign()
        return try await Standings.lines(view.campaign, scope: view.scope, on: req.database).lines.map { line in
            // The parent is named only when it is inside the caller's reach.
            APISubmissionRow(line, parentInScope: line.unitID != view.scope.unitID)
        }
    }

    @Sendable func submission(req: Request) async throws -> Response {
        try await Self.submissionResponse(try await req.apiCampaignUnit(), req: req)
    }

    /// Exactly `dvk summary --format json`: the official counts of a unit, or of a
    /// federation's subtree; `?unit=` defaults to the top of the caller's scope.
    @Sendable func summary(req: Request) async throws -> SummaryDTO {
        // The campaign, the caller's scope and the unit asked for: one statement.
        let found = try await Access.campaign(code: try req.parameters.require("campaign"), unit: req.queryValue("unit"),
                                              user: try req.requireUser(), read: req.takeReach(), on: req.database)
        let unit = found.unit ?? found.view.scope
        let summary = try await SummaryQuery.official(found.view.campaign, unit: unit, on: req.database)
        return SummaryDTO(campaign: found.view.campaign.code, unitCode: unit.code, unitName: unit.name, summary: summary)
    }

    static func issuer(of campaign: CampaignInfo, on db: any Database) async throws -> SnapshotUnit {
        guard let root = try await issuers(of: [campaign.id], on: db)[campaign.id]
        else { throw DomainError.notFound("Không tìm thấy đơn vị phát động của đợt thi đua “\(campaign.code)”.") }
        return root
    }

    /// A unit's submission with its history (also the answer to every workflow step), with
    /// its version as the `ETag`.
    static func submissionResponse(_ scope: APICampaignUnit, req: Request) async throws -> Response {
        let body = try await submission(scope, now: req.now, on: req.database)
        let response = try await body.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .eTag, value: "\"\(body.version)\"")
        return response
    }

    static func submission(_ scope: APICampaignUnit, now: Date, on db: any Database) async throws -> APISubmission {
        let campaign = scope.view.campaign
        let unit = scope.unit
        let row = try await SubmissionRow.find(campaignID: campaign.id, unitID: unit.unitID, on: db)
        let standing = row?.standing(campaign) ?? Standing(policy: campaign.policy)
        var events: [SubmissionEvent] = []
        if let row {
            events = try await SubmissionEvent.query(on: db).filter(\.$submissionID == row.id).sort(\.$at).all()
        }
        let count = try await Initiative.query(on: db)
            .filter(\.$campaignID == campaign.id).filter(\.$unitID == unit.unitID).count()
        let canRegister = unit.isTarget && scope.view.canRegister(unit)
        return APISubmission(
            campaign: campaign.code,
            unit: APIUnitRef(code: unit.code, name: unit.name, kind: unit.kind),
            isTarget: unit.isTarget,
            status: standing.status,
            noModel: standing.noModel,
            initiatives: count,
            deadline: VietnamTime.iso(standing.deadline),
            extendedUntil: standing.extendedUntil.map(VietnamTime.iso),
            phase: standing.phase,
            firstSubmittedAt: standing.firstSubmittedAt.map(VietnamTime.iso),
            submittedAt: standing.lastSubmittedAt.map(VietnamTime.iso),
            late: standing.isLate,
            resubmitBy: standing.resubmitBy.map(VietnamTime.iso),
            resubmittedLate: standing.isResubmittedLate,
            returnReason: row?.returnReason,
            version: row?.version ?? 0,
            canRegister: canRegister,
            canSubmitNow: canRegister && standing.maySubmit(at: now),
            canReview: scope.view.canReview(unit),
            history: events.map {
                APIEvent(at: VietnamTime.iso($0.at), actor: $0.actor, action: $0.action,
                         from: $0.fromStatus, to: $0.toStatus, note: $0.note)
            })
    }
}
