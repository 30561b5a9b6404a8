import Foundation

/// Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving since 1975).
/// A fixed offset, so results never depend on the server's zone or its tz database.
public enum VietnamTime {
    public static let zone = TimeZone(secondsFromGMT: 7 * 3600)!

    public static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The instant of 00:00 (or `hour:minute`) of a calendar day in Vietnam.
    public static func instant(_ day: CalendarDay, hour: Int = 0, minute: Int = 0) -> Date {
        let seconds = days(fromCivil: day) * 86_400 + hour * 3600 + minute * 60 - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Vietnam's offset from UTC, in seconds (UTC+7, no daylight saving).
    public static let offsetSeconds = 7 * 3600
    private static let offset = offsetSeconds

    /// Year, month, day, hour, minute, second of an instant in Vietnam: plain arithmetic on
    /// the fixed offset (Foundation's calendar is slow, and every API answer writes times).
    public static func fields(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
    }

    /// Days from 1970-01-01 to a civil date.
    static func days(fromCivil day: CalendarDay) -> Int {
        let y = day.month <= 2 ? day.year - 1 : day.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = day.month > 2 ? day.month - 3 : day.month + 9
        let doy = (153 * mp + 2) / 5 + day.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The end of a day in Vietnam: 00:00 of the next day ("by 20/02" = before 21/02 00:00).
    public static func endOf(_ day: CalendarDay) -> Date {
        instant(day).addingTimeInterval(86_400)
    }

    /// The calendar day an instant falls on in Vietnam.
    public static func day(of date: Date) -> CalendarDay {
        let f = fields(date)
        return CalendarDay(year: f.year, month: f.month, day: f.day)
    }

    /// "19:00 ngày 13/02/2024": an instant as people say it, the time first, in Vietnam time
    /// (which every date the app prints is; no one writes the zone).
    public static func describe(_ date: Date) -> String {
        let f = fields(date)
        return "\(two(f.hour)):\(two(f.minute)) ngày \(two(f.day))/\(two(f.month))/\(four(f.year))"
    }

    /// ISO 8601 with the +07:00 offset, e.g. "2024-02-16T00:00:00+07:00".
    public static func iso(_ date: Date) -> String {
        let f = fields(date)
        guard (0...9_999).contains(f.year) else {
            return "\(four(f.year))-\(two(f.month))-\(two(f.day))T\(two(f.hour)):\(two(f.minute)):\(two(f.second))+07:00"
        }
        // Written by bytes: every model's two instants in the API's lists (interpolation was
        // a fiftieth of the initiatives list).
        return String(unsafeUninitializedCapacity: 25) { out in
            // The separators and the zone from a template, then the digits over its zeros.
            _ = out.initialize(from: "0000-00-00T00:00:00+07:00".utf8)
            func put(_ value: Int, _ width: Int, at start: Int) {
                var value = value
                for i in stride(from: start + width - 1, through: start, by: -1) {
                    out[i] = UInt8(truncatingIfNeeded: 48 + value % 10)
                    value /= 10
                }
            }
            put(f.year, 4, at: 0)
            put(f.month, 2, at: 5)
            put(f.day, 2, at: 8)
            put(f.hour, 2, at: 11)
            put(f.minute, 2, at: 14)
            put(f.second, 2, at: 17)
            return 25
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
    static func four(_ n: Int) -> String { n >= 1000 ? String(n) : String(repeating: "0", count: 4 - String(n).count) + String(n) }
}

/// A day of the calendar, with no time and no zone: a letter's date, a time frame's end.
public struct CalendarDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "2024-02-06" (ISO) or "06/02/2024" (Vietnamese); nil for anything else or an impossible day.
    public init?(parsing text: String) {
        // ASCII digits and one kind of separator, read in one pass (files have a date a row).
        var numbers: [Int] = []
        var lengths: [Int] = []
        var current = 0, length = 0
        var separator: UInt8?
        var bytes = Substring(text).utf8[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        for byte in bytes {
            switch byte {
            case 0x30...0x39:
                guard length < 4 else { return nil }
                current = current * 10 + Int(byte - 0x30)
                length += 1
            case 0x2D, 0x2F:
                guard separator == nil || separator == byte, length > 0, numbers.count < 2 else { return nil }
                separator = byte
                numbers.append(current)
                lengths.append(length)
                current = 0
                length = 0
            default:
                return nil
            }
        }
        guard length > 0, numbers.count == 2, let separator else { return nil }
        numbers.append(current)
        lengths.append(length)
        if separator == 0x2D {
            guard lengths[0] == 4 else { return nil }
            self.init(year: numbers[0], month: numbers[1], day: numbers[2])
        } else {
            guard lengths[2] == 4 else { return nil }
            self.init(year: numbers[2], month: numbers[1], day: numbers[0])
        }
        guard isValid else { return nil }
    }

    public var isValid: Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return day <= (month == 2 && leap ? 29 : days[month - 1])
    }

    /// "2024-02-06"
    public var iso: String { "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(day, 2))" }
    /// "06/02/2024"
    public var vietnamese: String { "\(Self.padded(day, 2))/\(Self.padded(month, 2))/\(Self.padded(year, 4))" }

    /// `n` in decimal with zeros in front up to `width` digits, as `%0*d` writes it (which
    /// goes through vfprintf: a twentieth of an import's time, for every date it stores).
    static func padded(_ n: Int, _ width: Int) -> String {
        let digits = String(n.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count - (n < 0 ? 1 : 0)))
        return (n < 0 ? "-" : "") + zeros + digits
    }
    public var description: String { iso }

    /// "ngày 06 tháng 02 năm 2024": days below 10 and months 1 and 2 take a leading zero.
    public var dateLine: String {
        let dd = Self.padded(day, 2)
        let mm = month <= 2 ? Self.padded(month, 2) : String(month)
        return "ngày \(dd) tháng \(mm) năm \(year)"
    }

    /// "Long Biên, ngày 06 tháng 02 năm 2024"; without a place, "Ngày 06 tháng 02 năm 2024".
    public func placeAndDate(_ place: String) -> String {
        place.isEmpty ? "N" + dateLine.dropFirst() : "\(place), \(dateLine)"
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// Parses the instants users and files write: ISO 8601 ("2025-02-20", "2025-02-20T09:30",
/// "2025-02-20 09:30:15", with or without an offset "Z"/"+07:00"; no offset means Vietnam time)
/// or Vietnamese "20/02/2025" with an optional " 09:30". A date alone means 00:00 Vietnam time.
public enum InstantParser {
    public static func parse(_ raw: String) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        // Split the date from the time at "T" or the first space.
        let datePart: String
        var timePart: String
        if let t = text.firstIndex(where: { $0 == "T" || $0 == " " }) {
            datePart = String(text[..<t])
            timePart = String(text[text.index(after: t)...]).trimmingCharacters(in: .whitespaces)
        } else {
            datePart = text
            timePart = ""
        }
        guard let day = CalendarDay(parsing: datePart) else { return nil }
        // Offset: "Z", "+07:00", "+0700", "-05:00" at the end of the time.
        var offsetSeconds = 7 * 3600
        if timePart.hasSuffix("Z") || timePart.hasSuffix("z") {
            offsetSeconds = 0
            timePart.removeLast()
        } else if let sign = timePart.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = timePart[timePart.index(after: sign)...].replacingOccurrences(of: ":", with: "")
            guard offset.count == 4 || offset.count == 2, offset.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(offset) else { return nil }
            let hours = offset.count == 4 ? value / 100 : value
            let minutes = offset.count == 4 ? value % 100 : 0
            guard hours <= 14, minutes < 60 else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (timePart[sign] == "-" ? -1 : 1)
            timePart = String(timePart[..<sign])
        }
        var hour = 0, minute = 0, second = 0
        if !timePart.isEmpty {
            let pieces = timePart.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(pieces.count) else { return nil }
            let numbers = pieces.map { piece -> Int? in
                let whole = piece.split(separator: ".").first.map(String.init) ?? ""
                guard (1...2).contains(whole.count), whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                return Int(whole)
            }
            guard numbers.allSatisfy({ $0 != nil }) else { return nil }
            hour = numbers[0]!
            minute = numbers[1]!
            second = numbers.count == 3 ? numbers[2]! : 0
            guard hour < 24, minute < 60, second < 60 else { return nil }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offsetSeconds)!
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day,
                                                  hour: hour, minute: minute, second: second))
    }
}
