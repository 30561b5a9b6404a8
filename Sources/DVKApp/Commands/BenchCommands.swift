import Fluent
import SQLKit
import DVKCore
import Foundation
import DVKDocuments
import Vapor

struct BenchCommands: AsyncCommandGroup {
    var help: String { "Benchmarks that print figures (see README)" }
    var commands: [String: any AnyAsyncCommand] {
        ["summary": BenchSummaryCommand(), "csv": BenchCSVCommand(), "documents": BenchDocumentsCommand(),
         "dashboard": BenchDashboardCommand(), "officers": BenchOfficersCommand(), "verify": BenchVerifyCommand(),
         "library": BenchLibraryCommand(), "audit": BenchAuditCommand(), "pages": BenchPagesCommand()]
    }
}

/// Times the roll-up inside the process, after a warm-up, and checks it against a recount.
struct BenchSummaryCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "unit") var unit: String?
        @Option(name: "iterations") var iterations: Int?
    }

    var help: String { "Time the Biểu tổng hợp roll-up of a unit" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let unit = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: try signature.unit.required("unit"), on: db).snapshot
        let n = max(1, signature.iterations ?? 50)
        for _ in 0..<5 { _ = try await SummaryQuery.official(campaign, unit: unit, on: db) }
        var times: [Double] = []
        var summary: Summary?
        for _ in 0..<n {
            let start = ContinuousClock.now
            summary = try await SummaryQuery.official(campaign, unit: unit, on: db)
            times.append((ContinuousClock.now - start) / .milliseconds(1))
        }
        times.sort()
        let units = try await SummaryQuery.subtreeTargets(campaign, unit: unit, on: db).count
        let recountStart = ContinuousClock.now
        let recount = try await SummaryQuery.recounted(campaign, unit: unit, on: db)
        let recountMs = (ContinuousClock.now - recountStart) / .milliseconds(1)
        func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
        context.console.print("roll-up of \(unit.code) over \(units) target units, \(summary?.total.initiatives ?? 0) counted initiatives, \(n) runs after 5 warm-up:")
        context.console.print("  min \(ms(times[0]))  median \(ms(times[n / 2]))  p95 \(ms(times[min(n - 1, n * 95 / 100)]))  max \(ms(times[n - 1]))")
        context.console.print("  recount from initiatives: \(ms(recountMs)); equal to maintained counts: \(recount == summary ? "yes" : "NO")")
    }
}

/// Writes an initiatives CSV of N rows over a campaign's targets, for timing the importer.
struct BenchCSVCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "rows") var rows: Int?
        @Option(name: "output") var output: String?
    }

    var help: String { "Write a synthetic initiatives CSV for a campaign (to time `dvk import initiatives`)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let output = try signature.output.required("output")
        let n = signature.rows ?? 60_000
        let codes = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$isTarget == true).all().map(\.code)
        guard !codes.isEmpty else { throw DomainError.invalid("campaign has no target units") }
        var rng = SeededGenerator(seed: 7)
        let rows: [[String]] = (0..<n).map { i in
            let individual = i % 3 == 0
            return [codes[i % codes.count], individual ? "cá nhân" : "tập thể",
                    individual ? "Đoàn viên nhập \(i % 97)" : "Tổ nhập \(i % 5)",
                    campaign.sectors[rng.next(upTo: campaign.sectors.count)].name,
                    "Mô hình nhập từ tệp số \(i + 1)", "2025-03-01", "2025-12-31", "Kết quả dự kiến \(i + 1)"]
        }
        let text = CSVWriter.write(header: ["unit_code", "registrant_kind", "registrant_name", "sector", "title", "start_date", "end_date", "expected_result"], rows: rows)
        try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        context.console.print("wrote \(n) rows to \(output)")
    }
}

