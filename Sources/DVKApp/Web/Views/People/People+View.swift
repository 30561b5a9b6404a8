import DVKCore
import DVKDocuments
import Foundation

/// `/users`: the accounts of the user's reach, filtered, searched, 50 a page; one person's
/// page; the forms that make accounts; what a new account's invitation looks like when it
/// is handed over rather than mailed.
enum People {
    static func statusBadge(_ status: AccountStatus) -> Node {
        let style = switch status {
        case .active: "ok"
        case .invited: "wait"
        case .disabled, .invitationExpired: "warn"
        }
        return .span(.class("badge \(style)"), .text(status.label))
    }

    // MARK: The list

    struct ListModel: Sendable {
        var user: CurrentUser
        var filter: PeopleDirectory.Filter
        var people: [PeopleDirectory.Person]
        var paging: Paging
        var now: Date
        /// Disabled accounts of units that ended, in the user's reach.
        var endedWaiting: Int
    }

    static func list(_ m: ListModel) -> HTMLPage {
        let f = m.filter
        func query(page: Int? = nil) -> [(String, String)] {
            [("unit", f.unit), ("role", f.role?.rawValue ?? ""), ("status", f.status?.rawValue ?? ""), ("q", f.query)]
                + (f.ended ? [("ended", "1")] : []) + (page.map { [("page", String($0))] } ?? [])
        }
        return Layout.page(title: "Tài khoản người dùng", user: m.user, body: [
            .h1("Tài khoản người dùng"),
            .p(.class("muted"), .text(m.user.role == .admin ? "Mọi tài khoản của hệ thống." : "Tài khoản của \(m.user.unitName) và các đơn vị trực thuộc.")),
            .div(.class("actions"),
                 .a(.class("button"), .href(.personNew), "Tạo tài khoản"),
                 .a(.class("button secondary"), .href(.peopleImport), "Nhập danh sách tài khoản (Excel/CSV)"),
                 .a(.class("button secondary"), .href(SiteURL.unitAccounts(m.user.unitCode).link()), "Tạo tài khoản cho các đơn vị chưa có tài khoản")),
            // Accounts a dissolved or merged unit left behind wait for someone to decide.
            .if(m.endedWaiting > 0 && !f.ended, .div(.class("alert warn"), .role("status"),
                .text("\(Format.number(m.endedWaiting)) tài khoản đã bị khóa vì đơn vị giải thể hoặc sáp nhập. Người còn công tác: chuyển sang đơn vị mới rồi mở khóa. "),
                .a(.href(SiteURL.people.link(query: [("ended", "1")])), "Xem danh sách"))),
            .form(.class("filters card"), .method(.get), .action(.people), .role("search"),
                .div(.class("row4"),
                    .div(.class("field"), .label(.for("q"), "Tìm", .span(.class("hint"), " — tên, tên đăng nhập, email, đơn vị; gõ không dấu cũng được")),
                         .input(.type(.search), .id("q"), .name("q"), .value(f.query), .placeholder("vd: nguyen thi hoa"))),
                    .div(.class("field"), .label(.for("unit"), "Mã đơn vị", .span(.class("hint"), " — đơn vị và các đơn vị trực thuộc")),
                         .input(.type(.text), .id("unit"), .name("unit"), .value(f.unit))),
                    FormField.select("role", "Vai trò", options: [("", "Tất cả")] + Role.allCases.map { ($0.rawValue, $0.label) },
                                     selected: f.role?.rawValue ?? "", errors: FieldErrors()),
                    FormField.select("status", "Trạng thái", options: [("", "Tất cả")] + AccountStatus.allCases.map { ($0.rawValue, $0.label) },
                                     selected: f.status?.rawValue ?? "", errors: FieldErrors())),
                .div(.class("field check"), .label(.input(.type(.checkbox), .name("ended"), .value("1"), .checked(f.ended)),
                                             .text(" Chỉ tài khoản của đơn vị đã giải thể hoặc sáp nhập"))),
                .div(.class("actions"), .button(.type(.submit), "Lọc"),
                     .a(.class("button secondary"), .href(SiteURL.peopleXLSX.link(query: query())), "Tải danh sách (Excel)"),
                     .a(.class("button secondary"), .href(SiteURL.peopleEvents.link(query: query())), "Tải nhật ký tài khoản (Excel)"))),
            .p(.role("status"), .text(m.paging.total == 0 ? "Không có tài khoản nào." : "\(Format.number(m.paging.total)) tài khoản.")),
            m.people.isEmpty ? .empty : .div(.class("scroll"), .table(.class("list responsive"),
                .thead(.tr(.th("Họ và tên"), .th("Tên đăng nhập"), .th("Vai trò"), .th("Đơn vị"), .th("Trạng thái"), .th("Đăng nhập lần cuối"))),
                .tbody(.forEach(m.people) { p in
                    .tr(.td(.dataLabel("Họ và tên"), .a(.href(.person(p.id)), .text(p.displayName))),
                        .td(.dataLabel("Tên đăng nhập"), .text(p.username)),
                        .td(.dataLabel("Vai trò"), .text(p.role.label)),
                        .td(.dataLabel("Đơn vị"), .text(p.unitName), .if(p.unitEnded, .span(.class("muted small"), " (đã giải thể/sáp nhập)"))),
                        .td(.dataLabel("Trạng thái"), statusBadge(p.status(at: m.now))),
                        .td(.dataLabel("Đăng nhập lần cuối"),
                            p.lastLoginAt.map { .text(Format.short($0)) } ?? .span(.class("badge warn"), "Chưa đăng nhập lần nào")))
                }))),
            Pager.nav(m.paging) { SiteURL.people.link(query: query(page: $0)) },
        ])
    }

