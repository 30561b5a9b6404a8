import DVKCore
import Foundation

extension ModelPage {
    static func view(_ m: Model) -> HTMLPage {
        let c = m.campaign, i = m.year.model
        let sector = c.sectors.first { $0.code == i.sectorCode }?.name ?? i.sectorCode
        return Layout.page(title: i.title + " — " + m.unit.name, user: m.user, body: [
            .p(.class("crumbs small"), .a(.href(.unitPage(campaign: c.code, unit: m.unit.code)), .text("← " + m.unit.name)),
               .if(m.user.role != .officer, .group(.text(" · "), .a(.href(.year(c.code)), "Theo dõi, công nhận mô hình")))),
            .h1(.text(i.title)),
            .div(.class("card"), .dl(.class("facts"),
                .dt("Đơn vị"), .dd(.text(m.unit.name)),
                .dt("Lĩnh vực"), .dd(.text(Sector.shortName(sector))),
                .dt(.text(i.kind.label)), .dd(.text(i.registrantName + (i.registrantTitle.isEmpty ? "" : " — " + i.registrantTitle))),
                .dt("Đợt thi đua"), .dd(.text(c.title)),
                .dt("Hồ sơ đăng ký"), .dd(.text(m.year.status.label)),
                .if(!i.content.isEmpty, .group(.dt("Nội dung"), .dd(.class("prewrap"), .text(i.content)))),
                .if(!i.expectedResult.isEmpty, .group(.dt("Kết quả dự kiến"), .dd(.class("prewrap"), .text(i.expectedResult)))))),
            .if(m.year.status != .accepted, .div(.class("alert"), .role("status"),
                "Mô hình được báo cáo kết quả, thẩm định và công nhận sau khi hồ sơ đăng ký của đơn vị được công đoàn cấp trên duyệt.")),
            progress(m),
            verification(m),
            recognition(m),
            nomination(m),
            commendation(m),
            publication(m),
            lineage(m),
            replications(m),
            AuditHistory.section(m.trail),
        ])
    }

    static func step(_ m: Model, _ step: YearFormStep) -> SiteURL {
        .modelStep(campaign: m.campaign.code, unit: m.unit.code, id: m.id, step: step)
    }

    // MARK: Progress

    static func progress(_ m: Model) -> Node {
        let e = m.errors(.progress)
        return .section(.attribute("aria-labelledby", "tien-do"),
            .h2(.id("tien-do"), "Kết quả thực hiện"),
            m.record.reports.isEmpty ? .p(.class("muted"), "Chưa có báo cáo kết quả nào.") : .ol(.class("reports"), .forEach(m.record.reports) { r in
                let files = m.record.files.filter { $0.reportId == r.id }
                return .li(.class("card"),
                    .p(.strong(.text("Ngày \(r.day?.vietnamese ?? r.reportedOn)")), .span(.class("muted small"), .text(" — " + r.author))),
                    .p(.class("prewrap"), .text(r.body)),
                    figures(r.figures),
                    .if(!files.isEmpty, .ul(.class("files"), .forEach(files) { f in fileLine(m, f) })))
            }),
            .if(m.can(.report), .details(.attribute("open", present: m.failed == .progress || m.record.reports.isEmpty),
                .summary("Báo cáo kết quả thực hiện"),
                .form(.class("stack"), .method(.post), .action(step(m, .progress)), .multipart(),
                    Layout.csrfField(m.user.csrf),
                    FormField.summary(e),
                    FormField.date("day", "Ngày báo cáo", value: m.value(.progress, "day", m.today.vietnamese), errors: e, required: true),
                    FormField.textarea("text", "Kết quả đạt được", value: m.value(.progress, "text"), errors: e,
                                       hint: "việc đã làm, thay đổi mang lại trong kỳ báo cáo", rows: 5),
                    .div(.class("row2"),
                        FormField.text("participants", "Số người tham gia", value: m.value(.progress, "participants"), errors: e, extra: [.attribute("inputmode", "numeric")]),
                        FormField.text("beneficiaries", "Số người hưởng lợi", value: m.value(.progress, "beneficiaries"), errors: e, extra: [.attribute("inputmode", "numeric")])),
                    .div(.class("row2"),
                        FormField.text("money", "Kinh phí vận động (đồng)", value: m.value(.progress, "money"), errors: e,
                                       hint: "vd 135.000.000", extra: [.attribute("inputmode", "numeric")]),
                        FormField.text("workdays", "Ngày công", value: m.value(.progress, "workdays"), errors: e, extra: [.attribute("inputmode", "numeric")])),
                    .div(.class(e["files"] == nil ? "field" : "field invalid"),
                        .label(.for("files"), "Ảnh, tệp PDF minh chứng", .span(.class("hint"), .text(" — JPEG, PNG hoặc PDF, mỗi tệp tối đa 5 MB, nhiều nhất \(Attachment.maxPerReport) tệp"))),
                        .input(.type(.file), .id("files"), .name("files[]"), .attribute("multiple", present: true), .attribute("accept", "image/jpeg,image/png,application/pdf"),
                               FormField.invalid("files", e["files"])),
                        FormField.message("files", e["files"])),
                    FormField.text("caption", "Chú thích ảnh", value: m.value(.progress, "caption"), errors: e,
                                   hint: "ảnh cho thấy việc gì, ở đâu, khi nào; dùng cho các tệp gửi kèm báo cáo này, sửa riêng từng tệp sau",
                                   placeholder: "ví dụ: Đoàn viên trao quà tại xã Tả Van, tháng 3/2024"),
                    FormField.checkbox("public", "Đồng ý đăng ảnh trên thư viện mô hình tiêu biểu khi mô hình được công bố", checked: m.value(.progress, "public") == "on", errors: e),
                    .div(.class("actions"), .button(.type(.submit), "Gửi báo cáo")))))
        )
    }

