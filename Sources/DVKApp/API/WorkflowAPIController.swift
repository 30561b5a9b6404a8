import DVKCore
import Fluent
import FluentKit
import Foundation
import Vapor

/// The steps of a unit's submission. Each answers the submission as it now stands; each
/// takes `If-Match: "VERSION"` to refuse (409) if anything changed since the caller looked.
struct WorkflowAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.submit, use: submit)
        routes.on(.declare, use: declare)
        routes.on(.accept, use: accept)
        // A reason and a comment on each of many initiatives do not fit Vapor's 16 kB default.
        routes.on(.returnSubmission, use: giveBack)
        routes.on(.extend, use: extend)
    }

    @Sendable func submit(req: Request) async throws -> Response {
        try await step(.submit, req: req)
    }

    /// "No model this year": an answer of zero, for a unit with no initiatives.
    @Sendable func declare(req: Request) async throws -> Response {
        try await step(.declare, req: req)
    }

    @Sendable func accept(req: Request) async throws -> Response {
        try await step(.accept, req: req)
    }

    /// Returns the submission to the unit with the reason it will see (`{"reason": "…"}`),
    /// comments on initiatives and a day to resubmit by.
    @Sendable func giveBack(req: Request) async throws -> Response {
        let scope = try await allowed(.return(resubmitBy: nil), req: req)
        // A missing body is an empty reason, which the store refuses in Vietnamese (422).
        let body = try req.decodeJSON(APIReturnInput.self, emptyAs: .init())
        var by: Date?
        if let text = body.resubmitBy {
            guard let instant = DeadlineInput.throughDay.instant(text) else {
                throw DomainError.invalid("Ngày nộp lại (resubmitBy) “\(text)” không hợp lệ: một ngày (YYYY-MM-DD, đến hết ngày đó) hoặc một thời điểm.")
            }
            by = instant
        }
        var comments: [UUID: String] = [:]
        for (key, text) in body.comments ?? [:] {
            guard let id = UUID(uuidString: key) else {
                throw DomainError.invalid("Khóa “\(key)” của comments phải là mã (id) của một mô hình.")
            }
            comments[id] = text
        }
        return try await step(.return(resubmitBy: by), scope: scope, req: req, reason: body.reason ?? "", comments: comments)
    }

    /// Extends the unit's deadline to the end of a day (`{"until": "2024-02-20"}`) or to an
    /// instant (`{"until": "2024-02-20T17:00:00+07:00"}`), or takes the extension back
    /// (`{"until": null}`): `DeadlineInput.throughDay`, as on the web.
    @Sendable func extend(req: Request) async throws -> Response {
        let scope = try await allowed(.extend(until: nil), req: req)
        let body = try req.decodeJSON(APIExtensionInput.self)
        var until: Date?
        if let text = body.until {
            guard let instant = DeadlineInput.throughDay.instant(text) else {
                throw DomainError.invalid("Gia hạn (until) “\(text)” không hợp lệ: một ngày (YYYY-MM-DD, đến hết ngày đó) hoặc một thời điểm (2024-02-20T17:00:00+07:00).")
            }
            until = instant
        }
        return try await step(.extend(until: until), scope: scope, req: req)
    }

    /// The unit of the path, if the caller may take this step there: reach and role are
    /// checked before the body is read.
    private func allowed(_ step: RegistrationStore.Step, req: Request) async throws -> APICampaignUnit {
        let scope = try await req.apiCampaignUnit()
        switch step {
        case .accept, .return, .extend: try scope.requireReview()
        case .submit, .declare: try scope.requireRegister()
        }
        return scope
    }

    private func step(_ step: RegistrationStore.Step, scope known: APICampaignUnit? = nil, req: Request, reason: String = "",
                      comments: [UUID: String] = [:]) async throws -> Response {
        let scope: APICampaignUnit
        if let known { scope = known } else { scope = try await allowed(step, req: req) }
        try await RegistrationStore.perform(step, campaign: scope.view.campaign, unitID: scope.unit.unitID,
                                            actor: try req.requireUser().username, reason: reason, comments: comments,
                                            version: try req.ifMatchVersion(), at: req.now, notify: req.application.sendsMail, on: req.database)
        return try await CampaignsAPIController.submissionResponse(scope, req: req)
    }
}
