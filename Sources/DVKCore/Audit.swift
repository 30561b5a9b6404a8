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

    /// Reads back what `changes` wrote, by bytes: `JSONDecoder` was nine tenths of reading
    /// an event, and the dashboard and the unit page read a hundred. Nil for JSON of any
    /// other shape (keys in another order, spaces, another type), which the caller gives to
    /// `JSONDecoder`; so what this reads, it reads as `JSONDecoder` does (a test holds it).
    public static func readChanges(_ text: String) -> [AuditChange]? {
        read(text) { json in
            guard json.take("[") else { return nil }
            var out: [AuditChange] = []
            if json.take("]") { return out }
            while true {
                guard json.take(#"{"field":"#), let field = json.string(), json.take(#","new":"#), let new = json.string(),
                      json.take(#","old":"#), let old = json.string(), json.take("}") else { return nil }
                out.append(AuditChange(field, old: old, new: new))
                if json.take("]") { return out }
                guard json.take(",") else { return nil }
            }
        }
    }

    /// Reads back what `details` wrote, as `readChanges`; nil also for a key given twice.
    public static func readDetails(_ text: String) -> [String: String]? {
        read(text) { json in
            guard json.take("{") else { return nil }
            var out: [String: String] = [:]
            if json.take("}") { return out }
            while true {
                guard let key = json.string(), json.take(":"), let value = json.string(), out.updateValue(value, forKey: key) == nil else { return nil }
                if json.take("}") { return out }
                guard json.take(",") else { return nil }
            }
        }
    }

    /// `body` over the text's bytes; its answer only if it read them to the end.
    private static func read<T>(_ text: String, _ body: (inout JSONBytes) -> T?) -> T? {
        var text = text
        return text.withUTF8 { bytes in
            var json = JSONBytes(bytes: bytes)
            guard let value = body(&json), json.at == bytes.count else { return nil }
            return value
        }
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

/// The bytes of a JSON text, read from the front (`AuditJSON.readChanges`).
private struct JSONBytes {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    /// Takes `literal` if the text goes on with it.
    mutating func take(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - at >= count else { return false }
        for i in 0..<count where literal.utf8Start[i] != bytes[at + i] { return false }
        at += count
        return true
    }

    /// A string, its escapes read as JSON's; nil for anything JSON does not allow in one
    /// (a control character, an unknown escape, half of a surrogate pair).
    mutating func string() -> String? {
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        at += 1
        let start = at
        // Most values have no escape: the bytes as they are.
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                defer { at += 1 }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { return nil }
            at += 1
        }
        var out = Array(bytes[start..<at])
        while at < bytes.count {
            let byte = bytes[at]
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard at < bytes.count else { return nil }
                let escape = bytes[at]
                at += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var value = UInt32(unit)
                    if (0xD800...0xDBFF).contains(unit) {
                        guard take("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    out.append(contentsOf: String(scalar).utf8)
                default:
                    return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                out.append(byte)
            }
        }
        return nil
    }

    /// Four hex digits, as a UTF-16 unit.
    private mutating func hex4() -> UInt16? {
        guard bytes.count - at >= 4 else { return nil }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = bytes[at].hexDigitValue else { return nil }
            at += 1
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
