import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Editing a campaign after it is created, and moving it through its states.
extension CampaignStore {
    /// Changes a campaign's letter, dates, sectors, signer and targets (never its code or
    /// issuer). The frozen tree is kept, unless the targets change: then the live tree is
    /// taken in again, as a re-sync does.
    static func update(code: String, with input: CampaignInput, at now: Date, on db: any Database) async throws -> CampaignInfo {
        guard (2000...2100).contains(input.year) else { throw DomainError.invalid("Năm \(input.year) không hợp lệ.") }
        guard !input.sectors.isEmpty else { throw DomainError.invalid("Đợt thi đua cần ít nhất một lĩnh vực.") }
        return try await db.write { db in
            let campaign = try await find(code: code, on: db)
            let campaignID = try campaign.requireID()
            guard campaign.state != .archived else {
                throw DomainError.conflict("Đợt thi đua “\(code)” đã lưu trữ nên không sửa được nữa.")
            }
            // A sector that already holds initiatives cannot go: they would belong nowhere.
            let removed = campaign.sectors.filter { old in !input.sectors.contains { $0.code == old.code } }
            for sector in removed {
                let used = try await Initiative.query(on: db)
                    .filter(\.$campaignID == campaignID).filter(\.$sectorCode == sector.code).count()
                if used > 0 {
                    throw DomainError.conflict("Không thể bỏ “\(sector.name)” (mã \(sector.code)): đã có \(VietnameseText.number(used)) mô hình đăng ký trong lĩnh vực này.")
                }
            }
            let targeted = Set(try await CampaignUnit.query(on: db)
                .filter(\.$campaignID == campaignID).filter(\.$isTarget == true).all(\.$unitID))
            let targetsChange = input.targets != (campaign.allTargets ? nil : targeted)
            if targetsChange {
                guard campaign.state == .draft || campaign.state == .open else {
                    throw DomainError.conflict("Đợt thi đua đang ở trạng thái “\(campaign.state.label)”: không đổi được đơn vị tham gia. Đề nghị mở lại đợt trước khi thay đổi.")
                }
                if let kept = input.targets {
                    try await refuseDropping(targeted.subtracting(kept), campaignID: campaignID, on: db)
                }
            }
            let deadlineChanged = campaign.deadline != input.deadline
            if let problem = CampaignDates.problem(deadline: input.deadline,
                                                   issuedOn: input.issuedOn ?? CalendarDay(parsing: campaign.issuedOn) ?? VietnamTime.day(of: now)) {
                throw DomainError.invalid(problem)
            }
            let title = input.title.map(VietnameseText.clean) ?? ""
            campaign.year = input.year
            campaign.title = title.isEmpty ? "Phong trào thi đua “Dân vận khéo” năm \(input.year)" : title
            campaign.number = VietnameseText.clean(input.number)
            if let issued = input.issuedOn { campaign.issuedOn = issued.iso }
            campaign.place = input.place ?? place(from: campaign.issuerName)
            if let subject = input.subject { campaign.subject = subject }
            campaign.addressees = input.addressees.joined(separator: "\n")
            campaign.recipients = input.recipients.joined(separator: "\n")
            campaign.body = input.body
            campaign.basis = input.basis
            campaign.sectors = input.sectors
            campaign.deadline = input.deadline
            campaign.acceptsLate = input.acceptsLate
            campaign.reminderDays = input.reminders.daysText
            campaign.reminderTime = input.reminders.timeText
            campaign.criteria = input.criteria
            campaign.signerAuthority = input.signer.authority
            campaign.signerTitle = input.signer.title
            campaign.signerName = input.signer.name
            if targetsChange {
                campaign.allTargets = input.targets == nil
                try await sync(campaign, targets: input.targets, at: now, on: db)
            } else {
                try await campaign.save(on: db)
                // Lateness is judged against the deadline: a new one judges every unit again.
                if deadlineChanged { try await Standings.recountCampaign(campaignID, on: db) }
            }
            return CampaignInfo(campaign)
        }
    }

    /// Opens, closes, reopens or archives a campaign, as `CampaignState.next` allows. The
    /// first opening of a draft takes in the tree as it is that day.
    static func changeState(code: String, to next: CampaignState, at now: Date, on db: any Database) async throws -> CampaignInfo {
        try await db.write { db in
            let campaign = try await find(code: code, on: db)
            let from = campaign.state
            guard from.next.contains(next) else {
                throw DomainError.conflict("Không thể chuyển đợt thi đua từ “\(from.label)” sang “\(next.label)”.")
            }
            campaign.state = next
            if from == .draft, next == .open {
                try await sync(campaign, at: now, on: db)
            } else {
                try await campaign.save(on: db)
            }
            return CampaignInfo(campaign)
        }
    }

    /// Takes the live tree into a draft or open campaign (as `dvk campaign sync`).
    static func resync(code: String, at now: Date, on db: any Database) async throws -> CampaignInfo {
        try await db.write { db in
            let campaign = try await find(code: code, on: db)
            guard campaign.state == .open || campaign.state == .draft else {
                throw DomainError.conflict("Đợt thi đua đang ở trạng thái “\(campaign.state.label)”: danh sách đơn vị được giữ nguyên như lúc đó.")
            }
            try await sync(campaign, at: now, on: db)
            return CampaignInfo(campaign)
        }
    }

    /// Refuses to take out of the targets a unit that has already started its registration.
    private static func refuseDropping(_ units: Set<UUID>, campaignID: UUID, on db: any Database) async throws {
        guard !units.isEmpty else { return }
        var dropped: [UUID] = []
        for chunk in Array(units).chunked(500) {
            dropped += try await Submission.query(on: db).filter(\.$campaignID == campaignID)
                .filter(\.$unitID ~~ chunk).filter(\.$status != .notStarted).all(\.$unitID)
        }
        guard !dropped.isEmpty else { return }
        let codes = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaignID)
            .filter(\.$unitID ~~ dropped).sort(\.$pre).all(\.$code)
        let shown = codes.prefix(10).joined(separator: ", ") + (codes.count > 10 ? " và \(codes.count - 10) đơn vị khác" : "")
        throw DomainError.conflict("Không thể bỏ khỏi đợt thi đua các đơn vị đã đăng ký: \(shown).")
    }
}
