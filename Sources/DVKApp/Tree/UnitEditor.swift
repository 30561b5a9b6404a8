import DVKCore
import DVKDocuments
import FluentKit
import Foundation
import SQLKit

/// A unit as a form sends it (and shows it back): raw text, checked by `UnitEditor`.
struct UnitFields: Sendable, Equatable {
    var code = ""
    var name = ""
    var kind = UnitKind.grassroots.rawValue
    var parentCode = ""
    var email = ""
    var phone = ""
    var signerTitle = ""
    var signerName = ""

    init() {}

    init(form: [String: String]) {
        code = form["code"] ?? ""
        name = form["name"] ?? ""
        kind = form["kind"] ?? ""
        parentCode = form["parent"] ?? ""
        email = form["email"] ?? ""
        phone = form["phone"] ?? ""
        signerTitle = form["signer_title"] ?? ""
        signerName = form["signer_name"] ?? ""
    }

    init(unit: Unit, parentCode: String?) {
        code = unit.code
        name = unit.name
        kind = unit.kind.rawValue
        self.parentCode = parentCode ?? ""
        email = unit.email
        phone = unit.phone
        signerTitle = unit.signerTitle
        signerName = unit.signerName
    }
}

/// Adds, renames and moves units of the live tree for a signed-in user, who reaches only
/// their own unit's subtree and never moves their own unit. Every write is one transaction;
/// campaigns keep their frozen copy until staff re-sync them.
enum UnitEditor {
    /// The units from `unit` up to `rootID` (both included), or nil when `rootID` is not
    /// among its ancestors: the scope check and the breadcrumb in one walk up.
    static func chain(from unit: Unit, upTo rootID: UUID, on db: any Database) async throws -> [Unit]? {
        var chain = [unit]
        var current = unit
        while current.id != rootID {
            guard chain.count < 64, let parentID = current.parentID,
                  let parent = try await Unit.find(parentID, on: db) else { return nil }
            chain.append(parent)
            current = parent
        }
        return chain
    }

    static func parent(of unit: Unit, on db: any Database) async throws -> Unit? {
        guard let id = unit.parentID else { return nil }
        return try await Unit.find(id, on: db)
    }

    /// The form's values checked by `UnitInput` (as a CSV row's are), each problem under its field.
    private static func check(_ fields: UnitFields, errors: inout FieldErrors) -> UnitInput.Checked? {
        let input = UnitInput(code: fields.code, name: fields.name, kind: fields.kind, parentCode: fields.parentCode,
                              email: fields.email, phone: fields.phone)
        switch input.check() {
        case .success(let checked): return checked
        case .failure(let problems):
            for (field, message) in problems.byField { errors[field.rawValue] = message }
            return nil
        }
    }

    /// Creates a unit of the user's subtree; a grassroots union joins at once the open
    /// campaigns that take every one under their issuer (the campaigns it joined are returned).
    static func create(_ fields: UnitFields, user: CurrentUser, at now: Date, on db: any Database) async throws -> (unit: Unit, joined: [CampaignInfo]) {
        try await db.write { db in
            var errors = FieldErrors()
            let checked = check(fields, errors: &errors)
            if let checked, try await Unit.query(on: db).filter(\.$code == checked.code).count() > 0 {
                errors["code"] = "Đã có đơn vị mã “\(checked.code)”; chọn mã khác."
            }
            var parentID: UUID?
            if let parentCode = checked?.parentCode {
                parentID = try await checkParent(code: parentCode, moving: nil, user: user, errors: &errors, on: db)
            } else if errors["parent"] == nil {
                errors["parent"] = "Cần nhập mã đơn vị cấp trên."
            }
            try errors.check()
            guard let checked else { throw errors }
            let unit = Unit(code: checked.code, name: checked.name, kind: checked.kind, parentID: parentID,
                            email: checked.email, phone: checked.phone)
            do {
                try await unit.create(on: db)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw FieldErrors(messages: ["code": "Đã có đơn vị mã “\(checked.code)”; chọn mã khác."])
            }
            let joined = try await CampaignStore.joinNewUnits([try unit.requireID()], actor: user.username, at: now, on: db)
            try await AuditTrail.record([UnitAudit.created(unit, parentCode: checked.parentCode ?? "")], at: now, on: db)
            return (unit, joined)
        }
    }

