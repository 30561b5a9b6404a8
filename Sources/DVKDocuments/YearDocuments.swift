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

/// The list a federation proposes upward: danh sách đề nghị công nhận.
public struct NominationListInput: Hashable, Sendable {
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    /// The federation it is proposed to, as written in sentences.
    public var to: String
    public var models: [RecognisedModel]
    public var signer: Signer

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", to: String, models: [RecognisedModel], signer: Signer) {
        self.header = header
        self.year = year
        self.movement = movement
        self.to = to
        self.models = models
        self.signer = signer
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

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", letter: CampaignLetter,
                models: [RecognisedModel], signer: Signer, distribution: [String]) {
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

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", recipients: [String], letter: CampaignLetter,
                byIssuer: Bool, sectors: [FunnelRow], units: [FunnelRow], signer: Signer,
                distribution: [String], coverage: Coverage? = nil) {
        self.coverage = coverage
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
    /// The models' table: TT, name, registrant, unit, sector, results (and "tiêu biểu"),
    /// grouped by sector with a group row per sector; the header row repeats on every page.
    static func modelsTable(_ models: [RecognisedModel], results: Bool) -> Table {
        let size = 12.0
        func head(_ text: String) -> TableCell { TableCell([Paragraph(text, bold: true, alignment: .center, size: size)]) }
        func cell(_ text: String, alignment: Alignment = .left) -> TableCell {
            TableCell([Paragraph(VietnameseText.clean(text), alignment: alignment, size: size)], verticalAlignment: .top)
        }
        var rows = [TableRow([head("TT"), head("Tên mô hình"), head("Tập thể/ Cá nhân"), head("Tên tập thể/cá nhân"), head("Đơn vị"),
                              head(results ? "Kết quả" : "Tiêu biểu")], role: .header)]
        var number = 0
        var sectors: [String] = []
        for m in models where !sectors.contains(m.sectorName) { sectors.append(m.sectorName) }
        for sector in sectors {
            rows.append(TableRow([TableCell([Paragraph(VietnameseText.clean(sector), bold: true, italic: true, alignment: .left, size: size)],
                                            columnSpan: 6)], role: .group))
            for m in models where m.sectorName == sector {
                number += 1
                let last = results ? (m.results + (m.exemplary ? (m.results.isEmpty ? "" : "; ") + "tiêu biểu" : "")) : (m.exemplary ? "x" : "")
                rows.append(TableRow([cell(String(number), alignment: .center), cell(m.title), cell(m.kind.label), cell(m.registrantName),
                                      cell(m.unitName), cell(last, alignment: results ? .left : .center)]))
            }
        }
        return Table(columnWeights: [6, 28, 10, 20, 20, 16], rows: rows)
    }

    /// DANH SÁCH / Mô hình “Dân vận khéo” đề nghị công nhận năm …
    public static func nominationList(_ input: NominationListInput) -> Document {
        let page = PageSetup.a4Landscape
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        let movement = "“\(VietnameseText.clean(input.movement))”"
        blocks += Layout.title("Danh sách", subject: "Mô hình \(movement) năm \(input.year) đề nghị \(VietnameseText.clean(input.to)) công nhận")
        blocks.append(.paragraph(Layout.body(
            "\(input.header.issuer) đề nghị \(VietnameseText.clean(input.to)) xem xét, công nhận \(VietnameseText.number(input.models.count)) mô hình \(movement) năm \(input.year) sau:")))
        blocks.append(.table(modelsTable(input.models, results: true)))
        blocks.append(Layout.signature(input.signer, distribution: ["Như trên;", "Lưu: VT."]))
        return Document(kind: .nominationList, title: "Danh sách mô hình \(movement) đề nghị công nhận năm \(input.year)",
                        date: input.header.date, page: page, blocks: blocks)
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
        blocks.append(.paragraph(Layout.body("Xét kết quả thẩm định và đề nghị của các công đoàn trực thuộc,", italic: true)))
        blocks.append(.paragraph(Paragraph("QUYẾT ĐỊNH:", bold: true, alignment: .center, size: 14, spaceBefore: 6, spaceAfter: 6, keepWithNext: true)))
        blocks.append(.paragraph(Layout.body([Run("Điều 1. ", bold: true), Run(
            "Công nhận \(VietnameseText.number(input.models.count)) mô hình \(movement) năm \(input.year)" + (exemplary > 0 ? ", trong đó \(VietnameseText.number(exemplary)) mô hình tiêu biểu" : "")
                + " (có danh sách kèm theo).")])))
        blocks.append(.paragraph(Layout.body([Run("Điều 2. ", bold: true), Run(
            "Các tập thể, cá nhân có mô hình được công nhận tiếp tục duy trì, nhân rộng mô hình; các đơn vị tuyên truyền, học tập các mô hình tiêu biểu.")])))
        blocks.append(.paragraph(Layout.body([Run("Điều 3. ", bold: true), Run(
            "Quyết định có hiệu lực kể từ ngày ký. Các ban, đơn vị liên quan và các tập thể, cá nhân có tên tại Điều 1 căn cứ Quyết định thi hành./.")])))
        blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        var annex = Paragraph("DANH SÁCH", bold: true, alignment: .center, size: 14, spaceBefore: 0, keepWithNext: true)
        annex.pageBreakBefore = true
        blocks.append(.paragraph(annex))
        blocks.append(.paragraph(Paragraph("Mô hình \(movement) năm \(input.year) được công nhận", bold: true, alignment: .center, size: 14, keepWithNext: true)))
        blocks.append(.paragraph(Paragraph("(Kèm theo Quyết định số \(input.header.number ?? "") ngày \(input.header.date.vietnamese) của Ban Thường vụ \(issuer))",
                                           italic: true, alignment: .center, size: 14, spaceAfter: 6, keepWithNext: true)))
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
        blocks.append(.paragraph(heading("1. Kết quả chung")))
        if let coverage = input.coverage { blocks.append(.paragraph(Layout.body(coverage.sentence))) }
        var parts = ["đăng ký \(VietnameseText.number(total.registered)) mô hình"]
        if total.verified > 0 { parts.append("\(VietnameseText.number(total.verified)) mô hình được thẩm định đạt") }
        if total.recognised > 0 { parts.append("\(VietnameseText.number(total.recognised)) mô hình được công nhận (\(VietnameseText.number(total.exemplary)) mô hình tiêu biểu)") }
        if total.commended > 0 { parts.append("\(VietnameseText.number(total.commended)) mô hình được khen thưởng") }
        if total.nominated > 0 { parts.append("\(VietnameseText.number(total.nominated)) mô hình được đề nghị cấp trên công nhận") }
        blocks.append(.paragraph(Layout.body("Toàn đơn vị " + parts.joined(separator: "; ") + ". Kết quả theo từng lĩnh vực như sau:")))
        blocks.append(.table(funnelTable(firstColumn: "Lĩnh vực", rows: input.sectors, total: total)))
        if !input.units.isEmpty {
            blocks.append(.paragraph(heading("2. Kết quả theo đơn vị")))
            blocks.append(.table(funnelTable(firstColumn: "Đơn vị", rows: input.units, total: FunnelRow.total(input.units))))
        }
        blocks.append(.paragraph(Layout.body("Trên đây là báo cáo tổng kết phong trào thi đua \(movement) năm \(input.year) của \(issuer)./.")))
        blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        return Document(kind: .yearReport, title: "Báo cáo tổng kết phong trào thi đua \(movement) năm \(input.year)",
                        date: input.header.date, page: page, blocks: blocks)
    }

    static func funnelTable(firstColumn: String, rows: [FunnelRow], total: FunnelRow) -> Table {
        let size = 12.0
        func head(_ text: String) -> TableCell { TableCell([Paragraph(text, bold: true, alignment: .center, size: size)]) }
        var out = [TableRow([head(firstColumn)] + FunnelRow.headings.map(head), role: .header)]
        for row in rows {
            out.append(TableRow([TableCell([Paragraph(VietnameseText.clean(row.name), alignment: .left, size: size)])]
                                + row.values.map { TableCell.number($0, size: size) }))
        }
        out.append(TableRow([TableCell([Paragraph("Tổng", bold: true, alignment: .center, size: size)])]
                            + total.values.map { TableCell.number($0, bold: true, size: size) }, role: .total))
        return Table(columnWeights: [34, 11, 11, 11, 11, 11, 11], rows: out)
    }
}
