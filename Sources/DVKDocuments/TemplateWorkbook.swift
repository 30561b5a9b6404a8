import DVKCore
import Foundation

/// The registration template a unit downloads to fill in Excel or LibreOffice and upload
/// again: a sheet "Danh sách" with the Vietnamese column names, drop-down lists for
/// “Tập thể / Cá nhân”, the campaign's sectors and the unit's code, date columns shown as
/// dd/mm/yyyy; a sheet "Hướng dẫn" saying what goes in each column with an example; and the
/// lists on a sheet "Danh mục". A file filled from it imports without edits.
public enum TemplateWorkbook {
    public struct Column: Sendable {
        public var name: String
        public var required: Bool
        public var help: String
        public var example: String
        public var width: Double
        public var isDate: Bool

        public init(name: String, required: Bool, help: String, example: String, width: Double, isDate: Bool = false) {
            self.name = name
            self.required = required
            self.help = help
            self.example = example
            self.width = width
            self.isDate = isDate
        }
    }

    /// The initiatives template's columns, in the order of the registration form.
    public static func initiativeColumns(sectors: [Sector], unitCode: String) -> [Column] {
        let name = { (code: String) in InitiativeImport.names.first { $0.code == code }!.names[0] }
        return [
            Column(name: name("unit_code"), required: true, help: "Mã đơn vị của công đoàn cơ sở (chọn trong danh sách).", example: unitCode, width: 16),
            Column(name: name("registrant_kind"), required: true, help: "“Tập thể” hoặc “Cá nhân” (chọn trong danh sách).", example: "Tập thể", width: 14),
            Column(name: name("registrant_name"), required: true, help: "Tên tập thể (tổ công đoàn, phòng, khoa…) hoặc họ và tên cá nhân đăng ký.", example: "Tổ Công đoàn Văn phòng", width: 30),
            Column(name: name("registrant_title"), required: false, help: "Chức vụ của cá nhân đăng ký (để trống với tập thể).", example: "", width: 18),
            Column(name: name("sector"), required: true, help: "Một trong các lĩnh vực của đợt thi đua (chọn trong danh sách): " + sectors.map(\.name).joined(separator: "; ") + ".", example: sectors.first?.name ?? "", width: 30),
            Column(name: name("title"), required: true, help: "Tên mô hình “Dân vận khéo”.", example: "Sổ tay tiết kiệm điện, nước tại cơ quan", width: 40),
            Column(name: name("purpose"), required: false, help: "Mục đích của mô hình.", example: "", width: 30),
            Column(name: name("content"), required: false, help: "Nội dung và cách thực hiện.", example: "", width: 40),
            Column(name: name("scope"), required: false, help: "Phạm vi, đối tượng tham gia.", example: "", width: 30),
            Column(name: name("start_date"), required: false, help: "Ngày bắt đầu, viết ngày/tháng/năm (vd 01/03/2024).", example: "01/03/2024", width: 14, isDate: true),
            Column(name: name("end_date"), required: false, help: "Ngày kết thúc, viết ngày/tháng/năm (vd 31/12/2024).", example: "31/12/2024", width: 14, isDate: true),
            Column(name: name("expected_result"), required: false, help: "Kết quả dự kiến.", example: "", width: 30),
            Column(name: name("person_in_charge"), required: false, help: "Người phụ trách mô hình.", example: "", width: 22),
        ]
    }

    public static func initiatives(sectors: [Sector], unitCodes: [String], title: String) throws -> Data {
        let columns = initiativeColumns(sectors: sectors, unitCode: unitCodes.first ?? "")
        let kinds = [RegistrantKind.collective.label, RegistrantKind.individual.label]
        let lists: [(header: String, values: [String])] = [("Mã đơn vị", unitCodes), ("Tập thể/Cá nhân", kinds), ("Lĩnh vực", sectors.map(\.name))]
        var validations: [(column: Int, list: Int)] = []
        for (index, column) in columns.enumerated() {
            switch column.name {
            case lists[0].header: validations.append((index, 0))
            case lists[1].header: validations.append((index, 1))
            case lists[2].header: validations.append((index, 2))
            default: break
            }
        }
        return try write(columns: columns, lists: lists, validations: validations, title: title)
    }

    static let rows = 1_000

