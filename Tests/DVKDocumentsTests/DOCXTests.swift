import DVKCore
import DVKDocuments
import Foundation
import Testing
import TestPrograms

@Suite("DOCX read back by python-docx and LibreOffice")
struct DOCXTests {
    @Test func summaryTableReadsBackWithMergedHeader() throws {
        let dir = try Oracle.temporaryDirectory()
        let input = DocumentSamples.summary
        let file = try Oracle.write(OfficialDocuments.summary(input), as: .docx, name: "summary", in: dir)
        let read = try Oracle.python("docx_read.py", file)
        let tables = try #require(read["tables"] as? [[String: Any]])
        #expect(tables.count >= 2)
        // Table 0 is the header bands; table 1 is the Biểu.
        let grid = try #require(tables[1]["grid"] as? [[String]])
        #expect(grid[0] == ["TT", "Cấp đăng ký thực hiện", "Tập thể", "Tập thể", "Cá nhân", "Cá nhân"])
        #expect(grid[1] == ["TT", "Cấp đăng ký thực hiện", "Số lượng tập thể đăng ký thực hiện",
                            "Số lượng mô hình được đăng ký thực hiện", "Số lượng cá nhân đăng ký thực hiện",
                            "Số lượng mô hình được đăng ký thực hiện"])
        let summary = input.summary
        for (i, row) in summary.rows.enumerated() {
            let cells = grid[2 + i]
            #expect(cells[0] == String(i + 1))
            #expect(cells[1] == row.sector.name)
            #expect(cells[2...].map { Int($0) } == row.tally.columns.map { Optional($0) })
        }
        let total = grid[2 + summary.rows.count]
        #expect(total[1] == "Tổng:")
        #expect(total[2...].map { Int($0) } == summary.total.columns.map { Optional($0) })
        // Zero is written "0", never blank.
        #expect(grid[2...].allSatisfy { row in row[2...].allSatisfy { !$0.isEmpty } })
        // Merges are real merges: TT over two rows, Tập thể and Cá nhân over two columns.
        #expect(tables[1]["sameCell"] as? [Bool] == [true, true, true, true])
        #expect(tables[1]["headerRows"] as? [Int] == [0, 1])
        let rows = try #require(tables[1]["rows"] as? [[[String: Any]]])
        #expect(rows[0][0]["vMerge"] as? String == "restart")
        #expect(rows[1][0]["vMerge"] as? String == "continue")
        #expect(rows[0][2]["gridSpan"] as? Int == 2)
        // The "Tổng:" row is bold.
        let runs = try #require(read["runs"] as? [String: [String: Any]])
        #expect(runs["Tổng:"]?["bold"] as? Bool == true)
    }

    @Test func pageSetUpFontsAndPageNumbers() throws {
        let dir = try Oracle.temporaryDirectory()
        let read = try Oracle.python("docx_read.py", try Oracle.write(Samples.letter, as: .docx, name: "letter", in: dir))
        let section = try #require(read["section"] as? [String: Any])
        #expect(section["pageWidthMM"] as? Int == 210)
        #expect(section["pageHeightMM"] as? Int == 297)
        #expect(section["marginsMM"] as? [Int] == [20, 20, 30, 15])
        #expect(section["titlePg"] as? Bool == true)
        #expect((section["headerXML"] as? String ?? "").contains(" PAGE "))
        #expect(section["firstPageHeaderText"] as? String == "")
        #expect(read["fonts"] as? [String] == ["Times New Roman"])
        #expect(read["created"] as? String == "2024-02-06T00:00:00+00:00")
        let runs = try #require(read["runs"] as? [String: [String: Any]])
        #expect(runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]?["halfPoints"] as? Int == 26)
        #expect(runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]?["bold"] as? Bool == true)
        #expect(runs["Độc lập - Tự do - Hạnh phúc"]?["halfPoints"] as? Int == 28)
        #expect(runs["Long Biên, ngày 06 tháng 02 năm 2024"]?["italic"] as? Bool == true)
        #expect(runs["Số: 26/LĐLĐ"]?["halfPoints"] as? Int == 26)
        #expect(runs["Nơi nhận:"]?["halfPoints"] as? Int == 24)
        #expect(runs["Nơi nhận:"]?["italic"] as? Bool == true)
        #expect(runs["TM. BAN THƯỜNG VỤ"]?["bold"] as? Bool == true)
        #expect(runs["Đặng Thị Ánh Nguyệt"]?["bold"] as? Bool == true)
    }

    @Test func letterWordingFromTheCampaign() throws {
        let dir = try Oracle.temporaryDirectory()
        let read = try Oracle.python("docx_read.py", try Oracle.write(Samples.letter, as: .docx, name: "letter", in: dir))
        let tables = try #require(read["tables"] as? [[String: Any]])
        let header = try #require(tables.first?["grid"] as? [[String]])
        #expect(header[0][0] == "LĐLĐ THÀNH PHỐ HÀ NỘI\nLIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN\n")
        // The quoted name's spaces are no-break spaces: Word never splits it over two lines.
        #expect(header[1][0] == "Số: 26/LĐLĐ\nV/v triển khai phong trào thi đua “Dân\u{00A0}vận\u{00A0}khéo” năm 2024")
        #expect(header[1][1] == "Long Biên, ngày 06 tháng 02 năm 2024")
        let paragraphs = try #require(read["paragraphs"] as? [String])
        #expect(paragraphs.contains("Kính gửi: Ban chấp hành công đoàn cơ sở"))
        #expect(paragraphs.contains { $0.hasPrefix("1. Tuyên truyền") })
        #expect(paragraphs.contains { $0.hasPrefix("- Lĩnh vực kinh tế: ") })
        let signature = try #require(tables.last?["grid"] as? [[String]])
        #expect(signature[0][0].hasPrefix("Nơi nhận:\n- Ban Tuyên giáo LĐLĐ TP (để báo cáo);"))
        #expect(signature[0][0].hasSuffix("- Lưu: VT, TG."))
        #expect(signature[0][1] == "TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH\nĐặng Thị Ánh Nguyệt")
    }

    @Test func everyDocumentOpensInPythonDocx() throws {
        let dir = try Oracle.temporaryDirectory()
        for (name, document) in Samples.all + [("list", Samples.list500)] {
            let read = try Oracle.python("docx_read.py", try Oracle.write(document, as: .docx, name: name, in: dir))
            #expect((read["tables"] as? [Any])?.isEmpty == false, "\(name)")
            #expect(read["fonts"] as? [String] == ["Times New Roman"], "\(name)")
        }
    }

    @Test func longListRepeatsItsHeaderRowAndIsLandscape() throws {
        let dir = try Oracle.temporaryDirectory()
        let read = try Oracle.python("docx_read.py", try Oracle.write(Samples.list500, as: .docx, name: "list", in: dir))
        let section = try #require(read["section"] as? [String: Any])
        #expect((section["orientation"] as? String ?? "").hasPrefix("LANDSCAPE"))
        #expect(section["pageWidthMM"] as? Int == 297)
        let tables = try #require(read["tables"] as? [[String: Any]])
        let list = tables[1]
        #expect(list["headerRows"] as? [Int] == [0])
        let grid = try #require(list["grid"] as? [[String]])
        // 500 initiatives + 25 unit rows + 100 sector rows + the header.
        #expect(grid.count == 1 + 500 + 25 + 100)
        #expect(grid[1].allSatisfy { $0 == "Công đoàn Công ty Cổ phần May Long Biên 1" })
        #expect(grid[2].allSatisfy { $0 == "Lĩnh vực kinh tế" })
        #expect(grid[3][0] == "1")
        #expect(grid.last?[0] == "500")
    }

    @Test(.enabled(if: Oracle.runs(needing: Oracle.has("soffice")), "LibreOffice (soffice) is not installed"))
    func libreOfficeConvertsTheSummary() throws {
        let dir = try Oracle.temporaryDirectory()
        let input = DocumentSamples.summary
        let file = try Oracle.write(OfficialDocuments.summary(input), as: .docx, name: "summary", in: dir)
        try Oracle.run("soffice", ["-env:UserInstallation=file://\(dir.path)/profile", "--headless",
                                   "--convert-to", "pdf", "--outdir", dir.path, file])
        let pdf = dir.appendingPathComponent("summary.pdf").path
        #expect(try Oracle.pdfPages(pdf) == 1)
        let text = try Oracle.pdfText(pdf)
        #expect(text.contains("BIỂU TỔNG HỢP"))
        #expect(text.contains("CÔNG ĐOÀN TRƯỜNG THCS GIA"))
        #expect(text.contains("Lĩnh vực văn hóa – xã hội"))
        let fonts = try Oracle.run("pdffonts", [pdf])
        #expect(fonts.contains("LiberationSerif") || fonts.contains("TimesNewRoman"))
    }
}

