import Fluent
import DVKCore
import Foundation
import Vapor

struct CampaignCommands: AsyncCommandGroup {
    var help: String { "Create and manage campaigns" }
    var commands: [String: any AnyAsyncCommand] { ["create": CampaignCreateCommand(), "sync": CampaignSyncCommand()] }
}

struct CampaignCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "code") var code: String?
        @Option(name: "issuer", help: "The issuing federation's unit code") var issuer: String?
        @Option(name: "year") var year: String?
        @Option(name: "title") var title: String?
        @Option(name: "deadline", help: "YYYY-MM-DD[THH:MM], Vietnam time; a date alone means 00:00 of that day") var deadline: String?
        @Option(name: "number", help: "The letter's number, e.g. 26/LĐLĐ") var number: String?
        @Option(name: "issued", help: "The letter's date, YYYY-MM-DD") var issued: String?
        @Option(name: "basis", help: "The upper level's letter the campaign answers, cited by the report upwards") var basis: String?
    }

    var help: String { "Open a campaign for every grassroots unit under the issuer, with the four default sectors" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let yearText = try signature.year.required("year")
        guard let year = Int(yearText) else { throw DomainError.invalid("--year must be a year, got \(yearText)") }
        let deadlineText = try signature.deadline.required("deadline")
        guard let deadline = DeadlineInput.beforeDay.instant(deadlineText) else {
            throw DomainError.invalid("--deadline must be YYYY-MM-DD or YYYY-MM-DDTHH:MM, got \(deadlineText)")
        }
        var issued: CalendarDay?
        if let text = signature.issued {
            guard let day = CalendarDay(parsing: text) else { throw DomainError.invalid("--issued must be YYYY-MM-DD, got \(text)") }
            issued = day
        }
        var input = CampaignInput(code: try signature.code.required("code"), issuerCode: try signature.issuer.required("issuer"),
                                  year: year, title: signature.title, number: signature.number ?? "", issuedOn: issued,
                                  deadline: deadline)
        if let basis = signature.basis {
            switch TextRules.letterBasis.check(basis) {
            case .success(let value): input.basis = value
            case .failure(let problem): throw DomainError.invalid("--basis: \(problem.message)")
            }
        }
        let campaign = try await CampaignStore.create(input, at: context.application.clock.now(), on: context.application.db)
        let targets = try await CampaignUnit.query(on: context.application.db)
            .filter(\.$campaignID == campaign.id).filter(\.$isTarget == true).count()
        context.console.print("campaign \(campaign.code) open: \(targets) target units, deadline \(VietnamTime.describe(campaign.deadline))")
        await PlannerStatistics.refresh(after: context)
    }
}

struct CampaignSyncCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
    }

    var help: String { "Take the current unit tree (names, moves, new units) into an open campaign" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let code = try signature.campaign.required("campaign")
        let campaign = try await CampaignStore.resync(code: code, at: context.application.clock.now(), on: context.application.db)
        context.console.print("campaign \(campaign.code) synced with the current unit tree")
        await PlannerStatistics.refresh(after: context)
    }
}
