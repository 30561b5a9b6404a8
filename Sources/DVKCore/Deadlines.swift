import Foundation
import Synchronization

/// What a day typed into a deadline field means — the same on the web, the API and the CLI.
///
/// - The campaign's deadline keeps the letter's sense: "trước ngày 16/02/2024" is the
///   instant that day begins.
/// - An extension and a resubmit-by day mean "đến hết ngày 20/12/2026": the instant that
///   day ends (00:00 of the next day), and the day is said back as typed, never as the next
///   day's 00:00.
///
/// A day with a time ("20/12/2026 17:00", "2026-12-20T17:00:00+07:00") is that instant in
/// either sense.
public enum DeadlineInput: Sendable, Hashable {
    /// The campaign's deadline: the day named begins it.
    case beforeDay
    /// An extension or a resubmit-by day: the day named is the last one.
    case throughDay

    /// The instant `raw` names, or nil when it is no day or instant.
    public func instant(_ raw: String) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let day = CalendarDay(parsing: text) {
            return self == .beforeDay ? VietnamTime.instant(day) : VietnamTime.endOf(day)
        }
        return InstantParser.parse(text)
    }

    /// The day a stored instant shows in this field's sense: a through-day instant at 00:00
    /// shows as the day before it, the day that was typed.
    public func day(of instant: Date) -> CalendarDay {
        switch self {
        case .beforeDay: VietnamTime.day(of: instant)
        case .throughDay: ReminderSchedule.lastDay(instant)
        }
    }

    /// Reads a field, or says in Vietnamese what is wrong with it (`field` names it:
    /// "Ngày gia hạn").
    public func read(_ raw: String, field: String) -> Result<Date, DomainError> {
        guard let instant = instant(raw) else {
            return .failure(.invalid("\(field) “\(raw.trimmingCharacters(in: .whitespaces))” không hợp lệ; viết theo dạng ngày/tháng/năm, ví dụ 20/02/2024."))
        }
        return .success(instant)
    }
}

/// How every page, document, email and answer says a deadline. One home for the words.
public enum DeadlineText {
    /// The campaign's deadline as pages state it: "trước 00 giờ 00 ngày 16/02/2024 (hết ngày
    /// 15/02/2024)"; at midnight it says which day is the last one.
    public static func before(_ deadline: Date) -> String {
        let f = VietnamTime.fields(deadline)
        let day = CalendarDay(year: f.year, month: f.month, day: f.day)
        let base = "trước \(two(f.hour)) giờ \(two(f.minute)) ngày \(day.vietnamese)"
        return isMidnight(deadline) ? base + " (hết ngày \(ReminderSchedule.lastDay(deadline).vietnamese))" : base
    }

    /// An extension or a resubmit-by instant as it was typed: "đến hết ngày 20/12/2026" at
    /// midnight, "trước 17 giờ 00 ngày 20/12/2026" otherwise.
    public static func through(_ instant: Date) -> String {
        isMidnight(instant) ? "đến hết ngày \(ReminderSchedule.lastDay(instant).vietnamese)" : before(instant)
    }

    /// What happens after the deadline, in one sentence.
    public static func latePolicy(acceptsLate: Bool) -> String {
        acceptsLate ? "Sau hạn, đợt vẫn nhận hồ sơ và ghi rõ là nộp sau hạn."
            : "Sau hạn, đợt không nhận hồ sơ nữa (trừ đơn vị được gia hạn)."
    }

    /// A unit's own deadline: the campaign's in the letter's words, or its extension as granted.
    public static func unit(_ standing: Standing) -> String {
        standing.hasExtension ? through(standing.deadline) : before(standing.deadline)
    }

    /// The campaign's deadline as a letter states it: "trước 00 giờ 00 ngày 16 tháng 02 năm 2024".
    public static func letterLine(_ deadline: Date) -> String {
        let f = VietnamTime.fields(deadline)
        return "trước \(two(f.hour)) giờ \(two(f.minute)) \(CalendarDay(year: f.year, month: f.month, day: f.day).dateLine)"
    }

    /// An extension or resubmit-by instant in a letter's words: "đến hết ngày 20 tháng 12 năm 2026".
    public static func letterThrough(_ instant: Date) -> String {
        isMidnight(instant) ? "đến hết \(ReminderSchedule.lastDay(instant).dateLine)" : letterLine(instant)
    }

