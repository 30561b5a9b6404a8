import DVKCore
import FluentKit
import Foundation

extension UnitSearch {
    /// The search box every unit page carries.
    static func box(value: String) -> Node {
        FormField.search(.units, label: "Tìm đơn vị theo tên hoặc mã", value: value, placeholder: "vd: tieu hoc ngoc lam")
    }

    /// The page (the one shape every page has: `Page.view(model)`); its parts are this
    /// file's `View`, which holds the model they all read.
    static func view(_ model: Model) -> HTMLPage { View(model: model).render() }

    fileprivate struct View {
        var model: Model

        func render() -> HTMLPage {
            let m = model
            return Layout.page(title: "Tìm đơn vị", user: m.user, body: [
                .p(.class("crumbs small"), .a(.href(.units), .text("← \(m.user.unitName)"))),
                UnitSearch.box(value: m.query),
                .h1(.text("Kết quả tìm “\(m.query)”")),
                .p(.class("muted"), .text("\(Format.number(m.paging.total)) đơn vị trong phạm vi \(m.user.unitName).")),
                m.hits.isEmpty ? .p("Không tìm thấy đơn vị nào. Thử bớt từ, hoặc gõ không dấu.") :
                    .div(.class("card"), .ul(.class("units"), .forEach(m.hits) { hit in
                        .li(.a(.href(.unit(hit.code)), .text(hit.name)),
                            .span(.class("muted small"), .text(" · \(hit.code) · \(hit.kind == .federation ? "công đoàn cấp trên" : "công đoàn cơ sở")"
                                + (hit.parentName.isEmpty ? "" : " · thuộc \(hit.parentName)"))))
                    })),
                Pager.nav(m.paging) { page in SiteURL.units.link(query: [("q", m.query), ("page", String(page))]) },
            ])
        }
    }
}
