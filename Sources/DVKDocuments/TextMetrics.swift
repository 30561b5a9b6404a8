import Foundation

/// Advance widths of Liberation Serif, metric-compatible with Times New Roman, so the
/// DOCX and XLSX writers can size lines and rows the way Word and the PDF will, without
/// loading a font. Values are font units (2048 per em), taken from the font files.
enum TextMetrics {
    private static let unitsPerEm = 2048.0
    /// The letters after ASCII 32...126 that have a width of their own.
    private static let extra: [Character] = Array("đĐưƯơƠ\u{2013}\u{201C}\u{201D}\u{2018}\u{2019}\u{2026}")
    private static let widths: [[Int]] = [
        [
        512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024,
        1024, 1024, 569, 569, 1155, 1155, 1155, 909, 1886, 1479, 1366, 1366, 1479, 1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821, 1479, 1479,
        1139, 1479, 1366, 1139, 1251, 1479, 1479, 1933, 1479, 1479, 1251, 682, 569, 682, 961, 1024, 682, 909, 1024, 909, 1024, 909, 682, 1024,
        1024, 569, 569, 1024, 569, 1593, 1024, 1024, 1024, 1024, 682, 797, 569, 1024, 1024, 1479, 1024, 1024, 909, 983, 410, 983, 1108, 1024,
        1479, 1110, 1589, 1083, 1479, 1024, 909, 909, 682, 682, 2048,
        ],
        [
        512, 682, 1137, 1024, 1024, 2048, 1706, 569, 682, 682, 1024, 1167, 512, 682, 512, 569, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024,
        1024, 1024, 682, 682, 1167, 1167, 1167, 1024, 1905, 1479, 1366, 1479, 1479, 1366, 1251, 1593, 1593, 797, 1024, 1593, 1366, 1933, 1479, 1593,
        1251, 1593, 1479, 1139, 1366, 1479, 1479, 2048, 1479, 1479, 1366, 682, 569, 682, 1190, 1024, 682, 1024, 1139, 909, 1139, 909, 682, 1024,
        1139, 569, 682, 1139, 569, 1706, 1139, 1024, 1139, 1139, 909, 797, 682, 1139, 1024, 1479, 1024, 1024, 909, 807, 451, 807, 1065, 1139,
        1479, 1229, 1630, 1134, 1593, 1024, 1024, 1024, 682, 682, 2048,
        ],
        [
        512, 682, 860, 1024, 1024, 1706, 1593, 438, 682, 682, 1024, 1382, 512, 682, 512, 569, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024,
        1024, 1024, 682, 682, 1382, 1382, 1382, 1024, 1884, 1251, 1251, 1366, 1479, 1251, 1251, 1479, 1479, 682, 909, 1366, 1139, 1706, 1366, 1479,
        1251, 1479, 1251, 1024, 1139, 1479, 1251, 1706, 1251, 1139, 1139, 797, 569, 797, 864, 1024, 682, 1024, 1024, 909, 1024, 909, 569, 1024,
        1024, 569, 569, 909, 569, 1479, 1024, 1024, 1024, 1024, 797, 797, 569, 1024, 909, 1366, 909, 909, 797, 819, 563, 819, 1108, 1024,
        1479, 1117, 1544, 1093, 1479, 1024, 1139, 1139, 682, 682, 1821,
        ],
        [
        512, 797, 1137, 1024, 1024, 1706, 1593, 569, 682, 682, 1024, 1167, 512, 682, 512, 569, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024,
        1024, 1024, 682, 682, 1167, 1167, 1167, 1024, 1704, 1366, 1366, 1366, 1479, 1366, 1366, 1479, 1593, 797, 1024, 1366, 1251, 1821, 1479, 1479,
        1251, 1479, 1366, 1139, 1251, 1479, 1366, 1821, 1366, 1251, 1251, 682, 569, 682, 1167, 1024, 682, 1024, 1024, 909, 1024, 909, 682, 1024,
        1139, 569, 569, 1024, 569, 1593, 1139, 1024, 1024, 1024, 797, 797, 569, 1139, 909, 1366, 1024, 909, 797, 713, 451, 713, 1167, 1024,
        1479, 1227, 1587, 1099, 1479, 1024, 1024, 1024, 682, 682, 2048,
        ],
    ]

    /// The width in points of `text` at `size`; other letters count as their base letter
    /// (Vietnamese marks do not change an advance), unknown ones as an "n".
    static func width(_ text: String, size: Double, bold: Bool = false, italic: Bool = false) -> Double {
        let table = widths[(bold ? 1 : 0) + (italic ? 2 : 0)]
        var units = 0
        for character in text {
            units += advance(character, table)
        }
        return Double(units) * size / unitsPerEm
    }

    private static func advance(_ character: Character, _ table: [Int]) -> Int {
        if let ascii = character.asciiValue {
            return (32...126).contains(ascii) ? table[Int(ascii) - 32] : 0
        }
        if let index = extra.firstIndex(of: character) { return table[95 + index] }
        // A precomposed Vietnamese letter has the advance of its base letter (with its
        // horn for ư/ơ, which are wider): the tone and quality marks add nothing.
        let scalars = Array(String(character).decomposedStringWithCanonicalMapping.unicodeScalars)
        if let base = scalars.first, base != character.unicodeScalars.first {
            var key = String(base)
            if scalars.contains("\u{031B}") { key = (key + "\u{031B}").precomposedStringWithCanonicalMapping }
            if let k = key.first {
                if let ascii = k.asciiValue, (32...126).contains(ascii) { return table[Int(ascii) - 32] }
                if let index = extra.firstIndex(of: k) { return table[95 + index] }
            }
        }
        return table[Int(Character("n").asciiValue ?? 110) - 32]
    }

    /// How many lines `text` takes in `width` points, breaking at spaces (an estimate that
    /// Word and LibreOffice agree with closely for Times New Roman).
    static func lineCount(_ text: String, size: Double, bold: Bool = false, width: Double) -> Int {
        guard width > 0 else { return 1 }
        var lines = 0
        for hardLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += 1
            var used = 0.0
            let space = Self.width(" ", size: size, bold: bold)
            for word in hardLine.split(separator: " ") {
                let w = Self.width(String(word), size: size, bold: bold)
                if used == 0 {
                    used = w
                } else if used + space + w <= width {
                    used += space + w
                } else {
                    lines += 1
                    used = w
                }
                // A word longer than the line wraps by itself.
                while used > width {
                    lines += 1
                    used -= width
                }
            }
        }
        return max(1, lines)
    }
}
