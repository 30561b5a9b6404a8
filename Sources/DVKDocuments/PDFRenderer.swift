import CPangoCairo
import DVKCore
import Foundation

/// Renders a `Document` to PDF with Cairo and Pango in Liberation Serif (metric-compatible
/// with Times New Roman), embedded and subset by Cairo.
///
/// Every C object lives inside one call of `render`: Sendable values in, `Data` out. The
/// call measures every block first (Pango layouts), then breaks pages and draws, then
/// frees everything.
enum PDFRenderer {
    static let family = "Liberation Serif"

    static func render(_ document: Document) throws -> Data {
        let sink = PDFSink()
        let closure = Unmanaged.passRetained(sink)
        defer { closure.release() }
        let page = document.page
        guard let surface = cairo_pdf_surface_create_for_stream({ closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, closure.toOpaque(), page.width, page.height) else {
            throw DocumentError.renderFailed("Cairo không tạo được trang PDF")
        }
        defer { cairo_surface_destroy(surface) }
        // Fixed metadata: no clock is read, so the same document gives the same bytes.
        let stamp = document.date.w3cStamp.replacingOccurrences(of: "Z", with: "")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "DVK")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, stamp)
        guard let cr = cairo_create(surface) else { throw DocumentError.renderFailed("Cairo không tạo được bút vẽ") }
        defer { cairo_destroy(cr) }
        guard let context = pango_cairo_create_context(cr) else { throw DocumentError.renderFailed("Pango không khởi tạo được") }
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        // Points, not the 96 dpi screen default; no hinting, so glyph advances are the
        // font's own and lines break the same way on every machine.
        pango_cairo_context_set_resolution(context, 72)
        if let options = cairo_font_options_create() {
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
            pango_cairo_context_set_font_options(context, options)
            cairo_font_options_destroy(options)
        }

        let typesetter = Typesetter(context: context)
        defer { typesetter.freeAll() }
        try typesetter.checkFont()

        var pager = Pager(cr: cr, page: page, typesetter: typesetter, pageNumbers: document.pageNumbers)
        pager.beginFirstPage()
        let measured = document.blocks.map { typesetter.measure($0, width: page.contentWidth) }
        for (index, block) in measured.enumerated() {
            let next = index + 1 < measured.count ? measured[index + 1] : nil
            let afterNext = index + 2 < measured.count ? measured[index + 2] : nil
            pager.place(block, next: next, afterNext: afterNext)
        }
        cairo_show_page(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw DocumentError.renderFailed("Cairo báo lỗi \(String(cString: cairo_status_to_string(status)))")
        }
        return sink.data
    }
}

/// Collects the bytes Cairo streams out. Only touched inside one `render` call.
private final class PDFSink {
    var data = Data()
}

// MARK: - Measuring

/// One line of a Pango layout, or a gap, or a rule: the unit that page breaking moves.
private struct FlowItem {
    enum Content {
        case line(OpaquePointer, x: Double, baseline: Double)
        case gap
        /// A centred rule of this length, across a width starting at the item's x.
        case rule(length: Double, width: Double)
        /// A centred QR code, `side` points square, across a width.
        case qr(QRMatrix, side: Double, width: Double)
    }

    var content: Content
    var height: Double
    /// Where the item starts horizontally inside its column.
    var x: Double = 0
    /// A gap that may be dropped at the top of a page.
    var isGap: Bool { if case .gap = content { return true } else { return false } }
}

private struct MeasuredParagraph {
    var items: [FlowItem]
    var keepWithNext: Bool
    var pageBreakBefore = false
    var restartsPageNumbers = false
    var firstLineHeight: Double { items.first { !$0.isGap }?.height ?? 0 }
}

private struct MeasuredCell {
    var placed: TableGrid.Placed
    var x: Double
    var width: Double
    var items: [FlowItem]
    var contentHeight: Double { items.reduce(0) { $0 + $1.height } }
}

private struct MeasuredRow {
    var cells: [MeasuredCell]
    var height: Double
    var role: RowRole
}

