import DVKCore
import FluentKit
import Foundation
import SQLKit

/// A grassroots unit's page in a campaign: where it stands, every initiative in full, its
/// live Biểu tổng hợp, the actions its officer may take and, for reviewers, the review bar.
enum UnitPage {
    struct InitiativeRow: Sendable {
        var id: UUID
        var kind: RegistrantKind
        var registrant: String
        var registrantTitle: String
        var sectorCode: String
        var sector: String
        var title: String
        var purpose: String
        var content: String
        var scope: String
        var timeFrame: String
        var expectedResult: String
        var personInCharge: String
        var continues: Bool
        /// The title of the earlier model it continues, when linked.
        var continuesTitle: String?
        var reviewComment: String
        /// What changed since the return ("Kết quả dự kiến, Thời gian thực hiện"), for the review.
        var changedFields = ""
    }

    struct Event: Sendable {
        var at: Date
        var actor: String
        /// "Nguyễn Văn A (Trường Tiểu học Ngọc Lâm)" for a user; the name as recorded otherwise (a script, the demo).
        var who: String = ""
        var action: SubmissionAction
        var from: SubmissionStatus
        var to: SubmissionStatus
        var note: String
    }

    struct Model: Sendable {
        var user: CurrentUser
        var view: Access.CampaignView
        var unit: SnapshotUnit
        var parentName: String
        var row: SubmissionRow?
        var standing: Standing
        var initiatives: [InitiativeRow]
        var summary: Summary
        var history: [Event]
        /// "Lịch sử thay đổi": the trail of the unit in this campaign (its initiatives field by
        /// field, its steps, its models' year).
        var trail: [AuditTrail.Event] = []
        /// Units waiting for review in the reviewer's scope (this one excluded).
        var waitingElsewhere: Int
        var now: Date
        /// The unit's models recognised in earlier campaigns and not yet continued in this one.
        var toContinue: [(id: UUID, year: Int, title: String)] = []
        /// The unit's registered and recognised models over the campaigns.
        var years: [YearQueue.YearNumbers] = []
        /// Whom the unit asks: the federation directly above it, with today's contacts.
        var contact: (name: String, email: String, phone: String)?

        var campaign: CampaignInfo { view.campaign }
        var status: SubmissionStatus { standing.status }
        var version: Int { row?.version ?? 0 }
        var canEdit: Bool { view.canRegister(unit) && standing.mayEdit }
        var canSubmitNow: Bool { view.canRegister(unit) && standing.maySubmit(at: now) }
        var canReview: Bool { view.canReview(unit) }
        var returnReason: String? { status == .returned ? row?.returnReason : nil }
        /// The version a form sends back so that the write is refused if anything changed.
        var versionField: (String, String) { ("version", String(version)) }
    }

    /// A submission's ($1) history, oldest first, each step with its actor's name and unit
    /// when the actor is a user DVK knows (`person`, `person_unit`).
    struct History: HotStatement {
        static let sql = """
            SELECT e.at, e.actor, e.action, e.from_status, e.to_status, e.note, u.display_name AS person, n.name AS person_unit
            FROM submission_events e LEFT JOIN users u ON u.username = e.actor LEFT JOIN units n ON n.id = u.unit_id
            WHERE e.submission_id = $1 ORDER BY e.at, e.id
            """
        let binds: [(any HotValue)?]
    }

    /// A unit ($2) in a campaign ($1): its submission (`s_`, none before its first step) and
    /// the federation above it in the campaign's tree, named as there, with today's contacts.
    struct Place: HotStatement {
        static let sql = """
            SELECT \(SubmissionRow.columns.map { "s.\($0) AS s_\($0)" }.joined(separator: ", ")),
              p.name AS parent_name, u.id AS live_id, u.name, u.email, u.phone
            FROM campaign_units t
            LEFT JOIN submissions s ON s.campaign_id = t.campaign_id AND s.unit_id = t.unit_id
            LEFT JOIN campaign_units p ON p.campaign_id = t.campaign_id AND p.unit_id = t.parent_unit_id
            LEFT JOIN units u ON u.id = p.unit_id
            WHERE t.campaign_id = $1 AND t.unit_id = $2
            """
        let binds: [(any HotValue)?]
    }

