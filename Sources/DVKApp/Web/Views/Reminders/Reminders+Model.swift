import DVKCore
import FluentKit
import Foundation
import SQLKit

/// `/campaigns/{code}/reminders`: the target units in the user's scope that have not
/// handed in (no submission, a draft, or returned), with their contacts, so staff can
/// chase them by email or phone; and the same list as a CSV for Excel.
enum Reminders {
    struct Row: Sendable, Equatable {
        var unitID: UUID
        var code: String
        var name: String
        var parentName: String
        var standing: Standing
        var email: String
        var phone: String
        /// The unit's officers (its active "cán bộ công đoàn cơ sở" accounts): whom to ask for.
        var people: [Person] = []

        /// Whether it would be reminded, and of what (`Standing.reminder(at:)`).
        func reminder(at now: Date) -> Reminder { standing.reminder(at: now) }
    }

    /// An officer of a unit, as the reminders list names them.
    struct Person: Sendable, Equatable {
        var name: String
        var title: String
        var phone: String
        var email: String

        /// "Nguyễn Thị Hoa (Chủ tịch CĐCS)".
        var label: String { title.isEmpty ? name : "\(name) (\(title))" }
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
        /// Email: whether DVK sends it, whether this user may send reminders, and the units
        /// whose address is missing or was refused by a mail server.
        var sendsMail = false
        var canSend = false
        var addressProblems: [AddressProblem] = []
        var addressProblemCount = 0

