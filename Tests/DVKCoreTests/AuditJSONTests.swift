import DVKCore
import Foundation
import Testing

@Suite struct AuditJSONTests {
    /// What the trail stored before the hand-written JSON: its bytes must not change (the
    /// changes' exactly; the details' keys are in Swift's order), and what it writes must
    /// read back as written.
    static func foundation<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    @Test func theSameBytesAsFoundationOnRandomText() throws {
        var pool: [Unicode.Scalar] = Array("aăâđêôơư AĐ\"\\/'<>&{}[]:,0é́".unicodeScalars)
        pool += (0..<0x20).compactMap(Unicode.Scalar.init) + [0x7F, 0x2028, 0x2029, 0xFEFF, 0x1F600, 0x0301, 0xFFFD].compactMap(Unicode.Scalar.init)
        var state: UInt64 = 2_412
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        func text() -> String {
            var s = String.UnicodeScalarView()
            for _ in 0..<next(20) { s.append(pool[next(pool.count)]) }
            return String(s)
        }
        for _ in 0..<5_000 {
            let changes = (0..<(1 + next(3))).map { _ in AuditChange(text(), old: text(), new: text()) }
            let written = AuditJSON.changes(changes)
            #expect(written == Self.foundation(changes))
            #expect(try JSONDecoder().decode([AuditChange].self, from: Data(written.utf8)) == changes)
            var details: [String: String] = [:]
            for _ in 0..<(1 + next(4)) { details[text()] = text() }
            // Foundation orders keys its own way (not by Swift's `<`); these are sorted by it.
            if details.keys.allSatisfy({ $0.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII } }) {
                #expect(AuditJSON.details(details) == Self.foundation(details))
            }
            #expect(try JSONDecoder().decode([String: String].self, from: Data(AuditJSON.details(details).utf8)) == details)
        }
    }

    @Test func nothingIsEmpty() {
        #expect(AuditJSON.changes([]) == "")
        #expect(AuditJSON.details([:]) == "")
        #expect(AuditJSON.details(["Tệp": "a\"b", "Dòng": "3"]) == #"{"Dòng":"3","Tệp":"a\"b"}"#)
        #expect(AuditJSON.details(["b": "", "Z": "", "a": ""]) == #"{"Z":"","a":"","b":""}"#)
    }
}