    static func write(columns: [Column], lists: [(header: String, values: [String])], validations: [(column: Int, list: Int)],
                      title: String) throws -> Data {
        func ref(_ column: Int, _ row: Int, absolute: Bool = false) -> String {
            let name = XLSXWriter.columnName(column)
            return absolute ? "$\(name)$\(row)" : "\(name)\(row)"
        }
        func text(_ value: String, _ column: Int, _ row: Int, style: Int = 0) -> String {
            "<c r=\"\(ref(column, row))\" t=\"inlineStr\"\(style > 0 ? " s=\"\(style)\"" : "")><is><t xml:space=\"preserve\">\(XML.escape(value))</t></is></c>"
        }
        func sheet(cols: String, rows: [String], tail: String = "", frozen: Bool = false) -> String {
            XML.declaration + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                + (frozen ? "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>" : "")
                + "<cols>\(cols)</cols><sheetData>\(rows.joined())</sheetData>\(tail)</worksheet>"
        }
        // Styles: 0 text, 1 bold header (wrapped), 2 date dd/mm/yyyy, 3 wrapped text.
        let data = sheet(
            cols: columns.enumerated().map { i, c in
                "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(c.width)\" style=\"\(c.isDate ? 2 : 0)\" customWidth=\"1\"/>"
            }.joined(),
            rows: ["<row r=\"1\">" + columns.enumerated().map { i, c in text(c.name, i, 1, style: 1) }.joined() + "</row>"],
            tail: "<dataValidations count=\"\(validations.count)\">" + validations.map { v in
                let list = lists[v.list]
                let range = "'Danh mục'!\(ref(v.list, 2, absolute: true)):\(ref(v.list, max(2, list.values.count + 1), absolute: true))"
                return "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"Giá trị không có trong danh sách\" "
                    + "error=\"Vui lòng chọn trong danh sách.\" sqref=\"\(ref(v.column, 2)):\(ref(v.column, rows))\">"
                    + "<formula1>\(XML.escape(range))</formula1></dataValidation>"
            }.joined() + "</dataValidations>",
            frozen: true)
        var guide = [
            "<row r=\"1\">" + text(title, 0, 1, style: 1) + "</row>",
            "<row r=\"2\">" + text("Điền mỗi mô hình một dòng ở trang “Danh sách”, từ dòng 2; không đổi tên cột. Lưu tệp (.xlsx) rồi tải lên trên DVK. Có dòng lỗi thì không dòng nào được ghi, và DVK chỉ ra số dòng như Excel hiển thị.", 0, 2, style: 3) + "</row>",
            "<row r=\"4\">" + text("Cột", 0, 4, style: 1) + text("Bắt buộc", 1, 4, style: 1) + text("Cách ghi", 2, 4, style: 1) + text("Ví dụ", 3, 4, style: 1) + "</row>",
        ]
        for (i, c) in columns.enumerated() {
            let row = 5 + i
            guide.append("<row r=\"\(row)\">" + text(c.name, 0, row) + text(c.required ? "có" : "", 1, row) + text(c.help, 2, row, style: 3)
                         + text(c.example, 3, row) + "</row>")
        }
        let instructions = sheet(cols: "<col min=\"1\" max=\"1\" width=\"28\" customWidth=\"1\"/><col min=\"2\" max=\"2\" width=\"10\" customWidth=\"1\"/>"
                                     + "<col min=\"3\" max=\"3\" width=\"70\" customWidth=\"1\"/><col min=\"4\" max=\"4\" width=\"36\" customWidth=\"1\"/>",
                                 rows: guide)
        let longest = lists.map(\.values.count).max() ?? 0
        var listRows = ["<row r=\"1\">" + lists.enumerated().map { i, l in text(l.header, i, 1, style: 1) }.joined() + "</row>"]
        if longest > 0 {
            for r in 0..<longest {
                listRows.append("<row r=\"\(r + 2)\">" + lists.enumerated().compactMap { i, l in r < l.values.count ? text(l.values[r], i, r + 2) : nil }.joined() + "</row>")
            }
        }
        let listSheet = sheet(cols: lists.indices.map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"36\" customWidth=\"1\"/>" }.joined(), rows: listRows)
        let names = ["Danh sách", "Hướng dẫn", "Danh mục"]
        let workbook = XML.declaration + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
            + names.enumerated().map { i, n in "<sheet name=\"\(XML.escape(n))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>" }.joined()
            + "</sheets></workbook>"
        let relationships = XML.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + names.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined()
            + "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"
        let types = XML.declaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            + names.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined()
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
        let root = XML.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        let styles = XML.declaration + "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts>"
            + "<fonts count=\"2\"><font><sz val=\"12\"/><name val=\"Times New Roman\"/></font><font><b/><sz val=\"12\"/><name val=\"Times New Roman\"/></font></fonts>"
            + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
            + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
            + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
            + "<cellXfs count=\"4\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
            + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"center\"/></xf>"
            + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
            + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment wrapText=\"1\" vertical=\"top\"/></xf></cellXfs>"
            + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
        return try Package.zip([
            ("[Content_Types].xml", types), ("_rels/.rels", root), ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", relationships),
            ("xl/styles.xml", styles), ("xl/worksheets/sheet1.xml", data), ("xl/worksheets/sheet2.xml", instructions),
            ("xl/worksheets/sheet3.xml", listSheet),
        ], date: Date(timeIntervalSince1970: 1_704_067_200))
    }

    /// The same columns as a CSV: the header line only, UTF-8 with a BOM, for Excel.
    public static func initiativesCSV(sectors: [Sector], unitCode: String) -> String {
        CSVWriter.write(header: initiativeColumns(sectors: sectors, unitCode: unitCode).map(\.name), rows: [], bom: true)
    }
}
