import DVKCore
import FluentKit
import Foundation

/// One registered mô hình of a unit in a campaign.
final class Initiative: Model, @unchecked Sendable {
    static let schema = "initiatives"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "registrant_id") var registrantID: UUID
    @Field(key: "sector_code") var sectorCode: String
    @Field(key: "title") var title: String
    @Field(key: "title_key") var titleKey: String
    @Field(key: "purpose") var purpose: String
    @Field(key: "content") var content: String
    @Field(key: "scope") var scope: String
    @OptionalField(key: "start_date") var startDate: String?
    @OptionalField(key: "end_date") var endDate: String?
    @Field(key: "expected_result") var expectedResult: String
    @Field(key: "person_in_charge") var personInCharge: String
    @Field(key: "continuity") var continuity: Continuity
    @OptionalField(key: "continues_id") var continuesID: UUID?
    @Field(key: "search_key") var searchKey: String
    /// The reviewer's comment when the unit's submission was last returned.
    @Field(key: "review_comment") var reviewComment: String
    /// The fields changed since the unit's work was last returned (`ChangedFields`).
    @Field(key: "changed_fields") var changedFields: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Copies the form's fields from a draft; the registrant is resolved by the caller.
    func apply(_ draft: InitiativeDraft) {
        sectorCode = draft.sectorCode
        title = draft.title
        titleKey = draft.titleKey
        purpose = draft.purpose
        content = draft.content
        scope = draft.scope
        startDate = draft.startDate?.iso
        endDate = draft.endDate?.iso
        expectedResult = draft.expectedResult
        personInCharge = draft.personInCharge
        continuity = draft.continuity
        searchKey = VietnameseText.searchKey(draft.title + " " + draft.registrantName)
        reviewComment = ""
    }
}
