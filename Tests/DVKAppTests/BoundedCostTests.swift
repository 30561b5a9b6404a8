import DVKCore
import DVKDocuments
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// No input, stored value or request shape can trap the process or make one request cost
/// without bound: the sums that once overflowed, the numbers a form sends, the library's
/// search, the public pages' leaks, the cookies, the files served back.
@Suite struct BoundedCostTests {
    /// A PNG's signature and header declaring its size, then bytes no one decodes.
    static func png(width: Int, height: Int) -> Data {
        func be32(_ n: Int) -> [UInt8] { [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be32(13) + Array("IHDR".utf8) + be32(width) + be32(height)
                    + [8, 2, 0, 0, 0] + be32(0) + Array(repeating: UInt8(7), count: 64))
    }

    @Test func imagesDeclaringAHugeSizeAreRefusedWithoutDecoding() {
        #expect(Attachment.problem(name: "anh.png", data: Self.png(width: 4_000, height: 3_000)) == nil)
        #expect(Attachment.problem(name: "anh.png", data: Self.png(width: 100_000, height: 100_000))?.contains("100000 × 100000") == true)
        #expect(Attachment.problem(name: "anh.png", data: Self.png(width: 20_000, height: 20_000)) != nil)
        #expect(Attachment.problem(name: "anh.png", data: Self.png(width: 0, height: 10)) != nil)
        #expect(Attachment.problem(name: "hong.png", data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) != nil)
        // A JPEG: markers up to its frame header (SOF0), 65,000 × 65,000 declared.
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFD, 0xE8, 0xFD, 0xE8, 0x03])
        #expect(Attachment.dimensions(of: jpeg)?.width == 65_000)
        #expect(Attachment.problem(name: "anh.jpg", data: jpeg) != nil)
        #expect(Attachment.dimensions(of: Data([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02])) == nil)
    }

    /// Accepted, recognised by GD and published: the model of `YearTests.world` in the library.
    static func published(_ app: Application) async throws -> (YearTests.World, UUID) {
        let w = try await YearTests.world(app)
        let id = w.s1[0]
        #expect(try await api(app, .POST, "\(YearTests.base)/units/S1/accept", as: w.gdStaff).status == .ok)
        #expect(try await api(app, .PUT, w.model(id, "/recognition"), as: w.gdStaff, json: YearTests.recognition).status == .ok)
        #expect(try await api(app, .PUT, w.model(id, "/publication"), as: w.gdStaff, json: #"{"published": true}"#).status == .ok)
        return (w, id)
    }

    /// Progress reports written straight into the database, as data stored before the bounds.
    static func plantReports(_ db: any Database, model id: UUID, count: Int, money: Int64) async throws {
        for i in 0..<count {
            try await db.sql().raw("""
                INSERT INTO progress_reports (id, initiative_id, reported_on, body, participants, beneficiaries, money, workdays, author, created_at)
                VALUES (\(bind: UUID()), \(bind: id), '2024-06-30', \(bind: "Báo cáo \(i)"), 100000000, 100000000, \(bind: money), 100000000, 'x', \(bind: Date()))
                """).run()
        }
    }

    @Test func sumsOfStoredFiguresNeverTrapAnyPageDocumentOrAPI() async throws {
        try await withApp { app in
            let (w, id) = try await Self.published(app)
            // Twenty reports of 9·10^18 đồng each: far past a 64-bit sum.
            try await Self.plantReports(app.db, model: id, count: 20, money: 9_000_000_000_000_000_000)
            let sum = "180.000.000.000.000.000.000"
            let entry = try await app.testing().sendRequest(.GET, "/library/\(id.uuidString)")
            #expect(entry.status == .ok)
            #expect(entry.body.string.contains("vận động \(sum) đồng"))
            let json = try await api(app, .GET, "/api/v1/library/\(id.uuidString)", as: .anonymous)
            #expect(json.status == .ok)
            #expect(String(decoding: json.body, as: UTF8.self).contains("\"money\":180000000000000000000"))
            #expect(try await api(app, .GET, w.model(id, "/year"), as: w.gdStaff).status == .ok)
            _ = try await AuthStore.createUser(username: "gdsum", password: "mat-khau-thu-nghiem", role: .staff, unitCode: "GD", at: Date(), on: app.db)
            let staff = try await Browser.signIn(app, "gdsum")
            let page = try await staff.get("/campaigns/DVK-2024/units/S1/initiatives/\(id.uuidString)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("vận động 9.000.000.000.000.000.000 đồng"))
            // The year's documents that print results: the decision's annex and the list proposed upward.
            #expect(try await api(app, .PUT, w.model(id, "/nomination"), as: w.gdStaff).status == .ok)
            for path in ["de-nghi.pdf", "de-nghi.docx", "de-nghi.xlsx", "tong-ket.pdf", "quyet-dinh.pdf?so=12%2FQ%C4%90-C%C4%90N"] {
                let document = try await staff.get("/campaigns/DVK-2024/year/documents/" + path)
                #expect(document.status == .ok, "\(path)")
            }
        }
    }

    @Test func aModelTakesAtMostItsNumberOfReports() async throws {
        try await withApp { app in
            let (w, id) = try await Self.published(app)
            try await Self.plantReports(app.db, model: id, count: ProgressInput.maxReports - 1, money: 1)
            let report = #"{"date": "30/06/2024", "text": "Thêm một lần"}"#
            #expect(try await api(app, .POST, w.model(id, "/progress"), as: w.s1Officer, json: report).status == .created)
            let refused = try await api(app, .POST, w.model(id, "/progress"), as: w.s1Officer, json: report)
            #expect(refused.status == .conflict)
            #expect(refused.json?["error"]?["message"]?.string?.contains("nhiều nhất cho một mô hình") == true)
        }
    }

    @Test func numbersAFormSendsCannotOverflow() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let officer = try await Browser.signIn(app, "s1")
            func events() async throws -> Int? {
                try await app.db.sql().raw("SELECT COUNT(*) AS n FROM submission_events").first()?.decode(column: "n", as: Int.self)
            }
            let before = try await events()
            for version in ["9223372036854775807", "-9223372036854775808", "99999999999999999999", "abc"] {
                let sent = try await officer.post("/campaigns/DVK-2024/units/S1/declare", ["version": version])
                #expect(sent.status == .conflict, "\(version)")
            }
            let staff = try await Browser.signIn(app, "staff")
            for page in ["9223372036854775807", "-9223372036854775808", "0"] {
                #expect(try await staff.get("/campaigns/DVK-2024?q=zzzz&page=\(page)").status == .ok)
                #expect(try await staff.get("/campaigns/DVK-2024?page=\(page)").status == .ok)
            }
            // Nothing was written by the refused steps.
            #expect(try await events() == before)
        }
    }

    @Test func theLibrarySearchIsBoundedAndSaysSo() async throws {
        try await withApp { app in
            for i in 0..<(Library.countLimit + 5) {
                _ = try await YearTests.shelve(app.db, title: "Mô hình tiết kiệm số \(i)")
            }
            let all = try await api(app, .GET, "/api/v1/library?q=tiet+kiem", as: .anonymous)
            #expect(all.json?["total"]?.int == Library.countLimit)
            #expect(all.json?["more"]?.bool == true)
            let last = try await api(app, .GET, "/api/v1/library?q=tiet+kiem&page=\(Library.maxPage)", as: .anonymous)
            #expect(last.json?["items"]?.array?.count == Library.perPage)
            #expect(try await api(app, .GET, "/api/v1/library?page=\(Library.maxPage + 1)", as: .anonymous).status == .badRequest)
            #expect(try await api(app, .GET, "/api/v1/library?page=0", as: .anonymous).status == .badRequest)
            // The pages cut one order, newest first: no model twice, none skipped between pages.
            var seen: [(id: String, at: String)] = []
            for n in [1, 2, 3] {
                let items = try await api(app, .GET, "/api/v1/library?q=tiet+kiem&page=\(n)", as: .anonymous).json?["items"]?.array ?? []
                #expect(items.count == Library.perPage)
                seen += items.map { ($0["id"]?.string ?? "", $0["publishedAt"]?.string ?? "") }
            }
            #expect(Set(seen.map(\.id)).count == 3 * Library.perPage)
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.at >= $1.at })
            let exact = try await api(app, .GET, "/api/v1/library?q=so+1004", as: .anonymous)
            #expect(exact.json?["total"]?.int == 1 && exact.json?["more"]?.bool == false)
            // One-letter words say nothing: they are left out, and the page says so.
            let page = try await app.testing().sendRequest(.GET, "/library?q=a+b")
            #expect(page.body.string.contains("Từ tìm kiếm cần có ít nhất 2 chữ cái"))
            #expect(page.body.string.contains("Tìm thấy hơn 1.000 mô hình"))
            // A word of two letters is a whole word: "so" finds "số", not "sổ tay…" prefixes of it.
            #expect(LibrarySearch("a so").words == ["so"])
            #expect(!LibrarySearch.isPrefix("so") && LibrarySearch.isPrefix("tie"))
        }
    }

    /// The costliest searches the limits allow take one lane, one at a time per server, so a
    /// flood of them leaves a core for everyday searches (measured: `dvk bench library --hostile 16`).
    @Test func theCostliestSearchesTakeTheirTurnOneAtATime() async throws {
        #expect(!Library.isCostly([.init(word: "giai", count: 6_667), .init(word: "hoa", count: 10_001)]), "an everyday search")
        #expect(Library.isCostly([.init(word: "cong", count: 10_001), .init(word: "doan", count: 10_001)]), "words every model holds")
        #expect(!Library.isCostly([.init(word: "xyzzy", count: 0), .init(word: "cong", count: 10_001)]), "nothing found costs nothing")
        #expect(!Library.isCostly([]))
        #expect(Library.isCostly([.init(word: "a", count: Int.max), .init(word: "b", count: Int.max)]), "no count can trap")
        // One at a time; a search that waits past the lane's patience is told to come back.
        let lane = HeavyWork(permits: 1, patience: .milliseconds(200), busy: .unavailable("bận"))
        // The holder signals once it has the turn and keeps it until the test lets go, so no
        // scheduling delay can reorder the two (CI once started the holder after 50 ms).
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let (letGo, letGoSignal) = AsyncStream<Void>.makeStream()
        let holding = Task {
            try await lane.admit {
                enteredSignal.yield()
                for await _ in letGo { break }
                return 1
            }
        }
        for await _ in entered { break }
        await #expect(throws: DomainError.unavailable("bận")) { try await lane.admit { 2 } }
        letGoSignal.yield()
        #expect(try await holding.value == 1)
        #expect(try await lane.admit { 3 } == 3, "the turn is free again")
    }

    @Test func anonymousLibraryRequestsHaveAnAllowancePerAddress() async throws {
        try await withApp({ $0.libraryRateLimit = 8 }) { app in
            // The clock held still: however slowly the requests run, nothing refills.
            let still = ContinuousClock.now
            app.libraryLimiter = RateLimiter(perMinute: 8, burst: 2, clock: { still })
            var statuses: [UInt] = []
            for _ in 0..<4 { statuses.append(try await app.testing().sendRequest(.GET, "/library").status.code) }
            #expect(statuses.prefix(2) == [200, 200])
            let refused = try await app.testing().sendRequest(.GET, "/api/v1/library")
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers.first(name: .retryAfter) ?? "") ?? 0 >= 1)
            #expect(refused.body.string.contains("rate_limited"))
            // Signed in, nobody is counted.
            try await Fixture.load(app)
            try await People.create(app)
            let officer = try await Browser.signIn(app, "s1")
            for _ in 0..<5 { #expect(try await officer.get("/library").status == .ok) }
        }
    }

    @Test func theBucketRefillsWithTimeAndForgetsOldAddresses() {
        let limiter = RateLimiter(perMinute: 60, burst: 2)
        let start = ContinuousClock.now
        #expect(limiter.take("a", now: start) == nil)
        #expect(limiter.take("a", now: start) == nil)
        #expect(limiter.take("a", now: start) == 1)
        #expect(limiter.take("b", now: start) == nil)
        #expect(limiter.take("a", now: start + .seconds(1)) == nil)
    }

    @Test func flashMessagesCarryAnExcerptInAsciiOnly() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let officer = try await Browser.signIn(app, "s1")
            let title = "Mô hình " + String(repeating: "rất dài ", count: 60)
            let saved = try await officer.post("/campaigns/DVK-2024/units/S1/initiatives/new", [
                "kind": "collective", "registrantName": "Tổ Công đoàn", "sector": "kinh-te", "title": title, "continuity": "new"])
            #expect(saved.status == .seeOther)
            let cookie = try #require(saved.headers.setCookie?[Flash.cookieName]?.string)
            #expect(cookie.unicodeScalars.allSatisfy { $0.isASCII })
            #expect(cookie.utf8.count < 1_000)
            let message = try #require(cookie.removingPercentEncoding)
            #expect(message.hasPrefix("Đã thêm mô hình “Mô hình rất dài"))
            #expect(message.contains("…”"))
        }
    }

    @Test func metricsAndReadinessTellStrangersNothing() async throws {
        let token = String(repeating: "k", count: 40)
        try await withApp({ $0.metrics.token = token }) { app in
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/metrics/").status == .notFound)
            let wrong = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer " + String(repeating: "x", count: 40)])
            #expect(wrong.status == .notFound)
            let scraped = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer " + token])
            #expect(scraped.status == .ok)
            #expect(scraped.body.string.contains("dvk_db_up"))
            let ready = try await app.testing().sendRequest(.GET, "/ready")
            #expect(ready.body.string == "ready\n")
        }
        try await withApp { app in
            let empty = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer "])
            #expect(empty.status == .notFound)
        }
        var problems: [String] = []
        #expect(MetricsAccess.fromEnvironment(["DVK_METRICS_ADDRESS": "off"], problems: &problems).host == nil)
        let custom = MetricsAccess.fromEnvironment(["DVK_METRICS_ADDRESS": "0.0.0.0:19464", "DVK_METRICS_TOKEN": "short"], problems: &problems)
        #expect(custom.host == "0.0.0.0" && custom.port == 19464 && custom.token == nil)
        #expect(problems.count == 1)
        _ = MetricsAccess.fromEnvironment(["DVK_METRICS_ADDRESS": "9464"], problems: &problems)
        #expect(problems.count == 2)
    }

    @Test func filesAreServedUnderANameDVKMakesOfTheirSniffedType() async throws {
        #expect(Attachment.storedName("Báo cáo tháng 6.html", type: "application/pdf") == "bao-cao-thang-6.pdf")
        #expect(Attachment.storedName("\u{202E}gpj.exe", type: "image/png") == "gpj.png")
        #expect(Attachment.storedName(".htaccess", type: "image/jpeg") == "htaccess.jpg")
        #expect(Attachment.storedName("", type: "image/jpeg") == "tep.jpg")
        try await withApp { app in
            let (_, id) = try await Self.published(app)
            _ = try await AuthStore.createUser(username: "s1file", password: "mat-khau-thu-nghiem", role: .officer, unitCode: "S1", at: Date(), on: app.db)
            let officer = try await Browser.signIn(app, "s1file")
            let page = "/campaigns/DVK-2024/units/S1/initiatives/\(id.uuidString)"
            // A PDF that is also an HTML page, named as a page, with a direction override.
            let polyglot = Data("%PDF-1.4\n<html><script>alert(1)</script></html>".utf8)
            let sent = try await officer.multipart(page + "/year/progress", fields: ["day": "30/06/2024", "text": "Tệp", "public": "on"],
                                                   file: ("files[]", "\u{202E}lmth.bao-cao.html", polyglot))
            #expect(sent.status == .seeOther)
            let row = try #require(try await app.db.sql().raw("SELECT id, name FROM model_files").first())
            let name = try row.decode(column: "name", as: String.self)
            #expect(name == "lmth-bao-cao.pdf")
            let file = try await app.testing().sendRequest(.GET, "/library/\(id.uuidString)/files/\(try row.decode(column: "id", as: UUID.self).uuidString)")
            #expect(file.headers.contentType?.description == "application/pdf")
            #expect(file.headers.first(name: .contentDisposition) == "attachment; filename=\"lmth-bao-cao.pdf\"")
            #expect(file.headers.first(name: "Content-Security-Policy")?.hasPrefix("sandbox") == true)
            #expect(file.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(!(try await officer.get(page)).body.string.contains("\u{202E}"))
        }
    }

    @Test func theFeedIsWellFormedWhateverIsStoredAndLinksNoHostItWasSent() async throws {
        try await withApp { app in
            let id = try await YearTests.shelve(app.db, title: "Mô hình\u{FFFF}\u{1} <x> & \u{FFFE}đẹp")
            let feed = try await app.testing().sendRequest(.GET, "/library/feed.atom", headers: ["Host": "evil.example"])
            #expect(!feed.body.string.contains("evil.example"))
            #expect(feed.body.string.contains("href=\"/library/\(id.uuidString)\""))
            let path = try tempFile(feed.body.string, suffix: ".xml")
            let parsed = try ExportTests().tool("/usr/bin/env", ["python3", "-c",
                "import sys,xml.etree.ElementTree as E; t=E.parse(sys.argv[1]); ns={'a':'http://www.w3.org/2005/Atom'}; print(t.find('a:entry/a:title',ns).text)", path])
            #expect(parsed == "Mô hình <x> & đẹp\n")
        }
        try await withApp({ $0.publicURL = "https://dvk.example.vn" }) { app in
            let id = try await YearTests.shelve(app.db, title: "Mô hình")
            let feed = try await app.testing().sendRequest(.GET, "/library/feed.atom")
            #expect(feed.body.string.contains("href=\"https://dvk.example.vn/library/\(id.uuidString)\""))
        }
    }

    @Test func anonymousBodiesAreSmallAndMultipartHasFewParts() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await People.create(app)
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 300_000)
            let anonymous = try await app.testing().sendRequest(.POST, "/campaigns/DVK-2024/units/S1/import",
                                                                headers: ["Content-Type": "multipart/form-data; boundary=x"], body: big)
            #expect(anonymous.status == .payloadTooLarge)
            let officer = try await Browser.signIn(app, "s1")
            var body = ""
            for i in 0..<40 { body += "--b\r\nContent-Disposition: form-data; name=\"f\(i)\"\r\n\r\nx\r\n" }
            body += "--b--\r\n"
            var headers = officer.headers
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=b")
            let many = try await app.testing().sendRequest(.POST, "/campaigns/DVK-2024/units/S1/import", headers: headers, body: ByteBuffer(string: body))
            #expect(many.status == .payloadTooLarge)
            #expect(many.body.string.contains("quá nhiều phần"))
            #expect(FormBodyMiddleware.parts(of: ByteBuffer(string: body), boundary: "b") == 40)
        }
    }
}