/// Rows that must stay together: all header rows, or rows tied by a vertical merge.
private struct RowUnit {
    var rows: [MeasuredRow]
    /// A group heading's depth, and the heading as it opens a page the group runs onto.
    var level = 0
    var continued: MeasuredRow?
    var height: Double { rows.reduce(0) { $0 + $1.height } }
    var role: RowRole { rows.first?.role ?? .body }
}

private struct MeasuredTable {
    var table: Table
    var header: RowUnit?
    var units: [RowUnit]
    var borders: Bool
    var x: Double
    var width: Double
}

private enum MeasuredBlock {
    case paragraph(MeasuredParagraph)
    case table(MeasuredTable)

    /// The least that must fit below a "keep with next" block: a first line or the
    /// table's header and first row.
    var leadHeight: Double {
        switch self {
        case .paragraph(let p): p.items.prefix { $0.isGap }.reduce(0) { $0 + $1.height } + p.firstLineHeight
        case .table(let t):
            t.table.spaceBefore + (t.header?.height ?? 0) + min(t.units.first?.height ?? 0, 60)
        }
    }
}

/// Turns model paragraphs into Pango layouts and flow items. Keeps every layout until
/// `freeAll`, since flow items point at their lines.
private final class Typesetter {
    let context: OpaquePointer
    private var layouts: [OpaquePointer] = []
    private let font: OpaquePointer

    init(context: OpaquePointer) {
        self.context = context
        font = pango_font_description_new()
        pango_font_description_set_family(font, PDFRenderer.family)
        pango_font_description_set_size(font, 14 * PANGO_SCALE)
    }

    func freeAll() {
        for layout in layouts { g_object_unref(UnsafeMutableRawPointer(layout)) }
        layouts.removeAll()
        pango_font_description_free(font)
    }

    /// Fails unless fontconfig really gives Liberation Serif for all four styles: a
    /// silently substituted font would change every line break and the embedded font.
    func checkFont() throws {
        guard let probe = pango_font_description_copy(font) else { throw DocumentError.renderFailed("Pango không tạo được mô tả phông") }
        defer { pango_font_description_free(probe) }
        for (weight, style) in [(PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL), (PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL),
                                (PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC), (PANGO_WEIGHT_BOLD, PANGO_STYLE_ITALIC)] {
            pango_font_description_set_weight(probe, weight)
            pango_font_description_set_style(probe, style)
            var resolved = "(không có)"
            if let loaded = pango_context_load_font(context, probe) {
                defer { g_object_unref(UnsafeMutableRawPointer(loaded)) }
                if let description = pango_font_describe(loaded) {
                    defer { pango_font_description_free(description) }
                    if let name = pango_font_description_get_family(description) { resolved = String(cString: name) }
                }
            }
            guard resolved == PDFRenderer.family else {
                throw DocumentError.fontMissing(family: PDFRenderer.family, resolved: resolved)
            }
        }
    }

    /// A laid-out paragraph `width` points wide as flow items (x relative to the column).
    func measure(_ paragraph: Paragraph, width: Double) -> MeasuredParagraph {
        var items: [FlowItem] = []
        if paragraph.spaceBefore > 0 { items.append(FlowItem(content: .gap, height: paragraph.spaceBefore)) }
        let layout = makeLayout(paragraph, width: width)
        if let iterator = pango_layout_get_iter(layout) {
            defer { pango_layout_iter_free(iterator) }
            var tops: [(line: OpaquePointer, x: Double, top: Double, height: Double, baseline: Double)] = []
            repeat {
                var logical = PangoRectangle()
                pango_layout_iter_get_line_extents(iterator, nil, &logical)
                let baseline = Double(pango_layout_iter_get_baseline(iterator)) / Double(PANGO_SCALE)
                if let line = pango_layout_iter_get_line_readonly(iterator) {
                    let top = Double(logical.y) / Double(PANGO_SCALE)
                    tops.append((OpaquePointer(line), Double(logical.x) / Double(PANGO_SCALE), top,
                                 Double(logical.height) / Double(PANGO_SCALE), baseline - top))
                }
            } while pango_layout_iter_next_line(iterator) != 0
            for (i, line) in tops.enumerated() {
                // A line's height is the distance to the next one (line spacing included).
                let height = i + 1 < tops.count ? tops[i + 1].top - line.top : line.height
                items.append(FlowItem(content: .line(line.line, x: line.x, baseline: line.baseline), height: height))
            }
        }
        if let length = paragraph.ruleBelow {
            items.append(FlowItem(content: .rule(length: min(length, width), width: width), height: 6))
        }
        if let qr = paragraph.qr {
            let side = min(qr.side, width)
            items.append(FlowItem(content: .qr(qr.code, side: side, width: width), height: side + 6))
        }
        if paragraph.spaceAfter > 0 { items.append(FlowItem(content: .gap, height: paragraph.spaceAfter)) }
        return MeasuredParagraph(items: items, keepWithNext: paragraph.keepWithNext, pageBreakBefore: paragraph.pageBreakBefore,
                                 restartsPageNumbers: paragraph.restartsPageNumbers)
    }

