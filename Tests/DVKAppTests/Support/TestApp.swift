import ConsoleKit
import DVKCore
import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Where app tests run: SQLite in memory, or — when DVK_TEST_POSTGRES_URL is set (CI,
/// README test command) — the same suite on a real PostgreSQL, reset before each test. The
/// variable may name several databases, separated by commas: tests then run side by side,
/// one to a database, as they do on SQLite.
enum TestDatabase {
    static let postgresURLs: [String] = (ProcessInfo.processInfo.environment["DVK_TEST_POSTGRES_URL"] ?? "")
        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        .reduce(into: []) { list, url in if !list.contains(url) { list.append(url) } }  // a database listed twice is one

    static var postgresURL: String? { postgresURLs.first }
}

/// The PostgreSQL databases tests take in turn: a test holds one from its start to its end.
actor DatabasePool {
    static let shared = DatabasePool(count: TestDatabase.postgresURLs.count)
    private var free: [Int]
    private var waiting: [CheckedContinuation<Int, Never>] = []

    init(count: Int) { free = Array((0..<count).reversed()) }

    func acquire() async -> Int {
        if let database = free.popLast() { return database }
        return await withCheckedContinuation { waiting.append($0) }
    }

    func release(_ database: Int) {
        if waiting.isEmpty { free.append(database) } else { waiting.removeFirst().resume(returning: database) }
    }
}

/// A PostgreSQL database of the pool, made empty for each test. The schema is reverted and
/// migrated once per database and test process; before each later test every table is emptied in one
/// `TRUNCATE`, which leaves what a fresh migration leaves (no migration writes rows). When a
/// test has changed the list of applied migrations, the schema is made again from nothing.
/// Reverting and migrating before every test was most of the suite's time on PostgreSQL.
/// Called with the database held.
enum SharedSchema {
    private static let made = Mutex(Set<Int>())

    static func reset(_ app: Application, database: Int) async throws {
        let sql = try app.db.sql()
        if made.withLock({ $0.contains(database) }) {
            let applied = try await sql.raw("SELECT name FROM _fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) }
            if applied.count == Migrations.all.count, Set(applied) == Set(Migrations.all.map(\.name)) {
                let tables = try await sql.raw("""
                    SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_fluent_migrations'
                    """).all().map { "\"" + (try $0.decode(column: "tablename", as: String.self)) + "\"" }
                if !tables.isEmpty {
                    try await sql.raw("TRUNCATE \(unsafeRaw: tables.joined(separator: ", ")) RESTART IDENTITY CASCADE").run()
                }
                return
            }
        }
        try await app.autoRevert()
        try await app.autoMigrate()
        _ = made.withLock { $0.insert(database) }
    }
}

/// Gives `body` an app on a fresh, migrated database and shuts it down afterwards.
func withApp(_ adjust: (inout AppConfig) -> Void = { _ in }, _ body: (Application) async throws -> Void) async throws {
    let held = TestDatabase.postgresURLs.isEmpty ? nil : await DatabasePool.shared.acquire()
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        var config = AppConfig(database: held.map { .postgres(TestDatabase.postgresURLs[$0]) } ?? .sqliteMemory)
        adjust(&config)
        try await configure(app, config: config)
        if let held { try await SharedSchema.reset(app, database: held) }
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        if let held { await DatabasePool.shared.release(held) }
        throw error
    }
    try await app.asyncShutdown()
    if let held { await DatabasePool.shared.release(held) }
}

/// What a request over a real socket answered.
struct NetworkResponse {
    var status: HTTPStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
}

/// A request over a real socket to the app's server, started on a free port of 127.0.0.1 for
/// it and stopped after: VaporTesting's `.running`, with a deadline a loaded machine does not
/// reach (its fixed 30 s was reached while the suite and a build shared two cores).
func overNetwork(_ app: Application, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil,
                 deadlineSeconds: Int64 = 300) async throws -> NetworkResponse {
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    do {
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "the server has no port") }
        let response = try await app.client.send(ClientRequest(method: method, url: URI(string: "http://127.0.0.1:\(port)\(path)"),
                                                               headers: headers, body: body, timeout: .seconds(deadlineSeconds), byteBufferAllocator: app.allocator))
        await app.server.shutdown()
        return NetworkResponse(status: response.status, headers: response.headers, body: response.body ?? ByteBuffer())
    } catch {
        await app.server.shutdown()
        throw error
    }
}

