import Plot
import Vapor

/// The landing page: what DVK is, in Vietnamese.
enum HomePage {
    static func response() -> Response {
        let html = HTML(
            .lang(.vietnamese),
            .head(
                .encoding(.utf8),
                .viewport(.accordingToDevice),
                .title("DVK — Đăng ký mô hình “Dân vận khéo”")
            ),
            .body(
                .h1("DVK — Hệ thống đăng ký mô hình “Dân vận khéo”"),
                .p("DVK giúp các cấp công đoàn triển khai phong trào thi đua “Dân vận khéo”: liên đoàn mở đợt thi đua, công đoàn cơ sở đăng ký mô hình trực tuyến hoặc bằng bảng tính, Biểu tổng hợp tự động và chính xác, văn bản Word, PDF, Excel theo đúng thể thức.")
            )
        )
        let response = Response(status: .ok, body: .init(string: html.render()))
        response.headers.contentType = .html
        return response
    }
}