    private func makeLayout(_ paragraph: Paragraph, width: Double) -> OpaquePointer {
        let layout = pango_layout_new(context)!
        layouts.append(layout)
        let description = pango_font_description_copy(font)
        pango_font_description_set_size(description, Int32((paragraph.size * Double(PANGO_SCALE)).rounded()))
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)
        pango_layout_set_width(layout, Int32((max(1, width) * Double(PANGO_SCALE)).rounded()))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        switch paragraph.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        case .justified:
            pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
            pango_layout_set_justify(layout, 1)
        }
        if paragraph.firstLineIndent != 0 {
            pango_layout_set_indent(layout, Int32((paragraph.firstLineIndent * Double(PANGO_SCALE)).rounded()))
        }
        if paragraph.lineSpacing != 1 { pango_layout_set_line_spacing(layout, Float(paragraph.lineSpacing)) }
        // Text and attributes by UTF-8 byte ranges, one range per run.
        var text = ""
        let attributes = pango_attr_list_new()
        for run in paragraph.runs {
            let start = UInt32(text.utf8.count)
            text += TextRule.tamed(run.text)
            let end = UInt32(text.utf8.count)
            guard end > start else { continue }
            func add(_ attribute: UnsafeMutablePointer<PangoAttribute>?) {
                guard let attribute else { return }
                attribute.pointee.start_index = start
                attribute.pointee.end_index = end
                pango_attr_list_insert(attributes, attribute)
            }
            if run.bold { add(pango_attr_weight_new(PANGO_WEIGHT_BOLD)) }
            if run.italic { add(pango_attr_style_new(PANGO_STYLE_ITALIC)) }
            if let size = run.size { add(pango_attr_size_new(Int32((size * Double(PANGO_SCALE)).rounded()))) }
        }
        pango_layout_set_text(layout, text, Int32(text.utf8.count))
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)
        return layout
    }

    func measure(_ block: Block, width: Double) -> MeasuredBlock {
        switch block {
        case .paragraph(let p): return .paragraph(measure(p, width: width))
        case .table(let t): return .table(measure(t, width: width))
        }
    }

    func measure(_ table: Table, width: Double) -> MeasuredTable {
        let grid = TableGrid(table)
        let widths = table.columnWidths(for: width + table.outset)
        var offsets: [Double] = [0]
        for w in widths { offsets.append((offsets.last ?? 0) + w) }
        let verticalPadding = table.borders ? 2.0 : 0.0
        func measureRow(_ starts: [TableGrid.Placed], role: RowRole) -> MeasuredRow {
            var cells: [MeasuredCell] = []
            var height = 0.0
            for placed in starts {
                let x = offsets[placed.column]
                let cellWidth = offsets[placed.column + placed.columnSpan] - x
                let inner = cellWidth - 2 * table.cellPadding
                var items: [FlowItem] = [FlowItem(content: .gap, height: verticalPadding)]
                for paragraph in placed.cell.paragraphs {
                    items += measure(paragraph, width: inner).items.map { var item = $0; item.x = table.cellPadding; return item }
                }
                items.append(FlowItem(content: .gap, height: verticalPadding))
                let cell = MeasuredCell(placed: placed, x: x, width: cellWidth, items: items)
                if placed.rowSpan == 1 { height = max(height, cell.contentHeight) }
                cells.append(cell)
            }
            return MeasuredRow(cells: cells, height: max(height, 1), role: role)
        }
        var rows = table.rows.indices.map { measureRow(grid.starts[$0], role: table.rows[$0].role) }
        // A group heading as repeated on the next page, “(tiếp)” added.
        func continuation(_ r: Int) -> MeasuredRow? {
            var starts = grid.starts[r]
            guard table.rows[r].role == .group, !starts.isEmpty, let first = table.rows[r].continued.cells.first else { return nil }
            starts[0].cell.paragraphs = first.paragraphs
            return measureRow(starts, role: .group)
        }
        // A cell merged down over several rows may need more room than those rows give:
        // the last row it covers grows.
        for (r, row) in rows.enumerated() {
            for cell in row.cells where cell.placed.rowSpan > 1 {
                let last = r + cell.placed.rowSpan - 1
                let available = rows[r...last].reduce(0) { $0 + $1.height }
                if cell.contentHeight > available { rows[last].height += cell.contentHeight - available }
            }
        }
        // Units: the header rows together, then rows tied together by vertical merges.
        let headerCount = table.headerRowCount
        let header = headerCount > 0 ? RowUnit(rows: Array(rows[0..<headerCount])) : nil
        var units: [RowUnit] = []
        var r = headerCount
        while r < rows.count {
            var end = r
            var k = r
            while k <= end {
                for cell in rows[k].cells { end = max(end, k + cell.placed.rowSpan - 1) }
                k += 1
            }
            end = min(end, rows.count - 1)
            units.append(RowUnit(rows: Array(rows[r...end]), level: table.rows[r].level, continued: continuation(r)))
            r = end + 1
        }
        return MeasuredTable(table: table, header: header, units: units, borders: table.borders, x: -table.outset / 2,
                             width: width + table.outset)
    }
}

