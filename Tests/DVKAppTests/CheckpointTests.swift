import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import DVKApp

/// SQLite's write-ahead log is folded into the file by the checkpointer's own connection,
/// not inside the writer's commit (`SQLiteCheckpointer`).
@Suite struct CheckpointTests {
    @Test(.enabled(if: TestDatabase.postgresURL == nil, "SQLite's log"))
    func aLargeCommitsLogIsFoldedInByTheCheckpointerNotTheWriter() async throws {
        // A file of its own, in WAL mode as a server's.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-checkpoint-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await withApp({ $0.database = .sqliteFile(path) }) { app in
            let db = try #require(app.db as? WriterBackedDatabase)
            let checkpointer = try #require(db.writer.connection.checkpointer)
            let before = checkpointer.checkpoints
            func insert(_ rows: Int, drain: Bool = true) async throws {
                try await app.db.write { db in
                    try await (db as! any SQLDatabase).raw("""
                        INSERT INTO checkpoint_probe (payload)
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(unsafeRaw: String(rows)))
                        SELECT randomblob(4000) FROM n
                        """).run()
                }
                if drain { await checkpointer.drain() }
            }
            func fileSize() throws -> Int {
                try FileManager.default.attributesOfItem(atPath: db.writer.connection.path)[.size] as? Int ?? 0
            }
            try await app.db.write { db in
                try await (db as! any SQLDatabase).raw("CREATE TABLE checkpoint_probe (payload BLOB NOT NULL)").run()
            }
            // About 3,000 pages of 4 KiB, three times: each under the 4,000 from which a commit
            // hands the work over. The first two leave the log alone (under the 8,000 pages
            // from which a commit checkpoints); the third brings it past them, and the
            // writer's commit copies the log into the file, as SQLite's automatic checkpoint
            // would have, even with the checkpointer's queue held.
            checkpointer.suspend()
            // Let go on any way out: a held queue would hold the app's shutdown (`stop`) too.
            var held = true
            defer { if held { checkpointer.resume() } }
            let empty = try fileSize()
            try await insert(3_000, drain: false)
            try await insert(3_000, drain: false)
            #expect(try fileSize() == empty, "a commit checkpointed a log under \(SQLiteCheckpointer.pages) pages")
            try await insert(3_000, drain: false)
            let afterSmall = try fileSize()
            #expect(afterSmall >= 9_000 * 4_000, "the file has \(afterSmall) bytes")
            // About 5,000 pages in one commit: the writer leaves them in the log (the file does
            // not grow while the checkpointer's queue is held), and the checkpointer copies
            // them all once it runs.
            try await insert(5_000, drain: false)
            #expect(try fileSize() == afterSmall, "the writer copied a large commit itself")
            #expect(checkpointer.checkpoints == before)
            checkpointer.resume()
            held = false
            await checkpointer.drain()
            #expect(checkpointer.checkpoints == before + 1)
            let afterLarge = try fileSize()
            #expect(afterLarge >= 14_000 * 4_000, "the file has \(afterLarge) bytes")
            // Still one table, whole, for every reader.
            let count = try await (app.db as! any SQLDatabase).raw("SELECT count(*) AS n FROM checkpoint_probe").first()?.decode(column: "n", as: Int.self)
            #expect(count == 14_000)
        }
    }
}
