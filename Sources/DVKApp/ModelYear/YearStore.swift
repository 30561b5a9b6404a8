import Crypto
import DVKCore
import FluentKit
import Foundation
import SQLKit

/// One model (initiative) as the year's pages and API reach it: the campaign and unit the
/// caller may see, the model, the unit's registration status, and who the caller is to it.
struct YearModel: Sendable {
    var view: Access.CampaignView
    var unit: SnapshotUnit
    var model: ModelBasics
    var status: SubmissionStatus
    /// The caller's own unit, when it is a federation above the model's unit.
    var federation: Federation?
    var actor: ModelYear.Actor

    struct Federation: Sendable, Equatable {
        var id: UUID
        var code: String
        var name: String
        /// Its depth in the live tree (0 at the top): the level of its recognitions.
        var depth: Int
        /// Its parent in the live tree: where it nominates to.
        var parentID: UUID?
    }

    var campaign: CampaignInfo { view.campaign }
    var user: CurrentUser { view.user }

    /// Refuses `step` as `ModelYear.check` rules.
    func require(_ step: ModelYear.Step) throws {
        if let refusal = ModelYear.check(step, actor: actor, status: status) { throw refusal }
    }
}

/// What a model is, for its pages: the registration's fields.
struct ModelBasics: Sendable, Codable, Equatable {
    var id: UUID
    var campaignId: UUID
    var unitId: UUID
    var sectorCode: String
    var title: String
    var purpose: String
    var content: String
    var scope: String
    var expectedResult: String
    var continuity: String
    var continuesId: UUID?
    var registrantKind: String
    var registrantName: String
    var registrantTitle: String

    static let select = """
        SELECT i.id, i.campaign_id, i.unit_id, i.sector_code, i.title, i.purpose, i.content, i.scope, i.expected_result,
               i.continuity, i.continues_id, r.kind AS registrant_kind, r.name AS registrant_name, r.title AS registrant_title
        FROM initiatives i JOIN registrants r ON r.id = i.registrant_id
        """

    var kind: RegistrantKind { RegistrantKind(rawValue: registrantKind) ?? .collective }
}

/// Everything recorded about a model's year.
struct YearRecord: Sendable {
    var reports: [ProgressReport]
    var files: [ModelFile]
    var verifications: [Verification]
    var recognitions: [Recognition]
    var nominations: [Nomination]
    var commendations: [Commendation]
    var published: Bool
    var lineage: [LineageEntry]
    /// Other units' models replicating this one (`unitCode` holds the unit's name).
    var replications: [LineageEntry] = []

    struct ProgressReport: Sendable, Codable, Equatable {
        var id: UUID
        var reportedOn: String
        var body: String
        var participants: Int
        var beneficiaries: Int
        var money: Int64
        var workdays: Int
        var author: String
        var createdAt: Date
        var day: CalendarDay? { CalendarDay(parsing: reportedOn) }
        var figures: ProgressFigures {
            ProgressFigures(participants: Int128(participants), beneficiaries: Int128(beneficiaries), money: Int128(money), workdays: Int128(workdays))
        }
    }

    struct ModelFile: Sendable, Codable, Equatable {
        var id: UUID
        var reportId: UUID
        var name: String
        var contentType: String
        var size: Int
        var `public`: Bool
        /// What the photo shows, as its uploader wrote it (empty: none yet).
        var caption: String
        var isImage: Bool { contentType.hasPrefix("image/") }
        /// The name DVK serves it under (files stored before names were made keep theirs in the database).
        var shownName: String { Attachment.storedName(name, type: contentType) }
    }

    struct Verification: Sendable, Codable, Equatable {
        var byUnitId: UUID
        var byName: String
        var verifiedOn: String
        var checklist: String
        var comments: String
        var verdict: String
        var author: String
        /// Why the verdict differs from the criteria's; empty when it follows them.
        var overrideReason: String
        /// Each criterion and whether it was met, as recorded.
        var checks: [Check] { (try? JSONDecoder().decode([Check].self, from: Data(checklist.utf8))) ?? [] }
        var result: Verdict { Verdict(rawValue: verdict) ?? .failed }
    }

    struct Check: Sendable, Codable, Equatable {
        var criterion: String
        var met: Bool
    }

    struct Recognition: Sendable, Codable, Equatable {
        var initiativeId: UUID
        var byUnitId: UUID
        var byCode: String
        var byName: String
        var byDepth: Int
        var decisionNumber: String
        var decisionDate: String
        var exemplary: Bool
        var day: CalendarDay? { CalendarDay(parsing: decisionDate) }
    }

