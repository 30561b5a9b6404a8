import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Writes a unit's registrations and moves its submission through the workflow. Every
/// method is one transaction holding the unit's submission row (`SubmissionLock`): a
/// concurrent write of the same unit waits for it, then sees what it wrote; a caller that
/// passes the `version` it showed gets a 409 when something was written since. The rules
/// (what a step needs, lateness) are `Standing.after`'s, in DVKCore.
enum RegistrationStore {
    /// What a save wrote: enough to answer without reading it back.
    struct Saved: Sendable {
        var id: UUID
        var registrantID: UUID
        /// The registrant's name and title as stored (the first spelling of the name is kept).
        var registrantName: String
        var registrantTitle: String
        var continuesID: UUID?
        var createdAt: Date
        var updatedAt: Date
    }

    /// The registrant of a unit with a kind and (normalised) name, `values` made by
    /// `registering`: one upsert, which creates it or, when a title is given, updates its
    /// title. Returns its id, name and title.
    static func registrant(_ values: [(any HotValue)?], on db: any Database) async throws -> (id: UUID, name: String, title: String) {
        let row = try await Registering(binds: values).first(on: db)
        guard let row else { throw DomainError.conflict(SubmissionLock.staleMessage) }
        return try registrant(row)
    }

    /// `Registering`'s values: a new id, the unit, the kind, the name as stored and as
    /// compared, the title, the instant.
    static func registering(unitID: UUID, _ kind: RegistrantKind, _ name: String, _ title: String, at now: Date) -> [(any HotValue)?] {
        [UUID.random(), unitID, kind.rawValue, VietnameseText.clean(name), VietnameseText.nameKey(name), VietnameseText.clean(title), now]
    }

    /// The registrant a statement returned: id, name, title.
    private static func registrant(_ row: any SQLRow) throws -> (id: UUID, name: String, title: String) {
        (try row.decode(column: "id", as: UUID.self), try row.decode(column: "name", as: String.self), try row.decode(column: "title", as: String.self))
    }

    /// The columns a save writes from the form, in the order of its values.
    static let savedColumns = ["registrant_id", "sector_code", "title", "title_key", "purpose", "content", "scope", "start_date", "end_date",
                               "expected_result", "person_in_charge", "continuity", "continues_id", "search_key", "updated_at"]

    /// A new initiative: its ids, creation, the model it replicates, its changed fields, then
    /// `savedColumns`.
    struct Inserting: HotStatement {
        static let columns = ["id", "campaign_id", "unit_id", "created_at", "replicates_id", "changed_fields"] + RegistrationStore.savedColumns
        static let sql = HotText.insert(into: "initiatives", columns: columns)
        let binds: [(any HotValue)?]
    }

    /// A new initiative and the sealed event that records it, then its chain's head moved
    /// to the event, in one statement (PostgreSQL): `Inserting`'s values, then the event's.
    struct InsertingAppending: HotStatement {
        static let sql = AuditTrail.appendSQL(after: Inserting.columns.count, with: ["i AS (\(Inserting.sql))"])
        let binds: [(any HotValue)?]
    }

    /// A unit's registrant: created, or its title updated when one is given.
    struct Registering: HotStatement {
        static let columns = "id, unit_id, kind, name, name_key, title, created_at"
        /// What a second registration of the name does: the title updated when one is given.
        static let upsert = """
            ON CONFLICT (unit_id, kind, name_key) DO UPDATE
            SET title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE registrants.title END
            RETURNING id, name, title
            """
        static let sql = "INSERT INTO registrants (\(columns)) VALUES ($1, $2, $3, $4, $5, $6, $7) " + upsert
        let binds: [(any HotValue)?]
    }

