import Fluent
import DVKCore
import Foundation
import Vapor

struct BenchCommands: AsyncCommandGroup {
    var help: String { "Benchmarks that print figures (see README)" }
    var commands: [String: any AnyAsyncCommand] { ["summary": BenchSummaryCommand(), "csv": BenchCSVCommand()] }
}

/// Times the roll-up inside the process, after a warm-up, and checks it against a recount.
struct BenchSummaryCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "unit") var unit: String?
        @Option(name: "iterations") var iterations: Int?
    }

    var help: String { "Time the Biểu tổng hợp roll-up of a unit" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let unit = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: try signature.unit.required("unit"), on: db).snapshot
        let n = max(1, signature.iterations ?? 50)
        for _ in 0..<5 { _ = try await SummaryQuery.official(campaign, unit: unit, on: db) }
        var times: [Double] = []
        var summary: Summary?
        for _ in 0..<n {
            let start = ContinuousClock.now
            summary = try await SummaryQuery.official(campaign, unit: unit, on: db)
            times.append((ContinuousClock.now - start) / .milliseconds(1))
        }
        times.sort()
        let units = try await SummaryQuery.subtreeTargets(campaign, unit: unit, on: db).count
        let recountStart = ContinuousClock.now
        let recount = try await SummaryQuery.recounted(campaign, unit: unit, on: db)
        let recountMs = (ContinuousClock.now - recountStart) / .milliseconds(1)
        func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
        context.console.print("roll-up of \(unit.code) over \(units) target units, \(summary?.total.initiatives ?? 0) counted initiatives, \(n) runs after 5 warm-up:")
        context.console.print("  min \(ms(times[0]))  median \(ms(times[n / 2]))  p95 \(ms(times[min(n - 1, n * 95 / 100)]))  max \(ms(times[n - 1]))")
        context.console.print("  recount from initiatives: \(ms(recountMs)); equal to maintained counts: \(recount == summary ? "yes" : "NO")")
    }
}

/// Writes an initiatives CSV of N rows over a campaign's targets, for timing the importer.
struct BenchCSVCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "rows") var rows: Int?
        @Option(name: "output") var output: String?
    }

    var help: String { "Write a synthetic initiatives CSV for a campaign (to time `dvk import initiatives`)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let output = try signature.output.required("output")
        let n = signature.rows ?? 60_000
        let codes = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$isTarget == true).all().map(\.code)
        guard !codes.isEmpty else { throw DomainError.invalid("campaign has no target units") }
        var rng = SeededGenerator(seed: 7)
        let rows: [[String]] = (0..<n).map { i in
            let individual = i % 3 == 0
            return [codes[i % codes.count], individual ? "cá nhân" : "tập thể",
                    individual ? "Đoàn viên nhập \(i % 97)" : "Tổ nhập \(i % 5)",
                    campaign.sectors[rng.next(upTo: campaign.sectors.count)].name,
                    "Mô hình nhập từ tệp số \(i + 1)", "2025-03-01", "2025-12-31", "Kết quả dự kiến \(i + 1)"]
        }
        let text = CSVWriter.write(header: ["unit_code", "registrant_kind", "registrant_name", "sector", "title", "start_date", "end_date", "expected_result"], rows: rows)
        try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        context.console.print("wrote \(n) rows to \(output)")
    }
}
