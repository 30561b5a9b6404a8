import DVKCore
import FluentKit
import Foundation
import SQLKit

/// The demo's year: the accepted units' models get a mid-year report, the federation's
/// verification and recognition, some "tiêu biểu", some proposed to the district federation,
/// which recognises and commends them, and most are published in the library.
enum DemoYear {
    static func load(_ campaign: CampaignInfo, on db: any Database) async throws {
        struct Row: Decodable { var id: UUID; var code: String; var parentUnitId: UUID }
        let rows = try await db.sql().raw("""
            SELECT i.id, cu.code, cu.parent_unit_id FROM initiatives i
            JOIN submissions s ON s.campaign_id = i.campaign_id AND s.unit_id = i.unit_id AND s.status = 'accepted'
            JOIN campaign_units cu ON cu.campaign_id = i.campaign_id AND cu.unit_id = i.unit_id
            WHERE i.campaign_id = \(bind: campaign.id) ORDER BY cu.pre, i.title
            """).all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        let day = { (m: Int, d: Int) in CalendarDay(year: 2024, month: m, day: d) }
        let at = { (m: Int, d: Int) in VietnamTime.instant(day(m, d), hour: 9) }
        for (index, row) in rows.enumerated() {
            let federation = try await staff(of: row.parentUnitId, campaign: campaign, on: db)
            var m = try await model(row.id, unit: row.code, user: federation, campaign: campaign, on: db)
            let people = 20 + (index * 37) % 180
            _ = try await YearStore.report(m, ProgressInput(
                day: day(6, 28), text: "Sơ kết 6 tháng: mô hình được triển khai đúng kế hoạch, \(people) đoàn viên tham gia; đơn vị tiếp tục duy trì trong 6 tháng cuối năm.",
                participants: people, beneficiaries: people * 3, money: Int64(5 + index % 40) * 1_000_000, workdays: people / 2),
                files: [], at: at(6, 28), on: db)
            guard index % 5 != 4 else { continue }  // some are still waiting for the visit
            let passed = index % 7 != 6
            try await YearStore.verify(m, VerificationInput(
                day: day(9, 20), met: campaign.criteria.indices.map { passed || $0 % 2 == 0 },
                comments: passed ? "Mô hình thiết thực, được đoàn viên hưởng ứng." : "Kết quả chưa rõ, đề nghị đơn vị bổ sung minh chứng.",
                verdict: passed ? .passed : .failed), at: at(9, 20), on: db)
            guard passed else { continue }
            try await YearStore.recognise(m, DecisionInput(number: "\(100 + index % 3)/QĐ-\(m.federation?.code == "LB" ? "LĐLĐ" : "CĐN")", day: day(10, 10)),
                                          exemplary: index % 3 == 0, at: at(10, 10), on: db)
            m = try await model(row.id, unit: row.code, user: federation, campaign: campaign, on: db)
            try await YearStore.publish(m, true, at: at(10, 12).addingTimeInterval(Double(index) * 60), on: db)
            if index % 3 == 0, m.federation?.code != "LB" {
                try await YearStore.nominate(m, document: DecisionInput(number: "05/TTr-CĐN", day: day(10, 14)), at: at(10, 15), on: db)
                if index % 2 == 0 {
                    let district = try await staff(of: federation.unitID, parent: true, campaign: campaign, on: db)
                    let upper = try await model(row.id, unit: row.code, user: district, campaign: campaign, on: db)
                    try await YearStore.recognise(upper, DecisionInput(number: "215/QĐ-LĐLĐ", day: day(10, 25)), exemplary: true, at: at(10, 25), on: db)
                    try await YearStore.commend(upper, form: .certificate, DecisionInput(number: "220/QĐ-LĐLĐ", day: day(10, 28)), at: at(10, 28), on: db)
                }
            }
        }
    }

    /// A staff member of the unit (or of its parent), as the store sees a signed-in user.
    static func staff(of unitID: UUID, parent: Bool = false, campaign: CampaignInfo, on db: any Database) async throws -> CurrentUser {
        var unit = try await Unit.find(unitID, on: db)!
        if parent, let up = unit.parentID { unit = try await Unit.find(up, on: db)! }
        return CurrentUser(id: UUID.random(), username: "demo", displayName: "Cán bộ " + unit.name, role: .staff, unitID: unit.id!,
                           unitCode: unit.code, unitName: unit.name, unitKind: unit.kind, csrf: nil)
    }

    static func model(_ id: UUID, unit code: String, user: CurrentUser, campaign: CampaignInfo, on db: any Database) async throws -> YearModel {
        let found = try await Access.campaign(code: campaign.code, unit: code, user: user, on: db)
        return try await YearStore.load(view: found.view, unit: found.unit!, id: id, on: db)
    }
}