    // MARK: One person

    struct PersonModel: Sendable {
        var user: CurrentUser
        var person: PeopleDirectory.Person
        var sessions: Int
        var tokens: [AuthStore.TokenInfo]
        var recoveryCodes: Int
        var events: [AuditTrail.Event]
        var now: Date
        var form: AccountInput
        var errors = FieldErrors()
        var sendsMail: Bool
    }

    static func show(_ m: PersonModel) -> HTMLPage {
        let p = m.person, u = m.user
        let status = p.status(at: m.now)
        let mine = p.id == u.id
        func action(_ label: String, _ a: PersonAction, style: String = "secondary", confirm: String? = nil) -> Node {
            Layout.postButton(label, to: .personAction(p.id, a), csrf: u.csrf, style: style, confirm: confirm)
        }
        return Layout.page(title: p.displayName, user: u, body: [
            .p(.class("crumbs small"), .a(.href(.people), "← Tài khoản người dùng")),
            .h1(.text(p.displayName)),
            .div(.class("card"),
                .element("dl", [.class("facts"),
                    .div(.class("fact"), .dt("Tên đăng nhập"), .dd(.text(p.username))),
                    .div(.class("fact"), .dt("Vai trò"), .dd(.text(p.role.label))),
                    .div(.class("fact"), .dt("Đơn vị"), .dd(.text(p.unitName), .if(p.unitEnded, .text(" (đã giải thể hoặc sáp nhập)")))),
                    .div(.class("fact"), .dt("Chức vụ"), .dd(.text(p.title.isEmpty ? "—" : p.title))),
                    .div(.class("fact"), .dt("Email"), .dd(.text(p.email.isEmpty ? "—" : p.email))),
                    .div(.class("fact"), .dt("Số điện thoại"), .dd(.text(p.phone.isEmpty ? "—" : p.phone))),
                    .div(.class("fact"), .dt("Trạng thái"), .dd(statusBadge(status),
                        .unwrap(p.linkUntil.flatMap { $0 > m.now && status != .disabled ? $0 : nil }) { .text(" · liên kết dùng được đến \(Format.short($0))") })),
                    .div(.class("fact"), .dt("Đăng nhập"), .dd(.text(p.lastLoginAt.map { "\(Format.number(p.loginCount)) lần, lần cuối \(Format.short($0))" }
                                                                     ?? "chưa đăng nhập lần nào"))),
                    .div(.class("fact"), .dt("Phiên đang mở"), .dd(.text(Format.number(m.sessions)))),
                    .div(.class("fact"), .dt("Mã truy cập API"), .dd(.text(m.tokens.isEmpty ? "không có" : "\(Format.number(m.tokens.count)) mã"))),
                    .div(.class("fact"), .dt("Xác thực hai lớp"), .dd(.text(p.twoFactor ? "đang bật (còn \(m.recoveryCodes) mã khôi phục)" : "chưa bật"))),
                ])),
            .if(!mine, .group(.section(.class("card"), .h2("Việc với tài khoản"),
                .div(.class("actions"),
                    .if(status == .invited || status == .invitationExpired,
                        .group(action(m.sendsMail && !p.email.isEmpty ? "Gửi lại lời mời" : "Tạo lại liên kết mời", .invite, style: ""),
                               action("In thư mời (PDF, liên kết mới)", .letter))),
                    .if(status == .invited, action("Thu hồi lời mời", .revoke, confirm: "Thu hồi lời mời? Liên kết đã gửi sẽ không dùng được nữa.")),
                    .if(status == .active, .group(action("Cấp liên kết đặt lại mật khẩu", .reset),
                                                  action("In thư đặt lại mật khẩu (PDF)", .letter))),
                    status == .disabled ? action("Mở khóa tài khoản", .enable)
                        : action("Khóa tài khoản", .disable, style: "danger",
                                 confirm: "Khóa tài khoản \(p.displayName)? Mọi phiên đăng nhập và mã truy cập của tài khoản dừng ngay."),
                    .if(p.twoFactor && AccountRules.mayResetTwoFactor(u.role),
                        action("Đặt lại xác thực hai lớp", .resetTwoFactor, confirm: "Đặt lại xác thực hai lớp? Người dùng sẽ phải thiết lập lại.")))),
                .p(.class("hint"), "Chuyển tài khoản cho người mới: khóa tài khoản cũ và tạo tài khoản mới cho người mới, không dùng chung mật khẩu."))),
            .if(!mine, .section(.class("card"), .h2("Sửa thông tin"),
                FormField.post(.personAction(p.id, .update), csrf: u.csrf, fields(m.form, errors: m.errors) + [
                    .div(.class("actions"), .button(.type(.submit), "Lưu thay đổi")),
                ]))),
            .section(.class("card"), .div(.class("heading-row"), .h2("Lịch sử tài khoản"),
                                          .a(.class("button small secondary"), .href(.personEvents(p.id)), "Tải lịch sử (Excel)")),
                m.events.isEmpty ? .p(.class("muted"), "Chưa có sự kiện nào được ghi.") :
                    .ol(.class("history"), .forEach(m.events) { e in
                        .li(.strong(.text(Format.short(e.at))), .text(" · \(e.label) · \(e.actor)"),
                            .if(!e.address.isEmpty, .span(.class("muted small"), .text(" · từ \(e.address)"))),
                            .if(!e.details.isEmpty, .ul(.forEach(e.details.sorted { $0.key < $1.key }) { .li(.text("\($0.key): \($0.value)")) })))
                    })),
        ])
    }

