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

/// The campaign's letter a document answers, and the upper level's letter the campaign
/// itself answered.
public struct CampaignLetter: Hashable, Sendable {
    /// "26/LĐLĐ"; may be empty.
    public var number: String
    public var date: CalendarDay
    /// Who issued it, as written in sentences ("Liên đoàn Lao động quận Long Biên").
    public var issuer: String
    /// The upper level's letter, as the issuer wrote it ("Công văn số 274/LĐLĐ ngày
    /// 05/02/2024 của LĐLĐ thành phố Hà Nội"); empty when none was named.
    public var basis: String

    public init(number: String, date: CalendarDay, issuer: String, basis: String = "") {
        self.number = VietnameseText.clean(number)
        self.date = date
        self.issuer = VietnameseText.clean(issuer)
        self.basis = VietnameseText.clean(basis)
    }

    /// "Công văn số 26/LĐLĐ ngày 06/02/2024"
    public var name: String {
        (number.isEmpty ? "Công văn" : "Công văn số \(number)") + " ngày \(date.vietnamese)"
    }

    /// A report's first sentence. A union below the issuer answers the issuer's letter; the
    /// issuer answers the upper level's letter and says what it issued.
    /// `reports` ends the sentence: "báo cáo kết quả … như sau:".
    func opening(reporter: String, byIssuer: Bool, about: String, reports: String) -> String {
        guard byIssuer else { return "Thực hiện \(name) của \(issuer) \(about), \(reporter) \(reports)" }
        if basis.isEmpty {
            return "\(reporter) đã ban hành \(name) \(about) đến các công đoàn cơ sở. \(reporter) \(reports)"
        }
        return "Thực hiện \(basis) \(about), \(reporter) đã ban hành \(name) triển khai đến các công đoàn cơ sở. \(reporter) \(reports)"
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
    /// The campaign's letter being reported on.
    public var letter: CampaignLetter
    /// The reporting union issued the campaign (it cites the upper level's letter).
    public var byIssuer: Bool
    public var completeness: Completeness
    public var summary: Summary
    /// One row per unit, printed under the summary; empty prints none.
    public var units: [UnitTallyRow]
    /// "II. Đánh giá chung" as the federation wrote it, in the `LetterBody` format; nil or
    /// empty prints dotted lines to write on.
    public var assessment: String?
    /// "III. Đề xuất, kiến nghị", the same way.
    public var proposals: String?
    public var signer: Signer
    public var distribution: [String]
    /// When the figures were taken and how many units they cover; nil prints nothing.
    public var coverage: Coverage?

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", recipients: [String],
                letter: CampaignLetter, byIssuer: Bool, completeness: Completeness, summary: Summary,
                units: [UnitTallyRow] = [], assessment: String? = nil, proposals: String? = nil, signer: Signer, distribution: [String],
                coverage: Coverage? = nil) {
        self.coverage = coverage
        self.proposals = proposals
        self.header = header
        self.year = year
        self.movement = movement
        self.recipients = recipients
        self.letter = letter
        self.byIssuer = byIssuer
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
        let about = "về việc triển khai phong trào thi đua \(movement) năm \(input.year)"
        blocks.append(.paragraph(Layout.body(input.letter.opening(
            reporter: issuer, byIssuer: input.byIssuer, about: about,
            reports: "báo cáo kết quả đăng ký mô hình \(movement) năm \(input.year) như sau:"))))
        blocks.append(.paragraph(heading("I. Kết quả đăng ký")))
        blocks.append(.paragraph(heading("1. Tình hình nộp hồ sơ đăng ký", level: 3)))
        blocks += completenessLines(c).map { .paragraph(Layout.body($0)) }
        if let coverage = input.coverage { blocks.append(.paragraph(Layout.body(coverage.sentence))) }
        blocks.append(.paragraph(heading("2. Số lượng mô hình đăng ký", level: 3)))
        blocks.append(.paragraph(Layout.body(totalSentence(input.summary))))
        blocks += SummaryTable.blocks(input.summary)
        if !input.units.isEmpty {
            var lead = Layout.body("Chi tiết theo đơn vị:")
            lead.keepWithNext = true
            blocks.append(.paragraph(lead))
            blocks.append(.table(SummaryTable.table(firstColumn: "Đơn vị", units: input.units,
                                                    total: input.units.filter { $0.role == .unit }.reduce(.zero) { $0 + $1.tally })))
        }
        blocks += clerkSections(assessment: input.assessment, proposals: input.proposals, page: page)
        blocks.append(.paragraph(Layout.body(
            "Trên đây là báo cáo kết quả đăng ký mô hình \(movement) năm \(input.year) của \(issuer)./.")))
        blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        return Document(kind: .report, title: "Báo cáo kết quả đăng ký mô hình \(movement) năm \(input.year)",
                        date: input.header.date, page: page, blocks: blocks)
    }

