import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import DVKApp

/// The writer's log writes are gathered and reach the file once a commit (CSQLiteConfig's
/// "dvk-wal" layer): no fewer bytes, no later than the commit.
@Suite struct GatheredLogTests {
    @Test func aCommitsFramesAreInTheFileWhenItReturnsInFewWrites() async throws {
        #expect(SQLiteProcess.setUp.gatheringLayer == "dvk-wal")
        try await withWriterAndReader("log") { directory, loop, writer, reader in
            let path = directory.appendingPathComponent("a.sqlite").path
            @Sendable func count(_ connection: SyncSQLiteConnection) throws -> Int {
                var n = -1
                try connection.run("SELECT count(*) AS n FROM t", []) { n = try $0.decode(column: "n", as: Int.self) }
                return n
            }
            let before = SQLiteProcess.gatheredLogWrites
            // 20 commits of 40 rows of 1,500 bytes (about 20 pages each, with the index), each
            // seen at once by another connection, which reads the file through the system's layer.
            let seen = try await writer.onLoop { () -> [Int] in
                try writer.run("PRAGMA journal_mode = WAL", []) { _ in }
                try writer.run("CREATE TABLE t (n INTEGER PRIMARY KEY, payload BLOB NOT NULL, k TEXT NOT NULL)", []) { _ in }
                try writer.run("CREATE INDEX t_k ON t (k)", []) { _ in }
                var seen: [Int] = []
                for commit in 0..<20 {
                    try writer.run("""
                        INSERT INTO t (payload, k) WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 40)
                        SELECT randomblob(1500), hex(randomblob(16)) || '\(commit)' FROM i
                        """, []) { _ in }
                    seen.append(try count(reader))
                }
                return seen
            }
            #expect(seen == (1...20).map { $0 * 40 })
            let after = SQLiteProcess.gatheredLogWrites
            let gathered = after.gathered - before.gathered
            let written = after.written - before.written
            // Two writes a frame (its header, its page), and about one write a commit. Other
            // suites' writers run meanwhile through the same layer, with their own small commits.
            #expect(gathered >= 20 * 2 * 20, "gathered \(gathered)")
            #expect(written * 4 <= gathered, "\(written) writes for \(gathered) gathered")

            // The files as a killed process leaves them (the writer still open, the log not
            // checkpointed), without the shared index: SQLite recovers every commit from the log.
            let copy = directory.appendingPathComponent("b.sqlite").path
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
            let recovered = SyncSQLiteConnection(path: copy, loop: loop, readOnly: true)
            defer { try? loop.submit { recovered.close() }.wait() }
            let (rows, check) = try await recovered.onLoop { () -> (Int, String) in
                var check = ""
                try recovered.run("PRAGMA integrity_check", []) { check = try $0.decode(column: "integrity_check", as: String.self) }
                return (try count(recovered), check)
            }
            #expect(rows == 800)
            #expect(check == "ok")
        }
    }
}
