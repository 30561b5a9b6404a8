import DVKCore
import Foundation

// The document model every builder produces and every renderer reads. Lengths are in
// typographic points (1/72 inch) unless a name says otherwise; 1 mm = 72 / 25.4 pt.

/// Millimetres to points.
@inlinable public func mm(_ value: Double) -> Double { value * 72 / 25.4 }

/// The file formats a `Document` renders to.
public enum DocumentFormat: String, Sendable, CaseIterable, Codable {
    case docx, pdf, xlsx

    /// The file name extension, without the dot.
    public var fileExtension: String { rawValue }

    /// The media type to send with the file.
    public var contentType: String {
        switch self {
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .pdf: "application/pdf"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }
}

/// Which official document a `Document` is; decides whether it has a spreadsheet form.
public enum DocumentKind: String, Sendable, CaseIterable, Codable {
    case summary, rollUp, initiativeList, registrationForm, report, letter
    case nominationList, recognitionDecision, yearReport, invitationLetter

    /// Tabular documents also render as XLSX.
    public var isTabular: Bool {
        switch self {
        case .summary, .rollUp, .initiativeList, .nominationList: true
        case .registrationForm, .report, .letter, .recognitionDecision, .yearReport, .invitationLetter: false
        }
    }

    /// Vietnamese name, for file names and messages.
    public var label: String {
        switch self {
        case .summary: "Biểu tổng hợp"
        case .rollUp: "Biểu tổng hợp toàn đơn vị"
        case .initiativeList: "Danh sách mô hình đăng ký"
        case .registrationForm: "Phiếu đăng ký mô hình"
        case .report: "Báo cáo kết quả đăng ký"
        case .letter: "Công văn"
        case .nominationList: "Danh sách đề nghị công nhận"
        case .recognitionDecision: "Quyết định công nhận"
        case .yearReport: "Báo cáo tổng kết"
        case .invitationLetter: "Thư mời sử dụng DVK"
        }
    }
}

/// Why a document could not be rendered; `message` is Vietnamese.
public enum DocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The PDF font is not installed; never silently replaced by another one.
    case fontMissing(family: String, resolved: String)
    /// This kind of document has no spreadsheet form.
    case notTabular(DocumentKind)
    /// The PDF or ZIP library failed.
    case renderFailed(String)

    public var message: String {
        switch self {
        case let .fontMissing(family, resolved):
            "Không tạo được tệp PDF: máy chủ thiếu phông chữ “\(family)” (đang dùng phông “\(resolved)” thay thế). "
                + "Đề nghị liên hệ quản trị hệ thống (cài gói phông fonts-liberation2 cho máy chủ) rồi thử lại."
        case let .notTabular(kind):
            "Văn bản “\(kind.label)” không có dạng bảng tính Excel; vui lòng tải bản Word hoặc PDF."
        case let .renderFailed(reason):
            "Không tạo được tệp văn bản: \(reason)."
        }
    }

    public var description: String { message }
}

/// Paper, orientation and margins.
public struct PageSetup: Hashable, Sendable {
    public enum Orientation: String, Hashable, Sendable { case portrait, landscape }

    public var orientation: Orientation
    /// Margins in millimetres (Nghị định 30: top 20–25, bottom 20–25, left 30–35, right 15–20).
    public var topMM: Double
    public var bottomMM: Double
    public var leftMM: Double
    public var rightMM: Double

    public init(orientation: Orientation = .portrait, topMM: Double = 20, bottomMM: Double = 20,
                leftMM: Double = 30, rightMM: Double = 15) {
        self.orientation = orientation
        self.topMM = topMM
        self.bottomMM = bottomMM
        self.leftMM = leftMM
        self.rightMM = rightMM
    }

    public static let a4Portrait = PageSetup()
    public static let a4Landscape = PageSetup(orientation: .landscape)

    /// Page width and height in points (A4 = 210 × 297 mm).
    public var width: Double { orientation == .portrait ? mm(210) : mm(297) }
    public var height: Double { orientation == .portrait ? mm(297) : mm(210) }
    /// The width between the left and right margins, in points.
    public var contentWidth: Double { width - mm(leftMM) - mm(rightMM) }
}

/// A stretch of text with one style. `size` nil takes the paragraph's size.
public struct Run: Hashable, Sendable {
    public var text: String
    public var bold: Bool
    public var italic: Bool
    public var size: Double?

    public init(_ text: String, bold: Bool = false, italic: Bool = false, size: Double? = nil) {
        // Stored NFC so every renderer and every reader sees one spelling of each letter.
        self.text = text.precomposedStringWithCanonicalMapping
        self.bold = bold
        self.italic = italic
        self.size = size
    }
}

/// Horizontal placement of a paragraph's lines.
public enum Alignment: String, Hashable, Sendable { case left, center, right, justified }

