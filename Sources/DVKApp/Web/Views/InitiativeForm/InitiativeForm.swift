import DVKCore
import FluentKit
import Foundation
import Plot
import Vapor

/// Adding or editing one mô hình, with every field of the registration form.
enum InitiativeForm {
    /// The form as posted (and as re-shown with a message when it is not valid).
    struct Input: Content, Sendable {
        var kind: String?
        var registrantName: String?
        var registrantTitle: String?
        var sector: String?
        var title: String?
        var purpose: String?
        var content: String?
        var scope: String?
        var startDate: String?
        var endDate: String?
        var expectedResult: String?
        var personInCharge: String?
        var continuity: String?
        var continuesID: String?

        init(_ d: InitiativeDraft? = nil, continuesID: UUID? = nil) {
            kind = d?.kind.rawValue
            registrantName = d?.registrantName
            registrantTitle = d?.registrantTitle
            sector = d?.sectorCode
            title = d?.title
            purpose = d?.purpose
            content = d?.content
            scope = d?.scope
            startDate = d?.startDate?.iso
            endDate = d?.endDate?.iso
            expectedResult = d?.expectedResult
            personInCharge = d?.personInCharge
            continuity = d?.continuity.rawValue
            self.continuesID = continuesID?.uuidString
        }

        /// The draft, or the Vietnamese reasons it is not one.
        func draft(sectors: [Sector]) -> Result<(InitiativeDraft, UUID?), DomainError> {
            var problems: [String] = []
            guard let kind = RegistrantKind(rawValue: kind ?? "") else {
                return .failure(.invalid("Hãy chọn tập thể hoặc cá nhân."))
            }
            func day(_ text: String?, _ label: String) -> CalendarDay? {
                guard let text, !text.isEmpty else { return nil }
                guard let d = CalendarDay(parsing: text) else { problems.append("\(label) không hợp lệ"); return nil }
                return d
            }
            let draft = InitiativeDraft(
                kind: kind, registrantName: registrantName ?? "", registrantTitle: registrantTitle ?? "",
                sectorCode: sector ?? "", title: title ?? "", purpose: clean(purpose), content: clean(content), scope: clean(scope),
                startDate: day(startDate, "ngày bắt đầu"), endDate: day(endDate, "ngày kết thúc"),
                expectedResult: clean(expectedResult), personInCharge: personInCharge ?? "",
                continuity: Continuity(rawValue: continuity ?? "") ?? .new)
            problems += draft.problems(sectors: sectors)
            if !problems.isEmpty { return .failure(.invalid("Chưa lưu được: " + problems.joined(separator: "; ") + ".")) }
            return .success((draft, continuesID.flatMap(UUID.init(uuidString:))))
        }

