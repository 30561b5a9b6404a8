import DVKCore
import Foundation

/// Writes a `Document` as WordprocessingML (.docx) by hand: Times New Roman, tables with
/// repeated header rows and merged cells, page numbers in a header part from page 2 on.
enum DOCXWriter {
    static let font = "Times New Roman"
    private static let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
    private static let r = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

    static func write(_ document: Document) throws -> Data {
        let parts: [(path: String, xml: String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRelationships),
            ("docProps/core.xml", coreProperties(document)),
            ("docProps/app.xml", appProperties),
            ("word/document.xml", body(document)),
            ("word/styles.xml", styles),
            ("word/settings.xml", settings),
            ("word/header1.xml", pageNumberHeader),
            ("word/header2.xml", emptyHeader),
            ("word/_rels/document.xml.rels", documentRelationships),
        ]
        return try Package.zip(parts, date: document.date.stampDate)
    }

    static func twips(_ points: Double) -> Int { Int((points * 20).rounded()) }
    static func twipsMM(_ millimetres: Double) -> Int { Int((millimetres * 1440 / 25.4).rounded()) }

    // MARK: - Body

    static func body(_ document: Document) -> String {
        let width = document.page.contentWidth
        var out = XML.declaration + "<w:document \(w) \(r)><w:body>"
        var annexed = false
        let blocks = document.blocks
        func at(_ i: Int) -> Block? { blocks.indices.contains(i) ? blocks[i] : nil }
        func isSignature(_ block: Block?) -> Bool {
            if case .table(let t)? = block { t.isSignatureBlock } else { false }
        }
        for (index, block) in blocks.enumerated() {
            switch block {
            case .paragraph(var p):
                // Word keeps things together only through "keep with next" on every link of
                // the chain, so there are no spacer paragraphs: a table's space around it
                // goes to its neighbours, and the paragraph before a table (a lead-in, the
                // closing sentence before the signature) stays with it.
                if case .table(let next)? = at(index + 1) {
                    p.spaceAfter += next.spaceBefore
                    p.keepWithNext = true
                }
                if case .table(let previous)? = at(index - 1) { p.spaceBefore += previous.spaceAfter }
                if p.restartsPageNumbers, !annexed {
                    // The document's section ends here (its properties ride in an empty
                    // paragraph); the annex's section starts on a new page at page 1.
                    out += "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>"
                        + sectionProperties(document, restart: false) + "</w:pPr></w:p>"
                    p.pageBreakBefore = false
                    annexed = true
                }
                out += paragraph(p, width: width)
            case .table(let t):
                // The signature is never alone on a page: a table it follows, at once or after
                // one closing sentence (which keeps with the signature itself), keeps its last
                // row with what follows. (LibreOffice keeps a table with the next paragraph
                // only when every row says so; documents close a long table with a sentence.)
                var closing = false
                if case .paragraph? = at(index + 1) { closing = isSignature(at(index + 2)) }
                out += table(t, width: width, keepLastRow: isSignature(at(index + 1)) || closing)
                // Word merges two tables that touch and needs a paragraph after the last one:
                // a separator one line high holding the space between them, kept with the
                // table that follows.
                if case .paragraph? = at(index + 1) {} else {
                    var gap = t.spaceAfter
                    var keep = ""
                    if case .table(let next)? = at(index + 1) {
                        gap += next.spaceBefore
                        keep = "<w:keepNext/>"
                    }
                    out += "<w:p><w:pPr>\(keep)<w:spacing w:before=\"\(twips(gap))\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/></w:pPr></w:p>"
                }
            }
        }
        out += sectionProperties(document, restart: annexed)
        out += "</w:body></w:document>"
        return out
    }

    /// A section's page: size, margins, the page number from its second page on;
    /// `restart`: its numbering starts at 1 (an annex).
    static func sectionProperties(_ document: Document, restart: Bool) -> String {
        let page = document.page
        let (wide, high) = (twipsMM(210), twipsMM(297))
        let size = page.orientation == .portrait
            ? "<w:pgSz w:w=\"\(wide)\" w:h=\"\(high)\"/>"
            : "<w:pgSz w:w=\"\(high)\" w:h=\"\(wide)\" w:orient=\"landscape\"/>"
        var out = "<w:sectPr>"
        if document.pageNumbers {
            out += "<w:headerReference w:type=\"default\" r:id=\"rIdHeader1\"/><w:headerReference w:type=\"first\" r:id=\"rIdHeader2\"/>"
        }
        out += size
        // The page number sits in the top margin, 10 mm from the paper's edge.
        out += "<w:pgMar w:top=\"\(twipsMM(page.topMM))\" w:right=\"\(twipsMM(page.rightMM))\" w:bottom=\"\(twipsMM(page.bottomMM))\" "
            + "w:left=\"\(twipsMM(page.leftMM))\" w:header=\"\(twipsMM(min(10, page.topMM / 2)))\" w:footer=\"\(twipsMM(10))\" w:gutter=\"0\"/>"
        if restart { out += "<w:pgNumType w:start=\"1\"/>" }
        if document.pageNumbers { out += "<w:titlePg/>" }
        out += "</w:sectPr>"
        return out
    }

