import Foundation

/// The four numbers of one row of the Biểu tổng hợp.
public struct Tally: Hashable, Codable, Sendable {
    public var collectives: Int
    public var collectiveInitiatives: Int
    public var individuals: Int
    public var individualInitiatives: Int

    public init(collectives: Int = 0, collectiveInitiatives: Int = 0, individuals: Int = 0, individualInitiatives: Int = 0) {
        self.collectives = collectives
        self.collectiveInitiatives = collectiveInitiatives
        self.individuals = individuals
        self.individualInitiatives = individualInitiatives
    }

    public static let zero = Tally()

    public static func + (a: Tally, b: Tally) -> Tally {
        Tally(collectives: a.collectives + b.collectives,
              collectiveInitiatives: a.collectiveInitiatives + b.collectiveInitiatives,
              individuals: a.individuals + b.individuals,
              individualInitiatives: a.individualInitiatives + b.individualInitiatives)
    }

    public static func += (a: inout Tally, b: Tally) { a = a + b }

    /// The columns in the form's order.
    public var columns: [Int] { [collectives, collectiveInitiatives, individuals, individualInitiatives] }
    public var initiatives: Int { collectiveInitiatives + individualInitiatives }
}

/// Distinct registrants over all sectors.
public struct DistinctRegistrants: Hashable, Codable, Sendable {
    public var collectives: Int
    public var individuals: Int

    public init(collectives: Int = 0, individuals: Int = 0) {
        self.collectives = collectives
        self.individuals = individuals
    }

    public static func + (a: DistinctRegistrants, b: DistinctRegistrants) -> DistinctRegistrants {
        DistinctRegistrants(collectives: a.collectives + b.collectives, individuals: a.individuals + b.individuals)
    }
}

/// One initiative as the summary sees it. `registrantKey` identifies the registrant
/// inside its unit (its normalised name, or its id): two entries of one unit and kind
/// with the same key are one registrant.
public struct SummaryEntry: Hashable, Sendable {
    public var unitID: UUID
    public var kind: RegistrantKind
    public var registrantKey: String
    public var sectorCode: String

    public init(unitID: UUID, kind: RegistrantKind, registrantKey: String, sectorCode: String) {
        self.unitID = unitID
        self.kind = kind
        self.registrantKey = registrantKey
        self.sectorCode = sectorCode
    }
}

/// The counts of one grassroots unit: what the store keeps per unit so a roll-up is a sum.
public struct UnitTally: Hashable, Sendable {
    public var bySector: [String: Tally]
    public var distinct: DistinctRegistrants

    public init(bySector: [String: Tally] = [:], distinct: DistinctRegistrants = .init()) {
        self.bySector = bySector
        self.distinct = distinct
    }

    /// Counts the entries by DESIGN.md §6. Registrants are distinct per unit, so
    /// entries of several units may be given at once and still count right.
    public init(entries: [SummaryEntry]) {
        struct Who: Hashable { var unit: UUID; var kind: RegistrantKind; var key: String }
        var seen: [String: Set<Who>] = [:]
        var tallies: [String: Tally] = [:]
        var all: Set<Who> = []
        for entry in entries {
            let who = Who(unit: entry.unitID, kind: entry.kind, key: entry.registrantKey)
            all.insert(who)
            // Mutated in place through the subscript: no copy of the set per entry.
            let isNew = seen[entry.sectorCode, default: []].insert(who).inserted
            switch entry.kind {
            case .collective:
                tallies[entry.sectorCode, default: .zero].collectiveInitiatives += 1
                if isNew { tallies[entry.sectorCode, default: .zero].collectives += 1 }
            case .individual:
                tallies[entry.sectorCode, default: .zero].individualInitiatives += 1
                if isNew { tallies[entry.sectorCode, default: .zero].individuals += 1 }
            }
        }
        bySector = tallies
        var collectives = 0
        for who in all where who.kind == .collective { collectives += 1 }
        distinct = DistinctRegistrants(collectives: collectives, individuals: all.count - collectives)
    }

    public static func + (a: UnitTally, b: UnitTally) -> UnitTally {
        UnitTally(bySector: a.bySector.merging(b.bySector, uniquingKeysWith: +), distinct: a.distinct + b.distinct)
    }
}

/// The Biểu tổng hợp of one unit or of a federation's subtree, for one campaign.
public struct Summary: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var sector: Sector
        public var tally: Tally
    }

    public var rows: [Row]
    /// Column sums, as on the paper form (a registrant in two sectors counts twice).
    public var total: Tally
    public var distinct: DistinctRegistrants

    /// Rows in the campaign's sector order; a sector with nothing is a row of zeros.
    public init(sectors: [Sector], tally: UnitTally) {
        rows = sectors.map { Row(sector: $0, tally: tally.bySector[$0.code] ?? .zero) }
        total = rows.reduce(.zero) { $0 + $1.tally }
        distinct = tally.distinct
    }

    public init(sectors: [Sector], entries: [SummaryEntry]) {
        self.init(sectors: sectors, tally: UnitTally(entries: entries))
    }

    /// The note printed under the table when the "Tổng" row counts someone more than once.
    public var note: String? {
        var parts: [String] = []
        if total.collectives != distinct.collectives {
            parts.append("Số tập thể đăng ký (không trùng lặp): \(VietnameseText.number(distinct.collectives))")
        }
        if total.individuals != distinct.individuals {
            parts.append("số cá nhân đăng ký (không trùng lặp): \(VietnameseText.number(distinct.individuals))")
        }
        guard !parts.isEmpty else { return nil }
        var text = parts.joined(separator: "; ")
        text = text.prefix(1).uppercased() + text.dropFirst()
        return "Ghi chú: Dòng “Tổng” cộng theo từng lĩnh vực; một tập thể, cá nhân đăng ký ở nhiều lĩnh vực được tính ở mỗi lĩnh vực. " + text + "."
    }
}
