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
        try await db.write { db in
            let campaign = try await CampaignLock.exclusive(code: code, on: db)
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
                if let refusal = campaign.state.resyncRefusal { throw DomainError.conflict(refusal) }
                if let kept = input.targets {
                    try await refuseDropping(targeted.subtracting(kept), campaignID: campaignID, on: db)
                }
            }
            try check(input, issuedOn: input.issuedOn ?? CalendarDay(parsing: campaign.issuedOn) ?? VietnamTime.day(of: now))
            let was = CampaignInfo(campaign)
            let policy = was.policy
            campaign.fill(from: input, issuerName: campaign.issuerName)
            if targetsChange {
                campaign.allTargets = input.targets == nil
                try await sync(campaign, targets: input.targets, at: now, on: db)
            } else {
                try await campaign.save(on: db)
                // Lateness is judged by the policy (deadline, late work, the year's end): a
                // new one judges every unit again.
                if CampaignInfo(campaign).policy != policy { try await Standings.recountCampaign(campaignID, on: db) }
            }
            let targets = targetsChange ? ["Đơn vị tham gia": input.targets.map { "\($0.count) đơn vị được chọn" } ?? "mọi đơn vị cấp dưới"] : [:]
            if let entry = CampaignAudit.entry("campaign.changed", CampaignInfo(campaign), was: was, details: targets) {
                try await AuditTrail.record([entry], at: now, on: db)
            }
            return CampaignInfo(campaign)
        }
    }

    /// Whether a change of state takes in the live tree: a draft's first opening.
    static func takesTree(from: CampaignState, to next: CampaignState) -> Bool { from == .draft && next == .open }

    /// Opens, closes, reopens or archives a campaign, as `CampaignState.next` allows. The
    /// first opening of a draft takes in the tree as it is that day.
    static func changeState(code: String, to next: CampaignState, at now: Date, on db: any Database) async throws -> CampaignInfo {
        try await db.write { db in
            let campaign = try await CampaignLock.exclusive(code: code, on: db)
            let from = campaign.state
            let was = CampaignInfo(campaign)
            guard from.next.contains(next) else {
                throw DomainError.conflict("Không thể chuyển đợt thi đua từ “\(from.label)” sang “\(next.label)”.")
            }
            campaign.state = next
            if takesTree(from: from, to: next) {
                try await sync(campaign, at: now, on: db)
            } else {
                try await campaign.save(on: db)
            }
            try await AuditTrail.record([CampaignAudit.entry("campaign.state", CampaignInfo(campaign), was: was)].compactMap { $0 }, at: now, on: db)
            return CampaignInfo(campaign)
        }
    }

    /// Takes the live tree into a draft or open campaign (the page's button and `dvk campaign sync`).
    static func resync(code: String, at now: Date, on db: any Database) async throws -> CampaignInfo {
        try await db.write { db in
            let campaign = try await CampaignLock.exclusive(code: code, on: db)
            if let refusal = campaign.state.resyncRefusal { throw DomainError.conflict(refusal) }
            let before = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.requireID()).count()
            try await sync(campaign, at: now, on: db)
            let after = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.requireID()).count()
            try await AuditTrail.record([CampaignAudit.entry("campaign.synced", CampaignInfo(campaign), was: CampaignInfo(campaign),
                                                             details: ["Số đơn vị trong cây của đợt": "\(before) → \(after)"])].compactMap { $0 },
                                        at: now, on: db)
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