    /// Adds (or, with `id`, replaces) an initiative while the unit's submission is editable.
    /// `continues` links an earlier model of the unit; with `keepLink`, an edit that names
    /// none keeps the link it had (the API, which may not know it). `seen`: the request's
    /// first statement's row, when it read what a new model's write assumes (`SaveAtOnce`).
    @discardableResult
    static func save(_ draft: InitiativeDraft, id: UUID? = nil, continues continuesID: UUID? = nil, keepLink: Bool = false,
                     replicates replicatesID: UUID? = nil, campaign: CampaignInfo, unitID: UUID, actor: String, version: Int? = nil,
                     seen: (any SQLRow)? = nil, at now: Date, on db: any Database) async throws -> Saved {
        let registering = registering(unitID: unitID, draft.kind, draft.registrantName, draft.registrantTitle, at: now)
        // The text rules' keys made before the write: its transaction holds SQLite's one writer.
        let titleKey = draft.titleKey
        let searchKey = VietnameseText.searchKey(draft.title + " " + draft.registrantName)
        // A new model's trail entry as it will be unless the registrant is stored under another
        // spelling or the campaign changed meanwhile: its words folded here, used only if the
        // entry made in the write has these very changes.
        let foreseen = id != nil ? nil : AuditTrail.Entry.foreseen(label: draft.title, changes: auditChanges(
            campaign: campaign, registrant: ("", registrantLabel(kind: draft.kind.rawValue, name: VietnameseText.clean(draft.registrantName))),
            old: { _ in "" }, new: { stored(draft, $0) }))
        // The earlier model it says it continues, if any.
        let asked = draft.continuity == .continues ? continuesID : nil
        // A new model on PostgreSQL: one statement, unless the unit moved meanwhile.
        if id == nil, replicatesID == nil, asked == nil,
           let saved = try await SaveAtOnce.save(draft, campaignID: campaign.id, unitID: unitID, version: version, registering: registering,
                                                 titleKey: titleKey, searchKey: searchKey, foreseen: foreseen, seen: seen, at: now, on: db) {
            return saved
        }
        return try await SubmissionLock.write(campaignID: campaign.id, unitID: unitID, expecting: version, actor: actor, registering: registering,
                                              at: now, on: db) { row, campaign, taken, db in
            let step = try after(.edit, row, campaign, now)
            let sql = try db.sql()
            var createdAt = now
            var link = asked
            var before: (any SQLRow)?
            if let id {
                guard let existing = try await sql.select().columns(["created_at", "continues_id", "changed_fields", "registrant_id"] + Self.compared.map(\.column))
                    .from(Initiative.schema)
                    .where("id", .equal, id).where("campaign_id", .equal, campaign.id).where("unit_id", .equal, unitID).first()
                else { throw DomainError.notFound("Không tìm thấy mô hình này trong hồ sơ của đơn vị.") }
                before = existing
                createdAt = try existing.decodeNil(column: "created_at") ? now : try existing.decode(column: "created_at", as: Date.self)
                if keepLink, link == nil, draft.continuity == .continues, !(try existing.decodeNil(column: "continues_id")) {
                    link = try existing.decode(column: "continues_id", as: UUID.self)
                }
            }
            // The earlier model it continues: one of this unit's, from another campaign.
            if let link {
                let earlier = try await sql.select().column("id").from(Initiative.schema)
                    .where("id", .equal, link).where("unit_id", .equal, unitID).where("campaign_id", .notEqual, campaign.id).first()
                guard earlier != nil else {
                    throw DomainError.invalid("Mô hình được duy trì, nhân rộng phải là mô hình của đơn vị ở đợt trước.")
                }
            }
            // The model it replicates: another unit's model published in the library (new ones only).
            if let replicatesID, id == nil {
                let published = try await sql.raw("""
                    SELECT 1 AS x FROM library l JOIN initiatives i ON i.id = l.initiative_id
                    WHERE l.initiative_id = \(bind: replicatesID) AND i.unit_id <> \(bind: unitID)
                    """).first()
                guard published != nil else {
                    throw DomainError.invalid("Mô hình được nhân rộng phải là mô hình của đơn vị khác đã công bố trên thư viện.")
                }
            }
            let formValues = Self.formValues(draft, titleKey: titleKey, searchKey: searchKey, link: link, at: now)
            func columnValues(_ registrantID: UUID) -> [(String, (any HotValue)?)] {
                Array(zip(Self.savedColumns, [registrantID] + formValues))
            }
            let savedID = id ?? UUID.random()
            // Work returned to the unit: what this save changes is kept on the model and said in
            // the history, so the reviewer sees what moved since the return.
            var changedFields = ""
            var notes: [String] = []
            // Written with the row's taking on PostgreSQL; here on SQLite.
            let registrant: SubmissionLock.Registrant
            if let taken {
                registrant = taken
            } else {
                registrant = try await Self.registrant(registering, on: db)
            }
            let conflict = duplicate(draft)
            var joined: AuditTrail.Joined?
            do {
                if let before {
                    if row.status == .returned {
                        let changed = try Self.changes(before, values: columnValues(registrant.id), registrantID: registrant.id)
                        changedFields = ChangedFields.merge(try before.decode(column: "changed_fields", as: String.self), changed)
                        if !changed.isEmpty { notes.append("Sửa “\(draft.title)”: " + ChangedFields.merge("", changed)) }
                    }
                    var update = sql.update(Initiative.schema)
                    for (column, value) in columnValues(registrant.id) { update = update.set(column, to: value.encodable) }
                    if row.status == .returned { update = update.set("changed_fields", to: changedFields) }
                    try await update.where("id", .equal, savedID).run()
                } else {
                    if row.status == .returned {
                        changedFields = ChangedFields.added
                        notes.append("Thêm mô hình “\(draft.title)”")
                    }
                    let binds = [savedID, campaign.id, unitID, now, replicatesID, changedFields] + columnValues(registrant.id).map(\.1)
                    if sql.dialect.name == "postgresql" {
                        // Left for the statement that appends its event (one round trip).
                        joined = AuditTrail.Joined(alone: { sql in
                            try await Self.mapping(conflict) { _ = try await Inserting(binds: binds).all(on: sql) }
                        }, appending: { event, sql in
                            try await Self.mapping(conflict) { _ = try await InsertingAppending(binds: binds + event).all(on: sql) }
                        })
                    } else {
                        _ = try await Inserting(binds: binds).all(on: sql)
                    }
                }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw conflict
            }
            let values = columnValues(registrant.id)
            let saved = Saved(id: savedID, registrantID: registrant.id, registrantName: registrant.name, registrantTitle: registrant.title, continuesID: link,
                              createdAt: createdAt, updatedAt: now)
            // The trail: every field old → new (the registrant by name and kind).
            let written = Dictionary(values.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
            var oldRegistrant = ""
            if let before, let old = try await sql.select().columns("kind", "name").from("registrants")
                .where("id", .equal, try before.decode(column: "registrant_id", as: UUID.self)).first() {
                oldRegistrant = Self.registrantLabel(kind: try old.decode(column: "kind", as: String.self), name: try old.decode(column: "name", as: String.self))
            }
            let changes = try Self.auditChanges(campaign: campaign, registrant: (oldRegistrant, Self.registrantLabel(kind: draft.kind.rawValue, name: registrant.name)),
                                                old: { column in try before.map { try $0.decodeNil(column: column) ? "" : try $0.decode(column: column, as: String.self) } ?? "" },
                                                new: { column in (written[column] as? String) ?? (written[column] as? String?).flatMap { $0 } ?? "" })
            var entry = AuditTrail.Entry(id == nil ? "initiative.created" : "initiative.changed", .initiative, id: savedID, label: draft.title,
                                         unit: unitID, campaign: campaign.id, changes: changes)
            entry.words = foreseen?.words(for: entry)
            var change = SubmissionLock.Change(row: row.with(step), events: editEvent(row, step, notes: notes), value: saved)
            if id == nil || !entry.changes.isEmpty { change.audit = [entry] }
            change.joined = joined
            return change
        }
    }

    /// A save's values of `savedColumns` after the registrant's id (its first), in their order.
    static func formValues(_ draft: InitiativeDraft, titleKey: String, searchKey: String, link: UUID?, at now: Date) -> [(any HotValue)?] {
        [draft.sectorCode, draft.title, titleKey, draft.purpose, draft.content, draft.scope, draft.startDate?.iso, draft.endDate?.iso,
         draft.expectedResult, draft.personInCharge, draft.continuity.rawValue, link, searchKey, now]
    }

    /// The refusal of a model its registrant already has in the sector (the unique key).
    static func duplicate(_ draft: InitiativeDraft) -> DomainError {
        .conflict("\(draft.kind.label) “\(draft.registrantName)” đã đăng ký mô hình “\(draft.title)” trong lĩnh vực này.")
    }

    /// Runs `write`, a constraint it breaks thrown as `conflict`.
    private static func mapping(_ conflict: DomainError, _ write: () async throws -> Void) async throws {
        do {
            try await write()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw conflict
        }
    }

    /// The form's fields a save compares with what is stored (the registrant apart), with
    /// their columns in `initiatives`.
    static let compared: [(field: InitiativeField, column: String)] = [
        (.sector, "sector_code"), (.title, "title"), (.purpose, "purpose"), (.content, "content"), (.scope, "scope"),
        (.startDate, "start_date"), (.endDate, "end_date"), (.expectedResult, "expected_result"),
        (.personInCharge, "person_in_charge"), (.continuity, "continuity"),
    ]

    /// An initiative's fields as the trail names and shows them: the registrant, then each
    /// compared column, its stored text given by `value`.
    static func auditFields(registrant: String, campaign: CampaignInfo, value: (String) throws -> String) rethrows -> [(String, String)] {
        var out = [("Tập thể/cá nhân đăng ký", registrant)]
        for (field, column) in compared {
            let name = ChangedFields.label(field) + (field == .startDate ? " (bắt đầu)" : field == .endDate ? " (kết thúc)" : "")
            out.append((name, shown(column, try value(column), campaign)))
        }
        return out
    }

    /// The trail's changes of a save: each field whose value differs, old → new (the
    /// registrant by its label), the stored texts given by `old` and `new`.
    static func auditChanges(campaign: CampaignInfo, registrant: (old: String, new: String), old: (String) throws -> String,
                             new: (String) throws -> String) rethrows -> [AuditChange] {
        let was = try auditFields(registrant: registrant.old, campaign: campaign, value: old)
        let now = try auditFields(registrant: registrant.new, campaign: campaign, value: new)
        return AuditChange.diff(zip(was, now).map { ($0.0.0, $0.0.1, $0.1.1) })
    }

    /// A draft's value of a compared column, as it is stored.
    static func stored(_ d: InitiativeDraft, _ column: String) -> String {
        switch column {
        case "sector_code": d.sectorCode
        case "title": d.title
        case "purpose": d.purpose
        case "content": d.content
        case "scope": d.scope
        case "start_date": d.startDate?.iso ?? ""
        case "end_date": d.endDate?.iso ?? ""
        case "expected_result": d.expectedResult
        case "person_in_charge": d.personInCharge
        case "continuity": d.continuity.rawValue
        default: ""
        }
    }

    /// "Tập thể: Tổ Công đoàn khối 1" — a registrant as the trail names it.
    static func registrantLabel(kind: String, name: String) -> String {
        guard let kind = RegistrantKind(rawValue: kind) else { return name }
        return "\(kind.label): \(name)"
    }

    /// A stored value as the trail shows it: the sector by name, the kind of model in
    /// words, a date as dd/mm/yyyy.
    static func shown(_ column: String, _ value: String, _ campaign: CampaignInfo) -> String {
        switch column {
        case "sector_code": return campaign.sectors.first { $0.code == value }?.name ?? value
        case "continuity": return Continuity(rawValue: value)?.label ?? value
        case "start_date", "end_date":
            let parts = value.split(separator: "-")
            return parts.count == 3 ? "\(parts[2])/\(parts[1])/\(parts[0])" : value
        default: return value
        }
    }

    /// The fields whose stored value differs from the one about to be written.
    static func changes(_ before: any SQLRow, values: [(String, (any HotValue)?)], registrantID: UUID) throws -> [InitiativeField] {
        let written = Dictionary(values.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        var changed: [InitiativeField] = []
        if try before.decode(column: "registrant_id", as: UUID.self) != registrantID { changed.append(.registrantName) }
        for (field, column) in compared {
            let old = try before.decodeNil(column: column) ? "" : try before.decode(column: column, as: String.self)
            let new = (written[column] as? String) ?? (written[column] as? String?).flatMap { $0 } ?? ""
            if old != new { changed.append(field) }
        }
        return changed
    }

    static func delete(initiativeID: UUID, campaign: CampaignInfo, unitID: UUID, actor: String, version: Int? = nil,
                       at now: Date, on db: any Database) async throws {
        try await SubmissionLock.write(campaignID: campaign.id, unitID: unitID, expecting: version, actor: actor, at: now, on: db) { row, campaign, db in
            let step = try after(.edit, row, campaign, now)
            let sql = try db.sql()
            let found = try await sql.select().columns(["id", "registrant_id"] + Self.compared.map(\.column)).from(Initiative.schema)
                .where("id", .equal, initiativeID).where("campaign_id", .equal, campaign.id).where("unit_id", .equal, unitID).first()
            guard let found else { throw DomainError.notFound("Không tìm thấy mô hình này trong hồ sơ của đơn vị.") }
            try await sql.delete(from: Initiative.schema).where("id", .equal, initiativeID).run()
            let title = try found.decode(column: "title", as: String.self)
            let notes = row.status == .returned ? ["Xóa mô hình “\(title)”"] : []
            // The trail keeps what was deleted, field by field.
            var registrant = ""
            if let who = try await sql.select().columns("kind", "name").from("registrants")
                .where("id", .equal, try found.decode(column: "registrant_id", as: UUID.self)).first() {
                registrant = Self.registrantLabel(kind: try who.decode(column: "kind", as: String.self), name: try who.decode(column: "name", as: String.self))
            }
            let fields = try Self.auditFields(registrant: registrant, campaign: campaign) { column in
                try found.decodeNil(column: column) ? "" : try found.decode(column: column, as: String.self)
            }.map { ($0.0, $0.1, "") }
            var change = SubmissionLock.Change(row: row.with(step), events: editEvent(row, step, notes: notes), value: ())
            change.audit = [AuditTrail.Entry("initiative.deleted", .initiative, id: initiativeID, label: title, unit: unitID, campaign: campaign.id,
                                             changes: AuditChange.diff(fields))]
            return change
        }
    }

    /// A workflow step as a person asks for it.
    enum Step: Sendable, Equatable {
        case submit, declare, accept
        /// Back to the unit, with a reason, optional comments and a date to resubmit by.
        case `return`(resubmitBy: Date?)
        /// A new deadline for the unit (nil takes its extension back).
        case extend(until: Date?)
    }

    /// Submit, answer "no model", accept, return (with a reason, optional comments on
    /// initiatives and a date to resubmit by), or extend the unit's deadline. With `notify`
    /// (email is set up), the messages the step causes go to the outbox in its transaction.
    @discardableResult
    static func perform(_ step: Step, campaign: CampaignInfo, unitID: UUID, actor: String, reason: String = "",
                        comments: [UUID: String] = [:], version: Int? = nil, at now: Date, notify: Bool = false,
                        on db: any Database) async throws -> SubmissionRow {
        // Texts are checked before anything is taken.
        var cleanComments: [UUID: String] = [:]
        var cleanReason = ""
        if case .return = step {
            cleanReason = try TextRules.returnReason.validated(reason)
            for (id, text) in comments {
                let value = try TextRules.reviewComment.validated(text)
                if !value.isEmpty { cleanComments[id] = value }
            }
        }
        let reasonText = cleanReason, commentTexts = cleanComments
        return try await SubmissionLock.write(campaignID: campaign.id, unitID: unitID, expecting: version, actor: actor, at: now, on: db) { row, campaign, db in
            let sql = try db.sql()
            let judged: SubmissionStep
            switch step {
            case .submit, .declare:
                let count = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Initiative.schema)
                    .where("campaign_id", .equal, campaign.id).where("unit_id", .equal, unitID).first()?.decode(column: "n", as: Int.self) ?? 0
                judged = step == .submit ? .submit(initiatives: count) : .declare(initiatives: count)
            case .accept: judged = .accept
            case .return(let by): judged = .return(resubmitBy: by)
            case .extend(let until): judged = .extend(until: until)
            }
            let before = row.standing(campaign)
            let standing = try after(judged, row, campaign, now)
            var next = row.with(standing)
            var notes: [String] = []
            switch step {
            case .submit, .declare:
                if row.status == .returned {
                    if before.wouldBeResubmittedLate(at: now), let by = row.resubmitBy {
                        notes.append("Nộp lại muộn (hạn nộp lại: \(DeadlineText.through(by)))")
                    }
                } else if standing.isLate {
                    notes.append("Nộp muộn (hạn nộp: trước \(VietnamTime.describe(standing.deadline)))")
                }
            case .return(let by):
                if row.status == .accepted, try await YearStore.hasDecisions(campaignID: campaign.id, unitID: unitID, sql) {
                    throw DomainError.conflict("Mô hình của đơn vị đã được công nhận theo quyết định: không trả lại hồ sơ đã duyệt. Rút quyết định công nhận trước nếu cần.")
                }
                next.returnReason = reasonText
                notes.append(reasonText)
                try await sql.update(Initiative.schema).set("review_comment", to: "").set("changed_fields", to: "")
                    .where("campaign_id", .equal, campaign.id).where("unit_id", .equal, unitID).run()
                for (id, comment) in commentTexts.sorted(by: { UUID.inTextOrder($0.key, $1.key) }) {
                    let updated = try await sql.update(Initiative.schema).set("review_comment", to: comment)
                        .where("id", .equal, id).where("campaign_id", .equal, campaign.id).where("unit_id", .equal, unitID)
                        .returning("id").first()
                    guard updated != nil else { throw DomainError.notFound("Không tìm thấy mô hình được góp ý trong hồ sơ của đơn vị.") }
                }
                if !commentTexts.isEmpty { notes.append("Góp ý cho \(VietnameseText.number(commentTexts.count)) mô hình") }
                if let by { notes.append("Hạn nộp lại: \(DeadlineText.through(by))") }
            case .accept:
                next.returnReason = nil
                try await sql.update(Initiative.schema).set("review_comment", to: "").set("changed_fields", to: "")
                    .where("campaign_id", .equal, campaign.id).where("unit_id", .equal, unitID).run()
            case .extend(let until):
                notes.append(until.map { "Gia hạn nộp \(DeadlineText.through($0))" } ?? "Bỏ gia hạn")
            }
            let event = SubmissionEventDraft(action: judged.action, from: row.status, to: next.status, note: notes.joined(separator: ". "))
            return SubmissionLock.Change(row: next, events: [event], value: next,
                                         mail: notify ? Notices.drafts(step, campaignID: campaign.id, unitID: unitID, reason: reasonText) : [])
        }
    }

    /// The standing after a step, or the step's refusal thrown.
    static func after(_ step: SubmissionStep, _ row: SubmissionRow, _ campaign: CampaignInfo, _ now: Date) throws -> Standing {
        try row.standing(campaign).after(step, at: now).get()
    }

    /// Editing a unit that had not started (or had answered "no model") starts its draft:
    /// one line of history; later edits add none, but for returned work, whose every change
    /// is a line (`notes`: what changed).
    static func editEvent(_ row: SubmissionRow, _ standing: Standing, notes: [String] = []) -> [SubmissionEventDraft] {
        guard row.status == .notStarted || row.noModel || !notes.isEmpty else { return [] }
        return [SubmissionEventDraft(action: .edit, from: row.status, to: standing.status, note: notes.joined(separator: ". "))]
    }
}
