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
        AddModelYear(),
        AddLetterBasis(),
        AddAccounts(),
        AddUnitEnds(),
        AddReviewTrail(),
        AddFileCaptions(),
        AddUnitSigners(),
        AddReportNotes(),
        AddAuditChain(),
        AddAuditSearchIndex(),
        SlimAuditIndexes(),
        AddCampaignUnitIndex(),
        AddWriteExpectation(),
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
        try await refuseNewerSchema(on: app.db)
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

extension Migrations {
    /// The migrations the database has run, by name (none on a new database).
    static func applied(on db: any Database) async throws -> [String] {
        let sql = try db.sql()
        let exists: Bool
        if sql.dialect.name == "postgresql" {
            exists = try await sql.raw("SELECT to_regclass('_fluent_migrations') IS NOT NULL AS x").first()?.decode(column: "x", as: Bool.self) ?? false
        } else {
            exists = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'").first() != nil
        }
        guard exists else { return [] }
        return try await sql.raw("SELECT name FROM _fluent_migrations ORDER BY batch, created_at").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    /// A binary never runs on a database a newer DVK has migrated: it would not know the
    /// columns it finds, and could write rows the newer code cannot read.
    static func refuseNewerSchema(on db: any Database) async throws {
        let known = Set(all.map(\.name))
        let unknown = try await applied(on: db).filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw NewerSchema(unknown: unknown)
        }
    }

    struct NewerSchema: Error, CustomStringConvertible {
        var unknown: [String]
        var description: String {
            "the database was migrated by a newer DVK (migrations this binary does not know: \(unknown.joined(separator: ", "))); run a DVK at least as new"
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