    /// Renames, re-kinds, re-contacts or moves a unit of the user's subtree. The code stays:
    /// it is the key imports and links use.
    static func update(code: String, _ fields: UnitFields, user: CurrentUser, at now: Date, on db: any Database) async throws -> Unit {
        try await db.write { db in
            guard let unit = try await Unit.query(on: db).filter(\.$code == code).first(),
                  try await chain(from: unit, upTo: user.unitID, on: db) != nil
            else { throw DomainError.notFound("Không tìm thấy đơn vị “\(code)” trong phạm vi quản lý của đơn vị.") }
            guard try await holdLive(unit.requireID(), on: db) else {
                throw DomainError.conflict("Đơn vị “\(unit.name)” đã giải thể hoặc sáp nhập nên không sửa được nữa.")
            }
            let isOwn = unit.id == user.unitID
            var errors = FieldErrors()
            var form = fields
            form.code = unit.code
            let checked = check(form, errors: &errors)

            let currentParent = try await parent(of: unit, on: db)
            let parentCode = VietnameseText.clean(fields.parentCode)
            var parentID = unit.parentID
            if parentCode != (currentParent?.code ?? ""), errors["parent"] == nil {
                if isOwn {
                    errors["parent"] = "Không thể chuyển đơn vị của chính mình sang cấp trên khác; việc này do cấp trên thực hiện."
                } else if parentCode.isEmpty {
                    errors["parent"] = "Cần nhập mã đơn vị cấp trên."
                } else {
                    parentID = try await checkParent(code: parentCode, moving: unit, user: user, errors: &errors, on: db)
                }
            }
            if let kind = checked?.kind, kind != unit.kind {
                if isOwn {
                    errors["kind"] = "Không thể đổi loại đơn vị của chính mình."
                } else if let problem = try await kindChangeProblem(unit, to: kind, on: db) {
                    errors["kind"] = problem
                }
            }
            var signer = (title: "", name: "")
            switch TextRules.unitSignerTitle.check(fields.signerTitle) {
            case .success(let value): signer.title = value
            case .failure(let p): errors["signer_title"] = p.sentence
            }
            switch TextRules.signerName.check(fields.signerName) {
            case .success(let value): signer.name = value
            case .failure(let p): errors["signer_name"] = p.sentence
            }
            try errors.check()
            guard let checked else { throw errors }
            let was = UnitAudit.fields(unit, parentCode: currentParent?.code ?? "")
            unit.signerTitle = signer.title
            unit.signerName = signer.name
            unit.name = checked.name
            unit.kind = checked.kind
            unit.parentID = parentID
            unit.email = checked.email
            unit.phone = checked.phone
            try await unit.save(on: db)
            try await AuditTrail.record(UnitAudit.changed(unit, was: was, now: UnitAudit.fields(unit, parentCode: parentCode)), at: now, on: db)
            return unit
        }
    }

    /// Upserts units from a CSV (see `UnitDirectory.importUnits`), first refusing every row
    /// whose unit or parent lies outside the user's subtree. All or nothing: on any bad line,
    /// `DomainError.badFile` names every one and nothing is written.
    static func importUnits(_ table: CSVTable, user: CurrentUser, at now: Date, on db: any Database) async throws -> UnitDirectory.ImportResult {
        try await db.write { db in
            let nodes = try await UnitDirectory.allNodes(includingEnded: true, on: db)
            let outside = scopeProblems(table, nodes: nodes, user: user)
            if !outside.isEmpty {
                // Report the file's other problems too, so one round of fixes is enough.
                var lines = outside
                let byID = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                let known = Dictionary(nodes.map { node in
                    (node.code, (kind: node.kind, parentCode: node.parentID.flatMap { byID[$0]?.code }))
                }, uniquingKeysWith: { a, _ in a })
                do {
                    _ = try UnitImport.plan(table, existing: known)
                } catch DomainError.badFile(let more, _) {
                    lines = merge(lines, more)
                }
                throw DomainError.badFile(lines)
            }
            // The same transaction: nothing can move between the check and the write.
            return try await UnitDirectory.importUnits(table, actor: user.username, at: now, on: db)
        }
    }

