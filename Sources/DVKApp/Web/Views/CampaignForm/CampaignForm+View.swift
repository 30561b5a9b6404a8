import DVKCore
import Foundation

extension CampaignForm {
    /// The page (the one shape every page has: `Page.view(model)`); its parts are this
    /// file's `View`, which holds the model they all read.
    static func view(_ model: Model) -> HTMLPage { View(model: model).render() }

    fileprivate struct View {
        var model: Model

        func render() -> HTMLPage {
            Layout.page(title: title, user: model.user, body: [
                .p(.class("crumbs small"), back),
                .h1(.text(title)),
                .unwrap(model.existing) { control($0) },
                .unwrap(model.lastCampaign) { last in
                    .p(.class("actions"), .a(.class("button secondary"), .href(SiteURL.campaignNew.link(query: [("from", last.code)])),
                                             .text("Sao chép từ đợt năm trước: \(last.title)")))
                },
                model.editable ? form : .group(FormField.summary(model.errors), readOnly),
            ])
        }

        var title: String {
            guard let existing = model.existing else { return "Tạo đợt thi đua" }
            return model.editable ? "Sửa đợt thi đua \(existing.campaign.code)" : "Thông tin đợt thi đua \(existing.campaign.code)"
        }

        var back: Node {
            if let existing = model.existing {
                return .a(.href(.campaign(existing.campaign.code)), .text("← \(existing.campaign.title)"))
            }
            return .a(.href(.campaigns), "← Đợt thi đua")
        }

        // MARK: State, re-sync, reminders

        func control(_ existing: Existing) -> Node {
            let c = existing.campaign
            return .div(.class("card"),
                .p(.text("Trạng thái: "), .span(.class("badge state-\(c.state.rawValue)"), .text(c.state.label)),
                   .text(" · \(Format.number(existing.targetCount)) công đoàn cơ sở tham gia · hạn nộp "),
                   .span(.class("deadline"), .text(VietnamTime.describe(c.deadline)))),
                .unwrap(existing.syncedAt) { .p(.class("muted small"), .text("Danh sách đơn vị lấy lúc \(VietnamTime.describe($0)).")) },
                .if(model.canRun, Layout.campaignWarnings(c, now: model.now, edit: false)),
                .div(.class("actions"),
                    .if(model.canRun, .group(
                        .forEach(c.state.next) { next in
                            Layout.postButton(Self.transitionLabel(from: c.state, to: next), to: .campaignState(c.code),
                                              csrf: model.user.csrf, style: next == .open ? "" : "secondary danger",
                                              confirm: Self.transitionQuestion(from: c.state, to: next)
                                                + (next == .open && c.warnings(at: model.now).contains(where: \.isDeadlinePast) ? " Lưu ý: hạn nộp đã qua." : ""),
                                              fields: [("to", next.rawValue)])
                        },
                        .if(c.state.mayResync,
                            Layout.postButton("Cập nhật danh sách đơn vị", to: .campaignSync(c.code), csrf: model.user.csrf,
                                              style: "secondary",
                                              confirm: "Lấy danh sách đơn vị hiện tại (tên mới, đơn vị mới, đơn vị đã chuyển) vào đợt thi đua?"))
                    )),
                    .a(.class("button secondary"), .href(.reminders(c.code)), "Đơn vị chưa nộp")
                )
            )
        }

        static func transitionLabel(from: CampaignState, to: CampaignState) -> String {
            switch (from, to) {
            case (.draft, .open): "Mở đợt thi đua"
            case (.closed, .open): "Mở lại"
            case (_, .closed): "Đóng đợt"
            case (_, .archived): "Lưu trữ"
            default: to.label
            }
        }

        static func transitionQuestion(from: CampaignState, to: CampaignState) -> String {
            switch (from, to) {
            case (.draft, .open): "Mở đợt thi đua? Cây đơn vị hiện tại sẽ được lấy vào đợt và các đơn vị bắt đầu đăng ký."
            case (.closed, .open): "Mở lại đợt thi đua?"
            case (_, .closed): "Đóng đợt thi đua?"
            case (_, .archived): "Lưu trữ đợt thi đua? Sau khi lưu trữ không sửa được nữa."
            default: "Chuyển trạng thái đợt thi đua?"
            }
        }

        // MARK: The form

        var form: Node {
            let v = model.values
            let e = model.errors
            let action: SiteURL = model.existing.map { .campaignEdit($0.campaign.code) } ?? .campaignNew
            return FormField.post(action, csrf: model.user.csrf, [
                FormField.summary(e),
                .unwrap(model.existing) { .hidden("campaign", $0.campaign.code) },
                FormField.fieldset("Thông tin chung", [
                    model.isNew
                        ? FormField.text("code", "Mã đợt", value: v.code, errors: e,
                                         hint: "dùng trong địa chỉ trang và tên tệp; chữ không dấu, số, - _ .", required: true,
                                         placeholder: "DVK-2025")
                        : .p(.text("Mã đợt: "), .strong(.text(v.code)), .span(.class("muted"), " (không đổi được)")),
                    model.isNew
                        ? FormField.select("issuer", "Đơn vị phát động",
                                           options: model.issuers.map { ($0.code, String(repeating: "— ", count: $0.depth) + $0.name) },
                                           selected: v.issuer, errors: e)
                        : .p(.text("Đơn vị phát động: "), .strong(.text(model.existing?.campaign.issuerName ?? ""))),
                    .div(.class("row2"),
                        FormField.text("year", "Năm", value: v.year, errors: e, type: .number, required: true,
                                       extra: [.attribute("min", "2000"), .attribute("max", "2100")]),
                        FormField.text("number", "Số công văn", value: v.number, errors: e, placeholder: "26/LĐLĐ"),
                        FormField.date("issued_on", "Ngày ban hành", value: v.issuedOn, errors: e)
                    ),
                    FormField.text("place", "Địa danh ghi trên công văn", value: v.place, errors: e,
                                   hint: "để trống: lấy theo tên đơn vị phát động", placeholder: "Long Biên"),
                    FormField.text("title", "Tên đợt thi đua", value: v.title, errors: e, required: true),
                ]),
                FormField.fieldset("Hạn nộp", [
                    .div(.class("row2"),
                        FormField.date("deadline_date", "Ngày", value: v.deadlineDate, errors: e, required: true),
                        FormField.time("deadline_time", "Giờ", value: v.deadlineTime, errors: e)
                    ),
                    .p(.class("hint"),
                       .text("Theo giờ Việt Nam. “Trước ngày 16/02/2024” là hạn 00:00 ngày 16/02/2024."),
                       .unwrap(v.deadline) { .group(.br(), .text("Hạn nộp: "), .strong(.text(DeadlineText.before($0)))) }),
                    FormField.checkbox("accepts_late", "Vẫn nhận hồ sơ nộp sau hạn (được đánh dấu nộp muộn)",
                                       checked: v.acceptsLate, errors: e),
                ]),
                FormField.fieldset("Thư nhắc nộp", [
                    .div(.class("row2"),
                        FormField.text("reminder_days", "Gửi trước hạn (số ngày)", value: v.reminderDays, errors: e,
                                       hint: "cách nhau bằng dấu phẩy; 0 là ngày cuối cùng, -1 là ngày sau hạn", placeholder: "7, 3, 1, -1"),
                        FormField.time("reminder_time", "Giờ gửi", value: v.reminderTime, errors: e)
                    ),
                    .p(.class("hint"), .text("Thư nhắc chỉ gửi tới công đoàn cơ sở chưa nộp hồ sơ và có email, mỗi đơn vị nhiều nhất một thư một ngày.")),
                ]),
                FormField.fieldset("Thẩm định mô hình", [
                    FormField.textarea("criteria", "Tiêu chí thẩm định", value: v.criteria, errors: e,
                                       hint: "mỗi dòng một tiêu chí; để trống là 5 tiêu chí của phong trào", rows: 5),
                ]),
                FormField.fieldset("Đơn vị tham gia", [
                    .div(.class("field choices" + (e["target_codes"] == nil ? "" : " invalid")),
                        .label(.input(.type(.radio), .name("targets_mode"), .value("all"), .checked(v.targetsMode != "chosen")),
                               " Mọi công đoàn cơ sở trực thuộc đơn vị phát động"),
                        .label(.input(.type(.radio), .name("targets_mode"), .value("chosen"), .checked(v.targetsMode == "chosen")),
                               " Chỉ các đơn vị được chọn")
                    ),
                    .div(.attribute("data-targets-chosen", present: true),
                        .unwrap(model.tree) { picker($0) },
                        FormField.textarea("target_codes", "Mã các công đoàn cơ sở tham gia", value: v.targetCodes, errors: e,
                                           hint: "chọn trong danh sách trên, hoặc dán danh sách mã: mỗi dòng một mã, hoặc cách nhau bằng dấu phẩy",
                                           rows: 4, placeholder: "LB-GD-THNL\nLB-DN-MDG")
                    ),
                    .if(!model.isNew, .p(.class("hint"), "Đổi đơn vị tham gia sẽ lấy lại danh sách đơn vị hiện tại vào đợt thi đua.")),
                ]),
                sectorsFieldset(v, e),
                FormField.fieldset("Công văn", [
                    FormField.text("subject", "Trích yếu", value: v.subject, errors: e, required: true),
                    FormField.text("basis", "Văn bản của cấp trên", value: v.basis, errors: e,
                                   hint: "văn bản đợt thi đua này thực hiện; báo cáo kết quả gửi cấp trên dẫn văn bản này",
                                   placeholder: "Công văn số 274/LĐLĐ ngày 05/02/2024 của LĐLĐ thành phố Hà Nội"),
                    FormField.textarea("addressees", "Kính gửi", value: v.addressees, errors: e, hint: "mỗi dòng một nơi", rows: 2),
                    FormField.textarea("body", "Nội dung công văn", value: v.body, errors: e,
                                       hint: "dòng trống tách đoạn; dòng bắt đầu bằng “- ” là gạch đầu dòng; chữ đặt giữa hai dấu * được in nghiêng",
                                       rows: 14),
                    FormField.textarea("recipients", "Nơi nhận", value: v.recipients, errors: e, hint: "mỗi dòng một nơi", rows: 4),
                ]),
                FormField.fieldset("Người ký", [
                    .div(.class("row2"),
                        FormField.text("signer_authority", "Thẩm quyền ký", value: v.signerAuthority, errors: e,
                                       placeholder: "TM. BAN THƯỜNG VỤ"),
                        FormField.text("signer_title", "Chức vụ", value: v.signerTitle, errors: e, required: true,
                                       placeholder: "PHÓ CHỦ TỊCH"),
                        FormField.text("signer_name", "Họ và tên", value: v.signerName, errors: e)
                    ),
                ]),
                .if(model.isNew, FormField.fieldset("Trạng thái", [
                    .div(.class("field choices"),
                        .label(.input(.type(.radio), .name("state"), .value("draft"), .checked(v.initialState != "open")),
                               " Lưu bản nháp (mở sau)"),
                        .label(.input(.type(.radio), .name("state"), .value("open"), .checked(v.initialState == "open")),
                               " Mở ngay để các đơn vị đăng ký")
                    ),
                ])),
                // The save button first: Enter in a field sends the form with the first one.
                .div(.class("actions"),
                     .button(.type(.submit), .text(model.isNew ? "Tạo đợt thi đua" : "Lưu thay đổi")),
                     .button(.type(.submit), .class("button secondary"), .attribute("formaction", SiteURL.campaignPreview.path),
                             .attribute("formtarget", "_blank"), .attribute("formnovalidate", present: true), "Xem trước công văn (PDF)"),
                     back),
                .p(.class("hint"), "“Xem trước công văn” mở công văn như đang nhập ở thẻ mới, chưa lưu gì."),
            ])
        }

        // MARK: Sectors as rows

        /// The sectors as rows of a table: order, name, the code kept (a new row's is made
        /// from its name when saved). Without the script a blank row adds one and an emptied
        /// name removes one; with it, buttons add, move and remove rows.
        func sectorsFieldset(_ v: Values, _ e: FieldErrors) -> Node {
            let rows = v.sectorRows + [Sector.Row(name: "")]
            let error = e["sectors"]
            return .element("fieldset", [
                .legend("Lĩnh vực"),
                .unwrap(error) { _ in .attribute("aria-describedby", "sectors-error") },
                .p(.class("hint"), "Theo thứ tự in trên Biểu tổng hợp, tên ghi như trong công văn. Xóa tên một dòng để bỏ lĩnh vực đó; dòng trống cuối cùng để thêm lĩnh vực mới."),
                .div(.class("scroll" + (error == nil ? "" : " invalid")),
                    .table(.class("sector-rows"),
                        .thead(.tr(.th(.class("num"), "Thứ tự"), .th("Tên lĩnh vực"), .if(showsCodes, .th("Mã")),
                                   .th(.class("js-only"), .span(.class("sr-only"), "Thao tác")))),
                        .tbody(.attribute("data-sector-rows", present: true),
                            .forEach(Array(rows.enumerated())) { i, row in sectorRow(i, row) })
                    )
                ),
                .p(.class("js-only"), .button(.type(.button), .class("button secondary"), .attribute("data-sector-add", present: true), "+ Thêm lĩnh vực")),
                FormField.message("sectors", error),
            ])
        }

        /// A sector's code (kept in files and the API) is shown to an administrator only.
        var showsCodes: Bool { model.user.role == .admin }

        func sectorRow(_ i: Int, _ row: Sector.Row) -> Node {
            .tr(
                .td(.input(.type(.number), .name("sector_order_\(i)"), .value(row.order.isEmpty ? String(i + 1) : row.order),
                           .attribute("min", "1"), .attribute("max", "999"), .class("order"), .attribute("data-field", "order"),
                           .attribute("aria-label", "Thứ tự dòng \(i + 1)"))),
                .td(.input(.type(.text), .name("sector_name_\(i)"), .value(row.name), .attribute("data-field", "name"),
                           .attribute("maxlength", "200"), .attribute("aria-label", "Tên lĩnh vực dòng \(i + 1)"),
                           .placeholder(row.code.isEmpty ? "ví dụ: Lĩnh vực văn hóa – xã hội" : "")),
                    .input(.type(.hidden), .name("sector_code_\(i)"), .value(row.code), .attribute("data-field", "code"))),
                .if(showsCodes, .td(.class("muted small"), .attribute("data-code-cell", present: true),
                                    .text(row.code.isEmpty ? "tự tạo khi lưu" : row.code))),
                .td(.class("js-only nowrap"),
                    .button(.type(.button), .class("button secondary small"), .attribute("data-act", "up"), .attribute("aria-label", "Chuyển dòng \(i + 1) lên"), "↑"),
                    .button(.type(.button), .class("button secondary small"), .attribute("data-act", "down"), .attribute("aria-label", "Chuyển dòng \(i + 1) xuống"), "↓"),
                    .button(.type(.button), .class("button secondary small"), .attribute("data-act", "remove"), .attribute("aria-label", "Bỏ dòng \(i + 1)"), "Bỏ"))
            )
        }

        // MARK: The participants' chooser

        /// The units under the issuer as a tree of check boxes, shown by the script (which
        /// keeps the codes' box in step): a federation's box takes or leaves its whole
        /// subtree; the search ignores diacritics; the count says how many are chosen.
        func picker(_ tree: UnitTree) -> Node {
            func item(_ node: UnitNode, depth: Int) -> Node {
                let children = depth < 32 ? tree.children[node.id] ?? [] : []
                return .li(.attribute("data-code", node.code), .if(node.kind == .federation, .class("fed")),
                    .label(.input(.type(.checkbox)), .text(" " + node.name + " "), .small(.text(node.code))),
                    .if(!children.isEmpty, .ul(.forEach(children) { item($0, depth: depth + 1) })))
            }
            return .div(.class("tree-picker"), .attribute("data-tree-picker", present: true), .attribute("hidden", present: true),
                .div(.class("filters"),
                    .label(.for("tree-search"), "Tìm đơn vị",
                           .input(.type(.search), .id("tree-search"), .attribute("data-tree-search", present: true),
                                  .placeholder("gõ tên hoặc mã, có dấu hay không đều được"), .attribute("autocomplete", "off"))),
                    .p(.class("count"), .attribute("data-tree-count", present: true), .attribute("aria-live", "polite"), " ")
                ),
                .ul(.class("tree"), .attribute("aria-label", "Đơn vị trực thuộc"), item(tree.root, depth: 0))
            )
        }

        // MARK: Read-only

        var readOnly: Node {
            let v = model.values
            let c = model.existing?.campaign
            func fact(_ label: String, _ value: Node) -> Node {
                .div(.class("fact"), .dt(.text(label)), .dd(value))
            }
            func text(_ s: String) -> Node { s.isEmpty ? .span(.class("muted"), "—") : .text(s) }
            return .div(.class("card"),
                .if(c?.state == .archived && model.canRun,
                    .p(.class("alert warn"), "Đợt thi đua đã lưu trữ nên chỉ xem được, không sửa được.")),
                .element("dl", [
                    .class("facts"),
                    fact("Mã đợt", text(v.code)),
                    fact("Đơn vị phát động", text(c?.issuerName ?? "")),
                    fact("Năm", text(v.year)),
                    fact("Tên đợt", text(v.title)),
                    fact("Số công văn", text(v.number)),
                    fact("Ngày ban hành", text(CalendarDay(parsing: v.issuedOn)?.vietnamese ?? v.issuedOn)),
                    fact("Địa danh", text(v.place)),
                    fact("Trích yếu", text(v.subject)),
                    fact("Văn bản của cấp trên", text(v.basis)),
                    fact("Kính gửi", .ul(.forEach(v.addressees.split(separator: "\n")) { .li(.text(String($0))) })),
                    fact("Nội dung", .div(.class("letter"), .text(v.body))),
                    fact("Nơi nhận", .ul(.forEach(v.recipients.split(separator: "\n")) { .li(.text(String($0))) })),
                    fact("Lĩnh vực", .ol(.forEach(c?.sectors ?? []) { .li(.text($0.name)) })),
                    fact("Hạn nộp", .span(.class("deadline"), .text(c.map { DeadlineText.before($0.deadline) } ?? ""))),
                    fact("Nộp sau hạn", .text(v.acceptsLate ? "Vẫn nhận (đánh dấu nộp muộn)" : "Không nhận")),
                    fact("Thư nhắc nộp", .text(c?.reminders.sentence ?? "")),
                    fact("Đơn vị tham gia", .text(v.targetsMode == "chosen"
                        ? "\(Format.number(model.existing?.targetCount ?? 0)) đơn vị được chọn"
                        : "Mọi công đoàn cơ sở trực thuộc (\(Format.number(model.existing?.targetCount ?? 0)))")),
                    fact("Người ký", text([v.signerAuthority, v.signerTitle, v.signerName].filter { !$0.isEmpty }.joined(separator: " / "))),
                ])
            )
        }
    }
}
