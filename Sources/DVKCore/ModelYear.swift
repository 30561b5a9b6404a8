import Foundation

/// The year of a model after its unit's registration is accepted: progress reports, the
/// federations' verification, recognition in tiers, nomination upward, commendation and
/// publication in the public library. The rules of who may do what, and when, live here.
public enum ModelYear {
    /// The criteria of a verification when a campaign names none (DESIGN.md §8, the letter's
    /// description of a good model).
    public static let defaultCriteria = [
        "Sáng tạo, có kết quả thiết thực",
        "Huy động được nhiều lực lượng tham gia",
        "Được đoàn viên, người lao động và nhân dân đồng tình",
        "Hài hòa lợi ích tập thể, cá nhân và xã hội",
        "Bền vững, có khả năng nhân rộng",
    ]

    /// A campaign's criteria from its stored text (one per line), or the default ones.
    public static func criteria(_ text: String) -> [String] {
        let lines = text.split(whereSeparator: \.isNewline).map { VietnameseText.clean(String($0)) }.filter { !$0.isEmpty }
        return lines.isEmpty ? defaultCriteria : lines
    }

    /// The steps of the year.
    public enum Step: String, Sendable, CaseIterable {
        case report, verify, recognise, nominate, commend, publish
    }

    /// Who is asking, as far as the rules care.
    public struct Actor: Sendable {
        /// Staff or administrator (not an officer, not a viewer).
        public var manages: Bool
        /// The unit's own officer.
        public var isUnitOfficer: Bool
        /// The caller's unit is a federation above the model's unit.
        public var isAboveUnit: Bool
        /// The caller's federation has recognised the model.
        public var hasRecognised: Bool

        public init(manages: Bool, isUnitOfficer: Bool, isAboveUnit: Bool, hasRecognised: Bool) {
            self.manages = manages
            self.isUnitOfficer = isUnitOfficer
            self.isAboveUnit = isAboveUnit
            self.hasRecognised = hasRecognised
        }
    }

    /// Whether `actor` may take `step` on a model whose unit's registration is `status`;
    /// the refusal says why in Vietnamese (`forbidden` for who, `conflict` for when).
    public static func check(_ step: Step, actor: Actor, status: SubmissionStatus) -> DomainError? {
        switch step {
        case .report:
            guard actor.isUnitOfficer || (actor.manages && actor.isAboveUnit) else {
                return .forbidden("Chỉ cán bộ công đoàn cơ sở của đơn vị hoặc cán bộ công đoàn cấp trên mới báo cáo kết quả thực hiện mô hình.")
            }
        case .verify, .recognise, .commend:
            guard actor.manages && actor.isAboveUnit else {
                return .forbidden("Chỉ cán bộ công đoàn cấp trên của đơn vị mới thẩm định, công nhận hay khen thưởng mô hình.")
            }
        case .nominate, .publish:
            guard actor.manages && actor.isAboveUnit else {
                return .forbidden("Chỉ cán bộ công đoàn cấp trên của đơn vị mới đề nghị cấp trên công nhận hay công bố mô hình.")
            }
            guard actor.hasRecognised else {
                return .conflict(step == .nominate
                    ? "Công đoàn cấp trên chỉ đề nghị công nhận mô hình mà mình đã công nhận."
                    : "Chỉ công đoàn đã công nhận mô hình mới công bố được mô hình lên thư viện.")
            }
        }
        guard status == .accepted else {
            return .conflict("Hồ sơ đăng ký của đơn vị chưa được duyệt: mô hình chỉ được theo dõi, thẩm định và công nhận sau khi hồ sơ được duyệt.")
        }
        return nil
    }
}

/// The verdict of a federation's verification (thẩm định).
public enum Verdict: String, Sendable, CaseIterable, Codable {
    case passed, failed

    public var label: String {
        switch self {
        case .passed: "Đạt"
        case .failed: "Không đạt"
        }
    }
}

/// The form of a commendation.
public enum CommendationForm: String, Sendable, CaseIterable, Codable {
    case certificate = "giay_khen"
    case merit = "bang_khen"

    public var label: String {
        switch self {
        case .certificate: "Giấy khen"
        case .merit: "Bằng khen"
        }
    }
}

