import DVKCore
import FluentKit
import Foundation
import SQLKit

/// Creates campaigns and keeps their frozen copy of the tree.
enum CampaignStore {
    static func find(code: String, on db: any Database) async throws -> Campaign {
        guard let campaign = try await Campaign.query(on: db).filter(\.$code == code).first() else {
            throw DomainError.notFound("Không có đợt thi đua mã “\(code)”.")
        }
        return campaign
    }

    static func info(code: String, on db: any Database) async throws -> CampaignInfo {
        CampaignInfo(try await find(code: code, on: db))
    }

    /// A campaign by id, read straight into its Sendable copy; nil when there is none.
    static func info(id: UUID, on db: any Database) async throws -> CampaignInfo? {
        try await db.sql().select().columns(CampaignInfo.columns).from(Campaign.schema).where("id", .equal, id).first()
            .map { try CampaignInfo(row: $0) }
    }

    /// The root of a campaign's frozen tree: the issuer, whose subtree is the whole campaign.
    static func root(campaignID: UUID, on db: any Database) async throws -> CampaignUnit? {
        try await CampaignUnit.query(on: db).filter(\.$campaignID == campaignID).filter(\.$pre == 0).first()
    }

    /// The campaign's copy of a unit, by code; only units under the issuer are there.
    static func snapshotUnit(campaignID: UUID, code: String, on db: any Database) async throws -> CampaignUnit {
        guard let unit = try await CampaignUnit.query(on: db)
            .filter(\.$campaignID == campaignID).filter(\.$code == code).first()
        else {
            throw DomainError.notFound("Đơn vị “\(code)” không thuộc phạm vi của đợt thi đua.")
        }
        return unit
    }

    static func create(_ input: CampaignInput, at now: Date, on db: any Database) async throws -> CampaignInfo {
        guard let code = Code.validate(input.code) else {
            throw DomainError.invalid("Mã đợt “\(input.code)” không hợp lệ (chỉ chữ không dấu, số, - _ .).")
        }
        try check(input, issuedOn: input.issuedOn ?? VietnamTime.day(of: now))
        return try await db.write { db in
            if try await Campaign.query(on: db).filter(\.$code == code).count() > 0 {
                throw DomainError.conflict("Đã có đợt thi đua mã “\(code)”.")
            }
            let issuer = try await UnitDirectory.find(code: input.issuerCode, on: db)
            guard issuer.kind == .federation else {
                throw DomainError.invalid("Đơn vị phát động “\(issuer.code)” phải là công đoàn cấp trên cơ sở.")
            }
            let campaign = Campaign()
            campaign.code = code
            campaign.issuerID = issuer.id!
            campaign.issuedOn = (input.issuedOn ?? VietnamTime.day(of: now)).iso
            campaign.fill(from: input, issuerName: issuer.name)
            campaign.allTargets = input.targets == nil
            campaign.state = input.state
            campaign.issuerName = issuer.name
            campaign.superiorName = ""
            try await campaign.create(on: db)
            try await sync(campaign, targets: input.targets, at: now, on: db)
            try await AuditTrail.record([CampaignAudit.entry("campaign.created", CampaignInfo(campaign), was: nil)].compactMap { $0 }, at: now, on: db)
            return CampaignInfo(campaign)
        }
    }

    /// What every campaign must be, created or edited: a year of this era, a sector, and a
    /// deadline after the letter's day (`CampaignDates`).
    static func check(_ input: CampaignInput, issuedOn: CalendarDay) throws {
        guard (2000...2100).contains(input.year) else { throw DomainError.invalid("Năm \(input.year) không hợp lệ.") }
        guard !input.sectors.isEmpty else { throw DomainError.invalid("Đợt thi đua cần ít nhất một lĩnh vực.") }
        if let problem = CampaignDates.problem(deadline: input.deadline, issuedOn: issuedOn) { throw DomainError.invalid(problem) }
    }

