import DVKCore
import Foundation

extension ReviewQueue {
    static func view(_ m: Model) -> HTMLPage {
        let c = m.view.campaign
        return Layout.page(title: "Hàng chờ duyệt — \(c.title)", user: m.view.user, body: [
            .p(.class("crumbs small"), .a(.href(.campaign(c.code)), .text("← \(c.title)"))),
            .h1("Hàng chờ duyệt"),
            .p(.text("\(Format.number(m.counts.waitingReview)) đơn vị trong phạm vi \(m.view.scope.name) đã nộp hồ sơ và đang chờ duyệt; "
                     + "đơn vị chờ lâu nhất ở đầu danh sách. Đã duyệt: \(Format.number(m.counts.accepted)) · "
                     + "không đăng ký mô hình: \(Format.number(m.counts.noModel)).")),
            .if(m.counts.waitingReview > 0,
                FormField.search(.queue(c.code), label: "Tìm đơn vị chờ duyệt theo tên hoặc mã", value: m.search,
                                 placeholder: "ví dụ: tieu hoc ngoc lam")),
            .if(!m.search.isEmpty, .p(.attribute("role", "status"),
                .text("Tìm “\(m.search)”: \(Format.number(m.found)) đơn vị chờ duyệt. "), .a(.href(.queue(c.code)), "Xem cả hàng chờ"))),
            m.lines.isEmpty
                ? (m.search.isEmpty ? .div(.class("alert ok"), "Không còn hồ sơ nào chờ duyệt.")
                                    : .p(.class("muted"), "Không có đơn vị chờ duyệt nào khớp với từ tìm kiếm."))
                : .group(
                    .div(.class("actions"), .a(.class("button"), .href(.unitPage(campaign: c.code, unit: m.lines[0].code)),
                                               .text("Bắt đầu duyệt: \(m.lines[0].name)"))),
                    .div(.class("scroll"), .table(.class("list responsive"),
                        .thead(.tr(.th("TT"), .th("Đơn vị"), .th("Cấp trên"), .th(.class("num"), "Mô hình"), .th("Nộp lúc"), .th("Chờ"), .th(""))),
                        .tbody(.forEach(Array(m.lines.enumerated())) { i, line in
                            .tr(.td(.class("num"), .dataLabel("TT"), .text(Format.number(m.paging.offset + i + 1))),
                                .td(.dataLabel("Đơn vị"), .a(.href(.unitPage(campaign: c.code, unit: line.code)), .text(line.name)),
                                    .br(), Layout.standingBadge(line.standing)),
                                .td(.dataLabel("Cấp trên"), .text(line.parentName)),
                                .td(.class("num"), .dataLabel("Mô hình"), .text(Format.number(line.initiatives))),
                                .td(.dataLabel("Nộp lúc"), .text(line.standing.lastSubmittedAt.map(Format.short) ?? "—")),
                                .td(.dataLabel("Chờ"), .text(line.standing.lastSubmittedAt.map { Format.waited(since: $0, now: m.now) } ?? "—")),
                                .td(.a(.class("button small"), .href(.unitPage(campaign: c.code, unit: line.code)), "Xem và duyệt")))
                        })
                    )),
                    Pager.nav(m.paging) { SiteURL.queue(c.code).link(query: [("q", m.search), ("page", String($0))]) }
                ),
        ])
    }
}