extension TextRules {
    public static let decisionNumber = TextRule("số quyết định", max: 50, required: true)
    public static let progressText = TextRule("nội dung báo cáo", .multiline, max: 5_000, required: true)
    public static let verificationComment = TextRule("nhận xét", .multiline, max: 5_000)
    public static let criteria = TextRule("tiêu chí thẩm định", .multiline, max: 3_000)
    public static let fileName = TextRule("tên tệp", max: 200)
}

/// A progress report's fields, checked (from a form, the API or a test).
public struct ProgressInput: Sendable, Equatable {
    public var day: CalendarDay
    public var text: String
    public var participants: Int
    public var beneficiaries: Int
    /// Money mobilised, in đồng.
    public var money: Int64
    public var workdays: Int

    public init(day: CalendarDay, text: String, participants: Int, beneficiaries: Int, money: Int64, workdays: Int) {
        self.day = day
        self.text = text
        self.participants = participants
        self.beneficiaries = beneficiaries
        self.money = money
        self.workdays = workdays
    }

    /// A model's progress reports at most: a few a year are usual; the bound keeps its pages
    /// and documents small.
    public static let maxReports = 500

    /// Why one more report is refused when a model has `reports`, or nil.
    public static func refusal(reports: Int) -> DomainError? {
        reports < maxReports ? nil
            : .conflict("Mô hình đã có \(VietnameseText.number(reports)) báo cáo kết quả, nhiều nhất cho một mô hình (\(VietnameseText.number(maxReports))); không ghi thêm được.")
    }

    /// Checks raw values; the errors are keyed by field name. Numbers may be written
    /// with dots or spaces between thousands ("135.000.000").
    public static func check(day: String?, text: String?, participants: String?, beneficiaries: String?,
                             money: String?, workdays: String?) -> Result<ProgressInput, FieldProblems> {
        var problems = FieldProblems()
        let parsedDay = CalendarDay(parsing: day ?? "")
        if parsedDay == nil {
            problems["day"] = (day ?? "").isEmpty ? "Nhập ngày báo cáo." : "Ngày báo cáo “\(day ?? "")” không hợp lệ (ngày/tháng/năm, vd 30/06/2024)."
        }
        var body = ""
        switch TextRules.progressText.check(text) {
        case .success(let t): body = t
        case .failure(let p): problems["text"] = p.sentence
        }
        func count(_ name: String, _ raw: String?, _ label: String, max: Int64) -> Int64 {
            let digits = (raw ?? "").filter { !" .,\u{00A0}".contains($0) }
            if digits.isEmpty { return 0 }
            guard digits.allSatisfy(\.isASCII), let n = Int64(digits), n >= 0, n <= max else {
                problems[name] = "\(label) phải là số không âm (vd \(VietnameseText.number(1500)))."
                return 0
            }
            return n
        }
        let p = count("participants", participants, "Số người tham gia", max: 100_000_000)
        let b = count("beneficiaries", beneficiaries, "Số người hưởng lợi", max: 100_000_000)
        let m = count("money", money, "Số tiền vận động", max: 1_000_000_000_000_000)
        let w = count("workdays", workdays, "Số ngày công", max: 100_000_000)
        guard problems.isEmpty, let parsedDay else { return .failure(problems) }
        return .success(ProgressInput(day: parsedDay, text: body, participants: Int(p), beneficiaries: Int(b), money: m, workdays: Int(w)))
    }
}

/// What progress reports count, alone or summed over a model's reports. Sums are 128-bit:
/// no number of stored reports, each within `ProgressInput`'s bounds or not, can overflow them.
public struct ProgressFigures: Sendable, Hashable {
    public var participants: Int128
    public var beneficiaries: Int128
    /// Money mobilised, in đồng.
    public var money: Int128
    public var workdays: Int128

    public init(participants: Int128 = 0, beneficiaries: Int128 = 0, money: Int128 = 0, workdays: Int128 = 0) {
        self.participants = participants
        self.beneficiaries = beneficiaries
        self.money = money
        self.workdays = workdays
    }

