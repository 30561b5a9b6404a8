import Dispatch
import Foundation
import Synchronization
import VaporCSQLite

/// Folds a large transaction's write-ahead log back into the database file on a thread of
/// its own.
///
/// SQLite's default is that the connection whose commit brings the log past 1,000 pages
/// copies the log into the file then and there (an automatic checkpoint), inside that
/// commit and with the file's write lock held: every writer queued behind it waits. For the
/// small commits of deadline day that is right: each checkpoint copies a few pages, the log
/// starts over at the next write and stays small and in memory. (Handing those to another
/// thread was measured worse: `scripts/rush` used a fifth more CPU a write, because a
/// checkpoint running beside the writer never found the log all copied, so the log never
/// started over and every commit asked for another.) A 60,000-row import's commit, though,
/// was followed by 0.6 s of CPU copying 160 MB, plus its `fsync`s, before the next write
/// could begin.
///
/// So the writer's connection reports each commit's log size and the pages the commit
/// wrote to it (`sqlite3_wal_hook`, which replaces the automatic checkpoint, and the
/// connection's `SQLITE_DBSTATUS_CACHE_WRITE`), and `afterCommit` answers: a commit that
/// wrote fewer than `handOver` pages checkpoints in place as SQLite's own would (`PASSIVE`),
/// but past `pages` pages of log, not SQLite's 1,000; one that wrote more (a large
/// transaction) hands its checkpoint to this checkpointer's own connection, which runs it on
/// its own queue while the writer goes on. While that runs, commits leave the log alone;
/// after it they checkpoint in place again, and the log starts over as before. What a run
/// could not copy (a reader still on an older snapshot holds those pages back; another
/// process's checkpoint holds the log) and large commits made during it are its backlog:
/// while that is 4,000 pages or more it runs again 20 ms later, at most 50 times in a row,
/// then commits checkpoint in place as SQLite's would. The counts only steer the work: a
/// checkpoint done, skipped or repeated wrongly costs time, never data. A checkpoint is
/// safe to stop anywhere: at shutdown a running one is interrupted, and the log, still
/// whole, is folded in by the next.
final class SQLiteCheckpointer: Sendable {
    /// The log's size, in pages, from which a commit checkpoints (32 MiB of 4 KiB pages).
    /// Deadline day's commits rewrite the same pages over and over (a unit's counts, the
    /// trail's heads, the last page of each table and index), and a checkpoint copies each
    /// page once, however often the log holds it; it also syncs the log and the file, and
    /// the writer waits for it. SQLite's 1,000 checkpointed eight times as often:
    /// `scripts/rush --db sqlite --units 200 --seconds 10 --connections 64 --no-kill`,
    /// alternated, 2,132–2,471 writes/s at 1,000 pages, 2,480–2,329 at 2,000, 2,470–2,650 at
    /// 4,000, 2,801–2,862 at 8,000, 2,674–2,807 at 16,000; the writes' p99 rose from 40–47 ms
    /// to 60–68 ms (the writer waits for one longer checkpoint instead of eight short ones)
    /// and 84 ms at 16,000. A reader opened after a crash reads the whole log once to index
    /// it: 32 MiB at most.
    static let pages: Int32 = 8_000
    /// The pages one commit writes from which its checkpoint is handed over (16 MiB of
    /// 4 KiB pages; a deadline-day group commit writes a few hundred).
    static let handOver = 4_000

    /// What the writer's commit does about the log.
    enum Step: Equatable {
        case nothing, checkpointInPlace, handedOver
    }

    let path: String
    private let queue = DispatchQueue(label: "dvk.sqlite.checkpoint", qos: .utility)

    private struct State {
        var running = false
        var stopped = false
        /// No commit seen yet: the log may hold another process's large transaction (a
        /// command-line import), which the first commit's checkpoint would copy in place.
        var first = true
        /// Pages of the log the last checkpoint could not copy yet (a reader still on an
        /// older snapshot holds them back), and those of large commits made while one ran.
        var backlog = 0
        /// Runs in a row that left a backlog (`retries` at most, then in place as SQLite's).
        var tries = 0
        /// The open handle's address, for `sqlite3_interrupt` from another thread at shutdown.
        var handle = 0
    }
    private let state = Mutex(State())
    private let completed = Atomic<Int>(0)

    /// How often a run that could not copy the whole log tries again, `retryDelay` apart.
    static let retries = 50
    static let retryDelay = DispatchTimeInterval.milliseconds(20)

    /// Checkpoints this checkpointer has run that copied the whole log (read by the tests).
    var checkpoints: Int { completed.load(ordering: .relaxed) }

    init(path: String) { self.path = path }