/// A console that keeps what commands print.
final class CapturingConsole: Console {
    private let buffer = Mutex("")
    private let errors = Mutex("")
    var userInfo: [AnySendableHashable: any Sendable] {
        get { [:] }
        set {}
    }
    var size: (width: Int, height: Int) { (200, 50) }
    var text: String { buffer.withLock { $0 } }
    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) {
        let s = text.description + (newLine ? "\n" : "")
        buffer.withLock { $0 += s }
    }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) { errors.withLock { $0 += error + (newLine ? "\n" : "") } }
}

/// Runs `dvk ARGS…` inside the test's app and returns what it printed.
@discardableResult
func run(_ app: Application, _ arguments: String...) async throws -> String {
    try await run(app, arguments)
}

/// `run` with the arguments as a list.
@discardableResult
func run(_ app: Application, _ arguments: [String]) async throws -> String {
    let console = CapturingConsole()
    var context = CommandContext(console: console, input: CommandInput(arguments: ["dvk"] + arguments))
    context.application = app
    let group = app.asyncCommands.group()
    // As `DVK.run` does: the command acts as the CLI in the trail.
    try await Actor.$current.withValue(DVK.commandActor(["dvk"] + arguments)) { try await group.run(using: &context) }
    return console.text
}

/// One folder per test process for the files tests write, removed when the process exits
/// (a run had left 12,000 of them in /tmp).
enum TestFiles {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestFiles.folder) }
        return url
    }()
}

/// Writes a temporary file (in `TestFiles.folder`) and returns its path.
func tempFile(_ contents: String, suffix: String = ".csv") throws -> String {
    let path = TestFiles.folder.appendingPathComponent("\(UUID().uuidString)\(suffix)").path
    try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// A small tree with three levels under the issuer:
/// HN → LB → { GD → { S1, S2 }, P1, C1 }, and HN → OTHER (outside the campaign).
enum Fixture {
    static let unitsCSV = """
    code,name,parent_code,kind,email,phone
    HN,LĐLĐ Thành phố Hà Nội,,federation,hn@example.vn,
    LB,Liên đoàn Lao động quận Long Biên,HN,federation,lb@example.vn,024 1
    GD,Công đoàn ngành Giáo dục quận Long Biên,LB,federation,,
    S1,Trường Tiểu học Ngọc Lâm,GD,grassroots,s1@example.vn,
    S2,Trường THCS Gia Thụy,GD,grassroots,,
    P1,Cơ quan UBND phường Bồ Đề,LB,grassroots,,
    C1,Công ty Cổ phần May Đức Giang,LB,grassroots,,
    OTHER,Công ty ngoài quận,HN,grassroots,,
    """

    static func load(_ app: Application) async throws {
        try await run(app, "import", "units", try tempFile(unitsCSV))
        try await run(app, "campaign", "create", "--code", "DVK-2024", "--issuer", "LB", "--year", "2024",
                      "--title", "Phong trào thi đua “Dân vận khéo” năm 2024", "--deadline", "2024-02-16",
                      "--number", "26/LĐLĐ", "--issued", "2024-02-06")
    }

    static func summary(_ app: Application, unit: String, campaign: String = "DVK-2024") async throws -> SummaryDTO {
        let json = try await run(app, "summary", "--campaign", campaign, "--unit", unit, "--format", "json")
        return try JSONDecoder().decode(SummaryDTO.self, from: Data(json.utf8))
    }
}

extension SummaryDTO {
    /// The four columns of every row, then the total.
    var grid: [[Int]] {
        rows.map { [$0.collectives, $0.collectiveInitiatives, $0.individuals, $0.individualInitiatives] }
            + [[total.collectives, total.collectiveInitiatives, total.individuals, total.individualInitiatives]]
    }
}

/// A downloaded PDF's text as pdftotext reads it (reading order), cleaned as DVK cleans
/// text; `pages` limits it to those pages.
func pdfText(_ response: TestingHTTPResponse, pages: ClosedRange<Int>? = nil) throws -> String {
    let file = try tempFile("", suffix: ".pdf")
    try Data(response.body.readableBytesView).write(to: URL(fileURLWithPath: file))
    let range = pages.map { ["-f", String($0.lowerBound), "-l", String($0.upperBound)] } ?? []
    return VietnameseText.clean(try ExportTests().tool("/usr/bin/pdftotext", ["-raw"] + range + [file, "-"]))
}
