import DVKCore
import FluentKit
import Foundation
import SQLKit

/// `/campaigns/{code}/reminders`: the target units in the user's scope that have not
/// handed in (no submission, a draft, or returned), with their contacts, so staff can
/// chase them by email or phone; and the same list as a CSV for Excel.
enum Reminders {
    struct Row: Sendable, Equatable {
        var code: String
        var name: String
        var parentName: String
        var status: SubmissionStatus
        var email: String
        var phone: String
        /// The unit's own deadline: the campaign's, or its extension.
        var deadline: Date
    }

    struct Model: Sendable {
        var user: CurrentUser
        var campaign: CampaignInfo
        var scopeName: String
        /// Target units in the user's scope, submitted or not.
        var targets: Int
        /// Units not handed in (before the name filter).
        var pending: Int
        var query: String
        /// Rows matching the filter (all pages).
        var matching: [Row]
        var paging: Paging
        var now: Date

        var rows: [Row] { paging.slice(matching) }
        /// Every address of the matching units, once each, ready to paste into "To:".
        var emails: String {
            var seen: Set<String> = []
            return matching.map(\.email).filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }.joined(separator: "; ")
        }
    }

    static let waiting: [SubmissionStatus] = [.notStarted, .draft, .returned]

    static func query(_ view: Access.CampaignView, search: String, page: Int?, now: Date, on db: any Database) async throws -> Model {
        let all = try await rows(view, on: db)
        let matching = filter(all, search)
        let targets = try await CampaignUnit.query(on: db).filter(\.$campaignID == view.campaign.id).filter(\.$isTarget == true)
            .filter(\.$pre >= view.scope.pre).filter(\.$pre <= view.scope.last).count()
        return Model(user: view.user, campaign: view.campaign, scopeName: view.scope.name, targets: targets, pending: all.count,
                     query: search, matching: matching, paging: Paging(requested: page, total: matching.count), now: now)
    }

    /// One query: the campaign's frozen tree (names, parents) for the scope's range, the
    /// submissions by (campaign, unit), and the live units for today's contacts.
    static func rows(_ view: Access.CampaignView, on db: any Database) async throws -> [Row] {
        let cu = SQLIdentifier("cu"), p = SQLIdentifier("p"), s = SQLIdentifier("s"), u = SQLIdentifier("u")
        func col(_ name: String, _ table: SQLIdentifier) -> SQLColumn { SQLColumn(SQLIdentifier(name), table: table) }
        let rows = try await db.sql().select()
            .column(col("code", cu)).column(col("name", cu))
            .column(col("name", p), as: "parent_name")
            .column(col("status", s))
            .column(col("email", u)).column(col("phone", u))
            .column(col("extended_until", cu))
            .from(SQLAlias(SQLIdentifier(CampaignUnit.schema), as: cu))
            .join(SQLAlias(SQLIdentifier(CampaignUnit.schema), as: p), method: SQLJoinMethod.left,
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(col("campaign_id", p), .equal, col("campaign_id", cu)), .and,
                      SQLBinaryExpression(col("unit_id", p), .equal, col("parent_unit_id", cu))))
            .join(SQLAlias(SQLIdentifier(Submission.schema), as: s), method: SQLJoinMethod.left,
                  on: SQLBinaryExpression(
                      SQLBinaryExpression(col("campaign_id", s), .equal, col("campaign_id", cu)), .and,
                      SQLBinaryExpression(col("unit_id", s), .equal, col("unit_id", cu))))
            .join(SQLAlias(SQLIdentifier(Unit.schema), as: u), method: SQLJoinMethod.left,
                  on: col("id", u), .equal, col("unit_id", cu))
            .where(col("campaign_id", cu), .equal, SQLBind(view.campaign.id))
            .where(col("is_target", cu), .equal, SQLBind(true))
            .where(col("pre", cu), .greaterThanOrEqual, SQLBind(view.scope.pre))
            .where(col("pre", cu), .lessThanOrEqual, SQLBind(view.scope.last))
            .where(group: { group in
                group.where(col("status", s), .is, SQLLiteral.null)
                    .orWhere(col("status", s), .in, SQLBind.group(waiting.map(\.rawValue)))
            })
            .orderBy(col("pre", cu))
            .all()
        let deadline = view.campaign.deadline
        return try rows.map { row in
            func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
                try row.decodeNil(column: column) ? nil : row.decode(column: column, as: T.self)
            }
            let extended = try optional("extended_until", Date.self)
            return Row(code: try row.decode(column: "code", as: String.self),
                       name: try row.decode(column: "name", as: String.self),
                       parentName: try optional("parent_name", String.self) ?? "",
                       status: try optional("status", String.self).flatMap(SubmissionStatus.init(rawValue:)) ?? .notStarted,
                       email: try optional("email", String.self) ?? "",
                       phone: try optional("phone", String.self) ?? "",
                       deadline: max(deadline, extended ?? deadline))
        }
    }

    /// By name or code, without diacritics ("ngoc lam" finds "Ngọc Lâm").
    static func filter(_ rows: [Row], _ search: String) -> [Row] {
        let key = VietnameseText.searchKey(search)
        guard !key.isEmpty else { return rows }
        return rows.filter { VietnameseText.searchKey($0.name).contains(key) || $0.code.lowercased().contains(key) }
    }

    static let csvHeader = ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Trạng thái", "Email", "Điện thoại"]

    /// UTF-8 with a BOM and CRLF, so Excel opens it with Vietnamese intact.
    static func csv(_ rows: [Row]) -> String {
        CSVWriter.write(header: csvHeader,
                        rows: rows.map { [$0.code, $0.name, $0.parentName, $0.status.label, $0.email, $0.phone] },
                        bom: true)
    }

    /// "còn 2 ngày 3 giờ" / "quá hạn 5 ngày": how far the unit's deadline is from now.
    static func distance(to deadline: Date, from now: Date) -> String {
        let seconds = Int(deadline.timeIntervalSince(now).rounded())
        let minutes = max(1, abs(seconds) / 60)
        let days = minutes / 1440, hours = minutes % 1440 / 60, mins = minutes % 60
        let span: String
        if days > 0 { span = "\(days) ngày" + (hours > 0 ? " \(hours) giờ" : "") }
        else if hours > 0 { span = "\(hours) giờ" + (mins > 0 ? " \(mins) phút" : "") }
        else { span = "\(mins) phút" }
        return seconds > 0 ? "còn \(span)" : "quá hạn \(span)"
    }
}