    /// Called by the writer's connection after each commit: the log's size, and the pages
    /// the commit wrote to it, in pages.
    func afterCommit(logPages: Int32, written: Int) -> Step {
        let step = state.withLock { s -> Step in
            let unseen = s.first ? max(written, Int(logPages)) : written
            s.first = false
            if s.running {
                // The run under way copies these too, or tries again for them.
                if unseen >= Self.handOver { s.backlog += unseen }
                return .nothing
            }
            if s.backlog + unseen >= Self.handOver, s.tries < Self.retries, !s.stopped {
                s.running = true
                return .handedOver
            }
            return logPages >= Self.pages ? .checkpointInPlace : .nothing
        }
        if step == .handedOver { queue.async { self.run() } }
        return step
    }

    /// What a checkpoint in place copied: what it left is the backlog.
    func checkpointedInPlace(log: Int32, copied: Int32) {
        state.withLock { s in
            s.backlog = max(0, Int(log) - Int(copied))
            s.tries = 0
        }
    }

    /// Waits for a scheduled checkpoint to end (tests), without holding a thread of Swift's
    /// pool (two on two cores) while the checkpoint waits for one of Dispatch's.
    func drain() async {
        while true {
            await withCheckedContinuation { continuation in queue.async { continuation.resume() } }
            if !state.withLock({ $0.running }) || Task.isCancelled { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Holds (and lets go) the checkpointer's queue: the tests see what the writer does alone.
    func suspend() { queue.suspend() }
    func resume() { queue.resume() }

    /// Stops for good: no new checkpoint begins, a running one is interrupted, the handle
    /// is closed. Waits for its queue (a retry due later ends at once, opening nothing).
    func stop() {
        interrupt()
        queue.sync { close() }
    }

    /// `stop`, its wait for the queue not holding a thread of Swift's pool.
    func stop() async {
        interrupt()
        await withCheckedContinuation { continuation in
            queue.async {
                self.close()
                continuation.resume()
            }
        }
    }

    private func interrupt() {
        state.withLock { s in
            s.stopped = true
            if let handle = OpaquePointer(bitPattern: s.handle) { sqlite_nio_sqlite3_interrupt(handle) }
        }
    }

    private func close() {
        state.withLock { s in
            if let handle = OpaquePointer(bitPattern: s.handle) { sqlite_nio_sqlite3_close(handle) }
            s.handle = 0
        }
    }

    private func run() {
        // This run copies what the log holds now; large commits from here on add to the
        // backlog again.
        guard let (known, taken) = state.withLock({ s -> (Int, Int)? in
            // Stopped (a retry due after `stop`): nothing more, not even a connection.
            if s.stopped {
                s.running = false
                return nil
            }
            defer { s.backlog = 0 }
            return (s.handle, s.backlog)
        }) else { return }
        var log: Int32 = -1
        var copied: Int32 = -1
        var status = SQLITE_MISUSE
        let handle = OpaquePointer(bitPattern: known) ?? open()
        if let handle {
            status = sqlite_nio_sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        }
        let ran = status == SQLITE_OK && log >= 0 && copied >= 0
        let whole = ran && copied == log
        if whole { completed.add(1, ordering: .relaxed) }
        // Not all of it (a reader on an older snapshot, another process's checkpoint, a
        // large commit meanwhile): again shortly, a bounded number of times.
        let again = state.withLock { s -> Bool in
            s.backlog += ran ? Int(log) - Int(copied) : max(taken, Self.handOver)
            // No connection (the file busy past its timeout): the writer's commits take over.
            s.tries = handle == nil ? Self.retries : whole ? 0 : s.tries + 1
            if s.stopped || s.backlog < Self.handOver || s.tries >= Self.retries {
                s.running = false
                // An episode that ended with its backlog copied leaves no count behind.
                if s.backlog < Self.handOver { s.tries = 0 }
                return false
            }
            return true
        }
        if again { queue.asyncAfter(deadline: .now() + Self.retryDelay) { self.run() } }
    }

    /// Opens the checkpointer's own connection (on its queue), unless stopped.
    private func open() -> OpaquePointer? {
        if state.withLock({ $0.stopped }) { return nil }
        _ = SQLiteProcess.setUp
        var opened: OpaquePointer?
        let status = sqlite_nio_sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
        guard status == SQLITE_OK, let opened else {
            if let opened { sqlite_nio_sqlite3_close(opened) }
            return nil
        }
        // As the writer's: the log is synced before a checkpoint and the file after it. The
        // schema's read opens the log: a connection that failed to would checkpoint nothing.
        sqlite_nio_sqlite3_busy_timeout(opened, 1_000)
        guard sqlite_nio_sqlite3_exec(opened, "PRAGMA synchronous = NORMAL; PRAGMA schema_version", nil, nil, nil) == SQLITE_OK else {
            sqlite_nio_sqlite3_close(opened)
            return nil
        }
        let address = Int(bitPattern: opened)
        let kept = state.withLock { s -> Bool in
            if s.stopped { return false }
            s.handle = address
            return true
        }
        if !kept { sqlite_nio_sqlite3_close(opened) }
        return kept ? opened : nil
    }
}
