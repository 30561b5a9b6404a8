import Foundation
import Testing
@testable import DVKCore

@Suite struct VietnameseTextTests {
    @Test(arguments: [
        ("Thuỷ", "Thủy"), ("Hoà", "Hòa"), ("Khoẻ", "Khỏe"), ("văn hoá", "văn hóa"),
        ("NGUYỄN THỊ THUỶ", "Nguyễn Thị Thủy"), ("  Lê   Văn\tHoà ", "lê văn hòa"),
        ("Tổ Hoạ sĩ", "tổ họa sĩ"), ("Luỹ tre", "lũy tre"),
    ])
    func oldAndNewTonePlacementAreOneName(a: String, b: String) {
        #expect(VietnameseText.nameKey(a) == VietnameseText.nameKey(b))
    }

    @Test func decomposedInputEqualsPrecomposed() {
        let decomposed = "Thu\u{0309}y"  // u + combining hook above, then y
        #expect(VietnameseText.nameKey(decomposed) == VietnameseText.nameKey("Thủy"))
        #expect(VietnameseText.clean("Nguye\u{0302}\u{0303}n") == "Nguyễn")
    }

    @Test(arguments: ["Quý", "Hoàng", "Huỳnh", "Quỳnh", "Ngoài", "Thuế", "Khuya"])
    func marksThatNeverMoveStayPut(word: String) {
        #expect(VietnameseText.nameKey(word) == word.lowercased())
    }

    @Test(arguments: ["Nguyễn Thị Thuỷ", "Đặng Thị Ánh Nguyệt", "Tổ Hoạ sĩ Ứng dụng", "Lĩnh vực an ninh – quốc phòng",
                      "TRƯỜNG THCS GIA THỤY", "Phường Ngọc Thụy", "Huỳnh Quý Khoẻ", "Cơ quan UBND phường Bồ Đề"])
    func keysAreNFCWhateverTheInputForm(text: String) {
        let key = VietnameseText.nameKey(text)
        #expect(key == key.precomposedStringWithCanonicalMapping)
        #expect(VietnameseText.nameKey(text.decomposedStringWithCanonicalMapping) == key)
        #expect(key == VietnameseText.nameKey(text.uppercased()))
        #expect(VietnameseText.clean(text.decomposedStringWithCanonicalMapping) == text)
    }

    @Test func differentNamesStayDifferent() {
        #expect(VietnameseText.nameKey("Hòa") != VietnameseText.nameKey("Hoa"))
        #expect(VietnameseText.nameKey("Thủy") != VietnameseText.nameKey("Thúy"))
        #expect(VietnameseText.nameKey("Quý") != VietnameseText.nameKey("Quỳ"))
    }

    @Test func searchKeyDropsEveryDiacritic() {
        #expect(VietnameseText.searchKey("Dân vận khéo") == "dan van kheo")
        #expect(VietnameseText.searchKey("Đặng Thị Ánh Nguyệt") == "dang thi anh nguyet")
        #expect(VietnameseText.searchKey("văn hoá") == VietnameseText.searchKey("Văn Hóa"))
    }

    /// The one-pass search key is the text the definition gives (`stripDiacritics(nameKey)`),
    /// on 30,000 random texts of Vietnamese letters precomposed and decomposed, stray and
    /// foreign marks, other scripts, spaces and symbols.
    @Test func searchKeyIsItsDefinitionOnRandomText() {
        var pool: [Unicode.Scalar] = Array("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯQWZ0129 .,-_%\t\n\u{A0}".unicodeScalars)
        pool += Array("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬỲÝỶỸỴĐỨỪ".unicodeScalars)
        pool += [0x0300, 0x0301, 0x0303, 0x0309, 0x0323, 0x0302, 0x0306, 0x031B, 0x0308, 0x0307, 0x20D0, 0x1DC0,
                 0x0130, 0x0131, 0x00DF, 0x1E9E, 0x01C5, 0x03AC, 0x0391, 0x0410, 0x4E2D, 0x1F600, 0x2126, 0x212A, 0xFB01, 0x0149, 0x1E96]
            .compactMap(Unicode.Scalar.init)
        var state: UInt64 = 1_202
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<30_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<(1 + next(24)) { text.append(pool[next(pool.count)]) }
            let s = String(text)
            #expect(VietnameseText.searchKey(s) == VietnameseText.stripDiacritics(VietnameseText.nameKey(s)), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// Clean text comes back as it is (without being written again), and any other text as
    /// its words in NFC joined by one space: the same result both ways, on random text.
    @Test func cleanIsItsWordsJoinedByOneSpace() {
        var random = SystemRandomNumberGenerator()
        let pieces = [" ", "  ", "\t", "\n", "\u{00A0}", "\u{3000}", "a", "Ư", "ệ", "e\u{0302}\u{0323}", "Hoà", "x y", "đ", "1", "-"]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let nfc = text.precomposedStringWithCanonicalMapping
            let words = nfc.unicodeScalars.split(whereSeparator: Letters.isSpace).map { String(String.UnicodeScalarView($0)) }
            #expect(VietnameseText.clean(text) == words.joined(separator: " "), "\(Array(text.unicodeScalars))")
            #expect(VietnameseText.isTidy(VietnameseText.clean(text)))
        }
    }

