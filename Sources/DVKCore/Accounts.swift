import Foundation

/// What a person may do, always within their own unit's subtree.
public enum Role: String, Codable, Sendable, CaseIterable {
    case admin, staff, officer, viewer

    public var label: String {
        switch self {
        case .admin: "Quản trị"
        case .staff: "Cán bộ công đoàn cấp trên"
        case .officer: "Cán bộ công đoàn cơ sở"
        case .viewer: "Theo dõi (chỉ xem)"
        }
    }

    /// Staff and administrators run campaigns, review and edit the tree.
    public var manages: Bool { self == .admin || self == .staff }

    /// A role as the people page names it ("Cán bộ công đoàn cơ sở", any case, with or
    /// without diacritics) or the API's word (`officer`); nil for anything else.
    public init?(parsing text: String) {
        let key = VietnameseText.searchKey(text)
        if let role = Role(rawValue: key) { self = role; return }
        let byLabel = Dictionary(Role.allCases.map { (VietnameseText.searchKey($0.label), $0) }, uniquingKeysWith: { a, _ in a })
        let extra: [String: Role] = ["quan tri vien": .admin, "can bo cong doan cap tren": .staff, "theo doi": .viewer, "chi xem": .viewer,
                                     "can bo cdcs": .officer, "can bo": .officer]
        guard let role = byLabel[key] ?? extra[key] else { return nil }
        self = role
    }
}

/// Where a unit stands from someone's own unit in the live tree.
public enum Reach: Sendable, Equatable {
    /// Their own unit.
    case own
    /// Strictly below it.
    case below
    /// Anywhere else.
    case outside
}

/// Who may give whom an account: the one rule the people page, the API, the import and
/// the CLI ask. Nobody gives a role or a unit above what they hold: an administrator does
/// everything; federation staff make officers and viewers in their subtree, and staff only
/// for federations strictly below their own; officers and viewers manage no account.
public enum AccountRules {
    /// Whether `role` sees the people page at all.
    public static func managesAccounts(_ role: Role) -> Bool { role.manages }

    /// Why an account of `role` cannot belong to a unit of `kind`, or nil.
    public static func misfit(_ role: Role, _ kind: UnitKind) -> String? {
        switch (role, kind) {
        case (.officer, .federation): "Cán bộ công đoàn cơ sở phải thuộc một công đoàn cơ sở."
        case (.staff, .grassroots): "Cán bộ công đoàn cấp trên phải thuộc một công đoàn cấp trên."
        default: nil
        }
    }

    /// Why `actor` may not give an account `role` at a unit of `kind`, `reach` from the
    /// actor's unit, or nil. Also what an actor may do to an existing account: change it,
    /// disable it, invite again, reset (asked of its current role and unit).
    public static func refusal(grant role: Role, at kind: UnitKind, reach: Reach, by actor: Role) -> String? {
        if let misfit = misfit(role, kind) { return misfit }
        switch actor {
        case .admin:
            return nil
        case .officer, .viewer:
            return "Chỉ cán bộ công đoàn cấp trên và quản trị viên quản lý tài khoản."
        case .staff:
            if reach == .outside { return "Đơn vị này ngoài phạm vi quản lý của tài khoản." }
            switch role {
            case .admin:
                return "Chỉ quản trị viên tạo hoặc giao quyền quản trị."
            case .staff where reach != .below:
                return "Cán bộ công đoàn cấp trên chỉ tạo tài khoản cán bộ cho các công đoàn cấp trên trực thuộc đơn vị mình, không cho chính đơn vị mình."
            default:
                return nil
            }
        }
    }

    /// No account is made, moved into or enabled at a unit that was dissolved or merged
    /// (see `TreeRules`): why, naming the unit, or nil for a live one.
    public static func endedUnit(_ unitName: String, endedAt: Date?) -> String? {
        guard let endedAt else { return nil }
        return "Đơn vị “\(unitName)” đã giải thể hoặc sáp nhập ngày \(VietnamTime.day(of: endedAt).vietnamese) nên không nhận tài khoản."
    }

    /// Only an administrator resets a person's two-factor sign-in.
    public static func mayResetTwoFactor(_ actor: Role) -> Bool { actor == .admin }
}

