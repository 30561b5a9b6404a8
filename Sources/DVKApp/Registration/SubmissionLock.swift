import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Every write of a unit's registration — an initiative saved, deleted or uploaded, a
/// submit, a "no model" answer, a review, an extension, an import — holds the unit's
/// submission row for its whole transaction. The row is taken by its first statement, an
/// upsert that creates it if needed and increments its version (a row lock on PostgreSQL,
/// the file's write lock on SQLite), so writes of one unit run one after another, and
/// each sees what the one before it committed.
///
/// A caller that shows a person a state and then acts on it (the submit confirmation, the
/// review buttons) passes the version it showed: if anything was written since, the write
/// is refused with a 409 and nothing changes. Two people racing thus end as one success
/// and one clear refusal, never as both.
enum SubmissionLock {
    /// What a write did: the row as it ends, the history lines to add, and a result.
    struct Change<T: Sendable>: Sendable {
        var row: SubmissionRow
        var events: [SubmissionEventDraft] = []
        var value: T
        /// The initiatives that count changed (an import of submitted rows).
        var countsChanged = false
        /// Messages the step causes, written to the outbox in the same transaction.
        var mail: [OutboxDraft] = []
        /// What the trail records beside the step itself (an initiative's fields).
        var audit: [AuditTrail.Entry] = []
        /// A write left for the statement that appends `audit`'s event (a new initiative).
        var joined: AuditTrail.Joined?
    }

    /// A unit's registrant as stored: its id, its name as first spelt, its title.
    typealias Registrant = (id: UUID, name: String, title: String)

    static let staleMessage = "Hồ sơ của đơn vị vừa được thay đổi (ở một trang khác hoặc bởi người khác). Dữ liệu chưa bị thay đổi; vui lòng tải lại trang để xem hồ sơ mới nhất rồi thực hiện lại."

    /// Runs `body` holding the campaign (shared, `CampaignLock`) and the unit's submission
    /// row; writes the row, its history and the maintained counts that follow from the
    /// change, all in the same transaction. `body` is given the campaign as read under the
    /// lock, so a step is judged by the deadline, state and policy it commits under.
    static func write<T: Sendable>(campaignID: UUID, unitID: UUID, expecting version: Int? = nil, actor: String,
                                   at now: Date, on db: any Database,
                                   _ body: @escaping @Sendable (SubmissionRow, CampaignInfo, any Database) async throws -> Change<T>) async throws -> T {
        try await write(campaignID: campaignID, unitID: unitID, expecting: version, actor: actor, registering: nil, at: now, on: db) { row, campaign, _, db in
            try await body(row, campaign, db)
        }
    }

    /// As `write`, with the unit's registrant `registering` (`RegistrationStore.registering`'s
    /// values) created or its title updated by the first statement on PostgreSQL, once the
    /// row is taken, and given to `body`; elsewhere `body` is given nil and writes it itself.
    static func write<T: Sendable>(campaignID: UUID, unitID: UUID, expecting version: Int? = nil, actor: String,
                                   registering: [(any HotValue)?]?, at now: Date, on db: any Database,
                                   _ body: @escaping @Sendable (SubmissionRow, CampaignInfo, Registrant?, any Database) async throws -> Change<T>)
        async throws -> T {
        try await db.write { db in
            let taken = try await take(campaignID: campaignID, unitID: unitID, registering: registering, on: db)
            let before = taken.row
            // The upsert made the version at least 1, so `- 1` cannot overflow, whatever was sent.
            if let version, before.version - 1 != version {
                throw DomainError.conflict(staleMessage)
            }
            let change = try await body(before, taken.campaign, taken.registrant, db)
            var held = taken.head
            var joined = change.joined
            // A write the counts read goes before them.
            if let write = joined, change.countsChanged || before.status.counts != change.row.status.counts {
                try await write.alone(try db.sql())
                joined = nil
            }
            try await persist([(before, change.row, change.events, change.countsChanged)], campaign: taken.campaign, actor: actor, at: now, on: db,
                              holding: &held)
            try await AuditTrail.record(change.audit, at: now, on: db, holding: &held, joining: joined)
            try await Outbox.enqueue(change.mail, at: now, on: db)
            return change.value
        }
    }

