import Foundation

/// The one rule for text a person sends — by a form, the API, a CSV or the CLI: what is
/// stored, and what is refused with which words.
///
/// Stored text is NFC with white space tidied (`VietnameseText.clean`, line by line for
/// long text). Refused: control and format characters (zero-width spaces, bidirectional
/// controls, private-use characters) and noncharacters (U+FFFE, U+FFFF, …) anywhere, and
/// line breaks or tabs in a one-line field; a required field without a single visible
/// letter or digit; text longer than the field allows.
///
/// Text costs what it looks like: a letter carries at most `maxMarks` combining marks
/// (Vietnamese needs two at most, its NFC form fewer) and is at most `maxScalars` code
/// points, so a field of N characters is at most 4·N code points for the renderer, the
/// search and the mail; input far longer than that is refused before any work on it.
public struct TextRule: Sendable, Hashable {
    public enum Shape: Sendable, Hashable {
        /// One line (a name, a title): inner white space collapsed.
        case line
        /// Paragraphs (content, a reason): line breaks kept, each line tidied.
        case multiline
    }

    /// How the field is named in a message ("tên mô hình").
    public var label: String
    public var shape: Shape
    public var maxLength: Int
    public var required: Bool

    public init(_ label: String, _ shape: Shape = .line, max: Int, required: Bool = false) {
        self.label = label
        self.shape = shape
        self.maxLength = max
        self.required = required
    }

    /// The text to store, or why it is refused (a Vietnamese clause without the field's
    /// place: "thiếu tên mô hình", "tên mô hình dài quá 500 ký tự").
    public func check(_ raw: String?) -> Result<String, TextProblem> {
        let raw = raw ?? ""
        // Before any work on it: more bytes than the longest text the field accepts could
        // be (4 code points a character, 4 bytes each), with room for spaces that go.
        if raw.utf8.count > maxLength * 16 + 1_024 { return .failure(tooLong) }
        if let bad = raw.unicodeScalars.first(where: { !isAllowed($0) }) {
            let what = bad == "\n" || bad == "\r" || bad == "\t"
                ? "không được xuống dòng hay có ký tự tab"
                : "có ký tự không hiển thị hoặc ký tự điều khiển (mã U+\(String(format: "%04X", bad.value)))"
            return .failure(TextProblem("\(label) \(what)"))
        }
        let value = clean(raw)
        if value.isEmpty {
            return required ? .failure(TextProblem("thiếu \(label)")) : .success("")
        }
        if required, !value.unicodeScalars.contains(where: Self.isVisibleLetterOrDigit) {
            return .failure(TextProblem("\(label) cần có ít nhất một chữ cái hoặc chữ số"))
        }
        // Most text is letters that stand alone (each scalar a character of its own, never
        // joined to the next): its length is its scalars', with no grapheme breaking.
        if let count = Self.standaloneLength(value) { return count > maxLength ? .failure(tooLong) : .success(value) }
        var count = 0
        for character in value {
            count += 1
            guard character.unicodeScalars.count > 1 else { continue }
            if character.unicodeScalars.count > Self.maxScalars
                || character.unicodeScalars.lazy.filter(Self.isCombiningMark).count > Self.maxMarks {
                return .failure(TextProblem("\(label) có chữ mang quá nhiều dấu hoặc ký tự ghép (mỗi chữ có tối đa \(Self.maxMarks) dấu)"))
            }
        }
        if count > maxLength { return .failure(tooLong) }
        return .success(value)
    }

    /// Combining marks on one letter: Vietnamese writes at most two (ệ = e + ◌̂ + ◌̣).
    public static let maxMarks = 2
    /// Code points in one letter (a flag is 2, a keycap 3).
    public static let maxScalars = 4

    /// `text` as a renderer takes it: each letter with at most `maxMarks` combining marks and
    /// `maxScalars` code points, the rest dropped. What the rule accepts is unchanged; text
    /// stored before the rule (or by hand) can no longer cost a renderer more than its length.
    public static func tamed(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for character in text {
            var marks = 0, scalars = 0
            for scalar in character.unicodeScalars {
                if isCombiningMark(scalar) {
                    marks += 1
                    if marks > maxMarks { continue }
                }
                scalars += 1
                if scalars > maxScalars { break }
                out.append(scalar)
            }
        }
        return String(out)
    }