/// An account's state, derived from what is stored.
public enum AccountStatus: String, Sendable, CaseIterable, Codable {
    case invited
    case active
    case disabled
    case invitationExpired = "invitation_expired"

    public var label: String {
        switch self {
        case .invited: "Đã mời, chưa nhận"
        case .active: "Đang hoạt động"
        case .disabled: "Đã khóa"
        case .invitationExpired: "Lời mời đã hết hạn"
        }
    }

    /// A person with a password is active; without one, invited while their last
    /// invitation is live, else its invitation has expired (or was revoked).
    public static func of(disabled: Bool, passwordSet: Bool, invitationLiveUntil: Date?, now: Date) -> AccountStatus {
        if disabled { return .disabled }
        if passwordSet { return .active }
        if let until = invitationLiveUntil, until > now { return .invited }
        return .invitationExpired
    }
}

/// Passwords people can live with (NIST SP 800-63B): long enough, no composition rules,
/// and not one everybody tries first.
public enum PasswordPolicy {
    public static let minimum = 10
    public static let maximum = 200

    /// The rule in one line, under every password field.
    public static let rule = "Ít nhất \(minimum) ký tự, nên là một câu dễ nhớ; không dùng mật khẩu phổ biến, tên đăng nhập hay tên đơn vị."

    /// Why `password` is refused, or nil.
    public static func problem(_ password: String, username: String = "", unitName: String = "", email: String = "") -> String? {
        if password.count < minimum { return "Mật khẩu cần ít nhất \(minimum) ký tự." }
        if password.count > maximum || password.utf8.count > 1_024 { return "Mật khẩu dài quá \(maximum) ký tự." }
        if password.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\u{7F}" }) { return "Mật khẩu không được có ký tự điều khiển." }
        let folded = fold(password)
        // What is left without digits and symbols at the ends ("matkhau@2024" is "matkhau").
        let core = String(folded.drop(while: { !$0.isLetter }).reversed().drop(while: { !$0.isLetter }).reversed())
        if CommonPasswords.folded.contains(folded) || CommonPasswords.foldedWords.contains(core) || isRun(folded) {
            return "Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác (một câu dễ nhớ càng tốt)."
        }
        var own = ["dvk"]
        let user = fold(username)
        if !user.isEmpty { own.append(user) }
        let mailbox = fold(String(email.split(separator: "@").first ?? ""))
        if mailbox.count >= 3 { own.append(mailbox) }
        let unit = fold(unitName)
        if !unit.isEmpty { own.append(unit) }
        if own.contains(where: { $0 == folded || $0 == core }) {
            return "Mật khẩu không được là tên đăng nhập, địa chỉ email, tên đơn vị hay “dvk”."
        }
        return nil
    }

    /// Lower case, no diacritics, letters and digits only: "Mật khẩu@2024" and "matkhau2024"
    /// are the same guess.
    static func fold(_ text: String) -> String {
        String(VietnameseText.searchKey(text).filter { $0.isLetter || $0.isNumber })
    }

    /// A piece of up to 4 characters repeated ("aaaaaaaaaa", "dvkdvkdvk"), or a run of the
    /// keyboard or the alphabet ("1234567890").
    static func isRun(_ text: String) -> Bool {
        let chars = Array(text)
        guard !chars.isEmpty else { return true }
        for k in 1...4 where chars.count % k == 0 && chars.count > k {
            if chars.indices.allSatisfy({ chars[$0] == chars[$0 % k] }) { return true }
        }
        let runs = ["01234567890", "09876543210", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb",
                    "1q2w3e4r5t6y7u8i9o0p", "qazwsxedcrfvtgbyhnujm", "zxcvbnmasdfghjklqwertyuiop"]
        return runs.contains { $0.contains(text) }
    }
}

/// An account as someone asks for it, from a form, the API, a spreadsheet row or the CLI;
/// `check` gives the one way it is read.
public struct AccountInput: Sendable, Equatable {
    public var fullName: String?
    public var unitCode: String?
    public var role: String?
    public var email: String?
    public var phone: String?
    public var title: String?
    public var username: String?