    /// The fields of an account, as the new-account form and a person's page ask them.
    static func fields(_ input: AccountInput, errors: FieldErrors) -> [Node] {
        [
            FormField.summary(errors),
            FormField.text("fullName", "Họ và tên", value: input.fullName ?? "", errors: errors, required: true),
            .div(.class("row2"),
                FormField.text("unitCode", "Mã đơn vị", value: input.unitCode ?? "", errors: errors,
                               hint: "trong phạm vi đơn vị mình; xem mã ở trang Đơn vị", required: true),
                FormField.select("role", "Vai trò", options: [("", "— chọn —")] + Role.allCases.map { ($0.rawValue, $0.label) },
                                 selected: input.role.flatMap { Role(parsing: $0)?.rawValue } ?? "", errors: errors,
                                 hint: "để trống: cán bộ công đoàn cơ sở cho một công đoàn cơ sở")),
            FormField.text("title", "Chức vụ", value: input.title ?? "", errors: errors, placeholder: "vd: Chủ tịch Công đoàn"),
            .div(.class("row2"),
                FormField.text("email", "Email", value: input.email ?? "", errors: errors, hint: "lời mời được gửi tới địa chỉ này",
                               type: .email, extra: [.attribute("autocomplete", "off")]),
                FormField.text("phone", "Số điện thoại", value: input.phone ?? "", errors: errors, type: .tel)),
        ]
    }

