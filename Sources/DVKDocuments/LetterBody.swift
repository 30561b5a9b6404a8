import DVKCore
import Foundation

/// The plain-text format a campaign's letter body is stored in, and its parser.
///
/// The format, line by line:
/// - A blank line ends a paragraph. Lines that follow each other are one paragraph,
///   joined with a space (so text pasted with hard line breaks still flows).
/// - A line starting "- " begins a bullet paragraph; the "- " is printed as written.
/// - A line starting with a number, a dot and a space ("1. ", "2. ") begins a numbered
///   paragraph; the number is printed as written (nothing is renumbered).
/// - Inside a line, `**text**` is bold, `*text*` is italic and `***text***` both; a marker
///   without its closing partner on the same paragraph is printed as it is; `\*` is a
///   literal asterisk.
///
/// Every paragraph is a body paragraph: 14 pt, justified, first-line indent 1.27 cm,
/// 6 pt after. Example:
///
///     Thực hiện Công văn số 274/LĐLĐ …, Ban Thường vụ đề nghị:
///
///     1. Đẩy mạnh công tác tuyên truyền …
///     - *Trong lĩnh vực kinh tế*: …
public enum LetterBody {
    /// Paragraphs of `text` in the body format above.
    public static func parse(_ text: String) -> [Paragraph] {
        let normalised = text.precomposedStringWithCanonicalMapping
            .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var paragraphs: [Paragraph] = []
        var current: [String] = []
        func flush() {
            guard !current.isEmpty else { return }
            paragraphs.append(Layout.body(runs(current.joined(separator: " "))))
            current = []
        }
        for rawLine in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = VietnameseText.clean(String(rawLine))
            if line.isEmpty {
                flush()
                continue
            }
            if startsBlock(line) { flush() }
            current.append(line)
        }
        flush()
        return paragraphs
    }

    /// "- …" and "12. …" start a paragraph of their own.
    static func startsBlock(_ line: String) -> Bool {
        if line.hasPrefix("- ") { return true }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return false }
        return line.dropFirst(digits.count).hasPrefix(". ")
    }

    /// The styled runs of one paragraph's text, in one pass and a half: the text is cut
    /// into characters and runs of stars; a run of one to three stars is a marker, which
    /// opens a span when a later marker of the same length can close it (found by a
    /// backward pass, so a body of any length is read in linear time); longer runs and
    /// unmatched markers are printed as they are.
    public static func runs(_ text: String) -> [Run] {
        enum Token { case text(Character), stars(Int) }
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if c == "\\", next < text.endIndex, text[next] == "*" {
                tokens.append(.text("*"))
                index = text.index(after: next)
            } else if c == "*" {
                var end = next
                while end < text.endIndex, text[end] == "*" { end = text.index(after: end) }
                tokens.append(.stars(text.distance(from: index, to: end)))
                index = end
            } else {
                tokens.append(.text(c))
                index = next
            }
        }
        // laterMarker[i][k]: a marker of k stars comes after token i.
        var laterMarker = [[Bool]](repeating: [false, false, false, false], count: tokens.count + 1)
        for i in stride(from: tokens.count - 1, through: 0, by: -1) {
            laterMarker[i] = laterMarker[i + 1]
            if case .stars(let n) = tokens[i], n <= 3 { laterMarker[i][n] = true }
        }
        var runs: [Run] = []
        var buffer = ""
        var bold = false, italic = false
        func emit() {
            if !buffer.isEmpty { runs.append(Run(buffer, bold: bold, italic: italic)) }
            buffer = ""
        }
        for (i, token) in tokens.enumerated() {
            switch token {
            case .text(let c):
                buffer.append(c)
            case .stars(let n):
                let wantsBold = n >= 2, wantsItalic = n != 2
                let closing = n <= 3 && (wantsBold ? bold : true) && (wantsItalic ? italic : true)
                if n <= 3, closing || laterMarker[i + 1][n] {
                    emit()
                    if wantsBold { bold.toggle() }
                    if wantsItalic { italic.toggle() }
                } else {
                    buffer += String(repeating: "*", count: n)
                }
            }
        }
        emit()
        return runs
    }
}
