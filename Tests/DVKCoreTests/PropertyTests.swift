import DVKCore
import Foundation
import PropertyBased
import Testing

/// Random input, built from the pieces attacks and real files are made of, never traps the
/// text rules or the CSV reader, and what they accept keeps their promises.
@Suite struct PropertyTests {
    /// Letters, Vietnamese, marks, controls, noncharacters, direction controls, emoji and
    /// jamo sequences, quotes, delimiters and line ends.
    static let pieces: [String] = [
        "a", "Z", "0", " ", "  ", "Ư", "ệ", "Thủy", "Hoà", "\u{0301}", "\u{0323}", "\u{0302}\u{0301}", "\u{20E3}", "\u{FE0F}",
        "\u{FFFF}", "\u{FFFE}", String(Unicode.Scalar(0xFDD0)!), "\u{202E}", "\u{2066}", "\u{200B}", "\u{200D}", "\u{0}", "\u{1C}", "\u{7F}", "\u{2028}",
        "\u{E000}", "\u{1F1FB}\u{1F1F3}", "\u{1F44D}\u{1F3FB}", "\u{1100}\u{1161}", "\u{1100}", "\n", "\r", "\r\n", "\t",
        "\"", "\"\"", ",", ";", "=", "<", ">", "&", "*", "**", "\\*", "- ", "1. ", "—", "…",
    ]

    static let text = Gen.element(of: pieces).map { $0 ?? "" }.array(of: 0...80).map { $0.joined() }

    @Test func theTextRuleNeverTrapsAndWhatItAcceptsIsBounded() async {
        let rules = [TextRule("tên", max: 20, required: true), TextRule("nội dung", .multiline, max: 40), TextRules.campaignTitle]
        await propertyCheck(count: 2_000, input: Self.text) { raw in
            for rule in rules {
                guard case .success(let value) = rule.check(raw) else { continue }
                #expect(value.count <= rule.maxLength)
                #expect(value == value.precomposedStringWithCanonicalMapping)
                for character in value {
                    #expect(character.unicodeScalars.count <= TextRule.maxScalars)
                    #expect(character.unicodeScalars.filter { [.nonspacingMark, .spacingMark, .enclosingMark].contains($0.properties.generalCategory) }.count
                            <= TextRule.maxMarks)
                }
                #expect(!value.unicodeScalars.contains { $0.properties.isNoncharacterCodePoint || $0.properties.generalCategory == .format })
                #expect(TextRule.tamed(value) == value, "accepted text is already tame")
                // Cleaning is idempotent: what is stored checks as itself.
                #expect(rule.check(value) == .success(value))
            }
            #expect(TextRule.tamed(raw).unicodeScalars.count <= raw.unicodeScalars.count)
        }
    }

    @Test func theCSVReaderNeverTrapsAndKeepsItsLimits() async {
        let limits = SpreadsheetLimits(bytes: 4_000, records: 20, columns: 6, cellLength: 30)
        await propertyCheck(count: 2_000, input: Self.text) { text in
            do {
                let table = try CSVTable(text: text, limits: limits)
                #expect(table.records.count <= limits.records)
                #expect(table.header.count <= limits.columns)
                for record in table.records {
                    #expect(record.fields.count <= limits.columns)
                    #expect(record.fields.allSatisfy { $0.unicodeScalars.count <= limits.cellLength })
                    #expect(record.line >= 2)
                }
            } catch is DomainError {
                // A refusal in words is a fine answer.
            } catch {
                Issue.record("not a domain error: \(error)")
            }
            // Whatever the bytes, decoding answers or refuses.
            _ = try? CSVTable(data: Data(text.utf8.prefix(500).reversed()), limits: limits)
        }
    }

    @Test func numbersAndDaysParseOrRefuseWithoutTrapping() async {
        let digits = Gen.element(of: ["0", "9", "1", ".", "/", "-", " ", "99999999999999999999", "-9223372036854775808", "e", "+"])
            .map { $0 ?? "" }.array(of: 0...12).map { $0.joined() }
        await propertyCheck(count: 2_000, input: digits) { raw in
            _ = CalendarDay(parsing: raw)
            _ = ProgressInput.check(day: raw, text: "x", participants: raw, beneficiaries: raw, money: raw, workdays: raw)
            _ = LibrarySearch(raw).words
        }
    }

    /// A day's texts are written without vfprintf, and say what `%0*d` says, for any numbers
    /// (a day is built from a parsed file before it is checked, so not only valid ones).
    @Test func aDaysTextsAreWhatPrintfWrites() async {
        let number = Gen.int(in: -10_050...100_050)
        await propertyCheck(count: 3_000, input: number, number, number) { y, m, d in
            let day = CalendarDay(year: y, month: m, day: d)
            #expect(day.iso == String(format: "%04d-%02d-%02d", y, m, d))
            #expect(day.vietnamese == String(format: "%02d/%02d/%04d", d, m, y))
            #expect(day.dateLine == "ngày \(String(format: "%02d", d)) tháng \(m <= 2 ? String(format: "%02d", m) : String(m)) năm \(y)")
        }
    }
}
