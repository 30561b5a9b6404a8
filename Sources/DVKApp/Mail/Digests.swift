import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The daily digest for staff who ask for it (on their account page): for each open
/// campaign they see, what was handed in since yesterday, what waits for review and how
/// many units are still missing. Queued once a day at `hour` Vietnam time across every
/// server; written when it is sent, so it tells the state of that moment.
enum Digests {
    static let hour = 7

    static func runDue(at now: Date, on db: any Database) async throws {
        let day = VietnamTime.day(of: now)
        guard now >= VietnamTime.instant(day, hour: hour) else { return }
        try await db.write { db in
            guard try await Outbox.takeRun("digests:\(day.iso)", at: now, on: db) else { return }
            var drafts: [OutboxDraft] = []
            for (user, email) in try await AuthStore.digestReaders(on: db) {
                guard Mailbox(name: user.displayName, address: email) != nil else { continue }
                for head in try await Access.campaignHeads(for: user, in: [.open], on: db) {
                    drafts.append(OutboxDraft(kind: .digest, campaignID: head.id, unitID: head.scope.unitID, userID: user.id,
                                              toAddress: email, toName: user.displayName,
                                              dedupeKey: "digest:\(user.id.canonicalText.lowercased()):\(head.id.canonicalText.lowercased()):\(day.iso)"))
                }
            }
            try await Outbox.enqueue(drafts, at: now, on: db)
        }
    }

    static func compose(_ row: OutboxRow, options: MailComposer.Options, on db: any Database) async throws -> MailComposer.Composed {
        guard let campaignID = row.campaignID, let scopeID = row.unitID,
              let to = Mailbox(name: row.toName, address: row.toAddress),
              let campaign = try await CampaignStore.info(id: campaignID, on: db),
              let scope = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaignID).filter(\.$unitID == scopeID).first()
        else { throw MailComposer.Unsendable(description: "Không soạn được thư tổng hợp (đợt thi đua, đơn vị hoặc địa chỉ không còn).") }
        let counts = try await Standings.counts(campaign, scope: scope.snapshot, on: db)
        let since = options.now.addingTimeInterval(-86_400)
        let recent = try await Standings.lines(campaign, scope: scope.snapshot, filter: .submitted, order: .submitted, limit: 200, on: db).lines
            .filter { ($0.standing.lastSubmittedAt ?? .distantPast) >= since }
        let number: (Int) -> String = VietnameseText.number
        let content = MailContent(
            subject: "Tổng hợp ngày \(VietnamTime.day(of: options.now).vietnamese): \(campaign.title)",
            greeting: "Kính gửi: \(row.toName)",
            paragraphs: ["Tình hình nộp hồ sơ đăng ký mô hình của các công đoàn cơ sở thuộc \(scope.name), đến \(VietnamTime.describe(options.now)):"],
            facts: [
                ("Đã nộp", "\(number(counts.submitted))/\(number(counts.expected)) đơn vị (\(number(counts.late)) nộp muộn)"),
                ("Nộp trong 24 giờ qua", "\(number(recent.count)) đơn vị"),
                ("Chờ duyệt", "\(number(counts.waitingReview)) đơn vị"),
                ("Chưa nộp", "\(number(counts.pending)) đơn vị (chưa bắt đầu \(number(counts.notStarted)), đang soạn \(number(counts.draft)), đã trả lại \(number(counts.returned)))"),
                ("Hạn nộp", DeadlineText.letterLine(campaign.deadline)),
            ],
            table: recent.isEmpty ? nil : ("Đơn vị nộp trong 24 giờ qua", ["Đơn vị", "Cấp trên", "Nộp lúc"],
                                           recent.map { [$0.name, $0.parentName, $0.standing.lastSubmittedAt.map(VietnamTime.describe) ?? ""] }),
            link: ("Mở trang tổng hợp của đợt", Link(base: options.settings.publicURL, .campaign(campaign.code))),
            signature: "Hệ thống DVK")
        let message = MailMessage(from: options.settings.from, to: [to], subject: content.subject, text: content.text, html: content.html,
                                  date: options.now, messageID: MailMessage.messageID(row.id, from: options.settings.from))
        return MailComposer.Composed(message: message, to: to)
    }
}
