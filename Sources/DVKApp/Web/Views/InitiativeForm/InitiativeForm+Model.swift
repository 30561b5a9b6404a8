import DVKCore
import FluentKit
import Foundation
import SQLKit
import Vapor

/// Adding or editing one mô hình, with every field of the registration form.
enum InitiativeForm {
    /// The form as posted: its fields are `InitiativeField`'s names, checked by
    /// `InitiativeInput` like the API's and a file's.
    struct Posted: Sendable {
        var input: InitiativeInput
        var continuesID: UUID?
        /// Another unit's published model this one replicates (nhân rộng).
        var replicatesID: UUID?

        init(_ form: [String: String]) {
            var input = InitiativeInput()
            for field in InitiativeField.allCases { input[field] = form[field.rawValue] }
            self.input = input
            continuesID = form["continuesID"].flatMap(UUID.init(uuidString:))
            replicatesID = form["replicatesID"].flatMap(UUID.init(uuidString:))
        }

        init(input: InitiativeInput, continuesID: UUID?) {
            self.input = input
            self.continuesID = continuesID
        }
    }

    struct Earlier: Sendable {
        var id: UUID
        var label: String
    }

    struct Model: Sendable {
        var user: CurrentUser
        var campaign: CampaignInfo
        var unit: SnapshotUnit
        var editing: UUID?
        var posted: Posted
        var errors: FieldErrors
        var collectives: [String]
        var individuals: [String]
        var earlier: [Earlier]
        /// The published model being replicated: its title and unit.
        var replicating: (title: String, unit: String)?
        /// The unit's work came back: the reviewer's reason, this model's comment, the day to resubmit by.
        var returned: Returned?
        /// The model's changes, field by field (editing only).
        var trail: [AuditTrail.Event] = []
    }

    struct Returned: Sendable {
        var reason: String
        var comment: String
        var resubmitBy: Date?
    }

    /// Each problem under its field; a form-wide one (a duplicate, a conflict) on top.
    static func errors(_ problems: InitiativeInput.Problems) -> FieldErrors {
        var errors = FieldErrors()
        for item in problems.byField where errors[item.field.rawValue] == nil {
            errors[item.field.rawValue] = item.message.capitalizedSentence + "."
        }
        return errors
    }

    static func query(view: Access.CampaignView, unit: SnapshotUnit, editing: UUID?, posted: Posted?, errors: FieldErrors = FieldErrors(),
                      continuing: UUID? = nil, replicating: UUID? = nil, on db: any Database) async throws -> Model {
        var form = posted ?? Posted(input: InitiativeInput([.kind: RegistrantKind.collective.rawValue,
                                                            .sector: view.campaign.sectors.first?.code ?? "",
                                                            .continuity: Continuity.new.rawValue]), continuesID: nil)
        if posted == nil, let editing {
            guard let i = try await Initiative.find(editing, on: db), i.unitID == unit.unitID, i.campaignID == view.campaign.id,
                  let r = try await Registrant.find(i.registrantID, on: db)
            else { throw DomainError.notFound("Không tìm thấy mô hình.") }
            var input = InitiativeInput(CampaignDocuments.draft(i, r))
            // Dates are shown as they are written in Vietnam.
            input[.startDate] = i.startDate.flatMap(CalendarDay.init(parsing:))?.vietnamese ?? ""
            input[.endDate] = i.endDate.flatMap(CalendarDay.init(parsing:))?.vietnamese ?? ""
            form = Posted(input: input, continuesID: i.continuesID)
        }
        // A new registration that continues one of the unit's earlier models starts from it.
        if posted == nil, editing == nil, let continuing, let earlier = try await Initiative.find(continuing, on: db),
           earlier.unitID == unit.unitID, earlier.campaignID != view.campaign.id,
           let r = try await Registrant.find(earlier.registrantID, on: db) {
            var input = InitiativeInput(CampaignDocuments.draft(earlier, r))
            input[.startDate] = ""
            input[.endDate] = ""
            input[.continuity] = Continuity.continues.rawValue
            if !view.campaign.sectors.contains(where: { $0.code == earlier.sectorCode }) { input[.sector] = view.campaign.sectors.first?.code ?? "" }
            form = Posted(input: input, continuesID: continuing)
        }
        // A new registration replicating another unit's published model starts from it.
        var replicated: (title: String, unit: String)?
        if editing == nil, let id = posted?.replicatesID ?? replicating, let entry = try? await Library.entry(id, on: db),
           entry.model.unitId != unit.unitID {
            replicated = (entry.item.title, entry.item.unitName)
            if posted == nil {
                var input = form.input
                input[.title] = entry.model.title
                input[.purpose] = entry.model.purpose
                input[.content] = entry.model.content
                input[.scope] = entry.model.scope
                input[.expectedResult] = entry.model.expectedResult
                if view.campaign.sectors.contains(where: { $0.code == entry.model.sectorCode }) { input[.sector] = entry.model.sectorCode }
                form = Posted(input: input, continuesID: nil)
                form.replicatesID = id
            }
        }
        // Returned work: what the reviewer asked, where the officer edits.
        var returned: Returned?
        if let row = try await SubmissionRow.find(campaignID: view.campaign.id, unitID: unit.unitID, on: db), row.status == .returned {
            let comment = try await editing.asyncMap { try await Initiative.find($0, on: db)?.reviewComment } ?? nil
            returned = Returned(reason: row.returnReason ?? "", comment: comment ?? "", resubmitBy: row.resubmitBy)
        }
        let registrants = try await Registrant.query(on: db).filter(\.$unitID == unit.unitID).sort(\.$name).all()
        let others = try await Initiative.query(on: db).filter(\.$unitID == unit.unitID).filter(\.$campaignID != view.campaign.id)
            .sort(\.$createdAt, .descending).limit(200).all()
        let years = Dictionary(uniqueKeysWithValues: try await Campaign.query(on: db).all().map { ($0.id!, $0.year) })
        let recognised = Set(try await db.sql().raw("""
            SELECT DISTINCT x.initiative_id FROM recognitions x JOIN initiatives i ON i.id = x.initiative_id WHERE i.unit_id = \(bind: unit.unitID)
            """).all().map { try $0.decode(column: "initiative_id", as: UUID.self) })
        return Model(user: view.user, campaign: view.campaign, unit: unit, editing: editing, posted: form, errors: errors,
                     collectives: registrants.filter { $0.kind == .collective }.map(\.name),
                     individuals: registrants.filter { $0.kind == .individual }.map(\.name),
                     earlier: others.sorted { recognised.contains($0.id!) && !recognised.contains($1.id!) }.map {
                         Earlier(id: $0.id!, label: "\(years[$0.campaignID].map(String.init) ?? "") — \($0.title)" + (recognised.contains($0.id!) ? " (đã được công nhận)" : ""))
                     },
                     replicating: replicated, returned: returned,
                     trail: try await editing.asyncMap { try await AuditQuery.history(kinds: [.initiative], objectID: $0.canonicalText, on: db) } ?? [])
    }
}
