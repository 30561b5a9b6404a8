import DVKCore
import Foundation
import SQLKit
import Synchronization

/// A campaign's sectors as stored (JSON), read once per distinct text: every request reads
/// its campaign, and the list changes only when staff edit it.
enum SectorList {
    private static let cache = Mutex<[TextBytesKey: [Sector]]>([:])

    static func decode(_ json: String) -> [Sector] {
        let key = TextBytesKey(json)
        if let known = cache.withLock({ $0[key] }) { return known }
        let sectors = (try? JSONDecoder().decode([Sector].self, from: Data(json.utf8))) ?? Sector.defaults
        cache.withLock { if $0.count > 1_000 { $0.removeAll() }; $0[key] = sectors }
        return sectors
    }
}

/// The parts of a campaign's row parsed from its texts (the letter's two lists, the sectors,
/// the reminders, the criteria), kept per campaign while those texts stay the same: every
/// request reads its campaign, the texts change only when staff edit it, and parsing them
/// again was half of making the campaign from its row (4 % of a unit page's samples). A hit
/// compares the texts themselves, so an edit is seen on the next read, on every server.
enum CampaignTexts {
    struct Raw: Equatable, Sendable {
        var addressees: String
        var recipients: String
        var sectors: String
        var reminderDays: String
        var reminderTime: String
        var criteria: String

        /// Byte for byte (`String.hasSameBytes`), not by `String`'s own `==`.
        static func == (a: Raw, b: Raw) -> Bool {
            a.addressees.hasSameBytes(as: b.addressees) && a.recipients.hasSameBytes(as: b.recipients)
                && a.sectors.hasSameBytes(as: b.sectors) && a.reminderDays.hasSameBytes(as: b.reminderDays)
                && a.reminderTime.hasSameBytes(as: b.reminderTime) && a.criteria.hasSameBytes(as: b.criteria)
        }

        var bytes: Int {
            addressees.utf8.count + recipients.utf8.count + sectors.utf8.count + reminderDays.utf8.count
                + reminderTime.utf8.count + criteria.utf8.count
        }
    }

    struct Parsed: Sendable {
        var addressees: [String]
        var recipients: [String]
        var sectors: [Sector]
        var reminders: ReminderSchedule
        var criteria: [String]
    }

    private struct Kept {
        var entries: [UUID: (raw: Raw, parsed: Parsed, size: Int)] = [:]
        var bytes = 0
    }

    private static let cache = Mutex(Kept())
    /// More campaigns than a database holds in use at once, and 16 MB held (staff may write
    /// long texts); past either the cache starts over. A campaign's size counts its texts
    /// twice (as read, and parsed) and 48 bytes for each line and sector parsed.
    static let capacity = 4_096
    static let byteCapacity = 16 << 20

    static func parsed(campaign id: UUID, _ raw: Raw) -> Parsed {
        if let hit = cache.withLock({ $0.entries[id] }), hit.raw == raw { return hit.parsed }
        let parsed = parse(raw)
        let size = 2 * raw.bytes + 48 * (parsed.addressees.count + parsed.recipients.count + parsed.sectors.count + parsed.criteria.count)
        // One campaign past a sixteenth of the bound is parsed every time, not kept.
        guard size <= byteCapacity / 16 else { return parsed }
        let dropped = cache.withLock { kept -> Kept? in
            var dropped: Kept?
            if let old = kept.entries[id] {
                kept.bytes -= old.size
            } else if kept.entries.count >= capacity {
                dropped = kept
                kept = Kept()
            }
            if kept.bytes + size > byteCapacity {
                dropped = kept
                kept = Kept()
            }
            kept.entries[id] = (raw, parsed, size)
            kept.bytes += size
            return dropped
        }
        // Freed here, not while readers wait on the lock.
        withExtendedLifetime(dropped) {}
        return parsed
    }