    /// The completeness section's lines; a clause about no unit is left out.
    static func completenessLines(_ c: Completeness) -> [String] {
        let n: (Int) -> String = VietnameseText.number
        var lines = ["- Số công đoàn cơ sở được đề nghị đăng ký: \(n(c.expected)) đơn vị."]
        if c.submitted == 0 {
            lines.append("- Chưa có đơn vị nào nộp hồ sơ đăng ký.")
            return lines
        }
        var submitted = "- Số đơn vị đã nộp hồ sơ đăng ký: \(n(c.submitted)) đơn vị"
        switch (c.onTime, c.late) {
        case (_, 0): submitted += " (đều đúng hạn)"
        case (0, _): submitted += " (đều nộp muộn)"
        default: submitted += " (đúng hạn: \(n(c.onTime)) đơn vị; nộp muộn: \(n(c.late)) đơn vị)"
        }
        if c.declaredNone > 0 { submitted += ", trong đó \(n(c.declaredNone)) đơn vị báo không đăng ký mô hình trong năm" }
        lines.append(submitted + ".")
        lines.append(c.notSubmitted > 0 ? "- Số đơn vị chưa nộp hồ sơ đăng ký: \(n(c.notSubmitted)) đơn vị."
                                        : "- Tất cả các đơn vị đã nộp hồ sơ đăng ký.")
        return lines
    }

    /// "Tổng số mô hình được đăng ký: …", naming only the kinds that registered.
    static func totalSentence(_ summary: Summary) -> String {
        let n: (Int) -> String = VietnameseText.number
        let total = summary.total, distinct = summary.distinct
        guard total.initiatives > 0 else { return "Chưa có mô hình nào được đăng ký." }
        var parts: [String] = []
        if total.collectiveInitiatives > 0 { parts.append("\(n(total.collectiveInitiatives)) mô hình của \(n(distinct.collectives)) tập thể") }
        if total.individualInitiatives > 0 { parts.append("\(n(total.individualInitiatives)) mô hình của \(n(distinct.individuals)) cá nhân") }
        return "Tổng số mô hình được đăng ký: \(n(total.initiatives)) mô hình, trong đó " + parts.joined(separator: " và ")
            + ". Số lượng theo từng lĩnh vực như sau:"
    }

    /// A section's heading ("1. Tình hình nộp hồ sơ đăng ký"): Word's Heading 2.
    /// "II. Đánh giá chung" and "III. Đề xuất, kiến nghị": what the clerk wrote, or dotted
    /// lines to write on by hand.
    static func clerkSections(assessment: String?, proposals: String?, page: PageSetup) -> [Block] {
        var blocks: [Block] = []
        for (title, text) in [("II. Đánh giá chung", assessment), ("III. Đề xuất, kiến nghị", proposals)] {
            blocks.append(.paragraph(heading(title)))
            let written = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if written.isEmpty {
                // Four-fifths of the line: a dot's width differs from one renderer to another,
                // and a line of dots that wraps reads as a mistake.
                let dots = String(repeating: ".", count: max(20, Int(page.contentWidth * 0.8 / TextMetrics.width(".", size: 14, bold: false))))
                blocks += (0..<3).map { _ in .paragraph(Paragraph(dots, alignment: .left, size: 14, spaceAfter: 6)) }
            } else {
                blocks += LetterBody.parse(written).map(Block.paragraph)
            }
        }
        return blocks
    }

    static func heading(_ text: String, level: Int = 2) -> Paragraph {
        var p = Paragraph([Run(text, bold: true)], alignment: .justified, size: 14, firstLineIndent: Layout.indent,
                          spaceBefore: 6, spaceAfter: 6, keepWithNext: true)
        p.outlineLevel = level
        return p
    }
}
