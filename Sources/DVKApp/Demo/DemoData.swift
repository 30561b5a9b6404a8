import DVKCore
import FluentKit
import Foundation

/// Realistic demo data: Hà Nội → Long Biên → its CĐCS (schools under an education
/// union, ward offices, hospitals, companies), the campaign of the 2024 letter, and the
/// registrations of most units: on time, late, drafts, returned, accepted, none, "no model".
enum DemoData {
    static let campaignCode = "DVK-2024"

    struct Report: Sendable {
        var loaded: Bool
        var units: Int
        var initiatives: Int
    }

    /// The demo's people: one of every role, each bound to a unit (same password for all).
    static let password = "dvk-demo-2024"
    static let users: [(username: String, name: String, role: Role, unit: String)] = [
        ("admin", "Quản trị hệ thống", .admin, "HN"),
        ("hanoi", "Ban Tuyên giáo LĐLĐ Thành phố", .viewer, "HN"),
        ("longbien", "Nguyễn Thị Mai (LĐLĐ quận Long Biên)", .staff, "LB"),
        ("giaoduc", "Trần Minh Đức (CĐ ngành Giáo dục)", .staff, "LB-GD"),
        ("ngoclam", "Phạm Thu Hằng (CĐCS Tiểu học Ngọc Lâm)", .officer, "LB-GD-THNL"),
        ("maydg", "Lê Văn Sơn (CĐCS May Đức Giang)", .officer, "LB-DN-MDG"),
        ("giangbien", "Vũ Thị Hạnh (CĐCS phường Giang Biên)", .officer, "LB-P-GB"),
    ]

    static func load(at now: Date, on db: any Database) async throws -> Report {
        if try await Campaign.query(on: db).filter(\.$code == campaignCode).count() > 0 {
            return Report(loaded: false, units: try await Unit.query(on: db).count(), initiatives: try await Initiative.query(on: db).count())
        }
        try await db.write { db in
            try await createTree(on: db)
            let campaign = try await CampaignStore.create(letterCampaign, at: now, on: db)
            try await register(campaign, on: db)
            try await DemoYear.load(campaign, on: db)
            for u in users where try await User.query(on: db).filter(\.$username == u.username).count() == 0 {
                _ = try await AuthStore.createUser(username: u.username, password: password, role: u.role, unitCode: u.unit,
                                                   displayName: u.name, at: now, on: db)
            }
        }
        return Report(loaded: true, units: try await Unit.query(on: db).count(), initiatives: try await Initiative.query(on: db).count())
    }

    static let federations: [(code: String, name: String, parent: String?)] = [
        ("HN", "LĐLĐ Thành phố Hà Nội", nil),
        ("LB", "Liên đoàn Lao động quận Long Biên", "HN"),
        ("LB-GD", "Công đoàn ngành Giáo dục quận Long Biên", "LB"),
    ]

