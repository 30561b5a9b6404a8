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

/// The JSON an event stores for its changes and details, written by hand: the same bytes
/// as `JSONEncoder` with sorted keys and unescaped slashes (a test compares them), at a
/// fraction of its cost, since every change of the deadline rush writes one.
public enum AuditJSON {
    /// `[{"field":…,"new":…,"old":…}]`, or "" when nothing changed.
    public static func changes(_ changes: [AuditChange]) -> String {
        guard !changes.isEmpty else { return "" }
        var out = "["
        out.reserveCapacity(changes.reduce(2) { $0 + $1.field.utf8.count + $1.old.utf8.count + $1.new.utf8.count + 32 })
        for (i, change) in changes.enumerated() {
            if i > 0 { out += "," }
            out += "{\"field\":"
            string(change.field, into: &out)
            out += ",\"new\":"
            string(change.new, into: &out)
            out += ",\"old\":"
            string(change.old, into: &out)
            out += "}"
        }
        return out + "]"
    }

    /// `{"key":"value",…}` in the keys' order, or "" when there are none.
    public static func details(_ details: [String: String]) -> String {
        guard !details.isEmpty else { return "" }
        var out = "{"
        for (i, (key, value)) in details.sorted(by: { $0.key < $1.key }).enumerated() {
            if i > 0 { out += "," }
            string(key, into: &out)
            out += ":"
            string(value, into: &out)
        }
        return out + "}"
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as is.
    public static func string(_ value: String, into out: inout String) {
        out += "\""
        let utf8 = value.utf8
        guard utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            out += value
            return out += "\""
        }
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
        out += "\""
    }
}
