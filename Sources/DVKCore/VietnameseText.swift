import Foundation

/// Vietnamese text rules: the keys that decide when two names are "the same"
/// (DESIGN.md §6) and the diacritic-free key used by search.
public enum VietnameseText {
    /// NFC, trimmed, inner white space collapsed to one space. What is stored and shown.
    public static func clean(_ text: String) -> String {
        let nfc = text.precomposedStringWithCanonicalMapping
        return nfc.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The identity key of a name: clean, case-folded, with the tone mark of the
    /// syllables ending in oa, oe, uy placed by one convention (on the first vowel:
    /// "hòa", "khỏe", "thủy"), so "Thuỷ" and "Thủy" are one name.
    public static func nameKey(_ text: String) -> String {
        let folded = clean(text).lowercased()
        return unifyTonePlacement(folded)
    }

    /// The search key: `nameKey` with every diacritic removed and đ written d,
    /// so "dan van kheo" finds "Dân vận khéo".
    public static func searchKey(_ text: String) -> String {
        stripDiacritics(nameKey(text))
    }

    /// Removes every combining mark and maps đ/Đ to d/D.
    public static func stripDiacritics(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue
            case 0x0111: out.append("d")
            case 0x0110: out.append("D")
            default: out.append(scalar)
            }
        }
        return String(out).precomposedStringWithCanonicalMapping
    }

    // MARK: - Tone placement

    private static let toneMarks: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323]
    /// Vowel quality marks (circumflex, breve, horn) that make a letter a different vowel.
    private static let qualityMarks: Set<UInt32> = [0x0302, 0x0306, 0x031B]

    /// One decomposed letter: its base scalar, its quality marks, its tone mark.
    private struct Letter {
        var base: Unicode.Scalar
        var quality: [Unicode.Scalar] = []
        var tone: Unicode.Scalar?
    }

    private static func unifyTonePlacement(_ text: String) -> String {
        var result = ""
        var word: [Letter] = []
        func flush() {
            guard !word.isEmpty else { return }
            result += render(placeTone(word))
            word.removeAll(keepingCapacity: true)
        }
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if toneMarks.contains(scalar.value), !word.isEmpty {
                word[word.count - 1].tone = scalar
            } else if qualityMarks.contains(scalar.value), !word.isEmpty {
                word[word.count - 1].quality.append(scalar)
            } else if scalar.properties.isAlphabetic {
                word.append(Letter(base: scalar))
            } else {
                flush()
                result.unicodeScalars.append(scalar)
            }
        }
        flush()
        return result.precomposedStringWithCanonicalMapping
    }

    /// Moves the tone of a syllable ending in plain "oa", "oe" or "uy" (no final
    /// consonant; "qu" + y excluded, as in "quý") onto the first of the two vowels.
    private static func placeTone(_ letters: [Letter]) -> [Letter] {
        guard letters.count >= 2 else { return letters }
        let last = letters.count - 1
        let pair = (letters[last - 1], letters[last])
        guard pair.0.quality.isEmpty, pair.1.quality.isEmpty else { return letters }
        let a = Character(pair.0.base), b = Character(pair.1.base)
        let isOA = a == "o" && (b == "a" || b == "e")
        let isUY = a == "u" && b == "y" && !(last >= 2 && Character(letters[last - 2].base) == "q")
        guard isOA || isUY else { return letters }
        guard let tone = pair.0.tone ?? pair.1.tone else { return letters }
        var out = letters
        out[last - 1].tone = tone
        out[last].tone = nil
        return out
    }

    private static func render(_ letters: [Letter]) -> String {
        var scalars = String.UnicodeScalarView()
        for letter in letters {
            scalars.append(letter.base)
            scalars.append(contentsOf: letter.quality)
            if let tone = letter.tone { scalars.append(tone) }
        }
        return String(scalars)
    }
}