    public init(fullName: String? = nil, unitCode: String? = nil, role: String? = nil, email: String? = nil, phone: String? = nil,
                title: String? = nil, username: String? = nil) {
        self.fullName = fullName
        self.unitCode = unitCode
        self.role = role
        self.email = email
        self.phone = phone
        self.title = title
        self.username = username
    }

    /// The fields a person can be refused on, with the words a form or a file names them by.
    public enum Field: String, CaseIterable, Sendable {
        case fullName, unitCode, role, email, phone, title, username

        public var label: String {
            switch self {
            case .fullName: "Họ và tên"
            case .unitCode: "Mã đơn vị"
            case .role: "Vai trò"
            case .email: "Email"
            case .phone: "Số điện thoại"
            case .title: "Chức vụ"
            case .username: "Tên đăng nhập"
            }
        }
    }

    public static let titleRule = TextRule("chức vụ", max: 200)
    public static let nameRule = TextRule("họ và tên", max: 200, required: true)

    /// The checked account, or why each field is refused. `unitKind` tells whether the
    /// unit is a grassroots union (for the default role); nil when no unit has that code.
    public func check(unitKind: UnitKind?) -> Result<AccountDraft, AccountProblems> {
        var problems = AccountProblems()
        var draft = AccountDraft(fullName: "", unitCode: "", role: .officer, email: "", phone: "", title: "", username: nil)
        switch Self.nameRule.check(fullName) {
        case .success(let v): draft.fullName = v
        case .failure(let p): problems[.fullName] = p.sentence
        }
        let code = (unitCode ?? "").trimmingCharacters(in: .whitespaces)
        if code.isEmpty {
            problems[.unitCode] = "Thiếu mã đơn vị."
        } else if unitKind == nil {
            problems[.unitCode] = "Không có đơn vị mã “\(String(code.prefix(80)))” trong phạm vi quản lý."
        } else {
            draft.unitCode = code
        }
        let roleText = (role ?? "").trimmingCharacters(in: .whitespaces)
        if roleText.isEmpty {
            if unitKind == .grassroots { draft.role = .officer } else if unitKind != nil { problems[.role] = "Chọn vai trò của tài khoản." }
        } else if let parsed = Role(parsing: roleText) {
            draft.role = parsed
        } else {
            problems[.role] = "Vai trò “\(String(roleText.prefix(80)))” không có; dùng: " + Role.allCases.map(\.label).joined(separator: ", ") + "."
        }
        if problems[.role] == nil, let kind = unitKind, let misfit = AccountRules.misfit(draft.role, kind) { problems[.role] = misfit }
        switch TextRules.email.check(email) {
        case .success(let v):
            if !v.isEmpty, !UnitInput.looksLikeEmail(v) { problems[.email] = "Địa chỉ email “\(String(v.prefix(80)))” không hợp lệ (ví dụ: ten@ldld.vn)." }
            draft.email = v
        case .failure(let p): problems[.email] = p.sentence
        }
        switch TextRules.phone.check(phone) {
        case .success(let v): draft.phone = v
        case .failure(let p): problems[.phone] = p.sentence
        }
        switch Self.titleRule.check(title) {
        case .success(let v): draft.title = v
        case .failure(let p): problems[.title] = p.sentence
        }
        if let raw = username?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let valid = Code.validate(raw) { draft.username = valid.lowercased() } else {
                problems[.username] = "Tên đăng nhập “\(String(raw.prefix(80)))” không hợp lệ (chữ không dấu, số, - _ ., tối đa 64 ký tự)."
            }
        }
        return problems.isEmpty ? .success(draft) : .failure(problems)
    }
}

/// A checked account, ready to be made.
public struct AccountDraft: Sendable, Equatable {
    public var fullName: String
    public var unitCode: String
    public var role: Role
    public var email: String
    public var phone: String
    public var title: String
    /// Asked for; nil: DVK makes one from `usernameBase`.
    public var username: String?

    public init(fullName: String, unitCode: String, role: Role, email: String, phone: String, title: String, username: String?) {
        self.fullName = fullName
        self.unitCode = unitCode
        self.role = role
        self.email = email
        self.phone = phone
        self.title = title
        self.username = username
    }

