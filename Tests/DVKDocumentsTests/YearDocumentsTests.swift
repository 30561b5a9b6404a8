import DVKCore
import DVKDocuments
import Foundation
import Testing

/// The year's documents read back: a decision's wording follows its counts and cites the
/// proposals it answers; an annexed list starts its own page numbering, in PDF and in Word.
@Suite("Year documents")
struct YearDocumentsTests {
    static func models(_ count: Int, exemplary: Int) -> [RecognisedModel] {
        (0..<count).map { i in
            RecognisedModel(title: "Mô hình số \(i + 1)", kind: i % 2 == 0 ? .collective : .individual, registrantName: "Tổ \(i + 1)",
                            unitName: "Trường THCS Gia Thụy", sectorName: i % 3 == 0 ? "Lĩnh vực kinh tế" : "Lĩnh vực văn hóa – xã hội",
                            exemplary: i < exemplary, results: "\(10 + i) người tham gia")
        }
    }

    static func decision(_ count: Int, exemplary: Int, proposals: [ProposalReference] = []) -> Document {
        OfficialDocuments.recognitionDecision(DecisionInput(
            header: DocumentSamples.federationHeader(number: "12/QĐ-LĐLĐ"), year: 2024,
            letter: CampaignLetter(number: "26/LĐLĐ", date: DocumentSamples.letterDate, issuer: "Liên đoàn Lao động quận Long Biên"),
            models: models(count, exemplary: exemplary), signer: DocumentSamples.federationSigner, distribution: ["Như Điều 3;", "Lưu: VT."],
            proposals: proposals))
    }

    func text(_ document: Document, page: Int? = nil) throws -> String {
        let dir = try Oracle.temporaryDirectory()
        let file = try Oracle.write(document, as: .pdf, name: "doc", in: dir)
        return VietnameseText.clean(try Oracle.pdfText(file, page: page))
    }

    @Test func theDecisionSaysItsCountsAsTheyAre() throws {
        let some = try text(Self.decision(6, exemplary: 2))
        #expect(some.contains("Công nhận 6 mô hình “Dân vận khéo” năm 2024, trong đó 2 mô hình tiêu biểu (có danh sách kèm theo)."))
        #expect(some.contains("học tập các mô hình tiêu biểu."))
        let all = try text(Self.decision(6, exemplary: 6))
        #expect(all.contains("Công nhận 6 mô hình “Dân vận khéo” tiêu biểu năm 2024 (có danh sách kèm theo).") && !all.contains("trong đó"))
        let none = try text(Self.decision(6, exemplary: 0))
        #expect(none.contains("Công nhận 6 mô hình “Dân vận khéo” năm 2024 (có danh sách kèm theo).") && !none.contains("tiêu biểu."))
        #expect(none.contains("Xét kết quả thẩm định mô hình của các công đoàn cơ sở trực thuộc,"))
        let answering = try text(Self.decision(2, exemplary: 0, proposals: [
            ProposalReference(number: "05/TTr-CĐN", date: CalendarDay(year: 2024, month: 10, day: 18), from: "Công đoàn ngành Giáo dục quận Long Biên"),
            ProposalReference(number: "07/TTr-CĐCT", date: nil, from: "Công đoàn các khu công nghiệp"),
        ]))
        #expect(answering.contains("Xét Tờ trình số 05/TTr-CĐN ngày 18/10/2024 của Công đoàn ngành Giáo dục quận Long Biên; Tờ trình số 07/TTr-CĐCT của Công đoàn các khu công nghiệp và kết quả thẩm định,"))
    }

    @Test func anAnnexNumbersItsOwnPages() throws {
        // 80 models: the decision is page 1 and the annex runs over several pages numbered 2, 3, … of its own.
        let document = Self.decision(80, exemplary: 3)
        let dir = try Oracle.temporaryDirectory()
        let file = try Oracle.write(document, as: .pdf, name: "decision", in: dir)
        let pages = try Oracle.pdfPages(file)
        #expect(pages >= 4)
        var annexStart = 0
        for page in 1...pages where try Oracle.pdfText(file, page: page).contains("DANH SÁCH") { annexStart = page; break }
        #expect(annexStart >= 2)
        // The annex's first page carries no number; its second page is "2", not annexStart + 1.
        let first = try Oracle.pdfText(file, page: annexStart).split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(first?.trimmingCharacters(in: .whitespaces) == "DANH SÁCH")
        let second = try Oracle.pdfText(file, page: annexStart + 1).split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(second?.trimmingCharacters(in: .whitespaces) == "2")
        // Word: the annex is a section of its own, numbered from 1.
        let docx = try Oracle.write(document, as: .docx, name: "decision", in: dir)
        let xml = try Oracle.run("python3", ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())", docx])
        #expect(xml.components(separatedBy: "<w:sectPr>").count == 3)
        #expect(xml.contains("<w:pgNumType w:start=\"1\"/>"))
        // LibreOffice agrees: its PDF of the Word file numbers the annex's second page 2.
        if Oracle.runs(needing: Oracle.has("soffice")) {
            _ = try Oracle.run("soffice", ["-env:UserInstallation=file://\(dir.path)/profile", "--headless", "--convert-to", "pdf",
                                           "--outdir", dir.path, docx])
            let converted = dir.appendingPathComponent("decision.pdf").path
            var start = 0
            for page in 1...(try Oracle.pdfPages(converted)) where try Oracle.pdfText(converted, page: page).contains("DANH SÁCH") { start = page; break }
            let next = try Oracle.pdfText(converted, page: start + 1).split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            #expect(next?.trimmingCharacters(in: .whitespaces) == "2")
        }
    }
}

@Suite("Registration form")
struct RegistrationFormTests {
    @Test func aCollectiveSignsByItsPersonInChargeWithTheTitleApart() throws {
        var input = DocumentSamples.registrationForm
        input.initiative.kind = .collective
        input.initiative.registrantName = "Tổ công đoàn Văn phòng"
        input.initiative.personInCharge = "Tổ trưởng công đoàn, Nguyễn Văn Bình"
        let dir = try Oracle.temporaryDirectory()
        let text = try Oracle.pdfText(try Oracle.write(OfficialDocuments.registrationForm(input), as: .pdf, name: "form", in: dir))
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // The signature's left column: the title under "ĐẠI DIỆN TẬP THỂ ĐĂNG KÝ", the name alone on its line.
        #expect(lines.contains { $0.hasPrefix("Tổ trưởng công đoàn") && $0.hasSuffix("CHỦ TỊCH") }, "\(lines.suffix(8))")
        #expect(lines.contains { $0.hasPrefix("Nguyễn Văn Bình") }, "\(lines.suffix(8))")
        #expect(!lines.contains { $0.hasPrefix("Tổ trưởng công đoàn, Nguyễn Văn Bình") && $0.count > 40 && !$0.contains(":") })
    }
}
