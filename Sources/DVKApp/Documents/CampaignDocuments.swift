import DVKCore
import DVKDocuments
import FluentKit
import Foundation

/// Builds the campaign's official documents from the store, with the names and tree the
/// campaign froze (a 2024 report still reads as the tree was in 2024).
enum CampaignDocuments {
    enum Kind: String, CaseIterable, Sendable {
        case summary, summaryUnits = "summary-units", list, form, report, letter
    }

    struct Options: Sendable {
        /// The moment the document is made: its date line, and the time its figures are taken.
        var now: Date
        var showNationalMotto: Bool
        /// The Biểu and the danh sách (tables sent with a letter); nil: as the letter.
        var showNationalMottoOnTables: Bool?
        var today: CalendarDay { VietnamTime.day(of: now) }

        init(now: Date, showNationalMotto: Bool, showNationalMottoOnTables: Bool? = nil) {
            self.now = now
            self.showNationalMotto = showNationalMotto
            self.showNationalMottoOnTables = showNationalMottoOnTables
        }

        /// The installation's settings (`DVK_NATIONAL_MOTTO`, `DVK_NATIONAL_MOTTO_TABLES`).
        init(now: Date, config: AppConfig) {
            self.init(now: now, showNationalMotto: config.showNationalMotto, showNationalMottoOnTables: config.nationalMottoOnTables)
        }

        /// Whether a document of `kind` prints the Quốc hiệu block.
        func motto(for kind: Kind) -> Bool {
            switch kind {
            case .summary, .summaryUnits, .list: showNationalMottoOnTables ?? showNationalMotto
            case .form, .report, .letter: showNationalMotto
            }
        }
    }

    /// Who signs the unit's documents (`Signatory`), with the title and name set on its
    /// page in the live tree.
    static func signer(_ campaign: CampaignInfo, _ unit: SnapshotUnit, on db: any Database) async throws -> Signer {
        let live = try await Unit.find(unit.unitID, on: db)
        return Signatory.signer(kind: unit.kind, isIssuer: isIssuer(unit), campaign: campaign.signer,
                                title: live?.signerTitle ?? "", name: live?.signerName ?? "")
    }

