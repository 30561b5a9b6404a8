import DVKCore
import Foundation

/// What one initiative's registration form (phiếu đăng ký) needs.
public struct RegistrationFormInput: Hashable, Sendable {
    /// Superior = the unit's parent, issuer = the unit; place and date of the form.
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    /// The unit as the campaign saw it, e.g. "Công đoàn Trường THCS Gia Thụy".
    public var unitName: String
    /// The sector's name as printed, e.g. "Lĩnh vực kinh tế".
    public var sectorName: String
    public var initiative: InitiativeDraft
    /// When the initiative continues an earlier recognised model: that model's name.
    public var continuedModelName: String?
    /// Who signs for the unit (right), e.g. "TM. BAN CHẤP HÀNH" / "CHỦ TỊCH" / name.
    public var unitSigner: Signer?

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", unitName: String, sectorName: String,
                initiative: InitiativeDraft, continuedModelName: String? = nil, unitSigner: Signer? = nil) {
        self.header = header
        self.year = year
        self.movement = movement
        self.unitName = unitName
        self.sectorName = sectorName
        self.initiative = initiative
        self.continuedModelName = continuedModelName
        self.unitSigner = unitSigner
    }
}

extension OfficialDocuments {
    /// PHIẾU ĐĂNG KÝ MÔ HÌNH “DÂN VẬN KHÉO” NĂM …: every field of the registration
    /// (DESIGN.md §5), then the registrant's signature (left) and the unit's (right).
    public static func registrationForm(_ input: RegistrationFormInput) -> Document {
        let page = PageSetup.a4Portrait
        let i = input.initiative
        let movement = VietnameseText.clean(input.movement)
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Phiếu đăng ký mô hình “\(movement)” năm \(input.year)", subject: nil)
        blocks.append(.paragraph(Paragraph("", size: 6)))

        /// "1. Label: value" on one line, or the label then the value's own paragraphs.
        func field(_ number: Int, _ label: String, _ value: String) {
            let lines = value.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
                .map { VietnameseText.clean(String($0)) }.filter { !$0.isEmpty }
            let lead = Run("\(number). \(label): ", bold: true)
            if lines.count <= 1 {
                blocks.append(.paragraph(Layout.body([lead, Run(lines.first ?? "")])))
            } else {
                blocks.append(.paragraph(Paragraph([lead], alignment: .justified, size: 14, firstLineIndent: Layout.indent,
                                                   spaceAfter: 3, keepWithNext: true)))
                blocks += lines.map { .paragraph(Layout.body($0)) }
            }
        }
        var registrant = "\(i.kind.label) – \(i.registrantName)"
        if i.kind == .individual, !i.registrantTitle.isEmpty { registrant += ", \(i.registrantTitle)" }
        var continuity = i.continuity.label
        if i.continuity == .continues, let earlier = input.continuedModelName.map(VietnameseText.clean), !earlier.isEmpty {
            continuity += ": “\(earlier)”"
        }
        field(1, "Đơn vị", VietnameseText.clean(input.unitName))
        field(2, "Tập thể/Cá nhân đăng ký", registrant)
        field(3, "Lĩnh vực", Sector.shortName(VietnameseText.clean(input.sectorName)))
        field(4, "Tên mô hình", i.title)
        field(5, "Mục đích", i.purpose)
        field(6, "Nội dung và cách thức thực hiện", i.content)
        field(7, "Phạm vi, đối tượng tham gia", i.scope)
        field(8, "Thời gian thực hiện", i.timeFrame)
        field(9, "Kết quả dự kiến", i.expectedResult)
        field(10, "Người phụ trách", i.personInCharge)
        field(11, "Mô hình mới hay duy trì, nhân rộng", continuity)

        let registrantRole = i.kind == .individual ? "Người đăng ký" : "Đại diện tập thể đăng ký"
        // A collective signs by its person in charge: the title over the gap, the name under it.
        let inCharge = PersonInCharge.split(i.personInCharge)
        let registrantName = i.kind == .individual ? i.registrantName : inCharge.name
        var left = Layout.signatureParagraphs(authority: registrantRole, title: "", name: registrantName)
        // Level the two names: the unit's side has two lines above its gap.
        left.insert(Paragraph("(Ký, ghi rõ họ tên)", italic: true, alignment: .center, size: 14), at: 1)
        if i.kind == .collective, !inCharge.title.isEmpty {
            left.insert(Paragraph(VietnameseText.clean(inCharge.title), alignment: .center, size: 14), at: 1)
        }
        blocks.append(Layout.signature(input.unitSigner, distribution: [], left: left))
        return Document(kind: .registrationForm, title: "Phiếu đăng ký mô hình – " + i.title, date: input.header.date,
                        page: page, blocks: blocks)
    }
}
