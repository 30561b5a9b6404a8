import DVKCore
import Foundation

extension Reminders {
    /// The page (the one shape every page has: `Page.view(model)`); its parts are this
    /// file's `View`, which holds the model they all read.
    static func view(_ model: Model) -> HTMLPage { View(model: model).render() }

    fileprivate struct View {
        var model: Model

        func render() -> HTMLPage {
            let m = model
            let c = m.campaign
            return Layout.page(title: "Đơn vị chưa nộp — \(c.title)", user: m.user, body: [
                .p(.class("crumbs small"), .a(.href(.campaign(c.code)), .text("← \(c.title)"))),
                .h1("Đơn vị chưa nộp"),
                .p(.strong(.text("\(Format.number(m.pending))/\(Format.number(m.targets))")),
                   .text(" công đoàn cơ sở trong phạm vi \(m.scopeName) chưa nộp hồ sơ (chưa bắt đầu, đang soạn hoặc bị trả lại). Hạn nộp: "),
                   .span(.class("deadline"), .text(DeadlineText.before(c.deadline))),
                   .text(" — \(DeadlineText.timeLeft(until: c.deadline, now: m.now)).")),
                mail,
                FormField.search(.reminders(c.code), label: "Tìm theo tên hoặc mã đơn vị", value: m.query,
                                 placeholder: "vd: ngoc lam"),
                m.matching.isEmpty ? empty : .group(contacts, table, Pager.nav(m.paging) { page in
                    SiteURL.reminders(c.code).link(query: [("q", m.query), ("page", String(page))])
                }),
            ])
        }

        /// Sending reminders by email: the schedule, the button, the addresses to fix.
        var mail: Node {
            let m = model
            let c = m.campaign
            guard m.sendsMail else {
                return .div(.class("alert"), .role("status"),
                            "Hệ thống chưa được cấu hình gửi email nên không tự gửi thư nhắc. Có thể chép danh sách email dưới đây để gửi từ hộp thư của đơn vị.")
            }
            return .section(.class("card"), .h2("Thư nhắc qua email"),
                .p(.text("Tự động: \(c.reminders.sentence). "),
                   .a(.href(.mail(c.code)), "Xem các thư đã gửi")),
                .if(m.canSend && m.query.isEmpty, .div(.class("actions"),
                    m.sendable == 0
                        ? .p(.class("muted"), "Không có đơn vị nào cần nhắc bằng email lúc này.")
                        : Layout.postButton("Gửi thư nhắc ngay tới \(Format.number(m.sendable)) đơn vị", to: .remindersSend(c.code), csrf: m.user.csrf,
                                            confirm: "Gửi thư nhắc tới \(Format.number(m.sendable)) công đoàn cơ sở chưa nộp hồ sơ? Đơn vị đã được nhắc hôm nay sẽ không nhận thêm thư."))),
                .p(.class("hint"), "Mỗi đơn vị nhận nhiều nhất một thư nhắc một ngày, dù gửi tự động hay bấm gửi ngay."),
                .if(m.addressProblemCount > 0, .group(
                    .h3(.text("Email cần bổ sung hoặc sửa (\(Format.number(m.addressProblemCount)) đơn vị)")),
                    .ul(.class("lines"), .forEach(m.addressProblems) { p in
                        .li(.a(.href(.unit(p.code)), .text(p.name)), .text(" — "),
                            p.email.isEmpty ? .text("chưa có email")
                                : .group(.text("\(p.email): máy chủ thư từ chối địa chỉ"), .span(.class("muted small"), .text(" (\(p.refusal))"))))
                    }),
                    .if(m.addressProblemCount > m.addressProblems.count,
                        .p(.class("muted small"), .text("… và \(Format.number(m.addressProblemCount - m.addressProblems.count)) đơn vị khác."))))))
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
                     .a(.class("button secondary"), .href(SiteURL.remindersXLSX(m.campaign.code).link(query: [("q", m.query)])),
                        "Tải danh sách (Excel)"),
                     .a(.class("button secondary"), .href(SiteURL.remindersCSV(m.campaign.code).link(query: [("q", m.query)])),
                        "Tải danh sách (CSV)"))
            )
        }

        /// The time left to what the unit's reminder presses (its deadline, or the day set
        /// to resubmit by), an extension, and whether it was reminded today.
        func deadlineCell(_ row: Row) -> Node {
            let reminder = row.reminder(at: model.now)
            return .group(
                .span(.class(reminder.isOverdue || reminder == .closed ? "overdue" : ""),
                      .text(reminder.cell(now: model.now, common: model.campaign.deadline))),
                .if(model.remindedToday.contains(row.code), .group(.br(), .span(.class("muted small"), "Đã nhắc qua email hôm nay"))))
        }

        /// The unit's officers, each with their own phone as a link; a dash when it has none.
        func people(_ people: [Person]) -> Node {
            guard !people.isEmpty else { return .span(.class("muted"), "chưa có tài khoản") }
            return .group(.forEach(people.enumerated()) { i, p in
                .group(.if(i > 0, .br()), .text(p.label),
                       .if(!p.phone.isEmpty, .group(.text(" · "), .a(.class("nowrap"), .href(.tel(p.phone)), .text(p.phone)))))
            })
        }

        var table: Node {
            .table(.class("list responsive reminders"),
                .thead(.tr(.th("Đơn vị"), .th("Cấp trên"), .th("Trạng thái"), .th("Người liên hệ"), .th("Email"), .th("Điện thoại"), .th("Hạn nộp"))),
                .tbody(.forEach(model.rows) { row in
                    .tr(
                        .td(.attribute("data-label", "Đơn vị"), .text(row.name), .br(), .span(.class("muted small"), .text(row.code))),
                        .td(.attribute("data-label", "Cấp trên"), .text(row.parentName)),
                        .td(.attribute("data-label", "Trạng thái"), Layout.standingBadge(row.standing)),
                        .td(.attribute("data-label", "Người liên hệ"), people(row.people)),
                        .td(.class("wrap"), .attribute("data-label", "Email"),
                            row.email.isEmpty ? .span(.class("muted"), "—") : .a(.href(.mailto(row.email)), .text(row.email))),
                        .td(.class("nowrap"), .attribute("data-label", "Điện thoại"),
                            row.phone.isEmpty ? .span(.class("muted"), "—")
                                : .a(.href(.tel(row.phone)), .text(row.phone))),
                        .td(.attribute("data-label", "Hạn nộp"), deadlineCell(row))
                    )
                })
            )
        }
    }
}
