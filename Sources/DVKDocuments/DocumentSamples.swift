import DVKCore
import Foundation

/// Sample inputs for every document kind, in the 2024 letter's setting (Liên đoàn Lao động
/// quận Long Biên). Used by the benchmark, the tests and the app's demo; the numbers are
/// made up but add up.
public enum DocumentSamples {
    public static let letterDate = CalendarDay(year: 2024, month: 2, day: 6)
    public static let reportDate = CalendarDay(year: 2024, month: 2, day: 20)

    /// The federation's header: "LĐLĐ Thành phố Hà Nội" over "Liên đoàn Lao động quận Long Biên".
    public static func federationHeader(number: String? = nil, date: CalendarDay = letterDate,
                                        showsNationalMotto: Bool = true) -> DocumentHeader {
        DocumentHeader(superior: "LĐLĐ Thành phố Hà Nội", issuer: "Liên đoàn Lao động quận Long Biên", number: number,
                       place: "Long Biên", date: date, showsNationalMotto: showsNationalMotto)
    }

    /// A grassroots union's header under the federation.
    public static func unitHeader(_ unitName: String = "Trường THCS Gia Thụy",
                                  date: CalendarDay = CalendarDay(year: 2024, month: 2, day: 14)) -> DocumentHeader {
        DocumentHeader(superior: "Liên đoàn Lao động quận Long Biên", issuer: DocumentHeader.grassrootsIssuer(unitName: unitName),
                       place: "Long Biên", date: date)
    }

    public static let federationSigner = Signer(authority: "TM. Ban Thường vụ", title: "Phó Chủ tịch", name: "Đặng Thị Ánh Nguyệt")
    public static let unitSigner = Signer(authority: "TM. Ban Chấp hành", title: "Chủ tịch", name: "Nguyễn Thị Thu Thủy")

    /// One unit's entries: a collective in two sectors (so the "Tổng" row counts it twice
    /// and the note appears), and two individuals.
    public static var unitSummary: Summary {
        let unit = UUID(uuidString: "00000000-0000-0000-0000-000000000001") ?? UUID.random()
        let entries = [
            SummaryEntry(unitID: unit, kind: .collective, registrantKey: "tổ văn phòng", sectorCode: "kinh-te"),
            SummaryEntry(unitID: unit, kind: .collective, registrantKey: "tổ văn phòng", sectorCode: "van-hoa-xa-hoi"),
            SummaryEntry(unitID: unit, kind: .collective, registrantKey: "tổ toán", sectorCode: "kinh-te"),
            SummaryEntry(unitID: unit, kind: .collective, registrantKey: "tổ toán", sectorCode: "kinh-te"),
            SummaryEntry(unitID: unit, kind: .individual, registrantKey: "nguyễn văn an", sectorCode: "kinh-te"),
            SummaryEntry(unitID: unit, kind: .individual, registrantKey: "trần thị bình", sectorCode: "an-ninh-quoc-phong"),
            SummaryEntry(unitID: unit, kind: .individual, registrantKey: "trần thị bình", sectorCode: "an-ninh-quoc-phong"),
            SummaryEntry(unitID: unit, kind: .collective, registrantKey: "công đoàn trường", sectorCode: "xay-dung-he-thong-chinh-tri"),
        ]
        return Summary(sectors: Sector.defaults, entries: entries)
    }

    public static var summary: SummaryInput {
        SummaryInput(header: unitHeader(), year: 2024, summary: unitSummary, signer: unitSigner)
    }

    static let unitNames = ["Công đoàn Trường THCS Gia Thụy", "Công đoàn Bệnh viện Đa khoa Đức Giang",
                            "Công đoàn Công ty TNHH Hoà Bình", "Công đoàn cơ quan UBND phường Ngọc Thụy",
                            "Công đoàn Trường Mầm non Hoa Sữa"]

    /// The federation's entries: four units with initiatives, the fifth with none.
    static func federationEntries(unit index: Int) -> [SummaryEntry] {
        guard index < 4 else { return [] }
        let unit = UUID(uuidString: "00000000-0000-0000-0000-00000000010\(index)") ?? UUID.random()
        var entries: [SummaryEntry] = []
        for k in 0..<(4 + index) {
            entries.append(SummaryEntry(unitID: unit, kind: .collective, registrantKey: "tt\(k)",
                                        sectorCode: Sector.defaults[k % 4].code))
        }
        for k in 0..<(2 + index) {
            entries.append(SummaryEntry(unitID: unit, kind: .individual, registrantKey: "cn\(k)",
                                        sectorCode: Sector.defaults[(k + index) % 4].code))
        }
        return entries
    }

