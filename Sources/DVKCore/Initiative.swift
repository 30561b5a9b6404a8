import Foundation

/// One mô hình as entered on the registration form (DESIGN.md §5), before it is stored.
public struct InitiativeDraft: Hashable, Codable, Sendable {
    public var kind: RegistrantKind
    public var registrantName: String
    /// An individual's position or title ("Chủ tịch CĐCS", "Giáo viên").
    public var registrantTitle: String
    public var sectorCode: String
    public var title: String
    public var purpose: String
    public var content: String
    public var scope: String
    public var startDate: CalendarDay?
    public var endDate: CalendarDay?
    public var expectedResult: String
    public var personInCharge: String
    public var continuity: Continuity

    public init(kind: RegistrantKind, registrantName: String, registrantTitle: String = "", sectorCode: String,
                title: String, purpose: String = "", content: String = "", scope: String = "",
                startDate: CalendarDay? = nil, endDate: CalendarDay? = nil, expectedResult: String = "",
                personInCharge: String = "", continuity: Continuity = .new) {
        self.kind = kind
        self.registrantName = VietnameseText.clean(registrantName)
        self.registrantTitle = VietnameseText.clean(registrantTitle)
        self.sectorCode = sectorCode
        self.title = VietnameseText.clean(title)
        self.purpose = purpose
        self.content = content
        self.scope = scope
        self.startDate = startDate
        self.endDate = endDate
        self.expectedResult = expectedResult
        self.personInCharge = VietnameseText.clean(personInCharge)
        self.continuity = continuity
    }

    public var registrantKey: String { VietnameseText.nameKey(registrantName) }
    public var titleKey: String { VietnameseText.nameKey(title) }

    /// "02/2024 – 12/2024" style time frame for documents.
    public var timeFrame: String {
        switch (startDate, endDate) {
        case let (s?, e?): "\(s.vietnamese) – \(e.vietnamese)"
        case let (s?, nil): "Từ \(s.vietnamese)"
        case let (nil, e?): "Đến \(e.vietnamese)"
        default: ""
        }
    }
}

/// What makes two imported rows the same initiative: (unit, kind, registrant, sector, title),
/// names compared by `VietnameseText.nameKey`.
public struct InitiativeKey: Hashable, Sendable {
    public var unitID: UUID
    public var kind: RegistrantKind
    public var registrantKey: String
    public var sectorCode: String
    public var titleKey: String

    public init(unitID: UUID, kind: RegistrantKind, registrantKey: String, sectorCode: String, titleKey: String) {
        self.unitID = unitID
        self.kind = kind
        self.registrantKey = registrantKey
        self.sectorCode = sectorCode
        self.titleKey = titleKey
    }
}

/// The "Người phụ trách" field as one text ("Nguyễn Văn An, Tổ trưởng công đoàn"), read as
/// a name and a title apart, so a collective's signature prints the title over the gap and
/// the name under it, never a title where the name goes.
public enum PersonInCharge {
    /// Words a title starts with, in lower case.
    /// Not "phó" alone: it is also a family name (Phó Đức An).
    static let titles = ["chủ tịch", "phó chủ tịch", "tổ trưởng", "tổ phó", "trưởng phòng", "trưởng khoa", "trưởng ban", "phó ban",
                         "phó trưởng", "phó giám đốc", "phó hiệu trưởng", "giám đốc", "hiệu trưởng", "bí thư", "phó bí thư",
                         "ủy viên", "uỷ viên", "cán bộ", "giáo viên", "nhân viên", "công nhân", "kế toán", "thư ký", "đại diện",
                         "ban chấp hành", "ban chỉ đạo", "chi hội", "đoàn viên"]

    static func isTitle(_ text: String) -> Bool {
        let lower = VietnameseText.clean(text).lowercased()
        return titles.contains { lower == $0 || lower.hasPrefix($0 + " ") }
    }

    /// (name, title): split at the first ",", " – " or " - "; the part that reads as a title
    /// is the title. One part only: a title when it reads as one (the name is then left to
    /// write by hand), else a name.
    public static func split(_ text: String) -> (name: String, title: String) {
        let clean = VietnameseText.clean(String(text.prefix(500)))
        for separator in [",", " – ", " - ", " — "] {
            guard let range = clean.range(of: separator) else { continue }
            let first = VietnameseText.clean(String(clean[..<range.lowerBound]))
            let rest = VietnameseText.clean(String(clean[range.upperBound...]))
            if isTitle(first), !isTitle(rest) { return (rest, first) }
            return (first, rest)
        }
        return isTitle(clean) ? ("", clean) : (clean, "")
    }
}
