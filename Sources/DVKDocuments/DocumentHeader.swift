import DVKCore
import Foundation

/// The header every official document shares (DOCUMENT-FORMAT.md, ô 1–4): the issuing
/// body under its direct superior, the number, the place and date, and whether the
/// Quốc hiệu and Tiêu ngữ are printed.
public struct DocumentHeader: Hashable, Sendable {
    /// The direct superior as the campaign saw it, e.g. "LĐLĐ Thành phố Hà Nội" (printed upper case).
    public var superior: String
    /// The issuing body as written in sentences, e.g. "Liên đoàn Lao động quận Long Biên"
    /// or "Công đoàn Trường THCS Gia Thụy" (printed upper case and bold in the header).
    public var issuer: String
    /// Number and symbol without "Số:", e.g. "26/LĐLĐ", "05/BC-LĐLĐ"; nil or empty prints no "Số:" line.
    public var number: String?
    /// The place of the date line, e.g. "Long Biên".
    public var place: String
    public var date: CalendarDay
    /// Print "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" (QĐ 933/QĐ-TLĐ);
    /// a per-installation choice, on by default.
    public var showsNationalMotto: Bool

    public init(superior: String, issuer: String, number: String? = nil, place: String, date: CalendarDay,
                showsNationalMotto: Bool = true) {
        self.superior = VietnameseText.clean(superior)
        self.issuer = VietnameseText.clean(issuer)
        self.number = number.map(VietnameseText.clean)
        self.place = VietnameseText.clean(place)
        self.date = date
        self.showsNationalMotto = showsNationalMotto
    }

    /// "Công đoàn <unit>" for a grassroots unit, unless the name already says "Công đoàn".
    public static func grassrootsIssuer(unitName: String) -> String {
        let name = VietnameseText.clean(unitName)
        let key = VietnameseText.searchKey(name)
        // "Công đoàn …", "Công đoàn cơ sở …", "CĐCS …", "CĐ …" already say it.
        let says = ["cong doan ", "cdcs ", "cd "].contains { key.hasPrefix($0) } || key == "cong doan"
        return says ? name : "Công đoàn " + name
    }

    /// The abbreviation a union writes after a document's kind in its numbers ("05/BC-LĐLĐ",
    /// "12/QĐ-CĐN"): the one its own letter uses when it wrote one ("26/LĐLĐ", "15/CV-CĐN",
    /// "274/LĐLĐ-TG" — the issuer, not the drafting office after it), else the usual one for
    /// the kind of union its name says.
    public static func symbol(unitName: String, ownLetter: String? = nil) -> String {
        if let letter = ownLetter, let slash = letter.firstIndex(of: "/") {
            let kinds: Set<String> = ["CV", "BC", "KH", "QĐ", "HD", "HĐ", "TB", "TTR", "CT", "NQ"]
            let parts = letter[letter.index(after: slash)...].split(separator: "-").map { VietnameseText.clean(String($0)) }
            let issuer = parts.first { !$0.isEmpty && !kinds.contains($0.uppercased()) } ?? ""
            if !issuer.isEmpty, issuer.count <= 12, !issuer.contains(" ") { return issuer }
        }
        let key = VietnameseText.searchKey(unitName)
        let kinds: [(String, String)] = [
            ("lien doan lao dong", "LĐLĐ"), ("ldld", "LĐLĐ"), ("cong doan nganh", "CĐN"), ("cong doan vien chuc", "CĐVC"),
            ("cong doan cac khu cong nghiep", "CĐKCN"), ("cong doan khu cong nghiep", "CĐKCN"), ("cong doan tong cong ty", "CĐTCT"),
            ("cong doan tap doan", "CĐTĐ"), ("cong doan co so", "CĐCS"), ("cdcs", "CĐCS"),
        ]
        return kinds.first { key.hasPrefix($0.0) }?.1 ?? "CĐ"
    }

    /// "Long Biên, ngày 06 tháng 02 năm 2024"
    public var placeAndDate: String { date.placeAndDate(place) }
}

