import DVKCore
import FluentKit
import Foundation
import Plot

/// A grassroots unit's page in a campaign: status and deadline, its initiatives, its live
/// Biểu tổng hợp, the actions its officer may take and, for reviewers, accept / return.
enum UnitPage {
    struct InitiativeRow: Sendable {
        var id: UUID
        var kind: RegistrantKind
        var registrant: String
        var registrantTitle: String
        var sectorCode: String
        var sector: String
        var title: String
        var timeFrame: String
        var expectedResult: String
        var continues: Bool
    }

    struct Event: Sendable {
        var at: Date
        var actor: String
        var action: SubmissionAction
        var to: SubmissionStatus
        var note: String
    }

    struct Model: Sendable {
        var user: CurrentUser
        var view: Access.CampaignView
        var unit: SnapshotUnit
        var parentName: String
        var status: SubmissionStatus
        var noModel: Bool
        var submittedAt: Date?
        var returnReason: String?
        var deadline: Date
        var extended: Bool
        var initiatives: [InitiativeRow]
        var summary: Summary
        var history: [Event]
        var now: Date
        var flash: String?

        var campaign: CampaignInfo { view.campaign }
        var canRegister: Bool { view.canRegister(unit) && campaign.state == .open }
        var canEdit: Bool { canRegister && status.isEditable }
        var canReview: Bool { view.canReview(unit) }
        var isLate: Bool { status.counts && (submittedAt.map { $0 >= deadline } ?? false) }
        var canSubmitNow: Bool { campaign.acceptsLate || now < deadline }
    }