    /// "còn 2 ngày 3 giờ" / "đã hết hạn 5 giờ": the time to (or since) a deadline.
    public static func timeLeft(until deadline: Date, now: Date) -> String {
        // Whole seconds, clamped: no stored instant can make the arithmetic trap.
        let raw = deadline.timeIntervalSince(now)
        let seconds = raw.isFinite ? Int(max(-1e12, min(1e12, raw))) : 0
        let span = abs(seconds)
        let days = span / 86_400, hours = (span % 86_400) / 3600, minutes = (span % 3600) / 60
        var parts: [String] = []
        if days > 0 { parts.append("\(VietnameseText.number(days)) ngày") }
        if hours > 0 { parts.append("\(hours) giờ") }
        if days == 0 && minutes > 0 { parts.append("\(minutes) phút") }
        let text = parts.isEmpty ? "dưới 1 phút" : parts.joined(separator: " ")
        return seconds >= 0 ? "còn \(text)" : "đã hết hạn \(text)"
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// 00:00:00 in Vietnam: the instant a day ends, said as that day.
    static func isMidnight(_ instant: Date) -> Bool {
        let f = VietnamTime.fields(instant)
        return f.hour == 0 && f.minute == 0 && f.second == 0
    }
}

/// What a reminder to a unit says at a given moment (`Standing.reminder(at:)`): the one
/// rule for who is reminded, which instant the reminder presses, and its sentence. The
/// reminders page, the scheduled and on-demand runs and the email all ask it.
public enum Reminder: Sendable, Hashable {
    /// Handed in: nothing to remind.
    case none
    /// May no longer hand in (the campaign is not open, or the deadline passed and it takes no late work).
    case closed
    /// A first submission, before the unit's deadline.
    case due(Date)
    /// A first submission after the deadline, in a campaign that takes late work: it will be recorded late.
    case overdue(Date)
    /// Returned work, with the day the reviewer set (nil: none set), not yet reached.
    case resubmit(by: Date?)
    /// Returned work after the day the reviewer set: it will be recorded "nộp lại muộn".
    case resubmitOverdue(by: Date)

    /// A reminder goes out.
    public var isSent: Bool {
        switch self {
        case .none, .closed: false
        default: true
        }
    }

    /// The instant the reminder presses, if any.
    public var pressing: Date? {
        switch self {
        case .none, .closed: nil
        case .due(let d), .overdue(let d): d
        case .resubmit(let by): by
        case .resubmitOverdue(let by): by
        }
    }

    /// Past the instant it presses.
    public var isOverdue: Bool {
        switch self {
        case .overdue, .resubmitOverdue: true
        default: false
        }
    }

    /// The email's subject for a campaign's title.
    public func subject(_ title: String) -> String {
        switch self {
        case .overdue: "Nhắc nộp hồ sơ (đã hết hạn): \(title)"
        case .resubmit, .resubmitOverdue: "Nhắc nộp lại hồ sơ: \(title)"
        default: "Nhắc nộp hồ sơ: \(title)"
        }
    }

    /// The line that closes the reminder's facts: the time left, or what handing in now means.
    public func note(now: Date) -> (label: String, text: String)? {
        switch self {
        case .none, .closed: nil
        case .due(let d): ("Thời gian còn lại", DeadlineText.timeLeft(until: d, now: now))
        case .overdue: ("Lưu ý", "đã hết hạn nộp; đợt thi đua vẫn nhận hồ sơ, hồ sơ được ghi là nộp muộn")
        case .resubmit(let by?): ("Thời gian còn lại", DeadlineText.timeLeft(until: by, now: now))
        case .resubmit(nil): nil
        case .resubmitOverdue: ("Lưu ý", "đã quá ngày đề nghị nộp lại; hồ sơ nộp lại được ghi là nộp lại muộn")
        }
    }

    /// What the reminders page says in a unit's "Hạn" cell. The page states the campaign's
    /// deadline and the time left once, above the table, so a unit held to it reads
    /// "theo hạn chung"; only a unit's own day (an extension, a day to resubmit by) is
    /// spelled out, as typed, with the time left to it.
    public func cell(now: Date, common: Date) -> String {
        switch self {
        case .none: "đã nộp"
        case .closed: "hết hạn, không nhận hồ sơ nộp muộn"
        case .due(let d) where d == common: "theo hạn chung"
        case .overdue(let d) where d == common: "quá hạn chung; nộp lúc này được ghi là nộp muộn"
        case .due(let d): "được gia hạn \(DeadlineText.through(d)) (\(DeadlineText.timeLeft(until: d, now: now)))"
        case .overdue(let d): "quá hạn được gia hạn (\(DeadlineText.through(d))); nộp lúc này được ghi là nộp muộn"
        case .resubmit(let by?): "nộp lại \(DeadlineText.through(by)) (\(DeadlineText.timeLeft(until: by, now: now)))"
        case .resubmitOverdue(let by): "quá ngày nộp lại (\(DeadlineText.through(by))); nộp lại lúc này được ghi là nộp lại muộn"
        case .resubmit(nil): "nộp lại: không ấn định ngày"
        }
    }
}

extension Standing {
    /// The unit was granted its own deadline.
    public var hasExtension: Bool { extendedUntil.map { $0 > policy.deadline } ?? false }

