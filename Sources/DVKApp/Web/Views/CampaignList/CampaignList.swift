import DVKCore
import FluentKit
import Foundation
import Plot

/// The campaigns a person can see, with their own unit's status for officers.
enum CampaignList {
    struct Row: Sendable {
        var campaign: CampaignInfo
        var scopeName: String
        var ownStatus: SubmissionStatus?
    }

    struct Model: Sendable {
        var user: CurrentUser
        var rows: [Row]
        var now: Date
    }

    static func query(user: CurrentUser, now: Date, on db: any Database) async throws -> Model {
        var rows: [Row] = []
        for view in try await Access.campaigns(for: user, on: db) {
            var status: SubmissionStatus?
            if view.scope.isTarget {
                status = try await Submission.query(on: db).filter(\.$campaignID == view.campaign.id)
                    .filter(\.$unitID == view.scope.unitID).first()?.status ?? .notStarted
            }
            rows.append(Row(campaign: view.campaign, scopeName: view.scope.name, ownStatus: status))
        }
        return Model(user: user, rows: rows, now: now)
    }

    static func view(_ model: Model) -> String {
        Layout.page(title: "Đợt thi đua", user: model.user, body: [
            .h1("Đợt thi đua"),
            .if(model.user.role.manages && model.user.unitKind == .federation,
                .div(.class("actions"), .a(.class("button"), .href(SiteURL.campaignNew.path), "+ Mở đợt thi đua mới"))),
            .if(model.rows.isEmpty, .div(.class("card"), .p("Chưa có đợt thi đua nào trong phạm vi đơn vị của bạn."))),
            .forEach(model.rows) { row in
                let c = row.campaign
                let target: SiteURL = row.ownStatus != nil
                    ? .unitPage(campaign: c.code, unit: model.user.unitCode) : .campaign(c.code)
                return .div(.class("card"),
                    .h2(.a(.href(target.path), .text(c.title))),
                    .p(.class("muted small"), .text("\(c.issuerName) · Số \(c.number.isEmpty ? "—" : c.number) · \(c.state.label)")),
                    .p(.text("Hạn nộp: "), .span(.class("deadline"), .text(VietnamTime.describe(c.deadline))),
                       .if(c.state == .open, .span(.class("muted"), .text(" — " + Format.timeLeft(until: c.deadline, now: model.now))))),
                    .unwrap(row.ownStatus) { .p(.text("Đơn vị của bạn: "), Layout.statusBadge($0)) }
                )
            },
        ])
    }
}