    /// One row per unit, counted from the same entries as `federationSummary`, so the
    /// unit table's "Tổng" equals the summary's.
    public static var unitRows: [UnitTallyRow] {
        unitNames.enumerated().map { index, name in
            let tally = UnitTally(entries: federationEntries(unit: index)).bySector.values.reduce(Tally.zero, +)
            return UnitTallyRow(unitName: name, tally: tally)
        }
    }

    public static var federationSummary: Summary {
        Summary(sectors: Sector.defaults, entries: unitNames.indices.flatMap { federationEntries(unit: $0) })
    }

    public static var rollUp: RollUpInput {
        RollUpInput(header: federationHeader(date: reportDate), year: 2024, summary: federationSummary, units: unitRows,
                    signer: federationSigner)
    }

    public static let distribution = ["Ban Tuyên giáo LĐLĐ TP (để báo cáo);", "Ban Dân vận Quận ủy;",
                                      "Như Kính gửi (để t/hiện);", "Lưu: VT, TG."]

    public static var letter: LetterInput {
        LetterInput(header: federationHeader(number: "26/LĐLĐ"),
                    subject: "V/v triển khai phong trào thi đua “Dân vận khéo” năm 2024",
                    recipients: ["Ban chấp hành công đoàn cơ sở"], body: OfficialDocuments.sampleLetterBody,
                    signer: federationSigner, distribution: distribution)
    }

    public static var report: ReportInput {
        ReportInput(header: federationHeader(number: "05/BC-LĐLĐ", date: reportDate), year: 2024,
                    recipients: ["Ban Dân vận Quận ủy Long Biên", "Ban Tuyên giáo LĐLĐ Thành phố Hà Nội"],
                    letter: CampaignLetter(number: "26/LĐLĐ", date: letterDate, issuer: "Liên đoàn Lao động quận Long Biên",
                                           basis: "Công văn số 274/LĐLĐ ngày 05/02/2024 của LĐLĐ thành phố Hà Nội"),
                    byIssuer: true, completeness: Completeness(expected: 5, submitted: 4, onTime: 3, late: 1, declaredNone: 1, notSubmitted: 1),
                    summary: federationSummary, units: unitRows,
                    assessment: "Các công đoàn cơ sở đã quan tâm triển khai; nhiều mô hình gắn với nhiệm vụ chuyên môn của đơn vị.",
                    signer: federationSigner, distribution: ["Như Kính gửi;", "Lưu: VT, TG."])
    }

    public static var initiative: InitiativeDraft {
        InitiativeDraft(kind: .individual, registrantName: "Nguyễn Văn An", registrantTitle: "Giáo viên Tổ Toán",
                        sectorCode: "kinh-te", title: "Ứng dụng chuyển đổi số trong quản lý hồ sơ chuyên môn",
                        purpose: "Giảm giấy tờ, tiết kiệm thời gian của giáo viên.",
                        content: "Xây dựng kho hồ sơ điện tử dùng chung.\nHướng dẫn giáo viên sử dụng theo từng bước.",
                        scope: "Tổ Toán – Tin, 12 giáo viên.",
                        startDate: CalendarDay(year: 2024, month: 3, day: 1), endDate: CalendarDay(year: 2024, month: 12, day: 31),
                        expectedResult: "100% hồ sơ chuyên môn của tổ được lưu trữ điện tử.",
                        personInCharge: "Nguyễn Văn An", continuity: .continues)
    }

    public static var registrationForm: RegistrationFormInput {
        RegistrationFormInput(header: unitHeader(), year: 2024, unitName: "Công đoàn Trường THCS Gia Thụy",
                              sectorName: "Lĩnh vực kinh tế", initiative: initiative,
                              continuedModelName: "Số hóa hồ sơ tổ chuyên môn (2023)", unitSigner: unitSigner)
    }