    // MARK: Making accounts

    static func newForm(user: CurrentUser, input: AccountInput, errors: FieldErrors, sendsMail: Bool) -> HTMLPage {
        Layout.page(title: "Tạo tài khoản", user: user, body: [
            .p(.class("crumbs small"), .a(.href(.people), "← Tài khoản người dùng")),
            .h1("Tạo tài khoản"),
            .p(.text(sendsMail
                ? "Người dùng nhận lời mời qua email, tự đặt mật khẩu. Không cần nhập mật khẩu ở đây."
                : "Hệ thống chưa gửi được email: sau khi tạo, trang sẽ hiện liên kết mời và thư mời để in, trao tận tay.")),
            FormField.post(.personNew, csrf: user.csrf, [FormOnce.hidden()] + fields(input, errors: errors) + [
                FormField.text("username", "Tên đăng nhập", value: input.username ?? "", errors: errors,
                               hint: "không bắt buộc; để trống thì lấy theo email hoặc mã đơn vị"),
                .div(.class("actions"), .button(.type(.submit), "Tạo tài khoản và gửi lời mời")),
            ]),
        ])
    }

    /// A made (or re-invited) account, as it is handed over.
    struct Handover: Sendable {
        var userID: UUID
        var name: String
        var username: String
        var unitName: String
        var roleLabel: String
        var url: String
        var token: String
        var emailed: Bool
        var purpose: AccountStore.OneTimeLink.Purpose
        var until: Date
    }

    /// What was done, and for what was not mailed, the link once and the letters to print.
    static func handover(user: CurrentUser, title: String, intro: String, items: [Handover]) -> HTMLPage {
        let printable = items.filter { !$0.emailed }
        return Layout.page(title: title, user: user, body: [
            .p(.class("crumbs small"), .a(.href(.people), "← Tài khoản người dùng")),
            .h1(.text(title)),
            .p(.text(intro)),
            .if(items.contains { $0.emailed }, .p(.text("\(Format.number(items.filter(\.emailed).count)) lời mời đã được đưa vào hàng gửi email."))),
            .if(!printable.isEmpty, .group(
                .div(.class("alert warn"), .role("status"),
                     .p(.text("\(Format.number(printable.count)) tài khoản không có email (hoặc hệ thống chưa gửi email): liên kết chỉ hiện một lần ở trang này. "
                              + "In thư mời để trao tận tay, hoặc chép liên kết gửi cho người dùng."))),
                .form(.class("inline"), .method(.post), .action(.peopleLetters), Layout.csrfField(user.csrf),
                      .forEach(printable) { .hidden("token", $0.token) },
                      .button(.type(.submit), .text("Tải thư mời để in (PDF, \(Format.number(printable.count)) thư)"))))),
            .div(.class("scroll"), .table(.class("list responsive"),
                .thead(.tr(.th("Họ và tên"), .th("Tên đăng nhập"), .th("Đơn vị"), .th("Lời mời"))),
                .tbody(.forEach(items) { i in
                    .tr(.td(.dataLabel("Họ và tên"), .a(.href(.person(i.userID)), .text(i.name))),
                        .td(.dataLabel("Tên đăng nhập"), .text(i.username)),
                        .td(.dataLabel("Đơn vị"), .text(i.unitName)),
                        .td(.dataLabel("Lời mời"), i.emailed ? .text("đã gửi email") : .group(
                            .p(.code(.text(i.url))),
                            qrImage(i.url, label: "Mã QR của liên kết mời \(i.name)"),
                            .p(.class("hint"), .text("Dùng được đến \(Format.short(i.until))")))))
                }))),
        ])
    }