// MARK: - Page breaking and drawing

private struct Pager {
    let cr: OpaquePointer
    let page: PageSetup
    let typesetter: Typesetter
    let pageNumbers: Bool
    var pageIndex = 1
    var y: Double = 0
    /// True until something is drawn on the current page (gaps at a page top are dropped).
    var pageIsEmpty = true

    init(cr: OpaquePointer, page: PageSetup, typesetter: Typesetter, pageNumbers: Bool) {
        self.cr = cr
        self.page = page
        self.typesetter = typesetter
        self.pageNumbers = pageNumbers
    }

    var left: Double { mm(page.leftMM) }
    var top: Double { mm(page.topMM) }
    var bottom: Double { page.height - mm(page.bottomMM) }
    var remaining: Double { bottom - y }

    mutating func beginFirstPage() {
        y = top
        pageIsEmpty = true
        cairo_set_source_rgb(cr, 0, 0, 0)
    }

    /// A new page; `restartingNumbers`: an annex's page 1, unnumbered as a first page is.
    mutating func newPage(restartingNumbers: Bool = false) {
        cairo_show_page(cr)
        pageIndex = restartingNumbers ? 1 : pageIndex + 1
        y = top
        pageIsEmpty = true
        if pageNumbers, !restartingNumbers { drawPageNumber() }
    }

    /// Arabic, 14 pt, centred over the text, 10 mm from the paper's top edge (as in the DOCX).
    func drawPageNumber() {
        let number = Paragraph(String(pageIndex), alignment: .center, size: 14)
        let measured = typesetter.measure(number, width: page.contentWidth)
        var yy = min(mm(10), top / 2)
        for item in measured.items {
            draw(item, x: left, y: yy)
            yy += item.height
        }
    }