extension DOCXTests {
    /// Every kind of document with a signature, at lengths that sweep its signature over a
    /// page boundary, opened in LibreOffice: no page holds only the signature, and no page
    /// ends on a heading. Word has no renderer of DVK's own to lean on: its keep-with-next
    /// chain has to hold on its own.
    @Test(.enabled(if: Oracle.runs(needing: Oracle.has("soffice")), "LibreOffice (soffice) is not installed"))
    func wordKeepsHeadingsAndSignaturesWithTheirText() throws {
        let dir = try Oracle.temporaryDirectory()
        var files: [String] = []
        func add(_ document: Document, _ name: String) throws { files.append(try Oracle.write(document, as: .docx, name: name, in: dir)) }
        let rows = DocumentSamples.unitRows
        func units(_ n: Int) -> [UnitTallyRow] {
            (0..<n).map { i in var row = rows[i % rows.count]; row.unitName = "Công đoàn cơ sở số \(i + 1) của quận"; return row }
        }
        for n in stride(from: 2, through: 34, by: 8) {
            var report = DocumentSamples.report
            report.units = units(n)
            try add(OfficialDocuments.report(report), "report-\(n)")
            var rollUp = DocumentSamples.rollUp
            rollUp.units = units(n + 8)
            try add(OfficialDocuments.rollUp(rollUp), "rollup-\(n)")
            try add(OfficialDocuments.initiativeList(DocumentSamples.initiativeList(count: n / 2 + 1)), "list-\(n)")
            try add(YearDocumentsTests.decision(n / 2 + 1, exemplary: 1), "decision-\(n)")
            try add(OfficialDocuments.nominationList(NominationListInput(
                header: DocumentSamples.federationHeader(number: "05/TTr-CĐN"), year: 2024, to: "Liên đoàn Lao động quận Long Biên",
                letter: CampaignLetter(number: "26/LĐLĐ", date: DocumentSamples.letterDate, issuer: "Liên đoàn Lao động quận Long Biên"),
                models: YearDocumentsTests.models(n / 2 + 1, exemplary: 1), signer: DocumentSamples.federationSigner)), "proposal-\(n)")
            let funnel = (0..<(n + 4)).map { i -> FunnelRow in
                var row = FunnelRow(sector: "u\(i)", name: "Công đoàn cơ sở số \(i + 1) của quận")
                row.registered = i + 3; row.verified = i; row.passed = i / 2
                return row
            }
            try add(OfficialDocuments.yearReport(YearReportInput(
                header: DocumentSamples.federationHeader(number: "      /BC-LĐLĐ"), year: 2024, recipients: ["LĐLĐ Thành phố Hà Nội"],
                letter: CampaignLetter(number: "26/LĐLĐ", date: DocumentSamples.letterDate, issuer: "Liên đoàn Lao động quận Long Biên"),
                byIssuer: false, sectors: Array(funnel.prefix(4)), units: funnel, signer: DocumentSamples.federationSigner,
                distribution: ["Như Kính gửi;", "Lưu: VT."])), "year-report-\(n)")
        }
        let read = try Oracle.run("python3", [Program.oracles.appendingPathComponent("page_check.py").path, dir.path,
                                              DocumentSamples.federationSigner.name] + files)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [String: [String]])
        #expect(report.count == files.count)
        let failing = report.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        #expect(failing.isEmpty, "\(failing.map { "\($0.key): \($0.value.joined(separator: "; "))" }.joined(separator: "\n"))")
    }
}

extension DOCXTests {
    /// Word's navigation pane lists a report's kind and sections: they are "Heading" styles.
    @Test func headingsAreWordHeadings() throws {
        let dir = try Oracle.temporaryDirectory()
        let file = try Oracle.write(OfficialDocuments.report(DocumentSamples.report), as: .docx, name: "report", in: dir)
        let read = try Oracle.python("docx_read.py", file)
        let headings = try #require(read["headings"] as? [[String]])
        #expect(headings.contains(["Heading 1", "BÁO CÁO"]), "\(headings)")
        #expect(headings.contains(["Heading 2", "I. Kết quả đăng ký"]) && headings.contains(["Heading 3", "1. Tình hình nộp hồ sơ đăng ký"]), "\(headings)")
        #expect(headings.contains(["Heading 2", "II. Đánh giá chung"]) && headings.contains(["Heading 2", "III. Đề xuất, kiến nghị"]))
        // No empty paragraph stands between the text and a table (spacing does it).
        let xml = try Oracle.run("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())", file])
        #expect(!xml.contains("w:lineRule=\"exact\"/></w:pPr></w:p><w:tbl>"), "a spacer paragraph before a table")
    }
}
