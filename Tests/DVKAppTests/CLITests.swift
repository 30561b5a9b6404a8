import DVKCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import DVKApp

@Suite struct CLITests {
    static let initiativesCSV = """
    unit_code,registrant_kind,registrant_name,registrant_title,sector,title,start_date,end_date,submitted_at
    S1,Tập thể,Ban Chấp hành CĐCS,,Lĩnh vực kinh tế,Sáng kiến tiết kiệm điện,2024-03-01,2024-12-31,2024-02-10
    S1,tap the,Ban chấp hành cđcs,,văn hoá - xã hội,Tủ sách đoàn viên,01/03/2024,31/12/2024,2024-02-10
    S1,cá nhân,Nguyễn Thị Thuỷ,Giáo viên,kinh-te,Lớp học số,,,2024-02-10
    S1,CÁ NHÂN,Nguyễn Thị Thủy,Giáo viên,Kinh tế,Góc học tập xanh,,,2024-02-10
    S2,individual,Trần Văn Hòa,Kế toán,"quốc phòng – an ninh","Camera an ninh, khu phố bình yên",,,2024-02-17T08:00
    P1,collective,Tổ Nữ công,,xay dung he thong chinh tri,Lắng nghe đoàn viên,,,
    C1,collective,Tổ Nữ công,,Lĩnh vực an ninh quốc phòng,Tổ PCCC cơ sở,,,
    """

    @Test func importsAndSummarisesExactlyAsOnTheForm() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let out = try await run(app, "import", "initiatives", try tempFile(Self.initiativesCSV), "--campaign", "DVK-2024")
            #expect(out.contains("7 rows, 7 added, 0 already there"))
            #expect(out.contains("4 units submitted"))

            // S1 by hand: collective "BCH" in kinh tế (1 model) and văn hóa (1); Thủy = Thuỷ, 2 models in kinh tế.
            let s1 = try await Fixture.summary(app, unit: "S1")
            #expect(s1.unit == .init(code: "S1", name: "Trường Tiểu học Ngọc Lâm"))
            #expect(s1.rows.map(\.sector) == ["kinh-te", "van-hoa-xa-hoi", "an-ninh-quoc-phong", "xay-dung-he-thong-chinh-tri"])
            #expect(s1.grid == [[1, 1, 1, 2], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [2, 2, 1, 2]])
            #expect(s1.distinct == .init(collectives: 1, individuals: 1))

