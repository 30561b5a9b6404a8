import DVKCore
import DVKDocuments
import Foundation
import Testing

@Suite("Rendering rules")
struct RenderingTests {
    @Test func sameInputSameBytes() throws {
        for (name, document) in Samples.all {
            for format in DocumentFormat.allCases where format != .xlsx || document.kind.isTabular {
                let a = try OfficialDocuments.render(document, as: format)
                let b = try OfficialDocuments.render(document, as: format)
                #expect(a == b, "\(name).\(format.rawValue) differs between two renders")
                #expect(a.count > 1000)
            }
        }
    }

    @Test func concurrentRendersAgree() async throws {
        let document = Samples.report
        let expected = try OfficialDocuments.render(document, as: .pdf)
        let results = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<8 { group.addTask { try OfficialDocuments.render(document, as: .pdf) } }
            return try await group.reduce(into: [Data]()) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
    }

    @Test func differentInputDifferentBytes() throws {
        var input = DocumentSamples.summary
        let a = try OfficialDocuments.render(OfficialDocuments.summary(input), as: .pdf)
        input.header.date = CalendarDay(year: 2024, month: 3, day: 2)
        let b = try OfficialDocuments.render(OfficialDocuments.summary(input), as: .pdf)
        #expect(a != b)
    }

    @Test func headerAndSignatureLayout() throws {
        let document = Samples.letter
        guard case .table(let bands)? = document.blocks.first else {
            Issue.record("the letter must open with the header bands")
            return
        }
        #expect(!bands.borders)
        #expect(bands.columnWeights == [43, 57])
        let left = bands.rows[0].cells[0].paragraphs
        #expect(left.map(\.plainText) == ["LĐLĐ THÀNH PHỐ HÀ NỘI", "LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN"])
        #expect(left[0].size == 13 && !left[0].isBold)
        #expect(left[1].size == 13 && left[1].isBold && left[1].ruleBelow != nil)
        let right = bands.rows[0].cells[1].paragraphs
        #expect(right[1].plainText == "Độc lập - Tự do - Hạnh phúc" && right[1].size == 14 && right[1].ruleBelow != nil)
        let date = bands.rows[1].cells[1].paragraphs[0]
        #expect(date.plainText == "Long Biên, ngày 06 tháng 02 năm 2024" && date.isItalic && date.size == 14)
        guard case .table(let signature)? = document.blocks.last else {
            Issue.record("the letter must end with the signature block")
            return
        }
        #expect(signature.keepTogether)
        #expect(signature.rows[0].cells[1].paragraphs.last?.spaceBefore ?? 0 >= 60)
    }

    @Test func bodyParagraphsFollowTheFormat() {
        let paragraphs = LetterBody.parse(OfficialDocuments.sampleLetterBody)
        #expect(paragraphs.allSatisfy { $0.size == 14 && $0.alignment == .justified && $0.firstLineIndent == 36 && $0.spaceAfter >= 6 })
    }

    @Test func grassrootsIssuerAddsCongDoanOnce() {
        #expect(DocumentHeader.grassrootsIssuer(unitName: "Trường THCS Gia Thụy") == "Công đoàn Trường THCS Gia Thụy")
        #expect(DocumentHeader.grassrootsIssuer(unitName: "Công đoàn  Bệnh viện Đức Giang") == "Công đoàn Bệnh viện Đức Giang")
        #expect(DocumentHeader.grassrootsIssuer(unitName: "CĐCS Trường Tiểu học An Bình") == "CĐCS Trường Tiểu học An Bình")
        #expect(DocumentHeader.grassrootsIssuer(unitName: "Công đoàn cơ sở Trường THCS Thạch Bàn") == "Công đoàn cơ sở Trường THCS Thạch Bàn")
        #expect(DocumentHeader.grassrootsIssuer(unitName: "CĐ Bệnh viện Đức Giang") == "CĐ Bệnh viện Đức Giang")
        // A name that merely starts with the same letters is not one of them.
        #expect(DocumentHeader.grassrootsIssuer(unitName: "Công đoànviên Tổ 3") == "Công đoàn Công đoànviên Tổ 3")
    }

    @Test func aDocumentNumberCarriesItsOwnUnionsSymbol() {
        // The union that wrote the campaign's letter keeps its letter's symbol.
        #expect(DocumentHeader.symbol(unitName: "Liên đoàn Lao động quận Long Biên", ownLetter: "26/LĐLĐ") == "LĐLĐ")
        #expect(DocumentHeader.symbol(unitName: "Công đoàn ngành Giáo dục", ownLetter: "15/CV-CĐN") == "CĐN")
        #expect(DocumentHeader.symbol(unitName: "Liên đoàn Lao động quận Long Biên", ownLetter: "274/LĐLĐ-TG") == "LĐLĐ")
        // Others: the usual symbol of the kind of union their name says.
        #expect(DocumentHeader.symbol(unitName: "Công đoàn ngành Giáo dục quận Long Biên") == "CĐN")
        #expect(DocumentHeader.symbol(unitName: "Liên đoàn Lao động thành phố Hà Nội") == "LĐLĐ")
        #expect(DocumentHeader.symbol(unitName: "Công đoàn Viên chức quận") == "CĐVC")
        #expect(DocumentHeader.symbol(unitName: "Công đoàn Tổng Công ty May 10") == "CĐTCT")
        #expect(DocumentHeader.symbol(unitName: "Công đoàn cơ sở Trường THCS Gia Thụy") == "CĐCS")
        #expect(DocumentHeader.symbol(unitName: "Ban Công tác") == "CĐ")
        // A letter without a symbol after its number says nothing.
        #expect(DocumentHeader.symbol(unitName: "Công đoàn ngành Y tế", ownLetter: "26") == "CĐN")
    }

