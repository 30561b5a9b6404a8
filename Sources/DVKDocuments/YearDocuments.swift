import DVKCore
import Foundation

/// One recognised (or proposed) model, as the year's documents print it.
public struct RecognisedModel: Hashable, Sendable {
    public var title: String
    public var kind: RegistrantKind
    public var registrantName: String
    public var unitName: String
    public var sectorName: String
    public var exemplary: Bool
    /// Results in words (from the progress reports), e.g. "60 người tham gia; vận động 12.500.000 đồng".
    public var results: String

    public init(title: String, kind: RegistrantKind, registrantName: String, unitName: String, sectorName: String,
                exemplary: Bool, results: String = "") {
        self.title = title
        self.kind = kind
        self.registrantName = registrantName
        self.unitName = unitName
        self.sectorName = sectorName
        self.exemplary = exemplary
        self.results = results
    }
}

/// A federation's proposal upward: a tờ trình to the level above, with the list of the
/// models it proposes annexed.
public struct NominationListInput: Hashable, Sendable {
    /// Number "05/TTr-CĐN" and day: the nominations' own, or left to fill in.
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    /// The federation it is proposed to, as written in sentences.
    public var to: String
    /// The campaign's letter the proposal answers.
    public var letter: CampaignLetter?
    public var models: [RecognisedModel]
    public var signer: Signer

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", to: String, letter: CampaignLetter? = nil,
                models: [RecognisedModel], signer: Signer) {
        self.header = header
        self.year = year
        self.movement = movement
        self.to = to
        self.letter = letter
        self.models = models
        self.signer = signer
    }
}

/// A proposal a decision answers: "Tờ trình số 05/TTr-CĐN ngày 18/10/2024 của …".
public struct ProposalReference: Hashable, Sendable {
    public var number: String
    public var date: CalendarDay?
    public var from: String

    public init(number: String, date: CalendarDay?, from: String) {
        self.number = number
        self.date = date
        self.from = from
    }

    public var phrase: String {
        let number = VietnameseText.clean(self.number)
        return (number.isEmpty ? "Tờ trình" : "Tờ trình số \(number)") + (date.map { " ngày \($0.vietnamese)" } ?? "")
            + " của \(VietnameseText.clean(from))"
    }
}

/// A recognition decision with its annexed list.
public struct DecisionInput: Hashable, Sendable {
    /// Number "12/QĐ-LĐLĐ" and the decision's day.
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    /// The campaign's letter.
    public var letter: CampaignLetter
    public var models: [RecognisedModel]
    public var signer: Signer
    public var distribution: [String]
    /// The proposals from below it answers (none: models of the federation's own
    /// grassroots unions, verified by it).
    public var proposals: [ProposalReference]

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", letter: CampaignLetter,
                models: [RecognisedModel], signer: Signer, distribution: [String], proposals: [ProposalReference] = []) {
        self.proposals = proposals
        self.header = header
        self.year = year
        self.movement = movement
        self.letter = letter
        self.models = models
        self.signer = signer
        self.distribution = distribution
    }
}

/// The year-end report: the funnel per sector and per unit.
public struct YearReportInput: Hashable, Sendable {
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    public var recipients: [String]
    /// The campaign's letter being reported on.
    public var letter: CampaignLetter
    /// The reporting union issued the campaign (it cites the upper level's letter).
    public var byIssuer: Bool
    public var sectors: [FunnelRow]
    /// One row per unit (name in `name`), in the tree's order; empty prints none.
    public var units: [FunnelRow]
    public var signer: Signer
    public var distribution: [String]
    /// The moment of the figures and the registration's coverage, printed under "Kết quả chung".
    public var coverage: Coverage?
    /// "II. Đánh giá chung" and "III. Đề xuất, kiến nghị" as the clerk wrote them (dotted lines when empty).
    public var assessment: String?
    public var proposals: String?

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", recipients: [String], letter: CampaignLetter,
                byIssuer: Bool, sectors: [FunnelRow], units: [FunnelRow], signer: Signer,
                distribution: [String], coverage: Coverage? = nil, assessment: String? = nil, proposals: String? = nil) {
        self.coverage = coverage
        self.assessment = assessment
        self.proposals = proposals
        self.header = header
        self.year = year
        self.movement = movement
        self.recipients = recipients
        self.letter = letter
        self.byIssuer = byIssuer
        self.sectors = sectors
        self.units = units
        self.signer = signer
        self.distribution = distribution
    }
}

