import DVKCore
import Foundation

extension UnitShow {
    /// The page (the one shape every page has: `Page.view(model)`); its parts are this
    /// file's `View`, which holds the model they all read.
    static func view(_ model: Model) -> HTMLPage { View(model: model).render() }

    fileprivate struct View {
        var model: Model

        func render() -> HTMLPage {
            let m = model
            return Layout.page(title: m.name, user: m.user, body: [
                UnitSearch.box(value: ""),
                breadcrumb,
                .h1(.text(m.name)),
                .p(.class("muted"), .text("Mã \(m.code) · \(m.kind.label)"),
                   .if(!m.email.isEmpty, .group(.text(" · "), .a(.href(.mailto(m.email)), .text(m.email)))),
                   .if(!m.phone.isEmpty, .text(" · \(m.phone)"))),
                endedNotice,
                campaignsCard,
                // A refused edit comes back first, where its messages are seen.
                m.canEdit && !m.errors.isEmpty ? editForm : .empty,
                // A grassroots union has nothing below it, nor has an ended unit: no empty list to show.
                (m.kind == .grassroots || m.ended != nil) && m.paging.total == 0 ? .empty : children,
                m.canEdit && m.errors.isEmpty ? editForm : .empty,
                m.canEnd ? endForm : .empty,
                .if(m.user.role != .officer, AuditHistory.section(m.events, more: m.user.role.manages ? SiteURL.audit.link(query: [("unit", m.code)]) : nil)),
            ])
        }

        /// An ended unit says so first: when, into which unit, by whom, and where its accounts went.
        /// The open campaigns above a grassroots union: in or not, and one click to add it to
        /// a campaign of chosen units.
        var campaignsCard: Node {
            let m = model
            guard !m.campaigns.isEmpty else { return .empty }
            return .div(.class("card"), .h2("Đợt thi đua đang mở"),
                .ul(.class("units"), .forEach(m.campaigns) { line in
                    .li(.text(line.title + " — "),
                        line.joined ? .span(.class("badge ok"), "Đã tham gia") : .span(.class("badge"), "Chưa tham gia (đợt chọn đơn vị tham gia)"),
                        .if(line.canAdd, Layout.postButton("Thêm vào đợt", to: .unitJoin(m.code, line.code), csrf: m.user.csrf, style: "small",
                                                           confirm: "Thêm \(m.name) vào đợt “\(line.title)”?")))
                }))
        }

        var endedNotice: Node {
            guard let ended = model.ended else { return .empty }
            return .div(.class("alert warn"), .role("status"),
                .p(.unwrap(ended.into, { into in
                        .group(.text("Đơn vị đã sáp nhập vào "), .a(.href(.unit(into.code)), .text(into.name)), .text(" lúc \(Format.short(ended.at)).")) },
                        else: .text("Đơn vị đã giải thể lúc \(Format.short(ended.at))."))),
                .p(.text("Các đợt thi đua đã có đơn vị vẫn giữ tên và số liệu của đơn vị. Đơn vị không nhận tài khoản, đơn vị trực thuộc hay đợt thi đua mới. "),
                   .if(model.user.role.manages,
                       .a(.href(SiteURL.people.link(query: [("unit", model.code)])), "Tài khoản của đơn vị (đã khóa)"))),
                .if(!model.events.isEmpty, .ul(.forEach(model.events.filter { $0.action == "unit.dissolved" || $0.action == "unit.merged" }) { e in
                    .li(.text("\(Format.short(e.at)) · \(e.label) · \(e.actor)"))
                })))
        }

        /// Dissolving or merging: a first step that only asks, on the page that follows.
        var endForm: Node {
            .details(.class("card"), .id("giai-the"),
                .summary(.strong("Giải thể hoặc sáp nhập đơn vị")),
                .form(.method(.get), .action(.unitEnd(model.code)),
                    .p(.class("hint"), .text("Sáp nhập: nhập mã đơn vị cùng loại sẽ nhận \(model.name); các đơn vị trực thuộc chuyển sang đơn vị đó. "
                        + "Giải thể: để trống (đơn vị không còn đơn vị trực thuộc). Trang sau cho biết những gì sẽ thay đổi và hỏi lại trước khi làm.")),
                    .div(.class("field"), .label(.for("into"), "Mã đơn vị nhận sáp nhập", .span(.class("hint"), " — để trống nếu giải thể")),
                         .input(.type(.text), .id("into"), .name("into"), .attribute("maxlength", "64"))),
                    .div(.class("actions"), .button(.type(.submit), .class("button secondary"), "Xem trước"))))
        }

        var breadcrumb: Node {
            guard !model.trail.isEmpty else { return .empty }
            return .nav(.class("crumbs small"), .attribute("aria-label", "Cấp trên"),
                .forEach(model.trail) { crumb in
                    .group(.a(.href(.unit(crumb.code)), .text(crumb.name)), .text(" › "))
                })
        }

        var children: Node {
            let m = model
            return .div(.class("card"),
                .div(.class("heading-row"),
                    .h2(.text("Đơn vị trực thuộc (\(Format.number(m.paging.total)))")),
                    .if(m.canEdit && m.kind == .federation, .div(.class("actions"),
                        .a(.class("button small"), .href(SiteURL.unitNew.link(query: [("parent", m.code)])), "+ Thêm đơn vị trực thuộc"),
                        .a(.class("button small secondary"), .href(.unitsImport), "Nhập từ bảng tính (Excel hoặc CSV)"),
                        .a(.class("button small secondary"), .href(.unitAccounts(m.code)), "Tạo tài khoản cho các đơn vị chưa có tài khoản")
                    ))
                ),
                m.children.isEmpty
                    ? .p(.class("muted"), .text(m.kind == .grassroots ? "Công đoàn cơ sở không có đơn vị trực thuộc." : "Chưa có đơn vị trực thuộc."))
                    : .ul(.class("units"), .forEach(m.children) { child in
                        .li(.a(.href(.unit(child.code)), .text(child.name)),
                            .span(.class("muted small"),
                                  .text(" · \(child.code) · " + (child.kind == .federation
                                        ? "\(Format.number(child.children)) đơn vị trực thuộc" : "công đoàn cơ sở"))))
                    }),
                Pager.nav(m.paging) { page in SiteURL.unit(m.code).link(query: [("page", String(page))]) }
            )
        }

        /// The user's own unit keeps its kind and place: shown, and sent back unchanged.
        var ownPlace: Node {
            let f = model.form
            return .group(
                .input(.type(.hidden), .name("kind"), .value(f.kind)),
                .input(.type(.hidden), .name("parent"), .value(f.parentCode)),
                .p(.class("hint"), .text("Đây là đơn vị mình: loại đơn vị và cấp trên"
                    + (f.parentCode.isEmpty ? "" : " (\(f.parentCode))") + " do cấp trên thay đổi.")),
                FormField.message("kind", model.errors["kind"]),
                FormField.message("parent", model.errors["parent"])
            )
        }

        var editForm: Node {
            let f = model.form
            let e = model.errors
            return .div(.class("card"), .id("sua"),
                .h2("Sửa thông tin đơn vị"),
                FormField.post(.unit(model.code), csrf: model.user.csrf, [
                    FormField.summary(e),
                    FormField.text("name", "Tên đơn vị", value: f.name, errors: e, required: true),
                    model.isOwn ? ownPlace : .empty,
                    .div(.class("row2"),
                        model.isOwn ? .empty : FormField.select("kind", "Loại đơn vị", options: UnitKind.allCases.map { ($0.rawValue, $0.label) },
                                                                selected: f.kind, errors: e),
                        model.isOwn ? .empty : FormField.text("parent", "Mã đơn vị cấp trên", value: f.parentCode, errors: e),
                        FormField.text("email", "Email", value: f.email, errors: e, type: .email),
                        FormField.text("phone", "Điện thoại", value: f.phone, errors: e, type: .tel)
                    ),
                    FormField.fieldset("Người ký văn bản của đơn vị", [
                        .p(.class("hint"), .text(model.kind == .grassroots
                            ? "In dưới “TM. BAN CHẤP HÀNH” trên biểu, danh sách và phiếu đăng ký của đơn vị."
                            : "In dưới “TM. BAN THƯỜNG VỤ” trên biểu tổng hợp, danh sách, báo cáo và văn bản công nhận của đơn vị (trừ đợt do đơn vị phát động: ký theo công văn của đợt).")),
                        .div(.class("row2"),
                            FormField.text("signer_title", "Chức vụ", value: f.signerTitle, errors: e, hint: "để trống: CHỦ TỊCH",
                                           placeholder: "ví dụ: PHÓ CHỦ TỊCH"),
                            FormField.text("signer_name", "Họ và tên", value: f.signerName, errors: e,
                                           hint: "để trống: chừa chỗ ghi tên bằng tay", placeholder: "ví dụ: Nguyễn Văn An")),
                    ]),
                    .if(!model.isOwn, .p(.class("hint"), "Đổi mã cấp trên để chuyển đơn vị; cấp trên phải là một công đoàn cấp trên trong phạm vi quản lý của đơn vị.")),
                    .p(.class("hint"), "Các đợt thi đua giữ nguyên danh sách đơn vị như lúc mở đợt cho tới khi cán bộ bấm “Cập nhật danh sách đơn vị” trong đợt."),
                    .div(.class("actions"), .button(.type(.submit), "Lưu thay đổi")),
                ])
            )
        }
    }
}
