import DVKCore
import DVKDocuments
import FluentKit
import Foundation
import SQLKit

/// What a message says, once, for both its text and its HTML part.
struct MailContent: Sendable {
    var subject: String
    /// "Kính gửi: Ban Chấp hành Công đoàn cơ sở …"
    var greeting: String
    var paragraphs: [String]
    /// Label and value lines ("Hạn nộp", "trước 00 giờ 00 ngày …").
    var facts: [(String, String)] = []
    var table: (caption: String, header: [String], rows: [[String]])? = nil
    var link: (label: String, url: Link)? = nil
    var signature: String

    static let footer = "Thư này được hệ thống DVK gửi tự động. Muốn trao đổi, đơn vị trả lời thư này hoặc liên hệ công đoàn cấp trên."

    var text: String {
        var out = greeting + "\n\n" + paragraphs.joined(separator: "\n\n") + "\n"
        if !facts.isEmpty { out += "\n" + facts.map { "- \($0.0): \($0.1)" }.joined(separator: "\n") + "\n" }
        if let table {
            out += "\n" + table.caption + ":\n"
            for row in table.rows { out += "- " + row.filter { !$0.isEmpty }.joined(separator: " | ") + "\n" }
        }
        if let link { out += "\n\(link.label): \(link.url.value)\n" }
        out += "\nTrân trọng,\n\(signature)\n\n-- \n\(Self.footer)\n"
        return out
    }

    var html: String {
        let cell = "border:1px solid #b7c3d0;padding:4px 8px;text-align:left;vertical-align:top"
        let page: Node = .html(
            .head(.meta(.attribute("charset", "utf-8")), .title(subject)),
            .body(.attribute("style", "font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1d2733;max-width:720px"),
                .p(.strong(.text(greeting))),
                .forEach(paragraphs) { .p(.text($0)) },
                .if(!facts.isEmpty, .ul(.forEach(facts) { .li(.strong(.text($0.0 + ": ")), .text($0.1)) })),
                .unwrap(table) { t in
                    .group(.p(.strong(.text(t.caption))),
                           .table(.attribute("style", "border-collapse:collapse;font-size:14px"),
                                  .thead(.tr(.forEach(t.header) { .th(.attribute("style", cell + ";background:#e8eef5"), .text($0)) })),
                                  .tbody(.forEach(t.rows) { row in .tr(.forEach(row) { .td(.attribute("style", cell), .text($0)) }) })))
                },
                .unwrap(link) { l in
                    .p(.a(.href(l.url), .attribute("style", "display:inline-block;background:#1f5fa8;color:#fff;padding:8px 16px;border-radius:4px;text-decoration:none"),
                          .text(l.label)))
                },
                .p(.text("Trân trọng,"), .br(), .strong(.text(signature))),
                .p(.attribute("style", "color:#5b6b7b;font-size:13px;border-top:1px solid #d5dde6;padding-top:8px"), .text(Self.footer))
            )
        )
        return page.render()
    }
}

/// Builds each kind of message from the store as it is when the message is first sent,
/// and says who it goes to. A message the store cannot address (a unit without an email)
/// is `Unsendable`: failed at once, listed for staff to fix.
enum MailComposer {
    struct Unsendable: Error, CustomStringConvertible {
        var description: String
    }

    struct Composed: Sendable {
        var message: MailMessage
        var to: Mailbox
    }

    struct Options: Sendable {
        var settings: MailSettings
        var showNationalMotto: Bool
        var now: Date
        /// The attached Biểu's own setting; nil: as the letter's.
        var nationalMottoOnTables: Bool? = nil
    }

    static func compose(_ row: OutboxRow, options: Options, on db: any Database) async throws -> Composed {
        if row.kind.carriesSecret { throw secretOnce }
        guard let campaignID = row.campaignID, let unitID = row.unitID else {
            throw Unsendable(description: "Thư thiếu đợt thi đua hoặc đơn vị.")
        }
        guard let campaign = try await CampaignStore.info(id: campaignID, on: db) else {
            throw Unsendable(description: "Đợt thi đua không còn.")
        }
        guard let unit = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaignID).filter(\.$unitID == unitID).first() else {
            throw Unsendable(description: "Đơn vị không còn trong đợt thi đua.")
        }
        let parent = try await unit.parentUnitID.asyncMap { id in
            try await CampaignUnit.query(on: db).filter(\.$campaignID == campaignID).filter(\.$unitID == id).first()
        } ?? nil
        let unitContact = try await contact(unitID, name: unit.name, on: db)
        let parentContact = try await parent.asyncMap { try await contact($0.unitID, name: $0.name, on: db) } ?? nil
        let submission = try await SubmissionRow.find(campaignID: campaignID, unitID: unitID, on: db)
            ?? SubmissionRow(campaignID: campaignID, unitID: unitID)
        let standing = submission.standing(campaign)
        let ctx = Context(campaign: campaign, unit: unit, parentName: parent?.name ?? campaign.superiorName, standing: standing,
                          submission: submission, settings: options.settings, now: options.now)