    /// A report's file: its link, what it is, its caption; and for those who report, the
    /// caption's own small form (the library shows the caption under the photo).
    static func fileLine(_ m: Model, _ f: YearRecord.ModelFile) -> Node {
        let failed = m.failed == .caption && m.posted["file"] == f.id.canonicalText
        let e = failed ? m.errors : FieldErrors()
        let id = "caption-\(f.id.canonicalText.prefix(8).lowercased())"
        return .li(
            .a(.href(.modelFile(campaign: m.campaign.code, unit: m.unit.code, id: m.id, file: f.id)), .text(f.shownName)),
            .span(.class("muted small"), .text(" (\(f.isImage ? "ảnh" : "PDF"), \(size(f.size))\(f.public ? ", được đăng trên thư viện" : ""))")),
            .if(!f.caption.isEmpty && !m.can(.report), .group(.br(), .em(.text(f.caption)))),
            .if(m.can(.report), .form(.class("caption"), .method(.post), .action(step(m, .caption)),
                Layout.csrfField(m.user.csrf),
                .input(.type(.hidden), .name("file"), .value(f.id.canonicalText)),
                .input(.type(.hidden), .name("was"), .value(f.caption)),
                .div(.class(e["caption"] == nil ? "field" : "field invalid"),
                    .label(.for(id), .class("small"), "Chú thích"),
                    .input(.type(.text), .id(id), .name("caption"), .value(failed ? m.posted["caption"] ?? "" : f.caption),
                           .attribute("maxlength", "300"), .placeholder("ví dụ: Đoàn viên trao quà tại xã Tả Van, tháng 3/2024"),
                           FormField.invalid(id, e["caption"])),
                    FormField.message(id, e["caption"])),
                .button(.type(.submit), .class("button secondary small"), "Lưu chú thích"))))
    }

    static func figures(_ f: ProgressFigures) -> Node {
        f.phrases.isEmpty ? .empty : .p(.class("figures"), .text(f.phrases.joined(separator: " · ")))
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1_048_576 ? String(format: "%.1f MB", Double(bytes) / 1_048_576).replacingOccurrences(of: ".", with: ",")
            : "\(max(1, bytes / 1024)) KB"
    }

    // MARK: Verification

