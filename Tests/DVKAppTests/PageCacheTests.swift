import Foundation
import Testing
@testable import DVKApp

/// DVK's page cache (CSQLiteConfig's `dvk_pcache`): SQLite's own, except that a truncation
/// with no page to remove is skipped, a page parked at the lock-byte page's number by a
/// B-tree balance counting only while it is there.
@Suite struct PageCacheTests {
    /// The cache is SQLite's for every connection of the process: installed before SQLite
    /// was first initialised, whatever opened the first connection.
    @Test func theCacheIsInstalledBeforeSQLiteStarts() {
        #expect(SQLiteProcess.setUp.pageCache)
        #expect(SQLiteProcess.setUp.gatheringLayer == "dvk-wal")
    }

    /// The kept highest number, a balance's swap through the parking number, and which
    /// truncations reach SQLite's cache and what they remove.
    @Test func aSwapThroughTheParkingPageLeavesNothingToTruncate() throws {
        try #require(SQLiteProcess.setUp.pageCache)
        typealias Cache = SQLiteProcess.PageCache
        let made = try #require(Cache.create(pageSize: 4096, pages: 100))
        defer { Cache.destroy(made) }
        var state: (parking: UInt32, highest: UInt32, parked: Int32) { Cache.state(made) }
        #expect(state.parking == 262_145)
        var pages: [UInt32: UnsafeMutablePointer<SQLiteProcess.PageCache.Page>] = [:]
        for key: UInt32 in 1...10 {
            let page = Cache.fetch(made, key, create: true)
            #expect(page != nil)
            pages[key] = page
        }
        #expect(state.highest == 10)
        // `balance_nonroot`'s swap of pages 5 and 7: 5 parked, 7 → 5, parked → 7.
        let parking = state.parking
        Cache.rekey(made, try #require(pages[5]), from: 5, to: parking)
        #expect(state.parked == 1 && state.highest == 10)
        Cache.rekey(made, try #require(pages[7]), from: 7, to: 5)
        Cache.rekey(made, try #require(pages[5]), from: parking, to: 7)
        #expect(state.parked == 0 && state.highest == 10)
        for page in pages.values { Cache.unpin(made, page) }
        // Whether a page is held (fetched without creating, and let go).
        func holds(_ key: UInt32) -> Bool {
            guard let page = Cache.fetch(made, key, create: false) else { return false }
            Cache.unpin(made, page)
            return true
        }

        // The commit truncates to the database's size: nothing is past it, nothing is walked.
        let before = SQLiteProcess.truncations
        Cache.truncate(made, 11)
        #expect(SQLiteProcess.truncations.skipped > before.skipped)
        #expect(holds(10) && holds(5) && holds(7))

        // A page still parked is past any size: the truncation goes to SQLite's cache.
        let parked = try #require(Cache.fetch(made, 3, create: false))
        Cache.rekey(made, parked, from: 3, to: parking)
        Cache.unpin(made, parked)
        let passed = SQLiteProcess.truncations.passed
        Cache.truncate(made, 11)
        #expect(SQLiteProcess.truncations.passed > passed)
        #expect(!holds(parking) && state.parked == 0)
        #expect(holds(10))

        // A smaller database (a rolled-back growth): the pages past it go, the rest stay,
        // and the kept number comes down with them.
        Cache.truncate(made, 7)
        #expect(!holds(8) && !holds(10) && holds(6))
        #expect(state.highest == 6)
        let skipped = SQLiteProcess.truncations.skipped
        Cache.truncate(made, 7)
        #expect(SQLiteProcess.truncations.skipped > skipped)
        #expect(holds(6))
    }

    /// On a real file: commits whose balances renumber pages, a growth rolled back and
    /// another made, all read back whole by another connection and checked by SQLite.
    @Test func splitsAndARolledBackGrowthKeepTheFileWhole() async throws {
        try await withWriterAndReader("pcache") { _, _, writer, reader in
            @Sendable func value(_ connection: SyncSQLiteConnection, _ sql: String) throws -> String {
                var out = ""
                try connection.run(sql, []) { out = try $0.decode(column: "v", as: String.self) }
                return out
            }
            let (sums, check) = try await writer.onLoop { () -> ([String], String) in
                try writer.run("PRAGMA journal_mode = WAL", []) { _ in }
                try writer.run("CREATE TABLE t (n INTEGER PRIMARY KEY, k TEXT NOT NULL, payload BLOB NOT NULL)", []) { _ in }
                try writer.run("CREATE INDEX t_k ON t (k)", []) { _ in }
                // Random keys split the index's pages all over it: balances that renumber pages.
                for _ in 0..<300 {
                    try writer.run("""
                        INSERT INTO t (k, payload) WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 20)
                        SELECT hex(randomblob(24)), randomblob(300) FROM i
                        """, []) { _ in }
                }
                var sums = [try value(reader, "SELECT count(*) || ':' || sum(length(k)) AS v FROM t")]
                // A growth of about 4 MB rolled back: its pages must leave the writer's cache.
                try writer.run("BEGIN", []) { _ in }
                try writer.run("""
                    INSERT INTO t (k, payload) WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 1000)
                    SELECT 'gone' || x, zeroblob(4000) FROM i
                    """, []) { _ in }
                try writer.run("ROLLBACK", []) { _ in }
                // Another growth over the same page numbers, with other bytes.
                try writer.run("""
                    INSERT INTO t (k, payload) WITH RECURSIVE i(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM i WHERE x < 1000)
                    SELECT 'kept' || x, randomblob(4000) FROM i
                    """, []) { _ in }
                sums.append(try value(reader, "SELECT count(*) || ':' || sum(length(k)) || ':' || sum(k LIKE 'gone%') AS v FROM t"))
                return (sums, try value(writer, "SELECT integrity_check AS v FROM pragma_integrity_check"))
            }
            #expect(sums[0] == "6000:288000")
            // 'kept1' … 'kept1000': 4 letters and the number's digits each.
            let digits: Int = (1...1000).reduce(0) { $0 + String($1).count }
            let keys = 288_000 + 4_000 + digits
            #expect(sums[1] == "7000:\(keys):0")
            #expect(check == "ok")
        }
    }
}