    /// What a write's first statement took: the campaign, the unit's row, on PostgreSQL the
    /// head of the unit's chain and the registrant it was asked to write.
    struct Taken: Sendable {
        var campaign: CampaignInfo
        var row: SubmissionRow
        var head: AuditTrail.Head?
        var registrant: Registrant?
    }

    /// A unit's write's first statement: the campaign held shared (`CampaignLock`), then the
    /// unit's row taken (`lock`), then on PostgreSQL the head of the unit's audit chain, in
    /// that order, in one round trip; with `registering`, on PostgreSQL, the registrant
    /// written after the row. SQLite's writer already holds the whole file: there the
    /// campaign and the row are read, and the trail reads its head when it appends.
    static func take(campaignID: UUID, unitID: UUID, registering: [(any HotValue)?]? = nil, on db: any Database) async throws -> Taken {
        let sql = try db.sql()
        guard sql.dialect.name == "postgresql" else {
            let campaign = try await CampaignLock.shared(campaignID, on: db)
            return Taken(campaign: campaign, row: try await lock(campaignID: campaignID, unitID: unitID, on: db))
        }
        let chain: String? = AuditTrail.isWriting ? unitID.canonicalText : nil
        let binds: [(any HotValue)?] = [UUID.random(), campaignID, unitID] + newRow + [chain]
        let found: (any SQLRow)?
        if let registering {
            found = try await TakeAllRegistering(binds: binds + registering).first(on: sql)
        } else {
            found = try await TakeAll(binds: binds).first(on: sql)
        }
        guard let row = found else { throw CampaignLock.missing }
        guard !(try row.decodeNil(column: "version")) else { throw DomainError.conflict(staleMessage) }
        var taken = Taken(campaign: try CampaignInfo(row: row, prefix: "c_"), row: try SubmissionRow(row: row))
        if let chain {
            guard !(try row.decodeNil(column: "seq")) else { throw DomainError.conflict(staleMessage) }
            taken.head = AuditTrail.Head(chain: chain, seq: try row.decode(column: "seq", as: Int64.self), hash: try row.decode(column: "hash", as: String.self))
        }
        if registering != nil {
            guard !(try row.decodeNil(column: "r_id")) else { throw DomainError.conflict(staleMessage) }
            taken.registrant = (try row.decode(column: "r_id", as: UUID.self), try row.decode(column: "r_name", as: String.self),
                                try row.decode(column: "r_title", as: String.self))
        }
        return taken
    }

    /// `take`'s statement on PostgreSQL: $1 a new id, $2 the campaign, $3 the unit, `newRow`,
    /// $10 the unit's chain (NULL when the trail is off). Each part reads the campaign's or
    /// the row's, so the locks are taken in their order: campaign, row, then the head. The head is taken as
    /// `AuditTrail.TakeHead` takes it, with no number reserved: the append moves it.
    struct TakeAll: HotStatement {
        static let sql = SubmissionLock.takeAllSQL(registering: false)
        let binds: [(any HotValue)?]
    }

    /// `TakeAll`, then the registrant written as `RegistrationStore.Registering` writes it,
    /// its values $11…$17, under the row's lock: an upsert, which sees the row a write that
    /// held the lock before committed.
    struct TakeAllRegistering: HotStatement {
        static let sql = SubmissionLock.takeAllSQL(registering: true)
        let binds: [(any HotValue)?]
    }

    private static func takeAllSQL(registering: Bool) -> String {
        let registrant = registering ? """
            ,
            r AS (INSERT INTO registrants (\(RegistrationStore.Registering.columns)) SELECT $11, $12, $13, $14, $15, $16, $17 FROM s \(RegistrationStore.Registering.upsert))
            """ : ""
        return """
            WITH c AS (SELECT \(CampaignInfo.columns.joined(separator: ", ")) FROM campaigns WHERE id = $2 FOR SHARE),
            s AS (\(SubmissionLock.takeInto) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM c\(SubmissionLock.takeConflict)),
            h AS (INSERT INTO audit_chains (chain, seq, hash) SELECT $10::text, 0, '' FROM s WHERE $10::text IS NOT NULL \(AuditTrail.reserving))\(registrant)
            SELECT \(CampaignInfo.columns.map { "c.\($0) AS c_\($0)" }.joined(separator: ", ")), s.*, h.seq, h.hash\(registering ? ", r.id AS r_id, r.name AS r_name, r.title AS r_title" : "")
            FROM c LEFT JOIN s ON true LEFT JOIN h ON true\(registering ? " LEFT JOIN r ON true" : "")
            """
    }

