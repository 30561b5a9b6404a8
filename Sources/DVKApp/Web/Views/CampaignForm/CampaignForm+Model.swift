import DVKCore
import DVKDocuments
import FluentKit
import Foundation
import SQLKit

/// `/campaigns/new` and `/campaigns/{code}/edit`: every field of a campaign, and for an
/// existing one its state and re-sync. Read-only for those who see but do not run it.
enum CampaignForm {
    struct IssuerChoice: Sendable, Equatable {
        var id: UUID
        var code: String
        var name: String
        var depth: Int
    }

    /// What the edit page shows beside the form.
    struct Existing: Sendable {
        var campaign: CampaignInfo
        var targetCount: Int
        var syncedAt: Date?
    }

    struct Model: Sendable {
        var user: CurrentUser
        /// nil for a new campaign.
        var existing: Existing?
        var values: Values
        var errors: FieldErrors
        var issuers: [IssuerChoice]
        /// False: shown read-only (viewers, staff below the issuer, archived campaigns).
        var editable: Bool
        /// May open, close, archive and re-sync.
        var canRun: Bool
        /// The units the participants are chosen from: the user's unit's subtree for a new
        /// campaign, the issuer's for an existing one (the tree the chooser shows).
        var tree: UnitTree?
        /// A new campaign: the latest campaign of the user's issuers, to start from a copy of it.
        var lastCampaign: (code: String, title: String)?
        /// The moment the page is built (the warnings of a past deadline).
        var now: Date

        var isNew: Bool { existing == nil }
    }

    /// The issuers a user may launch a campaign from: their own unit if it is a federation,
    /// then every federation below it, shallowest first.
    static func issuers(for user: CurrentUser, on db: any Database) async throws -> [IssuerChoice] {
        issuers(in: try await UnitTree.load(root: user.unitID, on: db))
    }

    /// The federations of a tree (the user's unit's), level by level.
    static func issuers(in tree: UnitTree?) -> [IssuerChoice] {
        guard let tree else { return [] }
        var out: [IssuerChoice] = []
        var level = [tree.root]
        var depth = 0
        while !level.isEmpty, depth < 64 {
            let sorted = level.sorted { $0.code.localizedStandardCompare($1.code) == .orderedAscending }
            out += sorted.filter { $0.kind == .federation }.map { IssuerChoice(id: $0.id, code: $0.code, name: $0.name, depth: depth) }
            level = sorted.flatMap { tree.children[$0.id] ?? [] }
            depth += 1
        }
        return out
    }

    /// A subtree of the units, for the participants' chooser.
    struct UnitTree: Sendable {
        var root: UnitNode
        var children: [UUID: [UnitNode]]

        static func load(root rootID: UUID, on db: any Database) async throws -> UnitTree? {
            let nodes = try await UnitDirectory.allNodes(on: db)
            guard let root = nodes.first(where: { $0.id == rootID }) else { return nil }
            var children: [UUID: [UnitNode]] = [:]
            for node in nodes { if let p = node.parentID { children[p, default: []].append(node) } }
            for key in children.keys {
                children[key]?.sort { $0.code.localizedStandardCompare($1.code) == .orderedAscending }
            }
            return UnitTree(root: root, children: children)
        }
    }

    static func newModel(user: CurrentUser, values: Values? = nil, errors: FieldErrors = FieldErrors(),
                         now: Date, on db: any Database) async throws -> Model {
        // One read of the units: the chooser's tree, and the issuers from it.
        let tree = try await UnitTree.load(root: user.unitID, on: db)
        let issuers = issuers(in: tree)
        guard !issuers.isEmpty else {
            throw WebError.forbidden("Đơn vị của tài khoản này không phải công đoàn cấp trên và không có công đoàn cấp trên trực thuộc nên không phát động được đợt thi đua.")
        }
        var model = Model(user: user, existing: nil,
                          values: values ?? Values.defaults(issuer: issuers[0].code, now: now),
                          errors: errors, issuers: issuers, editable: true, canRun: true, tree: tree, now: now)
        let mine = Set(issuers.map(\.id))
        if let last = try await Campaign.query(on: db).sort(\.$year, .descending).sort(\.$createdAt, .descending).all()
            .first(where: { mine.contains($0.issuerID) }) {
            model.lastCampaign = (last.code, last.title)
        }
        return model
    }

