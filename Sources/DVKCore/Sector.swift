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

    /// A sector as a form's row gives it: the code it keeps (empty for a new row), its name
    /// and its place in the order (a number, or empty to keep the row's position).
    public struct Row: Hashable, Sendable {
        public var code: String
        public var name: String
        public var order: String

        public init(code: String = "", name: String, order: String = "") {
            self.code = code
            self.name = name
            self.order = order
        }
    }

    /// The sectors of a campaign from the form's rows: rows without a name are left out (a
    /// row emptied is a sector removed), the others sorted by their order number; an
    /// existing row keeps its code and a new one gets a code made from its name. Problems
    /// name the row as the clerk sees it (“dòng 2”). On equal order numbers, a row whose
    /// number was changed (typed “2” on the blank last row) goes first, then the rows' order.
    public static func from(rows: [Row]) -> (sectors: [Sector], problems: [String]) {
        var problems: [String] = []
        var named: [(order: Int, moved: Bool, position: Int, code: String, name: String)] = []
        for (position, row) in rows.enumerated() {
            guard !row.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            let name: String
            switch TextRules.sectorName.check(row.name) {
            case .success(let value): name = value
            case .failure(let problem): problems.append("dòng \(position + 1): \(problem.message)"); continue
            }
            let orderText = row.order.trimmingCharacters(in: .whitespaces)
            var order = position + 1
            if !orderText.isEmpty {
                guard let number = Int(orderText), (1...999).contains(number) else {
                    problems.append("dòng \(position + 1): thứ tự “\(orderText)” phải là số từ 1 đến 999")
                    continue
                }
                order = number
            }
            named.append((order, order != position + 1, position, row.code.trimmingCharacters(in: .whitespaces), name))
        }
        named.sort { ($0.order, $0.moved ? 0 : 1, $0.position) < ($1.order, $1.moved ? 0 : 1, $1.position) }
        var sectors: [Sector] = []
        var seenNames: [[String]: String] = [:]
        // Kept codes first, so a new row never takes an existing sector's code.
        var taken = Set(named.compactMap { Code.validate($0.code) })
        for row in named {
            let key = matchKey(row.name).sorted()
            if let earlier = seenNames[key] {
                problems.append("dòng \(row.position + 1): “\(row.name)” trùng với “\(earlier)”")
                continue
            }
            seenNames[key] = row.name
            let code: String
            if let kept = Code.validate(row.code) {
                code = kept
            } else {
                code = makeCode(for: row.name, taken: taken)
                taken.insert(code)
            }
            guard !sectors.contains(where: { $0.code == code }) else {
                problems.append("dòng \(row.position + 1): mã “\(code)” bị lặp")
                continue
            }
            sectors.append(Sector(code: code, name: row.name))
        }
        if problems.isEmpty, sectors.isEmpty { problems.append("cần ít nhất một lĩnh vực") }
        return (problems.isEmpty ? sectors : [], problems)
    }

    /// A code made from a name, without “lĩnh vực”, diacritics or spaces: “Lĩnh vực an ninh –
    /// quốc phòng” → “an-ninh-quoc-phong”; “-2”, “-3” … when it is taken.
    public static func makeCode(for name: String, taken: Set<String>) -> String {
        let words = matchKey(name)
        var base = String(words.joined(separator: "-").prefix(48))
        while base.hasSuffix("-") { base.removeLast() }
        if Code.validate(base) == nil { base = "linh-vuc" }
        var code = base
        var n = 2
        while taken.contains(code) {
            code = "\(base)-\(n)"
            n += 1
        }
        return code
    }

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
