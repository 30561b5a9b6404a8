import Foundation

/// A unit as a person sends it — the unit form, a row of a units CSV, the CLI: raw text,
/// checked here by one set of rules. What needs the stored tree (the parent, cycles, a
/// change of kind) is checked by the store with these values.
public struct UnitInput: Sendable, Hashable {
    public enum Field: String, CaseIterable, Sendable {
        case code, name, kind, parent, email, phone

        /// The column of a units CSV.
        public var column: String { self == .parent ? "parent_code" : rawValue }
    }

    public var code: String
    public var name: String
    public var kind: String
    public var parentCode: String
    public var email: String
    public var phone: String

    public init(code: String = "", name: String = "", kind: String = "", parentCode: String = "", email: String = "", phone: String = "") {
        self.code = code
        self.name = name
        self.kind = kind
        self.parentCode = parentCode
        self.email = email
        self.phone = phone
    }

    /// The checked values.
    public struct Checked: Sendable, Hashable {
        public var code: String
        public var name: String
        public var kind: UnitKind
        /// Nil when the input named no parent.
        public var parentCode: String?
        public var email: String
        public var phone: String
    }

    /// Every problem by field (Vietnamese, fit to show under the field).
    public struct Problems: Error, Sendable, Equatable {
        public var byField: [Field: String]
    }

    /// The values, or every problem by field.
    public func check() -> Result<Checked, Problems> {
        var problems: [Field: String] = [:]
        let trimmedCode = code.trimmingCharacters(in: .whitespaces)
        let validCode = Code.validate(trimmedCode)
        if trimmedCode.isEmpty {
            problems[.code] = "Cần nhập mã đơn vị."
        } else if validCode == nil {
            problems[.code] = Code.reserved.contains(trimmedCode.lowercased())
                ? "Mã “\(trimmedCode)” trùng với tên một trang của hệ thống; chọn mã khác."
                : "Mã đơn vị chỉ gồm chữ không dấu, số và - _ . (tối đa 64 ký tự)."
        }
        var name = ""
        switch TextRules.unitName.check(self.name) {
        case .success(let value): name = value
        case .failure(let p): problems[.name] = p.sentence
        }
        let kind = UnitKind(parsing: self.kind)
        if kind == nil {
            problems[.kind] = self.kind.trimmingCharacters(in: .whitespaces).isEmpty
                ? "Chọn loại đơn vị." : "Loại đơn vị “\(self.kind)” không hợp lệ (công đoàn cấp trên hoặc công đoàn cơ sở)."
        }
        let parent = VietnameseText.clean(parentCode)
        if !parent.isEmpty, Code.validate(parent) == nil {
            problems[.parent] = "Mã đơn vị cấp trên “\(parent)” không hợp lệ."
        } else if let validCode, parent == validCode {
            problems[.parent] = "Một đơn vị không thể là cấp trên của chính nó."
        }
        var email = ""
        switch TextRules.email.check(self.email) {
        case .success(let value):
            email = value
            if !email.isEmpty, !Self.looksLikeEmail(email) {
                problems[.email] = "Địa chỉ email “\(email)” không hợp lệ (ví dụ: congdoan@example.vn)."
            }
        case .failure(let p): problems[.email] = p.sentence
        }
        var phone = ""
        switch TextRules.phone.check(self.phone) {
        case .success(let value):
            phone = value
            if !phone.allSatisfy({ $0.isASCII && ($0.isNumber || " +-.()/".contains($0)) }) {
                problems[.phone] = "Số điện thoại chỉ gồm chữ số, dấu cách và + - . ( ) /."
            }
        case .failure(let p): problems[.phone] = p.sentence
        }
        guard problems.isEmpty, let validCode, let kind else { return .failure(Problems(byField: problems)) }
        return .success(Checked(code: validCode, name: name, kind: kind, parentCode: parent.isEmpty ? nil : parent,
                                email: email, phone: phone))
    }

    /// An address a mail server would take: one `local@domain.tld`, nothing that could
    /// end a header, an attribute or a list.
    public static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains("..") else { return false }
        let allowedLocal = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&*+-/=?^_`{|}~")
        let allowedDomain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        return parts[0].allSatisfy(allowedLocal.contains) && parts[1].allSatisfy(allowedDomain.contains)
    }
}

extension String {
    /// The first letter upper-cased: a clause made a sentence.
    public var capitalizedSentence: String { prefix(1).uppercased() + dropFirst() }
}
