import Foundation

/// A unit as an import sees it: whether it exists, and whether the campaign targets it.
public struct UnitRef: Hashable, Sendable {
    public var id: UUID
    public var isTarget: Bool

    public init(id: UUID, isTarget: Bool) {
        self.id = id
        self.isTarget = isTarget
    }
}

/// The checked content of an initiatives CSV: every row valid, duplicates folded.
public struct InitiativeImportPlan: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var unitID: UUID
        public var unitCode: String
        public var draft: InitiativeDraft
        public var submittedAt: Date?
        /// The natural key, computed once (names normalised).
        public var key: InitiativeKey

        init(line: Int, unitID: UUID, unitCode: String, draft: InitiativeDraft, submittedAt: Date?) {
            self.line = line
            self.unitID = unitID
            self.unitCode = unitCode
            self.draft = draft
            self.submittedAt = submittedAt
            key = InitiativeKey(unitID: unitID, kind: draft.kind, registrantKey: draft.registrantKey,
                                sectorCode: draft.sectorCode, titleKey: draft.titleKey)
        }
    }

    public var rows: [Row]
    /// (line, line of the first row with the same key) for rows folded into an earlier one.
    public var repeated: [(line: Int, firstLine: Int)]
}

public enum InitiativeImport {
    public static let required = ["unit_code"] + [InitiativeField.kind, .registrantName, .sector, .title].map(\.column)
    public static let optional = [InitiativeField.registrantTitle, .purpose, .content, .scope, .startDate, .endDate,
                                  .expectedResult, .personInCharge, .continuity].map(\.column) + ["submitted_at"]

    /// The Vietnamese column names a file may use instead of the codes (as the registration
    /// form and an office's own sheets name them), the first of each being the template's.
    public static let names: [(code: String, names: [String])] = [
        ("unit_code", ["Mã đơn vị", "Mã CĐCS", "Mã công đoàn cơ sở"]),
        ("registrant_kind", ["Tập thể/Cá nhân", "Tập thể hay cá nhân", "Loại đăng ký"]),
        ("registrant_name", ["Tên tập thể/cá nhân", "Tên tập thể hoặc cá nhân", "Tên tập thể, cá nhân", "Tập thể, cá nhân đăng ký"]),
        ("registrant_title", ["Chức vụ"]),
        ("sector", ["Lĩnh vực"]),
        ("title", ["Tên mô hình"]),
        ("purpose", ["Mục đích"]),
        ("content", ["Nội dung và cách thức thực hiện", "Nội dung và cách thực hiện", "Nội dung", "Nội dung, cách thực hiện"]),
        ("scope", ["Phạm vi, đối tượng tham gia", "Phạm vi", "Đối tượng tham gia"]),
        ("start_date", ["Ngày bắt đầu", "Thời gian bắt đầu", "Từ ngày"]),
        ("end_date", ["Ngày kết thúc", "Thời gian kết thúc", "Đến ngày"]),
        ("expected_result", ["Kết quả dự kiến"]),
        ("person_in_charge", ["Người phụ trách"]),
        ("continuity", ["Mô hình mới hay duy trì", "Mới/Duy trì"]),
        ("submitted_at", ["Thời điểm nộp", "Ngày nộp"]),
    ]

    /// A column as the template names it ("Mã đơn vị" for `unit_code`), for messages.
    public static func heading(_ code: String) -> String {
        names.first { $0.code == code }?.names[0] ?? code
    }

