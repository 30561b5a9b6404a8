import Foundation

/// A field of the registration form, named the same way by the web form and the API
/// (`rawValue`), by its column in a CSV (`column`) and in Vietnamese (`rule.label`).
public enum InitiativeField: String, CaseIterable, Sendable, Hashable {
    case kind, registrantName, registrantTitle, sector, title, purpose, content, scope
    case startDate, endDate, expectedResult, personInCharge, continuity

    public var column: String {
        switch self {
        case .kind: "registrant_kind"
        case .registrantName: "registrant_name"
        case .registrantTitle: "registrant_title"
        case .sector: "sector"
        case .title: "title"
        case .purpose: "purpose"
        case .content: "content"
        case .scope: "scope"
        case .startDate: "start_date"
        case .endDate: "end_date"
        case .expectedResult: "expected_result"
        case .personInCharge: "person_in_charge"
        case .continuity: "continuity"
        }
    }

    /// The rule of a text field (the others are parsed: kind, sector, dates, continuity).
    public var rule: TextRule {
        switch self {
        case .kind: TextRule("loại đăng ký (tập thể hoặc cá nhân)", max: 50, required: true)
        case .registrantName: TextRule("tên tập thể hoặc cá nhân đăng ký", max: 300, required: true)
        case .registrantTitle: TextRule("chức vụ", max: 200)
        case .sector: TextRule("lĩnh vực", max: 200, required: true)
        case .title: TextRule("tên mô hình", max: 500, required: true)
        case .purpose: TextRule("mục đích", .multiline, max: 20_000)
        case .content: TextRule("nội dung và cách thức thực hiện", .multiline, max: 20_000)
        case .scope: TextRule("phạm vi, đối tượng tham gia", .multiline, max: 20_000)
        case .startDate: TextRule("ngày bắt đầu", max: 30)
        case .endDate: TextRule("ngày kết thúc", max: 30)
        case .expectedResult: TextRule("kết quả dự kiến", .multiline, max: 20_000)
        case .personInCharge: TextRule("người phụ trách", max: 200)
        case .continuity: TextRule("mô hình mới hay duy trì", max: 50)
        }
    }
}

/// One initiative as a person sends it — from the web form, the API or a row of a CSV:
/// raw text, checked here by one set of rules into an `InitiativeDraft`.
public struct InitiativeInput: Sendable, Hashable {
    public var values: [InitiativeField: String]

    public init(_ values: [InitiativeField: String] = [:]) {
        self.values = values
    }

    public subscript(field: InitiativeField) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// The input that shows a stored draft again (the edit form).
    public init(_ draft: InitiativeDraft) {
        values = [
            .kind: draft.kind.rawValue, .registrantName: draft.registrantName, .registrantTitle: draft.registrantTitle,
            .sector: draft.sectorCode, .title: draft.title, .purpose: draft.purpose, .content: draft.content,
            .scope: draft.scope, .startDate: draft.startDate?.iso ?? "", .endDate: draft.endDate?.iso ?? "",
            .expectedResult: draft.expectedResult, .personInCharge: draft.personInCharge,
            .continuity: draft.continuity.rawValue,
        ]
    }

    /// Every problem, by field, in Vietnamese; in the form's order.
    public struct Problems: Error, Sendable, Equatable {
        public var byField: [(field: InitiativeField, message: String)]

        public static func == (a: Problems, b: Problems) -> Bool {
            a.byField.map(\.field) == b.byField.map(\.field) && a.byField.map(\.message) == b.byField.map(\.message)
        }

        /// "thiếu tên mô hình; ngày kết thúc … trước ngày bắt đầu …", each clause optionally
        /// followed by how the caller names the field ("(cột title)", "(title)").
        public func sentence(naming name: (InitiativeField) -> String? = { _ in nil }) -> String {
            byField.map { item in name(item.field).map { "\(item.message) (\($0))" } ?? item.message }.joined(separator: "; ")
        }
    }

    /// What a file repeats on every row — its few spellings of sectors and kinds — matched
    /// once each (an import of 60,000 rows spent a third of its time matching sectors).
    public final class Memo {
        var sectors: [String: Sector?] = [:]
        var kinds: [String: RegistrantKind?] = [:]
        public init() {}
    }