    static func build(_ kind: Kind, campaign: CampaignInfo, unit: SnapshotUnit, initiativeID: UUID? = nil,
                      options: Options, on db: any Database) async throws -> DVKDocuments.Document {
        var header = try await header(campaign: campaign, unit: unit, options: options, on: db)
        header.showsNationalMotto = options.motto(for: kind)
        let signer = try await signer(campaign, unit, on: db)
        switch kind {
        case .summary, .summaryUnits:
            if unit.kind == .grassroots {
                let summary = try await SummaryQuery.official(campaign, unit: unit, on: db)
                return OfficialDocuments.summary(SummaryInput(header: header, year: campaign.year, summary: summary, signer: signer))
            }
            let summary = try await SummaryQuery.official(campaign, unit: unit, on: db)
            let units = kind == .summaryUnits ? try await unitRows(campaign, scope: unit, detail: true, on: db) : []
            let coverage = Coverage(try await Standings.counts(campaign, scope: unit, on: db), asOf: options.now)
            return OfficialDocuments.rollUp(RollUpInput(header: header, year: campaign.year, summary: summary, units: units,
                                                        signer: signer, coverage: coverage))
        case .list:
            return OfficialDocuments.initiativeList(InitiativeListInput(
                header: header, year: campaign.year, units: try await listUnits(campaign, scope: unit, on: db),
                signer: signer))
        case .form:
            guard let initiativeID, let i = try await Initiative.find(initiativeID, on: db),
                  i.campaignID == campaign.id, i.unitID == unit.unitID,
                  let r = try await Registrant.find(i.registrantID, on: db)
            else { throw DomainError.notFound("Không tìm thấy mô hình.") }
            let continued = try await continuedName(i, on: db)
            // Dated the day the unit handed it in; a draft, the day it is printed.
            var formHeader = header
            if let submission = try await Submission.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$unitID == unit.unitID).first(),
               submission.status.counts, let at = submission.submittedAt {
                formHeader.date = VietnamTime.day(of: at)
            }
            return OfficialDocuments.registrationForm(RegistrationFormInput(
                header: formHeader, year: campaign.year, unitName: DocumentHeader.grassrootsIssuer(unitName: unit.name),
                sectorName: campaign.sectors.first { $0.code == i.sectorCode }?.name ?? i.sectorCode,
                initiative: draft(i, r), continuedModelName: continued, unitSigner: signer))
        case .report:
            guard unit.kind == .federation else { throw DomainError.invalid("Báo cáo kết quả đăng ký là văn bản của công đoàn cấp trên.") }
            let count = try await Standings.counts(campaign, scope: unit, on: db)
            let notes = try await ReportNotes.load(campaign: campaign.id, unit: unit.unitID, kind: .registration, on: db)
            var reportHeader = header
            reportHeader.number = "      /BC-" + DocumentHeader.symbol(unitName: unit.name, ownLetter: isIssuer(unit) ? campaign.number : nil)
            let superior = isIssuer(unit) ? campaign.superiorName : (try await parentName(campaign, unit, on: db))
            return OfficialDocuments.report(ReportInput(
                header: reportHeader, year: campaign.year,
                recipients: superior.isEmpty ? ["Công đoàn cấp trên"] : [superior],
                letter: letter(campaign), byIssuer: isIssuer(unit),
                completeness: Completeness(expected: count.expected, submitted: count.submitted, onTime: count.onTime,
                                           late: count.late, declaredNone: count.noModel, notSubmitted: count.pending),
                summary: try await SummaryQuery.official(campaign, unit: unit, on: db),
                units: try await unitRows(campaign, scope: unit, detail: false, on: db),
                assessment: notes.assessment, proposals: notes.proposals,
                signer: signer,
                distribution: ["Như Kính gửi;", "Lưu: VT."], coverage: Coverage(count, asOf: options.now)))
        case .letter:
            // The issuer's letter, the same whichever unit of the campaign asks for it.
            var letterHeader = header
            if !isIssuer(unit), let issuer = try await CampaignStore.root(campaignID: campaign.id, on: db) {
                letterHeader = try await self.header(campaign: campaign, unit: issuer.snapshot, options: options, on: db)
            }
            letterHeader.number = campaign.number
            letterHeader.date = campaign.issuedOn
            return OfficialDocuments.letter(LetterInput(header: letterHeader, subject: campaign.subject, recipients: campaign.addressees,
                                                        body: campaign.body, signer: campaign.signer, distribution: campaign.recipients))
        }
    }

    static func isIssuer(_ unit: SnapshotUnit) -> Bool { unit.pre == 0 }

    /// The campaign's letter as the documents answering it cite it.
    static func letter(_ campaign: CampaignInfo) -> CampaignLetter {
        CampaignLetter(number: campaign.number, date: campaign.issuedOn, issuer: campaign.issuerName, basis: campaign.basis)
    }

    static func header(campaign: CampaignInfo, unit: SnapshotUnit, options: Options, on db: any Database) async throws -> DocumentHeader {
        let issuer = unit.kind == .grassroots ? DocumentHeader.grassrootsIssuer(unitName: unit.name) : unit.name
        let superior = isIssuer(unit) ? campaign.superiorName : try await parentName(campaign, unit, on: db)
        return DocumentHeader(superior: superior, issuer: issuer, place: campaign.place, date: options.today,
                              showsNationalMotto: options.showNationalMotto)
    }

    static func parentName(_ campaign: CampaignInfo, _ unit: SnapshotUnit, on db: any Database) async throws -> String {
        guard let parent = unit.parentID else { return campaign.superiorName }
        return try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$unitID == parent).first()?.name
            ?? campaign.superiorName
    }

    /// The scope's rows by its direct units, in the tree's order. A grassroots union is its
    /// own row. A federation below is, with `detail`, its name over every grassroots union
    /// of its subtree and a "Cộng" row; without, one row summing its subtree (a province's
    /// report lists its districts, not 400 schools).
    static func unitRows(_ campaign: CampaignInfo, scope: SnapshotUnit, detail: Bool, on db: any Database) async throws -> [UnitTallyRow] {
        let tallies = try await SummaryQuery.perUnit(campaign, unit: scope, on: db)
        let lines = try await Standings.lines(campaign, scope: scope, on: db).lines
        func row(_ t: Standings.Line) -> UnitTallyRow {
            let sum = tallies[t.unitID].map { Summary(sectors: campaign.sectors, tally: $0).total } ?? .zero
            return UnitTallyRow(unitName: t.name, tally: sum, handedIn: t.standing.phase.isSubmitted, noModel: t.standing.phase == .noModel)
        }
        let children = try await CampaignUnit.query(on: db).filter(\.$campaignID == campaign.id).filter(\.$parentUnitID == scope.unitID)
            .sort(\.$pre).all()
        var out: [UnitTallyRow] = []
        var index = lines.startIndex
        for child in children {
            // Lines are in the tree's order: a child's subtree is the run of lines in its range.
            while index < lines.endIndex, lines[index].pre < child.pre { index += 1 }
            var end = index
            while end < lines.endIndex, lines[end].pre <= child.last { end += 1 }
            let inside = lines[index..<end].map(row)
            index = end
            guard !inside.isEmpty else { continue }
            if child.kind == .grassroots {
                out += inside
            } else {
                let sum = inside.reduce(Tally.zero) { $0 + $1.tally }
                if detail {
                    out.append(UnitTallyRow(unitName: child.name, tally: .zero, role: .group))
                    out += inside
                    out.append(UnitTallyRow(unitName: "Cộng: \(child.name)", tally: sum, role: .subtotal))
                } else {
                    out.append(UnitTallyRow(unitName: child.name, tally: sum))
                }
            }
        }
        return out
    }

    /// The initiatives of the scope by unit, then sector: counted ones for a federation,
    /// all of its own (drafts included) for a grassroots unit.
    static func listUnits(_ campaign: CampaignInfo, scope: SnapshotUnit, on db: any Database) async throws -> [InitiativeListUnit] {
        let targets = try await Standings.lines(campaign, scope: scope, filter: scope.kind == .grassroots ? .all : .submitted, on: db).lines
        var out: [InitiativeListUnit] = []
        for chunk in targets.chunked(200) {
            let ids = chunk.map(\.unitID)
            let initiatives = try await Initiative.all(campaignID: campaign.id, unitIDs: ids, on: db)
            let registrants = Dictionary(uniqueKeysWithValues: try await Registrant.all(unitIDs: ids, on: db).map { ($0.id!, $0) })
            let byUnit = Dictionary(grouping: initiatives, by: \.unitID)
            for t in chunk {
                let mine = byUnit[t.unitID] ?? []
                guard !mine.isEmpty else { continue }
                let sectors = campaign.sectors.compactMap { sector -> InitiativeListSector? in
                    let drafts = mine.filter { $0.sectorCode == sector.code }
                        .compactMap { i in registrants[i.registrantID].map { draft(i, $0) } }
                        .sorted { ($0.kind == .collective ? 0 : 1) < ($1.kind == .collective ? 0 : 1) }
                    return drafts.isEmpty ? nil : InitiativeListSector(sectorName: sector.name, initiatives: drafts)
                }
                out.append(InitiativeListUnit(unitName: t.name, sectors: sectors))
            }
        }
        return out
    }

    static func draft(_ i: some InitiativeFields, _ r: some RegistrantFields) -> InitiativeDraft {
        InitiativeDraft(kind: r.kind, registrantName: r.name, registrantTitle: r.title, sectorCode: i.sectorCode, title: i.title,
                        purpose: i.purpose, content: i.content, scope: i.scope,
                        startDate: i.startDate.flatMap(CalendarDay.init(parsing:)), endDate: i.endDate.flatMap(CalendarDay.init(parsing:)),
                        expectedResult: i.expectedResult, personInCharge: i.personInCharge, continuity: i.continuity)
    }

    static func continuedName(_ i: Initiative, on db: any Database) async throws -> String? {
        guard let id = i.continuesID else { return nil }
        return try await Initiative.find(id, on: db)?.title
    }

    /// A file name people can keep and tell apart: "DVK-2024_bieu-tong-hop-theo-don-vi_LB.pdf",
    /// "DVK-2024_phieu-dang-ky_S1_lop-hoc-so-3f2a9c1b.docx". ASCII only, so it needs no
    /// quoting in a header.
    static func fileName(_ kind: Kind, campaign: String, unit: String, format: DocumentFormat, initiative: (id: UUID, title: String)? = nil) -> String {
        let word: String = switch kind {
        case .summary: "bieu-tong-hop"
        case .summaryUnits: "bieu-tong-hop-theo-don-vi"
        case .list: "danh-sach-mo-hinh"
        case .form: "phieu-dang-ky"
        case .report: "bao-cao"
        case .letter: "cong-van"
        }
        var parts = [campaign, word, unit]
        if let initiative {
            let slug = VietnameseText.slug(initiative.title).split(separator: "-").prefix(6).joined(separator: "-")
            parts.append((slug.isEmpty ? "" : slug + "-") + initiative.id.canonicalText.prefix(8).lowercased())
        }
        return Download.safeName(parts.joined(separator: "_") + "." + format.fileExtension)
    }
}
