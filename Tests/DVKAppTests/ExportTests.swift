import DVKCore
import DVKDocuments
import Fluent
import Foundation
import SQLKit
import Testing
import TestPrograms
import Vapor
import VaporTesting
@testable import DVKApp

/// `dvk export` read back by real readers: the numbers are those of `dvk summary`.
@Suite struct ExportTests {
    func python(_ script: String, _ file: String) throws -> [String: Any] {
        try Program.oracle(script, file)
    }

    /// Runs a program and returns its standard output; a failure (or a kill at
    /// `Program.patience`) fails the test, naming the command.
    func tool(_ path: String, _ arguments: [String]) throws -> String {
        let run = try Program.run(path, arguments)
        #expect(run.succeeded, "\(path) \(arguments) \(run.ending): \(run.errors)")
        return run.output
    }

    @Test func summaryDocumentsReadBackToTheNumbersOfDvkSummary() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "import", "initiatives", try tempFile(CLITests.initiativesCSV), "--campaign", "DVK-2024")
            for unit in ["S1", "LB"] {
                let expected = try await Fixture.summary(app, unit: unit).grid.map { $0.map(String.init) }
                let docx = try tempFile("", suffix: ".docx")
                try await run(app, "export", "summary", "--campaign", "DVK-2024", "--unit", unit, "--format", "docx", "--output", docx)
                let read = try python("docx_read.py", docx)
                let tables = try #require(read["tables"] as? [[String: Any]])
                // The first table lays out the header bands; the second is the Biểu tổng hợp.
                let grid = try #require(tables.dropFirst().first?["grid"] as? [[String]])
                // Header rows first, then one row per sector and "Tổng:"; the last four columns are the numbers.
                let numbers = grid.suffix(5).map { Array($0.suffix(4)) }
                #expect(numbers == expected, "\(unit)")

                let pdf = try tempFile("", suffix: ".pdf")
                try await run(app, "export", "summary", "--campaign", "DVK-2024", "--unit", unit, "--format", "pdf", "--output", pdf)
                let text = try tool("/usr/bin/pdftotext", ["-layout", pdf, "-"])
                #expect(text.contains("BIỂU TỔNG HỢP"))
                let totalLine = try #require(text.split(separator: "\n").first { $0.contains("Tổng:") })
                let totals = totalLine.split(separator: " ").compactMap { Int($0) }
                #expect(totals == expected.last!.compactMap { Int($0) })
            }
        }
    }

    /// A report answers the right letter and carries its own union's symbol: the issuer
    /// cites the upper level's letter and what it issued; a sector union below it cites the
    /// issuer's letter, not one of its own.
    @Test func aReportCitesTheLetterItAnswers() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "campaign", "create", "--code", "DVK-BASIS", "--issuer", "LB", "--year", "2025",
                          "--deadline", "2025-02-16", "--number", "12/LĐLĐ", "--issued", "2025-02-06",
                          "--basis", "Công văn số 274/LĐLĐ ngày 05/02/2025 của LĐLĐ thành phố Hà Nội")
            func report(_ campaign: String, _ unit: String) async throws -> String {
                let pdf = try tempFile("", suffix: ".pdf")
                try await run(app, "export", "report", "--campaign", campaign, "--unit", unit, "--format", "pdf", "--output", pdf)
                return try tool("/usr/bin/pdftotext", [pdf, "-"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            }
            let issuer = try await report("DVK-BASIS", "LB")
            #expect(issuer.contains("Thực hiện Công văn số 274/LĐLĐ ngày 05/02/2025 của LĐLĐ thành phố Hà Nội về việc triển khai"))
            #expect(issuer.contains("Liên đoàn Lao động quận Long Biên đã ban hành Công văn số 12/LĐLĐ ngày 06/02/2025"))
            #expect(issuer.contains("/BC-LĐLĐ"))
            let sector = try await report("DVK-BASIS", "GD")
            #expect(sector.contains("Thực hiện Công văn số 12/LĐLĐ ngày 06/02/2025 của Liên đoàn Lao động quận Long Biên"))
            #expect(sector.contains("Công đoàn ngành Giáo dục quận Long Biên báo cáo kết quả"))
            #expect(sector.contains("/BC-CĐN") && !sector.contains("/BC-LĐLĐ"))
            #expect(!sector.contains("274/LĐLĐ"))
            // Without an upper letter, the issuer says what it issued.
            let plain = try await report("DVK-2024", "LB")
            #expect(plain.contains("Liên đoàn Lao động quận Long Biên đã ban hành Công văn số 26/LĐLĐ ngày 06/02/2024 về việc triển khai"))
            // No model yet and nobody handed in: no clause about zero units.
            #expect(plain.contains("Chưa có đơn vị nào nộp hồ sơ đăng ký.") && !plain.contains("0 đơn vị"))
        }
    }

    @Test func aCampaignsDocumentsKeepTheNamesItFroze() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            try await run(app, "import", "units", try tempFile("code,name,parent_code,kind\nLB,Công đoàn phường Long Biên mới,HN,federation\n"))
            let pdf = try tempFile("", suffix: ".pdf")
            try await run(app, "export", "report", "--campaign", "DVK-2024", "--unit", "LB", "--format", "pdf", "--output", pdf)
            let text = try tool("/usr/bin/pdftotext", [pdf, "-"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(text.contains("LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN"))
            #expect(!text.contains("MỚI"))
            #expect(text.contains("/BC-LĐLĐ"))
        }
    }

    @Test func theLetterIsTheCampaignsOwnTextAndTablesOnlyGoToExcel() async throws {
        try await withApp { app in
            try await run(app, "demo")
            let docx = try tempFile("", suffix: ".docx")
            try await run(app, "export", "letter", "--campaign", "DVK-2024", "--unit", "LB", "--format", "docx", "--output", docx)
            let read = try python("docx_read.py", docx)
            let tables = (read["tables"] as? [[String: Any]] ?? []).compactMap { $0["grid"] as? [[String]] }.flatMap { $0.flatMap { $0 } }
            let paragraphs = (try #require(read["paragraphs"] as? [String]) + tables).joined(separator: "\n")
            for expected in ["Số: 26/LĐLĐ", "Long Biên, ngày 06 tháng 02 năm 2024", "Kính gửi", "Ban Chấp hành công đoàn cơ sở",
                             "Nơi nhận:", "TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Đặng Thị Ánh Nguyệt", "Trong lĩnh vực kinh tế"] {
                #expect(paragraphs.contains(expected), "\(expected)")
            }
            await #expect(throws: DomainError.self) {
                try await run(app, "export", "letter", "--campaign", "DVK-2024", "--unit", "LB", "--format", "xlsx", "--output", docx)
            }
            let xlsx = try tempFile("", suffix: ".xlsx")
            try await run(app, "export", "summary", "--by-unit", "--campaign", "DVK-2024", "--unit", "LB", "--format", "xlsx", "--output", xlsx)
            let cells = try #require(try python("xlsx_read.py", xlsx)["cells"] as? [String: Any])
            #expect(cells.values.contains { (($0 as? [String: Any])?["value"] as? String)?.contains("SUM(") == true })
            // One initiative's form, by id.
            let initiative = try #require(try await Initiative.query(on: app.db).first())
            let unit = try #require(try await Unit.find(initiative.unitID, on: app.db))
            let form = try tempFile("", suffix: ".pdf")
            try await run(app, "export", "form", "--campaign", "DVK-2024", "--unit", unit.code, "--initiative", initiative.id!.uuidString,
                          "--format", "pdf", "--output", form)
            let text = try tool("/usr/bin/pdftotext", [form, "-"])
            #expect(text.contains("PHIẾU ĐĂNG KÝ"))
            #expect(text.contains(initiative.title))
            // Dated the day its unit handed it in, not the day it is printed.
            try await app.db.sql().update("submissions").set("status", to: "submitted")
                .set("submitted_at", to: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 15), hour: 10))
                .where("unit_id", .equal, initiative.unitID).run()
            try await run(app, "export", "form", "--campaign", "DVK-2024", "--unit", unit.code, "--initiative", initiative.id!.uuidString,
                          "--format", "pdf", "--output", form)
            #expect(try tool("/usr/bin/pdftotext", [form, "-"]).contains("ngày 15 tháng 02 năm 2024"))
        }
    }
}

