import DVKCore
import FluentKit
import Foundation
import Plot

/// A federation's view of a campaign: completeness, the sector chart, the roll-up, and
/// the table of its units with filters, sorting and pages (6,300 units stay one query).
enum Dashboard {
    enum Filter: String, CaseIterable, Sendable {
        case all, pending, submitted, onTime = "on_time", late, returned, accepted, noModel = "no_model"

        var label: String {
            switch self {
            case .all: "Tất cả"
            case .pending: "Chưa nộp"
            case .submitted: "Đã nộp"
            case .onTime: "Nộp đúng hạn"
            case .late: "Nộp muộn"
            case .returned: "Đã trả lại"
            case .accepted: "Đã duyệt"
            case .noModel: "Không đăng ký mô hình"
            }
        }
    }

    enum Sort: String, CaseIterable, Sendable {
        case tree, name, status, submitted, initiatives
        var label: String {
            switch self {
            case .tree: "Theo cây đơn vị"
            case .name: "Tên đơn vị"
            case .status: "Trạng thái"
            case .submitted: "Thời điểm nộp"
            case .initiatives: "Số mô hình"
            }
        }
    }

    struct Query: Sendable, Decodable {
        var status: String?
        var q: String?
        var sort: String?
        var page: Int?

        init(status: String? = nil, q: String? = nil, sort: String? = nil, page: Int? = nil) {
            self.status = status
            self.q = q
            self.sort = sort
            self.page = page
        }
    }

    struct UnitRow: Sendable {
        var code: String
        var name: String
        var parent: String
        var pre: Int
        var status: SubmissionStatus
        var noModel: Bool
        var submittedAt: Date?
        var late: Bool
        var line: SummaryQuery.UnitLine
    }

    struct Model: Sendable {
        var view: Access.CampaignView
        var completeness: CompletenessCount
        var summary: Summary
        var rows: [UnitRow]
        var total: Int
        var page: Int
        var pages: Int
        var filter: Filter
        var sort: Sort
        var search: String
        var now: Date
        var flash: String?
    }

    static let pageSize = 50