    /// Takes the live tree into the campaign: a new frozen copy, the issuer's names, and
    /// counts placed anew. Submissions (and the extensions granted with them) are untouched.
    static func sync(_ campaign: Campaign, targets: Set<UUID>? = nil, at now: Date, on db: any Database) async throws {
        let nodes = try await UnitDirectory.allNodes(on: db)
        let old = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id!).all()
        // Chosen targets stay chosen (by id) unless new ones are given; "all" is re-read.
        let keepTargets = targets ?? (campaign.allTargets ? nil : Set(old.filter(\.isTarget).map(\.unitID)))
        let snapshot = try UnitTree.snapshot(of: nodes, rootID: campaign.issuerID, targets: keepTargets)
        let sql = try db.sql()
        try await sql.delete(from: CampaignUnit.schema).where("campaign_id", .equal, campaign.id!).run()
        let columns = ["id", "campaign_id", "unit_id", "parent_unit_id", "code", "name", "kind", "depth", "pre", "last", "is_target",
                       "search_key"]
        let rows: [[any Encodable & Sendable]] = snapshot.map { u in
            [UUID.random(), campaign.id!, u.unitID, u.parentID, u.code, u.name, u.kind.rawValue, u.depth, u.pre, u.last, u.isTarget,
             Standings.searchKey(name: u.name, code: u.code)]
        }
        try await BulkInsert.run(db, into: CampaignUnit.schema, columns: columns, rows: rows)
        let byID = Dictionary(nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if let issuer = byID[campaign.issuerID] {
            campaign.issuerName = issuer.name
            campaign.superiorName = issuer.parentID.flatMap { byID[$0]?.name } ?? ""
        }
        campaign.syncedAt = now
        try await campaign.save(on: db)
        try await Recount.campaign(campaign.id!, on: db)
    }

    /// "Liên đoàn Lao động quận Long Biên" → "Long Biên": the place of the date line.
    static func place(from issuerName: String) -> String {
        let words = ["quận", "huyện", "thị xã", "thành phố", "tỉnh", "phường", "xã"]
        let lower = issuerName.lowercased()
        for word in words {
            if let range = lower.range(of: word + " ", options: .backwards) {
                let offset = lower.distance(from: lower.startIndex, to: range.upperBound)
                let start = issuerName.index(issuerName.startIndex, offsetBy: offset)
                return String(issuerName[start...])
            }
        }
        return issuerName
    }
}

extension Campaign {
    /// Every field a person writes, from the input: the one list create and edit share.
    /// The code, issuer, state and targets are each step's own.
    func fill(from input: CampaignInput, issuerName: String) {
        let title = input.title.map(VietnameseText.clean) ?? ""
        self.title = title.isEmpty ? "Phong trào thi đua “Dân vận khéo” năm \(input.year)" : title
        year = input.year
        number = VietnameseText.clean(input.number)
        if let issued = input.issuedOn { issuedOn = issued.iso }
        place = input.place ?? CampaignStore.place(from: issuerName)
        subject = input.subject ?? "V/v triển khai phong trào thi đua “Dân vận khéo” năm \(input.year)"
        addressees = input.addressees.joined(separator: "\n")
        recipients = input.recipients.joined(separator: "\n")
        body = input.body
        basis = input.basis
        sectors = input.sectors
        deadline = input.deadline
        acceptsLate = input.acceptsLate
        reminderDays = input.reminders.daysText
        reminderTime = input.reminders.timeText
        criteria = input.criteria
        signerAuthority = input.signer.authority
        signerTitle = input.signer.title
        signerName = input.signer.name
    }
}

extension CampaignInput {
    /// The input that leaves a campaign as it is: an edit's starting point.
    init(_ c: CampaignInfo, issuerCode: String, targets: Set<UUID>?) {
        self.init(code: c.code, issuerCode: issuerCode, year: c.year, title: c.title, number: c.number, issuedOn: c.issuedOn,
                  deadline: c.deadline, place: c.place, subject: c.subject, addressees: c.addressees, recipients: c.recipients,
                  body: c.body, basis: c.basis, sectors: c.sectors, acceptsLate: c.acceptsLate, reminders: c.reminders,
                  criteria: c.criteria.joined(separator: "\n"), signer: c.signer, state: c.state, targets: targets)
    }
}
