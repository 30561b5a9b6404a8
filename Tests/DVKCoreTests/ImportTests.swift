import Foundation
import Testing
@testable import DVKCore

@Suite struct CSVTests {
    @Test func readsQuotesCommasLineBreaksBomAndCRLF() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"line1\r\nline2\"\r\n2,\"say \"\"hi\"\"\",\r\n\r\n3,z,w"
        let table = try CSVTable(data: Data(text.utf8))
        #expect(table.header == ["a", "b", "c"])
        #expect(table.records.map(\.line) == [2, 4, 6])
        #expect(table.records[0].fields == ["1", "x, y", "line1\r\nline2"])
        #expect(table.records[1].fields == ["2", "say \"hi\"", ""])
        #expect(table.records[2].fields == ["3", "z", "w"])
    }

    @Test func anUnclosedQuoteNamesItsLine() {
        #expect(throws: DomainError.badFile([LineError(line: 3, reasons: ["dấu ngoặc kép mở ở dòng này không được đóng"])])) {
            try CSVTable(text: "a,b\n1,2\n3,\"oops\n4,5\n")
        }
    }

    /// The reader works on UTF-8 bytes; the reader it replaced, scalar by scalar, is the
    /// oracle: the same records, lines and fields, and the same refusal (line, column,
    /// limit), for random text made of quotes, delimiters, every line end, letters of one to
    /// four bytes and combining marks, under limits small enough to be hit.
    @Test func theByteReaderReadsAsTheScalarReaderDid() {
        let pieces = ["a", "Z", "0", " ", "ệ", "Ư", "đ", "\u{0301}", "\u{1F44D}", "\u{FFFF}", "\u{2028}", "\u{0}",
                      "\"", "\"\"", ",", ";", "\t", "\n", "\r", "\r\n", "Thủy", "x,y"]
        var generator = SystemRandomNumberGenerator()
        var refused = 0, read = 0
        for round in 0..<4_000 {
            let text = (0..<Int.random(in: 0...60, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let limits = round % 2 == 0 ? SpreadsheetLimits(bytes: 4_000, records: 6, columns: 4, cellLength: 5) : .upload
            for delimiter in [",", ";", "\t"] as [Unicode.Scalar] {
                let expected = Result { try Self.scalarReader(text, delimiter: delimiter, limits: limits) }
                let actual = Result { try CSVTable.parse(text, delimiter: UInt8(delimiter.value), limits: limits) }
                switch (expected, actual) {
                case (.success(let e), .success(let a)):
                    read += 1
                    #expect(e.map(\.line) == a.map(\.line), "\(text.debugDescription)")
                    #expect(e.map(\.fields) == a.map(\.fields), "\(text.debugDescription)")
                case (.failure(let e), .failure(let a)):
                    refused += 1
                    #expect(e as? DomainError == a as? DomainError, "\(text.debugDescription)")
                default:
                    Issue.record("\(text.debugDescription): \(expected) against \(actual)")
                }
            }
        }
        // Both outcomes were tried many times.
        #expect(refused > 1_000 && read > 1_000, "\(refused) refused, \(read) read")
    }

    /// The reader before 2026-12-04, scalar by scalar.
    static func scalarReader(_ text: String, delimiter: Unicode.Scalar, limits: SpreadsheetLimits) throws -> [CSVTable.Record] {
        var records: [CSVTable.Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var fieldLength = 0, column = 1, line = 1, recordLine = 1, quoteOpenedAt = 0
        var inQuotes = false, atFieldStart = true
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return scalars.next()
        }
        func peek() -> Unicode.Scalar? {
            if pending == nil { pending = scalars.next() }
            return pending
        }
        func append(_ c: Unicode.Scalar) throws {
            fieldLength += 1
            guard fieldLength <= limits.cellLength else { throw limits.cellTooLong(line: recordLine, column: column) }
            field.append(c)
        }
        func endField() throws {
            if column <= limits.columns {
                fields.append(String(field))
            } else if !field.isEmpty {
                throw limits.tooManyColumns(line: recordLine, column: column)
            }
            column += 1
            field = String.UnicodeScalarView()
            fieldLength = 0
            atFieldStart = true
        }
        func endRecord() throws {
            try endField()
            guard records.count <= limits.records else { throw limits.tooManyRecords }
            records.append(CSVTable.Record(line: recordLine, fields: fields))
            fields = []
            column = 1
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if peek() == "\"" { _ = next(); try append("\"") } else { inQuotes = false }
                } else {
                    try append(c)
                    if c == "\n" || (c == "\r" && peek() != "\n") { line += 1 }
                }
            } else {
                switch c {
                case "\"" where atFieldStart:
                    inQuotes = true
                    quoteOpenedAt = line
                    atFieldStart = false
                case delimiter:
                    try endField()
                case "\r", "\n":
                    if c == "\r", peek() == "\n" { _ = next() }
                    try endRecord()
                    line += 1
                    recordLine = line
                default:
                    try append(c)
                    atFieldStart = false
                }
            }
        }
        if inQuotes {
            throw DomainError.badFile([LineError(line: quoteOpenedAt, reasons: ["dấu ngoặc kép mở ở dòng này không được đóng"])])
        }
        if !field.isEmpty || !fields.isEmpty { try endRecord() }
        return records
    }

    @Test func writerQuotesWhatNeedsIt() {
        #expect(CSVWriter.write(header: ["a", "b"], rows: [["x,y", "say \"hi\""]]) == "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n")
    }
}