    public static func + (a: ProgressFigures, b: ProgressFigures) -> ProgressFigures {
        ProgressFigures(participants: a.participants + b.participants, beneficiaries: a.beneficiaries + b.beneficiaries,
                        money: a.money + b.money, workdays: a.workdays + b.workdays)
    }

    /// "35 người tham gia", "vận động 12.500.000 đồng", …: the figures that are not zero.
    public var phrases: [String] {
        var out: [String] = []
        if participants > 0 { out.append("\(VietnameseText.number(participants)) người tham gia") }
        if beneficiaries > 0 { out.append("\(VietnameseText.number(beneficiaries)) người hưởng lợi") }
        if money > 0 { out.append("vận động \(VietnameseText.number(money)) đồng") }
        if workdays > 0 { out.append("\(VietnameseText.number(workdays)) ngày công") }
        return out
    }
}

/// A verification's fields, checked: the day of the visit, one answer per criterion of
/// the campaign (in order), the comments and the verdict. The web form and the API both
/// read it here; field names are the form's.
public struct VerificationInput: Sendable, Equatable {
    public var day: CalendarDay
    public var met: [Bool]
    public var comments: String
    public var verdict: Verdict
    /// Why the verdict differs from what the criteria give; empty when it follows them.
    public var overrideReason: String

    public init(day: CalendarDay, met: [Bool], comments: String, verdict: Verdict, overrideReason: String = "") {
        self.day = day
        self.met = met
        self.comments = comments
        self.verdict = verdict
        self.overrideReason = overrideReason
    }

    /// The verdict the criteria give: passed when every one is met.
    public static func following(_ met: [Bool]) -> Verdict { met.allSatisfy { $0 } ? .passed : .failed }

    public static let overrideRule = TextRule("lý do kết luận khác kết quả các tiêu chí", .multiline, max: 2_000)

    /// `criteria`: how many criteria the campaign asks; `met` must answer each of them.
    /// `verdict` empty (or left out) follows the criteria; one that differs needs `reason`.
    public static func check(day: String?, met: [Bool], criteria: Int, comments: String?,
                             verdict: String?, reason: String? = nil) -> Result<VerificationInput, FieldProblems> {
        var problems = FieldProblems()
        let parsedDay = CalendarDay(parsing: day ?? "")
        if parsedDay == nil {
            problems["verifiedOn"] = (day ?? "").isEmpty ? "Nhập ngày thẩm định."
                : "Ngày thẩm định “\(day ?? "")” không hợp lệ (ngày/tháng/năm, vd 20/09/2024)."
        }
        if met.count != criteria {
            problems["met"] = "Phiếu thẩm định có \(criteria) tiêu chí; nhận được \(met.count) câu trả lời."
        }
        var text = ""
        switch TextRules.verificationComment.check(comments) {
        case .success(let t): text = t
        case .failure(let p): problems["comments"] = p.sentence
        }
        let derived = Self.following(met)
        let chosen = (verdict ?? "").isEmpty ? derived : Verdict(rawValue: verdict ?? "")
        var why = ""
        switch Self.overrideRule.check(reason) {
        case .success(let t): why = t
        case .failure(let p): problems["reason"] = p.sentence
        }
        if chosen == nil {
            problems["verdict"] = "Chọn kết luận: theo kết quả các tiêu chí, đạt hoặc không đạt."
        } else if chosen != derived, why.isEmpty, problems["reason"] == nil {
            problems["reason"] = "Kết luận “\(chosen!.label)” khác kết quả các tiêu chí (\(derived.label.lowercased())): ghi lý do."
        }
        guard problems.isEmpty, let parsedDay, let chosen else { return .failure(problems) }
        return .success(VerificationInput(day: parsedDay, met: met, comments: text, verdict: chosen,
                                          overrideReason: chosen == derived ? "" : why))
    }
}

/// A decision (recognition or commendation): number and day.
public struct DecisionInput: Sendable, Equatable {
    public var number: String
    public var day: CalendarDay

    public init(number: String, day: CalendarDay) {
        self.number = number
        self.day = day
    }

