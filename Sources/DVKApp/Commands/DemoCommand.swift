import DVKCore
import Fluent
import Vapor

struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Load the demo data (idempotent): Hà Nội → Long Biên → 44 CĐCS and the campaign DVK-2024" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await DemoData.load(at: context.application.clock.now(), on: context.application.db)
        context.console.print(report.loaded
            ? "demo loaded: \(report.units) units, \(report.initiatives) initiatives, campaign \(DemoData.campaignCode)"
            : "demo already loaded: \(report.units) units, \(report.initiatives) initiatives")
        context.console.print("demo users (password \(DemoData.password)):")
        for u in DemoData.users {
            context.console.print("  \(u.username.padding(toLength: 10, withPad: " ", startingAt: 0)) \(u.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(u.unit)  \(u.name)")
        }
        if report.loaded { await PlannerStatistics.refresh(after: context) }
    }
}