    static let grassroots: [(code: String, name: String, parent: String)] = [
        ("LB-GD-MNHS", "Trường Mầm non Hoa Sữa", "LB-GD"),
        ("LB-GD-MNBD", "Trường Mầm non Bồ Đề", "LB-GD"),
        ("LB-GD-MNGT", "Trường Mầm non Gia Thụy", "LB-GD"),
        ("LB-GD-THNL", "Trường Tiểu học Ngọc Lâm", "LB-GD"),
        ("LB-GD-THBD", "Trường Tiểu học Bồ Đề", "LB-GD"),
        ("LB-GD-THGT", "Trường Tiểu học Gia Thụy", "LB-GD"),
        ("LB-GD-THPD", "Trường Tiểu học Phúc Đồng", "LB-GD"),
        ("LB-GD-CSGT", "Trường THCS Gia Thụy", "LB-GD"),
        ("LB-GD-CSTB", "Trường THCS Thạch Bàn", "LB-GD"),
        ("LB-GD-CSNT", "Trường THCS Ngọc Thụy", "LB-GD"),
        ("LB-GD-CSLB", "Trường THCS Long Biên", "LB-GD"),
        ("LB-GD-CSVH", "Trường THCS Việt Hưng", "LB-GD"),
        ("LB-P-NT", "Cơ quan UBND phường Ngọc Thụy", "LB"),
        ("LB-P-BD", "Cơ quan UBND phường Bồ Đề", "LB"),
        ("LB-P-GT", "Cơ quan UBND phường Gia Thụy", "LB"),
        ("LB-P-LB", "Cơ quan UBND phường Long Biên", "LB"),
        ("LB-P-PD", "Cơ quan UBND phường Phúc Đồng", "LB"),
        ("LB-P-TB", "Cơ quan UBND phường Thạch Bàn", "LB"),
        ("LB-P-SD", "Cơ quan UBND phường Sài Đồng", "LB"),
        ("LB-P-VH", "Cơ quan UBND phường Việt Hưng", "LB"),
        ("LB-P-DG", "Cơ quan UBND phường Đức Giang", "LB"),
        ("LB-P-GB", "Cơ quan UBND phường Giang Biên", "LB"),
        ("LB-P-CK", "Cơ quan UBND phường Cự Khối", "LB"),
        ("LB-P-PL", "Cơ quan UBND phường Phúc Lợi", "LB"),
        ("LB-P-TT", "Cơ quan UBND phường Thượng Thanh", "LB"),
        ("LB-P-NL", "Cơ quan UBND phường Ngọc Lâm", "LB"),
        ("LB-YT-BVDG", "Bệnh viện Đa khoa Đức Giang", "LB"),
        ("LB-YT-TTYT", "Trung tâm Y tế quận Long Biên", "LB"),
        ("LB-CQ-QU", "Cơ quan Quận ủy Long Biên", "LB"),
        ("LB-CQ-UB", "Cơ quan UBND quận Long Biên", "LB"),
        ("LB-CQ-KB", "Kho bạc Nhà nước quận Long Biên", "LB"),
        ("LB-CQ-CC", "Chi cục Thuế quận Long Biên", "LB"),
        ("LB-DN-MDG", "Công ty Cổ phần May Đức Giang", "LB"),
        ("LB-DN-XKGL", "Công ty Cổ phần Xe khách Gia Lâm", "LB"),
        ("LB-DN-MTDT", "Công ty TNHH MTV Môi trường Đô thị Long Biên", "LB"),
        ("LB-DN-CNSD", "Công ty TNHH Công nghệ Sài Đồng", "LB"),
        ("LB-DN-TPHB", "Công ty Cổ phần Thực phẩm Hà Bình", "LB"),
        ("LB-DN-DLGB", "Công ty TNHH Điện lực Giang Biên", "LB"),
        ("LB-DN-VTLB", "Công ty Cổ phần Vận tải Long Biên", "LB"),
        ("LB-DN-XDTB", "Công ty Cổ phần Xây dựng Thạch Bàn", "LB"),
        ("LB-DN-DVNT", "Hợp tác xã Dịch vụ Nông nghiệp Ngọc Thụy", "LB"),
        ("LB-DN-BHVH", "Công ty TNHH Bao bì Việt Hưng", "LB"),
        ("LB-DN-CKPD", "Công ty Cổ phần Cơ khí Phúc Đồng", "LB"),
        ("LB-DN-TMCK", "Công ty TNHH Thương mại Cự Khối", "LB"),
    ]

    static func createTree(on db: any Database) async throws {
        var ids: [String: UUID] = [:]
        for f in federations {
            if let existing = try await Unit.query(on: db).filter(\.$code == f.code).first() { ids[f.code] = existing.id; continue }
            let unit = Unit(code: f.code, name: f.name, kind: .federation, parentID: f.parent.flatMap { ids[$0] },
                            email: "\(f.code.lowercased())@congdoan.example.vn", phone: "024 3827 \(1000 + ids.count)")
            try await unit.create(on: db)
            ids[f.code] = unit.id
        }
        for (i, g) in grassroots.enumerated() {
            if try await Unit.query(on: db).filter(\.$code == g.code).count() > 0 { continue }
            try await Unit(code: g.code, name: g.name, kind: .grassroots, parentID: ids[g.parent],
                           email: "cd.\(g.code.lowercased())@congdoan.example.vn",
                           phone: String(format: "09%02d %03d %03d", 12 + i, 100 + i * 7, 200 + i * 13)).create(on: db)
        }
    }

