import DVKCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `dvk backup --output FILE`: a consistent snapshot of every table, while the server runs.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "output", short: "o", help: "The backup file to write (replaced when the backup is complete)") var output: String?
    }

    var help: String { "Write a backup of the whole database to a file (the same format from SQLite or PostgreSQL)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let path = try signature.output.required("output")
        let db = context.application.db
        let started = ContinuousClock.now
        let written = try await Backup.write(to: path, migrations: try await Migrations.applied(on: db), at: context.application.clock.now(), on: db)
        let rows = written.rows.reduce(0) { $0 + $1.count }
        // The trail names the file by its hash and the root of the trail it holds.
        let seal = try await AuditSeal.verify(on: db)
        let digest = try Backup.fileHash(path)
        try await db.write { db in
            try await AuditTrail.record([AuditTrail.Entry("backup.made", .backup, id: "sha256:" + digest, label: path, unit: nil, details: [
                "SHA-256 của tệp": digest, "Số dòng dữ liệu": String(rows), "Gốc chuỗi nhật ký": seal.root,
            ])], at: context.application.clock.now(), on: db)
        }
        context.console.print("backup written to \(path): \(rows) rows in \(written.rows.count) tables, \(written.bytes) bytes, in \(ContinuousClock.now - started)")
        context.console.print("file SHA-256 \(digest); audit trail root \(seal.root) (\(seal.events) events)")
    }
}

/// `dvk restore FILE`: loads a backup into an empty database of either kind.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A file written by `dvk backup`") var file: String
    }

    var help: String { "Load a backup into an empty database (SQLite or PostgreSQL); refuses a damaged file, a newer schema or a database with data" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let started = ContinuousClock.now
        let loaded = try await Restore.run(path: signature.file, knownMigrations: Migrations.all.map(\.name), at: context.application.clock.now(),
                                           on: context.application.db)
        for (table, count) in loaded.rows { context.console.print("\(table): \(count) rows") }
        context.console.print("audit trail verified: \(loaded.trail.events) events in \(loaded.trail.chains) chains, root \(loaded.trail.root)")
        context.console.print("restored the backup of \(loaded.header.createdAt) (from \(loaded.header.database)) in \(ContinuousClock.now - started)")
    }
}

/// `dvk migrate`: runs the pending migrations and says which (every other command, `serve`
/// included, runs them too before it starts; several servers take turns, so they run once).
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Run the pending database migrations and list them" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let before = Set(try await Migrations.applied(on: app.db))
        try await Migrations.run(on: app)
        let ran = Migrations.all.map(\.name).filter { !before.contains($0) }
        if ran.isEmpty {
            context.console.print("the database is up to date (\(before.count) migrations)")
        } else {
            for name in ran { context.console.print("migrated: \(name)") }
            context.console.print("\(ran.count) migrations run; the database is up to date")
        }
    }
}
