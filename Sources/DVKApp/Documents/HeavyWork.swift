import DVKCore
import DVKDocuments
import Foundation
import Synchronization
import Vapor

/// The expensive work a request may ask for (rendering a document, reading an uploaded
/// spreadsheet) runs here: off the event loops, on the thread pool, and at most `permits`
/// at once in the process. A request that waits longer than `patience` for its turn is
/// answered 503 with Retry-After, so a burst of heavy requests queues a short while and
/// then sheds, instead of taking every thread and all the memory; pages and the API's
/// light routes keep their loops. Each piece's own cost is bounded by its input limits
/// (`SpreadsheetLimits`, `TextRule`), so a turn ends in time proportional to its input.
final class HeavyWork: Sendable {
    static let shared = HeavyWork(permits: max(2, System.coreCount))

    let permits: Int
    let patience: Duration
    /// What a request that ran out of patience is told (503).
    let busy: DomainError

    private struct State {
        var running = 0
        var waiting: [UUID: CheckedContinuation<Bool, Never>] = [:]
        var order: [UUID] = []
    }

    private let state = Mutex(State())

    init(permits: Int, patience: Duration = .seconds(15), busy: DomainError = HeavyWork.busy) {
        self.permits = permits
        self.patience = patience
        self.busy = busy
    }

    /// Runs `body` on `pool` in its turn.
    func run<T: Sendable>(on pool: NIOThreadPool, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await admit { try await pool.runIfActive(body) }
    }

    /// Pure work over a file's rows (checking an import): in place when the file is small,
    /// else on NIO's thread pool, so that a big upload never holds its request's event loop,
    /// where every request's code runs (`EventLoop.onLoopTask`).
    static func rows<T: Sendable>(_ count: Int, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        count < 2_000 ? try body() : try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// A long write made a chunk at a time, its making overlapped with its writing: chunk
    /// `index + 1` is made on another core while chunk `index` is used (inserted by the
    /// writer, whose statements run on their own thread). The chunks are made one after the
    /// other, in order, each from the `state` the one before it left (a chain's last hash,
    /// say), and at most two are held at once. When `use` throws, the chunk being made is
    /// dropped when done.
    ///
    /// The first chunk is made in place: nothing is written yet to overlap it with, and a
    /// small write (one chunk) never waits on another thread while its transaction holds the
    /// writer. The others are made on `pipelineQueue`, not on NIO's thread pool, where a big
    /// file's checking and password hashes may hold every thread for seconds.
    static func pipelined<State: Sendable, Chunk: Sendable>(
        _ count: Int, from state: State,
        make: @escaping @Sendable (_ index: Int, _ state: State) throws -> (Chunk, State),
        use: (Chunk) async throws -> Void
    ) async throws -> State {
        guard count > 0 else { return state }
        func start(_ index: Int, _ state: State) -> Task<(Chunk, State), any Error> {
            Task {
                try await withCheckedThrowingContinuation { continuation in
                    pipelineQueue.async { continuation.resume(with: Result { try make(index, state) }) }
                }
            }
        }
        var made = try make(0, state)
        for index in 0..<count {
            let (chunk, after) = made
            let pending = index + 1 < count ? start(index + 1, after) : nil
            try await use(chunk)
            // Freed off the caller's thread: a chunk is thousands of strings made on another
            // thread, and freeing them on the writer took a sixth of its time.
            Task.detached { withExtendedLifetime(chunk) {} }
            guard let pending else { return after }
            made = try await pending.value
        }
        return made.1
    }

    /// Where `pipelined` makes its chunks: Dispatch's threads, apart from NIO's pool.
    private static let pipelineQueue = DispatchQueue(label: "dvk.pipeline", qos: .userInitiated, attributes: .concurrent)

    /// `pipelined` with no state carried from chunk to chunk.
    static func pipelined<Chunk: Sendable>(_ count: Int, make: @escaping @Sendable (_ index: Int) throws -> Chunk,
                                           use: (Chunk) async throws -> Void) async throws {
        _ = try await pipelined(count, from: (), make: { index, _ in (try make(index), ()) }, use: use)
    }

    /// Runs async `body` (database work, say) in its turn.
    func admit<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async throws {
        let id = UUID.random()
        let now = state.withLock { s -> Bool in
            guard s.running >= permits else { s.running += 1; return true }
            return false
        }
        if now { return }
        let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let immediate = state.withLock { s -> Bool in
                if s.running < permits { s.running += 1; return true }
                s.waiting[id] = continuation
                s.order.append(id)
                return false
            }
            if immediate { continuation.resume(returning: true); return }
            // Out of patience: leave the queue, unless a turn was handed over meanwhile.
            Task { [patience] in
                try? await Task.sleep(for: patience)
                let expired = self.state.withLock { s -> CheckedContinuation<Bool, Never>? in
                    guard let c = s.waiting.removeValue(forKey: id) else { return nil }
                    s.order.removeAll { $0 == id }
                    return c
                }
                expired?.resume(returning: false)
            }
        }
        guard admitted else { throw busy }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            while let id = s.order.first {
                s.order.removeFirst()
                if let c = s.waiting.removeValue(forKey: id) { return c }  // the turn passes on; `running` stays
            }
            s.running -= 1
            return nil
        }
        next?.resume(returning: true)
    }

    static let busy = DomainError.unavailable("Máy chủ đang bận xử lý nhiều tệp và văn bản cùng lúc. Vui lòng thử lại sau ít phút.")
}

/// A document as a download: rendered as heavy work, its renderer's refusal a 422, with
/// the headers every download carries. The one way pages send a document.
enum DocumentDownload {
    static func response(_ req: Request, _ document: Document, as format: DocumentFormat, fileName: String,
                         inline: Bool = false) async throws -> Response {
        let data: Data
        do {
            data = try await HeavyWork.shared.run(on: req.application.threadPool) { try OfficialDocuments.render(document, as: format) }
        } catch let error as DocumentError {
            throw DomainError.invalid(error.message)
        }
        return Download.response(data, name: fileName, type: format.contentType, inline: inline)
    }
}

/// An uploaded spreadsheet read as heavy work, within the upload limits.
enum SpreadsheetUpload {
    static func table(_ req: Request, _ data: Data) async throws -> CSVTable {
        try await HeavyWork.shared.run(on: req.application.threadPool) { try SpreadsheetFile.table(data, limits: .upload) }
    }
}

extension SimpleWorkbook {
    /// `table`, written on the thread pool in its turn (`HeavyWork`): a province's units or a
    /// trail's events are a workbook of many thousand rows, work that must not hold the
    /// request's event loop (where every request's code runs).
    static func tableOffLoop(on req: Request, name: String, title: [String] = [], header: [String], rows: [[Cell]]) async throws -> Data {
        try await HeavyWork.shared.run(on: req.application.threadPool) { try table(name: name, title: title, header: header, rows: rows) }
    }
}
