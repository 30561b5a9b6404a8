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
        // One unit's template: no unit column to fill on every row.
        let data = try TemplateWorkbook.initiatives(sectors: Sector.defaults, unitCodes: ["S1"], title: "Mẫu")
        let table = try XLSXReader.table(data)
        #expect(table.header == TemplateWorkbook.initiativeColumns(sectors: Sector.defaults, unitCodes: ["S1"]).map(\.name))
        #expect(table.records.isEmpty)
        #expect(table.header.prefix(2) == ["Tập thể/Cá nhân", "Tên tập thể/cá nhân"])
        // Several units' template: the unit column first.
        let several = try XLSXReader.table(try TemplateWorkbook.initiatives(sectors: Sector.defaults, unitCodes: ["S1", "S2"], title: "Mẫu"))
        #expect(several.header.prefix(2) == ["Mã đơn vị", "Tập thể/Cá nhân"])
        // Every column name is one the importer knows.
        let known = Set(InitiativeImport.names.flatMap(\.names))
        #expect(table.header.allSatisfy(known.contains) && several.header.allSatisfy(known.contains))
        let csv = try CSVTable(data: Data(TemplateWorkbook.initiativesCSV(sectors: Sector.defaults, unitCodes: ["S1"]).utf8))
        #expect(csv.header == table.header)
    }
}

/// Hostile workbooks: each is refused with a message, none traps or grows without bound.
@Suite struct XLSXHostileTests {
    func refusal(_ sheet: String, strings: [String] = [], limits: SpreadsheetLimits = .upload) throws -> DomainError? {
        do {
            _ = try XLSXReader.table(try XLSXReaderTests.workbook(sheet: sheet, strings: strings), limits: limits)
            return nil
        } catch let error as DomainError { return error }
    }

    static let cell = #"<c t="inlineStr"><is><t>x</t></is></c>"#

    @Test func rowNumbersOutOfExcelsRangeAreRefused() throws {
        // The live crash: the largest Int, then a row without a number.
        #expect(try refusal(#"<row r="9223372036854775807">\#(Self.cell)</row><row>\#(Self.cell)</row>"#) == XLSXReader.unreadable)
        #expect(try refusal(#"<row r="1048577">\#(Self.cell)</row>"#) == XLSXReader.unreadable)
        #expect(try refusal(#"<row r="5">\#(Self.cell)</row><row r="3">\#(Self.cell)</row>"#) == XLSXReader.unreadable)
        #expect(try refusal(#"<row r="1048576">\#(Self.cell)</row><row>\#(Self.cell)</row>"#) == XLSXReader.unreadable)
        #expect(try refusal(#"<row r="1048576">\#(Self.cell)</row>"#) == nil, "Excel's last row is a row")
    }

    @Test func columnReferencesOutOfExcelsRangeAreRefused() throws {
        #expect(try refusal(#"<row r="1"><c r="ZZZZZZZZZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>"#) == XLSXReader.unreadable)
        #expect(try refusal(#"<row r="1"><c r="XFE1" t="inlineStr"><is><t>x</t></is></c></row>"#) == XLSXReader.unreadable)
    }