/// A unit that has not handed in reads "chưa nộp" in a roll-up's rows, and one that
/// answered "no model" "không đăng ký", never zeros.
@Suite struct NotHandedInTests {
    @Test func theRollUpByUnitSaysChuaNopForUnitsThatHaveNotHandedIn() async throws {
        try await withApp { app in
            let scene = try await RaceTests.scene(app)
            try await RegistrationStore.perform(.submit, campaign: scene.campaign, unitID: scene.s1, actor: "s1", at: Date(), on: app.db)
            let p1 = try await UnitDirectory.find(code: "P1", on: app.db).requireID()
            try await RegistrationStore.perform(.declare, campaign: scene.campaign, unitID: p1, actor: "p1", at: Date(), on: app.db)
            let lb = try await CampaignStore.snapshotUnit(campaignID: scene.campaign.id, code: "LB", on: app.db).snapshot
            let document = try await CampaignDocuments.build(.summaryUnits, campaign: scene.campaign, unit: lb,
                                                             options: .init(now: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 20)), showNationalMotto: true), on: app.db)
            let xlsx = try XLSXReader.table(try OfficialDocuments.render(document, as: .xlsx))
            func row(_ name: String) -> [String] {
                (xlsx.records.first { $0.fields.contains(name) }?.fields ?? []).filter { !$0.isEmpty }
            }
            #expect(row("Trường Tiểu học Ngọc Lâm").suffix(4) == ["1", "1", "1", "1"])
            #expect(row("Cơ quan UBND phường Bồ Đề").last == "không đăng ký")
            // The figures say when they were taken and how many units they cover.
            #expect(xlsx.records.contains { $0.fields.contains("Số liệu tính đến 00 giờ 00 ngày 20/02/2024; 2/4 đơn vị đã nộp (gồm 1 hồ sơ chờ duyệt).") })
            #expect(row("Trường THCS Gia Thụy").last == "chưa nộp")
            #expect(row("Công ty Cổ phần May Đức Giang").last == "chưa nộp")
            // GD's schools sit under GD, closed by its "Cộng" row; the spreadsheet sums with
            // SUBTOTAL so the subtotal is not counted twice.
            let names = xlsx.records.map { $0.fields.filter { !$0.isEmpty } }
            let group = try #require(names.firstIndex { $0 == ["Công đoàn ngành Giáo dục quận Long Biên"] })
            #expect(names[group + 1].contains("Trường Tiểu học Ngọc Lâm") && names[group + 2].contains("Trường THCS Gia Thụy"))
            #expect(names[group + 3].first == "Cộng: Công đoàn ngành Giáo dục quận Long Biên" && names[group + 3].suffix(4) == ["1", "1", "1", "1"])
            let file = try tempFile("", suffix: ".xlsx")
            try OfficialDocuments.render(document, as: .xlsx).write(to: URL(fileURLWithPath: file))
            let cells = try #require(try ExportTests().python("xlsx_read.py", file)["cells"] as? [String: [String: Any]])
            let totals = cells.filter { $0.value["value"] as? String == "Tổng:" }.compactMap { Int($0.key.dropFirst()) }.sorted()
            let unitsTotal = try #require(totals.last)
            #expect((cells["C\(unitsTotal)"]?["value"] as? String)?.hasPrefix("=SUBTOTAL(9,") == true, "\(String(describing: cells["C\(unitsTotal)"]))")
            #expect(cells["C\(unitsTotal)"]?["cached"] as? Int == 1, "the total counts S1's model once")
            #expect((cells["C\(try #require(totals.first))"]?["value"] as? String)?.hasPrefix("=SUM(") == true, "the sectors' table has no subtotal")
            // The report lists Long Biên's direct units: GD as one row, not its schools.
            let report = try await CampaignDocuments.build(.report, campaign: scene.campaign, unit: lb,
                                                           options: .init(now: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 20)), showNationalMotto: true), on: app.db)
            let reportCells = try OfficialDocuments.render(report, as: .pdf)
            let reportFile = try tempFile("", suffix: ".pdf")
            try reportCells.write(to: URL(fileURLWithPath: reportFile))
            let reportText = VietnameseText.clean(try ExportTests().tool("/usr/bin/pdftotext", ["-raw", reportFile, "-"]))
            let detail = String(reportText[try #require(reportText.range(of: "Chi tiết theo đơn vị"))!.upperBound...])
            #expect(detail.contains("Công đoàn ngành Giáo dục quận Long Biên") && !detail.contains("Trường Tiểu học Ngọc Lâm"), "\(detail.prefix(600))")
        }
    }
}