@Suite struct InitiativeImportTests {
    let a = UUID(), b = UUID(), outside = UUID()
    var units: [String: UnitRef] { ["A": UnitRef(id: a, isTarget: true), "B": UnitRef(id: b, isTarget: true), "X": UnitRef(id: outside, isTarget: false)] }

    @Test func foldsRepeatedKeysAndAcceptsEveryWayOfWriting() throws {
        let csv = """
        title,sector,registrant_name,registrant_kind,unit_code,submitted_at
        Mô hình 1,Văn hoá - xã hội,Tổ Hoà Bình,Tập thể,A,20/02/2024
        mô hình 1,van hoa xa hoi,tổ hòa bình,tap the,A,
        Mô hình 2,quốc phòng – an ninh,Nguyễn Thị Thuỷ,cá nhân,B,2024-02-15T09:30
        """
        let plan = try InitiativeImport.plan(try CSVTable(text: csv), sectors: Sector.defaults, units: units)
        #expect(plan.rows.count == 2)
        #expect(plan.repeated.map(\.line) == [3])
        #expect(plan.repeated.map(\.firstLine) == [2])
        #expect(plan.rows[1].draft.sectorCode == "an-ninh-quoc-phong")
        #expect(plan.rows[1].draft.kind == .individual)
        #expect(plan.rows[0].submittedAt == InstantParser.parse("2024-02-20"))
    }

