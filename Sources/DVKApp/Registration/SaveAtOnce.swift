import DVKCore
import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

extension RegistrationStore {
    /// A new model on PostgreSQL in two statements and no transaction of DVK's. The first
    /// reads what the locked write (`SubmissionLock.write`) would take: the campaign, the
    /// unit's row and the head of its trail (an API call reads them with its token,
    /// `AuthStore.TokenUserReachSeen`; a page, alone, `Seen`). The step is judged on them by
    /// the same rules, the event sealed after that head. The second (`Written`) takes the
    /// same locks in the same order, finds each as read (the campaign's row by its `xmin`,
    /// the unit's version, the head, no registrant under another spelling of the name) and
    /// writes the registrant, the model, its event, the version and the head. When anything
    /// moved in between, it writes nothing, and the locked write runs instead: a race ends
    /// as it always did.
    ///
    /// The locked write costs five round trips with the token's (BEGIN, the take, the
    /// model with its event, COMMIT); an API call this way two. Only a new model whose step
    /// changes nothing on the unit's row (no history line: the draft already started, not
    /// returned work), with no earlier model or library model named, goes this way.
    enum SaveAtOnce {
        /// What the read found and the step made of it: the write's values.
        struct Plan: Sendable {
            var id: UUID
            var binds: [(any HotValue)?]
            var at: Date
        }

        static func save(_ draft: InitiativeDraft, campaignID: UUID, unitID: UUID, version: Int?, registering: [(any HotValue)?],
                         titleKey: String, searchKey: String, foreseen: AuditTrail.Entry.Foreseen?, seen given: (any SQLRow)?, at now: Date,
                         on db: any Database) async throws -> Saved? {
            guard let plan = try await plan(draft, campaignID: campaignID, unitID: unitID, version: version, registering: registering,
                                            titleKey: titleKey, searchKey: searchKey, foreseen: foreseen, seen: given, at: now, on: db)
            else { return nil }
            return try await write(plan, refusing: duplicate(draft), on: db)
        }

        /// The write's values, or nil when this save is not for this path: not PostgreSQL, a
        /// transaction already open, the trail off, a unit whose row or chain is not there
        /// yet, a version other than the one asked, or a step that changes the row, adds a
        /// history line or is refused (the locked write then judges it under its locks).
        /// `given`: the request's first statement's row, when it read `seenColumns` (a
        /// row for another campaign or unit is not taken).
        static func plan(_ draft: InitiativeDraft, campaignID: UUID, unitID: UUID, version: Int?, registering: [(any HotValue)?],
                         titleKey: String, searchKey: String, foreseen: AuditTrail.Entry.Foreseen?, seen given: (any SQLRow)? = nil,
                         at now: Date, on db: any Database) async throws -> Plan? {
            guard !db.inTransaction, AuditTrail.isWriting, try db.sql().dialect.name == "postgresql",
                  registering.count == 7, let name = registering[3] as? String  // as `Written` binds it, $6
            else { return nil }
            let chain = unitID.canonicalText
            // Read with the request's user when it was (for this campaign and unit), else now.
            let found: (any SQLRow)?
            if let given, given.contains(column: "c_xmin"), try given.decode(column: "c_id", as: UUID?.self) == campaignID,
               try given.decode(column: "t_unit_id", as: UUID?.self) == unitID {
                found = given
            } else {
                found = try await Seen(binds: [campaignID, unitID, chain]).first(on: db)
            }
            guard let seen = found, !(try seen.decodeNil(column: "s_id")), !(try seen.decodeNil(column: "h_seq")) else { return nil }
            let campaign = try CampaignInfo(row: seen, prefix: "c_")
            let row = try SubmissionRow(row: seen, prefix: "s_")
            guard version.map({ $0 == row.version }) ?? true,
                  let step = try? after(.edit, row, campaign, now), row.with(step) == row, row.status != .returned,
                  editEvent(row, step).isEmpty
            else { return nil }
            let head = AuditTrail.Head(chain: chain, seq: try seen.decode(column: "h_seq", as: Int64.self),
                                       hash: try seen.decode(column: "h_hash", as: String.self))
            let id = UUID.random()
            let form = formValues(draft, titleKey: titleKey, searchKey: searchKey, link: nil, at: now)
            let changes = auditChanges(campaign: campaign, registrant: ("", registrantLabel(kind: draft.kind.rawValue, name: name)),
                                       old: { _ in "" }, new: { stored(draft, $0) })
            var entry = AuditTrail.Entry("initiative.created", .initiative, id: id, label: draft.title, unit: unitID, campaign: campaign.id,
                                         changes: changes)
            entry.words = foreseen?.words(for: entry)
            guard let event = try AuditTrail.sealed(entry, after: head, at: now) else { return nil }
            let initiative: [(any HotValue)?] = [id, campaign.id, unitID, now, nil, ""] + form
            return Plan(id: id, binds: [try seen.decode(column: "c_xmin", as: String.self), row.version] + registering + initiative + event,
                        at: now)
        }

