import DVKCore
import Foundation

/// A campaign as the rest of the app passes it around (a Sendable copy of the row).
struct CampaignInfo: Sendable, Equatable {
    var id: UUID
    var code: String
    var issuerID: UUID
    var year: Int
    var title: String
    var number: String
    var issuedOn: CalendarDay
    var place: String
    var subject: String
    var addressees: [String]
    var recipients: [String]
    var body: String
    var sectors: [Sector]
    var deadline: Date
    var acceptsLate: Bool
    var signer: Signer
    var state: CampaignState
    var issuerName: String
    var superiorName: String

    init(_ c: Campaign) {
        id = c.id!
        code = c.code
        issuerID = c.issuerID
        year = c.year
        title = c.title
        number = c.number
        issuedOn = CalendarDay(parsing: c.issuedOn) ?? VietnamTime.day(of: c.createdAt ?? Date())
        place = c.place
        subject = c.subject
        addressees = c.addressees.split(separator: "\n").map(String.init)
        recipients = c.recipients.split(separator: "\n").map(String.init)
        body = c.body
        sectors = c.sectors
        deadline = c.deadline
        acceptsLate = c.acceptsLate
        signer = Signer(authority: c.signerAuthority, title: c.signerTitle, name: c.signerName)
        state = c.state
        issuerName = c.issuerName
        superiorName = c.superiorName
    }

    /// The campaign's side of every unit's `Standing`; an extension may reach the end of
    /// the campaign's year.
    var policy: DeadlinePolicy {
        DeadlinePolicy(deadline: deadline, acceptsLate: acceptsLate, isOpen: state == .open,
                       extensionLimit: VietnamTime.instant(CalendarDay(year: year + 1, month: 1, day: 1)))
    }
}

/// What it takes to create a campaign; everything else has a default from the letter.
struct CampaignInput: Sendable {
    var code: String
    var issuerCode: String
    var year: Int
    var title: String?
    var number: String = ""
    var issuedOn: CalendarDay?
    var deadline: Date
    var place: String?
    var subject: String?
    var addressees: [String] = ["Ban Chấp hành công đoàn cơ sở"]
    var recipients: [String] = ["Như Kính gửi (để t/hiện);", "Lưu: VT, TG."]
    var body: String = ""
    var sectors: [Sector] = Sector.defaults
    var acceptsLate = true
    var signer = Signer(authority: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH", name: "")
    var state: CampaignState = .open
    /// Target units by id; nil means every grassroots unit under the issuer.
    var targets: Set<UUID>?
}
