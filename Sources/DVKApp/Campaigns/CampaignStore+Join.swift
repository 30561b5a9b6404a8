import DVKCore
import FluentKit
import Foundation

/// Units that come into an open campaign after it opened: a new grassroots union under the
/// issuer of a campaign that takes every one (at once, as it is created), or a unit added
/// by one click to a campaign of chosen units. Either way the live tree is taken in (as a
/// re-sync does, `sync`) under the campaign's lock, and the unit's history says so.
extension CampaignStore {
    /// The campaigns the new units joined, each once.
    static func joinNewUnits(_ unitIDs: [UUID], actor: String, at now: Date, on db: any Database) async throws -> [CampaignInfo] {
        guard !unitIDs.isEmpty else { return [] }
        let nodes = try await UnitDirectory.allNodes(on: db)
        let byID = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Each new grassroots union with the federations above it.
        var above: [UUID: Set<UUID>] = [:]
        for id in unitIDs {
            guard let node = byID[id], node.kind == .grassroots else { continue }
            var chain: Set<UUID> = []
            var next = node.parentID
            while let parent = next, chain.count < 64, chain.insert(parent).inserted { next = byID[parent]?.parentID }
            above[id] = chain
        }
        guard !above.isEmpty else { return [] }
        let candidates = try await Campaign.query(on: db).filter(\.$allTargets == true).all().filter { $0.state.mayResync }
        var joined: [CampaignInfo] = []
        for candidate in candidates.sorted(by: { $0.code < $1.code }) {
            let units = above.filter { $0.value.contains(candidate.issuerID) }.map(\.key).sorted(by: UUID.inTextOrder)
            guard !units.isEmpty else { continue }
            let campaign = try await CampaignLock.exclusive(code: candidate.code, on: db)
            guard campaign.allTargets, campaign.state.mayResync else { continue }
            try await sync(campaign, at: now, on: db)
            let info = CampaignInfo(campaign)
            try await recordJoin(info, units: units, actor: actor, note: "Đơn vị mới thuộc \(info.issuerName): tham gia đợt thi đua", at: now, on: db)
            joined.append(info)
        }
        return joined
    }

    /// Adds a grassroots union of the issuer's subtree to a campaign of chosen units.
    static func addTarget(code: String, unitID: UUID, actor: String, at now: Date, on db: any Database) async throws -> CampaignInfo {
        try await db.write { db in
            let campaign = try await CampaignLock.exclusive(code: code, on: db)
            if let refusal = campaign.state.resyncRefusal { throw DomainError.conflict(refusal) }
            let id = try campaign.requireID()
            let nodes = try await UnitDirectory.allNodes(on: db)
            guard let node = nodes.first(where: { $0.id == unitID }), node.kind == .grassroots,
                  UnitEditor.subtree(of: campaign.issuerID, in: nodes).contains(unitID)
            else { throw DomainError.invalid("Chỉ thêm được công đoàn cơ sở thuộc đơn vị phát động vào đợt thi đua.") }
            let targeted = Set(try await CampaignUnit.query(on: db).filter(\.$campaignID == id).filter(\.$isTarget == true).all(\.$unitID))
            guard !targeted.contains(unitID) else { throw DomainError.conflict("Đơn vị “\(node.name)” đã tham gia đợt thi đua này.") }
            try await sync(campaign, targets: campaign.allTargets ? nil : targeted.union([unitID]), at: now, on: db)
            let info = CampaignInfo(campaign)
            try await recordJoin(info, units: [unitID], actor: actor, note: "Thêm vào đợt thi đua", at: now, on: db)
            return info
        }
    }

    /// One line of each unit's history: it joined the campaign (its submission row is made
    /// if it had none).
    private static func recordJoin(_ campaign: CampaignInfo, units: [UUID], actor: String, note: String, at now: Date,
                                   on db: any Database) async throws {
        let rows = try await SubmissionLock.lock(campaignID: campaign.id, units: units, on: db)
        let changes = rows.values.sorted { UUID.inTextOrder($0.unitID, $1.unitID) }.map { row in
            (before: row, after: row, events: [SubmissionEventDraft(action: .join, from: row.status, to: row.status, note: note)],
             countsChanged: false)
        }
        try await SubmissionLock.persist(changes, campaign: campaign, actor: actor, at: now, on: db)
    }
}
