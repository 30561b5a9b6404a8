import DVKCore
import DVKDocuments
import Foundation

extension UnitPage {
    static let returnFormID = "tra-lai"

    static func view(_ m: Model) -> HTMLPage {
        let c = m.campaign
        return Layout.page(title: m.unit.name, user: m.user, body: [
            .p(.class("crumbs small"), .a(.href(.campaigns), "Đợt thi đua"),
               .if(!m.view.scope.isTarget, .group(.text(" › "), .a(.href(.campaign(c.code)), .text(c.title))))),
            .h1(.text(m.unit.name)),
            .p(.class("muted"), .text(c.title + (m.parentName.isEmpty ? "" : " · " + m.parentName))),
            .if(m.canReview, reviewBar(m)),
            statusCard(m),
            .if(m.unit.isTarget, whatIsAsked(m)),
            .unwrap(m.returnReason) { reason in
                .div(.class("alert error"), .role("alert"),
                     .strong("Hồ sơ được trả lại. Lý do: "), .div(.class("reason"), .text(reason)),
                     .unwrap(m.standing.resubmitBy) { .p(.text("Đề nghị nộp lại \(DeadlineText.through($0)).")) },
                     .p(.text(m.initiatives.contains { !$0.reviewComment.isEmpty }
                        ? "Góp ý cho từng mô hình ghi ngay dưới mô hình đó. Đề nghị đơn vị chỉnh sửa, bổ sung rồi nộp lại."
                        : "Đề nghị đơn vị chỉnh sửa, bổ sung theo lý do trên rồi nộp lại.")))
            },
            .if(m.canEdit && !m.toContinue.isEmpty, .div(.class("card"),
                .h2("Mô hình đã được công nhận các năm trước"),
                .p(.text("Đơn vị có thể đăng ký duy trì, nhân rộng các mô hình này trong đợt thi đua năm nay:")),
                .ul(.forEach(m.toContinue) { e in
                    .li(.text("\(e.year): \(e.title) — "),
                        .a(.href(SiteURL.initiativeNew(campaign: m.campaign.code, unit: m.unit.code).link(query: [("continues", e.id.canonicalText)])),
                           "Đăng ký duy trì"))
                }))),
            .h2(.text("Mô hình đã đăng ký (\(m.initiatives.count))")),
            .if(m.canEdit, .div(.class("actions"),
                .a(.class("button"), .href(.initiativeNew(campaign: c.code, unit: m.unit.code)), "+ Thêm mô hình"),
                .a(.class("button secondary"), .href(.upload(campaign: c.code, unit: m.unit.code)), "Tải lên bảng tính mô hình (Excel hoặc CSV)"))),
            initiatives(m),
            .h2(.text(m.status.counts ? "Biểu tổng hợp" : "Biểu tổng hợp (bản nháp — chưa tính vào báo cáo của công đoàn cấp trên)")),
            Layout.summaryTable(m.summary),
            actions(m),
            .if(m.years.count > 1, YearPage.overYears(m.years, name: m.unit.name)),
            downloads(m),
            .if(m.canReview, extensionCard(m)),
            .if(!m.history.isEmpty, .group(
                .h2("Lịch sử hồ sơ"),
                .ul(.class("history"), .forEach(m.history) { e in
                    .li(.text("\(e.who) \(e.action.verb(from: e.from, to: e.to)) lúc \(Format.short(e.at))."),
                        .if(!e.note.isEmpty, .div(.class("muted small note-line"), .text(e.note))))
                })
            )),
            AuditHistory.section(m.trail, more: m.user.role.manages ? SiteURL.audit.link(query: [("unit", m.unit.code)]) : nil),
        ])
    }

    /// What each model registered holds, the same for every campaign.
    static let fieldsAsked = ([.title, .registrantName, .sector, .purpose, .content, .scope, .startDate, .expectedResult, .personInCharge] as [InitiativeField])
        .map { $0 == .startDate ? "thời gian thực hiện" : $0.rule.label }.joined(separator: ", ") + "."