    static var nameMap: [String: String] {
        Dictionary(names.flatMap { entry in entry.names.map { ($0, entry.code) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Checks every row; throws `DomainError.badFile` naming the bad lines (the first
    /// `LineError.shown`, with a count of all), or returns the plan. Columns may be named by
    /// their codes or in Vietnamese (`names`).
    /// `defaultUnit`: the code of the one unit an upload is for (its page's); the unit
    /// column may then be left out, or a row's cell empty.
    public static func plan(_ file: CSVTable, sectors: [Sector], units: [String: UnitRef],
                            defaultUnit: String? = nil) throws -> InitiativeImportPlan {
        let table = file.named(nameMap)
        let columns = table.columns
        let missing = required.filter { columns[$0] == nil && !($0 == "unit_code" && defaultUnit != nil) }
        if !missing.isEmpty {
            let named = missing.map(heading)
            throw DomainError.badFile([LineError(line: 1, reasons: ["thiếu cột bắt buộc: " + named.joined(separator: ", ")])])
        }
        let unknown = table.header.filter { !$0.isEmpty && !(required + optional).contains($0.lowercased()) }
        if !unknown.isEmpty {
            throw DomainError.badFile([LineError(line: 1, reasons: ["cột không dùng được: " + unknown.joined(separator: ", ")
                + " (các cột hợp lệ: " + names.map { $0.names[0] }.joined(separator: ", ") + ")"])])
        }
        let fieldColumns = InitiativeField.allCases.compactMap { field in columns[field.column].map { (field, $0) } }
        // Each row checked on its own, the rows shared among the cores (the text rules are
        // most of a big file's reading); then merged in the file's order.
        let records = table.records
        let checked = Parallel.map(records.count) { range in
            let memo = InitiativeInput.Memo()
            return range.map { index -> (reasons: [String], row: InitiativeImportPlan.Row?) in
                let record = records[index]
                var reasons: [String] = []
                let written = record.value(columns["unit_code"])
                let unitCode = written.isEmpty ? defaultUnit ?? "" : written
                var unit: UnitRef?
                if unitCode.isEmpty {
                    reasons.append("thiếu mã đơn vị (cột \(heading("unit_code")))")
                } else if let ref = units[unitCode], ref.isTarget {
                    unit = ref
                } else {
                    // One answer whether the code exists elsewhere or not at all: an upload
                    // tells nothing about units outside the uploader's reach.
                    reasons.append("không có đơn vị mã “\(unitCode)” trong các đơn vị được phép nhập")
                }
                var input = InitiativeInput()
                for (field, column) in fieldColumns { input[field] = record.raw(column) }
                var submittedAt: Date?
                let submittedText = record.value(columns["submitted_at"])
                if !submittedText.isEmpty {
                    submittedAt = InstantParser.parse(submittedText)
                    if submittedAt == nil { reasons.append("thời điểm nộp không hợp lệ: “\(submittedText)” (cột \(heading("submitted_at")))") }
                }
                switch input.draft(sectors: sectors, memo: memo) {
                case .failure(let problems):
                    reasons += problems.byField.map { "\($0.message) (cột \(heading($0.field.column)))" }
                    return (reasons, nil)
                case .success(let draft):
                    guard let unit, reasons.isEmpty else { return (reasons, nil) }
                    return (reasons, InitiativeImportPlan.Row(line: record.line, unitID: unit.id, unitCode: unitCode, draft: draft, submittedAt: submittedAt))
                }
            }
        }
        var errors: [LineError] = []
        var badLines = 0
        var rows: [InitiativeImportPlan.Row] = []
        var firstLine: [InitiativeKey: Int] = [:]
        var repeated: [(Int, Int)] = []
        for (record, outcome) in zip(records, checked) {
            if !outcome.reasons.isEmpty {
                badLines += 1
                if errors.count < LineError.shown { errors.append(LineError(line: record.line, reasons: outcome.reasons)) }
            } else if let row = outcome.row {
                if let first = firstLine[row.key] {
                    repeated.append((record.line, first))
                } else {
                    firstLine[row.key] = record.line
                    rows.append(row)
                }
            }
        }
        if badLines > 0 { throw DomainError.badFile(errors, total: badLines) }
        return InitiativeImportPlan(rows: rows, repeated: repeated.map { (line: $0.0, firstLine: $0.1) })
    }
}

/// One checked row of a units CSV.
public struct UnitImportRow: Hashable, Sendable {
    public var line: Int
    public var code: String
    public var name: String
    public var parentCode: String?
    public var kind: UnitKind
    public var email: String
    public var phone: String
}

public enum UnitImport {
    public static let columns = ["code", "name", "parent_code", "kind", "email", "phone"]

    /// Checks a units CSV against the units that exist (code → (kind, parent code)).
    /// Rows come back parents first, so they can be written in order.
    /// Vietnamese column names a units file may use instead of the codes.
    public static let names: [String: String] = [
        "Mã đơn vị": "code", "Tên đơn vị": "name", "Mã đơn vị cấp trên": "parent_code", "Mã cấp trên": "parent_code",
        "Loại đơn vị": "kind", "Thư điện tử": "email", "Email": "email", "Điện thoại": "phone", "Số điện thoại": "phone",
    ]

    /// A column as a file names it in Vietnamese ("Mã đơn vị cấp trên" for `parent_code`).
    public static func heading(_ code: String) -> String {
        ["code": "Mã đơn vị", "name": "Tên đơn vị", "parent_code": "Mã đơn vị cấp trên", "kind": "Loại đơn vị",
         "email": "Email", "phone": "Điện thoại"][code] ?? code
    }

    public static func plan(_ file: CSVTable, existing: [String: (kind: UnitKind, parentCode: String?)]) throws -> [UnitImportRow] {
        let table = file.named(names)
        let map = table.columns
        let missing = ["code", "name", "kind"].filter { map[$0] == nil }
        if !missing.isEmpty {
            throw DomainError.badFile([LineError(line: 1, reasons: ["thiếu cột bắt buộc: " + missing.map(heading).joined(separator: ", ")])])
        }
        var errors: [LineError] = []
        var rows: [UnitImportRow] = []
        var lineOf: [String: Int] = [:]
        for record in table.records {
            let input = UnitInput(code: record.raw(map["code"]), name: record.raw(map["name"]), kind: record.raw(map["kind"]),
                                  parentCode: record.raw(map["parent_code"]), email: record.raw(map["email"]),
                                  phone: record.raw(map["phone"]))
            switch input.check() {
            case .failure(let problems):
                let reasons = UnitInput.Field.allCases.compactMap { field in
                    problems.byField[field].map { message in
                        let clause = message.trimmingCharacters(in: CharacterSet(charactersIn: "."))
                        return clause.prefix(1).lowercased() + clause.dropFirst() + " (cột \(heading(field.column)))"
                    }
                }
                errors.append(LineError(line: record.line, reasons: reasons))
            case .success(let unit):
                if let first = lineOf[unit.code] {
                    errors.append(LineError(line: record.line, reasons: ["mã “\(unit.code)” đã có ở dòng \(first)"]))
                    continue
                }
                lineOf[unit.code] = record.line
                rows.append(UnitImportRow(line: record.line, code: unit.code, name: unit.name, parentCode: unit.parentCode,
                                          kind: unit.kind, email: unit.email, phone: unit.phone))
            }
        }
        // Parents: in the file or already stored, and a federation.
        var merged = existing
        for row in rows { merged[row.code] = (row.kind, row.parentCode) }
        for row in rows {
            guard let parent = row.parentCode else { continue }
            if let p = merged[parent] {
                if p.kind != .federation {
                    errors.append(LineError(line: row.line, reasons: ["cấp trên “\(parent)” là công đoàn cơ sở, không thể có đơn vị trực thuộc"]))
                }
            } else {
                errors.append(LineError(line: row.line, reasons: ["không có đơn vị cấp trên mã “\(parent)”"]))
            }
        }
        // A grassroots union has nothing below it, after the file as before it.
        var children: [String: Int] = [:]
        for (_, unit) in merged { if let parent = unit.parentCode { children[parent, default: 0] += 1 } }
        for row in rows where row.kind == .grassroots {
            if let n = children[row.code], n > 0 {
                errors.append(LineError(line: row.line, reasons: ["đơn vị “\(row.code)” có \(VietnameseText.number(n)) đơn vị trực thuộc nên không thể là công đoàn cơ sở"]))
            }
        }
        // Cycles: walk up from every row.
        for row in rows {
            var seen: Set<String> = [row.code]
            var current = merged[row.code]?.parentCode
            while let c = current {
                if !seen.insert(c).inserted {
                    errors.append(LineError(line: row.line, reasons: ["đơn vị cấp trên vòng lặp qua “\(c)”"]))
                    break
                }
                current = merged[c]?.parentCode
            }
        }
        if !errors.isEmpty {
            throw DomainError.badFile(errors.sorted { $0.line < $1.line })
        }
        // Parents first: by depth within the file.
        func depth(_ code: String) -> Int {
            var d = 0
            var current = merged[code]?.parentCode
            while let c = current, d < merged.count { d += 1; current = merged[c]?.parentCode }
            return d
        }
        let depths = Dictionary(uniqueKeysWithValues: rows.map { ($0.code, depth($0.code)) })
        return rows.sorted { (depths[$0.code]!, $0.line) < (depths[$1.code]!, $1.line) }
    }
}
