import DVKCore
import Foundation
import NIOCore
import NIOHTTP1
import PropertyBased
import Testing
import Vapor
@testable import DVKApp

/// The API's hand-written JSON is Foundation's, byte for byte, on random values.
@Suite struct DirectJSONTests {
    static let pieces: [String] = [
        "a", "Z", "0", " ", "Ư", "ệ", "Thủy", "\u{0301}", "\u{FFFF}", "\u{202E}", "\u{200B}", "\u{0}", "\u{1}", "\u{8}", "\u{9}",
        "\u{A}", "\u{B}", "\u{C}", "\u{D}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{85}", "\u{2028}", "\u{2029}", "\u{1F44D}\u{1F3FB}",
        "\"", "\\", "/", "</script>", "26/LĐLĐ", "&", "<", "'", "\\u0041", "—",
    ]
    static let text = Gen.element(of: pieces).map { $0 ?? "" }.array(of: 0...12).map { $0.joined() }
    static let maybeText = Gen.element(of: [true, false]).map { $0 ?? false }

    /// What `JSONCoding`'s encoder writes and what the API now writes.
    static func both<T: Encodable>(_ value: T) throws -> (foundation: String, direct: String) {
        let foundation = String(decoding: try JSONCoding.encoder().encode(value), as: UTF8.self)
        var body = ByteBufferAllocator().buffer(capacity: 0)
        var headers = HTTPHeaders()
        try DirectJSONContentEncoder(fallback: JSONCoding.encoder()).encode(value, to: &body, headers: &headers)
        #expect(headers.contentType == .json)
        return (foundation, body.readString(length: body.readableBytes) ?? "")
    }

    static func initiative(_ texts: [String], nulls: [Bool]) throws -> APIInitiative {
        var fields: [String: Any] = [:]
        let names = ["unit", "registrantName", "registrantTitle", "sector", "title", "purpose", "content", "scope",
                     "expectedResult", "personInCharge", "reviewComment"]
        for (index, name) in names.enumerated() { fields[name] = texts[index % texts.count] }
        for (index, name) in ["startDate", "endDate", "createdAt", "updatedAt"].enumerated() {
            fields[name] = nulls[index % nulls.count] ? NSNull() : texts[(index + 3) % texts.count]
        }
        fields["id"] = UUID.random().uuidString
        fields["continues"] = nulls[0 % nulls.count] ? NSNull() : UUID.random().uuidString
        fields["kind"] = (nulls[1 % nulls.count] ? RegistrantKind.collective : .individual).rawValue
        fields["continuity"] = (nulls[2 % nulls.count] ? Continuity.new : .continues).rawValue
        return try JSONDecoder().decode(APIInitiative.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    @Test func initiativesAreWrittenAsFoundationWritesThem() async throws {
        await propertyCheck(count: 500, input: Self.text.array(of: 1...11), Self.maybeText.array(of: 4...4)) { texts, nulls in
            let one = try Self.initiative(texts, nulls: nulls)
            let pair = try Self.both(one)
            #expect(pair.direct == pair.foundation)
            let list = try Self.both([one, try Self.initiative(texts.reversed(), nulls: nulls.reversed())])
            #expect(list.direct == list.foundation)
        }
        let empty = try Self.both([APIInitiative]())
        #expect(empty.direct == "[]" && empty.foundation == "[]")
    }

    @Test func everyControlCharacterIsEscapedAsFoundationEscapesIt() throws {
        for scalar in (0...0x7F).compactMap(Unicode.Scalar.init) + ["\u{80}", "\u{9F}", "\u{2028}", "\u{FEFF}", "\u{10FFFF}"] {
            let text = "a\(scalar)b\(scalar)"
            let pair = try Self.both(try Self.initiative([text], nulls: [false]))
            #expect(pair.direct == pair.foundation, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func summariesAreWrittenAsFoundationWritesThem() async throws {
        let count = Gen.int(in: 0...1_000_000)
        await propertyCheck(count: 300, input: Self.text.array(of: 2...6), count.array(of: 6...30)) { texts, numbers in
            var n = numbers.makeIterator()
            func next() -> Int { n.next() ?? 0 }
            let sectors = (0..<(numbers.count / 6)).map { index in
                Sector(code: texts[index % texts.count] + "\(index)", name: texts[(index + 1) % texts.count])
            }
            var dto = SummaryDTO(campaign: texts[0], unitCode: texts[1], unitName: texts.last ?? "",
                                 summary: Summary(sectors: sectors, tally: UnitTally()))
            for row in dto.rows.indices {
                dto.rows[row].collectives = next(); dto.rows[row].collectiveInitiatives = next()
                dto.rows[row].individuals = next(); dto.rows[row].individualInitiatives = next()
            }
            dto.total = .init(collectives: next(), collectiveInitiatives: next(), individuals: next(), individualInitiatives: next())
            dto.distinct = .init(collectives: next(), individuals: next())
            let pair = try Self.both(dto)
            #expect(pair.direct == pair.foundation)
        }
    }

    @Test func campaignsAreWrittenAsFoundationWritesThem() async throws {
        let count = Gen.int(in: -1...3_000)
        await propertyCheck(count: 300, input: Self.text.array(of: 3...12), count.array(of: 3...3)) { texts, numbers in
            func text(_ k: Int) -> String { texts[k % texts.count] }
            var fields: [String: Any] = [
                "code": text(0), "year": numbers[0], "title": text(1), "number": text(2), "issuedOn": text(3),
                "state": CampaignState.allCases[abs(numbers[1]) % CampaignState.allCases.count].rawValue, "deadline": text(4),
                "acceptsLate": numbers[2] % 2 == 0, "canRun": numbers[2] % 3 == 0,
                "issuer": ["code": text(5), "name": text(6), "kind": UnitKind.federation.rawValue],
                "scope": ["code": text(7), "name": text(8), "kind": UnitKind.grassroots.rawValue],
                "signer": ["authority": text(9), "title": text(10), "name": text(11)],
            ]
            fields["sectors"] = (0..<(abs(numbers[1]) % 5)).map { ["code": text($0), "name": text($0 + 1)] }
            let campaign = try JSONDecoder().decode(APICampaign.self, from: JSONSerialization.data(withJSONObject: fields))
            let pair = try Self.both(campaign)
            #expect(pair.direct == pair.foundation)
            let list = try Self.both([campaign, campaign])
            #expect(list.direct == list.foundation)
        }
    }

    @Test func theAPIsEncoderIsTheDirectOne() throws {
        JSONCoding.useForContent()
        #expect(try ContentConfiguration.global.requireEncoder(for: .json) is DirectJSONContentEncoder)
        // Anything without a hand-written form still goes through Foundation's.
        let other = try Self.both(["b/c": 1, "a": 2])
        #expect(other.direct == other.foundation && other.direct == #"{"a":2,"b/c":1}"#)
    }
}