    @Test func namesEveryBadLineAndWhy() {
        let csv = """
        unit_code,registrant_kind,registrant_name,sector,title,start_date
        A,tập thể,Tổ 1,kinh tế,OK,
        Q,tập thể,Tổ 1,kinh tế,Unknown unit,
        X,tập thể,Tổ 1,kinh tế,Outside,
        A,nhóm,Tổ 1,giáo dục,Bad kind and sector,
        A,cá nhân,,kinh tế,,31/02/2024
        """
        do {
            _ = try InitiativeImport.plan(try CSVTable(text: csv), sectors: Sector.defaults, units: units)
            Issue.record("expected an error")
        } catch let DomainError.badFile(lines, _) {
            #expect(lines.map(\.line) == [3, 4, 5, 6])
            // A unit outside the campaign and a code that does not exist get one answer.
            #expect(lines[0].reasons == ["không có đơn vị mã “Q” trong các đơn vị được phép nhập"])
            #expect(lines[1].reasons == ["không có đơn vị mã “X” trong các đơn vị được phép nhập"])
            #expect(lines[2].reasons.count == 2)
            #expect(lines[3].reasons.contains("thiếu tên mô hình (cột Tên mô hình)"))
            #expect(lines[3].reasons.contains("ngày bắt đầu “31/02/2024” không phải ngày hợp lệ (viết 20/02/2025) (cột Ngày bắt đầu)"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// A file big enough to be checked on several cores reads as one checked in order: its
    /// first row of a key is kept wherever the repeat falls, and bad lines are named in the
    /// file's order, the first ones shown with the count of all.
    @Test func aBigFileIsCheckedInTheFilesOrder() throws {
        let header = "unit_code,registrant_kind,registrant_name,sector,title\n"
        // Row i (line i + 2) repeats row i - 2,500 from the second half on.
        let good = (0..<5_000).map { i in "\(i % 2 == 0 ? "A" : "B"),tập thể,Tổ \(i % 2_500),kinh tế,Mô hình \(i % 2_500)" }
        let plan = try InitiativeImport.plan(try CSVTable(text: header + good.joined(separator: "\n")), sectors: Sector.defaults, units: units)
        #expect(plan.rows.map(\.line) == Array(2..<2_502))
        #expect(plan.repeated.map(\.line) == Array(2_502..<5_002))
        #expect(plan.repeated.map(\.firstLine) == Array(2..<2_502))

        var bad = good
        let badIndices = stride(from: 7, to: 5_000, by: 37).map { $0 }
        for i in badIndices { bad[i] = "Q,tập thể,Tổ,kinh tế,Sai \(i)" }
        do {
            _ = try InitiativeImport.plan(try CSVTable(text: header + bad.joined(separator: "\n")), sectors: Sector.defaults, units: units)
            Issue.record("expected an error")
        } catch let DomainError.badFile(lines, total) {
            #expect(total == badIndices.count)
            #expect(lines.map(\.line) == Array(badIndices.map { $0 + 2 }.prefix(lines.count)))
            #expect(lines.count == LineError.shown && badIndices.count > LineError.shown)
        }
    }

    @Test func missingColumnsAreNamed() {
        #expect(throws: DomainError.badFile([LineError(line: 1, reasons: ["thiếu cột bắt buộc: Lĩnh vực, Tên mô hình"])])) {
            try InitiativeImport.plan(try CSVTable(text: "unit_code,registrant_kind,registrant_name\n"), sectors: Sector.defaults, units: units)
        }
    }

    /// An upload from one unit's page needs no unit column, and a row may leave the cell
    /// empty; a row naming another unit is still refused. The CLI's file still needs it.
    @Test func anUploadForOneUnitNeedsNoUnitColumn() throws {
        let file = "Tập thể/Cá nhân,Tên tập thể/cá nhân,Lĩnh vực,Tên mô hình\nTập thể,Tổ Văn phòng,Lĩnh vực kinh tế,Sổ tay tiết kiệm\n"
        let plan = try InitiativeImport.plan(try CSVTable(text: file), sectors: Sector.defaults, units: units, defaultUnit: "A")
        #expect(plan.rows.map(\.unitID) == [a])
        #expect(throws: DomainError.self) { try InitiativeImport.plan(try CSVTable(text: file), sectors: Sector.defaults, units: units) }
        let mixed = "Mã đơn vị,Tập thể/Cá nhân,Tên tập thể/cá nhân,Lĩnh vực,Tên mô hình\n,Tập thể,Tổ 1,Lĩnh vực kinh tế,Một\nX,Tập thể,Tổ 2,Lĩnh vực kinh tế,Hai\n"
        do {
            _ = try InitiativeImport.plan(try CSVTable(text: mixed), sectors: Sector.defaults, units: units, defaultUnit: "A")
            Issue.record("a row of another unit was accepted")
        } catch DomainError.badFile(let lines, _) {
            #expect(lines.map(\.line) == [3])
        }
    }
}

@Suite struct UnitImportTests {
    @Test func ordersParentsFirstAndChecksParents() throws {
        let csv = """
        kind,code,name,parent_code
        grassroots,A,Trường A,LB
        federation,LB,LĐLĐ Long Biên,HN
        federation,HN,LĐLĐ Hà Nội,
        """
        let rows = try UnitImport.plan(try CSVTable(text: csv), existing: [:])
        #expect(rows.map(\.code) == ["HN", "LB", "A"])
    }

