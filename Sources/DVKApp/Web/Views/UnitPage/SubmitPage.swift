import DVKCore
import Plot

/// The confirmation before submitting: the summary the federation will receive.
enum SubmitPage {
    static func view(_ m: UnitPage.Model) -> String {
        let c = m.campaign.code, u = m.unit.code
        return Layout.page(title: "Xác nhận nộp", user: m.user, body: [
            .p(.class("muted small"), .a(.href(SiteURL.unitPage(campaign: c, unit: u).path), .text("← " + m.unit.name))),
            .h1(.text(m.status == .returned ? "Xác nhận nộp lại đăng ký" : "Xác nhận nộp đăng ký")),
            .p(.text("Đơn vị \(m.unit.name) nộp \(m.initiatives.count) mô hình cho \(m.campaign.title). Sau khi nộp, mô hình không sửa được nữa trừ khi liên đoàn trả lại.")),
            .if(!m.campaign.acceptsLate || m.now < m.deadline, .empty, else: .div(.class("alert warn"), .text("Đã quá hạn nộp (\(VietnamTime.describe(m.deadline))): hồ sơ sẽ được ghi nhận là nộp muộn."))),
            Layout.summaryTable(m.summary),
            .div(.class("actions"),
                Layout.postButton(m.status == .returned ? "Nộp lại" : "Nộp đăng ký", to: .submit(campaign: c, unit: u), csrf: m.user.csrf),
                .a(.class("button secondary"), .href(SiteURL.unitPage(campaign: c, unit: u).path), "Quay lại sửa")),
        ])
    }
}

/// Uploading a CSV of initiatives: the same importer as the CLI, errors per line.
enum UploadPage {
    static func view(_ m: UnitPage.Model, error: String? = nil) -> String {
        let c = m.campaign.code, u = m.unit.code
        return Layout.page(title: "Tải lên bảng tính", user: m.user, body: [
            .p(.class("muted small"), .a(.href(SiteURL.unitPage(campaign: c, unit: u).path), .text("← " + m.unit.name))),
            .h1("Tải lên bảng tính mô hình (CSV)"),
            .unwrap(error) { .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .div(.class("card"),
                .p("Tệp CSV (UTF-8), dòng đầu là tên cột. Cột bắt buộc: unit_code, registrant_kind (tập thể / cá nhân), registrant_name, sector (tên lĩnh vực), title. Cột tùy chọn: registrant_title, purpose, content, scope, start_date, end_date, expected_result, person_in_charge."),
                .p(.class("muted small"), .text("Mã đơn vị của bạn: \(u). Nếu có dòng lỗi, không dòng nào được ghi và từng dòng lỗi được chỉ ra. Mô hình đã có (trùng tên người đăng ký, lĩnh vực và tên mô hình) không bị nhập lại.")),
                .form(.class("stack"), .method(.post), .action(SiteURL.upload(campaign: c, unit: u).path), .enctype(.multipartData),
                    Layout.csrfField(m.user.csrf),
                    .label(.for("file"), "Chọn tệp"),
                    .input(.type(.file), .id("file"), .name("file"), .required(true), .attribute(named: "accept", value: ".csv,text/csv")),
                    .div(.class("actions"), .button(.type(.submit), "Tải lên")))
            ),
        ])
    }
}
