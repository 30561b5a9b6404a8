import DVKCore
import Foundation

/// The registration template a unit downloads to fill in Excel or LibreOffice and upload
/// again: a sheet "Danh sách" with the Vietnamese column names, drop-down lists for
/// “Tập thể / Cá nhân”, the campaign's sectors and (for several units) the units' codes,
/// date columns shown as dd/mm/yyyy; a sheet "Hướng dẫn" saying what goes in each column with an example; and the
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

    /// The initiatives template's columns, in the order of the registration form. A template
    /// for one unit has no unit column: the upload of that unit's page supplies it.
    public static func initiativeColumns(sectors: [Sector], unitCodes: [String]) -> [Column] {
        let name = { (code: String) in InitiativeImport.names.first { $0.code == code }!.names[0] }
        let unit = unitCodes.count == 1 ? [] : [
            Column(name: name("unit_code"), required: true, help: "Mã đơn vị của công đoàn cơ sở (chọn trong danh sách).",
                   example: unitCodes.first ?? "", width: 16),
        ]
        return unit + [
            Column(name: name("registrant_kind"), required: true, help: "“Tập thể” hoặc “Cá nhân” (chọn trong danh sách).", example: "Tập thể", width: 14),
            Column(name: name("registrant_name"), required: true, help: "Tên tập thể (tổ công đoàn, phòng, khoa…) hoặc họ và tên cá nhân đăng ký.", example: "Tổ Công đoàn Văn phòng", width: 30),
            Column(name: name("registrant_title"), required: false, help: "Chức vụ của cá nhân đăng ký (để trống với tập thể).", example: "", width: 18),
            Column(name: name("sector"), required: true, help: "Một trong các lĩnh vực của đợt thi đua (chọn trong danh sách): " + sectors.map(\.name).joined(separator: "; ") + ".", example: sectors.first?.name ?? "", width: 30),
            Column(name: name("title"), required: true, help: "Tên mô hình “Dân vận khéo”.", example: "Sổ tay tiết kiệm điện, nước tại cơ quan", width: 40),
            Column(name: name("purpose"), required: false, help: "Mục đích của mô hình.", example: "", width: 30),
            Column(name: name("content"), required: false, help: "Nội dung và cách thức thực hiện.", example: "", width: 40),
            Column(name: name("scope"), required: false, help: "Phạm vi, đối tượng tham gia.", example: "", width: 30),
            Column(name: name("start_date"), required: false, help: "Ngày bắt đầu, viết ngày/tháng/năm (vd 01/03/2024).", example: "01/03/2024", width: 14, isDate: true),
            Column(name: name("end_date"), required: false, help: "Ngày kết thúc, viết ngày/tháng/năm (vd 31/12/2024).", example: "31/12/2024", width: 14, isDate: true),
            Column(name: name("expected_result"), required: false, help: "Kết quả dự kiến.", example: "", width: 30),
            Column(name: name("person_in_charge"), required: false, help: "Người phụ trách mô hình.", example: "", width: 22),
        ]
    }

    public static func initiatives(sectors: [Sector], unitCodes: [String], title: String) throws -> Data {
        let columns = initiativeColumns(sectors: sectors, unitCodes: unitCodes)
        let kinds = [RegistrantKind.collective.label, RegistrantKind.individual.label]
        let lists: [(header: String, values: [String])] = (unitCodes.count == 1 ? [] : [("Mã đơn vị", unitCodes)])
            + [("Tập thể/Cá nhân", kinds), ("Lĩnh vực", sectors.map(\.name))]
        var validations: [(column: Int, list: Int)] = []
        for (index, column) in columns.enumerated() {
            if let list = lists.firstIndex(where: { $0.header == column.name }) { validations.append((index, list)) }
        }
        return try write(columns: columns, lists: lists, validations: validations, title: title)
    }

    static let rows = 1_000

    static func write(columns: [Column], lists: [(header: String, values: [String])], validations: [(column: Int, list: Int)],
                      title: String) throws -> Data {
        typealias W = SimpleWorkbook
        let data = W.Sheet(
            name: "Danh sách",
            columns: columns.map { ($0.width, $0.isDate ? W.Style.date : W.Style.plain) },
            rows: [columns.map { W.Cell.text($0.name, .header) }],
            tail: "<dataValidations count=\"\(validations.count)\">" + validations.map { v in
                let list = lists[v.list]
                let range = "'Danh mục'!\(W.reference(v.list, 2, absolute: true)):\(W.reference(v.list, max(2, list.values.count + 1), absolute: true))"
                return "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"Giá trị không có trong danh sách\" "
                    + "error=\"Vui lòng chọn trong danh sách.\" sqref=\"\(W.reference(v.column, 2)):\(W.reference(v.column, rows))\">"
                    + "<formula1>\(XML.escape(range))</formula1></dataValidation>"
            }.joined() + "</dataValidations>",
            frozenHeader: true)
        var guide: [[W.Cell]] = [
            [.text(title, .header)],
            [.text("Điền mỗi mô hình một dòng ở trang “Danh sách”, từ dòng 2; không đổi tên cột. Lưu tệp (.xlsx) rồi tải lên trên DVK. Có dòng lỗi thì không dòng nào được ghi, và DVK chỉ ra số dòng như Excel hiển thị.", .wrapped)],
            [],
            [.text("Cột", .header), .text("Bắt buộc", .header), .text("Cách ghi", .header), .text("Ví dụ", .header)],
        ]
        for c in columns {
            guide.append([.text(c.name, .plain), .text(c.required ? "có" : "", .plain), .text(c.help, .wrapped), .text(c.example, .plain)])
        }
        let instructions = W.Sheet(name: "Hướng dẫn", columns: [(28, .plain), (10, .plain), (70, .plain), (36, .plain)], rows: guide)
        let longest = lists.map(\.values.count).max() ?? 0
        var listRows: [[W.Cell]] = [lists.map { W.Cell.text($0.header, .header) }]
        for r in 0..<longest { listRows.append(lists.map { r < $0.values.count ? .text($0.values[r], .plain) : .empty }) }
        let listSheet = W.Sheet(name: "Danh mục", columns: lists.map { _ in (36, W.Style.plain) }, rows: listRows)
        return try W.package([data, instructions, listSheet])
    }

    /// The same columns as a CSV: the header line only, UTF-8 with a BOM, for Excel.
    public static func initiativesCSV(sectors: [Sector], unitCodes: [String]) -> String {
        CSVWriter.write(header: initiativeColumns(sectors: sectors, unitCodes: unitCodes).map(\.name), rows: [], bom: true)
    }
}
