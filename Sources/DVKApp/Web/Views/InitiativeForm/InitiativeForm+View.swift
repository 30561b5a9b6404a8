import DVKCore
import Foundation

extension InitiativeForm {
    static func view(_ m: Model) -> HTMLPage {
        let action: SiteURL = m.editing.map { .initiativeEdit(campaign: m.campaign.code, unit: m.unit.code, id: $0) }
            ?? .initiativeNew(campaign: m.campaign.code, unit: m.unit.code)
        let i = m.posted.input
        let e = m.errors
        func value(_ field: InitiativeField) -> String { i[field] ?? "" }
        func text(_ field: InitiativeField, _ label: String, required: Bool = false, hint: String? = nil, extra: [Node] = []) -> Node {
            FormField.text(field.rawValue, label, value: value(field), errors: e, hint: hint, required: required, extra: extra)
        }
        func area(_ field: InitiativeField, _ label: String) -> Node {
            FormField.textarea(field.rawValue, label, value: value(field), errors: e)
        }
        func date(_ field: InitiativeField, _ label: String) -> Node {
            FormField.date(field.rawValue, label, value: value(field), errors: e)
        }
        let individual = RegistrantKind(parsing: value(.kind)) == .individual
        let continues = value(.continuity) == Continuity.continues.rawValue
        return Layout.page(title: m.editing == nil ? "Thêm mô hình" : "Sửa mô hình", user: m.user, body: [
            .p(.class("muted small"), .a(.href(.unitPage(campaign: m.campaign.code, unit: m.unit.code)), .text("← " + m.unit.name))),
            .h1(.text(m.editing == nil ? "Thêm mô hình “Dân vận khéo”" : "Sửa mô hình")),
            FormField.post(action, csrf: m.user.csrf, class: "stack card", [
                FormField.summary(e),
                .unwrap(m.returned) { r in
                    .div(.class("alert warn"), .attribute("role", "note"),
                         .p(.strong("Hồ sơ được trả lại để bổ sung. "), .text("Lý do: " + r.reason)),
                         .if(!r.comment.isEmpty, .p(.strong("Góp ý cho mô hình này: "), .text(r.comment))),
                         .unwrap(r.resubmitBy) { .p(.text("Hạn nộp lại: \(DeadlineText.through($0)).")) })
                },
                .unwrap(m.replicating) { r in
                    .group(.p(.class("alert"), .text("Nhân rộng mô hình “\(r.title)” của \(r.unit) (thư viện mô hình tiêu biểu). Đề nghị đơn vị sửa lại nội dung cho phù hợp với đơn vị mình.")),
                           .hidden("replicatesID", m.posted.replicatesID?.canonicalText ?? ""))
                },
                .fieldset(.legend("Tập thể/Cá nhân"),
                    .label(.input(.type(.radio), .name("kind"), .value("collective"), .checked(!individual)), " Tập thể"),
                    .label(.input(.type(.radio), .name("kind"), .value("individual"), .checked(individual)), " Cá nhân"),
                    FormField.message("kind", e["kind"])),
                text(.registrantName, "Tên tập thể/cá nhân", required: true, hint: "chọn tập thể/cá nhân đã có hoặc gõ tên mới",
                     extra: [.attribute("list", "registrants")]),
                .datalist(.id("registrants"), .forEach(m.collectives + m.individuals) { .element("option", [.value($0)]) }),
                text(.registrantTitle, "Chức vụ (với cá nhân)"),
                FormField.select("sector", "Lĩnh vực", options: m.campaign.sectors.map { ($0.code, $0.name) },
                                 selected: value(.sector), errors: e),
                text(.title, "Tên mô hình", required: true),
                area(.purpose, "Mục đích"),
                area(.content, "Nội dung và cách thức thực hiện"),
                area(.scope, "Phạm vi, đối tượng tham gia"),
                .div(.class("row2"), date(.startDate, "Bắt đầu"), date(.endDate, "Kết thúc")),
                area(.expectedResult, "Kết quả dự kiến"),
                text(.personInCharge, "Người phụ trách"),
                .fieldset(.legend("Mô hình mới hay duy trì, nhân rộng?"),
                    .label(.input(.type(.radio), .name("continuity"), .value("new"), .checked(!continues)), " Mô hình mới"),
                    .label(.input(.type(.radio), .name("continuity"), .value("continues"), .checked(continues)),
                           " Duy trì, nhân rộng mô hình đã được công nhận"),
                    FormField.message("continuity", e["continuity"]),
                    .if(!m.earlier.isEmpty, FormField.select(
                        "continuesID", "Mô hình đã có của đơn vị (nếu duy trì)",
                        options: [("", "— Không chọn —")] + m.earlier.map { ($0.id.canonicalText, $0.label) },
                        selected: m.posted.continuesID?.canonicalText ?? "", errors: e))),
                .div(.class("actions"), .button(.type(.submit), "Lưu mô hình"),
                     .a(.class("button secondary"), .href(.unitPage(campaign: m.campaign.code, unit: m.unit.code)), "Hủy")),
            ]),
            .if(m.editing != nil, AuditHistory.section(m.trail, more: m.user.role.manages ? SiteURL.audit.link(query: [("unit", m.unit.code), ("kind", "initiative")]) : nil)),
        ])
    }
}
