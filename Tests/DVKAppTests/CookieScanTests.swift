import PropertyBased
import Testing
import Vapor
@testable import DVKApp

/// A cookie read by bytes (`CookieScan`) is the one Vapor's parser reads, or left to it.
@Suite struct CookieScanTests {
    static let pieces = ["dvk_session", "dvk_flash", "dvk_session2", "x", "=", "==", ";", "; ", ",", " ", "\t", "abc-_9",
                         "\"", "\\\"", "Ư", "\u{0301}", "\u{7F}", "\u{1}", "(", "@", "/", "?", "{"]
    static let header = Gen.element(of: pieces).map { $0 ?? "" }.array(of: 0...14).map { $0.joined() }

    static func vapor(_ name: String, _ values: [String]) -> String? {
        var headers = HTTPHeaders()
        for value in values { headers.add(name: .cookie, value: value) }
        return headers.cookie?[name]?.string
    }

    @Test func aBrowsersHeaderIsReadWithoutVaporsParser() {
        let sent = ["theme=dark; dvk_session=lfU_QsIegZqbSCosFEO8EaAIFZqQZwaS-bVIL_i4SLU; dvk_flash=X1"]
        #expect(CookieScan.value(of: "dvk_session", in: sent) == .decided("lfU_QsIegZqbSCosFEO8EaAIFZqQZwaS-bVIL_i4SLU"))
        #expect(CookieScan.value(of: "dvk_flash", in: sent) == .decided("X1"))
        #expect(CookieScan.value(of: "dvk", in: sent) == .decided(nil))
        #expect(CookieScan.value(of: "dvk_session", in: []) == .decided(nil))
        // The last pair of a name wins, across headers as in one; "a =" is no pair.
        for (sent, value) in [(["a=1; a=2", " a = 3 ,b=4"], "2"), (["a=1; a=2", "\ta=  3 ,b=4"], "3"), (["a=1,a=;b"], "")] {
            #expect(CookieScan.value(of: "a", in: sent) == .decided(value))
            #expect(Self.vapor("a", sent) == value)
        }
        #expect(CookieScan.value(of: "a", in: ["a=\"1\""]) == .undecided)
        #expect(CookieScan.value(of: "a", in: ["a=Thủy"]) == .undecided)
    }

    @Test func everyDecidedValueIsVaporsOnRandomHeaders() async {
        await propertyCheck(count: 3000, input: Self.header.array(of: 1...2), Gen.element(of: ["dvk_session", "x", "dvk_flash"])) { values, name in
            let name = name ?? "x"
            switch CookieScan.value(of: name, in: values) {
            case .decided(let value): #expect(value == Self.vapor(name, values), "\(values)")
            case .undecided: #expect(values.contains { $0.utf8.contains { $0 == UInt8(ascii: "\"") || $0 > 0x7E || $0 < 0x20 && $0 != 9 } })
            }
        }
    }

    @Test func theRequestReadsTheScannedValueAndVaporsForTheRest() async throws {
        let app = try await Application.make(.testing)
        let plain = Request(application: app, method: .GET, url: "/", headers: ["Cookie": "a=1; dvk_session=tok"], on: app.eventLoopGroup.any())
        #expect(plain.cookie("dvk_session") == "tok")
        let quoted = Request(application: app, method: .GET, url: "/", headers: ["Cookie": "dvk_session=\"tok\""], on: app.eventLoopGroup.any())
        #expect(quoted.cookie("dvk_session") == "tok")
        try await app.asyncShutdown()
    }
}