    static func paragraph(_ p: Paragraph, width: Double, keepWithNext: Bool = false) -> String {
        var out = "<w:p><w:pPr>"
        if let level = p.outlineLevel { out += "<w:pStyle w:val=\"Heading\(min(3, max(1, level)))\"/>" }
        if p.keepWithNext || keepWithNext { out += "<w:keepNext/>" }
        if p.pageBreakBefore { out += "<w:pageBreakBefore/>" }
        let line = Int((240 * p.lineSpacing).rounded())
        out += "<w:spacing w:before=\"\(twips(p.spaceBefore))\" w:after=\"\(twips(p.spaceAfter))\" w:line=\"\(line)\" w:lineRule=\"auto\"/>"
        if p.firstLineIndent != 0 { out += "<w:ind w:firstLine=\"\(twips(p.firstLineIndent))\"/>" }
        out += "<w:jc w:val=\"\(jc(p.alignment))\"/>"
        out += runProperties(bold: false, italic: false, size: p.size, tag: "w:rPr")
        out += "</w:pPr>"
        for run in p.runs { out += self.run(run, size: run.size ?? p.size) }
        out += "</w:p>"
        if let length = p.ruleBelow { out += rule(length: length, width: width) }
        return out
    }

    /// A solid centred line of `length` points: an empty, 2 pt high paragraph whose top
    /// border is the line, indented so the border is exactly as long as asked.
    static func rule(length: Double, width: Double) -> String {
        let indent = max(0, (width - length) / 2)
        return "<w:p><w:pPr><w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>"
            + "<w:spacing w:before=\"20\" w:after=\"0\" w:line=\"40\" w:lineRule=\"exact\"/>"
            + "<w:ind w:left=\"\(twips(indent))\" w:right=\"\(twips(indent))\"/><w:rPr><w:sz w:val=\"4\"/></w:rPr></w:pPr></w:p>"
    }

    static func jc(_ alignment: Alignment) -> String {
        switch alignment {
        case .left: "left"
        case .center: "center"
        case .right: "right"
        case .justified: "both"
        }
    }

    static func runProperties(bold: Bool, italic: Bool, size: Double, tag: String = "w:rPr") -> String {
        var out = "<\(tag)><w:rFonts w:ascii=\"\(font)\" w:hAnsi=\"\(font)\" w:cs=\"\(font)\" w:eastAsia=\"\(font)\"/>"
        if bold { out += "<w:b/><w:bCs/>" }
        if italic { out += "<w:i/><w:iCs/>" }
        let half = Int((size * 2).rounded())
        out += "<w:sz w:val=\"\(half)\"/><w:szCs w:val=\"\(half)\"/></\(tag)>"
        return out
    }

