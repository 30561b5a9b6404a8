import DVKCore
import Fluent
import FluentKit
import Foundation
import Vapor

/// Campaigns, where each unit stands, and the Biểu tổng hợp.
struct CampaignsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let campaigns = routes.grouped("campaigns")
        campaigns.get(use: list)
        campaigns.get(":campaign", use: show)
        campaigns.get(":campaign", "units", use: submissions)
        campaigns.get(":campaign", "units", ":unit", use: submission)
        campaigns.get(":campaign", "summary", use: summary)
    }

    /// Every campaign the caller can see, newest first.
    @Sendable func list(req: Request) async throws -> [APICampaign] {
        let views = try await Access.campaigns(for: try req.requireUser(), on: req.db)
        guard !views.isEmpty else { return [] }
        let roots = try await CampaignUnit.query(on: req.db)
            .filter(\.$campaignID ~~ views.map(\.campaign.id)).filter(\.$pre == 0).all()
        let issuers = Dictionary(roots.map { ($0.campaignID, $0.snapshot) }, uniquingKeysWith: { a, _ in a })
        return views.compactMap { view in issuers[view.campaign.id].map { APICampaign(view, issuer: $0) } }
    }

    @Sendable func show(req: Request) async throws -> APICampaign {
        let view = try await req.apiCampaign()
        let issuer = view.isWhole ? view.scope : try await Self.issuer(of: view.campaign, on: req.db)
        return APICampaign(view, issuer: issuer)
    }

    /// The target units in the caller's scope, in tree order, with their status.
    @Sendable func submissions(req: Request) async throws -> [APISubmissionRow] {
        let view = try await req.apiCampaign()
        let campaign = view.campaign
        let units = try await CampaignUnit.query(on: req.db).filter(\.$campaignID == campaign.id)
            .filter(\.$pre >= view.scope.pre).filter(\.$pre <= view.scope.last).sort(\.$pre).all()
        // Only the scope's submissions: an officer's call must not read the whole country's.
        var submissions: [Submission] = []
        if view.isWhole {
            submissions = try await Submission.query(on: req.db).filter(\.$campaignID == campaign.id).all()
        } else {
            for chunk in units.filter(\.isTarget).map(\.unitID).chunked(500) {
                submissions += try await Submission.query(on: req.db).filter(\.$campaignID == campaign.id)
                    .filter(\.$unitID ~~ chunk).all()
            }
        }
        let byUnit = Dictionary(submissions.map { ($0.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        let codes = Dictionary(units.map { ($0.unitID, $0.code) }, uniquingKeysWith: { a, _ in a })
        return units.filter(\.isTarget).map { u in
            let s = byUnit[u.unitID]
            let submittedAt = s?.submittedAt
            return APISubmissionRow(
                code: u.code, name: u.name, parent: u.parentUnitID.flatMap { codes[$0] },
                status: s?.status ?? .notStarted, noModel: s?.noModel ?? false,
                submittedAt: submittedAt.map(VietnamTime.iso),
                late: submittedAt.map { campaign.policy.isLate($0, extendedTo: u.extendedUntil) } ?? false)
        }
    }

    @Sendable func submission(req: Request) async throws -> APISubmission {
        try await Self.submission(try await req.apiCampaignUnit(), on: req.db)
    }

    /// Exactly `dvk summary --format json`: the official counts of a unit, or of a
    /// federation's subtree; `?unit=` defaults to the top of the caller's scope.
    @Sendable func summary(req: Request) async throws -> SummaryDTO {
        let view = try await req.apiCampaign()
        let code = req.query[String.self, at: "unit"] ?? view.scope.code
        let unit = try await Access.snapshotUnit(view, code: code, on: req.db)
        let summary = try await SummaryQuery.official(view.campaign, unit: unit.snapshot, on: req.db)
        return SummaryDTO(campaign: view.campaign.code, unitCode: unit.code, unitName: unit.name, summary: summary)
    }

    static func issuer(of campaign: CampaignInfo, on db: any Database) async throws -> SnapshotUnit {
        guard let root = try await CampaignUnit.query(on: db)
            .filter(\.$campaignID == campaign.id).filter(\.$pre == 0).first()
        else { throw DomainError.notFound("Không tìm thấy đơn vị phát động của đợt thi đua “\(campaign.code)”.") }
        return root.snapshot
    }

    /// A unit's submission with its history (also the answer to every workflow step).
    static func submission(_ scope: APICampaignUnit, on db: any Database) async throws -> APISubmission {
        let campaign = scope.view.campaign
        let unit = scope.unit
        let submission = try await Submission.query(on: db)
            .filter(\.$campaignID == campaign.id).filter(\.$unitID == unit.unitID).first()
        var events: [SubmissionEvent] = []
        if let submission {
            events = try await SubmissionEvent.query(on: db)
                .filter(\.$submissionID == submission.requireID()).sort(\.$at).all()
        }
        let count = try await Initiative.query(on: db)
            .filter(\.$campaignID == campaign.id).filter(\.$unitID == unit.unitID).count()
        let submittedAt = submission?.submittedAt
        return APISubmission(
            campaign: campaign.code,
            unit: APIUnitRef(code: unit.code, name: unit.name, kind: unit.kind),
            isTarget: unit.isTarget,
            status: submission?.status ?? .notStarted,
            noModel: submission?.noModel ?? false,
            initiatives: count,
            deadline: VietnamTime.iso(scope.deadline),
            submittedAt: submittedAt.map(VietnamTime.iso),
            late: submittedAt.map { campaign.policy.isLate($0, extendedTo: scope.extendedUntil) } ?? false,
            returnReason: submission?.returnReason,
            canRegister: unit.isTarget && scope.view.canRegister(unit),
            canReview: scope.view.canReview(unit),
            history: events.map {
                APIEvent(at: VietnamTime.iso($0.at), actor: $0.actor, action: $0.action,
                         from: $0.fromStatus, to: $0.toStatus, note: $0.note)
            })
    }
}