extension OfficialDocuments {
    /// The models' table, grouped by sector with a group row per sector, the header row
    /// repeated on every page: TT, name, collective or person, registrant, unit, then the
    /// results (a proposal's list) and "Tiêu biểu" (x), narrow.
    static func modelsTable(_ models: [RecognisedModel], results: Bool) -> Table {
        let size = 12.0
        func head(_ text: String) -> TableCell { TableCell([Paragraph(text, bold: true, alignment: .center, size: size)]) }
        func cell(_ text: String, alignment: Alignment = .left) -> TableCell {
            TableCell([Paragraph(VietnameseText.clean(text), alignment: alignment, size: size)], verticalAlignment: .top)
        }
        let heads = ["TT", "Tên mô hình", "Tập thể/ Cá nhân", "Tên tập thể/cá nhân", "Đơn vị"] + (results ? ["Kết quả"] : []) + ["Tiêu biểu"]
        var rows = [TableRow(heads.map(head), role: .header)]
        var number = 0
        var sectors: [String] = []
        for m in models where !sectors.contains(m.sectorName) { sectors.append(m.sectorName) }
        for sector in sectors {
            rows.append(TableRow([TableCell([Paragraph(VietnameseText.clean(sector), bold: true, italic: true, alignment: .left, size: size)],
                                            columnSpan: heads.count)], role: .group))
            for m in models where m.sectorName == sector {
                number += 1
                rows.append(TableRow([TableCell.ordinal(number, size: size, verticalAlignment: .top), cell(m.title), cell(m.kind.label), cell(m.registrantName),
                                      cell(m.unitName)] + (results ? [cell(m.results)] : []) + [cell(m.exemplary ? "x" : "", alignment: .center)]))
            }
        }
        // TT holds 4 digits; "Tiêu biểu" is a mark, so the names get the width.
        return Table(columnWeights: results ? [6, 22, 9, 15, 15, 26, 7] : [6, 32, 10, 20, 22, 10], rows: rows)
    }

    /// TỜ TRÌNH / Về việc đề nghị công nhận mô hình …: Kính gửi the level above, the basis,
    /// the proposal with its counts, the signature; then the annexed list on a new page.
    public static func nominationList(_ input: NominationListInput) -> Document {
        let page = PageSetup.a4Portrait
        let movement = "“\(VietnameseText.clean(input.movement))”"
        let issuer = input.header.issuer
        let to = VietnameseText.clean(input.to)
        let exemplary = input.models.filter(\.exemplary).count
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Tờ trình", subject: "Về việc đề nghị công nhận mô hình \(movement) năm \(input.year)")
        blocks += Layout.recipients([to])
        if let letter = input.letter {
            blocks.append(.paragraph(Layout.body(
                "Căn cứ \(letter.name) của \(letter.issuer) về việc triển khai phong trào thi đua \(movement) năm \(input.year);")))
        }
        blocks.append(.paragraph(Layout.body(
            "Trên cơ sở kết quả thực hiện và thẩm định mô hình của các đơn vị, \(issuer) đề nghị \(to) xem xét, công nhận "
                + DecisionWording.count(input.models.count, exemplary: exemplary, movement: movement, year: input.year)
                + " (có danh sách kèm theo).")))
        blocks.append(.paragraph(Layout.body("Kính đề nghị \(to) xem xét, quyết định./.")))
        blocks.append(Layout.signature(input.signer, distribution: ["Như trên;", "Lưu: VT."]))
        blocks += annex(title: "Mô hình \(movement) năm \(input.year) đề nghị công nhận",
                        reference: "Kèm theo Tờ trình số \(input.header.number ?? "") ngày \(input.header.date.vietnamese) của \(issuer)")
        blocks.append(.table(modelsTable(input.models, results: true)))
        return Document(kind: .nominationList, title: "Tờ trình đề nghị công nhận mô hình \(movement) năm \(input.year)",
                        date: input.header.date, page: page, blocks: blocks)
    }

