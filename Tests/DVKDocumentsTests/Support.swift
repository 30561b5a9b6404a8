import DVKCore
import DVKDocuments
import Foundation
import Testing
import TestPrograms

/// Runs the real readers (python-docx, openpyxl, poppler, LibreOffice) as processes: the
/// tests judge the files by what those programs read back, not by our own parsing.
enum Oracle {
    typealias Failure = Program.Failure

    /// Whether a test that needs an outside tool runs: always in CI (`CI` set, as scripts/test
    /// does), where a missing tool must fail the run rather than skip it; elsewhere when the
    /// tool is there.
    static func runs(needing available: Bool) -> Bool {
        available || ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true
    }

    /// Whether `tool` is on PATH.
    static func has(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }

    /// Runs a program on PATH and returns its standard output; throws with its standard error
    /// when it fails or is killed at `Program.patience`.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let run = try Program.run(tool: tool, arguments)
        guard run.succeeded else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) \(run.ending): \(run.errors)")
        }
        return run.output
    }

    /// A fresh temporary directory, inside one folder per test process that is removed
    /// when the process exits.
    static func temporaryDirectory() throws -> URL {
        let url = processFolder.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static let processFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dvkdocs-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: processFolder) }
        return url
    }()

    /// Writes a rendered document into `directory` and returns its path.
    static func write(_ document: Document, as format: DocumentFormat, name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent("\(name).\(format.fileExtension)")
        try OfficialDocuments.render(document, as: format).write(to: url)
        return url.path
    }

    /// Runs a python oracle script and decodes its JSON.
    static func python(_ script: String, _ file: String) throws -> [String: Any] {
        try Program.oracle(script, file)
    }

    /// pdftotext -layout of one page (or all when nil).
    static func pdfText(_ file: String, page: Int? = nil) throws -> String {
        var arguments = ["-layout", "-enc", "UTF-8"]
        if let page { arguments += ["-f", String(page), "-l", String(page)] }
        return try run("pdftotext", arguments + [file, "-"])
    }

    static func pdfPages(_ file: String) throws -> Int {
        let info = try run("pdfinfo", [file])
        for line in info.split(separator: "\n") where line.hasPrefix("Pages:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }

    /// The integers standing alone in `text`, in reading order.
    static func integers(_ text: Substring) -> [Int] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).compactMap { Int($0) }
    }
}

/// The sample documents the tests render.
enum Samples {
    static var summary: Document { OfficialDocuments.summary(DocumentSamples.summary) }
    static var rollUp: Document { OfficialDocuments.rollUp(DocumentSamples.rollUp) }
    static var list500: Document { OfficialDocuments.initiativeList(DocumentSamples.initiativeList(count: 500)) }
    static var form: Document { OfficialDocuments.registrationForm(DocumentSamples.registrationForm) }
    static var report: Document { OfficialDocuments.report(DocumentSamples.report) }
    static var letter: Document { OfficialDocuments.letter(DocumentSamples.letter) }

    static var all: [(String, Document)] {
        [("summary", summary), ("rollup", rollUp), ("form", form), ("report", report), ("letter", letter)]
    }

    /// The summary's table as the tests expect to read it: per row TT then the four numbers.
    static func expectedRows(_ summary: Summary) -> [[Int]] {
        summary.rows.enumerated().map { [$0.offset + 1] + $0.element.tally.columns }
    }
}