/// A paragraph of runs. A "\n" inside a run is a line break within the paragraph.
public struct Paragraph: Hashable, Sendable {
    public var runs: [Run]
    public var alignment: Alignment
    /// Font size in points of runs that do not set their own.
    public var size: Double
    /// First-line indent in points (body text: 1.27 cm = 36 pt).
    public var firstLineIndent: Double
    public var spaceBefore: Double
    public var spaceAfter: Double
    /// Line height as a multiple of single spacing (1.0 to 1.5).
    public var lineSpacing: Double
    /// Keep on the same page as what follows (titles, headings).
    public var keepWithNext: Bool
    /// A centred solid line drawn under the paragraph, this many points long
    /// (the line under the issuing body, the Tiêu ngữ and a trích yếu).
    public var ruleBelow: Double?
    /// Start a new page with this paragraph (an annex after a decision).
    public var pageBreakBefore = false
    /// Starts an annex: a new page whose numbering starts again at 1 (unnumbered, as a
    /// first page is), apart from the document it is annexed to.
    public var restartsPageNumbers = false
    /// A heading's level (1: the document's kind, 2: a section, 3: a subsection): Word's
    /// "Heading N" style, so the navigation pane lists it; its look stays the paragraph's.
    public var outlineLevel: Int?
    /// A QR code drawn under the text, this many points a side, centred (PDF only: the
    /// other formats carry the text, which holds what the code does).
    public var qr: (code: QRMatrix, side: Double)? {
        get { qrCode.map { ($0, qrSide) } }
        set { qrCode = newValue?.code; qrSide = newValue?.side ?? 0 }
    }
    private var qrCode: QRMatrix?
    private var qrSide: Double = 0

    public init(_ runs: [Run], alignment: Alignment = .justified, size: Double = 14, firstLineIndent: Double = 0,
                spaceBefore: Double = 0, spaceAfter: Double = 0, lineSpacing: Double = 1,
                keepWithNext: Bool = false, ruleBelow: Double? = nil) {
        self.runs = runs
        self.alignment = alignment
        self.size = size
        self.firstLineIndent = firstLineIndent
        self.spaceBefore = spaceBefore
        self.spaceAfter = spaceAfter
        self.lineSpacing = lineSpacing
        self.keepWithNext = keepWithNext
        self.ruleBelow = ruleBelow
    }

    /// A paragraph of one run.
    public init(_ text: String, bold: Bool = false, italic: Bool = false, alignment: Alignment = .justified,
                size: Double = 14, firstLineIndent: Double = 0, spaceBefore: Double = 0, spaceAfter: Double = 0,
                lineSpacing: Double = 1, keepWithNext: Bool = false, ruleBelow: Double? = nil) {
        self.init([Run(text, bold: bold, italic: italic)], alignment: alignment, size: size,
                  firstLineIndent: firstLineIndent, spaceBefore: spaceBefore, spaceAfter: spaceAfter,
                  lineSpacing: lineSpacing, keepWithNext: keepWithNext, ruleBelow: ruleBelow)
    }

    /// The text of all runs.
    public var plainText: String { runs.map(\.text).joined() }
    /// True when every run with text is bold (used for spreadsheet styles).
    public var isBold: Bool { runs.contains { !$0.text.isEmpty } && runs.allSatisfy { $0.bold || $0.text.isEmpty } }
    public var isItalic: Bool { runs.contains { !$0.text.isEmpty } && runs.allSatisfy { $0.italic || $0.text.isEmpty } }
}

/// Vertical placement of a cell's content.
public enum VerticalAlignment: String, Hashable, Sendable { case top, center }

/// A table cell. Cells covered by a merge are not listed: a row lists only the cells
/// that start in it, left to right, and the grid positions follow from the spans.
public struct TableCell: Hashable, Sendable {
    public var paragraphs: [Paragraph]
    public var columnSpan: Int
    public var rowSpan: Int
    public var verticalAlignment: VerticalAlignment
    /// The number this cell shows, written as a number in a spreadsheet.
    public var number: Int?

    public init(_ paragraphs: [Paragraph], columnSpan: Int = 1, rowSpan: Int = 1,
                verticalAlignment: VerticalAlignment = .center, number: Int? = nil) {
        self.paragraphs = paragraphs
        self.columnSpan = max(1, columnSpan)
        self.rowSpan = max(1, rowSpan)
        self.verticalAlignment = verticalAlignment
        self.number = number
    }

    /// A row's number in the TT column: digits without grouping ("1024"), a number in a
    /// spreadsheet.
    public static func ordinal(_ value: Int, size: Double, verticalAlignment: VerticalAlignment = .center) -> TableCell {
        TableCell([Paragraph(String(value), alignment: .center, size: size)], verticalAlignment: verticalAlignment, number: value)
    }

    /// A centred number, written "0" for zero (numbers are never blank).
    public static func number(_ value: Int, bold: Bool = false, size: Double) -> TableCell {
        TableCell([Paragraph(VietnameseText.number(value), bold: bold, alignment: .center, size: size)], number: value)
    }
}