    /// Takes the row (creating it, not started, if the unit has none): one statement.
    static func lock(campaignID: UUID, unitID: UUID, on db: any Database) async throws -> SubmissionRow {
        guard let row = try await TakeOne(binds: [UUID.random(), campaignID, unitID] + newRow).first(on: db) else {
            throw DomainError.conflict(staleMessage)
        }
        return try SubmissionRow(row: row)
    }

    /// The columns a taken row is created with, and their values after the ids: not
    /// started, version 1.
    private static let takeInto = "INSERT INTO submissions (id, campaign_id, unit_id, status, no_model, phase, late, resubmitted_late, version)"
    private static let newRow: [(any HotValue)?] = [SubmissionStatus.notStarted.rawValue, false, Standing.Phase.notStarted.rawValue, false, false, 1]
    private static let takeConflict = """
         ON CONFLICT (campaign_id, unit_id) DO UPDATE SET version = submissions.version + 1
        RETURNING \(SubmissionRow.columns.joined(separator: ", "))
        """

    /// One unit's row ($1 a new id, $2 the campaign, $3 the unit), taken: a step's first
    /// statement after the campaign's.
    struct TakeOne: HotStatement {
        static let sql = SubmissionLock.takeInto + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)" + SubmissionLock.takeConflict
        let binds: [(any HotValue)?]
    }

    /// Takes the rows of many units (an import) in one statement per chunk, in a fixed
    /// order so that two importers never hold each other's rows.
    static func lock(campaignID: UUID, units: [UUID], on db: any Database) async throws -> [UUID: SubmissionRow] {
        var out: [UUID: SubmissionRow] = [:]
        let sorted = units.sorted(by: UUID.inTextOrder)
        for chunk in sorted.chunked(2_000) {
            let values = chunk.map { unit in
                SQLGroupExpression(([UUID.random(), campaignID, unit] + newRow).map { SQLBind($0.encodable) as any SQLExpression })
            }
            let rows = try await db.sql().raw("\(unsafeRaw: takeInto) VALUES \(SQLList(values))\(unsafeRaw: takeConflict)").all()
            for row in rows {
                let submission = try SubmissionRow(row: row)
                out[submission.unitID] = submission
            }
        }
        return out
    }

    /// Writes submission rows with the standing derived from each (`phase`, `late`,
    /// `resubmitted_late`): the one place those columns are written, for a step
    /// (`persist`) and for a recount after the campaign's policy changed. `touching`: the
    /// instant the rows changed (their `updated_at`), nil for a recount, which leaves it.
    static func store(_ rows: [SubmissionRow], campaign: CampaignInfo, touching now: Date?, on db: any Database) async throws {
        var columns = ["id", "campaign_id", "unit_id", "status", "no_model", "submitted_at", "first_submitted_at", "resubmit_by",
                       "extended_until", "return_reason", "phase", "late", "resubmitted_late", "version"]
        if now != nil { columns.append("updated_at") }
        for chunk in rows.chunked(max(1, 30_000 / columns.count)) {
            let values = chunk.map { row in
                let standing = row.standing(campaign)
                var cells: [any Encodable & Sendable] = [
                    row.id, row.campaignID, row.unitID, row.status.rawValue, row.noModel, row.submittedAt, row.firstSubmittedAt,
                    row.resubmitBy, row.extendedUntil, row.returnReason, standing.phase.rawValue, standing.isLate,
                    standing.isResubmittedLate, row.version,
                ]
                if let now { cells.append(now) }
                return SQLGroupExpression(cells.map { SQLBind($0) as any SQLExpression })
            }
            let updates = columns.dropFirst(3).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            try await db.sql().raw("""
                INSERT INTO submissions (\(unsafeRaw: columns.joined(separator: ", "))) VALUES \(SQLList(values))
                ON CONFLICT (campaign_id, unit_id) DO UPDATE SET \(unsafeRaw: updates)
                """).run()
        }
    }

    /// The trail's events of a step (an edit or an import records its initiatives instead):
    /// the row's fields old → new, with the history's note.
    static func audit(before: SubmissionRow, after: SubmissionRow, events: [SubmissionEventDraft], campaign: CampaignInfo) -> [AuditTrail.Entry] {
        events.filter { $0.action != .edit && $0.action != .import }.map { event in
            func instant(_ d: Date?) -> String { d.map(DeadlineText.through) ?? "" }
            let changes = AuditChange.diff([
                ("Trạng thái", before.status.label, after.status.label),
                ("Không đăng ký mô hình", before.noModel ? "có" : "", after.noModel ? "có" : ""),
                ("Gia hạn nộp đến", instant(before.extendedUntil), instant(after.extendedUntil)),
                ("Hạn nộp lại", instant(before.resubmitBy), instant(after.resubmitBy)),
                ("Lý do trả lại", before.returnReason ?? "", after.returnReason ?? ""),
            ])
            return AuditTrail.Entry("submission.\(event.action.rawValue)", .submission, id: after.id, label: "Hồ sơ đăng ký đợt \(campaign.code)",
                                    unit: after.unitID, campaign: campaign.id, changes: changes,
                                    details: event.note.isEmpty ? [:] : ["Ghi chú": event.note])
        }
    }

    /// Writes what changed: each row with its derived standing (one upsert per chunk), the
    /// history, the units' counts when what counts changed, and the federations' standing
    /// counts.
    static func persist(_ changes: [(before: SubmissionRow, after: SubmissionRow, events: [SubmissionEventDraft], countsChanged: Bool)],
                        campaign: CampaignInfo, actor: String, at now: Date, on db: any Database) async throws {
        var held: AuditTrail.Head?
        try await persist(changes, campaign: campaign, actor: actor, at: now, on: db, holding: &held)
    }

    /// As `persist(_:campaign:actor:at:on:)`, the trail appended from a head the transaction holds.
    static func persist(_ changes: [(before: SubmissionRow, after: SubmissionRow, events: [SubmissionEventDraft], countsChanged: Bool)],
                        campaign: CampaignInfo, actor: String, at now: Date, on db: any Database, holding held: inout AuditTrail.Head?) async throws {
        let changed = changes.filter { $0.after != $0.before }
        try await store(changed.map(\.after), campaign: campaign, touching: now, on: db)
        let events: [[any Encodable & Sendable]] = changes.flatMap { change in
            change.events.map { [UUID.random(), change.after.id, now, actor, $0.action.rawValue, $0.from.rawValue, $0.to.rawValue, $0.note] }
        }
        try await BulkInsert.run(db, into: SubmissionEvent.schema,
                                 columns: ["id", "submission_id", "at", "actor", "action", "from_status", "to_status", "note"],
                                 rows: events)
        try await AuditTrail.record(changes.flatMap { audit(before: $0.before, after: $0.after, events: $0.events, campaign: campaign) }, at: now, on: db,
                                    holding: &held)
        let recount = Set(changes.filter { $0.countsChanged || $0.before.status.counts != $0.after.status.counts }.map(\.after.unitID))
        var deltas: [UUID: StandingCounts] = [:]
        for change in changed {
            let delta = StandingCounts(change.after.standing(campaign)) - StandingCounts(change.before.standing(campaign))
            if !delta.isZero { deltas[change.after.unitID] = delta }
        }
        // The federations above the units, walked once for both kinds of counts.
        let touched = recount.union(deltas.keys)
        guard !touched.isEmpty else { return }
        let ancestors = try await Ancestors.of(Array(touched), campaignID: campaign.id, on: db)
        try await Recount.units(recount, campaignID: campaign.id, ancestors: ancestors, on: db)
        if !deltas.isEmpty { try await Standings.apply(deltas, campaignID: campaign.id, ancestors: ancestors, on: db) }
    }
}
