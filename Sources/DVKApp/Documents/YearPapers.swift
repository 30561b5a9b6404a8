import DVKCore
import DVKDocuments
import FluentKit
import Foundation
import SQLKit

/// The year's official documents of the caller's federation: the list it proposes upward,
/// its recognition decision with the annexed list, and its year-end report with the funnel.
enum YearPapers {
    enum Kind: String, CaseIterable, Sendable {
        case nominations = "de-nghi", decision = "quyet-dinh", report = "tong-ket"

        var label: String {
            switch self {
            case .nominations: "Danh sách đề nghị cấp trên công nhận"
            case .decision: "Quyết định công nhận (kèm danh sách)"
            case .report: "Báo cáo tổng kết"
            }
        }
    }

    /// The federation issuing them: the caller's own unit, named as the campaign froze it
    /// when it is in the campaign's tree.
    struct Issuer: Sendable {
        var id: UUID
        var name: String
        var superior: String
        var isCampaignIssuer: Bool
    }

    static func issuer(_ view: Access.CampaignView, on db: any Database) async throws -> Issuer {
        let user = view.user
        guard user.unitKind == .federation else {
            throw DomainError.forbidden("Văn bản này là văn bản của công đoàn cấp trên.")
        }
        if let own = try await CampaignUnit.query(on: db).filter(\.$campaignID == view.campaign.id).filter(\.$unitID == user.unitID).first() {
            return Issuer(id: user.unitID, name: own.name, superior: try await CampaignDocuments.parentName(view.campaign, own.snapshot, on: db),
                          isCampaignIssuer: own.pre == 0)
        }
        let unit = try await Unit.find(user.unitID, on: db)
        var parent: Unit?
        if let up = unit?.parentID { parent = try await Unit.find(up, on: db) }
        return Issuer(id: user.unitID, name: unit?.name ?? user.unitName, superior: parent?.name ?? "", isCampaignIssuer: false)
    }

    static func build(_ kind: Kind, view: Access.CampaignView, decision number: String?, options: CampaignDocuments.Options,
                      on db: any Database) async throws -> DVKDocuments.Document {
        let campaign = view.campaign
        let me = try await issuer(view, on: db)
        var header = DocumentHeader(superior: me.superior, issuer: me.name, place: campaign.place, date: options.today,
                                    showsNationalMotto: options.showNationalMotto)
        let live = try await Unit.find(me.id, on: db)
        let signer = Signatory.signer(kind: .federation, isIssuer: me.isCampaignIssuer, campaign: campaign.signer,
                                      title: live?.signerTitle ?? "", name: live?.signerName ?? "")
        let symbol = DocumentHeader.symbol(unitName: me.name, ownLetter: me.isCampaignIssuer ? campaign.number : nil)
        let letter = CampaignDocuments.letter(campaign)
        switch kind {
        case .nominations:
            header.number = "      /TTr-" + symbol
            // The proposal's own number and day, as the nominations carry them: the one asked
            // for (`so`), or the only one there is; else the number is left to fill in.
            let documents = try await nominationNumbers(view, on: db)
            var condition: SQLQueryString = "EXISTS (SELECT 1 FROM nominations n WHERE n.initiative_id = i.id AND n.from_unit_id = \(bind: me.id))"
            if let chosen = number.flatMap({ n in documents.first { $0.number == n } }) ?? (documents.count == 1 ? documents.first : nil) {
                header.number = chosen.number
                header.date = chosen.day
                condition = """
                    EXISTS (SELECT 1 FROM nominations n WHERE n.initiative_id = i.id AND n.from_unit_id = \(bind: me.id)
                            AND n.document_number = \(bind: chosen.number))
                    """
            }
            let models = try await models(view, condition: condition, on: db)
            guard !models.isEmpty else {
                throw DomainError.conflict("\(me.name) chưa đề nghị cấp trên công nhận mô hình nào trong đợt thi đua này: chưa có gì để lập tờ trình.")
            }
            return OfficialDocuments.nominationList(NominationListInput(
                header: header, year: campaign.year, to: me.superior.isEmpty ? "công đoàn cấp trên" : me.superior, letter: letter,
                models: models, signer: signer))
        case .decision:
            let decisions = try await decisionNumbers(view, on: db)
            guard let chosen = number.flatMap({ n in decisions.first { $0.number == n } }) ?? decisions.first else {
                throw DomainError.conflict("\(me.name) chưa có quyết định công nhận mô hình nào trong đợt thi đua này.")
            }
            header.number = chosen.number
            header.date = chosen.day
            let models = try await models(view, condition: """
                EXISTS (SELECT 1 FROM recognitions x WHERE x.initiative_id = i.id AND x.by_unit_id = \(bind: me.id) AND x.decision_number = \(bind: chosen.number))
                """, exemplaryBy: me.id, on: db)
            return OfficialDocuments.recognitionDecision(DVKDocuments.DecisionInput(
                header: header, year: campaign.year, letter: letter, models: models,
                signer: signer, distribution: ["Như Điều 3;", "Lưu: VT."],
                proposals: try await proposals(answeredBy: chosen.number, of: me.id, on: db)))
        case .report:
            header.number = "      /BC-" + symbol
            let notes = try await ReportNotes.load(campaign: campaign.id, unit: me.id, kind: .year, on: db)
            return OfficialDocuments.yearReport(YearReportInput(
                header: header, year: campaign.year, recipients: me.superior.isEmpty ? ["Công đoàn cấp trên"] : [me.superior],
                letter: letter, byIssuer: me.isCampaignIssuer,
                sectors: try await YearQueue.funnel(view, on: db), units: try await YearQueue.funnelByChild(view, on: db),
                signer: signer, distribution: ["Như Kính gửi;", "Lưu: VT."],
                coverage: Coverage(try await Standings.counts(campaign, scope: view.scope, on: db), asOf: options.now),
                assessment: notes.assessment, proposals: notes.proposals))
        }
    }