    /// An annexed list's heading, on a new page: "DANH SÁCH", what it lists, "(Kèm theo …)".
    static func annex(title: String, reference: String) -> [Block] {
        var first = Paragraph("DANH SÁCH", bold: true, alignment: .center, size: 14, spaceBefore: 0, keepWithNext: true)
        first.outlineLevel = 1
        first.pageBreakBefore = true
        first.restartsPageNumbers = true
        return [.paragraph(first),
                .paragraph(Paragraph(title, bold: true, alignment: .center, size: 14, keepWithNext: true)),
                .paragraph(Paragraph("(\(VietnameseText.clean(reference)))", italic: true, alignment: .center, size: 14, spaceAfter: 6, keepWithNext: true))]
    }

    /// QUYẾT ĐỊNH / Về việc công nhận mô hình …, its articles, the signature, then the
    /// annexed list on a new page.
    public static func recognitionDecision(_ input: DecisionInput) -> Document {
        let page = PageSetup.a4Portrait
        let movement = "“\(VietnameseText.clean(input.movement))”"
        let issuer = input.header.issuer
        let exemplary = input.models.filter(\.exemplary).count
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Quyết định", subject: "Về việc công nhận mô hình \(movement) năm \(input.year)")
        blocks.append(.paragraph(Paragraph(Layout.upper("Ban Thường vụ " + issuer), bold: true, alignment: .center, size: 14,
                                           spaceBefore: 6, spaceAfter: 6, keepWithNext: true)))
        blocks.append(.paragraph(Layout.body("Căn cứ Điều lệ Công đoàn Việt Nam;", italic: true)))
        blocks.append(.paragraph(Layout.body(
            "Căn cứ \(input.letter.name) của \(input.letter.issuer) về việc triển khai phong trào thi đua \(movement) năm \(input.year);",
            italic: true)))
        // The proposals it answers, by their own numbers; without any, the federation's own
        // verification of its grassroots unions' models.
        let considered = input.proposals.isEmpty
            ? "Xét kết quả thẩm định mô hình của các công đoàn cơ sở trực thuộc,"
            : "Xét " + input.proposals.map(\.phrase).joined(separator: "; ") + " và kết quả thẩm định,"
        blocks.append(.paragraph(Layout.body(considered, italic: true)))
        blocks.append(.paragraph(Paragraph("QUYẾT ĐỊNH:", bold: true, alignment: .center, size: 14, spaceBefore: 6, spaceAfter: 6, keepWithNext: true)))
        blocks.append(.paragraph(Layout.body([Run("Điều 1. ", bold: true), Run(
            "Công nhận " + DecisionWording.count(input.models.count, exemplary: exemplary, movement: movement, year: input.year)
                + " (có danh sách kèm theo).")])))
        blocks.append(.paragraph(Layout.body([Run("Điều 2. ", bold: true), Run(
            "Các tập thể, cá nhân có mô hình được công nhận tiếp tục duy trì, nhân rộng mô hình; các đơn vị tuyên truyền, học tập "
                + (exemplary > 0 ? "các mô hình tiêu biểu." : "các mô hình được công nhận."))])))
        blocks.append(.paragraph(Layout.body([Run("Điều 3. ", bold: true), Run(
            "Quyết định có hiệu lực kể từ ngày ký. Các ban, đơn vị liên quan và các tập thể, cá nhân có tên tại Điều 1 căn cứ Quyết định thi hành./.")])))
        blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        blocks += annex(title: "Mô hình \(movement) năm \(input.year) được công nhận",
                        reference: "Kèm theo Quyết định số \(input.header.number ?? "") ngày \(input.header.date.vietnamese) của Ban Thường vụ \(issuer)")
        blocks.append(.table(modelsTable(input.models, results: false)))
        return Document(kind: .recognitionDecision, title: "Quyết định công nhận mô hình \(movement) năm \(input.year)",
                        date: input.header.date, page: page, blocks: blocks)
    }

