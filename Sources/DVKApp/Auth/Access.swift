import DVKCore
import FluentKit
import Foundation

/// What one user can reach: their unit and everything below it, nothing else.
/// Anything out of reach answers "not found", so ids and codes cannot be probed.
enum Access {
    /// Whether `unitID` is the user's unit or below it in the live tree.
    static func isWithin(_ unitID: UUID, of user: CurrentUser, on db: any Database) async throws -> Bool {
        var current: UUID? = unitID
        var steps = 0
        while let id = current, steps < 64 {
            if id == user.unitID { return true }
            current = try await Unit.find(id, on: db)?.parentID
            steps += 1
        }
        return false
    }

    /// A live unit the user may see, by code.
    static func unit(code: String, user: CurrentUser, on db: any Database) async throws -> Unit {
        guard let unit = try await Unit.query(on: db).filter(\.$code == code).first(),
              try await isWithin(unit.id!, of: user, on: db)
        else { throw DomainError.notFound("Không tìm thấy đơn vị “\(code)” trong phạm vi của bạn.") }
        return unit
    }

    /// A campaign as one user sees it: the part of its frozen tree under `scope`.
    struct CampaignView: Sendable {
        var campaign: CampaignInfo
        var user: CurrentUser
        /// The topmost unit of the campaign the user may see.
        var scope: SnapshotUnit

        func contains(_ unit: SnapshotUnit) -> Bool { scope.contains(unit) }
        /// The user sees the whole campaign (issuer or above).
        var isWhole: Bool { scope.pre == 0 }
        /// Staff and administrators whose scope covers the whole campaign run it.
        var canRun: Bool { user.role.manages && isWhole }
        /// Reviews, extensions, reminders: staff and administrators over the unit.
        func canReview(_ unit: SnapshotUnit) -> Bool { user.role.manages && contains(unit) }
        /// Registering: the unit's own officer, or staff typing in for a unit in scope.
        func canRegister(_ unit: SnapshotUnit) -> Bool {
            guard unit.isTarget, contains(unit) else { return false }
            return (user.role == .officer && user.unitID == unit.unitID) || user.role.manages
        }
    }

    static func campaign(code: String, user: CurrentUser, on db: any Database) async throws -> CampaignView {
        guard let campaign = try await Campaign.query(on: db).filter(\.$code == code).first(),
              let view = try await view(of: CampaignInfo(campaign), user: user, on: db)
        else { throw DomainError.notFound("Không tìm thấy đợt thi đua “\(code)” trong phạm vi của bạn.") }
        return view
    }

    static func view(of campaign: CampaignInfo, user: CurrentUser, on db: any Database) async throws -> CampaignView? {
        if let own = try await CampaignUnit.query(on: db)
            .filter(\.$campaignID == campaign.id).filter(\.$unitID == user.unitID).first() {
            return CampaignView(campaign: campaign, user: user, scope: own.snapshot)
        }
        // Above the issuer: the whole campaign.
        if try await isWithin(campaign.issuerID, of: user, on: db),
           let root = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$pre == 0).first() {
            return CampaignView(campaign: campaign, user: user, scope: root.snapshot)
        }
        return nil
    }

    /// Every campaign the user can see, newest first.
    static func campaigns(for user: CurrentUser, on db: any Database) async throws -> [CampaignView] {
        var out: [CampaignView] = []
        for campaign in try await Campaign.query(on: db).sort(\.$year, .descending).sort(\.$createdAt, .descending).all() {
            if let view = try await view(of: CampaignInfo(campaign), user: user, on: db) { out.append(view) }
        }
        return out
    }

    /// A unit of the campaign's tree inside the user's scope, by code.
    static func snapshotUnit(_ view: CampaignView, code: String, on db: any Database) async throws -> CampaignUnit {
        guard let unit = try await CampaignUnit.query(on: db)
            .filter(\.$campaignID == view.campaign.id).filter(\.$code == code).first(),
              view.contains(unit.snapshot)
        else { throw DomainError.notFound("Không tìm thấy đơn vị “\(code)” trong đợt thi đua này.") }
        return unit
    }
}
