import DVKCore
import Foundation

extension MailLog {
    static func view(_ m: Model) -> HTMLPage {
        let c = m.campaign
        func tab(_ status: MailStatus?, _ label: String, _ count: Int) -> Node {
            let current = status == m.status
            return .a(.class(current ? "tab current" : "tab"), .href(SiteURL.mail(c.code).link(query: [("q", m.search), ("status", status?.rawValue ?? "")])),
                      .if(current, .attribute("aria-current", "page")), .text("\(label) (\(Format.number(count)))"))
        }
        return Layout.page(title: "Thư đã gửi — \(c.title)", user: m.user, body: [
            .p(.class("crumbs small"), .a(.href(.campaign(c.code)), .text("← \(c.title)"))),
            .h1("Thư đã gửi"),
            .p(.text("Thư hệ thống gửi về các đơn vị trong phạm vi \(m.scopeName): nhắc nộp, báo đã nộp, xác nhận, trả lại, duyệt và thư tổng hợp hằng ngày.")),
            .if(!m.sendsMail, .div(.class("alert"), .role("status"),
                "Hệ thống chưa được cấu hình gửi email: chưa có thư nào được gửi đi. Liên hệ quản trị hệ thống để cấu hình máy chủ thư.")),
            FormField.search(.mail(c.code), label: "Tìm theo tên, mã đơn vị hoặc địa chỉ email", value: m.search,
                             placeholder: "ví dụ: ngoc lam", hidden: m.status.map { [("status", $0.rawValue)] } ?? []),
            .nav(.class("tabs"), .attribute("aria-label", "Lọc theo trạng thái"),
                 tab(nil, "Tất cả", m.total),
                 .forEach(MailStatus.allCases) { tab($0, $0.label, m.counts[$0] ?? 0) }),
            m.entries.isEmpty ? .p(.class("muted"), .text(m.search.isEmpty ? "Chưa có thư nào." : "Không có thư nào khớp với từ tìm kiếm.")) : .group(
                .div(.class("scroll"), .table(.class("list responsive mail"),
                    .thead(.tr(.th("Lúc"), .th("Loại thư"), .th("Về đơn vị"), .th("Gửi tới"), .th("Trạng thái"), .th("Trả lời của máy chủ thư"), .th(""))),
                    .tbody(.forEach(m.entries) { e in row(e, m) }))),
                Pager.nav(m.paging) { page in SiteURL.mail(c.code).link(query: [("q", m.search), ("status", m.status?.rawValue ?? ""), ("page", String(page))]) }),
        ])
    }

    static func row(_ e: Entry, _ m: Model) -> Node {
        let r = e.row
        let badge: String = switch r.status { case .sent: "badge ok"; case .queued: "badge"; case .failed: "badge bad" }
        return .tr(
            .td(.class("nowrap"), .dataLabel("Lúc"), .text(Format.short(r.sentAt ?? r.createdAt))),
            .td(.dataLabel("Loại thư"), .text(r.kind.label), .if(!r.subject.isEmpty, .group(.br(), .span(.class("muted small"), .text(r.subject))))),
            .td(.dataLabel("Về đơn vị"), .text(e.unitName), .br(), .span(.class("muted small"), .text(e.unitCode))),
            .td(.dataLabel("Gửi tới"), r.toAddress.isEmpty ? .span(.class("muted"), "—")
                : .group(.if(!r.toName.isEmpty && r.toName != e.unitName, .group(.text(r.toName), .br())),
                         .span(.class("address small"), .text(r.toAddress)))),
            .td(.dataLabel("Trạng thái"), .span(.class(badge), .text(r.status.label)),
                .if(r.attempts > 1 || (r.status == .queued && r.attempts > 0),
                    .span(.class("muted small"), .text(" · \(r.attempts) lần thử"))),
                .if(r.addressRefused, .group(.br(), .span(.class("overdue small"), "Địa chỉ bị từ chối")))),
            .td(.class("wrap small answer"), .dataLabel("Trả lời"), .text(r.lastAnswer.isEmpty ? "—" : r.lastAnswer)),
            .td(.class("nowrap"), .if(r.status == .failed && m.user.role.manages && m.sendsMail,
                    Layout.postButton("Gửi lại", to: .mailResend(m.campaign.code, r.id), csrf: m.user.csrf, style: "small secondary")))
        )
    }
}
