import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// What a unit sees and can do before, at and after its deadline, with the app's clock
/// pinned and moved: the countdown, an on-time submit, a submit one second late, the
/// reminder schedule's days, a deadline that passes while a form is open; and the days a
/// reviewer types, said back as typed.
@Suite struct ClockTests {
    /// The fixture's campaign: "trước ngày 16/02/2024", so 15/02 is the last day.
    static let deadline = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))

    struct World {
        var app: Application
        var hand: AppClock.Hand
        var campaign: CampaignInfo
        var officer: Visitor
        var staff: Visitor
        var token: String

        func register(_ code: String) async throws {
            let draft = InitiativeDraft(kind: .collective, registrantName: "Tổ \(code)", sectorCode: "kinh-te", title: "Mô hình của \(code)")
            let unit = try await UnitDirectory.find(code: code, on: app.db).requireID()
            try await RegistrationStore.save(draft, campaign: campaign, unitID: unit, actor: "t", at: hand.now, on: app.db)
        }

        func apiUnit(_ code: String) async throws -> JSONValue? {
            try await api(app, .GET, "/api/v1/campaigns/DVK-2024/units/\(code)", as: .token(token)).json
        }

        /// The version a page's forms carry, as a browser would send it back.
        func pageVersion(_ html: String) throws -> String {
            let marker = #"name="version" value=""#
            guard let start = html.range(of: marker)?.upperBound else {
                throw Missing(what: "a version field")
            }
            return String(html[start...].prefix { $0.isNumber })
        }

        /// The officer opens the submit page ("Nộp hồ sơ đăng ký…"): its form's version.
        func openSubmitForm() async throws -> String {
            try pageVersion(try await officer.get("/campaigns/DVK-2024/units/S1/submit").body.string)
        }

        func submit(_ version: String) async throws -> TestingHTTPResponse {
            try await officer.post("/campaigns/DVK-2024/units/S1/submit", ["version": version])
        }
    }

    /// A page or message says (or does not say) `needle`; a failure quotes the part of the
    /// text where it was looked for, not the whole page.
    static func gist(_ text: String) -> String {
        let body = text.range(of: "<main").map { String(text[$0.lowerBound...]) } ?? text
        return String(body.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression).prefix(600))
    }

    struct Missing: Error, CustomStringConvertible {
        var what: String
        var description: String { "the page has no \(what)" }
    }

    /// The fixture with the clock pinned at `start`, an officer of S1 and a clerk of LB.
    static func world(_ app: Application, at start: Date, acceptsLate: Bool = true) async throws -> World {
        let hand = AppClock.Hand(start)
        app.clock = .manual(hand)
        try await Fixture.load(app)
        if !acceptsLate {
            try await app.db.sql().update("campaigns").set("accepts_late", to: false).where("code", .equal, "DVK-2024").run()
        }
        let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
        let officer = try await StaffTestKit.visitor(app, "s1", .officer, at: "S1")
        let staff = try await StaffTestKit.visitor(app, "lb", .staff, at: "LB")
        let token = try await APIFixture.token(app, "api-lb", .staff, unit: "LB")
        return World(app: app, hand: hand, campaign: campaign, officer: officer, staff: staff, token: token)
    }

    @Test func theCountdownRunsWithTheClockAndASubmitBeforeTheDeadlineIsOnTime() async throws {
        try await withApp { app in
            // 1 day, 2 hours and 30 minutes before the deadline.
            let w = try await Self.world(app, at: Self.deadline.addingTimeInterval(-(26 * 3600 + 1800)))
            try await w.register("S1")
            var page = try await w.officer.get("/campaigns/DVK-2024/units/S1").body.string
            expectText(page, has: "Còn 1 ngày 2 giờ")
            w.hand.advance(by: 26 * 3600)
            page = try await w.officer.get("/campaigns/DVK-2024/units/S1").body.string
            expectText(page, has: "Còn 30 phút")
            // One second before: on time, at the instant the clock says.
            w.hand.set(Self.deadline.addingTimeInterval(-1))
            #expect(try await w.submit(try await w.openSubmitForm()).status == .seeOther)
            let unit = try #require(try await w.apiUnit("S1"))
            #expect(unit["late"]?.bool == false)
            #expect(unit["firstSubmittedAt"]?.string == "2024-02-15T23:59:59+07:00")
        }
    }

    @Test func aSubmitAtOrOneSecondAfterTheDeadlineIsLateOrRefusedWhereLateWorkIsNot() async throws {
        try await withApp { app in
            let w = try await Self.world(app, at: Self.deadline.addingTimeInterval(-3600))
            try await w.register("S1")
            w.hand.set(Self.deadline.addingTimeInterval(1))
            let page = try await w.officer.get("/campaigns/DVK-2024/units/S1").body.string
            expectText(page, has: "Đã hết hạn dưới 1 phút")
            #expect(try await w.submit(try await w.openSubmitForm()).status == .seeOther)
            let unit = try #require(try await w.apiUnit("S1"))
            #expect(unit["late"]?.bool == true)
            #expect(unit["firstSubmittedAt"]?.string == "2024-02-16T00:00:01+07:00")
        }
        try await withApp { app in
            let w = try await Self.world(app, at: Self.deadline.addingTimeInterval(-3600), acceptsLate: false)
            try await w.register("S1")
            // At the deadline itself: "trước ngày 16/02" has passed.
            w.hand.set(Self.deadline)
            let page = try await w.officer.get("/campaigns/DVK-2024/units/S1").body.string
            let offersSubmit = page.contains(#"href="/campaigns/DVK-2024/units/S1/submit""#)
            #expect(!offersSubmit, "no way to submit once it is refused")
            let refused = try await w.submit("1")
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("Đã hết hạn nộp"))
            #expect(try await w.apiUnit("S1")?["status"]?.string == "draft")
        }
    }

    @Test func aDeadlinePassingWhileTheFormIsOpenDecidesBySubmitTime() async throws {
        try await withApp { app in
            let w = try await Self.world(app, at: Self.deadline.addingTimeInterval(-30), acceptsLate: false)
            try await w.register("S1")
            let version = try await w.openSubmitForm()
            // The officer reads for a minute; the deadline passes meanwhile.
            w.hand.advance(by: 60)
            let refused = try await w.submit(version)
            #expect(refused.status == .conflict)
            #expect(try await w.apiUnit("S1")?["status"]?.string == "draft")
        }
        try await withApp { app in
            let w = try await Self.world(app, at: Self.deadline.addingTimeInterval(-30))
            try await w.register("S1")
            let version = try await w.openSubmitForm()
            w.hand.advance(by: 60)
            #expect(try await w.submit(version).status == .seeOther)
            #expect(try await w.apiUnit("S1")?["late"]?.bool == true, "taken, and recorded late: the submit came after the deadline")
            let after = try await w.officer.get("/campaigns/DVK-2024/units/S1").body.string
            let saysLate = after.contains("nộp muộn")
            #expect(saysLate)
        }
    }

    /// The standard schedule (7, 3 and 1 days before the last day, and 1 after, at 08:00)
    /// queues on those days only, at or after 08:00, by the app's clock.
    @Test func theReminderScheduleQueuesOnItsDaysOnly() async throws {
        try await withApp { app in
            let w = try await Self.world(app, at: Self.deadline.addingTimeInterval(-10 * 86_400))
            var queuedOn: [Int] = []
            // 15/02 is the last day: day n before it is 15 - n.
            for n in [9, 8, 7, 6, 4, 3, 2, 1, 0, -1, -2] {
                let day = CalendarDay(year: 2024, month: 2, day: 15 - n)
                w.hand.set(VietnamTime.instant(day, hour: 7, minute: 59))
                try await ReminderRuns.runDue(at: app.clock.now(), on: app.db, logger: app.logger)
                #expect(try await Self.reminders(app) == queuedOn.count, "nothing before 08:00 (day \(n))")
                w.hand.set(VietnamTime.instant(day, hour: 8, minute: 1))
                let before = try await Self.reminders(app)
                try await ReminderRuns.runDue(at: app.clock.now(), on: app.db, logger: app.logger)
                if try await Self.reminders(app) > before { queuedOn.append(n) }
            }
            #expect(queuedOn == [7, 3, 1, -1])
            _ = w
        }
    }

    static func reminders(_ app: Application) async throws -> Int {
        try await app.db.sql().raw("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'reminder'").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A unit that handed in on time and was returned after the deadline is reminded of the
    /// day its reviewer typed — said back as typed — and never told it is late.
    @Test func aReturnedUnitIsRemindedOfItsResubmitDayAndNotToldItIsLate() async throws {
        try await withApp(MailAppTests.mailOn) { app in
            let w = try await Self.world(app, at: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 13), hour: 9))
            try await w.register("S1")
            #expect(try await w.submit(try await w.openSubmitForm()).status == .seeOther)
            // Returned on 17/02, after the deadline, "nộp lại đến hết ngày 20/02/2024".
            w.hand.set(VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 17), hour: 9))
            var page = try await w.staff.get("/campaigns/DVK-2024/units/S1").body.string
            let returned = try await w.staff.post("/campaigns/DVK-2024/units/S1/review",
                                                  ["decision": "return", "reason": "Bổ sung kết quả", "resubmit_by": "20/02/2024",
                                                   "version": try w.pageVersion(page)])
            #expect(returned.status == .seeOther)
            page = try await w.officer.get("/campaigns/DVK-2024/units/S1").body.string
            expectText(page, has: "Đề nghị nộp lại đến hết ngày 20/02/2024.")
            expectText(page, lacks: "21/02/2024")
            let unit = try #require(try await w.apiUnit("S1"))
            #expect(unit["resubmitBy"]?.string == "2024-02-21T00:00:00+07:00" && unit["late"]?.bool == false)

            // 18/02: the reminder presses the resubmit day; nothing says late.
            w.hand.set(VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 18), hour: 9))
            let reminders = try await w.staff.get("/campaigns/DVK-2024/reminders").body.string
            expectText(reminders, has: "nộp lại đến hết ngày 20/02/2024 (còn 2 ngày 15 giờ)")
            let mail = try await Self.reminderText(app, w)
            #expect(mail.subject == "Nhắc nộp lại hồ sơ: Phong trào thi đua “Dân vận khéo” năm 2024")
            expectText(mail.text, has: "Hạn nộp lại: đến hết ngày 20 tháng 02 năm 2024")
            expectText(mail.text, has: "Thời gian còn lại: còn 2 ngày 15 giờ")
            // The page now says S1 was reminded today, and counts it out of "send now".
            let after = try await w.staff.get("/campaigns/DVK-2024/reminders").body.string
            expectText(after, has: "Đã nhắc qua email hôm nay")
            #expect(!mail.text.contains("muộn") && !mail.subject.contains("hết hạn"))
            // After the resubmit day: "nộp lại muộn", still not "nộp muộn".
            w.hand.set(VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 22), hour: 9))
            let late = try await Self.reminderText(app, w)
            expectText(late.text, has: "hồ sơ nộp lại được ghi là nộp lại muộn")
            expectText(late.text, lacks: "được ghi là nộp muộn")
        }
    }

    /// Writes S1's reminder for the clock's day and composes it at the clock's now.
    static func reminderText(_ app: Application, _ w: World) async throws -> (subject: String, text: String) {
        let root = try #require(try await CampaignUnit.query(on: app.db).filter(\.$campaignID == w.campaign.id).filter(\.$pre == 0).first())
        let planned = try await ReminderRuns.enqueue(w.campaign, scope: root.snapshot, at: app.clock.now(), on: app.db)
        guard case .queued(let id) = try #require(planned.first { $0.code == "S1" }).outcome else {
            Issue.record("S1 was not reminded: \(planned)")
            return ("", "")
        }
        let row = try #require(try await MailAppTests.outbox(app).first { $0.id == id })
        let options = MailComposer.Options(settings: try #require(app.dvkConfig.mail), showNationalMotto: true, now: app.clock.now())
        let message = try await MailComposer.compose(row, options: options, on: app.db).message
        return (message.subject, message.text)
    }

    /// An extension typed as a day means the end of it on the web and in the API alike, and
    /// is said back as that day.
    @Test func anExtensionDayMeansItsEndOnTheWebAndInTheAPI() async throws {
        try await withApp { app in
            let w = try await Self.world(app, at: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 14), hour: 9))
            var page = try await w.staff.get("/campaigns/DVK-2024/units/S1").body.string
            let extended = try await w.staff.post("/campaigns/DVK-2024/units/S1/extension", ["date": "20/02/2024", "version": try w.pageVersion(page)])
            #expect(extended.status == .seeOther)
            let flash = try #require(extended.headers.setCookie?[Flash.cookieName]?.string)
            page = try await w.staff.get("/campaigns/DVK-2024/units/S1", extraCookie: "\(Flash.cookieName)=\(flash)").body.string
            expectText(page, has: "Đã gia hạn nộp đến hết ngày 20/02/2024.")
            expectText(page, has: "Đang được gia hạn đến hết ngày 20/02/2024.")
            #expect(try await w.apiUnit("S1")?["extendedUntil"]?.string == "2024-02-21T00:00:00+07:00")

            let viaAPI = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S2/extension", as: .token(w.token), json: #"{"until": "2024-02-20"}"#)
            #expect(viaAPI.status == .ok)
            #expect(try await w.apiUnit("S2")?["extendedUntil"]?.string == "2024-02-21T00:00:00+07:00", "the same day, the same instant")
            let timed = try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/P1/extension", as: .token(w.token),
                                      json: #"{"until": "2024-02-20T17:00:00+07:00"}"#)
            #expect(timed.status == .ok)
            #expect(try await w.apiUnit("P1")?["extendedUntil"]?.string == "2024-02-20T17:00:00+07:00")
        }
    }
}

func expectText(_ text: String, has needle: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if !text.contains(needle) { Issue.record("missing “\(needle)” in: \(ClockTests.gist(text))", sourceLocation: sourceLocation) }
}

func expectText(_ text: String, lacks needle: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if text.contains(needle) { Issue.record("unexpected “\(needle)” in: \(ClockTests.gist(text))", sourceLocation: sourceLocation) }
}
