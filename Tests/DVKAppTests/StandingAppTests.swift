import DVKCore
import DVKDocuments
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// One truth for where a unit stands: the API's list and unit, the dashboard and the report
/// say the same about lateness, through returns and resubmissions; the clerk's queue and
/// per-initiative comments work.
@Suite struct StandingAppTests {
    static let deadline = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))
    static func day(_ d: Int, _ hour: Int = 9) -> Date { VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: d), hour: hour) }

    struct World {
        var app: Application
        var campaign: CampaignInfo
        var token: String
        var staff: Visitor

        func unitID(_ code: String) async throws -> UUID { try await UnitDirectory.find(code: code, on: app.db).requireID() }

        func register(_ code: String, at: Date) async throws {
            let draft = InitiativeDraft(kind: .collective, registrantName: "Tổ \(code)", sectorCode: "kinh-te", title: "Mô hình của \(code)")
            try await RegistrationStore.save(draft, campaign: campaign, unitID: try await unitID(code), actor: "t", at: at, on: app.db)
        }

        func step(_ step: RegistrationStore.Step, _ code: String, at: Date, reason: String = "") async throws {
            try await RegistrationStore.perform(step, campaign: campaign, unitID: try await unitID(code), actor: "t", reason: reason,
                                                at: at, on: app.db)
        }

        func apiRow(_ code: String) async throws -> JSONValue? {
            try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units", as: .token(token)).json?.array?
                .first { $0["code"]?.string == code }
        }
    }

    static func world(_ app: Application) async throws -> World {
        try await Fixture.load(app)
        let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
        let token = try await APIFixture.token(app, "lan", .staff, unit: "LB")
        let staff = try await StaffTestKit.visitor(app, "canbo", .staff, at: "LB")
        return World(app: app, campaign: campaign, token: token, staff: staff)
    }

    static func described(_ l: Standings.Line) -> String {
        "\(l.code)|\(l.name)|\(l.parentCode ?? "-")|\(l.parentName)|\(l.pre)|\(l.standing.phase)|\(l.standing.isLate)|\(l.row?.version ?? -1)|\(l.initiatives)"
    }

    /// The dashboard's opening pages (every unit, the tree's order: a prepared statement) are
    /// the whole list cut into pages, as the filtered and sorted pages (built per request) are.
    @Test func pagesInTheTreesOrderAreTheWholeListCut() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            try await w.register("S1", at: Self.day(10))
            try await w.step(.submit, "S1", at: Self.day(11))
            for code in ["LB", "GD"] {
                let scope = try await CampaignStore.snapshotUnit(campaignID: w.campaign.id, code: code, on: app.db).snapshot
                let whole = try await Standings.lines(w.campaign, scope: scope, on: app.db)
                #expect(whole.lines.count >= 2, "\(code) has units to page through")
                // A line's counted numbers are its unit's maintained counts, read apart.
                let tallies = try await SummaryQuery.perUnit(w.campaign, unit: scope, on: app.db)
                #expect(tallies.values.contains { !$0.isZero }, "\(code) has a unit whose models count")
                // The models by sector: the sector "" row holds the distinct registrants, and
                // 0 in its initiative columns, which the statements sum with the rest.
                func counted(_ unitID: UUID) -> String {
                    let t = tallies[unitID] ?? UnitTally()
                    let models = t.bySector.values.reduce(0) { $0 + $1.collectiveInitiatives + $1.individualInitiatives }
                    return "\(models)|\(t.distinct.collectives)|\(t.distinct.individuals)"
                }
                #expect(whole.lines.map(\.unitID) == whole.lines.sorted { $0.pre < $1.pre }.map(\.unitID))
                for (filter, order) in [(Standings.Filter.all, Standings.Order.tree), (.all, .name), (.pending, .tree)] { for size in [1, 3] {
                    let expected = try await Standings.lines(w.campaign, scope: scope, filter: filter, order: order, on: app.db)
                    var paged: [UUID] = []
                    var lines: [String] = []
                    var offset = 0
                    while true {
                        let page = try await Standings.lines(w.campaign, scope: scope, filter: filter, order: order, limit: size, offset: offset, on: app.db)
                        #expect(page.total == expected.lines.count, "\(code) \(filter) \(order)")
                        if page.lines.isEmpty { break }
                        #expect(page.lines.count <= size)
                        // A page's lines carry the counted numbers; the whole list's do not.
                        #expect(page.lines.allSatisfy { $0.counted != nil })
                        for line in page.lines {
                            let c = line.counted
                            #expect("\(c?.initiatives ?? -1)|\(c?.collectives ?? -1)|\(c?.individuals ?? -1)" == counted(line.unitID), "\(line.code)")
                        }
                        paged += page.lines.map(\.unitID)
                        lines += page.lines.map(Self.described)
                        offset += size
                    }
                    #expect(paged == expected.lines.map(\.unitID), "\(code) \(filter) \(order) by \(size)")
                    // Every line as the whole list reads it: code, names, parent, standing, models.
                    #expect(lines == expected.lines.map(Self.described), "\(code) \(filter) \(order) by \(size)")
                } }
            }
        }
    }

    @Test func onTimeReturnedAfterTheDeadlineAndResubmittedLaterIsNotLateAnywhere() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            try await w.register("S1", at: Self.day(12))
            try await w.step(.submit, "S1", at: Self.day(13))
            try await w.step(.return(resubmitBy: nil), "S1", at: Self.day(17), reason: "Bổ sung kết quả dự kiến")
            try await w.step(.submit, "S1", at: Self.day(20))

            let row = try #require(try await w.apiRow("S1"))
            #expect(row["late"]?.bool == false && row["status"]?.string == "resubmitted" && row["phase"]?.string == "waiting_review")
            #expect(row["firstSubmittedAt"]?.string == "2024-02-13T09:00:00+07:00")
            let unit = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/S1", as: .token(w.token))
            #expect(unit.json?["late"]?.bool == false)

            let dashboard = try await w.staff.get("/campaigns/DVK-2024").body.string
            #expect(dashboard.contains("<b>1</b><span>Đúng hạn</span>") && dashboard.contains("<b>0</b><span>Nộp muộn</span>"))
            let page = try await w.staff.get("/campaigns/DVK-2024/units/S1").body.string
            #expect(page.contains("Nộp lần đầu lúc 09:00 ngày 13/02/2024 — đúng hạn"))
            #expect(!page.contains("nộp muộn"))

            let report = try await CampaignDocuments.build(.report, campaign: w.campaign,
                                                           unit: try await CampaignStore.snapshotUnit(campaignID: w.campaign.id, code: "LB", on: app.db).snapshot,
                                                           options: .init(now: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 21)), showNationalMotto: true),
                                                           on: app.db)
            let pdf = try tempFile("", suffix: ".pdf")
            try OfficialDocuments.render(report, as: .pdf).write(to: URL(fileURLWithPath: pdf))
            let text = try ExportTests().tool("/usr/bin/pdftotext", ["-raw", pdf, "-"])
            #expect(VietnameseText.clean(text).contains("đã nộp hồ sơ đăng ký: 1 đơn vị (đều đúng hạn)"))
        }
    }

    @Test func lateOnceStaysLateThroughReturnAndResubmission() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            try await w.register("S1", at: Self.day(12))
            try await w.step(.submit, "S1", at: Self.day(17))
            try await w.step(.return(resubmitBy: nil), "S1", at: Self.day(18), reason: "Sửa tên mô hình")
            // Returned, it still is late, in the list and on the pages alike.
            #expect(try await w.apiRow("S1")?["late"]?.bool == true)
            #expect(try await w.staff.get("/campaigns/DVK-2024/units/S1").body.string.contains("Đã trả lại<span class=\"late\"> · nộp muộn</span>"))
            try await w.step(.submit, "S1", at: Self.day(19))
            #expect(try await w.apiRow("S1")?["late"]?.bool == true)
            let dashboard = try await w.staff.get("/campaigns/DVK-2024").body.string
            #expect(dashboard.contains("<b>1</b><span>Nộp muộn</span>"))
            let late = try await w.staff.get("/campaigns/DVK-2024?status=late").body.string
            #expect(late.contains("Trường Tiểu học Ngọc Lâm</a>"))
        }
    }

    @Test func aResubmissionAfterTheReviewersDateIsResubmittedLate() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            try await w.register("S1", at: Self.day(12))
            try await w.step(.submit, "S1", at: Self.day(13))
            // Through the page, today: a return with a comment on the initiative and a day to
            // resubmit by (tomorrow), then the resubmission three days on.
            let initiative = try #require(try await Initiative.query(on: app.db).first()?.id)
            let version = try #require(try await SubmissionRow.find(campaignID: w.campaign.id, unitID: try await w.unitID("S1"), on: app.db)).version
            let tomorrow = VietnamTime.day(of: Date().addingTimeInterval(86_400))
            let returned = try await w.staff.post("/campaigns/DVK-2024/units/S1/review", [
                "decision": "return", "reason": "Cần bổ sung", "resubmit_by": tomorrow.vietnamese, "version": String(version),
                "comment-\(initiative.uuidString)": "Ghi rõ số người tham gia",
            ])
            #expect(returned.status == .seeOther)
            let officer = try await StaffTestKit.visitor(app, "hoa", .officer, at: "S1")
            let seen = try await officer.get("/campaigns/DVK-2024/units/S1").body.string
            #expect(seen.contains("Góp ý của công đoàn cấp trên: </strong><span class=\"reason-text\">Ghi rõ số người tham gia</span>"))
            #expect(seen.contains("Đề nghị nộp lại đến hết ngày \(tomorrow.vietnamese)."))
            try await w.step(.submit, "S1", at: Date().addingTimeInterval(3 * 86_400))

            let row = try #require(try await w.apiRow("S1"))
            #expect(row["late"]?.bool == false && row["resubmittedLate"]?.bool == true)
            let dashboard = try await w.staff.get("/campaigns/DVK-2024").body.string
            #expect(dashboard.contains("<b>1</b><span>Nộp lại muộn</span>"))
            let history = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/S1", as: .token(w.token)).json?["history"]?.array ?? []
            #expect(history.contains { $0["action"]?.string == "submit" && $0["note"]?.string?.contains("Nộp lại muộn") == true })
            #expect(history.contains { $0["action"]?.string == "return" && $0["note"]?.string?.contains("Góp ý cho 1 mô hình") == true })
            // The API shows the comment beside its initiative while it stands.
            let list = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/S1/initiatives", as: .token(w.token)).json?.array
            #expect(list?.first?["reviewComment"]?.string == "Ghi rõ số người tham gia")
        }
    }

    @Test func theQueueIsOldestFirstAndTheReviewerMovesOnToTheNextUnit() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            for (code, day) in [("C1", 14), ("S1", 12), ("P1", 13)] {
                try await w.register(code, at: Self.day(10))
                try await w.step(.submit, code, at: Self.day(day))
            }
            let queue = try await w.staff.get("/campaigns/DVK-2024/queue").body.string
            let order = ["Trường Tiểu học Ngọc Lâm", "Cơ quan UBND phường Bồ Đề", "Công ty Cổ phần May Đức Giang"]
                .map { queue.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order[0]! < order[1]! && order[1]! < order[2]!)

            let s1 = try await w.staff.get("/campaigns/DVK-2024/units/S1").body.string
            // The review bar comes before the initiatives, with every field readable.
            let bar = try #require(s1.range(of: "Xét duyệt hồ sơ")?.lowerBound)
            let models = try #require(s1.range(of: "Mô hình đã đăng ký")?.lowerBound)
            #expect(bar < models)
            #expect(s1.contains("Xem toàn bộ nội dung") && s1.contains("Người phụ trách"))
            let version = try #require(try await SubmissionRow.find(campaignID: w.campaign.id, unitID: try await w.unitID("S1"), on: app.db)).version
            let next = try await w.staff.post("/campaigns/DVK-2024/units/S1/review", ["decision": "accept", "next": "1", "version": String(version)])
            #expect(next.headers.first(name: .location) == "/campaigns/DVK-2024/units/P1")
            // A stale page's decision changes nothing.
            let stale = try await w.staff.post("/campaigns/DVK-2024/units/S1/review", ["decision": "return", "reason": "x", "version": String(version)])
            #expect(stale.status == .conflict)
            #expect(try await w.apiRow("S1")?["status"]?.string == "accepted")
        }
    }

    @Test func extensionsAreBoundedAndKeptInTheHistory() async throws {
        try await withApp { app in
            let w = try await Self.world(app)
            let tooLate = try await w.staff.post("/campaigns/DVK-2024/units/S1/extension", ["date": "10/03/2025"])
            #expect(tooLate.status == .unprocessableEntity)
            #expect(tooLate.body.string.contains("hết năm của đợt thi đua"))
            let early = try await w.staff.post("/campaigns/DVK-2024/units/S1/extension", ["date": "01/02/2024"])
            #expect(early.status == .unprocessableEntity)
            let ok = try await w.staff.post("/campaigns/DVK-2024/units/S1/extension", ["date": "20/02/2024"])
            #expect(ok.status == .seeOther)
            let unit = try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/S1", as: .token(w.token))
            #expect(unit.json?["deadline"]?.string == "2024-02-21T00:00:00+07:00")
            let history = unit.json?["history"]?.array ?? []
            #expect(history.count == 1 && history[0]["action"]?.string == "extend" && history[0]["actor"]?.string == "canbo")
            #expect(history[0]["note"]?.string == "Gia hạn nộp đến hết ngày 20/02/2024")
            // The API grants them too, and takes them back.
            let back = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/extension", as: .token(w.token), json: #"{"until": null}"#)
            #expect(back.status == .ok && back.json?["extendedUntil"] == .null)
        }
    }
}

@Suite struct HistoryWordsTests {
    @Test func theHistorySaysWhoDidWhatAndWhenInWords() async throws {
        try await withApp { app in
            let scene = try await RaceTests.scene(app)
            let people = try await StaffTestKit.people(app)
            try await RegistrationStore.perform(.submit, campaign: scene.campaign, unitID: scene.s1, actor: "cdcs-s1",
                                                at: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 13), hour: 9, minute: 12), on: app.db)
            try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: scene.campaign, unitID: scene.s1, actor: "a-script",
                                                reason: "Bổ sung kết quả", at: Date(), on: app.db)
            let page = try await people.staff.get("/campaigns/DVK-2024/units/S1").text
            #expect(page.contains("cdcs-s1 (Trường Tiểu học Ngọc Lâm) nộp hồ sơ đăng ký lúc 09:12 ngày 13/02/2024."))
            #expect(page.contains("a-script trả lại hồ sơ để chỉnh sửa, bổ sung lúc"))
        }
    }
}