    /// Names to try, in order, when none was asked for: the email's mailbox, else the
    /// unit's code; each then with 2, 3, … until one is free.
    public var usernameBase: String {
        let mailbox = String(email.split(separator: "@").first ?? "").lowercased()
        if let valid = Code.validate(mailbox), valid.count >= 3 { return valid.lowercased() }
        return (Code.validate(unitCode) ?? "tai-khoan").lowercased()
    }
}

/// Why an account is refused, by field.
public struct AccountProblems: Error, Sendable, Equatable {
    public var byField: [AccountInput.Field: String] = [:]
    public init() {}
    public subscript(field: AccountInput.Field) -> String? {
        get { byField[field] }
        set { byField[field] = newValue }
    }
    public var isEmpty: Bool { byField.isEmpty }
    /// Every problem in the fields' order, as one text.
    public var text: String {
        AccountInput.Field.allCases.compactMap { byField[$0] }.joined(separator: " ")
    }
}

/// The accounts spreadsheet (Mã đơn vị, Họ và tên, Chức vụ, Email, Số điện thoại, Vai
/// trò; optionally Tên đăng nhập): each row read by `AccountInput.check` and the grant rule;
/// all or nothing, every bad line named.
public enum AccountImport {
    public static let columns: [(code: String, name: String)] = [
        ("unit_code", "Mã đơn vị"), ("full_name", "Họ và tên"), ("title", "Chức vụ"), ("email", "Email"),
        ("phone", "Số điện thoại"), ("role", "Vai trò"), ("username", "Tên đăng nhập"),
    ]

    /// A unit the importer may name: its kind and where it stands from the importer.
    public struct UnitPlace: Sendable {
        public var kind: UnitKind
        public var reach: Reach
        public init(kind: UnitKind, reach: Reach) {
            self.kind = kind
            self.reach = reach
        }
    }

    public struct Row: Sendable, Equatable {
        public var line: Int
        public var draft: AccountDraft
    }

    /// The rows to make, or `DomainError.badFile` naming every bad line: a field refused, a
    /// unit outside reach, a role the importer may not give, an email twice in the file.
    public static func plan(_ table: CSVTable, units: [String: UnitPlace], by actor: Role) throws -> [Row] {
        let named = table.named(Dictionary(columns.map { ($0.name, $0.code) }, uniquingKeysWith: { a, _ in a }))
        let index = named.columns
        let missing = ["unit_code", "full_name"].filter { index[$0] == nil }
        guard missing.isEmpty else {
            let names = columns.filter { missing.contains($0.code) }.map(\.name).joined(separator: ", ")
            throw DomainError.invalid("Tệp thiếu cột: \(names). Các cột: " + columns.map(\.name).joined(separator: ", ") + ".")
        }
        var rows: [Row] = []
        var errors: [LineError] = []
        var emails: [String: Int] = [:]
        for record in named.records {
            let code = record.value(index["unit_code"])
            let place = units[code]
            let input = AccountInput(fullName: record.raw(index["full_name"]), unitCode: code, role: record.raw(index["role"]),
                                     email: record.raw(index["email"]), phone: record.raw(index["phone"]), title: record.raw(index["title"]),
                                     username: record.raw(index["username"]))
            switch input.check(unitKind: place?.kind) {
            case .failure(let problems):
                errors.append(LineError(line: record.line, reasons: AccountInput.Field.allCases.compactMap { field in
                    problems[field].map { "cột \(field.label): \($0)" }
                }))
            case .success(let draft):
                if let place, let refusal = AccountRules.refusal(grant: draft.role, at: place.kind, reach: place.reach, by: actor) {
                    errors.append(LineError(line: record.line, reasons: [refusal]))
                } else if !draft.email.isEmpty, let first = emails[draft.email.lowercased()] {
                    errors.append(LineError(line: record.line, reasons: ["email \(draft.email) đã có ở dòng \(first)"]))
                } else {
                    if !draft.email.isEmpty { emails[draft.email.lowercased()] = record.line }
                    rows.append(Row(line: record.line, draft: draft))
                }
            }
        }
        if !errors.isEmpty { throw DomainError.badFile(errors) }
        guard !rows.isEmpty else { throw DomainError.invalid("Tệp không có dòng tài khoản nào.") }
        return rows
    }
}
