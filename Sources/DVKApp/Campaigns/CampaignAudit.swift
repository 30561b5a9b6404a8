import DVKCore
import Foundation

/// A campaign's fields as the trail compares them: one place for create, edit, state and
/// re-sync.
enum CampaignAudit {
    static func fields(_ c: CampaignInfo) -> [(String, String)] {
        [("Tiêu đề", c.title), ("Số công văn", c.number), ("Ngày ban hành", c.issuedOn.vietnamese), ("Địa danh", c.place),
         ("Trích yếu", c.subject), ("Kính gửi", c.addressees.joined(separator: "\n")), ("Nơi nhận", c.recipients.joined(separator: "\n")),
         ("Nội dung công văn", c.body), ("Căn cứ", c.basis),
         ("Lĩnh vực", c.sectors.map { "\($0.code): \($0.name)" }.joined(separator: "\n")),
         ("Hạn nộp", DeadlineText.before(c.deadline)), ("Nhận hồ sơ nộp muộn", c.acceptsLate ? "có" : "không"),
         ("Lịch nhắc", c.reminders.sentence), ("Tiêu chí kiểm tra", c.criteria.joined(separator: "\n")),
         ("Người ký", [c.signer.authority, c.signer.title, c.signer.name].filter { !$0.isEmpty }.joined(separator: " — ")),
         ("Trạng thái", c.state.label)]
    }

    static func entry(_ action: String, _ c: CampaignInfo, was: CampaignInfo?, details: [String: String] = [:]) -> AuditTrail.Entry? {
        let now = fields(c)
        let old = was.map(fields) ?? now.map { ($0.0, "") }
        let changes = AuditChange.diff(zip(old, now).map { ($0.0.0, $0.0.1, $0.1.1) })
        guard was == nil || !changes.isEmpty || !details.isEmpty else { return nil }
        return AuditTrail.Entry(action, .campaign, id: c.id, label: "\(c.code) — \(c.title)", unit: c.issuerID, campaign: c.id,
                                changes: changes, details: details)
    }
}
