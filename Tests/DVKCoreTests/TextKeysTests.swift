import DVKCore
import Foundation
import Testing

@Suite struct TextKeysTests {
    /// A text kept by its bytes: two spellings of one accented word are two keys (String's
    /// `==` holds them equal), and the same bytes are one.
    @Test func aTextIsAKeyByItsBytes() {
        let composed = "Hạn nộp: trước ngày 16/02/2024"
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(composed == decomposed)
        #expect(TextBytesKey(composed) != TextBytesKey(decomposed))
        #expect(TextBytesKey(composed) == TextBytesKey(String(decoding: Array(composed.utf8), as: UTF8.self)))
        var kept: [TextBytesKey: Int] = [:]
        kept[TextBytesKey(composed)] = 1
        kept[TextBytesKey(decomposed)] = 2
        #expect(kept.count == 2)
        #expect(kept[TextBytesKey(composed)] == 1 && kept[TextBytesKey(decomposed)] == 2)
        #expect(TextBytesKey("a").hashValue == TextBytesKey("a").hashValue)
    }

    /// Every byte counts, first and last, in short texts and long ones; a copy is the same.
    @Test func sameBytesMeansEveryByte() {
        let long = String(repeating: "Hạn nộp hồ sơ ", count: 40)
        let cases: [(String, String, Bool)] = [
            ("", "", true), ("a", "b", false), ("a", "", false), ("ạ", "a\u{323}", false),
            (long, String(decoding: Array(long.utf8), as: UTF8.self), true),
            (long + "x", long + "y", false), ("x" + long, "y" + long, false), (long, long + " ", false),
        ]
        for (a, b, same) in cases {
            #expect(a.hasSameBytes(as: b) == same, "\(a.prefix(20).debugDescription) \(b.prefix(20).debugDescription)")
            #expect(b.hasSameBytes(as: a) == same)
        }
    }
}