    @Test func cleanCollapsesSpaceAndKeepsCase() {
        #expect(VietnameseText.clean("  Công  đoàn\n cơ sở ") == "Công đoàn cơ sở")
    }
}

@Suite struct DateTests {
    @Test(arguments: [
        (CalendarDay(year: 2024, month: 2, day: 6), "ngày 06 tháng 02 năm 2024"),
        (CalendarDay(year: 2020, month: 3, day: 2), "ngày 02 tháng 3 năm 2020"),
        (CalendarDay(year: 2024, month: 12, day: 16), "ngày 16 tháng 12 năm 2024"),
        (CalendarDay(year: 2025, month: 1, day: 31), "ngày 31 tháng 01 năm 2025"),
        (CalendarDay(year: 2025, month: 10, day: 9), "ngày 09 tháng 10 năm 2025"),
    ])
    func dateLine(day: CalendarDay, expected: String) {
        #expect(day.dateLine == expected)
    }

    @Test func placeAndDate() {
        #expect(CalendarDay(year: 2024, month: 2, day: 6).placeAndDate("Long Biên") == "Long Biên, ngày 06 tháng 02 năm 2024")
        #expect(CalendarDay(year: 2024, month: 2, day: 6).placeAndDate("") == "Ngày 06 tháng 02 năm 2024")
    }

    @Test func parsesIsoAndVietnameseDays() {
        #expect(CalendarDay(parsing: "2025-02-20") == CalendarDay(year: 2025, month: 2, day: 20))
        #expect(CalendarDay(parsing: "20/02/2025") == CalendarDay(year: 2025, month: 2, day: 20))
        #expect(CalendarDay(parsing: "2025-02-30") == nil)
        #expect(CalendarDay(parsing: "2024-02-29") != nil)
        #expect(CalendarDay(parsing: "2023-02-29") == nil)
        #expect(CalendarDay(parsing: "20-02-2025") == nil)
        #expect(CalendarDay(parsing: "tomorrow") == nil)
    }

    @Test func instantsWithoutOffsetAreVietnamTime() throws {
        // 2024-02-16 00:00 +07:00 is 2024-02-15 17:00 UTC.
        let utc = Date(timeIntervalSince1970: 1_708_016_400)
        #expect(InstantParser.parse("2024-02-16") == utc)
        #expect(InstantParser.parse("16/02/2024") == utc)
        #expect(InstantParser.parse("2024-02-16T00:00") == utc)
        #expect(InstantParser.parse("2024-02-16T00:00:00+07:00") == utc)
        #expect(InstantParser.parse("2024-02-15T17:00:00Z") == utc)
        #expect(InstantParser.parse("2024-02-15T12:00-05:00") == utc)
        #expect(InstantParser.parse("2024-02-16 09:30") == utc.addingTimeInterval(9.5 * 3600))
        #expect(InstantParser.parse("2024-02-16T25:00") == nil)
        #expect(InstantParser.parse("2024-13-01") == nil)
        #expect(InstantParser.parse("") == nil)
    }

    @Test func vietnamDayDoesNotDependOnServerZone() {
        // 2024-02-15 18:00 UTC is already 16/02 in Hà Nội.
        let date = Date(timeIntervalSince1970: 1_708_020_000)
        #expect(VietnamTime.day(of: date) == CalendarDay(year: 2024, month: 2, day: 16))
        #expect(VietnamTime.describe(VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))) == "00:00 ngày 16/02/2024")
        #expect(DeadlineText.before(VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))) == "trước 00 giờ 00 ngày 16/02/2024 (hết ngày 15/02/2024)")
        #expect(DeadlineText.before(VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16), hour: 17)) == "trước 17 giờ 00 ngày 16/02/2024")
    }

    @Test func lateMeansAtOrAfterTheDeadline() {
        let deadline = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))
        let policy = DeadlinePolicy(deadline: deadline, acceptsLate: false)
        func first(_ at: Date, extended: Date? = nil) -> Standing {
            Standing(status: .submitted, firstSubmittedAt: at, lastSubmittedAt: at, extendedUntil: extended, policy: policy)
        }
        #expect(!first(deadline.addingTimeInterval(-1)).isLate)
        #expect(first(deadline).isLate)
        #expect(!first(deadline.addingTimeInterval(3600), extended: deadline.addingTimeInterval(86400)).isLate)
        #expect(!Standing(policy: policy).maySubmit(at: deadline))
        #expect(Standing(policy: DeadlinePolicy(deadline: deadline, acceptsLate: true)).maySubmit(at: deadline))
    }
}