    /// A detailed list of `count` initiatives over units of 20, each spread over the four sectors.
    public static func initiativeList(count: Int = 500) -> InitiativeListInput {
        let kinds: [RegistrantKind] = [.collective, .individual]
        let titles = ["Ứng dụng chuyển đổi số trong quản lý hồ sơ", "Tiết kiệm điện, nước tại nơi làm việc",
                      "Chăm lo bữa ăn ca cho người lao động", "Phòng cháy, chữa cháy tại khu nhà trọ công nhân",
                      "Xây dựng tủ sách pháp luật", "Nói không với rác thải nhựa"]
        var units: [InitiativeListUnit] = []
        var made = 0
        var unitNumber = 0
        while made < count {
            unitNumber += 1
            var sectors: [InitiativeListSector] = []
            for (s, sector) in Sector.defaults.enumerated() {
                var items: [InitiativeDraft] = []
                for k in 0..<5 where made < count {
                    let kind = kinds[(k + s) % 2]
                    made += 1
                    items.append(InitiativeDraft(
                        kind: kind, registrantName: kind == .collective ? "Tổ công đoàn số \(k + 1)" : "Nguyễn Thị Hương \(made)",
                        registrantTitle: kind == .individual ? "Công nhân phân xưởng \(k + 1)" : "",
                        sectorCode: sector.code, title: titles[made % titles.count] + " (mô hình \(made))",
                        startDate: CalendarDay(year: 2024, month: 3, day: 1), endDate: CalendarDay(year: 2024, month: 12, day: 31),
                        expectedResult: "Đoàn viên hưởng ứng, tham gia tích cực; kết quả được tổng kết vào cuối năm."))
                }
                if !items.isEmpty { sectors.append(InitiativeListSector(sectorName: sector.name, initiatives: items)) }
            }
            units.append(InitiativeListUnit(unitName: "Công đoàn Công ty Cổ phần May Long Biên \(unitNumber)", sectors: sectors))
        }
        return InitiativeListInput(header: federationHeader(date: reportDate), year: 2024, units: units, signer: federationSigner)
    }
}

extension DocumentSamples {
    /// The heaviest letter the text rule accepts: a base that composes with nothing and two
    /// combining marks (3 code points, 6 bytes of UTF-8).
    public static let heaviestLetter = "q\u{0323}\u{0302}"

    /// `count` characters: words of 6 heaviest letters, a space (or, every 60 words when
    /// `lines`, a line break) between them.
    public static func heaviestText(_ count: Int, lines: Bool = false) -> String {
        var out = ""
        for i in 0..<count {
            if i % 7 == 6, i != count - 1 { out += lines && i % 420 == 419 ? "\n" : " " } else { out += heaviestLetter }
        }
        return out
    }

    /// A registration form with every field at its rule's length, in the heaviest letters.
    public static var heaviestRegistrationForm: RegistrationFormInput {
        var input = registrationForm
        func text(_ field: InitiativeField, lines: Bool = false) -> String { heaviestText(field.rule.maxLength, lines: lines) }
        input.initiative.registrantName = text(.registrantName)
        input.initiative.registrantTitle = text(.registrantTitle)
        input.initiative.title = text(.title)
        input.initiative.purpose = text(.purpose, lines: true)
        input.initiative.content = text(.content, lines: true)
        input.initiative.scope = text(.scope, lines: true)
        input.initiative.expectedResult = text(.expectedResult, lines: true)
        input.initiative.personInCharge = text(.personInCharge)
        input.unitName = heaviestText(TextRules.unitName.maxLength)
        return input
    }

    /// `document` with every letter of every run made the heaviest letter: any document kind
    /// with the costliest text its fields could hold letter for letter.
    public static func withHeaviestLetters(_ document: Document) -> Document {
        func heavy(_ text: String) -> String {
            String(text.map { $0.isLetter ? heaviestLetter : String($0) }.joined())
        }
        func paragraph(_ p: Paragraph) -> Paragraph {
            var p = p
            p.runs = p.runs.map { var r = $0; r.text = heavy(r.text); return r }
            return p
        }
        var out = document
        out.blocks = document.blocks.map { block in
            switch block {
            case .paragraph(let p): return .paragraph(paragraph(p))
            case .table(var t):
                t.rows = t.rows.map { row in
                    var row = row
                    row.cells = row.cells.map { var c = $0; c.paragraphs = c.paragraphs.map(paragraph); return c }
                    return row
                }
                return .table(t)
            }
        }
        return out
    }
}