    static func query(view: Access.CampaignView, unit: SnapshotUnit, now: Date, on db: any Database) async throws -> Model {
        let campaign = view.campaign
        // The submission and the federation above: its name in the campaign's tree, and today's contacts.
        let place = try await Place(binds: [campaign.id, unit.unitID]).first(on: db)
        let row = try place.flatMap { try $0.decodeNil(column: "s_id") ? nil : try SubmissionRow(row: $0, prefix: "s_") }
        var parentName = ""
        var contact: (name: String, email: String, phone: String)?
        if let place, try !place.decodeNil(column: "parent_name") {
            parentName = try place.decode(column: "parent_name", as: String.self)
            if try !place.decodeNil(column: "live_id") {
                contact = (try place.decode(column: "name", as: String.self), try place.decode(column: "email", as: String.self),
                           try place.decode(column: "phone", as: String.self))
            }
        }
        let stored = try await Initiative.storedWithRegistrants(campaignID: campaign.id, unitID: unit.unitID, on: db)
        let initiatives = stored.map(\.initiative)
        let links = initiatives.compactMap(\.continuesID)
        let earlier = links.isEmpty ? [:] : try await Initiative.titles(links, on: db)
        let sectorNames = Dictionary(uniqueKeysWithValues: campaign.sectors.map { ($0.code, $0.name) })
        let order = Dictionary(uniqueKeysWithValues: campaign.sectors.enumerated().map { ($1.code, $0) })
        let rows = stored.map { i, registrant in
            let draft = registrant.map { CampaignDocuments.draft(i, $0) }
                ?? CampaignDocuments.draft(i, Registrant(unitID: unit.unitID, kind: .collective, name: "", title: ""))
            return InitiativeRow(id: i.id, kind: draft.kind, registrant: draft.registrantName, registrantTitle: draft.registrantTitle,
                                 sectorCode: i.sectorCode, sector: sectorNames[i.sectorCode] ?? i.sectorCode, title: i.title,
                                 purpose: i.purpose, content: i.content, scope: i.scope, timeFrame: draft.timeFrame,
                                 expectedResult: i.expectedResult, personInCharge: i.personInCharge,
                                 continues: i.continuity == .continues, continuesTitle: i.continuesID.flatMap { earlier[$0] },
                                 reviewComment: i.reviewComment, changedFields: i.changedFields)
        }.sorted { (order[$0.sectorCode] ?? 99, $0.kind.rawValue) < (order[$1.sectorCode] ?? 99, $1.kind.rawValue) }
        var history: [Event] = []
        if let id = row?.id {
            history = try await History(binds: [id]).all(on: db).map { row in
                func value<T: RawRepresentable<String>>(_ column: String, _ type: T.Type) throws -> T {
                    let text = try row.decode(column: column, as: String.self)
                    guard let value = T(rawValue: text) else {
                        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "submission_events.\(column) “\(text)”"))
                    }
                    return value
                }
                let actor = try row.decode(column: "actor", as: String.self)
                let person = try row.decodeNil(column: "person_unit") ? nil
                    : Actors.person(try row.decode(column: "person", as: String.self), of: try row.decode(column: "person_unit", as: String.self))
                return Event(at: try row.decode(column: "at", as: Date.self), actor: actor, who: Actors.label(actor, person: person),
                             action: try value("action", SubmissionAction.self), from: try value("from_status", SubmissionStatus.self),
                             to: try value("to_status", SubmissionStatus.self), note: try row.decode(column: "note", as: String.self))
            }
        }
        var waiting = 0
        if view.canReview(unit) {
            let counts = try await Standings.counts(campaign, scope: view.scope, on: db)
            let mine = row?.standing(campaign).phase == .waitingReview ? 1 : 0
            waiting = max(0, counts.waitingReview - mine)
        }
        var model = Model(user: view.user, view: view, unit: unit, parentName: parentName, row: row,
                          standing: row?.standing(campaign) ?? Standing(policy: campaign.policy),
                          initiatives: rows, summary: SummaryQuery.preview(campaign, unitID: unit.unitID, initiatives: initiatives, registrants: stored.compactMap(\.registrant)),
                          history: history, waitingElsewhere: waiting, now: now)
        let continued = Set(initiatives.compactMap(\.continuesID))
        model.toContinue = try await YearQueue.recognisedEarlier(unitID: unit.unitID, before: campaign, on: db).filter { !continued.contains($0.id) }
        model.years = try await YearQueue.overYears(unitID: unit.unitID, user: view.user, on: db)
        model.trail = try await AuditQuery.history(campaignID: campaign.id, unitID: unit.unitID, on: db)
        model.contact = contact
        return model
    }
}
