import DVKCore
import FluentKit
import Foundation
import SQLKit
import Vapor

/// A form's one-time key. A page whose form makes something (an account, a spreadsheet of
/// accounts) carries a fresh key; the write that makes it records the key in its own
/// transaction. The same form sent twice — a reload of the answer page, a double click —
/// makes it once, and the second time is told so (409), where the answer cannot simply be
/// a redirect because it hands over a link shown once.
enum FormOnce {
    static let field = "_once"

    static func fresh() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The hidden field of a fresh key.
    static func hidden() -> Node { .hidden(field, fresh()) }

    /// The key a form sent, if it is one (32 hexadecimal digits).
    static func read(_ req: Request) -> String? {
        guard let key = try? req.content.get(String.self, at: field), key.utf8.count == 32,
              key.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return key
    }

    static let spent = DomainError.conflict("Biểu mẫu này đã được gửi và đã được xử lý. Xem kết quả trong danh sách người dùng trước khi gửi lại.")

    /// Records `key` in the caller's transaction, or refuses a key already used. Keys older
    /// than two days are dropped on the way (no page stays open that long).
    static func spend(_ key: String?, at now: Date, on db: any Database) async throws {
        guard let key else { return }
        let sql = try db.sql()
        try await sql.delete(from: "form_keys").where("created_at", .lessThan, now.addingTimeInterval(-2 * 86_400)).run()
        guard try await sql.raw("""
            INSERT INTO form_keys (key, created_at) VALUES (\(bind: key), \(bind: now)) ON CONFLICT DO NOTHING RETURNING key
            """).first() != nil else { throw spent }
    }
}
