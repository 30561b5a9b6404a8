import Fluent
import FluentKit
import SQLKit
import Vapor

/// Every migration, in order. Released migrations are never edited; a change is a new one.
enum Migrations {
    static let all: [any Migration] = [
        CreateUnits(),
        CreateCampaigns(),
        CreateCampaignUnits(),
        CreateRegistrants(),
        CreateInitiatives(),
        CreateSubmissions(),
        CreateSubmissionEvents(),
        CreateSummaryCounts(),
        CreateAuth(),
        CreateRollupCounts(),
        AddStanding(),
        AddSessionLimits(),
    ]

    static func register(on app: Application) {
        app.migrations.add(all)
    }
}

extension Database {
    /// Plain (non-unique) indexes, which Fluent's schema builder does not make.
    func createIndex(_ name: String, on table: String, _ columns: String..., unique: Bool = false) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        if unique { builder = builder.unique() }
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
