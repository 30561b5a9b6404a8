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
        var standing: Standing
        var email: String
        var phone: String

        /// The unit's own deadline: the campaign's, or its extension.
        var deadline: Date { standing.deadline }
    }

    struct Model: Sendable {
        var user: CurrentUser
        var campaign: CampaignInfo
        var scopeName: String
        /// Target units in the user's scope, handed in or not.
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

    static func query(_ view: Access.CampaignView, search: String, page: Int?, now: Date, on db: any Database) async throws -> Model {
        let counts = try await Standings.counts(view.campaign, scope: view.scope, on: db)
        let matching = try await rows(view, search: search, on: db)
        return Model(user: view.user, campaign: view.campaign, scopeName: view.scope.name, targets: counts.expected,
                     pending: counts.pending, query: search, matching: matching,
                     paging: Paging(requested: page, total: matching.count), now: now)
    }

    /// The units of the scope that have not handed in (`Standing.Phase`: not started,
    /// drafting, returned), by name or code without diacritics, with today's contacts.
    static func rows(_ view: Access.CampaignView, search: String = "", on db: any Database) async throws -> [Row] {
        try await Standings.lines(view.campaign, scope: view.scope, filter: .pending, search: search, contacts: true, on: db).lines.map {
            Row(code: $0.code, name: $0.name, parentName: $0.parentName, standing: $0.standing, email: $0.email, phone: $0.phone)
        }
    }

    static let csvHeader = ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Trạng thái", "Email", "Điện thoại"]

    /// UTF-8 with a BOM and CRLF, so Excel opens it with Vietnamese intact.
    static func csv(_ rows: [Row]) -> String {
        CSVWriter.write(header: csvHeader,
                        rows: rows.map { [$0.code, $0.name, $0.parentName, $0.standing.phase.label, $0.email, $0.phone] },
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
