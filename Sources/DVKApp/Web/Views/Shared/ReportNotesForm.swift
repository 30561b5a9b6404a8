import DVKCore

/// The form under a report's download links: "Đánh giá chung" and "Đề xuất, kiến nghị",
/// printed as sections II and III of the report (dotted lines to write on when empty).
enum ReportNotesForm {
    static func view(_ notes: ReportNotes.Notes, campaign: String, kind: ReportNotes.Kind, csrf: String?) -> Node {
        let empty = notes.assessment.isEmpty && notes.proposals.isEmpty
        return .details(.class("report-notes"),
            .summary(.text(empty ? "Viết phần đánh giá chung, đề xuất của báo cáo" : "Sửa phần đánh giá chung, đề xuất của báo cáo")),
            FormField.post(.reportNotes(campaign: campaign, kind: kind), csrf: csrf, [
                .hidden("version", String(notes.version)),
                .p(.class("hint"), "In vào mục II và III của báo cáo (Word và PDF). Để trống: báo cáo in dòng chấm để viết tay."),
                FormField.textarea("assessment", "II. Đánh giá chung", value: notes.assessment, errors: FieldErrors(), rows: 5,
                                   placeholder: "ví dụ: Các công đoàn cơ sở triển khai nghiêm túc; một số đơn vị nộp chậm…"),
                FormField.textarea("proposals", "III. Đề xuất, kiến nghị", value: notes.proposals, errors: FieldErrors(), rows: 4,
                                   placeholder: "ví dụ: Đề nghị cấp trên tổ chức tập huấn…"),
                .div(.class("actions"), .button(.type(.submit), "Lưu phần đánh giá, đề xuất")),
            ]))
    }
}