    struct Nomination: Sendable, Codable, Equatable {
        var fromUnitId: UUID
        var fromName: String
        var toUnitId: UUID
        var toName: String
        var createdAt: Date
        /// The nomination's own document ("Tờ trình số …"): number and day, empty when none was given.
        var documentNumber: String
        var documentDate: String
        var documentDay: CalendarDay? { CalendarDay(parsing: documentDate) }
    }

    struct Commendation: Sendable, Codable, Equatable {
        var byUnitId: UUID
        var byName: String
        var form: String
        var decisionNumber: String
        var decisionDate: String
        var kind: CommendationForm { CommendationForm(rawValue: form) ?? .certificate }
        var day: CalendarDay? { CalendarDay(parsing: decisionDate) }
    }

    /// A model of another year linked to this one: the one it continues, or one continuing it.
    struct LineageEntry: Sendable, Codable, Equatable {
        var id: UUID
        var year: Int
        var campaignCode: String
        var unitCode: String
        var title: String
        var published: Bool
        /// Before this model (it continues that one) or after (that one continues it).
        var earlier: Bool
    }
}

/// The year's reads and writes. Every write runs in one transaction that first locks the
/// unit's submission row (the lock a return of the registration takes too), then checks
/// `ModelYear`'s rule against what is committed, then writes.
enum YearStore {
    static func notFound() -> DomainError {
        .notFound("Không tìm thấy mô hình này trong hồ sơ của đơn vị.")
    }

    /// The model `id` of `unit` in the caller's view of the campaign.
    static func load(view: Access.CampaignView, unit: SnapshotUnit, id: UUID, on db: any Database) async throws -> YearModel {
        let sql = try db.sql()
        guard let model = try await sql.raw("\(unsafeRaw: ModelBasics.select) WHERE i.id = \(bind: id) AND i.campaign_id = \(bind: view.campaign.id) AND i.unit_id = \(bind: unit.unitID)")
            .first(decoding: ModelBasics.self, keyDecodingStrategy: .convertFromSnakeCase)
        else { throw notFound() }
        let status = try await sql.raw("SELECT status FROM submissions WHERE campaign_id = \(bind: view.campaign.id) AND unit_id = \(bind: unit.unitID)")
            .first()?.decode(column: "status", as: String.self)
        let user = view.user
        var federation: YearModel.Federation?
        if user.unitKind == .federation, user.unitID != unit.unitID {
            federation = try await liveFederation(user.unitID, on: db)
        }
        var recognised = false
        if let f = federation {
            recognised = try await sql.raw("SELECT 1 AS x FROM recognitions WHERE initiative_id = \(bind: id) AND by_unit_id = \(bind: f.id)").first() != nil
        }
        let actor = ModelYear.Actor(manages: user.role.manages, isUnitOfficer: user.role == .officer && user.unitID == unit.unitID,
                                    isAboveUnit: federation != nil, hasRecognised: recognised)
        return YearModel(view: view, unit: unit, model: model, status: status.flatMap(SubmissionStatus.init(rawValue:)) ?? .notStarted,
                         federation: federation, actor: actor)
    }

    /// A federation of the live tree with its depth and parent.
    static func liveFederation(_ id: UUID, on db: any Database) async throws -> YearModel.Federation? {
        guard let unit = try await Unit.find(id, on: db) else { return nil }
        var depth = 0
        var parent = unit.parentID
        while let p = parent, depth < 64 {
            depth += 1
            parent = try await Unit.find(p, on: db)?.parentID
        }
        return .init(id: id, code: unit.code, name: unit.name, depth: depth, parentID: unit.parentID)
    }

    // MARK: Reading

    static func record(_ m: YearModel, on db: any Database) async throws -> YearRecord {
        let sql = try db.sql()
        let id = m.model.id
        let decode = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
        let reports = try await reports(of: id, on: db)
        let files = try await sql.raw("""
            SELECT id, report_id, name, content_type, size, public, caption FROM model_files WHERE initiative_id = \(bind: id) ORDER BY created_at, name
            """).all(decoding: YearRecord.ModelFile.self, with: decode)
        let verifications = try await sql.raw("""
            SELECT by_unit_id, by_name, verified_on, checklist, comments, verdict, author, override_reason FROM verifications
            WHERE initiative_id = \(bind: id) ORDER BY verified_on, by_name
            """).all(decoding: YearRecord.Verification.self, with: decode)
        let recognitions = try await recognitions(of: [id], on: db)[id] ?? []
        let nominations = try await sql.raw("""
            SELECT n.from_unit_id, f.name AS from_name, n.to_unit_id, t.name AS to_name, n.created_at, n.document_number, n.document_date
            FROM nominations n
            JOIN units f ON f.id = n.from_unit_id JOIN units t ON t.id = n.to_unit_id
            WHERE n.initiative_id = \(bind: id) ORDER BY n.created_at
            """).all(decoding: YearRecord.Nomination.self, with: decode)
        let commendations = try await commendations(of: id, on: db)
        let published = try await sql.raw("SELECT 1 AS x FROM library WHERE initiative_id = \(bind: id)").first() != nil
        return YearRecord(reports: reports, files: files, verifications: verifications, recognitions: recognitions,
                          nominations: nominations, commendations: commendations, published: published,
                          lineage: try await lineage(of: m.model, on: db), replications: try await replications(of: id, visibleTo: m.view.user, on: db))
    }

