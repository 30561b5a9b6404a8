import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Writes a unit's registrations and moves its submission through the workflow.
/// Every method runs in one transaction and records who did what.
enum RegistrationStore {
    /// The unit's submission, created (not started) when it has none yet.
    static func submission(campaignID: UUID, unitID: UUID, on db: any Database) async throws -> Submission {
        if let existing = try await Submission.query(on: db)
            .filter(\.$campaignID == campaignID).filter(\.$unitID == unitID).first() {
            return existing
        }
        let created = Submission(campaignID: campaignID, unitID: unitID)
        try await created.create(on: db)
        return created
    }

    /// The registrant of a unit with this kind and (normalised) name, created if new.
    static func registrant(unitID: UUID, kind: RegistrantKind, name: String, title: String, on db: any Database) async throws -> Registrant {
        let key = VietnameseText.nameKey(name)
        if let found = try await Registrant.query(on: db)
            .filter(\.$unitID == unitID).filter(\.$kind == kind).filter(\.$nameKey == key).first() {
            if !title.isEmpty, found.title != title {
                found.title = VietnameseText.clean(title)
                try await found.save(on: db)
            }
            return found
        }
        let created = Registrant(unitID: unitID, kind: kind, name: name, title: title)
        try await created.create(on: db)
        return created
    }

    /// Adds (or, with `id`, edits) an initiative while the unit's submission is editable.
    @discardableResult
    static func save(_ draft: InitiativeDraft, id: UUID? = nil, continues continuesID: UUID? = nil, campaign: CampaignInfo,
                     unitID: UUID, actor: String, at now: Date = Date(), on db: any Database) async throws -> Initiative {
        let problems = draft.problems(sectors: campaign.sectors)
        guard problems.isEmpty else { throw DomainError.invalid("Chưa lưu được mô hình: " + problems.joined(separator: "; ") + ".") }
        guard campaign.state == .open else { throw DomainError.conflict("Đợt thi đua không còn mở để đăng ký.") }
        return try await db.transaction { db in
            let submission = try await submission(campaignID: campaign.id, unitID: unitID, on: db)
            guard submission.status.isEditable else {
                throw DomainError.conflict("Hồ sơ đã nộp (“\(submission.status.label)”), không sửa được mô hình.")
            }
            let registrant = try await registrant(unitID: unitID, kind: draft.kind, name: draft.registrantName,
                                                  title: draft.registrantTitle, on: db)
            let initiative: Initiative
            if let id {
                guard let found = try await Initiative.find(id, on: db), found.unitID == unitID, found.campaignID == campaign.id else {
                    throw DomainError.notFound("Không tìm thấy mô hình.")
                }
                initiative = found
            } else {
                initiative = Initiative()
                initiative.campaignID = campaign.id
                initiative.unitID = unitID
            }
            initiative.registrantID = registrant.id!
            initiative.apply(draft)
            // The earlier model it continues: one of this unit's, from another campaign.
            initiative.continuesID = nil
            if draft.continuity == .continues, let continuesID {
                guard let earlier = try await Initiative.find(continuesID, on: db), earlier.unitID == unitID,
                      earlier.campaignID != campaign.id else {
                    throw DomainError.invalid("Mô hình được duy trì, nhân rộng phải là mô hình của đơn vị ở đợt trước.")
                }
                initiative.continuesID = continuesID
            }
            let duplicate = try await Initiative.query(on: db)
                .filter(\.$campaignID == campaign.id).filter(\.$unitID == unitID)
                .filter(\.$registrantID == registrant.id!).filter(\.$sectorCode == draft.sectorCode)
                .filter(\.$titleKey == draft.titleKey).first()
            if let duplicate, duplicate.id != initiative.id {
                throw DomainError.conflict("\(draft.kind.label) “\(draft.registrantName)” đã đăng ký mô hình “\(draft.title)” trong lĩnh vực này.")
            }
            try await initiative.save(on: db)
            if submission.status == .notStarted || submission.noModel {
                try await transition(submission, .edit, actor: actor, at: now, on: db)
            }
            return initiative
        }
    }

    static func delete(initiativeID: UUID, campaign: CampaignInfo, unitID: UUID, on db: any Database) async throws {
        try await db.transaction { db in
            let submission = try await submission(campaignID: campaign.id, unitID: unitID, on: db)
            guard submission.status.isEditable else {
                throw DomainError.conflict("Hồ sơ đã nộp (“\(submission.status.label)”), không xóa được mô hình.")
            }
            guard let found = try await Initiative.find(initiativeID, on: db), found.unitID == unitID, found.campaignID == campaign.id else {
                throw DomainError.notFound("Không tìm thấy mô hình.")
            }
            try await found.delete(on: db)
        }
    }

    /// Submit, declare "no model", accept, return (with a reason), reopen.
    @discardableResult
    static func perform(_ action: SubmissionAction, campaign: CampaignInfo, unitID: UUID, actor: String,
                        reason: String = "", at now: Date = Date(), extendedUntil: Date? = nil,
                        on db: any Database) async throws -> Submission {
        try await db.transaction { db in
            let submission = try await submission(campaignID: campaign.id, unitID: unitID, on: db)
            switch action {
            case .submit, .declare:
                guard campaign.state == .open else { throw DomainError.conflict("Đợt thi đua không còn mở để nộp.") }
                guard campaign.policy.allowsSubmission(at: now, extendedTo: extendedUntil) else {
                    throw DomainError.conflict("Đã quá hạn nộp (\(VietnamTime.describe(max(campaign.deadline, extendedUntil ?? campaign.deadline)))) và đợt này không nhận hồ sơ nộp muộn.")
                }
                let count = try await Initiative.query(on: db)
                    .filter(\.$campaignID == campaign.id).filter(\.$unitID == unitID).count()
                if action == .submit, count == 0 {
                    throw DomainError.invalid("Chưa có mô hình nào để nộp. Nếu năm nay đơn vị không đăng ký, hãy chọn “Đơn vị không đăng ký mô hình năm nay”.")
                }
                if action == .declare, count > 0 {
                    throw DomainError.invalid("Đơn vị đã có \(count) mô hình; hãy xóa chúng trước khi báo không đăng ký.")
                }
                submission.noModel = action == .declare
                submission.submittedAt = now
            case .return:
                let trimmed = VietnameseText.clean(reason)
                guard !trimmed.isEmpty else { throw DomainError.invalid("Cần ghi lý do trả lại để đơn vị biết cần sửa gì.") }
                submission.returnReason = trimmed
            case .accept:
                submission.returnReason = nil
            default:
                break
            }
            try await transition(submission, action, actor: actor, at: now, note: reason, on: db)
            return submission
        }
    }

    /// Applies one workflow step, records it, and recounts when what counts changed.
    static func transition(_ submission: Submission, _ action: SubmissionAction, actor: String, at: Date,
                           note: String = "", on db: any Database) async throws {
        let from = submission.status
        let to = try action.apply(to: from).get()
        submission.status = to
        if action == .edit { submission.noModel = false }
        try await submission.save(on: db)
        try await SubmissionEvent(submissionID: submission.id!, at: at, actor: actor, action: action,
                                  from: from, to: to, note: VietnameseText.clean(note)).create(on: db)
        if from.counts != to.counts || action == .import {
            try await Recount.units([submission.unitID], campaignID: submission.campaignID, on: db)
        }
    }
}