    /// A QR code as an inline SVG: black squares, the link as its name.
    static func qrImage(_ text: String, label: String, size: Int = 160) -> Node {
        guard let code = QRMatrix(text) else { return .empty }
        let side = String(code.size + 8)
        return .element("svg", [.attribute("xmlns", "http://www.w3.org/2000/svg"), .attribute("viewBox", "0 0 \(side) \(side)"),
                                .attribute("width", String(size)), .attribute("height", String(size)), .role("img"), .ariaLabel(label),
                                .attribute("shape-rendering", "crispEdges"), .class("qr"),
                                .element("rect", [.attribute("width", side), .attribute("height", side), .attribute("fill", "#fff")]),
                                .element("path", [.attribute("d", code.svgPath), .attribute("fill", "#000")])])
    }

    // MARK: Import

    static func importPage(user: CurrentUser, error: String?, lines: [LineError] = [], total: Int = 0) -> HTMLPage {
        Layout.page(title: "Nhập danh sách tài khoản", user: user, body: [
            .p(.class("crumbs small"), .a(.href(.people), "← Tài khoản người dùng")),
            .h1("Nhập danh sách tài khoản"),
            .p(.text("Mỗi dòng một người, các cột: " + AccountImport.columns.map(\.name).joined(separator: ", ")
                     + ". Vai trò để trống là cán bộ công đoàn cơ sở (với một công đoàn cơ sở). Tất cả hoặc không: có dòng lỗi thì không tạo tài khoản nào, trang nêu từng dòng.")),
            .p(.a(.href(.peopleTemplate), "Tải tệp mẫu (Excel)")),
            .unwrap(error) { .div(.class("alert error"), .role("alert"), .attribute("tabindex", "-1"), .attribute("data-focus", present: true), .p(.text($0))) },
            .if(!lines.isEmpty, .div(.class("alert error"), .role("alert"),
                .p(.text("Tệp có \(Format.number(total)) dòng lỗi, chưa tạo tài khoản nào:")),
                .ul(.forEach(lines) { .li(.text($0.description)) }))),
            FormField.post(.peopleImport, csrf: user.csrf, multipart: true, [
                FormOnce.hidden(),
                .div(.class("field"), .label(.for("file"), "Tệp Excel (.xlsx) hoặc CSV"),
                     .input(.type(.file), .id("file"), .name("file"), .required(),
                            .attribute("accept", ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
                .div(.class("actions"), .button(.type(.submit), "Tạo tài khoản và gửi lời mời")),
            ]),
        ])
    }

    // MARK: Accounts for a federation's units at once

    static func unitAccounts(user: CurrentUser, unitCode: String, unitName: String,
                             candidates: [(id: UUID, code: String, name: String, email: String)], sendsMail: Bool) -> HTMLPage {
        Layout.page(title: "Tạo tài khoản cho các đơn vị", user: user, body: [
            .p(.class("crumbs small"), .a(.href(.unit(unitCode)), .text("← \(unitName)"))),
            .h1("Tạo tài khoản cho các đơn vị chưa có tài khoản"),
            .p(.text(candidates.isEmpty
                ? "Mọi công đoàn cơ sở có email thuộc \(unitName) đều đã có tài khoản cán bộ. Đơn vị chưa có email: thêm email ở trang đơn vị, hoặc tạo tài khoản từng người."
                : "\(Format.number(candidates.count)) công đoàn cơ sở thuộc \(unitName) có email nhưng chưa có tài khoản cán bộ. Mỗi đơn vị được chọn có một tài khoản cán bộ công đoàn cơ sở; lời mời gửi tới email của đơn vị"
                    + (sendsMail ? "." : " (hệ thống chưa gửi email: trang sau có thư mời để in)."))),
            .if(!candidates.isEmpty, FormField.post(.unitAccounts(unitCode), csrf: user.csrf, [
                .fieldset(.legend(.text("Các đơn vị (bỏ chọn đơn vị không muốn tạo)")),
                    .ul(.class("plain"), .forEach(candidates) { c in
                        .li(.label(.input(.type(.checkbox), .name("unit"), .value(c.code), .checked(true)),
                                   .text(" \(c.name) (\(c.code)) · \(c.email)")))
                    })),
                .div(.class("actions"), .button(.type(.submit), .confirm("Tạo tài khoản và gửi lời mời cho các đơn vị đã chọn?"),
                                                .text("Tạo \(Format.number(candidates.count)) tài khoản và gửi lời mời"))),
            ])),
        ])
    }
}
