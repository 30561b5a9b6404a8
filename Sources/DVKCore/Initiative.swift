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