/// Who signs what (`Signatory`): the issuer as its campaign says; another federation as
/// "TM. BAN THƯỜNG VỤ" with the title and name set on its unit page, a blank line before
/// they are set; a grassroots union as "TM. BAN CHẤP HÀNH". Every document with figures.
@Suite struct SignerTests {
    func text(_ visitor: Visitor, _ path: String) async throws -> String {
        let response = try await visitor.get(path)
        #expect(response.status == .ok, "\(path)")
        return try pdfText(response)
    }

    @Test func everyLevelSignsItsDocumentsWithFigures() async throws {
        try await withApp { app in
            try await Fixture.load(app)
            let p = try await StaffTestKit.people(app)
            let c = "/campaigns/DVK-2024/units"
            // GD is not the issuer: before its signer is set, CHỦ TỊCH over a blank line.
            for kind in ["summary-units", "list", "report"] {
                let page = try await text(p.subStaff, "\(c)/GD/documents/\(kind).pdf")
                #expect(page.contains("TM. BAN THƯỜNG VỤ CHỦ TỊCH"), "\(kind): \(page.suffix(300))")
                #expect(!page.contains("Đặng Thị Ánh Nguyệt"), "\(kind): not the issuer's signer")
            }
            // Set on its unit page by the staff above it.
            let form = try await p.staff.get("/units/GD").text
            #expect(form.contains("name=\"signer_title\"") && form.contains("name=\"signer_name\""))
            let saved = try await p.staff.post("/units/GD", ["name": "Công đoàn ngành Giáo dục quận Long Biên", "kind": "federation", "parent": "LB",
                                                            "signer_title": "Phó Chủ tịch", "signer_name": "Trần Văn Bình"])
            #expect(saved.status == .seeOther)
            let long = try await p.staff.post("/units/GD", ["name": "Công đoàn ngành Giáo dục quận Long Biên", "kind": "federation", "parent": "LB",
                                                           "signer_title": String(repeating: "x", count: 101), "signer_name": ""])
            #expect(long.status == .unprocessableEntity && long.text.contains("Chức vụ người ký dài quá 100 ký tự"))
            for kind in ["summary-units", "summary", "list", "report"] {
                let page = try await text(p.subStaff, "\(c)/GD/documents/\(kind).pdf")
                #expect(page.contains("TM. BAN THƯỜNG VỤ PHÓ CHỦ TỊCH") && page.contains("Trần Văn Bình"), "\(kind): \(page.suffix(300))")
            }
            // The issuer signs as its campaign's letter says, whatever its unit page holds.
            let issuer = try await text(p.staff, "\(c)/LB/documents/report.pdf")
            let letterSigner = try await CampaignStore.info(code: "DVK-2024", on: app.db).signer
            #expect(issuer.contains("\(letterSigner.authority) \(letterSigner.title)") && !issuer.contains("Trần Văn Bình"))
            // A signer's name is text on the page and in the document, whatever it holds.
            #expect(try await p.staff.post("/units/GD", ["name": "Công đoàn ngành Giáo dục quận Long Biên", "kind": "federation", "parent": "LB",
                                                         "signer_title": "", "signer_name": HostileInputTests.short]).status == .seeOther)
            let page = try await p.staff.get("/units/GD").text
            #expect(page.contains(HTMLEscape.escaped(HostileInputTests.short)) && !page.contains("<dvkx"))
            #expect(try await text(p.subStaff, "\(c)/GD/documents/report.pdf").contains(HostileInputTests.short))
            // A grassroots union: TM. BAN CHẤP HÀNH.
            let school = try await text(p.officer, "\(c)/S1/documents/summary.pdf")
            #expect(school.contains("TM. BAN CHẤP HÀNH CHỦ TỊCH"), "\(school.suffix(300))")
        }
    }
}

