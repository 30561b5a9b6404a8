import DVKCore
import Foundation

/// `/units/{code}/end`: what dissolving or merging a unit would do, asked before it is done,
/// and what was done (the accounts disabled, listed to act on).
enum UnitEndPages {
    static func plan(user: CurrentUser, _ p: UnitEnds.Plan) -> HTMLPage {
        let verb = p.target == nil ? "Giải thể" : "Sáp nhập"
        return Layout.page(title: "\(verb) \(p.unit.name)", user: user, body: [
            .p(.class("crumbs small"), .a(.href(.unit(p.unit.code)), .text("← \(p.unit.name)"))),
            .h1(.text(p.target.map { "Sáp nhập \(p.unit.name) vào \($0.name)" } ?? "Giải thể \(p.unit.name)")),
            .unwrap(p.refusal) { .div(.class("alert error"), .role("alert"), .text($0)) },
            .div(.class("card"),
                .h2("Những gì sẽ thay đổi"),
                .ul(
                    .li(.text("\(p.unit.name) (\(p.unit.code)) rời cây đơn vị: không nhận tài khoản, đơn vị trực thuộc hay đợt thi đua mới. "
                              + "Các đợt thi đua và biểu mẫu đã có vẫn giữ tên và số liệu của đơn vị.")),
                    .unwrap(p.target) { target in
                        .li(.text(p.children.isEmpty ? "Không có đơn vị trực thuộc nào cần chuyển."
                                  : "\(Format.number(p.children.count)) đơn vị trực thuộc chuyển sang \(target.name) (\(target.code)).")) },
                    .li(.text(p.accounts.isEmpty ? "Đơn vị không có tài khoản nào."
                              : "\(Format.number(p.accounts.count { !$0.disabled })) tài khoản của đơn vị bị khóa ngay: phiên đăng nhập, mã truy cập API và lời mời dừng lại. "
                                + "Sau đó có thể chuyển người còn công tác sang đơn vị mới và mở khóa.")),
                    .if(!p.campaigns.isEmpty, .li(.text("Đơn vị vẫn có trong \(Format.number(p.campaigns.count)) đợt thi đua chưa lưu trữ ("
                        + p.campaigns.map(\.title).joined(separator: "; ")
                        + ") cho tới khi cán bộ của đợt bấm “Cập nhật danh sách đơn vị”."))))),
            .if(!p.children.isEmpty, .div(.class("card"), .h2(.text("Đơn vị trực thuộc (\(Format.number(p.children.count)))")),
                .ul(.class("units"), .forEach(p.children.prefix(200)) { .li(.text("\($0.name) · \($0.code)")) }),
                .if(p.children.count > 200, .p(.class("muted"), .text("… và \(Format.number(p.children.count - 200)) đơn vị khác."))))),
            .if(!p.accounts.isEmpty, .div(.class("card"), .h2(.text("Tài khoản của đơn vị (\(Format.number(p.accounts.count)))")),
                accountList(p.accounts))),
            .if(p.refusal == nil, FormField.post(.unitEnd(p.unit.code), csrf: user.csrf, [
                .hidden("into", p.target?.code ?? ""),
                .div(.class("actions"),
                     .button(.type(.submit), .class("button danger"),
                             .confirm(p.target.map { "Sáp nhập \(p.unit.name) vào \($0.name)? Việc này không hoàn tác được." }
                                      ?? "Giải thể \(p.unit.name)? Việc này không hoàn tác được."),
                             .text(p.target.map { "Sáp nhập vào \($0.name)" } ?? "Giải thể đơn vị")),
                     .a(.class("button secondary"), .href(.unit(p.unit.code)), "Thôi, quay lại")),
            ])),
        ])
    }

    static func done(user: CurrentUser, _ d: UnitEnds.Done) -> HTMLPage {
        Layout.page(title: d.target == nil ? "Đã giải thể đơn vị" : "Đã sáp nhập đơn vị", user: user, body: [
            .h1(.text(d.target.map { "Đã sáp nhập \(d.unit.name) vào \($0.name)" } ?? "Đã giải thể \(d.unit.name)")),
            .div(.class("alert ok"), .role("status"),
                .p(.text((d.target == nil ? "" : "\(Format.number(d.moved)) đơn vị trực thuộc đã chuyển sang \(d.target!.name). ")
                         + (d.disabled.isEmpty ? "Đơn vị không có tài khoản nào đang hoạt động." : "\(Format.number(d.disabled.count)) tài khoản đã bị khóa.")))),
            .if(!d.disabled.isEmpty, .div(.class("card"),
                .h2("Các tài khoản đã khóa"),
                .p(.class("hint"), "Người còn công tác: mở trang của từng người, đổi đơn vị sang đơn vị mới rồi mở khóa. Danh sách này luôn xem lại được ở trang Người dùng (lọc “đơn vị đã giải thể hoặc sáp nhập”)."),
                accountList(d.disabled))),
            .div(.class("actions"),
                 .a(.class("button"), .href(.unit(d.target?.code ?? d.unit.code)), .text(d.target.map { "Về \($0.name)" } ?? "Về trang đơn vị")),
                 .a(.class("button secondary"), .href(SiteURL.people.link(query: [("ended", "1")])), "Tài khoản của đơn vị đã giải thể, sáp nhập")),
        ])
    }

    static func accountList(_ accounts: [UnitEnds.Account]) -> Node {
        .ul(.forEach(accounts) { a in
            .li(.a(.href(.person(a.id)), .text(a.displayName)), .text(" · \(a.username) · \(a.role.label)"),
                .if(a.disabled, .span(.class("muted small"), " (đã khóa)")))
        })
    }
}
