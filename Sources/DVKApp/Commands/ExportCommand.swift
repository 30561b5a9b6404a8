import DVKCore
import DVKDocuments
import Fluent
import Foundation
import Vapor

/// `dvk export KIND --campaign C --unit U [--initiative ID] --format docx|pdf|xlsx --output FILE`
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "summary, list, form, report or letter") var kind: String
        @Option(name: "campaign") var campaign: String?
        @Option(name: "unit", help: "A grassroots unit or a federation (its roll-up)") var unit: String?
        @Option(name: "initiative", help: "The initiative's id, for `form`") var initiative: String?
        @Option(name: "format", help: "docx, pdf or xlsx (tables only)") var format: String?
        @Option(name: "output", help: "The file to write") var output: String?
        @Flag(name: "by-unit", help: "With `summary` of a federation: add one row per unit") var byUnit: Bool
    }

    var help: String { "Write one of the campaign's official documents (DOCX, PDF, XLSX)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard var kind = CampaignDocuments.Kind(rawValue: signature.kind), kind != .summaryUnits else {
            throw DomainError.invalid("KIND must be summary, list, form, report or letter, got \(signature.kind)")
        }
        if kind == .summary && signature.byUnit { kind = .summaryUnits }
        let formatText = try signature.format.required("format")
        guard let format = DocumentFormat(rawValue: formatText) else { throw DomainError.invalid("--format must be docx, pdf or xlsx") }
        let output = try signature.output.required("output")
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let unit = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: try signature.unit.required("unit"), on: db).snapshot
        var initiativeID: UUID?
        if kind == .form {
            let text = try signature.initiative.required("initiative")
            guard let id = UUID(uuidString: text) else { throw DomainError.invalid("--initiative must be an initiative id") }
            initiativeID = id
        }
        let options = CampaignDocuments.Options(now: context.application.clock.now(), config: context.application.dvkConfig)
        let document = try await CampaignDocuments.build(kind, campaign: campaign, unit: unit, initiativeID: initiativeID, options: options, on: db)
        do {
            let data = try OfficialDocuments.render(document, as: format)
            try data.write(to: URL(fileURLWithPath: output))
            context.console.print("wrote \(output) (\(data.count) bytes)")
        } catch let error as DocumentError {
            throw DomainError.invalid(error.message)
        }
    }
}