            // Three levels: GD = S1 + S2; LB = GD + P1 + C1 (two different "Tổ Nữ công" of two units).
            let gd = try await Fixture.summary(app, unit: "GD")
            #expect(gd.grid == [[1, 1, 1, 2], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 0], [2, 2, 2, 3]])
            let lb = try await Fixture.summary(app, unit: "LB")
            #expect(lb.grid == [[1, 1, 1, 2], [1, 1, 0, 0], [1, 1, 1, 1], [1, 1, 0, 0], [4, 4, 2, 3]])
            #expect(lb.distinct == .init(collectives: 3, individuals: 2))
        }
    }

    @Test func jsonHasExactlyTheDocumentedKeys() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let json = try await run(app, "summary", "--campaign", "DVK-2024", "--unit", "LB")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(Set(object.keys) == ["campaign", "unit", "rows", "total", "distinct"])
            let row = try #require((object["rows"] as? [[String: Any]])?.first)
            #expect(Set(row.keys) == ["sector", "name", "collectives", "collectiveInitiatives", "individuals", "individualInitiatives"])
            #expect(row["name"] as? String == "Lĩnh vực kinh tế")
            #expect(Set((object["total"] as? [String: Any])?.keys ?? [:].keys) == ["collectives", "collectiveInitiatives", "individuals", "individualInitiatives"])
            #expect(Set((object["distinct"] as? [String: Any])?.keys ?? [:].keys) == ["collectives", "individuals"])
            #expect(Set((object["unit"] as? [String: Any])?.keys ?? [:].keys) == ["code", "name"])
        }
    }

    @Test func csvAndTextFormats() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "import", "initiatives", try tempFile(Self.initiativesCSV), "--campaign", "DVK-2024")
            let csv = try await run(app, "summary", "--campaign", "DVK-2024", "--unit", "S1", "--format", "csv")
            let lines = csv.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "sector,name,collectives,collectiveInitiatives,individuals,individualInitiatives")
            #expect(lines[1] == "kinh-te,Lĩnh vực kinh tế,1,1,1,2")
            #expect(lines[5] == "total,Tổng:,2,2,1,2")
            let text = try await run(app, "summary", "--campaign", "DVK-2024", "--unit", "S1", "--format", "text")
            #expect(text.contains("Tổng:"))
            await #expect(throws: DomainError.self) {
                try await run(app, "summary", "--campaign", "DVK-2024", "--unit", "S1", "--format", "xml")
            }
        }
    }

    @Test func importingTheSameFileTwiceChangesNothing() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let file = try tempFile(Self.initiativesCSV)
            try await run(app, "import", "initiatives", file, "--campaign", "DVK-2024")
            let before = try await Fixture.summary(app, unit: "LB")
            let events = try await SubmissionEvent.query(on: app.db).count()
            let out = try await run(app, "import", "initiatives", file, "--campaign", "DVK-2024")
            #expect(out.contains("7 rows, 0 added, 7 already there, 0 new registrants, 0 units submitted"))
            #expect(try await Initiative.query(on: app.db).count() == 7)
            #expect(try await Registrant.query(on: app.db).count() == 5)
            #expect(try await SubmissionEvent.query(on: app.db).count() == events)
            #expect(try await Fixture.summary(app, unit: "LB") == before)
        }
    }

    @Test func rowsRepeatingAKeyInOneFileAreOneInitiative() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let csv = """
            unit_code,registrant_kind,registrant_name,sector,title
            S1,tập thể,Tổ Hoà Bình,kinh tế,Mô hình A
            S1,tập thể,tổ hòa  bình,Kinh tế,mô hình a
            S1,tập thể,Tổ Hòa Bình,văn hóa – xã hội,Mô hình A
            """
            let out = try await run(app, "import", "initiatives", try tempFile(csv), "--campaign", "DVK-2024")
            #expect(out.contains("3 rows, 2 added"))
            #expect(out.contains("lines 3"))
            #expect(try await Initiative.query(on: app.db).count() == 2)
        }
    }

    @Test func aBadFileNamesEveryBadLineAndWritesNothing() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let csv = """
            unit_code,registrant_kind,registrant_name,sector,title,submitted_at
            S1,tập thể,Tổ 1,kinh tế,Good row,
            NOPE,tập thể,Tổ 1,kinh tế,Unknown unit,
            OTHER,tập thể,Tổ 1,kinh tế,Outside the campaign,
            S2,nhóm,Tổ 1,kinh tế,Bad kind,
            S2,tập thể,Tổ 1,y tế,Bad sector,
            S2,tập thể,,kinh tế,,
            S2,tập thể,Tổ 1,kinh tế,Bad date,31/02/2024
            """
            do {
                try await run(app, "import", "initiatives", try tempFile(csv), "--campaign", "DVK-2024")
                Issue.record("a bad file was accepted")
            } catch let DomainError.badFile(lines, _) {
                #expect(lines.map(\.line) == [3, 4, 5, 6, 7, 8])
                #expect(lines[0].description.contains("NOPE"))
                #expect(lines[1].description.contains("không có đơn vị mã “OTHER” trong các đơn vị được phép nhập"))
                #expect(lines[2].description.contains("nhóm"))
                #expect(lines[3].description.contains("y tế"))
                #expect(lines[4].reasons.count == 2)
                #expect(lines[5].description.contains("31/02/2024"))
            }
            #expect(try await Initiative.query(on: app.db).count() == 0)
            #expect(try await Registrant.query(on: app.db).count() == 0)
            #expect(try await Submission.query(on: app.db).count() == 0)
        }
    }

    @Test func importUnitsUpsertsByCodeAndRefusesBadFilesWhole() async throws {
        try await withApp { app in
            let first = try await run(app, "import", "units", try tempFile(Fixture.unitsCSV))
            #expect(first.contains("8 created, 0 updated, 0 unchanged"))
            let again = try await run(app, "import", "units", try tempFile(Fixture.unitsCSV))
            #expect(again.contains("0 created, 0 updated, 8 unchanged"))
            // CRLF, BOM, any column order, a rename.
            let changed = "\u{FEFF}kind,name,code,parent_code\r\ngrassroots,Trường TH Ngọc Lâm (mới),S1,GD\r\n"
            let out = try await run(app, "import", "units", try tempFile(changed))
            #expect(out.contains("0 created, 1 updated"))
            #expect(try await UnitDirectory.find(code: "S1", on: app.db).name == "Trường TH Ngọc Lâm (mới)")
            let bad = "code,name,parent_code,kind\nX1,Đơn vị X,ZZZ,grassroots\nX2,,LB,grassroots\n"
            await #expect(throws: DomainError.self) { try await run(app, "import", "units", try tempFile(bad)) }
            #expect(try await Unit.query(on: app.db).count() == 8)
        }
    }

    @Test func campaignCreateTargetsEveryGrassrootsUnitUnderTheIssuer() async throws {
        try await withApp { app in
            try await run(app, "import", "units", try tempFile(Fixture.unitsCSV))
            let out = try await run(app, "campaign", "create", "--code", "C-2025", "--issuer", "LB", "--year", "2025",
                                    "--title", "Phong trào thi đua “Dân vận khéo” năm 2025", "--deadline", "2025-02-16T17:30",
                                    "--issued", "2025-02-06")
            #expect(out.contains("4 target units"))
            #expect(out.contains("17:30 ngày 16/02/2025"))
            let campaign = try await CampaignStore.info(code: "C-2025", on: app.db)
            #expect(campaign.sectors == Sector.defaults)
            #expect(campaign.state == .open)
            #expect(campaign.deadline == InstantParser.parse("2025-02-16T17:30+07:00"))
            let targets = try await CampaignUnit.query(on: app.db).filter(\.$isTarget == true).all().map(\.code).sorted()
            #expect(targets == ["C1", "P1", "S1", "S2"])
            // A date alone is 00:00 Vietnam time.
            try await run(app, "campaign", "create", "--code", "C-D", "--issuer", "LB", "--year", "2025", "--title", "T", "--deadline", "2025-02-16",
                          "--issued", "2025-02-06")
            #expect(try await CampaignStore.info(code: "C-D", on: app.db).deadline == Date(timeIntervalSince1970: 1_739_638_800))
            await #expect(throws: DomainError.self) {
                try await run(app, "campaign", "create", "--code", "C-2025", "--issuer", "LB", "--year", "2025", "--deadline", "2025-02-16",
                              "--issued", "2025-02-06")
            }
            // The web form's rule holds here too (`CampaignDates`): the deadline comes after the letter's day.
            await #expect(throws: DomainError.invalid("Hạn nộp phải sau ngày ban hành công văn (16/02/2025).")) {
                try await run(app, "campaign", "create", "--code", "C-Z", "--issuer", "LB", "--year", "2025", "--deadline", "2025-02-16",
                              "--issued", "2025-02-16")
            }
            await #expect(throws: DomainError.self) {
                try await run(app, "campaign", "create", "--code", "C-X", "--issuer", "S1", "--year", "2025", "--deadline", "2025-02-16")
            }
            await #expect(throws: DomainError.self) {
                try await run(app, "campaign", "create", "--code", "C-Y", "--issuer", "LB", "--year", "2025", "--deadline", "16.02.2025")
            }
        }
    }

    @Test func demoIsIdempotentAndRealistic() async throws {
        try await withApp { app in
            let analyzed = try await Self.analyzeCount(app)
            let first = try await run(app, "demo")
            #expect(first.contains("demo loaded"))
            // The planner's statistics after the load: PostgreSQL's made (its own threshold
            // would leave the 46-row tree unanalyzed), SQLite's none (its statements are
            // written for its planner without them).
            if let analyzed {
                #expect(try await Self.analyzeCount(app).map { $0 > analyzed } == true)
            } else {
                let stat = try await app.db.sql().raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
                #expect(try stat?.decode(column: "n", as: Int.self) == 0)
            }
            let units = try await Unit.query(on: app.db).count()
            let initiatives = try await Initiative.query(on: app.db).count()
            let second = try await run(app, "demo")
            #expect(second.contains("already loaded"))
            #expect(try await Unit.query(on: app.db).count() == units)
            #expect(try await Initiative.query(on: app.db).count() == initiatives)
            #expect(try await Unit.query(on: app.db).filter(\.$kind == .grassroots).count() >= 40)

            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            #expect(campaign.number == "26/LĐLĐ")
            #expect(campaign.issuedOn == CalendarDay(year: 2024, month: 2, day: 6))
            #expect(campaign.signer == Signer(authority: "TM. BAN THƯỜNG VỤ", title: "PHÓ CHỦ TỊCH", name: "Đặng Thị Ánh Nguyệt"))
            #expect(VietnamTime.describe(campaign.deadline) == "00:00 ngày 16/02/2024")
            let submissions = try await Submission.query(on: app.db).all()
            var rows: [SubmissionRow] = []
            for s in submissions { rows.append(try #require(try await SubmissionRow.find(campaignID: s.campaignID, unitID: s.unitID, on: app.db))) }
            let late = rows.filter { $0.standing(campaign).isLate }
            #expect(!late.isEmpty)
            #expect(submissions.filter(\.noModel).count == 1)
            #expect(submissions.count < 44)
            let lb = try await Fixture.summary(app, unit: "LB")
            #expect(lb.rows.allSatisfy { $0.collectiveInitiatives + $0.individualInitiatives > 0 })
            let recount = try await run(app, "summary", "--campaign", "DVK-2024", "--unit", "LB", "--recount")
            #expect(try JSONDecoder().decode(SummaryDTO.self, from: Data(recount.utf8)) == lb)
        }
    }

    /// How many times the campaigns' trees were analyzed by hand on PostgreSQL; nil on SQLite.
    static func analyzeCount(_ app: Application) async throws -> Int? {
        let sql = try app.db.sql()
        guard sql.dialect.name == "postgresql" else { return nil }
        try await sql.raw("SELECT pg_stat_clear_snapshot()").run()
        let row = try await sql.raw("""
            SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relid = to_regclass('campaign_units')
            """).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    @Test func generateMakesATreeAndACampaign() async throws {
        try await withApp { app in
            let out = try await run(app, "generate", "--units", "400", "--initiatives", "2000", "--seed", "3")
            #expect(out.contains("400 grassroots units, 2000 initiatives"))
            let root = try await Fixture.summary(app, unit: "GEN", campaign: "GEN")
            #expect(root.total.collectiveInitiatives + root.total.individualInitiatives == 2000)
            let bench = try await run(app, "bench", "summary", "--campaign", "GEN", "--unit", "GEN", "--iterations", "3")
            #expect(bench.contains("equal to maintained counts: yes"))
            await #expect(throws: DomainError.self) { try await run(app, "generate", "--units", "10", "--initiatives", "10") }
        }
    }

    @Test func missingOptionsAreNamed() async throws {
        try await withApp { app in
            do {
                try await run(app, "summary", "--unit", "LB")
                Issue.record("expected an error")
            } catch {
                #expect("\(error)" == "missing required option --campaign")
            }
        }
    }
}
