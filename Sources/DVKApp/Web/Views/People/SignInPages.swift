import DVKCore
import DVKDocuments
import Foundation

/// The pages of getting in without a password at hand: following an invitation or a reset
/// link, "Quên mật khẩu?", the second step of a sign-in, and setting up two-factor.
enum SignInPages {
    /// The invitation's or reset link's page: whose account, a new password twice.
    static func link(_ holder: AccountStore.LinkHolder, token: String, error: String?, csrf: String) -> HTMLPage {
        let invite = holder.purpose == .invite
        let target: SiteURL = invite ? .invitation(token) : .passwordReset(token)
        return Layout.page(title: invite ? "Nhận lời mời" : "Đặt lại mật khẩu", user: nil, body: [
            .div(.class("login card"),
                .h1(.text(invite ? "Chào mừng đến với DVK" : "Đặt mật khẩu mới")),
                .element("dl", [.class("facts"),
                    .div(.class("fact"), .dt("Họ và tên"), .dd(.text(holder.displayName))),
                    .div(.class("fact"), .dt("Tên đăng nhập"), .dd(.text(holder.username))),
                    .div(.class("fact"), .dt("Vai trò"), .dd(.text(holder.role.label))),
                    .div(.class("fact"), .dt("Đơn vị"), .dd(.text(holder.unitName))),
                ]),
                .unwrap(error) { .div(.class("alert error"), .role("alert"), .attribute("tabindex", "-1"), .attribute("data-focus", present: true), .text($0)) },
                .form(.class("stack"), .method(.post), .action(target),
                    Layout.csrfField(csrf),
                    .if(invite, .group(
                        .label(.for("fullName"), "Họ và tên", .span(.class("hint"), " — sửa nếu chưa đúng")),
                        .input(.type(.text), .id("fullName"), .name("fullName"), .value(holder.displayName), .attribute("maxlength", "200"),
                               .attribute("autocomplete", "name")))),
                    .label(.for("password"), "Mật khẩu mới", .span(.class("hint"), .text(" — " + PasswordPolicy.rule))),
                    .input(.type(.password), .id("password"), .name("password"), .required(), .attribute("minlength", String(PasswordPolicy.minimum)),
                           .attribute("maxlength", String(PasswordPolicy.maximum)), .attribute("autocomplete", "new-password"), .autofocus(true)),
                    .label(.for("confirm"), "Nhập lại mật khẩu mới"),
                    .input(.type(.password), .id("confirm"), .name("confirm"), .required(), .attribute("autocomplete", "new-password")),
                    .if(!invite, .p(.class("hint"), "Sau khi đặt, mọi phiên đăng nhập khác của tài khoản kết thúc.")),
                    .div(.class("actions"), .button(.type(.submit), .text(invite ? "Đặt mật khẩu và đăng nhập" : "Đặt mật khẩu mới và đăng nhập"))))),
        ])
    }

    /// "Quên mật khẩu?": the form, then the same answer whoever was named.
    static func forgot(sent: Bool, sendsMail: Bool, csrf: String) -> HTMLPage {
        Layout.page(title: "Quên mật khẩu", user: nil, body: [
            .div(.class("login card"),
                .h1("Quên mật khẩu"),
                sendsMail ? (sent
                    ? .div(.class("alert ok"), .role("status"),
                           .p("Nếu tên đăng nhập hoặc email này có tài khoản đang hoạt động và có email, một liên kết đặt lại mật khẩu vừa được gửi tới email đó. Liên kết dùng được một lần, trong 30 phút."),
                           .p("Không nhận được thư? Xem thư mục thư rác, hoặc đề nghị công đoàn cấp trên cấp liên kết mới."))
                    : .group(
                        .p("Nhập tên đăng nhập hoặc email của tài khoản. Nếu tài khoản có email, DVK gửi tới đó một liên kết để đặt mật khẩu mới."),
                        .form(.class("stack"), .method(.post), .action(.forgot), Layout.csrfField(csrf),
                              .label(.for("name"), "Tên đăng nhập hoặc email"),
                              .input(.type(.text), .id("name"), .name("name"), .required(), .attribute("maxlength", "254"), .autofocus(true),
                                     .attribute("autocomplete", "username")),
                              .div(.class("actions"), .button(.type(.submit), "Gửi liên kết đặt lại mật khẩu")))))
                    : .div(.class("alert warn"), .role("status"),
                           .p("Hệ thống chưa được cấu hình gửi email. Vui lòng liên hệ công đoàn cấp trên (cán bộ quản lý tài khoản): họ cấp cho anh/chị một liên kết hoặc thư đặt lại mật khẩu từ trang tài khoản của anh/chị.")),
                .p(.a(.href(.login), "← Đăng nhập"))),
        ])
    }

