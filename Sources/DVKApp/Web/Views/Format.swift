import DVKCore
import Foundation

/// How the pages write times and numbers, in Vietnamese.
enum Format {
    /// "còn 3 ngày 4 giờ" before, "đã quá hạn 2 giờ" after.
    static func timeLeft(until deadline: Date, now: Date) -> String {
        let seconds = Int(deadline.timeIntervalSince(now))
        let span = abs(seconds)
        let days = span / 86_400, hours = (span % 86_400) / 3600, minutes = (span % 3600) / 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days) ngày") }
        if hours > 0 { parts.append("\(hours) giờ") }
        if days == 0 && minutes > 0 { parts.append("\(minutes) phút") }
        let text = parts.isEmpty ? "dưới 1 phút" : parts.joined(separator: " ")
        return seconds >= 0 ? "còn \(text)" : "đã quá hạn \(text)"
    }

    /// "16/02/2024 09:30" in Vietnam time.
    static func short(_ date: Date) -> String {
        let c = VietnamTime.calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!)
    }

    /// 6300 → "6.300"
    static func number(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "." }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
