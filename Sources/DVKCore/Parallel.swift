import Dispatch
import Foundation
import Synchronization

/// CPU work on data already in memory, shared among the machine's cores.
public enum Parallel {
    /// The cores this process may use, read once: on Linux each read of
    /// `activeProcessorCount` opens and reads files under /sys.
    public static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// `body` maps contiguous ranges of `0..<count`, one per worker, and the results come
    /// back in order. One worker (the caller's thread) below `perWorker` items a core, so a
    /// small input costs no thread.
    public static func map<T: Sendable>(_ count: Int, perWorker: Int = 1_000, cores: Int = Parallel.cores,
                                        _ body: @Sendable (Range<Int>) -> [T]) -> [T] {
        let workers = max(1, min(cores, count / max(1, perWorker)))
        guard workers > 1 else { return body(0..<count) }
        let parts = Mutex<[[T]]>(Array(repeating: [], count: workers))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let part = body(count * worker / workers..<count * (worker + 1) / workers)
            parts.withLock { $0[worker] = part }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }
}