    /// A model's progress reports, oldest first.
    static func reports(of id: UUID, on db: any Database) async throws -> [YearRecord.ProgressReport] {
        try await db.sql().raw("""
            SELECT id, reported_on, body, participants, beneficiaries, money, workdays, author, created_at
            FROM progress_reports WHERE initiative_id = \(bind: id) ORDER BY reported_on, created_at
            """).all(decoding: YearRecord.ProgressReport.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// A model's commendations, by decision day.
    static func commendations(of id: UUID, on db: any Database) async throws -> [YearRecord.Commendation] {
        try await db.sql().raw("""
            SELECT by_unit_id, by_name, form, decision_number, decision_date FROM commendations
            WHERE initiative_id = \(bind: id) ORDER BY decision_date, by_name
            """).all(decoding: YearRecord.Commendation.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    /// The recognitions of some models, highest level first.
    static func recognitions(of ids: [UUID], on db: any Database) async throws -> [UUID: [YearRecord.Recognition]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.sql().raw("""
            SELECT initiative_id, by_unit_id, by_code, by_name, by_depth, decision_number, decision_date, exemplary FROM recognitions
            WHERE initiative_id IN (\(SQLList(ids.map { SQLBind($0) }))) ORDER BY by_depth, by_name
            """).all(decoding: YearRecord.Recognition.self, keyDecodingStrategy: .convertFromSnakeCase)
        return Dictionary(grouping: rows, by: \.initiativeId)
    }

    /// The models this one continues (back through the years) and those continuing it.
    static func lineage(of model: ModelBasics, on db: any Database) async throws -> [YearRecord.LineageEntry] {
        let sql = try db.sql()
        struct Row: Decodable { var id: UUID; var year: Int; var code: String; var unitCode: String; var title: String; var continuesId: UUID?; var published: Int }
        func rows(_ condition: SQLQueryString) async throws -> [Row] {
            try await sql.raw("""
                SELECT i.id, c.year, c.code, u.code AS unit_code, i.title, i.continues_id,
                       CASE WHEN l.initiative_id IS NULL THEN 0 ELSE 1 END AS published
                FROM initiatives i JOIN campaigns c ON c.id = i.campaign_id JOIN units u ON u.id = i.unit_id
                LEFT JOIN library l ON l.initiative_id = i.id WHERE \(condition)
                """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        var out: [YearRecord.LineageEntry] = []
        var seen: Set<UUID> = [model.id]
        var next = model.continuesId
        while let id = next, !seen.contains(id), out.count < 20 {
            seen.insert(id)
            guard let row = try await rows("i.id = \(bind: id)").first else { break }
            out.insert(.init(id: row.id, year: row.year, campaignCode: row.code, unitCode: row.unitCode, title: row.title,
                             published: row.published == 1, earlier: true), at: 0)
            next = row.continuesId
        }
        var frontier = [model.id]
        while !frontier.isEmpty, out.count < 40 {
            let found = try await rows("i.continues_id IN (\(SQLList(frontier.map { SQLBind($0) })))").filter { !seen.contains($0.id) }
            for row in found.sorted(by: { ($0.year, $0.title) < ($1.year, $1.title) }) {
                seen.insert(row.id)
                out.append(.init(id: row.id, year: row.year, campaignCode: row.code, unitCode: row.unitCode, title: row.title,
                                 published: row.published == 1, earlier: false))
            }
            frontier = found.map(\.id)
        }
        return out
    }

    /// The models of other units replicating this one (nhân rộng), oldest campaign first: to
    /// the public only those published in the library; to a signed-in user those and the
    /// ones of units in their reach (a draft of another unit is its own business).
    static func replications(of id: UUID, visibleTo user: CurrentUser?, on db: any Database) async throws -> [YearRecord.LineageEntry] {
        struct Row: Decodable { var id: UUID; var unitId: UUID; var year: Int; var code: String; var unitName: String; var title: String; var published: Int }
        let rows = try await db.sql().raw("""
            SELECT i.id, i.unit_id, c.year, c.code, u.name AS unit_name, i.title, CASE WHEN l.initiative_id IS NULL THEN 0 ELSE 1 END AS published
            FROM initiatives i JOIN campaigns c ON c.id = i.campaign_id JOIN units u ON u.id = i.unit_id
            LEFT JOIN library l ON l.initiative_id = i.id
            WHERE i.replicates_id = \(bind: id) \(unsafeRaw: user == nil ? "AND l.initiative_id IS NOT NULL" : "") ORDER BY c.year, u.name LIMIT 100
            """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        var reachable: Set<UUID> = []
        if let user { reachable = try await Access.within(Set(rows.filter { $0.published == 0 }.map(\.unitId)), of: user, on: db) }
        return rows.filter { $0.published == 1 || reachable.contains($0.unitId) }.map {
            .init(id: $0.id, year: $0.year, campaignCode: $0.code, unitCode: $0.unitName, title: $0.title, published: $0.published == 1, earlier: false)
        }
    }

    /// The bytes of one file of a model.
    static func file(_ fileID: UUID, of initiativeID: UUID, publicOnly: Bool, on db: any Database) async throws -> (name: String, type: String, data: Data) {
        struct Row: Decodable { var name: String; var contentType: String; var data: Data; var `public`: Bool }
        guard let row = try await db.sql().raw("""
            SELECT name, content_type, data, public FROM model_files WHERE id = \(bind: fileID) AND initiative_id = \(bind: initiativeID)
            """).first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase),
              !publicOnly || row.public
        else { throw DomainError.notFound("Không tìm thấy tệp này.") }
        return (Attachment.storedName(row.name, type: row.contentType), row.contentType, row.data)
    }

    // MARK: Writing

    /// Runs a year's write: locks the unit's submission row, re-reads what the rule needs,
    /// checks the rule, then runs `body`.
    private static func write<T: Sendable>(_ step: ModelYear.Step, _ m: YearModel, on db: any Database,
                                           _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await db.write { db in
            let sql = try db.sql()
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            let status = try await sql.raw("""
                SELECT status FROM submissions WHERE campaign_id = \(bind: m.campaign.id) AND unit_id = \(bind: m.unit.unitID)\(unsafeRaw: lock)
                """).first()?.decode(column: "status", as: String.self)
            var actor = m.actor
            if let f = m.federation {
                actor.hasRecognised = try await sql.raw("""
                    SELECT 1 AS x FROM recognitions WHERE initiative_id = \(bind: m.model.id) AND by_unit_id = \(bind: f.id)
                    """).first() != nil
            }
            if let refusal = ModelYear.check(step, actor: actor, status: status.flatMap(SubmissionStatus.init(rawValue:)) ?? .notStarted) {
                throw refusal
            }
            return try await body(sql)
        }
    }

    /// One event of the model's year in the trail, in the write's transaction.
    private static func trail(_ m: YearModel, _ action: String, _ changes: [(String, String, String)] = [], details: [String: String] = [:],
                              at now: Date, _ sql: any SQLDatabase) async throws {
        try await AuditTrail.record([AuditTrail.Entry(action, .model, id: m.model.id, label: m.model.title, unit: m.unit.unitID, campaign: m.campaign.id,
                                                      changes: AuditChange.diff(changes), details: details)], at: now, sql: sql)
    }

    struct NewFile: Sendable {
        var name: String
        var data: Data
        var isPublic: Bool
        /// Checked by `TextRules.photoCaption`; empty: none.
        var caption = ""
    }

    static func report(_ m: YearModel, _ input: ProgressInput, files: [NewFile], at now: Date, on db: any Database) async throws -> UUID {
        guard files.count <= Attachment.maxPerReport else {
            throw DomainError.invalid("Mỗi báo cáo đính kèm nhiều nhất \(Attachment.maxPerReport) tệp.")
        }
        for file in files {
            if let problem = Attachment.problem(name: file.name, data: file.data) { throw DomainError.invalid(problem) }
        }
        let id = UUID.random()
        let author = m.user.displayName
        try await write(.report, m, on: db) { sql in
            // Under the unit's lock, so two reports at once cannot pass the bound together.
            let reports = try await sql.raw("SELECT COUNT(*) AS n FROM progress_reports WHERE initiative_id = \(bind: m.model.id)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
            if let refusal = ProgressInput.refusal(reports: reports) { throw refusal }
            try await sql.raw("""
                INSERT INTO progress_reports (id, initiative_id, reported_on, body, participants, beneficiaries, money, workdays, author, created_at)
                VALUES (\(bind: id), \(bind: m.model.id), \(bind: input.day.iso), \(bind: input.text), \(bind: input.participants),
                        \(bind: input.beneficiaries), \(bind: input.money), \(bind: input.workdays), \(bind: author), \(bind: now))
                """).run()
            for file in files {
                let type = Attachment.contentType(of: file.data) ?? "application/octet-stream"
                try await sql.raw("""
                    INSERT INTO model_files (id, report_id, initiative_id, name, content_type, size, public, data, created_at, caption)
                    VALUES (\(bind: UUID.random()), \(bind: id), \(bind: m.model.id), \(bind: Attachment.storedName(file.name, type: type)),
                            \(bind: type), \(bind: file.data.count),
                            \(bind: file.isPublic), \(bind: file.data), \(bind: now), \(bind: file.caption))
                    """).run()
            }
            var fileLines: [String] = []
            for file in files {
                let digest = AuditSeal.hex(SHA256.hash(data: file.data))
                let stored = Attachment.storedName(file.name, type: Attachment.contentType(of: file.data) ?? "application/octet-stream")
                fileLines.append("\(stored) (\(file.data.count) byte, SHA-256 \(digest))\(file.isPublic ? ", công khai" : "")\(file.caption.isEmpty ? "" : ": “\(file.caption)”")")
            }
            try await trail(m, "model.report", [("Ngày báo cáo", "", input.day.description), ("Nội dung", "", input.text),
                                                ("Số người tham gia", "", String(input.participants)), ("Số người hưởng lợi", "", String(input.beneficiaries)),
                                                ("Kinh phí (đồng)", "", String(input.money)), ("Ngày công", "", String(input.workdays)),
                                                ("Tệp đính kèm", "", fileLines.joined(separator: "\n"))], at: now, sql)
        }
        return id
    }

    /// A file's caption, rewritten by those who may report on the model (the caption is
    /// checked by `TextRules.photoCaption` before) over the caption their form showed
    /// (`was`): two tabs saving at once, the second is told with a 409. A file of another
    /// model is not found.
    static func caption(_ m: YearModel, file: UUID, caption: String, was: String, at now: Date, on db: any Database) async throws {
        try await write(.report, m, on: db) { sql in
            guard let found = try await sql.raw("""
                SELECT name FROM model_files WHERE id = \(bind: file) AND initiative_id = \(bind: m.model.id)
                """).first() else { throw DomainError.notFound("Không tìm thấy tệp này.") }
            guard try await sql.raw("""
                UPDATE model_files SET caption = \(bind: caption)
                WHERE id = \(bind: file) AND initiative_id = \(bind: m.model.id) AND caption = \(bind: was) RETURNING id
                """).first() != nil else {
                throw DomainError.conflict("Chú thích của tệp này vừa được sửa ở nơi khác. Vui lòng tải lại trang để xem chú thích mới.")
            }
            try await trail(m, "model.caption", [("Chú thích ảnh “\(try found.decode(column: "name", as: String.self))”", was, caption)], at: now, sql)
        }
    }

    /// The caller's federation's verification, replacing its earlier one.
    static func verify(_ m: YearModel, _ input: VerificationInput, at now: Date, on db: any Database) async throws {
        let f = try federation(m)
        let criteria = m.campaign.criteria
        // Checked against the criteria the form showed; they may have been edited since.
        guard input.met.count == criteria.count else {
            throw DomainError.conflict("Tiêu chí thẩm định của đợt vừa được sửa. Vui lòng tải lại trang và thẩm định theo các tiêu chí mới.")
        }
        let checks = zip(criteria, input.met).map { YearRecord.Check(criterion: $0, met: $1) }
        let checklist = String(decoding: try JSONEncoder().encode(checks), as: UTF8.self)
        let (day, text, verdict) = (input.day, input.comments, input.verdict)
        let author = m.user.displayName
        try await write(.verify, m, on: db) { sql in
            let old = try await sql.raw("""
                SELECT verified_on, checklist, comments, verdict, override_reason FROM verifications
                WHERE initiative_id = \(bind: m.model.id) AND by_unit_id = \(bind: f.id)
                """).first()
            func was(_ c: String) throws -> String { try old.map { try $0.decode(column: c, as: String.self) } ?? "" }
            func checks(_ json: String) -> String {
                ((try? JSONDecoder().decode([YearRecord.Check].self, from: Data(json.utf8))) ?? [])
                    .map { "\($0.met ? "Đạt" : "Chưa đạt"): \($0.criterion)" }.joined(separator: "\n")
            }
            try await trail(m, "model.verify", [("Ngày kiểm tra", try was("verified_on"), day.iso), ("Kết luận", Verdict(rawValue: try was("verdict"))?.label ?? "", verdict.label),
                                                ("Tiêu chí", checks(try was("checklist")), checks(checklist)), ("Nhận xét", try was("comments"), text),
                                                ("Lý do kết luận khác tiêu chí", try was("override_reason"), input.overrideReason)],
                            details: ["Đơn vị kiểm tra": f.name], at: now, sql)
            try await sql.raw("""
                INSERT INTO verifications (id, initiative_id, by_unit_id, by_name, verified_on, checklist, comments, verdict, author, updated_at,
                                           override_reason)
                VALUES (\(bind: UUID.random()), \(bind: m.model.id), \(bind: f.id), \(bind: f.name), \(bind: day.iso), \(bind: checklist),
                        \(bind: text), \(bind: verdict.rawValue), \(bind: author), \(bind: now), \(bind: input.overrideReason))
                ON CONFLICT (initiative_id, by_unit_id) DO UPDATE SET verified_on = EXCLUDED.verified_on, checklist = EXCLUDED.checklist,
                    comments = EXCLUDED.comments, verdict = EXCLUDED.verdict, author = EXCLUDED.author, updated_at = EXCLUDED.updated_at,
                    override_reason = EXCLUDED.override_reason
                """).run()
        }
    }

    /// The caller's federation recognises the model at its level (or changes its decision).
    static func recognise(_ m: YearModel, _ decision: DecisionInput, exemplary: Bool, at now: Date, on db: any Database) async throws {
        let f = try federation(m)
        let author = m.user.displayName
        try await write(.recognise, m, on: db) { sql in
            let old = try await sql.raw("""
                SELECT decision_number, decision_date, exemplary FROM recognitions WHERE initiative_id = \(bind: m.model.id) AND by_unit_id = \(bind: f.id)
                """).first()
            try await trail(m, "model.recognise", [
                ("Số quyết định", try old?.decode(column: "decision_number", as: String.self) ?? "", decision.number),
                ("Ngày quyết định", try old?.decode(column: "decision_date", as: String.self) ?? "", decision.day.iso),
                ("Tiêu biểu", try old.map { try $0.decode(column: "exemplary", as: Bool.self) ? "có" : "không" } ?? "", exemplary ? "có" : "không"),
            ], details: ["Cấp công nhận": f.name], at: now, sql)
            try await sql.raw("""
                INSERT INTO recognitions (id, initiative_id, campaign_id, by_unit_id, by_code, by_name, by_depth, decision_number, decision_date,
                                          exemplary, author, updated_at)
                VALUES (\(bind: UUID.random()), \(bind: m.model.id), \(bind: m.campaign.id), \(bind: f.id), \(bind: f.code), \(bind: f.name),
                        \(bind: f.depth), \(bind: decision.number), \(bind: decision.day.iso), \(bind: exemplary), \(bind: author), \(bind: now))
                ON CONFLICT (initiative_id, by_unit_id) DO UPDATE SET decision_number = EXCLUDED.decision_number,
                    decision_date = EXCLUDED.decision_date, exemplary = EXCLUDED.exemplary, author = EXCLUDED.author, updated_at = EXCLUDED.updated_at
                """).run()
            try await refreshLibrary(m.model.id, sql)
        }
    }

    /// Withdraws the caller's federation's recognition; its nomination upward goes with it,
    /// and the model leaves the library when no recognition is left.
    static func withdrawRecognition(_ m: YearModel, at now: Date, on db: any Database) async throws {
        let f = try federation(m)
        try await write(.recognise, m, on: db) { sql in
            let gone = try await sql.raw("""
                DELETE FROM recognitions WHERE initiative_id = \(bind: m.model.id) AND by_unit_id = \(bind: f.id) RETURNING decision_number, decision_date
                """).all()
            guard let was = gone.first else { throw DomainError.conflict("\(f.name) chưa công nhận mô hình này.") }
            try await trail(m, "model.recognition_withdrawn", [("Số quyết định", try was.decode(column: "decision_number", as: String.self), ""),
                                                               ("Ngày quyết định", try was.decode(column: "decision_date", as: String.self), "")],
                            details: ["Cấp công nhận": f.name], at: now, sql)
            try await sql.raw("DELETE FROM nominations WHERE initiative_id = \(bind: m.model.id) AND from_unit_id = \(bind: f.id)").run()
            try await refreshLibrary(m.model.id, sql)
        }
    }

    /// Proposes the model to the caller's federation's parent, which recognises at its level.
    /// `document`: the nomination's own number and day ("Tờ trình số …"), printed on the
    /// proposal list; nil leaves them empty (the API may send none).
    static func nominate(_ m: YearModel, document: DecisionInput? = nil, at now: Date, on db: any Database) async throws {
        let f = try federation(m)
        guard let parent = f.parentID else {
            throw DomainError.conflict("\(f.name) không có công đoàn cấp trên trong hệ thống để đề nghị.")
        }
        let author = m.user.displayName
        try await write(.nominate, m, on: db) { sql in
            let added = try await sql.raw("""
                INSERT INTO nominations (id, initiative_id, campaign_id, from_unit_id, to_unit_id, author, created_at, document_number, document_date)
                VALUES (\(bind: UUID.random()), \(bind: m.model.id), \(bind: m.campaign.id), \(bind: f.id), \(bind: parent), \(bind: author), \(bind: now),
                        \(bind: document?.number ?? ""), \(bind: document?.day.iso ?? ""))
                ON CONFLICT (initiative_id, to_unit_id) DO NOTHING RETURNING id
                """).all()
            guard !added.isEmpty else { throw DomainError.conflict("Mô hình đã được đề nghị công đoàn cấp trên công nhận.") }
            try await trail(m, "model.nominate", [("Số tờ trình", "", document?.number ?? ""), ("Ngày tờ trình", "", document?.day.iso ?? "")],
                            details: ["Đơn vị đề nghị": f.name], at: now, sql)
        }
    }

    static func withdrawNomination(_ m: YearModel, at now: Date, on db: any Database) async throws {
        let f = try federation(m)
        try await write(.nominate, m, on: db) { sql in
            let gone = try await sql.raw("""
                DELETE FROM nominations WHERE initiative_id = \(bind: m.model.id) AND from_unit_id = \(bind: f.id) RETURNING id
                """).all()
            guard !gone.isEmpty else { throw DomainError.conflict("Mô hình chưa được đề nghị công đoàn cấp trên công nhận.") }
            try await trail(m, "model.nomination_withdrawn", details: ["Đơn vị đề nghị": f.name], at: now, sql)
        }
    }

    static func commend(_ m: YearModel, form: CommendationForm, _ decision: DecisionInput, at now: Date, on db: any Database) async throws {
        let f = try federation(m)
        let author = m.user.displayName
        try await write(.commend, m, on: db) { sql in
            let added = try await sql.raw("""
                INSERT INTO commendations (id, initiative_id, by_unit_id, by_name, form, decision_number, decision_date, author, created_at)
                VALUES (\(bind: UUID.random()), \(bind: m.model.id), \(bind: f.id), \(bind: f.name), \(bind: form.rawValue), \(bind: decision.number),
                        \(bind: decision.day.iso), \(bind: author), \(bind: now))
                ON CONFLICT (initiative_id, by_unit_id, form) DO NOTHING RETURNING id
                """).all()
            guard !added.isEmpty else {
                throw DomainError.conflict("\(f.name) đã tặng \(form.label) cho mô hình này.")
            }
            try await trail(m, "model.commend", [("Hình thức", "", form.label), ("Số quyết định", "", decision.number), ("Ngày quyết định", "", decision.day.iso)],
                            details: ["Đơn vị khen thưởng": f.name], at: now, sql)
        }
    }

    static func withdrawCommendation(_ m: YearModel, form: CommendationForm, at now: Date, on db: any Database) async throws {
        let f = try federation(m)
        try await write(.commend, m, on: db) { sql in
            let gone = try await sql.raw("""
                DELETE FROM commendations WHERE initiative_id = \(bind: m.model.id) AND by_unit_id = \(bind: f.id) AND form = \(bind: form.rawValue) RETURNING id
                """).all()
            guard !gone.isEmpty else { throw DomainError.conflict("\(f.name) chưa tặng \(form.label) cho mô hình này.") }
            try await trail(m, "model.commendation_withdrawn", [("Hình thức", form.label, "")], details: ["Đơn vị khen thưởng": f.name], at: now, sql)
        }
    }

    /// Publishes the model in the public library, or takes it out. Returns whether it changed.
    @discardableResult
    static func publish(_ m: YearModel, _ published: Bool, at now: Date, on db: any Database) async throws -> Bool {
        let f = try federation(m)
        let path = try await unitPath(m.unit.unitID, on: db)
        let sector = m.campaign.sectors.first { $0.code == m.model.sectorCode }?.name ?? m.model.sectorCode
        return try await write(.publish, m, on: db) { sql in
            if !published {
                try await sql.raw("DELETE FROM library_words WHERE initiative_id = \(bind: m.model.id)").run()
                let removed = !(try await sql.raw("DELETE FROM library WHERE initiative_id = \(bind: m.model.id) RETURNING initiative_id").all()).isEmpty
                if removed { try await trail(m, "model.unpublished", details: ["Đơn vị": f.name], at: now, sql) }
                return removed
            }
            let text = LibrarySearch.document([m.model.title, m.model.registrantName, m.unit.name, sector, String(m.model.content.prefix(400))])
            let added = try await sql.raw("""
                INSERT INTO library (initiative_id, campaign_id, published_by, published_at, year, campaign_code, sector_code, sector_name,
                                     registrant_kind, registrant_name, title, unit_code, unit_name, unit_path, level, exemplary, search_text)
                VALUES (\(bind: m.model.id), \(bind: m.campaign.id), \(bind: f.id), \(bind: now), \(bind: m.campaign.year), \(bind: m.campaign.code),
                        \(bind: m.model.sectorCode), \(bind: sector), \(bind: m.model.registrantKind), \(bind: m.model.registrantName),
                        \(bind: m.model.title), \(bind: m.unit.code), \(bind: m.unit.name), \(bind: path), 0, \(bind: false), \(bind: text))
                ON CONFLICT (initiative_id) DO NOTHING RETURNING initiative_id
                """).all()
            if !added.isEmpty {
                let words = LibrarySearch.indexWords(text).sorted()
                for chunk in stride(from: 0, to: words.count, by: 500).map({ Array(words[$0..<min($0 + 500, words.count)]) }) {
                    try await sql.raw("""
                        INSERT INTO library_words (word, published_at, initiative_id)
                        VALUES \(SQLList(chunk.map { SQLGroupExpression([SQLBind($0), SQLBind(now), SQLBind(m.model.id)]) }))
                        """).run()
                }
            }
            try await refreshLibrary(m.model.id, sql)
            if !added.isEmpty { try await trail(m, "model.published", details: ["Đơn vị": f.name], at: now, sql) }
            return !added.isEmpty
        }
    }

    /// Keeps a library entry's level and "tiêu biểu" equal to the model's recognitions, and
    /// removes it when none is left.
    private static func refreshLibrary(_ id: UUID, _ sql: any SQLDatabase) async throws {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n, MIN(by_depth) AS level, MAX(CASE WHEN exemplary THEN 1 ELSE 0 END) AS exemplary
            FROM recognitions WHERE initiative_id = \(bind: id)
            """).first()
        let count = try row?.decode(column: "n", as: Int.self) ?? 0
        if count == 0 {
            try await sql.raw("DELETE FROM library_words WHERE initiative_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM library WHERE initiative_id = \(bind: id)").run()
            return
        }
        let level = try row?.decode(column: "level", as: Int.self) ?? 0
        let exemplary = (try row?.decode(column: "exemplary", as: Int.self) ?? 0) == 1
        try await sql.raw("UPDATE library SET level = \(bind: level), exemplary = \(bind: exemplary) WHERE initiative_id = \(bind: id)").run()
    }

    /// "/HN/LB/GD/S1/": the unit's code and its ancestors' in the live tree, for the
    /// library's filter by federation.
    static func unitPath(_ unitID: UUID, on db: any Database) async throws -> String {
        var codes: [String] = []
        var current: UUID? = unitID
        while let id = current, codes.count < 64, let unit = try await Unit.find(id, on: db) {
            codes.insert(unit.code, at: 0)
            current = unit.parentID
        }
        return "/" + codes.joined(separator: "/") + "/"
    }

    /// Whether a unit's models in a campaign carry a recognition (a return of its accepted
    /// registration would then reopen what a decision has settled).
    static func hasDecisions(campaignID: UUID, unitID: UUID, _ sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS x FROM recognitions r JOIN initiatives i ON i.id = r.initiative_id
            WHERE i.campaign_id = \(bind: campaignID) AND i.unit_id = \(bind: unitID) LIMIT 1
            """).first() != nil
    }

    private static func federation(_ m: YearModel) throws -> YearModel.Federation {
        guard let f = m.federation else {
            throw DomainError.forbidden("Chỉ cán bộ công đoàn cấp trên của đơn vị mới thẩm định, công nhận hay khen thưởng mô hình.")
        }
        return f
    }
}
