import Foundation

/// One run of an outside program by a test: a reader used as an oracle (pdftotext, the Python
/// readers, LibreOffice) or a tool such as sha256sum.
public struct ProgramRun: Sendable {
    public var status: Int32
    /// Whether it ended by a signal (for instance killed at the deadline) rather than by exiting.
    public var signalled: Bool
    public var output: String
    public var errors: String

    public var succeeded: Bool { status == 0 && !signalled }

    /// "failed (2)" or "was stopped by signal (9)", for a test's failure message.
    public var ending: String { "\(signalled ? "was stopped by signal" : "failed") (\(status))" }
}

public enum Program {
    /// How long a program may run. One that has not ended by then is killed with its process
    /// group (soffice runs its worker as a child of its launcher), so the test fails naming it
    /// instead of the suite hanging on it.
    public static let patience: TimeInterval = 300

    /// The oracle scripts (Tests/oracles).
    public static let oracles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("oracles")

    /// Runs `path` with `arguments` and waits for it. Its standard error goes to `output` as
    /// well when `mergingErrors`. Throws only when the program cannot be started.
    public static func run(_ path: String, _ arguments: [String], mergingErrors: Bool = false) throws -> ProgramRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = mergingErrors ? out : err
        try process.run()
        // Process spawns the child in a process group of its own, so its pid names the group.
        // Only the pid is held until the deadline, not the Process and its pipes.
        let group = process.processIdentifier
        let deadline = DispatchWorkItem { if group > 0 { kill(-group, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + patience, execute: deadline)
        defer { deadline.cancel() }
        // Both pipes are drained at once: a child blocked on a full standard error would never
        // close its standard output.
        let errors = Drained()
        let reading = DispatchGroup()
        if !mergingErrors {
            DispatchQueue.global().async(group: reading) { errors.data = err.fileHandleForReading.readDataToEndOfFile() }
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return ProgramRun(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                          output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors.data, as: UTF8.self))
    }

    /// Runs `tool` found on PATH (through /usr/bin/env).
    public static func run(tool: String, _ arguments: [String], mergingErrors: Bool = false) throws -> ProgramRun {
        try run("/usr/bin/env", [tool] + arguments, mergingErrors: mergingErrors)
    }

    /// Runs an oracle script on `file` and decodes the JSON object it prints.
    public static func oracle(_ script: String, _ file: String) throws -> [String: Any] {
        let command = "python3 \(script) \(file)"
        let run = try run(tool: "python3", [oracles.appendingPathComponent(script).path, file])
        guard run.succeeded else { throw Failure(description: "\(command) \(run.ending): \(run.errors)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any] else {
            throw Failure(description: "\(command) printed no JSON object")
        }
        return object
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }
}

/// What the reading thread filled in; read only after the group has been waited for.
private final class Drained: @unchecked Sendable {
    var data = Data()
}
