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
}
