import DVKCore
import FluentKit
import Foundation

/// A unit's answer to a campaign and where it stands in review. No row = not started.
final class Submission: Model, @unchecked Sendable {
    static let schema = "submissions"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "status") var status: SubmissionStatus
    /// "Đơn vị không đăng ký mô hình năm nay": an answer of zero.
    @Field(key: "no_model") var noModel: Bool
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "return_reason") var returnReason: String?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(campaignID: UUID, unitID: UUID) {
        self.campaignID = campaignID
        self.unitID = unitID
        self.status = .notStarted
        self.noModel = false
    }
}

/// One change of a submission's state: who, when, what, why.
final class SubmissionEvent: Model, @unchecked Sendable {
    static let schema = "submission_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "submission_id") var submissionID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: SubmissionAction
    @Field(key: "from_status") var fromStatus: SubmissionStatus
    @Field(key: "to_status") var toStatus: SubmissionStatus
    @Field(key: "note") var note: String

    init() {}

    init(submissionID: UUID, at: Date, actor: String, action: SubmissionAction,
         from: SubmissionStatus, to: SubmissionStatus, note: String = "") {
        self.submissionID = submissionID
        self.at = at
        self.actor = actor
        self.action = action
        self.fromStatus = from
        self.toStatus = to
        self.note = note
    }
}
