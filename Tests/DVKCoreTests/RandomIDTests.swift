import DVKCore
import Foundation
import Testing

struct RandomIDTests {
    /// Version 4, RFC 4122's variant, every one different, and its text reads back.
    @Test func randomIDsAreVersionFourAndDistinct() {
        let ids = (0..<20_000).map { _ in UUID.random() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(1_000) {
            #expect(id.uuid.6 >> 4 == 4 && id.uuid.8 >> 6 == 0b10, "\(id)")
            #expect(UUID(uuidString: id.uuidString) == id)
        }
        // Every bit outside the version and variant takes both values.
        var ones = [Int](repeating: 0, count: 128)
        for id in ids {
            withUnsafeBytes(of: id.uuid) { bytes in
                for bit in 0..<128 where bytes[bit / 8] & (1 << (7 - bit % 8)) != 0 { ones[bit] += 1 }
            }
        }
        let fixed: Set<Int> = [48, 49, 50, 51, 64, 65]
        for bit in 0..<128 where !fixed.contains(bit) {
            #expect((8_000...12_000).contains(ones[bit]), "bit \(bit) set \(ones[bit]) times in 20,000")
        }
    }
}
