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
    public static let required = ["unit_code", "registrant_kind", "registrant_name", "sector", "title"]
    public static let optional = ["registrant_title", "purpose", "content", "scope", "start_date", "end_date",
                                  "expected_result", "person_in_charge", "submitted_at"]

    /// Checks every row; throws `DomainError.badFile` naming each bad line, or returns the plan.
    public static func plan(_ table: CSVTable, sectors: [Sector], units: [String: UnitRef]) throws -> InitiativeImportPlan {
        let columns = table.columns
        let missing = required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            throw DomainError.badFile([LineError(line: 1, reasons: ["thiếu cột bắt buộc: " + missing.joined(separator: ", ")])])
        }
        let unknown = table.header.filter { !$0.isEmpty && !(required + optional).contains($0.lowercased()) }
        if !unknown.isEmpty {
            throw DomainError.badFile([LineError(line: 1, reasons: ["cột không dùng được: " + unknown.joined(separator: ", ")
                + " (các cột hợp lệ: " + (required + optional).joined(separator: ", ") + ")"])])
        }
        var errors: [LineError] = []
        var rows: [InitiativeImportPlan.Row] = []
        var firstLine: [InitiativeKey: Int] = [:]
        // Files repeat the same few sector and kind spellings: match each spelling once.
        var sectorOf: [String: Sector?] = [:]
        var kindOf: [String: RegistrantKind?] = [:]
        var repeated: [(Int, Int)] = []
        for record in table.records {
            var reasons: [String] = []
            func need(_ column: String, _ label: String) -> String {
                let v = record.value(columns[column])
                if v.isEmpty { reasons.append("thiếu \(label) (cột \(column))") }
                return v
            }
            func day(_ column: String) -> CalendarDay? {
                let v = record.value(columns[column])
                guard !v.isEmpty else { return nil }
                guard let d = CalendarDay(parsing: v) else {
                    reasons.append("ngày không hợp lệ ở cột \(column): “\(v)” (viết 2025-02-20 hoặc 20/02/2025)")
                    return nil
                }
                return d
            }
            let unitCode = need("unit_code", "mã đơn vị")
            let kindText = need("registrant_kind", "loại đăng ký")
            let name = need("registrant_name", "tên người/tập thể đăng ký")
            let sectorText = need("sector", "lĩnh vực")
            let title = need("title", "tên mô hình")
            var unit: UnitRef?
            if !unitCode.isEmpty {
                if let ref = units[unitCode] {
                    if ref.isTarget { unit = ref } else { reasons.append("đơn vị “\(unitCode)” không thuộc các đơn vị của đợt thi đua") }
                } else {
                    reasons.append("không có đơn vị mã “\(unitCode)”")
                }
            }
            let kind = kindOf[kindText] ?? {
                let parsed = RegistrantKind(parsing: kindText)
                kindOf[kindText] = parsed
                return parsed
            }()
            if !kindText.isEmpty, kind == nil {
                reasons.append("loại đăng ký “\(kindText)” không hợp lệ (tập thể hoặc cá nhân)")
            }
            let sector = sectorOf[sectorText] ?? {
                let matched = Sector.match(sectorText, in: sectors)
                sectorOf[sectorText] = matched
                return matched
            }()
            if !sectorText.isEmpty, sector == nil {
                reasons.append("lĩnh vực “\(sectorText)” không thuộc đợt thi đua")
            }
            let start = day("start_date")
            let end = day("end_date")
            var submittedAt: Date?
            let submittedText = record.value(columns["submitted_at"])
            if !submittedText.isEmpty {
                submittedAt = InstantParser.parse(submittedText)
                if submittedAt == nil { reasons.append("thời điểm nộp không hợp lệ: “\(submittedText)”") }
            }
            if let unit, let kind, let sector, !name.isEmpty, !title.isEmpty {
                let draft = InitiativeDraft(
                    kind: kind, registrantName: name, registrantTitle: record.value(columns["registrant_title"]),
                    sectorCode: sector.code, title: title, purpose: record.text(columns["purpose"]),
                    content: record.text(columns["content"]), scope: record.text(columns["scope"]),
                    startDate: start, endDate: end, expectedResult: record.text(columns["expected_result"]),
                    personInCharge: record.value(columns["person_in_charge"]))
                reasons += draft.problems(sectors: sectors).filter { !reasons.contains($0) }
                if reasons.isEmpty {
                    let row = InitiativeImportPlan.Row(line: record.line, unitID: unit.id, unitCode: unitCode,
                                                       draft: draft, submittedAt: submittedAt)
                    if let first = firstLine[row.key] {
                        repeated.append((record.line, first))
                    } else {
                        firstLine[row.key] = record.line
                        rows.append(row)
                    }
                }
            }
            if !reasons.isEmpty { errors.append(LineError(line: record.line, reasons: reasons)) }
        }
        if !errors.isEmpty { throw DomainError.badFile(errors) }
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
    public static func plan(_ table: CSVTable, existing: [String: (kind: UnitKind, parentCode: String?)]) throws -> [UnitImportRow] {
        let map = table.columns
        let missing = ["code", "name", "kind"].filter { map[$0] == nil }
        if !missing.isEmpty {
            throw DomainError.badFile([LineError(line: 1, reasons: ["thiếu cột bắt buộc: " + missing.joined(separator: ", ")])])
        }
        var errors: [LineError] = []
        var rows: [UnitImportRow] = []
        var lineOf: [String: Int] = [:]
        for record in table.records {
            var reasons: [String] = []
            let rawCode = record.value(map["code"])
            let code = Code.validate(rawCode)
            if rawCode.isEmpty { reasons.append("thiếu mã đơn vị (cột code)") } else if code == nil {
                reasons.append("mã “\(rawCode)” không hợp lệ (chỉ chữ không dấu, số, - _ .)")
            }
            let name = record.value(map["name"])
            if name.isEmpty { reasons.append("thiếu tên đơn vị (cột name)") }
            let kindText = record.value(map["kind"])
            let kind = UnitKind(parsing: kindText)
            if kind == nil { reasons.append(kindText.isEmpty ? "thiếu loại đơn vị (cột kind)" : "loại đơn vị “\(kindText)” không hợp lệ (federation hoặc grassroots)") }
            let parent = record.value(map["parent_code"])
            if let code, let first = lineOf[code] {
                reasons.append("mã “\(code)” đã có ở dòng \(first)")
            }
            if let code, parent == code { reasons.append("đơn vị không thể là cấp trên của chính nó") }
            if let code, let kind, reasons.isEmpty {
                lineOf[code] = record.line
                rows.append(UnitImportRow(line: record.line, code: code, name: name, parentCode: parent.isEmpty ? nil : parent,
                                          kind: kind, email: record.value(map["email"]), phone: record.value(map["phone"])))
            }
            if !reasons.isEmpty { errors.append(LineError(line: record.line, reasons: reasons)) }
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
        // Cycles: walk up from every row.
        for row in rows {
            var seen: Set<String> = [row.code]
            var current = merged[row.code]?.parentCode
            while let c = current {
                if !seen.insert(c).inserted {
                    errors.append(LineError(line: row.line, reasons: ["cây đơn vị có vòng lặp qua “\(c)”"]))
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
