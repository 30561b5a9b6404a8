import DVKCore
import Fluent
import Foundation
import NIOCore
import NIOPosix
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// A GET's reads on SQLite share one read transaction (`ReadSnapshot`) only while no one else
/// uses the loop's reader: no request reads through another's snapshot, a request reads back
/// what it wrote, and no transaction outlives its request.
@Suite struct ReadSnapshotTests {
    /// A file in WAL mode with one table of one row, its writer, and a loop's reader.
    struct File {
        let path: String
        let writer: SyncSQLiteConnection
        let reader: SyncSQLiteConnection

        init() async throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-snapshot-\(UUID().uuidString).sqlite").path
            let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
            writer = SyncSQLiteConnection(path: path, loop: loops[0])
            reader = SyncSQLiteConnection(path: path, loop: loops[loops.count > 1 ? 1 : 0], readOnly: true, joinsSnapshots: true)
            let writer = writer
            try await writer.onLoop {
                for sql in ["PRAGMA journal_mode = WAL", "CREATE TABLE t (n INTEGER)", "INSERT INTO t VALUES (1)"] { try writer.run(sql, []) { _ in } }
            }
        }

        func insert() async throws {
            let writer = writer
            try await writer.onLoop { try writer.run("INSERT INTO t VALUES (1)", []) { _ in } }
        }

        /// The rows the reader sees, read in the calling task (its snapshot, if any).
        func count() throws -> Int {
            var n = 0
            try reader.run("SELECT COUNT(*) AS n FROM t", []) { n = try $0.decode(column: "n", as: Int.self) }
            return n
        }

        /// `body` in a task on the reader's loop.
        func onReaderLoop<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
            try await ReadSnapshotTests.on(reader.loop, body)
        }

        func close() {
            for connection in [reader, writer] { try? connection.loop.submit { connection.close() }.wait() }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    /// `body` in a task on `loop`, as a request's code runs (`Request.step`). A preference
    /// set on a running task takes effect at its next suspension: until then it may still be
    /// on another thread, where the reader's task-local snapshot cannot be seen.
    static func on<T: Sendable>(_ loop: any EventLoop, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            await Task.yield()
            try #require(loop.inEventLoop)
            return try await body()
        }
    }

    /// Alone on its reader, a request reads one state of the file throughout: a write
    /// committed between two of its statements shows in neither; the next request sees it,
    /// and nothing is left open.
    @Test func aRequestAloneReadsOneStateOfTheFile() async throws {
        let file = try await File()
        defer { file.close() }
        let seen = try await file.onReaderLoop {
            try await ReadSnapshot.reading { () -> [Int] in
                let first = try file.count()
                try await file.insert()
                return [first, try file.count()]
            }
        }
        #expect(seen == [1, 1])
        // Ended with its scope, before anyone's next statement.
        let after = try await file.onReaderLoop { (file.reader.inTransaction, try file.count()) }
        #expect(after == (false, 2))
        #expect(file.reader.snapshotsBegun == 1)
    }

    /// Another request's statement ends the snapshot before it runs: it reads the file as
    /// it is, and so does the first request afterwards (in a transaction of its own again).
    @Test func anotherRequestsStatementEndsTheSnapshotFirst() async throws {
        let file = try await File()
        defer { file.close() }
        let a = ReadSnapshot(), b = ReadSnapshot()
        let seen = try await file.onReaderLoop { () -> [Int] in
            var seen = [try ReadSnapshot.$current.withValue(a) { try file.count() }]
            try await file.insert()
            seen.append(try ReadSnapshot.$current.withValue(b) { try file.count() })
            seen.append(try file.count())  // a statement of no request's: outside any snapshot
            try await file.insert()
            seen.append(try ReadSnapshot.$current.withValue(a) { try file.count() })
            file.reader.end(a)
            return seen
        }
        #expect(seen == [1, 2, 2, 3])
        #expect(file.reader.snapshotsCutShort == 2, "b ended a's, the plain statement b's")
        #expect(file.reader.snapshotsBegun == 3)
        #expect(try await file.onReaderLoop { file.reader.inTransaction } == false)
    }

    /// A request that writes reads back what it wrote: its write ends its snapshot, and it
    /// begins no other (through the app's database, where every write path says so).
    @Test func aRequestReadsBackItsOwnWrite() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let loop = app.eventLoopGroup.next()
            guard let db = app.databases.database(logger: app.logger, on: loop) as? WriterBackedDatabase else { return }  // SQLite only
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db).requireID()
            // A reader opened before the file turned to WAL (during the migrations) learns it
            // at its next read, as a server's readers do at their first requests.
            _ = try await Self.on(loop) { try await Initiative.query(on: db).count() }
            let counts = try await Self.on(loop) {
                try await ReadSnapshot.reading { () -> [Int] in
                    let before = try await Initiative.query(on: db).count()
                    _ = try await RegistrationStore.save(InitiativeDraft(kind: .collective, registrantName: "Tổ Một", sectorCode: "kinh-te",
                                                                         title: "Mô hình đọc lại"),
                                                         campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: db)
                    return [before, try await Initiative.query(on: db).count(),
                            try await Initiative.storedWithRegistrants(campaignID: campaign.id, unitID: s1, on: db).count]
                }
            }
            #expect(counts == [0, 1, 1])
            #expect(db.local.connection.snapshotsBegun >= 1, "the first read was in a snapshot")
        }
    }

    /// Many clients at once on the same unit, through the API: each writer's next read shows
    /// its model, whatever the readers around it hold; every answer is a 200 or 201, and no
    /// reader is left inside a transaction.
    @Test func writersReadTheirWritesAmongManyReaders() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let token = try await APIFixture.token(app, "hang", .officer, unit: "S1")
            let list = "/api/v1/campaigns/DVK-2024/units/S1/initiatives"
            let problems = try await withThrowingTaskGroup(of: [String].self) { group in
                for n in 0..<12 {
                    group.addTask {
                        let title = "Mô hình số \(n)"
                        let made = try await api(app, .POST, list, as: .token(token),
                                                 json: APIFixture.initiativeJSON(name: "Tổ \(n)", title: title))
                        guard made.status == .created else { return ["write \(n): \(made.status)"] }
                        let read = try await api(app, .GET, list, as: .token(token))
                        return String(decoding: read.body, as: UTF8.self).contains(title) ? [] : ["write \(n) not read back"]
                    }
                }
                for n in 0..<24 {
                    group.addTask {
                        let path = n % 2 == 0 ? list : "/api/v1/campaigns/DVK-2024/units/S1"
                        var problems: [String] = []
                        for _ in 0..<4 {
                            let status = try await api(app, .GET, path, as: .token(token)).status
                            if status != .ok { problems.append("\(path): \(status)") }
                        }
                        return problems
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(problems.isEmpty, "\(problems)")
            #expect(try await api(app, .GET, list, as: .token(token)).json?.array?.count == 12)
            let readers = app.eventLoopGroup.makeIterator().compactMap { loop in
                (app.databases.database(logger: app.logger, on: loop) as? WriterBackedDatabase)?.local.connection
            }
            for reader in readers {
                #expect(try await reader.onLoop { reader.inTransaction } == false)
            }
            if !readers.isEmpty {
                #expect(readers.map(\.snapshotsBegun).reduce(0, +) > 0, "GETs read in snapshots")
            }
        }
    }
}
