import DVKCore
import FluentKit
import Foundation

extension CampaignList {
    static func view(_ model: Model) -> HTMLPage {
        Layout.page(title: "Đợt thi đua", user: model.user, body: [
            .h1("Đợt thi đua"),
            .if(model.user.role.manages && model.user.unitKind == .federation,
                .div(.class("actions"), .a(.class("button"), .href(.campaignNew), "+ Mở đợt thi đua mới"))),
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
        ])
    }
}
