import DVKCore

/// The confirmation before submitting: the summary the federation will receive.
enum SubmitPage {
    static func view(_ m: UnitPage.Model) -> HTMLPage {
        let c = m.campaign.code, u = m.unit.code
        return Layout.page(title: "Xác nhận nộp hồ sơ đăng ký", user: m.user, body: [
            .p(.class("muted small"), .a(.href(.unitPage(campaign: c, unit: u)), .text("← " + m.unit.name))),
            .h1(.text(m.status == .returned ? "Xác nhận nộp lại hồ sơ đăng ký" : "Xác nhận nộp hồ sơ đăng ký")),
            m.initiatives.isEmpty
                ? .div(.class("alert warn"), .p(.text("Đơn vị chưa có mô hình nào nên chưa nộp hồ sơ đăng ký được.")),
                       .p("Thêm mô hình trên trang đơn vị; nếu năm nay đơn vị không đăng ký mô hình, chọn “Đơn vị không đăng ký mô hình năm nay” trên trang đơn vị."))
                : .p(.text("Đơn vị \(m.unit.name) nộp \(Format.number(m.initiatives.count)) mô hình cho \(m.campaign.title). Sau khi nộp, mô hình không sửa được nữa trừ khi công đoàn cấp trên trả lại.")),
            // What the unit will be marked, from the one rule (`Standing`).
            .if(!m.initiatives.isEmpty && m.status != .returned && m.standing.wouldBeLate(at: m.now),
                .div(.class("alert warn"), .text("Đã hết hạn nộp (trước \(VietnamTime.describe(m.standing.deadline))): hồ sơ sẽ được ghi nhận là nộp muộn."))),
            .if(!m.initiatives.isEmpty && m.standing.wouldBeResubmittedLate(at: m.now),
                .div(.class("alert warn"), .text("Đã hết hạn nộp lại mà công đoàn cấp trên đề nghị: hồ sơ sẽ được ghi nhận là nộp lại muộn."))),
            .if(!m.canSubmitNow, .div(.class("alert error"), "Hồ sơ không nộp được lúc này (đã nộp, đợt đã đóng, hoặc đã hết hạn và đợt không nhận hồ sơ nộp muộn).")),
            .if(!m.initiatives.isEmpty, Layout.summaryTable(m.summary)),
            .div(.class("actions"),
                .if(m.canSubmitNow && !m.initiatives.isEmpty,
                    Layout.postButton(m.status == .returned ? "Nộp lại hồ sơ đăng ký" : "Nộp hồ sơ đăng ký", to: .submit(campaign: c, unit: u), csrf: m.user.csrf,
                                      fields: [m.versionField])),
                .a(.class("button secondary"), .href(.unitPage(campaign: c, unit: u)), m.initiatives.isEmpty ? "Về trang đơn vị" : "Quay lại sửa")),
        ])
    }
}