/// Times the documents (in-process renderers) and, when LibreOffice is installed, one
/// LibreOffice conversion of the same Biểu tổng hợp DOCX to PDF for the ratio.
struct BenchDocumentsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "iterations") var iterations: Int?
    }

    var help: String { "Time the document renderers (and LibreOffice on the same DOCX)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        context.console.print(DocumentsBenchmark.run(iterations: max(5, signature.iterations ?? 50)))
        let soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let soffice else { return context.console.print("LibreOffice không có: bỏ qua phép so sánh.") }
        let summary = OfficialDocuments.summary(DocumentSamples.summary)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-bench-\(UUID.random().canonicalText)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let docx = dir.appendingPathComponent("bieu.docx")
        try OfficialDocuments.render(summary, as: .docx).write(to: docx)
        var pdfTimes: [Double] = []
        for _ in 0..<20 {
            let start = ContinuousClock.now
            _ = try OfficialDocuments.render(summary, as: .pdf)
            pdfTimes.append((ContinuousClock.now - start) / .milliseconds(1))
        }
        pdfTimes.sort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["--headless", "-env:UserInstallation=file://" + dir.path + "/profile", "--convert-to", "pdf", "--outdir", dir.path, docx.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        // First run creates LibreOffice's profile; the second is the one timed.
        try process.run()
        process.waitUntilExit()
        let again = Process()
        again.executableURL = process.executableURL
        again.arguments = process.arguments
        again.standardOutput = FileHandle.nullDevice
        again.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try again.run()
        again.waitUntilExit()
        let office = (ContinuousClock.now - start) / .milliseconds(1)
        let ours = pdfTimes[pdfTimes.count / 2]
        context.console.print(String(format: "LibreOffice DOCX→PDF (cùng Biểu tổng hợp): %.0f ms; DVK PDF: %.2f ms; nhanh hơn %.0f lần", office, ours, office / ours))
        try? FileManager.default.removeItem(at: dir)
    }
}

/// Times the campaign dashboard (query and HTML) of a unit, in-process, after a warm-up.
struct BenchDashboardCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "unit") var unit: String?
        @Option(name: "iterations") var iterations: Int?
        @Option(name: "status", help: "A filter of the units table (late, waiting_review, not_started, …)") var status: String?
        @Option(name: "q", help: "A search of the units table") var q: String?
        @Option(name: "page") var page: Int?
    }

    var help: String { "Time the campaign dashboard of a federation (server time, no network), optionally filtered" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let unit = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: try signature.unit.required("unit"), on: db)
        let view = PageTimes.view(campaign, unit, as: .staff)
        let filter = [signature.status.map { "status=\($0)" }, signature.q.map { "q=\($0)" }, signature.page.map { "page=\($0)" }]
            .compactMap { $0 }.joined(separator: " ")
        let timed = try await PageTimes.measure(max(1, signature.iterations ?? 20)) {
            try await Dashboard.query(view: view, params: .init(status: signature.status, q: signature.q, page: signature.page),
                                      now: context.application.clock.now(), on: db)
        } render: { Dashboard.view($0) }
        context.console.print("dashboard of \(unit.code)\(filter.isEmpty ? "" : " [" + filter + "]") \(timed)")
    }
}

/// A page timed in-process, its query and its rendering, after three warm-up runs.
struct PageTimes: CustomStringConvertible, Sendable {
    var runs: Int
    var bytes: Int
    var total: [Double]
    var rendering: [Double]

    /// A campaign as a made-up user of `unit` with `role` sees it from that unit.
    static func view(_ campaign: CampaignInfo, _ unit: CampaignUnit, as role: Role) -> Access.CampaignView {
        let user = CurrentUser(id: UUID.random(), username: "bench", displayName: "bench", role: role, unitID: unit.unitID,
                               unitCode: unit.code, unitName: unit.name, unitKind: unit.kind, csrf: "x")
        return Access.CampaignView(campaign: campaign, user: user, scope: unit.snapshot)
    }

    static func measure<M>(_ runs: Int, query: () async throws -> M, render: (M) -> HTMLPage) async throws -> PageTimes {
        var times = PageTimes(runs: runs, bytes: 0, total: [], rendering: [])
        for i in 0..<(runs + 3) {
            let start = ContinuousClock.now
            let model = try await query()
            let queried = ContinuousClock.now
            times.bytes = render(model).buffer.readableBytes
            if i >= 3 {
                times.total.append((ContinuousClock.now - start) / .milliseconds(1))
                times.rendering.append((ContinuousClock.now - queried) / .milliseconds(1))
            }
        }
        times.total.sort()
        times.rendering.sort()
        return times
    }

    var description: String {
        String(format: "(%d bytes of HTML), %d runs after 3 warm-up: min %.2f ms, median %.2f ms, max %.2f ms; of which rendering: min %.2f ms, median %.2f ms",
               bytes, runs, total[0], total[runs / 2], total[runs - 1], rendering[0], rendering[runs / 2])
    }
}

