import DVKCore
import Fluent
import Foundation
import Vapor

/// `dvk remind --campaign C [--unit FEDERATION] [--dry-run]`: reminds by email the units
/// that have not handed in, delivers what it queued before it exits, and prints who was
/// sent what. The rule of who gets one is `ReminderRuns`' (the page's button uses it too).
struct RemindCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign", help: "The campaign's code") var campaign: String?
        @Option(name: "unit", help: "Only the units under this federation (its code); default: the whole campaign") var unit: String?
        @Flag(name: "dry-run", help: "Print who would be reminded; write and send nothing") var dryRun: Bool
    }

    var help: String { "Email a reminder to every unit that has not handed in (at most one per unit and day)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let db = app.db
        let sender = app.mailSender
        if sender == nil, !signature.dryRun {
            throw DomainError.invalid("email is not set up: set DVK_SMTP_URL, DVK_MAIL_FROM and DVK_PUBLIC_URL (or use --dry-run)")
        }
        let campaign = CampaignInfo(try await CampaignStore.find(code: try signature.campaign.required("campaign"), on: db))
        let scope: CampaignUnit
        if let code = signature.unit {
            guard let unit = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$code == code).first() else {
                throw DomainError.notFound("unit \(code) is not in campaign \(campaign.code)")
            }
            scope = unit
        } else {
            guard let root = try await CampaignStore.root(campaignID: campaign.id, on: db) else {
                throw DomainError.notFound("campaign \(campaign.code) has no units")
            }
            scope = root
        }
        let now = context.application.clock.now()
        let planned = try await ReminderRuns.enqueue(campaign, scope: scope.snapshot, at: now, dryRun: signature.dryRun, on: db)
        var reports: [UUID: DeliveryReport] = [:]
        if let sender, !signature.dryRun {
            let ids = planned.compactMap { if case .queued(let id) = $0.outcome { id } else { nil } }
            for chunk in ids.chunked(500) {
                for report in try await sender.deliverDue(app, at: now, ids: chunk) { reports[report.id] = report }
            }
        }
        var tally: [String: Int] = [:]
        for p in planned {
            let (label, detail): (String, String)
            switch p.outcome {
            case .queued(let id):
                switch reports[id]?.outcome {
                case .sent(let answer)?: (label, detail) = ("sent", " (\(answer))")
                case .retry(let answer)?: (label, detail) = ("not yet sent, will be retried by `dvk serve`", " (\(answer))")
                case .failed(let answer, _)?: (label, detail) = ("failed", " (\(answer))")
                case nil: (label, detail) = ("queued, taken by a running server", "")
                }
            case .wouldQueue: (label, detail) = ("would be sent", "")
            case .alreadyToday: (label, detail) = ("skipped: already reminded today", "")
            case .noEmail: (label, detail) = ("skipped: no email address", "")
            case .closed: (label, detail) = ("skipped: deadline passed and the campaign takes no late work", "")
            }
            tally[label, default: 0] += 1
            context.console.print("\(p.code)\t\(p.address.isEmpty ? "-" : p.address)\t\(label)\(detail)")
        }
        let summary = tally.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        context.console.print("\(planned.count) units have not handed in under \(scope.code): \(summary.isEmpty ? "nothing to do" : summary)")
    }
}
