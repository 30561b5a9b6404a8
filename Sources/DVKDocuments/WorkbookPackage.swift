import Foundation

/// The one way DVK packages a workbook: content types, relationships, the workbook with
/// its sheets (and each sheet's rows to print on every page), the styles, the sheets, and
/// the document's properties when it has them. The official tables (`XLSXWriter`) and the
/// lists people open in Excel (`SimpleWorkbook`) differ only in their sheets and styles.
enum WorkbookPackage {
    struct Sheet {
        var name: String
        var xml: String
        /// Rows repeated at the top of every printed page.
        var printTitles: ClosedRange<Int>? = nil
    }

    /// Core and app properties (`docProps/`), as a DOCX carries them.
    struct Properties {
        var core: String
        var app: String
    }

    static func zip(_ sheets: [Sheet], styles: String, properties: Properties? = nil, date: Date) throws -> Data {
        let names = sheets.map { sheetName($0.name) }
        var workbook = XML.declaration + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            + "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
            + names.enumerated().map { i, name in "<sheet name=\"\(XML.escape(name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>" }.joined()
            + "</sheets>"
        let titles = sheets.enumerated().compactMap { i, sheet -> String? in
            guard let rows = sheet.printTitles else { return nil }
            let quoted = "'" + names[i].replacingOccurrences(of: "'", with: "''") + "'"
            return "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(i)\">"
                + XML.escape("\(quoted)!$\(rows.lowerBound):$\(rows.upperBound)") + "</definedName>"
        }
        if !titles.isEmpty { workbook += "<definedNames>" + titles.joined() + "</definedNames>" }
        workbook += "<calcPr calcId=\"191029\" fullCalcOnLoad=\"1\"/></workbook>"

        let relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        let workbookRelationships = XML.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(relationship)worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined()
            + "<Relationship Id=\"rIdStyles\" Type=\"\(relationship)styles\" Target=\"styles.xml\"/></Relationships>"
        let spreadsheet = "application/vnd.openxmlformats-officedocument.spreadsheetml."
        var types = XML.declaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(spreadsheet)sheet.main+xml\"/>"
            + sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"\(spreadsheet)worksheet+xml\"/>" }.joined()
            + "<Override PartName=\"/xl/styles.xml\" ContentType=\"\(spreadsheet)styles+xml\"/>"
        var root = XML.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"\(relationship)officeDocument\" Target=\"xl/workbook.xml\"/>"
        if properties != nil {
            types += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
                + "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
            root += "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
                + "<Relationship Id=\"rId3\" Type=\"\(relationship)extended-properties\" Target=\"docProps/app.xml\"/>"
        }
        types += "</Types>"
        root += "</Relationships>"

        var parts: [(path: String, xml: String)] = [("[Content_Types].xml", types), ("_rels/.rels", root)]
        if let properties { parts += [("docProps/core.xml", properties.core), ("docProps/app.xml", properties.app)] }
        parts += [("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbookRelationships), ("xl/styles.xml", styles)]
        for (i, sheet) in sheets.enumerated() { parts.append(("xl/worksheets/sheet\(i + 1).xml", sheet.xml)) }
        return try Package.zip(parts, date: date)
    }

    /// Sheet names: at most 31 characters, none of : \ / ? * [ ].
    static func sheetName(_ label: String) -> String {
        String(label.filter { !":\\/?*[]".contains($0) }.prefix(31))
    }

    /// "A", "B", …, "Z", "AA" for a 0-based column.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }
}
