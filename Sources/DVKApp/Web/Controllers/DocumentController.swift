import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// Downloads of the official documents, with the same reach as the pages: a unit's own
/// documents for its officer, a federation's for its staff and viewers.
struct DocumentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.document(campaign: "", unit: "", kind: .summary, format: .pdf).route, use: document)
        routes.get(SiteURL.initiativeForm(campaign: "", unit: "", id: UUID.random(), format: .pdf).route, use: form)
    }

    @Sendable func document(req: Request) async throws -> Response {
        _ = try req.requireUser()
        let file = try req.parameters.require("file")
        guard let (kind, format): (CampaignDocuments.Kind, DocumentFormat) = FileName.parse(file), kind != .form else {
            throw DomainError.notFound("Không có văn bản “\(file)”.")
        }
        return try await send(req, kind: kind, format: format, initiativeID: nil)
    }

    @Sendable func form(req: Request) async throws -> Response {
        _ = try req.requireUser()
        let file = try req.parameters.require("file")
        guard let (kind, format): (CampaignDocuments.Kind, DocumentFormat) = FileName.parse(file), kind == .form else {
            throw DomainError.notFound("Không có văn bản “\(file)”.")
        }
        return try await send(req, kind: .form, format: format, initiativeID: try req.parameters.require("id", as: UUID.self))
    }

    func send(_ req: Request, kind: CampaignDocuments.Kind, format: DocumentFormat, initiativeID: UUID?) async throws -> Response {
        let user = try req.requireUser()
        let found = try await Access.campaign(code: try req.parameters.require("campaign"), unit: try req.parameters.require("unit"),
                                              user: user, read: req.takeReach(), on: req.database)
        let view = found.view, unit = found.unit!
        let options = CampaignDocuments.Options(now: req.now, config: req.application.dvkConfig)
        let document = try await CampaignDocuments.build(kind, campaign: view.campaign, unit: unit, initiativeID: initiativeID,
                                                         options: options, on: req.database)
        var initiative: (UUID, String)?
        if let initiativeID, let found = try await Initiative.find(initiativeID, on: req.database) { initiative = (initiativeID, found.title) }
        let file = CampaignDocuments.fileName(kind, campaign: view.campaign.code, unit: unit.code, format: format, initiative: initiative)
        return try await DocumentDownload.response(req, document, as: format, fileName: file)
    }
}
