import Foundation
import Testing
@testable import DVKCore

@Suite struct SummaryTests {
    let sectors = Sector.defaults
    let u1 = UUID(), u2 = UUID()

    func entry(_ unit: UUID, _ kind: RegistrantKind, _ name: String, _ sector: Int) -> SummaryEntry {
        SummaryEntry(unitID: unit, kind: kind, registrantKey: VietnameseText.nameKey(name), sectorCode: sectors[sector].code)
    }

    @Test func emptySummaryIsFourRowsOfZeros() {
        let s = Summary(sectors: sectors, entries: [])
        #expect(s.rows.map(\.sector.name) == ["Lĩnh vực kinh tế", "Lĩnh vực văn hóa – xã hội", "Lĩnh vực an ninh – quốc phòng", "Lĩnh vực xây dựng hệ thống chính trị"])
        #expect(s.rows.allSatisfy { $0.tally == .zero })
        #expect(s.total == .zero)
        #expect(s.note == nil)
    }

    @Test func countsDistinctRegistrantsAndTheirInitiativesPerSector() {
        // Unit 1: collective "Tổ Công đoàn Hoà Bình" with 2 models in kinh tế and 1 in văn hóa;
        // "Tổ công đoàn Hòa Bình" is the same collective written the other way.
        // Individuals: Thuỷ (2 models, kinh tế), Thủy (same person, 1 more, kinh tế), Nam (văn hóa).
        let entries = [
            entry(u1, .collective, "Tổ Công đoàn Hoà Bình", 0),
            entry(u1, .collective, "tổ công đoàn  hòa bình", 0),
            entry(u1, .collective, "Tổ Công đoàn Hoà Bình", 1),
            entry(u1, .individual, "Nguyễn Thị Thuỷ", 0),
            entry(u1, .individual, "Nguyễn Thị Thuỷ", 0),
            entry(u1, .individual, "NGUYỄN THỊ THỦY", 0),
            entry(u1, .individual, "Trần Văn Nam", 1),
        ]
        let s = Summary(sectors: sectors, entries: entries)
        #expect(s.rows[0].tally == Tally(collectives: 1, collectiveInitiatives: 2, individuals: 1, individualInitiatives: 3))
        #expect(s.rows[1].tally == Tally(collectives: 1, collectiveInitiatives: 1, individuals: 1, individualInitiatives: 1))
        #expect(s.rows[2].tally == .zero)
        #expect(s.rows[3].tally == .zero)
        // Tổng is the column sum: the collective in two sectors counts twice.
        #expect(s.total == Tally(collectives: 2, collectiveInitiatives: 3, individuals: 2, individualInitiatives: 4))
        #expect(s.distinct == DistinctRegistrants(collectives: 1, individuals: 2))
        #expect(s.note?.contains("Số tập thể đăng ký (không trùng lặp): 1.") == true)
        #expect(s.note?.contains("cá nhân đăng ký (không trùng lặp)") == false)
    }

    @Test func sameNameInTwoUnitsIsTwoRegistrants() {
        let entries = [entry(u1, .individual, "Lê Văn An", 2), entry(u2, .individual, "Lê Văn An", 2)]
        let s = Summary(sectors: sectors, entries: entries)
        #expect(s.rows[2].tally == Tally(individuals: 2, individualInitiatives: 2))
        #expect(s.distinct.individuals == 2)
        #expect(s.note == nil)
    }

    @Test func sameNameAsCollectiveAndIndividualIsTwoRegistrants() {
        let entries = [entry(u1, .individual, "Hòa", 3), entry(u1, .collective, "Hòa", 3)]
        let s = Summary(sectors: sectors, entries: entries)
        #expect(s.rows[3].tally == Tally(collectives: 1, collectiveInitiatives: 1, individuals: 1, individualInitiatives: 1))
    }

    @Test func rollUpIsTheSumOfUnitTalliesAndEqualsCountingAllAtOnce() {
        let a = [entry(u1, .collective, "Tổ 1", 0), entry(u1, .collective, "Tổ 1", 1), entry(u1, .individual, "An", 0)]
        let b = [entry(u2, .collective, "Tổ 1", 0), entry(u2, .individual, "Bình", 3), entry(u2, .individual, "Bình", 3)]
        let summed = Summary(sectors: sectors, tally: UnitTally(entries: a) + UnitTally(entries: b))
        let together = Summary(sectors: sectors, entries: a + b)
        #expect(summed == together)
        #expect(summed.rows[0].tally == Tally(collectives: 2, collectiveInitiatives: 2, individuals: 1, individualInitiatives: 1))
        #expect(summed.rows[3].tally == Tally(individuals: 1, individualInitiatives: 2))
        #expect(summed.total == Tally(collectives: 3, collectiveInitiatives: 3, individuals: 2, individualInitiatives: 3))
        #expect(summed.distinct == DistinctRegistrants(collectives: 2, individuals: 2))
    }