    /// The rows of a units CSV that would reach outside the user's subtree: a unit above or
    /// beside it, a parent there, a new unit without a parent, or the user's own unit moved.
    static func scopeProblems(_ table: CSVTable, nodes: [UnitNode], user: CurrentUser) -> [LineError] {
        let columns = table.columns
        guard columns["code"] != nil else { return [] }
        let byID = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let byCode = Dictionary(nodes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let inside = subtree(of: user.unitID, in: nodes)
        var problems: [LineError] = []
        for record in table.records {
            guard let code = Code.validate(record.value(columns["code"])) else { continue }
            let parent = record.value(columns["parent_code"])
            var reasons: [String] = []
            if let node = byCode[code] {
                let currentParent = node.parentID.flatMap { byID[$0]?.code } ?? ""
                if !inside.contains(node.id) {
                    reasons.append("đơn vị “\(code)” nằm ngoài phạm vi quản lý của đơn vị")
                } else if node.id == user.unitID, parent != currentParent {
                    reasons.append("không thể chuyển đơn vị của chính mình (“\(code)”) sang cấp trên khác")
                } else if node.id != user.unitID, parent.isEmpty {
                    reasons.append("đơn vị “\(code)” phải có cấp trên thuộc phạm vi quản lý của đơn vị (cột \(UnitImport.heading("parent_code")))")
                }
            } else if parent.isEmpty {
                reasons.append("đơn vị mới “\(code)” phải có cấp trên thuộc phạm vi quản lý của đơn vị (cột \(UnitImport.heading("parent_code")))")
            }
            if !parent.isEmpty, let parentNode = byCode[parent], !inside.contains(parentNode.id) {
                reasons.append("cấp trên “\(parent)” nằm ngoài phạm vi quản lý của đơn vị")
            }
            if !reasons.isEmpty { problems.append(LineError(line: record.line, reasons: reasons)) }
        }
        return problems
    }

    /// Every unit id at or below `rootID`.
    static func subtree(of rootID: UUID, in nodes: [UnitNode]) -> Set<UUID> {
        var children: [UUID: [UUID]] = [:]
        for node in nodes { if let p = node.parentID { children[p, default: []].append(node.id) } }
        var out: Set<UUID> = [rootID]
        var stack = [rootID]
        while let id = stack.popLast() {
            for child in children[id] ?? [] where out.insert(child).inserted { stack.append(child) }
        }
        return out
    }

    // MARK: Checks

    /// The new parent's id when it may take `moving` (or a new unit): a federation inside the
    /// user's subtree that is not the unit itself or below it.
    private static func checkParent(code: String, moving unit: Unit?, user: CurrentUser,
                                    errors: inout FieldErrors, on db: any Database) async throws -> UUID? {
        guard let parent = try await Unit.query(on: db).filter(\.$code == code).first(),
              let chain = try await chain(from: parent, upTo: user.unitID, on: db)
        else {
            errors["parent"] = "Không tìm thấy đơn vị cấp trên “\(code)” trong phạm vi quản lý của đơn vị."
            return nil
        }
        if let unit, let unitID = unit.id {
            // The chain from the new parent up to the user's unit holds every ancestor that
            // matters: if the moved unit is among them, the move would put it under itself.
            let parents = Dictionary(chain.compactMap { u in u.id.map { ($0, u.parentID) } }, uniquingKeysWith: { a, _ in a })
            if UnitTree.wouldCycle(moving: unitID, under: parent.id, parents: parents) {
                errors["parent"] = parent.id == unitID
                    ? "Một đơn vị không thể là cấp trên của chính nó."
                    : "Không thể chuyển “\(unit.code)” vào “\(parent.code)” vì “\(parent.code)” đang trực thuộc “\(unit.code)”."
                return nil
            }
        }
        guard parent.kind == .federation else {
            errors["parent"] = "“\(parent.code)” là công đoàn cơ sở nên không thể có đơn vị trực thuộc; cấp trên phải là công đoàn cấp trên."
            return nil
        }
        guard try await holdLive(parent.requireID(), on: db) else {
            errors["parent"] = "Đơn vị cấp trên “\(parent.code)” đã giải thể hoặc sáp nhập nên không nhận đơn vị trực thuộc."
            return nil
        }
        return parent.id
    }

    /// Whether the unit is live, holding its row until the transaction ends: a unit being
    /// ended at the same moment (`UnitEnding`) waits for this one, or this one sees it ended.
    static func holdLive(_ id: UUID, on db: any Database) async throws -> Bool {
        try await db.sql().raw("""
            UPDATE units SET updated_at = updated_at WHERE id = \(bind: id) AND ended_at IS NULL RETURNING id
            """).first() != nil
    }

    private static func kindChangeProblem(_ unit: Unit, to kind: UnitKind, on db: any Database) async throws -> String? {
        let unitID = try unit.requireID()
        if kind == .grassroots {
            let children = try await Unit.query(on: db).filter(\.$parentID == unitID).filter(\.$endedAt == nil).count()
            if children > 0 {
                return "Đơn vị đang có \(VietnameseText.number(children)) đơn vị trực thuộc nên không thể là công đoàn cơ sở."
            }
        }
        return try await accountsProblem(unit, becoming: kind, on: db).map { $0.capitalizedSentence + "." }
    }

    /// Staff belong to federations and officers to grassroots unions (see `AuthStore.createUser`):
    /// why `unit` cannot become `kind` because of its accounts, if it cannot.
    static func accountsProblem(_ unit: Unit, becoming kind: UnitKind, on db: any Database) async throws -> String? {
        let clashing: Role = kind == .grassroots ? .staff : .officer
        let accounts = try await User.query(on: db).filter(\.$unitID == unit.requireID()).filter(\.$role == clashing).count()
        guard accounts > 0 else { return nil }
        return "đơn vị “\(unit.code)” có \(VietnameseText.number(accounts)) tài khoản \(clashing.label.lowercased()) nên không thể đổi thành \(kind.label.lowercased())"
    }

    /// One error per line, reasons of both lists together, in line order.
    static func merge(_ a: [LineError], _ b: [LineError]) -> [LineError] {
        var byLine: [Int: [String]] = [:]
        for e in a + b {
            for reason in e.reasons where !(byLine[e.line] ?? []).contains(reason) { byLine[e.line, default: []].append(reason) }
        }
        return byLine.keys.sorted().map { LineError(line: $0, reasons: byLine[$0] ?? []) }
    }
}

