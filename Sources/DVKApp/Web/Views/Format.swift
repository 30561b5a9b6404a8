import DVKCore
import Foundation

/// How the pages write times and numbers, in Vietnamese.
enum Format {
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
