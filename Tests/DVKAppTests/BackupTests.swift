import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Backups on both databases: the file holds every column of every table the schema has
/// (but sessions and the throttle), a round trip keeps every row, a restored user signs in
/// and a restored token works, and a damaged file, a newer schema or a database with data
/// is refused with nothing written.
@Suite struct BackupTests {
    func columns(_ app: Application) async throws -> [String: Set<String>] {
        let sql = try app.db.sql()
        var out: [String: Set<String>] = [:]
        if sql.dialect.name == "postgresql" {
            for row in try await sql.raw("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()").all() {
                out[try row.decode(column: "table_name", as: String.self), default: []].insert(try row.decode(column: "column_name", as: String.self))
            }
        } else {
            for table in try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() {
                let name = try table.decode(column: "name", as: String.self)
                for column in try await sql.raw("SELECT name FROM pragma_table_info(\(bind: name))").all() {
                    out[name, default: []].insert(try column.decode(column: "name", as: String.self))
                }
            }
        }
        return out
    }

    @Test func theBackupKnowsEveryColumnOfEveryTable() async throws {
        try await withApp { app in
            let schema = try await columns(app)
            let spec = Dictionary(uniqueKeysWithValues: BackupTables.all.map { ($0.name, Set($0.columns.map(\.name))) })
            for (table, names) in schema where !BackupTables.excluded.contains(table) {
                #expect(spec[table] == names, "table \(table): the backup lists \(spec[table].map { $0.sorted() } ?? []), the schema has \(names.sorted())")
            }
            #expect(Set(spec.keys).isSubset(of: Set(schema.keys)))
        }
    }

