import DVKCore
import Foundation

/// Who has answered a campaign, for the report's first section.
public struct Completeness: Hashable, Sendable {
    /// Grassroots units asked to register.
    public var expected: Int
    /// Units that submitted (including those that answered "no model this year").
    public var submitted: Int
    public var onTime: Int
    public var late: Int
    /// Units that answered "no model this year" (a zero that is an answer).
    public var declaredNone: Int
    /// Units that have not submitted.
    public var notSubmitted: Int

    public init(expected: Int, submitted: Int, onTime: Int, late: Int, declaredNone: Int, notSubmitted: Int) {
        self.expected = expected
        self.submitted = submitted
        self.onTime = onTime
        self.late = late
        self.declaredNone = declaredNone
        self.notSubmitted = notSubmitted
    }
}

/// What the federation's report upwards needs.
public struct ReportInput: Hashable, Sendable {
    /// Issuer = the federation as written in sentences (used in the body too), number "05/BC-LĐLĐ".
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    /// "Kính gửi" recipients.
    public var recipients: [String]
    /// The campaign's letter being reported on: "26/LĐLĐ" and its date.
    public var letterNumber: String
    public var letterDate: CalendarDay
    public var completeness: Completeness
    public var summary: Summary
    /// One row per unit, printed under the summary; empty prints none.
    public var units: [UnitTallyRow]
    /// An assessment written by the federation, in the `LetterBody` format; nil or empty prints none.
    public var assessment: String?
    public var signer: Signer
    public var distribution: [String]

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", recipients: [String],
                letterNumber: String, letterDate: CalendarDay, completeness: Completeness, summary: Summary,
                units: [UnitTallyRow] = [], assessment: String? = nil, signer: Signer, distribution: [String]) {
        self.header = header
        self.year = year
        self.movement = movement
        self.recipients = recipients
        self.letterNumber = letterNumber
        self.letterDate = letterDate
        self.completeness = completeness
        self.summary = summary
        self.units = units
        self.assessment = assessment
        self.signer = signer
        self.distribution = distribution
    }
}

extension OfficialDocuments {
    /// The federation's report upwards: BÁO CÁO / Kết quả đăng ký mô hình …, the
    /// completeness numbers, the summary table, signature and Nơi nhận.
    public static func report(_ input: ReportInput) -> Document {
        let page = PageSetup.a4Portrait
        let movement = "“\(VietnameseText.clean(input.movement))”"
        let issuer = input.header.issuer
        let c = input.completeness
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Báo cáo", subject: "Kết quả đăng ký mô hình \(movement) năm \(input.year)")
        blocks += Layout.recipients(input.recipients)
        blocks.append(.paragraph(Layout.body(
            "Thực hiện Công văn số \(VietnameseText.clean(input.letterNumber)) ngày \(input.letterDate.vietnamese) của \(issuer) "
                + "về việc triển khai phong trào thi đua \(movement) năm \(input.year), \(issuer) báo cáo kết quả đăng ký "
                + "mô hình \(movement) năm \(input.year) như sau:")))
        blocks.append(.paragraph(heading("1. Tình hình gửi đăng ký")))
        blocks.append(.paragraph(Layout.body("- Số công đoàn cơ sở được đề nghị đăng ký: \(c.expected) đơn vị.")))
        blocks.append(.paragraph(Layout.body(
            "- Số đơn vị đã gửi đăng ký: \(c.submitted) đơn vị (đúng hạn: \(c.onTime) đơn vị; quá hạn: \(c.late) đơn vị), "
                + "trong đó \(c.declaredNone) đơn vị báo không đăng ký mô hình trong năm.")))
        blocks.append(.paragraph(Layout.body("- Số đơn vị chưa gửi đăng ký: \(c.notSubmitted) đơn vị.")))
        blocks.append(.paragraph(heading("2. Kết quả đăng ký")))
        let total = input.summary.total
        let distinct = input.summary.distinct
        blocks.append(.paragraph(Layout.body(
            "Tổng số mô hình được đăng ký: \(total.initiatives) mô hình, trong đó \(total.collectiveInitiatives) mô hình "
                + "của \(distinct.collectives) tập thể và \(total.individualInitiatives) mô hình của \(distinct.individuals) cá nhân. "
                + "Số lượng theo từng lĩnh vực như sau:")))
        blocks += SummaryTable.blocks(input.summary)
        if !input.units.isEmpty {
            var lead = Layout.body("Chi tiết theo đơn vị:")
            lead.keepWithNext = true
            blocks.append(.paragraph(lead))
            blocks.append(.table(SummaryTable.table(firstColumn: "Đơn vị", units: input.units,
                                                    total: input.units.reduce(.zero) { $0 + $1.tally })))
        }
        if let assessment = input.assessment, !assessment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            blocks.append(.paragraph(heading("3. Đánh giá chung")))
            blocks += LetterBody.parse(assessment).map(Block.paragraph)
        }
        blocks.append(.paragraph(Layout.body(
            "Trên đây là báo cáo kết quả đăng ký mô hình \(movement) năm \(input.year) của \(issuer)./.")))
        blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        return Document(kind: .report, title: "Báo cáo kết quả đăng ký mô hình \(movement) năm \(input.year)",
                        date: input.header.date, page: page, blocks: blocks)
    }

    static func heading(_ text: String) -> Paragraph {
        Paragraph([Run(text, bold: true)], alignment: .justified, size: 14, firstLineIndent: Layout.indent,
                  spaceBefore: 6, spaceAfter: 6, keepWithNext: true)
    }
}
