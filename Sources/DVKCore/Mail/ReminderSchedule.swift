import Foundation

/// When a campaign reminds the units that have not handed in: on given days counted from
/// the last day to hand in (7 = a week before it, 0 = the last day, -1 = the day after),
/// at one time of day in Vietnam. The default is the one the issue of the federations
/// asked for: 7, 3 and 1 days before and the day after, at 08:00.
public struct ReminderSchedule: Sendable, Equatable {
    /// Days before the last day, largest first; negative ones are after it.
    public var days: [Int]
    public var hour: Int
    public var minute: Int

    public static let standard = ReminderSchedule(days: [7, 3, 1, -1], hour: 8, minute: 0)
    public static let dayRange = -30...120

    public init(days: [Int], hour: Int, minute: Int) {
        self.days = Array(Set(days)).sorted(by: >)
        self.hour = hour
        self.minute = minute
    }

    /// Parses "7, 3, 1, -1" and "08:00" as staff type them; nil with a Vietnamese reason otherwise.
    public static func parse(days text: String, time: String) -> Result<ReminderSchedule, DomainError> {
        var days: [Int] = []
        for raw in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }) {
            guard let n = Int(raw), dayRange.contains(n) else {
                return .failure(.invalid("Lịch nhắc: “\(raw)” không phải một số ngày từ \(dayRange.lowerBound) đến \(dayRange.upperBound) (ví dụ: 7, 3, 1, -1)."))
            }
            days.append(n)
        }
        // Trimmed of spaces and tabs as `.whitespaces` trims (Foundation's character set was
        // most of the parse, made for every campaign a page reads): its set is the spaces
        // (category Zs), the tab and U+200B, the zero-width space.
        func blank(_ c: Character) -> Bool {
            guard c.unicodeScalars.count == 1, let scalar = c.unicodeScalars.first else { return false }
            return scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        var trimmed = Substring(time)
        while let first = trimmed.first, blank(first) { trimmed.removeFirst() }
        while let last = trimmed.last, blank(last) { trimmed.removeLast() }
        let parts = trimmed.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else {
            return .failure(.invalid("Giờ gửi thư nhắc “\(time)” không hợp lệ (giờ:phút, 24 giờ, ví dụ 08:00)."))
        }
        return .success(ReminderSchedule(days: days, hour: h, minute: m))
    }

    /// "08:00, 7, 3 và 1 ngày trước hạn và 1 ngày sau hạn": the schedule as a page says it.
    public var sentence: String {
        func list(_ numbers: [Int]) -> String {
            let words = numbers.map(String.init)
            return words.count > 1 ? words.dropLast().joined(separator: ", ") + " và " + words.last! : words.joined()
        }
        let before = days.filter { $0 > 0 }, after = days.filter { $0 < 0 }.map { -$0 }.sorted()
        var parts: [String] = []
        if !before.isEmpty { parts.append("\(list(before)) ngày trước hạn") }
        if days.contains(0) { parts.append("ngày cuối cùng của hạn") }
        if !after.isEmpty { parts.append("\(list(after)) ngày sau hạn") }
        guard !parts.isEmpty else { return "Không gửi thư nhắc tự động" }
        return "Lúc \(timeText), " + parts.joined(separator: "; ")
    }

    /// "7, 3, 1, -1"
    public var daysText: String { days.map(String.init).joined(separator: ", ") }
    /// "08:00"
    public var timeText: String { "\(CalendarDay.padded(hour, 2)):\(CalendarDay.padded(minute, 2))" }

    /// The last day to hand in: the day the deadline instant ends (a deadline of 00:00 on
    /// 16/02 makes 15/02 the last day).
    public static func lastDay(_ deadline: Date) -> CalendarDay {
        VietnamTime.day(of: deadline.addingTimeInterval(-1))
    }

    /// Every instant the schedule sends at, earliest first.
    public func times(deadline: Date) -> [(days: Int, at: Date)] {
        let last = VietnamTime.instant(Self.lastDay(deadline))
        return days.map { n in
            let day = VietnamTime.day(of: last.addingTimeInterval(TimeInterval(-n * 86_400 + 12 * 3600)))
            return (n, VietnamTime.instant(day, hour: hour, minute: minute))
        }.sorted { $0.at < $1.at }
    }

    /// The run due at `now`: the latest sending time already reached on the same Vietnam
    /// day (a server that was down at 08:00 still sends at 10:00, but not the next day).
    public func due(deadline: Date, now: Date) -> (days: Int, at: Date)? {
        let today = VietnamTime.day(of: now)
        return times(deadline: deadline).last { $0.at <= now && VietnamTime.day(of: $0.at) == today }
    }
}