    static func query(view: Access.CampaignView, unit: CampaignUnit, now: Date, flash: String?, on db: any Database) async throws -> Model {
        let campaign = view.campaign
        let submission = try await Submission.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$unitID == unit.unitID).first()
        let initiatives = try await Initiative.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$unitID == unit.unitID)
            .sort(\.$createdAt).all()
        let registrants = Dictionary(uniqueKeysWithValues: try await Registrant.query(on: db).filter(\.$unitID == unit.unitID).all().map { ($0.id!, $0) })
        let sectorNames = Dictionary(uniqueKeysWithValues: campaign.sectors.map { ($0.code, $0.name) })
        let order = Dictionary(uniqueKeysWithValues: campaign.sectors.enumerated().map { ($1.code, $0) })
        let rows = initiatives.map { i in
            let r = registrants[i.registrantID]
            let draft = InitiativeDraft(kind: r?.kind ?? .collective, registrantName: r?.name ?? "", sectorCode: i.sectorCode, title: i.title,
                                        startDate: i.startDate.flatMap(CalendarDay.init(parsing:)), endDate: i.endDate.flatMap(CalendarDay.init(parsing:)))
            return InitiativeRow(id: i.id!, kind: r?.kind ?? .collective, registrant: r?.name ?? "", registrantTitle: r?.title ?? "",
                                 sectorCode: i.sectorCode, sector: sectorNames[i.sectorCode] ?? i.sectorCode, title: i.title, timeFrame: draft.timeFrame,
                                 expectedResult: i.expectedResult, continues: i.continuity == .continues)
        }.sorted { (order[$0.sectorCode] ?? 99, $0.kind.rawValue) < (order[$1.sectorCode] ?? 99, $1.kind.rawValue) }
        var history: [Event] = []
        if let id = submission?.id {
            history = try await SubmissionEvent.query(on: db).filter(\.$submissionID == id).sort(\.$at).all()
                .map { Event(at: $0.at, actor: $0.actor, action: $0.action, to: $0.toStatus, note: $0.note) }
        }
        var parentName = ""
        if let parent = unit.parentUnitID {
            parentName = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$unitID == parent).first()?.name ?? ""
        }
        return Model(user: view.user, view: view, unit: unit.snapshot, parentName: parentName,
                     status: submission?.status ?? .notStarted, noModel: submission?.noModel ?? false,
                     submittedAt: submission?.submittedAt, returnReason: submission?.returnReason,
                     deadline: max(campaign.deadline, unit.extendedUntil ?? campaign.deadline), extended: unit.extendedUntil != nil,
                     initiatives: rows, summary: try await SummaryQuery.preview(campaign, unitID: unit.unitID, on: db),
                     history: history, now: now, flash: flash)
    }

    static func view(_ m: Model) -> String {
        let c = m.campaign
        let url = (campaign: c.code, unit: m.unit.code)
        return Layout.page(title: m.unit.name, user: m.user, flash: m.flash, body: [
            .p(.class("muted small"), .a(.href(SiteURL.campaigns.path), "Đợt thi đua"),
               .if(!m.view.scope.isTarget, .group(.text(" › "), .a(.href(SiteURL.campaign(c.code).path), .text(c.title))))),
            .h1(.text(m.unit.name)),
            .p(.class("muted"), .text(c.title + (m.parentName.isEmpty ? "" : " · " + m.parentName))),
            statusCard(m),
            .if(m.status == .returned, .unwrap(m.returnReason) { reason in
                .div(.class("alert error"), .attribute(named: "role", value: "alert"),
                     .strong("Hồ sơ bị trả lại. Lý do: "), .div(.class("reason"), .text(reason)),
                     .p("Hãy sửa các mô hình theo lý do trên rồi nộp lại."))
            }),
            .h2(.text("Mô hình đã đăng ký (\(m.initiatives.count))")),
            .if(m.canEdit, .div(.class("actions"),
                .a(.class("button"), .href(SiteURL.initiativeNew(campaign: url.campaign, unit: url.unit).path), "+ Thêm mô hình"),
                .a(.class("button secondary"), .href(SiteURL.upload(campaign: url.campaign, unit: url.unit).path), "Tải lên bảng tính (CSV)"))),
            initiativesTable(m),
            .h2(.text(m.status.counts ? "Biểu tổng hợp" : "Biểu tổng hợp (bản nháp — chưa tính vào báo cáo của liên đoàn)")),
            Layout.summaryTable(m.summary),
            actions(m),
            downloads(m),
            .if(m.canReview, reviewCard(m)),
            .if(!m.history.isEmpty, .group(
                .h2("Lịch sử hồ sơ"),
                .ul(.class("history"), .forEach(m.history) { e in
                    .li(.text("\(Format.short(e.at)) — \(e.actor): \(e.action.label) → \(e.to.label)"),
                        .if(!e.note.isEmpty, .span(.class("muted"), .text(" (\(e.note))"))))
                })
            )),
        ])
    }

    static func statusCard(_ m: Model) -> Node<HTML.BodyContext> {
        .div(.class("card"),
            .p(.text("Trạng thái: "), Layout.statusBadge(m.status, late: m.isLate, noModel: m.noModel)),
            .p(.text("Hạn nộp: "), .span(.class("deadline"), .text(VietnamTime.describe(m.deadline))),
               .if(m.extended, .span(.class("muted"), " (đã được gia hạn)"))),
            .if(m.status.isEditable && m.campaign.state == .open,
                .p(.text(Format.timeLeft(until: m.deadline, now: m.now).capitalizedFirst),
                   .if(!m.canSubmitNow, .strong(" — đợt này không nhận hồ sơ nộp muộn.")))),
            .unwrap(m.submittedAt) { .p(.text("Nộp lúc: \(Format.short($0)) — " + (m.isLate ? "nộp muộn" : "đúng hạn"))) }
        )
    }

    static func initiativesTable(_ m: Model) -> Node<HTML.BodyContext> {
        guard !m.initiatives.isEmpty else {
            return .p(.class("muted"), .text(m.noModel ? "Đơn vị đã báo không đăng ký mô hình năm nay." : "Chưa có mô hình nào."))
        }
        return .div(.class("scroll"), .table(.class("list responsive"),
            .thead(.tr(.th("TT"), .th("Lĩnh vực"), .th("Tập thể / cá nhân"), .th("Tên mô hình"), .th("Thời gian"), .th("Kết quả dự kiến"),
                       .if(m.canEdit, .th("")))),
            .tbody(.forEach(Array(m.initiatives.enumerated())) { i, row in
                .tr(.td(.class("num"), .attribute(named: "data-label", value: "TT"), .text("\(i + 1)")),
                    .td(.attribute(named: "data-label", value: "Lĩnh vực"), .text(row.sector)),
                    .td(.attribute(named: "data-label", value: row.kind.label),
                        .text(row.registrant), .if(!row.registrantTitle.isEmpty, .span(.class("muted small"), .text(" — " + row.registrantTitle)))),
                    .td(.attribute(named: "data-label", value: "Mô hình"), .text(row.title),
                        .if(row.continues, .span(.class("muted small"), " (duy trì, nhân rộng)"))),
                    .td(.attribute(named: "data-label", value: "Thời gian"), .text(row.timeFrame)),
                    .td(.attribute(named: "data-label", value: "Kết quả dự kiến"), .text(row.expectedResult)),
                    .if(m.canEdit, .td(
                        .a(.class("button small secondary"), .href(SiteURL.initiativeEdit(campaign: m.campaign.code, unit: m.unit.code, id: row.id).path), "Sửa"),
                        Layout.postButton("Xóa", to: .initiativeDelete(campaign: m.campaign.code, unit: m.unit.code, id: row.id),
                                          csrf: m.user.csrf, style: "small danger", confirm: "Xóa mô hình này?")
                    )))
            })
        ))
    }

    static func actions(_ m: Model) -> Node<HTML.BodyContext> {
        guard m.canRegister, m.status.isEditable, m.canSubmitNow else { return .empty }
        return .div(.class("card"),
            .h2("Nộp đăng ký"),
            .if(!m.initiatives.isEmpty, .div(.class("actions"),
                .a(.class("button"), .href(SiteURL.submit(campaign: m.campaign.code, unit: m.unit.code).path),
                   .text(m.status == .returned ? "Nộp lại…" : "Nộp đăng ký…")))),
            .if(m.initiatives.isEmpty, .div(.class("actions"),
                Layout.postButton("Đơn vị không đăng ký mô hình năm nay", to: .declare(campaign: m.campaign.code, unit: m.unit.code),
                                  csrf: m.user.csrf, style: "secondary",
                                  confirm: "Xác nhận: đơn vị không đăng ký mô hình nào trong năm nay?"),
                .p(.class("muted small"), "Chọn khi đơn vị không có mô hình: liên đoàn sẽ ghi nhận là một câu trả lời, không phải chưa nộp.")))
        )
    }

    static func downloads(_ m: Model) -> Node<HTML.BodyContext> {
        let c = m.campaign.code, u = m.unit.code
        return .div(.class("card"),
            .h2("Tải văn bản"),
            .p(.text("Biểu tổng hợp: "),
               .a(.href(SiteURL.document(campaign: c, unit: u, kind: "summary", format: "docx").path), "Word"), .text(" · "),
               .a(.href(SiteURL.document(campaign: c, unit: u, kind: "summary", format: "pdf").path), "PDF"), .text(" · "),
               .a(.href(SiteURL.document(campaign: c, unit: u, kind: "summary", format: "xlsx").path), "Excel")),
            .p(.text("Danh sách mô hình: "),
               .a(.href(SiteURL.document(campaign: c, unit: u, kind: "list", format: "docx").path), "Word"), .text(" · "),
               .a(.href(SiteURL.document(campaign: c, unit: u, kind: "list", format: "pdf").path), "PDF"), .text(" · "),
               .a(.href(SiteURL.document(campaign: c, unit: u, kind: "list", format: "xlsx").path), "Excel")),
            .if(!m.initiatives.isEmpty, .details(.summary("Phiếu đăng ký từng mô hình"),
                .ul(.forEach(m.initiatives) { row in
                    .li(.text(row.title + " — "),
                        .a(.href(SiteURL.initiativeForm(campaign: c, unit: u, id: row.id, format: "docx").path), "Word"), .text(" · "),
                        .a(.href(SiteURL.initiativeForm(campaign: c, unit: u, id: row.id, format: "pdf").path), "PDF"))
                })))
        )
    }

    static func reviewCard(_ m: Model) -> Node<HTML.BodyContext> {
        let c = m.campaign.code, u = m.unit.code
        return .div(.class("card"),
            .h2("Xét duyệt (liên đoàn)"),
            .if(m.status == .submitted || m.status == .resubmitted, .div(.class("actions"),
                Layout.postButton("Duyệt hồ sơ", to: .review(campaign: c, unit: u), csrf: m.user.csrf, fields: [("decision", "accept")]))),
            .if(m.status.counts, .form(.class("stack"), .method(.post), .action(SiteURL.review(campaign: c, unit: u).path),
                Layout.csrfField(m.user.csrf),
                .input(.type(.hidden), .name("decision"), .value("return")),
                .label(.for("reason"), "Trả lại hồ sơ — lý do (đơn vị sẽ thấy)"),
                .textarea(.id("reason"), .name("reason"), .required(true)),
                .div(.class("actions"), .button(.type(.submit), .class("button danger"), "Trả lại")))),
            .form(.class("stack"), .method(.post), .action(SiteURL.extend(campaign: c, unit: u).path),
                Layout.csrfField(m.user.csrf),
                .label(.for("until-date"), "Gia hạn nộp cho đơn vị này đến (giờ Việt Nam)"),
                .div(.class("filters"),
                     .input(.type(.date), .id("until-date"), .name("date"), .required(true)),
                     .input(.type(.time), .name("time"), .value("00:00"))),
                .button(.type(.submit), .class("button secondary"), "Gia hạn"))
        )
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