/// What a row is, for repetition, page breaking and spreadsheet formulas.
public enum RowRole: String, Hashable, Sendable {
    /// Repeated at the top of every page the table runs onto.
    case header
    case body
    /// A heading inside the table (a unit, a sector): kept with the row after it.
    case group
    /// The "Tổng:" row: in a spreadsheet its numbers are SUM formulas over the body rows above.
    case total
    /// A group's "Cộng" row: its figures sum the body rows since the group's heading. In a
    /// spreadsheet it is a SUBTOTAL, and a table that has them totals with SUBTOTAL too, so
    /// nothing is counted twice.
    case subtotal
}

public struct TableRow: Hashable, Sendable {
    public var cells: [TableCell]
    public var role: RowRole
    /// For a group row, its depth: a unit's heading (0) holds its sectors' headings (1).
    /// A page that breaks inside a group starts with the headings of every group still
    /// open, marked “(tiếp)”.
    public var level: Int

    public init(_ cells: [TableCell], role: RowRole = .body, level: Int = 0) {
        self.cells = cells
        self.role = role
        self.level = level
    }

    /// This group heading as repeated at the top of the next page: “Tên đơn vị (tiếp)”.
    public var continued: TableRow {
        var row = self
        guard let c = row.cells.indices.first, let p = row.cells[c].paragraphs.indices.last,
              let last = row.cells[c].paragraphs[p].runs.last else { return row }
        row.cells[c].paragraphs[p].runs.append(Run(" (tiếp)", bold: last.bold, italic: last.italic, size: last.size))
        return row
    }
}

/// A table: bordered (a biểu) or borderless (header bands, the signature block).
public struct Table: Hashable, Sendable {
    /// Relative column widths; scaled to the text width.
    public var columnWeights: [Double]
    public var rows: [TableRow]
    public var borders: Bool
    /// Never split over two pages (header bands, signature block).
    public var keepTogether: Bool
    /// The signature block: a borderless table kept together, after the body. Neither
    /// renderer leaves it alone on a page.
    public var isSignatureBlock: Bool { keepTogether && !borders }
    /// Cell padding left and right, in points.
    public var cellPadding: Double
    public var spaceBefore: Double
    public var spaceAfter: Double
    /// Points the table reaches into the left and right margins together (split evenly):
    /// the header bands are wider than the text, as in the official templates, so the
    /// Quốc hiệu fits on one line.
    public var outset: Double

    public init(columnWeights: [Double], rows: [TableRow], borders: Bool = true, keepTogether: Bool = false,
                cellPadding: Double = 4, spaceBefore: Double = 0, spaceAfter: Double = 6, outset: Double = 0) {
        self.columnWeights = columnWeights
        self.rows = rows
        self.borders = borders
        self.keepTogether = keepTogether
        self.cellPadding = cellPadding
        self.spaceBefore = spaceBefore
        self.spaceAfter = spaceAfter
        self.outset = max(0, outset)
    }

    /// Column widths in points for a text width.
    public func columnWidths(for width: Double) -> [Double] {
        let total = columnWeights.reduce(0, +)
        guard total > 0 else { return columnWeights.map { _ in width / Double(max(1, columnWeights.count)) } }
        return columnWeights.map { width * $0 / total }
    }

    /// The number of leading rows marked `.header`.
    public var headerRowCount: Int { rows.prefix { $0.role == .header }.count }
}

/// A piece of a document, in reading order.
public enum Block: Hashable, Sendable {
    case paragraph(Paragraph)
    case table(Table)
}

/// A whole official document: page set-up, its blocks, and what the renderers need to
/// know about it. Builders in `OfficialDocuments` make these; `render(_:as:)` writes them.
public struct Document: Hashable, Sendable {
    public var kind: DocumentKind
    /// The document's title for file properties ("Biểu tổng hợp …").
    public var title: String
    /// The date written in file properties and ZIP entries, so output is reproducible.
    public var date: CalendarDay
    public var page: PageSetup
    public var blocks: [Block]
    /// Arabic page numbers centred in the top margin, from page 2 on.
    public var pageNumbers: Bool

    public init(kind: DocumentKind, title: String, date: CalendarDay, page: PageSetup = .a4Portrait,
                blocks: [Block], pageNumbers: Bool = true) {
        self.kind = kind
        self.title = title.precomposedStringWithCanonicalMapping
        self.date = date
        self.page = page
        self.blocks = blocks
        self.pageNumbers = pageNumbers
    }

    /// The main data table: the first bordered table (the spreadsheet's layout follows it).
    public var mainTable: Table? {
        for case .table(let table) in blocks where table.borders { return table }
        return nil
    }
}

extension CalendarDay {
    /// 00:00 UTC of the day (clamped to what a ZIP's DOS date can hold), for ZIP entries:
    /// no clock is read while rendering, so the same input gives the same bytes.
    var stampDate: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let y = min(max(year, 1980), 2099)
        let components = isValid ? DateComponents(year: y, month: month, day: day) : DateComponents(year: y, month: 1, day: 1)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 315_532_800)
    }

    /// "2024-02-06T00:00:00Z" for document properties.
    var w3cStamp: String { isValid ? String(format: "%04d-%02d-%02dT00:00:00Z", min(max(year, 1980), 2099), month, day) : "1980-01-01T00:00:00Z" }
}
