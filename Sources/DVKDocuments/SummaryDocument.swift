import DVKCore
import Foundation

/// What the Biểu tổng hợp of one grassroots union needs (DESIGN.md §6, the letter's form).
public struct SummaryInput: Hashable, Sendable {
    /// Superior = the unit's parent as the campaign saw it ("Liên đoàn Lao động quận Long Biên"),
    /// issuer = the unit ("Công đoàn Trường THCS Gia Thụy"; see `DocumentHeader.grassrootsIssuer`).
    public var header: DocumentHeader
    /// The campaign's year: "Số lượng mô hình “Dân vận khéo” năm 2024".
    public var year: Int
    /// The movement's name inside the quotes, "Dân vận khéo" by default.
    public var movement: String
    /// The counted table; its rows are printed in their order, its note under the table.
    public var summary: Summary
    /// Who signs for the unit ("TM. BAN CHẤP HÀNH" / "CHỦ TỊCH" / name); nil leaves the place empty.
    public var signer: Signer?
    /// Nơi nhận lines, "- " added where missing; empty prints none.
    public var distribution: [String]

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", summary: Summary,
                signer: Signer? = nil, distribution: [String] = []) {
        self.header = header
        self.year = year
        self.movement = movement
        self.summary = summary
        self.signer = signer
        self.distribution = distribution
    }
}

/// One unit's line of a roll-up: its name as the campaign saw it and its four numbers, or
/// "chưa nộp" for a unit that has not handed in (not zeros, which would say "no model").
public struct UnitTallyRow: Hashable, Sendable {
    public var unitName: String
    public var tally: Tally
    public var handedIn: Bool
    /// The unit answered that it registers no model this year: "Không đăng ký", not zeros.
    public var noModel: Bool

    public init(unitName: String, tally: Tally, handedIn: Bool = true, noModel: Bool = false) {
        self.unitName = unitName
        self.tally = tally
        self.handedIn = handedIn
        self.noModel = noModel
    }
}

/// What a federation's roll-up Biểu tổng hợp needs.
public struct RollUpInput: Hashable, Sendable {
    /// Superior = the federation's own superior, issuer = the federation.
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    /// The subtree's summary (sum of its grassroots units).
    public var summary: Summary
    /// One row per unit in the tree's order, printed as a second table; empty prints none.
    public var units: [UnitTallyRow]
    public var signer: Signer?
    public var distribution: [String]
    /// When the figures were taken and how many units they cover; nil prints nothing.
    public var coverage: Coverage?

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", summary: Summary,
                units: [UnitTallyRow] = [], signer: Signer? = nil, distribution: [String] = [], coverage: Coverage? = nil) {
        self.coverage = coverage
        self.header = header
        self.year = year
        self.movement = movement
        self.summary = summary
        self.units = units
        self.signer = signer
        self.distribution = distribution
    }
}

extension OfficialDocuments {
    /// The Biểu tổng hợp of one grassroots union, as on the letter's attached form.
    public static func summary(_ input: SummaryInput) -> Document {
        let page = PageSetup.a4Portrait
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Biểu tổng hợp", subject: SummaryTable.subject(year: input.year, movement: input.movement))
        blocks += SummaryTable.blocks(input.summary)
        if input.signer != nil || !input.distribution.isEmpty {
            blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        }
        return Document(kind: .summary, title: "Biểu tổng hợp – " + input.header.issuer, date: input.header.date,
                        page: page, blocks: blocks)
    }

    /// A federation's roll-up: the same table over its subtree, then (when given) one row per unit.
    public static func rollUp(_ input: RollUpInput) -> Document {
        let page = PageSetup.a4Portrait
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Biểu tổng hợp", subject: SummaryTable.subject(year: input.year, movement: input.movement))
        if let coverage = input.coverage {
            blocks.append(.paragraph(Paragraph(coverage.sentence, italic: true, alignment: .center, size: 12, spaceAfter: 6)))
        }
        blocks += SummaryTable.blocks(input.summary)
        if !input.units.isEmpty {
            var detail = Paragraph("Chi tiết theo đơn vị", bold: true, alignment: .left, size: 14, spaceBefore: 6, spaceAfter: 6, keepWithNext: true)
            detail.outlineLevel = 2
            blocks.append(.paragraph(detail))
            let total = input.units.reduce(Tally.zero) { $0 + $1.tally }
            blocks.append(.table(SummaryTable.table(firstColumn: "Đơn vị", units: input.units, total: total)))
            // What the words in the table mean; it also goes over the page with the signature.
            var words: [String] = []
            if input.units.contains(where: { !$0.handedIn && !$0.noModel }) { words.append("“chưa nộp”: đơn vị chưa nộp hồ sơ đăng ký") }
            if input.units.contains(where: \.noModel) { words.append("“không đăng ký”: đơn vị báo không đăng ký mô hình trong năm") }
            let note = "Tổng số: \(VietnameseText.number(input.units.count)) đơn vị" + (words.isEmpty ? "." : "; " + words.joined(separator: "; ") + ".")
            blocks.append(.paragraph(Paragraph(note, italic: true, alignment: .justified, size: 12, spaceBefore: 6)))
        }
        if input.signer != nil || !input.distribution.isEmpty {
            blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        }
        return Document(kind: .rollUp, title: "Biểu tổng hợp – " + input.header.issuer, date: input.header.date,
                        page: page, blocks: blocks)
    }
}