/// Times a unit's page as its officer sees it, and the year page of the federation above it
/// as that federation's staff sees it (server time, no network).
struct BenchPagesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "unit", help: "A CĐCS of the campaign; its federation's year page is timed too") var unit: String?
        @Option(name: "iterations") var iterations: Int?
    }

    var help: String { "Time a CĐCS's unit page (as its officer) and its federation's year page (as its staff)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let unit = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: try signature.unit.required("unit"), on: db)
        guard unit.isTarget, let parentID = unit.parentUnitID,
              let parent = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$unitID == parentID).first() else {
            throw DomainError.invalid("\(unit.code) is not a CĐCS of \(campaign.code) with a federation above it")
        }
        let n = max(1, signature.iterations ?? 20)
        let now = context.application.clock.now()
        let officer = PageTimes.view(campaign, unit, as: .officer)
        let unitPage = try await PageTimes.measure(n) {
            try await UnitPage.query(view: officer, unit: unit.snapshot, now: now, on: db)
        } render: { UnitPage.view($0) }
        context.console.print("unit page of \(unit.code) \(unitPage)")
        let staff = PageTimes.view(campaign, parent, as: .staff)
        let yearPage = try await PageTimes.measure(n) {
            try await YearPage.query(view: staff, show: .all, filter: YearQueue.Filter(), page: nil, on: db)
        } render: { YearPage.view($0) }
        context.console.print("year page of \(parent.code) \(yearPage)")
    }
}

/// Makes an officer with an API token for each of the first N target units of a campaign
/// (the deadline-day rush of `scripts/rush`), and writes "UNIT TOKEN" lines to a file.
struct BenchOfficersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "count") var count: Int?
        @Option(name: "output") var output: String?
    }

    var help: String { "Create N officers with API tokens for a campaign's units (for the rush benchmark)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let count = max(1, signature.count ?? 200)
        let units = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$isTarget == true)
            .sort(\.$pre).limit(count).all()
        // One hash for all: the officers share a password, and bcrypt is slow on purpose.
        let hash = try Bcrypt.hash("rush-password", cost: 10)
        var lines: [String] = []
        for unit in units {
            let name = "rush-" + unit.code.lowercased()
            let user = User(username: name, displayName: name, passwordHash: hash, role: .officer, unitID: unit.unitID, passwordSetAt: context.application.clock.now())
            try await db.write { db in try await user.create(on: db) }
            lines.append(unit.code + " " + (try await AuthStore.createToken(userID: user.requireID(), name: "rush", days: 7, now: context.application.clock.now(), on: db)))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: try signature.output.required("output"), atomically: true, encoding: .utf8)
        context.console.print("\(lines.count) officers with tokens")
    }
}

/// Checks every maintained number of a campaign against a count made from the rows:
/// each federation's Biểu tổng hợp and its standing counts. Exit status 1 on a difference.
struct BenchVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign") var campaign: String?
        @Option(name: "acknowledged", help: "A file of initiative ids a client was answered 201 for: each must be stored")
        var acknowledged: String?
    }

    var help: String { "Check a campaign's maintained counts against a recount (every federation), and acknowledged writes" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let campaign = try await CampaignStore.info(code: try signature.campaign.required("campaign"), on: db)
        let federations = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$kind == .federation).all()
        var wrong: [String] = []
        for unit in federations.prefix(50) {
            let scope = unit.snapshot
            if try await SummaryQuery.official(campaign, unit: scope, on: db) != (try await SummaryQuery.recounted(campaign, unit: scope, on: db)) {
                wrong.append("summary of \(unit.code)")
            }
            let kept = try await Standings.counts(campaign, scope: scope, on: db)
            let counted = try await Standings.lines(campaign, scope: scope, on: db).lines.reduce(StandingCounts()) { $0 + StandingCounts($1.standing) }
            if kept != counted { wrong.append("standings of \(unit.code)") }
        }
        let initiatives = try await Initiative.query(on: db).filter(\.$campaignID == campaign.id).count()
        if let file = signature.acknowledged {
            let ids = try String(contentsOfFile: file, encoding: .utf8).split(whereSeparator: \.isNewline).compactMap { UUID(uuidString: String($0)) }
            var found = 0
            for chunk in Array(Set(ids)).chunked(500) {
                found += try await Initiative.query(on: db).filter(\.$id ~~ chunk).count()
            }
            context.console.print("acknowledged: \(ids.count) (\(Set(ids).count) distinct); stored: \(found) of them; missing: \(Set(ids).count - found)")
            if found != Set(ids).count || Set(ids).count != ids.count { wrong.append("acknowledged writes missing or repeated") }
        }
        context.console.print("initiatives: \(initiatives); federations checked: \(min(50, federations.count)); maintained counts equal a recount: \(wrong.isEmpty ? "yes" : "NO (" + wrong.joined(separator: ", ") + ")")")
        if !wrong.isEmpty { throw DomainError.conflict("maintained counts differ from a recount") }
    }
}