    /// "Đợt thi đua này yêu cầu gì": the letter, the sectors, what a registration holds, the
    /// deadline and what happens after it, and whom to ask. Open until the unit has handed in.
    static func whatIsAsked(_ m: Model) -> Node {
        let c = m.campaign, u = m.unit.code
        let letter = "Công văn" + (c.number.isEmpty ? "" : " số \(c.number)") + " ngày \(c.issuedOn.vietnamese) của \(c.issuerName)"
        return .div(.class("card"), .details(.attribute("open", present: !m.standing.hasSubmitted),
            .summary(.strong("Đợt thi đua này yêu cầu gì")),
            .p(.text(letter + (c.subject.isEmpty ? "." : " — \(c.subject)."))),
            .p(.a(.class("button small secondary"), .href(.document(campaign: c.code, unit: u, kind: .letter, format: .pdf)), "Tải công văn (PDF)"),
               .text(" "), .a(.class("button small secondary"), .href(.document(campaign: c.code, unit: u, kind: .letter, format: .docx)), "Word")),
            .p(.strong("Lĩnh vực: "), .text(c.sectors.map(\.name).joined(separator: "; ") + ".")),
            .p(.strong("Mỗi mô hình đăng ký gồm: "),
               .text(Self.fieldsAsked)),
            .p(.strong("Hạn nộp: "), .text(DeadlineText.unit(m.standing) + ". " + DeadlineText.latePolicy(acceptsLate: c.acceptsLate))),
            .unwrap(m.contact) { contact in
                .p(.strong("Cần hỏi thêm: "), .text(contact.name),
                   .if(!contact.email.isEmpty, .group(.text(" — email "), .a(.href(.mailto(contact.email)), .text(contact.email)))),
                   .if(!contact.phone.isEmpty, .group(.text(" — điện thoại "), .a(.href(.tel(contact.phone)), .text(contact.phone)))), .text("."))
            }))
    }

    /// Where the unit stands: its phase, deadline, first and latest submission.
    static func statusCard(_ m: Model) -> Node {
        let s = m.standing
        return .div(.class("card"),
            .p(.text("Trạng thái: "), Layout.standingBadge(s)),
            .p(.text("Hạn nộp: "), .span(.class("deadline"), .text(DeadlineText.unit(s))),
               .if(s.extendedUntil != nil, .span(.class("muted"), " (đơn vị được gia hạn)"))),
            .if(s.mayEdit && !s.hasSubmitted,
                .p(.text(DeadlineText.timeLeft(until: s.deadline, now: m.now).capitalizedFirst),
                   .if(!m.canSubmitNow && m.view.canRegister(m.unit), .strong(" — đợt này không nhận hồ sơ nộp muộn.")),
                   .if(m.canSubmitNow && s.wouldBeLate(at: m.now), .strong(" — đợt vẫn nhận hồ sơ; hồ sơ nộp bây giờ được ghi là nộp muộn.")))),
            .unwrap(s.firstSubmittedAt) { first in
                .p(.text("Nộp lần đầu lúc \(Format.short(first)) — "),
                   s.isLate ? .span(.class("overdue"), "nộp muộn") : .text("đúng hạn"))
            },
            .if(s.lastSubmittedAt != s.firstSubmittedAt, .unwrap(s.lastSubmittedAt) { last in
                .p(.text("Nộp lại lúc \(Format.short(last))"), .if(s.isResubmittedLate, .span(.class("overdue"), " — nộp lại muộn")))
            })
        )
    }

