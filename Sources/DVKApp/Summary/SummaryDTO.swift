import DVKCore
import Foundation

/// The JSON of a Biểu tổng hợp: `dvk summary --format json` and
/// `GET /api/v1/campaigns/{code}/summary?unit=…` return exactly this.
struct SummaryDTO: Codable, Sendable, Equatable {
    struct UnitRef: Codable, Sendable, Equatable {
        var code: String
        var name: String
    }

    struct Row: Codable, Sendable, Equatable {
        var sector: String
        var name: String
        var collectives: Int
        var collectiveInitiatives: Int
        var individuals: Int
        var individualInitiatives: Int
    }

    struct Total: Codable, Sendable, Equatable {
        var collectives: Int
        var collectiveInitiatives: Int
        var individuals: Int
        var individualInitiatives: Int
    }

    struct Distinct: Codable, Sendable, Equatable {
        var collectives: Int
        var individuals: Int
    }

    var campaign: String
    var unit: UnitRef
    var rows: [Row]
    var total: Total
    var distinct: Distinct

    init(campaign: String, unitCode: String, unitName: String, summary: Summary) {
        self.campaign = campaign
        unit = UnitRef(code: unitCode, name: unitName)
        rows = summary.rows.map { row in
            Row(sector: row.sector.code, name: row.sector.name, collectives: row.tally.collectives,
                collectiveInitiatives: row.tally.collectiveInitiatives, individuals: row.tally.individuals,
                individualInitiatives: row.tally.individualInitiatives)
        }
        total = Total(collectives: summary.total.collectives, collectiveInitiatives: summary.total.collectiveInitiatives,
                      individuals: summary.total.individuals, individualInitiatives: summary.total.individualInitiatives)
        distinct = Distinct(collectives: summary.distinct.collectives, individuals: summary.distinct.individuals)
    }

    /// The same bytes the API sends for this summary.
    func json() -> String {
        String(decoding: (try? JSONCoding.encoder().encode(self)) ?? Data(), as: UTF8.self)
    }

    func csv() -> String {
        let header = ["sector", "name", "collectives", "collectiveInitiatives", "individuals", "individualInitiatives"]
        var rows = self.rows.map { [$0.sector, $0.name, "\($0.collectives)", "\($0.collectiveInitiatives)", "\($0.individuals)", "\($0.individualInitiatives)"] }
        rows.append(["total", "Tổng:", "\(total.collectives)", "\(total.collectiveInitiatives)", "\(total.individuals)", "\(total.individualInitiatives)"])
        rows.append(["distinct", "Số khác nhau", "\(distinct.collectives)", "", "\(distinct.individuals)", ""])
        return CSVWriter.write(header: header, rows: rows)
    }

    /// The table as text, aligned for a terminal.
    func text() -> String {
        var lines = ["Biểu tổng hợp — \(campaign) — \(unit.name) (\(unit.code))",
                     "TT  Cấp đăng ký thực hiện                     Tập thể  Mô hình  Cá nhân  Mô hình"]
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        func num(_ i: Int) -> String { let s = "\(i)"; return String(repeating: " ", count: max(0, 7 - s.count)) + s }
        for (i, r) in rows.enumerated() {
            lines.append(pad("\(i + 1)", 4) + pad(r.name, 40) + [r.collectives, r.collectiveInitiatives, r.individuals, r.individualInitiatives].map { "  " + num($0) }.joined())
        }
        lines.append(pad("", 4) + pad("Tổng:", 40) + [total.collectives, total.collectiveInitiatives, total.individuals, total.individualInitiatives].map { "  " + num($0) }.joined())
        lines.append("Số tập thể khác nhau: \(distinct.collectives); số cá nhân khác nhau: \(distinct.individuals)")
        return lines.joined(separator: "\n")
    }
}
