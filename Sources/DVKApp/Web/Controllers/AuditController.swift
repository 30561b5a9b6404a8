import DVKCore
import DVKDocuments
import Fluent
import Vapor

/// `/audit`: the trail of the user's subtree for staff and administrators, filtered by
/// person, unit, kind of object, action and period, searched without diacritics, 50 a page
/// (newest first, by a cursor), and exported to Excel.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.audit.route, use: page)
        routes.get(SiteURL.auditXLSX.route, use: export)
    }

    /// The filter as the form sends it (each value bounded), and what it resolves to.
    struct Form: Sendable, Equatable {
        var unit = ""
        var person = ""
        var kind = ""
        var action = ""
        var from = ""
        var to = ""
        var q = ""
        var before = ""

        init(_ req: Request) {
            func field(_ name: String, _ max: Int) -> String {
                String((req.queryValue(name) ?? "").prefix(max)).trimmingCharacters(in: .whitespaces)
            }
            unit = field("unit", 64)
            person = field("person", 64)
            kind = field("kind", 20)
            action = field("action", 60)
            from = field("from", 20)
            to = field("to", 20)
            q = field("q", AuditQuery.maxSearch)
            before = field("before", 80)
        }

        var query: [(String, String)] {
            [("unit", unit), ("person", person), ("kind", kind), ("action", action), ("from", from), ("to", to), ("q", q)].filter { !$0.1.isEmpty }
        }
    }

    /// The filter, or the Vietnamese reason a value is refused.
    static func filter(_ form: Form, user: CurrentUser, on db: any Database) async throws -> (AuditQuery.Filter, [String]) {
        var f = AuditQuery.Filter()
        var problems: [String] = []
        f.subtree = AuditQuery.scope(of: user)
        if !form.unit.isEmpty {
            if let unit = try await Unit.query(on: db).filter(\.$code == form.unit).first(), let id = unit.id,
               try await AuditQuery.reaches(id, for: user, on: db) {
                f.subtree = id
            } else {
                problems.append("Không có đơn vị mã “\(form.unit)” trong phạm vi quản lý.")
                f.nothing = true
            }
        }
        if !form.person.isEmpty {
            let person = try await User.query(on: db).filter(\.$username == form.person.lowercased()).first()
            if let person, let id = person.id, try await AuditQuery.reaches(person.unitID, for: user, on: db) {
                f.actorID = id
            } else {
                problems.append("Không có tài khoản “\(form.person)” trong phạm vi quản lý.")
                f.nothing = true
            }
        }
        f.kind = AuditObjectKind(rawValue: form.kind)
        if !form.action.isEmpty, AuditTrail.labels[form.action] != nil { f.action = form.action }
        func day(_ text: String, _ label: String) -> CalendarDay? {
            guard !text.isEmpty else { return nil }
            guard let d = CalendarDay(parsing: text) else { problems.append("\(label) “\(text)” không phải ngày hợp lệ."); return nil }
            return d
        }
        if let d = day(form.from, "Từ ngày") { f.since = VietnamTime.instant(d) }
        if let d = day(form.to, "Đến ngày") { f.until = VietnamTime.endOf(d) }
        f.search = form.q
        f.before = AuditQuery.Cursor(form.before)
        return (f, problems)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        let form = Form(req)
        let (filter, problems) = try await Self.filter(form, user: user, on: req.database)
        let lines = try await AuditQuery.lines(filter, limit: Paging.perPage + 1, on: req.database)
        let next = lines.count > Paging.perPage ? AuditQuery.cursor(after: lines[Paging.perPage - 1]) : nil
        return Layout.response(AuditPage.view(.init(user: user, form: form, problems: problems, lines: Array(lines.prefix(Paging.perPage)),
                                                    next: next, isFirst: filter.before == nil)))
    }

    @Sendable func export(req: Request) async throws -> Response {
        let user = try StaffAccess.manager(req)
        var form = Form(req)
        form.before = ""
        let (filter, _) = try await Self.filter(form, user: user, on: req.database)
        let lines = try await AuditQuery.lines(filter, limit: AuditTrail.exportLimit, on: req.database)
        let header = ["Thời điểm", "Người thực hiện", "Vai trò", "Việc", "Loại đối tượng", "Đối tượng", "Mã đơn vị", "Đơn vị", "Mục", "Trước", "Sau",
                      "Chi tiết", "Địa chỉ IP", "Mã yêu cầu", "Mã sự kiện", "Chuỗi", "Số thứ tự", "Mã băm"]
        var rows: [[SimpleWorkbook.Cell]] = []
        for line in lines {
            let e = line.event
            let base: [SimpleWorkbook.Cell] = [.instant(e.at), .text(e.actor, .plain), .text(Role(rawValue: e.actorRole)?.label ?? "", .plain),
                                               .text(e.label, .plain), .text(AuditObjectKind(rawValue: e.kind)?.label ?? e.kind, .plain),
                                               .text(e.objectLabel, .plain), .text(line.unitCode, .plain), .text(line.unitName, .plain)]
            let tail: [SimpleWorkbook.Cell] = [.text(e.details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "), .plain),
                                               .text(e.address, .plain), .text(e.requestID, .plain), .text(e.id.canonicalText, .plain),
                                               .text(e.chain, .plain), .number(Int(e.seq)), .text(e.hash, .plain)]
            // One row per field changed, so that a column of old values filters.
            let changes = e.changes.isEmpty ? [AuditChange("", old: "", new: "")] : e.changes
            for c in changes {
                rows.append(base + [.text(c.field, .plain), .text(String(c.old.prefix(32_000)), .plain), .text(String(c.new.prefix(32_000)), .plain)] + tail)
            }
        }
        var title = ["Nhật ký thay đổi — phạm vi \(user.unitName)", "Lập lúc \(Format.short(req.now)); \(Format.number(lines.count)) sự kiện, mới nhất trước."]
        if lines.count >= AuditTrail.exportLimit {
            title.append("Tệp dừng ở \(Format.number(AuditTrail.exportLimit)) sự kiện gần nhất; lọc theo thời gian để xem các sự kiện cũ hơn.")
        }
        let data = try await SimpleWorkbook.tableOffLoop(on: req, name: "Nhật ký", title: title, header: header, rows: rows)
        return Download.response(data, name: Download.listName("nhật ký", campaign: "DVK", scope: user.unitCode, at: req.now, format: "xlsx"))
    }
}
