import DVKCore
import FluentKit
import Foundation

extension CampaignList {
    static func view(_ model: Model) -> String {
        Layout.page(title: "Đợt thi đua", user: model.user, body: [
            .h1("Đợt thi đua"),
            .if(model.user.role.manages && model.user.unitKind == .federation,
                .div(.class("actions"), .a(.class("button"), .href(.campaignNew), "+ Mở đợt thi đua mới"))),
            .if(model.rows.isEmpty, .div(.class("card"), .p("Chưa có đợt thi đua nào trong phạm vi quản lý của đơn vị."))),
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
