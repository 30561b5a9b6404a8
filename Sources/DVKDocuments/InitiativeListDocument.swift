import DVKCore
import Foundation

/// One sector's initiatives inside a unit, in the order to print.
public struct InitiativeListSector: Hashable, Sendable {
    /// The sector's name as printed, e.g. "Lĩnh vực kinh tế".
    public var sectorName: String
    public var initiatives: [InitiativeDraft]

    public init(sectorName: String, initiatives: [InitiativeDraft]) {
        self.sectorName = sectorName
        self.initiatives = initiatives
    }
}

/// One unit's part of the detailed list.
public struct InitiativeListUnit: Hashable, Sendable {
    /// The unit's name as the campaign saw it, e.g. "Công đoàn Trường THCS Gia Thụy".
    public var unitName: String
    public var sectors: [InitiativeListSector]

    public init(unitName: String, sectors: [InitiativeListSector]) {
        self.unitName = unitName
        self.sectors = sectors
    }
}

/// What the detailed list of registered initiatives needs.
public struct InitiativeListInput: Hashable, Sendable {
    public var header: DocumentHeader
    public var year: Int
    public var movement: String
    /// Units in the tree's order, each with its sectors in the campaign's order.
    public var units: [InitiativeListUnit]
    public var signer: Signer?
    /// Landscape A4 (allowed for a wide table); portrait when false.
    public var landscape: Bool

    public init(header: DocumentHeader, year: Int, movement: String = "Dân vận khéo", units: [InitiativeListUnit],
                signer: Signer? = nil, landscape: Bool = true) {
        self.header = header
        self.year = year
        self.movement = movement
        self.units = units
        self.signer = signer
        self.landscape = landscape
    }

    /// The number of initiatives listed.
    public var count: Int { units.reduce(0) { $0 + $1.sectors.reduce(0) { $0 + $1.initiatives.count } } }
}

extension OfficialDocuments {
    /// The detailed list: a unit heading row, then a sector heading row, then one row per
    /// initiative numbered 1…n over the whole list; the header row repeats on every page.
    public static func initiativeList(_ input: InitiativeListInput) -> Document {
        let page = input.landscape ? PageSetup.a4Landscape : PageSetup.a4Portrait
        let size = 12.0
        var blocks: [Block] = [Layout.headerBands(input.header, page: page)]
        blocks += Layout.title("Danh sách",
                               subject: "Mô hình “\(VietnameseText.clean(input.movement))” đăng ký thực hiện năm \(input.year)")
        func head(_ text: String) -> TableCell {
            TableCell([Paragraph(text, bold: true, alignment: .center, size: size)])
        }
        func cell(_ text: String, alignment: Alignment = .left, bold: Bool = false) -> TableCell {
            let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: true)
            let paragraphs = lines.isEmpty ? [Paragraph("", alignment: alignment, size: size)]
                : lines.map { Paragraph(VietnameseText.clean(String($0)), bold: bold, alignment: alignment, size: size) }
            return TableCell(paragraphs, verticalAlignment: .top)
        }
        var rows: [TableRow] = [
            TableRow([head("TT"), head("Tập thể/ Cá nhân"), head("Tên tập thể/cá nhân đăng ký"), head("Tên mô hình"),
                      head("Thời gian thực hiện"), head("Kết quả dự kiến")], role: .header),
        ]
        var number = 0
        for unit in input.units {
            rows.append(TableRow([TableCell([Paragraph(VietnameseText.clean(unit.unitName), bold: true, alignment: .left, size: size)],
                                            columnSpan: 6)], role: .group))
            for sector in unit.sectors where !sector.initiatives.isEmpty {
                rows.append(TableRow([TableCell([Paragraph(VietnameseText.clean(sector.sectorName), bold: true, italic: true,
                                                           alignment: .left, size: size)], columnSpan: 6)], role: .group, level: 1))
                for initiative in sector.initiatives {
                    number += 1
                    var registrant = initiative.registrantName
                    if initiative.kind == .individual, !initiative.registrantTitle.isEmpty {
                        registrant += "\n" + initiative.registrantTitle
                    }
                    rows.append(TableRow([
                        TableCell.ordinal(number, size: size, verticalAlignment: .top),
                        cell(initiative.kind.label, alignment: .center),
                        cell(registrant),
                        cell(initiative.title),
                        cell(initiative.timeFrame, alignment: .center),
                        cell(initiative.expectedResult),
                    ]))
                }
            }
        }
        if number == 0 {
            rows.append(TableRow([TableCell([Paragraph("Chưa có mô hình nào được đăng ký.", italic: true, alignment: .center, size: size)],
                                            columnSpan: 6)]))
        }
        blocks.append(.table(Table(columnWeights: [5, 9, 20, 26, 13, 27], rows: rows, borders: true, spaceBefore: 6, spaceAfter: 6)))
        blocks.append(.paragraph(Paragraph("Tổng số: \(VietnameseText.number(number)) mô hình.", bold: true, alignment: .left, size: 13, spaceAfter: 6)))
        if let signer = input.signer { blocks.append(Layout.signature(signer, distribution: [])) }
        return Document(kind: .initiativeList, title: "Danh sách mô hình đăng ký – " + input.header.issuer,
                        date: input.header.date, page: page, blocks: blocks)
    }
}