    /// The second step of a sign-in.
    static func secondStep(error: String?, csrf: String) -> HTMLPage {
        Layout.page(title: "Xác thực hai lớp", user: nil, body: [
            .div(.class("login card"),
                .h1("Xác thực hai lớp"),
                .p("Mở ứng dụng xác thực trên điện thoại và nhập mã 6 chữ số đang hiện cho DVK. Mất điện thoại: nhập một mã khôi phục."),
                .unwrap(error) { .div(.class("alert error"), .role("alert"), .text($0)) },
                .form(.class("stack"), .method(.post), .action(.loginTwoFactor), Layout.csrfField(csrf),
                      .label(.for("code"), "Mã xác thực hoặc mã khôi phục"),
                      .input(.type(.text), .id("code"), .name("code"), .required(), .autofocus(true), .attribute("inputmode", "numeric"),
                             .attribute("autocomplete", "one-time-code"), .attribute("maxlength", "20")),
                      .div(.class("actions"), .button(.type(.submit), "Xác nhận"))),
                .p(.a(.href(.login), "← Đăng nhập lại"))),
        ])
    }

    /// `/account/two-factor`: set up (the URI as text and as a QR code, one code to confirm),
    /// the recovery codes once, or the state when it is on.
    struct SetupModel: Sendable {
        var user: CurrentUser
        var uri: String?
        var secret: String?
        var codes: [String]?
        var recoveryLeft: Int
        var required: Bool
        var error: String?
    }

    static func setup(_ m: SetupModel) -> HTMLPage {
        Layout.page(title: "Xác thực hai lớp", user: m.user, body: [
            .p(.class("crumbs small"), .a(.href(.account), "← Tài khoản của tôi")),
            .h1("Xác thực hai lớp"),
            .unwrap(m.codes) { codes in
                .section(.class("card"),
                    .div(.class("alert ok"), .role("status"), .p("Đã bật xác thực hai lớp.")),
                    .h2("Mã khôi phục"),
                    .p("Mỗi mã dùng được một lần, thay cho mã của điện thoại khi mất điện thoại. Mã chỉ hiện lần này: in ra hoặc chép, cất nơi an toàn."),
                    .ol(.class("codes"), .forEach(codes) { .li(.code(.text($0))) }),
                    .p(.a(.class("button"), .href(.home), "Tiếp tục")))
            },
            .if(m.codes == nil && m.user.twoFactor, .section(.class("card"),
                .p(.text("Đang bật. Còn \(m.recoveryLeft) mã khôi phục chưa dùng.")),
                .p(.class("hint"), "Đổi điện thoại hoặc mất hết mã khôi phục: đề nghị quản trị viên đặt lại xác thực hai lớp, rồi thiết lập lại."))),
            .if(m.codes == nil && !m.user.twoFactor, .section(.class("card"),
                .if(m.required, .div(.class("alert warn"), .role("status"),
                    .p(.text("Tài khoản \(m.user.role.label.lowercased()) cần bật xác thực hai lớp trước khi làm việc tiếp.")))),
                .ol(
                    .li("Cài một ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator, FreeOTP…)."),
                    .li("Trong ứng dụng, chọn thêm tài khoản và quét mã QR dưới đây (hoặc nhập khóa bí mật)."),
                    .li("Nhập mã 6 chữ số ứng dụng hiện ra để xác nhận.")),
                .unwrap(m.uri) { uri in People.qrImage(uri, label: "Mã QR để thêm DVK vào ứng dụng xác thực", size: 200) },
                .unwrap(m.secret) { .p(.text("Khóa bí mật: "), .code(.text($0))) },
                .unwrap(m.uri) { .details(.summary("Địa chỉ otpauth (cho ứng dụng trên máy tính)"), .p(.code(.text($0)))) },
                .unwrap(m.error) { .div(.class("alert error"), .role("alert"), .text($0)) },
                FormField.post(.twoFactor, csrf: m.user.csrf, [
                    .label(.for("code"), "Mã 6 chữ số"),
                    .input(.type(.text), .id("code"), .name("code"), .required(), .attribute("inputmode", "numeric"),
                           .attribute("autocomplete", "one-time-code"), .attribute("maxlength", "10")),
                    .div(.class("actions"), .button(.type(.submit), "Xác nhận và bật")),
                ]))),
        ])
    }
}
