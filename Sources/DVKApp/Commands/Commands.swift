import Fluent
import Vapor

/// The CLI of `dvk`, beside Vapor's own `serve` and `routes`.
enum Commands {
    static func register(on app: Application) {
        app.asyncCommands.use(DemoCommand(), as: "demo")
        app.asyncCommands.use(ImportCommands(), as: "import")
        app.asyncCommands.use(CampaignCommands(), as: "campaign")
        app.asyncCommands.use(SummaryCommand(), as: "summary")
        app.asyncCommands.use(GenerateCommand(), as: "generate")
        app.asyncCommands.use(BenchCommands(), as: "bench")
        app.asyncCommands.use(UserCommands(), as: "user")
        app.asyncCommands.use(ExportCommand(), as: "export")
        app.asyncCommands.use(RemindCommand(), as: "remind")
        app.asyncCommands.use(BackupCommand(), as: "backup")
        app.asyncCommands.use(RestoreCommand(), as: "restore")
        app.asyncCommands.use(MigrateCommand(), as: "migrate")
        app.asyncCommands.use(AuditCommands(), as: "audit")
    }
}

/// A required option that was left out, named as the user typed it.
struct MissingOption: Error, CustomStringConvertible {
    var name: String
    var description: String { "missing required option --\(name)" }
}

extension Optional where Wrapped == String {
    func required(_ name: String) throws -> String {
        guard let value = self, !value.isEmpty else { throw MissingOption(name: name) }
        return value
    }
}