/// The pieces of layout the official documents share.
enum Layout {
    static let vietnamese = Locale(identifier: "vi_VN")
    static let quocHieu = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    static let tieuNgu = "Độc lập - Tự do - Hạnh phúc"
    /// 1.27 cm, the body's first-line indent.
    static let indent = 36.0

    static func upper(_ text: String) -> String { text.uppercased(with: vietnamese) }

    /// The borderless two-column header (about 45 % / 55 %): superior and issuer over
    /// "Số:" and the V/v on the left; Quốc hiệu and Tiêu ngữ over the date line on the
    /// right, the two second rows level with each other.
    static func headerBands(_ header: DocumentHeader, subject: String? = nil, page: PageSetup) -> Block {
        let weights = [43.0, 57.0]
        let padding = 2.0
        let outset = mm(10)
        let leftWidth = (page.contentWidth + outset) * 0.43 - 2 * padding
        let rightWidth = (page.contentWidth + outset) * 0.57 - 2 * padding
        var left: [Paragraph] = []
        if !header.superior.isEmpty { left.append(Paragraph(upper(header.superior), alignment: .center, size: 13)) }
        let issuer = upper(header.issuer)
        // The line under the issuing body: 1/3–1/2 of the text's length (here 40 %).
        let issuerWidth = min(TextMetrics.width(issuer, size: 13, bold: true), leftWidth)
        left.append(Paragraph(issuer, bold: true, alignment: .center, size: 13, ruleBelow: max(30, issuerWidth * 0.4)))
        var right: [Paragraph] = []
        if header.showsNationalMotto {
            right.append(Paragraph(quocHieu, bold: true, alignment: .center, size: 13))
            let mottoWidth = min(TextMetrics.width(tieuNgu, size: 14, bold: true), rightWidth)
            right.append(Paragraph(tieuNgu, bold: true, alignment: .center, size: 14, ruleBelow: mottoWidth))
        }
        var second: [Paragraph] = []
        if let number = header.number, !number.isEmpty {
            second.append(Paragraph("Số: " + number, alignment: .center, size: 13, spaceBefore: 6))
        }
        if let subject, !subject.isEmpty {
            second.append(Paragraph(keepingQuotesWhole(subject), alignment: .center, size: 13, spaceBefore: second.isEmpty ? 6 : 0))
        }
        let date = Paragraph(header.placeAndDate, italic: true, alignment: .center, size: 14, spaceBefore: 6)
        let rows = [
            TableRow([TableCell(left, verticalAlignment: .top), TableCell(right, verticalAlignment: .top)]),
            TableRow([TableCell(second, verticalAlignment: .top), TableCell([date], verticalAlignment: .top)]),
        ]
        return .table(Table(columnWeights: weights, rows: rows, borders: false, keepTogether: true,
                            cellPadding: padding, spaceAfter: 6, outset: outset))
    }

    /// A line that breaks only between words outside quotes: the spaces of a short quoted
    /// name (“Dân vận khéo”) become no-break spaces, so it is never split over two lines.
    static func keepingQuotesWhole(_ text: String) -> String {
        var out = ""
        var quoted: String?
        for character in text {
            if var inside = quoted {
                inside.append(character)
                if character == "”" || character == "\"" {
                    // A long quotation may still break: only a name stays whole.
                    out += inside.count <= 40 ? inside.replacingOccurrences(of: " ", with: "\u{00A0}") : inside
                    quoted = nil
                } else {
                    quoted = inside
                }
            } else if character == "“" || character == "\"" {
                quoted = String(character)
            } else {
                out.append(character)
            }
        }
        return out + (quoted ?? "")
    }

    /// Tên loại ("BIỂU TỔNG HỢP") and its trích yếu with a short line under it.
    static func title(_ kind: String, subject: String?) -> [Block] {
        var blocks: [Block] = []
        var name = Paragraph(upper(kind), bold: true, alignment: .center, size: 14, spaceBefore: 12, keepWithNext: true)
        name.outlineLevel = 1
        blocks.append(.paragraph(name))
        if let subject, !subject.isEmpty {
            let width = TextMetrics.width(subject, size: 14, bold: true)
            blocks.append(.paragraph(Paragraph(subject, bold: true, alignment: .center, size: 14, spaceAfter: 6,
                                               keepWithNext: true, ruleBelow: max(40, min(width, 300) / 3))))
        }
        return blocks
    }

