import DVKCore
import FluentKit
import Foundation
import SQLKit

/// What a message is for; the composer builds each kind (`MailComposer`).
enum MailKind: String, Sendable, CaseIterable {
    /// To a unit that has not handed in, by the campaign's schedule or on demand.
    case reminder
    /// To the federation the unit reports to: the unit handed in (its summary attached).
    case submitted
    /// To the unit: its submission was received.
    case receipt
    /// To the unit: returned, with the reason and the comments.
    case returned
    /// To the unit: accepted.
    case accepted
    /// To a staff member who asked for it: the day's standing of the campaign.
    case digest
    /// To a new account: the invitation's one-time link (written whole when queued).
    case invitation
    /// To a person who forgot their password: the reset link (written whole when queued).
    case passwordReset = "password_reset"

    /// Messages carrying a one-time link: composed when queued (only the link's hash is
    /// kept elsewhere), their bytes dropped once sent, never composed again.
    var carriesSecret: Bool { self == .invitation || self == .passwordReset }

    var label: String {
        switch self {
        case .reminder: "Nhắc nộp hồ sơ"
        case .submitted: "Báo đơn vị đã nộp"
        case .receipt: "Xác nhận đã nhận hồ sơ"
        case .returned: "Trả lại hồ sơ"
        case .accepted: "Duyệt hồ sơ"
        case .digest: "Tổng hợp hằng ngày"
        case .invitation: "Lời mời dùng DVK"
        case .passwordReset: "Đặt lại mật khẩu"
        }
    }
}

enum MailStatus: String, Sendable, CaseIterable {
    case queued, sent, failed

    var label: String {
        switch self {
        case .queued: "Đang chờ gửi"
        case .sent: "Đã gửi"
        case .failed: "Gửi không thành công"
        }
    }
}

/// A message to write to the outbox: what it is about; the composer builds the rest when
/// it is first delivered.
struct OutboxDraft: Sendable {
    var kind: MailKind
    var campaignID: UUID?
    var unitID: UUID?
    var userID: UUID? = nil
    /// Known at once for reminders and digests; the composer looks it up otherwise.
    var toAddress = ""
    var toName = ""
    /// What the step said that the message repeats (a return's reason).
    var note = ""
    /// Messages with the same key are one message: the second is not written.
    var dedupeKey: String? = nil
    /// The message, when it is written whole now (`MailKind.carriesSecret`).
    var subject = ""
    var message: Data? = nil
}

/// One row of the outbox.
struct OutboxRow: Sendable, Equatable {
    var id: UUID
    var kind: MailKind
    var campaignID: UUID?
    var unitID: UUID?
    var userID: UUID?
    var toAddress: String
    var toName: String
    var subject: String
    var note: String
    var status: MailStatus
    var attempts: Int
    var nextAttemptAt: Date
    var lastAnswer: String
    var addressRefused: Bool
    var message: Data?
    var createdAt: Date
    var sentAt: Date?

    static let columns = ["id", "kind", "campaign_id", "unit_id", "user_id", "to_address", "to_name", "subject", "note", "status",
                          "attempts", "next_attempt_at", "last_answer", "address_refused", "message", "created_at", "sent_at"]
    /// Everything but the message bytes, for lists.
    static let listColumns = columns.filter { $0 != "message" }

    init(row: any SQLRow) throws {
        func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
            guard row.contains(column: column) else { return nil }
            return try row.decodeNil(column: column) ? nil : row.decode(column: column, as: T.self)
        }
        id = try row.decode(column: "id", as: UUID.self)
        kind = MailKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .reminder
        campaignID = try optional("campaign_id", UUID.self)
        unitID = try optional("unit_id", UUID.self)
        userID = try optional("user_id", UUID.self)
        toAddress = try row.decode(column: "to_address", as: String.self)
        toName = try row.decode(column: "to_name", as: String.self)
        subject = try row.decode(column: "subject", as: String.self)
        note = try row.decode(column: "note", as: String.self)
        status = MailStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .queued
        attempts = try row.decode(column: "attempts", as: Int.self)
        nextAttemptAt = try row.decode(column: "next_attempt_at", as: Date.self)
        lastAnswer = try row.decode(column: "last_answer", as: String.self)
        addressRefused = try row.decode(column: "address_refused", as: Bool.self)
        message = try optional("message", Data.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        sentAt = try optional("sent_at", Date.self)
    }
}

/// How one delivery attempt ended.
enum DeliveryOutcome: Sendable, Equatable {
    case sent(answer: String)
    case retry(answer: String)
    case failed(answer: String, addressRefused: Bool)
}

