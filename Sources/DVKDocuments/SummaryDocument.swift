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
    /// A unit's row; a federation's heading over its units; its "Cộng" row.
    public enum Role: Hashable, Sendable { case unit, group, subtotal }

    public var unitName: String
    public var tally: Tally
    public var handedIn: Bool
    /// The unit answered that it registers no model this year: "Không đăng ký", not zeros.
    public var noModel: Bool
    public var role: Role

    public init(unitName: String, tally: Tally, handedIn: Bool = true, noModel: Bool = false, role: Role = .unit) {
        self.unitName = unitName
        self.tally = tally
        self.handedIn = handedIn
        self.noModel = noModel
        self.role = role
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
            let total = input.units.filter { $0.role == .unit }.reduce(Tally.zero) { $0 + $1.tally }
            blocks.append(.table(SummaryTable.table(firstColumn: "Đơn vị", units: input.units, total: total)))
            // What the words in the table mean; it also goes over the page with the signature.
            var words: [String] = []
            let units = input.units.filter { $0.role == .unit }
            if units.contains(where: { !$0.handedIn && !$0.noModel }) { words.append("“chưa nộp”: đơn vị chưa nộp hồ sơ đăng ký") }
            if units.contains(where: \.noModel) { words.append("“không đăng ký”: đơn vị báo không đăng ký mô hình trong năm") }
            let note = "Tổng số: \(VietnameseText.number(units.count)) đơn vị" + (words.isEmpty ? "." : "; " + words.joined(separator: "; ") + ".")
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
    /// one that registers no model "không đăng ký"; a federation's units sit under its name,
    /// closed by its "Cộng" row. TT numbers the units.
    static func table(firstColumn: String, units: [UnitTallyRow], total: Tally) -> Table {
        var number = 0
        let rows = units.map { unit -> Line in
            let name = VietnameseText.clean(unit.unitName)
            switch unit.role {
            case .group: return Line(number: nil, name: name, figures: .text(""), role: .group)
            case .subtotal: return Line(number: nil, name: name, figures: .tally(unit.tally), role: .subtotal)
            case .unit:
                number += 1
                return Line(number: number, name: name,
                            figures: unit.noModel ? .text("không đăng ký") : unit.handedIn ? .tally(unit.tally) : .text("chưa nộp"), role: .body)
            }
        }
        return table(firstColumn: firstColumn, lines: rows, total: total)
    }

    /// A row of a Biểu's table: its TT (none for a heading or a subtotal), name and figures.
    struct Line {
        var number: Int?
        var name: String
        var figures: Figures
        var role: RowRole
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
        table(firstColumn: firstColumn, lines: rows.enumerated().map { Line(number: $0.offset + 1, name: $0.element.0, figures: $0.element.1, role: .body) },
              total: total)
    }

    static func table(firstColumn: String, lines: [Line], total: Tally) -> Table {
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
        for line in lines {
            if line.role == .group {
                out.append(TableRow([TableCell([Paragraph(line.name, bold: true, alignment: .left, size: size)], columnSpan: 6)], role: .group))
                continue
            }
            let subtotal = line.role == .subtotal
            var cells = [line.number.map { TableCell.ordinal($0, size: size) } ?? TableCell([]),
                         TableCell([Paragraph(line.name, bold: subtotal, italic: subtotal, alignment: .left, size: size)])]
            switch line.figures {
            case .tally(let tally): cells += tally.columns.map { TableCell.number($0, bold: subtotal, size: size) }
            case .text(let words): cells.append(TableCell([Paragraph(words, italic: true, alignment: .center, size: size)], columnSpan: 4))
            }
            out.append(TableRow(cells, role: line.role))
        }
        var totalCells = [TableCell([]), TableCell([Paragraph("Tổng:", bold: true, alignment: .left, size: size)])]
        totalCells += total.columns.map { TableCell.number($0, bold: true, size: size) }
        out.append(TableRow(totalCells, role: .total))
        // TT as wide as its largest number needs ("1024" on one line); the names get the rest.
        let digits = String(lines.compactMap(\.number).max() ?? 1).count
        let tt: Double = digits >= 4 ? 9 : digits == 3 ? 7.5 : 6
        return Table(columnWeights: [tt, 40 - tt, 15, 15, 15, 15], rows: out, borders: true, spaceBefore: 6, spaceAfter: 6)
    }
}
