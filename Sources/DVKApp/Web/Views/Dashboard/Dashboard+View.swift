import DVKCore
import DVKDocuments
import Foundation

extension Dashboard {
    static let tableAnchor = "cac-don-vi"

    static func view(_ m: Model) -> HTMLPage {
        let c = m.view.campaign
        return Layout.page(title: c.title, user: m.view.user, body: [
            .p(.class("muted small"), .a(.href(.campaigns), "Đợt thi đua"), .text(" › " + m.view.scope.name)),
            .h1(.text(c.title)),
            .p(.class("muted"), .text("\(c.issuerName) · Số \(c.number.isEmpty ? "—" : c.number) · \(c.state.label)")),
            .p(.text("Hạn nộp: "), .span(.class("deadline"), .text(DeadlineText.before(c.deadline))),
               .if(c.state == .open, .span(.class("muted"), .text(" — " + DeadlineText.timeLeft(until: c.deadline, now: m.now))))),
            .div(.class("actions"),
                .a(.class("button"), .href(.queue(c.code)), .text("Hàng chờ duyệt (\(Format.number(m.counts.waitingReview)))")),
                .a(.class("button secondary"), .href(.reminders(c.code)), "Đơn vị chưa nộp"),
                .if(m.view.user.role != .officer, .a(.class("button secondary"), .href(.mail(c.code)), "Thư đã gửi")),
                .if(m.view.user.role != .officer, .a(.class("button secondary"), .href(.year(c.code)), "Theo dõi, công nhận mô hình")),
                .if(m.view.canRun, .a(.class("button secondary"), .href(.campaignEdit(c.code)), "Sửa đợt thi đua"))),
            .if(m.view.canRun, Layout.campaignWarnings(c, now: m.now)),
            cards(m),
            .h2("Số mô hình theo lĩnh vực"),
            .div(.class("card scroll"), chart(m.summary), bars(m.summary)),
            .h2(.text("Biểu tổng hợp — \(m.view.scope.name)")),
            .p(.class("muted small coverage"), .text(Coverage(m.counts, asOf: m.now).sentence)),
            Layout.summaryTable(m.summary),
            downloads(m),
            .section(.id(tableAnchor),
                .h2(.text(m.filter == .all ? "Các đơn vị" : "Các đơn vị: \(m.filter.label.lowercased())")),
                filters(m),
                unitTable(m),
                Pager.nav(m.paging) { link(m, filter: m.filter, page: $0) }),
            .unwrap(m.trail) { AuditHistory.section($0, title: "Lịch sử thay đổi của đợt", more: SiteURL.audit.link(query: [("kind", "campaign")])) },
        ])
    }

    static func link(_ m: Model, filter: Filter, page: Int? = nil) -> Link {
        SiteURL.campaign(m.view.campaign.code).link(
            query: [("status", filter == .all ? "" : filter.rawValue), ("sort", m.sort == .tree ? "" : m.sort.rawValue),
                    ("q", m.search), ("page", page.map(String.init) ?? "")],
            fragment: tableAnchor)
    }

    /// The counts as a clerk groups them, each a link to the table filtered by it:
    /// đã nộp (đúng hạn + muộn; chờ duyệt, đã duyệt, không đăng ký) and chưa nộp
    /// (chưa bắt đầu, đang soạn, đã trả lại).
    static func cards(_ m: Model) -> Node {
        let k = m.counts
        func card(_ filter: Filter, _ label: String, _ value: Int, _ style: String = "") -> Node {
            .a(.class("stat \(style)" + (m.filter == filter ? " current" : "")), .href(link(m, filter: filter)),
               .b(.text(Format.number(value))), .span(.text(label)))
        }
        return .div(.class("status-groups"),
            .section(.class("group submitted"), .ariaLabel("Đã nộp"),
                .div(.class("group-head"), card(.submitted, "Đã nộp", k.submitted, "big"),
                     .span(.class("muted small"), .text("trên \(Format.number(k.expected)) đơn vị phải nộp"))),
                .div(.class("stats"),
                    card(.onTime, "Đúng hạn", k.onTime), card(.late, "Nộp muộn", k.late, k.late > 0 ? "alarm" : ""),
                    card(.waitingReview, "Chờ duyệt", k.waitingReview, k.waitingReview > 0 ? "todo" : ""),
                    card(.accepted, "Đã duyệt", k.accepted), card(.noModel, "Không đăng ký", k.noModel),
                    .if(k.resubmittedLate > 0, card(.resubmittedLate, "Nộp lại muộn", k.resubmittedLate, "alarm")))),
            .section(.class("group pending"), .ariaLabel("Chưa nộp"),
                .div(.class("group-head"), card(.pending, "Chưa nộp", k.pending, "big"),
                     .a(.class("small"), .href(.reminders(m.view.campaign.code)), "Đơn vị chưa nộp →")),
                .div(.class("stats"),
                    card(.notStarted, "Chưa bắt đầu", k.notStarted), card(.draft, "Đang soạn", k.draft),
                    card(.returned, "Đã trả lại", k.returned, k.returned > 0 ? "alarm" : "")))
        )
    }