    /// The codes of a campaign's chosen units, in the tree's order.
    static func targetCodes(of campaignID: UUID, on db: any Database) async throws -> [String] {
        try await db.sql().raw("""
            SELECT code FROM campaign_units WHERE campaign_id = \(bind: campaignID) AND is_target = \(bind: true) ORDER BY pre
            """).all().map { try $0.decode(column: "code", as: String.self) }
    }

    /// A new campaign's form started from a copy of `code` (one of the user's issuers').
    static func copyModel(user: CurrentUser, code: String, now: Date, on db: any Database) async throws -> Model {
        var model = try await newModel(user: user, now: now, on: db)
        let campaign = try await CampaignStore.find(code: code, on: db)
        guard let issuer = model.issuers.first(where: { $0.id == campaign.issuerID }) else {
            throw DomainError.notFound("Không có đợt thi đua mã “\(code)” của đơn vị.")
        }
        let targets = campaign.allTargets ? [] : try await targetCodes(of: campaign.requireID(), on: db)
        model.values = .copied(from: CampaignInfo(campaign), issuerCode: issuer.code, allTargets: campaign.allTargets, targetCodes: targets, now: now)
        return model
    }

    static func editModel(_ view: Access.CampaignView, values: Values? = nil, errors: FieldErrors = FieldErrors(),
                          now: Date, on db: any Database) async throws -> Model {
        let campaign = view.campaign
        let row = try await CampaignStore.find(code: campaign.code, on: db)
        // The targets' count, and their codes only where the form lists them (a campaign of
        // chosen units): 6,300 rows through Fluent's models were 130 ms of every edit page.
        let sql = try db.sql()
        let targetCount = try await sql.raw("""
            SELECT COUNT(*) AS n FROM campaign_units WHERE campaign_id = \(bind: campaign.id) AND is_target = \(bind: true)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        let targetCodes = row.allTargets || values != nil ? [] : try await targetCodes(of: campaign.id, on: db)
        let issuer = try await Unit.find(campaign.issuerID, on: db)
        let formValues = values ?? Values(campaign: campaign, issuerCode: issuer?.code ?? "",
                                          allTargets: row.allTargets, targetCodes: targetCodes)
        return Model(user: view.user, existing: Existing(campaign: campaign, targetCount: targetCount, syncedAt: row.syncedAt),
                     values: formValues, errors: errors, issuers: [],
                     editable: view.canRun && campaign.state != .archived, canRun: view.canRun,
                     tree: view.canRun ? try await UnitTree.load(root: campaign.issuerID, on: db) : nil, now: now)
    }
}

extension CampaignForm {
    /// The letter the form's values would print, for “Xem trước”: the same document as the
    /// campaign's letter download, built from what is typed (nothing is saved). A field over
    /// its length is refused with its rule's sentence.
    static func previewLetter(_ v: Values, issuerName: String, superiorName: String, showNationalMotto: Bool, today: CalendarDay) throws -> DVKDocuments.Document {
        func checked(_ rule: TextRule, _ raw: String) throws -> String {
            switch rule.check(raw) {
            case .success(let value): return value
            case .failure(let problem):
                // An empty required field still previews: the page shows where it goes.
                if raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "" }
                throw DomainError.invalid(problem.sentence)
            }
        }
        let place = try checked(TextRules.place, v.place)
        let header = DocumentHeader(superior: superiorName, issuer: issuerName, number: try checked(TextRules.letterNumber, v.number),
                                    place: place.isEmpty ? CampaignStore.place(from: issuerName) : place,
                                    date: CalendarDay(parsing: v.issuedOn) ?? today, showsNationalMotto: showNationalMotto)
        let signer = Signer(authority: try checked(TextRules.signerAuthority, v.signerAuthority),
                            title: try checked(TextRules.signerTitle, v.signerTitle), name: try checked(TextRules.signerName, v.signerName))
        return OfficialDocuments.letter(LetterInput(
            header: header, subject: try checked(TextRules.subject, v.subject),
            recipients: lines(try checked(TextRules.addressees, v.addressees)), body: try checked(TextRules.letterBody, v.body),
            signer: signer, distribution: lines(try checked(TextRules.recipients, v.recipients))))
    }
}
