import DVKCore
import Foundation

extension Account {
    static func view(_ m: Model) -> HTMLPage {
        let u = m.user
        return Layout.page(title: "Tài khoản", user: u, body: [
            .h1("Tài khoản của tôi"),
            .div(.class("card"),
                .element("dl", [.class("facts"),
                    .div(.class("fact"), .dt("Họ và tên"), .dd(.text(u.displayName))),
                    .div(.class("fact"), .dt("Tên đăng nhập"), .dd(.text(u.username))),
                    .div(.class("fact"), .dt("Vai trò"), .dd(.text(u.role.label))),
                    .div(.class("fact"), .dt("Đơn vị"), .dd(.text(u.unitName))),
                ])),
            .unwrap(m.newToken) { token in
                .div(.class("alert ok"), .role("status"),
                     .p(.strong("Mã truy cập mới (chỉ hiện lần này — chép và cất giữ cẩn thận):")),
                     .p(.code(.text(token))))
            },
            .section(.class("card"), .h2("Đổi mật khẩu"),
                .unwrap(m.passwordError) { .div(.class("alert error"), .role("alert"), .text($0)) },
                .form(.class("stack"), .method(.post), .action(.password),
                    Layout.csrfField(u.csrf),
                    .label(.for("current"), "Mật khẩu hiện tại"),
                    .input(.type(.password), .id("current"), .name("current"), .required(), .attribute("autocomplete", "current-password")),
                    .label(.for("new"), "Mật khẩu mới", .span(.class("hint"), .text(" — " + PasswordPolicy.rule))),
                    .input(.type(.password), .id("new"), .name("new"), .required(), .attribute("minlength", String(PasswordPolicy.minimum)),
                           .attribute("maxlength", "200"), .attribute("autocomplete", "new-password")),
                    .label(.for("confirm"), "Nhập lại mật khẩu mới"),
                    .input(.type(.password), .id("confirm"), .name("confirm"), .required(), .attribute("autocomplete", "new-password")),
                    .p(.class("hint"), "Sau khi đổi, các phiên đăng nhập khác của tài khoản (máy khác, trình duyệt khác) kết thúc."),
                    .div(.class("actions"), .button(.type(.submit), "Đổi mật khẩu")))),
            .section(.class("card"), .h2("Email"),
                .unwrap(m.mailError) { .div(.class("alert error"), .role("alert"), .text($0)) },
                .if(!m.sendsMail, .p(.class("hint"), "Hệ thống hiện chưa được cấu hình gửi email; địa chỉ được lưu để dùng khi có.")),
                .form(.class("stack"), .method(.post), .action(.accountMail),
                    Layout.csrfField(u.csrf),
                    .label(.for("email"), "Địa chỉ email"),
                    .input(.type(.email), .id("email"), .name("email"), .value(m.email), .attribute("maxlength", "254"),
                           .attribute("autocomplete", "email"), .placeholder("ten@ldld.vn")),
                    .if(u.role != .officer,
                        .label(.input(.type(.checkbox), .name("digest"), .value("1"), .checked(m.digest)),
                               .text(" Nhận thư tổng hợp hằng ngày (lúc \(String(format: "%02d", Digests.hour)):00): đơn vị mới nộp, hồ sơ chờ duyệt, đơn vị còn thiếu"))),
                    .div(.class("actions"), .button(.type(.submit), .class("button secondary"), "Lưu email")))),
            .section(.class("card"), .h2("Xác thực hai lớp"),
                .p(.text(u.twoFactor
                    ? "Đang bật: mỗi lần đăng nhập, sau mật khẩu cần nhập mã từ ứng dụng xác thực trên điện thoại (hoặc một mã khôi phục)."
                    : "Chưa bật. Nên bật cho tài khoản cán bộ công đoàn cấp trên và quản trị: sau mật khẩu, cần thêm mã từ ứng dụng xác thực trên điện thoại.")),
                .p(.a(.href(.twoFactor), .text(u.twoFactor ? "Xem xác thực hai lớp" : "Bật xác thực hai lớp")))),
            .section(.class("card"), .h2("Phiên đăng nhập"),
                .p(.text("Tài khoản đang đăng nhập ở \(Format.number(m.sessions)) nơi. Một phiên kết thúc sau một thời gian không dùng, và chậm nhất sau một số giờ kể từ khi đăng nhập.")),
                .div(.class("actions"),
                     Layout.postButton("Đăng xuất khỏi mọi thiết bị", to: .signOutEverywhere, csrf: u.csrf, style: "secondary",
                                       confirm: "Đăng xuất khỏi mọi thiết bị, kể cả thiết bị này?"))),
            // For the few who connect other software: folded under "Nâng cao" until used.
            .section(.class("card"), .details(.attribute("open", present: !m.tokens.isEmpty),
                .summary(.strong("Nâng cao: mã truy cập API")),
                .p(.class("hint"), "Dùng cho phần mềm khác gọi API của DVK (tiêu đề “Authorization: Bearer …”), với quyền như tài khoản này. ",
                   .a(.href(.api(.openAPI)), "Mô tả API (OpenAPI)"), "."),
                m.tokens.isEmpty ? .p(.class("muted"), "Chưa có mã truy cập nào.") :
                    .div(.class("scroll"), .table(.class("list responsive"),
                        .thead(.tr(.th("Tên"), .th("Tạo lúc"), .th("Hết hạn"), .th("Dùng lần cuối"), .th(""))),
                        .tbody(.forEach(m.tokens) { t in
                            .tr(.td(.dataLabel("Tên"), .text(t.name)),
                                .td(.dataLabel("Tạo lúc"), .text(Format.short(t.createdAt))),
                                .td(.dataLabel("Hết hạn"), .text(t.expiresAt.map(Format.short) ?? "—"),
                                    .if((t.expiresAt ?? .distantPast) <= m.now, .span(.class("overdue"), " (đã hết hạn)"))),
                                .td(.dataLabel("Dùng lần cuối"), .text(t.lastUsedAt.map(Format.short) ?? "chưa dùng")),
                                .td(Layout.postButton("Thu hồi", to: .tokenRevoke(t.id), csrf: u.csrf, style: "small danger",
                                                      confirm: "Thu hồi mã truy cập “\(t.name)”? Phần mềm đang dùng mã này sẽ không truy cập được nữa.")))
                        }))),
                .form(.class("stack"), .method(.post), .action(.tokens),
                    Layout.csrfField(u.csrf),
                    .div(.class("row2"),
                        .div(.label(.for("token-name"), "Tên mã (để nhận ra)"),
                             .input(.type(.text), .id("token-name"), .name("name"), .required(), .attribute("maxlength", "100"),
                                    .placeholder("vd: Phần mềm văn phòng"))),
                        .div(.label(.for("token-days"), "Thời hạn (ngày)"),
                             .input(.type(.number), .id("token-days"), .name("days"), .value(String(AuthStore.defaultTokenDays)),
                                    .attribute("min", "1"), .attribute("max", "3650"), .required()))),
                    .div(.class("actions"), .button(.type(.submit), .class("button secondary"), "Tạo mã truy cập"))))),
        ])
    }
}