    static func verification(_ m: Model) -> Node {
        let e = m.errors(.verification)
        let mine = m.myVerification
        let criteria = m.campaign.criteria
        return .section(.attribute("aria-labelledby", "tham-dinh"),
            .h2(.id("tham-dinh"), "Thẩm định"),
            m.record.verifications.isEmpty ? .p(.class("muted"), "Chưa có đoàn thẩm định nào.") : .group(.forEach(m.record.verifications) { v in
                .div(.class("card"),
                    .p(.strong(.text(v.byName)), .text(" thẩm định ngày \(CalendarDay(parsing: v.verifiedOn)?.vietnamese ?? v.verifiedOn): "),
                       .span(.class(v.result == .passed ? "badge ok" : "badge bad"), .text(v.result.label))),
                    .ul(.class("checks"), .forEach(v.checks) { c in
                        .li(.class(c.met ? "met" : "unmet"), .text((c.met ? "✓ " : "✗ ") + c.criterion), .span(.class("sr-only"), .text(c.met ? " — đạt" : " — chưa đạt")))
                    }),
                    .if(!v.overrideReason.isEmpty, .p(.strong("Kết luận khác kết quả các tiêu chí. Lý do: "), .span(.class("prewrap"), .text(v.overrideReason)))),
                    .if(!v.comments.isEmpty, .p(.class("prewrap"), .text(v.comments))),
                    .p(.class("muted small"), .text("Người ghi: " + v.author)))
            }),
            .if(m.can(.verify), .details(.attribute("open", present: m.failed == .verification),
                .summary(.text(mine == nil ? "Ghi kết quả thẩm định của \(m.year.federation?.name ?? "")" : "Sửa kết quả thẩm định của \(m.year.federation?.name ?? "")")),
                .form(.class("stack"), .method(.post), .action(step(m, .verification)),
                    Layout.csrfField(m.user.csrf),
                    FormField.summary(e),
                    FormField.date("verifiedOn", "Ngày thẩm định", value: m.value(.verification, "verifiedOn", (mine.flatMap { CalendarDay(parsing: $0.verifiedOn) } ?? m.today).vietnamese), errors: e, required: true),
                    // The criteria as one group: "all met", or the exceptions marked "chưa đạt".
                    criteriaGroup(m, criteria: criteria, mine: mine, errors: e),
                    FormField.textarea("comments", "Nhận xét", value: m.value(.verification, "comments", mine?.comments ?? ""), errors: e, rows: 3),
                    FormField.select("verdict", "Kết luận",
                                     options: [("", "Theo kết quả các tiêu chí (đạt khi đạt tất cả)")] + Verdict.allCases.map { ($0.rawValue, $0.label) },
                                     selected: m.value(.verification, "verdict", mine.map { $0.overrideReason.isEmpty ? "" : $0.verdict } ?? ""), errors: e),
                    FormField.textarea("reason", "Lý do, khi kết luận khác kết quả các tiêu chí",
                                       value: m.value(.verification, "reason", mine?.overrideReason ?? ""), errors: e, rows: 2),
                    .div(.class("actions"), .button(.type(.submit), "Lưu kết quả thẩm định")))))
        )
    }

    /// "Đạt tất cả tiêu chí" or "Có tiêu chí chưa đạt" and which; the exceptions show only
    /// with the second (app.js), and without script both are there and "all" wins.
    static func criteriaGroup(_ m: Model, criteria: [String], mine: YearRecord.Verification?, errors e: FieldErrors) -> Node {
        let unmet = criteria.indices.map { index in
            m.failed == .verification ? m.posted["x\(index)"] == "on"
                : (mine?.checks.count == criteria.count ? !mine!.checks[index].met : false)
        }
        let all = m.failed == .verification ? m.posted["all"] != "0" : !unmet.contains(true)
        func choice(_ value: String, _ label: String, checked: Bool) -> Node {
            .label(.class("choice"), .input(.type(.radio), .name("all"), .value(value), .checked(checked), .attribute("data-criteria-all", value)),
                   .text(" " + label))
        }
        return FormField.fieldset("Tiêu chí thẩm định", [
            .div(.class("field check"), choice("1", "Đạt tất cả tiêu chí", checked: all)),
            .div(.class("field check"), choice("0", "Có tiêu chí chưa đạt", checked: !all)),
            .div(.class("exceptions"), .attribute("data-criteria-exceptions", present: true),
                 .p(.class("hint"), "Đánh dấu các tiêu chí chưa đạt; các tiêu chí khác được tính là đạt."),
                 .forEach(criteria.enumerated()) { index, criterion in
                     FormField.checkbox("x\(index)", "Chưa đạt: " + criterion, checked: unmet[index], errors: e)
                 }),
        ])
    }

    // MARK: Recognition

