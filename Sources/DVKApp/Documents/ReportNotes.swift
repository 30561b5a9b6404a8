import DVKCore
import FluentKit
import Foundation
import SQLKit

/// "II. Đánh giá chung" and "III. Đề xuất, kiến nghị" of a federation's reports: written on
/// the page before downloading, kept per campaign, unit and report, printed in every
/// format. Two tabs saving at once: the second is told, with a 409, that the first saved.
enum ReportNotes {
    enum Kind: String, CaseIterable, Sendable {
        /// The report on the registration (`CampaignDocuments.Kind.report`).
        case registration = "dang-ky"
        /// The year-end report (`YearPapers.Kind.report`).
        case year = "tong-ket"

        var title: String { self == .registration ? "Báo cáo kết quả đăng ký" : "Báo cáo tổng kết năm" }
    }

    struct Notes: Sendable, Equatable {
        var assessment = ""
        var proposals = ""
        /// 0 before the first save; the form sends it back.
        var version = 0
    }

    /// Who writes them: staff and administrators of the federation whose report it is, in
    /// their own unit's view of the campaign.
    static func mayWrite(_ view: Access.CampaignView) -> Bool {
        view.user.role.manages && view.user.unitKind == .federation && view.scope.unitID == view.user.unitID
    }

    /// A federation's ($2) notes of a kind ($3) in a campaign ($1): the dashboard and the report.
    struct Stored: HotStatement {
        static let sql = "SELECT assessment, proposals, version FROM report_notes WHERE campaign_id = $1 AND unit_id = $2 AND kind = $3"
        let binds: [(any HotValue)?]
    }

    static func load(campaign: UUID, unit: UUID, kind: Kind, on db: any Database) async throws -> Notes {
        guard let row = try await Stored(binds: [campaign, unit, kind.rawValue]).first(on: db) else { return Notes() }
        return Notes(assessment: try row.decode(column: "assessment", as: String.self), proposals: try row.decode(column: "proposals", as: String.self),
                     version: try row.decode(column: "version", as: Int.self))
    }

    /// Saves what the form sent over the version it showed, checked by the text rules.
    static func save(campaign: UUID, unit: UUID, kind: Kind, assessment: String?, proposals: String?, version: Int,
                     author: String, at now: Date, on db: any Database) async throws {
        var problems: [String] = []
        var texts = ["", ""]
        for (index, (rule, raw)) in [(TextRules.reportAssessment, assessment), (TextRules.reportProposals, proposals)].enumerated() {
            switch rule.check(raw) {
            case .success(let value): texts[index] = value
            case .failure(let problem): problems.append(problem.sentence)
            }
        }
        guard problems.isEmpty else { throw DomainError.invalid(problems.joined(separator: " ")) }
        let final = texts
        try await db.write { db in
        let sql = try db.sql()
        let texts = final
        let old = try await sql.raw("""
            SELECT assessment, proposals FROM report_notes WHERE campaign_id = \(bind: campaign) AND unit_id = \(bind: unit) AND kind = \(bind: kind.rawValue)
            """).first()
        // One statement each way, so two saves over one version cannot both win.
        let saved = version == 0
            ? try await sql.raw("""
                INSERT INTO report_notes (id, campaign_id, unit_id, kind, assessment, proposals, version, author, updated_at)
                VALUES (\(bind: UUID.random()), \(bind: campaign), \(bind: unit), \(bind: kind.rawValue), \(bind: texts[0]), \(bind: texts[1]),
                        1, \(bind: author), \(bind: now))
                ON CONFLICT (campaign_id, unit_id, kind) DO NOTHING RETURNING version
                """).first()
            : try await sql.raw("""
                UPDATE report_notes SET assessment = \(bind: texts[0]), proposals = \(bind: texts[1]), version = version + 1,
                    author = \(bind: author), updated_at = \(bind: now)
                WHERE campaign_id = \(bind: campaign) AND unit_id = \(bind: unit) AND kind = \(bind: kind.rawValue) AND version = \(bind: version)
                RETURNING version
                """).first()
        guard saved != nil else {
            throw DomainError.conflict("Phần đánh giá, đề xuất của báo cáo vừa được lưu ở một nơi khác. Vui lòng tải lại trang để xem bản mới rồi sửa tiếp.")
        }
        let changes = AuditChange.diff([("Đánh giá chung", try old?.decode(column: "assessment", as: String.self) ?? "", texts[0]),
                                        ("Đề xuất, kiến nghị", try old?.decode(column: "proposals", as: String.self) ?? "", texts[1])])
        guard !changes.isEmpty else { return }
        try await AuditTrail.record([AuditTrail.Entry("campaign.report_notes", .campaign, id: campaign, label: kind.title, unit: unit, campaign: campaign,
                                                      changes: changes)], at: now, on: db)
        }
    }
}