    static func run(_ run: Run, size: Double) -> String {
        var out = "<w:r>" + runProperties(bold: run.bold, italic: run.italic, size: size)
        var first = true
        for line in run.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !first { out += "<w:br/>" }
            first = false
            if !line.isEmpty { out += "<w:t xml:space=\"preserve\">\(XML.escape(String(line)))</w:t>" }
        }
        return out + "</w:r>"
    }

    // MARK: - Tables

    /// A table; its space before and after is its neighbours' (see `body`). `keepLastRow`:
    /// its last row stays with what follows.
    static func table(_ table: Table, width: Double, keepLastRow: Bool = false) -> String {
        let grid = TableGrid(table)
        // A table with an outset is centred, so it reaches equally into both margins.
        let widths = table.columnWidths(for: width + table.outset)
        let columnTwips = widths.map { twips($0) }
        let border = table.borders ? "single" : "nil"
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"\(columnTwips.reduce(0, +))\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        out += "<w:tblBorders>"
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            out += table.borders
                ? "<w:\(side) w:val=\"\(border)\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
                : "<w:\(side) w:val=\"nil\"/>"
        }
        out += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        out += "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"\(twips(table.cellPadding))\" w:type=\"dxa\"/>"
            + "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"\(twips(table.cellPadding))\" w:type=\"dxa\"/></w:tblCellMar>"
        out += "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>"
        out += "<w:tblGrid>" + columnTwips.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        let lastRow = table.rows.count - 1
        for (r, row) in table.rows.enumerated() {
            out += "<w:tr><w:trPr><w:cantSplit/>"
            if row.role == .header { out += "<w:tblHeader/>" }
            out += "</w:trPr>"
            // Starting cells and continuations of vertical merges, in column order.
            var items: [(column: Int, xml: String)] = []
            for placed in grid.starts[r] {
                let span = placed.columnSpan
                let cellWidth = widths[placed.column..<(placed.column + span)].reduce(0, +)
                var xml = "<w:tc><w:tcPr><w:tcW w:w=\"\(columnTwips[placed.column..<(placed.column + span)].reduce(0, +))\" w:type=\"dxa\"/>"
                if span > 1 { xml += "<w:gridSpan w:val=\"\(span)\"/>" }
                if placed.rowSpan > 1 { xml += "<w:vMerge w:val=\"restart\"/>" }
                xml += "<w:vAlign w:val=\"\(placed.cell.verticalAlignment == .center ? "center" : "top")\"/></w:tcPr>"
                // Keep the signature and header bands, group headings and the table's last
                // rows with what follows (Word's way of "keep together").
                let keep = row.role == .group || row.role == .header || (table.keepTogether && r < lastRow) || (keepLastRow && r == lastRow)
                let inner = cellWidth - 2 * table.cellPadding
                if placed.cell.paragraphs.isEmpty {
                    // An empty cell keeps too: Word and LibreOffice read a row's keep from
                    // its cells' paragraphs.
                    xml += keep ? "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>" : "<w:p/>"
                } else {
                    for p in placed.cell.paragraphs { xml += paragraph(p, width: inner, keepWithNext: keep) }
                }
                xml += "</w:tc>"
                items.append((placed.column, xml))
            }
            for continuation in grid.continuations[r] {
                let span = continuation.columnSpan
                var xml = "<w:tc><w:tcPr><w:tcW w:w=\"\(columnTwips[continuation.column..<(continuation.column + span)].reduce(0, +))\" w:type=\"dxa\"/>"
                if span > 1 { xml += "<w:gridSpan w:val=\"\(span)\"/>" }
                xml += "<w:vMerge/></w:tcPr><w:p/></w:tc>"
                items.append((continuation.column, xml))
            }
            items.sort { $0.column < $1.column }
            out += items.map(\.xml).joined()
            out += "</w:tr>"
        }
        out += "</w:tbl>"
        return out
    }

    // MARK: - Fixed parts

    static let contentTypes = XML.declaration + """
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/>\
    <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
    <Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>\
    <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
    <Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
    <Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>\
    <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
    <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
    </Types>
    """

    static let rootRelationships = XML.declaration + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
    <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
    </Relationships>
    """

    static let documentRelationships = XML.declaration + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
    <Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
    <Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>\
    <Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>\
    </Relationships>
    """

    static func coreProperties(_ document: Document) -> String {
        let stamp = document.date.w3cStamp
        return XML.declaration + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
            + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "<dc:title>\(XML.escape(document.title))</dc:title><dc:language>vi-VN</dc:language>"
            + "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:created>"
            + "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:modified></cp:coreProperties>"
    }

    static let appProperties = XML.declaration + """
    <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>DVK</Application></Properties>
    """

    static let styles = XML.declaration + "<w:styles \(w)><w:docDefaults><w:rPrDefault>"
        + runProperties(bold: false, italic: false, size: 14).replacingOccurrences(of: "</w:rPr>", with: "<w:lang w:val=\"vi-VN\"/></w:rPr>")
        + "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
        + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
        // Word's built-in headings, looking as the document's own (black, Times New Roman,
        // bold; size and spacing come with each paragraph), kept with what follows.
        + (1...3).map { n in
            "<w:style w:type=\"paragraph\" w:styleId=\"Heading\(n)\"><w:name w:val=\"heading \(n)\"/><w:basedOn w:val=\"Normal\"/>"
                + "<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"\(n - 1)\"/></w:pPr>"
                + "<w:rPr><w:b/><w:bCs/><w:color w:val=\"000000\"/></w:rPr></w:style>"
        }.joined()
        + "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/>"
        + "<w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
        + "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
        + "</w:styles>"

    static let settings = XML.declaration + "<w:settings \(w)><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
        + "<w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat>"
        + "<w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>"
        + "</w:compat></w:settings>"

    /// Page 2 on: the PAGE field, 14 pt, centred.
    static let pageNumberHeader = XML.declaration + "<w:hdr \(w) \(r)><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
        + "<w:r>\(runProperties(bold: false, italic: false, size: 14))<w:fldChar w:fldCharType=\"begin\"/></w:r>"
        + "<w:r>\(runProperties(bold: false, italic: false, size: 14))<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
        + "<w:r>\(runProperties(bold: false, italic: false, size: 14))<w:fldChar w:fldCharType=\"separate\"/></w:r>"
        + "<w:r>\(runProperties(bold: false, italic: false, size: 14))<w:t>2</w:t></w:r>"
        + "<w:r>\(runProperties(bold: false, italic: false, size: 14))<w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>"

    /// Page 1 has no number (w:titlePg selects this empty header for it).
    static let emptyHeader = XML.declaration + "<w:hdr \(w) \(r)><w:p/></w:hdr>"
}
