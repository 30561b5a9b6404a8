import Foundation

/// One field of an object changed by one event of the audit trail: its name as a clerk
/// reads it, and both values in full (long texts keep both versions; a file is its name
/// and hash).
public struct AuditChange: Codable, Sendable, Equatable {
    public var field: String
    public var old: String
    public var new: String

    public init(_ field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// The fields whose value differs, in the order given: `(name, old, new)`. A field the
    /// write does not touch is simply left out by its caller.
    public static func diff(_ fields: [(String, String, String)]) -> [AuditChange] {
        fields.compactMap { $0.1 == $0.2 ? nil : AuditChange($0.0, old: $0.1, new: $0.2) }
    }

    /// A value as the trail shows it beside the arrow: quoted, or "(trống)".
    public static func shown(_ value: String) -> String {
        value.isEmpty ? "(trống)" : "“\(value)”"
    }

    /// "“Kết quả dự kiến”: “…” → “…”".
    public var sentence: String {
        "“\(field)”: \(Self.shown(old)) → \(Self.shown(new))"
    }
}

/// The kinds of object the trail names, each with its Vietnamese name (the audit page's
/// filter and the sentences).
public enum AuditObjectKind: String, CaseIterable, Sendable, Codable {
    case initiative, submission, unit, campaign, model, account, token, mail, `import`, backup, server

    public var label: String {
        switch self {
        case .initiative: "Mô hình đăng ký"
        case .submission: "Hồ sơ đăng ký"
        case .unit: "Đơn vị"
        case .campaign: "Đợt thi đua"
        case .model: "Năm thực hiện mô hình"
        case .account: "Tài khoản"
        case .token: "Mã truy cập API"
        case .mail: "Thư điện tử"
        case .import: "Nhập từ tệp"
        case .backup: "Sao lưu, phục hồi"
        case .server: "Máy chủ"
        }
    }
}

/// How the trail tells one event to a clerk: "Nguyễn Thị Hoa (Cán bộ công đoàn cơ sở,
/// Trường Tiểu học Ngọc Lâm) sửa mô hình “…” lúc 09:14 ngày 12/02/2024: “Kết quả dự kiến”:
/// “…” → “…”".
public enum AuditWording {
    public static func sentence(actor: String, action: String, object: String, at: Date, changes: [AuditChange]) -> String {
        var out = "\(actor) — \(action.lowercasedFirst)"
        if !object.isEmpty { out += " “\(object)”" }
        out += " lúc \(VietnamTime.describe(at))"
        if !changes.isEmpty { out += ": " + changes.map(\.sentence).joined(separator: "; ") }
        return out
    }
}

extension String {
    /// The first letter lower-cased ("Sửa mô hình" → "sửa mô hình"), for a label placed mid-sentence.
    public var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