/// The tables sent with a letter follow the letter's Quốc hiệu setting unless set apart.
@Suite struct MottoTests {
    @Test func theTablesFollowTheLettersSettingUnlessSetApart() async throws {
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": "sqlite::memory:"]).nationalMottoOnTables == true)
        #expect(try AppConfig.fromEnvironment(["DATABASE_URL": "sqlite::memory:", "DVK_NATIONAL_MOTTO": "false"]).nationalMottoOnTables == false)
        let apart = try AppConfig.fromEnvironment(["DATABASE_URL": "sqlite::memory:", "DVK_NATIONAL_MOTTO_TABLES": "false"])
        #expect(apart.showNationalMotto && !apart.nationalMottoOnTables)
        try await withApp { app in
            try await Fixture.load(app)
            let campaign = try await CampaignStore.info(code: "DVK-2024", on: app.db)
            let lb = try await CampaignStore.snapshotUnit(campaignID: campaign.id, code: "LB", on: app.db).snapshot
            let options = CampaignDocuments.Options(now: Date(), showNationalMotto: true, showNationalMottoOnTables: false)
            func text(_ kind: CampaignDocuments.Kind) async throws -> String {
                let document = try await CampaignDocuments.build(kind, campaign: campaign, unit: lb, options: options, on: app.db)
                let file = try tempFile("", suffix: ".pdf")
                try OfficialDocuments.render(document, as: .pdf).write(to: URL(fileURLWithPath: file))
                return try ExportTests().tool("/usr/bin/pdftotext", [file, "-"])
            }
            #expect(try await text(.letter).contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            #expect(try await text(.report).contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            #expect(!(try await text(.summaryUnits).contains("CỘNG HÒA")))
            #expect(!(try await text(.list).contains("CỘNG HÒA")))
        }
    }
}