        var rows: [Row] { paging.slice(matching) }
        /// Units a reminder would go to now (`Standing.reminder(at:)`, with an address), and
        /// not reminded yet today.
        var sendable: Int {
            matching.filter { $0.reminder(at: now).isSent && Mailbox(address: $0.email) != nil && !remindedToday.contains($0.code) }.count
        }
        /// Units of the list already reminded today (the outbox holds today's key).
        var remindedToday: Set<String> = []
        /// Every address of the matching units, once each, ready to paste into "To:".
        var emails: String {
            var seen: Set<String> = []
            return matching.map(\.email).filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }.joined(separator: "; ")
        }
    }

    static func query(_ view: Access.CampaignView, search: String, page: Int?, now: Date, sendsMail: Bool = false,
                      on db: any Database) async throws -> Model {
        let counts = try await Standings.counts(view.campaign, scope: view.scope, on: db)
        let matching = try await rows(view, search: search, on: db)
        let problems = try await addressProblems(view, on: db)
        let reminded = sendsMail ? try await remindedToday(view.campaign, now: now, on: db) : []
        return Model(user: view.user, campaign: view.campaign, scopeName: view.scope.name, targets: counts.expected,
                     pending: counts.pending, query: search, matching: matching,
                     paging: Paging(requested: page, total: matching.count), now: now, sendsMail: sendsMail,
                     canSend: view.user.role.manages && view.campaign.state == .open,
                     addressProblems: problems.shown, addressProblemCount: problems.total,
                     remindedToday: Set(matching.lazy.filter { reminded.contains($0.unitID) }.map(\.code)))
    }

    /// The units of the campaign that a reminder was written to today (Vietnam day), by the
    /// key that keeps them to one a day.
    static func remindedToday(_ campaign: CampaignInfo, now: Date, on db: any Database) async throws -> Set<UUID> {
        let pattern = ReminderRuns.keyPattern(campaign: campaign.id, day: VietnamTime.day(of: now))
        return Set(try await db.sql().select().column("unit_id").from(Outbox.table)
            .where("campaign_id", .equal, campaign.id).where("dedupe_key", .like, pattern).all()
            .map { try $0.decode(column: "unit_id", as: UUID.self) })
    }

    /// A target unit whose email cannot be used: none, or one a mail server refused.
    struct AddressProblem: Sendable, Equatable {
        var code: String
        var name: String
        var email: String
        /// The server's answer when it refused the address; empty when there is none.
        var refusal: String
    }

    /// The target units of the scope without a usable address (the first 100, and how many).
    static func addressProblems(_ view: Access.CampaignView, limit: Int = 100, on db: any Database) async throws -> (shown: [AddressProblem], total: Int) {
        let sql = try db.sql()
        let c = view.campaign.id, pre = view.scope.pre, last = view.scope.last
        let refused = try await sql.raw("""
            SELECT cu.code, cu.name, u.email, MAX(o.last_answer) AS answer FROM outbox o
            JOIN units u ON u.id = o.unit_id AND u.email = o.to_address
            JOIN campaign_units cu ON cu.campaign_id = o.campaign_id AND cu.unit_id = o.unit_id
            WHERE o.campaign_id = \(bind: c) AND o.address_refused = \(bind: true) AND cu.pre BETWEEN \(bind: pre) AND \(bind: last)
            GROUP BY cu.code, cu.name, u.email, cu.pre ORDER BY cu.pre LIMIT \(literal: limit)
            """).all().map {
                AddressProblem(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                               email: try $0.decode(column: "email", as: String.self), refusal: try $0.decode(column: "answer", as: String.self))
            }
        let missingWhere = SQLQueryString("""
            FROM campaign_units cu JOIN units u ON u.id = cu.unit_id
            WHERE cu.campaign_id = \(bind: c) AND cu.is_target = \(bind: true) AND cu.pre BETWEEN \(bind: pre) AND \(bind: last) AND u.email = ''
            """)
        let missingCount = try await sql.raw("SELECT COUNT(*) AS n \(missingWhere)").first()?.decode(column: "n", as: Int.self) ?? 0
        let missing = try await sql.raw("SELECT cu.code, cu.name \(missingWhere) ORDER BY cu.pre LIMIT \(literal: max(0, limit - refused.count))").all().map {
            AddressProblem(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                           email: "", refusal: "")
        }
        return (refused + missing, refused.count + missingCount)
    }

    /// The units of the scope that have not handed in (`Standing.Phase`: not started,
    /// drafting, returned), by name or code without diacritics, with today's contacts.
    static func rows(_ view: Access.CampaignView, search: String = "", on db: any Database) async throws -> [Row] {
        let lines = try await Standings.lines(view.campaign, scope: view.scope, filter: .pending, search: search, contacts: true, on: db).lines
        let people = lines.isEmpty ? [:] : try await officers(view, on: db)
        return lines.map {
            Row(unitID: $0.unitID, code: $0.code, name: $0.name, parentName: $0.parentName, standing: $0.standing,
                email: $0.email, phone: $0.phone, people: people[$0.unitID] ?? [])
        }
    }

    /// The active officer accounts of the scope's target units, by unit, in name order: one
    /// query for the whole list.
    static func officers(_ view: Access.CampaignView, on db: any Database) async throws -> [UUID: [Person]] {
        let rows = try await db.sql().raw("""
            SELECT u.unit_id, u.display_name, u.title, u.phone, u.email FROM users u
            JOIN campaign_units cu ON cu.unit_id = u.unit_id
            WHERE cu.campaign_id = \(bind: view.campaign.id) AND cu.is_target = \(bind: true)
              AND cu.pre BETWEEN \(bind: view.scope.pre) AND \(bind: view.scope.last)
              AND u.role = \(bind: Role.officer.rawValue) AND u.disabled = \(bind: false)
            ORDER BY u.display_name, u.username
            """).all()
        var byUnit: [UUID: [Person]] = [:]
        for row in rows {
            byUnit[try row.decode(column: "unit_id", as: UUID.self), default: []].append(Person(
                name: try row.decode(column: "display_name", as: String.self), title: try row.decode(column: "title", as: String.self),
                phone: try row.decode(column: "phone", as: String.self), email: try row.decode(column: "email", as: String.self)))
        }
        return byUnit
    }

    static let csvHeader = ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Trạng thái", "Hạn của đơn vị", "Email", "Điện thoại", "Người liên hệ"]

    /// The lines above an exported list's header: what it is, of which campaign and scope,
    /// the deadline, and the moment and coverage of its figures (`Coverage`).
    static func title(_ view: Access.CampaignView, counts: StandingCounts, now: Date, what: String = "Danh sách đơn vị chưa nộp hồ sơ") -> [String] {
        ["\(what) — \(view.campaign.title)", "Phạm vi: \(view.scope.name). Hạn nộp: \(DeadlineText.before(view.campaign.deadline)).",
         Coverage(counts, asOf: now).sentence]
    }

    /// UTF-8 with a BOM and CRLF, so Excel opens it with Vietnamese intact.
    static func csv(_ rows: [Row], campaign: CampaignInfo, now: Date) -> String {
        CSVWriter.write(header: csvHeader, rows: rows.map { cells($0, campaign: campaign, now: now) }, bom: true)
    }

    /// A row's cells, in the order of `csvHeader` (the CSV and the .xlsx alike).
    static func cells(_ row: Row, campaign: CampaignInfo, now: Date) -> [String] {
        [row.code, row.name, row.parentName, row.standing.phase.label, row.reminder(at: now).cell(now: now, common: campaign.deadline),
         row.email, row.phone, contactText(row.people)]
    }

    /// "Nguyễn Thị Hoa (Chủ tịch CĐCS), 0912 345 678; Trần Văn Bình": each officer with the
    /// phone of their account.
    static func contactText(_ people: [Person]) -> String {
        people.map { $0.phone.isEmpty ? $0.label : "\($0.label), \($0.phone)" }.joined(separator: "; ")
    }
}
