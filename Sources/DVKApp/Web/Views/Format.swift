import DVKCore
import Foundation

/// How the pages write times and numbers, in Vietnamese.
enum Format {
    /// "còn 3 ngày 4 giờ" before, "đã hết hạn 2 giờ" after.
    static func timeLeft(until deadline: Date, now: Date) -> String {
        let seconds = Int(deadline.timeIntervalSince(now))
        let span = abs(seconds)
        let days = span / 86_400, hours = (span % 86_400) / 3600, minutes = (span % 3600) / 60
        var parts: [String] = []
        if days > 0 { parts.append("\(VietnameseText.number(days)) ngày") }
        if hours > 0 { parts.append("\(hours) giờ") }
        if days == 0 && minutes > 0 { parts.append("\(minutes) phút") }
        let text = parts.isEmpty ? "dưới 1 phút" : parts.joined(separator: " ")
        return seconds >= 0 ? "còn \(text)" : "đã hết hạn \(text)"
    }

    /// "2 ngày 3 giờ": how long something has waited.
    static func waited(since start: Date, now: Date) -> String {
        let minutes = max(0, Int(now.timeIntervalSince(start)) / 60)
        let days = minutes / 1440, hours = minutes % 1440 / 60
        if days > 0 { return "\(VietnameseText.number(days)) ngày" + (hours > 0 ? " \(hours) giờ" : "") }
        if hours > 0 { return "\(hours) giờ" }
        return "\(max(1, minutes)) phút"
    }

    /// "09:30 ngày 16/02/2024" in Vietnam time: the time first, as people say it.
    static func short(_ date: Date) -> String { VietnamTime.describe(date) }

    /// 6300 → "6.300"
    static func number(_ n: Int) -> String { VietnameseText.number(n) }
}
