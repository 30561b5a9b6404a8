import DVKCore
import DVKDocuments

/// Uploading a spreadsheet (.xlsx or CSV) of initiatives: the same importer as the CLI, errors per line.
enum UploadPage {
    static func view(_ m: UnitPage.Model, error: String? = nil) -> HTMLPage {
        let c = m.campaign.code, u = m.unit.code
        return Layout.page(title: "Tải lên bảng tính mô hình", user: m.user, body: [
            .p(.class("muted small"), .a(.href(.unitPage(campaign: c, unit: u)), .text("← " + m.unit.name))),
            .h1("Tải lên bảng tính mô hình (Excel hoặc CSV)"),
            .unwrap(error) { .div(.class("alert error"), .attribute("role", "alert"), .text($0)) },
            // The template first: fill it in Excel, then upload it here.
            .div(.class("card"),
                .h2("1. Tải mẫu, điền trong Excel"),
                .p(.class("actions"),
                   .a(.class("button"), .href(.uploadTemplate(campaign: c, unit: u, format: .xlsx)), "Tải mẫu Excel"),
                   .a(.class("button secondary"), .href(.uploadTemplate(campaign: c, unit: u, format: .csv)), "Mẫu CSV")),
                .p(.text("Mỗi mô hình một dòng. Tập thể/Cá nhân và Lĩnh vực chọn trong danh sách; ngày ghi ngày/tháng/năm. Trang “Hướng dẫn” trong tệp nói cách ghi từng cột. Mẫu đã dành riêng cho \(m.unit.name): không cần ghi mã đơn vị."))),
            .div(.class("card"),
                .h2("2. Tải tệp đã điền lên"),
                .form(.class("stack"), .method(.post), .action(.upload(campaign: c, unit: u)), .multipart(),
                    Layout.csrfField(m.user.csrf), .hidden(m.versionField.0, m.versionField.1),
                    .label(.for("file"), "Chọn tệp"),
                    .input(.type(.file), .id("file"), .name("file"), .required(true), .attribute("accept", ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
                    .div(.class("actions"), .button(.type(.submit), "Tải lên"))),
                .details(.summary("Chi tiết kỹ thuật"),
                    .p("Tệp Excel (.xlsx, trang tính đầu tiên) hoặc CSV (UTF-8; phân tách bằng dấu phẩy, chấm phẩy hoặc tab), dòng đầu là tên cột, viết có dấu hoặc không dấu. Cột bắt buộc: Tập thể/Cá nhân, Tên tập thể/cá nhân, Lĩnh vực, Tên mô hình (cột Mã đơn vị không bắt buộc ở trang này). Cột tùy chọn: Chức vụ, Mục đích, Nội dung và cách thức thực hiện, Phạm vi, đối tượng tham gia, Ngày bắt đầu, Ngày kết thúc (viết 06/02/2024), Kết quả dự kiến, Người phụ trách, Mô hình mới hay duy trì (ghi “Mới” hoặc “Duy trì”)."),
                    .p(.class("muted small"), .text("Mã đơn vị: \(u). Tệp tối đa \(BodyLimit.upload.megabytes). Nếu có dòng lỗi, không dòng nào được ghi và các dòng lỗi được chỉ ra (tối đa \(LineError.shown) dòng đầu). Mô hình đã có (trùng tên người đăng ký, lĩnh vực và tên mô hình) không bị nhập lại.")))),
        ])
    }
}
