import DVKCore
import Fluent
import Foundation
import Testing
import SQLiteKit
import Vapor
@testable import DVKApp

@Suite struct StoreTests {
    /// SQLite's writers queued together commit together: a writer's failure undoes its own
    /// work alone, and no writer returns before its work is committed (a reader sees it).
    @Test func queuedWritersCommitTogetherAndFailAlone() async throws {
        try await withApp { app in
            guard let sqlite = app.db as? WriterBackedDatabase else { return }  // PostgreSQL has no queue
            try await app.db.sql().raw("CREATE TABLE group_probe (n INTEGER PRIMARY KEY)").run()
            let before = sqlite.queue.commits
            let writers = 40
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool, Bool).self) { group in
                for n in 0..<writers {
                    group.addTask {
                        do {
                            try await app.db.write { db in
                                try await db.sql().raw("INSERT INTO group_probe (n) VALUES (\(bind: n))").run()
                                // The first holds the queue until every other writer waits.
                                while n == 0, sqlite.queue.waiting < writers - 1 { try await Task.sleep(for: .milliseconds(2)) }
                                if n % 4 == 3 { throw Abort(.conflict) }
                            }
                        } catch {
                            return (n, false, false)
                        }
                        let seen = try await app.db.sql().raw("SELECT n FROM group_probe WHERE n = \(bind: n)").all()
                        return (n, true, seen.count == 1)
                    }
                }
                return try await group.reduce(into: [(Int, Bool, Bool)]()) { $0.append($1) }
            }
            #expect(outcomes.count == writers)
            for (n, succeeded, seen) in outcomes {
                #expect(succeeded == (n % 4 != 3), "writer \(n)")
                #expect(seen == succeeded, "writer \(n) returned before its commit")
            }
            let stored = try await app.db.sql().raw("SELECT n FROM group_probe ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
            #expect(stored == (0..<writers).filter { $0 % 4 != 3 })
            // 40 writers, at most 32 to a commit: two commits, three if one came late.
            #expect((1...3).contains(sqlite.queue.commits - before), "\(sqlite.queue.commits - before) commits")
        }
    }

    /// The states whose initiatives count, as statements write them, come from
    /// `SubmissionStatus.counts`: every state that counts, and none that does not.
    @Test func theCountedStatesOfAStatementAreTheOnesThatCount() {
        for status in SubmissionStatus.allCases {
            #expect(Recount.countedStatuses.contains("'\(status.rawValue)'") == status.counts, "\(status)")
        }
        #expect(Recount.countedStatuses == "('submitted', 'resubmitted', 'accepted')")
    }

    /// Only a statement that begins with SELECT goes to a loop's read-only connection.
    @Test func onlySelectsTakeTheLoopsReader() {
        #expect(WriterBackedDatabase.isSelect("SELECT 1"))
        #expect(WriterBackedDatabase.isSelect("  \n select id FROM units"))
        #expect(WriterBackedDatabase.isSelect("(SELECT 1) UNION (SELECT 2)"))
        // Reads that walk a tree keep the walk inside, so they begin with SELECT.
        #expect(WriterBackedDatabase.isSelect(Access.Reachable.sql))
        for other in ["WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "INSERT INTO t SELECT 1", "PRAGMA journal_mode=WAL",
                      "UPDATE t SET a = 1", "SELECTED", "", "DELETE FROM t WHERE id IN (SELECT 1)"] {
            #expect(!WriterBackedDatabase.isSelect(other), "\(other)")
        }
    }

    /// A kept statement is not prepared again when only its bound values change: SQLite did
    /// that for every request's token and campaign reads, a join with values bound.
    @Test func keptStatementsAreNotPreparedAgainForNewValues() async throws {
        try await withApp { app in
            guard let sqlite = app.db as? WriterBackedDatabase else { return }  // SQLite's own connections only
            try await Fixture.load(app)
            let reader = sqlite.local.connection
            func read(_ n: Int) async throws {
                _ = try await sqlite.sql().raw("""
                    SELECT u.id, n.code, t.last_used_at FROM users u JOIN units n ON n.id = u.unit_id
                    JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = \(bind: "hash \(n)") AND t.expires_at > \(bind: Date(timeIntervalSince1970: Double(n)))
                    """).all()
                _ = try await sqlite.sql().raw("""
                    SELECT c.id, own.code, t.code FROM campaigns c
                    LEFT JOIN campaign_units own ON own.campaign_id = c.id AND own.unit_id = \(bind: UUID())
                    LEFT JOIN campaign_units t ON t.campaign_id = c.id AND t.code = \(bind: "S\(n)")
                    WHERE c.code = \(bind: "DVK-\(n)")
                    """).all()
            }
            try await read(0)
            let before = try await reader.onLoop { reader.reprepared }
            for n in 1...5 { try await read(n) }
            #expect(try await reader.onLoop { reader.reprepared } == before)
        }
    }

    /// The SQLite writer's own bind conversion gives what Fluent's driver gives, for the
    /// types it converts itself and for the rest.
    @Test func theWritersBindsAreTheDriversBinds() throws {
        enum Kind: String, Codable { case a }
        let values: [any Encodable & Sendable] = [
            "Tủ sách", "", UUID(), 42, Int64.max, Int64.min, Date(timeIntervalSince1970: 1_707_200_000.123), true, false, 0.5,
            Optional<UUID>.none, Optional(UUID()), Optional<String>.none, Optional("x"), Optional(7), Kind.a, ["a", "b"], Data([1, 2]),
            Optional<Int>.none, Optional<Date>.none, Optional(Date(timeIntervalSince1970: 86_400.5)), Optional(true), Optional<Bool>.none,
            Optional<Int64>(-3), Optional<Int64>.none, Optional<Double>(1.5),
        ]
        for value in values {
            #expect(try SyncSQLiteDatabase.data(value) == SQLiteDataEncoder().encode(value), "\(value)")
        }
        // The common types are told by identity (no dynamic cast), the rest are not.
        #expect(values.filter { DirectValue($0) != nil }.count == 22)
        #expect(DirectValue(Kind.a) == nil && DirectValue(["a"]) == nil && DirectValue(Data()) == nil && DirectValue(Optional<Double>(1)) == nil)
    }

    /// Rows decode as the driver's decoder decodes them: the same value where it gives one,
    /// and no value of ours where it fails, so that it still names the mismatch.
    @Test func theRowsDecodeAsTheDriversDo() throws {
        let uuid = UUID()
        let data: [SQLiteData] = [
            .text("Tủ sách"), .text(""), .text(uuid.uuidString), .text(uuid.uuidString.lowercased()), .text("not a uuid"), .text("2024-02-06"),
            .text("12"), .integer(0), .integer(1), .integer(2), .integer(-7), .integer(Int.max), .float(1_707_200_000.123456789), .float(0.5),
            .float(-0.0000005), .null, .blob(ByteBuffer(bytes: [1, 2])),
        ]
        func check<D: Decodable & Equatable>(_ type: D.Type) {
            for value in data {
                let theirs = try? SQLiteDataDecoder().decode(D.self, from: value)
                let ours = SyncSQLiteRow.direct(D.self, value)
                if let ours { #expect(ours == theirs, "\(D.self) from \(value)") }
                if theirs == nil { #expect(ours == nil, "\(D.self) from \(value)") }
            }
        }
        check(String.self); check(UUID.self); check(Int.self); check(Int64.self); check(Bool.self); check(Double.self); check(Date.self)
        check(String?.self); check(UUID?.self); check(Date?.self); check(Int?.self); check(Int64?.self); check(Bool?.self)
        // The common types are all read directly.
        #expect(SyncSQLiteRow.direct(UUID.self, .text(uuid.uuidString)) == uuid)
        #expect(SyncSQLiteRow.direct(Date?.self, .float(1.5)) == Optional(Date(timeIntervalSince1970: 1.5)))
        #expect(SyncSQLiteRow.direct(String?.self, .null) == Optional(String?.none))
        let row = SyncSQLiteRow(columns: ["a", "b"], values: [.text("x"), .integer(3)])
        #expect(try row.decode(column: "b", as: Int.self) == 3)
        #expect(throws: (any Error).self) { try row.decode(column: "a", as: Int.self) }
        // Types it does not know go to the driver's decoder.
        #expect(SyncSQLiteRow.direct(Int32.self, .integer(3)) == nil)
        #expect(SyncSQLiteRow.direct([String].self, .text("[]")) == nil)
        // Two columns of one name: the first, as a search of the names finds it.
        let twice = SyncSQLiteRow(columns: ["a", "b", "a"], values: [.text("x"), .integer(3), .text("y")])
        #expect(try twice.decode(column: "a", as: String.self) == "x")
        #expect(twice.contains(column: "b") && !twice.contains(column: "c"))
        #expect(throws: (any Error).self) { try twice.decode(column: "c", as: String.self) }
    }

    /// A kept statement names its columns once, and again when a schema change makes SQLite
    /// prepare it anew (what `*` names changes), also when that run returned no row.
    @Test func aKeptStatementsColumnsFollowTheSchema() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-columns-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let connection = SyncSQLiteConnection(path: path, loop: MultiThreadedEventLoopGroup.singleton.next())
        defer { try? connection.loop.submit { connection.close() }.wait() }
        let seen = try await connection.onLoop { () -> [[String]] in
            var seen: [[String]] = []
            func select() throws {
                try connection.run("SELECT * FROM t", []) { row in seen.append(row.allColumns + [try row.decode(column: row.allColumns[0], as: String.self)]) }
            }
            try connection.run("CREATE TABLE t (a TEXT)", []) { _ in }
            try select()  // no row yet: no names made
            try connection.run("INSERT INTO t VALUES ('x')", []) { _ in }
            try select()
            try select()
            // Renamed: as many columns as before, other names.
            try connection.run("ALTER TABLE t RENAME COLUMN a TO c", []) { _ in }
            try select()
            // Renamed while the table is empty: the run that prepares it anew has no row.
            try connection.run("DELETE FROM t", []) { _ in }
            try connection.run("ALTER TABLE t RENAME COLUMN c TO d", []) { _ in }
            try select()
            try connection.run("INSERT INTO t VALUES ('y')", []) { _ in }
            try select()
            try connection.run("ALTER TABLE t ADD COLUMN b TEXT", []) { _ in }
            try select()
            return seen
        }.get()
        #expect(seen == [["a", "x"], ["a", "x"], ["c", "x"], ["d", "y"], ["d", "b", "y"]])
    }

    /// Kept statements whose texts have one length and the same bytes where their key
    /// samples them are still each its own: the key's hash looks at a few bytes, its
    /// comparison at all of them.
    @Test func keptStatementsOfLikeTextsAreEachTheirOwn() async throws {
        let connection = SyncSQLiteConnection(path: ":memory:", loop: MultiThreadedEventLoopGroup.singleton.next())
        defer { try? connection.loop.submit { connection.close() }.wait() }
        // 100 texts of one length differing in one digit in the middle, where no sample falls
        // for most of them; each run twice, so the second finds its kept statement.
        let texts = (0..<100).map { n in "SELECT \(String(repeating: " ", count: 40))\(100 + n) AS v\(String(repeating: " ", count: 40))" }
        let read = try await connection.onLoop { () -> [Int] in
            var read: [Int] = []
            for text in texts + texts { try connection.run(text, []) { read.append(try $0.decode(column: "v", as: Int.self)) } }
            return read
        }
        #expect(read == Array(100..<200) + Array(100..<200))
    }

    /// The raw reads of initiatives and registrants fill every field as Fluent does.
    @Test func rawReadsFillEveryFieldAsFluentDoes() async throws {
        func fields(_ i: Initiative) -> [String] {
            [i.id?.uuidString, i.campaignID.uuidString, i.unitID.uuidString, i.registrantID.uuidString, i.sectorCode, i.title, i.titleKey, i.purpose,
             i.content, i.scope, i.startDate, i.endDate, i.expectedResult, i.personInCharge, i.continuity.rawValue, i.continuesID?.uuidString,
             i.searchKey, i.reviewComment, i.changedFields, i.createdAt.map { "\($0.timeIntervalSince1970)" },
             i.updatedAt.map { "\($0.timeIntervalSince1970)" }].map { $0 ?? "nil" }
        }
        try await withApp { app in
            try await Fixture.load(app)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db).id!
            var full = draft(.individual, "Lê Thị “Ánh”", "kinh-te", "Mô hình <đủ> trường")
            full.purpose = "Mục đích"; full.content = "Nội dung\nhai dòng"; full.scope = "Phạm vi"; full.expectedResult = "Kết quả"
            full.personInCharge = "Trần B"; full.registrantTitle = "Tổ trưởng"
            full.startDate = CalendarDay(parsing: "2024-03-01"); full.endDate = CalendarDay(parsing: "2024-11-30")
            let first = try await RegistrationStore.save(full, campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            let second = try await RegistrationStore.save(draft(.collective, "Tổ Văn phòng", "van-hoa", "Mô hình 2"), campaign: campaign,
                                                          unitID: s1, actor: "t", at: Date(), on: app.db)
            // A link to an earlier model (made directly: the store links only recognised ones).
            try await app.db.sql().raw("UPDATE initiatives SET continues_id = \(bind: first.id), continuity = 'continues' WHERE id = \(bind: second.id)").run()
            let fluent = try await Initiative.query(on: app.db).filter(\.$campaignID == campaign.id).filter(\.$unitID == s1)
                .sort(\.$createdAt).sort(\.$title).all()
            let joined = try await Initiative.storedWithRegistrants(campaignID: campaign.id, unitID: s1, on: app.db)
            let raw = joined.map(\.initiative).map(Initiative.init)
            #expect(raw.count >= 2)
            #expect(raw.map(fields) == fluent.map(fields))
            #expect(raw.contains { $0.continuesID == first.id && $0.continuity == .continues } && raw.allSatisfy { $0.$id.exists })
            #expect(try await Initiative.all(campaignID: campaign.id, unitIDs: [s1], on: app.db).map(fields) == fluent.map(fields))
            #expect(try await Initiative.titles([first.id, UUID()], on: app.db) == [first.id: "Mô hình <đủ> trường"])

            func registrant(_ r: Registrant) -> [String] {
                [r.id!.uuidString, r.unitID.uuidString, r.kind.rawValue, r.name, r.nameKey, r.title, r.createdAt.map { "\($0.timeIntervalSince1970)" } ?? "nil"]
            }
            let people = try await Registrant.query(on: app.db).filter(\.$unitID == s1).sort(\.$id).all().map(registrant)
            #expect(people.count >= 2)
            // Each initiative's registrant, read joined, is the row Fluent reads by its id.
            let byID = Dictionary(uniqueKeysWithValues: people.map { ($0[0], $0) })
            #expect(joined.count == raw.count && joined.allSatisfy { $0.registrant != nil })
            #expect(joined.map { $0.registrant.map(Registrant.init).map(registrant) } == joined.map { byID[$0.initiative.registrantID.uuidString] })
            // One whose registrant row is another unit's reads without one (the API leaves it out).
            let other = try await UnitDirectory.find(code: "S2", on: app.db).id!
            let stranger = Registrant(unitID: other, kind: .collective, name: "Tổ khác", title: "")
            try await stranger.save(on: app.db)
            try await app.db.sql().raw("UPDATE initiatives SET registrant_id = \(bind: stranger.id!) WHERE id = \(bind: second.id)").run()
            let again = try await Initiative.storedWithRegistrants(campaignID: campaign.id, unitID: s1, on: app.db)
            #expect(again.count == joined.count)
            #expect(again.filter { $0.registrant == nil }.map(\.initiative.id) == [second.id])
            #expect(try await Registrant.all(unitIDs: [s1], on: app.db).count == people.count)
        }
    }

    /// A hot statement's text is its binds in place on both databases: a number used twice
    /// binds twice, `$10` is the tenth value and not the first's, and a `$` without a value
    /// stays text. Run again with other values (on PostgreSQL the prepared statement is reused),
    /// it answers for them.
    struct UnitsByCode: HotStatement {
        static let sql = """
            SELECT code, name, '$' AS sign FROM units
            WHERE code IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) OR name = $1 ORDER BY code
            """
        let binds: [(any HotValue)?]
    }

    @Test func hotStatementsBindTheirNumberedValues() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let all = try await app.db.sql().raw("SELECT code, name FROM units ORDER BY code").all()
                .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }
            #expect(all.count >= 3)
            for (n, unit) in all.prefix(4).enumerated() {
                // Nine codes that match nothing and, tenth, one that does; then a name as $1.
                let codes = (1...9).map { "none-\($0)-\(n)" } + [unit.0]
                let rows = try await UnitsByCode(binds: codes).all(on: app.db)
                #expect(try rows.map { try $0.decode(column: "code", as: String.self) } == [unit.0])
                #expect(try rows.first?.decode(column: "sign", as: String.self) == "$")
                let byName = try await UnitsByCode(binds: [unit.1] + (2...10).map { "none-\($0)" }).all(on: app.db)
                #expect(try byName.map { try $0.decode(column: "name", as: String.self) } == all.filter { $0.1 == unit.1 }.map(\.1))
            }
        }
    }

    /// On PostgreSQL a hot statement is prepared on its connection under its type's name, once:
    /// run twice in one transaction (one connection), the server lists it once, not from SQL.
    @Test func hotStatementsArePreparedOnceByName() async throws {
        try await withApp { app in
            guard (app.db as? any SQLDatabase)?.dialect.name == "postgresql" else { return }
            try await Fixture.load(app)
            let names = try await app.db.transaction { db in
                for _ in 0..<2 { _ = try await UnitsByCode(binds: (1...10).map { "none-\($0)" }).all(on: db) }
                return try await db.sql().raw("SELECT name, from_sql FROM pg_prepared_statements").all()
                    .map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "from_sql", as: Bool.self)) }
            }
            let mine = names.filter { $0.0 == String(reflecting: UnitsByCode.self) }
            #expect(mine.count == 1 && mine.first?.1 == false, "\(names)")
        }
    }

    /// A nil value is NULL on both databases, whether the statement was first prepared with
    /// it or with a value.
    struct UnitsUnder: HotStatement {
        static let sql = "SELECT code FROM units WHERE parent_id = $1 OR ($1 IS NULL AND parent_id IS NULL) ORDER BY code"
        let binds: [(any HotValue)?]
    }

    @Test func hotStatementsBindNilAsNull() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let units = try await app.db.sql().raw("SELECT id, code, parent_id FROM units ORDER BY code").all().map {
                (id: try $0.decode(column: "id", as: UUID.self), code: try $0.decode(column: "code", as: String.self),
                 parent: try $0.decode(column: "parent_id", as: UUID?.self))
            }
            let parents = [nil] + Array(Set(units.compactMap(\.parent))).sorted { $0.uuidString < $1.uuidString }.map(Optional.some) + [nil]
            #expect(parents.count >= 4)
            for parent in parents {
                let rows = try await UnitsUnder(binds: [parent]).all(on: app.db)
                let expected = units.filter { $0.parent == parent }.map(\.code)
                #expect(!expected.isEmpty)
                #expect(try rows.map { try $0.decode(column: "code", as: String.self) } == expected)
            }
        }
    }

    /// Units whose codes are in a list ($1) and under a parent's code ($2).
    struct UnitsIn: HotStatement {
        private static let select = "SELECT u.code FROM units u JOIN units p ON p.id = u.parent_id WHERE p.code = $2 AND u.code"
        static let sql = select + " = ANY($1) ORDER BY u.code"
        static let sqliteSQL = select + " IN $1 ORDER BY u.code"
        let binds: [(any HotValue)?]
    }

    /// A list is one value on PostgreSQL (the text stays the same whatever its length) and
    /// its values on SQLite; the bind after it keeps its number; an empty list matches nothing.
    @Test func hotStatementsBindAListAsOneValue() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let units = try await app.db.sql().raw("SELECT u.code, p.code AS parent FROM units u JOIN units p ON p.id = u.parent_id ORDER BY u.code").all()
                .map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "parent", as: String.self)) }
            let parent = try #require(units.first?.1)
            let under = units.filter { $0.1 == parent }.map(\.0)
            #expect(!under.isEmpty && under.count < units.count)
            for list in [units.map(\.0) + ["không có"], [under[0]], ["không có"], []] {
                let rows = try await UnitsIn(binds: [list, parent]).all(on: app.db)
                #expect(try rows.map { try $0.decode(column: "code", as: String.self) } == under.filter(list.contains), "\(list)")
            }
        }
    }

    /// SQLite's text of a statement with a list: the list's values numbered after the
    /// others and bound once however often the list appears, a value used twice bound once,
    /// `$` before a non-number left as text; without a list, the text made once.
    @Test func aListStatementsSQLiteTextNumbersEveryValueOnce() throws {
        let text = HotSQLiteText("SELECT '$' || a FROM t WHERE b IN $1 AND c = $2 OR (d IN $1 AND e = $2) OR f = $3 AND g = $9")
        let (sql, values) = try text.bound([["x", "y"], "z", nil], { "\($0)" }, null: "NULL")
        #expect(sql == "SELECT '$' || a FROM t WHERE b IN (?1, ?2) AND c = ?3 OR (d IN (?1, ?2) AND e = ?3) OR f = ?4 AND g = $9")
        #expect(values == ["x", "y", "z", "NULL"])
        let (empty, none) = try text.bound([[String](), "z", "w"], { "\($0)" }, null: "NULL")
        #expect(empty == "SELECT '$' || a FROM t WHERE b IN () AND c = ?1 OR (d IN () AND e = ?1) OR f = ?2 AND g = $9")
        #expect(none == ["z", "w"])
        let plain = HotSQLiteText("SELECT a FROM t WHERE b = $2 AND c = $1 AND d = $10")
        let (sql2, values2) = try plain.bound(["p", nil], { "\($0)" }, null: "NULL")
        #expect(sql2 == "SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = ?10" && sql2 == plain.numbered)
        #expect(values2 == ["p", "NULL"])
    }

    /// A multi-row insert writes every value as it was given, NULL for nil, in chunks under
    /// the bind limit, inside a transaction (SQLite: the writer's text, made by hand) and
    /// outside one; SQLite's text numbers the values row by row and quotes the names.
    @Test func aBulkInsertWritesEveryValueAsGiven() async throws {
        #expect(BulkInsert.text(table: "t", columns: ["a", "b\"c"], rows: 2) == "INSERT INTO \"t\" (\"a\", \"b\"\"c\") VALUES (?1, ?2), (?3, ?4)")
        try await withApp { app in
            try await Fixture.load(app)
            let parent = try #require(try await app.db.sql().raw("SELECT id FROM units WHERE parent_id IS NULL").first()).decode(column: "id", as: UUID.self)
            let now = Date(timeIntervalSince1970: 1_750_000_000.25)
            let columns = ["id", "code", "name", "kind", "parent_id", "email", "phone", "created_at", "updated_at"]
            // 3,334 rows of 9 values: two statements (3,333 rows each at most).
            func rows(_ prefix: String, _ count: Int) -> [[any Encodable & Sendable]] {
                (0..<count).map { i in
                    [UUID.random(), "\(prefix)-\(i)", "Công đoàn \"\(i)\" ’ 😀", UnitKind.grassroots.rawValue, i % 2 == 0 ? parent : UUID?.none,
                     "", "09\(i)", now, now]
                }
            }
            #expect(BulkInsert.rowsPerStatement(columns: columns.count) == 3_333)
            let inside = rows("IN", 3_334)
            try await app.db.transaction { db in try await BulkInsert.run(db, into: "units", columns: columns, rows: inside) }
            try await BulkInsert.run(app.db, into: "units", columns: columns, rows: rows("OUT", 5))
            for (prefix, count) in [("IN", 3_334), ("OUT", 5)] {
                let read = try await app.db.sql().raw("SELECT code, name, parent_id, phone, created_at FROM units WHERE code LIKE \(bind: prefix + "-%") ORDER BY code").all()
                #expect(read.count == count)
                for row in read {
                    let code = try row.decode(column: "code", as: String.self)
                    let i = try #require(Int(code.split(separator: "-").last ?? ""))
                    #expect(try row.decode(column: "name", as: String.self) == "Công đoàn \"\(i)\" ’ 😀")
                    #expect(try row.decode(column: "parent_id", as: UUID?.self) == (i % 2 == 0 ? parent : nil))
                    #expect(try row.decode(column: "phone", as: String.self) == "09\(i)")
                    #expect(try row.decode(column: "created_at", as: Date.self) == now)
                }
            }
        }
    }

    /// Every column type a hot statement reads, with and without a value.
    struct EveryType: HotStatement {
        static let sql = """
            SELECT CAST($1 AS text) AS t, CAST($2 AS uuid) AS u, CAST($3 AS integer) AS i4, CAST($3 AS bigint) AS i8, CAST($3 AS smallint) AS i2,
                   CAST($4 AS boolean) AS b, CAST($5 AS timestamptz) AS d, CAST($6 AS text) AS n, CAST($3 AS double precision) AS f
            """
        let binds: [(any HotValue)?]
    }

    /// A hot statement's row on PostgreSQL reads the common types itself: each value equals
    /// what PostgresKit's row reads, NULL as nil, and a value of another type is refused as
    /// PostgresKit refuses it.
    @Test func hotRowsReadEveryTypeAsPostgresKitDoes() async throws {
        try await withApp { app in
            let sql = try app.db.sql()
            guard sql.dialect.name == "postgresql" else { return }
            let at = Date(timeIntervalSince1970: 1_707_955_199.5)
            let id = UUID()
            for binds in [["Trường Tiểu học Ngọc Lâm", id, 42, true, at, nil], [nil, nil, nil, nil, nil, nil]] as [[(any HotValue)?]] {
                let hot = try #require(try await EveryType(binds: binds).first(on: sql))
                #expect(hot is HotPostgresRow)
                let kit = try #require(try await sql.raw("\(HotText(sql: EveryType.sql, binds: binds))").first())
                #expect(!(kit is HotPostgresRow))
                func same<T: Decodable & Equatable>(_ column: String, _ type: T.Type) throws {
                    #expect(try hot.decode(column: column, as: T?.self) == kit.decode(column: column, as: T?.self), "\(column) \(T.self)")
                    if try !kit.decodeNil(column: column) {
                        #expect(try hot.decode(column: column, as: T.self) == kit.decode(column: column, as: T.self), "\(column) \(T.self)")
                    }
                }
                try same("t", String.self)
                try same("n", String.self)
                try same("u", UUID.self)
                for column in ["i2", "i4", "i8"] {
                    try same(column, Int.self)
                    try same(column, Int64.self)
                }
                try same("b", Bool.self)
                try same("d", Date.self)
                try same("f", Double.self)  // not a common type: PostgresKit's own reading
                #expect(try hot.decodeNil(column: "n") && hot.decodeNil(column: "missing"))
            }
            let hot = try #require(try await EveryType(binds: ["x", UUID(), 1, false, at, nil]).first(on: sql))
            #expect(try hot.decode(column: "d", as: Date.self) == at)
            #expect(throws: (any Error).self) { try hot.decode(column: "t", as: Int.self) }
            #expect(throws: (any Error).self) { try hot.decode(column: "u", as: Date.self) }
            #expect(throws: (any Error).self) { try hot.decode(column: "n", as: String.self) }
            #expect(throws: (any Error).self) { try hot.decode(column: "missing", as: String.self) }
            // A result's rows share its column names; of two columns of one name, the last
            // is read, as PostgresKit's row reads it.
            let rows = try await TwiceNamed(binds: [3]).all(on: sql)
            let kitRows = try await sql.raw("\(HotText(sql: TwiceNamed.sql, binds: [3]))").all()
            #expect(rows.count == 3 && kitRows.count == 3 && rows.allSatisfy { $0 is HotPostgresRow })
            for (row, kit) in zip(rows, kitRows) {
                #expect(try row.decode(column: "a", as: Int.self) == kit.decode(column: "a", as: Int.self))
                #expect(try row.decode(column: "t", as: String.self) == kit.decode(column: "t", as: String.self))
            }
            #expect(try rows.map { try $0.decode(column: "a", as: Int.self) } == [-1, -2, -3])
        }
    }

    /// Rows 1…$1 with two columns named `a` (g, then -g) and g as text.
    struct TwiceNamed: HotStatement {
        static let sql = "SELECT g AS a, -g AS a, CAST(g AS text) AS t FROM generate_series(1, CAST($1 AS integer)) g ORDER BY g"
        let binds: [(any HotValue)?]
    }

    /// A statement's columns are found by name as `firstIndex(of:)` finds them: every name,
    /// the first of two of one name, none for a name not there, at every size of table, in
    /// whatever order they are asked.
    @Test func columnsAreFoundByNameAsInTheList() {
        var state: UInt64 = 45
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let pool = ["id", "unit_id", "campaign_id", "code", "name", "pre", "last", "a", "b", "", "Tên", "c_status", "cu_code",
                    "submitted_at", "x1", "x2", "x3", "x10", "x11", "very_long_column_name_of_a_join", "ID", "id "]
        for size in [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 40] {
            for _ in 0..<20 {
                let names = (0..<size).map { _ in next(3) == 0 ? "n\(next(200))" : pool[next(pool.count)] }
                let columns = RowColumns(names), postgres = RowColumns(names, lastOfAName: true)
                // In the list's order (each name twice, as null? then the value), backwards, and
                // at random: the guess of the next column never answers for another one.
                for name in pool + names.flatMap { [$0, $0] } + names.reversed() + names.map { _ in pool[next(pool.count)] } + ["missing", "n999"] {
                    #expect(columns.position(of: name) == names.firstIndex(of: name), "\(names) \(name)")
                    // PostgreSQL's rows keep PostgresNIO's choice: the last column of a name.
                    #expect(postgres.position(of: name) == names.lastIndex(of: name), "\(names) \(name)")
                }
            }
        }
    }

    /// A UUID written by bytes is Foundation's text for it.
    @Test func uuidsAreWrittenAsFoundationWritesThem() {
        for _ in 0..<5_000 {
            let id = UUID()
            #expect(id.canonicalText == id.uuidString)
        }
        #expect(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).canonicalText == "00000000-0000-0000-0000-000000000000")
        let top = UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255))
        #expect(top.canonicalText == top.uuidString)
    }

    /// A campaign's sectors are kept per text by its bytes: the same list spelled decomposed
    /// is read as written, not as its composed twin kept before it.
    @Test func sectorsAreKeptPerSpelling() throws {
        let composed = #"[{"code":"kinh-te","name":"Lĩnh vực kinh tế"}]"#
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(composed == decomposed)
        #expect(SectorList.decode(composed).first?.name.utf8.elementsEqual("Lĩnh vực kinh tế".utf8) == true)
        let read = try #require(SectorList.decode(decomposed).first?.name)
        #expect(read.utf8.elementsEqual("Lĩnh vực kinh tế".decomposedStringWithCanonicalMapping.utf8))
    }

    /// Ids sorted by their bytes are in the order of their text: the order in which every
    /// writer takes many rows, so the old and the new code agree during an upgrade.
    @Test func uuidsSortByBytesAsByText() {
        // Ids that differ in one byte each, high and low nibbles both, and random ones.
        var ids = (0..<2_000).map { _ in UUID() }
        for byte in 0..<16 {
            for value: UInt8 in [0x00, 0x09, 0x0A, 0x0F, 0x10, 0x9F, 0xA0, 0xFF] {
                var raw = UUID().uuid
                withUnsafeMutableBytes(of: &raw) { $0[byte] = value }
                ids.append(UUID(uuid: raw))
            }
        }
        ids.append(ids[0])
        #expect(ids.sorted(by: UUID.inTextOrder) == ids.sorted { $0.uuidString < $1.uuidString })
        #expect(!UUID.inTextOrder(ids[0], ids[0]))
    }

    /// A UUID read by bytes is Foundation's UUID, for ids and for text that is almost one.
    @Test func uuidsParseAsFoundationParsesThem() {
        var texts: [String] = []
        for _ in 0..<2_000 {
            let id = UUID()
            texts += [id.uuidString, id.uuidString.lowercased()]
        }
        var state: UInt64 = 5
        let pool = Array("0123456789abcdefABCDEFgG- +x\u{0}Đ".unicodeScalars)
        for n in 0..<5_000 {
            var text = String.UnicodeScalarView(UUID().uuidString.unicodeScalars)
            for _ in 0..<(1 + n % 3) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let at = text.index(text.startIndex, offsetBy: Int((state >> 33) % UInt64(text.count)))
                text.replaceSubrange(at...at, with: [pool[Int((state >> 17) % UInt64(pool.count))]])
            }
            texts.append(String(text))
        }
        texts += ["", "-", String(repeating: "0", count: 36), String(repeating: "-", count: 36), UUID().uuidString + "0", " " + UUID().uuidString.dropFirst()]
        for text in texts {
            #expect(SyncSQLiteRow.uuid(text) == UUID(uuidString: text), "\(text.debugDescription)")
        }
        #expect(SyncSQLiteRow.uuid("8657452e-8383-4161-bde8-b99786abe453")?.uuidString == "8657452E-8383-4161-BDE8-B99786ABE453")
    }

    func draft(_ kind: RegistrantKind, _ name: String, _ sector: String, _ title: String) -> InitiativeDraft {
        InitiativeDraft(kind: kind, registrantName: name, sectorCode: sector, title: title)
    }

    @Test func draftsAndReturnedWorkDoNotCountButThePreviewShowsThem() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db).id!
            try await RegistrationStore.save(draft(.collective, "Tổ Văn phòng", "kinh-te", "Mô hình 1"), campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            try await RegistrationStore.save(draft(.individual, "Lê An", "kinh-te", "Mô hình 2"), campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            #expect(try await Fixture.summary(app, unit: "S1").grid.last == [0, 0, 0, 0])
            let preview = try await SummaryQuery.preview(campaign, unitID: s1, on: app.db)
            #expect(preview.total == Tally(collectives: 1, collectiveInitiatives: 1, individuals: 1, individualInitiatives: 1))

            try await RegistrationStore.perform(.submit, campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            #expect(try await Fixture.summary(app, unit: "LB").grid.last == [1, 1, 1, 1])
            try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: campaign, unitID: s1, actor: "staff", reason: "Thiếu thời gian", at: Date(), on: app.db)
            #expect(try await Fixture.summary(app, unit: "LB").grid.last == [0, 0, 0, 0])
            try await RegistrationStore.perform(.submit, campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            try await RegistrationStore.perform(.accept, campaign: campaign, unitID: s1, actor: "staff", at: Date(), on: app.db)
            #expect(try await Fixture.summary(app, unit: "LB").grid.last == [1, 1, 1, 1])

            let submission = try #require(try await SubmissionRow.find(campaignID: campaign.id, unitID: s1, on: app.db))
            let history = try await SubmissionEvent.query(on: app.db).filter(\.$submissionID == submission.id).sort(\.$at).all()
            #expect(history.map(\.toStatus) == [.draft, .submitted, .returned, .resubmitted, .accepted])
            #expect(history[2].note == "Thiếu thời gian" && history[2].actor == "staff")
        }
    }

    @Test func workflowRefusalsAreClear() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db).id!
            await #expect(throws: DomainError.self) {  // nothing to submit
                try await RegistrationStore.perform(.submit, campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            }
            try await RegistrationStore.save(draft(.collective, "Tổ 1", "kinh-te", "A"), campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            await #expect(throws: DomainError.self) {  // same registrant, sector and title
                try await RegistrationStore.save(draft(.collective, "tổ 1", "kinh-te", "a"), campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            }
            try await RegistrationStore.perform(.submit, campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            await #expect(throws: DomainError.self) {  // submitted work is not edited
                try await RegistrationStore.save(draft(.collective, "Tổ 2", "kinh-te", "B"), campaign: campaign, unitID: s1, actor: "t", at: Date(), on: app.db)
            }
            await #expect(throws: DomainError.self) {  // a return needs a reason
                try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: campaign, unitID: s1, actor: "staff", reason: "  ", at: Date(), on: app.db)
            }
            // A closed door for late work.
            let strict = try await CampaignStore.find(code: "DVK-2024", on: app.db)
            strict.acceptsLate = false
            try await strict.save(on: app.db)
            let p1 = try await UnitDirectory.find(code: "P1", on: app.db).id!
            let strictInfo = CampaignInfo(strict)
            try await RegistrationStore.save(draft(.individual, "Bình", "kinh-te", "C"), campaign: strictInfo, unitID: p1, actor: "t", at: Date(), on: app.db)
            await #expect(throws: DomainError.self) {
                try await RegistrationStore.perform(.submit, campaign: strictInfo, unitID: p1, actor: "t", at: strict.deadline, on: app.db)
            }
            try await RegistrationStore.perform(.extend(until: strict.deadline.addingTimeInterval(86400)), campaign: strictInfo, unitID: p1,
                                                actor: "staff", at: strict.deadline, on: app.db)
            let row = try await RegistrationStore.perform(.submit, campaign: strictInfo, unitID: p1, actor: "t", at: strict.deadline, on: app.db)
            #expect(row.status == .submitted && !row.standing(strictInfo).isLate)
        }
    }

    @Test func aCampaignKeepsItsTreeWhenUnitsAreRenamedOrMoved() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "import", "initiatives", try tempFile(CLITests.initiativesCSV), "--campaign", "DVK-2024")
            let gdBefore = try await Fixture.summary(app, unit: "GD")
            let s1Before = try await Fixture.summary(app, unit: "S1")

            // The live tree changes: S1 renamed and moved out of GD to directly under LB; LB renamed.
            let moved = """
            code,name,parent_code,kind
            S1,Trường Tiểu học Ngọc Lâm mới,LB,grassroots
            LB,Công đoàn phường Long Biên,HN,federation
            """
            try await run(app, "import", "units", try tempFile(moved))

            // The campaign still reads as it was.
            #expect(try await Fixture.summary(app, unit: "GD") == gdBefore)
            #expect(try await Fixture.summary(app, unit: "S1") == s1Before)
            #expect(try await Fixture.summary(app, unit: "S1").unit.name == "Trường Tiểu học Ngọc Lâm")
            let info = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(info.issuerName == "Liên đoàn Lao động quận Long Biên")

            // Until staff re-sync it: then S1 leaves GD and the names are today's.
            try await run(app, "campaign", "sync", "--campaign", "DVK-2024")
            let gdAfter = try await Fixture.summary(app, unit: "GD")
            #expect(gdAfter.grid.last == [0, 0, 1, 1])
            #expect(try await Fixture.summary(app, unit: "S1").unit.name == "Trường Tiểu học Ngọc Lâm mới")
            #expect(try await Fixture.summary(app, unit: "LB").grid == (try await SummaryQuery.recountedDTO(app, "LB")).grid)
            #expect(try await CampaignStore.info(code: "DVK-2024", on: app.db).issuerName == "Công đoàn phường Long Biên")
        }
    }

    /// A grassroots union imported under the issuer of an open campaign of every CĐCS joins
    /// it at once (no re-sync needed); one outside the issuer does not.
    @Test func newGrassrootsUnitsJoinTheOpenCampaignAtOnce() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let out = try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nN1,Đơn vị mới,LB,grassroots\nN2,Ngoài quận,HN,grassroots\n"))
            #expect(out.contains("new units joined: Phong trào thi đua “Dân vận khéo” năm 2024"))
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            await #expect(throws: DomainError.self) { try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: "N2", on: app.db) }
            let csv = "unit_code,registrant_kind,registrant_name,sector,title\nN1,cá nhân,An,kinh tế,X\n"
            try await run(app, "import", "initiatives", try tempFile(csv), "--campaign", "DVK-2024")
            #expect(try await Fixture.summary(app, unit: "LB").grid.last == [0, 0, 1, 1])
        }
    }

    /// Random adds, submits, returns, accepts and imports over many units: after every
    /// step the maintained counts equal a recount from the initiatives, at every level.
    @Test func maintainedCountsEqualARecountAfterEveryStep() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let codes = ["S1", "S2", "P1", "C1"]
            var ids: [String: UUID] = [:]
            for code in codes { ids[code] = try await UnitDirectory.find(code: code, on: app.db).id! }
            var rng = SeededGenerator(seed: 42)
            let names = ["Tổ Hoà", "tổ hòa", "An", "Bình", "Thuỷ", "Thủy"]
            // A random step may be one the state refuses (a submit with nothing to submit, a
            // review of a draft): that refusal is a DomainError and the walk goes on. Any
            // other error fails the test, and each kind of step must have succeeded.
            var done: [String: Int] = [:]
            func attempt(_ kind: String, step: Int, _ body: () async throws -> Void) async {
                do {
                    try await body()
                    done[kind, default: 0] += 1
                } catch is DomainError {
                } catch {
                    Issue.record("step \(step), \(kind): \(error)")
                }
            }
            for step in 0..<60 {
                let code = codes[rng.next(upTo: codes.count)]
                let unit = ids[code]!
                let status = try await SubmissionRow.find(campaignID: campaign.id, unitID: unit, on: app.db)?.status ?? .notStarted
                switch rng.next(upTo: 5) {
                case 0...1 where status.isEditable:
                    let d = draft(rng.next(upTo: 2) == 0 ? .collective : .individual, names[rng.next(upTo: names.count)],
                                  campaign.sectors[rng.next(upTo: 4)].code, "Mô hình \(rng.next(upTo: 6))")
                    await attempt("save", step: step) { _ = try await RegistrationStore.save(d, campaign: campaign, unitID: unit, actor: "t", at: Date(), on: app.db) }
                case 2:
                    await attempt("submit", step: step) { _ = try await RegistrationStore.perform(.submit, campaign: campaign, unitID: unit, actor: "t", at: Date(), on: app.db) }
                case 3:
                    let review: RegistrationStore.Step = rng.next(upTo: 2) == 0 ? .accept : .return(resubmitBy: nil)
                    await attempt("review", step: step) {
                        _ = try await RegistrationStore.perform(review, campaign: campaign, unitID: unit, actor: "s", reason: "Lý do \(step)",
                                                                at: Date(), on: app.db)
                    }
                default:
                    let csv = "unit_code,registrant_kind,registrant_name,sector,title\n\(code),cá nhân,\(names[rng.next(upTo: names.count)]),kinh tế,Nhập \(step % 4)\n"
                    await attempt("import", step: step) { _ = try await run(app, "import", "initiatives", try tempFile(csv), "--campaign", "DVK-2024") }
                }
                for level in ["S1", "GD", "LB"] {
                    let maintained = try await Fixture.summary(app, unit: level)
                    let recount = try await SummaryQuery.recountedDTO(app, level)
                    #expect(maintained == recount, "step \(step), unit \(level)")
                }
            }
            #expect(try await Fixture.summary(app, unit: "LB").total.individualInitiatives > 0)
            #expect(["save", "submit", "review", "import"].allSatisfy { done[$0, default: 0] > 0 }, "\(done)")
        }
    }
}

extension SummaryQuery {
    static func recountedDTO(_ app: Application, _ code: String) async throws -> SummaryDTO {
        let json = try await run(app, "summary", "--campaign", "DVK-2024", "--unit", code, "--recount")
        return try JSONDecoder().decode(SummaryDTO.self, from: Data(json.utf8))
    }
}
