import DVKCore
import DVKDocuments
import Foundation
import Testing

@Suite("XLSX read back by openpyxl")
struct XLSXTests {
    @Test func summarySheetNumbersFormulasAndMerges() throws {
        let dir = try Oracle.temporaryDirectory()
        let input = DocumentSamples.summary
        let read = try Oracle.python("xlsx_read.py", try Oracle.write(OfficialDocuments.summary(input), as: .xlsx,
                                                                      name: "summary", in: dir))
        let cells = try #require(read["cells"] as? [String: [String: Any]])
        // Find the table by its "TT" header cell.
        let ttRow = try #require(cells.first { $0.value["value"] as? String == "TT" }.map { Int($0.key.dropFirst())! })
        let merged = Set(read["merged"] as? [String] ?? [])
        #expect(merged.isSuperset(of: ["A\(ttRow):A\(ttRow + 1)", "B\(ttRow):B\(ttRow + 1)",
                                       "C\(ttRow):D\(ttRow)", "E\(ttRow):F\(ttRow)"]))
        #expect(cells["C\(ttRow)"]?["value"] as? String == "Tập thể")
        #expect(cells["E\(ttRow)"]?["value"] as? String == "Cá nhân")
        #expect(read["unbordered"] as? [String] == [])
        let first = ttRow + 2
        for (i, row) in input.summary.rows.enumerated() {
            let r = first + i
            #expect(cells["A\(r)"]?["value"] as? Int == i + 1)
            #expect(cells["B\(r)"]?["value"] as? String == row.sector.name)
            for (c, value) in zip(["C", "D", "E", "F"], row.tally.columns) {
                #expect(cells["\(c)\(r)"]?["type"] as? String == "int")
                #expect(cells["\(c)\(r)"]?["value"] as? Int == value)
            }
        }
        let totalRow = first + input.summary.rows.count
        #expect(cells["B\(totalRow)"]?["value"] as? String == "Tổng:")
        #expect(cells["B\(totalRow)"]?["bold"] as? Bool == true)
        for (c, value) in zip(["C", "D", "E", "F"], input.summary.total.columns) {
            #expect(cells["\(c)\(totalRow)"]?["value"] as? String == "=SUM(\(c)\(first):\(c)\(totalRow - 1))")
            #expect(cells["\(c)\(totalRow)"]?["cached"] as? Int == value)
        }
        #expect(read["printTitleRows"] as? String == "$\(ttRow):$\(ttRow + 1)")
        #expect(read["paperSize"] as? Int == 9)
        #expect(read["fitToWidth"] as? Int == 1)
        #expect(read["fitToPage"] as? Bool == true)
        #expect(cells.values.allSatisfy { $0["font"] as? String == "Times New Roman" })
        let heights = try #require(read["rowHeights"] as? [String: Double])
        #expect(heights.count == read["maxRow"] as? Int)
    }

    @Test func rollUpHasAUnitTableWithItsOwnSums() throws {
        let dir = try Oracle.temporaryDirectory()
        let input = DocumentSamples.rollUp
        let read = try Oracle.python("xlsx_read.py", try Oracle.write(OfficialDocuments.rollUp(input), as: .xlsx,
                                                                      name: "rollup", in: dir))
        let cells = try #require(read["cells"] as? [String: [String: Any]])
        let unitHeader = try #require(cells.first { $0.value["value"] as? String == "Đơn vị" }.map { Int($0.key.dropFirst())! })
        let first = unitHeader + 2
        for (i, unit) in input.units.enumerated() {
            #expect(cells["B\(first + i)"]?["value"] as? String == unit.unitName)
            #expect(cells["D\(first + i)"]?["value"] as? Int == unit.tally.collectiveInitiatives)
        }
        let total = first + input.units.count
        let sum = input.units.reduce(Tally.zero) { $0 + $1.tally }
        #expect(cells["F\(total)"]?["value"] as? String == "=SUM(F\(first):F\(total - 1))")
        #expect(cells["F\(total)"]?["cached"] as? Int == sum.individualInitiatives)
        #expect(read["unbordered"] as? [String] == [])
    }

    @Test func longListIsLandscapeWithGroupRowsMerged() throws {
        let dir = try Oracle.temporaryDirectory()
        let read = try Oracle.python("xlsx_read.py", try Oracle.write(Samples.list500, as: .xlsx, name: "list", in: dir))
        #expect(read["orientation"] as? String == "landscape")
        let merged = read["merged"] as? [String] ?? []
        let cells = try #require(read["cells"] as? [String: [String: Any]])
        let unitCell = try #require(cells.first { $0.value["value"] as? String == "Công đoàn Công ty Cổ phần May Long Biên 1" })
        #expect(merged.contains("\(unitCell.key):F\(unitCell.key.dropFirst())"))
        #expect(cells.values.contains { $0["value"] as? String == "Nguyễn Thị Hương 500\nCông nhân phân xưởng 5" })
        // TT is a number Excel sorts and sums, up to 500, never text.
        let tt = cells.filter { $0.key.hasPrefix("A") && ($0.value["value"] as? Int).map { $0 >= 1 } == true }
        #expect(tt.count == 500 && tt.values.allSatisfy { $0["type"] as? String == "int" })
        #expect(!cells.contains { $0.key.hasPrefix("A") && ($0.value["value"] as? String).map { Int($0) != nil } == true })
    }

    @Test func nonTabularDocumentsHaveNoSpreadsheet() throws {
        for document in [Samples.letter, Samples.form, Samples.report] {
            #expect(throws: DocumentError.notTabular(document.kind)) {
                try OfficialDocuments.render(document, as: .xlsx)
            }
        }
        #expect(DocumentError.notTabular(.letter).message.contains("Word hoặc PDF"))
    }
}

@Suite("Sample data")
struct SampleTests {
    @Test func rollUpUnitsAddUpToTheSummary() {
        let input = DocumentSamples.rollUp
        #expect(input.units.reduce(Tally.zero) { $0 + $1.tally } == input.summary.total)
    }
}
