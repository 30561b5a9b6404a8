import Foundation

/// Vietnamese text rules: the keys that decide when two names are "the same"
/// (DESIGN.md §6) and the diacritic-free key used by search.
public enum VietnameseText {
    /// NFC, trimmed, inner white space collapsed to one space. What is stored and shown.
    public static func clean(_ text: String) -> String {
        let nfc = Letters.isNFC(text) ? text : text.precomposedStringWithCanonicalMapping
        // Most text is already clean: said by one read, without writing it again scalar by
        // scalar (a tenth of an import's checking).
        if isTidy(nfc) { return nfc }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in nfc.unicodeScalars {
            if Letters.isSpace(scalar) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether `clean` would leave the text as it is: no space at either end, and every space
    /// between words one plain space.
    static func isTidy(_ text: String) -> Bool {
        var afterSpace = true
        for scalar in text.unicodeScalars {
            if Letters.isSpace(scalar) {
                if afterSpace || scalar != " " { return false }
                afterSpace = true
            } else {
                afterSpace = false
            }
        }
        return !afterSpace || text.isEmpty
    }

    /// The identity key of a name: clean, case-folded, with the tone mark of the
    /// syllables ending in oa, oe, uy placed by one convention (on the first vowel:
    /// "hòa", "khỏe", "thủy"), so "Thuỷ" and "Thủy" are one name.
    public static func nameKey(_ text: String) -> String {
        unifyTonePlacement(clean(text))
    }

    /// The search key: `nameKey` with every diacritic removed and đ written d,
    /// so "dan van kheo" finds "Dân vận khéo".
    /// Computed in one pass: every mark is dropped, so where `nameKey` puts the tone does not
    /// matter, and what is left is each letter's base in lower case (the same text as
    /// `stripDiacritics(nameKey(text))`, which a test checks on random text, at a fraction of
    /// its cost: every audit event and library word is folded by it).
    public static func searchKey(_ text: String) -> String {
        // Into UTF-8 bytes, ASCII directly (most of a Vietnamese text's letters): appending
        // scalar by scalar to a String was most of an import's folding.
        let cleaned = clean(text)
        var out: [UInt8] = []
        out.reserveCapacity(cleaned.utf8.count)
        for scalar in cleaned.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(truncatingIfNeeded: scalar.value)
                out.append((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
                continue
            }
            for part in Letters.decompose(scalar) {
                if (0x0300...0x036F).contains(part.value) { continue }
                let folded = Letters.isLetter(part) ? Letters.lower(part) : part
                switch folded.value {
                case 0x0111: out.append(UInt8(ascii: "d"))
                case 0x0110: out.append(UInt8(ascii: "D"))
                default: UTF8.encode(folded) { out.append($0) }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Removes every combining mark and maps đ/Đ to d/D.
    public static func stripDiacritics(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            for part in Letters.decompose(scalar) {
                switch part.value {
                case 0x0300...0x036F: continue
                case 0x0111: out.append("d")
                case 0x0110: out.append("D")
                default: out.append(part)
                }
            }
        }
        return String(out)
    }

    /// A file name's words: "Chưa nộp — đã trả lại" → "chua-nop-da-tra-lai". ASCII letters
    /// and digits in lower case, one dash between words, at most `limit` characters; the
    /// input is read only as far as that needs (a cost counted here, not by the caller).
    public static func slug(_ text: String, limit: Int = 80) -> String {
        var slug = ""
        for scalar in stripDiacritics(String(text.prefix(limit * 4))).lowercased().unicodeScalars {
            if scalar.isASCII, ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
            if slug.count >= limit { break }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }

    /// 6300 → "6.300": thousands grouped with a dot, as Vietnamese writes numbers.
    public static func number(_ n: some BinaryInteger) -> String {
        // By bytes: counting the digits' characters again at each one, through a `String`,
        // was 1.8 % of a dashboard that writes some 200 numbers.
        let digits = Array(String(n.magnitude).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        if n < 0 { out.append(UInt8(ascii: "-")) }
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(UInt8(ascii: ".")) }
            out.append(digit)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Tone placement

    private static let toneMarks: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323]
    /// Vowel quality marks (circumflex, breve, horn) that make a letter a different vowel.
    private static let qualityMarks: Set<UInt32> = [0x0302, 0x0306, 0x031B]

    /// One decomposed letter: its base scalar, its quality marks, its tone mark.
    struct Letter {
        var base: Unicode.Scalar
        var quality = Marks()
        var tone: Unicode.Scalar?
    }

    /// A letter's quality marks in the order written: two inline (Vietnamese writes one),
    /// any more in an array.
    struct Marks {
        private(set) var count = 0
        private var first: Unicode.Scalar = "\0", second: Unicode.Scalar = "\0"
        private var more: [Unicode.Scalar] = []

        var isEmpty: Bool { count == 0 }

        mutating func append(_ mark: Unicode.Scalar) {
            switch count {
            case 0: first = mark
            case 1: second = mark
            default: more.append(mark)
            }
            count += 1
        }

        /// The only mark, when there is exactly one.
        var single: Unicode.Scalar? { count == 1 ? first : nil }

        var all: [Unicode.Scalar] { Array([first, second].prefix(count)) + more }
    }

    /// Lower-cases and re-places tone marks letter by letter, decomposing and recomposing
    /// Vietnamese letters through `Letters`' tables (Foundation's normalisers are far slower,
    /// and an import calls this for every name and title). Written into UTF-8 bytes, each
    /// letter's marks kept inline (`Letter`), so a name costs no allocation but its key's.
    static func unifyTonePlacement(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var word: [Letter] = []
        func flush() {
            guard !word.isEmpty else { return }
            placeTone(&word)
            for letter in word { Letters.compose(letter.base, letter.quality, letter.tone, into: &out) }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                // ASCII: a letter starts (lower-cased), anything else ends the word.
                let byte = UInt8(truncatingIfNeeded: scalar.value)
                switch byte {
                case 0x41...0x5A: word.append(Letter(base: Unicode.Scalar(byte | 0x20)))
                case 0x61...0x7A: word.append(Letter(base: scalar))
                default:
                    flush()
                    out.append(byte)
                }
                continue
            }
            for part in Letters.decompose(scalar) {
                if toneMarks.contains(part.value), !word.isEmpty {
                    word[word.count - 1].tone = part
                } else if qualityMarks.contains(part.value), !word.isEmpty {
                    word[word.count - 1].quality.append(part)
                } else if Letters.isLetter(part) {
                    word.append(Letter(base: Letters.lower(part)))
                } else {
                    flush()
                    UTF8.encode(part) { out.append($0) }
                }
            }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }

    /// Moves the tone of a syllable ending in plain "oa", "oe" or "uy" (no final
    /// consonant; "qu" + y excluded, as in "quý") onto the first of the two vowels.
    private static func placeTone(_ letters: inout [Letter]) {
        guard letters.count >= 2 else { return }
        let last = letters.count - 1
        guard letters[last - 1].quality.isEmpty, letters[last].quality.isEmpty else { return }
        let a = letters[last - 1].base, b = letters[last].base
        let isOA = a == "o" && (b == "a" || b == "e")
        let isUY = a == "u" && b == "y" && !(last >= 2 && letters[last - 2].base == "q")
        guard isOA || isUY else { return }
        guard let tone = letters[last - 1].tone ?? letters[last].tone else { return }
        letters[last - 1].tone = tone
        letters[last].tone = nil
    }

}

/// Decomposition and composition of the Latin letters Vietnamese uses (U+00C0–U+024F,
/// U+1E00–U+1EFF), built once from Foundation and then read from tables: decompositions by
/// position in those two blocks, compositions by their parts packed into one integer (a
/// letter of these blocks is at most a base and two marks).
enum Letters {
    /// A scalar's canonical decomposition: itself, or its base and one or two marks.
    struct Parts: Sequence, IteratorProtocol {
        fileprivate var values: (UInt32, UInt32, UInt32)
        fileprivate var count: UInt8
        fileprivate var index: UInt8 = 0

        fileprivate init(_ a: UInt32, _ b: UInt32 = 0, _ c: UInt32 = 0, count: UInt8) {
            values = (a, b, c)
            self.count = count
        }

        mutating func next() -> Unicode.Scalar? {
            guard index < count else { return nil }
            defer { index += 1 }
            let value = index == 0 ? values.0 : index == 1 ? values.1 : values.2
            return Unicode.Scalar(value) ?? "\u{FFFD}"
        }
    }

    private static let latin: ClosedRange<UInt32> = 0x00C0...0x024F, vietnamese: ClosedRange<UInt32> = 0x1E00...0x1EFF

    private static let tables: (latin: [Parts], vietnamese: [Parts], compose: [UInt64: Unicode.Scalar]) = {
        var compose: [UInt64: Unicode.Scalar] = [:]
        func decompositions(_ range: ClosedRange<UInt32>) -> [Parts] {
            range.map { value in
                guard let scalar = Unicode.Scalar(value) else { return Parts(value, count: 1) }
                let parts = String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
                guard parts.count > 1 else { return Parts(value, count: 1) }
                // None of these blocks' letters has more than three parts (Ǖ = U + ̈ + ̄).
                precondition(parts.count <= 3, "U+\(String(value, radix: 16)) decomposes into \(parts.count) scalars")
                compose[key(parts)] = scalar
                return Parts(parts[0], parts[1], parts.count > 2 ? parts[2] : 0, count: UInt8(parts.count))
            }
        }
        let first = decompositions(latin), second = decompositions(vietnamese)
        return (first, second, compose)
    }()

    /// Up to three scalars in one key, 21 bits each (no letter has more).
    private static func key(_ values: [UInt32]) -> UInt64 {
        values.enumerated().reduce(0) { $0 | UInt64($1.element) << (21 * UInt64($1.offset)) }
    }

    private static func key(_ a: UInt32, _ b: UInt32, _ c: UInt32 = 0) -> UInt64 {
        UInt64(a) | UInt64(b) << 21 | UInt64(c) << 42
    }

    static func decompose(_ scalar: Unicode.Scalar) -> Parts {
        let value = scalar.value
        if latin.contains(value) { return tables.latin[Int(value - latin.lowerBound)] }
        if vietnamese.contains(value) { return tables.vietnamese[Int(value - vietnamese.lowerBound)] }
        return Parts(value, count: 1)
    }

    /// Appends (as UTF-8) the precomposed letter for a base and its marks in canonical
    /// order, or the parts.
    static func compose(_ base: Unicode.Scalar, _ quality: VietnameseText.Marks, _ tone: Unicode.Scalar?, into out: inout [UInt8]) {
        func write(_ scalar: Unicode.Scalar) {
            if scalar.value < 0x80 { out.append(UInt8(truncatingIfNeeded: scalar.value)) } else { UTF8.encode(scalar) { out.append($0) } }
        }
        if quality.isEmpty, tone == nil { write(base); return }
        if quality.isEmpty, let tone, let composed = tables.compose[key(base.value, tone.value)] { write(composed); return }
        if quality.count == 1, tone == nil, let mark = quality.single, let composed = tables.compose[key(base.value, mark.value)] { write(composed); return }
        for scalar in compose(base, quality.all, tone) { write(scalar) }
    }

    private static func compose(_ base: Unicode.Scalar, _ quality: [Unicode.Scalar], _ tone: Unicode.Scalar?) -> [Unicode.Scalar] {
        var marks = quality
        if let tone { marks.append(tone) }
        // Canonical order: a lower combining class first (dot below, 220, before the circumflex, 230).
        let ordered = marks.enumerated().sorted {
            ($0.element.properties.canonicalCombiningClass.rawValue, $0.offset) < ($1.element.properties.canonicalCombiningClass.rawValue, $1.offset)
        }.map(\.element)
        if ordered.count <= 2, let composed = tables.compose[key([base.value] + ordered.map(\.value))] { return [composed] }
        // A base with one mark composed, then the other mark added (e.g. ơ + tone).
        if ordered.count == 2 {
            for (first, second) in [(ordered[0], ordered[1]), (ordered[1], ordered[0])] {
                if let inner = tables.compose[key(base.value, first.value)], let outer = tables.compose[key(inner.value, second.value)] {
                    return [outer]
                }
            }
        }
        return [base] + ordered
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: true
        case 0x21..<0x80: false
        default: scalar.properties.isWhitespace
        }
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A: true
        case 0..<0x80: false
        default: scalar.properties.isAlphabetic
        }
    }

    static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value >= 0x41 && scalar.value <= 0x5A { return Unicode.Scalar(scalar.value + 32)! }
        if scalar.value < 0x80 { return scalar }
        let mapped = scalar.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : scalar
    }

    /// True when the text is surely NFC: no combining marks and nothing outside the
    /// ranges whose letters are all precomposed (ASCII, Latin-1 … Latin Extended, Vietnamese).
    static func isNFC(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { s in
            s.value < 0x0300 || (0x1E00...0x1EFF).contains(s.value) || (0x2000...0x206F).contains(s.value)
                || (0x20A0...0x20CF).contains(s.value)
        }
    }
}
