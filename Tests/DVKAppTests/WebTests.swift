import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

@Suite struct WebTests {
    /// The escaping by bytes gives what escaping character by character gives, on text
    /// that mixes the five characters with Vietnamese, marks, emoji and controls.
    @Test func escapingByBytesIsEscapingByCharacters() {
        func reference(_ s: String) -> String {
            var out = ""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                case "'": out += "&#39;"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        // The bit mask names the five bytes and no other.
        for byte in UInt8.min...UInt8.max {
            #expect(HTMLEscape.isSpecial(byte) == "&<>\"'".utf8.contains(byte), "\(byte)")
        }
        for s in Self.texts(of: "&<>\"'aĐẫ́ 😀\u{0}\n;#x", longest: 16, seed: 7) {
            var out = "x"
            HTMLEscape.attribute(s, into: &out)
            #expect(out == "x" + reference(s), "\(s.debugDescription)")
            var page = PageWriter(capacity: 1)
            page.append("x")
            HTMLEscape.attribute(s, into: &page)
            #expect(page.withBytes { String(decoding: $0, as: UTF8.self) } == "x" + reference(s), "\(s.debugDescription)")
        }
    }

    /// The renderer's markup: a document type before `html`, attributes in their order, a
    /// class given twice joined, any other attribute's last value kept, boolean and void.
    @Test func theRendererWritesTheMarkupItIsGiven() {
        let page = Node.element("html", [.attribute("lang", "vi"), .element("body", [
            .element("p", [.attribute("class", "a"), .group([.attribute("class", "b <c>"), .attribute("id", "x")]), .attribute("id", "y"),
                           .text("Đ & ẫ́ 😀"), .voidElement("br", []), .voidElement("input", [.attribute("required", present: true),
                                                                                                .attribute("hidden", present: false)])]),
        ])]).render()
        #expect(page == "<!DOCTYPE html><html lang=\"vi\"><body><p class=\"a b &lt;c&gt;\" id=\"y\">Đ &amp; ẫ́ 😀<br><input required></p></body></html>")
        #expect(Node.element("div", [.text("<")]).render() == "<div>&lt;</div>")
        // Attributes all among the children, each once (written as they come), after content
        // or not; the same name twice among the children, with no group (gathered).
        #expect(Node.element("a", [.attribute("href", "/x?a=1&b"), .text("t"), .attribute("class", "c"), .group([.text("u"), .empty]),
                                   .attribute("hidden", present: true)]).render() == "<a href=\"/x?a=1&amp;b\" class=\"c\" hidden>tu</a>")
        #expect(Node.element("a", [.attribute("id", "1"), .attribute("class", "c"), .attribute("id", "2"), .attribute("class", "d")]).render()
                == "<a id=\"2\" class=\"c d\"></a>")
    }

    /// A trail's value of up to 240 characters (letters with their marks counted as one) is
    /// shown whole; a longer one folds under its first 160.
    @Test func aLongTrailValueFoldsAfter240Characters() {
        for (count, folds) in [(0, false), (1, false), (239, false), (240, false), (241, true), (5_000, true)] {
            let text = String(repeating: "ệ", count: count)
            let html = AuditHistory.value(text).render()
            #expect(html.contains("<details>") == folds, "\(count)")
            if count > 0 { #expect(html.contains(text)) }
        }
        #expect(AuditHistory.value(String(repeating: "e\u{302}\u{323}", count: 240)).render().contains("<details>") == false)
        // ASCII, where bytes and characters are one: 240 whole, 241 folded.
        #expect(AuditHistory.value(String(repeating: "a", count: 240)).render().contains("<details>") == false)
        #expect(AuditHistory.value(String(repeating: "a", count: 241)).render().contains("<details>"))
    }

    /// A link's values are percent-encoded by bytes exactly as Foundation encodes them.
    @Test func percentEncodingByBytesIsFoundations() {
        for s in Self.texts(of: "aZ09-._~!$&'()*+,=:@/;?#% \"<>[]{}|\\^`Đẫ́😀\u{0}\n", longest: 12, seed: 11) {
            #expect(SiteURL.encodeSegment(s) == s.addingPercentEncoding(withAllowedCharacters: SiteURL.segmentAllowed), "\(s.debugDescription)")
            #expect(Link.encode(s) == s.addingPercentEncoding(withAllowedCharacters: Link.unreserved), "\(s.debugDescription)")
            #expect(Link.mailto(s).value == "mailto:" + s.addingPercentEncoding(withAllowedCharacters: Link.unreserved.union(CharacterSet(charactersIn: "@.+-_")))!,
                    "\(s.debugDescription)")
        }
        #expect(SiteURL.encodeSegment("LB-GD THNL/1") == "LB-GD%20THNL%2F1")
    }

    /// A query's values read by `queryValue` are what a form sent, and what Vapor's own
    /// form decoder reads, for every text (encoded as a browser encodes it); the edges are
    /// said one by one.
    @Test func queryValuesAreWhatTheFormSent() async throws {
        let app = try await Application.make(.testing)
        func request(_ query: String) -> Request {
            Request(application: app, method: .GET, url: URI(string: "/x?" + query), on: app.eventLoopGroup.any())
        }
        for (n, s) in Self.texts(of: "aZ09-._~!$&'()*+,=:@/;?#% \"<>[]{}|\\^`Đẫ́😀\n", longest: 10, seed: 5).enumerated() where n % 10 == 0 {
            let encoded = Link.encode(s)
            let req = request("other=1&k=" + encoded + "&last=" + encoded)
            #expect(req.queryValue("k") == s, "\(s.debugDescription)")
            #expect(req.queryValue("k") == req.query[String.self, at: "k"], "\(s.debugDescription)")
            #expect(req.queryValue("last") == s)
        }
        let cases: [(String, String, String?)] = [
            ("unit=LB", "unit", "LB"), ("q=hoa+gi%E1%BA%A3i", "q", "hoa giải"), ("a=1&a=2", "a", "2"), ("flag&x=1", "flag", nil), ("flag&x=1", "x", "1"),
            ("x=a=b", "x", "a=b"), ("%75nit=C", "unit", "C"), ("unit=", "unit", ""), ("units=1", "unit", nil),
            ("x=1&&y=2", "y", "2"), ("", "x", nil), ("x=%2B", "x", "+"),
        ]
        for (query, key, value) in cases {
            #expect(request(query).queryValue(key) == value, "\(query) \(key)")
        }
        // Repeated and bare keys as Vapor's own decoder reads them.
        for query in ["a=1&a=2", "a=1&b=2&a=3", "a&b=1", "a", "a=&a=x", "b=1&a"] {
            #expect(request(query).queryValue("a") == request(query).query[String.self, at: "a"], "\(query)")
        }
        // Malformed percent-encoding is kept as typed by the URL's parser, as Vapor's decoder reads it.
        #expect(request("x=%ZZ").queryValue("x") == "%ZZ")
        #expect(request("x=%ZZ").query[String.self, at: "x"] == "%ZZ")
        #expect(request("page=3").queryInt("page") == 3)
        #expect(request("page=abc").queryInt("page") == nil)
        #expect(request("page=3.5").queryInt("page") == nil)
        #expect(Request(application: app, method: .GET, url: URI(string: "/x"), on: app.eventLoopGroup.any()).queryValue("x") == nil)
        try await app.asyncShutdown()
    }

    /// 20,000 texts of up to `longest` scalars drawn from `pool`, the same on every run.
    static func texts(of pool: String, longest: Int, seed: UInt64) -> [String] {
        let scalars = Array(pool.unicodeScalars)
        var state = seed
        return (0..<20_000).map { n in
            var text = String.UnicodeScalarView()
            for _ in 0..<(n % (longest + 1)) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(scalars[Int((state >> 33) % UInt64(scalars.count))])
            }
            return String(text)
        }
    }

    func setUp(_ app: Application) async throws {
        try await Fixture.load(app)
        try await People.create(app)
    }

    @Test func everyPageAnswersEachRoleByItsReach() async throws {
        try await withApp { app in
            try await setUp(app)
            let c = "/campaigns/DVK-2024"
            // path → expected status for admin, staff (LB), gdstaff (GD), s1 (officer S1), c1 (officer C1), viewer (HN)
            let matrix: [(String, [UInt])] = [
                ("/campaigns", [200, 200, 200, 200, 200, 200]),
                (c, [200, 200, 200, 303, 303, 200]),
                (c + "?status=pending&sort=name&page=2&q=truong", [200, 200, 200, 303, 303, 200]),
                (c + "/units/S1", [200, 200, 200, 200, 404, 200]),
                (c + "/units/C1", [200, 200, 404, 404, 200, 200]),
                (c + "/units/GD", [404, 404, 404, 404, 404, 404]),
                (c + "/units/OTHER", [404, 404, 404, 404, 404, 404]),
                (c + "/units/S1/initiatives/new", [200, 200, 200, 200, 404, 403]),
                (c + "/units/S1/submit", [200, 200, 200, 200, 404, 403]),
                (c + "/units/S1/import", [200, 200, 200, 200, 404, 403]),
                (c + "/units/S1/documents/summary.pdf", [200, 200, 200, 200, 404, 200]),
                (c + "/units/S1/documents/list.xlsx", [200, 200, 200, 200, 404, 200]),
                (c + "/units/LB/documents/summary.docx", [200, 200, 404, 404, 404, 200]),
                (c + "/units/LB/documents/report.pdf", [200, 200, 404, 404, 404, 200]),
                (c + "/units/LB/documents/letter.docx", [200, 200, 404, 404, 404, 200]),
                (c + "/units/GD/documents/summary-units.xlsx", [200, 200, 200, 404, 404, 200]),
                // The issuer's letter, for every unit of the campaign that may see it.
                (c + "/units/GD/documents/letter.pdf", [200, 200, 200, 404, 404, 200]),
                ("/campaigns/NOPE", [404, 404, 404, 404, 404, 404]),
            ]
            let users = ["admin", "staff", "gdstaff", "s1", "c1", "viewer"]
            var browsers: [Browser] = []
            for u in users { browsers.append(try await Browser.signIn(app, u)) }
            for (path, expected) in matrix {
                for (i, browser) in browsers.enumerated() {
                    let res = try await browser.get(path)
                    #expect(res.status.code == expected[i], "\(users[i]) GET \(path)")
                }
            }
            // Not signed in: every page sends to the login page.
            let anonymous = try await app.testing().sendRequest(.GET, c + "/units/S1")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location)?.hasPrefix("/login?next=") == true)
        }
    }

    @Test func formsChangeStateOnlyForThoseAllowedAndWithTheToken() async throws {
        try await withApp { app in
            try await setUp(app)
            let unit = "/campaigns/DVK-2024/units/S1"
            let form = ["kind": "individual", "registrantName": "Lê Thị Hoà", "sector": "kinh-te", "title": "Lớp học số"]
            let viewer = try await Browser.signIn(app, "viewer")
            #expect(try await viewer.post(unit + "/initiatives/new", form).status == .forbidden)
            let c1 = try await Browser.signIn(app, "c1")
            #expect(try await c1.post(unit + "/initiatives/new", form).status == .notFound)
            let s1 = try await Browser.signIn(app, "s1")
            // With no model yet, the confirmation page says what to do and offers no button.
            let empty = try await s1.get(unit + "/submit").body.string
            #expect(empty.contains("Đơn vị chưa có mô hình nào nên chưa nộp hồ sơ đăng ký được."))
            #expect(!empty.contains("action=\"\(unit)/submit\"") && !empty.contains("nộp 0 mô hình"))
            let noToken = try await s1.post(unit + "/initiatives/new", form, csrf: false)
            #expect(noToken.status == .forbidden)
            #expect(noToken.body.string.contains("Phiên làm việc đã hết hạn"))
            #expect(try await Initiative.query(on: app.db).count() == 0)

            // A form sent after the session ended: back to the login page, which says so,
            // and from there to the page the form was on.
            let other = try await Browser.signIn(app, "s1")
            try await (app.db as! any SQLDatabase).raw("DELETE FROM sessions WHERE token_hash = \(bind: Tokens.hash(other.cookie))").run()
            var expired = other.headers
            expired.add(name: .referer, value: "http://localhost" + unit + "?tab=x")
            expired.contentType = .urlEncodedForm
            var fields = form
            fields["_csrf"] = other.csrf
            let late = try await app.testing().sendRequest(.POST, unit + "/initiatives/new", headers: expired,
                                                            body: ByteBuffer(string: try URLEncodedFormEncoder().encode(fields)))
            #expect(late.status == .seeOther)
            let login = late.headers.first(name: .location) ?? ""
            #expect(login.hasPrefix("/login?next=") && login.removingPercentEncoding?.hasSuffix(unit + "?tab=x") == true, "\(login)")
            #expect(try await other.get(login).body.string.contains("Phiên làm việc đã hết hạn"))
            #expect(try await Initiative.query(on: app.db).count() == 0)

            let created = try await s1.post(unit + "/initiatives/new", form)
            #expect(created.status == .seeOther)
            #expect(try await Initiative.query(on: app.db).count() == 1)
            let page = try await s1.get(unit)
            #expect(page.body.string.contains("Lớp học số"))
            #expect(page.body.string.contains("Đang soạn"))

            // An officer cannot review; a viewer cannot submit.
            #expect(try await s1.post(unit + "/review", ["decision": "accept"]).status == .forbidden)
            #expect(try await viewer.post(unit + "/submit").status == .forbidden)
            #expect(try await s1.post(unit + "/submit").status == .seeOther)
            let staff = try await Browser.signIn(app, "staff")
            #expect(try await staff.post(unit + "/review", ["decision": "return", "reason": ""]).status == .unprocessableEntity)
            #expect(try await staff.post(unit + "/review", ["decision": "return", "reason": "Thiếu kết quả dự kiến"]).status == .seeOther)
            let returned = try await s1.get(unit)
            #expect(returned.body.string.contains("Thiếu kết quả dự kiến"))
            #expect(returned.body.string.contains("Đã trả lại"))
        }
    }

    /// The officer sees what the campaign asks at the top of her page, and downloads the
    /// issuer's letter through her own unit.
    @Test func theOfficerReadsWhatIsAskedAndDownloadsTheLetter() async throws {
        try await withApp { app in
            try await setUp(app)
            let s1 = try await Browser.signIn(app, "s1")
            let page = try await s1.get("/campaigns/DVK-2024/units/S1").body.string
            for part in ["Đợt thi đua này yêu cầu gì", "Công văn số 26/LĐLĐ ngày 06/02/2024 của Liên đoàn Lao động quận Long Biên",
                         "Lĩnh vực kinh tế; Lĩnh vực văn hóa – xã hội", "Mỗi mô hình đăng ký gồm: </strong>tên mô hình",
                         "Sau hạn, đợt vẫn nhận hồ sơ và ghi rõ là nộp sau hạn.",
                         "Cần hỏi thêm: </strong>Công đoàn ngành Giáo dục quận Long Biên",
                         "/campaigns/DVK-2024/units/S1/documents/letter.pdf"] {
                #expect(page.contains(part), "\(part)")
            }
            let letter = try await s1.get("/campaigns/DVK-2024/units/S1/documents/letter.pdf")
            #expect(letter.status == .ok && letter.headers.contentType?.description == "application/pdf")
            let pdf = try tempFile("", suffix: ".pdf")
            try Data(letter.body.readableBytesView).write(to: URL(fileURLWithPath: pdf))
            let text = VietnameseText.clean(try ExportTests().tool("/usr/bin/pdftotext", ["-raw", pdf, "-"]))
            // The issuer's letter: its number and its issuer, not the school's.
            #expect(text.contains("26/LĐLĐ") && text.contains("LONG BIÊN"), "\(text.prefix(400))")
            #expect(!text.contains("TRƯỜNG TIỂU HỌC NGỌC LÂM"))
        }
    }

    /// The review queue and the mail log, searched by a unit's name without diacritics (or,
    /// in the log, its address): the one unit asked for, the other left out, the count said.
    @Test func theQueueAndTheMailLogAreSearchedWithoutDiacritics() async throws {
        try await withApp { app in
            try await setUp(app)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            for code in ["S1", "C1"] {
                let unit = try await UnitDirectory.find(code: code, on: app.db).requireID()
                try await RegistrationStore.save(InitiativeDraft(kind: .collective, registrantName: "Tổ \(code)", sectorCode: "kinh-te",
                                                                 title: "Mô hình của \(code)"),
                                                 campaign: campaign, unitID: unit, actor: "s1", at: Date(), on: app.db)
                try await RegistrationStore.perform(.submit, campaign: campaign, unitID: unit, actor: "s1", at: Date(), on: app.db)
                _ = try await Outbox.enqueue([OutboxDraft(kind: .reminder, campaignID: campaign.id, unitID: unit,
                                                          toAddress: "\(code.lowercased())@truong.vn", toName: code)], at: Date(), on: app.db)
            }
            let staff = try await Browser.signIn(app, "staff")
            let queue = try await staff.get("/campaigns/DVK-2024/queue?q=may+duc+giang").body.string
            #expect(queue.contains("Công ty Cổ phần May Đức Giang") && !queue.contains("Trường Tiểu học Ngọc Lâm"))
            #expect(queue.contains("Tìm “may duc giang”: 1 đơn vị chờ duyệt."))
            let none = try await staff.get("/campaigns/DVK-2024/queue?q=%25").body.string
            #expect(none.contains("Công ty Cổ phần May Đức Giang") && none.contains("Trường Tiểu học Ngọc Lâm"), "a LIKE wildcard is no search")
            let log = try await staff.get("/campaigns/DVK-2024/mail?q=ngoc+lam").body.string
            #expect(log.contains("s1@truong.vn") && !log.contains("c1@truong.vn"))
            let byAddress = try await staff.get("/campaigns/DVK-2024/mail?q=c1%40truong").body.string
            #expect(byAddress.contains("c1@truong.vn") && !byAddress.contains("s1@truong.vn"))
        }
    }

    /// The return loop from both sides: the officer edits with the reason and the model's
    /// comment in view; the history names what changed; the reviewer sees each changed model
    /// and its fields; a new return starts the list afresh.
    @Test func theReturnLoopShowsWhatWasAskedAndWhatChanged() async throws {
        try await withApp { app in
            try await setUp(app)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let s1 = try await UnitDirectory.find(code: "S1", on: app.db).requireID()
            var first = InitiativeDraft(kind: .collective, registrantName: "Tổ Văn phòng", sectorCode: "kinh-te", title: "Sổ tay tiết kiệm",
                                        expectedResult: "Giảm 10% điện")
            let id = try await RegistrationStore.save(first, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db).id
            let other = InitiativeDraft(kind: .individual, registrantName: "Lê An", sectorCode: "kinh-te", title: "Góc đọc sách")
            let otherID = try await RegistrationStore.save(other, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db).id
            try await RegistrationStore.perform(.submit, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: campaign, unitID: s1, actor: "staff",
                                                reason: "Bổ sung thời gian thực hiện", comments: [id: "Ghi rõ ngày bắt đầu"], at: Date(), on: app.db)

            let officer = try await Browser.signIn(app, "s1")
            let form = try await officer.get("/campaigns/DVK-2024/units/S1/initiatives/\(id.uuidString)/edit").body.string
            #expect(form.contains("Hồ sơ được trả lại để bổ sung.") && form.contains("Lý do: Bổ sung thời gian thực hiện"))
            #expect(form.contains("Góp ý cho mô hình này: </strong>Ghi rõ ngày bắt đầu"))

            first.startDate = CalendarDay(year: 2024, month: 3, day: 1)
            first.expectedResult = "Giảm 15% điện"
            try await RegistrationStore.save(first, id: id, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            try await RegistrationStore.save(other, id: otherID, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            try await RegistrationStore.save(InitiativeDraft(kind: .collective, registrantName: "Tổ Bảo vệ", sectorCode: "kinh-te", title: "Ca trực an toàn"),
                                             campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)
            try await RegistrationStore.perform(.submit, campaign: campaign, unitID: s1, actor: "s1", at: Date(), on: app.db)

            let staff = try await Browser.signIn(app, "staff")
            let page = try await staff.get("/campaigns/DVK-2024/units/S1").body.string
            // The submission's history, oldest first, the return with its reason.
            let history = page.components(separatedBy: "<ul class=\"history\">").dropFirst().first?.components(separatedBy: "</ul>").first ?? ""
            let stored = try await SubmissionEvent.query(on: app.db).sort(\.$at).all()
            #expect(stored.count >= 4 && history.components(separatedBy: "<li>").count - 1 == stored.count)
            let returned = try #require(stored.firstIndex { $0.action == .`return` })
            #expect(history.range(of: "Bổ sung thời gian thực hiện").map { history[..<$0.lowerBound].components(separatedBy: "<li>").count - 1 } == returned + 1)
            // Each step names its user with their unit; a name DVK does not know, as recorded.
            #expect(history.contains("<li>staff (Liên đoàn Lao động quận Long Biên) ") && history.contains("<li>s1 ("))
            #expect(history.components(separatedBy: "<li>staff ").count == history.components(separatedBy: "<li>staff (Liên đoàn Lao động quận Long Biên) ").count)
            try await app.db.sql().raw("UPDATE submission_events SET actor = 'dvk-cli' WHERE action = 'submit'").run()
            try await app.db.sql().raw("UPDATE submission_events SET actor = 'kịch bản cũ' WHERE action = 'return'").run()
            let relabelled = try await staff.get("/campaigns/DVK-2024/units/S1").body.string
            #expect(relabelled.contains("<li>Quản trị hệ thống (dòng lệnh) ") && relabelled.contains("<li>kịch bản cũ "))
            // Whom the unit asks: the federation above, with its contacts when it has them.
            let own = try await officer.get("/campaigns/DVK-2024/units/S1").body.string
            #expect(own.contains("Cần hỏi thêm: </strong>Công đoàn ngành Giáo dục quận Long Biên."))
            let c1 = try await Browser.signIn(app, "c1")
            #expect(try await c1.get("/campaigns/DVK-2024/units/C1").body.string
                .contains("Cần hỏi thêm: </strong>Liên đoàn Lao động quận Long Biên — email <a href=\"mailto:lb@example.vn\">lb@example.vn</a>"))
            #expect(page.contains("Sửa “Sổ tay tiết kiệm”: Thời gian thực hiện, Kết quả dự kiến"))
            #expect(page.contains("Thêm mô hình “Ca trực an toàn”"))
            #expect(page.contains("Đã sửa sau khi trả lại</span> Thời gian thực hiện, Kết quả dự kiến"))
            #expect(page.contains("Đã sửa sau khi trả lại</span> Mô hình mới thêm"))
            // Saved unchanged: nothing said of it.
            #expect(page.components(separatedBy: "Đã sửa sau khi trả lại").count == 3)
            #expect(!page.contains("Sửa “Góc đọc sách”"))
            // Accepted: the marks are gone.
            try await RegistrationStore.perform(.accept, campaign: campaign, unitID: s1, actor: "staff", at: Date(), on: app.db)
            #expect(!(try await staff.get("/campaigns/DVK-2024/units/S1").body.string.contains("Đã sửa sau khi trả lại")))
            #expect(try await Initiative.query(on: app.db).filter(\.$changedFields != "").count() == 0)
        }
    }

    @Test func anInvalidFormIsShownAgainWithTheInputAndAVietnameseMessage() async throws {
        try await withApp { app in
            try await setUp(app)
            let s1 = try await Browser.signIn(app, "s1")
            let res = try await s1.post("/campaigns/DVK-2024/units/S1/initiatives/new",
                                        ["kind": "collective", "registrantName": "Tổ Văn phòng", "sector": "kinh-te", "title": "",
                                         "startDate": "2024-05-01", "endDate": "2024-03-01", "purpose": "Giữ nguyên nội dung này"])
            #expect(res.status == .unprocessableEntity)
            #expect(res.body.string.contains("Thiếu tên mô hình."))
            #expect(res.body.string.contains("Ngày kết thúc (01/03/2024) trước ngày bắt đầu (01/05/2024)."))
            // Each refused field says so to assistive technology, with its message under it.
            #expect(res.body.string.contains("id=\"title\" name=\"title\" value=\"\" required aria-required=\"true\" aria-invalid=\"true\" aria-describedby=\"title-error\""))
            #expect(res.body.string.contains("Tổ Văn phòng"))
            #expect(res.body.string.contains("Giữ nguyên nội dung này"))
            #expect(try await Initiative.query(on: app.db).count() == 0)
        }
    }

    @Test func uploadNamesBadLinesAndWritesNothingThenAddsDrafts() async throws {
        try await withApp { app in
            try await setUp(app)
            let s1 = try await Browser.signIn(app, "s1")
            let path = "/campaigns/DVK-2024/units/S1/import"
            let bad = "unit_code,registrant_kind,registrant_name,sector,title\nS1,tập thể,Tổ 1,kinh tế,A\nS1,nhóm,Tổ 2,kinh tế,B\nC1,cá nhân,An,kinh tế,C\n"
            let refused = try await s1.upload(path, file: bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Dòng 3"))
            #expect(refused.body.string.contains("Dòng 4"))
            #expect(try await Initiative.query(on: app.db).count() == 0)
            let good = "unit_code,registrant_kind,registrant_name,sector,title\nS1,tập thể,Tổ 1,kinh tế,A\nS1,cá nhân,An,Văn hoá – xã hội,B\n"
            #expect(try await s1.upload(path, file: good).status == .seeOther)
            #expect(try await Initiative.query(on: app.db).count() == 2)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let s1ID = try await UnitDirectory.find(code: "S1", on: app.db).id!
            #expect(try await SubmissionRow.find(campaignID: campaign.id, unitID: s1ID, on: app.db)?.status == .draft)
        }
    }

    @Test func dashboardCountsAndFiltersTheScope() async throws {
        try await withApp { app in
            try await setUp(app)
            try await run(app, "import", "initiatives", try tempFile(CLITests.initiativesCSV), "--campaign", "DVK-2024")
            let staff = try await Browser.signIn(app, "staff")
            let page = try await staff.get("/campaigns/DVK-2024").body.string
            #expect(page.contains("trên 4 đơn vị phải nộp"))
            #expect(page.contains("<b>4</b><span>Đã nộp</span>"))
            // S2 at 17/02 08:00 and the two rows without submitted_at (imported now) are late.
            #expect(page.contains("<b>3</b><span>Nộp muộn</span>"))
            #expect(page.contains("<b>1</b><span>Đúng hạn</span>"))
            // Each card opens the table filtered by it, at the table.
            #expect(page.contains("href=\"/campaigns/DVK-2024?status=late#cac-don-vi\""))
            #expect(page.contains("<svg class=\"chart\""))
            // Each unit's counted models, distinct collectives and individuals (DESIGN.md §6:
            // S1's "Ban Chấp hành CĐCS" twice and "Thuỷ"/"Thủy" are one each), on the page the
            // dashboard opens on and on a filtered one (the table's two statements).
            func numbers(_ page: String, _ code: String) async throws -> [String] {
                let name = try await UnitDirectory.find(code: code, on: app.db).name
                guard let row = page.components(separatedBy: "<tr>").first(where: { $0.contains(">\(name)</a>") }) else { return [] }
                return ["Mô hình", "Tập thể", "Cá nhân"].map { label in
                    row.components(separatedBy: "data-label=\"\(label)\">").dropFirst().first?.components(separatedBy: "</td>").first ?? "?"
                }
            }
            let submitted = try await staff.get("/campaigns/DVK-2024?status=submitted").body.string
            for shown in [page, submitted] {
                #expect(try await numbers(shown, "S1") == ["4", "1", "1"])
                #expect(try await numbers(shown, "S2") == ["1", "0", "1"])
                #expect(try await numbers(shown, "P1") == ["1", "1", "0"])
            }
            let late = try await staff.get("/campaigns/DVK-2024?status=late").body.string
            #expect(late.contains("Trường THCS Gia Thụy"))
            #expect(!late.contains("Trường Tiểu học Ngọc Lâm</a>"))
            let search = try await staff.get("/campaigns/DVK-2024?q=ngoc%20lam").body.string
            #expect(search.contains("Trường Tiểu học Ngọc Lâm</a>"))
            #expect(search.contains("1 đơn vị · trang 1/1"))
            // The education union's staff sees only its two schools.
            let gd = try await Browser.signIn(app, "gdstaff")
            let gdPage = try await gd.get("/campaigns/DVK-2024").body.string
            #expect(gdPage.contains("trên 2 đơn vị phải nộp"))
            #expect(!gdPage.contains("Công ty Cổ phần May Đức Giang"))
        }
    }

    @Test func pagesCarrySecurityHeadersAndLoginNeverRedirectsOffSite() async throws {
        try await withApp { app in
            try await setUp(app)
            let page = try await app.testing().sendRequest(.GET, "/login")
            #expect(page.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            let cookie = try #require(page.headers.setCookie?[CSRFMiddleware.anonymousCookie]?.string)
            #expect(page.headers.first(name: "set-cookie")?.contains("HttpOnly") == true)
            for next in ["//evil.example", "/\\evil.example", "https://evil.example"] {
                let body = "_csrf=\(cookie)&username=s1&password=mat-khau-thu-nghiem&next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                let res = try await app.testing().sendRequest(.POST, "/login", headers: ["Cookie": "\(CSRFMiddleware.anonymousCookie)=\(cookie)",
                                                                                       "Content-Type": "application/x-www-form-urlencoded"],
                                                             body: ByteBuffer(string: body))
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/", "\(next)")
                #expect(res.headers.first(name: "set-cookie")?.contains("SameSite=Lax") == true)
            }
            // Without the login form's token nothing happens.
            let forged = try await app.testing().sendRequest(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                                            body: ByteBuffer(string: "username=s1&password=mat-khau-thu-nghiem"))
            #expect(forged.status == .forbidden)
        }
    }

    @Test func loginIsThrottledPerAccount() async throws {
        try await withApp { app in
            try await setUp(app)
            for _ in 0..<AuthStore.attempts {
                await #expect(throws: AuthError.badCredentials) {
                    _ = try await AuthStore.login(username: "s1", password: "wrong", address: "10.0.0.1", now: Date(), policy: SessionPolicy(),
                                                  verify: { try Bcrypt.verify($0, created: $1) }, on: app.db)
                }
            }
            do {
                _ = try await Browser.signIn(app, "s1", address: "10.0.0.1")
                Issue.record("a locked account signed in")
            } catch let AuthError.throttled(until) {
                #expect(until > Date())
            }
            // The lock is on the account from that address: the same account from elsewhere,
            // and another account from the same address, still sign in.
            _ = try await Browser.signIn(app, "s1", address: "10.0.0.2")
            _ = try await Browser.signIn(app, "c1", address: "10.0.0.1")
        }
    }
}
