import DVKCore
import FluentKit
import Foundation

/// A campaign (đợt thi đua) of an issuing federation.
final class Campaign: Model, @unchecked Sendable {
    static let schema = "campaigns"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "issuer_id") var issuerID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "title") var title: String
    @Field(key: "number") var number: String
    @Field(key: "issued_on") var issuedOn: String
    @Field(key: "place") var place: String
    @Field(key: "subject") var subject: String
    @Field(key: "addressees") var addressees: String
    @Field(key: "recipients") var recipients: String
    @Field(key: "body") var body: String
    /// The upper level's letter the campaign answers, as the report cites it; may be empty.
    @Field(key: "basis") var basis: String
    @Field(key: "sectors") var sectorsJSON: String
    @Field(key: "deadline") var deadline: Date
    @Field(key: "accepts_late") var acceptsLate: Bool
    /// When reminders go out (`ReminderSchedule`): "7, 3, 1, -1" and "08:00".
    @Field(key: "reminder_days") var reminderDays: String
    @Field(key: "reminder_time") var reminderTime: String
    /// The criteria of a verification, one per line; empty: `ModelYear.defaultCriteria`.
    @Field(key: "criteria") var criteria: String
    /// Targets are "every grassroots unit under the issuer", re-read at each sync.
    @Field(key: "all_targets") var allTargets: Bool
    @Field(key: "signer_authority") var signerAuthority: String
    @Field(key: "signer_title") var signerTitle: String
    @Field(key: "signer_name") var signerName: String
    @Field(key: "state") var state: CampaignState
    /// The issuer's and its superior's names as they were when the campaign last synced.
    @Field(key: "issuer_name") var issuerName: String
    @Field(key: "superior_name") var superiorName: String
    @OptionalField(key: "synced_at") var syncedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var sectors: [Sector] {
        get { SectorList.decode(sectorsJSON) }
        set { sectorsJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }
}