    mutating func place(_ block: MeasuredBlock, next: MeasuredBlock?, afterNext: MeasuredBlock? = nil) {
        switch block {
        case .paragraph(let p):
            if p.pageBreakBefore || p.restartsPageNumbers {
                if !pageIsEmpty { newPage(restartingNumbers: p.restartsPageNumbers) } else if p.restartsPageNumbers { pageIndex = 1 }
            }
            // The paragraph before a signature block goes with it: the signature is never
            // alone on a page.
            if let signature = Self.signature(next), !pageIsEmpty {
                let needed = p.items.reduce(0) { $0 + $1.height } + signature
                if needed > remaining, needed <= bottom - top { newPage() }
            }
            if p.keepWithNext, !pageIsEmpty {
                let needed = p.items.reduce(0) { $0 + $1.height } + (next?.leadHeight ?? 0)
                if needed > remaining, needed <= bottom - top { newPage() }
            }
            placeItems(p.items, x: left)
        case .table(let t):
            // A signature right after the table, or after one closing paragraph ("Tổng số: …").
            var tail = Self.signature(next) ?? 0
            if tail == 0, case .paragraph(let p)? = next, let signature = Self.signature(afterNext) {
                tail = p.items.reduce(0) { $0 + $1.height } + signature
            }
            place(t, tail: tail)
        }
    }

    /// The whole height of `block` when it is a signature block (a borderless table kept
    /// together, after the body), else nil.
    static func signature(_ block: MeasuredBlock?) -> Double? {
        guard case .table(let t)? = block, t.table.isSignatureBlock else { return nil }
        return t.table.spaceBefore + (t.header?.height ?? 0) + t.units.reduce(0) { $0 + $1.height }
    }

    mutating func placeItems(_ items: [FlowItem], x: Double) {
        for item in items {
            if item.isGap {
                if !pageIsEmpty { y += item.height }
                continue
            }
            if item.height > remaining, !pageIsEmpty { newPage() }
            draw(item, x: x, y: y)
            y += item.height
            pageIsEmpty = false
        }
    }

    func draw(_ item: FlowItem, x: Double, y: Double) {
        switch item.content {
        case let .line(line, lineX, baseline):
            cairo_move_to(cr, x + item.x + lineX, y + baseline)
            pango_cairo_show_layout_line(cr, UnsafeMutablePointer(line))
        case let .rule(length, width):
            let start = x + item.x + (width - length) / 2
            cairo_set_line_width(cr, 0.6)
            cairo_move_to(cr, start, y + 3)
            cairo_line_to(cr, start + length, y + 3)
            cairo_stroke(cr)
        case let .qr(code, side, width):
            // The modules and a quiet zone of 4 on each side, in black squares.
            let module = side / Double(code.size + 8)
            let left = x + item.x + (width - side) / 2 + 4 * module, top = y + 3 + 4 * module
            for row in 0..<code.size {
                for column in 0..<code.size where code[row, column] {
                    cairo_rectangle(cr, left + Double(column) * module, top + Double(row) * module, module, module)
                }
            }
            cairo_fill(cr)
        case .gap:
            break
        }
    }

