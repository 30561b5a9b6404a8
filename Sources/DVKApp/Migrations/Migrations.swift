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
        AddMail(),
    ]

    static func register(on app: Application) {
        app.migrations.add(all)
    }

    /// Any of the advisory lock keys would do; this one is DVK's ("DVK" in ASCII).
    static let lockKey = 0x44564B

    /// Runs the pending migrations. Several app servers starting at once against one
    /// PostgreSQL take turns on an advisory lock, so the migrations run once: the first
    /// runs them, the others then find nothing left to do.
    static func run(on app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "postgresql" else {
            try await app.autoMigrate()
            return
        }
        try await app.db.withConnection { connection in
            let session = try connection.sql()
            try await session.raw("SELECT pg_advisory_lock(\(literal: lockKey))").run()
            do {
                try await app.autoMigrate()
            } catch {
                try? await session.raw("SELECT pg_advisory_unlock(\(literal: lockKey))").run()
                throw error
            }
            try await session.raw("SELECT pg_advisory_unlock(\(literal: lockKey))").run()
        }
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
