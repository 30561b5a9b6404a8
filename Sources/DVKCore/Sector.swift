import Foundation

/// A lĩnh vực of a campaign: a stable code and its name as printed on the form.
public struct Sector: Hashable, Codable, Sendable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    /// The four sectors of the letter, in its order.
    public static let defaults: [Sector] = [
        Sector(code: "kinh-te", name: "Lĩnh vực kinh tế"),
        Sector(code: "van-hoa-xa-hoi", name: "Lĩnh vực văn hóa – xã hội"),
        Sector(code: "an-ninh-quoc-phong", name: "Lĩnh vực an ninh – quốc phòng"),
        Sector(code: "xay-dung-he-thong-chinh-tri", name: "Lĩnh vực xây dựng hệ thống chính trị"),
    ]

    /// The name after a “Lĩnh vực” label: “Lĩnh vực kinh tế” → “Kinh tế” (a name without the
    /// prefix stays as it is).
    public static func shortName(_ name: String) -> String {
        let words = name.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count > 2, VietnameseText.searchKey(words[0] + " " + words[1]) == "linh vuc" else { return name }
        let rest = words.dropFirst(2).joined(separator: " ")
        return rest.prefix(1).uppercased() + rest.dropFirst()
    }

    /// The words of a name, order-free, with "lĩnh vực", dashes and diacritics gone:
    /// "an ninh – quốc phòng" and "Quốc phòng - An ninh" give the same key.
    static func matchKey(_ text: String) -> [String] {
        let plain = VietnameseText.searchKey(text)
        let words = plain.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        var trimmed = words
        if trimmed.starts(with: ["linh", "vuc"]) { trimmed.removeFirst(2) }
        return trimmed
    }

    /// Finds the sector a user or a file names: the code, or the name with or without
    /// "Lĩnh vực", in any case, with any dash, either tone placement or no diacritics,
    /// and with its two halves in either order ("quốc phòng – an ninh").
    public static func match(_ text: String, in sectors: [Sector]) -> Sector? {
        let raw = VietnameseText.searchKey(text)
        if let byCode = sectors.first(where: { $0.code == raw }) { return byCode }
        let words = matchKey(text)
        guard !words.isEmpty else { return nil }
        if let exact = sectors.first(where: { matchKey($0.name) == words || $0.code.split(separator: "-").map(String.init) == words }) {
            return exact
        }
        // Halves around a dash in the other order: compare as multisets of words.
        let sortedWords = words.sorted()
        let candidates = sectors.filter { matchKey($0.name).sorted() == sortedWords }
        return candidates.count == 1 ? candidates[0] : nil
    }
}