    /// A body paragraph: 14 pt, justified, 1.27 cm first-line indent, 6 pt after.
    static func body(_ runs: [Run]) -> Paragraph {
        Paragraph(runs, alignment: .justified, size: 14, firstLineIndent: indent, spaceAfter: 6)
    }

    static func body(_ text: String, bold: Bool = false, italic: Bool = false) -> Paragraph {
        body([Run(text, bold: bold, italic: italic)])
    }

    /// "Kính gửi: X" on one line, or "Kính gửi:" beside a list "- A;" … "- Z.".
    static func recipients(_ recipients: [String]) -> [Block] {
        let names = recipients.map(VietnameseText.clean).filter { !$0.isEmpty }
        guard !names.isEmpty else { return [] }
        if names.count == 1 {
            return [.paragraph(Paragraph([Run("Kính gửi: "), Run(names[0])], alignment: .center, size: 14,
                                         spaceBefore: 6, spaceAfter: 6))]
        }
        let list = names.enumerated().map { index, name -> Paragraph in
            var line = name
            while let last = line.last, ";.,".contains(last) { line.removeLast() }
            return Paragraph("- " + line + (index == names.count - 1 ? "." : ";"), alignment: .left, size: 14)
        }
        let table = Table(columnWeights: [35, 65], rows: [
            TableRow([TableCell([Paragraph("Kính gửi:", alignment: .right, size: 14)], verticalAlignment: .top),
                      TableCell(list, verticalAlignment: .top)]),
        ], borders: false, keepTogether: true, cellPadding: 2, spaceBefore: 6, spaceAfter: 6)
        return [.table(table)]
    }

    /// The signature block: "Nơi nhận:" and its list on the left (level with the
    /// authority), the authority, title, a gap for signature and seal, and the name on
    /// the right. `left` replaces Nơi nhận with a second signature (a registration form).
    static func signature(_ signer: Signer?, distribution: [String], left: [Paragraph]? = nil) -> Block {
        var leftParagraphs: [Paragraph] = []
        if let left {
            leftParagraphs = left
        } else if !distribution.isEmpty {
            leftParagraphs.append(Paragraph([Run("Nơi nhận:", bold: true, italic: true)], alignment: .left, size: 12))
            for item in distribution {
                let text = VietnameseText.clean(item)
                guard !text.isEmpty else { continue }
                leftParagraphs.append(Paragraph(text.hasPrefix("-") ? text : "- " + text, alignment: .left, size: 11))
            }
        }
        var right: [Paragraph] = []
        if let signer {
            right = signatureParagraphs(authority: signer.authority, title: signer.title, name: signer.name)
        }
        return .table(Table(columnWeights: [45, 55], rows: [
            TableRow([TableCell(leftParagraphs, verticalAlignment: .top), TableCell(right, verticalAlignment: .top)]),
        ], borders: false, keepTogether: true, cellPadding: 2, spaceBefore: 12, spaceAfter: 0))
    }

    /// Authority and title upper case bold 14 pt, then the name after a signing gap.
    static func signatureParagraphs(authority: String, title: String, name: String) -> [Paragraph] {
        var out: [Paragraph] = []
        for line in [authority, title] {
            let clean = VietnameseText.clean(line)
            if !clean.isEmpty { out.append(Paragraph(upper(clean), bold: true, alignment: .center, size: 14)) }
        }
        let signer = VietnameseText.clean(name)
        // About 3 cm for the signature and the seal.
        out.append(Paragraph(signer.isEmpty ? " " : signer, bold: true, alignment: .center, size: 14, spaceBefore: 80))
        return out
    }

    /// "- " items of Nơi nhận, cleaned.
    static func distributionLines(_ items: [String]) -> [String] {
        items.map(VietnameseText.clean).filter { !$0.isEmpty }
    }
}
