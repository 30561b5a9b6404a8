import Fluent
import DVKCore
import Vapor

struct GenerateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "units", help: "Number of grassroots units") var units: Int?
        @Option(name: "initiatives", help: "Number of initiatives") var initiatives: Int?
        @Option(name: "seed", help: "Random seed (default 1)") var seed: Int?
    }

    var help: String { "Generate synthetic data at scale (a federation tree, one campaign GEN) for benchmarks" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let units = signature.units else { throw MissingOption(name: "units") }
        guard let initiatives = signature.initiatives else { throw MissingOption(name: "initiatives") }
        let started = ContinuousClock.now
        let r = try await Generator.run(units: units, initiatives: initiatives, seed: UInt64(max(0, signature.seed ?? 1)), at: context.application.clock.now(),
                                        on: context.application.db)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        context.console.print("generated \(r.federations) federations, \(r.grassroots) grassroots units, \(r.initiatives) initiatives of \(r.submitted) submitted units in campaign \(Generator.campaignCode) (\(String(format: "%.1f", seconds)) s)")
        await PlannerStatistics.refresh(after: context)
    }
}