    @Test func refusesCodesThePagesUseAsPaths() {
        #expect(throws: DomainError.self) {
            try UnitImport.plan(try CSVTable(text: "code,name,kind\nnew,Đơn vị,federation\n"), existing: [:])
        }
        #expect(Code.validate("LB-GD") == "LB-GD")
        #expect(Code.validate("Import") == nil)
    }

    @Test func refusesMissingParentsGrassrootsParentsCyclesAndDuplicates() {
        let csv = """
        code,name,parent_code,kind
        A,A,ZZ,grassroots
        B,B,C,grassroots
        C,C,,grassroots
        D,D,E,federation
        E,E,D,federation
        C,C again,,grassroots
        """
        do {
            _ = try UnitImport.plan(try CSVTable(text: csv), existing: [:])
            Issue.record("expected an error")
        } catch let DomainError.badFile(lines, _) {
            // Line 4 too: C, a grassroots union, would have B below it.
            #expect(lines.map(\.line) == [2, 3, 4, 5, 6, 7])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

/// Files as Vietnamese offices save them: a semicolon or a tab between fields, UTF-16 from
/// "Unicode Text", headers in Vietnamese with or without diacritics; an old encoding is
/// refused with its probable name.
@Suite struct SpreadsheetCSVTests {
    let units = ["S1": UnitRef(id: UUID(), isTarget: true)]

    func plan(_ text: String) throws -> InitiativeImportPlan {
        try InitiativeImport.plan(try CSVTable(text: text), sectors: Sector.defaults, units: units)
    }

    @Test func theHeaderLineSaysWhichDelimiter() throws {
        #expect(try CSVTable(text: "a;b;c\n1;\"2;3\";4\n").records[0].fields == ["1", "2;3", "4"])
        #expect(try CSVTable(text: "a\tb\n1,5\t2\n").records[0].fields == ["1,5", "2"])
        #expect(try CSVTable(text: "a,b\n\"x;y\",2\n").records[0].fields == ["x;y", "2"])
        #expect(try CSVTable(text: "\"a;b\",c\n1,2\n").header == ["a;b", "c"])
    }

    @Test func vietnameseHeadersInAnyCaseWithOrWithoutDiacritics() throws {
        let semicolons = """
            Mã đơn vị;TẬP THỂ / CÁ NHÂN;Tên tập thể/cá nhân;linh vuc;Ten mo hinh;Ngày bắt đầu
            S1;Tập thể;Tổ Công đoàn Văn phòng;Lĩnh vực kinh tế;Sáng kiến tiết kiệm điện;06/02/2024

            """
        let rows = try plan(semicolons).rows
        #expect(rows.count == 1)
        #expect(rows[0].draft.title == "Sáng kiến tiết kiệm điện" && rows[0].draft.kind == .collective)
        #expect(rows[0].draft.startDate == CalendarDay(year: 2024, month: 2, day: 6))
        #expect(rows[0].line == 2)
        #expect(try plan("unit_code,registrant_kind,registrant_name,sector,title\nS1,cá nhân,Nguyễn Văn A,kinh-te,Lớp học số\n").rows.count == 1)
    }

    @Test func anUnknownColumnIsNamedWithTheVietnameseOnes() {
        do {
            _ = try plan("Mã đơn vị,Tập thể/Cá nhân,Tên tập thể/cá nhân,Lĩnh vực,Tên mô hình,Ghi chú\n")
            Issue.record("accepted")
        } catch let error as DomainError {
            #expect(error.message.contains("cột không dùng được: Ghi chú"))
            #expect(error.message.contains("Mã đơn vị, Tập thể/Cá nhân"))
        } catch { Issue.record("\(error)") }
    }

    @Test func utf16FromUnicodeTextIsRead() throws {
        var data = Data([0xFF, 0xFE])
        data.append("Mã đơn vị\tTên mô hình\r\nS1\tLớp học số\r\n".data(using: .utf16LittleEndian)!)
        let table = try CSVTable(data: data)
        #expect(table.header == ["Mã đơn vị", "Tên mô hình"] && table.records[0].fields == ["S1", "Lớp học số"])
    }

    @Test func anOldEncodingIsRefusedSayingWhatToDo() {
        // "Lĩnh vực" in Windows-1258 bytes is not UTF-8.
        let data = Data([0x4C, 0xEC, 0x6E, 0x68, 0x20, 0x76, 0xF0, 0x63, 0x0A])
        #expect(throws: DomainError.self) { try CSVTable(data: data) }
        do { _ = try CSVTable(data: data) } catch let error as DomainError {
            #expect(error.message.contains("Windows-1258") && error.message.contains("CSV UTF-8") && error.message.contains(".xlsx"))
        } catch { Issue.record("\(error)") }
    }

    @Test func aUnitsFileInVietnamese() throws {
        let rows = try UnitImport.plan(try CSVTable(text: "Mã đơn vị;Tên đơn vị;Mã đơn vị cấp trên;Loại đơn vị;Email\nX1;Trường A;;grassroots;a@b.vn\n"),
                                       existing: [:])
        #expect(rows.map(\.code) == ["X1"] && rows[0].email == "a@b.vn")
    }

    @Test func continuityIsWrittenInWords() {
        #expect(Continuity(parsing: "Mới") == .new)
        #expect(Continuity(parsing: "moi") == .new)
        #expect(Continuity(parsing: "Duy trì") == .continues)
        #expect(Continuity(parsing: "Duy trì, nhân rộng mô hình đã được công nhận") == .continues)
        #expect(Continuity(parsing: "continues") == .continues)
        #expect(Continuity(parsing: "cũ") == nil)
    }
}

/// The CSV reader counts what it reads against its limits and names the first line past one.
@Suite struct CSVLimitsTests {
    let small = SpreadsheetLimits(bytes: 10_000, records: 3, columns: 4, cellLength: 20)

    func refusal(_ text: String) -> DomainError? {
        do { _ = try CSVTable(text: text, limits: small); return nil } catch let error as DomainError { return error } catch { return nil }
    }

    @Test func aCellLongerThanACellMayBeIsRefusedNamingItsLineAndColumn() {
        #expect(refusal("a,b\n1,\(String(repeating: "x", count: 21))\n")?.message.contains("Dòng 2: ô ở cột thứ 2 dài quá 20 ký tự") == true)
        // One line of 50 MB stops at the first cell's limit, long before the end.
        let line = String(repeating: "y", count: 50_000_000)
        #expect(throws: DomainError.self) { try CSVTable(text: "a\n" + line, limits: .file) }
    }

    @Test func cellsPastTheLastColumnAreRefusedWhenFilledAndDroppedWhenEmpty() throws {
        #expect(refusal("a,b,c,d,e\n")?.message.contains("cột thứ 5") == true)
        let roomy = SpreadsheetLimits(bytes: 1 << 20, records: 3, columns: 4, cellLength: 20)
        let table = try CSVTable(text: "a,b\n1,2" + String(repeating: ",", count: 100_000) + "\n", limits: roomy)
        #expect(table.records[0].fields == ["1", "2", "", ""])
    }

    @Test func moreRecordsOrBytesThanTheLimitAreRefused() {
        #expect(refusal("a\n1\n2\n3\n")?.message == nil)
        #expect(refusal("a\n1\n2\n3\n4\n") == small.tooManyRecords)
        #expect(refusal(String(repeating: "a,", count: 6_000)) == small.tooManyBytes)
        #expect(small.tooManyBytes.message.contains("vượt quá 9,8 kB"))
        #expect(SpreadsheetLimits.upload.tooManyBytes.message.contains("vượt quá 50 MB"))
    }
}