    private var tooLong: TextProblem { TextProblem("\(label) dài quá \(VietnameseText.number(maxLength)) ký tự") }

    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// The stored form: NFC; a line collapsed; multiline with CRLF and CR as LF, each line
    /// tidied, blank lines at either end dropped.
    public func clean(_ raw: String) -> String {
        switch shape {
        case .line:
            return VietnameseText.clean(raw)
        case .multiline:
            // Lines end at LF, CRLF or a lone CR.
            var lines: [String] = []
            var line = String.UnicodeScalarView()
            var afterCR = false
            for scalar in raw.unicodeScalars {
                if scalar == "\n" && afterCR { afterCR = false; continue }
                afterCR = scalar == "\r"
                if scalar == "\n" || scalar == "\r" {
                    lines.append(VietnameseText.clean(String(line)))
                    line = String.UnicodeScalarView()
                } else {
                    line.append(scalar)
                }
            }
            lines.append(VietnameseText.clean(String(line)))
            while lines.first?.isEmpty == true { lines.removeFirst() }
            while lines.last?.isEmpty == true { lines.removeLast() }
            return lines.joined(separator: "\n")
        }
    }

    private func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20..<0x7F: return true
        case 0x09, 0x0A, 0x0D: return shape == .multiline
        case 0..<0x20, 0x7F: return false
        default:
            if scalar.properties.isNoncharacterCodePoint { return false }
            switch scalar.properties.generalCategory {
            case .control, .format, .privateUse, .surrogate, .lineSeparator, .paragraphSeparator: return false
            default: return true
            }
        }
    }

    /// The length of `text` in characters when each of its scalars is surely a character of
    /// its own: printable ASCII, the line feed, Latin-1 and Latin Extended letters, the
    /// Vietnamese block, dashes and quotes. None of these is a mark, a joiner or a part of a
    /// pair (CR LF, a flag, Hangul), so no grapheme rule joins them; nil for anything else.
    static func standaloneLength(_ text: String) -> Int? {
        var count = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x20..<0x7F, 0xA0...0x024F, 0x1E00...0x1EFF, 0x2010...0x2027: count += 1
            default: return nil
            }
        }
        return count
    }

    static func isVisibleLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (0x30...0x39).contains(scalar.value) || (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value) }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

/// Why a text was refused, as a Vietnamese clause ("thiếu tên mô hình").
public struct TextProblem: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }

    /// The clause as a sentence of its own ("Thiếu tên mô hình.").
    public var sentence: String { message.capitalizedSentence + "." }
}

extension TextRule {
    /// The text to store, or its refusal thrown as an invalid input (`check` for callers
    /// that gather the problems of several fields).
    public func validated(_ raw: String?) throws -> String {
        try check(raw).mapError { DomainError.invalid($0.sentence) }.get()
    }
}

/// The limits of the texts DVK keeps, in one place.
public enum TextRules {
    public static let unitName = TextRule("tên đơn vị", max: 300, required: true)
    public static let email = TextRule("email", max: 254)
    public static let phone = TextRule("số điện thoại", max: 50)
    public static let returnReason = TextRule("lý do trả lại", .multiline, max: 5_000, required: true)
    public static let reviewComment = TextRule("góp ý cho mô hình", .multiline, max: 2_000)
    public static let personName = TextRule("họ và tên", max: 200)
    public static let photoCaption = TextRule("chú thích ảnh", max: 300)
    public static let tokenName = TextRule("tên mã truy cập", max: 100, required: true)

    // A campaign and its letter.
    public static let campaignTitle = TextRule("tên đợt thi đua", max: 500, required: true)
    public static let letterNumber = TextRule("số công văn", max: 50)
    public static let place = TextRule("địa danh", max: 100)
    public static let subject = TextRule("trích yếu", max: 500, required: true)
    public static let letterBasis = TextRule("văn bản của cấp trên", max: 500)
    public static let addressees = TextRule("nơi gửi (kính gửi)", .multiline, max: 2_000)
    public static let recipients = TextRule("nơi nhận", .multiline, max: 2_000)
    public static let letterBody = TextRule("nội dung công văn", .multiline, max: 20_000)
    public static let signerAuthority = TextRule("thẩm quyền ký", max: 100)
    public static let signerTitle = TextRule("chức vụ người ký", max: 100, required: true)
    public static let signerName = TextRule("họ và tên người ký", max: 100)
    /// What a clerk writes into a report: "Đánh giá chung", "Đề xuất, kiến nghị".
    public static let reportAssessment = TextRule("phần đánh giá chung", .multiline, max: 10_000)
    public static let reportProposals = TextRule("phần đề xuất, kiến nghị", .multiline, max: 10_000)
    /// A unit's own signer (documents of a unit that is not a campaign's issuer).
    public static let unitSignerTitle = TextRule("chức vụ người ký", max: 100)
    public static let sectorName = TextRule("tên lĩnh vực", max: 200, required: true)
}
