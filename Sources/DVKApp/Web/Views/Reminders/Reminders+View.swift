import DVKCore
import Foundation

extension Reminders {
    struct View {
        var model: Model

        func render() -> String {
            let m = model
            let c = m.campaign
            return Layout.page(title: "Nhắc nộp — \(c.title)", user: m.user, body: [
                .p(.class("crumbs small"), .a(.href(.campaign(c.code)), .text("← \(c.title)"))),
                .h1("Đơn vị chưa nộp"),
                .p(.strong(.text("\(Format.number(m.pending))/\(Format.number(m.targets))")),
                   .text(" công đoàn cơ sở trong phạm vi \(m.scopeName) chưa nộp hồ sơ (chưa bắt đầu, đang soạn hoặc bị trả lại). Hạn nộp: "),
                   .span(.class("deadline"), .text(VietnamTime.describe(c.deadline))),
                   .text(" — \(Reminders.distance(to: c.deadline, from: m.now)).")),
                FormField.search(.reminders(c.code), label: "Tìm theo tên hoặc mã đơn vị", value: m.query,
                                 placeholder: "vd: ngoc lam"),
                m.matching.isEmpty ? empty : .group(contacts, table, Pager.nav(m.paging) { page in
                    SiteURL.reminders(c.code).link(query: [("q", m.query), ("page", String(page))])
                }),
            ])
        }

        var empty: Node {
            model.query.isEmpty
                ? .div(.class("alert ok"), "Mọi công đoàn cơ sở trong phạm vi đã nộp hồ sơ.")
                : .p(.class("muted"), .text("Không có đơn vị chưa nộp nào khớp “\(model.query)”."))
        }

        var contacts: Node {
            let m = model
            let withEmail = m.matching.filter { !$0.email.isEmpty }.count
            return .div(.class("card"),
                .label(.for("emails"), .strong(.text("Email của \(Format.number(withEmail)) đơn vị")),
                       .span(.class("hint"), " — chép rồi dán vào ô “Người nhận” hoặc “BCC”")),
                .textarea(.id("emails"), .class("copy"), .readonly(true), .rows(3), .text(m.emails)),
                .if(withEmail < m.matching.count,
                    .p(.class("muted small"), .text("\(Format.number(m.matching.count - withEmail)) đơn vị chưa có email: gọi điện theo số trong bảng."))),
                .div(.class("actions"),
                     .a(.class("button secondary"), .href(SiteURL.remindersCSV(m.campaign.code).link(query: [("q", m.query)])),
                        "Tải danh sách (CSV cho Excel)"))
            )
        }

        var table: Node {
            .table(.class("list responsive reminders"),
                .thead(.tr(.th("Đơn vị"), .th("Cấp trên"), .th("Trạng thái"), .th("Email"), .th("Điện thoại"), .th("Hạn nộp"))),
                .tbody(.forEach(model.rows) { row in
                    .tr(
                        .td(.attribute("data-label", "Đơn vị"), .text(row.name), .br(), .span(.class("muted small"), .text(row.code))),
                        .td(.attribute("data-label", "Cấp trên"), .text(row.parentName)),
                        .td(.attribute("data-label", "Trạng thái"), Layout.standingBadge(row.standing)),
                        .td(.class("wrap"), .attribute("data-label", "Email"),
                            row.email.isEmpty ? .span(.class("muted"), "—") : .a(.href(.mailto(row.email)), .text(row.email))),
                        .td(.class("nowrap"), .attribute("data-label", "Điện thoại"),
                            row.phone.isEmpty ? .span(.class("muted"), "—")
                                : .a(.href(.tel(row.phone)), .text(row.phone))),
                        .td(.class("nowrap"), .attribute("data-label", "Hạn nộp"),
                            .span(.class(row.deadline > model.now ? "" : "overdue"), .text(Reminders.distance(to: row.deadline, from: model.now))),
                            .if(row.deadline != model.campaign.deadline, .span(.class("muted small"), " (được gia hạn)")))
                    )
                })
            )
        }
    }
}
