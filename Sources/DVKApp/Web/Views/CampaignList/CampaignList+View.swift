import DVKCore
import FluentKit
import Foundation

extension CampaignList {
    static func view(_ model: Model) -> HTMLPage {
        Layout.page(title: "Đợt thi đua", user: model.user, body: [
            .h1("Đợt thi đua"),
            .if(model.user.role.manages && model.user.unitKind == .federation,
                .div(.class("actions"), .a(.class("button"), .href(.campaignNew), "+ Mở đợt thi đua mới"))),
            years(model),
            .if(model.rows.isEmpty, .div(.class("card"),
                .p("Chưa có đợt thi đua nào trong phạm vi quản lý của đơn vị."),
                .p(.class("muted"), .text(model.user.unitKind == .grassroots
                    ? "Đợt thi đua do công đoàn cấp trên phát động. Đơn vị mới thành lập hoặc vừa chuyển về được đưa vào đợt khi công đoàn cấp trên thêm đơn vị vào danh sách tham gia."
                    : "Đơn vị chưa phát động đợt thi đua nào, và chưa có đợt nào của cấp trên bao gồm đơn vị.")),
                .unwrap(model.contact) { contact in
                    .p(.strong("Cần hỏi: "), .text(contact.name),
                       .if(!contact.email.isEmpty, .group(.text(" — email "), .a(.href(.mailto(contact.email)), .text(contact.email)))),
                       .if(!contact.phone.isEmpty, .group(.text(" — điện thoại "), .a(.href(.tel(contact.phone)), .text(contact.phone)))),
                       .text("."))
                })),
            .forEach(model.rows) { row in
                let c = row.campaign
                let target: SiteURL = row.own != nil
                    ? .unitPage(campaign: c.code, unit: model.user.unitCode) : .campaign(c.code)
                return .div(.class("card"),
                    .h2(.a(.href(target), .text(c.title))),
                    .p(.class("muted small"), .text("\(c.issuerName) · Số \(c.number.isEmpty ? "—" : c.number) · \(c.state.label)")),
                    .p(.text("Hạn nộp: "), .span(.class("deadline"), .text(DeadlineText.before(c.deadline))),
                       .if(c.state == .open, .span(.class("muted"), .text(" — " + DeadlineText.timeLeft(until: c.deadline, now: model.now))))),
                    .unwrap(row.own) { .p(.text("Hồ sơ của đơn vị mình: "), Layout.standingBadge($0)) }
                )
            },
            Pager.nav(model.paging) { page in SiteURL.campaigns.link(query: query(year: model.year, page: page)) },
        ])
    }

    /// The years to choose from, as tabs with their counts, when the campaigns span more than one.
    private static func years(_ model: Model) -> Node {
        guard model.years.count > 1 else { return .empty }
        func tab(_ year: Int?, _ label: String, _ count: Int) -> Node {
            let current = year == model.year
            return .a(.class(current ? "tab current" : "tab"), .href(SiteURL.campaigns.link(query: query(year: year, page: nil))),
                      .if(current, .attribute("aria-current", "page")), .text("\(label) (\(Format.number(count)))"))
        }
        return .nav(.class("tabs"), .attribute("aria-label", "Lọc theo năm"),
                    tab(nil, "Tất cả các năm", model.years.reduce(0) { $0 + $1.count }),
                    .forEach(model.years) { tab($0.year, "Năm \($0.year)", $0.count) })
    }

    private static func query(year: Int?, page: Int?) -> [(String, String)] {
        (year.map { [("year", String($0))] } ?? []) + (page.map { [("page", String($0))] } ?? [])
    }
}