        /// Writes a plan: the model as saved, or nil when the state it was made on moved
        /// (nothing kept). A model its registrant already has in the sector is `refusing`.
        static func write(_ plan: Plan, refusing duplicate: DomainError, on db: any Database) async throws -> Saved? {
            // Timed as a write transaction unless it kept nothing: the locked write that
            // follows is timed itself (one save, one transaction).
            let started = ContinuousClock.now
            var leftToTheLockedWrite = false
            defer { if !leftToTheLockedWrite { AppMetrics.shared.writeTransaction(ContinuousClock.now - started) } }
            let row: (any SQLRow)?
            do {
                row = try await Written(binds: plan.binds).first(on: db)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == AddWriteExpectation.state || error.isRetryable {
                row = nil  // rolled back whole: nothing kept
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw duplicate
            }
            guard let row, try row.decode(column: "written", as: Bool.self) else {
                leftToTheLockedWrite = true
                AppMetrics.shared.savedAtOnce(false)
                return nil
            }
            AppMetrics.shared.savedAtOnce(true)
            return Saved(id: plan.id, registrantID: try row.decode(column: "id", as: UUID.self), registrantName: try row.decode(column: "name", as: String.self),
                         registrantTitle: try row.decode(column: "title", as: String.self), continuesID: nil, createdAt: plan.at, updatedAt: plan.at)
        }

        /// What the write assumes, beside the campaign's columns (`c_`): the campaign's row
        /// version (`c_xmin`), the unit's row (`s_`) and its chain's head (`h_`).
        static let seenColumns = ", c.xmin::text AS c_xmin, " + SubmissionRow.columns.map { "seen_s.\($0) AS s_\($0)" }.joined(separator: ", ")
            + ", seen_h.seq AS h_seq, seen_h.hash AS h_hash"

        /// `seenColumns`' joins from the campaign `c`, for the unit `unit` and its chain `chain`
        /// (SQL); their names are their own, apart from a user statement's (a session is `s`).
        static func seenJoins(unit: String, chain: String) -> String {
            " LEFT JOIN submissions seen_s ON seen_s.campaign_id = c.id AND seen_s.unit_id = \(unit) LEFT JOIN audit_chains seen_h ON seen_h.chain = \(chain)"
        }

        /// A request that creates a model, whose first statement reads `seenColumns` with its
        /// user: the API's `POST /api/v1/campaigns/C/units/U/initiatives`
        /// (`AuthStore.TokenUserReachSeen`) and the form's `POST /campaigns/C/units/U/initiatives/new`
        /// (`SessionUserReachSeen`). Read by bytes on every request.
        static func createsModel(_ method: HTTPMethod, target: String) -> Bool {
            guard method == .POST else { return false }
            let path = target.utf8.prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
            func ends(_ suffix: String) -> Bool { path.reversed().starts(with: suffix.utf8.reversed()) }
            if path.starts(with: (APIRoute.base + "/campaigns/").utf8) { return ends("/initiatives") }
            return path.starts(with: "/campaigns/".utf8) && ends("/initiatives/new")
        }

        /// The campaign ($1) with `seenColumns` for the unit $2 and its chain $3.
        struct Seen: HotStatement {
            static let sql = "SELECT \(CampaignInfo.columns.map { "c.\($0) AS c_\($0)" }.joined(separator: ", "))\(seenColumns) FROM campaigns c"
                + seenJoins(unit: "$2", chain: "$3") + " WHERE c.id = $1"
            let binds: [(any HotValue)?]
        }

        /// The write: $1 the campaign's `xmin` as read, $2 the row's version as read, $3…$9
        /// `registering`'s values, then the model's values in `Inserting.columns`' order but
        /// its registrant (the one written), then the sealed event's in `AuditTrail.columns`'.
        ///
        /// `ok` finds and locks what the plan assumed, in `SubmissionLock.take`'s order (the
        /// campaign shared, the unit's row, the head); a row another write changed and
        /// committed meanwhile is read again as it now is (PostgreSQL re-checks a row it
        /// locks), and one another write holds now is skipped, not waited for: `ok` is empty
        /// when anything moved or is moving, and then nothing is written, no error is raised
        /// (PostgreSQL would log each one), and the locked write waits its turn (waiting
        /// here too put a second wait in the slowest writes of a rush). A registrant already stored under another spelling of the
        /// name is found here too, on the statement's snapshot: a unit's registrants are
        /// shared by its campaigns, and a write of any of them holds the unit's chain head
        /// (the trail is on, or this path is not taken), so one that commits after the
        /// snapshot moved the head `ok` waits for. The rest runs only on `ok`'s row;
        /// `dvk_expect` undoes all unless the model, the version and the head were all
        /// written or none was. `ok` is also empty under an isolation other than READ
        /// COMMITTED (set as the database's default), where the commit could still refuse
        /// the statement after its answer.
        ///
        /// The statement commits when it ends (no transaction of DVK's), and PostgreSQL sends
        /// its answer with the commit's ReadyForQuery: it flushes its output only then (the
        /// row is far below its 8 kB buffer; `strace` of a backend under `scripts/rush`
        /// shows the answer sent after the commit's `fdatasync`), and no constraint waits for
        /// the commit (none is deferred; `SaveAtOnceTests`). So a model is acknowledged only
        /// when it is kept.
        struct Written: HotStatement {
            static let sql: String = {
                let model = Inserting.columns.filter { $0 != "registrant_id" }
                func value(_ column: String) -> String { "$\(10 + model.firstIndex(of: column)!)" }
                let first = 10 + model.count
                func event(_ column: String) -> String { "$\(first + AuditTrail.columns.firstIndex(of: column)!)" }
                let selected = Inserting.columns.map { $0 == "registrant_id" ? "r.id" : value($0) }
                return """
                    WITH ok AS (SELECT s.id, h.chain FROM campaigns c
                                JOIN submissions s ON s.campaign_id = c.id AND s.unit_id = \(value("unit_id"))
                                JOIN audit_chains h ON h.chain = \(event("chain"))
                                WHERE c.id = \(value("campaign_id")) AND c.xmin::text = $1 AND s.version = $2
                                AND h.seq = \(event("seq")) - 1 AND h.hash = \(event("prev_hash"))
                                AND NOT EXISTS (SELECT 1 FROM registrants WHERE unit_id = $4 AND kind = $5 AND name_key = $7 AND name <> $6)
                                AND current_setting('transaction_isolation') = 'read committed'
                                FOR SHARE OF c SKIP LOCKED FOR UPDATE OF s, h SKIP LOCKED),
                    r AS (INSERT INTO registrants (\(Registering.columns)) SELECT $3, $4, $5, $6, $7, $8, $9 FROM ok \(Registering.upsert)),
                    i AS (INSERT INTO initiatives (\(Inserting.columns.joined(separator: ", "))) SELECT \(selected.joined(separator: ", "))
                          FROM r WHERE r.name = $6 RETURNING id),
                    e AS (INSERT INTO audit_events (\(AuditTrail.columns.joined(separator: ", ")))
                          SELECT \(AuditTrail.columns.map(event).joined(separator: ", ")) FROM i),
                    s AS (UPDATE submissions SET version = version + 1 WHERE id = (SELECT id FROM ok) AND EXISTS (SELECT 1 FROM i) RETURNING 1),
                    h AS (UPDATE audit_chains SET seq = \(event("seq")), hash = \(event("hash"))
                          WHERE chain = (SELECT chain FROM ok) AND EXISTS (SELECT 1 FROM i) RETURNING 1)
                    SELECT dvk_expect((SELECT count(*) FROM ok) = (SELECT count(*) FROM i) AND (SELECT count(*) FROM i) = (SELECT count(*) FROM s)
                                      AND (SELECT count(*) FROM s) = (SELECT count(*) FROM h)) AS ok, EXISTS (SELECT 1 FROM i) AS written,
                    r.id, r.name, r.title FROM (VALUES (1)) AS one (x) LEFT JOIN r ON true
                    """
            }()
            let binds: [(any HotValue)?]
        }
    }
}