    /// Whether a reminder goes to the unit at `now`, and what it presses. A returned unit is
    /// reminded of the day its reviewer set, never told it is late: its lateness was fixed
    /// by its first submission.
    public func reminder(at now: Date) -> Reminder {
        guard !phase.isSubmitted else { return .none }
        guard maySubmit(at: now) else { return .closed }
        if status == .returned {
            guard let by = resubmitBy else { return .resubmit(by: nil) }
            return now >= by ? .resubmitOverdue(by: by) : .resubmit(by: by)
        }
        return wouldBeLate(at: now) ? .overdue(deadline) : .due(deadline)
    }
}

/// What the campaign form warns of (it refuses nothing): a draft whose deadline is already
/// past (opened, every unit would be late from its first day), and a letter whose text names a deadline day other than the
/// deadline DVK holds the units to. The letter's text is the clerk's own words; DVK counts
/// and reminds by the deadline field, so the two must say the same day.
public enum CampaignWarning: Hashable, Sendable {
    /// The deadline is at or before now.
    case deadlinePast(Date)
    /// A sentence of the letter about the deadline names `day`, which is neither the
    /// deadline's day ("trước ngày 16/02") nor its last day ("đến hết ngày 15/02").
    case letterNamesAnotherDay(CalendarDay, deadline: Date)

    public var isDeadlinePast: Bool {
        if case .deadlinePast = self { true } else { false }
    }

    public var message: String {
        switch self {
        case .deadlinePast(let deadline):
            "Hạn nộp (\(DeadlineText.before(deadline))) đã qua: nếu mở đợt lúc này, đơn vị chỉ nộp được khi đợt nhận hồ sơ nộp muộn, và mọi hồ sơ sẽ bị ghi là nộp muộn. Hãy kiểm tra lại ngày hạn nộp trước khi mở đợt."
        case .letterNamesAnotherDay(let day, let deadline):
            "Nội dung công văn nhắc đến hạn ngày \(day.vietnamese), khác hạn nộp của đợt (\(DeadlineText.before(deadline))). Hệ thống tính hạn, nhắc hạn và ghi nộp muộn theo ô “Hạn nộp”: hãy sửa cho hai nơi khớp nhau."
        }
    }

    /// The warnings for a campaign's letter text and deadline at `now`. `draft`: not opened
    /// yet (an open campaign past its deadline is in its late period, which pages say);
    /// `running`: a draft or open (a closed or archived one has its letter behind it).
    public static func check(body: String, deadline: Date, now: Date, draft: Bool, running: Bool) -> [CampaignWarning] {
        var out: [CampaignWarning] = []
        if draft, deadline <= now { out.append(.deadlinePast(deadline)) }
        guard running else { return out }
        let allowed: Set<CalendarDay> = [VietnamTime.day(of: deadline), ReminderSchedule.lastDay(deadline)]
        var seen: Set<CalendarDay> = []
        for day in deadlineDays(in: body) where !allowed.contains(day) && seen.insert(day).inserted {
            out.append(.letterNamesAnotherDay(day, deadline: deadline))
        }
        return out
    }

    /// The days named in the sentences of `text` that speak of a deadline ("hạn nộp",
    /// "trước ngày", "chậm nhất", "hết ngày", …): "16/02/2024", "16-02-2024" or "ngày 16 tháng 02 năm
    /// 2024". Reads at most the 20,000 characters a letter's text may hold.
    public static func deadlineDays(in text: String) -> [CalendarDay] {
        // A campaign's letter is read on every page that shows its warnings, and changes
        // only when it is edited: its days are kept (the regular expressions were a sixth
        // of the dashboard's time), at most 256 letters.
        if let known = readDays.withLock({ $0[TextBytesKey(text)] }) { return known }
        let days = readDeadlineDays(text)
        readDays.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }
            cache[TextBytesKey(text)] = days
        }
        return days
    }

    private static let readDays = Mutex<[TextBytesKey: [CalendarDay]]>([:])

    private static func readDeadlineDays(_ text: String) -> [CalendarDay] {
        let cues = ["hạn nộp", "thời hạn", "hạn chót", "hạn đăng ký", "trước ngày", "chậm nhất", "hết ngày"]
        var days: [CalendarDay] = []
        // Paragraphs and clauses: a letter's deadline sentence is a line or a ";"-item.
        let sentences = String(text.prefix(20_000)).split(whereSeparator: { $0 == ";" || $0 == "\n" })
        let numeric = /(?:^|[^0-9])([0-9]{1,2})[\/\-]([0-9]{1,2})[\/\-]([0-9]{4})(?![0-9])/
        let spelled = /ngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})/
        for sentence in sentences {
            let lower = sentence.lowercased()
            guard cues.contains(where: { lower.contains($0) }) else { continue }
            for match in lower.matches(of: numeric) {
                let day = CalendarDay(year: Int(match.output.3) ?? 0, month: Int(match.output.2) ?? 0, day: Int(match.output.1) ?? 0)
                if day.isValid { days.append(day) }
            }
            for match in lower.matches(of: spelled) {
                let day = CalendarDay(year: Int(match.output.3) ?? 0, month: Int(match.output.2) ?? 0, day: Int(match.output.1) ?? 0)
                if day.isValid { days.append(day) }
            }
        }
        return days
    }
}
