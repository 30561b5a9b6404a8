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
            #expect(AuditJSON.readChanges(written) == changes)
            // What Foundation writes by default (slashes escaped, keys in its own order) is
            // read as Foundation reads it, or left to it.
            let plain = String(decoding: try JSONEncoder().encode(changes), as: UTF8.self)
            #expect(AuditJSON.readChanges(plain).map { $0 == changes } ?? true)
            var details: [String: String] = [:]
            for _ in 0..<(1 + next(4)) { details[text()] = text() }
            // Foundation orders keys its own way (not by Swift's `<`); these are sorted by it.
            if details.keys.allSatisfy({ $0.unicodeScalars.allSatisfy { $0.properties.isAlphabetic && $0.isASCII } }) {
                #expect(AuditJSON.details(details) == Self.foundation(details))
            }
            #expect(try JSONDecoder().decode([String: String].self, from: Data(AuditJSON.details(details).utf8)) == details)
            #expect(AuditJSON.readDetails(AuditJSON.details(details)) == details)
            let plainDetails = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
            #expect(AuditJSON.readDetails(plainDetails).map { $0 == details } ?? true)
        }
    }

    /// The hand-written reader takes only the shape the writer writes, reads every escape
    /// JSON has as `JSONDecoder` does, and gives up (nil, for `JSONDecoder`) on anything else.
    @Test func readingBackTakesOnlyWhatWasWritten() throws {
        func foundation(_ text: String) -> [AuditChange]? { try? JSONDecoder().decode([AuditChange].self, from: Data(text.utf8)) }
        let escapes = #"[{"field":"a\/b\"\\\b\f\n\r\t","new":"\u00e9\u0301\u1EA1\ud83d\ude00\u0000","old":""}]"#
        #expect(AuditJSON.readChanges(escapes) == foundation(escapes))
        let upper = #"[{"field":"","new":"\uD83D\uDE00\u00C9","old":""}]"#
        #expect(AuditJSON.readChanges(upper) == foundation(upper))
        #expect(AuditJSON.readChanges(upper)?.first?.new == "😀É")
        #expect(AuditJSON.readChanges(escapes)?.first?.field == "a/b\"\\\u{8}\u{C}\n\r\t")
        #expect(AuditJSON.readChanges(escapes)?.first?.new.unicodeScalars.elementsEqual("\u{E9}\u{301}\u{1EA1}\u{1F600}\u{0}".unicodeScalars) == true)
        #expect(AuditJSON.readChanges("[]") == [])
        #expect(AuditJSON.readDetails("{}") == [:])
        #expect(AuditJSON.readDetails(#"{"Tệp":"a.xlsx","Dòng":"3"}"#) == ["Tệp": "a.xlsx", "Dòng": "3"])
        for other in [
            #"[{"new":"b","field":"a","old":"c"}]"#,        // another order: JSONDecoder's
            #"[ {"field":"a","new":"b","old":"c"}]"#,       // a space
            #"[{"field":"a","new":"b","old":"c"}] "#,       // after the end
            #"[{"field":"a","new":"b","old":"c"},]"#,
            #"[{"field":"a","new":"b","old":"c"}"#,
            #"[{"field":"a","new":"\ud83d","old":""}]"#,   // half a pair
            #"[{"field":"a","new":"\ude00","old":""}]"#,
            #"[{"field":"a","new":"\x","old":""}]"#,
            #"[{"field":"a","new":"\u12","old":""}]"#,
            #"[{"field":"\u12"#, #"[{"field":"a\"#, #"[{"field":"a"#,   // cut short
            #"[{"field":"a","new":"\ud83d\u0041","old":""}]"#,         // a high half, then no low
            #"[{"field":"a","new":"\uD83D","old":""}]"#,
            "[{\"field\":\"a\u{1}\",\"new\":\"\",\"old\":\"\"}]",   // a raw control character
            #"[{"field":1,"new":"","old":""}]"#,
            #"{"a":"b"}"#, "", "[",
        ] {
            #expect(AuditJSON.readChanges(other) == nil, "\(other)")
        }
        for other in [#"{"a":"\ude00"}"#, #"{"a":"1","a":"2"}"#, #"{"a":"1" }"#, #"{"a":1}"#, #"{"a":"1",}"#, #"["a"]"#, #"{"a""#] {
            #expect(AuditJSON.readDetails(other) == nil, "\(other)")
        }
    }

    @Test func nothingIsEmpty() {
        #expect(AuditJSON.changes([]) == "")
        #expect(AuditJSON.details([:]) == "")
        #expect(AuditJSON.details(["Tệp": "a\"b", "Dòng": "3"]) == #"{"Dòng":"3","Tệp":"a\"b"}"#)
        #expect(AuditJSON.details(["b": "", "Z": "", "a": ""]) == #"{"Z":"","a":"","b":""}"#)
    }
}