    /// The reviewer's bar, first on the page: accept, or return with a reason (comments on
    /// initiatives are written beside each one below and go with the same form), each also
    /// "and on to the next unit" of the queue.
    static func reviewBar(_ m: Model) -> Node {
        let c = m.campaign.code, u = m.unit.code
        let waiting = m.status == .submitted || m.status == .resubmitted
        let next = m.waitingElsewhere > 0
        return .section(.class("card review-bar"), .ariaLabel("Xét duyệt"),
            .div(.class("heading-row"),
                .h2("Xét duyệt hồ sơ"),
                .a(.class("button small secondary"), .href(.queue(c)),
                   .text("Hàng chờ duyệt" + (m.waitingElsewhere > 0 ? " (còn \(Format.number(m.waitingElsewhere)) đơn vị khác)" : "")))),
            .if(!m.status.counts, .p(.class("muted"), .text("Đơn vị chưa nộp hồ sơ (\(m.standing.phase.label.lowercased())): chưa có gì để duyệt."))),
            .if(m.status == .accepted, .p(.class("muted"), "Hồ sơ đã được duyệt. Vẫn có thể trả lại nếu cần đơn vị sửa.")),
            .if(waiting, .div(.class("actions"),
                Layout.postButton("Duyệt", to: .review(campaign: c, unit: u), csrf: m.user.csrf,
                                  fields: [("decision", "accept"), m.versionField]),
                .if(next, Layout.postButton("Duyệt và sang đơn vị tiếp", to: .review(campaign: c, unit: u), csrf: m.user.csrf,
                                            style: "secondary", fields: [("decision", "accept"), ("next", "1"), m.versionField])))),
            .if(m.status.counts, .details(
                .summary(.strong("Trả lại hồ sơ cho đơn vị…")),
                .form(.class("stack"), .id(returnFormID), .method(.post), .action(.review(campaign: c, unit: u)),
                    Layout.csrfField(m.user.csrf),
                    .hidden("decision", "return"), .hidden(m.versionField.0, m.versionField.1),
                    .label(.for("reason"), "Lý do trả lại (đơn vị sẽ thấy)"),
                    .textarea(.id("reason"), .name("reason"), .required(), .rows(3)),
                    .label(.for("resubmit_by"), "Hạn nộp lại (hết ngày)", .span(.class("hint"), " — không bắt buộc; viết ngày/tháng/năm, vd 20/12/2026")),
                    .input(.type(.text), .id("resubmit_by"), .name("resubmit_by"), .placeholder("ngày/tháng/năm"),
                           .attribute("inputmode", "numeric"), .attribute("pattern", "[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}")),
                    .p(.class("hint"), "Góp ý cho từng mô hình: ghi vào ô “Góp ý” dưới mô hình đó (không bắt buộc)."),
                    .div(.class("actions"),
                         .button(.type(.submit), .class("button danger"), "Trả lại"),
                         .if(next, .button(.type(.submit), .class("button secondary"), .name("next"), .value("1"), "Trả lại và sang đơn vị tiếp")))
                )
            ))
        )
    }

    static func initiatives(_ m: Model) -> Node {
        guard !m.initiatives.isEmpty else {
            return .p(.class("muted"), .text(m.standing.noModel ? "Đơn vị đã báo không đăng ký mô hình năm nay." : "Chưa có mô hình nào."))
        }
        let commenting = m.canReview && m.status.counts
        return .ol(.class("initiatives"), .forEach(m.initiatives) { row in
            .li(.class("card initiative"), .id("mo-hinh-\(row.id.canonicalText.lowercased())"),
                .div(.class("heading-row"),
                    .h3(.text(row.title), .if(row.continues, .span(.class("muted small"), " (duy trì, nhân rộng)"))),
                    .if(m.canEdit, .div(.class("actions"),
                        .a(.class("button small secondary"), .href(.initiativeEdit(campaign: m.campaign.code, unit: m.unit.code, id: row.id)), "Sửa")))),
                .p(.class("muted"), .text("\(row.sector) · \(row.kind.label): \(row.registrant)" + (row.registrantTitle.isEmpty ? "" : " — \(row.registrantTitle)"))),
                .if(m.status == .accepted, .p(.a(.href(.model(campaign: m.campaign.code, unit: m.unit.code, id: row.id)),
                    "Kết quả thực hiện, thẩm định, công nhận →"))),
                .if(!row.changedFields.isEmpty && (m.status == .returned || m.status == .resubmitted),
                    .p(.class("changed"), .span(.class("badge"), "Đã sửa sau khi trả lại"), .text(" " + row.changedFields))),
                .if(!row.reviewComment.isEmpty,
                    .div(.class("alert warn review-comment"), .strong("Góp ý của công đoàn cấp trên: "), .span(.class("reason-text"), .text(row.reviewComment)))),
                .details(.summary("Xem toàn bộ nội dung"),
                    .element("dl", [.class("facts"),
                        fact("Mục đích", row.purpose), fact("Nội dung và cách thức thực hiện", row.content),
                        fact("Phạm vi, đối tượng tham gia", row.scope), fact("Thời gian thực hiện", row.timeFrame),
                        fact("Kết quả dự kiến", row.expectedResult), fact("Người phụ trách", row.personInCharge),
                        fact("Mô hình", row.continues ? "Duy trì, nhân rộng" + (row.continuesTitle.map { " “\($0)”" } ?? "") : "Mô hình mới"),
                    ])),
                .if(commenting, .div(.class("field"),
                    .label(.for("comment-\(row.id.canonicalText)"), "Góp ý cho mô hình này (gửi kèm khi trả lại hồ sơ)"),
                    .textarea(.id("comment-\(row.id.canonicalText)"), .name("comment-\(row.id.canonicalText)"), .rows(2),
                              .attribute("form", returnFormID), .text(row.reviewComment)))),
                // Deleting stands apart from editing, at the card's foot, and asks first.
                .if(m.canEdit, .div(.class("actions end"),
                    Layout.postButton("Xóa mô hình này", to: .initiativeDelete(campaign: m.campaign.code, unit: m.unit.code, id: row.id),
                                      csrf: m.user.csrf, style: "small secondary danger",
                                      confirm: "Xóa mô hình “\(row.title)”? Không khôi phục được sau khi xóa.")))
            )
        })
    }