    static func recognition(_ m: Model) -> Node {
        let e = m.errors(.recognition)
        let mine = m.myRecognition
        let fed = m.year.federation?.name ?? ""
        return .section(.attribute("aria-labelledby", "cong-nhan"),
            .h2(.id("cong-nhan"), "Công nhận"),
            m.record.recognitions.isEmpty ? .p(.class("muted"), "Mô hình chưa được công nhận.") : .ul(.class("decisions"), .forEach(m.record.recognitions) { r in
                .li(.text("\(r.byName) công nhận theo Quyết định số \(r.decisionNumber) ngày \(r.day?.vietnamese ?? r.decisionDate)"),
                    .if(r.exemplary, .span(.class("badge ok"), " Tiêu biểu")))
            }),
            .if(m.can(.recognise), .group(.details(.attribute("open", present: m.failed == .recognition),
                .summary(.text(mine == nil ? "\(fed) công nhận mô hình" : "Sửa quyết định công nhận của \(fed)")),
                .form(.class("stack"), .method(.post), .action(step(m, .recognition)),
                    Layout.csrfField(m.user.csrf),
                    FormField.summary(e),
                    .div(.class("row2"),
                        FormField.text("decisionNumber", "Số quyết định", value: m.value(.recognition, "decisionNumber", mine?.decisionNumber ?? ""), errors: e,
                                       required: true, placeholder: "vd 12/QĐ-LĐLĐ"),
                        FormField.date("decisionDate", "Ngày quyết định", value: m.value(.recognition, "decisionDate", mine?.day?.vietnamese ?? ""), errors: e, required: true)),
                    FormField.checkbox("exemplary", "Mô hình tiêu biểu", checked: m.failed == .recognition ? m.posted["exemplary"] == "on" : (mine?.exemplary ?? false), errors: e),
                    .div(.class("actions"), .button(.type(.submit), .text(mine == nil ? "Công nhận" : "Lưu quyết định"))))),
                .if(mine != nil, Layout.postButton("Rút quyết định công nhận", to: step(m, .recognitionWithdraw), csrf: m.user.csrf, style: "secondary",
                                                   confirm: "Rút quyết định công nhận của \(fed)? Đề nghị lên cấp trên (nếu có) cũng được rút; mô hình rời thư viện nếu không còn quyết định công nhận nào."))))
        )
    }

    // MARK: Nomination

    static func nomination(_ m: Model) -> Node {
        let mine = m.myNomination
        return .section(.attribute("aria-labelledby", "de-nghi"),
            .h2(.id("de-nghi"), "Đề nghị cấp trên công nhận"),
            m.record.nominations.isEmpty ? .p(.class("muted"), "Chưa được đề nghị lên cấp trên.") : .ul(.forEach(m.record.nominations) { n in
                .li(.text("\(n.fromName) đề nghị \(n.toName) công nhận"
                          + (n.documentNumber.isEmpty ? "" : " theo văn bản số \(n.documentNumber)"
                             + (n.documentDay.map { " ngày \($0.vietnamese)" } ?? ""))
                          + " (ghi lúc \(Format.short(n.createdAt)))"))
            }),
            .if(m.can(.nominate), .unwrap(m.parentName) { parent in
                mine == nil
                    ? .details(.attribute("open", present: m.failed == .nomination),
                        .summary(.text("Đề nghị \(parent) công nhận…")),
                        .form(.class("stack"), .method(.post), .action(step(m, .nomination)),
                            Layout.csrfField(m.user.csrf),
                            FormField.summary(m.errors(.nomination)),
                            .div(.class("row2"),
                                FormField.text("nominationNumber", "Số văn bản đề nghị", value: m.value(.nomination, "nominationNumber"),
                                               errors: m.errors(.nomination), required: true, placeholder: "ví dụ: 05/TTr-CĐN"),
                                FormField.date("nominationDate", "Ngày văn bản", value: m.value(.nomination, "nominationDate", m.today.vietnamese),
                                               errors: m.errors(.nomination), required: true)),
                            .div(.class("actions"), .button(.type(.submit), .text("Đề nghị \(parent) công nhận")))))
                    : Layout.postButton("Rút đề nghị", to: step(m, .nominationWithdraw), csrf: m.user.csrf, style: "secondary",
                                        confirm: "Rút đề nghị \(parent) công nhận mô hình này?")
            }),
            .if(m.year.actor.manages && m.year.actor.isAboveUnit && !m.year.actor.hasRecognised && m.year.status == .accepted,
                .p(.class("muted small"), "Công đoàn công nhận mô hình ở cấp mình trước, rồi mới đề nghị cấp trên."))
        )
    }

    // MARK: Commendation

