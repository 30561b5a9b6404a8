import Fluent
import DVKCore
import Foundation
import Vapor

struct SummaryCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "unit", help: "A grassroots unit, or a federation for its roll-up") var unit: String?
        @Option(name: "format", help: "json (default), csv or text") var format: String?
        @Flag(name: "recount", help: "Count from the initiatives instead of the maintained counts") var recount: Bool
    }

    var help: String { "Print the Biểu tổng hợp of a unit (a roll-up for a federation)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let format = signature.format ?? "json"
        guard ["json", "csv", "text"].contains(format) else { throw DomainError.invalid("--format must be json, csv or text") }
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let unit = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: try signature.unit.required("unit"), on: db)
        let summary = signature.recount
            ? try await SummaryQuery.recounted(campaign, unit: unit.snapshot, on: db)
            : try await SummaryQuery.official(campaign, unit: unit.snapshot, on: db)
        let dto = SummaryDTO(campaign: campaign.code, unitCode: unit.code, unitName: unit.name, summary: summary)
        switch format {
        case "csv": context.console.output(ConsoleText(stringLiteral: dto.csv()), newLine: false)
        case "text": context.console.print(dto.text())
        default: context.console.print(dto.json())
        }
    }
}