        let to: Mailbox?
        var content: MailContent
        var attachments: [MailAttachment] = []
        switch row.kind {
        case .reminder:
            to = row.toAddress.isEmpty ? unitContact : Mailbox(name: unit.name, address: row.toAddress)
            content = try reminder(ctx, drafts: try await initiatives(campaign, unitID, on: db).count)
        case .submitted:
            to = parentContact
            let list = try await initiatives(campaign, unitID, on: db)
            content = submitted(ctx, list: list)
            if !submission.noModel {
                attachments = try await summaryFiles(campaign, unit: unit.snapshot, options: options, on: db)
            }
        case .receipt:
            to = unitContact
            content = receipt(ctx, count: try await initiatives(campaign, unitID, on: db).count)
        case .returned:
            to = unitContact
            content = returned(ctx, reason: row.note, list: try await initiatives(campaign, unitID, on: db))
        case .accepted:
            to = unitContact
            content = accepted(ctx)
        case .digest:
            throw Unsendable(description: "Thư tổng hợp được soạn riêng.")
        case .invitation, .passwordReset:
            throw secretOnce
        }
        guard let to else {
            let who = row.kind == .submitted ? (parent?.name ?? "công đoàn cấp trên") : unit.name
            throw Unsendable(description: "\(who) chưa có địa chỉ email: cập nhật email của đơn vị rồi gửi lại.")
        }
        let replyTo = row.kind == .submitted ? nil : parentContact
        let message = MailMessage(from: options.settings.from, to: [to], replyTo: replyTo, subject: content.subject,
                                  text: content.text, html: content.html, attachments: attachments, date: options.now,
                                  messageID: MailMessage.messageID(row.id, from: options.settings.from))
        return Composed(message: message, to: to)
    }

    static let secretOnce = Unsendable(description: "Thư có liên kết dùng một lần chỉ gửi một lần: gửi lại lời mời hoặc cấp liên kết mới từ trang tài khoản.")

    struct Context {
        var campaign: CampaignInfo
        var unit: CampaignUnit
        var parentName: String
        var standing: Standing
        var submission: SubmissionRow
        var settings: MailSettings
        var now: Date

        var unitLink: (label: String, url: Link) {
            ("Mở hồ sơ của đơn vị trên DVK", Link(base: settings.publicURL, .unitPage(campaign: campaign.code, unit: unit.code)))
        }

        /// "Công văn số 26/LĐLĐ ngày 06/02/2024 của Liên đoàn Lao động quận Long Biên"
        var letter: String {
            let number = campaign.number.isEmpty ? "Công văn" : "Công văn số \(campaign.number)"
            return "\(number) ngày \(campaign.issuedOn.vietnamese) của \(campaign.issuerName)"
        }

        var signature: String { parentName.isEmpty ? campaign.issuerName : parentName }

        /// "Kính gửi: Ban Chấp hành Công đoàn Trường …": a message to the unit.
        var toUnit: String { "Kính gửi: Ban Chấp hành \(DocumentHeader.grassrootsIssuer(unitName: unit.name))" }

        /// "về việc triển khai phong trào …": the letter's subject, whose "V/v" already says "về việc".
        var about: String {
            let subject = campaign.subject.trimmingCharacters(in: .whitespaces)
            guard !subject.isEmpty else { return "về \(campaign.title)" }
            for prefix in ["V/v ", "v/v ", "V/V ", "Về việc ", "về việc "] where subject.hasPrefix(prefix) {
                return "về việc " + subject.dropFirst(prefix.count)
            }
            return "về việc " + subject
        }
    }

    // MARK: - The kinds

    /// The reminder `Standing.reminder(at:)` says is due; none for a unit that handed in, or
    /// may no longer hand in, since it was queued.
    static func reminder(_ c: Context, drafts: Int) throws -> MailContent {
        let reminder = c.standing.reminder(at: c.now)
        switch reminder {
        case .none: throw Unsendable(description: "Không gửi: \(c.unit.name) đã nộp hồ sơ trước khi thư nhắc được gửi.")
        case .closed: throw Unsendable(description: "Không gửi: \(c.unit.name) không còn nộp được hồ sơ trong đợt này.")
        default: break
        }
        var state: String
        switch c.standing.status {
        case .returned:
            state = "Hồ sơ của đơn vị đã được trả lại để chỉnh sửa, bổ sung"
                + (c.submission.returnReason.map { " (lý do: \($0))" } ?? "") + " và chưa được nộp lại."
        case .draft where drafts > 0:
            state = "Đơn vị đã nhập \(VietnameseText.number(drafts)) mô hình nhưng chưa nộp hồ sơ."
        default:
            state = "Đơn vị chưa nhập mô hình nào."
        }
        var facts = [("Hạn nộp", c.standing.hasExtension ? DeadlineText.letterThrough(c.standing.deadline)
                                                         : DeadlineText.letterLine(c.standing.deadline))]
        if c.standing.status == .returned, let by = reminder.pressing { facts.append(("Hạn nộp lại", DeadlineText.letterThrough(by))) }
        if let note = reminder.note(now: c.now) { facts.append(note) }
        let ask = c.standing.status == .returned
            ? "Đề nghị đơn vị chỉnh sửa, bổ sung và nộp lại hồ sơ trên hệ thống DVK."
            : "Đề nghị đơn vị hoàn thiện và nộp hồ sơ đăng ký trên hệ thống DVK. Nếu năm nay đơn vị không đăng ký mô hình nào, vui lòng báo “Không đăng ký mô hình” trên cùng trang."
        return MailContent(
            subject: reminder.subject(c.campaign.title),
            greeting: c.toUnit,
            paragraphs: [
                "Thực hiện \(c.letter) \(c.about), đến \(VietnamTime.describe(c.now)), \(c.unit.name) chưa \(c.standing.status == .returned ? "nộp lại" : "nộp") hồ sơ đăng ký mô hình. \(state)",
                ask,
            ],
            facts: facts, link: c.unitLink, signature: c.signature)
    }

    static func submitted(_ c: Context, list: [ListedInitiative]) -> MailContent {
        let again = c.submission.firstSubmittedAt != nil && c.submission.firstSubmittedAt != c.submission.submittedAt
        let at = c.submission.submittedAt.map(VietnamTime.describe) ?? VietnamTime.describe(c.now)
        if c.submission.noModel {
            return MailContent(
                subject: "\(c.unit.name) báo không đăng ký mô hình: \(c.campaign.title)",
                greeting: "Kính gửi: \(c.parentName)",
                paragraphs: ["\(c.unit.name) đã báo không đăng ký mô hình “Dân vận khéo” trong đợt này, lúc \(at)\(lateness(c))."],
                link: ("Xem hồ sơ của đơn vị", c.unitLink.url), signature: "Hệ thống DVK")
        }
        let collective = list.filter { $0.kind == .collective }.count
        return MailContent(
            subject: "\(c.unit.name) \(again ? "nộp lại" : "nộp") hồ sơ đăng ký mô hình: \(c.campaign.title)",
            greeting: "Kính gửi: \(c.parentName)",
            paragraphs: [
                "\(c.unit.name) đã \(again ? "nộp lại" : "nộp") hồ sơ đăng ký mô hình “Dân vận khéo” lúc \(at)\(lateness(c)), gồm \(VietnameseText.number(list.count)) mô hình (\(VietnameseText.number(collective)) của tập thể, \(VietnameseText.number(list.count - collective)) của cá nhân).",
                "Biểu tổng hợp của đơn vị được gửi kèm (Word và PDF). Đề nghị công đoàn cấp trên xem xét, duyệt hoặc trả lại hồ sơ trên hệ thống DVK.",
            ],
            table: ("Danh sách mô hình", ["STT", "Lĩnh vực", "Tập thể/Cá nhân", "Tên tập thể/cá nhân", "Tên mô hình"],
                    list.enumerated().map { i, m in [String(i + 1), m.sector, m.kind.label, m.registrant, m.title] }),
            link: ("Xem và duyệt hồ sơ", c.unitLink.url), signature: "Hệ thống DVK")
    }

    static func receipt(_ c: Context, count: Int) -> MailContent {
        let at = c.submission.submittedAt.map(VietnamTime.describe) ?? VietnamTime.describe(c.now)
        let what = c.submission.noModel ? "báo không đăng ký mô hình" : "hồ sơ đăng ký \(VietnameseText.number(count)) mô hình"
        return MailContent(
            subject: "Đã nhận hồ sơ của đơn vị: \(c.campaign.title)",
            greeting: c.toUnit,
            paragraphs: ["Hệ thống DVK đã nhận \(what) của \(c.unit.name) lúc \(at)\(lateness(c)). Hồ sơ đã được chuyển tới \(c.parentName) để xem xét; kết quả duyệt sẽ được báo qua email này."],
            link: c.unitLink, signature: c.signature)
    }

    static func returned(_ c: Context, reason: String, list: [ListedInitiative]) -> MailContent {
        let commented = list.filter { !$0.comment.isEmpty }
        var facts: [(String, String)] = [("Lý do", reason.isEmpty ? (c.submission.returnReason ?? "") : reason)]
        if let by = c.submission.resubmitBy { facts.append(("Hạn nộp lại", DeadlineText.letterThrough(by))) }
        return MailContent(
            subject: "Hồ sơ được trả lại để chỉnh sửa, bổ sung: \(c.campaign.title)",
            greeting: c.toUnit,
            paragraphs: ["\(c.parentName) đã xem hồ sơ đăng ký mô hình của \(c.unit.name) và trả lại để đơn vị chỉnh sửa, bổ sung. Đề nghị đơn vị chỉnh sửa theo góp ý dưới đây rồi nộp lại trên hệ thống DVK."],
            facts: facts,
            table: commented.isEmpty ? nil : ("Góp ý cho từng mô hình", ["Tên mô hình", "Tập thể/Cá nhân", "Góp ý"],
                                              commented.map { [$0.title, $0.registrant, $0.comment] }),
            link: c.unitLink, signature: c.signature)
    }

    static func accepted(_ c: Context) -> MailContent {
        MailContent(
            subject: "Hồ sơ đã được duyệt: \(c.campaign.title)",
            greeting: c.toUnit,
            paragraphs: ["Hồ sơ đăng ký mô hình “Dân vận khéo” của \(c.unit.name) đã được \(c.parentName) duyệt lúc \(VietnamTime.describe(c.now)). Đề nghị đơn vị triển khai thực hiện các mô hình đã đăng ký."],
            link: c.unitLink, signature: c.signature)
    }

    /// ", đúng hạn" / ", nộp muộn": by the first submission, as `Standing` decides.
    static func lateness(_ c: Context) -> String {
        c.standing.isLate ? " (nộp muộn)" : ""
    }

    // MARK: - Store reads

    struct ListedInitiative: Sendable {
        var sector: String
        var kind: RegistrantKind
        var registrant: String
        var title: String
        var comment: String
    }

    static func initiatives(_ campaign: CampaignInfo, _ unitID: UUID, on db: any Database) async throws -> [ListedInitiative] {
        let campaignID = campaign.id, sectors = campaign.sectors
        let rows = try await db.sql().raw("""
            SELECT i.sector_code, i.title, i.review_comment, r.kind, r.name
            FROM initiatives i JOIN registrants r ON r.id = i.registrant_id
            WHERE i.campaign_id = \(bind: campaignID) AND i.unit_id = \(bind: unitID)
            ORDER BY i.created_at, i.id
            """).all()
        let order = Dictionary(uniqueKeysWithValues: sectors.enumerated().map { ($1.code, $0) })
        return try rows.map { r in
            let code = try r.decode(column: "sector_code", as: String.self)
            return ListedInitiative(sector: sectors.first { $0.code == code }?.name ?? code,
                                    kind: RegistrantKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .collective,
                                    registrant: try r.decode(column: "name", as: String.self),
                                    title: try r.decode(column: "title", as: String.self),
                                    comment: try r.decode(column: "review_comment", as: String.self))
        }.enumerated().sorted { (order[$0.element.sector] ?? 0, $0.offset) < (order[$1.element.sector] ?? 0, $1.offset) }.map(\.element)
    }

    /// A unit's address today, or nil when it has none (or one no server would take).
    static func contact(_ unitID: UUID, name: String, on db: any Database) async throws -> Mailbox? {
        guard let email = try await db.sql().select().column("email").from(Unit.schema).where("id", .equal, unitID).first()?
            .decode(column: "email", as: String.self) else { return nil }
        return Mailbox(name: name, address: email)
    }

    /// The unit's Biểu tổng hợp as Word and PDF, as the unit page offers them.
    static func summaryFiles(_ campaign: CampaignInfo, unit: SnapshotUnit, options: Options, on db: any Database) async throws -> [MailAttachment] {
        let docOptions = CampaignDocuments.Options(now: options.now, showNationalMotto: options.showNationalMotto,
                                                   showNationalMottoOnTables: options.nationalMottoOnTables)
        let document = try await CampaignDocuments.build(.summary, campaign: campaign, unit: unit, options: docOptions, on: db)
        return try [DocumentFormat.docx, .pdf].map { format in
            MailAttachment(fileName: CampaignDocuments.fileName(.summary, campaign: campaign.code, unit: unit.code, format: format),
                           contentType: format.contentType, data: try OfficialDocuments.render(document, as: format))
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