    static func fact(_ label: String, _ value: String) -> Node {
        .div(.class("fact"), .dt(.text(label)), .dd(value.isEmpty ? .span(.class("muted"), "—") : .div(.class("letter"), .text(value))))
    }

    static func actions(_ m: Model) -> Node {
        guard m.canSubmitNow else { return .empty }
        let resubmit = m.status == .returned
        return .div(.class("card"),
            .h2(.text(resubmit ? "Nộp lại hồ sơ đăng ký" : "Nộp hồ sơ đăng ký")),
            .if(!m.initiatives.isEmpty, .div(.class("actions"),
                .a(.class("button"), .href(.submit(campaign: m.campaign.code, unit: m.unit.code)),
                   .text(resubmit ? "Nộp lại hồ sơ đăng ký…" : "Nộp hồ sơ đăng ký…")))),
            .if(m.initiatives.isEmpty, .div(.class("actions"),
                Layout.postButton("Đơn vị không đăng ký mô hình năm nay", to: .declare(campaign: m.campaign.code, unit: m.unit.code),
                                  csrf: m.user.csrf, style: "secondary",
                                  confirm: "Xác nhận: đơn vị không đăng ký mô hình nào trong năm nay?", fields: [m.versionField]),
                .p(.class("muted small"), "Chọn khi đơn vị không có mô hình: công đoàn cấp trên ghi nhận là một câu trả lời, không phải chưa nộp.")))
        )
    }

    static func downloads(_ m: Model) -> Node {
        let c = m.campaign.code, u = m.unit.code
        func links(_ kind: CampaignDocuments.Kind, _ formats: [DocumentFormat]) -> Node {
            .forEach(Array(formats.enumerated())) { i, f in
                .group(.if(i > 0, .text(" · ")), .a(.href(.document(campaign: c, unit: u, kind: kind, format: f)), .text(f.label)))
            }
        }
        let all = DocumentFormat.allCases
        return .div(.class("card"),
            .h2("Tải văn bản"),
            .p(.text("Biểu tổng hợp: "), links(.summary, all)),
            .p(.text("Danh sách mô hình: "), links(.list, all)),
            .if(!m.initiatives.isEmpty, .details(.summary("Phiếu đăng ký từng mô hình"),
                .ul(.forEach(m.initiatives) { row in
                    .li(.text(row.title + " — "),
                        .a(.href(.initiativeForm(campaign: c, unit: u, id: row.id, format: .docx)), "Word"), .text(" · "),
                        .a(.href(.initiativeForm(campaign: c, unit: u, id: row.id, format: .pdf)), "PDF"))
                })))
        )
    }

    static func extensionCard(_ m: Model) -> Node {
        let c = m.campaign.code, u = m.unit.code
        guard m.campaign.state == .open else { return .empty }
        return .div(.class("card"),
            .h2("Gia hạn nộp cho đơn vị"),
            .unwrap(m.standing.extendedUntil) { .p(.text("Đang được gia hạn \(DeadlineText.through($0)).")) },
            .form(.class("stack"), .method(.post), .action(.extend(campaign: c, unit: u)),
                Layout.csrfField(m.user.csrf), .hidden(m.versionField.0, m.versionField.1),
                .div(.class("row2"),
                    .div(.label(.for("until-date"), "Hạn mới: hết ngày", .span(.class("hint"), " — ngày/tháng/năm, giờ Việt Nam")),
                         .input(.type(.text), .id("until-date"), .name("date"), .required(), .placeholder("ngày/tháng/năm"),
                                .attribute("inputmode", "numeric"), .attribute("pattern", "[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}")))),
                .p(.class("hint"), .text("Hạn chung: \(DeadlineText.before(m.campaign.deadline)). Hạn mới phải sau hạn chung và trong năm \(m.campaign.year).")),
                .div(.class("actions"), .button(.type(.submit), .class("button secondary"), "Gia hạn"),
                     .if(m.standing.extendedUntil != nil, .button(.type(.submit), .class("button secondary"), .name("remove"), .value("1"),
                                                                 .attribute("formnovalidate", present: true), "Bỏ gia hạn"))))
        )
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