    static func query(view: Access.CampaignView, params: Query, now: Date, flash: String?, on db: any Database) async throws -> Model {
        let campaign = view.campaign
        let targets = try await TargetStatus.all(campaign, scope: view.scope, on: db)
        let lines = try await SummaryQuery.unitLines(campaign, unit: view.scope, on: db)
        let all = targets.map { t in
            UnitRow(code: t.code, name: t.name, parent: t.parentName, pre: t.pre, status: t.status, noModel: t.noModel,
                    submittedAt: t.submittedAt, late: t.late,
                    line: lines[t.unitID] ?? SummaryQuery.UnitLine(initiatives: 0, collectives: 0, individuals: 0))
        }
        let completeness = CompletenessCount(targets)
        let filter = Filter(rawValue: params.status ?? "") ?? .all
        let sort = Sort(rawValue: params.sort ?? "") ?? .tree
        let search = VietnameseText.searchKey(params.q ?? "")
        var shown = all.filter { row in
            switch filter {
            case .all: true
            case .pending: !row.status.counts
            case .submitted: row.status.counts
            case .onTime: row.status.counts && !row.late
            case .late: row.late
            case .returned: row.status == .returned
            case .accepted: row.status == .accepted
            case .noModel: row.noModel && row.status.counts
            }
        }
        if !search.isEmpty {
            shown = shown.filter { VietnameseText.searchKey($0.name).contains(search) || $0.code.lowercased().contains(search) }
        }
        switch sort {
        case .tree: shown.sort { $0.pre < $1.pre }
        case .name: shown.sort { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        case .status: shown.sort { ($0.status.rawValue, $0.pre) < ($1.status.rawValue, $1.pre) }
        case .submitted: shown.sort { ($0.submittedAt ?? .distantFuture, $0.pre) < ($1.submittedAt ?? .distantFuture, $1.pre) }
        case .initiatives: shown.sort { ($0.line.initiatives, -$0.pre) > ($1.line.initiatives, -$1.pre) }
        }
        let pages = max(1, (shown.count + pageSize - 1) / pageSize)
        let page = min(max(1, params.page ?? 1), pages)
        let slice = Array(shown.dropFirst((page - 1) * pageSize).prefix(pageSize))
        let summary = try await SummaryQuery.official(campaign, unit: view.scope, on: db)
        return Model(view: view, completeness: completeness, summary: summary, rows: slice, total: shown.count, page: page,
                     pages: pages, filter: filter, sort: sort, search: params.q ?? "", now: now, flash: flash)
    }

    static func view(_ m: Model) -> String {
        let c = m.view.campaign
        let k = m.completeness
        return Layout.page(title: c.title, user: m.view.user, flash: m.flash, body: [
            .p(.class("muted small"), .a(.href(SiteURL.campaigns.path), "Đợt thi đua"), .text(" › " + m.view.scope.name)),
            .h1(.text(c.title)),
            .p(.class("muted"), .text("\(c.issuerName) · Số \(c.number.isEmpty ? "—" : c.number) · \(c.state.label)")),
            .p(.text("Hạn nộp: "), .span(.class("deadline"), .text(VietnamTime.describe(c.deadline))),
               .if(c.state == .open, .span(.class("muted"), .text(" — " + Format.timeLeft(until: c.deadline, now: m.now))))),
            .div(.class("actions"),
                .a(.class("button secondary"), .href(SiteURL.reminders(c.code).path), "Danh sách cần nhắc"),
                .if(m.view.canRun, .a(.class("button secondary"), .href(SiteURL.campaignEdit(c.code).path), "Sửa đợt thi đua"))),
            .div(.class("grid"),
                stat("Đơn vị phải nộp", k.expected), stat("Đã nộp", k.submitted), stat("Đúng hạn", k.onTime),
                stat("Nộp muộn", k.late), stat("Không đăng ký mô hình", k.noModel), stat("Chưa nộp", k.pending),
                stat("Đã trả lại", k.returned), stat("Đã duyệt", k.accepted)),
            .h2("Số mô hình theo lĩnh vực"),
            .div(.class("card scroll"), .raw(chart(m.summary))),
            .h2(.text("Biểu tổng hợp — \(m.view.scope.name)")),
            Layout.summaryTable(m.summary),
            downloads(m),
            .h2("Các đơn vị"),
            filters(m),
            unitTable(m),
            pager(m),
        ])
    }

    static func stat(_ label: String, _ value: Int) -> Node<HTML.BodyContext> {
        .div(.class("stat"), .b(.text(Format.number(value))), .span(.class("muted"), .text(label)))
    }

    /// Horizontal bars per sector: collective and individual models, drawn on the server.
    static func chart(_ summary: Summary) -> String {
        let maxValue = max(1, summary.rows.map { max($0.tally.collectiveInitiatives, $0.tally.individualInitiatives) }.max() ?? 1)
        let labelWidth = 250.0, barWidth = 380.0, rowHeight = 46.0
        let height = Double(summary.rows.count) * rowHeight + 30
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"Số mô hình theo lĩnh vực\" viewBox=\"0 0 \(Int(labelWidth + barWidth + 60)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">"
        for (i, row) in summary.rows.enumerated() {
            let y = Double(i) * rowHeight + 4
            svg += "<text x=\"0\" y=\"\(y + 18)\">\(escape(row.sector.name))</text>"
            for (j, (value, color)) in [(row.tally.collectiveInitiatives, "#9b1c1c"), (row.tally.individualInitiatives, "#0b57b0")].enumerated() {
                let w = barWidth * Double(value) / Double(maxValue)
                let by = y + Double(j) * 18 + 4
                svg += "<rect x=\"\(labelWidth)\" y=\"\(by)\" width=\"\(String(format: "%.1f", w))\" height=\"14\" fill=\"\(color)\"/>"
                svg += "<text x=\"\(String(format: "%.1f", labelWidth + w + 4))\" y=\"\(by + 12)\">\(value)</text>"
            }
        }
        let ly = height - 10
        svg += "<rect x=\"\(labelWidth)\" y=\"\(ly - 10)\" width=\"12\" height=\"12\" fill=\"#9b1c1c\"/><text x=\"\(labelWidth + 16)\" y=\"\(ly)\">Mô hình của tập thể</text>"
        svg += "<rect x=\"\(labelWidth + 170)\" y=\"\(ly - 10)\" width=\"12\" height=\"12\" fill=\"#0b57b0\"/><text x=\"\(labelWidth + 186)\" y=\"\(ly)\">Mô hình của cá nhân</text>"
        return svg + "</svg>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func downloads(_ m: Model) -> Node<HTML.BodyContext> {
        let c = m.view.campaign.code, u = m.view.scope.code
        func links(_ kind: String, _ formats: [String]) -> Node<HTML.BodyContext> {
            .forEach(formats) { f in .group(.text(" "), .a(.class("button small secondary"), .href(SiteURL.document(campaign: c, unit: u, kind: kind, format: f).path), .text(f.uppercased()))) }
        }
        return .div(.class("card"),
            .h2("Văn bản"),
            .p(.text("Biểu tổng hợp:"), links("summary", ["docx", "pdf", "xlsx"]),
               .text(" · kèm từng đơn vị:"), links("summary-units", ["docx", "pdf", "xlsx"])),
            .p(.text("Danh sách mô hình:"), links("list", ["docx", "pdf", "xlsx"])),
            .if(m.view.isWhole, .group(
                .p(.text("Báo cáo kết quả đăng ký:"), links("report", ["docx", "pdf"])),
                .p(.text("Công văn triển khai:"), links("letter", ["docx", "pdf"]))
            ))
        )
    }

    static func filters(_ m: Model) -> Node<HTML.BodyContext> {
        let statuses: [Node<HTML.SelectContext>] = Filter.allCases.map { f in
            .option(.value(f.rawValue), .label(f.label), .isSelected(f == m.filter))
        }
        let sorts: [Node<HTML.SelectContext>] = Sort.allCases.map { s in
            .option(.value(s.rawValue), .label(s.label), .isSelected(s == m.sort))
        }
        return .form(.class("filters"), .method(.get), .action(SiteURL.campaign(m.view.campaign.code).path),
            .label(.for("q"), "Tìm đơn vị"),
            .input(.type(.search), .id("q"), .name("q"), .value(m.search), .placeholder("tên hoặc mã, không cần dấu")),
            .label(.for("status"), "Trạng thái"),
            .select(.id("status"), .attribute(named: "name", value: "status"), .group(statuses)),
            .label(.for("sort"), "Sắp xếp"),
            .select(.id("sort"), .attribute(named: "name", value: "sort"), .group(sorts)),
            .button(.type(.submit), "Lọc")
        )
    }

    static func unitTable(_ m: Model) -> Node<HTML.BodyContext> {
        guard !m.rows.isEmpty else { return .p(.class("muted"), "Không có đơn vị nào khớp bộ lọc.") }
        return .div(.class("scroll"), .table(.class("list responsive"),
            .thead(.tr(.th("Đơn vị"), .th("Cấp trên"), .th("Trạng thái"), .th(.class("num"), "Mô hình"),
                       .th(.class("num"), "Tập thể"), .th(.class("num"), "Cá nhân"), .th("Nộp lúc"))),
            .tbody(.forEach(m.rows) { r in
                .tr(.td(.attribute(named: "data-label", value: "Đơn vị"),
                        .a(.href(SiteURL.unitPage(campaign: m.view.campaign.code, unit: r.code).path), .text(r.name))),
                    .td(.attribute(named: "data-label", value: "Cấp trên"), .text(r.parent)),
                    .td(.attribute(named: "data-label", value: "Trạng thái"), Layout.statusBadge(r.status, late: r.late, noModel: r.noModel)),
                    .td(.class("num"), .attribute(named: "data-label", value: "Mô hình"), .text("\(r.line.initiatives)")),
                    .td(.class("num"), .attribute(named: "data-label", value: "Tập thể"), .text("\(r.line.collectives)")),
                    .td(.class("num"), .attribute(named: "data-label", value: "Cá nhân"), .text("\(r.line.individuals)")),
                    .td(.attribute(named: "data-label", value: "Nộp lúc"), .text(r.submittedAt.map(Format.short) ?? "—")))
            })
        ))
    }

    static func pager(_ m: Model) -> Node<HTML.BodyContext> {
        func link(_ page: Int) -> String {
            var q = ["page=\(page)", "status=\(m.filter.rawValue)", "sort=\(m.sort.rawValue)"]
            if !m.search.isEmpty { q.append("q=" + (m.search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
            return SiteURL.campaign(m.view.campaign.code).path + "?" + q.joined(separator: "&")
        }
        return .div(.class("pager"),
            .if(m.page > 1, .a(.class("button small secondary"), .href(link(m.page - 1)), "← Trước")),
            .span(.class("muted"), .text("Trang \(m.page)/\(m.pages) · \(Format.number(m.total)) đơn vị")),
            .if(m.page < m.pages, .a(.class("button small secondary"), .href(link(m.page + 1)), "Sau →")))
    }
}