    /// The proposals from below that a decision of `federation` answers: the nominations to
    /// it of the models the decision recognises, by their own number and day, once each.
    static func proposals(answeredBy decision: String, of federation: UUID, on db: any Database) async throws -> [ProposalReference] {
        try await db.sql().raw("""
            SELECT DISTINCT n.document_number, n.document_date, COALESCE(cu.name, u.name) AS name, n.from_unit_id
            FROM nominations n
            JOIN recognitions r ON r.initiative_id = n.initiative_id AND r.by_unit_id = \(bind: federation) AND r.decision_number = \(bind: decision)
            JOIN units u ON u.id = n.from_unit_id
            LEFT JOIN campaign_units cu ON cu.campaign_id = n.campaign_id AND cu.unit_id = n.from_unit_id
            WHERE n.to_unit_id = \(bind: federation)
            ORDER BY n.document_date, n.document_number
            """).all().map {
                ProposalReference(number: try $0.decode(column: "document_number", as: String.self),
                                  date: CalendarDay(parsing: try $0.decode(column: "document_date", as: String.self)),
                                  from: try $0.decode(column: "name", as: String.self))
            }
    }

    /// The decisions the caller's federation issued in the campaign, newest first.
    /// The proposals' own documents of the caller's unit in the campaign: number and day.
    static func nominationNumbers(_ view: Access.CampaignView, on db: any Database) async throws -> [(number: String, day: CalendarDay)] {
        try await db.sql().raw("""
            SELECT document_number, MAX(document_date) AS day FROM nominations
            WHERE campaign_id = \(bind: view.campaign.id) AND from_unit_id = \(bind: view.user.unitID) AND document_number <> ''
            GROUP BY document_number ORDER BY MAX(document_date) DESC, document_number
            """).all().compactMap { row in
            guard let day = CalendarDay(parsing: try row.decode(column: "day", as: String.self)) else { return nil }
            return (try row.decode(column: "document_number", as: String.self), day)
        }
    }