    @Test func fontErrorNamesTheDebianPackage() {
        let error = DocumentError.fontMissing(family: "Liberation Serif", resolved: "DejaVu Serif")
        #expect(error.message.contains("fonts-liberation2"))
        #expect(error.message.contains("DejaVu Serif"))
    }

    @Test func benchmarkReportsEveryCase() {
        let report = DocumentsBenchmark.run(iterations: 1)
        #expect(report.contains("Biểu tổng hợp PDF:"))
        #expect(report.contains("Danh sách 500 mô hình PDF:"))
        #expect(!report.contains("lỗi"))
    }
}

@Suite("Letter body format")
struct LetterBodyTests {
    @Test func paragraphsBulletsAndNumbers() {
        let text = """
        Dòng một
        nối tiếp.

        1. Điểm một
        - Gạch đầu dòng
        - Gạch thứ hai
        2. Điểm hai
        """
        let paragraphs = LetterBody.parse(text)
        #expect(paragraphs.map(\.plainText) == ["Dòng một nối tiếp.", "1. Điểm một", "- Gạch đầu dòng", "- Gạch thứ hai", "2. Điểm hai"])
    }

    @Test func boldItalicAndLiteralStars() {
        let runs = LetterBody.runs("- *Trong lĩnh vực kinh tế*: **trước ngày 16/02/2024** và ***cả hai*** 5 \\* 3, 2*")
        #expect(runs.map(\.text) == ["- ", "Trong lĩnh vực kinh tế", ": ", "trước ngày 16/02/2024", " và ", "cả hai", " 5 * 3, 2*"])
        #expect(runs.map(\.italic) == [false, true, false, false, false, true, false])
        #expect(runs.map(\.bold) == [false, false, false, true, false, true, false])
    }

    /// A body of nothing but markers is read in one pass (it took 7.8 s for 40,000 characters
    /// when each marker looked ahead for its partner); what cannot pair is printed as written.
    @Test func aLongBodyOfMarkersIsReadWhole() {
        let body = String(repeating: "****a", count: 8_000)
        let runs = LetterBody.runs(body)
        #expect(runs.map(\.text).joined() == body)
        #expect(runs.allSatisfy { !$0.bold && !$0.italic })
        let pairs = LetterBody.runs(String(repeating: "*a* ", count: 10_000))
        #expect(pairs.filter(\.italic).count == 10_000)
    }

    @Test func textIsStoredNFC() {
        let decomposed = "Ho\u{0300}a Bi\u{0300}nh"
        #expect(LetterBody.parse(decomposed).first?.plainText == "Hòa Bình")
    }
}

/// The worst text the rules accept, in every field of every document: it renders, in every
/// format, and costs what its length says (`dvk bench documents` times it: README).
@Suite struct HeaviestTextTests {
    @Test func theHeaviestTextTheRuleAcceptsPassesTheRule() throws {
        let text = DocumentSamples.heaviestText(500)
        #expect(try InitiativeField.title.rule.check(text).get() == text)
        #expect(throws: TextProblem.self) { try InitiativeField.title.rule.check(text + DocumentSamples.heaviestLetter).get() }
    }

    @Test func everyDocumentRendersItsFieldsAtTheirLengthInTheHeaviestLetters() throws {
        let dir = try Oracle.temporaryDirectory()
        let form = OfficialDocuments.registrationForm(DocumentSamples.heaviestRegistrationForm)
        var documents = Samples.all.map { ($0.0, DocumentSamples.withHeaviestLetters($0.1)) } + [("form-full", form)]
        documents.append(("list", DocumentSamples.withHeaviestLetters(OfficialDocuments.initiativeList(DocumentSamples.initiativeList(count: 60)))))
        for (name, document) in documents {
            for format in DocumentFormat.allCases where format != .xlsx || document.kind.isTabular {
                let data = try OfficialDocuments.render(document, as: format)
                #expect(data.count > 0, "\(name).\(format)")
            }
        }
        // The full form: 4 × 20,000 letters of 3 code points each reach the page, all of them.
        let pdf = try Oracle.write(form, as: .pdf, name: "form-full", in: dir)
        let text = try Oracle.pdfText(pdf).precomposedStringWithCanonicalMapping
        let printed = text.components(separatedBy: DocumentSamples.heaviestLetter.precomposedStringWithCanonicalMapping).count - 1
        let i = DocumentSamples.heaviestRegistrationForm.initiative
        let expected = [i.registrantName, i.registrantTitle, i.title, i.purpose, i.content, i.scope, i.expectedResult, i.personInCharge]
            .map { $0.components(separatedBy: DocumentSamples.heaviestLetter).count - 1 }.reduce(0, +)
        #expect(printed >= expected * 99 / 100, "\(printed) of \(expected) letters")
        #expect(try Oracle.pdfPages(pdf) < 200)
    }
}
