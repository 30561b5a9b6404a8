import DVKCore
import FluentKit
import Foundation

extension UnitNew {
    /// The page (the one shape every page has: `Page.view(model)`); its parts are this
    /// file's `View`, which holds the model they all read.
    static func view(_ model: Model) -> HTMLPage { View(model: model).render() }

    fileprivate struct View {
        var model: Model

        func render() -> HTMLPage {
            let f = model.form
            let e = model.errors
            let back = f.parentCode.isEmpty ? SiteURL.units : SiteURL.unit(f.parentCode)
            return Layout.page(title: "Thêm đơn vị", user: model.user, body: [
                .p(.class("crumbs small"), .a(.href(back), .text("← " + (model.parentName ?? "Đơn vị")))),
                .h1("Thêm đơn vị"),
                .div(.class("card"), FormField.post(.unitNew, csrf: model.user.csrf, [
                    FormField.summary(e),
                    FormField.text("parent", "Mã đơn vị cấp trên", value: f.parentCode, errors: e,
                                   hint: model.parentName.map { "hiện là: \($0)" } ?? "một công đoàn cấp trên trong phạm vi quản lý của đơn vị", required: true),
                    FormField.text("code", "Mã đơn vị", value: f.code, errors: e, hint: "chữ không dấu, số, - _ .; không đổi được về sau",
                                   required: true, placeholder: "LB-DN-ABC"),
                    FormField.select("kind", "Loại đơn vị", options: UnitKind.allCases.map { ($0.rawValue, $0.label) },
                                     selected: f.kind, errors: e),
                    FormField.text("name", "Tên đơn vị", value: f.name, errors: e, required: true,
                                   placeholder: "Công đoàn cơ sở Công ty …"),
                    .div(.class("row2"),
                        FormField.text("email", "Email", value: f.email, errors: e, type: .email),
                        FormField.text("phone", "Điện thoại", value: f.phone, errors: e, type: .tel)
                    ),
                    .div(.class("actions"), .button(.type(.submit), "Thêm đơn vị"), .a(.href(back), "Hủy")),
                ])),
            ])
        }
    }
}
