import DVKCore
import Foundation
import PropertyBased
import Testing
@testable import DVKDocuments

/// Random input to the document side: the letter's markup parses and renders, whatever is
/// typed; a workbook with random rows or random damage is read or refused, never a trap.
@Suite struct DocumentPropertyTests {
    static let pieces: [String] = [
        "a", "Tổ", " ", "\n", "\n\n", "*", "**", "***", "\\*", "\\", "- ", "1. ", "12. ", "ệ", "\u{0301}", "\u{0323}",
        "\u{1F1FB}\u{1F1F3}", "\t", "<", "&", "—", "“", "”",
    ]

    @Test func anyLetterTheRuleAcceptsParsesAndRenders() async {
        let body = Gen.element(of: Self.pieces).map { $0 ?? "" }.array(of: 0...60).map { $0.joined() }
        await propertyCheck(count: 150, input: body) { raw in
            let paragraphs = LetterBody.parse(raw)
            guard case .success(let text) = TextRules.letterBody.check(raw), !text.isEmpty else { return }
            let document = Document(kind: .letter, title: "Thử", date: CalendarDay(year: 2024, month: 2, day: 6),
                                    blocks: LetterBody.parse(text).map { .paragraph($0) })
            #expect(throws: Never.self) { _ = try OfficialDocuments.render(document, as: .pdf) }
            _ = paragraphs
        }
    }

    /// Rows with numbers and references from the whole range of Int and of letters.
    @Test func randomSheetsAreReadOrRefusedNeverTrapped() async {
        let number = Gen.element(of: ["1", "2", "7", "1048576", "1048577", "0", "-1", "9223372036854775807", "99999999999999999999", "x", ""])
        let column = Gen.element(of: ["A", "B", "Z", "AA", "XFD", "XFE", "ZZZZZZZZZZZZZZ", "", "a", "1"])
        let cell = Gen.element(of: ["<c r=\"{c}{n}\" t=\"inlineStr\"><is><t>v</t></is></c>", "<c r=\"{c}{n}\"/>", "<c t=\"s\"><v>{n}</v></c>",
                                    "<c><v>{n}</v></c>", "<c r=\"{c}{n}\" s=\"{n}\"><v>1e308</v></c>"])
        let row = Gen.element(of: ["<row r=\"{n}\">", "<row>"])
        let piece = zip(row, cell.array(of: 0...4), number, column).map { parts -> String in
            let (row, cells, n, c) = parts
            let fill = { (s: String) in s.replacingOccurrences(of: "{n}", with: n ?? "").replacingOccurrences(of: "{c}", with: c ?? "") }
            return fill(row ?? "<row>") + cells.map { fill($0 ?? "") }.joined() + "</row>"
        }
        await propertyCheck(count: 300, input: piece.array(of: 0...6)) { rows in
            let data: Data
            do { data = try XLSXReaderTests.workbook(sheet: rows.joined(), strings: ["<si><t>s</t></si>"]) } catch { return }
            do {
                let table = try XLSXReader.table(data)
                #expect(table.header.count <= SpreadsheetLimits.upload.columns)
            } catch is DomainError {
            } catch {
                Issue.record("not a domain error: \(error)")
            }
        }
    }

    /// A valid workbook with bytes changed, cut or repeated: read or refused with words.
    @Test func damagedWorkbooksAreRefusedNeverTrapped() async throws {
        let good = [UInt8](try XLSXReaderTests.workbook(sheet: #"<row r="1"><c t="inlineStr"><is><t>Mã đơn vị</t></is></c></row>"#))
        let damage = zip(Gen.int(in: 0...(good.count - 1)), Gen<UInt8>.value(in: 0...255), Gen.int(in: 0...3))
        await propertyCheck(count: 1_000, input: damage.array(of: 1...8)) { changes in
            var bytes = good
            for change in changes {
                let (at, value, kind) = change
                switch kind {
                case 0: bytes[min(at, bytes.count - 1)] = value
                case 1: bytes = Array(bytes.prefix(max(0, at)))
                case 2: bytes.insert(value, at: min(at, bytes.count))
                default: bytes[min(at, bytes.count - 1)] ^= 0xFF
                }
                if bytes.isEmpty { bytes = [0] }
            }
            do {
                _ = try XLSXReader.table(Data(bytes))
            } catch is DomainError {
            } catch {
                Issue.record("not a domain error: \(error)")
            }
        }
    }
}
