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

    /// Tone placement writes UTF-8 with each letter's marks inline; the version it replaced
    /// (arrays of scalars, tables keyed by arrays) is the oracle, on random text of upper-
    /// and lower-case Vietnamese, decomposed letters, marks piled on one letter, "oa/oe/uy"
    /// syllables with and without "q", letters outside Vietnamese, emoji and punctuation.
    @Test func tonePlacementWritesWhatTheArrayVersionWrote() {
        let pieces = ["a", "A", "o", "O", "e", "u", "U", "y", "Y", "q", "Q", "h", "đ", "Đ", "ơ", "ư", "Ư", "ệ", "Ệ", "ỏ", "ủ", "Ỷ",
                      "\u{0300}", "\u{0301}", "\u{0303}", "\u{0309}", "\u{0323}", "\u{0302}", "\u{0306}", "\u{031B}", "\u{0308}",
                      "\u{0304}", "\u{0327}", "Ǖ", "ḗ", "ß", "İ", "Σ", "ǅ", "ÿ", " ", "-", ",", "1", "\u{1F44D}", "\u{200D}", "Thuỷ", "Hoà", "Khoẻ"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(VietnameseText.unifyTonePlacement(text) == Self.arrayTonePlacement(text), "\(text.debugDescription)")
        }
        for value in Array(UInt32(0x00A0)...0x02FF) + Array(UInt32(0x1E00)...0x1EFF) {
            let text = String(Unicode.Scalar(value)!) + "a\u{0301}" + String(Unicode.Scalar(value)!)
            #expect(VietnameseText.unifyTonePlacement(text) == Self.arrayTonePlacement(text), "\(text.debugDescription)")
        }
    }

    /// A text counted without grapheme breaking has as many characters as Swift counts, and
    /// the check's length rule takes that road for Vietnamese; anything that could join
    /// (marks, joiners, CR, flags, Hangul) sends it the long way.
    @Test func aStandaloneTextsLengthIsItsCharacterCount() {
        let edges: [UInt32] = [0x0A, 0x0D, 0x20, 0x7E, 0x7F, 0x9F, 0xA0, 0xAD, 0xFF, 0x24F, 0x250, 0x300, 0x301, 0x323, 0x1DFF, 0x1E00, 0x1EF9,
                               0x1EFF, 0x1F00, 0x200D, 0x200F, 0x2010, 0x2013, 0x2026, 0x2027, 0x2028, 0x1F1FB, 0x1F44D, 0x1F3FB, 0x1100, 0x1161, 0xFE0F]
        var generator = SystemRandomNumberGenerator()
        var fast = 0
        for _ in 0..<20_000 {
            let scalars = (0..<Int.random(in: 0...12, using: &generator)).map { _ -> Unicode.Scalar in
                let value = Bool.random(using: &generator) ? edges.randomElement(using: &generator)!
                    : [UInt32(0x20)...0x7E, 0xA0...0x24F, 0x1E00...0x1EFF, 0x2010...0x2027].randomElement(using: &generator)!.randomElement(using: &generator)!
                return Unicode.Scalar(value)!
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            if let length = TextRule.standaloneLength(text) {
                fast += 1
                #expect(length == text.count, "\(text.debugDescription)")
            }
        }
        #expect(fast > 1_000)
        #expect(TextRule.standaloneLength("Nguyễn Thị Thủy – “Dân vận khéo”…") == 33)
        #expect(TextRule.standaloneLength("Thu\u{0309}y") == nil && TextRule.standaloneLength("a\r\nb") == nil)
        #expect(TextRule("tên", max: 5).check("Thủy–") == .success("Thủy–") && TextRule("tên", max: 4).check("Thủy–") != .success("Thủy–"))
    }

    /// The tone placement before 2026-12-04.
    static func arrayTonePlacement(_ text: String) -> String {
        struct Letter { var base: Unicode.Scalar; var quality: [Unicode.Scalar] = []; var tone: Unicode.Scalar? }
        let toneMarks: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323], qualityMarks: Set<UInt32> = [0x0302, 0x0306, 0x031B]
        var decomposeTable: [UInt32: [Unicode.Scalar]] = [:], composeTable: [[UInt32]: Unicode.Scalar] = [:]
        for value in Array(UInt32(0x00C0)...0x024F) + Array(UInt32(0x1E00)...0x1EFF) {
            let scalar = Unicode.Scalar(value)!
            let parts = Array(String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars)
            guard parts.count > 1 else { continue }
            decomposeTable[value] = parts
            composeTable[parts.map(\.value)] = scalar
        }
        func isLetter(_ s: Unicode.Scalar) -> Bool { s.isASCII ? (s.properties.isAlphabetic) : s.properties.isAlphabetic }
        func lower(_ s: Unicode.Scalar) -> Unicode.Scalar {
            let mapped = s.properties.lowercaseMapping.unicodeScalars
            return mapped.count == 1 ? mapped.first! : s
        }
        func compose(_ base: Unicode.Scalar, _ quality: [Unicode.Scalar], _ tone: Unicode.Scalar?) -> [Unicode.Scalar] {
            if quality.isEmpty, tone == nil { return [base] }
            if quality.isEmpty, let tone, let composed = composeTable[[base.value, tone.value]] { return [composed] }
            var marks = quality
            if let tone { marks.append(tone) }
            let ordered = marks.enumerated().sorted {
                ($0.element.properties.canonicalCombiningClass.rawValue, $0.offset) < ($1.element.properties.canonicalCombiningClass.rawValue, $1.offset)
            }.map(\.element)
            if let composed = composeTable[[base.value] + ordered.map(\.value)] { return [composed] }
            if ordered.count == 2 {
                for (first, second) in [(ordered[0], ordered[1]), (ordered[1], ordered[0])] {
                    if let inner = composeTable[[base.value, first.value]], let outer = composeTable[[inner.value, second.value]] { return [outer] }
                }
            }
            return [base] + ordered
        }
        func placeTone(_ letters: [Letter]) -> [Letter] {
            guard letters.count >= 2 else { return letters }
            let last = letters.count - 1
            guard letters[last - 1].quality.isEmpty, letters[last].quality.isEmpty else { return letters }
            let a = Character(letters[last - 1].base), b = Character(letters[last].base)
            let isOA = a == "o" && (b == "a" || b == "e")
            let isUY = a == "u" && b == "y" && !(last >= 2 && Character(letters[last - 2].base) == "q")
            guard isOA || isUY, let tone = letters[last - 1].tone ?? letters[last].tone else { return letters }
            var out = letters
            out[last - 1].tone = tone
            out[last].tone = nil
            return out
        }
        var result = String.UnicodeScalarView()
        var word: [Letter] = []
        func flush() {
            for letter in placeTone(word) { result.append(contentsOf: compose(letter.base, letter.quality, letter.tone)) }
            word = []
        }
        for scalar in text.unicodeScalars {
            for part in scalar.value < 0xC0 ? [scalar] : decomposeTable[scalar.value] ?? [scalar] {
                if toneMarks.contains(part.value), !word.isEmpty {
                    word[word.count - 1].tone = part
                } else if qualityMarks.contains(part.value), !word.isEmpty {
                    word[word.count - 1].quality.append(part)
                } else if isLetter(part) {
                    word.append(Letter(base: lower(part)))
                } else {
                    flush()
                    result.append(part)
                }
            }
        }
        flush()
        return String(result)
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

/// Numbers grouped by thousands with a dot, for every width and sign and the extremes.
@Suite struct NumberTests {
    /// Groups of three from the right, by a second method: the digits reversed, cut, joined.
    static func reference(_ n: Int64) -> String {
        let digits = String(String(n.magnitude).reversed())
        var groups: [String] = []
        var rest = Substring(digits)
        while !rest.isEmpty { groups.append(String(rest.prefix(3).reversed())); rest = rest.dropFirst(3) }
        return (n < 0 ? "-" : "") + groups.reversed().joined(separator: ".")
    }

    @Test func thousandsAreGroupedWithADot() {
        #expect(VietnameseText.number(0) == "0")
        #expect(VietnameseText.number(999) == "999")
        #expect(VietnameseText.number(1_000) == "1.000")
        #expect(VietnameseText.number(6_300) == "6.300")
        #expect(VietnameseText.number(-1_234_567) == "-1.234.567")
        #expect(VietnameseText.number(Int.min) == "-9.223.372.036.854.775.808")
        #expect(VietnameseText.number(UInt64.max) == "18.446.744.073.709.551.615")
        #expect(VietnameseText.number(UInt8(255)) == "255")
        var n: Int64 = 1
        for _ in 0..<19 {
            for m in [n - 1, n, n + 7, -n, -(n - 1)] { #expect(VietnameseText.number(m) == Self.reference(m), "\(m)") }
            if n < Int64.max / 10 { n *= 10 }
        }
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
