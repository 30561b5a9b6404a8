import Foundation

public enum CampaignState: String, Codable, Sendable, CaseIterable {
    case draft, open, closed, archived

    public var label: String {
        switch self {
        case .draft: "Bản nháp"
        case .open: "Đang mở"
        case .closed: "Đã đóng"
        case .archived: "Đã lưu trữ"
        }
    }

    /// The states a campaign may move to from this one.
    public var next: [CampaignState] {
        switch self {
        case .draft: [.open]
        case .open: [.closed]
        case .closed: [.open, .archived]
        case .archived: []
        }
    }

    /// Whether the live tree (new units, renames, moves) and the targets may be taken into
    /// the campaign again: while it is a draft or open. A closed campaign keeps the tree it
    /// was closed with, so its figures and documents stay as they were.
    public var mayResync: Bool { self == .draft || self == .open }

    /// Why a re-sync is refused in this state, or nil when it may run.
    public var resyncRefusal: String? {
        mayResync ? nil : "Đợt thi đua đang ở trạng thái “\(label)”: danh sách đơn vị được giữ nguyên như lúc đó. Đề nghị mở lại đợt trước khi thay đổi."
    }
}

/// Who signs a campaign's documents: "TM. BAN THƯỜNG VỤ" / "PHÓ CHỦ TỊCH" / the name.
public struct Signer: Hashable, Codable, Sendable {
    public var authority: String
    public var title: String
    public var name: String

    public init(authority: String, title: String, name: String) {
        self.authority = authority
        self.title = title
        self.name = name
    }
}

/// Who signs a unit's documents, at every level: the one rule every document with figures
/// asks.
/// - The campaign's issuer signs as its campaign's letter says.
/// - Any other federation signs "TM. BAN THƯỜNG VỤ" with the title and name set on its
///   unit page ("CHỦ TỊCH" and a blank line for a handwritten name when none are set).
/// - A grassroots union signs "TM. BAN CHẤP HÀNH" the same way.
public enum Signatory {
    public static let federationAuthority = "TM. BAN THƯỜNG VỤ"
    public static let grassrootsAuthority = "TM. BAN CHẤP HÀNH"
    public static let defaultTitle = "CHỦ TỊCH"

    public static func signer(kind: UnitKind, isIssuer: Bool, campaign: Signer, title: String, name: String) -> Signer {
        if isIssuer, kind == .federation { return campaign }
        let title = VietnameseText.clean(title)
        return Signer(authority: kind == .grassroots ? grassrootsAuthority : federationAuthority,
                      title: title.isEmpty ? defaultTitle : title.uppercased(), name: VietnameseText.clean(name))
    }
}

/// The campaign's side of a deadline: its instant, whether late work is taken, whether
/// the campaign is open. `Standing` applies it to a unit.
public struct DeadlinePolicy: Hashable, Sendable {
    /// "Trước ngày 16/02/2024" is strictly before 16/02/2024 00:00 +07:00.
    public var deadline: Date
    public var acceptsLate: Bool
    public var isOpen: Bool
    /// The latest instant an extension may reach (the end of the campaign's year).
    public var extensionLimit: Date?

    public init(deadline: Date, acceptsLate: Bool, isOpen: Bool = true, extensionLimit: Date? = nil) {
        self.deadline = deadline
        self.acceptsLate = acceptsLate
        self.isOpen = isOpen
        self.extensionLimit = extensionLimit
    }
}

/// A campaign's dates, checked the same way for the web form, the CLI and every store write.
public enum CampaignDates {
    /// Why a deadline cannot go with a letter's day (nil: it can): the deadline must come
    /// after the day the letter is issued begins.
    public static func problem(deadline: Date, issuedOn: CalendarDay) -> String? {
        deadline <= VietnamTime.instant(issuedOn) ? "Hạn nộp phải sau ngày ban hành công văn (\(issuedOn.vietnamese))." : nil
    }
}

/// Campaign codes, unit codes: short, printable, no spaces; used in URLs and files.
public enum Code {
    /// Words the pages use as paths beside codes (`/units/new`, `/units/import`).
    public static let reserved: Set<String> = ["new", "import", "edit"]

    public static func validate(_ code: String) -> String? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !reserved.contains(trimmed.lowercased()) else { return nil }
        guard trimmed.count <= 64,
              trimmed.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        else { return nil }
        return trimmed
    }
}