/// The table of the Biểu tổng hợp: TT | Cấp đăng ký thực hiện | Tập thể (2) | Cá nhân (2).
enum SummaryTable {
    static let size = 13.0
    static let headerSize = 12.0

    static func subject(year: Int, movement: String) -> String {
        "Số lượng mô hình “\(VietnameseText.clean(movement))” năm \(year)"
    }

    /// The summary's table and, when the "Tổng" row counts someone twice, its note.
    static func blocks(_ summary: Summary, firstColumn: String = "Cấp đăng ký thực hiện") -> [Block] {
        var blocks: [Block] = [.table(table(firstColumn: firstColumn, rows: summary.rows.map { ($0.sector.name, $0.tally) },
                                            total: summary.total))]
        if let note = summary.note {
            blocks.append(.paragraph(Paragraph(note, italic: true, alignment: .justified, size: 12, spaceAfter: 6)))
        }
        return blocks
    }

    /// The per-unit table: a unit that has not handed in reads "chưa nộp" across its numbers,
    /// one that registers no model "không đăng ký".
    static func table(firstColumn: String, units: [UnitTallyRow], total: Tally) -> Table {
        table(firstColumn: firstColumn, rows: units.map { unit in
            (VietnameseText.clean(unit.unitName), unit.noModel ? .text("không đăng ký") : unit.handedIn ? .tally(unit.tally) : .text("chưa nộp"))
        }, total: total)
    }

    /// A row's figures, or the words that stand across them.
    enum Figures {
        case tally(Tally)
        case text(String)
    }

    static func table(firstColumn: String, rows: [(String, Tally?)], total: Tally) -> Table {
        table(firstColumn: firstColumn, rows: rows.map { ($0.0, $0.1.map(Figures.tally) ?? .text("chưa nộp")) }, total: total)
    }

    static func table(firstColumn: String, rows: [(String, Figures)], total: Tally) -> Table {
        func head(_ text: String, columnSpan: Int = 1, rowSpan: Int = 1) -> TableCell {
            TableCell([Paragraph(text, bold: true, alignment: .center, size: headerSize)], columnSpan: columnSpan, rowSpan: rowSpan)
        }
        var out: [TableRow] = [
            TableRow([head("TT", rowSpan: 2), head(firstColumn, rowSpan: 2), head("Tập thể", columnSpan: 2),
                      head("Cá nhân", columnSpan: 2)], role: .header),
            TableRow([head("Số lượng tập thể đăng ký thực hiện"), head("Số lượng mô hình được đăng ký thực hiện"),
                      head("Số lượng cá nhân đăng ký thực hiện"), head("Số lượng mô hình được đăng ký thực hiện")],
                     role: .header),
        ]
        for (index, row) in rows.enumerated() {
            var cells = [TableCell.ordinal(index + 1, size: size),
                         TableCell([Paragraph(row.0, alignment: .left, size: size)])]
            switch row.1 {
            case .tally(let tally): cells += tally.columns.map { TableCell.number($0, size: size) }
            case .text(let words): cells.append(TableCell([Paragraph(words, italic: true, alignment: .center, size: size)], columnSpan: 4))
            }
            out.append(TableRow(cells))
        }
        var totalCells = [TableCell([]), TableCell([Paragraph("Tổng:", bold: true, alignment: .left, size: size)])]
        totalCells += total.columns.map { TableCell.number($0, bold: true, size: size) }
        out.append(TableRow(totalCells, role: .total))
        return Table(columnWeights: [6, 34, 15, 15, 15, 15], rows: out, borders: true, spaceBefore: 6, spaceAfter: 6)
    }
}