    static func commendation(_ m: Model) -> Node {
        let e = m.errors(.commendation)
        let fedID = m.year.federation?.id
        return .section(.attribute("aria-labelledby", "khen-thuong"),
            .h2(.id("khen-thuong"), "Khen thưởng"),
            m.record.commendations.isEmpty ? .p(.class("muted"), "Chưa có khen thưởng.") : .ul(.class("decisions"), .forEach(m.record.commendations) { k in
                .li(.text("\(k.kind.label) của \(k.byName), Quyết định số \(k.decisionNumber) ngày \(k.day?.vietnamese ?? k.decisionDate)"),
                    .if(k.byUnitId == fedID && m.can(.commend), .group(.text(" "),
                        Layout.postButton("Rút", to: step(m, .commendationWithdraw), csrf: m.user.csrf, style: "small secondary",
                                          confirm: "Rút \(k.kind.label) này?", fields: [("form", k.form)]))))
            }),
            .if(m.can(.commend), .details(.attribute("open", present: m.failed == .commendation),
                .summary("Ghi khen thưởng"),
                .form(.class("stack"), .method(.post), .action(step(m, .commendation)),
                    Layout.csrfField(m.user.csrf),
                    FormField.summary(e),
                    FormField.select("form", "Hình thức", options: CommendationForm.allCases.map { ($0.rawValue, $0.label) },
                                     selected: m.value(.commendation, "form", CommendationForm.certificate.rawValue), errors: e),
                    .div(.class("row2"),
                        FormField.text("commendationNumber", "Số quyết định", value: m.value(.commendation, "commendationNumber"), errors: e, required: true, placeholder: "vd 45/QĐ-LĐLĐ"),
                        FormField.date("commendationDate", "Ngày quyết định", value: m.value(.commendation, "commendationDate"), errors: e, required: true)),
                    .div(.class("actions"), .button(.type(.submit), "Ghi khen thưởng")))))
        )
    }

    // MARK: Publication

    static func publication(_ m: Model) -> Node {
        .section(.attribute("aria-labelledby", "thu-vien"),
            .h2(.id("thu-vien"), "Thư viện mô hình tiêu biểu"),
            m.record.published
                ? .p(.text("Mô hình đang được công bố trên "), .a(.href(.libraryEntry(m.id)), "thư viện mô hình tiêu biểu"),
                     .text(" (ai cũng xem được, không cần đăng nhập; không đăng thông tin liên hệ)."))
                : .p(.class("muted"), "Mô hình chưa được công bố."),
            .if(m.can(.publish), m.record.published
                ? Layout.postButton("Thôi công bố", to: step(m, .publication), csrf: m.user.csrf, style: "secondary",
                                    confirm: "Gỡ mô hình khỏi thư viện công khai?", fields: [("published", "0")])
                : Layout.postButton("Công bố lên thư viện", to: step(m, .publication), csrf: m.user.csrf, fields: [("published", "1")]))
        )
    }

    // MARK: Lineage

    static func lineage(_ m: Model) -> Node {
        guard !m.record.lineage.isEmpty || m.year.model.continuity == Continuity.continues.rawValue else { return .empty }
        return .section(.attribute("aria-labelledby", "qua-cac-nam"),
            .h2(.id("qua-cac-nam"), "Mô hình qua các năm"),
            .ol(.class("lineage"),
                .forEach(m.record.lineage.filter(\.earlier)) { entry(m, $0) },
                .li(.strong(.text("\(m.campaign.year): \(m.year.model.title)")), .text(" (mô hình này)")),
                .forEach(m.record.lineage.filter { !$0.earlier }) { entry(m, $0) }))
    }

    static func replications(_ m: Model) -> Node {
        guard !m.record.replications.isEmpty else { return .empty }
        return .section(.attribute("aria-labelledby", "nhan-rong"),
            .h2(.id("nhan-rong"), "Được nhân rộng tại"),
            .ul(.forEach(m.record.replications) { r in
                .li(.text("\(r.unitCode) (năm \(r.year)): "), r.published ? .a(.href(.libraryEntry(r.id)), .text(r.title)) : .text(r.title))
            }))
    }

    static func entry(_ m: Model, _ e: YearRecord.LineageEntry) -> Node {
        .li(.text("\(e.year): "),
            e.published ? .a(.href(.libraryEntry(e.id)), .text(e.title)) : .text(e.title),
            .span(.class("muted small"), .text(" (\(e.unitCode), \(e.campaignCode))")))
    }
}