/// A province of 400 grassroots unions under three ward federations: its report lists the
/// three, its Biểu by unit lists the 400 under them with a "Cộng" each, and the Word file
/// paginates as a typist would in LibreOffice.
@Suite struct ProvinceDocumentsTests {
    @Test func aProvinceReportsByItsDirectUnits() async throws {
        try await withApp { app in
            // 800 models: the list runs over many pages, and LibreOffice's conversions stay
            // short enough not to crowd the tests that run beside this one.
            _ = try await run(app, "generate", "--units", "400", "--initiatives", "800", "--seed", "3")
            let report = try tempFile("", suffix: ".pdf")
            try await run(app, "export", "report", "--campaign", "GEN", "--unit", "GEN-P0", "--format", "pdf", "--output", report)
            let text = VietnameseText.clean(try ExportTests().tool("/usr/bin/pdftotext", ["-raw", report, "-"]))
            let detail = String(text[try #require(text.range(of: "Chi tiết theo đơn vị:")).upperBound...])
            for ward in 1...3 { #expect(detail.contains("Công đoàn phường thử nghiệm \(ward)")) }
            #expect(!detail.contains("Công đoàn cơ sở"), "no grassroots union in the report: \(detail.prefix(300))")
            let pages = Int(try ExportTests().tool("/usr/bin/pdfinfo", [report]).split(separator: "\n")
                .first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "0") ?? 0
            #expect(pages <= 4, "a province's report is a few pages, not 23: \(pages)")
            // The Biểu by unit: the 400 under their wards, each ward closed by its "Cộng".
            let units = try tempFile("", suffix: ".xlsx")
            try await run(app, "export", "summary", "--by-unit", "--campaign", "GEN", "--unit", "GEN-P0", "--format", "xlsx", "--output", units)
            let table = try XLSXReader.table(try Data(contentsOf: URL(fileURLWithPath: units)))
            let rows = ([table.header] + table.records.map(\.fields)).map { $0.filter { !$0.isEmpty } }
            #expect(rows.filter { $0.first?.hasPrefix("Cộng: Công đoàn phường thử nghiệm") == true }.count == 3)
            #expect(rows.filter { $0.count >= 2 && Int($0[0]) != nil && Int($0[0])! >= 1 }.count >= 400)
            // Word, paginated by LibreOffice: no page ends on a heading, none holds only the signature.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("province-" + UUID().uuidString).path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            var files: [String] = []
            for (kind, extra) in [("summary", ["--by-unit"]), ("summary", []), ("report", []), ("list", [])] {
                let file = "\(dir)/\(kind)\(extra.isEmpty ? "" : "-by-unit").docx"
                try await run(app, ["export", kind] + extra + ["--campaign", "GEN", "--unit", "GEN-P0", "--format", "docx", "--output", file])
                files.append(file)
            }
            let oracle = Program.oracles.appendingPathComponent("page_check.py").path
            let checked = try ExportTests().tool("/usr/bin/env", ["python3", oracle, dir, "-"] + files)
            let problems = try #require(try JSONSerialization.jsonObject(with: Data(checked.utf8)) as? [String: [String]])
            #expect(problems.count == 4 && problems.values.allSatisfy { $0.isEmpty }, "\(checked)")
        }
    }
}