    /// Places a table; `tail` is the height of a signature block right after it, which the
    /// table's last row goes to the next page with rather than leave it alone there.
    mutating func place(_ t: MeasuredTable, tail: Double = 0) {
        let full = bottom - top
        let headerHeight = t.header?.height ?? 0
        if !pageIsEmpty { y += t.table.spaceBefore }
        if t.table.keepTogether, !pageIsEmpty {
            let total = headerHeight + t.units.reduce(0) { $0 + $1.height }
            if total > remaining, total <= full { newPage() }
        }
        // The header and the first row start together.
        let lead = headerHeight + (t.units.first?.height ?? 0)
        if !pageIsEmpty, lead > remaining, lead <= full { newPage() }
        if let header = t.header { draw(header, table: t) }
        // The group headings above the current row, outermost first.
        var open: [RowUnit] = []
        for (index, unit) in t.units.enumerated() {
            switch unit.role {
            case .group: open.removeAll { $0.level >= unit.level }
            case .body: break
            default: open.removeAll()  // a "Tổng" row belongs to no group
            }
            // What a new page starts with before this row: the header, then "(tiếp)" headings.
            let repeated = open.compactMap(\.continued)
            let lead = headerHeight + repeated.reduce(0) { $0 + $1.height }
            var needed = unit.height
            // A heading row stays with the headings under it and the first row after them.
            if unit.role == .group {
                var next = index + 1
                while next < t.units.count, t.units[next].role == .group, t.units[next].level > unit.level {
                    needed += t.units[next].height
                    next += 1
                }
                if next < t.units.count, t.units[next].role == .body { needed += min(t.units[next].height, 60) }
            }
            // The last row and the signature after it share a page when they fit on one.
            if tail > 0, index == t.units.count - 1, lead + unit.height + t.table.spaceAfter + tail <= full {
                needed += t.table.spaceAfter + tail
            }
            if needed > remaining {
                if unit.rows.count == 1, unit.height + lead > full {
                    drawSplit(unit.rows[0], table: t, repeating: repeated)
                    continue
                }
                // Only move on when the page holds more than this table's repeated header.
                if y > top + headerHeight + 0.5 {
                    startPage(t, repeating: repeated)
                }
            }
            draw(unit, table: t)
            if unit.role == .group { open.append(unit) }
        }
        y += t.table.spaceAfter
    }

    mutating func draw(_ unit: RowUnit, table t: MeasuredTable) {
        var rowTops: [Double] = []
        var yy = y
        for row in unit.rows {
            rowTops.append(yy)
            yy += row.height
        }
        for (i, row) in unit.rows.enumerated() {
            for cell in row.cells {
                let span = min(cell.placed.rowSpan, unit.rows.count - i)
                let height = unit.rows[i..<(i + span)].reduce(0) { $0 + $1.height }
                drawCell(cell, items: cell.items, x: left + t.x + cell.x, y: rowTops[i], height: height,
                         center: cell.placed.cell.verticalAlignment == .center, borders: t.borders)
            }
        }
        y = yy
        pageIsEmpty = false
    }

    /// A row taller than a page: each cell's lines run on over as many pages as needed,
    /// with the header rows repeated.
    mutating func drawSplit(_ row: MeasuredRow, table t: MeasuredTable, repeating: [MeasuredRow]) {
        var pending = row.cells.map { $0.items }
        while true {
            if remaining < 40 { startPage(t, repeating: repeating) }
            let available = remaining
            var pieces: [[FlowItem]] = []
            var height = 0.0
            for i in pending.indices {
                var used = 0.0
                var count = 0
                for item in pending[i] {
                    if used + item.height > available, count > 0 { break }
                    used += item.height
                    count += 1
                }
                pieces.append(Array(pending[i].prefix(count)))
                pending[i].removeFirst(count)
                height = max(height, used)
            }
            for (i, cell) in row.cells.enumerated() {
                drawCell(cell, items: pieces[i], x: left + t.x + cell.x, y: y, height: height, center: false, borders: t.borders)
            }
            y += height
            pageIsEmpty = false
            if pending.allSatisfy({ $0.isEmpty }) { break }
            startPage(t, repeating: repeating)
        }
    }

    /// A new page inside a table: its header rows, then the headings of the groups still
    /// open, marked “(tiếp)”.
    mutating func startPage(_ t: MeasuredTable, repeating: [MeasuredRow]) {
        newPage()
        if let header = t.header { draw(header, table: t) }
        for row in repeating { draw(RowUnit(rows: [row]), table: t) }
    }

    func drawCell(_ cell: MeasuredCell, items: [FlowItem], x: Double, y top: Double, height: Double, center: Bool, borders: Bool) {
        if borders {
            cairo_set_line_width(cr, 0.5)
            cairo_rectangle(cr, x, top, cell.width, height)
            cairo_stroke(cr)
        }
        let content = items.reduce(0) { $0 + $1.height }
        var yy = top + (center ? max(0, (height - content) / 2) : 0)
        for item in items {
            draw(item, x: x, y: yy)
            yy += item.height
        }
    }
}