    /// Data of every kind: units, a campaign, initiatives, a submit and a return with
    /// history, users with tokens, messages in the outbox with their bytes.
    static func everything(_ app: Application) async throws -> (token: String, outboxID: UUID) {
        let scene = try await RaceTests.scene(app, initiatives: 3)
        try await run(app, "import", "initiatives", try tempFile(CLITests.initiativesCSV), "--campaign", "DVK-2024")
        // The import handed S1 in; it is returned with a reason and a comment.
        try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: scene.campaign, unitID: scene.s1, actor: "lb",
                                            reason: "Bổ sung “kết quả” \n dòng hai", comments: [scene.initiatives[0]: "Góp ý"], at: Date(), notify: true, on: app.db)
        let token = try await APIFixture.token(app, "canbo", .staff, unit: "LB")
        let id = try #require(try await MailAppTests.outbox(app).first?.id)
        try await Outbox.saveComposed(id, message: Data([0, 1, 2, 255, 13, 10]), subject: "Tiêu đề", to: Mailbox(address: "a@b.vn")!, on: app.db)
        return (token, id)
    }

    /// Every row gone, the schema kept (what a new database is after its migrations).
    static func empty(_ app: Application) async throws {
        for table in ["sessions", "login_failures"] + BackupTables.all.reversed().map(\.name) {
            try await app.db.sql().raw("DELETE FROM \(ident: table)").run()
        }
    }

    static func lines(_ path: String) throws -> [String] {
        // The header (its time) and the trailer (its hash of the header) aside.
        Array(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).dropFirst().dropLast())
    }

    @Test func aRoundTripKeepsEveryRowAndPeopleCanWorkAgain() async throws {
        try await withApp(MailAppTests.mailOn) { app in
            let (token, outboxID) = try await Self.everything(app)
            let campaignID = try await CampaignStore.info(code: "DVK-2024", on: app.db).id
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db).requireID()
            let before = try await SubmissionRow.find(campaignID: campaignID, unitID: s1, on: app.db)
            let first = try tempFile("")
            let written = try await Backup.write(to: first, migrations: try await Migrations.applied(on: app.db), at: app.clock.now(), on: app.db)
            #expect(written.rows.first { $0.table == "initiatives" }?.count == 10)
            #expect(written.rows.first { $0.table == "submission_events" }?.count ?? 0 >= 2)
            // An empty database of the same kind, then the backup into it.
            try await Self.empty(app)
            let loaded = try await Restore.run(path: first, knownMigrations: Migrations.all.map(\.name), at: Date(), on: app.db)
            #expect(loaded.rows.map(\.count) == written.rows.map(\.count))
            let second = try tempFile("")
            _ = try await Backup.write(to: second, migrations: try await Migrations.applied(on: app.db), at: app.clock.now(), on: app.db)
            // The same rows, plus the restore's own event at the end of the trail (and the
            // system chain's head and the table's count moved by it).
            let (a, b) = (try Self.lines(first), try Self.lines(second))
            let lost = Set(a).subtracting(b), added = Set(b).subtracting(a)
            #expect(lost.allSatisfy { $0.hasPrefix("{\"end\":\"audit_") || $0.hasPrefix("[\"system\",") }, "the restored database backs up to the same rows: \(lost)")
            #expect(added.filter { $0.contains("backup.restored") }.count == 1)
            #expect(added.allSatisfy { $0.hasPrefix("{\"end\":\"audit_") || $0.hasPrefix("[\"system\",") || $0.contains("backup.restored") })
            // People work again: a restored password, a restored token, counts equal to a recount.
            let session = try await AuthStore.login(username: "canbo", password: "mat-khau-dai", address: "t", now: Date(), policy: SessionPolicy(),
                                                    verify: { try Bcrypt.verify($0, created: $1) }, on: app.db)
            #expect(!session.isEmpty)
            #expect(try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/S1", as: .token(token)).status == .ok)
            let verify = try await run(app, "bench", "verify", "--campaign", "DVK-2024")
            #expect(verify.contains("maintained counts equal a recount: yes"))
            #expect(try await Outbox.find(outboxID, on: app.db)?.message == Data([0, 1, 2, 255, 13, 10]))
            let after = try await SubmissionRow.find(campaignID: campaignID, unitID: s1, on: app.db)
            #expect(after?.status == .returned && after?.returnReason?.contains("dòng hai") == true)
            #expect(after?.returnReason == before?.returnReason && after?.version == before?.version)
        }
    }

    @Test func aDamagedFileANewerSchemaOrADatabaseWithDataIsRefused() async throws {
        try await withApp { app in
            _ = try await RaceTests.scene(app)
            let path = try tempFile("")
            _ = try await Backup.write(to: path, migrations: try await Migrations.applied(on: app.db), at: app.clock.now(), on: app.db)
            let known = Migrations.all.map(\.name)
            // Not empty: nothing written.
            await #expect(throws: DomainError.self) { try await Restore.run(path: path, knownMigrations: known, at: Date(), on: app.db) }
            try await Self.empty(app)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            func refused(_ content: String, _ expected: String) async throws {
                let file = try tempFile(content)
                do {
                    _ = try await Restore.run(path: file, knownMigrations: known, at: Date(), on: app.db)
                    Issue.record("accepted: \(expected)")
                } catch {
                    #expect(String(describing: error).contains(expected), "\(error)")
                }
                #expect(try await Unit.query(on: app.db).count() == 0, "nothing written")
            }
            try await refused(text.replacingOccurrences(of: "Trường Tiểu học Ngọc Lâm", with: "Trường Tiểu học Ngọc Lân"), "checksum")
            // Cut right after a row of the units table: the file ends inside a table.
            let row = try #require(text.range(of: "Trường Tiểu học Ngọc Lâm"))
            let cut = try #require(text[row.upperBound...].firstIndex(of: "\n"))
            try await refused(String(text[...cut]), "ends")
            try await refused(text.replacingOccurrences(of: "\"DVKApp.AddMail\"", with: "\"DVKApp.AddMail\",\"DVKApp.AddLibrary\""), "newer DVK")
            try await refused(text.replacingOccurrences(of: "\"version\":1", with: "\"version\":2"), "newer than this DVK")
            try await refused("hello\n", "not a DVK backup")
            // The untouched file loads.
            _ = try await Restore.run(path: path, knownMigrations: known, at: Date(), on: app.db)
            #expect(try await Unit.query(on: app.db).count() == 8)
        }
    }

    @Test func aBinaryRefusesADatabaseANewerOneMigrated() async throws {
        try await withApp { app in
            try await app.db.sql().raw("""
                INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at)
                VALUES (\(bind: UUID()), 'DVKApp.AddFromTheFuture', 99, \(bind: Date()), \(bind: Date()))
                """).run()
            await #expect(throws: Migrations.NewerSchema.self) { try await Migrations.refuseNewerSchema(on: app.db) }
            try await app.db.sql().raw("DELETE FROM _fluent_migrations WHERE name = 'DVKApp.AddFromTheFuture'").run()
            try await Migrations.refuseNewerSchema(on: app.db)
        }
    }
}
