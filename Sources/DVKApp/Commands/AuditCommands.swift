import DVKCore
import Fluent
import Foundation
import Vapor

/// `dvk audit [--unit CODE] [--since DATE] [--format json]`: the trail, newest first;
/// `dvk audit verify`: walks every chain and names each event changed, removed or inserted.
/// (Not a command group: a group takes `--unit` for the name of a subcommand.)
struct AuditCommands: AnyAsyncCommand {
    var help: String { "Read the audit trail (a unit's subtree, since a day; text or JSON) or verify its hash chains (`dvk audit verify`)" }

    func run(using context: inout CommandContext) async throws {
        if context.input.arguments.first == "verify" {
            context.input.arguments.removeFirst()
            try await AuditVerifyCommand().run(using: &context)
        } else {
            try await AuditListCommand().run(using: &context)
        }
    }

    func outputHelp(using context: inout CommandContext) throws {
        try AuditListCommand().outputHelp(using: &context)
        context.console.print("dvk audit verify: \(AuditVerifyCommand().help)")
    }
}

struct AuditListCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "unit", help: "A unit's code: its events and those of every unit below it") var unit: String?
        @Option(name: "since", help: "A day (dd/mm/yyyy or yyyy-mm-dd): events from its start, Vietnam time") var since: String?
        @Option(name: "kind", help: "initiative, submission, unit, campaign, model, account, token, mail, import, backup or server") var kind: String?
        @Option(name: "limit", help: "At most this many events (default 1000, at most 100000)") var limit: Int?
        @Option(name: "format", help: "text (default) or json (one object per line)") var format: String?
    }

    var help: String { "List the audit trail, newest first" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        var filter = AuditQuery.Filter()
        if let code = signature.unit {
            let unit = try await UnitDirectory.find(code: code, on: db)
            filter.subtree = try unit.requireID()
        }
        if let since = signature.since {
            guard let day = CalendarDay(parsing: since) else { throw DomainError.invalid("--since: “\(since)” is not a day (write 12/02/2024 or 2024-02-12)") }
            filter.since = VietnamTime.instant(day)
        }
        if let kind = signature.kind {
            guard let k = AuditObjectKind(rawValue: kind) else {
                throw DomainError.invalid("--kind: one of \(AuditObjectKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            filter.kind = k
        }
        let format = signature.format ?? "text"
        guard format == "text" || format == "json" else { throw DomainError.invalid("--format: text or json") }
        let limit = min(max(1, signature.limit ?? 1_000), AuditTrail.exportLimit)
        let lines = try await AuditQuery.lines(filter, limit: limit, on: db)
        let encoder = JSONCoding.encoder()
        for line in lines {
            if format == "json" {
                let data = try encoder.encode(APIAuditEvent(line))
                context.console.print(String(decoding: data, as: UTF8.self))
            } else {
                let unit = line.unitCode.isEmpty ? "" : " [\(line.unitCode)]"
                context.console.print("\(VietnamTime.iso(line.event.at))\(unit) \(line.event.sentence)")
            }
        }
        if format == "text" { context.console.print("\(lines.count) events") }
    }
}

struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Walk every chain of the audit trail; exits non-zero when an event was changed, removed or inserted" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await AuditSeal.verify(on: context.application.db)
        for problem in report.problems { context.console.print("\(problem.kind.rawValue): \(problem.message)") }
        context.console.print("\(report.events) events in \(report.chains) chains; root \(report.root)")
        guard report.problems.isEmpty else { throw TrailBroken(count: report.problems.count) }
        context.console.print("the audit trail verifies")
    }

    struct TrailBroken: Error, CustomStringConvertible {
        var count: Int
        var description: String { "the audit trail does not verify: \(count) problems (listed above)" }
    }
}
