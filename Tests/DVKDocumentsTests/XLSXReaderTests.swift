import DVKCore
import Foundation
import Testing
@testable import DVKDocuments

/// The .xlsx reader on workbooks written the way Excel and LibreOffice write them: shared
/// strings (with rich-text runs and phonetic hints), inline strings, sparse cells placed by
/// reference, dates as serial numbers behind built-in and custom date formats, numbers, and
/// rows numbered as Excel shows them. (`Tests/system/test_spreadsheets.py` reads files that
/// openpyxl wrote.)
@Suite struct XLSXReaderTests {
    static func workbook(sheet: String, strings: [String] = [], styles: String? = nil, sheetTarget: String = "worksheets/sheet1.xml") throws -> Data {
        let sst = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + strings.joined() + "</sst>"
        var parts: [(String, String)] = [
            ("xl/workbook.xml", """
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
                <sheets><sheet name="Danh sách" sheetId="1" r:id="rId7"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="\(sheetTarget)"/>\
                </Relationships>
                """),
            ("xl/" + sheetTarget, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" + sheet + "</sheetData></worksheet>"),
            ("xl/sharedStrings.xml", sst),
        ]
        if let styles { parts.append(("xl/styles.xml", styles)) }
        return try Package.zip(parts, date: Date(timeIntervalSince1970: 0))
    }

    static let styles = """
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;Ngày&quot; #,##0"/></numFmts>\
        <cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>\
        </styleSheet>
        """

    @Test func readsTextNumbersAndDatesByTheirPlace() throws {
        let data = try Self.workbook(sheet: """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>Ngày bắt đầu</t></is></c></row>\
            <row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>12</v></c><c r="C3"><v>1.5</v></c><c r="D3" s="1"><v>45328</v></c></row>\
            <row r="4"><c r="A4" t="str"><v>công thức</v></c><c r="D4" s="2"><v>45328.75</v></c><c r="E4" s="3"><v>7</v></c><c r="F4" t="b"><v>1</v></c></row>
            """, strings: ["<si><t>Mã đơn vị</t></si>", "<si><r><t>Tên </t></r><r><rPr><b/></rPr><t>mô hình</t></r><rPh><t>ignored</t></rPh></si>",
                           "<si><t xml:space=\"preserve\">S1 &amp; &lt;x&gt;</t></si>"], styles: Self.styles)
        let table = try XLSXReader.table(data)
        #expect(table.header == ["Mã đơn vị", "Tên mô hình", "", "Ngày bắt đầu"])
        #expect(table.records.map(\.line) == [3, 4], "Excel's row numbers; the empty row 2 is skipped")
        #expect(table.records[0].fields == ["S1 & <x>", "12", "1.5", "06/02/2024"])
        #expect(table.records[1].fields == ["công thức", "", "", "06/02/2024 18:00", "7", "TRUE"])
    }

    @Test func theSheetIsFoundThroughItsRelationship() throws {
        let data = try Self.workbook(sheet: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>code</t></is></c></row>", sheetTarget: "worksheets/other.xml")
        #expect(try XLSXReader.table(data).header == ["code"])
    }

    @Test func notAWorkbookIsRefusedInVietnamese() {
        #expect(!XLSXReader.isWorkbook(Data("a,b\n".utf8)))
        do {
            _ = try XLSXReader.table(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]))
            Issue.record("accepted")
        } catch let error as DomainError {
            #expect(error.message.contains("Không đọc được tệp Excel"))
        } catch { Issue.record("\(error)") }
    }

    @Test func excelSerialDaysAreTheCalendar() {
        #expect(XLSXReader.date(serial: 45328)?.0 == CalendarDay(year: 2024, month: 2, day: 6))
        #expect(XLSXReader.date(serial: 61)?.0 == CalendarDay(year: 1900, month: 3, day: 1))
        #expect(XLSXReader.date(serial: 25569)?.0 == CalendarDay(year: 1970, month: 1, day: 1))
        #expect(XLSXReader.date(serial: 0) == nil)
    }

    @Test func aSpreadsheetFileIsReadByItsContentNotItsName() throws {
        let xlsx = try Self.workbook(sheet: "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Mã đơn vị</t></is></c></row>")
        #expect(try SpreadsheetFile.table(xlsx).header == ["Mã đơn vị"])
        #expect(try SpreadsheetFile.table(Data("Mã đơn vị;Tên\n".utf8)).header == ["Mã đơn vị", "Tên"])
    }
}

@Suite struct TemplateWorkbookTests {
    @Test func theTemplateReadsBackAsItsHeaderWithNothingToImport() throws {
        let data = try TemplateWorkbook.initiatives(sectors: Sector.defaults, unitCodes: ["S1"], title: "Mẫu")
        let table = try XLSXReader.table(data)
        #expect(table.header == TemplateWorkbook.initiativeColumns(sectors: Sector.defaults, unitCode: "S1").map(\.name))
        #expect(table.records.isEmpty)
        #expect(table.header.prefix(2) == ["Mã đơn vị", "Tập thể/Cá nhân"])
        // Every column name is one the importer knows.
        let known = Set(InitiativeImport.names.flatMap(\.names))
        #expect(table.header.allSatisfy(known.contains))
        let csv = try CSVTable(data: Data(TemplateWorkbook.initiativesCSV(sectors: Sector.defaults, unitCode: "S1").utf8))
        #expect(csv.header == table.header)
    }
}