/// Fills the public library with synthetic published models (once) and times its search.
struct BenchLibraryCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "models", help: "How many published models the library should hold (default 100000)") var models: Int?
        @Option(name: "iterations") var iterations: Int?
        @Option(name: "hostile", help: "Then this many hostile searches at once, for --seconds, while an ordinary one is timed (default 16)")
        var hostile: Int?
        @Option(name: "seconds", help: "How long the hostile load lasts (default 20)") var seconds: Int?
    }

    var help: String { "Time the public library's search at N published models (adds synthetic ones, campaign BENCH-LIB)" }

    static let starts = ["Bữa cơm", "Tổ hòa giải", "Góc đọc sách", "Bếp ăn", "Camera an ninh", "Tủ sách", "Lớp học", "Vườn rau",
                         "Quỹ tương trợ", "Câu lạc bộ", "Sân chơi", "Tổ tự quản", "Điểm sinh hoạt", "Ngày hội", "Chợ phiên"]
    static let ends = ["nghĩa tình", "khu dân cư", "đoàn viên", "xanh sạch đẹp", "Thủy Tiên", "an toàn", "chuyển đổi số", "bình yên",
                       "công nhân", "nữ công", "gia đình văn hóa", "khuyến học", "vì người nghèo", "phòng cháy", "Hoà Bình"]
    static let places = ["Ngọc Lâm", "Bồ Đề", "Gia Thụy", "Phúc Đồng", "Thạch Bàn", "Sài Đồng", "Việt Hưng", "Đức Giang", "Giang Biên", "Cự Khối"]

    private func clear(_ a: inout [[any Encodable & Sendable]], _ b: inout [[any Encodable & Sendable]]) {
        a.removeAll(keepingCapacity: true)
        b.removeAll(keepingCapacity: true)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let target = max(1, signature.models ?? 100_000)
        let sql = try db.sql()
        let have = try await sql.raw("SELECT COUNT(*) AS n FROM library").first()?.decode(column: "n", as: Int.self) ?? 0
        if have < target {
            let campaignID = UUID.random(), by = UUID.random()
            var rows: [[any Encodable & Sendable]] = [], recognitions: [[any Encodable & Sendable]] = [], words: [[any Encodable & Sendable]] = []
            let sectors = Sector.defaults
            let start = context.application.clock.now(), began = ContinuousClock.now
            for i in have..<target {
                let title = "\(Self.starts[i % Self.starts.count]) \(Self.ends[(i / 15) % Self.ends.count]) \(Self.places[(i / 225) % Self.places.count]) \(i)"
                let unit = "Công đoàn cơ sở số \(i % 5_000)"
                let sector = sectors[i % sectors.count]
                let id = UUID.random()
                let text = LibrarySearch.document([title, "Tổ Công đoàn số \(i % 97)", unit, sector.name])
                rows.append([id, campaignID, by, start.addingTimeInterval(-Double(i)), 2020 + i % 6, "BENCH-LIB", sector.code, sector.name,
                             i % 2 == 0 ? "collective" : "individual", "Tổ Công đoàn số \(i % 97)", title, "B\(i % 5_000)", unit,
                             "/HN/B\(i % 20)/B\(i % 5_000)/", 1 + i % 3, i % 4 == 0, text])
                for word in LibrarySearch.indexWords(text) { words.append([word, start.addingTimeInterval(-Double(i)), id]) }
                recognitions.append([UUID.random(), id, campaignID, by, "B\(i % 20)", "Công đoàn cấp trên số \(i % 20)", 1 + i % 3, "\(i % 300)/QĐ",
                                     "2024-10-15", i % 4 == 0, "bench", start])
                if rows.count == 5_000 || i == target - 1 {
                    let batch = rows, batchRecognitions = recognitions, batchWords = words
                    try await db.write { db in
                        try await BulkInsert.run(db, into: "library", columns: ["initiative_id", "campaign_id", "published_by", "published_at", "year",
                            "campaign_code", "sector_code", "sector_name", "registrant_kind", "registrant_name", "title", "unit_code", "unit_name",
                            "unit_path", "level", "exemplary", "search_text"], rows: batch)
                        try await BulkInsert.run(db, into: "recognitions", columns: ["id", "initiative_id", "campaign_id", "by_unit_id", "by_code",
                            "by_name", "by_depth", "decision_number", "decision_date", "exemplary", "author", "updated_at"], rows: batchRecognitions)
                        try await BulkInsert.run(db, into: "library_words", columns: ["word", "published_at", "initiative_id"], rows: batchWords)
                    }
                    self.clear(&rows, &recognitions)
                    words.removeAll(keepingCapacity: true)
                }
            }
            context.console.print("added \(target - have) synthetic published models in \(String(format: "%.1f", (ContinuousClock.now - began) / .seconds(1))) s")
        }
        if sql.dialect.name == "postgresql" { try await sql.raw("ANALYZE library").run() } else { try await sql.raw("ANALYZE").run() }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM library").first()?.decode(column: "n", as: Int.self) ?? 0
        let n = max(1, signature.iterations ?? 30)
        var cases: [(String, Library.Filter)] = []
        func filter(_ q: String, year: Int? = nil, sector: String? = nil, federation: String? = nil, page: Int = 1) -> Library.Filter {
            var f = Library.Filter()
            f.query = q; f.year = year; f.sector = sector; f.federation = federation; f.page = page
            return f
        }
        cases.append(("no words, first page", filter("")))
        cases.append(("\"thuy\" (common word)", filter("thuy")))
        cases.append(("\"hoa giai\" (two words)", filter("hoa giai")))
        cases.append(("\"bep an nghia tinh ngoc lam\"", filter("bep an nghia tinh ngoc lam")))
        cases.append(("\"xyzzy\" (nothing)", filter("xyzzy")))
        cases.append(("year 2023 + sector", filter("", year: 2023, sector: Sector.defaults[1].code)))
        cases.append(("federation B7 + \"quy\"", filter("quy", federation: "B7")))
        cases.append(("\"doan vien\", page 40", filter("doan vien", page: 40)))
        context.console.print("library search over \(Format.number(total)) published models (\(sql.dialect.name)), \(n) runs each after 3 warm-up; count + page of 20 + their recognitions:")
        for (name, f) in cases {
            for _ in 0..<3 { _ = try await Library.search(f, on: db) }
            var times: [Double] = []
            var found = 0
            for _ in 0..<n {
                let start = ContinuousClock.now
                found = try await Library.search(f, on: db).total
                times.append((ContinuousClock.now - start) / .milliseconds(1))
            }
            times.sort()
            context.console.print(String(format: "  %-32@ %7d found   median %7.2f ms   p95 %7.2f ms", name as NSString, found, times[n / 2], times[min(n - 1, n * 95 / 100)]))
        }
        try await hostileLoad(context, signature: signature, db: db)
    }

    /// What an anonymous attacker can still ask once the search is bounded (the costliest
    /// shapes the limits allow: common words, two-letter words, the last page, eight words),
    /// `hostile` of them at once without pause, while an ordinary search is timed.
    func hostileLoad(_ context: CommandContext, signature: Signature, db: any Database) async throws {
        let workers = max(0, signature.hostile ?? 16)
        guard workers > 0 else { return }
        let seconds = max(1, signature.seconds ?? 20)
        func filter(_ q: String, page: Int = 1) -> Library.Filter {
            var f = Library.Filter()
            f.query = q
            f.page = page
            return f
        }
        let attacks = [filter("a b c d", page: Library.maxPage), filter("cong doan", page: Library.maxPage), filter("to so"),
                       filter("bua com nghia tinh khu dan cu doan vien", page: 25), filter("th ng tr"), filter("so cong doan co so")]
        let ordinary = filter("hoa giai")
        let end = ContinuousClock.now + .seconds(seconds)
        let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { group -> (done: Int, refused: Int, ordinary: [Double]) in
            for w in 0..<workers {
                group.addTask {
                    var done = 0, refused = 0, i = w
                    while ContinuousClock.now < end {
                        do { _ = try await Library.search(attacks[i % attacks.count], on: db); done += 1 } catch { refused += 1 }
                        i += 1
                    }
                    return (done, refused)
                }
            }
            var times: [Double] = []
            while ContinuousClock.now < end {
                let start = ContinuousClock.now
                _ = try await Library.search(ordinary, on: db)
                times.append((ContinuousClock.now - start) / .milliseconds(1))
                try await Task.sleep(for: .milliseconds(100))
            }
            var done = 0, refused = 0
            for try await (d, r) in group { done += d; refused += r }
            return (done, refused, times.sorted())
        }
        let t = counts.ordinary
        guard !t.isEmpty else { return }
        context.console.print(String(format: "with %d hostile searches at once for %d s (%d answered, %.0f/s; %d over the statement budget): "
                                     + "an ordinary search (\"hoa giai\") median %.1f ms, p95 %.1f ms, worst %.1f ms over %d runs",
                                     workers, seconds, counts.done, Double(counts.done) / Double(seconds), counts.refused,
                                     t[t.count / 2], t[min(t.count - 1, t.count * 95 / 100)], t[t.count - 1], t.count))
    }
}
