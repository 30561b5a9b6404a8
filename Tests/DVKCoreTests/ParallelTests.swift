import DVKCore
import Testing

struct ParallelTests {
    /// Every item once, in order, whatever the split; a small input stays on one worker.
    @Test(arguments: [0, 1, 7, 1_999, 2_000, 4_000, 10_001])
    func mapsEveryItemOnceInOrder(count: Int) {
        for cores in [1, 2, 3, 8] {
            let ranges = Parallel.map(count, perWorker: 1_000, cores: cores) { range in [range] }
            #expect(ranges.map(\.count).reduce(0, +) == count)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(ranges.first?.lowerBound ?? 0 == 0 && ranges.last?.upperBound ?? 0 == count)
            #expect(ranges.count == max(1, min(cores, count / 1_000)), "\(count) items, \(cores) cores")
            let squares = Parallel.map(count, perWorker: 1_000, cores: cores) { range in range.map { $0 * $0 } }
            #expect(squares == (0..<count).map { $0 * $0 })
        }
    }
}