/// The durable outbox: messages are written in the transaction of the step that causes
/// them and delivered afterwards by `MailSender`, each by exactly one sender — a sender
/// takes a message with a conditional update (a lease), so two app servers never both
/// deliver it. A sender that dies holding a lease leaves the message to be taken again
/// when the lease ends: delivery is at least once, and once in every case but a crash
/// between the server's "250" and the row's update.
enum Outbox {
    static let table = "outbox"
    /// Attempts before a message is given up as failed (the waits double from `retryBase`,
    /// at most an hour: about two and a half hours in all with the default 30 s).
    static let maxAttempts = 8
    /// How long a sender holds a message it took; longer than an SMTP session may last.
    static let lease: TimeInterval = 600

    /// Writes the drafts; a draft whose dedupe key is already there is skipped. Returns the
    /// ids written.
    @discardableResult
    static func enqueue(_ drafts: [OutboxDraft], at now: Date, on db: any Database) async throws -> [UUID] {
        guard !drafts.isEmpty else { return [] }
        let columns = ["id", "kind", "campaign_id", "unit_id", "user_id", "to_address", "to_name", "note", "dedupe_key",
                       "status", "attempts", "next_attempt_at", "last_answer", "created_at", "subject", "message"]
        var written: [UUID] = []
        for chunk in drafts.chunked(max(1, 30_000 / columns.count)) {
            let values = chunk.map { d in
                let cells: [any Encodable & Sendable] = [UUID.random(), d.kind.rawValue, d.campaignID, d.unitID, d.userID, d.toAddress, d.toName,
                                                         d.note, d.dedupeKey, MailStatus.queued.rawValue, 0, now, "", now, d.subject, d.message]
                return SQLGroupExpression(cells.map { SQLBind($0) as any SQLExpression })
            }
            let rows = try await db.sql().raw("""
                INSERT INTO outbox (\(unsafeRaw: columns.joined(separator: ", "))) VALUES \(SQLList(values))
                ON CONFLICT DO NOTHING RETURNING id
                """).all()
            written += try rows.map { try $0.decode(column: "id", as: UUID.self) }
        }
        return written
    }

    /// Whether any message waits for a sender now (a read: the loop writes only when it must).
    static func hasDue(at now: Date, on db: any Database) async throws -> Bool {
        try await db.sql().raw("""
            SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= \(bind: now)
              AND (lease_until IS NULL OR lease_until < \(bind: now)) LIMIT 1
            """).first() != nil
    }

    /// Takes up to `limit` due messages (or exactly `ids`, when given) for `owner`: a
    /// message taken by another sender whose lease runs is not taken. The conditions are
    /// repeated on the outer update so that PostgreSQL re-checks them on a row another
    /// sender just took.
    static func claim(owner: String, at now: Date, limit: Int = 10, ids: [UUID]? = nil, on db: any Database) async throws -> [OutboxRow] {
        try await db.write { db in
            let sql = try db.sql()
            let skipLocked = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let only: any SQLExpression = ids == nil ? SQLRaw("") : SQLRaw(" AND id IN ")
            let list: any SQLExpression = ids.map { SQLGroupExpression($0.isEmpty ? [SQLLiteral.null] : $0.map { SQLBind($0) as any SQLExpression }) }
                ?? SQLRaw("")
            let rows = try await sql.raw("""
                UPDATE outbox SET lease_owner = \(bind: owner), lease_until = \(bind: now.addingTimeInterval(lease))
                WHERE id IN (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= \(bind: now)
                             AND (lease_until IS NULL OR lease_until < \(bind: now))\(only)\(list)
                             ORDER BY next_attempt_at LIMIT \(literal: limit)\(unsafeRaw: skipLocked))
                  AND status = 'queued' AND (lease_until IS NULL OR lease_until < \(bind: now))
                RETURNING \(unsafeRaw: OutboxRow.columns.joined(separator: ", "))
                """).all()
            return try rows.map(OutboxRow.init(row:))
        }
    }

    /// Keeps the composed message, so that every retry sends the same bytes.
    static func saveComposed(_ id: UUID, message: Data, subject: String, to: Mailbox, on db: any Database) async throws {
        try await db.write { db in
            try await db.sql().update(table).set("message", to: message).set("subject", to: subject)
                .set("to_address", to: to.address).set("to_name", to: to.name).where("id", .equal, id).run()
        }
    }