    public static func check(number: String?, day: String?) -> Result<DecisionInput, FieldProblems> {
        var problems = FieldProblems()
        var cleanNumber = ""
        switch TextRules.decisionNumber.check(number) {
        case .success(let n): cleanNumber = n
        case .failure(let p): problems["decisionNumber"] = p.sentence
        }
        let parsed = CalendarDay(parsing: day ?? "")
        if parsed == nil {
            problems["decisionDate"] = (day ?? "").isEmpty ? "Nhập ngày ký quyết định." : "Ngày quyết định “\(day ?? "")” không hợp lệ (ngày/tháng/năm, vd 15/10/2024)."
        }
        guard problems.isEmpty, let parsed else { return .failure(problems) }
        return .success(DecisionInput(number: cleanNumber, day: parsed))
    }
}

/// Problems of a form, by field name, in Vietnamese.
public struct FieldProblems: Error, Sendable, Equatable {
    public var messages: [String: String] = [:]
    public init() {}
    public var isEmpty: Bool { messages.isEmpty }
    public subscript(name: String) -> String? {
        get { messages[name] }
        set { messages[name] = newValue }
    }
    /// Every message, in a stable order, as one text (the API's 422).
    public var text: String { messages.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ") }
}

/// An attachment of a progress report: photos and PDFs only, sniffed from their bytes.
public enum Attachment {
    public static let maxBytes = 5 * 1_048_576
    public static let maxPerReport = 6

    /// The content type of `data` when DVK accepts it (JPEG, PNG, PDF), else nil.
    public static func contentType(of data: Data) -> String? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }

    /// The extension of a type `contentType(of:)` gives.
    public static func fileExtension(of type: String) -> String {
        switch type {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "application/pdf": "pdf"
        default: "bin"
        }
    }

    /// The name DVK keeps and serves a file under: the uploader's name without its
    /// extension, folded to ASCII letters, digits and dashes, then the extension of the type
    /// sniffed from its bytes ("Báo cáo.html" holding a PDF is "bao-cao.pdf"). No uploader's
    /// extension, direction control or format character survives.
    public static func storedName(_ uploaded: String, type: String) -> String {
        var stem = Substring(uploaded.prefix(300))
        if let dot = stem.lastIndex(of: "."), dot > stem.startIndex { stem = stem[..<dot] }
        let slug = VietnameseText.slug(String(stem))
        return (slug.isEmpty ? "tep" : slug) + "." + fileExtension(of: type)
    }

    /// An image's pixels at most, and its side: a photo of a phone is 12–50 million, and a
    /// file that declares more would cost a browser (or anyone who opens it) that much memory.
    public static let maxPixels = 100_000_000
    public static let maxSide = 30_000

    /// Why a file is refused, or nil.
    public static func problem(name: String, data: Data) -> String? {
        let name = String(name.prefix(80))
        if data.isEmpty { return "Tệp “\(name)” rỗng." }
        if data.count > maxBytes { return "Tệp “\(name)” lớn hơn 5 MB." }
        guard let type = contentType(of: data) else { return "Tệp “\(name)” không phải ảnh JPEG, PNG hay tệp PDF." }
        if type.hasPrefix("image/") {
            guard let (width, height) = dimensions(of: data) else { return "Ảnh “\(name)” bị hỏng: không đọc được kích thước." }
            if width == 0 || height == 0 || width > maxSide || height > maxSide || width * height > maxPixels {
                return "Ảnh “\(name)” có kích thước \(width) × \(height) điểm ảnh, lớn quá mức một ảnh chụp (tối đa 100 triệu điểm ảnh)."
            }
        }
        return nil
    }

    /// The width and height an image declares: a PNG's IHDR, a JPEG's first frame header.
    /// Read from the bytes, never by decoding the image.
    public static func dimensions(of data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(maxBytes))
        func be16(_ at: Int) -> Int? { at + 2 <= bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : nil }
        func be32(_ at: Int) -> Int? { guard let high = be16(at), let low = be16(at + 2) else { return nil }; return high << 16 | low }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            guard bytes.count >= 24, bytes[12..<16].elementsEqual("IHDR".utf8), let w = be32(16), let h = be32(20) else { return nil }
            return (w, h)
        }
        guard bytes.starts(with: [0xFF, 0xD8]) else { return nil }
        var at = 2
        while at + 4 <= bytes.count {
            guard bytes[at] == 0xFF else { return nil }
            let marker = bytes[at + 1]
            if marker == 0xFF { at += 1; continue }  // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { at += 2; continue }
            guard let length = be16(at + 2), length >= 2 else { return nil }
            // Start of frame (baseline, progressive, …; not the DHT, JPG and DAC markers).
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                guard let h = be16(at + 5), let w = be16(at + 7) else { return nil }
                return (w, h)
            }
            if marker == 0xDA || marker == 0xD9 { return nil }  // scan data before any frame header
            at += 2 + length
        }
        return nil
    }
}

