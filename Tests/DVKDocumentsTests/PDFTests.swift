import DVKCore
import DVKDocuments
import Foundation
import Testing

@Suite("PDF read back by poppler")
struct PDFTests {
    /// An invitation's link stays on one line whatever its token's letters, so that it is
    /// copied whole: at 12 pt a token full of wide letters wrapped (CI, 2026-12-03).
    @Test func anInvitationsLinkIsOneLineWhateverItsLetters() throws {
        let dir = try Oracle.temporaryDirectory()
        for token in [String(repeating: "W", count: 43), String(repeating: "i", count: 43), "0FD58KZMeHKD8OMhXxwprV1EWnwEZOofMQsd9FJyvsQ"] {
            let link = "http://127.0.0.1:40339/invite/" + token
            let letter = OfficialDocuments.invitationLetters([InvitationLetterInput(
                issuer: "Liên đoàn Lao động quận Long Biên", place: "Long Biên", date: CalendarDay(year: 2026, month: 12, day: 4),
                purpose: .invitation, personName: "Lương Thị Thư", username: "thu.lt", roleLabel: "Cán bộ", unitName: "Trường Mầm non Bồ Đề",
                link: link, validUntil: "11/12/2026")])
            let file = try Oracle.write(letter, as: .pdf, name: "letter-\(token.prefix(3))", in: dir)
            let lines = try Oracle.pdfText(file).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains(link), "\(token.prefix(5))…")
            #expect(try Oracle.pdfPages(file) == 1)
        }
    }

    @Test func onlyLiberationSerifEmbeddedAndSubset() throws {
        let dir = try Oracle.temporaryDirectory()
        for (name, document) in Samples.all {
            let listing = try Oracle.run("pdffonts", [try Oracle.write(document, as: .pdf, name: name, in: dir)])
            let fonts = listing.split(separator: "\n").dropFirst(2)
            #expect(!fonts.isEmpty, "\(name)")
            for line in fonts {
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                // "ABCDEF+LiberationSerif-Bold  CID TrueType  Identity-H  yes yes yes  9  0"
                let font = String(columns[0])
                #expect(font.contains("+LiberationSerif"), "\(name): \(font)")
                #expect(Array(columns.suffix(5).prefix(3)) == ["yes", "yes", "yes"], "\(name): \(line)")
            }
        }
    }

    @Test func summaryTextAndNumbersInRowOrder() throws {
        let dir = try Oracle.temporaryDirectory()
        let input = DocumentSamples.summary
        let file = try Oracle.write(OfficialDocuments.summary(input), as: .pdf, name: "summary", in: dir)
        #expect(try Oracle.pdfPages(file) == 1)
        let text = try Oracle.pdfText(file)
        #expect(text == text.precomposedStringWithCanonicalMapping)
        for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Long Biên, ngày 14 tháng 02 năm 2024", "BIỂU TỔNG HỢP",
                         "Số lượng mô hình “Dân vận khéo” năm 2024", "CÔNG ĐOÀN TRƯỜNG THCS GIA",
                         "Lĩnh vực kinh tế", "Lĩnh vực văn hóa – xã hội", "Tổng:", "TM. BAN CHẤP HÀNH", "CHỦ TỊCH",
                         "Nguyễn Thị Thu Thủy", "(không trùng lặp): 3"] {
            #expect(text.contains(expected), "missing “\(expected)”")
        }
        // The integers between the table's header and the "Tổng:" row, then the total's four.
        let body = try #require(text.range(of: "thực hiện").map { text[$0.upperBound...] })
        let tableEnd = try #require(body.range(of: "Ghi chú"))
        let numbers = Oracle.integers(body[..<tableEnd.lowerBound])
        let expected = Samples.expectedRows(input.summary).flatMap { $0 } + input.summary.total.columns
        #expect(numbers == expected)
    }

    @Test func pageNumbersFromPageTwoOnly() throws {
        let dir = try Oracle.temporaryDirectory()
        let file = try Oracle.write(Samples.report, as: .pdf, name: "report", in: dir)
        #expect(try Oracle.pdfPages(file) >= 2)
        let first = try Oracle.pdfText(file, page: 1).split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(first.map { Int($0.trimmingCharacters(in: .whitespaces)) } == .some(nil))
        let second = try Oracle.pdfText(file, page: 2).split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(second?.trimmingCharacters(in: .whitespaces) == "2")
    }

    @Test func longListRepeatsTheHeaderOnEveryPage() throws {
        let dir = try Oracle.temporaryDirectory()
        let file = try Oracle.write(Samples.list500, as: .pdf, name: "list", in: dir)
        let pages = try Oracle.pdfPages(file)
        #expect(pages >= 5)
        var numbers: [Int] = []
        for page in 1...pages {
            let text = try Oracle.pdfText(file, page: page)
            let before = numbers.count
            if page > 1 {
                let top = text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                #expect(top?.trimmingCharacters(in: .whitespaces) == String(page))
            }
            // TT numbers: the integers that begin a table line.
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if let first = trimmed.split(separator: " ").first, let n = Int(first),
                   trimmed.dropFirst(first.count).trimmingCharacters(in: .whitespaces).hasPrefix("Tập thể")
                    || trimmed.dropFirst(first.count).trimmingCharacters(in: .whitespaces).hasPrefix("Cá nhân") {
                    numbers.append(n)
                }
            }
            // Every page with rows of the table starts with its header row.
            if numbers.count > before {
                #expect(text.contains("Tên mô hình"), "page \(page) has no header row")
                #expect(text.contains("Kết quả dự kiến"), "page \(page) has no header row")
            } else {
                #expect(page == pages, "only the last page may be without rows")
            }
        }
        #expect(numbers == Array(1...500))
    }

    @Test func nationalMottoIsAChoice() throws {
        let dir = try Oracle.temporaryDirectory()
        var input = DocumentSamples.summary
        input.header.showsNationalMotto = false
        let file = try Oracle.write(OfficialDocuments.summary(input), as: .pdf, name: "plain", in: dir)
        let text = try Oracle.pdfText(file)
        #expect(!text.contains("CỘNG HÒA"))
        #expect(!text.contains("Độc lập"))
        #expect(text.contains("Long Biên, ngày 14 tháng 02 năm 2024"))
    }

    @Test func letterAndReportWording() throws {
        let dir = try Oracle.temporaryDirectory()
        let letter = try Oracle.pdfText(try Oracle.write(Samples.letter, as: .pdf, name: "letter", in: dir))
        // The quoted name is never split over two lines (pdftotext reads its no-break spaces as spaces).
        let flatLetter = letter.replacingOccurrences(of: "\u{00A0}", with: " ")
        #expect(flatLetter.split(separator: "\n").contains { $0.contains("“Dân vận khéo”") }, "\(letter.prefix(500))")
        for expected in ["Số: 26/LĐLĐ", "V/v triển khai phong trào thi đua", "Long Biên, ngày 06 tháng 02 năm 2024",
                         "Kính gửi: Ban chấp hành công đoàn cơ sở", "Nơi nhận:", "TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH",
                         "Đặng Thị Ánh Nguyệt", "- Lưu: VT, TG."] {
            #expect(letter.contains(expected), "letter misses “\(expected)”: \(letter.prefix(400))")
        }
        let report = try Oracle.pdfText(try Oracle.write(Samples.report, as: .pdf, name: "report", in: dir))
        let flat = report.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        for expected in ["BÁO CÁO", "Số: 05/BC-LĐLĐ", "- Ban Dân vận Quận ủy Long Biên;", "- Ban Tuyên giáo LĐLĐ Thành phố Hà Nội.",
                         "Thực hiện Công văn số 274/LĐLĐ ngày 05/02/2024 của LĐLĐ thành phố Hà Nội về việc triển khai",
                         "Liên đoàn Lao động quận Long Biên đã ban hành Công văn số 26/LĐLĐ ngày 06/02/2024 triển khai đến",
                         "được đề nghị đăng ký: 5 đơn vị.", "đã nộp hồ sơ đăng ký: 4 đơn vị (đúng hạn: 3 đơn vị; nộp muộn: 1 đơn vị)",
                         "trong đó 1 đơn vị báo không đăng ký mô hình", "chưa nộp hồ sơ đăng ký: 1 đơn vị.",
                         "Tổng số mô hình được đăng ký: 36 mô hình"] {
            #expect(flat.contains(expected), "report misses “\(expected)”")
        }
    }

    @Test func registrationFormHasEveryField() throws {
        let dir = try Oracle.temporaryDirectory()
        let text = try Oracle.pdfText(try Oracle.write(Samples.form, as: .pdf, name: "form", in: dir))
        let flat = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        for expected in ["PHIẾU ĐĂNG KÝ MÔ HÌNH “DÂN VẬN KHÉO” NĂM 2024", "1. Đơn vị: Công đoàn Trường THCS Gia Thụy",
                         "Cá nhân – Nguyễn Văn An, Giáo viên Tổ Toán", "3. Lĩnh vực: Kinh tế",
                         "4. Tên mô hình: Ứng dụng chuyển đổi số", "5. Mục đích:", "6. Nội dung và cách thức thực hiện:",
                         "Xây dựng kho hồ sơ điện tử dùng chung.", "7. Phạm vi, đối tượng tham gia:",
                         "8. Thời gian thực hiện: 01/03/2024 – 31/12/2024", "9. Kết quả dự kiến:", "10. Người phụ trách:",
                         "“Số hóa hồ sơ tổ chuyên môn (2023)”", "NGƯỜI ĐĂNG KÝ", "TM. BAN CHẤP HÀNH"] {
            #expect(flat.contains(expected), "form misses “\(expected)”")
        }
    }

    @Test func aCellLongerThanAPageRunsOn() throws {
        var input = DocumentSamples.initiativeList(count: 3)
        let long = Array(repeating: "Kết quả rất dài được viết ra để kiểm tra việc ngắt trang trong một ô.", count: 120)
            .joined(separator: " ")
        input.units[0].sectors[0].initiatives[1].expectedResult = long + " HẾT."
        let dir = try Oracle.temporaryDirectory()
        let file = try Oracle.write(OfficialDocuments.initiativeList(input), as: .pdf, name: "long", in: dir)
        let pages = try Oracle.pdfPages(file)
        #expect(pages >= 3)
        let text = try Oracle.pdfText(file)
        #expect(text.contains("HẾT."))
        #expect(text.contains("(mô hình 3)"))
        // The pages the long cell runs onto start with its unit's and sector's headings.
        let second = try Oracle.pdfText(file, page: 2)
        #expect(second.contains(input.units[0].unitName + " (tiếp)") && second.contains(Sector.defaults[0].name + " (tiếp)"))
    }
}