    /// BÁO CÁO / Tổng kết phong trào …: the funnel per sector, then per unit.
    public static func yearReport(_ input: YearReportInput) -> Document {
        let page = PageSetup.a4Portrait
        let movement = "“\(VietnameseText.clean(input.movement))”"
        let issuer = input.header.issuer
        let total = FunnelRow.total(input.sectors)
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Báo cáo", subject: "Tổng kết phong trào thi đua \(movement) năm \(input.year)")
        blocks += Layout.recipients(input.recipients)
        blocks.append(.paragraph(Layout.body(input.letter.opening(
            reporter: issuer, byIssuer: input.byIssuer, about: "về việc triển khai phong trào thi đua \(movement) năm \(input.year)",
            reports: "báo cáo kết quả thực hiện phong trào như sau:"))))
        blocks.append(.paragraph(heading("I. Kết quả thực hiện")))
        blocks.append(.paragraph(heading("1. Kết quả chung", level: 3)))
        if let coverage = input.coverage { blocks.append(.paragraph(Layout.body(coverage.sentence))) }
        func n(_ value: Int) -> String { VietnameseText.number(value) }
        var parts = ["đăng ký \(n(total.registered)) mô hình"]
        if total.verified > 0 { parts.append("\(n(total.verified)) mô hình đã được thẩm định (\(n(total.passed)) mô hình đạt)") }
        if total.recognised > 0 {
            parts.append("\(n(total.recognised)) mô hình được công nhận" + (total.exemplary > 0 ? " (\(n(total.exemplary)) mô hình tiêu biểu)" : ""))
        }
        if total.commended > 0 { parts.append("\(n(total.commended)) mô hình được khen thưởng") }
        if total.proposedBelow > 0 { parts.append("\(n(total.proposedBelow)) mô hình do công đoàn cấp dưới đề nghị công nhận") }
        if total.nominated > 0 { parts.append("\(n(total.nominated)) mô hình được \(issuer) đề nghị cấp trên công nhận") }
        blocks.append(.paragraph(Layout.body("Toàn đơn vị " + parts.joined(separator: "; ") + ". Kết quả theo từng lĩnh vực như sau:")))
        blocks.append(.table(funnelTable(firstColumn: "Lĩnh vực", rows: input.sectors, total: total)))
        if !input.units.isEmpty {
            blocks.append(.paragraph(heading("2. Kết quả theo đơn vị", level: 3)))
            blocks.append(.table(funnelTable(firstColumn: "Đơn vị", rows: input.units, total: FunnelRow.total(input.units))))
        }
        blocks += clerkSections(assessment: input.assessment, proposals: input.proposals, page: page)
        blocks.append(.paragraph(Layout.body("Trên đây là báo cáo tổng kết phong trào thi đua \(movement) năm \(input.year) của \(issuer)./.")))
        blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        return Document(kind: .yearReport, title: "Báo cáo tổng kết phong trào thi đua \(movement) năm \(input.year)",
                        date: input.header.date, page: page, blocks: blocks)
    }

    static func funnelTable(firstColumn: String, rows: [FunnelRow], total: FunnelRow) -> Table {
        let size = 12.0
        func head(_ text: String) -> TableCell { TableCell([Paragraph(text, bold: true, alignment: .center, size: size)]) }
        var out = [TableRow([head("TT"), head(firstColumn)] + FunnelRow.headings.map(head), role: .header)]
        for (index, row) in rows.enumerated() {
            out.append(TableRow([TableCell.ordinal(index + 1, size: size),
                                 TableCell([Paragraph(VietnameseText.clean(row.name), alignment: .left, size: size)])]
                                + row.values.map { TableCell.number($0, size: size) }))
        }
        out.append(TableRow([TableCell([Paragraph("Tổng", bold: true, alignment: .center, size: size)], columnSpan: 2)]
                            + total.values.map { TableCell.number($0, bold: true, size: size) }, role: .total))
        // TT wide enough for 4 digits; eight figures of up to 6 digits under wrapped headings.
        return Table(columnWeights: [6, 22] + Array(repeating: 9, count: FunnelRow.headings.count), rows: out)
    }
}

/// How a decision and a proposal say their counts: "6 mô hình “Dân vận khéo” năm 2024,
/// trong đó 2 mô hình tiêu biểu"; all of them tiêu biểu: "6 mô hình “Dân vận khéo” tiêu
/// biểu năm 2024"; none: no mention.
enum DecisionWording {
    static func count(_ total: Int, exemplary: Int, movement: String, year: Int) -> String {
        let n = VietnameseText.number(total)
        if exemplary > 0, exemplary == total { return "\(n) mô hình \(movement) tiêu biểu năm \(year)" }
        return "\(n) mô hình \(movement) năm \(year)" + (exemplary > 0 ? ", trong đó \(VietnameseText.number(exemplary)) mô hình tiêu biểu" : "")
    }
}
