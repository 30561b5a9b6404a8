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

    /// The styled runs of one paragraph's text.
    public static func runs(_ text: String) -> [Run] {
        let characters = Array(text)
        var runs: [Run] = []
        var buffer = ""
        var bold = false
        var italic = false
        func emit() {
            if !buffer.isEmpty { runs.append(Run(buffer, bold: bold, italic: italic)) }
            buffer = ""
        }
        /// How many "*" start at `index`.
        func stars(at index: Int) -> Int {
            var n = 0
            while index + n < characters.count, characters[index + n] == "*" { n += 1 }
            return n
        }
        /// Whether a marker of exactly `count` stars follows later (so this one opens a span).
        func hasClosing(_ count: Int, after index: Int) -> Bool {
            var i = index
            while i < characters.count {
                if characters[i] == "\\" { i += 2; continue }
                let n = stars(at: i)
                if n == count { return true }
                i += max(n, 1)
            }
            return false
        }
        var i = 0
        while i < characters.count {
            let c = characters[i]
            if c == "\\", i + 1 < characters.count, characters[i + 1] == "*" {
                buffer.append("*")
                i += 2
                continue
            }
            let n = stars(at: i)
            if n > 0 {
                let count = min(n, 3)
                let wantsBold = count >= 2, wantsItalic = count != 2
                let closing = (wantsBold ? bold : true) && (wantsItalic ? italic : true)
                if closing || hasClosing(count, after: i + count) {
                    emit()
                    if wantsBold { bold.toggle() }
                    if wantsItalic { italic.toggle() }
                    i += count
                    continue
                }
                buffer += String(repeating: "*", count: n)
                i += n
                continue
            }
            buffer.append(c)
            i += 1
        }
        emit()
        return runs
    }
}