    /// Horizontal bars per sector: collective and individual models, drawn on the server.
    static func chart(_ summary: Summary) -> Node {
        let maxValue = max(1, summary.rows.map { max($0.tally.collectiveInitiatives, $0.tally.individualInitiatives) }.max() ?? 1)
        let labelWidth = 250.0, barWidth = 380.0, rowHeight = 46.0
        let height = Double(summary.rows.count) * rowHeight + 30
        // One decimal, as "%.1f" writes a coordinate (String(format:) was a twentieth of the page).
        func n(_ x: Double) -> String {
            let tenths = Int((abs(x) * 10).rounded())
            return (x < 0 && tenths > 0 ? "-" : "") + "\(tenths / 10).\(tenths % 10)"
        }
        func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: String) -> Node {
            .element("rect", [.attribute("x", n(x)), .attribute("y", n(y)), .attribute("width", n(w)), .attribute("height", n(h)),
                              .attribute("fill", color)])
        }
        func label(_ x: Double, _ y: Double, _ text: String) -> Node {
            .element("text", [.attribute("x", n(x)), .attribute("y", n(y)), .text(text)])
        }
        var parts: [Node] = [.class("chart"), .role("img"), .ariaLabel("Số mô hình theo lĩnh vực"),
                             .attribute("viewBox", "0 0 \(Int(labelWidth + barWidth + 60)) \(Int(height))"),
                             .attribute("width", "100%"), .attribute("preserveAspectRatio", "xMinYMin meet")]
        for (i, row) in summary.rows.enumerated() {
            let y = Double(i) * rowHeight + 4
            parts.append(label(0, y + 18, row.sector.name))
            for (j, (value, color)) in [(row.tally.collectiveInitiatives, "#9b1c1c"), (row.tally.individualInitiatives, "#0b57b0")].enumerated() {
                let w = barWidth * Double(value) / Double(maxValue)
                let by = y + Double(j) * 18 + 4
                parts.append(rect(labelWidth, by, w, 14, color))
                parts.append(label(labelWidth + w + 4, by + 12, Format.number(value)))
            }
        }
        let ly = height - 10
        parts += [rect(labelWidth, ly - 10, 12, 12, "#9b1c1c"), label(labelWidth + 16, ly, "Mô hình của tập thể"),
                  rect(labelWidth + 170, ly - 10, 12, 12, "#0b57b0"), label(labelWidth + 186, ly, "Mô hình của cá nhân")]
        return .element("svg", parts)
    }

    /// The same numbers as bars of text for a phone, where the drawing's labels would be too small.
    static func bars(_ summary: Summary) -> Node {
        let maxValue = max(1, summary.rows.map { max($0.tally.collectiveInitiatives, $0.tally.individualInitiatives) }.max() ?? 1)
        func bar(_ kind: String, _ label: String, _ value: Int) -> Node {
            .div(.class("bar \(kind)"),
                 // Widths in steps of 5 % by class: the content policy allows no inline style.
                 .span(.class("fill w\(Int((20 * Double(value) / Double(maxValue)).rounded()) * 5)")),
                 .text("\(Format.number(value)) \(label)"))
        }
        return .ul(.class("bars"), .forEach(summary.rows) { row in
            .li(.span(.class("name"), .text(row.sector.name)),
                bar("collective", "của tập thể", row.tally.collectiveInitiatives),
                bar("individual", "của cá nhân", row.tally.individualInitiatives))
        })
    }

    static func downloads(_ m: Model) -> Node {
        let c = m.view.campaign.code, u = m.view.scope.code
        func links(_ kind: CampaignDocuments.Kind, _ formats: [DocumentFormat]) -> Node {
            .forEach(formats) { f in
                .group(.text(" "), .a(.class("button small secondary"), .href(.document(campaign: c, unit: u, kind: kind, format: f)),
                                      .text(f.label)))
            }
        }
        return .div(.class("card"), .id("van-ban"),
            .h2("Văn bản"),
            .p(.text("Biểu tổng hợp:"), links(.summary, DocumentFormat.allCases)),
            .p(.text("Biểu tổng hợp kèm từng đơn vị:"), links(.summaryUnits, DocumentFormat.allCases)),
            .p(.text("Danh sách mô hình:"), links(.list, DocumentFormat.allCases)),
            .if(m.view.scope.kind == .federation, .p(.text("Báo cáo kết quả đăng ký:"), links(.report, [.docx, .pdf]))),
            .unwrap(m.notes) { ReportNotesForm.view($0, campaign: m.view.campaign.code, kind: .registration, csrf: m.view.user.csrf) },
            .if(m.view.isWhole, .p(.text("Công văn triển khai:"), links(.letter, [.docx, .pdf])))
        )
    }

    static func filters(_ m: Model) -> Node {
        .form(.class("filters"), .method(.get), .action(SiteURL.campaign(m.view.campaign.code).link(fragment: tableAnchor)),
            .div(.label(.for("q"), "Tìm đơn vị"),
                 .input(.type(.search), .id("q"), .name("q"), .value(m.search), .placeholder("tên hoặc mã, không cần dấu"))),
            .div(.label(.for("status"), "Trạng thái"),
                 .select(.id("status"), .name("status"), .forEach(Filter.allCases) { f in
                     .option(value: f.rawValue, label: f.label, selected: f == m.filter)
                 })),
            .div(.label(.for("sort"), "Sắp xếp"),
                 .select(.id("sort"), .name("sort"), .forEach(Sort.allCases) { s in
                     .option(value: s.rawValue, label: s.label, selected: s == m.sort)
                 })),
            .button(.type(.submit), "Lọc"),
            .a(.class("button secondary"), .href(SiteURL.unitsTable(m.view.campaign.code).link(query: [("status", m.filter.rawValue), ("q", m.search)])),
               "Tải bảng (Excel)"))
    }

    static func unitTable(_ m: Model) -> Node {
        guard !m.rows.isEmpty else { return .p(.class("muted"), "Không có đơn vị nào khớp bộ lọc.") }
        let c = m.view.campaign.code
        // On a phone each unit is two lines: its name and status, then its three numbers.
        return .div(.class("scroll"), .table(.class("list responsive compact"),
            .caption(.class("muted small"), .text("\(Format.number(m.paging.total)) đơn vị · trang \(m.paging.page)/\(m.paging.pageCount)")),
            .thead(.tr(.th("Đơn vị"), .th("Cấp trên"), .th("Trạng thái"), .th(.class("num"), "Mô hình"),
                       .th(.class("num"), "Tập thể"), .th(.class("num"), "Cá nhân"), .th("Nộp lúc"))),
            .tbody(.forEach(m.rows) { r in
                let s = r.line.standing
                return .tr(
                    .td(.dataLabel("Đơn vị"), .a(.href(.unitPage(campaign: c, unit: r.line.code)), .text(r.line.name))),
                    .td(.class("aside"), .dataLabel("Cấp trên"), .text(r.line.parentName)),
                    .td(.class("status"), .dataLabel("Trạng thái"), Layout.standingBadge(s)),
                    .td(.class("num"), .dataLabel("Mô hình"), .text(modelsCell(r))),
                    .td(.class("num"), .dataLabel("Tập thể"), .text(Format.number(r.counted.collectives))),
                    .td(.class("num"), .dataLabel("Cá nhân"), .text(Format.number(r.counted.individuals))),
                    .td(.class("aside"), .dataLabel("Nộp lúc"), .text(s.lastSubmittedAt.map(Format.short) ?? "—")))
            })
        ))
    }

    /// The unit's models: those that count, or — while the unit is still working on them
    /// — how many it has ("5 · đang sửa").
    static func modelsCell(_ r: Row) -> String {
        switch r.line.standing.phase {
        case .returned: "\(Format.number(r.line.initiatives)) · đang sửa"
        case .draft: "\(Format.number(r.line.initiatives)) · đang soạn"
        case .notStarted: "—"
        default: Format.number(r.line.initiatives)
        }
    }
}
