import DVKCore
import Foundation

/// The audit page: filters above, 50 events a page, newest first.
enum AuditPage {
    struct Model: Sendable {
        var user: CurrentUser
        var form: AuditController.Form
        var problems: [String]
        var lines: [AuditQuery.Line]
        var next: AuditQuery.Cursor?
        var isFirst: Bool
    }

    static func view(_ m: Model) -> HTMLPage {
        let f = m.form
        let kinds: [(value: String, label: String)] = [("", "Mọi loại")] + AuditObjectKind.allCases.map { ($0.rawValue, $0.label) }
        let actions: [(value: String, label: String)] = [("", "Mọi việc")] + AuditTrail.labels.sorted { $0.value < $1.value }.map { ($0.key, $0.value) }
        return Layout.page(title: "Nhật ký thay đổi", user: m.user, body: [
            .h1("Nhật ký thay đổi"),
            .p(.text("Mọi thay đổi trong phạm vi \(m.user.role == .admin ? "toàn hệ thống" : m.user.unitName): ai làm, lúc nào, từ đâu, sửa gì từ giá trị nào sang giá trị nào. Nhật ký chỉ được ghi thêm, không ai sửa hay xóa được; lệnh "),
               .code("dvk audit verify"), .text(" kiểm tra chuỗi mã băm của nó.")),
            .form(.class("filters audit-filters"), .method(.get), .action(.audit), .role("search"),
                .div(.class("row3"),
                    field("q", "Tìm (không cần dấu)", f.q, placeholder: "vd: tu sach, ngoc lam"),
                    field("unit", "Mã đơn vị (cả cấp dưới)", f.unit, placeholder: "vd: LB-GD"),
                    field("person", "Tên đăng nhập người thực hiện", f.person, placeholder: "vd: ngoclam")),
                .div(.class("row3"),
                    select("kind", "Loại đối tượng", kinds, f.kind),
                    select("action", "Việc", actions, f.action),
                    .div(.class("row2"), field("from", "Từ ngày", f.from, placeholder: "dd/mm/yyyy"), field("to", "Đến ngày", f.to, placeholder: "dd/mm/yyyy"))),
                .div(.class("actions"), .button(.type(.submit), "Lọc"),
                     .a(.class("button secondary"), .href(SiteURL.auditXLSX.link(query: f.query)), "Tải Excel"),
                     .a(.class("button secondary"), .href(.audit), "Bỏ lọc"))),
            .if(!m.problems.isEmpty, .div(.class("alert"), .role("alert"), .ul(.forEach(m.problems) { .li(.text($0)) }))),
            m.lines.isEmpty ? .p(.class("muted"), .text(m.isFirst ? "Không có sự kiện nào khớp với bộ lọc." : "Không còn sự kiện cũ hơn."))
                : .ol(.class("history audit"), .forEach(m.lines) { line in
                    AuditHistory.item(line.event, unit: line.unitCode.isEmpty ? "" : "\(line.unitCode) — \(line.unitName)")
                }),
            .nav(.class("pager"), .attribute("aria-label", "Phân trang"),
                 .if(!m.isFirst, .a(.class("button secondary small"), .href(SiteURL.audit.link(query: f.query)), "« Mới nhất")),
                 .unwrap(m.next) { next in
                     .a(.class("button secondary small"), .href(SiteURL.audit.link(query: f.query + [("before", next.text)])), .attribute("rel", "next"), "Cũ hơn ›")
                 }),
        ])
    }

    static func field(_ name: String, _ label: String, _ value: String, placeholder: String) -> Node {
        .label(.for(name), .text(label), .input(.type(.search), .id(name), .name(name), .value(value), .placeholder(placeholder)))
    }

    static func select(_ name: String, _ label: String, _ options: [(value: String, label: String)], _ selected: String) -> Node {
        .label(.for(name), .text(label),
               .element("select", [.id(name), .name(name)] + options.map { o in
                   .element("option", [.value(o.value), .attribute("selected", present: o.value == selected), .text(o.label)])
               }))
    }
}