/// The funnel of a year, per sector: registered → verified → recognised → tiêu biểu →
/// commended → proposed upward. Each number counts models (initiatives), each once.
public struct FunnelRow: Sendable, Hashable, Codable {
    public var sector: String
    public var name: String
    public var registered = 0
    /// Verified by any federation, whatever the verdict.
    public var verified = 0
    /// Verified with the verdict "đạt".
    public var passed = 0
    public var recognised = 0
    public var exemplary = 0
    public var commended = 0
    /// Proposed to the reporting federation by the federations below it.
    public var proposedBelow = 0
    /// Proposed by the reporting federation itself to the level above: only its own
    /// nominations, never those its sub-federations made to it.
    public var nominated = 0

    public init(sector: String, name: String) {
        self.sector = sector
        self.name = name
    }

    public var values: [Int] { [registered, verified, passed, recognised, exemplary, commended, proposedBelow, nominated] }
    public static let headings = ["Đăng ký", "Đã thẩm định", "Thẩm định đạt", "Được công nhận", "Tiêu biểu", "Được khen thưởng",
                                  "Cấp dưới đề nghị", "Đề nghị cấp trên"]

    public static func total(_ rows: [FunnelRow]) -> FunnelRow {
        var t = FunnelRow(sector: "", name: "Tổng")
        for r in rows {
            t.registered += r.registered; t.verified += r.verified; t.passed += r.passed; t.recognised += r.recognised
            t.exemplary += r.exemplary; t.commended += r.commended; t.proposedBelow += r.proposedBelow; t.nominated += r.nominated
        }
        return t
    }
}

/// A search of the public library: the words of the query, diacritics, case and tone
/// placement folded away ("thuy", "thuỷ" and "Thủy" are one word).
public struct LibrarySearch: Sendable, Equatable {
    public var words: [String]

    /// The words of a query that search: at most 8, each of at least 2 letters (a single
    /// letter finds nearly everything and says nothing).
    public init(_ query: String) {
        let key = VietnameseText.searchKey(String(String.UnicodeScalarView(query.unicodeScalars.prefix(400))))
        words = Array(Self.words(of: key).filter { $0.count >= 2 }.prefix(8))
    }

    /// Whether a query word finds the words it starts ("thu" finds "thuy"), or only itself:
    /// a word of two letters ("an", "va") is taken whole, as its prefixes would be most words.
    public static func isPrefix(_ word: String) -> Bool { word.count >= 3 }

    /// The folded text a model is searched in: its words, each preceded by a space, so that
    /// `LIKE '% word%'` matches the start of a word.
    public static func document(_ parts: [String]) -> String {
        " " + words(of: VietnameseText.searchKey(parts.joined(separator: " "))).joined(separator: " ") + " "
    }

    /// The distinct words of a model's search text (the word index's rows).
    public static func indexWords(_ document: String) -> [String] {
        Array(Set(words(of: document)))
    }

    /// Words sort byte by byte; every word starting with `word` sorts before this bound.
    public static func upperBound(_ word: String) -> String { word + "\u{10FFFF}" }

    static func words(of key: String) -> [String] {
        key.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { String($0).lowercased() }
    }
}

/// The level a recognition was made at, named from the recognising federation's depth in
/// the tree (0 = the top): "Cấp thành phố", "Cấp quận/huyện", then "Cấp cơ sở" for the
/// federations right above the grassroots unions.
public enum RecognitionLevel {
    public static func name(depth: Int) -> String {
        switch depth {
        case ..<1: "Cấp thành phố"
        case 1: "Cấp quận/huyện"
        default: "Cấp cơ sở"
        }
    }
}
