import DVKCore

/// Uploading a CSV of initiatives: the same importer as the CLI, errors per line.
enum UploadPage {
    static func view(_ m: UnitPage.Model, error: String? = nil) -> String {
        let c = m.campaign.code, u = m.unit.code
        return Layout.page(title: "Tải lên bảng tính", user: m.user, body: [
            .p(.class("muted small"), .a(.href(.unitPage(campaign: c, unit: u)), .text("← " + m.unit.name))),
            .h1("Tải lên bảng tính mô hình (CSV)"),
            .unwrap(error) { .div(.class("alert error"), .attribute("role", "alert"), .text($0)) },
            .div(.class("card"),
                .p("Tệp CSV (UTF-8), dòng đầu là tên cột. Cột bắt buộc: unit_code, registrant_kind (tập thể / cá nhân), registrant_name, sector (tên lĩnh vực), title. Cột tùy chọn: registrant_title, purpose, content, scope, start_date, end_date, expected_result, person_in_charge."),
                .p(.class("muted small"), .text("Mã đơn vị của bạn: \(u). Tệp tối đa \(BodyLimit.upload.megabytes). Nếu có dòng lỗi, không dòng nào được ghi và các dòng lỗi được chỉ ra (tối đa \(LineError.shown) dòng đầu). Mô hình đã có (trùng tên người đăng ký, lĩnh vực và tên mô hình) không bị nhập lại.")),
                .form(.class("stack"), .method(.post), .action(.upload(campaign: c, unit: u)), .multipart(),
                    Layout.csrfField(m.user.csrf), .hidden(m.versionField.0, m.versionField.1),
                    .label(.for("file"), "Chọn tệp"),
                    .input(.type(.file), .id("file"), .name("file"), .required(true), .attribute("accept", ".csv,text/csv")),
                    .div(.class("actions"), .button(.type(.submit), "Tải lên")))
            ),
        ])
    }
}