    @Test func anEmptyCellFarAwayCostsNothingAndAFilledOneIsNamed() throws {
        let table = try XLSXReader.table(try XLSXReaderTests.workbook(sheet: #"<row r="1">\#(Self.cell)<c r="ALK1"/><c r="XFD1" s="3"/></row>"#))
        #expect(table.header == ["x"])
        let far = try refusal(#"<row r="1">\#(Self.cell)<c r="ALK1" t="inlineStr"><is><t>y</t></is></c></row>"#)
        #expect(far?.message.contains("Dòng 1: có dữ liệu ở cột thứ 999, quá số cột đọc được (tối đa 100 cột)") == true)
    }

    @Test func documentTypesAndDeepNestingAreRefused() throws {
        let laughs = #"<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>"#
        let data = try Package.zip([("xl/workbook.xml", laughs + "<workbook><sheets><sheet r:id=\"x\"/></sheets></workbook>")], date: Date(timeIntervalSince1970: 0))
        #expect(throws: DomainError.self) { try XLSXReader.table(data) }
        let deep = String(repeating: "<is>", count: 100_000)
        #expect(try refusal(#"<row r="1"><c t="inlineStr">\#(deep)</c></row>"#) == XLSXReader.unreadable)
    }

    @Test func cellsRowsAndInflatedBytesStopAtTheirLimits() throws {
        let long = String(repeating: "ư", count: 32_768)
        #expect(try refusal(#"<row r="1"><c t="inlineStr"><is><t>\#(long)</t></is></c></row>"#)?.message.contains("dài quá 32.767 ký tự") == true)
        #expect(try refusal(#"<row r="1"><c t="s"><v>0</v></c></row>"#, strings: ["<si><t>\(long)</t></si>"])?.message.contains("32.767") == true)
        let rows = (1...12).map { #"<row r="\#($0)">\#(Self.cell)</row>"# }.joined()
        let few = SpreadsheetLimits(bytes: 1 << 20, records: 10, columns: 5)
        #expect(try refusal(rows, limits: few) == few.tooManyRecords)
        let tiny = SpreadsheetLimits(bytes: 2_000, records: 10, columns: 5)
        #expect(try refusal(rows + String(repeating: " ", count: 5_000), limits: tiny) == tiny.tooManyBytes)
    }

    @Test func offsetsOutsideTheFileZip64AndTruncatedStreamsAreRefused() throws {
        let good = try XLSXReaderTests.workbook(sheet: #"<row r="1">\#(Self.cell)</row>"#)
        #expect(throws: Never.self) { try ZIPReader(good) }
        var bytes = [UInt8](good)
        let end = bytes.count - 22
        let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16 | Int(bytes[end + 19]) << 24
        // The first directory entry's local header offset: the largest, then past the directory.
        for offset: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00, 0x7F]] {
            var bad = bytes
            bad.replaceSubrange((directory + 42)..<(directory + 46), with: offset)
            #expect(throws: ZIPReader.Failure.self) { try ZIPReader(Data(bad)) }
            #expect(throws: DomainError.self) { try XLSXReader.table(Data(bad)) }
        }
        // A ZIP64 end locator before the end record.
        var zip64 = bytes
        zip64.insert(contentsOf: [0x50, 0x4B, 0x06, 0x07] + [UInt8](repeating: 0, count: 16), at: end)
        #expect(throws: ZIPReader.Failure.self) { try ZIPReader(Data(zip64)) }
        // A deflate stream cut short (the directory says it is half as long): an error at
        // once, where the library looped for ever; a changed byte fails the checksum.
        let one = [UInt8](try Package.zip([("a.xml", String(repeating: "<r>xin chào</r>", count: 2_000))], date: Date(timeIntervalSince1970: 0)))
        let oneEnd = one.count - 22
        let oneDirectory = Int(one[oneEnd + 16]) | Int(one[oneEnd + 17]) << 8 | Int(one[oneEnd + 18]) << 16 | Int(one[oneEnd + 19]) << 24
        let size = Int(one[oneDirectory + 20]) | Int(one[oneDirectory + 21]) << 8
        var cut = one
        cut[oneDirectory + 20] = UInt8((size / 2) & 0xFF)
        cut[oneDirectory + 21] = UInt8((size / 2) >> 8)
        var inflated = 0
        #expect(throws: ZIPReader.Failure.self) { _ = try ZIPReader(Data(cut)).part("a.xml", inflated: &inflated, limit: 1 << 20, tooLarge: XLSXReader.unreadable) }
        let sheet = try #require(try ZIPReader(good).entries["xl/worksheets/sheet1.xml"])
        bytes[sheet.dataOffset + sheet.compressedSize - 1] ^= 0xFF
        #expect(throws: DomainError.self) { try XLSXReader.table(Data(bytes)) }
    }

    @Test func workbooksDVKWritesPassTheCheck() throws {
        let template = try SimpleWorkbook.table(name: "Mẫu", header: ["Mã đơn vị", "Tên mô hình"], rows: [[.text("S1", .plain), .text("Lớp học", .plain)]])
        #expect(throws: Never.self) { try ZIPReader(template) }
        #expect(try XLSXReader.table(template).header == ["Mã đơn vị", "Tên mô hình"])
    }
}