        private func clean(_ text: String?) -> String {
            (text ?? "").precomposedStringWithCanonicalMapping.replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    struct Earlier: Sendable {
        var id: UUID
        var label: String
    }

    struct Model: Sendable {
        var user: CurrentUser
        var campaign: CampaignInfo
        var unit: SnapshotUnit
        var editing: UUID?
        var input: Input
        var error: String?
        var collectives: [String]
        var individuals: [String]
        var earlier: [Earlier]
    }

    static func query(view: Access.CampaignView, unit: CampaignUnit, editing: UUID?, input: Input?, error: String?,
                      on db: any Database) async throws -> Model {
        var form = input ?? Input(InitiativeDraft(kind: .collective, registrantName: "", sectorCode: view.campaign.sectors.first?.code ?? "", title: ""))
        if input == nil, let editing {
            guard let i = try await Initiative.find(editing, on: db), i.unitID == unit.unitID, i.campaignID == view.campaign.id,
                  let r = try await Registrant.find(i.registrantID, on: db)
            else { throw DomainError.notFound("Không tìm thấy mô hình.") }
            form = Input(InitiativeDraft(kind: r.kind, registrantName: r.name, registrantTitle: r.title, sectorCode: i.sectorCode,
                                         title: i.title, purpose: i.purpose, content: i.content, scope: i.scope,
                                         startDate: i.startDate.flatMap(CalendarDay.init(parsing:)),
                                         endDate: i.endDate.flatMap(CalendarDay.init(parsing:)), expectedResult: i.expectedResult,
                                         personInCharge: i.personInCharge, continuity: i.continuity), continuesID: i.continuesID)
        }
        let registrants = try await Registrant.query(on: db).filter(\.$unitID == unit.unitID).sort(\.$name).all()
        let others = try await Initiative.query(on: db).filter(\.$unitID == unit.unitID).filter(\.$campaignID != view.campaign.id)
            .sort(\.$createdAt, .descending).limit(200).all()
        let years = Dictionary(uniqueKeysWithValues: try await Campaign.query(on: db).all().map { ($0.id!, $0.year) })
        return Model(user: view.user, campaign: view.campaign, unit: unit.snapshot, editing: editing, input: form, error: error,
                     collectives: registrants.filter { $0.kind == .collective }.map(\.name),
                     individuals: registrants.filter { $0.kind == .individual }.map(\.name),
                     earlier: others.map { Earlier(id: $0.id!, label: "\(years[$0.campaignID].map(String.init) ?? "") — \($0.title)") })
    }

    static func view(_ m: Model) -> String {
        let action: SiteURL = m.editing.map { .initiativeEdit(campaign: m.campaign.code, unit: m.unit.code, id: $0) }
            ?? .initiativeNew(campaign: m.campaign.code, unit: m.unit.code)
        let i = m.input
        func text(_ name: String, _ label: String, _ value: String?, required: Bool = false, hint: String? = nil, list: String? = nil) -> Node<HTML.FormContext> {
            .group(.label(.for(name), .text(label), .unwrap(hint) { .span(.class("hint"), .text(" — " + $0)) }),
                   .input(.type(.text), .id(name), .name(name), .value(value ?? ""), .required(required),
                          .unwrap(list) { .attribute(named: "list", value: $0) }))
        }
        func area(_ name: String, _ label: String, _ value: String?, hint: String? = nil) -> Node<HTML.FormContext> {
            .group(.label(.for(name), .text(label), .unwrap(hint) { .span(.class("hint"), .text(" — " + $0)) }),
                   .textarea(.id(name), .name(name), .text(value ?? "")))
        }
        return Layout.page(title: m.editing == nil ? "Thêm mô hình" : "Sửa mô hình", user: m.user, body: [
            .p(.class("muted small"), .a(.href(SiteURL.unitPage(campaign: m.campaign.code, unit: m.unit.code).path), .text("← " + m.unit.name))),
            .h1(.text(m.editing == nil ? "Thêm mô hình “Dân vận khéo”" : "Sửa mô hình")),
            .unwrap(m.error) { .div(.class("alert error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(.class("stack card"), .method(.post), .action(action.path),
                Layout.csrfField(m.user.csrf),
                .fieldset(.element(named: "legend", text: "Đăng ký thực hiện"),
                    .label(.input(.type(.radio), .name("kind"), .value("collective"), .checked(i.kind != "individual")), " Tập thể"),
                    .label(.input(.type(.radio), .name("kind"), .value("individual"), .checked(i.kind == "individual")), " Cá nhân")),
                text("registrantName", "Tên tập thể hoặc cá nhân", i.registrantName, required: true,
                     hint: "chọn người/tập thể đã có hoặc gõ tên mới", list: "registrants"),
                .element(named: "datalist", nodes: [.attribute(named: "id", value: "registrants")]
                         + (m.collectives + m.individuals).map { name in .element(named: "option", nodes: [.attribute(named: "value", value: name)]) }),
                text("registrantTitle", "Chức vụ (với cá nhân)", i.registrantTitle),
                .label(.for("sector"), "Lĩnh vực"),
                .select(.id("sector"), .attribute(named: "name", value: "sector"), .forEach(m.campaign.sectors) { s in
                    .option(.value(s.code), .label(s.name), .isSelected(i.sector == s.code))
                }),
                text("title", "Tên mô hình", i.title, required: true),
                area("purpose", "Mục đích", i.purpose),
                area("content", "Nội dung và cách thực hiện", i.content),
                area("scope", "Phạm vi, đối tượng tham gia", i.scope),
                .div(.class("filters"),
                    .label(.text("Bắt đầu"), .input(.type(.date), .name("startDate"), .value(i.startDate ?? ""))),
                    .label(.text("Kết thúc"), .input(.type(.date), .name("endDate"), .value(i.endDate ?? "")))),
                area("expectedResult", "Kết quả dự kiến", i.expectedResult),
                text("personInCharge", "Người phụ trách", i.personInCharge),
                .fieldset(.element(named: "legend", text: "Mô hình mới hay duy trì, nhân rộng?"),
                    .label(.input(.type(.radio), .name("continuity"), .value("new"), .checked(i.continuity != "continues")), " Mô hình mới"),
                    .label(.input(.type(.radio), .name("continuity"), .value("continues"), .checked(i.continuity == "continues")),
                           " Duy trì, nhân rộng mô hình đã được công nhận"),
                    .if(!m.earlier.isEmpty, .group(
                        .label(.for("continuesID"), "Mô hình đã có của đơn vị (nếu duy trì)"),
                        .select(.id("continuesID"), .attribute(named: "name", value: "continuesID"),
                                .option(.value(""), .label("— Không chọn —")),
                                .forEach(m.earlier) { e in .option(.value(e.id.uuidString), .label(e.label), .isSelected(i.continuesID == e.id.uuidString)) })
                    ))),
                .div(.class("actions"), .button(.type(.submit), "Lưu mô hình"),
                     .a(.class("button secondary"), .href(SiteURL.unitPage(campaign: m.campaign.code, unit: m.unit.code).path), "Hủy"))
            ),
        ])
    }
}