    /// Writes how an attempt ended, if the message is still this sender's (queued, leased by it).
    static func record(_ id: UUID, owner: String, outcome: DeliveryOutcome, attempts: Int, retryBase: TimeInterval,
                       at now: Date, on db: any Database) async throws {
        try await db.write { db in
            var update = try db.sql().update(table).set("attempts", to: attempts).set(SQLIdentifier("lease_owner"), to: SQLLiteral.null)
                .set(SQLIdentifier("lease_until"), to: SQLLiteral.null)
            switch outcome {
            case .sent(let answer):
                update = update.set("status", to: MailStatus.sent.rawValue).set("sent_at", to: now).set("last_answer", to: clip(answer))
                    // A one-time link leaves the database once it has left in the message.
                    .set(SQLIdentifier("message"), to: SQLRaw("CASE WHEN kind IN ('\(MailKind.invitation.rawValue)', '\(MailKind.passwordReset.rawValue)') THEN NULL ELSE message END"))
            case .retry(let answer) where attempts < maxAttempts:
                let wait = min(3600, retryBase * pow(2, Double(max(0, attempts - 1))))
                update = update.set("next_attempt_at", to: now.addingTimeInterval(wait)).set("last_answer", to: clip(answer))
            case .retry(let answer):
                update = update.set("status", to: MailStatus.failed.rawValue)
                    .set("last_answer", to: clip("Đã thử \(attempts) lần. " + answer))
            case .failed(let answer, let refused):
                update = update.set("status", to: MailStatus.failed.rawValue).set("last_answer", to: clip(answer))
                    .set("address_refused", to: refused)
            }
            try await update.where("id", .equal, id).where("status", .equal, MailStatus.queued.rawValue)
                .where("lease_owner", .equal, owner).run()
        }
    }

    /// Puts a failed message back in the queue, to be composed again (the unit's address
    /// may have been corrected). Two people pressing at once: one wins, the other gets 409.
    static func resend(_ id: UUID, at now: Date, on db: any Database) async throws {
        try await db.write { db in
            let done = try await db.sql().update(table).set("status", to: MailStatus.queued.rawValue).set("attempts", to: 0)
                .set("next_attempt_at", to: now).set(SQLIdentifier("message"), to: SQLLiteral.null)
                .set("address_refused", to: false).set("last_answer", to: "")
                .where("id", .equal, id).where("status", .equal, MailStatus.failed.rawValue)
                .returning("id", "unit_id", "campaign_id", "to_address", "subject", "kind").first()
            guard let done else {
                throw DomainError.conflict("Thư này không còn ở trạng thái “gửi không được” (có thể vừa được người khác gửi lại). Vui lòng tải lại trang.")
            }
            try await AuditTrail.record([AuditTrail.Entry("mail.resent", .mail, id: id, label: try done.decode(column: "subject", as: String.self),
                                                          unit: try done.decode(column: "unit_id", as: UUID?.self),
                                                          campaign: try done.decode(column: "campaign_id", as: UUID?.self),
                                                          details: ["Gửi tới": try done.decode(column: "to_address", as: String.self),
                                                                    "Loại thư": try done.decode(column: "kind", as: String.self)])],
                                        at: now, on: db)
        }
    }

    /// Takes a named run (a campaign's reminders of a day, a day's digests) once across
    /// every server: true for the one that takes it.
    static func takeRun(_ key: String, at now: Date, on db: any Database) async throws -> Bool {
        try await db.sql().raw("INSERT INTO mail_runs (key, at) VALUES (\(bind: key), \(bind: now)) ON CONFLICT DO NOTHING RETURNING key")
            .first() != nil
    }

    /// How long a sent message keeps its bytes (its attachments); the row itself — who,
    /// when, what, the server's answer — stays for the log.
    static let keepBodies: TimeInterval = 90 * 86_400

    /// Once a day across servers: drops the bytes of messages sent more than `keepBodies` ago.
    @discardableResult
    static func forgetOldBodies(at now: Date, on db: any Database) async throws -> Int {
        try await db.write { db in
            guard try await takeRun("retention:\(VietnamTime.day(of: now).iso)", at: now, on: db) else { return 0 }
            return try await db.sql().raw("""
                UPDATE outbox SET message = NULL
                WHERE status = 'sent' AND message IS NOT NULL AND sent_at < \(bind: now.addingTimeInterval(-keepBodies))
                RETURNING id
                """).all().count
        }
    }

    static func find(_ id: UUID, on db: any Database) async throws -> OutboxRow? {
        try await db.sql().select().columns(OutboxRow.columns).from(table).where("id", .equal, id).first().map(OutboxRow.init(row:))
    }

    /// Server answers are kept short: a page shows them.
    static func clip(_ text: String) -> String { text.count > 500 ? String(text.prefix(500)) + "…" : text }
}