    @Test func rowsFollowTheCampaignsOwnSectorOrder() {
        let custom = [sectors[3], sectors[0]]
        let s = Summary(sectors: custom, entries: [entry(u1, .collective, "X", 0)])
        #expect(s.rows.map(\.sector.code) == ["xay-dung-he-thong-chinh-tri", "kinh-te"])
        #expect(s.rows[1].tally.collectives == 1)
    }
}

@Suite struct SectorMatchTests {
    @Test(arguments: [
        ("kinh-te", "kinh-te"), ("Lĩnh vực kinh tế", "kinh-te"), ("KINH TẾ", "kinh-te"), ("kinh te", "kinh-te"),
        ("văn hoá - xã hội", "van-hoa-xa-hoi"), ("Văn hóa – Xã hội", "van-hoa-xa-hoi"), ("van hoa—xa hoi", "van-hoa-xa-hoi"),
        ("an ninh – quốc phòng", "an-ninh-quoc-phong"), ("Quốc phòng - An ninh", "an-ninh-quoc-phong"),
        ("lĩnh vực an ninh quốc phòng", "an-ninh-quoc-phong"), ("an ninh - quốc phòng", "an-ninh-quoc-phong"), ("quoc phong an ninh", "an-ninh-quoc-phong"),
        ("Xây dựng hệ thống chính trị", "xay-dung-he-thong-chinh-tri"),
    ])
    func namesTheSector(text: String, code: String) {
        #expect(Sector.match(text, in: Sector.defaults)?.code == code)
    }

    @Test(arguments: ["", "giáo dục", "kinh", "an ninh"])
    func refusesWhatIsNotASector(text: String) {
        #expect(Sector.match(text, in: Sector.defaults) == nil)
    }

    @Test func kindsParse() {
        #expect(RegistrantKind(parsing: "Tập thể") == .collective)
        #expect(RegistrantKind(parsing: "ca nhan") == .individual)
        #expect(RegistrantKind(parsing: "CÁ NHÂN") == .individual)
        #expect(RegistrantKind(parsing: "INDIVIDUAL") == .individual)
        #expect(RegistrantKind(parsing: "nhóm") == nil)
    }

    @Test func sectorRowsFollowTheirOrderAndARenumberedRowGoesFirstOnATie() {
        let rows = [Sector.Row(code: "kinh-te", name: "Lĩnh vực kinh tế", order: "1"),
                    Sector.Row(code: "van-hoa-xa-hoi", name: "Lĩnh vực văn hóa – xã hội", order: "2"),
                    Sector.Row(code: "an-ninh-quoc-phong", name: "Lĩnh vực an ninh – quốc phòng", order: "3"),
                    Sector.Row(name: "Lĩnh vực y tế", order: "2")]
        let made = Sector.from(rows: rows)
        #expect(made.problems.isEmpty)
        #expect(made.sectors.map(\.code) == ["kinh-te", "y-te", "van-hoa-xa-hoi", "an-ninh-quoc-phong"])
        // A new row never takes a kept code; a name without letters is refused by its rule.
        let clash = Sector.from(rows: [Sector.Row(name: "Lĩnh vực kinh tế"), Sector.Row(code: "kinh-te", name: "Kinh tế cũ")])
        #expect(clash.problems == [] && clash.sectors.map(\.code) == ["kinh-te-2", "kinh-te"], "\(clash)")
        #expect(Sector.from(rows: [Sector.Row(name: "—")]).problems == ["dòng 1: tên lĩnh vực cần có ít nhất một chữ cái hoặc chữ số"])
        let fresh = Sector.from(rows: [Sector.Row(name: "Chuyển đổi số"), Sector.Row(code: "chuyen-doi-so", name: "Số hóa")])
        #expect(fresh.sectors.map(\.code) == ["chuyen-doi-so-2", "chuyen-doi-so"])
        #expect(Sector.makeCode(for: "— !", taken: []) == "linh-vuc")
        #expect(Sector.from(rows: [Sector.Row(name: " ")]).problems == ["cần ít nhất một lĩnh vực"])
    }

    @Test func aSectorNameAfterItsLabelDropsLinhVuc() {
        #expect(Sector.shortName("Lĩnh vực kinh tế") == "Kinh tế")
        #expect(Sector.shortName("Lĩnh vực an ninh – quốc phòng") == "An ninh – quốc phòng")
        #expect(Sector.shortName("LĨNH VỰC văn hóa – xã hội") == "Văn hóa – xã hội")
        #expect(Sector.shortName("Chuyển đổi số") == "Chuyển đổi số")
        #expect(Sector.shortName("Lĩnh vực") == "Lĩnh vực")
    }
}
