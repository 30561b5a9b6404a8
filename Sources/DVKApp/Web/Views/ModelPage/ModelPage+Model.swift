import DVKCore
import FluentKit
import Foundation

/// A model's page through the year: its progress reports, the federations' verification,
/// recognition, nomination upward, commendation and publication, and its lineage.
enum ModelPage {
    struct Model {
        var year: YearModel
        var record: YearRecord
        /// The name of the federation the caller would nominate to (its parent).
        var parentName: String?
        /// Today in Vietnam: the day a new report or verification is dated by default.
        var today: CalendarDay
        /// A form sent back with problems: which one, its values and the problems.
        var failed: YearFormStep?
        var posted: [String: String] = [:]
        var errors = FieldErrors()
        /// The model's trail: its registration's fields and its year, newest first.
        var trail: [AuditTrail.Event] = []

        var user: CurrentUser { year.user }
        var campaign: CampaignInfo { year.campaign }
        var unit: SnapshotUnit { year.unit }
        var id: UUID { year.model.id }
        func can(_ step: ModelYear.Step) -> Bool { ModelYear.check(step, actor: year.actor, status: year.status) == nil }
        var myRecognition: YearRecord.Recognition? {
            guard let f = year.federation else { return nil }
            return record.recognitions.first { $0.byUnitId == f.id }
        }
        var myVerification: YearRecord.Verification? {
            guard let f = year.federation else { return nil }
            return record.verifications.first { $0.byUnitId == f.id }
        }
        var myNomination: YearRecord.Nomination? {
            guard let f = year.federation else { return nil }
            return record.nominations.first { $0.fromUnitId == f.id }
        }
        func value(_ form: YearFormStep, _ key: String, _ fallback: String = "") -> String {
            failed == form ? (posted[key] ?? "") : fallback
        }
        func errors(_ form: YearFormStep) -> FieldErrors { failed == form ? errors : FieldErrors() }
    }

    static func query(_ year: YearModel, now: Date, on db: any Database) async throws -> Model {
        var parentName: String?
        if let parent = year.federation?.parentID { parentName = try await Unit.find(parent, on: db)?.name }
        var model = Model(year: year, record: try await YearStore.record(year, on: db), parentName: parentName,
                          today: VietnamTime.day(of: now))
        model.trail = try await AuditQuery.history(kinds: [.initiative, .model], objectID: year.model.id.canonicalText, on: db)
        return model
    }
}
