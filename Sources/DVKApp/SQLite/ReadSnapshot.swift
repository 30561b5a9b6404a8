import Synchronization
import Vapor

/// A request's reads on SQLite in one read transaction, where nothing else comes between.
///
/// Run alone, each statement begins and ends a read transaction of its own: WAL's shared
/// locks taken and dropped (two `fcntl`s) around every statement, 5 % of a unit page's
/// samples for its dozen statements (`scripts/bench-reads --perf`). Inside `reading`, the
/// loop's reader begins one transaction at the request's first statement and keeps it for
/// the next, so the page also reads one state of the file throughout.
///
/// The reader is shared by every request of its loop, so the transaction is kept only while
/// no one else uses it (`SyncSQLiteConnection.join`):
/// - a statement of anyone else ends it first, and runs on the file as it is now: no request
///   ever reads through another's snapshot;
/// - a write of the request's own ends it (`wrote`), and no other begins for that request:
///   what it reads next includes what it wrote;
/// - the scope's end ends it, so that a reader never holds the log's checkpoint back for
///   longer than a request.
final class ReadSnapshot: Sendable {
    @TaskLocal static var current: ReadSnapshot?

    /// Until the request writes or its scope ends.
    private let open = Atomic<Bool>(true)
    /// The reader holding its transaction, to end it at the scope's end.
    private let holder = Mutex<SyncSQLiteConnection?>(nil)

    var isOpen: Bool { open.load(ordering: .acquiring) }

    /// Runs `body` with its reads in one read transaction (see the type).
    static func reading<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let snapshot = ReadSnapshot()
        do {
            let value = try await $current.withValue(snapshot) { try await body() }
            await snapshot.end()
            return value
        } catch {
            await snapshot.end()
            throw error
        }
    }

    /// The request is about to write: its reads from now on see the file as it is.
    static func wrote() {
        current?.open.store(false, ordering: .releasing)
    }

    /// Called by the reader that began its transaction.
    func began(on reader: SyncSQLiteConnection) {
        holder.withLock { $0 = reader }
    }

    /// Closes it, and ends its transaction if its reader still holds it.
    private func end() async {
        open.store(false, ordering: .releasing)
        guard let reader = holder.withLock({ held in defer { held = nil }; return held }) else { return }
        try? await reader.onLoop { reader.end(self) }
    }
}

/// Reads of GET and HEAD requests in one read transaction each (`ReadSnapshot`); installed on
/// SQLite only.
struct ReadSnapshotMiddleware: LoopMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD else {
            return try await next.respond(to: request)
        }
        return try await ReadSnapshot.reading { try await next.respond(to: request) }
    }
}
