import DVKCore
import Fluent
import Foundation
import NIOCore
import NIOPosix
import SQLKit
import Synchronization
import Testing
import Vapor
import VaporTesting
@testable import DVKApp

/// Email on both databases: what each step writes to the outbox and in which transaction,
/// who a reminder goes to, one sender per message when several race for it, and who may
/// see and resend what. (Delivery through a real SMTP server is in Tests/system/test_mail.py.)
@Suite struct MailAppTests {
    static func mailOn(_ config: inout AppConfig) {
        // Port 1: nothing listens, so an attempt ends as "try again later".
        config.mail = MailSettings(server: try! SMTPServer(url: "smtp://127.0.0.1:1"),
                                   from: Mailbox(name: "Liên đoàn Lao động quận Long Biên", address: "dvk@ldld.vn")!,
                                   publicURL: "https://dvk.example.vn", retryBase: 30)
    }

    static func outbox(_ app: Application) async throws -> [OutboxRow] {
        try await app.db.sql().select().columns(OutboxRow.columns).from(Outbox.table).orderBy("created_at").all().map(OutboxRow.init(row:))
    }

    static func kinds(_ app: Application) async throws -> [String] {
        try await outbox(app).map(\.kind.rawValue).sorted()
    }

    @Test func everyStepWritesItsMessagesAndARefusedStepWritesNone() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            let officer = try await APIFixture.token(app, "s1", .officer, unit: "S1")
            let staff = try await APIFixture.token(app, "lb", .staff, unit: "LB")
            let s1 = "/api/v1/campaigns/DVK-2024/units/S1"
            #expect(try await api(app, .POST, "\(s1)/submit", as: .token(officer)).status == .ok)
            #expect(try await Self.kinds(app) == ["receipt", "submitted"])
            // A second submit is refused (409): nothing more is written.
            #expect(try await api(app, .POST, "\(s1)/submit", as: .token(officer)).status == .conflict)
            #expect(try await Self.outbox(app).count == 2)
            let reason = "Thiếu kết quả dự kiến <b>&</b>"
            let comment = "Bổ sung số người tham gia"
            let returned = try await api(app, .POST, "\(s1)/return", as: .token(staff),
                                         json: #"{"reason": "\#(reason)", "comments": {"\#(scene.initiatives[0])": "\#(comment)"}}"#)
            #expect(returned.status == .ok)
            let rows = try await Self.outbox(app)
            #expect(rows.map(\.kind.rawValue).sorted() == ["receipt", "returned", "submitted"])
            #expect(rows.first { $0.kind == .returned }?.note == reason)
            #expect(rows.allSatisfy { $0.unitID == scene.s1 && $0.campaignID == scene.campaign.id && $0.status == .queued })
        }
    }

    @Test func withoutEmailNothingIsWritten() async throws {
        try await withApp { app in
            _ = try await RaceTests.scene(app)
            let officer = try await APIFixture.token(app, "s1", .officer, unit: "S1")
            #expect(try await api(app, .POST, "/api/v1/campaigns/DVK-2024/units/S1/submit", as: .token(officer)).status == .ok)
            #expect(try await Self.outbox(app).isEmpty)
            let staff = try await StaffTestKit.visitor(app, "lb", .staff, at: "LB")
            let page = try await staff.get("/campaigns/DVK-2024/reminders")
            #expect(page.text.contains("chưa được cấu hình gửi email"))
            #expect(try await staff.post("/campaigns/DVK-2024/reminders/send").status == .conflict)
        }
    }

    @Test func theComposedMessagesSayWhatTheLetterAsksAndCarryTheSummary() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            try await RegistrationStore.perform(.submit, campaign: scene.campaign, unitID: scene.s1, actor: "s1", at: Date(), notify: true, on: app.db)
            let options = MailComposer.Options(settings: app.dvkConfig.mail!, showNationalMotto: true,
                                               now: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 13), hour: 9))
            let rows = try await Self.outbox(app)
            let notice = try #require(rows.first { $0.kind == .submitted })
            // S1 reports to GD, which has no address yet: the notice cannot go, and says why.
            await #expect(throws: MailComposer.Unsendable.self) { try await MailComposer.compose(notice, options: options, on: app.db) }
            try await app.db.sql().update("units").set("email", to: "gd@example.vn").where("code", .equal, "GD").run()
            let composed = try await MailComposer.compose(notice, options: options, on: app.db)
            #expect(composed.to.address == "gd@example.vn" && composed.to.name == "Công đoàn ngành Giáo dục quận Long Biên")
            let m = composed.message
            #expect(m.subject == "Trường Tiểu học Ngọc Lâm nộp hồ sơ đăng ký mô hình: Phong trào thi đua “Dân vận khéo” năm 2024")
            #expect(m.attachments.map(\.fileName) == ["DVK-2024_bieu-tong-hop_S1.docx", "DVK-2024_bieu-tong-hop_S1.pdf"])
            #expect(m.attachments[1].data.starts(with: Data("%PDF".utf8)) && m.attachments[0].data.starts(with: Data("PK".utf8)))
            #expect(m.text.contains("gồm 2 mô hình (1 của tập thể, 1 của cá nhân)"))
            #expect(m.text.contains("Mô hình 0") && m.text.contains("Mô hình 1"))
            #expect(m.text.contains("https://dvk.example.vn/campaigns/DVK-2024/units/S1"))
            #expect(m.messageID == "<\(notice.id.uuidString.lowercased())@ldld.vn>")
            let receipt = try await MailComposer.compose(try #require(rows.first { $0.kind == .receipt }), options: options, on: app.db)
            #expect(receipt.to.address == "s1@example.vn")
            #expect(receipt.message.replyTo?.address == "gd@example.vn")
            #expect(receipt.message.text.contains("Hệ thống DVK đã nhận hồ sơ đăng ký 2 mô hình của Trường Tiểu học Ngọc Lâm lúc "))
            #expect(receipt.message.text.contains("Hồ sơ đã được chuyển tới Công đoàn ngành Giáo dục quận Long Biên"))
        }
    }

    @Test func aReminderNamesTheUnitTheDeadlineWhatIsMissingAndTheLink() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            let now = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 12), hour: 8)
            let root = try #require(try await CampaignUnit.query(on: app.db).filter(\.$campaignID == scene.campaign.id).filter(\.$pre == 0).first())
            let planned = try await ReminderRuns.enqueue(scene.campaign, scope: root.snapshot, at: now, on: app.db)
            let row = try #require(try await Self.outbox(app).first { $0.unitID == scene.s1 })
            let options = MailComposer.Options(settings: app.dvkConfig.mail!, showNationalMotto: true, now: now)
            let m = try await MailComposer.compose(row, options: options, on: app.db).message
            #expect(m.to.map(\.address) == ["s1@example.vn"])
            #expect(m.text.contains("Kính gửi: Ban Chấp hành Công đoàn Trường Tiểu học Ngọc Lâm"))
            #expect(m.text.contains("Hạn nộp: trước 00 giờ 00 ngày 16 tháng 02 năm 2024"))
            #expect(m.text.contains("Đơn vị đã nhập 2 mô hình nhưng chưa nộp hồ sơ."))
            #expect(m.text.contains("https://dvk.example.vn/campaigns/DVK-2024/units/S1"))
            #expect(m.html?.contains("href=\"https://dvk.example.vn/campaigns/DVK-2024/units/S1\"") == true)
            #expect(planned.count == 4)
        }
    }

    /// Exactly the target units that have not handed in, may still submit and have an
    /// address; once a day each, whoever asks; again the next day.
    @Test func remindersGoToThePendingUnitsWithAnAddressOnceADay() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            // S1 handed in; S2, P1, C1 have not. Give P1 an address and leave S2 and C1 without.
            try await RegistrationStore.perform(.submit, campaign: scene.campaign, unitID: scene.s1, actor: "s1", at: Date(), on: app.db)
            try await app.db.sql().update("units").set("email", to: "p1@example.vn").where("code", .equal, "P1").run()
            let root = try #require(try await CampaignUnit.query(on: app.db).filter(\.$campaignID == scene.campaign.id).filter(\.$pre == 0).first())
            let day = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 12), hour: 8)
            let dry = try await ReminderRuns.enqueue(scene.campaign, scope: root.snapshot, at: day, dryRun: true, on: app.db)
            #expect(Dictionary(uniqueKeysWithValues: dry.map { ($0.code, $0.outcome) }) == ["S2": .noEmail, "P1": .wouldQueue, "C1": .noEmail])
            #expect(try await Self.outbox(app).isEmpty)
            let first = try await ReminderRuns.enqueue(scene.campaign, scope: root.snapshot, at: day, on: app.db)
            #expect(first.filter { if case .queued = $0.outcome { true } else { false } }.map(\.code) == ["P1"])
            let again = try await ReminderRuns.enqueue(scene.campaign, scope: root.snapshot, at: day.addingTimeInterval(3600), on: app.db)
            #expect(again.first { $0.code == "P1" }?.outcome == .alreadyToday)
            let dryAgain = try await ReminderRuns.enqueue(scene.campaign, scope: root.snapshot, at: day, dryRun: true, on: app.db)
            #expect(dryAgain.first { $0.code == "P1" }?.outcome == .alreadyToday)
            #expect(try await Self.outbox(app).map(\.toAddress) == ["p1@example.vn"])
            _ = try await ReminderRuns.enqueue(scene.campaign, scope: root.snapshot, at: day.addingTimeInterval(86_400), on: app.db)
            #expect(try await Self.outbox(app).count == 2)
        }
    }

    /// The scheduled run of a day is taken by one server only, however many look at once.
    @Test func aScheduledRunHappensOnceWhenServersRaceForIt() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            try await app.db.sql().update("units").set("email", to: "p1@example.vn").where("code", .equal, "P1").run()
            try await app.db.sql().update("units").set("email", to: "c1@example.vn").where("code", .equal, "C1").run()
            let due = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 12), hour: 8, minute: 5)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { try await ReminderRuns.runDue(at: due, on: app.db, logger: app.logger) } }
                try await group.waitForAll()
            }
            let rows = try await Self.outbox(app)
            #expect(rows.map(\.toAddress).sorted() == ["c1@example.vn", "p1@example.vn", "s1@example.vn"])
            // Not due on a day the schedule skips.
            try await ReminderRuns.runDue(at: due.addingTimeInterval(86_400), on: app.db, logger: app.logger)
            #expect(try await Self.outbox(app).count == 3)
            _ = scene
        }
    }

    /// Senders racing for the same messages: each message is taken by exactly one.
    @Test func eachMessageIsTakenByOneSender() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            let now = Date()
            let drafts = (0..<60).map { n in
                OutboxDraft(kind: .reminder, campaignID: scene.campaign.id, unitID: scene.s1, toAddress: "u\(n)@example.vn",
                            dedupeKey: "race-\(n)")
            }
            try await app.db.write { db in try await Outbox.enqueue(drafts, at: now, on: db) }
            let taken = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for sender in 0..<6 {
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let rows = try await Outbox.claim(owner: "sender-\(sender)", at: now.addingTimeInterval(1), limit: 7, on: app.db)
                            if rows.isEmpty { return mine }
                            mine += rows.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [UUID]()) { $0 += $1 }
            }
            #expect(taken.count == 60)
            #expect(Set(taken).count == 60)
            // A lease that ran out (its sender died) is taken again, once.
            let later = now.addingTimeInterval(Outbox.lease + 5)
            async let a = Outbox.claim(owner: "late-a", at: later, limit: 100, on: app.db)
            async let b = Outbox.claim(owner: "late-b", at: later, limit: 100, on: app.db)
            let (ra, rb) = try await (a, b)
            #expect(ra.count + rb.count == 60 && Set(ra.map(\.id)).isDisjoint(with: rb.map(\.id)))
        }
    }

    /// An attempt that failed for now is retried later, a refused address is not, and the
    /// outcome is written only by the sender that holds the message.
    @Test func outcomesAreRecordedByTheHolderWithBackoff() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            let now = Date()
            let ids = try await app.db.write { db in
                try await Outbox.enqueue((0..<2).map { OutboxDraft(kind: .reminder, campaignID: scene.campaign.id, unitID: scene.s1,
                                                                  toAddress: "s1@example.vn", dedupeKey: "k\($0)") }, at: now, on: db)
            }
            let sender = try #require(app.mailSender)
            // Nothing listens on port 1: a connection failure is "try again later".
            let reports = try await sender.deliverDue(app, at: now, ids: [ids[0]])
            guard case .retry = reports.first?.outcome else { Issue.record("\(reports)"); return }
            let retried = try #require(try await Outbox.find(ids[0], on: app.db))
            #expect(retried.status == .queued && retried.attempts == 1 && retried.nextAttemptAt >= now.addingTimeInterval(29))
            #expect(retried.message != nil, "the composed message is kept for the retries")
            // Another sender's outcome for a message it does not hold changes nothing.
            try await Outbox.record(ids[1], owner: "someone-else", outcome: .sent(answer: "250"), attempts: 1, retryBase: 30, at: now, on: app.db)
            #expect(try await Outbox.find(ids[1], on: app.db)?.status == .queued)
            _ = try await Outbox.claim(owner: "me", at: now, ids: [ids[1]], on: app.db)
            try await Outbox.record(ids[1], owner: "me", outcome: .failed(answer: "550 no such user", addressRefused: true), attempts: 1,
                                    retryBase: 30, at: now, on: app.db)
            let refused = try #require(try await Outbox.find(ids[1], on: app.db))
            #expect(refused.status == .failed && refused.addressRefused)
            // The last allowed attempt that fails for now gives up.
            _ = try await Outbox.claim(owner: "me", at: now.addingTimeInterval(3600), ids: [ids[0]], on: app.db)
            try await Outbox.record(ids[0], owner: "me", outcome: .retry(answer: "421 busy"), attempts: Outbox.maxAttempts, retryBase: 30,
                                    at: now, on: app.db)
            #expect(try await Outbox.find(ids[0], on: app.db)?.status == .failed)
        }
    }

    /// Sent messages keep their bytes 90 days, then only the row; once a day, whoever runs it.
    @Test func oldSentMessagesLoseTheirBytesButStayInTheLog() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            let now = Date()
            let ids = try await app.db.write { db in
                try await Outbox.enqueue((0..<3).map { OutboxDraft(kind: .reminder, campaignID: scene.campaign.id, unitID: scene.s1,
                                                                  toAddress: "s1@example.vn", dedupeKey: "old\($0)") }, at: now, on: db)
            }
            for (n, id) in ids.enumerated() {
                try await Outbox.saveComposed(id, message: Data("x".utf8), subject: "s", to: Mailbox(address: "s1@example.vn")!, on: app.db)
                _ = try await Outbox.claim(owner: "t", at: now, ids: [id], on: app.db)
                let sentAt = n == 2 ? now : now.addingTimeInterval(-Outbox.keepBodies - 60)
                try await Outbox.record(id, owner: "t", outcome: .sent(answer: "250"), attempts: 1, retryBase: 30, at: sentAt, on: app.db)
            }
            async let a = Outbox.forgetOldBodies(at: now, on: app.db)
            async let b = Outbox.forgetOldBodies(at: now, on: app.db)
            #expect(try await [a, b].sorted() == [0, 2])
            let rows = try await Self.outbox(app)
            #expect(rows.count == 3 && rows.filter { $0.message == nil }.count == 2 && rows.allSatisfy { $0.status == .sent })
        }
    }

    /// The mail log shows a staff member the messages of their scope only; a failed message
    /// is sent again by one of two people pressing at once, the other gets a 409; an
    /// officer, a viewer (for resending) and a sibling federation are refused.
    @Test func theMailLogAndResendFollowTheScope() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            let people = try await StaffTestKit.people(app)
            let c1 = try await UnitDirectory.find(code: "C1", on: app.db).requireID()
            try await app.db.sql().update("units").set("email", to: "c1@example.vn").where("code", .equal, "C1").run()
            let now = Date()
            let ids = try await app.db.write { db in
                try await Outbox.enqueue([
                    OutboxDraft(kind: .reminder, campaignID: scene.campaign.id, unitID: scene.s1, toAddress: "s1@example.vn", toName: "<S1 & co>"),
                    OutboxDraft(kind: .reminder, campaignID: scene.campaign.id, unitID: c1, toAddress: "c1@example.vn"),
                ], at: now, on: db)
            }
            for id in ids {
                _ = try await Outbox.claim(owner: "t", at: now, ids: [id], on: app.db)
                try await Outbox.record(id, owner: "t", outcome: .failed(answer: "550 <script>x</script>", addressRefused: true), attempts: 1,
                                        retryBase: 30, at: now, on: app.db)
            }
            let lb = try await people.staff.get("/campaigns/DVK-2024/mail")
            #expect(lb.status == .ok && lb.text.contains("s1@example.vn") && lb.text.contains("c1@example.vn"))
            #expect(!lb.text.contains("<script>x") && lb.text.contains("&lt;S1 &amp; co&gt;"))
            let gd = try await people.subStaff.get("/campaigns/DVK-2024/mail")
            #expect(gd.status == .ok && gd.text.contains("s1@example.vn") && !gd.text.contains("c1@example.vn"))
            #expect(try await people.officer.get("/campaigns/DVK-2024/mail").status == .forbidden)
            #expect(try await people.farStaff.get("/campaigns/DVK-2024/mail").status == .notFound)
            let c1Message = ids[1]
            #expect(try await people.subStaff.post("/campaigns/DVK-2024/mail/\(c1Message)/resend").status == .notFound)
            #expect(try await people.viewer.post("/campaigns/DVK-2024/mail/\(ids[0])/resend").status == .forbidden)
            #expect(try await people.staff.post("/campaigns/DVK-2024/mail/\(ids[0])/resend", csrf: false).status == .forbidden)
            async let first = people.staff.post("/campaigns/DVK-2024/mail/\(ids[0])/resend")
            async let second = people.subStaff.post("/campaigns/DVK-2024/mail/\(ids[0])/resend")
            let statuses = try await [first.status, second.status].map(\.code).sorted()
            #expect(statuses == [303, 409])
            let again = try #require(try await Outbox.find(ids[0], on: app.db))
            #expect(again.status == .queued && again.attempts == 0 && again.message == nil && !again.addressRefused)
            // The refused address shows on the reminders page until it is fixed.
            let reminders = try await people.staff.get("/campaigns/DVK-2024/reminders")
            #expect(reminders.text.contains("c1@example.vn: máy chủ thư từ chối địa chỉ"))
        }
    }

    /// The button queues what `ReminderRuns` says, for the presser's scope, once a day.
    @Test func theReminderButtonQueuesTheScopeOnce() async throws {
        try await withApp(Self.mailOn) { app in
            _ = try await RaceTests.scene(app)
            let people = try await StaffTestKit.people(app)
            let page = try await people.subStaff.get("/campaigns/DVK-2024/reminders")
            #expect(page.text.contains("Gửi thư nhắc ngay tới 1 đơn vị"))
            #expect(page.text.contains("chưa có email"))
            let sent = try await people.subStaff.post("/campaigns/DVK-2024/reminders/send")
            #expect(sent.status == .seeOther)
            #expect(try await Self.outbox(app).map(\.toAddress) == ["s1@example.vn"])
            #expect(try await people.subStaff.post("/campaigns/DVK-2024/reminders/send").status == .seeOther)
            #expect(try await Self.outbox(app).count == 1)
            #expect(try await people.viewer.post("/campaigns/DVK-2024/reminders/send").status == .forbidden)
            #expect(try await people.officer.post("/campaigns/DVK-2024/reminders/send").status == .forbidden)
        }
    }

    @Test func theCLIRemindsAndSaysWhatHappened() async throws {
        try await withApp(Self.mailOn) { app in
            _ = try await RaceTests.scene(app)
            let dry = try await run(app, "remind", "--campaign", "DVK-2024", "--dry-run")
            #expect(dry.contains("S1\ts1@example.vn\twould be sent"))
            #expect(dry.contains("S2\t-\tskipped: no email address"))
            #expect(try await Self.outbox(app).isEmpty)
            // Nothing listens on the configured port: the message stays queued for the server to retry.
            let out = try await run(app, "remind", "--campaign", "DVK-2024", "--unit", "GD")
            #expect(out.contains("S1\ts1@example.vn\tnot yet sent, will be retried"))
            #expect(!out.contains("P1"))
            #expect(try await Self.outbox(app).first?.attempts == 1)
        }
    }

    @Test func staffSetTheirAddressAndTheDigestOnTheirAccount() async throws {
        try await withApp(Self.mailOn) { app in
            let scene = try await RaceTests.scene(app)
            let people = try await StaffTestKit.people(app)
            #expect(try await people.staff.post("/account/email", ["email": "khong-hop-le"]).status == .unprocessableEntity)
            #expect(try await people.staff.post("/account/email", ["email": "canbo@ldld.vn", "digest": "1"]).status == .seeOther)
            #expect(try await people.officer.post("/account/email", ["email": "s1-officer@ldld.vn", "digest": "1"]).status == .seeOther)
            let now = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 13), hour: 7, minute: 1)
            try await Digests.runDue(at: now, on: app.db)
            try await Digests.runDue(at: now.addingTimeInterval(60), on: app.db)
            let rows = try await Self.outbox(app)
            #expect(rows.map(\.toAddress) == ["canbo@ldld.vn"], "officers get no digest; one a day")
            try await RegistrationStore.perform(.submit, campaign: scene.campaign, unitID: scene.s1, actor: "s1",
                                                at: now.addingTimeInterval(-3600), on: app.db)
            let options = MailComposer.Options(settings: app.dvkConfig.mail!, showNationalMotto: true, now: now)
            let digest = try await Digests.compose(try #require(rows.first), options: options, on: app.db).message
            #expect(digest.text.contains("Đã nộp: 1/4 đơn vị"))
            #expect(digest.text.contains("Chưa nộp: 3 đơn vị"))
            #expect(digest.text.contains("Trường Tiểu học Ngọc Lâm"))
        }
    }

    /// A delivery whose task is cancelled (the sender's loop at shutdown) ends at once, even
    /// to a mail server that takes the connection and never answers: the shutdown waits for
    /// it, so that its outcome is recorded before the databases close.
    @Test func aCancelledDeliveryEndsAtOnceWhateverTheServerDoes() async throws {
        let accepted = Gate()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.open()
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let client = SMTPClient(server: try SMTPServer(url: "smtp://127.0.0.1:\(port)?starttls=off"), group: MultiThreadedEventLoopGroup.singleton)
        let ended = Gate(), endedByItself = Gate()
        let delivery = Task {
            defer { endedByItself.open(); ended.open() }
            return try await client.send(from: "dvk@ldld.vn", to: "s1@example.vn", message: Data("Subject: x\r\n\r\nx\r\n".utf8))
        }
        await accepted.wait()
        delivery.cancel()
        // Not ended in 30 s: the test fails here instead of waiting for the two-minute reply timeout.
        let rescue = Task {
            try await Task.sleep(for: .seconds(30))
            ended.open()
        }
        await ended.wait()
        rescue.cancel()
        #expect(endedByItself.isOpen)
        if endedByItself.isOpen {
            await #expect(throws: SMTPError.self) { try await delivery.value }
        }
        try await server.close()
    }

    /// A wait that ends when opened.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiting: CheckedContinuation<Void, Never>?)>((false, nil))
        var isOpen: Bool { state.withLock { $0.open } }
        func wait() async {
            await withCheckedContinuation { c in
                let now = state.withLock { s -> Bool in
                    if s.open { return true }
                    s.waiting = c
                    return false
                }
                if now { c.resume() }
            }
        }
        func open() {
            state.withLock { s -> CheckedContinuation<Void, Never>? in
                s.open = true
                defer { s.waiting = nil }
                return s.waiting
            }?.resume()
        }
    }
}
