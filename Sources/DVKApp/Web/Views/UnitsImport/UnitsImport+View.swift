import DVKCore
import Foundation

extension UnitsImport {
    /// The page (the one shape every page has: `Page.view(model)`); its parts are this
    /// file's `View`, which holds the model they all read.
    static func view(_ model: Model) -> HTMLPage { View(model: model).render() }

    fileprivate struct View {
        var model: Model

        func render() -> HTMLPage {
            let m = model
            return Layout.page(title: "Nhập đơn vị từ tệp", user: m.user, body: [
                .p(.class("crumbs small"), .a(.href(.units), .text("← \(m.user.unitName)"))),
                .h1("Nhập đơn vị từ tệp Excel hoặc CSV"),
                .unwrap(m.result) { r in
                    .div(.class("alert ok"), .attribute("role", "status"),
                         .text("Đã nhập xong: thêm \(Format.number(r.created)) đơn vị, cập nhật \(Format.number(r.updated)), "
                               + "\(Format.number(r.unchanged)) đơn vị không đổi."
                               + (r.joined.isEmpty ? "" : " Công đoàn cơ sở mới đã được đưa vào: " + r.joined.map { "“\($0)”" }.joined(separator: ", ") + ".")))
                },
                .unwrap(m.problem) { .div(.class("alert error"), .attribute("role", "alert"), .p(.text($0))) },
                .if(!m.lines.isEmpty, .div(.class("alert error"), .attribute("role", "alert"),
                    .p(.strong(.text("Tệp có \(Format.number(m.badLines)) dòng lỗi; chưa có gì được ghi. Sửa các dòng sau rồi tải lên lại"
                        + (m.badLines > m.lines.count ? " (\(Format.number(m.lines.count)) dòng đầu):" : ":")))),
                    .ul(.class("lines"), .forEach(m.lines) { line in
                        .li(.strong(.text("Dòng \(line.line): ")), .text(line.reasons.joined(separator: "; ")))
                    }))),
                .div(.class("card"),
                    FormField.post(.unitsImport, csrf: m.user.csrf, multipart: true, [
                        .label(.for("file"), "Tệp Excel (.xlsx) hoặc CSV (UTF-8)"),
                        .input(.type(.file), .id("file"), .name("file"), .required(true),
                               .attribute("accept", ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
                        .div(.class("actions"), .button(.type(.submit), "Tải lên và nhập")),
                    ]),
                    .h2("Cách chuẩn bị tệp"),
                    .ul(
                        .li("Dòng đầu là tên cột (thứ tự tùy ý, có dấu hoặc không dấu): Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Loại đơn vị, Email, Điện thoại — như trên tệp mẫu."),
                        .li("Loại đơn vị là “công đoàn cấp trên” hay “công đoàn cơ sở”."),
                        .li("Đơn vị đã có (theo mã đơn vị) được cập nhật tên, loại, cấp trên, liên hệ; đơn vị mới được thêm."),
                        .li(.text("Mọi đơn vị và cấp trên phải thuộc phạm vi \(m.user.unitName); không chuyển được đơn vị của chính mình.")),
                        .li("Có dòng lỗi thì không ghi gì cả; mọi dòng lỗi được liệt kê kèm lý do."),
                        .li("Tải lên thẳng tệp Excel (.xlsx, trang tính đầu tiên), hoặc CSV phân tách bằng dấu phẩy, chấm phẩy hay tab.")
                    ),
                    .pre(.class("sample"), .text("code,name,parent_code,kind,email,phone\nLB-DN-ABC,Công ty TNHH ABC,LB,grassroots,cd.abc@example.vn,024 3827 0000"))
                ),
            ])
        }
    }
}