extension PDFTests {
    /// Whatever the length of the list, no page holds only the signature block: the last
    /// rows go to the next page with it (a typist's rule).
    @Test func theSignatureIsNeverAloneOnAPage() throws {
        let dir = try Oracle.temporaryDirectory()
        var checked = 0
        for count in stride(from: 1, through: 40, by: 1) {
            let file = try Oracle.write(OfficialDocuments.initiativeList(DocumentSamples.initiativeList(count: count)), as: .pdf,
                                        name: "list-\(count)", in: dir)
            let pages = try Oracle.pdfPages(file)
            // Reading order (no -layout): a title wrapped over two lines reads as one.
            let last = try Oracle.run("pdftotext", ["-enc", "UTF-8", "-f", String(pages), "-l", String(pages), file, "-"])
            #expect(last.contains("TM. BAN THƯỜNG VỤ"), "\(count)")
            // The signature's page also holds at least one row of the table (each title ends "(mô hình N)").
            let words = last.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("(mô hình "), "\(count) initiatives: page \(pages) holds only the signature")
            checked += pages
        }
        #expect(checked > 40)
    }
}

extension PDFTests {
    /// A typist's rule for grouped lists: no page ends on a unit's or a sector's heading,
    /// and a page that goes on inside a group first repeats its headings, marked “(tiếp)”.
    @Test func groupHeadingsAreRepeatedAndNeverLeftAtAPageFoot() throws {
        let input = DocumentSamples.initiativeList(count: 100)
        let dir = try Oracle.temporaryDirectory()
        let file = try Oracle.write(OfficialDocuments.initiativeList(input), as: .pdf, name: "groups", in: dir)
        // Layout mode: a heading spans the table, so it is a line of its own; a row's first
        // line starts with its number and “Tập thể”/“Cá nhân” (cells are top-aligned).
        let pages = try Oracle.pdfText(file).split(separator: "\u{0C}").map {
            $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }.filter { !$0.isEmpty }
        #expect(pages.count > 4)
        let headings = input.units.map(\.unitName) + Sector.defaults.map(\.name)
        func isHeading(_ line: String) -> Bool { headings.contains { line == $0 || line == $0 + " (tiếp)" } }
        let rowStart = /^(\d+)\s+(Tập thể|Cá nhân)/
        var continued = 0
        for (p, lines) in pages.enumerated() {
            let rows = lines.indices.filter { lines[$0].firstMatch(of: rowStart) != nil }
            guard let firstRow = rows.first, let lastRow = rows.last,
                  let n = lines[firstRow].firstMatch(of: rowStart).flatMap({ Int($0.output.1) }) else { continue }
            let lastHeading = lines.indices.last { isHeading(lines[$0]) } ?? -1
            #expect(lastHeading < lastRow, "page \(p + 1) ends on the heading “\(lastHeading >= 0 ? lines[lastHeading] : "")”")
            // The first row's unit and sector are named above it on its own page.
            let above = lines[..<firstRow]
            let unit = input.units[(n - 1) / 20].unitName
            let sector = Sector.defaults[((n - 1) % 20) / 5].name
            let suffix = (n - 1) % 5 == 0 ? "" : " (tiếp)"
            #expect(above.contains(sector + suffix), "page \(p + 1) starts at row \(n) without “\(sector + suffix)”")
            #expect(above.contains(unit + ((n - 1) % 20 == 0 ? "" : " (tiếp)")) , "page \(p + 1) starts at row \(n) without its unit")
            if p > 0, !suffix.isEmpty { continued += 1 }
        }
        #expect(continued >= 2)
    }
}

extension PDFTests {
    /// A federation's table of 1,000-odd units: the TT column holds four digits on one line,
    /// on the same line as its unit.
    @Test func theTTColumnHoldsFourDigits() throws {
        var input = DocumentSamples.rollUp
        let row = DocumentSamples.unitRows[0]
        input.units = (1...1003).map { i in var r = row; r.unitName = "CĐCS số \(i)"; return r }
        let dir = try Oracle.temporaryDirectory()
        let text = try Oracle.pdfText(try Oracle.write(OfficialDocuments.rollUp(input), as: .pdf, name: "wide", in: dir))
        let lines = text.split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
        for n in [105, 999, 1003] {
            #expect(lines.contains { $0.count >= 3 && $0[0] == String(n) && $0[1] == "CĐCS" && $0[3] == String(n) }, "\(n)")
        }
    }
}
