import DVKCore
import Fluent
import FluentKit
import Foundation
import Vapor

/// The steps of a unit's submission. Each answers the submission as it now stands.
struct WorkflowAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let unit = routes.grouped("campaigns", ":campaign", "units", ":unit")
        unit.post("submit", use: submit)
        unit.post("declare", use: declare)
        unit.post("accept", use: accept)
        unit.post("return", use: giveBack)
    }

    @Sendable func submit(req: Request) async throws -> APISubmission {
        try await step(.submit, req: req)
    }

    /// "No model this year": an answer of zero, for a unit with no initiatives.
    @Sendable func declare(req: Request) async throws -> APISubmission {
        try await step(.declare, req: req)
    }

    @Sendable func accept(req: Request) async throws -> APISubmission {
        try await step(.accept, req: req)
    }

    /// Returns the submission to the unit with the reason it will see (`{"reason": "…"}`).
    @Sendable func giveBack(req: Request) async throws -> APISubmission {
        try await step(.return, req: req)
    }

    private func step(_ action: SubmissionAction, req: Request) async throws -> APISubmission {
        let scope = try await req.apiCampaignUnit()
        switch action {
        case .accept, .return: try scope.requireReview()
        default: try scope.requireRegister()
        }
        // A missing body is an empty reason, which the store refuses in Vietnamese (422).
        let reason = action == .return ? try req.decodeJSON(APIReturnInput.self, emptyAs: .init()).reason ?? "" : ""
        try await RegistrationStore.perform(action, campaign: scope.view.campaign, unitID: scope.unit.unitID,
                                            actor: try req.requireUser().username, reason: reason,
                                            extendedUntil: scope.extendedUntil, on: req.db)
        return try await CampaignsAPIController.submission(scope, on: req.db)
    }
}