    static func decisionNumbers(_ view: Access.CampaignView, on db: any Database) async throws -> [(number: String, day: CalendarDay, count: Int)] {
        try await db.sql().raw("""
            SELECT decision_number, MAX(decision_date) AS day, COUNT(*) AS n FROM recognitions
            WHERE campaign_id = \(bind: view.campaign.id) AND by_unit_id = \(bind: view.user.unitID)
            GROUP BY decision_number ORDER BY MAX(decision_date) DESC, decision_number
            """).all().compactMap { row in
            guard let day = CalendarDay(parsing: try row.decode(column: "day", as: String.self)) else { return nil }
            return (try row.decode(column: "decision_number", as: String.self), day, try row.decode(column: "n", as: Int.self))
        }
    }

    /// The models of the view's subtree matching `condition`, by sector then tree order, with
    /// their results in words; "tiêu biểu" as `exemplaryBy` recognised it (any recognition when nil).
    static func models(_ view: Access.CampaignView, condition: SQLQueryString, exemplaryBy: UUID? = nil,
                       on db: any Database) async throws -> [RecognisedModel] {
        struct Row: Decodable {
            var id: UUID; var title: String; var registrantKind: String; var registrantName: String; var unitName: String; var sectorCode: String
            var exemplary: Int
        }
        var exemplary: SQLQueryString = "EXISTS (SELECT 1 FROM recognitions e WHERE e.initiative_id = i.id AND e.exemplary = \(bind: true))"
        if let by = exemplaryBy {
            exemplary = "EXISTS (SELECT 1 FROM recognitions e WHERE e.initiative_id = i.id AND e.exemplary = \(bind: true) AND e.by_unit_id = \(bind: by))"
        }
        let models: SQLQueryString = """
            FROM initiatives i JOIN registrants r ON r.id = i.registrant_id
            JOIN campaign_units cu ON cu.campaign_id = i.campaign_id AND cu.unit_id = i.unit_id
            WHERE i.campaign_id = \(bind: view.campaign.id) AND cu.pre BETWEEN \(bind: view.scope.pre) AND \(bind: view.scope.last) AND \(condition)
            """
        let sql = try db.sql()
        let rows = try await sql.raw("""
            SELECT i.id, i.title, r.kind AS registrant_kind, r.name AS registrant_name, cu.name AS unit_name, i.sector_code,
                   CASE WHEN \(exemplary) THEN 1 ELSE 0 END AS exemplary
            \(models)
            ORDER BY cu.pre, i.title, i.id
            """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        // Their reports' figures, summed here rather than by SUM(), which overflows a 64-bit
        // integer (an error on both databases) where 128 bits do not.
        var results: [UUID: ProgressFigures] = [:]
        for row in try await sql.raw("""
            SELECT p.initiative_id, p.participants, p.beneficiaries, p.money, p.workdays FROM progress_reports p
            WHERE p.initiative_id IN (SELECT i.id \(models))
            """).all() {
            let figures = ProgressFigures(participants: Int128(try row.decode(column: "participants", as: Int64.self)),
                                          beneficiaries: Int128(try row.decode(column: "beneficiaries", as: Int64.self)),
                                          money: Int128(try row.decode(column: "money", as: Int64.self)),
                                          workdays: Int128(try row.decode(column: "workdays", as: Int64.self)))
            let id = try row.decode(column: "initiative_id", as: UUID.self)
            results[id] = (results[id] ?? ProgressFigures()) + figures
        }
        let order = Dictionary(view.campaign.sectors.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(view.campaign.sectors.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        return rows.enumerated().sorted { (order[$0.element.sectorCode] ?? 99, $0.offset) < (order[$1.element.sectorCode] ?? 99, $1.offset) }
            .map { _, r in
                RecognisedModel(title: r.title, kind: RegistrantKind(rawValue: r.registrantKind) ?? .collective, registrantName: r.registrantName,
                                unitName: r.unitName, sectorName: names[r.sectorCode] ?? r.sectorCode, exemplary: r.exemplary == 1,
                                results: (results[r.id] ?? ProgressFigures()).phrases.joined(separator: "; "))
            }
    }
}