    static var letterCampaign: CampaignInput {
        var input = CampaignInput(code: campaignCode, issuerCode: "LB", year: 2024,
                                  title: "Phong trào thi đua “Dân vận khéo” năm 2024", number: "26/LĐLĐ",
                                  issuedOn: CalendarDay(year: 2024, month: 2, day: 6),
                                  deadline: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16)))
        input.place = "Long Biên"
        input.addressees = ["Ban Chấp hành công đoàn cơ sở"]
        input.recipients = ["Ban Tuyên giáo LĐLĐ TP; (để báo cáo)", "Ban Dân vận Quận ủy;", "Như Kính gửi (để t/hiện);", "Lưu: VT, TG."]
        input.signer = Signer(authority: "TM. BAN THƯỜNG VỤ", title: "PHÓ CHỦ TỊCH", name: "Đặng Thị Ánh Nguyệt")
        input.body = DemoLetter.body
        input.basis = "Công văn số 274/LĐLĐ ngày 05/02/2024 của LĐLĐ thành phố Hà Nội"
        return input
    }

    /// What each demo unit does, by its index in `grassroots`.
    enum Outcome { case accepted, submitted, late, returned, draft, none, noModel }

    static func outcome(_ index: Int) -> Outcome {
        switch index {
        case 3, 17, 29, 38: .none
        case 12: .noModel
        case 8, 33: .draft
        case 21: .returned
        case 5, 14, 26, 40: .late
        case let i where i % 3 == 0: .accepted
        default: .submitted
        }
    }

    static func register(_ campaign: CampaignInfo, on db: any Database) async throws {
        var rng = SeededGenerator(seed: 2024)
        let deadline = campaign.deadline
        for (index, g) in grassroots.enumerated() {
            let unit = try await UnitDirectory.find(code: g.code, on: db)
            let outcome = outcome(index)
            if outcome == .none { continue }
            // Submitted between 5 days and 1 hour before the deadline, or up to 3 days late.
            let submittedAt = outcome == .late
                ? deadline.addingTimeInterval(Double(rng.next(upTo: 72) + 1) * 3600)
                : deadline.addingTimeInterval(-Double(rng.next(upTo: 120) + 1) * 3600)
            if outcome == .noModel {
                try await RegistrationStore.perform(.declare, campaign: campaign, unitID: unit.id!, actor: Actors.demo, at: submittedAt, on: db)
                try await RegistrationStore.perform(.accept, campaign: campaign, unitID: unit.id!, actor: "longbien", at: submittedAt.addingTimeInterval(86400), on: db)
                continue
            }
            for draft in DemoLetter.drafts(for: g.name, index: index, rng: &rng) {
                try await RegistrationStore.save(draft, campaign: campaign, unitID: unit.id!, actor: Actors.demo,
                                                 at: submittedAt.addingTimeInterval(-3 * 86400), on: db)
            }
            switch outcome {
            case .draft, .none, .noModel:
                continue
            case .accepted:
                try await RegistrationStore.perform(.submit, campaign: campaign, unitID: unit.id!, actor: Actors.demo, at: submittedAt, on: db)
                try await RegistrationStore.perform(.accept, campaign: campaign, unitID: unit.id!, actor: "longbien", at: submittedAt.addingTimeInterval(2 * 86400), on: db)
            case .submitted, .late:
                try await RegistrationStore.perform(.submit, campaign: campaign, unitID: unit.id!, actor: Actors.demo, at: submittedAt, on: db)
            case .returned:
                try await RegistrationStore.perform(.submit, campaign: campaign, unitID: unit.id!, actor: Actors.demo, at: submittedAt, on: db)
                try await RegistrationStore.perform(.return(resubmitBy: nil), campaign: campaign, unitID: unit.id!, actor: "longbien",
                                                    reason: "Mô hình cá nhân chưa ghi rõ thời gian thực hiện và kết quả dự kiến; đề nghị bổ sung.",
                                                    at: submittedAt.addingTimeInterval(86400), on: db)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64): the same seed gives the same data.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(upTo n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}