    static func parse(_ raw: Raw) -> Parsed {
        Parsed(addressees: raw.addressees.split(separator: "\n").map(String.init),
               recipients: raw.recipients.split(separator: "\n").map(String.init),
               sectors: SectorList.decode(raw.sectors),
               reminders: (try? ReminderSchedule.parse(days: raw.reminderDays, time: raw.reminderTime).get()) ?? .standard,
               criteria: ModelYear.criteria(raw.criteria))
    }
}

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
    /// The upper level's letter this campaign answers (“Công văn số 274/LĐLĐ ngày … của …”); may be empty.
    var basis: String
    var sectors: [Sector]
    var deadline: Date
    var acceptsLate: Bool
    var reminders: ReminderSchedule
    /// What a verification checks (`ModelYear.criteria`).
    var criteria: [String]
    var signer: Signer
    var state: CampaignState
    var issuerName: String
    var superiorName: String

    /// The columns `init(row:)` reads, for a query that selects them.
    static let columns = ["id", "code", "issuer_id", "year", "title", "number", "issued_on", "place", "subject", "addressees",
                          "recipients", "body", "basis", "sectors", "deadline", "accepts_late", "reminder_days", "reminder_time", "criteria", "signer_authority", "signer_title",
                          "signer_name", "state", "issuer_name", "superior_name", "created_at"]

    /// A campaign from a row with `columns` (prefixed, for joins): no model in between.
    init(row: any SQLRow, prefix: String = "") throws {
        func value<T: Decodable>(_ column: String, _ type: T.Type) throws -> T { try row.decode(column: prefix + column, as: T.self) }
        id = try value("id", UUID.self)
        code = try value("code", String.self)
        issuerID = try value("issuer_id", UUID.self)
        year = try value("year", Int.self)
        title = try value("title", String.self)
        number = try value("number", String.self)
        let created = try row.decodeNil(column: prefix + "created_at") ? nil : try value("created_at", Date.self)
        deadline = try value("deadline", Date.self)
        issuedOn = CalendarDay(parsing: try value("issued_on", String.self)) ?? VietnamTime.day(of: created ?? deadline)
        place = try value("place", String.self)
        subject = try value("subject", String.self)
        body = try value("body", String.self)
        basis = try value("basis", String.self)
        let parsed = CampaignTexts.parsed(campaign: id, CampaignTexts.Raw(
            addressees: try value("addressees", String.self), recipients: try value("recipients", String.self),
            sectors: try value("sectors", String.self), reminderDays: try value("reminder_days", String.self),
            reminderTime: try value("reminder_time", String.self), criteria: try value("criteria", String.self)))
        addressees = parsed.addressees
        recipients = parsed.recipients
        sectors = parsed.sectors
        acceptsLate = try value("accepts_late", Bool.self)
        reminders = parsed.reminders
        criteria = parsed.criteria
        signer = Signer(authority: try value("signer_authority", String.self), title: try value("signer_title", String.self),
                        name: try value("signer_name", String.self))
        state = CampaignState(rawValue: try value("state", String.self)) ?? .draft
        issuerName = try value("issuer_name", String.self)
        superiorName = try value("superior_name", String.self)
    }

    init(_ c: Campaign) {
        id = c.id!
        code = c.code
        issuerID = c.issuerID
        year = c.year
        title = c.title
        number = c.number
        issuedOn = CalendarDay(parsing: c.issuedOn) ?? VietnamTime.day(of: c.createdAt ?? c.deadline)
        place = c.place
        subject = c.subject
        let parsed = CampaignTexts.parse(CampaignTexts.Raw(addressees: c.addressees, recipients: c.recipients, sectors: c.sectorsJSON,
                                                           reminderDays: c.reminderDays, reminderTime: c.reminderTime, criteria: c.criteria))
        addressees = parsed.addressees
        recipients = parsed.recipients
        body = c.body
        basis = c.basis
        sectors = parsed.sectors
        deadline = c.deadline
        acceptsLate = c.acceptsLate
        reminders = parsed.reminders
        criteria = parsed.criteria
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

    /// What those who run it should check before units act on it (`CampaignWarning`).
    func warnings(at now: Date) -> [CampaignWarning] {
        CampaignWarning.check(body: body, deadline: deadline, now: now, draft: state == .draft, running: state == .draft || state == .open)
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
    var basis = ""
    var sectors: [Sector] = Sector.defaults
    var acceptsLate = true
    var reminders = ReminderSchedule.standard
    /// The verification's criteria, one per line; empty for the default ones.
    var criteria = ""
    var signer = Signer(authority: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH", name: "")
    var state: CampaignState = .open
    /// Target units by id; nil means every grassroots unit under the issuer.
    var targets: Set<UUID>?
}
