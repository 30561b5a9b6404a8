import DVKCore
import Fluent
import FluentKit
import Foundation
import Vapor

/// A unit's initiatives in a campaign: read by everyone in scope, written by those who
/// register for the unit while its submission is editable (`RegistrationStore` decides).
struct InitiativesAPIController: RouteCollection {
    /// Four free-text fields of up to 20,000 characters each do not fit Vapor's 16 kB default.

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.listInitiatives, use: list)
        routes.on(.createInitiative, use: create)
        routes.on(.getInitiative, use: show)
        routes.on(.updateInitiative, use: update)
        routes.on(.deleteInitiative, use: delete)
    }

    @Sendable func list(req: Request) async throws -> [APIInitiative] {
        let scope = try await req.apiCampaignUnit()
        return try await Initiative.storedWithRegistrants(campaignID: scope.view.campaign.id, unitID: scope.unit.unitID, on: req.database).compactMap { row in
            try row.registrant.map { try APIInitiative(row.initiative, registrant: $0, unitCode: scope.unit.code) }
        }
    }

    @Sendable func create(req: Request) async throws -> Response {
        let seen = req.reachRow
        let scope = try await req.apiCampaignUnit()
        try scope.requireRegister()
        let body = try req.decodeJSON(APIInitiativeInput.self)
        let draft = try body.draft(sectors: scope.view.campaign.sectors)
        let saved = try await RegistrationStore.save(draft, continues: body.continues, campaign: scope.view.campaign,
                                                     unitID: scope.unit.unitID, actor: try req.requireUser().username,
                                                     version: try req.ifMatchVersion(), seen: seen, at: req.now, on: req.database)
        let answer = APIInitiative(draft, saved: saved, unitCode: scope.unit.code)
        let response = try await answer.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location,
                                      value: SiteURL.api(.getInitiative, [scope.view.campaign.code, scope.unit.code, answer.id.canonicalText]).path)
        return response
    }

    @Sendable func show(req: Request) async throws -> APIInitiative {
        let scope = try await req.apiCampaignUnit()
        return try await Self.dto(try await Self.find(req, scope: scope), scope: scope, on: req.database)
    }

    @Sendable func update(req: Request) async throws -> APIInitiative {
        let scope = try await req.apiCampaignUnit()
        let existing = try await Self.find(req, scope: scope)
        try scope.requireRegister()
        let body = try req.decodeJSON(APIInitiativeInput.self)
        let draft = try body.draft(sectors: scope.view.campaign.sectors)
        let saved = try await RegistrationStore.save(draft, id: try existing.requireID(), continues: body.continues, keepLink: true,
                                                     campaign: scope.view.campaign, unitID: scope.unit.unitID,
                                                     actor: try req.requireUser().username, version: try req.ifMatchVersion(), at: req.now, on: req.database)
        return APIInitiative(draft, saved: saved, unitCode: scope.unit.code)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        let scope = try await req.apiCampaignUnit()
        let existing = try await Self.find(req, scope: scope)
        try scope.requireRegister()
        try await RegistrationStore.delete(initiativeID: try existing.requireID(), campaign: scope.view.campaign,
                                           unitID: scope.unit.unitID, actor: try req.requireUser().username,
                                           version: try req.ifMatchVersion(), at: req.now, on: req.database)
        return .noContent
    }

    /// The initiative of the `id` parameter, only if it belongs to this campaign and unit:
    /// an id of another unit is "not found", exactly like an id that does not exist.
    static func find(_ req: Request, scope: APICampaignUnit) async throws -> Initiative {
        guard let id = req.parameters.get("id", as: UUID.self),
              let found = try await Initiative.find(id, on: req.database),
              found.campaignID == scope.view.campaign.id, found.unitID == scope.unit.unitID
        else { throw DomainError.notFound("Không tìm thấy mô hình này trong hồ sơ của đơn vị “\(scope.unit.code)”.") }
        return found
    }

    static func dto(_ initiative: Initiative, scope: APICampaignUnit, on db: any Database) async throws -> APIInitiative {
        guard let registrant = try await Registrant.find(initiative.registrantID, on: db) else {
            throw DomainError.notFound("Không tìm thấy người đăng ký của mô hình.")
        }
        return try APIInitiative(initiative, registrant: registrant, unitCode: scope.unit.code)
    }
}
