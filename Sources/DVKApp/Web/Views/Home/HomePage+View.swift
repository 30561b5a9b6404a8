
/// The landing page for someone not signed in: what DVK is, in Vietnamese.
enum HomePage {
    static func html() -> HTMLPage {
        Layout.page(title: "Đăng ký mô hình “Dân vận khéo”", user: nil, body: [
            .h1("DVK — Hệ thống đăng ký mô hình “Dân vận khéo”"),
            .div(.class("card"),
                .p("DVK giúp các cấp công đoàn triển khai phong trào thi đua “Dân vận khéo”: công đoàn cấp trên phát động đợt thi đua; công đoàn cơ sở đăng ký mô hình của tập thể, cá nhân trực tuyến hoặc bằng bảng tính; Biểu tổng hợp của từng đơn vị và của mọi cấp tự động, chính xác; văn bản Word, PDF, Excel đúng thể thức."),
                .p(.a(.class("button"), .href(.login), "Đăng nhập"))
            ),
        ])
    }
}