    /// The draft, or every problem. `sectors` are the campaign's; a sector may be given by
    /// its code or its name (see `Sector.match`), the kind in English or Vietnamese, dates
    /// as YYYY-MM-DD or dd/mm/yyyy.
    public func draft(sectors: [Sector], memo: Memo? = nil) -> Result<InitiativeDraft, Problems> {
        var problems: [(InitiativeField, String)] = []
        var text: [InitiativeField: String] = [:]
        text.reserveCapacity(InitiativeField.allCases.count)
        for field in InitiativeField.allCases {
            switch field.rule.check(values[field]) {
            case .success(let value): text[field] = value
            case .failure(let problem): problems.append((field, problem.message))
            }
        }
        var kind: RegistrantKind?
        if let raw = text[.kind], !raw.isEmpty {
            if let known = memo?.kinds[raw] { kind = known } else {
                kind = RegistrantKind(parsing: raw)
                memo?.kinds[raw] = kind
            }
            if kind == nil { problems.append((.kind, "loại đăng ký “\(raw)” không hợp lệ (tập thể hoặc cá nhân)")) }
        }
        var sector: Sector?
        if let raw = text[.sector], !raw.isEmpty {
            if let known = memo?.sectors[raw] { sector = known } else {
                sector = Sector.match(raw, in: sectors)
                memo?.sectors[raw] = sector
            }
            if sector == nil { problems.append((.sector, "lĩnh vực “\(raw)” không thuộc đợt thi đua")) }
        }
        func day(_ field: InitiativeField) -> CalendarDay? {
            guard let raw = text[field], !raw.isEmpty else { return nil }
            guard let day = CalendarDay(parsing: raw) else {
                problems.append((field, "\(field.rule.label) “\(raw)” không phải ngày hợp lệ (viết 20/02/2025)"))
                return nil
            }
            return day
        }
        let start = day(.startDate), end = day(.endDate)
        if let start, let end, end < start {
            problems.append((.endDate, "ngày kết thúc (\(end.vietnamese)) trước ngày bắt đầu (\(start.vietnamese))"))
        }
        var continuity = Continuity.new
        if let raw = text[.continuity], !raw.isEmpty {
            if let parsed = Continuity(parsing: raw) { continuity = parsed } else {
                problems.append((.continuity, "“\(raw)” không hợp lệ: viết “Mới” (mô hình mới) hoặc “Duy trì” (duy trì, nhân rộng)"))
            }
        }
        if problems.count > 1 {
            let order = Dictionary(uniqueKeysWithValues: InitiativeField.allCases.enumerated().map { ($1, $0) })
            problems.sort { order[$0.0]! < order[$1.0]! }
        }
        guard problems.isEmpty, let kind, let sector else {
            return .failure(Problems(byField: problems.map { (field: $0.0, message: $0.1) }))
        }
        return .success(InitiativeDraft(
            kind: kind, registrantName: text[.registrantName] ?? "", registrantTitle: text[.registrantTitle] ?? "",
            sectorCode: sector.code, title: text[.title] ?? "", purpose: text[.purpose] ?? "", content: text[.content] ?? "",
            scope: text[.scope] ?? "", startDate: start, endDate: end, expectedResult: text[.expectedResult] ?? "",
            personInCharge: text[.personInCharge] ?? "", continuity: continuity))
    }
}

/// The fields of a model changed since its unit's work was returned, as the reviewer reads
/// them: "Kết quả dự kiến, Thời gian thực hiện". Kept with the model until the next return
/// or acceptance, so the review sees what moved; one home for how they are named.
public enum ChangedFields {
    /// What a new model added after the return reads.
    public static let added = "Mô hình mới thêm"

    /// A field's name in the list (the two dates are one "thời gian thực hiện").
    public static func label(_ field: InitiativeField) -> String {
        labels[field] ?? ""
    }

    /// Every field's name, made once (a save names each field twice in its trail).
    private static let labels: [InitiativeField: String] = Dictionary(uniqueKeysWithValues: InitiativeField.allCases.map { field in
        let label = switch field {
        case .startDate, .endDate: "Thời gian thực hiện"
        case .kind, .registrantName: "Tập thể/cá nhân đăng ký"
        case .continuity: "Mô hình mới hay duy trì"
        default: field.rule.label.capitalizedSentence
        }
        return (field, label)
    })

    /// The stored list with `changed` added, each name once, in the form's order.
    public static func merge(_ stored: String, _ changed: [InitiativeField]) -> String {
        var names = Set(stored.components(separatedBy: ", ").filter { !$0.isEmpty })
        for field in changed { names.insert(label(field)) }
        let order = [added] + InitiativeField.allCases.map(label)
        return order.reduce(into: [String]()) { out, name in
            if names.contains(name), !out.contains(name) { out.append(name) }
        }.joined(separator: ", ")
    }
}
