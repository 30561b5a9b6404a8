import DVKCore
import Fluent
import Foundation
import Vapor

/// `GET /api/v1/audit`: the trail of the caller's reach (`AuditQuery`), a page at a time.
struct AuditAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.on(.listAudit, use: list)
    }

    @Sendable func list(req: Request) async throws -> APIAuditPage {
        let user = try req.requireUser()
        guard user.role.manages else {
            throw DomainError.forbidden("Chỉ cán bộ công đoàn cấp trên và quản trị viên xem nhật ký thay đổi.")
        }
        var filter = AuditQuery.Filter()
        filter.subtree = AuditQuery.scope(of: user)
        if let code = req.queryValue("unit") {
            guard code.count <= 64, let unit = try await Unit.query(on: req.database).filter(\.$code == code).first(), let id = unit.id,
                  try await AuditQuery.reaches(id, for: user, on: req.database) else {
                throw DomainError.notFound("Không có đơn vị mã “\(String(code.prefix(64)))” trong phạm vi quản lý.")
            }
            filter.subtree = id
        }
        if let since = req.queryValue("since") {
            guard since.count <= 20, let day = CalendarDay(parsing: since) else {
                throw WebError.badRequest("Tham số since là một ngày, ví dụ 2024-02-12 hoặc 12/02/2024.")
            }
            filter.since = VietnamTime.instant(day)
        }
        if let kind = req.queryValue("kind") {
            guard let k = AuditObjectKind(rawValue: kind) else {
                throw WebError.badRequest("Tham số kind là một trong: " + AuditObjectKind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            filter.kind = k
        }
        if let before = req.queryValue("before") {
            guard let cursor = AuditQuery.Cursor(String(before.prefix(80))) else { throw WebError.badRequest("Tham số before không hợp lệ.") }
            filter.before = cursor
        }
        var limit = 50
        if let raw = req.queryValue("limit") {
            guard raw.count <= 3, let n = Int(raw), (1...500).contains(n) else { throw WebError.badRequest("Tham số limit là số từ 1 đến 500.") }
            limit = n
        }
        let lines = try await AuditQuery.lines(filter, limit: limit + 1, on: req.database)
        let page = Array(lines.prefix(limit))
        return APIAuditPage(events: page.map(APIAuditEvent.init), next: lines.count > limit ? page.last.map { AuditQuery.cursor(after: $0).text } : nil)
    }
}

struct APIAuditPage: Content {
    var events: [APIAuditEvent]
    var next: String?

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(events, forKey: .events)
        try c.encode(next, forKey: .next)
    }
}

struct APIAuditEvent: Content {
    var id: UUID
    var at: String
    var actor: String
    var actorRole: String
    var address: String
    var requestId: String
    var action: String
    var actionLabel: String
    var kind: String
    var objectId: String
    var objectLabel: String
    var unit: String?
    var campaignId: UUID?
    var changes: [AuditChange]
    var details: [String: String]
    var chain: String
    var seq: Int64
    var hash: String
    var prevHash: String

    init(_ line: AuditQuery.Line) {
        let e = line.event
        id = e.id
        at = VietnamTime.iso(e.at)
        actor = e.actor
        actorRole = e.actorRole
        address = e.address
        requestId = e.requestID
        action = e.action
        actionLabel = e.label
        kind = e.kind
        objectId = e.objectID
        objectLabel = e.objectLabel
        unit = line.unitCode.isEmpty ? nil : line.unitCode
        campaignId = e.campaignID
        changes = e.changes
        details = e.details
        chain = e.chain
        seq = e.seq
        hash = e.hash
        prevHash = e.prevHash
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(at, forKey: .at)
        try c.encode(actor, forKey: .actor)
        try c.encode(actorRole, forKey: .actorRole)
        try c.encode(address, forKey: .address)
        try c.encode(requestId, forKey: .requestId)
        try c.encode(action, forKey: .action)
        try c.encode(actionLabel, forKey: .actionLabel)
        try c.encode(kind, forKey: .kind)
        try c.encode(objectId, forKey: .objectId)
        try c.encode(objectLabel, forKey: .objectLabel)
        try c.encode(unit, forKey: .unit)
        try c.encode(campaignId, forKey: .campaignId)
        try c.encode(changes, forKey: .changes)
        try c.encode(details, forKey: .details)
        try c.encode(chain, forKey: .chain)
        try c.encode(seq, forKey: .seq)
        try c.encode(hash, forKey: .hash)
        try c.encode(prevHash, forKey: .prevHash)
    }
}
