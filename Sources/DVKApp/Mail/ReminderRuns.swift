import DVKCore
import FluentKit
import Foundation
import Logging
import SQLKit

/// Reminders by email: who gets one, written to the outbox; by each campaign's schedule
/// (`ReminderSchedule`, run by `MailSender`) and on demand (the reminders page, `dvk remind`).
///
/// Who is reminded is `Standing.reminder(at:)` (a target that has not handed in and may
/// still hand in), with an address. A unit never gets two in one Vietnam day: the outbox
/// key `reminder:<campaign>:<unit>:<day>` is unique.
enum ReminderRuns {
    enum Outcome: Sendable, Equatable {
        case queued(UUID)
        /// Would be queued (a dry run).
        case wouldQueue
        case alreadyToday
        case noEmail
        /// The deadline passed and the campaign takes no late work.
        case closed

        var label: String {
            switch self {
            case .queued, .wouldQueue: "sẽ gửi"
            case .alreadyToday: "đã được nhắc hôm nay"
            case .noEmail: "chưa có email"
            case .closed: "hết hạn, đợt này không nhận hồ sơ nộp muộn"
            }
        }
    }

    struct Planned: Sendable {
        var unitID: UUID
        var code: String
        var name: String
        var address: String
        var outcome: Outcome
    }

    static func key(campaign: UUID, unit: UUID, day: CalendarDay) -> String {
        "reminder:\(campaign.canonicalText.lowercased()):\(unit.canonicalText.lowercased()):\(day.iso)"
    }

    /// A `LIKE` pattern matching the keys of every unit of `campaign` on `day`.
    static func keyPattern(campaign: UUID, day: CalendarDay) -> String {
        "reminder:\(campaign.canonicalText.lowercased()):%:\(day.iso)"
    }

    /// Writes a reminder for every unit of `scope` that should get one now (nothing when
    /// `dryRun`), and says what happened to each pending unit.
    static func enqueue(_ campaign: CampaignInfo, scope: SnapshotUnit, at now: Date, dryRun: Bool = false,
                        on db: any Database) async throws -> [Planned] {
        let lines = try await Standings.lines(campaign, scope: scope, filter: .pending, contacts: true, on: db).lines
        let day = VietnamTime.day(of: now)
        var planned: [Planned] = []
        var drafts: [(Int, OutboxDraft)] = []
        for line in lines {
            var p = Planned(unitID: line.unitID, code: line.code, name: line.name, address: line.email, outcome: .wouldQueue)
            if !line.standing.reminder(at: now).isSent {
                p.outcome = .closed
            } else if Mailbox(name: line.name, address: line.email) == nil {
                p.outcome = .noEmail
            } else {
                drafts.append((planned.count, OutboxDraft(kind: .reminder, campaignID: campaign.id, unitID: line.unitID,
                                                          toAddress: line.email, toName: line.name,
                                                          dedupeKey: key(campaign: campaign.id, unit: line.unitID, day: day))))
            }
            planned.append(p)
        }
        guard !drafts.isEmpty else { return planned }
        if dryRun {
            // What is already there today is said as it is.
            let keys = Set(try await existingKeys(drafts.compactMap(\.1.dedupeKey), on: db))
            for (index, draft) in drafts where keys.contains(draft.dedupeKey ?? "") { planned[index].outcome = .alreadyToday }
            return planned
        }
        let toWrite = drafts.map(\.1)
        let written = try await db.write { db in
            let ids = try await Outbox.enqueue(toWrite, at: now, on: db)
            try await AuditTrail.record([AuditTrail.Entry("mail.reminder_run", .mail, id: "reminders:\(campaign.code):\(scope.code):\(day.iso)",
                                                          label: "Nhắc nộp hồ sơ đợt \(campaign.code)", unit: scope.unitID, campaign: campaign.id,
                                                          details: ["Số thư xếp hàng": String(ids.count), "Phạm vi": "\(scope.code) — \(scope.name)"])],
                                        at: now, on: db)
            // The ids come back in no promised order: match them by unit.
            return try await unitsOf(ids, on: db)
        }
        for (index, _) in drafts {
            planned[index].outcome = written[planned[index].unitID].map { .queued($0) } ?? .alreadyToday
        }
        return planned
    }

    /// Every open campaign whose schedule is due now, once a day across every server.
    static func runDue(at now: Date, on db: any Database, logger: Logger) async throws {
        let rows = try await db.sql().raw("""
            SELECT c.id, c.reminder_days, c.reminder_time, c.deadline FROM campaigns c WHERE c.state = 'open'
            """).all()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            guard case .success(let schedule) = ReminderSchedule.parse(days: try row.decode(column: "reminder_days", as: String.self),
                                                                        time: try row.decode(column: "reminder_time", as: String.self)),
                  let due = schedule.due(deadline: try row.decode(column: "deadline", as: Date.self), now: now)
            else { continue }
            let count: Int? = try await db.write { db in
                guard try await Outbox.takeRun("reminders:\(id.canonicalText.lowercased()):\(VietnamTime.day(of: now).iso)", at: now, on: db),
                      let campaign = try await CampaignStore.info(id: id, on: db),
                      let root = try await CampaignStore.root(campaignID: id, on: db)
                else { return nil }
                let planned = try await enqueue(campaign, scope: root.snapshot, at: now, on: db)
                return planned.filter { if case .queued = $0.outcome { true } else { false } }.count
            }
            if let count { logger.info("email: reminders of campaign \(id) (\(due.days) days before the last day): \(count) queued") }
        }
    }

    private static func existingKeys(_ keys: [String], on db: any Database) async throws -> [String] {
        var out: [String] = []
        for chunk in keys.chunked(1_000) {
            out += try await db.sql().select().column("dedupe_key").from(Outbox.table).where("dedupe_key", .in, chunk).all()
                .map { try $0.decode(column: "dedupe_key", as: String.self) }
        }
        return out
    }

    private static func unitsOf(_ ids: [UUID], on db: any Database) async throws -> [UUID: UUID] {
        var out: [UUID: UUID] = [:]
        for chunk in ids.chunked(1_000) {
            for row in try await db.sql().select().columns("id", "unit_id").from(Outbox.table).where("id", .in, chunk).all() {
                out[try row.decode(column: "unit_id", as: UUID.self)] = try row.decode(column: "id", as: UUID.self)
            }
        }
        return out
    }
}
